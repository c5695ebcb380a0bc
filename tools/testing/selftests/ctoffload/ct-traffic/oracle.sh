# The scenarios of ct_traffic.sh on Linux 6.1; what it prints is
# expected.txt.  From tools/testing/selftests/ctoffload:
#   ../../../../../shared/tools/linux-oracle -s -T 2 -t 400 -f ct-traffic/scenarios.sh \
#       ct-traffic/oracle.sh 2>/dev/null >ct-traffic/expected.txt
# (SCENARIOS="s_nat s_zones" runs a few).  h0/h1 (e0/e1 <-> r0/r1) come
# from -T 2; h2/h3 are a second tenant with the same addresses, for the
# zone scenario.  MACs are those ct_traffic.sh gives its hosts.
source ./scenarios.sh
H0=h0 H1=h1 H2=h2 H3=h3 D0=e0 D1=e1 D2=e2 D3=e3 R0=r0 R1=r1 R2=r2 R3=r3
MAC0=02:00:00:00:00:01 MAC1=02:00:00:00:00:02 MAC2=02:00:00:00:01:01 MAC3=02:00:00:00:01:02
OUT=$(mktemp -d)
tc_() { tc "$@"; }
CT=(conntrack)
sysctl_w() { sysctl -qw "$1"; }
clock_virtual() { :; }
# real time only: long waits are left out (what they show is normalised away)
clock_advance() { [ "$1" -le 60 ] && sleep "$1"; }

for i in 2 3; do
	ip netns add h$i
	ip link add r$i type veth peer name e$i
	ip link set e$i netns h$i
	ip -n h$i addr add 10.0.0.$((i - 1))/24 dev e$i
	ip -n h$i link set lo up
	ip link set r$i up
done
for i in 0 1; do	# IPv6 on, as on the VF TAPs
	sysctl -qw net.ipv6.conf.r$i.disable_ipv6=0
	ip netns exec h$i sysctl -qw net.ipv6.conf.e$i.disable_ipv6=0
	ip -n h$i addr add fd00::$((i + 1))/64 dev e$i nodad
done
ip -n h0 link set e0 address $MAC0 up
ip -n h1 link set e1 address $MAC1 up
ip -n h2 link set e2 address $MAC2 up
ip -n h3 link set e3 address $MAC3 up

for s in ${SCENARIOS:-s_firewall s_nat s_zones s_invalid s_malformed s_actions s_ipv6 s_timeouts}; do
	echo "# running $s" >&2
	$s
	reset_switch
done
while read -r n; do
	echo "### $n"
	cat "$OUT/sec/$n"
done <"$OUT/sec.order"
