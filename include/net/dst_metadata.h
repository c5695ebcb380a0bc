/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tunnel metadata attached to a packet (include/net/dst_metadata.h).
 *
 * The kernel hangs a struct metadata_dst on skb->_skb_refdst; here the skb
 * has a pointer of its own (skb->tun_dst).  The metadata belongs to whoever
 * made it (act_tunnel_key's params) and is refcounted: a packet takes a
 * reference instead of a copy, so nothing is allocated per packet, and the
 * action can be replaced or deleted while packets still carry the old one.
 */
#ifndef _NET_DST_METADATA_H
#define _NET_DST_METADATA_H

#include <linux/refcount.h>
#include <linux/skbuff.h>
#include <net/ip_tunnels.h>

struct metadata_dst {
	refcount_t refcnt;
	struct ip_tunnel_info tun_info;
};

/* a new metadata_dst with one reference, zeroed; NULL without memory */
struct metadata_dst *metadata_dst_alloc(void);
/* drop a reference; the last one frees */
void dst_release(struct metadata_dst *md);

static inline struct metadata_dst *dst_clone(struct metadata_dst *md)
{
	if (md)
		refcount_inc(&md->refcnt);
	return md;
}

static inline const struct ip_tunnel_info *skb_tunnel_info(const struct sk_buff *skb)
{
	return skb->tun_dst ? &skb->tun_dst->tun_info : NULL;
}

static inline void skb_dst_drop(struct sk_buff *skb)
{
	if (skb->tun_dst) {
		dst_release(skb->tun_dst);
		skb->tun_dst = NULL;
	}
}

/* the skb takes over the caller's reference */
static inline void skb_dst_set(struct sk_buff *skb, struct metadata_dst *md)
{
	skb->tun_dst = md;
}

#endif
