#!/bin/sh
# display l2tp session ID json over a captured session carries its PPP story: the "ppp" object of docs/analyze.md calls[].ppp, the same as --analyze -j gives for that call (text has had it since the story was built); a call without PPP has no "ppp" key.
set -u
: "${L2TPSH:?}" "${TESTDATA:?}"
export TZ=UTC LC_ALL=C
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
failed=0
checks=0

for f in "$TESTDATA"/ppp/*.pcap "$TESTDATA"/xl2tpd-call.pcap \
    "$TESTDATA"/nb6-hotspot.pcap; do
	b=$(basename "$f" .pcap)
	timeout 60 "$L2TPSH" -r "$f" --analyze -j --password s3cret \
	    >"$tmp/$b.an" 2>/dev/null
	# every call's local id (the initiator's, as display names it)
	python3 - "$tmp/$b.an" >"$tmp/$b.sids" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
for t in d["tunnels"]:
    for c in t.get("calls", []):
        print(c["sids"][0])
EOF
	for sid in $(cat "$tmp/$b.sids"); do
		checks=$((checks + 1))
		timeout 60 "$L2TPSH" -c "analyze $f password s3cret; display l2tp session $sid json" \
		    2>/dev/null | tail -1 >"$tmp/$b.$sid.disp"
		python3 - "$tmp/$b.an" "$tmp/$b.$sid.disp" "$sid" <<'EOF' ||
import json, sys
an = json.load(open(sys.argv[1]))
disp = json.load(open(sys.argv[2]))
sid = int(sys.argv[3])
assert isinstance(disp, list) and len(disp) == 1, disp
s = disp[0]
assert s["local_sid"] == sid and s["source"] == "capture", s
want = [c for t in an["tunnels"] for c in t.get("calls", [])
        if c["sids"][0] == sid][0]
if "ppp" in want:
    assert s.get("ppp") == want["ppp"], (s.get("ppp"), want["ppp"])
else:
    assert "ppp" not in s, s
EOF
		{
			echo "FAIL: $b session $sid: display json differs" >&2
			failed=1
		}
	done
done
checks=$((checks + 1))
grep -q '"ppp":{' "$tmp"/ppp-pap-ipv6.*.disp ||
    { echo "FAIL: no ppp object in any display" >&2; failed=1; }
checks=$((checks + 1))
! grep -q '"ppp"' "$tmp"/xl2tpd-call.*.disp ||
    { echo "FAIL: a call without PPP has a ppp key" >&2; failed=1; }
echo "t_display_ppp: $checks checks"
exit $failed
