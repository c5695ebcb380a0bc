#!/bin/bash
# Connection tracking with real packets: hosts in namespaces on the VF TAPs,
# the real tc installs act_ct / flower ct_state rule sets, the real
# conntrack lists, watches, deletes and flushes; TCP, UDP, ping and ping6
# cross the switch.  Scenarios (ct-traffic/scenarios.sh): the seed's stateful
# firewall, SNAT, DNAT, two tenants in two zones with the same addresses,
# ICMP errors as related traffic, invalid and malformed packets, ct's mark,
# label and clear, timeouts with the daemon's clock driven, IPv6.  What each
# step shows is compared with what Linux 6.1 shows for the same scenario
# (ct-traffic/expected.txt, from ct-traffic/oracle.sh), including what
# act_ct's flow table changes ([OFFLOAD] entries and their timeouts:
# ct-traffic/timeouts.linux.txt); a daemon without a flowtable would have
# those checks skipped and plain conntrack checked.  CT_SCENARIOS="s_nat ..."
# runs a few (the others' checks then fail as not recorded).  Checks of our
# own follow: timeouts, zones, and the flowtable's fast path (TCP handshake
# in conntrack and every later packet a hit, teardown on FIN; SNAT'd UDP
# captured byte for byte with the flowtable off and on).  Needs root.
source "$(dirname "$0")/lib.sh"
here="$TOP/tools/testing/selftests/ctoffload/ct-traffic"
source "$here/scenarios.sh"
expected="$here/expected.txt"

pf="ct$$"
pf=${pf:0:10}
d="ct$$"
H0="cto-c0-$$" H1="cto-c1-$$" H2="cto-c2-$$" H3="cto-c3-$$"
D0=${pf}v0 D1=${pf}v1 D2=${pf}v2 D3=${pf}v3
R0=${pf}_0 R1=${pf}_1 R2=${pf}_2 R3=${pf}_3
MAC0=02:00:00:00:00:01 MAC1=02:00:00:00:00:02 MAC2=02:00:00:00:01:01 MAC3=02:00:00:00:01:02
OUT="$CTOFFLOAD_RUNDIR/ct-traffic"
rm -rf "$OUT"
mkdir -p "$OUT"

tc_() { cto "$d" tc "$@"; }
CT=(timeout 30 "$CTOFFLOAD" -n "$d" exec conntrack)
sysctl_w() { "$CTOFFLOAD" -n "$d" sysctl -w "$1" >/dev/null; }
clock_virtual() { "$CTOFFLOAD" -n "$d" clock virtual >/dev/null; }
clock_advance() { "$CTOFFLOAD" -n "$d" clock advance "$1s" >/dev/null; }

cleanup() {
	[ -n "${ev_pid:-}" ] && kill "$ev_pid" 2>/dev/null
	[ -n "${watchdog:-}" ] && kill "$watchdog" 2>/dev/null
	for ns in "$H0" "$H1" "$H2" "$H3"; do ip netns del "$ns" 2>/dev/null; done
	daemon_stop "$d" >/dev/null 2>&1
}
trap cleanup EXIT

mapfile -t sections < <(sed -n 's/^### //p' "$expected")
extra=15
ktap_plan_root $((${#sections[@]} + extra))

daemon_start "$d" --pf "$pf" --vfs 4 --hw-tc-offload off || exit 1
# a daemon that stops answering must not hang the test: after 150 s it is
# killed, and what was not recorded by then fails
(sleep 150; kill -9 "$(cat "$CTOFFLOAD_RUNDIR/$d.pid")") >/dev/null 2>&1 &
watchdog=$!
H=("$H0" "$H1" "$H2" "$H3")
for i in 0 1 2 3; do
	ip netns add "${H[i]}"
	ip link set "${pf}v$i" netns "${H[i]}"
	mac=MAC$i
	ip -n "${H[i]}" link set "${pf}v$i" address "${!mac}" up
	ip -n "${H[i]}" link set lo up
	ip -n "${H[i]}" addr add "10.0.0.$((i % 2 + 1))/24" dev "${pf}v$i"
done
ip -n "$H0" addr add fd00::1/64 dev "$D0" nodad
ip -n "$H1" addr add fd00::2/64 dev "$D1" nodad

# ---- run the scenarios -----------------------------------------------------
for s in ${CT_SCENARIOS:-s_firewall s_nat s_zones s_invalid s_malformed s_actions s_ipv6 s_timeouts}; do
	"$s" >>"$OUT/run.log" 2>&1
	reset_switch >>"$OUT/run.log" 2>&1
done

# offnorm: what act_ct's flow table changes in conntrack's output (the
# [OFFLOAD] flag, no timeout while offloaded, the table's reference in use=)
offnorm() {
	sed -E -e 's/ \[OFFLOAD\]//' -e 's/ use=[0-9]+/ use=U/' \
		-e 's/^( *\[[A-Z]+\] +)?([a-z0-9]+ +[0-9]+) src=/\1\2 T src=/'
}
# evnorm: conntrack -E, minus what the timing of the hosts' FINs decides
# (whether the server's ACK and FIN share a packet: CLOSE_WAIT or not); the
# final [DESTROY]s of a flush come in hash order: sorted
evnorm() {
	offnorm | grep -vE '^ \[UPDATE\] tcp +6 T (FIN_WAIT|CLOSE_WAIT|LAST_ACK|CLOSE) ' |
		awk '/^\[DESTROY\]/ { d[n++] = $0; next } { print }
		     END { for (i = 0; i < n; i++) print d[i] | "sort" }'
}
expect() { awk -v s="### $1" '$0 == s { on = 1; next } /^### / { on = 0 } on' "$expected"; }

# the daemon has act_ct's flow table if any flow was ever listed [OFFLOAD]
if grep -qs '\[OFFLOAD\]' "$OUT"/sec/*; then flowtable=1; else flowtable=0; fi
no_ft="ctoffloadd has no act_ct flow table yet (Linux 6.1 offloads here)"

# sections whose Linux result comes from act_ct's flow table
declare -A needs_ft=(
	[to_after_31s]="Linux keeps the offloaded UDP flow (fixed up to 90 s when its flow table entry expires)"
	[inv_oow_offloaded_drops]="Linux lets a far-off ACK of an offloaded (liberal) connection through"
)

for n in "${sections[@]}"; do
	name="$n: as on Linux 6.1"
	if [ ! -f "$OUT/sec/$n" ]; then
		ktap_not_ok "$name (not recorded: the scenario broke, see $OUT/run.log)"
		tail -5 "$OUT/run.log" | sed 's/^/# /'
		continue
	fi
	if [ -n "${needs_ft[$n]:-}" ] && [ $flowtable = 0 ]; then
		ktap_skip "$name: ${needs_ft[$n]}; $no_ft"
		continue
	fi
	f=offnorm
	case $n in *_conntrack_E) f=evnorm ;; esac
	if diff -u <(expect "$n" | $f) <($f <"$OUT/sec/$n") >"$OUT/$n.diff"; then
		ktap_ok "$name"
	else
		ktap_not_ok "$name"
		sed 's/^/# /' "$OUT/$n.diff" | head -30
	fi
done

# ---- checks of our own, beyond what the oracle can show ---------------------
if [ $flowtable = 1 ]; then
	check "[OFFLOAD] flags of conntrack -L as on Linux 6.1" \
		diff -u <(expect fw_conntrack_L | sed -E 's/ use=[0-9]+/ use=U/') \
		<(sed -E 's/ use=[0-9]+/ use=U/' "$OUT/sec/fw_conntrack_L")
else
	ktap_skip "[OFFLOAD] flags of conntrack -L as on Linux 6.1: $no_ft"
fi

# timeouts, with the clock driven: a flow that only conntrack holds lives
# exactly its protocol's timeout (nf_conntrack_udp_timeout 30 s, icmp 30 s,
# nf_conntrack_udp_timeout_stream 120 s, tcp_timeout_established 5 days)
# ctl PROTO SPORT: the conntrack -L line of a flow
ctl() { ct_ -L -p "$1" --orig-port-src "$2" 2>/dev/null; }
tmo() { awk '{ print $3 }'; }
tc_ qdisc add dev "$R0" ingress
tc_ qdisc add dev "$R1" ingress
arp_fwd "$R0" "$R1"
seed_fw "$R0" "$R1"
clock_virtual
udp_send "$H0" 10.0.0.2 9997 40061
sleep 0.2
l0=$(ctl udp 40061)
clock_advance 29
l29=$(ctl udp 40061)
clock_advance 2
l31=$(ctl udp 40061)
if [[ $l0 == *OFFLOAD* ]]; then
	ktap_skip "unreplied UDP flow: listed with 30 s, 1 s left after 29 s, gone after 31 s: offloaded as on Linux (see to_after_31s)"
else
	ok=0
	[ "$(tmo <<<"$l0")" = 30 ] && [ "$(tmo <<<"$l29")" = 1 ] && [ -z "$l31" ] && ok=1
	check "unreplied UDP flow: listed with 30 s, 1 s left after 29 s, gone after 31 s (got '$(tmo <<<"$l0")', '$(tmo <<<"$l29")', '$l31')" \
		[ $ok = 1 ]
fi

udp_rr "$H1" "$H0" 4 10.0.0.2 9000 40062 >/dev/null
l0=$(ctl udp 40062)
clock_advance 3
r=$(udp_rr "$H1" "$H0" 4 10.0.0.2 9000 40062)
l3=$(ctl udp 40062)
ok=0
if [[ $l0$l3 == *OFFLOAD* ]]; then
	# (conntrack prints [OFFLOAD] instead of [ASSURED] while both are set)
	[[ $l3 == *OFFLOAD* || $l3 == *ASSURED* ]] && [ "$r" = "hello from 10.0.0.1:40062" ] && ok=1
	check "UDP stream (answered, used again 3 s later) is listed [OFFLOAD] or [ASSURED] (got '$l3', '$r')" [ $ok = 1 ]
else
	[ "$(tmo <<<"$l0")" = 30 ] && [[ $l3 == *ASSURED* ]] && [ "$(tmo <<<"$l3")" = 120 ] &&
		[ "$r" = "hello from 10.0.0.1:40062" ] && ok=1
	check "UDP stream: 30 s after its first answer, [ASSURED] with 120 s when used again 3 s later (got '$(tmo <<<"$l0")', '$l3', '$r')" \
		[ $ok = 1 ]
fi

# a TCP connection, idle for an hour, is still ESTABLISHED and still works
mkfifo "$OUT/tcp.in"
rm -f "$OUT/tcp.got"
nsx "$H1" timeout 20 socat -u TCP4-LISTEN:8090,reuseaddr CREATE:"$OUT/tcp.got" &
spid=$!
wait_port "$H1" t 8090
nsx "$H0" timeout 20 socat -u OPEN:"$OUT/tcp.in" TCP4:10.0.0.2:8090,sourceport=40063 &
cpid=$!
exec {w}>"$OUT/tcp.in"
echo before >&$w
sleep 0.3
l0=$(ctl tcp 40063)
# the seed firewall's flowtable (zone 0) holds the established connection
ft=$("$CTOFFLOAD" -n "$d" flowtable 2>&1)
ftj=$("$CTOFFLOAD" -n "$d" flowtable -j 2>&1)
clock_advance 3600
l1=$(ctl tcp 40063)
echo after >&$w
exec {w}>&-
wait $cpid $spid
sleep 0.2
got=$(cat "$OUT/tcp.got")
ok=0
if [[ $l0$l1 == *OFFLOAD* ]]; then
	[ -n "$l1" ] && [ "$got" = "$(printf 'before\nafter')" ] && ok=1
	check "TCP connection idle for 1 h: still listed, data still passes (got '$l1')" [ $ok = 1 ]
else
	[ "$(tmo <<<"$l0")" = 432000 ] && [[ $l1 == *" 428400 ESTABLISHED "* ]] &&
		[ "$got" = "$(printf 'before\nafter')" ] && ok=1
	check "TCP connection idle for 1 h: ESTABLISHED 432000 s -> 428400 s, data still passes (got '$(tmo <<<"$l0")', '$l1', '$got')" \
		[ $ok = 1 ]
fi
want="zone 0 tcp src=10.0.0.1 dst=10.0.0.2 sport=40063 dport=8090 src=10.0.0.2 dst=10.0.0.1 sport=8090 dport=40063 "
ok=0
grep -qF "$want" <<<"$ft" && [[ $ftj == *'"zone":0,"protocol":"tcp","original":{"src":"10.0.0.1","dst":"10.0.0.2","sport":40063,"dport":8090}'* ]] && ok=1
check "ctoffload flowtable lists the firewall's TCP connection in zone 0, both tuples (got '$(tr '\n' ';' <<<"$ft")')" [ $ok = 1 ]
l=$(ct_ -L -p icmp 2>/dev/null)
check "the ICMP flow is gone after 1 h (icmp timeout 30 s) (got '$l')" [ -z "$l" ]
l=$(ctl tcp 40063)
ok=0
[[ $l == *" 120 TIME_WAIT "* ]] && ok=1
check "the TCP flow is in TIME_WAIT for 120 s after both FINs (got '$l')" [ $ok = 1 ]
reset_switch >>"$OUT/run.log" 2>&1

# conntrack zones are kept apart in the flows too: the same tuple in zone 1
# and zone 2, deleting one leaves the other
for r in "$R0" "$R1" "$R2" "$R3"; do tc_ qdisc add dev "$r" ingress; done
arp_fwd "$R0" "$R1"
arp_fwd "$R2" "$R3"
zone_fw "$R0" "$R1" 1
zone_fw "$R2" "$R3" 2
udp_send "$H0" 10.0.0.2 9996 40064
udp_send "$H2" 10.0.0.2 9996 40064
sleep 0.2
ct_ -D -p udp --orig-port-src 40064 -w 1 >/dev/null 2>&1
z=$(ct_ -L -p udp --orig-port-src 40064 2>/dev/null | grep -o 'zone=[0-9]*' | tr '\n' ' ')
check "conntrack -D -w 1 deletes zone 1's flow, zone 2's stays (got '$z')" [ "$z" = "zone=2 " ]
reset_switch >>"$OUT/run.log" 2>&1

# the fast path, seen from outside: a TCP connection through the seed
# firewall goes through conntrack for its handshake (SYN, SYN-ACK, ACK: the
# ACK makes it ESTABLISHED and assured, act_ct adds it to the flowtable),
# then every packet until the first FIN is a flowtable hit.  Each packet
# meets one act_ct (chain 0's `ct_state -trk action ct`), whose filter
# counts it: hits + misses = those counters, and misses = 3.
ftsys() { "$CTOFFLOAD" -n "$d" sysctl -n "net.netfilter.nf_flowtable_$1"; }
ctpkts() { echo $(($(pkts "$R0" 0 1 1 ip) + $(pkts "$R1" 0 1 1 ip))); }
tc_ qdisc add dev "$R0" ingress
tc_ qdisc add dev "$R1" ingress
arp_fwd "$R0" "$R1"
seed_fw "$R0" "$R1"
rm -f "$OUT/fp.in" "$OUT/fp.got"
mkfifo "$OUT/fp.in"
head -c 300000 /dev/urandom >"$OUT/fp.blob"
nsx "$H1" timeout 20 socat -u TCP4-LISTEN:8091,reuseaddr CREATE:"$OUT/fp.got" &
spid=$!
wait_port "$H1" t 8091
h0=$(ftsys hits) m0=$(ftsys misses) p0=$(ctpkts)
nsx "$H0" timeout 20 socat -u OPEN:"$OUT/fp.in" TCP4:10.0.0.2:8091,sourceport=40065 &
cpid=$!
exec {w}>"$OUT/fp.in"
cat "$OUT/fp.blob" >&$w
sleep 0.5
h1=$(ftsys hits) m1=$(ftsys misses) p1=$(ctpkts)
ft_open=$("$CTOFFLOAD" -n "$d" flowtable 2>&1)
exec {w}>&-
wait $cpid $spid
sleep 0.3
ft_closed=$("$CTOFFLOAD" -n "$d" flowtable 2>&1)
l=$(ctl tcp 40065)
np=$((p1 - p0)) nh=$((h1 - h0)) nm=$((m1 - m0))
ok=0
[ $np -gt 20 ] && [ $nm = 3 ] && [ $nh -ge $((np - 3)) ] && ok=1
check "TCP transfer through the seed firewall: only the handshake misses the flowtable, every later packet hits ($np packets met act_ct: $nh hits, $nm misses)" \
	[ $ok = 1 ]
ok=0
grep -qF "sport=40065 dport=8091" <<<"$ft_open" && ! grep -qF "sport=40065 dport=8091" <<<"$ft_closed" && ok=1
check "the connection is in the flowtable while open, gone after its FINs (got '$(tr '\n' ';' <<<"$ft_open")' then '$(tr '\n' ';' <<<"$ft_closed")')" \
	[ $ok = 1 ]
ok=0
[[ $l == *" TIME_WAIT "* && $l != *OFFLOAD* ]] && cmp -s "$OUT/fp.blob" "$OUT/fp.got" && ok=1
check "after the FINs conntrack lists it in TIME_WAIT, not [OFFLOAD], and the data arrived intact (got '$l')" [ $ok = 1 ]
reset_switch >>"$OUT/run.log" 2>&1

# SNAT gives the same bytes on both paths: h0 (10.0.0.1:40070, behind
# 10.0.0.100) and h1 (10.0.0.2:9000) exchange 6 datagrams each way, once
# with the flowtable off (every packet through conntrack's NAT) and once
# on (once assured, through the flowtable's); tcpdump on each
# receiving host captures what arrives.  Both senders are udp_exchange.py,
# which writes its IP headers itself (the host kernel would pick a
# different IP id each run), so the senders vary nothing and only
# tcpdump's capture timestamps are left out of the comparison (-t).
udp_nat_run() {	# udp_nat_run TAG: capture the exchange into $OUT/nat-TAG.{req,rep}
	local tag=$1 t0 t1 srv i
	sysctl_w "net.netfilter.nf_flowtable_enable=$2"
	nsx "$H1" ip neigh replace 10.0.0.100 lladdr "$MAC0" dev "$D1"
	tc_ qdisc add dev "$R0" ingress
	tc_ qdisc add dev "$R1" ingress
	arp_fwd "$R0" "$R1"
	tc_ filter add dev "$R0" ingress prio 1 chain 0 proto ip flower ct_state -trk action ct nat pipe action goto chain 2
	tc_ filter add dev "$R0" ingress prio 2 chain 2 proto ip flower ct_state +trk+new \
		action ct commit nat src addr 10.0.0.100 pipe action mirred egress redirect dev "$R1"
	tc_ filter add dev "$R0" ingress prio 3 chain 2 proto ip flower ct_state +trk+est action mirred egress redirect dev "$R1"
	tc_ filter add dev "$R1" ingress prio 1 chain 0 proto ip flower ct_state -trk action ct nat pipe action goto chain 2
	tc_ filter add dev "$R1" ingress prio 1 chain 2 proto ip flower ct_state +trk+est action mirred egress redirect dev "$R0"
	for i in req rep; do rm -f "$OUT/nat-$tag.$i" "$OUT/nat-$tag.$i.err"; done
	nsx "$H1" timeout 10 tcpdump -i "$D1" -Q in -n -U -c 6 -w "$OUT/nat-$tag.req" udp 2>"$OUT/nat-$tag.req.err" &
	t0=$!
	nsx "$H0" timeout 10 tcpdump -i "$D0" -Q in -n -U -c 6 -w "$OUT/nat-$tag.rep" udp 2>"$OUT/nat-$tag.rep.err" &
	t1=$!
	for i in $(seq 100); do
		grep -qs listening "$OUT/nat-$tag.req.err" && grep -qs listening "$OUT/nat-$tag.rep.err" && break
		sleep 0.05
	done
	nsx "$H1" timeout 10 python3 "$udpx" server 10.0.0.2 9000 6 >>"$OUT/run.log" 2>&1 &
	srv=$!
	wait_port "$H1" u 9000
	h=$(ftsys hits)
	# a UDP flow is assured (and then bidirectional in the flowtable) when
	# it goes on more than 2 s after its first packet: 1 exchange, 3 s, 5
	nsx "$H0" timeout 10 python3 "$udpx" client 10.0.0.1 40070 10.0.0.2 9000 0 1 >>"$OUT/run.log" 2>&1
	clock_advance 3
	nsx "$H0" timeout 10 python3 "$udpx" client 10.0.0.1 40070 10.0.0.2 9000 1 5 >>"$OUT/run.log" 2>&1
	echo $(($(ftsys hits) - h)) >"$OUT/nat-$tag.hits"
	wait $srv $t0 $t1
	reset_switch >>"$OUT/run.log" 2>&1
}
udpx="$TOP/tools/testing/selftests/ctoffload/udp_exchange.py"
udp_nat_run slow 0
udp_nat_run fast 1
hs=$(cat "$OUT/nat-slow.hits") hf=$(cat "$OUT/nat-fast.hits")
sysctl_w net.netfilter.nf_flowtable_enable=1
# -vv: tcpdump checks the UDP checksums (IPv4 header checksums it flags bad)
dump() { tcpdump -r "$1" -n -t -vv -xx 2>/dev/null; }
for i in req rep; do
	dump "$OUT/nat-slow.$i" >"$OUT/nat-slow.$i.txt"
	dump "$OUT/nat-fast.$i" >"$OUT/nat-fast.$i.txt"
done
nreq=$(grep -c '^ *10.0.0.100.40070 > 10.0.0.2.9000: \[udp sum ok\] UDP' "$OUT/nat-slow.req.txt")
nrep=$(grep -c '^ *10.0.0.2.9000 > 10.0.0.1.40070: \[udp sum ok\] UDP' "$OUT/nat-slow.rep.txt")
ok=0
[ "$hs" = 0 ] && [ "$hf" -ge 6 ] && ok=1
check "UDP through SNAT: no flowtable hit with nf_flowtable_enable=0, hits with =1 (got $hs and $hf of 12 datagrams)" [ $ok = 1 ]
ok=0
[ "$nreq" = 6 ] && ! grep -qi bad "$OUT/nat-slow.req.txt" &&
	diff -u "$OUT/nat-slow.req.txt" "$OUT/nat-fast.req.txt" >"$OUT/nat-req.diff" && ok=1
check "SNAT, original direction: h1 receives the same bytes from the flowtable as from conntrack ($nreq datagrams from 10.0.0.100 with good checksums, see $OUT/nat-req.diff)" [ $ok = 1 ]
ok=0
[ "$nrep" = 6 ] && ! grep -qi bad "$OUT/nat-slow.rep.txt" &&
	diff -u "$OUT/nat-slow.rep.txt" "$OUT/nat-fast.rep.txt" >"$OUT/nat-rep.diff" && ok=1
check "SNAT, reply direction: h0 receives the same bytes from the flowtable as from conntrack ($nrep datagrams to 10.0.0.1 with good checksums, see $OUT/nat-rep.diff)" [ $ok = 1 ]

check "daemon exits cleanly (no crash, no sanitizer report)" daemon_stop "$d"
trap - EXIT
cleanup
ktap_finish
