// SPDX-License-Identifier: GPL-2.0
/*
 * TCP segmentation and checksum completion of a linear frame (include/
 * net/gso.h): the kernel's tcp4/tcp6_gso_segment and skb_checksum_help,
 * for frames a TAP hands us with a virtio_net_hdr.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/tcp.h>
#include <linux/if_ether.h>
#include <net/checksum.h>
#include <net/gso.h>

struct gso_frame {
	unsigned int l3;		/* offset of the IP header */
	unsigned int l4;		/* of the TCP header */
	unsigned int hlen;		/* of the payload */
	bool ipv6;
};

/* where the headers of an Ethernet (one VLAN tag at most) TCP frame are */
static int gso_parse(const u8 *data, unsigned int len, struct gso_frame *f)
{
	unsigned int off = ETH_HLEN;
	u16 proto;

	if (len < ETH_HLEN + 4)
		return -EINVAL;
	proto = data[12] << 8 | data[13];
	if (proto == ETH_P_8021Q) {
		proto = data[16] << 8 | data[17];
		off += 4;
	}
	f->l3 = off;
	if (proto == ETH_P_IP) {
		const struct iphdr *iph = (const void *)(data + off);

		if (len < off + sizeof(*iph) || iph->ihl < 5 || iph->protocol != IPPROTO_TCP)
			return -EINVAL;
		f->ipv6 = false;
		f->l4 = off + iph->ihl * 4;
	} else if (proto == ETH_P_IPV6) {
		const struct ip6_hdr *ip6 = (const void *)(data + off);

		/* extension headers: not from a TCP stack's TSO */
		if (len < off + sizeof(*ip6) || ip6->ip6_nxt != IPPROTO_TCP)
			return -EINVAL;
		f->ipv6 = true;
		f->l4 = off + sizeof(*ip6);
	} else {
		return -EINVAL;
	}
	if (len < f->l4 + sizeof(struct tcphdr))
		return -EINVAL;
	f->hlen = f->l4 + ((const struct tcphdr *)(data + f->l4))->th_off * 4;
	return len < f->hlen || f->hlen < f->l4 + sizeof(struct tcphdr) ? -EINVAL : 0;
}

/* the TCP checksum of a segment whose IP header is complete */
static void gso_tcp_csum(u8 *frame, const struct gso_frame *f, unsigned int len)
{
	struct tcphdr *th = (void *)(frame + f->l4);
	unsigned int tlen = len - f->l4;
	__wsum sum;

	th->th_sum = 0;
	sum = csum_partial(th, tlen, 0);
	if (f->ipv6) {
		const struct ip6_hdr *ip6 = (const void *)(frame + f->l3);

		th->th_sum = csum_ipv6_magic(&ip6->ip6_src, &ip6->ip6_dst, tlen, IPPROTO_TCP, sum);
	} else {
		const struct iphdr *iph = (const void *)(frame + f->l3);

		th->th_sum = csum_tcpudp_magic(iph->saddr, iph->daddr, tlen, IPPROTO_TCP, sum);
	}
}

/* segment i (of n) of the payload: headers fixed up from the original's */
static void gso_fix_segment(u8 *seg, const struct gso_frame *f, unsigned int seglen,
			    unsigned int i, unsigned int n, unsigned int payload_off)
{
	struct tcphdr *th = (void *)(seg + f->l4);

	if (f->ipv6) {
		struct ip6_hdr *ip6 = (void *)(seg + f->l3);

		ip6->ip6_plen = htons(seglen - f->l3 - sizeof(*ip6));
	} else {
		struct iphdr *iph = (void *)(seg + f->l3);

		iph->tot_len = htons(seglen - f->l3);
		iph->id = htons(ntohs(iph->id) + i);
		iph->check = 0;
		iph->check = ip_fast_csum(iph, iph->ihl);
	}
	th->th_seq = htonl(ntohl(th->th_seq) + payload_off);
	if (i)
		th->th_flags &= ~0x80;			/* CWR: the first segment's */
	if (i != n - 1)
		th->th_flags &= ~(TH_FIN | TH_PUSH);	/* the last segment's */
	gso_tcp_csum(seg, f, seglen);
}

static int gso_one(const u8 *data, unsigned int len, const struct virtio_net_hdr *vh,
		   struct skb_pool *pool, struct sk_buff **segs)
{
	struct sk_buff *skb;

	if (len > SKB_DATA_MAX)
		return -EMSGSIZE;
	skb = alloc_skb(pool);
	if (!skb)
		return -ENOBUFS;
	memcpy(skb->data, data, len);
	skb->len = len;
	if (vh->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
		unsigned int start = vh->csum_start, at = start + vh->csum_offset;

		if (at + 2 > len) {
			kfree_skb(skb);
			return -EINVAL;
		}
		/* the field holds the pseudo-header's sum: summing over it completes it */
		*(__sum16 *)(skb->data + at) = csum_fold(csum_partial(skb->data + start,
								      len - start, 0));
	}
	segs[0] = skb;
	return 1;
}

int skb_gso_segment_frame(const u8 *data, unsigned int len, const struct virtio_net_hdr *vh,
			  struct skb_pool *pool, struct sk_buff **segs, int max)
{
	unsigned int mss = vh->gso_size, plen, n, i;
	u8 type = vh->gso_type & ~VIRTIO_NET_HDR_GSO_ECN;
	struct gso_frame f;
	int err;

	if (max < 1)
		return -ENOBUFS;
	if (type == VIRTIO_NET_HDR_GSO_NONE)
		return gso_one(data, len, vh, pool, segs);
	if (type != VIRTIO_NET_HDR_GSO_TCPV4 && type != VIRTIO_NET_HDR_GSO_TCPV6)
		return -EINVAL;
	err = gso_parse(data, len, &f);
	if (err)
		return err;
	if (f.ipv6 != (type == VIRTIO_NET_HDR_GSO_TCPV6) || !mss)
		return -EINVAL;
	if (f.hlen + mss > SKB_DATA_MAX)
		return -EMSGSIZE;
	plen = len - f.hlen;
	n = plen ? (plen + mss - 1) / mss : 1;
	if (n > (unsigned int)max)
		return -ENOBUFS;
	for (i = 0; i < n; i++) {
		unsigned int off = i * mss, chunk = min(mss, plen - off);
		struct sk_buff *skb = alloc_skb(pool);

		if (!skb) {
			while (i)
				kfree_skb(segs[--i]);
			return -ENOBUFS;
		}
		memcpy(skb->data, data, f.hlen);
		memcpy(skb->data + f.hlen, data + f.hlen + off, chunk);
		skb->len = f.hlen + chunk;
		gso_fix_segment(skb->data, &f, skb->len, i, n, off);
		segs[i] = skb;
	}
	return n;
}

/* ---- output: segments into one GSO frame ---- */

#define GRO_MAX_SEGS	44	/* as the kernel's GRO: 64 KB at MSS 1448 */

/* a segment that may take part: IPv4 without options or fragments, or IPv6; ACK (PSH) */
static bool gro_segment_ok(const u8 *data, unsigned int len, struct gso_frame *f)
{
	const struct tcphdr *th;

	if (gso_parse(data, len, f) || f->l3 != ETH_HLEN || len == f->hlen)
		return false;
	if (!f->ipv6) {
		const struct iphdr *iph = (const void *)(data + f->l3);

		if (iph->ihl != 5 || (ntohs(iph->frag_off) & 0x3fff) ||
		    ntohs(iph->tot_len) != len - f->l3)
			return false;
	} else if (ntohs(((const struct ip6_hdr *)(data + f->l3))->ip6_plen) !=
		   len - f->l3 - sizeof(struct ip6_hdr)) {
		return false;
	}
	th = (const void *)(data + f->l4);
	return (th->th_flags & ~TH_PUSH) == TH_ACK;
}

bool gro_frame_start(struct gro_frame *f, const struct sk_buff *skb)
{
	struct gso_frame g;

	if (skb->len > f->max || !gro_segment_ok(skb->data, skb->len, &g) ||
	    (((const struct tcphdr *)(skb->data + g.l4))->th_flags & TH_PUSH))
		return false;
	memcpy(f->data, skb->data, skb->len);
	f->len = skb->len;
	f->segs = 1;
	f->mss = skb->len - g.hlen;
	f->l3 = g.l3;
	f->l4 = g.l4;
	f->hlen = g.hlen;
	f->ipv6 = g.ipv6;
	f->closed = false;
	f->next_seq = ntohl(((const struct tcphdr *)(skb->data + g.l4))->th_seq) + f->mss;
	return true;
}

/* the same flow, addresses, IP fields and TCP header but for seq and PSH */
static bool gro_same_flow(const struct gro_frame *f, const u8 *a, const u8 *b)
{
	const struct tcphdr *ta = (const void *)(a + f->l4), *tb = (const void *)(b + f->l4);

	if (memcmp(a, b, ETH_HLEN))
		return false;
	if (f->ipv6) {
		/* version, class, flow label; next header, hop limit, addresses */
		if (memcmp(a + f->l3, b + f->l3, 4) || memcmp(a + f->l3 + 6, b + f->l3 + 6, 34))
			return false;
	} else {
		const struct iphdr *ia = (const void *)(a + f->l3), *ib = (const void *)(b + f->l3);

		if (ia->tos != ib->tos || ia->frag_off != ib->frag_off || ia->ttl != ib->ttl ||
		    ia->saddr != ib->saddr || ia->daddr != ib->daddr)
			return false;
	}
	return ta->th_sport == tb->th_sport && ta->th_dport == tb->th_dport &&
	       ta->th_ack == tb->th_ack && ta->th_win == tb->th_win && ta->th_off == tb->th_off &&
	       !memcmp(ta + 1, tb + 1, f->hlen - f->l4 - sizeof(*ta));	/* options */
}

bool gro_frame_merge(struct gro_frame *f, const struct sk_buff *skb)
{
	const struct tcphdr *th;
	struct gso_frame g;
	unsigned int plen;

	if (!f->len || f->closed || f->segs == GRO_MAX_SEGS ||
	    !gro_segment_ok(skb->data, skb->len, &g) || g.hlen != f->hlen || g.ipv6 != f->ipv6)
		return false;
	plen = skb->len - g.hlen;
	th = (const void *)(skb->data + g.l4);
	/* every segment but the last is mss long, as the receiver will cut them */
	if (plen > f->mss || f->len + plen > f->max || f->len + plen - f->l3 > 65535 ||
	    ntohl(th->th_seq) != f->next_seq || !gro_same_flow(f, f->data, skb->data))
		return false;
	memcpy(f->data + f->len, skb->data + g.hlen, plen);
	f->len += plen;
	f->segs++;
	f->next_seq += plen;
	/* the run ends at a short segment or a PSH: what follows cannot join */
	if (plen < f->mss || (th->th_flags & TH_PUSH)) {
		((struct tcphdr *)(f->data + f->l4))->th_flags |= th->th_flags & TH_PUSH;
		f->closed = true;
	}
	return true;
}

void gro_frame_finish(struct gro_frame *f, struct virtio_net_hdr *vh)
{
	struct tcphdr *th = (void *)(f->data + f->l4);
	unsigned int tlen = f->len - f->l4;

	memset(vh, 0, sizeof(*vh));
	if (f->segs == 1)
		return;		/* sent as it came, checksums and all */
	if (f->ipv6) {
		struct ip6_hdr *ip6 = (void *)(f->data + f->l3);

		ip6->ip6_plen = htons(tlen);
		th->th_sum = ~csum_ipv6_magic(&ip6->ip6_src, &ip6->ip6_dst, tlen, IPPROTO_TCP, 0);
		vh->gso_type = VIRTIO_NET_HDR_GSO_TCPV6;
	} else {
		struct iphdr *iph = (void *)(f->data + f->l3);

		iph->tot_len = htons(f->len - f->l3);
		iph->check = 0;
		iph->check = ip_fast_csum(iph, iph->ihl);
		th->th_sum = ~csum_tcpudp_magic(iph->saddr, iph->daddr, tlen, IPPROTO_TCP, 0);
		vh->gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
	}
	/* the pseudo-header's sum in the field: the receiver or its GSO completes it */
	vh->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	vh->csum_start = f->l4;
	vh->csum_offset = offsetof(struct tcphdr, th_sum);
	vh->hdr_len = f->hlen;
	vh->gso_size = f->mss;
}
