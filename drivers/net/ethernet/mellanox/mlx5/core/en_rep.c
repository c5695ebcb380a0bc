// SPDX-License-Identifier: GPL-2.0
/*
 * Representors (en_rep.c): the netdev that stands for a vport in the
 * switch.  What the vport sends enters the steering model first; what the
 * model does not handle (a miss) is received on the vport's representor,
 * after the restore a ConnectX miss needs: the flow tag names the tc chain
 * to continue at, reg_b's zone restore id gives back the connection the
 * packet already hit in the ct tables.  Transmitting on a representor
 * delivers to the vport.  Its tc block is offloaded through
 * mlx5e_rep_setup_tc_cb (en_tc.c).
 */
#include <stdio.h>
#include <linux/slab.h>
#include <linux/etherdevice.h>
#include <net/pkt_cls.h>
#include <net/flow_offload.h>
#include "en_rep.h"
#include "en_tc.h"
#include "fs_core.h"
#include "lib/fs_chains.h"
#include "en/tc_ct.h"
#include "en/tc_tun.h"
#include <net/vxlan.h>
#include <net/pkt_trace.h>

static LIST_HEAD(mlx5e_rep_block_tc_cb_list);

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

static int mlx5e_rep_setup_tc(struct net_device *dev, enum tc_setup_type type, void *type_data)
{
	struct mlx5e_rep_priv *rpriv = netdev_priv(dev);

	switch (type) {
	case TC_SETUP_BLOCK:
		return flow_block_cb_setup_simple(type_data, &mlx5e_rep_block_tc_cb_list,
						  mlx5e_rep_setup_tc_cb, rpriv, rpriv, true);
	default:
		return -EOPNOTSUPP;
	}
}

static const struct net_device_ops mlx5e_netdev_ops_rep = {
	.ndo_open = mlx5e_rep_open,
	.ndo_stop = mlx5e_rep_open,
	.ndo_start_xmit = mlx5e_rep_xmit,
	.ndo_setup_tc = mlx5e_rep_setup_tc,
};

/* ---- indirect blocks: filters on tunnel devices (the kernel's en/rep/tc.c) ---- */

/* one tunnel device whose ingress block the uplink has bound */
struct mlx5e_rep_indr_block_priv {
	struct net_device *netdev;
	struct mlx5e_rep_priv *rpriv;	/* the uplink's */
	struct list_head list;		/* rpriv->indr_block_list */
};

static LIST_HEAD(mlx5e_indr_block_cb_list);

static int mlx5e_rep_indr_setup_tc_cb(enum tc_setup_type type, void *type_data, void *cb_priv)
{
	struct mlx5e_rep_indr_block_priv *priv = cb_priv;

	if (type != TC_SETUP_CLSFLOWER)
		return -EOPNOTSUPP;
	return mlx5e_tc_setup_flower(priv->rpriv, priv->netdev, type_data);
}

static void mlx5e_rep_indr_block_unbind(void *cb_priv)
{
	struct mlx5e_rep_indr_block_priv *priv = cb_priv;

	list_del(&priv->list);
	kfree(priv);
}

static struct mlx5e_rep_indr_block_priv *mlx5e_rep_indr_block_priv_lookup(struct mlx5e_rep_priv *rpriv,
									  struct net_device *netdev)
{
	struct mlx5e_rep_indr_block_priv *priv;

	list_for_each_entry(priv, &rpriv->indr_block_list, list)
		if (priv->netdev == netdev)
			return priv;
	return NULL;
}

static int mlx5e_rep_indr_setup_block(struct net_device *netdev, struct Qdisc *sch,
				      struct mlx5e_rep_priv *rpriv, struct flow_block_offload *f,
				      void *data, void (*cleanup)(struct flow_block_cb *block_cb))
{
	struct mlx5e_rep_indr_block_priv *priv;
	struct flow_block_cb *block_cb;

	if (!netif_is_vxlan(netdev) || f->binder_type != FLOW_BLOCK_BINDER_TYPE_CLSACT_INGRESS)
		return -EOPNOTSUPP;
	f->unlocked_driver_cb = true;
	f->driver_block_list = &mlx5e_indr_block_cb_list;
	switch (f->command) {
	case FLOW_BLOCK_BIND:
		if (mlx5e_rep_indr_block_priv_lookup(rpriv, netdev))
			return -EEXIST;
		priv = kzalloc(sizeof(*priv), GFP_KERNEL);
		if (!priv)
			return -ENOMEM;
		priv->netdev = netdev;
		priv->rpriv = rpriv;
		list_add(&priv->list, &rpriv->indr_block_list);
		block_cb = flow_indr_block_cb_alloc(mlx5e_rep_indr_setup_tc_cb, priv, priv,
						    mlx5e_rep_indr_block_unbind, f, netdev, sch,
						    data, rpriv, cleanup);
		if (IS_ERR(block_cb)) {
			list_del(&priv->list);
			kfree(priv);
			return PTR_ERR(block_cb);
		}
		flow_block_cb_add(block_cb, f);
		list_add_tail(&block_cb->driver_list, &mlx5e_indr_block_cb_list);
		return 0;
	case FLOW_BLOCK_UNBIND:
		priv = mlx5e_rep_indr_block_priv_lookup(rpriv, netdev);
		if (!priv)
			return -ENOENT;
		block_cb = flow_block_cb_lookup(f->block, mlx5e_rep_indr_setup_tc_cb, priv);
		if (!block_cb)
			return -ENOENT;
		flow_indr_block_cb_remove(block_cb, f);
		list_del(&block_cb->driver_list);
		return 0;
	}
	return -EOPNOTSUPP;
}

static int mlx5e_rep_indr_setup_cb(struct net_device *netdev, struct Qdisc *sch, void *cb_priv,
				   enum tc_setup_type type, void *type_data, void *data,
				   void (*cleanup)(struct flow_block_cb *block_cb))
{
	if (type != TC_SETUP_BLOCK)
		return -EOPNOTSUPP;
	return mlx5e_rep_indr_setup_block(netdev, sch, cb_priv, type_data, data, cleanup);
}

/*
 * A miss: continue in software where the hardware stopped.  The flow tag
 * is CHAIN_TO_REG's mapping id (0: chain 0, nothing to restore); reg_b
 * carries ZONE_RESTORE_TO_REG when the packet went through a ct table,
 * and TUNNEL_TO_REG when a decap rule took its outer headers: it is then
 * received on the tunnel device, with the metadata software's decap
 * would have given it.
 */
static bool mlx5e_rep_tc_update_skb(struct mlx5_eswitch *esw, struct sk_buff *skb,
				    const struct mlx5_cqe_md *md)
{
	u32 reg_c[8] = { md->flow_tag, md->ft_metadata };
	u32 zone_restore_id, chain_tag, chain, tunnel_id;

	chain_tag = mlx5e_tc_reg_get(reg_c, CHAIN_TO_REG);
	if (chain_tag) {
		if (mlx5_get_chain_for_tag(esw->chains, chain_tag, &chain))
			return false;	/* the chain went away meanwhile */
		skb->tc_chain = chain;
	}
	tunnel_id = mlx5e_tc_reg_get(reg_c, TUNNEL_TO_REG);
	if (tunnel_id && !mlx5e_tc_tun_restore(esw, skb, tunnel_id))
		return false;
	zone_restore_id = mlx5e_tc_reg_get(reg_c, ZONE_RESTORE_TO_REG);
	if (zone_restore_id)
		mlx5e_tc_ct_restore_flow(esw->ct_priv, skb, zone_restore_id);
	return true;
}

/* `ctoffload trace`: what the miss restored, on the device software gets it on */
static void mlx5e_rep_trace_miss(struct sk_buff *skb, const struct mlx5_cqe_md *md)
{
	u32 reg_c[8] = { md->flow_tag, md->ft_metadata };

	pkt_trace(skb, "hw_miss",
		  "\"dev\":\"%s\",\"chain\":%u,\"zone_restore\":%u,\"tunnel\":%s,\"ct\":%s",
		  skb->dev->name, skb->tc_chain, mlx5e_tc_reg_get(reg_c, ZONE_RESTORE_TO_REG),
		  mlx5e_tc_reg_get(reg_c, TUNNEL_TO_REG) ? "true" : "false",
		  skb->_nfct ? "true" : "false");
}

/* a burst from the vport's wire: the model first, its misses to the representor */
void mlx5e_rep_rx_burst(struct port *p, struct sk_buff **skbs, int n)
{
	struct mlx5_vport *vport = p->rx_handler_data;
	struct mlx5_eswitch *esw = vport->esw;
	struct mlx5_cqe_md md[SKB_BURST];
	struct sk_buff *miss[SKB_BURST];
	int i, nmiss;

	nmiss = mlx5_steering_rx_burst(esw->dev, vport->vport, skbs, n, miss, md);
	for (i = 0; i < nmiss; i++) {
		struct sk_buff *skb = miss[i];

		skb->protocol = eth_type_trans(skb, vport->rep);
		if (unlikely((md[i].flow_tag || md[i].ft_metadata) &&
			     !mlx5e_rep_tc_update_skb(esw, skb, &md[i]))) {
			kfree_skb_reason(skb, SKB_DROP_REASON_NOT_SPECIFIED);
		} else {
			if (unlikely(skb->trace))
				mlx5e_rep_trace_miss(skb, &md[i]);
			netif_receive_skb(skb);
		}
	}
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
	rpriv->netdev = dev;
	INIT_LIST_HEAD(&rpriv->indr_block_list);
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
	/* switchdev representors offload tc by default, as mlx5's do */
	if (!vport->esw->no_hw_tc_offload)
		dev->features |= NETIF_F_HW_TC;
	if (mlx5e_tc_esw_init(dev))
		goto err_free;
	if (register_netdev(dev))
		goto err_tc;
	/* the uplink carries the tunnels: it offloads their devices' filters */
	if (vport->vport == MLX5_VPORT_UPLINK &&
	    flow_indr_dev_register(mlx5e_rep_indr_setup_cb, rpriv))
		fprintf(stderr, "mlx5: %s: tunnel devices' filters will not be offloaded\n", name);
	return dev;

err_tc:
	mlx5e_tc_esw_cleanup(dev);
err_free:
	free_netdev(dev);
	return NULL;
}

void mlx5e_rep_destroy(struct net_device *rep)
{
	void dev_shutdown(struct net_device *dev);
	struct mlx5e_rep_priv *rpriv = rep ? netdev_priv(rep) : NULL;

	if (!rep)
		return;
	if (rpriv->vport->vport == MLX5_VPORT_UPLINK)
		flow_indr_dev_unregister(mlx5e_rep_indr_setup_cb, rpriv, NULL);
	dev_shutdown(rep);
	unregister_netdev(rep);
	mlx5e_tc_esw_cleanup(rep);
	free_netdev(rep);
}
