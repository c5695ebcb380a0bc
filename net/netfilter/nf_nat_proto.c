// SPDX-License-Identifier: GPL-2.0
/*
 * NAT, the packet side: rewrite a packet so that it matches its
 * connection's mapping (nf_nat_manip_pkt()), and translate the ICMP errors
 * that quote a NATed packet (nf_nat_icmp{,v6}_reply_translation()).  What
 * to write comes from the tuples alone (nf_nat_core.c chose them); this
 * file only knows where the fields sit and how every checksum follows.
 *
 * Checksums are updated incrementally (RFC 1624, include/net/checksum.h):
 * the IPv4 header checksum for an address, the transport checksum for the
 * port and, where the pseudo-header covers it, for the address too.  Only
 * the ICMP error translation sums a whole message again, as the kernel
 * does, because the quoted packet changes in several places.
 *
 * Buffers: the IP packet is pkt[0, len) (skb_network_header(),
 * skb_l3_len()); headers may sit at any alignment, so every field is read
 * and written with memcpy.  The L4 header is found from the IP header:
 * IPv4 ihl, and for IPv6 ipv6_skip_exthdr() (net/ipv6/exthdrs_core.c), the
 * walk conntrack uses too.  A fragment other than the first carries no L4
 * header and gets its address rewritten only.
 */
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <netinet/icmp6.h>
#include <net/checksum.h>
#include <net/ipv6.h>
#include <net/netfilter/nf_nat.h>

#define IPV4_HDR_LEN		20
#define IPV6_HDR_LEN		40
#define ICMP_HDR_LEN		8	/* type, code, checksum, id, sequence */
#define UDP_HDR_LEN		8
#define TCP_HDR_LEN		20
#define DCCP_HDR_LEN		12
#define SCTP_HDR_LEN		12
/* conntrack guarantees the first 8 bytes of any L4 header: the ports */
#define L4_PORTS_LEN		8

#define IPV4_CHECK_OFF		10
#define IPV4_SADDR_OFF		12
#define IPV4_DADDR_OFF		16
#define IPV6_SADDR_OFF		8
#define IPV6_DADDR_OFF		24
#define IPV4_FRAG_OFFSET_MASK	0x1fff

/* ---- fields at any alignment ---- */

static __be16 get_be16(const u8 *p)
{
	__be16 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static void put_be16(u8 *p, __be16 v)
{
	memcpy(p, &v, sizeof(v));
}

static __be32 get_be32(const u8 *p)
{
	__be32 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static void put_be32(u8 *p, __be32 v)
{
	memcpy(p, &v, sizeof(v));
}

/* the checksum helpers work on a __sum16 in place: give them a local copy */
static void check_replace2(u8 *check, __be16 from, __be16 to, bool pseudohdr)
{
	__sum16 sum;

	memcpy(&sum, check, sizeof(sum));
	inet_proto_csum_replace2(&sum, from, to, pseudohdr);
	memcpy(check, &sum, sizeof(sum));
}

static void check_replace4(u8 *check, __be32 from, __be32 to, bool pseudohdr)
{
	__sum16 sum;

	memcpy(&sum, check, sizeof(sum));
	inet_proto_csum_replace4(&sum, from, to, pseudohdr);
	memcpy(check, &sum, sizeof(sum));
}

static void check_replace16(u8 *check, const u8 *from, const struct in6_addr *to)
{
	__be32 old[4], new[4];
	__sum16 sum;

	memcpy(old, from, sizeof(old));
	memcpy(new, to, sizeof(new));
	memcpy(&sum, check, sizeof(sum));
	inet_proto_csum_replace16(&sum, old, new, true);
	memcpy(check, &sum, sizeof(sum));
}

/* ---- what the manipulation writes ---- */

static __be16 target_port(const struct nf_conntrack_tuple *t, enum nf_nat_manip_type mtype)
{
	return mtype == NF_NAT_MANIP_SRC ? t->src.u.all : t->dst.u.all;
}

/* source port first, destination port second, in every protocol with ports */
static unsigned int port_offset(enum nf_nat_manip_type mtype)
{
	return mtype == NF_NAT_MANIP_SRC ? 0 : 2;
}

/*
 * A transport checksum covering the pseudo-header follows the address
 * change.  The IP header at iphdroff still holds the old address: the L4
 * header is rewritten before the L3 one.
 */
static void nf_csum_update(u8 *pkt, unsigned int iphdroff, u8 *check,
			   const struct nf_conntrack_tuple *t, enum nf_nat_manip_type mtype)
{
	const u8 *iph = pkt + iphdroff;

	if (t->src.l3num == NFPROTO_IPV4) {
		unsigned int off = mtype == NF_NAT_MANIP_SRC ? IPV4_SADDR_OFF : IPV4_DADDR_OFF;
		__be32 new = mtype == NF_NAT_MANIP_SRC ? t->src.u3.ip : t->dst.u3.ip;

		check_replace4(check, get_be32(iph + off), new, true);
	} else {
		unsigned int off = mtype == NF_NAT_MANIP_SRC ? IPV6_SADDR_OFF : IPV6_DADDR_OFF;

		check_replace16(check, iph + off, mtype == NF_NAT_MANIP_SRC ?
				&t->src.u3.in6 : &t->dst.u3.in6);
	}
}

/* ---- L4 ---- */

/*
 * TCP and DCCP: the port, then the checksum at check_off, which covers the
 * pseudo-header.  The header quoted by an ICMP error may stop after the
 * ports; then the checksum is not there to fix.
 */
static bool ports_csum_manip_pkt(u8 *pkt, unsigned int len, unsigned int iphdroff,
				 unsigned int hdroff, const struct nf_conntrack_tuple *t,
				 enum nf_nat_manip_type mtype, unsigned int hdrlen,
				 unsigned int check_off)
{
	u8 *hdr = pkt + hdroff;
	__be16 oldport, newport = target_port(t, mtype);

	if (len - hdroff < L4_PORTS_LEN)
		return false;
	oldport = get_be16(hdr + port_offset(mtype));
	put_be16(hdr + port_offset(mtype), newport);
	if (len - hdroff < hdrlen)
		return true;
	nf_csum_update(pkt, iphdroff, hdr + check_off, t, mtype);
	check_replace2(hdr + check_off, oldport, newport, false);
	return true;
}

/*
 * UDP: a zero checksum means "none" and stays zero; a checksum that comes
 * out as zero is sent as all ones (RFC 768).  UDP-Lite always has one.
 */
static bool udp_manip_pkt(u8 *pkt, unsigned int len, unsigned int iphdroff,
			  unsigned int hdroff, const struct nf_conntrack_tuple *t,
			  enum nf_nat_manip_type mtype, bool always_csum)
{
	u8 *hdr = pkt + hdroff, *check = hdr + 6;
	__be16 newport = target_port(t, mtype);
	u8 *portp = hdr + port_offset(mtype);

	if (len - hdroff < UDP_HDR_LEN)
		return false;
	if (always_csum || get_be16(check)) {
		nf_csum_update(pkt, iphdroff, check, t, mtype);
		check_replace2(check, get_be16(portp), newport, false);
		if (!get_be16(check))
			put_be16(check, 0xffff);
	}
	put_be16(portp, newport);
	return true;
}

/* CRC-32C (Castagnoli, reflected), four bits at a time */
static u32 crc32c(u32 crc, const u8 *p, unsigned int len)
{
	static const u32 nibble[16] = {
		0x00000000, 0x105ec76f, 0x20bd8ede, 0x30e349b1,
		0x417b1dbc, 0x5125dad3, 0x61c69362, 0x7198540d,
		0x82f63b78, 0x92a8fc17, 0xa24bb5a6, 0xb21572c9,
		0xc38d26c4, 0xd3d3e1ab, 0xe330a81a, 0xf36e6f75,
	};

	while (len--) {
		crc ^= *p++;
		crc = (crc >> 4) ^ nibble[crc & 0xf];
		crc = (crc >> 4) ^ nibble[crc & 0xf];
	}
	return crc;
}

/*
 * SCTP: the CRC-32C covers the whole packet and has no pseudo-header, so
 * it is computed again over everything after the header, as the kernel
 * does (for a quoted header, up to the end of the ICMP error).  It is
 * stored least significant byte first (RFC 9260 appendix A).
 */
static bool sctp_manip_pkt(u8 *pkt, unsigned int len, unsigned int hdroff,
			   const struct nf_conntrack_tuple *t, enum nf_nat_manip_type mtype)
{
	static const u8 zero[4];
	u8 *hdr = pkt + hdroff;
	u32 crc;

	if (len - hdroff < L4_PORTS_LEN)
		return false;
	put_be16(hdr + port_offset(mtype), target_port(t, mtype));
	if (len - hdroff < SCTP_HDR_LEN)
		return true;
	crc = crc32c(~0u, hdr, 8);
	crc = crc32c(crc, zero, sizeof(zero));
	crc = ~crc32c(crc, hdr + SCTP_HDR_LEN, len - hdroff - SCTP_HDR_LEN);
	hdr[8] = crc;
	hdr[9] = crc >> 8;
	hdr[10] = crc >> 16;
	hdr[11] = crc >> 24;
	return true;
}

/*
 * ICMP: only the query messages carry an id; an error keeps its header
 * (bytes 4-7 are a pointer, an MTU or a gateway there).  No pseudo-header.
 */
static bool icmp_manip_pkt(u8 *pkt, unsigned int len, unsigned int hdroff,
			   const struct nf_conntrack_tuple *t)
{
	u8 *hdr = pkt + hdroff;

	if (len - hdroff < ICMP_HDR_LEN)
		return false;
	switch (hdr[0]) {
	case ICMP_ECHO:
	case ICMP_ECHOREPLY:
	case ICMP_TIMESTAMP:
	case ICMP_TIMESTAMPREPLY:
	case ICMP_INFO_REQUEST:
	case ICMP_INFO_REPLY:
	case ICMP_ADDRESS:
	case ICMP_ADDRESSREPLY:
		break;
	default:
		return true;
	}
	check_replace2(hdr + 2, get_be16(hdr + 4), t->src.u.icmp.id, false);
	put_be16(hdr + 4, t->src.u.icmp.id);
	return true;
}

/* ICMPv6: the pseudo-header is covered; only echo carries an id */
static bool icmpv6_manip_pkt(u8 *pkt, unsigned int len, unsigned int iphdroff,
			     unsigned int hdroff, const struct nf_conntrack_tuple *t,
			     enum nf_nat_manip_type mtype)
{
	u8 *hdr = pkt + hdroff;

	if (len - hdroff < ICMP_HDR_LEN)
		return false;
	nf_csum_update(pkt, iphdroff, hdr + 2, t, mtype);
	if (hdr[0] == ICMP6_ECHO_REQUEST || hdr[0] == ICMP6_ECHO_REPLY) {
		check_replace2(hdr + 2, get_be16(hdr + 4), t->src.u.icmp.id, false);
		put_be16(hdr + 4, t->src.u.icmp.id);
	}
	return true;
}

/* the tuple's protocol decides, as in the kernel, not the packet's field */
static bool l4proto_manip_pkt(u8 *pkt, unsigned int len, unsigned int iphdroff,
			      unsigned int hdroff, const struct nf_conntrack_tuple *t,
			      enum nf_nat_manip_type mtype)
{
	switch (t->dst.protonum) {
	case IPPROTO_TCP:
		return ports_csum_manip_pkt(pkt, len, iphdroff, hdroff, t, mtype,
					    TCP_HDR_LEN, 16);
	case IPPROTO_DCCP:
		return ports_csum_manip_pkt(pkt, len, iphdroff, hdroff, t, mtype,
					    DCCP_HDR_LEN, 6);
	case IPPROTO_UDP:
		return udp_manip_pkt(pkt, len, iphdroff, hdroff, t, mtype, false);
	case IPPROTO_UDPLITE:
		return udp_manip_pkt(pkt, len, iphdroff, hdroff, t, mtype, true);
	case IPPROTO_SCTP:
		return sctp_manip_pkt(pkt, len, hdroff, t, mtype);
	case IPPROTO_ICMP:
		return icmp_manip_pkt(pkt, len, hdroff, t);
	case IPPROTO_ICMPV6:
		return icmpv6_manip_pkt(pkt, len, iphdroff, hdroff, t, mtype);
	default:
		return true;	/* no ports: the address is the whole mapping */
	}
}

/* ---- L3 ---- */

static bool nf_nat_ipv4_manip_pkt(u8 *pkt, unsigned int len, unsigned int iphdroff,
				  const struct nf_conntrack_tuple *t,
				  enum nf_nat_manip_type mtype)
{
	unsigned int off = mtype == NF_NAT_MANIP_SRC ? IPV4_SADDR_OFF : IPV4_DADDR_OFF;
	__be32 new = mtype == NF_NAT_MANIP_SRC ? t->src.u3.ip : t->dst.u3.ip;
	u8 *iph = pkt + iphdroff;
	unsigned int ihl;

	if (iphdroff > len || len - iphdroff < IPV4_HDR_LEN)
		return false;
	ihl = (iph[0] & 0xf) * 4;
	if (ihl < IPV4_HDR_LEN || ihl > len - iphdroff)
		return false;
	if (!(ntohs(get_be16(iph + 6)) & IPV4_FRAG_OFFSET_MASK) &&
	    !l4proto_manip_pkt(pkt, len, iphdroff, iphdroff + ihl, t, mtype))
		return false;
	check_replace4(iph + IPV4_CHECK_OFF, get_be32(iph + off), new, false);
	put_be32(iph + off, new);
	return true;
}

static bool nf_nat_ipv6_manip_pkt(u8 *pkt, unsigned int len, unsigned int iphdroff,
				  const struct nf_conntrack_tuple *t,
				  enum nf_nat_manip_type mtype)
{
	u8 *ip6h = pkt + iphdroff;
	u16 frag_off;
	u8 nexthdr;
	int hdroff;

	if (iphdroff > len || len - iphdroff < IPV6_HDR_LEN)
		return false;
	hdroff = ipv6_skip_exthdr(ip6h, len - iphdroff, &nexthdr, &frag_off);
	/* a header chain that cannot be walked: the address only, as the kernel */
	if (hdroff >= 0 && !frag_off &&
	    !l4proto_manip_pkt(pkt, len, iphdroff, iphdroff + hdroff, t, mtype))
		return false;
	if (mtype == NF_NAT_MANIP_SRC)
		memcpy(ip6h + IPV6_SADDR_OFF, &t->src.u3.in6, sizeof(struct in6_addr));
	else
		memcpy(ip6h + IPV6_DADDR_OFF, &t->dst.u3.in6, sizeof(struct in6_addr));
	return true;
}

static bool nf_nat_l3_manip_pkt(u8 *pkt, unsigned int len, unsigned int iphdroff,
				const struct nf_conntrack_tuple *t,
				enum nf_nat_manip_type mtype)
{
	switch (t->src.l3num) {
	case NFPROTO_IPV4:
		return nf_nat_ipv4_manip_pkt(pkt, len, iphdroff, t, mtype);
	case NFPROTO_IPV6:
		return nf_nat_ipv6_manip_pkt(pkt, len, iphdroff, t, mtype);
	default:
		return false;
	}
}

unsigned int nf_nat_manip_pkt(struct sk_buff *skb, struct nf_conn *ct,
			      enum nf_nat_manip_type mtype, enum ip_conntrack_dir dir)
{
	struct nf_conntrack_tuple target;

	/* the packet must look like the other direction's tuple, inverted */
	nf_ct_invert_tuple(&target, &ct->tuplehash[!dir].tuple);
	if (!nf_nat_l3_manip_pkt(skb_network_header(skb), skb_l3_len(skb), 0, &target, mtype))
		return NF_DROP;
	return NF_ACCEPT;
}

/* ---- ICMP errors ---- */

/*
 * The mapping the error's direction undoes (see nf_nat_packet()): none
 * means there is nothing to translate.
 */
static bool nf_nat_error_has_manip(const struct nf_conn *ct, enum ip_conntrack_dir dir,
				   enum nf_nat_manip_type mtype)
{
	unsigned long statusbit = mtype == NF_NAT_MANIP_SRC ? IPS_SRC_NAT : IPS_DST_NAT;

	if (dir == IP_CT_DIR_REPLY)
		statusbit ^= IPS_NAT_MASK;
	return READ_ONCE(ct->status) & statusbit;
}

/*
 * A redirect names a gateway the mapping would have to rewrite too: let
 * one through only for a connection that is fully set up and not NATed.
 */
static bool nf_nat_redirect_ok(const struct nf_conn *ct)
{
	unsigned long status = READ_ONCE(ct->status);

	return (status & IPS_NAT_DONE_MASK) == IPS_NAT_DONE_MASK && !(status & IPS_NAT_MASK);
}

static bool nf_nat_is_related(enum ip_conntrack_info ctinfo)
{
	return ctinfo == IP_CT_RELATED || ctinfo == IP_CT_RELATED_REPLY;
}

/*
 * Rewrite the quoted packet, which travelled the other way: it becomes the
 * other direction's tuple through the opposite manipulation.  Then the
 * outer header, as the connection's packets in this direction.
 */
static bool nf_nat_error_manip(u8 *pkt, unsigned int len, unsigned int inner_off,
			       struct nf_conn *ct, enum ip_conntrack_dir dir,
			       enum nf_nat_manip_type mtype)
{
	return nf_nat_l3_manip_pkt(pkt, len, inner_off, &ct->tuplehash[!dir].tuple,
				   mtype == NF_NAT_MANIP_SRC ? NF_NAT_MANIP_DST : NF_NAT_MANIP_SRC);
}

static bool nf_nat_error_outer_manip(u8 *pkt, unsigned int len, struct nf_conn *ct,
				     enum ip_conntrack_dir dir, enum nf_nat_manip_type mtype,
				     u8 protonum)
{
	struct nf_conntrack_tuple target;

	nf_ct_invert_tuple(&target, &ct->tuplehash[!dir].tuple);
	target.dst.protonum = protonum;
	return nf_nat_l3_manip_pkt(pkt, len, 0, &target, mtype);
}

int nf_nat_icmp_reply_translation(struct sk_buff *skb, struct nf_conn *ct,
				  enum ip_conntrack_info ctinfo, enum nf_nat_manip_type mtype)
{
	enum ip_conntrack_dir dir = CTINFO2DIR(ctinfo);
	unsigned int len = skb_l3_len(skb), hdrlen;
	u8 *pkt = skb_network_header(skb), *icmph;
	__sum16 sum;

	if (!nf_nat_is_related(ctinfo) || len < IPV4_HDR_LEN || pkt[9] != IPPROTO_ICMP)
		return 0;
	hdrlen = (pkt[0] & 0xf) * 4;
	if (hdrlen < IPV4_HDR_LEN || len < hdrlen + ICMP_HDR_LEN + IPV4_HDR_LEN)
		return 0;
	icmph = pkt + hdrlen;
	/* a corrupted error is not worth translating, nor forwarding */
	if (csum_fold(csum_partial(icmph, len - hdrlen, 0)))
		return 0;
	if (icmph[0] == ICMP_REDIRECT && !nf_nat_redirect_ok(ct))
		return 0;
	if (!nf_nat_error_has_manip(ct, dir, mtype))
		return 1;

	if (!nf_nat_error_manip(pkt, len, hdrlen + ICMP_HDR_LEN, ct, dir, mtype))
		return 0;
	put_be16(icmph + 2, 0);
	sum = csum_fold(csum_partial(icmph, len - hdrlen, 0));
	put_be16(icmph + 2, sum);

	return nf_nat_error_outer_manip(pkt, len, ct, dir, mtype, IPPROTO_ICMP);
}

/* the ICMPv6 checksum of the message at icmph, pseudo-header included */
static __sum16 icmpv6_csum(const u8 *ip6h, const u8 *icmph, unsigned int len)
{
	struct in6_addr saddr, daddr;

	memcpy(&saddr, ip6h + IPV6_SADDR_OFF, sizeof(saddr));
	memcpy(&daddr, ip6h + IPV6_DADDR_OFF, sizeof(daddr));
	return csum_ipv6_magic(&saddr, &daddr, len, IPPROTO_ICMPV6, csum_partial(icmph, len, 0));
}

int nf_nat_icmpv6_reply_translation(struct sk_buff *skb, struct nf_conn *ct,
				    enum ip_conntrack_info ctinfo, enum nf_nat_manip_type mtype)
{
	enum ip_conntrack_dir dir = CTINFO2DIR(ctinfo);
	unsigned int len = skb_l3_len(skb);
	u8 *pkt = skb_network_header(skb), *icmph;
	u16 frag_off;
	u8 nexthdr;
	int hdrlen;

	if (!nf_nat_is_related(ctinfo))
		return 0;
	hdrlen = ipv6_skip_exthdr(pkt, len, &nexthdr, &frag_off);
	if (hdrlen < 0 || frag_off || nexthdr != IPPROTO_ICMPV6 ||
	    len < (unsigned int)hdrlen + ICMP_HDR_LEN + IPV6_HDR_LEN)
		return 0;
	icmph = pkt + hdrlen;
	if (icmpv6_csum(pkt, icmph, len - hdrlen))
		return 0;
	if (icmph[0] == ND_REDIRECT && !nf_nat_redirect_ok(ct))
		return 0;
	if (!nf_nat_error_has_manip(ct, dir, mtype))
		return 1;

	if (!nf_nat_error_manip(pkt, len, hdrlen + ICMP_HDR_LEN, ct, dir, mtype))
		return 0;
	put_be16(icmph + 2, 0);
	put_be16(icmph + 2, icmpv6_csum(pkt, icmph, len - hdrlen));

	/* the outer rewrite fixes the pseudo-header part incrementally */
	return nf_nat_error_outer_manip(pkt, len, ct, dir, mtype, IPPROTO_ICMPV6);
}
