#!/bin/bash
# Real traffic, the other side of ctbench: iperf3 between two namespaces,
# a TCP stream and a flood of 64-byte UDP frames (22-byte payload), over
# three paths, all at MTU 1500:
#   switch-offload   VF 0 -> VF 1 of a fresh ctoffloadd, the seed's stateful
#                    firewall on both representors, hw-tc-offload on: the
#                    handshake goes through software, the established
#                    connection through the eswitch model
#   switch-software  the same with --hw-tc-offload off (tc, conntrack and
#                    the flowtable in software)
#   kernel-veth      a veth pair, the host kernel's conntrack (nftables
#                    ct state rules on both ends) as the yardstick
# The '#' lines are the evidence: what the +trk+est filter and conntrack
# counted (the flood should count on +trk+est: iperf3's UDP hello is
# answered at once, so its flow is established), what the TAP dropped.
# Usage: iperf.sh [--json]; BENCH_IPERF_SECONDS (5) per test, BENCH_CORES
# (datapath threads, if ctoffloadd has --cores).  Needs root, iperf3, nft.
top=$(cd "$(dirname "$0")/../.." && pwd)
secs=${BENCH_IPERF_SECONDS:-5}
json=0
case ${1:-} in
--json) json=1 ;;
"") ;;
*) echo "usage: iperf.sh [--json]" >&2; exit 2 ;;
esac

# note TEXT: a '#' line; on stderr with --json so stdout stays one JSON
# object per line
note() { if [ $json = 1 ]; then echo "# $*" >&2; else echo "# $*"; fi; }

skip() { note "iperf: skipped ($*)"; exit 0; }
[ "$(id -u)" = 0 ] || skip "needs root"
for c in iperf3 nft conntrack python3 tc ip; do
	command -v "$c" >/dev/null || skip "$c not installed"
done
daemon="$top/${BUILD:-build}/ctoffloadd"
[ -x "$daemon" ] || skip "$daemon not built: make"

# our own run directory, so the daemon's socket and log collide with no test
export CTOFFLOAD_RUNDIR=/tmp/ctoffload-iperf.$$
source "$top/tools/testing/selftests/ctoffload/lib.sh"

H0="cto-i0-$$" H1="cto-i1-$$"
A0=10.0.0.1 A1=10.0.0.2
port=5201
d=""
srv=""

# datapath threads: BENCH_CORES if the daemon takes --cores, else its
# default; the rows report what the daemon says it started
dargs=()
if [ -n "${BENCH_CORES:-}" ] && "$daemon" --help 2>&1 | grep -q -- --cores; then
	dargs=(--cores "$BENCH_CORES")
fi

cleanup() {
	[ -n "$srv" ] && kill "$srv" 2>/dev/null
	ip netns del "$H0" 2>/dev/null
	ip netns del "$H1" 2>/dev/null
	[ -n "$d" ] && daemon_stop "$d" >/dev/null 2>&1
	rm -rf "$CTOFFLOAD_RUNDIR"
}
trap cleanup EXIT
# a Ctrl-C or kill still runs the EXIT trap
trap 'exit 130' INT TERM

nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# host_up NS DEV ADDR: the host's side of a path
host_up() {
	ip -n "$1" link set lo up
	ip -n "$1" link set "$2" mtu 1500 up
	ip -n "$1" addr add "$3/24" dev "$2"
}

netns_add() {
	ip netns del "$H0" 2>/dev/null
	ip netns del "$H1" 2>/dev/null
	ip netns add "$H0" && ip netns add "$H1"
}

# seed_fw A B: the seed's firewall on representor A, forwarding to B
seed_fw() {
	cto "$d" tc qdisc add dev "$1" ingress
	cto "$d" tc filter add dev "$1" ingress prio 1 chain 0 proto ip flower \
		ct_state -trk action ct pipe action goto chain 2
	cto "$d" tc filter add dev "$1" ingress prio 2 chain 2 proto ip flower \
		ct_state +trk+new action ct commit pipe action mirred egress redirect dev "$2"
	cto "$d" tc filter add dev "$1" ingress prio 3 chain 2 proto ip flower \
		ct_state +trk+est action mirred egress redirect dev "$2"
	# ARP untracked, or the hosts never resolve each other
	cto "$d" tc filter add dev "$1" ingress prio 5 proto arp flower \
		action mirred egress redirect dev "$2"
}

# switch_up OFFLOAD(on|off): fresh daemon, hosts on its VF TAPs, filters
switch_up() {
	local pf="i$1$$"
	pf=${pf:0:10}
	d="iperf-$1-$$"
	daemon_start "$d" --pf "$pf" --vfs 2 --hw-tc-offload "$1" "${dargs[@]}" || return 1
	netns_add || return 1
	ip link set "${pf}v0" netns "$H0" && ip link set "${pf}v1" netns "$H1" || return 1
	host_up "$H0" "${pf}v0" $A0 && host_up "$H1" "${pf}v1" $A1 || return 1
	seed_fw "${pf}_0" "${pf}_1" && seed_fw "${pf}_1" "${pf}_0" || return 1
	R0=${pf}_0 V0=${pf}v0
	# "ready: ... N datapath threads"; older daemons had one and said nothing
	cores=$(sed -n 's/.* \([0-9][0-9]*\) datapath thread.*/\1/p' "$CTOFFLOAD_RUNDIR/$d.log" | head -n 1)
	cores=${cores:-1}
}

switch_down() {
	if ! daemon_stop "$d" 2>/dev/null; then
		note "ctoffloadd $d crashed or did not stop cleanly; its log ends:"
		tail -n 3 "$CTOFFLOAD_RUNDIR/$d.log" | while read -r l; do note "  $l"; done
	fi
	d=""
}

# the host kernel tracks both ends: new and established accepted, the rest
# (invalid) dropped, with counters to show it (not "table inet ct": ct is
# a keyword to nft 1.0)
NFT='table inet bench {
	chain in { type filter hook input priority 0; policy drop;
		ct state established,related counter accept; ct state new counter accept;
		ct state invalid counter drop; }
	chain out { type filter hook output priority 0; policy drop;
		ct state established,related counter accept; ct state new counter accept;
		ct state invalid counter drop; }
}'

veth_up() {
	local v="iv$$"
	netns_add || return 1
	ip link add name "${v}a" mtu 1500 netns "$H0" type veth peer name "${v}b" mtu 1500 netns "$H1" || return 1
	host_up "$H0" "${v}a" $A0 && host_up "$H1" "${v}b" $A1 || return 1
	nsx "$H0" nft -f - <<<"$NFT" && nsx "$H1" nft -f - <<<"$NFT"
}

# wait_listen NS PORT: until iperf3 listens (no fixed sleep: slow VMs)
wait_listen() {
	local i
	for ((i = 0; i < 100; i++)); do
		[ -n "$(nsx "$1" ss -Hltn "sport = :$2" 2>/dev/null)" ] && return 0
		sleep 0.05
	done
	return 1
}

# iperf OUT ARGS...: one iperf3 test H0 -> H1, client's JSON to OUT; the
# server serves this one test (-1), and timeout bounds a stalled path
iperf() {
	local out=$1; shift
	port=$((port + 1))
	nsx "$H1" timeout $((secs + 30)) iperf3 -s -1 -B $A1 -p $port >/dev/null 2>&1 &
	srv=$!
	wait_listen "$H1" $port || { note "iperf3 server did not start"; return 1; }
	nsx "$H0" timeout $((secs + 20)) iperf3 -c $A1 -p $port -t "$secs" -J \
		--connect-timeout 3000 "$@" >"$out" 2>&1
	local rc=$?
	wait "$srv"
	srv=""
	return $rc
}

# jget FILE EXPR: EXPR of the iperf3 JSON (j; end = j["end"]; rx, the
# receiver's sums), or "" on error
jget() {
	python3 - "$1" "$2" <<-'EOF' 2>/dev/null
	import json, sys
	j = json.load(open(sys.argv[1]))
	end = j["end"]
	rx = end.get("sum_received")
	print(eval(sys.argv[2]))
	EOF
}

# why FILE: one line on why an iperf3 run gave no result
why() {
	jget "$1" 'j["error"]' || echo "no result ($(head -c 100 "$1" 2>/dev/null | tr -s '\n\t ' ' '))"
}

# alive: the path is still there (a crashed daemon takes its TAPs along)
alive() { [ -z "$d" ] || kill -0 "$(cat "$CTOFFLOAD_RUNDIR/$d.pid" 2>/dev/null)" 2>/dev/null; }

# measure VARIANT: TCP then UDP64 over the path that is up; adds a row,
# "" for what failed
measure() {
	local v=$1 f="$CTOFFLOAD_RUNDIR/$1" gbps="" pps="" retr lost
	if iperf "$f.tcp.json"; then
		gbps=$(jget "$f.tcp.json" '"%.2f" % (end["sum_received"]["bits_per_second"] / 1e9)')
		retr=$(jget "$f.tcp.json" 'end["sum_sent"].get("retransmits", 0)')
		note "$v: TCP ${gbps:-?} Gbit/s, ${retr:-?} retransmits ($cores cores)"
	else
		note "$v: iperf3 TCP failed: $(why "$f.tcp.json")"
	fi
	if ! alive; then
		note "$v: ctoffloadd died"
	elif iperf "$f.udp.json" -u -b 0 -l 22; then
		# received = sent - lost, as the server counted them
		pps=$(jget "$f.udp.json" '"%.0f" % ((rx["packets"] - rx["lost_packets"]) / rx["seconds"])')
		lost=$(jget "$f.udp.json" '"%d of %d (%.1f%%)" % (rx["lost_packets"], rx["packets"], rx["lost_percent"])')
		note "$v: UDP64 ${pps:-?} pps received, lost ${lost:-?}"
	else
		note "$v: iperf3 UDP failed: $(why "$f.udp.json")"
	fi
	row_v+=("$v") row_gbps+=("$gbps") row_pps+=("$pps") row_c+=("$cores")
}

# filter_pkts REP CHAIN PRIO: packets counted by that filter's first action
filter_pkts() {
	cto "$d" tc -s -j filter show dev "$1" ingress chain "$2" prio "$3" | python3 -c '
import json, sys
f = [x for x in json.load(sys.stdin) if "options" in x][0]
print(f["options"]["actions"][0]["stats"]["packets"])' 2>/dev/null
}

# evidence VARIANT: the +trk+est filter's count and the daemon's conntrack
# table: proof the traffic went through the firewall, not around it
switch_evidence() {
	local n hw sw
	# +trk+new too: a connection offloaded as new would show up there
	note "$1: tc -s $R0 chain 2: +trk+est $(filter_pkts "$R0" 2 3 || echo '?') packets, +trk+new $(filter_pkts "$R0" 2 2 || echo '?')"
	cto "$d" conntrack -L >"$CTOFFLOAD_RUNDIR/ct.txt" 2>/dev/null
	n=$(grep -c . "$CTOFFLOAD_RUNDIR/ct.txt")
	hw=$(grep -c '\[HW_OFFLOAD\]' "$CTOFFLOAD_RUNDIR/ct.txt")
	sw=$(grep -c '\[OFFLOAD\]' "$CTOFFLOAD_RUNDIR/ct.txt")
	note "$1: conntrack -L: $n entries ($(grep -o '^[a-z]* ' "$CTOFFLOAD_RUNDIR/ct.txt" | sort | uniq -c | xargs)), $hw [HW_OFFLOAD], $sw [OFFLOAD]"
	# what the daemon did not read in time is dropped at the TAP's queue
	note "$1: $V0 (h0's TAP) tx dropped $(nsx "$H0" cat /sys/class/net/"$V0"/statistics/tx_dropped)"
}

# nft_pkts NS CHAIN STATE: packets counted by that chain's ct state STATE rule
nft_pkts() {
	nsx "$1" nft list chain inet bench "$2" | sed -n "s/.*ct state $3 counter packets \([0-9]*\).*/\1/p"
}

veth_evidence() {
	local n
	n=$(nsx "$H1" conntrack -L 2>/dev/null | grep -c .)
	note "kernel-veth: nft in $H1: $(nft_pkts "$H1" in established,related) packets hit ct state established, $(nft_pkts "$H1" in invalid) invalid dropped; conntrack -L in $H1: $n entries"
}

run_switch() {
	local v=$1 hw=$2
	if switch_up "$hw"; then
		measure "$v"
		alive && switch_evidence "$v"
	else
		note "$v: set-up failed"
		row_v+=("$v") row_gbps+=("") row_pps+=("") row_c+=("")
	fi
	switch_down
}

run_veth() {
	if veth_up; then
		# the kernel forwards on every CPU
		cores=$(nproc)
		measure kernel-veth
		veth_evidence
	else
		note "kernel-veth: set-up failed"
		row_v+=(kernel-veth) row_gbps+=("") row_pps+=("") row_c+=("")
	fi
	ip netns del "$H0"
	ip netns del "$H1"
}

# ratio A B: A/B to 2 places, "-" if either is missing
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && b > 0) printf "%.2f", a / b; else printf "-" }'; }

# json_rows I: row I as JSON, what failed left out (a consumer should not
# average a failure in as 0)
json_rows() {
	local i=$1 c
	c=${row_c[i]}
	[ -n "${row_gbps[i]}" ] &&
		printf '{"path":"iperf_tcp","variant":"%s","gbps":%s,"cores":%s}\n' "${row_v[i]}" "${row_gbps[i]}" "$c"
	[ -n "${row_pps[i]}" ] &&
		printf '{"path":"udp64","variant":"%s","pps":%s,"cores":%s}\n' "${row_v[i]}" "${row_pps[i]}" "$c"
	return 0
}

report() {
	local i k
	if [ $json = 1 ]; then
		for i in "${!row_v[@]}"; do json_rows "$i"; done
		return
	fi
	printf '%-16s %10s %11s %9s %11s\n' path "TCP Gbit/s" "UDP64 kpps" "TCP/veth" "UDP64/veth"
	for i in "${!row_v[@]}"; do
		k=-
		[ -n "${row_pps[i]}" ] && k=$(awk -v p="${row_pps[i]}" 'BEGIN { printf "%.1f", p / 1e3 }')
		printf '%-16s %10s %11s %9s %11s\n' "${row_v[i]}" "${row_gbps[i]:--}" "$k" \
			"$(ratio "${row_gbps[i]}" "${row_gbps[2]}")" "$(ratio "${row_pps[i]}" "${row_pps[2]}")"
	done
}

note "iperf: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $secs s per test, MTU 1500${dargs[*]:+, ctoffloadd ${dargs[*]}}"
row_v=() row_gbps=() row_pps=() row_c=()
run_switch switch-offload on
run_switch switch-software off
run_veth
report
