#!/bin/bash
# Regenerate the seed corpus of fuzz_ctnetlink: the records that the real
# conntrack sends for a set of typical commands, captured with strace while
# they run against a daemon.  Usage: capture_ctnetlink_seeds.sh [OUTDIR]
source "$(dirname "$0")/../selftests/ctoffload/lib.sh"
out=${1:-$TOP/tools/testing/fuzz/corpus/ctnetlink}
mkdir -p "$out"
d="ctseed$$"
daemon_start "$d" --pf fz --vfs 2 --uplink null --vf-port null || exit 1
cmds=(
	"conntrack -I -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 10 --dport 20 --state ESTABLISHED -t 100 -u SEEN_REPLY,ASSURED --zone 5 --mark 7"
	"conntrack -I -p icmp -s 1.1.1.1 -d 2.2.2.2 --icmp-type 8 --icmp-code 0 --icmp-id 5 -t 30"
	"conntrack -I -p icmpv6 -s 2001:db8::1 -d 2001:db8::2 --icmpv6-type 128 --icmpv6-code 0 --icmpv6-id 9 -t 30"
	"conntrack -I -p udp -s 2001:db8::1 -d 2001:db8::2 --sport 10 --dport 20 -t 30 --reply-src 2001:db8::3 --reply-dst 2001:db8::1 --reply-port-src 20 --reply-port-dst 10"
	"conntrack -I -p tcp -s 10.0.0.1 -d 10.0.0.2 --sport 1000 --dport 80 --state SYN_SENT -t 100 --src-nat 5.5.5.5:2000"
	"conntrack -I -p udp -s 10.0.0.1 -d 10.0.0.3 --sport 1000 --dport 80 -t 100 --dst-nat 6.6.6.6"
	"conntrack -I -p 47 -s 1.1.1.1 -d 2.2.2.2 -t 30 -u FIXED_TIMEOUT"
	"conntrack -L" "conntrack -L -f ipv6" "conntrack -L --mark 7/0xff" "conntrack -L -z"
	"conntrack -L dying" "conntrack -L unconfirmed" "conntrack -S" "conntrack -C"
	"conntrack -G -p icmp -s 1.1.1.1 -d 2.2.2.2 --icmp-type 8 --icmp-code 0 --icmp-id 5"
	"conntrack -G -p tcp --reply-src 2.2.2.2 --reply-dst 1.1.1.1 --reply-port-src 20 --reply-port-dst 10"
	"conntrack -U -f ipv4 -p tcp -s 1.1.1.1 --mark 9 -t 50 -u ASSURED"
	"conntrack -U -f ipv4 -p tcp --state TIME_WAIT --mark 0x10/0xf0"
	"conntrack -D -p icmp" "conntrack -D -f ipv6" "conntrack -F"
	"conntrack -L expect" "conntrack -F expect" "conntrack -S expect"
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
