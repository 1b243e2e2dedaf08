#!/bin/sh
# The PPP story of each call in l2tpsh --analyze (RFC 1661, 1332, 1334, 1994, 5072; RFC 2661 §5.4): mkppp regenerates tests/data/ppp byte for byte, the words name what happened, and the JSON matches the schema of docs/analyze.md.
set -u
: "${L2TPSH:?}" "${TESTDATA:?}" "${BUILDDIR:?}"
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
export TZ=UTC LC_ALL=C
unset COLUMNS
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
failed=0
checks=0
P=$TESTDATA/ppp

fail() {
	echo "FAIL: $*" >&2
	failed=1
}

# the captures are what the generator writes
gen="$BUILDDIR/tests/mkppp"
[ -x "$gen" ] || { echo "t_ppp: $gen not built" >&2; exit 1; }
"$gen" "$tmp/gen" || fail "mkppp failed"
for f in "$P"/*.pcap; do
	checks=$((checks + 1))
	cmp -s "$f" "$tmp/gen/$(basename "$f")" ||
	    fail "$(basename "$f") differs from what mkppp writes now"
done
checks=$((checks + 1))
[ "$(ls "$tmp/gen" | wc -l)" = "$(ls "$P"/*.pcap | wc -l)" ] ||
    fail "mkppp writes another set of files than tests/data/ppp holds"

an() {
	name=$1
	shift
	timeout 60 "$L2TPSH" --analyze "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
	echo $? >"$tmp/$name.rc"
}

says() {
	checks=$((checks + 1))
	grep -qF -- "$2" "$tmp/$1.out" ||
	    { fail "$1: no '$2' in:"; sed 's/^/    /' "$tmp/$1.out" >&2; }
}

not_says() {
	checks=$((checks + 1))
	! grep -qF -- "$2" "$tmp/$1.out" || fail "$1: '$2' should not be there"
}

an pap -r "$P/ppp-pap-ipv6.pcap" --password wrong-pw --password s3cret
says pap 'PPP: LCP opened; PAP accepted; network phase 15.0 ms after the ICCN (IPv6CP)'
says pap 'the LNS Rejected Async-Control-Character-Map'
says pap 'Authentication: PAP by the LNS 127.0.0.1, user "alice"'
says pap 'password matches password 2'
says pap 'Authenticate-Ack "Welcome"'
says pap 'IPCP: Protocol-Rejected by the LNS 127.0.0.1 (it will not run IPv4)'
says pap 'the LAC interface id 0211:22ff:fe33:4455'
says pap 'Echo: the LNS 127.0.0.1 sent 3 Echo-Requests every 10.002 s, 3 answered'
says pap 'Ended: LCP Terminate-Request from the LAC 127.0.0.2 at 30.030 s, "User request", acknowledged'
not_says pap 's3cret"'
not_says pap 'PPP failure'
an papshow -r "$P/ppp-pap-ipv6.pcap" --show-passwords
says papshow 'password "s3cret"'
says papshow 'not checked: no password given (--password P)'
an papnone -r "$P/ppp-pap-ipv6.pcap" --password a --password b
says papnone 'password matches none of 2 passwords'

an chap -r "$P/ppp-chap-fail.pcap" --password wrong-pw --password right-pw
says chap 'CHAP/MD5 by the LNS 127.0.0.1, user "bob", 1 Challenge, 1 Response; response matches password 2; Failure "Authentication failed"'
says chap 'PPP failure: CHAP/MD5 Failure from the LNS for user "bob"'
says chap 'the server holds another one'
an chap1 -r "$P/ppp-chap-fail.pcap" --password nope
says chap1 'response matches none of 1 password;'
says chap1 'Likely cause: the user'"'"'s password or the RADIUS server'

an silent -r "$P/ppp-lcp-silent.pcap"
says silent 'PPP failure: the LNS sent 10 LCP Configure-Requests that the LAC never answered'
says silent 'the CDN from the LNS at 30.008 s (result 3) follows the PPP failure'
says silent 'Likely cause: no PPP client behind the LAC answers'

an seq -r "$P/ppp-ipcp-seq.pcap"
says seq 'the LAC address 10.0.0.5; the LNS address 10.0.0.1; DNS 192.0.2.53, 192.0.2.54'
says seq 'the LNS Rejected IP-Compression-Protocol'
says seq 'Sequencing Required in the ICCN, the LAC Ns on 11, 2 missing, 1 out of order'
says seq 'PPP failure: the last 3 LCP Echo-Requests from the LNS were not answered'

an rules -r "$P/ppp-rules.pcap"
says rules 'Findings: 5 (5 ppp)'
says rules 'LCP Configure-Nak id 9 does not match the Configure-Request'"'"'s id 1'
says rules 'option 1 (Maximum-Receive-Unit) has length 3, must be 4'
says rules 'LCP Configure-Ack id 3 does not echo the Configure-Request'"'"'s options'
says rules 'CHAP Response id 6 does not match the Challenge'"'"'s id 5'
says rules 'Likely cause: a looped-back link'

an nb6 -r "$TESTDATA/nb6-hotspot.pcap"
says nb6 'Call 1: seen only in data messages (its start is not in the capture), session ids 54110/8298'
says nb6 '109.6.1.72 sent 5 Echo-Requests every 10.014 s, 5 answered'

# the shell: `analyze FILE password P`, and the story under `display l2tp
# session ID` of a captured session
"$L2TPSH" -c "analyze $P/ppp-chap-fail.pcap password right-pw;
    display l2tp session 11" >"$tmp/sh.out" 2>&1
says sh 'response matches password 1'
says sh 'Source           '
says sh '    PPP failure: CHAP/MD5 Failure from the LNS for user "bob"'

# JSON: every key of calls[].ppp is in the schema of docs/analyze.md and
# every key the schema lists is there; the values are the story's
for c in ppp-pap-ipv6 ppp-chap-fail ppp-lcp-silent ppp-ipcp-seq ppp-rules; do
	"$L2TPSH" -r "$P/$c.pcap" --analyze -j --password right-pw \
	    --password s3cret --show-passwords >"$tmp/$c.json" 2>/dev/null
done
"$L2TPSH" -r "$TESTDATA/nb6-http.pcap" --analyze -j >"$tmp/nb6.json"
checks=$((checks + 1))
python3 - "$SRCDIR/docs/analyze.md" "$tmp" <<'EOF' || fail "JSON against docs/analyze.md"
import json, re, sys
doc = open(sys.argv[1]).read()
sec = doc[doc.index("## A call's PPP story"):]
keys = set()
for m in re.finditer(r"^\| `([^`]+)` \|", sec, re.M):
    k = m.group(1)
    if k.startswith("<cp>"):
        for cp in ("lcp", "ipcp", "ipv6cp", "ccp"):
            keys.add(cp + k[4:])
    else:
        keys.add(k)
optional = {"auth.password_index", "auth.pap_password"}

def paths(v, pre, out):
    if isinstance(v, dict):
        for k, x in v.items():
            p = pre + "." + k if pre else k
            out.add(p)
            paths(x, p, out)
    elif isinstance(v, list):
        for x in v:
            if isinstance(x, dict):
                paths(x, pre + "[]", out)

seen = set()
stories = {}
for name in ("ppp-pap-ipv6", "ppp-chap-fail", "ppp-lcp-silent", "ppp-ipcp-seq",
             "ppp-rules", "nb6"):
    d = json.load(open(f"{sys.argv[2]}/{name}.json"))
    call = d["tunnels"][0]["calls"][0]
    p = call["ppp"]
    got = set()
    paths(p, "", got)
    extra = got - keys
    assert not extra, (name, "not in docs/analyze.md", sorted(extra))
    seen |= got
    stories[name] = (call, p)
missing = keys - seen - optional
assert not missing, ("documented, never seen", sorted(missing))

c, p = stories["ppp-pap-ipv6"]
assert p["lac_side"] == 0 and p["auth"]["protocol"] == "PAP"
assert p["auth"]["user"] == "alice" and p["auth"]["result"] == "success"
assert p["auth"]["password"] == "match" and p["auth"]["password_index"] == 2
assert p["auth"]["pap_password"] == "s3cret"
assert p["ipcp"]["protocol_rejected_by"] == 1 and p["ipv6cp"]["opened"]
assert p["lcp"]["rejected"][1] == ["Async-Control-Character-Map"]
assert p["echo"][1]["requests"] == 3 and p["echo"][1]["replies"] == 3
assert abs(p["echo"][1]["interval_min"] - 10.002) < 0.001
assert p["terminate"]["by"] == 0 and p["terminate"]["message"] == "User request"
assert p["failure"] is None
c, p = stories["ppp-chap-fail"]
assert p["auth"]["protocol"] == "CHAP/MD5" and p["auth"]["result"] == "failure"
assert p["auth"]["password"] == "match" and p["auth"]["password_index"] == 1
assert "pap_password" not in p["auth"]
assert "RADIUS" in p["failure"]["check"]
c, p = stories["ppp-lcp-silent"]
assert p["lcp"]["requests"] == [0, 10] and not p["lcp"]["opened"]
assert p["failure"]["what"] == "the LNS sent 10 LCP Configure-Requests that the LAC never answered"
assert c["cleared_by"] == 1 and c["result"] == 3
c, p = stories["ppp-ipcp-seq"]
assert p["ipcp"]["addresses"] == ["10.0.0.5", "10.0.0.1"]
assert p["ipcp"]["dns"] == ["192.0.2.53", "192.0.2.54"]
assert p["sequencing_required"]
assert p["data"][0]["missing"] == 2 and p["data"][0]["out_of_order"] == 1
c, p = stories["ppp-rules"]
assert p["findings"] == 5 and p["lcp"]["loop"]
assert stories["ppp-rules"][0]  # the call
d = json.load(open(f"{sys.argv[2]}/ppp-rules.json"))
assert d["tunnels"][0]["findings_by_category"]["ppp"] == 5
c, p = stories["nb6"]
assert c["from_data"] and p["lac_side"] is None and p["lcp"] is None
assert p["echo"][0]["requests"] + p["echo"][1]["requests"] == 3
EOF

# memory that follows live state: 10 tunnels that stay up, 320 calls;
# each keeps its live call and the latest 16 ended ones, the rest summed
gc="$BUILDDIR/tests/gen_capture"
if [ -x "$gc" ]; then
	"$gc" "$tmp/calls.pcap" 20000 10 calls || fail "gen_capture failed"
	an fold -r "$tmp/calls.pcap" --secret bench-secret
	says fold 'Calls: 320 seen, 17 kept in full below (the live, the latest and the failed ones)'
	says fold '303 calls ended and summed: 303 connected, 0 failed, 0 data messages'
	says fold 'CDN results 3 x303'
	"$L2TPSH" -r "$tmp/calls.pcap" --analyze -j --secret bench-secret \
	    >"$tmp/fold.json" 2>/dev/null
	checks=$((checks + 1))
	python3 - "$tmp/fold.json" <<'EOF2' || fail "folded calls in JSON"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["analysis"]["calls"] == 3200
for t in d["tunnels"]:
    f = t["calls_folded"]
    assert t["calls_total"] == 320 and len(t["calls"]) == 17, t["calls_total"]
    assert f["calls"] == 303 and f["connected"] == 303 and f["failed"] == 0
    assert f["cdn_results"] == {"3": 303} and f["setup_avg_us"] == 2000
    assert set(f) == {"tunnels", "tunnel_messages", "calls", "connected",
                      "failed", "data", "ppp_opened", "setup_avg_us",
                      "setup_max_us", "cdn_results"}, sorted(f)
    # the latest 17, in order (serials count on across tunnels)
    sn = [c["serial"] for c in t["calls"]]
    assert sn == list(range(sn[0], sn[0] + 17)) and sn[0] % 1000 == 304, sn
EOF2
fi

if [ "$failed" = 0 ]; then
	echo "t_ppp: $checks checks passed"
fi
exit "$failed"
