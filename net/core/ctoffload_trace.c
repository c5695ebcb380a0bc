// SPDX-License-Identifier: GPL-2.0
/*
 * `ctoffload trace`: one frame through the real datapath, every stage
 * reporting to a struct pkt_trace (include/net/pkt_trace.h).
 *
 * --commit gives the frame to the datapath thread (dp_call), as if it had
 * arrived on the port: it changes what a real packet would change.
 *
 * The default, a dry run, must change nothing: not conntrack, not a
 * flowtable, not a counter, not the model; and no frame or event may
 * leave.  Rather than teach every stage a "pretend" mode, the daemon
 * forks: the child is a copy of the daemon taken between two bursts (the
 * datapath thread paused, every workqueue frozen between items, so no
 * lock of ours is held by a thread the child does not have), runs the
 * frame on its copy of everything, writes the stages to a pipe and exits.
 * In the child pkt_trace_dry_run is set: port_xmit() records instead of
 * sending, and netlink events are not sent.  The parent's state is
 * untouched by construction.
 *
 * --live arms the datapath to trace the next real packets entering a port
 * (pkt_trace_live_*); the client collects them with TRACE_LIVE_GET.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>
#include <linux/if_ether.h>
#include <linux/rcupdate.h>
#include <linux/jiffies.h>
#include <linux/netdev.h>
#include <linux/workqueue.h>
#include <net/ctoffload.h>
#include <net/datapath.h>
#include <net/pkt_trace.h>
#include <net/port.h>
#include <uapi/ctoffload/ctoffload.h>
#include "ctoffload_netlink.h"

/* liburcu's fork helpers for the memb flavour (urcu/call-rcu.h declares them unprefixed) */
void urcu_memb_call_rcu_before_fork(void);
void urcu_memb_call_rcu_after_fork_parent(void);
void urcu_memb_call_rcu_after_fork_child(void);

#define CTO_TRACE_TIMEOUT_MS	5000
#define CTO_TRACE_CHILD_SKBS	256

/* ---- which port a device's frames arrive on ---- */

static ctoffload_port_fn *cto_port_fn;
static void *cto_port_priv;

void ctoffload_register_port_of(ctoffload_port_fn *fn, void *priv)
{
	cto_port_fn = fn;
	cto_port_priv = priv;
}

struct port *ctoffload_port_of(struct net_device *dev)
{
	return cto_port_fn ? cto_port_fn(dev, cto_port_priv) : NULL;
}

static struct port *cto_trace_port(struct nlattr **tb, struct netlink_ext_ack *extack)
{
	struct net_device *dev;
	struct port *p;

	if (!tb[CTO_A_TRACE_DEV]) {
		NL_SET_ERR_MSG(extack, "in_port is required");
		return ERR_PTR(-EINVAL);
	}
	dev = dev_get_by_name(nla_data(tb[CTO_A_TRACE_DEV]));
	if (!dev) {
		NL_SET_ERR_MSG(extack, "Cannot find device");
		return ERR_PTR(-ENODEV);
	}
	p = ctoffload_port_of(dev);
	if (!p) {
		NL_SET_ERR_MSG(extack, "the device is not a representor: no port to enter by");
		return ERR_PTR(-EOPNOTSUPP);
	}
	return p;
}

/* ---- one frame ---- */

struct cto_trace_req {
	struct port *port;
	const void *frame;
	unsigned int len;
	struct pkt_trace *t;
	int err;
};

/* the frame enters the port's rx handler, as a burst of one */
static void cto_trace_run(void *arg)
{
	struct cto_trace_req *req = arg;
	struct sk_buff *skb = alloc_skb(skb_local_pool);

	if (!skb) {
		req->err = -ENOBUFS;
		return;
	}
	memcpy(skb->data, req->frame, req->len);
	skb_put(skb, req->len);
	pkt_trace_attach(skb, req->t, req->port);
	if (!req->t->dry_run) {
		struct port_stats *st = this_cpu_ptr(req->port->pcpu_stats);

		u64_stats_inc(&st->rx_packets);
		u64_stats_add(&st->rx_bytes, req->len);
	}
	req->port->rx_handler(req->port, &skb, 1);
}

static void cto_write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n <= 0)
			return;
		buf += n;
		len -= n;
	}
}

/* the dry-run copy: run, report, go (no exit handlers: they belong to the daemon) */
static void __attribute__((noreturn)) cto_trace_child(struct cto_trace_req *req, int fd)
{
	static struct skb_pool pool;

	pkt_trace_dry_run = true;
	if (skb_pool_init(&pool, CTO_TRACE_CHILD_SKBS))
		_exit(1);
	skb_local_pool = &pool;
	rcu_read_lock();
	jiffies_burst_begin();
	cto_trace_run(req);
	jiffies_burst_end();
	rcu_read_unlock();
	if (req->err)
		_exit(2);
	cto_write_all(fd, req->t->buf ? req->t->buf : "", req->t->len);
	_exit(0);
}

/* read the child's stages until it closes the pipe, or time it out */
static int cto_trace_collect(struct pkt_trace *t, int fd, pid_t pid)
{
	u64 deadline = jiffies_ms() + CTO_TRACE_TIMEOUT_MS;
	char buf[4096];
	int status, err = 0;

	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		s64 left = (s64)(deadline - jiffies_ms());
		ssize_t n;

		if (left <= 0 || poll(&pfd, 1, left) <= 0) {
			kill(pid, SIGKILL);
			err = -ETIMEDOUT;
			break;
		}
		n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			break;
		if (t->len + n + 1 > t->cap) {
			size_t cap = max(2 * t->cap, t->len + n + 1);
			char *nb = realloc(t->buf, cap);

			if (!nb) {
				kill(pid, SIGKILL);
				err = -ENOMEM;
				break;
			}
			t->buf = nb;
			t->cap = cap;
		}
		memcpy(t->buf + t->len, buf, n);
		t->len += n;
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!err && (!WIFEXITED(status) || WEXITSTATUS(status)))
		err = -EIO;
	return err;
}

static int cto_trace_dry(struct cto_trace_req *req, struct netlink_ext_ack *extack)
{
	int fds[2], paused, err;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC))
		return -errno;
	/* nothing of ours may be mid-way in another thread when the copy is taken */
	paused = dp_pause();
	freeze_workqueues();
	urcu_memb_call_rcu_before_fork();
	pid = fork();
	if (pid == 0) {
		urcu_memb_call_rcu_after_fork_child();
		close(fds[0]);
		cto_trace_child(req, fds[1]);
	}
	urcu_memb_call_rcu_after_fork_parent();
	thaw_workqueues();
	if (!paused)
		dp_resume();
	close(fds[1]);
	if (pid < 0) {
		err = -errno;
		close(fds[0]);
		NL_SET_ERR_MSG(extack, "cannot fork the dry run");
		return err;
	}
	err = cto_trace_collect(req->t, fds[0], pid);
	close(fds[0]);
	if (err == -ETIMEDOUT)
		NL_SET_ERR_MSG(extack, "the dry run did not finish in time");
	else if (err)
		NL_SET_ERR_MSG(extack, "the dry run failed");
	return err;
}

int cto_trace(struct nlmsghdr *n, struct nlattr **tb, struct nl_out *out,
	      struct netlink_ext_ack *extack)
{
	bool commit = tb[CTO_A_TRACE_COMMIT] && nla_get_u8(tb[CTO_A_TRACE_COMMIT]);
	struct cto_trace_req req = {};
	struct pkt_trace t;
	int err;

	req.port = cto_trace_port(tb, extack);
	if (IS_ERR(req.port))
		return PTR_ERR(req.port);
	if (!tb[CTO_A_TRACE_FRAME] || nla_len(tb[CTO_A_TRACE_FRAME]) < ETH_HLEN) {
		NL_SET_ERR_MSG(extack, "a frame of at least 14 bytes is required");
		return -EINVAL;
	}
	req.frame = nla_data(tb[CTO_A_TRACE_FRAME]);
	req.len = nla_len(tb[CTO_A_TRACE_FRAME]);
	pkt_trace_init(&t, !commit);
	req.t = &t;
	if (commit) {
		err = dp_call(cto_trace_run, &req);
		if (err == -ENODEV)
			NL_SET_ERR_MSG(extack, "the datapath is not running");
		if (!err)
			err = req.err;
	} else {
		err = cto_trace_dry(&req, extack);
	}
	if (!err)
		err = cto_put_text(n, out, CTO_MSG_TRACE, CTO_A_TRACE_TEXT, t.buf ? t.buf : "",
				   t.len);
	pkt_trace_release(&t);
	return err;
}

/* ---- --live ---- */

int cto_trace_live(struct nlmsghdr *n, struct nlattr **tb, struct nl_out *out,
		   struct netlink_ext_ack *extack)
{
	u32 count = tb[CTO_A_TRACE_COUNT] ? nla_get_u32(tb[CTO_A_TRACE_COUNT]) : 1;
	const struct fl_flow_key *key = NULL, *mask = NULL;
	struct port *p = NULL;

	(void)n;
	(void)out;
	if (count) {
		p = cto_trace_port(tb, extack);
		if (IS_ERR(p))
			return PTR_ERR(p);
	}
	if (tb[CTO_A_TRACE_KEY] && tb[CTO_A_TRACE_MASK]) {
		if (nla_len(tb[CTO_A_TRACE_KEY]) != sizeof(*key) ||
		    nla_len(tb[CTO_A_TRACE_MASK]) != sizeof(*mask)) {
			NL_SET_ERR_MSG(extack, "the key and mask must be a struct fl_flow_key each");
			return -EINVAL;
		}
		key = nla_data(tb[CTO_A_TRACE_KEY]);
		mask = nla_data(tb[CTO_A_TRACE_MASK]);
	}
	return pkt_trace_live_arm(p, count, key, mask);
}

struct cto_live_put {
	struct nlmsghdr *req;
	struct nl_out *out;
	int err;
};

static void cto_trace_live_put(u32 index, const char *text, size_t len, void *arg)
{
	struct cto_live_put *lp = arg;
	size_t off = 0;

	do {
		size_t piece = min(len - off, (size_t)8192);
		struct nlmsghdr *nlh = nl_out_put(lp->out, lp->req->nlmsg_seq,
						  CTO_MSG_TRACE_LIVE_GET, NLM_F_MULTI, 0);

		if (!nlh) {
			lp->err = -ENOBUFS;
			return;
		}
		nla_put_u32(nlh, CTO_A_TRACE_INDEX, index);
		nla_put(nlh, CTO_A_TRACE_TEXT, piece, text + off);
		nl_out_end(lp->out, nlh);
		off += piece;
	} while (off < len);
}

int cto_trace_live_get(struct nlmsghdr *n, struct nl_out *out)
{
	struct cto_live_put lp = { .req = n, .out = out };
	struct nlmsghdr *nlh;
	u32 remaining;

	remaining = pkt_trace_live_collect(cto_trace_live_put, &lp);
	if (lp.err)
		return lp.err;
	nlh = nl_out_put(out, n->nlmsg_seq, CTO_MSG_TRACE_LIVE_GET, NLM_F_MULTI, 0);
	if (!nlh)
		return -ENOBUFS;
	nla_put_u32(nlh, CTO_A_TRACE_COUNT, remaining);
	nl_out_end(out, nlh);
	return 0;
}
