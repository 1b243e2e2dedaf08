# Sourced by the t_*_tmux.sh tests: the shell in a real terminal (tmux),
# its screen read back. Set before sourcing:
#   TMUX_TAG        the tmux socket's tag (default t)
#   TMUX_SCROLLBACK 1: screen reads the whole pane with its scrollback,
#                   wrapped lines joined; unset: only the visible pane
#   TMUX_SESSION    the session screen, waitfor and the others read (default t)
# Skips (77) when tmux is missing; needs L2TPSH.
: "${L2TPSH:?set L2TPSH to the built l2tpsh}"
command -v tmux >/dev/null 2>&1 || { echo "tmux is not installed"; exit 77; }

T=$(mktemp -d)
SUPP="${SRCDIR:-.}/tests/lsan-libedit.supp"
SOCK="l2tpsh-${TMUX_TAG:-t}-$$"
cleanup() {
	tmux -L "$SOCK" kill-server 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

# remain-on-exit from the server's start: the pane stays readable after the
# shell leaves, with no window between start and a later set-option.
printf 'set -g remain-on-exit on\nset -g history-limit 5000\n' >"$T/tmux.conf"
tm() { tmux -L "$SOCK" -f "$T/tmux.conf" "$@"; }
# The screen of window $1 (default: the session's).
screen() {
	if [ "${TMUX_SCROLLBACK:-0}" = 1 ]; then
		tm capture-pane -p -J -S - -t "${1:-${TMUX_SESSION:-t}}" 2>/dev/null
	else
		tm capture-pane -p -t "${1:-${TMUX_SESSION:-t}}" 2>/dev/null
	fi
}
fail() {
	echo "FAIL: $*"
	echo "--- screen ---"
	screen
	exit 1
}
# Wait (at most 20 s) until the screen shows a fixed string.
waitfor() {
	i=0
	while [ $i -lt 200 ]; do
		screen | grep -qF -- "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	fail "the screen never showed '$1' ($2)"
}
# How many lines of the screen contain a fixed string.
count() { screen | grep -cF -- "$1"; }
# The line the cursor is on.
cursor_line() {
	y=$(tm display-message -p -t t '#{cursor_y}')
	screen | sed -n "$((y + 1))p"
}
waitline() {
	i=0
	while [ $i -lt 200 ]; do
		[ "$(cursor_line | sed 's/ *$//')" = "$1" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	fail "the cursor line is '$(cursor_line)', not '$1' ($2)"
}
type_line() { tm send-keys -t t "$1" Enter; }
# Start the shell in session t, $1 columns wide (default 120).
start() {
	tm new-session -d -s t -x "${1:-120}" -y 50 \
	    "env HOME=$T TERM=screen LC_ALL=C.UTF-8 LSAN_OPTIONS=suppressions=$SUPP $L2TPSH; echo \"l2tpsh exit status \$?\"" ||
	    fail "tmux could not start the shell"
	# Keep the pane after the shell leaves, to read its last words.
	tm set-option -t t remain-on-exit on >/dev/null
}
# Wait until the shell has left with status 0.
gone() {
	i=0
	while [ $i -lt 200 ]; do
		st=$(screen | sed -n 's/^l2tpsh exit status //p')
		case $st in
		0) return 0 ;;
		?*) fail "the shell left with status $st ($1)" ;;
		esac
		sleep 0.1
		i=$((i + 1))
	done
	fail "the shell did not leave ($1)"
}
