# Source this file to keep Jupyter's state inside the project:
#     source environment/jupyter-env.sh
# Kernelspecs, configuration, runtime and data files then live under build/jupyter (or under
# $SPADE_JUPYTER_DIR if set), where environment/install-kernel.sh puts the spade-java kernel. Jupyter's
# system folders (/usr/share/jupyter: the python3 kernel) are still searched.
_spade_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export SPADE_JUPYTER_DIR="${SPADE_JUPYTER_DIR:-$_spade_root/build/jupyter}"
export JUPYTER_PATH="$SPADE_JUPYTER_DIR"
export JUPYTER_DATA_DIR="$SPADE_JUPYTER_DIR/data"
export JUPYTER_CONFIG_DIR="$SPADE_JUPYTER_DIR/config"
export JUPYTER_RUNTIME_DIR="$SPADE_JUPYTER_DIR/runtime"
unset _spade_root
