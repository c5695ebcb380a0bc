// SPDX-License-Identifier: GPL-2.0
/*
 * UDP tunnel ports (the part of net/ipv4/udp_tunnel_core.c and the UDP
 * socket lookup that tunnels need): which tunnel, if any, owns a UDP
 * port, per address family, and the delivery of a datagram to it that
 * IPv4 and IPv6 local delivery share.  There are no sockets here; a
 * registration is the tunnel's bound socket.  A few tunnels at most, so
 * a list.
 */
#include <errno.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/udp.h>
#include <linux/list.h>
#include <linux/netdev.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <net/checksum.h>
#include <net/udp_tunnel.h>

struct udp_tunnel_port {
	struct list_head list;
	int family;
	__be16 port;
	struct udp_tunnel_sock_cfg cfg;
	struct rcu_head rcu;
};

static LIST_HEAD(udp_tunnel_ports);
static pthread_mutex_t udp_tunnel_lock = PTHREAD_MUTEX_INITIALIZER;

static struct udp_tunnel_port *udp_tunnel_port_find(int family, __be16 port)
{
	struct udp_tunnel_port *utp;

	list_for_each_entry_rcu(utp, &udp_tunnel_ports, list)
		if (utp->family == family && utp->port == port)
			return utp;
	return NULL;
}

int udp_tunnel_sock_register(int family, __be16 port, const struct udp_tunnel_sock_cfg *cfg)
{
	struct udp_tunnel_port *utp;
	int err = 0;

	if (family != AF_INET && family != AF_INET6)
		return -EAFNOSUPPORT;
	pthread_mutex_lock(&udp_tunnel_lock);
	if (udp_tunnel_port_find(family, port)) {
		err = -EADDRINUSE;
		goto out;
	}
	utp = kzalloc(sizeof(*utp), GFP_KERNEL);
	if (!utp) {
		err = -ENOMEM;
		goto out;
	}
	utp->family = family;
	utp->port = port;
	utp->cfg = *cfg;
	list_add_tail_rcu(&utp->list, &udp_tunnel_ports);
out:
	pthread_mutex_unlock(&udp_tunnel_lock);
	return err;
}

static void udp_tunnel_port_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct udp_tunnel_port, rcu));
}

void udp_tunnel_sock_release(int family, __be16 port)
{
	struct udp_tunnel_port *utp;

	pthread_mutex_lock(&udp_tunnel_lock);
	utp = udp_tunnel_port_find(family, port);
	if (utp) {
		list_del_rcu(&utp->list);
		call_rcu(&utp->rcu, udp_tunnel_port_free_rcu);
	}
	pthread_mutex_unlock(&udp_tunnel_lock);
}

const struct udp_tunnel_sock_cfg *udp_tunnel_sock_lookup(int family, __be16 port)
{
	struct udp_tunnel_port *utp = udp_tunnel_port_find(family, port);

	return utp ? &utp->cfg : NULL;
}

/* the UDP checksum over the pseudo-header of the family's addresses */
static __sum16 udp_tunnel_csum(int family, const void *saddr, const void *daddr,
			       const struct udphdr *uh, unsigned int ulen)
{
	__wsum sum = csum_partial(uh, ulen, 0);

	if (family == AF_INET)
		return csum_tcpudp_magic(*(const __be32 *)saddr, *(const __be32 *)daddr, ulen,
					 IPPROTO_UDP, sum);
	return csum_ipv6_magic(saddr, daddr, ulen, IPPROTO_UDP, sum);
}

/* a datagram to a tunnel's port: length, checksum, then the tunnel (udp_queue_rcv_skb's encap) */
int udp_tunnel_deliver(struct sk_buff *skb, int family, const void *saddr, const void *daddr,
		       unsigned int avail)
{
	struct udphdr *uh = (struct udphdr *)skb_transport_header(skb);
	const struct udp_tunnel_sock_cfg *cfg;
	unsigned int ulen;

	if (avail < sizeof(*uh))
		goto drop_small;
	ulen = ntohs(uh->len);
	if (ulen < sizeof(*uh) || ulen > avail)
		goto drop_small;
	cfg = udp_tunnel_sock_lookup(family, uh->dest);
	if (!cfg) {
		kfree_skb_reason(skb, SKB_DROP_REASON_UNHANDLED_PROTO);
		return 0;
	}
	/* zero is no checksum; for IPv6 tunnels allow it too (RFC 6935) */
	if (uh->check && udp_tunnel_csum(family, saddr, daddr, uh, ulen)) {
		kfree_skb_reason(skb, SKB_DROP_REASON_NOT_SPECIFIED);
		return 0;
	}
	/* the tunnel sees exactly the datagram: trailing Ethernet padding goes */
	skb_pull(skb, skb->transport_header - (skb->data - skb->head));
	skb->len = ulen;
	return cfg->encap_rcv(cfg->sk_user_data, skb);
drop_small:
	kfree_skb_reason(skb, SKB_DROP_REASON_PKT_TOO_SMALL);
	return 0;
}
