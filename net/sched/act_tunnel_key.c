// SPDX-License-Identifier: GPL-2.0
/*
 * Tunnel key (net/sched/act_tunnel_key.c): "set" attaches encapsulation
 * metadata (outer addresses, VNI, UDP port, tos/ttl, checksum) to the
 * packet for a tunnel device to build the outer headers from; "unset"
 * removes whatever metadata the packet carries.
 *
 * Nothing consumes the metadata yet: there is no vxlan device, so a packet
 * "set" and then sent somewhere leaves without an outer header.  The
 * metadata is built once per action and shared by reference with every
 * packet (skb->tun_dst), so the packet path allocates nothing.
 */
#include <endian.h>
#include <linux/init.h>
#include <linux/slab.h>
#include <net/tc_act/tc_tunnel_key.h>
#include <arpa/inet.h>

static struct tc_action_ops act_tunnel_key_ops;

static const struct nla_policy tunnel_key_policy[TCA_TUNNEL_KEY_MAX + 1] = {
	[TCA_TUNNEL_KEY_PARMS] = { .type = NLA_EXACT_LEN, .len = sizeof(struct tc_tunnel_key) },
	[TCA_TUNNEL_KEY_ENC_IPV4_SRC] = { .type = NLA_U32 },
	[TCA_TUNNEL_KEY_ENC_IPV4_DST] = { .type = NLA_U32 },
	[TCA_TUNNEL_KEY_ENC_IPV6_SRC] = { .type = NLA_EXACT_LEN, .len = sizeof(struct in6_addr) },
	[TCA_TUNNEL_KEY_ENC_IPV6_DST] = { .type = NLA_EXACT_LEN, .len = sizeof(struct in6_addr) },
	[TCA_TUNNEL_KEY_ENC_KEY_ID] = { .type = NLA_U32 },
	[TCA_TUNNEL_KEY_ENC_DST_PORT] = { .type = NLA_U16 },
	[TCA_TUNNEL_KEY_NO_CSUM] = { .type = NLA_U8 },
	[TCA_TUNNEL_KEY_ENC_OPTS] = { .type = NLA_NESTED },
	[TCA_TUNNEL_KEY_ENC_TOS] = { .type = NLA_U8 },
	[TCA_TUNNEL_KEY_ENC_TTL] = { .type = NLA_U8 },
};

/* the outer addresses: both IPv4 or both IPv6, nothing mixed */
static int tunnel_key_set_addresses(struct ip_tunnel_info *info, struct nlattr **tb,
				    struct netlink_ext_ack *extack)
{
	struct ip_tunnel_key *key = &info->key;

	if (tb[TCA_TUNNEL_KEY_ENC_IPV4_SRC] && tb[TCA_TUNNEL_KEY_ENC_IPV4_DST]) {
		key->u.ipv4.src = nla_get_u32(tb[TCA_TUNNEL_KEY_ENC_IPV4_SRC]);
		key->u.ipv4.dst = nla_get_u32(tb[TCA_TUNNEL_KEY_ENC_IPV4_DST]);
		return 0;
	}
	if (tb[TCA_TUNNEL_KEY_ENC_IPV6_SRC] && tb[TCA_TUNNEL_KEY_ENC_IPV6_DST]) {
		memcpy(&key->u.ipv6.src, nla_data(tb[TCA_TUNNEL_KEY_ENC_IPV6_SRC]),
		       sizeof(key->u.ipv6.src));
		memcpy(&key->u.ipv6.dst, nla_data(tb[TCA_TUNNEL_KEY_ENC_IPV6_DST]),
		       sizeof(key->u.ipv6.dst));
		info->mode |= IP_TUNNEL_INFO_IPV6;
		return 0;
	}
	NL_SET_ERR_MSG(extack, "Missing either ipv4 or ipv6 src and dst");
	return -EINVAL;
}

/* "set": the metadata every packet through the action will carry */
static int tunnel_key_build_metadata(struct metadata_dst **mdp, struct nlattr **tb,
				     struct netlink_ext_ack *extack)
{
	struct ip_tunnel_info info = { 0 };
	struct ip_tunnel_key *key = &info.key;
	struct metadata_dst *md;
	int err;

	if (tb[TCA_TUNNEL_KEY_ENC_KEY_ID]) {
		key->tun_id = key32_to_tunnel_id(nla_get_u32(tb[TCA_TUNNEL_KEY_ENC_KEY_ID]));
		key->tun_flags |= TUNNEL_KEY;
	}
	key->tun_flags |= TUNNEL_CSUM;
	if (tb[TCA_TUNNEL_KEY_NO_CSUM] && nla_get_u8(tb[TCA_TUNNEL_KEY_NO_CSUM]))
		key->tun_flags &= ~TUNNEL_CSUM;
	if (tb[TCA_TUNNEL_KEY_ENC_DST_PORT])
		key->tp_dst = nla_get_u16(tb[TCA_TUNNEL_KEY_ENC_DST_PORT]);
	if (tb[TCA_TUNNEL_KEY_ENC_TOS])
		key->tos = nla_get_u8(tb[TCA_TUNNEL_KEY_ENC_TOS]);
	if (tb[TCA_TUNNEL_KEY_ENC_TTL])
		key->ttl = nla_get_u8(tb[TCA_TUNNEL_KEY_ENC_TTL]);
	err = tunnel_key_set_addresses(&info, tb, extack);
	if (err)
		return err;
	/* Linux takes geneve/vxlan/erspan options; nothing here could use them */
	if (tb[TCA_TUNNEL_KEY_ENC_OPTS]) {
		NL_SET_ERR_MSG(extack, "Tunnel options are not supported");
		return -EOPNOTSUPP;
	}
	info.mode |= IP_TUNNEL_INFO_TX;

	md = metadata_dst_alloc();
	if (!md) {
		NL_SET_ERR_MSG(extack, "Cannot allocate tunnel metadata dst");
		return -ENOMEM;
	}
	md->tun_info = info;
	*mdp = md;
	return 0;
}

static void tunnel_key_release_params(struct tcf_tunnel_key_params *p)
{
	dst_release(p->tcft_enc_metadata);
	kfree(p);
}

/* after a grace period: no packet path can still be reading p */
static void tunnel_key_free_params_rcu(struct rcu_head *head)
{
	tunnel_key_release_params(container_of(head, struct tcf_tunnel_key_params, rcu));
}

static int tunnel_key_new_params(struct tcf_tunnel_key_params **pp, const struct tc_tunnel_key *parm,
				 struct nlattr **tb, struct netlink_ext_ack *extack)
{
	struct metadata_dst *md = NULL;
	struct tcf_tunnel_key_params *p;
	int err;

	switch (parm->t_action) {
	case TCA_TUNNEL_KEY_ACT_RELEASE:
		break;
	case TCA_TUNNEL_KEY_ACT_SET:
		err = tunnel_key_build_metadata(&md, tb, extack);
		if (err)
			return err;
		break;
	default:
		NL_SET_ERR_MSG(extack, "Unknown tunnel key action");
		return -EINVAL;
	}
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p) {
		dst_release(md);
		NL_SET_ERR_MSG(extack, "Kernel out of memory");
		return -ENOMEM;
	}
	p->tcft_action = parm->t_action;
	p->tcft_enc_metadata = md;
	*pp = p;
	return 0;
}

static int tunnel_key_init(struct nlattr *nla, struct tc_action **a, struct tcf_proto *tp,
			   u32 flags, struct netlink_ext_ack *extack)
{
	bool bind = flags & TCA_ACT_FLAGS_BIND;
	struct nlattr *tb[TCA_TUNNEL_KEY_MAX + 1];
	struct tcf_tunnel_key_params *p, *old;
	struct tcf_chain *goto_ch = NULL;
	struct tc_tunnel_key *parm;
	int ret = 0, err;
	bool exists;
	u32 index;

	if (!nla) {
		NL_SET_ERR_MSG(extack, "Tunnel requires attributes to be passed");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, TCA_TUNNEL_KEY_MAX, nla, tunnel_key_policy, extack);
	if (err < 0) {
		NL_SET_ERR_MSG(extack, "Failed to parse nested tunnel key attributes");
		return err;
	}
	if (!tb[TCA_TUNNEL_KEY_PARMS]) {
		NL_SET_ERR_MSG(extack, "Missing tunnel key parameters");
		return -EINVAL;
	}
	parm = (struct tc_tunnel_key *)nla_data(tb[TCA_TUNNEL_KEY_PARMS]);
	index = parm->index;
	err = tcf_idr_check_alloc(&act_tunnel_key_ops, &index, a, bind);
	if (err < 0)
		return err;
	exists = err;
	if (exists && bind)
		return 0;

	/* parameters first: a bad one must not create or touch the action */
	err = tunnel_key_new_params(&p, parm, tb, extack);
	if (err)
		goto release_idr;
	if (!exists) {
		err = tcf_idr_create(&act_tunnel_key_ops, index, a, bind, flags);
		if (err) {
			NL_SET_ERR_MSG(extack, "Cannot create TC IDR");
			goto release_params;
		}
		ret = ACT_P_CREATED;
	} else if (!(flags & TCA_ACT_FLAGS_REPLACE)) {
		NL_SET_ERR_MSG(extack, "TC IDR already exists");
		err = -EEXIST;
		goto release_params;
	}
	err = tcf_action_check_ctrlact(parm->action, tp, &goto_ch, extack);
	if (err < 0) {
		/* a created action is freed by the release; its params with it */
		tunnel_key_release_params(p);
		tcf_idr_release(*a, bind);
		return err;
	}
	goto_ch = tcf_action_set_ctrlact(*a, parm->action, goto_ch);
	old = to_tunnel_key(*a)->params;
	rcu_assign_pointer(to_tunnel_key(*a)->params, p);
	if (goto_ch)
		tcf_chain_put_by_act(goto_ch);
	if (old)
		call_rcu(&old->rcu, tunnel_key_free_params_rcu);
	return ret;

release_params:
	tunnel_key_release_params(p);
release_idr:
	if (exists)
		tcf_idr_release(*a, bind);
	else
		tcf_idr_cleanup(&act_tunnel_key_ops, index);
	return err;
}

static void tunnel_key_cleanup(struct tc_action *a)
{
	struct tcf_tunnel_key_params *p = to_tunnel_key(a)->params;

	if (p)
		call_rcu(&p->rcu, tunnel_key_free_params_rcu);
}

static int tunnel_key_act(struct sk_buff *skb, const struct tc_action *a,
			  struct tcf_result *res)
{
	struct tcf_tunnel_key *t = to_tunnel_key(a);
	const struct tcf_tunnel_key_params *p = rcu_dereference(t->params);

	(void)res;
	tcf_lastuse_update(&t->common.tcfa_tm);
	tcf_action_update_bstats(&t->common, skb);

	/* unset drops the packet's metadata; set replaces it with ours */
	skb_dst_drop(skb);
	if (p->tcft_action == TCA_TUNNEL_KEY_ACT_SET)
		skb_dst_set(skb, dst_clone(p->tcft_enc_metadata));
	return READ_ONCE(a->tcfa_action);
}

static void tunnel_key_dump_addresses(struct nlmsghdr *nlh, const struct ip_tunnel_info *info)
{
	const struct ip_tunnel_key *key = &info->key;

	if (ip_tunnel_info_af(info) == AF_INET6) {
		nla_put(nlh, TCA_TUNNEL_KEY_ENC_IPV6_SRC, sizeof(key->u.ipv6.src), &key->u.ipv6.src);
		nla_put(nlh, TCA_TUNNEL_KEY_ENC_IPV6_DST, sizeof(key->u.ipv6.dst), &key->u.ipv6.dst);
	} else {
		nla_put_u32(nlh, TCA_TUNNEL_KEY_ENC_IPV4_SRC, key->u.ipv4.src);
		nla_put_u32(nlh, TCA_TUNNEL_KEY_ENC_IPV4_DST, key->u.ipv4.dst);
	}
}

/* what was given, back: optional values that were 0 are left out */
static void tunnel_key_dump_metadata(struct nlmsghdr *nlh, const struct ip_tunnel_info *info)
{
	const struct ip_tunnel_key *key = &info->key;

	if (key->tun_flags & TUNNEL_KEY)
		nla_put_u32(nlh, TCA_TUNNEL_KEY_ENC_KEY_ID, tunnel_id_to_key32(key->tun_id));
	tunnel_key_dump_addresses(nlh, info);
	if (key->tp_dst)
		nla_put_u16(nlh, TCA_TUNNEL_KEY_ENC_DST_PORT, key->tp_dst);
	nla_put_u8(nlh, TCA_TUNNEL_KEY_NO_CSUM, !(key->tun_flags & TUNNEL_CSUM));
	if (key->tos)
		nla_put_u8(nlh, TCA_TUNNEL_KEY_ENC_TOS, key->tos);
	if (key->ttl)
		nla_put_u8(nlh, TCA_TUNNEL_KEY_ENC_TTL, key->ttl);
}

static int tunnel_key_dump(struct nlmsghdr *nlh, struct tc_action *a, int bind, int ref)
{
	const struct tcf_tunnel_key_params *p = to_tunnel_key(a)->params;
	struct tc_tunnel_key opt = {
		.index = a->tcfa_index,
		.refcnt = refcount_read(&a->tcfa_refcnt) - ref,
		.bindcnt = a->tcfa_bindcnt - bind,
		.action = a->tcfa_action,
		.t_action = p->tcft_action,
	};
	struct tcf_t t;

	nla_put(nlh, TCA_TUNNEL_KEY_PARMS, sizeof(opt), &opt);
	if (p->tcft_action == TCA_TUNNEL_KEY_ACT_SET)
		tunnel_key_dump_metadata(nlh, &p->tcft_enc_metadata->tun_info);
	tcf_tm_dump(&t, &a->tcfa_tm);
	nla_put_64bit(nlh, TCA_TUNNEL_KEY_TM, sizeof(t), &t, TCA_TUNNEL_KEY_PAD);
	return 1;
}

/* `ctoffload trace`: set with where to, or unset */
static void tunnel_key_trace(const struct tc_action *a, char *buf, size_t size)
{
	const struct tcf_tunnel_key_params *p = rcu_dereference(to_tunnel_key(a)->params);
	const struct ip_tunnel_info *info;
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	int af;

	if (p->tcft_action != TCA_TUNNEL_KEY_ACT_SET) {
		snprintf(buf, size, ",\"tunnel\":\"unset\"");
		return;
	}
	info = &p->tcft_enc_metadata->tun_info;
	af = ip_tunnel_info_af(info);
	if (af == AF_INET6) {
		inet_ntop(AF_INET6, &info->key.u.ipv6.src, src, sizeof(src));
		inet_ntop(AF_INET6, &info->key.u.ipv6.dst, dst, sizeof(dst));
	} else {
		inet_ntop(AF_INET, &info->key.u.ipv4.src, src, sizeof(src));
		inet_ntop(AF_INET, &info->key.u.ipv4.dst, dst, sizeof(dst));
	}
	snprintf(buf, size, ",\"tunnel\":\"set\",\"src\":\"%s\",\"dst\":\"%s\",\"id\":%u,\"dst_port\":%u",
		 src, dst, ntohl(tunnel_id_to_key32(info->key.tun_id)), ntohs(info->key.tp_dst));
}

static struct tc_action_ops act_tunnel_key_ops = {
	.kind = "tunnel_key",
	.id = TCA_ID_TUNNEL_KEY,
	.size = sizeof(struct tcf_tunnel_key),
	.act = tunnel_key_act,
	.init = tunnel_key_init,
	.dump = tunnel_key_dump,
	.cleanup = tunnel_key_cleanup,
	.trace = tunnel_key_trace,
};

static void tunnel_key_init_module(void)
{
	tcf_register_action(&act_tunnel_key_ops);
}
module_init(tunnel_key_init_module);
