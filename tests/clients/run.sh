#!/usr/bin/env bash
# Real clients against the real server: SPARQLWrapper, rdflib's SPARQLStore, pandas, and the
# notebooks notebooks/who-backs-which-norm.ipynb and notebooks/figures.ipynb (matplotlib: an
# adoption curve, the G20's alignment heatmap, a map; PNGs into ARTIFACTS_DIR/figures) executed
# headless with nbclient.
#
# Usage: tests/clients/run.sh PATH/TO/normgraph [ARTIFACTS_DIR] (the executed notebook goes there)
# The Python packages (tests/python/requirements.txt, pinned) go into the suite's venv, built once
# and rebuilt when the requirements change. Needs python3 with venv + pip.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="${1:?usage: run.sh PATH/TO/normgraph [ARTIFACTS_DIR]}"
artifacts="${2:-${CARGO_TARGET_DIR:-$root/target}/serve-artifacts}"

# The test suite's one Python venv (tests/python/venv.sh), where the Rust tests also put it.
py="$(bash "$root/tests/python/venv.sh" "${NORMGRAPH_VENV:-${CARGO_TARGET_DIR:-$root/target}/tmp/venv}")"

tmp="$(mktemp -d)"
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
# A private copy: the cargo target folder may be shared, and its binary replaced mid-run.
cp "$bin" "$tmp/normgraph"
NORMGRAPH_HOME="$root" "$tmp/normgraph" --memory serve --bind 127.0.0.1:0 2> "$tmp/server.log" &
pid=$!
base=""
for _ in $(seq 1 600); do
  base="$(sed -n 's/.*SPARQL \(http:\/\/[^ ]*\)\/sparql.*/\1/p' "$tmp/server.log" | head -n1)"
  [ -n "$base" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$tmp/server.log" >&2; echo "clients: the server died" >&2; exit 1; }
  sleep 0.1
done
[ -n "$base" ] || { cat "$tmp/server.log" >&2; echo "clients: the server did not start" >&2; exit 1; }
echo "clients: server at $base" >&2

export NORMGRAPH_ENDPOINT="$base/sparql"
"$py" "$here/test_clients.py"

"$py" "$here/run_notebook.py" "$root/notebooks/who-backs-which-norm.ipynb" \
  "$artifacts/who-backs-which-norm.executed.ipynb"
NORMGRAPH_FIGURES="$artifacts/figures" "$py" "$here/run_notebook.py" "$root/notebooks/figures.ipynb" \
  "$artifacts/figures.executed.ipynb"
for f in adoption-13f.png alignment-g20.png map-13f.png; do
  [ -s "$artifacts/figures/$f" ] || { echo "clients: the notebook drew no $f" >&2; exit 1; }
done
echo "clients: all passed" >&2
