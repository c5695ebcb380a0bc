// SPDX-License-Identifier: GPL-2.0
/*
 * act_tunnel_key in the packet path: flower filters with tunnel_key
 * actions are added with netlink requests as tc builds them, packets are
 * classified on the device's ingress block, and the test looks at the
 * metadata they carry (skb->tun_dst) and at its reference count: a packet
 * holds one reference, copies take their own, freeing drops it, and the
 * metadata outlives a replaced or deleted action while a packet holds it.
 * Offload: "set" becomes FLOW_ACTION_TUNNEL_ENCAP, "unset" _DECAP.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <endian.h>
#include <arpa/inet.h>
#include <cmocka.h>
#include <linux/if_ether.h>
#include <linux/slab.h>
#include <net/tc_act/tc_tunnel_key.h>
#include <net/flow_offload.h>
#include <net/pkt_cls.h>
#include <net/rtnetlink.h>

static struct skb_pool pool;
static struct net_device *dev0;

static enum netdev_tx plain_xmit(struct sk_buff *skb, struct net_device *dev)
{
	(void)dev;
	kfree_skb(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops plain_ops = {
	.ndo_start_xmit = plain_xmit,
};

/* ---- requests ---- */

struct req {
	char buf[4096];
	struct nlmsghdr *nlh;
	struct netlink_ext_ack extack;
	struct nlattr *opts, *acts, *act, *act_opts;
};

#define TC_INGRESS_PARENT	TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS)

static struct tcmsg *req_init(struct req *r, u16 type, u16 flags, u32 parent)
{
	struct tcmsg *t;

	memset(r, 0, sizeof(*r));
	r->nlh = mnl_nlmsg_put_header(r->buf);
	r->nlh->nlmsg_type = type;
	r->nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	t = mnl_nlmsg_put_extra_header(r->nlh, sizeof(*t));
	t->tcm_family = AF_UNSPEC;
	t->tcm_ifindex = dev0->ifindex;
	t->tcm_parent = parent;
	return t;
}

static int req_send(struct req *r)
{
	struct nl_out out;
	int err;

	nl_out_init(&out, 0);
	err = rtnetlink_rcv_msg(r->nlh, &out, &r->extack);
	nl_out_free(&out);
	return err;
}

static void qdisc_add(void)
{
	struct req r;
	struct tcmsg *t;

	t = req_init(&r, RTM_NEWQDISC, NLM_F_CREATE | NLM_F_EXCL, TC_H_INGRESS);
	t->tcm_handle = TC_H_MAKE(TC_H_INGRESS, 0);
	mnl_attr_put_strz(r.nlh, TCA_KIND, "ingress");
	mnl_attr_nest_end(r.nlh, mnl_attr_nest_start(r.nlh, TCA_OPTIONS));
	assert_int_equal(req_send(&r), 0);
}

static void qdisc_del(void)
{
	struct req r;

	req_init(&r, RTM_DELQDISC, 0, TC_H_INGRESS);
	assert_int_equal(req_send(&r), 0);
}

/*
 * "tc filter add|replace dev dev0 ingress prio P protocol ip flower
 * [skip_sw] dst_ip DST action tunnel_key ..." up to the tunnel_key options
 */
static void filter_begin(struct req *r, u16 flags, u32 prio, const char *dst, u32 cls_flags,
			 int t_action)
{
	struct tc_tunnel_key p = { .action = TC_ACT_OK, .t_action = t_action };
	struct tcmsg *t;
	u32 a;

	t = req_init(r, RTM_NEWTFILTER, flags, TC_INGRESS_PARENT);
	t->tcm_info = TC_H_MAKE(prio << 16, htons(ETH_P_IP));
	t->tcm_handle = 1;
	mnl_attr_put_strz(r->nlh, TCA_KIND, "flower");
	r->opts = mnl_attr_nest_start(r->nlh, TCA_OPTIONS);
	mnl_attr_put_u16(r->nlh, TCA_FLOWER_KEY_ETH_TYPE, htons(ETH_P_IP));
	assert_int_equal(inet_pton(AF_INET, dst, &a), 1);
	mnl_attr_put_u32(r->nlh, TCA_FLOWER_KEY_IPV4_DST, a);
	mnl_attr_put_u32(r->nlh, TCA_FLOWER_KEY_IPV4_DST_MASK, 0xffffffff);
	if (cls_flags)
		mnl_attr_put_u32(r->nlh, TCA_FLOWER_FLAGS, cls_flags);
	r->acts = mnl_attr_nest_start(r->nlh, TCA_FLOWER_ACT);
	r->act = mnl_attr_nest_start(r->nlh, 1);
	mnl_attr_put_strz(r->nlh, TCA_ACT_KIND, "tunnel_key");
	r->act_opts = mnl_attr_nest_start(r->nlh, TCA_ACT_OPTIONS);
	mnl_attr_put(r->nlh, TCA_TUNNEL_KEY_PARMS, sizeof(p), &p);
}

static int filter_end(struct req *r)
{
	mnl_attr_nest_end(r->nlh, r->act_opts);
	mnl_attr_nest_end(r->nlh, r->act);
	mnl_attr_nest_end(r->nlh, r->acts);
	mnl_attr_nest_end(r->nlh, r->opts);
	return req_send(r);
}

static void put_addrs(struct req *r, int family, const char *src, const char *dst)
{
	u8 a[16];

	assert_int_equal(inet_pton(family, src, a), 1);
	mnl_attr_put(r->nlh, family == AF_INET ? TCA_TUNNEL_KEY_ENC_IPV4_SRC :
		     TCA_TUNNEL_KEY_ENC_IPV6_SRC, family == AF_INET ? 4 : 16, a);
	assert_int_equal(inet_pton(family, dst, a), 1);
	mnl_attr_put(r->nlh, family == AF_INET ? TCA_TUNNEL_KEY_ENC_IPV4_DST :
		     TCA_TUNNEL_KEY_ENC_IPV6_DST, family == AF_INET ? 4 : 16, a);
}

/* set with VNI vni, port 4789, ttl 64, tos 0x10 */
static int filter_set(u16 flags, u32 prio, const char *dst, u32 cls_flags, int family,
		      const char *tsrc, const char *tdst, u32 vni)
{
	struct req r;

	filter_begin(&r, flags, prio, dst, cls_flags, TCA_TUNNEL_KEY_ACT_SET);
	put_addrs(&r, family, tsrc, tdst);
	mnl_attr_put_u32(r.nlh, TCA_TUNNEL_KEY_ENC_KEY_ID, htonl(vni));
	mnl_attr_put_u16(r.nlh, TCA_TUNNEL_KEY_ENC_DST_PORT, htons(4789));
	mnl_attr_put_u8(r.nlh, TCA_TUNNEL_KEY_ENC_TTL, 64);
	mnl_attr_put_u8(r.nlh, TCA_TUNNEL_KEY_ENC_TOS, 0x10);
	return filter_end(&r);
}

static int filter_unset(u32 prio, const char *dst)
{
	struct req r;

	filter_begin(&r, NLM_F_CREATE | NLM_F_EXCL, prio, dst, 0, TCA_TUNNEL_KEY_ACT_RELEASE);
	return filter_end(&r);
}

static void filter_del(u32 prio)
{
	struct req r;
	struct tcmsg *t;

	t = req_init(&r, RTM_DELTFILTER, 0, TC_INGRESS_PARENT);
	t->tcm_info = TC_H_MAKE(prio << 16, htons(ETH_P_IP));
	assert_int_equal(req_send(&r), 0);
}

/* ---- packets ---- */

/* Ethernet + IPv4 + UDP from 10.0.0.100 to dst */
static struct sk_buff *pkt(const char *dst)
{
	static const u8 eth[14] = { 0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00 };
	struct sk_buff *skb = alloc_skb(&pool);
	u8 *ip;
	u32 a;
	u16 v;

	assert_non_null(skb);
	memset(skb->data, 0, 42);
	memcpy(skb->data, eth, sizeof(eth));
	ip = skb->data + 14;
	ip[0] = 0x45;
	v = htons(28);
	memcpy(ip + 2, &v, 2);
	ip[8] = 64;
	ip[9] = IPPROTO_UDP;
	a = inet_addr("10.0.0.100");
	memcpy(ip + 12, &a, 4);
	a = inet_addr(dst);
	memcpy(ip + 16, &a, 4);
	skb_put(skb, 42);
	skb_reset_mac_header(skb);
	skb->network_header = skb->mac_header + 14;
	skb->transport_header = skb->network_header + 20;
	skb->protocol = htons(ETH_P_IP);
	skb->dev = dev0;
	return skb;
}

/* readdress the packet: it is then classified afresh */
static void pkt_set_dst(struct sk_buff *skb, const char *dst)
{
	u32 a = inet_addr(dst);

	memcpy(skb->data + 14 + 16, &a, 4);
	skb->flow_key_valid = 0;
}

static int classify(struct sk_buff *skb)
{
	struct tcf_result res = {};
	int ret;

	rcu_read_lock();
	skb->flow_key_valid = 0;
	ret = tcf_classify(skb, rcu_dereference(dev0->miniq_ingress)->block, NULL, &res, false);
	rcu_read_unlock();
	return ret;
}

static int md_refs(const struct sk_buff *skb)
{
	return refcount_read(&skb->tun_dst->refcnt);
}

/* ---- tests ---- */

static void test_set_unset(void **state)
{
	const struct ip_tunnel_info *info;
	struct sk_buff *skb, *copy;
	u32 a;

	(void)state;
	qdisc_add();
	assert_int_equal(filter_set(NLM_F_CREATE | NLM_F_EXCL, 1, "10.0.0.1", 0, AF_INET,
				    "192.168.1.1", "192.168.1.2", 42), 0);
	assert_int_equal(filter_unset(2, "10.0.0.2"), 0);

	/* no match: nothing attached */
	skb = pkt("10.0.0.9");
	assert_int_equal(classify(skb), TC_ACT_UNSPEC);
	assert_null(skb_tunnel_info(skb));

	/* set: the action's metadata, one more reference (the packet's) */
	pkt_set_dst(skb, "10.0.0.1");
	assert_int_equal(classify(skb), TC_ACT_OK);
	info = skb_tunnel_info(skb);
	assert_non_null(info);
	assert_int_equal(info->mode, IP_TUNNEL_INFO_TX);
	assert_int_equal(ip_tunnel_info_af(info), AF_INET);
	assert_int_equal(info->key.u.ipv4.src, inet_addr("192.168.1.1"));
	assert_int_equal(info->key.u.ipv4.dst, inet_addr("192.168.1.2"));
	assert_true(info->key.tun_id == htobe64(42));
	assert_int_equal(info->key.tun_flags, TUNNEL_KEY | TUNNEL_CSUM);
	assert_int_equal(info->key.tp_dst, htons(4789));
	assert_int_equal(info->key.ttl, 64);
	assert_int_equal(info->key.tos, 0x10);
	assert_int_equal(md_refs(skb), 2);

	/* again: the packet's reference is replaced, not added to */
	assert_int_equal(classify(skb), TC_ACT_OK);
	assert_int_equal(md_refs(skb), 2);

	/* a copy (mirred mirror) shares the metadata with its own reference */
	copy = skb_copy(skb);
	assert_non_null(copy);
	assert_ptr_equal(copy->tun_dst, skb->tun_dst);
	assert_int_equal(md_refs(skb), 3);
	kfree_skb(copy);
	assert_int_equal(md_refs(skb), 2);

	/* unset: gone, the reference dropped */
	copy = skb_copy(skb);
	assert_non_null(copy);
	pkt_set_dst(copy, "10.0.0.2");
	assert_int_equal(classify(copy), TC_ACT_OK);
	assert_null(skb_tunnel_info(copy));
	assert_int_equal(md_refs(skb), 2);
	kfree_skb(copy);

	/* unset of a packet without metadata is fine */
	copy = pkt("10.0.0.2");
	assert_int_equal(classify(copy), TC_ACT_OK);
	assert_null(copy->tun_dst);
	kfree_skb(copy);

	/* freeing the packet drops its reference */
	kfree_skb(skb);
	skb = pkt("10.0.0.1");
	assert_int_equal(classify(skb), TC_ACT_OK);
	assert_int_equal(md_refs(skb), 2);
	memcpy(&a, skb->data + 14 + 16, 4);
	assert_int_equal(a, inet_addr("10.0.0.1"));	/* the packet itself is untouched */
	kfree_skb(skb);

	filter_del(1);
	filter_del(2);
	qdisc_del();
}

/* IPv6 outer addresses, and the metadata outliving its action */
static void test_ipv6_and_lifetime(void **state)
{
	const struct ip_tunnel_info *info;
	struct in6_addr a6;
	struct sk_buff *skb;

	(void)state;
	qdisc_add();
	assert_int_equal(filter_set(NLM_F_CREATE | NLM_F_EXCL, 1, "10.0.0.1", 0, AF_INET6,
				    "2001:db8::1", "2001:db8::2", 0xffffff), 0);
	skb = pkt("10.0.0.1");
	assert_int_equal(classify(skb), TC_ACT_OK);
	info = skb_tunnel_info(skb);
	assert_non_null(info);
	assert_int_equal(ip_tunnel_info_af(info), AF_INET6);
	assert_int_equal(info->mode, IP_TUNNEL_INFO_TX | IP_TUNNEL_INFO_IPV6);
	assert_int_equal(inet_pton(AF_INET6, "2001:db8::2", &a6), 1);
	assert_memory_equal(&info->key.u.ipv6.dst, &a6, sizeof(a6));
	assert_true(info->key.tun_id == htobe64(0xffffff));

	/* replace the filter (and so the action): the packet keeps the old metadata */
	assert_int_equal(filter_set(NLM_F_CREATE, 1, "10.0.0.1", 0, AF_INET,
				    "10.1.1.1", "10.1.1.2", 7), 0);
	filter_del(1);
	qdisc_del();
	rcu_barrier();
	/* the action and its params are gone; only the packet holds the metadata */
	assert_int_equal(md_refs(skb), 1);
	assert_memory_equal(&skb_tunnel_info(skb)->key.u.ipv6.dst, &a6, sizeof(a6));
	kfree_skb(skb);		/* frees it: ASan sees a leak or a use after free */
}

/* errors, with the kernel's extack messages */
static void test_errors(void **state)
{
	struct req r;

	(void)state;
	qdisc_add();
	/* mixed families: neither pair is complete */
	filter_begin(&r, NLM_F_CREATE | NLM_F_EXCL, 1, "10.0.0.1", 0, TCA_TUNNEL_KEY_ACT_SET);
	mnl_attr_put_u32(r.nlh, TCA_TUNNEL_KEY_ENC_IPV4_SRC, inet_addr("10.0.0.1"));
	assert_int_equal(filter_end(&r), -EINVAL);
	assert_string_equal(r.extack._msg, "Missing either ipv4 or ipv6 src and dst");

	filter_begin(&r, NLM_F_CREATE | NLM_F_EXCL, 1, "10.0.0.1", 0, 7);
	assert_int_equal(filter_end(&r), -EINVAL);
	assert_string_equal(r.extack._msg, "Unknown tunnel key action");
	qdisc_del();
}

/* tc_setup_flow_action(): what a driver is offered for each mode */
static void test_offload_translation(void **state)
{
	struct flow_action *fa;
	struct tcf_exts exts = { 0 };
	struct metadata_dst md0 = { 0 };
	struct tc_action_ops ops = { .id = TCA_ID_TUNNEL_KEY };
	struct tcf_tunnel_key_params p = { .tcft_action = TCA_TUNNEL_KEY_ACT_SET };
	struct tcf_tunnel_key t = { .params = &p };
	struct netlink_ext_ack extack = {};

	(void)state;
	refcount_set(&md0.refcnt, 2);	/* never freed here: on the stack */
	md0.tun_info.key.tun_id = htobe64(5);
	p.tcft_enc_metadata = &md0;
	t.common.ops = &ops;
	exts.nr_actions = 1;
	exts.actions[0] = &t.common;
	fa = calloc(1, sizeof(*fa) + sizeof(fa->entries[0]));
	assert_non_null(fa);
	fa->num_entries = 1;
	assert_int_equal(tc_setup_flow_action(fa, &exts, &extack), 0);
	assert_int_equal(fa->entries[0].id, FLOW_ACTION_TUNNEL_ENCAP);
	assert_ptr_equal(fa->entries[0].tunnel, &md0.tun_info);
	assert_int_equal(refcount_read(&md0.refcnt), 3);
	tc_cleanup_flow_action(fa);
	assert_int_equal(refcount_read(&md0.refcnt), 2);

	p.tcft_action = TCA_TUNNEL_KEY_ACT_RELEASE;
	p.tcft_enc_metadata = NULL;
	assert_int_equal(tc_setup_flow_action(fa, &exts, &extack), 0);
	assert_int_equal(fa->entries[0].id, FLOW_ACTION_TUNNEL_DECAP);
	tc_cleanup_flow_action(fa);
	free(fa);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_unset),
		cmocka_unit_test(test_ipv6_and_lifetime),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_offload_translation),
	};
	int ret;

	rcu_register_thread();
	if (skb_pool_init(&pool, 16))
		return 1;
	skb_local_pool = &pool;
	dev0 = alloc_netdev(0, "dev0", &plain_ops);
	assert_non_null(dev0);
	rtnl_lock();
	assert_int_equal(register_netdev(dev0), 0);
	rtnl_unlock();
	dev0->flags |= IFF_UP;
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	assert_int_equal(pool.nfree, pool.size);	/* every packet freed */
	return ret;
}
