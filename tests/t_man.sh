#!/bin/sh
# The manual page: mandoc lint clean, every command of the table and every option of main.c in it.
set -u
: "${L2TPSH:?}" "${SRCDIR:?}"
command -v mandoc >/dev/null 2>&1 || { echo "mandoc is not installed"; exit 77; }
PAGE="$SRCDIR/man/l2tpsh.1"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
fail=0

# Warnings and errors fail; style notes (manuals not installed here) do not.
if ! mandoc -T lint -W warning "$PAGE" >"$T/lint" 2>&1; then
	grep -v 'mandoc.db' "$T/lint"
	echo "FAIL: mandoc -T lint reports the problems above"
	fail=1
fi

# Rendered wide, so a synopsis is on one line as the shell prints it.
mandoc -T ascii -O width=300 "$PAGE" | col -bx >"$T/page"
"$L2TPSH" -c help >"$T/help" || { echo "FAIL: l2tpsh -c help"; exit 1; }
grep -v '^ ' "$T/help" | grep -v '^$' | grep -v '^Keywords' |
    sed 's/  .*//' >"$T/synopses"
n=$(wc -l <"$T/synopses")
[ "$n" -gt 40 ] || { echo "FAIL: only $n commands in help"; fail=1; }
while IFS= read -r syn; do
	if ! grep -qF -- "$syn" "$T/page"; then
		echo "FAIL: the page lacks the command '$syn'"
		fail=1
	fi
done <"$T/synopses"

# Every option main.c takes is described.
short=$(sed -n 's/.*getopt_long(argc, argv, "\([^"]*\)".*/\1/p' \
    "$SRCDIR/cli/main.c" | tr -d ':')
[ -n "$short" ] || { echo "FAIL: cannot find the options in main.c"; exit 1; }
for c in $(echo "$short" | sed 's/./& /g'); do
	grep -qE -- "(^| )-$c( |,|$)" "$T/page" || {
		echo "FAIL: the page lacks option -$c"
		fail=1
	}
done
for o in $(sed -n 's/^[[:space:]]*{"\([a-z-]*\)", [a-z_]*_argument.*/\1/p' \
    "$SRCDIR/cli/main.c"); do
	grep -qF -- "--$o" "$T/page" || {
		echo "FAIL: the page lacks option --$o"
		fail=1
	}
done

# The examples are true: run them and compare with the page.
"$L2TPSH" -c 'display l2tp ?' >"$T/ex1"
while IFS= read -r l; do
	l=$(echo "$l" | sed 's/^ *//')
	grep -qF -- "$l" "$T/page" || {
		echo "FAIL: example output '$l' is not in the page"
		fail=1
	}
done <"$T/ex1"
"$L2TPSH" -c disply 2>"$T/ex2" && { echo "FAIL: disply succeeded"; fail=1; }
grep -qF -- "$(cat "$T/ex2")" "$T/page" || {
	echo "FAIL: the page shows another error for disply: $(cat "$T/ex2")"
	fail=1
}
[ $fail -eq 0 ] && echo "ok: lint clean, $n commands and every option documented"
exit $fail
