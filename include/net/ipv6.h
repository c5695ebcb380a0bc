/* SPDX-License-Identifier: GPL-2.0 */
/* IPv6 helpers shared by conntrack, NAT and the parsers (net/ipv6/exthdrs_core.c). */
#ifndef _NET_IPV6_H
#define _NET_IPV6_H

#include <linux/compiler.h>

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
