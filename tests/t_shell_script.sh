#!/bin/sh
# The shell without a terminal: -c, -f, a pipe; transcripts against golden files; exit status and stderr.
set -u
: "${L2TPSH:?}" "${SRCDIR:?}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# Golden transcripts: tests/shell/NAME.in run with -f, output in NAME.out.
for in in "$SRCDIR"/tests/shell/*.in; do
	name=$(basename "$in" .in)
	(cd "$SRCDIR/tests/shell" && env -u COLUMNS -u NO_COLOR "$L2TPSH" -f "$name.in") >"$T/$name.out" 2>&1
	if ! diff -u "$SRCDIR/tests/shell/$name.out" "$T/$name.out"; then
		bad "transcript $name differs (above)"
	fi
done

# -c: every command runs, a failure makes the status 1, errors name the command.
"$L2TPSH" -c 'set window 8; set window x; dis l2tp conf' >"$T/o" 2>"$T/e"
[ $? -eq 1 ] || bad "-c with a failing command must exit 1"
grep -q '^window               8 ' "$T/o" || bad "-c: set window 8 not kept"
grep -qF "l2tpsh: -c command 2: bad N 'x' for 'set window'" "$T/e" ||
    bad "-c: error lacks its place: $(cat "$T/e")"
[ "$(wc -l <"$T/e")" -eq 1 ] || bad "-c: one error, one line"
grep -q Error "$T/o" && bad "-c: an error went to stdout"

"$L2TPSH" -c 'dis l2tp conf; quit; bogus' >/dev/null 2>"$T/e" ||
    bad "-c: quit must stop before bogus, status 0"
[ -s "$T/e" ] && bad "-c: nothing runs after quit"
"$L2TPSH" -c 'set secret "a;b"; dis l2tp conf' >"$T/o" 2>&1 ||
    bad "-c: a quoted ; does not split"

# Several -c run in order, numbered across them; -c with -f is refused.
"$L2TPSH" -c 'set window 9' -c 'set hello 7; bogus' -c 'dis l2tp conf' \
    >"$T/o" 2>"$T/e"
[ $? -eq 1 ] || bad "several -c: the failing one makes the status 1"
grep -q '^window               9 ' "$T/o" || bad "several -c: the first not run"
grep -q '^hello-interval       7 ' "$T/o" || bad "several -c: the second not run"
grep -qF "l2tpsh: -c command 3: unknown command 'bogus'" "$T/e" ||
    bad "several -c: numbering: $(cat "$T/e")"
"$L2TPSH" -c 'quit' -c 'bogus' 2>"$T/e" || bad "-c quit -c bogus: quit stops all"
[ -s "$T/e" ] && bad "-c: nothing runs after quit in an earlier -c"
echo 'dis l2tp conf' >"$T/s"
"$L2TPSH" -c 'dis l2tp conf' -f "$T/s" >/dev/null 2>"$T/e" && bad "-c with -f"
grep -qF "l2tpsh: -c and -f exclude each other" "$T/e" ||
    bad "-c with -f: $(cat "$T/e")"

# A pipe, and -f -.
printf 'set hello 5\ndis l2tp conf\n' | "$L2TPSH" >"$T/o" 2>&1 ||
    bad "pipe: status"
grep -q '^hello-interval       5 ' "$T/o" || bad "pipe: commands not run"
printf 'frob\n' | "$L2TPSH" -f - >/dev/null 2>"$T/e" && bad "-f -: frob"
grep -qF "l2tpsh: stdin:1: unknown command 'frob'" "$T/e" ||
    bad "-f -: $(cat "$T/e")"

# -f on a missing script is a usage error.
"$L2TPSH" -f "$T/none" 2>"$T/e"
[ $? -eq 2 ] || bad "-f missing file: status 2"
grep -qF "No such file" "$T/e" || bad "-f missing: $(cat "$T/e")"

# JSON: -j and a trailing json give the same valid document.
"$L2TPSH" -j -c 'dis l2tp conf' >"$T/j1" || bad "-j"
"$L2TPSH" -c 'dis l2tp conf json' >"$T/j2" || bad "json"
cmp -s "$T/j1" "$T/j2" || bad "-j and json differ"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d) == 18 and d[1]["setting"] == "secret"' "$T/j1" ||
    bad "display l2tp config json is not the expected JSON"

# decode in the shell prints what l2tpsh -r prints.
cap="$SRCDIR/tests/data/xl2tpd-auth.pcap"
if [ -f "$cap" ]; then
	"$L2TPSH" -r "$cap" >"$T/r" 2>&1
	"$L2TPSH" -c "decode $cap" >"$T/d" 2>&1
	cmp -s "$T/r" "$T/d" || bad "decode and -r differ"
	"$L2TPSH" -j -r "$cap" >"$T/r" 2>&1
	"$L2TPSH" -c "decode $cap json" >"$T/d" 2>&1
	cmp -s "$T/r" "$T/d" || bad "decode json and -j -r differ"
	"$L2TPSH" -c "decode $cap count 2 verbose" >"$T/d" 2>&1 ||
	    bad "decode count 2 verbose"
fi
"$L2TPSH" -c "decode $T/none.pcap" 2>"$T/e" && bad "decode of a missing file"
grep -qxF "l2tpsh: -c command 1: $T/none.pcap: no such file" "$T/e" ||
    bad "decode missing, said with its place: $(cat "$T/e")"

# Step mode: every message held, shown, released, edited, dropped.
cat >"$T/step" <<'EOS'
set mode step
lab start
lac connect lab
pending
step
wait 1
pending json
step
wait 1
step 2
wait 1
display l2tp tunnel
set mode auto
wait 1
display l2tp tunnel
EOS
"$L2TPSH" -f "$T/step" >"$T/o" 2>"$T/e" || bad "step mode: $(cat "$T/e")"
grep -q 'held #1: SCCRQ drafted for tunnel [0-9]*, not sent: step sends it' \
    "$T/o" || bad "the SCCRQ draft is not shown: $(cat "$T/o")"
grep -q '^1     draft     [0-9]* *SCCRQ     at send ' "$T/o" ||
    bad "pending lacks the SCCRQ draft"
grep -q 'held #2: SCCRP received on tunnel' "$T/o" ||
    bad "the SCCRP is not held"
grep -q '"held":2,"kind":"received"' "$T/o" || bad "pending json"
# The lab peer may resend its SCCRP while it is held: the numbers can move.
grep -q 'held #[0-9]*: SCCCN drafted' "$T/o" || bad "the SCCCN is not drafted"
grep -q ' established ' "$T/o" ||
    bad "the tunnel never came up in step mode: $(cat "$T/o")"
# Leaving in step mode sends the StopCCN (not held as a draft) and gets it acked.
"$L2TPSH" -c 'debugging l2tp packet; set mode step; lab start; lac connect lab;
    step; wait 1' >"$T/o" 2>"$T/e" || bad "leave in step mode: $(cat "$T/e")"
sed -n '/msg-out: StopCCN/,$p' "$T/o" | grep -q 'zlb-in: ZLB' ||
    bad "leaving in step mode: no StopCCN sent and acked: $(cat "$T/o")"
grep -q 'held #[0-9]*: StopCCN drafted' "$T/o" &&
    bad "leaving in step mode held the StopCCN"
# An edited draft goes out as edited.
"$L2TPSH" -c 'set mode step; lab start; lac connect lab;
    edit 1 avp host_name=stepped omit bearer_capabilities; step; wait 1;
    display l2tp history' >"$T/o" 2>"$T/e" || bad "edit: $(cat "$T/e")"
grep -q 'host "stepped"' "$T/o" || bad "edit did not show the changed draft"
grep -q 'control SCCRQ .*framing sync,async, firmware.*host "stepped"' \
    "$T/o" || bad "the edited SCCRQ is not what was sent: $(cat "$T/o")"
"$L2TPSH" -c 'set mode step; lab start; lac connect lab; drop 1; pending;
    step' >"$T/o" 2>"$T/e" && bad "step after drop found something"
grep -q 'held: draft 1 dropped' "$T/o" || bad "drop: $(cat "$T/o")"
grep -qF "nothing is held" "$T/e" || bad "step with nothing: $(cat "$T/e")"
"$L2TPSH" -c 'set mode step; lab start; lac connect lab; edit 7 ns 3' \
    >/dev/null 2>"$T/e" && bad "edit 7"
grep -qF "nothing is held as 7: held are 1 (pending lists them)" "$T/e" ||
    bad "edit 7: $(cat "$T/e")"

# analyze keeps a capture's tunnels for display.
"$L2TPSH" -c "analyze $SRCDIR/tests/data/xl2tpd-auth.pcap secret lab-secret-1701;
    display l2tp tunnel; display l2tp session; display l2tp history tunnel 22741 ladder" \
    >"$T/o" 2>"$T/e" || bad "analyze: $(cat "$T/e")"
grep -qF "Info: 1 tunnel of $SRCDIR/tests/data/xl2tpd-auth.pcap loaded" "$T/o" ||
    bad "analyze: $(cat "$T/o")"
grep -q "^22741    152       closing .*lns.lab$" "$T/o" ||
    bad "analyze: no captured tunnel row: $(cat "$T/o")"
grep -qF "|--SCCRQ 0/0" "$T/o" || bad "analyze: no ladder: $(cat "$T/o")"
"$L2TPSH" -c 'capture stop' >/dev/null 2>"$T/e" && bad "capture stop"
grep -qF "no capture is running" "$T/e" || bad "capture stop: $(cat "$T/e")"

# The engine against the built-in lab peer, end to end over loopback UDP.
"$L2TPSH" -c 'lab start; lac connect lab; wait established timeout 5;
    display l2tp tunnel; display l2tp tunnel json; display l2tp history' \
    >"$T/o" 2>"$T/e" || bad "lab handshake: $(cat "$T/e")"
grep -qE '^[0-9]+ +[0-9]+ +established +0 +127\.0\.0\.1 +[0-9]+ +lab-lns$' \
    "$T/o" || bad "display l2tp tunnel lacks the established tunnel"
grep -q '^Total tunnels: 1$' "$T/o" || bad "no total line"
grep '^\[' "$T/o" | python3 -c '
import json, sys
t = json.load(sys.stdin)
assert len(t) == 1, t
t = t[0]
for k in ("local_tid", "remote_tid", "state", "peer", "peer_port",
          "remote_name", "sessions", "ctl_in", "ctl_out", "retransmits"):
    assert k in t, k
assert t["state"] == "established" and t["remote_name"] == "lab-lns", t
assert t["peer"] == "127.0.0.1" and t["ctl_out"] >= 2, t
' || bad "display l2tp tunnel json"
for m in SCCRQ SCCRP SCCCN; do
	grep -q "control $m" "$T/o" || bad "history lacks $m"
done

# The lab peer's own view: tagged lab: lines only with debugging l2tp lab,
# its messages too when packet is on; this end's lines stay untagged.
"$L2TPSH" -c 'debugging l2tp lab; set secret s3cr3t; lab start;
    lac connect lab; wait established timeout 5; wait 1; debugging l2tp packet;
    display l2tp tunnel json' >"$T/o" 2>"$T/e" || bad "lab debugging: $(cat "$T/e")"
grep -qE '^ +[0-9]+\.[0-9]{3} lab: tunnel-state: tunnel [0-9]+: wait-ctl-conn -> established$' \
    "$T/o" || bad "no lab: state change: $(cat "$T/o")"
grep -qE '^ +[0-9]+\.[0-9]{3} lab: tunnel [0-9]+ auth: .*SCCCN is right$' "$T/o" ||
    bad "no lab: verdict on the SCCCN: $(cat "$T/o")"
grep -v 'lab:' "$T/o" | grep -q 'tunnel-state' &&
    bad "debugging l2tp lab alone showed this end's events"
"$L2TPSH" -c 'debugging l2tp all; lab start; lac connect lab;
    wait established timeout 5' >"$T/o" 2>"$T/e" ||
    bad "debugging all: $(cat "$T/e")"
grep -qE 'lab: tunnel [0-9]+ msg-in: StopCCN' "$T/o" ||
    bad "debugging all lacks the lab's StopCCN: $(cat "$T/o")"
grep -qE '^ +[0-9.]+ tunnel [0-9]+ msg-out: StopCCN' "$T/o" ||
    bad "debugging all lacks this end's StopCCN"
"$L2TPSH" -c 'debugging l2tp all; undo debugging l2tp lab; lab start;
    lac connect lab; wait established timeout 5' >"$T/o" 2>&1 ||
    bad "undo debugging l2tp lab"
grep -q 'lab:' "$T/o" && bad "undo debugging l2tp lab still shows lab: lines"
grep -q 'msg-in: SCCRP' "$T/o" || bad "undo debugging l2tp lab hid this end"

# The live ladder: messages with Ns/Nr, ZLB acks, state changes and the
# verdict on the peer's Challenge Response beside this end's lifeline;
# retransmissions marked; wrapped to the width; colour only at a terminal.
ladder_fits() { # FILE WIDTH: every ladder line fits and keeps its lifelines
	awk -v w="$2" '/^ *[0-9]+\.[0-9][0-9][0-9] [|*]/ || /^ +\|/ {
		if (length($0) > w) { print "longer than " w ": " $0; bad = 1 }
		if (gsub(/[|*]/, "&") < 2) { print "no lifelines: " $0; bad = 1 }
	} END { exit bad }' "$1"
}
for w in 60 132; do
	COLUMNS=$w "$L2TPSH" -c 'set secret s3cr3t; lab start; lac connect lab;
	    wait established timeout 5; wait 1; display l2tp history ladder' \
	    >"$T/o" 2>"$T/e" || bad "ladder: $(cat "$T/e")"
	ladder_fits "$T/o" $w || bad "ladder at $w columns: $(cat "$T/o")"
	for re in '\|--SCCRQ 0/0-+>\|' '\|<-SCCRP 0/1-+\|' '\|--SCCCN 1/1-+>\|' \
	    '\|<-ZLB 1/2-+\|' '^ +[0-9.]+ \* +\|  tunnel [0-9]+ idle'; do
		grep -qE -- "$re" "$T/o" || bad "ladder at $w lacks /$re/: $(cat "$T/o")"
	done
	grep -q "$(printf '\033')" "$T/o" && bad "colour in a ladder not on a terminal"
done
grep -qE '^ +[0-9.]+ \* +\|  tunnel [0-9]+ idle -> wait-ctl-reply$' "$T/o" &&
    grep -qE '^ +[0-9.]+ \* +\|  tunnel [0-9]+ auth ok: the LNS.s \(lab-lns\) Challenge Response in SCCRP' "$T/o" &&
    grep -qE '\|  tunnel [0-9]+ wait-ctl-reply -> established$' "$T/o" ||
    bad "ladder at 132: state changes and verdict: $(cat "$T/o")"
rtx='set retransmit retries 1; set retransmit timeout 1 1;
    lac connect 127.0.0.1 port 9; wait closed timeout 10;
    display l2tp history ladder'
"$L2TPSH" -c "$rtx" >"$T/o" 2>"$T/e" || bad "ladder rtx: $(cat "$T/e")"
grep -qE '\|--SCCRQ 0/0 again-+>\|' "$T/o" || bad "ladder: no retransmission: $(cat "$T/o")"
grep -qE '\* +\|  tunnel [0-9]+ SCCRQ Ns 0 never' "$T/o" || bad "ladder: no give-up"
if command -v script >/dev/null 2>&1; then
	script -qc "\"$L2TPSH\" -c '$rtx'" /dev/null >"$T/o" 2>&1 </dev/null
	grep -q "$(printf '\033')\[33m--SCCRQ 0/0 again" "$T/o" ||
	    bad "ladder: no colour for the retransmission at a terminal: $(cat -v "$T/o")"
fi

# Authentication with a shared secret and a challenge, Hello tuning, reset.
"$L2TPSH" -c 'set secret s3cr3t; set challenge on; lab start;
    lac connect lab; wait established timeout 5; display l2tp tunnel json' \
    >"$T/o" 2>"$T/e" || bad "authenticated handshake: $(cat "$T/e")"
grep -q '"authenticated":true' "$T/o" || bad "the challenge was not answered"
"$L2TPSH" -c 'lab start; lac connect lab; wait established timeout 5;
    hello-interval 1 tunnel 99999' >/dev/null 2>"$T/e" &&
    bad "tunnel 99999 accepted"
grep -qF "bad tunnel ID '99999'" "$T/e" || bad "tunnel 99999: $(cat "$T/e")"
"$L2TPSH" -c 'lab start; lac connect lab; wait established timeout 5;
    hello-interval 5 tunnel 1' >/dev/null 2>"$T/e" && bad "tunnel 1 exists?"
grep -qE "no tunnel 1: the tunnels are [0-9]+" "$T/e" ||
    bad "no such tunnel: $(cat "$T/e")"

# Hellos every second are sent and acknowledged; reset ends with the StopCCN
# acknowledged and the tunnel closing.
"$L2TPSH" -c 'set hello 1; lab start; lac connect lab;
    wait established timeout 5; wait 3; display l2tp tunnel json' \
    >"$T/o" 2>"$T/e" || bad "hello: $(cat "$T/e")"
python3 -c '
import json, sys
t = json.loads(open(sys.argv[1]).read())[0]
assert t["hellos_out"] >= 1 and t["hellos_in"] >= 1, t
assert t["retransmits"] == 0, t
' "$T/o" || bad "Hellos every second: $(cat "$T/o")"

"$L2TPSH" -c 'reset l2tp tunnel 0' 2>"$T/e" && bad "reset 0"
grep -qF "bad ID '0'" "$T/e" || bad "reset 0: $(cat "$T/e")"
# The tunnel id is random: read it back from the JSON, through a pipe.
python3 - "$L2TPSH" <<'EOS' || bad "reset l2tp tunnel acked"
import json, os, subprocess, sys, time
l2tpsh = sys.argv[1]
p = subprocess.Popen([l2tpsh], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                     stderr=subprocess.PIPE, text=True, bufsize=1)
def run(cmd):
    p.stdin.write(cmd + "\n")
    p.stdin.flush()
run("lab start\nlac connect lab\nwait established timeout 5\n"
    "display l2tp tunnel json")
line = p.stdout.readline()
tid = json.loads(line)[0]["local_tid"]
run("reset l2tp tunnel %d result 2 error 0 message testing" % tid)
run("wait idle tunnel %d timeout 5" % tid)
run("display l2tp tunnel %d json" % tid)
run("quit")
out, err = p.communicate(timeout=20)
t = json.loads(out.splitlines()[0])
assert err == "", err
assert t["state"] == "closing", t
assert t["unacked"] == 0, t
assert t["last_result"] == 2 and t["last_message"] == "testing", t
EOS

# Crafted messages: defaults per type, AVPs changed and left out, on the wire.
"$L2TPSH" -c 'lab start; lac connect lab; wait established timeout 5;
    send hello; send sccrq avp host_name=crafted omit framing_capabilities;
    wait 1; display l2tp history' >"$T/o" 2>"$T/e" ||
    bad "send: $(cat "$T/e")"
grep -q 'control HELLO tunnel [0-9]* session 0 Ns 2 ' "$T/o" ||
    bad "the crafted Hello is not in the history"
grep -q 'control SCCRQ .*host "crafted".*without the mandatory Framing' \
    "$T/o" || bad "the crafted SCCRQ is not as asked"
grep -q 'control StopCCN .*lacks mandatory AVP Framing Capabilities' \
    "$T/o" || bad "the lab peer did not refuse the crafted SCCRQ"
"$L2TPSH" -c 'set secret s3cr3t; lab start; lac connect lab;
    wait established timeout 5; send hello avp calling_number!=123;
    call open calling 5551234 called 100 speed 64000; wait 1;
    display l2tp session; display l2tp history' >"$T/o" 2>"$T/e" ||
    bad "hidden AVPs and call options: $(cat "$T/e")"
# Sent hidden (the H bit set, a Random Vector before it), and shown opened
# with the secret the engine holds, as -r --secret shows it.
grep -q 'control HELLO .*rv (16 bytes), calling "123" (decrypted)' "$T/o" ||
    bad "the hidden AVP was not hidden, or not opened: $(cat "$T/o")"
grep -qE '^[0-9]+ +[0-9]+ +[0-9]+ +established +1 +incoming +64000 +5551234 +100$' \
    "$T/o" || bad "call open options: $(cat "$T/o")"
"$L2TPSH" -c 'lab start; lac connect lab; wait established timeout 5;
    send hello avp message_type!=6' 2>"$T/e" >/dev/null && bad "hide type"
grep -qF "message_type may not be hidden" "$T/e" || bad "hide: $(cat "$T/e")"
"$L2TPSH" -c 'lab start; lac connect lab; wait established timeout 5;
    send hello omit host_name' 2>"$T/e" >/dev/null && bad "omit host_name"
grep -qF "send hello: the message has no host_name to omit" "$T/e" ||
    bad "omit: $(cat "$T/e")"
"$L2TPSH" -c 'send hello' 2>"$T/e" >/dev/null && bad "send without tunnel"
grep -qF "there is no tunnel; open one with lac connect" "$T/e" ||
    bad "send without tunnel: $(cat "$T/e")"

# record writes every datagram to a pcap file that the decoder reads back.
"$L2TPSH" -c "record start $T/rec.pcap; lab start; lac connect lab;
    wait established timeout 5; wait idle timeout 5;
    display l2tp tunnel json; record stop" >"$T/o" 2>"$T/e" ||
    bad "record: $(cat "$T/e")"
lport=$(sed -n 's/.*"peer_port":\([0-9]*\).*/\1/p' "$T/o")
"$L2TPSH" -r "$T/rec.pcap" --port "$lport" >"$T/d" 2>&1 ||
    bad "the recording does not decode: $(cat "$T/d")"
grep -q 'L2TP: 4 control (1 SCCRQ, 1 SCCRP, 1 SCCCN, 1 ZLB)' "$T/d" ||
    bad "the recording lacks the handshake: $(cat "$T/d")"
"$L2TPSH" -c 'record stop' 2>"$T/e" && bad "record stop with nothing"
grep -qF "nothing is being recorded" "$T/e" || bad "record stop: $(cat "$T/e")"
"$L2TPSH" -c "record start $T/no/such/dir.pcap" 2>"$T/e" &&
    bad "record into a missing directory"
grep -qF "record start: $T/no/such/dir.pcap" "$T/e" ||
    bad "record start error: $(cat "$T/e")"

# capture on loopback sees the shell's own handshake (this end dials its
# own LNS), prints it, and writes it.
port=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
if "$L2TPSH" -c 'capture start lo; capture stop' >/dev/null 2>"$T/e"; then
	# This end dials itself: no Tie Breaker, or the two SCCRQs collide
	# with equal values and both are discarded (RFC 2661 4.4.3).
	"$L2TPSH" -c "set tie-breaker off; lns listen port $port;
	    capture start lo port $port write $T/cap.pcap;
	    lac connect 127.0.0.1 port $port; wait established timeout 5;
	    wait 1; capture stop" >"$T/o" 2>"$T/e" ||
	    bad "capture: $(cat "$T/e")"
	for m in SCCRQ SCCRP SCCCN ZLB; do
		grep -q "L2TPv2 control $m" "$T/o" ||
		    bad "capture did not show $m: $(cat "$T/o")"
	done
	"$L2TPSH" -r "$T/cap.pcap" --port "$port" >"$T/d" 2>&1 ||
	    bad "capture write: $(cat "$T/d")"
	grep -q '4 L2TP: 4 control' "$T/d" || bad "capture file: $(cat "$T/d")"
elif grep -q "permission denied" "$T/e"; then
	echo "skip: no permission to capture on lo"
else
	bad "capture start lo: $(cat "$T/e")"
fi
"$L2TPSH" -c 'capture start nosuch0' 2>"$T/e" && bad "capture on nosuch0"
grep -qE "nosuch0: no such interface|permission denied" "$T/e" ||
    bad "capture nosuch0: $(cat "$T/e")"

# Commands on a pipe: while the next line is awaited the engine still runs
# (Hellos go out and are acked with no wait command at all).
python3 - "$L2TPSH" <<'EOS' || bad "the engine runs while the pipe is idle"
import json, subprocess, sys, time
p = subprocess.Popen([sys.argv[1]], stdin=subprocess.PIPE,
                     stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                     text=True, bufsize=1)
p.stdin.write("set hello 1\nlab start\nlac connect lab\n")
p.stdin.flush()
time.sleep(3.5)
p.stdin.write("display l2tp tunnel json\n")
p.stdin.flush()
t = json.loads(p.stdout.readline())[0]
p.stdin.close()
p.wait(timeout=10)
assert t["state"] == "established", t
assert t["hellos_out"] >= 1 and t["hellos_in"] + t["hellos_out"] >= 2, t
EOS

# Errors a person meets: the port in use, the lab not started.
python3 - "$L2TPSH" <<'EOS' || bad "address in use"
import socket, subprocess, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
port = s.getsockname()[1]
r = subprocess.run([sys.argv[1], "-c", "lns listen port %d" % port],
                   capture_output=True, text=True, timeout=10)
assert r.returncode == 1, r
assert "address in use: 127.0.0.1:%d is taken" % port in r.stderr, r.stderr
EOS
"$L2TPSH" -c 'lac connect lab' 2>"$T/e" && bad "lac connect lab without lab"
grep -qF "the lab peer is not running; type lab start first" "$T/e" ||
    bad "lab not running: $(cat "$T/e")"
"$L2TPSH" -c 'display packet 3' 2>"$T/e" && bad "display packet 3"
grep -qF "no message 3: nothing was sent or received yet" "$T/e" ||
    bad "display packet: $(cat "$T/e")"

# No permission: as root, run the shell as nobody (uid 65534).
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1; then
	asnobody() {
		HOME=$T setpriv --reuid=65534 --regid=65534 --clear-groups \
		    "$L2TPSH" -c "$1" 2>"$T/e" >/dev/null
	}
	asnobody 'lns listen 127.0.0.1 port 701' && bad "port 701 as nobody"
	grep -qF "no permission to bind 127.0.0.1:701 (ports below 1024 need root or CAP_NET_BIND_SERVICE)" "$T/e" ||
	    bad "bind without permission: $(cat "$T/e")"
	asnobody 'capture start lo' && bad "capture as nobody"
	grep -qF "capture on lo: permission denied: run as root or give l2tpsh CAP_NET_RAW" "$T/e" ||
	    bad "capture without permission: $(cat "$T/e")"
fi

[ $fail -eq 0 ] && echo "ok: transcripts, -c, -f, pipe, JSON, decode, errors"
exit $fail
