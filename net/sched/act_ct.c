// SPDX-License-Identifier: GPL-2.0
/*
 * act_ct (net/sched/act_ct.c): send the packet through connection tracking
 * in a zone, optionally commit the connection (with mark, labels and a
 * NAT mapping), apply NAT, and leave the result on the skb for flower's
 * ct_state / ct_zone / ct_mark / ct_label matches.
 *
 * A packet tracked by an earlier ct action in the same zone is not tracked
 * twice (the seed's `ct` in chain 0, then `ct commit` in chain 2): the
 * connection cached on the skb is used, as the kernel does.
 */
#include <linux/init.h>
#include <linux/slab.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <net/checksum.h>
#include <net/act_api.h>
#include <net/flow_dissector.h>
#include <net/pkt_cls.h>
#include <net/tc_act/tc_ct.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_ecache.h>
#include <net/netfilter/nf_nat.h>
#include <net/netfilter/nf_defrag.h>
#include <net/netfilter/nf_flow_table.h>
#include <pthread.h>
#include <arpa/inet.h>
#include <net/pkt_trace.h>
#include <net/netfilter/nf_conntrack_l4proto.h>

static struct tc_action_ops act_ct_ops;

static const struct nla_policy ct_policy[TCA_CT_MAX + 1] = {
	[TCA_CT_PARMS] = { .type = NLA_EXACT_LEN, .len = sizeof(struct tc_ct) },
	[TCA_CT_ACTION] = { .type = NLA_U16 },
	[TCA_CT_ZONE] = { .type = NLA_U16 },
	[TCA_CT_MARK] = { .type = NLA_U32 },
	[TCA_CT_MARK_MASK] = { .type = NLA_U32 },
	[TCA_CT_LABELS] = { .type = NLA_BINARY, .len = NF_CT_LABELS_MAX_SIZE },
	[TCA_CT_LABELS_MASK] = { .type = NLA_BINARY, .len = NF_CT_LABELS_MAX_SIZE },
	[TCA_CT_NAT_IPV4_MIN] = { .type = NLA_U32 },
	[TCA_CT_NAT_IPV4_MAX] = { .type = NLA_U32 },
	[TCA_CT_NAT_IPV6_MIN] = { .type = NLA_EXACT_LEN, .len = sizeof(struct in6_addr) },
	[TCA_CT_NAT_IPV6_MAX] = { .type = NLA_EXACT_LEN, .len = sizeof(struct in6_addr) },
	[TCA_CT_NAT_PORT_MIN] = { .type = NLA_U16 },
	[TCA_CT_NAT_PORT_MAX] = { .type = NLA_U16 },
};

/* ---- configuration ---- */

static int tcf_ct_fill_params_nat(struct tcf_ct_params *p, struct nlattr **tb,
				  struct netlink_ext_ack *extack)
{
	struct nf_nat_range2 *range = &p->range;

	if (!(p->ct_action & TCA_CT_ACT_NAT))
		return 0;
	if (!(p->ct_action & (TCA_CT_ACT_NAT_SRC | TCA_CT_ACT_NAT_DST)))
		return 0;	/* "nat" alone: reuse the connection's mapping */
	if ((p->ct_action & TCA_CT_ACT_NAT_SRC) && (p->ct_action & TCA_CT_ACT_NAT_DST)) {
		NL_SET_ERR_MSG_MOD(extack, "dnat and snat can't be enabled at the same time");
		return -EOPNOTSUPP;
	}
	if (tb[TCA_CT_NAT_IPV4_MIN]) {
		struct nlattr *max_attr = tb[TCA_CT_NAT_IPV4_MAX];

		p->ipv4_range = true;
		range->flags |= NF_NAT_RANGE_MAP_IPS;
		range->min_addr.ip = nla_get_u32(tb[TCA_CT_NAT_IPV4_MIN]);
		range->max_addr.ip = max_attr ? nla_get_u32(max_attr) : range->min_addr.ip;
	} else if (tb[TCA_CT_NAT_IPV6_MIN]) {
		struct nlattr *max_attr = tb[TCA_CT_NAT_IPV6_MAX];

		range->flags |= NF_NAT_RANGE_MAP_IPS;
		memcpy(&range->min_addr.in6, nla_data(tb[TCA_CT_NAT_IPV6_MIN]),
		       sizeof(range->min_addr.in6));
		memcpy(&range->max_addr.in6,
		       max_attr ? nla_data(max_attr) : nla_data(tb[TCA_CT_NAT_IPV6_MIN]),
		       sizeof(range->max_addr.in6));
	}
	if (tb[TCA_CT_NAT_PORT_MIN]) {
		range->flags |= NF_NAT_RANGE_PROTO_SPECIFIED;
		range->min_proto.all = nla_get_u16(tb[TCA_CT_NAT_PORT_MIN]);
		range->max_proto.all = tb[TCA_CT_NAT_PORT_MAX] ?
				       nla_get_u16(tb[TCA_CT_NAT_PORT_MAX]) :
				       range->min_proto.all;
	}
	return 0;
}

/*
 * a value with its mask: the mask defaults to all ones; a short attribute
 * (tc sends `label 01` as one byte) is zero-filled, as Linux does
 */
static void tcf_ct_set_key_val(struct nlattr **tb, void *val, int val_type, void *mask,
			       int mask_type, int len)
{
	if (!tb[val_type])
		return;
	nla_memcpy(val, tb[val_type], len);
	if (!mask)
		return;
	if (mask_type == TCA_CT_UNSPEC || !tb[mask_type])
		memset(mask, 0xff, len);
	else
		nla_memcpy(mask, tb[mask_type], len);
}

static int tcf_ct_fill_params(struct tcf_ct_params *p, struct tc_ct *parm, struct nlattr **tb,
			      struct netlink_ext_ack *extack)
{
	int err;

	p->zone = NF_CT_DEFAULT_ZONE_ID;
	tcf_ct_set_key_val(tb, &p->ct_action, TCA_CT_ACTION, NULL, TCA_CT_UNSPEC,
			   sizeof(p->ct_action));
	if (p->ct_action & TCA_CT_ACT_CLEAR)
		return 0;
	err = tcf_ct_fill_params_nat(p, tb, extack);
	if (err)
		return err;
	tcf_ct_set_key_val(tb, &p->mark, TCA_CT_MARK, &p->mark_mask, TCA_CT_MARK_MASK,
			   sizeof(p->mark));
	tcf_ct_set_key_val(tb, p->labels, TCA_CT_LABELS, p->labels_mask, TCA_CT_LABELS_MASK,
			   sizeof(p->labels));
	tcf_ct_set_key_val(tb, &p->zone, TCA_CT_ZONE, NULL, TCA_CT_UNSPEC, sizeof(p->zone));
	return 0;
}

/* ---- one flowtable per zone ---- */

/*
 * The zone's flowtable, shared by every ct action of that zone: created by
 * the first, freed with the last (the kernel's tcf_ct_flow_table_get/put).
 * The list is only touched when actions come and go.
 */
struct tcf_ct_flow_table {
	struct list_head list;		/* in tcf_ct_zones */
	unsigned int ref;		/* guarded by tcf_ct_zones_lock */
	u16 zone;
	struct nf_flowtable nf_ft;
};

static LIST_HEAD(tcf_ct_zones);
static pthread_mutex_t tcf_ct_zones_lock = PTHREAD_MUTEX_INITIALIZER;

struct nf_flowtable *tcf_ct_ft(const struct tc_action *a)
{
	struct tcf_ct_flow_table *ct_ft = to_ct_params(a)->ct_ft;

	return ct_ft ? &ct_ft->nf_ft : NULL;
}

static int tcf_ct_flow_table_get(struct tcf_ct_params *params)
{
	struct tcf_ct_flow_table *ct_ft;
	int err = 0;

	pthread_mutex_lock(&tcf_ct_zones_lock);
	list_for_each_entry(ct_ft, &tcf_ct_zones, list) {
		if (ct_ft->zone == params->zone) {
			ct_ft->ref++;
			goto out;
		}
	}
	ct_ft = kzalloc(sizeof(*ct_ft), GFP_KERNEL);
	if (!ct_ft) {
		err = -ENOMEM;
		goto out_unlock;
	}
	ct_ft->ref = 1;
	ct_ft->zone = params->zone;
	/* drivers may register on its flow_block (nf_flow_table_offload_add_cb) */
	ct_ft->nf_ft.flags = NF_FLOWTABLE_HW_OFFLOAD | NF_FLOWTABLE_COUNTER;
	err = nf_flow_table_init(&ct_ft->nf_ft);
	if (err) {
		kfree(ct_ft);
		goto out_unlock;
	}
	list_add(&ct_ft->list, &tcf_ct_zones);
out:
	params->ct_ft = ct_ft;
out_unlock:
	pthread_mutex_unlock(&tcf_ct_zones_lock);
	return err;
}

/*
 * Called once no packet can reach params any more (after its grace
 * period): the last action of the zone takes its entries down with it,
 * and their connections go back to conntrack.
 */
static void tcf_ct_flow_table_put(struct tcf_ct_flow_table *ct_ft)
{
	struct flow_block_cb *block_cb, *tmp;
	bool last;

	pthread_mutex_lock(&tcf_ct_zones_lock);
	last = !--ct_ft->ref;
	if (last)
		list_del(&ct_ft->list);
	pthread_mutex_unlock(&tcf_ct_zones_lock);
	if (!last)
		return;
	nf_flow_table_free(&ct_ft->nf_ft);
	nf_flow_table_retire_stats(&ct_ft->nf_ft);
	/* callbacks a driver left registered go with the table, as in Linux */
	list_for_each_entry_safe(block_cb, tmp, &ct_ft->nf_ft.flow_block.cb_list, list) {
		list_del(&block_cb->list);
		flow_block_cb_free(block_cb);
	}
	pthread_rwlock_destroy(&ct_ft->nf_ft.flow_block_lock);
	kfree(ct_ft);
}

void tcf_ct_flow_table_restore_skb(struct sk_buff *skb, unsigned long cookie)
{
	enum ip_conntrack_info ctinfo = cookie & NFCT_INFOMASK;
	struct nf_conn *ct = (struct nf_conn *)(cookie & NFCT_PTRMASK);

	/*
	 * The driver found the connection under RCU through its own rule, so
	 * the flowtable entry (which holds ct) was alive when the read side
	 * began: ct cannot go before we take our reference.
	 */
	nf_reset_ct(skb);
	nf_conntrack_get(ct);
	nf_ct_set(skb, ct, ctinfo);
	skb->nfct_ref = 1;
	skb->post_ct = 1;
	skb->tc_zone = ct->zone;
}

struct nf_flowtable *tcf_ct_zone_flowtable(u16 zone)
{
	struct tcf_ct_flow_table *ct_ft;
	struct nf_flowtable *ft = NULL;

	pthread_mutex_lock(&tcf_ct_zones_lock);
	list_for_each_entry(ct_ft, &tcf_ct_zones, list)
		if (ct_ft->zone == zone)
			ft = &ct_ft->nf_ft;
	pthread_mutex_unlock(&tcf_ct_zones_lock);
	return ft;
}

unsigned int tcf_ct_zones_get(u16 *zones, unsigned int max)
{
	struct tcf_ct_flow_table *ct_ft;
	unsigned int n = 0;

	pthread_mutex_lock(&tcf_ct_zones_lock);
	list_for_each_entry(ct_ft, &tcf_ct_zones, list)
		if (n < max)
			zones[n++] = ct_ft->zone;
	pthread_mutex_unlock(&tcf_ct_zones_lock);
	return n;
}

static void tcf_ct_flow_table_add(struct tcf_ct_flow_table *ct_ft, struct nf_conn *ct,
				  bool tcp, bool bidirectional)
{
	struct flow_offload *entry;

	/* one entry per connection, whichever action of the zone gets there first */
	if (test_and_set_bit(IPS_OFFLOAD_BIT, &ct->status))
		return;
	entry = flow_offload_alloc(ct);
	if (!entry)
		goto err_alloc;
	/* conntrack will not see the packets the fast path forwards */
	if (tcp) {
		ct->proto.tcp.seen[0].flags |= IP_CT_TCP_FLAG_BE_LIBERAL;
		ct->proto.tcp.seen[1].flags |= IP_CT_TCP_FLAG_BE_LIBERAL;
	}
	if (bidirectional)
		set_bit(NF_FLOW_HW_BIDIRECTIONAL, &entry->flags);
	if (flow_offload_add(&ct_ft->nf_ft, entry))
		goto err_add;
	return;

err_add:
	flow_offload_free(entry);
err_alloc:
	clear_bit(IPS_OFFLOAD_BIT, &ct->status);
}

/*
 * Which connections enter the flowtable, as in the Linux that the
 * selftests' captures come from: TCP once ESTABLISHED and assured; UDP as
 * soon as it is confirmed, even unreplied (its reply direction joins once
 * it is assured); nothing else (ICMP never), and nothing with sequence
 * adjustment (helpers).
 */
/*
 * A TCP connection act_ct does not add (ctoffload explain conn): closing
 * after a FIN or RST took it out of the flowtable says so; closing
 * without ever having been there, or not established yet, says that.
 */
static enum nf_ct_offload_reason tcf_ct_tcp_not_added(const struct nf_conn *ct)
{
	switch (READ_ONCE(ct->proto.tcp.state)) {
	case TCP_CONNTRACK_FIN_WAIT:
	case TCP_CONNTRACK_CLOSE_WAIT:
	case TCP_CONNTRACK_LAST_ACK:
	case TCP_CONNTRACK_TIME_WAIT:
	case TCP_CONNTRACK_CLOSE:
		if (READ_ONCE(ct->offload_reason) == NF_CT_OFFLOAD_TEARDOWN)
			return NF_CT_OFFLOAD_TEARDOWN;
		return NF_CT_OFFLOAD_TCP_CLOSING;
	default:
		return NF_CT_OFFLOAD_TCP_NOT_ESTABLISHED;
	}
}

static void tcf_ct_flow_table_process_conn(struct tcf_ct_flow_table *ct_ft, struct nf_conn *ct,
					   enum ip_conntrack_info ctinfo)
{
	bool tcp = false, bidirectional = true;

	/* already in the flowtable: the flowtable's side says how it is doing */
	if (test_bit(IPS_OFFLOAD_BIT, &ct->status))
		return;
	if (!READ_ONCE(nf_ft_net.enable)) {
		nf_ct_set_offload_reason(ct, NF_CT_OFFLOAD_DISABLED);
		return;
	}
	switch (nf_ct_protonum(ct)) {
	case IPPROTO_TCP:
		if ((ctinfo != IP_CT_ESTABLISHED && ctinfo != IP_CT_ESTABLISHED_REPLY) ||
		    !test_bit(IPS_ASSURED_BIT, &ct->status) ||
		    READ_ONCE(ct->proto.tcp.state) != TCP_CONNTRACK_ESTABLISHED) {
			nf_ct_set_offload_reason(ct, tcf_ct_tcp_not_added(ct));
			return;
		}
		tcp = true;
		break;
	case IPPROTO_UDP:
		if (!nf_ct_is_confirmed(ct)) {
			nf_ct_set_offload_reason(ct, NF_CT_OFFLOAD_UDP_NOT_CONFIRMED);
			return;
		}
		if (!test_bit(IPS_ASSURED_BIT, &ct->status))
			bidirectional = false;
		break;
	default:
		nf_ct_set_offload_reason(ct, NF_CT_OFFLOAD_PROTO);
		return;
	}
	/* READ_ONCE: other threads set the status bits (set_bit) meanwhile */
	if (READ_ONCE(ct->status) & IPS_SEQ_ADJUST) {
		nf_ct_set_offload_reason(ct, NF_CT_OFFLOAD_HELPER);
		return;
	}
	tcf_ct_flow_table_add(ct_ft, ct, tcp, bidirectional);
}

/*
 * The packet's flowtable tuple, from its headers.  Only what the fast
 * path can forward as is: TCP or UDP, no IPv4 options or IPv6 extension
 * headers, no fragment (a reassembled datagram goes through conntrack),
 * and a TTL / hop limit that survives forwarding.
 */
static bool tcf_ct_flow_table_fill_tuple(const struct sk_buff *skb, u16 family,
					 struct flow_offload_tuple *tuple, const u8 **tcph)
{
	const u8 *nh = skb_network_header(skb);
	unsigned int len = skb->data + skb->len - nh, thoff;
	u8 proto;

	if (skb->frag_next || skb->defragged)
		return false;
	if (family == NFPROTO_IPV4) {
		if (len < 20 || (nh[0] & 0xf) != 5)
			return false;
		if ((nh[6] & 0x3f) || nh[7])	/* MF or a fragment offset */
			return false;
		if (nh[8] <= 1)
			return false;
		proto = nh[9];
		thoff = 20;
		memcpy(&tuple->src_v4, nh + 12, 4);
		memcpy(&tuple->dst_v4, nh + 16, 4);
	} else {
		if (len < 40 || nh[7] <= 1)
			return false;
		proto = nh[6];
		thoff = 40;
		memcpy(&tuple->src_v6, nh + 8, 16);
		memcpy(&tuple->dst_v6, nh + 24, 16);
	}
	if (proto == IPPROTO_TCP) {
		if (len < thoff + 20)
			return false;
		*tcph = nh + thoff;
	} else if (proto == IPPROTO_UDP) {
		if (len < thoff + 8)
			return false;
	} else {
		return false;
	}
	memcpy(&tuple->src_port, nh + thoff, 2);
	memcpy(&tuple->dst_port, nh + thoff + 2, 2);
	tuple->l3proto = family;
	tuple->l4proto = proto;
	return true;
}

#define TCP_FLAG_FIN	0x01
#define TCP_FLAG_RST	0x04

/*
 * The software fast path: a packet of a connection in the zone's
 * flowtable gets its connection without conntrack (established, in its
 * direction), and continues to the same NAT as the slow path.  FIN and
 * RST take the connection back to conntrack, which tracks the close.  A
 * UDP connection not yet assured keeps going through conntrack, which is
 * what will assure it.
 */
static bool tcf_ct_flow_table_lookup(const struct tcf_ct_params *p, struct sk_buff *skb,
				     u16 family)
{
	struct nf_flowtable *nf_ft = &p->ct_ft->nf_ft;
	struct flow_offload_tuple tuple = {};
	struct flow_offload_tuple_rhash *th;
	enum ip_conntrack_info ctinfo;
	bool force_refresh = false;
	struct flow_offload *flow;
	const char *why = "no entry";
	const u8 *tcph = NULL;
	struct nf_conn *ct;
	u8 dir;

	if (!READ_ONCE(nf_ft_net.enable)) {
		pkt_trace(skb, "flowtable", "\"zone\":%u,\"result\":\"miss\",\"why\":\"flowtables are disabled\"",
			  p->zone);
		return false;
	}
	if (!tcf_ct_flow_table_fill_tuple(skb, family, &tuple, &tcph)) {
		why = "not for the fast path (TCP or UDP only, no IP options, fragments or TTL 1)";
		goto miss;
	}
	th = flow_offload_lookup(nf_ft, &tuple);
	if (!th)
		goto miss;
	dir = th->tuple.dir;
	flow = flow_offload_from_tuplehash(th);
	ct = flow->ct;

	if (dir == FLOW_OFFLOAD_DIR_REPLY && !test_bit(NF_FLOW_REPLY_SEEN, &flow->flags))
		set_bit(NF_FLOW_REPLY_SEEN, &flow->flags);	/* before the refresh it asks */
	if (dir == FLOW_OFFLOAD_DIR_REPLY && !test_bit(NF_FLOW_HW_BIDIRECTIONAL, &flow->flags)) {
		/* the reply direction joins once the connection is assured */
		if (test_bit(IPS_ASSURED_BIT, &ct->status)) {
			set_bit(NF_FLOW_HW_BIDIRECTIONAL, &flow->flags);
		} else if (test_bit(NF_FLOW_HW_ESTABLISHED, &flow->flags)) {
			why = "the reply direction is not offloaded yet";
			goto miss;
		}
		force_refresh = true;
	}
	if (tcph && (tcph[13] & (TCP_FLAG_FIN | TCP_FLAG_RST))) {
		flow_offload_teardown(flow);
		nf_ct_set_offload_reason(ct, NF_CT_OFFLOAD_TEARDOWN);
		pkt_trace(skb, "flowtable", "\"zone\":%u,\"result\":\"teardown\",\"why\":\"%s\"",
			  p->zone, tcph[13] & TCP_FLAG_RST ? "rst" : "fin");
		NF_FLOW_TABLE_STAT_INC(nf_ft, miss);
		return false;
	}
	if (dir == FLOW_OFFLOAD_DIR_ORIGINAL)
		ctinfo = test_bit(IPS_SEEN_REPLY_BIT, &ct->status) ? IP_CT_ESTABLISHED : IP_CT_NEW;
	else
		ctinfo = IP_CT_ESTABLISHED_REPLY;
	flow_offload_refresh(nf_ft, flow, force_refresh);
	if (!test_bit(IPS_ASSURED_BIT, &ct->status)) {
		why = "the connection is not assured yet";
		goto miss;
	}

	/* the flow holds the connection: like a table-held one, no reference */
	nf_ct_set(skb, ct, ctinfo);
	if ((nf_ft->flags & NF_FLOWTABLE_COUNTER) && nf_ct_net.acct) {
		struct nf_conn_counter *acct = &ct->acct[dir];

		__atomic_fetch_add(&acct->packets, 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&acct->bytes, skb_l3_len(skb), __ATOMIC_RELAXED);
	}
	NF_FLOW_TABLE_STAT_INC(nf_ft, hit);
	pkt_trace(skb, "flowtable", "\"zone\":%u,\"result\":\"hit\",\"dir\":\"%s\"", p->zone,
		  dir == FLOW_OFFLOAD_DIR_ORIGINAL ? "original" : "reply");
	return true;

miss:
	NF_FLOW_TABLE_STAT_INC(nf_ft, miss);
	pkt_trace(skb, "flowtable", "\"zone\":%u,\"result\":\"miss\",\"why\":\"%s\"", p->zone, why);
	return false;
}

static void tcf_ct_params_free_rcu(struct rcu_head *head)
{
	struct tcf_ct_params *params = container_of(head, struct tcf_ct_params, rcu);

	if (params->ct_ft)
		tcf_ct_flow_table_put(params->ct_ft);
	kfree(params);
}

static int tcf_ct_init(struct nlattr *nla, struct tc_action **a, struct tcf_proto *tp,
		       u32 flags, struct netlink_ext_ack *extack)
{
	bool bind = flags & TCA_ACT_FLAGS_BIND;
	struct tcf_ct_params *params, *old;
	struct nlattr *tb[TCA_CT_MAX + 1];
	struct tcf_chain *goto_ch = NULL;
	struct tc_ct *parm;
	struct tcf_ct *c;
	int err, res = 0;
	u32 index;

	if (!nla) {
		NL_SET_ERR_MSG_MOD(extack, "Ct requires attributes to be passed");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, TCA_CT_MAX, nla, ct_policy, extack);
	if (err < 0)
		return err;
	if (!tb[TCA_CT_PARMS]) {
		NL_SET_ERR_MSG_MOD(extack, "Missing required ct parameters");
		return -EINVAL;
	}
	parm = (struct tc_ct *)nla_data(tb[TCA_CT_PARMS]);
	index = parm->index;
	err = tcf_idr_check_alloc(&act_ct_ops, &index, a, bind);
	if (err < 0)
		return err;
	if (!err) {
		err = tcf_idr_create(&act_ct_ops, index, a, bind, flags);
		if (err)
			return err;
		res = ACT_P_CREATED;
	} else {
		if (bind)
			return 0;
		if (!(flags & TCA_ACT_FLAGS_REPLACE)) {
			tcf_idr_release(*a, bind);
			return -EEXIST;
		}
	}
	err = tcf_action_check_ctrlact(parm->action, tp, &goto_ch, extack);
	if (err < 0)
		goto cleanup;

	c = to_ct(*a);
	params = kzalloc(sizeof(*params), GFP_KERNEL);
	if (!params) {
		err = -ENOMEM;
		goto cleanup;
	}
	err = tcf_ct_fill_params(params, parm, tb, extack);
	if (!err && !(params->ct_action & TCA_CT_ACT_CLEAR))
		err = tcf_ct_flow_table_get(params);
	if (err) {
		kfree(params);
		goto cleanup;
	}
	goto_ch = tcf_action_set_ctrlact(*a, parm->action, goto_ch);
	old = c->params;
	rcu_assign_pointer(c->params, params);
	if (goto_ch)
		tcf_chain_put_by_act(goto_ch);
	if (old)
		call_rcu(&old->rcu, tcf_ct_params_free_rcu);
	return res;

cleanup:
	if (goto_ch)
		tcf_chain_put_by_act(goto_ch);
	tcf_idr_release(*a, bind);
	return err;
}

static void tcf_ct_cleanup(struct tc_action *a)
{
	struct tcf_ct *c = to_ct(a);

	if (c->params)
		call_rcu(&c->params->rcu, tcf_ct_params_free_rcu);
}

/* ---- the packet path ---- */

/*
 * act_ct works at L3: the skb is cut to the IP packet's own length, so
 * Ethernet padding is neither tracked nor checksummed.
 */
static int tcf_ct_skb_network_trim(struct sk_buff *skb, u16 family)
{
	const u8 *nh = skb_network_header(skb);
	unsigned int nhoff = nh - skb->data, len;
	u16 l;

	if (family == NFPROTO_IPV4) {
		memcpy(&l, nh + 2, 2);
		len = ntohs(l);
	} else {
		memcpy(&l, nh + 4, 2);
		len = 40 + ntohs(l);
	}
	if (nhoff + len > skb->len)
		return -EINVAL;
	skb->len = nhoff + len;
	return 0;
}

static u16 tcf_ct_skb_nf_family(struct sk_buff *skb)
{
	const struct fl_flow_key *key = skb_flow_key(skb);

	/* a frame the parser refused has no usable network header */
	if (!key->control.addr_type)
		return NFPROTO_UNSPEC;
	switch (ntohs(key->basic.n_proto)) {
	case ETH_P_IP:
		return NFPROTO_IPV4;
	case ETH_P_IPV6:
		return NFPROTO_IPV6;
	default:
		return NFPROTO_UNSPEC;
	}
}

/* can the connection already on the skb be used instead of tracking again? */
static bool tcf_ct_skb_nfct_cached(struct sk_buff *skb, const struct tcf_ct_params *p)
{
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct = nf_ct_get(skb, &ctinfo);

	if (!ct)
		return false;
	if (ct->zone != p->zone)
		goto drop_ct;
	/* force: a connection seen in the wrong direction starts again */
	if ((p->ct_action & TCA_CT_ACT_FORCE) && CTINFO2DIR(ctinfo) != IP_CT_DIR_ORIGINAL) {
		if (nf_ct_is_confirmed(ct))
			nf_ct_kill(ct);
		goto drop_ct;
	}
	return true;

drop_ct:
	nf_reset_ct(skb);
	return false;
}

static unsigned int ct_nat_execute(struct sk_buff *skb, struct nf_conn *ct,
				   enum ip_conntrack_info ctinfo,
				   const struct nf_nat_range2 *range,
				   enum nf_nat_manip_type maniptype)
{
	unsigned int err;

	switch (ctinfo) {
	case IP_CT_RELATED:
	case IP_CT_RELATED_REPLY:
		if (nf_ct_l3num(ct) == NFPROTO_IPV4 &&
		    skb->flow_key->basic.ip_proto == IPPROTO_ICMP)
			return nf_nat_icmp_reply_translation(skb, ct, ctinfo, maniptype) ?
			       NF_ACCEPT : NF_DROP;
		if (nf_ct_l3num(ct) == NFPROTO_IPV6 &&
		    skb->flow_key->basic.ip_proto == IPPROTO_ICMPV6)
			return nf_nat_icmpv6_reply_translation(skb, ct, ctinfo, maniptype) ?
			       NF_ACCEPT : NF_DROP;
		fallthrough;	/* a related connection of its own */
	case IP_CT_NEW:
		if (!nf_nat_initialized(ct, maniptype)) {
			err = range && range->flags & NF_NAT_RANGE_MAP_IPS ?
			      nf_nat_setup_info(ct, range, maniptype) :
			      nf_nat_alloc_null_binding(ct, maniptype);
			if (err != NF_ACCEPT)
				return err;
		}
		break;
	case IP_CT_ESTABLISHED:
	case IP_CT_ESTABLISHED_REPLY:
		break;
	default:
		return NF_DROP;
	}
	return nf_nat_packet(ct, ctinfo, maniptype, skb);
}

/*
 * NAT rewrote the first fragment of a reassembled datagram (ports and the
 * L4 checksum live there only): give the others the same addresses.
 */
static void tcf_ct_nat_frags(struct sk_buff *skb, u16 family)
{
	const u8 *nh = skb_network_header(skb);
	struct sk_buff *frag;

	for (frag = skb->frag_next; frag; frag = frag->frag_next) {
		u8 *fnh = skb_network_header(frag);

		if (family == NFPROTO_IPV4) {
			__sum16 check = 0;

			memcpy(fnh + 12, nh + 12, 8);
			memcpy(fnh + 10, &check, 2);
			check = ip_fast_csum(fnh, fnh[0] & 0xf);
			memcpy(fnh + 10, &check, 2);
		} else {
			memcpy(fnh + 8, nh + 8, 32);
		}
	}
}

/*
 * Which rewrite the packet needs.  An established (or committed related)
 * connection with a mapping is rewritten as its mapping says, undone in
 * the reply direction; otherwise the action's own nat src / nat dst.
 */
static unsigned int tcf_ct_act_nat(struct sk_buff *skb, struct nf_conn *ct,
				   enum ip_conntrack_info ctinfo, const struct tcf_ct_params *p,
				   bool commit)
{
	const struct nf_nat_range2 *range = &p->range;
	enum nf_nat_manip_type maniptype;
	unsigned int err;

	if (!(p->ct_action & TCA_CT_ACT_NAT))
		return NF_ACCEPT;
	/* ct->status: other threads set its bits (set_bit) meanwhile */
	if (ctinfo != IP_CT_NEW && (READ_ONCE(ct->status) & IPS_NAT_MASK) &&
	    (ctinfo != IP_CT_RELATED || commit)) {
		bool snat = READ_ONCE(ct->status) & IPS_SRC_NAT;

		if (CTINFO2DIR(ctinfo) == IP_CT_DIR_REPLY)
			maniptype = snat ? NF_NAT_MANIP_DST : NF_NAT_MANIP_SRC;
		else
			maniptype = snat ? NF_NAT_MANIP_SRC : NF_NAT_MANIP_DST;
	} else if (p->ct_action & TCA_CT_ACT_NAT_SRC) {
		maniptype = NF_NAT_MANIP_SRC;
	} else if (p->ct_action & TCA_CT_ACT_NAT_DST) {
		maniptype = NF_NAT_MANIP_DST;
	} else {
		return NF_ACCEPT;
	}

	err = ct_nat_execute(skb, ct, ctinfo, range, maniptype);
	/* a connection with both mappings: the other half too */
	if (err == NF_ACCEPT && (READ_ONCE(ct->status) & IPS_NAT_MASK) == IPS_NAT_MASK) {
		maniptype = maniptype == NF_NAT_MANIP_SRC ? NF_NAT_MANIP_DST : NF_NAT_MANIP_SRC;
		err = ct_nat_execute(skb, ct, ctinfo, range, maniptype);
	}
	if (err == NF_ACCEPT) {
		if (skb->frag_next)
			tcf_ct_nat_frags(skb, nf_ct_l3num(ct));
		/* the packet changed: the next classifier parses it again */
		skb->flow_key_valid = 0;
		if (READ_ONCE(ct->status) & IPS_SRC_NAT)
			skb->post_ct_snat = 1;
		if (READ_ONCE(ct->status) & IPS_DST_NAT)
			skb->post_ct_dnat = 1;
	}
	return err;
}

static void tcf_ct_act_set_mark(struct nf_conn *ct, u32 mark, u32 mask)
{
	u32 new_mark;

	if (!mask)
		return;
	new_mark = mark | (READ_ONCE(ct->mark) & ~mask);
	if (READ_ONCE(ct->mark) != new_mark) {
		WRITE_ONCE(ct->mark, new_mark);
		if (nf_ct_is_confirmed(ct))
			nf_conntrack_event_cache(IPCT_MARK, ct);
	}
}

static void tcf_ct_act_set_labels(struct nf_conn *ct, const u32 *labels, const u32 *mask)
{
	bool changed = false;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ct->labels); i++) {
		u32 v = (ct->labels[i] & ~mask[i]) | (labels[i] & mask[i]);

		if (v != ct->labels[i]) {
			ct->labels[i] = v;
			changed = true;
		}
	}
	if (changed && nf_ct_is_confirmed(ct))
		nf_conntrack_event_cache(IPCT_LABEL, ct);
}

/* ---- `ctoffload trace` (net/pkt_trace.h): what act_ct did to a traced packet ---- */

struct tcf_ct_trace {
	struct nf_conntrack_tuple tuple;	/* the packet's, as it came */
	bool have_tuple;
	const char *before;
	char before_buf[16];
};

static const char *tcf_ct_trace_state(const struct nf_conn *ct)
{
	if (!ct)
		return "none";
	if (nf_ct_protonum(ct) == IPPROTO_TCP) {
		u8 state = READ_ONCE(ct->proto.tcp.state);

		return state < TCP_CONNTRACK_MAX ? tcp_conntrack_names[state] : "?";
	}
	return test_bit(IPS_SEEN_REPLY_BIT, &ct->status) ? "established" : "new";
}

static const char *tcf_ct_trace_ctinfo(const struct nf_conn *ct, enum ip_conntrack_info ctinfo)
{
	switch (ct ? ctinfo : IP_CT_NUMBER) {
	case IP_CT_ESTABLISHED:
		return "established";
	case IP_CT_RELATED:
		return "related";
	case IP_CT_NEW:
		return "new";
	case IP_CT_ESTABLISHED_REPLY:
		return "established_reply";
	case IP_CT_RELATED_REPLY:
		return "related_reply";
	default:
		return "invalid";
	}
}

/* "10.0.0.1:5001", "[2001:db8::1]:5001", or without the port */
static void tcf_ct_trace_addr(char *buf, size_t size, u16 l3num, const union nf_inet_addr *a,
			      const __be16 *port)
{
	char s[INET6_ADDRSTRLEN];

	inet_ntop(l3num == NFPROTO_IPV6 ? AF_INET6 : AF_INET, a, s, sizeof(s));
	if (!port)
		snprintf(buf, size, "%s", s);
	else if (l3num == NFPROTO_IPV6)
		snprintf(buf, size, "[%s]:%u", s, ntohs(*port));
	else
		snprintf(buf, size, "%s:%u", s, ntohs(*port));
}

static bool tcf_ct_trace_has_ports(u8 protonum)
{
	return protonum == IPPROTO_TCP || protonum == IPPROTO_UDP ||
	       protonum == IPPROTO_UDPLITE || protonum == IPPROTO_SCTP || protonum == IPPROTO_DCCP;
}

/* "tcp 10.0.0.1:5001 -> 10.0.0.2:5001" */
static void tcf_ct_trace_tuple(char *buf, size_t size, const struct nf_conntrack_tuple *t)
{
	bool ports = tcf_ct_trace_has_ports(t->dst.protonum);
	char src[64], dst[64], proto[8];
	const char *name;

	tcf_ct_trace_addr(src, sizeof(src), t->src.l3num, &t->src.u3, ports ? &t->src.u.all : NULL);
	tcf_ct_trace_addr(dst, sizeof(dst), t->src.l3num, &t->dst.u3, ports ? &t->dst.u.all : NULL);
	switch (t->dst.protonum) {
	case IPPROTO_TCP:
		name = "tcp";
		break;
	case IPPROTO_UDP:
		name = "udp";
		break;
	case IPPROTO_ICMP:
		name = "icmp";
		break;
	case IPPROTO_ICMPV6:
		name = "icmpv6";
		break;
	default:
		snprintf(proto, sizeof(proto), "%u", t->dst.protonum);
		name = proto;
	}
	snprintf(buf, size, "%s %s -> %s", name, src, dst);
}

/* before the packet is tracked: its tuple and its connection's state */
static void tcf_ct_trace_begin(struct sk_buff *skb, const struct tcf_ct_params *p,
			       struct tcf_ct_trace *tr)
{
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct = nf_ct_get(skb, &ctinfo);
	struct nf_conntrack_tuple_hash *h;

	tr->have_tuple = nf_ct_skb_tuple(skb, &tr->tuple);
	if (!ct || ct->zone != p->zone) {
		h = tr->have_tuple ? nf_conntrack_find(p->zone, &tr->tuple) : NULL;
		ct = h ? nf_ct_tuplehash_to_ctrack(h) : NULL;
	}
	/* the state is read now: tracking this packet may change it */
	snprintf(tr->before_buf, sizeof(tr->before_buf), "%s", tcf_ct_trace_state(ct));
	tr->before = tr->before_buf;
}

/* "snat 10.0.0.100", "dnat 10.0.0.1:80", "snat ... dnat ...", or "none" */
static void tcf_ct_trace_nat(char *buf, size_t size, const struct nf_conn *ct,
			     enum ip_conntrack_info ctinfo, const struct tcf_ct_params *p)
{
	const struct nf_conntrack_tuple *in, *out;
	bool ports, src_changed, dst_changed;
	char addr[64];
	int dir, n = 0;

	buf[0] = '\0';
	if (!ct || !(p->ct_action & TCA_CT_ACT_NAT) || !(READ_ONCE(ct->status) & IPS_NAT_MASK)) {
		snprintf(buf, size, "none");
		return;
	}
	dir = CTINFO2DIR(ctinfo);
	in = &ct->tuplehash[dir].tuple;
	out = &ct->tuplehash[!dir].tuple;	/* the packet leaves as the inverse of it */
	ports = tcf_ct_trace_has_ports(in->dst.protonum);
	src_changed = memcmp(&in->src.u3, &out->dst.u3, sizeof(in->src.u3)) ||
		      (ports && in->src.u.all != out->dst.u.all);
	dst_changed = memcmp(&in->dst.u3, &out->src.u3, sizeof(in->dst.u3)) ||
		      (ports && in->dst.u.all != out->src.u.all);
	if (src_changed) {
		tcf_ct_trace_addr(addr, sizeof(addr), in->src.l3num, &out->dst.u3,
				  ports && in->src.u.all != out->dst.u.all ? &out->dst.u.all : NULL);
		n = snprintf(buf, size, "snat %s", addr);
	}
	if (dst_changed && n >= 0 && (size_t)n < size) {
		tcf_ct_trace_addr(addr, sizeof(addr), in->src.l3num, &out->src.u3,
				  ports && in->dst.u.all != out->src.u.all ? &out->src.u.all : NULL);
		snprintf(buf + n, size - n, "%sdnat %s", n ? " " : "", addr);
	}
	if (!buf[0])
		snprintf(buf, size, "none");
}

/* the ct stage, once the action is done with the packet */
static void tcf_ct_trace_end(struct sk_buff *skb, const struct tcf_ct_params *p,
			     const struct tcf_ct_trace *tr, bool dropped)
{
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct = nf_ct_get(skb, &ctinfo);
	char tuple[160] = "", nat[160];

	if (ct)
		tcf_ct_trace_tuple(tuple, sizeof(tuple), &ct->tuplehash[CTINFO2DIR(ctinfo)].tuple);
	else if (tr && tr->have_tuple)
		tcf_ct_trace_tuple(tuple, sizeof(tuple), &tr->tuple);
	tcf_ct_trace_nat(nat, sizeof(nat), ct, ctinfo, p);
	pkt_trace(skb, "ct",
		  "\"zone\":%u,\"tuple\":\"%s\",\"before\":\"%s\",\"after\":\"%s\",\"ctinfo\":\"%s\",\"nat\":\"%s\",\"commit\":%s,\"confirmed\":%s%s",
		  p->zone, tuple, tr ? tr->before : "none", tcf_ct_trace_state(ct),
		  tcf_ct_trace_ctinfo(ct, ctinfo), nat,
		  p->ct_action & TCA_CT_ACT_COMMIT ? "true" : "false",
		  ct && nf_ct_is_confirmed(ct) ? "true" : "false",
		  dropped ? ",\"dropped\":true" : "");
}

/* tcf_ct_flow_table_process_conn() for a traced packet: did it add the connection? */
static void tcf_ct_trace_process_conn(struct sk_buff *skb, const struct tcf_ct_params *p,
				      struct nf_conn *ct, enum ip_conntrack_info ctinfo)
{
	const struct nf_flowtable *ft = &p->ct_ft->nf_ft;
	bool was = test_bit(IPS_OFFLOAD_BIT, &ct->status);

	tcf_ct_flow_table_process_conn(p->ct_ft, ct, ctinfo);
	if (was || !test_bit(IPS_OFFLOAD_BIT, &ct->status))
		return;
	pkt_trace(skb, "flowtable", "\"zone\":%u,\"result\":\"added\"", p->zone);
	/* flow_offload_add() queued the drivers' add (there is no skb there) */
	if (nf_flowtable_hw_offload(ft) && nf_flowtable_has_cb(ft))
		pkt_trace(skb, "offload", "\"work\":\"add\",\"zone\":%u", p->zone);
}

static int tcf_ct_act(struct sk_buff *skb, const struct tc_action *a, struct tcf_result *res)
{
	struct tcf_ct *c = to_ct(a);
	const struct tcf_ct_params *p = rcu_dereference(c->params);
	int retval = READ_ONCE(a->tcfa_action);
	bool commit = p->ct_action & TCA_CT_ACT_COMMIT;
	struct tcf_ct_trace tr, *trace = NULL;
	enum ip_conntrack_info ctinfo;
	bool skip_add = false;
	struct nf_conn *ct;
	u16 family;

	tcf_lastuse_update(&c->common.tcfa_tm);
	tcf_action_update_bstats(&c->common, skb);

	if (p->ct_action & TCA_CT_ACT_CLEAR) {
		skb->post_ct = 0;
		nf_reset_ct(skb);
		pkt_trace(skb, "ct", "\"zone\":%u,\"clear\":true", p->zone);
		return retval;
	}
	family = tcf_ct_skb_nf_family(skb);
	if (family == NFPROTO_UNSPEC)
		goto drop;
	if (tcf_ct_skb_network_trim(skb, family))
		goto drop;
	switch (nf_ct_defrag(skb, p->zone, family)) {
	case 0:
		break;
	case -EINPROGRESS:
		pkt_trace(skb, "ct", "\"zone\":%u,\"defrag\":\"held until the datagram is complete\"",
			  p->zone);
		return TC_ACT_STOLEN;	/* held until its datagram is complete */
	default:
		goto drop;
	}
	/* a datagram just reassembled is parsed again, as one packet */
	if (unlikely(!skb->flow_key_valid))
		skb_flow_key(skb);
	if (unlikely(skb->trace)) {
		trace = &tr;
		tcf_ct_trace_begin(skb, p, trace);
	}

	if (!tcf_ct_skb_nfct_cached(skb, p)) {
		if (tcf_ct_flow_table_lookup(p, skb, family))
			skip_add = true;
		else if (nf_conntrack_in(skb, p->zone) != NF_ACCEPT)
			goto drop;
	}

	ct = nf_ct_get(skb, &ctinfo);
	if (!ct)
		goto out_push;		/* invalid: +trk+inv */
	if (tcf_ct_act_nat(skb, ct, ctinfo, p, commit) != NF_ACCEPT)
		goto drop;
	if (commit) {
		tcf_ct_act_set_mark(ct, p->mark, p->mark_mask);
		tcf_ct_act_set_labels(ct, p->labels, p->labels_mask);
		if (nf_conntrack_confirm(skb) != NF_ACCEPT)
			goto drop;
		nf_ct_deliver_cached_events(ct);
	}
	/* with or without commit, as Linux does */
	if (!skip_add) {
		if (unlikely(trace))
			tcf_ct_trace_process_conn(skb, p, ct, ctinfo);
		else
			tcf_ct_flow_table_process_conn(p->ct_ft, ct, ctinfo);
	}
out_push:
	skb->post_ct = 1;
	skb->tc_zone = p->zone;
	if (unlikely(trace))
		tcf_ct_trace_end(skb, p, trace, false);
	return retval;

drop:
	tcf_action_inc_drop_qstats(&c->common);
	if (unlikely(skb->trace))
		tcf_ct_trace_end(skb, p, trace, true);
	return TC_ACT_SHOT;
}

/* ---- dump ---- */

/* a value and its mask, unless the mask says "not set" */
static void tcf_ct_dump_key_val(struct nlmsghdr *nlh, const void *val, int val_type,
				const void *mask, int mask_type, int len)
{
	static const u8 zeros[NF_CT_LABELS_MAX_SIZE];

	if (mask && !memcmp(mask, zeros, len))
		return;
	nla_put(nlh, val_type, len, val);
	if (mask_type != TCA_CT_UNSPEC)
		nla_put(nlh, mask_type, len, mask);
}

static void tcf_ct_dump_nat(struct nlmsghdr *nlh, const struct tcf_ct_params *p)
{
	const struct nf_nat_range2 *range = &p->range;

	if (!(p->ct_action & TCA_CT_ACT_NAT))
		return;
	if (!(p->ct_action & (TCA_CT_ACT_NAT_SRC | TCA_CT_ACT_NAT_DST)))
		return;
	if (range->flags & NF_NAT_RANGE_MAP_IPS) {
		if (p->ipv4_range) {
			nla_put_u32(nlh, TCA_CT_NAT_IPV4_MIN, range->min_addr.ip);
			nla_put_u32(nlh, TCA_CT_NAT_IPV4_MAX, range->max_addr.ip);
		} else {
			nla_put(nlh, TCA_CT_NAT_IPV6_MIN, sizeof(range->min_addr.in6),
				&range->min_addr.in6);
			nla_put(nlh, TCA_CT_NAT_IPV6_MAX, sizeof(range->max_addr.in6),
				&range->max_addr.in6);
		}
	}
	if (range->flags & NF_NAT_RANGE_PROTO_SPECIFIED) {
		nla_put_u16(nlh, TCA_CT_NAT_PORT_MIN, range->min_proto.all);
		nla_put_u16(nlh, TCA_CT_NAT_PORT_MAX, range->max_proto.all);
	}
}

static int tcf_ct_dump(struct nlmsghdr *nlh, struct tc_action *a, int bind, int ref)
{
	const struct tcf_ct_params *p = to_ct(a)->params;
	struct tc_ct opt = {
		.index = a->tcfa_index,
		.refcnt = refcount_read(&a->tcfa_refcnt) - ref,
		.bindcnt = a->tcfa_bindcnt - bind,
		.action = a->tcfa_action,
	};
	struct tcf_t t;

	nla_put_u16(nlh, TCA_CT_ACTION, p->ct_action);
	if (!(p->ct_action & TCA_CT_ACT_CLEAR)) {
		tcf_ct_dump_key_val(nlh, &p->mark, TCA_CT_MARK, &p->mark_mask,
				    TCA_CT_MARK_MASK, sizeof(p->mark));
		tcf_ct_dump_key_val(nlh, p->labels, TCA_CT_LABELS, p->labels_mask,
				    TCA_CT_LABELS_MASK, sizeof(p->labels));
		tcf_ct_dump_key_val(nlh, &p->zone, TCA_CT_ZONE, NULL, TCA_CT_UNSPEC,
				    sizeof(p->zone));
		tcf_ct_dump_nat(nlh, p);
	}
	nla_put(nlh, TCA_CT_PARMS, sizeof(opt), &opt);
	tcf_tm_dump(&t, &a->tcfa_tm);
	nla_put_64bit(nlh, TCA_CT_TM, sizeof(t), &t, TCA_CT_PAD);
	return 1;
}

static struct tc_action_ops act_ct_ops = {
	.kind = "ct",
	.id = TCA_ID_CT,
	.size = sizeof(struct tcf_ct),
	.act = tcf_ct_act,
	.init = tcf_ct_init,
	.dump = tcf_ct_dump,
	.cleanup = tcf_ct_cleanup,
};

static void ct_init_module(void)
{
	tcf_register_action(&act_ct_ops);
}
module_init(ct_init_module);
