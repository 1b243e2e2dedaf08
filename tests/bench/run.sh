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
# $BUILDDIR/l2tpsh), KEEP=1 keeps the capture in $BUILDDIR/bench.pcap.
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
# "name packets seconds peak_kb status" to $tmp/results.
run() {
	name=$1 pk=$2
	shift 2
	if ! command -v "$1" >/dev/null 2>&1; then
		echo "$name $pk - - missing" >>"$tmp/results"
		return
	fi
	echo "running: $*" >&2
	t0=$(date +%s.%N)
	"$tbin" -f %M -o "$tmp/mem" "$@" >/dev/null 2>"$tmp/err"
	st=$?
	t1=$(date +%s.%N)
	kb=$(tail -n 1 "$tmp/mem")
	secs=$(echo "$t0 $t1" | awk '{printf "%.3f", $2 - $1}')
	ok=ok
	[ "$st" -eq 0 ] || { ok="exit-$st"; head -n 3 "$tmp/err" >&2; }
	echo "$name $pk $secs $kb $ok" >>"$tmp/results"
}

: >"$tmp/results"
run l2tpsh-summary "$n" "$l2tpsh" -r "$cap"
run l2tpsh-v "$n" "$l2tpsh" -v -r "$cap"
run l2tpsh-j "$n" "$l2tpsh" -j -r "$cap"
run tcpdump-nn "$n" tcpdump -nn -r "$cap"
run tcpdump-nn-vvv "$n" tcpdump -nn -vvv -r "$cap"
if [ "$tn" -lt "$n" ]; then
	run tshark-V "$tn" tshark -n -c "$tn" -V -r "$cap"
	run tshark-json "$tn" tshark -n -c "$tn" -T json -r "$cap"
else
	run tshark-V "$n" tshark -n -V -r "$cap"
	run tshark-json "$n" tshark -n -T json -r "$cap"
fi

awk -v n="$n" -v size="$size" -v tunnels="$tunnels" -v tn="$tn" '
{ name[NR] = $1; pk[$1] = $2; s[$1] = $3; kb[$1] = $4; st[$1] = $5
  if ($5 == "ok" && $3 > 0) pps[$1] = $2 / $3 }
function rate(x) { return (x in pps) ? sprintf("%12.0f", pps[x]) : sprintf("%12s", "n/a") }
function ratio(a, b) {
	if (!(a in pps) || !(b in pps) || pps[b] == 0) return "n/a"
	return sprintf("%.1fx", pps[a] / pps[b])
}
END {
	printf "capture: %d packets over %d tunnels, %.1f MB; TZ=UTC, output to /dev/null\n", n, tunnels, size / 1e6
	if (tn < n) printf "tshark measured on the first %d packets of the same file\n", tn
	printf "%-16s %9s %9s %12s %9s %s\n", "decoder", "packets", "seconds", "packets/s", "peak MB", "status"
	for (i = 1; i <= NR; i++) {
		x = name[i]
		printf "%-16s %9s %9s %s %9s %s\n", x, pk[x], s[x], rate(x),
		    kb[x] == "-" ? "-" : sprintf("%.1f", kb[x] / 1024), st[x]
	}
	print ""
	print "ratios (packets per second)                   measured  goal"
	printf "l2tpsh -r    / tcpdump -nn                    %8s  >= 5x\n", ratio("l2tpsh-summary", "tcpdump-nn")
	printf "l2tpsh -v -r / tcpdump -nn -vvv               %8s  >= 3x\n", ratio("l2tpsh-v", "tcpdump-nn-vvv")
	printf "l2tpsh -j -r / tshark -T json                 %8s  >= 30x\n", ratio("l2tpsh-j", "tshark-json")
	printf "l2tpsh -v -r / tshark -V                      %8s\n", ratio("l2tpsh-v", "tshark-V")
	m = 0
	for (x in kb) if (x ~ /^l2tpsh/ && kb[x] != "-" && kb[x] > m) m = kb[x]
	printf "l2tpsh peak memory                            %6.1f MB  < 16 MB\n", m / 1024
}' "$tmp/results"
