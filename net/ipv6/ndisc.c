// SPDX-License-Identifier: GPL-2.0
/*
 * Neighbour discovery (net/ipv6/ndisc.c), address resolution only:
 * nd_tbl's solicit (an NS to the target's solicited-node group with our
 * link-layer address, or unicast to re-check a known one), NAs for NS
 * that ask for our addresses (solicited, override, with our link-layer
 * address), and learning: the sender of an NS to us becomes STALE, an NA
 * updates an existing entry (REACHABLE when solicited).  No router
 * discovery, no redirects, no DAD.  Runs on the receiving datapath thread.
 */
#include <arpa/inet.h>
#include <netinet/ip6.h>
#include <netinet/icmp6.h>
#include <linux/if_ether.h>
#include <linux/netdev.h>
#include <net/addrconf.h>
#include <net/checksum.h>
#include <net/icmp.h>
#include <net/neighbour.h>
#include <net/pkt_trace.h>

#define ND_OPT_LEN_ETH	8	/* type, length (in 8 bytes), MAC */

static void ndisc_solicit(struct neighbour *n);

struct neigh_table nd_tbl = {
	.family = AF_INET6,
	.key_len = 16,
	.id = "ndisc_cache",
	.solicit = ndisc_solicit,
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.entries = { &nd_tbl.entries, &nd_tbl.entries },
};

/* an NS or NA (type) about target, with our address in option opt_type */
static void ndisc_send(struct net_device *dev, const unsigned char *dest_ha,
		       const struct in6_addr *saddr, const struct in6_addr *daddr,
		       u8 type, u32 na_flags, const struct in6_addr *target, u8 opt_type)
{
	struct sk_buff *skb = skb_local_pool ? alloc_skb(skb_local_pool) : NULL;
	unsigned int len = sizeof(struct icmp6_hdr) + 16 + ND_OPT_LEN_ETH;
	struct icmp6_hdr *icmph;
	struct ip6_hdr *ip6h;
	u8 *opt;

	if (!skb)
		return;
	ip6h = (struct ip6_hdr *)skb->data;
	memset(ip6h, 0, sizeof(*ip6h) + len);
	ip6h->ip6_vfc = 6 << 4;
	ip6h->ip6_plen = htons(len);
	ip6h->ip6_nxt = IPPROTO_ICMPV6;
	ip6h->ip6_hlim = 255;		/* RFC 4861: proves the sender is on link */
	ip6h->ip6_src = *saddr;
	ip6h->ip6_dst = *daddr;
	icmph = (struct icmp6_hdr *)(ip6h + 1);
	icmph->icmp6_type = type;
	icmph->icmp6_data32[0] = na_flags;
	memcpy(icmph + 1, target, 16);
	opt = (u8 *)(icmph + 1) + 16;
	opt[0] = opt_type;
	opt[1] = 1;
	memcpy(opt + 2, dev->dev_addr, ETH_ALEN);
	icmph->icmp6_cksum = csum_ipv6_magic(saddr, daddr, len, IPPROTO_ICMPV6,
					     csum_partial(icmph, len, 0));
	skb->len = sizeof(*ip6h) + len;
	skb->protocol = htons(ETH_P_IPV6);
	skb->network_header = skb->data - skb->head;
	neigh_xmit_ha(dev, dest_ha, skb);
}

static void ndisc_solicit(struct neighbour *n)
{
	struct in6_addr target, saddr, daddr = { .s6_addr = { 0xff, 0x02, [11] = 1, [12] = 0xff } };
	unsigned char dest[ETH_ALEN] = { 0x33, 0x33, 0xff };
	int err;

	memcpy(&target, n->primary_key, 16);
	rcu_read_lock();
	err = ipv6_dev_get_saddr(n->dev, &target, &saddr);
	rcu_read_unlock();
	if (err)
		return;
	if (neigh_valid(n)) {
		/* re-checking a known address (PROBE) asks its owner directly */
		neigh_ha_snapshot(dest, n);
		daddr = target;
	} else {
		memcpy(&daddr.s6_addr[13], &target.s6_addr[13], 3);
		memcpy(dest + 3, &target.s6_addr[13], 3);
	}
	ndisc_send(n->dev, dest, &saddr, &daddr, ND_NEIGHBOR_SOLICIT, 0, &target,
		   ND_OPT_SOURCE_LINKADDR);
}

/* the link-layer address option of type opt_type in the options at opt */
static const u8 *ndisc_find_lladdr(const u8 *opt, unsigned int len, u8 opt_type)
{
	while (len >= 8) {
		unsigned int olen = opt[1] * 8;

		if (!olen || olen > len)
			return NULL;
		if (opt[0] == opt_type && olen >= 2 + ETH_ALEN)
			return opt + 2;
		opt += olen;
		len -= olen;
	}
	return NULL;
}

static void ndisc_learn(struct net_device *dev, const struct in6_addr *addr, const u8 *lladdr,
			bool create, u8 state, u32 flags)
{
	struct neighbour *n;

	n = create ? neigh_lookup_create(&nd_tbl, addr, dev) : neigh_lookup(&nd_tbl, addr, dev);
	if (!n)
		return;
	neigh_update(n, lladdr, state, flags);
	neigh_release(n);
}

static void ndisc_recv_ns(struct sk_buff *skb, struct net_device *dev,
			  const struct ip6_hdr *ip6h, const struct in6_addr *target,
			  const u8 *opts, unsigned int optlen)
{
	static const struct in6_addr any, all_nodes = { .s6_addr = { 0xff, 0x02, [15] = 1 } };
	const u8 *lladdr = ndisc_find_lladdr(opts, optlen, ND_OPT_SOURCE_LINKADDR);
	bool dad = !memcmp(&ip6h->ip6_src, &any, 16);
	const unsigned char *dest;

	if (!ipv6_addr_is_local(dev, target))
		return;
	if (lladdr && !dad)
		ndisc_learn(dev, &ip6h->ip6_src, lladdr, true, NUD_STALE, NEIGH_UPDATE_F_OVERRIDE);
	dest = lladdr ? lladdr : skb_mac_header(skb) + ETH_ALEN;
	/* a DAD probe gets an unsolicited answer to all nodes (RFC 4861 7.2.4) */
	ndisc_send(dev, dest, target, dad ? &all_nodes : &ip6h->ip6_src, ND_NEIGHBOR_ADVERT,
		   dad ? ND_NA_FLAG_OVERRIDE : ND_NA_FLAG_SOLICITED | ND_NA_FLAG_OVERRIDE,
		   target, ND_OPT_TARGET_LINKADDR);
}

static void ndisc_recv_na(struct net_device *dev, const struct icmp6_hdr *icmph,
			  const struct in6_addr *target, const u8 *opts, unsigned int optlen)
{
	const u8 *lladdr = ndisc_find_lladdr(opts, optlen, ND_OPT_TARGET_LINKADDR);
	u32 flags = icmph->icmp6_data32[0];

	/*
	 * The answer to a unicast NS (our PROBE) may leave the option out
	 * (Linux's does): it confirms the address we have.
	 */
	ndisc_learn(dev, target, lladdr, false,
		    flags & ND_NA_FLAG_SOLICITED ? NUD_REACHABLE : NUD_STALE,
		    flags & ND_NA_FLAG_OVERRIDE ? NEIGH_UPDATE_F_OVERRIDE : 0);
}

int ndisc_rcv(struct sk_buff *skb, struct net_device *dev)
{
	const u8 *opts = skb_transport_header(skb) + sizeof(struct icmp6_hdr) + 16;
	struct in6_addr target;
	struct icmp6_hdr icmph;
	struct ip6_hdr ip6h;
	unsigned int len;

	/* read through copies: the headers of a received frame are not aligned */
	memcpy(&ip6h, skb_network_header(skb), sizeof(ip6h));
	memcpy(&icmph, skb_transport_header(skb), sizeof(icmph));
	len = sizeof(ip6h) + ntohs(ip6h.ip6_plen) - (skb->transport_header - skb->network_header);
	if (ip6h.ip6_hlim != 255 || icmph.icmp6_code || len < sizeof(icmph) + 16) {
		kfree_skb_reason(skb, SKB_DROP_REASON_UNHANDLED_PROTO);
		return 0;
	}
	memcpy(&target, skb_transport_header(skb) + sizeof(icmph), 16);
	if (unlikely(skb->trace)) {
		char addr[INET6_ADDRSTRLEN];

		inet_ntop(AF_INET6, &target, addr, sizeof(addr));
		pkt_trace(skb, "stack", "\"dev\":\"%s\",\"proto\":\"ipv6\",\"what\":\"%s %s\"", dev->name,
			  icmph.icmp6_type == ND_NEIGHBOR_SOLICIT ?
			  "neighbour solicitation (an advertisement answers if it is ours) for" :
			  "neighbour advertisement: neighbour updated for", addr);
	}
	if (icmph.icmp6_type == ND_NEIGHBOR_SOLICIT)
		ndisc_recv_ns(skb, dev, &ip6h, &target, opts, len - sizeof(icmph) - 16);
	else
		ndisc_recv_na(dev, &icmph, &target, opts, len - sizeof(icmph) - 16);
	consume_skb(skb);
	return 0;
}
