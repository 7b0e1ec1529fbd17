#!/usr/bin/env bash
# Installs Jupyter from Debian packages: nbconvert and nbclient (headless runs), jupyter-client, the
# classic notebook server, and fonts for text in rendered charts. Idempotent: installs only what is
# missing. Runs apt-get as root, or through sudo when not root.
set -euo pipefail

packages=(jupyter-nbconvert python3-nbclient jupyter-client jupyter-notebook fontconfig fonts-dejavu-core)

"$(dirname "${BASH_SOURCE[0]}")/apt-install.sh" "${packages[@]}"

# The kit always calls Debian's /usr/bin/jupyter and /usr/bin/python3 (a python3 earlier on PATH may
# be another installation without Jupyter).
if ! /usr/bin/jupyter nbconvert --version >/dev/null || ! /usr/bin/python3 -c "import nbclient, notebook" ; then
    echo "install-jupyter: Jupyter is installed but does not run; see the errors above" >&2
    exit 1
fi
echo "install-jupyter: nbconvert $(/usr/bin/jupyter nbconvert --version), notebook $(/usr/bin/jupyter notebook --version)," \
     "nbclient $(/usr/bin/python3 -c 'import nbclient; print(nbclient.__version__)')"
