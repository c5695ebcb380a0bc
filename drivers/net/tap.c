// SPDX-License-Identifier: GPL-2.0
/*
 * TAP ports: the host kernel sees a TAP interface (a VF's "ens1f0v0", the
 * wire side "ens1f0wire") that users move into a namespace; frames it sends
 * enter our eswitch, frames we transmit come out of it.
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

static int tap_open(struct port *p, const char *arg)
{
	struct ifreq ifr = {};
	int fd;

	(void)arg;
	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", p->name);
	if (ioctl(fd, TUNSETIFF, &ifr)) {
		int err = -errno;

		close(fd);
		return err;
	}
	p->fd = fd;
	tap_set_up(p->name);
	return 0;
}

static int tap_rx_burst(struct port *p, struct sk_buff **skbs, int max, struct skb_pool *pool)
{
	int n = 0;

	while (n < max) {
		struct sk_buff *skb = alloc_skb(pool);
		ssize_t len;

		if (!skb)
			break;
		len = read(p->fd, skb->data, SKB_DATA_MAX);
		if (len <= 0) {
			kfree_skb(skb);
			break;
		}
		skb->len = len;
		skbs[n++] = skb;
	}
	return n;
}

static int tap_xmit(struct port *p, const struct sk_buff *skb)
{
	ssize_t n = write(p->fd, skb->data, skb->len);

	if (n == (ssize_t)skb->len)
		return 0;
	return n < 0 ? -errno : -EIO;
}

static void tap_close(struct port *p)
{
	if (p->fd >= 0)
		close(p->fd);
}

static const struct port_ops tap_port_ops = {
	.kind = "tap",
	.open = tap_open,
	.rx_burst = tap_rx_burst,
	.xmit = tap_xmit,
	.close = tap_close,
};

static void tap_port_init(void)
{
	port_register(&tap_port_ops);
}
module_init(tap_port_init);
