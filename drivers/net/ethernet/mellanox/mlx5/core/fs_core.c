// SPDX-License-Identifier: GPL-2.0
/*
 * Flow steering objects: the FDB namespace, flow tables, flow groups and
 * FTEs, the device's finite resources and fault injection, and the
 * sysctls mlx5.<dev>.* that show and change them (see fs_core.h).
 *
 * Tables sit in (prio, level) order; each one's effective miss (next_ft,
 * else for a managed table the next managed one, else software) and the
 * root (the first managed table) are recomputed on every change and
 * published with rcu_assign_pointer() for the packet path.  A group is a
 * mask and a hash table of FTEs keyed by the masked match words (struct
 * fs_htab: one writer, RCU readers); an FTE stores only those words.
 *
 * Locking: every change holds steering->lock.  Nothing here waits for a
 * grace period (the offload worker calls in under rcu_read_lock()):
 * removed objects go through call_rcu().
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/random.h>
#include <arpa/inet.h>
#include <linux/slab.h>
#include "fs_priv.h"

const struct mlx5_fs_caps mlx5_fs_caps_default = {
	.max_flow_tables	= 4096,
	.max_fte		= 1 << 23,
	.max_modify_hdr		= 1 << 22,
	.max_modify_actions	= 32,
	.max_pkt_reformat	= 1 << 16,
	.max_counters		= 1 << 22,
	.fault_every_nth	= 0,
	.insert_delay_us	= 0,
};

void mlx5_fs_lock(struct mlx5_flow_steering *steering)
{
	pthread_mutex_lock(&steering->lock);
}

void mlx5_fs_unlock(struct mlx5_flow_steering *steering)
{
	pthread_mutex_unlock(&steering->lock);
}

void fs_obj_init(struct fs_obj *obj, struct mlx5_flow_steering *steering, unsigned int bytes,
		 size_t offset)
{
	obj->steering = steering;
	obj->refcnt = 1;
	obj->id = mlx5_fs_next_id(steering);
	obj->bytes = bytes;
	obj->offset = offset;
	steering->bytes += bytes;
}

static void fs_obj_free_rcu(struct rcu_head *head)
{
	struct fs_obj *obj = caa_container_of(head, struct fs_obj, rcu);

	kfree((char *)obj - obj->offset);
}

void fs_obj_put(struct fs_obj *obj)
{
	if (--obj->refcnt)
		return;
	obj->steering->bytes -= obj->bytes;
	call_rcu(&obj->rcu, fs_obj_free_rcu);
}

void fs_obj_release(struct fs_obj *obj, const char *kind, unsigned int *count)
{
	if (obj->refcnt > 1)
		fprintf(stderr, "mlx5: %s: %s %u freed while %u FTEs use it\n",
			obj->steering->dev->name, kind, obj->id, obj->refcnt - 1);
	(*count)--;
	fs_obj_put(obj);
}

u32 mlx5_fs_next_id(struct mlx5_flow_steering *steering)
{
	return ++steering->next_id;
}

/* ---- the namespace and its tables ---- */

struct mlx5_flow_namespace *mlx5_get_flow_namespace(struct mlx5_core_dev *dev,
						    enum mlx5_flow_namespace_type type)
{
	struct mlx5_flow_steering *steering = mlx5_fs_steering(dev);

	if (!steering || type != MLX5_FLOW_NAMESPACE_FDB)
		return NULL;
	return &steering->fdb;
}

static bool fs_table_before(const struct mlx5_flow_table *a, const struct mlx5_flow_table *b)
{
	return a->prio < b->prio || (a->prio == b->prio && a->level < b->level);
}

/*
 * Where each table's miss goes, and the root.  Walking backwards, the
 * next managed table is always known; it ends as the first one.
 */
static void fs_update_misses(struct mlx5_flow_namespace *ns)
{
	struct mlx5_flow_table *ft, *next_managed = NULL;

	list_for_each_entry_reverse(ft, &ns->tables, list) {
		struct mlx5_flow_table *miss = ft->next_ft;

		if (!miss && mlx5_fs_table_managed(ft))
			miss = next_managed;
		rcu_assign_pointer(ft->miss, miss);
		if (mlx5_fs_table_managed(ft))
			next_managed = ft;
	}
	rcu_assign_pointer(ns->steering->root, next_managed);
}

static int fs_check_table_attr(struct mlx5_flow_namespace *ns,
			       const struct mlx5_flow_table_attr *attr, bool autogroup)
{
	const u32 known = MLX5_FLOW_TABLE_TUNNEL_EN_REFORMAT | MLX5_FLOW_TABLE_TUNNEL_EN_DECAP |
			  MLX5_FLOW_TABLE_UNMANAGED;

	if (!attr || attr->max_fte <= 0 || (attr->flags & ~known))
		return -EINVAL;
	if (attr->next_ft && attr->next_ft->ns != ns)
		return -EINVAL;
	if (!autogroup)
		return 0;
	if (attr->autogroup.max_num_groups <= 0 || attr->autogroup.num_reserved_entries < 0 ||
	    attr->autogroup.num_reserved_entries >= attr->max_fte)
		return -EINVAL;
	return 0;
}

static struct mlx5_flow_table *fs_create_table(struct mlx5_flow_namespace *ns,
					       struct mlx5_flow_table_attr *attr, bool autogroup)
{
	struct mlx5_flow_steering *steering;
	struct mlx5_flow_table *ft, *pos;
	int err;

	if (!ns)
		return ERR_PTR(-EINVAL);
	steering = ns->steering;
	mlx5_fs_lock(steering);
	err = fs_check_table_attr(ns, attr, autogroup);
	if (err)
		goto err_unlock;
	err = -ENOSPC;
	if (steering->ntables >= READ_ONCE(steering->caps.max_flow_tables))
		goto err_unlock;
	err = -ENOMEM;
	ft = kzalloc(sizeof(*ft), GFP_KERNEL);
	if (!ft)
		goto err_unlock;
	INIT_LIST_HEAD(&ft->groups);
	ft->ns = ns;
	ft->next_ft = attr->next_ft;
	ft->prio = attr->prio;
	ft->level = attr->level;
	ft->flags = attr->flags;
	ft->max_fte = attr->max_fte;
	ft->id = mlx5_fs_next_id(steering);
	if (autogroup) {
		ft->max_num_groups = attr->autogroup.max_num_groups;
		ft->num_reserved = attr->autogroup.num_reserved_entries;
	}
	if (attr->name && attr->name[0])
		snprintf(ft->name, sizeof(ft->name), "%s", attr->name);
	else
		snprintf(ft->name, sizeof(ft->name), "table %u", ft->id);

	/* after every table of the same (prio, level): creation order breaks ties */
	list_for_each_entry(pos, &ns->tables, list)
		if (fs_table_before(ft, pos))
			break;
	list_add_tail(&ft->list, &pos->list);
	fs_update_misses(ns);
	steering->ntables++;
	steering->bytes += sizeof(*ft);
	mlx5_fs_unlock(steering);
	return ft;

err_unlock:
	mlx5_fs_unlock(steering);
	return ERR_PTR(err);
}

struct mlx5_flow_table *mlx5_create_flow_table(struct mlx5_flow_namespace *ns,
					       struct mlx5_flow_table_attr *ft_attr)
{
	return fs_create_table(ns, ft_attr, false);
}

struct mlx5_flow_table *mlx5_create_auto_grouped_flow_table(struct mlx5_flow_namespace *ns,
							    struct mlx5_flow_table_attr *ft_attr)
{
	return fs_create_table(ns, ft_attr, true);
}

/* ---- a group's hash table (struct fs_htab) ---- */

#define FS_HTAB_MIN_BUCKETS	16

static struct fs_htab *fs_htab_alloc(unsigned long buckets, unsigned int gen)
{
	struct fs_htab *ht;

	ht = kzalloc(sizeof(*ht) + buckets * sizeof(ht->b[0]), GFP_KERNEL);
	if (!ht)
		return NULL;
	ht->mask = buckets - 1;
	ht->gen = gen;
	return ht;
}

static void fs_htab_free_rcu(struct rcu_head *head)
{
	kfree(caa_container_of(head, struct fs_htab, rcu));
}

/*
 * Rebuild fg's table with this many buckets through the other FTE link,
 * publish it and free the old one after a grace period (see struct
 * fs_htab).  Without memory the old table stays: only its chains grow.
 */
static void fs_group_resize(struct mlx5_flow_group *fg, unsigned long buckets, u64 seed)
{
	struct fs_htab *old = fg->ht, *ht;
	unsigned int gen = !old->gen;
	struct fs_fte *fte;
	unsigned long i, b;

	ht = fs_htab_alloc(buckets, gen);
	if (!ht)
		return;
	/*
	 * readers of the table before old check this after a miss.  It and
	 * the links below are read by the datapath meanwhile: atomic stores
	 * (WRITE_ONCE, which TSan sees as such; CMM_STORE_SHARED is a plain
	 * volatile one to it).
	 */
	WRITE_ONCE(fg->resize_seq, fg->resize_seq + 1);
	cmm_smp_wmb();
	for (i = 0; i <= old->mask; i++)
		for (fte = old->b[i]; fte; fte = fte->next[old->gen]) {
			b = fs_key_hash(fte->key, fg->nwords, seed) & ht->mask;
			WRITE_ONCE(fte->next[gen], ht->b[b]);
			ht->b[b] = fte;
		}
	rcu_assign_pointer(fg->ht, ht);
	call_rcu(&old->rcu, fs_htab_free_rcu);
}

/* fg's FTE with fte's key, or fte (linked in) */
static struct fs_fte *fs_group_insert(struct mlx5_flow_group *fg, struct fs_fte *fte, u64 seed)
{
	unsigned long hash = fs_key_hash(fte->key, fg->nwords, seed);
	struct fs_htab *ht = fg->ht;
	struct fs_fte *dup, **head;

	dup = fs_group_lookup(fg, fte->key, hash);
	if (dup)
		return dup;
	head = &ht->b[hash & ht->mask];
	fte->next[ht->gen] = *head;
	rcu_assign_pointer(*head, fte);
	/* load factor at most 1: chains of one or two */
	if (fg->nftes + 1 > ht->mask + 1)
		fs_group_resize(fg, (ht->mask + 1) * 2, seed);
	return fte;
}

static void fs_group_unlink(struct mlx5_flow_group *fg, struct fs_fte *fte, u64 seed)
{
	struct fs_htab *ht = fg->ht;
	unsigned int gen = ht->gen;
	struct fs_fte **pos;

	pos = &ht->b[fs_key_hash(fte->key, fg->nwords, seed) & ht->mask];
	while (*pos != fte)
		pos = &(*pos)->next[gen];
	/* readers on fte still see its link; it is freed after a grace period */
	rcu_assign_pointer(*pos, fte->next[gen]);
	/* fg->nftes is not yet decremented */
	if (ht->mask + 1 > FS_HTAB_MIN_BUCKETS && (fg->nftes - 1) * 8 < ht->mask + 1)
		fs_group_resize(fg, (ht->mask + 1) / 2, seed);
}

static void fs_group_free_rcu(struct rcu_head *head)
{
	struct mlx5_flow_group *fg = caa_container_of(head, struct mlx5_flow_group, rcu);

	/* empty, and no reader left */
	kfree(fg->ht);
	kfree(fg);
}

static void fs_table_free_rcu(struct rcu_head *head)
{
	kfree(caa_container_of(head, struct mlx5_flow_table, rcu));
}

/* fg is empty */
static void fs_group_remove(struct mlx5_flow_group *fg)
{
	struct mlx5_flow_steering *steering = fg->ft->ns->steering;

	list_del_rcu(&fg->list);
	if (fg->autogroup)
		fg->ft->num_auto_groups--;
	steering->ngroups--;
	steering->bytes -= sizeof(*fg);
	call_rcu(&fg->rcu, fs_group_free_rcu);
}

static void fs_table_remove(struct mlx5_flow_table *ft)
{
	struct mlx5_flow_steering *steering = ft->ns->steering;
	struct mlx5_flow_group *fg, *tmp;
	struct mlx5_flow_table *other;

	/* a table missing here now misses where this one did */
	list_for_each_entry(other, &ft->ns->tables, list)
		if (other->next_ft == ft)
			other->next_ft = ft->next_ft;
	list_del(&ft->list);
	fs_update_misses(ft->ns);
	list_for_each_entry_safe(fg, tmp, &ft->groups, list)
		fs_group_remove(fg);
	steering->ntables--;
	steering->bytes -= sizeof(*ft);
	call_rcu(&ft->rcu, fs_table_free_rcu);
}

int mlx5_destroy_flow_table(struct mlx5_flow_table *ft)
{
	struct mlx5_flow_steering *steering;

	if (IS_ERR_OR_NULL(ft))
		return -EINVAL;
	steering = ft->ns->steering;
	mlx5_fs_lock(steering);
	if (ft->nftes || ft->fwd_refs) {
		mlx5_fs_unlock(steering);
		return -EBUSY;
	}
	fs_table_remove(ft);
	mlx5_fs_unlock(steering);
	return 0;
}

int mlx5_flow_table_set_miss(struct mlx5_flow_table *ft, struct mlx5_flow_table *next_ft)
{
	struct mlx5_flow_steering *steering;

	if (IS_ERR_OR_NULL(ft) || IS_ERR(next_ft) || next_ft == ft ||
	    (next_ft && next_ft->ns != ft->ns))
		return -EINVAL;
	steering = ft->ns->steering;
	mlx5_fs_lock(steering);
	ft->next_ft = next_ft;
	fs_update_misses(ft->ns);
	mlx5_fs_unlock(steering);
	return 0;
}

const char *mlx5_flow_table_name(const struct mlx5_flow_table *ft)
{
	return ft->name;
}

/* ---- groups ---- */

static const struct {
	u8 bit;
	size_t offset, size;
} fs_match_sections[] = {
	{ MLX5_MATCH_OUTER_HEADERS, offsetof(struct mlx5_fte_match_param, outer_headers),
	  sizeof(struct mlx5_fte_match_set_lyr_2_4) },
	{ MLX5_MATCH_MISC_PARAMETERS, offsetof(struct mlx5_fte_match_param, misc_parameters),
	  sizeof(struct mlx5_fte_match_set_misc) },
	{ MLX5_MATCH_INNER_HEADERS, offsetof(struct mlx5_fte_match_param, inner_headers),
	  sizeof(struct mlx5_fte_match_set_lyr_2_4) },
	{ MLX5_MATCH_MISC_PARAMETERS_2, offsetof(struct mlx5_fte_match_param, misc_parameters_2),
	  sizeof(struct mlx5_fte_match_set_misc2) },
	{ MLX5_MATCH_MISC_PARAMETERS_3, offsetof(struct mlx5_fte_match_param, misc_parameters_3),
	  sizeof(struct mlx5_fte_match_set_misc3) },
};

/*
 * Only the enabled parts of a mask count, as the device ignores the
 * others; two groups are the same when their normalised masks are.
 */
static void fs_normalize(u8 enable, const struct mlx5_fte_match_param *in, union mlx5_fs_match *out)
{
	unsigned int i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < ARRAY_SIZE(fs_match_sections); i++)
		if (enable & fs_match_sections[i].bit)
			memcpy((u8 *)&out->param + fs_match_sections[i].offset,
			       (const u8 *)in + fs_match_sections[i].offset,
			       fs_match_sections[i].size);
}

static u32 fs_auto_region_end(const struct mlx5_flow_table *ft)
{
	return ft->max_fte - ft->num_reserved;
}

/*
 * Lookup order: auto groups in creation order, then explicit groups by
 * start index (on an auto-grouped table those sit in the reserved entries
 * at the end, after the auto region).
 */
static void fs_group_link(struct mlx5_flow_table *ft, struct mlx5_flow_group *fg)
{
	struct mlx5_flow_group *pos;

	list_for_each_entry(pos, &ft->groups, list)
		if (!pos->autogroup && (fg->autogroup || pos->start > fg->start))
			break;
	/* before pos (or at the tail): add after pos's predecessor */
	list_add_rcu(&fg->list, pos->list.prev);
}

static struct mlx5_flow_group *fs_group_create(struct mlx5_flow_table *ft, u8 enable,
					       const union mlx5_fs_match *criteria,
					       u32 start, u32 end, bool autogroup)
{
	struct mlx5_flow_steering *steering = ft->ns->steering;
	struct mlx5_flow_group *fg;
	unsigned int i;

	fg = kzalloc(sizeof(*fg), GFP_KERNEL);
	if (!fg)
		return ERR_PTR(-ENOMEM);
	fg->ht = fs_htab_alloc(FS_HTAB_MIN_BUCKETS, 0);
	if (!fg->ht) {
		kfree(fg);
		return ERR_PTR(-ENOMEM);
	}
	fg->criteria = *criteria;
	for (i = 0; i < MLX5_FS_MATCH_WORDS; i++) {
		if (!criteria->w[i])
			continue;
		fg->words[fg->nwords] = i;
		fg->mask[fg->nwords++] = criteria->w[i];
	}
	fg->ft = ft;
	fg->start = start;
	fg->end = end;
	fg->autogroup = autogroup;
	fg->match_criteria_enable = enable;
	fg->id = mlx5_fs_next_id(steering);
	fs_group_link(ft, fg);
	if (autogroup)
		ft->num_auto_groups++;
	steering->ngroups++;
	steering->bytes += sizeof(*fg);
	return fg;
}

static int fs_check_group_range(struct mlx5_flow_table *ft, u32 start, u32 end)
{
	struct mlx5_flow_group *fg;

	if (start > end || end >= ft->max_fte)
		return -EINVAL;
	if (ft->max_num_groups && start < fs_auto_region_end(ft))
		return -EINVAL;
	list_for_each_entry(fg, &ft->groups, list)
		if (!fg->autogroup && start <= fg->end && fg->start <= end)
			return -EINVAL;
	return 0;
}

struct mlx5_flow_group *mlx5_create_flow_group(struct mlx5_flow_table *ft,
					       const struct mlx5_flow_group_attr *attr)
{
	struct mlx5_flow_steering *steering;
	struct mlx5_flow_group *fg;
	union mlx5_fs_match criteria;
	int err;

	if (IS_ERR_OR_NULL(ft) || !attr)
		return ERR_PTR(-EINVAL);
	steering = ft->ns->steering;
	fs_normalize(attr->match_criteria_enable, &attr->match_criteria, &criteria);
	mlx5_fs_lock(steering);
	err = fs_check_group_range(ft, attr->start_flow_index, attr->end_flow_index);
	fg = err ? ERR_PTR(err) :
	     fs_group_create(ft, attr->match_criteria_enable, &criteria,
			     attr->start_flow_index, attr->end_flow_index, false);
	mlx5_fs_unlock(steering);
	return fg;
}

void mlx5_destroy_flow_group(struct mlx5_flow_group *fg)
{
	struct mlx5_flow_steering *steering;

	if (IS_ERR_OR_NULL(fg))
		return;
	steering = fg->ft->ns->steering;
	mlx5_fs_lock(steering);
	/* the device refuses too: the FTEs' handles stay valid */
	if (fg->nftes)
		fprintf(stderr, "mlx5: %s: group %u of table \"%s\" still has %u FTEs\n",
			steering->dev->name, fg->id, fg->ft->name, fg->nftes);
	else
		fs_group_remove(fg);
	mlx5_fs_unlock(steering);
}

/* ---- FTEs ---- */

/* an FTE's destinations, checked */
struct fs_dests {
	struct mlx5_fc *counter;
	struct mlx5_flow_table *ft;
	int nvports;
	bool per_dest_reformat;
	struct {
		u16 num;
		struct mlx5_pkt_reformat *pkt_reformat;
	} vports[MLX5_FS_MAX_DESTS];
};

static int fs_parse_vport_dest(struct mlx5_flow_steering *steering,
			       const struct mlx5_flow_destination *dest, struct fs_dests *d)
{
	struct mlx5_core_dev *dev = steering->dev;
	struct mlx5_pkt_reformat *pr = NULL;
	int i;

	if (dest->vport.flags & MLX5_FLOW_DEST_VPORT_REFORMAT_ID) {
		pr = dest->vport.pkt_reformat;
		if (IS_ERR_OR_NULL(pr) || pr->obj.steering != steering)
			return -EINVAL;
		d->per_dest_reformat = true;
	}
	if (dest->vport.num != MLX5_VPORT_MANAGER && dev->wire && dev->wire->vport_exists &&
	    !dev->wire->vport_exists(dev, dest->vport.num))
		return -EINVAL;
	/* a packet reaches software at most once */
	for (i = 0; i < d->nvports; i++)
		if (dest->vport.num == MLX5_VPORT_MANAGER &&
		    d->vports[i].num == MLX5_VPORT_MANAGER)
			return -EINVAL;
	d->vports[d->nvports].num = dest->vport.num;
	d->vports[d->nvports++].pkt_reformat = pr;
	return 0;
}

static int fs_parse_dests(struct mlx5_flow_table *ft, const struct mlx5_flow_act *act,
			  const struct mlx5_flow_destination *dest, int num_dest,
			  struct fs_dests *d)
{
	struct mlx5_flow_steering *steering = ft->ns->steering;
	int i, err;

	memset(d, 0, sizeof(*d));
	if (num_dest < 0 || num_dest > MLX5_FS_MAX_DESTS || (num_dest && !dest))
		return -EINVAL;
	for (i = 0; i < num_dest; i++) {
		switch (dest[i].type) {
		case MLX5_FLOW_DESTINATION_TYPE_COUNTER:
			if (d->counter || IS_ERR_OR_NULL(dest[i].counter) ||
			    dest[i].counter->obj.steering != steering)
				return -EINVAL;
			d->counter = dest[i].counter;
			break;
		case MLX5_FLOW_DESTINATION_TYPE_FLOW_TABLE:
			if (d->ft || IS_ERR_OR_NULL(dest[i].ft) || dest[i].ft->ns != ft->ns)
				return -EINVAL;
			d->ft = dest[i].ft;
			break;
		case MLX5_FLOW_DESTINATION_TYPE_VPORT:
			err = fs_parse_vport_dest(steering, &dest[i], d);
			if (err)
				return err;
			break;
		default:
			return -EINVAL;
		}
	}
	if (d->ft && d->nvports)
		return -EINVAL;
	/* the device looks up only tables after this one, unless told not to */
	if (d->ft && !(act->flags & FLOW_ACT_IGNORE_FLOW_LEVEL) && !fs_table_before(ft, d->ft))
		return -EINVAL;
	return 0;
}

static int fs_check_actions(struct mlx5_flow_table *ft, const struct mlx5_flow_act *act,
			    const struct fs_dests *d)
{
	struct mlx5_flow_steering *steering = ft->ns->steering;
	const u32 known = MLX5_FLOW_CONTEXT_ACTION_ALLOW | MLX5_FLOW_CONTEXT_ACTION_DROP |
			  MLX5_FLOW_CONTEXT_ACTION_FWD_DEST | MLX5_FLOW_CONTEXT_ACTION_COUNT |
			  MLX5_FLOW_CONTEXT_ACTION_PACKET_REFORMAT |
			  MLX5_FLOW_CONTEXT_ACTION_DECAP | MLX5_FLOW_CONTEXT_ACTION_MOD_HDR |
			  MLX5_FLOW_CONTEXT_ACTION_VLAN_POP | MLX5_FLOW_CONTEXT_ACTION_VLAN_PUSH;
	u32 a = act->action;
	bool fwd = d->ft || d->nvports;

	if (a & ~known)
		return -EINVAL;
	/* an FDB FTE ends in exactly one of drop and forward */
	if (!(a & MLX5_FLOW_CONTEXT_ACTION_DROP) == !(a & MLX5_FLOW_CONTEXT_ACTION_FWD_DEST))
		return -EINVAL;
	if (!!(a & MLX5_FLOW_CONTEXT_ACTION_FWD_DEST) != fwd)
		return -EINVAL;
	if (!!(a & MLX5_FLOW_CONTEXT_ACTION_COUNT) != !!d->counter)
		return -EINVAL;
	if ((a & MLX5_FLOW_CONTEXT_ACTION_MOD_HDR) &&
	    (IS_ERR_OR_NULL(act->modify_hdr) || act->modify_hdr->obj.steering != steering))
		return -EINVAL;
	if ((a & MLX5_FLOW_CONTEXT_ACTION_PACKET_REFORMAT) &&
	    (IS_ERR_OR_NULL(act->pkt_reformat) || act->pkt_reformat->obj.steering != steering))
		return -EINVAL;
	if ((a & MLX5_FLOW_CONTEXT_ACTION_VLAN_PUSH) &&
	    (act->vlan[0].ethtype != htons(ETH_P_8021Q) || act->vlan[0].vid >= 4096 ||
	     act->vlan[0].prio >= 8))
		return -EINVAL;
	return 0;
}

/*
 * The group an FTE with these criteria goes to: the first with the same
 * mask and room, else a new auto group.
 */
static struct mlx5_flow_group *fs_find_group(struct mlx5_flow_table *ft, u8 enable,
					     const union mlx5_fs_match *criteria)
{
	bool full = false;
	struct mlx5_flow_group *fg;

	list_for_each_entry(fg, &ft->groups, list) {
		if (memcmp(&fg->criteria, criteria, sizeof(*criteria)))
			continue;
		if (fg->autogroup ? ft->auto_ftes < fs_auto_region_end(ft) :
				    fg->nftes <= fg->end - fg->start)
			return fg;
		full = true;
	}
	if (!ft->max_num_groups)
		return ERR_PTR(full ? -ENOSPC : -ENOENT);
	if (ft->auto_ftes >= fs_auto_region_end(ft) || ft->num_auto_groups >= ft->max_num_groups)
		return ERR_PTR(-ENOSPC);
	return fs_group_create(ft, enable, criteria, 0, fs_auto_region_end(ft) - 1, true);
}

static bool fs_fte_needs_ext(const struct mlx5_flow_act *act, const struct fs_dests *d)
{
	return (act->action & (MLX5_FLOW_CONTEXT_ACTION_PACKET_REFORMAT |
			       MLX5_FLOW_CONTEXT_ACTION_VLAN_PUSH)) ||
	       d->nvports > 1 || d->per_dest_reformat;
}

static struct fs_fte *fs_fte_alloc(struct mlx5_flow_group *fg, const union mlx5_fs_match *value,
				   const struct mlx5_flow_act *act, const struct fs_dests *d)
{
	struct fs_fte *fte;
	unsigned int i;

	fte = kzalloc(sizeof(*fte) + fg->nwords * sizeof(u64), GFP_KERNEL);
	if (!fte)
		return NULL;
	for (i = 0; i < fg->nwords; i++)
		fte->key[i] = value->w[fg->words[i]];
	if (fs_fte_needs_ext(act, d)) {
		fte->ext = kzalloc(sizeof(*fte->ext), GFP_KERNEL);
		if (!fte->ext) {
			kfree(fte);
			return NULL;
		}
	}
	fte->fg = fg;
	fte->action = act->action;
	if (act->action & MLX5_FLOW_CONTEXT_ACTION_MOD_HDR)
		fte->modify_hdr = act->modify_hdr;
	fte->counter = d->counter;
	if (act->action & MLX5_FLOW_CONTEXT_ACTION_DROP) {
		fte->dest = FS_DEST_NONE;
	} else if (d->ft) {
		fte->dest = FS_DEST_TABLE;
		fte->dest_ft = d->ft;
	} else if (!fte->ext) {
		fte->dest = FS_DEST_VPORT;
		fte->dest_vport = d->vports[0].num;
	} else {
		fte->dest = FS_DEST_VPORTS;
	}
	if (fte->ext) {
		if (act->action & MLX5_FLOW_CONTEXT_ACTION_PACKET_REFORMAT)
			fte->ext->pkt_reformat = act->pkt_reformat;
		fte->ext->vlan = act->vlan[0];
		fte->ext->num_vports = d->nvports;
		for (i = 0; i < (unsigned int)d->nvports; i++) {
			fte->ext->vports[i].num = d->vports[i].num;
			fte->ext->vports[i].pkt_reformat = d->vports[i].pkt_reformat;
		}
	}
	return fte;
}

static size_t fs_fte_size(const struct fs_fte *fte)
{
	return sizeof(*fte) + fte->fg->nwords * sizeof(u64) + (fte->ext ? sizeof(*fte->ext) : 0);
}

/* the references an FTE holds on what it uses, taken and dropped under the lock */
static void fs_fte_get_refs(struct fs_fte *fte)
{
	int i;

	if (fte->modify_hdr)
		fs_obj_get(&fte->modify_hdr->obj);
	if (fte->counter)
		fs_obj_get(&fte->counter->obj);
	if (fte->dest_ft)
		fte->dest_ft->fwd_refs++;
	if (!fte->ext)
		return;
	if (fte->ext->pkt_reformat)
		fs_obj_get(&fte->ext->pkt_reformat->obj);
	for (i = 0; i < fte->ext->num_vports; i++)
		if (fte->ext->vports[i].pkt_reformat)
			fs_obj_get(&fte->ext->vports[i].pkt_reformat->obj);
}

static void fs_fte_put_refs(struct fs_fte *fte)
{
	int i;

	if (fte->modify_hdr)
		fs_obj_put(&fte->modify_hdr->obj);
	if (fte->counter)
		fs_obj_put(&fte->counter->obj);
	if (fte->dest_ft)
		fte->dest_ft->fwd_refs--;
	if (!fte->ext)
		return;
	if (fte->ext->pkt_reformat)
		fs_obj_put(&fte->ext->pkt_reformat->obj);
	for (i = 0; i < fte->ext->num_vports; i++)
		if (fte->ext->vports[i].pkt_reformat)
			fs_obj_put(&fte->ext->vports[i].pkt_reformat->obj);
}

static void fs_fte_free(struct fs_fte *fte)
{
	kfree(fte->ext);
	kfree(fte);
}

static void fs_fte_free_rcu(struct rcu_head *head)
{
	fs_fte_free(caa_container_of(head, struct fs_fte, rcu));
}

/* the injected firmware behaviour: a slow command interface, a failing command */
static int fs_fw_insert(struct mlx5_flow_steering *steering)
{
	unsigned int nth = READ_ONCE(steering->caps.fault_every_nth);
	unsigned int delay = READ_ONCE(steering->caps.insert_delay_us);

	if (delay)
		usleep(delay);
	steering->insert_attempts++;
	if (nth && steering->insert_attempts % nth == 0)
		return -EIO;
	return 0;
}

static struct fs_fte *fs_add_fte(struct mlx5_flow_table *ft, const struct mlx5_flow_spec *spec,
				 struct mlx5_flow_act *act, const struct fs_dests *d)
{
	struct mlx5_flow_steering *steering = ft->ns->steering;
	union mlx5_fs_match criteria, value;
	struct mlx5_flow_group *fg;
	struct fs_fte *fte, *found;
	unsigned int i;
	int err;

	if (steering->nftes >= READ_ONCE(steering->caps.max_fte) || ft->nftes >= ft->max_fte)
		return ERR_PTR(-ENOSPC);
	fs_normalize(spec->match_criteria_enable, &spec->match_criteria, &criteria);
	fs_normalize(spec->match_criteria_enable, &spec->match_value, &value);
	for (i = 0; i < MLX5_FS_MATCH_WORDS; i++)
		value.w[i] &= criteria.w[i];
	fg = fs_find_group(ft, spec->match_criteria_enable, &criteria);
	if (IS_ERR(fg))
		return ERR_PTR(PTR_ERR(fg));
	fte = fs_fte_alloc(fg, &value, act, d);
	if (!fte)
		return ERR_PTR(-ENOMEM);
	err = fs_fw_insert(steering);
	if (err) {
		fs_fte_free(fte);
		return ERR_PTR(err);
	}
	found = fs_group_insert(fg, fte, steering->seed);
	if (found != fte) {
		fs_fte_free(fte);
		return ERR_PTR(-EEXIST);
	}
	fte->seq = ++steering->fte_seq;
	fs_fte_get_refs(fte);
	fg->nftes++;
	ft->nftes++;
	if (fg->autogroup)
		ft->auto_ftes++;
	steering->nftes++;
	steering->bytes += fs_fte_size(fte);
	return fte;
}

struct mlx5_flow_handle *mlx5_add_flow_rules(struct mlx5_flow_table *ft,
					     const struct mlx5_flow_spec *spec,
					     struct mlx5_flow_act *flow_act,
					     struct mlx5_flow_destination *dest, int num_dest)
{
	struct mlx5_flow_steering *steering;
	struct fs_dests d;
	struct fs_fte *fte;
	int err;

	if (IS_ERR_OR_NULL(ft) || !spec || !flow_act)
		return ERR_PTR(-EINVAL);
	steering = ft->ns->steering;
	mlx5_fs_lock(steering);
	err = fs_parse_dests(ft, flow_act, dest, num_dest, &d);
	if (!err)
		err = fs_check_actions(ft, flow_act, &d);
	if (err) {
		mlx5_fs_unlock(steering);
		return ERR_PTR(err);
	}
	fte = fs_add_fte(ft, spec, flow_act, &d);
	if (IS_ERR(fte) && (PTR_ERR(fte) == -ENOSPC || PTR_ERR(fte) == -EIO))
		steering->fte_insert_failed++;
	else if (!IS_ERR(fte))
		steering->fte_inserted++;
	mlx5_fs_unlock(steering);
	return (struct mlx5_flow_handle *)fte;
}

static void fs_del_fte(struct fs_fte *fte)
{
	struct mlx5_flow_group *fg = fte->fg;
	struct mlx5_flow_table *ft = fg->ft;
	struct mlx5_flow_steering *steering = ft->ns->steering;

	fs_group_unlink(fg, fte, steering->seed);
	fs_fte_put_refs(fte);
	fg->nftes--;
	ft->nftes--;
	if (fg->autogroup)
		ft->auto_ftes--;
	steering->nftes--;
	steering->fte_deleted++;
	steering->bytes -= fs_fte_size(fte);
	call_rcu(&fte->rcu, fs_fte_free_rcu);
}

static void fs_fte_describe_dest(const struct fs_fte *fte, char *to, size_t size)
{
	switch (fte->dest) {
	case FS_DEST_TABLE:
		snprintf(to, size, "%s", fte->dest_ft->name);
		break;
	case FS_DEST_VPORT:
		if (fte->dest_vport == MLX5_VPORT_UPLINK)
			snprintf(to, size, "uplink");
		else if (fte->dest_vport == MLX5_VPORT_MANAGER)
			snprintf(to, size, "software");
		else
			snprintf(to, size, "vport %u", fte->dest_vport);
		break;
	case FS_DEST_VPORTS:
		snprintf(to, size, "vports");
		break;
	default:
		snprintf(to, size, "drop");
		break;
	}
}

int mlx5_flow_handle_describe(struct mlx5_flow_handle *handle, char *table_name, size_t size,
			      u32 *fte_id, char *to, size_t to_size)
{
	struct mlx5_flow_steering *steering;
	struct fs_fte *fte;

	if (IS_ERR_OR_NULL(handle))
		return -EINVAL;
	fte = fs_handle_to_fte(handle);
	steering = fte->fg->ft->ns->steering;
	mlx5_fs_lock(steering);
	snprintf(table_name, size, "%s", fte->fg->ft->name);
	*fte_id = fte->seq;
	fs_fte_describe_dest(fte, to, to_size);
	mlx5_fs_unlock(steering);
	return 0;
}

void mlx5_del_flow_rules(struct mlx5_flow_handle *handle)
{
	struct mlx5_flow_steering *steering;
	struct fs_fte *fte;

	if (IS_ERR_OR_NULL(handle))
		return;
	fte = fs_handle_to_fte(handle);
	steering = fte->fg->ft->ns->steering;
	mlx5_fs_lock(steering);
	fs_del_fte(fte);
	mlx5_fs_unlock(steering);
}

static int fs_fte_cmp_seq(const void *a, const void *b)
{
	const struct fs_fte *x = *(struct fs_fte *const *)a, *y = *(struct fs_fte *const *)b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int mlx5_fs_group_ftes(struct mlx5_flow_group *fg, struct fs_fte ***ftes)
{
	struct fs_htab *ht = fg->ht;
	struct fs_fte *fte;
	unsigned int n = 0;
	unsigned long i;

	*ftes = kcalloc(fg->nftes ? fg->nftes : 1, sizeof(**ftes), GFP_KERNEL);
	if (!*ftes)
		return -ENOMEM;
	for (i = 0; i <= ht->mask; i++)
		for (fte = ht->b[i]; fte; fte = fte->next[ht->gen])
			if (n < fg->nftes)
				(*ftes)[n++] = fte;
	qsort(*ftes, n, sizeof(**ftes), fs_fte_cmp_seq);
	return n;
}

void mlx5_fs_fte_match(const struct fs_fte *fte, union mlx5_fs_match *value)
{
	unsigned int i;

	memset(value, 0, sizeof(*value));
	for (i = 0; i < fte->fg->nwords; i++)
		value->w[fte->fg->words[i]] = fte->key[i];
}

/* ---- the device ---- */

static const struct {
	const char *name;
	size_t offset;
} fs_sysctl_knobs[MLX5_FS_NUM_SYSCTLS] = {
	{ "max_flow_tables", offsetof(struct mlx5_fs_caps, max_flow_tables) },
	{ "max_fte", offsetof(struct mlx5_fs_caps, max_fte) },
	{ "max_modify_hdr", offsetof(struct mlx5_fs_caps, max_modify_hdr) },
	{ "max_modify_actions", offsetof(struct mlx5_fs_caps, max_modify_actions) },
	{ "max_pkt_reformat", offsetof(struct mlx5_fs_caps, max_pkt_reformat) },
	{ "max_counters", offsetof(struct mlx5_fs_caps, max_counters) },
	{ "fault_every_nth", offsetof(struct mlx5_fs_caps, fault_every_nth) },
	{ "insert_delay_us", offsetof(struct mlx5_fs_caps, insert_delay_us) },
};

static int fs_sysctl_register(struct mlx5_flow_steering *steering)
{
	unsigned int i;

	for (i = 0; i < MLX5_FS_NUM_SYSCTLS; i++) {
		steering->sysctl[i] = (struct ctl_table){
			.procname = fs_sysctl_knobs[i].name,
			.data = (u8 *)&steering->caps + fs_sysctl_knobs[i].offset,
			.maxlen = sizeof(unsigned int),
			.mode = 0644,
			.proc_handler = proc_douintvec,
		};
	}
	snprintf(steering->sysctl_path, sizeof(steering->sysctl_path), "mlx5.%s",
		 steering->dev->name);
	return register_net_sysctl(steering->sysctl_path, steering->sysctl);
}

int mlx5_init_fs(struct mlx5_core_dev *dev)
{
	struct mlx5_flow_steering *steering;
	int err;

	if (dev->priv.steering)
		return -EEXIST;
	steering = kzalloc(sizeof(*steering), GFP_KERNEL);
	if (!steering)
		return -ENOMEM;
	steering->dev = dev;
	pthread_mutex_init(&steering->lock, NULL);
	steering->fdb.steering = steering;
	INIT_LIST_HEAD(&steering->fdb.tables);
	steering->caps = mlx5_fs_caps_default;
	if (getrandom(&steering->seed, sizeof(steering->seed), 0) < 0)
		steering->seed = (uintptr_t)steering;
	err = fs_sysctl_register(steering);
	if (err) {
		pthread_mutex_destroy(&steering->lock);
		kfree(steering);
		return err;
	}
	rcu_assign_pointer(dev->priv.steering, steering);
	return 0;
}

static void fs_steering_free_rcu(struct rcu_head *head)
{
	struct mlx5_flow_steering *steering =
		caa_container_of(head, struct mlx5_flow_steering, rcu);

	pthread_mutex_destroy(&steering->lock);
	kfree(steering);
}

/* whatever the users left behind goes too; their objects must be freed already */
void mlx5_cleanup_fs(struct mlx5_core_dev *dev)
{
	struct mlx5_flow_steering *steering = dev->priv.steering;
	struct mlx5_flow_table *ft, *tmp;
	struct mlx5_flow_group *fg;
	struct fs_htab *ht;
	unsigned long i;

	if (!steering)
		return;
	unregister_net_sysctl(steering->sysctl_path);
	rcu_assign_pointer(dev->priv.steering, NULL);
	mlx5_fs_lock(steering);
	list_for_each_entry(ft, &steering->fdb.tables, list)
		list_for_each_entry(fg, &ft->groups, list) {
			/* a delete may shrink the table: start over in the new one */
			do {
				ht = fg->ht;
				for (i = 0; i <= ht->mask && fg->ht == ht; i++)
					while (ht->b[i] && fg->ht == ht)
						fs_del_fte(ht->b[i]);
			} while (fg->nftes);
		}
	list_for_each_entry_safe(ft, tmp, &steering->fdb.tables, list)
		fs_table_remove(ft);
	if (steering->nmodify_hdrs || steering->npkt_reformats || steering->ncounters)
		fprintf(stderr, "mlx5: %s: steering cleanup with %u modify headers, %u reformats, %u counters left\n",
			dev->name, steering->nmodify_hdrs, steering->npkt_reformats,
			steering->ncounters);
	mlx5_fs_unlock(steering);
	call_rcu(&steering->rcu, fs_steering_free_rcu);
	/* run the frees now unless the caller is a reader, which must not wait */
	if (!urcu_memb_read_ongoing())
		rcu_barrier();
}

struct mlx5_fs_caps *mlx5_fs_caps(struct mlx5_core_dev *dev)
{
	return &dev->priv.steering->caps;
}

void mlx5_fs_get_stats(struct mlx5_core_dev *dev, struct mlx5_fs_stats *stats)
{
	struct mlx5_flow_steering *steering = dev->priv.steering;
	const struct mlx5_fs_stats *s;
	int cpu;

	memset(stats, 0, sizeof(*stats));
	for_each_possible_cpu(cpu) {
		s = &steering->pcpu[cpu].s;
		stats->rx_packets += __atomic_load_n(&s->rx_packets, __ATOMIC_RELAXED);
		stats->hw_forwarded += __atomic_load_n(&s->hw_forwarded, __ATOMIC_RELAXED);
		stats->hw_dropped += __atomic_load_n(&s->hw_dropped, __ATOMIC_RELAXED);
		stats->miss_to_sw += __atomic_load_n(&s->miss_to_sw, __ATOMIC_RELAXED);
		stats->loop_dropped += __atomic_load_n(&s->loop_dropped, __ATOMIC_RELAXED);
	}
	mlx5_fs_lock(steering);
	stats->fte_insert_failed = steering->fte_insert_failed;
	stats->fte_inserted = steering->fte_inserted;
	stats->fte_deleted = steering->fte_deleted;
	mlx5_fs_unlock(steering);
}

void mlx5_fs_get_usage(struct mlx5_core_dev *dev, struct mlx5_fs_usage *usage)
{
	struct mlx5_flow_steering *steering = dev->priv.steering;

	mlx5_fs_lock(steering);
	usage->tables = steering->ntables;
	usage->groups = steering->ngroups;
	usage->ftes = steering->nftes;
	usage->modify_hdrs = steering->nmodify_hdrs;
	usage->pkt_reformats = steering->npkt_reformats;
	usage->counters = steering->ncounters;
	usage->bytes = steering->bytes;
	mlx5_fs_unlock(steering);
}
