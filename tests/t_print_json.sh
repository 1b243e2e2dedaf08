#!/bin/sh
# l2tpsh -r -j over every test capture: each line strict JSON (RFC 8259) with the keys and types of docs/json.md; -v and the line form one block per packet.
set -u
: "${L2TPSH:?}" "${TESTDATA:?}" "${SRCDIR:?}"
export TZ=UTC
command -v python3 >/dev/null 2>&1 || { echo "SKIP: no python3"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
failed=0
n=0

cat >"$tmp/check.py" <<'EOF'
# Strict: NaN/Infinity refused, duplicate keys refused, types per docs/json.md.
import json
import sys


def no_const(c):
    raise ValueError("non-JSON constant " + c)


def no_dups(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("duplicate key in " + repr(keys))
    return dict(pairs)


def need(o, k, types, where):
    if k not in o:
        raise ValueError("%s: key %r missing" % (where, k))
    if not isinstance(o[k], types) or (isinstance(o[k], bool) and
                                       bool not in types):
        raise ValueError("%s: %r is %r" % (where, k, o[k]))
    return o[k]


num = (int,)
opt_num = (int, type(None))
opt_str = (str, type(None))
count = 0
for lineno, line in enumerate(sys.stdin, 1):
    where = "%s:%d" % (sys.argv[1], lineno)
    o = json.loads(line, parse_constant=no_const, object_pairs_hook=no_dups)
    need(o, "frame", num, where)
    need(o, "time", (int, float), where)
    for k in ("src", "dst"):
        need(o, k, opt_str, where)
    for k in ("sport", "dport"):
        need(o, k, opt_num, where)
    for e in need(o, "errors", (list,), where):
        if need(e, "kind", (str,), where) not in (
                "truncated", "malformed", "unsupported", "rfc", "fragment"):
            raise ValueError(where + ": error kind " + e["kind"])
        need(e, "what", (str,), where)
    l2 = need(o, "l2tp", (dict, type(None)), where)
    count += 1
    if l2 is None:
        continue
    need(l2, "version", num, where)
    t = need(l2, "type", (str,), where)
    if t not in ("control", "data"):
        raise ValueError(where + ": type " + t)
    if l2.get("header") is False:
        continue
    need(l2, "session", num, where)
    if l2["version"] == 2:
        need(l2, "tunnel", num, where)
    elif t == "control":
        need(l2, "ccid", num, where)
    msg = need(l2, "message", opt_str, where)
    if t == "data":
        if msg is not None:
            raise ValueError(where + ": data with a message")
        continue
    for k in ("ns", "nr", "length"):
        if k in l2:
            need(l2, k, num, where)
    for i, a in enumerate(need(l2, "avps", (list,), where)):
        w = "%s avp %d" % (where, i)
        need(a, "vendor", num, w)
        need(a, "type", num, w)
        need(a, "name", (str,), w)
        need(a, "key", opt_str, w)
        need(a, "mandatory", (bool,), w)
        need(a, "hidden", (bool,), w)
        need(a, "length", num, w)
        if "value" not in a:
            raise ValueError(w + ": no value")
        if a["hidden"]:
            need(a, "decrypted", (bool,), w)
        if a["key"] == "result_code" and isinstance(a["value"], dict):
            need(a["value"], "result", num, w)
            need(a["value"], "error", opt_num, w)
            need(a["value"], "message", opt_str, w)
        if a["key"] in ("host_name", "vendor_name") and not a["hidden"]:
            need(a, "value", (str,), w)
print(count)
EOF

for f in "$TESTDATA"/*.pcap "$TESTDATA"/*.pcapng "$TESTDATA"/*.cap; do
	[ -f "$f" ] || continue
	b=$(basename "$f")
	n=$((n + 1))
	"$L2TPSH" -r "$f" -j >"$tmp/j" 2>"$tmp/err"
	if ! lines=$(python3 "$tmp/check.py" "$b" <"$tmp/j" 2>"$tmp/perr"); then
		echo "FAIL: $b: $(tail -1 "$tmp/perr")" >&2
		failed=1
		continue
	fi
	"$L2TPSH" -r "$f" >"$tmp/l" 2>/dev/null
	"$L2TPSH" -r "$f" -v >"$tmp/v" 2>/dev/null
	# One line per JSON object in the line form, one "Frame N:" block (or
	# a reported frame line) per object in the tree.
	# (The summary after the packets starts with a count, not a time.)
	nl=$(grep -c '^[0-9][0-9]* [0-9][0-9]:[0-9][0-9]:' "$tmp/l")
	nv=$(grep -c -e '^Frame [0-9][0-9]*: ' \
	    -e '^[0-9][0-9]* [0-9][0-9]:[0-9][0-9]:' "$tmp/v")
	if [ "$nl" != "$lines" ] || [ "$nv" != "$lines" ]; then
		echo "FAIL: $b: $lines JSON objects, $nl lines, $nv tree blocks" >&2
		failed=1
	fi
done
[ "$n" -gt 0 ] || { echo "FAIL: no captures in $TESTDATA" >&2; exit 1; }
[ "$failed" = 0 ] && echo "ok: $n captures"
exit "$failed"
