// SPDX-License-Identifier: GPL-2.0
/*
 * Mapping contexts (en/mapping.h): data -> small refcounted id.  The ids
 * live in an idr (lowest free id first, so registers stay small and ids
 * are reused); finding the id of some data is a short walk of a hash
 * bucket.  Sizes are small (chains, zones, label sets, tunnels in use),
 * so a fixed number of buckets is enough.
 */
#include <pthread.h>
#include <xxhash.h>
#include <linux/idr.h>
#include <linux/list.h>
#include <linux/slab.h>
#include "mapping.h"

#define MAPPING_BUCKETS	1024

struct mapping_item {
	struct list_head list;		/* in its hash bucket */
	u32 id;
	unsigned int cnt;
	unsigned char data[];
};

struct mapping_ctx {
	pthread_mutex_t lock;
	size_t data_size;
	u32 max_id;
	struct idr ids;
	struct list_head buckets[MAPPING_BUCKETS];
};

struct mapping_ctx *mapping_create(size_t data_size, u32 max_id, bool delayed_removal)
{
	struct mapping_ctx *ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	int i;

	(void)delayed_removal;	/* ids are freed at once: no packet holds one across a grace period */
	if (!ctx)
		return NULL;
	pthread_mutex_init(&ctx->lock, NULL);
	ctx->data_size = data_size;
	ctx->max_id = max_id;
	idr_init(&ctx->ids);
	for (i = 0; i < MAPPING_BUCKETS; i++)
		INIT_LIST_HEAD(&ctx->buckets[i]);
	return ctx;
}

void mapping_destroy(struct mapping_ctx *ctx)
{
	struct mapping_item *mi, *tmp;
	int i;

	if (!ctx)
		return;
	for (i = 0; i < MAPPING_BUCKETS; i++)
		list_for_each_entry_safe(mi, tmp, &ctx->buckets[i], list)
			kfree(mi);
	idr_destroy(&ctx->ids);
	pthread_mutex_destroy(&ctx->lock);
	kfree(ctx);
}

static struct list_head *mapping_bucket(struct mapping_ctx *ctx, const void *data)
{
	return &ctx->buckets[XXH3_64bits(data, ctx->data_size) % MAPPING_BUCKETS];
}

static struct mapping_item *mapping_lookup(struct mapping_ctx *ctx, const void *data)
{
	struct mapping_item *mi;

	list_for_each_entry(mi, mapping_bucket(ctx, data), list)
		if (!memcmp(mi->data, data, ctx->data_size))
			return mi;
	return NULL;
}

int mapping_add(struct mapping_ctx *ctx, const void *data, u32 *id)
{
	struct mapping_item *mi;
	u32 next = 1;
	int err = 0;

	pthread_mutex_lock(&ctx->lock);
	mi = mapping_lookup(ctx, data);
	if (mi) {
		mi->cnt++;
		goto out;
	}
	mi = kzalloc(sizeof(*mi) + ctx->data_size, GFP_KERNEL);
	if (!mi) {
		err = -ENOMEM;
		goto unlock;
	}
	memcpy(mi->data, data, ctx->data_size);
	mi->cnt = 1;
	err = idr_alloc_u32(&ctx->ids, mi, &next, ctx->max_id, GFP_KERNEL);
	if (err) {
		kfree(mi);
		goto unlock;
	}
	mi->id = next;
	list_add(&mi->list, mapping_bucket(ctx, data));
out:
	*id = mi->id;
unlock:
	pthread_mutex_unlock(&ctx->lock);
	return err;
}

int mapping_remove(struct mapping_ctx *ctx, u32 id)
{
	struct mapping_item *mi;
	int err = 0;

	pthread_mutex_lock(&ctx->lock);
	mi = idr_find(&ctx->ids, id);
	if (!mi) {
		err = -ENOENT;
	} else if (!--mi->cnt) {
		idr_remove(&ctx->ids, id);
		list_del(&mi->list);
		kfree(mi);
	}
	pthread_mutex_unlock(&ctx->lock);
	return err;
}

int mapping_find(struct mapping_ctx *ctx, u32 id, void *data)
{
	struct mapping_item *mi;
	int err = 0;

	pthread_mutex_lock(&ctx->lock);
	mi = idr_find(&ctx->ids, id);
	if (mi)
		memcpy(data, mi->data, ctx->data_size);
	else
		err = -ENOENT;
	pthread_mutex_unlock(&ctx->lock);
	return err;
}

unsigned int mapping_count(struct mapping_ctx *ctx)
{
	unsigned int n;

	pthread_mutex_lock(&ctx->lock);
	n = ctx->ids.nr;
	pthread_mutex_unlock(&ctx->lock);
	return n;
}
