// SPDX-License-Identifier: GPL-2.0
/*
 * The in-memory generator port, for benchmarks: "gen[:flows=N,len=L]"
 * receives an endless stream of L-byte IPv4/UDP frames (default 64) from
 * 10.0.1.x to 10.0.0.2, cycling over N flows (source port and address).
 * Frames are written from a template, so generating costs a copy.
 *
 * With n rx queues (one per datapath thread) the flows are split as RSS
 * would: queue q sends flows q, q + n, q + 2n...
 *
 * gen_port_set_tcp() turns it into one step of a TCP handshake over the
 * same flows, one frame each and then quiet: the SYNs (from 10.0.x.y to
 * 10.0.0.2:5001), the SYN-ACKs (back, from a generator on the other side)
 * or the ACKs, with valid checksums and the sequence numbers that make
 * conntrack see ESTABLISHED.
 */
#include <net/checksum.h>
#include <stdio.h>
#include <stdlib.h>
#include <arpa/inet.h>
#include <linux/init.h>
#include <linux/slab.h>
#include <net/port.h>

/* one queue's position, on its own cache line (one thread each) */
struct gen_queue {
	u32 next;
} __aligned(SMP_CACHE_BYTES);

struct gen_port {
	unsigned char tmpl[SKB_DATA_MAX];
	unsigned int len;
	u32 flows;
	unsigned int nqueues;
	enum gen_tcp_step tcp;		/* GEN_UDP: the endless UDP stream */
	/* the client's address and port in the IP header (flows vary them) */
	unsigned int addr_off, port_off;
	u32 left;			/* TCP steps: frames still to send (queue 0 only) */
	struct gen_queue q[PORT_MAX_QUEUES];
};

static const struct port_ops gen_port_ops;

static u16 ip_csum(const void *data, int len)
{
	const u16 *p = data;
	u32 sum = 0;

	while (len > 1) {
		sum += *p++;
		len -= 2;
	}
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

static void gen_build_template(struct gen_port *g)
{
	static const unsigned char hdr[] = {
		0x02, 0xc7, 0, 0, 0, 0x02,	0x02, 0, 0, 0, 0, 0x01,	0x08, 0x00,
		0x45, 0, 0, 0, 0, 0, 0x40, 0, 64, 17, 0, 0,
		10, 0, 1, 1,	10, 0, 0, 2,
		0x13, 0x88, 0x13, 0x89, 0, 0, 0, 0,
	};
	unsigned char *ip = g->tmpl + 14;

	memcpy(g->tmpl, hdr, sizeof(hdr));
	ip[2] = (g->len - 14) >> 8;
	ip[3] = (g->len - 14) & 0xff;
	ip[24] = (g->len - 34) >> 8;	/* UDP length */
	ip[25] = (g->len - 34) & 0xff;
}

#define GEN_SEQ_CLIENT	1000u
#define GEN_SEQ_SERVER	5000u

/* eth + IPv4 + TCP, no options: client 10.0.1.1:5000 -> server 10.0.0.2:5001 */
static void gen_build_tcp_template(struct gen_port *g)
{
	static const unsigned char hdr[] = {
		0x02, 0xc7, 0, 0, 0, 0x02,	0x02, 0, 0, 0, 0, 0x01,	0x08, 0x00,
		0x45, 0, 0, 40, 0, 0, 0x40, 0, 64, 6, 0, 0,
		10, 0, 1, 1,	10, 0, 0, 2,
		0x13, 0x88, 0x13, 0x89,	0, 0, 0, 0,	0, 0, 0, 0,	0x50, 0, 0xff, 0xff,
		0, 0, 0, 0,
	};
	unsigned char *ip = g->tmpl + 14, *th = ip + 20, t[6];
	u32 seq = GEN_SEQ_CLIENT, ack = 0;
	u8 flags = 0x02;				/* SYN */

	memset(g->tmpl, 0, 60);
	memcpy(g->tmpl, hdr, sizeof(hdr));
	g->len = 60;					/* the Ethernet minimum */
	if (g->tcp == GEN_TCP_SYNACK) {
		/* the server's answer: MACs, addresses and ports swapped */
		memcpy(t, g->tmpl, 6);
		memcpy(g->tmpl, g->tmpl + 6, 6);
		memcpy(g->tmpl + 6, t, 6);
		memcpy(t, ip + 12, 4);
		memcpy(ip + 12, ip + 16, 4);
		memcpy(ip + 16, t, 4);
		memcpy(t, th, 2);
		memcpy(th, th + 2, 2);
		memcpy(th + 2, t, 2);
		seq = GEN_SEQ_SERVER;
		ack = GEN_SEQ_CLIENT + 1;
		flags = 0x12;				/* SYN, ACK */
	} else if (g->tcp == GEN_TCP_ACK) {
		seq = GEN_SEQ_CLIENT + 1;
		ack = GEN_SEQ_SERVER + 1;
		flags = 0x10;				/* ACK */
	}
	seq = htonl(seq);
	ack = htonl(ack);
	memcpy(th + 4, &seq, 4);
	memcpy(th + 8, &ack, 4);
	th[13] = flags;
}

/* flow f's addresses and ports into the frame at ip, and its checksums */
static void gen_fill(const struct gen_port *g, unsigned char *ip, u32 f)
{
	ip[g->addr_off + 2] = 1 + ((f >> 16) & 0x7f);
	ip[g->addr_off + 3] = f >> 8;
	ip[g->port_off] = 0x10 | ((f >> 24) & 0xf);
	ip[g->port_off + 1] = f;
	ip[10] = ip[11] = 0;
	*(u16 *)(ip + 10) = ip_csum(ip, 20);
	if (g->tcp != GEN_UDP) {
		__be32 saddr, daddr;

		memcpy(&saddr, ip + 12, 4);
		memcpy(&daddr, ip + 16, 4);
		ip[36] = ip[37] = 0;
		*(__sum16 *)(ip + 36) = csum_tcpudp_magic(saddr, daddr, 20, IPPROTO_TCP,
							  csum_partial(ip + 20, 20, 0));
	}
}

static void gen_reset(struct gen_port *g)
{
	unsigned int q;

	for (q = 0; q < PORT_MAX_QUEUES; q++)
		g->q[q].next = q;
}

static int gen_open(struct port *p, const char *arg)
{
	struct gen_port *g = kzalloc(sizeof(*g), GFP_KERNEL);
	const char *s;

	if (!g)
		return -ENOMEM;
	g->flows = 1;
	g->len = 64;
	g->nqueues = 1;
	g->addr_off = 12;		/* the source: the generator is the client */
	g->port_off = 20;
	if (arg && (s = strstr(arg, "flows=")))
		g->flows = strtoul(s + 6, NULL, 0);
	if (arg && (s = strstr(arg, "len=")))
		g->len = strtoul(s + 4, NULL, 0);
	if (!g->flows || g->len < 60 || g->len > SKB_DATA_MAX) {
		kfree(g);
		return -EINVAL;
	}
	gen_build_template(g);
	gen_reset(g);
	p->priv = g;
	return 0;
}

static int gen_rx_burst(struct port *p, unsigned int queue, struct sk_buff **skbs, int max,
			struct skb_pool *pool)
{
	struct gen_port *g = p->priv;
	struct gen_queue *gq = &g->q[queue];
	unsigned int step = g->nqueues;
	int n;

	if (queue >= g->flows)
		return 0;		/* fewer flows than queues: this one is idle */
	if (g->tcp != GEN_UDP) {
		if (queue)
			return 0;	/* a handshake step is one queue's */
		max = min_t(int, max, g->left);
		step = 1;
	}
	for (n = 0; n < max; n++) {
		struct sk_buff *skb = alloc_skb(pool);
		u32 f = gq->next;

		if (!skb)
			break;
		gq->next += step;
		if (gq->next >= g->flows)
			gq->next = queue;
		memcpy(skb->data, g->tmpl, g->len);
		gen_fill(g, skb->data + 14, f);
		skb->len = g->len;
		skbs[n] = skb;
	}
	if (g->tcp != GEN_UDP)
		g->left -= n;
	return n;
}

/* with the port's queues idle */
int gen_port_set_flows(struct port *p, u32 flows)
{
	struct gen_port *g = p->priv;

	if (p->ops != &gen_port_ops || !flows)
		return -EINVAL;
	g->flows = flows;
	gen_reset(g);
	return 0;
}

int gen_port_set_tcp(struct port *p, enum gen_tcp_step step, u32 flows)
{
	struct gen_port *g = p->priv;

	if (p->ops != &gen_port_ops || !flows)
		return -EINVAL;
	g->tcp = step;
	/* the server's answer carries the client's address and port as destination */
	g->addr_off = step == GEN_TCP_SYNACK ? 16 : 12;
	g->port_off = step == GEN_TCP_SYNACK ? 22 : 20;
	g->flows = flows;
	g->left = step == GEN_UDP ? 0 : flows;
	if (step == GEN_UDP) {
		g->len = 64;
		gen_build_template(g);
	} else {
		gen_build_tcp_template(g);
	}
	gen_reset(g);
	return 0;
}

static int gen_set_queues(struct port *p, unsigned int n)
{
	struct gen_port *g = p->priv;

	g->nqueues = n;
	p->num_rx_queues = n;
	gen_reset(g);
	return 0;
}

/* the generator is also a sink: what is sent to it is only counted */
static int gen_xmit(struct port *p, const struct sk_buff *skb)
{
	return 0;
}

static void gen_close(struct port *p)
{
	kfree(p->priv);
}

static const struct port_ops gen_port_ops = {
	.kind = "gen",
	.open = gen_open,
	.rx_burst = gen_rx_burst,
	.set_queues = gen_set_queues,
	.xmit = gen_xmit,
	.close = gen_close,
};

static void gen_port_init(void)
{
	port_register(&gen_port_ops);
}
module_init(gen_port_init);
