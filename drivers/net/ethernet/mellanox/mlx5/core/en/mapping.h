/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Mapping (en/mapping.c): a value the registers cannot hold (a tc chain
 * number, 128 bits of ct labels, a tunnel's metadata, a ct zone) gets a
 * small id that they can, shared and refcounted: adding the same data
 * twice gives the same id.  Ids start at 1 (0 means "none" in a
 * register).  One context per kind of data; the driver uses several.
 *
 * Locking: a mutex per context; mapping_find() is called from the
 * datapath (a miss being restored), so it takes the lock too (misses are
 * the slow path).
 */
#ifndef __MLX5_MAPPING_H__
#define __MLX5_MAPPING_H__

#include <linux/compiler.h>

struct mapping_ctx;

/* data_size bytes per value, ids 1..max_id */
struct mapping_ctx *mapping_create(size_t data_size, u32 max_id, bool delayed_removal);
void mapping_destroy(struct mapping_ctx *ctx);
/* the id of data (new, or a reference more on the existing one); -ENOSPC when full */
int mapping_add(struct mapping_ctx *ctx, const void *data, u32 *id);
/* drop one reference; the id is free again at the last */
int mapping_remove(struct mapping_ctx *ctx, u32 id);
/* copy id's data out: 0, or -ENOENT */
int mapping_find(struct mapping_ctx *ctx, u32 id, void *data);
/* ids in use */
unsigned int mapping_count(struct mapping_ctx *ctx);

#endif
