#!/bin/sh
# Decode benchmark: l2tpsh -r (summary, -v, -j) against tcpdump and tshark on
# one generated L2TPv2 capture (RFC 2661 control and data), output to
# /dev/null, TZ=UTC.  Not a test: prints a table of packets per second,
# ratios and peak memory.
#
# Usage: tests/bench/run.sh [N [TUNNELS [TSHARK_N]]]
#   N        packets in the capture (default 1000000)
#   TUNNELS  control connections side by side (default 1000)
#   TSHARK_N packets tshark decodes (default N; tshark is slow, so a smaller
#            count such as 100000 may be given: its rate is then measured on
#            the first TSHARK_N packets of the same file, and said so)
# Environment: BUILDDIR (default ./build), L2TPSH (default
# $BUILDDIR/l2tpsh), KEEP=1 keeps the capture in $BUILDDIR/bench.pcap,
# REPEAT=N runs l2tpsh and tcpdump N times each, in turns, and keeps each
# one's best (least CPU) run (default 1; the machine may be shared, and the
# best of several runs is the one least disturbed); TSHARK_REPEAT the same
# for tshark (default 1: it is slow).
set -u
export TZ=UTC LC_ALL=C
n=${1:-1000000}
tunnels=${2:-1000}
tn=${3:-$n}
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
cap=$tmp/bench.pcap
[ "${KEEP:-0}" = 1 ] && cap=$build/bench.pcap

echo "generating $n packets over $tunnels tunnels ..." >&2
"$gen" "$cap" "$n" "$tunnels" || exit 1
size=$(wc -c <"$cap")

# run NAME PACKETS CMD...: time one decoder, output to /dev/null; appends
# "name packets wall_s cpu_s peak_kb status" to $tmp/results.  Rates are
# given on CPU time (user + system) as well as wall time: on a shared
# machine the wall clock also counts the time other processes ran.
run() {
	name=$1 pk=$2
	shift 2
	if ! command -v "$1" >/dev/null 2>&1; then
		echo "$name $pk - - - missing" >>"$tmp/results"
		return
	fi
	echo "running: $*" >&2
	t0=$(date +%s.%N)
	"$tbin" -f "%U %S %M" -o "$tmp/mem" "$@" >/dev/null 2>"$tmp/err"
	st=$?
	t1=$(date +%s.%N)
	cpu=$(tail -n 1 "$tmp/mem" | awk '{printf "%.2f", $1 + $2}')
	kb=$(tail -n 1 "$tmp/mem" | awk '{print $3}')
	secs=$(echo "$t0 $t1" | awk '{printf "%.3f", $2 - $1}')
	ok=ok
	[ "$st" -eq 0 ] || { ok="exit-$st"; head -n 3 "$tmp/err" >&2; }
	echo "$name $pk $secs $cpu $kb $ok" >>"$tmp/runs"
}

# best: keep, for each name, the run with the least CPU time (the first
# failed one if any failed) in $tmp/results, in the order first run.
best() {
	awk '{ if (!($1 in line)) { order[++n] = $1; line[$1] = $0; c[$1] = $4; bad[$1] = ($6 != "ok") }
	       else if (!bad[$1] && ($6 != "ok" || $4 < c[$1])) { line[$1] = $0; c[$1] = $4; bad[$1] = ($6 != "ok") } }
	     END { for (i = 1; i <= n; i++) print line[order[i]] }' "$tmp/runs" >"$tmp/results"
}

: >"$tmp/runs"
i=0
while [ "$i" -lt "${REPEAT:-1}" ]; do
	run l2tpsh-summary "$n" "$l2tpsh" -r "$cap"
	run tcpdump-nn "$n" tcpdump -nn -r "$cap"
	run l2tpsh-v "$n" "$l2tpsh" -v -r "$cap"
	run tcpdump-nn-vvv "$n" tcpdump -nn -vvv -r "$cap"
	run l2tpsh-j "$n" "$l2tpsh" -j -r "$cap"
	i=$((i + 1))
done
i=0
while [ "$i" -lt "${TSHARK_REPEAT:-1}" ]; do
	if [ "$tn" -lt "$n" ]; then
		run tshark-V "$tn" tshark -n -c "$tn" -V -r "$cap"
		run tshark-json "$tn" tshark -n -c "$tn" -T json -r "$cap"
	else
		run tshark-V "$n" tshark -n -V -r "$cap"
		run tshark-json "$n" tshark -n -T json -r "$cap"
	fi
	i=$((i + 1))
done
best

awk -v runs="${REPEAT:-1}" -v n="$n" -v size="$size" -v tunnels="$tunnels" -v tn="$tn" '
{ name[NR] = $1; pk[$1] = $2; s[$1] = $3; c[$1] = $4; kb[$1] = $5
  st[$1] = $6
  if ($6 == "ok" && $3 > 0) wps[$1] = $2 / $3
  if ($6 == "ok") pps[$1] = $2 / ($4 > 0.01 ? $4 : 0.01) }
function rate(a, x) { return (x in a) ? sprintf("%11.0f", a[x]) : sprintf("%11s", "n/a") }
function r(a, x, y) {
	if (!(x in a) || !(y in a) || a[y] == 0) return "n/a"
	return sprintf("%.1fx", a[x] / a[y])
}
function ratio(x, y) { return sprintf("%7s %7s", r(pps, x, y), r(wps, x, y)) }
END {
	printf "capture: %d packets over %d tunnels, %.1f MB; TZ=UTC, output to /dev/null\n", n, tunnels, size / 1e6
	if (tn < n) printf "tshark measured on the first %d packets of the same file\n", tn
	if (runs > 1) printf "best of %d runs each (least CPU time)\n", runs
	printf "%-15s %8s %7s %7s %11s %11s %7s %s\n", "decoder", "packets", "wall s", "cpu s", "pkt/s cpu", "pkt/s wall", "peak MB", "status"
	for (i = 1; i <= NR; i++) {
		x = name[i]
		printf "%-15s %8s %7s %7s %s %s %7s %s\n", x, pk[x], s[x], c[x],
		    rate(pps, x), rate(wps, x),
		    kb[x] == "-" ? "-" : sprintf("%.1f", kb[x] / 1024), st[x]
	}
	print ""
	print "ratios (packets per second)        on cpu    wall  goal"
	printf "l2tpsh -r    / tcpdump -nn      %s  >= 6x\n", ratio("l2tpsh-summary", "tcpdump-nn")
	printf "l2tpsh -v -r / tcpdump -nn -vvv %s  >= 4x\n", ratio("l2tpsh-v", "tcpdump-nn-vvv")
	printf "l2tpsh -j -r / tshark -T json   %s  >= 100x\n", ratio("l2tpsh-j", "tshark-json")
	printf "l2tpsh -v -r / tshark -V        %s\n", ratio("l2tpsh-v", "tshark-V")
	m = 0
	for (x in kb) if (x ~ /^l2tpsh/ && kb[x] != "-" && kb[x] > m) m = kb[x]
	printf "l2tpsh peak memory              %6.1f MB         < 16 MB\n", m / 1024
}' "$tmp/results"
