#!/bin/bash
# Install the Debian 12 packages ctoffload needs to build, test and demo.
set -e
pkgs=(build-essential clang pkg-config libmnl-dev libpcap-dev liburcu-dev libcmocka-dev libxxhash-dev libjansson-dev
      libclang-rt-14-dev iproute2 iputils-ping netcat-openbsd conntrack socat tcpdump iperf3 python3
      graphviz valgrind procps nftables libtsan2)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} = 0 ] && exit 0
SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
