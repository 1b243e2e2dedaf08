#!/bin/sh
# capture start and step mode as a person uses them, in a real terminal
# (tmux): the capture decodes the shell's own lab tunnel (its ports are not
# 1701) with the hidden AVPs opened by the configured secret, and step
# mode's held lines open them too.
set -u
[ "$(id -u)" -eq 0 ] || { echo "capturing on lo needs root"; exit 77; }

TMUX_TAG=c TMUX_SCROLLBACK=1
. "$(dirname "$0")/tmux_lib.sh"

start 160
waitfor "l2tpsh>" "the prompt"

type_line "set secret s"
type_line "set hide-avps on"
type_line "lab start"
waitfor "Info: lab LNS on" "lab start"
type_line "capture start lo"
waitfor "Info: capturing on lo" "capture start"
type_line "lac connect lab"
# The capture's lines, above the prompt: the whole handshake.
waitfor "control SCCCN tunnel" "the capture decodes the lab's SCCCN"
waitfor "control ZLB tunnel" "the capture decodes the ZLB ack"
line=$(screen | grep -F "control SCCRP tunnel" | head -n 1)
[ -n "$line" ] || fail "no SCCRP line in the capture"
case $line in
*"(hidden)"*) fail "the captured SCCRP keeps hidden AVPs: $line" ;;
esac
case $line in
*'tid '*'(decrypted)'*) ;;
*) fail "the captured SCCRP's Assigned Tunnel ID is not opened: $line" ;;
esac
type_line "capture stop"
waitfor "Info: capture on lo stopped" "capture stop"
st=$(screen | sed -n 's/.*capture on lo stopped: \([0-9]*\) packets, \([0-9]*\) L2TP.*/\2/p' | tail -n 1)
[ "${st:-0}" -ge 4 ] || fail "capture stop counted ${st:-0} L2TP packets, not 4 or more"

# Step mode: the SCCRP the engine holds is shown with its AVPs opened.
type_line "set mode step"
type_line "lac connect lab"
waitfor "SCCRQ drafted" "the SCCRQ held"
type_line "step"
waitfor "SCCRP received" "the SCCRP held"
held=$(screen | grep -F -A1 "SCCRP received" | tail -n 1)
case $held in
*"(hidden)"*) fail "the held SCCRP's line keeps hidden AVPs: $held" ;;
esac
case $held in
*"framing sync,async (decrypted)"*) ;;
*) fail "the held SCCRP's line does not open Framing Capabilities: $held" ;;
esac
type_line "quit"
gone "quit"
