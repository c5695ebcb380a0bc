#!/bin/bash
# Many filters through the real tc: 10 000 flower filters in one priority
# installed with tc -batch, then listed back completely (filters, their
# actions, JSON); a big dump must reach the client whole.  Then every one
# is deleted.  No time is asserted; timeouts only catch hangs.
source "$(dirname "$0")/lib.sh"
n=${TC_SCALE_FILTERS:-10000}
d="scale$$"
trap 'daemon_stop "$d" >/dev/null 2>&1' EXIT

ktap_plan 6
daemon_start "$d" --pf sc0 --vfs 1 --uplink null --vf-port null --hw-tc-offload off || exit 1
cto "$d" tc qdisc add dev sc0 ingress
python3 -c "
for i in range($n):
    print('filter add dev sc0 ingress prio 1 proto ip flower dst_ip 10.%d.%d.%d action drop' % (100 + (i >> 16), (i >> 8) & 255, i & 255))
" >"$CTOFFLOAD_RUNDIR/scale.tc"
check "tc -batch installs $n filters" timeout 120 "$CTOFFLOAD" -n "$d" exec tc -batch "$CTOFFLOAD_RUNDIR/scale.tc"
got=$(timeout 60 "$CTOFFLOAD" -n "$d" exec tc filter show dev sc0 ingress | grep -c 'handle 0x')
check "tc filter show lists all $n filters (got $got)" [ "$got" = "$n" ]
got=$(timeout 60 "$CTOFFLOAD" -n "$d" exec tc -j filter show dev sc0 ingress |
	python3 -c 'import json,sys; print(sum("options" in f for f in json.load(sys.stdin)))')
check "tc -j filter show lists all $n filters (got $got)" [ "$got" = "$n" ]
got=$(timeout 60 "$CTOFFLOAD" -n "$d" exec tc actions list action gact | grep -c 'gact action drop')
check "tc actions list shows all $n actions (got $got)" [ "$got" = "$n" ]
cto "$d" tc filter del dev sc0 ingress
check "deleting the priority removes every filter" \
	[ -z "$(cto "$d" tc filter show dev sc0 ingress)" ]
check "daemon exits cleanly (no crash, no sanitizer report)" daemon_stop "$d"
trap - EXIT
ktap_finish
