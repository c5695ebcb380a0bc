// SPDX-License-Identifier: GPL-2.0
/*
 * Flowtable hardware offload: each entry of a table with drivers'
 * callbacks is described, one direction at a time, as a flow_rule (a
 * match on the direction's tuple, the NAT rewrite, the connection's
 * metadata) and offered through the table's flow_block; later requests
 * ask for its counters and finally destroy it.  The lifetime rules are in
 * include/net/netfilter/nf_flow_table.h.
 *
 * Every request runs on one "flow offload" worker thread, never on a
 * datapath thread: drivers may sleep and take their own locks.  The
 * backlog is bounded (nf_flowtable_offload_queue_max): a flood of new
 * connections must not grow memory without limit.  A request refused for
 * that is not lost work: the entry keeps working in software, and the gc
 * offers it again on a later pass.
 */
#include <errno.h>
#include <stdlib.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <net/ethernet.h>
#include <linux/slab.h>
#include <linux/tc_act/tc_csum.h>
#include <linux/workqueue.h>
#include <net/flow_offload.h>
#include <net/netfilter/nf_flow_table.h>

static struct workqueue_struct *nf_flow_offload_wq;
static pthread_mutex_t nf_flow_offload_init_lock = PTHREAD_MUTEX_INITIALIZER;
/* requests queued and not yet finished, over every flowtable */
static unsigned int nf_flow_offload_backlog;

struct flow_offload_work {
	struct work_struct work;
	struct nf_flowtable *flowtable;
	struct flow_offload *flow;
	enum flow_cls_command cmd;
};

/* ---- the flow_rule of one direction ---- */

/* enough for IPv6 SNAT and DNAT (4 + 1 each) and the metadata */
#define NF_FLOW_RULE_ACTION_MAX	16

struct nf_flow_match {
	struct flow_dissector dissector;
	struct fl_flow_key key;
	struct fl_flow_key mask;
};

struct nf_flow_rule {
	struct nf_flow_match match;
	struct flow_rule *rule;
};

/*
 * The tuple exactly, plus, for TCP, "neither FIN nor RST": those packets
 * must miss in hardware so that software sees them and tears the entry
 * down (the driver would otherwise keep forwarding a closed connection).
 */
static int nf_flow_rule_match(struct nf_flow_match *match, const struct flow_offload_tuple *tuple)
{
	struct fl_flow_key *key = &match->key, *mask = &match->mask;

	switch (tuple->l3proto) {
	case NFPROTO_IPV4:
		key->control.addr_type = FLOW_DISSECTOR_KEY_IPV4_ADDRS;
		key->basic.n_proto = htons(ETH_P_IP);
		key->ipv4.src = tuple->src_v4.s_addr;
		mask->ipv4.src = 0xffffffff;
		key->ipv4.dst = tuple->dst_v4.s_addr;
		mask->ipv4.dst = 0xffffffff;
		break;
	case NFPROTO_IPV6:
		key->control.addr_type = FLOW_DISSECTOR_KEY_IPV6_ADDRS;
		key->basic.n_proto = htons(ETH_P_IPV6);
		key->ipv6.src = tuple->src_v6;
		memset(&mask->ipv6.src, 0xff, sizeof(mask->ipv6.src));
		key->ipv6.dst = tuple->dst_v6;
		memset(&mask->ipv6.dst, 0xff, sizeof(mask->ipv6.dst));
		break;
	default:
		return -EOPNOTSUPP;
	}
	mask->control.addr_type = 0xffff;
	match->dissector.used_keys |= BIT_ULL(key->control.addr_type);
	mask->basic.n_proto = 0xffff;

	switch (tuple->l4proto) {
	case IPPROTO_TCP:
		/* TCP_FLAG_FIN | TCP_FLAG_RST, as the 16-bit flags word carries them */
		key->tcp.flags = 0;
		mask->tcp.flags = htons(0x0005);
		match->dissector.used_keys |= BIT_ULL(FLOW_DISSECTOR_KEY_TCP);
		break;
	case IPPROTO_UDP:
		break;
	default:
		return -EOPNOTSUPP;
	}
	key->basic.ip_proto = tuple->l4proto;
	mask->basic.ip_proto = 0xff;
	key->tp.src = tuple->src_port;
	mask->tp.src = 0xffff;
	key->tp.dst = tuple->dst_port;
	mask->tp.dst = 0xffff;
	match->dissector.used_keys |= BIT_ULL(FLOW_DISSECTOR_KEY_CONTROL) |
				      BIT_ULL(FLOW_DISSECTOR_KEY_BASIC) |
				      BIT_ULL(FLOW_DISSECTOR_KEY_PORTS);
	return 0;
}

static struct flow_action_entry *flow_action_entry_next(struct nf_flow_rule *flow_rule)
{
	return &flow_rule->rule->action.entries[flow_rule->rule->action.num_entries++];
}

/*
 * One 32-bit word rewritten: (word & mask) ^ val, both in network byte
 * order as they apply to the header, which is how the kernel's flowtable
 * encodes NAT (and how pedit describes the same rewrite).
 */
static void flow_offload_mangle(struct flow_action_entry *entry,
				enum flow_action_mangle_base htype, u32 offset,
				__be32 val, __be32 mask)
{
	entry->id = FLOW_ACTION_MANGLE;
	entry->mangle.htype = htype;
	entry->mangle.offset = offset;
	entry->mangle.mask = mask;
	entry->mangle.val = val;
}

/*
 * The address a direction's packets must leave with is the other
 * direction's tuple read backwards: SNAT rewrites the original
 * direction's source to the reply's destination and the reply's
 * destination back to the original source; DNAT the other two fields.
 */
static void flow_offload_ipv4_nat(const struct flow_offload *flow,
				  enum flow_offload_tuple_dir dir, bool snat,
				  struct nf_flow_rule *flow_rule)
{
	const struct flow_offload_tuple *orig = &flow->tuplehash[FLOW_OFFLOAD_DIR_ORIGINAL].tuple;
	const struct flow_offload_tuple *reply = &flow->tuplehash[FLOW_OFFLOAD_DIR_REPLY].tuple;
	__be32 addr;
	u32 offset;

	if (dir == FLOW_OFFLOAD_DIR_ORIGINAL) {
		addr = snat ? reply->dst_v4.s_addr : reply->src_v4.s_addr;
		offset = snat ? offsetof(struct iphdr, saddr) : offsetof(struct iphdr, daddr);
	} else {
		addr = snat ? orig->src_v4.s_addr : orig->dst_v4.s_addr;
		offset = snat ? offsetof(struct iphdr, daddr) : offsetof(struct iphdr, saddr);
	}
	flow_offload_mangle(flow_action_entry_next(flow_rule), FLOW_ACT_MANGLE_HDR_TYPE_IP4,
			    offset, addr, ~htonl(0xffffffff));
}

/* an IPv6 address is four words, each its own mangle */
static void flow_offload_ipv6_nat(const struct flow_offload *flow,
				  enum flow_offload_tuple_dir dir, bool snat,
				  struct nf_flow_rule *flow_rule)
{
	const struct flow_offload_tuple *orig = &flow->tuplehash[FLOW_OFFLOAD_DIR_ORIGINAL].tuple;
	const struct flow_offload_tuple *reply = &flow->tuplehash[FLOW_OFFLOAD_DIR_REPLY].tuple;
	const struct in6_addr *addr;
	u32 offset, i;
	__be32 word;

	if (dir == FLOW_OFFLOAD_DIR_ORIGINAL) {
		addr = snat ? &reply->dst_v6 : &reply->src_v6;
		offset = snat ? offsetof(struct ip6_hdr, ip6_src) : offsetof(struct ip6_hdr, ip6_dst);
	} else {
		addr = snat ? &orig->src_v6 : &orig->dst_v6;
		offset = snat ? offsetof(struct ip6_hdr, ip6_dst) : offsetof(struct ip6_hdr, ip6_src);
	}
	for (i = 0; i < 4; i++) {
		memcpy(&word, &addr->s6_addr[i * 4], sizeof(word));
		flow_offload_mangle(flow_action_entry_next(flow_rule),
				    FLOW_ACT_MANGLE_HDR_TYPE_IP6, offset + i * 4, word,
				    ~htonl(0xffffffff));
	}
}

/*
 * Ports: the first word of the TCP or UDP header holds the source port
 * in its high half and the destination in its low half; the mangle
 * rewrites one half and keeps the other (mask), always at offset 0.
 */
static void flow_offload_port_nat(const struct flow_offload *flow,
				  enum flow_offload_tuple_dir dir, bool snat,
				  struct nf_flow_rule *flow_rule)
{
	const struct flow_offload_tuple *orig = &flow->tuplehash[FLOW_OFFLOAD_DIR_ORIGINAL].tuple;
	const struct flow_offload_tuple *reply = &flow->tuplehash[FLOW_OFFLOAD_DIR_REPLY].tuple;
	enum flow_action_mangle_base htype = orig->l4proto == IPPROTO_TCP ?
		FLOW_ACT_MANGLE_HDR_TYPE_TCP : FLOW_ACT_MANGLE_HDR_TYPE_UDP;
	bool source;		/* the source port (high half) is rewritten */
	u32 port;

	if (dir == FLOW_OFFLOAD_DIR_ORIGINAL) {
		port = ntohs(snat ? reply->dst_port : reply->src_port);
		source = snat;
	} else {
		port = ntohs(snat ? orig->src_port : orig->dst_port);
		source = !snat;
	}
	if (source)
		flow_offload_mangle(flow_action_entry_next(flow_rule), htype, 0,
				    htonl(port << 16), ~htonl(0xffff0000));
	else
		flow_offload_mangle(flow_action_entry_next(flow_rule), htype, 0,
				    htonl(port), ~htonl(0xffff));
}

/* IPv4 carries a header checksum; both carry the L4 pseudo-header sum */
static void flow_offload_ipv4_checksum(const struct flow_offload *flow,
				       struct nf_flow_rule *flow_rule)
{
	struct flow_action_entry *entry = flow_action_entry_next(flow_rule);

	entry->id = FLOW_ACTION_CSUM;
	entry->csum_flags = TCA_CSUM_UPDATE_FLAG_IPV4HDR;
	switch (flow->tuplehash[FLOW_OFFLOAD_DIR_ORIGINAL].tuple.l4proto) {
	case IPPROTO_TCP:
		entry->csum_flags |= TCA_CSUM_UPDATE_FLAG_TCP;
		break;
	case IPPROTO_UDP:
		entry->csum_flags |= TCA_CSUM_UPDATE_FLAG_UDP;
		break;
	}
}

/*
 * What the driver needs to restore after a hit, as act_ct would have set
 * it: mark, labels, and a cookie that is the skb's ct reference (the
 * connection and its ctinfo, as skb->_nfct holds them).  An original
 * direction that has not seen a reply yet (unidirectional UDP) is "new".
 */
static void flow_offload_ct_metadata(const struct flow_offload *flow,
				     enum flow_offload_tuple_dir dir,
				     struct nf_flow_rule *flow_rule)
{
	struct flow_action_entry *entry = flow_action_entry_next(flow_rule);
	const struct nf_conn *ct = flow->ct;
	enum ip_conntrack_info ctinfo;

	if (dir == FLOW_OFFLOAD_DIR_ORIGINAL)
		ctinfo = flow_offload_seen_reply(flow) ? IP_CT_ESTABLISHED : IP_CT_NEW;
	else
		ctinfo = IP_CT_ESTABLISHED_REPLY;
	entry->id = FLOW_ACTION_CT_METADATA;
	entry->ct_metadata.mark = READ_ONCE(ct->mark);
	memcpy(entry->ct_metadata.labels, ct->labels, sizeof(entry->ct_metadata.labels));
	entry->ct_metadata.cookie = (unsigned long)ct | ctinfo;
	entry->ct_metadata.orig_dir = dir == FLOW_OFFLOAD_DIR_ORIGINAL;
}

/*
 * In the kernel the flowtable's owner supplies these actions (act_ct's
 * type->action); act_ct is the only owner here, so the flowtable builds
 * them itself: the NAT rewrite as the flowtable encodes it, then the
 * connection's metadata.
 */
static void nf_flow_rule_actions(const struct flow_offload *flow, enum flow_offload_tuple_dir dir,
				 struct nf_flow_rule *flow_rule)
{
	bool v4 = flow->tuplehash[dir].tuple.l3proto == NFPROTO_IPV4;
	bool snat = test_bit(NF_FLOW_SNAT, &flow->flags);
	bool dnat = test_bit(NF_FLOW_DNAT, &flow->flags);

	if (snat) {
		if (v4)
			flow_offload_ipv4_nat(flow, dir, true, flow_rule);
		else
			flow_offload_ipv6_nat(flow, dir, true, flow_rule);
		flow_offload_port_nat(flow, dir, true, flow_rule);
	}
	if (dnat) {
		if (v4)
			flow_offload_ipv4_nat(flow, dir, false, flow_rule);
		else
			flow_offload_ipv6_nat(flow, dir, false, flow_rule);
		flow_offload_port_nat(flow, dir, false, flow_rule);
	}
	if (v4 && (snat || dnat))
		flow_offload_ipv4_checksum(flow, flow_rule);
	flow_offload_ct_metadata(flow, dir, flow_rule);
}

static void nf_flow_offload_rule_free(struct nf_flow_rule *flow_rule)
{
	if (!flow_rule)
		return;
	kfree(flow_rule->rule);
	kfree(flow_rule);
}

static struct nf_flow_rule *nf_flow_offload_rule_alloc(const struct flow_offload *flow,
						       enum flow_offload_tuple_dir dir)
{
	struct nf_flow_rule *flow_rule = kzalloc(sizeof(*flow_rule), GFP_KERNEL);

	if (!flow_rule)
		return NULL;
	flow_rule->rule = flow_rule_alloc(NF_FLOW_RULE_ACTION_MAX);
	if (!flow_rule->rule)
		goto err;
	flow_rule->rule->match.dissector = &flow_rule->match.dissector;
	flow_rule->rule->match.key = &flow_rule->match.key;
	flow_rule->rule->match.mask = &flow_rule->match.mask;
	if (nf_flow_rule_match(&flow_rule->match, &flow->tuplehash[dir].tuple))
		goto err;
	flow_rule->rule->action.num_entries = 0;
	nf_flow_rule_actions(flow, dir, flow_rule);
	return flow_rule;
err:
	nf_flow_offload_rule_free(flow_rule);
	return NULL;
}

/* ---- asking the drivers ---- */

/*
 * every callback in turn; how many took it (REPLACE) or answered.  A
 * refusal's error goes to *err (if not NULL): -ENOSPC wins over others.
 */
static int nf_flow_offload_tuple(struct nf_flowtable *ft, struct flow_offload *flow,
				 struct nf_flow_rule *flow_rule, enum flow_offload_tuple_dir dir,
				 enum flow_cls_command cmd, struct flow_stats *stats, int *err)
{
	struct flow_cls_offload cls_flow = {};
	struct flow_block_cb *block_cb;
	int ok = 0, ret;

	/* any protocol: the rule's match says which */
	cls_flow.common.protocol = htons(ETH_P_ALL);
	cls_flow.command = cmd;
	cls_flow.cookie = (unsigned long)&flow->tuplehash[dir].tuple;
	if (flow_rule)
		cls_flow.rule = flow_rule->rule;

	pthread_rwlock_rdlock(&ft->flow_block_lock);
	list_for_each_entry(block_cb, &ft->flow_block.cb_list, list) {
		ret = block_cb->cb(TC_SETUP_CLSFLOWER, &cls_flow, block_cb->cb_priv);
		if (ret < 0) {
			if (err && *err != -ENOSPC)
				*err = ret;
			continue;
		}
		ok++;
	}
	pthread_rwlock_unlock(&ft->flow_block_lock);
	if (stats)
		*stats = cls_flow.stats;
	return ok;
}

/* the reply direction goes too unless the entry is one-way (unreplied UDP) */
static bool flow_offload_both_dirs(const struct flow_offload *flow)
{
	return test_bit(NF_FLOW_HW_BIDIRECTIONAL, &flow->flags);
}

static void flow_offload_work_add(struct flow_offload_work *offload)
{
	struct flow_offload *flow = offload->flow;
	struct nf_flow_rule *rule[FLOW_OFFLOAD_DIR_MAX];
	bool seen_reply;
	int ok, err;

again:
	memset(rule, 0, sizeof(rule));
	ok = err = 0;
	seen_reply = flow_offload_seen_reply(flow);
	rule[0] = nf_flow_offload_rule_alloc(flow, FLOW_OFFLOAD_DIR_ORIGINAL);
	if (flow_offload_both_dirs(flow))
		rule[1] = nf_flow_offload_rule_alloc(flow, FLOW_OFFLOAD_DIR_REPLY);
	if (!rule[0] || (flow_offload_both_dirs(flow) && !rule[1]))
		goto out;
	ok += nf_flow_offload_tuple(offload->flowtable, flow, rule[0],
				    FLOW_OFFLOAD_DIR_ORIGINAL, FLOW_CLS_REPLACE, NULL, &err);
	if (rule[1])
		ok += nf_flow_offload_tuple(offload->flowtable, flow, rule[1],
					    FLOW_OFFLOAD_DIR_REPLY, FLOW_CLS_REPLACE, NULL, &err);
out:
	if (ok && !seen_reply && flow_offload_seen_reply(flow)) {
		/*
		 * The reply came while the rules were built "new" (one-way
		 * UDP): its refresh found this work pending and went, so
		 * the rules are made again, established.
		 */
		nf_flow_offload_rule_free(rule[0]);
		nf_flow_offload_rule_free(rule[1]);
		goto again;
	}
	if (ok) {
		if (seen_reply)
			set_bit(NF_FLOW_HW_ESTABLISHED, &flow->flags);
		set_bit(IPS_HW_OFFLOAD_BIT, &flow->ct->status);
		nf_ct_set_offload_reason(flow->ct, NF_CT_OFFLOAD_HW);
		NF_FLOW_TABLE_STAT_INC(offload->flowtable, hw_add);
	} else {
		/* no callback left at all, the device full, or anything else (the gc retries) */
		nf_ct_set_offload_reason(flow->ct, !err ? NF_CT_OFFLOAD_NO_DRIVER :
					 err == -ENOSPC ? NF_CT_OFFLOAD_HW_FULL : NF_CT_OFFLOAD_RETRY);
		NF_FLOW_TABLE_STAT_INC(offload->flowtable, hw_refused);
	}
	nf_flow_offload_rule_free(rule[0]);
	nf_flow_offload_rule_free(rule[1]);
}

static void flow_offload_work_del(struct flow_offload_work *offload)
{
	struct flow_offload *flow = offload->flow;

	clear_bit(IPS_HW_OFFLOAD_BIT, &flow->ct->status);
	nf_flow_offload_tuple(offload->flowtable, flow, NULL, FLOW_OFFLOAD_DIR_ORIGINAL,
			      FLOW_CLS_DESTROY, NULL, NULL);
	if (flow_offload_both_dirs(flow))
		nf_flow_offload_tuple(offload->flowtable, flow, NULL, FLOW_OFFLOAD_DIR_REPLY,
				      FLOW_CLS_DESTROY, NULL, NULL);
	NF_FLOW_TABLE_STAT_INC(offload->flowtable, hw_del);
	/* from here the gc may unlink and free it */
	set_bit(NF_FLOW_HW_DEAD, &flow->flags);
}

static void nf_ct_acct_add(struct nf_conn *ct, enum ip_conntrack_dir dir, u64 packets, u64 bytes)
{
	struct nf_conn_counter *acct = &ct->acct[dir];

	__atomic_fetch_add(&acct->packets, packets, __ATOMIC_RELAXED);
	__atomic_fetch_add(&acct->bytes, bytes, __ATOMIC_RELAXED);
}

/*
 * The hardware's last hit keeps the entry alive (its packets never reach
 * the software path that would refresh it), and its counters go to
 * conntrack's, so `conntrack -L` counts what hardware forwarded.
 */
static void flow_offload_work_stats(struct flow_offload_work *offload)
{
	struct flow_stats stats[FLOW_OFFLOAD_DIR_MAX] = {};
	struct flow_offload *flow = offload->flow;
	u64 lastused, timeout;

	nf_flow_offload_tuple(offload->flowtable, flow, NULL, FLOW_OFFLOAD_DIR_ORIGINAL,
			      FLOW_CLS_STATS, &stats[0], NULL);
	if (flow_offload_both_dirs(flow))
		nf_flow_offload_tuple(offload->flowtable, flow, NULL, FLOW_OFFLOAD_DIR_REPLY,
				      FLOW_CLS_STATS, &stats[1], NULL);
	lastused = max(stats[0].lastused, stats[1].lastused);
	timeout = lastused + flow_offload_get_timeout_ms(flow);
	/* a datapath refresh may race: the later deadline wins either way */
	if ((s64)(timeout - READ_ONCE(flow->timeout)) > 0)
		WRITE_ONCE(flow->timeout, timeout);
	if ((offload->flowtable->flags & NF_FLOWTABLE_COUNTER) && READ_ONCE(nf_ct_net.acct)) {
		if (stats[0].pkts)
			nf_ct_acct_add(flow->ct, IP_CT_DIR_ORIGINAL, stats[0].pkts, stats[0].bytes);
		if (stats[1].pkts)
			nf_ct_acct_add(flow->ct, IP_CT_DIR_REPLY, stats[1].pkts, stats[1].bytes);
	}
	NF_FLOW_TABLE_STAT_INC(offload->flowtable, hw_stats);
}

static void flow_offload_work_handler(struct work_struct *work)
{
	struct flow_offload_work *offload = container_of(work, struct flow_offload_work, work);

	switch (offload->cmd) {
	case FLOW_CLS_REPLACE:
		flow_offload_work_add(offload);
		break;
	case FLOW_CLS_DESTROY:
		flow_offload_work_del(offload);
		break;
	case FLOW_CLS_STATS:
		flow_offload_work_stats(offload);
		break;
	default:
		break;
	}
	/* the worker's RCU read side keeps flow's memory until we return */
	clear_bit(NF_FLOW_HW_PENDING, &offload->flow->flags);
	__atomic_sub_fetch(&nf_flow_offload_backlog, 1, __ATOMIC_RELAXED);
	kfree(offload);
}

/* ---- queueing requests ---- */

/*
 * One request per entry at a time (NF_FLOW_HW_PENDING): a second one is
 * simply not queued, and the gc asks again later.  The bound is checked
 * without a lock, so a burst of threads may overshoot it by a few.
 */
static struct flow_offload_work *nf_flow_offload_work_alloc(struct nf_flowtable *ft,
							    struct flow_offload *flow,
							    enum flow_cls_command cmd)
{
	struct flow_offload_work *offload;

	if (unlikely(!nf_flow_offload_wq))
		return NULL;
	if (__atomic_load_n(&nf_flow_offload_backlog, __ATOMIC_RELAXED) >=
	    READ_ONCE(nf_ft_net.offload_queue_max)) {
		NF_FLOW_TABLE_STAT_INC(ft, hw_queue_full);
		if (cmd == FLOW_CLS_REPLACE)
			nf_ct_set_offload_reason(flow->ct, NF_CT_OFFLOAD_QUEUE_FULL);
		return NULL;
	}
	if (test_and_set_bit(NF_FLOW_HW_PENDING, &flow->flags))
		return NULL;
	offload = kzalloc(sizeof(*offload), GFP_ATOMIC);
	if (!offload) {
		clear_bit(NF_FLOW_HW_PENDING, &flow->flags);
		return NULL;
	}
	offload->cmd = cmd;
	offload->flow = flow;
	offload->flowtable = ft;
	INIT_WORK(&offload->work, flow_offload_work_handler);
	__atomic_add_fetch(&nf_flow_offload_backlog, 1, __ATOMIC_RELAXED);
	return offload;
}

static void flow_offload_queue_work(struct flow_offload_work *offload)
{
	queue_work(nf_flow_offload_wq, &offload->work);
}

void nf_flow_offload_add(struct nf_flowtable *ft, struct flow_offload *flow)
{
	struct flow_offload_work *offload = nf_flow_offload_work_alloc(ft, flow, FLOW_CLS_REPLACE);

	if (!offload)
		return;
	nf_ct_set_offload_reason(flow->ct, NF_CT_OFFLOAD_PENDING);
	flow_offload_queue_work(offload);
}

void nf_flow_offload_del(struct nf_flowtable *ft, struct flow_offload *flow)
{
	struct flow_offload_work *offload = nf_flow_offload_work_alloc(ft, flow, FLOW_CLS_DESTROY);

	if (!offload)
		return;
	set_bit(NF_FLOW_HW_DYING, &flow->flags);
	flow_offload_queue_work(offload);
}

/* only once the entry has used a tenth of its timeout: asking is not free */
void nf_flow_offload_stats(struct nf_flowtable *ft, struct flow_offload *flow)
{
	struct flow_offload_work *offload;
	s64 left = (s64)(READ_ONCE(flow->timeout) - jiffies_ms());

	if (left >= (s64)(9 * flow_offload_get_timeout_ms(flow) / 10))
		return;
	offload = nf_flow_offload_work_alloc(ft, flow, FLOW_CLS_STATS);
	if (offload)
		flow_offload_queue_work(offload);
}

/* one queue for every flowtable: waiting for all of it is waiting for ft's */
void nf_flow_table_offload_flush(struct nf_flowtable *ft)
{
	if (nf_flow_offload_wq)
		flush_workqueue(nf_flow_offload_wq);
}

unsigned int nf_flow_table_offload_pending(void)
{
	return __atomic_load_n(&nf_flow_offload_backlog, __ATOMIC_RELAXED);
}

void nf_flow_table_offload_pause(bool pause)
{
	if (nf_flow_offload_wq)
		workqueue_pause(nf_flow_offload_wq, pause);
}

/* ---- drivers' callbacks ---- */

int nf_flow_table_offload_add_cb(struct nf_flowtable *ft, flow_setup_cb_t *cb, void *cb_priv)
{
	struct flow_block_cb *block_cb;
	int err = 0;

	pthread_rwlock_wrlock(&ft->flow_block_lock);
	if (flow_block_cb_lookup(&ft->flow_block, cb, cb_priv)) {
		err = -EEXIST;
		goto unlock;
	}
	block_cb = flow_block_cb_alloc(cb, cb_priv, cb_priv, NULL);
	if (IS_ERR(block_cb)) {
		err = PTR_ERR(block_cb);
		goto unlock;
	}
	list_add_tail(&block_cb->list, &ft->flow_block.cb_list);
	__atomic_add_fetch(&ft->flow_block_cbs, 1, __ATOMIC_RELAXED);
unlock:
	pthread_rwlock_unlock(&ft->flow_block_lock);
	return err;
}

void nf_flow_table_offload_del_cb(struct nf_flowtable *ft, flow_setup_cb_t *cb, void *cb_priv)
{
	struct flow_block_cb *block_cb;

	pthread_rwlock_wrlock(&ft->flow_block_lock);
	block_cb = flow_block_cb_lookup(&ft->flow_block, cb, cb_priv);
	if (block_cb) {
		list_del(&block_cb->list);
		flow_block_cb_free(block_cb);
		__atomic_sub_fetch(&ft->flow_block_cbs, 1, __ATOMIC_RELAXED);
	}
	pthread_rwlock_unlock(&ft->flow_block_lock);
}

/* ---- the worker ---- */

int nf_flow_table_offload_init(void)
{
	int err = 0;

	pthread_mutex_lock(&nf_flow_offload_init_lock);
	if (!nf_flow_offload_wq) {
		nf_flow_offload_wq = alloc_workqueue("nf_ft_offload", 0, 1);
		if (!nf_flow_offload_wq)
			err = -ENOMEM;
	}
	pthread_mutex_unlock(&nf_flow_offload_init_lock);
	return err;
}

/* every flowtable is freed: nothing can queue any more */
void nf_flow_table_offload_exit(void)
{
	pthread_mutex_lock(&nf_flow_offload_init_lock);
	destroy_workqueue(nf_flow_offload_wq);
	nf_flow_offload_wq = NULL;
	pthread_mutex_unlock(&nf_flow_offload_init_lock);
}
