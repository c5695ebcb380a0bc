// SPDX-License-Identifier: GPL-2.0
/* The net.netfilter.nf_conntrack_* sysctls, with Linux's names and units. */
#include <stdio.h>
#include <errno.h>
#include <linux/init.h>
#include <linux/sysctl.h>
#include <net/netfilter/nf_conntrack.h>

static int proc_nf_conntrack_count(const struct ctl_table *table, int write, char *buf,
				   size_t size)
{
	if (write)
		return -EPERM;
	snprintf(buf, size, "%u", nf_conntrack_count());
	return 0;
}

static const int zero, one = 1;

#define NF_CT_INT(name, field)						\
	{ .procname = name, .data = &nf_ct_net.field, .maxlen = sizeof(int), \
	  .mode = 0644, .proc_handler = proc_dointvec_minmax,		\
	  .extra1 = &zero, .extra2 = &one }
#define NF_CT_UINT(name, field)						\
	{ .procname = name, .data = &nf_ct_net.field, .maxlen = sizeof(unsigned int), \
	  .mode = 0644, .proc_handler = proc_douintvec }
#define NF_CT_TCP_TIMEOUT(name, state)					\
	NF_CT_UINT("nf_conntrack_tcp_timeout_" name, tcp_timeouts[TCP_CONNTRACK_##state])

static struct ctl_table nf_ct_sysctl_table[] = {
	NF_CT_UINT("nf_conntrack_max", max),
	{ .procname = "nf_conntrack_buckets", .data = &nf_ct_net.buckets,
	  .maxlen = sizeof(unsigned int), .mode = 0444, .proc_handler = proc_douintvec },
	{ .procname = "nf_conntrack_count", .mode = 0444,
	  .proc_handler = proc_nf_conntrack_count },
	NF_CT_INT("nf_conntrack_checksum", checksum),
	NF_CT_INT("nf_conntrack_acct", acct),
	NF_CT_INT("nf_conntrack_events", events),
	NF_CT_INT("nf_conntrack_tcp_loose", tcp_loose),
	NF_CT_INT("nf_conntrack_tcp_be_liberal", tcp_be_liberal),
	{ .procname = "nf_conntrack_tcp_max_retrans", .data = &nf_ct_net.tcp_max_retrans,
	  .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec },
	NF_CT_TCP_TIMEOUT("syn_sent", SYN_SENT),
	NF_CT_TCP_TIMEOUT("syn_recv", SYN_RECV),
	NF_CT_TCP_TIMEOUT("established", ESTABLISHED),
	NF_CT_TCP_TIMEOUT("fin_wait", FIN_WAIT),
	NF_CT_TCP_TIMEOUT("close_wait", CLOSE_WAIT),
	NF_CT_TCP_TIMEOUT("last_ack", LAST_ACK),
	NF_CT_TCP_TIMEOUT("time_wait", TIME_WAIT),
	NF_CT_TCP_TIMEOUT("close", CLOSE),
	NF_CT_TCP_TIMEOUT("max_retrans", RETRANS),
	NF_CT_TCP_TIMEOUT("unacknowledged", UNACK),
	NF_CT_UINT("nf_conntrack_udp_timeout", udp_timeout),
	NF_CT_UINT("nf_conntrack_udp_timeout_stream", udp_timeout_stream),
	NF_CT_UINT("nf_conntrack_icmp_timeout", icmp_timeout),
	NF_CT_UINT("nf_conntrack_icmpv6_timeout", icmpv6_timeout),
	NF_CT_UINT("nf_conntrack_generic_timeout", generic_timeout),
	{ }
};

static void nf_conntrack_standalone_init(void)
{
	register_net_sysctl("net/netfilter", nf_ct_sysctl_table);
}
module_init(nf_conntrack_standalone_init);
