// SPDX-License-Identifier: GPL-2.0
/*
 * UDP tunnel ports (the part of net/ipv4/udp_tunnel_core.c and the UDP
 * socket lookup that tunnels need): which tunnel, if any, owns a UDP
 * port, per address family.  There are no sockets here; a registration
 * is the tunnel's bound socket.  A few tunnels at most, so a list.
 */
#include <errno.h>
#include <sys/socket.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
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
