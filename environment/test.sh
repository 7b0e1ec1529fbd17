#!/usr/bin/env bash
# The README's test command (CI runs exactly this from a clean clone, see .ci/run):
#   environment/test.sh
# 1. installs what is missing (JDK + Maven, Debian's Jupyter and fonts, its kernel test suite, chromium +
#    puppeteer-core),
# 2. mvn verify: every unit test of lib and the kernel, and the integration tests that execute real
#    notebooks through /usr/bin/jupyter (never skipped here),
# 3. runs environment/ablate.sh on a tiny plan (environment/ablate_test.py),
# 4. installs the spade-java kernel and executes every notebook in notebooks/ at the tiny preset.
# A failing test or notebook does not stop the run: every module's tests and every notebook run, then
# a summary lists every failure (test methods from the surefire/failsafe reports, notebooks, steps)
# and the script exits 1. A failing install stops it at once (nothing after it could run).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source environment/native-env.sh   # the JVM environment of tests and kernels (native.env)
start=$SECONDS
since=$(date +%s)
failed_steps=()
# Runs "$@" and records a non-zero exit as a failed step instead of ending the script.
step() {
    local name=$1 rc=0
    shift
    "$@" || rc=$?
    if ((rc != 0)); then
        failed_steps+=(--step "$name: exit $rc")
    fi
}

environment/install-build-tools.sh
environment/install-jupyter.sh
environment/apt-install.sh python3-jupyter-kernel-test   # the kernel ITs' message validator and conformance suite
step "summary self-test (environment/test_summary_test.py)" python3 environment/test_summary_test.py
environment/install-browser.sh     # chromium + puppeteer-core for the real-browser tests
# -fae and maven.test.failure.ignore: a failing test of lib still lets the kernel module build and
# test; the reports say what failed. mvn still exits non-zero on a compile or set-up error.
step "mvn verify" mvn -B -ntp -fae -Dmaven.test.failure.ignore=true verify
# after verify: it runs ablate.sh for real with the jar that verify packaged
step "ablate.sh test (environment/ablate_test.py)" python3 environment/ablate_test.py
step "install-kernel" environment/install-kernel.sh --skip-build
notebook_failures="$root/build/executed/failed-notebooks.txt"
mkdir -p "$(dirname "$notebook_failures")"
rm -f "$notebook_failures"
step "run-notebooks" env SPADE_PRESET="${SPADE_PRESET:-tiny}" MAX_STEPS="${MAX_STEPS:-20}" \
    environment/run-notebooks.sh --keep-going --failures "$notebook_failures"

if python3 environment/test_summary.py --root "$root" --since "$since" --notebooks "$notebook_failures" \
        "${failed_steps[@]+"${failed_steps[@]}"}"; then
    echo "test: all passed in $((SECONDS - start)) s"
else
    echo "test: FAILED after $((SECONDS - start)) s (the summary above lists every failure)"
    exit 1
fi
