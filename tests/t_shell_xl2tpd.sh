#!/bin/sh
# The shell against a real xl2tpd on loopback: LAC with authentication and Hellos, a wrong secret, LNS dialled by xl2tpd (RFC 2661).
set -u
: "${L2TPSH:?}" "${SRCDIR:?}"
PEER="$SRCDIR/tests/peers/xl2tpd.sh"
[ -x /usr/sbin/xl2tpd ] || { echo "xl2tpd is not installed"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "python3 is needed"; exit 77; }
T=$(mktemp -d)
DIRS=""
cleanup() {
	for d in $DIRS; do sh "$PEER" stop "$d" >/dev/null 2>&1; done
	rm -rf "$T"
}
trap cleanup EXIT INT TERM
fail=0
bad() { echo "FAIL: $*"; fail=1; }
start_peer() {
	out=$(sh "$PEER" start "$@") || { echo "$out"; return 1; }
	eval "$out"
	DIRS="$DIRS $XL2TPD_DIR"
}

# 1. l2tpsh as LAC, xl2tpd as LNS, challenges both ways, Hellos every 2 s
#    acked by xl2tpd, a call (xl2tpd clears it: no pppd here), StopCCN.
start_peer --role lns --port 0 --secret s3cr3t || exit 1
python3 - "$L2TPSH" "$XL2TPD_PORT" <<'EOS' || bad "LAC against xl2tpd"
import json, subprocess, sys
l2tpsh, port = sys.argv[1], sys.argv[2]
p = subprocess.Popen([l2tpsh], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                     stderr=subprocess.PIPE, text=True, bufsize=1)
def run(cmd):
    p.stdin.write(cmd + "\n")
    p.stdin.flush()
def json_line():
    return json.loads(p.stdout.readline())
run("set secret s3cr3t")
run("set challenge on")
run("set hello 2")
run("lac connect 127.0.0.1 port " + port)
run("wait established timeout 10")
run("wait 5")
run("display l2tp tunnel json")
t = json_line()[0]
assert t["state"] == "established", t
assert t["authenticated"], t
assert t["remote_name"] == "lns.test", t
assert t["hellos_out"] >= 2, t
assert t["retransmits"] == 0 and t["unacked"] == 0, t
tid = t["local_tid"]
run("call open")
run("wait 2")
run("display l2tp tunnel %d json" % tid)
t = json_line()
assert t["sessions_total"] == 1, t
run("reset l2tp tunnel %d result 1 message done" % tid)
run("wait idle tunnel %d timeout 10" % tid)
run("display l2tp tunnel %d json" % tid)
t = json_line()
assert t["state"] == "closing" and t["unacked"] == 0, t
run("quit")
out, err = p.communicate(timeout=30)
assert err == "", err
EOS
sh "$PEER" wait "$XL2TPD_DIR" 'done|Goodbye|StopCCN|close' 5 >/dev/null ||
    bad "xl2tpd did not see our StopCCN"

# 1b. A secret for this peer wins over a wrong default one.
"$L2TPSH" -c "set secret wrong; set secret s3cr3t peer 127.0.0.1;
    lac connect 127.0.0.1 port $XL2TPD_PORT; wait established timeout 5;
    display l2tp tunnel json; display l2tp config" >"$T/o" 2>"$T/e" ||
    bad "per-peer secret: $(cat "$T/e")"
grep -q '"authenticated":true' "$T/o" || bad "per-peer secret not used"
grep -q '^secret peer 127.0.0.1 +\*\*\*\*\*\*\*\* +no$' "$T/o" ||
    grep -qE '^secret peer 127\.0\.0\.1 +\*{8} +no$' "$T/o" ||
    bad "display l2tp config lacks the peer's secret: $(cat "$T/o")"
grep -q 's3cr3t\|wrong' "$T/o" && bad "a secret shown in clear"

# 2. The wrong secret: the tunnel never comes up, and the shell says why.
"$L2TPSH" -c "set secret wrong; set challenge on;
    lac connect 127.0.0.1 port $XL2TPD_PORT; wait established timeout 5" \
    >"$T/o" 2>"$T/e" && bad "a wrong secret gave an established tunnel"
grep -qE "wait established: timed out after 5 s \((tunnel [0-9]+ is (closing|idle|wait-ctl-reply)|no tunnel)\)" \
    "$T/e" || bad "wrong secret: $(cat "$T/e")"
printf '%s\n' 'debugging l2tp event' 'set secret wrong' 'set challenge on' \
    "lac connect 127.0.0.1 port $XL2TPD_PORT" 'wait 2' |
    "$L2TPSH" >"$T/o" 2>&1
grep -qiE "auth: .*(wrong|not right|fail)|StopCCN .*challenge" "$T/o" ||
    bad "the failure is not reported: $(cat "$T/o")"
sh "$PEER" stop "$XL2TPD_DIR" >/dev/null 2>&1

# 3. l2tpsh as LNS, dialled by an xl2tpd LAC with a tunnel and a call.
port=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 - "$L2TPSH" "$port" "$PEER" <<'EOS' || bad "LNS dialled by xl2tpd"
import json, subprocess, sys, re
l2tpsh, port, peer = sys.argv[1], sys.argv[2], sys.argv[3]
p = subprocess.Popen([l2tpsh], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                     stderr=subprocess.PIPE, text=True, bufsize=1)
def run(cmd):
    p.stdin.write(cmd + "\n")
    p.stdin.flush()
run("set secret s3cr3t")
run("set challenge on")
run("lns listen 127.0.0.1 port " + port)
run("display l2tp config json")
json.loads(p.stdout.readline())   # the listen is done before xl2tpd dials
# An ephemeral port of its own: another xl2tpd (another test) may hold 1701.
out = subprocess.run(["sh", peer, "start", "--role", "lac", "--port", "0",
                      "--secret", "s3cr3t", "--lns", "127.0.0.1:" + port,
                      "--open", "call"], capture_output=True, text=True,
                     timeout=30)
assert out.returncode == 0, out
d = re.search(r"XL2TPD_DIR=(\S+)", out.stdout).group(1)
try:
    run("wait established timeout 10")
    run("wait 2")
    run("display l2tp tunnel json")
    t = json.loads(p.stdout.readline())[0]
    assert t["state"] == "established" and t["role"] == "lns", t
    assert t["remote_name"] == "lac.test", t
    assert t["authenticated"], t
    assert t["sessions_total"] >= 1, t
    run("quit")
    o, e = p.communicate(timeout=30)
    assert e == "", e
finally:
    subprocess.run(["sh", peer, "stop", d], capture_output=True, timeout=30)
EOS
[ $fail -eq 0 ] && echo "ok: LAC with auth, Hellos, a call and reset; wrong secret; LNS dialled by xl2tpd"
exit $fail
