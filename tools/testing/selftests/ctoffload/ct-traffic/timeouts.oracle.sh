# What Linux 6.1 does with idle flows under act_ct, in real time (the
# oracle has no clock to drive): timeouts.linux.txt is its output,
#   ../shared/tools/linux-oracle -T 2 -t 200 -f ct-traffic/scenarios.sh ct-traffic/timeouts.oracle.sh
# (from tools/testing/selftests/ctoffload).  An unreplied UDP flow, a
# UDP flow answered and used again 3 s later, and an idle TCP connection
# all enter act_ct's flow table ([OFFLOAD], no timeout shown); when its
# entry expires (nf_flowtable_*_timeout, 30 s) the connection is handed
# back to conntrack with a fixed-up timeout (UDP: 120 - 30 = 90 s, even
# unreplied), which is why ct_traffic.sh checks the plain conntrack
# timeouts only while ctoffloadd has no flow table.
source ./scenarios.sh
H0=h0 H1=h1 D0=e0 D1=e1 R0=r0 R1=r1
OUT=$(mktemp -d)
tc_() { tc "$@"; }
CT=(conntrack)
tc_ qdisc add dev r0 ingress
tc_ qdisc add dev r1 ingress
arp_fwd r0 r1
seed_fw r0 r1
sysctl net.netfilter.nf_flowtable_udp_timeout net.netfilter.nf_flowtable_tcp_timeout \
	net.netfilter.nf_conntrack_udp_timeout net.netfilter.nf_conntrack_udp_timeout_stream
nsx h0 ping -c 1 10.0.0.2 >/dev/null
udp_send h0 10.0.0.2 9997 40041
nsx h1 timeout 120 socat -u TCP4-LISTEN:8080,reuseaddr CREATE:"$OUT/tgot" &
wait_port h1 t 8080
(echo first; sleep 80; echo second) | nsx h0 socat -u - TCP4:10.0.0.2:8080,sourceport=40042 &
udp_rr h1 h0 4 10.0.0.2 9000 40043 >/dev/null
t0=$(date +%s)
for t in 0 3 10 29 31 35 45 61 65 75 85; do
	while [ $(($(date +%s) - t0)) -lt $t ]; do sleep 0.2; done
	[ $t = 3 ] && udp_rr h1 h0 4 10.0.0.2 9000 40043
	echo "## t=$t"
	conntrack -L 2>/dev/null | grep -v icmp
done
echo "## the TCP server got:"
cat "$OUT/tgot"
