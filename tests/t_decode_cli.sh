#!/bin/sh
# l2tpsh -r / -i as a user runs it: exact error lines and exit codes, filters, -C, --port, summaries of the test captures (RFC 2661 §8.1 port 1701).
set -u
: "${L2TPSH:?}" "${TESTDATA:?}"
export TZ=UTC
tmp=$(mktemp -d)
chmod 755 "$tmp"
bgpid=
writer=
cleanup() {
	[ -n "$bgpid" ] && kill "$bgpid" 2>/dev/null
	[ -n "$writer" ] && kill "$writer" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
failed=0
checks=0

fail() {
	echo "FAIL: $*" >&2
	failed=1
}

# expect NAME STATUS STDERR CMD...: exit status and stderr exactly.
expect() {
	name=$1 want_rc=$2 want_err=$3
	shift 3
	checks=$((checks + 1))
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ "$rc" = "$want_rc" ] || fail "$name: exit status $rc, want $want_rc"
	got=$(cat "$tmp/err")
	[ "$got" = "$want_err" ] ||
	    fail "$name: stderr
  got:  $got
  want: $want_err"
}

# has NAME FILE LINE: FILE holds exactly this line.
has() {
	checks=$((checks + 1))
	grep -qxF -- "$3" "$2" || {
		fail "$1: no line
  want: $3
  got (last lines):"
		tail -3 "$2" >&2
	}
}

# summary NAME FILE LINE: the summary line is exactly LINE.
summary() {
	checks=$((checks + 1))
	got=$(grep -E '^[0-9]+ packets? read, ' "$2")
	[ "$got" = "$3" ] || fail "$1: summary
  got:  $got
  want: $3"
}

L=$L2TPSH
D=$TESTDATA

# ---- files that cannot be read ----
expect "missing file" 1 "l2tpsh: $tmp/x.pcap: no such file" \
    "$L" -r "$tmp/x.pcap"
expect "missing directory" 1 \
    "l2tpsh: $tmp/nodir/x.pcap: no such file" "$L" -r "$tmp/nodir/x.pcap"
printf 'just some notes\nnot a capture\n' >"$tmp/notes.txt"
expect "text file" 1 \
    "l2tpsh: $tmp/notes.txt: is not a pcap or pcapng capture file (write one with tcpdump -w or dumpcap; convert other formats with editcap -F pcap)" \
    "$L" -r "$tmp/notes.txt"
expect "directory" 1 "l2tpsh: $tmp: is a directory, not a capture file" \
    "$L" -r "$tmp"
: >"$tmp/empty.pcap"
expect "empty file" 1 "l2tpsh: $tmp/empty.pcap: is empty, not a capture file" \
    "$L" -r "$tmp/empty.pcap"
head -c 10 "$D/nb6-http.pcap" >"$tmp/hdr.pcap"
expect "cut-off pcap header" 1 \
    "l2tpsh: $tmp/hdr.pcap: the pcap file header is cut off (10 of 24 bytes)" \
    "$L" -r "$tmp/hdr.pcap"
gzip -c "$D/nb6-http.pcap" >"$tmp/gz.pcap.gz"
expect "gzip file" 1 \
    "l2tpsh: $tmp/gz.pcap.gz: is gzip-compressed: decompress it first (gunzip)" \
    "$L" -r "$tmp/gz.pcap.gz"

cp "$D/xl2tpd-auth.pcap" "$tmp/secret.pcap"
chmod 600 "$tmp/secret.pcap"
if [ "$(id -u)" = 0 ]; then
	expect "unreadable file" 1 "l2tpsh: $tmp/secret.pcap: permission denied (check its mode, or read it as a user allowed to)" \
	    setpriv --reuid=65534 --regid=65534 --clear-groups \
	    "$L" -r "$tmp/secret.pcap"
else
	chmod 000 "$tmp/secret.pcap"
	expect "unreadable file" 1 "l2tpsh: $tmp/secret.pcap: permission denied (check its mode, or read it as a user allowed to)" \
	    "$L" -r "$tmp/secret.pcap"
fi

# A capture cut in the middle of a record: what is there is decoded and
# summarised, the cut is reported, and the exit status is 1.
head -c 1000 "$D/nb6-http.pcap" >"$tmp/cut.pcap"
"$L" -r "$tmp/cut.pcap" >"$tmp/out" 2>"$tmp/err"
rc=$?
checks=$((checks + 1))
[ $rc = 1 ] || fail "cut-off capture: exit status $rc, want 1"
case $(cat "$tmp/err") in
"l2tpsh: $tmp/cut.pcap: the capture is cut off after packet 6 (truncated dump file;"*) ;;
*) fail "cut-off capture: stderr '$(cat "$tmp/err")'" ;;
esac
summary "cut-off capture" "$tmp/out" \
    "6 packets read, 0 L2TP: 0 control, 0 data; 0 truncated, 0 malformed, 0 unsupported; 6 not L2TP skipped"

# ---- filters ----
expect "bad filter" 1 \
    "l2tpsh: filter 'hots 1': can't parse filter expression: syntax error; see pcap-filter(7)" \
    "$L" -r "$D/nb6-http.pcap" hots 1
expect "good filter" 0 "" "$L" -r "$D/xl2tpd-auth.pcap" src host 127.0.0.2
summary "filter src host" "$tmp/out" \
    "6 packets read, 6 L2TP: 6 control (1 SCCRQ, 1 SCCCN, 1 StopCCN, 1 ICRQ, 1 ICCN, 1 CDN), 0 data; 0 truncated, 0 malformed, 0 unsupported; 0 not L2TP skipped"
expect "filter on PPPoE" 0 "" "$L" -r "$D/nb6-http.pcap" pppoes and udp port 1701
summary "filter pppoes" "$tmp/out" \
    "19 packets read, 19 L2TP: 2 control (1 HELLO, 1 ZLB), 17 data; 0 truncated, 0 malformed, 0 unsupported; 0 not L2TP skipped"
expect "filter matching nothing" 0 "" "$L" -r "$D/nb6-http.pcap" udp port 1701
has "filter matching nothing" "$tmp/out" \
    "no packets matched the filter 'udp port 1701' (for PPPoE or VLAN traffic, start it with 'pppoes and' or 'vlan and')"

# ---- -C and --port ----
expect "-C 5" 0 "" "$L" -r "$D/xl2tpd-auth.pcap" -C 5
summary "-C 5" "$tmp/out" \
    "5 packets read, 5 L2TP: 5 control (1 SCCRQ, 1 SCCRP, 1 SCCCN, 1 ICRQ, 1 ZLB), 0 data; 0 truncated, 0 malformed, 0 unsupported; 0 not L2TP skipped"
[ "$(grep -c . "$tmp/out")" = 6 ] || fail "-C 5: not 5 packet lines and a summary"
expect "--port elsewhere" 0 "" "$L" -r "$D/xl2tpd-tunnel-only.pcap" --port 1702
summary "--port elsewhere" "$tmp/out" \
    "6 packets read, 0 L2TP: 0 control, 0 data; 0 truncated, 0 malformed, 0 unsupported; 6 not L2TP skipped"
has "--port elsewhere" "$tmp/out" \
    "no cleartext L2TP: none of the 6 packets is L2TP over UDP port 1702 or IP protocol 115; if L2TP runs on another UDP port, name it with --port N"
expect "--port twice" 0 "" "$L" -r "$D/xl2tpd-tunnel-only.pcap" \
    --port 1702 --port 1701
summary "--port twice" "$tmp/out" \
    "6 packets read, 6 L2TP: 6 control (1 SCCRQ, 1 SCCRP, 1 SCCCN, 1 StopCCN, 2 ZLB), 0 data; 0 truncated, 0 malformed, 0 unsupported; 0 not L2TP skipped"

# ---- the test captures, against their provenance notes ----
run_summary() {
	expect "$1" 0 "" "$L" -r "$D/$1"
	summary "$1" "$tmp/out" "$2"
}
run_summary nb6-http.pcap \
    "62 packets read, 19 L2TP: 2 control (1 HELLO, 1 ZLB), 17 data; 0 truncated, 0 malformed, 0 unsupported; 43 not L2TP skipped"
run_summary nb6-hotspot.pcap \
    "347 packets read, 19 L2TP: 2 control (1 HELLO, 1 ZLB), 17 data; 0 truncated, 0 malformed, 0 unsupported; 328 not L2TP skipped"
run_summary nb6-telephone.pcap \
    "527 packets read, 6 L2TP: 0 control, 6 data; 0 truncated, 0 malformed, 0 unsupported; 521 not L2TP skipped"
run_summary packetnet-l2tp.pcap \
    "1 packet read, 1 L2TP: 0 control, 1 data; 0 truncated, 0 malformed, 0 unsupported; 0 not L2TP skipped"
run_summary xl2tpd-auth.pcap \
    "13 packets read, 13 L2TP: 13 control (1 SCCRQ, 1 SCCRP, 1 SCCCN, 1 StopCCN, 1 ICRQ, 1 ICRP, 1 ICCN, 1 CDN, 5 ZLB), 0 data; 0 truncated, 0 malformed, 0 unsupported; 0 not L2TP skipped"
run_summary xl2tpd-badsecret.pcap \
    "5 packets read, 5 L2TP: 5 control (1 SCCRQ, 1 SCCRP, 1 StopCCN, 2 ZLB), 0 data; 0 truncated, 0 malformed, 0 unsupported; 0 not L2TP skipped"
run_summary flowcontainer-l2tp.pcap \
    "2350 packets read, 0 L2TP: 0 control, 0 data; 0 truncated, 0 malformed, 0 unsupported; 2350 not L2TP skipped"
has "IPsec advice" "$tmp/out" \
    "no cleartext L2TP: 2342 ESP-in-UDP (NAT-T, UDP 4500) frames, 4 IKE frames on UDP 4500, 4 NAT-T keepalives: the L2TP is encrypted inside IPsec; capture inside the tunnel or on the LNS"
[ "$(grep -c . "$tmp/out")" = 2 ] ||
    fail "flowcontainer: expected only the summary and the advice"

# pcapng reads the same
if command -v editcap >/dev/null 2>&1; then
	editcap -F pcapng "$D/nb6-http.pcap" "$tmp/http.pcapng"
	expect "pcapng" 0 "" "$L" -r "$tmp/http.pcapng"
	summary "pcapng" "$tmp/out" \
	    "62 packets read, 19 L2TP: 2 control (1 HELLO, 1 ZLB), 17 data; 0 truncated, 0 malformed, 0 unsupported; 43 not L2TP skipped"
	head -c 20 "$tmp/http.pcapng" >"$tmp/cut.pcapng"
	expect "cut-off pcapng header" 1 \
	    "l2tpsh: $tmp/cut.pcapng: the pcapng section header is cut off (20 of 28 bytes)" \
	    "$L" -r "$tmp/cut.pcapng"
fi

# -j: stdout is JSON lines only; the summary goes to stderr
"$L" -r "$D/nb6-http.pcap" -j >"$tmp/out" 2>"$tmp/err"
checks=$((checks + 1))
[ $? = 0 ] || fail "-j: exit status"
[ "$(grep -c . "$tmp/out")" = 19 ] || fail "-j: not 19 JSON lines"
python3 -c '
import json, sys
for n, line in enumerate(open(sys.argv[1]), 1):
    o = json.loads(line)
    assert isinstance(o, dict) and "frame" in o, "line %d" % n
' "$tmp/out" || fail "-j: stdout is not JSON lines"
summary "-j summary on stderr" "$tmp/err" \
    "62 packets read, 19 L2TP: 2 control (1 HELLO, 1 ZLB), 17 data; 0 truncated, 0 malformed, 0 unsupported; 43 not L2TP skipped"

# ---- crafted captures: raw IP, another port, fragments, snap length ----
python3 - "$tmp" <<'EOF'
import struct, sys
d = sys.argv[1]
hello = bytes.fromhex("c8020014002a0000000100028008000000000006")
def ip4(payload, proto=17, ident=1, frag=0x4000, tot=None):
    tot = 20 + len(payload) if tot is None else tot
    return struct.pack("!BBHHHBBH4s4s", 0x45, 0, tot, ident, frag, 64,
                       proto, 0, bytes([10, 0, 0, 1]),
                       bytes([10, 0, 0, 2])) + payload
def udp(sport, dport, payload):
    return struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
def pcap(name, linktype, frames):
    with open(d + "/" + name, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535,
                            linktype))
        for i, fr in enumerate(frames):
            data, wire = fr if isinstance(fr, tuple) else (fr, len(fr))
            f.write(struct.pack("<IIII", 1700000000 + i, 0, len(data), wire))
            f.write(data)
# L2TP on UDP 5000, raw IPv4 (LINKTYPE_RAW)
pcap("port5000.pcap", 101, [ip4(udp(5000, 5000, hello))] * 3)
# one datagram in three fragments, out of order, then a lone fragment
# a HELLO with a 34-byte Random Vector: 60 bytes of L2TP
rvhello = (bytes.fromhex("c802003c002a00000001000280080000000000068028000000")
           + bytes([0x24]) + bytes(range(34)))
dg = udp(1701, 1701, rvhello)
frags = [ip4(dg[16:32], ident=7, frag=0x2000 | 2),
         ip4(dg[32:], ident=7, frag=4),
         ip4(dg[:16], ident=7, frag=0x2000),
         ip4(dg[:16], ident=8, frag=0x2000)]
pcap("frags.pcap", 101, frags)
# cut by the snap length: inside the IP header, inside the L2TP header
full = ip4(udp(1701, 1701, hello))
pcap("snap.pcap", 101, [(full[:12], len(full)), (full[:32], len(full)),
                        full])
# a lone fragment
pcap("lonefrag.pcap", 101, [ip4(bytes(16), ident=9, frag=0x2000 | 4)])
# a record longer than the snap length: libpcap refuses it
with open(d + "/badrec.pcap", "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 101))
    f.write(struct.pack("<IIII", 1, 0, 0x7fffffff, 0x7fffffff))
# a link type l2tpsh does not read (LINKTYPE_IEEE802_11)
pcap("wifi.pcap", 105, [bytes(30)])
EOF
expect "port 5000 unasked" 0 "" "$L" -r "$tmp/port5000.pcap"
has "port 5000 unasked" "$tmp/out" \
    "no cleartext L2TP: none of the 3 packets is L2TP over UDP port 1701 or IP protocol 115; if L2TP runs on another UDP port, name it with --port N"
expect "--port 5000" 0 "" "$L" -r "$tmp/port5000.pcap" --port 5000
summary "--port 5000" "$tmp/out" \
    "3 packets read, 3 L2TP: 3 control (3 HELLO), 0 data; 0 truncated, 0 malformed, 0 unsupported; 0 not L2TP skipped"
expect "fragments" 0 "" "$L" -r "$tmp/frags.pcap"
summary "fragments" "$tmp/out" \
    "4 packets read, 1 L2TP: 1 control (1 HELLO), 0 data; 0 truncated, 0 malformed, 0 unsupported; 0 not L2TP skipped; 3 IP fragments (1 reassembled, 1 incomplete)"
expect "snap length" 0 "" "$L" -r "$tmp/snap.pcap"
summary "snap length" "$tmp/out" \
    "3 packets read, 2 L2TP: 1 control (1 HELLO), 0 data; 2 truncated, 0 malformed, 0 unsupported; 0 not L2TP skipped"
expect "lone fragment" 0 "" "$L" -r "$tmp/lonefrag.pcap"
summary "lone fragment" "$tmp/out" \
    "1 packet read, 0 L2TP: 0 control, 0 data; 0 truncated, 0 malformed, 0 unsupported; 0 not L2TP skipped; 1 IP fragment (0 reassembled, 1 incomplete)"
has "lone fragment" "$tmp/out" \
    "no cleartext L2TP: 1 IP fragment of UDP or L2TP/IP, but no datagram was whole: capture every fragment of each, with a snap length that keeps them whole"
expect "damaged record" 1 \
    "l2tpsh: $tmp/badrec.pcap: cannot read past packet 0: invalid packet capture length 2147483647, bigger than snaplen of 65535" \
    "$L" -r "$tmp/badrec.pcap"
expect "unsupported link type" 1 \
    "l2tpsh: $tmp/wifi.pcap: link type IEEE802_11 (105) is not supported; l2tpsh reads Ethernet, Linux cooked (SLL, SLL2), raw IP, BSD loopback, PPP and Cisco HDLC" \
    "$L" -r "$tmp/wifi.pcap"

# ---- Ctrl-C ends a file decode with the summary of what was read ----
mkfifo "$tmp/fifo"
python3 - "$tmp/fifo" <<'EOF' &
import struct, sys, time
hello = bytes.fromhex("c8020014002a0000000100028008000000000006")
frame = struct.pack("!BBHHHBBH4s4sHHHH", 0x45, 0, 48, 1, 0x4000, 64, 17, 0,
                    bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]),
                    1701, 1701, 28, 0) + hello
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 101))
    for i in range(3):
        f.write(struct.pack("<IIII", i, 0, len(frame), len(frame)) + frame)
    f.flush()
    open(sys.argv[1] + ".ready", "w").close()
    time.sleep(20)  # hold the pipe open: l2tpsh waits for more
EOF
writer=$!
"$L" -r "$tmp/fifo" >"$tmp/out" 2>"$tmp/err" &
bgpid=$!
# On a loaded machine python may take seconds to start: signal only once
# the packets are in the pipe (at most 20 s), then give l2tpsh a moment.
i=0
while [ ! -e "$tmp/fifo.ready" ] && [ $i -lt 200 ]; do
	sleep 0.1
	i=$((i + 1))
done
sleep 1
kill -INT "$bgpid"
wait "$bgpid"
rc=$?
bgpid=
kill "$writer" 2>/dev/null
wait "$writer" 2>/dev/null
writer=
checks=$((checks + 1))
[ $rc = 1 ] || fail "interrupted decode: exit status $rc, want 1"
[ "$(cat "$tmp/err")" = "l2tpsh: $tmp/fifo: interrupted after packet 3" ] ||
    fail "interrupted decode: stderr '$(cat "$tmp/err")'"
summary "interrupted decode" "$tmp/out" \
    "3 packets read, 3 L2TP: 3 control (3 HELLO), 0 data; 0 truncated, 0 malformed, 0 unsupported; 0 not L2TP skipped"

# ---- live capture ----
expect "no such interface" 1 \
    "l2tpsh: nosuch0: no such interface (list them with 'ip link')" \
    "$L" -i nosuch0
if [ "$(id -u)" = 0 ] && ip link show lo >/dev/null 2>&1; then
	expect "capture as nobody" 1 \
	    "l2tpsh: capture on lo: permission denied: run as root or give l2tpsh CAP_NET_RAW (setcap cap_net_raw,cap_net_admin=eip)" \
	    setpriv --reuid=65534 --regid=65534 --clear-groups "$L" -i lo
	expect "live bad filter" 1 \
	    "l2tpsh: filter 'udp prot 1': can't parse filter expression: syntax error; see pcap-filter(7)" \
	    "$L" -i lo udp prot 1
	# Send HELLOs to a port nothing listens on until l2tpsh has seen 2.
	port=$((20000 + $$ % 20000))
	"$L" -i lo --port $port -C 2 udp dst port $port >"$tmp/live" 2>"$tmp/liveerr" &
	bgpid=$!
	python3 - "$port" "$bgpid" <<'EOF'
import os, socket, sys, time
port, pid = int(sys.argv[1]), int(sys.argv[2])
hello = bytes.fromhex("c8020014002a0000000100028008000000000006")
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for _ in range(100):  # at most 20 s
    try:
        os.kill(pid, 0)
    except OSError:
        break
    if open("/proc/%d/stat" % pid).read().split()[2] == "Z":
        break
    s.sendto(hello, ("127.0.0.1", port))
    time.sleep(0.2)
EOF
	wait "$bgpid"
	rc=$?
	bgpid=
	checks=$((checks + 1))
	[ $rc = 0 ] || fail "live -C 2: exit status $rc: $(cat "$tmp/liveerr")"
	summary "live -C 2" "$tmp/live" \
	    "2 packets read, 2 L2TP: 2 control (2 HELLO), 0 data; 0 truncated, 0 malformed, 0 unsupported; 0 not L2TP skipped"
	# SIGTERM ends a capture with its summary
	"$L" -i lo --port $port udp dst port $port >"$tmp/live" 2>"$tmp/liveerr" &
	bgpid=$!
	sleep 1
	kill -TERM "$bgpid"
	wait "$bgpid"
	rc=$?
	bgpid=
	checks=$((checks + 1))
	[ $rc = 0 ] || fail "live SIGTERM: exit status $rc"
	has "live SIGTERM" "$tmp/live" "no packets matched the filter 'udp dst port $port' (for PPPoE or VLAN traffic, start it with 'pppoes and' or 'vlan and')"
fi

if [ $failed = 0 ]; then
	echo "t_decode_cli: $checks checks passed"
fi
exit $failed
