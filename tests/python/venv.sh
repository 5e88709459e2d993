#!/usr/bin/env bash
# Creates (once) the Python venv the tests use as oracle and clients, and prints its python path.
# Location: $NORMGRAPH_VENV, or the given folder. Reinstalls when requirements.txt changes.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${NORMGRAPH_VENV:-${1:?usage: venv.sh DIR}}"
req="$here/requirements.txt"
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$req" | cut -d' ' -f1)"
# Tests run in parallel: one creates or updates the venv while the others wait.
mkdir -p "$(dirname "$venv")"
exec 9>"$venv.lock"
flock 9
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req" >&2
  echo "$want" > "$stamp"
fi
echo "$venv/bin/python"
