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
#include <linux/if_ether.h>
#include <linux/unaligned.h>
#include <net/checksum.h>
#include <net/gso.h>

/*
 * Headers are read and written by byte offset: behind a 14-byte Ethernet
 * header in an skb they are not 4-byte aligned.
 */
#define IP4_TOT_LEN	2
#define IP4_ID		4
#define IP4_FRAG	6
#define IP4_PROTO	9
#define IP4_CSUM	10
#define IP4_ADDRS	12
#define IP6_PLEN	4
#define IP6_NXT		6
#define IP6_ADDRS	8
#define IP6_HLEN	40
#define TCP_SEQ		4
#define TCP_ACK		8
#define TCP_DOFF	12
#define TCP_FLAGS	13
#define TCP_WIN		14
#define TCP_CSUM	16
#define TCP_HLEN	20
#define TCPF_FIN	0x01
#define TCPF_SYN	0x02
#define TCPF_PSH	0x08
#define TCPF_ACK	0x10
#define TCPF_CWR	0x80

/* a folded checksum is stored as it came out of csum_fold() */
static void put_csum(u8 *p, __sum16 sum)
{
	memcpy(p, &sum, sizeof(sum));
}

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
		if (len < off + 20 || (data[off] & 0xf) < 5 || data[off + IP4_PROTO] != IPPROTO_TCP)
			return -EINVAL;
		f->ipv6 = false;
		f->l4 = off + (data[off] & 0xf) * 4;
	} else if (proto == ETH_P_IPV6) {
		/* extension headers: not from a TCP stack's TSO */
		if (len < off + IP6_HLEN || data[off + IP6_NXT] != IPPROTO_TCP)
			return -EINVAL;
		f->ipv6 = true;
		f->l4 = off + IP6_HLEN;
	} else {
		return -EINVAL;
	}
	if (len < f->l4 + TCP_HLEN)
		return -EINVAL;
	f->hlen = f->l4 + (data[f->l4 + TCP_DOFF] >> 4) * 4;
	return len < f->hlen || f->hlen < f->l4 + TCP_HLEN ? -EINVAL : 0;
}

/* the sum of the pseudo-header of a TCP segment of tlen bytes */
static __sum16 gso_pseudo_csum(const u8 *ip, bool ipv6, unsigned int tlen, __wsum sum)
{
	if (ipv6) {
		struct in6_addr a[2];

		memcpy(a, ip + IP6_ADDRS, sizeof(a));
		return csum_ipv6_magic(&a[0], &a[1], tlen, IPPROTO_TCP, sum);
	} else {
		__be32 a[2];

		memcpy(a, ip + IP4_ADDRS, sizeof(a));
		return csum_tcpudp_magic(a[0], a[1], tlen, IPPROTO_TCP, sum);
	}
}

static void gso_ip4_csum(u8 *iph)
{
	put_unaligned_be16(0, iph + IP4_CSUM);
	put_csum(iph + IP4_CSUM, ip_fast_csum(iph, iph[0] & 0xf));
}

/* the TCP checksum of a segment whose IP header is complete */
static void gso_tcp_csum(u8 *frame, const struct gso_frame *f, unsigned int len)
{
	u8 *th = frame + f->l4;
	unsigned int tlen = len - f->l4;

	put_unaligned_be16(0, th + TCP_CSUM);
	put_csum(th + TCP_CSUM, gso_pseudo_csum(frame + f->l3, f->ipv6, tlen,
						csum_partial(th, tlen, 0)));
}

/* segment i (of n) of the payload: headers fixed up from the original's */
static void gso_fix_segment(u8 *seg, const struct gso_frame *f, unsigned int seglen,
			    unsigned int i, unsigned int n, unsigned int payload_off)
{
	u8 *ip = seg + f->l3, *th = seg + f->l4;

	if (f->ipv6) {
		put_unaligned_be16(seglen - f->l3 - IP6_HLEN, ip + IP6_PLEN);
	} else {
		put_unaligned_be16(seglen - f->l3, ip + IP4_TOT_LEN);
		put_unaligned_be16(get_unaligned_be16(ip + IP4_ID) + i, ip + IP4_ID);
		gso_ip4_csum(ip);
	}
	put_unaligned_be32(get_unaligned_be32(th + TCP_SEQ) + payload_off, th + TCP_SEQ);
	if (i)
		th[TCP_FLAGS] &= ~TCPF_CWR;			/* the first segment's */
	if (i != n - 1)
		th[TCP_FLAGS] &= ~(TCPF_FIN | TCPF_PSH);	/* the last segment's */
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
	const u8 *ip;

	if (gso_parse(data, len, f) || f->l3 != ETH_HLEN || len == f->hlen)
		return false;
	ip = data + f->l3;
	if (!f->ipv6) {
		if ((ip[0] & 0xf) != 5 || (get_unaligned_be16(ip + IP4_FRAG) & 0x3fff) ||
		    get_unaligned_be16(ip + IP4_TOT_LEN) != len - f->l3)
			return false;
	} else if (get_unaligned_be16(ip + IP6_PLEN) != len - f->l3 - IP6_HLEN) {
		return false;
	}
	return (data[f->l4 + TCP_FLAGS] & ~TCPF_PSH) == TCPF_ACK;
}

bool gro_frame_start(struct gro_frame *f, const struct sk_buff *skb)
{
	struct gso_frame g;

	if (skb->len > f->max || !gro_segment_ok(skb->data, skb->len, &g) ||
	    (skb->data[g.l4 + TCP_FLAGS] & TCPF_PSH))
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
	f->next_seq = get_unaligned_be32(skb->data + g.l4 + TCP_SEQ) + f->mss;
	return true;
}

/* the same flow, addresses, IP fields and TCP header but for seq and PSH */
static bool gro_same_flow(const struct gro_frame *f, const u8 *a, const u8 *b)
{
	const u8 *ia = a + f->l3, *ib = b + f->l3, *ta = a + f->l4, *tb = b + f->l4;

	if (memcmp(a, b, ETH_HLEN))
		return false;
	if (f->ipv6) {
		/* version, class, flow label; next header, hop limit, addresses */
		if (memcmp(ia, ib, 4) || memcmp(ia + IP6_NXT, ib + IP6_NXT, IP6_HLEN - IP6_NXT))
			return false;
	} else {
		/* tos; DF; ttl, protocol; addresses */
		if (ia[1] != ib[1] || memcmp(ia + IP4_FRAG, ib + IP4_FRAG, 4) ||
		    memcmp(ia + IP4_ADDRS, ib + IP4_ADDRS, 8))
			return false;
	}
	/* ports; ack; data offset; window; options */
	return !memcmp(ta, tb, TCP_SEQ) && !memcmp(ta + TCP_ACK, tb + TCP_ACK, 5) &&
	       !memcmp(ta + TCP_WIN, tb + TCP_WIN, 2) &&
	       !memcmp(ta + TCP_HLEN, tb + TCP_HLEN, f->hlen - f->l4 - TCP_HLEN);
}

bool gro_frame_merge(struct gro_frame *f, const struct sk_buff *skb)
{
	struct gso_frame g;
	unsigned int plen;
	u8 flags;

	if (!f->len || f->closed || f->segs == GRO_MAX_SEGS ||
	    !gro_segment_ok(skb->data, skb->len, &g) || g.hlen != f->hlen || g.ipv6 != f->ipv6)
		return false;
	plen = skb->len - g.hlen;
	flags = skb->data[g.l4 + TCP_FLAGS];
	/* every segment but the last is mss long, as the receiver will cut them */
	if (plen > f->mss || f->len + plen > f->max || f->len + plen - f->l3 > 65535 ||
	    get_unaligned_be32(skb->data + g.l4 + TCP_SEQ) != f->next_seq ||
	    !gro_same_flow(f, f->data, skb->data))
		return false;
	memcpy(f->data + f->len, skb->data + g.hlen, plen);
	f->len += plen;
	f->segs++;
	f->next_seq += plen;
	/* the run ends at a short segment or a PSH: what follows cannot join */
	if (plen < f->mss || (flags & TCPF_PSH)) {
		f->data[f->l4 + TCP_FLAGS] |= flags & TCPF_PSH;
		f->closed = true;
	}
	return true;
}

void gro_frame_finish(struct gro_frame *f, struct virtio_net_hdr *vh)
{
	u8 *ip = f->data + f->l3, *th = f->data + f->l4;
	unsigned int tlen = f->len - f->l4;

	memset(vh, 0, sizeof(*vh));
	if (f->segs == 1)
		return;		/* sent as it came, checksums and all */
	if (f->ipv6) {
		put_unaligned_be16(tlen, ip + IP6_PLEN);
		vh->gso_type = VIRTIO_NET_HDR_GSO_TCPV6;
	} else {
		put_unaligned_be16(f->len - f->l3, ip + IP4_TOT_LEN);
		gso_ip4_csum(ip);
		vh->gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
	}
	/* the pseudo-header's sum in the field: the receiver or its GSO completes it */
	put_csum(th + TCP_CSUM, ~gso_pseudo_csum(ip, f->ipv6, tlen, 0));
	vh->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	vh->csum_start = f->l4;
	vh->csum_offset = TCP_CSUM;
	vh->hdr_len = f->hlen;
	vh->gso_size = f->mss;
}
