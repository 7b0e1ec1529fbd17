#!/usr/bin/env bash
# The README's first command: on a fresh Debian machine, set everything up and run the main job on
# the embedded default data (the procedural synthetic set).
#   environment/setup-and-run.sh
# Knobs (environment): SYNTH_COUNT (default 2000), SYNTH_SIZE (default 256), SPADE_PRESET (default
# tiny), MAX_STEPS (steps the notebooks train for; default: the preset's).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source environment/native-env.sh   # the JVM environment of the CLI and the kernel (native.env)
start=$SECONDS
cli=(env SPADE_JAVA_OPTS=-Xmx2g environment/spade-anime)

environment/install-build-tools.sh
environment/install-jupyter.sh
mvn -B -ntp -q package -DskipTests
environment/install-kernel.sh --skip-build

count="${SYNTH_COUNT:-2000}"
have=0
if [[ -d data/synthetic ]]; then  # a fresh clone has none (find would fail, and pipefail end the script)
    have=$(find data/synthetic -maxdepth 1 -name '*.png' | wc -l)
fi
if ((have < count)); then
    "${cli[@]}" synth --count $((count - have)) --first "$have" --size "${SYNTH_SIZE:-256}" --out data/synthetic
else
    echo "setup-and-run: data/synthetic already holds $have samples"
fi

SPADE_PRESET="${SPADE_PRESET:-tiny}" environment/run-notebooks.sh
echo "setup-and-run: done in $((SECONDS - start)) s"
