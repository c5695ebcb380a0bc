#!/bin/bash
# Regenerate the seed corpus of fuzz_netlink: the records that the real tc
# and ip send for a set of typical commands, captured with strace while
# they run against a daemon.  Usage: capture_netlink_seeds.sh [OUTDIR]
source "$(dirname "$0")/../selftests/ctoffload/lib.sh"
out=${1:-$TOP/tools/testing/fuzz/corpus/netlink}
mkdir -p "$out"
d="seed$$"
daemon_start "$d" --pf fz --vfs 2 --uplink null --vf-port null || exit 1
cmds=(
	"ip link show" "ip -s link show fz_0" "ip link set fz_1 down" "ip link set fz_1 up mtu 1400"
	"tc qdisc add dev fz_0 ingress" "tc qdisc add dev fz_1 clsact"
	"tc qdisc add dev fz ingress_block 7 ingress" "tc qdisc show"
	"tc filter add dev fz_0 ingress prio 1 proto ip flower dst_ip 10.0.0.2/24 ip_proto tcp dst_port 80 tcp_flags 0x2/0x12 action mirred egress redirect dev fz_1"
	"tc filter add dev fz_0 ingress prio 2 proto 802.1q flower vlan_id 10 vlan_ethtype ipv6 dst_ip fd00::1 action pipe action drop"
	"tc filter add dev fz_0 ingress prio 3 proto ip flower ct_state -trk action goto chain 2"
	"tc filter add dev fz_0 ingress chain 2 prio 1 proto ip flower ct_state +trk+est ct_zone 3 ct_mark 1/0xff action mirred ingress mirror dev fz_1"
	"tc filter add dev fz_0 ingress prio 4 proto ip flower enc_key_id 98 enc_dst_ip 7.7.7.7 enc_dst_port 4789 skip_hw action drop"
	"tc filter add dev fz_0 ingress prio 5 proto ip flower src_port 1000-2000 ip_proto udp action ok"
	"tc filter add dev fz_0 ingress prio 6 proto arp flower arp_tip 10.0.0.1 arp_op request action trap"
	"tc filter add block 7 prio 1 proto ip flower ip_flags frag/nofirstfrag ip_tos 0x10/0xf0 action drop"
	"tc filter replace dev fz_0 ingress prio 1 handle 1 proto ip flower dst_ip 10.0.0.3 action drop"
	"tc -s filter show dev fz_0 ingress" "tc filter get dev fz_0 ingress prio 1 handle 1 proto ip flower"
	"tc chain add dev fz_1 ingress chain 5 proto ip flower dst_ip 0.0.0.0/16" "tc chain show dev fz_1 ingress"
	"tc actions add action gact drop index 5" "tc actions add action mirred egress redirect dev fz_1 index 9"
	"tc -s actions list action gact" "tc actions get action gact index 5" "tc actions del action gact index 5"
	"tc filter del dev fz_0 ingress prio 2" "tc chain del dev fz_0 ingress chain 2" "tc qdisc del dev fz_1 clsact"
)
n=0
for c in "${cmds[@]}"; do
	strace -f -qq -e trace=sendmsg,sendto -e write=all -o "$CTOFFLOAD_RUNDIR/st.log" \
		"$CTOFFLOAD" -n "$d" exec $c >/dev/null 2>&1
	# each syscall's hex dump becomes one seed file (one record)
	python3 "$(dirname "$0")/strace_seeds.py" "$CTOFFLOAD_RUNDIR/st.log" "$out" "$n"
	n=$((n + 1))
done
daemon_stop "$d"
echo "$(ls "$out" | wc -l) seeds in $out"
