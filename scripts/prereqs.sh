#!/bin/sh
# Checks what building normgraph (and, with `test`, running its tests) needs, before any
# compilation starts: a 20-minute RocksDB build must not fail at minute 14 for want of libclang.
# Installs what is missing through the system package manager when it can (root, or sudo without a
# password); otherwise stops within seconds with the exact command to run.
#
# Usage: scripts/prereqs.sh build|test
# Environment: NORMGRAPH_NO_INSTALL=1 never installs (only reports);
#              NORMGRAPH_LIB_DIRS overrides the folders searched for libclang (tests use it).
set -eu
mode="${1:-build}"
missing_debian=""
missing_fedora=""
missing_brew=""
need() { # debian-package fedora-package brew-formula
  missing_debian="$missing_debian $1"
  missing_fedora="$missing_fedora $2"
  missing_brew="$missing_brew $3"
}
have() { command -v "$1" >/dev/null 2>&1; }

have cargo || {
  echo "normgraph: no Rust toolchain (cargo): install it from https://rustup.rs (rustup), then run this again" >&2
  exit 1
}
have c++ || have g++ || have clang++ || need g++ gcc-c++ llvm
# bindgen (oxrocksdb-sys) loads libclang at build time.
found_clang=""
exists() { for f in "$@"; do [ -e "$f" ] && return 0; done; return 1; }
if [ -n "${LIBCLANG_PATH:-}" ] && exists "$LIBCLANG_PATH"/libclang*.so* "$LIBCLANG_PATH"/libclang*.dylib; then
  found_clang=yes
else
  for d in ${NORMGRAPH_LIB_DIRS:-/usr/lib /usr/lib64 /usr/local/lib /usr/lib/x86_64-linux-gnu /usr/lib/aarch64-linux-gnu /opt/homebrew/opt/llvm/lib /usr/local/opt/llvm/lib}; do
    if exists "$d"/libclang*.so* "$d"/llvm-*/lib/libclang*.so* "$d"/libclang*.dylib; then
      found_clang=yes
      break
    fi
  done
fi
[ -n "$found_clang" ] || need libclang-dev clang-devel llvm
if [ "$mode" = test ]; then
  # Python peers and clients of the test suite (a venv under the cargo target folder).
  if ! have python3 || ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
    need python3-venv python3 python
  fi
  # The browser test drives Debian's Chromium with playwright-core (installed by .ci/setup-browser.sh).
  have chromium || [ -x "${CHROMIUM:-/usr/bin/chromium}" ] || need chromium chromium chromium
  have node || need nodejs nodejs node
  have npm || need npm nodejs-npm node
fi

[ -z "$missing_debian" ] && exit 0

sudo=""
if [ "$(id -u)" != 0 ]; then
  if have sudo && sudo -n true >/dev/null 2>&1; then sudo="sudo"; else sudo="none"; fi
fi
if [ -z "${NORMGRAPH_NO_INSTALL:-}" ] && [ "$sudo" != none ] && have apt-get; then
  echo "normgraph: installing${missing_debian} (apt-get)" >&2
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing_debian >&2
  exit 0
fi
if [ -z "${NORMGRAPH_NO_INSTALL:-}" ] && [ "$sudo" != none ] && have dnf; then
  echo "normgraph: installing${missing_fedora} (dnf)" >&2
  $sudo dnf install -y $missing_fedora >&2
  exit 0
fi
{
  echo "normgraph: missing prerequisites:${missing_debian}"
  echo "  Debian/Ubuntu:  sudo apt-get install${missing_debian}"
  echo "  Fedora:         sudo dnf install${missing_fedora}"
  echo "  macOS:          brew install${missing_brew}   (then: export LIBCLANG_PATH=\"\$(brew --prefix llvm)/lib\")"
} >&2
exit 1
