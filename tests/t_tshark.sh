#!/bin/sh
# t_tshark.sh: every capture in tests/data decodes the same in `l2tpsh -r -j` and tshark -T json (RFC 2661 §3-4 fields).
#
# The comparer and the list of known tshark mistakes are in tests/tools/.
# Skips (77) when tshark or python3 is missing: scripts/setup.sh --test
# installs both.
set -u
: "${L2TPSH:?set L2TPSH to the built l2tpsh}"
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
TESTDATA=${TESTDATA:-$SRCDIR/tests/data}

for tool in tshark python3; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "t_tshark: SKIP: $tool not installed (scripts/setup.sh --test)"
		exit 77
	fi
done
[ -x "$L2TPSH" ] || { echo "t_tshark: $L2TPSH is not executable" >&2; exit 1; }

# tshark must not read anyone's Wireshark preferences: a private home.
TMP=$(mktemp -d "${TMPDIR:-/tmp}/t_tshark.XXXXXX") || exit 1
trap 'rm -rf -- "$TMP"' EXIT
trap 'exit 1' INT TERM
HOME=$TMP XDG_CONFIG_HOME=$TMP/config TZ=UTC \
    python3 "$SRCDIR/tests/tools/tshark_compare.py" --l2tpsh "$L2TPSH" \
    --known "$SRCDIR/tests/tools/tshark_known.md" --root "$TESTDATA" --self-test \
    "$TESTDATA"
