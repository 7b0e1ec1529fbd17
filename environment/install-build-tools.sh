#!/usr/bin/env bash
# Makes sure a JDK 17+ (javac, jshell) and Maven are on the machine; installs Debian's when missing.
set -euo pipefail
if command -v javac >/dev/null && command -v jshell >/dev/null && command -v mvn >/dev/null; then
    echo "install-build-tools: $(javac -version 2>&1), $(mvn -v 2>/dev/null | head -1 | sed 's/\x1b\[[0-9;]*m//g')"
    exit 0
fi
"$(dirname "${BASH_SOURCE[0]}")/apt-install.sh" openjdk-17-jdk-headless maven
