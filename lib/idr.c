// SPDX-License-Identifier: GPL-2.0
/* The idr of include/linux/idr.h: a fixed-depth radix tree over u32 ids. */
#include <linux/idr.h>

#define IDR_SHIFT	8
#define IDR_SLOTS	(1 << IDR_SHIFT)
#define IDR_LEVELS	4

struct idr_node {
	void *slot[IDR_SLOTS];
};

static unsigned int idr_index(u64 id, int level)
{
	return (id >> (IDR_SHIFT * (IDR_LEVELS - 1 - level))) & (IDR_SLOTS - 1);
}

/* the leaf slot for id, or NULL when its path does not exist */
static void **idr_slot(const struct idr *idr, u64 id)
{
	struct idr_node *n = idr->root;
	int level;

	for (level = 0; n && level < IDR_LEVELS - 1; level++)
		n = n->slot[idr_index(id, level)];
	return n ? &n->slot[idr_index(id, IDR_LEVELS - 1)] : NULL;
}

void *idr_find(const struct idr *idr, unsigned long id)
{
	void **slot;

	if (id > UINT32_MAX)
		return NULL;
	slot = idr_slot(idr, id);
	return slot ? *slot : NULL;
}

static int idr_insert(struct idr *idr, u64 id, void *p)
{
	struct idr_node **np = &idr->root;
	int level;

	for (level = 0; level < IDR_LEVELS; level++) {
		if (!*np) {
			*np = kzalloc(sizeof(**np), GFP_KERNEL);
			if (!*np)
				return -ENOMEM;
		}
		if (level == IDR_LEVELS - 1)
			break;
		np = (struct idr_node **)&(*np)->slot[idr_index(id, level)];
	}
	(*np)->slot[idr_index(id, IDR_LEVELS - 1)] = p;
	idr->nr++;
	return 0;
}

static bool idr_node_empty(const struct idr_node *n)
{
	unsigned int i;

	for (i = 0; i < IDR_SLOTS; i++)
		if (n->slot[i])
			return false;
	return true;
}

void *idr_remove(struct idr *idr, unsigned long id)
{
	struct idr_node **path[IDR_LEVELS];
	struct idr_node **np = &idr->root;
	void *old;
	int level;

	if (id > UINT32_MAX)
		return NULL;
	for (level = 0; level < IDR_LEVELS; level++) {
		if (!*np)
			return NULL;
		path[level] = np;
		if (level < IDR_LEVELS - 1)
			np = (struct idr_node **)&(*np)->slot[idr_index(id, level)];
	}
	np = path[IDR_LEVELS - 1];
	old = (*np)->slot[idr_index(id, IDR_LEVELS - 1)];
	if (!old)
		return NULL;
	(*np)->slot[idr_index(id, IDR_LEVELS - 1)] = NULL;
	idr->nr--;
	if (id < idr->hint)
		idr->hint = id;
	/* free the nodes this emptied, bottom up */
	for (level = IDR_LEVELS - 1; level >= 0; level--) {
		np = path[level];
		if (!idr_node_empty(*np))
			break;
		kfree(*np);
		*np = NULL;
	}
	return old;
}

static void *idr_next_in(const struct idr_node *n, int level, u64 base, u64 *id)
{
	unsigned int shift = IDR_SHIFT * (IDR_LEVELS - 1 - level);
	unsigned int i = *id > base ? (*id - base) >> shift : 0;
	void *p;

	for (; i < IDR_SLOTS; i++) {
		u64 child = base + ((u64)i << shift);

		if (!n->slot[i])
			continue;
		if (level == IDR_LEVELS - 1) {
			*id = child;
			return n->slot[i];
		}
		p = idr_next_in(n->slot[i], level + 1, child, id);
		if (p)
			return p;
	}
	return NULL;
}

void *idr_get_next_ul(const struct idr *idr, unsigned long *nextid)
{
	u64 id = *nextid;
	void *p;

	if (!idr->root || id > UINT32_MAX)
		return NULL;
	p = idr_next_in(idr->root, 0, 0, &id);
	if (p)
		*nextid = id;
	return p;
}

int idr_alloc_u32(struct idr *idr, void *ptr, u32 *nextid, unsigned long max, gfp_t gfp)
{
	/* a zeroed struct idr (hint 0) is as valid as IDR_INIT: ids start at 1 */
	u64 hint = max(idr->hint, 1);
	bool from_hint = *nextid <= hint;
	u64 id = from_hint ? hint : *nextid;
	int err;

	(void)gfp;
	/* step over the run of used ids from the start (usually none) */
	while (id <= max && id <= UINT32_MAX && idr_find(idr, id))
		id++;
	if (id > max || id > UINT32_MAX)
		return -ENOSPC;
	err = idr_insert(idr, id, ptr);
	if (err)
		return err;
	if (from_hint)
		idr->hint = id + 1;
	*nextid = id;
	return 0;
}

void *idr_replace(struct idr *idr, void *ptr, unsigned long id)
{
	void **slot = id > UINT32_MAX ? NULL : idr_slot(idr, id);
	void *old;

	if (!slot || !*slot)
		return ERR_PTR(-ENOENT);
	old = *slot;
	*slot = ptr;
	return old;
}

static void idr_free_nodes(struct idr_node *n, int level)
{
	unsigned int i;

	if (!n)
		return;
	for (i = 0; level < IDR_LEVELS - 1 && i < IDR_SLOTS; i++)
		idr_free_nodes(n->slot[i], level + 1);
	kfree(n);
}

void idr_destroy(struct idr *idr)
{
	idr_free_nodes(idr->root, 0);
	idr_init(idr);
}
