#!/usr/bin/env bash
# Executes the notebooks headless with the spade-java kernel, in name order, into build/executed/, and
# stops at the first failing cell (printing the notebook, the cell number and the error).
#
#   environment/run-notebooks.sh                     every notebooks/*.ipynb
#   environment/run-notebooks.sh notebooks/02-*.ipynb   just these
#
# The notebooks read their knobs from the environment, which reaches the kernel unchanged, e.g.
#   SPADE_PRESET=tiny MAX_STEPS=20 environment/run-notebooks.sh      (small and quick, as CI runs them)
#   SPADE_PRESET=paper environment/run-notebooks.sh                  (full size)
# Runner settings: NOTEBOOK_TIMEOUT (seconds per cell, default 3600), SPADE_NOTEBOOKS_DIR (default
# notebooks/), SPADE_EXECUTED_DIR (default build/executed/), SPADE_JUPYTER_DIR (see jupyter-env.sh).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/environment/jupyter-env.sh"
source "$root/environment/native-env.sh"

if [[ ! -x /usr/bin/jupyter ]] || ! /usr/bin/python3 -c "import nbclient, nbformat" 2>/dev/null; then
    echo "run-notebooks: Jupyter (Debian's /usr/bin/jupyter, python3-nbclient) is missing; run environment/install-jupyter.sh" >&2
    exit 1
fi
if [[ ! -f "$SPADE_JUPYTER_DIR/kernels/spade-java/kernel.json" ]]; then
    echo "run-notebooks: the spade-java kernel is not installed in $SPADE_JUPYTER_DIR; run environment/install-kernel.sh" >&2
    exit 1
fi

exec /usr/bin/python3 "$root/environment/run_notebooks.py" \
    --kernel spade-java \
    --timeout "${NOTEBOOK_TIMEOUT:-3600}" \
    --notebooks "${SPADE_NOTEBOOKS_DIR:-$root/notebooks}" \
    --out "${SPADE_EXECUTED_DIR:-$root/build/executed}" \
    "$@"
