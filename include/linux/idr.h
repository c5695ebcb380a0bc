/* SPDX-License-Identifier: GPL-2.0 */
/*
 * idr (lib/idr.c): small integer ids -> pointers, in id order, with the
 * kernel's API.  Used for flower's filter handles and tc action indexes
 * (and, later, the driver's mapping ids).  A 4-level radix tree of 256
 * slots; a hint keeps "lowest free id" allocation O(1) in the common case.
 * Not safe for concurrent writers: callers serialise (rtnl_lock).
 */
#ifndef _LINUX_IDR_H
#define _LINUX_IDR_H

#include <linux/compiler.h>
#include <linux/slab.h>

struct idr_node;

struct idr {
	struct idr_node *root;
	u64 hint;		/* every id in [1, hint) is in use */
	unsigned int nr;
};

#define IDR_INIT	{ .root = NULL, .hint = 1, .nr = 0 }

static inline void idr_init(struct idr *idr)
{
	*idr = (struct idr)IDR_INIT;
}

/*
 * Store ptr at the lowest free id in [*nextid, max] and set *nextid to it.
 * Returns 0, -ENOSPC if the range is full, or -ENOMEM.
 */
int idr_alloc_u32(struct idr *idr, void *ptr, u32 *nextid, unsigned long max, gfp_t gfp);
void *idr_find(const struct idr *idr, unsigned long id);
/* the entry with the lowest id >= *nextid (set to its id), or NULL */
void *idr_get_next_ul(const struct idr *idr, unsigned long *nextid);
/* returns the old entry */
void *idr_replace(struct idr *idr, void *ptr, unsigned long id);
/* returns the removed entry, or NULL */
void *idr_remove(struct idr *idr, unsigned long id);
/* frees the tree, not the entries */
void idr_destroy(struct idr *idr);
static inline bool idr_is_empty(const struct idr *idr)
{
	return !idr->nr;
}

#define idr_for_each_entry_ul(idr, entry, id)				\
	for ((id) = 0; ((entry) = idr_get_next_ul(idr, &(id))) != NULL; (id)++)

#endif
