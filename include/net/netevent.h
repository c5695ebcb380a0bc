/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Network events for drivers (include/net/netevent.h): a neighbour
 * changed state or address.  mlx5 listens to re-point its encap rules.
 */
#ifndef _NET_EVENT_H
#define _NET_EVENT_H

struct notifier_block;

enum netevent_notif_type {
	NETEVENT_NEIGH_UPDATE = 1,	/* arg is struct neighbour ptr */
	NETEVENT_REDIRECT,
	NETEVENT_DELAY_PROBE_TIME_UPDATE,
	NETEVENT_IPV4_MPATH_HASH_UPDATE,
	NETEVENT_IPV6_MPATH_HASH_UPDATE,
	NETEVENT_IPV4_FWD_UPDATE_PRIORITY_UPDATE,
};

int register_netevent_notifier(struct notifier_block *nb);
int unregister_netevent_notifier(struct notifier_block *nb);
int call_netevent_notifiers(unsigned long val, void *v);

#endif
