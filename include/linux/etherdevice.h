/* SPDX-License-Identifier: GPL-2.0 */
/* Ethernet helpers (net/ethernet/eth.c). */
#ifndef _LINUX_ETHERDEVICE_H
#define _LINUX_ETHERDEVICE_H

#include <linux/skbuff.h>

struct net_device;

/*
 * The protocol of a received frame, for skb->protocol: the first type
 * field (the outer TPID of a tagged frame), or ETH_P_802_3/802_2 when that
 * field is a length.  Unlike the kernel's, it leaves skb->data at the MAC
 * header: here frames are always handled from their first byte.
 */
__be16 eth_type_trans(struct sk_buff *skb, struct net_device *dev);

#endif
