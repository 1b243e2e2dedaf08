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
	(cd "$SRCDIR/tests/shell" && "$L2TPSH" -f "$name.in") >"$T/$name.out" 2>&1
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
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d) == 11 and d[1]["setting"] == "secret"' "$T/j1" ||
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
grep -qF "no such file" "$T/e" || bad "decode missing: $(cat "$T/e")"

# Every engine command says what is missing instead of pretending.
for c in 'lns listen' 'lac connect lab' 'lab start' 'step' 'pending' \
    'drop' 'edit 1' 'send hello' 'call open' 'call close 3' \
    'hello-interval 5 tunnel 1' 'reset l2tp tunnel 1' \
    'reset l2tp session 1' 'dis l2tp tunnel' 'dis l2tp session' \
    'dis l2tp statistics' 'dis l2tp history' 'display packet 1' \
    'wait established' 'record start x.pcap' 'record stop' \
    'capture start lo' 'capture stop'; do
	"$L2TPSH" -c "$c" >/dev/null 2>"$T/e" && bad "'$c' claims success"
	grep -qE "needs the (protocol engine|live capture)|no capture is running" \
	    "$T/e" || bad "'$c': $(cat "$T/e")"
done
[ $fail -eq 0 ] && echo "ok: transcripts, -c, -f, pipe, JSON, decode, errors"
exit $fail
