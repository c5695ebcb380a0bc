# shellcheck shell=bash
# The seed's scenario with its VXLAN leg, for the demo and the selftests:
# a daemon (eswitch PF with VFs) whose VF 0 is namespace VM (vm0's MAC is
# the seed's 24:8a:07:a5:28:01), and namespace REMOTE on the uplink's wire
# side with a real kernel vxlan device (VNI 98) at 7.7.7.8 (IPv4
# underlay) or 2001:db8::8 (IPv6 underlay).  Overlay: vm0 10.0.0.1,
# remote 10.0.0.2 (10.0.0.100: vm0's SNAT address).
#
# The caller sets: d (daemon name), pf, VM, REMOTE, and sources lib.sh.
# Every command goes through vx_do, which the demo redefines to show it.

vx_do() { "$@"; }

SEED_MAC=24:8a:07:a5:28:01
SNAT_IP=10.0.0.100

# vx_underlay FAMILY: sets LOCAL (ours, on the uplink) and PEER (remote's)
vx_underlay() {
	if [ "$1" = 6 ]; then
		LOCAL=2001:db8::7 PEER=2001:db8::8 PLEN=64 ANY=:: NODAD=nodad
	else
		LOCAL=7.7.7.7 PEER=7.7.7.8 PLEN=24 ANY=0.0.0.0 NODAD=
	fi
}

# vx_hosts FAMILY: the namespaces, the remote's kernel vxlan, our underlay
# address and vxlan0 (collect-metadata mode), all through the real ip
vx_hosts() {
	vx_underlay "$1"
	vx_do ip netns add "$VM"
	vx_do ip netns add "$REMOTE"
	vx_do ip link set "${pf}v0" netns "$VM"
	vx_do ip -n "$VM" link set lo up
	# the overlay is IPv4: no IPv6 chatter from the hosts (DAD, MLD, router solicitations)
	vx_do ip netns exec "$VM" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
	vx_do ip netns exec "$VM" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	vx_do ip -n "$VM" link set "${pf}v0" address $SEED_MAC mtu 1450 up
	vx_do ip -n "$VM" addr add 10.0.0.1/24 dev "${pf}v0"
	vx_do ip link set "${pf}wire" netns "$REMOTE"
	vx_do ip -n "$REMOTE" link set lo up
	[ "$1" = 6 ] || vx_do ip netns exec "$REMOTE" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	vx_do ip -n "$REMOTE" link set "${pf}wire" up
	vx_do ip -n "$REMOTE" addr add "$PEER/$PLEN" dev "${pf}wire" $NODAD
	vx_do ip -n "$REMOTE" link add vxlan0 type vxlan id 98 remote "$LOCAL" local "$PEER" \
		dstport 4789
	# the overlay is IPv4: no IPv6 chatter (DAD, router solicitations) from the remote
	vx_do ip netns exec "$REMOTE" sysctl -qw net.ipv6.conf.vxlan0.disable_ipv6=1
	vx_do ip -n "$REMOTE" link set vxlan0 up
	vx_do ip -n "$REMOTE" addr add 10.0.0.2/24 dev vxlan0
	# SNAT'd replies go back to vm0's MAC
	vx_do ip -n "$REMOTE" neigh replace $SNAT_IP lladdr $SEED_MAC dev vxlan0
	vx_do cto "$d" ip addr add "$LOCAL/$PLEN" dev "$pf" $NODAD
	vx_do cto "$d" ip link add vxlan0 type vxlan dstport 4789 external
	vx_do cto "$d" ip link set vxlan0 up
}

# vx_filters NAT FLAGS: the seed's three filters on VF 0's representor,
# verbatim but for the device names (and the underlay family), plus what
# the return direction needs on vxlan0, and ARP both ways.  NAT=nat: the
# connection is SNAT'd to $SNAT_IP.  FLAGS: "" or skip_hw.
vx_filters() {
	local nat=$1 flags=$2 ct0=ct commit=(ct commit)
	local set=(tunnel_key set src_ip "$ANY" dst_ip "$PEER" id 98 dst_port 4789)
	local enc=(enc_src_ip "$PEER" enc_dst_ip "$LOCAL" enc_key_id 98 enc_dst_port 4789)

	if [ "$nat" = nat ]; then
		ct0="ct nat"
		commit=(ct commit nat src addr $SNAT_IP)
	fi
	vx_do cto "$d" tc qdisc add dev "${pf}_0" ingress &&
	vx_do cto "$d" tc qdisc add dev vxlan0 ingress &&
	# 1-3: the seed's
	vx_do cto "$d" tc filter add dev "${pf}_0" ingress prio 1 chain 0 proto ip flower $flags \
		src_mac $SEED_MAC ct_state -trk \
		action $ct0 \
		pipe action goto chain 2 &&
	vx_do cto "$d" tc filter add dev "${pf}_0" ingress prio 1 chain 2 proto ip flower $flags \
		ct_state +trk+new \
		action "${commit[@]}" \
		pipe action "${set[@]}" \
		action mirred egress redirect dev vxlan0 &&
	vx_do cto "$d" tc filter add dev "${pf}_0" ingress prio 1 chain 2 proto ip flower $flags \
		ct_state +trk+est \
		action "${set[@]}" \
		action mirred egress redirect dev vxlan0 &&
	# the return direction: decap, the same connection, to VF 0
	vx_do cto "$d" tc filter add dev vxlan0 ingress prio 1 chain 0 proto ip flower $flags \
		"${enc[@]}" ct_state -trk \
		action $ct0 \
		pipe action goto chain 2 &&
	vx_do cto "$d" tc filter add dev vxlan0 ingress prio 1 chain 2 proto ip flower $flags \
		ct_state +trk+est \
		action tunnel_key unset \
		action mirred egress redirect dev "${pf}_0" &&
	# ARP, stateless, both ways
	vx_do cto "$d" tc filter add dev "${pf}_0" ingress prio 2 proto arp flower $flags \
		action "${set[@]}" action mirred egress redirect dev vxlan0 &&
	vx_do cto "$d" tc filter add dev vxlan0 ingress prio 2 proto arp flower $flags "${enc[@]}" \
		action tunnel_key unset action mirred egress redirect dev "${pf}_0"
}

vx_cleanup() {
	ip netns del "$VM" 2>/dev/null
	ip netns del "$REMOTE" 2>/dev/null
}

# model counters and tables (ctoffload steering -j)
vx_stats() { "$CTOFFLOAD" -n "$d" steering -j |
	python3 "$TOP/tools/testing/selftests/ctoffload/steering_query.py" --stats "$1"; }
vx_ftes() { "$CTOFFLOAD" -n "$d" steering -j |
	python3 "$TOP/tools/testing/selftests/ctoffload/steering_query.py" "$@"; }

# vx_transfer BYTES PORT: BYTES from vm0 to the remote's port PORT in two
# halves; between them (the connection is established) runs "$VX_PAUSE_CMD"
# if set.  Returns non-zero unless everything arrived intact.
vx_transfer() {
	local bytes=$1 port=$2 half=$(($1 / 2)) dir="$CTOFFLOAD_RUNDIR/vx.$2" i
	mkdir -p "$dir"
	head -c "$half" /dev/urandom >"$dir/a"
	head -c $((bytes - half)) /dev/urandom >"$dir/b"
	cat "$dir/a" "$dir/b" >"$dir/all"
	rm -f "$dir/go" "$dir/got"
	ip netns exec "$REMOTE" timeout 60 socat -u TCP-LISTEN:"$port",reuseaddr \
		CREATE:"$dir/got" &
	local srv=$!
	for i in $(seq 50); do
		ip netns exec "$REMOTE" ss -ltn | grep -q ":$port " && break
		sleep 0.05
	done
	( cat "$dir/a"
	  while [ ! -e "$dir/go" ]; do sleep 0.05; done
	  cat "$dir/b" ) |
		ip netns exec "$VM" timeout 60 socat -u - TCP:10.0.0.2:"$port",sourceport="$port" &
	local cli=$!
	for i in $(seq 200); do
		[ "$(stat -c %s "$dir/got" 2>/dev/null || echo 0)" -ge "$half" ] && break
		sleep 0.05
	done
	[ -n "${VX_PAUSE_CMD:-}" ] && eval "$VX_PAUSE_CMD"
	touch "$dir/go"
	wait $cli
	wait $srv
	cmp -s "$dir/all" "$dir/got"
}
