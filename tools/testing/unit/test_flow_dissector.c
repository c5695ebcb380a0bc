// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for skb_flow_dissect_fl().
 *
 * Frames are built byte by byte, then copied into a malloc'd buffer of
 * exactly the frame's size before dissecting, so that under ASan any read
 * past skb->data + skb->len is reported.
 *
 * Run with "--write-corpus DIR" to write the frames used here as the
 * fuzzer's seed corpus instead of running the tests.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include <arpa/inet.h>

#include <linux/skbuff.h>
#include <net/flow_dissector.h>

#define FRAME_MAX	512

struct frame {
	u8 buf[FRAME_MAX];
	unsigned int len;
	unsigned int l3;	/* offset of the IP header, for fixups */
};

static const u8 mac_dst[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
static const u8 mac_src[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const u8 ip6_src[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x01 };
static const u8 ip6_dst[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x02 };

/* ---- frame building ---- */

static void put8(struct frame *f, u8 v)
{
	assert_true(f->len < FRAME_MAX);
	f->buf[f->len++] = v;
}

static void put16(struct frame *f, u16 v)
{
	put8(f, v >> 8);
	put8(f, v & 0xff);
}

static void put32(struct frame *f, u32 v)
{
	put16(f, v >> 16);
	put16(f, v & 0xffff);
}

static void put_bytes(struct frame *f, const void *p, unsigned int n)
{
	assert_true(f->len + n <= FRAME_MAX);
	memcpy(f->buf + f->len, p, n);
	f->len += n;
}

static void put_zero(struct frame *f, unsigned int n)
{
	while (n--)
		put8(f, 0);
}

static void set16(struct frame *f, unsigned int off, u16 v)
{
	f->buf[off] = v >> 8;
	f->buf[off + 1] = v & 0xff;
}

static void eth_hdr(struct frame *f, u16 type)
{
	f->len = 0;
	put_bytes(f, mac_dst, ETH_ALEN);
	put_bytes(f, mac_src, ETH_ALEN);
	put16(f, type);
}

static void vlan_tag(struct frame *f, u8 prio, u8 dei, u16 vid, u16 type)
{
	put16(f, prio << 13 | dei << 12 | vid);
	put16(f, type);
}

/* 10.0.0.1 -> 10.0.0.2; the total length is set by ipv4_end() */
static void ipv4_hdr(struct frame *f, u8 proto, u16 frag_off,
		     const u8 *opts, unsigned int optlen)
{
	assert_int_equal(optlen % 4, 0);
	f->l3 = f->len;
	put8(f, 0x40 | (5 + optlen / 4));
	put8(f, 0x10);			/* tos */
	put16(f, 0);			/* tot_len */
	put16(f, 0x1234);		/* id */
	put16(f, frag_off);
	put8(f, 64);			/* ttl */
	put8(f, proto);
	put16(f, 0);			/* csum: not checked */
	put32(f, 0x0a000001);
	put32(f, 0x0a000002);
	if (optlen)
		put_bytes(f, opts, optlen);
}

static void ipv4_end(struct frame *f)
{
	set16(f, f->l3 + 2, f->len - f->l3);
}

/* traffic class 0x2e, hop limit 255; payload length set by ipv6_end() */
static void ipv6_hdr(struct frame *f, u8 nexthdr)
{
	f->l3 = f->len;
	put32(f, 6u << 28 | 0x2eu << 20 | 0x12345);
	put16(f, 0);
	put8(f, nexthdr);
	put8(f, 255);
	put_bytes(f, ip6_src, 16);
	put_bytes(f, ip6_dst, 16);
}

static void ipv6_end(struct frame *f)
{
	set16(f, f->l3 + 4, f->len - f->l3 - 40);
}

static void tcp_hdr(struct frame *f, u16 sport, u16 dport, u8 doff,
		    u16 flags)
{
	put16(f, sport);
	put16(f, dport);
	put32(f, 1000);			/* seq */
	put32(f, 0);			/* ack */
	put16(f, (u16)(doff << 12) | (flags & 0x0fff));
	put16(f, 65535);		/* window */
	put16(f, 0);			/* csum */
	put16(f, 0);			/* urg */
	if (doff > 5)
		put_zero(f, (doff - 5) * 4);
}

static void udp_hdr(struct frame *f, u16 sport, u16 dport, u16 plen)
{
	put16(f, sport);
	put16(f, dport);
	put16(f, 8 + plen);
	put16(f, 0);
	put_zero(f, plen);
}

static void icmp_hdr(struct frame *f, u8 type, u8 code, u16 id, u16 seq)
{
	put8(f, type);
	put8(f, code);
	put16(f, 0);
	put16(f, id);
	put16(f, seq);
}

/* ---- the frames used by the tests (and the corpus) ---- */

static void build_ipv4_tcp_syn(struct frame *f)
{
	eth_hdr(f, 0x0800);
	ipv4_hdr(f, IPPROTO_TCP, 0x4000 /* DF */, NULL, 0);
	tcp_hdr(f, 40000, 80, 5, 0x002);
	ipv4_end(f);
}

static void build_ipv4_udp(struct frame *f)
{
	eth_hdr(f, 0x0800);
	ipv4_hdr(f, IPPROTO_UDP, 0, NULL, 0);
	udp_hdr(f, 5353, 4789, 4);
	ipv4_end(f);
}

static void build_ipv4_icmp_echo(struct frame *f)
{
	eth_hdr(f, 0x0800);
	ipv4_hdr(f, IPPROTO_ICMP, 0, NULL, 0);
	icmp_hdr(f, 8, 0, 0xbeef, 1);
	put_zero(f, 8);
	ipv4_end(f);
}

static void build_ipv4_icmp_unreach(struct frame *f)
{
	struct frame inner;

	eth_hdr(f, 0x0800);
	ipv4_hdr(f, IPPROTO_ICMP, 0, NULL, 0);
	icmp_hdr(f, 3, 3, 0, 1500);	/* port unreachable, "id" bytes unused */
	/* the offending datagram's IP header + 8 bytes */
	build_ipv4_udp(&inner);
	put_bytes(f, inner.buf + 14, 28);
	ipv4_end(f);
}

static void build_ipv4_opts_udp(struct frame *f)
{
	/* record route, 8 bytes: type, len, ptr, one address, then EOL pad */
	static const u8 opts[8] = { 7, 7, 4, 0, 0, 0, 0, 0 };

	eth_hdr(f, 0x0800);
	ipv4_hdr(f, IPPROTO_UDP, 0, opts, sizeof(opts));
	udp_hdr(f, 1111, 2222, 0);
	ipv4_end(f);
}

static void build_ipv4_frag_first(struct frame *f)
{
	eth_hdr(f, 0x0800);
	ipv4_hdr(f, IPPROTO_UDP, 0x2000 /* MF, offset 0 */, NULL, 0);
	udp_hdr(f, 3333, 4444, 16);
	ipv4_end(f);
}

static void build_ipv4_frag_later(struct frame *f)
{
	eth_hdr(f, 0x0800);
	ipv4_hdr(f, IPPROTO_UDP, 3 /* offset 24 bytes, last */, NULL, 0);
	/* payload that would parse as ports if the dissector looked */
	put16(f, 3333);
	put16(f, 4444);
	put_zero(f, 4);
	ipv4_end(f);
}

static void build_ipv6_tcp(struct frame *f)
{
	eth_hdr(f, 0x86dd);
	ipv6_hdr(f, IPPROTO_TCP);
	tcp_hdr(f, 50000, 443, 8, 0x012);	/* SYN|ACK, 12 bytes options */
	ipv6_end(f);
}

/* hop-by-hop (8 bytes) -> fragment (first, MF) -> UDP */
static void build_ipv6_hbh_frag_udp(struct frame *f, u16 frag_off_mf)
{
	eth_hdr(f, 0x86dd);
	ipv6_hdr(f, IPPROTO_HOPOPTS);
	put8(f, IPPROTO_FRAGMENT);
	put8(f, 0);			/* (0 + 1) * 8 bytes */
	put8(f, 1);			/* PadN, 4 bytes of padding */
	put8(f, 4);
	put_zero(f, 4);
	put8(f, IPPROTO_UDP);
	put8(f, 0);
	put16(f, frag_off_mf);
	put32(f, 0xcafe);		/* identification */
	udp_hdr(f, 7777, 8888, 8);
	ipv6_end(f);
}

static void build_ipv6_icmp_echo(struct frame *f)
{
	eth_hdr(f, 0x86dd);
	ipv6_hdr(f, IPPROTO_ICMPV6);
	icmp_hdr(f, 128, 0, 0x4242, 7);
	ipv6_end(f);
}

static void build_ipv6_ns(struct frame *f)
{
	eth_hdr(f, 0x86dd);
	ipv6_hdr(f, IPPROTO_ICMPV6);
	put8(f, 135);
	put8(f, 0);
	put16(f, 0);
	put32(f, 0);			/* reserved */
	put_bytes(f, ip6_dst, 16);	/* target */
	put8(f, 1);			/* source link-layer address option */
	put8(f, 1);
	put_bytes(f, mac_src, ETH_ALEN);
	ipv6_end(f);
}

static void build_arp_request(struct frame *f)
{
	eth_hdr(f, 0x0806);
	put16(f, 1);			/* Ethernet */
	put16(f, 0x0800);
	put8(f, 6);
	put8(f, 4);
	put16(f, 1);			/* request */
	put_bytes(f, mac_src, ETH_ALEN);
	put32(f, 0x0a000001);
	put_zero(f, ETH_ALEN);
	put32(f, 0x0a000002);
	put_zero(f, 18);		/* pad to 60 bytes */
}

static void build_vlan_ipv4_udp(struct frame *f)
{
	eth_hdr(f, 0x8100);
	vlan_tag(f, 5, 1, 100, 0x0800);
	ipv4_hdr(f, IPPROTO_UDP, 0, NULL, 0);
	udp_hdr(f, 1000, 2000, 0);
	ipv4_end(f);
}

static void build_qinq_ipv6_tcp(struct frame *f)
{
	eth_hdr(f, 0x88a8);
	vlan_tag(f, 3, 0, 10, 0x8100);
	vlan_tag(f, 6, 0, 4000, 0x86dd);
	ipv6_hdr(f, IPPROTO_TCP);
	tcp_hdr(f, 1234, 22, 5, 0x018);	/* PSH|ACK */
	ipv6_end(f);
}

/* ---- dissecting ---- */

/*
 * Dissect the first len bytes of f from a buffer of exactly len bytes, with
 * headroom bytes of a separate head allocation in front when asked, so the
 * header offsets are checked relative to head rather than data.
 */
static int dissect_len(const struct frame *f, unsigned int len,
		       unsigned int headroom, struct sk_buff *skb,
		       struct fl_flow_key *key)
{
	u8 *buf = malloc(headroom + len ? headroom + len : 1);
	int ret;

	assert_non_null(buf);
	memcpy(buf + headroom, f->buf, len);
	memset(skb, 0, sizeof(*skb));
	memset(key, 0, sizeof(*key));
	skb->head = buf;
	skb->data = buf + headroom;
	skb->len = len;
	ret = skb_flow_dissect_fl(skb, key);
	free(buf);
	skb->head = skb->data = NULL;
	return ret;
}

static int dissect(const struct frame *f, struct sk_buff *skb,
		   struct fl_flow_key *key)
{
	return dissect_len(f, f->len, 0, skb, key);
}

static void assert_eth(const struct fl_flow_key *key)
{
	assert_memory_equal(key->eth.dst, mac_dst, ETH_ALEN);
	assert_memory_equal(key->eth.src, mac_src, ETH_ALEN);
}

static void assert_ipv4_addrs(const struct fl_flow_key *key)
{
	assert_int_equal(key->control.addr_type,
			 FLOW_DISSECTOR_KEY_IPV4_ADDRS);
	assert_int_equal(key->ipv4.src, htonl(0x0a000001));
	assert_int_equal(key->ipv4.dst, htonl(0x0a000002));
	assert_int_equal(key->ip.tos, 0x10);
	assert_int_equal(key->ip.ttl, 64);
}

static void assert_ipv6_addrs(const struct fl_flow_key *key)
{
	assert_int_equal(key->control.addr_type,
			 FLOW_DISSECTOR_KEY_IPV6_ADDRS);
	assert_memory_equal(&key->ipv6.src, ip6_src, 16);
	assert_memory_equal(&key->ipv6.dst, ip6_dst, 16);
	assert_int_equal(key->ip.tos, 0x2e);
	assert_int_equal(key->ip.ttl, 255);
}

static void assert_no_vlan(const struct fl_flow_key *key)
{
	static const struct flow_dissector_key_vlan zero;

	assert_memory_equal(&key->vlan, &zero, sizeof(zero));
	assert_memory_equal(&key->cvlan, &zero, sizeof(zero));
}

/* ---- tests ---- */

static void test_ipv4_tcp_syn(void **state)
{
	struct fl_flow_key key;
	struct sk_buff skb;
	struct frame f;

	(void)state;
	build_ipv4_tcp_syn(&f);
	assert_int_equal(dissect(&f, &skb, &key), 0);
	assert_eth(&key);
	assert_no_vlan(&key);
	assert_int_equal(skb.protocol, htons(0x0800));
	assert_int_equal(key.basic.n_proto, htons(0x0800));
	assert_int_equal(key.basic.ip_proto, IPPROTO_TCP);
	assert_ipv4_addrs(&key);
	assert_int_equal(key.tp.src, htons(40000));
	assert_int_equal(key.tp.dst, htons(80));
	assert_int_equal(key.tcp.flags, htons(0x002));
	assert_int_equal(key.control.flags, 0);
	assert_int_equal(key.control.thoff, 34);
	assert_int_equal(skb.mac_header, 0);
	assert_int_equal(skb.network_header, 14);
	assert_int_equal(skb.transport_header, 34);
}

/* all 12 flag bits, NS and the reserved bits included; doff bits excluded */
static void test_tcp_flags_all(void **state)
{
	struct fl_flow_key key;
	struct sk_buff skb;
	struct frame f;

	(void)state;
	eth_hdr(&f, 0x0800);
	ipv4_hdr(&f, IPPROTO_TCP, 0, NULL, 0);
	tcp_hdr(&f, 1, 2, 5, 0x0fff);
	ipv4_end(&f);
	assert_int_equal(dissect(&f, &skb, &key), 0);
	assert_int_equal(key.tcp.flags, htons(0x0fff));

	eth_hdr(&f, 0x0800);
	ipv4_hdr(&f, IPPROTO_TCP, 0, NULL, 0);
	tcp_hdr(&f, 1, 2, 5, 0x100 | 0x011);	/* NS, ACK|FIN */
	ipv4_end(&f);
	assert_int_equal(dissect(&f, &skb, &key), 0);
	assert_int_equal(key.tcp.flags, htons(0x111));
}

/* offsets are relative to head, and the caller's pre-filled fields stay */
static void test_headroom_and_prefill(void **state)
{
	struct fl_flow_key key;
	struct sk_buff skb;
	struct frame f;
	u8 *buf;

	(void)state;
	build_ipv4_tcp_syn(&f);
	buf = malloc(SKB_HEADROOM + f.len);
	assert_non_null(buf);
	memcpy(buf + SKB_HEADROOM, f.buf, f.len);
	memset(&skb, 0, sizeof(skb));
	memset(&key, 0, sizeof(key));
	key.meta.ingress_ifindex = 7;
	key.ct.ct_zone = 3;
	key.enc_key_id.keyid = htonl(42);
	skb.head = buf;
	skb.data = buf + SKB_HEADROOM;
	skb.len = f.len;
	assert_int_equal(skb_flow_dissect_fl(&skb, &key), 0);
	free(buf);
	assert_int_equal(skb.mac_header, SKB_HEADROOM);
	assert_int_equal(skb.network_header, SKB_HEADROOM + 14);
	assert_int_equal(skb.transport_header, SKB_HEADROOM + 34);
	assert_int_equal(key.control.thoff, 34);
	assert_int_equal(key.meta.ingress_ifindex, 7);
	assert_int_equal(key.ct.ct_zone, 3);
	assert_int_equal(key.enc_key_id.keyid, htonl(42));
}

static void test_ipv4_udp(void **state)
{
	struct fl_flow_key key;
	struct sk_buff skb;
	struct frame f;

	(void)state;
	build_ipv4_udp(&f);
	assert_int_equal(dissect(&f, &skb, &key), 0);
	assert_int_equal(key.basic.ip_proto, IPPROTO_UDP);
	assert_ipv4_addrs(&key);
	assert_int_equal(key.tp.src, htons(5353));
	assert_int_equal(key.tp.dst, htons(4789));
	assert_int_equal(key.tcp.flags, 0);
	assert_int_equal(key.icmp.type, 0);
}

/* a minimum-size frame: the IP datagram is followed by Ethernet padding */
static void test_ipv4_udp_padded(void **state)
{
	struct fl_flow_key key;
	struct sk_buff skb;
	struct frame f;

	(void)state;
	eth_hdr(&f, 0x0800);
	ipv4_hdr(&f, IPPROTO_UDP, 0, NULL, 0);
	udp_hdr(&f, 53, 53, 0);
	ipv4_end(&f);
	put_zero(&f, 60 - f.len);
	assert_int_equal(f.len, 60);
	assert_int_equal(dissect(&f, &skb, &key), 0);
	assert_int_equal(key.tp.dst, htons(53));
}

/* the L4 header must lie inside the IP datagram, not in the padding */
static void test_ipv4_l4_in_padding(void **state)
{
	struct fl_flow_key key;
	struct sk_buff skb;
	struct frame f;

	(void)state;
	eth_hdr(&f, 0x0800);
	ipv4_hdr(&f, IPPROTO_TCP, 0, NULL, 0);
	ipv4_end(&f);			/* tot_len 20: no room for TCP */
	tcp_hdr(&f, 1, 2, 5, 0x002);
	assert_int_equal(dissect(&f, &skb, &key), -EINVAL);
}

static void test_ipv4_icmp_echo(void **state)
{
	struct fl_flow_key key;
	struct sk_buff skb;
	struct frame f;

	(void)state;
	build_ipv4_icmp_echo(&f);
	assert_int_equal(dissect(&f, &skb, &key), 0);
	assert_int_equal(key.basic.ip_proto, IPPROTO_ICMP);
	assert_ipv4_addrs(&key);
	assert_int_equal(key.icmp.type, 8);
	assert_int_equal(key.icmp.code, 0);
	assert_int_equal(key.icmp.id, 0xbeef);	/* host order */
	assert_int_equal(key.tp.ports, 0);

	/* an id of 0 is reported as 1: 0 means "no id" */
	eth_hdr(&f, 0x0800);
	ipv4_hdr(&f, IPPROTO_ICMP, 0, NULL, 0);
	icmp_hdr(&f, 0, 0, 0, 1);
	ipv4_end(&f);
	assert_int_equal(dissect(&f, &skb, &key), 0);
	assert_int_equal(key.icmp.type, 0);
	assert_int_equal(key.icmp.id, 1);
}

static void test_ipv4_icmp_unreach(void **state)
{
	struct fl_flow_key key;
	struct sk_buff skb;
	struct frame f;

	(void)state;
	build_ipv4_icmp_unreach(&f);
	assert_int_equal(dissect(&f, &skb, &key), 0);
	assert_int_equal(key.basic.ip_proto, IPPROTO_ICMP);
	assert_int_equal(key.icmp.type, 3);
	assert_int_equal(key.icmp.code, 3);
	assert_int_equal(key.icmp.id, 0);
	/* the embedded header is not the packet's: no ports from it */
	assert_int_equal(key.tp.ports, 0);
	assert_int_equal(key.ipv4.src, htonl(0x0a000001));
}

static void test_ipv4_options(void **state)
{
	struct fl_flow_key key;
	struct sk_buff skb;
	struct frame f;

	(void)state;
	build_ipv4_opts_udp(&f);
	assert_int_equal(dissect(&f, &skb, &key), 0);
	assert_ipv4_addrs(&key);
	assert_int_equal(key.basic.ip_proto, IPPROTO_UDP);
	assert_int_equal(key.tp.src, htons(1111));
	assert_int_equal(key.tp.dst, htons(2222));
	assert_int_equal(key.control.thoff, 14 + 28);
	assert_int_equal(skb.transport_header, 14 + 28);
}

static void test_ipv4_bad_headers(void **state)
{
	struct fl_flow_key key;
	struct sk_buff skb;
	struct frame f;

	(void)state;
	/* ihl < 5 */
	build_ipv4_udp(&f);
	f.buf[14] = 0x44;
	assert_int_equal(dissect(&f, &skb, &key), -EINVAL);
	/* version 6 in an IPv4 ethertype */
	build_ipv4_udp(&f);
	f.buf[14] = 0x65;
	assert_int_equal(dissect(&f, &skb, &key), -EINVAL);
	/* tot_len beyond the frame */
	build_ipv4_udp(&f);
	set16(&f, 16, f.len - 14 + 1);
	assert_int_equal(dissect(&f, &skb, &key), -EINVAL);
	/* tot_len shorter than the header */
	build_ipv4_udp(&f);
	set16(&f, 16, 19);
	assert_int_equal(dissect(&f, &skb, &key), -EINVAL);
	/* ihl larger than tot_len */
	build_ipv4_udp(&f);
	f.buf[14] = 0x4f;
	assert_int_equal(dissect(&f, &skb, &key), -EINVAL);
}

static void test_ipv4_frag_first(void **state)
{
	struct fl_flow_key key;
	struct sk_buff skb;
	struct frame f;

	(void)state;
	build_ipv4_frag_first(&f);
	assert_int_equal(dissect(&f, &skb, &key), 0);
	assert_int_equal(key.control.flags,
			 FLOW_DIS_IS_FRAGMENT | FLOW_DIS_FIRST_FRAG);
	assert_int_equal(key.basic.ip_proto, IPPROTO_UDP);
	assert_int_equal(key.tp.src, htons(3333));
	assert_int_equal(key.tp.dst, htons(4444));
}

static void test_ipv4_frag_later(void **state)
{
	struct fl_flow_key key;
	struct sk_buff skb;
	struct frame f;

	(void)state;
	build_ipv4_frag_later(&f);
	assert_int_equal(dissect(&f, &skb, &key), 0);
	assert_int_equal(key.control.flags, FLOW_DIS_IS_FRAGMENT);
	assert_int_equal(key.basic.ip_proto, IPPROTO_UDP);
	assert_ipv4_addrs(&key);
	assert_int_equal(key.tp.ports, 0);
	assert_int_equal(key.control.thoff, 34);

	/* a later fragment too short for any L4 header is fine */
	eth_hdr(&f, 0x0800);
	ipv4_hdr(&f, IPPROTO_TCP, 0x2000 | 100, NULL, 0);
	put8(&f, 0xaa);
	ipv4_end(&f);
	assert_int_equal(dissect(&f, &skb, &key), 0);
	assert_int_equal(key.control.flags, FLOW_DIS_IS_FRAGMENT);
	assert_int_equal(key.tcp.flags, 0);
}

static void test_ipv6_tcp(void **state)
{
	struct fl_flow_key key;
	struct sk_buff skb;
	struct frame f;

	(void)state;
	build_ipv6_tcp(&f);
	assert_int_equal(dissect(&f, &skb, &key), 0);
	assert_eth(&key);
	assert_int_equal(skb.protocol, htons(0x86dd));
	assert_int_equal(key.basic.n_proto, htons(0x86dd));
	assert_int_equal(key.basic.ip_proto, IPPROTO_TCP);
	assert_ipv6_addrs(&key);
	assert_int_equal(key.tp.src, htons(50000));
	assert_int_equal(key.tp.dst, htons(443));
	assert_int_equal(key.tcp.flags, htons(0x012));
	assert_int_equal(key.control.flags, 0);
	assert_int_equal(key.control.thoff, 54);
	assert_int_equal(skb.network_header, 14);
	assert_int_equal(skb.transport_header, 54);
}

static void test_ipv6_hbh_frag(void **state)
{
	struct fl_flow_key key;
	struct sk_buff skb;
	struct frame f;

	(void)state;
	/* first fragment: L4 parsed after both extension headers */
	build_ipv6_hbh_frag_udp(&f, 0x0001 /* offset 0, M */);
	assert_int_equal(dissect(&f, &skb, &key), 0);
	assert_ipv6_addrs(&key);
	assert_int_equal(key.basic.ip_proto, IPPROTO_UDP);
	assert_int_equal(key.control.flags,
			 FLOW_DIS_IS_FRAGMENT | FLOW_DIS_FIRST_FRAG);
	assert_int_equal(key.tp.src, htons(7777));
	assert_int_equal(key.tp.dst, htons(8888));
	assert_int_equal(key.control.thoff, 14 + 40 + 8 + 8);

	/* later fragment: protocol known, no ports */
	build_ipv6_hbh_frag_udp(&f, 185 << 3);
	assert_int_equal(dissect(&f, &skb, &key), 0);
	assert_int_equal(key.basic.ip_proto, IPPROTO_UDP);
	assert_int_equal(key.control.flags, FLOW_DIS_IS_FRAGMENT);
	assert_int_equal(key.tp.ports, 0);
	assert_int_equal(key.control.thoff, 14 + 40 + 8 + 8);
}

static void test_ipv6_exthdr_limits(void **state)
{
	struct fl_flow_key key;
	struct sk_buff skb;
	struct frame f;
	int i;

	(void)state;
	/* 8 destination-options headers are walked */
	eth_hdr(&f, 0x86dd);
	ipv6_hdr(&f, IPPROTO_DSTOPTS);
	for (i = 0; i < 8; i++) {
		put8(&f, i == 7 ? IPPROTO_UDP : IPPROTO_DSTOPTS);
		put_zero(&f, 7);
	}
	udp_hdr(&f, 1, 2, 0);
	ipv6_end(&f);
	assert_int_equal(dissect(&f, &skb, &key), 0);
	assert_int_equal(key.basic.ip_proto, IPPROTO_UDP);
	assert_int_equal(key.tp.dst, htons(2));

	/* 9 are refused */
	eth_hdr(&f, 0x86dd);
	ipv6_hdr(&f, IPPROTO_DSTOPTS);
	for (i = 0; i < 9; i++) {
		put8(&f, i == 8 ? IPPROTO_UDP : IPPROTO_DSTOPTS);
		put_zero(&f, 7);
	}
	udp_hdr(&f, 1, 2, 0);
	ipv6_end(&f);
	assert_int_equal(dissect(&f, &skb, &key), -EINVAL);

	/* an extension header running past the payload length */
	eth_hdr(&f, 0x86dd);
	ipv6_hdr(&f, IPPROTO_ROUTING);
	put8(&f, IPPROTO_UDP);
	put8(&f, 1);			/* says 16 bytes, 8 present */
	put_zero(&f, 6);
	ipv6_end(&f);
	assert_int_equal(dissect(&f, &skb, &key), -EINVAL);

	/* AH counts its length in 4-byte units, minus 2 */
	eth_hdr(&f, 0x86dd);
	ipv6_hdr(&f, IPPROTO_AH);
	put8(&f, IPPROTO_TCP);
	put8(&f, 4);			/* (4 + 2) * 4 = 24 bytes */
	put_zero(&f, 22);
	tcp_hdr(&f, 9, 10, 5, 0x004);
	ipv6_end(&f);
	assert_int_equal(dissect(&f, &skb, &key), 0);
	assert_int_equal(key.basic.ip_proto, IPPROTO_TCP);
	assert_int_equal(key.tp.src, htons(9));
	assert_int_equal(key.tcp.flags, htons(0x004));

	/* payload length beyond the frame */
	build_ipv6_tcp(&f);
	set16(&f, 18, f.len - 54 + 1);
	assert_int_equal(dissect(&f, &skb, &key), -EINVAL);
}

static void test_ipv6_icmp_echo(void **state)
{
	struct fl_flow_key key;
	struct sk_buff skb;
	struct frame f;

	(void)state;
	build_ipv6_icmp_echo(&f);
	assert_int_equal(dissect(&f, &skb, &key), 0);
	assert_ipv6_addrs(&key);
	assert_int_equal(key.basic.ip_proto, IPPROTO_ICMPV6);
	assert_int_equal(key.icmp.type, 128);
	assert_int_equal(key.icmp.code, 0);
	assert_int_equal(key.icmp.id, 0x4242);
}

static void test_ipv6_neigh_solicit(void **state)
{
	struct fl_flow_key key;
	struct sk_buff skb;
	struct frame f;

	(void)state;
	build_ipv6_ns(&f);
	assert_int_equal(dissect(&f, &skb, &key), 0);
	assert_int_equal(key.basic.ip_proto, IPPROTO_ICMPV6);
	assert_int_equal(key.icmp.type, 135);
	assert_int_equal(key.icmp.code, 0);
	assert_int_equal(key.icmp.id, 0);
}

static void test_arp_request(void **state)
{
	struct fl_flow_key key;
	struct sk_buff skb;
	struct frame f;

	(void)state;
	build_arp_request(&f);
	assert_int_equal(dissect(&f, &skb, &key), 0);
	assert_eth(&key);
	assert_int_equal(skb.protocol, htons(0x0806));
	assert_int_equal(key.basic.n_proto, htons(0x0806));
	assert_int_equal(key.arp.op, 1);
	assert_int_equal(key.arp.sip, htonl(0x0a000001));
	assert_int_equal(key.arp.tip, htonl(0x0a000002));
	assert_memory_equal(key.arp.sha, mac_src, ETH_ALEN);
	assert_memory_equal(key.arp.tha, "\0\0\0\0\0\0", ETH_ALEN);
	assert_int_equal(key.control.addr_type, 0);
	assert_int_equal(key.basic.ip_proto, 0);

	/* cut inside the addresses */
	assert_int_equal(dissect_len(&f, 14 + 27, 0, &skb, &key), -EINVAL);
	/* cut inside the fixed part */
	assert_int_equal(dissect_len(&f, 14 + 7, 0, &skb, &key), -EINVAL);

	/* ARP for another hardware type: valid, not described */
	build_arp_request(&f);
	set16(&f, 14, 6);
	assert_int_equal(dissect(&f, &skb, &key), 0);
	assert_int_equal(key.basic.n_proto, htons(0x0806));
	assert_int_equal(key.arp.sip, 0);
}

static void test_rarp(void **state)
{
	struct fl_flow_key key;
	struct sk_buff skb;
	struct frame f;

	(void)state;
	build_arp_request(&f);
	set16(&f, 12, 0x8035);
	set16(&f, 20, 3);		/* reverse request */
	assert_int_equal(dissect(&f, &skb, &key), 0);
	assert_int_equal(key.basic.n_proto, htons(0x8035));
	assert_int_equal(key.arp.op, 3);
	assert_int_equal(key.arp.tip, htonl(0x0a000002));
}

static void test_vlan(void **state)
{
	struct fl_flow_key key;
	struct sk_buff skb;
	struct frame f;

	(void)state;
	build_vlan_ipv4_udp(&f);
	assert_int_equal(dissect(&f, &skb, &key), 0);
	assert_eth(&key);
	assert_int_equal(skb.protocol, htons(0x8100));
	assert_int_equal(key.basic.n_proto, htons(0x0800));
	assert_int_equal(key.vlan.vlan_id, 100);
	assert_int_equal(key.vlan.vlan_priority, 5);
	assert_int_equal(key.vlan.vlan_dei, 1);
	assert_int_equal(key.vlan.vlan_tpid, htons(0x8100));
	assert_int_equal(key.vlan.vlan_eth_type, htons(0x0800));
	assert_int_equal(key.cvlan.vlan_tpid, 0);
	assert_int_equal(key.cvlan.vlan_id, 0);
	assert_int_equal(key.tp.src, htons(1000));
	assert_int_equal(skb.network_header, 18);
	assert_int_equal(skb.transport_header, 38);
	assert_int_equal(key.control.thoff, 38);

	/* a tag cut short */
	assert_int_equal(dissect_len(&f, 16, 0, &skb, &key), -EINVAL);
}

static void test_qinq(void **state)
{
	struct fl_flow_key key;
	struct sk_buff skb;
	struct frame f;

	(void)state;
	build_qinq_ipv6_tcp(&f);
	assert_int_equal(dissect(&f, &skb, &key), 0);
	assert_int_equal(skb.protocol, htons(0x88a8));
	assert_int_equal(key.basic.n_proto, htons(0x86dd));
	assert_int_equal(key.vlan.vlan_id, 10);
	assert_int_equal(key.vlan.vlan_priority, 3);
	assert_int_equal(key.vlan.vlan_dei, 0);
	assert_int_equal(key.vlan.vlan_tpid, htons(0x88a8));
	assert_int_equal(key.vlan.vlan_eth_type, htons(0x8100));
	assert_int_equal(key.cvlan.vlan_id, 4000);
	assert_int_equal(key.cvlan.vlan_priority, 6);
	assert_int_equal(key.cvlan.vlan_tpid, htons(0x8100));
	assert_int_equal(key.cvlan.vlan_eth_type, htons(0x86dd));
	assert_int_equal(key.basic.ip_proto, IPPROTO_TCP);
	assert_int_equal(key.tp.dst, htons(22));
	assert_int_equal(key.tcp.flags, htons(0x018));
	assert_int_equal(skb.network_header, 22);
	assert_int_equal(skb.transport_header, 62);
}

static void test_vlan_limits(void **state)
{
	struct fl_flow_key key;
	struct sk_buff skb;
	struct frame f;
	int i;

	(void)state;
	/* a third tag is skipped; n_proto is what follows all of them */
	eth_hdr(&f, 0x88a8);
	vlan_tag(&f, 0, 0, 1, 0x8100);
	vlan_tag(&f, 0, 0, 2, 0x8100);
	vlan_tag(&f, 0, 0, 3, 0x0800);
	ipv4_hdr(&f, IPPROTO_UDP, 0, NULL, 0);
	udp_hdr(&f, 1, 2, 0);
	ipv4_end(&f);
	assert_int_equal(dissect(&f, &skb, &key), 0);
	assert_int_equal(key.vlan.vlan_id, 1);
	assert_int_equal(key.cvlan.vlan_id, 2);
	assert_int_equal(key.cvlan.vlan_eth_type, htons(0x8100));
	assert_int_equal(key.basic.n_proto, htons(0x0800));
	assert_int_equal(key.tp.dst, htons(2));
	assert_int_equal(skb.network_header, 26);

	/* too many tags are refused */
	eth_hdr(&f, 0x8100);
	for (i = 0; i < 9; i++)
		vlan_tag(&f, 0, 0, i, i == 8 ? 0x0800 : 0x8100);
	ipv4_hdr(&f, IPPROTO_UDP, 0, NULL, 0);
	udp_hdr(&f, 1, 2, 0);
	ipv4_end(&f);
	assert_int_equal(dissect(&f, &skb, &key), -EINVAL);
}

static void test_other_ethertypes(void **state)
{
	struct fl_flow_key key;
	struct sk_buff skb;
	struct frame f;

	(void)state;
	/* MPLS: not parsed, but not an error */
	eth_hdr(&f, 0x8847);
	put32(&f, 0x00001140);
	assert_int_equal(dissect(&f, &skb, &key), 0);
	assert_int_equal(skb.protocol, htons(0x8847));
	assert_int_equal(key.basic.n_proto, htons(0x8847));
	assert_int_equal(key.control.thoff, 14);
	assert_int_equal(skb.transport_header, 14);

	/* an 802.3 length field is not a protocol */
	eth_hdr(&f, 46);
	put8(&f, 0x42);
	put8(&f, 0x42);
	put_zero(&f, 44);
	assert_int_equal(dissect(&f, &skb, &key), 0);
	assert_int_equal(skb.protocol, htons(0x0004));
	assert_int_equal(key.basic.n_proto, htons(0x0004));

	/* header only, no payload */
	eth_hdr(&f, 0x0800);
	assert_int_equal(dissect(&f, &skb, &key), -EINVAL);
	eth_hdr(&f, 0x88cc);
	assert_int_equal(dissect(&f, &skb, &key), 0);
}

static void test_tcp_bad_doff(void **state)
{
	struct fl_flow_key key;
	struct sk_buff skb;
	struct frame f;
	u8 doff;

	(void)state;
	for (doff = 0; doff < 5; doff++) {
		eth_hdr(&f, 0x0800);
		ipv4_hdr(&f, IPPROTO_TCP, 0, NULL, 0);
		tcp_hdr(&f, 1, 2, doff, 0x002);
		put_zero(&f, 40);	/* room enough for any header */
		ipv4_end(&f);
		assert_int_equal(dissect(&f, &skb, &key), -EINVAL);
	}
	/* doff says options that are not there */
	eth_hdr(&f, 0x0800);
	ipv4_hdr(&f, IPPROTO_TCP, 0, NULL, 0);
	tcp_hdr(&f, 1, 2, 5, 0x002);
	f.buf[f.len - 8] = 6 << 4;
	ipv4_end(&f);
	assert_int_equal(dissect(&f, &skb, &key), -EINVAL);
}

/*
 * Every proper prefix of a valid frame is truncated somewhere in its
 * headers (the IP length no longer fits), so must be refused; ASan catches
 * any read past the exact-size buffer.
 */
static void check_truncations(void (*build)(struct frame *f))
{
	struct fl_flow_key key;
	struct sk_buff skb;
	struct frame f;
	unsigned int len;

	build(&f);
	for (len = 0; len < f.len; len++) {
		int ret = dissect_len(&f, len, 0, &skb, &key);

		assert_true(ret == -EINVAL || ret == 0);
		if (len < 14 || f.buf[12] == 0x08 || f.buf[12] == 0x86 ||
		    f.buf[12] == 0x81 || f.buf[12] == 0x88)
			assert_int_equal(ret, -EINVAL);
	}
	assert_int_equal(dissect_len(&f, f.len, 0, &skb, &key), 0);
}

static void test_truncated_tcp(void **state)
{
	(void)state;
	check_truncations(build_ipv4_tcp_syn);
	check_truncations(build_ipv6_tcp);
	check_truncations(build_qinq_ipv6_tcp);
}

static void test_truncated_other(void **state)
{
	(void)state;
	check_truncations(build_ipv4_udp);
	check_truncations(build_ipv4_icmp_echo);
	check_truncations(build_ipv4_opts_udp);
	check_truncations(build_ipv6_icmp_echo);
	check_truncations(build_vlan_ipv4_udp);
	check_truncations(build_ipv4_frag_first);
	check_truncations(build_ipv4_frag_later);
}

/* the IPv6 extension-header frames, cut everywhere: only bounds matter */
static void build_ipv6_first_frag(struct frame *f)
{
	build_ipv6_hbh_frag_udp(f, 1);
}

static void test_truncated_exthdrs(void **state)
{
	(void)state;
	check_truncations(build_ipv6_first_frag);
	check_truncations(build_ipv6_ns);
}

/* ---- seed corpus ---- */

static const struct {
	const char *name;
	void (*build)(struct frame *f);
} corpus[] = {
	{ "ipv4_tcp_syn", build_ipv4_tcp_syn },
	{ "ipv4_udp", build_ipv4_udp },
	{ "ipv4_icmp_echo", build_ipv4_icmp_echo },
	{ "ipv4_icmp_unreach", build_ipv4_icmp_unreach },
	{ "ipv4_opts_udp", build_ipv4_opts_udp },
	{ "ipv4_frag_first", build_ipv4_frag_first },
	{ "ipv4_frag_later", build_ipv4_frag_later },
	{ "ipv6_tcp", build_ipv6_tcp },
	{ "ipv6_hbh_frag_udp", build_ipv6_first_frag },
	{ "ipv6_icmp_echo", build_ipv6_icmp_echo },
	{ "ipv6_ns", build_ipv6_ns },
	{ "arp_request", build_arp_request },
	{ "vlan_ipv4_udp", build_vlan_ipv4_udp },
	{ "qinq_ipv6_tcp", build_qinq_ipv6_tcp },
};

static int write_corpus(const char *dir)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(corpus); i++) {
		struct frame f;
		char path[4096];
		FILE *fp;

		corpus[i].build(&f);
		snprintf(path, sizeof(path), "%s/%s", dir, corpus[i].name);
		fp = fopen(path, "wb");
		if (!fp || fwrite(f.buf, 1, f.len, fp) != f.len) {
			perror(path);
			if (fp)
				fclose(fp);
			return 1;
		}
		if (fclose(fp)) {
			perror(path);
			return 1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4_tcp_syn),
		cmocka_unit_test(test_tcp_flags_all),
		cmocka_unit_test(test_headroom_and_prefill),
		cmocka_unit_test(test_ipv4_udp),
		cmocka_unit_test(test_ipv4_udp_padded),
		cmocka_unit_test(test_ipv4_l4_in_padding),
		cmocka_unit_test(test_ipv4_icmp_echo),
		cmocka_unit_test(test_ipv4_icmp_unreach),
		cmocka_unit_test(test_ipv4_options),
		cmocka_unit_test(test_ipv4_bad_headers),
		cmocka_unit_test(test_ipv4_frag_first),
		cmocka_unit_test(test_ipv4_frag_later),
		cmocka_unit_test(test_ipv6_tcp),
		cmocka_unit_test(test_ipv6_hbh_frag),
		cmocka_unit_test(test_ipv6_exthdr_limits),
		cmocka_unit_test(test_ipv6_icmp_echo),
		cmocka_unit_test(test_ipv6_neigh_solicit),
		cmocka_unit_test(test_arp_request),
		cmocka_unit_test(test_rarp),
		cmocka_unit_test(test_vlan),
		cmocka_unit_test(test_qinq),
		cmocka_unit_test(test_vlan_limits),
		cmocka_unit_test(test_other_ethertypes),
		cmocka_unit_test(test_tcp_bad_doff),
		cmocka_unit_test(test_truncated_tcp),
		cmocka_unit_test(test_truncated_other),
		cmocka_unit_test(test_truncated_exthdrs),
	};

	if (argc == 3 && !strcmp(argv[1], "--write-corpus"))
		return write_corpus(argv[2]);
	if (argc != 1) {
		fprintf(stderr, "usage: %s [--write-corpus DIR]\n", argv[0]);
		return 2;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
