# `ip link` with vxlan devices; the script that produced vxlan-links.expected
# in Linux 6.1 (../shared/tools/linux-oracle vxlan-links.oracle.sh) and that
# vxlan_links.sh runs against the daemon with IP="ctoffload -n D exec ip".
# Output is normalized by vxlan_links.sh: ifindexes and random MACs blanked.
IP=${IP:-ip}
show() { echo "### $*"; $IP "$@" 2>&1; echo "rc=$?"; }
show link add vxlan0 type vxlan dstport 4789 external
show -d link show vxlan0
show link add vx1 type vxlan id 98 remote 7.7.7.8 local 7.7.7.7 dstport 4789
show -d link show vx1
show link add vx2 type vxlan id 5 remote 2001:db8::2 local 2001:db8::1 dstport 4789 ttl 10 tos 0x10 udp6zerocsumtx udp6zerocsumrx nolearning
show -d link show vx2
show link add vx3 type vxlan id 7
show -d link show vx3
show link add vx6 type vxlan id 10 remote 7.7.7.10 dstport 4789 noudpcsum ttl 64 tos 0x28 learning srcport 40000 50000
show -d link show vx6
show link add vx7 mtu 1400 address 02:00:00:00:00:07 type vxlan id 11 dstport 4789
show -d link show vx7
show link add vx1 type vxlan id 99 dstport 4789
show link add bogus type foo
show link add vx9 type vxlan id 98 dstport 4789
show link add vx10 type vxlan dstport 4790 external
show link del lo
show link set vxlan0 up
show -d link show vxlan0
show -d -j link show vxlan0
show link set vx1 up
show link del vx1
show link show vx1
show link del vx1
show link show type vxlan
for d in vxlan0 vx2 vx3 vx6 vx7 vx10; do $IP link del $d; done
show link show type vxlan
