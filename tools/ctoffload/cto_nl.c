// SPDX-License-Identifier: GPL-2.0
/*
 * The client side of NETLINK_CTOFFLOAD: the daemon's socket speaks the
 * shim's protocol (hello, then one netlink datagram per record), so the
 * client connects as the shim would and uses libmnl for the messages.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <linux/netlink.h>
#include <uapi/ctoffload/nlshim.h>
#include "cto_nl.h"

static int __cto_nl_open(int protocol)
{
	struct cto_shim_ctl hello = { .magic = CTO_SHIM_MAGIC, .op = CTO_SHIM_HELLO,
				      .arg = protocol };
	struct cto_shim_hello_reply r;
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	if (daemon_sock_path(sun.sun_path, sizeof(sun.sun_path)))
		return -ENAMETOOLONG;
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    send(fd, &hello, sizeof(hello), 0) != sizeof(hello) ||
	    recv(fd, &r, sizeof(r), 0) != sizeof(r)) {
		int err = -errno;

		close(fd);
		return err ? err : -EPROTO;
	}
	if (r.magic != CTO_SHIM_MAGIC || r.error) {
		close(fd);
		return r.error ? r.error : -EPROTO;
	}
	return fd;
}

int cto_nl_open(int protocol)
{
	int fd = __cto_nl_open(protocol);

	if (fd < 0)
		fprintf(stderr, "ctoffload: cannot reach daemon '%s': %s\n", daemon_name,
			strerror(-fd));
	return fd;
}

/* the error message's extack text, if the daemon sent one */
static void print_extack(const struct nlmsghdr *nlh, const char *prog)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;
	size_t off = sizeof(*e);

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(e->msg);
	mnl_attr_for_each(attr, nlh, off) {
		if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG)
			fprintf(stderr, "%s: %s\n", prog, mnl_attr_get_str(attr));
	}
}

/* the largest record the daemon sends (it splits long dumps below this) */
#define CTO_NL_RECV_SIZE	65536

int cto_nl_request(int fd, struct nlmsghdr *req, mnl_cb_t cb, void *data, const char *prog)
{
	char *buf = malloc(CTO_NL_RECV_SIZE);
	int ret = 0;

	if (!buf)
		return -ENOMEM;
	req->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	req->nlmsg_seq = 1;
	if (send(fd, req, req->nlmsg_len, 0) != (ssize_t)req->nlmsg_len) {
		free(buf);
		return -errno;
	}
	for (;;) {
		/* MSG_TRUNC: a record cut short is an error, not silently less output */
		ssize_t n = recv(fd, buf, CTO_NL_RECV_SIZE, MSG_TRUNC);
		struct nlmsghdr *nlh;
		int len;

		if (n <= 0) {
			ret = n < 0 ? -errno : -ECONNRESET;
			break;
		}
		if (n > CTO_NL_RECV_SIZE) {
			fprintf(stderr, "%s: a reply of %zd bytes did not fit\n", prog, n);
			ret = -EMSGSIZE;
			break;
		}
		len = n;
		for (nlh = (struct nlmsghdr *)buf; mnl_nlmsg_ok(nlh, len);
		     nlh = mnl_nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_type == NLMSG_DONE)
				goto out;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

				ret = e->error;
				if (ret)
					print_extack(nlh, prog);
				goto out;
			}
			if (cb && cb(nlh, data) < 0) {
				ret = -EINVAL;
				goto out;
			}
		}
	}
out:
	free(buf);
	return ret;
}
