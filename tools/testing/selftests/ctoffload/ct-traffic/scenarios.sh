# shellcheck shell=bash
# The connection tracking scenarios of ct_traffic.sh, written once and run in
# two places: against ctoffloadd by ct_traffic.sh, and against Linux 6.1 by
# oracle.sh (under ../shared/tools/linux-oracle), which produced expected.txt.
# Everything a scenario shows is recorded with `rec SECTION` (already
# normalised: conntrack timeouts, ICMP ids and ping times blanked), so the
# two runs can be compared section by section.
#
# The caller provides:
#   H0..H3   namespaces of the hosts, D0..D3 their interfaces
#   R0..R3   the switch ports the hosts hang off (representors / veth peers)
#   MAC0..MAC3  the hosts' MAC addresses
#   OUT      a scratch directory; sections are written to $OUT/sec/NAME
#   tc_ ARGS                the real tc against that switch
#   CT=(...)                the command running the real conntrack against it
#   sysctl_w NAME=VALUE     a net.netfilter tunable of that switch
#   clock_virtual, clock_advance SECONDS   drive conntrack's clock (the
#                           oracle has no such thing: it sleeps, or skips)
# Every host speaks through socat (present in both places) with fixed
# source ports, so tuples are the same in both runs.
#
# Scenarios: s_firewall (the seed's rules: TCP, UDP, ping, fragments, a
# closed port, conntrack -L/-D/-F/-E), s_nat (SNAT, DNAT, an ICMP error
# as related traffic through SNAT), s_zones (two tenants with the same
# addresses in zones 1 and 2, marks), s_invalid (TCP +trk+inv), s_malformed
# (bad checksums and lengths, lone replies, stray ICMP errors), s_actions
# (ct mark/label with masks, ct clear, ct_state rpl, ct_mark/ct_label
# matches), s_timeouts (driven clock), s_ipv6.

nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
ct_() { "${CT[@]}" "$@"; }

# norm: blank what changes from run to run
norm() {
	sed -E -e 's/^( *\[[A-Z]+\] +)?([a-z0-9]+ +[0-9]+) [0-9]+ /\1\2 T /' \
		-e 's/ id=[0-9]+/ id=ID/g' \
		-e 's/ portid=[0-9]+/ portid=P/; s/ progname=[^ ]+//' \
		-e 's/time=[0-9.]+ ?ms/time=X ms/'
}

# rec NAME: record stdin as section NAME
rec() { mkdir -p "$OUT/sec"; cat >"$OUT/sec/$1"; echo "$1" >>"$OUT/sec.order"; }

# ct_list [ARGS]: conntrack -L, entries sorted, then its summary line
ct_list() {
	ct_ -L "$@" 2>"$OUT/ct.err" | norm | sort
	cat "$OUT/ct.err"
}

# wait_port NS t|u PORT: until something listens on PORT in NS
wait_port() {
	local i
	for ((i = 0; i < 100; i++)); do
		[ -n "$(nsx "$1" ss -Hln"$2" "sport = :$3" 2>/dev/null)" ] && return 0
		sleep 0.05
	done
	return 1
}

# ping_sum NS ARGS...: "sent N received M"
ping_sum() {
	local ns=$1; shift
	nsx "$ns" ping "$@" 2>&1 |
		sed -nE 's/^([0-9]+) packets transmitted, ([0-9]+) (packets )?received.*/sent \1 received \2/p'
}

# sockaddr 4|6 ADDR: socat's spelling of an address
sockaddr() { if [ "$1" = 6 ]; then echo "[$2]"; else echo "$2"; fi; }

# tcp_xfer SRV_NS CLI_NS 4|6 DST PORT SPORT BYTES: client sends BYTES random
# bytes; prints what the server got
tcp_xfer() {
	local srv=$1 cli=$2 f=$3 dst=$4 port=$5 sport=$6 n=$7 pid
	head -c "$n" /dev/urandom >"$OUT/blob"
	rm -f "$OUT/got"
	nsx "$srv" timeout 15 socat -u TCP$f-LISTEN:"$port",reuseaddr CREATE:"$OUT/got" &
	pid=$!
	wait_port "$srv" t "$port"
	nsx "$cli" timeout 15 socat -u OPEN:"$OUT/blob" \
		TCP$f:"$(sockaddr "$f" "$dst")":"$port",sourceport="$sport",connect-timeout=2 2>/dev/null
	wait $pid
	if cmp -s "$OUT/blob" "$OUT/got"; then
		echo "server got $n bytes intact"
	else
		echo "server got $(wc -c <"$OUT/got" 2>/dev/null) of $n bytes, $(cmp "$OUT/blob" "$OUT/got" 2>&1 | head -1)"
	fi
}

# tcp_connect SRV_NS CLI_NS 4|6 DST PORT SPORT: "connected" or "no connection"
# (a server listens on PORT; the client gives up after 1 s)
tcp_connect() {
	local srv=$1 cli=$2 f=$3 dst=$4 port=$5 sport=$6 pid
	nsx "$srv" timeout 5 socat -u TCP$f-LISTEN:"$port",reuseaddr /dev/null &
	pid=$!
	wait_port "$srv" t "$port"
	if nsx "$cli" timeout 5 socat -u /dev/null \
		TCP$f:"$(sockaddr "$f" "$dst")":"$port",sourceport="$sport",connect-timeout=1 2>/dev/null; then
		echo connected
	else
		echo "no connection"
	fi
	kill $pid 2>/dev/null; wait $pid 2>/dev/null
}

# tcp_peer SRV_NS CLI_NS DST DPORT LPORT SPORT: the server (listening on
# LPORT) answers with its local and peer address as it sees them
tcp_peer() {
	local srv=$1 cli=$2 dst=$3 dport=$4 lport=$5 sport=$6 pid
	# shellcheck disable=SC2016
	nsx "$srv" timeout 5 socat TCP4-LISTEN:"$lport",reuseaddr \
		SYSTEM:'echo "$SOCAT_SOCKADDR:$SOCAT_SOCKPORT sees $SOCAT_PEERADDR:$SOCAT_PEERPORT"' &
	pid=$!
	wait_port "$srv" t "$lport"
	nsx "$cli" timeout 5 socat -T 3 -u TCP4:"$dst":"$dport",sourceport="$sport",connect-timeout=2 - 2>&1 ||
		echo "client failed"
	kill $pid 2>/dev/null; wait $pid 2>/dev/null
}

# udp_rr SRV_NS CLI_NS 4|6 DST PORT SPORT [TEXT]: one datagram, one answer
# saying whom the server saw; prints the answer the client got
udp_rr() {
	local srv=$1 cli=$2 f=$3 dst=$4 port=$5 sport=$6 text=${7:-hello} pid r
	# shellcheck disable=SC2016
	nsx "$srv" timeout 5 socat -T 3 UDP$f-RECVFROM:"$port" \
		SYSTEM:'read x; echo "$x from $SOCAT_PEERADDR:$SOCAT_PEERPORT"' &
	pid=$!
	wait_port "$srv" u "$port"
	r=$(echo "$text" | nsx "$cli" timeout 5 socat -T 2 - \
		UDP$f:"$(sockaddr "$f" "$dst")":"$port",sourceport="$sport" 2>&1)
	echo "${r:-no answer}"
	kill $pid 2>/dev/null; wait $pid 2>/dev/null
}

# udp_send CLI_NS DST PORT SPORT: one datagram, nobody answers
udp_send() {
	echo hello | nsx "$1" socat -u - UDP4:"$2":"$3",sourceport="$4"
}

# udp_refused CLI_NS DST PORT SPORT [4|6]: one datagram to a closed port;
# what the client's socket reports when it reads
udp_refused() {
	local f=${5:-4} r
	r=$(echo hello | nsx "$1" timeout 5 socat -T 2 - UDP$f:"$(sockaddr "$f" "$2")":"$3",sourceport="$4" 2>&1)
	case $r in
	*"Connection refused"*) echo "read: Connection refused" ;;
	"") echo "read: nothing (timeout)" ;;
	*) echo "read: $r" ;;
	esac
}

# tcp_refused CLI_NS 4|6 DST PORT SPORT: connect to a port nobody listens on
tcp_refused() {
	local r
	r=$(nsx "$1" timeout 5 socat -u /dev/null \
		TCP$2:"$(sockaddr "$2" "$3")":"$4",sourceport="$5",connect-timeout=2 2>&1)
	case $r in
	*"Connection refused"*) echo "connect: Connection refused" ;;
	"") echo "connected" ;;
	*) echo "connect: ${r##*: }" ;;
	esac
}

# udp_big SRV_NS CLI_NS 4|6 DST PORT SPORT BYTES: a datagram of BYTES (more
# than the MTU: it travels in fragments) and an answer as large; prints
# what each side got
udp_big() {
	local srv=$1 cli=$2 f=$3 dst=$4 port=$5 sport=$6 n=$7 pid r
	# shellcheck disable=SC2016
	nsx "$srv" timeout 5 socat -T 3 UDP$f-RECVFROM:"$port" \
		SYSTEM:'read x; echo "server got ${#x} bytes, answers with them: $x"' &
	pid=$!
	wait_port "$srv" u "$port"
	r=$(head -c "$n" /dev/zero | tr '\0' x | nsx "$cli" timeout 5 socat -T 2 -b 65536 - \
		UDP$f:"$(sockaddr "$f" "$dst")":"$port",sourceport="$sport" 2>&1)
	if [ -n "$r" ]; then
		echo "${r%%: *}; client got an answer of ${#r} bytes"
	else
		echo "no answer"
	fi
	kill $pid 2>/dev/null; wait $pid 2>/dev/null
}

# pkts DEV CHAIN PRIO HANDLE PROTO: packets counted by a filter's first action
pkts() {
	tc_ -s filter get dev "$1" ingress chain "$2" pref "$3" handle "$4" protocol "$5" flower |
		awk '/Sent/ { print $4; exit }'
}
# drops DEV CHAIN PRIO HANDLE PROTO: drops counted by a filter's first action
drops() {
	tc_ -s filter get dev "$1" ingress chain "$2" pref "$3" handle "$4" protocol "$5" flower |
		awk '/Sent/ { sub(/,/, "", $7); print $7; exit }'
}

# ct_events_start / ct_events_stop: conntrack -E in the background
# (run in the caller's shell, not in a pipeline: the listener is its child)
ct_events_start() {
	"${CT[@]}" -E >"$OUT/events" 2>"$OUT/events.err" &
	ev_pid=$!
	sleep 0.3
}
ct_events_stop() {
	sleep 0.5
	kill -TERM "$ev_pid" 2>/dev/null
	wait "$ev_pid" 2>/dev/null
	ev_pid=
}

# raw_tcp NS SRC DST SPORT DPORT SEQ ACK FLAGS: send one hand-made TCP segment
# (no options, window 64240) from NS through a raw socket
raw_tcp() {
	local ns=$1 src=$2 dst=$3 sport=$4 dport=$5 seq=$6 ack=$7 flags=$8
	local -a s d hdr
	local sum i hex b=''
	IFS=. read -ra s <<<"$src"
	IFS=. read -ra d <<<"$dst"
	hdr=("$sport" "$dport" $((seq >> 16)) $((seq & 0xffff)) $((ack >> 16)) $((ack & 0xffff))
		$(((5 << 12) | flags)) 64240 0 0)
	# checksum: pseudo header (addresses, protocol, length) and the header
	sum=$((((s[0] << 8) | s[1]) + ((s[2] << 8) | s[3]) + ((d[0] << 8) | d[1]) + ((d[2] << 8) | d[3]) + 6 + 20))
	for i in "${hdr[@]}"; do sum=$((sum + i)); done
	while ((sum >> 16)); do sum=$(((sum & 0xffff) + (sum >> 16))); done
	hdr[8]=$((~sum & 0xffff))
	for i in "${hdr[@]}"; do
		printf -v hex '%04x' "$i"
		b+="\\x${hex:0:2}\\x${hex:2:2}"
	done
	# shellcheck disable=SC2059
	printf "$b" | nsx "$ns" socat -u - IP4-SENDTO:"$dst":6,bind="$src",transparent
}

# csum HEX: the Internet checksum of the bytes HEX, as 4 hex digits
csum() {
	local h=$1 sum=0 i
	((${#h} % 4)) && h+=00
	for ((i = 0; i < ${#h}; i += 4)); do sum=$((sum + 16#${h:i:4})); done
	while ((sum >> 16)); do sum=$(((sum & 0xffff) + (sum >> 16))); done
	printf '%04x' $((~sum & 0xffff))
}
# ip4hex A.B.C.D / ip6hex ADDR: an address as hex
ip4hex() { local -a oct; IFS=. read -ra oct <<<"$1"; printf '%02x%02x%02x%02x' "${oct[@]}"; }
ip6hex() {
	local a=$1 hd tl out='' g n i
	local -a H T
	hd=$a tl=
	[[ $a == *::* ]] && { hd=${a%%::*}; tl=${a#*::}; }
	IFS=: read -ra H <<<"$hd"
	IFS=: read -ra T <<<"$tl"
	n=$((8 - ${#H[@]} - ${#T[@]}))
	for g in "${H[@]}"; do out+=$(printf '%04x' $((16#$g))); done
	for ((i = 0; i < n; i++)); do out+=0000; done
	for g in "${T[@]}"; do out+=$(printf '%04x' $((16#$g))); done
	echo "$out"
}
# l4sum 4|6 SRC DST PROTO HEX: checksum of an L4 message with its pseudo header
l4sum() {
	local ph
	if [ "$1" = 4 ]; then
		ph=$(ip4hex "$2")$(ip4hex "$3")00$(printf '%02x%04x' "$4" $((${#5} / 2)))
	else
		ph=$(ip6hex "$2")$(ip6hex "$3")$(printf '%08x000000%02x' $((${#5} / 2)) "$4")
	fi
	csum "$ph$5"
}
# raw_send NS 4|6 SRC DST PROTO HEX: the bytes HEX as the payload of one IP
# packet from NS (an IPv4 SRC need not be NS's own address)
raw_send() {
	local b='' i h=$6
	for ((i = 0; i < ${#h}; i += 2)); do b+="\\x${h:i:2}"; done
	if [ "$2" = 4 ]; then
		# shellcheck disable=SC2059
		printf "$b" | nsx "$1" socat -u - IP4-SENDTO:"$4":"$5",bind="$3",transparent
	else
		# shellcheck disable=SC2059
		printf "$b" | nsx "$1" socat -u - "IP6-SENDTO:[$4]:$5,bind=[$3]"
	fi
}
# udp_hex 4|6 SRC DST SPORT DPORT PAYLOAD_HEX [CHECKSUM [LENGTH]]: a UDP
# datagram, with its right checksum unless one is given
udp_hex() {
	local len=${8:-$((8 + ${#6} / 2))} m
	m=$(printf '%04x%04x%04x' "$4" "$5" "$len")
	echo "$m${7:-$(l4sum "$1" "$2" "$3" 17 "${m}0000$6")}$6"
}
# icmp_hex TYPE CODE REST_HEX [CHECKSUM]: an ICMP message (IPv4)
icmp_hex() {
	local m
	m=$(printf '%02x%02x' "$1" "$2")
	echo "$m${4:-$(csum "${m}0000$3")}$3"
}

# ---- switch set-ups -----------------------------------------------------

# arp_fwd A B [PRIO]: ARP between ports A and B, untracked
arp_fwd() {
	tc_ filter add dev "$1" ingress prio "${3:-5}" proto arp flower action mirred egress redirect dev "$2"
	tc_ filter add dev "$2" ingress prio "${3:-5}" proto arp flower action mirred egress redirect dev "$1"
}

# seed_fw A B [ip|ipv6 [PRIO]]: the seed's stateful firewall, A may open
# connections towards B, B only answers
seed_fw() {
	local a=$1 b=$2 p=${3:-ip} pr=${4:-1}
	tc_ filter add dev "$a" ingress prio "$pr" chain 0 proto "$p" flower ct_state -trk action ct pipe action goto chain 2
	tc_ filter add dev "$a" ingress prio "$pr" chain 2 proto "$p" flower ct_state +trk+new action ct commit pipe action mirred egress redirect dev "$b"
	tc_ filter add dev "$a" ingress prio "$pr" chain 2 proto "$p" flower ct_state +trk+est action mirred egress redirect dev "$b"
	tc_ filter add dev "$b" ingress prio "$pr" chain 0 proto "$p" flower ct_state -trk action ct pipe action goto chain 2
	tc_ filter add dev "$b" ingress prio "$pr" chain 2 proto "$p" flower ct_state +trk+est action mirred egress redirect dev "$a"
}

# reset_switch: no qdisc on any port, empty conntrack table, default tunables
reset_switch() {
	local r
	for r in "$R0" "$R1" "$R2" "$R3"; do tc_ qdisc del dev "$r" ingress 2>/dev/null; done
	ct_ -F 2>/dev/null
	sysctl_w net.netfilter.nf_conntrack_tcp_loose=1
	sysctl_w net.netfilter.nf_conntrack_tcp_be_liberal=0
}

# ---- 1. the seed's stateful firewall -------------------------------------
s_firewall() {
	local r
	tc_ qdisc add dev "$R0" ingress
	tc_ qdisc add dev "$R1" ingress
	arp_fwd "$R0" "$R1"
	seed_fw "$R0" "$R1"
	ct_events_start
	ping_sum "$H0" -c 3 -i 0.2 -W 1 10.0.0.2 | rec fw_ping
	ping_sum "$H1" -c 2 -i 0.2 -W 1 10.0.0.1 | rec fw_ping_h1_to_h0
	tcp_xfer "$H1" "$H0" 4 10.0.0.2 8080 40001 300000 | rec fw_tcp_h0_to_h1
	tcp_connect "$H0" "$H1" 4 10.0.0.1 8081 40002 | rec fw_tcp_h1_to_h0
	udp_rr "$H1" "$H0" 4 10.0.0.2 9000 40003 | rec fw_udp
	tcp_refused "$H0" 4 10.0.0.2 8089 40004 | rec fw_tcp_closed_port
	udp_big "$H1" "$H0" 4 10.0.0.2 9001 40005 4000 | rec fw_udp_fragments
	sleep 0.3
	ct_list | rec fw_conntrack_L
	ct_list -p icmp | rec fw_conntrack_L_icmp
	echo "new: $(pkts "$R0" 2 1 1 ip)" | rec fw_r0_new_pkts
	r=$(pkts "$R1" 2 1 1 ip)
	echo "replies counted: $([ "${r:-0}" -gt 0 ] && echo yes || echo "no ($r)")" | rec fw_r1_est_counts
	ct_ -D -p tcp --orig-port-src 40001 2>&1 | norm | rec fw_conntrack_D
	ct_list | rec fw_conntrack_L_after_D
	ct_ -F 2>&1 | rec fw_conntrack_F
	ct_list | rec fw_conntrack_L_after_F
	ct_events_stop
	norm <"$OUT/events" | rec fw_conntrack_E
}

# ---- 2, 3, 5: SNAT of h0 behind 10.0.0.100, DNAT of 10.0.0.200:80 ---------
s_nat() {
	nsx "$H1" ip neigh replace 10.0.0.100 lladdr "$MAC0" dev "$D1"
	nsx "$H0" ip neigh replace 10.0.0.200 lladdr "$MAC1" dev "$D0"
	tc_ qdisc add dev "$R0" ingress
	tc_ qdisc add dev "$R1" ingress
	arp_fwd "$R0" "$R1"
	tc_ filter add dev "$R0" ingress prio 1 chain 0 proto ip flower ct_state -trk action ct nat pipe action goto chain 2
	tc_ filter add dev "$R0" ingress prio 1 chain 2 proto ip flower ct_state +trk+new dst_ip 10.0.0.200 ip_proto tcp dst_port 80 \
		action ct commit nat dst addr 10.0.0.2 port 8080 pipe action mirred egress redirect dev "$R1"
	tc_ filter add dev "$R0" ingress prio 2 chain 2 proto ip flower ct_state +trk+new \
		action ct commit nat src addr 10.0.0.100 pipe action mirred egress redirect dev "$R1"
	tc_ filter add dev "$R0" ingress prio 3 chain 2 proto ip flower ct_state +trk+est action mirred egress redirect dev "$R1"
	tc_ filter add dev "$R1" ingress prio 1 chain 0 proto ip flower ct_state -trk action ct nat pipe action goto chain 2
	tc_ filter add dev "$R1" ingress prio 1 chain 2 proto ip flower ct_state +trk+est action mirred egress redirect dev "$R0"
	tc_ filter add dev "$R1" ingress prio 2 chain 2 proto ip flower ct_state +trk+rel action mirred egress redirect dev "$R0"

	ping_sum "$H0" -c 2 -i 0.2 -W 1 10.0.0.2 | rec snat_ping
	tcp_peer "$H1" "$H0" 10.0.0.2 8080 8080 40011 | rec snat_tcp_peer
	udp_rr "$H1" "$H0" 4 10.0.0.2 9000 40012 | rec snat_udp_peer
	tcp_xfer "$H1" "$H0" 4 10.0.0.2 8081 40013 200000 | rec snat_tcp_xfer
	tcp_peer "$H1" "$H0" 10.0.0.200 80 8080 40014 | rec dnat_tcp_peer
	udp_refused "$H0" 10.0.0.2 9999 40015 | rec snat_icmp_unreach
	echo "rel: $(pkts "$R1" 2 2 1 ip)" | rec snat_rel_pkts
	sleep 0.3
	ct_list | rec nat_conntrack_L
	ct_list -p udp --orig-port-dst 9999 | rec nat_conntrack_L_udp_refused
}

# ---- 4. zones: two tenants with the same addresses ------------------------
s_zones() {
	local r pa pb
	for r in "$R0" "$R1" "$R2" "$R3"; do tc_ qdisc add dev "$r" ingress; done
	arp_fwd "$R0" "$R1"
	arp_fwd "$R2" "$R3"
	zone_fw "$R0" "$R1" 1
	zone_fw "$R2" "$R3" 2
	udp_rr "$H1" "$H0" 4 10.0.0.2 9000 40021 tenant-a >"$OUT/za" &
	pa=$!
	udp_rr "$H3" "$H2" 4 10.0.0.2 9000 40021 tenant-b >"$OUT/zb" &
	pb=$!
	wait $pa $pb
	cat "$OUT/za" "$OUT/zb" | rec zone_udp_both
	tcp_xfer "$H1" "$H0" 4 10.0.0.2 8080 40022 100000 | rec zone_a_tcp
	tcp_xfer "$H3" "$H2" 4 10.0.0.2 8080 40022 100000 | rec zone_b_tcp
	sleep 0.3
	ct_list | rec zone_conntrack_L
	ct_list --zone 1 | rec zone_conntrack_L_zone1
	ct_list --zone 2 -p udp | rec zone_conntrack_L_zone2_udp
	ct_list --mark 33 | rec zone_conntrack_L_mark33
}

# zone_fw A B ZONE: the seed's firewall in conntrack zone ZONE; connections
# are committed with mark 16*ZONE+1, which the answers must carry
zone_fw() {
	local a=$1 b=$2 z=$3 m=$((16 * $3 + 1))
	tc_ filter add dev "$a" ingress prio 1 chain 0 proto ip flower ct_state -trk action ct zone "$z" pipe action goto chain 2
	tc_ filter add dev "$a" ingress prio 1 chain 2 proto ip flower ct_state +trk+new ct_zone "$z" action ct zone "$z" commit mark "$m" pipe action mirred egress redirect dev "$b"
	tc_ filter add dev "$a" ingress prio 1 chain 2 proto ip flower ct_state +trk+est ct_zone "$z" action mirred egress redirect dev "$b"
	tc_ filter add dev "$b" ingress prio 1 chain 0 proto ip flower ct_state -trk action ct zone "$z" pipe action goto chain 2
	tc_ filter add dev "$b" ingress prio 1 chain 2 proto ip flower ct_state +trk+est ct_zone "$z" ct_mark "$m" action mirred egress redirect dev "$a"
}

# ---- 6. invalid TCP ------------------------------------------------------
s_invalid() {
	tc_ qdisc add dev "$R0" ingress
	tc_ qdisc add dev "$R1" ingress
	arp_fwd "$R0" "$R1"
	seed_fw "$R0" "$R1"
	tc_ filter add dev "$R0" ingress prio 2 chain 2 proto ip flower ct_state +trk+inv action drop
	nsx "$H0" ping -c 1 -W 1 10.0.0.2 >/dev/null	# ARP
	sysctl_w net.netfilter.nf_conntrack_tcp_loose=0
	raw_tcp "$H0" 10.0.0.1 10.0.0.2 40031 8080 1000 2000 0x10
	sleep 0.2
	echo "inv drops: $(drops "$R0" 2 2 1 ip)" | rec inv_bare_ack_loose0
	ct_list -p tcp | rec inv_conntrack_L_loose0
	sysctl_w net.netfilter.nf_conntrack_tcp_loose=1
	raw_tcp "$H0" 10.0.0.1 10.0.0.2 40032 8080 1000 2000 0x10
	sleep 0.2
	echo "inv drops: $(drops "$R0" 2 2 1 ip) new: $(pkts "$R0" 2 1 1 ip)" | rec inv_bare_ack_loose1
	ct_list -p tcp | rec inv_conntrack_L_loose1
	# SYN+FIN is never valid
	raw_tcp "$H0" 10.0.0.1 10.0.0.2 40033 8080 1000 0 0x03
	sleep 0.2
	echo "inv drops: $(drops "$R0" 2 2 1 ip)" | rec inv_syn_fin
	# an ACK far beyond the window of a connection still in its handshake
	# (h0 speaks for 10.0.0.50, whose SYN-ACK h1 sends to h0's MAC, where
	# it is dropped: the connection stays in SYN_RECV)
	nsx "$H1" ip neigh replace 10.0.0.50 lladdr "$MAC0" dev "$D1"
	oow_ack "$H0" "$D0" "$H1" 10.0.0.50 10.0.0.2 40034 8082 | rec inv_out_of_window_ack
	echo "inv drops: $(drops "$R0" 2 2 1 ip)" | rec inv_out_of_window_drops
	ct_list -p tcp | rec inv_conntrack_L_syn_recv
	# an established connection, once in act_ct's flow table, is tracked
	# liberally (and its packets skip conntrack): a far-off ACK passes as +est
	oow_est_ack "$H0" "$D0" "$H1" 10.0.0.1 10.0.0.2 40035 8083 | rec inv_oow_offloaded_ack
	echo "inv drops: $(drops "$R0" 2 2 1 ip)" | rec inv_oow_offloaded_drops
}

# capture_synack NS DEV PORT: start capturing the handshake of PORT in NS
capture_synack() {
	local i
	rm -f "$OUT/cap" "$OUT/cap.err"	# (not a previous capture's)
	nsx "$1" timeout 8 tcpdump -S -nn -l -i "$2" -c 2 "tcp port $3" >"$OUT/cap" 2>"$OUT/cap.err" &
	cap_pid=$!
	for ((i = 0; i < 100; i++)); do grep -q listening "$OUT/cap.err" && break; sleep 0.05; done
}
# synack_seqs: "SEQ ACK" of the SYN-ACK captured (waits for it)
synack_seqs() {
	local i
	for ((i = 0; i < 100; i++)); do grep -q 'Flags \[S\.\]' "$OUT/cap" && break; sleep 0.05; done
	sed -nE 's/.*Flags \[S\.\], seq ([0-9]+), ack ([0-9]+).*/\1 \2/p' "$OUT/cap" | head -1
}

# oow_ack CLI_NS CLI_DEV SRV_NS SRC DST SPORT DPORT: a hand-made SYN from SRC
# (not CLI_NS's own address), then an ACK 1 GiB beyond the window
oow_ack() {
	local cli=$1 dev=$2 srv=$3 src=$4 dst=$5 sport=$6 dport=$7 seq ack spid
	nsx "$srv" timeout 5 socat -u TCP4-LISTEN:"$dport",reuseaddr /dev/null &
	spid=$!
	wait_port "$srv" t "$dport"
	capture_synack "$cli" "$dev" "$sport"
	raw_tcp "$cli" "$src" "$dst" "$sport" "$dport" 1000 0 0x02
	read -r seq ack <<<"$(synack_seqs)"
	if [ "$ack" != 1001 ]; then
		echo "no SYN-ACK seen"
	else
		raw_tcp "$cli" "$src" "$dst" "$sport" "$dport" $((1001 + 0x40000000)) $(((seq + 1) & 0xffffffff)) 0x10
		sleep 0.2
		echo "SYN-ACK acks 1001; sent an ACK with seq 1001+2^30"
	fi
	wait $cap_pid 2>/dev/null
	kill $spid 2>/dev/null; wait $spid 2>/dev/null
}

# oow_est_ack CLI_NS CLI_DEV SRV_NS SRC DST SPORT DPORT: a real connection,
# then an ACK 1 GiB beyond its window
oow_est_ack() {
	local cli=$1 dev=$2 srv=$3 src=$4 dst=$5 sport=$6 dport=$7 seq ack spid cpid
	nsx "$srv" timeout 8 socat -u TCP4-LISTEN:"$dport",reuseaddr /dev/null &
	spid=$!
	wait_port "$srv" t "$dport"
	capture_synack "$cli" "$dev" "$sport"
	sleep 2 | nsx "$cli" timeout 8 socat -u - TCP4:"$dst":"$dport",sourceport="$sport" &
	cpid=$!
	read -r seq ack <<<"$(synack_seqs)"
	if [ -z "$ack" ]; then
		echo "no SYN-ACK seen"
	else
		sleep 0.3
		raw_tcp "$cli" "$src" "$dst" "$sport" "$dport" $(((ack + 0x40000000) & 0xffffffff)) $(((seq + 1) & 0xffffffff)) 0x10
		sleep 0.2
		echo "sent an ACK with seq 2^30 beyond the client's"
	fi
	wait $cap_pid 2>/dev/null
	kill $cpid $spid 2>/dev/null; wait $cpid $spid 2>/dev/null
}

# ---- 6b. malformed packets are +trk+inv, odd but valid ones are tracked --
s_malformed() {
	local a b
	tc_ qdisc add dev "$R0" ingress
	tc_ qdisc add dev "$R1" ingress
	arp_fwd "$R0" "$R1"
	for a in "$R0" "$R1"; do
		b=$R1; [ "$a" = "$R1" ] && b=$R0
		tc_ filter add dev "$a" ingress prio 3 proto ipv6 flower ip_proto icmpv6 type 135 action mirred egress redirect dev "$b"
		tc_ filter add dev "$a" ingress prio 3 proto ipv6 flower ip_proto icmpv6 type 136 action mirred egress redirect dev "$b"
	done
	seed_fw "$R0" "$R1"
	seed_fw "$R0" "$R1" ipv6 4
	tc_ filter add dev "$R0" ingress prio 2 chain 2 proto ip flower ct_state +trk+inv action drop
	# (not the hosts' own multicast listener reports and router solicitations)
	tc_ filter add dev "$R0" ingress prio 5 chain 2 proto ipv6 flower src_ip fd00::1 ct_state +trk+inv action drop
	nsx "$H0" ping -c 1 -W 1 10.0.0.2 >/dev/null	# ARP
	nsx "$H0" ping -6 -c 1 -W 1 fd00::2 >/dev/null	# ND
	ct_ -F 2>/dev/null
	mal() {	# mal NAME 4|6 PROTO HEX: send, then say what the drop rule saw
		local v=$2
		raw_send "$H0" "$v" "$([ "$v" = 4 ] && echo 10.0.0.1 || echo fd00::1)" \
			"$([ "$v" = 4 ] && echo 10.0.0.2 || echo fd00::2)" "$3" "$4"
		sleep 0.2
		if [ "$v" = 4 ]; then
			echo "$1: inv drops $(drops "$R0" 2 2 1 ip), new $(pkts "$R0" 2 1 1 ip)"
		else
			echo "$1: inv drops $(drops "$R0" 2 5 1 ipv6), new $(pkts "$R0" 2 4 1 ipv6)"
		fi
	}
	{
	mal "UDP, bad checksum" 4 17 "$(udp_hex 4 10.0.0.1 10.0.0.2 40071 9000 61626364 1234)"
	mal "UDP, no checksum" 4 17 "$(udp_hex 4 10.0.0.1 10.0.0.2 40072 9000 61626364 0000)"
	mal "UDP, length beyond the packet" 4 17 "$(udp_hex 4 10.0.0.1 10.0.0.2 40073 9000 61626364 0000 40)"
	mal "ICMP echo request, bad checksum" 4 1 "$(icmp_hex 8 0 424200016162 1234)"
	mal "ICMP echo reply, no request" 4 1 "$(icmp_hex 0 0 434300016162)"
	mal "ICMP timestamp request" 4 1 "$(icmp_hex 13 0 44440001000000000000000000000000)"
	# port unreachable about a datagram h1 never sent (10.0.0.2:9999 -> 10.0.0.1:40075)
	local inner
	inner=4500001c000040004011$(csum "4500001c0000400040110000$(ip4hex 10.0.0.2)$(ip4hex 10.0.0.1)")
	inner+=$(ip4hex 10.0.0.2)$(ip4hex 10.0.0.1)$(printf '%04x%04x' 9999 40075)00080000
	mal "ICMP port unreachable, no connection" 4 1 "$(icmp_hex 3 3 00000000"$inner")"
	mal "UDP/IPv6, no checksum" 6 17 "$(udp_hex 6 fd00::1 fd00::2 40076 9000 61626364 0000)"
	mal "UDP/IPv6, right checksum" 6 17 "$(udp_hex 6 fd00::1 fd00::2 40077 9000 61626364)"
	mal "ICMPv6 echo reply, no request" 6 58 8100000045450001
	} | rec mal_verdicts
	ct_list -f ipv4 | rec mal_conntrack_L_ipv4
	ct_list -f ipv6 | rec mal_conntrack_L_ipv6
}

# ---- act_ct's other options: mark and label (with masks), clear; the rpl
# bit of ct_state, ct_mark and ct_label matches ---------------------------
s_actions() {
	tc_ qdisc add dev "$R0" ingress
	tc_ qdisc add dev "$R1" ingress
	arp_fwd "$R0" "$R1"
	# every packet of h0's is committed: the mark and label are (re)applied
	tc_ filter add dev "$R0" ingress prio 1 chain 0 proto ip flower ct_state -trk \
		action ct commit mark 0x5/0xf label 00000000000000000000000000001234/0000000000000000000000000000ffff pipe action goto chain 1
	tc_ filter add dev "$R0" ingress prio 1 chain 1 proto ip flower ct_state +trk+est-rpl \
		ct_mark 0x5/0xf ct_label 00000000000000000000000000001234/0000000000000000000000000000ffff action mirred egress redirect dev "$R1"
	tc_ filter add dev "$R0" ingress prio 2 chain 1 proto ip flower ct_state +trk+new-rpl \
		action mirred egress redirect dev "$R1"
	# answers: tracked, cleared, tracked again
	tc_ filter add dev "$R1" ingress prio 1 chain 0 proto ip flower ct_state -trk \
		action ct pipe action ct clear pipe action goto chain 1
	tc_ filter add dev "$R1" ingress prio 1 chain 1 proto ip flower ct_state -trk \
		action ct pipe action goto chain 2
	tc_ filter add dev "$R1" ingress prio 1 chain 2 proto ip flower ct_state +trk+est+rpl \
		ct_mark 5 ct_label 00000000000000000000000000001234/0000000000000000000000000000ffff action mirred egress redirect dev "$R0"
	ping_sum "$H0" -c 3 -i 0.2 -W 1 10.0.0.2 | rec act_ping
	udp_rr "$H1" "$H0" 4 10.0.0.2 9000 40081 | rec act_udp
	{
	echo "h0 +est-rpl with mark and label: $(pkts "$R0" 1 1 1 ip)"
	echo "h0 +new-rpl: $(pkts "$R0" 1 2 1 ip)"
	echo "h1 -trk after ct clear: $(pkts "$R1" 1 1 1 ip)"
	echo "h1 +est+rpl with mark and label: $(pkts "$R1" 2 1 1 ip)"
	} | rec act_counters
	ct_list | rec act_conntrack_L
	ct_list --mark 5/0xf -p udp | rec act_conntrack_L_mark
}

# ---- 7. timeouts, with the clock driven where it can be -----------------
s_timeouts() {
	tc_ qdisc add dev "$R0" ingress
	tc_ qdisc add dev "$R1" ingress
	arp_fwd "$R0" "$R1"
	seed_fw "$R0" "$R1"
	nsx "$H0" ping -c 1 -W 1 10.0.0.2 >/dev/null	# ARP, and an ICMP flow
	clock_virtual
	udp_send "$H0" 10.0.0.2 9997 40041
	sleep 0.2
	ct_list | rec to_start
	clock_advance 29
	ct_list | rec to_after_29s
	clock_advance 2
	ct_list | rec to_after_31s
}

# ---- 8. IPv6 --------------------------------------------------------------
s_ipv6() {
	local a b
	tc_ qdisc add dev "$R0" ingress
	tc_ qdisc add dev "$R1" ingress
	# neighbour solicitations and advertisements are switched untracked
	for a in "$R0" "$R1"; do
		b=$R1; [ "$a" = "$R1" ] && b=$R0
		tc_ filter add dev "$a" ingress prio 2 proto ipv6 flower ip_proto icmpv6 type 135 action mirred egress redirect dev "$b"
		tc_ filter add dev "$a" ingress prio 2 proto ipv6 flower ip_proto icmpv6 type 136 action mirred egress redirect dev "$b"
	done
	seed_fw "$R0" "$R1" ipv6 3
	tc_ filter add dev "$R1" ingress prio 4 chain 2 proto ipv6 flower ct_state +trk+rel action mirred egress redirect dev "$R0"
	ping_sum "$H0" -6 -c 3 -i 0.2 -W 1 fd00::2 | rec v6_ping
	tcp_xfer "$H1" "$H0" 6 fd00::2 8080 40051 300000 | rec v6_tcp_h0_to_h1
	tcp_connect "$H0" "$H1" 6 fd00::1 8081 40052 | rec v6_tcp_h1_to_h0
	udp_rr "$H1" "$H0" 6 fd00::2 9000 40053 | rec v6_udp
	udp_big "$H1" "$H0" 6 fd00::2 9001 40054 4000 | rec v6_udp_fragments
	udp_refused "$H0" fd00::2 9999 40055 6 | rec v6_icmp6_unreach
	echo "rel: $(pkts "$R1" 2 4 1 ipv6)" | rec v6_rel_pkts
	sleep 0.3
	ct_list -f ipv6 | rec v6_conntrack_L
	ct_list -f ipv6 -p icmpv6 | rec v6_conntrack_L_icmpv6
	ct_list | rec v6_conntrack_L_default_family
	echo "new: $(pkts "$R0" 2 3 1 ipv6)" | rec v6_r0_new_pkts
}
