/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Segmentation offload for the TAP ports (drivers/net/tap.c), which speak
 * IFF_VNET_HDR: what a host's TCP stack hands over as one 64 KB segment
 * (struct virtio_net_hdr with VIRTIO_NET_HDR_GSO_TCPV4/6), or a frame whose
 * checksum it left for the device (VIRTIO_NET_HDR_F_NEEDS_CSUM), becomes
 * wire frames here, as a NIC's TSO and checksum offload would make them:
 * the switch behind works on frames, one skb each.
 */
#ifndef _NET_GSO_H
#define _NET_GSO_H

#include <linux/virtio_net.h>
#include <linux/skbuff.h>

/*
 * The frame of len bytes at data as wire frames, into segs (at most max
 * skbs from pool): one for a frame without GSO, its checksum completed if
 * vh asks; one per gso_size bytes of TCP payload otherwise, each with its
 * IP length and id, sequence number, flags and both checksums set.
 * Returns the count, or -errno (-EINVAL: not a frame we can segment;
 * -EMSGSIZE: a segment larger than an skb; -ENOBUFS: pool or segs full,
 * nothing allocated is kept).
 */
int skb_gso_segment_frame(const u8 *data, unsigned int len, const struct virtio_net_hdr *vh,
			  struct skb_pool *pool, struct sk_buff **segs, int max);

/*
 * The other way, for what a TAP port sends into its host (the kernel's
 * tcp_gro_receive, on output): consecutive full-sized segments of one TCP
 * flow, ACK-only but for a PSH on the last, leave as one frame with a
 * virtio_net_hdr saying how to cut it (VIRTIO_NET_HDR_GSO_TCPV4/6, a
 * partial checksum), one write instead of one per segment.
 */
struct gro_frame {
	u8 *data;			/* the frame being built (room for max bytes) */
	unsigned int max;
	unsigned int len;		/* 0: nothing held */
	unsigned int segs, mss;
	unsigned int l3, l4, hlen;
	bool ipv6;
	bool closed;			/* its last segment had PSH: send it */
	u32 next_seq;
};

/* start f with skb's frame if it can head a run; false: send skb alone */
bool gro_frame_start(struct gro_frame *f, const struct sk_buff *skb);
/* add skb's frame to f if it continues the run; false: send f first */
bool gro_frame_merge(struct gro_frame *f, const struct sk_buff *skb);
/* f's lengths and checksums set for sending, and the header telling how */
void gro_frame_finish(struct gro_frame *f, struct virtio_net_hdr *vh);

#endif
