// SPDX-License-Identifier: GPL-2.0
/*
 * The neighbour state machine (net/core/neighbour.c) against a test
 * double device that records what it transmits: output to an unresolved
 * entry queues and solicits (ARP request from our address), retries at
 * most once per second, fails after NEIGH_MAX_PROBES and drops the queue;
 * an update sends the queue with the learnt address and raises
 * NETEVENT_NEIGH_UPDATE; the queue holds at most NEIGH_QUEUE_MAX packets.
 * Time is the virtual clock.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <arpa/inet.h>
#include <cmocka.h>
#include <linux/if_ether.h>
#include <net/if_arp.h>
#include <linux/jiffies.h>
#include <linux/netdev.h>
#include <linux/notifier.h>
#include <linux/rtnetlink.h>
#include <linux/inetdevice.h>
#include <linux/slab.h>
#include <net/neighbour.h>
#include <net/netevent.h>
#include <net/rtnetlink.h>

static struct sk_buff *sent[64];
static int nsent, nevents;
static struct neighbour *event_n;
static struct skb_pool pool;
static struct net_device *dev;
static const u8 peer_mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0x08 };

static enum netdev_tx td_xmit(struct sk_buff *skb, struct net_device *d)
{
	if (nsent < (int)ARRAY_SIZE(sent))
		sent[nsent++] = skb;
	else
		kfree_skb(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops td_ops = { .ndo_start_xmit = td_xmit };

static int on_netevent(struct notifier_block *nb, unsigned long event, void *ptr)
{
	if (event == NETEVENT_NEIGH_UPDATE) {
		nevents++;
		event_n = ptr;
	}
	return NOTIFY_DONE;
}

static struct notifier_block netevent_nb = { .notifier_call = on_netevent };

/* RTM_NEWADDR as `ip addr add 7.7.7.7/24 dev td0` sends it */
static void add_addr(void)
{
	char buf[256] = {};
	struct nlmsghdr *n = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifm;
	struct nl_out out;
	__be32 a = inet_addr("7.7.7.7");

	n->nlmsg_type = RTM_NEWADDR;
	n->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL;
	ifm = mnl_nlmsg_put_extra_header(n, sizeof(*ifm));
	ifm->ifa_family = AF_INET;
	ifm->ifa_prefixlen = 24;
	ifm->ifa_index = dev->ifindex;
	mnl_attr_put(n, IFA_LOCAL, 4, &a);
	mnl_attr_put(n, IFA_ADDRESS, 4, &a);
	nl_out_init(&out, 0);
	assert_int_equal(rtnetlink_rcv_msg(n, &out, NULL), 0);
	nl_out_free(&out);
}

static int setup(void **state)
{
	rcu_register_thread();
	jiffies_set_virtual(1000000);
	assert_int_equal(skb_pool_init(&pool, 256), 0);
	skb_local_pool = &pool;
	dev = alloc_netdev(0, "td0", &td_ops);
	dev->dev_addr[0] = 0x02;
	dev->dev_addr[5] = 0x01;
	dev->flags = IFF_UP | IFF_RUNNING;
	rtnl_lock();
	assert_int_equal(register_netdev(dev), 0);
	add_addr();
	rtnl_unlock();
	register_netevent_notifier(&netevent_nb);
	nsent = nevents = 0;
	return 0;
}

static int teardown(void **state)
{
	int i;

	unregister_netevent_notifier(&netevent_nb);
	for (i = 0; i < nsent; i++)
		kfree_skb(sent[i]);
	unregister_netdev(dev);
	rcu_barrier();
	free_netdev(dev);
	skb_local_pool = NULL;
	skb_pool_destroy(&pool);
	rcu_unregister_thread();
	return 0;
}

static struct sk_buff *ip_packet(u8 tag)
{
	struct sk_buff *skb = alloc_skb(&pool);

	memset(skb->data, tag, 40);
	skb->len = 40;
	skb->protocol = htons(ETH_P_IP);
	return skb;
}

/* sent[i] is an ARP request for 7.7.7.8 from 7.7.7.7, broadcast */
static void assert_arp_request(int i)
{
	const u8 *p = sent[i]->data;
	__be32 sip, tip;

	assert_memory_equal(p, dev->broadcast, ETH_ALEN);
	assert_int_equal(p[12] << 8 | p[13], ETH_P_ARP);
	assert_int_equal(p[14 + 6] << 8 | p[14 + 7], ARPOP_REQUEST);
	memcpy(&sip, p + 14 + 8 + 6, 4);
	memcpy(&tip, p + 14 + 8 + 16, 4);
	assert_int_equal(sip, inet_addr("7.7.7.7"));
	assert_int_equal(tip, inet_addr("7.7.7.8"));
}

static void test_resolve_queue_update(void **state)
{
	__be32 ip = inet_addr("7.7.7.8");
	struct neighbour *n = neigh_lookup_create(&arp_tbl, &ip, dev);

	assert_non_null(n);
	assert_int_equal(n->nud_state, NUD_NONE);
	neigh_output(n, ip_packet(1));
	neigh_output(n, ip_packet(2));
	assert_int_equal(n->nud_state, NUD_INCOMPLETE);
	assert_int_equal(n->queue_len, 2);
	assert_int_equal(nsent, 1);	/* one solicit: the second output is within 1 s */
	assert_arp_request(0);

	assert_int_equal(neigh_update(n, peer_mac, NUD_REACHABLE, NEIGH_UPDATE_F_OVERRIDE), 0);
	assert_int_equal(nevents, 1);
	assert_ptr_equal(event_n, n);
	assert_int_equal(n->queue_len, 0);
	assert_int_equal(nsent, 3);
	assert_memory_equal(sent[1]->data, peer_mac, ETH_ALEN);
	assert_memory_equal(sent[1]->data + ETH_ALEN, dev->dev_addr, ETH_ALEN);
	assert_int_equal(sent[1]->data[14], 1);		/* in order */
	assert_int_equal(sent[2]->data[14], 2);

	/* same address again: nothing to announce */
	neigh_update(n, peer_mac, NUD_REACHABLE, NEIGH_UPDATE_F_OVERRIDE);
	assert_int_equal(nevents, 1);
	neigh_output(n, ip_packet(3));
	assert_int_equal(nsent, 4);
	neigh_release(n);
}

static void test_failed_after_probes(void **state)
{
	__be32 ip = inet_addr("7.7.7.8");
	struct neighbour *n = neigh_lookup_create(&arp_tbl, &ip, dev);
	u64 drops = skb_drop_count(SKB_DROP_REASON_NEIGH_FAILED);
	int i;

	for (i = 0; i < NEIGH_MAX_PROBES; i++) {
		neigh_output(n, ip_packet(i));
		assert_int_equal(nsent, i + 1);
		jiffies_advance(NEIGH_RETRANS_MS);
	}
	assert_int_equal(n->queue_len, NEIGH_MAX_PROBES);
	neigh_output(n, ip_packet(9));
	assert_int_equal(n->nud_state, NUD_FAILED);
	assert_int_equal(n->queue_len, 0);
	assert_int_equal(nsent, NEIGH_MAX_PROBES);
	assert_int_equal(skb_drop_count(SKB_DROP_REASON_NEIGH_FAILED) - drops,
			 NEIGH_MAX_PROBES + 1);
	/* within a second a failed entry drops at once; later it tries again */
	neigh_output(n, ip_packet(10));
	assert_int_equal(nsent, NEIGH_MAX_PROBES);
	jiffies_advance(NEIGH_RETRANS_MS);
	neigh_output(n, ip_packet(11));
	assert_int_equal(n->nud_state, NUD_INCOMPLETE);
	assert_int_equal(nsent, NEIGH_MAX_PROBES + 1);
	assert_int_equal(nevents, 0);
	neigh_release(n);
}

static void test_queue_full(void **state)
{
	__be32 ip = inet_addr("7.7.7.8");
	struct neighbour *n = neigh_lookup_create(&arp_tbl, &ip, dev);
	u64 drops = skb_drop_count(SKB_DROP_REASON_NEIGH_QUEUEFULL);
	int i;

	for (i = 0; i < NEIGH_QUEUE_MAX + 2; i++)
		neigh_output(n, ip_packet(i));
	assert_int_equal(n->queue_len, NEIGH_QUEUE_MAX);
	assert_int_equal(skb_drop_count(SKB_DROP_REASON_NEIGH_QUEUEFULL) - drops, 2);
	neigh_update(n, peer_mac, NUD_REACHABLE, NEIGH_UPDATE_F_OVERRIDE);
	assert_int_equal(nsent, 1 + NEIGH_QUEUE_MAX);
	assert_int_equal(sent[1]->data[14], 2);		/* the two oldest went */
	neigh_release(n);
}

static void test_permanent_and_ifdown(void **state)
{
	__be32 ip = inet_addr("7.7.7.9");
	struct neighbour *n = neigh_lookup_create(&arp_tbl, &ip, dev);
	static const u8 other[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0x99 };

	assert_int_equal(neigh_update(n, peer_mac, NUD_PERMANENT, NEIGH_UPDATE_F_ADMIN), 0);
	/* the protocols do not override the administrator */
	assert_int_equal(neigh_update(n, other, NUD_REACHABLE, NEIGH_UPDATE_F_OVERRIDE), -EPERM);
	assert_memory_equal(n->ha, peer_mac, ETH_ALEN);
	neigh_ifdown(&arp_tbl, dev);
	assert_true(n->dead);
	assert_null(neigh_lookup(&arp_tbl, &ip, dev));
	neigh_release(n);
}

/*
 * A full table (addresses a sender on the wire made up, say) makes room:
 * what only the table holds and has not changed for NEIGH_GC_MIN_AGE_MS
 * goes, what is held or permanent stays.
 */
static void test_table_full_gc(void **state)
{
	__be32 ip = inet_addr("10.1.0.0"), held_ip = inet_addr("7.7.7.10");
	__be32 perm_ip = inet_addr("7.7.7.11"), new_ip = inet_addr("7.7.7.12");
	struct neighbour *held, *perm, *n;
	unsigned int i;

	held = neigh_lookup_create(&arp_tbl, &held_ip, dev);
	perm = neigh_lookup_create(&arp_tbl, &perm_ip, dev);
	neigh_update(perm, peer_mac, NUD_PERMANENT, NEIGH_UPDATE_F_ADMIN);
	neigh_release(perm);
	for (i = 0; arp_tbl.entries_count < NEIGH_TABLE_MAX; i++) {
		__be32 a = htonl(ntohl(ip) + i);

		n = neigh_lookup_create(&arp_tbl, &a, dev);
		assert_non_null(n);
		neigh_update(n, peer_mac, NUD_STALE, NEIGH_UPDATE_F_OVERRIDE);
		neigh_release(n);
	}
	/* everything is recent: still full */
	assert_null(neigh_lookup_create(&arp_tbl, &new_ip, dev));
	jiffies_advance(NEIGH_GC_MIN_AGE_MS);
	n = neigh_lookup_create(&arp_tbl, &new_ip, dev);
	assert_non_null(n);
	assert_true(arp_tbl.entries_count <= NEIGH_TABLE_MAX / 2 + 1);
	assert_false(held->dead);
	perm = neigh_lookup(&arp_tbl, &perm_ip, dev);
	assert_non_null(perm);
	neigh_release(perm);
	neigh_release(n);
	neigh_release(held);
	neigh_ifdown(&arp_tbl, dev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_resolve_queue_update, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_after_probes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_queue_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_permanent_and_ifdown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_table_full_gc, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
