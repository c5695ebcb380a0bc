/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Conntrack events (net/netfilter/nf_conntrack_ecache.c).  Datapath threads
 * queue (event mask, a copy of the connection as it is); the control thread
 * delivers them to the registered notifier (ctnetlink), which multicasts
 * them to `conntrack -E` listeners.  Nothing is queued while nobody
 * listens, and a full queue loses events as a full netlink socket would.
 */
#ifndef _NF_CONNTRACK_ECACHE_H
#define _NF_CONNTRACK_ECACHE_H

#include <net/netfilter/nf_conntrack.h>

struct nf_ct_event {
	struct nf_conn *ct;	/* a snapshot: read it, never look it up or free it */
	u32 portid;		/* who caused it (ctnetlink requests), 0 for packets */
	int report;		/* NLM_F_ECHO-style: also to portid */
};

struct nf_ct_event_notifier {
	/* control thread; events is a mask of 1 << IPCT_* */
	int (*ct_event)(unsigned int events, const struct nf_ct_event *item);
	/* is anyone listening for these events (cheap, read by datapath threads) */
	bool (*has_listeners)(unsigned int events);
};

void nf_conntrack_register_notifier(const struct nf_ct_event_notifier *nb);
void nf_conntrack_unregister_notifier(void);

/* queue an event for ct (copies it); safe from any thread */
void nf_conntrack_event_report(enum ip_conntrack_events event, struct nf_conn *ct,
			       u32 portid, int report);
static inline void nf_conntrack_event(enum ip_conntrack_events event, struct nf_conn *ct)
{
	nf_conntrack_event_report(event, ct, 0, 0);
}
/* the mask form: one message for several events (IPCT_NEW | IPCT_ASSURED...) */
void nf_conntrack_eventmask_report(unsigned int eventmask, struct nf_conn *ct,
				   u32 portid, int report);

/*
 * What a packet does to a connection is cached on it (IPCT_PROTOINFO when
 * the TCP state moves, IPCT_ASSURED, IPCT_MARK, ...) and sent as one event
 * by nf_ct_deliver_cached_events(), which nf_conntrack_in() calls for a
 * confirmed connection and nf_conntrack_confirm() after the insert.
 */
static inline void nf_conntrack_event_cache(enum ip_conntrack_events event, struct nf_conn *ct)
{
	__atomic_fetch_or(&ct->ecache, 1U << event, __ATOMIC_RELAXED);
}
void nf_ct_deliver_cached_events(struct nf_conn *ct);

/* control thread: deliver what is queued */
void nf_conntrack_ecache_deliver(void);
/* serve the queue from the netlink server's control thread */
int nf_conntrack_ecache_start(void);

#endif
