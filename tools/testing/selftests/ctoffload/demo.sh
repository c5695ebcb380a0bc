#!/bin/bash
# make demo: the main job, the seed's scenario as a person would run it.
# A daemon with an uplink (ens1f0) and two VFs; namespace vm0 on VF 0;
# namespace "remote" on the uplink's wire side with a real Linux vxlan
# device (VNI 98, 7.7.7.8) and a service; the seed's three filters,
# verbatim but for device names, plus the return filters on our vxlan0;
# then ping, a 20 MB TCP transfer and parallel connections from vm0 to
# the remote.  It shows, step by step, what tc, conntrack and the
# eswitch model's tables say, the share of packets handled in hardware,
# and draws the pipeline with its counters.  Cleans up after itself (the
# picture stays); exits non-zero if anything failed.
set -u
source "$(dirname "$0")/lib.sh"
source "$TOP/tools/testing/selftests/ctoffload/vxlan_scenario.sh"
pf=ens1f0
d=demo
VM=vm0 REMOTE=remote
fail=0
svg="${DEMO_SVG:-$TOP/build/demo-pipeline.svg}"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
# show each command as it would be typed: ours through the client, the hosts' with ip -n
vx_do() {
	if [ "$1" = cto ]; then
		echo "\$ ctoffload exec ${*:3}"
	else
		echo "\$ $*"
	fi
	"$@" || fail=1
}
cleanup() {
	vx_cleanup
	daemon_stop "$d" >/dev/null 2>&1
}
trap cleanup EXIT
[ "$(id -u)" = 0 ] || { echo "demo: run as root (namespaces, TAP devices)"; exit 1; }
if ip link show "${pf}v0" >/dev/null 2>&1 || ip netns list | grep -qw remote; then
	echo "demo: ${pf}v0 or namespace remote exists already (another demo running?)"
	exit 1
fi

step "start ctoffloadd: eswitch $pf with 2 VFs (switchdev mode, tc offload on)"
echo "\$ ctoffloadd -n $d --pf $pf --vfs 2 &"
daemon_start "$d" --pf "$pf" --vfs 2 || exit 1
echo "\$ ctoffload exec ip -br link show"
cto "$d" ip -br link show

step "hosts: vm0 on VF 0 (the seed's MAC, 10.0.0.1); remote behind the wire, a Linux VXLAN endpoint"
vx_hosts 4
echo
echo "\$ ctoffload exec ip addr show dev $pf     (our end of the underlay)"
cto "$d" ip addr show dev "$pf"

step "the seed's filters on VF 0's representor, the return path on vxlan0"
vx_filters - ""
echo
echo "Which filters the NIC took (in_hw) and which stay in software (not_in_hw):"
for dev in "${pf}_0" vxlan0; do
	echo "\$ ctoffload exec tc filter show dev $dev ingress"
	cto "$d" tc filter show dev "$dev" ingress |
		grep -E '^filter|in_hw|ct_state|enc_key_id|tunnel_key|mirred' | sed 's/^/  /'
done
echo "(+trk+new stays in software: a connection reaches the NIC only once established;"
echo " vxlan0's filters reach the driver through the uplink's indirect block: decap rules)"

step "ping: ARP and ICMP cross the tunnel; ICMP is tracked, never offloaded"
vx_do ip netns exec vm0 ping -c 3 -i 0.2 -W 2 10.0.0.2
echo
echo "\$ ctoffload exec ip neigh show     (the remote's underlay MAC, resolved by ARP)"
cto "$d" ip neigh show

step "TCP vm0 -> remote: 10 MB, a pause, 10 MB more"
sw0=$(vx_stats miss_to_sw) all0=$(vx_stats rx_packets)
# conntrack's events while the connection starts (software sees the handshake)
cto "$d" conntrack -E -p tcp >"$CTOFFLOAD_RUNDIR/events" 2>&1 &
events=$!
sleep 0.3
demo_pause() {
	for _ in $(seq 50); do
		cto "$d" conntrack -L 2>/dev/null | grep -q HW_OFFLOAD && break
		sleep 0.1
	done
	kill $events 2>/dev/null; wait $events 2>/dev/null
	echo "The handshake went through software: conntrack saw the connection start."
	echo "\$ ctoffload exec conntrack -E -p tcp"
	grep -v "^conntrack v" "$CTOFFLOAD_RUNDIR/events" | head -4
	echo
	echo "First half through; the connection is established and conntrack offloaded it:"
	echo "\$ ctoffload exec conntrack -L"
	cto "$d" conntrack -L 2>&1
	echo
	echo "The eswitch model holds it now.  Forward: chain 0's pre_ct rule (seed filter 1)"
	echo "-> ct (the connection) -> post_ct -> chain 2's +trk+est rule: encap, to the wire."
	echo "Return: vxlan0's pre_ct rule (decap) -> ct -> post_ct -> chain 2: to VF 0."
	echo "\$ ctoffload steering show"
	"$CTOFFLOAD" -n "$d" steering show
	mkdir -p "$(dirname "$svg")"
	"$CTOFFLOAD" -n "$d" steering dot >"$CTOFFLOAD_RUNDIR/pipeline.dot"
}
VX_PAUSE_CMD=demo_pause
if vx_transfer 20000000 5001; then
	echo "remote received 20000000 bytes, intact"
else
	echo "remote did NOT receive what vm0 sent"; fail=1
fi

step "four parallel connections, 2 MB each"
VX_PAUSE_CMD=
pids=()
for p in 5002 5003 5004 5005; do
	vx_transfer 2000000 $p & pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || fail=1; done
echo "all four arrived intact: $([ $fail = 0 ] && echo yes || echo NO)"

step "who handled the packets"
sw1=$(vx_stats miss_to_sw) all1=$(vx_stats rx_packets)
total=$((all1 - all0)) sw=$((sw1 - sw0))
echo "packets entering the NIC (both directions, from vm0 and from the wire): $total"
echo "  handled in the eswitch model alone (encap, decap, ct, forward): $((total - sw))"
echo "  sent up to software (handshakes, FINs, ARP):                     $sw"
[ "$total" -gt 0 ] && echo "  share in hardware: $(( (total - sw) * 1000 / total / 10 )).$(( (total - sw) * 1000 / total % 10 ))%"
[ "$sw" -lt $((total / 10)) ] || { echo "too much went to software"; fail=1; }
echo
echo "\$ ctoffload exec tc -s filter show dev ${pf}_0 ingress chain 2   (hardware counts for tc)"
# each filter's counters once (tc prints them again under every action)
cto "$d" tc -s filter show dev "${pf}_0" ingress chain 2 |
	awk '/^filter/ { s = 0 } /ct_state|in_hw/ { print }
	     /^[ \t]*Sent [0-9]/ { if (!s) { print; s = 1; p = 2 }; next }
	     p > 0 && /Sent (software|hardware)/ { print; p-- }'
sleep 1.5	# the flowtable's gc hands the closed connections back (once a second)
echo
echo "\$ ctoffload exec conntrack -L   (FIN went to software: the connections left the NIC)"
cto "$d" conntrack -L 2>&1

step "the pipeline with its counters (taken in the pause), as a picture"
if [ -s "$CTOFFLOAD_RUNDIR/pipeline.dot" ] &&
   dot -Tsvg -o "$svg" "$CTOFFLOAD_RUNDIR/pipeline.dot"; then
	echo "written: $svg"
else
	echo "could not draw the pipeline"; fail=1
fi

daemon_stop "$d" || fail=1
trap - EXIT
cleanup
step "demo $([ $fail = 0 ] && echo succeeded || echo FAILED)"
exit $fail
