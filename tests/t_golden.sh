#!/bin/sh
# t_golden.sh: `l2tpsh -r CAPTURE [options]` output matches tests/golden/NAME.out for every case in tests/golden/TESTLIST (RFC 2661 decode).
#
# TESTLIST: one case a line, "NAME CAPTURE [OPTION...]" (CAPTURE relative
# to tests/data; '#' starts a comment).  NAME.out holds l2tpsh's stdout;
# when it writes to stderr or exits non-zero, a line "--- stderr" and that
# text, and "--- exit N", follow.  Run with TZ=UTC.  Also checks the
# SHA-256 of every capture PROVENANCE.md lists, and that every capture in
# tests/data has at least one case.
#
#   sh tests/t_golden.sh            compare (what ctest runs)
#   sh tests/t_golden.sh --regen [NAME...]
#                                   rewrite the .out files (tests/golden/
#                                   regen.sh does this); read the diff
#                                   before committing it
set -u
: "${L2TPSH:?set L2TPSH to the built l2tpsh}"
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
TESTDATA=${TESTDATA:-$SRCDIR/tests/data}
GOLDEN=$SRCDIR/tests/golden
LIST=$GOLDEN/TESTLIST
export TZ=UTC LC_ALL=C

REGEN=0
if [ "${1:-}" = --regen ]; then
	REGEN=1
	shift
fi
[ -x "$L2TPSH" ] || { echo "t_golden: $L2TPSH is not executable" >&2; exit 1; }
[ -f "$LIST" ] || { echo "t_golden: no $LIST" >&2; exit 1; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/t_golden.XXXXXX") || exit 1
trap 'rm -rf -- "$TMP"' EXIT
trap 'exit 1' INT TERM

fail=0 pass=0 made=0

# Captures must be the files their provenance names.
if [ "$REGEN" = 0 ]; then
	sed -n 's/^| `\([^`]*\)`[^|]*|.*| \([0-9a-f]\{64\}\) |.*/\2  \1/p' \
	    "$TESTDATA/PROVENANCE.md" >"$TMP/sums"
	if [ ! -s "$TMP/sums" ]; then
		echo "FAIL provenance: no SHA-256 found in $TESTDATA/PROVENANCE.md"
		fail=$((fail + 1))
	elif ! (cd "$TESTDATA" && sha256sum --quiet -c "$TMP/sums"); then
		echo "FAIL provenance: a capture differs from PROVENANCE.md"
		fail=$((fail + 1))
	fi
fi

# run NAME CAPTURE OPTION...: l2tpsh's output in the .out form on stdout.
run() {
	name=$1 cap=$2
	shift 2
	# bounded: a hang is a failure, not a stuck test suite
	timeout 120 "$L2TPSH" -r "$TESTDATA/$cap" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	cat "$TMP/out"
	if [ -s "$TMP/err" ]; then
		echo "--- stderr"
		cat "$TMP/err"
	fi
	[ "$rc" = 0 ] || echo "--- exit $rc"
}

wanted() {
	[ $# -le 1 ] && return 0
	n=$1
	shift
	for w in "$@"; do [ "$w" = "$n" ] && return 0; done
	return 1
}

seen=" "
while read -r name cap opts; do
	case $name in ''|\#*) continue ;; esac
	case " $seen " in *" $name "*)
		echo "FAIL $name: listed twice in TESTLIST"
		fail=$((fail + 1))
		continue ;;
	esac
	seen="$seen$name "
	if [ ! -f "$TESTDATA/$cap" ]; then
		echo "FAIL $name: no capture $TESTDATA/$cap"
		fail=$((fail + 1))
		continue
	fi
	# shellcheck disable=SC2086 # options are words
	run "$name" "$cap" $opts >"$TMP/$name.out" </dev/null
	if [ "$REGEN" = 1 ]; then
		wanted "$name" "$@" || continue
		cp "$TMP/$name.out" "$GOLDEN/$name.out"
		made=$((made + 1))
	elif [ ! -f "$GOLDEN/$name.out" ]; then
		echo "FAIL $name: no $GOLDEN/$name.out (tests/golden/regen.sh $name)"
		fail=$((fail + 1))
	elif cmp -s "$GOLDEN/$name.out" "$TMP/$name.out"; then
		pass=$((pass + 1))
	else
		echo "FAIL $name: l2tpsh -r $cap $opts"
		diff -u "$GOLDEN/$name.out" "$TMP/$name.out" | head -n 40
		fail=$((fail + 1))
	fi
done <"$LIST"

if [ "$REGEN" = 1 ]; then
	echo "t_golden: wrote $made files in $GOLDEN; review them (git diff)"
	exit 0
fi

# Every capture is covered, and no .out is left without a case.
for f in $(cd "$TESTDATA" && find . -type f \( -name '*.pcap' -o \
    -name '*.pcapng' -o -name '*.cap' \) | sed 's|^\./||' | sort); do
	if ! awk -v c="$f" '$1 !~ /^#/ && $2 == c { found = 1 } END { exit !found }' "$LIST"; then
		echo "FAIL coverage: $f has no case in TESTLIST"
		fail=$((fail + 1))
	fi
done
for f in "$GOLDEN"/*.out; do
	[ -e "$f" ] || continue
	n=$(basename "$f" .out)
	case "$seen" in *" $n "*) ;; *)
		echo "FAIL stale: $f has no case in TESTLIST"
		fail=$((fail + 1)) ;;
	esac
done

echo "t_golden: $pass passed, $fail failed"
[ "$fail" = 0 ]
