/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The eswitch in switchdev mode: an uplink vport and N VF vports, each with
 * a representor netdev in the daemon and a port backend on its far side.
 * Until the steering model exists every packet "misses" and goes to its
 * vport's representor; a packet transmitted on a representor goes out of
 * the vport's port.
 */
#ifndef MLX5_ESWITCH_H
#define MLX5_ESWITCH_H

#include <linux/netdev.h>
#include <net/port.h>

#define MLX5_VPORT_UPLINK	0xffff
#define MLX5_ESW_MAX_VFS	64

struct mlx5_eswitch;

struct mlx5_vport {
	struct mlx5_eswitch *esw;
	u16 vport;			/* MLX5_VPORT_UPLINK or VF index + 1 */
	struct port *port;		/* the far side (TAP, pcap, generator) */
	struct net_device *rep;		/* its representor */
};

struct mlx5_eswitch {
	char pf_name[IFNAMSIZ];
	int num_vfs;
	struct mlx5_vport uplink;
	struct mlx5_vport vfs[MLX5_ESW_MAX_VFS];
	u8 switch_id[8];
};

struct mlx5_esw_config {
	const char *pf;			/* uplink representor name, e.g. ens1f0 */
	int num_vfs;
	const char *uplink_port;	/* "tap", "pcap:IN,OUT", "gen" */
	const char *vf_port;		/* kind for the VFs' far sides, default "tap" */
};

struct mlx5_eswitch *mlx5_eswitch_create(const struct mlx5_esw_config *cfg);
void mlx5_eswitch_destroy(struct mlx5_eswitch *esw);
/* every vport, for the datapath's poll loop */
int mlx5_eswitch_ports(struct mlx5_eswitch *esw, struct port **ports, int max);

/* en_rep.c */
struct net_device *mlx5e_rep_create(struct mlx5_vport *vport, const char *name);
void mlx5e_rep_destroy(struct net_device *rep);
void mlx5e_rep_rx_burst(struct port *p, struct sk_buff **skbs, int n);

#endif
