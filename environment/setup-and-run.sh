#!/usr/bin/env bash
# The README's first command: on a fresh Debian machine, set everything up and run the main job (the
# notebook sequence, which trains and renders the result tile) on the embedded default data.
#   environment/setup-and-run.sh
# One data set: the synthetic set the notebooks read, build/notebooks/synthetic-<resolution> (1,000
# samples, seed 1, at the preset's resolution: 64² tiny, 128² mid, 256² paper). It is made here once,
# with progress lines; the notebooks then find it complete and reuse it (a later run makes nothing).
# weights/tiny trained on this same set (its synthetic.json), so evaluate/tile --from weights/tiny use it too.
# Knobs (environment): SPADE_PRESET (default tiny), MAX_STEPS (steps the notebooks train for; default:
# the preset's).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source environment/native-env.sh   # the JVM environment of the CLI and the kernel (native.env)
start=$SECONDS
cli=(env SPADE_JAVA_OPTS=-Xmx2g environment/spade-anime)
preset="${SPADE_PRESET:-tiny}"
case "$preset" in
    tiny) size=64 ;;
    mid) size=128 ;;
    paper) size=256 ;;
    *) echo "setup-and-run: SPADE_PRESET=$preset: expected tiny, mid or paper" >&2; exit 2 ;;
esac

environment/install-build-tools.sh
environment/install-jupyter.sh
mvn -B -ntp -q package -DskipTests
environment/install-kernel.sh --skip-build

# the notebooks' count and seed (SyntheticAnime.writeMissing(data, 1000, 1, ...) in 05, 06 and 07)
data="build/notebooks/synthetic-$size"
count=1000
have=0
if [[ -d "$data" ]]; then  # a fresh clone has none (find would fail, and pipefail end the script)
    have=$(find "$data" -maxdepth 1 -name '*.png' | wc -l)
fi
if ((have < count)); then
    echo "setup-and-run: making the notebooks' data set $data ($count samples at ${size}², seed 1)"
    "${cli[@]}" synth --count $((count - have)) --first "$have" --size "$size" --seed 1 --out "$data"
else
    echo "setup-and-run: $data already holds $have samples"
fi

SPADE_PRESET="$preset" environment/run-notebooks.sh
echo "setup-and-run: done in $((SECONDS - start)) s"
