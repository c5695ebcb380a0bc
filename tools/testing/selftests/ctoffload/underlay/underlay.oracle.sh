#!/bin/bash
# Linux 6.1 reference for tools/testing/selftests/ctoffload/underlay.sh
ip netns add remote
ip link add ens1f0 type veth peer name ens1f0wire
ip link set ens1f0wire netns remote
sysctl -qw net.ipv6.conf.ens1f0.addr_gen_mode=1
ip link set ens1f0 up
ip -n remote link set ens1f0wire address 02:00:00:00:00:08
ip netns exec remote sysctl -qw net.ipv6.conf.ens1f0wire.addr_gen_mode=1
ip -n remote link set ens1f0wire up
ip -n remote addr add 7.7.7.8/24 dev ens1f0wire
ip -n remote addr add 2001:db8::8/64 dev ens1f0wire nodad
run() { echo "\$ $*"; "$@" 2>&1; echo "rc=$?"; }
run ip addr add 7.7.7.7/24 dev ens1f0
run ip -6 addr add 2001:db8::7/64 dev ens1f0 nodad
run ip addr add 7.7.7.7/24 dev ens1f0
run ip -6 addr add 2001:db8::7/64 dev ens1f0 nodad
run ip addr add 1.2.3.4/24 dev nosuch
run ip addr del 7.7.7.9/24 dev ens1f0
run ip -6 addr del 2001:db8::99/64 dev ens1f0
run ip addr add 7.7.8.1/16 dev ens1f0
run ip addr show dev ens1f0
run ip -4 addr show dev ens1f0
run ip -6 addr show dev ens1f0
run ip -br addr show dev ens1f0
run ip route show
run ip -6 route show
run ip route add 10.1.0.0/16 via 7.7.7.8
run ip route add 10.2.0.0/16 dev ens1f0
run ip route add 10.3.0.0/16 via 9.9.9.9
run ip route add 10.1.0.0/16 via 7.7.7.8
run ip -6 route add 2001:db8:1::/48 via 2001:db8::8
run ip -6 route add 2001:db8:2::/48 via 2001:db9::1
run ip route show
run ip -6 route show
run ip route del 10.1.0.0/16
run ip route del 10.3.0.0/16
run ip -6 route del 2001:db8:1::/48
run ip route show
run ip addr del 7.7.8.1/16 dev ens1f0
run ip route show
ip netns exec remote ping -c 1 -W 2 7.7.7.7 >/dev/null && echo ping4-ok
ip netns exec remote ping -6 -c 1 -W 2 2001:db8::7 >/dev/null && echo ping6-ok
run ip neigh show dev ens1f0
run ip -6 neigh show dev ens1f0
run ip neigh add 7.7.7.9 lladdr 02:00:00:00:00:09 dev ens1f0 nud permanent
run ip neigh add 7.7.7.9 lladdr 02:00:00:00:00:09 dev ens1f0 nud permanent
run ip neigh replace 7.7.7.10 lladdr 02:00:00:00:00:0a dev ens1f0 nud permanent
run ip neigh show dev ens1f0
run ip neigh del 7.7.7.9 dev ens1f0
run ip neigh del 7.7.7.9 dev ens1f0
run ip neigh show
run ip -6 neigh show
run ip -4 addr flush dev ens1f0
run ip addr show dev ens1f0
run ip route show
run ip -6 addr del 2001:db8::7/64 dev ens1f0
run ip -6 route show
run ip addr show dev ens1f0
