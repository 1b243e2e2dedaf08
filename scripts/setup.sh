#!/bin/sh
# Install the Debian packages l2tpsh needs to build, run and test.
# Usage: scripts/setup.sh [--test]   (--test adds the test tools)
set -eu
pkgs="build-essential cmake pkg-config libpcap-dev libssl-dev libedit-dev"
if [ "${1:-}" = "--test" ]; then
	pkgs="$pkgs libcriterion-dev tshark tcpdump xl2tpd l2tpns freeradius freeradius-utils tmux mandoc clang libclang-rt-14-dev iproute2 python3 time clang-format"
fi
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
	    missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "setup: missing packages:$missing; run as root or: sudo apt-get install$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer no without a prompt.
echo "wireshark-common wireshark-common/install-setuid boolean false" |
    debconf-set-selections 2>/dev/null || true
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing
