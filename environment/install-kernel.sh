#!/usr/bin/env bash
# Builds the Java kernel (and the library the notebooks load) and installs the Jupyter kernelspec
# "spade-java" ("Java (SPADE kit)").
#
#   environment/install-kernel.sh           into build/jupyter: the project-local Jupyter folder that
#                                           environment/jupyter-env.sh and environment/jupyter use
#   environment/install-kernel.sh --user    into your own Jupyter folder (~/.local/share/jupyter/kernels),
#                                           so a plain `jupyter notebook` finds it
# Options:
#   --xmx SIZE      the kernel JVM's heap (default $SPADE_KERNEL_XMX or 4g); tensors live outside it
#   --java PATH     the JDK's java to run the kernel with (default $JAVA_HOME/bin/java, else java on PATH)
#   --skip-build    install the kernel built before (environment/kernel/target/kernel)
# Only the spade-java folder is replaced; other kernels are left alone.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
xmx="${SPADE_KERNEL_XMX:-4g}"
java="${JAVA_HOME:+$JAVA_HOME/bin/java}"
java="${java:-$(command -v java || true)}"
user=false
build=true
while (($#)); do
    case "$1" in
        --user) user=true ;;
        --xmx) xmx="${2:?--xmx needs a size such as 8g}"; shift ;;
        --java) java="${2:?--java needs a path}"; shift ;;
        --skip-build) build=false ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        *) echo "install-kernel: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done

if [[ -z "$java" || ! -x "$java" ]]; then
    echo "install-kernel: no java found; install a JDK 17+ (apt-get install openjdk-17-jdk-headless) or pass --java" >&2
    exit 1
fi
java="$(command -v "$java")"
if ! "$java" --list-modules 2>/dev/null | grep -q '^jdk\.jshell@'; then
    echo "install-kernel: $java is not a JDK 17+ with JShell (module jdk.jshell); the kernel needs one" >&2
    exit 1
fi

if $build; then
    echo "install-kernel: building the library and the kernel (mvn package, tests skipped)"
    (cd "$root" && mvn -B -q -pl environment/kernel -am package -DskipTests)
fi

if $user; then
    kernels="${XDG_DATA_HOME:-$HOME/.local/share}/jupyter/kernels"
else
    source "$root/environment/jupyter-env.sh"
    kernels="$SPADE_JUPYTER_DIR/kernels"
fi

"$java" -cp "$root/environment/kernel/target/kernel/*" org.spadeanime.kernel.KernelSpecInstaller \
    --kernels-dir "$kernels" --jars "$root/environment/kernel/target/kernel" --java "$java" --xmx "$xmx" \
    --env-file "$root/environment/native.env"

if $user; then
    echo "install-kernel: open the notebooks with: jupyter notebook notebooks/   (choose the kernel \"Java (SPADE kit)\")"
else
    echo "install-kernel: this is a project-local install; to use it, either"
    echo "    source environment/jupyter-env.sh    (sets JUPYTER_PATH=$SPADE_JUPYTER_DIR and Jupyter's other folders)"
    echo "    jupyter notebook notebooks/"
    echo "or run environment/jupyter notebook notebooks/   (the same, in one command)."
    echo "Headless: environment/run-notebooks.sh"
fi
