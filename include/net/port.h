/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Port backends: what sits on the far side of an eswitch vport (a VF's
 * host-side TAP, the uplink's wire) and moves frames in bursts.  Kinds:
 * tap (drivers/net/tap.c), pcap (drivers/net/pcap_port.c), gen
 * (drivers/net/gen_port.c, the in-memory generator for benchmarks).
 */
#ifndef _NET_PORT_H
#define _NET_PORT_H

#include <linux/compiler.h>
#include <linux/percpu.h>
#include <linux/skbuff.h>
#include <net/if.h>

struct port;

#define PORT_MAX_QUEUES	16

struct port_ops {
	const char *kind;
	/* arg: the text after "kind:" on the command line, or NULL */
	int (*open)(struct port *p, const char *arg);
	/*
	 * Up to max frames of rx queue `queue` into skbs from pool; returns
	 * the count (0: nothing).  One thread at a time per queue.
	 */
	int (*rx_burst)(struct port *p, unsigned int queue, struct sk_buff **skbs, int max,
			struct skb_pool *pool);
	/*
	 * Optional: make n rx queues (n <= PORT_MAX_QUEUES), set fd[] and
	 * num_rx_queues; without it a port has one queue.
	 */
	int (*set_queues)(struct port *p, unsigned int n);
	/*
	 * Send one frame (the caller keeps and frees skb); 0 or -errno; any
	 * thread.  Within a datapath burst (port_xmit_batching) a port may
	 * hold the frame and ask for a flush (port_flush_later()).
	 */
	int (*xmit)(struct port *p, const struct sk_buff *skb);
	/* optional: send what this thread's xmits held */
	void (*flush)(struct port *p);
	void (*close)(struct port *p);
};

/* per thread (pcpu_stats), summed by port_get_stats() */
struct port_stats {
	u64_stats_t rx_packets, rx_bytes;
	u64_stats_t rx_dropped;		/* frames the port could not make skbs of */
	u64_stats_t tx_packets, tx_bytes;
	u64_stats_t tx_errors;
};

/* what port_get_stats() gives: the sums */
struct port_stats_total {
	u64 rx_packets, rx_bytes;
	u64 rx_dropped;
	u64 tx_packets, tx_bytes;
	u64 tx_errors;
};

struct port {
	const struct port_ops *ops;
	char name[IFNAMSIZ];
	unsigned int num_rx_queues;	/* >= 1 */
	/* rx queue q's pollable fd, or -1: poll by calling rx_burst */
	int fd[PORT_MAX_QUEUES];
	void *priv;
	/* where received bursts go (the eswitch vport) */
	void (*rx_handler)(struct port *p, struct sk_buff **skbs, int n);
	void *rx_handler_data;
	struct port_stats __percpu *pcpu_stats;
};

/* "tap", "pcap:IN[,OUT]", "gen[:ARGS]" */
struct port *port_create(const char *spec, const char *name);
void port_destroy(struct port *p);
/* the datapath's entry points: they keep the port's counters */
int port_rx_burst(struct port *p, unsigned int queue, struct sk_buff **skbs, int max,
		  struct skb_pool *pool);
void port_xmit(struct port *p, struct sk_buff *skb);	/* consumes skb */
void port_register(const struct port_ops *ops);
/* give the port n rx queues if its kind can (one otherwise); 0 or -errno */
int port_set_queues(struct port *p, unsigned int n);
void port_get_stats(const struct port *p, struct port_stats_total *s);

/*
 * Batching on output: the datapath sets port_xmit_batching around a burst
 * and calls port_flush_all() after it; a port whose xmit held a frame
 * calls port_flush_later() once, and its flush runs then, on this thread.
 */
extern __thread bool port_xmit_batching;
void port_flush_later(struct port *p);
void port_flush_all(void);

/* frames the port sent (tests, benchmarks) */
static inline u64 port_tx_packets(const struct port *p)
{
	struct port_stats_total s;

	port_get_stats(p, &s);
	return s.tx_packets;
}
/* the generator: cycle over this many flows from now on (benchmarks) */
int gen_port_set_flows(struct port *p, u32 flows);
/*
 * ... or one step of a TCP handshake over flows flows, one frame each,
 * then nothing (GEN_UDP: back to the endless UDP stream, 64 bytes).
 */
enum gen_tcp_step { GEN_UDP, GEN_TCP_SYN, GEN_TCP_SYNACK, GEN_TCP_ACK };
int gen_port_set_tcp(struct port *p, enum gen_tcp_step step, u32 flows);

#endif
