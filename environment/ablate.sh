#!/usr/bin/env bash
# Runs an ablation plan as separate processes (one CPU thread each, JOBS at a time) and writes its table.
#     environment/ablate.sh PLAN OUT
# PLAN: one run per line, "NAME SEED [train options...]" ('#' starts a comment), e.g.
#     original  1
#     original  2
#     r1-gamma-1 1 --set gpCoef=1
# Every run is `train --preset $PRESET --data $DATA --seed SEED --threads 1 --set iterations=$ITERATIONS
# --set tileEvery=0 [options]` in OUT/NAME-sSEED, then `evaluate --from` it with weights/segment (the EMA
# generator, noise seed 0). A run already scored or evaluated is not run again, so a killed ablation resumes.
# OUT/table.md: one row per run (scores as evaluate prints them), OUT/table.tsv the same for scripts.
# Defaults: PRESET=tiny DATA=build/notebooks/synthetic-64 ITERATIONS=1500 JOBS=2; SPADE_JAR as in spade-anime.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
plan="${1:?usage: ablate.sh PLAN OUT}"
out="${2:?usage: ablate.sh PLAN OUT}"
preset="${PRESET:-tiny}"
data="${DATA:-build/notebooks/synthetic-64}"
iterations="${ITERATIONS:-1500}"
jobs="${JOBS:-2}"
[[ -f "$plan" ]] || { echo "ablate.sh: plan $plan: no such file" >&2; exit 2; }
[[ -d "$data" ]] || { echo "ablate.sh: data $data: no such folder (make it with: spade-anime synth --count 1000 --size 64 --out $data)" >&2; exit 2; }
mkdir -p "$out"
export root out preset data iterations

run_one() {
    local name="$1" seed="$2"; shift 2
    local run="$out/$name-s$seed"
    [[ -s "$run.score" ]] && return 0
    if ! grep -q '^validation split' "$run.eval.log" 2>/dev/null; then
        train_and_evaluate "$name" "$seed" "$run" "$@" || return 1
    fi
    score "$name" "$seed" "$run" "$*"
}

train_and_evaluate() {
    local name="$1" seed="$2" run="$3"; shift 3
    rm -rf "$run"
    "$root/environment/spade-anime" train --preset "$preset" --data "$data" --run "$run" --seed "$seed" --threads 1 \
        --set iterations="$iterations" --set tileEvery=0 "$@" > "$run.train.log" 2>&1 \
        || { echo "ablate.sh: $name seed $seed: training failed, see $run.train.log" >&2; return 1; }
    "$root/environment/spade-anime" evaluate --from "$run" --segmenter "$root/weights/segment" > "$run.eval.log" 2>&1 \
        || { echo "ablate.sh: $name seed $seed: evaluate failed, see $run.eval.log" >&2; return 1; }
}

score() {
    local name="$1" seed="$2" run="$3" changes="$4"
    local secs checker
    secs=$(sed -n 's/.* (.*, \([0-9.]*\) s of training).*/\1/p' "$run.eval.log" | tail -1)
    # the halo ΔE2000, the checkerboard energy and ratio (drawn, real), printed by kits newer than the first runs
    # of this script (older runs get "—")
    local halo
    halo=$(grep '^validation split' "$run.eval.log" | tail -1 | sed -nE 's/.*halo ΔE2000 ([0-9.]+) \(real images: ([0-9.]+)\).*/\1 (\2)/p')
    halo="${halo:-—}"
    checker=$(grep '^validation split' "$run.eval.log" | tail -1 | sed -nE 's/.*checkerboard ([0-9.]+) \(real images: ([0-9.]+)\).*/\1 (\2)/p')
    checker="${checker:-—}"
    local ratio
    ratio=$(grep '^validation split' "$run.eval.log" | tail -1 | sed -nE 's/.*checkerboard ratio ([0-9.]+) \(real images: ([0-9.]+)\).*/\1 (\2)/p')
    ratio="${ratio:-—}"
    # "validation split of D, N images: L1 a, PSNR b dB, hair ΔE2000 c (real images: ..), frame ΔE2000 d (real images: e),
    #  background ΔE2000 f, mIoU g (real images: h, ratio i)"
    grep '^validation split' "$run.eval.log" | tail -1 | sed -E \
        's/.*L1 ([0-9.]+), PSNR ([0-9.]+) dB, hair ΔE2000 ([0-9.]+) \(real images: [0-9.]+\), frame ΔE2000 ([0-9.]+) \(real images: ([0-9.]+)\), background ΔE2000 ([0-9.]+), mIoU ([0-9.]+) \(real images: [0-9.]+, ratio ([0-9.]+)\).*/\1\t\2\t\3\t\4\t\5\t\6\t\7\t\8/' \
        | awk -v n="$name" -v s="$seed" -v t="$secs" -v a="$changes" -v h="$halo" -v cb="$checker" -v cr="$ratio" 'BEGIN{OFS="\t"} {print n, s, (a == "" ? "—" : a), t, $0, h, cb, cr}' \
        > "$run.score.tmp"
    [[ $(awk -F'\t' '{print NF}' "$run.score.tmp") == 15 ]] \
        || { echo "ablate.sh: $name seed $seed: could not read the scores in $run.eval.log" >&2; return 1; }
    mv "$run.score.tmp" "$run.score"
    echo "ablate.sh: $name seed $seed done: $(cut -f5- "$run.score" | tr '\t' ' ')"
}
export -f run_one train_and_evaluate score

status=0
grep -vE '^\s*(#|$)' "$plan" | tr '\n' '\0' | xargs -0 -P "$jobs" -I{} bash -c 'run_one {}' || status=$?

{
    printf 'variant\tseed\tchanges\ttrain s\tL1\tPSNR (dB)\thair ΔE2000\tframe ΔE2000\treal frame ΔE2000\tbackground ΔE2000\tmIoU\tmIoU ratio\thalo ΔE2000 (real)\tcheckerboard (real)\tcheckerboard ratio (real)\n'
    grep -vE '^\s*(#|$)' "$plan" | while read -r name seed _; do
        [[ -s "$out/$name-s$seed.score" ]] && cat "$out/$name-s$seed.score"
    done | awk -F'\t' 'BEGIN{OFS="\t"} {for (i = NF + 1; i <= 15; i++) $i = "—"; print}' # rows of older scripts: 14
} > "$out/table.tsv"
{
    echo "Ablation: preset $preset, $iterations iterations, data $data, one thread per run; held-out scores of the EMA generator."
    echo
    head -1 "$out/table.tsv" | sed 's/^/| /; s/\t/ | /g; s/$/ |/'
    head -1 "$out/table.tsv" | sed 's/[^\t]*/---/g; s/^/| /; s/\t/ | /g; s/$/ |/'
    tail -n +2 "$out/table.tsv" | sed 's/^/| /; s/\t/ | /g; s/$/ |/'
} > "$out/table.md"
cat "$out/table.md"
exit $status
