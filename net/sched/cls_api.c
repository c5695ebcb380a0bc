// SPDX-License-Identifier: GPL-2.0
/*
 * The classifier core (net/sched/cls_api.c): blocks, chains and tcf_proto
 * instances, the packet entry point tcf_classify(), and the rtnetlink
 * handlers for filters (RTM_*TFILTER) and chains (RTM_*CHAIN), with the
 * kernel's checks, extack messages and dump layout.
 *
 * Hardware offload lives here too, as in the kernel: a device joins a
 * block through ndo_setup_tc(TC_SETUP_BLOCK) and leaves flow_block
 * callbacks on it; classifiers offer their filters to those callbacks with
 * tc_setup_cb_*() and describe the filters' actions with
 * tc_setup_flow_action().  Drivers only ever see include/net/flow_offload.h.
 */
#include <stdio.h>
#include <arpa/inet.h>
#include <linux/slab.h>
#include <linux/if_ether.h>
#include <net/pkt_cls.h>
#include <net/rtnetlink.h>
#include <net/pkt_trace.h>
#include <net/tc_act/tc_gact.h>
#include <net/tc_act/tc_mirred.h>
#include <net/tc_act/tc_ct.h>
#include <net/tc_act/tc_tunnel_key.h>
#include <net/vxlan.h>

static LIST_HEAD(tcf_proto_base);
static LIST_HEAD(tcf_shared_blocks);

void register_tcf_proto_ops(struct tcf_proto_ops *ops)
{
	list_add_tail(&ops->head, &tcf_proto_base);
}

static const struct tcf_proto_ops *tcf_proto_lookup_ops(const char *kind)
{
	struct tcf_proto_ops *t;

	list_for_each_entry(t, &tcf_proto_base, head)
		if (!strcmp(kind, t->kind))
			return t;
	return NULL;
}

/* ---- the packet path ---- */

const struct fl_flow_key *skb_flow_key(struct sk_buff *skb)
{
	struct fl_flow_key *key = skb->flow_key;

	if (likely(skb->flow_key_valid))
		goto ct;
	memset(key, 0, sizeof(*key));
	key->meta.ingress_ifindex = skb->dev->ifindex;
	key->meta.ingress_iftype = skb->dev->type;
	/* a malformed packet keeps an all-zero key: only catch-all rules match */
	if (skb_flow_dissect_fl(skb, key)) {
		memset(key, 0, sizeof(*key));
		key->meta.ingress_ifindex = skb->dev->ifindex;
		key->meta.ingress_iftype = skb->dev->type;
	}
	/* a reassembled datagram is one packet, not a fragment (act_ct's defrag) */
	if (skb->defragged)
		key->control.flags &= ~(FLOW_DIS_IS_FRAGMENT | FLOW_DIS_FIRST_FRAG);
	skb->flow_key_valid = 1;
ct:
	/* act_ct changes it without touching the packet: read it every time */
	skb_flow_dissect_ct(skb, &key->ct);
	/*
	 * So does act_tunnel_key (set/unset): refresh enc_* while there is
	 * metadata, or once more to clear what an unset left behind.
	 */
	if (unlikely(skb->tun_dst || key->enc_control.addr_type))
		skb_flow_dissect_tunnel_info(skb, key);
	return key;
}

struct tcf_chain *tcf_chain_lookup_rcu(const struct tcf_block *block, u32 chain_index)
{
	struct tcf_chain *chain;

	list_for_each_entry_rcu(chain, &block->chain_list, list)
		if (chain->index == chain_index)
			return chain;
	return NULL;
}

int tcf_classify(struct sk_buff *skb, const struct tcf_block *block,
		 const struct tcf_proto *tp, struct tcf_result *res, bool compat_mode)
{
	const struct tcf_proto *orig_tp;
	int limit = 0;

	(void)compat_mode;
	if (!tp) {
		const struct tcf_chain *chain = rcu_dereference(block->chain0);

		/* continue where the hardware stopped (tc_skb_ext chain) */
		if (unlikely(skb->tc_chain)) {
			chain = tcf_chain_lookup_rcu(block, skb->tc_chain);
			skb->tc_chain = 0;
		}
		if (!chain)
			return TC_ACT_UNSPEC;
		pkt_trace(skb, "tc_chain", "\"dev\":\"%s\",\"chain\":%u", skb->dev->name,
			  chain->index);
		tp = rcu_dereference(chain->filter_chain);
	}
	orig_tp = tp;
reset:
	for (; tp; tp = rcu_dereference(tp->next)) {
		int err;

		if (tp->protocol != skb->protocol && tp->protocol != htons(ETH_P_ALL))
			continue;
		err = tp->classify(skb, tp, res);
		if (unlikely(err == TC_ACT_RECLASSIFY)) {
			tp = orig_tp;
			pkt_trace(skb, "tc_chain", "\"dev\":\"%s\",\"chain\":%u", skb->dev->name,
				  tp ? tp->chain->index : 0);
			goto again;
		} else if (unlikely(TC_ACT_EXT_CMP(err, TC_ACT_GOTO_CHAIN))) {
			tp = res->goto_tp;
			pkt_trace(skb, "tc_chain", "\"dev\":\"%s\",\"chain\":%u", skb->dev->name,
				  err & TC_ACT_EXT_VAL_MASK);
			goto again;
		}
		if (err >= 0)
			return err;
	}
	return TC_ACT_UNSPEC;
again:
	if (unlikely(limit++ >= TC_MAX_RECLASSIFY_LOOP)) {
		skb->drop_reason = SKB_DROP_REASON_TC_RECLASSIFY_LOOP;
		return TC_ACT_SHOT;
	}
	goto reset;
}

/* ---- blocks and chains (control plane, under rtnl) ---- */

static struct tcf_chain *tcf_chain_lookup(struct tcf_block *block, u32 chain_index)
{
	return tcf_chain_lookup_rcu(block, chain_index);
}

static struct tcf_chain *tcf_chain_create(struct tcf_block *block, u32 chain_index)
{
	struct tcf_chain *chain = kzalloc(sizeof(*chain), GFP_KERNEL);

	if (!chain)
		return NULL;
	chain->block = block;
	chain->index = chain_index;
	/* creation order, not index order: dumps list chains (and filters) that way */
	list_add_tail_rcu(&chain->list, &block->chain_list);
	if (!chain_index)
		rcu_assign_pointer(block->chain0, chain);
	return chain;
}

static void tcf_chain_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct tcf_chain, rcu));
}

static void tc_chain_tmplt_del(struct tcf_chain *chain)
{
	if (!chain->tmplt_ops)
		return;
	chain->tmplt_ops->tmplt_destroy(chain->tmplt_priv);
	chain->tmplt_ops = NULL;
	chain->tmplt_priv = NULL;
}

static void tcf_chain_destroy(struct tcf_chain *chain)
{
	struct tcf_block *block = chain->block;

	/* the template lives as long as the chain, whoever held it last */
	tc_chain_tmplt_del(chain);
	list_del_rcu(&chain->list);
	if (block->chain0 == chain)
		rcu_assign_pointer(block->chain0, NULL);
	call_rcu(&chain->rcu, tcf_chain_free_rcu);
}

static void tc_chain_notify_event(struct tcf_chain *chain, int event);

/*
 * A chain is announced (tc monitor) when it gets its first reference that
 * is not a goto action's, and withdrawn when it loses its last one, as the
 * kernel's __tcf_chain_get() / __tcf_chain_put() do: chains held only by
 * actions are invisible.
 */
static struct tcf_chain *__tcf_chain_get(struct tcf_block *block, u32 chain_index,
					 bool create, bool by_act)
{
	struct tcf_chain *chain = tcf_chain_lookup(block, chain_index);

	if (!chain) {
		if (!create)
			return NULL;
		chain = tcf_chain_create(block, chain_index);
		if (!chain)
			return NULL;
	}
	chain->refcnt++;
	if (by_act)
		chain->action_refcnt++;
	else if (chain->refcnt == chain->action_refcnt + 1)
		tc_chain_notify_event(chain, RTM_NEWCHAIN);
	return chain;
}

static void __tcf_chain_put(struct tcf_chain *chain, bool by_act)
{
	chain->refcnt--;
	if (by_act)
		chain->action_refcnt--;
	else if (chain->refcnt == chain->action_refcnt)
		tc_chain_notify_event(chain, RTM_DELCHAIN);
	if (!chain->refcnt)
		tcf_chain_destroy(chain);
}

static struct tcf_chain *tcf_chain_get(struct tcf_block *block, u32 chain_index, bool create)
{
	return __tcf_chain_get(block, chain_index, create, false);
}

static void tcf_chain_put(struct tcf_chain *chain)
{
	__tcf_chain_put(chain, false);
}

struct tcf_chain *tcf_chain_get_by_act(struct tcf_block *block, u32 chain_index)
{
	return __tcf_chain_get(block, chain_index, true, true);
}

void tcf_chain_put_by_act(struct tcf_chain *chain)
{
	__tcf_chain_put(chain, true);
}

static bool tcf_chain_held_by_acts_only(const struct tcf_chain *chain)
{
	return chain->refcnt == chain->action_refcnt;
}

static void tcf_chain_put_explicitly_created(struct tcf_chain *chain)
{
	if (chain->explicitly_created) {
		chain->explicitly_created = false;
		tcf_chain_put(chain);
	}
}

/* ---- block offload: devices bind their flow_block callbacks ---- */

static bool tcf_block_offload_in_use(const struct tcf_block *block)
{
	return block->offloadcnt;
}

/*
 * Offer every filter of the block to one callback, or withdraw them from
 * it (!add).  A failed offer withdraws what was offered and fails the
 * bind.  Where a classifier cannot replay its filters, a device may only
 * bind while none of the block's filters is in hardware.  (Chain
 * templates are not replayed: Linux 6.1 does not either.)
 */
static int tcf_block_playback_offloads(struct tcf_block *block, flow_setup_cb_t *cb,
				       void *cb_priv, bool add, bool offload_in_use,
				       struct netlink_ext_ack *extack)
{
	struct tcf_chain *chain;
	struct tcf_proto *tp;
	int err = 0;

	list_for_each_entry(chain, &block->chain_list, list) {
		for (tp = chain->filter_chain; tp; tp = tp->next) {
			if (tp->ops->reoffload) {
				err = tp->ops->reoffload(tp, add, cb, cb_priv, extack);
				if (err && add)
					goto err_playback_remove;
			} else if (add && offload_in_use) {
				err = -EOPNOTSUPP;
				NL_SET_ERR_MSG(extack,
					       "Filter HW offload failed - classifier without re-offloading support");
				goto err_playback_remove;
			}
		}
	}
	return 0;

err_playback_remove:
	tcf_block_playback_offloads(block, cb, cb_priv, false, offload_in_use, extack);
	return err;
}

/* the device's new callbacks get the block's filters, then join the block */
static int tcf_block_bind(struct tcf_block *block, struct flow_block_offload *bo)
{
	struct flow_block_cb *block_cb, *next;
	int err, i = 0;

	list_for_each_entry(block_cb, &bo->cb_list, list) {
		err = tcf_block_playback_offloads(block, block_cb->cb, block_cb->cb_priv, true,
						  tcf_block_offload_in_use(block), bo->extack);
		if (err)
			goto err_unroll;
		i++;
	}
	list_splice(&bo->cb_list, &block->flow_block.cb_list);
	return 0;

err_unroll:
	/* the first i callbacks hold the filters: take them back, then free all */
	list_for_each_entry_safe(block_cb, next, &bo->cb_list, list) {
		list_del(&block_cb->driver_list);
		if (i-- > 0) {
			list_del(&block_cb->list);
			tcf_block_playback_offloads(block, block_cb->cb, block_cb->cb_priv, false,
						    tcf_block_offload_in_use(block), NULL);
		}
		flow_block_cb_free(block_cb);
	}
	return err;
}

/* the callbacks the device took off the block drop its filters and go */
static void tcf_block_unbind(struct tcf_block *block, struct flow_block_offload *bo)
{
	struct flow_block_cb *block_cb, *next;

	list_for_each_entry_safe(block_cb, next, &bo->cb_list, list) {
		tcf_block_playback_offloads(block, block_cb->cb, block_cb->cb_priv, false,
					    tcf_block_offload_in_use(block), NULL);
		list_del(&block_cb->list);
		flow_block_cb_free(block_cb);
	}
}

static int tcf_block_setup(struct tcf_block *block, struct flow_block_offload *bo)
{
	switch (bo->command) {
	case FLOW_BLOCK_BIND:
		return tcf_block_bind(block, bo);
	case FLOW_BLOCK_UNBIND:
		tcf_block_unbind(block, bo);
		return 0;
	}
	return -EOPNOTSUPP;
}

/* a driver's indirect registration goes away: unbind its callback from the block */
static void tc_block_indr_cleanup(struct flow_block_cb *block_cb)
{
	struct tcf_block *block = block_cb->indr.data;
	struct flow_block_offload bo = {
		.command = FLOW_BLOCK_UNBIND,
		.binder_type = block_cb->indr.binder_type,
		.block = &block->flow_block,
		.block_shared = tcf_block_shared(block),
		.sch = block_cb->indr.sch,
		.cb_list_head = &block->flow_block.cb_list,
	};

	INIT_LIST_HEAD(&bo.cb_list);
	list_del(&block_cb->driver_list);
	list_move(&block_cb->list, &bo.cb_list);
	tcf_block_unbind(block, &bo);
}

/*
 * Ask q's device to bind to (or unbind from) the block.  -EOPNOTSUPP: the
 * device cannot offload this block.  A device without ndo_setup_tc (a
 * vxlan device) offers the block to the drivers' indirect callbacks
 * (flow_indr_dev_setup_offload), and still counts as a device that
 * cannot offload, as in Linux 6.1: its skip_sw filters are refused.
 */
static int tcf_block_offload_cmd(struct tcf_block *block, struct Qdisc *q,
				 struct tcf_block_ext_info *ei, enum flow_block_command command,
				 struct netlink_ext_ack *extack)
{
	struct net_device *dev = q->dev;
	struct flow_block_offload bo = {
		.command = command,
		.binder_type = ei->binder_type,
		.block = &block->flow_block,
		.block_shared = tcf_block_shared(block),
		.extack = extack,
		.sch = q,
		.cb_list_head = &block->flow_block.cb_list,
	};
	int err;

	INIT_LIST_HEAD(&bo.cb_list);
	if (!dev->netdev_ops || !dev->netdev_ops->ndo_setup_tc) {
		flow_indr_dev_setup_offload(dev, q, TC_SETUP_BLOCK, block, &bo,
					    tc_block_indr_cleanup);
		tcf_block_setup(block, &bo);
		return -EOPNOTSUPP;
	}
	err = dev->netdev_ops->ndo_setup_tc(dev, TC_SETUP_BLOCK, &bo);
	if (err < 0) {
		if (err != -EOPNOTSUPP)
			NL_SET_ERR_MSG(extack, "Driver ndo_setup_tc failed");
		return err;
	}
	return tcf_block_setup(block, &bo);
}

/*
 * A qdisc's device joins the block (tcf_block_offload_bind() in Linux).  A
 * device that cannot offload is counted, so that skip_sw filters are
 * refused while it is there, and may not join a block that already has
 * filters in hardware (they could not run on it).
 */
static int tcf_block_offload_bind(struct tcf_block *block, struct Qdisc *q,
				  struct tcf_block_ext_info *ei, struct netlink_ext_ack *extack)
{
	int err;

	err = tcf_block_offload_cmd(block, q, ei, FLOW_BLOCK_BIND, extack);
	if (err != -EOPNOTSUPP)
		return err;
	if (tcf_block_offload_in_use(block))
		return err;
	block->nooffloaddevcnt++;
	return 0;
}

static void tcf_block_offload_unbind(struct tcf_block *block, struct Qdisc *q,
				     struct tcf_block_ext_info *ei)
{
	int err;

	err = tcf_block_offload_cmd(block, q, ei, FLOW_BLOCK_UNBIND, NULL);
	if (err == -EOPNOTSUPP && block->nooffloaddevcnt)
		block->nooffloaddevcnt--;
}

/* ---- offering filters to the block's callbacks ---- */

static int __tc_setup_cb_call(struct tcf_block *block, enum tc_setup_type type,
			      void *type_data, bool err_stop)
{
	struct flow_block_cb *block_cb;
	int ok_count = 0;
	int err;

	list_for_each_entry(block_cb, &block->flow_block.cb_list, list) {
		err = block_cb->cb(type, type_data, block_cb->cb_priv);
		if (err) {
			if (err_stop)
				return err;
		} else {
			ok_count++;
		}
	}
	return ok_count;
}

int tc_setup_cb_call(struct tcf_block *block, enum tc_setup_type type, void *type_data,
		     bool err_stop)
{
	return __tc_setup_cb_call(block, type, type_data, err_stop);
}

static void tcf_block_offload_inc(struct tcf_block *block, u32 *flags)
{
	if (*flags & TCA_CLS_FLAGS_IN_HW)
		return;
	/* a filter's flags: the datapath reads them meanwhile (READ_ONCE) */
	WRITE_ONCE(*flags, *flags | TCA_CLS_FLAGS_IN_HW);
	block->offloadcnt++;
}

/*
 * Only IN_HW goes: NOT_IN_HW was set when the filter was created, if
 * ever, so a filter that leaves the hardware shows neither, as in Linux.
 */
static void tcf_block_offload_dec(struct tcf_block *block, u32 *flags)
{
	if (!(*flags & TCA_CLS_FLAGS_IN_HW))
		return;
	WRITE_ONCE(*flags, *flags & ~TCA_CLS_FLAGS_IN_HW);
	block->offloadcnt--;
}

static void tc_cls_offload_cnt_update(struct tcf_block *block, unsigned int *cnt, u32 *flags,
				      u32 diff, bool add)
{
	if (add) {
		if (!*cnt)
			tcf_block_offload_inc(block, flags);
		*cnt += diff;
	} else {
		*cnt -= diff;
		if (!*cnt)
			tcf_block_offload_dec(block, flags);
	}
}

static void tc_cls_offload_cnt_reset(struct tcf_block *block, unsigned int *cnt, u32 *flags)
{
	tcf_block_offload_dec(block, flags);
	*cnt = 0;
}

int tc_setup_cb_add(struct tcf_block *block, struct tcf_proto *tp, enum tc_setup_type type,
		    void *type_data, bool err_stop, u32 *flags, unsigned int *in_hw_count)
{
	int ok_count;

	/* a skip_sw filter must run on every device that shares the block */
	if (block->nooffloaddevcnt && err_stop)
		return -EOPNOTSUPP;
	ok_count = __tc_setup_cb_call(block, type, type_data, err_stop);
	if (ok_count < 0)
		return ok_count;
	if (tp->ops->hw_add)
		tp->ops->hw_add(tp, type_data);
	if (ok_count > 0)
		tc_cls_offload_cnt_update(block, in_hw_count, flags, ok_count, true);
	return 0;
}

int tc_setup_cb_replace(struct tcf_block *block, struct tcf_proto *tp,
			enum tc_setup_type type, void *type_data, bool err_stop,
			u32 *old_flags, unsigned int *old_in_hw_count,
			u32 *new_flags, unsigned int *new_in_hw_count)
{
	int ok_count;

	if (block->nooffloaddevcnt && err_stop)
		return -EOPNOTSUPP;
	tc_cls_offload_cnt_reset(block, old_in_hw_count, old_flags);
	if (tp->ops->hw_del)
		tp->ops->hw_del(tp, type_data);
	ok_count = __tc_setup_cb_call(block, type, type_data, err_stop);
	if (ok_count < 0)
		return ok_count;
	if (tp->ops->hw_add)
		tp->ops->hw_add(tp, type_data);
	if (ok_count > 0)
		tc_cls_offload_cnt_update(block, new_in_hw_count, new_flags, ok_count, true);
	return 0;
}

int tc_setup_cb_destroy(struct tcf_block *block, struct tcf_proto *tp,
			enum tc_setup_type type, void *type_data, bool err_stop,
			u32 *flags, unsigned int *in_hw_count)
{
	int ok_count;

	ok_count = __tc_setup_cb_call(block, type, type_data, err_stop);
	tc_cls_offload_cnt_reset(block, in_hw_count, flags);
	if (tp->ops->hw_del)
		tp->ops->hw_del(tp, type_data);
	return ok_count < 0 ? ok_count : 0;
}

int tc_setup_cb_reoffload(struct tcf_block *block, struct tcf_proto *tp, bool add,
			  flow_setup_cb_t *cb, enum tc_setup_type type, void *type_data,
			  void *cb_priv, u32 *flags, unsigned int *in_hw_count)
{
	int err = cb(type, type_data, cb_priv);

	(void)tp;
	if (err) {
		/* a skip_sw filter the new device cannot run keeps it out */
		if (add && tc_skip_sw(*flags))
			return err;
	} else {
		tc_cls_offload_cnt_update(block, in_hw_count, flags, 1, add);
	}
	return 0;
}

/* ---- tc actions as flow_action entries ---- */

unsigned int tcf_exts_num_actions(const struct tcf_exts *exts)
{
	/* one entry per action: no kind here needs more (pedit would) */
	return exts->nr_actions;
}

static enum flow_action_hw_stats tc_act_hw_stats(u8 hw_stats)
{
	if (hw_stats > TCA_ACT_HW_STATS_ANY)
		return FLOW_ACTION_HW_STATS_DONT_CARE;
	if (!hw_stats)
		return FLOW_ACTION_HW_STATS_DISABLED;
	return hw_stats;
}

static int tc_setup_offload_gact(const struct tc_action *act, struct flow_action_entry *entry,
				 struct netlink_ext_ack *extack)
{
	if (is_tcf_gact_ok(act)) {
		entry->id = FLOW_ACTION_ACCEPT;
	} else if (is_tcf_gact_shot(act)) {
		entry->id = FLOW_ACTION_DROP;
	} else if (is_tcf_gact_trap(act)) {
		entry->id = FLOW_ACTION_TRAP;
	} else if (is_tcf_gact_goto_chain(act)) {
		entry->id = FLOW_ACTION_GOTO;
		entry->chain_index = tcf_gact_goto_chain_index(act);
	} else if (is_tcf_gact_continue(act)) {
		NL_SET_ERR_MSG_MOD(extack, "Offload of \"continue\" action is not supported");
		return -EOPNOTSUPP;
	} else if (is_tcf_gact_reclassify(act)) {
		NL_SET_ERR_MSG_MOD(extack, "Offload of \"reclassify\" action is not supported");
		return -EOPNOTSUPP;
	} else if (is_tcf_gact_pipe(act)) {
		NL_SET_ERR_MSG_MOD(extack, "Offload of \"pipe\" action is not supported");
		return -EOPNOTSUPP;
	} else {
		NL_SET_ERR_MSG_MOD(extack, "Unsupported generic action offload");
		return -EOPNOTSUPP;
	}
	return 0;
}

static int tc_setup_offload_mirred(const struct tc_action *act, struct flow_action_entry *entry,
				   struct netlink_ext_ack *extack)
{
	if (is_tcf_mirred_egress_redirect(act)) {
		entry->id = FLOW_ACTION_REDIRECT;
	} else if (is_tcf_mirred_egress_mirror(act)) {
		entry->id = FLOW_ACTION_MIRRED;
	} else if (is_tcf_mirred_ingress_redirect(act)) {
		entry->id = FLOW_ACTION_REDIRECT_INGRESS;
	} else if (is_tcf_mirred_ingress_mirror(act)) {
		entry->id = FLOW_ACTION_MIRRED_INGRESS;
	} else {
		NL_SET_ERR_MSG_MOD(extack, "Unsupported mirred offload");
		return -EOPNOTSUPP;
	}
	/* NULL if the device is gone; drivers refuse that */
	entry->dev = tcf_mirred_dev(act);
	return 0;
}

static int tc_setup_offload_ct(const struct tc_action *act, struct flow_action_entry *entry)
{
	entry->id = FLOW_ACTION_CT;
	entry->ct.action = tcf_ct_action(act);
	entry->ct.zone = tcf_ct_zone(act);
	entry->ct.flow_table = tcf_ct_ft(act);
	return 0;
}

static void tc_tunnel_encap_put_tunnel(void *priv)
{
	dst_release(priv);
}

/*
 * set: the driver gets the action's metadata, held by the entry (Linux
 * copies it; a reference does the same job) until tc_cleanup_flow_action().
 */
static int tc_setup_offload_tunnel_key(const struct tc_action *act,
				       struct flow_action_entry *entry,
				       struct netlink_ext_ack *extack)
{
	struct metadata_dst *md;

	if (is_tcf_tunnel_release(act)) {
		entry->id = FLOW_ACTION_TUNNEL_DECAP;
		return 0;
	}
	if (!is_tcf_tunnel_set(act)) {
		NL_SET_ERR_MSG_MOD(extack, "Unsupported tunnel key mode offload");
		return -EOPNOTSUPP;
	}
	md = tcf_tunnel_metadata_get(act);
	entry->id = FLOW_ACTION_TUNNEL_ENCAP;
	entry->tunnel = &md->tun_info;
	entry->destructor = tc_tunnel_encap_put_tunnel;
	entry->destructor_priv = md;
	return 0;
}

/*
 * One action, one entry.  Linux 6.1 asks each action kind through its
 * ops (offload_act_setup); the translation is kept here, with the kinds'
 * accessors from include/net/tc_act/, until act_ct.c can take its part.
 */
static int tc_setup_offload_act(const struct tc_action *act, struct flow_action_entry *entry,
				struct netlink_ext_ack *extack)
{
	if (is_tcf_gact(act))
		return tc_setup_offload_gact(act, entry, extack);
	if (is_tcf_mirred(act))
		return tc_setup_offload_mirred(act, entry, extack);
	if (is_tcf_ct(act))
		return tc_setup_offload_ct(act, entry);
	if (is_tcf_tunnel_key(act))
		return tc_setup_offload_tunnel_key(act, entry, extack);
	NL_SET_ERR_MSG(extack, "Action does not support offload");
	return -EOPNOTSUPP;
}

void tc_cleanup_flow_action(struct flow_action *flow_action)
{
	struct flow_action_entry *entry;
	unsigned int i;

	flow_action_for_each(i, entry, flow_action) {
		if (entry->destructor)
			entry->destructor(entry->destructor_priv);
		entry->destructor = NULL;
	}
}

int tc_setup_flow_action(struct flow_action *flow_action, const struct tcf_exts *exts,
			 struct netlink_ext_ack *extack)
{
	int i, err;

	if (!exts)
		return 0;
	for (i = 0; i < exts->nr_actions; i++) {
		const struct tc_action *act = exts->actions[i];
		struct flow_action_entry *entry = &flow_action->entries[i];

		err = tc_setup_offload_act(act, entry, extack);
		if (err) {
			tc_cleanup_flow_action(flow_action);
			return err;
		}
		entry->hw_stats = tc_act_hw_stats(act->hw_stats);
		entry->hw_index = act->tcfa_index;
		entry->cookie = (unsigned long)act;
	}
	return 0;
}

/* ---- blocks ---- */

static struct tcf_block *tcf_block_create(struct Qdisc *q, u32 block_index,
					  struct netlink_ext_ack *extack)
{
	struct tcf_block *block;

	block = kzalloc(sizeof(*block), GFP_KERNEL);
	if (!block) {
		NL_SET_ERR_MSG(extack, "Memory allocation for block failed");
		return NULL;
	}
	INIT_LIST_HEAD(&block->chain_list);
	INIT_LIST_HEAD(&block->owner_list);
	INIT_LIST_HEAD(&block->list);
	flow_block_init(&block->flow_block);
	refcount_set(&block->refcnt, 1);
	block->index = block_index;
	if (block_index)
		list_add_tail(&block->list, &tcf_shared_blocks);
	else
		block->q = q;
	return block;
}

static void tcf_block_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct tcf_block, rcu));
}

int tcf_block_get_ext(struct tcf_block **p_block, struct Qdisc *q,
		      struct tcf_block_ext_info *ei, struct netlink_ext_ack *extack)
{
	struct tcf_block *block = NULL, *b;
	int err;

	if (ei->block_index) {
		list_for_each_entry(b, &tcf_shared_blocks, list) {
			if (b->index == ei->block_index) {
				block = b;
				refcount_inc(&block->refcnt);
				break;
			}
		}
	}
	if (!block) {
		block = tcf_block_create(q, ei->block_index, extack);
		if (!block)
			return -ENOMEM;
	}
	err = tcf_block_offload_bind(block, q, ei, extack);
	if (err) {
		/* a block created here has no chains yet: nothing to flush */
		if (refcount_dec_and_test(&block->refcnt)) {
			if (block->index)
				list_del(&block->list);
			call_rcu(&block->rcu, tcf_block_free_rcu);
		}
		return err;
	}
	*p_block = block;
	return 0;
}

static void tcf_proto_destroy(struct tcf_proto *tp, struct netlink_ext_ack *extack);

static void tcf_chain_flush(struct tcf_chain *chain)
{
	struct tcf_proto *tp = chain->filter_chain;

	rcu_assign_pointer(chain->filter_chain, NULL);
	while (tp) {
		struct tcf_proto *next = tp->next;

		tcf_proto_destroy(tp, NULL);
		tp = next;
	}
}

void tcf_block_put_ext(struct tcf_block *block, struct Qdisc *q,
		       struct tcf_block_ext_info *ei)
{
	struct tcf_chain *chain, *next;

	/* the device's callbacks drop the block's filters before they go */
	tcf_block_offload_unbind(block, q, ei);
	if (!refcount_dec_and_test(&block->refcnt))
		return;
	/*
	 * Drop the explicit holds and flush the filters, chain by chain.  A
	 * flush releases goto chain actions, which can free any chain that
	 * is not held, so (like tcf_get_next_chain()) hold the next chain
	 * before letting go of the current one, and look it up only after
	 * the flush.
	 */
	chain = list_empty(&block->chain_list) ? NULL :
		list_first_entry(&block->chain_list, struct tcf_chain, list);
	if (chain)
		chain->refcnt++;
	while (chain) {
		tcf_chain_put_explicitly_created(chain);
		tcf_chain_flush(chain);
		next = chain->list.next == &block->chain_list ? NULL :
		       list_entry(chain->list.next, struct tcf_chain, list);
		if (next)
			next->refcnt++;
		tcf_chain_put(chain);
		chain = next;
	}
	if (block->index)
		list_del(&block->list);
	call_rcu(&block->rcu, tcf_block_free_rcu);
}

/* ---- tcf_proto ---- */

static struct tcf_proto *tcf_proto_create(const char *kind, __be16 protocol, u32 prio,
					  struct tcf_chain *chain,
					  struct netlink_ext_ack *extack)
{
	struct tcf_proto *tp;
	int err;

	tp = kzalloc(sizeof(*tp), GFP_KERNEL);
	if (!tp)
		return ERR_PTR(-ENOBUFS);
	tp->ops = tcf_proto_lookup_ops(kind);
	if (!tp->ops) {
		NL_SET_ERR_MSG(extack, "TC classifier not found");
		kfree(tp);
		return ERR_PTR(-ENOENT);
	}
	tp->classify = tp->ops->classify;
	tp->protocol = protocol;
	tp->prio = prio;
	tp->chain = chain;
	refcount_set(&tp->refcnt, 1);
	err = tp->ops->init(tp);
	if (err) {
		kfree(tp);
		return ERR_PTR(err);
	}
	return tp;
}

static void tcf_proto_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct tcf_proto, rcu));
}

/* the tp is already unlinked from its chain */
static void tcf_proto_destroy(struct tcf_proto *tp, struct netlink_ext_ack *extack)
{
	tp->ops->destroy(tp, extack);
	tcf_chain_put(tp->chain);
	call_rcu(&tp->rcu, tcf_proto_free_rcu);
}

struct tcf_chain_info {
	struct tcf_proto **pprev;
	struct tcf_proto *next;
};

static struct tcf_proto *tcf_chain_tp_find(struct tcf_chain *chain,
					   struct tcf_chain_info *chain_info,
					   u32 protocol, u32 prio, bool prio_allocate)
{
	struct tcf_proto **pprev, *tp;

	for (pprev = &chain->filter_chain; (tp = *pprev); pprev = &tp->next) {
		if (tp->prio >= prio) {
			if (tp->prio == prio) {
				if (prio_allocate || (tp->protocol != protocol && protocol))
					return ERR_PTR(-EINVAL);
			} else {
				tp = NULL;
			}
			break;
		}
	}
	chain_info->pprev = pprev;
	chain_info->next = tp ? tp->next : *pprev;
	return tp;
}

static void tcf_chain_tp_insert(struct tcf_chain *chain, struct tcf_chain_info *chain_info,
				struct tcf_proto *tp)
{
	(void)chain;
	tp->next = *chain_info->pprev;
	rcu_assign_pointer(*chain_info->pprev, tp);
}

static void tcf_chain_tp_remove(struct tcf_chain *chain, struct tcf_chain_info *chain_info,
				struct tcf_proto *tp)
{
	(void)chain;
	rcu_assign_pointer(*chain_info->pprev, tp->next);
}

static struct tcf_proto *tcf_chain_tp_prev(struct tcf_chain *chain,
					   struct tcf_chain_info *chain_info)
{
	(void)chain;
	/* the filter before the insertion point, i.e. the one at *pprev */
	return *chain_info->pprev;
}

static u32 tcf_auto_prio(struct tcf_proto *tp)
{
	u32 first = TC_H_MAKE(0xC0000000U, 0U);

	if (tp)
		first = tp->prio - 1;
	return TC_H_MAJ(first);
}

/* delete tp from its chain if it has no filters left */
static void tcf_chain_tp_delete_empty(struct tcf_chain *chain, struct tcf_proto *tp)
{
	struct tcf_chain_info chain_info;
	struct tcf_proto **pprev;

	if (tp->ops->delete_empty && !tp->ops->delete_empty(tp))
		return;
	for (pprev = &chain->filter_chain; *pprev && *pprev != tp; pprev = &(*pprev)->next)
		;
	if (!*pprev)
		return;
	chain_info.pprev = pprev;
	tcf_chain_tp_remove(chain, &chain_info, tp);
	tcf_proto_destroy(tp, NULL);
}

/* ---- netlink ---- */

static const struct nla_policy rtm_tca_policy[TCA_MAX + 1] = {
	[TCA_KIND] = { .type = NLA_STRING },
	[TCA_RATE] = { .type = NLA_BINARY, .len = sizeof(struct tc_estimator) },
	[TCA_STAB] = { .type = NLA_NESTED },
	[TCA_DUMP_INVISIBLE] = { .type = NLA_FLAG },
	[TCA_CHAIN] = { .type = NLA_U32 },
	[TCA_INGRESS_BLOCK] = { .type = NLA_U32 },
	[TCA_EGRESS_BLOCK] = { .type = NLA_U32 },
	[TCA_DUMP_FLAGS] = { .type = NLA_BITFIELD32, .valid = TCA_DUMP_FLAGS_TERSE },
};

/* what a request addresses: a device's qdisc block, or a shared block by index */
struct tcf_target {
	struct net_device *dev;
	struct Qdisc *q;
	struct tcf_block *block;
	u32 parent;
};

static struct Qdisc *qdisc_lookup(struct net_device *dev, u32 handle)
{
	struct Qdisc *q = dev->qdisc_ingress;

	if (q && TC_H_MAJ(q->handle) == TC_H_MAJ(handle))
		return q;
	return NULL;
}

static int tcf_target_find(const struct tcmsg *t, struct tcf_target *tt,
			   struct netlink_ext_ack *extack)
{
	memset(tt, 0, sizeof(*tt));
	tt->parent = t->tcm_parent;
	if (t->tcm_ifindex == (int)TCM_IFINDEX_MAGIC_BLOCK) {
		struct tcf_block *block;

		list_for_each_entry(block, &tcf_shared_blocks, list) {
			if (block->index == t->tcm_block_index) {
				tt->block = block;
				return 0;
			}
		}
		NL_SET_ERR_MSG(extack, "Block of given index was not found");
		return -EINVAL;
	}
	tt->dev = dev_get_by_index(t->tcm_ifindex);
	if (!tt->dev)
		return -ENODEV;
	if (!tt->parent) {
		/* the root qdisc is noqueue, which has no classes */
		NL_SET_ERR_MSG(extack, "Qdisc not classful");
		return -EINVAL;
	}
	tt->q = qdisc_lookup(tt->dev, tt->parent);
	if (!tt->q) {
		NL_SET_ERR_MSG(extack, "Parent Qdisc doesn't exists");
		return -EINVAL;
	}
	tt->block = tt->q->ops->tcf_block(tt->q, TC_H_MIN(tt->parent), extack);
	if (!tt->block)
		return -EINVAL;
	if (tcf_block_shared(tt->block)) {
		NL_SET_ERR_MSG(extack,
			       "This filter block is shared. Please use the block index to manipulate the filters");
		return -EOPNOTSUPP;
	}
	return 0;
}

static int tcf_fill_node(struct nl_out *out, struct tcf_proto *tp, struct tcf_block *block,
			 struct Qdisc *q, u32 parent, void *fh, u32 seq, u16 flags,
			 int event)
{
	struct nlmsghdr *nlh;
	struct tcmsg *tcm;

	nlh = nl_out_put(out, seq, event, flags, sizeof(*tcm));
	if (!nlh)
		return -EMSGSIZE;
	tcm = mnl_nlmsg_get_payload(nlh);
	tcm->tcm_family = AF_UNSPEC;
	if (q) {
		tcm->tcm_ifindex = q->dev->ifindex;
		tcm->tcm_parent = parent;
	} else {
		tcm->tcm_ifindex = TCM_IFINDEX_MAGIC_BLOCK;
		tcm->tcm_block_index = block->index;
	}
	tcm->tcm_info = TC_H_MAKE(tp->prio, tp->protocol);
	nla_put_string(nlh, TCA_KIND, tp->ops->kind);
	nla_put_u32(nlh, TCA_CHAIN, tp->chain->index);
	if (fh && tp->ops->dump && tp->ops->dump(tp, fh, nlh, tcm) < 0) {
		nl_out_cancel(out, nlh);
		return -EMSGSIZE;
	}
	nl_out_end(out, nlh);
	return 0;
}

static void tfilter_notify(const struct nlmsghdr *n, struct tcf_proto *tp,
			   struct tcf_block *block, struct Qdisc *q, u32 parent,
			   void *fh, int event, struct nl_out *unicast)
{
	struct nl_out ev;

	if (unicast) {
		tcf_fill_node(unicast, tp, block, q, parent, fh, n->nlmsg_seq, 0, event);
		return;
	}
	/* the request's flags go along: tc monitor prints "added" for NLM_F_CREATE */
	nl_out_init(&ev, 0);
	if (!tcf_fill_node(&ev, tp, block, q, parent, fh, n->nlmsg_seq, n->nlmsg_flags, event))
		rtnl_notify(&ev, NETLINK_ROUTE, RTNLGRP_TC);
	nl_out_free(&ev);
}

/* a flush announces each priority it removes, as tfilter_notify_chain() */
static void tfilter_notify_chain(const struct nlmsghdr *n, struct tcf_chain *chain,
				 struct Qdisc *q, u32 parent)
{
	struct tcf_proto *tp;

	for (tp = chain->filter_chain; tp; tp = tp->next)
		tfilter_notify(n, tp, chain->block, q, parent, NULL, RTM_DELTFILTER, NULL);
}

static u32 tcf_request_chain(struct nlattr **tca, struct netlink_ext_ack *extack, int *err)
{
	u32 chain_index = tca[TCA_CHAIN] ? nla_get_u32(tca[TCA_CHAIN]) : 0;

	*err = 0;
	if (chain_index > TC_ACT_EXT_VAL_MASK) {
		NL_SET_ERR_MSG(extack, "Specified chain index exceeds upper limit");
		*err = -EINVAL;
	}
	return chain_index;
}

int tc_new_tfilter(struct nlmsghdr *n, struct nl_out *out, struct netlink_ext_ack *extack)
{
	struct tcmsg *t = mnl_nlmsg_get_payload(n);
	struct nlattr *tca[TCA_MAX + 1];
	struct tcf_chain_info chain_info;
	bool prio_allocate = false, tp_created = false;
	struct tcf_proto *tp = NULL;
	struct tcf_chain *chain;
	struct tcf_target tt;
	u32 protocol, prio, chain_index, flags = 0;
	void *fh;
	int err;

	(void)out;
	err = nlmsg_parse(n, sizeof(*t), tca, TCA_MAX, rtm_tca_policy, extack);
	if (err < 0)
		return err;
	protocol = TC_H_MIN(t->tcm_info);
	prio = TC_H_MAJ(t->tcm_info);
	if (!prio) {
		if (!(n->nlmsg_flags & NLM_F_CREATE)) {
			NL_SET_ERR_MSG(extack, "Invalid filter command with priority of zero");
			return -ENOENT;
		}
		prio = TC_H_MAKE(0x80000000U, 0U);
		prio_allocate = true;
	}
	err = tcf_target_find(t, &tt, extack);
	if (err)
		return err;
	/* dumps report filters under the parent they were last added through */
	tt.block->classid = tt.parent;
	chain_index = tcf_request_chain(tca, extack, &err);
	if (err)
		return err;
	chain = tcf_chain_get(tt.block, chain_index, true);
	if (!chain) {
		NL_SET_ERR_MSG(extack, "Cannot create specified filter chain");
		return -ENOMEM;
	}
	tp = tcf_chain_tp_find(chain, &chain_info, protocol, prio, prio_allocate);
	if (IS_ERR(tp)) {
		NL_SET_ERR_MSG(extack, "Filter with specified priority/protocol not found");
		err = PTR_ERR(tp);
		goto errout;
	}
	if (!tp) {
		char kind[IFNAMSIZ];

		if (!tca[TCA_KIND] || !protocol) {
			NL_SET_ERR_MSG(extack, "Filter kind and protocol must be specified");
			err = -EINVAL;
			goto errout;
		}
		if (!(n->nlmsg_flags & NLM_F_CREATE)) {
			NL_SET_ERR_MSG(extack,
				       "Need both RTM_NEWTFILTER and NLM_F_CREATE to create a new filter");
			err = -ENOENT;
			goto errout;
		}
		if (prio_allocate)
			prio = tcf_auto_prio(tcf_chain_tp_prev(chain, &chain_info));
		nla_strscpy(kind, tca[TCA_KIND], sizeof(kind));
		tp = tcf_proto_create(kind, protocol, prio, chain, extack);
		if (IS_ERR(tp)) {
			err = PTR_ERR(tp);
			tp = NULL;
			goto errout;
		}
		/* the new tp holds the chain reference taken above */
		chain->refcnt++;
		tcf_chain_tp_insert(chain, &chain_info, tp);
		tp_created = true;
	}
	if (tca[TCA_KIND] && nla_strcmp(tca[TCA_KIND], tp->ops->kind)) {
		NL_SET_ERR_MSG(extack, "Specified filter kind does not match existing one");
		err = -EINVAL;
		goto errout;
	}
	if (chain->tmplt_ops && chain->tmplt_ops != tp->ops) {
		NL_SET_ERR_MSG(extack, "Chain template is set to a different filter kind");
		err = -EINVAL;
		goto errout;
	}
	fh = tp->ops->get(tp, t->tcm_handle);
	if (!fh) {
		if (!(n->nlmsg_flags & NLM_F_CREATE)) {
			NL_SET_ERR_MSG(extack,
				       "Need both RTM_NEWTFILTER and NLM_F_CREATE to create a new filter");
			err = -ENOENT;
			goto errout;
		}
	} else if (n->nlmsg_flags & NLM_F_EXCL) {
		NL_SET_ERR_MSG(extack, "Filter already exists");
		err = -EEXIST;
		goto errout;
	}
	if (!(n->nlmsg_flags & NLM_F_CREATE))
		flags |= TCA_ACT_FLAGS_REPLACE;
	err = tp->ops->change(tp, 0, t->tcm_handle, tca, &fh, flags, extack);
	if (!err)
		tfilter_notify(n, tp, tt.block, tt.q, tt.parent, fh, RTM_NEWTFILTER, NULL);
errout:
	if (err && tp_created)
		tcf_chain_tp_delete_empty(chain, tp);
	tcf_chain_put(chain);
	return err;
}

int tc_del_tfilter(struct nlmsghdr *n, struct nl_out *out, struct netlink_ext_ack *extack)
{
	struct tcmsg *t = mnl_nlmsg_get_payload(n);
	struct nlattr *tca[TCA_MAX + 1];
	struct tcf_chain_info chain_info;
	struct tcf_proto *tp;
	struct tcf_chain *chain;
	struct tcf_target tt;
	u32 protocol, prio, chain_index;
	bool last;
	void *fh;
	int err;

	(void)out;
	err = nlmsg_parse(n, sizeof(*t), tca, TCA_MAX, rtm_tca_policy, extack);
	if (err < 0)
		return err;
	protocol = TC_H_MIN(t->tcm_info);
	prio = TC_H_MAJ(t->tcm_info);
	if (!prio && (protocol || t->tcm_handle || tca[TCA_KIND])) {
		NL_SET_ERR_MSG(extack, "Cannot flush filters with protocol, handle or kind set");
		return -ENOENT;
	}
	err = tcf_target_find(t, &tt, extack);
	if (err)
		return err;
	chain_index = tcf_request_chain(tca, extack, &err);
	if (err)
		return err;
	chain = tcf_chain_get(tt.block, chain_index, false);
	if (!chain) {
		/* flushing a chain that does not exist has nothing to do */
		if (!prio)
			return 0;
		NL_SET_ERR_MSG(extack, "Cannot find specified filter chain");
		return -ENOENT;
	}
	if (!prio) {
		tfilter_notify_chain(n, chain, tt.q, tt.parent);
		tcf_chain_flush(chain);
		goto out;
	}
	tp = tcf_chain_tp_find(chain, &chain_info, protocol, prio, false);
	if (!tp || IS_ERR(tp)) {
		NL_SET_ERR_MSG(extack, "Filter with specified priority/protocol not found");
		err = tp ? PTR_ERR(tp) : -ENOENT;
		goto out;
	}
	if (tca[TCA_KIND] && nla_strcmp(tca[TCA_KIND], tp->ops->kind)) {
		NL_SET_ERR_MSG(extack, "Specified filter kind does not match existing one");
		err = -EINVAL;
		goto out;
	}
	if (!t->tcm_handle) {
		tcf_chain_tp_remove(chain, &chain_info, tp);
		tfilter_notify(n, tp, tt.block, tt.q, tt.parent, NULL, RTM_DELTFILTER, NULL);
		tcf_proto_destroy(tp, extack);
		goto out;
	}
	fh = tp->ops->get(tp, t->tcm_handle);
	if (!fh) {
		NL_SET_ERR_MSG(extack, "Specified filter handle not found");
		err = -ENOENT;
		goto out;
	}
	{
		struct nl_out ev;

		/* the notification describes the filter as it was */
		nl_out_init(&ev, 0);
		tcf_fill_node(&ev, tp, tt.block, tt.q, tt.parent, fh, n->nlmsg_seq,
			      n->nlmsg_flags & NLM_F_ECHO, RTM_DELTFILTER);
		err = tp->ops->delete(tp, fh, &last, extack);
		if (!err)
			rtnl_notify(&ev, NETLINK_ROUTE, RTNLGRP_TC);
		nl_out_free(&ev);
	}
	if (!err && last)
		tcf_chain_tp_delete_empty(chain, tp);
out:
	tcf_chain_put(chain);
	return err;
}

int tc_get_tfilter(struct nlmsghdr *n, struct nl_out *out, struct netlink_ext_ack *extack)
{
	struct tcmsg *t = mnl_nlmsg_get_payload(n);
	struct nlattr *tca[TCA_MAX + 1];
	struct tcf_chain_info chain_info;
	struct tcf_proto *tp;
	struct tcf_chain *chain;
	struct tcf_target tt;
	u32 protocol, prio, chain_index;
	void *fh;
	int err;

	err = nlmsg_parse(n, sizeof(*t), tca, TCA_MAX, rtm_tca_policy, extack);
	if (err < 0)
		return err;
	protocol = TC_H_MIN(t->tcm_info);
	prio = TC_H_MAJ(t->tcm_info);
	if (!prio) {
		NL_SET_ERR_MSG(extack, "Invalid filter command with priority of zero");
		return -ENOENT;
	}
	err = tcf_target_find(t, &tt, extack);
	if (err)
		return err;
	chain_index = tcf_request_chain(tca, extack, &err);
	if (err)
		return err;
	chain = tcf_chain_lookup(tt.block, chain_index);
	if (!chain) {
		NL_SET_ERR_MSG(extack, "Cannot find specified filter chain");
		return -EINVAL;
	}
	tp = tcf_chain_tp_find(chain, &chain_info, protocol, prio, false);
	if (!tp || IS_ERR(tp)) {
		NL_SET_ERR_MSG(extack, "Filter with specified priority/protocol not found");
		return tp ? PTR_ERR(tp) : -ENOENT;
	}
	if (tca[TCA_KIND] && nla_strcmp(tca[TCA_KIND], tp->ops->kind)) {
		NL_SET_ERR_MSG(extack, "Specified filter kind does not match existing one");
		return -EINVAL;
	}
	fh = tp->ops->get(tp, t->tcm_handle);
	if (!fh) {
		NL_SET_ERR_MSG(extack, "Specified filter handle not found");
		return -ENOENT;
	}
	tfilter_notify(n, tp, tt.block, tt.q, tt.parent, fh, RTM_NEWTFILTER, out);
	return 0;
}

struct tcf_dump_args {
	struct tcf_walker w;
	struct nl_out *out;
	struct tcf_block *block;
	struct Qdisc *q;
	u32 parent;
	u32 seq;
};

static int tcf_node_dump(struct tcf_proto *tp, void *fh, struct tcf_walker *arg)
{
	struct tcf_dump_args *a = (void *)arg;

	return tcf_fill_node(a->out, tp, a->block, a->q, a->parent, fh, a->seq,
			     NLM_F_MULTI, RTM_NEWTFILTER);
}

static void tcf_chain_dump(struct tcf_chain *chain, struct Qdisc *q, u32 parent,
			   const struct tcmsg *tcm, u32 seq, struct nl_out *out)
{
	struct tcf_proto *tp;

	for (tp = chain->filter_chain; tp; tp = tp->next) {
		struct tcf_dump_args arg = {};

		if (TC_H_MAJ(tcm->tcm_info) && TC_H_MAJ(tcm->tcm_info) != tp->prio)
			continue;
		if (TC_H_MIN(tcm->tcm_info) && TC_H_MIN(tcm->tcm_info) != tp->protocol)
			continue;
		if (!tcm->tcm_handle)
			tcf_fill_node(out, tp, chain->block, q, parent, NULL, seq,
				      NLM_F_MULTI, RTM_NEWTFILTER);
		if (!tp->ops->walk)
			continue;
		arg.w.fn = tcf_node_dump;
		arg.out = out;
		arg.block = chain->block;
		arg.q = q;
		arg.parent = parent;
		arg.seq = seq;
		tp->ops->walk(tp, &arg.w);
	}
}

int tc_dump_tfilter(struct nlmsghdr *n, struct nl_out *out, struct netlink_ext_ack *extack)
{
	struct tcmsg *tcm = mnl_nlmsg_get_payload(n);
	struct nlattr *tca[TCA_MAX + 1];
	struct tcf_chain *chain;
	struct tcf_target tt = {};
	struct Qdisc *q = NULL;
	u32 parent = 0;
	int err;

	if (n->nlmsg_len < NLMSG_LENGTH(sizeof(*tcm)))
		return 0;
	err = nlmsg_parse(n, sizeof(*tcm), tca, TCA_MAX, rtm_tca_policy, extack);
	if (err < 0)
		return err;
	if (tcm->tcm_ifindex == (int)TCM_IFINDEX_MAGIC_BLOCK) {
		if (tcf_target_find(tcm, &tt, NULL))
			return 0;
	} else {
		tt.dev = dev_get_by_index(tcm->tcm_ifindex);
		if (!tt.dev || !tcm->tcm_parent)
			return 0;
		q = qdisc_lookup(tt.dev, tcm->tcm_parent);
		if (!q)
			return 0;
		tt.block = q->ops->tcf_block(q, TC_H_MIN(tcm->tcm_parent), NULL);
		if (!tt.block)
			return 0;
		parent = tt.block->classid;
		if (tcf_block_shared(tt.block))
			q = NULL;
	}
	list_for_each_entry(chain, &tt.block->chain_list, list) {
		if (tca[TCA_CHAIN] && nla_get_u32(tca[TCA_CHAIN]) != chain->index)
			continue;
		tcf_chain_dump(chain, q, parent, tcm, n->nlmsg_seq, out);
	}
	return 0;
}

/* ---- ctoffload explain filter ---- */

const char *tcf_block_offload_reason(const struct tcf_block *block, const struct net_device *dev,
				     u32 flags)
{
	bool indirect = !dev->netdev_ops || !dev->netdev_ops->ndo_setup_tc;

	if (block->flow_block.cb_list.next == &block->flow_block.cb_list) {
		/* a vxlan device offloads only through a driver's indirect binding (the uplink's) */
		if (netif_is_vxlan(dev))
			return "no device on this block offloads tc (no uplink representor bound this vxlan device's block indirectly)";
		return "no device on this block offloads tc";
	}
	if (!indirect && !tc_can_offload(dev))
		return "no device on this block offloads tc (hw-tc-offload is off)";
	if (tc_skip_sw(flags) && block->nooffloaddevcnt)
		return "a device on this block cannot offload (the filter needs every device to)";
	return "the driver refused it without saying why";
}

struct tcf_explain_args {
	struct tcf_walker w;		/* first: the walker is cast back */
	const struct net_device *dev;
	int (*emit)(const char *json, size_t len, void *arg);
	void *arg;
	int err;
};

static int tcf_node_explain(struct tcf_proto *tp, void *fh, struct tcf_walker *arg)
{
	struct tcf_explain_args *a = (void *)arg;
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int err;

	f = open_memstream(&text, &len);
	if (!f) {
		a->err = -ENOMEM;
		return -1;
	}
	err = tp->ops->explain(tp, fh, a->dev, f);
	fclose(f);
	if (!err)
		err = a->emit(text, len, a->arg);
	free(text);
	if (err) {
		a->err = err;
		return -1;
	}
	return 0;
}

static int tcf_chain_index_cmp(const void *a, const void *b)
{
	u32 x = (*(struct tcf_chain * const *)a)->index;
	u32 y = (*(struct tcf_chain * const *)b)->index;

	return x < y ? -1 : x > y;
}

int tcf_block_explain(const char *dev_name, s64 chain_index, s64 prio,
		      int (*emit)(const char *json, size_t len, void *arg), void *arg)
{
	struct tcf_explain_args a = { .emit = emit, .arg = arg };
	struct tcf_chain *chain, **chains;
	struct net_device *dev;
	struct tcf_block *block;
	unsigned int n = 0, i;
	struct tcf_proto *tp;

	dev = dev_get_by_name(dev_name);
	if (!dev)
		return -ENODEV;
	if (!dev->qdisc_ingress)
		return -ENOENT;
	block = dev->qdisc_ingress->ops->tcf_block(dev->qdisc_ingress, TC_H_MIN(TC_H_MIN_INGRESS),
						   NULL);
	if (!block)
		return -ENOENT;
	a.dev = dev;
	list_for_each_entry(chain, &block->chain_list, list)
		n++;
	chains = kcalloc(n ? n : 1, sizeof(*chains), GFP_KERNEL);
	if (!chains)
		return -ENOMEM;
	n = 0;
	list_for_each_entry(chain, &block->chain_list, list)
		chains[n++] = chain;
	qsort(chains, n, sizeof(*chains), tcf_chain_index_cmp);
	for (i = 0; i < n && !a.err; i++) {
		if (chain_index >= 0 && chains[i]->index != chain_index)
			continue;
		for (tp = chains[i]->filter_chain; tp && !a.err; tp = tp->next) {
			if (prio >= 0 && tp->prio >> 16 != prio)
				continue;
			if (!tp->ops->walk || !tp->ops->explain)
				continue;
			memset(&a.w, 0, sizeof(a.w));
			a.w.fn = tcf_node_explain;
			tp->ops->walk(tp, &a.w);
		}
	}
	kfree(chains);
	return a.err;
}

/* ---- chains ---- */

/* q is NULL for a shared block; chains are reported under the qdisc's handle */
static int tc_chain_fill_node(struct nl_out *out, struct tcf_chain *chain, struct Qdisc *q,
			      u32 seq, u16 flags, int event)
{
	struct nlmsghdr *nlh;
	struct tcmsg *tcm;

	nlh = nl_out_put(out, seq, event, flags, sizeof(*tcm));
	if (!nlh)
		return -EMSGSIZE;
	tcm = mnl_nlmsg_get_payload(nlh);
	tcm->tcm_family = AF_UNSPEC;
	if (q) {
		tcm->tcm_ifindex = q->dev->ifindex;
		tcm->tcm_parent = q->handle;
	} else {
		tcm->tcm_ifindex = TCM_IFINDEX_MAGIC_BLOCK;
		tcm->tcm_block_index = chain->block->index;
	}
	nla_put_u32(nlh, TCA_CHAIN, chain->index);
	if (chain->tmplt_ops) {
		nla_put_string(nlh, TCA_KIND, chain->tmplt_ops->kind);
		if (chain->tmplt_ops->tmplt_dump(nlh, chain->tmplt_priv) < 0) {
			nl_out_cancel(out, nlh);
			return -EMSGSIZE;
		}
	}
	nl_out_end(out, nlh);
	return 0;
}

static void tc_chain_notify_event(struct tcf_chain *chain, int event)
{
	struct tcf_block *block = chain->block;
	struct nl_out ev;

	nl_out_init(&ev, 0);
	if (!tc_chain_fill_node(&ev, chain, tcf_block_shared(block) ? NULL : block->q, 0,
				event == RTM_NEWCHAIN ? NLM_F_CREATE | NLM_F_EXCL : 0, event))
		rtnl_notify(&ev, NETLINK_ROUTE, RTNLGRP_TC);
	nl_out_free(&ev);
}

static void tc_chain_notify(struct tcf_chain *chain, struct Qdisc *q,
			    const struct nlmsghdr *n, u16 flags, int event,
			    struct nl_out *unicast)
{
	struct nl_out ev;

	if (unicast) {
		tc_chain_fill_node(unicast, chain, q, n->nlmsg_seq, flags, event);
		return;
	}
	nl_out_init(&ev, 0);
	if (!tc_chain_fill_node(&ev, chain, q, n->nlmsg_seq, flags, event))
		rtnl_notify(&ev, NETLINK_ROUTE, RTNLGRP_TC);
	nl_out_free(&ev);
}

static bool tcf_proto_kind_too_long(const struct nlattr *kind)
{
	const char *str = nla_data(kind);
	int len = nla_len(kind);

	if (len && !str[len - 1])
		len--;
	return len >= IFNAMSIZ;
}

/* tc chain add ... KIND OPTIONS: the masks the chain's filters may use */
static int tc_chain_tmplt_add(struct tcf_chain *chain, struct nlattr **tca,
			      struct netlink_ext_ack *extack)
{
	const struct tcf_proto_ops *ops;
	char name[IFNAMSIZ];
	void *tmplt_priv;

	/* no kind: the user did not ask for a template */
	if (!tca[TCA_KIND])
		return 0;
	if (tcf_proto_kind_too_long(tca[TCA_KIND])) {
		NL_SET_ERR_MSG(extack, "Specified TC chain template name too long");
		return -EINVAL;
	}
	nla_strscpy(name, tca[TCA_KIND], sizeof(name));
	ops = tcf_proto_lookup_ops(name);
	if (!ops) {
		NL_SET_ERR_MSG(extack, "TC classifier not found");
		return -ENOENT;
	}
	if (!ops->tmplt_create || !ops->tmplt_destroy || !ops->tmplt_dump) {
		NL_SET_ERR_MSG(extack, "Chain templates are not supported with specified classifier");
		return -EOPNOTSUPP;
	}
	tmplt_priv = ops->tmplt_create(chain, tca, extack);
	if (IS_ERR(tmplt_priv))
		return PTR_ERR(tmplt_priv);
	chain->tmplt_ops = ops;
	chain->tmplt_priv = tmplt_priv;
	return 0;
}

static int tc_chain_add(struct tcf_chain *chain, struct tcf_block *block, u32 chain_index,
			struct Qdisc *q, struct nlmsghdr *n, struct nlattr **tca,
			struct netlink_ext_ack *extack)
{
	int err;

	if (chain && !tcf_chain_held_by_acts_only(chain)) {
		NL_SET_ERR_MSG(extack, "Filter chain already exists");
		return -EEXIST;
	}
	if (!chain && !(n->nlmsg_flags & NLM_F_CREATE)) {
		NL_SET_ERR_MSG(extack,
			       "Need both RTM_NEWCHAIN and NLM_F_CREATE to create a new chain");
		return -ENOENT;
	}
	/* a plain hold: this request announces the chain itself, below */
	if (!chain)
		chain = tcf_chain_create(block, chain_index);
	if (!chain) {
		NL_SET_ERR_MSG(extack, "Failed to create filter chain");
		return -ENOMEM;
	}
	chain->refcnt++;
	chain->explicitly_created = true;
	err = tc_chain_tmplt_add(chain, tca, extack);
	if (err) {
		/* undo the hold: a new chain goes away again */
		tcf_chain_put_explicitly_created(chain);
		return err;
	}
	tc_chain_notify(chain, q, n, NLM_F_CREATE | NLM_F_EXCL, RTM_NEWCHAIN, NULL);
	return 0;
}

int tc_ctl_chain(struct nlmsghdr *n, struct nl_out *out, struct netlink_ext_ack *extack)
{
	struct tcmsg *t = mnl_nlmsg_get_payload(n);
	struct nlattr *tca[TCA_MAX + 1];
	struct tcf_chain *chain;
	struct tcf_target tt;
	struct Qdisc *q;
	u32 chain_index;
	int err;

	err = nlmsg_parse(n, sizeof(*t), tca, TCA_MAX, rtm_tca_policy, extack);
	if (err < 0)
		return err;
	err = tcf_target_find(t, &tt, extack);
	if (err)
		return err;
	q = tcf_block_shared(tt.block) ? NULL : tt.q;
	chain_index = tcf_request_chain(tca, extack, &err);
	if (err)
		return err;
	chain = tcf_chain_lookup(tt.block, chain_index);
	if (n->nlmsg_type == RTM_NEWCHAIN)
		return tc_chain_add(chain, tt.block, chain_index, q, n, tca, extack);
	if (!chain || tcf_chain_held_by_acts_only(chain)) {
		NL_SET_ERR_MSG(extack, "Cannot find specified filter chain");
		return -EINVAL;
	}
	if (n->nlmsg_type == RTM_GETCHAIN) {
		tc_chain_notify(chain, q, n, n->nlmsg_flags, RTM_NEWCHAIN, out);
		return 0;
	}
	/*
	 * RTM_DELCHAIN: flush the filters, then drop the explicit hold; the
	 * last put announces the chain's removal.
	 */
	chain->refcnt++;
	tfilter_notify_chain(n, chain, q, tt.parent);
	tcf_chain_flush(chain);
	tcf_chain_put_explicitly_created(chain);
	tcf_chain_put(chain);
	return 0;
}

/*
 * One call of Linux's tc_dump_chain(): skip the first *start chains, fill
 * the rest.  Chains held only by actions are skipped without being counted
 * on the way out but are counted when skipped on the way in, so a dump
 * resumed after them repeats chains (6.1 shows chain 0 twice when a
 * flushed goto target precedes it); the caller repeats the call until it
 * adds nothing, as netlink does.
 */
static int tc_dump_chain_once(struct tcf_block *block, struct Qdisc *q, struct nlattr **tca,
			      u32 seq, struct nl_out *out, unsigned int *start)
{
	unsigned int index = 0, index_start = *start;
	struct tcf_chain *chain;
	int filled = 0;

	list_for_each_entry(chain, &block->chain_list, list) {
		if (tca[TCA_CHAIN] && nla_get_u32(tca[TCA_CHAIN]) != chain->index)
			continue;
		if (index < index_start) {
			index++;
			continue;
		}
		if (tcf_chain_held_by_acts_only(chain))
			continue;
		if (tc_chain_fill_node(out, chain, q, seq, NLM_F_MULTI, RTM_NEWCHAIN))
			break;
		filled++;
		index++;
	}
	*start = index;
	return filled;
}

int tc_dump_chain(struct nlmsghdr *n, struct nl_out *out, struct netlink_ext_ack *extack)
{
	struct tcmsg *tcm = mnl_nlmsg_get_payload(n);
	struct nlattr *tca[TCA_MAX + 1];
	unsigned int start = 0;
	struct tcf_target tt;
	struct Qdisc *q;

	(void)extack;
	if (n->nlmsg_len < NLMSG_LENGTH(sizeof(*tcm)))
		return 0;
	if (nlmsg_parse(n, sizeof(*tcm), tca, TCA_MAX, rtm_tca_policy, NULL) < 0)
		return 0;
	if (tcf_target_find(tcm, &tt, NULL)) {
		/* a shared block can also be listed through one of its devices */
		if (!tt.block)
			return 0;
	}
	q = tcf_block_shared(tt.block) ? NULL : tt.q;
	while (tc_dump_chain_once(tt.block, q, tca, n->nlmsg_seq, out, &start) > 0)
		;
	return 0;
}
