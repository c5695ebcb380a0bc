/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IPv6 helpers shared by conntrack, NAT, the parsers (net/ipv6/exthdrs_core.c)
 * and the host stack (addresses and routes).
 */
#ifndef _NET_IPV6_H
#define _NET_IPV6_H

#include <string.h>
#include <netinet/in.h>
#include <linux/compiler.h>

/* a and b agree on their first plen bits */
static inline bool ipv6_prefix_equal(const struct in6_addr *a, const struct in6_addr *b,
				     unsigned int plen)
{
	unsigned int bytes = plen / 8, bits = plen % 8;

	if (memcmp(a, b, bytes))
		return false;
	return !bits || !((a->s6_addr[bytes] ^ b->s6_addr[bytes]) & (0xff00 >> bits));
}

/* a is :: */
static inline bool ipv6_addr_any(const struct in6_addr *a)
{
	static const struct in6_addr any;

	return !memcmp(a, &any, sizeof(any));
}

/*
 * Skip the extension headers of the IPv6 packet whose fixed header is at
 * data (len bytes from there): returns the offset of the upper-layer
 * header from data and sets *nexthdr, or -1 for a truncated chain.  A
 * non-first fragment stops at its fragment header (*frag_off nonzero):
 * what follows is payload, not headers.
 */
int ipv6_skip_exthdr(const u8 *data, unsigned int len, u8 *nexthdr, u16 *frag_off);
/* the offset from data of the packet's fragment header, or 0 if it has none */
unsigned int ipv6_find_frag_hdr(const u8 *data, unsigned int len);

#endif
