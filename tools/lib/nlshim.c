// SPDX-License-Identifier: GPL-2.0
/*
 * nlshim.c - LD_PRELOAD shim that points a client's netlink at ctoffloadd.
 *
 * `ctoffload exec tc ...` preloads this library with CTOFFLOAD_SOCK naming
 * the daemon's socket.  A socket(AF_NETLINK, *, NETLINK_ROUTE or
 * NETLINK_NETFILTER) then becomes a connected AF_UNIX SOCK_SEQPACKET socket:
 * one record is one netlink datagram, so the client's own netlink code
 * (iproute2's libnetlink, libmnl, libnfnetlink) runs unchanged.  What the
 * kernel answers from socket state alone (getsockname, SOL_NETLINK options,
 * the peer address of a reply) is answered here; what the daemon must know
 * (the protocol, group memberships, ext ack) travels as control records, see
 * include/uapi/ctoffload/nlshim.h.  Every other socket passes through.
 *
 * read() and write() are not intercepted: no supported client uses them on a
 * netlink socket, and on a SEQPACKET socket they keep record boundaries
 * anyway.  recv() needs no help either (it reports no address).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <linux/netlink.h>

#include <uapi/ctoffload/nlshim.h>

#define NLSHIM_EXPORT		__attribute__((visibility("default")))
#define NLSHIM_MAX_GROUPS	64	/* memberships we can list back */

/* What the kernel would keep in struct netlink_sock, as far as we answer it. */
struct nlshim_sock {
	int fd;
	int protocol;
	int type;		/* SOCK_RAW or SOCK_DGRAM, for SO_TYPE */
	__u32 portid;
	__u64 groups;		/* bit g - 1 set: member of group g */
	__u32 flags;		/* bit opt set: SOL_NETLINK opt is on */
};

static struct {
	int (*socket)(int, int, int);
	int (*bind)(int, const struct sockaddr *, socklen_t);
	int (*connect)(int, const struct sockaddr *, socklen_t);
	int (*getsockname)(int, struct sockaddr *, socklen_t *);
	int (*getpeername)(int, struct sockaddr *, socklen_t *);
	int (*setsockopt)(int, int, int, const void *, socklen_t);
	int (*getsockopt)(int, int, int, void *, socklen_t *);
	ssize_t (*send)(int, const void *, size_t, int);
	ssize_t (*sendto)(int, const void *, size_t, int,
			  const struct sockaddr *, socklen_t);
	ssize_t (*sendmsg)(int, const struct msghdr *, int);
	ssize_t (*recvfrom)(int, void *, size_t, int,
			    struct sockaddr *, socklen_t *);
	ssize_t (*recvmsg)(int, struct msghdr *, int);
	int (*close)(int);
	int (*dup)(int);
	int (*dup2)(int, int);
	int (*dup3)(int, int, int);
} real;

static pthread_once_t real_once = PTHREAD_ONCE_INIT;

static pthread_mutex_t nlshim_lock = PTHREAD_MUTEX_INITIALIZER;
static struct nlshim_sock *nlshim_table;	/* guarded by nlshim_lock */
static unsigned int nlshim_size;		/* guarded by nlshim_lock */
static unsigned int nlshim_alloc;		/* guarded by nlshim_lock */
/*
 * Written under nlshim_lock, read without it: lets the calls of a process
 * that has no shim socket (most of them) skip the lock.
 */
static unsigned int nlshim_count;

static void *real_symbol(const char *name)
{
	void *sym = dlsym(RTLD_NEXT, name);

	if (!sym) {
		fprintf(stderr, "ctoffload-nlshim: no symbol %s: %s\n",
			name, dlerror());
		abort();
	}
	return sym;
}

static void nlshim_fork_prepare(void)
{
	pthread_mutex_lock(&nlshim_lock);
}

static void nlshim_fork_done(void)
{
	pthread_mutex_unlock(&nlshim_lock);
}

/*
 * The child of a fork keeps the shim sockets, and must not inherit the
 * table lock held by a thread that does not exist there.
 */
static void real_resolve(void)
{
	pthread_atfork(nlshim_fork_prepare, nlshim_fork_done,
		       nlshim_fork_done);
	real.socket = real_symbol("socket");
	real.bind = real_symbol("bind");
	real.connect = real_symbol("connect");
	real.getsockname = real_symbol("getsockname");
	real.getpeername = real_symbol("getpeername");
	real.setsockopt = real_symbol("setsockopt");
	real.getsockopt = real_symbol("getsockopt");
	real.send = real_symbol("send");
	real.sendto = real_symbol("sendto");
	real.sendmsg = real_symbol("sendmsg");
	real.recvfrom = real_symbol("recvfrom");
	real.recvmsg = real_symbol("recvmsg");
	real.close = real_symbol("close");
	real.dup = real_symbol("dup");
	real.dup2 = real_symbol("dup2");
	real.dup3 = real_symbol("dup3");
}

static void real_init(void)
{
	pthread_once(&real_once, real_resolve);
}

static bool nlshim_any(void)
{
	return __atomic_load_n(&nlshim_count, __ATOMIC_ACQUIRE) != 0;
}

/* Caller holds nlshim_lock. */
static struct nlshim_sock *nlshim_find_locked(int fd)
{
	unsigned int i;

	for (i = 0; i < nlshim_size; i++)
		if (nlshim_table[i].fd == fd)
			return &nlshim_table[i];
	return NULL;
}

/* Caller holds nlshim_lock. */
static void nlshim_del_locked(int fd)
{
	struct nlshim_sock *s = nlshim_find_locked(fd);

	if (!s)
		return;
	*s = nlshim_table[--nlshim_size];
	__atomic_store_n(&nlshim_count, nlshim_size, __ATOMIC_RELEASE);
}

/*
 * An fd number we still list may have been closed behind our back (by
 * close_range(), or by a libc-internal close); whoever gets the number next
 * replaces the stale entry.
 */
static int nlshim_add(const struct nlshim_sock *new)
{
	struct nlshim_sock *s;
	int err = 0;

	pthread_mutex_lock(&nlshim_lock);
	s = nlshim_find_locked(new->fd);
	if (!s && nlshim_size == nlshim_alloc) {
		unsigned int alloc = nlshim_alloc ? 2 * nlshim_alloc : 8;

		s = realloc(nlshim_table, alloc * sizeof(*s));
		if (!s) {
			err = -ENOMEM;
			goto out;
		}
		nlshim_table = s;
		nlshim_alloc = alloc;
		s = NULL;
	}
	if (!s)
		s = &nlshim_table[nlshim_size++];
	*s = *new;
	__atomic_store_n(&nlshim_count, nlshim_size, __ATOMIC_RELEASE);
out:
	pthread_mutex_unlock(&nlshim_lock);
	return err;
}

static void nlshim_del(int fd)
{
	if (!nlshim_any())
		return;
	pthread_mutex_lock(&nlshim_lock);
	nlshim_del_locked(fd);
	pthread_mutex_unlock(&nlshim_lock);
}

/* Copy out the state of fd; false if fd is not a shim socket. */
static bool nlshim_get(int fd, struct nlshim_sock *out)
{
	struct nlshim_sock *s;

	if (!nlshim_any())
		return false;
	pthread_mutex_lock(&nlshim_lock);
	s = nlshim_find_locked(fd);
	if (s)
		*out = *s;
	pthread_mutex_unlock(&nlshim_lock);
	return s != NULL;
}

/* A duplicate of a shim socket is a shim socket with the same state. */
static void nlshim_dup(int oldfd, int newfd)
{
	struct nlshim_sock s;

	if (newfd < 0 || newfd == oldfd)
		return;
	nlshim_del(newfd);
	if (!nlshim_get(oldfd, &s))
		return;
	s.fd = newfd;
	nlshim_add(&s);	/* on ENOMEM newfd is a plain unix socket */
}

static int nlshim_fail(int err)
{
	errno = -err;
	return -1;
}

/*
 * Control records must not be lost because the client made its socket
 * nonblocking: wait for room rather than fail a setsockopt with EAGAIN.
 */
static int nlshim_send_ctl(int fd, __u32 op, __u32 arg, __u32 val)
{
	struct cto_shim_ctl ctl = {
		.magic = CTO_SHIM_MAGIC,
		.op = op,
		.arg = arg,
		.val = val,
	};
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	ssize_t ret;

	for (;;) {
		ret = real.send(fd, &ctl, sizeof(ctl), MSG_NOSIGNAL);
		if (ret == sizeof(ctl))
			return 0;
		if (ret >= 0)
			return -EPROTO;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			poll(&pfd, 1, -1);
		else if (errno != EINTR)
			return -errno;
	}
}

static int nlshim_connect(int fd, const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	if (strlen(path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	strcpy(sun.sun_path, path);
	if (real.connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0)
		return -errno;
	return 0;
}

/* The daemon assigns the port id, as the kernel does at autobind. */
static int nlshim_hello(int fd, int protocol, __u32 *portid)
{
	struct cto_shim_hello_reply reply;
	ssize_t ret;
	int err;

	err = nlshim_send_ctl(fd, CTO_SHIM_HELLO, protocol, 0);
	if (err)
		return err;
	do
		ret = real.recvfrom(fd, &reply, sizeof(reply), MSG_TRUNC,
				    NULL, NULL);
	while (ret < 0 && errno == EINTR);
	if (ret < 0)
		return -errno;
	if (ret == 0)
		return -ECONNRESET;
	if (ret != sizeof(reply) || reply.magic != CTO_SHIM_MAGIC)
		return -EPROTO;
	if (reply.error)
		return reply.error < 0 ? reply.error : -EPROTO;
	*portid = reply.portid;
	return 0;
}

static bool nlshim_wanted(int domain, int type, int protocol)
{
	int base = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (domain != AF_NETLINK)
		return false;
	if (protocol != NETLINK_ROUTE && protocol != NETLINK_NETFILTER)
		return false;
	return base == SOCK_RAW || base == SOCK_DGRAM;
}

static int nlshim_socket(int type, int protocol, const char *path)
{
	struct nlshim_sock s = {
		.protocol = protocol,
		.type = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC),
	};
	int err, fd;

	fd = real.socket(AF_UNIX, SOCK_SEQPACKET | (type & SOCK_CLOEXEC), 0);
	if (fd < 0)
		return -1;

	err = nlshim_connect(fd, path);
	if (err) {
		fprintf(stderr, "ctoffload-nlshim: cannot connect to %s: %s\n",
			path, strerror(-err));
		goto err_close;
	}
	/* blocking on purpose: the client sees a socket that is ready */
	err = nlshim_hello(fd, protocol, &s.portid);
	if (err)
		goto err_close;
	if ((type & SOCK_NONBLOCK) &&
	    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0) {
		err = -errno;
		goto err_close;
	}
	s.fd = fd;
	err = nlshim_add(&s);
	if (err)
		goto err_close;
	return fd;

err_close:
	real.close(fd);
	return nlshim_fail(err);
}

NLSHIM_EXPORT int socket(int domain, int type, int protocol)
{
	const char *path = getenv(CTO_ENV_SOCK);
	int fd;

	real_init();
	if (path && *path && nlshim_wanted(domain, type, protocol))
		return nlshim_socket(type, protocol, path);
	fd = real.socket(domain, type, protocol);
	nlshim_del(fd);
	return fd;
}

/*
 * Membership changes reach the daemon one group at a time, whichever way the
 * client asked for them (bind's legacy mask or NETLINK_ADD_MEMBERSHIP).
 */
static int nlshim_set_groups(int fd, __u64 old, __u64 new)
{
	unsigned int g;
	int err;

	for (g = 0; g < NLSHIM_MAX_GROUPS; g++) {
		__u64 bit = 1ULL << g;

		if ((old ^ new) & bit) {
			err = nlshim_send_ctl(fd, CTO_SHIM_SETOPT,
					      (new & bit) ?
					      NETLINK_ADD_MEMBERSHIP :
					      NETLINK_DROP_MEMBERSHIP, g + 1);
			if (err)
				return err;
		}
	}
	return 0;
}

/*
 * Like the kernel's netlink_bind(), nl_groups replaces the first 32 groups;
 * libnfnetlink re-binds each time it opens a subsystem.  nl_pid is ignored:
 * the daemon assigned the port id at hello.
 */
static int nlshim_bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	const struct sockaddr_nl *nl = (const struct sockaddr_nl *)addr;
	struct nlshim_sock *s;
	__u64 old = 0, new = 0;
	int err = 0;

	if (!addr || len < sizeof(*nl) || nl->nl_family != AF_NETLINK)
		return -EINVAL;

	pthread_mutex_lock(&nlshim_lock);
	s = nlshim_find_locked(fd);
	if (s) {
		old = s->groups;
		new = (old & ~0xffffffffULL) | nl->nl_groups;
		s->groups = new;
	}
	pthread_mutex_unlock(&nlshim_lock);
	if (s)
		err = nlshim_set_groups(fd, old, new);
	return err;
}

NLSHIM_EXPORT int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	struct nlshim_sock s;
	int err;

	real_init();
	if (!nlshim_get(fd, &s))
		return real.bind(fd, addr, len);
	err = nlshim_bind(fd, addr, len);
	return err ? nlshim_fail(err) : 0;
}

/* The unix socket is connected already; connecting to the kernel is a no-op. */
NLSHIM_EXPORT int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	struct nlshim_sock s;

	real_init();
	if (!nlshim_get(fd, &s))
		return real.connect(fd, addr, len);
	if (!addr || len < sizeof(sa_family_t) || addr->sa_family != AF_NETLINK)
		return nlshim_fail(-EINVAL);
	return 0;
}

/* Copy out as the kernel's move_addr_to_user(): truncate, report full size. */
static int nlshim_put_addr(__u32 portid, __u32 groups, struct sockaddr *addr,
			   socklen_t *len)
{
	struct sockaddr_nl nl = {
		.nl_family = AF_NETLINK,
		.nl_pid = portid,
		.nl_groups = groups,
	};

	if (!addr || !len)
		return -EFAULT;
	if ((int)*len < 0)
		return -EINVAL;
	memcpy(addr, &nl, *len < sizeof(nl) ? *len : sizeof(nl));
	*len = sizeof(nl);
	return 0;
}

NLSHIM_EXPORT int getsockname(int fd, struct sockaddr *addr, socklen_t *len)
{
	struct nlshim_sock s;
	int err;

	real_init();
	if (!nlshim_get(fd, &s))
		return real.getsockname(fd, addr, len);
	err = nlshim_put_addr(s.portid, (__u32)s.groups, addr, len);
	return err ? nlshim_fail(err) : 0;
}

NLSHIM_EXPORT int getpeername(int fd, struct sockaddr *addr, socklen_t *len)
{
	struct nlshim_sock s;
	int err;

	real_init();
	if (!nlshim_get(fd, &s))
		return real.getpeername(fd, addr, len);
	err = nlshim_put_addr(0, 0, addr, len);
	return err ? nlshim_fail(err) : 0;
}

/* SOL_NETLINK flags the daemon must honour and getsockopt must report. */
static bool nlshim_is_flag(int opt)
{
	switch (opt) {
	case NETLINK_BROADCAST_ERROR:
	case NETLINK_NO_ENOBUFS:
	case NETLINK_LISTEN_ALL_NSID:
	case NETLINK_CAP_ACK:
	case NETLINK_EXT_ACK:
	case NETLINK_GET_STRICT_CHK:
		return true;
	}
	return false;
}

/*
 * Flags are remembered for getsockopt() and forwarded.  Memberships are
 * forwarded when they change; groups beyond our bitmap always are.
 * NETLINK_PKTINFO and the like need control messages we never deliver: say
 * so rather than accept them silently.
 */
static int nlshim_setsockopt_netlink(int fd, int opt, const void *optval,
				     socklen_t optlen)
{
	bool member = opt == NETLINK_ADD_MEMBERSHIP ||
		      opt == NETLINK_DROP_MEMBERSHIP;
	struct nlshim_sock *s;
	__u64 old = 0, new = 0;
	int val = 0;

	/* as netlink_setsockopt(): a short option reads as 0 */
	if (optval && optlen >= sizeof(int))
		memcpy(&val, optval, sizeof(int));
	if (!member && !nlshim_is_flag(opt))
		return -ENOPROTOOPT;
	if (member && val <= 0)
		return -EINVAL;
	if (member && val > NLSHIM_MAX_GROUPS)
		return nlshim_send_ctl(fd, CTO_SHIM_SETOPT, opt, val);

	pthread_mutex_lock(&nlshim_lock);
	s = nlshim_find_locked(fd);
	if (s && member) {
		old = s->groups;
		if (opt == NETLINK_ADD_MEMBERSHIP)
			s->groups |= 1ULL << (val - 1);
		else
			s->groups &= ~(1ULL << (val - 1));
		new = s->groups;
	} else if (s && val) {
		s->flags |= 1U << opt;
	} else if (s) {
		s->flags &= ~(1U << opt);
	}
	pthread_mutex_unlock(&nlshim_lock);
	if (!s)
		return -EBADF;

	if (member)
		return nlshim_set_groups(fd, old, new);
	return nlshim_send_ctl(fd, CTO_SHIM_SETOPT, opt, val);
}

/*
 * Buffer sizes apply to the unix socket where they can; the FORCE variants
 * need CAP_NET_ADMIN there too, so they fall back to the plain ones, and a
 * refusal is hidden because a real netlink socket would have accepted.
 */
static int nlshim_setsockopt_socket(int fd, int opt, const void *optval,
				    socklen_t optlen)
{
	if (opt == SO_RCVBUFFORCE)
		opt = SO_RCVBUF;
	else if (opt == SO_SNDBUFFORCE)
		opt = SO_SNDBUF;
	real.setsockopt(fd, SOL_SOCKET, opt, optval, optlen);
	return 0;
}

NLSHIM_EXPORT int setsockopt(int fd, int level, int opt, const void *optval,
			     socklen_t optlen)
{
	struct nlshim_sock s;
	int err;

	real_init();
	if (!nlshim_get(fd, &s))
		return real.setsockopt(fd, level, opt, optval, optlen);
	if (level == SOL_NETLINK)
		err = nlshim_setsockopt_netlink(fd, opt, optval, optlen);
	else if (level == SOL_SOCKET &&
		 (opt == SO_RCVBUF || opt == SO_SNDBUF ||
		  opt == SO_RCVBUFFORCE || opt == SO_SNDBUFFORCE))
		err = nlshim_setsockopt_socket(fd, opt, optval, optlen);
	else
		return real.setsockopt(fd, level, opt, optval, optlen);
	return err ? nlshim_fail(err) : 0;
}

static int nlshim_put_int(int val, void *optval, socklen_t *optlen)
{
	if (!optval || !optlen)
		return -EFAULT;
	if (*optlen < sizeof(int))
		return -EINVAL;
	memcpy(optval, &val, sizeof(int));
	*optlen = sizeof(int);
	return 0;
}

/* As netlink_getsockopt(): copy what fits, report the size of the whole. */
static int nlshim_put_groups(__u64 groups, void *optval, socklen_t *optlen)
{
	__u32 words[2] = { (__u32)groups, (__u32)(groups >> 32) };

	if (!optval || !optlen)
		return -EFAULT;
	memcpy(optval, words,
	       *optlen < sizeof(words) ? *optlen : sizeof(words));
	*optlen = sizeof(words);
	return 0;
}

static int nlshim_getsockopt_netlink(const struct nlshim_sock *s, int opt,
				     void *optval, socklen_t *optlen)
{
	if (opt == NETLINK_LIST_MEMBERSHIPS)
		return nlshim_put_groups(s->groups, optval, optlen);
	if (!nlshim_is_flag(opt))
		return -ENOPROTOOPT;
	return nlshim_put_int(!!(s->flags & (1U << opt)), optval, optlen);
}

NLSHIM_EXPORT int getsockopt(int fd, int level, int opt, void *optval,
			     socklen_t *optlen)
{
	struct nlshim_sock s;
	int err;

	real_init();
	if (!nlshim_get(fd, &s))
		return real.getsockopt(fd, level, opt, optval, optlen);
	if (level == SOL_NETLINK)
		err = nlshim_getsockopt_netlink(&s, opt, optval, optlen);
	else if (level == SOL_SOCKET && opt == SO_TYPE)
		err = nlshim_put_int(s.type, optval, optlen);
	else if (level == SOL_SOCKET && opt == SO_DOMAIN)
		err = nlshim_put_int(AF_NETLINK, optval, optlen);
	else if (level == SOL_SOCKET && opt == SO_PROTOCOL)
		err = nlshim_put_int(s.protocol, optval, optlen);
	else
		return real.getsockopt(fd, level, opt, optval, optlen);
	return err ? nlshim_fail(err) : 0;
}

/*
 * Sends: the destination is always the kernel, i.e. the daemon.  A single
 * send on a SEQPACKET socket is a single record however many iovecs it
 * gathers, as on netlink, and SO_SNDBUF bounds its size as it does there.
 * MSG_NOSIGNAL because a netlink socket never raises SIGPIPE: a client whose
 * daemon went away gets an error, not a silent death.
 */
NLSHIM_EXPORT ssize_t send(int fd, const void *buf, size_t len, int flags)
{
	struct nlshim_sock s;

	real_init();
	if (nlshim_get(fd, &s))
		flags |= MSG_NOSIGNAL;
	return real.send(fd, buf, len, flags);
}

NLSHIM_EXPORT ssize_t sendto(int fd, const void *buf, size_t len, int flags,
			     const struct sockaddr *addr, socklen_t addrlen)
{
	struct nlshim_sock s;

	real_init();
	if (!nlshim_get(fd, &s))
		return real.sendto(fd, buf, len, flags, addr, addrlen);
	return real.sendto(fd, buf, len, flags | MSG_NOSIGNAL, NULL, 0);
}

/* Control data is dropped: SCM_RIGHTS must not travel to the daemon. */
NLSHIM_EXPORT ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
	struct nlshim_sock s;
	struct msghdr m;

	real_init();
	if (!nlshim_get(fd, &s) || !msg)
		return real.sendmsg(fd, msg, flags);
	m = *msg;
	m.msg_name = NULL;
	m.msg_namelen = 0;
	m.msg_control = NULL;
	m.msg_controllen = 0;
	return real.sendmsg(fd, &m, flags | MSG_NOSIGNAL);
}

/*
 * The daemon never sends an empty record, so 0 bytes is its end.  A netlink
 * socket never reaches end of file: a listener (conntrack -E, tc monitor)
 * would read it forever.  Report the socket as reset instead.
 */
static ssize_t nlshim_daemon_gone(void)
{
	errno = ECONNRESET;
	return -1;
}

/*
 * Receives: SEQPACKET already behaves as netlink for MSG_PEEK and MSG_TRUNC
 * (the full record length is returned); only the source address must be
 * the kernel's, port 0, or iproute2 and libnfnetlink drop the message.
 */
NLSHIM_EXPORT ssize_t recvfrom(int fd, void *buf, size_t len, int flags,
			       struct sockaddr *addr, socklen_t *addrlen)
{
	struct nlshim_sock s;
	ssize_t ret;

	real_init();
	if (!nlshim_get(fd, &s))
		return real.recvfrom(fd, buf, len, flags, addr, addrlen);
	ret = real.recvfrom(fd, buf, len, flags, NULL, NULL);
	if (ret == 0 && len)
		return nlshim_daemon_gone();
	if (ret >= 0 && addr && addrlen)
		nlshim_put_addr(0, 0, addr, addrlen);
	return ret;
}

/* _FORTIFY_SOURCE builds call this instead of recvfrom(). */
NLSHIM_EXPORT ssize_t __recvfrom_chk(int fd, void *buf, size_t len,
				     size_t buflen, int flags,
				     struct sockaddr *addr, socklen_t *addrlen)
{
	if (len > buflen)
		abort();
	return recvfrom(fd, buf, len, flags, addr, addrlen);
}

NLSHIM_EXPORT ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	struct nlshim_sock s;
	struct msghdr m;
	ssize_t ret;

	real_init();
	if (!nlshim_get(fd, &s) || !msg)
		return real.recvmsg(fd, msg, flags);
	m = *msg;
	m.msg_name = NULL;
	m.msg_namelen = 0;
	m.msg_control = NULL;
	m.msg_controllen = 0;
	ret = real.recvmsg(fd, &m, flags);
	if (ret < 0)
		return ret;
	if (ret == 0 && m.msg_iovlen && m.msg_iov[0].iov_len)
		return nlshim_daemon_gone();
	msg->msg_flags = m.msg_flags;
	msg->msg_controllen = 0;
	if (msg->msg_name)
		nlshim_put_addr(0, 0, msg->msg_name, &msg->msg_namelen);
	return ret;
}

NLSHIM_EXPORT int close(int fd)
{
	real_init();
	nlshim_del(fd);
	return real.close(fd);
}

NLSHIM_EXPORT int dup(int fd)
{
	int newfd;

	real_init();
	newfd = real.dup(fd);
	nlshim_dup(fd, newfd);
	return newfd;
}

NLSHIM_EXPORT int dup2(int fd, int newfd)
{
	int ret;

	real_init();
	ret = real.dup2(fd, newfd);
	nlshim_dup(fd, ret);
	return ret;
}

NLSHIM_EXPORT int dup3(int fd, int newfd, int flags)
{
	int ret;

	real_init();
	ret = real.dup3(fd, newfd, flags);
	nlshim_dup(fd, ret);
	return ret;
}
