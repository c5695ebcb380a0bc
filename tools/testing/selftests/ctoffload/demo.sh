#!/bin/bash
# make demo: the main job, for now the switch part of the seed's scenario.
# A daemon with an uplink and two VFs; namespaces vm0 and vm1 on the VFs;
# flower + mirred rules installed with the real tc; real ping and TCP
# traffic; the counters tc reports.  Cleans up after itself; exits non-zero
# if anything failed.  (Later issues grow this into the seed's CT + VXLAN
# scenario.)
set -u
source "$(dirname "$0")/lib.sh"
pf=ens1f0
d=demo
fail=0
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { echo "\$ $*"; "$@" || fail=1; }
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

step "start ctoffloadd: eswitch $pf with 2 VFs (switchdev mode)"
run daemon_start "$d" --pf "$pf" --vfs 2
echo "\$ ctoffload exec ip link show"
cto "$d" ip -br link show
echo "host side TAPs:"
ip -br link show | grep "^$pf"

step "VF 0 -> namespace vm0 (10.0.0.1), VF 1 -> namespace vm1 (10.0.0.2)"
for i in 0 1; do
	ip netns add vm$i
	ip link set "${pf}v$i" netns vm$i
	ip -n vm$i link set "${pf}v$i" up
	ip -n vm$i addr add 10.0.0.$((i + 1))/24 dev "${pf}v$i"
done

step "flower + mirred rules on the representors"
for r in 0 1; do
	o=$((1 - r))
	run cto "$d" tc qdisc add dev "${pf}_$r" ingress
	run cto "$d" tc filter add dev "${pf}_$r" ingress prio 10 proto ip flower dst_ip 10.0.0.$((o + 1)) \
		action mirred egress redirect dev "${pf}_$o"
	run cto "$d" tc filter add dev "${pf}_$r" ingress prio 20 proto arp flower \
		action mirred egress redirect dev "${pf}_$o"
done

step "traffic: ping and a 10 MB TCP transfer vm1 -> vm0"
run ip netns exec vm0 ping -c 3 -i 0.2 10.0.0.2
head -c 10000000 /dev/zero >"$CTOFFLOAD_RUNDIR/blob"
ip netns exec vm1 timeout 20 nc -l -N 10.0.0.2 5001 <"$CTOFFLOAD_RUNDIR/blob" &
srv=$!
sleep 0.3
got=$(ip netns exec vm0 timeout 20 nc 10.0.0.2 5001 </dev/null | wc -c)
wait $srv
echo "received $got bytes"
[ "$got" = 10000000 ] || fail=1

step "what tc counted"
run cto "$d" tc -s filter show dev "${pf}_0" ingress
run cto "$d" tc -s qdisc show dev "${pf}_0"
echo "\$ ctoffload exec ip -s link show ${pf}_1"
cto "$d" ip -s link show "${pf}_1"

step "a drop rule in front"
run cto "$d" tc filter add dev "${pf}_0" ingress prio 1 proto ip flower ip_proto icmp action drop
if ip netns exec vm0 ping -c 2 -i 0.2 -W 1 -q 10.0.0.2 >/dev/null; then
	echo "pings passed the drop rule!"; fail=1
else
	echo "pings dropped, as asked"
fi
cto "$d" tc -s filter show dev "${pf}_0" ingress | grep -B1 -A8 'gact action drop' | head -12

daemon_stop "$d" || fail=1
trap - EXIT
cleanup
step "demo $([ $fail = 0 ] && echo succeeded || echo FAILED)"
exit $fail
