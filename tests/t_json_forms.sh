#!/bin/sh
# Every JSON form the shell prints parses, live and captured: each command
# whose synopsis offers [json] (read from `help`, so a new one must be added
# here) is run under -j over a lab tunnel with a call, in step mode, over a
# capture `analyze` loaded, and the events of debugging too; every line of
# stdout must be one JSON document (python3's json).
set -u
: "${L2TPSH:?set L2TPSH to the built l2tpsh}"
: "${TESTDATA:?set TESTDATA to tests/data}"
command -v python3 >/dev/null 2>&1 || { echo "python3 is not installed"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
export HOME="$T"
fails=0
fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

cap="$TESTDATA/xl2tpd-call.pcap"
hid="$TESTDATA/xl2tpd-hidden.pcap"
live='set secret s; set hide-avps on; lab start; debugging l2tp all;
lac connect lab; wait established timeout 5; call open; wait 1;
wait session-up timeout 5; ping 10.201.1.1 count 2 interval 100;
display l2tp tunnel; display l2tp tunnel verbose; display l2tp session;
display l2tp statistics; display l2tp config; display l2tp history;
display l2tp history ladder; display packet 1; display packet 2 verbose;
set mode step; send hello; pending; step; step; wait 1; pending'
# The captured tunnel's local id, for its history.
tid=$("$L2TPSH" -j -c "analyze $cap; display l2tp tunnel" 2>/dev/null |
    sed -n 's/.*"local_tid":\([0-9]*\).*"source":"capture".*/\1/p' | head -n 1)
[ -n "$tid" ] || { echo "FAIL: no captured tunnel in $cap"; exit 1; }
captured="analyze $cap; display l2tp tunnel; display l2tp tunnel verbose;
display l2tp tunnel $tid; display l2tp history tunnel $tid;
display l2tp session; display l2tp statistics; display l2tp history;
display l2tp history ladder; decode $hid secret foobar; decode $cap verbose;
analyze $hid secret foobar"
all="$live; $captured"

# The commands that print JSON, from the command table's own help.
"$L2TPSH" -c help >"$T/help" || fail "help"
sed -n 's/^\([a-z][a-z ]*[a-z]\)\( [A-Z[].*\)*\[json\].*/\1/p' "$T/help" |
    sed 's/ \[.*//' | sort -u >"$T/forms"
[ -s "$T/forms" ] || fail "help lists no command with [json]"
while read -r form; do
	case $form in
	"capture start") continue ;; # below, as root
	esac
	printf '%s\n' "$all" | tr ';' '\n' | sed 's/^ *//' |
	    grep -q "^$form\( \|$\)" || fail "'$form' prints JSON but is not run here"
done <"$T/forms"

check() { # name file: every non-empty line parses; at least min lines
	python3 - "$1" "$2" "$3" <<'PY'
import json, sys
name, path, least = sys.argv[1], sys.argv[2], int(sys.argv[3])
n = bad = 0
for no, line in enumerate(open(path, encoding="utf-8"), 1):
    if not line.strip():
        continue
    n += 1
    try:
        json.loads(line)
    except ValueError as e:
        bad += 1
        print("FAIL: %s: line %d is not JSON (%s): %s" % (name, no, e, line[:200]))
if n < least:
    print("FAIL: %s: %d JSON lines, expected at least %d" % (name, n, least))
    bad += 1
print("%s: %d JSON lines parsed" % (name, n))
sys.exit(1 if bad else 0)
PY
}

"$L2TPSH" -j -c "$live" >"$T/live" 2>"$T/live.err"
check "live, -j" "$T/live" 40 || fails=$((fails + 1))
"$L2TPSH" -j -c "$captured" >"$T/cap" 2>"$T/cap.err"
check "captured, -j" "$T/cap" 8 || fails=$((fails + 1))
# The json keyword without -j: the same forms.
"$L2TPSH" -c "analyze $cap json; display l2tp tunnel json;
display l2tp session json; display l2tp statistics json;
display l2tp history tunnel $tid json; display l2tp config json" 2>"$T/kw.err" |
    grep -v '^Info: ' >"$T/kw"
check "json keyword" "$T/kw" 10 || fails=$((fails + 1))
"$L2TPSH" -r "$hid" --secret foobar -j >"$T/r" 2>/dev/null
check "-r -j" "$T/r" 5 || fails=$((fails + 1))
"$L2TPSH" -r "$cap" --analyze -j >"$T/an" 2>/dev/null
check "-r --analyze -j" "$T/an" 1 || fails=$((fails + 1))

if [ "$(id -u)" -eq 0 ]; then
	"$L2TPSH" -j -c "set secret s; set hide-avps on; lab start;
capture start lo json; lac connect lab; wait established timeout 5;
wait 1; capture stop" >"$T/capture" 2>"$T/capture.err"
	check "capture start lo json" "$T/capture" 4 || fails=$((fails + 1))
else
	echo "capture start json: skipped (needs root)"
fi
[ $fails -eq 0 ] || exit 1
