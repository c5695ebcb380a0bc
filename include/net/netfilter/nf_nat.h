/* SPDX-License-Identifier: GPL-2.0 */
/*
 * NAT (net/netfilter/nf_nat_core.c: mappings; nf_nat_proto.c: rewriting
 * packets).  A mapping is decided once, for an unconfirmed connection, by
 * changing its reply tuple (nf_conntrack_alter_reply()): SNAT rewrites the
 * source, DNAT the destination, and the reply direction undoes it.  After
 * that every packet is rewritten from the tuples alone.
 */
#ifndef _NF_NAT_H
#define _NF_NAT_H

/* glibc's <netinet/in.h> (through nf_conntrack.h) must come before <linux/in.h> */
#include <net/netfilter/nf_conntrack.h>
#include <linux/netfilter/nf_nat.h>

enum nf_nat_manip_type {
	NF_NAT_MANIP_SRC,
	NF_NAT_MANIP_DST,
};

static inline bool nf_nat_initialized(const struct nf_conn *ct,
				      enum nf_nat_manip_type manip)
{
	if (manip == NF_NAT_MANIP_SRC)
		return test_bit(IPS_SRC_NAT_DONE_BIT, &ct->status);
	return test_bit(IPS_DST_NAT_DONE_BIT, &ct->status);
}

/*
 * Choose a mapping in range for an unconfirmed connection (the kernel's
 * get_unique_tuple(): keep the tuple if it is in range and unused, else
 * pick an address by hash and a port that no connection in the zone uses
 * yet), alter its reply tuple, set IPS_{SRC,DST}_NAT and _DONE.
 * Returns NF_ACCEPT, or NF_DROP when the range is exhausted (or the
 * connection is confirmed or already has this manip type).
 */
unsigned int nf_nat_setup_info(struct nf_conn *ct, const struct nf_nat_range2 *range,
			       enum nf_nat_manip_type maniptype);
/*
 * "no NAT" for this manip type: marks it done with the identity mapping
 * (the current address; a source port clashing with another connection
 * still moves, as in the kernel)
 */
unsigned int nf_nat_alloc_null_binding(struct nf_conn *ct, enum nf_nat_manip_type maniptype);

/*
 * Rewrite skb (network header at skb_network_header()) for its direction
 * if the connection has a mapping of that type: addresses, ports (ICMP
 * echo id), and every checksum (IPv4 header, TCP, UDP unless zero: no
 * checksum, as the kernel also for IPv6; ICMP, ICMPv6 pseudo-header).  A
 * fragment other than the first gets its address only.  NF_ACCEPT or
 * NF_DROP (truncated packet).
 */
unsigned int nf_nat_packet(struct nf_conn *ct, enum ip_conntrack_info ctinfo,
			   enum nf_nat_manip_type mtype, struct sk_buff *skb);
/*
 * Rewrite skb's src (SRC) or dst (DST) part unconditionally, for a packet
 * in direction dir: the target is the other direction's tuple, inverted.
 */
unsigned int nf_nat_manip_pkt(struct sk_buff *skb, struct nf_conn *ct,
			      enum nf_nat_manip_type mtype, enum ip_conntrack_dir dir);
/*
 * An ICMP error related to a NATed connection: rewrite the quoted packet
 * (addresses, ports, its IP header checksum) and the outer header, and fix
 * the ICMP checksum.  Returns 1 when done (or nothing to do), 0 to drop:
 * a bad ICMP checksum, a truncated error, a redirect on a NATed
 * connection.  As act_ct, call it only for an IP_CT_RELATED(_REPLY)
 * packet whose L4 protocol is ICMP (IPv4) or ICMPv6 (after any extension
 * headers: ipv6_skip_exthdr()); anything else returns 0.
 */
int nf_nat_icmp_reply_translation(struct sk_buff *skb, struct nf_conn *ct,
				  enum ip_conntrack_info ctinfo, enum nf_nat_manip_type mtype);
int nf_nat_icmpv6_reply_translation(struct sk_buff *skb, struct nf_conn *ct,
				    enum ip_conntrack_info ctinfo, enum nf_nat_manip_type mtype);

#endif
