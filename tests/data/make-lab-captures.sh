#!/bin/sh
# make-lab-captures.sh: record real RFC 2661 exchanges between two xl2tpd daemons on loopback as test captures.
#
# usage: sh tests/data/make-lab-captures.sh [-o DIR] [NAME...]
#
# Runs two Debian xl2tpd daemons (tests/peers/xl2tpd.sh): the LNS on
# 127.0.0.1, the LAC on 127.0.0.2, and records `lo` with tcpdump (capture
# filter "udp port 1701", or the ports a case uses) into DIR (default: the
# directory of this script).  Every wait is bounded.  Run it while no
# other L2TP test runs: the capture records whatever uses those ports.  Needs root (tcpdump
# on lo), xl2tpd, tcpdump and, for the pcapng case, dumpcap.  NAMEs pick
# cases (default: all):
#
#   peer-absent   a LAC whose SCCRQ nobody answers: sent at 0, 1, 3, 7, 15 s
#                 (backoff 1, 2, 4, 8 s); 16 s later xl2tpd gives up with a
#                 StopCCN "Timeout" (about 35 s in all)
#   call          a call opened and cleared: ICRQ/ICRP/ICCN then CDN (pppd
#                 exits at once), then StopCCN "Goodbye!"
#   sigint        a tunnel (no call), then the LNS stopped by SIGINT:
#                 StopCCN "Server closing", acked by the LAC
#   sigint-call   the same after a call and its CDNs: the LAC discards the
#                 StopCCN as out of order (xl2tpd's cleared-call ZLB bug)
#   badsecret-lns the LNS challenges and finds the LAC's SCCCN response
#                 wrong (the lab's other badsecret capture is the reverse)
#   hidden        "hidden bit = yes": a Random Vector AVP in each message
#   hello         a tunnel kept up 65 s: both ends send Hello after 60 s
#   port1705      another UDP port (LNS 1705, LAC 1706), written as pcapng
#
# It takes about 2.5 minutes (peer-absent about 35 s, hello about 67 s, the
# rest a few seconds each), so the test suite does not run it; the
# captures it made are checked in beside it (README.md says what each
# shows).  Re-running it gives new ids, challenges and times: golden files
# then need tests/golden/regen.sh and a review.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
PEER="$HERE/../peers/xl2tpd.sh"
OUT=$HERE
SECRET=lab-secret-1701
WRONG=wrong-secret-42

die() { echo "make-lab-captures: $*" >&2; exit 1; }

if [ "${1:-}" = -o ]; then
	[ $# -ge 2 ] || die "-o needs a directory"
	OUT=$2
	shift 2
fi
[ "$(id -u)" = 0 ] || die "needs root to capture on lo"
command -v tcpdump >/dev/null || die "tcpdump not found (apt-get install tcpdump)"
[ -x /usr/sbin/xl2tpd ] || die "xl2tpd not found (apt-get install xl2tpd)"
mkdir -p "$OUT" || die "cannot create $OUT"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/labcap.XXXXXX") || die "mktemp failed"
CAP_PID="" LNS="" LAC=""

cleanup() {
	[ -z "$LAC" ] || sh "$PEER" stop "$LAC" --term
	[ -z "$LNS" ] || sh "$PEER" stop "$LNS" --term
	[ -z "$CAP_PID" ] || cap_stop
	rm -rf -- "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# cap_start FILE FILTER [pcapng]: record lo until cap_stop (at most 120 s).
cap_start() {
	: >"$WORK/cap.err"
	if [ "${3:-}" = pcapng ]; then
		command -v dumpcap >/dev/null || die "dumpcap not found (apt-get install tshark)"
		timeout -s INT 120 dumpcap -q -i lo -f "$2" -w "$WORK/cap.tmp" \
		    2>"$WORK/cap.err" &
		ready='File:|Capturing on'
	else
		timeout -s INT 120 tcpdump -i lo -n -U -s 0 -w "$WORK/cap.tmp" "$2" \
		    2>"$WORK/cap.err" &
		ready='listening on'
	fi
	CAP_PID=$! CAP_FILE=$1
	n=50
	until grep -Eq "$ready" "$WORK/cap.err"; do
		n=$((n - 1))
		[ "$n" -gt 0 ] && kill -0 "$CAP_PID" 2>/dev/null ||
		    { cat "$WORK/cap.err" >&2; die "the capture did not start"; }
		sleep 0.1
	done
	sleep 0.3
}

cap_stop() {
	sleep 0.5 # let the last packets reach the file
	kill -INT "$CAP_PID" 2>/dev/null
	n=50
	while kill -0 "$CAP_PID" 2>/dev/null && [ "$n" -gt 0 ]; do
		sleep 0.1
		n=$((n - 1))
	done
	kill -0 "$CAP_PID" 2>/dev/null && kill -KILL "$CAP_PID" 2>/dev/null
	wait "$CAP_PID" 2>/dev/null
	CAP_PID=""
	mv "$WORK/cap.tmp" "$OUT/$CAP_FILE" || die "no capture written"
	chmod 0644 "$OUT/$CAP_FILE"
	echo "wrote $OUT/$CAP_FILE"
}

# start VAR ARGS...: start a peer and keep its directory in VAR.
start() {
	var=$1
	shift
	out=$(sh "$PEER" start "$@") || die "xl2tpd would not start: $*"
	eval "$out"
	eval "$var=\$XL2TPD_DIR"
}

# waitfor DIR ERE SECS: the log must show ERE in time.
waitfor() {
	sh "$PEER" wait "$1" "$2" "$3" || {
		sh "$PEER" log "$1" | tail -n 20 >&2
		die "timed out waiting for '$2'"
	}
}

stop_both() {
	[ -z "$LAC" ] || sh "$PEER" stop "$LAC" "$@"
	LAC=""
	[ -z "$LNS" ] || sh "$PEER" stop "$LNS" "$@"
	LNS=""
}

lns() { start LNS --role lns --addr 127.0.0.1 --host lns.lab "$@"; }
lac() { start LAC --role lac --addr 127.0.0.2 --host lac.lab "$@"; }

case_peer_absent() {
	cap_start xl2tpd-peer-absent.pcap 'udp port 1701'
	lac --secret "$SECRET" --lns 127.0.0.1:1701 --open call
	waitfor "$LAC" 'Maximum retries exceeded' 45
	sleep 1
	stop_both --term
	cap_stop
}

case_call() {
	cap_start xl2tpd-call.pcap 'udp port 1701'
	lns
	lac --open call
	waitfor "$LAC" 'Disconnecting call|Connection [0-9]+ closed|call_close' 10
	sleep 1
	sh "$PEER" close "$LAC"
	waitfor "$LAC" 'Connection [0-9]+ closed|closing down tunnel' 10
	sleep 1
	stop_both --term
	cap_stop
}

case_sigint() {
	cap_start xl2tpd-sigint.pcap 'udp port 1701'
	lns
	lac --open tunnel # "t": no call, no tunnel authentication
	waitfor "$LAC" 'Connection established' 10
	sleep 1
	sh "$PEER" stop "$LNS" # SIGINT: StopCCN "Server closing"
	LNS=""
	waitfor "$LAC" 'Server closing' 10
	sleep 1
	stop_both --term
	cap_stop
}

case_sigint_call() {
	cap_start xl2tpd-sigint-call.pcap 'udp port 1701'
	lns --secret "$SECRET"
	lac --secret "$SECRET" --open call
	waitfor "$LAC" 'call_close|Connection closed to [0-9.]+, serial' 10
	sleep 1
	sh "$PEER" stop "$LNS" # SIGINT: StopCCN "Server closing"
	LNS=""
	# the LAC drops it: the LNS's ZLB for the cleared call advanced the
	# LAC's expected Ns (an xl2tpd bug the capture records)
	waitfor "$LAC" 'Server closing|out of order control packet' 10
	sleep 1
	stop_both --term
	cap_stop
}

case_badsecret_lns() {
	cap_start xl2tpd-badsecret-lns.pcap 'udp port 1701'
	lns --secret "$SECRET" --challenge yes
	lac --secret "$WRONG" --challenge no --open call
	waitfor "$LAC" 'Invalid challenge authentication' 10
	sleep 1
	stop_both --term
	cap_stop
}

case_hidden() {
	cap_start xl2tpd-hidden.pcap 'udp port 1701'
	lns --secret "$SECRET" --hidden yes
	lac --secret "$SECRET" --hidden yes --open call
	waitfor "$LAC" 'call_close|Connection closed to [0-9.]+, serial' 10
	sleep 1
	sh "$PEER" close "$LAC"
	waitfor "$LAC" 'Connection [0-9]+ closed|closing down tunnel' 10
	sleep 1
	stop_both --term
	cap_stop
}

case_hello() {
	cap_start xl2tpd-hello.pcap 'udp port 1701'
	lns --secret "$SECRET"
	lac --secret "$SECRET" --open call
	waitfor "$LAC" 'Connection established' 10
	sleep 65 # xl2tpd's Hello timer is 60 s
	sh "$PEER" close "$LAC"
	waitfor "$LAC" 'Connection [0-9]+ closed|closing down tunnel' 10
	sleep 1
	stop_both --term
	cap_stop
}

case_port1705() {
	cap_start xl2tpd-port1705.pcapng 'udp port 1705 or udp port 1706' pcapng
	lns --port 1705 --secret "$SECRET"
	lac --port 1706 --lns 127.0.0.1:1705 --secret "$SECRET" --open call
	waitfor "$LAC" 'call_close|Connection closed to [0-9.]+, serial' 10
	sleep 1
	sh "$PEER" close "$LAC"
	waitfor "$LAC" 'Connection [0-9]+ closed|closing down tunnel' 10
	sleep 1
	stop_both --term
	cap_stop
}

ALL="peer-absent call sigint sigint-call badsecret-lns hidden hello port1705"
[ $# -gt 0 ] || set -- $ALL
for c in "$@"; do
	case " $ALL " in *" $c "*) ;; *) die "unknown case $c (cases: $ALL)" ;; esac
done
for c in "$@"; do
	echo "== $c"
	"case_$(echo "$c" | tr - _)"
done
