// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the eswitch steering model (drivers/.../mlx5/core/fs_*.c):
 * group precedence, auto groups, miss chaining and the root, misses to
 * software with their metadata, registers written in one table and
 * matched in the next, NAT rewrites with checksums checked from scratch,
 * counters, drop, multi-vport forwarding, VXLAN encap/decap, capacity
 * limits and fault injection, -EEXIST/-EBUSY, loop protection, the three
 * dump formats, concurrent readers, and a timing of a 4-table walk.
 *
 * The device is a struct mlx5_core_dev with its own wire: frames the
 * model transmits are captured in txq[] for the test to look at.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <pthread.h>
#include <sched.h>
#include <time.h>
#include <sys/wait.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/if_ether.h>
#include <linux/jiffies.h>
#include <linux/rcupdate.h>
#include <linux/skbuff.h>
#include <linux/sysctl.h>
#include <net/checksum.h>
#include "../../../drivers/net/ethernet/mellanox/mlx5/core/fs_core.h"

static struct skb_pool pool;

/* ---- the wire ---- */

#define TXQ_MAX 64

static struct {
	u16 vport;
	struct sk_buff *skb;
} txq[TXQ_MAX];
static int ntx;
static bool tx_discard;		/* the timing loop: free, do not keep */

static void test_vport_xmit(struct mlx5_core_dev *dev, u16 vport, struct sk_buff *skb)
{
	if (tx_discard || ntx == TXQ_MAX) {
		kfree_skb(skb);
		return;
	}
	txq[ntx].vport = vport;
	txq[ntx++].skb = skb;
}

static bool test_vport_exists(struct mlx5_core_dev *dev, u16 vport)
{
	return vport == MLX5_VPORT_UPLINK || (vport >= 1 && vport <= 8);
}

static const struct mlx5_wire_ops test_wire = {
	.vport_xmit = test_vport_xmit,
	.vport_exists = test_vport_exists,
};

static struct mlx5_core_dev dev = { .name = "tst0", .wire = &test_wire };
static struct mlx5_flow_namespace *ns;

static void txq_flush(void)
{
	int i;

	for (i = 0; i < ntx; i++)
		kfree_skb(txq[i].skb);
	ntx = 0;
}

static int setup(void **state)
{
	if (mlx5_init_fs(&dev))
		return -1;
	ns = mlx5_get_flow_namespace(&dev, MLX5_FLOW_NAMESPACE_FDB);
	return ns ? 0 : -1;
}

static int teardown(void **state)
{
	txq_flush();
	mlx5_cleanup_fs(&dev);
	/* every buffer is back: nothing leaked or freed twice */
	return pool.nfree == pool.size ? 0 : -1;
}

/* ---- frames ---- */

static const u8 mac_a[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0x0a };
static const u8 mac_b[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0x0b };

struct frame {
	u8 b[512];
	unsigned int len;
};

static u16 be16(const u8 *p)
{
	return p[0] << 8 | p[1];
}

static void put16(u8 *p, u16 v)
{
	p[0] = v >> 8;
	p[1] = v;
}

/*
 * Every checksum of an (optionally tagged) Ethernet/IP/TCP-UDP-ICMPv6
 * frame, computed from scratch: written, or compared with what is there.
 * A zero UDP checksum over IPv4 means "none" and is left alone.
 */
static bool frame_csums(u8 *f, bool write)
{
	unsigned int off = ETH_HLEN, l4len, csum_off;
	u16 type = be16(f + 12);
	u8 *ip, *l4, proto;
	__sum16 c, old;
	bool ok = true;
	__wsum sum;

	if (type == ETH_P_8021Q) {
		type = be16(f + 16);
		off += 4;
	}
	ip = f + off;
	if (type == ETH_P_IP) {
		unsigned int ihl = (ip[0] & 0xf) * 4;

		memcpy(&old, ip + 10, 2);
		memset(ip + 10, 0, 2);
		c = ip_fast_csum(ip, ihl / 4);
		memcpy(ip + 10, write ? &c : &old, 2);
		ok &= write || c == old;
		proto = ip[9];
		l4 = ip + ihl;
		l4len = be16(ip + 2) - ihl;
	} else {
		proto = ip[6];
		l4 = ip + 40;
		l4len = be16(ip + 4);
	}
	csum_off = proto == IPPROTO_TCP ? 16 : proto == IPPROTO_UDP ? 6 : 2;
	memcpy(&old, l4 + csum_off, 2);
	if (!write && proto == IPPROTO_UDP && type == ETH_P_IP && !old)
		return ok;
	memset(l4 + csum_off, 0, 2);
	sum = csum_partial(l4, l4len, 0);
	if (type == ETH_P_IP) {
		__be32 s, d;

		memcpy(&s, ip + 12, 4);
		memcpy(&d, ip + 16, 4);
		c = csum_tcpudp_magic(s, d, l4len, proto, sum);
	} else {
		c = csum_ipv6_magic((const struct in6_addr *)(ip + 8),
				    (const struct in6_addr *)(ip + 24), l4len, proto, sum);
	}
	if (proto == IPPROTO_UDP && !c)
		c = 0xffff;
	memcpy(l4 + csum_off, write ? &c : &old, 2);
	return ok && (write || c == old);
}

static void build_frame(struct frame *fr, int ipv, u8 proto, const char *src, const char *dst,
			u16 sport, u16 dport, unsigned int plen)
{
	unsigned int l4len = (proto == IPPROTO_TCP ? 20 : 8) + plen, i;
	u8 *f = fr->b, *ip = f + ETH_HLEN, *l4;

	memset(fr, 0, sizeof(*fr));
	memcpy(f, mac_b, ETH_ALEN);
	memcpy(f + ETH_ALEN, mac_a, ETH_ALEN);
	if (ipv == 4) {
		put16(f + 12, ETH_P_IP);
		ip[0] = 0x45;
		put16(ip + 2, 20 + l4len);
		put16(ip + 4, 0x1234);
		ip[8] = 64;
		ip[9] = proto;
		inet_pton(AF_INET, src, ip + 12);
		inet_pton(AF_INET, dst, ip + 16);
		l4 = ip + 20;
	} else {
		put16(f + 12, ETH_P_IPV6);
		ip[0] = 0x60;
		put16(ip + 4, l4len);
		ip[6] = proto;
		ip[7] = 64;
		inet_pton(AF_INET6, src, ip + 8);
		inet_pton(AF_INET6, dst, ip + 24);
		l4 = ip + 40;
	}
	put16(l4, sport);
	put16(l4 + 2, dport);
	if (proto == IPPROTO_TCP) {
		put16(l4 + 4, 0x1111);
		l4[12] = 0x50;
		l4[13] = 0x18;		/* PSH ACK */
		put16(l4 + 14, 512);
	} else {
		put16(l4 + 4, l4len);
	}
	for (i = 0; i < plen; i++)
		l4[l4len - plen + i] = i * 7;
	fr->len = (l4 - f) + l4len;
	frame_csums(f, true);
}

static struct sk_buff *frame_skb(const struct frame *fr)
{
	struct sk_buff *skb = alloc_skb(&pool);

	assert_non_null(skb);
	memcpy(skb->data, fr->b, fr->len);
	skb->len = fr->len;
	skb->protocol = htons(be16(fr->b + 12));
	return skb;
}

static struct sk_buff *tcp4(void)
{
	struct frame fr;

	build_frame(&fr, 4, IPPROTO_TCP, "10.0.0.1", "10.0.0.2", 1000, 80, 16);
	return frame_skb(&fr);
}

/* one packet through the model; returns the misses (0 or 1) */
static int rx(u16 vport, struct sk_buff *skb, struct mlx5_cqe_md *md)
{
	struct sk_buff *miss[1];
	struct mlx5_cqe_md m[1];
	int n;

	rcu_read_lock();
	n = mlx5_steering_rx_burst(&dev, vport, &skb, 1, miss, m);
	rcu_read_unlock();
	if (n) {
		assert_ptr_equal(miss[0], skb);
		if (md)
			*md = m[0];
		kfree_skb(miss[0]);
	}
	return n;
}

/* ---- rules ---- */

static struct mlx5_flow_table *table(const char *name, int prio, u32 level, u32 flags,
				     int max_fte, int groups, int reserved)
{
	struct mlx5_flow_table_attr attr = {
		.prio = prio, .level = level, .flags = flags, .max_fte = max_fte,
		.name = name,
		.autogroup = { .max_num_groups = groups, .num_reserved_entries = reserved },
	};
	struct mlx5_flow_table *ft = groups ? mlx5_create_auto_grouped_flow_table(ns, &attr) :
				     mlx5_create_flow_table(ns, &attr);

	assert_false(IS_ERR(ft));
	return ft;
}

#define OUTER(spec, field, val, mask) do {					\
		(spec)->match_criteria_enable |= MLX5_MATCH_OUTER_HEADERS;	\
		(spec)->match_criteria.outer_headers.field = (mask);		\
		(spec)->match_value.outer_headers.field = (val);		\
	} while (0)

#define REG(spec, i, val, mask) do {						\
		(spec)->match_criteria_enable |= MLX5_MATCH_MISC_PARAMETERS_2;	\
		(spec)->match_criteria.misc_parameters_2.metadata_reg_c[i] = (mask); \
		(spec)->match_value.misc_parameters_2.metadata_reg_c[i] = (val); \
	} while (0)

static struct mlx5_flow_destination vport_dest(u16 vport)
{
	return (struct mlx5_flow_destination){ .type = MLX5_FLOW_DESTINATION_TYPE_VPORT,
					       .vport.num = vport };
}

static struct mlx5_flow_destination table_dest(struct mlx5_flow_table *ft)
{
	return (struct mlx5_flow_destination){ .type = MLX5_FLOW_DESTINATION_TYPE_FLOW_TABLE,
					       .ft = ft };
}

static struct mlx5_flow_handle *fwd_rule(struct mlx5_flow_table *ft, const struct mlx5_flow_spec *spec,
					 struct mlx5_flow_destination dest,
					 struct mlx5_modify_hdr *mh, u32 flags)
{
	struct mlx5_flow_act act = {
		.action = MLX5_FLOW_CONTEXT_ACTION_FWD_DEST | (mh ? MLX5_FLOW_CONTEXT_ACTION_MOD_HDR : 0),
		.modify_hdr = mh, .flags = flags,
	};

	return mlx5_add_flow_rules(ft, spec, &act, &dest, 1);
}

static void assert_tx(int i, u16 vport)
{
	assert_true(ntx > i);
	assert_int_equal(txq[i].vport, vport);
}

static struct mlx5_modify_hdr *mod_hdr(int n, const struct mlx5_action_in *a)
{
	struct mlx5_modify_hdr *mh = mlx5_modify_header_alloc(&dev, MLX5_FLOW_NAMESPACE_FDB, n, a);

	assert_false(IS_ERR(mh));
	return mh;
}

static struct mlx5_action_in set_act(u8 field, u8 offset, u8 length, u32 data)
{
	return (struct mlx5_action_in){ .action_type = MLX5_ACTION_TYPE_SET, .field = field,
					.offset = offset, .length = length, .data = data };
}

/* ---- tests ---- */

/* the group with the lower start index is looked at first, whatever the creation order */
static void test_group_precedence(void **state)
{
	struct mlx5_flow_table *ft = table("prec", 0, 0, 0, 64, 0, 0);
	struct mlx5_flow_group_attr ga = { .start_flow_index = 10, .end_flow_index = 19,
					   .match_criteria_enable = MLX5_MATCH_OUTER_HEADERS };
	struct mlx5_flow_spec spec = {};
	struct mlx5_flow_handle *r_eth, *r_port;
	struct mlx5_flow_group *g_eth, *g_port;
	struct frame fr;

	ga.match_criteria.outer_headers.ethertype = 0xffff;
	g_eth = mlx5_create_flow_group(ft, &ga);
	assert_false(IS_ERR(g_eth));
	memset(&ga.match_criteria, 0, sizeof(ga.match_criteria));
	ga.start_flow_index = 0;
	ga.end_flow_index = 9;
	ga.match_criteria.outer_headers.ip_protocol = 0xff;
	ga.match_criteria.outer_headers.tcp_dport = 0xffff;
	g_port = mlx5_create_flow_group(ft, &ga);
	assert_false(IS_ERR(g_port));
	/* overlapping ranges are refused */
	ga.start_flow_index = 5;
	ga.end_flow_index = 12;
	assert_int_equal(PTR_ERR(mlx5_create_flow_group(ft, &ga)), -EINVAL);

	OUTER(&spec, ethertype, ETH_P_IP, 0xffff);
	r_eth = fwd_rule(ft, &spec, vport_dest(2), NULL, 0);
	assert_false(IS_ERR(r_eth));
	memset(&spec, 0, sizeof(spec));
	OUTER(&spec, ip_protocol, IPPROTO_TCP, 0xff);
	OUTER(&spec, tcp_dport, 80, 0xffff);
	r_port = fwd_rule(ft, &spec, vport_dest(3), NULL, 0);
	assert_false(IS_ERR(r_port));

	assert_int_equal(rx(1, tcp4(), NULL), 0);
	assert_tx(0, 3);
	build_frame(&fr, 4, IPPROTO_TCP, "10.0.0.1", "10.0.0.2", 1000, 81, 0);
	assert_int_equal(rx(1, frame_skb(&fr), NULL), 0);
	assert_tx(1, 2);
	mlx5_del_flow_rules(r_port);
	assert_int_equal(rx(1, tcp4(), NULL), 0);
	assert_tx(2, 2);
	mlx5_del_flow_rules(r_eth);
	/* an empty table: everything misses */
	assert_int_equal(rx(1, tcp4(), NULL), 1);
	mlx5_destroy_flow_group(g_eth);
	mlx5_destroy_flow_group(g_port);
	assert_int_equal(mlx5_destroy_flow_table(ft), 0);
}

static void test_auto_groups(void **state)
{
	struct mlx5_flow_table *ft = table("auto", 0, 0, 0, 16, 2, 1);
	struct mlx5_flow_group_attr ga = { .start_flow_index = 15, .end_flow_index = 15 };
	struct mlx5_flow_spec a = {}, b = {}, c = {}, any = {};
	struct mlx5_flow_handle *h[5];
	struct mlx5_flow_group *fg;
	struct mlx5_fs_usage u;
	struct mlx5_cqe_md md;

	/* an explicit group only in the reserved entries */
	ga.start_flow_index = 3;
	ga.end_flow_index = 3;
	assert_int_equal(PTR_ERR(mlx5_create_flow_group(ft, &ga)), -EINVAL);
	ga.start_flow_index = 15;
	ga.end_flow_index = 15;
	fg = mlx5_create_flow_group(ft, &ga);
	assert_false(IS_ERR(fg));

	OUTER(&a, tcp_dport, 80, 0xffff);
	OUTER(&b, tcp_dport, 81, 0xffff);
	OUTER(&c, tcp_sport, 1000, 0xffff);
	h[0] = fwd_rule(ft, &a, vport_dest(2), NULL, 0);
	h[1] = fwd_rule(ft, &b, vport_dest(3), NULL, 0);
	mlx5_fs_get_usage(&dev, &u);
	assert_int_equal(u.groups, 2);		/* the reserved one and one auto group */
	h[2] = fwd_rule(ft, &c, vport_dest(4), NULL, 0);
	assert_false(IS_ERR(h[2]));
	mlx5_fs_get_usage(&dev, &u);
	assert_int_equal(u.groups, 3);
	/* no third auto group */
	memset(&c, 0, sizeof(c));
	OUTER(&c, udp_dport, 53, 0xffff);
	assert_int_equal(PTR_ERR(fwd_rule(ft, &c, vport_dest(4), NULL, 0)), -ENOSPC);
	/* the catch-all goes to the reserved group, looked at after the auto groups */
	h[3] = fwd_rule(ft, &any, vport_dest(MLX5_VPORT_MANAGER), NULL, 0);
	assert_false(IS_ERR(h[3]));
	assert_int_equal(PTR_ERR(fwd_rule(ft, &any, vport_dest(5), NULL, 0)), -ENOSPC);
	assert_int_equal(rx(1, tcp4(), NULL), 0);
	assert_tx(0, 2);
	assert_int_equal(rx(1, tcp4(), &md), 0);	/* the first auto group wins over the second */
	assert_int_equal(ntx, 2);
	mlx5_del_flow_rules(h[0]);
	assert_int_equal(rx(1, tcp4(), NULL), 0);
	assert_tx(2, 4);
	mlx5_del_flow_rules(h[2]);
	assert_int_equal(rx(1, tcp4(), &md), 1);	/* to software by the catch-all */
	mlx5_del_flow_rules(h[1]);
	mlx5_del_flow_rules(h[3]);
	mlx5_destroy_flow_group(fg);
	assert_int_equal(mlx5_destroy_flow_table(ft), 0);

	/* a plain table has no auto groups */
	ft = table("plain", 0, 0, 0, 16, 0, 0);
	assert_int_equal(PTR_ERR(fwd_rule(ft, &a, vport_dest(2), NULL, 0)), -ENOENT);
	assert_int_equal(mlx5_destroy_flow_table(ft), 0);
}

static void test_miss_chain_and_root(void **state)
{
	struct mlx5_flow_table *t2 = table("t2", 1, 0, 0, 16, 4, 0);
	struct mlx5_flow_table *t1 = table("t1", 0, 1, 0, 16, 4, 0);
	struct mlx5_flow_table *u = table("u", 5, 0, MLX5_FLOW_TABLE_UNMANAGED, 16, 4, 0);
	struct mlx5_flow_spec spec = {};
	struct mlx5_flow_handle *h1, *h2, *hu;
	struct mlx5_cqe_md md;

	OUTER(&spec, tcp_dport, 80, 0xffff);
	h2 = fwd_rule(t2, &spec, vport_dest(2), NULL, 0);
	hu = fwd_rule(u, &spec, vport_dest(5), NULL, 0);
	memset(&spec, 0, sizeof(spec));
	OUTER(&spec, tcp_dport, 443, 0xffff);
	h1 = fwd_rule(t1, &spec, vport_dest(3), NULL, 0);
	assert_false(IS_ERR(h1) || IS_ERR(h2) || IS_ERR(hu));

	/* t1 is the root (prio 0), its miss goes to t2; u is never entered by itself */
	assert_int_equal(rx(1, tcp4(), NULL), 0);
	assert_tx(0, 2);
	/* t1's miss redirected to u */
	assert_int_equal(mlx5_flow_table_set_miss(t1, u), 0);
	assert_int_equal(rx(1, tcp4(), NULL), 0);
	assert_tx(1, 5);
	assert_int_equal(mlx5_flow_table_set_miss(t1, NULL), 0);
	/* the last managed table misses to software, with nothing set */
	mlx5_del_flow_rules(h2);
	assert_int_equal(rx(1, tcp4(), &md), 1);
	assert_int_equal(md.flow_tag, 0);
	assert_int_equal(md.ft_metadata, 0);
	/* without t1 the root is t2 */
	mlx5_del_flow_rules(h1);
	assert_int_equal(mlx5_destroy_flow_table(t1), 0);
	h2 = fwd_rule(t2, &spec, vport_dest(4), NULL, 0);
	{
		struct frame fr;

		build_frame(&fr, 4, IPPROTO_TCP, "10.0.0.1", "10.0.0.2", 1000, 443, 0);
		assert_int_equal(rx(1, frame_skb(&fr), NULL), 0);
		assert_tx(2, 4);
	}
	mlx5_del_flow_rules(h2);
	mlx5_del_flow_rules(hu);
	assert_int_equal(mlx5_destroy_flow_table(t2), 0);
	assert_int_equal(mlx5_destroy_flow_table(u), 0);
	/* no table: a miss */
	assert_int_equal(rx(1, tcp4(), NULL), 1);
}

/* an unmanaged table's miss reaches software with reg_c_0[15:0] and reg_c_1 */
static void test_unmanaged_miss_md(void **state)
{
	struct mlx5_flow_table *t = table("root", 0, 0, 0, 16, 2, 0);
	struct mlx5_flow_table *u = table("chain 5", 0, 1, MLX5_FLOW_TABLE_UNMANAGED, 16, 2, 0);
	struct mlx5_action_in acts[] = {
		set_act(MLX5_ACTION_IN_FIELD_METADATA_REG_C_0, 0, 16, 0x1234),
		set_act(MLX5_ACTION_IN_FIELD_METADATA_REG_C_1, 0, 0, 0xdeadbeef),
	};
	struct mlx5_modify_hdr *mh = mod_hdr(2, acts);
	struct mlx5_flow_spec spec = {};
	struct mlx5_flow_handle *h;
	struct mlx5_cqe_md md;

	h = fwd_rule(t, &spec, table_dest(u), mh, 0);
	assert_false(IS_ERR(h));
	assert_int_equal(rx(1, tcp4(), &md), 1);
	assert_int_equal(md.flow_tag, 0x1234);
	assert_int_equal(md.ft_metadata, 0xdeadbeef);
	mlx5_del_flow_rules(h);
	mlx5_modify_header_dealloc(&dev, mh);
	assert_int_equal(mlx5_destroy_flow_table(u), 0);
	assert_int_equal(mlx5_destroy_flow_table(t), 0);
}

/* registers written in one table are matched in the next; reg_c_0 carries the source vport */
static void test_registers_across_tables(void **state)
{
	struct mlx5_flow_table *t1 = table("t1", 0, 0, 0, 16, 2, 0);
	struct mlx5_flow_table *t2 = table("t2", 0, 1, MLX5_FLOW_TABLE_UNMANAGED, 16, 2, 0);
	struct mlx5_action_in acts[] = {
		set_act(MLX5_ACTION_IN_FIELD_METADATA_REG_C_2, 0, 16, 5),
		set_act(MLX5_ACTION_IN_FIELD_METADATA_REG_C_2, 16, 8, 0xab),
		{ .action_type = MLX5_ACTION_TYPE_COPY, .field = MLX5_ACTION_IN_FIELD_METADATA_REG_C_0,
		  .offset = 16, .length = 16, .dst_field = MLX5_ACTION_IN_FIELD_METADATA_REG_C_3 },
		{ .action_type = MLX5_ACTION_TYPE_ADD, .field = MLX5_ACTION_IN_FIELD_METADATA_REG_C_3,
		  .data = 0x100000 },
	};
	struct mlx5_modify_hdr *mh = mod_hdr(4, acts);
	u32 meta1 = mlx5_eswitch_get_vport_metadata_for_match(&dev, 1);
	struct mlx5_flow_spec spec = {};
	struct mlx5_flow_handle *h1, *h2;

	assert_int_not_equal(meta1, 0);
	assert_int_not_equal(meta1, mlx5_eswitch_get_vport_metadata_for_match(&dev, 2));
	assert_int_not_equal(mlx5_eswitch_get_vport_metadata_for_match(&dev, MLX5_VPORT_UPLINK), 0);
	h1 = fwd_rule(t1, &spec, table_dest(t2), mh, 0);
	REG(&spec, 0, meta1 << 16, 0xffff0000);
	REG(&spec, 2, 0xab0005, 0xffffff);
	REG(&spec, 3, meta1 + 0x100000, 0xffffffff);
	h2 = fwd_rule(t2, &spec, vport_dest(2), NULL, 0);
	assert_false(IS_ERR(h1) || IS_ERR(h2));
	assert_int_equal(rx(1, tcp4(), NULL), 0);
	assert_tx(0, 2);
	/* from another vport reg_c_0 differs: t2 misses, to software */
	assert_int_equal(rx(3, tcp4(), NULL), 1);
	mlx5_del_flow_rules(h1);
	mlx5_del_flow_rules(h2);
	mlx5_modify_header_dealloc(&dev, mh);
	mlx5_destroy_flow_table(t2);
	mlx5_destroy_flow_table(t1);
}

static void rewrite_and_check(int ipv, u8 proto, const struct mlx5_action_in *acts, int n,
			      const char *src, const char *dst, u16 sport, u16 dport,
			      bool zero_udp_csum)
{
	struct mlx5_flow_table *t = table("nat", 0, 0, 0, 16, 2, 0);
	struct mlx5_modify_hdr *mh = mod_hdr(n, acts);
	struct mlx5_flow_spec spec = {};
	struct mlx5_flow_handle *h;
	struct frame fr, want;
	u8 *ip, *l4;

	build_frame(&fr, ipv, proto, ipv == 4 ? "10.0.0.1" : "2001:db8::1",
		    ipv == 4 ? "10.0.0.2" : "2001:db8::2", 1000, 80, 33);
	build_frame(&want, ipv, proto, src, dst, sport, dport, 33);
	if (zero_udp_csum) {
		memset(fr.b + ETH_HLEN + 20 + 6, 0, 2);
		memset(want.b + ETH_HLEN + 20 + 6, 0, 2);
	}
	OUTER(&spec, ip_protocol, proto, 0xff);
	h = fwd_rule(t, &spec, vport_dest(2), mh, 0);
	assert_false(IS_ERR(h));
	assert_int_equal(rx(1, frame_skb(&fr), NULL), 0);
	assert_tx(0, 2);
	assert_int_equal(txq[0].skb->len, want.len);
	ip = txq[0].skb->data + ETH_HLEN;
	l4 = ip + (ipv == 4 ? 20 : 40);
	/* the checksums are right as recomputed from scratch ... */
	assert_true(frame_csums(txq[0].skb->data, false));
	/* ... and the bytes are the frame built with the new addresses and ports */
	assert_memory_equal(txq[0].skb->data, want.b, want.len);
	if (zero_udp_csum)
		assert_int_equal(be16(l4 + 6), 0);
	txq_flush();
	mlx5_del_flow_rules(h);
	mlx5_modify_header_dealloc(&dev, mh);
	mlx5_destroy_flow_table(t);
}

static void test_nat_ipv4(void **state)
{
	struct mlx5_action_in tcp[] = {
		set_act(MLX5_ACTION_IN_FIELD_OUT_SIPV4, 0, 0, 0xc0a80101),	/* 192.168.1.1 */
		set_act(MLX5_ACTION_IN_FIELD_OUT_DIPV4, 0, 0, 0xac100005),	/* 172.16.0.5 */
		set_act(MLX5_ACTION_IN_FIELD_OUT_TCP_SPORT, 0, 16, 40000),
		set_act(MLX5_ACTION_IN_FIELD_OUT_TCP_DPORT, 0, 16, 8080),
		set_act(MLX5_ACTION_IN_FIELD_OUT_UDP_DPORT, 0, 16, 1),	/* not UDP: ignored */
		set_act(MLX5_ACTION_IN_FIELD_OUT_SIPV6_31_0, 0, 0, 1),	/* not IPv6: ignored */
	};
	struct mlx5_action_in udp[] = {
		set_act(MLX5_ACTION_IN_FIELD_OUT_SIPV4, 0, 0, 0xc0a80101),
		set_act(MLX5_ACTION_IN_FIELD_OUT_UDP_SPORT, 0, 16, 5353),
		set_act(MLX5_ACTION_IN_FIELD_OUT_UDP_DPORT, 0, 16, 53),
	};
	struct mlx5_action_in ttl[] = {
		{ .action_type = MLX5_ACTION_TYPE_ADD, .field = MLX5_ACTION_IN_FIELD_OUT_IP_TTL,
		  .data = 0xff },	/* ttl - 1 */
		set_act(MLX5_ACTION_IN_FIELD_OUT_IP_DSCP, 0, 6, 46),
	};
	struct mlx5_flow_table *t;
	struct mlx5_modify_hdr *mh;
	struct mlx5_flow_spec spec = {};
	struct mlx5_flow_handle *h;
	u8 *ip;

	rewrite_and_check(4, IPPROTO_TCP, tcp, ARRAY_SIZE(tcp), "192.168.1.1", "172.16.0.5",
			  40000, 8080, false);
	rewrite_and_check(4, IPPROTO_UDP, udp, ARRAY_SIZE(udp), "192.168.1.1", "10.0.0.2",
			  5353, 53, false);
	/* a zero UDP checksum stays zero */
	rewrite_and_check(4, IPPROTO_UDP, udp, ARRAY_SIZE(udp), "192.168.1.1", "10.0.0.2",
			  5353, 53, true);

	t = table("ttl", 0, 0, 0, 16, 2, 0);
	mh = mod_hdr(2, ttl);
	h = fwd_rule(t, &spec, vport_dest(2), mh, 0);
	assert_int_equal(rx(1, tcp4(), NULL), 0);
	ip = txq[0].skb->data + ETH_HLEN;
	assert_int_equal(ip[8], 63);
	assert_int_equal(ip[1] >> 2, 46);
	assert_true(frame_csums(txq[0].skb->data, false));
	mlx5_del_flow_rules(h);
	mlx5_modify_header_dealloc(&dev, mh);
	mlx5_destroy_flow_table(t);
}

static void test_nat_ipv6(void **state)
{
	struct mlx5_action_in tcp[] = {
		set_act(MLX5_ACTION_IN_FIELD_OUT_SIPV6_127_96, 0, 0, 0xfd000000),
		set_act(MLX5_ACTION_IN_FIELD_OUT_SIPV6_31_0, 0, 0, 0x00000099),
		set_act(MLX5_ACTION_IN_FIELD_OUT_DIPV6_31_0, 0, 0, 0x00000077),
		set_act(MLX5_ACTION_IN_FIELD_OUT_TCP_DPORT, 0, 16, 8443),
		set_act(MLX5_ACTION_IN_FIELD_OUT_SIPV4, 0, 0, 1),	/* not IPv4: ignored */
	};
	struct mlx5_action_in udp[] = {
		set_act(MLX5_ACTION_IN_FIELD_OUT_DIPV6_95_64, 0, 0, 0x12345678),
		set_act(MLX5_ACTION_IN_FIELD_OUT_UDP_SPORT, 0, 16, 7),
	};

	rewrite_and_check(6, IPPROTO_TCP, tcp, ARRAY_SIZE(tcp), "fd00::99", "2001:db8::77",
			  1000, 8443, false);
	rewrite_and_check(6, IPPROTO_UDP, udp, ARRAY_SIZE(udp), "2001:db8::1",
			  "2001:db8:1234:5678::2", 7, 80, false);
}

static void test_counters_and_drop(void **state)
{
	struct mlx5_flow_table *t = table("t", 0, 0, 0, 16, 2, 0);
	struct mlx5_fc *fc = mlx5_fc_create(&dev, true);
	struct mlx5_flow_destination dest = { .type = MLX5_FLOW_DESTINATION_TYPE_COUNTER,
					      .counter = fc };
	struct mlx5_flow_act act = { .action = MLX5_FLOW_CONTEXT_ACTION_DROP |
					       MLX5_FLOW_CONTEXT_ACTION_COUNT };
	struct mlx5_flow_spec spec = {};
	struct mlx5_flow_handle *h;
	u64 bytes, packets, lastuse;
	struct mlx5_fs_stats st;
	struct sk_buff *skb;
	int i, len;

	assert_false(IS_ERR(fc));
	/* COUNT needs the counter, the counter needs COUNT */
	act.action = MLX5_FLOW_CONTEXT_ACTION_DROP;
	assert_int_equal(PTR_ERR(mlx5_add_flow_rules(t, &spec, &act, &dest, 1)), -EINVAL);
	act.action |= MLX5_FLOW_CONTEXT_ACTION_COUNT;
	assert_int_equal(PTR_ERR(mlx5_add_flow_rules(t, &spec, &act, NULL, 0)), -EINVAL);
	h = mlx5_add_flow_rules(t, &spec, &act, &dest, 1);
	assert_false(IS_ERR(h));
	mlx5_fc_query_cached(fc, &bytes, &packets, &lastuse);
	assert_true(!bytes && !packets && !lastuse);
	jiffies_advance(1000);
	for (i = 0; i < 3; i++) {
		skb = tcp4();
		len = skb->len;
		assert_int_equal(rx(1, skb, NULL), 0);
	}
	assert_int_equal(ntx, 0);
	mlx5_fc_query_cached(fc, &bytes, &packets, &lastuse);
	assert_int_equal(packets, 3);
	assert_int_equal(bytes, 3 * len);
	assert_int_equal(lastuse, jiffies_read());
	assert_int_equal(mlx5_fc_query(&dev, fc, &packets, &bytes), 0);
	assert_int_equal(packets, 3);
	mlx5_fs_get_stats(&dev, &st);
	assert_int_equal(st.rx_packets, 3);
	assert_int_equal(st.hw_dropped, 3);
	assert_int_equal(st.rx_packets, st.hw_dropped + st.hw_forwarded + st.miss_to_sw +
			 st.loop_dropped);
	mlx5_del_flow_rules(h);
	mlx5_fc_destroy(&dev, fc);
	mlx5_destroy_flow_table(t);
}

static void test_multi_vport(void **state)
{
	struct mlx5_flow_table *t = table("t", 0, 0, 0, 16, 2, 0);
	struct mlx5_flow_destination d[4] = { vport_dest(1), vport_dest(2), vport_dest(3),
					      vport_dest(MLX5_VPORT_MANAGER) };
	struct mlx5_flow_act act = { .action = MLX5_FLOW_CONTEXT_ACTION_FWD_DEST };
	struct mlx5_flow_spec spec = {};
	struct mlx5_flow_handle *h;
	struct mlx5_fs_stats st;
	struct sk_buff *skb = tcp4();
	u8 frame[256];
	unsigned int len = skb->len;
	int i;

	memcpy(frame, skb->data, len);
	/* a vport that does not exist */
	d[3] = vport_dest(9);
	assert_int_equal(PTR_ERR(mlx5_add_flow_rules(t, &spec, &act, d, 4)), -EINVAL);
	h = mlx5_add_flow_rules(t, &spec, &act, d, 3);
	assert_false(IS_ERR(h));
	assert_int_equal(rx(1, skb, NULL), 0);
	assert_int_equal(ntx, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(txq[i].vport, i + 1);
		assert_int_equal(txq[i].skb->len, len);
		assert_memory_equal(txq[i].skb->data, frame, len);
	}
	mlx5_del_flow_rules(h);
	/* and a copy to software */
	d[3] = vport_dest(MLX5_VPORT_MANAGER);
	h = mlx5_add_flow_rules(t, &spec, &act, d, 4);
	assert_false(IS_ERR(h));
	assert_int_equal(rx(1, tcp4(), NULL), 1);
	assert_int_equal(ntx, 6);
	mlx5_fs_get_stats(&dev, &st);
	assert_int_equal(st.hw_forwarded, 1);
	assert_int_equal(st.miss_to_sw, 1);
	mlx5_del_flow_rules(h);
	mlx5_destroy_flow_table(t);
}

static unsigned int vxlan_template(u8 *t, int ipv)
{
	u8 *ip = t + ETH_HLEN, *udp;

	memset(t, 0, 128);
	memcpy(t, "\x02\x00\x00\x00\x00\x99", ETH_ALEN);
	memcpy(t + ETH_ALEN, "\x02\x00\x00\x00\x00\x98", ETH_ALEN);
	if (ipv == 4) {
		put16(t + 12, ETH_P_IP);
		ip[0] = 0x45;
		ip[8] = 64;
		ip[9] = IPPROTO_UDP;
		inet_pton(AF_INET, "192.0.2.1", ip + 12);
		inet_pton(AF_INET, "192.0.2.2", ip + 16);
		udp = ip + 20;
	} else {
		put16(t + 12, ETH_P_IPV6);
		ip[0] = 0x60;
		ip[6] = IPPROTO_UDP;
		ip[7] = 64;
		inet_pton(AF_INET6, "2001:db8:ff::1", ip + 8);
		inet_pton(AF_INET6, "2001:db8:ff::2", ip + 24);
		udp = ip + 40;
	}
	put16(udp + 2, 4789);
	udp[8] = 0x08;
	udp[12] = 0;
	udp[13] = 0;
	udp[14] = 42;		/* VNI 42 */
	return udp + 16 - t;
}

static void vxlan_roundtrip(int ipv)
{
	struct mlx5_flow_table *t = table("vxlan", 0, 0, MLX5_FLOW_TABLE_TUNNEL_EN_REFORMAT |
					  MLX5_FLOW_TABLE_TUNNEL_EN_DECAP, 16, 4, 0);
	struct mlx5_pkt_reformat_params params = { .type = MLX5_REFORMAT_TYPE_L2_TO_VXLAN };
	struct mlx5_flow_act act = { .action = MLX5_FLOW_CONTEXT_ACTION_FWD_DEST |
					       MLX5_FLOW_CONTEXT_ACTION_PACKET_REFORMAT };
	struct mlx5_flow_destination d = vport_dest(MLX5_VPORT_UPLINK);
	struct mlx5_flow_spec spec = {};
	struct mlx5_flow_handle *encap, *decap;
	struct mlx5_pkt_reformat *pr;
	u8 tmpl[128], *ip, *udp;
	struct sk_buff *skb = tcp4();
	unsigned int inner_len = skb->len, hlen, sport;
	u8 frame[256];

	memcpy(frame, skb->data, inner_len);
	params.size = hlen = vxlan_template(tmpl, ipv);
	params.data = tmpl;
	/* a bad template: no VNI flag */
	tmpl[hlen - 8] = 0;
	assert_int_equal(PTR_ERR(mlx5_packet_reformat_alloc(&dev, &params, MLX5_FLOW_NAMESPACE_FDB)),
			 -EINVAL);
	tmpl[hlen - 8] = 0x08;
	pr = mlx5_packet_reformat_alloc(&dev, &params, MLX5_FLOW_NAMESPACE_FDB);
	assert_false(IS_ERR(pr));
	act.pkt_reformat = pr;
	spec.match_criteria_enable = MLX5_MATCH_MISC_PARAMETERS;
	spec.match_criteria.misc_parameters.source_port = 0xffff;
	spec.match_value.misc_parameters.source_port = 1;
	encap = mlx5_add_flow_rules(t, &spec, &act, &d, 1);
	assert_false(IS_ERR(encap));
	spec.match_value.misc_parameters.source_port = MLX5_VPORT_UPLINK;
	spec.match_criteria.misc_parameters.vxlan_vni = 0xffffff;
	spec.match_value.misc_parameters.vxlan_vni = 42;
	spec.match_criteria_enable |= MLX5_MATCH_INNER_HEADERS;
	memset(spec.match_criteria.inner_headers.dmac, 0xff, ETH_ALEN);
	memcpy(spec.match_value.inner_headers.dmac, mac_b, ETH_ALEN);
	act.action = MLX5_FLOW_CONTEXT_ACTION_FWD_DEST | MLX5_FLOW_CONTEXT_ACTION_DECAP;
	d = vport_dest(2);
	decap = mlx5_add_flow_rules(t, &spec, &act, &d, 1);
	assert_false(IS_ERR(decap));

	assert_int_equal(rx(1, skb, NULL), 0);
	assert_tx(0, MLX5_VPORT_UPLINK);
	skb = txq[0].skb;
	assert_int_equal(skb->len, inner_len + hlen);
	ip = skb->data + ETH_HLEN;
	if (ipv == 4) {
		assert_int_equal(be16(ip + 2), inner_len + hlen - ETH_HLEN);
		assert_int_equal(ip_fast_csum(ip, 5), 0);
		udp = ip + 20;
	} else {
		assert_int_equal(be16(ip + 4), inner_len + 16);
		udp = ip + 40;
	}
	sport = be16(udp);
	assert_true(sport >= 49152);
	assert_int_equal(be16(udp + 2), 4789);
	assert_int_equal(be16(udp + 4), inner_len + 16);
	if (ipv == 4) {
		/* no outer UDP checksum over IPv4, as VXLAN senders do */
		assert_int_equal(be16(udp + 6), 0);
	} else {
		/* IPv6 forbids 0: the device computes it; it must verify */
		__be32 tail[2] = { htonl(inner_len + 16), htonl(IPPROTO_UDP) };
		__wsum sum = csum_partial(ip + 8, 32, 0);

		assert_int_not_equal(be16(udp + 6), 0);
		sum = csum_partial(tail, sizeof(tail), sum);
		assert_int_equal(csum_fold(csum_partial(udp, inner_len + 16, sum)), 0);
	}
	assert_memory_equal(skb->data + hlen, frame, inner_len);
	/* back in from the uplink: decapsulated, the same bytes as sent */
	ntx = 0;
	assert_int_equal(rx(MLX5_VPORT_UPLINK, skb, NULL), 0);
	assert_tx(0, 2);
	assert_int_equal(txq[0].skb->len, inner_len);
	assert_memory_equal(txq[0].skb->data, frame, inner_len);
	txq_flush();
	mlx5_del_flow_rules(encap);
	mlx5_del_flow_rules(decap);
	mlx5_packet_reformat_dealloc(&dev, pr);
	mlx5_destroy_flow_table(t);
}

static void test_vxlan_roundtrip(void **state)
{
	vxlan_roundtrip(4);
	vxlan_roundtrip(6);
}

static void test_vlan_push_pop(void **state)
{
	struct mlx5_flow_table *t = table("vlan", 0, 0, 0, 16, 4, 0);
	struct mlx5_flow_act push = { .action = MLX5_FLOW_CONTEXT_ACTION_FWD_DEST |
						MLX5_FLOW_CONTEXT_ACTION_VLAN_PUSH,
				      .vlan = { { .ethtype = htons(ETH_P_8021Q), .vid = 100, .prio = 3 } } };
	struct mlx5_flow_act pop = { .action = MLX5_FLOW_CONTEXT_ACTION_FWD_DEST |
					       MLX5_FLOW_CONTEXT_ACTION_VLAN_POP };
	struct mlx5_flow_destination d = vport_dest(MLX5_VPORT_UPLINK);
	struct mlx5_flow_spec spec = {};
	struct mlx5_flow_handle *h1, *h2;
	struct sk_buff *skb = tcp4();
	unsigned int len = skb->len;
	u8 frame[256];

	memcpy(frame, skb->data, len);
	OUTER(&spec, cvlan_tag, 0, 1);
	h1 = mlx5_add_flow_rules(t, &spec, &push, &d, 1);
	memset(&spec, 0, sizeof(spec));
	OUTER(&spec, cvlan_tag, 1, 1);
	OUTER(&spec, first_vid, 100, 0xfff);
	d = vport_dest(2);
	h2 = mlx5_add_flow_rules(t, &spec, &pop, &d, 1);
	assert_false(IS_ERR(h1) || IS_ERR(h2));
	assert_int_equal(rx(1, skb, NULL), 0);
	skb = txq[0].skb;
	assert_int_equal(skb->len, len + 4);
	assert_int_equal(be16(skb->data + 12), ETH_P_8021Q);
	assert_int_equal(be16(skb->data + 14), 3 << 13 | 100);
	ntx = 0;
	assert_int_equal(rx(MLX5_VPORT_UPLINK, skb, NULL), 0);
	assert_tx(0, 2);
	assert_int_equal(txq[0].skb->len, len);
	assert_memory_equal(txq[0].skb->data, frame, len);
	mlx5_del_flow_rules(h1);
	mlx5_del_flow_rules(h2);
	mlx5_destroy_flow_table(t);
}

static void test_capacity(void **state)
{
	struct mlx5_action_in a[3] = {
		set_act(MLX5_ACTION_IN_FIELD_METADATA_REG_C_2, 0, 16, 1),
		set_act(MLX5_ACTION_IN_FIELD_METADATA_REG_C_3, 0, 16, 1),
		set_act(MLX5_ACTION_IN_FIELD_METADATA_REG_C_4, 0, 16, 1),
	};
	struct mlx5_flow_table_attr attr = { .max_fte = 4, .name = "x" };
	struct mlx5_modify_hdr *mh[2];
	struct mlx5_flow_handle *h[4];
	struct mlx5_flow_table *t, *t2;
	struct mlx5_flow_spec spec = {};
	struct mlx5_fc *fc[2];
	struct mlx5_fs_stats st;
	char buf[32];
	int i;

	/* the knobs are sysctls */
	assert_int_equal(sysctl_read("mlx5.tst0.max_fte", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "8388608");
	assert_int_equal(sysctl_write("mlx5.tst0.max_flow_tables", "1"), 0);
	assert_int_equal(mlx5_fs_caps(&dev)->max_flow_tables, 1);
	t = table("one", 0, 0, 0, 2, 4, 0);
	assert_int_equal(PTR_ERR(mlx5_create_flow_table(ns, &attr)), -ENOSPC);
	attr.max_fte = 0;
	assert_int_equal(sysctl_write("mlx5.tst0.max_flow_tables", "2"), 0);
	assert_int_equal(PTR_ERR(mlx5_create_flow_table(ns, &attr)), -EINVAL);

	/* modify headers: count and size */
	mlx5_fs_caps(&dev)->max_modify_hdr = 1;
	mlx5_fs_caps(&dev)->max_modify_actions = 2;
	assert_int_equal(PTR_ERR(mlx5_modify_header_alloc(&dev, MLX5_FLOW_NAMESPACE_FDB, 3, a)), -E2BIG);
	mh[0] = mod_hdr(2, a);
	assert_int_equal(PTR_ERR(mlx5_modify_header_alloc(&dev, MLX5_FLOW_NAMESPACE_FDB, 1, a)), -ENOSPC);
	/* and validation: offset + length within the field, known fields */
	mlx5_fs_caps(&dev)->max_modify_hdr = 10;
	a[2] = set_act(MLX5_ACTION_IN_FIELD_OUT_TCP_SPORT, 8, 16, 1);
	assert_int_equal(PTR_ERR(mlx5_modify_header_alloc(&dev, MLX5_FLOW_NAMESPACE_FDB, 1, &a[2])), -EINVAL);
	a[2] = set_act(MLX5_ACTION_IN_FIELD_OUT_TCP_SPORT, 0, 0, 1);	/* 32 bits */
	assert_int_equal(PTR_ERR(mlx5_modify_header_alloc(&dev, MLX5_FLOW_NAMESPACE_FDB, 1, &a[2])), -EINVAL);
	a[2] = set_act(0x30, 0, 8, 1);
	assert_int_equal(PTR_ERR(mlx5_modify_header_alloc(&dev, MLX5_FLOW_NAMESPACE_FDB, 1, &a[2])), -EINVAL);
	a[2] = (struct mlx5_action_in){ .action_type = MLX5_ACTION_TYPE_COPY,
					.field = MLX5_ACTION_IN_FIELD_METADATA_REG_C_1,
					.length = 8, .dst_field = 0x31 };
	assert_int_equal(PTR_ERR(mlx5_modify_header_alloc(&dev, MLX5_FLOW_NAMESPACE_FDB, 1, &a[2])), -EINVAL);
	a[2].dst_field = MLX5_ACTION_IN_FIELD_OUT_IP_TTL;
	a[2].dst_offset = 4;		/* 4 + 8 > 8 bits */
	assert_int_equal(PTR_ERR(mlx5_modify_header_alloc(&dev, MLX5_FLOW_NAMESPACE_FDB, 1, &a[2])), -EINVAL);
	a[2].dst_offset = 0;
	mh[1] = mod_hdr(1, &a[2]);

	/* counters */
	mlx5_fs_caps(&dev)->max_counters = 1;
	fc[0] = mlx5_fc_create(&dev, false);
	assert_false(IS_ERR(fc[0]));
	fc[1] = mlx5_fc_create(&dev, false);
	assert_int_equal(PTR_ERR(fc[1]), -ENOSPC);

	/* FTEs: the table's size, then the device's */
	for (i = 0; i < 2; i++) {
		memset(&spec, 0, sizeof(spec));
		OUTER(&spec, tcp_dport, i, 0xffff);
		h[i] = fwd_rule(t, &spec, vport_dest(2), NULL, 0);
		assert_false(IS_ERR(h[i]));
	}
	OUTER(&spec, tcp_dport, 7, 0xffff);
	assert_int_equal(PTR_ERR(fwd_rule(t, &spec, vport_dest(2), NULL, 0)), -ENOSPC);
	attr.max_fte = 8;
	t2 = mlx5_create_flow_table(ns, &attr);
	assert_false(IS_ERR(t2));
	mlx5_fs_caps(&dev)->max_fte = 2;
	{
		struct mlx5_flow_group_attr ga = { .end_flow_index = 7,
						   .match_criteria_enable = MLX5_MATCH_OUTER_HEADERS };
		struct mlx5_flow_group *fg;

		ga.match_criteria.outer_headers.tcp_dport = 0xffff;
		fg = mlx5_create_flow_group(t2, &ga);
		assert_false(IS_ERR(fg));
		assert_int_equal(PTR_ERR(fwd_rule(t2, &spec, vport_dest(2), NULL, 0)), -ENOSPC);
		mlx5_fs_caps(&dev)->max_fte = 3;
		h[2] = fwd_rule(t2, &spec, vport_dest(2), NULL, 0);
		assert_false(IS_ERR(h[2]));
		mlx5_del_flow_rules(h[2]);
		mlx5_destroy_flow_group(fg);
	}
	mlx5_fs_get_stats(&dev, &st);
	assert_int_equal(st.fte_insert_failed, 2);
	for (i = 0; i < 2; i++)
		mlx5_del_flow_rules(h[i]);
	assert_int_equal(mlx5_destroy_flow_table(t2), 0);
	assert_int_equal(mlx5_destroy_flow_table(t), 0);
	mlx5_fc_destroy(&dev, fc[0]);
	mlx5_modify_header_dealloc(&dev, mh[0]);
	mlx5_modify_header_dealloc(&dev, mh[1]);
}

static void test_fault_injection(void **state)
{
	struct mlx5_flow_table *t = table("t", 0, 0, 0, 64, 2, 0);
	struct mlx5_flow_handle *h[8];
	struct mlx5_flow_spec spec = {};
	struct mlx5_fs_stats st;
	int i, failed = 0;

	assert_int_equal(sysctl_write("mlx5.tst0.fault_every_nth", "3"), 0);
	assert_int_equal(sysctl_write("mlx5.tst0.insert_delay_us", "10"), 0);
	for (i = 0; i < 8; i++) {
		OUTER(&spec, tcp_dport, i, 0xffff);
		h[i] = fwd_rule(t, &spec, vport_dest(2), NULL, 0);
		if (i % 3 == 2) {
			assert_int_equal(PTR_ERR(h[i]), -EIO);
			failed++;
		} else {
			assert_false(IS_ERR(h[i]));
		}
	}
	mlx5_fs_get_stats(&dev, &st);
	assert_int_equal(st.fte_insert_failed, failed);
	assert_int_equal(st.fte_inserted, 8 - failed);
	for (i = 0; i < 8; i++)
		mlx5_del_flow_rules(h[i]);	/* ERR_PTRs are ignored */
	mlx5_destroy_flow_table(t);
}

static void test_eexist_ebusy_einval(void **state)
{
	struct mlx5_flow_table *t1 = table("t1", 0, 0, 0, 16, 2, 0);
	struct mlx5_flow_table *t2 = table("t2", 0, 1, 0, 16, 2, 0);
	struct mlx5_flow_act act = { .action = MLX5_FLOW_CONTEXT_ACTION_FWD_DEST |
					       MLX5_FLOW_CONTEXT_ACTION_DROP };
	struct mlx5_flow_destination d[2] = { vport_dest(2), table_dest(t2) };
	struct mlx5_flow_spec spec = {};
	struct mlx5_flow_handle *h, *h2;

	OUTER(&spec, tcp_dport, 80, 0xffff);
	/* drop and forward, table and vport, forward without a destination */
	assert_int_equal(PTR_ERR(mlx5_add_flow_rules(t1, &spec, &act, d, 1)), -EINVAL);
	act.action = MLX5_FLOW_CONTEXT_ACTION_FWD_DEST;
	assert_int_equal(PTR_ERR(mlx5_add_flow_rules(t1, &spec, &act, d, 2)), -EINVAL);
	assert_int_equal(PTR_ERR(mlx5_add_flow_rules(t1, &spec, &act, NULL, 0)), -EINVAL);
	/* backwards without FLOW_ACT_IGNORE_FLOW_LEVEL */
	assert_int_equal(PTR_ERR(fwd_rule(t2, &spec, table_dest(t1), NULL, 0)), -EINVAL);

	h = fwd_rule(t1, &spec, table_dest(t2), NULL, 0);
	assert_false(IS_ERR(h));
	/* the same match (other bits in the value under no mask do not count) */
	spec.match_value.outer_headers.tcp_sport = 5;
	assert_int_equal(PTR_ERR(fwd_rule(t1, &spec, vport_dest(3), NULL, 0)), -EEXIST);
	assert_int_equal(mlx5_destroy_flow_table(t1), -EBUSY);	/* has an FTE */
	assert_int_equal(mlx5_destroy_flow_table(t2), -EBUSY);	/* is a destination */
	h2 = fwd_rule(t2, &spec, vport_dest(3), NULL, 0);
	mlx5_del_flow_rules(h);
	assert_int_equal(mlx5_destroy_flow_table(t1), 0);
	assert_int_equal(mlx5_destroy_flow_table(t2), -EBUSY);
	mlx5_del_flow_rules(h2);
	assert_int_equal(mlx5_destroy_flow_table(t2), 0);
}

static void test_loop_protection(void **state)
{
	struct mlx5_flow_table *t1 = table("t1", 0, 0, 0, 16, 2, 0);
	struct mlx5_flow_table *t2 = table("t2", 0, 1, MLX5_FLOW_TABLE_UNMANAGED, 16, 2, 0);
	struct mlx5_fc *fc = mlx5_fc_create(&dev, false);
	struct mlx5_flow_destination d[2] = { table_dest(t1), { .type = MLX5_FLOW_DESTINATION_TYPE_COUNTER,
								 .counter = fc } };
	struct mlx5_flow_act act = { .action = MLX5_FLOW_CONTEXT_ACTION_FWD_DEST |
					       MLX5_FLOW_CONTEXT_ACTION_COUNT,
				     .flags = FLOW_ACT_IGNORE_FLOW_LEVEL };
	struct mlx5_flow_spec spec = {};
	struct mlx5_flow_handle *h1, *h2;
	u64 packets, bytes;
	struct mlx5_fs_stats st;

	h1 = fwd_rule(t1, &spec, table_dest(t2), NULL, 0);
	h2 = mlx5_add_flow_rules(t2, &spec, &act, d, 2);
	assert_false(IS_ERR(h1) || IS_ERR(h2));
	assert_int_equal(rx(1, tcp4(), NULL), 0);
	assert_int_equal(ntx, 0);
	mlx5_fs_get_stats(&dev, &st);
	assert_int_equal(st.loop_dropped, 1);
	/* 32 lookups: 16 in each table */
	mlx5_fc_query(&dev, fc, &packets, &bytes);
	assert_int_equal(packets, 16);
	mlx5_del_flow_rules(h1);
	mlx5_del_flow_rules(h2);
	mlx5_fc_destroy(&dev, fc);
	mlx5_destroy_flow_table(t2);
	mlx5_destroy_flow_table(t1);
}

static char *dump(enum mlx5_fs_dump_format fmt)
{
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);

	assert_non_null(f);
	assert_int_equal(mlx5_fs_dump(&dev, f, fmt), 0);
	fclose(f);
	return s;
}

/* a command reading s on stdin: its exit status, or -1 if it cannot run */
static int pipe_to(const char *cmd, const char *s)
{
	FILE *p = popen(cmd, "w");
	int status;

	if (!p)
		return -1;
	fputs(s, p);
	status = pclose(p);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_dump(void **state)
{
	struct mlx5_flow_table *t1 = table("chain 0 prio 1", 0, 0, 0, 16, 4, 0);
	struct mlx5_flow_table *t2 = table("ct", 1, 0, MLX5_FLOW_TABLE_UNMANAGED, 16, 4, 0);
	struct mlx5_action_in a[] = {
		set_act(MLX5_ACTION_IN_FIELD_METADATA_REG_C_2, 0, 16, 5),
		set_act(MLX5_ACTION_IN_FIELD_OUT_SIPV4, 0, 0, 0x0a000063),
	};
	struct mlx5_modify_hdr *mh = mod_hdr(2, a);
	struct mlx5_fc *fc = mlx5_fc_create(&dev, true);
	struct mlx5_flow_destination d[3] = { vport_dest(2), vport_dest(MLX5_VPORT_UPLINK),
					      { .type = MLX5_FLOW_DESTINATION_TYPE_COUNTER, .counter = fc } };
	struct mlx5_flow_act act = { .action = MLX5_FLOW_CONTEXT_ACTION_FWD_DEST |
					       MLX5_FLOW_CONTEXT_ACTION_COUNT };
	struct mlx5_flow_spec spec = {};
	struct mlx5_flow_handle *h1, *h2, *h3;
	struct in6_addr a6;
	char *s;

	OUTER(&spec, ethertype, ETH_P_IP, 0xffff);
	OUTER(&spec, ip_protocol, IPPROTO_TCP, 0xff);
	inet_pton(AF_INET, "10.0.0.1", spec.match_value.outer_headers.src_ipv4_src_ipv6 + 12);
	memset(spec.match_criteria.outer_headers.src_ipv4_src_ipv6 + 12, 0xff, 4);
	REG(&spec, 0, 2 << 16, 0xffff0000);
	h1 = fwd_rule(t1, &spec, table_dest(t2), mh, 0);
	assert_false(IS_ERR(h1));
	memset(&spec, 0, sizeof(spec));
	OUTER(&spec, ethertype, ETH_P_IPV6, 0xffff);
	inet_pton(AF_INET6, "2001:db8::", &a6);
	memcpy(spec.match_value.outer_headers.dst_ipv4_dst_ipv6, &a6, 16);
	memset(spec.match_criteria.outer_headers.dst_ipv4_dst_ipv6, 0xff, 8);
	OUTER(&spec, tcp_flags, 0x2, 0x2);
	h2 = fwd_rule(t1, &spec, vport_dest(MLX5_VPORT_MANAGER), NULL, 0);
	memset(&spec, 0, sizeof(spec));
	h3 = mlx5_add_flow_rules(t2, &spec, &act, d, 3);
	assert_false(IS_ERR(h2) || IS_ERR(h3));
	assert_int_equal(rx(1, tcp4(), NULL), 0);

	s = dump(MLX5_FS_DUMP_TEXT);
	if (getenv("MLX5_FS_TEST_VERBOSE"))
		fputs(s, stderr);
	assert_non_null(strstr(s, "table \"chain 0 prio 1\""));
	assert_non_null(strstr(s, "managed root"));
	assert_non_null(strstr(s, "unmanaged ftes 1/16 miss software"));
	assert_non_null(strstr(s, "ethertype=0x0800"));
	assert_non_null(strstr(s, "ip_proto=tcp"));
	assert_non_null(strstr(s, "src_ip=10.0.0.1 "));
	assert_non_null(strstr(s, "reg_c_0=0x00020000/0xffff0000"));
	assert_non_null(strstr(s, "dst_ip=2001:db8::/64"));
	assert_non_null(strstr(s, "tcp_flags=0x2/0x2"));
	assert_non_null(strstr(s, "set reg_c_2[0:16]=0x5"));
	assert_non_null(strstr(s, "set src_ipv4=10.0.0.99"));
	assert_non_null(strstr(s, "fwd table \"ct\""));
	assert_non_null(strstr(s, "fwd software"));
	assert_non_null(strstr(s, "fwd vport 2, fwd uplink"));
	assert_non_null(strstr(s, "packets 1 bytes 70"));
	assert_non_null(strstr(s, "stats: rx_packets 1 hw_forwarded 1"));
	free(s);

	s = dump(MLX5_FS_DUMP_JSON);
	assert_int_equal(s[0], '{');
	assert_non_null(strstr(s, "\"tables\":[{\"name\":\"chain 0 prio 1\""));
	assert_non_null(strstr(s, "\"reg_c_0\":\"0x00020000/0xffff0000\""));
	assert_non_null(strstr(s, "\"counter\":{\"id\":"));
	if (!system("command -v python3 >/dev/null 2>&1"))
		assert_int_equal(pipe_to("python3 -m json.tool >/dev/null", s), 0);
	free(s);

	s = dump(MLX5_FS_DUMP_DOT);
	if (getenv("MLX5_FS_TEST_VERBOSE"))
		fputs(s, stderr);
	assert_non_null(strstr(s, "digraph"));
	assert_non_null(strstr(s, "style=dashed"));
	if (!system("command -v dot >/dev/null 2>&1"))
		assert_int_equal(pipe_to("dot -Tsvg >/dev/null", s), 0);
	else
		fprintf(stderr, "# dot not installed: the DOT output was not rendered\n");
	free(s);

	mlx5_del_flow_rules(h1);
	mlx5_del_flow_rules(h2);
	mlx5_del_flow_rules(h3);
	mlx5_fc_destroy(&dev, fc);
	mlx5_modify_header_dealloc(&dev, mh);
	mlx5_destroy_flow_table(t2);
	mlx5_destroy_flow_table(t1);
}

/* devices come and go: their sysctls with them */
static void test_sysctl_lifetime(void **state)
{
	char buf[32];
	int i;

	for (i = 0; i < 40; i++) {
		mlx5_cleanup_fs(&dev);
		assert_int_equal(sysctl_read("mlx5.tst0.max_fte", buf, sizeof(buf)), -ENOENT);
		assert_int_equal(mlx5_init_fs(&dev), 0);
		assert_int_equal(sysctl_read("mlx5.tst0.fault_every_nth", buf, sizeof(buf)), 0);
		assert_string_equal(buf, "0");
	}
	ns = mlx5_get_flow_namespace(&dev, MLX5_FLOW_NAMESPACE_FDB);
}

/* ---- readers while the control path changes the tables ---- */

static volatile bool stress_stop;
static unsigned int stress_bursts;	/* bursts the readers walked */

static void *stress_reader(void *arg)
{
	struct skb_pool *p = arg;
	struct sk_buff *skbs[SKB_BURST], *miss[SKB_BURST];
	struct mlx5_cqe_md md[SKB_BURST];
	struct frame fr;
	int i, n;

	rcu_register_thread();
	skb_local_pool = p;
	build_frame(&fr, 4, IPPROTO_TCP, "10.0.0.1", "10.0.0.2", 1000, 80, 0);
	while (!stress_stop) {
		for (i = 0; i < SKB_BURST; i++) {
			skbs[i] = alloc_skb(p);
			memcpy(skbs[i]->data, fr.b, fr.len);
			skbs[i]->len = fr.len;
			fr.b[ETH_HLEN + 20 + 3]++;	/* vary the port */
		}
		rcu_read_lock();
		n = mlx5_steering_rx_burst(&dev, 1, skbs, SKB_BURST, miss, md);
		rcu_read_unlock();
		for (i = 0; i < n; i++)
			kfree_skb(miss[i]);
		__atomic_add_fetch(&stress_bursts, 1, __ATOMIC_RELAXED);
	}
	rcu_unregister_thread();
	return NULL;
}

static void test_concurrent_readers(void **state)
{
	struct mlx5_flow_handle *h[64] = {};
	struct mlx5_flow_spec spec = {};
	struct skb_pool pools[2];
	struct mlx5_flow_table *t;
	struct mlx5_fs_stats st;
	pthread_t th[2];
	int i, round;

	tx_discard = true;
	stress_stop = false;
	stress_bursts = 0;
	for (i = 0; i < 2; i++) {
		assert_int_equal(skb_pool_init(&pools[i], 256), 0);
		pthread_create(&th[i], NULL, stress_reader, &pools[i]);
	}
	/* on a loaded machine the readers may start late: churn only under them */
	while (__atomic_load_n(&stress_bursts, __ATOMIC_RELAXED) < 2)
		sched_yield();
	for (round = 0; round < 200; round++) {
		t = table("churn", 0, 0, 0, 64, 4, 0);
		for (i = 0; i < 64; i++) {
			memset(&spec, 0, sizeof(spec));
			OUTER(&spec, tcp_dport, i * 4, 0xffff);
			h[i] = fwd_rule(t, &spec, vport_dest(2), NULL, 0);
		}
		for (i = 0; i < 64; i++)
			mlx5_del_flow_rules(h[i]);
		assert_int_equal(mlx5_destroy_flow_table(t), 0);
	}
	stress_stop = true;
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	rcu_barrier();
	for (i = 0; i < 2; i++) {
		assert_int_equal(pools[i].nfree, pools[i].size);
		skb_pool_destroy(&pools[i]);
	}
	tx_discard = false;
	mlx5_fs_get_stats(&dev, &st);
	assert_true(st.rx_packets > 0);
	assert_int_equal(st.rx_packets, st.hw_forwarded + st.miss_to_sw + st.hw_dropped +
			 st.loop_dropped);
}

/* ---- a 4-table walk, timed; and the memory an FTE takes ---- */

#define BENCH_FLOWS	10000

static void test_walk_timing(void **state)
{
	struct mlx5_flow_table *t[4];
	struct mlx5_action_in a1 = set_act(MLX5_ACTION_IN_FIELD_METADATA_REG_C_2, 0, 16, 7);
	struct mlx5_action_in a2 = set_act(MLX5_ACTION_IN_FIELD_METADATA_REG_C_3, 0, 0, 0x55);
	struct mlx5_modify_hdr *mh1 = mod_hdr(1, &a1), *mh2 = mod_hdr(1, &a2);
	struct mlx5_flow_handle **h = calloc(BENCH_FLOWS + 3, sizeof(*h));
	struct sk_buff *skbs[SKB_BURST], *miss[SKB_BURST];
	struct mlx5_cqe_md md[SKB_BURST];
	struct mlx5_fs_usage u0, u1;
	struct mlx5_flow_spec spec;
	struct timespec ts0, ts1;
	struct frame fr;
	int i, n, iters = 50000;
	double ns;

	t[0] = table("pre", 0, 0, 0, 16, 2, 0);
	t[1] = table("ct", 1, 0, MLX5_FLOW_TABLE_UNMANAGED, BENCH_FLOWS, 2, 0);
	t[2] = table("post", 2, 0, MLX5_FLOW_TABLE_UNMANAGED, 16, 2, 0);
	t[3] = table("fwd", 3, 0, MLX5_FLOW_TABLE_UNMANAGED, 16, 2, 0);
	memset(&spec, 0, sizeof(spec));
	REG(&spec, 0, mlx5_eswitch_get_vport_metadata_for_match(&dev, 1) << 16, 0xffff0000);
	OUTER(&spec, ethertype, ETH_P_IP, 0xffff);
	h[0] = fwd_rule(t[0], &spec, table_dest(t[1]), mh1, 0);
	mlx5_fs_get_usage(&dev, &u0);
	/* a conntrack-like table: the 5-tuple and the zone */
	for (i = 0; i < BENCH_FLOWS; i++) {
		memset(&spec, 0, sizeof(spec));
		OUTER(&spec, ethertype, ETH_P_IP, 0xffff);
		OUTER(&spec, ip_protocol, IPPROTO_TCP, 0xff);
		OUTER(&spec, tcp_sport, 1000 + i % 50000, 0xffff);
		OUTER(&spec, tcp_dport, 80 + i / 50000, 0xffff);
		memset(spec.match_criteria.outer_headers.src_ipv4_src_ipv6 + 12, 0xff, 4);
		memset(spec.match_criteria.outer_headers.dst_ipv4_dst_ipv6 + 12, 0xff, 4);
		inet_pton(AF_INET, "10.0.0.1", spec.match_value.outer_headers.src_ipv4_src_ipv6 + 12);
		inet_pton(AF_INET, "10.0.0.2", spec.match_value.outer_headers.dst_ipv4_dst_ipv6 + 12);
		REG(&spec, 2, 7, 0xffff);
		h[3 + i] = fwd_rule(t[1], &spec, table_dest(t[2]), mh2, 0);
		assert_false(IS_ERR(h[3 + i]));
	}
	mlx5_fs_get_usage(&dev, &u1);
	memset(&spec, 0, sizeof(spec));
	REG(&spec, 3, 0x55, 0xffffffff);
	h[1] = fwd_rule(t[2], &spec, table_dest(t[3]), NULL, 0);
	memset(&spec, 0, sizeof(spec));
	OUTER(&spec, dmac[5], mac_b[5], 0xff);
	h[2] = fwd_rule(t[3], &spec, vport_dest(MLX5_VPORT_MANAGER), NULL, 0);
	assert_false(IS_ERR(h[1]) || IS_ERR(h[2]));

	for (i = 0; i < SKB_BURST; i++) {
		build_frame(&fr, 4, IPPROTO_TCP, "10.0.0.1", "10.0.0.2", 1000 + i * 97 % BENCH_FLOWS,
			    80, 64);
		skbs[i] = frame_skb(&fr);
	}
	clock_gettime(CLOCK_MONOTONIC, &ts0);
	rcu_read_lock();
	for (n = 0; n < iters; n++) {
		jiffies_burst_begin();
		/* every packet ends in software with its bytes untouched: reuse them */
		assert_int_equal(mlx5_steering_rx_burst(&dev, 1, skbs, SKB_BURST, miss, md),
				 SKB_BURST);
		jiffies_burst_end();
	}
	rcu_read_unlock();
	clock_gettime(CLOCK_MONOTONIC, &ts1);
	assert_int_equal(md[0].flow_tag, 0);
	ns = ((ts1.tv_sec - ts0.tv_sec) * 1e9 + (ts1.tv_nsec - ts0.tv_nsec)) /
	     ((double)iters * SKB_BURST);
	printf("# mlx5 fs: 4-table walk %.1f ns/packet (%d packets); %.1f bytes per 5-tuple FTE (%u groups)\n",
	       ns, iters * SKB_BURST, (double)(u1.bytes - u0.bytes) / BENCH_FLOWS, u1.groups);
	for (i = 0; i < SKB_BURST; i++)
		kfree_skb(skbs[i]);
	for (i = 0; i < BENCH_FLOWS + 3; i++)
		mlx5_del_flow_rules(h[i]);
	free(h);
	for (i = 3; i >= 0; i--)
		assert_int_equal(mlx5_destroy_flow_table(t[i]), 0);
	mlx5_modify_header_dealloc(&dev, mh1);
	mlx5_modify_header_dealloc(&dev, mh2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_group_precedence, setup, teardown),
		cmocka_unit_test_setup_teardown(test_auto_groups, setup, teardown),
		cmocka_unit_test_setup_teardown(test_miss_chain_and_root, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unmanaged_miss_md, setup, teardown),
		cmocka_unit_test_setup_teardown(test_registers_across_tables, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nat_ipv4, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nat_ipv6, setup, teardown),
		cmocka_unit_test_setup_teardown(test_counters_and_drop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_multi_vport, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vxlan_roundtrip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vlan_push_pop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_capacity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fault_injection, setup, teardown),
		cmocka_unit_test_setup_teardown(test_eexist_ebusy_einval, setup, teardown),
		cmocka_unit_test_setup_teardown(test_loop_protection, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dump, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sysctl_lifetime, setup, teardown),
		cmocka_unit_test_setup_teardown(test_concurrent_readers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_walk_timing, setup, teardown),
	};
	int ret;

	rcu_register_thread();
	jiffies_set_virtual(1000000);
	if (skb_pool_init(&pool, 1024))
		return 1;
	skb_local_pool = &pool;
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	rcu_barrier();
	skb_pool_destroy(&pool);
	rcu_unregister_thread();
	return ret;
}
