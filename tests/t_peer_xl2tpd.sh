#!/bin/sh
# t_peer_xl2tpd.sh: tests/peers/xl2tpd.sh brings two real xl2tpd peers (RFC 2661 LAC and LNS) up on loopback, drives a call and stops them cleanly.
#
# Ephemeral ports (--port 0), so it runs beside other tests.  Skips (77)
# without xl2tpd: scripts/setup.sh --test installs it.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
PEER="$SRCDIR/tests/peers/xl2tpd.sh"
[ -x /usr/sbin/xl2tpd ] || { echo "t_peer_xl2tpd: SKIP: no xl2tpd (scripts/setup.sh --test)"; exit 77; }

fail=0
LNS="" LAC=""
cleanup() {
	[ -z "$LAC" ] || sh "$PEER" stop "$LAC" --term
	[ -z "$LNS" ] || sh "$PEER" stop "$LNS" --term
}
trap cleanup EXIT
trap 'exit 1' INT TERM
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

# start VAR ARGS: start a peer, keep its assignments with VAR_ prefix
out=$(sh "$PEER" start --role lns --port 0 --host lns.test \
    --secret t-secret-1) || { echo "FAIL: LNS did not start"; exit 1; }
eval "$out"
LNS=$XL2TPD_DIR LNS_PID=$XL2TPD_PID LNS_PORT=$XL2TPD_PORT
case $LNS_PORT in ''|0|*[!0-9]*) bad "LNS port '$LNS_PORT'" ;; *) ok "LNS listens on 127.0.0.1:$LNS_PORT" ;; esac
ss -H -u -l -n | grep -q "127.0.0.1:$LNS_PORT " && ok "kernel shows the LNS socket" ||
    bad "no UDP socket 127.0.0.1:$LNS_PORT"

# xl2tpd itself would share the port (SO_REUSEADDR): the script refuses
if out=$(sh "$PEER" start --role lns --port "$LNS_PORT" 2>"${TMPDIR:-/tmp}/t_peer.$$"); then
	bad "a second LNS on 127.0.0.1:$LNS_PORT was started"
	eval "$out"
	sh "$PEER" stop "$XL2TPD_DIR" --term
elif grep -q "is in use" "${TMPDIR:-/tmp}/t_peer.$$"; then
	ok "a second LNS on the same port is refused"
else
	bad "second LNS: $(cat "${TMPDIR:-/tmp}/t_peer.$$")"
fi
rm -f "${TMPDIR:-/tmp}/t_peer.$$"

out=$(sh "$PEER" start --role lac --port 0 --host lac.test \
    --lns "127.0.0.1:$LNS_PORT" --secret t-secret-1 --open call) ||
    { echo "FAIL: LAC did not start"; exit 1; }
eval "$out"
LAC=$XL2TPD_DIR LAC_PID=$XL2TPD_PID

sh "$PEER" wait "$LAC" 'Connection established' 10 &&
    ok "tunnel up with mutual authentication" || bad "no tunnel"
sh "$PEER" wait "$LNS" "hostname_avp: peer reports hostname 'lac.test'" 5 &&
    ok "LNS saw the LAC's Host Name" || bad "LNS log lacks the LAC's Host Name"
sh "$PEER" wait "$LAC" 'call_close|Connection closed to [0-9.]+, serial' 10 &&
    ok "call set up and cleared (pppd exited at once)" || bad "no CDN"
# The LAC's own log, not the LNS's: when both ends sent a CDN, xl2tpd's
# cleared-call ZLB bug (tests/data/README.md) can make the LNS drop the
# StopCCN as out of order.
if sh "$PEER" close "$LAC" &&
    sh "$PEER" wait "$LAC" 'Connection [0-9]+ closed to .*[(]Goodbye!' 10; then
	ok "StopCCN through the control FIFO"
else
	bad "no StopCCN 'Goodbye!'"
	echo "--- LAC log (tail)"; sh "$PEER" log "$LAC" | tail -n 25
	echo "--- LNS log (tail)"; sh "$PEER" log "$LNS" | tail -n 25
fi

sh "$PEER" stop "$LAC"
sh "$PEER" stop "$LNS"
for p in $LAC_PID $LNS_PID; do
	kill -0 "$p" 2>/dev/null && bad "xl2tpd $p still runs" || ok "xl2tpd $p stopped"
done
[ ! -e "$LAC" ] && [ ! -e "$LNS" ] && ok "directories removed" || bad "directories left"
LAC="" LNS=""

# bad input: one clear line, exit 1, nothing left running
for args in "--role lns --addr 10.1.2.3" "--role lxx" "--role lac --open tunnel --lns 127.0.0.1:1800" \
    "--role lns --secret a#b" "--role lns --port 70000" "--role lns --bogus 1" "--role lns --challenge yes"; do
	# shellcheck disable=SC2086
	if msg=$(sh "$PEER" start $args 2>&1 >/dev/null); then
		bad "start $args was accepted"
	elif [ "$(printf '%s\n' "$msg" | wc -l)" = 1 ] && printf '%s' "$msg" | grep -q '^xl2tpd.sh: '; then
		ok "start $args: $msg"
	else
		bad "start $args: unclear error: $msg"
	fi
done
sh "$PEER" stop /nonexistent 2>/dev/null && bad "stop of a non-peer dir succeeded" || ok "stop checks its directory"

echo "t_peer_xl2tpd: $fail failed"
[ "$fail" = 0 ]
