/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The flow key: what a packet looks like to a classifier.
 *
 * The member structs carry the kernel's flow_dissector_key_* names and
 * layout.  struct fl_flow_key is flower's key (cls_flower.c in the kernel
 * keeps it private); here the packet parser fills it directly, once per
 * packet, and flower, the eswitch model and conntrack all read it.  A mask
 * is a struct fl_flow_key too: a filter matches when
 * (packet_key & mask) == filter_key over the mask's byte range.
 */
#ifndef _NET_FLOW_DISSECTOR_H
#define _NET_FLOW_DISSECTOR_H

#include <linux/compiler.h>
#include <netinet/in.h>

#ifndef ETH_ALEN
#define ETH_ALEN 6
#endif

struct sk_buff;

#define FLOW_DIS_IS_FRAGMENT	BIT(0)
#define FLOW_DIS_FIRST_FRAG	BIT(1)
#define FLOW_DIS_ENCAPSULATION	BIT(2)

struct flow_dissector_key_control {
	u16 thoff;
	u16 addr_type;		/* FLOW_DISSECTOR_KEY_IPV4_ADDRS / _IPV6_ADDRS */
	u32 flags;		/* FLOW_DIS_* */
};

struct flow_dissector_key_basic {
	__be16 n_proto;		/* ethertype after all VLAN tags */
	u8 ip_proto;
	u8 padding;
};

struct flow_dissector_key_eth_addrs {
	unsigned char dst[ETH_ALEN];
	unsigned char src[ETH_ALEN];
};

struct flow_dissector_key_vlan {
	union {
		struct {
			u16 vlan_id:12,
			    vlan_dei:1,
			    vlan_priority:3;
		};
		__be16 vlan_tci;
	};
	__be16 vlan_tpid;
	__be16 vlan_eth_type;	/* the ethertype that follows this tag */
	u16 padding;
};

struct flow_dissector_key_ipv4_addrs {
	__be32 src;
	__be32 dst;
};

struct flow_dissector_key_ipv6_addrs {
	struct in6_addr src;
	struct in6_addr dst;
};

struct flow_dissector_key_ports {
	union {
		__be32 ports;
		struct {
			__be16 src;
			__be16 dst;
		};
	};
};

struct flow_dissector_key_ports_range {
	union {
		struct flow_dissector_key_ports tp;
		struct {
			struct flow_dissector_key_ports tp_min;
			struct flow_dissector_key_ports tp_max;
		};
	};
};

struct flow_dissector_key_icmp {
	struct {
		u8 type;
		u8 code;
	};
	u16 id;
};

struct flow_dissector_key_arp {
	__be32 sip;
	__be32 tip;
	u8 op;
	unsigned char sha[ETH_ALEN];
	unsigned char tha[ETH_ALEN];
};

struct flow_dissector_key_keyid {
	__be32 keyid;
};

struct flow_dissector_key_tcp {
	__be16 flags;
};

struct flow_dissector_key_ip {
	u8 tos;
	u8 ttl;
};

struct flow_dissector_key_meta {
	int ingress_ifindex;
	u16 ingress_iftype;
};

struct flow_dissector_key_ct {
	u16 ct_state;
	u16 ct_zone;
	u32 ct_mark;
	u32 ct_labels[4];
};

enum flow_dissector_key_id {
	FLOW_DISSECTOR_KEY_CONTROL,
	FLOW_DISSECTOR_KEY_BASIC,
	FLOW_DISSECTOR_KEY_IPV4_ADDRS,
	FLOW_DISSECTOR_KEY_IPV6_ADDRS,
	FLOW_DISSECTOR_KEY_PORTS,
	FLOW_DISSECTOR_KEY_PORTS_RANGE,
	FLOW_DISSECTOR_KEY_ICMP,
	FLOW_DISSECTOR_KEY_ETH_ADDRS,
	FLOW_DISSECTOR_KEY_TIPC,
	FLOW_DISSECTOR_KEY_ARP,
	FLOW_DISSECTOR_KEY_VLAN,
	FLOW_DISSECTOR_KEY_FLOW_LABEL,
	FLOW_DISSECTOR_KEY_GRE_KEYID,
	FLOW_DISSECTOR_KEY_MPLS_ENTROPY,
	FLOW_DISSECTOR_KEY_ENC_KEYID,
	FLOW_DISSECTOR_KEY_ENC_IPV4_ADDRS,
	FLOW_DISSECTOR_KEY_ENC_IPV6_ADDRS,
	FLOW_DISSECTOR_KEY_ENC_CONTROL,
	FLOW_DISSECTOR_KEY_ENC_PORTS,
	FLOW_DISSECTOR_KEY_MPLS,
	FLOW_DISSECTOR_KEY_TCP,
	FLOW_DISSECTOR_KEY_IP,
	FLOW_DISSECTOR_KEY_CVLAN,
	FLOW_DISSECTOR_KEY_ENC_IP,
	FLOW_DISSECTOR_KEY_ENC_OPTS,
	FLOW_DISSECTOR_KEY_META,
	FLOW_DISSECTOR_KEY_CT,
	FLOW_DISSECTOR_KEY_HASH,
	FLOW_DISSECTOR_KEY_MAX,
};

/*
 * Which keys of a struct fl_flow_key a rule uses (BIT_ULL() of
 * FLOW_DISSECTOR_KEY_*).  The kernel's dissector also holds each key's
 * offset in the caller's key struct; here every key lives at a fixed place
 * in struct fl_flow_key, so the bitmap is all there is.
 */
struct flow_dissector {
	unsigned long long used_keys;
};

static inline bool dissector_uses_key(const struct flow_dissector *flow_dissector,
				      enum flow_dissector_key_id key_id)
{
	return flow_dissector->used_keys & (1ULL << key_id);
}

struct fl_flow_key {
	struct flow_dissector_key_meta meta;
	struct flow_dissector_key_control control;
	struct flow_dissector_key_control enc_control;
	struct flow_dissector_key_basic basic;
	/*
	 * Next to basic, not last as in the kernel: a mask's hash and compare
	 * cover its first to last set byte, and ct rules (ct_state + protocol)
	 * are the hot ones of the CT offload rule sets.
	 */
	struct flow_dissector_key_ct ct;
	struct flow_dissector_key_eth_addrs eth;
	struct flow_dissector_key_vlan vlan;
	struct flow_dissector_key_vlan cvlan;
	union {
		struct flow_dissector_key_ipv4_addrs ipv4;
		struct flow_dissector_key_ipv6_addrs ipv6;
	};
	struct flow_dissector_key_ports tp;
	struct flow_dissector_key_icmp icmp;
	struct flow_dissector_key_arp arp;
	struct flow_dissector_key_keyid enc_key_id;
	union {
		struct flow_dissector_key_ipv4_addrs enc_ipv4;
		struct flow_dissector_key_ipv6_addrs enc_ipv6;
	};
	struct flow_dissector_key_ports enc_tp;
	struct flow_dissector_key_tcp tcp;
	struct flow_dissector_key_ip ip;
	struct flow_dissector_key_ip enc_ip;
	struct flow_dissector_key_ports_range tp_range;
} __aligned(sizeof(long));

/*
 * Parse the frame at skb->data (Ethernet, up to two VLAN tags, ARP, IPv4
 * with options and fragments, IPv6 with extension headers and fragments,
 * TCP, UDP, ICMP, ICMPv6) into key, and set skb->protocol and the
 * network/transport header offsets.  Fields of layers that are absent stay
 * zero.  Returns 0, or -EINVAL for a malformed or truncated frame: the
 * caller counts and drops it.  Never reads past skb->data + skb->len.
 * Only the packet's own fields are filled: meta, ct and enc_* come from the
 * skb's metadata and are the caller's job.
 */
int skb_flow_dissect_fl(struct sk_buff *skb, struct fl_flow_key *key);

/* the skb's conntrack state as flower's ct_state/zone/mark/labels keys */
void skb_flow_dissect_ct(const struct sk_buff *skb, struct flow_dissector_key_ct *key);

/* the skb's tunnel metadata (skb->tun_dst) as the enc_* keys; zero without */
void skb_flow_dissect_tunnel_info(const struct sk_buff *skb, struct fl_flow_key *key);

#endif
