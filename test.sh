#!/bin/sh
# README's second command: checks and installs the prerequisites (C++ compiler, libclang, Python venv,
# Chromium, node and playwright-core), then runs every test suite in the release profile (the one the
# first command builds), all of them even when one fails, and ends with one summary line.
set -eu
cd "$(dirname "$0")"
sh scripts/prereqs.sh test
bash .ci/setup-browser.sh >/dev/null
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
cargo test --release --no-fail-fast "$@" 2>&1 | tee "$log" || status=$?
# POSIX sh has no pipefail: take cargo's status from its own error lines when tee hid it (failed
# suites, a failed build).
if grep -q '^error' "$log"; then status=1; fi
awk '
  /^test result:/ { p += $4; f += $6; i += $8 }
  /^error: [0-9]+ targets? failed/ { t = $2 }
  END {
    printf "tests: %d passed, %d failed, %d ignored", p, f, i
    if (t) printf " (%d suite(s) failed; see above)", t
    printf "\n"
    printf "%d passed, %d failed\n", p, f
  }' "$log"
exit "$status"
