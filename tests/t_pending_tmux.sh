#!/bin/sh
# Step mode's `pending` as a person uses it, in a real terminal (tmux): with
# a secret and hidden AVPs, the SCCRP the engine holds is listed with its
# line decoded under its row, the hidden AVPs opened with the secret.
set -u

TMUX_TAG=p TMUX_SCROLLBACK=1
. "$(dirname "$0")/tmux_lib.sh"

start 160
waitfor "l2tpsh>" "the prompt"

type_line "set secret s"
type_line "set hide-avps on"
type_line "set mode step"
type_line "lab start"
waitfor "Info: lab LNS on" "lab start"
type_line "lac connect lab"
waitfor "SCCRQ drafted" "the SCCRQ held"
type_line "step"
waitfor "SCCRP received" "the SCCRP held"
type_line "pending"
waitfor "Total held:" "pending"
# The row of the held SCCRP, and the line under it.
row=$(screen | grep -E '^[0-9]+ +received +[0-9]+ +SCCRP ' | tail -n 1)
[ -n "$row" ] || fail "pending does not list the held SCCRP"
held=$(screen | grep -F -x -A1 -- "$row" | tail -n 1)
case $held in
*"control SCCRP tunnel"*) ;;
*) fail "no decoded SCCRP under pending's row: $held" ;;
esac
case $held in
*"(hidden)"*) fail "pending's SCCRP keeps hidden AVPs: $held" ;;
esac
for avp in "framing sync,async (decrypted)" "tid "; do
	case $held in
	*"$avp"*) ;;
	*) fail "pending's SCCRP does not show '$avp': $held" ;;
	esac
done
case $held in
*'tid '[0-9]*' (decrypted)'*) ;;
*) fail "pending's SCCRP does not open the Assigned Tunnel ID: $held" ;;
esac
type_line "quit"
gone "quit"
