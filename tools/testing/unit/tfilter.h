/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Flower filters built by hand as cls_flower hands them to a driver
 * (struct flow_cls_offload with its flow_rule), for the driver's unit
 * tests (test_mlx5_en_tc.c, test_mlx5_tc_tun.c): the refusals and corner
 * cases that tc itself would not let through.  Static helpers in a
 * header: each test is one .c file and includes this once.
 */
#ifndef _TOOLS_TESTING_UNIT_TFILTER_H
#define _TOOLS_TESTING_UNIT_TFILTER_H

#include <stdio.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/slab.h>
#include <net/flow_offload.h>
#include <net/pkt_cls.h>
#include "../../../drivers/net/ethernet/mellanox/mlx5/core/fs_core.h"

struct tfilter {
	struct flow_dissector dissector;
	struct fl_flow_key key, mask;
	struct flow_rule *rule;
	struct flow_cls_offload f;
	struct netlink_ext_ack extack;
};

#define TKEY(id, member) \
	{ FLOW_DISSECTOR_KEY_##id, offsetof(struct fl_flow_key, member), \
	  sizeof(((struct fl_flow_key *)0)->member) }

static const struct { u8 id; u16 off, size; } tkeys[] = {
	TKEY(META, meta), TKEY(ETH_ADDRS, eth), TKEY(IPV4_ADDRS, ipv4), TKEY(IPV6_ADDRS, ipv6),
	TKEY(PORTS, tp), TKEY(PORTS_RANGE, tp_range), TKEY(IP, ip), TKEY(TCP, tcp),
	TKEY(ICMP, icmp), TKEY(ARP, arp), TKEY(VLAN, vlan), TKEY(CVLAN, cvlan),
	TKEY(ENC_KEYID, enc_key_id), TKEY(ENC_IPV4_ADDRS, enc_ipv4), TKEY(ENC_PORTS, enc_tp),
	TKEY(ENC_IP, enc_ip), TKEY(CT, ct),
};

/* cls_flower's fl_init_dissector(): control and basic always, the others when masked */
static __maybe_unused unsigned long long tf_used_keys(const struct tfilter *t)
{
	unsigned long long used = BIT_ULL(FLOW_DISSECTOR_KEY_CONTROL) |
				  BIT_ULL(FLOW_DISSECTOR_KEY_BASIC);
	const u8 *m = (const u8 *)&t->mask;
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(tkeys); i++)
		for (j = 0; j < tkeys[i].size; j++)
			if (m[tkeys[i].off + j])
				used |= BIT_ULL(tkeys[i].id);
	return used;
}

/* an IPv4 filter with room for nr_actions actions; refusals carry their reason */
static __maybe_unused void tf_alloc(struct tfilter *t, unsigned long cookie,
				    unsigned int nr_actions)
{
	memset(t, 0, sizeof(*t));
	t->rule = flow_rule_alloc(nr_actions);
	assert_non_null(t->rule);
	t->rule->match.dissector = &t->dissector;
	t->rule->match.key = &t->key;
	t->rule->match.mask = &t->mask;
	t->f.cookie = cookie;
	t->f.rule = t->rule;
	t->f.common.protocol = htons(ETH_P_IP);
	t->f.common.extack = &t->extack;
}

/* entry i as tc_setup_flow_action() makes it: hw_stats "any" (the default) */
static __maybe_unused struct flow_action_entry *tf_act(struct tfilter *t, unsigned int i,
							enum flow_action_id id)
{
	struct flow_action_entry *a = &t->rule->action.entries[i];

	a->id = id;
	a->hw_stats = FLOW_ACTION_HW_STATS_ANY;
	return a;
}

/* the steering dump, as `ctoffload steering show` prints it */
static __maybe_unused char *fs_dump_text(struct mlx5_core_dev *dev)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(mlx5_fs_dump(dev, f, MLX5_FS_DUMP_TEXT), 0);
	fclose(f);
	return buf;
}

#endif
