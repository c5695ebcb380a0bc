#!/bin/bash
# tc monitor: the events the real tc prints for qdisc, filter and chain
# changes, including chains that appear and go implicitly, must be those
# Linux 6.1 prints (tc-monitor.expected, from tc-monitor.oracle.sh).
source "$(dirname "$0")/lib.sh"
d="mon$$"
mon=""
trap '[ -n "$mon" ] && kill $mon 2>/dev/null; daemon_stop "$d" >/dev/null 2>&1' EXIT

ktap_plan 2
daemon_start "$d" --pf ens1f0 --vfs 2 --uplink null --vf-port null --hw-tc-offload off || exit 1
"$CTOFFLOAD" -n "$d" exec tc monitor >"$CTOFFLOAD_RUNDIR/monitor.out" 2>&1 &
mon=$!
sleep 0.5
cto "$d" tc qdisc add dev ens1f0_0 ingress
cto "$d" tc filter add dev ens1f0_0 ingress prio 1 proto ip flower dst_ip 10.0.0.2 action drop
cto "$d" tc chain add dev ens1f0_0 ingress chain 3
cto "$d" tc filter del dev ens1f0_0 ingress prio 1
cto "$d" tc qdisc del dev ens1f0_0 ingress
sleep 0.5
kill $mon; wait $mon 2>/dev/null; mon=""
if diff -u "$(dirname "$0")/tc-monitor.expected" "$CTOFFLOAD_RUNDIR/monitor.out" >"$CTOFFLOAD_RUNDIR/monitor.diff"; then
	ktap_ok "tc monitor prints what Linux 6.1 prints"
else
	sed 's/^/# /' "$CTOFFLOAD_RUNDIR/monitor.diff"
	ktap_not_ok "tc monitor prints what Linux 6.1 prints"
fi
check "daemon exits cleanly (no crash, no sanitizer report)" daemon_stop "$d"
trap - EXIT
ktap_finish
