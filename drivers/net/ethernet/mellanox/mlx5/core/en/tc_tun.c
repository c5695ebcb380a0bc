// SPDX-License-Identifier: GPL-2.0
/*
 * VXLAN decap and encap offload (en/tc_tun.h): the outer match of a
 * decap rule, the tunnel mapping and its restore on a miss, and the
 * shared encap entries with their headers, routes and neighbours.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <linux/if_ether.h>
#include <linux/slab.h>
#include <net/dst_metadata.h>
#include <net/neighbour.h>
#include <net/netevent.h>
#include <net/netlink.h>
#include <net/route.h>
#include <net/vxlan.h>
#include <linux/etherdevice.h>
#include "../eswitch.h"
#include "../en_tc.h"
#include "../fs_core.h"
#include "tc_priv.h"
#include "tc_tun.h"
#include "mapping.h"

/* TUNNEL_TO_REG is 24 bits wide; a few thousand tunnels are plenty */
#define MLX5E_TC_TUN_MAX_ID	0xffff
#define MLX5E_TC_TUN_DEFAULT_TTL	64

/* ---- neighbour updates ---- */

/*
 * Is e's header still what its neighbour says?  Rebuilds it when the
 * neighbour became valid or changed its address; invalidates it when
 * the neighbour failed.  True when e changed.
 */
static int mlx5e_encap_build(struct mlx5_eswitch *esw, struct mlx5e_encap_entry *e);

static bool mlx5e_encap_refresh(struct mlx5_eswitch *esw, struct mlx5e_encap_entry *e)
{
	unsigned char ha[ETH_ALEN];
	bool valid = neigh_valid(e->n);

	if (valid) {
		neigh_ha_snapshot(ha, e->n);
		if (e->valid && !memcmp(ha, e->h_dest, ETH_ALEN))
			return false;
	} else if (!e->valid) {
		return false;
	}
	if (e->pkt_reformat) {
		/* the flows still point at it: they are re-offloaded first */
		e->valid = false;
		mlx5e_tc_encap_flows_update(esw, e);
		mlx5_packet_reformat_dealloc(esw->dev, e->pkt_reformat);
		e->pkt_reformat = NULL;
	}
	if (valid && !mlx5e_encap_build(esw, e))
		e->valid = true;
	return true;
}

static void mlx5e_tc_tun_neigh_update_work(struct work_struct *work)
{
	struct mlx5e_tc_tun *tun = container_of(work, struct mlx5e_tc_tun, neigh_update_work);
	struct mlx5_eswitch *esw = container_of(tun, struct mlx5_eswitch, tun);
	struct mlx5e_encap_entry *e;

	rtnl_lock();
	list_for_each_entry(e, &tun->encap_tbl, list)
		if (mlx5e_encap_refresh(esw, e) && e->valid)
			mlx5e_tc_encap_flows_update(esw, e);
	rtnl_unlock();
}

/* called on the thread that updated the neighbour (often the datapath): only queue */
static int mlx5e_tc_tun_netevent(struct notifier_block *nb, unsigned long event, void *ptr)
{
	struct mlx5e_tc_tun *tun = container_of(nb, struct mlx5e_tc_tun, netevent_nb);

	(void)ptr;
	if (event == NETEVENT_NEIGH_UPDATE)
		queue_work(tun->wq, &tun->neigh_update_work);
	return NOTIFY_DONE;
}

int mlx5e_tc_tun_init(struct mlx5_eswitch *esw)
{
	struct mlx5e_tc_tun *tun = &esw->tun;

	INIT_LIST_HEAD(&tun->encap_tbl);
	tun->tunnel_mapping = mapping_create(sizeof(struct mlx5e_tc_tun_match_key),
					     MLX5E_TC_TUN_MAX_ID, false);
	if (!tun->tunnel_mapping)
		return -ENOMEM;
	tun->wq = alloc_workqueue("mlx5e_neigh", 0, 1);
	if (!tun->wq) {
		mapping_destroy(tun->tunnel_mapping);
		tun->tunnel_mapping = NULL;
		return -ENOMEM;
	}
	INIT_WORK(&tun->neigh_update_work, mlx5e_tc_tun_neigh_update_work);
	tun->netevent_nb.notifier_call = mlx5e_tc_tun_netevent;
	register_netevent_notifier(&tun->netevent_nb);
	return 0;
}

void mlx5e_tc_tun_stop(struct mlx5_eswitch *esw)
{
	struct mlx5e_tc_tun *tun = &esw->tun;

	if (!tun->wq)
		return;
	unregister_netevent_notifier(&tun->netevent_nb);
	destroy_workqueue(tun->wq);
	tun->wq = NULL;
}

void mlx5e_tc_tun_cleanup(struct mlx5_eswitch *esw)
{
	mlx5e_tc_tun_stop(esw);
	if (esw->tun.tunnel_mapping)
		mapping_destroy(esw->tun.tunnel_mapping);
	esw->tun.tunnel_mapping = NULL;
}

/* ---- decap: the outer match ---- */

static int mlx5e_tc_tun_parse_addrs(const struct flow_rule *rule,
				    struct mlx5_fte_match_set_lyr_2_4 *hc,
				    struct mlx5_fte_match_set_lyr_2_4 *hv,
				    struct netlink_ext_ack *extack)
{
	struct flow_match_control ctl;

	if (!flow_rule_match_key(rule, FLOW_DISSECTOR_KEY_ENC_CONTROL)) {
		NL_SET_ERR_MSG_MOD(extack, "Decap needs a match on the tunnel's IP addresses");
		return -EOPNOTSUPP;
	}
	flow_rule_match_enc_control(rule, &ctl);
	if (ctl.key->addr_type == FLOW_DISSECTOR_KEY_IPV4_ADDRS) {
		struct flow_match_ipv4_addrs m;

		flow_rule_match_enc_ipv4_addrs(rule, &m);
		hc->ethertype = 0xffff;
		hv->ethertype = ETH_P_IP;
		mlx5e_tc_match_bytes(hc->src_ipv4_src_ipv6 + 12, hv->src_ipv4_src_ipv6 + 12,
				&m.key->src, &m.mask->src, 4);
		mlx5e_tc_match_bytes(hc->dst_ipv4_dst_ipv6 + 12, hv->dst_ipv4_dst_ipv6 + 12,
				&m.key->dst, &m.mask->dst, 4);
	} else if (ctl.key->addr_type == FLOW_DISSECTOR_KEY_IPV6_ADDRS) {
		struct flow_match_ipv6_addrs m;

		flow_rule_match_enc_ipv6_addrs(rule, &m);
		hc->ethertype = 0xffff;
		hv->ethertype = ETH_P_IPV6;
		mlx5e_tc_match_bytes(hc->src_ipv4_src_ipv6, hv->src_ipv4_src_ipv6,
				&m.key->src, &m.mask->src, 16);
		mlx5e_tc_match_bytes(hc->dst_ipv4_dst_ipv6, hv->dst_ipv4_dst_ipv6,
				&m.key->dst, &m.mask->dst, 16);
	} else {
		NL_SET_ERR_MSG_MOD(extack, "Decap needs a match on the tunnel's IP addresses");
		return -EOPNOTSUPP;
	}
	return 0;
}

/*
 * The device recognises VXLAN on its configured UDP port only (4789 on
 * ConnectX by default): the filter must say that port, exactly.
 */
static int mlx5e_tc_tun_parse_udp(const struct flow_rule *rule,
				  struct mlx5_fte_match_set_lyr_2_4 *hc,
				  struct mlx5_fte_match_set_lyr_2_4 *hv,
				  struct netlink_ext_ack *extack)
{
	struct flow_match_ports m;

	if (!flow_rule_match_key(rule, FLOW_DISSECTOR_KEY_ENC_PORTS)) {
		NL_SET_ERR_MSG_MOD(extack, "VXLAN decap offload requires a match on enc_dst_port");
		return -EOPNOTSUPP;
	}
	flow_rule_match_enc_ports(rule, &m);
	if (m.mask->dst != 0xffff || ntohs(m.key->dst) != IANA_VXLAN_UDP_PORT) {
		NL_SET_ERR_MSG_MOD(extack, "Matched UDP dst port is not registered as a VXLAN port");
		return -EOPNOTSUPP;
	}
	hc->ip_protocol = 0xff;
	hv->ip_protocol = IPPROTO_UDP;
	hc->udp_dport = 0xffff;
	hv->udp_dport = IANA_VXLAN_UDP_PORT;
	hc->udp_sport = ntohs(m.mask->src);
	hv->udp_sport = ntohs(m.key->src & m.mask->src);
	return 0;
}

int mlx5e_tc_tun_parse_decap(struct mlx5_eswitch *esw, struct net_device *filter_dev,
			     const struct flow_rule *rule, struct mlx5_flow_spec *spec,
			     struct netlink_ext_ack *extack)
{
	struct mlx5_fte_match_set_lyr_2_4 *hc = &spec->match_criteria.outer_headers;
	struct mlx5_fte_match_set_lyr_2_4 *hv = &spec->match_value.outer_headers;
	struct flow_match_enc_keyid keyid;
	int err;

	(void)esw;
	if (!netif_is_vxlan(filter_dev)) {
		NL_SET_ERR_MSG_MOD(extack, "Only VXLAN tunnel devices are offloaded");
		return -EOPNOTSUPP;
	}
	if (flow_rule_match_key(rule, FLOW_DISSECTOR_KEY_ENC_OPTS)) {
		NL_SET_ERR_MSG_MOD(extack, "Match on tunnel options is not supported");
		return -EOPNOTSUPP;
	}
	if (!flow_rule_match_key(rule, FLOW_DISSECTOR_KEY_ENC_KEYID)) {
		NL_SET_ERR_MSG_MOD(extack, "VXLAN decap offload requires a match on enc_key_id");
		return -EOPNOTSUPP;
	}
	flow_rule_match_enc_keyid(rule, &keyid);
	if (keyid.mask->keyid != htonl(0xffffff) && keyid.mask->keyid != htonl(0xffffffff)) {
		NL_SET_ERR_MSG_MOD(extack, "Only exact matches on the VNI are supported");
		return -EOPNOTSUPP;
	}
	err = mlx5e_tc_tun_parse_addrs(rule, hc, hv, extack);
	if (!err)
		err = mlx5e_tc_tun_parse_udp(rule, hc, hv, extack);
	if (err)
		return err;
	if (flow_rule_match_key(rule, FLOW_DISSECTOR_KEY_ENC_IP)) {
		struct flow_match_ip m;

		flow_rule_match_enc_ip(rule, &m);
		hc->ip_dscp = m.mask->tos >> 2;
		hv->ip_dscp = (m.key->tos & m.mask->tos) >> 2;
		hc->ip_ecn = m.mask->tos & 3;
		hv->ip_ecn = m.key->tos & m.mask->tos & 3;
		hc->ttl_hoplimit = m.mask->ttl;
		hv->ttl_hoplimit = m.key->ttl & m.mask->ttl;
	}
	/* the outer frame is untagged, as the uplink carries it */
	hc->cvlan_tag = 1;
	hv->cvlan_tag = 0;
	spec->match_criteria.misc_parameters.vxlan_vni = 0xffffff;
	spec->match_value.misc_parameters.vxlan_vni = ntohl(keyid.key->keyid) & 0xffffff;
	spec->match_criteria_enable |= MLX5_MATCH_OUTER_HEADERS | MLX5_MATCH_MISC_PARAMETERS;
	return 0;
}

/* ---- the tunnel mapping ---- */

static void mlx5e_tc_tun_match_key(struct net_device *filter_dev, const struct flow_rule *rule,
				   struct mlx5e_tc_tun_match_key *k)
{
	memset(k, 0, sizeof(*k));
	k->filter_ifindex = filter_dev->ifindex;
	if (flow_rule_match_key(rule, FLOW_DISSECTOR_KEY_ENC_CONTROL)) {
		struct flow_match_control m;

		flow_rule_match_enc_control(rule, &m);
		k->enc_control.addr_type = m.key->addr_type;
	}
	if (k->enc_control.addr_type == FLOW_DISSECTOR_KEY_IPV4_ADDRS) {
		struct flow_match_ipv4_addrs m;
		struct flow_dissector_key_ipv4_addrs *a = (void *)&k->enc_addrs;

		flow_rule_match_enc_ipv4_addrs(rule, &m);
		a->src = m.key->src & m.mask->src;
		a->dst = m.key->dst & m.mask->dst;
	} else if (k->enc_control.addr_type == FLOW_DISSECTOR_KEY_IPV6_ADDRS) {
		struct flow_match_ipv6_addrs m;
		int i;

		flow_rule_match_enc_ipv6_addrs(rule, &m);
		for (i = 0; i < 16; i++) {
			k->enc_addrs.src.s6_addr[i] = m.key->src.s6_addr[i] & m.mask->src.s6_addr[i];
			k->enc_addrs.dst.s6_addr[i] = m.key->dst.s6_addr[i] & m.mask->dst.s6_addr[i];
		}
	}
	if (flow_rule_match_key(rule, FLOW_DISSECTOR_KEY_ENC_KEYID)) {
		struct flow_match_enc_keyid m;

		flow_rule_match_enc_keyid(rule, &m);
		k->enc_key_id.keyid = m.key->keyid & m.mask->keyid;
	}
	if (flow_rule_match_key(rule, FLOW_DISSECTOR_KEY_ENC_IP)) {
		struct flow_match_ip m;

		flow_rule_match_enc_ip(rule, &m);
		k->enc_ip.tos = m.key->tos & m.mask->tos;
		k->enc_ip.ttl = m.key->ttl & m.mask->ttl;
	}
	if (flow_rule_match_key(rule, FLOW_DISSECTOR_KEY_ENC_PORTS)) {
		struct flow_match_ports m;

		flow_rule_match_enc_ports(rule, &m);
		k->enc_tp.src = m.key->src & m.mask->src;
		k->enc_tp.dst = m.key->dst & m.mask->dst;
	}
}

int mlx5e_tc_tun_get_id(struct mlx5_eswitch *esw, struct net_device *filter_dev,
			const struct flow_rule *rule, u32 *id)
{
	struct mlx5e_tc_tun_match_key k;

	mlx5e_tc_tun_match_key(filter_dev, rule, &k);
	return mapping_add(esw->tun.tunnel_mapping, &k, id);
}

void mlx5e_tc_tun_put_id(struct mlx5_eswitch *esw, u32 id)
{
	if (id)
		mapping_remove(esw->tun.tunnel_mapping, id);
}

/*
 * The metadata software's vxlan receive would have attached, as far as
 * the filter's match tells it (what the match left out, like the UDP
 * source port, is lost: the same holds on Linux).
 */
static void mlx5e_tc_tun_key_to_info(const struct mlx5e_tc_tun_match_key *k,
				     struct ip_tunnel_info *info)
{
	memset(info, 0, sizeof(*info));
	info->key.tun_id = (__be64)htobe64(ntohl(k->enc_key_id.keyid));
	info->key.tun_flags = TUNNEL_KEY;
	if (k->enc_control.addr_type == FLOW_DISSECTOR_KEY_IPV6_ADDRS) {
		info->mode = IP_TUNNEL_INFO_IPV6;
		info->key.u.ipv6.src = k->enc_addrs.src;
		info->key.u.ipv6.dst = k->enc_addrs.dst;
	} else {
		const struct flow_dissector_key_ipv4_addrs *a = (const void *)&k->enc_addrs;

		info->key.u.ipv4.src = a->src;
		info->key.u.ipv4.dst = a->dst;
	}
	info->key.tos = k->enc_ip.tos;
	info->key.ttl = k->enc_ip.ttl;
	info->key.tp_src = k->enc_tp.src;
	info->key.tp_dst = k->enc_tp.dst;
}

bool mlx5e_tc_tun_restore(struct mlx5_eswitch *esw, struct sk_buff *skb, u32 id)
{
	struct mlx5e_tc_tun_match_key k;
	struct metadata_dst *md;
	struct net_device *dev;

	if (mapping_find(esw->tun.tunnel_mapping, id, &k))
		return false;
	dev = dev_get_by_index(k.filter_ifindex);
	if (!dev)
		return false;	/* the vxlan device went away meanwhile */
	md = metadata_dst_alloc();
	if (!md)
		return false;
	mlx5e_tc_tun_key_to_info(&k, &md->tun_info);
	skb_dst_drop(skb);
	skb_dst_set(skb, md);
	skb->protocol = eth_type_trans(skb, dev);
	return true;
}

/* ---- encap entries ---- */

static void put_be16p(u8 *p, u16 v)
{
	p[0] = v >> 8;
	p[1] = v;
}

/* outer IPv4 / IPv6 + UDP (source port left for the device) + VXLAN after eth */
static int mlx5e_gen_vxlan_header(const struct ip_tunnel_info *info, const void *saddr,
				  u8 *buf)
{
	const struct ip_tunnel_key *key = &info->key;
	u8 ttl = key->ttl ? key->ttl : MLX5E_TC_TUN_DEFAULT_TTL;
	u32 vni = be64toh(key->tun_id) & 0xffffff;
	u16 dport = key->tp_dst ? ntohs(key->tp_dst) : IANA_VXLAN_UDP_PORT;
	u8 *ip = buf + ETH_HLEN, *udp;
	int size;

	if (ip_tunnel_info_af(info) == AF_INET) {
		put_be16p(buf + 12, ETH_P_IP);
		ip[0] = 0x45;
		ip[1] = key->tos;
		if (key->tun_flags & TUNNEL_DONT_FRAGMENT)
			ip[6] = 0x40;
		ip[8] = ttl;
		ip[9] = IPPROTO_UDP;
		memcpy(ip + 12, saddr, 4);
		memcpy(ip + 16, &key->u.ipv4.dst, 4);
		udp = ip + 20;
	} else {
		put_be16p(buf + 12, ETH_P_IPV6);
		ip[0] = 0x60 | key->tos >> 4;
		ip[1] = (key->tos & 0xf) << 4;
		ip[6] = IPPROTO_UDP;
		ip[7] = ttl;
		memcpy(ip + 8, saddr, 16);
		memcpy(ip + 24, &key->u.ipv6.dst, 16);
		udp = ip + 40;
	}
	put_be16p(udp + 2, dport);
	udp[8] = 0x08;			/* the I flag: a VNI follows */
	udp[12] = vni >> 16;
	udp[13] = vni >> 8;
	udp[14] = vni;
	size = udp + 16 - buf;
	return size;
}

/* the route to info's destination: through the uplink only (the wire we own) */
static int mlx5e_route_lookup(struct mlx5_eswitch *esw, const struct ip_tunnel_info *info,
			      u8 *saddr, struct net_device **route_dev, void *nexthop,
			      struct netlink_ext_ack *extack)
{
	int err;

	rcu_read_lock();
	if (ip_tunnel_info_af(info) == AF_INET) {
		struct flowi4 fl4 = {
			.daddr = info->key.u.ipv4.dst,
			.saddr = info->key.u.ipv4.src,
			.flowi4_tos = info->key.tos,
			.flowi4_proto = IPPROTO_UDP,
		};
		struct ip_route_result res;

		err = ip_route_output(&fl4, &res);
		if (!err) {
			memcpy(saddr, &fl4.saddr, 4);
			memcpy(nexthop, &res.nexthop, 4);
			*route_dev = res.dev;
		}
	} else {
		struct flowi6 fl6 = {
			.daddr = info->key.u.ipv6.dst,
			.saddr = info->key.u.ipv6.src,
			.flowi6_proto = IPPROTO_UDP,
		};
		struct ip6_route_result res;

		err = ip6_route_output(&fl6, &res);
		if (!err) {
			memcpy(saddr, &fl6.saddr, 16);
			memcpy(nexthop, &res.nexthop, 16);
			*route_dev = res.dev;
		}
	}
	rcu_read_unlock();
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "No route to the tunnel's destination");
		return -EOPNOTSUPP;
	}
	if (*route_dev != esw->uplink.rep) {
		NL_SET_ERR_MSG_MOD(extack, "The route to the tunnel's destination is not through the uplink");
		return -EOPNOTSUPP;
	}
	return 0;
}

/* e's reformat from its neighbour's current address; 0 or -errno */
static int mlx5e_encap_build(struct mlx5_eswitch *esw, struct mlx5e_encap_entry *e)
{
	struct mlx5_pkt_reformat_params params = { .type = MLX5_REFORMAT_TYPE_L2_TO_VXLAN };
	struct mlx5_pkt_reformat *pr;
	u8 buf[VXLAN6_HEADROOM] = {};
	u8 saddr[16], nexthop[16];
	struct net_device *dev;

	/* the source address may have changed with the route: look again */
	if (mlx5e_route_lookup(esw, &e->tun_info, saddr, &dev, nexthop, NULL))
		return -ENETUNREACH;
	neigh_ha_snapshot(e->h_dest, e->n);
	memcpy(buf, e->h_dest, ETH_ALEN);
	memcpy(buf + ETH_ALEN, dev->dev_addr, ETH_ALEN);
	params.size = mlx5e_gen_vxlan_header(&e->tun_info, saddr, buf);
	params.data = buf;
	pr = mlx5_packet_reformat_alloc(esw->dev, &params, MLX5_FLOW_NAMESPACE_FDB);
	if (IS_ERR(pr))
		return PTR_ERR(pr);
	e->pkt_reformat = pr;
	return 0;
}

static struct mlx5e_encap_entry *mlx5e_encap_get(struct mlx5_eswitch *esw,
						 const struct ip_tunnel_info *info,
						 int tun_ifindex)
{
	struct mlx5e_encap_entry *e;

	list_for_each_entry(e, &esw->tun.encap_tbl, list) {
		if (e->tun_ifindex == tun_ifindex &&
		    !memcmp(&e->tun_info, info, sizeof(*info))) {
			refcount_inc(&e->refcnt);
			return e;
		}
	}
	return NULL;
}

static struct mlx5e_encap_entry *mlx5e_encap_create(struct mlx5_eswitch *esw,
						    const struct ip_tunnel_info *info,
						    int tun_ifindex,
						    struct netlink_ext_ack *extack)
{
	struct neigh_table *tbl = ip_tunnel_info_af(info) == AF_INET ? &arp_tbl : &nd_tbl;
	struct mlx5e_encap_entry *e;
	u8 saddr[16], nexthop[16];
	struct net_device *dev;
	int err;

	err = mlx5e_route_lookup(esw, info, saddr, &dev, nexthop, extack);
	if (err)
		return ERR_PTR(err);
	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return ERR_PTR(-ENOMEM);
	e->n = neigh_lookup_create(tbl, nexthop, dev);
	if (!e->n) {
		kfree(e);
		return ERR_PTR(-ENOMEM);
	}
	e->tun_info = *info;
	e->tun_ifindex = tun_ifindex;
	e->route_dev = dev;
	refcount_set(&e->refcnt, 1);
	INIT_LIST_HEAD(&e->flows);
	/* unresolved: the flows start in the slow path, software resolves */
	if (neigh_valid(e->n) && !mlx5e_encap_build(esw, e))
		e->valid = true;
	list_add_tail(&e->list, &esw->tun.encap_tbl);
	return e;
}

int mlx5e_attach_encap(struct mlx5_eswitch *esw, struct mlx5e_tc_flow *flow,
		       struct mlx5_flow_attr *attr, int out_index,
		       const struct ip_tunnel_info *tun_info, struct net_device *mirred_dev,
		       struct netlink_ext_ack *extack)
{
	struct mlx5e_encap_entry *e;
	struct ip_tunnel_info info;

	if (flow->encap) {
		NL_SET_ERR_MSG_MOD(extack, "Only one encap destination per filter is supported");
		return -EOPNOTSUPP;
	}
	if (tun_info->options_len) {
		NL_SET_ERR_MSG_MOD(extack, "Encap with tunnel options is not supported");
		return -EOPNOTSUPP;
	}
	if (tun_info->key.tp_dst && ntohs(tun_info->key.tp_dst) != IANA_VXLAN_UDP_PORT) {
		NL_SET_ERR_MSG_MOD(extack, "Encap to a UDP port other than 4789 is not supported");
		return -EOPNOTSUPP;
	}
	/* the key: only what shapes the header (no padding surprises) */
	memset(&info, 0, sizeof(info));
	info.key = tun_info->key;
	info.mode = tun_info->mode & IP_TUNNEL_INFO_IPV6;
	e = mlx5e_encap_get(esw, &info, mirred_dev->ifindex);
	if (!e)
		e = mlx5e_encap_create(esw, &info, mirred_dev->ifindex, extack);
	if (IS_ERR(e))
		return PTR_ERR(e);
	flow->encap = e;
	list_add_tail(&flow->encap_list, &e->flows);
	attr->dests[out_index].vport = MLX5_VPORT_UPLINK;
	attr->dests[out_index].flags = MLX5_ESW_DEST_ENCAP;
	attr->dests[out_index].pkt_reformat = e->pkt_reformat;
	flow->encap_out_index = out_index;
	return 0;
}

void mlx5e_detach_encap(struct mlx5_eswitch *esw, struct mlx5e_tc_flow *flow)
{
	struct mlx5e_encap_entry *e = flow->encap;

	if (!e)
		return;
	list_del(&flow->encap_list);
	flow->encap = NULL;
	if (!refcount_dec_and_test(&e->refcnt))
		return;
	list_del(&e->list);
	if (e->pkt_reformat)
		mlx5_packet_reformat_dealloc(esw->dev, e->pkt_reformat);
	neigh_release(e->n);
	kfree(e);
}
