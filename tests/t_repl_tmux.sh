#!/bin/sh
# The shell as a person uses it: keys typed into a real terminal (tmux), the screen read back.
set -u
. "$(dirname "$0")/tmux_lib.sh"

start
waitline "l2tpsh>" "the prompt"

# Tab completes a unique abbreviation and adds a blank.
tm send-keys -t t 'dis' Tab
waitline "l2tpsh> display" "Tab completion of dis"

# ? lists what may come next with a line of help; the line stays typed.
tm send-keys -t t 'l2tp ' '?'
waitfor "  tunnel                 Show tunnels" "? help"
waitfor "  statistics             Show totals over all tunnels" "? help"
waitline "l2tpsh> display l2tp" "the line redrawn after ?"
tm send-keys -t t C-u

# Tab with several candidates lists them (on a cleared screen).
tm send-keys -t t C-l
i=0
while [ "$(count 'session')" -ne 0 ]; do
	i=$((i + 1))
	[ $i -lt 50 ] || fail "Ctrl-L did not clear the screen"
	sleep 0.1
done
waitline "l2tpsh>" "the prompt after Ctrl-L"
tm send-keys -t t 'dis l2tp s' Tab
waitfor "session     statistics" "Tab listing of dis l2tp s"
waitline "l2tpsh> dis l2tp s" "the line redrawn after the listing"
tm send-keys -t t C-u

# Tab extends to the common prefix: "send scc" from "send sc".
tm send-keys -t t 'send sc' Tab
waitline "l2tpsh> send scc" "common prefix of scccn, sccrp, sccrq"
tm send-keys -t t C-u

# An abbreviation runs the full command.
tm send-keys -t t 'dis l2tp con' Enter
waitfor "retransmit timeout   1 8" "display l2tp config by abbreviation"

# An unknown command is answered with the closest ones.
tm send-keys -t t 'disply' Enter
waitfor "Error: unknown command 'disply'; did you mean display?" \
    "unknown command error"

# Up recalls the last lines; Enter runs the recalled one.
tm send-keys -t t Up
waitline "l2tpsh> disply" "Up recalls the last line"
tm send-keys -t t Up
waitline "l2tpsh> dis l2tp con" "Up twice"
tm send-keys -t t Enter
i=0
while [ "$(count 'retransmit timeout   1 8')" -lt 2 ]; do
	i=$((i + 1))
	[ $i -lt 50 ] || fail "the recalled command did not run"
	sleep 0.1
done

# Ctrl-C abandons the line being typed, not the program.
tm send-keys -t t 'set secret abandoned' C-c
waitfor "l2tpsh> set secret abandoned^C" "Ctrl-C echo"
waitline "l2tpsh>" "a fresh prompt after Ctrl-C"
tm send-keys -t t 'dis l2tp con' Enter
waitfor "secret               (none)" "the abandoned line did not run"
tm has-session -t t 2>/dev/null || fail "Ctrl-C ended the shell"

# Ctrl-C during a running command stops that command only.
tm send-keys -t t 'wait 30' Enter
sleep 0.3
tm send-keys -t t C-c
waitfor "Error: wait interrupted" "Ctrl-C ends wait"
waitline "l2tpsh>" "the prompt after an interrupted wait"

# The engine: the lab peer, a tunnel, the prompt shows it.
tm send-keys -t t 'set hello 1' Enter 'lab start' Enter
waitfor "Info: lab LNS on 127.0.0.1 port" "lab start"
tm send-keys -t t 'lac connect lab' Enter
waitfor "wait-ctl-reply -> established" "the tunnel event above the prompt"
waitline "l2tpsh[lac 127.0.0.1 est]>" "the prompt shows the tunnel"

# Tab completes the live tunnel id.
tid=$(screen | sed -n 's/.*Info: tunnel \([0-9]*\): SCCRQ sent.*/\1/p' | tail -1)
[ -n "$tid" ] || fail "no tunnel id on the screen"
tm send-keys -t t 'reset l2tp tunnel ' Tab
waitline "l2tpsh[lac 127.0.0.1 est]> reset l2tp tunnel $tid" "Tab: tunnel id"
tm send-keys -t t C-u

# An event arriving while a line is half typed: the line survives.
tm send-keys -t t 'debugging l2tp packet' Enter C-l
waitline "l2tpsh[lac 127.0.0.1 est]>" "cleared"
tm send-keys -t t 'display l2tp tun'
waitfor "msg-in: HELLO" "a Hello from the lab peer within the interval"
waitline "l2tpsh[lac 127.0.0.1 est]> display l2tp tun" \
    "the half-typed line redrawn under the event"
tm send-keys -t t Enter
waitfor "Total tunnels: 1" "display l2tp tunnel"

# A line longer than the terminal (two rows) survives events whole: no row
# of it is left behind above them, and it is redrawn under them intact.
tm send-keys -t t C-l
waitline "l2tpsh[lac 127.0.0.1 est]>" "cleared for the long line"
long=$(printf 'x%.0s' $(seq 150))
tm send-keys -t t "$long"
hellos=$(count "msg-in: HELLO")
i=0
while [ "$(count "msg-in: HELLO")" -lt $((hellos + 2)) ]; do
	i=$((i + 1))
	[ $i -lt 200 ] || fail "no two Hellos while the long line was typed"
	sleep 0.1
done
# Rows left behind never go away, so a screen read mid-redraw is retried.
whole() {
	[ "$(count "xxxxxxxxxx")" -eq 2 ] || return 1
	first=$(screen | grep -F "l2tpsh[lac 127.0.0.1 est]> xxxx" | sed 's/ *$//')
	rest=$(screen | grep -vF "l2tpsh[" | grep -F "xxxxxxxxxx" | sed 's/ *$//')
	[ "${first#l2tpsh\[lac 127.0.0.1 est\]> }$rest" = "$long" ]
}
i=0
until whole; do
	i=$((i + 1))
	[ $i -lt 50 ] ||
	    fail "the long line was garbled by events (rows with it: $(count xxxxxxxxxx))"
	sleep 0.1
done
tm send-keys -t t C-u
tm send-keys -t t 'undo debugging' Enter

# quit leaves, and the history is kept in the home directory.
tm send-keys -t t 'quit' Enter
gone "quit"
waitfor "Info: closed 1 tunnel with a StopCCN" "quit closes the tunnel"
tm kill-session -t t
[ -f "$T/.l2tpsh_history" ] || fail "no ~/.l2tpsh_history after quit"
grep -q 'disply' "$T/.l2tpsh_history" || fail "history file lacks a line"
grep -q 'abandoned' "$T/.l2tpsh_history" &&
    fail "an abandoned line went into the history"

# A new session recalls the old history and reads ~/.editrc (a key bound
# there types a command); Ctrl-D on an empty line leaves.
printf 'l2tpsh:bind -s ^T "display l2tp config"\n' >"$T/.editrc"
start
waitline "l2tpsh>" "the prompt again"
tm send-keys -t t Up
waitline "l2tpsh> quit" "history loaded from the file"
tm send-keys -t t C-u C-t
waitline "l2tpsh> display l2tp config" "the key bound in ~/.editrc"

# Step mode: the SCCRQ is held and shown with what to do; step lets it go,
# the answer is held in turn; the prompt counts what is held.
tm send-keys -t t C-u 'set mode step' Enter 'lab start' Enter 'lac connect lab' Enter
waitfor "held #1: SCCRQ drafted for tunnel" "the held SCCRQ"
waitfor "not sent: step sends it; edit 1, drop 1" "what can be done"
waitline "l2tpsh[lac 127.0.0.1 idle held 1]>" "the prompt counts held"
tm send-keys -t t 'step' Enter
waitfor "held #2: SCCRP received on tunnel" "the SCCRP held"
tm send-keys -t t 'set mode auto' Enter
waitline "l2tpsh[lac 127.0.0.1 est]>" "auto releases everything"

tm send-keys -t t C-d
gone "Ctrl-D"
waitfor "Info: closed 1 tunnel with a StopCCN" "Ctrl-D closes the tunnel"
tm kill-session -t t

# A peer that is gone: quit says the StopCCN went unacknowledged.
start
waitline "l2tpsh>" "the prompt a third time"
tm send-keys -t t 'lab start' Enter 'lac connect lab' Enter
waitline "l2tpsh[lac 127.0.0.1 est]>" "the tunnel up"
tm send-keys -t t 'lab stop' Enter 'quit' Enter
gone "quit with the peer gone"
waitfor "Info: sent 1 tunnel a StopCCN (result 6, shutting down); 1 not acknowledged within 1 s" \
    "quit says the StopCCN was not acked"
tm kill-session -t t
echo "ok: prompt, Tab, ?, abbreviation, errors, history, ~/.editrc, Ctrl-C, lab tunnel, event above a half-typed line and a two-row line, step mode, quit with StopCCN, Ctrl-D, quit with the peer gone"
