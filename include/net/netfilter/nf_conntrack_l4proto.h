/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Protocol trackers (net/netfilter/nf_conntrack_proto_*.c).
 *
 * Every tracker is called by nf_conntrack_in() with the connection found
 * (or created unconfirmed for this packet), the packet's ctinfo and dataoff,
 * the offset of the L4 header from skb->data; the L4 header is complete
 * (nf_conntrack_in() checked the length).  A tracker updates the
 * connection's protocol state and timeout (nf_ct_refresh_acct()) and
 * returns NF_ACCEPT, -NF_ACCEPT for a packet it finds invalid (the packet
 * goes on untracked: +trk+inv), or NF_DROP.  On an unconfirmed connection
 * it first decides whether this packet may start one (TCP: a SYN, or any
 * packet with nf_conntrack_tcp_loose) and returns -NF_ACCEPT if not.
 *
 * The *_error() hooks run before the lookup and validate the header and,
 * with nf_conntrack_checksum, the checksum; they return NF_ACCEPT, or
 * -NF_ACCEPT for an invalid packet.
 */
#ifndef _NF_CONNTRACK_L4PROTO_H
#define _NF_CONNTRACK_L4PROTO_H

#include <net/netfilter/nf_conntrack.h>

/* IPPROTO_TCP */
int nf_conntrack_tcp_packet(struct nf_conn *ct, struct sk_buff *skb,
			    unsigned int dataoff, enum ip_conntrack_info ctinfo);
int nf_conntrack_tcp_error(struct sk_buff *skb, unsigned int dataoff, u16 l3num);
/* the timeout of the connection's current state, in ms (conntrack -L, flowtable teardown) */
u64 nf_conntrack_tcp_state_timeout(u8 state);
/* state names as conntrack -L prints them ("ESTABLISHED", ...) */
extern const char *const tcp_conntrack_names[TCP_CONNTRACK_MAX];

/* IPPROTO_UDP */
int nf_conntrack_udp_packet(struct nf_conn *ct, struct sk_buff *skb,
			    unsigned int dataoff, enum ip_conntrack_info ctinfo);
int nf_conntrack_udp_error(struct sk_buff *skb, unsigned int dataoff, u16 l3num);

/* IPPROTO_ICMP / IPPROTO_ICMPV6: echo and friends as connections */
int nf_conntrack_icmp_packet(struct nf_conn *ct, struct sk_buff *skb,
			     unsigned int dataoff, enum ip_conntrack_info ctinfo);
int nf_conntrack_icmpv6_packet(struct nf_conn *ct, struct sk_buff *skb,
			       unsigned int dataoff, enum ip_conntrack_info ctinfo);
/*
 * An ICMP/ICMPv6 error quoting a packet of a tracked connection: attach
 * that connection to skb as IP_CT_RELATED(_REPLY).  Returns NF_ACCEPT when
 * it did (or the packet is not an error), -NF_ACCEPT for an error that
 * relates to nothing or is malformed.  *related says whether it attached.
 */
int nf_conntrack_icmpv4_error(struct sk_buff *skb, unsigned int dataoff, u16 zone,
			      bool *related);
int nf_conntrack_icmpv6_error(struct sk_buff *skb, unsigned int dataoff, u16 zone,
			      bool *related);
bool nf_conntrack_icmp_invert_tuple(struct nf_conntrack_tuple *tuple,
				    const struct nf_conntrack_tuple *orig);
bool nf_conntrack_icmpv6_invert_tuple(struct nf_conntrack_tuple *tuple,
				      const struct nf_conntrack_tuple *orig);

/*
 * The tuple of the packet whose IP header is at nh and L4 header at l4
 * (l4len bytes there); for ICMP errors, the quoted packet.
 */
bool nf_ct_get_tuple_raw(const u8 *nh, const u8 *l4, unsigned int l4len, u16 l3num,
			 u8 protonum, struct nf_conntrack_tuple *tuple);
/*
 * The common part of ICMP and ICMPv6 errors: the quoted packet (IP header
 * at inner, inner_len bytes) must belong to a tracked connection whose
 * address matches the error's outer destination; attach it as related.
 */
int nf_conntrack_inet_error(struct sk_buff *skb, const u8 *inner, unsigned int inner_len,
			    u16 l3num, u16 zone, bool *related);

/* everything else */
int nf_conntrack_generic_packet(struct nf_conn *ct, struct sk_buff *skb,
				unsigned int dataoff, enum ip_conntrack_info ctinfo);

#endif
