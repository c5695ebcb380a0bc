# The script that produced tc-monitor.expected in Linux 6.1:
#   ../shared/tools/linux-oracle tc-monitor.oracle.sh
for d in ens1f0 ens1f0_0 ens1f0_1; do ip link add $d type dummy; ip link set $d up; done
tc monitor > /tmp/mon.out 2>&1 &
sleep 0.5
tc qdisc add dev ens1f0_0 ingress
tc filter add dev ens1f0_0 ingress prio 1 proto ip flower dst_ip 10.0.0.2 action drop
tc chain add dev ens1f0_0 ingress chain 3
tc filter del dev ens1f0_0 ingress prio 1
tc qdisc del dev ens1f0_0 ingress
sleep 0.5
kill %1
cat /tmp/mon.out
