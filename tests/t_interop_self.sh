#!/bin/sh
# t_interop_self.sh: two engines on real UDP sockets (IPv6 and IPv4 loopback, the real clock): LAC and LNS with auth both ways, a call, Hellos, StopCCN (RFC 2661).
#
# Ephemeral ports, every wait bounded (20 s: a loaded machine running the
# sanitizer build must not make it flake), each driver stopped by its pid.
set -u
BUILDDIR=${BUILDDIR:-$(cd "$(dirname "$0")/.." && pwd)/build}
DRV="$BUILDDIR/tests/engine_peer"
[ -x "$DRV" ] || { echo "t_interop_self: SKIP: $DRV not built"; exit 77; }

fail=0
LNSPID=""
TMP=$(mktemp -d "${TMPDIR:-/tmp}/t_self.XXXXXX") || exit 1
cleanup() {
	[ -z "$LNSPID" ] || kill "$LNSPID" 2>/dev/null
	rm -rf -- "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
field() { sed -n "s/^SUMMARY.* $2=\([^ ]*\).*/\1/p" "$1"; }

run_pair() { # FAMILY-LABEL BIND-ADDR PEER-FORMAT
	label=$1 addr=$2
	timeout 60 "$DRV" --role lns --bind "$3" --secret self-s \
	    --host self-lns --timeout 45 >"$TMP/lns.$label" 2>&1 &
	LNSPID=$!
	n=200
	while [ $n -gt 0 ] && ! grep -q '^BOUND ' "$TMP/lns.$label" 2>/dev/null; do
		kill -0 "$LNSPID" 2>/dev/null || break
		sleep 0.1
		n=$((n - 1))
	done
	port=$(sed -n 's/^BOUND //p' "$TMP/lns.$label")
	if [ -z "$port" ]; then
		if grep -q 'not an address of this machine\|cannot open' "$TMP/lns.$label"; then
			echo "t_interop_self: $label loopback unavailable, skipped"
			LNSPID=""
			return 0
		fi
		bad "$label: LNS did not bind: $(cat "$TMP/lns.$label")"
		LNSPID=""
		return 0
	fi
	case $addr in *:*) peer="[$addr]:$port" ;; *) peer="$addr:$port" ;; esac
	timeout 60 "$DRV" --role lac --peer "$peer" --bind "$3" \
	    --secret self-s --host self-lac --hello 1 --call --run 3 \
	    --timeout 30 >"$TMP/lac.$label" 2>&1
	rc=$?
	n=200
	while [ $n -gt 0 ] && kill -0 "$LNSPID" 2>/dev/null; do sleep 0.1; n=$((n - 1)); done
	wait "$LNSPID"
	lrc=$?
	LNSPID=""
	[ $rc = 0 ] && ok "$label: LAC up, then its StopCCN acked" || bad "$label: LAC exit $rc"
	[ $lrc = 0 ] && ok "$label: LNS saw the StopCCN" || bad "$label: LNS exit $lrc"
	[ "$(field "$TMP/lac.$label" auth_ok)" = 1 ] && [ "$(field "$TMP/lns.$label" auth_ok)" = 1 ] &&
	    ok "$label: each side checked the other's challenge response" ||
	    bad "$label: authentication not verified both ways"
	[ "$(field "$TMP/lac.$label" calls_up)" = 1 ] && [ "$(field "$TMP/lns.$label" calls_up)" = 1 ] &&
	    ok "$label: call established both ends" || bad "$label: no call"
	h=$(field "$TMP/lac.$label" hellos_out)
	[ "${h:-0}" -ge 2 ] && [ "$(field "$TMP/lac.$label" retransmits)" = 0 ] &&
	    ok "$label: $h Hellos, all acked at once" || bad "$label: Hellos ${h:-0}, retransmits"
	grep -qF "peer=$peer" "$TMP/lac.$label" &&
	    ok "$label: the LNS answered from $peer" || bad "$label: peer address"
}

run_pair v6 ::1 '[::1]:0'
run_pair v4 127.0.0.1 127.0.0.1:0

if [ $fail -ne 0 ]; then
	for f in "$TMP"/*; do echo "== $f"; tail -n 30 "$f"; done
	echo "t_interop_self: $fail failed"
	exit 1
fi
echo "t_interop_self: all passed"
