// SPDX-License-Identifier: GPL-2.0
/*
 * The packet builder of `ctoffload trace` (pktbuild.h): flower's key
 * words into a frame, or into the flow key and mask of `trace --live`.
 *
 * The words are flower's (tc-flower(8)), so that a user can paste the
 * keys of the filter they wonder about: src_mac, dst_mac, vlan_id,
 * vlan_prio, vlan_ethtype, src_ip, dst_ip, ip_proto, src_port, dst_port,
 * tcp_flags, ip_tos, ip_ttl, type, code, arp_op, arp_sip, arp_tip,
 * arp_sha, arp_tha, enc_src_ip, enc_dst_ip, enc_key_id, enc_src_port,
 * enc_dst_port, enc_tos, enc_ttl.  A packet needs a few more: proto
 * (ip, ipv6, arp: tc's `protocol`), seq, ack, window, len (payload
 * bytes, zeros) and enc_src_mac / enc_dst_mac for the outer frame.
 *
 * A word is parsed through one table entry (its name, where its value
 * goes, its range); checks that involve several words come after all of
 * them, so their order does not matter, as in tc.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_ether.h>
#include <linux/unaligned.h>
#include "pktbuild.h"

#define VXLAN_PORT		4789
#define VXLAN_HLEN		8
#define VXLAN_FLAG_VNI		0x08
#define VLAN_TPID		0x8100

struct pkt_key_def;
typedef int (*pkt_parse_t)(struct pkt_spec *spec, const struct pkt_key_def *def,
			   const char *arg);

/*
 * One word: the value goes to off (size bytes, at most max), the mask
 * after a '/' to mask_off (0: the word takes no mask).  frame_only:
 * no flow key holds it (not for --live).
 */
struct pkt_key_def {
	const char *name;
	enum pkt_key key;
	pkt_parse_t parse;
	size_t off, mask_off, size;
	unsigned long long max;
	bool frame_only;
};

static __printf(2, 3) int spec_error(struct pkt_spec *spec, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(spec->err, sizeof(spec->err), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static void *spec_field(struct pkt_spec *spec, size_t off)
{
	return (char *)spec + off;
}

static void store_uint(void *p, size_t size, unsigned long long v)
{
	switch (size) {
	case 1: *(u8 *)p = v; break;
	case 2: *(u16 *)p = v; break;
	default: *(u32 *)p = v; break;
	}
}

static int parse_ull(const char *s, unsigned long long max, unsigned long long *v)
{
	char *end;

	if (!*s || *s == '-')
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, 0);
	if (errno || *end || *v > max)
		return -EINVAL;
	return 0;
}

/* NUMBER or NUMBER/MASK (the value is what the packet carries) */
static int parse_number(struct pkt_spec *spec, const struct pkt_key_def *def, const char *arg)
{
	unsigned long long v, m = def->max;
	char buf[64], *slash;

	if (strlen(arg) >= sizeof(buf))
		return spec_error(spec, "Illegal \"%s\"", def->name);
	strcpy(buf, arg);
	slash = strchr(buf, '/');
	if (slash) {
		*slash = '\0';
		if (!def->mask_off || parse_ull(slash + 1, def->max, &m))
			return spec_error(spec, "Illegal \"%s\" mask", def->name);
	}
	if (parse_ull(buf, def->max, &v))
		return spec_error(spec, "Illegal \"%s\"", def->name);
	store_uint(spec_field(spec, def->off), def->size, v);
	if (def->mask_off)
		store_uint(spec_field(spec, def->mask_off), def->size, m);
	return 0;
}

static int parse_mac(struct pkt_spec *spec, const struct pkt_key_def *def, const char *arg)
{
	unsigned char *mac = spec_field(spec, def->off);
	unsigned int b[ETH_ALEN];
	char tail;
	int i;

	if (sscanf(arg, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3], &b[4],
		   &b[5], &tail) != ETH_ALEN)
		return spec_error(spec, "Illegal \"%s\"", def->name);
	for (i = 0; i < ETH_ALEN; i++)
		mac[i] = b[i];
	return 0;
}

/* ADDRESS[/PREFIX], IPv4 or IPv6; the family must agree with its peer's */
static int parse_ip(struct pkt_spec *spec, const struct pkt_key_def *def, const char *arg)
{
	bool enc = def->key == PKT_KEY_ENC_SRC_IP || def->key == PKT_KEY_ENC_DST_IP;
	unsigned long long given = spec->given & (enc ?
		(BIT_ULL(PKT_KEY_ENC_SRC_IP) | BIT_ULL(PKT_KEY_ENC_DST_IP)) :
		(BIT_ULL(PKT_KEY_SRC_IP) | BIT_ULL(PKT_KEY_DST_IP)));
	union pkt_addr *addr = spec_field(spec, def->off);
	u8 *plen = spec_field(spec, def->mask_off);
	unsigned long long prefix;
	char buf[INET6_ADDRSTRLEN + 8], *slash;
	int family, *peer_family;

	if (strlen(arg) >= sizeof(buf))
		return spec_error(spec, "Illegal \"%s\"", def->name);
	strcpy(buf, arg);
	slash = strchr(buf, '/');
	if (slash)
		*slash = '\0';
	if (inet_pton(AF_INET, buf, &addr->v4) == 1)
		family = AF_INET;
	else if (inet_pton(AF_INET6, buf, &addr->v6) == 1)
		family = AF_INET6;
	else
		return spec_error(spec, "Illegal \"%s\"", def->name);
	if (slash) {
		if (parse_ull(slash + 1, family == AF_INET ? 32 : 128, &prefix))
			return spec_error(spec, "Illegal \"%s\" prefix length", def->name);
		*plen = prefix;
	} else {
		*plen = family == AF_INET ? 32 : 128;
	}
	/* the inner family is ip_family, the outer one enc_family */
	peer_family = enc ? &spec->enc_family : &spec->ip_family;
	if (given && *peer_family != family)
		return spec_error(spec, "Illegal \"%s\": %s address with an %s peer", def->name,
				  family == AF_INET ? "IPv4" : "IPv6",
				  family == AF_INET ? "IPv6" : "IPv4");
	*peer_family = family;
	return 0;
}

/* tc's ethertype names: proto and vlan_ethtype */
static int parse_l3(struct pkt_spec *spec, const struct pkt_key_def *def, const char *arg)
{
	unsigned long long v;

	if (!strcmp(arg, "ip") || !strcmp(arg, "ipv4"))
		v = ETH_P_IP;
	else if (!strcmp(arg, "ipv6"))
		v = ETH_P_IPV6;
	else if (!strcmp(arg, "arp"))
		v = ETH_P_ARP;
	else if (parse_ull(arg, 0xffff, &v))
		return spec_error(spec, "Illegal \"%s\"", def->name);
	if (v != ETH_P_IP && v != ETH_P_IPV6 && v != ETH_P_ARP)
		return spec_error(spec, "Illegal \"%s\": the packet can be ip, ipv6 or arp",
				  def->name);
	if ((spec->given & BIT_ULL(PKT_KEY_L3)) && spec->l3 != v)
		return spec_error(spec, "Illegal \"%s\": the protocol was already given",
				  def->name);
	spec->l3 = v;
	return 0;
}

static int parse_ip_proto(struct pkt_spec *spec, const struct pkt_key_def *def, const char *arg)
{
	static const struct { const char *name; u8 proto; } names[] = {
		{ "tcp", IPPROTO_TCP }, { "udp", IPPROTO_UDP }, { "sctp", IPPROTO_SCTP },
		{ "icmp", IPPROTO_ICMP }, { "icmpv6", IPPROTO_ICMPV6 },
	};
	unsigned long long v;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if (!strcmp(arg, names[i].name)) {
			spec->ip_proto = names[i].proto;
			return 0;
		}
	}
	if (parse_ull(arg, 0xff, &v))
		return spec_error(spec, "Illegal \"%s\"", def->name);
	spec->ip_proto = v;
	return 0;
}

static int parse_arp_op(struct pkt_spec *spec, const struct pkt_key_def *def, const char *arg)
{
	unsigned long long v;

	if (!strcmp(arg, "request"))
		v = 1;
	else if (!strcmp(arg, "reply"))
		v = 2;
	else if (parse_ull(arg, 0xff, &v))
		return spec_error(spec, "Illegal \"%s\"", def->name);
	spec->arp_op = v;
	return 0;
}

#define F(m)		offsetof(struct pkt_spec, m)
#define NUM(n, k, m, mk, max)	{ n, k, parse_number, F(m), mk, sizeof(((struct pkt_spec *)0)->m), max, false }
#define NUM_FRAME(n, k, m, max)	{ n, k, parse_number, F(m), 0, sizeof(((struct pkt_spec *)0)->m), max, true }

static const struct pkt_key_def pkt_keys[] = {
	{ "src_mac", PKT_KEY_SRC_MAC, parse_mac, F(src_mac) },
	{ "dst_mac", PKT_KEY_DST_MAC, parse_mac, F(dst_mac) },
	NUM("vlan_id", PKT_KEY_VLAN_ID, vlan_id, 0, 4095),
	NUM("vlan_prio", PKT_KEY_VLAN_PRIO, vlan_prio, 0, 7),
	{ "vlan_ethtype", PKT_KEY_L3, parse_l3 },
	{ "proto", PKT_KEY_L3, parse_l3 },
	{ "protocol", PKT_KEY_L3, parse_l3 },
	{ "src_ip", PKT_KEY_SRC_IP, parse_ip, F(src_ip), F(src_plen) },
	{ "dst_ip", PKT_KEY_DST_IP, parse_ip, F(dst_ip), F(dst_plen) },
	{ "arp_sip", PKT_KEY_SRC_IP, parse_ip, F(src_ip), F(src_plen) },
	{ "arp_tip", PKT_KEY_DST_IP, parse_ip, F(dst_ip), F(dst_plen) },
	{ "ip_proto", PKT_KEY_IP_PROTO, parse_ip_proto },
	NUM("src_port", PKT_KEY_SRC_PORT, src_port, 0, 0xffff),
	NUM("dst_port", PKT_KEY_DST_PORT, dst_port, 0, 0xffff),
	NUM("tcp_flags", PKT_KEY_TCP_FLAGS, tcp_flags, F(tcp_flags_mask), 0xfff),
	NUM("ip_tos", PKT_KEY_IP_TOS, tos, F(tos_mask), 0xff),
	NUM("ip_ttl", PKT_KEY_IP_TTL, ttl, F(ttl_mask), 0xff),
	NUM("type", PKT_KEY_ICMP_TYPE, icmp_type, F(icmp_type_mask), 0xff),
	NUM("code", PKT_KEY_ICMP_CODE, icmp_code, F(icmp_code_mask), 0xff),
	{ "arp_op", PKT_KEY_ARP_OP, parse_arp_op },
	{ "arp_sha", PKT_KEY_ARP_SHA, parse_mac, F(arp_sha) },
	{ "arp_tha", PKT_KEY_ARP_THA, parse_mac, F(arp_tha) },
	{ "enc_src_ip", PKT_KEY_ENC_SRC_IP, parse_ip, F(enc_src_ip), F(enc_src_plen) },
	{ "enc_dst_ip", PKT_KEY_ENC_DST_IP, parse_ip, F(enc_dst_ip), F(enc_dst_plen) },
	NUM("enc_key_id", PKT_KEY_ENC_KEY_ID, enc_key_id, 0, 0xffffff),
	NUM("enc_src_port", PKT_KEY_ENC_SRC_PORT, enc_src_port, 0, 0xffff),
	NUM("enc_dst_port", PKT_KEY_ENC_DST_PORT, enc_dst_port, 0, 0xffff),
	NUM("enc_tos", PKT_KEY_ENC_TOS, enc_tos, F(enc_tos_mask), 0xff),
	NUM("enc_ttl", PKT_KEY_ENC_TTL, enc_ttl, F(enc_ttl_mask), 0xff),
	{ "enc_src_mac", PKT_KEY_ENC_SRC_MAC, parse_mac, F(enc_src_mac), 0, 0, 0, true },
	{ "enc_dst_mac", PKT_KEY_ENC_DST_MAC, parse_mac, F(enc_dst_mac), 0, 0, 0, true },
	NUM_FRAME("seq", PKT_KEY_SEQ, seq, 0xffffffffULL),
	NUM_FRAME("ack", PKT_KEY_ACK, ack, 0xffffffffULL),
	NUM_FRAME("window", PKT_KEY_WINDOW, window, 0xffff),
	NUM_FRAME("len", PKT_KEY_LEN, payload_len, PKT_BUILD_MAX_PAYLOAD),
};

static const struct pkt_key_def *pkt_key_find(const char *word)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(pkt_keys); i++)
		if (!strcmp(pkt_keys[i].name, word))
			return &pkt_keys[i];
	return NULL;
}

bool pkt_key_known(const char *word)
{
	return pkt_key_find(word) != NULL;
}

static void spec_init(struct pkt_spec *spec)
{
	static const unsigned char src_mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0x01 };
	static const unsigned char dst_mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0x02 };

	memset(spec, 0, sizeof(*spec));
	memcpy(spec->src_mac, src_mac, ETH_ALEN);
	memcpy(spec->dst_mac, dst_mac, ETH_ALEN);
	spec->l3 = ETH_P_IP;
	spec->ip_proto = IPPROTO_TCP;
	spec->src_port = 40000;
	spec->dst_port = 5001;
	spec->tcp_flags = 0x02;		/* SYN */
	spec->ttl = 64;
	spec->window = 64240;
	spec->seq = 1;
	spec->arp_op = 1;		/* request */
	spec->enc_family = AF_INET;
	spec->enc_dst_port = VXLAN_PORT;
	spec->enc_src_port = 49152;
	spec->enc_ttl = 64;
}

int pkt_spec_family(const struct pkt_spec *spec)
{
	if (spec->l3 == ETH_P_IPV6)
		return AF_INET6;
	return spec->l3 == ETH_P_IP ? AF_INET : 0;
}

#define GIVEN(spec, k)	((spec)->given & BIT_ULL(PKT_KEY_##k))

/* the defaults that depend on other words, and the checks across words */
static int spec_finish(struct pkt_spec *spec)
{
	static const unsigned char enc_src_mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0x01, 0x02 };
	static const unsigned char enc_dst_mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0x01, 0x01 };
	bool v6;

	/* the addresses decide the family, unless proto says otherwise */
	if (spec->ip_family) {
		int l3_family = spec->l3 == ETH_P_IPV6 ? AF_INET6 : AF_INET;

		if (GIVEN(spec, L3) && l3_family != spec->ip_family)
			return spec_error(spec, "Illegal \"%s\": an %s address in an %s packet",
					  GIVEN(spec, SRC_IP) ? "src_ip" : "dst_ip",
					  spec->ip_family == AF_INET ? "IPv4" : "IPv6",
					  spec->l3 == ETH_P_IPV6 ? "IPv6" : spec->l3 == ETH_P_ARP ?
					  "ARP" : "IPv4");
		if (!GIVEN(spec, L3))
			spec->l3 = spec->ip_family == AF_INET6 ? ETH_P_IPV6 : ETH_P_IP;
	}
	v6 = spec->l3 == ETH_P_IPV6;
	if (spec->l3 == ETH_P_ARP) {
		static const u64 ip_only = BIT_ULL(PKT_KEY_IP_PROTO) | BIT_ULL(PKT_KEY_SRC_PORT) |
			BIT_ULL(PKT_KEY_DST_PORT) | BIT_ULL(PKT_KEY_TCP_FLAGS) |
			BIT_ULL(PKT_KEY_IP_TOS) | BIT_ULL(PKT_KEY_IP_TTL) |
			BIT_ULL(PKT_KEY_ICMP_TYPE) | BIT_ULL(PKT_KEY_ICMP_CODE);
		size_t i;

		for (i = 0; i < ARRAY_SIZE(pkt_keys); i++)
			if ((ip_only & BIT_ULL(pkt_keys[i].key)) &&
			    (spec->given & BIT_ULL(pkt_keys[i].key)))
				return spec_error(spec, "Illegal \"%s\" for an ARP packet",
						  pkt_keys[i].name);
		if (!GIVEN(spec, DST_MAC) && spec->arp_op == 1)
			memset(spec->dst_mac, 0xff, ETH_ALEN);
		if (!GIVEN(spec, ARP_SHA))
			memcpy(spec->arp_sha, spec->src_mac, ETH_ALEN);
		if (!GIVEN(spec, ARP_THA) && spec->arp_op != 1)
			memcpy(spec->arp_tha, spec->dst_mac, ETH_ALEN);
	} else if (GIVEN(spec, ARP_OP) || GIVEN(spec, ARP_SHA) || GIVEN(spec, ARP_THA)) {
		return spec_error(spec, "Illegal \"arp_op\": the packet is not ARP (proto arp)");
	}
	if (!GIVEN(spec, SRC_IP)) {
		if (v6)
			inet_pton(AF_INET6, "2001:db8::1", &spec->src_ip.v6);
		else
			inet_pton(AF_INET, "10.0.0.1", &spec->src_ip.v4);
		spec->src_plen = v6 ? 128 : 32;
	}
	if (!GIVEN(spec, DST_IP)) {
		if (v6)
			inet_pton(AF_INET6, "2001:db8::2", &spec->dst_ip.v6);
		else
			inet_pton(AF_INET, "10.0.0.2", &spec->dst_ip.v4);
		spec->dst_plen = v6 ? 128 : 32;
	}
	if (spec->l3 != ETH_P_ARP) {
		u8 p = spec->ip_proto;
		bool ports = p == IPPROTO_TCP || p == IPPROTO_UDP || p == IPPROTO_SCTP;
		bool icmp = p == (v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP);

		if ((p == IPPROTO_ICMP && v6) || (p == IPPROTO_ICMPV6 && !v6))
			return spec_error(spec, "Illegal \"ip_proto\": %s in an %s packet",
					  v6 ? "icmp" : "icmpv6", v6 ? "IPv6" : "IPv4");
		if (!ports && GIVEN(spec, SRC_PORT))
			return spec_error(spec, "Illegal \"src_port\" for this ip_proto");
		if (!ports && GIVEN(spec, DST_PORT))
			return spec_error(spec, "Illegal \"dst_port\" for this ip_proto");
		if (p != IPPROTO_TCP && GIVEN(spec, TCP_FLAGS))
			return spec_error(spec, "Illegal \"tcp_flags\": ip_proto is not tcp");
		if (!icmp && (GIVEN(spec, ICMP_TYPE) || GIVEN(spec, ICMP_CODE)))
			return spec_error(spec, "Illegal \"%s\": ip_proto is not icmp or icmpv6",
					  GIVEN(spec, ICMP_TYPE) ? "type" : "code");
		if (icmp && !GIVEN(spec, ICMP_TYPE))
			spec->icmp_type = v6 ? 128 : 8;		/* echo request */
		if (p == IPPROTO_TCP && !GIVEN(spec, ACK) && (spec->tcp_flags & 0x10))
			spec->ack = 1;
	}
	if (spec->given & PKT_KEY_ENC_ANY) {
		if (!GIVEN(spec, ENC_SRC_IP) && spec->enc_family == AF_INET6)
			inet_pton(AF_INET6, "2001:db8:ffff::2", &spec->enc_src_ip.v6);
		else if (!GIVEN(spec, ENC_SRC_IP))
			inet_pton(AF_INET, "192.0.2.2", &spec->enc_src_ip.v4);
		if (!GIVEN(spec, ENC_DST_IP) && spec->enc_family == AF_INET6)
			inet_pton(AF_INET6, "2001:db8:ffff::1", &spec->enc_dst_ip.v6);
		else if (!GIVEN(spec, ENC_DST_IP))
			inet_pton(AF_INET, "192.0.2.1", &spec->enc_dst_ip.v4);
		if (!GIVEN(spec, ENC_SRC_MAC))
			memcpy(spec->enc_src_mac, enc_src_mac, ETH_ALEN);
		if (!GIVEN(spec, ENC_DST_MAC))
			memcpy(spec->enc_dst_mac, enc_dst_mac, ETH_ALEN);
	}
	return 0;
}

int pkt_spec_parse(struct pkt_spec *spec, int argc, char **argv)
{
	int i, err;

	spec_init(spec);
	for (i = 0; i < argc; i += 2) {
		const struct pkt_key_def *def = pkt_key_find(argv[i]);

		if (!def)
			return spec_error(spec, "What is \"%s\"?", argv[i]);
		if (i + 1 >= argc)
			return spec_error(spec, "Command line is not complete: \"%s\" needs a value",
					  argv[i]);
		if (spec->given & BIT_ULL(def->key) && def->parse != parse_l3)
			return spec_error(spec, "Illegal \"%s\": given twice", argv[i]);
		err = def->parse(spec, def, argv[i + 1]);
		if (err)
			return err;
		spec->given |= BIT_ULL(def->key);
	}
	return spec_finish(spec);
}

/* ---- the frame ---- */

static u32 csum_add(u32 sum, const void *data, size_t len)
{
	const u8 *p = data;

	while (len > 1) {
		sum += (p[0] << 8) | p[1];
		p += 2;
		len -= 2;
	}
	if (len)
		sum += p[0] << 8;
	return sum;
}

u16 pkt_csum(const void *data, size_t len, u32 sum)
{
	sum = csum_add(sum, data, len);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

/* the sum of the IPv4 / IPv6 pseudo-header of an upper-layer packet */
static u32 pseudo_sum(int family, const union pkt_addr *src, const union pkt_addr *dst,
		      u8 proto, u32 len)
{
	size_t alen = family == AF_INET ? 4 : 16;
	u32 sum = 0;

	sum = csum_add(sum, src, alen);
	sum = csum_add(sum, dst, alen);
	return sum + proto + (len >> 16) + (len & 0xffff);
}

/* SCTP's CRC32c (RFC 4960 appendix B), bit by bit: a trace builds one packet */
static u32 crc32c(const u8 *p, size_t len)
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

/* Linux's SYN options: MSS, SACK permitted, timestamps, NOP, window scale 7 */
static size_t tcp_syn_options(u8 *p, bool v6)
{
	static const u8 opts[20] = {
		2, 4, 0, 0, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7,
	};

	memcpy(p, opts, sizeof(opts));
	put_unaligned_be16(v6 ? 1440 : 1460, p + 2);
	return sizeof(opts);
}

/* the transport header and payload at p; its length */
static size_t build_l4(const struct pkt_spec *spec, u8 *p)
{
	int family = pkt_spec_family(spec);
	bool v6 = family == AF_INET6;
	size_t hlen = 0, len;
	u16 csum;

	switch (spec->ip_proto) {
	case IPPROTO_TCP:
		hlen = 20;
		if (spec->tcp_flags & 0x02)
			hlen += tcp_syn_options(p + 20, v6);
		put_unaligned_be16(spec->src_port, p);
		put_unaligned_be16(spec->dst_port, p + 2);
		put_unaligned_be32(spec->seq, p + 4);
		put_unaligned_be32(spec->ack, p + 8);
		p[12] = (hlen / 4) << 4 | ((spec->tcp_flags >> 8) & 0x0f);
		p[13] = spec->tcp_flags & 0xff;
		put_unaligned_be16(spec->window, p + 14);
		put_unaligned_be16(0, p + 16);
		put_unaligned_be16(0, p + 18);
		break;
	case IPPROTO_UDP:
		hlen = 8;
		put_unaligned_be16(spec->src_port, p);
		put_unaligned_be16(spec->dst_port, p + 2);
		put_unaligned_be16(hlen + spec->payload_len, p + 4);
		put_unaligned_be16(0, p + 6);
		break;
	case IPPROTO_SCTP:
		hlen = 12;
		put_unaligned_be16(spec->src_port, p);
		put_unaligned_be16(spec->dst_port, p + 2);
		memset(p + 4, 0, 8);
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		hlen = 8;
		p[0] = spec->icmp_type;
		p[1] = spec->icmp_code;
		memset(p + 2, 0, 6);
		/* echo request / reply: an id and the sequence */
		if (spec->icmp_type == 8 || spec->icmp_type == 0 ||
		    spec->icmp_type == 128 || spec->icmp_type == 129) {
			put_unaligned_be16(1, p + 4);
			put_unaligned_be16(spec->seq, p + 6);
		}
		break;
	}
	memset(p + hlen, 0, spec->payload_len);
	len = hlen + spec->payload_len;

	switch (spec->ip_proto) {
	case IPPROTO_TCP:
		csum = pkt_csum(p, len, pseudo_sum(family, &spec->src_ip, &spec->dst_ip,
						   IPPROTO_TCP, len));
		put_unaligned_be16(csum, p + 16);
		break;
	case IPPROTO_UDP:
		csum = pkt_csum(p, len, pseudo_sum(family, &spec->src_ip, &spec->dst_ip,
						   IPPROTO_UDP, len));
		put_unaligned_be16(csum ? csum : 0xffff, p + 6);
		break;
	case IPPROTO_SCTP: {
		u32 crc = crc32c(p, len);

		/* stored in little-endian byte order (RFC 4960 appendix B) */
		p[8] = crc;
		p[9] = crc >> 8;
		p[10] = crc >> 16;
		p[11] = crc >> 24;
		break;
	}
	case IPPROTO_ICMP:
		put_unaligned_be16(pkt_csum(p, len, 0), p + 2);
		break;
	case IPPROTO_ICMPV6:
		csum = pkt_csum(p, len, pseudo_sum(family, &spec->src_ip, &spec->dst_ip,
						   IPPROTO_ICMPV6, len));
		put_unaligned_be16(csum, p + 2);
		break;
	}
	return len;
}

/* an IP header at p for l4len bytes that follow it; its length */
static size_t build_ip(u8 *p, int family, const union pkt_addr *src,
		       const union pkt_addr *dst, u8 proto, u8 tos, u8 ttl, size_t l4len,
		       bool df)
{
	if (family == AF_INET6) {
		put_unaligned_be32(6u << 28 | (u32)tos << 20, p);
		put_unaligned_be16(l4len, p + 4);
		p[6] = proto;
		p[7] = ttl;
		memcpy(p + 8, &src->v6, 16);
		memcpy(p + 24, &dst->v6, 16);
		return 40;
	}
	p[0] = 0x45;
	p[1] = tos;
	put_unaligned_be16(20 + l4len, p + 2);
	put_unaligned_be16(0, p + 4);
	put_unaligned_be16(df ? 0x4000 : 0, p + 6);
	p[8] = ttl;
	p[9] = proto;
	put_unaligned_be16(0, p + 10);
	memcpy(p + 12, &src->v4, 4);
	memcpy(p + 16, &dst->v4, 4);
	put_unaligned_be16(pkt_csum(p, 20, 0), p + 10);
	return 20;
}

static size_t build_arp(const struct pkt_spec *spec, u8 *p)
{
	put_unaligned_be16(1, p);			/* Ethernet */
	put_unaligned_be16(ETH_P_IP, p + 2);
	p[4] = ETH_ALEN;
	p[5] = 4;
	put_unaligned_be16(spec->arp_op, p + 6);
	memcpy(p + 8, spec->arp_sha, ETH_ALEN);
	memcpy(p + 14, &spec->src_ip.v4, 4);
	memcpy(p + 18, spec->arp_tha, ETH_ALEN);
	memcpy(p + 24, &spec->dst_ip.v4, 4);
	return 28;
}

/* the inner (or only) frame at p */
static size_t build_frame(const struct pkt_spec *spec, u8 *p)
{
	size_t off = 2 * ETH_ALEN, l4len;
	int family = pkt_spec_family(spec);

	memcpy(p, spec->dst_mac, ETH_ALEN);
	memcpy(p + ETH_ALEN, spec->src_mac, ETH_ALEN);
	if (GIVEN(spec, VLAN_ID) || GIVEN(spec, VLAN_PRIO)) {
		put_unaligned_be16(VLAN_TPID, p + off);
		put_unaligned_be16((u16)spec->vlan_prio << 13 | spec->vlan_id, p + off + 2);
		off += 4;
	}
	put_unaligned_be16(spec->l3, p + off);
	off += 2;
	if (spec->l3 == ETH_P_ARP)
		return off + build_arp(spec, p + off);
	/* the transport first: the IP header needs its length */
	l4len = build_l4(spec, p + off + (family == AF_INET6 ? 40 : 20));
	off += build_ip(p + off, family, &spec->src_ip, &spec->dst_ip, spec->ip_proto,
			spec->tos, spec->ttl, l4len, true);
	return off + l4len;
}

/* outer Ethernet + IP + UDP + VXLAN */
static size_t encap_len(const struct pkt_spec *spec)
{
	return ETH_HLEN + (spec->enc_family == AF_INET6 ? 40 : 20) + 8 + VXLAN_HLEN;
}

static void build_encap(const struct pkt_spec *spec, u8 *p, size_t inner_len)
{
	size_t iphlen = spec->enc_family == AF_INET6 ? 40 : 20;
	u8 *udp = p + ETH_HLEN + iphlen, *vxlan = udp + 8;
	size_t udplen = 8 + VXLAN_HLEN + inner_len;

	memcpy(p, spec->enc_dst_mac, ETH_ALEN);
	memcpy(p + ETH_ALEN, spec->enc_src_mac, ETH_ALEN);
	put_unaligned_be16(spec->enc_family == AF_INET6 ? ETH_P_IPV6 : ETH_P_IP, p + 2 * ETH_ALEN);
	memset(vxlan, 0, VXLAN_HLEN);
	vxlan[0] = VXLAN_FLAG_VNI;
	put_unaligned_be32(spec->enc_key_id << 8, vxlan + 4);
	put_unaligned_be16(spec->enc_src_port, udp);
	put_unaligned_be16(spec->enc_dst_port, udp + 2);
	put_unaligned_be16(udplen, udp + 4);
	put_unaligned_be16(0, udp + 6);
	/* Linux's vxlan: no UDP checksum over IPv4, a real one over IPv6 */
	if (spec->enc_family == AF_INET6) {
		u16 csum = pkt_csum(udp, udplen, pseudo_sum(AF_INET6, &spec->enc_src_ip,
							    &spec->enc_dst_ip, IPPROTO_UDP,
							    udplen));

		put_unaligned_be16(csum ? csum : 0xffff, udp + 6);
	}
	build_ip(p + ETH_HLEN, spec->enc_family, &spec->enc_src_ip, &spec->enc_dst_ip,
		 IPPROTO_UDP, spec->enc_tos, spec->enc_ttl, udplen, false);
}

int pkt_build(const struct pkt_spec *spec, unsigned char *buf, size_t size)
{
	size_t outer = (spec->given & PKT_KEY_ENC_ANY) ? encap_len(spec) : 0;
	u8 frame[PKT_BUILD_MAX_FRAME];
	size_t len;

	len = build_frame(spec, frame);
	if (outer + len > size)
		return -ENOSPC;
	memcpy(buf + outer, frame, len);
	if (outer)
		build_encap(spec, buf, len);
	return outer + len;
}

/* ---- the flow key of --live ---- */

static void prefix_mask(void *mask, unsigned int bytes, unsigned int plen)
{
	u8 *m = mask;
	unsigned int i;

	for (i = 0; i < bytes; i++, plen = plen > 8 ? plen - 8 : 0)
		m[i] = plen >= 8 ? 0xff : (u8)(0xff00 >> plen);
}

static void key_addrs(int family, const union pkt_addr *src, u8 src_plen, bool has_src,
		      const union pkt_addr *dst, u8 dst_plen, bool has_dst,
		      struct flow_dissector_key_control *kc, struct flow_dissector_key_control *mc,
		      void *key_addrs, void *mask_addrs)
{
	unsigned int alen = family == AF_INET ? 4 : 16;
	u8 *k = key_addrs, *m = mask_addrs;
	unsigned int i;

	kc->addr_type = family == AF_INET ? FLOW_DISSECTOR_KEY_IPV4_ADDRS :
					    FLOW_DISSECTOR_KEY_IPV6_ADDRS;
	mc->addr_type = 0xffff;
	if (has_src) {
		prefix_mask(m, alen, src_plen);
		for (i = 0; i < alen; i++)
			k[i] = ((const u8 *)src)[i] & m[i];
	}
	if (has_dst) {
		prefix_mask(m + alen, alen, dst_plen);
		for (i = 0; i < alen; i++)
			k[alen + i] = ((const u8 *)dst)[i] & m[alen + i];
	}
}

int pkt_spec_flow_key(struct pkt_spec *spec, struct fl_flow_key *key, struct fl_flow_key *mask)
{
	static const u64 l3_keys = BIT_ULL(PKT_KEY_L3) | BIT_ULL(PKT_KEY_SRC_IP) |
		BIT_ULL(PKT_KEY_DST_IP) | BIT_ULL(PKT_KEY_IP_PROTO) | BIT_ULL(PKT_KEY_SRC_PORT) |
		BIT_ULL(PKT_KEY_DST_PORT) | BIT_ULL(PKT_KEY_TCP_FLAGS) | BIT_ULL(PKT_KEY_IP_TOS) |
		BIT_ULL(PKT_KEY_IP_TTL) | BIT_ULL(PKT_KEY_ICMP_TYPE) | BIT_ULL(PKT_KEY_ICMP_CODE) |
		BIT_ULL(PKT_KEY_ARP_OP) | BIT_ULL(PKT_KEY_ARP_SHA) | BIT_ULL(PKT_KEY_ARP_THA);
	static const u64 l4_keys = BIT_ULL(PKT_KEY_IP_PROTO) | BIT_ULL(PKT_KEY_SRC_PORT) |
		BIT_ULL(PKT_KEY_DST_PORT) | BIT_ULL(PKT_KEY_TCP_FLAGS) |
		BIT_ULL(PKT_KEY_ICMP_TYPE) | BIT_ULL(PKT_KEY_ICMP_CODE);
	int family = pkt_spec_family(spec);
	size_t i;

	for (i = 0; i < ARRAY_SIZE(pkt_keys); i++)
		if (pkt_keys[i].frame_only && (spec->given & BIT_ULL(pkt_keys[i].key)))
			return spec_error(spec, "\"%s\" is not a flow key: --live cannot match it",
					  pkt_keys[i].name);
	memset(key, 0, sizeof(*key));
	memset(mask, 0, sizeof(*mask));

	if (GIVEN(spec, SRC_MAC)) {
		memcpy(key->eth.src, spec->src_mac, ETH_ALEN);
		memset(mask->eth.src, 0xff, ETH_ALEN);
	}
	if (GIVEN(spec, DST_MAC)) {
		memcpy(key->eth.dst, spec->dst_mac, ETH_ALEN);
		memset(mask->eth.dst, 0xff, ETH_ALEN);
	}
	if (GIVEN(spec, VLAN_ID) || GIVEN(spec, VLAN_PRIO)) {
		key->vlan.vlan_tpid = htons(VLAN_TPID);
		mask->vlan.vlan_tpid = htons(0xffff);
		if (GIVEN(spec, VLAN_ID)) {
			key->vlan.vlan_id = spec->vlan_id;
			mask->vlan.vlan_id = 0xfff;
		}
		if (GIVEN(spec, VLAN_PRIO)) {
			key->vlan.vlan_priority = spec->vlan_prio;
			mask->vlan.vlan_priority = 7;
		}
		if (spec->given & l3_keys) {
			key->vlan.vlan_eth_type = htons(spec->l3);
			mask->vlan.vlan_eth_type = htons(0xffff);
		}
	}
	if (spec->given & l3_keys) {
		key->basic.n_proto = htons(spec->l3);
		mask->basic.n_proto = htons(0xffff);
	}
	if (spec->l3 == ETH_P_ARP) {
		if (GIVEN(spec, SRC_IP)) {
			prefix_mask(&mask->arp.sip, 4, spec->src_plen);
			key->arp.sip = spec->src_ip.v4.s_addr & mask->arp.sip;
		}
		if (GIVEN(spec, DST_IP)) {
			prefix_mask(&mask->arp.tip, 4, spec->dst_plen);
			key->arp.tip = spec->dst_ip.v4.s_addr & mask->arp.tip;
		}
		if (GIVEN(spec, ARP_OP)) {
			key->arp.op = spec->arp_op;
			mask->arp.op = 0xff;
		}
		if (GIVEN(spec, ARP_SHA)) {
			memcpy(key->arp.sha, spec->arp_sha, ETH_ALEN);
			memset(mask->arp.sha, 0xff, ETH_ALEN);
		}
		if (GIVEN(spec, ARP_THA)) {
			memcpy(key->arp.tha, spec->arp_tha, ETH_ALEN);
			memset(mask->arp.tha, 0xff, ETH_ALEN);
		}
	} else {
		if (GIVEN(spec, SRC_IP) || GIVEN(spec, DST_IP))
			key_addrs(family, &spec->src_ip, spec->src_plen, GIVEN(spec, SRC_IP),
				  &spec->dst_ip, spec->dst_plen, GIVEN(spec, DST_IP),
				  &key->control, &mask->control,
				  family == AF_INET ? (void *)&key->ipv4 : (void *)&key->ipv6,
				  family == AF_INET ? (void *)&mask->ipv4 : (void *)&mask->ipv6);
		if (spec->given & l4_keys) {
			key->basic.ip_proto = spec->ip_proto;
			mask->basic.ip_proto = 0xff;
		}
		if (GIVEN(spec, SRC_PORT)) {
			key->tp.src = htons(spec->src_port);
			mask->tp.src = htons(0xffff);
		}
		if (GIVEN(spec, DST_PORT)) {
			key->tp.dst = htons(spec->dst_port);
			mask->tp.dst = htons(0xffff);
		}
		if (GIVEN(spec, TCP_FLAGS)) {
			mask->tcp.flags = htons(spec->tcp_flags_mask);
			key->tcp.flags = htons(spec->tcp_flags & spec->tcp_flags_mask);
		}
		if (GIVEN(spec, IP_TOS)) {
			mask->ip.tos = spec->tos_mask;
			key->ip.tos = spec->tos & spec->tos_mask;
		}
		if (GIVEN(spec, IP_TTL)) {
			mask->ip.ttl = spec->ttl_mask;
			key->ip.ttl = spec->ttl & spec->ttl_mask;
		}
		if (GIVEN(spec, ICMP_TYPE)) {
			mask->icmp.type = spec->icmp_type_mask;
			key->icmp.type = spec->icmp_type & spec->icmp_type_mask;
		}
		if (GIVEN(spec, ICMP_CODE)) {
			mask->icmp.code = spec->icmp_code_mask;
			key->icmp.code = spec->icmp_code & spec->icmp_code_mask;
		}
	}

	if (GIVEN(spec, ENC_SRC_IP) || GIVEN(spec, ENC_DST_IP))
		key_addrs(spec->enc_family, &spec->enc_src_ip, spec->enc_src_plen,
			  GIVEN(spec, ENC_SRC_IP), &spec->enc_dst_ip, spec->enc_dst_plen,
			  GIVEN(spec, ENC_DST_IP), &key->enc_control, &mask->enc_control,
			  spec->enc_family == AF_INET ? (void *)&key->enc_ipv4 : (void *)&key->enc_ipv6,
			  spec->enc_family == AF_INET ? (void *)&mask->enc_ipv4 :
							(void *)&mask->enc_ipv6);
	if (GIVEN(spec, ENC_KEY_ID)) {
		key->enc_key_id.keyid = htonl(spec->enc_key_id);
		mask->enc_key_id.keyid = htonl(0xffffffff);
	}
	if (GIVEN(spec, ENC_SRC_PORT)) {
		key->enc_tp.src = htons(spec->enc_src_port);
		mask->enc_tp.src = htons(0xffff);
	}
	if (GIVEN(spec, ENC_DST_PORT)) {
		key->enc_tp.dst = htons(spec->enc_dst_port);
		mask->enc_tp.dst = htons(0xffff);
	}
	if (GIVEN(spec, ENC_TOS)) {
		mask->enc_ip.tos = spec->enc_tos_mask;
		key->enc_ip.tos = spec->enc_tos & spec->enc_tos_mask;
	}
	if (GIVEN(spec, ENC_TTL)) {
		mask->enc_ip.ttl = spec->enc_ttl_mask;
		key->enc_ip.ttl = spec->enc_ttl & spec->enc_ttl_mask;
	}
	return 0;
}
