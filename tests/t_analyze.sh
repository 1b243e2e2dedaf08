#!/bin/sh
# l2tpsh -r FILE --analyze as an operator runs it: the words it prints for each test capture, its JSON, its ladders and capture mistakes (RFC 2661 §4.4, §5.8, §6, §7).
set -u
: "${L2TPSH:?}" "${TESTDATA:?}"
export TZ=UTC LC_ALL=C
unset COLUMNS
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
failed=0
checks=0
G=lab-secret-1701
B=wrong-secret-42

fail() {
	echo "FAIL: $*" >&2
	failed=1
}

# an NAME ARGS...: run l2tpsh -r ... --analyze into $tmp/NAME.{out,err}
an() {
	name=$1
	shift
	"$L2TPSH" --analyze "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
	echo $? >"$tmp/$name.rc"
}

# says NAME TEXT: the output holds TEXT (a fixed string).
says() {
	checks=$((checks + 1))
	grep -qF -- "$2" "$tmp/$1.out" ||
	    { fail "$1: no '$2' in:"; sed 's/^/    /' "$tmp/$1.out" >&2; }
}

# not_says NAME TEXT
not_says() {
	checks=$((checks + 1))
	! grep -qF -- "$2" "$tmp/$1.out" || fail "$1: '$2' should not be there"
}

rc_is() {
	checks=$((checks + 1))
	[ "$(cat "$tmp/$1.rc")" = "$2" ] ||
	    fail "$1: exit status $(cat "$tmp/$1.rc"), want $2 ($(cat "$tmp/$1.err"))"
}

an auth -r "$TESTDATA/xl2tpd-auth.pcap" --secret $B --secret $G
rc_is auth 0
says auth "Tunnel 1: 127.0.0.2 (lac.lab) -> 127.0.0.1 (lns.lab)"
says auth "Handshake: established"
says auth "Authentication: SCCRP response from 127.0.0.1 (lns.lab) matches secret 2"
says auth "Authentication: SCCCN response from 127.0.0.2 (lac.lab) matches secret 2"
says auth "Closed by 127.0.0.2 (lac.lab) with StopCCN"
says auth "result 1 (general request to clear control connection)"
says auth '"Goodbye!"; acknowledged'
says auth "Likely cause: an orderly close"
says auth "Call 1: incoming"
says auth "cleared by 127.0.0.2 (lac.lab) with CDN"
says auth "ZLB with Session ID"
says auth "|--SCCRQ 0/0"
says auth "|<-SCCRP 0/1"
says auth "-> established"
says auth "Analysis: 1 tunnel, 1 call, 2 findings"
not_says auth "$(printf '\033')"

an nosecret -r "$TESTDATA/xl2tpd-auth.pcap"
says nosecret "not checked: no secret given (--secret S)"

an wrong -r "$TESTDATA/xl2tpd-auth.pcap" --secret $B
says wrong "matches none of 1 secret"

an bad -r "$TESTDATA/xl2tpd-badsecret.pcap" --secret $B --secret $G
says bad "Handshake: SCCRP received, no SCCCN"
says bad 'error 6 (a generic vendor-specific error occurred in the LAC), "Invalid challenge authentication"'
says bad "Likely cause: tunnel authentication failed"
says bad "Check: the secret differs between the two ends"
says bad "Host Name configured for this peer on both sides"
says bad "SCCRP response from 127.0.0.1 (lns.lab) matches secret 2"
says bad "127.0.0.1 (lns.lab) uses secret 2, so 127.0.0.2 (lac.lab) holds another one"

an badlns -r "$TESTDATA/xl2tpd-badsecret-lns.pcap" --secret $G
says badlns "Handshake: SCCCN refused by the responder (StopCCN)"
says badlns "Closed by 127.0.0.1 (lns.lab) with StopCCN"
says badlns "SCCCN response from 127.0.0.2 (lac.lab) matches none of 1 secret"
says badlns "cleared with the tunnel (no CDN)"

an absent -r "$TESTDATA/xl2tpd-peer-absent.pcap"
says absent "Handshake: SCCRQ sent, never answered"
says absent "Never acknowledged: SCCRQ Ns 0 from 127.0.0.2 (lac.lab), sent 5 times (retransmitted after 1.0, 2.0, 4.0, 8.0 s"
says absent "127.0.0.1 never answered at all: is the peer running, listening on UDP 1701 and reachable"
says absent "then gave up and closed the tunnel at 31.031 s"
says absent 'Maximum retries exceeded for tunnel N'
says absent '"Timeout"; never acknowledged'
says absent "Likely cause: the sender gave up"
says absent "[retransmission 5]"
says absent "[never acked]"
says absent "(the 1, 2, 4, 8 s backoff)"

an hello -r "$TESTDATA/xl2tpd-hello.pcap"
says hello "Hello: 1 sent, 60.0"
says hello "(a Hello interval of about 60 s)"
says hello "|<-HELLO 2/5"
says hello "|--HELLO 5/3"

an sigint -r "$TESTDATA/xl2tpd-sigint.pcap"
says sigint "Closed by 127.0.0.1 (lns.lab) with StopCCN"
says sigint '"Server closing"'
says sigint "Authentication: none (no Challenge)"
says sigint "Findings: none"

an call -r "$TESTDATA/xl2tpd-call.pcap"
says call "Call 1: incoming"
says call "likely cause: lost carrier"

an p1705 -r "$TESTDATA/xl2tpd-port1705.pcapng" --port 1705 --secret $G
says p1705 "Nr 4 acknowledges messages 127.0.0.1 never sent (its last Ns was 2)"
says p1705 "StopCCN Ns 5 sent again 1.000 s after it was acknowledged"
says p1705 "[duplicate]"
says p1705 "127.0.0.2:1706 lac.lab"

# capture mistakes
an noport -r "$TESTDATA/xl2tpd-port1705.pcapng"
says noport "looks like L2TP on port 1705; use --port 1705"
says noport "Analysis: 0 tunnels"

an hidden -r "$TESTDATA/crafted/hidden-secret.pcap"
says hidden "hidden Assigned Session ID not opened: no secret given (--secret S)"
says hidden "Hidden AVPs: 4, 0 opened, 4 that need the secret (--secret S)"
an hidden2 -r "$TESTDATA/crafted/hidden-secret.pcap" --secret $G
says hidden2 "Hidden AVPs: 4, 4 opened (with secret 1)"
an hidden3 -r "$TESTDATA/crafted/hidden-secret.pcap" --secret $B
says hidden3 "4 that no secret given opens"
says hidden3 "(wrong secret?)"

an rfc -r "$TESTDATA/crafted/rfc-rules.pcap"
says rfc "[rfc]"
says rfc "without the mandatory"

# IPsec only, and nothing L2TP at all: raw IPv4 frames written here
python3 - "$tmp" <<'EOF'
import struct, sys
def pcap(path, frames):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 228))
        for i, fr in enumerate(frames):
            f.write(struct.pack("<IIII", 1767225600 + i, 0, len(fr), len(fr)))
            f.write(fr)
def ip(proto, payload):
    return struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, 0,
                       64, proto, 0, bytes([10, 0, 0, 1]),
                       bytes([10, 0, 0, 2])) + payload
def udp(sp, dp, payload):
    return struct.pack("!HHHH", sp, dp, 8 + len(payload), 0) + payload
esp = ip(50, struct.pack("!II", 0x1234, 1) + bytes(32))
natt = ip(17, udp(4500, 4500, struct.pack("!II", 0x1234, 1) + bytes(32)))
dns = ip(17, udp(5353, 53, bytes(20)))
pcap(sys.argv[1] + "/ipsec.pcap", [esp, natt, natt])
pcap(sys.argv[1] + "/none.pcap", [dns, dns])
EOF
an ipsec -r "$tmp/ipsec.pcap"
says ipsec "the L2TP is encrypted inside IPsec; capture inside the tunnel or on the LNS"
says ipsec "Analysis: 0 tunnels"
an none -r "$tmp/none.pcap"
says none "no cleartext L2TP: none of the 2 packets is L2TP"
not_says none "looks like L2TP"

an v3 -r "$TESTDATA/crafted/v3-control.pcap"
says v3 "L2TPv3 messages not analysed"

# the shell under -j: stdout is JSON only
checks=$((checks + 1))
"$L2TPSH" -j -c "analyze $TESTDATA/xl2tpd-auth.pcap; display l2tp tunnel;
    display l2tp session; display l2tp statistics" 2>/dev/null |
    python3 -c '
import json, sys
docs = [json.loads(l) for l in sys.stdin]
assert docs[0]["tunnels"][0]["handshake"] == "established", docs[0]
cap = [t for t in docs[1] if t.get("source") == "capture"]
assert cap and cap[0]["local_tid"] == 22741 and cap[0]["remote_name"] == "lns.lab"
assert docs[2][0]["source"] == "capture" and docs[2][0]["local_sid"] == 47169
assert docs[3]["capture_tunnels"] == 1
' || fail "shell -j: not JSON, or not the capture's tunnels"

# a live interface is refused with words
an live -i lo
rc_is live 1
checks=$((checks + 1))
grep -qF -- "--analyze reads a capture file" "$tmp/live.err" ||
    fail "live: $(cat "$tmp/live.err")"

# JSON: one object, the same facts
an json -r "$TESTDATA/xl2tpd-peer-absent.pcap" -j
checks=$((checks + 1))
python3 - "$tmp/json.out" <<'EOF' || fail "json: $(cat "$tmp/json.out" | head -c 400)"
import json, sys
d = json.load(open(sys.argv[1]))
t = d["tunnels"][0]
assert d["analysis"]["tunnels"] == 1
assert t["handshake"] == "SCCRQ sent, never answered"
assert t["closed_by"]["message"] == "Timeout" and t["closed_by"]["gave_up"]
na = t["peers"][0]["never_acked"]
assert na["message"] == "SCCRQ" and na["sends"] == 5
gaps = [round(b - a) for a, b in zip(na["sent_at"], na["sent_at"][1:])]
assert gaps == [1, 2, 4, 8], gaps
assert t["peers"][1]["messages"] == 0
assert sum(1 for h in t["history"] if h["retransmission"]) == 5
assert t["findings_by_category"]["delivery"] == 2
EOF
an json2 -r "$TESTDATA/xl2tpd-badsecret.pcap" -j --secret $B --secret $G
checks=$((checks + 1))
python3 - "$tmp/json2.out" <<'EOF' || fail "json2: $(head -c 400 "$tmp/json2.out")"
import json, sys
t = json.load(open(sys.argv[1]))["tunnels"][0]
a = [x for x in t["auth"] if x["response_in"] == "SCCRP"][0]
assert a["verdict"] == "match" and a["secret"] == 2, a
assert t["closed_by"]["error"] == 6
assert "secret" in t["closed_by"]["check"]
EOF

# ladders fit the width given and keep both lifelines on every line
for w in 60 80 132; do
	checks=$((checks + 1))
	COLUMNS=$w "$L2TPSH" -r "$TESTDATA/xl2tpd-port1705.pcapng" --port 1705 \
	    --analyze >"$tmp/w$w.out" 2>&1
	awk -v w="$w" '/^ *[0-9]+\.[0-9][0-9][0-9] \|/ || /^ +\|/ {
		if (length($0) > w) { print "line longer than " w ": " $0; bad = 1 }
		n = gsub(/\|/, "|")
		if (n < 2) { print "a lifeline missing: " $0; bad = 1 }
	} END { exit bad }' "$tmp/w$w.out" || fail "ladder at $w columns"
done

# colour only on a terminal (script(1) gives one), and never with NO_COLOR
if command -v script >/dev/null 2>&1; then
	esc=$(printf '\033')
	script -qfec "$L2TPSH -r $TESTDATA/xl2tpd-peer-absent.pcap --analyze" \
	    "$tmp/tty.out" >/dev/null 2>&1
	checks=$((checks + 1))
	grep -qF "${esc}[33m" "$tmp/tty.out" ||
	    fail "tty: retransmissions not coloured"
	NO_COLOR=1 script -qfec "$L2TPSH -r $TESTDATA/xl2tpd-peer-absent.pcap --analyze" \
	    "$tmp/tty2.out" >/dev/null 2>&1
	checks=$((checks + 1))
	! grep -qF "$esc" "$tmp/tty2.out" || fail "tty: colour despite NO_COLOR"
fi

# Captures the engine makes of its own exchanges with faults injected:
# the built-in lab peer on loopback, recorded with `record start FILE`.
# The lab listens on an ephemeral port: the analysis itself names it.
port_of() {
	"$L2TPSH" -r "$1" --analyze 2>/dev/null |
	    sed -n 's/.*looks like L2TP on port \([0-9]*\); use --port \1$/\1/p'
}
# 1. The first SCCRP is held in step mode and dropped as if lost: the lab
#    retransmits it after 1 s.
"$L2TPSH" -c "record start $tmp/lost.pcap; lab start; set mode step;
    lac connect lab; step; wait 1; drop; wait 2; set mode auto;
    wait established timeout 5; wait 1; record stop" >"$tmp/lost.log" 2>&1 ||
    fail "lost SCCRP run: $(tail -n 3 "$tmp/lost.log")"
p=$(port_of "$tmp/lost.pcap")
checks=$((checks + 1))
[ -n "$p" ] || fail "lost: no 'use --port N' for the lab's port"
an lost -r "$tmp/lost.pcap" --port "${p:-1}"
says lost "(lab-lns)"
says lost "SCCRP Ns 0 sent 2 times, retransmitted after 1.0 s (the 1, 2, 4, 8 s backoff)"
says lost "[retransmission 2]"
says lost "Handshake: established"
# 2. The lab stops before it acknowledges the SCCCN: a dead peer, the
#    SCCCN retransmitted after 1 and 2 s, never acknowledged.
"$L2TPSH" -c "record start $tmp/dead.pcap; set retransmit retries 2;
    lab start; lac connect lab; wait established timeout 5; lab stop;
    wait 5; record stop" >"$tmp/dead.log" 2>&1 ||
    fail "dead peer run: $(tail -n 3 "$tmp/dead.log")"
p=$(port_of "$tmp/dead.pcap")
an dead -r "$tmp/dead.pcap" --port "${p:-1}"
says dead "Never acknowledged: SCCCN Ns 1 from 127.0.0.1 (l2tpsh), sent 3 times (retransmitted after 1.0, 2.0 s"
# (the time is the SCCRP's: 0.000 s, or 0.001 s on a slow or sanitized run)
says dead "the peer stopped answering at 0.00"
says dead "s (its last message: SCCRP, frame 2): nothing came from 127.0.0.1 (lab-lns) after that"
says dead "Handshake: SCCCN sent, not acknowledged"
says dead "[never acked]"
# 3. A dead peer during Hellos: the lab stops once the tunnel is up; the
#    engine's 2 s Hello goes unanswered and is retransmitted after 1, 2 s.
"$L2TPSH" -c "record start $tmp/hello.pcap; set hello-interval 2;
    set retransmit retries 2; lab start; lac connect lab;
    wait established timeout 5; wait 1; lab stop; wait 5; record stop" \
    >"$tmp/hello.log" 2>&1 || fail "Hello run: $(tail -n 3 "$tmp/hello.log")"
p3=$(port_of "$tmp/hello.pcap")
an hellodead -r "$tmp/hello.pcap" --port "${p3:-1}"
says hellodead "Handshake: established"
says hellodead "Never acknowledged: HELLO Ns 2 from 127.0.0.1 (l2tpsh), sent 3 times (retransmitted after 1.0, 2.0 s"
says hellodead "(a Hello interval of about 2 s)"
says hellodead "the peer stopped answering at"
# 4. Hidden AVPs both ways (hide-avps on, challenges both ways) between the
#    engine and the lab: the right secret opens all of them and checks both
#    responses; a wrong one opens none and says so.
"$L2TPSH" -c "record start $tmp/hid.pcap; set secret s3cr3t; set hide-avps on;
    lab start; lac connect lab; wait established timeout 5; wait 1;
    record stop" >"$tmp/hid.log" 2>&1 ||
    fail "hidden run: $(tail -n 3 "$tmp/hid.log")"
p4=$(port_of "$tmp/hid.pcap")
an hid -r "$tmp/hid.pcap" --port "${p4:-1}" --secret s3cr3t
says hid "SCCRP response from 127.0.0.1 (lab-lns) matches secret 1"
says hid "SCCCN response from 127.0.0.1 (l2tpsh) matches secret 1"
says hid "8 opened (with secret 1)"
an hidbad -r "$tmp/hid.pcap" --port "${p4:-1}" --secret wrong
says hidbad "0 opened, 8 that no secret given opens"
says hidbad "hidden value opens with none of 1 secret (wrong secret?)"
says hidbad "cannot be checked: the challenge or the response is hidden and did not open"
# 5. Crossed SCCRQs between two engines: each listens as an LNS and opens
#    a tunnel to the other in step mode, so both SCCRQs are out before
#    either is processed; the Tie Breaker AVPs (random) pick one tunnel.
p5=$((20000 + $$ % 20000))
p6=$((p5 + 1))
"$L2TPSH" -c "lns listen 127.0.0.1 port $p6; set mode step;
    lac connect 127.0.0.1 port $p5; wait 2; step; wait 1; set mode auto;
    wait 3" >"$tmp/crossb.log" 2>&1 &
crossb=$!
"$L2TPSH" -c "lns listen 127.0.0.1 port $p5; record start $tmp/cross.pcap;
    set mode step; lac connect 127.0.0.1 port $p6; wait 2; step; wait 1;
    set mode auto; wait 3; record stop" >"$tmp/crossa.log" 2>&1 ||
    fail "crossed SCCRQ run: $(tail -n 3 "$tmp/crossa.log")"
wait "$crossb" || fail "crossed SCCRQ peer: $(tail -n 3 "$tmp/crossb.log")"
an cross -r "$tmp/cross.pcap" --port "$p5" --port "$p6"
says cross "Crossed with tunnel 2: both ends sent an SCCRQ at once"
says cross "Crossed with tunnel 1: both ends sent an SCCRQ at once"
says cross "this one won the tie break and goes on"
says cross "this one lost the tie break: its SCCRQ is to be dropped"
says cross "dropped it, as it should: it lost the tie break with tunnel"
says cross "(§4.4.3 Tie Breaker)"
says cross "Handshake: established"
not_says cross "SCCRP for an SCCRQ that lost the tie break"
not_says cross "never answered at all"
an crossj -r "$tmp/cross.pcap" --port "$p5" --port "$p6" -j
says crossj '"crossed":{"tunnel":2,"tie":"'
says crossj '"crossed":{"tunnel":1,"tie":"'

# the shell loads it and displays it like a live tunnel
"$L2TPSH" -c "analyze $tmp/dead.pcap port ${p:-1}; display l2tp tunnel;
    display l2tp history tunnel $(sed -n 's/.*tunnel ids \([0-9]*\)\/.*/\1/p' "$tmp/dead.out") ladder" \
    >"$tmp/deadsh.out" 2>&1 || fail "shell analyze: $(tail -n 3 "$tmp/deadsh.out")"
says deadsh "From capture $tmp/dead.pcap:"
says deadsh "wait-ctl-conn"
says deadsh "Total tunnels: 1 (capture)"
says deadsh "[retransmission 3]"

# A clock that jumps inside a capture (a router syncing NTP mid-capture):
# frame 1 (not L2TP) in 1970, the tunnel of xl2tpd-call.pcap after it, and
# a second copy of that tunnel 43 years (as 365-day years) on.  The jump
# is a finding of the capture; each tunnel's times count from its first
# message, its start shown once as a date; the ladder's time column
# widens for a tunnel that spans the jump, so the arrows stay under the
# header and the lifelines.
python3 - "$TESTDATA/xl2tpd-call.pcap" "$tmp/jump.pcap" "$tmp/span.pcap" <<'PY'
import struct, sys
src = open(sys.argv[1], "rb").read()
head, recs, o = src[:24], [], 24
while o < len(src):
    ts, us, cl, ol = struct.unpack("<IIII", src[o:o + 16])
    recs.append((ts, us, src[o + 16:o + 16 + cl], ol))
    o += 16 + cl
early = bytearray(recs[0][2])
early[34:38] = struct.pack("!HH", 5353, 5353)  # UDP 5353: not L2TP
def rec(ts, us, d, ol):
    return struct.pack("<IIII", ts, us, len(d), ol) + d
out = bytearray(head) + rec(5, 0, bytes(early), len(early))
for r in recs:
    out += rec(*r)
open(sys.argv[2], "wb").write(out)
# the same tunnel, its first message in 1970 and the rest 43 years later
span = bytearray(head) + rec(5, 0, recs[0][2], recs[0][3])
for r in recs[1:]:
    span += rec(r[0] + 43 * 365 * 86400 - (recs[0][0] - 5), r[1], r[2], r[3])
open(sys.argv[3], "wb").write(span)
PY
TZ=UTC an jump -r "$tmp/jump.pcap"
says jump "Capture: the capture's clock jumps forward 56 years at frame 2"
says jump "closing, frames 2-14, from 2026-12-01 07:16:02.434528 UTC for 1.112 s"
says jump "SCCRQ at 0.000 s, SCCRP at 0.000 s (+81 us)"
not_says jump "1796109"
TZ=UTC an jumpj -r "$tmp/jump.pcap" -j
checks=$((checks + 1))
python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
j = d["analysis"]["clock_jump"]
assert j["frame"] == 2 and j["by_us"] > 0, j
assert d["tunnels"][0]["start"] > 1.7e9, d["tunnels"][0]["start"]' "$tmp/jumpj.out" ||
    fail "jump: the JSON report lacks the clock jump or the tunnel start"
TZ=UTC an span -r "$tmp/span.pcap"
says span "Capture: the capture's clock jumps forward 43 years at frame 2"
says span "1356048000.434 |<-SCCRP 0/1" # 43 * 365 days on, in the ladder
# Every ladder line: its lifelines in the header's columns.
checks=$((checks + 1))
awk '/^Time/ { on = 1; l = index($0, "127.0.0.2"); r = index($0, "127.0.0.1"); next }
    on && /\|/ {
	a = index($0, "|"); rest = substr($0, a + 1); b = index(rest, "|")
	if (a != l - 0 && a != l) { print "left lifeline at " a ", header at " l ": " $0; bad = 1 }
    }
    on && /^$/ { on = 0 }
    END { exit bad }' "$tmp/span.out" >"$tmp/span.cols" ||
    { fail "span: the ladder's lifelines leave the header's columns:"; sed 's/^/    /' "$tmp/span.cols" >&2; }

if [ "$failed" = 0 ]; then
	echo "t_analyze: $checks checks passed"
fi
exit "$failed"
