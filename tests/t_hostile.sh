#!/bin/sh
# t_hostile.sh: a hostile peer over real UDP against the built l2tpsh, as LNS and as LAC: half-open tunnels and calls cleared by a 5 s setup timeout, an SCCRQ flood held to the per-peer cap while another address gets its tunnel, 15-byte Challenge Responses, a secret bound to another address (RFC 2661 §4.4.3, §7.1, §7.2).
#
# Loopback only (127.0.0.1 and 127.0.0.2), ephemeral ports, every wait
# bounded, each l2tpsh and peer started here and stopped by its pid.
set -u
: "${L2TPSH:?}"
BUILDDIR=${BUILDDIR:-$(cd "$(dirname "$0")/.." && pwd)/build}
PEER="$BUILDDIR/tests/hostile_peer"
[ -x "$PEER" ] || { echo "t_hostile: SKIP: $PEER not built"; exit 77; }

fail=0
PIDS=""
T=$(mktemp -d "${TMPDIR:-/tmp}/t_hostile.XXXXXX") || exit 1
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	rm -rf -- "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
stat() { sed -n "s/^$2  *\([0-9][0-9]*\)$/\1/p" "$1"; }

# The peer's own verdicts ("ok:" / "FAIL:" lines) count as ours.
verdicts() { # FILE
	cat "$1"
	n=$(grep -c '^FAIL:' "$1")
	fail=$((fail + n))
}

# l2tpsh as an LNS in the background: SETTINGS, then a pause of SEC.
lns_start() { # NAME SEC SETTINGS
	port=$("$PEER" freeport) || { bad "no free port"; return 1; }
	timeout $(($2 + 30)) "$L2TPSH" -c "set setup-timeout 5;
	    set retransmit timeout 1 1; $3; debugging l2tp event;
	    lns listen 127.0.0.1 port $port; wait $2;
	    display l2tp statistics" >"$T/$1.sh" 2>&1 &
	LPID=$!
	PIDS="$PIDS $LPID"
	n=100
	while [ $n -gt 0 ] && ! "$PEER" bound "$port"; do
		sleep 0.1
		n=$((n - 1))
	done
	[ $n -gt 0 ] || bad "$1: l2tpsh did not bind port $port"
}

lns_end() { # NAME
	n=600
	while [ $n -gt 0 ] && kill -0 "$LPID" 2>/dev/null; do sleep 0.1; n=$((n - 1)); done
	wait "$LPID" 2>/dev/null
}

# 1. LNS: a half-open tunnel, then a half-open call.
lns_start timeouts 20 "set hello-interval 0"
timeout 60 "$PEER" lns-timeouts "$port" >"$T/timeouts.peer" 2>&1 ||
    bad "lns-timeouts: exit $?"
verdicts "$T/timeouts.peer"
lns_end timeouts
[ "$(stat "$T/timeouts.sh" SetupTimeoutsTun)" = 1 ] &&
    [ "$(stat "$T/timeouts.sh" SetupTimeoutsSess)" = 1 ] &&
    echo "ok: display l2tp statistics counts one tunnel and one call timed out" ||
    bad "setup timeout counters: $(grep SetupTimeouts "$T/timeouts.sh")"

# 2. LNS: 3000 SCCRQs with distinct ids from one address, each SCCRP
# acked; a good peer on 127.0.0.2 meanwhile.
lns_start flood 20 "set limit tunnels-per-peer 16"
timeout 60 "$PEER" lns-flood "$port" 16 3000 >"$T/flood.peer" 2>&1 ||
    bad "lns-flood: exit $?"
verdicts "$T/flood.peer"
lns_end flood
[ "$(stat "$T/flood.sh" RefusedTunnelsPeer)" = 2984 ] &&
    echo "ok: display l2tp statistics counts 2984 refusals" ||
    bad "refusals counted: $(grep RefusedTunnelsPeer "$T/flood.sh")"
[ "$(stat "$T/flood.sh" SetupTimeoutsTun)" = 16 ] &&
    [ "$(stat "$T/flood.sh" Tunnels)" = 1 ] &&
    echo "ok: the 16 flood tunnels are gone, the good one stays" ||
    bad "after the flood: $(grep -E '^(Tunnels|SetupTimeoutsTun) ' "$T/flood.sh")"
shown=$(grep -c 'refused: SCCRQ' "$T/flood.sh")
[ "$shown" -le 30 ] && [ "$(stat "$T/flood.sh" EventsSuppressed)" -ge 2900 ] &&
    echo "ok: $shown refusal events shown for 2984 refusals (rate-limited)" ||
    bad "refusal events: $shown shown"

# 3. LNS with a secret: a 15-byte Challenge Response.
lns_start badresp 5 "set secret s3cret"
timeout 30 "$PEER" lns-badresp "$port" >"$T/badresp.peer" 2>&1 ||
    bad "lns-badresp: exit $?"
verdicts "$T/badresp.peer"
lns_end badresp

# 4. l2tpsh as LAC against the hostile LNS.
lac_run() { # MODE SETTINGS AFTER
	port=$("$PEER" freeport) || { bad "no free port"; return 1; }
	timeout 40 "$PEER" lac "$1" "$port" >"$T/lac-$1.peer" 2>&1 &
	PPID_=$!
	PIDS="$PIDS $PPID_"
	n=100
	while [ $n -gt 0 ] && ! grep -q '^LISTENING' "$T/lac-$1.peer" 2>/dev/null; do
		sleep 0.1
		n=$((n - 1))
	done
	timeout 40 "$L2TPSH" -c "set setup-timeout 5;
	    set retransmit timeout 1 1; $2;
	    lac connect 127.0.0.1 port $port; $3" >"$T/lac-$1.sh" 2>&1
	n=300
	while [ $n -gt 0 ] && kill -0 "$PPID_" 2>/dev/null; do sleep 0.1; n=$((n - 1)); done
	wait "$PPID_" || bad "lac $1: peer exit $?"
	verdicts "$T/lac-$1.peer"
}

lac_run badresp "set secret s3cret" "wait 3"
lac_run halfopen-tunnel "set secret other peer 127.0.0.9" "wait 8"
lac_run halfopen-call "set hello-interval 0" \
    "wait established timeout 10; call open; wait 8"

if [ $fail -ne 0 ]; then
	for f in "$T"/*; do echo "== $f"; tail -n 25 "$f"; done
	echo "t_hostile: $fail failed"
	exit 1
fi
echo "t_hostile: all passed"
