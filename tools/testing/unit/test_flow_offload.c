// SPDX-License-Identifier: GPL-2.0
/*
 * Filter offload through flow_block callbacks, end to end: qdiscs and
 * flower filters are created, replaced, deleted and dumped with netlink
 * requests built as tc builds them and handed to the real rtnetlink
 * handlers; the devices are test doubles ("td") whose ndo_setup_tc binds a
 * flow_block callback that records every FLOW_CLS_* request with a copy of
 * the flow_rule it got, takes or refuses filters on demand, and answers
 * STATS with counters the test sets (deltas, as drivers do).  The last test
 * runs the real tc (iproute2) against an in-process netlink server to see
 * what `tc -s filter show` prints for an offloaded filter.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <spawn.h>
#include <fcntl.h>
#include <unistd.h>
#include <libgen.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <cmocka.h>
#include <linux/if_ether.h>
#include <linux/tc_act/tc_gact.h>
#include <linux/tc_act/tc_mirred.h>
#include <linux/tc_act/tc_ct.h>
#include <linux/slab.h>
#include <linux/jiffies.h>
#include <net/tc_act/tc_ct.h>
#include <net/flow_offload.h>
#include <net/pkt_cls.h>
#include <net/rtnetlink.h>
#include <net/netlink_server.h>

extern char **environ;

/* ---- the test double ---- */

#define TD_MAX_RULES	16
#define TD_MAX_CALLS	64

struct td_dev {
	struct net_device *dev;
	int replace_err;		/* REPLACE's answer: 0 takes the filter */
	struct flow_stats stats;	/* the next STATS answer, then zeroed */
	unsigned long rules[TD_MAX_RULES];	/* cookies of the filters it holds */
	int nr_rules;
};

/* one request a callback got; for REPLACE, a copy of the rule */
struct td_call {
	struct td_dev *td;
	enum flow_cls_command command;
	unsigned long cookie;
	u32 chain_index;
	__be16 protocol;
	u32 prio;
	u32 classid;
	bool extack;
	struct flow_dissector dissector;
	struct fl_flow_key key, mask;
	struct flow_rule *rule;
};

static struct td_call calls[TD_MAX_CALLS];
static int nr_calls;
static LIST_HEAD(td_block_cb_list);

static void calls_reset(void)
{
	int i;

	for (i = 0; i < nr_calls; i++)
		kfree(calls[i].rule);
	memset(calls, 0, sizeof(calls));
	nr_calls = 0;
}

static int td_rule_find(const struct td_dev *td, unsigned long cookie)
{
	int i;

	for (i = 0; i < td->nr_rules; i++) {
		if (td->rules[i] == cookie)
			return i;
	}
	return -1;
}

static void td_record_rule(struct td_call *c, const struct flow_cls_offload *f)
{
	const struct flow_rule *rule = f->rule;
	size_t n = rule->action.num_entries;

	c->dissector = *rule->match.dissector;
	c->key = *rule->match.key;
	c->mask = *rule->match.mask;
	c->rule = flow_rule_alloc(n);
	assert_non_null(c->rule);
	memcpy(c->rule->action.entries, rule->action.entries, n * sizeof(rule->action.entries[0]));
	c->rule->match.dissector = &c->dissector;
	c->rule->match.key = &c->key;
	c->rule->match.mask = &c->mask;
}

static int td_setup_tc_block_cb(enum tc_setup_type type, void *type_data, void *cb_priv)
{
	struct flow_cls_offload *f = type_data;
	struct td_dev *td = cb_priv;
	struct td_call *c;
	int i;

	if (type != TC_SETUP_CLSFLOWER)
		return -EOPNOTSUPP;
	assert_true(nr_calls < TD_MAX_CALLS);
	c = &calls[nr_calls++];
	c->td = td;
	c->command = f->command;
	c->cookie = f->cookie;
	c->chain_index = f->common.chain_index;
	c->protocol = f->common.protocol;
	c->prio = f->common.prio;
	c->classid = f->classid;
	c->extack = f->common.extack;

	switch (f->command) {
	case FLOW_CLS_REPLACE:
		td_record_rule(c, f);
		if (td->replace_err)
			return td->replace_err;
		if (td_rule_find(td, f->cookie) < 0) {
			assert_true(td->nr_rules < TD_MAX_RULES);
			td->rules[td->nr_rules++] = f->cookie;
		}
		return 0;
	case FLOW_CLS_DESTROY:
		i = td_rule_find(td, f->cookie);
		if (i < 0)
			return -ENOENT;
		td->rules[i] = td->rules[--td->nr_rules];
		return 0;
	case FLOW_CLS_STATS:
		if (td_rule_find(td, f->cookie) < 0)
			return -ENOENT;
		flow_stats_update(&f->stats, td->stats.bytes, td->stats.pkts, td->stats.drops,
				  td->stats.lastused, FLOW_ACTION_HW_STATS_DELAYED);
		memset(&td->stats, 0, sizeof(td->stats));
		return 0;
	case FLOW_CLS_TMPLT_CREATE:
		td_record_rule(c, f);
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

static int td_ndo_setup_tc(struct net_device *dev, enum tc_setup_type type, void *type_data)
{
	struct td_dev *td = netdev_priv(dev);

	switch (type) {
	case TC_SETUP_BLOCK:
		return flow_block_cb_setup_simple(type_data, &td_block_cb_list,
						  td_setup_tc_block_cb, td, td, true);
	default:
		return -EOPNOTSUPP;
	}
}

static enum netdev_tx td_xmit(struct sk_buff *skb, struct net_device *dev)
{
	(void)dev;
	kfree_skb_reason(skb, SKB_DROP_REASON_NOT_SPECIFIED);
	return NETDEV_TX_OK;
}

static const struct net_device_ops td_ops = {
	.ndo_start_xmit = td_xmit,
	.ndo_setup_tc = td_ndo_setup_tc,
};

/* a device that cannot offload: no ndo_setup_tc */
static const struct net_device_ops plain_ops = {
	.ndo_start_xmit = td_xmit,
};

static struct td_dev *td0, *td1, *td2;
static struct net_device *plain0;

static struct net_device *dev_new(const char *name, const struct net_device_ops *ops)
{
	struct net_device *dev = alloc_netdev(sizeof(struct td_dev), name, ops);

	assert_non_null(dev);
	rtnl_lock();
	assert_int_equal(register_netdev(dev), 0);
	rtnl_unlock();
	return dev;
}

static struct td_dev *td_new(const char *name)
{
	struct net_device *dev = dev_new(name, &td_ops);
	struct td_dev *td = netdev_priv(dev);

	td->dev = dev;
	return td;
}

static int nr_bound(void)
{
	struct flow_block_cb *block_cb;
	int n = 0;

	list_for_each_entry(block_cb, &td_block_cb_list, driver_list)
		n++;
	return n;
}

/* ---- requests ---- */

struct req {
	char buf[8192];
	struct nlmsghdr *nlh;
	struct netlink_ext_ack extack;
	struct nlattr *opts, *acts;
	int nr_acts;
};

#define TC_INGRESS_PARENT	TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS)

static struct tcmsg *req_init(struct req *r, u16 type, u16 flags, int ifindex, u32 parent)
{
	struct tcmsg *t;

	memset(r, 0, sizeof(*r));
	r->nlh = mnl_nlmsg_put_header(r->buf);
	r->nlh->nlmsg_type = type;
	r->nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	r->nlh->nlmsg_seq = 1;
	t = mnl_nlmsg_put_extra_header(r->nlh, sizeof(*t));
	t->tcm_family = AF_UNSPEC;
	t->tcm_ifindex = ifindex;
	t->tcm_parent = parent;
	return t;
}

/* send r to the handlers; replies (dumps) go to out if given */
static int req_send(struct req *r, struct nl_out *out)
{
	struct nl_out dummy;
	int err;

	nl_out_init(&dummy, 0);
	err = rtnetlink_rcv_msg(r->nlh, out ? out : &dummy, &r->extack);
	nl_out_free(&dummy);
	return err;
}

static int qdisc_add(struct net_device *dev, const char *kind, u32 block)
{
	struct req r;
	struct tcmsg *t;

	t = req_init(&r, RTM_NEWQDISC, NLM_F_CREATE | NLM_F_EXCL, dev->ifindex, TC_H_INGRESS);
	t->tcm_handle = TC_H_MAKE(TC_H_INGRESS, 0);
	mnl_attr_put_strz(r.nlh, TCA_KIND, kind);
	if (block)
		mnl_attr_put_u32(r.nlh, TCA_INGRESS_BLOCK, block);
	mnl_attr_nest_end(r.nlh, mnl_attr_nest_start(r.nlh, TCA_OPTIONS));
	return req_send(&r, NULL);
}

static void qdisc_del(struct net_device *dev)
{
	struct req r;

	req_init(&r, RTM_DELQDISC, 0, dev->ifindex, TC_H_INGRESS);
	assert_int_equal(req_send(&r, NULL), 0);
}

/*
 * A filter request: "tc filter add dev DEV [block B] ingress chain C prio P
 * protocol ip flower ...": open TCA_OPTIONS, then keys, flags and actions.
 */
static void filter_init(struct req *r, u16 type, u16 flags, struct net_device *dev, u32 block,
			u32 chain, u32 prio, u32 handle)
{
	struct tcmsg *t;

	if (block) {
		t = req_init(r, type, flags, TCM_IFINDEX_MAGIC_BLOCK, 0);
		t->tcm_block_index = block;
	} else {
		t = req_init(r, type, flags, dev->ifindex, TC_INGRESS_PARENT);
	}
	t->tcm_info = TC_H_MAKE(prio << 16, htons(ETH_P_IP));
	t->tcm_handle = handle;
	mnl_attr_put_strz(r->nlh, TCA_KIND, "flower");
	mnl_attr_put_u32(r->nlh, TCA_CHAIN, chain);
	r->opts = mnl_attr_nest_start(r->nlh, TCA_OPTIONS);
	mnl_attr_put_u16(r->nlh, TCA_FLOWER_KEY_ETH_TYPE, htons(ETH_P_IP));
}

static void filter_add_init(struct req *r, struct net_device *dev, u32 chain, u32 prio)
{
	filter_init(r, RTM_NEWTFILTER, NLM_F_CREATE | NLM_F_EXCL, dev, 0, chain, prio, 0);
}

static void put_flags(struct req *r, u32 flags)
{
	mnl_attr_put_u32(r->nlh, TCA_FLOWER_FLAGS, flags);
}

static void put_ct_state(struct req *r, u16 state, u16 mask)
{
	mnl_attr_put_u16(r->nlh, TCA_FLOWER_KEY_CT_STATE, state);
	mnl_attr_put_u16(r->nlh, TCA_FLOWER_KEY_CT_STATE_MASK, mask);
}

static u32 ip4(const char *s)
{
	u32 a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}


/* one action in TCA_FLOWER_ACT: { N { KIND, OPTIONS { ... } } } */
struct act_nest {
	struct nlattr *act, *opts;
};

static struct act_nest act_begin(struct req *r, const char *kind)
{
	struct act_nest n;

	if (!r->acts)
		r->acts = mnl_attr_nest_start(r->nlh, TCA_FLOWER_ACT);
	n.act = mnl_attr_nest_start(r->nlh, ++r->nr_acts);
	mnl_attr_put_strz(r->nlh, TCA_ACT_KIND, kind);
	n.opts = mnl_attr_nest_start(r->nlh, TCA_ACT_OPTIONS);
	return n;
}

static void act_end(struct req *r, struct act_nest n)
{
	mnl_attr_nest_end(r->nlh, n.opts);
	mnl_attr_nest_end(r->nlh, n.act);
}

static void put_gact(struct req *r, int verdict)
{
	struct tc_gact p = { .action = verdict };
	struct act_nest n = act_begin(r, "gact");

	mnl_attr_put(r->nlh, TCA_GACT_PARMS, sizeof(p), &p);
	act_end(r, n);
}

static void put_mirred(struct req *r, int eaction, const struct net_device *dev)
{
	bool redirect = eaction == TCA_EGRESS_REDIR || eaction == TCA_INGRESS_REDIR;
	struct tc_mirred p = {
		.action = redirect ? TC_ACT_STOLEN : TC_ACT_PIPE,
		.eaction = eaction,
		.ifindex = dev->ifindex,
	};
	struct act_nest n = act_begin(r, "mirred");

	mnl_attr_put(r->nlh, TCA_MIRRED_PARMS, sizeof(p), &p);
	act_end(r, n);
}

static void put_ct(struct req *r, u16 zone, u16 ct_action)
{
	struct tc_ct p = { .action = TC_ACT_PIPE };
	struct act_nest n = act_begin(r, "ct");

	mnl_attr_put(r->nlh, TCA_CT_PARMS, sizeof(p), &p);
	mnl_attr_put_u16(r->nlh, TCA_CT_ACTION, ct_action);
	mnl_attr_put_u16(r->nlh, TCA_CT_ZONE, zone);
	act_end(r, n);
}

static int filter_send(struct req *r)
{
	if (r->acts)
		mnl_attr_nest_end(r->nlh, r->acts);
	mnl_attr_nest_end(r->nlh, r->opts);
	return req_send(r, NULL);
}

static void filter_del(struct net_device *dev, u32 block, u32 chain, u32 prio, u32 handle)
{
	struct req r;
	struct tcmsg *t;

	if (block) {
		t = req_init(&r, RTM_DELTFILTER, 0, TCM_IFINDEX_MAGIC_BLOCK, 0);
		t->tcm_block_index = block;
	} else {
		t = req_init(&r, RTM_DELTFILTER, 0, dev->ifindex, TC_INGRESS_PARENT);
	}
	t->tcm_info = TC_H_MAKE(prio << 16, htons(ETH_P_IP));
	t->tcm_handle = handle;
	mnl_attr_put_strz(r.nlh, TCA_KIND, "flower");
	mnl_attr_put_u32(r.nlh, TCA_CHAIN, chain);
	assert_int_equal(req_send(&r, NULL), 0);
}

/* ---- dumps ---- */

struct dumped_act {
	char kind[16];
	struct gnet_stats_basic basic, basic_hw;
	struct gnet_stats_queue queue;
	bool used_hw_stats_valid;
	u32 used_hw_stats;
};

struct dumped_filter {
	bool found;
	u32 flags;
	u32 in_hw_count;
	int nr_acts;
	struct dumped_act acts[8];
};

static void parse_act_stats(const struct nlattr *stats, struct dumped_act *da)
{
	const struct nlattr *s;

	mnl_attr_for_each_nested(s, stats) {
		size_t len = mnl_attr_get_payload_len(s);

		switch (mnl_attr_get_type(s)) {
		case TCA_STATS_BASIC:
			memcpy(&da->basic, mnl_attr_get_payload(s), min(len, sizeof(da->basic)));
			break;
		case TCA_STATS_BASIC_HW:
			memcpy(&da->basic_hw, mnl_attr_get_payload(s),
			       min(len, sizeof(da->basic_hw)));
			break;
		case TCA_STATS_QUEUE:
			memcpy(&da->queue, mnl_attr_get_payload(s), min(len, sizeof(da->queue)));
			break;
		}
	}
}

static void parse_acts(const struct nlattr *acts, struct dumped_filter *df)
{
	const struct nlattr *act, *a;

	mnl_attr_for_each_nested(act, acts) {
		struct dumped_act *da = &df->acts[df->nr_acts++];

		assert_true(df->nr_acts <= (int)ARRAY_SIZE(df->acts));
		mnl_attr_for_each_nested(a, act) {
			switch (mnl_attr_get_type(a)) {
			case TCA_ACT_KIND:
				snprintf(da->kind, sizeof(da->kind), "%s", mnl_attr_get_str(a));
				break;
			case TCA_ACT_STATS:
				parse_act_stats(a, da);
				break;
			case TCA_ACT_USED_HW_STATS:
				da->used_hw_stats_valid = true;
				da->used_hw_stats = ((const struct nla_bitfield32 *)
						     mnl_attr_get_payload(a))->value;
				break;
			}
		}
	}
}

static void parse_filter(const struct nlmsghdr *nlh, struct dumped_filter *df)
{
	const struct nlattr *a, *o;

	memset(df, 0, sizeof(*df));
	df->found = true;
	mnl_attr_for_each(a, nlh, sizeof(struct tcmsg)) {
		if (mnl_attr_get_type(a) != TCA_OPTIONS)
			continue;
		mnl_attr_for_each_nested(o, a) {
			switch (mnl_attr_get_type(o)) {
			case TCA_FLOWER_FLAGS:
				df->flags = mnl_attr_get_u32(o);
				break;
			case TCA_FLOWER_IN_HW_COUNT:
				df->in_hw_count = mnl_attr_get_u32(o);
				break;
			case TCA_FLOWER_ACT:
				parse_acts(o, df);
				break;
			}
		}
	}
}

/* "tc -s filter show dev DEV ingress" (or block B), keeping the filter at prio/handle */
static void filter_dump(struct net_device *dev, u32 block, u32 prio, u32 handle,
			struct dumped_filter *df)
{
	struct nlmsghdr *nlh;
	struct nl_out out;
	struct tcmsg *t;
	struct req r;
	int len;

	if (block) {
		t = req_init(&r, RTM_GETTFILTER, NLM_F_DUMP, TCM_IFINDEX_MAGIC_BLOCK, 0);
		t->tcm_block_index = block;
	} else {
		t = req_init(&r, RTM_GETTFILTER, NLM_F_DUMP, dev->ifindex, TC_INGRESS_PARENT);
	}
	nl_out_init(&out, 0);
	assert_int_equal(req_send(&r, &out), 0);
	memset(df, 0, sizeof(*df));
	len = out.len;
	for (nlh = (struct nlmsghdr *)out.buf; mnl_nlmsg_ok(nlh, len);
	     nlh = mnl_nlmsg_next(nlh, &len)) {
		t = mnl_nlmsg_get_payload(nlh);
		if (TC_H_MAJ(t->tcm_info) == prio << 16 && t->tcm_handle == handle)
			parse_filter(nlh, df);
	}
	nl_out_free(&out);
}

/* ---- what the callbacks got ---- */

static struct td_call *call_find(const struct td_dev *td, enum flow_cls_command command,
				 int nth)
{
	int i;

	for (i = 0; i < nr_calls; i++) {
		if (calls[i].td == td && calls[i].command == command && !nth--)
			return &calls[i];
	}
	return NULL;
}

static int calls_count(const struct td_dev *td, enum flow_cls_command command)
{
	int i, n = 0;

	for (i = 0; i < nr_calls; i++)
		n += calls[i].td == td && calls[i].command == command;
	return n;
}

static const struct flow_action_entry *entry(const struct td_call *c, unsigned int i)
{
	assert_non_null(c->rule);
	assert_true(i < c->rule->action.num_entries);
	return &c->rule->action.entries[i];
}

#define ALL_KEYS_BUT(used)	(~(used) & (BIT_ULL(FLOW_DISSECTOR_KEY_MAX) - 1))

static void assert_keys(const struct flow_rule *rule, unsigned long long used)
{
	int k;

	for (k = 0; k < FLOW_DISSECTOR_KEY_MAX; k++) {
		if (flow_rule_match_key(rule, k) != !!(used & BIT_ULL(k)))
			fail_msg("key %d: used %d, expected %d", k, flow_rule_match_key(rule, k),
				 !!(used & BIT_ULL(k)));
	}
}

/* ---- tests ---- */

static int setup(void **state)
{
	(void)state;
	calls_reset();
	return 0;
}

static int teardown(void **state)
{
	struct net_device *devs[] = { td0->dev, td1->dev, td2->dev, plain0 };
	unsigned int i;

	(void)state;
	calls_reset();
	/* a failed test may leave qdiscs behind: the next starts clean */
	for (i = 0; i < ARRAY_SIZE(devs); i++) {
		if (devs[i]->qdisc_ingress)
			qdisc_del(devs[i]);
	}
	/* and then nothing is bound, nothing held */
	assert_int_equal(nr_bound(), 0);
	assert_int_equal(td0->nr_rules, 0);
	assert_int_equal(td1->nr_rules, 0);
	assert_int_equal(td2->nr_rules, 0);
	return 0;
}

/* a qdisc binds its device's callback to the block; deleting it unbinds */
static void test_bind_unbind(void **state)
{
	struct dumped_filter df;
	struct req r;

	(void)state;
	assert_int_equal(qdisc_add(td0->dev, "ingress", 0), 0);
	assert_int_equal(nr_bound(), 1);
	assert_non_null(td0->dev->qdisc_ingress);
	qdisc_del(td0->dev);
	assert_int_equal(nr_bound(), 0);

	/*
	 * clsact: the double offloads ingress only, so its egress block
	 * counts a device that cannot offload and refuses skip_sw.
	 */
	assert_int_equal(qdisc_add(td0->dev, "clsact", 0), 0);
	assert_int_equal(nr_bound(), 1);
	filter_init(&r, RTM_NEWTFILTER, NLM_F_CREATE | NLM_F_EXCL, td0->dev, 0, 0, 1, 0);
	((struct tcmsg *)mnl_nlmsg_get_payload(r.nlh))->tcm_parent =
		TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_EGRESS);
	put_flags(&r, TCA_CLS_FLAGS_SKIP_SW);
	put_gact(&r, TC_ACT_SHOT);
	assert_int_equal(filter_send(&r), -EOPNOTSUPP);
	assert_null(r.extack._msg);
	assert_int_equal(nr_calls, 0);
	filter_add_init(&r, td0->dev, 0, 1);
	put_flags(&r, TCA_CLS_FLAGS_SKIP_SW);
	put_gact(&r, TC_ACT_SHOT);
	assert_int_equal(filter_send(&r), 0);
	filter_dump(td0->dev, 0, 1, 1, &df);
	assert_true(df.found);
	assert_int_equal(df.flags, TCA_CLS_FLAGS_SKIP_SW | TCA_CLS_FLAGS_IN_HW);
	assert_int_equal(df.in_hw_count, 1);
	qdisc_del(td0->dev);
	assert_int_equal(nr_bound(), 0);
}

/* the rule a driver gets for L2-L4 keys: masked key, mask, used keys */
static void test_replace_match(void **state)
{
	static const u8 dmac[ETH_ALEN] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
	static const u8 smac[ETH_ALEN] = { 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee };
	static const u8 smac_mask[ETH_ALEN] = { 0xff, 0xff, 0xff, 0, 0, 0 };
	struct flow_match_eth_addrs eth;
	struct flow_match_basic basic;
	struct flow_match_control control;
	struct flow_match_ipv4_addrs ipv4;
	struct flow_match_ports ports;
	struct flow_match_ports_range range;
	struct flow_match_tcp tcp;
	struct flow_match_ip ip;
	struct dumped_filter df;
	struct td_call *c;
	struct req r;

	(void)state;
	assert_int_equal(qdisc_add(td0->dev, "ingress", 0), 0);
	filter_add_init(&r, td0->dev, 0, 3);
	mnl_attr_put(r.nlh, TCA_FLOWER_KEY_ETH_DST, ETH_ALEN, dmac);
	mnl_attr_put(r.nlh, TCA_FLOWER_KEY_ETH_SRC, ETH_ALEN, smac);
	mnl_attr_put(r.nlh, TCA_FLOWER_KEY_ETH_SRC_MASK, ETH_ALEN, smac_mask);
	mnl_attr_put_u8(r.nlh, TCA_FLOWER_KEY_IP_PROTO, IPPROTO_TCP);
	mnl_attr_put_u32(r.nlh, TCA_FLOWER_KEY_IPV4_SRC, ip4("10.0.0.77"));
	mnl_attr_put_u32(r.nlh, TCA_FLOWER_KEY_IPV4_SRC_MASK, ip4("255.255.255.0"));
	mnl_attr_put_u32(r.nlh, TCA_FLOWER_KEY_IPV4_DST, ip4("10.0.1.2"));
	mnl_attr_put_u16(r.nlh, TCA_FLOWER_KEY_TCP_DST, htons(80));
	mnl_attr_put_u16(r.nlh, TCA_FLOWER_KEY_PORT_SRC_MIN, htons(1000));
	mnl_attr_put_u16(r.nlh, TCA_FLOWER_KEY_PORT_SRC_MAX, htons(2000));
	mnl_attr_put_u16(r.nlh, TCA_FLOWER_KEY_TCP_FLAGS, htons(0x02));
	mnl_attr_put_u16(r.nlh, TCA_FLOWER_KEY_TCP_FLAGS_MASK, htons(0x12));
	mnl_attr_put_u8(r.nlh, TCA_FLOWER_KEY_IP_TOS, 0x10);
	mnl_attr_put_u8(r.nlh, TCA_FLOWER_KEY_IP_TOS_MASK, 0xfc);
	mnl_attr_put_u32(r.nlh, TCA_FLOWER_CLASSID, 0x10002);
	put_gact(&r, TC_ACT_SHOT);
	assert_int_equal(filter_send(&r), 0);

	/* (the add's notification is a dump, which asks for stats: Linux 6.1 does) */
	assert_int_equal(calls_count(td0, FLOW_CLS_REPLACE), 1);
	c = call_find(td0, FLOW_CLS_REPLACE, 0);
	assert_non_null(c);
	assert_true(c->cookie);
	assert_int_equal(c->chain_index, 0);
	assert_int_equal(c->prio, 3);
	assert_int_equal(c->protocol, htons(ETH_P_IP));
	assert_int_equal(c->classid, 0x10002);
	/*
	 * no skip_sw: a refusal is no error; the driver's extack is
	 * cls_flower's own (kept for ctoffload explain), never the user's
	 */
	assert_true(c->extack);
	assert_null(r.extack._msg);

	/* ipv4 and ipv6 share bytes in the key: Linux reports both */
	assert_keys(c->rule, BIT_ULL(FLOW_DISSECTOR_KEY_CONTROL) | BIT_ULL(FLOW_DISSECTOR_KEY_BASIC) |
			     BIT_ULL(FLOW_DISSECTOR_KEY_ETH_ADDRS) |
			     BIT_ULL(FLOW_DISSECTOR_KEY_IPV4_ADDRS) |
			     BIT_ULL(FLOW_DISSECTOR_KEY_IPV6_ADDRS) |
			     BIT_ULL(FLOW_DISSECTOR_KEY_PORTS) |
			     BIT_ULL(FLOW_DISSECTOR_KEY_PORTS_RANGE) |
			     BIT_ULL(FLOW_DISSECTOR_KEY_TCP) | BIT_ULL(FLOW_DISSECTOR_KEY_IP));

	flow_rule_match_basic(c->rule, &basic);
	assert_int_equal(basic.key->n_proto, htons(ETH_P_IP));
	assert_int_equal(basic.mask->n_proto, 0xffff);
	assert_int_equal(basic.key->ip_proto, IPPROTO_TCP);
	assert_int_equal(basic.mask->ip_proto, 0xff);
	flow_rule_match_control(c->rule, &control);
	assert_int_equal(control.key->addr_type, FLOW_DISSECTOR_KEY_IPV4_ADDRS);
	assert_int_equal(control.mask->addr_type, 0xffff);
	flow_rule_match_eth_addrs(c->rule, &eth);
	assert_memory_equal(eth.key->dst, dmac, ETH_ALEN);
	assert_memory_equal(eth.mask->dst, "\xff\xff\xff\xff\xff\xff", ETH_ALEN);
	/* the key is masked: the driver never sees bits outside the mask */
	assert_memory_equal(eth.key->src, "\x02\xaa\xbb\x00\x00\x00", ETH_ALEN);
	assert_memory_equal(eth.mask->src, smac_mask, ETH_ALEN);
	flow_rule_match_ipv4_addrs(c->rule, &ipv4);
	assert_int_equal(ipv4.key->src, ip4("10.0.0.0"));
	assert_int_equal(ipv4.mask->src, ip4("255.255.255.0"));
	assert_int_equal(ipv4.key->dst, ip4("10.0.1.2"));
	assert_int_equal(ipv4.mask->dst, 0xffffffff);
	flow_rule_match_ports(c->rule, &ports);
	assert_int_equal(ports.key->dst, htons(80));
	assert_int_equal(ports.mask->dst, 0xffff);
	assert_int_equal(ports.mask->src, 0);
	flow_rule_match_ports_range(c->rule, &range);
	assert_int_equal(range.key->tp_min.src, htons(1000));
	assert_int_equal(range.key->tp_max.src, htons(2000));
	assert_int_equal(range.mask->tp_min.src, 0xffff);
	assert_int_equal(range.mask->tp_min.dst, 0);
	flow_rule_match_tcp(c->rule, &tcp);
	assert_int_equal(tcp.key->flags, htons(0x02));
	assert_int_equal(tcp.mask->flags, htons(0x12));
	flow_rule_match_ip(c->rule, &ip);
	assert_int_equal(ip.key->tos, 0x10);
	assert_int_equal(ip.mask->tos, 0xfc);
	assert_int_equal(ip.mask->ttl, 0);

	assert_int_equal(c->rule->action.num_entries, 1);
	assert_int_equal(entry(c, 0)->id, FLOW_ACTION_DROP);
	assert_int_equal(entry(c, 0)->hw_stats, FLOW_ACTION_HW_STATS_ANY);
	assert_true(entry(c, 0)->hw_index);
	assert_true(entry(c, 0)->cookie);
	assert_true(flow_action_hw_stats_check(&c->rule->action, NULL,
					       FLOW_ACTION_HW_STATS_DELAYED_BIT));
	assert_true(flow_action_basic_hw_stats_check(&c->rule->action, NULL));

	filter_dump(td0->dev, 0, 3, 1, &df);
	assert_true(df.found);
	assert_int_equal(df.flags, TCA_CLS_FLAGS_IN_HW);
	assert_int_equal(df.in_hw_count, 1);
	assert_int_equal(td0->nr_rules, 1);
	assert_int_equal(td0->rules[0], c->cookie);
	qdisc_del(td0->dev);
}

/* the seed's CT rule set, as the driver sees it */
static void test_ct_rules(void **state)
{
	struct flow_match_ct ct;
	struct td_call *c;
	struct req r;

	(void)state;
	assert_int_equal(qdisc_add(td0->dev, "ingress", 0), 0);

	/* chain 0: ct_state -trk action ct zone 5 pipe action goto chain 2 */
	filter_add_init(&r, td0->dev, 0, 1);
	put_ct_state(&r, 0, TCA_FLOWER_KEY_CT_FLAGS_TRACKED);
	put_ct(&r, 5, 0);
	put_gact(&r, TC_ACT_GOTO_CHAIN | 2);
	assert_int_equal(filter_send(&r), 0);
	/* chain 2: ct_state +trk+new ct_zone 5: ct commit zone 5, redirect to td1 */
	filter_add_init(&r, td0->dev, 2, 1);
	put_ct_state(&r, TCA_FLOWER_KEY_CT_FLAGS_TRACKED | TCA_FLOWER_KEY_CT_FLAGS_NEW,
		     TCA_FLOWER_KEY_CT_FLAGS_TRACKED | TCA_FLOWER_KEY_CT_FLAGS_NEW);
	mnl_attr_put_u16(r.nlh, TCA_FLOWER_KEY_CT_ZONE, 5);
	mnl_attr_put_u16(r.nlh, TCA_FLOWER_KEY_CT_ZONE_MASK, 0xffff);
	put_ct(&r, 5, TCA_CT_ACT_COMMIT);
	put_mirred(&r, TCA_EGRESS_REDIR, td1->dev);
	assert_int_equal(filter_send(&r), 0);
	/* chain 2: +trk+est ct_mark 0x42/0xff: mirror to td1, redirect to td1's ingress */
	filter_add_init(&r, td0->dev, 2, 2);
	put_ct_state(&r, TCA_FLOWER_KEY_CT_FLAGS_TRACKED | TCA_FLOWER_KEY_CT_FLAGS_ESTABLISHED,
		     TCA_FLOWER_KEY_CT_FLAGS_TRACKED | TCA_FLOWER_KEY_CT_FLAGS_ESTABLISHED);
	mnl_attr_put_u32(r.nlh, TCA_FLOWER_KEY_CT_MARK, 0x42);
	mnl_attr_put_u32(r.nlh, TCA_FLOWER_KEY_CT_MARK_MASK, 0xff);
	put_mirred(&r, TCA_EGRESS_MIRROR, td1->dev);
	put_mirred(&r, TCA_INGRESS_REDIR, td1->dev);
	assert_int_equal(filter_send(&r), 0);
	/* chain 3: pass, trap, and mirror to an ingress */
	filter_add_init(&r, td0->dev, 3, 1);
	put_mirred(&r, TCA_INGRESS_MIRROR, td1->dev);
	put_gact(&r, TC_ACT_TRAP);
	put_gact(&r, TC_ACT_OK);
	assert_int_equal(filter_send(&r), 0);
	assert_int_equal(calls_count(td0, FLOW_CLS_REPLACE), 4);

	c = call_find(td0, FLOW_CLS_REPLACE, 0);
	assert_int_equal(c->chain_index, 0);
	assert_keys(c->rule, BIT_ULL(FLOW_DISSECTOR_KEY_CONTROL) |
			     BIT_ULL(FLOW_DISSECTOR_KEY_BASIC) | BIT_ULL(FLOW_DISSECTOR_KEY_CT));
	flow_rule_match_ct(c->rule, &ct);
	assert_int_equal(ct.key->ct_state, 0);
	assert_int_equal(ct.mask->ct_state, TCA_FLOWER_KEY_CT_FLAGS_TRACKED);
	assert_int_equal(ct.mask->ct_zone, 0);
	assert_int_equal(c->rule->action.num_entries, 2);
	assert_int_equal(entry(c, 0)->id, FLOW_ACTION_CT);
	assert_int_equal(entry(c, 0)->ct.zone, 5);
	assert_int_equal(entry(c, 0)->ct.action, 0);
	/* the zone's flowtable, on whose block drivers will register */
	assert_non_null(entry(c, 0)->ct.flow_table);
	assert_ptr_equal(entry(c, 0)->ct.flow_table, tcf_ct_zone_flowtable(5));
	assert_int_equal(entry(c, 1)->id, FLOW_ACTION_GOTO);
	assert_int_equal(entry(c, 1)->chain_index, 2);
	/* the two actions are two tc actions */
	assert_true(entry(c, 0)->cookie != entry(c, 1)->cookie);

	c = call_find(td0, FLOW_CLS_REPLACE, 1);
	assert_int_equal(c->chain_index, 2);
	assert_int_equal(c->prio, 1);
	flow_rule_match_ct(c->rule, &ct);
	assert_int_equal(ct.key->ct_state,
			 TCA_FLOWER_KEY_CT_FLAGS_TRACKED | TCA_FLOWER_KEY_CT_FLAGS_NEW);
	assert_int_equal(ct.mask->ct_state,
			 TCA_FLOWER_KEY_CT_FLAGS_TRACKED | TCA_FLOWER_KEY_CT_FLAGS_NEW);
	assert_int_equal(ct.key->ct_zone, 5);
	assert_int_equal(ct.mask->ct_zone, 0xffff);
	assert_int_equal(entry(c, 0)->id, FLOW_ACTION_CT);
	assert_int_equal(entry(c, 0)->ct.zone, 5);
	assert_int_equal(entry(c, 0)->ct.action, TCA_CT_ACT_COMMIT);
	assert_int_equal(entry(c, 1)->id, FLOW_ACTION_REDIRECT);
	assert_ptr_equal(entry(c, 1)->dev, td1->dev);

	c = call_find(td0, FLOW_CLS_REPLACE, 2);
	assert_int_equal(c->prio, 2);
	flow_rule_match_ct(c->rule, &ct);
	assert_int_equal(ct.key->ct_mark, 0x42);
	assert_int_equal(ct.mask->ct_mark, 0xff);
	assert_int_equal(ct.mask->ct_labels[0], 0);
	assert_int_equal(entry(c, 0)->id, FLOW_ACTION_MIRRED);
	assert_ptr_equal(entry(c, 0)->dev, td1->dev);
	assert_int_equal(entry(c, 1)->id, FLOW_ACTION_REDIRECT_INGRESS);
	assert_ptr_equal(entry(c, 1)->dev, td1->dev);

	c = call_find(td0, FLOW_CLS_REPLACE, 3);
	assert_int_equal(c->chain_index, 3);
	assert_keys(c->rule, BIT_ULL(FLOW_DISSECTOR_KEY_CONTROL) | BIT_ULL(FLOW_DISSECTOR_KEY_BASIC));
	assert_int_equal(c->rule->action.num_entries, 3);
	assert_int_equal(entry(c, 0)->id, FLOW_ACTION_MIRRED_INGRESS);
	assert_int_equal(entry(c, 1)->id, FLOW_ACTION_TRAP);
	assert_int_equal(entry(c, 2)->id, FLOW_ACTION_ACCEPT);

	assert_int_equal(td0->nr_rules, 4);
	qdisc_del(td0->dev);
	assert_int_equal(calls_count(td0, FLOW_CLS_DESTROY), 4);
}

/* verdicts no hardware runs: software only, or an error for skip_sw */
static void test_unsupported_actions(void **state)
{
	static const struct {
		int verdict;
		const char *msg;
	} cases[] = {
		{ TC_ACT_UNSPEC, "Offload of \"continue\" action is not supported" },
		{ TC_ACT_RECLASSIFY, "Offload of \"reclassify\" action is not supported" },
		{ TC_ACT_PIPE, "Offload of \"pipe\" action is not supported" },
		{ TC_ACT_STOLEN, "Unsupported generic action offload" },
		{ TC_ACT_JUMP | 1, "Unsupported generic action offload" },
	};
	struct dumped_filter df;
	unsigned int i;
	struct req r;

	(void)state;
	assert_int_equal(qdisc_add(td0->dev, "ingress", 0), 0);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		filter_add_init(&r, td0->dev, 0, 1);
		put_flags(&r, TCA_CLS_FLAGS_SKIP_SW);
		put_gact(&r, cases[i].verdict);
		assert_int_equal(filter_send(&r), -EOPNOTSUPP);
		assert_non_null(r.extack._msg);
		assert_string_equal(r.extack._msg, cases[i].msg);

		filter_add_init(&r, td0->dev, 0, 1);
		put_gact(&r, cases[i].verdict);
		assert_int_equal(filter_send(&r), 0);
		filter_dump(td0->dev, 0, 1, 1, &df);
		assert_int_equal(df.flags, TCA_CLS_FLAGS_NOT_IN_HW);
		assert_int_equal(df.in_hw_count, 0);
		filter_del(td0->dev, 0, 0, 1, 1);
	}
	/*
	 * Never offered.  (The driver still gets DESTROY and STATS for
	 * them, for cookies it does not know, as from Linux.)
	 */
	assert_int_equal(calls_count(td0, FLOW_CLS_REPLACE), 0);
	assert_int_equal(td0->nr_rules, 0);
	qdisc_del(td0->dev);
}

/* skip_sw stands only where every callback takes the filter */
static void test_skip_sw(void **state)
{
	struct dumped_filter df;
	struct td_call *c;
	struct req r;

	(void)state;
	assert_int_equal(qdisc_add(td0->dev, "ingress", 0), 0);

	filter_add_init(&r, td0->dev, 0, 1);
	put_flags(&r, TCA_CLS_FLAGS_SKIP_SW);
	put_gact(&r, TC_ACT_SHOT);
	assert_int_equal(filter_send(&r), 0);
	c = call_find(td0, FLOW_CLS_REPLACE, 0);
	assert_non_null(c);
	/* skip_sw: the driver's refusal would be the user's error, so it gets extack */
	assert_true(c->extack);
	filter_dump(td0->dev, 0, 1, 1, &df);
	assert_int_equal(df.flags, TCA_CLS_FLAGS_SKIP_SW | TCA_CLS_FLAGS_IN_HW);
	assert_int_equal(df.in_hw_count, 1);

	/* the driver refuses: skip_sw fails with its error, plain filters stay in software */
	td0->replace_err = -EOPNOTSUPP;
	calls_reset();
	filter_add_init(&r, td0->dev, 0, 2);
	put_flags(&r, TCA_CLS_FLAGS_SKIP_SW);
	put_gact(&r, TC_ACT_SHOT);
	assert_int_equal(filter_send(&r), -EOPNOTSUPP);
	assert_int_equal(calls_count(td0, FLOW_CLS_REPLACE), 1);
	/* withdrawn from every callback, in case one before the refusal took it */
	assert_true(calls_count(td0, FLOW_CLS_DESTROY) >= 1);
	assert_int_equal(calls[nr_calls - 1].command, FLOW_CLS_DESTROY);
	assert_int_equal(calls[nr_calls - 1].cookie, calls[0].cookie);
	filter_dump(td0->dev, 0, 2, 1, &df);
	assert_false(df.found);

	filter_add_init(&r, td0->dev, 0, 2);
	put_gact(&r, TC_ACT_SHOT);
	assert_int_equal(filter_send(&r), 0);
	filter_dump(td0->dev, 0, 2, 1, &df);
	assert_true(df.found);
	assert_int_equal(df.flags, TCA_CLS_FLAGS_NOT_IN_HW);
	assert_int_equal(df.in_hw_count, 0);
	td0->replace_err = 0;
	assert_int_equal(td0->nr_rules, 1);
	qdisc_del(td0->dev);
}

/* skip_hw filters never reach a driver */
static void test_skip_hw(void **state)
{
	struct dumped_filter df;
	struct req r;

	(void)state;
	assert_int_equal(qdisc_add(td0->dev, "ingress", 0), 0);
	filter_add_init(&r, td0->dev, 0, 1);
	put_flags(&r, TCA_CLS_FLAGS_SKIP_HW);
	put_gact(&r, TC_ACT_SHOT);
	assert_int_equal(filter_send(&r), 0);
	filter_dump(td0->dev, 0, 1, 1, &df);
	assert_int_equal(df.flags, TCA_CLS_FLAGS_SKIP_HW | TCA_CLS_FLAGS_NOT_IN_HW);
	assert_int_equal(df.in_hw_count, 0);
	filter_del(td0->dev, 0, 0, 1, 1);
	qdisc_del(td0->dev);
	assert_int_equal(nr_calls, 0);
}

/* hardware counters show up in the actions' stats, added to on every dump */
static void test_stats(void **state)
{
	struct dumped_filter df;
	struct td_call *c;
	struct req r;
	int i;

	(void)state;
	assert_int_equal(qdisc_add(td0->dev, "ingress", 0), 0);
	filter_add_init(&r, td0->dev, 0, 1);
	put_mirred(&r, TCA_EGRESS_MIRROR, td1->dev);
	put_gact(&r, TC_ACT_SHOT);
	assert_int_equal(filter_send(&r), 0);

	td0->stats.bytes = 1500;
	td0->stats.pkts = 10;
	td0->stats.lastused = jiffies_ms();
	filter_dump(td0->dev, 0, 1, 1, &df);
	c = call_find(td0, FLOW_CLS_STATS, 0);
	assert_non_null(c);
	assert_int_equal(c->cookie, call_find(td0, FLOW_CLS_REPLACE, 0)->cookie);
	assert_int_equal(df.nr_acts, 2);
	for (i = 0; i < 2; i++) {
		assert_int_equal(df.acts[i].basic.bytes, 1500);
		assert_int_equal(df.acts[i].basic.packets, 10);
		assert_int_equal(df.acts[i].basic_hw.bytes, 1500);
		assert_int_equal(df.acts[i].basic_hw.packets, 10);
		assert_true(df.acts[i].used_hw_stats_valid);
		assert_int_equal(df.acts[i].used_hw_stats, TCA_ACT_HW_STATS_DELAYED);
	}
	assert_string_equal(df.acts[0].kind, "mirred");
	assert_int_equal(df.acts[0].queue.drops, 0);
	/* what a drop action let through hardware was dropped */
	assert_string_equal(df.acts[1].kind, "gact");
	assert_int_equal(df.acts[1].queue.drops, 10);

	/* drivers answer with what happened since they were last asked */
	td0->stats.bytes = 300;
	td0->stats.pkts = 2;
	filter_dump(td0->dev, 0, 1, 1, &df);
	assert_int_equal(df.acts[0].basic.bytes, 1800);
	assert_int_equal(df.acts[0].basic.packets, 12);
	assert_int_equal(df.acts[0].basic_hw.bytes, 1800);
	assert_int_equal(df.acts[1].queue.drops, 12);
	filter_dump(td0->dev, 0, 1, 1, &df);
	assert_int_equal(df.acts[1].basic_hw.packets, 12);
	qdisc_del(td0->dev);
}

/* replace offers the new filter, then withdraws the old; delete withdraws */
static void test_replace_delete(void **state)
{
	struct td_call *add, *repl, *del;
	struct dumped_filter df;
	struct req r;

	(void)state;
	assert_int_equal(qdisc_add(td0->dev, "ingress", 0), 0);
	filter_add_init(&r, td0->dev, 0, 1);
	mnl_attr_put_u32(r.nlh, TCA_FLOWER_KEY_IPV4_DST, ip4("10.0.0.2"));
	put_gact(&r, TC_ACT_SHOT);
	assert_int_equal(filter_send(&r), 0);
	filter_init(&r, RTM_NEWTFILTER, NLM_F_CREATE, td0->dev, 0, 0, 1, 1);
	mnl_attr_put_u32(r.nlh, TCA_FLOWER_KEY_IPV4_DST, ip4("10.0.0.2"));
	put_mirred(&r, TCA_EGRESS_REDIR, td1->dev);
	assert_int_equal(filter_send(&r), 0);

	add = call_find(td0, FLOW_CLS_REPLACE, 0);
	repl = call_find(td0, FLOW_CLS_REPLACE, 1);
	del = call_find(td0, FLOW_CLS_DESTROY, 0);
	assert_non_null(repl);
	assert_non_null(del);
	assert_true(repl < del);
	assert_true(repl->cookie != add->cookie);
	assert_int_equal(del->cookie, add->cookie);
	assert_int_equal(entry(repl, 0)->id, FLOW_ACTION_REDIRECT);
	assert_int_equal(td0->nr_rules, 1);
	assert_int_equal(td0->rules[0], repl->cookie);
	filter_dump(td0->dev, 0, 1, 1, &df);
	assert_int_equal(df.flags, TCA_CLS_FLAGS_IN_HW);
	assert_int_equal(df.in_hw_count, 1);

	filter_del(td0->dev, 0, 0, 1, 1);
	del = call_find(td0, FLOW_CLS_DESTROY, 1);
	assert_non_null(del);
	assert_int_equal(del->cookie, repl->cookie);
	assert_int_equal(td0->nr_rules, 0);

	/* deleting a whole prio withdraws its filters too */
	filter_add_init(&r, td0->dev, 0, 1);
	put_gact(&r, TC_ACT_SHOT);
	assert_int_equal(filter_send(&r), 0);
	assert_int_equal(td0->nr_rules, 1);
	filter_del(td0->dev, 0, 0, 1, 0);
	assert_int_equal(td0->nr_rules, 0);
	qdisc_del(td0->dev);
}

/* a device leaving the block takes the filters back out of its hardware */
static void test_unbind_withdraws(void **state)
{
	struct req r;

	(void)state;
	assert_int_equal(qdisc_add(td0->dev, "ingress", 0), 0);
	filter_add_init(&r, td0->dev, 0, 1);
	put_gact(&r, TC_ACT_SHOT);
	assert_int_equal(filter_send(&r), 0);
	filter_add_init(&r, td0->dev, 4, 7);
	put_gact(&r, TC_ACT_TRAP);
	assert_int_equal(filter_send(&r), 0);
	assert_int_equal(td0->nr_rules, 2);
	calls_reset();
	qdisc_del(td0->dev);
	assert_int_equal(calls_count(td0, FLOW_CLS_DESTROY), 2);
	assert_int_equal(td0->nr_rules, 0);
	assert_int_equal(nr_bound(), 0);
}

/* a shared block: each device's callback counts; joining replays, leaving withdraws */
static void test_shared_block(void **state)
{
	struct dumped_filter df;
	struct req r;

	(void)state;
	assert_int_equal(qdisc_add(td0->dev, "ingress", 7), 0);
	assert_int_equal(qdisc_add(td1->dev, "ingress", 7), 0);
	filter_init(&r, RTM_NEWTFILTER, NLM_F_CREATE | NLM_F_EXCL, NULL, 7, 0, 1, 0);
	put_gact(&r, TC_ACT_SHOT);
	assert_int_equal(filter_send(&r), 0);
	assert_int_equal(calls_count(td0, FLOW_CLS_REPLACE), 1);
	assert_int_equal(calls_count(td1, FLOW_CLS_REPLACE), 1);
	filter_dump(NULL, 7, 1, 1, &df);
	assert_int_equal(df.flags, TCA_CLS_FLAGS_IN_HW);
	assert_int_equal(df.in_hw_count, 2);

	/* a device that cannot offload may not join while filters are in hardware */
	assert_int_equal(qdisc_add(plain0, "ingress", 7), -EOPNOTSUPP);

	/* td1 leaves: its copy goes */
	qdisc_del(td1->dev);
	assert_int_equal(calls_count(td1, FLOW_CLS_DESTROY), 1);
	assert_int_equal(td1->nr_rules, 0);
	filter_dump(NULL, 7, 1, 1, &df);
	assert_int_equal(df.in_hw_count, 1);

	/* td2 joins: it gets the block's filters */
	assert_int_equal(qdisc_add(td2->dev, "ingress", 7), 0);
	assert_int_equal(calls_count(td2, FLOW_CLS_REPLACE), 1);
	assert_int_equal(call_find(td2, FLOW_CLS_REPLACE, 0)->cookie,
			 call_find(td0, FLOW_CLS_REPLACE, 0)->cookie);
	assert_int_equal(entry(call_find(td2, FLOW_CLS_REPLACE, 0), 0)->id, FLOW_ACTION_DROP);
	filter_dump(NULL, 7, 1, 1, &df);
	assert_int_equal(df.in_hw_count, 2);

	/* a device that refuses everything leaves skip_sw filters out of the block */
	filter_del(NULL, 7, 0, 1, 1);
	assert_int_equal(qdisc_add(plain0, "ingress", 7), 0);
	filter_init(&r, RTM_NEWTFILTER, NLM_F_CREATE | NLM_F_EXCL, NULL, 7, 0, 1, 0);
	put_flags(&r, TCA_CLS_FLAGS_SKIP_SW);
	put_gact(&r, TC_ACT_SHOT);
	assert_int_equal(filter_send(&r), -EOPNOTSUPP);
	qdisc_del(plain0);

	qdisc_del(td0->dev);
	qdisc_del(td2->dev);
}

/* a chain template is a hint to drivers: created and destroyed with the chain */
static void test_template(void **state)
{
	struct flow_match_ipv4_addrs ipv4;
	struct td_call *c;
	struct tcmsg *t;
	struct nlattr *opts;
	struct req r;

	(void)state;
	assert_int_equal(qdisc_add(td0->dev, "ingress", 0), 0);
	t = req_init(&r, RTM_NEWCHAIN, NLM_F_CREATE | NLM_F_EXCL, td0->dev->ifindex,
		     TC_INGRESS_PARENT);
	t->tcm_info = TC_H_MAKE(0, htons(ETH_P_ALL));
	mnl_attr_put_u32(r.nlh, TCA_CHAIN, 5);
	mnl_attr_put_strz(r.nlh, TCA_KIND, "flower");
	opts = mnl_attr_nest_start(r.nlh, TCA_OPTIONS);
	mnl_attr_put_u16(r.nlh, TCA_FLOWER_KEY_ETH_TYPE, htons(ETH_P_IP));
	mnl_attr_put_u32(r.nlh, TCA_FLOWER_KEY_IPV4_DST, 0);
	mnl_attr_put_u32(r.nlh, TCA_FLOWER_KEY_IPV4_DST_MASK, ip4("255.255.255.0"));
	mnl_attr_nest_end(r.nlh, opts);
	assert_int_equal(req_send(&r, NULL), 0);

	c = call_find(td0, FLOW_CLS_TMPLT_CREATE, 0);
	assert_non_null(c);
	assert_int_equal(c->chain_index, 5);
	assert_true(flow_rule_match_key(c->rule, FLOW_DISSECTOR_KEY_IPV4_ADDRS));
	flow_rule_match_ipv4_addrs(c->rule, &ipv4);
	assert_int_equal(ipv4.mask->dst, ip4("255.255.255.0"));

	t = req_init(&r, RTM_DELCHAIN, 0, td0->dev->ifindex, TC_INGRESS_PARENT);
	mnl_attr_put_u32(r.nlh, TCA_CHAIN, 5);
	assert_int_equal(req_send(&r, NULL), 0);
	c = call_find(td0, FLOW_CLS_TMPLT_DESTROY, 0);
	assert_non_null(c);
	assert_int_equal(c->cookie, call_find(td0, FLOW_CLS_TMPLT_CREATE, 0)->cookie);
	qdisc_del(td0->dev);
}

/* ---- what the real tc prints ---- */

/* the plain build's shim: instrumented code cannot be preloaded into tc */
static bool find_shim(char *path, size_t size)
{
	char exe[PATH_MAX], *dir;

	if (!realpath("/proc/self/exe", exe))
		return false;
	for (dir = dirname(exe); strcmp(dir, "/"); dir = dirname(dir)) {
		if (!strcmp(basename(dir), "build")) {
			snprintf(path, size, "%s/libctoffload-nlshim.so", dir);
			return !access(path, R_OK);
		}
	}
	return false;
}

/* run "tc ARGS" through the shim against our server; its output in buf */
static int run_tc(const char *sock, const char *shim, char *const argv[], char *buf,
		  size_t size)
{
	char env_sock[PATH_MAX + 32], env_preload[PATH_MAX + 32], out_path[] = "/tmp/tcoutXXXXXX";
	char *envp[] = { env_sock, env_preload, "PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL };
	posix_spawn_file_actions_t fa;
	int fd, status, err;
	ssize_t n;
	pid_t pid;

	snprintf(env_sock, sizeof(env_sock), "CTOFFLOAD_SOCK=%s", sock);
	snprintf(env_preload, sizeof(env_preload), "LD_PRELOAD=%s", shim);
	fd = mkstemp(out_path);
	assert_true(fd >= 0);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fd, 1);
	posix_spawn_file_actions_adddup2(&fa, fd, 2);
	err = posix_spawnp(&pid, "tc", &fa, NULL, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	if (err) {
		close(fd);
		unlink(out_path);
		return -err;
	}
	while (waitpid(pid, &status, WNOHANG) == 0)
		assert_true(nl_server_poll(10) >= 0);
	n = pread(fd, buf, size - 1, 0);
	buf[n > 0 ? n : 0] = 0;
	close(fd);
	unlink(out_path);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_tc_prints(void **state)
{
	char shim[PATH_MAX], sock[64], out[8192], expected[2048];
	struct nl_server_config cfg = { .path = sock };
	char *argv[] = { "tc", "-s", "filter", "show", "dev", "td0", "ingress", NULL };
	struct req r;
	int rc;

	(void)state;
	if (!find_shim(shim, sizeof(shim)))
		skip();
	snprintf(sock, sizeof(sock), "/tmp/test_flow_offload.%d.sock", getpid());
	nl_server_register_protocol(NETLINK_ROUTE, rtnetlink_rcv_msg, rtnetlink_is_dump);
	assert_int_equal(nl_server_start(&cfg), 0);

	assert_int_equal(qdisc_add(td0->dev, "ingress", 0), 0);
	filter_add_init(&r, td0->dev, 0, 1);
	mnl_attr_put_u32(r.nlh, TCA_FLOWER_KEY_IPV4_DST, ip4("10.0.0.2"));
	put_gact(&r, TC_ACT_SHOT);
	assert_int_equal(filter_send(&r), 0);
	td0->stats.bytes = 1500;
	td0->stats.pkts = 10;
	td0->stats.lastused = jiffies_ms();

	rc = run_tc(sock, shim, argv, out, sizeof(out));
	if (rc == -ENOENT) {
		qdisc_del(td0->dev);
		nl_server_cleanup();
		skip();
	}
	if (rc)
		print_message("%s", out);
	assert_int_equal(rc, 0);
	/* iproute2 6.1's text for an offloaded filter with hardware counters */
	snprintf(expected, sizeof(expected),
		 "filter protocol ip pref 1 flower chain 0 \n"
		 "filter protocol ip pref 1 flower chain 0 handle 0x1 \n"
		 "  eth_type ipv4\n"
		 "  dst_ip 10.0.0.2\n"
		 "  in_hw in_hw_count 1\n");
	if (!strstr(out, expected) ||
	    !strstr(out, "\tAction statistics:\n"
			 "\tSent 1500 bytes 10 pkt (dropped 10, overlimits 0 requeues 0) \n"
			 "\tSent software 0 bytes 0 pkt\n"
			 "\tSent hardware 1500 bytes 10 pkt\n"
			 "\tbacklog 0b 0p requeues 0\n"
			 "\tused_hw_stats delayed\n"))
		fail_msg("tc printed:\n%s", out);
	qdisc_del(td0->dev);
	nl_server_cleanup();
	unlink(sock);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bind_unbind, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replace_match, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ct_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unsupported_actions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_skip_sw, setup, teardown),
		cmocka_unit_test_setup_teardown(test_skip_hw, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stats, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replace_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unbind_withdraws, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shared_block, setup, teardown),
		cmocka_unit_test_setup_teardown(test_template, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tc_prints, setup, teardown),
	};

	rcu_register_thread();
	td0 = td_new("td0");
	td1 = td_new("td1");
	td2 = td_new("td2");
	plain0 = dev_new("plain0", &plain_ops);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
