// SPDX-License-Identifier: GPL-2.0
/*
 * Flowtables: entries, their timeouts, teardown and garbage collection
 * (include/net/netfilter/nf_flow_table.h explains the lifetime rules).
 *
 * Linux gives each flowtable its own rhashtable; here every flowtable's
 * entries live in one cds_lfht keyed by (flowtable, tuple), as conntrack
 * keeps every zone in one table.  The reason is liburcu: a cds_lfht may
 * not be destroyed from a call_rcu callback, which is where act_ct drops
 * its last flowtable reference (after its parameters' grace period).
 *
 * The gc (nf_flow_table_gc_run_all) runs on the control thread once a
 * second, like the kernel's per-flowtable gc work, and directly from tests
 * and from `ctoffload clock advance`.  It also drives the offload half
 * (nf_flow_table_offload.c): it offers entries that are not in hardware
 * yet, asks for the counters of those that are, and destroys their
 * hardware rules before unlinking them.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/random.h>
#include <linux/rculfhash.h>
#include <xxhash.h>
#include <linux/init.h>
#include <linux/slab.h>
#include <linux/sysctl.h>
#include <net/netlink_server.h>
#include <net/netfilter/nf_flow_table.h>

/* the kernel's defaults: 30 s for both (net.netfilter.nf_flowtable_*_timeout) */
struct nf_flowtable_net nf_ft_net = {
	.tcp_timeout = 30,
	.udp_timeout = 30,
	.enable = 1,
	.offload_queue_max = 65536,
};

static struct cds_lfht *nf_flow_hash;
static u64 nf_flow_hash_seed;

/* guards the list, and serialises everything that unlinks entries */
static pthread_mutex_t flowtable_lock = PTHREAD_MUTEX_INITIALIZER;
static LIST_HEAD(flowtables);

struct flow_lookup_key {
	const struct nf_flowtable *ft;
	const struct flow_offload_tuple *tuple;
};

static unsigned long flow_offload_hash(const struct nf_flowtable *ft,
				       const struct flow_offload_tuple *tuple)
{
	return XXH3_64bits_withSeed(tuple, FLOW_OFFLOAD_TUPLE_KEY_LEN,
				    nf_flow_hash_seed ^ (uintptr_t)ft);
}

static int flow_offload_key_match(struct cds_lfht_node *node, const void *arg)
{
	const struct flow_offload_tuple_rhash *th =
		container_of(node, struct flow_offload_tuple_rhash, node);
	const struct flow_lookup_key *key = arg;

	rcu_tsan_subscribe(node);	/* found inside liburcu's table */
	return !memcmp(&th->tuple, key->tuple, FLOW_OFFLOAD_TUPLE_KEY_LEN) &&
	       flow_offload_from_tuplehash((struct flow_offload_tuple_rhash *)th)->flowtable == key->ft;
}

/* ---- entries ---- */

/* a direction's tuple is the connection's: addresses as packets carry them on the way in */
static void flow_offload_fill_dir(struct flow_offload *flow, enum flow_offload_tuple_dir dir)
{
	const struct nf_conntrack_tuple *ctt = &flow->ct->tuplehash[dir].tuple;
	struct flow_offload_tuple *ft = &flow->tuplehash[dir].tuple;

	ft->dir = dir;
	ft->l3proto = ctt->src.l3num;
	ft->l4proto = ctt->dst.protonum;
	if (ctt->src.l3num == NFPROTO_IPV4) {
		ft->src_v4 = ctt->src.u3.in;
		ft->dst_v4 = ctt->dst.u3.in;
	} else {
		ft->src_v6 = ctt->src.u3.in6;
		ft->dst_v6 = ctt->dst.u3.in6;
	}
	if (ctt->dst.protonum == IPPROTO_TCP || ctt->dst.protonum == IPPROTO_UDP) {
		ft->src_port = ctt->src.u.tcp.port;
		ft->dst_port = ctt->dst.u.tcp.port;
	}
}

struct flow_offload *flow_offload_alloc(struct nf_conn *ct)
{
	struct flow_offload *flow;

	if (unlikely(nf_ct_is_dying(ct)))
		return NULL;
	flow = kzalloc(sizeof(*flow), GFP_ATOMIC);
	if (!flow)
		return NULL;
	/* the packet found it without a reference: it may be on its way out */
	if (!refcount_inc_not_zero(&ct->ct_general.use)) {
		kfree(flow);
		return NULL;
	}
	flow->ct = ct;
	cds_lfht_node_init(&flow->tuplehash[0].node);
	cds_lfht_node_init(&flow->tuplehash[1].node);
	flow_offload_fill_dir(flow, FLOW_OFFLOAD_DIR_ORIGINAL);
	flow_offload_fill_dir(flow, FLOW_OFFLOAD_DIR_REPLY);
	/* READ_ONCE: the connection is live, others set its bits (set_bit) */
	if (READ_ONCE(ct->status) & IPS_SRC_NAT)
		set_bit(NF_FLOW_SNAT, &flow->flags);
	if (READ_ONCE(ct->status) & IPS_DST_NAT)
		set_bit(NF_FLOW_DNAT, &flow->flags);
	return flow;
}

static void flow_offload_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct flow_offload, rcu));
}

void flow_offload_free(struct flow_offload *flow)
{
	/* the connection's memory itself waits for a grace period */
	nf_ct_put(flow->ct);
	call_rcu(&flow->rcu, flow_offload_free_rcu);
}

u64 flow_offload_get_timeout_ms(const struct flow_offload *flow)
{
	unsigned int s = nf_ct_protonum(flow->ct) == IPPROTO_TCP ?
			 READ_ONCE(nf_ft_net.tcp_timeout) : READ_ONCE(nf_ft_net.udp_timeout);

	return (u64)s * 1000;
}

int flow_offload_add(struct nf_flowtable *ft, struct flow_offload *flow)
{
	struct flow_offload_tuple_rhash *oh = &flow->tuplehash[FLOW_OFFLOAD_DIR_ORIGINAL];
	struct flow_offload_tuple_rhash *rh = &flow->tuplehash[FLOW_OFFLOAD_DIR_REPLY];
	struct flow_lookup_key key = { .ft = ft };
	struct cds_lfht_node *node;

	flow->flowtable = ft;
	flow->timeout = jiffies_ms() + flow_offload_get_timeout_ms(flow);
	/*
	 * Before it is visible: the gc must never see an entry it may free
	 * at once while its add is about to be queued.  Nobody listening
	 * means nothing to offer (a callback registered later gets it from
	 * the gc).
	 */
	if (nf_flowtable_hw_offload(ft) && nf_flowtable_has_cb(ft))
		set_bit(NF_FLOW_HW, &flow->flags);
	else
		nf_ct_set_offload_reason(flow->ct, NF_CT_OFFLOAD_NO_DRIVER);

	rcu_tsan_publish(&oh->node);
	rcu_tsan_publish(&rh->node);
	rcu_read_lock();
	key.tuple = &oh->tuple;
	node = cds_lfht_add_unique(nf_flow_hash, flow_offload_hash(ft, &oh->tuple),
				   flow_offload_key_match, &key, &oh->node);
	if (node != &oh->node)
		goto clash;
	key.tuple = &rh->tuple;
	node = cds_lfht_add_unique(nf_flow_hash, flow_offload_hash(ft, &rh->tuple),
				   flow_offload_key_match, &key, &rh->node);
	if (node != &rh->node) {
		cds_lfht_del(nf_flow_hash, &oh->node);
		goto clash;
	}
	rcu_read_unlock();

	__atomic_add_fetch(&ft->count, 1, __ATOMIC_RELAXED);
	NF_FLOW_TABLE_STAT_INC(ft, added);
	nf_ct_offload_timeout(flow->ct);
	if (test_bit(NF_FLOW_HW, &flow->flags))
		nf_flow_offload_add(ft, flow);
	return 0;

clash:
	/* readers may have seen the original node: the caller frees after a grace period */
	rcu_read_unlock();
	return -EEXIST;
}

void flow_offload_refresh(struct nf_flowtable *ft, struct flow_offload *flow, bool force)
{
	u64 timeout = jiffies_ms() + flow_offload_get_timeout_ms(flow);

	/* a second's precision is enough, and keeps the line clean under load */
	if (!force && timeout - READ_ONCE(flow->timeout) <= 1000)
		return;
	WRITE_ONCE(flow->timeout, timeout);
	/*
	 * Linux offers a refreshed entry to the drivers again here; the gc
	 * does that for us (nf_flow_offload_gc_step), off the packet's path,
	 * but for a forced refresh: the entry's rules changed (a one-way UDP
	 * connection saw its reply, or the reply direction joined), and the
	 * hardware must learn it now, from the offload worker.
	 */
	if (force && test_bit(NF_FLOW_HW, &flow->flags) &&
	    !test_bit(NF_FLOW_TEARDOWN, &flow->flags))
		nf_flow_offload_add(ft, flow);
}

/*
 * Back to conntrack: the TCP windows are learnt again from the next
 * packets (the flowtable did not track them), and the timeout is what
 * the state allows minus what the flowtable already waited, as Linux
 * does; UDP counts as a replied stream even if no reply was seen.
 */
static void flow_offload_fixup_ct(struct nf_conn *ct)
{
	s64 timeout;

	switch (nf_ct_protonum(ct)) {
	case IPPROTO_TCP:
		ct->proto.tcp.seen[0].td_maxwin = 0;
		ct->proto.tcp.seen[1].td_maxwin = 0;
		timeout = (s64)nf_ct_net.tcp_timeouts[READ_ONCE(ct->proto.tcp.state)] -
			  READ_ONCE(nf_ft_net.tcp_timeout);
		break;
	case IPPROTO_UDP:
		timeout = (s64)nf_ct_net.udp_timeout_stream - READ_ONCE(nf_ft_net.udp_timeout);
		break;
	default:
		return;
	}
	if (timeout < 0)
		timeout = 0;
	if (nf_ct_expires(ct) > (u64)timeout * 1000)
		WRITE_ONCE(ct->timeout, jiffies_ms() + timeout * 1000);
}

void flow_offload_teardown(struct flow_offload *flow)
{
	clear_bit(IPS_OFFLOAD_BIT, &flow->ct->status);
	if (!test_and_set_bit(NF_FLOW_TEARDOWN, &flow->flags))
		NF_FLOW_TABLE_STAT_INC(flow->flowtable, teardown);
	flow_offload_fixup_ct(flow->ct);
}

struct flow_offload_tuple_rhash *flow_offload_lookup(struct nf_flowtable *ft,
						     const struct flow_offload_tuple *tuple)
{
	struct flow_lookup_key key = { .ft = ft, .tuple = tuple };
	struct flow_offload_tuple_rhash *th;
	struct cds_lfht_node *node;
	struct cds_lfht_iter iter;
	struct flow_offload *flow;

	cds_lfht_lookup(nf_flow_hash, flow_offload_hash(ft, tuple), flow_offload_key_match,
			&key, &iter);
	node = cds_lfht_iter_get_node(&iter);
	if (!node)
		return NULL;
	th = container_of(node, struct flow_offload_tuple_rhash, node);
	flow = flow_offload_from_tuplehash(th);
	if (test_bit(NF_FLOW_TEARDOWN, &flow->flags) || unlikely(nf_ct_is_dying(flow->ct)))
		return NULL;
	return th;
}

/* unlink (flowtable_lock held): whoever removes the original node frees it */
static void flow_offload_del(struct flow_offload *flow)
{
	struct nf_flowtable *ft = flow->flowtable;

	if (cds_lfht_del(nf_flow_hash, &flow->tuplehash[FLOW_OFFLOAD_DIR_ORIGINAL].node))
		return;
	cds_lfht_del(nf_flow_hash, &flow->tuplehash[FLOW_OFFLOAD_DIR_REPLY].node);
	__atomic_sub_fetch(&ft->count, 1, __ATOMIC_RELAXED);
	NF_FLOW_TABLE_STAT_INC(ft, gc_removed);
	flow_offload_free(flow);
}

/* ---- garbage collection ---- */

static bool nf_flow_has_expired(const struct flow_offload *flow)
{
	return (s64)(READ_ONCE(flow->timeout) - jiffies_ms()) <= 0;
}

/*
 * Offer a live entry to the drivers if it is not in hardware: it came in
 * before any callback was registered, its add found the backlog full, or
 * every driver refused it (a driver's table may have room again).
 */
static void nf_flow_offload_retry(struct nf_flowtable *ft, struct flow_offload *flow)
{
	if (!test_bit(NF_FLOW_HW, &flow->flags)) {
		if (!nf_flowtable_hw_offload(ft) || !nf_flowtable_has_cb(ft))
			return;
		set_bit(NF_FLOW_HW, &flow->flags);
	} else if (!nf_flowtable_has_cb(ft)) {
		return;
	}
	if (test_bit(NF_FLOW_HW_PENDING, &flow->flags))
		return;
	NF_FLOW_TABLE_STAT_INC(ft, hw_retry);
	nf_flow_offload_add(ft, flow);
}

/*
 * A torn-down NF_FLOW_HW entry stays linked until its hardware rules are
 * destroyed: the destroy is queued on one pass (HW_DYING) and the entry
 * unlinked on a pass after it ran (HW_DEAD), as Linux's gc does.  If the
 * destroy could not be queued (a request in flight, a full backlog), the
 * next pass tries again.
 */
static void nf_flow_offload_gc_step(struct flow_offload *flow)
{
	struct nf_flowtable *ft = flow->flowtable;

	if (nf_flow_has_expired(flow) && !test_bit(NF_FLOW_TEARDOWN, &flow->flags))
		nf_ct_set_offload_reason(flow->ct, NF_CT_OFFLOAD_EXPIRED);
	if (nf_flow_has_expired(flow) || nf_ct_is_dying(flow->ct))
		flow_offload_teardown(flow);

	if (test_bit(NF_FLOW_TEARDOWN, &flow->flags)) {
		if (!test_bit(NF_FLOW_HW, &flow->flags))
			flow_offload_del(flow);
		else if (!test_bit(NF_FLOW_HW_DYING, &flow->flags))
			nf_flow_offload_del(ft, flow);
		else if (test_bit(NF_FLOW_HW_DEAD, &flow->flags))
			flow_offload_del(flow);
	} else if (test_bit(NF_FLOW_HW, &flow->flags) &&
		   test_bit(IPS_HW_OFFLOAD_BIT, &flow->ct->status)) {
		nf_flow_offload_stats(ft, flow);
	} else {
		nf_flow_offload_retry(ft, flow);
	}
}

/* every entry of ft, or of all flowtables (ft NULL); flowtable_lock held */
static void nf_flow_table_iterate(struct nf_flowtable *ft, void (*iter)(struct flow_offload *flow))
{
	struct cds_lfht_iter it;
	struct cds_lfht_node *node;

	rcu_read_lock();
	/* by node: the _entry form computes container_of(NULL) at the end */
	cds_lfht_for_each(nf_flow_hash, &it, node) {
		struct flow_offload_tuple_rhash *th =
			container_of(node, struct flow_offload_tuple_rhash, node);
		struct flow_offload *flow;

		rcu_tsan_subscribe(node);
		/* each entry once: through its original tuple */
		if (th->tuple.dir != FLOW_OFFLOAD_DIR_ORIGINAL)
			continue;
		flow = flow_offload_from_tuplehash(th);
		if (!ft || flow->flowtable == ft)
			iter(flow);
	}
	rcu_read_unlock();
}

void nf_flow_table_gc_run(struct nf_flowtable *ft)
{
	pthread_mutex_lock(&flowtable_lock);
	nf_flow_table_iterate(ft, nf_flow_offload_gc_step);
	pthread_mutex_unlock(&flowtable_lock);
}

void nf_flow_table_gc_run_all(void)
{
	if (!nf_flow_hash)
		return;
	pthread_mutex_lock(&flowtable_lock);
	if (!list_empty(&flowtables))
		nf_flow_table_iterate(NULL, nf_flow_offload_gc_step);
	pthread_mutex_unlock(&flowtable_lock);
}

/* ---- tables ---- */

int nf_flow_table_init(struct nf_flowtable *ft)
{
	int err = nf_flow_table_module_init();

	if (err)
		return err;
	ft->count = 0;
	memset(ft->stats, 0, sizeof(ft->stats));
	flow_block_init(&ft->flow_block);
	pthread_rwlock_init(&ft->flow_block_lock, NULL);
	ft->flow_block_cbs = 0;
	pthread_mutex_lock(&flowtable_lock);
	list_add(&ft->list, &flowtables);
	pthread_mutex_unlock(&flowtable_lock);
	return 0;
}

/*
 * Every entry torn down, and each unlinked once its hardware rules are
 * gone: the loop ends because nothing adds to ft any more and every pass
 * drains the requests it queued.  The callbacks stay: the owner removes
 * what drivers left registered (act_ct does).
 */
void nf_flow_table_free(struct nf_flowtable *ft)
{
	pthread_mutex_lock(&flowtable_lock);
	list_del(&ft->list);
	pthread_mutex_unlock(&flowtable_lock);
	nf_flow_table_offload_flush(ft);
	pthread_mutex_lock(&flowtable_lock);
	nf_flow_table_iterate(ft, flow_offload_teardown);
	pthread_mutex_unlock(&flowtable_lock);
	for (;;) {
		nf_flow_table_gc_run(ft);
		if (!nf_flow_table_count(ft))
			break;
		nf_flow_table_offload_flush(ft);
	}
}

unsigned int nf_flow_table_count(const struct nf_flowtable *ft)
{
	return __atomic_load_n(&ft->count, __ATOMIC_RELAXED);
}

static void nf_flow_table_stats_add(const struct nf_flowtable *ft, struct nf_flow_table_stat *sum)
{
	const u64 *src;
	u64 *dst = (u64 *)sum;
	unsigned int i;
	int cpu;

	for_each_possible_cpu(cpu) {
		src = (const u64 *)&ft->stats[cpu];
		for (i = 0; i < sizeof(*sum) / sizeof(u64); i++)
			dst[i] += READ_ONCE(src[i]);
	}
}

void nf_flow_table_stats(const struct nf_flowtable *ft, struct nf_flow_table_stat *sum)
{
	memset(sum, 0, sizeof(*sum));
	nf_flow_table_stats_add(ft, sum);
}

/*
 * Counters of flowtables that are gone are kept here, so the totals the
 * sysctls show never go backwards when a zone's last ct action leaves.
 */
static struct nf_flow_table_stat nf_flow_stats_retired;

void nf_flow_table_stats_all(struct nf_flow_table_stat *sum)
{
	struct nf_flowtable *ft;

	pthread_mutex_lock(&flowtable_lock);
	*sum = nf_flow_stats_retired;
	list_for_each_entry(ft, &flowtables, list)
		nf_flow_table_stats_add(ft, sum);
	pthread_mutex_unlock(&flowtable_lock);
}

void nf_flow_table_retire_stats(const struct nf_flowtable *ft)
{
	pthread_mutex_lock(&flowtable_lock);
	nf_flow_table_stats_add(ft, &nf_flow_stats_retired);
	pthread_mutex_unlock(&flowtable_lock);
}

/* ---- the periodic gc and the module ---- */

#define NF_FLOW_GC_INTERVAL_MS	1000	/* the kernel's HZ */

static void nf_flow_gc_worker(void *arg)
{
	nf_flow_table_gc_run_all();
}

int nf_flow_table_start(void)
{
	return nl_server_add_timer(NF_FLOW_GC_INTERVAL_MS, nf_flow_gc_worker, NULL);
}

int nf_flow_table_module_init(void)
{
	struct cds_lfht *ht;

	if (__atomic_load_n(&nf_flow_hash, __ATOMIC_ACQUIRE))
		return 0;
	if (nf_flow_table_offload_init())
		return -ENOMEM;
	pthread_mutex_lock(&flowtable_lock);
	if (!nf_flow_hash) {
		if (getrandom(&nf_flow_hash_seed, sizeof(nf_flow_hash_seed), 0) < 0)
			nf_flow_hash_seed = (uintptr_t)&nf_flow_hash_seed;
		/*
		 * sized like conntrack's table: every assured connection may
		 * enter, and a background resize lags behind a flood of them
		 */
		ht = rcu_lfht_new(roundup_pow_of_two(nf_ct_net.buckets),
				  roundup_pow_of_two(nf_ct_net.buckets), 1UL << 26,
				  CDS_LFHT_AUTO_RESIZE | CDS_LFHT_ACCOUNTING);
		__atomic_store_n(&nf_flow_hash, ht, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&flowtable_lock);
	return nf_flow_hash ? 0 : -ENOMEM;
}

/* every flowtable must be freed before */
void nf_flow_table_module_exit(void)
{
	if (!nf_flow_hash)
		return;
	nf_flow_table_offload_exit();
	rcu_barrier();
	cds_lfht_destroy(nf_flow_hash, NULL);
	nf_flow_hash = NULL;
}

/* ---- sysctls: net.netfilter.nf_flowtable_* ---- */

static int proc_nf_flowtable_stat(const struct ctl_table *table, int write, char *buf,
				  size_t size)
{
	struct nf_flow_table_stat sum;
	size_t off = (size_t)table->extra1;

	if (write)
		return -EPERM;
	nf_flow_table_stats_all(&sum);
	snprintf(buf, size, "%llu", (unsigned long long)*(u64 *)((char *)&sum + off));
	return 0;
}

static const int zero, one = 1;

#define NF_FT_STAT(name, field)						\
	{ .procname = "nf_flowtable_" name, .mode = 0444,		\
	  .proc_handler = proc_nf_flowtable_stat,			\
	  .extra1 = (const void *)offsetof(struct nf_flow_table_stat, field) }

static struct ctl_table nf_flow_sysctl_table[] = {
	{ .procname = "nf_flowtable_tcp_timeout", .data = &nf_ft_net.tcp_timeout,
	  .maxlen = sizeof(unsigned int), .mode = 0644, .proc_handler = proc_douintvec },
	{ .procname = "nf_flowtable_udp_timeout", .data = &nf_ft_net.udp_timeout,
	  .maxlen = sizeof(unsigned int), .mode = 0644, .proc_handler = proc_douintvec },
	/* ours, not Linux's: 0 keeps act_ct off the fast path (benchmarks, tests) */
	{ .procname = "nf_flowtable_enable", .data = &nf_ft_net.enable,
	  .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec_minmax,
	  .extra1 = &zero, .extra2 = &one },
	/* ours: what proves the fast path works, summed over every flowtable */
	NF_FT_STAT("hits", hit),
	NF_FT_STAT("misses", miss),
	NF_FT_STAT("added", added),
	NF_FT_STAT("teardowns", teardown),
	NF_FT_STAT("gc_removed", gc_removed),
	/* ours: the offload half (nf_flow_table_offload.c) */
	{ .procname = "nf_flowtable_offload_queue_max", .data = &nf_ft_net.offload_queue_max,
	  .maxlen = sizeof(unsigned int), .mode = 0644, .proc_handler = proc_douintvec },
	NF_FT_STAT("hw_added", hw_add),
	NF_FT_STAT("hw_refused", hw_refused),
	NF_FT_STAT("hw_retries", hw_retry),
	NF_FT_STAT("hw_destroyed", hw_del),
	NF_FT_STAT("hw_stats", hw_stats),
	NF_FT_STAT("hw_queue_full", hw_queue_full),
	{ }
};

static void nf_flow_table_sysctl_init(void)
{
	register_net_sysctl("net/netfilter", nf_flow_sysctl_table);
}
module_init(nf_flow_table_sysctl_init);
