#!/usr/bin/env bash
# Benchmarks of issue #8: normgraph against pyoxigraph (memory, disk), rdflib and pySHACL on
# synthetic graphs of 100k, 1M and 10M triples (--without-10m: the first two), in one run.
# Writes BENCHMARKS.md. About 23 minutes on 2 cores (last run, venv included), after the release build.
# Needs: cargo (release profile, shared target dir), python3 with venv; reaches PyPI once.
# Usage: bench/run.sh [--without-10m]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${BENCH_WORK:-$(mktemp -d /tmp/normgraph-bench.XXXXXX)}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/root/.cache/normgraph-target}"
extra=()
[[ "${1:-}" == "--without-10m" ]] && extra+=(--without-10m)

echo "building normgraph (release)..." >&2
(cd "$root" && cargo build --release --quiet)
# The shared binary may be replaced by another worktree's build: run a private copy.
cp "$CARGO_TARGET_DIR/release/normgraph" "$work/normgraph"

venv="${BENCH_VENV:-$work/venv}"
if [[ ! -x "$venv/bin/python" ]]; then
  echo "creating $venv with pyoxigraph 0.5.13, rdflib 7.6.0, pyshacl 0.40.1..." >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet pyoxigraph==0.5.13 rdflib==7.6.0 pyshacl==0.40.1
fi

"$venv/bin/python" "$root/bench/run.py" \
  --normgraph "$work/normgraph" --python "$venv/bin/python" --root "$root" --work "$work" \
  --out "$root/BENCHMARKS.md" --command "bench/run.sh ${1:-}" "${extra[@]}"
echo "wrote $root/BENCHMARKS.md (work folder $work)" >&2
