// SPDX-License-Identifier: GPL-2.0
/*
 * Internet checksum arithmetic.  The sum is kept in host order over 16-bit
 * words read in memory (network) order, so a folded result can be stored
 * into a header as is.
 */
#include <string.h>
#include <net/checksum.h>

__wsum csum_partial(const void *buf, int len, __wsum wsum)
{
	const unsigned char *p = buf;
	u64 sum = wsum;
	u32 w;

	while (len >= 4) {
		memcpy(&w, p, 4);
		sum += w;
		p += 4;
		len -= 4;
	}
	if (len >= 2) {
		u16 h;

		memcpy(&h, p, 2);
		sum += h;
		p += 2;
		len -= 2;
	}
	if (len) {
		u16 h = 0;

		memcpy(&h, p, 1);	/* the odd byte is the high-order (first) byte */
		sum += h;
	}
	sum = (sum & 0xffffffff) + (sum >> 32);
	sum = (sum & 0xffffffff) + (sum >> 32);
	return (__wsum)sum;
}

__wsum csum_tcpudp_nofold(__be32 saddr, __be32 daddr, u32 len, u8 proto, __wsum sum)
{
	u64 s = sum;

	s += saddr;
	s += daddr;
	s += htonl(len);
	s += htonl(proto);
	s = (s & 0xffffffff) + (s >> 32);
	s = (s & 0xffffffff) + (s >> 32);
	return (__wsum)s;
}

__sum16 csum_ipv6_magic(const struct in6_addr *saddr, const struct in6_addr *daddr,
			u32 len, u8 proto, __wsum sum)
{
	__wsum s = csum_partial(saddr, 16, sum);

	s = csum_partial(daddr, 16, s);
	s = csum_add(s, htonl(len));
	s = csum_add(s, htonl(proto));
	return csum_fold(s);
}

/* RFC 1624: HC' = ~(~HC + ~m + m') */
void csum_replace4(__sum16 *sum, __be32 from, __be32 to)
{
	__wsum s = csum_add(csum_sub(~csum_unfold(*sum) & 0xffff, from), to);

	*sum = csum_fold(s);
}

void csum_replace2(__sum16 *sum, __be16 from, __be16 to)
{
	__wsum s = csum_add(csum_sub(~csum_unfold(*sum) & 0xffff, from), to);

	*sum = csum_fold(s);
}

void inet_proto_csum_replace4(__sum16 *sum, __be32 from, __be32 to, bool pseudohdr)
{
	(void)pseudohdr;
	csum_replace4(sum, from, to);
}

void inet_proto_csum_replace2(__sum16 *sum, __be16 from, __be16 to, bool pseudohdr)
{
	(void)pseudohdr;
	csum_replace2(sum, from, to);
}

void inet_proto_csum_replace16(__sum16 *sum, const __be32 *from, const __be32 *to,
			       bool pseudohdr)
{
	int i;

	(void)pseudohdr;
	for (i = 0; i < 4; i++)
		csum_replace4(sum, from[i], to[i]);
}
