#!/bin/bash
# Real packets through the switch: two namespaces on two VFs, flower +
# mirred rules installed with the real tc (IPv4, IPv6, ARP/ND), then ping,
# ping6 and a TCP transfer; counters from `tc -s filter show`; a drop rule
# really drops.  Needs root (namespaces, TAP).
source "$(dirname "$0")/lib.sh"

pf="sw$$"
pf=${pf:0:10}
d="traffic$$"
h0="cto-h0-$$"
h1="cto-h1-$$"

cleanup() {
	ip netns del "$h0" 2>/dev/null
	ip netns del "$h1" 2>/dev/null
	daemon_stop "$d" >/dev/null 2>&1
}
trap cleanup EXIT

ktap_plan_root 16

daemon_start "$d" --pf "$pf" --vfs 2 --hw-tc-offload off || exit 1
check "host has the VF TAPs ${pf}v0, ${pf}v1 and ${pf}wire" \
	bash -c "ip link show dev ${pf}v0 && ip link show dev ${pf}v1 && ip link show dev ${pf}wire"
links=$(cto "$d" ip -o link show | awk -F': ' '{print $2}' | tr '\n' ' ')
check "ip link lists lo and the representors (got: $links)" \
	[ "$links" = "lo $pf ${pf}_0 ${pf}_1 " ]

ip netns add "$h0"
ip netns add "$h1"
ip link set "${pf}v0" netns "$h0"
ip link set "${pf}v1" netns "$h1"
ip -n "$h0" link set "${pf}v0" address 02:00:00:00:00:01 up
ip -n "$h1" link set "${pf}v1" address 02:00:00:00:00:02 up
ip -n "$h0" addr add 10.0.0.1/24 dev "${pf}v0"
ip -n "$h1" addr add 10.0.0.2/24 dev "${pf}v1"
ip -n "$h0" addr add fd00::1/64 dev "${pf}v0" nodad
ip -n "$h1" addr add fd00::2/64 dev "${pf}v1" nodad

for r in 0 1; do
	o=$((1 - r))
	cto "$d" tc qdisc add dev "${pf}_$r" ingress
	cto "$d" tc filter add dev "${pf}_$r" ingress prio 10 proto ip flower \
		dst_ip 10.0.0.$((o + 1)) action mirred egress redirect dev "${pf}_$o"
	cto "$d" tc filter add dev "${pf}_$r" ingress prio 20 proto arp flower \
		action mirred egress redirect dev "${pf}_$o"
	cto "$d" tc filter add dev "${pf}_$r" ingress prio 30 proto ipv6 flower \
		action mirred egress redirect dev "${pf}_$o"
done

check "ping h0 -> h1 through the switch" \
	ip netns exec "$h0" ping -c 5 -i 0.05 -W 2 -q 10.0.0.2
check "ping6 h0 -> h1 through the switch" \
	ip netns exec "$h0" ping -6 -c 5 -i 0.05 -W 2 -q fd00::2

# the IPv4 filter counted the 5 echo requests (plus any ARP-less traffic)
pkts=$(cto "$d" tc -s -j filter show dev "${pf}_0" ingress prio 10 |
	python3 -c 'import json,sys; f=[x for x in json.load(sys.stdin) if "options" in x][0]; print(f["options"]["actions"][0]["stats"]["packets"])')
check "tc -s counts the IPv4 packets on ${pf}_0 (got $pkts, want >= 5)" [ "${pkts:-0}" -ge 5 ]
arp=$(cto "$d" tc -s -j filter show dev "${pf}_0" ingress prio 20 |
	python3 -c 'import json,sys; f=[x for x in json.load(sys.stdin) if "options" in x][0]; print(f["options"]["actions"][0]["stats"]["packets"])')
check "ARP went through its own filter (got $arp, want >= 1)" [ "${arp:-0}" -ge 1 ]

# TCP: 2 MB from h1's server to h0
head -c 2000000 /dev/urandom >"$CTOFFLOAD_RUNDIR/blob"
ip netns exec "$h1" timeout 20 nc -l -N 10.0.0.2 5001 <"$CTOFFLOAD_RUNDIR/blob" &
srv=$!
sleep 0.3
ip netns exec "$h0" timeout 20 nc 10.0.0.2 5001 </dev/null >"$CTOFFLOAD_RUNDIR/got"
wait $srv
check "TCP transfer of 2 MB h1 -> h0 arrives intact" \
	cmp -s "$CTOFFLOAD_RUNDIR/blob" "$CTOFFLOAD_RUNDIR/got"
ip netns exec "$h1" timeout 20 nc -l -N fd00::2 5002 <"$CTOFFLOAD_RUNDIR/blob" &
srv=$!
sleep 0.3
ip netns exec "$h0" timeout 20 nc fd00::2 5002 </dev/null >"$CTOFFLOAD_RUNDIR/got6"
wait $srv
check "TCP over IPv6, 2 MB h1 -> h0 arrives intact" \
	cmp -s "$CTOFFLOAD_RUNDIR/blob" "$CTOFFLOAD_RUNDIR/got6"

# VLAN 10: tagged frames (sent raw: the host kernel may lack 8021q) match
# a protocol 802.1Q rule on vlan_id and come out unchanged on the other VF
for r in 0 1; do
	cto "$d" tc filter add dev "${pf}_$r" ingress prio 40 proto 802.1q flower \
		vlan_id 10 action mirred egress redirect dev "${pf}_$((1 - r))"
done
# dst 02:00:00:00:00:02, src :01, 802.1Q tag vid 10 prio 3, IPv4 UDP 10.0.10.1 -> .2
frame=0200000000020200000000018100600a0800
frame+=4500001c000100004011000000000a000a010a000a02
frame+=1389138900080000
rawframes="$TOP/tools/testing/selftests/ctoffload/rawframes.py"
ip netns exec "$h1" python3 "$rawframes" recv "${pf}v1" "$frame" 2 >"$CTOFFLOAD_RUNDIR/vlan.got" &
rx=$!
sleep 0.3
ip netns exec "$h0" python3 "$rawframes" send "${pf}v0" "$frame" 3
wait $rx
check "3 VLAN 10 frames cross the switch byte for byte (got $(cat "$CTOFFLOAD_RUNDIR/vlan.got"))" \
	[ "$(cat "$CTOFFLOAD_RUNDIR/vlan.got")" = 3 ]
vl=$(cto "$d" tc -s -j filter show dev "${pf}_0" ingress prio 40 |
	python3 -c 'import json,sys; f=[x for x in json.load(sys.stdin) if "options" in x][0]; print(f["options"]["actions"][0]["stats"]["packets"])')
check "the vlan_id 10 filter counted them (got $vl, want 3)" [ "${vl:-0}" = 3 ]

# a drop rule in front of the forward rule
cto "$d" tc filter add dev "${pf}_0" ingress prio 1 proto ip flower ip_proto icmp action drop
check "a drop rule really drops the pings" \
	bash -c "! ip netns exec $h0 ping -c 3 -i 0.1 -W 1 -q 10.0.0.2"
drops=$(cto "$d" tc -s -j filter show dev "${pf}_0" ingress |
	python3 -c '
import json,sys
for f in json.load(sys.stdin):
    o = f.get("options", {})
    for a in o.get("actions", []):
        if a["kind"] == "gact": print(a["stats"]["drops"])')
check "the drop rule counts 3 drops (got $drops)" [ "${drops:-0}" = 3 ]
check "TCP still passes beside the drop rule" bash -c "
	ip netns exec $h1 timeout 10 nc -l -N 10.0.0.2 5003 </dev/null >/dev/null & sleep 0.3
	echo hello | ip netns exec $h0 timeout 10 nc -N 10.0.0.2 5003; r=\$?; wait; exit \$r"

cto "$d" tc filter del dev "${pf}_0" ingress
check "deleting the filters stops forwarding" \
	bash -c "! ip netns exec $h0 ping -c 2 -i 0.1 -W 1 -q 10.0.0.2"
check "tc filter show is empty after delete" \
	[ -z "$(cto "$d" tc filter show dev "${pf}_0" ingress)" ]
check "daemon exits cleanly (no crash, no sanitizer report)" daemon_stop "$d"
trap - EXIT
cleanup
ktap_finish
