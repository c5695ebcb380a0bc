/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Internet checksum (RFC 1071) with the kernel's helpers: a full sum
 * (csum_partial), the pseudo-header sums, and the incremental updates
 * (RFC 1624) that NAT uses to fix a checksum after rewriting a field.
 * __wsum is a 32-bit unfolded sum, __sum16 the folded, complemented
 * 16-bit value as it sits in a header.
 */
#ifndef _NET_CHECKSUM_H
#define _NET_CHECKSUM_H

#include <linux/compiler.h>
#include <netinet/in.h>

typedef u32 __wsum;
typedef u16 __sum16;

__wsum csum_partial(const void *buf, int len, __wsum sum);

static inline __wsum csum_add(__wsum csum, __wsum addend)
{
	u32 res = csum + addend;

	return res + (res < addend);
}
static inline __wsum csum_sub(__wsum csum, __wsum addend)
{
	return csum_add(csum, ~addend);
}
static inline __sum16 csum_fold(__wsum csum)
{
	u32 sum = csum;

	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__sum16)~sum;
}
static inline __wsum csum_unfold(__sum16 n)
{
	return (__wsum)n;
}

/* IPv4 header checksum over ihl 32-bit words */
static inline __sum16 ip_fast_csum(const void *iph, unsigned int ihl)
{
	return csum_fold(csum_partial(iph, ihl * 4, 0));
}

/* pseudo-header sums; addresses and the result in network order */
__wsum csum_tcpudp_nofold(__be32 saddr, __be32 daddr, u32 len, u8 proto, __wsum sum);
static inline __sum16 csum_tcpudp_magic(__be32 saddr, __be32 daddr, u32 len, u8 proto,
					__wsum sum)
{
	return csum_fold(csum_tcpudp_nofold(saddr, daddr, len, proto, sum));
}
__sum16 csum_ipv6_magic(const struct in6_addr *saddr, const struct in6_addr *daddr,
			u32 len, u8 proto, __wsum sum);

/* incremental updates of a folded checksum in place (RFC 1624, eqn. 3) */
void csum_replace4(__sum16 *sum, __be32 from, __be32 to);
void csum_replace2(__sum16 *sum, __be16 from, __be16 to);
/*
 * The same for a transport checksum: with pseudohdr, the field is also part
 * of the pseudo-header (an address), which the kernel skips when the device
 * would complete a partial checksum; we always carry full checksums.
 */
void inet_proto_csum_replace4(__sum16 *sum, __be32 from, __be32 to, bool pseudohdr);
void inet_proto_csum_replace2(__sum16 *sum, __be16 from, __be16 to, bool pseudohdr);
void inet_proto_csum_replace16(__sum16 *sum, const __be32 *from, const __be32 *to,
			       bool pseudohdr);

#endif
