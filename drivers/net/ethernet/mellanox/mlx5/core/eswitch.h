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
#include "mlx5_core.h"
#include "en/tc_tun.h"

#define MLX5_ESW_MAX_VFS	64

struct mlx5_eswitch;
struct mlx5_fs_chains;
struct mlx5_tc_ct_priv;
struct mapping_ctx;
struct mlx5_flow_spec;
struct mlx5_flow_attr;
struct mlx5_flow_handle;

struct mlx5_vport {
	struct mlx5_eswitch *esw;
	u16 vport;			/* MLX5_VPORT_UPLINK or VF index + 1 */
	struct port *port;		/* the far side (TAP, pcap, generator) */
	struct net_device *rep;		/* its representor */
};

struct mlx5_eswitch {
	struct mlx5_core_dev *dev;	/* the steering model lives here */
	/* switchdev offloads (eswitch_offloads.c): tc chains and ct */
	struct mlx5_fs_chains *chains;
	struct mapping_ctx *chain_mapping;
	struct mlx5_tc_ct_priv *ct_priv;
	struct mlx5e_tc_tun tun;	/* VXLAN decap/encap (en/tc_tun.c) */
	char pf_name[IFNAMSIZ];
	int num_vfs;
	struct mlx5_vport uplink;
	struct mlx5_vport vfs[MLX5_ESW_MAX_VFS];
	u8 switch_id[8];
	bool no_hw_tc_offload;
};

struct mlx5_esw_config {
	const char *pf;			/* uplink representor name, e.g. ens1f0 */
	int num_vfs;
	const char *uplink_port;	/* "tap", "pcap:IN,OUT", "gen" */
	const char *vf_port;		/* kind for the VFs' far sides, default "tap" */
	/* representors start without NETIF_F_HW_TC ("ethtool -K rep hw-tc-offload off") */
	bool no_hw_tc_offload;
};

struct mlx5_eswitch *mlx5_eswitch_create(const struct mlx5_esw_config *cfg);
void mlx5_eswitch_destroy(struct mlx5_eswitch *esw);
/* every vport, for the datapath's poll loop */
int mlx5_eswitch_ports(struct mlx5_eswitch *esw, struct port **ports, int max);

/* the vport with this number, or NULL */
struct mlx5_vport *mlx5_eswitch_get_vport(struct mlx5_eswitch *esw, u16 vport_num);
/* the vport whose representor dev is, on this eswitch; NULL for any other device */
struct mlx5_vport *mlx5_eswitch_rep_vport(struct mlx5_eswitch *esw, const struct net_device *dev);

/*
 * eswitch_offloads.c: one FTE for attr (spec's match plus, unless
 * MLX5_ATTR_FLAG_NO_IN_PORT, a match on attr->in_vport's metadata) in
 * attr->ft or fs_chains' (chain, prio) table, with attr's actions,
 * modify header, counter and destinations (dest_ft, dest_chain's first
 * table, or vports).  ERR_PTR on failure.  Modify header: a
 * attr->modify_hdr the caller set is the caller's; if it is NULL and
 * attr->action has MOD_HDR, one is allocated here from attr->mod_hdr_acts
 * (MLX5_ATTR_FLAG_ESW_MOD_HDR) and freed by _del_offloaded_rule().  The
 * counter (attr->counter) is always the caller's.  spec is not changed.
 */
struct mlx5_flow_handle *mlx5_eswitch_add_offloaded_rule(struct mlx5_eswitch *esw,
							 struct mlx5_flow_spec *spec,
							 struct mlx5_flow_attr *attr);
void mlx5_eswitch_del_offloaded_rule(struct mlx5_eswitch *esw, struct mlx5_flow_handle *rule,
				     struct mlx5_flow_attr *attr);
/* set up / tear down the model, chains and ct for switchdev mode */
int esw_offloads_enable(struct mlx5_eswitch *esw);
void esw_offloads_disable(struct mlx5_eswitch *esw);

/* en_rep.c */
struct net_device *mlx5e_rep_create(struct mlx5_vport *vport, const char *name);
void mlx5e_rep_destroy(struct net_device *rep);
void mlx5e_rep_rx_burst(struct port *p, struct sk_buff **skbs, int n);

#endif
