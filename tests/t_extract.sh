#!/bin/sh
# --tunnel ID / --session ID and -w FILE (RFC 2661 §3.1, §4.4.3): one tunnel or session of a capture with several, named by either end's id, picked out for the decode, the analysis and a pcap that holds every frame of it and nothing else, as captured (times, link type, snap length); -w with a BPF filter alone writes what the filter selects; the shell's decode and analyze take the same words.
set -u
: "${L2TPSH:?}" "${TESTDATA:?}"
export TZ=UTC LC_ALL=C
unset COLUMNS
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
failed=0
checks=0
D=$TESTDATA
FOUR=$D/xl2tpd-four-tunnels.pcap

fail() {
	echo "FAIL: $*" >&2
	failed=1
}

check() { # what, then a command that must succeed
	what=$1
	shift
	checks=$((checks + 1))
	"$@" || fail "$what"
}

command -v tcpdump >/dev/null 2>&1 || {
	echo "t_extract: tcpdump not installed" >&2
	exit 77
}

# a decode without its frame numbers and times: the messages in order
msgs() {
	timeout 60 "$L2TPSH" -r "$@" 2>/dev/null |
	    awk '$1 ~ /^[0-9]+$/ && $2 ~ /^[0-9][0-9]:/ { $1 = ""; $2 = ""; print }'
}

# the frame numbers a decode prints
frames() {
	timeout 60 "$L2TPSH" -r "$@" 2>/dev/null |
	    awk '$1 ~ /^[0-9]+$/ && $2 ~ /^[0-9][0-9]:/ { print $1 }'
}

# tcpdump's "link-type ..., snapshot length N" of a file
linktype() {
	tcpdump -r "$1" -c 1 2>&1 >/dev/null | sed -n 's/^reading from file [^,]*, //p'
}

same_file() { # a b
	cmp -s "$1" "$2" || {
		diff "$1" "$2" | head -10 >&2
		return 1
	}
}

# --- every tunnel of the four-tunnel capture, by either end's id ---------
# capture | the two tunnel ids
for row in "xl2tpd-call 22025 57825" "xl2tpd-hello 32744 58299" \
    "xl2tpd-auth 22741 152" "xl2tpd-tunnel-only 2623 27869"; do
	set -- $row
	orig=$D/$1.pcap
	msgs "$orig" >"$tmp/$1.want"
	for id in $2 $3; do
		out=$tmp/$1-$id.pcap
		timeout 60 "$L2TPSH" -r "$FOUR" --tunnel "$id" -w "$out" \
		    >"$tmp/w.out" 2>"$tmp/w.err"
		check "$1 --tunnel $id -w: exit 0" [ $? = 0 ]
		check "$1 --tunnel $id -w: nothing on stdout" \
		    [ ! -s "$tmp/w.out" ]
		check "$1 --tunnel $id -w: the summary counts what it wrote" \
		    grep -q "; $(msgs "$orig" | wc -l) written to $out" \
		    "$tmp/w.err"
		# the frames written are the original capture's messages,
		# in order, both directions, from its SCCRQ (Tunnel ID 0)
		msgs "$out" >"$tmp/got"
		check "$1 --tunnel $id: what -w wrote decodes as $1 alone" \
		    same_file "$tmp/$1.want" "$tmp/got"
		check "$1 --tunnel $id: starts with the SCCRQ to tunnel 0" \
		    sh -c "head -1 '$tmp/got' | grep -q 'SCCRQ tunnel 0 '"
		check "$1 --tunnel $id: both ids in it" sh -c \
		    "grep -q 'tunnel $2 ' '$tmp/got' && grep -q 'tunnel $3 ' '$tmp/got'"
		# tcpdump reads it: same count, link type and snap length
		check "$1 --tunnel $id: tcpdump reads every frame" [ \
		    "$(tcpdump -r "$out" 2>/dev/null | wc -l)" = \
		    "$(wc -l <"$tmp/got")" ]
		check "$1 --tunnel $id: the original link type and snaplen" \
		    [ "$(linktype "$out")" = "$(linktype "$FOUR")" ]
		# the original times: those of the frames the decode selects
		frames "$FOUR" --tunnel "$id" >"$tmp/nums"
		tcpdump -tt -r "$FOUR" 2>/dev/null | awk '{ print NR, $1 }' |
		    awk 'NR == FNR { want[$1] = 1; next } ($1 in want) { print $2 }' \
		    "$tmp/nums" - >"$tmp/t.want"
		tcpdump -tt -r "$out" 2>/dev/null | awk '{ print $1 }' \
		    >"$tmp/t.got"
		check "$1 --tunnel $id: the original timestamps" \
		    same_file "$tmp/t.want" "$tmp/t.got"
		# the decode alone selects the same frames
		msgs "$FOUR" --tunnel "$id" >"$tmp/dec"
		check "$1 --tunnel $id: -r selects what -w writes" \
		    same_file "$tmp/$1.want" "$tmp/dec"
	done
done

# --- sessions, by either end's id ---------------------------------------
# capture | tunnel ids | session ids
for row in "xl2tpd-call 22025 57825 56346 21079" \
    "xl2tpd-hello 32744 58299 1487 44912" \
    "xl2tpd-auth 22741 152 47169 55389"; do
	set -- $row
	# the call's messages (its session ids, the ICRQ with Session ID 0)
	# and its tunnel's own: the whole capture, the tunnel's one call
	msgs "$D/$1.pcap" >"$tmp/s.want"
	check "$1: the call has messages" [ -s "$tmp/s.want" ]
	for sid in $4 $5; do
		out=$tmp/$1-s$sid.pcap
		timeout 60 "$L2TPSH" -r "$FOUR" --session "$sid" -w "$out" \
		    2>/dev/null
		check "$1 --session $sid -w: exit 0" [ $? = 0 ]
		msgs "$out" >"$tmp/got"
		check "$1 --session $sid: the call and its tunnel alone" \
		    same_file "$tmp/s.want" "$tmp/got"
		msgs "$FOUR" --session "$sid" --tunnel "$2" >"$tmp/got"
		check "$1 --session $sid --tunnel $2: the same" \
		    same_file "$tmp/s.want" "$tmp/got"
	done
done

# --- two calls in one tunnel: the other call's messages are left out ----
gen=${BUILDDIR:-}/tests/gen_capture
if [ -x "$gen" ]; then
	"$gen" "$tmp/two.pcap" 60 2 >/dev/null
	# tunnel 8757/56268 carries calls 25091/9510 then 21997/28962
	msgs "$tmp/two.pcap" --tunnel 8757 >"$tmp/tun"
	check "gen_capture: the tunnel's two calls are there" sh -c \
	    "grep -q 'sid 25091,' '$tmp/tun' && grep -q 'sid 21997,' '$tmp/tun'"
	grep -vE "session (21997|28962)(:| )|ICRQ .*sid 21997," "$tmp/tun" \
	    >"$tmp/want"
	msgs "$tmp/two.pcap" --session 9510 >"$tmp/got"
	check "two calls: --session 9510 is its call and the tunnel's own" \
	    same_file "$tmp/want" "$tmp/got"
	grep -vE "session (25091|9510)(:| )|ICRQ .*sid 25091," "$tmp/tun" \
	    >"$tmp/want"
	msgs "$tmp/two.pcap" --session 21997 >"$tmp/got"
	check "two calls: --session 21997 is its call and the tunnel's own" \
	    same_file "$tmp/want" "$tmp/got"
	check "two calls: nothing of the other tunnel" \
	    sh -c "! grep -qE 'tunnel (9284|31909) ' '$tmp/got'"
fi

# --- a call with PPP data frames (raw IP link type) ---------------------
P=$TESTDATA/ppp/ppp-chap-fail.pcap
msgs "$P" >"$tmp/ppp.all"
for sid in 11 22; do
	out=$tmp/ppp-$sid.pcap
	timeout 60 "$L2TPSH" -r "$P" --session "$sid" -w "$out" 2>/dev/null
	check "ppp --session $sid: exit 0" [ $? = 0 ]
	msgs "$out" >"$tmp/got"
	check "ppp --session $sid: every data frame of the call" [ \
	    "$(grep -c ' data ' "$tmp/got")" = \
	    "$(msgs "$P" | grep -c ' data ')" ]
	check "ppp --session $sid: data frames both ways (both ids)" sh -c \
	    "grep -q 'data tunnel 4001 session 11' '$tmp/got' &&
	     grep -q 'data tunnel 5001 session 22' '$tmp/got'"
	check "ppp --session $sid: the call and its tunnel: the capture" \
	    same_file "$tmp/got" "$tmp/ppp.all"
	check "ppp --session $sid: the raw IP link type kept" \
	    [ "$(linktype "$out")" = "$(linktype "$P")" ]
done
out=$tmp/ppp-t.pcap
timeout 60 "$L2TPSH" -r "$P" --tunnel 5001 -w "$out" 2>/dev/null
msgs "$P" >"$tmp/want"
msgs "$out" >"$tmp/got"
check "ppp --tunnel 5001: the whole capture (one tunnel)" \
    same_file "$tmp/want" "$tmp/got"
check "ppp --tunnel 5001: tcpdump reads it byte for byte" [ \
    "$(tcpdump -tt -xx -r "$out" 2>/dev/null | md5sum)" = \
    "$(tcpdump -tt -xx -r "$P" 2>/dev/null | md5sum)" ]

if command -v tshark >/dev/null 2>&1; then
	check "tshark (Wireshark) reads what -w wrote, every frame as L2TP" [ \
	    "$(tshark -r "$tmp/ppp-t.pcap" -Y l2tp 2>/dev/null | wc -l)" = \
	    "$(msgs "$P" | wc -l)" ]
fi

# --- -w with a BPF filter alone: what the filter selects, as tcpdump ----
out=$tmp/bpf.pcap
timeout 60 "$L2TPSH" -r "$FOUR" -w "$out" src host 127.0.0.1 2>"$tmp/w.err"
check "-w FILTER: exit 0" [ $? = 0 ]
check "-w FILTER: the frames tcpdump's filter selects" [ \
    "$(tcpdump -tt -xx -r "$out" 2>/dev/null | md5sum)" = \
    "$(tcpdump -tt -xx -r "$FOUR" src host 127.0.0.1 2>/dev/null | md5sum)" ]
n=$(tcpdump -r "$FOUR" src host 127.0.0.1 2>/dev/null | wc -l)
check "-w FILTER: the summary counts them" \
    grep -q "; $n written to $out" "$tmp/w.err"
timeout 60 "$L2TPSH" -r "$FOUR" -w - --tunnel 152 2>/dev/null |
    tcpdump -r - 2>/dev/null | wc -l >"$tmp/n"
check "-w -: the pcap on stdout, as tcpdump -w -" \
    [ "$(cat "$tmp/n")" = "$(msgs "$D/xl2tpd-auth.pcap" | wc -l)" ]

# --- standard input: the ids learnt as it goes --------------------------
timeout 60 "$L2TPSH" -r - --tunnel 22025 <"$FOUR" 2>/dev/null |
    awk '$1 ~ /^[0-9]+$/ && $2 ~ /^[0-9][0-9]:/ { $1 = ""; $2 = ""; print }' >"$tmp/got"
check "-r - --tunnel (the SCCRQ's Assigned Tunnel ID)" \
    same_file "$tmp/xl2tpd-call.want" "$tmp/got"

# --- the analysis of one tunnel -----------------------------------------
timeout 60 "$L2TPSH" --analyze -r "$FOUR" --tunnel 152 >"$tmp/an" 2>&1
check "--analyze --tunnel 152: one tunnel" \
    [ "$(grep -c '^Tunnel [0-9]*:' "$tmp/an")" = 1 ]
check "--analyze --tunnel 152: its ids" grep -q 'tunnel ids 22741/152' "$tmp/an"
timeout 60 "$L2TPSH" --analyze -r "$FOUR" --session 44912 >"$tmp/an" 2>&1
check "--analyze --session 44912: its call alone" sh -c \
    "[ \$(grep -c '^  Call [0-9]*:' '$tmp/an') = 1 ] &&
     grep -q 'session ids 1487/44912' '$tmp/an'"

# --- errors -------------------------------------------------------------
err() { # what, the words stderr must hold, then the arguments
	what=$1
	words=$2
	shift 2
	timeout 60 "$L2TPSH" "$@" >/dev/null 2>"$tmp/e"
	rc=$?
	check "$what: exit status not 0" [ $rc != 0 ]
	check "$what: says '$words'" grep -qF -- "$words" "$tmp/e"
}
err "unknown tunnel" \
    "xl2tpd-call.pcap: no tunnel 9 in the capture; its tunnels are 22025, 57825" \
    -r "$D/xl2tpd-call.pcap" --tunnel 9
err "unknown session" \
    "no session 7 in the capture; its sessions are 56346, 21079" \
    -r "$D/xl2tpd-call.pcap" --session 7
err "a session of another tunnel" "session 21079 is not in tunnel 152" \
    -r "$FOUR" --tunnel 152 --session 21079
err "a capture without sessions" "no session 5 in the capture; it has no sessions" \
    -r "$D/xl2tpd-tunnel-only.pcap" --session 5
err "unwritable -w" "-w: cannot write $tmp/no/such/dir.pcap" \
    -r "$FOUR" -w "$tmp/no/such/dir.pcap"
err "--tunnel 0" "--tunnel: '0' is not a number from 1 to 65535" \
    -r "$FOUR" --tunnel 0
err "--tunnel live" "--tunnel and --session read a capture file" \
    -i lo --tunnel 5
err "--tunnel without -r" "--tunnel goes with -r FILE" --tunnel 5
err "-w - with --analyze" "-w - and --analyze both write to standard output" \
    --analyze -r "$FOUR" -w -

# --- the shell's words ----------------------------------------------------
out=$tmp/sh.pcap
timeout 60 "$L2TPSH" -c "decode $FOUR tunnel 57825 write $out" \
    >"$tmp/sh.out" 2>"$tmp/sh.err"
check "shell decode tunnel write: exit 0" [ $? = 0 ]
msgs "$out" >"$tmp/got"
check "shell decode tunnel ID write OUT: the tunnel alone" \
    same_file "$tmp/xl2tpd-call.want" "$tmp/got"
timeout 60 "$L2TPSH" -c "decode $FOUR session 55389" 2>/dev/null |
    awk '$1 ~ /^[0-9]+$/ && $2 ~ /^[0-9][0-9]:/ { $1 = ""; $2 = ""; print }' >"$tmp/got"
msgs "$D/xl2tpd-auth.pcap" >"$tmp/want"
check "shell decode session ID" same_file "$tmp/want" "$tmp/got"
timeout 60 "$L2TPSH" -c "analyze $FOUR tunnel 2623" >"$tmp/an" 2>&1
check "shell analyze tunnel ID: one tunnel loaded" \
    grep -q "Info: 1 tunnel of $FOUR loaded" "$tmp/an"
timeout 60 "$L2TPSH" -c "decode $FOUR tunnel 9" >/dev/null 2>"$tmp/e"
check "shell decode unknown tunnel: an error with the place" \
    grep -q "^l2tpsh: -c command 1: .*no tunnel 9 in the capture" "$tmp/e"

echo "t_extract: $checks checks"
exit $failed
