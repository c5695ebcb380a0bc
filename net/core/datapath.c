// SPDX-License-Identifier: GPL-2.0
/*
 * The datapath threads: each runs an epoll loop over the fds of the rx
 * queues it was given; queues without an fd (generator, pcap replay) are
 * polled while they have frames.  Each burst goes to the port's rx_handler
 * (the eswitch vport).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <linux/slab.h>
#include <linux/rcupdate.h>
#include <linux/jiffies.h>
#include <net/datapath.h>
#include <net/pkt_trace.h>

#define DP_BURSTS_PER_WAKE	8	/* fairness between busy queues */
#define DP_QUOTA		(DP_BURSTS_PER_WAKE * SKB_BURST)
#define DP_MAX_RXQS		64	/* (port, queue) pairs per thread */

struct dp_rxq {
	struct port *port;
	unsigned int queue;
	bool polled;			/* no fd: call rx_burst while it gives frames */
	bool active;
};

struct dp_thread {
	pthread_t tid;
	struct datapath *dp;
	unsigned int index;
	struct dp_rxq rxqs[DP_MAX_RXQS];
	int nrxqs;
	int epfd;
	int ctlfd;			/* wakes the thread for dp_call / dp_pause */
};

struct datapath {
	unsigned int nthreads;
	int stopfd;			/* readable for good: every thread sees it */
	struct dp_thread threads[DP_MAX_THREADS];
	/* requests from the control thread, under ctl_lock */
	pthread_mutex_t ctl_lock;
	pthread_cond_t ctl_done;
	void (*call_fn)(void *arg);	/* run by thread 0 */
	void *call_arg;
	bool pause_req;
	unsigned int npaused;
};

/* the datapath trace requests go to (the last one started) */
static struct datapath *dp_current;

static int dp_port_rx(struct port *p, unsigned int queue, struct skb_pool *pool)
{
	struct sk_buff *skbs[SKB_BURST];
	int i, n, total = 0;

	for (i = 0; i < DP_BURSTS_PER_WAKE; i++) {
		bool live;

		n = port_rx_burst(p, queue, skbs, SKB_BURST, pool);
		if (n <= 0)
			break;
		rcu_read_lock();
		jiffies_burst_begin();
		live = READ_ONCE(pkt_trace_live_port) == p;
		if (unlikely(live))
			pkt_trace_live_rx(p, skbs, n);
		port_xmit_batching = true;
		p->rx_handler(p, skbs, n);
		port_xmit_batching = false;
		port_flush_all();
		if (unlikely(live))
			pkt_trace_live_done();
		jiffies_burst_end();
		rcu_read_unlock();
		total += n;
		if (n < SKB_BURST)
			break;
	}
	return total;
}

int dp_poll_once(struct port **ports, int nports, unsigned int queue, struct skb_pool *pool)
{
	int i, total = 0;

	for (i = 0; i < nports; i++)
		total += dp_port_rx(ports[i], queue, pool);
	return total;
}

/* between bursts: a call to run, or a pause to hold still in */
static void dp_thread_ctl(struct dp_thread *t)
{
	struct datapath *dp = t->dp;
	u64 v;

	if (read(t->ctlfd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		return;
	pthread_mutex_lock(&dp->ctl_lock);
	if (dp->call_fn && t->index == 0) {
		rcu_read_lock();
		jiffies_burst_begin();
		dp->call_fn(dp->call_arg);
		jiffies_burst_end();
		rcu_read_unlock();
		dp->call_fn = NULL;
		pthread_cond_broadcast(&dp->ctl_done);
	}
	if (dp->pause_req) {
		/* quiescent: outside rcu_read_lock(), no lock of ours held */
		dp->npaused++;
		pthread_cond_broadcast(&dp->ctl_done);
		while (dp->pause_req)
			pthread_cond_wait(&dp->ctl_done, &dp->ctl_lock);
		dp->npaused--;
	}
	pthread_mutex_unlock(&dp->ctl_lock);
}

static void *dp_thread_fn(void *arg)
{
	struct dp_thread *t = arg;
	struct epoll_event evs[64];
	struct skb_pool pool;
	int i, n;

	rcu_register_thread();
	if (skb_pool_init(&pool, DP_POOL_SKBS)) {
		fprintf(stderr, "ctoffloadd: no memory for the packet pool\n");
		rcu_unregister_thread();
		return NULL;
	}
	skb_local_pool = &pool;
	for (;;) {
		bool busy = false;

		for (i = 0; i < t->nrxqs; i++)
			busy |= t->rxqs[i].active;
		n = epoll_wait(t->epfd, evs, ARRAY_SIZE(evs), busy ? 0 : 200);
		for (i = 0; i < n; i++) {
			struct dp_rxq *rxq = evs[i].data.ptr;

			if (evs[i].data.ptr == t->dp)
				goto out;
			if (evs[i].data.ptr == &t->ctlfd) {
				dp_thread_ctl(t);
				continue;
			}
			/*
			 * A queue that filled its quota may hold more than
			 * its fd says (a TAP's segments of one 64 KB frame):
			 * polled again until it gives less.
			 */
			if (dp_port_rx(rxq->port, rxq->queue, &pool) == DP_QUOTA)
				rxq->active = true;
		}
		for (i = 0; i < t->nrxqs; i++) {
			struct dp_rxq *rxq = &t->rxqs[i];
			int got;

			if (!rxq->active)
				continue;
			got = dp_port_rx(rxq->port, rxq->queue, &pool);
			if (rxq->polled ? !got : got < DP_QUOTA)
				rxq->active = false;	/* e.g. a replayed capture ended */
		}
	}
out:
	skb_local_pool = NULL;
	skb_pool_destroy(&pool);
	rcu_unregister_thread();
	return NULL;
}

static int dp_thread_add_rxq(struct dp_thread *t, struct port *p, unsigned int queue)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct dp_rxq *rxq;

	if (t->nrxqs == DP_MAX_RXQS)
		return -ENOSPC;
	rxq = &t->rxqs[t->nrxqs++];
	rxq->port = p;
	rxq->queue = queue;
	if (p->fd[queue] < 0) {
		rxq->polled = rxq->active = true;
		return 0;
	}
	ev.data.ptr = rxq;
	return epoll_ctl(t->epfd, EPOLL_CTL_ADD, p->fd[queue], &ev) ? -errno : 0;
}

/*
 * Queue q of a multi-queue port goes to thread q; single-queue ports go
 * round robin, so that two threads never poll one queue.
 */
static int dp_assign_queues(struct datapath *dp, struct port **ports, int nports)
{
	unsigned int next = 0, q;
	int i, err;

	for (i = 0; i < nports; i++) {
		struct port *p = ports[i];

		err = port_set_queues(p, dp->nthreads);
		if (err)
			return err;
		if (p->num_rx_queues == 1) {
			err = dp_thread_add_rxq(&dp->threads[next++ % dp->nthreads], p, 0);
			if (err)
				return err;
			continue;
		}
		for (q = 0; q < p->num_rx_queues; q++) {
			err = dp_thread_add_rxq(&dp->threads[q], p, q);
			if (err)
				return err;
		}
	}
	return 0;
}

static int dp_thread_init(struct datapath *dp, struct dp_thread *t, unsigned int index)
{
	struct epoll_event ev = { .events = EPOLLIN };

	t->dp = dp;
	t->index = index;
	t->epfd = epoll_create1(EPOLL_CLOEXEC);
	t->ctlfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (t->epfd < 0 || t->ctlfd < 0)
		return -errno;
	ev.data.ptr = dp;
	if (epoll_ctl(t->epfd, EPOLL_CTL_ADD, dp->stopfd, &ev))
		return -errno;
	ev.data.ptr = &t->ctlfd;
	return epoll_ctl(t->epfd, EPOLL_CTL_ADD, t->ctlfd, &ev) ? -errno : 0;
}

static void dp_free(struct datapath *dp)
{
	unsigned int i;

	for (i = 0; i < dp->nthreads; i++) {
		if (dp->threads[i].epfd >= 0)
			close(dp->threads[i].epfd);
		if (dp->threads[i].ctlfd >= 0)
			close(dp->threads[i].ctlfd);
	}
	if (dp->stopfd >= 0)
		close(dp->stopfd);
	kfree(dp);
}

struct datapath *dp_start(struct port **ports, int nports, unsigned int nthreads)
{
	struct datapath *dp;
	unsigned int i, started = 0;

	if (!nthreads || nthreads > DP_MAX_THREADS)
		return NULL;
	dp = kzalloc(sizeof(*dp), GFP_KERNEL);
	if (!dp)
		return NULL;
	dp->nthreads = nthreads;
	pthread_mutex_init(&dp->ctl_lock, NULL);
	pthread_cond_init(&dp->ctl_done, NULL);
	for (i = 0; i < nthreads; i++)
		dp->threads[i].epfd = dp->threads[i].ctlfd = -1;
	dp->stopfd = eventfd(0, EFD_CLOEXEC);
	if (dp->stopfd < 0)
		goto err;
	for (i = 0; i < nthreads; i++)
		if (dp_thread_init(dp, &dp->threads[i], i))
			goto err;
	if (dp_assign_queues(dp, ports, nports))
		goto err;
	for (started = 0; started < nthreads; started++)
		if (pthread_create(&dp->threads[started].tid, NULL, dp_thread_fn,
				   &dp->threads[started]))
			goto err;
	dp_current = dp;
	return dp;
err:
	if (started) {
		u64 one = 1;

		if (write(dp->stopfd, &one, sizeof(one)) == sizeof(one))
			for (i = 0; i < started; i++)
				pthread_join(dp->threads[i].tid, NULL);
	}
	dp_free(dp);
	return NULL;
}

void dp_stop(struct datapath *dp)
{
	unsigned int i;
	u64 one = 1;

	if (!dp)
		return;
	if (write(dp->stopfd, &one, sizeof(one)) != sizeof(one))
		return;
	for (i = 0; i < dp->nthreads; i++)
		pthread_join(dp->threads[i].tid, NULL);
	if (dp_current == dp)
		dp_current = NULL;
	dp_free(dp);
}

/* ---- requests from the control thread (ctoffload trace) ---- */

static void dp_kick(struct dp_thread *t)
{
	u64 one = 1;

	if (write(t->ctlfd, &one, sizeof(one)) != sizeof(one))
		fprintf(stderr, "ctoffloadd: cannot wake the datapath\n");
}

int dp_call(void (*fn)(void *arg), void *arg)
{
	struct datapath *dp = dp_current;

	if (!dp)
		return -ENODEV;
	pthread_mutex_lock(&dp->ctl_lock);
	dp->call_fn = fn;
	dp->call_arg = arg;
	dp_kick(&dp->threads[0]);
	while (dp->call_fn)
		pthread_cond_wait(&dp->ctl_done, &dp->ctl_lock);
	pthread_mutex_unlock(&dp->ctl_lock);
	return 0;
}

int dp_pause(void)
{
	struct datapath *dp = dp_current;
	unsigned int i;

	if (!dp)
		return -ENODEV;
	pthread_mutex_lock(&dp->ctl_lock);
	dp->pause_req = true;
	for (i = 0; i < dp->nthreads; i++)
		dp_kick(&dp->threads[i]);
	while (dp->npaused < dp->nthreads)
		pthread_cond_wait(&dp->ctl_done, &dp->ctl_lock);
	pthread_mutex_unlock(&dp->ctl_lock);
	return 0;
}

void dp_resume(void)
{
	struct datapath *dp = dp_current;

	if (!dp)
		return;
	pthread_mutex_lock(&dp->ctl_lock);
	dp->pause_req = false;
	pthread_cond_broadcast(&dp->ctl_done);
	pthread_mutex_unlock(&dp->ctl_lock);
}
