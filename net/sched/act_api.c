// SPDX-License-Identifier: GPL-2.0
/*
 * tc actions (net/sched/act_api.c): kinds register a struct
 * tc_action_ops; instances are kept per kind in index order so filters
 * and `tc actions` can share them (refcnt counts holders, bindcnt counts
 * filters).  This file also runs a filter's action list on a packet and
 * answers RTM_{NEW,DEL,GET}ACTION.
 */
#include <stdio.h>
#include <linux/slab.h>
#include <linux/jiffies.h>
#include <net/act_api.h>
#include <net/pkt_cls.h>
#include <net/pkt_trace.h>

struct tc_action_kind {
	struct tc_action_ops *ops;
	struct tcf_idrinfo idr;
};

#define TC_ACTION_KINDS_MAX	32
static struct tc_action_kind act_kinds[TC_ACTION_KINDS_MAX];
static int act_nkinds;

int tcf_register_action(struct tc_action_ops *ops)
{
	struct tc_action_kind *k;

	if (act_nkinds == TC_ACTION_KINDS_MAX)
		return -ENOSPC;
	k = &act_kinds[act_nkinds++];
	k->ops = ops;
	idr_init(&k->idr.action_idr);
	return 0;
}

/*
 * dev is going away: every action that points at it lets go (mirred
 * keeps its place in the filter and drops what it would have sent, as
 * mirred_device_event() leaves it in Linux).  Under rtnl.
 */
void tcf_action_dev_unregister(struct net_device *dev)
{
	struct tc_action *a;
	unsigned long index;
	int i;

	for (i = 0; i < act_nkinds; i++) {
		if (!act_kinds[i].ops->dev_unregister)
			continue;
		idr_for_each_entry_ul(&act_kinds[i].idr.action_idr, a, index)
			act_kinds[i].ops->dev_unregister(a, dev);
	}
}

/* the kind named by a TCA_ACT_KIND attribute; NULL if absent or unknown */
static struct tc_action_kind *tc_lookup_action(const struct nlattr *kind_attr)
{
	char kind[IFNAMSIZ];
	int i;

	if (!kind_attr)
		return NULL;
	nla_strscpy(kind, kind_attr, sizeof(kind));
	for (i = 0; i < act_nkinds; i++)
		if (!strcmp(act_kinds[i].ops->kind, kind))
			return &act_kinds[i];
	return NULL;
}

static struct tcf_idrinfo *ops_idr(const struct tc_action_ops *ops)
{
	int i;

	for (i = 0; i < act_nkinds; i++)
		if (act_kinds[i].ops == ops)
			return &act_kinds[i].idr;
	return NULL;
}

static struct tc_action *tcf_idr_find(struct tcf_idrinfo *idr, u32 index)
{
	return idr_find(&idr->action_idr, index);
}

/*
 * Find the action with *index (and take a reference), or reserve a new
 * index: returns 1 with *a set for an existing action, 0 when the caller
 * must create one with tcf_idr_create(), or -errno.
 */
int tcf_idr_check_alloc(const struct tc_action_ops *ops, u32 *index,
			struct tc_action **a, int bind)
{
	struct tcf_idrinfo *idr = ops_idr(ops);
	struct tc_action *p;

	if (*index) {
		p = tcf_idr_find(idr, *index);
		if (p) {
			if (bind)
				p->tcfa_bindcnt++;
			refcount_inc(&p->tcfa_refcnt);
			*a = p;
			return 1;
		}
		*a = NULL;
		return 0;
	}
	/*
	 * The lowest free index from 1, as the kernel's idr_alloc_u32().  The
	 * slot is not kept: the action is stored by tcf_idr_insert() once it
	 * exists, and nothing else allocates in between (rtnl is held).
	 */
	*index = 1;
	if (idr_alloc_u32(&idr->action_idr, ERR_PTR(-EBUSY), index, INT32_MAX, GFP_KERNEL))
		return -ENOSPC;
	idr_remove(&idr->action_idr, *index);
	*a = NULL;
	return 0;
}

int tcf_idr_create(const struct tc_action_ops *ops, u32 index,
		   struct tc_action **a, int bind, u32 flags)
{
	struct tc_action *p = kzalloc(ops->size, GFP_KERNEL);

	if (!p)
		return -ENOMEM;
	p->cpu_stats = alloc_percpu(struct tc_action_stats);
	if (!p->cpu_stats) {
		kfree(p);
		return -ENOMEM;
	}
	p->ops = ops;
	p->idrinfo = ops_idr(ops);
	p->tcfa_index = index;
	refcount_set(&p->tcfa_refcnt, 1);
	p->tcfa_bindcnt = bind ? 1 : 0;
	p->tcfa_flags = flags & (TCA_ACT_FLAGS_NO_PERCPU_STATS | TCA_ACT_FLAGS_SKIP_HW |
				 TCA_ACT_FLAGS_SKIP_SW);
	p->tcfa_tm.install = p->tcfa_tm.lastuse = jiffies_ms();
	p->hw_stats = TCA_ACT_HW_STATS_ANY;
	*a = p;
	return 0;
}

void tcf_idr_cleanup(const struct tc_action_ops *ops, u32 index)
{
	(void)ops;
	(void)index;	/* indexes are reserved only by insertion */
}

int tcf_idr_insert(struct tc_action *a)
{
	u32 index = a->tcfa_index;

	return idr_alloc_u32(&a->idrinfo->action_idr, a, &index, index, GFP_KERNEL);
}

static void tcf_action_free_rcu(struct rcu_head *head)
{
	struct tc_action *a = container_of(head, struct tc_action, tcfa_rcu);

	kfree(a->cookie);
	free_percpu(a->cpu_stats);
	kfree(a);
}

static void tcf_action_cleanup(struct tc_action *a)
{
	/* an action whose creation failed was never inserted */
	if (tcf_idr_find(a->idrinfo, a->tcfa_index) == a)
		idr_remove(&a->idrinfo->action_idr, a->tcfa_index);
	if (a->ops->cleanup)
		a->ops->cleanup(a);
	if (a->goto_chain)
		tcf_chain_put_by_act(a->goto_chain);
	call_rcu(&a->tcfa_rcu, tcf_action_free_rcu);
}

void tcf_idr_release(struct tc_action *a, bool bind)
{
	if (!a)
		return;
	if (bind)
		a->tcfa_bindcnt--;
	if (refcount_dec_and_test(&a->tcfa_refcnt))
		tcf_action_cleanup(a);
}

int tcf_action_check_ctrlact(int action, struct tcf_proto *tp,
			     struct tcf_chain **newchain, struct netlink_ext_ack *extack)
{
	int opcode = TC_ACT_EXT_OPCODE(action), ret = -EINVAL;

	if (!opcode)
		ret = action > TC_ACT_VALUE_MAX ? -EINVAL : 0;
	else if (opcode <= TC_ACT_EXT_OPCODE_MAX || action == TC_ACT_UNSPEC)
		ret = 0;
	if (ret) {
		NL_SET_ERR_MSG(extack, "invalid control action");
		return ret;
	}
	if (TC_ACT_EXT_CMP(action, TC_ACT_GOTO_CHAIN)) {
		if (!tp || !newchain) {
			NL_SET_ERR_MSG(extack, "can't goto NULL proto/chain");
			return -EINVAL;
		}
		*newchain = tcf_chain_get_by_act(tp->chain->block,
						 action & TC_ACT_EXT_VAL_MASK);
		if (!*newchain) {
			NL_SET_ERR_MSG(extack, "can't allocate goto_chain");
			return -ENOMEM;
		}
	}
	return 0;
}

/* returns the chain the action held before, for the caller to put */
struct tcf_chain *tcf_action_set_ctrlact(struct tc_action *a, int action,
					 struct tcf_chain *newchain)
{
	struct tcf_chain *old = a->goto_chain;

	a->tcfa_action = action;
	rcu_assign_pointer(a->goto_chain, newchain);
	return old;
}

/* ---- the packet path ---- */

static void tcf_action_goto_chain_exec(const struct tc_action *a, struct tcf_result *res)
{
	const struct tcf_chain *chain = rcu_dereference(a->goto_chain);

	res->goto_tp = rcu_dereference(chain->filter_chain);
}

/* a verdict as tc prints it */
static const char *tcf_action_result_name(int ret, char *buf, size_t size)
{
	static const char *const names[] = {
		[TC_ACT_OK] = "ok", [TC_ACT_RECLASSIFY] = "reclassify", [TC_ACT_SHOT] = "shot",
		[TC_ACT_PIPE] = "pipe", [TC_ACT_STOLEN] = "stolen", [TC_ACT_QUEUED] = "queued",
		[TC_ACT_REPEAT] = "repeat", [TC_ACT_REDIRECT] = "redirect", [TC_ACT_TRAP] = "trap",
	};

	if (TC_ACT_EXT_CMP(ret, TC_ACT_GOTO_CHAIN))
		snprintf(buf, size, "goto chain %u", ret & TC_ACT_EXT_VAL_MASK);
	else if (TC_ACT_EXT_CMP(ret, TC_ACT_JUMP))
		snprintf(buf, size, "jump %u", ret & TC_ACT_EXT_VAL_MASK);
	else if (ret == TC_ACT_UNSPEC)
		snprintf(buf, size, "continue");
	else if (ret >= 0 && ret < (int)ARRAY_SIZE(names) && names[ret])
		snprintf(buf, size, "%s", names[ret]);
	else
		snprintf(buf, size, "%d", ret);
	return buf;
}

void tcf_action_trace(struct pkt_trace *t, const struct tc_action *a, int ret)
{
	char result[32], details[256] = "";

	if (a->ops->trace)
		a->ops->trace(a, details, sizeof(details));
	__pkt_trace(t, "tc_action", "\"kind\":\"%s\",\"index\":%u,\"result\":\"%s\"%s",
		    a->ops->kind, a->tcfa_index, tcf_action_result_name(ret, result, sizeof(result)),
		    details);
}

int tcf_action_exec(struct sk_buff *skb, struct tc_action **actions,
		    int nr_actions, struct tcf_result *res)
{
	/* the skb may be gone when an action returns (mirred redirect) */
	struct pkt_trace *trace = skb->trace;
	u32 jmp_prgcnt = 0, jmp_ttl = TCA_ACT_MAX_PRIO;
	int i, ret = TC_ACT_OK;

restart_act_graph:
	for (i = 0; i < nr_actions; i++) {
		const struct tc_action *a = actions[i];
		int repeat_ttl = 32;

		if (jmp_prgcnt > 0) {
			jmp_prgcnt--;
			continue;
		}
		if (a->tcfa_flags & TCA_ACT_FLAGS_SKIP_SW)
			continue;
repeat:
		ret = a->ops->act(skb, a, res);
		if (unlikely(ret == TC_ACT_REPEAT)) {
			if (--repeat_ttl)
				goto repeat;
			return TC_ACT_OK;
		}
		if (unlikely(trace) && !a->ops->trace_own)
			tcf_action_trace(trace, a, ret);
		if (TC_ACT_EXT_CMP(ret, TC_ACT_JUMP)) {
			jmp_prgcnt = ret & TCA_ACT_MAX_PRIO_MASK;
			/* a jump out of the list or a loop ends the pipeline */
			if (!jmp_prgcnt || jmp_prgcnt > (u32)nr_actions || !--jmp_ttl)
				return TC_ACT_OK;
			goto restart_act_graph;
		} else if (TC_ACT_EXT_CMP(ret, TC_ACT_GOTO_CHAIN)) {
			if (unlikely(!rcu_dereference(a->goto_chain)))
				return TC_ACT_SHOT;
			tcf_action_goto_chain_exec(a, res);
		}
		if (ret != TC_ACT_PIPE)
			break;
	}
	return ret;
}

/* ---- netlink: creating actions ---- */

static const struct nla_policy tcf_action_policy[TCA_ACT_MAX + 1] = {
	[TCA_ACT_KIND] = { .type = NLA_STRING },
	[TCA_ACT_INDEX] = { .type = NLA_U32 },
	[TCA_ACT_COOKIE] = { .type = NLA_BINARY, .len = TC_COOKIE_MAX_SIZE },
	[TCA_ACT_OPTIONS] = { .type = NLA_NESTED },
	[TCA_ACT_FLAGS] = { .type = NLA_BITFIELD32,
			    .valid = TCA_ACT_FLAGS_NO_PERCPU_STATS | TCA_ACT_FLAGS_SKIP_HW |
				     TCA_ACT_FLAGS_SKIP_SW },
	[TCA_ACT_HW_STATS] = { .type = NLA_BITFIELD32, .valid = TCA_ACT_HW_STATS_ANY },
};

static struct tc_action *tcf_action_init_1(struct tcf_proto *tp, struct nlattr *nla,
					   u32 flags, int *init_res,
					   struct netlink_ext_ack *extack)
{
	struct nlattr *tb[TCA_ACT_MAX + 1];
	struct tc_action_kind *k;
	struct tc_action *a = NULL;
	u32 uflags = 0;
	int err;

	err = nla_parse_nested(tb, TCA_ACT_MAX, nla, tcf_action_policy, extack);
	if (err < 0)
		return ERR_PTR(err);
	if (!tb[TCA_ACT_KIND]) {
		NL_SET_ERR_MSG(extack, "TC action kind must be specified");
		return ERR_PTR(-EINVAL);
	}
	k = tc_lookup_action(tb[TCA_ACT_KIND]);
	if (!k) {
		NL_SET_ERR_MSG(extack, "Failed to load TC action module");
		return ERR_PTR(-ENOENT);
	}
	if (tb[TCA_ACT_FLAGS])
		uflags = ((const u32 *)nla_data(tb[TCA_ACT_FLAGS]))[0];
	if (!tb[TCA_ACT_OPTIONS]) {
		NL_SET_ERR_MSG(extack, "Must specify action options");
		return ERR_PTR(-EINVAL);
	}
	err = k->ops->init(tb[TCA_ACT_OPTIONS], &a, tp, flags | uflags, extack);
	if (err < 0)
		return ERR_PTR(err);
	if (tb[TCA_ACT_COOKIE] && nla_len(tb[TCA_ACT_COOKIE])) {
		kfree(a->cookie);
		a->cookie_len = nla_len(tb[TCA_ACT_COOKIE]);
		a->cookie = kmemdup(nla_data(tb[TCA_ACT_COOKIE]), a->cookie_len, GFP_KERNEL);
	}
	if (tb[TCA_ACT_HW_STATS])
		a->hw_stats = ((const u32 *)nla_data(tb[TCA_ACT_HW_STATS]))[0];
	if (err == ACT_P_CREATED) {
		int ierr = tcf_idr_insert(a);

		if (ierr) {
			tcf_idr_release(a, flags & TCA_ACT_FLAGS_BIND);
			return ERR_PTR(ierr);
		}
	}
	*init_res = err;
	return a;
}

/*
 * Parse a TCA_ACT_TAB-like nest (1..TCA_ACT_MAX_PRIO) into actions[];
 * init_res[i] is ACT_P_CREATED for a new action, 0 for an existing one
 * (which the caller holds one more reference on).
 */
static int tcf_action_init(struct tcf_proto *tp, struct nlattr *nla,
			   struct tc_action **actions, int *init_res, u32 flags,
			   struct netlink_ext_ack *extack)
{
	struct nlattr *tb[TCA_ACT_MAX_PRIO + 1];
	int i, n = 0, err;

	err = nla_parse_nested(tb, TCA_ACT_MAX_PRIO, nla, NULL, extack);
	if (err < 0)
		return err;
	for (i = 1; i <= TCA_ACT_MAX_PRIO && tb[i]; i++) {
		struct tc_action *a = tcf_action_init_1(tp, tb[i], flags, &init_res[n], extack);

		if (IS_ERR(a)) {
			err = PTR_ERR(a);
			goto err;
		}
		actions[n++] = a;
	}
	return n;
err:
	while (n--)
		tcf_idr_release(actions[n], flags & TCA_ACT_FLAGS_BIND);
	return err;
}

/* ---- netlink: dumping actions ---- */

/*
 * Linux nests action lists without NLA_F_NESTED (nla_nest_start_noflag):
 * tc parses the top level of RTM_*ACTION messages without masking flags,
 * so a flagged TCA_ACT_TAB would be invisible to it.
 */

/*
 * An age in clock_t, never 0: tc hides a zero install/lastuse field, and on
 * Linux a dump always comes some jiffies after the install, so tc shows
 * "installed 0 sec used 0 sec" for a fresh action; a millisecond clock can
 * see no time pass at all.
 */
/* then may be a datapath thread's burst time, a little after now */
static u64 tcf_tm_age(u64 now, u64 then)
{
	u64 age = now > then ? jiffies_to_clock_t(now - then) : 0;

	return age ? age : 1;
}

void tcf_tm_dump(struct tcf_t *dtm, const struct tcf_t *stm)
{
	u64 now = jiffies_ms(), firstuse = READ_ONCE(stm->firstuse);

	dtm->install = tcf_tm_age(now, stm->install);
	/* the datapath threads move these while we read */
	dtm->lastuse = tcf_tm_age(now, READ_ONCE(stm->lastuse));
	dtm->firstuse = firstuse ? tcf_tm_age(now, firstuse) : 0;
	dtm->expires = jiffies_to_clock_t(stm->expires);
}

void tcf_action_update_stats(struct tc_action *a, u64 bytes, u64 packets, u64 drops,
			     bool hw)
{
	struct tc_action_stats *s;

	if (!hw) {
		s = this_cpu_ptr(a->cpu_stats);
		u64_stats_add(&s->bytes, bytes);
		u64_stats_add(&s->packets, packets);
		u64_stats_add(&s->drops, drops);
		return;
	}
	/* drivers report from the control thread and the offload workers */
	s = &a->tcfa_stats_hw;
	__atomic_fetch_add(&s->bytes.v, bytes, __ATOMIC_RELAXED);
	__atomic_fetch_add(&s->packets.v, packets, __ATOMIC_RELAXED);
	__atomic_fetch_add(&s->drops.v, drops, __ATOMIC_RELAXED);
}

static void tcf_action_stats_sum(const struct tc_action *a, struct tc_action_stats_total *t)
{
	int cpu;

	memset(t, 0, sizeof(*t));
	for_each_possible_cpu(cpu) {
		const struct tc_action_stats *s = per_cpu_ptr(a->cpu_stats, cpu);

		t->bytes += u64_stats_read(&s->bytes);
		t->packets += u64_stats_read(&s->packets);
		t->drops += u64_stats_read(&s->drops);
		t->overlimits += u64_stats_read(&s->overlimits);
	}
}

void tcf_action_stats_update(struct tc_action *a, u64 bytes, u64 packets, u64 drops,
			     u64 lastuse, bool hw)
{
	if (a->ops->stats_update) {
		a->ops->stats_update(a, bytes, packets, drops, lastuse, hw);
		return;
	}
	tcf_action_update_stats(a, bytes, packets, drops, hw);
	WRITE_ONCE(a->tcfa_tm.lastuse, max(READ_ONCE(a->tcfa_tm.lastuse), lastuse));
}

/* gnet_stats_copy_*: TCA_ACT_STATS { BASIC, BASIC_HW, QUEUE } */
static void tcf_action_copy_stats(struct nlmsghdr *nlh, const struct tc_action *a)
{
	const struct tc_action_stats *hw = &a->tcfa_stats_hw;
	struct gnet_stats_basic sb = {};
	struct gnet_stats_queue q = {};
	struct tc_action_stats_total sw;
	struct nlattr *nest;

	if ((nlh->nlmsg_len + MNL_ATTR_HDRLEN) % 8)
		mnl_attr_put(nlh, TCA_ACT_PAD, 0, NULL);
	nest = nla_nest_start(nlh, TCA_ACT_STATS);
	tcf_action_stats_sum(a, &sw);
	sb.bytes = sw.bytes + u64_stats_read(&hw->bytes);
	sb.packets = sw.packets + u64_stats_read(&hw->packets);
	nla_put_64bit(nlh, TCA_STATS_BASIC, sizeof(sb), &sb, TCA_STATS_PAD);
	memset(&sb, 0, sizeof(sb));
	sb.bytes = u64_stats_read(&hw->bytes);
	sb.packets = u64_stats_read(&hw->packets);
	nla_put_64bit(nlh, TCA_STATS_BASIC_HW, sizeof(sb), &sb, TCA_STATS_PAD);
	q.drops = sw.drops + u64_stats_read(&hw->drops);
	q.overlimits = sw.overlimits + u64_stats_read(&hw->overlimits);
	nla_put(nlh, TCA_STATS_QUEUE, sizeof(q), &q);
	nla_nest_end(nlh, nest);
}

static int tcf_action_dump_1(struct nlmsghdr *nlh, struct tc_action *a, int bind, int ref)
{
	u32 flags = a->tcfa_flags & (TCA_ACT_FLAGS_NO_PERCPU_STATS | TCA_ACT_FLAGS_SKIP_HW |
				     TCA_ACT_FLAGS_SKIP_SW);
	struct nlattr *opt;

	nla_put_string(nlh, TCA_ACT_KIND, a->ops->kind);
	tcf_action_copy_stats(nlh, a);
	if (a->cookie)
		nla_put(nlh, TCA_ACT_COOKIE, a->cookie_len, a->cookie);
	if (a->hw_stats != TCA_ACT_HW_STATS_ANY) {
		struct nla_bitfield32 bf = { a->hw_stats, TCA_ACT_HW_STATS_ANY };

		nla_put(nlh, TCA_ACT_HW_STATS, sizeof(bf), &bf);
	}
	if (a->used_hw_stats_valid) {
		struct nla_bitfield32 bf = { a->used_hw_stats, TCA_ACT_HW_STATS_ANY };

		nla_put(nlh, TCA_ACT_USED_HW_STATS, sizeof(bf), &bf);
	}
	if (flags) {
		struct nla_bitfield32 bf = { flags, flags };

		nla_put(nlh, TCA_ACT_FLAGS, sizeof(bf), &bf);
	}
	nla_put_u32(nlh, TCA_ACT_IN_HW_COUNT, 0);
	opt = nla_nest_start(nlh, TCA_ACT_OPTIONS);
	a->ops->dump(nlh, a, bind, ref);
	nla_nest_end(nlh, opt);
	return 0;
}

static void tcf_action_dump(struct nlmsghdr *nlh, struct tc_action **actions, int n,
			    int bind, int ref)
{
	int i;

	for (i = 0; i < n; i++) {
		struct nlattr *nest = nla_nest_start_noflag(nlh, i + 1);

		tcf_action_dump_1(nlh, actions[i], bind, ref);
		nla_nest_end(nlh, nest);
	}
}

/* ---- filter actions (tcf_exts) ---- */

int tcf_exts_init(struct tcf_exts *exts, int action, int police)
{
	memset(exts, 0, sizeof(*exts));
	exts->action = action;
	exts->police = police;
	return 0;
}

int tcf_exts_validate(struct tcf_proto *tp, struct nlattr **tb,
		      struct tcf_exts *exts, u32 flags, struct netlink_ext_ack *extack)
{
	int init_res[TCA_ACT_MAX_PRIO];
	int n;

	if (!exts->action || !tb[exts->action])
		return 0;
	/* existing actions stay referenced: the filter binds them */
	n = tcf_action_init(tp, tb[exts->action], exts->actions, init_res,
			    flags | TCA_ACT_FLAGS_BIND, extack);
	if (n < 0)
		return n;
	exts->nr_actions = n;
	return 0;
}

void tcf_exts_destroy(struct tcf_exts *exts)
{
	int i;

	for (i = 0; i < exts->nr_actions; i++)
		tcf_idr_release(exts->actions[i], true);
	exts->nr_actions = 0;
}

int tcf_exts_dump(struct nlmsghdr *nlh, struct tcf_exts *exts)
{
	struct nlattr *nest;

	if (!exts->action || !exts->nr_actions)
		return 0;
	nest = nla_nest_start(nlh, exts->action);
	tcf_action_dump(nlh, exts->actions, exts->nr_actions, 0, 0);
	nla_nest_end(nlh, nest);
	return 0;
}

int tcf_exts_dump_stats(struct nlmsghdr *nlh, struct tcf_exts *exts)
{
	(void)nlh;
	(void)exts;	/* per-action stats are inside each action's dump */
	return 0;
}

/* ---- RTM_{NEW,DEL,GET}ACTION ---- */

static const struct nla_policy tcaa_policy[TCA_ROOT_MAX + 1] = {
	[TCA_ROOT_FLAGS] = { .type = NLA_BITFIELD32,
			     .valid = TCA_ACT_FLAG_LARGE_DUMP_ON | TCA_ACT_FLAG_TERSE_DUMP },
	[TCA_ROOT_TIME_DELTA] = { .type = NLA_U32 },
};

static void tca_fill(struct nl_out *out, const struct nlmsghdr *n, u16 type, u16 flags,
		     struct tc_action **actions, int nr, int bind, int ref)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	nlh = nl_out_put(out, n->nlmsg_seq, type, flags, sizeof(struct tcamsg));
	if (!nlh)
		return;
	nest = nla_nest_start_noflag(nlh, TCA_ACT_TAB);
	tcf_action_dump(nlh, actions, nr, bind, ref);
	nla_nest_end(nlh, nest);
	nl_out_end(out, nlh);
}

/* the actions named in a get/del request: kind + index in each entry */
static int tca_action_gd(struct nlattr *nla, struct nlmsghdr *n, struct nl_out *out,
			 bool del, struct netlink_ext_ack *extack)
{
	struct tc_action *actions[TCA_ACT_MAX_PRIO];
	struct nlattr *tb[TCA_ACT_MAX_PRIO + 1];
	int i, nr = 0, err;

	err = nla_parse_nested(tb, TCA_ACT_MAX_PRIO, nla, NULL, extack);
	if (err < 0)
		return err;
	for (i = 1; i <= TCA_ACT_MAX_PRIO && tb[i]; i++) {
		struct nlattr *ta[TCA_ACT_MAX + 1];
		struct tc_action_kind *k;
		struct tc_action *a;

		err = nla_parse_nested(ta, TCA_ACT_MAX, tb[i], tcf_action_policy, extack);
		if (err < 0)
			return err;
		if (!ta[TCA_ACT_INDEX]) {
			NL_SET_ERR_MSG(extack, "Invalid TC action index value");
			return -EINVAL;
		}
		k = tc_lookup_action(ta[TCA_ACT_KIND]);
		if (!k) {
			NL_SET_ERR_MSG(extack, "Specified TC action kind not found");
			return -EINVAL;
		}
		a = tcf_idr_find(&k->idr, nla_get_u32(ta[TCA_ACT_INDEX]));
		if (!a) {
			NL_SET_ERR_MSG(extack, "TC action with specified index not found");
			return -ENOENT;
		}
		if (del && a->tcfa_bindcnt > 0) {
			NL_SET_ERR_MSG(extack, "Failed to delete TC action");
			return -EPERM;
		}
		actions[nr++] = a;
	}
	if (!del) {
		/*
		 * Linux dumps with ref 1 to hide the reference the lookup
		 * took; this lookup takes none.
		 */
		tca_fill(out, n, RTM_GETACTION, 0, actions, nr, 0, 0);
		return 0;
	}
	for (i = 0; i < nr; i++)
		tcf_idr_release(actions[i], false);
	return 0;
}

/*
 * Flush (tcf_del_walker()): drop the table's reference on each action in
 * index order, stopping at the first one bound to a filter.  Stopping
 * before anything went is -EPERM; after some went, the flush succeeds with
 * a warning.
 */
static int tcf_del_walker(struct tcf_idrinfo *idr, struct netlink_ext_ack *extack)
{
	struct tc_action *a;
	unsigned long index;
	int n_i = 0;

	idr_for_each_entry_ul(&idr->action_idr, a, index) {
		if (a->tcfa_bindcnt > 0) {
			if (!n_i)
				return -EPERM;
			NL_SET_ERR_MSG(extack, "Unable to flush all TC actions");
			break;
		}
		tcf_idr_release(a, false);
		n_i++;
	}
	return 0;
}

/* flush: every action of one kind that no filter is bound to */
static int tca_action_flush(struct nlattr *nla, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[TCA_ACT_MAX_PRIO + 1], *ta[TCA_ACT_MAX + 1];
	struct tc_action_kind *k;
	int err;

	err = nla_parse_nested(tb, TCA_ACT_MAX_PRIO, nla, NULL, extack);
	if (err < 0)
		return err;
	if (!tb[1] || nla_parse_nested(ta, TCA_ACT_MAX, tb[1], tcf_action_policy, extack) ||
	    !(k = tc_lookup_action(ta[TCA_ACT_KIND]))) {
		NL_SET_ERR_MSG(extack, "Cannot flush unknown TC action");
		return -EINVAL;
	}
	return tcf_del_walker(&k->idr, extack);
}

/*
 * A replaced action came back from init with the lookup's reference; only
 * the table holds it afterwards (a new one's first reference is the table's).
 */
static void tcf_action_put_existing(struct tc_action **actions, const int *init_res, int nr)
{
	int i;

	for (i = 0; i < nr; i++)
		if (init_res[i] != ACT_P_CREATED)
			tcf_idr_release(actions[i], false);
}

int tc_ctl_action(struct nlmsghdr *n, struct nl_out *out, struct netlink_ext_ack *extack)
{
	struct nlattr *tca[TCA_ROOT_MAX + 1];
	struct tc_action *actions[TCA_ACT_MAX_PRIO];
	int init_res[TCA_ACT_MAX_PRIO];
	int err, nr;

	err = nlmsg_parse(n, sizeof(struct tcamsg), tca, TCA_ROOT_MAX, tcaa_policy, extack);
	if (err < 0)
		return err;
	if (!tca[TCA_ACT_TAB]) {
		NL_SET_ERR_MSG(extack, "Netlink action attributes missing");
		return -EINVAL;
	}
	switch (n->nlmsg_type) {
	case RTM_NEWACTION:
		nr = tcf_action_init(NULL, tca[TCA_ACT_TAB], actions, init_res,
				     (n->nlmsg_flags & NLM_F_REPLACE) ? TCA_ACT_FLAGS_REPLACE : 0,
				     extack);
		if (nr < 0)
			return nr;
		if (n->nlmsg_flags & NLM_F_ECHO)
			tca_fill(out, n, RTM_NEWACTION, 0, actions, nr, 0, 0);
		tcf_action_put_existing(actions, init_res, nr);
		return 0;
	case RTM_DELACTION:
		if (n->nlmsg_flags & NLM_F_ROOT)
			return tca_action_flush(tca[TCA_ACT_TAB], extack);
		return tca_action_gd(tca[TCA_ACT_TAB], n, out, true, extack);
	case RTM_GETACTION:
		return tca_action_gd(tca[TCA_ACT_TAB], n, out, false, extack);
	}
	return -EOPNOTSUPP;
}

int tc_dump_action(struct nlmsghdr *n, struct nl_out *out, struct netlink_ext_ack *extack)
{
	struct nlattr *tca[TCA_ROOT_MAX + 1], *kinda[TCA_ACT_MAX + 1], *tb[TCA_ACT_MAX_PRIO + 1];
	struct nlattr *nest, *count_attr;
	struct tc_action_kind *k;
	struct nlmsghdr *nlh;
	struct tc_action *a;
	unsigned long index;
	int err;

	err = nlmsg_parse(n, sizeof(struct tcamsg), tca, TCA_ROOT_MAX, tcaa_policy, extack);
	if (err < 0)
		return err;
	if (!tca[TCA_ACT_TAB] ||
	    nla_parse_nested(tb, TCA_ACT_MAX_PRIO, tca[TCA_ACT_TAB], NULL, extack) || !tb[1] ||
	    nla_parse_nested(kinda, TCA_ACT_MAX, tb[1], tcf_action_policy, extack) ||
	    !(k = tc_lookup_action(kinda[TCA_ACT_KIND]))) {
		NL_SET_ERR_MSG(extack, "tc_dump_action: action bad kind");
		return -EINVAL;
	}
	/*
	 * At most TCA_ACT_MAX_PRIO actions per message, each message with its
	 * own count, as the kernel's tcf_dump_walker(); an empty table sends
	 * no message, and tc then prints nothing.
	 */
	index = 0;
	a = idr_get_next_ul(&k->idr.action_idr, &index);
	while (a) {
		u32 count = 0;

		nlh = nl_out_put(out, n->nlmsg_seq, n->nlmsg_type, NLM_F_MULTI,
				 sizeof(struct tcamsg));
		if (!nlh)
			return -ENOMEM;
		/* the count goes first and is filled in once the walk is done */
		count_attr = mnl_nlmsg_get_payload_tail(nlh);
		nla_put_u32(nlh, TCA_ROOT_COUNT, 0);
		nest = nla_nest_start_noflag(nlh, TCA_ACT_TAB);
		for (; a && count < TCA_ACT_MAX_PRIO; a = idr_get_next_ul(&k->idr.action_idr, &index)) {
			/* entries are numbered from 0 here, unlike a filter's list */
			struct nlattr *an = nla_nest_start_noflag(nlh, count);

			tcf_action_dump_1(nlh, a, 0, 0);
			nla_nest_end(nlh, an);
			count++;
			index++;
		}
		nla_nest_end(nlh, nest);
		memcpy(mnl_attr_get_payload(count_attr), &count, sizeof(count));
		nl_out_end(out, nlh);
	}
	return 0;
}
