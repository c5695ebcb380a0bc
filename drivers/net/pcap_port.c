// SPDX-License-Identifier: GPL-2.0
/*
 * pcap ports: "pcap:IN[,OUT]" replays the frames of capture IN as received
 * traffic (once, in order) and writes every transmitted frame to capture
 * OUT, with libpcap.  Good for reproducible tests of the datapath.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <pcap/pcap.h>
#include <linux/init.h>
#include <linux/slab.h>
#include <net/port.h>

struct pcap_port {
	pcap_t *in;
	pcap_t *dead;
	pcap_dumper_t *out;
	pthread_mutex_t out_lock;	/* datapath threads send at once */
};

static int pcap_port_open(struct port *p, const char *arg)
{
	char errbuf[PCAP_ERRBUF_SIZE], *in, *out;
	struct pcap_port *pp;

	if (!arg || !*arg)
		return -EINVAL;
	pp = kzalloc(sizeof(*pp), GFP_KERNEL);
	in = kstrdup(arg, GFP_KERNEL);
	if (!pp || !in)
		goto nomem;
	out = strchr(in, ',');
	if (out)
		*out++ = 0;
	if (*in) {
		pp->in = pcap_open_offline(in, errbuf);
		if (!pp->in) {
			fprintf(stderr, "pcap port %s: %s\n", p->name, errbuf);
			goto inval;
		}
	}
	if (out && *out) {
		pp->dead = pcap_open_dead(DLT_EN10MB, SKB_DATA_MAX);
		pp->out = pp->dead ? pcap_dump_open(pp->dead, out) : NULL;
		if (!pp->out) {
			fprintf(stderr, "pcap port %s: cannot write %s\n", p->name, out);
			goto inval;
		}
	}
	kfree(in);
	pthread_mutex_init(&pp->out_lock, NULL);
	p->priv = pp;
	return 0;
inval:
	if (pp->in)
		pcap_close(pp->in);
	if (pp->dead)
		pcap_close(pp->dead);
	kfree(pp);
	kfree(in);
	return -EINVAL;
nomem:
	kfree(pp);
	kfree(in);
	return -ENOMEM;
}

static int pcap_port_rx_burst(struct port *p, unsigned int queue, struct sk_buff **skbs,
			      int max, struct skb_pool *pool)
{
	struct pcap_port *pp = p->priv;
	struct pcap_pkthdr *h;
	const u_char *data;
	int n = 0;

	while (pp->in && n < max) {
		struct sk_buff *skb;

		if (pcap_next_ex(pp->in, &h, &data) != 1) {
			pcap_close(pp->in);	/* replayed once: the port goes quiet */
			pp->in = NULL;
			break;
		}
		if (h->caplen > SKB_DATA_MAX || !(skb = alloc_skb(pool)))
			continue;
		memcpy(skb->data, data, h->caplen);
		skb->len = h->caplen;
		skbs[n++] = skb;
	}
	return n;
}

static int pcap_port_xmit(struct port *p, const struct sk_buff *skb)
{
	struct pcap_port *pp = p->priv;
	struct pcap_pkthdr h = { .caplen = skb->len, .len = skb->len };

	if (pp->out) {
		gettimeofday(&h.ts, NULL);
		pthread_mutex_lock(&pp->out_lock);
		pcap_dump((u_char *)pp->out, &h, skb->data);
		pcap_dump_flush(pp->out);
		pthread_mutex_unlock(&pp->out_lock);
	}
	return 0;
}

static void pcap_port_close(struct port *p)
{
	struct pcap_port *pp = p->priv;

	if (pp->in)
		pcap_close(pp->in);
	if (pp->out)
		pcap_dump_close(pp->out);
	if (pp->dead)
		pcap_close(pp->dead);
	kfree(pp);
}

static const struct port_ops pcap_port_ops = {
	.kind = "pcap",
	.open = pcap_port_open,
	.rx_burst = pcap_port_rx_burst,
	.xmit = pcap_port_xmit,
	.close = pcap_port_close,
};

static void pcap_port_init(void)
{
	port_register(&pcap_port_ops);
}
module_init(pcap_port_init);
