#!/bin/sh
# Install what l2tpsh needs, build it, and start the shell (arguments are
# passed to l2tpsh, e.g. scripts/run.sh -r tests/data/xl2tpd-auth.pcap).
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DL2TPSH_TESTS=OFF >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
exec ./build/l2tpsh "$@"
