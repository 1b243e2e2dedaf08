#!/bin/sh
# cli/ and completion/ have no include cycle (scripts/include-cycles.py: X.c
# and X.h one module, X -> Y when either includes "DIR/Y.h").  First the
# script is shown to find one, on a tree of two headers made here.
set -u
: "${SRCDIR:?set SRCDIR to the source tree}"
command -v python3 >/dev/null 2>&1 || { echo "SKIP: no python3"; exit 77; }
script="$SRCDIR/scripts/include-cycles.py"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/cli"
printf '#include "cli/b.h"\n' >"$tmp/cli/a.h"
printf '#include "cli/a.h"\n' >"$tmp/cli/b.c"
out=$(SRCDIR="$tmp" python3 "$script" cli)
rc=$?
[ $rc -eq 1 ] && printf '%s\n' "$out" | grep -q "include cycle among a b" || {
	echo "FAIL: the script does not find the cycle a <-> b (rc $rc): $out"
	exit 1
}
out=$(SRCDIR="$SRCDIR" python3 "$script" cli completion)
rc=$?
printf '%s\n' "$out"
[ $rc -eq 0 ] || { echo "FAIL: include cycle (see above)"; exit 1; }
echo "PASS: no include cycle in cli/ or completion/"
