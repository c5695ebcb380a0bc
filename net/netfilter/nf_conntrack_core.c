// SPDX-License-Identifier: GPL-2.0
/*
 * Connection tracking: the table, the lifetime of a connection, and the
 * per-packet entry point nf_conntrack_in().
 *
 * One table holds every zone: both tuples of each confirmed connection are
 * nodes of userspace RCU's lock-free hash table (cds_lfht), keyed by tuple
 * and zone.  The table resizes itself in the background (call_rcu worker)
 * as it fills, so a packet never waits for a rehash; lookups take no lock.
 * Insertion is add_unique() of the original tuple, then of the reply tuple,
 * undone if the second clashes: two threads confirming the same connection
 * at once cannot both win.
 */
#include <errno.h>
#include <stdlib.h>
#include <limits.h>
#include <sys/random.h>
#include <xxhash.h>
#include <linux/rculfhash.h>
#include <linux/slab.h>
#include <linux/netdev.h>
#include <linux/if_ether.h>
#include <net/flow_dissector.h>
#include <net/netlink_server.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_l4proto.h>
#include <net/netfilter/nf_conntrack_ecache.h>

/* the kernel's defaults (seconds) */
struct nf_conntrack_net nf_ct_net = {
	.max = 262144,
	.buckets = 262144,
	.acct = 0,
	.checksum = 1,
	.events = 1,
	.tcp_loose = 1,
	.tcp_be_liberal = 0,
	.tcp_max_retrans = 3,
	.tcp_timeouts = {
		[TCP_CONNTRACK_SYN_SENT]	= 2 * 60,
		[TCP_CONNTRACK_SYN_RECV]	= 60,
		[TCP_CONNTRACK_ESTABLISHED]	= 5 * 24 * 3600,
		[TCP_CONNTRACK_FIN_WAIT]	= 2 * 60,
		[TCP_CONNTRACK_CLOSE_WAIT]	= 60,
		[TCP_CONNTRACK_LAST_ACK]	= 30,
		[TCP_CONNTRACK_TIME_WAIT]	= 2 * 60,
		[TCP_CONNTRACK_CLOSE]		= 10,
		[TCP_CONNTRACK_SYN_SENT2]	= 2 * 60,
		[TCP_CONNTRACK_RETRANS]		= 5 * 60,
		[TCP_CONNTRACK_UNACK]		= 5 * 60,
	},
	.udp_timeout = 30,
	.udp_timeout_stream = 120,
	.icmp_timeout = 30,
	.icmpv6_timeout = 30,
	.generic_timeout = 600,
};

struct ip_conntrack_stat nf_ct_stat_percpu[NR_CPUS];

static struct cds_lfht *nf_conntrack_hash;
static u64 nf_conntrack_hash_seed;
static unsigned int nf_ct_count;			/* allocated, confirmed or not */
static unsigned int nf_ct_zone_counts[1 << 16];
static u32 nf_ct_next_id;

/* entries early_drop() looks at for one that has not proven itself */
#define NF_CT_EVICTION_RANGE	64

static unsigned long hash_conntrack(u16 zone, const struct nf_conntrack_tuple *tuple)
{
	return XXH3_64bits_withSeed(tuple, NF_CT_TUPLE_KEY_LEN, nf_conntrack_hash_seed ^ zone);
}

struct nf_ct_lookup_key {
	const struct nf_conntrack_tuple *tuple;
	u16 zone;
};

static int nf_ct_key_match(struct cds_lfht_node *node, const void *arg)
{
	const struct nf_conntrack_tuple_hash *h =
		container_of(node, struct nf_conntrack_tuple_hash, hnnode);
	const struct nf_ct_lookup_key *key = arg;

	rcu_tsan_subscribe(node);	/* found inside liburcu's table */
	return nf_ct_tuple_equal(&h->tuple, key->tuple) &&
	       nf_ct_tuplehash_to_ctrack(h)->zone == key->zone;
}

/* ---- statistics ---- */

void nf_conntrack_stat_sum(struct ip_conntrack_stat *sum)
{
	const u64 *src;
	u64 *dst = (u64 *)sum;
	unsigned int i;
	int cpu;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		src = (const u64 *)&nf_ct_stat_percpu[cpu];
		for (i = 0; i < sizeof(*sum) / sizeof(u64); i++)
			dst[i] += READ_ONCE(src[i]);
	}
}

unsigned int nf_conntrack_count(void)
{
	return __atomic_load_n(&nf_ct_count, __ATOMIC_RELAXED);
}

unsigned int nf_conntrack_zone_count(u16 zone)
{
	return __atomic_load_n(&nf_ct_zone_counts[zone], __ATOMIC_RELAXED);
}

/* ---- allocation and release ---- */

static bool early_drop(void);

struct nf_conn *nf_conntrack_alloc(u16 zone, const struct nf_conntrack_tuple *orig,
				   const struct nf_conntrack_tuple *repl)
{
	struct nf_conn *ct;
	unsigned int n;

	n = __atomic_add_fetch(&nf_ct_count, 1, __ATOMIC_RELAXED);
	if (nf_ct_net.max && unlikely(n > nf_ct_net.max)) {
		if (!early_drop()) {
			__atomic_sub_fetch(&nf_ct_count, 1, __ATOMIC_RELAXED);
			NF_CT_STAT_INC(drop);
			return NULL;
		}
	}
	ct = kzalloc(sizeof(*ct), GFP_ATOMIC);
	if (!ct) {
		__atomic_sub_fetch(&nf_ct_count, 1, __ATOMIC_RELAXED);
		return NULL;
	}
	refcount_set(&ct->ct_general.use, 1);
	spin_lock_init(&ct->lock);
	ct->zone = zone;
	ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple = *orig;
	ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple.dst.dir = IP_CT_DIR_ORIGINAL;
	ct->tuplehash[IP_CT_DIR_REPLY].tuple = *repl;
	ct->tuplehash[IP_CT_DIR_REPLY].tuple.dst.dir = IP_CT_DIR_REPLY;
	cds_lfht_node_init(&ct->tuplehash[0].hnnode);
	cds_lfht_node_init(&ct->tuplehash[1].hnnode);
	__atomic_add_fetch(&nf_ct_zone_counts[zone], 1, __ATOMIC_RELAXED);
	return ct;
}

/* it stops counting when its last reference goes, as in Linux */
static void nf_conntrack_uncount(const struct nf_conn *ct)
{
	__atomic_sub_fetch(&nf_ct_zone_counts[ct->zone], 1, __ATOMIC_RELAXED);
	__atomic_sub_fetch(&nf_ct_count, 1, __ATOMIC_RELAXED);
}

void nf_conntrack_free(struct nf_conn *ct)
{
	nf_conntrack_uncount(ct);
	kfree(ct);
}

static void nf_conntrack_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct nf_conn, rcu));
}

/* the last reference is gone */
void nf_conntrack_destroy(struct nf_conn *ct)
{
	/* readers may still hold it if it was ever in the table */
	if (nf_ct_is_confirmed(ct)) {
		nf_conntrack_uncount(ct);
		call_rcu(&ct->rcu, nf_conntrack_free_rcu);
	} else {
		nf_conntrack_free(ct);
	}
}

/* ---- the table ---- */

static struct nf_conntrack_tuple_hash *
__nf_conntrack_find(u16 zone, const struct nf_conntrack_tuple *tuple)
{
	struct nf_ct_lookup_key key = { .tuple = tuple, .zone = zone };
	struct cds_lfht_iter iter;
	struct cds_lfht_node *node;

	cds_lfht_lookup(nf_conntrack_hash, hash_conntrack(zone, tuple), nf_ct_key_match,
			&key, &iter);
	node = cds_lfht_iter_get_node(&iter);
	return node ? container_of(node, struct nf_conntrack_tuple_hash, hnnode) : NULL;
}

struct nf_conntrack_tuple_hash *nf_conntrack_find(u16 zone, const struct nf_conntrack_tuple *tuple)
{
	struct nf_conntrack_tuple_hash *h = __nf_conntrack_find(zone, tuple);
	struct nf_conn *ct;

	if (!h)
		return NULL;
	ct = nf_ct_tuplehash_to_ctrack(h);
	if (unlikely(nf_ct_is_dying(ct)))
		return NULL;
	/* expired but not collected yet: it is gone for this packet */
	if (unlikely(nf_ct_is_expired(ct))) {
		nf_ct_kill(ct);
		return NULL;
	}
	return h;
}

struct nf_conntrack_tuple_hash *nf_conntrack_find_get(u16 zone, const struct nf_conntrack_tuple *tuple)
{
	struct nf_conntrack_tuple_hash *h;

	rcu_read_lock();
	h = nf_conntrack_find(zone, tuple);
	if (h && !refcount_inc_not_zero(&nf_ct_tuplehash_to_ctrack(h)->ct_general.use))
		h = NULL;
	rcu_read_unlock();
	return h;
}

bool nf_conntrack_tuple_taken(const struct nf_conntrack_tuple *tuple,
			      const struct nf_conn *ignored_conntrack)
{
	struct nf_conntrack_tuple_hash *h;
	bool taken;

	rcu_read_lock();
	h = nf_conntrack_find(ignored_conntrack->zone, tuple);
	taken = h && nf_ct_tuplehash_to_ctrack(h) != ignored_conntrack;
	rcu_read_unlock();
	return taken;
}

void nf_conntrack_alter_reply(struct nf_conn *ct, const struct nf_conntrack_tuple *newreply)
{
	ct->tuplehash[IP_CT_DIR_REPLY].tuple = *newreply;
	ct->tuplehash[IP_CT_DIR_REPLY].tuple.dst.dir = IP_CT_DIR_REPLY;
}

static int __nf_conntrack_hash_insert(struct nf_conn *ct)
{
	struct nf_conntrack_tuple_hash *oh = &ct->tuplehash[IP_CT_DIR_ORIGINAL];
	struct nf_conntrack_tuple_hash *rh = &ct->tuplehash[IP_CT_DIR_REPLY];
	struct nf_ct_lookup_key key = { .zone = ct->zone };
	struct cds_lfht_node *node;

	/* the table's reference; readers may see it as soon as it is added */
	refcount_inc(&ct->ct_general.use);
	ct->id = __atomic_add_fetch(&nf_ct_next_id, 1, __ATOMIC_RELAXED);
	set_bit(IPS_CONFIRMED_BIT, &ct->status);

	rcu_tsan_publish(&oh->hnnode);
	rcu_tsan_publish(&rh->hnnode);
	rcu_read_lock();
	key.tuple = &oh->tuple;
	node = cds_lfht_add_unique(nf_conntrack_hash, hash_conntrack(ct->zone, &oh->tuple),
				   nf_ct_key_match, &key, &oh->hnnode);
	if (node != &oh->hnnode)
		goto clash;
	key.tuple = &rh->tuple;
	node = cds_lfht_add_unique(nf_conntrack_hash, hash_conntrack(ct->zone, &rh->tuple),
				   nf_ct_key_match, &key, &rh->hnnode);
	if (node != &rh->hnnode) {
		cds_lfht_del(nf_conntrack_hash, &oh->hnnode);
		goto clash;
	}
	rcu_read_unlock();
	NF_CT_STAT_INC(insert);
	return 0;

clash:
	rcu_read_unlock();
	/*
	 * Readers may have seen the original tuple for a moment: the entry
	 * stays "confirmed" so that its memory waits for a grace period.
	 */
	set_bit(IPS_DYING_BIT, &ct->status);
	refcount_dec_and_test(&ct->ct_general.use);
	NF_CT_STAT_INC(insert_failed);
	return -EEXIST;
}

/* ctnetlink's insert: it reports the new entry itself, with the requester's port */
int nf_conntrack_hash_check_insert(struct nf_conn *ct)
{
	return __nf_conntrack_hash_insert(ct);
}

bool nf_ct_delete(struct nf_conn *ct, u32 portid, int report)
{
	if (test_and_set_bit(IPS_DYING_BIT, &ct->status))
		return false;
	rcu_read_lock();
	cds_lfht_del(nf_conntrack_hash, &ct->tuplehash[IP_CT_DIR_ORIGINAL].hnnode);
	cds_lfht_del(nf_conntrack_hash, &ct->tuplehash[IP_CT_DIR_REPLY].hnnode);
	rcu_read_unlock();
	nf_conntrack_eventmask_report(1 << IPCT_DESTROY, ct, portid, report);
	nf_ct_put(ct);		/* the table's reference */
	return true;
}

unsigned int nf_ct_iterate(int (*iter)(struct nf_conn *ct, void *data), void *data,
			   u32 portid, int report)
{
	struct cds_lfht_iter it;
	struct cds_lfht_node *node;
	unsigned int deleted = 0;

	/* by node: the _entry form computes container_of(NULL) at the end */
	cds_lfht_for_each(nf_conntrack_hash, &it, node) {
		struct nf_conntrack_tuple_hash *h =
			container_of(node, struct nf_conntrack_tuple_hash, hnnode);
		struct nf_conn *ct;

		rcu_tsan_subscribe(node);	/* found inside liburcu's table */
		ct = nf_ct_tuplehash_to_ctrack(h);

		/* each connection once: through its original tuple */
		if (NF_CT_DIRECTION(h) != IP_CT_DIR_ORIGINAL || nf_ct_is_dying(ct))
			continue;
		if (iter(ct, data) && nf_ct_delete(ct, portid, report))
			deleted++;
	}
	return deleted;
}

static int gc_expired(struct nf_conn *ct, void *budget)
{
	unsigned int *left = budget;

	/* the flowtable owns it: keep it alive, as Linux's gc worker does */
	if (test_bit(IPS_OFFLOAD_BIT, &ct->status)) {
		nf_ct_offload_timeout(ct);
		return 0;
	}
	if (!*left || !nf_ct_is_expired(ct))
		return 0;
	(*left)--;
	return 1;
}

unsigned int nf_conntrack_gc(unsigned int budget)
{
	unsigned int n;

	rcu_read_lock();
	n = nf_ct_iterate(gc_expired, &budget, 0, 0);
	rcu_read_unlock();
	return n;
}

/*
 * The table is full: make room by deleting a connection that has not
 * proven itself (not ASSURED: a SYN that was never answered, a one-way UDP
 * flow).  The table is ordered by hash, so its first entries are a random
 * sample; a flood of new connections evicts its own kind, never an
 * established one.
 */
static bool early_drop(void)
{
	struct cds_lfht_iter it;
	struct cds_lfht_node *node;
	unsigned int seen = 0;
	bool dropped = false;

	rcu_read_lock();
	cds_lfht_for_each(nf_conntrack_hash, &it, node) {
		struct nf_conntrack_tuple_hash *h =
			container_of(node, struct nf_conntrack_tuple_hash, hnnode);
		struct nf_conn *ct;

		rcu_tsan_subscribe(node);	/* found inside liburcu's table */
		ct = nf_ct_tuplehash_to_ctrack(h);

		if (++seen > NF_CT_EVICTION_RANGE)
			break;
		if (test_bit(IPS_ASSURED_BIT, &ct->status) || nf_ct_is_dying(ct))
			continue;
		if (nf_ct_delete(ct, 0, 0)) {
			NF_CT_STAT_INC(early_drop);
			dropped = true;
			break;
		}
	}
	rcu_read_unlock();
	return dropped;
}

/* ---- timeouts and accounting ---- */

void nf_ct_refresh_acct(struct nf_conn *ct, enum ip_conntrack_info ctinfo,
			const struct sk_buff *skb, u64 extra_ms)
{
	u64 timeout = jiffies_ms() + extra_ms;

	/* avoid dirtying the line when nothing changes (a burst in one ms) */
	if (READ_ONCE(ct->timeout) != timeout)
		WRITE_ONCE(ct->timeout, timeout);
	if (nf_ct_net.acct) {
		struct nf_conn_counter *acct = &ct->acct[CTINFO2DIR(ctinfo)];

		__atomic_fetch_add(&acct->packets, 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&acct->bytes, skb_l3_len(skb), __ATOMIC_RELAXED);
	}
}

/* ---- tuples ---- */

/*
 * The packet's L3 facts, from its parsed flow key: family, protocol, the
 * offset of the L4 header from skb->data, and whether it has one (the
 * first fragment or no fragment).  act_ct reassembles fragments first;
 * one that still arrives here cannot be tracked.
 */
static bool nf_ct_l3_info(struct sk_buff *skb, u16 *l3num, u8 *protonum,
			  unsigned int *dataoff)
{
	const struct fl_flow_key *key = skb->flow_key;

	if (!skb->flow_key_valid)
		return false;
	switch (ntohs(key->basic.n_proto)) {
	case ETH_P_IP:
		*l3num = NFPROTO_IPV4;
		break;
	case ETH_P_IPV6:
		*l3num = NFPROTO_IPV6;
		break;
	default:
		return false;
	}
	if (key->control.flags & FLOW_DIS_IS_FRAGMENT)
		return false;
	*protonum = key->basic.ip_proto;
	*dataoff = skb->transport_header - (skb->data - skb->head);
	return true;
}

static bool nf_ct_get_l4_tuple(const u8 *l4, unsigned int len,
			       struct nf_conntrack_tuple *tuple)
{
	switch (tuple->dst.protonum) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
	case IPPROTO_SCTP:
	case IPPROTO_DCCP:
		if (len < 4)
			return false;
		memcpy(&tuple->src.u.all, l4, 2);
		memcpy(&tuple->dst.u.all, l4 + 2, 2);
		return true;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		if (len < 8)
			return false;
		tuple->dst.u.icmp.type = l4[0];
		tuple->dst.u.icmp.code = l4[1];
		memcpy(&tuple->src.u.icmp.id, l4 + 4, 2);
		return true;
	default:
		return true;	/* generic: addresses and protocol only */
	}
}

bool nf_ct_get_tuple_raw(const u8 *nh, const u8 *l4, unsigned int l4len, u16 l3num,
			 u8 protonum, struct nf_conntrack_tuple *tuple)
{
	memset(tuple, 0, sizeof(*tuple));
	tuple->src.l3num = l3num;
	tuple->dst.protonum = protonum;
	if (l3num == NFPROTO_IPV4) {
		memcpy(&tuple->src.u3.ip, nh + 12, 4);
		memcpy(&tuple->dst.u3.ip, nh + 16, 4);
	} else {
		memcpy(&tuple->src.u3.in6, nh + 8, 16);
		memcpy(&tuple->dst.u3.in6, nh + 24, 16);
	}
	return nf_ct_get_l4_tuple(l4, l4len, tuple);
}

/* the tuple of a packet whose network header is at skb_network_header() */
static bool nf_ct_get_tuple(const struct sk_buff *skb, unsigned int dataoff, u16 l3num,
			    u8 protonum, struct nf_conntrack_tuple *tuple)
{
	return nf_ct_get_tuple_raw(skb_network_header(skb), skb->data + dataoff,
				   skb->len - dataoff, l3num, protonum, tuple);
}

bool nf_ct_skb_tuple(struct sk_buff *skb, struct nf_conntrack_tuple *tuple)
{
	unsigned int dataoff;
	u8 protonum;
	u16 l3num;

	return nf_ct_l3_info(skb, &l3num, &protonum, &dataoff) &&
	       nf_ct_get_tuple(skb, dataoff, l3num, protonum, tuple);
}

bool nf_ct_invert_tuple(struct nf_conntrack_tuple *inverse,
			const struct nf_conntrack_tuple *orig)
{
	memset(inverse, 0, sizeof(*inverse));
	inverse->src.l3num = orig->src.l3num;
	inverse->src.u3 = orig->dst.u3;
	inverse->dst.u3 = orig->src.u3;
	inverse->dst.protonum = orig->dst.protonum;
	inverse->dst.dir = !orig->dst.dir;

	switch (orig->dst.protonum) {
	case IPPROTO_ICMP:
		return nf_conntrack_icmp_invert_tuple(inverse, orig);
	case IPPROTO_ICMPV6:
		return nf_conntrack_icmpv6_invert_tuple(inverse, orig);
	default:
		inverse->src.u.all = orig->dst.u.all;
		inverse->dst.u.all = orig->src.u.all;
		return true;
	}
}

/* ---- the packet path ---- */

static int nf_conntrack_handle_packet(struct nf_conn *ct, struct sk_buff *skb,
				      unsigned int dataoff, enum ip_conntrack_info ctinfo)
{
	switch (nf_ct_protonum(ct)) {
	case IPPROTO_TCP:
		return nf_conntrack_tcp_packet(ct, skb, dataoff, ctinfo);
	case IPPROTO_UDP:
		return nf_conntrack_udp_packet(ct, skb, dataoff, ctinfo);
	case IPPROTO_ICMP:
		return nf_conntrack_icmp_packet(ct, skb, dataoff, ctinfo);
	case IPPROTO_ICMPV6:
		return nf_conntrack_icmpv6_packet(ct, skb, dataoff, ctinfo);
	default:
		return nf_conntrack_generic_packet(ct, skb, dataoff, ctinfo);
	}
}

/* header checks before the lookup; ICMP errors attach their connection here */
static int nf_conntrack_handle_error(struct sk_buff *skb, unsigned int dataoff, u16 l3num,
				     u8 protonum, u16 zone, bool *related)
{
	switch (protonum) {
	case IPPROTO_TCP:
		return nf_conntrack_tcp_error(skb, dataoff, l3num);
	case IPPROTO_UDP:
		return nf_conntrack_udp_error(skb, dataoff, l3num);
	case IPPROTO_ICMP:
		if (l3num != NFPROTO_IPV4)
			return -NF_ACCEPT;
		return nf_conntrack_icmpv4_error(skb, dataoff, zone, related);
	case IPPROTO_ICMPV6:
		if (l3num != NFPROTO_IPV6)
			return -NF_ACCEPT;
		return nf_conntrack_icmpv6_error(skb, dataoff, zone, related);
	default:
		return NF_ACCEPT;
	}
}

/* find the packet's connection, or make an unconfirmed one for it */
static int resolve_normal_ct(struct sk_buff *skb, unsigned int dataoff, u16 l3num,
			     u8 protonum, u16 zone)
{
	struct nf_conntrack_tuple tuple, repl;
	struct nf_conntrack_tuple_hash *h;
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct;

	if (!nf_ct_get_tuple(skb, dataoff, l3num, protonum, &tuple))
		return -NF_ACCEPT;

	h = nf_conntrack_find(zone, &tuple);
	if (!h) {
		if (!nf_ct_invert_tuple(&repl, &tuple))
			return -NF_ACCEPT;	/* e.g. an ICMP type that starts nothing */
		ct = nf_conntrack_alloc(zone, &tuple, &repl);
		if (!ct)
			return NF_DROP;
		skb->_nfct = (unsigned long)ct | IP_CT_NEW;
		skb->nfct_ref = 1;	/* the allocation's reference */
		return NF_ACCEPT;
	}
	ct = nf_ct_tuplehash_to_ctrack(h);
	if (NF_CT_DIRECTION(h) == IP_CT_DIR_REPLY)
		ctinfo = IP_CT_ESTABLISHED_REPLY;
	else if (test_bit(IPS_SEEN_REPLY_BIT, &ct->status))
		ctinfo = IP_CT_ESTABLISHED;
	else
		ctinfo = IP_CT_NEW;
	nf_ct_set(skb, ct, ctinfo);
	return NF_ACCEPT;
}

unsigned int nf_conntrack_in(struct sk_buff *skb, u16 zone)
{
	enum ip_conntrack_info ctinfo;
	unsigned int dataoff;
	bool related = false;
	struct nf_conn *ct;
	u8 protonum;
	u16 l3num;
	int ret, tries = 0;

	if (!nf_ct_l3_info(skb, &l3num, &protonum, &dataoff))
		goto invalid;

	/*
	 * The header checks measure the packet in one buffer; a reassembled
	 * datagram spans its fragments' buffers, so they would misjudge it.
	 */
	if (!skb->defragged) {
		ret = nf_conntrack_handle_error(skb, dataoff, l3num, protonum, zone, &related);
		if (ret <= 0)
			goto invalid;
	}
	if (related)
		return NF_ACCEPT;	/* an ICMP error: its connection is attached */
repeat:
	ret = resolve_normal_ct(skb, dataoff, l3num, protonum, zone);
	if (ret == NF_DROP) {
		NF_CT_STAT_INC(drop);
		return NF_DROP;
	}
	if (ret <= 0)
		goto invalid;

	ct = nf_ct_get(skb, &ctinfo);
	ret = nf_conntrack_handle_packet(ct, skb, dataoff, ctinfo);
	if (ret <= 0 || ret == NF_REPEAT) {
		nf_reset_ct(skb);
		/* a SYN reopening a closed connection: the old one is gone, retry */
		if ((ret == -NF_REPEAT || ret == NF_REPEAT) && !tries++)
			goto repeat;
		if (ret == NF_DROP) {
			NF_CT_STAT_INC(drop);
			return NF_DROP;
		}
		goto invalid;
	}
	if (ctinfo == IP_CT_ESTABLISHED_REPLY &&
	    !test_and_set_bit(IPS_SEEN_REPLY_BIT, &ct->status))
		nf_conntrack_event_cache(IPCT_REPLY, ct);
	if (nf_ct_is_confirmed(ct))
		nf_ct_deliver_cached_events(ct);
	return NF_ACCEPT;

invalid:
	NF_CT_STAT_INC(invalid);
	return NF_ACCEPT;
}

unsigned int nf_conntrack_confirm(struct sk_buff *skb)
{
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct = nf_ct_get(skb, &ctinfo);

	if (!ct || nf_ct_is_confirmed(ct))
		return NF_ACCEPT;
	/* only the packet that created it confirms it, in its direction */
	if (CTINFO2DIR(ctinfo) != IP_CT_DIR_ORIGINAL)
		return NF_ACCEPT;
	if (__nf_conntrack_hash_insert(ct)) {
		/* another packet of the same connection won the race */
		nf_reset_ct(skb);
		NF_CT_STAT_INC(drop);
		return NF_DROP;
	}
	nf_conntrack_eventmask_report(1 << IPCT_NEW | ct->ecache, ct, 0, 0);
	ct->ecache = 0;
	return NF_ACCEPT;
}

/* the kernel's gc worker: a periodic scan on the control thread */
#define NF_CT_GC_INTERVAL_MS	1000

static void gc_worker(void *arg)
{
	nf_conntrack_gc(UINT_MAX);
}

int nf_conntrack_start(void)
{
	int err = nl_server_add_timer(NF_CT_GC_INTERVAL_MS, gc_worker, NULL);

	if (err)
		return err;
	return nf_conntrack_ecache_start();
}

int nf_conntrack_init(void)
{
	if (nf_conntrack_hash)
		return 0;
	if (getrandom(&nf_conntrack_hash_seed, sizeof(nf_conntrack_hash_seed), 0) < 0)
		nf_conntrack_hash_seed = (uintptr_t)&nf_conntrack_hash_seed;
	/*
	 * Sized up front like the kernel's table (nf_conntrack_buckets): the
	 * background resize is for growth beyond, and on a busy machine it may
	 * lag behind a flood of new connections.
	 */
	/* and never shrunk below it: a flush must not leave a small table to refill */
	nf_conntrack_hash = rcu_lfht_new(roundup_pow_of_two(nf_ct_net.buckets),
					 roundup_pow_of_two(nf_ct_net.buckets), 1UL << 26,
					 CDS_LFHT_AUTO_RESIZE | CDS_LFHT_ACCOUNTING);
	return nf_conntrack_hash ? 0 : -ENOMEM;
}

static int kill_all(struct nf_conn *ct, void *data)
{
	return 1;
}

void nf_conntrack_cleanup(void)
{
	if (!nf_conntrack_hash)
		return;
	rcu_read_lock();
	nf_ct_iterate(kill_all, NULL, 0, 0);
	rcu_read_unlock();
	rcu_barrier();
	cds_lfht_destroy(nf_conntrack_hash, NULL);
	nf_conntrack_hash = NULL;
}
