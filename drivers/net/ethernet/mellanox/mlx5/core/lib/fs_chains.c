// SPDX-License-Identifier: GPL-2.0
/*
 * tc chains and priorities as FDB tables (lib/fs_chains.h).
 *
 * A struct fs_chain exists while some (chain, prio, level) table of it
 * does; it holds the chain's mapping id and, for chain > 0, the modify
 * header that writes that id to CHAIN_TO_REG.  Its tables (struct
 * prio) are kept sorted by (prio, level), which is the order a packet
 * falls through them: each table's miss is set to the next one
 * (mlx5_flow_table_set_miss), the last one's to software.  Chain 0's
 * tables are managed, with levels in (prio, level) order, so the model
 * enters its first one (the FDB root); the other chains' tables are
 * unmanaged and reached only by a goto (forwarded to with
 * FLOW_ACT_IGNORE_FLOW_LEVEL, so their level only has to be sane).
 *
 * For chain > 0 a plain miss to software would restart tc at chain 0
 * (the packet's CHAIN_TO_REG is whatever an earlier rule left, usually
 * 0).  So every such table is created with one reserved FTE index at its
 * end, an explicit group there with an empty mask, and the chain's last
 * table holds the restore FTE in it: CHAIN_TO_REG = the chain's id and
 * forward to MLX5_VPORT_MANAGER, i.e. software, which restarts tc at
 * this chain (mlx5_get_chain_for_tag).  When the chain's last table
 * changes, the restore FTE moves with it.
 *
 * Locking: chains->lock around get/put (rtnl callers and the ct code's
 * workers may both get tables); mlx5_get_chain_for_tag only reads the
 * mapping, which has its own lock.
 */
#include <pthread.h>
#include <stdio.h>
#include <linux/slab.h>
#include "fs_chains.h"
#include "../en_tc.h"
#include "../en/mapping.h"

struct mlx5_fs_chains {
	struct mlx5_core_dev *dev;
	struct mlx5_flow_namespace *ns;
	struct mlx5_chains_attr attr;
	pthread_mutex_t lock;
	struct list_head chains;	/* struct fs_chain, by ->list */
};

struct fs_chain {
	struct list_head list;
	struct mlx5_fs_chains *chains;
	u32 chain;
	u32 id;				/* mapping id (0 for chain 0) */
	/* chain > 0: CHAIN_TO_REG = id, for the restore FTE */
	struct mlx5_modify_hdr *miss_modify_hdr;
	struct list_head prios;		/* struct prio, sorted by (prio, level) */
};

struct prio {
	struct list_head list;
	struct fs_chain *chain;
	u32 prio;
	u32 level;
	unsigned int ref;
	struct mlx5_flow_table *ft;
	struct mlx5_flow_table *next_ft;	/* where its miss goes now (NULL: software) */
	/* chain > 0: the reserved catch-all group, and its FTE while this is the last table */
	struct mlx5_flow_group *miss_group;
	struct mlx5_flow_handle *miss_rule;
};

static bool chains_level_valid(u32 level)
{
	return level < FDB_TC_LEVELS_PER_PRIO;
}

/*
 * Chain 0's levels decide which of its tables is the root and in what
 * order managed tables follow each other, so they grow with (prio,
 * level).  Unmanaged chains use the same order one level deeper: no
 * packet reaches them by level, only by a goto or a miss link.
 */
static u32 chains_table_level(u32 chain, u32 prio, u32 level)
{
	u32 l = (prio - 1) * FDB_TC_LEVELS_PER_PRIO + level;

	return chain ? l + 1 : l;
}

static struct fs_chain *chain_lookup(struct mlx5_fs_chains *chains, u32 chain)
{
	struct fs_chain *c;

	list_for_each_entry(c, &chains->chains, list)
		if (c->chain == chain)
			return c;
	return NULL;
}

static struct prio *prio_lookup(struct fs_chain *c, u32 prio, u32 level)
{
	struct prio *p;

	list_for_each_entry(p, &c->prios, list)
		if (p->prio == prio && p->level == level)
			return p;
	return NULL;
}

static bool prio_before(const struct prio *p, u32 prio, u32 level)
{
	return p->prio < prio || (p->prio == prio && p->level < level);
}

static struct prio *prio_next(struct fs_chain *c, struct prio *p)
{
	if (p->list.next == &c->prios)
		return NULL;
	return list_entry(p->list.next, struct prio, list);
}

static struct prio *prio_prev(struct fs_chain *c, struct prio *p)
{
	if (p->list.prev == &c->prios)
		return NULL;
	return list_entry(p->list.prev, struct prio, list);
}

/* ---- chains ---- */

static int chain_miss_modify_hdr_alloc(struct fs_chain *c)
{
	struct mlx5e_tc_mod_hdr_acts acts = {};
	struct mlx5_modify_hdr *mh;
	int err;

	err = mlx5e_tc_match_to_reg_set(&acts, CHAIN_TO_REG, c->id);
	if (err)
		return err;
	mh = mlx5_modify_header_alloc(c->chains->dev, c->chains->attr.ns, acts.num_actions,
				      acts.actions);
	mlx5e_mod_hdr_dealloc(&acts);
	if (IS_ERR(mh))
		return PTR_ERR(mh);
	c->miss_modify_hdr = mh;
	return 0;
}

static struct fs_chain *chain_create(struct mlx5_fs_chains *chains, u32 chain)
{
	struct fs_chain *c;
	int err;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return ERR_PTR(-ENOMEM);
	c->chains = chains;
	c->chain = chain;
	INIT_LIST_HEAD(&c->prios);
	if (chain) {
		err = mapping_add(chains->attr.mapping, &chain, &c->id);
		if (err)
			goto err_mapping;
		err = chain_miss_modify_hdr_alloc(c);
		if (err)
			goto err_modify_hdr;
	}
	list_add_tail(&c->list, &chains->chains);
	return c;

err_modify_hdr:
	mapping_remove(chains->attr.mapping, c->id);
err_mapping:
	kfree(c);
	return ERR_PTR(err);
}

static void chain_destroy(struct fs_chain *c)
{
	struct mlx5_fs_chains *chains = c->chains;

	list_del(&c->list);
	if (c->chain) {
		mlx5_modify_header_dealloc(chains->dev, c->miss_modify_hdr);
		mapping_remove(chains->attr.mapping, c->id);
	}
	kfree(c);
}

/* ---- the restore FTE of a chain > 0 ---- */

static int prio_miss_rule_add(struct prio *p)
{
	struct fs_chain *c = p->chain;
	struct mlx5_flow_destination dest = {
		.type = MLX5_FLOW_DESTINATION_TYPE_VPORT,
		.vport.num = MLX5_VPORT_MANAGER,
	};
	struct mlx5_flow_act flow_act = {
		.action = MLX5_FLOW_CONTEXT_ACTION_MOD_HDR | MLX5_FLOW_CONTEXT_ACTION_FWD_DEST,
		.modify_hdr = c->miss_modify_hdr,
	};
	struct mlx5_flow_handle *rule;
	struct mlx5_flow_spec *spec;

	spec = kzalloc(sizeof(*spec), GFP_KERNEL);
	if (!spec)
		return -ENOMEM;
	rule = mlx5_add_flow_rules(p->ft, spec, &flow_act, &dest, 1);
	kfree(spec);
	if (IS_ERR(rule))
		return PTR_ERR(rule);
	p->miss_rule = rule;
	return 0;
}

static void prio_miss_rule_del(struct prio *p)
{
	if (!p->miss_rule)
		return;
	mlx5_del_flow_rules(p->miss_rule);
	p->miss_rule = NULL;
}

/* ---- tables ---- */

static struct mlx5_flow_table *prio_table_create(struct mlx5_fs_chains *chains,
						 struct fs_chain *c, u32 prio, u32 level,
						 struct mlx5_flow_table *next_ft)
{
	struct mlx5_flow_table_attr ft_attr = {};
	char name[64];

	if (level)
		snprintf(name, sizeof(name), "chain %u prio %u level %u", c->chain, prio, level);
	else
		snprintf(name, sizeof(name), "chain %u prio %u", c->chain, prio);
	ft_attr.prio = FDB_TC_OFFLOAD;
	ft_attr.level = chains_table_level(c->chain, prio, level);
	ft_attr.max_fte = chains->attr.max_fte;
	ft_attr.next_ft = next_ft;
	ft_attr.name = name;
	ft_attr.autogroup.max_num_groups = chains->attr.max_grp_num;
	if (c->chain) {
		/* the restore FTE's index, after the filters' own */
		ft_attr.flags = MLX5_FLOW_TABLE_UNMANAGED;
		ft_attr.max_fte += 1;
		ft_attr.autogroup.num_reserved_entries = 1;
	}
	return mlx5_create_auto_grouped_flow_table(chains->ns, &ft_attr);
}

static int prio_miss_group_create(struct mlx5_fs_chains *chains, struct prio *p)
{
	struct mlx5_flow_group_attr *g_attr;
	struct mlx5_flow_group *fg;

	g_attr = kzalloc(sizeof(*g_attr), GFP_KERNEL);
	if (!g_attr)
		return -ENOMEM;
	/* the last index of a table of max_fte + 1; empty mask: matches all */
	g_attr->start_flow_index = chains->attr.max_fte;
	g_attr->end_flow_index = chains->attr.max_fte;
	fg = mlx5_create_flow_group(p->ft, g_attr);
	kfree(g_attr);
	if (IS_ERR(fg))
		return PTR_ERR(fg);
	p->miss_group = fg;
	return 0;
}

/*
 * Link a new table p into its chain: p misses to the next table, the
 * previous table now misses to p; if p is the chain's last table, the
 * restore FTE moves to it.  Done before anyone can forward to p.
 */
static int prio_link(struct fs_chain *c, struct prio *p)
{
	struct prio *prev = prio_prev(c, p), *next = prio_next(c, p);
	int err;

	if (c->chain && !next) {
		err = prio_miss_rule_add(p);
		if (err)
			return err;
	}
	if (prev) {
		err = mlx5_flow_table_set_miss(prev->ft, p->ft);
		if (err) {
			prio_miss_rule_del(p);
			return err;
		}
		prev->next_ft = p->ft;
		/* prev was the last table: p took over the restore */
		prio_miss_rule_del(prev);
	}
	return 0;
}

/*
 * Take p out of the chain: the previous table misses to p's next; if p
 * was the last one, the previous table gets the restore FTE (added
 * before p's goes, so no packet misses to the wrong chain).
 */
static void prio_unlink(struct fs_chain *c, struct prio *p)
{
	struct prio *prev = prio_prev(c, p), *next = prio_next(c, p);
	struct mlx5_flow_table *next_ft = next ? next->ft : NULL;

	if (!prev)
		return;
	/*
	 * A put cannot fail; if the device has no FTE left for the restore,
	 * misses after prev restart software at chain 0: say so.
	 */
	if (c->chain && !next && prio_miss_rule_add(prev))
		fprintf(stderr, "mlx5: chain %u: cannot move the miss restore rule\n", c->chain);
	if (!mlx5_flow_table_set_miss(prev->ft, next_ft))
		prev->next_ft = next_ft;
}

static void prio_destroy(struct fs_chain *c, struct prio *p)
{
	prio_unlink(c, p);
	list_del(&p->list);
	prio_miss_rule_del(p);
	if (p->miss_group)
		mlx5_destroy_flow_group(p->miss_group);
	mlx5_destroy_flow_table(p->ft);
	kfree(p);
}

static struct prio *prio_create(struct mlx5_fs_chains *chains, struct fs_chain *c,
				u32 prio, u32 level)
{
	struct prio *p, *pos, *next = NULL;
	struct list_head *where = &c->prios;
	int err;

	/* insert before the first table that comes after (prio, level) */
	list_for_each_entry(pos, &c->prios, list) {
		if (!prio_before(pos, prio, level)) {
			next = pos;
			where = &pos->list;
			break;
		}
	}
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return ERR_PTR(-ENOMEM);
	p->chain = c;
	p->prio = prio;
	p->level = level;
	p->next_ft = next ? next->ft : NULL;
	p->ft = prio_table_create(chains, c, prio, level, p->next_ft);
	if (IS_ERR(p->ft)) {
		err = PTR_ERR(p->ft);
		goto err_table;
	}
	if (c->chain) {
		err = prio_miss_group_create(chains, p);
		if (err)
			goto err_group;
	}
	list_add_tail(&p->list, where);
	err = prio_link(c, p);
	if (err)
		goto err_link;
	return p;

err_link:
	list_del(&p->list);
	if (p->miss_group)
		mlx5_destroy_flow_group(p->miss_group);
err_group:
	mlx5_destroy_flow_table(p->ft);
err_table:
	kfree(p);
	return ERR_PTR(err);
}

/* ---- the API ---- */

struct mlx5_fs_chains *mlx5_chains_create(struct mlx5_core_dev *dev,
					  struct mlx5_chains_attr *attr)
{
	struct mlx5_fs_chains *chains;

	if (!attr->mapping || attr->max_fte <= 0)
		return ERR_PTR(-EINVAL);
	chains = kzalloc(sizeof(*chains), GFP_KERNEL);
	if (!chains)
		return ERR_PTR(-ENOMEM);
	chains->ns = mlx5_get_flow_namespace(dev, attr->ns);
	if (!chains->ns) {
		kfree(chains);
		return ERR_PTR(-EOPNOTSUPP);
	}
	chains->dev = dev;
	chains->attr = *attr;
	pthread_mutex_init(&chains->lock, NULL);
	INIT_LIST_HEAD(&chains->chains);
	return chains;
}

/* every table should have been put by now; what is left goes anyway */
void mlx5_chains_destroy(struct mlx5_fs_chains *chains)
{
	struct fs_chain *c, *tc;
	struct prio *p;

	if (IS_ERR_OR_NULL(chains))
		return;
	list_for_each_entry_safe(c, tc, &chains->chains, list) {
		/* first to last: no table misses to the one going */
		while (!list_empty(&c->prios)) {
			p = list_first_entry(&c->prios, struct prio, list);
			prio_destroy(c, p);
		}
		chain_destroy(c);
	}
	pthread_mutex_destroy(&chains->lock);
	kfree(chains);
}

struct mlx5_flow_table *mlx5_chains_get_table(struct mlx5_fs_chains *chains, u32 chain,
					      u32 prio, u32 level)
{
	struct mlx5_flow_table *ft;
	struct fs_chain *c;
	struct prio *p;
	bool new_chain = false;

	if (chain > mlx5_chains_get_chain_range(chains) || !prio ||
	    prio > mlx5_chains_get_prio_range(chains) || !chains_level_valid(level))
		return ERR_PTR(-EOPNOTSUPP);
	pthread_mutex_lock(&chains->lock);
	c = chain_lookup(chains, chain);
	if (!c) {
		c = chain_create(chains, chain);
		if (IS_ERR(c)) {
			ft = (struct mlx5_flow_table *)c;
			goto unlock;
		}
		new_chain = true;
	}
	p = prio_lookup(c, prio, level);
	if (!p) {
		p = prio_create(chains, c, prio, level);
		if (IS_ERR(p)) {
			if (new_chain)
				chain_destroy(c);
			ft = (struct mlx5_flow_table *)p;
			goto unlock;
		}
	}
	p->ref++;
	ft = p->ft;
unlock:
	pthread_mutex_unlock(&chains->lock);
	return ft;
}

void mlx5_chains_put_table(struct mlx5_fs_chains *chains, u32 chain, u32 prio, u32 level)
{
	struct fs_chain *c;
	struct prio *p;

	pthread_mutex_lock(&chains->lock);
	c = chain_lookup(chains, chain);
	p = c ? prio_lookup(c, prio, level) : NULL;
	if (!p)
		goto unlock;
	if (--p->ref)
		goto unlock;
	prio_destroy(c, p);
	if (list_empty(&c->prios))
		chain_destroy(c);
unlock:
	pthread_mutex_unlock(&chains->lock);
}

int mlx5_chains_get_chain_mapping(struct mlx5_fs_chains *chains, u32 chain,
				  u32 *chain_mapping)
{
	if (!chain) {
		*chain_mapping = 0;
		return 0;
	}
	return mapping_add(chains->attr.mapping, &chain, chain_mapping);
}

int mlx5_chains_put_chain_mapping(struct mlx5_fs_chains *chains, u32 chain_mapping)
{
	if (!chain_mapping)
		return 0;
	return mapping_remove(chains->attr.mapping, chain_mapping);
}

int mlx5_get_chain_for_tag(struct mlx5_fs_chains *chains, u32 tag, u32 *chain)
{
	if (!tag) {
		*chain = 0;
		return 0;
	}
	return mapping_find(chains->attr.mapping, tag, chain);
}

u32 mlx5_chains_get_chain_range(struct mlx5_fs_chains *chains)
{
	return FDB_TC_MAX_CHAIN;
}

u32 mlx5_chains_get_prio_range(struct mlx5_fs_chains *chains)
{
	return FDB_TC_MAX_PRIO;
}
