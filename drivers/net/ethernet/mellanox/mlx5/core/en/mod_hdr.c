// SPDX-License-Identifier: GPL-2.0
/*
 * Modify-header action lists (en/mod_hdr.h): a growing array the parsers
 * append to, turned into one device object when the rule is added; and
 * the table that lets identical lists share one object.
 */
#include <xxhash.h>
#include <linux/slab.h>
#include "mod_hdr.h"

struct mlx5e_mod_hdr_handle {
	struct list_head hlist;		/* in its bucket */
	struct mlx5_modify_hdr *modify_hdr;
	unsigned int refcnt;
	int num_actions;
	struct mlx5_action_in actions[];
};

#define MOD_HDR_ACTS_CHUNK	8

struct mlx5_action_in *mlx5e_mod_hdr_alloc(struct mlx5e_tc_mod_hdr_acts *acts)
{
	if (acts->num_actions == acts->max_actions) {
		int max = acts->max_actions + MOD_HDR_ACTS_CHUNK;
		struct mlx5_action_in *a;

		a = realloc(acts->actions, max * sizeof(*a));
		if (!a)
			return NULL;
		acts->actions = a;
		acts->max_actions = max;
	}
	memset(&acts->actions[acts->num_actions], 0, sizeof(acts->actions[0]));
	return &acts->actions[acts->num_actions];
}

void mlx5e_mod_hdr_dealloc(struct mlx5e_tc_mod_hdr_acts *acts)
{
	kfree(acts->actions);
	acts->actions = NULL;
	acts->num_actions = 0;
	acts->max_actions = 0;
}

void mlx5e_mod_hdr_tbl_init(struct mod_hdr_tbl *tbl)
{
	int i;

	pthread_mutex_init(&tbl->lock, NULL);
	for (i = 0; i < MOD_HDR_TBL_BUCKETS; i++)
		INIT_LIST_HEAD(&tbl->hlist[i]);
}

void mlx5e_mod_hdr_tbl_destroy(struct mod_hdr_tbl *tbl)
{
	pthread_mutex_destroy(&tbl->lock);
}

static struct list_head *mod_hdr_bucket(struct mod_hdr_tbl *tbl,
					const struct mlx5e_tc_mod_hdr_acts *acts)
{
	size_t len = acts->num_actions * sizeof(acts->actions[0]);

	return &tbl->hlist[XXH3_64bits(acts->actions, len) % MOD_HDR_TBL_BUCKETS];
}

struct mlx5e_mod_hdr_handle *mlx5e_mod_hdr_attach(struct mlx5_core_dev *mdev,
						  struct mod_hdr_tbl *tbl,
						  enum mlx5_flow_namespace_type namespace,
						  const struct mlx5e_tc_mod_hdr_acts *acts)
{
	size_t len = acts->num_actions * sizeof(acts->actions[0]);
	struct list_head *bucket = mod_hdr_bucket(tbl, acts);
	struct mlx5e_mod_hdr_handle *mh;

	pthread_mutex_lock(&tbl->lock);
	list_for_each_entry(mh, bucket, hlist) {
		if (mh->num_actions == acts->num_actions &&
		    !memcmp(mh->actions, acts->actions, len)) {
			mh->refcnt++;
			goto out;
		}
	}
	mh = kzalloc(sizeof(*mh) + len, GFP_KERNEL);
	if (!mh) {
		mh = ERR_PTR(-ENOMEM);
		goto out;
	}
	mh->modify_hdr = mlx5_modify_header_alloc(mdev, namespace, acts->num_actions,
						  acts->actions);
	if (IS_ERR(mh->modify_hdr)) {
		void *err = mh->modify_hdr;

		kfree(mh);
		mh = err;
		goto out;
	}
	mh->refcnt = 1;
	mh->num_actions = acts->num_actions;
	memcpy(mh->actions, acts->actions, len);
	list_add(&mh->hlist, bucket);
out:
	pthread_mutex_unlock(&tbl->lock);
	return mh;
}

void mlx5e_mod_hdr_detach(struct mlx5_core_dev *mdev, struct mod_hdr_tbl *tbl,
			  struct mlx5e_mod_hdr_handle *mh)
{
	pthread_mutex_lock(&tbl->lock);
	if (--mh->refcnt) {
		pthread_mutex_unlock(&tbl->lock);
		return;
	}
	list_del(&mh->hlist);
	pthread_mutex_unlock(&tbl->lock);
	mlx5_modify_header_dealloc(mdev, mh->modify_hdr);
	kfree(mh);
}

struct mlx5_modify_hdr *mlx5e_mod_hdr_get(struct mlx5e_mod_hdr_handle *mh)
{
	return mh->modify_hdr;
}
