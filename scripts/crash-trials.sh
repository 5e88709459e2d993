#!/usr/bin/env bash
# Crash trials: kills `normgraph load` (kill -9) at random moments and checks that the store then
# holds the old content or the new, never a mix, that the derived graph is rebuilt, and that
# running the same load again finishes it.
#
# Usage: scripts/crash-trials.sh NORMGRAPH_BINARY TRIALS [TRIPLES]
#   TRIPLES: size of the generated file loaded (default 100000; >= 8 MiB goes through the bulk
#   loader, smaller through one transaction). Prints one line per trial and a summary; exits 1 if
#   any trial left a mixed store or a rerun did not finish the load.
set -euo pipefail
bin="${1:?usage: crash-trials.sh NORMGRAPH TRIALS [TRIPLES]}"
trials="${2:?usage: crash-trials.sh NORMGRAPH TRIALS [TRIPLES]}"
triples="${3:-100000}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# A bundle with the real ontology, rules and queries and no data: the trial store holds only what
# the trials load.
mkdir -p "$work/bundle/data"
cp -r "$root/ontology" "$root/queries" "$work/bundle/"
export NORMGRAPH_HOME="$work/bundle"

# The bundle's vocabulary plus a small base file: the "old" store.
"$bin" generate --triples 2000 --seed 1 -o "$work/base.nt" >/dev/null 2>&1
"$bin" generate --triples "$triples" --seed 2 -o "$work/new.nt" >/dev/null 2>&1
load_args=()
hash_of() { # store -> "data-hash derived-count"
  local d c
  d="$("$bin" --store "$1" export --canonical 2>&1 >/dev/null | grep -o '[0-9a-f]\{64\}' | head -1)"
  c="$(echo 'SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/normgraph/graph/inferred> { ?s ?p ?o } }' \
       | "$bin" --store "$1" query - -f csv 2>/dev/null | tail -1)"
  echo "$d $c"
}
"$bin" --store "$work/old" load -q --force "$work/base.nt"
old="$(hash_of "$work/old")"
cp -r "$work/old" "$work/expect-new"
start=$(date +%s%N)
"$bin" --store "$work/expect-new" load -q --force "$work/new.nt"
took=$(( ($(date +%s%N) - start) / 1000000 ))
new="$(hash_of "$work/expect-new")"
[ "$old" != "$new" ] || { echo "crash-trials: the new file changed nothing" >&2; exit 2; }
echo "crash-trials: old = $old; new = $new; a clean load takes ${took} ms"

ok=0; mixed=0; unfinished=0; as_old=0; as_new=0
for i in $(seq 1 "$trials"); do
  rm -rf "$work/s"; cp -r "$work/old" "$work/s"
  delay=$(( RANDOM % (took + 1) ))
  "$bin" --store "$work/s" load -q --force "$work/new.nt" >/dev/null 2>&1 &
  pid=$!
  sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  got="$(hash_of "$work/s")"
  if [ "$got" = "$old" ]; then state=old; as_old=$((as_old + 1))
  elif [ "$got" = "$new" ]; then state=new; as_new=$((as_new + 1))
  else state=MIXED; mixed=$((mixed + 1)); fi
  # The same load again must finish the work.
  "$bin" --store "$work/s" load -q --force "$work/new.nt" >/dev/null 2>&1 || true
  again="$(hash_of "$work/s")"
  if [ "$again" = "$new" ]; then rerun=finished; else rerun=UNFINISHED; unfinished=$((unfinished + 1)); fi
  [ "$state" != MIXED ] && [ "$rerun" = finished ] && ok=$((ok + 1))
  echo "trial $i: killed after ${delay} ms: store $state ($got); rerun $rerun"
done
echo "crash-trials: $trials trials, killed load left the old content $as_old times, the new $as_new times, a mix $mixed times; rerun unfinished $unfinished times"
echo "crash trials: $ok passed, $((trials - ok)) failed"
[ "$mixed" -eq 0 ] && [ "$unfinished" -eq 0 ]
