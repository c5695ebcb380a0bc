// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the flower classifier: TCA_OPTIONS built with libmnl are
 * parsed into filters, hand-filled flow keys are classified, and every
 * filter's dump is parsed again into the same key and mask.
 *
 * cls_flower.c is included so the tests can look at keys and masks; the
 * functions it needs from the core are stubbed below, under other names so
 * that the test links with all the core objects.  Offload (tc_setup_cb_*)
 * is the real code, on a block no device is bound to; its tests are in
 * test_flow_offload.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>

#define register_tcf_proto_ops	test_register_tcf_proto_ops
#define skb_flow_key		test_skb_flow_key
#define dev_get_by_name		test_dev_get_by_name
#define dev_get_by_index	test_dev_get_by_index
#define tcf_exts_init		test_tcf_exts_init
#define tcf_exts_validate	test_tcf_exts_validate
#define tcf_exts_destroy	test_tcf_exts_destroy
#define tcf_exts_dump		test_tcf_exts_dump
#define tcf_exts_dump_stats	test_tcf_exts_dump_stats
#define tcf_action_exec		test_tcf_action_exec

#include "../../../net/sched/cls_flower.c"

/* ---- stubs of the core ---- */

static struct tcf_proto_ops *registered_ops;

void register_tcf_proto_ops(struct tcf_proto_ops *ops)
{
	registered_ops = ops;
}

const struct fl_flow_key *skb_flow_key(struct sk_buff *skb)
{
	return skb->flow_key;
}

static struct net_device test_dev = { .name = "ens1f0_0", .ifindex = 5 };

struct net_device *dev_get_by_name(const char *name)
{
	return strcmp(name, test_dev.name) ? NULL : &test_dev;
}

struct net_device *dev_get_by_index(int ifindex)
{
	return ifindex == test_dev.ifindex ? &test_dev : NULL;
}

/*
 * Actions: TCA_FLOWER_ACT holds one u32 attribute, the verdict a single
 * fake action returns, so a classify result tells which filter matched.
 */
#define TEST_ACT_VERDICT	1

static int live_actions;
/* a kind of its own: no offload, default counters */
static struct tc_action_ops test_act_ops = { .kind = "test" };

int tcf_exts_init(struct tcf_exts *exts, int action, int police)
{
	memset(exts, 0, sizeof(*exts));
	exts->action = action;
	exts->police = police;
	return 0;
}

int tcf_exts_validate(struct tcf_proto *tp, struct nlattr **tb,
		      struct tcf_exts *exts, u32 flags,
		      struct netlink_ext_ack *extack)
{
	struct nlattr *a;
	struct tc_action *act;

	(void)tp;
	(void)flags;
	(void)extack;
	if (!exts->action || !tb[exts->action])
		return 0;
	mnl_attr_for_each_nested(a, tb[exts->action]) {
		if (mnl_attr_get_type(a) != TEST_ACT_VERDICT)
			continue;
		act = calloc(1, sizeof(*act));
		if (!act)
			return -ENOMEM;
		act->ops = &test_act_ops;
		act->tcfa_action = mnl_attr_get_u32(a);
		exts->actions[exts->nr_actions++] = act;
		live_actions++;
	}
	return 0;
}

void tcf_exts_destroy(struct tcf_exts *exts)
{
	int i;

	for (i = 0; i < exts->nr_actions; i++) {
		free(exts->actions[i]);
		live_actions--;
	}
	exts->nr_actions = 0;
}

int tcf_exts_dump(struct nlmsghdr *nlh, struct tcf_exts *exts)
{
	struct nlattr *nest;
	int i;

	if (!exts->action || !exts->nr_actions)
		return 0;
	nest = mnl_attr_nest_start(nlh, exts->action);
	for (i = 0; i < exts->nr_actions; i++)
		mnl_attr_put_u32(nlh, TEST_ACT_VERDICT, exts->actions[i]->tcfa_action);
	mnl_attr_nest_end(nlh, nest);
	return 0;
}

int tcf_exts_dump_stats(struct nlmsghdr *nlh, struct tcf_exts *exts)
{
	(void)nlh;
	(void)exts;
	return 0;
}

int tcf_action_exec(struct sk_buff *skb, struct tc_action **actions,
		    int nr_actions, struct tcf_result *res)
{
	(void)skb;
	(void)res;
	return nr_actions ? actions[0]->tcfa_action : TC_ACT_OK;
}

/* ---- helpers ---- */

struct fixture {
	struct tcf_block block;
	struct tcf_chain chain;
	struct tcf_proto tp;
	struct netlink_ext_ack extack;
};

static int nr_fixtures;

static struct fixture *fx_new(void)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	/* no device bound: offload requests find no callback */
	flow_block_init(&fx->block.flow_block);
	fx->chain.block = &fx->block;
	fx->tp.chain = &fx->chain;
	fx->tp.ops = registered_ops;
	assert_int_equal(registered_ops->init(&fx->tp), 0);
	nr_fixtures++;
	return fx;
}

static void fx_free(struct fixture *fx)
{
	registered_ops->destroy(&fx->tp, NULL);
	free(fx);
	/* every action the filters held is gone with the last classifier */
	if (!--nr_fixtures)
		assert_int_equal(live_actions, 0);
}

/* a request under construction: TCA_OPTIONS is open until req_change() */
struct req {
	char buf[4096];
	struct nlmsghdr *nlh;
	struct nlattr *opts;
	u16 protocol;		/* the first ETH_TYPE: the filter's protocol */
};

static void req_init(struct req *r)
{
	memset(r->buf, 0, sizeof(r->buf));
	r->nlh = mnl_nlmsg_put_header(r->buf);
	mnl_nlmsg_put_extra_header(r->nlh, sizeof(struct tcmsg));
	r->opts = mnl_attr_nest_start(r->nlh, TCA_OPTIONS);
	r->protocol = 0;
}

static void req_verdict(struct req *r, u32 verdict)
{
	struct nlattr *act = mnl_attr_nest_start(r->nlh, TCA_FLOWER_ACT);

	mnl_attr_put_u32(r->nlh, TEST_ACT_VERDICT, verdict);
	mnl_attr_nest_end(r->nlh, act);
}

static int change_opts(struct fixture *fx, struct nlattr *opts, u32 handle,
		       void **fh)
{
	struct nlattr *tca[TCA_MAX + 1] = { 0 };

	tca[TCA_OPTIONS] = opts;
	memset(&fx->extack, 0, sizeof(fx->extack));
	return registered_ops->change(&fx->tp, 0, handle, tca, fh, 0,
				      &fx->extack);
}

static int req_change(struct fixture *fx, struct req *r, u32 handle, void **fh)
{
	mnl_attr_nest_end(r->nlh, r->opts);
	return change_opts(fx, r->opts, handle, fh);
}

static struct cls_fl_filter *add(struct fixture *fx, struct req *r, u32 handle)
{
	void *fh = NULL;

	assert_int_equal(req_change(fx, r, handle, &fh), 0);
	assert_non_null(fh);
	return fh;
}

static int classify(struct fixture *fx, struct fl_flow_key *key)
{
	struct sk_buff skb = { .flow_key = key, .flow_key_valid = 1 };
	struct tcf_result res = { 0 };
	int ret;

	rcu_read_lock();
	ret = registered_ops->classify(&skb, &fx->tp, &res);
	rcu_read_unlock();
	return ret;
}

static void pkt_ipv4(struct fl_flow_key *k, const char *src, const char *dst,
		     u8 proto, u16 sport, u16 dport)
{
	memset(k, 0, sizeof(*k));
	k->basic.n_proto = htons(ETH_P_IP);
	k->basic.ip_proto = proto;
	k->control.addr_type = FLOW_DISSECTOR_KEY_IPV4_ADDRS;
	inet_pton(AF_INET, src, &k->ipv4.src);
	inet_pton(AF_INET, dst, &k->ipv4.dst);
	k->tp.src = htons(sport);
	k->tp.dst = htons(dport);
	k->ip.ttl = 64;
	k->meta.ingress_ifindex = 5;
}

static u32 ip4(const char *s)
{
	u32 a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

static void put_ipv4_dst(struct req *r, const char *addr, const char *mask)
{
	mnl_attr_put_u32(r->nlh, TCA_FLOWER_KEY_IPV4_DST, ip4(addr));
	if (mask)
		mnl_attr_put_u32(r->nlh, TCA_FLOWER_KEY_IPV4_DST_MASK, ip4(mask));
}

static void put_eth_type(struct req *r, u16 proto)
{
	if (!r->protocol)
		r->protocol = proto;
	mnl_attr_put_u16(r->nlh, TCA_FLOWER_KEY_ETH_TYPE, htons(proto));
}

static int count_filters(struct tcf_proto *tp, void *fh, struct tcf_walker *arg)
{
	(void)tp;
	(void)fh;
	(void)arg;
	return 0;
}

static unsigned int nr_masks(struct fixture *fx)
{
	struct cls_fl_head *head = fx->tp.root;
	struct fl_flow_mask *m;
	unsigned int n = 0;

	list_for_each_entry(m, &head->masks, list)
		n++;
	return n;
}

/* ---- parsing ---- */

static void test_parse_ipv4_tcp(void **state)
{
	struct fixture *fx = fx_new();
	struct cls_fl_filter *f;
	struct req r;

	(void)state;
	req_init(&r);
	put_eth_type(&r, ETH_P_IP);
	mnl_attr_put_u8(r.nlh, TCA_FLOWER_KEY_IP_PROTO, IPPROTO_TCP);
	put_ipv4_dst(&r, "10.0.0.0", "255.255.255.0");
	mnl_attr_put_u16(r.nlh, TCA_FLOWER_KEY_TCP_DST, htons(80));
	mnl_attr_put_u32(r.nlh, TCA_FLOWER_CLASSID, 0x10001);
	req_verdict(&r, TC_ACT_SHOT);
	f = add(fx, &r, 0);

	assert_int_equal(f->handle, 1);
	assert_int_equal(f->key.basic.n_proto, htons(ETH_P_IP));
	assert_int_equal(f->mask->key.basic.n_proto, 0xffff);
	assert_int_equal(f->key.basic.ip_proto, IPPROTO_TCP);
	assert_int_equal(f->key.ipv4.dst, ip4("10.0.0.0"));
	assert_int_equal(f->mask->key.ipv4.dst, ip4("255.255.255.0"));
	assert_int_equal(f->mask->key.ipv4.src, 0);
	assert_int_equal(f->key.control.addr_type, FLOW_DISSECTOR_KEY_IPV4_ADDRS);
	assert_int_equal(f->key.tp.dst, htons(80));
	assert_int_equal(f->mask->key.tp.dst, 0xffff);
	assert_int_equal(f->mask->key.tp.src, 0);
	assert_int_equal(f->res.classid, 0x10001);
	assert_int_equal(f->flags, TCA_CLS_FLAGS_NOT_IN_HW);
	assert_int_equal(registered_ops->hw_count(&fx->tp, f), 0);
	assert_int_equal(f->exts.nr_actions, 1);
	fx_free(fx);
}

/* L4 keys only count under the ip_proto that selects them */
static void test_parse_ignores_foreign_keys(void **state)
{
	struct fixture *fx = fx_new();
	struct cls_fl_filter *f;
	struct req r;

	(void)state;
	req_init(&r);
	put_eth_type(&r, ETH_P_IP);
	mnl_attr_put_u8(r.nlh, TCA_FLOWER_KEY_IP_PROTO, IPPROTO_UDP);
	mnl_attr_put_u16(r.nlh, TCA_FLOWER_KEY_TCP_FLAGS, htons(2));
	mnl_attr_put_u16(r.nlh, TCA_FLOWER_KEY_TCP_DST, htons(80));
	f = add(fx, &r, 0);
	assert_int_equal(f->mask->key.tcp.flags, 0);
	assert_int_equal(f->mask->key.tp.dst, 0);
	fx_free(fx);
}

static void expect_error(struct fixture *fx, struct req *r, int err,
			 const char *msg)
{
	void *fh = NULL;

	assert_int_equal(req_change(fx, r, 0, &fh), err);
	assert_null(fh);
	if (msg) {
		assert_non_null(fx->extack._msg);
		assert_string_equal(fx->extack._msg, msg);
	} else {
		assert_null(fx->extack._msg);
	}
}

static void test_parse_errors(void **state)
{
	struct fixture *fx = fx_new();
	struct req r;

	(void)state;
	/* ct_state +est */
	req_init(&r);
	put_eth_type(&r, ETH_P_IP);
	mnl_attr_put_u16(r.nlh, TCA_FLOWER_KEY_CT_STATE, TCA_FLOWER_KEY_CT_FLAGS_ESTABLISHED);
	mnl_attr_put_u16(r.nlh, TCA_FLOWER_KEY_CT_STATE_MASK, TCA_FLOWER_KEY_CT_FLAGS_ESTABLISHED);
	req_verdict(&r, TC_ACT_SHOT);
	expect_error(fx, &r, -EINVAL, "no trk, so no other flag can be set");

	/* ct_state +trk+new+est */
	req_init(&r);
	mnl_attr_put_u16(r.nlh, TCA_FLOWER_KEY_CT_STATE, 0xb);
	mnl_attr_put_u16(r.nlh, TCA_FLOWER_KEY_CT_STATE_MASK, 0xb);
	expect_error(fx, &r, -EINVAL, "new and est are mutually exclusive");

	/* ct_state +trk+est+inv */
	req_init(&r);
	mnl_attr_put_u16(r.nlh, TCA_FLOWER_KEY_CT_STATE, 0x1a);
	mnl_attr_put_u16(r.nlh, TCA_FLOWER_KEY_CT_STATE_MASK, 0x1a);
	expect_error(fx, &r, -EINVAL, "when inv is set, only trk may be set");

	/* ct_state +trk+new+rpl */
	req_init(&r);
	mnl_attr_put_u16(r.nlh, TCA_FLOWER_KEY_CT_STATE, 0x29);
	mnl_attr_put_u16(r.nlh, TCA_FLOWER_KEY_CT_STATE_MASK, 0x29);
	expect_error(fx, &r, -EINVAL, "new and rpl are mutually exclusive");

	/* reserved ct_state bit: policy, no message */
	req_init(&r);
	mnl_attr_put_u16(r.nlh, TCA_FLOWER_KEY_CT_STATE, 0x48);
	expect_error(fx, &r, -EINVAL, NULL);

	/* indev */
	req_init(&r);
	mnl_attr_put_strz(r.nlh, TCA_FLOWER_INDEV, "nosuchdev");
	expect_error(fx, &r, -ENODEV, "Network device not found");

	/* port range */
	req_init(&r);
	put_eth_type(&r, ETH_P_IP);
	mnl_attr_put_u8(r.nlh, TCA_FLOWER_KEY_IP_PROTO, IPPROTO_TCP);
	mnl_attr_put_u16(r.nlh, TCA_FLOWER_KEY_PORT_DST_MIN, htons(2000));
	mnl_attr_put_u16(r.nlh, TCA_FLOWER_KEY_PORT_DST_MAX, htons(1000));
	expect_error(fx, &r, -EINVAL,
		     "Invalid destination port range (min must be strictly smaller than max)");
	req_init(&r);
	put_eth_type(&r, ETH_P_IP);
	mnl_attr_put_u8(r.nlh, TCA_FLOWER_KEY_IP_PROTO, IPPROTO_UDP);
	mnl_attr_put_u16(r.nlh, TCA_FLOWER_KEY_PORT_SRC_MIN, htons(2000));
	expect_error(fx, &r, -EINVAL, "Both min and max source ports must be specified");

	/* frag flags without their mask */
	req_init(&r);
	mnl_attr_put_u32(r.nlh, TCA_FLOWER_KEY_FLAGS, htonl(1));
	expect_error(fx, &r, -EINVAL, "Missing flags mask");

	/* skip_sw on a block with a device that cannot offload */
	fx->block.nooffloaddevcnt = 1;
	req_init(&r);
	mnl_attr_put_u32(r.nlh, TCA_FLOWER_FLAGS, TCA_CLS_FLAGS_SKIP_SW);
	expect_error(fx, &r, -EOPNOTSUPP, NULL);
	fx->block.nooffloaddevcnt = 0;
	/* ... and on a block no device took: no callback takes it */
	req_init(&r);
	mnl_attr_put_u32(r.nlh, TCA_FLOWER_FLAGS, TCA_CLS_FLAGS_SKIP_SW);
	expect_error(fx, &r, -EINVAL, NULL);
	/* ... and with an action that cannot be offloaded (the fake one) */
	req_init(&r);
	mnl_attr_put_u32(r.nlh, TCA_FLOWER_FLAGS, TCA_CLS_FLAGS_SKIP_SW);
	req_verdict(&r, TC_ACT_SHOT);
	expect_error(fx, &r, -EOPNOTSUPP, "Action does not support offload");

	/* skip_sw + skip_hw */
	req_init(&r);
	mnl_attr_put_u32(r.nlh, TCA_FLOWER_FLAGS,
			 TCA_CLS_FLAGS_SKIP_SW | TCA_CLS_FLAGS_SKIP_HW);
	expect_error(fx, &r, -EINVAL, NULL);

	/* short MAC address: the policy's minimum length, -ERANGE as in Linux */
	req_init(&r);
	mnl_attr_put(r.nlh, TCA_FLOWER_KEY_ETH_DST, 5, "\x00\x11\x22\x33\x44");
	expect_error(fx, &r, -ERANGE, NULL);

	/* keys with no room in fl_flow_key */
	req_init(&r);
	mnl_attr_put_u32(r.nlh, TCA_FLOWER_KEY_HASH, 1);
	expect_error(fx, &r, -EOPNOTSUPP, "Hash key is not supported");

	/* TCA_OPTIONS missing */
	{
		struct nlattr *tca[TCA_MAX + 1] = { 0 };
		void *fh = NULL;

		assert_int_equal(registered_ops->change(&fx->tp, 0, 0, tca, &fh,
							0, NULL), -EINVAL);
	}

	assert_int_equal(nr_masks(fx), 0);
	fx_free(fx);
}

/* ---- classify ---- */

static void test_classify_first_match(void **state)
{
	struct fixture *fx = fx_new();
	struct fl_flow_key k;
	struct req r;

	(void)state;
	/* mask 1: dst /32 */
	req_init(&r);
	put_eth_type(&r, ETH_P_IP);
	put_ipv4_dst(&r, "10.0.0.1", NULL);
	req_verdict(&r, 101);
	add(fx, &r, 0);
	/* mask 2: ip_proto */
	req_init(&r);
	put_eth_type(&r, ETH_P_IP);
	mnl_attr_put_u8(r.nlh, TCA_FLOWER_KEY_IP_PROTO, IPPROTO_TCP);
	req_verdict(&r, 102);
	add(fx, &r, 0);
	/* mask 1 again */
	req_init(&r);
	put_eth_type(&r, ETH_P_IP);
	put_ipv4_dst(&r, "10.0.0.2", NULL);
	req_verdict(&r, 103);
	add(fx, &r, 0);
	/* mask 3: everything */
	req_init(&r);
	req_verdict(&r, 104);
	add(fx, &r, 0);
	assert_int_equal(nr_masks(fx), 3);

	pkt_ipv4(&k, "1.1.1.1", "10.0.0.1", IPPROTO_TCP, 1, 2);
	assert_int_equal(classify(fx, &k), 101);
	pkt_ipv4(&k, "1.1.1.1", "10.0.0.2", IPPROTO_TCP, 1, 2);
	assert_int_equal(classify(fx, &k), 103);
	pkt_ipv4(&k, "1.1.1.1", "10.0.0.3", IPPROTO_TCP, 1, 2);
	assert_int_equal(classify(fx, &k), 102);
	pkt_ipv4(&k, "1.1.1.1", "10.0.0.3", IPPROTO_UDP, 1, 2);
	assert_int_equal(classify(fx, &k), 104);
	memset(&k, 0, sizeof(k));
	k.basic.n_proto = htons(ETH_P_ARP);
	assert_int_equal(classify(fx, &k), 104);
	fx_free(fx);
}

static void test_classify_no_match(void **state)
{
	struct fixture *fx = fx_new();
	struct fl_flow_key k;
	struct req r;

	(void)state;
	pkt_ipv4(&k, "1.1.1.1", "10.0.0.1", IPPROTO_TCP, 1, 2);
	assert_int_equal(classify(fx, &k), -1);
	req_init(&r);
	put_eth_type(&r, ETH_P_IPV6);
	req_verdict(&r, 1);
	add(fx, &r, 0);
	assert_int_equal(classify(fx, &k), -1);
	fx_free(fx);
}

/* a skip_sw filter is for hardware only: software looks further */
static void test_classify_skip_sw(void **state)
{
	struct fixture *fx = fx_new();
	struct cls_fl_filter *f;
	struct fl_flow_key k;
	struct req r;

	(void)state;
	req_init(&r);
	put_eth_type(&r, ETH_P_IP);
	put_ipv4_dst(&r, "10.0.0.1", NULL);
	req_verdict(&r, 1);
	f = add(fx, &r, 0);
	req_init(&r);
	req_verdict(&r, 2);
	add(fx, &r, 0);

	pkt_ipv4(&k, "1.1.1.1", "10.0.0.1", IPPROTO_TCP, 1, 2);
	assert_int_equal(classify(fx, &k), 1);
	f->flags |= TCA_CLS_FLAGS_SKIP_SW;
	assert_int_equal(classify(fx, &k), 2);
	fx_free(fx);
}

static void add_range(struct fixture *fx, u16 min, u16 max, u32 verdict)
{
	struct req r;

	req_init(&r);
	put_eth_type(&r, ETH_P_IP);
	mnl_attr_put_u8(r.nlh, TCA_FLOWER_KEY_IP_PROTO, IPPROTO_TCP);
	mnl_attr_put_u16(r.nlh, TCA_FLOWER_KEY_PORT_DST_MIN, htons(min));
	mnl_attr_put_u16(r.nlh, TCA_FLOWER_KEY_PORT_DST_MAX, htons(max));
	req_verdict(&r, verdict);
	add(fx, &r, 0);
}

static void test_classify_port_range(void **state)
{
	struct fixture *fx = fx_new();
	struct cls_fl_head *head;
	struct fl_flow_key k;
	struct req r;

	(void)state;
	add_range(fx, 1000, 2000, 1);
	add_range(fx, 3000, 4000, 2);
	/* src range + exact dst: its own mask */
	req_init(&r);
	put_eth_type(&r, ETH_P_IP);
	mnl_attr_put_u8(r.nlh, TCA_FLOWER_KEY_IP_PROTO, IPPROTO_UDP);
	mnl_attr_put_u16(r.nlh, TCA_FLOWER_KEY_UDP_DST, htons(53));
	mnl_attr_put_u16(r.nlh, TCA_FLOWER_KEY_PORT_SRC_MIN, htons(5000));
	mnl_attr_put_u16(r.nlh, TCA_FLOWER_KEY_PORT_SRC_MAX, htons(5010));
	req_verdict(&r, 3);
	add(fx, &r, 0);

	head = fx->tp.root;
	assert_int_equal(nr_masks(fx), 2);
	assert_true(list_first_entry(&head->masks, struct fl_flow_mask, list)->flags &
		    TCA_FLOWER_MASK_FLAGS_RANGE);

	pkt_ipv4(&k, "1.1.1.1", "2.2.2.2", IPPROTO_TCP, 9, 1000);
	assert_int_equal(classify(fx, &k), 1);
	pkt_ipv4(&k, "1.1.1.1", "2.2.2.2", IPPROTO_TCP, 9, 1500);
	assert_int_equal(classify(fx, &k), 1);
	pkt_ipv4(&k, "1.1.1.1", "2.2.2.2", IPPROTO_TCP, 9, 2000);
	assert_int_equal(classify(fx, &k), 1);
	pkt_ipv4(&k, "1.1.1.1", "2.2.2.2", IPPROTO_TCP, 9, 2001);
	assert_int_equal(classify(fx, &k), -1);
	pkt_ipv4(&k, "1.1.1.1", "2.2.2.2", IPPROTO_TCP, 9, 3500);
	assert_int_equal(classify(fx, &k), 2);
	pkt_ipv4(&k, "1.1.1.1", "2.2.2.2", IPPROTO_UDP, 9, 1500);
	assert_int_equal(classify(fx, &k), -1);
	pkt_ipv4(&k, "1.1.1.1", "2.2.2.2", IPPROTO_UDP, 5005, 53);
	assert_int_equal(classify(fx, &k), 3);
	pkt_ipv4(&k, "1.1.1.1", "2.2.2.2", IPPROTO_UDP, 5011, 53);
	assert_int_equal(classify(fx, &k), -1);
	pkt_ipv4(&k, "1.1.1.1", "2.2.2.2", IPPROTO_UDP, 5000, 54);
	assert_int_equal(classify(fx, &k), -1);
	fx_free(fx);
}

/* ---- handles, replace, delete, walk ---- */

static struct cls_fl_filter *add_dst(struct fixture *fx, const char *dst,
				     u32 handle, u32 verdict)
{
	struct req r;

	req_init(&r);
	put_eth_type(&r, ETH_P_IP);
	put_ipv4_dst(&r, dst, NULL);
	req_verdict(&r, verdict);
	return add(fx, &r, handle);
}

static void test_handles(void **state)
{
	struct fixture *fx = fx_new();
	struct cls_fl_filter *f;
	void *fh = NULL;
	bool last;
	struct req r;

	(void)state;
	assert_int_equal(add_dst(fx, "10.0.0.1", 0, 1)->handle, 1);
	assert_int_equal(add_dst(fx, "10.0.0.2", 0, 2)->handle, 2);
	assert_int_equal(add_dst(fx, "10.0.0.3", 10, 3)->handle, 10);
	assert_int_equal(add_dst(fx, "10.0.0.4", 0, 4)->handle, 3);
	assert_int_equal(add_dst(fx, "10.0.0.5", 0xffffffff, 5)->handle, 0xffffffff);

	/* same key and mask: -EEXIST, no message */
	req_init(&r);
	put_eth_type(&r, ETH_P_IP);
	put_ipv4_dst(&r, "10.0.0.4", NULL);
	req_verdict(&r, 9);
	assert_int_equal(req_change(fx, &r, 0, &fh), -EEXIST);
	assert_null(fx->extack._msg);

	/* a handle in use, without the filter to replace */
	req_init(&r);
	put_eth_type(&r, ETH_P_IP);
	put_ipv4_dst(&r, "10.0.0.9", NULL);
	assert_int_equal(req_change(fx, &r, 10, &fh), -EEXIST);

	/* the lowest free handle comes back */
	f = registered_ops->get(&fx->tp, 2);
	assert_non_null(f);
	assert_int_equal(registered_ops->delete(&fx->tp, f, &last, NULL), 0);
	assert_false(last);
	assert_null(registered_ops->get(&fx->tp, 2));
	assert_int_equal(add_dst(fx, "10.0.0.6", 0, 6)->handle, 2);
	assert_int_equal(add_dst(fx, "10.0.0.7", 0, 7)->handle, 4);
	assert_null(registered_ops->get(&fx->tp, 5));
	assert_null(registered_ops->get(&fx->tp, 0));
	fx_free(fx);
}

static void test_replace(void **state)
{
	struct fixture *fx = fx_new();
	struct cls_fl_filter *fold, *fnew;
	struct fl_flow_key k;
	void *fh;
	struct req r;

	(void)state;
	fold = add_dst(fx, "10.0.0.1", 1, 1);
	add_dst(fx, "10.0.0.2", 2, 2);

	/* new key, same mask */
	fh = fold;
	req_init(&r);
	put_eth_type(&r, ETH_P_IP);
	put_ipv4_dst(&r, "10.0.0.11", NULL);
	req_verdict(&r, 11);
	assert_int_equal(req_change(fx, &r, 1, &fh), 0);
	fnew = fh;
	assert_ptr_not_equal(fnew, fold);
	assert_int_equal(fnew->handle, 1);
	assert_ptr_equal(registered_ops->get(&fx->tp, 1), fnew);
	pkt_ipv4(&k, "1.1.1.1", "10.0.0.1", IPPROTO_TCP, 1, 2);
	assert_int_equal(classify(fx, &k), -1);
	pkt_ipv4(&k, "1.1.1.1", "10.0.0.11", IPPROTO_TCP, 1, 2);
	assert_int_equal(classify(fx, &k), 11);

	/* same key, new action: swapped in place */
	fold = fnew;
	fh = fold;
	req_init(&r);
	put_eth_type(&r, ETH_P_IP);
	put_ipv4_dst(&r, "10.0.0.11", NULL);
	req_verdict(&r, 12);
	assert_int_equal(req_change(fx, &r, 1, &fh), 0);
	assert_int_equal(classify(fx, &k), 12);
	assert_int_equal(nr_masks(fx), 1);

	/* a replacement cannot change the mask */
	fold = fh;
	req_init(&r);
	put_eth_type(&r, ETH_P_IP);
	put_ipv4_dst(&r, "10.0.0.0", "255.0.0.0");
	req_verdict(&r, 13);
	assert_int_equal(req_change(fx, &r, 1, &fh), -EINVAL);
	assert_ptr_equal(fh, fold);
	assert_int_equal(classify(fx, &k), 12);
	assert_int_equal(nr_masks(fx), 1);

	/* nor the handle */
	req_init(&r);
	put_eth_type(&r, ETH_P_IP);
	put_ipv4_dst(&r, "10.0.0.11", NULL);
	assert_int_equal(req_change(fx, &r, 7, &fh), -EINVAL);

	/* a failed replacement (skip_sw) leaves the old filter in place */
	req_init(&r);
	put_eth_type(&r, ETH_P_IP);
	put_ipv4_dst(&r, "10.0.0.11", NULL);
	mnl_attr_put_u32(r.nlh, TCA_FLOWER_FLAGS, TCA_CLS_FLAGS_SKIP_SW);
	req_verdict(&r, 14);
	assert_int_equal(req_change(fx, &r, 1, &fh), -EOPNOTSUPP);
	assert_ptr_equal(fh, fold);
	assert_int_equal(classify(fx, &k), 12);
	pkt_ipv4(&k, "1.1.1.1", "10.0.0.2", IPPROTO_TCP, 1, 2);
	assert_int_equal(classify(fx, &k), 2);
	fx_free(fx);
}

static void test_delete_last(void **state)
{
	struct fixture *fx = fx_new();
	struct cls_fl_filter *a, *b;
	struct fl_flow_key k;
	bool last;

	(void)state;
	a = add_dst(fx, "10.0.0.1", 0, 1);
	b = add_dst(fx, "10.0.0.2", 0, 2);
	assert_int_equal(registered_ops->delete(&fx->tp, a, &last, NULL), 0);
	assert_false(last);
	assert_false(registered_ops->delete_empty(&fx->tp));
	pkt_ipv4(&k, "1.1.1.1", "10.0.0.1", IPPROTO_TCP, 1, 2);
	assert_int_equal(classify(fx, &k), -1);
	assert_int_equal(registered_ops->delete(&fx->tp, b, &last, NULL), 0);
	assert_true(last);
	assert_int_equal(nr_masks(fx), 0);
	assert_true(registered_ops->delete_empty(&fx->tp));
	pkt_ipv4(&k, "1.1.1.1", "10.0.0.2", IPPROTO_TCP, 1, 2);
	assert_int_equal(classify(fx, &k), -1);
	fx_free(fx);
}

struct walk_log {
	struct tcf_walker w;
	u32 handles[16];
	int n;
	int stop_after;
};

static int walk_fn(struct tcf_proto *tp, void *fh, struct tcf_walker *arg)
{
	struct walk_log *log = container_of(arg, struct walk_log, w);
	struct cls_fl_filter *f = fh;

	(void)tp;
	if (log->stop_after && log->n == log->stop_after)
		return -1;
	log->handles[log->n++] = f->handle;
	return 0;
}

static void test_walk(void **state)
{
	struct fixture *fx = fx_new();
	struct walk_log log;

	(void)state;
	add_dst(fx, "10.0.0.1", 30, 1);
	add_dst(fx, "10.0.0.2", 0, 2);
	add_dst(fx, "10.0.0.3", 1000, 3);
	add_dst(fx, "10.0.0.4", 0, 4);
	add_dst(fx, "10.0.0.5", 0x10000, 5);

	memset(&log, 0, sizeof(log));
	log.w.fn = walk_fn;
	registered_ops->walk(&fx->tp, &log.w);
	assert_int_equal(log.n, 5);
	assert_int_equal(log.handles[0], 1);
	assert_int_equal(log.handles[1], 2);
	assert_int_equal(log.handles[2], 30);
	assert_int_equal(log.handles[3], 1000);
	assert_int_equal(log.handles[4], 0x10000);
	assert_int_equal(log.w.count, 5);
	assert_int_equal(log.w.stop, 0);
	assert_int_equal(log.w.cookie, 0x10001);

	/* a dump that runs out of room resumes at the filter that failed */
	memset(&log, 0, sizeof(log));
	log.w.fn = walk_fn;
	log.stop_after = 3;
	registered_ops->walk(&fx->tp, &log.w);
	assert_int_equal(log.n, 3);
	assert_int_equal(log.w.stop, 1);
	assert_int_equal(log.w.count, 3);
	assert_int_equal(log.w.cookie, 1000);
	log.stop_after = 0;
	log.w.stop = 0;
	log.w.skip = log.w.count;
	registered_ops->walk(&fx->tp, &log.w);
	assert_int_equal(log.n, 5);
	assert_int_equal(log.handles[3], 1000);
	assert_int_equal(log.handles[4], 0x10000);
	assert_int_equal(log.w.count, 5);

	{
		struct tcf_walker w = { .fn = count_filters };

		registered_ops->walk(&fx->tp, &w);
		assert_int_equal(w.count, 5);
	}
	fx_free(fx);
}

/* ---- dump ---- */

struct dumped {
	char buf[8192];
	struct nlmsghdr *nlh;
	struct tcmsg *t;
	struct nlattr *opts;
};

static void dump_filter(struct fixture *fx, struct cls_fl_filter *f,
			struct dumped *d)
{
	struct nlattr *a;

	memset(d->buf, 0, sizeof(d->buf));
	d->nlh = mnl_nlmsg_put_header(d->buf);
	d->t = mnl_nlmsg_put_extra_header(d->nlh, sizeof(struct tcmsg));
	mnl_attr_put_strz(d->nlh, TCA_KIND, "flower");
	assert_int_equal(registered_ops->dump(&fx->tp, f, d->nlh, d->t), 0);
	d->opts = NULL;
	mnl_attr_for_each(a, d->nlh, sizeof(struct tcmsg)) {
		if (mnl_attr_get_type(a) == TCA_OPTIONS)
			d->opts = a;
	}
	assert_non_null(d->opts);
}

/* the TCA_FLOWER_* types of a dump, in order */
static int dump_types(const struct dumped *d, int *types, int max)
{
	const struct nlattr *a;
	int n = 0;

	mnl_attr_for_each_nested(a, d->opts) {
		if (n < max)
			types[n] = mnl_attr_get_type(a);
		n++;
	}
	return n;
}

static void test_dump_order(void **state)
{
	static const int want[] = {
		TCA_FLOWER_CLASSID,
		TCA_FLOWER_INDEV,
		TCA_FLOWER_KEY_ETH_DST, TCA_FLOWER_KEY_ETH_DST_MASK,
		TCA_FLOWER_KEY_ETH_TYPE,
		TCA_FLOWER_KEY_IP_PROTO,
		TCA_FLOWER_KEY_IP_TOS, TCA_FLOWER_KEY_IP_TOS_MASK,
		TCA_FLOWER_KEY_IPV4_DST, TCA_FLOWER_KEY_IPV4_DST_MASK,
		TCA_FLOWER_KEY_TCP_DST, TCA_FLOWER_KEY_TCP_DST_MASK,
		TCA_FLOWER_KEY_TCP_FLAGS, TCA_FLOWER_KEY_TCP_FLAGS_MASK,
		TCA_FLOWER_KEY_ENC_KEY_ID,
		TCA_FLOWER_KEY_CT_STATE, TCA_FLOWER_KEY_CT_STATE_MASK,
		TCA_FLOWER_KEY_FLAGS, TCA_FLOWER_KEY_FLAGS_MASK,
		TCA_FLOWER_FLAGS,
		TCA_FLOWER_IN_HW_COUNT,
		TCA_FLOWER_ACT,
	};
	struct fixture *fx = fx_new();
	struct cls_fl_filter *f;
	int types[64], n, i;
	struct dumped d;
	struct req r;

	(void)state;
	req_init(&r);
	mnl_attr_put_u32(r.nlh, TCA_FLOWER_FLAGS, TCA_CLS_FLAGS_SKIP_HW);
	mnl_attr_put_u32(r.nlh, TCA_FLOWER_KEY_FLAGS, htonl(TCA_FLOWER_KEY_FLAGS_IS_FRAGMENT));
	mnl_attr_put_u32(r.nlh, TCA_FLOWER_KEY_FLAGS_MASK, htonl(TCA_FLOWER_KEY_FLAGS_IS_FRAGMENT));
	mnl_attr_put_u16(r.nlh, TCA_FLOWER_KEY_CT_STATE, 0x8);
	mnl_attr_put_u16(r.nlh, TCA_FLOWER_KEY_CT_STATE_MASK, 0x8);
	mnl_attr_put_u32(r.nlh, TCA_FLOWER_KEY_ENC_KEY_ID, htonl(42));
	mnl_attr_put_u16(r.nlh, TCA_FLOWER_KEY_TCP_FLAGS, htons(2));
	mnl_attr_put_u16(r.nlh, TCA_FLOWER_KEY_TCP_FLAGS_MASK, htons(0x12));
	mnl_attr_put_u16(r.nlh, TCA_FLOWER_KEY_TCP_DST, htons(443));
	put_ipv4_dst(&r, "10.0.0.0", "255.255.255.0");
	mnl_attr_put_u8(r.nlh, TCA_FLOWER_KEY_IP_TOS, 0x10);
	mnl_attr_put_u8(r.nlh, TCA_FLOWER_KEY_IP_PROTO, IPPROTO_TCP);
	put_eth_type(&r, ETH_P_IP);
	mnl_attr_put(r.nlh, TCA_FLOWER_KEY_ETH_DST, 6, "\x00\x11\x22\x33\x44\x55");
	mnl_attr_put_strz(r.nlh, TCA_FLOWER_INDEV, "ens1f0_0");
	mnl_attr_put_u32(r.nlh, TCA_FLOWER_CLASSID, 0x10002);
	req_verdict(&r, TC_ACT_SHOT);
	f = add(fx, &r, 0x10);

	dump_filter(fx, f, &d);
	assert_int_equal(d.t->tcm_handle, 0x10);
	n = dump_types(&d, types, ARRAY_SIZE(types));
	assert_int_equal(n, ARRAY_SIZE(want));
	for (i = 0; i < n; i++)
		assert_int_equal(types[i], want[i]);
	fx_free(fx);
}

static void test_dump_flags_in_hw_count(void **state)
{
	struct fixture *fx = fx_new();
	struct cls_fl_filter *f;
	const struct nlattr *a;
	struct dumped d;
	bool flags = false, count = false;
	struct req r;

	(void)state;
	req_init(&r);
	put_eth_type(&r, ETH_P_IP);
	f = add(fx, &r, 0);
	dump_filter(fx, f, &d);
	mnl_attr_for_each_nested(a, d.opts) {
		if (mnl_attr_get_type(a) == TCA_FLOWER_FLAGS) {
			flags = true;
			assert_int_equal(mnl_attr_get_u32(a), TCA_CLS_FLAGS_NOT_IN_HW);
		}
		if (mnl_attr_get_type(a) == TCA_FLOWER_IN_HW_COUNT) {
			count = true;
			assert_int_equal(mnl_attr_get_u32(a), 0);
		}
		/* no actions, no TCA_FLOWER_ACT; no classid */
		assert_int_not_equal(mnl_attr_get_type(a), TCA_FLOWER_ACT);
		assert_int_not_equal(mnl_attr_get_type(a), TCA_FLOWER_CLASSID);
	}
	assert_true(flags);
	assert_true(count);
	fx_free(fx);
}

typedef void (*build_fn)(struct req *r);

static void b_eth(struct req *r)
{
	mnl_attr_put(r->nlh, TCA_FLOWER_KEY_ETH_DST, 6, "\x01\x00\x00\x00\x00\x00");
	mnl_attr_put(r->nlh, TCA_FLOWER_KEY_ETH_DST_MASK, 6, "\x01\x00\x00\x00\x00\x00");
	mnl_attr_put(r->nlh, TCA_FLOWER_KEY_ETH_SRC, 6, "\x02\xaa\xbb\x00\x00\x00");
	mnl_attr_put(r->nlh, TCA_FLOWER_KEY_ETH_SRC_MASK, 6, "\xff\xff\xff\x00\x00\x00");
}

static void b_vlan(struct req *r)
{
	put_eth_type(r, ETH_P_8021Q);
	mnl_attr_put_u16(r->nlh, TCA_FLOWER_KEY_VLAN_ID, 200);
	mnl_attr_put_u8(r->nlh, TCA_FLOWER_KEY_VLAN_PRIO, 3);
	mnl_attr_put_u16(r->nlh, TCA_FLOWER_KEY_VLAN_ETH_TYPE, htons(ETH_P_IP));
	put_ipv4_dst(r, "10.1.1.1", NULL);
}

static void b_vlan_only(struct req *r)
{
	put_eth_type(r, ETH_P_8021Q);
	mnl_attr_put_u16(r->nlh, TCA_FLOWER_KEY_VLAN_ID, 100);
}

static void b_qinq(struct req *r)
{
	put_eth_type(r, ETH_P_8021AD);
	mnl_attr_put_u16(r->nlh, TCA_FLOWER_KEY_VLAN_ID, 10);
	mnl_attr_put_u16(r->nlh, TCA_FLOWER_KEY_VLAN_ETH_TYPE, htons(ETH_P_8021Q));
	mnl_attr_put_u16(r->nlh, TCA_FLOWER_KEY_CVLAN_ID, 20);
	mnl_attr_put_u8(r->nlh, TCA_FLOWER_KEY_CVLAN_PRIO, 1);
	mnl_attr_put_u16(r->nlh, TCA_FLOWER_KEY_CVLAN_ETH_TYPE, htons(ETH_P_IP));
	mnl_attr_put_u8(r->nlh, TCA_FLOWER_KEY_IP_PROTO, IPPROTO_UDP);
	mnl_attr_put_u16(r->nlh, TCA_FLOWER_KEY_UDP_DST, htons(53));
}

static void b_ipv6(struct req *r)
{
	struct in6_addr a, m;

	put_eth_type(r, ETH_P_IPV6);
	mnl_attr_put_u8(r->nlh, TCA_FLOWER_KEY_IP_PROTO, IPPROTO_ICMPV6);
	inet_pton(AF_INET6, "2001:db8:1:2::", &a);
	inet_pton(AF_INET6, "ffff:ffff:ffff:ffff::", &m);
	mnl_attr_put(r->nlh, TCA_FLOWER_KEY_IPV6_SRC, sizeof(a), &a);
	mnl_attr_put(r->nlh, TCA_FLOWER_KEY_IPV6_SRC_MASK, sizeof(m), &m);
	mnl_attr_put_u8(r->nlh, TCA_FLOWER_KEY_ICMPV6_TYPE, 128);
	mnl_attr_put_u8(r->nlh, TCA_FLOWER_KEY_ICMPV6_CODE, 0);
	mnl_attr_put_u8(r->nlh, TCA_FLOWER_KEY_IP_TOS, 0xb8);
	mnl_attr_put_u8(r->nlh, TCA_FLOWER_KEY_IP_TOS_MASK, 0xfc);
	mnl_attr_put_u8(r->nlh, TCA_FLOWER_KEY_IP_TTL, 255);
}

static void b_icmp(struct req *r)
{
	put_eth_type(r, ETH_P_IP);
	mnl_attr_put_u8(r->nlh, TCA_FLOWER_KEY_IP_PROTO, IPPROTO_ICMP);
	mnl_attr_put_u8(r->nlh, TCA_FLOWER_KEY_ICMPV4_TYPE, 8);
	mnl_attr_put_u8(r->nlh, TCA_FLOWER_KEY_ICMPV4_CODE, 0);
}

static void b_arp(struct req *r)
{
	put_eth_type(r, ETH_P_ARP);
	mnl_attr_put_u8(r->nlh, TCA_FLOWER_KEY_ARP_OP, 2);
	mnl_attr_put_u32(r->nlh, TCA_FLOWER_KEY_ARP_SIP, ip4("10.0.0.0"));
	mnl_attr_put_u32(r->nlh, TCA_FLOWER_KEY_ARP_SIP_MASK, ip4("255.255.255.0"));
	mnl_attr_put(r->nlh, TCA_FLOWER_KEY_ARP_SHA, 6, "\x02\x00\x00\x00\x00\x01");
	mnl_attr_put(r->nlh, TCA_FLOWER_KEY_ARP_THA, 6, "\x02\x00\x00\x00\x00\x02");
	mnl_attr_put(r->nlh, TCA_FLOWER_KEY_ARP_THA_MASK, 6, "\xff\xff\xff\xff\xff\x00");
	mnl_attr_put_u32(r->nlh, TCA_FLOWER_KEY_ARP_TIP, ip4("10.0.0.1"));
}

static void b_ports(struct req *r)
{
	put_eth_type(r, ETH_P_IP);
	mnl_attr_put_u8(r->nlh, TCA_FLOWER_KEY_IP_PROTO, IPPROTO_UDP);
	mnl_attr_put_u16(r->nlh, TCA_FLOWER_KEY_PORT_SRC_MIN, htons(5000));
	mnl_attr_put_u16(r->nlh, TCA_FLOWER_KEY_PORT_SRC_MAX, htons(5010));
	mnl_attr_put_u16(r->nlh, TCA_FLOWER_KEY_UDP_DST, htons(53));
	mnl_attr_put_u16(r->nlh, TCA_FLOWER_KEY_UDP_DST_MASK, htons(0xff00));
}

static void b_sctp(struct req *r)
{
	put_eth_type(r, ETH_P_IP);
	mnl_attr_put_u8(r->nlh, TCA_FLOWER_KEY_IP_PROTO, IPPROTO_SCTP);
	mnl_attr_put_u16(r->nlh, TCA_FLOWER_KEY_SCTP_DST, htons(9));
	mnl_attr_put_u16(r->nlh, TCA_FLOWER_KEY_SCTP_SRC, htons(7));
}

static void b_enc4(struct req *r)
{
	put_eth_type(r, ETH_P_IP);
	mnl_attr_put_u32(r->nlh, TCA_FLOWER_KEY_ENC_KEY_ID, htonl(100));
	mnl_attr_put_u32(r->nlh, TCA_FLOWER_KEY_ENC_IPV4_SRC, ip4("192.0.2.1"));
	mnl_attr_put_u32(r->nlh, TCA_FLOWER_KEY_ENC_IPV4_DST, ip4("192.0.2.0"));
	mnl_attr_put_u32(r->nlh, TCA_FLOWER_KEY_ENC_IPV4_DST_MASK, ip4("255.255.255.0"));
	mnl_attr_put_u16(r->nlh, TCA_FLOWER_KEY_ENC_UDP_DST_PORT, htons(4789));
	mnl_attr_put_u16(r->nlh, TCA_FLOWER_KEY_ENC_UDP_SRC_PORT, htons(1));
	mnl_attr_put_u16(r->nlh, TCA_FLOWER_KEY_ENC_UDP_SRC_PORT_MASK, htons(0xf));
	mnl_attr_put_u8(r->nlh, TCA_FLOWER_KEY_ENC_IP_TOS, 0x10);
	mnl_attr_put_u8(r->nlh, TCA_FLOWER_KEY_ENC_IP_TOS_MASK, 0xff);
	mnl_attr_put_u8(r->nlh, TCA_FLOWER_KEY_ENC_IP_TTL, 64);
}

static void b_enc6(struct req *r)
{
	struct in6_addr a;

	put_eth_type(r, ETH_P_IPV6);
	inet_pton(AF_INET6, "2001:db8::1", &a);
	mnl_attr_put(r->nlh, TCA_FLOWER_KEY_ENC_IPV6_SRC, sizeof(a), &a);
	inet_pton(AF_INET6, "2001:db8::2", &a);
	mnl_attr_put(r->nlh, TCA_FLOWER_KEY_ENC_IPV6_DST, sizeof(a), &a);
	mnl_attr_put_u32(r->nlh, TCA_FLOWER_KEY_ENC_KEY_ID, htonl(42));
}

static void b_ct(struct req *r)
{
	static const u8 label[16] = { 0x00, 0x01, [15] = 0x0a };
	static const u8 label_mask[16] = { 0x00, 0x0f, [15] = 0x0f };

	put_eth_type(r, ETH_P_IP);
	mnl_attr_put_u16(r->nlh, TCA_FLOWER_KEY_CT_STATE,
			 TCA_FLOWER_KEY_CT_FLAGS_TRACKED | TCA_FLOWER_KEY_CT_FLAGS_ESTABLISHED);
	mnl_attr_put_u16(r->nlh, TCA_FLOWER_KEY_CT_STATE_MASK,
			 TCA_FLOWER_KEY_CT_FLAGS_TRACKED | TCA_FLOWER_KEY_CT_FLAGS_ESTABLISHED |
			 TCA_FLOWER_KEY_CT_FLAGS_RELATED);
	mnl_attr_put_u16(r->nlh, TCA_FLOWER_KEY_CT_ZONE, 5);
	mnl_attr_put_u32(r->nlh, TCA_FLOWER_KEY_CT_MARK, 0x10);
	mnl_attr_put_u32(r->nlh, TCA_FLOWER_KEY_CT_MARK_MASK, 0xff);
	mnl_attr_put(r->nlh, TCA_FLOWER_KEY_CT_LABELS, 16, label);
	mnl_attr_put(r->nlh, TCA_FLOWER_KEY_CT_LABELS_MASK, 16, label_mask);
}

static void b_frag(struct req *r)
{
	put_eth_type(r, ETH_P_IP);
	mnl_attr_put_u32(r->nlh, TCA_FLOWER_KEY_FLAGS, htonl(TCA_FLOWER_KEY_FLAGS_IS_FRAGMENT));
	mnl_attr_put_u32(r->nlh, TCA_FLOWER_KEY_FLAGS_MASK,
			 htonl(TCA_FLOWER_KEY_FLAGS_IS_FRAGMENT | TCA_FLOWER_KEY_FLAGS_FRAG_IS_FIRST));
}

static void b_tcp_flags(struct req *r)
{
	put_eth_type(r, ETH_P_IPV6);
	mnl_attr_put_u8(r->nlh, TCA_FLOWER_KEY_IP_PROTO, IPPROTO_TCP);
	mnl_attr_put_u16(r->nlh, TCA_FLOWER_KEY_TCP_FLAGS, htons(1));
	mnl_attr_put_u16(r->nlh, TCA_FLOWER_KEY_TCP_FLAGS_MASK, htons(5));
	mnl_attr_put_u16(r->nlh, TCA_FLOWER_KEY_TCP_SRC, htons(1234));
}

static void b_indev_flags(struct req *r)
{
	mnl_attr_put_strz(r->nlh, TCA_FLOWER_INDEV, "ens1f0_0");
	mnl_attr_put_u32(r->nlh, TCA_FLOWER_FLAGS, TCA_CLS_FLAGS_SKIP_HW);
	mnl_attr_put_u32(r->nlh, TCA_FLOWER_CLASSID, 0xffff0001);
}

static void b_empty(struct req *r)
{
	(void)r;
}

/*
 * The request tc would send for what it printed: the filter's protocol as
 * ETH_TYPE (a dump has the ethertype after the VLAN tags there), and
 * without the flags a dump reports but a request may not carry.
 */
static void dump_to_req(const struct dumped *d, u16 protocol, struct req *r)
{
	const struct nlattr *a;

	req_init(r);
	if (protocol)
		put_eth_type(r, protocol);
	mnl_attr_for_each_nested(a, d->opts) {
		switch (mnl_attr_get_type(a)) {
		case TCA_FLOWER_KEY_ETH_TYPE:
			if (!protocol)
				mnl_attr_put(r->nlh, TCA_FLOWER_KEY_ETH_TYPE, 2,
					     mnl_attr_get_payload(a));
			break;
		case TCA_FLOWER_FLAGS:
			mnl_attr_put_u32(r->nlh, TCA_FLOWER_FLAGS, mnl_attr_get_u32(a) &
					 (TCA_CLS_FLAGS_SKIP_HW | TCA_CLS_FLAGS_SKIP_SW));
			break;
		default:
			mnl_attr_put(r->nlh, mnl_attr_get_type(a),
				     mnl_attr_get_payload_len(a),
				     mnl_attr_get_payload(a));
		}
	}
}

/* every filter's dump, parsed again, gives the same filter */
static void test_dump_round_trip(void **state)
{
	static const build_fn builds[] = {
		b_eth, b_vlan, b_vlan_only, b_qinq, b_ipv6, b_icmp, b_arp,
		b_ports, b_sctp, b_enc4, b_enc6, b_ct, b_frag, b_tcp_flags,
		b_indev_flags, b_empty,
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(builds); i++) {
		struct fixture *fx = fx_new(), *fx2 = fx_new();
		struct cls_fl_filter *f, *f2;
		struct dumped d;
		void *fh = NULL;
		struct req r, r2;

		req_init(&r);
		builds[i](&r);
		req_verdict(&r, 1000 + i);
		f = add(fx, &r, 0);
		dump_filter(fx, f, &d);
		dump_to_req(&d, r.protocol, &r2);

		assert_int_equal(req_change(fx2, &r2, d.t->tcm_handle, &fh), 0);
		f2 = fh;
		assert_int_equal(f2->handle, f->handle);
		assert_memory_equal(&f2->key, &f->key, sizeof(f->key));
		assert_memory_equal(&f2->mask->key, &f->mask->key, sizeof(f->key));
		assert_int_equal(f2->res.classid, f->res.classid);
		assert_int_equal(f2->flags, f->flags);
		assert_int_equal(f2->exts.nr_actions, 1);
		assert_int_equal(f2->exts.actions[0]->tcfa_action, (int)(1000 + i));
		fx_free(fx);
		fx_free(fx2);
	}
}

/* a VLAN filter without vlan_ethtype does not dump an eth_type */
static void test_dump_vlan_no_eth_type(void **state)
{
	struct fixture *fx = fx_new();
	struct cls_fl_filter *f;
	int types[16], n;
	struct dumped d;
	struct req r;

	(void)state;
	req_init(&r);
	b_vlan_only(&r);
	f = add(fx, &r, 0);
	dump_filter(fx, f, &d);
	n = dump_types(&d, types, ARRAY_SIZE(types));
	assert_int_equal(n, 3);
	assert_int_equal(types[0], TCA_FLOWER_KEY_VLAN_ID);
	assert_int_equal(types[1], TCA_FLOWER_FLAGS);
	assert_int_equal(types[2], TCA_FLOWER_IN_HW_COUNT);
	fx_free(fx);
}

static void test_template(void **state)
{
	struct fixture *fx = fx_new();
	struct nlattr *tca[TCA_MAX + 1] = { 0 };
	struct fl_flow_tmplt *tmplt;
	struct req r;
	void *fh = NULL;

	(void)state;
	req_init(&r);
	put_eth_type(&r, ETH_P_IP);
	put_ipv4_dst(&r, "0.0.0.0", "255.255.0.0");
	mnl_attr_nest_end(r.nlh, r.opts);
	tca[TCA_OPTIONS] = r.opts;
	tmplt = registered_ops->tmplt_create(&fx->chain, tca, NULL);
	assert_false(IS_ERR(tmplt));
	fx->chain.tmplt_ops = registered_ops;
	fx->chain.tmplt_priv = tmplt;
	{
		static const int want[] = {
			TCA_FLOWER_KEY_ETH_TYPE,
			TCA_FLOWER_KEY_IPV4_DST, TCA_FLOWER_KEY_IPV4_DST_MASK,
		};
		struct dumped d;
		struct nlattr *a;
		int types[8], n, i;

		memset(d.buf, 0, sizeof(d.buf));
		d.nlh = mnl_nlmsg_put_header(d.buf);
		d.t = mnl_nlmsg_put_extra_header(d.nlh, sizeof(struct tcmsg));
		assert_int_equal(registered_ops->tmplt_dump(d.nlh, tmplt), 0);
		d.opts = NULL;
		mnl_attr_for_each(a, d.nlh, sizeof(struct tcmsg))
			d.opts = a;
		assert_int_equal(mnl_attr_get_type(d.opts), TCA_OPTIONS);
		n = dump_types(&d, types, ARRAY_SIZE(types));
		assert_int_equal(n, ARRAY_SIZE(want));
		for (i = 0; i < n; i++)
			assert_int_equal(types[i], want[i]);
	}

	req_init(&r);
	put_eth_type(&r, ETH_P_IP);
	put_ipv4_dst(&r, "10.1.0.0", "255.255.0.0");
	add(fx, &r, 0);

	req_init(&r);
	put_eth_type(&r, ETH_P_IP);
	mnl_attr_put_u32(r.nlh, TCA_FLOWER_KEY_IPV4_SRC, ip4("10.1.0.0"));
	mnl_attr_put_u32(r.nlh, TCA_FLOWER_KEY_IPV4_SRC_MASK, ip4("255.255.0.0"));
	assert_int_equal(req_change(fx, &r, 0, &fh), -EINVAL);
	assert_string_equal(fx->extack._msg, "cls_flower: Mask does not fit the template");

	fx->chain.tmplt_ops = NULL;
	fx->chain.tmplt_priv = NULL;
	registered_ops->tmplt_destroy(tmplt);
	fx_free(fx);
}

/* many filters on one mask: the hash table grows, lookups still find them */
static void test_many_filters(void **state)
{
	struct fixture *fx = fx_new();
	struct fl_flow_key k;
	char dst[32];
	bool last;
	int i;

	(void)state;
	for (i = 0; i < 5000; i++) {
		snprintf(dst, sizeof(dst), "10.%d.%d.1", i / 256, i % 256);
		add_dst(fx, dst, 0, i + 1);
	}
	for (i = 0; i < 5000; i += 7) {
		snprintf(dst, sizeof(dst), "10.%d.%d.1", i / 256, i % 256);
		pkt_ipv4(&k, "1.1.1.1", dst, IPPROTO_UDP, 1, 2);
		assert_int_equal(classify(fx, &k), i + 1);
	}
	for (i = 1; i <= 5000; i += 2) {
		struct cls_fl_filter *f = registered_ops->get(&fx->tp, i);

		assert_non_null(f);
		assert_int_equal(registered_ops->delete(&fx->tp, f, &last, NULL), 0);
	}
	pkt_ipv4(&k, "1.1.1.1", "10.0.0.1", IPPROTO_UDP, 1, 2);
	assert_int_equal(classify(fx, &k), -1);
	pkt_ipv4(&k, "1.1.1.1", "10.0.1.1", IPPROTO_UDP, 1, 2);
	assert_int_equal(classify(fx, &k), 2);
	fx_free(fx);
}

/*
 * A datapath thread classifies without pause while the control plane
 * adds, replaces and deletes filters on several masks: under ASan, any
 * filter, mask or hash table freed too early shows up.
 */
struct reader_arg {
	struct fixture *fx;
	volatile int stop;
	unsigned long lookups;
	int bad;
};

static void *reader_fn(void *p)
{
	struct reader_arg *ra = p;
	struct fl_flow_key k1, k2, k3;
	int v;

	rcu_register_thread();
	pkt_ipv4(&k1, "1.1.1.1", "10.0.0.1", IPPROTO_TCP, 1, 1500);
	pkt_ipv4(&k2, "1.1.1.1", "10.0.0.2", IPPROTO_UDP, 1, 53);
	pkt_ipv4(&k3, "1.1.1.1", "10.9.0.0", IPPROTO_TCP, 1, 80);
	while (!ra->stop) {
		v = classify(ra->fx, &k1);
		if (v != -1 && (v < 1 || v > 4))
			ra->bad++;
		v = classify(ra->fx, &k2);
		if (v != -1 && (v < 1 || v > 4))
			ra->bad++;
		v = classify(ra->fx, &k3);
		if (v != -1 && (v < 1 || v > 4))
			ra->bad++;
		ra->lookups += 3;
	}
	rcu_unregister_thread();
	return NULL;
}

static void test_concurrent_readers(void **state)
{
	struct reader_arg ra = { .fx = fx_new() };
	struct fixture *fx = ra.fx;
	pthread_t th;
	int i;

	(void)state;
	assert_int_equal(pthread_create(&th, NULL, reader_fn, &ra), 0);
	for (i = 0; i < 200; i++) {
		struct cls_fl_filter *a, *b, *c;
		void *fh;
		bool last;
		struct req r;

		a = add_dst(fx, "10.0.0.1", 0, 1);
		add_range(fx, 1000, 2000, 2);
		req_init(&r);
		put_eth_type(&r, ETH_P_IP);
		put_ipv4_dst(&r, "10.9.0.0", "255.255.0.0");
		req_verdict(&r, 3);
		c = add(fx, &r, 0);
		/* replace a: same key, then a new key */
		fh = a;
		req_init(&r);
		put_eth_type(&r, ETH_P_IP);
		put_ipv4_dst(&r, "10.0.0.1", NULL);
		req_verdict(&r, 4);
		assert_int_equal(req_change(fx, &r, a->handle, &fh), 0);
		b = fh;
		fh = b;
		req_init(&r);
		put_eth_type(&r, ETH_P_IP);
		put_ipv4_dst(&r, "10.0.0.2", NULL);
		req_verdict(&r, 4);
		assert_int_equal(req_change(fx, &r, b->handle, &fh), 0);
		b = fh;
		assert_int_equal(registered_ops->delete(&fx->tp, c, &last, NULL), 0);
		assert_int_equal(registered_ops->delete(&fx->tp, b, &last, NULL), 0);
		if (i % 2) {
			struct tcf_walker w = { .fn = count_filters };

			registered_ops->walk(&fx->tp, &w);
			assert_int_equal(w.count, 1);
			b = registered_ops->get(&fx->tp, 2);
			assert_non_null(b);
			assert_int_equal(registered_ops->delete(&fx->tp, b, &last, NULL), 0);
			assert_true(last);
		} else {
			/* the whole classifier goes, and a new one comes */
			registered_ops->destroy(&fx->tp, NULL);
			assert_int_equal(registered_ops->init(&fx->tp), 0);
		}
	}
	ra.stop = 1;
	pthread_join(th, NULL);
	assert_int_equal(ra.bad, 0);
	assert_true(ra.lookups > 0);
	fx_free(fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_ipv4_tcp),
		cmocka_unit_test(test_parse_ignores_foreign_keys),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_classify_first_match),
		cmocka_unit_test(test_classify_no_match),
		cmocka_unit_test(test_classify_skip_sw),
		cmocka_unit_test(test_classify_port_range),
		cmocka_unit_test(test_handles),
		cmocka_unit_test(test_replace),
		cmocka_unit_test(test_delete_last),
		cmocka_unit_test(test_walk),
		cmocka_unit_test(test_dump_order),
		cmocka_unit_test(test_dump_flags_in_hw_count),
		cmocka_unit_test(test_dump_round_trip),
		cmocka_unit_test(test_dump_vlan_no_eth_type),
		cmocka_unit_test(test_template),
		cmocka_unit_test(test_many_filters),
		cmocka_unit_test(test_concurrent_readers),
	};
	int ret;

	rcu_register_thread();
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	rcu_unregister_thread();
	return ret;
}
