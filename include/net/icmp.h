/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ICMP for the host stack (net/ipv4/icmp.c, net/ipv6/icmp.c): local
 * delivery hands them ICMP/ICMPv6 addressed to us, skb->data at the
 * Ethernet header, network_header and transport_header set.  Echo
 * requests are answered (through the route and neighbour of the
 * sender); ICMPv6 neighbour discovery goes to ndisc.c.  Consume skb.
 */
#ifndef _NET_ICMP_H
#define _NET_ICMP_H

#include <linux/skbuff.h>

struct net_device;

int icmp_rcv(struct sk_buff *skb, struct net_device *dev);
int icmpv6_rcv(struct sk_buff *skb, struct net_device *dev);
/* ndisc.c: an NS or NA (ICMPv6 checksum already checked) */
int ndisc_rcv(struct sk_buff *skb, struct net_device *dev);

#endif
