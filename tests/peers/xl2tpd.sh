#!/bin/sh
# xl2tpd.sh: start, drive and stop one real xl2tpd (RFC 2661 LAC or LNS) on loopback as a test peer.
#
# Interface (for tests that run l2tpsh against xl2tpd):
#
#   xl2tpd.sh start [options]     start one daemon; returns once it listens
#       On success prints, one per line, shell assignments to eval:
#           XL2TPD_DIR=/tmp/xl2tpd.XXXXXX   its private directory
#           XL2TPD_PID=1234                 the xl2tpd process
#           XL2TPD_ADDR=127.0.0.1           address it listens on
#           XL2TPD_PORT=1701                UDP port it listens on (the real
#                                           one when --port 0 was given)
#       exit 0; 1 on a usage or start error (with xl2tpd's log on stderr),
#       and when ADDR:PORT is already bound (xl2tpd would share it).
#   xl2tpd.sh open DIR tunnel|call   LAC: bring up the tunnel ("t", no tunnel
#                                    auth, LNS port 1701 only, and xl2tpd
#                                    then sends the machine's host name, not
#                                    --host) or the tunnel and one incoming
#                                    call ("c", with auth and --host)
#   xl2tpd.sh close DIR              LAC: StopCCN "Goodbye!" ("d" on the FIFO)
#   xl2tpd.sh ctl DIR 'TEXT'         write one raw control-FIFO command
#   xl2tpd.sh wait DIR 'ERE' SECS    wait (bounded) until the log matches ERE;
#                                    exit 0 if it did, 3 if not in time
#   xl2tpd.sh log DIR                print xl2tpd's log (its stderr)
#   xl2tpd.sh stop DIR [--term] [--keep]
#       stop it by its recorded pid: SIGINT (xl2tpd sends StopCCN "Server
#       closing" on every tunnel, exits without waiting for the ack), or
#       SIGTERM with --term (nothing on the wire); SIGKILL after 5 s.  The
#       directory is removed unless --keep.  Only pids recorded in DIR whose
#       command line names DIR are ever signalled.
#
# start options [defaults]:
#   --role lns|lac         required
#   --addr A               IPv4 listen address [lns 127.0.0.1, lac 127.0.0.2]
#                          (loopback only; xl2tpd is IPv4 only and sends
#                          from the port it listens on)
#   --port P               UDP listen port, 0 = ephemeral [1701]
#   --host NAME            our Host Name AVP [lns.test | lac.test]
#   --peer-host NAME       the peer's Host Name the secret is bound to [*]
#   --secret S             tunnel secret (no blanks, '#', ';') [none]
#   --challenge yes|no     challenge the peer [yes with a secret, else no]
#   --hidden yes|no        "hidden bit": xl2tpd adds a Random Vector AVP
#                          (it hides no AVP itself) [no]
#   --lns A[:P]            LAC: the LNS to dial [127.0.0.1:1701]
#   --open none|tunnel|call  LAC: what to open once listening [none]
#   --rws N                Receive Window Size it announces [4]
#   --max-retries N        retransmissions before it gives up [5]
#   --ppp exit|none        calls: pppd gets an options file holding an
#                          invalid option, so it exits at once without
#                          /dev/ppp and xl2tpd clears the call with a CDN
#                          right after ICCN [exit]; "none" leaves pppd's
#                          default options (needs /dev/ppp)
#   --lifetime S           hard limit on the daemon's life [300]
#   --wait S               how long to wait for it to listen [30]
#   --dir D                use D (created, must not hold a running peer)
#
# Facts it relies on (xl2tpd 1.3.18): "-D" keeps it in the foreground and
# logs to stderr; it logs "Listening on IP address A, port P" once bound;
# Hello is sent after 60 s of silence and cannot be configured.
set -u

XL2TPD_BIN=${XL2TPD_BIN:-/usr/sbin/xl2tpd}
LACNAME=peer

die() { echo "xl2tpd.sh: $*" >&2; exit 1; }

is_uint() { case $1 in ''|*[!0-9]*) return 1 ;; *) return 0 ;; esac; }

# pid recorded in FILE if alive and its command line names $DIR.
live_pid() {
	[ -f "$1" ] || return 1
	p=$(tr -dc '0-9' <"$1")
	[ -n "$p" ] && [ -r "/proc/$p/cmdline" ] || return 1
	tr '\0' ' ' <"/proc/$p/cmdline" | grep -qF -- "$DIR/" || return 1
	echo "$p"
}

need_dir() {
	[ $# -ge 1 ] && [ -n "$1" ] || die "missing DIR (from XL2TPD_DIR)"
	[ -f "$1/xl2tpd.conf" ] || die "$1 is not an xl2tpd.sh directory"
	DIR=$(cd "$1" && pwd)
}

# wait_log ERE SECS: bounded poll of the log, 0.1 s steps.
wait_log() {
	n=$(($2 * 10))
	while [ "$n" -gt 0 ]; do
		grep -Eq -- "$1" "$DIR/xl2tpd.log" 2>/dev/null && return 0
		# gave up when the daemon is gone (its wrapper records
		# timeout.pid as it starts)
		[ ! -f "$DIR/timeout.pid" ] ||
		    live_pid "$DIR/xl2tpd.pid" >/dev/null ||
		    live_pid "$DIR/timeout.pid" >/dev/null || return 1
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

ctl() {
	[ -p "$DIR/control" ] || die "no control FIFO in $DIR (not running?)"
	live_pid "$DIR/xl2tpd.pid" >/dev/null || die "xl2tpd in $DIR is not running"
	timeout 3 sh -c 'printf "%s\n" "$1" >"$2"' sh "$1" "$DIR/control" ||
	    die "could not write '$1' to the control FIFO"
}

do_start() {
	ROLE="" ADDR="" PORT=1701 HOST="" PEER_HOST="*" SECRET="" CHAL=""
	HIDDEN=no LNS=127.0.0.1:1701 OPEN=none RWS=4 RETRIES=5 PPP=exit
	LIFE=300 WAIT=30 DIR=""
	while [ $# -gt 0 ]; do
		[ $# -ge 2 ] || die "option $1 needs a value"
		case $1 in
		--role) ROLE=$2 ;;
		--addr) ADDR=$2 ;;
		--port) PORT=$2 ;;
		--host) HOST=$2 ;;
		--peer-host) PEER_HOST=$2 ;;
		--secret) SECRET=$2 ;;
		--challenge) CHAL=$2 ;;
		--hidden) HIDDEN=$2 ;;
		--lns) LNS=$2 ;;
		--open) OPEN=$2 ;;
		--rws) RWS=$2 ;;
		--max-retries) RETRIES=$2 ;;
		--ppp) PPP=$2 ;;
		--lifetime) LIFE=$2 ;;
		--wait) WAIT=$2 ;;
		--dir) DIR=$2 ;;
		*) die "unknown option $1 (see the comment at the top of $0)" ;;
		esac
		shift 2
	done
	case $ROLE in lns|lac) ;; *) die "--role lns|lac is required" ;; esac
	[ -x "$XL2TPD_BIN" ] || die "$XL2TPD_BIN not found (apt-get install xl2tpd)"
	[ -n "$ADDR" ] || { [ "$ROLE" = lns ] && ADDR=127.0.0.1 || ADDR=127.0.0.2; }
	[ -n "$HOST" ] || HOST=$ROLE.test
	[ -n "$CHAL" ] || { [ -n "$SECRET" ] && CHAL=yes || CHAL=no; }
	case $ADDR in 127.*) ;; *) die "--addr $ADDR: loopback 127.0.0.0/8 only" ;; esac
	case ${LNS%:*} in 127.*) ;; *) die "--lns $LNS: loopback 127.0.0.0/8 only" ;; esac
	LNS_PORT=1701
	case $LNS in *:*) LNS_PORT=${LNS##*:} ;; esac
	for v in "$PORT" "$RWS" "$RETRIES" "$LIFE" "$WAIT" "$LNS_PORT"; do
		is_uint "$v" || die "not a number: '$v'"
	done
	[ "$PORT" -le 65535 ] && [ "$LNS_PORT" -le 65535 ] || die "port out of range"
	for v in "$CHAL" "$HIDDEN"; do
		case $v in yes|no) ;; *) die "expected yes or no, got '$v'" ;; esac
	done
	case $OPEN in none|tunnel|call) ;; *) die "--open none|tunnel|call" ;; esac
	case $PPP in exit|none) ;; *) die "--ppp exit|none" ;; esac
	[ "$OPEN" = none ] || [ "$ROLE" = lac ] || die "--open is for --role lac"
	[ "$OPEN" != tunnel ] || [ "$LNS_PORT" = 1701 ] ||
	    die "--open tunnel: xl2tpd's 't' command only dials port 1701"
	case $SECRET$HOST$PEER_HOST in
	*[[:space:]\#\;]*) die "secret and host names must not hold blanks, '#' or ';'" ;;
	esac
	[ "$CHAL" = no ] || [ -n "$SECRET" ] || die "--challenge yes needs --secret"

	# xl2tpd binds with SO_REUSEADDR: a second daemon on a port in use
	# starts "fine" and steals part of the traffic.  Refuse instead.
	if [ "$PORT" != 0 ]; then
		busy=$(ss -H -u -a -n -p "sport = :$PORT" 2>/dev/null |
		    awk -v a="$ADDR:$PORT" '$4 == a || $4 == "0.0.0.0:'"$PORT"'" ||
		    $4 == "*:'"$PORT"'" { print $4, $NF; exit }')
		[ -z "$busy" ] || die "UDP $ADDR:$PORT is in use ($busy): pick another --port or --addr"
	fi
	if [ -z "$DIR" ]; then
		DIR=$(mktemp -d "${TMPDIR:-/tmp}/xl2tpd.XXXXXX") || die "mktemp failed"
	else
		mkdir -p "$DIR" || die "cannot create $DIR"
		DIR=$(cd "$DIR" && pwd)
		if live_pid "$DIR/xl2tpd.pid" >/dev/null; then
			die "an xl2tpd already runs in $DIR"
		fi
		rm -f "$DIR/xl2tpd.log" "$DIR/xl2tpd.pid" "$DIR/timeout.pid" "$DIR/control"
	fi
	chmod 0700 "$DIR"

	{
		echo "; xl2tpd.sh: $ROLE on $ADDR:$PORT"
		echo "[global]"
		echo "listen-addr = $ADDR"
		echo "port = $PORT"
		echo "auth file = $DIR/secrets"
		echo "force userspace = yes"
		echo "max retries = $RETRIES"
		echo "debug avp = yes"
		echo "debug network = yes"
		echo "debug state = yes"
		echo "debug tunnel = yes"
		echo
		if [ "$ROLE" = lns ]; then
			echo "[lns default]"
			echo "ip range = 10.201.0.10-10.201.0.250"
			echo "local ip = 10.201.0.1"
			echo "require authentication = no"
		else
			echo "[lac $LACNAME]"
			echo "lns = ${LNS%:*}:$LNS_PORT"
			echo "autodial = no"
			echo "redial = no"
		fi
		echo "hostname = $HOST"
		echo "challenge = $CHAL"
		echo "hidden bit = $HIDDEN"
		echo "length bit = yes"
		echo "tunnel rws = $RWS"
		[ "$PPP" = exit ] && echo "pppoptfile = $DIR/ppp-options"
	} >"$DIR/xl2tpd.conf"
	: >"$DIR/secrets"
	chmod 0600 "$DIR/secrets"
	# columns: our host name, the peer's host name, the secret
	[ -z "$SECRET" ] || printf '%s %s %s\n' "$HOST" "$PEER_HOST" "$SECRET" >"$DIR/secrets"
	# pppd stops at the first unknown option, before it opens /dev/ppp.
	printf '%s\n' "xl2tpd-sh-no-ppp-here" >"$DIR/ppp-options"
	echo "$ROLE" >"$DIR/role"

	# setsid: the test's process group never gets our signals; timeout(1)
	# bounds the daemon's life even if the test dies without stopping it.
	setsid sh -c 'echo $$ >"$1"; shift; exec "$@"' sh "$DIR/timeout.pid" \
	    timeout -k 5 "$LIFE" "$XL2TPD_BIN" -D -c "$DIR/xl2tpd.conf" \
	    -s "$DIR/secrets" -p "$DIR/xl2tpd.pid" -C "$DIR/control" \
	    >"$DIR/xl2tpd.log" 2>&1 </dev/null &

	if ! wait_log 'Listening on IP address' "$WAIT"; then
		cat "$DIR/xl2tpd.log" >&2
		do_stop "$DIR" --term >/dev/null 2>&1
		die "xl2tpd did not start listening (waited up to $WAIT s; log above)"
	fi
	# the pid file and FIFO appear just after the log line
	n=50
	while [ "$n" -gt 0 ]; do
		PID=$(live_pid "$DIR/xl2tpd.pid") && [ -p "$DIR/control" ] && break
		sleep 0.1
		n=$((n - 1))
	done
	[ -n "${PID:-}" ] && [ "$n" -gt 0 ] || {
		cat "$DIR/xl2tpd.log" >&2
		do_stop "$DIR" --term >/dev/null 2>&1
		die "xl2tpd wrote no pid file or control FIFO"
	}
	REALPORT=$(sed -n 's/.*Listening on IP address [0-9.]*, port \([0-9]*\).*/\1/p' \
	    "$DIR/xl2tpd.log" | head -n 1)
	[ -n "$REALPORT" ] || REALPORT=$PORT
	if [ "$PORT" = 0 ] || [ "$REALPORT" = 0 ]; then
		# xl2tpd logs the configured port; ask the kernel for the real one
		REALPORT=$(ss -H -u -l -n -p 2>/dev/null |
		    sed -n "s/.*$ADDR:\([0-9]*\) .*pid=$PID,.*/\1/p" | head -n 1)
		[ -n "$REALPORT" ] || die "cannot tell which port xl2tpd bound"
	fi
	echo "$REALPORT" >"$DIR/port"
	case $OPEN in
	tunnel) ctl "t ${LNS%:*}" ;;
	call) ctl "c $LACNAME" ;;
	esac
	echo "XL2TPD_DIR=$DIR"
	echo "XL2TPD_PID=$PID"
	echo "XL2TPD_ADDR=$ADDR"
	echo "XL2TPD_PORT=$REALPORT"
}

do_stop() {
	need_dir "${1:-}"
	shift
	SIG=INT KEEP=0
	for a in "$@"; do
		case $a in
		--term) SIG=TERM ;;
		--keep) KEEP=1 ;;
		*) die "stop: unknown option $a" ;;
		esac
	done
	p=$(live_pid "$DIR/xl2tpd.pid") || p=""
	t=$(live_pid "$DIR/timeout.pid") || t=""
	if [ -n "$p" ]; then
		kill -"$SIG" "$p" 2>/dev/null
	elif [ -n "$t" ]; then
		kill -"$SIG" "$t" 2>/dev/null # forwarded to xl2tpd
	fi
	n=50
	while [ "$n" -gt 0 ]; do
		{ [ -n "$p" ] && kill -0 "$p" 2>/dev/null; } ||
		    { [ -n "$t" ] && kill -0 "$t" 2>/dev/null; } || break
		sleep 0.1
		n=$((n - 1))
	done
	[ -z "$p" ] || ! kill -0 "$p" 2>/dev/null || kill -KILL "$p" 2>/dev/null
	[ -z "$t" ] || ! kill -0 "$t" 2>/dev/null || kill -KILL "$t" 2>/dev/null
	[ "$KEEP" = 1 ] || rm -rf -- "$DIR"
	return 0
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case $cmd in
start) do_start "$@" ;;
stop) do_stop "$@" ;;
open)
	need_dir "${1:-}"
	case ${2:-} in
	tunnel) ctl "t $(sed -n 's/^lns = \(.*\):.*/\1/p' "$DIR/xl2tpd.conf")" ;;
	call) ctl "c $LACNAME" ;;
	*) die "open DIR tunnel|call" ;;
	esac
	;;
close) need_dir "${1:-}"; ctl "d $LACNAME" ;;
ctl) need_dir "${1:-}"; [ $# -ge 2 ] || die "ctl DIR 'TEXT'"; ctl "$2" ;;
wait)
	need_dir "${1:-}"
	[ $# -ge 3 ] && is_uint "$3" || die "wait DIR 'ERE' SECS"
	wait_log "$2" "$3" || exit 3
	;;
log) need_dir "${1:-}"; cat "$DIR/xl2tpd.log" ;;
*)
	sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
	exit 1
	;;
esac
