/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VXLAN offload (the kernel's en/tc_tun.c, en/tc_tun_vxlan.c,
 * en/tc_tun_encap.c and en/rep/neigh.c in one place here).
 *
 * Decap: a filter on a vxlan device reaches the driver through the
 * uplink's indirect block callback (en_rep.c).  At chain 0 it must match
 * the tunnel (enc_key_id, enc_dst_port 4789, enc_*_ip): its FTE matches
 * the outer headers and the VNI on packets from the uplink, decapsulates,
 * and matches flower's other keys on the inner frame.  It writes the
 * tunnel's mapping id (the enc_* match, mapped) into TUNNEL_TO_REG, so
 * that (a) filters of later chains on the vxlan device can match enc_*
 * as that register, and (b) a miss after the decap is received on the
 * vxlan device with the tunnel metadata back on the skb
 * (mlx5e_tc_tun_restore), as software's own decap would have delivered it.
 *
 * Encap: "tunnel_key set ... mirred egress redirect dev vxlan0" on any
 * representor becomes a forward to the uplink with a packet reformat
 * (outer Ethernet/IP/UDP/VXLAN) built from the tunnel metadata, the route
 * to its destination and that route's neighbour.  Encap entries are
 * shared by the flows with the same tunnel metadata.  While the
 * neighbour is unresolved, the entry is invalid and its flows are in the
 * slow path: one FTE that forwards to software at the filter's chain,
 * where the vxlan device resolves the neighbour as it sends.  When the
 * neighbour's state or address changes (NETEVENT_NEIGH_UPDATE), a work
 * item rebuilds the entries and re-offloads their flows.
 *
 * Locking: everything under rtnl, but the netevent notifier, which only
 * queues the work.
 */
#ifndef __MLX5_EN_TC_TUN_H__
#define __MLX5_EN_TC_TUN_H__

#include <linux/list.h>
#include <linux/refcount.h>
#include <linux/workqueue.h>
#include <linux/notifier.h>
#include <net/ip_tunnels.h>
#include <net/flow_offload.h>

struct mlx5_eswitch;
struct mlx5_flow_spec;
struct mlx5_flow_attr;
struct mlx5e_tc_flow;
struct neighbour;
struct net_device;
struct sk_buff;

/* what a tunnel filter matched: the key of the tunnel mapping */
struct mlx5e_tc_tun_match_key {
	struct flow_dissector_key_control enc_control;
	struct flow_dissector_key_keyid enc_key_id;
	struct flow_dissector_key_ipv6_addrs enc_addrs;	/* IPv4 in the first 8 bytes */
	struct flow_dissector_key_ip enc_ip;
	struct flow_dissector_key_ports enc_tp;
	int filter_ifindex;		/* the vxlan device */
};

struct mlx5e_encap_entry {
	struct list_head list;		/* esw->tun.encap_tbl */
	refcount_t refcnt;		/* one per flow */
	struct ip_tunnel_info tun_info;	/* the key: what tunnel_key set said */
	int tun_ifindex;		/* the vxlan device mirred sends to */
	struct list_head flows;		/* struct mlx5e_tc_flow, by encap_list */
	struct neighbour *n;		/* the route's next hop (a reference) */
	struct net_device *route_dev;	/* the uplink representor */
	unsigned char h_dest[ETH_ALEN];	/* n's address when the header was built */
	struct mlx5_pkt_reformat *pkt_reformat;	/* NULL while invalid */
	bool valid;
};

struct mlx5e_tc_tun {
	struct mapping_ctx *tunnel_mapping;	/* mlx5e_tc_tun_match_key -> TUNNEL_TO_REG id */
	struct list_head encap_tbl;
	struct notifier_block netevent_nb;
	struct workqueue_struct *wq;
	struct work_struct neigh_update_work;
};

int mlx5e_tc_tun_init(struct mlx5_eswitch *esw);
/* no more neighbour work: call without rtnl (the work takes it) */
void mlx5e_tc_tun_stop(struct mlx5_eswitch *esw);
/* after every flow is gone */
void mlx5e_tc_tun_cleanup(struct mlx5_eswitch *esw);

/*
 * Decap: the outer match (outer headers + VNI) of a chain-0 filter on
 * tunnel device filter_dev into spec; 0 or -EOPNOTSUPP with a message.
 */
int mlx5e_tc_tun_parse_decap(struct mlx5_eswitch *esw, struct net_device *filter_dev,
			     const struct flow_rule *rule, struct mlx5_flow_spec *spec,
			     struct netlink_ext_ack *extack);
/* the tunnel mapping id of the rule's enc_* match (a reference); 0 or -errno */
int mlx5e_tc_tun_get_id(struct mlx5_eswitch *esw, struct net_device *filter_dev,
			const struct flow_rule *rule, u32 *id);
void mlx5e_tc_tun_put_id(struct mlx5_eswitch *esw, u32 id);
/* a miss carried TUNNEL_TO_REG id: put the skb on the tunnel device with its metadata */
bool mlx5e_tc_tun_restore(struct mlx5_eswitch *esw, struct sk_buff *skb, u32 id);

/*
 * Encap: attach flow to the entry for (tun_info, the vxlan device
 * mirred_dev), creating it; sets attr->dests[out_index] to the uplink
 * with the entry's reformat.  The flow is in the slow path while the
 * entry is invalid (!flow->encap->valid).  0 or -EOPNOTSUPP with a message.
 */
int mlx5e_attach_encap(struct mlx5_eswitch *esw, struct mlx5e_tc_flow *flow,
		       struct mlx5_flow_attr *attr, int out_index,
		       const struct ip_tunnel_info *tun_info, struct net_device *mirred_dev,
		       struct netlink_ext_ack *extack);
void mlx5e_detach_encap(struct mlx5_eswitch *esw, struct mlx5e_tc_flow *flow);
/* en_tc.c: take e's flows out of the device and put them back as e now is */
void mlx5e_tc_encap_flows_update(struct mlx5_eswitch *esw, struct mlx5e_encap_entry *e);

#endif
