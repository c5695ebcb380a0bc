// SPDX-License-Identifier: GPL-2.0
/*
 * The conntrack table under hostile and ordinary traffic: a SYN flood
 * against a small table (early drop keeps it bounded and spares assured
 * connections), zones, ICMP errors as RELATED, timeouts under the virtual
 * clock, and reassembly (in order, out of order, overlaps, and the bounds
 * that keep a fragment flood from holding the buffer pool).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <limits.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <linux/netdev.h>
#include <net/pkt_cls.h>
#include <net/checksum.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_defrag.h>

static struct skb_pool pool;
static struct net_device dev = { .name = "t0", .ifindex = 3 };

static u32 ip(const char *s)
{
	struct in_addr a;

	inet_pton(AF_INET, s, &a);
	return a.s_addr;
}

/* Ethernet + IPv4 with a correct header checksum; returns the L4 pointer */
static u8 *frame_ip4(u8 *f, u32 src, u32 dst, u8 proto, unsigned int l4len, u16 id,
		     u16 frag)
{
	u8 *iph = f + 14;
	u16 v;

	memset(f, 0, 14 + 20);
	f[12] = 0x08;
	iph[0] = 0x45;
	v = htons(20 + l4len);
	memcpy(iph + 2, &v, 2);
	v = htons(id);
	memcpy(iph + 4, &v, 2);
	v = htons(frag);
	memcpy(iph + 6, &v, 2);
	iph[8] = 64;
	iph[9] = proto;
	memcpy(iph + 12, &src, 4);
	memcpy(iph + 16, &dst, 4);
	v = ip_fast_csum(iph, 5);
	memcpy(iph + 10, &v, 2);
	return iph + 20;
}

static void l4_csum(u8 *f, u8 proto, unsigned int l4len, unsigned int csum_off)
{
	u32 src, dst;
	u16 c = 0;

	memcpy(&src, f + 26, 4);
	memcpy(&dst, f + 30, 4);
	memcpy(f + 34 + csum_off, &c, 2);
	c = csum_tcpudp_magic(src, dst, l4len, proto, csum_partial(f + 34, l4len, 0));
	memcpy(f + 34 + csum_off, &c, 2);
}

static struct sk_buff *skb_from(const u8 *f, unsigned int len)
{
	struct sk_buff *skb = alloc_skb(&pool);

	assert_non_null(skb);
	memcpy(skb->data, f, len);
	skb->len = len;
	skb->dev = &dev;
	skb_flow_key(skb);
	return skb;
}

static struct sk_buff *udp_skb(const char *s, const char *d, u16 sp, u16 dp)
{
	u8 f[64];
	u8 *uh = frame_ip4(f, ip(s), ip(d), IPPROTO_UDP, 8 + 4, 1, 0);
	u16 v;

	v = htons(sp);
	memcpy(uh, &v, 2);
	v = htons(dp);
	memcpy(uh + 2, &v, 2);
	v = htons(12);
	memcpy(uh + 4, &v, 2);
	memcpy(uh + 8, "ping", 4);
	l4_csum(f, IPPROTO_UDP, 12, 6);
	return skb_from(f, 14 + 20 + 12);
}

static struct sk_buff *syn_skb(u32 src, u16 sp)
{
	u8 f[64];
	u8 *th = frame_ip4(f, src, ip("10.0.0.2"), IPPROTO_TCP, 20, 1, 0);
	u16 v;

	memset(th, 0, 20);
	v = htons(sp);
	memcpy(th, &v, 2);
	v = htons(80);
	memcpy(th + 2, &v, 2);
	th[12] = 5 << 4;
	th[13] = 0x02;
	th[14] = 0xff;
	l4_csum(f, IPPROTO_TCP, 20, 16);
	return skb_from(f, 14 + 40);
}

/* track and commit, as `ct commit` does; returns the ctinfo */
static int track(struct sk_buff *skb, u16 zone, bool commit)
{
	enum ip_conntrack_info ctinfo;

	rcu_read_lock();
	assert_int_equal(nf_conntrack_in(skb, zone), NF_ACCEPT);
	if (commit && nf_ct_get(skb, &ctinfo))
		assert_int_equal(nf_conntrack_confirm(skb), NF_ACCEPT);
	rcu_read_unlock();
	return nf_ct_get(skb, &ctinfo) ? (int)ctinfo : -1;
}

static int kill_all(struct nf_conn *ct, void *data)
{
	return 1;
}

static int setup(void **state)
{
	nf_ct_net.max = 262144;
	return 0;
}

static int teardown(void **state)
{
	rcu_read_lock();
	nf_ct_iterate(kill_all, NULL, 0, 0);
	rcu_read_unlock();
	nf_defrag_flush();
	assert_int_equal(pool.nfree, pool.size);	/* no skb held or lost */
	return 0;
}

static void test_new_reply_established(void **state)
{
	struct sk_buff *skb;

	skb = udp_skb("10.0.0.1", "10.0.0.2", 5000, 53);
	assert_int_equal(track(skb, 0, true), IP_CT_NEW);
	kfree_skb(skb);
	skb = udp_skb("10.0.0.1", "10.0.0.2", 5000, 53);
	assert_int_equal(track(skb, 0, false), IP_CT_NEW);	/* no reply yet */
	kfree_skb(skb);
	skb = udp_skb("10.0.0.2", "10.0.0.1", 53, 5000);
	assert_int_equal(track(skb, 0, false), IP_CT_ESTABLISHED_REPLY);
	kfree_skb(skb);
	skb = udp_skb("10.0.0.1", "10.0.0.2", 5000, 53);
	assert_int_equal(track(skb, 0, false), IP_CT_ESTABLISHED);
	kfree_skb(skb);
	assert_int_equal(nf_conntrack_count(), 1);
}

static void test_uncommitted_is_forgotten(void **state)
{
	struct sk_buff *skb = udp_skb("10.0.0.1", "10.0.0.2", 5001, 53);

	assert_int_equal(track(skb, 0, false), IP_CT_NEW);
	assert_int_equal(nf_conntrack_count(), 1);	/* unconfirmed, on the skb */
	kfree_skb(skb);
	assert_int_equal(nf_conntrack_count(), 0);
}

static void test_zones_apart(void **state)
{
	struct sk_buff *skb;

	skb = udp_skb("10.0.0.1", "10.0.0.2", 6000, 53);
	assert_int_equal(track(skb, 1, true), IP_CT_NEW);
	kfree_skb(skb);
	/* the same tuple in zone 2 is a different connection */
	skb = udp_skb("10.0.0.1", "10.0.0.2", 6000, 53);
	assert_int_equal(track(skb, 2, true), IP_CT_NEW);
	kfree_skb(skb);
	/* a reply in zone 1 finds zone 1's only */
	skb = udp_skb("10.0.0.2", "10.0.0.1", 53, 6000);
	assert_int_equal(track(skb, 1, false), IP_CT_ESTABLISHED_REPLY);
	kfree_skb(skb);
	assert_int_equal(nf_conntrack_zone_count(1), 1);
	assert_int_equal(nf_conntrack_zone_count(2), 1);
	assert_int_equal(nf_conntrack_count(), 2);
}

static void test_icmp_error_related(void **state)
{
	struct sk_buff *skb = udp_skb("10.0.0.1", "10.0.0.2", 7000, 9);
	u8 f[128], quote[28];
	u8 *ih;
	u16 c = 0;

	memcpy(quote, skb->data + 14, 28);	/* the UDP packet's IP + UDP header */
	assert_int_equal(track(skb, 0, true), IP_CT_NEW);
	kfree_skb(skb);
	/* port unreachable from 10.0.0.2 quoting it */
	ih = frame_ip4(f, ip("10.0.0.2"), ip("10.0.0.1"), IPPROTO_ICMP, 8 + 28, 9, 0);
	memset(ih, 0, 8);
	ih[0] = 3;
	ih[1] = 3;
	memcpy(ih + 8, quote, 28);
	c = csum_fold(csum_partial(ih, 36, 0));
	memcpy(ih + 2, &c, 2);
	skb = skb_from(f, 14 + 20 + 36);
	assert_int_equal(track(skb, 0, false), IP_CT_RELATED_REPLY);
	kfree_skb(skb);
	/* an error quoting nothing we know is invalid: no conntrack */
	quote[20] ^= 0x55;	/* another source port */
	memcpy(ih + 8, quote, 28);
	memset(ih + 2, 0, 2);
	c = csum_fold(csum_partial(ih, 36, 0));
	memcpy(ih + 2, &c, 2);
	skb = skb_from(f, 14 + 20 + 36);
	assert_int_equal(track(skb, 0, false), -1);
	kfree_skb(skb);
}

static void test_timeout_and_gc(void **state)
{
	struct sk_buff *skb = udp_skb("10.0.0.1", "10.0.0.2", 8000, 53);

	assert_int_equal(track(skb, 0, true), IP_CT_NEW);
	kfree_skb(skb);
	jiffies_advance(29000);
	assert_int_equal(nf_conntrack_gc(UINT_MAX), 0);
	assert_int_equal(nf_conntrack_count(), 1);
	jiffies_advance(1001);	/* UDP unreplied: 30 s */
	assert_int_equal(nf_conntrack_gc(UINT_MAX), 1);
	rcu_barrier();
	assert_int_equal(nf_conntrack_count(), 0);
}

/* a SYN flood against a 100-entry table: bounded, and the assured survive */
static void test_syn_flood_early_drop(void **state)
{
	struct ip_conntrack_stat st0, st1;
	struct sk_buff *skb;
	unsigned int i;

	nf_ct_net.max = 100;
	skb = udp_skb("10.0.0.9", "10.0.0.2", 9000, 53);
	track(skb, 0, true);
	kfree_skb(skb);
	skb = udp_skb("10.0.0.2", "10.0.0.9", 53, 9000);
	track(skb, 0, false);
	kfree_skb(skb);
	jiffies_advance(3000);
	skb = udp_skb("10.0.0.9", "10.0.0.2", 9000, 53);	/* a stream: ASSURED */
	track(skb, 0, false);
	kfree_skb(skb);

	nf_conntrack_stat_sum(&st0);
	for (i = 0; i < 5000; i++) {
		skb = syn_skb(htonl(0x0b000000 + i), 1024 + i % 50000);
		rcu_read_lock();
		if (nf_conntrack_in(skb, 0) == NF_ACCEPT)
			nf_conntrack_confirm(skb);
		rcu_read_unlock();
		kfree_skb(skb);
		assert_true(nf_conntrack_count() <= 100);
	}
	rcu_barrier();
	nf_conntrack_stat_sum(&st1);
	assert_true(st1.early_drop - st0.early_drop > 4000);
	skb = udp_skb("10.0.0.9", "10.0.0.2", 9000, 53);
	assert_int_equal(track(skb, 0, false), IP_CT_ESTABLISHED);
	kfree_skb(skb);
}

static struct sk_buff *frag_skb(u16 id, unsigned int off, unsigned int len, bool more,
				const u8 *payload)
{
	u8 f[1600];
	u8 *p = frame_ip4(f, ip("10.0.0.1"), ip("10.0.0.2"), IPPROTO_UDP, len, id,
			  (more ? 0x2000 : 0) | off / 8);

	memcpy(p, payload + off, len);
	return skb_from(f, 14 + 20 + len);
}

static void test_defrag(void **state)
{
	u8 payload[3000];
	struct sk_buff *a, *b, *c;
	u16 v;

	memset(payload, 0xab, sizeof(payload));
	v = htons(1000);
	memcpy(payload, &v, 2);
	memcpy(payload + 2, &v, 2);
	v = htons(3000);
	memcpy(payload + 4, &v, 2);
	memset(payload + 6, 0, 2);

	/* out of order: the last completes, and becomes the head */
	a = frag_skb(1, 1480, 1480, true, payload);
	b = frag_skb(1, 2960, 40, false, payload);
	c = frag_skb(1, 0, 1480, true, payload);
	assert_int_equal(nf_ct_defrag(a, 0, NFPROTO_IPV4), -EINPROGRESS);
	assert_int_equal(nf_ct_defrag(b, 0, NFPROTO_IPV4), -EINPROGRESS);
	assert_int_equal(nf_ct_defrag(c, 0, NFPROTO_IPV4), 0);
	assert_true(c->defragged);
	assert_non_null(c->frag_next);
	assert_non_null(c->frag_next->frag_next);
	assert_null(c->frag_next->frag_next->frag_next);
	/* the head is the first fragment, with the ports */
	assert_int_equal(skb_flow_key(c)->tp.dst, htons(1000));
	assert_int_equal(track(c, 0, true), IP_CT_NEW);
	kfree_skb(c);

	/* an overlap discards the datagram */
	a = frag_skb(2, 0, 1480, true, payload);
	b = frag_skb(2, 1472, 1480, true, payload);
	assert_int_equal(nf_ct_defrag(a, 0, NFPROTO_IPV4), -EINPROGRESS);
	assert_int_equal(nf_ct_defrag(b, 0, NFPROTO_IPV4), -EINVAL);
	kfree_skb(b);
	c = frag_skb(2, 2960, 40, false, payload);
	assert_int_equal(nf_ct_defrag(c, 0, NFPROTO_IPV4), -EINPROGRESS);
	nf_defrag_flush();

	/* a not-last fragment whose size is not a multiple of 8 */
	a = frag_skb(3, 0, 1001, true, payload);
	assert_int_equal(nf_ct_defrag(a, 0, NFPROTO_IPV4), -EINVAL);
	kfree_skb(a);
}

/* a flood of first fragments never completes: held buffers stay bounded */
static void test_defrag_flood_bounded(void **state)
{
	u8 payload[1500] = { 0 };
	unsigned int i, held;
	int ret;

	for (i = 0; i < 5000; i++) {
		struct sk_buff *skb = frag_skb(i, 0, 8, true, payload);

		ret = nf_ct_defrag(skb, 0, NFPROTO_IPV4);
		if (ret != -EINPROGRESS)
			kfree_skb(skb);
		held = pool.size - pool.nfree;
		assert_true(held <= 256);
	}
	/* and they expire */
	jiffies_advance(31000);
	{
		struct sk_buff *skb = frag_skb(60000, 0, 8, true, payload);

		assert_int_equal(nf_ct_defrag(skb, 0, NFPROTO_IPV4), -EINPROGRESS);
	}
	assert_int_equal(pool.size - pool.nfree, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_new_reply_established, setup, teardown),
		cmocka_unit_test_setup_teardown(test_uncommitted_is_forgotten, setup, teardown),
		cmocka_unit_test_setup_teardown(test_zones_apart, setup, teardown),
		cmocka_unit_test_setup_teardown(test_icmp_error_related, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout_and_gc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_syn_flood_early_drop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_defrag, setup, teardown),
		cmocka_unit_test_setup_teardown(test_defrag_flood_bounded, setup, teardown),
	};
	int ret;

	rcu_register_thread();
	jiffies_set_virtual(1000000);
	if (nf_conntrack_init() || skb_pool_init(&pool, 4096))
		return 1;
	skb_local_pool = &pool;
	dev.flags = IFF_UP;
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	nf_conntrack_cleanup();
	skb_pool_destroy(&pool);
	rcu_unregister_thread();
	return ret;
}
