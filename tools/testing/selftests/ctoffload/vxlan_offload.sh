#!/bin/bash
# The seed's scenario end to end, VXLAN leg included: vm0 on VF 0, a real
# Linux vxlan device (VNI 98) in namespace "remote" on the uplink's wire,
# the seed's three filters on VF 0's representor and the return filters
# on our vxlan0.  Each run: IPv4 or IPv6 underlay, with or without SNAT
# in the ct action, software only (skip_hw) or offloaded.  What a user
# checks: which filters are in_hw, that ping and a TCP transfer work, what
# `conntrack -L` says, that the remote kernel accepted our VXLAN (the data
# arrived; tcpdump finds no bad checksum; the inner source is vm0's or the
# SNAT address), and, offloaded, that after the handshake neither
# representor sees the connection's packets in software in either
# direction (but for the close) while the remote moves hundreds of them.  Needs root.
source "$(dirname "$0")/lib.sh"
source "$TOP/tools/testing/selftests/ctoffload/vxlan_scenario.sh"

pf="vx$$"
pf=${pf:0:10}
d="vx$$"
VM="cto-vm-$$" REMOTE="cto-rm-$$"
PER_RUN=11
RUNS=("4 - hw" "4 nat hw" "6 - hw" "6 nat hw" "4 - sw" "4 nat sw" "6 - sw" "6 nat sw")
# VX_RUNS="6 nat hw": one run only (debugging)
[ -n "${VX_RUNS:-}" ] && RUNS=("$VX_RUNS")

cleanup() {
	[ -n "${cap:-}" ] && kill "$cap" 2>/dev/null
	vx_cleanup
	daemon_stop "$d" >/dev/null 2>&1
}
trap cleanup EXIT

ktap_plan_root $((PER_RUN * ${#RUNS[@]}))

# rx_sw DEV: packets the representor (or our vxlan0) received in software
rx_sw() { cto "$d" ip -s -j link show dev "$1" |
	python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["stats64"]["rx"]["packets"])'; }
# remote_pkts DIR: packets the remote's vxlan0 received (rx) or sent (tx)
remote_pkts() { ip -n "$REMOTE" -s -j link show dev vxlan0 |
	python3 -c "import json,sys; print(json.load(sys.stdin)[0]['stats64']['$1']['packets'])"; }
ct_line() { cto "$d" conntrack -L 2>/dev/null | grep "dport=$1 " | head -1; }

# in_hw_states: "in_hw"/"not_in_hw" of every filter, in show order
in_hw_states() {
	{ cto "$d" tc filter show dev "${pf}_0" ingress
	  cto "$d" tc filter show dev vxlan0 ingress; } | grep -oE '\b(not_)?in_hw\b' | tr '\n' ' '
}

# the pause in the middle of a transfer: wait for the offload, then count
pause_hw() {
	for _ in $(seq 50); do
		ct_line "$port" | grep -q HW_OFFLOAD && break
		sleep 0.1
	done
	ct_line "$port" >"$CTOFFLOAD_RUNDIR/ct.mid"
	fwd0=$(rx_sw "${pf}_0") ret0=$(rx_sw "$pf") rrx0=$(remote_pkts rx) rtx0=$(remote_pkts tx)
}
pause_sw() {
	ct_line "$port" >"$CTOFFLOAD_RUNDIR/ct.mid"
	fwd0=$(rx_sw "${pf}_0") ret0=$(rx_sw "$pf") rrx0=$(remote_pkts rx) rtx0=$(remote_pkts tx)
}

vx_run() {
	local fam=$1 nat=$2 mode=$3 flags= name expect src
	name="ipv$fam underlay, $([ "$nat" = nat ] && echo "SNAT, ")$mode:"
	[ "$mode" = sw ] && flags=skip_hw
	port=$((5000 + RANDOM % 1000))
	daemon_start "$d" --pf "$pf" --vfs 2 || return 1
	vx_hosts "$fam" >>"$CTOFFLOAD_RUNDIR/check.log" 2>&1
	check "$name the seed's filters and the return filters are accepted" \
		vx_filters "$nat" "$flags"

	if [ "$mode" = hw ]; then
		# VF 0: chain 0 (ct, ARP), chain 2 (+trk+new stays in software, +trk+est);
		# vxlan0: chain 0 (decap + ct, ARP), chain 2 (+trk+est)
		expect="in_hw in_hw not_in_hw in_hw in_hw in_hw in_hw "
	else
		expect="not_in_hw not_in_hw not_in_hw not_in_hw not_in_hw not_in_hw not_in_hw "
	fi
	check "$name in_hw as expected ($(in_hw_states))" \
		test "$(in_hw_states)" = "$expect"
	# encap rules wait in the slow path (to software) until ARP/ND resolves the next hop
	local before after
	before=$("$CTOFFLOAD" -n "$d" steering show | grep -c "encap vxlan vni 98")
	check "$name vm0 pings the remote through the tunnel" \
		ip netns exec "$VM" ping -c 3 -i 0.2 -W 2 -q 10.0.0.2
	after=$("$CTOFFLOAD" -n "$d" steering show | grep -c "encap vxlan vni 98")
	if [ "$mode" = hw ]; then
		check "$name encap rules: $before before the neighbour is resolved, $after after" \
			test "$before" = 0 -a "$after" = 2
	else
		check "$name no rule in the model ($before, $after)" test "$before$after" = 00
	fi

	ip netns exec "$REMOTE" tcpdump -i "${pf}wire" -nn -U --immediate-mode -B 8192 \
		-w "$CTOFFLOAD_RUNDIR/wire.pcap" udp port 4789 >/dev/null 2>&1 &
	cap=$!
	sleep 0.5
	VX_PAUSE_CMD="pause_$mode"
	check "$name 600 KB of TCP arrive intact" vx_transfer 600000 "$port"
	sleep 0.3
	kill "$cap"; wait "$cap" 2>/dev/null; cap=
	local fwd=$(($(rx_sw "${pf}_0") - fwd0)) ret=$(($(rx_sw "$pf") - ret0))
	local rrx=$(($(remote_pkts rx) - rrx0)) rtx=$(($(remote_pkts tx) - rtx0))
	echo "# $name second half: remote rx $rrx tx $rtx; software rx: ${pf}_0 $fwd, $pf $ret"

	if [ "$mode" = hw ]; then
		check "$name conntrack -L: [HW_OFFLOAD] once established" \
			grep -q 'HW_OFFLOAD' "$CTOFFLOAD_RUNDIR/ct.mid"
		# software sees only the close (FINs and their ACKs, a neighbour probe)
		check "$name vm0 -> remote: only the model handled the second half" \
			test "$rrx" -ge 100 -a "$fwd" -le 6
		check "$name remote -> vm0: decap in the model, software saw only the close" \
			test "$rtx" -ge 20 -a "$ret" -le 6
	else
		check "$name conntrack -L: [OFFLOAD] (the software flowtable)" \
			grep -q '\[OFFLOAD\]' "$CTOFFLOAD_RUNDIR/ct.mid"
		check "$name vm0 -> remote: software encapsulated it" \
			test "$rrx" -ge 100 -a "$fwd" -ge 100
		check "$name remote -> vm0: software decapsulated it" \
			test "$rtx" -ge 20 -a "$ret" -ge 20
	fi
	# what we sent: the remote's own frames leave their checksums to our
	# TAP (checksum offload), so its capture shows them unfinished
	tcpdump -nn -vv -r "$CTOFFLOAD_RUNDIR/wire.pcap" "src host $LOCAL" \
		>"$CTOFFLOAD_RUNDIR/wire.txt" 2>/dev/null
	check "$name the wire carries valid VXLAN (VNI 98, no bad checksum)" \
		bash -c "grep -c 'vni 98' '$CTOFFLOAD_RUNDIR/wire.txt' | awk '{exit !(\$1 >= 200)}' &&
			 ! grep -qi 'bad .*cksum' '$CTOFFLOAD_RUNDIR/wire.txt'"
	src=10.0.0.1
	[ "$nat" = nat ] && src=$SNAT_IP
	check "$name the remote sees the connection from $src" \
		grep -q "$src.$port > 10.0.0.2.$port" "$CTOFFLOAD_RUNDIR/wire.txt"
	check "$name the daemon stops cleanly" daemon_stop "$d"
	vx_cleanup
}

for r in "${RUNS[@]}"; do
	# shellcheck disable=SC2086
	vx_run $r
done
ktap_finish
