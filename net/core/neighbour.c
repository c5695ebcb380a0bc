// SPDX-License-Identifier: GPL-2.0
/*
 * Generic neighbour tables (net/core/neighbour.c): entries, their NUD
 * state machine, the queue of packets waiting for resolution, and the
 * NETEVENT_NEIGH_UPDATE announcements drivers re-program encap rules on.
 * The protocols (net/ipv4/arp.c, net/ipv6/ndisc.c) provide the solicit
 * and feed replies in through neigh_update(); `ip neigh` is in
 * neigh_netlink.c.
 *
 * There is no timer thread: the timers the kernel arms (retransmit,
 * reachable, delay-probe) are judged when the entry is next used, which
 * is when their outcome matters.
 */
#include <errno.h>
#include <sys/socket.h>
#include <linux/if_ether.h>
#include <linux/jiffies.h>
#include <linux/netdev.h>
#include <linux/slab.h>
#include <net/neighbour.h>
#include <net/netevent.h>

struct neigh_table *neigh_find_table(int family)
{
	switch (family) {
	case AF_INET:
		return &arp_tbl;
	case AF_INET6:
		return &nd_tbl;
	default:
		return NULL;
	}
}

static bool neigh_key_eq(const struct neighbour *n, const void *pkey,
			 const struct net_device *dev)
{
	return n->dev == dev && !memcmp(n->primary_key, pkey, n->tbl->key_len);
}

static struct neighbour *__neigh_lookup_rcu(struct neigh_table *tbl, const void *pkey,
					    const struct net_device *dev)
{
	struct neighbour *n;

	list_for_each_entry_rcu(n, &tbl->entries, list)
		if (neigh_key_eq(n, pkey, dev))
			return n;
	return NULL;
}

struct neighbour *neigh_lookup(struct neigh_table *tbl, const void *pkey,
			       const struct net_device *dev)
{
	struct neighbour *n;

	rcu_read_lock();
	n = __neigh_lookup_rcu(tbl, pkey, dev);
	if (n && !refcount_inc_not_zero(&n->refcnt))
		n = NULL;
	rcu_read_unlock();
	return n;
}

static void __neigh_remove(struct neighbour *n);

/*
 * The table is full (gc_thresh3): drop what only the table holds and
 * nobody updated lately, down to half (gc_thresh2), as neigh_forced_gc()
 * does, so that addresses a sender on the wire makes up (ARP requests,
 * NS to us) cannot keep real neighbours out for good (tbl->lock).
 */
static void neigh_forced_gc(struct neigh_table *tbl)
{
	u64 now = jiffies_ms();
	struct neighbour *n, *tmp;

	list_for_each_entry_safe(n, tmp, &tbl->entries, list) {
		bool remove;

		if (tbl->entries_count <= NEIGH_TABLE_MAX / 2)
			break;
		if (refcount_read(&n->refcnt) != 1)
			continue;
		spin_lock(&n->lock);
		remove = !(n->nud_state & (NUD_PERMANENT | NUD_NOARP)) &&
			 (n->nud_state == NUD_FAILED || now - n->updated >= NEIGH_GC_MIN_AGE_MS);
		spin_unlock(&n->lock);
		if (remove)
			__neigh_remove(n);
	}
}

struct neighbour *neigh_lookup_create(struct neigh_table *tbl, const void *pkey,
				      struct net_device *dev)
{
	struct neighbour *n = neigh_lookup(tbl, pkey, dev);

	if (n)
		return n;
	pthread_mutex_lock(&tbl->lock);
	/* another thread may have created it meanwhile */
	n = __neigh_lookup_rcu(tbl, pkey, dev);
	if (n) {
		neigh_hold(n);
		goto out;
	}
	if (tbl->entries_count >= NEIGH_TABLE_MAX)
		neigh_forced_gc(tbl);
	if (tbl->entries_count >= NEIGH_TABLE_MAX)
		goto out;
	n = kzalloc(sizeof(*n), GFP_ATOMIC);
	if (!n)
		goto out;
	n->tbl = tbl;
	n->dev = dev;
	spin_lock_init(&n->lock);
	n->nud_state = NUD_NONE;
	n->updated = n->used = jiffies_ms();
	memcpy(n->primary_key, pkey, tbl->key_len);
	refcount_set(&n->refcnt, 2);	/* the table's and the caller's */
	list_add_tail_rcu(&n->list, &tbl->entries);
	tbl->entries_count++;
out:
	pthread_mutex_unlock(&tbl->lock);
	return n;
}

/* free the queued copies; each counts as a drop for reason */
static void neigh_queue_purge(struct neighbour *n, enum skb_drop_reason reason)
{
	unsigned int i;

	for (i = 0; i < n->queue_len; i++) {
		kfree(n->queue[i]);
		skb_drop_count_add(reason);
	}
	n->queue_len = 0;
}

static void neigh_free_rcu(struct rcu_head *head)
{
	struct neighbour *n = container_of(head, struct neighbour, rcu);

	neigh_queue_purge(n, SKB_DROP_REASON_NEIGH_FAILED);
	kfree(n);
}

void neigh_release(struct neighbour *n)
{
	if (n && refcount_dec_and_test(&n->refcnt))
		call_rcu(&n->rcu, neigh_free_rcu);
}

/* unlink under tbl->lock; drops the table's reference */
static void __neigh_remove(struct neighbour *n)
{
	list_del_rcu(&n->list);
	n->tbl->entries_count--;
	WRITE_ONCE(n->dead, 1);
	neigh_release(n);
}

void neigh_remove(struct neighbour *n)
{
	struct neigh_table *tbl = n->tbl;

	pthread_mutex_lock(&tbl->lock);
	if (!n->dead)
		__neigh_remove(n);
	pthread_mutex_unlock(&tbl->lock);
}

void neigh_ifdown(struct neigh_table *tbl, struct net_device *dev)
{
	struct neighbour *n, *tmp;

	pthread_mutex_lock(&tbl->lock);
	list_for_each_entry_safe(n, tmp, &tbl->entries, list)
		if (!dev || n->dev == dev)
			__neigh_remove(n);
	pthread_mutex_unlock(&tbl->lock);
}

void neigh_ha_snapshot(unsigned char *dst, struct neighbour *n)
{
	spin_lock(&n->lock);
	memcpy(dst, n->ha, ETH_ALEN);
	spin_unlock(&n->lock);
}

/* REACHABLE without confirmation for NEIGH_REACHABLE_MS is STALE (n->lock) */
static void neigh_age(struct neighbour *n, u64 now)
{
	if (n->nud_state == NUD_REACHABLE && now - n->confirmed >= NEIGH_REACHABLE_MS) {
		n->nud_state = NUD_STALE;
		n->updated = now;
	}
}

u8 neigh_state_now(struct neighbour *n)
{
	u8 state;

	spin_lock(&n->lock);
	neigh_age(n, jiffies_ms());
	state = n->nud_state;
	spin_unlock(&n->lock);
	return state;
}

static void neigh_notify_change(struct neighbour *n)
{
	call_netevent_notifiers(NETEVENT_NEIGH_UPDATE, n);
}

int neigh_xmit_ha(struct net_device *dev, const unsigned char *ha, struct sk_buff *skb)
{
	unsigned char *eth;

	if (unlikely(skb_headroom(skb) < ETH_HLEN)) {
		kfree_skb_reason(skb, SKB_DROP_REASON_NOMEM);
		return -ENOBUFS;
	}
	eth = skb_push(skb, ETH_HLEN);
	memcpy(eth, ha, ETH_ALEN);
	memcpy(eth + ETH_ALEN, dev->dev_addr, ETH_ALEN);
	memcpy(eth + 2 * ETH_ALEN, &skb->protocol, 2);
	skb_reset_mac_header(skb);
	skb->dev = dev;
	return dev_queue_xmit(skb);
}

/* send the packets queued while n was unresolved; a datapath thread */
static void neigh_queue_send(struct neighbour *n, struct neigh_queued **q, unsigned int len,
			     const unsigned char *ha)
{
	unsigned int i;

	for (i = 0; i < len; i++) {
		struct sk_buff *skb = alloc_skb(skb_local_pool);

		if (!skb) {
			skb_drop_count_add(SKB_DROP_REASON_NOMEM);
			kfree(q[i]);
			continue;
		}
		memcpy(skb->data, q[i]->data, q[i]->len);
		skb->len = q[i]->len;
		skb->protocol = q[i]->protocol;
		skb->network_header = skb->data - skb->head;
		kfree(q[i]);
		neigh_xmit_ha(n->dev, ha, skb);
	}
}

/* take the queue out of n (n->lock) when this thread can send it */
static unsigned int neigh_queue_take(struct neighbour *n, struct neigh_queued **q)
{
	unsigned int len = n->queue_len;

	if (!len || !skb_local_pool)
		return 0;
	memcpy(q, n->queue, len * sizeof(*q));
	n->queue_len = 0;
	return len;
}

int neigh_update(struct neighbour *n, const u8 *lladdr, u8 new_state, u32 flags)
{
	struct neigh_queued *q[NEIGH_QUEUE_MAX];
	bool was_valid, changed_addr = false, notify;
	unsigned char ha[ETH_ALEN];
	unsigned int qlen = 0;
	u64 now = jiffies_ms();

	spin_lock(&n->lock);
	/* what the administrator fixed, the protocols do not change */
	if (!(flags & NEIGH_UPDATE_F_ADMIN) && (n->nud_state & (NUD_NOARP | NUD_PERMANENT))) {
		spin_unlock(&n->lock);
		return -EPERM;
	}
	was_valid = n->nud_state & NUD_VALID;
	if (lladdr) {
		changed_addr = !was_valid || memcmp(n->ha, lladdr, ETH_ALEN);
		/* a different address needs the override flag (neigh_update's rule) */
		if (was_valid && changed_addr && !(flags & NEIGH_UPDATE_F_OVERRIDE)) {
			spin_unlock(&n->lock);
			return 0;
		}
	} else if ((new_state & NUD_VALID) && !was_valid) {
		spin_unlock(&n->lock);
		return -EINVAL;
	}
	if (changed_addr && (new_state & NUD_VALID))
		memcpy(n->ha, lladdr, ETH_ALEN);
	if (new_state & NUD_CONNECTED)
		n->confirmed = now;
	if (n->nud_state != new_state || changed_addr)
		n->updated = now;
	n->nud_state = new_state;
	if (new_state & NUD_VALID) {
		n->probes = 0;
		memcpy(ha, n->ha, ETH_ALEN);
		qlen = neigh_queue_take(n, q);
	} else if (new_state == NUD_FAILED) {
		neigh_queue_purge(n, SKB_DROP_REASON_NEIGH_FAILED);
	}
	notify = was_valid != !!(new_state & NUD_VALID) ||
		 (changed_addr && (new_state & NUD_VALID));
	spin_unlock(&n->lock);
	neigh_queue_send(n, q, qlen, ha);
	if (notify)
		neigh_notify_change(n);
	return 0;
}

/* keep a copy of skb in n's queue (n->lock); consumes skb */
static void neigh_enqueue(struct neighbour *n, struct sk_buff *skb)
{
	struct neigh_queued *qe = kmalloc(sizeof(*qe) + skb->len, GFP_ATOMIC);

	if (!qe) {
		kfree_skb_reason(skb, SKB_DROP_REASON_NOMEM);
		return;
	}
	qe->protocol = skb->protocol;
	qe->len = skb->len;
	memcpy(qe->data, skb->data, skb->len);
	if (n->queue_len == NEIGH_QUEUE_MAX) {
		/* the oldest makes room, as __neigh_event_send does */
		kfree(n->queue[0]);
		memmove(n->queue, n->queue + 1, (NEIGH_QUEUE_MAX - 1) * sizeof(n->queue[0]));
		n->queue_len--;
		n->queue[n->queue_len++] = qe;
		/* one packet fewer leaves: this buffer stands for the one dropped */
		kfree_skb_reason(skb, SKB_DROP_REASON_NEIGH_QUEUEFULL);
		return;
	}
	n->queue[n->queue_len++] = qe;
	consume_skb(skb);
}

enum neigh_verdict {
	NEIGH_SEND,		/* valid: send now */
	NEIGH_QUEUE,		/* queue it */
	NEIGH_DROP,		/* failed */
};

/*
 * The timers, judged at output (n->lock held).  *solicit says whether a
 * solicit goes out (to the broadcast/multicast address, or unicast to ha
 * for a PROBE).
 */
static enum neigh_verdict neigh_output_state(struct neighbour *n, u64 now, bool *solicit)
{
	neigh_age(n, now);
	switch (n->nud_state) {
	case NUD_NONE:
		break;
	case NUD_FAILED:
		if (now - n->updated < NEIGH_RETRANS_MS)
			return NEIGH_DROP;
		break;
	case NUD_INCOMPLETE:
		if (now - n->probed < NEIGH_RETRANS_MS)
			return NEIGH_QUEUE;
		if (n->probes >= NEIGH_MAX_PROBES) {
			n->nud_state = NUD_FAILED;
			n->updated = now;
			neigh_queue_purge(n, SKB_DROP_REASON_NEIGH_FAILED);
			return NEIGH_DROP;
		}
		goto probe;
	case NUD_STALE:
		n->nud_state = NUD_DELAY;
		n->updated = now;
		return NEIGH_SEND;
	case NUD_DELAY:
		if (now - n->updated >= NEIGH_DELAY_PROBE_MS) {
			n->nud_state = NUD_PROBE;
			n->updated = now;
			n->probes = 0;
			goto probe;
		}
		return NEIGH_SEND;
	case NUD_PROBE:
		/* the address is still used while it is being checked */
		if (now - n->probed >= NEIGH_RETRANS_MS && n->probes < NEIGH_MAX_PROBES)
			goto probe;
		return NEIGH_SEND;
	default:
		return NEIGH_SEND;
	}
	/* NONE, or FAILED long enough ago: start resolving */
	n->nud_state = NUD_INCOMPLETE;
	n->updated = now;
	n->probes = 0;
probe:
	n->probes++;
	n->probed = now;
	*solicit = true;
	return n->nud_state & NUD_VALID ? NEIGH_SEND : NEIGH_QUEUE;
}

int neigh_output(struct neighbour *n, struct sk_buff *skb)
{
	struct neigh_queued *q[NEIGH_QUEUE_MAX];
	enum neigh_verdict verdict;
	unsigned char ha[ETH_ALEN];
	bool solicit = false;
	unsigned int qlen = 0;
	u64 now = jiffies_ms();

	spin_lock(&n->lock);
	n->used = now;
	verdict = neigh_output_state(n, now, &solicit);
	if (verdict == NEIGH_SEND) {
		memcpy(ha, n->ha, ETH_ALEN);
		/* made valid by the control plane: the queue goes first */
		qlen = neigh_queue_take(n, q);
	} else if (verdict == NEIGH_QUEUE) {
		neigh_enqueue(n, skb);
	}
	spin_unlock(&n->lock);

	if (solicit)
		n->tbl->solicit(n);
	switch (verdict) {
	case NEIGH_SEND:
		neigh_queue_send(n, q, qlen, ha);
		return neigh_xmit_ha(n->dev, ha, skb);
	case NEIGH_DROP:
		kfree_skb_reason(skb, SKB_DROP_REASON_NEIGH_FAILED);
		return -EHOSTUNREACH;
	default:
		return 0;
	}
}
