// SPDX-License-Identifier: GPL-2.0
/*
 * net/sched/cls_flower.c	Flower classifier
 *
 * Matches the packet's flow key (parsed once per packet by the core, see
 * skb_flow_key()) against filters made of a key and a mask, with the
 * netlink interface (TCA_FLOWER_*) and the behaviour of Linux 6.1.
 *
 * Filters with the same mask share a struct fl_flow_mask that holds a hash
 * table of its filters, keyed by the filter's masked key over the mask's
 * byte range.  A packet is looked up once per mask, in the order the masks
 * were created; the first filter found that is not skip_sw wins.
 *
 * Filters that are not skip_hw are also offered to drivers, as flow_rules,
 * through the block's flow_block callbacks ("hardware offload" below).
 *
 * Locking: everything but fl_classify() runs in the control plane under
 * rtnl_lock() (and outside rcu_read_lock(): unlinked filters and masks are
 * freed after synchronize_rcu()).  fl_classify() runs under
 * rcu_read_lock() only and sees the masks list, each mask's hash table and
 * filters list through RCU.  Filters have no reference count: the caller's
 * rtnl_lock() keeps a filter returned by get() alive until it is deleted.
 */
#include <xxhash.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/idr.h>
#include <linux/slab.h>
#include <urcu/rculfhash.h>
#include <net/sch_generic.h>
#include <net/act_api.h>
#include <net/pkt_cls.h>
#include <net/pkt_trace.h>
#include <net/flow_dissector.h>
#include <net/ctoffload.h>

/* the attributes Linux 6.1 knows: newer ones are ignored, as 6.1 does */
#define FL_TCA_MAX		TCA_FLOWER_KEY_PPP_PROTO

#define TCA_FLOWER_KEY_CT_FLAGS_MAX \
		((__TCA_FLOWER_KEY_CT_FLAGS_MAX - 1) << 1)
#define TCA_FLOWER_KEY_CT_FLAGS_MASK \
		(TCA_FLOWER_KEY_CT_FLAGS_MAX - 1)

#define VLAN_VID_MASK		0x0fff
#define VLAN_PRIORITY_MASK	0x7

struct fl_flow_mask_range {
	unsigned short start;
	unsigned short end;
};

struct fl_flow_mask {
	struct fl_flow_key key;
	struct fl_flow_mask_range range;
	u32 flags;			/* TCA_FLOWER_MASK_FLAGS_RANGE */
	struct flow_dissector dissector;	/* the keys it uses, for offload */
	struct cds_lfht *ht;		/* filters by masked key, RCU */
	struct list_head filters;	/* RCU, for range lookups and destroy */
	struct list_head list;		/* head->masks, RCU */
	unsigned int refcnt;		/* filters using it (rtnl) */
};

/* a chain template (tc chain add ... flower KEYS): the masks allowed */
struct fl_flow_tmplt {
	struct fl_flow_key dummy_key;
	struct fl_flow_key mask;
	struct flow_dissector dissector;
	struct tcf_chain *chain;
};

struct cls_fl_head {
	struct list_head masks;		/* RCU, in creation order */
	/* filters offered to the block's callbacks, newest first (for reoffload) */
	struct list_head hw_filters;
	struct idr handles;		/* handle -> filter */
};

struct cls_fl_filter {
	struct fl_flow_mask *mask;
	struct cds_lfht_node ht_node;
	struct fl_flow_key mkey;	/* key & mask, what the hash table holds */
	struct tcf_exts exts;
	struct tcf_result res;
	struct fl_flow_key key;
	struct list_head list;		/* mask->filters, RCU */
	u32 handle;
	u32 flags;			/* TCA_CLS_FLAGS_* */
	u32 in_hw_count;		/* callbacks that took it */
	struct list_head hw_list;	/* head->hw_filters */
	/*
	 * Why a driver (or tc_setup_flow_action) refused it, whatever its
	 * flags: the extack sentence tc prints for a skip_sw filter, kept
	 * for `ctoffload explain filter`.  Empty: no sentence.
	 */
	char hw_reason[sizeof(((struct netlink_ext_ack *)0)->buf)];
};

static struct tcf_proto_ops cls_fl_ops;

/* ---- masks and lookup ---- */

static unsigned short fl_mask_range(const struct fl_flow_mask *mask)
{
	return mask->range.end - mask->range.start;
}

/* the range covers the nonzero bytes, in whole longs for the masking loop */
static void fl_mask_update_range(struct fl_flow_mask *mask)
{
	const u8 *bytes = (const u8 *)&mask->key;
	size_t size = sizeof(mask->key);
	size_t i, first = 0, last;

	for (i = 0; i < size; i++) {
		if (bytes[i]) {
			first = i;
			break;
		}
	}
	last = first;
	for (i = size - 1; i != first; i--) {
		if (bytes[i]) {
			last = i;
			break;
		}
	}
	mask->range.start = first / sizeof(long) * sizeof(long);
	mask->range.end = ALIGN(last + 1, sizeof(long));
}

static bool fl_mask_set(const void *mask, int len)
{
	const u8 *p = mask;
	int i;

	for (i = 0; i < len; i++) {
		if (p[i])
			return true;
	}
	return false;
}

#define FL_KEY(id, member)						\
	{ FLOW_DISSECTOR_KEY_##id, offsetof(struct fl_flow_key, member),	\
	  sizeof(((struct fl_flow_key *)0)->member) }

/* the keys a mask uses when any of their bytes is set */
static const struct fl_key_desc {
	u8 id;			/* FLOW_DISSECTOR_KEY_* */
	u16 offset;
	u16 size;
} fl_keys[] = {
	FL_KEY(META, meta),
	FL_KEY(ETH_ADDRS, eth),
	FL_KEY(IPV4_ADDRS, ipv4),
	FL_KEY(IPV6_ADDRS, ipv6),
	FL_KEY(PORTS, tp),
	FL_KEY(PORTS_RANGE, tp_range),
	FL_KEY(IP, ip),
	FL_KEY(TCP, tcp),
	FL_KEY(ICMP, icmp),
	FL_KEY(ARP, arp),
	FL_KEY(VLAN, vlan),
	FL_KEY(CVLAN, cvlan),
	FL_KEY(ENC_KEYID, enc_key_id),
	FL_KEY(ENC_IPV4_ADDRS, enc_ipv4),
	FL_KEY(ENC_IPV6_ADDRS, enc_ipv6),
	FL_KEY(ENC_PORTS, enc_tp),
	FL_KEY(ENC_IP, enc_ip),
	FL_KEY(CT, ct),
};

/*
 * What a driver is told the filter matches on (fl_init_dissector() in
 * Linux): control and basic always, the others when masked.  ipv4 and
 * ipv6 share their bytes, so a mask of either uses both, as in Linux;
 * control.addr_type says which one the filter means.
 */
static void fl_init_dissector(struct flow_dissector *dissector,
			      const struct fl_flow_key *mask)
{
	unsigned long long used = BIT_ULL(FLOW_DISSECTOR_KEY_CONTROL) |
				  BIT_ULL(FLOW_DISSECTOR_KEY_BASIC);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fl_keys); i++) {
		if (fl_mask_set((const u8 *)mask + fl_keys[i].offset, fl_keys[i].size))
			used |= BIT_ULL(fl_keys[i].id);
	}
	if (used & (BIT_ULL(FLOW_DISSECTOR_KEY_ENC_IPV4_ADDRS) |
		    BIT_ULL(FLOW_DISSECTOR_KEY_ENC_IPV6_ADDRS)))
		used |= BIT_ULL(FLOW_DISSECTOR_KEY_ENC_CONTROL);
	dissector->used_keys = used;
}

static void *fl_key_get_start(const struct fl_flow_key *key,
			      const struct fl_flow_mask *mask)
{
	return (u8 *)key + mask->range.start;
}

static void fl_set_masked_key(struct fl_flow_key *mkey,
			      const struct fl_flow_key *key,
			      const struct fl_flow_mask *mask)
{
	const long *lkey = fl_key_get_start(key, mask);
	const long *lmask = fl_key_get_start(&mask->key, mask);
	long *lmkey = fl_key_get_start(mkey, mask);
	int i;

	for (i = 0; i < fl_mask_range(mask); i += sizeof(long))
		*lmkey++ = *lkey++ & *lmask++;
}

static bool fl_mask_fits_tmplt(const struct fl_flow_tmplt *tmplt,
			       const struct fl_flow_mask *mask)
{
	const long *lmask = fl_key_get_start(&mask->key, mask);
	const long *ltmplt;
	int i;

	if (!tmplt)
		return true;
	ltmplt = fl_key_get_start(&tmplt->mask, mask);
	for (i = 0; i < fl_mask_range(mask); i += sizeof(long)) {
		if (~*ltmplt++ & *lmask++)
			return false;
	}
	return true;
}


static unsigned long fl_mkey_hash(const struct fl_flow_key *mkey,
				  const struct fl_flow_mask *mask)
{
	/* xxHash's XXH3: several times cheaper than the kernel's jhash2 here */
	return XXH3_64bits(fl_key_get_start(mkey, mask), fl_mask_range(mask));
}

/* cds_lfht match: key is a masked key of the table's mask */
static int fl_ht_match(struct cds_lfht_node *node, const void *key)
{
	const struct cls_fl_filter *f =
		caa_container_of(node, struct cls_fl_filter, ht_node);
	const struct fl_flow_mask *mask;

	rcu_tsan_subscribe(node);	/* found inside liburcu's table */
	mask = f->mask;
	return !memcmp(fl_key_get_start(&f->mkey, mask),
		       fl_key_get_start(key, mask), fl_mask_range(mask));
}

static struct cls_fl_filter *__fl_lookup(struct fl_flow_mask *mask,
					 const struct fl_flow_key *mkey)
{
	struct cds_lfht_iter iter;
	struct cds_lfht_node *node;

	cds_lfht_lookup(mask->ht, fl_mkey_hash(mkey, mask), fl_ht_match, mkey,
			&iter);
	node = cds_lfht_iter_get_node(&iter);
	return node ? caa_container_of(node, struct cls_fl_filter, ht_node) : NULL;
}

/*
 * A port range cannot be hashed: check the packet's port against each
 * filter's range, and when inside, look up with that filter's min/max in
 * place of the packet's (the packet has no min and max).  The packet's
 * ports are in key->tp (tp_range.tp is the same union in the kernel).
 */
static bool fl_range_port_dst_cmp(const struct cls_fl_filter *filter,
				  const struct fl_flow_key *key,
				  struct fl_flow_key *mkey)
{
	const struct fl_flow_key *mask = &filter->mask->key;
	u16 port = ntohs(key->tp.dst);

	if (!mask->tp_range.tp_min.dst || !mask->tp_range.tp_max.dst)
		return true;
	if (port < ntohs(filter->key.tp_range.tp_min.dst) ||
	    port > ntohs(filter->key.tp_range.tp_max.dst))
		return false;
	mkey->tp_range.tp_min.dst = filter->mkey.tp_range.tp_min.dst;
	mkey->tp_range.tp_max.dst = filter->mkey.tp_range.tp_max.dst;
	return true;
}

static bool fl_range_port_src_cmp(const struct cls_fl_filter *filter,
				  const struct fl_flow_key *key,
				  struct fl_flow_key *mkey)
{
	const struct fl_flow_key *mask = &filter->mask->key;
	u16 port = ntohs(key->tp.src);

	if (!mask->tp_range.tp_min.src || !mask->tp_range.tp_max.src)
		return true;
	if (port < ntohs(filter->key.tp_range.tp_min.src) ||
	    port > ntohs(filter->key.tp_range.tp_max.src))
		return false;
	mkey->tp_range.tp_min.src = filter->mkey.tp_range.tp_min.src;
	mkey->tp_range.tp_max.src = filter->mkey.tp_range.tp_max.src;
	return true;
}

static struct cls_fl_filter *fl_lookup_range(struct fl_flow_mask *mask,
					     struct fl_flow_key *mkey,
					     const struct fl_flow_key *key)
{
	struct cls_fl_filter *filter, *f;

	list_for_each_entry_rcu(filter, &mask->filters, list) {
		if (!fl_range_port_dst_cmp(filter, key, mkey))
			continue;
		if (!fl_range_port_src_cmp(filter, key, mkey))
			continue;
		f = __fl_lookup(mask, mkey);
		if (f)
			return f;
	}
	return NULL;
}

static struct cls_fl_filter *fl_mask_lookup(struct fl_flow_mask *mask,
					    const struct fl_flow_key *key)
{
	struct fl_flow_key mkey;

	fl_set_masked_key(&mkey, key, mask);
	if (mask->flags & TCA_FLOWER_MASK_FLAGS_RANGE)
		return fl_lookup_range(mask, &mkey, key);
	return __fl_lookup(mask, &mkey);
}

static int fl_classify(struct sk_buff *skb, const struct tcf_proto *tp,
		       struct tcf_result *res)
{
	struct cls_fl_head *head = rcu_dereference(tp->root);
	const struct fl_flow_key *key;
	struct fl_flow_mask *mask;
	struct cls_fl_filter *f;

	if (!head)
		return -1;
	key = skb_flow_key(skb);
	if (!key)
		return -1;

	list_for_each_entry_rcu(mask, &head->masks, list) {
		f = fl_mask_lookup(mask, key);
		/* READ_ONCE: the control plane sets IN_HW/NOT_IN_HW meanwhile */
		if (f && !tc_skip_sw(READ_ONCE(f->flags))) {
			*res = f->res;
			pkt_trace(skb, "tc_filter",
				  "\"dev\":\"%s\",\"chain\":%u,\"prio\":%u,\"handle\":%u,\"kind\":\"%s\",\"in_hw\":%s",
				  skb->dev->name, tp->chain->index, tp->prio >> 16, f->handle,
				  tp->ops->kind, READ_ONCE(f->flags) & TCA_CLS_FLAGS_IN_HW ? "true" : "false");
			return tcf_exts_exec(skb, &f->exts, res);
		}
	}
	return -1;
}

static int fl_init(struct tcf_proto *tp)
{
	struct cls_fl_head *head;

	head = kzalloc(sizeof(*head), GFP_KERNEL);
	if (!head)
		return -ENOBUFS;
	INIT_LIST_HEAD(&head->masks);
	INIT_LIST_HEAD(&head->hw_filters);
	rcu_assign_pointer(tp->root, head);
	return 0;
}

/*
 * ---- hardware offload ----
 *
 * Each filter that is not skip_hw is offered to the block's callbacks
 * (fl_hw_replace_filter()) when created, withdrawn (fl_hw_destroy_filter())
 * when deleted or replaced, and asked for its counters on every dump
 * (fl_hw_update_stats()).  The cookie drivers see is the filter itself;
 * the rule's match is the filter's masked key and its mask.
 */

static void fl_set_rule_match(struct flow_rule *rule, struct cls_fl_filter *f)
{
	rule->match.dissector = &f->mask->dissector;
	rule->match.mask = &f->mask->key;
	rule->match.key = &f->mkey;
}

static void fl_hw_destroy_filter(struct tcf_proto *tp, struct cls_fl_filter *f,
				 struct netlink_ext_ack *extack)
{
	struct tcf_block *block = tp->chain->block;
	struct flow_cls_offload cls_flower = {};

	tc_cls_common_offload_init(&cls_flower.common, tp, f->flags, extack);
	cls_flower.command = FLOW_CLS_DESTROY;
	cls_flower.cookie = (unsigned long)f;
	tc_setup_cb_destroy(block, tp, TC_SETUP_CLSFLOWER, &cls_flower, false,
			    &f->flags, &f->in_hw_count);
}

/*
 * The offload's extack is always ours (hw_extack): its sentence is kept
 * with the filter, and goes on to the request's extack only where Linux
 * gives drivers that one (user_extack: skip_sw or verbose filters, see
 * tc_cls_common_offload_init()), so tc prints exactly what it did.
 */
static void fl_hw_keep_reason(struct cls_fl_filter *f, const struct netlink_ext_ack *hw_extack,
			      struct netlink_ext_ack *user_extack)
{
	if (!hw_extack->_msg)
		return;
	snprintf(f->hw_reason, sizeof(f->hw_reason), "%s", hw_extack->_msg);
	if (!user_extack)
		return;
	if (hw_extack->_msg == hw_extack->buf) {
		memcpy(user_extack->buf, hw_extack->buf, sizeof(user_extack->buf));
		user_extack->_msg = user_extack->buf;
	} else {
		user_extack->_msg = hw_extack->_msg;
	}
	if (hw_extack->bad_attr)
		user_extack->bad_attr = hw_extack->bad_attr;
}

/*
 * Offer f to the block's callbacks.  A filter whose actions no hardware
 * can run stays in software, unless it is skip_sw: then that, a callback
 * refusing it, or no callback taking it, is an error (the kernel's
 * -EINVAL for the last, with no message).
 */
static int fl_hw_replace_filter(struct tcf_proto *tp, struct cls_fl_filter *f,
				struct netlink_ext_ack *extack)
{
	struct tcf_block *block = tp->chain->block;
	struct flow_cls_offload cls_flower = {};
	struct netlink_ext_ack hw_extack = {}, *user_extack;
	bool skip_sw = tc_skip_sw(f->flags);
	int err;

	f->hw_reason[0] = '\0';
	cls_flower.rule = flow_rule_alloc(tcf_exts_num_actions(&f->exts));
	if (!cls_flower.rule)
		return -ENOMEM;
	tc_cls_common_offload_init(&cls_flower.common, tp, f->flags, extack);
	user_extack = cls_flower.common.extack;
	cls_flower.common.extack = &hw_extack;
	cls_flower.command = FLOW_CLS_REPLACE;
	cls_flower.cookie = (unsigned long)f;
	fl_set_rule_match(cls_flower.rule, f);
	cls_flower.classid = f->res.classid;

	err = tc_setup_flow_action(&cls_flower.rule->action, &f->exts,
				   cls_flower.common.extack);
	if (err) {
		kfree(cls_flower.rule);
		fl_hw_keep_reason(f, &hw_extack, user_extack);
		return skip_sw ? err : 0;
	}
	err = tc_setup_cb_add(block, tp, TC_SETUP_CLSFLOWER, &cls_flower, skip_sw,
			      &f->flags, &f->in_hw_count);
	tc_cleanup_flow_action(&cls_flower.rule->action);
	kfree(cls_flower.rule);
	fl_hw_keep_reason(f, &hw_extack, user_extack);
	if (err) {
		/* callbacks before the one that refused took it */
		fl_hw_destroy_filter(tp, f, NULL);
		return err;
	}
	if (skip_sw && !(f->flags & TCA_CLS_FLAGS_IN_HW))
		return -EINVAL;
	return 0;
}

/* the drivers' counters since the last dump go to the filter's actions */
static void fl_hw_update_stats(struct tcf_proto *tp, struct cls_fl_filter *f)
{
	struct tcf_block *block = tp->chain->block;
	struct flow_cls_offload cls_flower = {};

	tc_cls_common_offload_init(&cls_flower.common, tp, f->flags, NULL);
	cls_flower.command = FLOW_CLS_STATS;
	cls_flower.cookie = (unsigned long)f;
	cls_flower.classid = f->res.classid;
	tc_setup_cb_call(block, TC_SETUP_CLSFLOWER, &cls_flower, false);
	tcf_exts_hw_stats_update(&f->exts, &cls_flower.stats);
}

/* tc_setup_cb_add() offered the filter: remember it for devices that bind later */
static void fl_hw_add(struct tcf_proto *tp, void *type_data)
{
	struct flow_cls_offload *cls_flower = type_data;
	struct cls_fl_filter *f = (struct cls_fl_filter *)cls_flower->cookie;
	struct cls_fl_head *head = tp->root;

	list_add(&f->hw_list, &head->hw_filters);
}

static void fl_hw_del(struct tcf_proto *tp, void *type_data)
{
	struct flow_cls_offload *cls_flower = type_data;
	struct cls_fl_filter *f = (struct cls_fl_filter *)cls_flower->cookie;

	(void)tp;
	list_del_init(&f->hw_list);
}

/* a device binds to (add) or leaves the block: offer or withdraw every offered filter */
static int fl_reoffload(struct tcf_proto *tp, bool add, flow_setup_cb_t *cb,
			void *cb_priv, struct netlink_ext_ack *extack)
{
	struct tcf_block *block = tp->chain->block;
	struct cls_fl_head *head = tp->root;
	struct cls_fl_filter *f;
	int err;

	if (!head)
		return 0;
	list_for_each_entry(f, &head->hw_filters, hw_list) {
		struct flow_cls_offload cls_flower = {};
		struct netlink_ext_ack hw_extack = {}, *user_extack;

		cls_flower.rule = flow_rule_alloc(tcf_exts_num_actions(&f->exts));
		if (!cls_flower.rule)
			return -ENOMEM;
		tc_cls_common_offload_init(&cls_flower.common, tp, f->flags, extack);
		/* as in fl_hw_replace_filter(): the new device's refusal is kept too */
		user_extack = cls_flower.common.extack;
		cls_flower.common.extack = add ? &hw_extack : user_extack;
		cls_flower.command = add ? FLOW_CLS_REPLACE : FLOW_CLS_DESTROY;
		cls_flower.cookie = (unsigned long)f;
		fl_set_rule_match(cls_flower.rule, f);
		err = tc_setup_flow_action(&cls_flower.rule->action, &f->exts,
					   cls_flower.common.extack);
		if (err) {
			kfree(cls_flower.rule);
			fl_hw_keep_reason(f, &hw_extack, user_extack);
			if (tc_skip_sw(f->flags))
				return err;
			continue;
		}
		cls_flower.classid = f->res.classid;
		err = tc_setup_cb_reoffload(block, tp, add, cb, TC_SETUP_CLSFLOWER, &cls_flower,
					    cb_priv, &f->flags, &f->in_hw_count);
		tc_cleanup_flow_action(&cls_flower.rule->action);
		kfree(cls_flower.rule);
		fl_hw_keep_reason(f, &hw_extack, user_extack);
		if (err)
			return err;
	}
	return 0;
}

/* templates only hint drivers at the masks to come: their answer does not matter */
static void fl_hw_create_tmplt(struct tcf_chain *chain, struct fl_flow_tmplt *tmplt)
{
	struct flow_cls_offload cls_flower = {};

	cls_flower.rule = flow_rule_alloc(0);
	if (!cls_flower.rule)
		return;
	cls_flower.common.chain_index = chain->index;
	cls_flower.command = FLOW_CLS_TMPLT_CREATE;
	cls_flower.cookie = (unsigned long)tmplt;
	cls_flower.rule->match.dissector = &tmplt->dissector;
	cls_flower.rule->match.mask = &tmplt->mask;
	cls_flower.rule->match.key = &tmplt->dummy_key;
	tc_setup_cb_call(chain->block, TC_SETUP_CLSFLOWER, &cls_flower, false);
	kfree(cls_flower.rule);
}

static void fl_hw_destroy_tmplt(struct tcf_chain *chain, struct fl_flow_tmplt *tmplt)
{
	struct flow_cls_offload cls_flower = {};

	cls_flower.common.chain_index = chain->index;
	cls_flower.command = FLOW_CLS_TMPLT_DESTROY;
	cls_flower.cookie = (unsigned long)tmplt;
	tc_setup_cb_call(chain->block, TC_SETUP_CLSFLOWER, &cls_flower, false);
}

/* the mask is unreachable for readers (after a grace period) and empty */
static void fl_mask_free(struct fl_flow_mask *mask)
{
	if (mask->ht)
		cds_lfht_destroy(mask->ht, NULL);
	kfree(mask);
}

/* drop a filter's hold; true when the mask went away (unlinked, not freed) */
static bool fl_mask_put(struct fl_flow_mask *mask)
{
	if (--mask->refcnt)
		return false;
	list_del_rcu(&mask->list);
	return true;
}

/* the filter is unreachable for readers (after a grace period) */
static void fl_filter_free(struct cls_fl_filter *f)
{
	tcf_exts_destroy(&f->exts);
	kfree(f);
}

static void fl_ht_del(struct cls_fl_filter *f)
{
	rcu_read_lock();
	cds_lfht_del(f->mask->ht, &f->ht_node);
	rcu_read_unlock();
}

/*
 * Unlink f from everything a reader or a later control operation can
 * reach.  Returns the mask if this was its last filter (to be freed by the
 * caller after the grace period), else NULL.
 */
static struct fl_flow_mask *__fl_unlink(struct cls_fl_head *head,
					struct cls_fl_filter *f)
{
	struct fl_flow_mask *mask = f->mask;

	fl_ht_del(f);
	idr_remove(&head->handles, f->handle);
	list_del_rcu(&f->list);
	return fl_mask_put(mask) ? mask : NULL;
}

static void fl_destroy(struct tcf_proto *tp, struct netlink_ext_ack *extack)
{
	struct cls_fl_head *head = tp->root;
	struct fl_flow_mask *mask, *next_mask;
	struct cls_fl_filter *f, *next;

	(void)extack;
	if (!head)
		return;
	/*
	 * Unpublish the whole classifier and wait for the readers inside it:
	 * then it can be taken apart without RCU ordering, list by list.
	 */
	rcu_assign_pointer(tp->root, NULL);
	synchronize_rcu();
	list_for_each_entry_safe(mask, next_mask, &head->masks, list) {
		list_for_each_entry_safe(f, next, &mask->filters, list) {
			fl_ht_del(f);
			idr_remove(&head->handles, f->handle);
			if (!tc_skip_hw(f->flags))
				fl_hw_destroy_filter(tp, f, extack);
			fl_filter_free(f);
		}
		fl_mask_free(mask);
	}
	idr_destroy(&head->handles);
	kfree(head);
}

/*
 * No reference counting: the core holds rtnl_lock() from get() to its last
 * use of the filter, and only delete() and change() free filters.
 */
static void fl_put(struct tcf_proto *tp, void *arg)
{
	(void)tp;
	(void)arg;
}

static void *fl_get(struct tcf_proto *tp, u32 handle)
{
	struct cls_fl_head *head = tp->root;

	return idr_find(&head->handles, handle);
}

static const struct nla_policy fl_policy[FL_TCA_MAX + 1] = {
	[TCA_FLOWER_UNSPEC]		= { .type = NLA_UNSPEC },
	[TCA_FLOWER_CLASSID]		= { .type = NLA_U32 },
	[TCA_FLOWER_INDEV]		= { .type = NLA_STRING, .len = IFNAMSIZ },
	[TCA_FLOWER_KEY_ETH_DST]	= { .len = ETH_ALEN },
	[TCA_FLOWER_KEY_ETH_DST_MASK]	= { .len = ETH_ALEN },
	[TCA_FLOWER_KEY_ETH_SRC]	= { .len = ETH_ALEN },
	[TCA_FLOWER_KEY_ETH_SRC_MASK]	= { .len = ETH_ALEN },
	[TCA_FLOWER_KEY_ETH_TYPE]	= { .type = NLA_U16 },
	[TCA_FLOWER_KEY_IP_PROTO]	= { .type = NLA_U8 },
	[TCA_FLOWER_KEY_IPV4_SRC]	= { .type = NLA_U32 },
	[TCA_FLOWER_KEY_IPV4_SRC_MASK]	= { .type = NLA_U32 },
	[TCA_FLOWER_KEY_IPV4_DST]	= { .type = NLA_U32 },
	[TCA_FLOWER_KEY_IPV4_DST_MASK]	= { .type = NLA_U32 },
	[TCA_FLOWER_KEY_IPV6_SRC]	= { .len = sizeof(struct in6_addr) },
	[TCA_FLOWER_KEY_IPV6_SRC_MASK]	= { .len = sizeof(struct in6_addr) },
	[TCA_FLOWER_KEY_IPV6_DST]	= { .len = sizeof(struct in6_addr) },
	[TCA_FLOWER_KEY_IPV6_DST_MASK]	= { .len = sizeof(struct in6_addr) },
	[TCA_FLOWER_KEY_TCP_SRC]	= { .type = NLA_U16 },
	[TCA_FLOWER_KEY_TCP_DST]	= { .type = NLA_U16 },
	[TCA_FLOWER_KEY_UDP_SRC]	= { .type = NLA_U16 },
	[TCA_FLOWER_KEY_UDP_DST]	= { .type = NLA_U16 },
	[TCA_FLOWER_FLAGS]		= { .type = NLA_U32 },
	[TCA_FLOWER_KEY_VLAN_ID]	= { .type = NLA_U16 },
	[TCA_FLOWER_KEY_VLAN_PRIO]	= { .type = NLA_U8 },
	[TCA_FLOWER_KEY_VLAN_ETH_TYPE]	= { .type = NLA_U16 },
	[TCA_FLOWER_KEY_ENC_KEY_ID]	= { .type = NLA_U32 },
	[TCA_FLOWER_KEY_ENC_IPV4_SRC]	= { .type = NLA_U32 },
	[TCA_FLOWER_KEY_ENC_IPV4_SRC_MASK] = { .type = NLA_U32 },
	[TCA_FLOWER_KEY_ENC_IPV4_DST]	= { .type = NLA_U32 },
	[TCA_FLOWER_KEY_ENC_IPV4_DST_MASK] = { .type = NLA_U32 },
	[TCA_FLOWER_KEY_ENC_IPV6_SRC]	= { .len = sizeof(struct in6_addr) },
	[TCA_FLOWER_KEY_ENC_IPV6_SRC_MASK] = { .len = sizeof(struct in6_addr) },
	[TCA_FLOWER_KEY_ENC_IPV6_DST]	= { .len = sizeof(struct in6_addr) },
	[TCA_FLOWER_KEY_ENC_IPV6_DST_MASK] = { .len = sizeof(struct in6_addr) },
	[TCA_FLOWER_KEY_TCP_SRC_MASK]	= { .type = NLA_U16 },
	[TCA_FLOWER_KEY_TCP_DST_MASK]	= { .type = NLA_U16 },
	[TCA_FLOWER_KEY_UDP_SRC_MASK]	= { .type = NLA_U16 },
	[TCA_FLOWER_KEY_UDP_DST_MASK]	= { .type = NLA_U16 },
	[TCA_FLOWER_KEY_SCTP_SRC_MASK]	= { .type = NLA_U16 },
	[TCA_FLOWER_KEY_SCTP_DST_MASK]	= { .type = NLA_U16 },
	[TCA_FLOWER_KEY_SCTP_SRC]	= { .type = NLA_U16 },
	[TCA_FLOWER_KEY_SCTP_DST]	= { .type = NLA_U16 },
	[TCA_FLOWER_KEY_ENC_UDP_SRC_PORT] = { .type = NLA_U16 },
	[TCA_FLOWER_KEY_ENC_UDP_SRC_PORT_MASK] = { .type = NLA_U16 },
	[TCA_FLOWER_KEY_ENC_UDP_DST_PORT] = { .type = NLA_U16 },
	[TCA_FLOWER_KEY_ENC_UDP_DST_PORT_MASK] = { .type = NLA_U16 },
	[TCA_FLOWER_KEY_FLAGS]		= { .type = NLA_U32 },
	[TCA_FLOWER_KEY_FLAGS_MASK]	= { .type = NLA_U32 },
	[TCA_FLOWER_KEY_ICMPV4_TYPE]	= { .type = NLA_U8 },
	[TCA_FLOWER_KEY_ICMPV4_TYPE_MASK] = { .type = NLA_U8 },
	[TCA_FLOWER_KEY_ICMPV4_CODE]	= { .type = NLA_U8 },
	[TCA_FLOWER_KEY_ICMPV4_CODE_MASK] = { .type = NLA_U8 },
	[TCA_FLOWER_KEY_ICMPV6_TYPE]	= { .type = NLA_U8 },
	[TCA_FLOWER_KEY_ICMPV6_TYPE_MASK] = { .type = NLA_U8 },
	[TCA_FLOWER_KEY_ICMPV6_CODE]	= { .type = NLA_U8 },
	[TCA_FLOWER_KEY_ICMPV6_CODE_MASK] = { .type = NLA_U8 },
	[TCA_FLOWER_KEY_ARP_SIP]	= { .type = NLA_U32 },
	[TCA_FLOWER_KEY_ARP_SIP_MASK]	= { .type = NLA_U32 },
	[TCA_FLOWER_KEY_ARP_TIP]	= { .type = NLA_U32 },
	[TCA_FLOWER_KEY_ARP_TIP_MASK]	= { .type = NLA_U32 },
	[TCA_FLOWER_KEY_ARP_OP]		= { .type = NLA_U8 },
	[TCA_FLOWER_KEY_ARP_OP_MASK]	= { .type = NLA_U8 },
	[TCA_FLOWER_KEY_ARP_SHA]	= { .len = ETH_ALEN },
	[TCA_FLOWER_KEY_ARP_SHA_MASK]	= { .len = ETH_ALEN },
	[TCA_FLOWER_KEY_ARP_THA]	= { .len = ETH_ALEN },
	[TCA_FLOWER_KEY_ARP_THA_MASK]	= { .len = ETH_ALEN },
	[TCA_FLOWER_KEY_MPLS_TTL]	= { .type = NLA_U8 },
	[TCA_FLOWER_KEY_MPLS_BOS]	= { .type = NLA_U8 },
	[TCA_FLOWER_KEY_MPLS_TC]	= { .type = NLA_U8 },
	[TCA_FLOWER_KEY_MPLS_LABEL]	= { .type = NLA_U32 },
	[TCA_FLOWER_KEY_MPLS_OPTS]	= { .type = NLA_NESTED },
	[TCA_FLOWER_KEY_TCP_FLAGS]	= { .type = NLA_U16 },
	[TCA_FLOWER_KEY_TCP_FLAGS_MASK]	= { .type = NLA_U16 },
	[TCA_FLOWER_KEY_IP_TOS]		= { .type = NLA_U8 },
	[TCA_FLOWER_KEY_IP_TOS_MASK]	= { .type = NLA_U8 },
	[TCA_FLOWER_KEY_IP_TTL]		= { .type = NLA_U8 },
	[TCA_FLOWER_KEY_IP_TTL_MASK]	= { .type = NLA_U8 },
	[TCA_FLOWER_KEY_CVLAN_ID]	= { .type = NLA_U16 },
	[TCA_FLOWER_KEY_CVLAN_PRIO]	= { .type = NLA_U8 },
	[TCA_FLOWER_KEY_CVLAN_ETH_TYPE]	= { .type = NLA_U16 },
	[TCA_FLOWER_KEY_ENC_IP_TOS]	= { .type = NLA_U8 },
	[TCA_FLOWER_KEY_ENC_IP_TOS_MASK] = { .type = NLA_U8 },
	[TCA_FLOWER_KEY_ENC_IP_TTL]	= { .type = NLA_U8 },
	[TCA_FLOWER_KEY_ENC_IP_TTL_MASK] = { .type = NLA_U8 },
	[TCA_FLOWER_KEY_ENC_OPTS]	= { .type = NLA_NESTED },
	[TCA_FLOWER_KEY_ENC_OPTS_MASK]	= { .type = NLA_NESTED },
	[TCA_FLOWER_KEY_PORT_SRC_MIN]	= { .type = NLA_U16 },
	[TCA_FLOWER_KEY_PORT_SRC_MAX]	= { .type = NLA_U16 },
	[TCA_FLOWER_KEY_PORT_DST_MIN]	= { .type = NLA_U16 },
	[TCA_FLOWER_KEY_PORT_DST_MAX]	= { .type = NLA_U16 },
	/* the kernel's NLA_POLICY_MASK part is checked in fl_check_policy() */
	[TCA_FLOWER_KEY_CT_STATE]	= { .type = NLA_U16 },
	[TCA_FLOWER_KEY_CT_STATE_MASK]	= { .type = NLA_U16 },
	[TCA_FLOWER_KEY_CT_ZONE]	= { .type = NLA_U16 },
	[TCA_FLOWER_KEY_CT_ZONE_MASK]	= { .type = NLA_U16 },
	[TCA_FLOWER_KEY_CT_MARK]	= { .type = NLA_U32 },
	[TCA_FLOWER_KEY_CT_MARK_MASK]	= { .type = NLA_U32 },
	[TCA_FLOWER_KEY_CT_LABELS]	= { .type = NLA_BINARY, .len = 16 },
	[TCA_FLOWER_KEY_CT_LABELS_MASK]	= { .type = NLA_BINARY, .len = 16 },
	[TCA_FLOWER_KEY_HASH]		= { .type = NLA_U32 },
	[TCA_FLOWER_KEY_HASH_MASK]	= { .type = NLA_U32 },
	[TCA_FLOWER_KEY_NUM_OF_VLANS]	= { .type = NLA_U8 },
	[TCA_FLOWER_KEY_PPPOE_SID]	= { .type = NLA_U16 },
	[TCA_FLOWER_KEY_PPP_PROTO]	= { .type = NLA_U16 },
};

/*
 * What our nla_parse() leaves to the caller: the minimum length of the
 * untyped (.len only) attributes and the ct_state bit mask.  fl_change()
 * parses without extack, as the kernel does, so these fail silently too.
 */
static int fl_check_policy(struct nlattr **tb)
{
	static const int ct_state_attrs[] = {
		TCA_FLOWER_KEY_CT_STATE, TCA_FLOWER_KEY_CT_STATE_MASK,
	};
	unsigned int i;

	for (i = 0; i <= FL_TCA_MAX; i++) {
		if (tb[i] && fl_policy[i].type == NLA_UNSPEC &&
		    nla_len(tb[i]) < fl_policy[i].len)
			return -EINVAL;
	}
	for (i = 0; i < ARRAY_SIZE(ct_state_attrs); i++) {
		const struct nlattr *a = tb[ct_state_attrs[i]];

		if (a && nla_get_u16(a) & ~TCA_FLOWER_KEY_CT_FLAGS_MASK)
			return -EINVAL;
	}
	return 0;
}

static int fl_parse_opts(struct nlattr **tb, const struct nlattr *opts)
{
	int err;

	err = nla_parse_nested(tb, FL_TCA_MAX, opts, fl_policy, NULL);
	if (err < 0)
		return err;
	return fl_check_policy(tb);
}

static void fl_set_key_val(struct nlattr **tb, void *val, int val_type,
			   void *mask, int mask_type, int len)
{
	if (!tb[val_type])
		return;
	nla_memcpy(val, tb[val_type], len);
	if (mask_type == TCA_FLOWER_UNSPEC || !tb[mask_type])
		memset(mask, 0xff, len);
	else
		nla_memcpy(mask, tb[mask_type], len);
}

static int fl_set_key_port_range(struct nlattr **tb, struct fl_flow_key *key,
				 struct fl_flow_key *mask,
				 struct netlink_ext_ack *extack)
{
	fl_set_key_val(tb, &key->tp_range.tp_min.dst,
		       TCA_FLOWER_KEY_PORT_DST_MIN, &mask->tp_range.tp_min.dst,
		       TCA_FLOWER_UNSPEC, sizeof(key->tp_range.tp_min.dst));
	fl_set_key_val(tb, &key->tp_range.tp_max.dst,
		       TCA_FLOWER_KEY_PORT_DST_MAX, &mask->tp_range.tp_max.dst,
		       TCA_FLOWER_UNSPEC, sizeof(key->tp_range.tp_max.dst));
	fl_set_key_val(tb, &key->tp_range.tp_min.src,
		       TCA_FLOWER_KEY_PORT_SRC_MIN, &mask->tp_range.tp_min.src,
		       TCA_FLOWER_UNSPEC, sizeof(key->tp_range.tp_min.src));
	fl_set_key_val(tb, &key->tp_range.tp_max.src,
		       TCA_FLOWER_KEY_PORT_SRC_MAX, &mask->tp_range.tp_max.src,
		       TCA_FLOWER_UNSPEC, sizeof(key->tp_range.tp_max.src));

	if (mask->tp_range.tp_min.dst != mask->tp_range.tp_max.dst) {
		NL_SET_ERR_MSG(extack,
			       "Both min and max destination ports must be specified");
		return -EINVAL;
	}
	if (mask->tp_range.tp_min.src != mask->tp_range.tp_max.src) {
		NL_SET_ERR_MSG(extack,
			       "Both min and max source ports must be specified");
		return -EINVAL;
	}
	if (mask->tp_range.tp_min.dst && mask->tp_range.tp_max.dst &&
	    ntohs(key->tp_range.tp_max.dst) <= ntohs(key->tp_range.tp_min.dst)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[TCA_FLOWER_KEY_PORT_DST_MIN],
				    "Invalid destination port range (min must be strictly smaller than max)");
		return -EINVAL;
	}
	if (mask->tp_range.tp_min.src && mask->tp_range.tp_max.src &&
	    ntohs(key->tp_range.tp_max.src) <= ntohs(key->tp_range.tp_min.src)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[TCA_FLOWER_KEY_PORT_SRC_MIN],
				    "Invalid source port range (min must be strictly smaller than max)");
		return -EINVAL;
	}
	return 0;
}

static bool fl_eth_type_vlan(__be16 ethertype)
{
	return ethertype == htons(ETH_P_8021Q) ||
	       ethertype == htons(ETH_P_8021AD);
}

static void fl_set_key_vlan(struct nlattr **tb, __be16 ethertype,
			    int vlan_id_key, int vlan_prio_key,
			    int vlan_next_eth_type_key,
			    struct flow_dissector_key_vlan *key_val,
			    struct flow_dissector_key_vlan *key_mask)
{
	if (tb[vlan_id_key]) {
		key_val->vlan_id = nla_get_u16(tb[vlan_id_key]) & VLAN_VID_MASK;
		key_mask->vlan_id = VLAN_VID_MASK;
	}
	if (tb[vlan_prio_key]) {
		key_val->vlan_priority = nla_get_u8(tb[vlan_prio_key]) &
					 VLAN_PRIORITY_MASK;
		key_mask->vlan_priority = VLAN_PRIORITY_MASK;
	}
	key_val->vlan_tpid = ethertype;
	key_mask->vlan_tpid = htons(0xffff);
	if (tb[vlan_next_eth_type_key]) {
		key_val->vlan_eth_type = nla_get_u16(tb[vlan_next_eth_type_key]);
		key_mask->vlan_eth_type = htons(0xffff);
	}
}

/* outer tag, inner tag, and the ethertype after them into basic.n_proto */
static void fl_set_key_eth_type(struct nlattr **tb, struct fl_flow_key *key,
				struct fl_flow_key *mask)
{
	__be16 ethertype;

	if (!tb[TCA_FLOWER_KEY_ETH_TYPE])
		return;
	ethertype = nla_get_u16(tb[TCA_FLOWER_KEY_ETH_TYPE]);
	if (!fl_eth_type_vlan(ethertype)) {
		key->basic.n_proto = ethertype;
		mask->basic.n_proto = htons(0xffff);
		return;
	}
	fl_set_key_vlan(tb, ethertype, TCA_FLOWER_KEY_VLAN_ID,
			TCA_FLOWER_KEY_VLAN_PRIO, TCA_FLOWER_KEY_VLAN_ETH_TYPE,
			&key->vlan, &mask->vlan);
	if (!tb[TCA_FLOWER_KEY_VLAN_ETH_TYPE])
		return;
	ethertype = nla_get_u16(tb[TCA_FLOWER_KEY_VLAN_ETH_TYPE]);
	if (!fl_eth_type_vlan(ethertype)) {
		key->basic.n_proto = ethertype;
		mask->basic.n_proto = htons(0xffff);
		return;
	}
	fl_set_key_vlan(tb, ethertype, TCA_FLOWER_KEY_CVLAN_ID,
			TCA_FLOWER_KEY_CVLAN_PRIO, TCA_FLOWER_KEY_CVLAN_ETH_TYPE,
			&key->cvlan, &mask->cvlan);
	fl_set_key_val(tb, &key->basic.n_proto, TCA_FLOWER_KEY_CVLAN_ETH_TYPE,
		       &mask->basic.n_proto, TCA_FLOWER_UNSPEC,
		       sizeof(key->basic.n_proto));
}

static void fl_set_key_flag(u32 flower_key, u32 flower_mask,
			    u32 *dissector_key, u32 *dissector_mask,
			    u32 flower_flag_bit, u32 dissector_flag_bit)
{
	if (flower_mask & flower_flag_bit) {
		*dissector_mask |= dissector_flag_bit;
		if (flower_key & flower_flag_bit)
			*dissector_key |= dissector_flag_bit;
	}
}

static int fl_set_key_flags(struct nlattr **tb, u32 *flags_key,
			    u32 *flags_mask, struct netlink_ext_ack *extack)
{
	u32 key, mask;

	/* mask is mandatory for flags */
	if (!tb[TCA_FLOWER_KEY_FLAGS_MASK]) {
		NL_SET_ERR_MSG(extack, "Missing flags mask");
		return -EINVAL;
	}
	key = ntohl(nla_get_u32(tb[TCA_FLOWER_KEY_FLAGS]));
	mask = ntohl(nla_get_u32(tb[TCA_FLOWER_KEY_FLAGS_MASK]));

	*flags_key = 0;
	*flags_mask = 0;
	fl_set_key_flag(key, mask, flags_key, flags_mask,
			TCA_FLOWER_KEY_FLAGS_IS_FRAGMENT, FLOW_DIS_IS_FRAGMENT);
	fl_set_key_flag(key, mask, flags_key, flags_mask,
			TCA_FLOWER_KEY_FLAGS_FRAG_IS_FIRST, FLOW_DIS_FIRST_FRAG);
	return 0;
}

static void fl_set_key_ip(struct nlattr **tb, bool encap,
			  struct flow_dissector_key_ip *key,
			  struct flow_dissector_key_ip *mask)
{
	int tos_key = encap ? TCA_FLOWER_KEY_ENC_IP_TOS : TCA_FLOWER_KEY_IP_TOS;
	int ttl_key = encap ? TCA_FLOWER_KEY_ENC_IP_TTL : TCA_FLOWER_KEY_IP_TTL;
	int tos_mask = encap ? TCA_FLOWER_KEY_ENC_IP_TOS_MASK : TCA_FLOWER_KEY_IP_TOS_MASK;
	int ttl_mask = encap ? TCA_FLOWER_KEY_ENC_IP_TTL_MASK : TCA_FLOWER_KEY_IP_TTL_MASK;

	fl_set_key_val(tb, &key->tos, tos_key, &mask->tos, tos_mask, sizeof(key->tos));
	fl_set_key_val(tb, &key->ttl, ttl_key, &mask->ttl, ttl_mask, sizeof(key->ttl));
}

static int fl_validate_ct_state(u16 state, const struct nlattr *tb,
				struct netlink_ext_ack *extack)
{
	if (state && !(state & TCA_FLOWER_KEY_CT_FLAGS_TRACKED)) {
		NL_SET_ERR_MSG_ATTR(extack, tb,
				    "no trk, so no other flag can be set");
		return -EINVAL;
	}
	if (state & TCA_FLOWER_KEY_CT_FLAGS_NEW &&
	    state & TCA_FLOWER_KEY_CT_FLAGS_ESTABLISHED) {
		NL_SET_ERR_MSG_ATTR(extack, tb,
				    "new and est are mutually exclusive");
		return -EINVAL;
	}
	if (state & TCA_FLOWER_KEY_CT_FLAGS_INVALID &&
	    state & ~(TCA_FLOWER_KEY_CT_FLAGS_TRACKED |
		      TCA_FLOWER_KEY_CT_FLAGS_INVALID)) {
		NL_SET_ERR_MSG_ATTR(extack, tb,
				    "when inv is set, only trk may be set");
		return -EINVAL;
	}
	if (state & TCA_FLOWER_KEY_CT_FLAGS_NEW &&
	    state & TCA_FLOWER_KEY_CT_FLAGS_REPLY) {
		NL_SET_ERR_MSG_ATTR(extack, tb,
				    "new and rpl are mutually exclusive");
		return -EINVAL;
	}
	return 0;
}

static int fl_set_key_ct(struct nlattr **tb, struct flow_dissector_key_ct *key,
			 struct flow_dissector_key_ct *mask,
			 struct netlink_ext_ack *extack)
{
	if (tb[TCA_FLOWER_KEY_CT_STATE]) {
		int err;

		fl_set_key_val(tb, &key->ct_state, TCA_FLOWER_KEY_CT_STATE,
			       &mask->ct_state, TCA_FLOWER_KEY_CT_STATE_MASK,
			       sizeof(key->ct_state));
		err = fl_validate_ct_state(key->ct_state & mask->ct_state,
					   tb[TCA_FLOWER_KEY_CT_STATE_MASK],
					   extack);
		if (err)
			return err;
	}
	fl_set_key_val(tb, &key->ct_zone, TCA_FLOWER_KEY_CT_ZONE,
		       &mask->ct_zone, TCA_FLOWER_KEY_CT_ZONE_MASK,
		       sizeof(key->ct_zone));
	fl_set_key_val(tb, &key->ct_mark, TCA_FLOWER_KEY_CT_MARK,
		       &mask->ct_mark, TCA_FLOWER_KEY_CT_MARK_MASK,
		       sizeof(key->ct_mark));
	fl_set_key_val(tb, key->ct_labels, TCA_FLOWER_KEY_CT_LABELS,
		       mask->ct_labels, TCA_FLOWER_KEY_CT_LABELS_MASK,
		       sizeof(key->ct_labels));
	return 0;
}

/* as tcf_change_indev(): the ifindex, or -errno */
static int fl_change_indev(const struct nlattr *indev_tlv,
			   struct netlink_ext_ack *extack)
{
	char indev[IFNAMSIZ];
	struct net_device *dev;
	int len = nla_len(indev_tlv);

	if (len && !((const char *)nla_data(indev_tlv))[len - 1])
		len--;
	if (len >= IFNAMSIZ) {
		NL_SET_ERR_MSG_ATTR(extack, indev_tlv, "Interface name too long");
		return -EINVAL;
	}
	nla_strscpy(indev, indev_tlv, sizeof(indev));
	dev = dev_get_by_name(indev);
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(extack, indev_tlv, "Network device not found");
		return -ENODEV;
	}
	return dev->ifindex;
}

/*
 * Keys Linux 6.1 accepts that struct fl_flow_key has no room for: refuse
 * them rather than install a filter that matches more than asked.
 */
static int fl_check_unsupported(struct nlattr **tb,
				struct netlink_ext_ack *extack)
{
	static const struct {
		int type;
		const char *msg;
	} unsupported[] = {
		{ TCA_FLOWER_KEY_MPLS_TTL, "MPLS keys are not supported" },
		{ TCA_FLOWER_KEY_MPLS_BOS, "MPLS keys are not supported" },
		{ TCA_FLOWER_KEY_MPLS_TC, "MPLS keys are not supported" },
		{ TCA_FLOWER_KEY_MPLS_LABEL, "MPLS keys are not supported" },
		{ TCA_FLOWER_KEY_MPLS_OPTS, "MPLS keys are not supported" },
		{ TCA_FLOWER_KEY_ENC_OPTS, "Tunnel options are not supported" },
		{ TCA_FLOWER_KEY_HASH, "Hash key is not supported" },
		{ TCA_FLOWER_KEY_NUM_OF_VLANS, "num_of_vlans is not supported" },
		{ TCA_FLOWER_KEY_PPPOE_SID, "PPPoE keys are not supported" },
		{ TCA_FLOWER_KEY_PPP_PROTO, "PPPoE keys are not supported" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(unsupported); i++) {
		if (tb[unsupported[i].type]) {
			NL_SET_ERR_MSG_ATTR(extack, tb[unsupported[i].type],
					    unsupported[i].msg);
			return -EOPNOTSUPP;
		}
	}
	return 0;
}

static void fl_set_key_l4(struct nlattr **tb, struct fl_flow_key *key,
			  struct fl_flow_key *mask)
{
	if (key->basic.ip_proto == IPPROTO_TCP) {
		fl_set_key_val(tb, &key->tp.src, TCA_FLOWER_KEY_TCP_SRC,
			       &mask->tp.src, TCA_FLOWER_KEY_TCP_SRC_MASK,
			       sizeof(key->tp.src));
		fl_set_key_val(tb, &key->tp.dst, TCA_FLOWER_KEY_TCP_DST,
			       &mask->tp.dst, TCA_FLOWER_KEY_TCP_DST_MASK,
			       sizeof(key->tp.dst));
		fl_set_key_val(tb, &key->tcp.flags, TCA_FLOWER_KEY_TCP_FLAGS,
			       &mask->tcp.flags, TCA_FLOWER_KEY_TCP_FLAGS_MASK,
			       sizeof(key->tcp.flags));
	} else if (key->basic.ip_proto == IPPROTO_UDP) {
		fl_set_key_val(tb, &key->tp.src, TCA_FLOWER_KEY_UDP_SRC,
			       &mask->tp.src, TCA_FLOWER_KEY_UDP_SRC_MASK,
			       sizeof(key->tp.src));
		fl_set_key_val(tb, &key->tp.dst, TCA_FLOWER_KEY_UDP_DST,
			       &mask->tp.dst, TCA_FLOWER_KEY_UDP_DST_MASK,
			       sizeof(key->tp.dst));
	} else if (key->basic.ip_proto == IPPROTO_SCTP) {
		fl_set_key_val(tb, &key->tp.src, TCA_FLOWER_KEY_SCTP_SRC,
			       &mask->tp.src, TCA_FLOWER_KEY_SCTP_SRC_MASK,
			       sizeof(key->tp.src));
		fl_set_key_val(tb, &key->tp.dst, TCA_FLOWER_KEY_SCTP_DST,
			       &mask->tp.dst, TCA_FLOWER_KEY_SCTP_DST_MASK,
			       sizeof(key->tp.dst));
	} else if (key->basic.n_proto == htons(ETH_P_IP) &&
		   key->basic.ip_proto == IPPROTO_ICMP) {
		fl_set_key_val(tb, &key->icmp.type, TCA_FLOWER_KEY_ICMPV4_TYPE,
			       &mask->icmp.type, TCA_FLOWER_KEY_ICMPV4_TYPE_MASK,
			       sizeof(key->icmp.type));
		fl_set_key_val(tb, &key->icmp.code, TCA_FLOWER_KEY_ICMPV4_CODE,
			       &mask->icmp.code, TCA_FLOWER_KEY_ICMPV4_CODE_MASK,
			       sizeof(key->icmp.code));
	} else if (key->basic.n_proto == htons(ETH_P_IPV6) &&
		   key->basic.ip_proto == IPPROTO_ICMPV6) {
		fl_set_key_val(tb, &key->icmp.type, TCA_FLOWER_KEY_ICMPV6_TYPE,
			       &mask->icmp.type, TCA_FLOWER_KEY_ICMPV6_TYPE_MASK,
			       sizeof(key->icmp.type));
		fl_set_key_val(tb, &key->icmp.code, TCA_FLOWER_KEY_ICMPV6_CODE,
			       &mask->icmp.code, TCA_FLOWER_KEY_ICMPV6_CODE_MASK,
			       sizeof(key->icmp.code));
	} else if (key->basic.n_proto == htons(ETH_P_ARP) ||
		   key->basic.n_proto == htons(ETH_P_RARP)) {
		fl_set_key_val(tb, &key->arp.sip, TCA_FLOWER_KEY_ARP_SIP,
			       &mask->arp.sip, TCA_FLOWER_KEY_ARP_SIP_MASK,
			       sizeof(key->arp.sip));
		fl_set_key_val(tb, &key->arp.tip, TCA_FLOWER_KEY_ARP_TIP,
			       &mask->arp.tip, TCA_FLOWER_KEY_ARP_TIP_MASK,
			       sizeof(key->arp.tip));
		fl_set_key_val(tb, &key->arp.op, TCA_FLOWER_KEY_ARP_OP,
			       &mask->arp.op, TCA_FLOWER_KEY_ARP_OP_MASK,
			       sizeof(key->arp.op));
		fl_set_key_val(tb, key->arp.sha, TCA_FLOWER_KEY_ARP_SHA,
			       mask->arp.sha, TCA_FLOWER_KEY_ARP_SHA_MASK,
			       sizeof(key->arp.sha));
		fl_set_key_val(tb, key->arp.tha, TCA_FLOWER_KEY_ARP_THA,
			       mask->arp.tha, TCA_FLOWER_KEY_ARP_THA_MASK,
			       sizeof(key->arp.tha));
	}
}

static void fl_set_key_enc(struct nlattr **tb, struct fl_flow_key *key,
			   struct fl_flow_key *mask)
{
	if (tb[TCA_FLOWER_KEY_ENC_IPV4_SRC] || tb[TCA_FLOWER_KEY_ENC_IPV4_DST]) {
		key->enc_control.addr_type = FLOW_DISSECTOR_KEY_IPV4_ADDRS;
		mask->enc_control.addr_type = 0xffff;
		fl_set_key_val(tb, &key->enc_ipv4.src, TCA_FLOWER_KEY_ENC_IPV4_SRC,
			       &mask->enc_ipv4.src, TCA_FLOWER_KEY_ENC_IPV4_SRC_MASK,
			       sizeof(key->enc_ipv4.src));
		fl_set_key_val(tb, &key->enc_ipv4.dst, TCA_FLOWER_KEY_ENC_IPV4_DST,
			       &mask->enc_ipv4.dst, TCA_FLOWER_KEY_ENC_IPV4_DST_MASK,
			       sizeof(key->enc_ipv4.dst));
	}
	/* not "else": as in the kernel, IPv6 wins when both are given */
	if (tb[TCA_FLOWER_KEY_ENC_IPV6_SRC] || tb[TCA_FLOWER_KEY_ENC_IPV6_DST]) {
		key->enc_control.addr_type = FLOW_DISSECTOR_KEY_IPV6_ADDRS;
		mask->enc_control.addr_type = 0xffff;
		fl_set_key_val(tb, &key->enc_ipv6.src, TCA_FLOWER_KEY_ENC_IPV6_SRC,
			       &mask->enc_ipv6.src, TCA_FLOWER_KEY_ENC_IPV6_SRC_MASK,
			       sizeof(key->enc_ipv6.src));
		fl_set_key_val(tb, &key->enc_ipv6.dst, TCA_FLOWER_KEY_ENC_IPV6_DST,
			       &mask->enc_ipv6.dst, TCA_FLOWER_KEY_ENC_IPV6_DST_MASK,
			       sizeof(key->enc_ipv6.dst));
	}
	fl_set_key_val(tb, &key->enc_key_id.keyid, TCA_FLOWER_KEY_ENC_KEY_ID,
		       &mask->enc_key_id.keyid, TCA_FLOWER_UNSPEC,
		       sizeof(key->enc_key_id.keyid));
	fl_set_key_val(tb, &key->enc_tp.src, TCA_FLOWER_KEY_ENC_UDP_SRC_PORT,
		       &mask->enc_tp.src, TCA_FLOWER_KEY_ENC_UDP_SRC_PORT_MASK,
		       sizeof(key->enc_tp.src));
	fl_set_key_val(tb, &key->enc_tp.dst, TCA_FLOWER_KEY_ENC_UDP_DST_PORT,
		       &mask->enc_tp.dst, TCA_FLOWER_KEY_ENC_UDP_DST_PORT_MASK,
		       sizeof(key->enc_tp.dst));
	fl_set_key_ip(tb, true, &key->enc_ip, &mask->enc_ip);
}

static int fl_set_key(struct nlattr **tb, struct fl_flow_key *key,
		      struct fl_flow_key *mask, struct netlink_ext_ack *extack)
{
	int ret;

	ret = fl_check_unsupported(tb, extack);
	if (ret)
		return ret;

	if (tb[TCA_FLOWER_INDEV]) {
		int err = fl_change_indev(tb[TCA_FLOWER_INDEV], extack);

		if (err < 0)
			return err;
		key->meta.ingress_ifindex = err;
		mask->meta.ingress_ifindex = 0xffffffff;
	}

	fl_set_key_val(tb, key->eth.dst, TCA_FLOWER_KEY_ETH_DST,
		       mask->eth.dst, TCA_FLOWER_KEY_ETH_DST_MASK,
		       sizeof(key->eth.dst));
	fl_set_key_val(tb, key->eth.src, TCA_FLOWER_KEY_ETH_SRC,
		       mask->eth.src, TCA_FLOWER_KEY_ETH_SRC_MASK,
		       sizeof(key->eth.src));
	fl_set_key_eth_type(tb, key, mask);

	if (key->basic.n_proto == htons(ETH_P_IP) ||
	    key->basic.n_proto == htons(ETH_P_IPV6)) {
		fl_set_key_val(tb, &key->basic.ip_proto, TCA_FLOWER_KEY_IP_PROTO,
			       &mask->basic.ip_proto, TCA_FLOWER_UNSPEC,
			       sizeof(key->basic.ip_proto));
		fl_set_key_ip(tb, false, &key->ip, &mask->ip);
	}

	if (tb[TCA_FLOWER_KEY_IPV4_SRC] || tb[TCA_FLOWER_KEY_IPV4_DST]) {
		key->control.addr_type = FLOW_DISSECTOR_KEY_IPV4_ADDRS;
		mask->control.addr_type = 0xffff;
		fl_set_key_val(tb, &key->ipv4.src, TCA_FLOWER_KEY_IPV4_SRC,
			       &mask->ipv4.src, TCA_FLOWER_KEY_IPV4_SRC_MASK,
			       sizeof(key->ipv4.src));
		fl_set_key_val(tb, &key->ipv4.dst, TCA_FLOWER_KEY_IPV4_DST,
			       &mask->ipv4.dst, TCA_FLOWER_KEY_IPV4_DST_MASK,
			       sizeof(key->ipv4.dst));
	} else if (tb[TCA_FLOWER_KEY_IPV6_SRC] || tb[TCA_FLOWER_KEY_IPV6_DST]) {
		key->control.addr_type = FLOW_DISSECTOR_KEY_IPV6_ADDRS;
		mask->control.addr_type = 0xffff;
		fl_set_key_val(tb, &key->ipv6.src, TCA_FLOWER_KEY_IPV6_SRC,
			       &mask->ipv6.src, TCA_FLOWER_KEY_IPV6_SRC_MASK,
			       sizeof(key->ipv6.src));
		fl_set_key_val(tb, &key->ipv6.dst, TCA_FLOWER_KEY_IPV6_DST,
			       &mask->ipv6.dst, TCA_FLOWER_KEY_IPV6_DST_MASK,
			       sizeof(key->ipv6.dst));
	}

	fl_set_key_l4(tb, key, mask);

	if (key->basic.ip_proto == IPPROTO_TCP ||
	    key->basic.ip_proto == IPPROTO_UDP ||
	    key->basic.ip_proto == IPPROTO_SCTP) {
		ret = fl_set_key_port_range(tb, key, mask, extack);
		if (ret)
			return ret;
	}

	fl_set_key_enc(tb, key, mask);

	ret = fl_set_key_ct(tb, &key->ct, &mask->ct, extack);
	if (ret)
		return ret;

	if (tb[TCA_FLOWER_KEY_FLAGS])
		ret = fl_set_key_flags(tb, &key->control.flags,
				       &mask->control.flags, extack);
	return ret;
}

/*
 * The filter's mask: an existing one with the same key, or a new one,
 * published at the tail of head->masks.  A replacement must keep the old
 * filter's mask: the kernel refuses anything else with a bare -EINVAL.
 */
static int fl_check_assign_mask(struct cls_fl_head *head,
				struct cls_fl_filter *fnew,
				struct cls_fl_filter *fold,
				struct fl_flow_mask *mask)
{
	struct fl_flow_mask *m, *newmask;

	list_for_each_entry(m, &head->masks, list) {
		if (memcmp(&m->key, &mask->key, sizeof(mask->key)))
			continue;
		if (fold && fold->mask != m)
			return -EINVAL;
		m->refcnt++;
		fnew->mask = m;
		return 0;
	}
	if (fold)
		return -EINVAL;

	newmask = kzalloc(sizeof(*newmask), GFP_KERNEL);
	if (!newmask)
		return -ENOMEM;
	newmask->key = mask->key;
	newmask->range = mask->range;
	fl_init_dissector(&newmask->dissector, &newmask->key);
	if ((newmask->key.tp_range.tp_min.dst &&
	     newmask->key.tp_range.tp_max.dst) ||
	    (newmask->key.tp_range.tp_min.src &&
	     newmask->key.tp_range.tp_max.src))
		newmask->flags |= TCA_FLOWER_MASK_FLAGS_RANGE;
	newmask->ht = cds_lfht_new_flavor(16, 16, 0,
					  CDS_LFHT_AUTO_RESIZE | CDS_LFHT_ACCOUNTING,
					  &urcu_memb_flavor, NULL);
	if (!newmask->ht) {
		kfree(newmask);
		return -ENOMEM;
	}
	INIT_LIST_HEAD(&newmask->filters);
	newmask->refcnt = 1;
	list_add_tail_rcu(&newmask->list, &head->masks);
	fnew->mask = newmask;
	return 0;
}

static int fl_set_parms(struct tcf_proto *tp, struct cls_fl_filter *f,
			struct fl_flow_mask *mask, struct nlattr **tb,
			const struct fl_flow_tmplt *tmplt, u32 flags,
			struct netlink_ext_ack *extack)
{
	int err;

	err = tcf_exts_validate(tp, tb, &f->exts, flags, extack);
	if (err < 0)
		return err;

	if (tb[TCA_FLOWER_CLASSID])
		f->res.classid = nla_get_u32(tb[TCA_FLOWER_CLASSID]);

	err = fl_set_key(tb, &f->key, &mask->key, extack);
	if (err)
		return err;

	fl_mask_update_range(mask);
	fl_set_masked_key(&f->mkey, &f->key, mask);

	if (!fl_mask_fits_tmplt(tmplt, mask)) {
		NL_SET_ERR_MSG_MOD(extack, "cls_flower: Mask does not fit the template");
		return -EINVAL;
	}
	return 0;
}

/* position iter on node, among the entries with key mkey */
static void fl_ht_find_node(struct cds_lfht *ht, unsigned long hash,
			    const struct fl_flow_key *mkey,
			    const struct cds_lfht_node *node,
			    struct cds_lfht_iter *iter)
{
	struct cds_lfht_node *n;

	cds_lfht_lookup(ht, hash, fl_ht_match, mkey, iter);
	while ((n = cds_lfht_iter_get_node(iter)) && n != node)
		cds_lfht_next_duplicate(ht, fl_ht_match, mkey, iter);
}

/*
 * Put fnew in its mask's hash table.  A filter with the same masked key is
 * an error (-EEXIST, no message, as in the kernel), except when replacing:
 * then the old filter's node is swapped for the new one in one step, so
 * readers find one or the other, never neither.
 */
static int fl_ht_insert(struct cls_fl_filter *fnew, struct cls_fl_filter *fold)
{
	struct fl_flow_mask *mask = fnew->mask;
	unsigned long hash = fl_mkey_hash(&fnew->mkey, mask);
	struct cds_lfht_node *node;
	int err = 0;

	rcu_tsan_publish(&fnew->ht_node);
	rcu_read_lock();
	node = cds_lfht_add_unique(mask->ht, hash, fl_ht_match, &fnew->mkey,
				   &fnew->ht_node);
	if (node == &fnew->ht_node)
		goto out;
	if (!fold) {
		err = -EEXIST;
		goto out;
	}
	if (node == &fold->ht_node) {
		struct cds_lfht_iter iter;

		fl_ht_find_node(mask->ht, hash, &fnew->mkey, &fold->ht_node,
				&iter);
		if (!cds_lfht_replace(mask->ht, &iter, hash, fl_ht_match,
				      &fnew->mkey, &fnew->ht_node))
			goto out_replaced;
	}
	/* another filter has this key: the kernel lets the replacement in */
	cds_lfht_add(mask->ht, hash, &fnew->ht_node);
out:
	rcu_read_unlock();
	return err;
out_replaced:
	rcu_read_unlock();
	return 1;
}

static const struct fl_flow_tmplt *fl_tmplt(const struct tcf_proto *tp)
{
	const struct tcf_chain *chain = tp->chain;

	if (!chain || chain->tmplt_ops != &cls_fl_ops)
		return NULL;
	return chain->tmplt_priv;
}

static void fl_filter_abort(struct cls_fl_filter *f, bool exts_init)
{
	if (exts_init)
		tcf_exts_destroy(&f->exts);
	kfree(f);
}

/*
 * Create a filter, or replace *arg (same handle, same mask) with a new one
 * built from scratch: readers see the old or the new filter, never
 * neither, and the old one is freed after a grace period.  On error *arg
 * and everything it is linked to are left as they were.
 */
static int fl_change(struct tcf_proto *tp, unsigned long base, u32 handle,
		     struct nlattr **tca, void **arg, u32 flags,
		     struct netlink_ext_ack *extack)
{
	struct cls_fl_head *head = tp->root;
	struct cls_fl_filter *fold = *arg;
	struct fl_flow_mask *dead_mask = NULL;
	struct nlattr *tb[FL_TCA_MAX + 1];
	struct cls_fl_filter *fnew;
	struct fl_flow_mask mask;
	bool replaced = false, visible = false;
	int err;

	(void)base;
	if (!tca[TCA_OPTIONS])
		return -EINVAL;
	err = fl_parse_opts(tb, tca[TCA_OPTIONS]);
	if (err < 0)
		return err;
	if (fold && handle && fold->handle != handle)
		return -EINVAL;
	if (!fold && handle && idr_find(&head->handles, handle))
		return -EEXIST;

	fnew = kzalloc(sizeof(*fnew), GFP_KERNEL);
	if (!fnew)
		return -ENOBUFS;
	INIT_LIST_HEAD(&fnew->hw_list);
	err = tcf_exts_init(&fnew->exts, TCA_FLOWER_ACT, 0);
	if (err < 0) {
		fl_filter_abort(fnew, false);
		return err;
	}

	if (tb[TCA_FLOWER_FLAGS]) {
		fnew->flags = nla_get_u32(tb[TCA_FLOWER_FLAGS]);
		if (!tc_flags_valid(fnew->flags)) {
			err = -EINVAL;
			goto errout;
		}
	}

	memset(&mask, 0, sizeof(mask));
	err = fl_set_parms(tp, fnew, &mask, tb, fl_tmplt(tp), flags, extack);
	if (err)
		goto errout;

	err = fl_check_assign_mask(head, fnew, fold, &mask);
	if (err)
		goto errout;

	err = fl_ht_insert(fnew, fold);
	if (err < 0)
		goto errout_mask;
	replaced = err == 1;

	if (!tc_skip_hw(fnew->flags)) {
		err = fl_hw_replace_filter(tp, fnew, extack);
		if (err)
			goto errout_hw;
	}
	/* fnew is in the hash table: the datapath reads its flags */
	if (!tc_in_hw(fnew->flags))
		WRITE_ONCE(fnew->flags, fnew->flags | TCA_CLS_FLAGS_NOT_IN_HW);

	if (fold) {
		fnew->handle = fold->handle;
		if (!replaced)
			fl_ht_del(fold);
		idr_replace(&head->handles, fnew, fnew->handle);
		list_replace_rcu(&fold->list, &fnew->list);
		if (fl_mask_put(fold->mask))
			dead_mask = fold->mask;
		/* drivers got the new filter above, as a new cookie */
		if (!tc_skip_hw(fold->flags))
			fl_hw_destroy_filter(tp, fold, NULL);
		/* readers may still run the old filter's actions */
		synchronize_rcu();
		fl_filter_free(fold);
		if (dead_mask)
			fl_mask_free(dead_mask);
	} else {
		/* the given handle, or the lowest free one from 1 */
		u32 id = handle ? handle : 1;

		err = idr_alloc_u32(&head->handles, fnew, &id, handle ? handle : INT32_MAX,
				    GFP_KERNEL);
		handle = id;
		if (err)
			goto errout_hw;
		fnew->handle = handle;
		list_add_tail_rcu(&fnew->list, &fnew->mask->filters);
	}

	*arg = fnew;
	return 0;

errout_hw:
	/* also after a failed offer: callbacks that took it before the refusal */
	if (!tc_skip_hw(fnew->flags))
		fl_hw_destroy_filter(tp, fnew, NULL);
	if (replaced) {
		/* put the old filter back where it was */
		struct cds_lfht_iter iter;
		unsigned long hash = fl_mkey_hash(&fnew->mkey, fnew->mask);

		rcu_tsan_publish(&fold->ht_node);
		rcu_read_lock();
		fl_ht_find_node(fnew->mask->ht, hash, &fnew->mkey,
				&fnew->ht_node, &iter);
		cds_lfht_replace(fnew->mask->ht, &iter, hash, fl_ht_match,
				 &fnew->mkey, &fold->ht_node);
		rcu_read_unlock();
	} else {
		fl_ht_del(fnew);
	}
	visible = true;
errout_mask:
	if (fl_mask_put(fnew->mask))
		dead_mask = fnew->mask;
	/* readers may have found fnew, or the mask created for it */
	if (visible || dead_mask)
		synchronize_rcu();
	if (dead_mask)
		fl_mask_free(dead_mask);
errout:
	fl_filter_abort(fnew, true);
	return err;
}

static int fl_delete(struct tcf_proto *tp, void *arg, bool *last,
		     struct netlink_ext_ack *extack)
{
	struct cls_fl_head *head = tp->root;
	struct cls_fl_filter *f = arg;
	struct fl_flow_mask *dead_mask;

	dead_mask = __fl_unlink(head, f);
	*last = list_empty(&head->masks);
	if (!tc_skip_hw(f->flags))
		fl_hw_destroy_filter(tp, f, extack);
	synchronize_rcu();
	fl_filter_free(f);
	if (dead_mask)
		fl_mask_free(dead_mask);
	return 0;
}

static bool fl_delete_empty(struct tcf_proto *tp)
{
	struct cls_fl_head *head = tp->root;

	tp->deleting = !head->handles.nr;
	return tp->deleting;
}

/*
 * Filters in handle order from arg->cookie on; arg->cookie is left at the
 * handle to resume from (the one whose fn() failed, or one past the last),
 * as the kernel's idr walk does.
 */
static void fl_walk(struct tcf_proto *tp, struct tcf_walker *arg)
{
	struct cls_fl_head *head = tp->root;
	unsigned long id = arg->cookie;
	struct cls_fl_filter *f;

	arg->count = arg->skip;
	while ((f = idr_get_next_ul(&head->handles, &id))) {
		if (arg->fn(tp, f, arg) < 0) {
			arg->stop = 1;
			break;
		}
		arg->count++;
		id++;
	}
	arg->cookie = id;
}

static u32 fl_hw_count(struct tcf_proto *tp, void *fh)
{
	const struct cls_fl_filter *f = fh;

	(void)tp;
	return f ? f->in_hw_count : 0;
}

/* ---- ctoffload explain filter ---- */

static const char *fl_hw_reason(const struct tcf_proto *tp, const struct cls_fl_filter *f,
				const struct net_device *dev)
{
	if (tc_skip_hw(f->flags))
		return "skip_hw was set";
	if (f->hw_reason[0])
		return f->hw_reason;
	return tcf_block_offload_reason(tp->chain->block, dev, f->flags);
}

static int fl_explain(struct tcf_proto *tp, void *fh, const struct net_device *dev, FILE *out)
{
	const struct cls_fl_filter *f = fh;
	bool in_hw = tc_in_hw(f->flags);

	fputs("{\"dev\":", out);
	ctoffload_json_str(out, dev->name);
	fprintf(out, ",\"chain\":%u,\"prio\":%u,\"handle\":\"0x%x\",\"kind\":\"%s\"",
		tp->chain->index, tp->prio >> 16, f->handle, tp->ops->kind);
	fprintf(out, ",\"in_hw\":%s,\"in_hw_count\":%u,\"skip_hw\":%s,\"skip_sw\":%s",
		in_hw ? "true" : "false", f->in_hw_count, tc_skip_hw(f->flags) ? "true" : "false",
		tc_skip_sw(f->flags) ? "true" : "false");
	if (!in_hw) {
		fputs(",\"reason\":", out);
		ctoffload_json_str(out, fl_hw_reason(tp, f, dev));
	}
	/* the drivers know the filter by the cookie fl_hw_replace_filter() gave them */
	fputs(",\"hw\":", out);
	ctoffload_flow_describe((unsigned long)f, out);
	fputc('}', out);
	return ferror(out) ? -ENOMEM : 0;
}

/* ---- dump ---- */

static void fl_dump_key_val(struct nlmsghdr *nlh, const void *val, int val_type,
			    const void *mask, int mask_type, int len)
{
	if (!fl_mask_set(mask, len))
		return;
	nla_put(nlh, val_type, len, val);
	if (mask_type != TCA_FLOWER_UNSPEC)
		nla_put(nlh, mask_type, len, mask);
}

static void fl_dump_key_port_range(struct nlmsghdr *nlh,
				   const struct fl_flow_key *key,
				   const struct fl_flow_key *mask)
{
	fl_dump_key_val(nlh, &key->tp_range.tp_min.dst, TCA_FLOWER_KEY_PORT_DST_MIN,
			&mask->tp_range.tp_min.dst, TCA_FLOWER_UNSPEC,
			sizeof(key->tp_range.tp_min.dst));
	fl_dump_key_val(nlh, &key->tp_range.tp_max.dst, TCA_FLOWER_KEY_PORT_DST_MAX,
			&mask->tp_range.tp_max.dst, TCA_FLOWER_UNSPEC,
			sizeof(key->tp_range.tp_max.dst));
	fl_dump_key_val(nlh, &key->tp_range.tp_min.src, TCA_FLOWER_KEY_PORT_SRC_MIN,
			&mask->tp_range.tp_min.src, TCA_FLOWER_UNSPEC,
			sizeof(key->tp_range.tp_min.src));
	fl_dump_key_val(nlh, &key->tp_range.tp_max.src, TCA_FLOWER_KEY_PORT_SRC_MAX,
			&mask->tp_range.tp_max.src, TCA_FLOWER_UNSPEC,
			sizeof(key->tp_range.tp_max.src));
}

static void fl_dump_key_ip(struct nlmsghdr *nlh, bool encap,
			   const struct flow_dissector_key_ip *key,
			   const struct flow_dissector_key_ip *mask)
{
	int tos_key = encap ? TCA_FLOWER_KEY_ENC_IP_TOS : TCA_FLOWER_KEY_IP_TOS;
	int ttl_key = encap ? TCA_FLOWER_KEY_ENC_IP_TTL : TCA_FLOWER_KEY_IP_TTL;
	int tos_mask = encap ? TCA_FLOWER_KEY_ENC_IP_TOS_MASK : TCA_FLOWER_KEY_IP_TOS_MASK;
	int ttl_mask = encap ? TCA_FLOWER_KEY_ENC_IP_TTL_MASK : TCA_FLOWER_KEY_IP_TTL_MASK;

	fl_dump_key_val(nlh, &key->tos, tos_key, &mask->tos, tos_mask, sizeof(key->tos));
	fl_dump_key_val(nlh, &key->ttl, ttl_key, &mask->ttl, ttl_mask, sizeof(key->ttl));
}

static void fl_dump_key_vlan(struct nlmsghdr *nlh, int vlan_id_key,
			     int vlan_prio_key,
			     const struct flow_dissector_key_vlan *vlan_key,
			     const struct flow_dissector_key_vlan *vlan_mask)
{
	if (!fl_mask_set(vlan_mask, sizeof(*vlan_mask)))
		return;
	if (vlan_mask->vlan_id)
		nla_put_u16(nlh, vlan_id_key, vlan_key->vlan_id);
	if (vlan_mask->vlan_priority)
		nla_put_u8(nlh, vlan_prio_key, vlan_key->vlan_priority);
}

/* the outer and inner tags and the ethertypes after them */
static void fl_dump_key_vlans(struct nlmsghdr *nlh, const struct fl_flow_key *key,
			      const struct fl_flow_key *mask)
{
	fl_dump_key_vlan(nlh, TCA_FLOWER_KEY_VLAN_ID, TCA_FLOWER_KEY_VLAN_PRIO,
			 &key->vlan, &mask->vlan);
	fl_dump_key_vlan(nlh, TCA_FLOWER_KEY_CVLAN_ID, TCA_FLOWER_KEY_CVLAN_PRIO,
			 &key->cvlan, &mask->cvlan);
	if (mask->cvlan.vlan_tpid)
		nla_put_u16(nlh, TCA_FLOWER_KEY_VLAN_ETH_TYPE, key->cvlan.vlan_tpid);
	if (!mask->basic.n_proto)
		return;
	if (mask->cvlan.vlan_eth_type)
		nla_put_u16(nlh, TCA_FLOWER_KEY_CVLAN_ETH_TYPE, key->basic.n_proto);
	else if (mask->vlan.vlan_eth_type)
		nla_put_u16(nlh, TCA_FLOWER_KEY_VLAN_ETH_TYPE, key->vlan.vlan_eth_type);
}

static void fl_get_key_flag(u32 dissector_key, u32 dissector_mask,
			    u32 *flower_key, u32 *flower_mask,
			    u32 flower_flag_bit, u32 dissector_flag_bit)
{
	if (dissector_mask & dissector_flag_bit) {
		*flower_mask |= flower_flag_bit;
		if (dissector_key & dissector_flag_bit)
			*flower_key |= flower_flag_bit;
	}
}

static void fl_dump_key_flags(struct nlmsghdr *nlh, u32 flags_key, u32 flags_mask)
{
	u32 key = 0, mask = 0;

	if (!flags_mask)
		return;
	fl_get_key_flag(flags_key, flags_mask, &key, &mask,
			TCA_FLOWER_KEY_FLAGS_IS_FRAGMENT, FLOW_DIS_IS_FRAGMENT);
	fl_get_key_flag(flags_key, flags_mask, &key, &mask,
			TCA_FLOWER_KEY_FLAGS_FRAG_IS_FIRST, FLOW_DIS_FIRST_FRAG);
	nla_put_u32(nlh, TCA_FLOWER_KEY_FLAGS, htonl(key));
	nla_put_u32(nlh, TCA_FLOWER_KEY_FLAGS_MASK, htonl(mask));
}

static void fl_dump_key_ct(struct nlmsghdr *nlh,
			   const struct flow_dissector_key_ct *key,
			   const struct flow_dissector_key_ct *mask)
{
	fl_dump_key_val(nlh, &key->ct_state, TCA_FLOWER_KEY_CT_STATE,
			&mask->ct_state, TCA_FLOWER_KEY_CT_STATE_MASK,
			sizeof(key->ct_state));
	fl_dump_key_val(nlh, &key->ct_zone, TCA_FLOWER_KEY_CT_ZONE,
			&mask->ct_zone, TCA_FLOWER_KEY_CT_ZONE_MASK,
			sizeof(key->ct_zone));
	fl_dump_key_val(nlh, &key->ct_mark, TCA_FLOWER_KEY_CT_MARK,
			&mask->ct_mark, TCA_FLOWER_KEY_CT_MARK_MASK,
			sizeof(key->ct_mark));
	fl_dump_key_val(nlh, key->ct_labels, TCA_FLOWER_KEY_CT_LABELS,
			mask->ct_labels, TCA_FLOWER_KEY_CT_LABELS_MASK,
			sizeof(key->ct_labels));
}

static void fl_dump_key_l4(struct nlmsghdr *nlh, const struct fl_flow_key *key,
			   const struct fl_flow_key *mask)
{
	int src = 0, dst = 0, src_mask = 0, dst_mask = 0;

	switch (key->basic.ip_proto) {
	case IPPROTO_TCP:
		src = TCA_FLOWER_KEY_TCP_SRC;
		src_mask = TCA_FLOWER_KEY_TCP_SRC_MASK;
		dst = TCA_FLOWER_KEY_TCP_DST;
		dst_mask = TCA_FLOWER_KEY_TCP_DST_MASK;
		break;
	case IPPROTO_UDP:
		src = TCA_FLOWER_KEY_UDP_SRC;
		src_mask = TCA_FLOWER_KEY_UDP_SRC_MASK;
		dst = TCA_FLOWER_KEY_UDP_DST;
		dst_mask = TCA_FLOWER_KEY_UDP_DST_MASK;
		break;
	case IPPROTO_SCTP:
		src = TCA_FLOWER_KEY_SCTP_SRC;
		src_mask = TCA_FLOWER_KEY_SCTP_SRC_MASK;
		dst = TCA_FLOWER_KEY_SCTP_DST;
		dst_mask = TCA_FLOWER_KEY_SCTP_DST_MASK;
		break;
	}
	if (src) {
		fl_dump_key_val(nlh, &key->tp.src, src, &mask->tp.src, src_mask,
				sizeof(key->tp.src));
		fl_dump_key_val(nlh, &key->tp.dst, dst, &mask->tp.dst, dst_mask,
				sizeof(key->tp.dst));
		if (key->basic.ip_proto == IPPROTO_TCP)
			fl_dump_key_val(nlh, &key->tcp.flags, TCA_FLOWER_KEY_TCP_FLAGS,
					&mask->tcp.flags, TCA_FLOWER_KEY_TCP_FLAGS_MASK,
					sizeof(key->tcp.flags));
	} else if (key->basic.n_proto == htons(ETH_P_IP) &&
		   key->basic.ip_proto == IPPROTO_ICMP) {
		fl_dump_key_val(nlh, &key->icmp.type, TCA_FLOWER_KEY_ICMPV4_TYPE,
				&mask->icmp.type, TCA_FLOWER_KEY_ICMPV4_TYPE_MASK,
				sizeof(key->icmp.type));
		fl_dump_key_val(nlh, &key->icmp.code, TCA_FLOWER_KEY_ICMPV4_CODE,
				&mask->icmp.code, TCA_FLOWER_KEY_ICMPV4_CODE_MASK,
				sizeof(key->icmp.code));
	} else if (key->basic.n_proto == htons(ETH_P_IPV6) &&
		   key->basic.ip_proto == IPPROTO_ICMPV6) {
		fl_dump_key_val(nlh, &key->icmp.type, TCA_FLOWER_KEY_ICMPV6_TYPE,
				&mask->icmp.type, TCA_FLOWER_KEY_ICMPV6_TYPE_MASK,
				sizeof(key->icmp.type));
		fl_dump_key_val(nlh, &key->icmp.code, TCA_FLOWER_KEY_ICMPV6_CODE,
				&mask->icmp.code, TCA_FLOWER_KEY_ICMPV6_CODE_MASK,
				sizeof(key->icmp.code));
	} else if (key->basic.n_proto == htons(ETH_P_ARP) ||
		   key->basic.n_proto == htons(ETH_P_RARP)) {
		fl_dump_key_val(nlh, &key->arp.sip, TCA_FLOWER_KEY_ARP_SIP,
				&mask->arp.sip, TCA_FLOWER_KEY_ARP_SIP_MASK,
				sizeof(key->arp.sip));
		fl_dump_key_val(nlh, &key->arp.tip, TCA_FLOWER_KEY_ARP_TIP,
				&mask->arp.tip, TCA_FLOWER_KEY_ARP_TIP_MASK,
				sizeof(key->arp.tip));
		fl_dump_key_val(nlh, &key->arp.op, TCA_FLOWER_KEY_ARP_OP,
				&mask->arp.op, TCA_FLOWER_KEY_ARP_OP_MASK,
				sizeof(key->arp.op));
		fl_dump_key_val(nlh, key->arp.sha, TCA_FLOWER_KEY_ARP_SHA,
				mask->arp.sha, TCA_FLOWER_KEY_ARP_SHA_MASK,
				sizeof(key->arp.sha));
		fl_dump_key_val(nlh, key->arp.tha, TCA_FLOWER_KEY_ARP_THA,
				mask->arp.tha, TCA_FLOWER_KEY_ARP_THA_MASK,
				sizeof(key->arp.tha));
	}
}

static void fl_dump_key_enc(struct nlmsghdr *nlh, const struct fl_flow_key *key,
			    const struct fl_flow_key *mask)
{
	if (key->enc_control.addr_type == FLOW_DISSECTOR_KEY_IPV4_ADDRS) {
		fl_dump_key_val(nlh, &key->enc_ipv4.src, TCA_FLOWER_KEY_ENC_IPV4_SRC,
				&mask->enc_ipv4.src, TCA_FLOWER_KEY_ENC_IPV4_SRC_MASK,
				sizeof(key->enc_ipv4.src));
		fl_dump_key_val(nlh, &key->enc_ipv4.dst, TCA_FLOWER_KEY_ENC_IPV4_DST,
				&mask->enc_ipv4.dst, TCA_FLOWER_KEY_ENC_IPV4_DST_MASK,
				sizeof(key->enc_ipv4.dst));
	} else if (key->enc_control.addr_type == FLOW_DISSECTOR_KEY_IPV6_ADDRS) {
		fl_dump_key_val(nlh, &key->enc_ipv6.src, TCA_FLOWER_KEY_ENC_IPV6_SRC,
				&mask->enc_ipv6.src, TCA_FLOWER_KEY_ENC_IPV6_SRC_MASK,
				sizeof(key->enc_ipv6.src));
		fl_dump_key_val(nlh, &key->enc_ipv6.dst, TCA_FLOWER_KEY_ENC_IPV6_DST,
				&mask->enc_ipv6.dst, TCA_FLOWER_KEY_ENC_IPV6_DST_MASK,
				sizeof(key->enc_ipv6.dst));
	}
	fl_dump_key_val(nlh, &key->enc_key_id, TCA_FLOWER_KEY_ENC_KEY_ID,
			&mask->enc_key_id, TCA_FLOWER_UNSPEC,
			sizeof(key->enc_key_id));
	fl_dump_key_val(nlh, &key->enc_tp.src, TCA_FLOWER_KEY_ENC_UDP_SRC_PORT,
			&mask->enc_tp.src, TCA_FLOWER_KEY_ENC_UDP_SRC_PORT_MASK,
			sizeof(key->enc_tp.src));
	fl_dump_key_val(nlh, &key->enc_tp.dst, TCA_FLOWER_KEY_ENC_UDP_DST_PORT,
			&mask->enc_tp.dst, TCA_FLOWER_KEY_ENC_UDP_DST_PORT_MASK,
			sizeof(key->enc_tp.dst));
	fl_dump_key_ip(nlh, true, &key->enc_ip, &mask->enc_ip);
}

/* the keys whose mask is set, in the order of the kernel's fl_dump_key() */
static void fl_dump_key(struct nlmsghdr *nlh, const struct fl_flow_key *key,
			const struct fl_flow_key *mask)
{
	if (mask->meta.ingress_ifindex) {
		struct net_device *dev = dev_get_by_index(key->meta.ingress_ifindex);

		if (dev)
			nla_put_string(nlh, TCA_FLOWER_INDEV, dev->name);
	}

	fl_dump_key_val(nlh, key->eth.dst, TCA_FLOWER_KEY_ETH_DST,
			mask->eth.dst, TCA_FLOWER_KEY_ETH_DST_MASK,
			sizeof(key->eth.dst));
	fl_dump_key_val(nlh, key->eth.src, TCA_FLOWER_KEY_ETH_SRC,
			mask->eth.src, TCA_FLOWER_KEY_ETH_SRC_MASK,
			sizeof(key->eth.src));
	fl_dump_key_val(nlh, &key->basic.n_proto, TCA_FLOWER_KEY_ETH_TYPE,
			&mask->basic.n_proto, TCA_FLOWER_UNSPEC,
			sizeof(key->basic.n_proto));

	fl_dump_key_vlans(nlh, key, mask);

	if (key->basic.n_proto == htons(ETH_P_IP) ||
	    key->basic.n_proto == htons(ETH_P_IPV6)) {
		fl_dump_key_val(nlh, &key->basic.ip_proto, TCA_FLOWER_KEY_IP_PROTO,
				&mask->basic.ip_proto, TCA_FLOWER_UNSPEC,
				sizeof(key->basic.ip_proto));
		fl_dump_key_ip(nlh, false, &key->ip, &mask->ip);
	}

	if (key->control.addr_type == FLOW_DISSECTOR_KEY_IPV4_ADDRS) {
		fl_dump_key_val(nlh, &key->ipv4.src, TCA_FLOWER_KEY_IPV4_SRC,
				&mask->ipv4.src, TCA_FLOWER_KEY_IPV4_SRC_MASK,
				sizeof(key->ipv4.src));
		fl_dump_key_val(nlh, &key->ipv4.dst, TCA_FLOWER_KEY_IPV4_DST,
				&mask->ipv4.dst, TCA_FLOWER_KEY_IPV4_DST_MASK,
				sizeof(key->ipv4.dst));
	} else if (key->control.addr_type == FLOW_DISSECTOR_KEY_IPV6_ADDRS) {
		fl_dump_key_val(nlh, &key->ipv6.src, TCA_FLOWER_KEY_IPV6_SRC,
				&mask->ipv6.src, TCA_FLOWER_KEY_IPV6_SRC_MASK,
				sizeof(key->ipv6.src));
		fl_dump_key_val(nlh, &key->ipv6.dst, TCA_FLOWER_KEY_IPV6_DST,
				&mask->ipv6.dst, TCA_FLOWER_KEY_IPV6_DST_MASK,
				sizeof(key->ipv6.dst));
	}

	fl_dump_key_l4(nlh, key, mask);

	if (key->basic.ip_proto == IPPROTO_TCP ||
	    key->basic.ip_proto == IPPROTO_UDP ||
	    key->basic.ip_proto == IPPROTO_SCTP)
		fl_dump_key_port_range(nlh, key, mask);

	fl_dump_key_enc(nlh, key, mask);
	fl_dump_key_ct(nlh, &key->ct, &mask->ct);
	fl_dump_key_flags(nlh, key->control.flags, mask->control.flags);
}

static int fl_dump(struct tcf_proto *tp, void *fh, struct nlmsghdr *nlh,
		   struct tcmsg *t)
{
	struct cls_fl_filter *f = fh;
	struct nlattr *nest;

	(void)tp;
	if (!f)
		return 0;

	t->tcm_handle = f->handle;
	nest = nla_nest_start(nlh, TCA_OPTIONS);
	if (f->res.classid)
		nla_put_u32(nlh, TCA_FLOWER_CLASSID, f->res.classid);
	fl_dump_key(nlh, &f->key, &f->mask->key);
	if (f->flags)
		nla_put_u32(nlh, TCA_FLOWER_FLAGS, f->flags);
	/* every dump, notifications too, asks the drivers, as in Linux */
	if (!tc_skip_hw(f->flags))
		fl_hw_update_stats(tp, f);
	nla_put_u32(nlh, TCA_FLOWER_IN_HW_COUNT, f->in_hw_count);
	if (tcf_exts_dump(nlh, &f->exts) < 0)
		goto nla_put_failure;
	nla_nest_end(nlh, nest);

	/* outside TCA_OPTIONS, as the kernel's fl_dump() */
	if (tcf_exts_dump_stats(nlh, &f->exts) < 0)
		goto nla_put_failure;
	return 0;

nla_put_failure:
	nla_nest_cancel(nlh, nest);
	return -EMSGSIZE;
}

/*
 * Chain templates (tc chain add ... flower KEYS): the masks a chain's
 * flower filters may use, checked by fl_set_parms().
 */
static void *fl_tmplt_create(struct tcf_chain *chain,
					    struct nlattr **tca,
					    struct netlink_ext_ack *extack)
{
	struct nlattr *tb[FL_TCA_MAX + 1];
	struct fl_flow_tmplt *tmplt;
	int err;

	if (!tca[TCA_OPTIONS])
		return ERR_PTR(-EINVAL);
	err = fl_parse_opts(tb, tca[TCA_OPTIONS]);
	if (err)
		return ERR_PTR(err);
	tmplt = kzalloc(sizeof(*tmplt), GFP_KERNEL);
	if (!tmplt)
		return ERR_PTR(-ENOMEM);
	tmplt->chain = chain;
	err = fl_set_key(tb, &tmplt->dummy_key, &tmplt->mask, extack);
	if (err) {
		kfree(tmplt);
		return ERR_PTR(err);
	}
	fl_init_dissector(&tmplt->dissector, &tmplt->mask);
	fl_hw_create_tmplt(chain, tmplt);
	return tmplt;
}

static void fl_tmplt_destroy(void *tmplt_priv)
{
	struct fl_flow_tmplt *tmplt = tmplt_priv;

	fl_hw_destroy_tmplt(tmplt->chain, tmplt);
	kfree(tmplt);
}

static int fl_tmplt_dump(struct nlmsghdr *nlh, void *tmplt_priv)
{
	struct fl_flow_tmplt *tmplt = tmplt_priv;
	struct nlattr *nest;

	nest = nla_nest_start(nlh, TCA_OPTIONS);
	fl_dump_key(nlh, &tmplt->dummy_key, &tmplt->mask);
	nla_nest_end(nlh, nest);
	return 0;
}

static struct tcf_proto_ops cls_fl_ops = {
	.kind		= "flower",
	.classify	= fl_classify,
	.init		= fl_init,
	.destroy	= fl_destroy,
	.get		= fl_get,
	.put		= fl_put,
	.change		= fl_change,
	.delete		= fl_delete,
	.delete_empty	= fl_delete_empty,
	.walk		= fl_walk,
	.dump		= fl_dump,
	.hw_count	= fl_hw_count,
	.reoffload	= fl_reoffload,
	.hw_add		= fl_hw_add,
	.hw_del		= fl_hw_del,
	.tmplt_create	= fl_tmplt_create,
	.tmplt_destroy	= fl_tmplt_destroy,
	.tmplt_dump	= fl_tmplt_dump,
	.explain	= fl_explain,
};

static void __attribute__((constructor)) cls_fl_init(void)
{
	register_tcf_proto_ops(&cls_fl_ops);
}
