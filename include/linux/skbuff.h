/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct sk_buff: one packet in a preallocated buffer.
 *
 * Buffers come from a struct skb_pool created at start-up; nothing is
 * allocated per packet.  Each buffer keeps SKB_HEADROOM bytes in front of the
 * frame so encapsulation can push headers without a copy.  Offsets
 * (mac/network/transport header) are relative to head, as in the kernel.
 */
#ifndef _LINUX_SKBUFF_H
#define _LINUX_SKBUFF_H

#include <linux/compiler.h>

#define SKB_HEADROOM	128
#define SKB_DATA_MAX	2048		/* largest frame a buffer holds */
#define SKB_BUF_SIZE	(SKB_HEADROOM + SKB_DATA_MAX)
#define SKB_BURST	32		/* packets per burst at every stage */

struct net_device;
struct skb_pool;
struct fl_flow_key;
struct metadata_dst;

struct sk_buff {
	struct sk_buff *next;		/* burst lists */
	struct net_device *dev;		/* where it is now (rx: received on) */
	struct skb_pool *pool;
	unsigned char *head;		/* start of the buffer */
	unsigned char *data;		/* start of the frame */
	unsigned int len;		/* bytes from data */
	u16 mac_header;
	u16 network_header;
	u16 transport_header;
	__be16 protocol;		/* first ethertype of the frame (outer TPID if tagged), as skb_protocol(skb, false) */
	u32 hash;
	u32 mark;
	/* tc_skb_ext: chain to continue at after a hardware miss */
	u32 tc_chain;
	u8 pkt_type:3;			/* PACKET_HOST, _BROADCAST... (eth_type_trans) */
	u8 tc_at_ingress:1,
	   tc_skip_classify:1,
	   redirected:1,
	   from_ingress:1;
	u8 redirect_depth;		/* mirred recursion guard */
	u8 drop_reason;			/* enum skb_drop_reason when freed as a drop */
	u8 flow_key_valid:1;		/* flow_key describes the packet as it is now */
	/* parsed once per packet, by the first classifier that needs it */
	struct fl_flow_key *flow_key;
	/* conntrack: struct nf_conn * | enum ip_conntrack_info (nf_ct_get()) */
	unsigned long _nfct;
	/* tc_skb_cb: what act_ct leaves for flower's ct_state/ct_zone */
	u16 tc_zone;
	u8 nfct_ref:1,			/* the skb holds a reference (unconfirmed ct) */
	   post_ct:1,			/* an act_ct ran: flower sees +trk */
	   post_ct_snat:1,
	   post_ct_dnat:1,
	   defragged:1;			/* the head of a reassembled datagram */
	/*
	 * A reassembled datagram (act_ct's defrag) is its first fragment
	 * followed by the others on frag_next, in order, each a complete
	 * frame: sending the head sends them all, which is the refragmentation
	 * Linux does on output (same fragment sizes).
	 */
	struct sk_buff *frag_next;
	/*
	 * Tunnel metadata (act_tunnel_key set), one reference held by the
	 * skb: see net/dst_metadata.h.  The kernel's skb->_skb_refdst.
	 */
	struct metadata_dst *tun_dst;
	/* `ctoffload trace`: where the stages write, or NULL (net/pkt_trace.h) */
	struct pkt_trace *trace;
};

/*
 * One per datapath thread, used by that thread only, but for remote_free:
 * buffers another thread freed, a lock-free stack (linked by ->next) the
 * owner empties into free[] when that runs out.
 */
struct skb_pool {
	struct sk_buff **free;		/* stack of free skbs */
	unsigned int nfree;
	struct sk_buff *remote_free;
	unsigned int size;
	struct sk_buff *skbs;
	struct fl_flow_key *keys;	/* one per skb */
	unsigned char *mem;
	u64 alloc_fail;
};

int skb_pool_init(struct skb_pool *pool, unsigned int n);
void skb_pool_destroy(struct skb_pool *pool);

/* the datapath thread's pool (one per thread) */
extern __thread struct skb_pool *skb_local_pool;

struct sk_buff *alloc_skb(struct skb_pool *pool);
void kfree_skb(struct sk_buff *skb);
#define consume_skb kfree_skb
/* a full copy in a new buffer from the same pool (mirred mirror) */
struct sk_buff *skb_copy(const struct sk_buff *skb);

static inline unsigned char *skb_mac_header(const struct sk_buff *skb)
{
	return skb->head + skb->mac_header;
}
static inline unsigned char *skb_network_header(const struct sk_buff *skb)
{
	return skb->head + skb->network_header;
}
static inline unsigned char *skb_transport_header(const struct sk_buff *skb)
{
	return skb->head + skb->transport_header;
}
static inline unsigned int skb_headroom(const struct sk_buff *skb)
{
	return skb->data - skb->head;
}
static inline unsigned char *skb_tail_pointer(const struct sk_buff *skb)
{
	return skb->data + skb->len;
}
static inline unsigned int skb_tailroom(const struct sk_buff *skb)
{
	return SKB_BUF_SIZE - skb_headroom(skb) - skb->len;
}
static inline void skb_reset_mac_header(struct sk_buff *skb)
{
	skb->mac_header = skb->data - skb->head;
}
/* set data to a received frame of len bytes (the frame is already at data) */
static inline void skb_put(struct sk_buff *skb, unsigned int len)
{
	skb->len += len;
}
static inline unsigned char *skb_push(struct sk_buff *skb, unsigned int len)
{
	skb->data -= len;
	skb->len += len;
	return skb->data;
}
static inline unsigned char *skb_pull(struct sk_buff *skb, unsigned int len)
{
	skb->data += len;
	skb->len -= len;
	return skb->data;
}

#endif
