#!/bin/bash
# make demo: the main job, the seed's scenario between two VFs (the VXLAN
# leg of the seed comes with the VXLAN work).  A daemon with an uplink and
# two VFs; namespaces vm0 and vm1 on the VFs; the seed's stateful firewall
# installed with the real tc on the representors, which offload it; a real
# TCP transfer that starts in software and, once established, runs in the
# eswitch model: what tc, conntrack and the model's tables say at each
# step, the share of packets software saw, and a picture of the pipeline.
# Cleans up after itself (the picture stays); exits non-zero if anything
# failed.
set -u
source "$(dirname "$0")/lib.sh"
pf=ens1f0
d=demo
fail=0
svg="${DEMO_SVG:-$TOP/build/demo-pipeline.svg}"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { echo "\$ $*"; "$@" || fail=1; }
tc_() { echo "\$ tc $*"; cto "$d" tc "$@" || fail=1; }
cleanup() {
	ip netns del vm0 2>/dev/null
	ip netns del vm1 2>/dev/null
	daemon_stop "$d" >/dev/null 2>&1
}
trap cleanup EXIT
[ "$(id -u)" = 0 ] || { echo "demo: run as root (namespaces, TAP devices)"; exit 1; }
if ip link show "${pf}v0" >/dev/null 2>&1; then
	echo "demo: ${pf}v0 exists already (another ctoffloadd running?)"
	exit 1
fi
# stats SIDE FIELD: a counter of the eswitch model
stats() { "$CTOFFLOAD" -n "$d" steering -j |
	python3 "$TOP/tools/testing/selftests/ctoffload/steering_query.py" --stats "$1"; }

step "start ctoffloadd: eswitch $pf with 2 VFs (switchdev mode, tc offload on)"
run daemon_start "$d" --pf "$pf" --vfs 2
echo "\$ ctoffload exec ip -br link show"
cto "$d" ip -br link show

step "VF 0 -> namespace vm0 (10.0.0.1), VF 1 -> namespace vm1 (10.0.0.2)"
for i in 0 1; do
	ip netns add vm$i
	ip link set "${pf}v$i" netns vm$i
	ip -n vm$i link set "${pf}v$i" up
	ip -n vm$i addr add 10.0.0.$((i + 1))/24 dev "${pf}v$i"
done

step "the seed's filters: vm0 may open connections to vm1, vm1 only answers"
for r in 0 1; do
	tc_ qdisc add dev "${pf}_$r" ingress
	tc_ filter add dev "${pf}_$r" ingress prio 10 proto arp flower \
		action mirred egress redirect dev "${pf}_$((1 - r))"
done
tc_ filter add dev ${pf}_0 ingress prio 1 chain 0 proto ip flower ct_state -trk \
	action ct pipe action goto chain 2
tc_ filter add dev ${pf}_0 ingress prio 1 chain 2 proto ip flower ct_state +trk+new \
	action ct commit pipe action mirred egress redirect dev ${pf}_1
tc_ filter add dev ${pf}_0 ingress prio 1 chain 2 proto ip flower ct_state +trk+est \
	action mirred egress redirect dev ${pf}_1
tc_ filter add dev ${pf}_1 ingress prio 1 chain 0 proto ip flower ct_state -trk \
	action ct pipe action goto chain 2
tc_ filter add dev ${pf}_1 ingress prio 1 chain 2 proto ip flower ct_state +trk+est \
	action mirred egress redirect dev ${pf}_0
echo
echo "Which of them the NIC took (in_hw) and which stay in software (not_in_hw):"
echo "\$ tc filter show dev ${pf}_0 ingress (chains 0 and 2)"
cto "$d" tc filter show dev ${pf}_0 ingress | grep -E 'chain|in_hw|ct_state'
echo "(+trk+new stays in software: a connection reaches the NIC only once established)"

step "ping: ICMP is tracked, but never offloaded (Linux does not either)"
run ip netns exec vm0 ping -c 3 -i 0.2 10.0.0.2

step "a TCP transfer vm0 -> vm1: 10 MB, a pause, 10 MB more"
rx0=$(stats miss_to_sw) all0=$(stats rx_packets)
head -c 10000000 /dev/urandom >"$CTOFFLOAD_RUNDIR/blob1"
head -c 10000000 /dev/urandom >"$CTOFFLOAD_RUNDIR/blob2"
cat "$CTOFFLOAD_RUNDIR/blob1" "$CTOFFLOAD_RUNDIR/blob2" >"$CTOFFLOAD_RUNDIR/blob"
rm -f "$CTOFFLOAD_RUNDIR/go"
ip netns exec vm1 timeout 60 socat -u TCP-LISTEN:5001,reuseaddr CREATE:"$CTOFFLOAD_RUNDIR/got" &
srv=$!
sleep 0.3
( cat "$CTOFFLOAD_RUNDIR/blob1"
  while [ ! -e "$CTOFFLOAD_RUNDIR/go" ]; do sleep 0.1; done
  cat "$CTOFFLOAD_RUNDIR/blob2" ) |
	ip netns exec vm0 timeout 60 socat -u - TCP:10.0.0.2:5001,sourceport=40000 &
cli=$!
for _ in $(seq 100); do
	[ "$(stat -c %s "$CTOFFLOAD_RUNDIR/got" 2>/dev/null || echo 0)" -ge 10000000 ] && break
	sleep 0.1
done
echo "First half through.  The connection is established: conntrack offloaded it."
echo "\$ ctoffload exec conntrack -L"
cto "$d" conntrack -L 2>&1
echo
echo "The eswitch model now holds it: pre_ct (chain 0) -> ct / ct_nat (the"
echo "connection, both directions) -> post_ct -> chain 2's +trk+est rule."
echo "\$ ctoffload steering show"
"$CTOFFLOAD" -n "$d" steering show
# the picture is taken now, while the connection is in the NIC
mkdir -p "$(dirname "$svg")"
"$CTOFFLOAD" -n "$d" steering dot >"$CTOFFLOAD_RUNDIR/pipeline.dot"
touch "$CTOFFLOAD_RUNDIR/go"
wait $cli; wait $srv
if cmp -s "$CTOFFLOAD_RUNDIR/blob" "$CTOFFLOAD_RUNDIR/got"; then
	echo "vm1 received 20000000 bytes, intact"
else
	echo "vm1 received $(stat -c %s "$CTOFFLOAD_RUNDIR/got") bytes, NOT what was sent"; fail=1
fi

step "who handled the packets"
rx1=$(stats miss_to_sw) all1=$(stats rx_packets)
total=$((all1 - all0)) sw=$((rx1 - rx0))
echo "packets entering the NIC during the transfer: $total"
echo "  handled in the eswitch model alone:      $((total - sw))"
echo "  sent up to software (handshake, FIN...): $sw"
[ "$total" -gt 0 ] && echo "  share in hardware: $(( (total - sw) * 1000 / total / 10 )).$(( (total - sw) * 1000 / total % 10 ))%"
[ "$sw" -lt $((total / 10)) ] || { echo "too much went to software"; fail=1; }
echo
echo "\$ tc -s filter show dev ${pf}_0 ingress chain 2   (the hardware counted for tc)"
cto "$d" tc -s filter show dev ${pf}_0 ingress chain 2 | grep -E 'ct_state|in_hw|Sent'
echo
sleep 1.5	# the flowtable's gc hands the torn-down connection back (once a second)
echo "\$ ctoffload exec conntrack -L   (FIN went to software: the connection left the NIC)"
cto "$d" conntrack -L 2>&1

step "the pipeline, with its counters (taken in the pause), as a picture"
if dot -Tsvg -o "$svg" "$CTOFFLOAD_RUNDIR/pipeline.dot"; then
	echo "written: $svg"
else
	echo "could not draw the pipeline"; fail=1
fi

daemon_stop "$d" || fail=1
trap - EXIT
cleanup
step "demo $([ $fail = 0 ] && echo succeeded || echo FAILED)"
exit $fail
