// SPDX-License-Identifier: GPL-2.0
/*
 * TAP ports: the host kernel sees a TAP interface (a VF's "ens1f0v0", the
 * wire side "ens1f0wire") that users move into a namespace; frames it sends
 * enter our eswitch, frames we transmit come out of it.
 *
 * The TAP is multi-queue (IFF_MULTI_QUEUE): with N datapath threads it gets
 * N queues, one fd each, and the host kernel spreads what it sends over
 * them by flow hash, so each flow stays on one thread.
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/if_tun.h>
#include <linux/init.h>
#include <net/port.h>

static int tap_set_up(const char *name)
{
	struct ifreq ifr = {};
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), err = 0;

	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(fd, SIOCSIFFLAGS, &ifr))
			err = -errno;
	}
	close(fd);
	return err;
}

/* one queue of the TAP named name (the first one creates it) */
static int tap_open_queue(const char *name)
{
	struct ifreq ifr = {};
	int fd;

	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_MULTI_QUEUE;
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

static int tap_open(struct port *p, const char *arg)
{
	int fd;

	(void)arg;
	fd = tap_open_queue(p->name);
	if (fd < 0)
		return fd;
	p->fd[0] = fd;
	tap_set_up(p->name);
	return 0;
}

static int tap_set_queues(struct port *p, unsigned int n)
{
	unsigned int q;

	for (q = p->num_rx_queues; q < n; q++) {
		int fd = tap_open_queue(p->name);

		if (fd < 0)
			return fd;
		p->fd[q] = fd;
		p->num_rx_queues = q + 1;
	}
	for (q = n; q < p->num_rx_queues; q++) {
		close(p->fd[q]);
		p->fd[q] = -1;
	}
	p->num_rx_queues = n;
	return 0;
}

static int tap_rx_burst(struct port *p, unsigned int queue, struct sk_buff **skbs, int max,
			struct skb_pool *pool)
{
	int n = 0;

	while (n < max) {
		struct sk_buff *skb = alloc_skb(pool);
		ssize_t len;

		if (!skb)
			break;
		len = read(p->fd[queue], skb->data, SKB_DATA_MAX);
		if (len <= 0) {
			kfree_skb(skb);
			break;
		}
		skb->len = len;
		skbs[n++] = skb;
	}
	return n;
}

/* any queue's fd sends into the host; the first is always there */
static int tap_xmit(struct port *p, const struct sk_buff *skb)
{
	ssize_t n = write(p->fd[0], skb->data, skb->len);

	if (n == (ssize_t)skb->len)
		return 0;
	return n < 0 ? -errno : -EIO;
}

static void tap_close(struct port *p)
{
	unsigned int q;

	for (q = 0; q < p->num_rx_queues; q++)
		if (p->fd[q] >= 0)
			close(p->fd[q]);
}

static const struct port_ops tap_port_ops = {
	.kind = "tap",
	.open = tap_open,
	.rx_burst = tap_rx_burst,
	.set_queues = tap_set_queues,
	.xmit = tap_xmit,
	.close = tap_close,
};

static void tap_port_init(void)
{
	port_register(&tap_port_ops);
}
module_init(tap_port_init);
