// SPDX-License-Identifier: GPL-2.0
/*
 * TAP ports: the host kernel sees a TAP interface (a VF's "ens1f0v0", the
 * wire side "ens1f0wire") that users move into a namespace; frames it sends
 * enter our eswitch, frames we transmit come out of it.
 *
 * The TAP is multi-queue (IFF_MULTI_QUEUE): with N datapath threads it gets
 * N queues, one fd each, and the host kernel spreads what it sends over
 * them by flow hash, so each flow stays on one thread.
 *
 * It speaks IFF_VNET_HDR with checksum and TCP segmentation offload
 * (TUNSETOFFLOAD), as a virtio NIC would: a TCP stream in the namespace
 * hands us 64 KB segments, one read() each, which become wire frames here
 * (net/gso.h); the frames stay on the queue (a small stash) until the
 * datapath has taken them all.  What we send within a datapath burst is
 * held per thread while it is one TCP run (gro_frame) and leaves as one
 * frame with its segmentation header when the burst ends.
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <linux/if_ether.h>
#include <linux/if_tun.h>
#include <linux/init.h>
#include <linux/slab.h>
#include <net/gso.h>
#include <net/port.h>

/* the largest frame a host sends with TSO, behind its header */
#define TAP_FRAME_MAX	(65535 + ETH_HLEN + 4)
/* the segments of one: 64 KB at the smallest MSS we let through */
#define TAP_STASH	128

struct tap_queue {
	struct sk_buff *stash[TAP_STASH];
	unsigned int nstash, next;
	u8 buf[sizeof(struct virtio_net_hdr) + TAP_FRAME_MAX];
};

/* one thread's output: the TCP run being held */
struct tap_txq {
	struct gro_frame gro;
	bool queued;			/* port_flush_later() asked */
	u8 buf[TAP_FRAME_MAX];
};

struct tap_port {
	struct tap_queue *q[PORT_MAX_QUEUES];
	struct tap_txq *txq[NR_CPUS];
};

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
static int tap_open_queue(struct port *p, unsigned int q)
{
	struct tap_port *tp = p->priv;
	struct ifreq ifr = {};
	int fd, err;

	tp->q[q] = kzalloc(sizeof(*tp->q[q]), GFP_KERNEL);
	if (!tp->q[q])
		return -ENOMEM;
	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_MULTI_QUEUE | IFF_VNET_HDR;
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", p->name);
	if (ioctl(fd, TUNSETIFF, &ifr) ||
	    ioctl(fd, TUNSETOFFLOAD, TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN)) {
		err = -errno;
		close(fd);
		return err;
	}
	p->fd[q] = fd;
	return 0;
}

static void tap_close_queue(struct port *p, unsigned int q)
{
	struct tap_port *tp = p->priv;
	struct tap_queue *tq = tp->q[q];

	if (p->fd[q] >= 0)
		close(p->fd[q]);
	p->fd[q] = -1;
	/*
	 * What is left in the stash belongs to the pool of the datapath
	 * thread that polled the queue, gone with it by now (ports close
	 * after the datapath stopped).
	 */
	kfree(tq);
	tp->q[q] = NULL;
}

static int tap_open(struct port *p, const char *arg)
{
	int err;

	(void)arg;
	p->priv = kzalloc(sizeof(struct tap_port), GFP_KERNEL);
	if (!p->priv)
		return -ENOMEM;
	err = tap_open_queue(p, 0);
	if (err) {
		tap_close_queue(p, 0);
		kfree(p->priv);
		return err;
	}
	tap_set_up(p->name);
	return 0;
}

static int tap_set_queues(struct port *p, unsigned int n)
{
	unsigned int q;
	int err;

	for (q = p->num_rx_queues; q < n; q++) {
		err = tap_open_queue(p, q);
		if (err) {
			tap_close_queue(p, q);
			return err;
		}
		p->num_rx_queues = q + 1;
	}
	for (q = n; q < p->num_rx_queues; q++)
		tap_close_queue(p, q);
	p->num_rx_queues = n;
	return 0;
}

static int tap_rx_burst(struct port *p, unsigned int queue, struct sk_buff **skbs, int max,
			struct skb_pool *pool)
{
	struct tap_queue *tq = ((struct tap_port *)p->priv)->q[queue];
	const struct virtio_net_hdr *vh = (const void *)tq->buf;
	int n = 0, nseg;
	ssize_t len;

	while (n < max) {
		if (tq->next < tq->nstash) {
			skbs[n++] = tq->stash[tq->next++];
			continue;
		}
		len = read(p->fd[queue], tq->buf, sizeof(tq->buf));
		if (len <= 0)
			break;
		if (len <= (ssize_t)sizeof(*vh)) {
			u64_stats_inc(&this_cpu_ptr(p->pcpu_stats)->rx_dropped);
			continue;
		}
		nseg = skb_gso_segment_frame(tq->buf + sizeof(*vh), len - sizeof(*vh), vh, pool,
					     tq->stash, TAP_STASH);
		if (nseg < 0) {
			u64_stats_inc(&this_cpu_ptr(p->pcpu_stats)->rx_dropped);
			continue;
		}
		tq->nstash = nseg;
		tq->next = 0;
	}
	return n;
}

/* one frame and its header into the host: any queue's fd, the first is always there */
static int tap_write(struct port *p, const struct virtio_net_hdr *vh, const void *data,
		     unsigned int len)
{
	struct iovec iov[2] = {
		{ .iov_base = (void *)vh, .iov_len = sizeof(*vh) },
		{ .iov_base = (void *)data, .iov_len = len },
	};
	ssize_t n = writev(p->fd[0], iov, 2);

	if (n == (ssize_t)(sizeof(*vh) + len))
		return 0;
	return n < 0 ? -errno : -EIO;
}

/* what txq holds, as one frame */
static void tap_gro_send(struct port *p, struct tap_txq *txq)
{
	struct gro_frame *f = &txq->gro;
	struct virtio_net_hdr vh;

	if (!f->len)
		return;
	gro_frame_finish(f, &vh);
	if (tap_write(p, &vh, f->data, f->len)) {
		struct port_stats *st = this_cpu_ptr(p->pcpu_stats);

		/* port_xmit counted them sent when we took them: they were not */
		u64_stats_add(&st->tx_packets, -(unsigned long)f->segs);
		u64_stats_add(&st->tx_bytes, -(unsigned long)(f->len + (f->segs - 1) * f->hlen));
		u64_stats_add(&st->tx_errors, f->segs);
	}
	f->len = 0;
}

/* the burst ended */
static void tap_flush(struct port *p)
{
	struct tap_txq *txq = ((struct tap_port *)p->priv)->txq[smp_processor_id()];

	txq->queued = false;
	tap_gro_send(p, txq);
}

static struct tap_txq *tap_txq(struct port *p)
{
	struct tap_port *tp = p->priv;
	struct tap_txq **txq = &tp->txq[smp_processor_id()];

	if (!*txq) {
		*txq = kzalloc(sizeof(**txq), GFP_KERNEL);
		if (*txq) {
			(*txq)->gro.data = (*txq)->buf;
			(*txq)->gro.max = sizeof((*txq)->buf);
		}
	}
	return *txq;
}

static int tap_xmit(struct port *p, const struct sk_buff *skb)
{
	struct virtio_net_hdr vh = { .gso_type = VIRTIO_NET_HDR_GSO_NONE };
	struct tap_txq *txq;

	if (!port_xmit_batching || !(txq = tap_txq(p)))
		return tap_write(p, &vh, skb->data, skb->len);
	if (gro_frame_merge(&txq->gro, skb))
		return 0;
	tap_gro_send(p, txq);		/* what it held goes first */
	if (!gro_frame_start(&txq->gro, skb))
		return tap_write(p, &vh, skb->data, skb->len);
	if (!txq->queued) {
		txq->queued = true;
		port_flush_later(p);
	}
	return 0;
}

static void tap_close(struct port *p)
{
	unsigned int q;

	for (q = 0; q < p->num_rx_queues; q++)
		tap_close_queue(p, q);
	for (q = 0; q < NR_CPUS; q++)
		kfree(((struct tap_port *)p->priv)->txq[q]);
	kfree(p->priv);
}

static const struct port_ops tap_port_ops = {
	.kind = "tap",
	.open = tap_open,
	.rx_burst = tap_rx_burst,
	.set_queues = tap_set_queues,
	.xmit = tap_xmit,
	.flush = tap_flush,
	.close = tap_close,
};

static void tap_port_init(void)
{
	port_register(&tap_port_ops);
}
module_init(tap_port_init);
