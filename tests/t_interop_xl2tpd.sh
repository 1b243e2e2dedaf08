#!/bin/sh
# t_interop_xl2tpd.sh: the engine against a real xl2tpd on loopback, as LAC (auth both ways, a call, Hellos, StopCCN; wrong secrets) and as LNS (RFC 2661).
#
# Ephemeral ports only, every wait bounded (20 s and more: a loaded
# machine running the sanitizer build must not make it flake), xl2tpd
# stopped by its pid
# (tests/peers/xl2tpd.sh).  Skips (77) without xl2tpd or the driver.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
BUILDDIR=${BUILDDIR:-$SRCDIR/build}
PEER="$SRCDIR/tests/peers/xl2tpd.sh"
DRV="$BUILDDIR/tests/engine_peer"
[ -x /usr/sbin/xl2tpd ] || { echo "t_interop_xl2tpd: SKIP: no xl2tpd (scripts/setup.sh --test)"; exit 77; }
[ -x "$DRV" ] || { echo "t_interop_xl2tpd: SKIP: $DRV not built"; exit 77; }
[ -f "$PEER" ] || { echo "t_interop_xl2tpd: SKIP: no $PEER"; exit 77; }

fail=0
X="" DRVPID=""
TMP=$(mktemp -d "${TMPDIR:-/tmp}/t_interop.XXXXXX") || exit 1
cleanup() {
	[ -z "$DRVPID" ] || kill "$DRVPID" 2>/dev/null
	[ -z "$X" ] || sh "$PEER" stop "$X" --term
	rm -rf -- "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
# has FILE ERE: the file matches
has() { grep -Eq -- "$2" "$1"; }
# field FILE KEY: a value from the SUMMARY line
field() { sed -n "s/^SUMMARY.* $2=\([^ ]*\).*/\1/p" "$1"; }

start_lns() { # ARGS...: xl2tpd as LNS, sets X and XPORT
	out=$(sh "$PEER" start --role lns --port 0 --host lns.test "$@") ||
	    { bad "xl2tpd LNS did not start"; return 1; }
	eval "$out"
	X=$XL2TPD_DIR XPORT=$XL2TPD_PORT
}
stop_x() {
	[ -z "$X" ] || cp "$X/xl2tpd.log" "$TMP/xl2tpd.log" 2>/dev/null
	[ -z "$X" ] || sh "$PEER" stop "$X"
	X=""
}

# 1. Our LAC, challenges both ways, one call, Hellos every 2 s, StopCCN.
if start_lns --secret interop-1 --rws 8; then
	timeout 60 "$DRV" --role lac --peer "127.0.0.1:$XPORT" \
	    --secret interop-1 --hello 2 --call --run 7 --timeout 45 \
	    >"$TMP/lac1" 2>&1
	rc=$?
	stop_x
	[ $rc = 0 ] && ok "LAC run ended with our StopCCN acknowledged" ||
	    bad "LAC run exit $rc"
	has "$TMP/lac1" "auth .*LNS's \(lns.test\) Challenge Response in SCCRP is right" &&
	    ok "xl2tpd answered our challenge" || bad "no good response from xl2tpd"
	has "$TMP/xl2tpd.log" 'Connection established' &&
	    ok "xl2tpd accepted our answer to its challenge" || bad "xl2tpd never established"
	[ "$(field "$TMP/lac1" established)" = 1 ] && ok "tunnel established" || bad "not established"
	[ "$(field "$TMP/lac1" peer_window)" = 8 ] && ok "xl2tpd's Receive Window Size 8 taken" ||
	    bad "peer window $(field "$TMP/lac1" peer_window), not 8"
	has "$TMP/lac1" 'msg-in .* ICRP ' && has "$TMP/lac1" 'msg-out .* ICCN ' &&
	    ok "call: ICRQ, ICRP, ICCN" || bad "call not set up"
	[ "$(field "$TMP/lac1" cdn_in)" = 1 ] && ok "xl2tpd's CDN handled" || bad "no CDN seen"
	h=$(field "$TMP/lac1" hellos_out)
	[ "${h:-0}" -ge 3 ] && ok "$h Hellos sent" || bad "only ${h:-0} Hellos"
	n=$(grep -c 'message type 6 (Hello)' "$TMP/xl2tpd.log")
	[ "$n" -ge 3 ] && ok "xl2tpd got $n Hellos" || bad "xl2tpd logged $n Hellos"
	[ "$(field "$TMP/lac1" retransmits)" = 0 ] && [ "$(field "$TMP/lac1" unacked)" = 0 ] &&
	    ok "every Hello and the StopCCN acked, no retransmission" ||
	    bad "retransmissions or unacked messages"
	has "$TMP/xl2tpd.log" 'peer closing for reason 1 .*engine_peer done' &&
	    ok "xl2tpd took our StopCCN" || bad "xl2tpd did not log our StopCCN"
	# Hellos 2 s apart, by our clock
	awk '/msg-out .* HELLO /{ if (p && ($2 - p < 1900 || $2 - p > 3500)) bad=1; p=$2 } END { exit bad }' \
	    "$TMP/lac1" && ok "Hellos every 2 s" || bad "Hello spacing off"
fi

# 2. Wrong secret, we challenge: xl2tpd's response fails our check.
if start_lns --secret interop-2; then
	timeout 40 "$DRV" --role lac --peer "127.0.0.1:$XPORT" --secret wrong \
	    --run 1 --timeout 20 >"$TMP/lac2" 2>&1
	sh "$PEER" wait "$X" 'peer closing for reason' 20 >/dev/null 2>&1
	stop_x
	has "$TMP/lac2" "auth .*Challenge Response in SCCRP is wrong" &&
	    ok "wrong secret: we report the LNS's response wrong" || bad "no auth failure event"
	has "$TMP/lac2" 'sending StopCCN result 4' && ok "we sent StopCCN result 4" ||
	    bad "no StopCCN 4"
	has "$TMP/xl2tpd.log" 'peer closing for reason 4' &&
	    ok "xl2tpd reports the StopCCN result 4" || bad "xl2tpd did not see result 4"
	[ "$(field "$TMP/lac2" established)" = 0 ] && ok "never established" || bad "established with a wrong secret"
fi

# 3. Wrong secret, only xl2tpd challenges: it rejects our response.
if start_lns --secret interop-3; then
	timeout 40 "$DRV" --role lac --peer "127.0.0.1:$XPORT" --secret wrong \
	    --challenge off --run 1 --timeout 20 >"$TMP/lac3" 2>&1
	sh "$PEER" wait "$X" 'Invalid authentication' 20 >/dev/null 2>&1
	stop_x
	has "$TMP/xl2tpd.log" 'Invalid authentication' &&
	    ok "xl2tpd reports our response wrong" || bad "xl2tpd did not reject us"
	has "$TMP/lac3" 'auth .*rejected our Challenge Response' &&
	    ok "we report the rejection" || bad "no rejection event"
fi

# 5 (before 4's LNS). xl2tpd's "hidden bit": a Random Vector in its
# messages, nothing hidden; accepted as it is.
if start_lns --secret interop-5 --hidden yes; then
	timeout 40 "$DRV" --role lac --peer "127.0.0.1:$XPORT" \
	    --secret interop-5 --run 1 --timeout 20 >"$TMP/lac5" 2>&1
	rc=$?
	stop_x
	[ $rc = 0 ] && [ "$(field "$TMP/lac5" established)" = 1 ] &&
	    ok "Random Vector in xl2tpd's messages accepted" ||
	    bad "hidden bit: exit $rc"
	! grep -q 'hidden' "$TMP/lac5" && ok "no hidden-AVP complaint" ||
	    bad "hidden-AVP events with xl2tpd's Random Vector"
fi

# 4. An xl2tpd LAC dials our LNS: tunnel with auth both ways, a call,
# its CDN and its StopCCN.
timeout 60 "$DRV" --role lns --secret interop-4 --timeout 45 >"$TMP/lns4" 2>&1 &
DRVPID=$!
n=200
while [ $n -gt 0 ] && ! grep -q '^BOUND ' "$TMP/lns4" 2>/dev/null; do
	kill -0 "$DRVPID" 2>/dev/null || break
	sleep 0.1
	n=$((n - 1))
done
PORT=$(sed -n 's/^BOUND //p' "$TMP/lns4")
if [ -n "$PORT" ] && out=$(sh "$PEER" start --role lac --port 0 --host lac.test \
    --secret interop-4 --lns "127.0.0.1:$PORT" --open call); then
	eval "$out"
	X=$XL2TPD_DIR
	sh "$PEER" wait "$X" 'call_close|disconnected' 20 ||
	    bad "xl2tpd LAC never cleared its call"
	sh "$PEER" close "$X"
	n=200
	while [ $n -gt 0 ] && kill -0 "$DRVPID" 2>/dev/null; do sleep 0.1; n=$((n - 1)); done
	wait "$DRVPID"
	rc=$?
	DRVPID=""
	stop_x
	[ $rc = 0 ] && ok "LNS run ended after the peer's StopCCN" || bad "LNS exit $rc"
	has "$TMP/lns4" "LAC's \(lac.test\) Challenge Response in SCCCN is right" &&
	    ok "xl2tpd LAC answered our challenge" || bad "no good SCCCN response"
	has "$TMP/lns4" 'incoming call\): wait-connect -> established' &&
	    ok "incoming call established" || bad "no call"
	has "$TMP/lns4" 'peer sent CDN' && ok "xl2tpd's CDN handled" || bad "no CDN"
	has "$TMP/lns4" 'peer sent StopCCN result 1 .*Goodbye' &&
	    ok "xl2tpd's StopCCN acked" || bad "no StopCCN from xl2tpd"
	has "$TMP/xl2tpd.log" 'Connection established' && ok "xl2tpd LAC established" ||
	    bad "xl2tpd LAC not established"
else
	bad "LNS driver or xl2tpd LAC did not start"
fi

if [ $fail -ne 0 ]; then
	for f in "$TMP"/lac* "$TMP"/lns* "$TMP/xl2tpd.log"; do
		[ -f "$f" ] && { echo "== $f"; tail -n 40 "$f"; }
	done
	echo "t_interop_xl2tpd: $fail failed"
	exit 1
fi
echo "t_interop_xl2tpd: all passed"
