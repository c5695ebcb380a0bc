// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for NAT: net/netfilter/nf_nat_proto.c (rewriting packets)
 * and net/netfilter/nf_nat_core.c (choosing mappings).
 *
 * Every checksum a rewrite leaves is compared with one summed again from
 * scratch by the reference code below, which shares nothing with
 * lib/checksum.c: it adds big-endian 16-bit words in host arithmetic and
 * finds the headers by its own walk.  Packets are copied into a buffer of
 * exactly their size, so under ASan a read past the end is reported.
 *
 * Mapping tests fill the conntrack table with connections that hold
 * ports (nf_conntrack_alloc() + nf_conntrack_hash_check_insert()) and
 * check what nf_nat_setup_info() chooses next to them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include <arpa/inet.h>

#include <linux/rcupdate.h>
#include <net/netfilter/nf_nat.h>

#define ETH_HLEN_	14
#define PKT_MAX		1024

/* ---- a reproducible random source ---- */

static u64 rnd_state = 0x9e3779b97f4a7c15ULL;

static u32 rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state >> 32;
}

static u32 rnd_below(u32 n)
{
	return rnd() % n;
}

static void rnd_bytes(u8 *p, unsigned int n)
{
	while (n--)
		*p++ = rnd();
}

/* ---- byte access ---- */

static u16 rd16(const u8 *p)
{
	return p[0] << 8 | p[1];
}

static void wr16(u8 *p, u16 v)
{
	p[0] = v >> 8;
	p[1] = v;
}

/* ---- reference checksums, summed from scratch ---- */

static u32 ref_sum(const u8 *p, unsigned int len, u32 sum)
{
	unsigned int i;

	for (i = 0; i + 1 < len; i += 2)
		sum += rd16(p + i);
	if (len & 1)
		sum += p[len - 1] << 8;
	return sum;
}

/* complement of the folded sum, host order */
static u16 ref_fold(u32 sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

static u32 ref_crc32c(const u8 *p, unsigned int len)
{
	u32 crc = ~0u;
	int k;

	while (len--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = crc & 1 ? (crc >> 1) ^ 0x82f63b78 : crc >> 1;
	}
	return ~crc;
}

/* what the reference walk finds in an IP packet */
struct ref_ip {
	int family;			/* 4 or 6 */
	unsigned int saddr_off, daddr_off, alen;
	u8 proto;			/* the L4 protocol */
	bool has_l4;			/* not a later fragment */
	unsigned int l4off;
};

static void ref_parse(const u8 *pkt, unsigned int len, struct ref_ip *ip)
{
	memset(ip, 0, sizeof(*ip));
	assert_true(len >= 20);
	ip->family = pkt[0] >> 4;
	if (ip->family == 4) {
		ip->saddr_off = 12;
		ip->daddr_off = 16;
		ip->alen = 4;
		ip->proto = pkt[9];
		ip->l4off = (pkt[0] & 0xf) * 4;
		ip->has_l4 = !(rd16(pkt + 6) & 0x1fff);
		return;
	}
	assert_int_equal(ip->family, 6);
	ip->saddr_off = 8;
	ip->daddr_off = 24;
	ip->alen = 16;
	ip->proto = pkt[6];
	ip->l4off = 40;
	ip->has_l4 = true;
	for (;;) {
		u8 nh = ip->proto;

		if (nh == 44) {			/* fragment */
			ip->proto = pkt[ip->l4off];
			if (rd16(pkt + ip->l4off + 2) >> 3)
				ip->has_l4 = false;
			ip->l4off += 8;
			if (!ip->has_l4)
				return;
		} else if (nh == 0 || nh == 43 || nh == 60) {
			ip->proto = pkt[ip->l4off];
			ip->l4off += (pkt[ip->l4off + 1] + 1) * 8;
		} else {
			return;
		}
	}
}

static u32 ref_pseudo(const u8 *pkt, const struct ref_ip *ip, u8 proto, u32 l4len)
{
	u32 sum = ref_sum(pkt + ip->saddr_off, ip->alen, 0);

	sum = ref_sum(pkt + ip->daddr_off, ip->alen, sum);
	sum += proto;
	sum += l4len >> 16;
	sum += l4len & 0xffff;
	return sum;
}

static bool icmp_is_error(int family, u8 type)
{
	if (family == 4)
		return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
	return type < 128;
}

static void ref_fill(u8 *pkt, unsigned int len);

/* the L4 checksum at its place; a UDP checksum left zero means "none" */
static void ref_fill_l4(u8 *pkt, const struct ref_ip *ip, unsigned int len)
{
	u8 *l4 = pkt + ip->l4off;
	u32 l4len = len - ip->l4off, cov;
	u16 c;

	switch (ip->proto) {
	case IPPROTO_TCP:
		wr16(l4 + 16, 0);
		wr16(l4 + 16, ref_fold(ref_sum(l4, l4len, ref_pseudo(pkt, ip, 6, l4len))));
		break;
	case IPPROTO_DCCP:
		wr16(l4 + 6, 0);
		wr16(l4 + 6, ref_fold(ref_sum(l4, l4len, ref_pseudo(pkt, ip, 33, l4len))));
		break;
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
		if (ip->proto == IPPROTO_UDP && !rd16(l4 + 6))
			break;
		cov = ip->proto == IPPROTO_UDPLITE && rd16(l4 + 4) ? rd16(l4 + 4) : l4len;
		wr16(l4 + 6, 0);
		c = ref_fold(ref_sum(l4, cov, ref_pseudo(pkt, ip, ip->proto, l4len)));
		wr16(l4 + 6, c ? c : 0xffff);
		break;
	case IPPROTO_SCTP: {
		u32 crc;

		memset(l4 + 8, 0, 4);
		crc = ref_crc32c(l4, l4len);
		l4[8] = crc;
		l4[9] = crc >> 8;
		l4[10] = crc >> 16;
		l4[11] = crc >> 24;
		break;
	}
	case IPPROTO_ICMP:
		if (icmp_is_error(4, l4[0]))
			ref_fill(l4 + 8, l4len - 8);
		wr16(l4 + 2, 0);
		wr16(l4 + 2, ref_fold(ref_sum(l4, l4len, 0)));
		break;
	case IPPROTO_ICMPV6:
		if (icmp_is_error(6, l4[0]))
			ref_fill(l4 + 8, l4len - 8);
		wr16(l4 + 2, 0);
		wr16(l4 + 2, ref_fold(ref_sum(l4, l4len, ref_pseudo(pkt, ip, 58, l4len))));
		break;
	}
}

/* every checksum of the packet (and of a packet an ICMP error quotes) */
static void ref_fill(u8 *pkt, unsigned int len)
{
	struct ref_ip ip;

	ref_parse(pkt, len, &ip);
	if (ip.has_l4)
		ref_fill_l4(pkt, &ip, len);
	if (ip.family == 4) {
		wr16(pkt + 10, 0);
		wr16(pkt + 10, ref_fold(ref_sum(pkt, ip.l4off, 0)));
	}
}

static void hexdump_diff(const u8 *got, const u8 *want, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		if (got[i] != want[i])
			print_message("byte %u: got %02x want %02x\n", i, got[i], want[i]);
}

/* the packet's checksums are exactly what a full recomputation gives */
static void assert_csums_valid(const u8 *pkt, unsigned int len)
{
	u8 copy[PKT_MAX];

	assert_true(len <= PKT_MAX);
	memcpy(copy, pkt, len);
	ref_fill(copy, len);
	if (memcmp(copy, pkt, len))
		hexdump_diff(pkt, copy, len);
	assert_memory_equal(pkt, copy, len);
}

/* ---- packets ---- */

struct pkt {
	u8 frame[PKT_MAX];	/* Ethernet + IP */
	unsigned int len;
	struct sk_buff skb;
};

/* the exact-size copy the skb under test points into (one at a time) */
static u8 *skb_buf;

static u8 *pkt_ip(struct pkt *p)
{
	return p->frame + ETH_HLEN_;
}

/* the skb sees a malloc'd buffer of the frame's exact size */
static struct sk_buff *pkt_skb(struct pkt *p)
{
	free(skb_buf);
	skb_buf = malloc(p->len);
	assert_non_null(skb_buf);
	memcpy(skb_buf, p->frame, p->len);
	memset(&p->skb, 0, sizeof(p->skb));
	p->skb.head = skb_buf;
	p->skb.data = skb_buf;
	p->skb.len = p->len;
	p->skb.network_header = ETH_HLEN_;
	return &p->skb;
}

/* copy back what the code under test did */
static void pkt_sync(struct pkt *p)
{
	memcpy(p->frame, skb_buf, p->len);
}

static void pkt_free(struct pkt *p)
{
	free(skb_buf);
	skb_buf = NULL;
}

/* what a test packet carries */
struct spec {
	int family;
	u8 proto;
	union nf_inet_addr saddr, daddr;
	u16 sport, dport;		/* ports, or the ICMP id in sport */
	u8 icmp_type;
	unsigned int payload;		/* bytes after the L4 header */
	bool udp_nocsum;
	u16 udplite_cov;		/* 0: whole packet */
	unsigned int v4_optwords;
	u16 frag;			/* v4: offset in 8-byte units; v6: same, in a fragment header */
	bool v4_mf;
	bool v6_frag_hdr;
	bool v6_hbh, v6_dstopts;
};

static unsigned int l4_hdr_len(u8 proto)
{
	switch (proto) {
	case IPPROTO_TCP:	return 20;
	case IPPROTO_DCCP:	return 12;
	case IPPROTO_SCTP:	return 12;
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:	return 8;
	default:		return 4;
	}
}

static bool proto_has_ports(u8 proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP || proto == IPPROTO_UDPLITE ||
	       proto == IPPROTO_DCCP || proto == IPPROTO_SCTP;
}

static bool proto_is_icmp(u8 proto)
{
	return proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6;
}

static void put_l4(u8 *l4, const struct spec *s, unsigned int l4len)
{
	unsigned int hl = l4_hdr_len(s->proto);

	memset(l4, 0, hl);
	rnd_bytes(l4 + hl, l4len - hl);
	if (proto_is_icmp(s->proto)) {
		l4[0] = s->icmp_type;
		wr16(l4 + 4, s->sport);
		wr16(l4 + 6, rnd());
		return;
	}
	if (!proto_has_ports(s->proto)) {
		rnd_bytes(l4, hl);
		return;
	}
	wr16(l4, s->sport);
	wr16(l4 + 2, s->dport);
	switch (s->proto) {
	case IPPROTO_TCP:
		rnd_bytes(l4 + 4, 8);		/* seq, ack */
		l4[12] = 5 << 4;
		l4[13] = 0x18;
		wr16(l4 + 14, rnd());
		break;
	case IPPROTO_UDP:
		wr16(l4 + 4, l4len);
		wr16(l4 + 6, s->udp_nocsum ? 0 : 1);	/* nonzero: filled in later */
		break;
	case IPPROTO_UDPLITE:
		wr16(l4 + 4, s->udplite_cov);
		break;
	case IPPROTO_DCCP:
		l4[4] = 3;			/* data offset, words */
		rnd_bytes(l4 + 8, 4);
		break;
	case IPPROTO_SCTP:
		rnd_bytes(l4 + 4, 4);		/* verification tag */
		break;
	}
}

/* build an IP packet (with valid checksums) into p */
static void build(struct pkt *p, const struct spec *s)
{
	unsigned int l4len = l4_hdr_len(s->proto) + s->payload, off = 0, hlen;
	u8 *ip = pkt_ip(p), *l4;

	memset(p->frame, 0, ETH_HLEN_);
	if (s->family == 4) {
		hlen = 20 + 4 * s->v4_optwords;
		p->frame[12] = 0x08;
		ip[0] = 0x40 | hlen / 4;
		ip[1] = 0;
		wr16(ip + 2, hlen + l4len);
		wr16(ip + 4, rnd());
		wr16(ip + 6, (s->v4_mf ? 0x2000 : 0) | s->frag);
		ip[8] = 64;
		ip[9] = s->proto;
		memcpy(ip + 12, &s->saddr.ip, 4);
		memcpy(ip + 16, &s->daddr.ip, 4);
		memset(ip + 20, 1, hlen - 20);		/* NOP options */
		off = hlen;
	} else {
		u8 *next = ip + 6;

		p->frame[12] = 0x86;
		p->frame[13] = 0xdd;
		ip[0] = 0x60;
		ip[7] = 64;
		memcpy(ip + 8, &s->saddr.in6, 16);
		memcpy(ip + 24, &s->daddr.in6, 16);
		off = 40;
		if (s->v6_hbh) {
			*next = 0;
			next = ip + off;
			memcpy(ip + off + 1, "\0\x01\x04\0\0\0\0", 7);
			off += 8;
		}
		if (s->v6_dstopts) {
			*next = 60;
			next = ip + off;
			memcpy(ip + off + 1, "\0\x01\x04\0\0\0\0", 7);
			off += 8;
		}
		if (s->v6_frag_hdr) {
			*next = 44;
			next = ip + off;
			ip[off + 1] = 0;
			wr16(ip + off + 2, s->frag << 3 | 1);
			rnd_bytes(ip + off + 4, 4);
			off += 8;
		}
		*next = s->proto;
		wr16(ip + 4, off - 40 + l4len);
	}
	assert_true(ETH_HLEN_ + off + l4len <= PKT_MAX);
	l4 = ip + off;
	if (s->frag)
		rnd_bytes(l4, l4len);	/* a later fragment: payload only */
	else
		put_l4(l4, s, l4len);
	p->len = ETH_HLEN_ + off + l4len;
	ref_fill(ip, off + l4len);
}

/* the tuple of a packet built from s (original direction) */
static void spec_tuple(const struct spec *s, struct nf_conntrack_tuple *t)
{
	memset(t, 0, sizeof(*t));
	t->src.l3num = s->family == 4 ? NFPROTO_IPV4 : NFPROTO_IPV6;
	t->src.u3 = s->saddr;
	t->dst.u3 = s->daddr;
	t->dst.protonum = s->proto;
	if (proto_is_icmp(s->proto)) {
		t->src.u.icmp.id = htons(s->sport);
		t->dst.u.icmp.type = s->icmp_type;
	} else if (proto_has_ports(s->proto)) {
		t->src.u.all = htons(s->sport);
		t->dst.u.all = htons(s->dport);
	}
}

/* the spec of a packet carrying tuple t */
static void tuple_spec(const struct nf_conntrack_tuple *t, const struct spec *like,
		       struct spec *s)
{
	if (s != like)
		*s = *like;
	s->saddr = t->src.u3;
	s->daddr = t->dst.u3;
	if (proto_is_icmp(t->dst.protonum)) {
		s->sport = ntohs(t->src.u.icmp.id);
		s->icmp_type = t->dst.u.icmp.type;
	} else if (proto_has_ports(t->dst.protonum)) {
		s->sport = ntohs(t->src.u.all);
		s->dport = ntohs(t->dst.u.all);
	}
}

/* the packet carries tuple t: addresses, and ports or id where it has an L4 header */
static void assert_pkt_tuple(struct pkt *p, const struct nf_conntrack_tuple *t)
{
	u8 *ip = pkt_ip(p);
	struct ref_ip r;
	u8 *l4;

	ref_parse(ip, p->len - ETH_HLEN_, &r);
	assert_memory_equal(ip + r.saddr_off, &t->src.u3, r.alen);
	assert_memory_equal(ip + r.daddr_off, &t->dst.u3, r.alen);
	if (!r.has_l4)
		return;
	l4 = ip + r.l4off;
	if (proto_has_ports(t->dst.protonum)) {
		assert_int_equal(rd16(l4), ntohs(t->src.u.all));
		assert_int_equal(rd16(l4 + 2), ntohs(t->dst.u.all));
	} else if (proto_is_icmp(t->dst.protonum)) {
		assert_int_equal(rd16(l4 + 4), ntohs(t->src.u.icmp.id));
	}
}

/* ---- connections ---- */

static void addr4(union nf_inet_addr *a, const char *s)
{
	memset(a, 0, sizeof(*a));
	assert_int_equal(inet_pton(AF_INET, s, &a->ip), 1);
}

static void addr6(union nf_inet_addr *a, const char *s)
{
	memset(a, 0, sizeof(*a));
	assert_int_equal(inet_pton(AF_INET6, s, &a->in6), 1);
}

static void tuple4(struct nf_conntrack_tuple *t, u8 proto, const char *src, u16 sport,
		   const char *dst, u16 dport)
{
	memset(t, 0, sizeof(*t));
	t->src.l3num = NFPROTO_IPV4;
	t->dst.protonum = proto;
	addr4(&t->src.u3, src);
	addr4(&t->dst.u3, dst);
	if (proto_is_icmp(proto)) {
		t->src.u.icmp.id = htons(sport);
		t->dst.u.icmp.type = dport;
	} else {
		t->src.u.all = htons(sport);
		t->dst.u.all = htons(dport);
	}
}

static void tuple6(struct nf_conntrack_tuple *t, u8 proto, const char *src, u16 sport,
		   const char *dst, u16 dport)
{
	tuple4(t, proto, "0.0.0.0", sport, "0.0.0.0", dport);
	t->src.l3num = NFPROTO_IPV6;
	addr6(&t->src.u3, src);
	addr6(&t->dst.u3, dst);
}

/* an unconfirmed connection for orig, as nf_conntrack_in() makes one */
static struct nf_conn *ct_new(const struct nf_conntrack_tuple *orig)
{
	struct nf_conntrack_tuple repl;
	struct nf_conn *ct;

	assert_true(nf_ct_invert_tuple(&repl, orig));
	ct = nf_conntrack_alloc(0, orig, &repl);
	assert_non_null(ct);
	return ct;
}

/* a connection with an explicit mapping: orig leaves as mapped */
static struct nf_conn *ct_mapped(const struct nf_conntrack_tuple *orig,
				 const struct nf_conntrack_tuple *mapped)
{
	struct nf_conntrack_tuple repl;
	struct nf_conn *ct;

	assert_true(nf_ct_invert_tuple(&repl, mapped));
	ct = nf_conntrack_alloc(0, orig, &repl);
	assert_non_null(ct);
	if (memcmp(&orig->src, &mapped->src, sizeof(orig->src)))
		set_bit(IPS_SRC_NAT_BIT, &ct->status);
	if (memcmp(&orig->dst.u3, &mapped->dst.u3, sizeof(orig->dst.u3)) ||
	    orig->dst.u.all != mapped->dst.u.all)
		set_bit(IPS_DST_NAT_BIT, &ct->status);
	set_bit(IPS_SRC_NAT_DONE_BIT, &ct->status);
	set_bit(IPS_DST_NAT_DONE_BIT, &ct->status);
	return ct;
}

/* put ct in the table, where it occupies its reply tuple */
static void ct_confirm(struct nf_conn *ct)
{
	/* alive for a minute: an expired entry counts for nothing */
	nf_ct_refresh(ct, 60 * 1000);
	assert_int_equal(nf_conntrack_hash_check_insert(ct), 0);
	nf_ct_put(ct);		/* the table keeps its own reference */
}

/*
 * A confirmed connection from "other" to peer that the NAT mapped to
 * nat:port: the reply tuple peer -> nat:port is taken from then on.
 */
static void occupy4(u8 proto, const char *other, u16 other_port, const char *nat, u16 port,
		    const char *peer, u16 peer_port)
{
	struct nf_conntrack_tuple orig, mapped;

	tuple4(&orig, proto, other, other_port, peer, peer_port);
	tuple4(&mapped, proto, nat, port, peer, peer_port);
	ct_confirm(ct_mapped(&orig, &mapped));
}

static int setup_table(void **state)
{
	return nf_conntrack_init();
}

static int teardown_table(void **state)
{
	nf_conntrack_cleanup();
	return 0;
}

static struct nf_nat_range2 range4(const char *min, const char *max, u16 pmin, u16 pmax)
{
	struct nf_nat_range2 r = { .flags = NF_NAT_RANGE_MAP_IPS };

	addr4(&r.min_addr, min);
	addr4(&r.max_addr, max);
	if (pmin) {
		r.flags |= NF_NAT_RANGE_PROTO_SPECIFIED;
		r.min_proto.all = htons(pmin);
		r.max_proto.all = htons(pmax);
	}
	return r;
}

static const struct nf_conntrack_tuple *reply_of(const struct nf_conn *ct)
{
	return &ct->tuplehash[IP_CT_DIR_REPLY].tuple;
}

/* ======== checksums after rewriting, against a full recomputation ======== */

static const u8 v4_protos[] = {
	IPPROTO_TCP, IPPROTO_UDP, IPPROTO_UDP, IPPROTO_UDPLITE, IPPROTO_DCCP,
	IPPROTO_SCTP, IPPROTO_ICMP, IPPROTO_GRE,
};
static const u8 v6_protos[] = {
	IPPROTO_TCP, IPPROTO_UDP, IPPROTO_UDP, IPPROTO_UDPLITE, IPPROTO_DCCP,
	IPPROTO_SCTP, IPPROTO_ICMPV6, IPPROTO_GRE,
};

static void random_addr(int family, union nf_inet_addr *a)
{
	memset(a, 0, sizeof(*a));
	rnd_bytes((u8 *)a, family == 4 ? 4 : 16);
}

static void random_spec(struct spec *s, int family)
{
	memset(s, 0, sizeof(*s));
	s->family = family;
	s->proto = family == 4 ? v4_protos[rnd_below(ARRAY_SIZE(v4_protos))] :
				 v6_protos[rnd_below(ARRAY_SIZE(v6_protos))];
	random_addr(family, &s->saddr);
	random_addr(family, &s->daddr);
	s->sport = rnd();
	s->dport = rnd();
	s->payload = rnd_below(300);
	if (s->proto == IPPROTO_ICMP)
		s->icmp_type = 8;
	if (s->proto == IPPROTO_ICMPV6)
		s->icmp_type = 128;
	s->udp_nocsum = s->proto == IPPROTO_UDP && !rnd_below(3);
	if (s->proto == IPPROTO_UDPLITE && rnd_below(2))
		s->udplite_cov = 8 + rnd_below(s->payload + 1);
	if (family == 4) {
		s->v4_optwords = rnd_below(4) ? 0 : 1 + rnd_below(3);
		s->v4_mf = !rnd_below(8);
		if (!rnd_below(8)) {
			s->frag = 1 + rnd_below(100);
			s->v4_mf = rnd_below(2);
		}
	} else {
		s->v6_hbh = !rnd_below(4);
		s->v6_dstopts = !rnd_below(4);
		s->v6_frag_hdr = !rnd_below(6);
		if (s->v6_frag_hdr && rnd_below(2))
			s->frag = 1 + rnd_below(100);
	}
}

/* the tuple after the mapping: source and/or destination rewritten */
static void random_mapping(const struct nf_conntrack_tuple *orig, struct nf_conntrack_tuple *mapped,
			   bool snat, bool dnat)
{
	int family = orig->src.l3num == NFPROTO_IPV4 ? 4 : 6;
	u8 proto = orig->dst.protonum;

	*mapped = *orig;
	if (snat) {
		random_addr(family, &mapped->src.u3);
		if (proto_has_ports(proto) || proto_is_icmp(proto))
			mapped->src.u.all = htons(rnd());
	}
	if (dnat) {
		random_addr(family, &mapped->dst.u3);
		if (proto_has_ports(proto))
			mapped->dst.u.all = htons(rnd());
	}
}

/* after a rewrite: checksums exact, a zero UDP checksum still zero, a later fragment's payload untouched */
static void assert_rewrite_ok(struct pkt *p, const struct pkt *before, const struct spec *s)
{
	u8 *ip = pkt_ip(p);
	struct ref_ip r;

	ref_parse(ip, p->len - ETH_HLEN_, &r);
	assert_csums_valid(ip, p->len - ETH_HLEN_);
	if (!r.has_l4) {
		assert_memory_equal(ip + r.l4off, before->frame + ETH_HLEN_ + r.l4off,
				    p->len - ETH_HLEN_ - r.l4off);
		return;
	}
	if (s->proto == IPPROTO_UDP) {
		if (s->udp_nocsum)
			assert_int_equal(rd16(ip + r.l4off + 6), 0);
		else
			assert_int_not_equal(rd16(ip + r.l4off + 6), 0);
	}
}

static void run_random_rewrite(int family)
{
	struct nf_conntrack_tuple orig, mapped, want;
	struct spec s, rs;
	struct pkt p = {}, before;
	struct nf_conn *ct;
	int i;

	for (i = 0; i < 3000; i++) {
		unsigned int how = 1 + rnd_below(3);	/* 1 SNAT, 2 DNAT, 3 both */

		random_spec(&s, family);
		build(&p, &s);
		spec_tuple(&s, &orig);
		random_mapping(&orig, &mapped, how & 1, how & 2);
		ct = ct_mapped(&orig, &mapped);

		/* original direction: leaves as the mapped tuple */
		before = p;
		assert_int_equal(nf_nat_packet(ct, IP_CT_NEW, NF_NAT_MANIP_DST, pkt_skb(&p)), NF_ACCEPT);
		assert_int_equal(nf_nat_packet(ct, IP_CT_NEW, NF_NAT_MANIP_SRC, &p.skb), NF_ACCEPT);
		pkt_sync(&p);
		assert_rewrite_ok(&p, &before, &s);
		assert_pkt_tuple(&p, &mapped);

		/* a reply to the mapped tuple comes back as the reply to orig */
		tuple_spec(reply_of(ct), &s, &rs);
		build(&p, &rs);
		before = p;
		assert_int_equal(nf_nat_packet(ct, IP_CT_ESTABLISHED_REPLY, NF_NAT_MANIP_DST,
					       pkt_skb(&p)), NF_ACCEPT);
		assert_int_equal(nf_nat_packet(ct, IP_CT_ESTABLISHED_REPLY, NF_NAT_MANIP_SRC, &p.skb),
				 NF_ACCEPT);
		pkt_sync(&p);
		assert_rewrite_ok(&p, &before, &rs);
		assert_true(nf_ct_invert_tuple(&want, &orig));
		assert_pkt_tuple(&p, &want);

		nf_ct_put(ct);
	}
	pkt_free(&p);
}

static void test_csum_random_ipv4(void **state)
{
	run_random_rewrite(4);
}

static void test_csum_random_ipv6(void **state)
{
	run_random_rewrite(6);
}

/* the reference itself: CRC-32C check value, and an RFC 1071 example */
static void test_reference_sums(void **state)
{
	static const u8 rfc1071[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };

	assert_int_equal(ref_crc32c((const u8 *)"123456789", 9), 0xe3069283);
	assert_int_equal(ref_fold(ref_sum(rfc1071, sizeof(rfc1071), 0)), (u16)~0xddf2);
}

/*
 * Choose the last payload word of the packet *after* the rewrite so that
 * its checksum sums to zero: UDP must send 0xffff, TCP 0 as computed.
 */
static void run_zero_sum(int family, u8 proto)
{
	struct nf_conntrack_tuple orig, mapped;
	struct spec s = {
		.family = family, .proto = proto, .sport = 40000, .dport = 53, .payload = 10,
	};
	unsigned int csum_off = proto == IPPROTO_UDP ? 6 : 16, l4len;
	struct pkt p, target;
	struct nf_conn *ct;
	struct ref_ip r;
	u8 *ip, *l4;

	random_addr(family, &s.saddr);
	random_addr(family, &s.daddr);
	spec_tuple(&s, &orig);
	random_mapping(&orig, &mapped, true, false);

	/* the packet as it leaves, its last payload word making the L4 sum 0xffff */
	tuple_spec(&mapped, &s, &s);
	build(&target, &s);
	ip = pkt_ip(&target);
	ref_parse(ip, target.len - ETH_HLEN_, &r);
	l4 = ip + r.l4off;
	l4len = target.len - ETH_HLEN_ - r.l4off;
	wr16(l4 + l4len - 2, 0);
	wr16(l4 + csum_off, 0);
	wr16(l4 + l4len - 2, ref_fold(ref_sum(l4, l4len, ref_pseudo(ip, &r, proto, l4len))));

	/* the same packet before the mapping, with its own (nonzero) checksum */
	p = target;
	ip = pkt_ip(&p);
	l4 = ip + r.l4off;
	memcpy(ip + r.saddr_off, &orig.src.u3, r.alen);
	wr16(l4, ntohs(orig.src.u.all));
	wr16(l4 + csum_off, 1);
	ref_fill(ip, p.len - ETH_HLEN_);
	assert_int_not_equal(rd16(l4 + csum_off), 0);

	ct = ct_mapped(&orig, &mapped);
	assert_int_equal(nf_nat_packet(ct, IP_CT_NEW, NF_NAT_MANIP_SRC, pkt_skb(&p)), NF_ACCEPT);
	pkt_sync(&p);
	assert_int_equal(rd16(l4 + csum_off), proto == IPPROTO_UDP ? 0xffff : 0);
	assert_csums_valid(ip, p.len - ETH_HLEN_);
	nf_ct_put(ct);
	pkt_free(&p);
}

static void test_csum_zero_result(void **state)
{
	int i;

	for (i = 0; i < 20; i++) {
		run_zero_sum(4, IPPROTO_UDP);
		run_zero_sum(6, IPPROTO_UDP);
		run_zero_sum(4, IPPROTO_TCP);
		run_zero_sum(6, IPPROTO_TCP);
	}
}

/* the status bits decide which manip applies in which direction */
static void test_packet_direction(void **state)
{
	struct nf_conntrack_tuple orig, mapped;
	struct spec s = { .family = 4, .proto = IPPROTO_UDP, .payload = 5 };
	struct pkt p = {}, before;
	struct nf_conn *ct;

	tuple4(&orig, IPPROTO_UDP, "10.0.0.1", 1234, "8.8.8.8", 53);
	tuple4(&mapped, IPPROTO_UDP, "1.2.3.4", 5000, "8.8.8.8", 53);
	ct = ct_mapped(&orig, &mapped);
	assert_true(test_bit(IPS_SRC_NAT_BIT, &ct->status));
	assert_false(test_bit(IPS_DST_NAT_BIT, &ct->status));

	tuple_spec(&orig, &s, &s);
	build(&p, &s);
	before = p;
	/* SNAT: nothing to do for the destination in the original direction */
	assert_int_equal(nf_nat_packet(ct, IP_CT_NEW, NF_NAT_MANIP_DST, pkt_skb(&p)), NF_ACCEPT);
	pkt_sync(&p);
	assert_memory_equal(p.frame, before.frame, p.len);
	assert_int_equal(nf_nat_packet(ct, IP_CT_NEW, NF_NAT_MANIP_SRC, pkt_skb(&p)), NF_ACCEPT);
	pkt_sync(&p);
	assert_pkt_tuple(&p, &mapped);

	/* the reply: its destination is restored, its source left alone */
	tuple_spec(reply_of(ct), &s, &s);
	build(&p, &s);
	before = p;
	assert_int_equal(nf_nat_packet(ct, IP_CT_ESTABLISHED_REPLY, NF_NAT_MANIP_SRC, pkt_skb(&p)),
			 NF_ACCEPT);
	pkt_sync(&p);
	assert_memory_equal(p.frame, before.frame, p.len);
	assert_int_equal(nf_nat_packet(ct, IP_CT_ESTABLISHED_REPLY, NF_NAT_MANIP_DST, pkt_skb(&p)),
			 NF_ACCEPT);
	pkt_sync(&p);
	assert_memory_equal(pkt_ip(&p) + 16, &orig.src.u3.ip, 4);
	assert_int_equal(rd16(pkt_ip(&p) + 22), 1234);
	assert_csums_valid(pkt_ip(&p), p.len - ETH_HLEN_);

	nf_ct_put(ct);
	pkt_free(&p);
}

/* too short for the header the protocol needs: dropped, never overread */
static void test_truncated(void **state)
{
	static const struct {
		int family;
		u8 proto;
		unsigned int l4len;
		unsigned int verdict;
	} cases[] = {
		{ 4, IPPROTO_TCP, 7, NF_DROP },
		{ 4, IPPROTO_TCP, 8, NF_ACCEPT },	/* ports only, as a quoted header */
		{ 4, IPPROTO_TCP, 19, NF_ACCEPT },
		{ 4, IPPROTO_UDP, 7, NF_DROP },
		{ 4, IPPROTO_ICMP, 7, NF_DROP },
		{ 4, IPPROTO_SCTP, 7, NF_DROP },
		{ 4, IPPROTO_GRE, 0, NF_ACCEPT },
		{ 6, IPPROTO_TCP, 0, NF_DROP },
		{ 6, IPPROTO_UDP, 4, NF_DROP },
		{ 6, IPPROTO_ICMPV6, 6, NF_DROP },
		{ 6, IPPROTO_DCCP, 11, NF_ACCEPT },
	};
	struct nf_conntrack_tuple orig, mapped;
	struct pkt p = {};
	struct nf_conn *ct;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct spec s = {
			.family = cases[i].family, .proto = cases[i].proto,
			.sport = 1000, .dport = 2000,
			.icmp_type = cases[i].family == 4 ? 8 : 128,
		};
		unsigned int hl = cases[i].family == 4 ? 20 : 40;

		random_addr(s.family, &s.saddr);
		random_addr(s.family, &s.daddr);
		build(&p, &s);
		p.len = ETH_HLEN_ + hl + cases[i].l4len;	/* cut */
		spec_tuple(&s, &orig);
		random_mapping(&orig, &mapped, true, true);
		ct = ct_mapped(&orig, &mapped);
		assert_int_equal(nf_nat_packet(ct, IP_CT_NEW, NF_NAT_MANIP_SRC, pkt_skb(&p)),
				 cases[i].verdict);
		nf_ct_put(ct);
	}

	/* an IPv4 header cut short, or with ihl below 5 */
	{
		struct spec s = { .family = 4, .proto = IPPROTO_UDP, .payload = 4 };

		build(&p, &s);
		spec_tuple(&s, &orig);
		random_mapping(&orig, &mapped, true, false);
		ct = ct_mapped(&orig, &mapped);
		p.len = ETH_HLEN_ + 19;
		assert_int_equal(nf_nat_packet(ct, IP_CT_NEW, NF_NAT_MANIP_SRC, pkt_skb(&p)), NF_DROP);
		build(&p, &s);
		pkt_ip(&p)[0] = 0x44;
		assert_int_equal(nf_nat_packet(ct, IP_CT_NEW, NF_NAT_MANIP_SRC, pkt_skb(&p)), NF_DROP);
		build(&p, &s);
		pkt_ip(&p)[0] = 0x4f;		/* 60-byte header, longer than the packet */
		assert_int_equal(nf_nat_packet(ct, IP_CT_NEW, NF_NAT_MANIP_SRC, pkt_skb(&p)), NF_DROP);
		nf_ct_put(ct);
	}
	pkt_free(&p);
}

/* ======== ICMP errors ======== */

/* an ICMP(v6) error from src to dst quoting the packet q */
static void build_icmp_error(struct pkt *p, int family, const union nf_inet_addr *src,
			     const union nf_inet_addr *dst, u8 type, u8 code, u32 rest,
			     const struct pkt *q)
{
	unsigned int qlen = q->len - ETH_HLEN_, hl = family == 4 ? 20 : 40;
	u8 *ip = pkt_ip(p), *icmp = ip + hl;

	memset(p->frame, 0, ETH_HLEN_ + hl + 8);
	if (family == 4) {
		p->frame[12] = 0x08;
		ip[0] = 0x45;
		wr16(ip + 2, hl + 8 + qlen);
		ip[8] = 64;
		ip[9] = IPPROTO_ICMP;
		memcpy(ip + 12, &src->ip, 4);
		memcpy(ip + 16, &dst->ip, 4);
	} else {
		p->frame[12] = 0x86;
		p->frame[13] = 0xdd;
		ip[0] = 0x60;
		wr16(ip + 4, 8 + qlen);
		ip[6] = IPPROTO_ICMPV6;
		ip[7] = 64;
		memcpy(ip + 8, &src->in6, 16);
		memcpy(ip + 24, &dst->in6, 16);
	}
	icmp[0] = type;
	icmp[1] = code;
	icmp[4] = rest >> 24;
	icmp[5] = rest >> 16;
	icmp[6] = rest >> 8;
	icmp[7] = rest;
	memcpy(icmp + 8, q->frame + ETH_HLEN_, qlen);
	p->len = ETH_HLEN_ + hl + 8 + qlen;
	ref_fill(ip, hl + 8 + qlen);
}

static int translate_one(struct pkt *p, struct nf_conn *ct, enum ip_conntrack_info ctinfo,
			 enum nf_nat_manip_type mtype)
{
	int family = pkt_ip(p)[0] >> 4, ret;

	if (family == 4)
		ret = nf_nat_icmp_reply_translation(pkt_skb(p), ct, ctinfo, mtype);
	else
		ret = nf_nat_icmpv6_reply_translation(pkt_skb(p), ct, ctinfo, mtype);
	pkt_sync(p);
	return ret;
}

/* the packet an ICMP error quotes carries tuple t (addresses, ports or id) */
static void assert_quoted(const u8 *inner, int family, const struct nf_conntrack_tuple *t)
{
	unsigned int alen = family == 4 ? 4 : 16, hl = family == 4 ? (inner[0] & 0xf) * 4 : 40;

	assert_memory_equal(inner + (family == 4 ? 12 : 8), &t->src.u3, alen);
	assert_memory_equal(inner + (family == 4 ? 16 : 24), &t->dst.u3, alen);
	if (proto_is_icmp(t->dst.protonum)) {
		assert_int_equal(rd16(inner + hl + 4), ntohs(t->src.u.icmp.id));
	} else {
		assert_int_equal(rd16(inner + hl), ntohs(t->src.u.all));
		assert_int_equal(rd16(inner + hl + 2), ntohs(t->dst.u.all));
	}
}

static void assert_outer(struct pkt *p, int family, const union nf_inet_addr *src,
			 const union nf_inet_addr *dst)
{
	unsigned int alen = family == 4 ? 4 : 16;

	assert_memory_equal(pkt_ip(p) + (family == 4 ? 12 : 8), src, alen);
	assert_memory_equal(pkt_ip(p) + (family == 4 ? 16 : 24), dst, alen);
}

/*
 * IPv4 error quoting only 8 bytes of TCP: the quoted checksum lies outside
 * the quote, so check the sums that are there.
 */
static void assert_short_quote_csums(struct pkt *p)
{
	u8 *ip = pkt_ip(p), *inner = ip + 28;
	unsigned int len = p->len - ETH_HLEN_;

	assert_int_equal(ref_fold(ref_sum(ip, 20, 0)), 0);
	assert_int_equal(ref_fold(ref_sum(ip + 20, len - 20, 0)), 0);
	assert_int_equal(ref_fold(ref_sum(inner, (inner[0] & 0xf) * 4, 0)), 0);
}

/*
 * act_ct translates an error once per manip type the connection has
 * (both for a connection with SNAT and DNAT): do the same.
 */
static int translate(struct pkt *p, struct nf_conn *ct, enum ip_conntrack_info ctinfo)
{
	int ret = translate_one(p, ct, ctinfo, NF_NAT_MANIP_SRC);

	return ret && translate_one(p, ct, ctinfo, NF_NAT_MANIP_DST);
}

/*
 * The error the far side sends about a packet of the mapped tuple, and the
 * one the near side sends about a reply it received: each must come out
 * as if the connection had never been NATed.
 */
static void run_icmp_error(int family, u8 proto, const struct nf_conntrack_tuple *orig,
			   const struct nf_conntrack_tuple *mapped, u8 type, u8 code, u32 rest,
			   unsigned int payload, bool quote_whole)
{
	struct spec s = { .family = family, .proto = proto, .payload = payload };
	unsigned int hl = family == 4 ? 20 : 40;
	struct nf_conntrack_tuple repl, seen_reply;
	struct nf_conn *ct = ct_mapped(orig, mapped);
	struct pkt q = {}, p = {};

	repl = *reply_of(ct);

	/* 1. from the far side: it quotes the mapped packet, and goes to its source */
	tuple_spec(mapped, &s, &s);
	build(&q, &s);
	if (!quote_whole)
		q.len = ETH_HLEN_ + hl + 8;	/* the 8 bytes RFC 792 promises */
	build_icmp_error(&p, family, &mapped->dst.u3, &mapped->src.u3, type, code, rest, &q);
	assert_int_equal(translate(&p, ct, IP_CT_RELATED_REPLY), 1);
	assert_quoted(pkt_ip(&p) + hl + 8, family, orig);
	assert_outer(&p, family, &orig->dst.u3, &orig->src.u3);
	/* the rest of the ICMP header (MTU, pointer, unused) is not an id */
	assert_int_equal(rd16(pkt_ip(&p) + hl + 4), rest >> 16);
	assert_int_equal(rd16(pkt_ip(&p) + hl + 6), rest & 0xffff);
	if (quote_whole)
		assert_csums_valid(pkt_ip(&p), p.len - ETH_HLEN_);
	else
		assert_short_quote_csums(&p);

	/* 2. from the near side, about the reply as it saw it */
	assert_true(nf_ct_invert_tuple(&seen_reply, orig));
	tuple_spec(&seen_reply, &s, &s);
	build(&q, &s);
	build_icmp_error(&p, family, &orig->src.u3, &orig->dst.u3, type, code, rest, &q);
	assert_int_equal(translate(&p, ct, IP_CT_RELATED), 1);
	assert_quoted(pkt_ip(&p) + hl + 8, family, &repl);
	assert_outer(&p, family, &mapped->src.u3, &mapped->dst.u3);
	assert_csums_valid(pkt_ip(&p), p.len - ETH_HLEN_);

	nf_ct_put(ct);
	pkt_free(&q);
	pkt_free(&p);
}

static void test_icmp_error_port_unreachable(void **state)
{
	struct nf_conntrack_tuple orig, mapped;

	/* SNAT: 10.0.0.1:1234 leaves as 1.2.3.4:5000 */
	tuple4(&orig, IPPROTO_UDP, "10.0.0.1", 1234, "8.8.8.8", 53);
	tuple4(&mapped, IPPROTO_UDP, "1.2.3.4", 5000, "8.8.8.8", 53);
	run_icmp_error(4, IPPROTO_UDP, &orig, &mapped, 3, 3, 0, 21, true);
	run_icmp_error(4, IPPROTO_UDP, &orig, &mapped, 3, 3, 0, 0, true);

	/* DNAT: 1.2.3.4:80 is served by 10.0.0.5:8080; TCP, fragmentation needed */
	tuple4(&orig, IPPROTO_TCP, "192.168.1.10", 4000, "1.2.3.4", 80);
	tuple4(&mapped, IPPROTO_TCP, "192.168.1.10", 4000, "10.0.0.5", 8080);
	run_icmp_error(4, IPPROTO_TCP, &orig, &mapped, 3, 4, 1400, 33, true);
	/* only the first 8 bytes of TCP quoted: ports move, no checksum to fix */
	run_icmp_error(4, IPPROTO_TCP, &orig, &mapped, 3, 4, 1400, 33, false);

	/* both ways at once; time exceeded about a ping */
	tuple4(&orig, IPPROTO_ICMP, "10.0.0.1", 77, "9.9.9.9", 8);
	tuple4(&mapped, IPPROTO_ICMP, "1.2.3.4", 4242, "10.9.9.9", 8);
	run_icmp_error(4, IPPROTO_ICMP, &orig, &mapped, 11, 0, 0, 17, true);
	/* parameter problem: the pointer in byte 4 must survive */
	tuple4(&orig, IPPROTO_UDP, "10.0.0.1", 1234, "8.8.8.8", 53);
	tuple4(&mapped, IPPROTO_UDP, "1.2.3.4", 5000, "8.8.4.4", 5353);
	run_icmp_error(4, IPPROTO_UDP, &orig, &mapped, 12, 0, 0x14000000, 9, true);
}

static void test_icmpv6_error(void **state)
{
	struct nf_conntrack_tuple orig, mapped;

	tuple6(&orig, IPPROTO_UDP, "fd00::1", 1234, "2001:db8::53", 53);
	tuple6(&mapped, IPPROTO_UDP, "2001:db8:ffff::1", 5000, "2001:db8::53", 53);
	run_icmp_error(6, IPPROTO_UDP, &orig, &mapped, 1, 4, 0, 13, true);

	tuple6(&orig, IPPROTO_TCP, "2001:db8:1::10", 4000, "2001:db8:2::80", 80);
	tuple6(&mapped, IPPROTO_TCP, "2001:db8:1::10", 4000, "fd00:5::5", 8080);
	run_icmp_error(6, IPPROTO_TCP, &orig, &mapped, 2, 0, 1280, 40, true);

	tuple6(&orig, IPPROTO_ICMPV6, "fd00::1", 7, "2001:db8::9", 128);
	tuple6(&mapped, IPPROTO_ICMPV6, "2001:db8:ffff::1", 999, "2001:db8::9", 128);
	run_icmp_error(6, IPPROTO_ICMPV6, &orig, &mapped, 3, 0, 0, 24, true);
}

/* put an 8-byte destination options header between IPv6 and its payload */
static void v6_insert_dstopts(struct pkt *p)
{
	u8 *ip = pkt_ip(p);

	assert_true(p->len + 8 <= PKT_MAX);
	memmove(ip + 48, ip + 40, p->len - ETH_HLEN_ - 40);
	memcpy(ip + 40, "\0\0\x01\x04\0\0\0\0", 8);
	ip[40] = ip[6];
	ip[6] = 60;
	wr16(ip + 4, rd16(ip + 4) + 8);
	p->len += 8;
}

/* the ICMPv6 message is found after extension headers; a bad checksum drops */
static void test_icmpv6_error_exthdr(void **state)
{
	struct nf_conntrack_tuple orig, mapped;
	struct spec s = { .family = 6, .proto = IPPROTO_UDP, .payload = 11 };
	struct pkt q = {}, p = {}, before;
	struct nf_conn *ct;

	tuple6(&orig, IPPROTO_UDP, "fd00::1", 1234, "2001:db8::53", 53);
	tuple6(&mapped, IPPROTO_UDP, "2001:db8:ffff::1", 5000, "2001:db8::53", 53);
	ct = ct_mapped(&orig, &mapped);
	tuple_spec(&mapped, &s, &s);
	build(&q, &s);
	build_icmp_error(&p, 6, &mapped.dst.u3, &mapped.src.u3, 1, 4, 0, &q);
	v6_insert_dstopts(&p);
	assert_csums_valid(pkt_ip(&p), p.len - ETH_HLEN_);
	before = p;

	assert_int_equal(translate(&p, ct, IP_CT_RELATED_REPLY), 1);
	assert_quoted(pkt_ip(&p) + 48 + 8, 6, &orig);
	assert_outer(&p, 6, &orig.dst.u3, &orig.src.u3);
	assert_csums_valid(pkt_ip(&p), p.len - ETH_HLEN_);

	p = before;
	pkt_ip(&p)[48 + 2] ^= 0x80;
	assert_int_equal(translate(&p, ct, IP_CT_RELATED_REPLY), 0);
	nf_ct_put(ct);
	pkt_free(&q);
	pkt_free(&p);
}

/* what is not a translatable error is refused (0), or left alone (1) */
static void test_icmp_error_refused(void **state)
{
	struct nf_conntrack_tuple orig, mapped;
	struct spec s = { .family = 4, .proto = IPPROTO_UDP, .payload = 8 };
	struct pkt q = {}, p = {}, before;
	struct nf_conn *ct;

	tuple4(&orig, IPPROTO_UDP, "10.0.0.1", 1234, "8.8.8.8", 53);
	tuple4(&mapped, IPPROTO_UDP, "1.2.3.4", 5000, "8.8.8.8", 53);
	ct = ct_mapped(&orig, &mapped);
	tuple_spec(&mapped, &s, &s);
	build(&q, &s);
	build_icmp_error(&p, 4, &mapped.dst.u3, &mapped.src.u3, 3, 3, 0, &q);
	before = p;

	/* the direction has no mapping to undo: untouched, accepted */
	assert_int_equal(translate_one(&p, ct, IP_CT_RELATED_REPLY, NF_NAT_MANIP_SRC), 1);
	assert_memory_equal(p.frame, before.frame, p.len);
	/* not related: not an error of this connection */
	assert_int_equal(translate_one(&p, ct, IP_CT_ESTABLISHED_REPLY, NF_NAT_MANIP_DST), 0);
	/* a bad ICMP checksum */
	p = before;
	pkt_ip(&p)[22] ^= 1;
	assert_int_equal(translate_one(&p, ct, IP_CT_RELATED_REPLY, NF_NAT_MANIP_DST), 0);
	/* cut inside the quoted IP header */
	p = before;
	p.len = ETH_HLEN_ + 20 + 8 + 19;
	wr16(pkt_ip(&p) + 2, 47);
	wr16(pkt_ip(&p) + 10, 0);
	wr16(pkt_ip(&p) + 10, ref_fold(ref_sum(pkt_ip(&p), 20, 0)));
	/* with an ICMP checksum right for the shorter message */
	wr16(pkt_ip(&p) + 22, 0);
	wr16(pkt_ip(&p) + 22, ref_fold(ref_sum(pkt_ip(&p) + 20, 27, 0)));
	assert_int_equal(translate_one(&p, ct, IP_CT_RELATED_REPLY, NF_NAT_MANIP_DST), 0);
	/* a redirect about a NATed connection */
	build_icmp_error(&p, 4, &mapped.dst.u3, &mapped.src.u3, 5, 1, 0x01020304, &q);
	assert_int_equal(translate_one(&p, ct, IP_CT_RELATED_REPLY, NF_NAT_MANIP_DST), 0);
	/* not ICMP at all */
	p = before;
	pkt_ip(&p)[9] = IPPROTO_UDP;
	assert_int_equal(translate_one(&p, ct, IP_CT_RELATED_REPLY, NF_NAT_MANIP_DST), 0);
	nf_ct_put(ct);

	/* a redirect on a connection set up without NAT passes */
	tuple4(&orig, IPPROTO_UDP, "10.0.0.1", 1234, "8.8.8.8", 53);
	ct = ct_mapped(&orig, &orig);
	tuple_spec(&orig, &s, &s);
	build(&q, &s);
	build_icmp_error(&p, 4, &orig.dst.u3, &orig.src.u3, 5, 1, 0x01020304, &q);
	assert_int_equal(translate(&p, ct, IP_CT_RELATED), 1);
	assert_quoted(pkt_ip(&p) + 28, 4, &orig);
	nf_ct_put(ct);

	pkt_free(&q);
	pkt_free(&p);
}

/* ======== choosing mappings ======== */

static void test_snat_keeps_free_port(void **state)
{
	struct nf_nat_range2 r = range4("1.2.3.4", "1.2.3.4", 0, 0);
	struct nf_conntrack_tuple orig, want;
	struct nf_conn *ct;
	char src[32];
	int i;

	tuple4(&orig, IPPROTO_TCP, "10.0.0.1", 40000, "8.8.8.8", 443);
	ct = ct_new(&orig);
	assert_int_equal(nf_nat_setup_info(ct, &r, NF_NAT_MANIP_SRC), NF_ACCEPT);
	tuple4(&want, IPPROTO_TCP, "8.8.8.8", 443, "1.2.3.4", 40000);
	assert_true(nf_ct_tuple_equal(reply_of(ct), &want));
	assert_true(test_bit(IPS_SRC_NAT_BIT, &ct->status));
	assert_true(test_bit(IPS_SRC_NAT_DONE_BIT, &ct->status));
	assert_false(test_bit(IPS_DST_NAT_BIT, &ct->status));
	assert_false(nf_nat_initialized(ct, NF_NAT_MANIP_DST));
	/* a mapping is made once */
	assert_int_equal(nf_nat_setup_info(ct, &r, NF_NAT_MANIP_SRC), NF_DROP);
	nf_ct_put(ct);

	/* a source already in range is not translated */
	tuple4(&orig, IPPROTO_TCP, "1.2.3.4", 40000, "8.8.8.8", 443);
	ct = ct_new(&orig);
	assert_int_equal(nf_nat_setup_info(ct, &r, NF_NAT_MANIP_SRC), NF_ACCEPT);
	assert_true(nf_ct_invert_tuple(&want, &orig));
	assert_true(nf_ct_tuple_equal(reply_of(ct), &want));
	assert_false(test_bit(IPS_SRC_NAT_BIT, &ct->status));
	assert_true(test_bit(IPS_SRC_NAT_DONE_BIT, &ct->status));
	nf_ct_put(ct);

	/* ... anywhere in an address range (the hash would pick another) */
	r = range4("1.2.3.1", "1.2.3.8", 40000, 40010);
	for (i = 1; i <= 8; i++) {
		snprintf(src, sizeof(src), "1.2.3.%d", i);
		tuple4(&orig, IPPROTO_TCP, src, 40000 + i, "8.8.8.8", 443);
		ct = ct_new(&orig);
		assert_int_equal(nf_nat_setup_info(ct, &r, NF_NAT_MANIP_SRC), NF_ACCEPT);
		assert_true(nf_ct_invert_tuple(&want, &orig));
		assert_true(nf_ct_tuple_equal(reply_of(ct), &want));
		assert_false(test_bit(IPS_SRC_NAT_BIT, &ct->status));
		nf_ct_put(ct);
	}
}

/* the ports 1000-1008 of 1.2.3.4 toward 8.8.8.8:53 are held: 1009 is left */
static void test_snat_port_collisions(void **state)
{
	struct nf_nat_range2 r = range4("1.2.3.4", "1.2.3.4", 1000, 1009);
	struct nf_conntrack_tuple orig;
	struct nf_conn *ct;
	char other[32];
	int i;

	for (i = 0; i < 9; i++) {
		snprintf(other, sizeof(other), "10.0.1.%d", i + 1);
		occupy4(IPPROTO_UDP, other, 1234, "1.2.3.4", 1000 + i, "8.8.8.8", 53);
	}
	tuple4(&orig, IPPROTO_UDP, "10.0.0.1", 1234, "8.8.8.8", 53);
	ct = ct_new(&orig);
	assert_int_equal(nf_nat_setup_info(ct, &r, NF_NAT_MANIP_SRC), NF_ACCEPT);
	assert_int_equal(ntohs(reply_of(ct)->dst.u.all), 1009);
	assert_int_equal(reply_of(ct)->dst.u3.ip, r.min_addr.ip);
	assert_int_equal(ntohs(reply_of(ct)->src.u.all), 53);
	ct_confirm(ct);

	/* the range is full now */
	tuple4(&orig, IPPROTO_UDP, "10.0.0.2", 1234, "8.8.8.8", 53);
	ct = ct_new(&orig);
	assert_int_equal(nf_nat_setup_info(ct, &r, NF_NAT_MANIP_SRC), NF_DROP);
	assert_false(nf_nat_initialized(ct, NF_NAT_MANIP_SRC));
	nf_ct_put(ct);

	/* a port taken toward another peer is free toward this one */
	tuple4(&orig, IPPROTO_UDP, "10.0.0.2", 1234, "8.8.4.4", 53);
	ct = ct_new(&orig);
	assert_int_equal(nf_nat_setup_info(ct, &r, NF_NAT_MANIP_SRC), NF_ACCEPT);
	assert_in_range(ntohs(reply_of(ct)->dst.u.all), 1000, 1009);
	nf_ct_put(ct);

	/* TCP is another protocol: its own ports */
	tuple4(&orig, IPPROTO_TCP, "10.0.0.2", 1234, "8.8.8.8", 53);
	ct = ct_new(&orig);
	assert_int_equal(nf_nat_setup_info(ct, &r, NF_NAT_MANIP_SRC), NF_ACCEPT);
	nf_ct_put(ct);
}

/* a big range half full: every new connection gets a free port in range */
static void test_snat_many_collisions(void **state)
{
	struct nf_nat_range2 r = range4("1.2.3.4", "1.2.3.4", 20000, 20999);
	static bool used[1000];
	struct nf_conntrack_tuple orig;
	struct nf_conn *ct;
	char other[32];
	int i, n = 0;

	memset(used, 0, sizeof(used));
	while (n < 500) {
		int port = rnd_below(1000);

		if (used[port])
			continue;
		used[port] = true;
		snprintf(other, sizeof(other), "10.1.%d.%d", n / 250, n % 250 + 1);
		occupy4(IPPROTO_TCP, other, 5555, "1.2.3.4", 20000 + port, "93.184.216.34", 443);
		n++;
	}
	for (i = 0; i < 300; i++) {
		u16 port;

		snprintf(other, sizeof(other), "10.2.%d.%d", i / 250, i % 250 + 1);
		tuple4(&orig, IPPROTO_TCP, other, 5555, "93.184.216.34", 443);
		ct = ct_new(&orig);
		assert_int_equal(nf_nat_setup_info(ct, &r, NF_NAT_MANIP_SRC), NF_ACCEPT);
		port = ntohs(reply_of(ct)->dst.u.all);
		assert_in_range(port, 20000, 20999);
		assert_false(used[port - 20000]);
		used[port - 20000] = true;
		ct_confirm(ct);
	}
}

/*
 * The first round of the search starts where PROTO_OFFSET says; with its
 * 128 ports all taken, a later round (from a random start) must still find
 * one of the free ports.  With every port taken: NF_DROP, quickly.
 */
static void test_snat_search_rounds(void **state)
{
	struct nf_nat_range2 r = range4("1.2.3.4", "1.2.3.4", 30000, 30999);
	struct nf_conntrack_tuple orig;
	struct nf_conn *ct;
	char other[32];
	int i, n;

	r.flags |= NF_NAT_RANGE_PROTO_OFFSET;
	r.base_proto.all = htons(1000);		/* source port 1100: starts at 30100 */
	for (i = 0; i < 128; i++) {
		snprintf(other, sizeof(other), "10.3.%d.%d", i / 200, i % 200 + 1);
		occupy4(IPPROTO_TCP, other, 1, "1.2.3.4", 30100 + i, "8.8.8.8", 443);
	}
	for (n = 0; n < 20; n++) {
		u16 port;

		snprintf(other, sizeof(other), "10.4.0.%d", n + 1);
		tuple4(&orig, IPPROTO_TCP, other, 1100, "8.8.8.8", 443);
		ct = ct_new(&orig);
		assert_int_equal(nf_nat_setup_info(ct, &r, NF_NAT_MANIP_SRC), NF_ACCEPT);
		port = ntohs(reply_of(ct)->dst.u.all);
		assert_in_range(port, 30000, 30999);
		assert_false(port >= 30100 && port < 30228);
		nf_ct_put(ct);
	}

	/* fill the rest: nothing left */
	for (i = 0; i < 1000; i++) {
		if (i >= 100 && i < 228)
			continue;
		snprintf(other, sizeof(other), "10.5.%d.%d", i / 200, i % 200 + 1);
		occupy4(IPPROTO_TCP, other, 1, "1.2.3.4", 30000 + i, "8.8.8.8", 443);
	}
	tuple4(&orig, IPPROTO_TCP, "10.4.1.1", 1100, "8.8.8.8", 443);
	ct = ct_new(&orig);
	assert_int_equal(nf_nat_setup_info(ct, &r, NF_NAT_MANIP_SRC), NF_DROP);
	nf_ct_put(ct);
}

/* without a port range, a clashing source port keeps its class */
static void test_snat_default_port_classes(void **state)
{
	static const struct {
		u16 port, lo, hi;
	} cases[] = {
		{ 80, 1, 511 }, { 0, 1, 511 }, { 700, 600, 1023 }, { 512, 600, 1023 },
		{ 1024, 1024, 65535 }, { 40000, 1024, 65535 },
	};
	struct nf_nat_range2 r = range4("1.2.3.4", "1.2.3.4", 0, 0);
	struct nf_conntrack_tuple orig;
	struct nf_conn *ct;
	unsigned int i, j;
	char src[32];

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		occupy4(IPPROTO_UDP, "10.9.9.9", cases[i].port, "1.2.3.4", cases[i].port,
			"8.8.8.8", 53);
		/* many tries: a class bound off by a little must show */
		for (j = 0; j < 50; j++) {
			u16 port;

			snprintf(src, sizeof(src), "10.0.0.%u", j + 1);
			tuple4(&orig, IPPROTO_UDP, src, cases[i].port, "8.8.8.8", 53);
			ct = ct_new(&orig);
			assert_int_equal(nf_nat_setup_info(ct, &r, NF_NAT_MANIP_SRC), NF_ACCEPT);
			port = ntohs(reply_of(ct)->dst.u.all);
			assert_int_not_equal(port, cases[i].port);
			assert_in_range(port, cases[i].lo, cases[i].hi);
			nf_ct_put(ct);
		}
	}
}

static void test_snat_random_and_offset(void **state)
{
	struct nf_nat_range2 r = range4("1.2.3.4", "1.2.3.4", 5000, 5999);
	struct nf_conntrack_tuple orig;
	struct nf_conn *ct;
	int i, moved = 0;

	/* random: a port in range even when the original one would fit */
	r.flags |= NF_NAT_RANGE_PROTO_RANDOM_FULLY;
	for (i = 0; i < 20; i++) {
		tuple4(&orig, IPPROTO_TCP, "10.0.0.1", 5500, "8.8.8.8", 443);
		ct = ct_new(&orig);
		assert_int_equal(nf_nat_setup_info(ct, &r, NF_NAT_MANIP_SRC), NF_ACCEPT);
		assert_in_range(ntohs(reply_of(ct)->dst.u.all), 5000, 5999);
		moved += ntohs(reply_of(ct)->dst.u.all) != 5500;
		nf_ct_put(ct);
	}
	assert_true(moved > 10);

	/* offset: the port keeps its distance from base (1234 - 1000) */
	r.flags &= ~NF_NAT_RANGE_PROTO_RANDOM_FULLY;
	r.flags |= NF_NAT_RANGE_PROTO_OFFSET;
	r.base_proto.all = htons(1000);
	tuple4(&orig, IPPROTO_TCP, "10.0.0.1", 1234, "8.8.8.8", 443);
	ct = ct_new(&orig);
	assert_int_equal(nf_nat_setup_info(ct, &r, NF_NAT_MANIP_SRC), NF_ACCEPT);
	assert_int_equal(ntohs(reply_of(ct)->dst.u.all), 5234);
	ct_confirm(ct);
	/* and the next free one after it when taken */
	tuple4(&orig, IPPROTO_TCP, "10.0.0.2", 1234, "8.8.8.8", 443);
	ct = ct_new(&orig);
	assert_int_equal(nf_nat_setup_info(ct, &r, NF_NAT_MANIP_SRC), NF_ACCEPT);
	assert_int_equal(ntohs(reply_of(ct)->dst.u.all), 5235);
	nf_ct_put(ct);
}

static void test_dnat(void **state)
{
	struct nf_nat_range2 r = range4("10.0.0.5", "10.0.0.5", 0, 0);
	struct nf_conntrack_tuple orig, want;
	struct nf_conn *ct;

	/* the port is kept when free */
	tuple4(&orig, IPPROTO_TCP, "192.168.1.10", 4000, "1.2.3.4", 80);
	ct = ct_new(&orig);
	assert_int_equal(nf_nat_setup_info(ct, &r, NF_NAT_MANIP_DST), NF_ACCEPT);
	tuple4(&want, IPPROTO_TCP, "10.0.0.5", 80, "192.168.1.10", 4000);
	assert_true(nf_ct_tuple_equal(reply_of(ct), &want));
	assert_true(test_bit(IPS_DST_NAT_BIT, &ct->status));
	assert_true(test_bit(IPS_DST_NAT_DONE_BIT, &ct->status));
	assert_false(test_bit(IPS_SRC_NAT_BIT, &ct->status));
	ct_confirm(ct);

	/* the same client port toward the same server: nowhere to go without a port range */
	tuple4(&orig, IPPROTO_TCP, "192.168.1.10", 4000, "1.2.3.5", 80);
	ct = ct_new(&orig);
	assert_int_equal(nf_nat_setup_info(ct, &r, NF_NAT_MANIP_DST), NF_DROP);
	nf_ct_put(ct);

	/* a port range: 8080 */
	r = range4("10.0.0.5", "10.0.0.5", 8080, 8080);
	tuple4(&orig, IPPROTO_TCP, "192.168.1.11", 4000, "1.2.3.4", 80);
	ct = ct_new(&orig);
	assert_int_equal(nf_nat_setup_info(ct, &r, NF_NAT_MANIP_DST), NF_ACCEPT);
	tuple4(&want, IPPROTO_TCP, "10.0.0.5", 8080, "192.168.1.11", 4000);
	assert_true(nf_ct_tuple_equal(reply_of(ct), &want));

	/* then SNAT on top of it: the reply keeps the DNAT part */
	r = range4("172.16.0.1", "172.16.0.1", 0, 0);
	assert_int_equal(nf_nat_setup_info(ct, &r, NF_NAT_MANIP_SRC), NF_ACCEPT);
	tuple4(&want, IPPROTO_TCP, "10.0.0.5", 8080, "172.16.0.1", 4000);
	assert_true(nf_ct_tuple_equal(reply_of(ct), &want));
	assert_true(test_bit(IPS_SRC_NAT_BIT, &ct->status));
	assert_true(test_bit(IPS_DST_NAT_BIT, &ct->status));
	nf_ct_put(ct);
}

static void test_null_binding(void **state)
{
	struct nf_conntrack_tuple orig, want;
	struct nf_conn *ct;

	tuple4(&orig, IPPROTO_UDP, "10.0.0.1", 1234, "8.8.8.8", 53);
	ct = ct_new(&orig);
	assert_int_equal(nf_nat_alloc_null_binding(ct, NF_NAT_MANIP_SRC), NF_ACCEPT);
	assert_int_equal(nf_nat_alloc_null_binding(ct, NF_NAT_MANIP_DST), NF_ACCEPT);
	assert_true(nf_ct_invert_tuple(&want, &orig));
	assert_true(nf_ct_tuple_equal(reply_of(ct), &want));
	assert_true(nf_nat_initialized(ct, NF_NAT_MANIP_SRC));
	assert_true(nf_nat_initialized(ct, NF_NAT_MANIP_DST));
	assert_int_equal(ct->status & IPS_NAT_MASK, 0);
	ct_confirm(ct);

	/* another connection whose reply would clash: its source port moves */
	occupy4(IPPROTO_UDP, "10.5.5.5", 999, "10.0.0.2", 1234, "8.8.8.8", 53);
	tuple4(&orig, IPPROTO_UDP, "10.0.0.2", 1234, "8.8.8.8", 53);
	ct = ct_new(&orig);
	assert_int_equal(nf_nat_alloc_null_binding(ct, NF_NAT_MANIP_SRC), NF_ACCEPT);
	assert_int_equal(reply_of(ct)->dst.u3.ip, orig.src.u3.ip);
	assert_int_not_equal(ntohs(reply_of(ct)->dst.u.all), 1234);
	assert_in_range(ntohs(reply_of(ct)->dst.u.all), 1024, 65535);
	assert_true(test_bit(IPS_SRC_NAT_BIT, &ct->status));
	nf_ct_put(ct);
}

static void test_icmp_id(void **state)
{
	struct nf_nat_range2 r = range4("1.2.3.4", "1.2.3.4", 0, 0);
	struct nf_conntrack_tuple orig;
	struct nf_conn *ct;

	/* two hosts ping the same server with the same id */
	tuple4(&orig, IPPROTO_ICMP, "10.0.0.1", 77, "9.9.9.9", 8);
	ct = ct_new(&orig);
	assert_int_equal(nf_nat_setup_info(ct, &r, NF_NAT_MANIP_SRC), NF_ACCEPT);
	assert_int_equal(ntohs(reply_of(ct)->src.u.icmp.id), 77);
	assert_int_equal(reply_of(ct)->dst.u.icmp.type, 0);
	ct_confirm(ct);

	tuple4(&orig, IPPROTO_ICMP, "10.0.0.2", 77, "9.9.9.9", 8);
	ct = ct_new(&orig);
	assert_int_equal(nf_nat_setup_info(ct, &r, NF_NAT_MANIP_SRC), NF_ACCEPT);
	assert_int_not_equal(ntohs(reply_of(ct)->src.u.icmp.id), 77);
	assert_int_equal(reply_of(ct)->dst.u3.ip, r.min_addr.ip);
	nf_ct_put(ct);

	/* an id range of one, taken: nothing left */
	r = range4("1.2.3.4", "1.2.3.4", 77, 77);
	ct = ct_new(&orig);
	assert_int_equal(nf_nat_setup_info(ct, &r, NF_NAT_MANIP_SRC), NF_DROP);
	nf_ct_put(ct);
	/* id range 100-101: in it */
	r = range4("1.2.3.4", "1.2.3.4", 100, 101);
	ct = ct_new(&orig);
	assert_int_equal(nf_nat_setup_info(ct, &r, NF_NAT_MANIP_SRC), NF_ACCEPT);
	assert_in_range(ntohs(reply_of(ct)->src.u.icmp.id), 100, 101);
	nf_ct_put(ct);
}

static void test_address_range_spreads(void **state)
{
	struct nf_nat_range2 r = range4("100.64.0.1", "100.64.0.8", 0, 0);
	struct nf_conntrack_tuple orig;
	unsigned int seen = 0;
	u32 first, addr;
	struct nf_conn *ct;
	char src[32];
	int i;

	for (i = 0; i < 200; i++) {
		snprintf(src, sizeof(src), "10.0.%d.%d", i / 100, i % 100 + 1);
		tuple4(&orig, IPPROTO_TCP, src, 30000, "8.8.8.8", 443);
		ct = ct_new(&orig);
		assert_int_equal(nf_nat_setup_info(ct, &r, NF_NAT_MANIP_SRC), NF_ACCEPT);
		addr = ntohl(reply_of(ct)->dst.u3.ip);
		assert_in_range(addr, 0x64400001, 0x64400008);
		seen |= 1u << (addr - 0x64400001);
		nf_ct_put(ct);
	}
	assert_int_equal(seen, 0xff);

	/* the same pair always maps to the same address, whatever the ports */
	tuple4(&orig, IPPROTO_TCP, "10.0.0.1", 30000, "8.8.8.8", 443);
	ct = ct_new(&orig);
	assert_int_equal(nf_nat_setup_info(ct, &r, NF_NAT_MANIP_SRC), NF_ACCEPT);
	first = reply_of(ct)->dst.u3.ip;
	nf_ct_put(ct);
	tuple4(&orig, IPPROTO_UDP, "10.0.0.1", 999, "8.8.8.8", 53);
	ct = ct_new(&orig);
	assert_int_equal(nf_nat_setup_info(ct, &r, NF_NAT_MANIP_SRC), NF_ACCEPT);
	assert_int_equal(reply_of(ct)->dst.u3.ip, first);
	nf_ct_put(ct);

	/* without persistent, one client to many servers spreads too */
	seen = 0;
	for (i = 0; i < 100; i++) {
		snprintf(src, sizeof(src), "198.51.100.%d", i + 1);
		tuple4(&orig, IPPROTO_TCP, "10.0.0.1", 30000, src, 443);
		ct = ct_new(&orig);
		assert_int_equal(nf_nat_setup_info(ct, &r, NF_NAT_MANIP_SRC), NF_ACCEPT);
		seen |= 1u << (ntohl(reply_of(ct)->dst.u3.ip) - 0x64400001);
		nf_ct_put(ct);
	}
	assert_int_equal(seen, 0xff);

	/* persistent: one address per client, whatever the destination */
	r.flags |= NF_NAT_RANGE_PERSISTENT;
	tuple4(&orig, IPPROTO_TCP, "10.0.0.1", 30000, "1.1.1.1", 443);
	ct = ct_new(&orig);
	assert_int_equal(nf_nat_setup_info(ct, &r, NF_NAT_MANIP_SRC), NF_ACCEPT);
	first = reply_of(ct)->dst.u3.ip;
	nf_ct_put(ct);
	for (i = 0; i < 20; i++) {
		snprintf(src, sizeof(src), "198.51.100.%d", i + 1);
		tuple4(&orig, IPPROTO_TCP, "10.0.0.1", 30000, src, 443);
		ct = ct_new(&orig);
		assert_int_equal(nf_nat_setup_info(ct, &r, NF_NAT_MANIP_SRC), NF_ACCEPT);
		assert_int_equal(reply_of(ct)->dst.u3.ip, first);
		nf_ct_put(ct);
	}

	/* DNAT over a range of servers */
	r = range4("10.10.0.1", "10.10.0.4", 0, 0);
	seen = 0;
	for (i = 0; i < 100; i++) {
		snprintf(src, sizeof(src), "192.0.2.%d", i + 1);
		tuple4(&orig, IPPROTO_TCP, src, 30000, "1.2.3.4", 80);
		ct = ct_new(&orig);
		assert_int_equal(nf_nat_setup_info(ct, &r, NF_NAT_MANIP_DST), NF_ACCEPT);
		addr = ntohl(reply_of(ct)->src.u3.ip);
		assert_in_range(addr, 0x0a0a0001, 0x0a0a0004);
		assert_int_equal(ntohs(reply_of(ct)->src.u.all), 80);
		seen |= 1u << (addr - 0x0a0a0001);
		nf_ct_put(ct);
	}
	assert_int_equal(seen, 0xf);
}

/* ======== IPv6 ======== */

static void test_ipv6_mappings(void **state)
{
	struct nf_nat_range2 r = { .flags = NF_NAT_RANGE_MAP_IPS | NF_NAT_RANGE_PROTO_SPECIFIED };
	struct nf_conntrack_tuple orig, mapped;
	union nf_inet_addr lo, hi;
	struct nf_conn *ct;
	unsigned int seen = 0;
	char src[64];
	int i;

	/* one address, ports 7000-7001, one already held */
	addr6(&r.min_addr, "2001:db8:ffff::1");
	r.max_addr = r.min_addr;
	r.min_proto.all = htons(7000);
	r.max_proto.all = htons(7001);
	tuple6(&orig, IPPROTO_UDP, "fd00::9", 1, "2001:db8::53", 53);
	tuple6(&mapped, IPPROTO_UDP, "2001:db8:ffff::1", 7000, "2001:db8::53", 53);
	ct_confirm(ct_mapped(&orig, &mapped));
	tuple6(&orig, IPPROTO_UDP, "fd00::1", 1234, "2001:db8::53", 53);
	ct = ct_new(&orig);
	assert_int_equal(nf_nat_setup_info(ct, &r, NF_NAT_MANIP_SRC), NF_ACCEPT);
	assert_memory_equal(&reply_of(ct)->dst.u3, &r.min_addr, 16);
	assert_int_equal(ntohs(reply_of(ct)->dst.u.all), 7001);
	ct_confirm(ct);
	tuple6(&orig, IPPROTO_UDP, "fd00::2", 1234, "2001:db8::53", 53);
	ct = ct_new(&orig);
	assert_int_equal(nf_nat_setup_info(ct, &r, NF_NAT_MANIP_SRC), NF_DROP);
	nf_ct_put(ct);

	/* a range in the last bits spreads */
	r.flags = NF_NAT_RANGE_MAP_IPS;
	addr6(&r.min_addr, "2001:db8:ffff::10");
	addr6(&r.max_addr, "2001:db8:ffff::17");
	for (i = 0; i < 200; i++) {
		snprintf(src, sizeof(src), "fd00::%x", i + 1);
		tuple6(&orig, IPPROTO_TCP, src, 40000, "2001:db8::80", 80);
		ct = ct_new(&orig);
		assert_int_equal(nf_nat_setup_info(ct, &r, NF_NAT_MANIP_SRC), NF_ACCEPT);
		assert_memory_equal(&reply_of(ct)->dst.u3, &r.min_addr, 15);
		assert_in_range(reply_of(ct)->dst.u3.in6.s6_addr[15], 0x10, 0x17);
		seen |= 1u << (reply_of(ct)->dst.u3.in6.s6_addr[15] - 0x10);
		nf_ct_put(ct);
	}
	assert_int_equal(seen, 0xff);

	/* bounds that differ in several words: always inside them */
	addr6(&lo, "2001:db8:0:1::ffff:fff0");
	addr6(&hi, "2001:db8:0:2::5");
	r.min_addr = lo;
	r.max_addr = hi;
	for (i = 0; i < 200; i++) {
		snprintf(src, sizeof(src), "fd00::%x", i + 1);
		tuple6(&orig, IPPROTO_TCP, src, 40000, "2001:db8::80", 80);
		ct = ct_new(&orig);
		assert_int_equal(nf_nat_setup_info(ct, &r, NF_NAT_MANIP_SRC), NF_ACCEPT);
		assert_true(memcmp(&reply_of(ct)->dst.u3, &lo, 16) >= 0);
		assert_true(memcmp(&reply_of(ct)->dst.u3, &hi, 16) <= 0);
		nf_ct_put(ct);
	}

	/* ICMPv6 echo: ids clash like ports */
	r.min_addr = r.max_addr = lo;
	tuple6(&orig, IPPROTO_ICMPV6, "fd00::1", 5, "2001:db8::1", 128);
	ct = ct_new(&orig);
	assert_int_equal(nf_nat_setup_info(ct, &r, NF_NAT_MANIP_SRC), NF_ACCEPT);
	assert_int_equal(ntohs(reply_of(ct)->src.u.icmp.id), 5);
	assert_int_equal(reply_of(ct)->dst.u.icmp.type, 129);
	ct_confirm(ct);
	tuple6(&orig, IPPROTO_ICMPV6, "fd00::2", 5, "2001:db8::1", 128);
	ct = ct_new(&orig);
	assert_int_equal(nf_nat_setup_info(ct, &r, NF_NAT_MANIP_SRC), NF_ACCEPT);
	assert_int_not_equal(ntohs(reply_of(ct)->src.u.icmp.id), 5);
	nf_ct_put(ct);
}

/* the whole path: choose a mapping, rewrite, confirm, rewrite the reply */
static void run_end_to_end(int family)
{
	struct nf_nat_range2 r = { .flags = NF_NAT_RANGE_MAP_IPS };
	struct nf_conntrack_tuple orig, other, want;
	struct spec s = { .family = family, .proto = IPPROTO_TCP, .payload = 37 };
	struct pkt p = {};
	struct nf_conn *ct;

	if (family == 4) {
		tuple4(&orig, IPPROTO_TCP, "10.0.0.1", 40000, "8.8.8.8", 443);
		addr4(&r.min_addr, "1.2.3.4");
	} else {
		tuple6(&orig, IPPROTO_TCP, "fd00::1", 40000, "2001:db8::443", 443);
		addr6(&r.min_addr, "2001:db8:ffff::1");
	}
	r.max_addr = r.min_addr;
	/* another host already left as the NAT address, port 40000, to the same server */
	other = orig;
	if (family == 4)
		addr4(&other.src.u3, "10.0.0.99");
	else
		addr6(&other.src.u3, "fd00::99");
	want = orig;
	want.src.u3 = r.min_addr;
	ct_confirm(ct_mapped(&other, &want));
	ct = ct_new(&orig);

	assert_int_equal(nf_nat_setup_info(ct, &r, NF_NAT_MANIP_SRC), NF_ACCEPT);
	assert_int_equal(nf_nat_alloc_null_binding(ct, NF_NAT_MANIP_DST), NF_ACCEPT);
	assert_int_not_equal(ntohs(reply_of(ct)->dst.u.all), 40000);

	tuple_spec(&orig, &s, &s);
	build(&p, &s);
	assert_int_equal(nf_nat_packet(ct, IP_CT_NEW, NF_NAT_MANIP_DST, pkt_skb(&p)), NF_ACCEPT);
	assert_int_equal(nf_nat_packet(ct, IP_CT_NEW, NF_NAT_MANIP_SRC, &p.skb), NF_ACCEPT);
	pkt_sync(&p);
	assert_true(nf_ct_invert_tuple(&want, reply_of(ct)));
	assert_pkt_tuple(&p, &want);
	assert_csums_valid(pkt_ip(&p), p.len - ETH_HLEN_);

	nf_conntrack_get(ct);
	ct_confirm(ct);
	tuple_spec(reply_of(ct), &s, &s);
	build(&p, &s);
	assert_int_equal(nf_nat_packet(ct, IP_CT_ESTABLISHED_REPLY, NF_NAT_MANIP_DST,
				       pkt_skb(&p)), NF_ACCEPT);
	assert_int_equal(nf_nat_packet(ct, IP_CT_ESTABLISHED_REPLY, NF_NAT_MANIP_SRC, &p.skb),
			 NF_ACCEPT);
	pkt_sync(&p);
	assert_true(nf_ct_invert_tuple(&want, &orig));
	assert_pkt_tuple(&p, &want);
	assert_csums_valid(pkt_ip(&p), p.len - ETH_HLEN_);
	nf_ct_put(ct);
	pkt_free(&p);
}

static void test_end_to_end_ipv4(void **state)
{
	run_end_to_end(4);
}

static void test_end_to_end_ipv6(void **state)
{
	run_end_to_end(6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference_sums),
		cmocka_unit_test(test_csum_random_ipv4),
		cmocka_unit_test(test_csum_random_ipv6),
		cmocka_unit_test(test_csum_zero_result),
		cmocka_unit_test(test_packet_direction),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_icmp_error_port_unreachable),
		cmocka_unit_test(test_icmpv6_error),
		cmocka_unit_test(test_icmpv6_error_exthdr),
		cmocka_unit_test(test_icmp_error_refused),
		cmocka_unit_test_setup_teardown(test_snat_keeps_free_port, setup_table, teardown_table),
		cmocka_unit_test_setup_teardown(test_snat_port_collisions, setup_table, teardown_table),
		cmocka_unit_test_setup_teardown(test_snat_many_collisions, setup_table, teardown_table),
		cmocka_unit_test_setup_teardown(test_snat_search_rounds, setup_table, teardown_table),
		cmocka_unit_test_setup_teardown(test_snat_default_port_classes, setup_table,
						teardown_table),
		cmocka_unit_test_setup_teardown(test_snat_random_and_offset, setup_table,
						teardown_table),
		cmocka_unit_test_setup_teardown(test_dnat, setup_table, teardown_table),
		cmocka_unit_test_setup_teardown(test_null_binding, setup_table, teardown_table),
		cmocka_unit_test_setup_teardown(test_icmp_id, setup_table, teardown_table),
		cmocka_unit_test_setup_teardown(test_address_range_spreads, setup_table,
						teardown_table),
		cmocka_unit_test_setup_teardown(test_ipv6_mappings, setup_table, teardown_table),
		cmocka_unit_test_setup_teardown(test_end_to_end_ipv4, setup_table, teardown_table),
		cmocka_unit_test_setup_teardown(test_end_to_end_ipv6, setup_table, teardown_table),
	};
	int ret;

	rcu_register_thread();
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	rcu_unregister_thread();
	return ret;
}
