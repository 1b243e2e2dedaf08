#!/bin/sh
# The progress line in a real terminal (tmux): a file that takes more than a second shows one line on stderr, redrawn in place (percent, packets, rate, time left), for -r, --analyze and the shell's decode and analyze; the line is cleared at the end; never when stderr is a file, never inside -j output.
set -u
: "${L2TPSH:?set L2TPSH to the built l2tpsh}" "${BUILDDIR:?}"
gen=$BUILDDIR/tests/gen_capture
[ -x "$gen" ] || { echo "t_progress_tmux: $gen not built" >&2; exit 1; }

TMUX_TAG=p TMUX_SCROLLBACK=1 TMUX_SESSION=p
. "$(dirname "$0")/tmux_lib.sh"
checks=0

# the progress line: "FILE: 42% 1.2M packets, 310k/s, 4 s left"
PROG='big\.pcap: +[0-9]+% [0-9.]+[kM]? packets, [0-9.]+[kM]?/s, [0-9]+ s left'

# a capture that takes more than a second: 1.5M packets, 1000 tunnels
# (scaled to this machine: bounded by the waits below, not by its speed)
nice "$gen" "$T/big.pcap" 1500000 1000 >/dev/null || fail "gen_capture failed"

# run CMD in a new window NAME; wait for the progress line, then the end
watch_run() { # name, command
	tm new-window -d -n "$1" "cd $T && env LC_ALL=C L2TPSH_PROGRESS_AFTER_MS=0 LSAN_OPTIONS=suppressions=$SUPP $2; echo \"exit status \$?\"; sleep 600" ||
	    fail "tmux could not run $2"
	i=0
	seen=0
	while [ $i -lt 1200 ]; do
		s=$(screen "$1")
		echo "$s" | grep -Eq "$PROG" && seen=1
		echo "$s" | grep -q "^exit status" && break
		sleep 0.05
		i=$((i + 1))
	done
	checks=$((checks + 1))
	echo "$s" | grep -q "^exit status 0" || fail "$2 did not end well: $s"
	checks=$((checks + 1))
	[ $seen = 1 ] || fail "$2: no progress line seen on the terminal"
	# cleared at the end: the last screen holds no progress text
	checks=$((checks + 1))
	echo "$s" | grep -Eq "$PROG" && fail "$2: the progress line stays: $s"
	return 0
}

tm new-session -d -s p -x 160 -y 40 "sleep 600" || fail "tmux could not start"
watch_run an "$L2TPSH -r big.pcap --analyze >an.out"
watch_run dec "$L2TPSH -r big.pcap >dec.out"
watch_run js "$L2TPSH -r big.pcap -j >dec.json"
watch_run w "$L2TPSH -r big.pcap --analyze -w copy.pcap >an2.out"
watch_run sh "$L2TPSH -c 'analyze big.pcap' >sh.out"
watch_run shd "$L2TPSH -c 'decode big.pcap' >shd.out"

# never in what goes to files
checks=$((checks + 1))
! grep -q "s left" "$T/dec.json" || fail "the progress line is in the -j output"
checks=$((checks + 1))
[ "$(wc -l <"$T/dec.json")" = 1500000 ] || fail "the -j output is not one line per packet"
checks=$((checks + 1))
! grep -q "s left" "$T/an.out" || fail "the progress line is in the analysis"
checks=$((checks + 1))
cmp -s "$T/big.pcap" "$T/copy.pcap" || fail "-w with no filter is not the same pcap"

# stderr a file: nothing but the summary, even from a terminal's shell
tm new-window -d -n f "cd $T && $L2TPSH -r big.pcap --analyze >f.out 2>f.err; $L2TPSH -c 'decode big.pcap' >g.out 2>g.err; echo done >f.done; sleep 600"
i=0
while [ ! -f "$T/f.done" ] && [ $i -lt 1200 ]; do
	sleep 0.05
	i=$((i + 1))
done
checks=$((checks + 1))
[ -f "$T/f.done" ] || fail "the runs with stderr to a file did not end"
for e in f.err g.err; do
	checks=$((checks + 1))
	! grep -Eq "s left|$(printf '\r')" "$T/$e" ||
	    fail "the progress line went to a file ($e): $(cat -v "$T/$e")"
done

echo "t_progress_tmux: $checks checks"
exit 0
