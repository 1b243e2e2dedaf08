#!/bin/sh
# Analysis benchmark: l2tpsh -r FILE --analyze against the plain summary
# decode (l2tpsh -r FILE) on generated L2TPv2 captures (RFC 2661 control and
# data), output to /dev/null, TZ=UTC.  Not a test: prints wall and CPU time,
# peak memory and the ratios, for three captures:
#   A  N packets, TUNNELS side by side, 1 Hello each (tests/bench/run.sh's)
#   B  N/4 packets, the same shape: a quarter of A's tunnels
#   C  N packets, 100 Hellos per tunnel: about a seventh of A's tunnels
# so that the analysis' memory can be seen to follow the tunnels (A, B, C
# differ) and not the packets (A and C have as many), and two control-only
# captures of TUNNELS tunnels that stay up, call after call:
#   D  N packets (about N/6 calls)
#   E  3N packets (three times the calls)
# whose memory must follow the live calls, not the ended ones (E at most
# 1.3x D), with --analyze at most 1.5x the CPU time of the plain summary
# on D (issue 13).
#
# Usage: tests/bench/run_analyze.sh [N [TUNNELS]]  (defaults 1000000, 1000)
# Environment: BUILDDIR (default ./build), L2TPSH (default $BUILDDIR/l2tpsh).
set -u
export TZ=UTC LC_ALL=C
n=${1:-1000000}
tunnels=${2:-1000}
build=${BUILDDIR:-./build}
l2tpsh=${L2TPSH:-$build/l2tpsh}
gen=$build/tests/gen_capture
tbin=/usr/bin/time
for p in "$gen" "$l2tpsh"; do
	[ -x "$p" ] || { echo "bench: $p not built (cmake --build $build)" >&2; exit 1; }
done
[ -x "$tbin" ] || { echo "bench: $tbin missing: scripts/setup.sh --test installs the package time" >&2; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

q=$((n / 4))
echo "generating captures of $n, $q, $n, $n and $((3 * n)) packets ..." >&2
"$gen" "$tmp/a.pcap" "$n" "$tunnels" || exit 1
"$gen" "$tmp/b.pcap" "$q" "$tunnels" || exit 1
"$gen" "$tmp/c.pcap" "$n" "$tunnels" 100 || exit 1
"$gen" "$tmp/d.pcap" "$n" "$tunnels" calls || exit 1
"$gen" "$tmp/e.pcap" $((3 * n)) "$tunnels" calls || exit 1

# run NAME CAPTURE ARGS...: the best of three runs (the machine is shared),
# appended as "name wall cpu peak_kb tunnels" to $tmp/results
run() {
	name=$1 cap=$2
	shift 2
	best=
	for i in 1 2 3; do
		"$tbin" -f "%e %U %S %M" -o "$tmp/mem" "$l2tpsh" -r "$cap" "$@" \
		    >/dev/null 2>"$tmp/err" || { echo "bench: $name failed:" >&2; head -n 3 "$tmp/err" >&2; exit 1; }
		line=$(tail -n 1 "$tmp/mem" | awk '{printf "%.2f %.2f %d", $1, $2 + $3, $4}')
		if [ -z "$best" ] || [ "$(echo "$line $best" | awk '{print ($2 < $5)}')" = 1 ]; then
			best=$line
		fi
	done
	# once more, not timed, for the number of tunnels
	"$l2tpsh" -r "$cap" "$@" >"$tmp/out" 2>/dev/null
	tun=$(sed -n 's/^\([0-9]*\) tunnels: one line.*/\1/p; s/^Analysis: \([0-9]*\) tunnels*,.*/\1/p' "$tmp/out" | head -n 1)
	echo "$name $best ${tun:--}" >>"$tmp/results"
}

: >"$tmp/results"
run A-summary "$tmp/a.pcap"
run A-analyze "$tmp/a.pcap" --analyze --secret bench-secret
run B-summary "$tmp/b.pcap"
run B-analyze "$tmp/b.pcap" --analyze --secret bench-secret
run C-summary "$tmp/c.pcap"
run C-analyze "$tmp/c.pcap" --analyze --secret bench-secret
run D-summary "$tmp/d.pcap"
run D-analyze "$tmp/d.pcap" --analyze --secret bench-secret
run E-summary "$tmp/e.pcap"
run E-analyze "$tmp/e.pcap" --analyze --secret bench-secret

awk -v n="$n" -v q="$q" '
{ name[NR] = $1; w[$1] = $2; c[$1] = $3; kb[$1] = $4; t[$1] = $5 }
END {
	printf "%-10s %9s %8s %8s %11s %8s %12s\n", "run", "packets", "wall_s",
	    "cpu_s", "peak_MB", "tunnels", "KB/tunnel"
	for (i = 1; i <= NR; i++) {
		x = name[i]
		pk = (x ~ /^B/) ? q : (x ~ /^E/) ? 3 * n : n
		per = (t[x] != "-" && t[x] > 0) ? sprintf("%12.2f", kb[x] / t[x]) : sprintf("%12s", "-")
		printf "%-10s %9d %8.2f %8.2f %11.1f %8s %s\n", x, pk, w[x], c[x],
		    kb[x] / 1024, t[x], per
	}
	printf "\n--analyze / summary, CPU time: A %.2fx, B %.2fx, C %.2fx (target <= 2x)\n",
	    c["A-analyze"] / c["A-summary"], c["B-analyze"] / c["B-summary"],
	    c["C-analyze"] / c["C-summary"]
	printf "--analyze / summary, wall time: A %.2fx, B %.2fx, C %.2fx\n",
	    w["A-analyze"] / w["A-summary"], w["B-analyze"] / w["B-summary"],
	    w["C-analyze"] / w["C-summary"]
	printf "analysis memory: A/B %.2fx for %.2fx the tunnels (4x the packets); A/C %.2fx for %.2fx the tunnels (the same packets)\n",
	    kb["A-analyze"] / kb["B-analyze"], t["A-analyze"] / t["B-analyze"],
	    kb["A-analyze"] / kb["C-analyze"], t["A-analyze"] / t["C-analyze"]
	printf "control-only, side by side: --analyze / summary on D: CPU %.2fx, wall %.2fx (target <= 1.5x); memory E/D %.2fx for 3x the calls (target <= 1.3x)\n",
	    c["D-analyze"] / c["D-summary"], w["D-analyze"] / w["D-summary"],
	    kb["E-analyze"] / kb["D-analyze"]
}' "$tmp/results"
