// SPDX-License-Identifier: GPL-2.0
/*
 * Packet buffers: one pool per datapath thread, allocated once. A free
 * stack gives O(1) alloc/free without locks because a pool is only ever
 * used by the thread that owns it.
 */
#include <linux/slab.h>
#include <linux/skbuff.h>
#include <net/dst_metadata.h>
#include <net/flow_dissector.h>
#include <net/netfilter/nf_conntrack.h>

__thread struct skb_pool *skb_local_pool;

int skb_pool_init(struct skb_pool *pool, unsigned int n)
{
	unsigned int i;

	memset(pool, 0, sizeof(*pool));
	pool->skbs = kcalloc(n, sizeof(*pool->skbs), GFP_KERNEL);
	pool->free = kcalloc(n, sizeof(*pool->free), GFP_KERNEL);
	pool->keys = kcalloc(n, sizeof(*pool->keys), GFP_KERNEL);
	pool->mem = kmalloc((size_t)n * SKB_BUF_SIZE, GFP_KERNEL);
	if (!pool->skbs || !pool->free || !pool->keys || !pool->mem) {
		skb_pool_destroy(pool);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		pool->skbs[i].pool = pool;
		pool->skbs[i].head = pool->mem + (size_t)i * SKB_BUF_SIZE;
		pool->skbs[i].flow_key = &pool->keys[i];
		pool->free[i] = &pool->skbs[i];
	}
	pool->nfree = pool->size = n;
	return 0;
}

void skb_pool_destroy(struct skb_pool *pool)
{
	kfree(pool->skbs);
	kfree(pool->free);
	kfree(pool->keys);
	kfree(pool->mem);
	memset(pool, 0, sizeof(*pool));
}

/* take back what other threads freed (kfree_skb) */
static void skb_pool_reclaim(struct skb_pool *pool)
{
	struct sk_buff *skb = __atomic_exchange_n(&pool->remote_free, NULL, __ATOMIC_ACQUIRE);

	while (skb) {
		struct sk_buff *next = skb->next;

		pool->free[pool->nfree++] = skb;
		skb = next;
	}
}

struct sk_buff *alloc_skb(struct skb_pool *pool)
{
	struct fl_flow_key *key;
	struct sk_buff *skb;
	unsigned char *head;

	if (unlikely(!pool->nfree)) {
		skb_pool_reclaim(pool);
		if (!pool->nfree) {
			pool->alloc_fail++;
			return NULL;
		}
	}
	skb = pool->free[--pool->nfree];
	head = skb->head;
	key = skb->flow_key;
	memset(skb, 0, sizeof(*skb));
	skb->pool = pool;
	skb->head = head;
	skb->flow_key = key;
	skb->data = head + SKB_HEADROOM;
	return skb;
}

void kfree_skb(struct sk_buff *skb)
{
	while (skb) {
		struct sk_buff *next = skb->frag_next;
		struct skb_pool *pool = skb->pool;

		if (skb->_nfct)
			nf_reset_ct(skb);
		skb_dst_drop(skb);
		if (likely(pool == skb_local_pool)) {
			pool->free[pool->nfree++] = skb;
		} else {
			/*
			 * Another thread's buffer (a neighbour's queue let go
			 * here, the control thread flushing it): its owner
			 * takes it back when its stack runs dry.
			 */
			skb->next = __atomic_load_n(&pool->remote_free, __ATOMIC_RELAXED);
			while (!__atomic_compare_exchange_n(&pool->remote_free, &skb->next, skb,
							    true, __ATOMIC_RELEASE,
							    __ATOMIC_RELAXED))
				;
		}
		skb = next;
	}
}

static struct sk_buff *__skb_copy(const struct sk_buff *skb);

/* a copy of a reassembled datagram copies every fragment */
struct sk_buff *skb_copy(const struct sk_buff *skb)
{
	struct sk_buff *head = __skb_copy(skb), *prev = head;

	for (skb = skb->frag_next; head && skb; skb = skb->frag_next) {
		prev->frag_next = __skb_copy(skb);
		if (!prev->frag_next) {
			kfree_skb(head);
			return NULL;
		}
		prev = prev->frag_next;
	}
	return head;
}

static struct sk_buff *__skb_copy(const struct sk_buff *skb)
{
	/* from this thread's pool: skb may be another thread's */
	struct sk_buff *n = alloc_skb(skb_local_pool ? skb_local_pool : skb->pool);
	struct fl_flow_key *key;
	unsigned char *head;

	if (!n)
		return NULL;
	head = n->head;
	key = n->flow_key;
	memcpy(head + skb_headroom(skb), skb->data, skb->len);
	*n = *skb;
	n->head = head;
	n->data = head + skb_headroom(skb);
	n->flow_key = key;
	nf_ct_copy(n, skb);
	dst_clone(n->tun_dst);
	if (skb->flow_key_valid)
		memcpy(key, skb->flow_key, sizeof(*key));
	n->next = NULL;
	n->frag_next = NULL;
	return n;
}
