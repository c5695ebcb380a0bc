// SPDX-License-Identifier: GPL-2.0
/*
 * The eswitch device (eswitch.c / eswitch_offloads.c): creates the vports,
 * their far-side ports and their representors.  Names follow the issue's
 * interface: representors PF (uplink) and PF_i (VF i); far sides PFwire
 * (uplink) and PFvi (VF i).
 */
#include <stdio.h>
#include <linux/slab.h>
#include "eswitch.h"
#include "fs_core.h"
#include "en_tc.h"
#include <net/ctoffload.h>
#include <uapi/ctoffload/ctoffload.h>

struct mlx5_vport *mlx5_eswitch_get_vport(struct mlx5_eswitch *esw, u16 vport_num)
{
	if (vport_num == MLX5_VPORT_UPLINK)
		return &esw->uplink;
	if (vport_num >= 1 && vport_num <= esw->num_vfs)
		return &esw->vfs[vport_num - 1];
	return NULL;
}

/* the model's wires: a frame it forwards leaves by the vport's far-side port */
static void esw_wire_vport_xmit(struct mlx5_core_dev *dev, u16 vport_num, struct sk_buff *skb)
{
	struct mlx5_vport *vport = mlx5_eswitch_get_vport(dev->priv.eswitch, vport_num);

	if (unlikely(!vport || !vport->port)) {
		kfree_skb(skb);
		return;
	}
	port_xmit(vport->port, skb);
}

static bool esw_wire_vport_exists(struct mlx5_core_dev *dev, u16 vport_num)
{
	return mlx5_eswitch_get_vport(dev->priv.eswitch, vport_num);
}

static const struct mlx5_wire_ops esw_wire_ops = {
	.vport_xmit = esw_wire_vport_xmit,
	.vport_exists = esw_wire_vport_exists,
};

/* `ctoffload steering`: the daemon's format names to the model's */
static int esw_steering_dump(FILE *f, int format, void *priv)
{
	struct mlx5_eswitch *esw = priv;

	switch (format) {
	case CTO_STEERING_JSON:
		return mlx5_fs_dump(esw->dev, f, MLX5_FS_DUMP_JSON);
	case CTO_STEERING_DOT:
		return mlx5_fs_dump(esw->dev, f, MLX5_FS_DUMP_DOT);
	default:
		return mlx5_fs_dump(esw->dev, f, MLX5_FS_DUMP_TEXT);
	}
}

/* `ctoffload explain filter`: a filter's FTEs */
static void esw_flow_describe(unsigned long cookie, FILE *f, void *priv)
{
	mlx5e_tc_flow_describe(priv, cookie, f);
}

static struct mlx5_core_dev *esw_dev_create(struct mlx5_eswitch *esw, const char *name)
{
	struct mlx5_core_dev *dev = kzalloc(sizeof(*dev), GFP_KERNEL);

	if (!dev)
		return NULL;
	snprintf(dev->name, sizeof(dev->name), "%s", name);
	dev->priv.eswitch = esw;
	dev->wire = &esw_wire_ops;
	if (mlx5_init_fs(dev)) {
		kfree(dev);
		return NULL;
	}
	return dev;
}

static void esw_dev_destroy(struct mlx5_core_dev *dev)
{
	if (!dev)
		return;
	mlx5_cleanup_fs(dev);
	kfree(dev);
}

static int esw_vport_init(struct mlx5_eswitch *esw, struct mlx5_vport *vport, u16 num,
			  const char *port_spec, const char *port_name, const char *rep_name)
{
	vport->esw = esw;
	vport->vport = num;
	vport->port = port_create(port_spec, port_name);
	if (!vport->port) {
		int err = -errno;

		fprintf(stderr, "ctoffloadd: cannot open port %s (%s): %s\n", port_name,
			port_spec, strerror(errno));
		return err;
	}
	vport->port->rx_handler = mlx5e_rep_rx_burst;
	vport->port->rx_handler_data = vport;
	vport->rep = mlx5e_rep_create(vport, rep_name);
	if (!vport->rep) {
		fprintf(stderr, "ctoffloadd: cannot create representor %s\n", rep_name);
		port_destroy(vport->port);
		vport->port = NULL;
		return -EEXIST;
	}
	return 0;
}

static void esw_vport_cleanup(struct mlx5_vport *vport)
{
	mlx5e_rep_destroy(vport->rep);
	port_destroy(vport->port);
	vport->rep = NULL;
	vport->port = NULL;
}

struct mlx5_vport *mlx5_eswitch_rep_vport(struct mlx5_eswitch *esw, const struct net_device *dev)
{
	int i;

	if (!dev)
		return NULL;
	if (esw->uplink.rep == dev)
		return &esw->uplink;
	for (i = 0; i < esw->num_vfs; i++)
		if (esw->vfs[i].rep == dev)
			return &esw->vfs[i];
	return NULL;
}

/* `ctoffload trace in_port REP`: a representor's frames arrive on its vport's port */
static struct port *esw_port_of(struct net_device *dev, void *priv)
{
	struct mlx5_vport *vport = mlx5_eswitch_rep_vport(priv, dev);

	return vport ? vport->port : NULL;
}

struct mlx5_eswitch *mlx5_eswitch_create(const struct mlx5_esw_config *cfg)
{
	char rep[IFNAMSIZ + 8], far[IFNAMSIZ + 8];
	struct mlx5_eswitch *esw;
	int i, err;

	if (cfg->num_vfs < 0 || cfg->num_vfs > MLX5_ESW_MAX_VFS ||
	    strlen(cfg->pf) > IFNAMSIZ - 6) {
		errno = EINVAL;
		return NULL;
	}
	esw = kzalloc(sizeof(*esw), GFP_KERNEL);
	if (!esw)
		return NULL;
	snprintf(esw->pf_name, sizeof(esw->pf_name), "%s", cfg->pf);
	esw->no_hw_tc_offload = cfg->no_hw_tc_offload;
	esw->dev = esw_dev_create(esw, cfg->pf);
	if (!esw->dev) {
		kfree(esw);
		errno = ENOMEM;
		return NULL;
	}
	for (i = 0; cfg->pf[i] && i < 8; i++)
		esw->switch_id[i % 8] ^= cfg->pf[i];
	rtnl_lock();
	snprintf(far, sizeof(far), "%swire", cfg->pf);
	err = esw_vport_init(esw, &esw->uplink, MLX5_VPORT_UPLINK,
			     cfg->uplink_port ? cfg->uplink_port : "tap", far, cfg->pf);
	for (i = 0; !err && i < cfg->num_vfs; i++) {
		snprintf(rep, sizeof(rep), "%s_%d", cfg->pf, i);
		snprintf(far, sizeof(far), "%sv%d", cfg->pf, i);
		err = esw_vport_init(esw, &esw->vfs[i], i + 1,
				     cfg->vf_port ? cfg->vf_port : "tap", far, rep);
		if (!err)
			esw->num_vfs++;
	}
	if (!err)
		err = esw_offloads_enable(esw);
	rtnl_unlock();
	if (!err) {
		ctoffload_register_steering_dump(esw_steering_dump, esw);
		ctoffload_register_port_of(esw_port_of, esw);
		ctoffload_register_flow_describe(esw_flow_describe, esw);
	}
	if (err) {
		mlx5_eswitch_destroy(esw);
		errno = -err;
		return NULL;
	}
	return esw;
}

void mlx5_eswitch_destroy(struct mlx5_eswitch *esw)
{
	int i;

	if (!esw)
		return;
	ctoffload_register_steering_dump(NULL, NULL);
	ctoffload_register_port_of(NULL, NULL);
	ctoffload_register_flow_describe(NULL, NULL);
	/* its work takes rtnl: stop it first */
	mlx5e_tc_tun_stop(esw);
	rtnl_lock();
	/* representors first: their tc flows go with them, then the tables */
	for (i = 0; i < esw->num_vfs; i++)
		esw_vport_cleanup(&esw->vfs[i]);
	if (esw->uplink.rep || esw->uplink.port)
		esw_vport_cleanup(&esw->uplink);
	esw_offloads_disable(esw);
	rtnl_unlock();
	esw_dev_destroy(esw->dev);
	kfree(esw);
}

int mlx5_eswitch_ports(struct mlx5_eswitch *esw, struct port **ports, int max)
{
	int i, n = 0;

	if (n < max)
		ports[n++] = esw->uplink.port;
	for (i = 0; i < esw->num_vfs && n < max; i++)
		ports[n++] = esw->vfs[i].port;
	return n;
}
