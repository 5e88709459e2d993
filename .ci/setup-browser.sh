#!/usr/bin/env bash
# Installs what the browser test of the query page needs (idempotent, ~1-2 minutes the first time):
# Debian's Chromium (/usr/bin/chromium) and playwright-core from npm (used only as a DevTools-protocol
# driver for that Chromium: it downloads no browser of its own). Prints the node_modules folder.
set -euo pipefail
PLAYWRIGHT_VERSION=1.64.1
dir="${NORMGRAPH_BROWSER_DIR:-$HOME/.cache/normgraph-browser}"

if ! command -v chromium >/dev/null 2>&1; then
  echo "setup-browser: installing Debian's chromium" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "setup-browser: installing nodejs and npm" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
if [ ! -f "$dir/node_modules/playwright-core/package.json" ] \
   || ! grep -q "\"version\": \"$PLAYWRIGHT_VERSION\"" "$dir/node_modules/playwright-core/package.json"; then
  echo "setup-browser: installing playwright-core@$PLAYWRIGHT_VERSION in $dir" >&2
  mkdir -p "$dir"
  # PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: playwright-core downloads nothing anyway; belt and braces.
  (cd "$dir" && [ -f package.json ] || echo '{"private":true}' > "$dir/package.json")
  (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --silent \
     "playwright-core@$PLAYWRIGHT_VERSION" >&2)
fi
echo "$dir/node_modules"
