#!/usr/bin/env bash
# Installs what the real-browser tests need: Debian's chromium (apt) and puppeteer-core (npm, pinned
# by environment/browser/package-lock.json; PUPPETEER_SKIP_DOWNLOAD so nothing fetches a browser).
#   environment/install-browser.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$here/apt-install.sh" chromium
command -v npm >/dev/null || "$here/apt-install.sh" nodejs npm   # the machine's own Node.js when present
cd "$here/browser"
if [[ ! -d node_modules/puppeteer-core ]]; then
    PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
fi
node smoke.mjs
