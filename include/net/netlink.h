/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Netlink message helpers, kernel names over libmnl.
 *
 * Input: every handler validates its attributes against a declarative
 * policy (struct nla_policy) before looking at them, and reports a
 * rejection through struct netlink_ext_ack, which the netlink server turns
 * into NLMSGERR_ATTR_MSG so `tc` prints "Error: <msg>.".
 * Output: a struct nl_out collects the messages of one answer (a reply, a
 * dump, an event); attributes are added with libmnl's mnl_attr_put_*().
 */
#ifndef _NET_NETLINK_H
#define _NET_NETLINK_H

#include <linux/compiler.h>
#include <linux/netlink.h>
#include <libmnl/libmnl.h>

struct netlink_ext_ack {
	const char *_msg;
	const struct nlattr *bad_attr;
	char buf[128];			/* for formatted messages */
};

#define NL_SET_ERR_MSG(extack, msg) do {		\
	struct netlink_ext_ack *__ea = (extack);	\
	if (__ea)					\
		__ea->_msg = (msg);			\
} while (0)
#define NL_SET_ERR_MSG_MOD	NL_SET_ERR_MSG
#define NL_SET_ERR_MSG_ATTR(extack, attr, msg) do {	\
	struct netlink_ext_ack *__eb = (extack);	\
	if (__eb) {					\
		__eb->_msg = (msg);			\
		__eb->bad_attr = (attr);		\
	}						\
} while (0)
void nl_set_err_msg_fmt(struct netlink_ext_ack *extack, const char *fmt, ...) __printf(2, 3);
#define NL_SET_ERR_MSG_FMT	nl_set_err_msg_fmt

/* attribute policy, checked before any handler looks at a message */
enum {
	NLA_UNSPEC,
	NLA_U8,
	NLA_U16,
	NLA_U32,
	NLA_U64,
	NLA_STRING,
	NLA_FLAG,
	NLA_NESTED,
	NLA_NUL_STRING,
	NLA_BINARY,
	NLA_S32,
	NLA_BITFIELD32,
	NLA_EXACT_LEN,
	NLA_BE16 = NLA_U16,
	NLA_BE32 = NLA_U32,
};

struct nla_policy {
	u8 type;
	u16 len;		/* STRING/NUL_STRING: max length; BINARY: max; EXACT_LEN: exact;
				 * UNSPEC: minimum (the kernel's legacy { .len = N }) */
	u32 min, max;		/* integer range when max != 0 */
	u32 valid;		/* BITFIELD32: allowed bits */
};

int nla_parse(struct nlattr **tb, int maxtype, const void *data, size_t len,
	      const struct nla_policy *policy, struct netlink_ext_ack *extack);
int nla_parse_nested(struct nlattr **tb, int maxtype, const struct nlattr *nla,
		     const struct nla_policy *policy, struct netlink_ext_ack *extack);
/* attributes after a fixed family header in a message */
int nlmsg_parse(const struct nlmsghdr *nlh, size_t hdrlen, struct nlattr **tb,
		int maxtype, const struct nla_policy *policy,
		struct netlink_ext_ack *extack);

static inline u8 nla_get_u8(const struct nlattr *a) { return mnl_attr_get_u8(a); }
static inline u16 nla_get_u16(const struct nlattr *a) { return mnl_attr_get_u16(a); }
static inline u32 nla_get_u32(const struct nlattr *a) { return mnl_attr_get_u32(a); }
static inline u64 nla_get_u64(const struct nlattr *a)
{
	u64 v;

	memcpy(&v, mnl_attr_get_payload(a), sizeof(v));
	return v;
}
static inline const void *nla_data(const struct nlattr *a) { return mnl_attr_get_payload(a); }
static inline int nla_len(const struct nlattr *a) { return mnl_attr_get_payload_len(a); }
static inline int nla_type(const struct nlattr *a) { return mnl_attr_get_type(a); }
/*
 * copy at most len bytes of an attribute's payload into dst; a shorter
 * payload leaves zeroes behind (lib/nlattr.c's nla_memcpy)
 */
int nla_memcpy(void *dst, const struct nlattr *a, int len);
/* copy a string attribute into dst (size bytes, always terminated) */
size_t nla_strscpy(char *dst, const struct nlattr *a, size_t size);
int nla_strcmp(const struct nlattr *a, const char *s);

/*
 * A growing buffer of complete netlink messages. Each message gets
 * NL_OUT_MSG_MAX bytes of room while it is built, so attribute puts
 * need no per-call bounds checks.
 */
#define NL_OUT_MSG_MAX	65536

struct nl_out {
	char *buf;
	size_t len;
	size_t cap;
	u32 portid;		/* destination port, stamped into nlmsg_pid */
	int err;		/* sticky: -ENOMEM if the buffer could not grow */
	/*
	 * Flags a dump handler wants on the NLMSG_DONE that ends its dump
	 * (the kernel's cb->answer_flags, e.g. NLM_F_DUMP_FILTERED); the
	 * server resets them before each request.
	 */
	u16 answer_flags;
};

void nl_out_init(struct nl_out *o, u32 portid);
void nl_out_free(struct nl_out *o);
/* start a message with a zeroed family header of hdrlen bytes */
struct nlmsghdr *nl_out_put(struct nl_out *o, u32 seq, u16 type, u16 flags, size_t hdrlen);
/* commit the message started last */
void nl_out_end(struct nl_out *o, struct nlmsghdr *nlh);
/* forget the message started last (e.g. a dump entry that failed) */
void nl_out_cancel(struct nl_out *o, struct nlmsghdr *nlh);

#define nla_put_u8(n, t, v)	mnl_attr_put_u8(n, t, v)
#define nla_put_u16(n, t, v)	mnl_attr_put_u16(n, t, v)
#define nla_put_u32(n, t, v)	mnl_attr_put_u32(n, t, v)
#define nla_put_u64(n, t, v)	mnl_attr_put_u64(n, t, v)
#define nla_put_string(n, t, s)	mnl_attr_put_strz(n, t, s)
#define nla_put(n, t, l, d)	mnl_attr_put(n, t, l, d)
#define nla_put_flag(n, t)	mnl_attr_put(n, t, 0, NULL)
#define nla_nest_start(n, t)	mnl_attr_nest_start(n, t)
#define nla_nest_end(n, a)	mnl_attr_nest_end(n, a)
/*
 * A nest without NLA_F_NESTED in its type, as the kernel's
 * nla_nest_start_noflag(): where a parser compares types exactly
 * (tc's action lists, iproute2's IFLA_AF_SPEC per-family nests), a
 * flagged nest would be invisible.
 */
static inline struct nlattr *nla_nest_start_noflag(struct nlmsghdr *nlh, u16 type)
{
	struct nlattr *nest = nla_nest_start(nlh, type);

	nest->nla_type = type;
	return nest;
}
#define nla_nest_cancel(n, a)	mnl_attr_nest_cancel(n, a)
/* 64-bit attributes that must be 8-byte aligned get a pad attribute first */
void nla_put_u64_64bit(struct nlmsghdr *nlh, u16 type, u64 v, u16 padattr);
void nla_put_64bit(struct nlmsghdr *nlh, u16 type, size_t len, const void *data, u16 padattr);

#endif
