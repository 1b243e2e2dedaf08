#!/bin/sh
# regen.sh: rewrite tests/golden/*.out from the built l2tpsh after a reviewed decoder change (RFC 2661 decode golden files).
#
# usage: sh tests/golden/regen.sh [-b BUILDDIR] [NAME...]
#   BUILDDIR defaults to ./build; NAMEs pick cases of TESTLIST (default all).
# Then read `git diff tests/golden`: every changed value must be checked
# against the RFC and tshark before it is committed.
set -u
SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$SRCDIR/build
if [ "${1:-}" = -b ]; then
	[ $# -ge 2 ] || { echo "regen.sh: -b needs a directory" >&2; exit 2; }
	BUILD=$2
	shift 2
fi
L2TPSH=${L2TPSH:-$BUILD/l2tpsh}
[ -x "$L2TPSH" ] || { echo "regen.sh: no $L2TPSH: build first" >&2; exit 1; }
L2TPSH=$L2TPSH SRCDIR=$SRCDIR TESTDATA=$SRCDIR/tests/data \
    sh "$SRCDIR/tests/t_golden.sh" --regen "$@" || exit 1
git -C "$SRCDIR" diff --stat -- tests/golden
