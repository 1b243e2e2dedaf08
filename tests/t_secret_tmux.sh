#!/bin/sh
# Secrets as a person types them into a real terminal (tmux, real libedit):
# the history and its file show them masked, the prompt does not echo.
set -u
. "$(dirname "$0")/tmux_lib.sh"

# Secrets at a real terminal: masked in the history, typed with echo off.
# A history file from before the mask is masked when it is loaded.
printf '_HiStOrY_V2_\nset\\040secret\\040OldSecret5\n' >"$T/.l2tpsh_history"
start
waitline "l2tpsh>" "the prompt"

# A secret typed on the line: the history shows the mask.
tm send-keys -t t 'set secret TopSecret99' Enter
tm send-keys -t t 'dec /nonexistent.pcap sec S3cretS2' Enter
tm send-keys -t t 'history' Enter
waitfor "set secret ********" "history shows the secret masked"
waitfor "dec /nonexistent.pcap sec ********" "history masks decode secret"
screen | grep -E '^ +[0-9]+  ' | grep -qE 'TopSecret99|S3cretS2|OldSecret5' &&
    fail "history shows a secret"

# The recalled masked line is refused, not taken as the secret.
tm send-keys -t t C-l 'set secret ********' Enter
waitfor "is what the history shows for a secret" "the mask refused"

# set secret prompt: what is typed does not show.
tm send-keys -t t C-l 'set secret prompt' Enter
waitfor "Secret:" "the no-echo prompt"
tm send-keys -t t 'Hunter2xyz' Enter
waitline "l2tpsh>" "the prompt after the secret"
screen | grep -q 'Hunter2xyz' && fail "the prompt echoed the secret"
tm send-keys -t t 'dis l2tp con' Enter
waitfor "secret               ********" "the secret from the prompt is set"

# Ctrl-C at the prompt cancels, and echo is back afterwards.
tm send-keys -t t C-l 'no secret' Enter 'set secret prompt' Enter
waitfor "Secret:" "the prompt again"
tm send-keys -t t 'abc' C-c
waitfor "cancelled: the secret is unchanged" "Ctrl-C cancels the prompt"
tm send-keys -t t 'display l2tp config' Enter
waitfor "l2tpsh> display l2tp config" "echo restored after Ctrl-C"
waitfor "secret               (none)" "the cancelled prompt set nothing"

# A secret file readable by others: set, with a warning saying chmod 600.
printf 'FileSecret7\n' >"$T/sec"
chmod 644 "$T/sec"
tm send-keys -t t C-l "set secret file $T/sec" Enter
waitfor "(mode 0644): chmod 600" "the warning for a mode 0644 secret file"
tm send-keys -t t 'dis l2tp con' Enter
waitfor "secret               ********" "the secret from the file is set"

tm send-keys -t t 'quit' Enter
gone "quit"
H="$T/.l2tpsh_history"
[ -f "$H" ] || fail "no ~/.l2tpsh_history after quit"
grep -qE 'TopSecret99|S3cretS2|Hunter2xyz|FileSecret7|OldSecret5' "$H" &&
    fail "a secret is in the history file: $(cat "$H")"
# libedit writes a blank as \040
grep -q 'secret\\040\*\*\*\*\*\*\*\*' "$H" ||
    fail "the history file lacks the masked line: $(cat "$H")"
grep -q 'secret\\040prompt' "$H" ||
    fail "the history file lacks set secret prompt: $(cat "$H")"
echo "ok: secrets masked in history and its file (an old file masked on load), mask refused, no-echo prompt, Ctrl-C at the prompt, secret file warning"
