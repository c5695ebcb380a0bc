// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include <netinet/in.h>
#include <net/ipv6.h>

#define IPV6_HDRLEN		40
#define IPV6_MAX_EXTHDRS	8	/* more is an attack, not a packet */

/* the walk behind both helpers; *fhoff: where a fragment header was passed, or 0 */
static int ipv6_walk_exthdrs(const u8 *data, unsigned int len, u8 *nexthdr, u16 *frag_off,
			     unsigned int *fhoff)
{
	unsigned int off = IPV6_HDRLEN, n;
	u8 nh;

	*fhoff = 0;
	*frag_off = 0;
	if (len < IPV6_HDRLEN)
		return -1;
	nh = data[6];
	for (n = 0; n <= IPV6_MAX_EXTHDRS; n++) {
		unsigned int hlen;

		switch (nh) {
		case IPPROTO_HOPOPTS:
		case IPPROTO_ROUTING:
		case IPPROTO_DSTOPTS:
		case IPPROTO_AH:
			if (off + 2 > len)
				return -1;
			hlen = nh == IPPROTO_AH ? (data[off + 1] + 2) * 4 : (data[off + 1] + 1) * 8;
			break;
		case IPPROTO_FRAGMENT: {
			u16 fo;

			if (off + 8 > len)
				return -1;
			memcpy(&fo, data + off + 2, 2);
			*frag_off = ntohs(fo) & ~0x7;
			*fhoff = off;
			hlen = 8;
			if (*frag_off) {
				*nexthdr = data[off];
				return off + hlen;
			}
			break;
		}
		default:
			*nexthdr = nh;
			return off;
		}
		if (off + hlen > len)
			return -1;
		nh = data[off];
		off += hlen;
	}
	return -1;
}

int ipv6_skip_exthdr(const u8 *data, unsigned int len, u8 *nexthdr, u16 *frag_off)
{
	unsigned int fhoff;

	return ipv6_walk_exthdrs(data, len, nexthdr, frag_off, &fhoff);
}

unsigned int ipv6_find_frag_hdr(const u8 *data, unsigned int len)
{
	unsigned int fhoff;
	u16 frag_off;
	u8 nexthdr;

	ipv6_walk_exthdrs(data, len, &nexthdr, &frag_off, &fhoff);
	return fhoff;
}
