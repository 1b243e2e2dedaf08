#!/bin/sh
# l2tpns.sh: a real LNS with its own PPP (l2tpns) and the RADIUS server that
# authenticates its subscribers (freeradius), both inside a network namespace
# this script creates, for one command to talk to; then everything is stopped.
#
#   sh tests/peers/l2tpns.sh [options] -- COMMAND [ARGS...]      (as root)
#
# COMMAND runs inside the namespace with its standard input, output and
# error, and with these in its environment:
#   LNS_ADDR LNS_PORT   where l2tpns answers L2TP (127.0.0.1, 1701)
#   LNS_NAME            its Host Name AVP (--host)
#   LNS_SECRET          the tunnel secret (--secret); l2tpns answers a
#                       Challenge and challenges the LAC itself
#   LNS_TUN_ADDR        the LNS's address on its tun side (a subscriber
#                       pings it through its session)
#   LNS_DNS             the primary DNS it hands out in IPCP
#   LNS_POOL            its address pool, blank-separated prefixes (used
#                       when RADIUS gives no address): the packaged
#                       /etc/l2tpns/ip_pool, which l2tpns always reads
#   LNS_AUTHTYPES       radius_authtypes (--authtypes): the order is the
#                       Authentication-Protocol l2tpns asks for first in LCP
#   LNS_LOG LNS_PID     l2tpns's log (--debug) and pid
#   RADIUS_ADDR RADIUS_PORT RADIUS_SECRET   freeradius (127.0.0.1 1812)
#   RADIUS_LOG RADIUS_PID                   its -X log and pid
#   RIG_DIR RIG_NS      the work directory and the namespace's name
#   RIG_CAPTURE         the capture file with --capture, else empty
#   RIG_CHAP_USER RIG_CHAP_PW     a user RADIUS accepts only with CHAP
#   RIG_PAP_USER RIG_PAP_PW       a user RADIUS accepts only with PAP
#   RIG_IP_USER RIG_IP_PW RIG_IP_ADDR   a user given Framed-IP-Address
#   RIG_MSG_USER RIG_MSG_PW RIG_MSG     a user given a Reply-Message
#   (every user has a Cleartext-Password; the last two log in either way)
# The script exits with COMMAND's status; 124 when --timeout ran out, 2 when
# the rig could not be set up (the daemons' logs on stderr), 77 when
# something it needs is missing (root, ip netns, /dev/net/tun, l2tpns,
# freeradius).
#
# Options [defaults]:
#   --secret S        tunnel secret (l2tp_secret)                [l2tpns-rig-1]
#   --host NAME       the LNS's host name                         [lns.rig]
#   --authtypes LIST  radius_authtypes: chap,pap | pap,chap | chap | pap
#                                                                 [chap,pap]
#   --radius-secret S shared secret between l2tpns and freeradius [rig-radius]
#   --restart SEC     ppp_restart_time: LCP Configure-Request period [3]
#   --max-configure N ppp_max_configure: then the call is cleared    [10]
#   --debug N         l2tpns's debug level 0..5 (4 decodes each PPP
#                     packet's options, 5 adds hex dumps)                [4]
#   --capture         record UDP on the namespace's lo with tcpdump into
#                     $RIG_DIR/capture.pcap (L2TP and RADIUS) before COMMAND
#                     starts; exposed as RIG_CAPTURE
#   --keep DIR        copy the logs (lns.log, radius.log, lns.out,
#                     startup-config, capture.pcap) into DIR when it ends
#   --timeout SEC     the whole rig's life (COMMAND included)         [120]
#   --wait SEC        bound on each daemon's start                    [20]
#
# By hand, for debugging (an interactive shell inside the namespace; exit it
# to tear everything down):
#   sudo sh tests/peers/l2tpns.sh --keep /tmp/rig --timeout 3600 -- bash
#   # then: build/l2tpsh, with 'lac connect $LNS_ADDR' and 'set secret $LNS_SECRET'
#
# Facts it relies on (l2tpns 2.4.1, freeradius 3.2.1, Debian 12): l2tpns
# needs /dev/net/tun (it makes tun0 and routes subscribers to it) and a
# cluster interface even when alone; only the cluster master answers L2TP,
# and it logs "declaring myself the master" once it is (about 2 s with a 1 s
# heartbeat).  freeradius -X stays in the foreground, logs to stdout and says
# "Ready to process requests" once it listens.  In its users file a check
# item "CHAP-Password =* ANY" matches only when the request holds a
# CHAP-Password and "!* ANY" only when it does not: that binds a user to
# CHAP or to PAP (User-Password cannot serve: the server treats it apart).
set -u

L2TPNS_BIN=${L2TPNS_BIN:-/usr/sbin/l2tpns}
RADIUSD_BIN=${RADIUSD_BIN:-/usr/sbin/freeradius}
RADDB_SRC=${RADDB_SRC:-/etc/freeradius/3.0}

SECRET=l2tpns-rig-1 HOST=lns.rig AUTHTYPES=chap,pap RSECRET=rig-radius
RESTART=3 MAXCONF=10 KEEP="" LIFE=120 WAIT=20 DEBUG=4 CAPTURE=no

die() { echo "l2tpns.sh: $*" >&2; exit 2; }
skip() { echo "l2tpns.sh: $*" >&2; exit 77; }
is_uint() { case $1 in '' | *[!0-9]*) return 1 ;; *) return 0 ;; esac; }

while [ $# -gt 0 ]; do
	case $1 in
	--) shift; break ;;
	--capture) CAPTURE=yes; shift ;;
	--secret | --host | --authtypes | --radius-secret | --restart | \
	    --max-configure | --keep | --timeout | --wait | --debug)
		[ $# -ge 2 ] || die "option $1 needs a value"
		case $1 in
		--secret) SECRET=$2 ;;
		--host) HOST=$2 ;;
		--authtypes) AUTHTYPES=$2 ;;
		--radius-secret) RSECRET=$2 ;;
		--restart) RESTART=$2 ;;
		--max-configure) MAXCONF=$2 ;;
		--keep) KEEP=$2 ;;
		--timeout) LIFE=$2 ;;
		--wait) WAIT=$2 ;;
		--debug) DEBUG=$2 ;;
		esac
		shift 2
		;;
	*)
		sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
		exit 2
		;;
	esac
done
if [ $# = 0 ]; then
	sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
	exit 2
fi
is_uint "$DEBUG" && [ "$DEBUG" -le 5 ] || die "--debug 0..5, not '$DEBUG'"
for v in "$RESTART" "$MAXCONF" "$LIFE" "$WAIT"; do
	is_uint "$v" && [ "$v" -gt 0 ] || die "not a positive number: '$v'"
done
case $AUTHTYPES in chap | pap | chap,pap | pap,chap) ;;
*) die "--authtypes chap,pap|pap,chap|chap|pap, not '$AUTHTYPES'" ;;
esac
# the values go inside double quotes in l2tpns's and freeradius's files
case $SECRET$HOST$RSECRET in
'' | *[[:space:]\"\'\\\#\;]*) die "secrets and host name: no blanks, quotes, '\\', '#' or ';'" ;;
esac

[ "$(id -u)" = 0 ] || skip "needs root (it creates a network namespace)"
command -v ip >/dev/null 2>&1 || skip "no ip(8) (apt-get install iproute2)"
[ -x "$L2TPNS_BIN" ] || skip "no $L2TPNS_BIN (scripts/setup.sh --test installs l2tpns)"
[ -x "$RADIUSD_BIN" ] || skip "no $RADIUSD_BIN (scripts/setup.sh --test installs freeradius)"
[ -d "$RADDB_SRC" ] || skip "no $RADDB_SRC (freeradius's configuration)"
[ -c /dev/net/tun ] || skip "no /dev/net/tun: l2tpns cannot make its tun interface"

DIR=$(mktemp -d "${TMPDIR:-/tmp}/l2tpns-rig.XXXXXX") || die "mktemp failed"
# freeradius drops to the freerad user: it must reach its configuration
chmod 0755 "$DIR"
NS=l2tpsh-rig-$$
NS_MADE=0

# pid recorded in FILE, if alive and its command line names $DIR
live_pid() {
	[ -f "$1" ] || return 1
	p=$(tr -dc '0-9' <"$1")
	[ -n "$p" ] && [ -r "/proc/$p/cmdline" ] || return 1
	tr '\0' ' ' <"/proc/$p/cmdline" | grep -qF -- "$DIR/" || return 1
	echo "$p"
}

# stop_pids FILE...: SIGTERM to each recorded live pid, SIGKILL after 3 s
stop_pids() {
	pids=""
	for f in "$@"; do
		p=$(live_pid "$f") && pids="$pids $p"
	done
	[ -n "$pids" ] || return 0
	# shellcheck disable=SC2086
	kill -TERM $pids 2>/dev/null
	n=30
	while [ "$n" -gt 0 ]; do
		alive=""
		for p in $pids; do kill -0 "$p" 2>/dev/null && alive="$alive $p"; done
		[ -n "$alive" ] || return 0
		sleep 0.1
		n=$((n - 1))
	done
	# shellcheck disable=SC2086
	kill -KILL $alive 2>/dev/null
	return 0
}

CMD_PID=""
cleanup() {
	# COMMAND if still running (timeout(1) passes the signal on), then the
	# daemons, then the timeout(1) wrappers that bound their life
	if [ -n "$CMD_PID" ] && kill -0 "$CMD_PID" 2>/dev/null; then
		kill -TERM "$CMD_PID" 2>/dev/null
		n=30
		while [ "$n" -gt 0 ] && kill -0 "$CMD_PID" 2>/dev/null; do
			sleep 0.1
			n=$((n - 1))
		done
		kill -KILL "$CMD_PID" 2>/dev/null
	fi
	# the daemons first, then the timeout(1) wrappers that bound their life
	stop_pids "$DIR/l2tpns.pid" "$DIR/radiusd.pid"
	stop_pids "$DIR/l2tpns.timeout.pid" "$DIR/radiusd.timeout.pid"
	# tcpdump last: it writes out what it holds on SIGTERM
	stop_pids "$DIR/tcpdump.timeout.pid"
	if [ -n "$KEEP" ]; then
		mkdir -p "$KEEP" &&
		    for f in lns.log lns.out radius.log startup-config capture.pcap; do
			    [ ! -f "$DIR/$f" ] || cp -f "$DIR/$f" "$KEEP/"
		    done
	fi
	[ "$NS_MADE" = 0 ] || ip netns del "$NS" 2>/dev/null
	rm -rf -- "$DIR"
}
trap 'rc=$?; trap - EXIT; cleanup; exit $rc' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

nsx() { ip netns exec "$NS" "$@"; }

# wait_log FILE ERE SECS PIDFILE: bounded poll (0.1 s steps); gives up at
# once when the process recorded in PIDFILE is gone
wait_log() {
	n=$(($3 * 10))
	while [ "$n" -gt 0 ]; do
		grep -Eq -- "$2" "$1" 2>/dev/null && return 0
		[ ! -f "$4" ] || live_pid "$4" >/dev/null || return 1
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

# start NAME COMMAND...: inside the namespace, in its own session, under
# timeout(1) so it dies with the rig's time even if we are killed; the
# wrapper's pid goes to NAME.timeout.pid, output to the named log
start() {
	name=$1 out=$2
	shift 2
	nsx setsid sh -c 'echo $$ >"$1"; shift; exec "$@"' sh \
	    "$DIR/$name.timeout.pid" timeout -k 3 "$LIFE" "$@" \
	    >"$out" 2>&1 </dev/null &
}

ip netns add "$NS" || die "ip netns add $NS failed"
NS_MADE=1
nsx ip link set lo up || die "no loopback in $NS"
# l2tpns sends its cluster heartbeats on an interface of its own: a veth
# pair both of whose ends stay inside the namespace
nsx ip link add eth0 type veth peer name eth0peer || die "cannot make a veth pair in $NS"
nsx ip addr add 10.201.0.1/24 dev eth0 &&
    nsx ip link set eth0 up && nsx ip link set eth0peer up || die "cannot bring eth0 up in $NS"

# --- freeradius: a private copy of the packaged configuration
TUN_ADDR=10.201.1.1 DNS=10.201.1.53
CHAP_USER=chap-user CHAP_PW=chap-pw-1 PAP_USER=pap-user PAP_PW=pap-pw-1
IP_USER=ip-user IP_PW=ip-pw-1 IP_ADDR=10.201.2.7
MSG_USER=msg-user MSG_PW=msg-pw-1 MSG="Welcome to the l2tpsh rig, msg-user"
mkdir -p "$DIR/raddb" && cp -a "$RADDB_SRC/." "$DIR/raddb/" ||
    die "cannot copy $RADDB_SRC"
cat >"$DIR/raddb/mods-config/files/authorize" <<EOF
# l2tpsh test rig users (written by tests/peers/l2tpns.sh)
$CHAP_USER	Cleartext-Password := "$CHAP_PW", CHAP-Password =* ANY
	Reply-Message = "CHAP accepted for $CHAP_USER"

$PAP_USER	Cleartext-Password := "$PAP_PW", CHAP-Password !* ANY
	Reply-Message = "PAP accepted for $PAP_USER"

$IP_USER	Cleartext-Password := "$IP_PW"
	Framed-IP-Address = $IP_ADDR

$MSG_USER	Cleartext-Password := "$MSG_PW"
	Reply-Message = "$MSG"
EOF
cat >"$DIR/raddb/clients.conf" <<EOF
client lns {
	ipaddr = 127.0.0.1
	secret = "$RSECRET"
}
EOF
# freeradius reads it as the freerad user it drops to: group-readable
# (the copy holds the packaged TLS keys), world-readable only without
# that group
if getent group freerad >/dev/null 2>&1; then
	chgrp -R freerad "$DIR/raddb" && chmod -R u+rwX,g+rX,g-w,o-rwx "$DIR/raddb"
else
	chmod -R a+rX "$DIR/raddb"
fi
# -X: foreground, one thread, everything logged; -l stdout is implied.
# The pid file is the daemon's own pid (timeout(1) forks it as a child).
start radiusd "$DIR/radius.log" "$RADIUSD_BIN" -X -d "$DIR/raddb"
if ! wait_log "$DIR/radius.log" 'Ready to process requests' "$WAIT" \
    "$DIR/radiusd.timeout.pid"; then
	tail -n 20 "$DIR/radius.log" >&2
	die "freeradius did not get ready within $WAIT s (log above)"
fi
t=$(tr -dc '0-9' <"$DIR/radiusd.timeout.pid")
p=$(pgrep -P "$t" 2>/dev/null | head -n 1)
[ -n "$p" ] && echo "$p" >"$DIR/radiusd.pid"

# --- l2tpns: its startup configuration.  Its address pool file is fixed
# at /etc/l2tpns/ip_pool (2.4.1 has no option for another): the packaged
# one is used as it is and exposed as LNS_POOL.
POOL=$(grep -Ev '^[[:space:]]*(#|$)' /etc/l2tpns/ip_pool 2>/dev/null | tr '\n' ' ')
POOL=${POOL% }
cat >"$DIR/startup-config" <<EOF
set debug $DEBUG
set log_file "$DIR/lns.log"
set pid_file "$DIR/l2tpns.pid"
set hostname "$HOST"
set l2tp_secret "$SECRET"
set bind_address 127.0.0.1
set iftun_address $TUN_ADDR
set cli_bind_address 127.0.0.1
set primary_dns $DNS
set primary_radius 127.0.0.1
set radius_secret "$RSECRET"
set radius_authtypes "$AUTHTYPES"
set radius_accounting no
set send_garp no
set cluster_interface "eth0"
set cluster_hb_interval 1
set cluster_hb_timeout 15
set ppp_restart_time $RESTART
set ppp_max_configure $MAXCONF
EOF
# without -d it stays in the foreground
start l2tpns "$DIR/lns.out" "$L2TPNS_BIN" -c "$DIR/startup-config"
if ! wait_log "$DIR/lns.log" 'declaring myself the master' "$WAIT" \
    "$DIR/l2tpns.timeout.pid"; then
	tail -n 20 "$DIR/lns.log" "$DIR/lns.out" >&2
	die "l2tpns did not become the cluster master within $WAIT s (log above)"
fi
# its pid file (written at start; the path names $DIR, as live_pid wants)
live_pid "$DIR/l2tpns.pid" >/dev/null || {
	t=$(tr -dc '0-9' <"$DIR/l2tpns.timeout.pid")
	pgrep -P "$t" 2>/dev/null | head -n 1 >"$DIR/l2tpns.pid"
}

RIG_CAPTURE_V=""
if [ "$CAPTURE" = yes ]; then
	command -v tcpdump >/dev/null 2>&1 || skip "--capture: no tcpdump"
	# -U, --immediate-mode: each packet written as it comes, none left in the
	# ring buffer at SIGTERM; the path names $DIR (live_pid)
	start tcpdump "$DIR/tcpdump.out" tcpdump -n -i lo -U --immediate-mode -s 0 \
	    -w "$DIR/capture.pcap" udp
	if ! wait_log "$DIR/tcpdump.out" 'listening on' "$WAIT" \
	    "$DIR/tcpdump.timeout.pid"; then
		cat "$DIR/tcpdump.out" >&2
		die "tcpdump did not start within $WAIT s"
	fi
	RIG_CAPTURE_V=$DIR/capture.pcap
fi

# at a terminal COMMAND (an interactive shell) must keep the terminal:
# timeout(1) then leaves it in the foreground process group, and a Ctrl-C
# is for COMMAND, not for the rig (caught, so COMMAND gets the default)
FG=""
if [ -t 0 ]; then
	FG=--foreground
	trap ':' INT
fi
LNS_PID_V=$(tr -dc '0-9' <"$DIR/l2tpns.pid" 2>/dev/null)
RADIUS_PID_V=$(tr -dc '0-9' <"$DIR/radiusd.pid" 2>/dev/null)
# COMMAND runs in the background so that a signal to this script is
# handled at once (the shell defers traps while a foreground child runs);
# its standard input is ours, explicitly (an asynchronous list would get
# /dev/null).  ip netns exec and env exec in turn: $! is timeout(1)'s pid.
exec 3<&0
ip netns exec "$NS" env LNS_ADDR=127.0.0.1 LNS_PORT=1701 LNS_NAME="$HOST" \
    LNS_SECRET="$SECRET" LNS_TUN_ADDR=$TUN_ADDR LNS_DNS=$DNS LNS_POOL="$POOL" \
    LNS_AUTHTYPES="$AUTHTYPES" LNS_LOG="$DIR/lns.log" LNS_PID="$LNS_PID_V" \
    RADIUS_ADDR=127.0.0.1 RADIUS_PORT=1812 RADIUS_SECRET="$RSECRET" \
    RADIUS_LOG="$DIR/radius.log" RADIUS_PID="$RADIUS_PID_V" \
    RIG_DIR="$DIR" RIG_NS="$NS" RIG_CAPTURE="$RIG_CAPTURE_V" \
    RIG_CHAP_USER=$CHAP_USER RIG_CHAP_PW=$CHAP_PW \
    RIG_PAP_USER=$PAP_USER RIG_PAP_PW=$PAP_PW \
    RIG_IP_USER=$IP_USER RIG_IP_PW=$IP_PW RIG_IP_ADDR=$IP_ADDR \
    RIG_MSG_USER=$MSG_USER RIG_MSG_PW=$MSG_PW RIG_MSG="$MSG" \
    timeout $FG -k 3 "$LIFE" "$@" 0<&3 3<&- &
CMD_PID=$!
exec 3<&-
# wait returns early when a caught signal comes; COMMAND's status is the
# one wait gives once it is gone
while :; do
	wait "$CMD_PID"
	rc=$?
	kill -0 "$CMD_PID" 2>/dev/null || break
done
CMD_PID=""
exit $rc
