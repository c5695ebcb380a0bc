// SPDX-License-Identifier: GPL-2.0
/*
 * flow_offload (net/core/flow_offload.c): the helpers behind
 * include/net/flow_offload.h -- reading a rule's match, allocating rules,
 * the hw_stats checks drivers run on a rule's actions, and the flow_block
 * callback list that tc blocks and flowtables offer their rules through.
 * Nothing here knows tc or conntrack: both describe their rules to drivers
 * with these structures.
 */
#include <linux/slab.h>
#include <net/flow_offload.h>
#include <net/netlink.h>

struct flow_rule *flow_rule_alloc(unsigned int num_actions)
{
	struct flow_rule *rule;
	unsigned int i;

	rule = kzalloc(sizeof(*rule) + num_actions * sizeof(rule->action.entries[0]),
		       GFP_KERNEL);
	if (!rule)
		return NULL;
	rule->action.num_entries = num_actions;
	/* an entry left untouched by its producer asks for no particular counter */
	for (i = 0; i < num_actions; i++)
		rule->action.entries[i].hw_stats = FLOW_ACTION_HW_STATS_DONT_CARE;
	return rule;
}

/*
 * flow_rule_match_NAME(): point out->key and out->mask at the rule's
 * MEMBER of struct fl_flow_key.
 */
#define FLOW_RULE_MATCH(name, match_type, member)				\
void flow_rule_match_##name(const struct flow_rule *rule, struct match_type *out) \
{										\
	out->key = &rule->match.key->member;					\
	out->mask = &rule->match.mask->member;					\
}

FLOW_RULE_MATCH(meta, flow_match_meta, meta)
FLOW_RULE_MATCH(basic, flow_match_basic, basic)
FLOW_RULE_MATCH(control, flow_match_control, control)
FLOW_RULE_MATCH(eth_addrs, flow_match_eth_addrs, eth)
FLOW_RULE_MATCH(vlan, flow_match_vlan, vlan)
FLOW_RULE_MATCH(cvlan, flow_match_vlan, cvlan)
FLOW_RULE_MATCH(arp, flow_match_arp, arp)
FLOW_RULE_MATCH(ipv4_addrs, flow_match_ipv4_addrs, ipv4)
FLOW_RULE_MATCH(ipv6_addrs, flow_match_ipv6_addrs, ipv6)
FLOW_RULE_MATCH(ip, flow_match_ip, ip)
FLOW_RULE_MATCH(ports, flow_match_ports, tp)
FLOW_RULE_MATCH(ports_range, flow_match_ports_range, tp_range)
FLOW_RULE_MATCH(tcp, flow_match_tcp, tcp)
FLOW_RULE_MATCH(icmp, flow_match_icmp, icmp)
FLOW_RULE_MATCH(enc_control, flow_match_control, enc_control)
FLOW_RULE_MATCH(enc_ipv4_addrs, flow_match_ipv4_addrs, enc_ipv4)
FLOW_RULE_MATCH(enc_ipv6_addrs, flow_match_ipv6_addrs, enc_ipv6)
FLOW_RULE_MATCH(enc_ip, flow_match_ip, enc_ip)
FLOW_RULE_MATCH(enc_ports, flow_match_ports, enc_tp)
FLOW_RULE_MATCH(enc_keyid, flow_match_enc_keyid, enc_key_id)
FLOW_RULE_MATCH(ct, flow_match_ct, ct)

/* ---- hw_stats checks, for drivers ---- */

bool flow_action_mixed_hw_stats_check(const struct flow_action *action,
				      struct netlink_ext_ack *extack)
{
	const struct flow_action_entry *entry;
	unsigned int i;

	flow_action_for_each(i, entry, action) {
		if (i && entry->hw_stats != action->entries[0].hw_stats) {
			NL_SET_ERR_MSG_MOD(extack, "Mixing HW stats types for actions is not supported");
			return false;
		}
	}
	return true;
}

/*
 * With a kind to allow (allow_bit < NUM_BITS): the actions must accept it.
 * Without: they must accept any kind, i.e. the user asked for nothing
 * particular.  All actions share one kind (see above), so the first
 * entry speaks for all.
 */
static bool __flow_action_hw_stats_check(const struct flow_action *action,
					 struct netlink_ext_ack *extack,
					 bool check_allow_bit,
					 enum flow_action_hw_stats_bit allow_bit)
{
	enum flow_action_hw_stats hw_stats;

	if (!flow_action_has_entries(action))
		return true;
	if (!flow_action_mixed_hw_stats_check(action, extack))
		return false;
	hw_stats = action->entries[0].hw_stats;
	if (!check_allow_bit && (~hw_stats & FLOW_ACTION_HW_STATS_ANY)) {
		NL_SET_ERR_MSG_MOD(extack, "Driver supports only default HW stats type \"any\"");
		return false;
	}
	if (check_allow_bit && !(hw_stats & BIT(allow_bit))) {
		NL_SET_ERR_MSG_MOD(extack, "Driver does not support selected HW stats type");
		return false;
	}
	return true;
}

bool flow_action_hw_stats_check(const struct flow_action *action,
				struct netlink_ext_ack *extack,
				enum flow_action_hw_stats_bit allow_bit)
{
	return __flow_action_hw_stats_check(action, extack, true, allow_bit);
}

bool flow_action_basic_hw_stats_check(const struct flow_action *action,
				      struct netlink_ext_ack *extack)
{
	return __flow_action_hw_stats_check(action, extack, false, 0);
}

/* ---- flow_block callbacks ---- */

struct flow_block_cb *flow_block_cb_alloc(flow_setup_cb_t *cb, void *cb_ident, void *cb_priv,
					  void (*release)(void *cb_priv))
{
	struct flow_block_cb *block_cb;

	block_cb = kzalloc(sizeof(*block_cb), GFP_KERNEL);
	if (!block_cb)
		return ERR_PTR(-ENOMEM);
	INIT_LIST_HEAD(&block_cb->list);
	INIT_LIST_HEAD(&block_cb->driver_list);
	block_cb->cb = cb;
	block_cb->cb_ident = cb_ident;
	block_cb->cb_priv = cb_priv;
	block_cb->release = release;
	return block_cb;
}

void flow_block_cb_free(struct flow_block_cb *block_cb)
{
	if (block_cb->release)
		block_cb->release(block_cb->cb_priv);
	kfree(block_cb);
}

struct flow_block_cb *flow_block_cb_lookup(struct flow_block *block, flow_setup_cb_t *cb,
					   void *cb_ident)
{
	struct flow_block_cb *block_cb;

	list_for_each_entry(block_cb, &block->cb_list, list) {
		if (block_cb->cb == cb && block_cb->cb_ident == cb_ident)
			return block_cb;
	}
	return NULL;
}

void *flow_block_cb_priv(struct flow_block_cb *block_cb)
{
	return block_cb->cb_priv;
}

void flow_block_cb_incref(struct flow_block_cb *block_cb)
{
	block_cb->refcnt++;
}

unsigned int flow_block_cb_decref(struct flow_block_cb *block_cb)
{
	return --block_cb->refcnt;
}

bool flow_block_cb_is_busy(flow_setup_cb_t *cb, void *cb_ident,
			   struct list_head *driver_block_list)
{
	struct flow_block_cb *block_cb;

	list_for_each_entry(block_cb, driver_block_list, driver_list) {
		if (block_cb->cb == cb && block_cb->cb_ident == cb_ident)
			return true;
	}
	return false;
}

int flow_block_cb_setup_simple(struct flow_block_offload *f, struct list_head *driver_block_list,
			       flow_setup_cb_t *cb, void *cb_ident, void *cb_priv,
			       bool ingress_only)
{
	struct flow_block_cb *block_cb;

	if (ingress_only && f->binder_type != FLOW_BLOCK_BINDER_TYPE_CLSACT_INGRESS)
		return -EOPNOTSUPP;
	f->driver_block_list = driver_block_list;

	switch (f->command) {
	case FLOW_BLOCK_BIND:
		if (flow_block_cb_is_busy(cb, cb_ident, driver_block_list))
			return -EBUSY;
		block_cb = flow_block_cb_alloc(cb, cb_ident, cb_priv, NULL);
		if (IS_ERR(block_cb))
			return PTR_ERR(block_cb);
		flow_block_cb_add(block_cb, f);
		list_add_tail(&block_cb->driver_list, driver_block_list);
		return 0;
	case FLOW_BLOCK_UNBIND:
		block_cb = flow_block_cb_lookup(f->block, cb, cb_ident);
		if (!block_cb)
			return -ENOENT;
		flow_block_cb_remove(block_cb, f);
		list_del(&block_cb->driver_list);
		return 0;
	}
	return -EOPNOTSUPP;
}

/* ---- indirect block offload (tunnel devices) ---- */

struct flow_indr_dev {
	struct list_head list;
	flow_indr_block_bind_cb_t *cb;
	void *cb_priv;
};

/* registered drivers, and the callbacks they bound through them (rtnl) */
static LIST_HEAD(flow_indr_dev_list);
static LIST_HEAD(flow_indr_block_list);

int flow_indr_dev_register(flow_indr_block_bind_cb_t *cb, void *cb_priv)
{
	struct flow_indr_dev *indr_dev;

	list_for_each_entry(indr_dev, &flow_indr_dev_list, list)
		if (indr_dev->cb == cb && indr_dev->cb_priv == cb_priv)
			return -EEXIST;
	indr_dev = kzalloc(sizeof(*indr_dev), GFP_KERNEL);
	if (!indr_dev)
		return -ENOMEM;
	indr_dev->cb = cb;
	indr_dev->cb_priv = cb_priv;
	list_add(&indr_dev->list, &flow_indr_dev_list);
	return 0;
}

void flow_indr_dev_unregister(flow_indr_block_bind_cb_t *cb, void *cb_priv,
			      void (*release)(void *cb_priv))
{
	struct flow_block_cb *block_cb, *next;
	struct flow_indr_dev *indr_dev;

	/* tc takes each bound callback off its block: its filters leave the device */
	list_for_each_entry_safe(block_cb, next, &flow_indr_block_list, indr.list) {
		if (block_cb->indr.cb_priv != cb_priv)
			continue;
		list_del_init(&block_cb->indr.list);
		block_cb->indr.cleanup(block_cb);
	}
	list_for_each_entry(indr_dev, &flow_indr_dev_list, list) {
		if (indr_dev->cb == cb && indr_dev->cb_priv == cb_priv) {
			list_del(&indr_dev->list);
			kfree(indr_dev);
			break;
		}
	}
	if (release)
		release(cb_priv);
}

int flow_indr_dev_setup_offload(struct net_device *dev, struct Qdisc *sch,
				enum tc_setup_type type, void *data,
				struct flow_block_offload *bo,
				void (*cleanup)(struct flow_block_cb *block_cb))
{
	struct flow_indr_dev *indr_dev;
	int count = 0;

	list_for_each_entry(indr_dev, &flow_indr_dev_list, list)
		if (!indr_dev->cb(dev, sch, indr_dev->cb_priv, type, bo, data, cleanup))
			count++;
	return count;
}

struct flow_block_cb *flow_indr_block_cb_alloc(flow_setup_cb_t *cb, void *cb_ident,
					       void *cb_priv, void (*release)(void *cb_priv),
					       struct flow_block_offload *bo,
					       struct net_device *dev, struct Qdisc *sch,
					       void *data, void *indr_cb_priv,
					       void (*cleanup)(struct flow_block_cb *block_cb))
{
	struct flow_block_cb *block_cb;

	block_cb = flow_block_cb_alloc(cb, cb_ident, cb_priv, release);
	if (IS_ERR(block_cb))
		return block_cb;
	block_cb->indr.dev = dev;
	block_cb->indr.sch = sch;
	block_cb->indr.binder_type = bo->binder_type;
	block_cb->indr.data = data;
	block_cb->indr.cb_priv = indr_cb_priv;
	block_cb->indr.cleanup = cleanup;
	list_add(&block_cb->indr.list, &flow_indr_block_list);
	return block_cb;
}

void flow_indr_block_cb_remove(struct flow_block_cb *block_cb, struct flow_block_offload *bo)
{
	list_del_init(&block_cb->indr.list);
	flow_block_cb_remove(block_cb, bo);
}
