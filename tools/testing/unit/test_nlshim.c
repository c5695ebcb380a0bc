// SPDX-License-Identifier: GPL-2.0
/*
 * test_nlshim.c - the netlink shim against a fake daemon.
 *
 * The test re-executes itself with the built shim in LD_PRELOAD, so what is
 * tested is the library that `ctoffload exec` preloads, interposed the way
 * it is on tc.  The shim is found in $CTO_NLSHIM_SO, else next to this
 * executable.  Each test runs a fake ctoffloadd in a thread on a temporary
 * socket: it answers the hello with port id 4242, logs every record, and
 * echoes netlink messages back with nlmsg_pid set, as the daemon does.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <linux/netlink.h>
#include <cmocka.h>

#include <uapi/ctoffload/nlshim.h>

#define FAKE_PORTID	4242
#define FAKE_MAX_RECS	64
#define PRELOADED_ENV	"CTO_TEST_NLSHIM_PRELOADED"

struct fake_rec {
	size_t len;
	bool ctl;
	struct cto_shim_ctl c;	/* valid if ctl */
};

struct fake_daemon {
	char dir[64];
	char path[108];
	int listen_fd;
	bool threaded;
	pthread_t thread;
	__s32 hello_error;	/* what the hello reply says */

	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct cto_shim_ctl hello;	/* guarded by lock */
	struct fake_rec recs[FAKE_MAX_RECS];
	unsigned int nrecs;
	bool eof;
};

static void fake_log(struct fake_daemon *f, const struct fake_rec *rec)
{
	pthread_mutex_lock(&f->lock);
	if (f->nrecs < FAKE_MAX_RECS)
		f->recs[f->nrecs++] = *rec;
	pthread_cond_broadcast(&f->cond);
	pthread_mutex_unlock(&f->lock);
}

/* Netlink in, same netlink out, addressed to the client's port. */
static void fake_serve(struct fake_daemon *f, int fd)
{
	static char buf[1 << 17];
	struct fake_rec rec;
	ssize_t n;

	while ((n = recv(fd, buf, sizeof(buf), MSG_TRUNC)) > 0) {
		memset(&rec, 0, sizeof(rec));
		rec.len = n;
		memcpy(&rec.c, buf, n < (ssize_t)sizeof(rec.c) ? n :
		       (ssize_t)sizeof(rec.c));
		rec.ctl = n == sizeof(rec.c) && rec.c.magic == CTO_SHIM_MAGIC;
		fake_log(f, &rec);
		if (rec.ctl || n < (ssize_t)sizeof(struct nlmsghdr))
			continue;
		((struct nlmsghdr *)buf)->nlmsg_pid = FAKE_PORTID;
		send(fd, buf, n, MSG_NOSIGNAL);
	}
}

static void *fake_thread(void *arg)
{
	struct fake_daemon *f = arg;
	struct cto_shim_hello_reply reply = {
		.magic = CTO_SHIM_MAGIC,
		.error = f->hello_error,
		.portid = FAKE_PORTID,
	};
	struct cto_shim_ctl hello = { 0 };
	int fd;

	fd = accept(f->listen_fd, NULL, NULL);
	if (fd < 0)
		goto out;
	if (recv(fd, &hello, sizeof(hello), 0) == sizeof(hello)) {
		pthread_mutex_lock(&f->lock);
		f->hello = hello;
		pthread_mutex_unlock(&f->lock);
		send(fd, &reply, sizeof(reply), MSG_NOSIGNAL);
		if (!f->hello_error)
			fake_serve(f, fd);
	}
	close(fd);
out:
	pthread_mutex_lock(&f->lock);
	f->eof = true;
	pthread_cond_broadcast(&f->cond);
	pthread_mutex_unlock(&f->lock);
	return NULL;
}

static struct fake_daemon *fake_new(__s32 hello_error, bool threaded)
{
	struct fake_daemon *f = calloc(1, sizeof(*f));
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	assert_non_null(f);
	strcpy(f->dir, "/tmp/test_nlshim.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/d.sock", f->dir);
	strcpy(sun.sun_path, f->path);
	f->hello_error = hello_error;
	pthread_mutex_init(&f->lock, NULL);
	pthread_cond_init(&f->cond, NULL);

	f->listen_fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	assert_true(f->listen_fd >= 0);
	assert_int_equal(bind(f->listen_fd, (struct sockaddr *)&sun,
			      sizeof(sun)), 0);
	assert_int_equal(listen(f->listen_fd, 4), 0);
	assert_int_equal(setenv(CTO_ENV_SOCK, f->path, 1), 0);

	f->threaded = threaded;
	if (threaded)
		assert_int_equal(pthread_create(&f->thread, NULL, fake_thread,
						f), 0);
	return f;
}

/* Every threaded test ends with its client socket closed, so the fake exits. */
static void fake_free(struct fake_daemon *f)
{
	if (f->threaded)
		pthread_join(f->thread, NULL);
	close(f->listen_fd);
	unlink(f->path);
	rmdir(f->dir);
	pthread_cond_destroy(&f->cond);
	pthread_mutex_destroy(&f->lock);
	unsetenv(CTO_ENV_SOCK);
	free(f);
}

/* Wait (1 s at most) until the fake has logged n records; copy record i. */
static struct fake_rec fake_rec(struct fake_daemon *f, unsigned int i)
{
	struct timespec until;
	struct fake_rec rec = { 0 };

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 1;
	pthread_mutex_lock(&f->lock);
	while (f->nrecs <= i && !f->eof &&
	       !pthread_cond_timedwait(&f->cond, &f->lock, &until))
		;
	if (f->nrecs > i)
		rec = f->recs[i];
	pthread_mutex_unlock(&f->lock);
	assert_true(rec.len > 0);
	return rec;
}

static void assert_ctl(struct fake_daemon *f, unsigned int i, __u32 op,
		       __u32 arg, __u32 val)
{
	struct fake_rec rec = fake_rec(f, i);

	assert_true(rec.ctl);
	assert_int_equal(rec.c.op, op);
	assert_int_equal(rec.c.arg, arg);
	assert_int_equal(rec.c.val, val);
}

static int nl_open(int type, int protocol)
{
	int fd = socket(AF_NETLINK, type, protocol);

	assert_true(fd >= 0);
	return fd;
}

/* A netlink round trip: once echoed, the fake has seen all sent before. */
static void nl_roundtrip(int fd, __u32 seq)
{
	struct nlmsghdr req = {
		.nlmsg_len = sizeof(req),
		.nlmsg_type = NLMSG_NOOP,
		.nlmsg_flags = NLM_F_REQUEST,
		.nlmsg_seq = seq,
	};
	struct nlmsghdr rsp;

	assert_int_equal(send(fd, &req, sizeof(req), 0), sizeof(req));
	assert_int_equal(recv(fd, &rsp, sizeof(rsp), 0), sizeof(rsp));
	assert_int_equal(rsp.nlmsg_seq, seq);
	assert_int_equal(rsp.nlmsg_pid, FAKE_PORTID);
}

/* Guards against testing libc: socket() must be the shim's. */
static void test_shim_is_preloaded(void **state)
{
	Dl_info info;

	(void)state;
	assert_true(dladdr(dlsym(RTLD_DEFAULT, "socket"), &info));
	assert_non_null(strstr(info.dli_fname, "libctoffload-nlshim.so"));
}

static void test_hello_and_getsockname(void **state)
{
	struct fake_daemon *f = fake_new(0, true);
	struct sockaddr_nl nl;
	socklen_t len = sizeof(nl);
	int fd, val;

	(void)state;
	fd = nl_open(SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	assert_int_equal(f->hello.magic, CTO_SHIM_MAGIC);
	assert_int_equal(f->hello.op, CTO_SHIM_HELLO);
	assert_int_equal(f->hello.arg, NETLINK_ROUTE);
	assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	assert_false(fcntl(fd, F_GETFL) & O_NONBLOCK);

	memset(&nl, 0xff, sizeof(nl));
	assert_int_equal(getsockname(fd, (struct sockaddr *)&nl, &len), 0);
	assert_int_equal(len, sizeof(struct sockaddr_nl));
	assert_int_equal(nl.nl_family, AF_NETLINK);
	assert_int_equal(nl.nl_pid, FAKE_PORTID);
	assert_int_equal(nl.nl_groups, 0);

	len = sizeof(val);
	assert_int_equal(getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &val, &len), 0);
	assert_int_equal(val, AF_NETLINK);
	assert_int_equal(getsockopt(fd, SOL_SOCKET, SO_TYPE, &val, &len), 0);
	assert_int_equal(val, SOCK_RAW);
	close(fd);
	fake_free(f);
}

static void test_hello_error(void **state)
{
	struct fake_daemon *f = fake_new(-EPROTONOSUPPORT, true);

	(void)state;
	errno = 0;
	assert_int_equal(socket(AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER), -1);
	assert_int_equal(errno, EPROTONOSUPPORT);
	assert_int_equal(f->hello.arg, NETLINK_NETFILTER);
	fake_free(f);
}

/* Netlink framing: one send, one record, whatever the iovecs. */
static void test_send_is_one_record(void **state)
{
	struct fake_daemon *f = fake_new(0, true);
	size_t total = 40000, part = 1000;
	char *buf = calloc(1, total);
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	struct sockaddr_nl to = { .nl_family = AF_NETLINK };
	struct iovec iov[3] = {
		{ buf, part },
		{ buf + part, part },
		{ buf + 2 * part, total - 2 * part },
	};
	struct msghdr msg = {
		.msg_name = &to, .msg_namelen = sizeof(to),
		.msg_iov = iov, .msg_iovlen = 3,
	};
	int fd;

	(void)state;
	assert_non_null(buf);
	fd = nl_open(SOCK_RAW, NETLINK_ROUTE);
	h->nlmsg_len = total;
	h->nlmsg_type = NLMSG_NOOP;
	assert_int_equal(sendmsg(fd, &msg, 0), total);
	assert_int_equal(fake_rec(f, 0).len, total);
	assert_false(fake_rec(f, 0).ctl);

	assert_int_equal(sendto(fd, buf, 20, 0, (struct sockaddr *)&to,
				sizeof(to)), 20);
	assert_int_equal(fake_rec(f, 1).len, 20);
	close(fd);
	fake_free(f);
	free(buf);
}

/* What iproute2's rtnl_recvmsg() and libnfnetlink's nfnl_recv() check. */
static void test_recv_like_netlink(void **state)
{
	struct fake_daemon *f = fake_new(0, true);
	char buf[4096] = { 0 };
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	struct sockaddr_nl from;
	struct iovec iov = { NULL, 0 };
	struct msghdr msg = {
		.msg_name = &from, .msg_namelen = sizeof(from),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = buf, .msg_controllen = 64,
	};
	socklen_t len;
	int fd;

	(void)state;
	fd = nl_open(SOCK_RAW, NETLINK_ROUTE);
	h->nlmsg_len = 300;
	h->nlmsg_seq = 7;
	assert_int_equal(send(fd, buf, 300, 0), 300);

	/* size the buffer as iproute2 does: peek, truncated, full length */
	memset(&from, 0xff, sizeof(from));
	assert_int_equal(recvmsg(fd, &msg, MSG_PEEK | MSG_TRUNC), 300);
	assert_true(msg.msg_flags & MSG_TRUNC);
	assert_int_equal(msg.msg_namelen, sizeof(struct sockaddr_nl));
	assert_int_equal(from.nl_family, AF_NETLINK);
	assert_int_equal(from.nl_pid, 0);
	assert_int_equal(from.nl_groups, 0);
	assert_int_equal(msg.msg_controllen, 0);

	/* a short read truncates and says so */
	iov.iov_base = buf;
	iov.iov_len = 16;
	assert_int_equal(recvmsg(fd, &msg, MSG_PEEK), 16);
	assert_true(msg.msg_flags & MSG_TRUNC);

	/* and the whole record is still there, with our port in it */
	iov.iov_len = sizeof(buf);
	msg.msg_name = NULL;
	msg.msg_namelen = 0;
	memset(buf, 0, sizeof(buf));
	assert_int_equal(recvmsg(fd, &msg, 0), 300);
	assert_false(msg.msg_flags & MSG_TRUNC);
	assert_int_equal(h->nlmsg_pid, FAKE_PORTID);
	assert_int_equal(h->nlmsg_seq, 7);

	/* recvfrom, as libnfnetlink uses it */
	assert_int_equal(send(fd, buf, 300, 0), 300);
	len = sizeof(from);
	memset(&from, 0xff, sizeof(from));
	assert_int_equal(recvfrom(fd, buf, sizeof(buf), 0,
				  (struct sockaddr *)&from, &len), 300);
	assert_int_equal(len, sizeof(struct sockaddr_nl));
	assert_int_equal(from.nl_family, AF_NETLINK);
	assert_int_equal(from.nl_pid, 0);
	close(fd);
	fake_free(f);
}

static void test_nonblocking(void **state)
{
	struct fake_daemon *f = fake_new(0, true);
	char buf[64];
	int fd;

	(void)state;
	fd = nl_open(SOCK_DGRAM | SOCK_NONBLOCK, NETLINK_NETFILTER);
	assert_true(fcntl(fd, F_GETFL) & O_NONBLOCK);
	assert_int_equal(recv(fd, buf, sizeof(buf), 0), -1);
	assert_int_equal(errno, EAGAIN);
	close(fd);
	fake_free(f);

	f = fake_new(0, true);
	fd = nl_open(SOCK_RAW, NETLINK_ROUTE);
	assert_int_equal(recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT,
				  NULL, NULL), -1);
	assert_int_equal(errno, EAGAIN);
	close(fd);
	fake_free(f);
}

/* Group membership and flags reach the daemon as control records. */
static void test_setsockopt_records(void **state)
{
	struct fake_daemon *f = fake_new(0, true);
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK, .nl_groups = 0x3 };
	socklen_t len = sizeof(nl);
	__u32 groups[2];
	int fd, one = 1, val;

	(void)state;
	fd = nl_open(SOCK_RAW, NETLINK_ROUTE);
	assert_int_equal(setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
				    &(int){ 4 }, sizeof(int)), 0);
	assert_ctl(f, 0, CTO_SHIM_SETOPT, NETLINK_ADD_MEMBERSHIP, 4);

	assert_int_equal(setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK,
				    &one, sizeof(one)), 0);
	assert_ctl(f, 1, CTO_SHIM_SETOPT, NETLINK_EXT_ACK, 1);
	len = sizeof(val);
	assert_int_equal(getsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK,
				    &val, &len), 0);
	assert_int_equal(val, 1);
	assert_int_equal(len, sizeof(int));

	/*
	 * The legacy bind mask replaces groups 1..32, as in netlink_bind():
	 * 1 and 2 join, 4 leaves; libnfnetlink re-binds on each subsystem.
	 */
	assert_int_equal(bind(fd, (struct sockaddr *)&nl, sizeof(nl)), 0);
	assert_ctl(f, 2, CTO_SHIM_SETOPT, NETLINK_ADD_MEMBERSHIP, 1);
	assert_ctl(f, 3, CTO_SHIM_SETOPT, NETLINK_ADD_MEMBERSHIP, 2);
	assert_ctl(f, 4, CTO_SHIM_SETOPT, NETLINK_DROP_MEMBERSHIP, 4);
	nl.nl_groups = 0x2;
	assert_int_equal(bind(fd, (struct sockaddr *)&nl, sizeof(nl)), 0);
	assert_ctl(f, 5, CTO_SHIM_SETOPT, NETLINK_DROP_MEMBERSHIP, 1);

	len = sizeof(nl);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&nl, &len), 0);
	assert_int_equal(nl.nl_groups, 0x2);
	len = sizeof(groups);
	assert_int_equal(getsockopt(fd, SOL_NETLINK, NETLINK_LIST_MEMBERSHIPS,
				    groups, &len), 0);
	assert_int_equal(groups[0], 0x2);

	/* what the unix socket cannot do is accepted, not failed */
	assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE,
				    &(int){ 1 << 20 }, sizeof(int)), 0);
	assert_int_equal(setsockopt(fd, SOL_NETLINK, NETLINK_PKTINFO,
				    &one, sizeof(one)), -1);
	assert_int_equal(errno, ENOPROTOOPT);

	/* nothing else was sent: the next record is ours */
	nl_roundtrip(fd, 99);
	assert_false(fake_rec(f, 6).ctl);
	close(fd);
	fake_free(f);
}

static void test_dup_and_close(void **state)
{
	struct fake_daemon *f = fake_new(0, true);
	struct sockaddr_nl nl;
	socklen_t len = sizeof(nl);
	int fd, fd2;

	(void)state;
	fd = nl_open(SOCK_RAW, NETLINK_ROUTE);
	fd2 = dup(fd);
	assert_true(fd2 >= 0);
	close(fd);
	assert_int_equal(getsockname(fd2, (struct sockaddr *)&nl, &len), 0);
	assert_int_equal(nl.nl_pid, FAKE_PORTID);
	nl_roundtrip(fd2, 1);
	close(fd2);
	fake_free(f);
}

/* Other families, other protocols, and no daemon: the real thing. */
static void test_others_untouched(void **state)
{
	struct fake_daemon *f = fake_new(0, false);
	struct pollfd pfd = { .fd = f->listen_fd, .events = POLLIN };
	struct sockaddr_in in = { .sin_family = AF_INET };
	socklen_t len = sizeof(in);
	int fd, val;

	(void)state;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&in, sizeof(in)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&in, &len), 0);
	assert_int_equal(len, sizeof(in));
	assert_int_equal(in.sin_family, AF_INET);
	close(fd);

	/* a protocol the daemon does not serve goes to the kernel */
	fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
	if (fd >= 0) {
		len = sizeof(val);
		assert_int_equal(getsockopt(fd, SOL_SOCKET, SO_PROTOCOL,
					    &val, &len), 0);
		assert_int_equal(val, NETLINK_GENERIC);
		close(fd);
	}
	assert_int_equal(poll(&pfd, 1, 0), 0);

	/* without CTOFFLOAD_SOCK the shim stays out of the way */
	unsetenv(CTO_ENV_SOCK);
	fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	if (fd >= 0) {
		len = sizeof(val);
		assert_int_equal(getsockopt(fd, SOL_SOCKET, SO_TYPE,
					    &val, &len), 0);
		assert_int_equal(val, SOCK_RAW);
		assert_int_equal(setsockopt(fd, SOL_NETLINK,
					    NETLINK_ADD_MEMBERSHIP, &(int){ 0 },
					    sizeof(int)), -1);
		close(fd);
	}
	assert_int_equal(poll(&pfd, 1, 0), 0);
	fake_free(f);
}

/*
 * Run again under LD_PRELOAD of the shim.  An ASan build of the test loads
 * the (ASan) shim ahead of the runtime, which ASan tolerates when told to.
 */
static int reexec_preloaded(char **argv)
{
	char exe[PATH_MAX], so[PATH_MAX + 32];
	const char *asan = getenv("ASAN_OPTIONS");
	char *opts;

	if (getenv("CTO_NLSHIM_SO")) {
		snprintf(so, sizeof(so), "%s", getenv("CTO_NLSHIM_SO"));
	} else {
		if (!realpath("/proc/self/exe", exe))
			return 1;
		snprintf(so, sizeof(so), "%s/libctoffload-nlshim.so",
			 dirname(exe));
	}
	if (access(so, R_OK)) {
		fprintf(stderr, "test_nlshim: no shim at %s (set CTO_NLSHIM_SO)\n",
			so);
		return 1;
	}
	if (asprintf(&opts, "%s%sverify_asan_link_order=0", asan ? asan : "",
		     asan ? ":" : "") < 0)
		return 1;
	setenv("ASAN_OPTIONS", opts, 1);
	free(opts);
	setenv("LD_PRELOAD", so, 1);
	setenv(PRELOADED_ENV, "1", 1);
	execv("/proc/self/exe", argv);
	perror("test_nlshim: execv");
	return 1;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shim_is_preloaded),
		cmocka_unit_test(test_hello_and_getsockname),
		cmocka_unit_test(test_hello_error),
		cmocka_unit_test(test_send_is_one_record),
		cmocka_unit_test(test_recv_like_netlink),
		cmocka_unit_test(test_nonblocking),
		cmocka_unit_test(test_setsockopt_records),
		cmocka_unit_test(test_dup_and_close),
		cmocka_unit_test(test_others_untouched),
	};

	(void)argc;
	if (!getenv(PRELOADED_ENV))
		return reexec_preloaded(argv);
	unsetenv("LD_PRELOAD");	/* children of the tests need no shim */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
