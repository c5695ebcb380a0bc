// SPDX-License-Identifier: GPL-2.0
/*
 * Flow dissector: parse one Ethernet frame into flower's struct fl_flow_key.
 *
 * This follows what the kernel's __skb_flow_dissect() produces for
 * cls_flower, restricted to the layers this project handles.  The frame is
 * untrusted input: every read goes through fd_header(), which checks the
 * bytes are inside the frame (or, past an IP header, inside the IP datagram,
 * so Ethernet padding is never parsed as L4).  Headers are read bytewise or
 * with memcpy() because nothing guarantees their alignment.  Loops over
 * VLAN tags and IPv6 extension headers have fixed bounds.
 */
#include <linux/skbuff.h>
#include <linux/pkt_cls.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/flow_dissector.h>
#include <net/dst_metadata.h>

#define ETH_HLEN		14
#define ETH_P_802_3		0x0001	/* raw 802.3 (Novell), see eth_type_trans() */
#define ETH_P_802_2		0x0004	/* 802.3 length field + LLC */
#define ETH_P_802_3_MIN		0x0600	/* below: a length, not an ethertype */
#define ETH_P_IP		0x0800
#define ETH_P_ARP		0x0806
#define ETH_P_RARP		0x8035
#define ETH_P_8021Q		0x8100
#define ETH_P_8021AD		0x88A8
#define ETH_P_IPV6		0x86DD

#define VLAN_HLEN		4
#define VLAN_VID_MASK		0x0fff
#define VLAN_CFI_MASK		0x1000
#define VLAN_PRIO_SHIFT		13

#define ARPHRD_ETHER		1
#define ARP_HLEN		8	/* hrd, pro, hln, pln, op */
#define ARP_ETH_IP_LEN		20	/* sha, sip, tha, tip */

#define IPV4_HLEN		20
#define IP_MF			0x2000
#define IP_OFFSET		0x1fff

#define IPV6_HLEN		40
#define IP6_OFFSET		0xfff8
#define IPV6_FRAG_HLEN		8

#define TCP_HLEN		20
#define UDP_HLEN		8
#define SCTP_HLEN		12
#define ICMP_HLEN		8	/* ICMP and ICMPv6: type, code, csum, 4 more */

#define ICMP_ECHOREPLY		0
#define ICMP_ECHO		8
#define ICMP_TIMESTAMP		13
#define ICMP_TIMESTAMPREPLY	14
#define ICMPV6_ECHO_REQUEST	128
#define ICMPV6_ECHO_REPLY	129

/*
 * Deeper nesting than this is not traffic we expect, only a way to make the
 * parser loop: refuse it instead of classifying a half-parsed key.
 */
#define FD_MAX_VLAN_TAGS	8
#define FD_MAX_IPV6_EXTHDRS	8

/*
 * len bytes at off, or NULL unless all of them lie in [0, end).  Written as
 * two comparisons so that off + len cannot wrap.
 */
static const u8 *fd_header(const u8 *data, unsigned int end,
			   unsigned int off, unsigned int len)
{
	if (off > end || len > end - off)
		return NULL;
	return data + off;
}

static __be16 fd_get_be16(const u8 *p)
{
	__be16 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/*
 * A type field below 0x600 is an 802.3 length: report it as the kernel's
 * eth_type_trans() would, so it is never mistaken for a real protocol.
 */
static __be16 fd_eth_type(const u8 *data, unsigned int len,
			  unsigned int off, __be16 type)
{
	const u8 *llc;

	if (ntohs(type) >= ETH_P_802_3_MIN)
		return type;
	llc = fd_header(data, len, off, 2);
	if (llc && llc[0] == 0xff && llc[1] == 0xff)
		return htons(ETH_P_802_3);
	return htons(ETH_P_802_2);
}

static void fd_set_vlan(struct flow_dissector_key_vlan *kv, const u8 *tag,
			__be16 tpid, __be16 next)
{
	u16 tci = ntohs(fd_get_be16(tag));

	kv->vlan_id = tci & VLAN_VID_MASK;
	kv->vlan_dei = !!(tci & VLAN_CFI_MASK);
	kv->vlan_priority = tci >> VLAN_PRIO_SHIFT;
	kv->vlan_tpid = tpid;
	kv->vlan_eth_type = next;
}

/*
 * Skip the VLAN tags at *nhoff.  The outer one goes to key->vlan, the next
 * to key->cvlan; further tags are skipped (as the kernel does) up to a bound.
 */
static int fd_vlan(const u8 *data, unsigned int len, unsigned int *nhoff,
		   __be16 *proto, struct fl_flow_key *key)
{
	unsigned int ntags = 0;

	while (*proto == htons(ETH_P_8021Q) || *proto == htons(ETH_P_8021AD)) {
		const u8 *tag = fd_header(data, len, *nhoff, VLAN_HLEN);
		__be16 next;

		if (!tag || ++ntags > FD_MAX_VLAN_TAGS)
			return -EINVAL;
		next = fd_eth_type(data, len, *nhoff + VLAN_HLEN,
				   fd_get_be16(tag + 2));
		if (ntags == 1)
			fd_set_vlan(&key->vlan, tag, *proto, next);
		else if (ntags == 2)
			fd_set_vlan(&key->cvlan, tag, *proto, next);
		*proto = next;
		*nhoff += VLAN_HLEN;
	}
	return 0;
}

/*
 * ARP and RARP for IPv4 over Ethernet.  Other hardware or protocol types are
 * valid ARP we just do not describe: the key keeps only n_proto.
 */
static int fd_arp(const u8 *data, unsigned int len, unsigned int nhoff,
		  struct fl_flow_key *key)
{
	const u8 *arp = fd_header(data, len, nhoff, ARP_HLEN);
	const u8 *addrs;

	if (!arp)
		return -EINVAL;
	if (fd_get_be16(arp) != htons(ARPHRD_ETHER) ||
	    fd_get_be16(arp + 2) != htons(ETH_P_IP) ||
	    arp[4] != ETH_ALEN || arp[5] != 4)
		return 0;
	addrs = fd_header(data, len, nhoff + ARP_HLEN, ARP_ETH_IP_LEN);
	if (!addrs)
		return -EINVAL;
	/* the key has room for one byte of the opcode; the kernel keeps the low */
	key->arp.op = arp[7];
	memcpy(key->arp.sha, addrs, ETH_ALEN);
	memcpy(&key->arp.sip, addrs + 6, 4);
	memcpy(key->arp.tha, addrs + 10, ETH_ALEN);
	memcpy(&key->arp.tip, addrs + 16, 4);
	return 0;
}

static bool fd_icmp_has_id(u8 ip_proto, u8 type)
{
	if (ip_proto == IPPROTO_ICMP)
		return type == ICMP_ECHO || type == ICMP_ECHOREPLY ||
		       type == ICMP_TIMESTAMP || type == ICMP_TIMESTAMPREPLY;
	return type == ICMPV6_ECHO_REQUEST || type == ICMPV6_ECHO_REPLY;
}

static int fd_icmp(const u8 *data, unsigned int end, unsigned int thoff,
		   u8 ip_proto, struct fl_flow_key *key)
{
	const u8 *ih = fd_header(data, end, thoff, ICMP_HLEN);

	if (!ih)
		return -EINVAL;
	key->icmp.type = ih[0];
	key->icmp.code = ih[1];
	/*
	 * Host order, and 0 means "no id field" as in the kernel's
	 * skb_flow_get_icmp_tci(), so a real id of 0 is reported as 1.
	 */
	if (fd_icmp_has_id(ip_proto, ih[0])) {
		u16 id = ntohs(fd_get_be16(ih + 4));

		key->icmp.id = id ? id : 1;
	}
	return 0;
}

static int fd_tcp(const u8 *data, unsigned int end, unsigned int thoff,
		  struct fl_flow_key *key)
{
	const u8 *th = fd_header(data, end, thoff, TCP_HLEN);
	unsigned int doff;

	if (!th)
		return -EINVAL;
	doff = (th[12] >> 4) * 4;
	if (doff < TCP_HLEN || !fd_header(data, end, thoff, doff))
		return -EINVAL;
	memcpy(&key->tp.ports, th, 4);
	/*
	 * The 12 bits below the data offset: 3 reserved, NS, CWR ... FIN, as
	 * tcp_flag_word(th) & TCP_FLAG_MASK, kept as a __be16.
	 */
	key->tcp.flags = htons(((th[12] & 0x0f) << 8) | th[13]);
	return 0;
}

/* the L4 header at thoff; end is the end of the IP datagram */
static int fd_l4(const u8 *data, unsigned int end, unsigned int thoff,
		 u8 ip_proto, struct fl_flow_key *key)
{
	const u8 *ports;

	switch (ip_proto) {
	case IPPROTO_TCP:
		return fd_tcp(data, end, thoff, key);
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
		ports = fd_header(data, end, thoff, UDP_HLEN);
		break;
	case IPPROTO_SCTP:
		ports = fd_header(data, end, thoff, SCTP_HLEN);
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		return fd_icmp(data, end, thoff, ip_proto, key);
	default:
		return 0;
	}
	if (!ports)
		return -EINVAL;
	memcpy(&key->tp.ports, ports, 4);
	return 0;
}

static int fd_ipv4(const u8 *data, unsigned int len, unsigned int nhoff,
		   unsigned int *thoff, struct fl_flow_key *key)
{
	const u8 *iph = fd_header(data, len, nhoff, IPV4_HLEN);
	unsigned int ihl, tot_len;
	u16 frag;

	if (!iph || iph[0] >> 4 != 4)
		return -EINVAL;
	ihl = (iph[0] & 0x0f) * 4;
	tot_len = ntohs(fd_get_be16(iph + 2));
	/* tot_len < len - nhoff is fine: short frames carry Ethernet padding */
	if (ihl < IPV4_HLEN || tot_len < ihl || tot_len > len - nhoff)
		return -EINVAL;

	key->control.addr_type = FLOW_DISSECTOR_KEY_IPV4_ADDRS;
	memcpy(&key->ipv4.src, iph + 12, 4);
	memcpy(&key->ipv4.dst, iph + 16, 4);
	key->basic.ip_proto = iph[9];
	key->ip.tos = iph[1];
	key->ip.ttl = iph[8];
	*thoff = nhoff + ihl;

	frag = ntohs(fd_get_be16(iph + 6));
	if (frag & (IP_MF | IP_OFFSET)) {
		key->control.flags |= FLOW_DIS_IS_FRAGMENT;
		/* only the first fragment carries the L4 header */
		if (frag & IP_OFFSET)
			return 0;
		key->control.flags |= FLOW_DIS_FIRST_FRAG;
	}
	return fd_l4(data, nhoff + tot_len, *thoff, iph[9], key);
}

/*
 * Walk the extension headers to the upper-layer protocol.  As in the
 * kernel, any fragment header (even an atomic one) marks the packet a
 * fragment, and a non-first fragment stops the walk: what follows its
 * fragment header is payload, not headers.
 */
static int fd_ipv6(const u8 *data, unsigned int len, unsigned int nhoff,
		   unsigned int *thoff, struct fl_flow_key *key)
{
	const u8 *ip6 = fd_header(data, len, nhoff, IPV6_HLEN);
	unsigned int end, off, nexthdrs;
	u8 nexthdr;

	if (!ip6 || ip6[0] >> 4 != 6)
		return -EINVAL;
	end = nhoff + IPV6_HLEN + ntohs(fd_get_be16(ip6 + 4));
	if (end > len)
		return -EINVAL;

	key->control.addr_type = FLOW_DISSECTOR_KEY_IPV6_ADDRS;
	memcpy(&key->ipv6.src, ip6 + 8, sizeof(key->ipv6.src));
	memcpy(&key->ipv6.dst, ip6 + 24, sizeof(key->ipv6.dst));
	key->ip.tos = (ip6[0] & 0x0f) << 4 | ip6[1] >> 4;
	key->ip.ttl = ip6[7];

	nexthdr = ip6[6];
	off = nhoff + IPV6_HLEN;
	for (nexthdrs = 0; ; nexthdrs++) {
		const u8 *eh;
		unsigned int hlen;

		switch (nexthdr) {
		case IPPROTO_HOPOPTS:
		case IPPROTO_ROUTING:
		case IPPROTO_DSTOPTS:
		case IPPROTO_AH:
			eh = fd_header(data, end, off, 2);
			if (!eh)
				return -EINVAL;
			if (nexthdr == IPPROTO_AH)
				hlen = (eh[1] + 2) * 4;
			else
				hlen = (eh[1] + 1) * 8;
			break;
		case IPPROTO_FRAGMENT:
			eh = fd_header(data, end, off, IPV6_FRAG_HLEN);
			if (!eh)
				return -EINVAL;
			hlen = IPV6_FRAG_HLEN;
			key->control.flags |= FLOW_DIS_IS_FRAGMENT;
			if (ntohs(fd_get_be16(eh + 2)) & IP6_OFFSET) {
				key->basic.ip_proto = eh[0];
				*thoff = off + hlen;
				return 0;
			}
			key->control.flags |= FLOW_DIS_FIRST_FRAG;
			break;
		default:
			key->basic.ip_proto = nexthdr;
			*thoff = off;
			return fd_l4(data, end, off, nexthdr, key);
		}
		if (nexthdrs >= FD_MAX_IPV6_EXTHDRS ||
		    !fd_header(data, end, off, hlen))
			return -EINVAL;
		nexthdr = eh[0];
		off += hlen;
	}
}

/*
 * The caller zeroes *key before the call and may pre-fill the fields that
 * do not come from the packet (meta, ct, enc_*): this only writes packet
 * fields, so it must not clear the key itself.
 *
 * skb->protocol is the frame's first type field, the outer TPID of a tagged
 * frame, because tc's per-filter protocol compares against it as against
 * skb_protocol(skb, false) in the kernel; key->basic.n_proto is the type
 * after all tags.  On error the key and the skb header offsets may be
 * partly written: the caller drops the packet.
 */
int skb_flow_dissect_fl(struct sk_buff *skb, struct fl_flow_key *key)
{
	const u8 *data = skb->data;
	unsigned int len = skb->len;
	unsigned int mac = skb->data - skb->head;
	unsigned int nhoff = ETH_HLEN, thoff;
	const u8 *eth;
	__be16 proto;
	int err;

	/* header offsets are u16 from head: a larger frame cannot be described */
	if (mac > UINT16_MAX || len > UINT16_MAX - mac)
		return -EINVAL;
	eth = fd_header(data, len, 0, ETH_HLEN);
	if (!eth)
		return -EINVAL;
	memcpy(key->eth.dst, eth, ETH_ALEN);
	memcpy(key->eth.src, eth + ETH_ALEN, ETH_ALEN);
	proto = fd_eth_type(data, len, ETH_HLEN, fd_get_be16(eth + 12));
	skb->mac_header = mac;
	skb->protocol = proto;

	err = fd_vlan(data, len, &nhoff, &proto, key);
	if (err)
		return err;
	key->basic.n_proto = proto;
	skb->network_header = mac + nhoff;
	/* where parsing stopped, unless an IP header says where L4 starts */
	thoff = nhoff;

	switch (ntohs(proto)) {
	case ETH_P_IP:
		err = fd_ipv4(data, len, nhoff, &thoff, key);
		break;
	case ETH_P_IPV6:
		err = fd_ipv6(data, len, nhoff, &thoff, key);
		break;
	case ETH_P_ARP:
	case ETH_P_RARP:
		err = fd_arp(data, len, nhoff, key);
		break;
	default:
		err = 0;
		break;
	}
	skb->transport_header = mac + thoff;
	key->control.thoff = thoff;
	return err;
}

/*
 * What act_ct left on the skb, as flower's ct_* keys (the kernel's
 * skb_flow_dissect_ct()).  Nothing before any ct action; +trk+inv when a
 * ct action ran but found no connection (an invalid packet).
 */
void skb_flow_dissect_ct(const struct sk_buff *skb, struct flow_dissector_key_ct *key)
{
	static const u16 ctinfo_map[IP_CT_NUMBER] = {
		[IP_CT_ESTABLISHED] = TCA_FLOWER_KEY_CT_FLAGS_TRACKED |
				      TCA_FLOWER_KEY_CT_FLAGS_ESTABLISHED,
		[IP_CT_RELATED] = TCA_FLOWER_KEY_CT_FLAGS_TRACKED |
				  TCA_FLOWER_KEY_CT_FLAGS_RELATED,
		[IP_CT_NEW] = TCA_FLOWER_KEY_CT_FLAGS_TRACKED | TCA_FLOWER_KEY_CT_FLAGS_NEW,
		[IP_CT_ESTABLISHED_REPLY] = TCA_FLOWER_KEY_CT_FLAGS_TRACKED |
					    TCA_FLOWER_KEY_CT_FLAGS_ESTABLISHED |
					    TCA_FLOWER_KEY_CT_FLAGS_REPLY,
		[IP_CT_RELATED_REPLY] = TCA_FLOWER_KEY_CT_FLAGS_TRACKED |
					TCA_FLOWER_KEY_CT_FLAGS_RELATED |
					TCA_FLOWER_KEY_CT_FLAGS_REPLY,
	};
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct = nf_ct_get(skb, &ctinfo);

	memset(key, 0, sizeof(*key));
	if (!ct && !skb->post_ct)
		return;
	if (!ct) {
		key->ct_state = TCA_FLOWER_KEY_CT_FLAGS_TRACKED | TCA_FLOWER_KEY_CT_FLAGS_INVALID;
		key->ct_zone = skb->tc_zone;
		return;
	}
	if (ctinfo < IP_CT_NUMBER)
		key->ct_state = ctinfo_map[ctinfo];
	key->ct_zone = ct->zone;
	key->ct_mark = READ_ONCE(ct->mark);
	memcpy(key->ct_labels, ct->labels, sizeof(key->ct_labels));
}

/*
 * The tunnel a packet came in (rx metadata of a vxlan device) or is to
 * leave by (act_tunnel_key set), as flower's enc_* keys: the kernel's
 * skb_flow_dissect_tunnel_info().  Without metadata the keys are zero,
 * so a packet whose metadata was unset since the last call matches no
 * enc_* rule.
 */
void skb_flow_dissect_tunnel_info(const struct sk_buff *skb, struct fl_flow_key *key)
{
	const struct ip_tunnel_info *info = skb_tunnel_info(skb);

	memset(&key->enc_control, 0, sizeof(key->enc_control));
	memset(&key->enc_key_id, 0, sizeof(key->enc_key_id));
	memset(&key->enc_ipv6, 0, sizeof(key->enc_ipv6));
	memset(&key->enc_tp, 0, sizeof(key->enc_tp));
	memset(&key->enc_ip, 0, sizeof(key->enc_ip));
	if (!info)
		return;
	if (ip_tunnel_info_af(info) == AF_INET) {
		key->enc_control.addr_type = FLOW_DISSECTOR_KEY_IPV4_ADDRS;
		key->enc_ipv4.src = info->key.u.ipv4.src;
		key->enc_ipv4.dst = info->key.u.ipv4.dst;
	} else {
		key->enc_control.addr_type = FLOW_DISSECTOR_KEY_IPV6_ADDRS;
		key->enc_ipv6.src = info->key.u.ipv6.src;
		key->enc_ipv6.dst = info->key.u.ipv6.dst;
	}
	/* the VNI as flower's enc_key_id holds it: a be32 of its value */
	if (info->key.tun_flags & TUNNEL_KEY)
		key->enc_key_id.keyid = tunnel_id_to_key32(info->key.tun_id);
	key->enc_ip.tos = info->key.tos;
	key->enc_ip.ttl = info->key.ttl;
	key->enc_tp.src = info->key.tp_src;
	key->enc_tp.dst = info->key.tp_dst;
}
