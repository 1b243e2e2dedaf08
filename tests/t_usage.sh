#!/bin/sh
# l2tpsh -h lists every option main() accepts: the short ones of its getopt
# string and the long ones of its option table, read from cli/main.c.
set -u
: "${L2TPSH:?set L2TPSH to the built l2tpsh}"
: "${SRCDIR:?set SRCDIR to the source tree}"
main="$SRCDIR/cli/main.c"
out=$("$L2TPSH" -h) || { echo "FAIL: l2tpsh -h exited non-zero"; exit 1; }
short=$(sed -n 's/.*getopt_long(argc, argv, "\([^"]*\)".*/\1/p' "$main" | tr -d ':')
long=$(sed -n 's/^[[:space:]]*{"\([a-z-]*\)", [a-z_]*argument.*/\1/p' "$main")
[ -n "$short" ] && [ -n "$long" ] || { echo "FAIL: cannot read the options of $main"; exit 1; }
bad=0
for c in $(printf '%s' "$short" | sed 's/./& /g'); do
	# -j -q may be grouped as [-jq]: the letter after a '-' in a group
	printf '%s\n' "$out" | grep -Eq -- "-[a-zA-Z]*$c" || {
		echo "FAIL: usage does not list -$c"
		bad=1
	}
done
for l in $long; do
	printf '%s\n' "$out" | grep -q -- "--$l" || {
		# --json and --verbose are the long forms of -j and -v
		case $l in json | verbose) continue ;; esac
		echo "FAIL: usage does not list --$l"
		bad=1
	}
done
[ $bad -eq 0 ] && echo "usage lists -$short and --$(echo $long | sed 's/ / --/g')"
exit $bad
