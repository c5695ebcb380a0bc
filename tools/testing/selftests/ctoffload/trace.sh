#!/bin/bash
# `ctoffload trace` on the seed's scenario (vxlan_scenario.sh, offloaded):
# the first SYN (the model misses after pre_ct, software continues at chain
# 0, ct new, commit, encap, out of the wire), a packet of an established
# offloaded connection (pre_ct -> ct hit -> post_ct -> chain 2 in the
# model, out of the wire, no software stage), its FIN (a miss, the
# flowtable tears it down) and the encapsulated reply arriving on the
# uplink (decap in the model, out to VF 0).  Each checks the stages in
# order and the frame sent.  A dry run changes nothing: conntrack -L, the
# model's counters, tc's counters and the wire are the same after it;
# --commit changes what a packet would; --live traces the next real
# packets.  Needs root.
source "$(dirname "$0")/lib.sh"
source "$TOP/tools/testing/selftests/ctoffload/vxlan_scenario.sh"

pf="tr$$"
pf=${pf:0:10}
d="tr$$"
VM="cto-trvm-$$" REMOTE="cto-trrm-$$"
N=15
Q="$TOP/tools/testing/selftests/ctoffload/trace_query.py"

cleanup() {
	[ -n "${cap:-}" ] && kill "$cap" 2>/dev/null
	vx_cleanup
	daemon_stop "$d" >/dev/null 2>&1
}
trap cleanup EXIT

ktap_plan_root $N

TRACE="$CTOFFLOAD -n $d trace -j"
trace() { $TRACE "$@"; }
# expect FILE RE...: the trace in FILE has stages matching the REs in order
expect() { local f=$1; shift; python3 "$Q" --expect "$@" <"$f"; }
absent() { python3 "$Q" --absent "$2" <"$1"; }
# what a user compares before and after a dry run
snapshot() {
	# (the seconds left of each entry move on by themselves)
	cto "$d" conntrack -L 2>/dev/null | sed -E "s/^([a-z0-9]+ +[0-9]+ +)[0-9]+ /\1/" | sort
	"$CTOFFLOAD" -n "$d" steering show | grep -E 'counter|^stats'
	cto "$d" tc -s filter show dev "${pf}_0" ingress | grep -E 'Sent'
	cto "$d" tc -s filter show dev vxlan0 ingress | grep -E 'Sent'
	for dev in "$pf" "${pf}_0" vxlan0; do cto "$d" ip -s -j link show dev "$dev"; done
}

daemon_start "$d" --pf "$pf" --vfs 1 || exit 1
vx_hosts 4 >>"$CTOFFLOAD_RUNDIR/check.log" 2>&1
vx_filters - "" >>"$CTOFFLOAD_RUNDIR/check.log" 2>&1
ip netns exec "$VM" ping -c 2 -i 0.2 -W 2 -q 10.0.0.2 >>"$CTOFFLOAD_RUNDIR/check.log" 2>&1
RMAC=$(ip -n "$REMOTE" -j link show vxlan0 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["address"])')
WMAC=$(ip -n "$REMOTE" -j link show "${pf}wire" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["address"])')
UMAC=$(cto "$d" ip -j link show "$pf" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["address"])')
# no background traffic between the snapshots: the hosts' neighbours do not expire
ip -n "$REMOTE" neigh replace 7.7.7.7 lladdr "$UMAC" dev "${pf}wire" nud permanent
ip -n "$VM" neigh replace 10.0.0.2 lladdr "$RMAC" dev "${pf}v0" nud permanent
SYN=(in_port "${pf}_0" src_mac $SEED_MAC dst_mac "$RMAC" src_ip 10.0.0.1 dst_ip 10.0.0.2
     ip_proto tcp src_port 40001 dst_port 5001 tcp_flags 0x2)

# ---- the first SYN, a dry run ----
ip netns exec "$REMOTE" tcpdump -i "${pf}wire" -nn -U --immediate-mode -B 8192 \
	-w "$CTOFFLOAD_RUNDIR/dry.pcap" udp port 4789 >/dev/null 2>&1 &
cap=$!
sleep 0.5
snapshot >"$CTOFFLOAD_RUNDIR/before"
check "trace of a SYN runs (dry run)" bash -c "$TRACE ${SYN[*]} >$CTOFFLOAD_RUNDIR/syn.json"
check "SYN: pre_ct in the model, a miss in ct, software from chain 0" \
	expect "$CTOFFLOAD_RUNDIR/syn.json" '^port_rx' '^hw_table .*chain 0 prio 1.*fte=' \
		'^hw_table .*table=ct .*miss' '^hw_miss .*chain=0' '^tc_chain .*chain=0'
check "SYN: ct new, goto chain 2, +trk+new: ct commit, tunnel_key, mirred to vxlan0" \
	expect "$CTOFFLOAD_RUNDIR/syn.json" '^tc_filter .*chain=0' '^ct .*after=' \
		'^tc_action .*goto chain 2' '^tc_chain .*chain=2' '^tc_filter .*chain=2' \
		'^ct .*commit=True' '^tc_action .*tunnel_key' '^tc_action .*mirred.*to=vxlan0'
# outer Ethernet (remote's wire MAC, our uplink's), IPv4, UDP to 4789, VXLAN VNI 98, the frame
outer="${WMAC//:/}${UMAC//:/}0800.{40}.{4}12b5.{8}0800000000006200${RMAC//:/}${SEED_MAC//:/}0800"
check "SYN: encapsulated (VNI 98) and sent out of the wire" \
	bash -c "python3 $Q --tx <$CTOFFLOAD_RUNDIR/syn.json | grep -qE '^${pf}wire [0-9]+ $outer'"
sleep 0.5
kill "$cap"; wait "$cap" 2>/dev/null; cap=
snapshot >"$CTOFFLOAD_RUNDIR/after"
check "after the dry run: conntrack, the model's, tc's and the links' counters are unchanged" \
	diff -u "$CTOFFLOAD_RUNDIR/before" "$CTOFFLOAD_RUNDIR/after"
check "after the dry run: nothing reached the wire" \
	test "$(tcpdump -r "$CTOFFLOAD_RUNDIR/dry.pcap" 2>/dev/null | wc -l)" = 0

# ---- --commit: what a real packet does (UDP: no RST answers it away) ----
UDP=(in_port "${pf}_0" src_mac $SEED_MAC dst_mac "$RMAC" src_ip 10.0.0.1 dst_ip 10.0.0.2
     ip_proto udp src_port 40002 dst_port 5002 len 20)
check "trace --commit of a UDP datagram" bash -c "$TRACE --commit ${UDP[*]} >$CTOFFLOAD_RUNDIR/commit.json"
check "--commit: conntrack now holds the connection" \
	bash -c "$CTOFFLOAD -n $d exec conntrack -L 2>/dev/null | grep -q 'sport=40002 dport=5002'"

# ---- an established, offloaded connection; its FIN; the reply from the wire ----
pause() {
	local sport=$port
	for _ in $(seq 50); do
		cto "$d" conntrack -L 2>/dev/null | grep "sport=$sport " | grep -q HW_OFFLOAD && break
		sleep 0.1
	done
	trace in_port "${pf}_0" src_mac $SEED_MAC dst_mac "$RMAC" src_ip 10.0.0.1 dst_ip 10.0.0.2 \
		ip_proto tcp src_port "$sport" dst_port "$sport" tcp_flags 0x10 len 100 \
		>"$CTOFFLOAD_RUNDIR/est.json"
	trace in_port "${pf}_0" src_mac $SEED_MAC dst_mac "$RMAC" src_ip 10.0.0.1 dst_ip 10.0.0.2 \
		ip_proto tcp src_port "$sport" dst_port "$sport" tcp_flags 0x11 \
		>"$CTOFFLOAD_RUNDIR/fin.json"
	trace in_port "$pf" dst_mac $SEED_MAC src_mac "$RMAC" src_ip 10.0.0.2 dst_ip 10.0.0.1 \
		ip_proto tcp src_port "$sport" dst_port "$sport" tcp_flags 0x10 \
		enc_src_ip 7.7.7.8 enc_dst_ip 7.7.7.7 enc_key_id 98 enc_dst_port 4789 \
		>"$CTOFFLOAD_RUNDIR/reply.json"
	cto "$d" conntrack -L 2>/dev/null | grep "sport=$sport " >"$CTOFFLOAD_RUNDIR/est.ct"
}
port=5077
VX_PAUSE_CMD=pause
vx_transfer 400000 $port >>"$CTOFFLOAD_RUNDIR/check.log" 2>&1
check "established: pre_ct -> ct hit -> post_ct -> chain 2 -> encap to the uplink, all in the model" \
	expect "$CTOFFLOAD_RUNDIR/est.json" '^hw_table .*chain 0 prio 1.*fte=' \
		'^hw_table .*table=ct .*fte=' '^hw_table .*table=post_ct .*fte=' \
		'^hw_table .*chain 2 prio 1.*fte=' '^hw_fwd .*encap' "^tx .*${pf}wire"
check "established: no software stage" absent "$CTOFFLOAD_RUNDIR/est.json" '^(hw_miss|tc_|ct )'
check "FIN: misses in ct, and software's flowtable tears the connection down" \
	expect "$CTOFFLOAD_RUNDIR/fin.json" '^hw_table .*table=ct .*miss' '^hw_miss' \
		'^flowtable .*teardown'
check "the FIN was a dry run: the connection stayed [HW_OFFLOAD]" \
	grep -q HW_OFFLOAD "$CTOFFLOAD_RUNDIR/est.ct"
check "reply from the wire: decap pre_ct -> ct hit -> post_ct -> chain 2 -> VF 0, in the model" \
	expect "$CTOFFLOAD_RUNDIR/reply.json" '^port_rx' '^hw_table .*chain 0 prio 1.*fte=' \
		'^hw_table .*table=ct .*fte=' '^hw_table .*chain 2 prio 1.*fte=' '^hw_fwd' \
		"^tx .*${pf}v0"

# ---- --live: the next real ICMP packet from vm0 ----
"$CTOFFLOAD" -n "$d" trace -j --live "${pf}_0" --count 1 --timeout 10 ip_proto icmp \
	>"$CTOFFLOAD_RUNDIR/live.json" 2>>"$CTOFFLOAD_RUNDIR/check.log" &
live=$!
sleep 0.5
ip netns exec "$VM" ping -c 1 -W 2 -q 10.0.0.2 >>"$CTOFFLOAD_RUNDIR/check.log" 2>&1
wait $live
check "--live traces the next real ICMP packet from vm0, out to the wire" \
	bash -c "python3 $Q --live-first <$CTOFFLOAD_RUNDIR/live.json |
		 python3 $Q --expect '^port_rx' '^tc_action .*mirred' '^tx .*${pf}wire'"
check "the daemon stops cleanly" daemon_stop "$d"
ktap_finish
