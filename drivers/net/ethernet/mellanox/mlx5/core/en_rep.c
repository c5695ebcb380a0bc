// SPDX-License-Identifier: GPL-2.0
/*
 * Representors (en_rep.c): the netdev that stands for a vport in the
 * switch.  Receiving on a representor is what the vport sent (after a
 * steering miss); transmitting on it delivers to the vport.
 */
#include <stdio.h>
#include <linux/slab.h>
#include <linux/etherdevice.h>
#include <net/pkt_cls.h>
#include "eswitch.h"

struct mlx5e_rep_priv {
	struct mlx5_vport *vport;
};

static enum netdev_tx mlx5e_rep_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct mlx5e_rep_priv *rpriv = netdev_priv(dev);
	port_xmit(rpriv->vport->port, skb);
	return NETDEV_TX_OK;
}

static int mlx5e_rep_open(struct net_device *dev)
{
	(void)dev;
	return 0;
}

static const struct net_device_ops mlx5e_netdev_ops_rep = {
	.ndo_open = mlx5e_rep_open,
	.ndo_stop = mlx5e_rep_open,
	.ndo_start_xmit = mlx5e_rep_xmit,
};

/*
 * A packet from the vport: the steering model comes first once it exists;
 * today every packet goes to the representor's receive path.
 */
void mlx5e_rep_rx_burst(struct port *p, struct sk_buff **skbs, int n)
{
	struct mlx5_vport *vport = p->rx_handler_data;
	int i;

	for (i = 0; i < n; i++)
		skbs[i]->protocol = eth_type_trans(skbs[i], vport->rep);
	netif_receive_skb_list(skbs, n);
}

struct net_device *mlx5e_rep_create(struct mlx5_vport *vport, const char *name)
{
	struct mlx5e_rep_priv *rpriv;
	struct net_device *dev;

	dev = alloc_netdev(sizeof(*rpriv), name, &mlx5e_netdev_ops_rep);
	if (!dev)
		return NULL;
	rpriv = netdev_priv(dev);
	rpriv->vport = vport;
	/* a locally administered MAC derived from the vport number */
	dev->dev_addr[0] = 0x02;
	dev->dev_addr[1] = 0xc7;
	dev->dev_addr[4] = vport->vport >> 8;
	dev->dev_addr[5] = vport->vport;
	if (vport->vport == MLX5_VPORT_UPLINK)
		snprintf(dev->phys_port_name, IFNAMSIZ, "p0");
	else
		snprintf(dev->phys_port_name, IFNAMSIZ, "pf0vf%d", vport->vport - 1);
	memcpy(dev->phys_switch_id, vport->esw->switch_id, sizeof(vport->esw->switch_id));
	dev->phys_switch_id_len = sizeof(vport->esw->switch_id);
	/* representors come up with the device, ready for tc */
	dev->flags = IFF_UP | IFF_RUNNING | IFF_LOWER_UP | IFF_BROADCAST | IFF_MULTICAST;
	if (register_netdev(dev)) {
		free_netdev(dev);
		return NULL;
	}
	return dev;
}

void mlx5e_rep_destroy(struct net_device *rep)
{
	void dev_shutdown(struct net_device *dev);

	if (!rep)
		return;
	dev_shutdown(rep);
	unregister_netdev(rep);
	free_netdev(rep);
}
