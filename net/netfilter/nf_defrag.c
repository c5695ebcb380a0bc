// SPDX-License-Identifier: GPL-2.0
/*
 * Reassembly of IPv4 and IPv6 fragments before connection tracking (what
 * act_ct gets from nf_defrag_ipv4/ipv6 in Linux): conntrack needs the
 * ports, which only the first fragment carries, and must see the datagram
 * once, not once per fragment.
 *
 * Fragments wait in a queue per datagram (zone, addresses, id, protocol).
 * When the last hole is filled, the datagram goes on as its first fragment
 * with the others chained on frag_next (see struct sk_buff): conntrack and
 * NAT work on the first one, and sending it sends them all.  A frame buffer
 * holds one fragment, so nothing is copied.
 *
 * Hostile input costs little and keeps nothing: an overlapping fragment
 * (RFC 5722; Linux drops them for IPv4 too) discards its whole datagram,
 * queues expire after nf_defrag_timeout, and each datapath thread holds at
 * most NF_DEFRAG_MAX_QUEUES datagrams and NF_DEFRAG_MAX_SKBS fragments; the
 * oldest datagram makes room.  Queues are per thread (a thread frees only
 * buffers of its own pool), so fragments of one datagram must reach one
 * thread: RSS hashes fragments on addresses only, as NICs do.
 */
#include <errno.h>
#include <netinet/in.h>
#include <linux/slab.h>
#include <linux/list.h>
#include <linux/jiffies.h>
#include <linux/netfilter.h>
#include <net/ipv6.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_defrag.h>

#define NF_DEFRAG_MAX_QUEUES	64
#define NF_DEFRAG_MAX_SKBS	256	/* a datapath pool has thousands */
#define NF_DEFRAG_MAX_FRAGS	64	/* per datagram: 64 KiB in 1 KiB pieces */
#define NF_DEFRAG_TIMEOUT_MS	30000	/* Linux's ipfrag_time */
#define IP_MAX_PAYLOAD		65535

struct nf_defrag_queue {
	struct list_head lru;		/* oldest first */
	u64 expires;
	u16 zone;
	u16 family;
	u8 protocol;
	u32 id;
	union nf_inet_addr saddr, daddr;
	struct sk_buff *fragments;	/* by offset, on frag_next */
	unsigned int len;		/* payload length, once the last fragment came */
	unsigned int meat;		/* payload bytes held */
	unsigned int nfrags;
};

struct nf_defrag_stats nf_defrag_stats_percpu[NR_CPUS];

static __thread struct list_head defrag_lru;	/* set up on first use */
static __thread unsigned int defrag_nqueues, defrag_nskbs;

/* what one fragment says about itself */
struct frag_info {
	u32 id;
	u8 protocol;
	bool more;
	unsigned int offset;		/* of its payload in the datagram */
	unsigned int plen;		/* payload bytes it carries */
	union nf_inet_addr saddr, daddr;
};

static int frag_info_ipv4(const struct sk_buff *skb, struct frag_info *fi)
{
	const u8 *nh = skb_network_header(skb);
	unsigned int ihl = (nh[0] & 0xf) * 4;
	u16 tot_len, frag, id;

	memcpy(&tot_len, nh + 2, 2);
	memcpy(&id, nh + 4, 2);
	memcpy(&frag, nh + 6, 2);
	tot_len = ntohs(tot_len);
	frag = ntohs(frag);
	if (!(frag & 0x3fff))
		return 0;			/* not a fragment */
	fi->id = ntohs(id);
	fi->protocol = nh[9];
	fi->more = frag & 0x2000;
	fi->offset = (frag & 0x1fff) * 8;
	fi->plen = tot_len - ihl;
	memset(&fi->saddr, 0, sizeof(fi->saddr));
	memset(&fi->daddr, 0, sizeof(fi->daddr));
	memcpy(&fi->saddr.ip, nh + 12, 4);
	memcpy(&fi->daddr.ip, nh + 16, 4);
	return 1;
}

static int frag_info_ipv6(const struct sk_buff *skb, struct frag_info *fi)
{
	const u8 *nh = skb_network_header(skb);
	unsigned int len = skb->data + skb->len - nh, fh;
	u16 plen, frag;
	u32 id;

	fh = ipv6_find_frag_hdr(nh, len);
	if (!fh)
		return 0;
	memcpy(&plen, nh + 4, 2);
	memcpy(&frag, nh + fh + 2, 2);
	memcpy(&id, nh + fh + 4, 4);
	plen = ntohs(plen);
	frag = ntohs(frag);
	if (40u + plen < fh + 8 || 40u + plen > len)
		return -EINVAL;
	fi->id = ntohl(id);
	fi->protocol = nh[fh];
	fi->more = frag & 1;
	fi->offset = frag & ~7;
	fi->plen = 40 + plen - fh - 8;
	memcpy(&fi->saddr.in6, nh + 8, 16);
	memcpy(&fi->daddr.in6, nh + 24, 16);
	/* an atomic fragment (offset 0, no more) is a whole datagram */
	return fi->offset || fi->more ? 1 : 0;
}

static void defrag_queue_kill(struct nf_defrag_queue *q)
{
	list_del(&q->lru);
	defrag_nqueues--;
	defrag_nskbs -= q->nfrags;
	kfree_skb(q->fragments);
	kfree(q);
}

/* expired queues go, and the oldest if there is no room */
static void defrag_evict(bool need_room)
{
	struct nf_defrag_queue *q, *tmp;
	u64 now = jiffies_ms();

	list_for_each_entry_safe(q, tmp, &defrag_lru, lru) {
		bool full = need_room && (defrag_nqueues >= NF_DEFRAG_MAX_QUEUES ||
					  defrag_nskbs >= NF_DEFRAG_MAX_SKBS);

		if ((s64)(now - q->expires) < 0 && !full)
			break;
		nf_defrag_stats_percpu[smp_processor_id()].evicted++;
		defrag_queue_kill(q);
	}
}

static struct nf_defrag_queue *defrag_find(u16 zone, u16 family, const struct frag_info *fi)
{
	struct nf_defrag_queue *q;

	list_for_each_entry(q, &defrag_lru, lru)
		if (q->id == fi->id && q->zone == zone && q->family == family &&
		    q->protocol == fi->protocol &&
		    !memcmp(&q->saddr, &fi->saddr, sizeof(q->saddr)) &&
		    !memcmp(&q->daddr, &fi->daddr, sizeof(q->daddr)))
			return q;
	if (defrag_nqueues >= NF_DEFRAG_MAX_QUEUES)
		defrag_evict(true);
	q = kzalloc(sizeof(*q), GFP_ATOMIC);
	if (!q)
		return NULL;
	q->zone = zone;
	q->family = family;
	q->protocol = fi->protocol;
	q->id = fi->id;
	q->saddr = fi->saddr;
	q->daddr = fi->daddr;
	q->expires = jiffies_ms() + NF_DEFRAG_TIMEOUT_MS;
	list_add_tail(&q->lru, &defrag_lru);
	defrag_nqueues++;
	return q;
}

/* the offset a queued fragment starts at (recomputed: not kept per skb) */
static unsigned int skb_frag_offset(const struct sk_buff *skb, u16 family)
{
	struct frag_info fi;

	if (family == NFPROTO_IPV4)
		frag_info_ipv4(skb, &fi);
	else
		frag_info_ipv6(skb, &fi);
	return fi.offset;
}

/* insert in offset order; false when it overlaps what is there */
static bool defrag_insert(struct nf_defrag_queue *q, struct sk_buff *skb,
			  const struct frag_info *fi)
{
	struct sk_buff **pp = &q->fragments, *prev = NULL;
	unsigned int end = fi->offset + fi->plen;

	while (*pp && skb_frag_offset(*pp, q->family) < fi->offset) {
		prev = *pp;
		pp = &(*pp)->frag_next;
	}
	if (prev) {
		struct frag_info pfi;

		if (q->family == NFPROTO_IPV4)
			frag_info_ipv4(prev, &pfi);
		else
			frag_info_ipv6(prev, &pfi);
		if (pfi.offset + pfi.plen > fi->offset)
			return false;
	}
	if (*pp && skb_frag_offset(*pp, q->family) < end)
		return false;
	skb->frag_next = *pp;
	*pp = skb;
	return true;
}

static void skb_swap_frame(struct sk_buff *a, struct sk_buff *b)
{
	struct sk_buff t = *a;

	a->head = b->head;
	a->data = b->data;
	a->len = b->len;
	a->mac_header = b->mac_header;
	a->network_header = b->network_header;
	a->transport_header = b->transport_header;
	b->head = t.head;
	b->data = t.data;
	b->len = t.len;
	b->mac_header = t.mac_header;
	b->network_header = t.network_header;
	b->transport_header = t.transport_header;
}

/*
 * The datagram is complete.  The skb that completed it becomes its head by
 * trading frame buffers with the first fragment (buffers of one pool are
 * interchangeable), so the caller's skb pointer stays valid.
 */
static void defrag_reasm(struct nf_defrag_queue *q, struct sk_buff *skb)
{
	struct sk_buff *frags[NF_DEFRAG_MAX_FRAGS], *f;
	unsigned int n = 0, i, k = 0;

	for (f = q->fragments; f; f = f->frag_next) {
		if (f == skb)
			k = n;
		frags[n++] = f;
	}
	if (k) {
		skb_swap_frame(frags[0], frags[k]);
		frags[k] = frags[0];
		frags[0] = skb;
	}
	for (i = 0; i < n; i++)
		frags[i]->frag_next = i + 1 < n ? frags[i + 1] : NULL;
	q->fragments = NULL;
	q->nfrags = 0;		/* the skbs left the queue with the datagram */
	defrag_queue_kill(q);
	skb->defragged = 1;
	skb->flow_key_valid = 0;
}

int nf_ct_defrag(struct sk_buff *skb, u16 zone, u16 family)
{
	struct nf_defrag_stats *st = &nf_defrag_stats_percpu[smp_processor_id()];
	struct nf_defrag_queue *q;
	struct frag_info fi;
	unsigned int end;
	int ret;

	if (skb->defragged)
		return 0;
	if (unlikely(!defrag_lru.next))
		INIT_LIST_HEAD(&defrag_lru);
	ret = family == NFPROTO_IPV4 ? frag_info_ipv4(skb, &fi) : frag_info_ipv6(skb, &fi);
	if (ret <= 0)
		return ret;
	st->fragments++;
	end = fi.offset + fi.plen;
	/* a non-last fragment is a multiple of 8 bytes; nothing beyond 64 KiB */
	if (end > IP_MAX_PAYLOAD || (fi.more && (fi.plen & 7)) || !fi.plen)
		goto bad;
	defrag_evict(defrag_nskbs >= NF_DEFRAG_MAX_SKBS);
	q = defrag_find(zone, family, &fi);
	if (!q)
		return -ENOMEM;
	if ((q->len && (end > q->len || (!fi.more && end != q->len))) ||
	    (!fi.more && q->meat > end) || q->nfrags >= NF_DEFRAG_MAX_FRAGS)
		goto bad_queue;
	nf_reset_ct(skb);
	if (!defrag_insert(q, skb, &fi))
		goto bad_queue;
	if (!fi.more)
		q->len = end;
	q->meat += fi.plen;
	q->nfrags++;
	defrag_nskbs++;
	if (q->len && q->meat == q->len) {
		defrag_nskbs -= q->nfrags;
		defrag_reasm(q, skb);
		st->reassembled++;
		return 0;
	}
	return -EINPROGRESS;

bad_queue:
	/* overlaps and contradictions discard the whole datagram */
	defrag_queue_kill(q);
bad:
	st->invalid++;
	return -EINVAL;
}

void nf_defrag_flush(void)
{
	if (!defrag_lru.next)
		return;
	while (!list_empty(&defrag_lru))
		defrag_queue_kill(list_first_entry(&defrag_lru, struct nf_defrag_queue, lru));
}
