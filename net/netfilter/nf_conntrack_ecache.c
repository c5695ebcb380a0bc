// SPDX-License-Identifier: GPL-2.0
/*
 * Conntrack events: datapath threads queue them, the control thread (which
 * owns the netlink clients) delivers them.  The queue is a bounded ring
 * under a mutex: events are per connection change, not per packet, and
 * nothing is queued unless a listener exists.  An eventfd wakes the
 * control thread.
 */
#include <pthread.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <net/netlink_server.h>
#include <net/netfilter/nf_conntrack_ecache.h>

#define NF_CT_EVENT_RING	8192

/*
 * An event carries a copy of the connection as it was when the event
 * happened: Linux builds the message then, from the packet's path, and
 * later packets must not show through (a NEW seen as already replied).
 */
struct nf_ct_event_entry {
	unsigned int events;
	struct nf_ct_event item;
	struct nf_conn snap;
};

static const struct nf_ct_event_notifier *nf_ct_notifier;
static pthread_mutex_t ecache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct nf_ct_event_entry ecache_ring[NF_CT_EVENT_RING];
static unsigned int ecache_head, ecache_tail;	/* tail - head = queued */
static int ecache_efd = -1;
static u64 ecache_lost;

void nf_conntrack_register_notifier(const struct nf_ct_event_notifier *nb)
{
	WRITE_ONCE(nf_ct_notifier, nb);
}

void nf_conntrack_unregister_notifier(void)
{
	WRITE_ONCE(nf_ct_notifier, NULL);
}

void nf_conntrack_eventmask_report(unsigned int eventmask, struct nf_conn *ct,
				   u32 portid, int report)
{
	const struct nf_ct_event_notifier *nb = READ_ONCE(nf_ct_notifier);
	struct nf_ct_event_entry *e;
	u64 one = 1;

	if (!eventmask || !nb || !nf_ct_net.events || !nb->has_listeners(eventmask))
		return;
	pthread_mutex_lock(&ecache_lock);
	if (ecache_tail - ecache_head == NF_CT_EVENT_RING) {
		ecache_lost++;
		pthread_mutex_unlock(&ecache_lock);
		return;
	}
	e = &ecache_ring[ecache_tail++ % NF_CT_EVENT_RING];
	e->events = eventmask;
	e->item.ct = &e->snap;
	e->item.portid = portid;
	e->item.report = report;
	spin_lock(&ct->lock);
	e->snap = *ct;
	spin_unlock(&ct->lock);
	spin_lock_init(&e->snap.lock);	/* copied while held */
	pthread_mutex_unlock(&ecache_lock);
	if (ecache_efd >= 0 && write(ecache_efd, &one, sizeof(one)) < 0)
		return;		/* the counter is saturated: a wakeup is pending anyway */
}

void nf_conntrack_event_report(enum ip_conntrack_events event, struct nf_conn *ct,
			       u32 portid, int report)
{
	nf_conntrack_eventmask_report(1U << event, ct, portid, report);
}

void nf_ct_deliver_cached_events(struct nf_conn *ct)
{
	unsigned int events;

	if (likely(!READ_ONCE(ct->ecache)))
		return;
	/* a connection on its way out said DESTROY already: nothing after it */
	if (nf_ct_is_dying(ct))
		return;
	events = __atomic_exchange_n(&ct->ecache, 0, __ATOMIC_RELAXED);
	nf_conntrack_eventmask_report(events, ct, 0, 0);
}

void nf_conntrack_ecache_deliver(void)
{
	static struct nf_ct_event_entry e;	/* the control thread's, and large */

	for (;;) {
		const struct nf_ct_event_notifier *nb;

		pthread_mutex_lock(&ecache_lock);
		if (ecache_head == ecache_tail) {
			pthread_mutex_unlock(&ecache_lock);
			return;
		}
		e = ecache_ring[ecache_head++ % NF_CT_EVENT_RING];
		e.item.ct = &e.snap;
		pthread_mutex_unlock(&ecache_lock);
		nb = READ_ONCE(nf_ct_notifier);
		if (nb) {
			rcu_read_lock();
			nb->ct_event(e.events, &e.item);
			rcu_read_unlock();
		}
	}
}

static void ecache_wakeup(void *arg)
{
	u64 n;

	if (read(ecache_efd, &n, sizeof(n)) < 0)
		return;
	nf_conntrack_ecache_deliver();
}

int nf_conntrack_ecache_start(void)
{
	ecache_efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (ecache_efd < 0)
		return -errno;
	return nl_server_add_fd(ecache_efd, ecache_wakeup, NULL);
}
