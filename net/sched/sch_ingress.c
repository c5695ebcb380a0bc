// SPDX-License-Identifier: GPL-2.0
/*
 * The ingress and clsact qdiscs (net/sched/sch_ingress.c): no queue, only
 * a hook into which the device's receive (and, for clsact, transmit) path
 * runs a block of filters.  A block may be shared between devices by index
 * (ingress_block N / egress_block N).
 */
#include <linux/init.h>
#include <linux/slab.h>
#include <net/pkt_cls.h>

struct ingress_sched_data {
	struct tcf_block *block;	/* ingress */
	struct tcf_block *egress_block;	/* clsact only */
	/* the hook (for offload binding) and the shared index of each block */
	struct tcf_block_ext_info block_info, egress_block_info;
	struct mini_Qdisc miniq, miniq_egress;
};

static struct tcf_block *ingress_tcf_block(struct Qdisc *sch, unsigned long cl,
					   struct netlink_ext_ack *extack)
{
	struct ingress_sched_data *q = sch->priv;

	(void)extack;
	if (cl == TC_H_MIN(TC_H_MIN_EGRESS) && q->egress_block)
		return q->egress_block;
	/* on a plain ingress qdisc "egress" also lands here, as in Linux */
	return q->block;
}

static int block_index_from(struct nlattr **tca, int type, struct netlink_ext_ack *extack,
			    u32 *index)
{
	*index = 0;
	if (!tca[type])
		return 0;
	*index = nla_get_u32(tca[type]);
	if (!*index) {
		NL_SET_ERR_MSG(extack, "Block index cannot be zero");
		return -EINVAL;
	}
	return 0;
}

static int ingress_hook_init(struct Qdisc *sch, struct tcf_block **block,
			     struct mini_Qdisc *miniq, struct mini_Qdisc **hook,
			     struct tcf_block_ext_info *ei, struct netlink_ext_ack *extack)
{
	int err;

	miniq->cpu_stats = alloc_percpu(struct mini_Qdisc_stats);
	if (!miniq->cpu_stats)
		return -ENOMEM;
	err = tcf_block_get_ext(block, sch, ei, extack);
	if (err) {
		free_percpu(miniq->cpu_stats);
		miniq->cpu_stats = NULL;
		return err;
	}
	miniq->block = *block;
	rcu_assign_pointer(*hook, miniq);
	return 0;
}

static int ingress_init(struct Qdisc *sch, struct nlattr *opt, struct nlattr **tca,
			struct netlink_ext_ack *extack)
{
	struct ingress_sched_data *q = sch->priv;
	int err;

	(void)opt;
	err = block_index_from(tca, TCA_INGRESS_BLOCK, extack, &q->block_info.block_index);
	if (err)
		return err;
	/* a plain ingress qdisc offloads as clsact's ingress hook, as in Linux */
	q->block_info.binder_type = FLOW_BLOCK_BINDER_TYPE_CLSACT_INGRESS;
	return ingress_hook_init(sch, &q->block, &q->miniq, &sch->dev->miniq_ingress,
				 &q->block_info, extack);
}

static int clsact_init(struct Qdisc *sch, struct nlattr *opt, struct nlattr **tca,
		       struct netlink_ext_ack *extack)
{
	struct ingress_sched_data *q = sch->priv;
	int err;

	err = ingress_init(sch, opt, tca, extack);
	if (err)
		return err;
	err = block_index_from(tca, TCA_EGRESS_BLOCK, extack,
			       &q->egress_block_info.block_index);
	q->egress_block_info.binder_type = FLOW_BLOCK_BINDER_TYPE_CLSACT_EGRESS;
	if (!err)
		err = ingress_hook_init(sch, &q->egress_block, &q->miniq_egress,
					&sch->dev->miniq_egress, &q->egress_block_info, extack);
	if (err) {
		rcu_assign_pointer(sch->dev->miniq_ingress, NULL);
		synchronize_rcu();
		tcf_block_put_ext(q->block, sch, &q->block_info);
		free_percpu(q->miniq.cpu_stats);
	}
	return err;
}

static void ingress_destroy(struct Qdisc *sch)
{
	struct ingress_sched_data *q = sch->priv;

	rcu_assign_pointer(sch->dev->miniq_ingress, NULL);
	if (q->egress_block)
		rcu_assign_pointer(sch->dev->miniq_egress, NULL);
	synchronize_rcu();
	tcf_block_put_ext(q->block, sch, &q->block_info);
	if (q->egress_block)
		tcf_block_put_ext(q->egress_block, sch, &q->egress_block_info);
	free_percpu(q->miniq.cpu_stats);
	free_percpu(q->miniq_egress.cpu_stats);
}

static int ingress_dump(struct Qdisc *sch, struct nlmsghdr *nlh)
{
	(void)sch;
	nla_nest_end(nlh, nla_nest_start(nlh, TCA_OPTIONS));
	return 0;
}

static u32 ingress_block_get(struct Qdisc *sch)
{
	return ((struct ingress_sched_data *)sch->priv)->block_info.block_index;
}

static u32 egress_block_get(struct Qdisc *sch)
{
	return ((struct ingress_sched_data *)sch->priv)->egress_block_info.block_index;
}

static void ingress_stats(struct Qdisc *sch, u64 *bytes, u64 *packets, u64 *drops)
{
	struct ingress_sched_data *q = sch->priv;
	const struct mini_Qdisc *mq[] = { &q->miniq, &q->miniq_egress };
	unsigned int i;
	int cpu;

	*bytes = *packets = *drops = 0;
	for (i = 0; i < ARRAY_SIZE(mq); i++) {
		if (!mq[i]->cpu_stats)
			continue;
		for_each_possible_cpu(cpu) {
			const struct mini_Qdisc_stats *s = per_cpu_ptr(mq[i]->cpu_stats, cpu);

			*bytes += u64_stats_read(&s->bytes);
			*packets += u64_stats_read(&s->packets);
			*drops += u64_stats_read(&s->drops);
		}
	}
}

static struct Qdisc_ops ingress_qdisc_ops = {
	.id = "ingress",
	.init = ingress_init,
	.destroy = ingress_destroy,
	.tcf_block = ingress_tcf_block,
	.dump = ingress_dump,
	.ingress_block_get = ingress_block_get,
	.stats = ingress_stats,
};

static struct Qdisc_ops clsact_qdisc_ops = {
	.id = "clsact",
	.init = clsact_init,
	.destroy = ingress_destroy,
	.tcf_block = ingress_tcf_block,
	.dump = ingress_dump,
	.ingress_block_get = ingress_block_get,
	.egress_block_get = egress_block_get,
	.stats = ingress_stats,
};

static void ingress_module_init(void)
{
	register_qdisc(&ingress_qdisc_ops);
	register_qdisc(&clsact_qdisc_ops);
}
module_init(ingress_module_init);

size_t qdisc_priv_size(void)
{
	return sizeof(struct ingress_sched_data);
}
