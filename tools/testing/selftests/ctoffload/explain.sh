#!/bin/bash
# `ctoffload explain` on the seed's scenario (vxlan_scenario.sh, offloaded):
# why each filter is or is not in hardware (the seed's ct filter: its
# pre_ct and post_ct rules; +trk+new: the driver's reason; four filters
# refused for four different reasons, each with its own sentence, the one
# tc prints for skip_sw), and why each connection is or is not (ICMP, a
# TCP connection that is not established, one in hardware, one after its
# FIN, one that met a full hardware table).  Needs root.
source "$(dirname "$0")/lib.sh"
source "$TOP/tools/testing/selftests/ctoffload/vxlan_scenario.sh"

pf="ex$$"
pf=${pf:0:10}
d="ex$$"
VM="cto-exvm-$$" REMOTE="cto-exrm-$$"
N=13

cleanup() {
	vx_cleanup
	daemon_stop "$d" >/dev/null 2>&1
}
trap cleanup EXIT

ktap_plan_root $N

explain() { "$CTOFFLOAD" -n "$d" explain "$@"; }
# has FILE RE: a line of FILE matches RE (shown in the log when not)
has() { grep -E "$2" "$1" || { cat "$1"; return 1; }; }

daemon_start "$d" --pf "$pf" --vfs 2 || exit 1
vx_hosts 4 >>"$CTOFFLOAD_RUNDIR/check.log" 2>&1
vx_filters - "" >>"$CTOFFLOAD_RUNDIR/check.log" 2>&1

# ---- filters ----
explain filter dev "${pf}_0" >"$CTOFFLOAD_RUNDIR/seed.txt"
check "seed filter 1 (chain 0, ct): in hardware as pre_ct in chain 0 and post_ct" \
	has "$CTOFFLOAD_RUNDIR/seed.txt" \
	"^${pf}_0 chain 0 prio 1 .*in hardware.*pre_ct fte [0-9]+ in \"chain 0 prio 1\".*post_ct fte [0-9]+ in \"post_ct\""
check "seed filter 2 (+trk+new): not in hardware, with the driver's reason" \
	has "$CTOFFLOAD_RUNDIR/seed.txt" "^${pf}_0 chain 2 prio 1 handle 0x1 .*not in hardware: .*new"
check "vxlan0's decap filter: in hardware through the uplink" \
	bash -c "$CTOFFLOAD -n $d explain filter dev vxlan0 chain 0 prio 1 | grep -E 'in hardware.*pre_ct.*\"chain 0 prio 1\"'"

# four refusals on VF 1's representor, four reasons
R1="${pf}_1"
cto "$d" tc qdisc add dev "$R1" ingress
cto "$d" tc filter add dev "$R1" ingress prio 1 proto ip flower ip_proto tcp dst_port 100-200 \
	action drop
cto "$d" tc filter add dev "$R1" ingress prio 2 proto ip flower skip_hw dst_ip 10.9.0.2 action drop
cto "$d" tc filter add dev "$R1" ingress prio 3 proto ip flower ct_state -trk \
	action ct pipe action ct pipe action goto chain 1
cto "$d" tc filter add dev "$R1" ingress prio 4 proto ip flower dst_ip 10.9.0.4 \
	action mirred ingress redirect dev "${pf}_0"
explain filter dev "$R1" >"$CTOFFLOAD_RUNDIR/refused.txt"
check "a match the model cannot do: port ranges" \
	has "$CTOFFLOAD_RUNDIR/refused.txt" "prio 1 .*not in hardware: Match on port ranges is not supported"
check "skip_hw" has "$CTOFFLOAD_RUNDIR/refused.txt" "prio 2 .*not in hardware: skip_hw was set"
check "two ct actions in one filter" \
	has "$CTOFFLOAD_RUNDIR/refused.txt" "prio 3 .*not in hardware: Only one ct action is supported"
check "an action the model cannot do" \
	has "$CTOFFLOAD_RUNDIR/refused.txt" "prio 4 .*not in hardware: Offload of mirred ingress redirect action is not supported"
# the same sentence is what tc prints for skip_sw
cto "$d" tc filter add dev "$R1" ingress prio 5 proto ip flower skip_sw ip_proto tcp dst_port 1-2 \
	action drop 2>"$CTOFFLOAD_RUNDIR/skip_sw.err"
check "tc prints the same sentence for a skip_sw filter" \
	grep -q "Error: .*Match on port ranges is not supported" "$CTOFFLOAD_RUNDIR/skip_sw.err"

# ---- connections ----
ip netns exec "$VM" ping -c 2 -i 0.2 -W 2 -q 10.0.0.2 >>"$CTOFFLOAD_RUNDIR/check.log" 2>&1
check "ICMP: protocol not offloadable" \
	bash -c "$CTOFFLOAD -n $d explain conn proto icmp | grep -E 'not in hardware: protocol not offloadable \(icmp\)'"
# a SYN nothing answers (10.0.0.3 does not exist behind the tunnel)
"$CTOFFLOAD" -n "$d" trace --commit in_port "${pf}_0" src_mac $SEED_MAC src_ip 10.0.0.1 \
	dst_ip 10.0.0.3 ip_proto tcp src_port 40010 dst_port 5010 tcp_flags 0x2 >/dev/null
check "a SYN alone: TCP not yet established" \
	bash -c "$CTOFFLOAD -n $d explain conn proto tcp dport 5010 | grep -E 'not in hardware: TCP not yet established'"

pause() {
	for _ in $(seq 50); do
		cto "$d" conntrack -L 2>/dev/null | grep "sport=$port " | grep -q OFFLOAD && break
		sleep 0.1
	done
	sleep 0.3
	explain conn proto tcp dport $port >"$CTOFFLOAD_RUNDIR/conn.$port"
}
VX_PAUSE_CMD=pause
port=5020
vx_transfer 200000 $port >>"$CTOFFLOAD_RUNDIR/check.log" 2>&1
check "an established connection: in hardware" \
	has "$CTOFFLOAD_RUNDIR/conn.5020" "ESTABLISHED: in hardware"
sleep 1.5	# the flowtable's gc
check "after its FIN: torn down by FIN/RST" \
	bash -c "$CTOFFLOAD -n $d explain conn proto tcp dport 5020 | grep -E 'not in hardware: torn down by FIN/RST'"
# the device's FTEs run out: the next connection stays in software
ftes=$("$CTOFFLOAD" -n "$d" steering -j |
	python3 "$TOP/tools/testing/selftests/ctoffload/steering_query.py" --total-ftes)
"$CTOFFLOAD" -n "$d" sysctl -w "mlx5.$pf.max_fte=$ftes" >/dev/null
port=5030
vx_transfer 200000 $port >>"$CTOFFLOAD_RUNDIR/check.log" 2>&1
check "a connection that met a full device: hardware table full" \
	has "$CTOFFLOAD_RUNDIR/conn.5030" "not in hardware: hardware table full"
ktap_finish
