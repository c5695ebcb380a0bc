// SPDX-License-Identifier: GPL-2.0
/*
 * The datapath thread: an epoll loop over the ports' fds; ports without an
 * fd (generator, pcap replay) are polled while they have frames.  Each
 * ready port gives bursts to its rx_handler (the eswitch vport).
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

#define DP_BURSTS_PER_WAKE	8	/* fairness between busy ports */

struct dp_thread {
	pthread_t tid;
	struct port **ports;
	int nports;
	int epfd;
	int stopfd;
	int ctlfd;			/* wakes the thread for dp_call / dp_pause */
	bool *polled_active;
	/* requests from the control thread, under ctl_lock */
	pthread_mutex_t ctl_lock;
	pthread_cond_t ctl_done;
	void (*call_fn)(void *arg);
	void *call_arg;
	bool pause_req, paused;
};

/* the datapath thread trace requests go to (the last one started) */
static struct dp_thread *dp_current;

static int dp_port_rx(struct port *p, struct skb_pool *pool)
{
	struct sk_buff *skbs[SKB_BURST];
	int i, n, total = 0;

	for (i = 0; i < DP_BURSTS_PER_WAKE; i++) {
		n = port_rx_burst(p, skbs, SKB_BURST, pool);
		if (n <= 0)
			break;
		rcu_read_lock();
		jiffies_burst_begin();
		if (unlikely(pkt_trace_live_port == p))
			pkt_trace_live_rx(p, skbs, n);
		p->rx_handler(p, skbs, n);
		if (unlikely(pkt_trace_live_port == p))
			pkt_trace_live_done();
		jiffies_burst_end();
		rcu_read_unlock();
		total += n;
		if (n < SKB_BURST)
			break;
	}
	return total;
}

int dp_poll_once(struct port **ports, int nports, struct skb_pool *pool)
{
	int i, total = 0;

	for (i = 0; i < nports; i++)
		total += dp_port_rx(ports[i], pool);
	return total;
}

/* between bursts: a call to run, or a pause to hold still in */
static void dp_thread_ctl(struct dp_thread *dp)
{
	u64 v;

	if (read(dp->ctlfd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		return;
	pthread_mutex_lock(&dp->ctl_lock);
	if (dp->call_fn) {
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
		dp->paused = true;
		pthread_cond_broadcast(&dp->ctl_done);
		while (dp->pause_req)
			pthread_cond_wait(&dp->ctl_done, &dp->ctl_lock);
		dp->paused = false;
	}
	pthread_mutex_unlock(&dp->ctl_lock);
}

static void *dp_thread_fn(void *arg)
{
	struct dp_thread *dp = arg;
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

		for (i = 0; i < dp->nports; i++)
			busy |= dp->polled_active[i];
		n = epoll_wait(dp->epfd, evs, ARRAY_SIZE(evs), busy ? 0 : 200);
		for (i = 0; i < n; i++) {
			if (evs[i].data.ptr == dp)
				goto out;
			if (evs[i].data.ptr == &dp->ctlfd) {
				dp_thread_ctl(dp);
				continue;
			}
			dp_port_rx(evs[i].data.ptr, &pool);
		}
		for (i = 0; i < dp->nports; i++)
			if (dp->polled_active[i] && !dp_port_rx(dp->ports[i], &pool))
				dp->polled_active[i] = false;	/* e.g. a replayed capture ended */
	}
out:
	skb_local_pool = NULL;
	skb_pool_destroy(&pool);
	rcu_unregister_thread();
	return NULL;
}

struct dp_thread *dp_thread_start(struct port **ports, int nports)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct dp_thread *dp = kzalloc(sizeof(*dp), GFP_KERNEL);
	int i;

	if (!dp)
		return NULL;
	dp->ports = ports;
	dp->nports = nports;
	dp->polled_active = kcalloc(nports, sizeof(bool), GFP_KERNEL);
	dp->epfd = epoll_create1(EPOLL_CLOEXEC);
	dp->stopfd = eventfd(0, EFD_CLOEXEC);
	dp->ctlfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (!dp->polled_active || dp->epfd < 0 || dp->stopfd < 0 || dp->ctlfd < 0)
		goto err;
	pthread_mutex_init(&dp->ctl_lock, NULL);
	pthread_cond_init(&dp->ctl_done, NULL);
	ev.data.ptr = dp;
	epoll_ctl(dp->epfd, EPOLL_CTL_ADD, dp->stopfd, &ev);
	ev.data.ptr = &dp->ctlfd;
	epoll_ctl(dp->epfd, EPOLL_CTL_ADD, dp->ctlfd, &ev);
	for (i = 0; i < nports; i++) {
		if (ports[i]->fd < 0) {
			dp->polled_active[i] = true;
			continue;
		}
		ev.data.ptr = ports[i];
		epoll_ctl(dp->epfd, EPOLL_CTL_ADD, ports[i]->fd, &ev);
	}
	if (pthread_create(&dp->tid, NULL, dp_thread_fn, dp))
		goto err;
	dp_current = dp;
	return dp;
err:
	if (dp->epfd >= 0)
		close(dp->epfd);
	if (dp->stopfd >= 0)
		close(dp->stopfd);
	if (dp->ctlfd >= 0)
		close(dp->ctlfd);
	kfree(dp->polled_active);
	kfree(dp);
	return NULL;
}

void dp_thread_stop(struct dp_thread *dp)
{
	u64 one = 1;

	if (!dp)
		return;
	if (write(dp->stopfd, &one, sizeof(one)) != sizeof(one))
		return;
	pthread_join(dp->tid, NULL);
	if (dp_current == dp)
		dp_current = NULL;
	close(dp->epfd);
	close(dp->stopfd);
	close(dp->ctlfd);
	kfree(dp->polled_active);
	kfree(dp);
}

/* ---- requests from the control thread (ctoffload trace) ---- */

static void dp_kick(struct dp_thread *dp)
{
	u64 one = 1;

	if (write(dp->ctlfd, &one, sizeof(one)) != sizeof(one))
		fprintf(stderr, "ctoffloadd: cannot wake the datapath\n");
}

int dp_call(void (*fn)(void *arg), void *arg)
{
	struct dp_thread *dp = dp_current;

	if (!dp)
		return -ENODEV;
	pthread_mutex_lock(&dp->ctl_lock);
	dp->call_fn = fn;
	dp->call_arg = arg;
	dp_kick(dp);
	while (dp->call_fn)
		pthread_cond_wait(&dp->ctl_done, &dp->ctl_lock);
	pthread_mutex_unlock(&dp->ctl_lock);
	return 0;
}

int dp_pause(void)
{
	struct dp_thread *dp = dp_current;

	if (!dp)
		return -ENODEV;
	pthread_mutex_lock(&dp->ctl_lock);
	dp->pause_req = true;
	dp_kick(dp);
	while (!dp->paused)
		pthread_cond_wait(&dp->ctl_done, &dp->ctl_lock);
	pthread_mutex_unlock(&dp->ctl_lock);
	return 0;
}

void dp_resume(void)
{
	struct dp_thread *dp = dp_current;

	if (!dp)
		return;
	pthread_mutex_lock(&dp->ctl_lock);
	dp->pause_req = false;
	pthread_cond_broadcast(&dp->ctl_done);
	pthread_mutex_unlock(&dp->ctl_lock);
}
