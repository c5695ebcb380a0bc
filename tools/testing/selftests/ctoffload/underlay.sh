#!/bin/bash
# The uplink representor as the VXLAN underlay's host interface: IPv4 and
# IPv6 addresses, connected and static routes, ARP/ND and ping from the
# wire.  `ip addr`/`ip route`/`ip neigh` output and errors are diffed
# against Linux 6.1's (underlay/underlay.expected, captured with
# underlay/underlay.oracle.sh under ../shared/tools/linux-oracle; link
# lines, which differ by device kind, are left out).  Needs root.
source "$(dirname "$0")/lib.sh"

dir=$(dirname "$0")/underlay
pf="ul$$"
pf=${pf:0:10}
d="underlay$$"
remote="cto-remote-$$"
rmac=02:00:00:00:00:08

cleanup() {
	ip netns del "$remote" 2>/dev/null
	daemon_stop "$d" >/dev/null 2>&1
}
trap cleanup EXIT

ktap_plan_root 10

daemon_start "$d" --pf "$pf" --vfs 2 || exit 1
ip netns add "$remote"
ip link set "${pf}wire" netns "$remote"
ip netns exec "$remote" sysctl -qw "net.ipv6.conf.${pf}wire.addr_gen_mode=1"
ip -n "$remote" link set "${pf}wire" address $rmac up
ip -n "$remote" addr add 7.7.7.8/24 dev "${pf}wire"
ip -n "$remote" addr add 2001:db8::8/64 dev "${pf}wire" nodad

# run CMD...: the command as the oracle wrote it (device ens1f0), its output, its status
run() {
	echo "\$ $*"
	cto "$d" "${@//ens1f0/$pf}" 2>&1 | sed "s/$pf/ens1f0/g"
	echo "rc=${PIPESTATUS[0]}"
}
# link lines differ by device kind (veth on Linux); -br pads the name with its @ifN
normalize() { grep -vE '^[0-9]+: |link/ether' | sed 's/@if[0-9]*//' | tr -s ' '; }

{
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
} >"$CTOFFLOAD_RUNDIR/part1" 2>&1

# the daemon's clock goes virtual so the neighbour timers can be stepped
"$CTOFFLOAD" -n "$d" clock virtual >/dev/null
check "ping 7.7.7.7 from the wire" ip netns exec "$remote" ping -c 3 -i 0.2 -W 2 -q 7.7.7.7
check "ping -6 2001:db8::7 from the wire" \
	ip netns exec "$remote" ping -6 -c 3 -i 0.2 -W 2 -q 2001:db8::7
neigh=$(cto "$d" ip neigh show dev "$pf" 7.7.7.8)
check "the remote is learnt from its ARP request (got: $neigh)" \
	grep -q "lladdr $rmac \(STALE\|DELAY\)" <<<"$neigh"
# DELAY_PROBE_TIME later, the next reply makes us probe: the answer confirms it
"$CTOFFLOAD" -n "$d" clock advance 6s >/dev/null
ip netns exec "$remote" ping -c 2 -i 0.2 -W 2 -q 7.7.7.7 >/dev/null
ip netns exec "$remote" ping -6 -c 2 -i 0.2 -W 2 -q 2001:db8::7 >/dev/null
neigh=$(cto "$d" ip neigh show dev "$pf")
check "ip neigh lists 7.7.7.8 at $rmac REACHABLE (got: $(echo $neigh))" \
	grep -qx "7.7.7.8 lladdr $rmac REACHABLE *" <<<"$neigh"
check "ip neigh lists 2001:db8::8 at $rmac REACHABLE" \
	grep -qx "2001:db8::8 lladdr $rmac REACHABLE *" <<<"$neigh"

{
	run ip neigh add 7.7.7.9 lladdr 02:00:00:00:00:09 dev ens1f0 nud permanent
	run ip neigh add 7.7.7.9 lladdr 02:00:00:00:00:09 dev ens1f0 nud permanent
	run ip neigh replace 7.7.7.10 lladdr 02:00:00:00:00:0a dev ens1f0 nud permanent
} >"$CTOFFLOAD_RUNDIR/part2" 2>&1
neigh=$(cto "$d" ip neigh show dev "$pf")
check "ip neigh add/replace nud permanent" \
	grep -qx "7.7.7.10 lladdr 02:00:00:00:00:0a PERMANENT *" <<<"$neigh"
{
	run ip neigh del 7.7.7.9 dev ens1f0
	run ip neigh del 7.7.7.9 dev ens1f0
	run ip -4 addr flush dev ens1f0
	run ip addr show dev ens1f0
	run ip route show
	run ip -6 addr del 2001:db8::7/64 dev ens1f0
	run ip -6 route show
	run ip addr show dev ens1f0
} >>"$CTOFFLOAD_RUNDIR/part2" 2>&1
check "no neighbour is left once the addresses are gone" \
	[ -z "$(cto "$d" ip neigh show dev "$pf")" ]

cat "$CTOFFLOAD_RUNDIR/part1" "$CTOFFLOAD_RUNDIR/part2" | normalize >"$CTOFFLOAD_RUNDIR/got"
normalize <"$dir/underlay.expected" >"$CTOFFLOAD_RUNDIR/want"
check "ip addr/route/neigh commands print what Linux 6.1 prints" \
	diff -u "$CTOFFLOAD_RUNDIR/want" "$CTOFFLOAD_RUNDIR/got"
check "the remote no longer gets answers" \
	bash -c "! ip netns exec $remote ping -c 1 -W 1 -q 7.7.7.7"
check "ctoffloadd stops cleanly (no sanitizer report)" daemon_stop "$d"
ktap_finish
