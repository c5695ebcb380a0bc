/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IP protocol numbers (include/net/protocol.h keeps the kernel's table of
 * them): here only their names, as iproute2, ethtool and conntrack print
 * them, for the dumps and explanations that show a protocol.
 */
#ifndef _NET_PROTOCOL_H
#define _NET_PROTOCOL_H

#include <netinet/in.h>
#include <linux/compiler.h>

/* "tcp", "udp", ... or NULL for a protocol printed as its number */
static inline const char *inet_proto_name(u8 proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return "tcp";
	case IPPROTO_UDP:
		return "udp";
	case IPPROTO_ICMP:
		return "icmp";
	case IPPROTO_ICMPV6:
		return "icmpv6";
	case IPPROTO_GRE:
		return "gre";
	default:
		return NULL;
	}
}

#endif
