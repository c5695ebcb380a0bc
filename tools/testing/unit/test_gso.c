// SPDX-License-Identifier: GPL-2.0
/*
 * TSO and checksum offload of the TAP ports (net/core/gso.c): a 64 KB TCP
 * segment with its virtio_net_hdr, as a host's stack writes it to a TAP
 * with IFF_VNET_HDR, becomes wire frames: the right count and sizes,
 * consecutive sequence numbers and IPv4 ids, FIN/PSH only on the last
 * and CWR only on the first, and IP and TCP checksums a receiver accepts
 * (checked by summing each frame over its pseudo-header).  A frame with a
 * partial checksum is completed; what cannot be segmented is refused
 * without keeping a buffer.  The other way (gro_frame, what a TAP sends
 * its host): a run of segments becomes one frame that cuts back into
 * exactly the same segments; a gap, another flow or a SYN ends a run.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/tcp.h>
#include <cmocka.h>
#include <linux/if_ether.h>
#include <net/checksum.h>
#include <net/gso.h>

#define MSS	1448

static struct skb_pool pool;
/* frames with their IP header 4-byte aligned, as the structs below want */
static u8 frame_buf[70002] __aligned(4);
#define frame (frame_buf + 2)
static u8 copy_buf[SKB_DATA_MAX + 2] __aligned(4);

/* an skb's frame where the structs can read it (skb->data + 14 is not aligned) */
static const u8 *aligned(const struct sk_buff *skb)
{
	memcpy(copy_buf + 2, skb->data, skb->len);
	return copy_buf + 2;
}

/* eth + IP + TCP (20 bytes, flags) + plen bytes of payload; returns the length */
static unsigned int tcp_frame(bool v6, unsigned int plen, u8 flags)
{
	unsigned int l3 = ETH_HLEN, l4 = l3 + (v6 ? 40 : 20), i;
	struct tcphdr *th = (void *)(frame + l4);

	memset(frame, 0, l4 + 20);
	frame[12] = v6 ? 0x86 : 0x08;
	frame[13] = v6 ? 0xdd : 0x00;
	if (v6) {
		struct ip6_hdr *ip6 = (void *)(frame + l3);

		ip6->ip6_flow = htonl(6 << 28);
		ip6->ip6_plen = htons(20 + plen);
		ip6->ip6_nxt = IPPROTO_TCP;
		ip6->ip6_hlim = 64;
		inet_pton(AF_INET6, "2001:db8::1", &ip6->ip6_src);
		inet_pton(AF_INET6, "2001:db8::2", &ip6->ip6_dst);
	} else {
		struct iphdr *iph = (void *)(frame + l3);

		iph->version = 4;
		iph->ihl = 5;
		iph->tot_len = htons(40 + plen);
		iph->id = htons(0x1234);
		iph->ttl = 64;
		iph->protocol = IPPROTO_TCP;
		iph->saddr = htonl(0x0a000001);
		iph->daddr = htonl(0x0a000002);
		iph->check = ip_fast_csum(iph, 5);
	}
	th->th_sport = htons(40000);
	th->th_dport = htons(5201);
	th->th_seq = htonl(1000);
	th->th_ack = htonl(77);
	th->th_off = 5;
	th->th_flags = flags;
	th->th_win = htons(512);
	for (i = 0; i < plen; i++)
		frame[l4 + 20 + i] = i * 7;
	return l4 + 20 + plen;
}

/* a receiver's check of the TCP checksum: the sum over everything folds to 0 */
static bool tcp_csum_ok(const u8 *f, unsigned int len, bool v6)
{
	unsigned int l4 = ETH_HLEN + (v6 ? 40 : 20), tlen = len - l4;
	__wsum sum = csum_partial(f + l4, tlen, 0);

	if (v6) {
		const struct ip6_hdr *ip6 = (const void *)(f + ETH_HLEN);

		return csum_ipv6_magic(&ip6->ip6_src, &ip6->ip6_dst, tlen, IPPROTO_TCP, sum) == 0;
	}
	return csum_tcpudp_magic(((const struct iphdr *)(f + ETH_HLEN))->saddr,
				 ((const struct iphdr *)(f + ETH_HLEN))->daddr, tlen,
				 IPPROTO_TCP, sum) == 0;
}

static void check_segments(bool v6)
{
	unsigned int plen = 64000, len = tcp_frame(v6, plen, TH_ACK | TH_PUSH | TH_FIN | 0x80);
	struct virtio_net_hdr vh = {
		.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
		.gso_type = v6 ? VIRTIO_NET_HDR_GSO_TCPV6 : VIRTIO_NET_HDR_GSO_TCPV4,
		.gso_size = MSS, .hdr_len = len - plen,
	};
	unsigned int l4 = ETH_HLEN + (v6 ? 40 : 20), n = (plen + MSS - 1) / MSS, i;
	struct sk_buff *segs[64];
	int got = skb_gso_segment_frame(frame, len, &vh, &pool, segs, 64);

	assert_int_equal(got, n);
	for (i = 0; i < n; i++) {
		const u8 *f = aligned(segs[i]);
		const struct tcphdr *th = (const void *)(f + l4);
		unsigned int chunk = i < n - 1 ? MSS : plen - (n - 1) * MSS;

		assert_int_equal(segs[i]->len, l4 + 20 + chunk);
		assert_int_equal(ntohl(th->th_seq), 1000 + i * MSS);
		assert_int_equal(!!(th->th_flags & 0x80), i == 0);
		assert_int_equal(!!(th->th_flags & (TH_FIN | TH_PUSH)), i == n - 1);
		assert_true(th->th_flags & TH_ACK);
		assert_memory_equal(f + l4 + 20, frame + l4 + 20 + i * MSS, chunk);
		if (v6) {
			assert_int_equal(ntohs(((const struct ip6_hdr *)(f + ETH_HLEN))->ip6_plen),
					 20 + chunk);
		} else {
			const struct iphdr *iph = (const void *)(f + ETH_HLEN);

			assert_int_equal(ntohs(iph->tot_len), 40 + chunk);
			assert_int_equal(ntohs(iph->id), 0x1234 + i);
			assert_int_equal(ip_fast_csum(iph, 5), 0);
		}
		assert_true(tcp_csum_ok(f, segs[i]->len, v6));
		kfree_skb(segs[i]);
	}
}

static void test_tso4(void **state)
{
	check_segments(false);
}

static void test_tso6(void **state)
{
	check_segments(true);
}

/* no GSO, a checksum left to the device: the pseudo-header sum in the field */
static void test_csum_partial(void **state)
{
	unsigned int len = tcp_frame(false, 100, TH_ACK), l4 = ETH_HLEN + 20;
	const struct iphdr *iph = (const void *)(frame + ETH_HLEN);
	struct tcphdr *th = (void *)(frame + l4);
	struct virtio_net_hdr vh = {
		.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM, .gso_type = VIRTIO_NET_HDR_GSO_NONE,
		.csum_start = l4, .csum_offset = offsetof(struct tcphdr, th_sum),
	};
	struct sk_buff *seg;

	th->th_sum = ~csum_tcpudp_magic(iph->saddr, iph->daddr, len - l4, IPPROTO_TCP, 0);
	assert_false(tcp_csum_ok(frame, len, false));
	assert_int_equal(skb_gso_segment_frame(frame, len, &vh, &pool, &seg, 1), 1);
	assert_int_equal(seg->len, len);
	assert_true(tcp_csum_ok(aligned(seg), seg->len, false));
	kfree_skb(seg);
}

static void test_refused(void **state)
{
	unsigned int len = tcp_frame(false, 8000, TH_ACK), free0 = pool.nfree;
	struct virtio_net_hdr vh = { .gso_type = VIRTIO_NET_HDR_GSO_TCPV4, .gso_size = MSS };
	struct sk_buff *segs[64];

	/* more segments than room */
	assert_int_equal(skb_gso_segment_frame(frame, len, &vh, &pool, segs, 3), -ENOBUFS);
	/* a segment larger than a buffer */
	vh.gso_size = 4000;
	assert_int_equal(skb_gso_segment_frame(frame, len, &vh, &pool, segs, 64), -EMSGSIZE);
	/* UDP fragmentation offload, or an IPv4 frame said to be IPv6 */
	vh.gso_size = MSS;
	vh.gso_type = VIRTIO_NET_HDR_GSO_UDP;
	assert_int_equal(skb_gso_segment_frame(frame, len, &vh, &pool, segs, 64), -EINVAL);
	vh.gso_type = VIRTIO_NET_HDR_GSO_TCPV6;
	assert_int_equal(skb_gso_segment_frame(frame, len, &vh, &pool, segs, 64), -EINVAL);
	/* truncated headers */
	vh.gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
	assert_int_equal(skb_gso_segment_frame(frame, ETH_HLEN + 30, &vh, &pool, segs, 64),
			 -EINVAL);
	/* a partial checksum pointing past the frame */
	len = tcp_frame(false, 100, TH_ACK);
	memset(&vh, 0, sizeof(vh));
	vh.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	vh.csum_start = len - 1;
	vh.csum_offset = 16;
	assert_int_equal(skb_gso_segment_frame(frame, len, &vh, &pool, segs, 64), -EINVAL);
	assert_int_equal(pool.nfree, free0);
}

static u8 gro_buf[70000];

static void gro_roundtrip(bool v6)
{
	unsigned int plen = 20 * MSS + 100, len = tcp_frame(v6, plen, TH_ACK | TH_PUSH), i;
	struct virtio_net_hdr vh = {
		.gso_type = v6 ? VIRTIO_NET_HDR_GSO_TCPV6 : VIRTIO_NET_HDR_GSO_TCPV4,
		.gso_size = MSS,
	};
	struct gro_frame f = { .data = gro_buf, .max = sizeof(gro_buf) };
	struct sk_buff *segs[32], *again[32];
	int n = skb_gso_segment_frame(frame, len, &vh, &pool, segs, 32);

	assert_int_equal(n, 21);
	assert_true(gro_frame_start(&f, segs[0]));
	for (i = 1; i < (unsigned int)n; i++)
		assert_true(gro_frame_merge(&f, segs[i]));
	assert_true(f.closed);			/* the PSH ended the run */
	assert_false(gro_frame_merge(&f, segs[1]));
	gro_frame_finish(&f, &vh);
	assert_int_equal(vh.gso_type, v6 ? VIRTIO_NET_HDR_GSO_TCPV6 : VIRTIO_NET_HDR_GSO_TCPV4);
	assert_int_equal(vh.gso_size, MSS);
	assert_int_equal(vh.flags, VIRTIO_NET_HDR_F_NEEDS_CSUM);
	assert_int_equal(f.len, len);
	/* what the host's stack would cut it into: the segments we had */
	assert_int_equal(skb_gso_segment_frame(f.data, f.len, &vh, &pool, again, 32), n);
	for (i = 0; i < (unsigned int)n; i++) {
		assert_int_equal(again[i]->len, segs[i]->len);
		assert_memory_equal(again[i]->data, segs[i]->data, segs[i]->len);
		kfree_skb(again[i]);
		kfree_skb(segs[i]);
	}
}

static void test_gro4(void **state)
{
	gro_roundtrip(false);
}

static void test_gro6(void **state)
{
	gro_roundtrip(true);
}

static void test_gro_refused(void **state)
{
	unsigned int len = tcp_frame(false, 3 * MSS, TH_ACK);
	struct virtio_net_hdr vh = { .gso_type = VIRTIO_NET_HDR_GSO_TCPV4, .gso_size = MSS };
	struct gro_frame f = { .data = gro_buf, .max = sizeof(gro_buf) };
	struct sk_buff *segs[3];
	u8 *l4;

	assert_int_equal(skb_gso_segment_frame(frame, len, &vh, &pool, segs, 3), 3);
	/* a gap in the sequence */
	assert_true(gro_frame_start(&f, segs[0]));
	assert_false(gro_frame_merge(&f, segs[2]));
	/* another flow: the next segment from another source port */
	l4 = segs[1]->data + ETH_HLEN + 20;
	l4[1] ^= 1;
	assert_false(gro_frame_merge(&f, segs[1]));
	l4[1] ^= 1;
	assert_true(gro_frame_merge(&f, segs[1]));
	/* a fragment (MF) cannot start a run, nor a SYN */
	segs[2]->data[ETH_HLEN + 6] = 0x20;
	assert_false(gro_frame_start(&f, segs[2]));
	segs[2]->data[ETH_HLEN + 6] = 0;
	segs[2]->data[ETH_HLEN + 20 + 13] = TH_SYN;
	assert_false(gro_frame_start(&f, segs[2]));
	kfree_skb(segs[0]);
	kfree_skb(segs[1]);
	kfree_skb(segs[2]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tso4),
		cmocka_unit_test(test_tso6),
		cmocka_unit_test(test_csum_partial),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_gro4),
		cmocka_unit_test(test_gro6),
		cmocka_unit_test(test_gro_refused),
	};
	int ret;

	if (skb_pool_init(&pool, 128))
		return 1;
	skb_local_pool = &pool;
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	assert_int_equal(pool.nfree, pool.size);
	skb_local_pool = NULL;
	skb_pool_destroy(&pool);
	return ret;
}
