// SPDX-License-Identifier: GPL-2.0
/* Protocols without a tracker: addresses and protocol number only. */
#include <net/netfilter/nf_conntrack_l4proto.h>

int nf_conntrack_generic_packet(struct nf_conn *ct, struct sk_buff *skb,
				unsigned int dataoff, enum ip_conntrack_info ctinfo)
{
	nf_ct_refresh_acct(ct, ctinfo, skb, nf_ct_net.generic_timeout * 1000ULL);
	return NF_ACCEPT;
}
