#!/bin/sh
# README's first command: checks and installs the prerequisites, builds normgraph (release) and runs
# it with the arguments given, on the bundled data. The first build compiles RocksDB from C++
# (~20 minutes on 2 cores); later runs start at once.
set -eu
cd "$(dirname "$0")"
sh scripts/prereqs.sh build
exec cargo run --quiet --release -- "$@"
