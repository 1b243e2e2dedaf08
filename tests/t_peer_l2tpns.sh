#!/bin/sh
# t_peer_l2tpns.sh: l2tpsh as LAC against a real LNS with its own PPP (l2tpns) and RADIUS (freeradius) in a network namespace: tunnel auth both ways, a call, l2tpns's LCP Configure-Request; every rig user checked with radtest.
#
# The rig is tests/peers/l2tpns.sh; this file runs twice inside it, once
# per radius_authtypes order ("chap,pap", then "pap,chap"), as
# "t_peer_l2tpns.sh --in-rig".  Each case is a function (case_*), run in
# the order of CASES (the bare call's LCP, then PPP logins, a wrong
# password, keepalives).  Every wait is bounded; the rig's logs and capture
# are printed on failure.  Skips (77) when not root or without l2tpns,
# freeradius or radtest (scripts/setup.sh --test installs them).
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
BUILDDIR=${BUILDDIR:-$SRCDIR/build}
L2TPSH=${L2TPSH:-$BUILDDIR/l2tpsh}
RIG="$SRCDIR/tests/peers/l2tpns.sh"
ME=t_peer_l2tpns

ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
has() { grep -Eq -- "$2" "$1"; }

# facts FILE: l2tpsh's JSON lines in FILE (tunnel list, session list,
# statistics, in that order) as shell assignments to eval: TSTATE TAUTH
# TNAME TID, NSESS SSTATE STYPE SID, DATA_IN.  One python3 per run: its
# start costs a second on a loaded machine.
facts() {
	python3 - "$1" <<'EOF'
import json, shlex, sys
tun, sess, stats = [], [], {}
for line in open(sys.argv[1]):
    if line[:1] == "{":
        stats = json.loads(line)
    elif line[:1] == "[":
        (sess if tun else tun).append(json.loads(line))
t = tun[0][0] if tun and tun[0] else {}
s = sess[0] if sess else []
f = {"TSTATE": t.get("state", ""), "TAUTH": t.get("authenticated", ""),
     "TNAME": t.get("remote_name", ""), "TID": t.get("local_tid", ""),
     "NSESS": len(s), "SSTATE": s[0]["state"] if s else "",
     "STYPE": s[0]["type"] if s else "", "SID": s[0]["local_sid"] if s else "",
     "DATA_IN": stats.get("data_in", 0)}
for k, v in f.items():
    print("%s=%s" % (k, shlex.quote(str(v))))
EOF
}

# wait_log FILE ERE SECS: bounded poll, 0.1 s steps
wait_log() {
	n=$(($3 * 10))
	while [ "$n" -gt 0 ]; do
		grep -Eq -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

# lac SCRIPT OUT: l2tpsh as LAC, the tunnel secret and challenge set, the
# tunnel up, then SCRIPT; stdout to OUT, stderr to OUT.err.  Bounded by
# timeout(1) beyond the waits the script holds.
lac() {
	timeout 40 "$L2TPSH" -c "set secret $LNS_SECRET; set challenge on;
	    lac connect $LNS_ADDR port $LNS_PORT; wait established timeout 10;
	    display l2tp tunnel json; $1" >"$2" 2>"$2.err"
}

# --- cases, run inside the rig ----------------------------------------

# radtest USER PW pap|chap OUT: one Access-Request straight to freeradius
rt() {
	timeout 20 radtest -t "$3" "$1" "$2" "$RADIUS_ADDR" 0 "$RADIUS_SECRET" \
	    >"$4" 2>&1
}

# Every user of the rig against freeradius directly, no l2tpns: proves the
# RADIUS side that l2tpns's PAP and CHAP go through.
case_radius_users() {
	o=$T/radtest
	rt "$RIG_CHAP_USER" "$RIG_CHAP_PW" chap "$o.1" &&
	    has "$o.1" "Received Access-Accept" &&
	    has "$o.1" "Reply-Message = \"CHAP accepted for $RIG_CHAP_USER\"" &&
	    ok "radius: $RIG_CHAP_USER accepted with CHAP" ||
	    bad "radius: $RIG_CHAP_USER with CHAP: $(cat "$o.1")"
	rt "$RIG_CHAP_USER" "$RIG_CHAP_PW" pap "$o.2"
	has "$o.2" "Received Access-Reject" &&
	    ok "radius: $RIG_CHAP_USER rejected with PAP (bound to CHAP)" ||
	    bad "radius: $RIG_CHAP_USER with PAP: $(cat "$o.2")"
	rt "$RIG_PAP_USER" "$RIG_PAP_PW" pap "$o.3" &&
	    has "$o.3" "Received Access-Accept" &&
	    ok "radius: $RIG_PAP_USER accepted with PAP" ||
	    bad "radius: $RIG_PAP_USER with PAP: $(cat "$o.3")"
	rt "$RIG_PAP_USER" "$RIG_PAP_PW" chap "$o.4"
	has "$o.4" "Received Access-Reject" &&
	    ok "radius: $RIG_PAP_USER rejected with CHAP (bound to PAP)" ||
	    bad "radius: $RIG_PAP_USER with CHAP: $(cat "$o.4")"
	for a in pap chap; do
		rt "$RIG_IP_USER" "$RIG_IP_PW" $a "$o.5$a" &&
		    has "$o.5$a" "Received Access-Accept" &&
		    has "$o.5$a" "Framed-IP-Address = $RIG_IP_ADDR" &&
		    ok "radius: $RIG_IP_USER ($a) gets Framed-IP-Address $RIG_IP_ADDR" ||
		    bad "radius: $RIG_IP_USER with $a: $(cat "$o.5$a")"
	done
	rt "$RIG_MSG_USER" "$RIG_MSG_PW" chap "$o.6" &&
	    has "$o.6" "Reply-Message = \"$RIG_MSG\"" &&
	    ok "radius: $RIG_MSG_USER gets its Reply-Message" ||
	    bad "radius: $RIG_MSG_USER: $(cat "$o.6")"
	rt "$RIG_MSG_USER" "wrong-$RIG_MSG_PW" pap "$o.7"
	has "$o.7" "Received Access-Reject" &&
	    ok "radius: a wrong password is rejected" ||
	    bad "radius: wrong password: $(cat "$o.7")"
	# freeradius's own account of them (its -X log)
	n=$(grep -c 'Sent Access-Accept' "$RADIUS_LOG")
	m=$(grep -c 'Sent Access-Reject' "$RADIUS_LOG")
	[ "$n" = 5 ] && [ "$m" = 3 ] &&
	    ok "freeradius logged 5 accepts and 3 rejects" ||
	    bad "freeradius logged $n accepts and $m rejects, not 5 and 3"
}

# The tunnel with the secret, challenges both ways, then one incoming
# call: l2tpns makes the session and starts LCP at once with its
# Configure-Request (MRU 1462, the first of radius_authtypes, a magic).
case_call_lcp() {
	o=$T/lac-call
	lac "set ppp state off; call open; wait 2; display l2tp session json;
	    display l2tp statistics json" "$o"
	rc=$?
	[ $rc = 0 ] && ok "l2tpsh script ran (exit 0)" ||
	    bad "l2tpsh exit $rc: $(cat "$o.err")"
	eval "$(facts "$o")"
	tid=$TID sid=$SID
	# our side: the tunnel, then the call
	[ "$TSTATE" = established ] && [ "$TAUTH" = True ] &&
	    ok "tunnel established, l2tpns's Challenge Response right" ||
	    bad "tunnel not established/authenticated: $(cat "$o" "$o.err")"
	[ "$TNAME" = "$LNS_NAME" ] && ok "l2tpns's Host Name is $LNS_NAME" ||
	    bad "remote_name '$TNAME', not $LNS_NAME"
	[ "$NSESS" = 1 ] && [ "$SSTATE" = established ] && [ "$STYPE" = incoming ] &&
	    ok "incoming call $sid established (ICRQ, ICRP, ICCN)" ||
	    bad "no established call: $(cat "$o")"
	# l2tpns's side
	has "$LNS_LOG" 'Received SCCCN|Received SCCN' &&
	    ok "l2tpns accepted our SCCCN (our response to its challenge)" ||
	    bad "l2tpns never got a good SCCCN"
	has "$LNS_LOG" "New session \\($tid/$sid\\)" &&
	    ok "l2tpns logs the session for our tunnel $tid, session $sid" ||
	    bad "l2tpns has no session $tid/$sid"
	has "$LNS_LOG" 'Received ICCN' && ok "l2tpns received our ICCN" ||
	    bad "l2tpns logged no ICCN"
	case $LNS_AUTHTYPES in
	chap*) want=CHAP cap='Authentication-Protocol 0xc223 0x5 \(CHAP MD5\)' dec='auth CHAP/MD5' ;;
	*) want=PAP cap='Authentication-Protocol 0xc023 \(PAP\)' dec='auth PAP' ;;
	esac
	has "$LNS_LOG" "LCP: send ConfigReq \\($want\\)" &&
	    ok "l2tpns sent its LCP Configure-Request asking $want" ||
	    bad "no LCP ConfigReq ($want) in l2tpns's log"
	has "$LNS_LOG" 'Maximum-Receive-Unit 1462' && has "$LNS_LOG" "$cap" &&
	    ok "its options: MRU 1462, $want ($LNS_AUTHTYPES)" ||
	    bad "l2tpns's ConfigReq options not as expected"
	# it reached us: l2tpsh counted the data message, and the capture of
	# the namespace's lo, decoded by l2tpsh itself, shows it on our session
	[ "$DATA_IN" -ge 1 ] && ok "l2tpsh received $DATA_IN data message(s)" ||
	    bad "l2tpsh counted no data message"
	if [ -n "$RIG_CAPTURE" ]; then
		"$L2TPSH" -r "$RIG_CAPTURE" >"$o.pcap.txt" 2>&1
		has "$o.pcap.txt" "L2TPv2 data tunnel $tid session $sid: PPP LCP Configure-Request id 1 <mru 1462, $dec, magic 0x" &&
		    ok "captured: LCP Configure-Request on tunnel $tid session $sid" ||
		    bad "the capture lacks the LCP Configure-Request: $(cat "$o.pcap.txt")"
	fi
	echo "--- l2tpns after our ICCN:"
	sed -n '/Received ICCN/,$p' "$LNS_LOG" |
	    grep -Ev 'regular cleanup|heartbeat|Cluster send' | head -n 14
}

# A wrong tunnel secret: l2tpns's Challenge Response fails our check, we
# clear the tunnel with StopCCN result 4 and l2tpns takes it.
case_wrong_secret() {
	o=$T/lac-wrong
	timeout 30 "$L2TPSH" -c "debugging l2tp event; set secret wrong-$LNS_SECRET;
	    set challenge on; lac connect $LNS_ADDR port $LNS_PORT; wait 2;
	    display l2tp tunnel json" >"$o" 2>"$o.err"
	has "$o" "auth: .*Challenge Response in SCCRP is wrong" &&
	    ok "wrong secret: l2tpns's response reported wrong" ||
	    bad "wrong secret not reported: $(cat "$o" "$o.err")"
	has "$o" 'sending StopCCN result 4' && ok "we sent StopCCN result 4" ||
	    bad "no StopCCN result 4"
	! grep -q '"state":"established"' "$o" &&
	    ok "the tunnel never came up" || bad "established with a wrong secret"
	wait_log "$LNS_LOG" 'Error String: challenge response in SCCRP is wrong' 5 &&
	    ok "l2tpns received our StopCCN with its reason" ||
	    bad "l2tpns logged no StopCCN result 4"
}

# A subscriber logs in through l2tpns and RADIUS: the user of the first of
# radius_authtypes (CHAP or PAP), IPCP gives an address from the pool (or
# RADIUS's Framed-IP-Address for the IP user) and l2tpns's DNS; a ping to
# the LNS's tun address through the session gets its replies.
ppp_login() { # USER PW WANT_ADDR_ERE
	o=$T/ppp-$1
	lac "set ppp user $1 password $2; call open;
	    wait session-up timeout 20; display l2tp session json;
	    ping $LNS_TUN_ADDR count 3 interval 300" "$o"
	rc=$?
	[ $rc = 0 ] && ok "$1: session up, ping answered (exit 0)" ||
	    bad "$1: exit $rc: $(cat "$o" "$o.err")"
	has "$o" "\"result\":\"success\"" &&
	    ok "$1: authenticated by l2tpns ($LNS_AUTHTYPES)" ||
	    bad "$1: not authenticated: $(cat "$o")"
	has "$o" "\"ipcp\":\\{\"state\":\"opened\",\"local\":\"$3\"" &&
	    ok "$1: IPCP address $(grep -o '"local":"[0-9.]*"' "$o" | head -1)" ||
	    bad "$1: IPCP address not $3: $(cat "$o")"
	has "$o" "\"dns\":\\[\"$LNS_DNS\"" &&
	    ok "$1: DNS $LNS_DNS from l2tpns" || bad "$1: no DNS $LNS_DNS"
	has "$o" "3 packets transmitted, [1-3] received" &&
	    ok "$1: ping $LNS_TUN_ADDR answered through the session" ||
	    bad "$1: ping not answered: $(cat "$o")"
}

case_ppp_login() {
	case $LNS_AUTHTYPES in
	chap*) ppp_login "$RIG_CHAP_USER" "$RIG_CHAP_PW" '[0-9.]+' ;;
	*) ppp_login "$RIG_PAP_USER" "$RIG_PAP_PW" '[0-9.]+' ;;
	esac
	ppp_login "$RIG_IP_USER" "$RIG_IP_PW" "$RIG_IP_ADDR"
}

# Keepalives: 35 s with our LCP echoes every 10 s, l2tpns answering; the
# session is still up afterwards.
case_ppp_echo() {
	o=$T/ppp-echo
	lac "set ppp user $RIG_CHAP_USER password $RIG_CHAP_PW; call open;
	    wait session-up timeout 20; wait 35; display l2tp session json" "$o"
	has "$o" '"ipcp":\{"state":"opened"' &&
	    ok "echo: IPCP still opened 35 s later" ||
	    bad "echo: the session did not stay up: $(cat "$o" "$o.err")"
	n=$(sed -n 's/.*"echo":{"sent":\([0-9]*\),"received":\([0-9]*\).*/\2/p' "$o" | tail -n 1)
	[ "${n:-0}" -ge 3 ] && ok "echo: l2tpns answered $n LCP echoes" ||
	    bad "echo: l2tpns answered ${n:-no} echoes: $(cat "$o")"
}

# A wrong password: the call is cleared and wait session-up names why.
case_ppp_wrong_password() {
	o=$T/ppp-wrong
	lac "set ppp user $RIG_MSG_USER password wrong-$RIG_MSG_PW; call open;
	    wait session-up timeout 20" "$o"
	# l2tpns sends no CHAP Failure: RADIUS's reject ends in a CDN
	# result 3 with no message, which we say, with where PPP was.
	has "$o.err" "wait session-up: session [0-9]+ was cleared \\(result 3\\); PPP: cleared while authenticating" &&
	    ok "wrong password: $(grep -o 'wait session-up.*' "$o.err" | head -1)" ||
	    bad "wrong password not named: $(cat "$o" "$o.err")"
}

in_rig() {
	fail=0
	T=$(mktemp -d "${TMPDIR:-/tmp}/$ME.XXXXXX") || exit 1
	trap 'rm -rf -- "$T"' EXIT
	echo "== rig: radius_authtypes $LNS_AUTHTYPES, cases: $CASES"
	for c in $CASES; do
		s0=$(date +%s)
		"case_$c"
		echo "-- case $c: $(($(date +%s) - s0)) s"
	done
	exit $((fail > 0))
}

# --- driver -----------------------------------------------------------

if [ "${1:-}" = --in-rig ]; then
	in_rig
fi

[ "$(id -u)" = 0 ] || { echo "$ME: SKIP: needs root (network namespace)"; exit 77; }
for b in /usr/sbin/l2tpns /usr/sbin/freeradius /usr/bin/radtest; do
	[ -x "$b" ] || { echo "$ME: SKIP: no $b (scripts/setup.sh --test)"; exit 77; }
done
[ -c /dev/net/tun ] || { echo "$ME: SKIP: no /dev/net/tun"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "$ME: SKIP: no python3"; exit 77; }
[ -x "$L2TPSH" ] || { echo "$ME: SKIP: $L2TPSH not built"; exit 77; }

KEEP=$(mktemp -d "${TMPDIR:-/tmp}/$ME-logs.XXXXXX") || exit 1
trap 'rm -rf -- "$KEEP"' EXIT
trap 'exit 1' INT TERM
total=0
# run AUTHTYPES CASES...: one rig, the cases inside it
run() {
	a=$1
	shift
	k=$KEEP/${a%,*}
	s0=$(date +%s)
	L2TPSH=$L2TPSH CASES="$*" sh "$RIG" --authtypes "$a" --capture \
	    --timeout 90 --keep "$k" -- sh "$0" --in-rig
	rc=$?
	echo "-- rig $a: $(($(date +%s) - s0)) s in all"
	if [ $rc = 77 ]; then
		echo "$ME: SKIP: the rig cannot run here"
		exit 77
	fi
	if [ $rc != 0 ]; then
		total=$((total + 1))
		echo "--- rig $a failed (exit $rc); l2tpns's log (last 40 lines):"
		grep -Ev 'regular cleanup|heartbeat|Cluster send' "$k/lns.log" 2>/dev/null | tail -n 40
		echo "--- freeradius's log (last 20 lines):"
		tail -n 20 "$k/radius.log" 2>/dev/null
		[ ! -f "$k/capture.pcap" ] || "$L2TPSH" -r "$k/capture.pcap"
	fi
}
run chap,pap radius_users call_lcp wrong_secret ppp_login ppp_wrong_password \
    ppp_echo
run pap,chap call_lcp ppp_login
[ $total = 0 ] && echo "$ME: all passed" || echo "$ME: $total rig run(s) failed"
exit $((total > 0))
