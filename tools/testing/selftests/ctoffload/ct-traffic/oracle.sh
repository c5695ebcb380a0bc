# Runs scenarios.sh on Linux 6.1; its output is expected.txt:
#   ../shared/tools/linux-oracle -T 2 -f ct-traffic/scenarios.sh ct-traffic/oracle.sh > ct-traffic/expected.txt
# (from tools/testing/selftests/ctoffload). h0/h1 come from -T 2; h2/h3 are
# a second tenant with the same addresses, for the zone scenario.
source ./scenarios.sh
H0=h0 H1=h1 H2=h2 H3=h3 D0=e0 D1=e1 D2=e2 D3=e3 R0=r0 R1=r1 R2=r2 R3=r3
OUT=$(mktemp -d)
tc_() { tc "$@"; }
ct_() { conntrack "$@"; }
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
for i in 0 1 2 3; do
	eval "MAC$i=02:00:00:00:00:0$((i % 2 + 1))"
	[ $i -ge 2 ] && eval "MAC$i=02:00:00:00:01:0$((i % 2 + 1))"
	eval "ip -n h$i link set e$i address \$MAC$i up"
done
scenarios=${SCENARIOS:-s_firewall s_nat s_zones s_invalid s_timeouts s_ipv6}
for s in $scenarios; do
	echo "# running $s" >&2
	$s
	reset_switch
done
while read -r n; do
	echo "### $n"
	cat "$OUT/sec/$n"
done <"$OUT/sec.order"
