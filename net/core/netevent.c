// SPDX-License-Identifier: GPL-2.0
/*
 * Network event notifiers (net/core/netevent.c): drivers that program
 * next hops into hardware (mlx5's encap entries) learn here that a
 * neighbour resolved, changed address or failed.  Events come from the
 * datapath (ARP/ND replies) as well as from `ip neigh`, hence an atomic
 * chain.
 */
#include <linux/notifier.h>
#include <net/netevent.h>

static ATOMIC_NOTIFIER_HEAD(netevent_notif_chain);

int register_netevent_notifier(struct notifier_block *nb)
{
	return atomic_notifier_chain_register(&netevent_notif_chain, nb);
}

int unregister_netevent_notifier(struct notifier_block *nb)
{
	return atomic_notifier_chain_unregister(&netevent_notif_chain, nb);
}

int call_netevent_notifiers(unsigned long val, void *v)
{
	return atomic_notifier_call_chain(&netevent_notif_chain, val, v);
}
