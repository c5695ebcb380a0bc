#!/bin/bash
# VXLAN devices as links: `ip link add/show/del` of vxlan devices through
# the shim, diffed against Linux 6.1 (vxlan-links.expected, made by
# vxlan-links.oracle.sh); then a vxlan device carrying the seed's
# scenario (vxlan_scenario.sh) is deleted under its users: its qdisc and
# filters go with it, the mirred actions on VF 0 that send to it stay and
# drop, and the daemon stops cleanly.  The traffic itself, software and
# offloaded, is vxlan_offload.sh's.  Needs root (namespaces, TAP).
source "$(dirname "$0")/lib.sh"
source "$TOP/tools/testing/selftests/ctoffload/vxlan_scenario.sh"

here=$(cd "$(dirname "$0")" && pwd)
pf="vl$$"
pf=${pf:0:10}
d="vl$$"
VM="cto-vlvm-$$" REMOTE="cto-vlrm-$$"
N=7

cleanup() {
	vx_cleanup
	daemon_stop "$d" >/dev/null 2>&1
}
trap cleanup EXIT

ktap_plan_root $N

daemon_start "$d" --pf "$pf" --vfs 2 --hw-tc-offload off || exit 1

# ---- ip link with vxlan devices, as Linux 6.1 prints them ----
normalize() {
	sed -E 's/^[0-9]+: /N: /; s/link\/ether [0-9a-f:]+/link\/ether MAC/;
		s/"ifindex":[0-9]+/"ifindex":N/; s/"address":"[0-9a-f:]+"/"address":"MAC"/'
}
IP="$CTOFFLOAD -n $d exec ip" bash "$here/vxlan-links.oracle.sh" 2>&1 | normalize \
	>"$CTOFFLOAD_RUNDIR/links.out"
check "ip link add/show/del of vxlan devices prints what Linux 6.1 prints" \
	diff -u "$here/vxlan-links.expected" "$CTOFFLOAD_RUNDIR/links.out"

# ---- deleting a vxlan device under its users ----
vx_hosts 4 >>"$CTOFFLOAD_RUNDIR/check.log" 2>&1
check "the seed's filters on ${pf}_0 and vxlan0" vx_filters - ""
check "vm0 pings the remote through vxlan0" \
	ip netns exec "$VM" ping -c 3 -i 0.1 -W 2 -q 10.0.0.2
check "ip link del vxlan0" cto "$d" ip link del vxlan0
check "its ingress qdisc went with it" \
	bash -c "! $CTOFFLOAD -n $d exec tc qdisc show dev vxlan0 2>/dev/null | grep -q ingress"
check "ping fails once vxlan0 is gone (mirred to a gone device drops)" \
	bash -c "! ip netns exec $VM ping -c 2 -i 0.1 -W 1 -q 10.0.0.2"
check "the daemon stops cleanly" daemon_stop "$d"
ktap_finish
