#!/bin/sh
# Live capture on loopback while the engine talks to a real xl2tpd: the captured exchange is what the engine logged (RFC 2661 control messages).
set -u
: "${L2TPSH:?}" "${SRCDIR:?}"
PEER="$SRCDIR/tests/peers/xl2tpd.sh"
[ -x /usr/sbin/xl2tpd ] || { echo "xl2tpd is not installed"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "python3 is needed"; exit 77; }
# Capturing needs root or CAP_NET_RAW (CI runs as root).
"$L2TPSH" -c 'capture start lo; capture stop' >/dev/null 2>&1 ||
    { echo "cannot capture on lo here (needs root or CAP_NET_RAW)"; exit 77; }
T=$(mktemp -d)
DIR=""
cleanup() {
	[ -z "$DIR" ] || sh "$PEER" stop "$DIR" >/dev/null 2>&1
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

out=$(sh "$PEER" start --role lns --port 0 --secret s3cr3t) || { echo "$out"; exit 1; }
eval "$out"
DIR=$XL2TPD_DIR

HOME=$T timeout 90 python3 - "$L2TPSH" "$XL2TPD_PORT" "$T" <<'EOS'
import json, subprocess, sys
l2tpsh, port, tmp = sys.argv[1], sys.argv[2], sys.argv[3]
cap = tmp + "/cap.pcap"
p = subprocess.Popen([l2tpsh], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                     stderr=subprocess.PIPE, text=True, bufsize=1)
def run(cmd):
    p.stdin.write(cmd + "\n")
    p.stdin.flush()
def json_line():
    # Lines the live capture prints above the prompt are text, not JSON.
    while True:
        line = p.stdout.readline()
        if not line:
            sys.exit("FAIL: l2tpsh ended early: " + p.stderr.read())
        if line.startswith(("{", "[")):
            return json.loads(line)
run("set secret s3cr3t")
run("set challenge on")
run("capture start lo port %s write %s" % (port, cap))
run("lac connect 127.0.0.1 port " + port)
run("wait established timeout 20")
run("display l2tp tunnel json")
t = json_line()[0]
assert t["state"] == "established" and t["authenticated"], t
tid = t["local_tid"]
run("reset l2tp tunnel %d result 1 message done" % tid)
run("wait idle tunnel %d timeout 20" % tid)
run("wait 1")
run("display l2tp tunnel %d json" % tid)
t = json_line()
assert t["unacked"] == 0, "StopCCN not acked: %r" % t
run("display l2tp history tunnel %d json" % tid)
logged = []
while True:
    o = json_line()
    logged.append(o)
    if o["l2tp"].get("message") == "ZLB" and len(logged) >= 2 and \
       logged[-2]["l2tp"].get("message") == "StopCCN":
        break
    if len(logged) > 50:
        sys.exit("FAIL: no StopCCN and its ZLB in the history")
run("capture stop")
run("quit")
p.stdin.close()
p.wait(timeout=30)

def key(o):
    l = o["l2tp"]
    return (o["sport"], o["dport"], l.get("message"), l.get("tunnel"),
            l.get("session"), l.get("ns"), l.get("nr"))

r = subprocess.run([l2tpsh, "-r", cap, "--port", port, "-j"],
                   capture_output=True, text=True, timeout=30)
assert r.returncode == 0, r.stderr
ours = {o["sport"] for o in logged} | {o["dport"] for o in logged}
seen = [json.loads(l) for l in r.stdout.splitlines() if l.strip()]
seen = [o for o in seen if o["l2tp"] and o["sport"] in ours and o["dport"] in ours]
want = [key(o) for o in logged]
got = [key(o) for o in seen]
if want != got:
    print("FAIL: the capture differs from the engine's history")
    print("engine logged:"); [print("  ", k) for k in want]
    print("captured:"); [print("  ", k) for k in got]
    sys.exit(1)
msgs = [k[2] for k in want]
for m in ("SCCRQ", "SCCRP", "SCCCN", "StopCCN"):
    assert m in msgs, (m, msgs)
# The captured challenge responses are the ones the engine checked.
sccrp = next(o for o in seen if o["l2tp"]["message"] == "SCCRP")
assert any(a["name"] == "Challenge Response" for a in sccrp["l2tp"]["avps"])
print("ok: %d messages captured on lo match the engine's history: %s"
      % (len(want), " ".join(msgs)))
EOS
