#!/usr/bin/env bash
# The README's test command (CI runs exactly this from a clean clone, see .ci/run):
#   environment/test.sh
# 1. installs what is missing (JDK + Maven, Debian's Jupyter and fonts, chromium + puppeteer-core),
# 2. mvn verify: every unit test of lib and the kernel, and the integration tests that execute real
#    notebooks through /usr/bin/jupyter (never skipped here),
# 3. installs the spade-java kernel and executes every notebook in notebooks/ at the tiny preset.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source environment/native-env.sh   # the JVM environment of tests and kernels (native.env)
start=$SECONDS

environment/install-build-tools.sh
environment/install-jupyter.sh
environment/install-browser.sh     # chromium + puppeteer-core for the real-browser tests
mvn -B -ntp verify
environment/install-kernel.sh --skip-build
SPADE_PRESET="${SPADE_PRESET:-tiny}" MAX_STEPS="${MAX_STEPS:-20}" environment/run-notebooks.sh
echo "test: all passed in $((SECONDS - start)) s"
