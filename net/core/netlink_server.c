// SPDX-License-Identifier: GPL-2.0
/*
 * The netlink server: af_netlink.c's job for clients that are not in the
 * kernel.  Each client connection is one netlink socket (the shim's
 * AF_UNIX SOCK_SEQPACKET stand-in).  A request record may hold several
 * messages; each is dispatched to its protocol's handler under rtnl, and
 * answered as the kernel answers: the handler's messages, NLMSG_DONE after
 * a dump, NLMSG_ERROR with extended ack TLVs for errors and for NLM_F_ACK.
 * Replies are packed into records of at most NL_RECORD_MAX bytes, which
 * fits the smallest buffer a client uses (libmnl's 4 KiB).
 */
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <linux/slab.h>
#include <linux/list.h>
#include <linux/netdev.h>
#include <net/netlink_server.h>
#include <net/pkt_trace.h>
#include <net/rtnetlink.h>
#include <uapi/ctoffload/nlshim.h>

#define NL_RECORD_MAX	4096
#define NL_MAX_CLIENTS	256
#define NL_PROTO_MAX	32

struct nl_client {
	struct list_head list;
	int fd;
	int protocol;		/* 0 until the hello */
	bool hello_done;
	u32 portid;
	u64 groups;		/* bit g-1 for group g */
	bool ext_ack, cap_ack;
	/* replies the client has not read yet: sent as its buffer drains */
	char *obuf;
	size_t olen, ooff;
	u64 events_dropped;	/* multicast lost to a full buffer (ENOBUFS) */
};

struct nl_protocol {
	nl_rcv_func rcv;
	nl_is_dump_func is_dump;
};

static struct nl_protocol nl_protocols[NL_PROTO_MAX];
/* members per (protocol, group), read without a lock by datapath threads */
static int nl_listeners[NL_PROTO_MAX][64];

/* other fds the control thread serves (event queues, timers) */
#define NL_MAX_WATCHES	8
static struct nl_watch {
	int fd;
	bool timer;		/* a timerfd: read its expiry count before cb */
	void (*cb)(void *arg);
	void *arg;
} nl_watches[NL_MAX_WATCHES];
static int nl_nwatches;
static LIST_HEAD(nl_clients);
static int nl_listen_fd = -1, nl_epoll_fd = -1, nl_stop_pipe[2] = { -1, -1 };
static struct nl_server_config nl_cfg;
static u32 nl_next_portid = 0x10000;

void nl_server_register_protocol(int protocol, nl_rcv_func rcv, nl_is_dump_func is_dump)
{
	if (protocol >= 0 && protocol < NL_PROTO_MAX) {
		nl_protocols[protocol].rcv = rcv;
		nl_protocols[protocol].is_dump = is_dump;
	}
}

/*
 * Send whole messages from buf as records of at most NL_RECORD_MAX bytes,
 * until the client's buffer is full.  Returns the bytes sent.
 */
static size_t nl_send_records(int fd, const char *buf, size_t len)
{
	size_t off = 0;

	while (off < len) {
		size_t rec = 0;

		while (off + rec < len) {
			const struct nlmsghdr *n = (const void *)(buf + off + rec);
			size_t l = MNL_ALIGN(n->nlmsg_len);

			if (rec && rec + l > NL_RECORD_MAX)
				break;
			rec += l;
		}
		if (send(fd, buf + off, rec, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
			break;
		off += rec;
	}
	return off;
}

static void nl_client_want_out(struct nl_client *c, bool out)
{
	struct epoll_event ev = { .events = EPOLLIN | (out ? EPOLLOUT : 0), .data.ptr = c };

	epoll_ctl(nl_epoll_fd, EPOLL_CTL_MOD, c->fd, &ev);
}

/* the client can take more: send what is queued */
static void nl_client_flush(struct nl_client *c)
{
	c->ooff += nl_send_records(c->fd, c->obuf + c->ooff, c->olen - c->ooff);
	if (c->ooff < c->olen)
		return;
	kfree(c->obuf);
	c->obuf = NULL;
	c->olen = c->ooff = 0;
	nl_client_want_out(c, false);
}

/*
 * A reply is never lost: what does not fit the client's buffer now is
 * queued, in order, and sent as the client reads (a big dump, as the
 * kernel's netlink_dump() continues when the reader makes room).
 */
static void nl_client_send(struct nl_client *c, const char *buf, size_t len)
{
	size_t sent = 0;
	char *obuf;

	if (!c->olen)
		sent = nl_send_records(c->fd, buf, len);
	if (sent == len)
		return;
	obuf = realloc(c->obuf, c->olen + len - sent);
	if (!obuf)
		return;		/* out of memory: the reply is lost, like ENOBUFS */
	memcpy(obuf + c->olen, buf + sent, len - sent);
	if (!c->olen)
		nl_client_want_out(c, true);
	c->obuf = obuf;
	c->olen += len - sent;
}

void rtnl_notify(struct nl_out *o, int protocol, unsigned int group)
{
	struct nl_client *c;

	/* a dry-run trace is a copy of the daemon: nothing may leave it */
	if (!o->len || !group || group > 64 || pkt_trace_dry_run)
		return;
	/* events are not queued: a listener that does not keep up loses them */
	list_for_each_entry(c, &nl_clients, list) {
		if (c->protocol != protocol || !(c->groups & (1ULL << (group - 1))))
			continue;
		if (c->olen || nl_send_records(c->fd, o->buf, o->len) < o->len)
			c->events_dropped++;
	}
}

/* room an ack keeps for its TLVs besides the echoed request */
#define NL_ACK_TLV_ROOM	512

static void nl_put_ack(struct nl_client *c, struct nl_out *out, const struct nlmsghdr *req,
		       int err, const struct netlink_ext_ack *extack)
{
	/*
	 * An error echoes the whole request, as the kernel's netlink_ack(),
	 * unless the client asked for capped acks or the request would not
	 * fit the message room: then only its header (NLM_F_CAPPED).
	 */
	bool capped = !err || c->cap_ack ||
		      req->nlmsg_len > NL_OUT_MSG_MAX - sizeof(struct nlmsgerr) - NL_ACK_TLV_ROOM;
	size_t echo = capped ? sizeof(*req) : MNL_ALIGN(req->nlmsg_len);
	u16 flags = capped ? NLM_F_CAPPED : 0;
	struct nlmsghdr *nlh;
	struct nlmsgerr *e;

	if (c->ext_ack && extack->_msg)
		flags |= NLM_F_ACK_TLVS;
	nlh = nl_out_put(out, req->nlmsg_seq, NLMSG_ERROR, flags, 0);
	if (!nlh)
		return;
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(e->error) + echo);
	e->error = err;
	memcpy(&e->msg, req, capped ? sizeof(*req) : req->nlmsg_len);
	if (flags & NLM_F_ACK_TLVS) {
		nla_put_string(nlh, NLMSGERR_ATTR_MSG, extack->_msg);
		if (extack->bad_attr && (const char *)extack->bad_attr > (const char *)req &&
		    (const char *)extack->bad_attr < (const char *)req + req->nlmsg_len)
			nla_put_u32(nlh, NLMSGERR_ATTR_OFFS,
				    (const char *)extack->bad_attr - (const char *)req);
	}
	nl_out_end(out, nlh);
}

static void nl_put_done(struct nl_client *c, struct nl_out *out, const struct nlmsghdr *req,
			int err, const struct netlink_ext_ack *extack)
{
	u16 flags = NLM_F_MULTI | out->answer_flags;
	struct nlmsghdr *nlh;
	int *e;

	if (c->ext_ack && extack->_msg)
		flags |= NLM_F_ACK_TLVS;
	nlh = nl_out_put(out, req->nlmsg_seq, NLMSG_DONE, flags, sizeof(int));
	if (!nlh)
		return;
	e = mnl_nlmsg_get_payload(nlh);
	*e = err;
	if (flags & NLM_F_ACK_TLVS)
		nla_put_string(nlh, NLMSGERR_ATTR_MSG, extack->_msg);
	nl_out_end(out, nlh);
}

static void nl_client_rcv_msg(struct nl_client *c, struct nlmsghdr *n, struct nl_out *out)
{
	struct nl_protocol *p = &nl_protocols[c->protocol];
	struct netlink_ext_ack extack = {};
	bool dump;
	int err;

	if (!(n->nlmsg_flags & NLM_F_REQUEST) || n->nlmsg_type < NLMSG_MIN_TYPE)
		return;
	if (!p->rcv) {
		nl_put_ack(c, out, n, -EOPNOTSUPP, &extack);
		return;
	}
	dump = p->is_dump && p->is_dump(n);
	out->answer_flags = 0;
	err = p->rcv(n, out, &extack);
	if (out->err) {
		err = out->err;
		out->err = 0;
	}
	if (dump && !err) {
		nl_put_done(c, out, n, 0, &extack);
		return;
	}
	if (err || (n->nlmsg_flags & NLM_F_ACK))
		nl_put_ack(c, out, n, err, &extack);
}

static void nl_client_rcv(struct nl_client *c, char *buf, size_t len)
{
	struct nl_out out;
	struct nlmsghdr *n;
	int rem = len;

	nl_out_init(&out, c->portid);
	/*
	 * Not mnl_nlmsg_ok(): it compares (int)nlmsg_len, so a length of 2 GiB
	 * or more passes as negative.  A message that does not fit what was
	 * received ends the record, as in the kernel's netlink_rcv_skb().
	 */
	for (n = (void *)buf; rem >= (int)sizeof(*n) && n->nlmsg_len >= sizeof(*n) &&
	     n->nlmsg_len <= (unsigned int)rem; n = mnl_nlmsg_next(n, &rem))
		nl_client_rcv_msg(c, n, &out);
	nl_client_send(c, out.buf, out.len);
	nl_out_free(&out);
}

static void nl_client_set_groups(struct nl_client *c, u64 groups)
{
	u64 changed = c->groups ^ groups;
	int g;

	for (g = 0; g < 64; g++)
		if (changed & (1ULL << g))
			__atomic_add_fetch(&nl_listeners[c->protocol][g],
					   groups & (1ULL << g) ? 1 : -1, __ATOMIC_RELAXED);
	c->groups = groups;
}

bool nl_server_has_listeners(int protocol, unsigned int group)
{
	if (protocol < 0 || protocol >= NL_PROTO_MAX || !group || group > 64)
		return false;
	return __atomic_load_n(&nl_listeners[protocol][group - 1], __ATOMIC_RELAXED) > 0;
}

int nl_server_add_fd(int fd, void (*cb)(void *arg), void *arg)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct nl_watch *w;

	if (nl_nwatches == NL_MAX_WATCHES)
		return -ENOSPC;
	w = &nl_watches[nl_nwatches];
	w->fd = fd;
	w->cb = cb;
	w->arg = arg;
	ev.data.ptr = w;
	if (epoll_ctl(nl_epoll_fd, EPOLL_CTL_ADD, fd, &ev))
		return -errno;
	nl_nwatches++;
	return 0;
}

int nl_server_add_timer(unsigned int interval_ms, void (*cb)(void *arg), void *arg)
{
	struct itimerspec its = {
		.it_interval = { .tv_sec = interval_ms / 1000,
				 .tv_nsec = (interval_ms % 1000) * 1000000L },
	};
	int fd, err;

	its.it_value = its.it_interval;
	fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (timerfd_settime(fd, 0, &its, NULL)) {
		err = -errno;
		close(fd);
		return err;
	}
	err = nl_server_add_fd(fd, cb, arg);
	if (err) {
		close(fd);
		return err;
	}
	nl_watches[nl_nwatches - 1].timer = true;
	return 0;
}

static void nl_watch_run(struct nl_watch *w)
{
	u64 expirations;

	if (w->timer && read(w->fd, &expirations, sizeof(expirations)) < 0)
		return;		/* a spurious wakeup: nothing expired */
	w->cb(w->arg);
}

static struct nl_watch *nl_watch_of(void *ptr)
{
	struct nl_watch *w = ptr;

	return w >= nl_watches && w < nl_watches + NL_MAX_WATCHES ? w : NULL;
}

static void nl_client_ctl(struct nl_client *c, const struct cto_shim_ctl *ctl)
{
	struct cto_shim_hello_reply r = { .magic = CTO_SHIM_MAGIC };

	switch (ctl->op) {
	case CTO_SHIM_HELLO:
		if (ctl->arg >= NL_PROTO_MAX || !nl_protocols[ctl->arg].rcv) {
			r.error = -EPROTONOSUPPORT;
		} else {
			c->protocol = ctl->arg;
			c->portid = nl_next_portid++;
			c->hello_done = true;
			r.portid = c->portid;
		}
		send(c->fd, &r, sizeof(r), MSG_NOSIGNAL);
		break;
	case CTO_SHIM_SETOPT:
		switch (ctl->arg) {
		case NETLINK_ADD_MEMBERSHIP:
			if (ctl->val >= 1 && ctl->val <= 64)
				nl_client_set_groups(c, c->groups | 1ULL << (ctl->val - 1));
			break;
		case NETLINK_DROP_MEMBERSHIP:
			if (ctl->val >= 1 && ctl->val <= 64)
				nl_client_set_groups(c, c->groups & ~(1ULL << (ctl->val - 1)));
			break;
		case NETLINK_EXT_ACK:
			c->ext_ack = ctl->val;
			break;
		case NETLINK_CAP_ACK:
			c->cap_ack = ctl->val;
			break;
		}
		break;
	}
}

static void nl_client_close(struct nl_client *c)
{
	nl_client_set_groups(c, 0);
	epoll_ctl(nl_epoll_fd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	list_del(&c->list);
	kfree(c->obuf);
	kfree(c);
}

static bool nl_peer_allowed(int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len))
		return false;
	if (cred.uid == 0 || cred.uid == geteuid())
		return true;
	return nl_cfg.group_set && cred.gid == nl_cfg.group;
}

static void nl_accept(void)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct nl_client *c;
	int fd;

	fd = accept4(nl_listen_fd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return;
	if (!nl_peer_allowed(fd)) {
		close(fd);
		return;
	}
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c) {
		close(fd);
		return;
	}
	c->fd = fd;
	list_add_tail(&c->list, &nl_clients);
	ev.data.ptr = c;
	epoll_ctl(nl_epoll_fd, EPOLL_CTL_ADD, fd, &ev);
}

static void nl_client_readable(struct nl_client *c)
{
	static char buf[1 << 20];
	const struct cto_shim_ctl *ctl = (const void *)buf;
	ssize_t len;

	len = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);
	if (len <= 0) {
		if (len == 0 || (errno != EAGAIN && errno != EINTR))
			nl_client_close(c);
		return;
	}
	if ((size_t)len >= sizeof(*ctl) && ctl->magic == CTO_SHIM_MAGIC) {
		nl_client_ctl(c, ctl);
		return;
	}
	if (!c->hello_done) {
		nl_client_close(c);	/* speaks netlink before saying which */
		return;
	}
	nl_client_rcv(c, buf, len);
}

int nl_server_start(const struct nl_server_config *cfg)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct epoll_event ev = { .events = EPOLLIN };

	nl_cfg = *cfg;
	if (strlen(cfg->path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	strcpy(sun.sun_path, cfg->path);
	nl_listen_fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (nl_listen_fd < 0)
		return -errno;
	unlink(cfg->path);
	if (bind(nl_listen_fd, (struct sockaddr *)&sun, sizeof(sun)) ||
	    listen(nl_listen_fd, 64))
		return -errno;
	/* root only, unless a group was configured */
	if (cfg->group_set) {
		if (chown(cfg->path, 0, cfg->group))
			return -errno;
		chmod(cfg->path, 0660);
	} else {
		chmod(cfg->path, 0600);
	}
	nl_epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (nl_epoll_fd < 0 || pipe2(nl_stop_pipe, O_CLOEXEC))
		return -errno;
	ev.data.ptr = NULL;
	epoll_ctl(nl_epoll_fd, EPOLL_CTL_ADD, nl_listen_fd, &ev);
	ev.data.ptr = &nl_stop_pipe;
	epoll_ctl(nl_epoll_fd, EPOLL_CTL_ADD, nl_stop_pipe[0], &ev);
	return 0;
}

/* handle the events ready within timeout_ms; 1 when asked to stop, else 0 or -errno */
int nl_server_poll(int timeout_ms)
{
	struct epoll_event evs[32];
	int i, n;

	n = epoll_wait(nl_epoll_fd, evs, ARRAY_SIZE(evs), timeout_ms);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	for (i = 0; i < n; i++) {
		struct nl_watch *w;

		if (evs[i].data.ptr == &nl_stop_pipe)
			return 1;
		w = nl_watch_of(evs[i].data.ptr);
		if (w) {
			nl_watch_run(w);
			continue;
		}
		if (!evs[i].data.ptr) {
			nl_accept();
			continue;
		}
		/* replies first: a client is closed by a failed read */
		if (evs[i].events & EPOLLOUT)
			nl_client_flush(evs[i].data.ptr);
		if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))
			nl_client_readable(evs[i].data.ptr);
	}
	return 0;
}

int nl_server_run(void)
{
	int err;

	while (!(err = nl_server_poll(-1)))
		;
	return err < 0 ? err : 0;
}

void nl_server_stop(void)
{
	if (nl_stop_pipe[1] >= 0 && write(nl_stop_pipe[1], "x", 1) < 0)
		return;
}

void nl_server_cleanup(void)
{
	struct nl_client *c, *tmp;

	list_for_each_entry_safe(c, tmp, &nl_clients, list)
		nl_client_close(c);
	if (nl_listen_fd >= 0) {
		close(nl_listen_fd);
		unlink(nl_cfg.path);
	}
	if (nl_epoll_fd >= 0)
		close(nl_epoll_fd);
	close(nl_stop_pipe[0]);
	close(nl_stop_pipe[1]);
	nl_listen_fd = nl_epoll_fd = nl_stop_pipe[0] = nl_stop_pipe[1] = -1;
}
