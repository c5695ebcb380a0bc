// SPDX-License-Identifier: GPL-2.0
/*
 * metadata_dst lifetime (net/core/dst.c): the one piece of a dst_entry
 * the project needs, tunnel metadata shared by an action and the packets
 * it marked.
 */
#include <linux/slab.h>
#include <net/dst_metadata.h>

struct metadata_dst *metadata_dst_alloc(void)
{
	struct metadata_dst *md = kzalloc(sizeof(*md), GFP_KERNEL);

	if (md)
		refcount_set(&md->refcnt, 1);
	return md;
}

/*
 * Readers only reach the metadata through a reference (an skb's, or the
 * action's params, which are freed after a grace period), so the last
 * put can free at once.
 */
void dst_release(struct metadata_dst *md)
{
	if (md && refcount_dec_and_test(&md->refcnt))
		kfree(md);
}
