#!/usr/bin/env bash
# Real clients against the real server: SPARQLWrapper, rdflib's SPARQLStore, pandas, and the
# notebook notebooks/who-backs-which-norm.ipynb executed headless with nbclient.
#
# Usage: tests/clients/run.sh PATH/TO/normgraph [ARTIFACTS_DIR] (the executed notebook goes there)
# The Python packages (requirements.txt, pinned) go into a venv under $CARGO_TARGET_DIR (or
# target/), built once and rebuilt when requirements.txt changes. Needs python3 with venv + pip.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="${1:?usage: run.sh PATH/TO/normgraph [ARTIFACTS_DIR]}"
artifacts="${2:-${CARGO_TARGET_DIR:-$root/target}/serve-artifacts}"

venv="${NORMGRAPH_CLIENTS_VENV:-${CARGO_TARGET_DIR:-$root/target}/clients-venv}"
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "clients: creating the venv $venv" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"
  echo "$want" > "$stamp"
fi

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
"$venv/bin/python" "$here/test_clients.py"

"$venv/bin/python" "$here/run_notebook.py" "$root/notebooks/who-backs-which-norm.ipynb" \
  "$artifacts/who-backs-which-norm.executed.ipynb"
echo "clients: all passed" >&2
