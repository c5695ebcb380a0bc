// SPDX-License-Identifier: GPL-2.0
/*
 * Attribute validation against struct nla_policy and the nl_out message
 * buffer: the parts of lib/nlattr.c and af_netlink.c that handlers need.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <linux/slab.h>
#include <net/netlink.h>

void nl_set_err_msg_fmt(struct netlink_ext_ack *extack, const char *fmt, ...)
{
	va_list ap;

	if (!extack)
		return;
	va_start(ap, fmt);
	vsnprintf(extack->buf, sizeof(extack->buf), fmt, ap);
	va_end(ap);
	extack->_msg = extack->buf;
}

static int nla_validate_one(const struct nlattr *a, const struct nla_policy *pt,
			    struct netlink_ext_ack *extack)
{
	int len = nla_len(a);
	u64 v;

	switch (pt->type) {
	case NLA_FLAG:
		if (len)
			goto bad;
		return 0;
	case NLA_U8:
		if (len < 1)
			goto bad;
		v = nla_get_u8(a);
		break;
	case NLA_U16:
		if (len < 2)
			goto bad;
		v = nla_get_u16(a);
		break;
	case NLA_U32:
	case NLA_S32:
		if (len < 4)
			goto bad;
		v = nla_get_u32(a);
		break;
	case NLA_U64:
		if (len < 8)
			goto bad;
		v = nla_get_u64(a);
		break;
	case NLA_STRING:
		if (pt->len && len > pt->len + 1)
			goto bad;
		if (pt->len && len == pt->len + 1 &&
		    ((const char *)nla_data(a))[len - 1])
			goto bad;
		return 0;
	case NLA_NUL_STRING:
		if (!len || ((const char *)nla_data(a))[len - 1])
			goto bad;
		if (pt->len && len > pt->len + 1)
			goto bad;
		return 0;
	case NLA_BINARY:
		if (pt->len && len > pt->len)
			goto bad;
		return 0;
	case NLA_EXACT_LEN:
		if (len != pt->len)
			goto bad;
		return 0;
	case NLA_NESTED:
		if (len && len < (int)sizeof(struct nlattr))
			goto bad;
		return 0;
	case NLA_BITFIELD32: {
		const u32 *bf = nla_data(a);

		if (len != 8)
			goto bad;
		if ((bf[0] | bf[1]) & ~pt->valid) {
			NL_SET_ERR_MSG_ATTR(extack, a, "Unsupported flag in bitfield32");
			return -EINVAL;
		}
		return 0;
	}
	case NLA_UNSPEC:
		/* a legacy policy entry: .len is the least payload it needs */
		if (len < pt->len) {
			NL_SET_ERR_MSG_ATTR(extack, a, "Attribute failed policy validation");
			return -ERANGE;
		}
		return 0;
	default:
		return 0;
	}
	if (pt->max && (v < pt->min || v > pt->max)) {
		NL_SET_ERR_MSG_ATTR(extack, a, "integer out of range");
		return -ERANGE;
	}
	return 0;
bad:
	NL_SET_ERR_MSG_ATTR(extack, a, "Attribute failed policy validation");
	return -EINVAL;
}

int nla_parse(struct nlattr **tb, int maxtype, const void *data, size_t len,
	      const struct nla_policy *policy, struct netlink_ext_ack *extack)
{
	const struct nlattr *a;
	size_t rem = len;
	int err;

	memset(tb, 0, sizeof(*tb) * (maxtype + 1));
	for (a = data; mnl_attr_ok(a, rem); a = mnl_attr_next(a)) {
		int type = mnl_attr_get_type(a);

		rem -= MNL_ALIGN(a->nla_len);
		if (type > maxtype)
			continue;	/* as the kernel's non-strict parse */
		if (policy) {
			err = nla_validate_one(a, &policy[type], extack);
			if (err)
				return err;
		}
		tb[type] = (struct nlattr *)a;
	}
	if (rem >= sizeof(struct nlattr)) {
		NL_SET_ERR_MSG(extack, "Attribute failed policy validation");
		return -EINVAL;
	}
	return 0;
}

int nla_parse_nested(struct nlattr **tb, int maxtype, const struct nlattr *nla,
		     const struct nla_policy *policy, struct netlink_ext_ack *extack)
{
	return nla_parse(tb, maxtype, mnl_attr_get_payload(nla),
			 mnl_attr_get_payload_len(nla), policy, extack);
}

int nlmsg_parse(const struct nlmsghdr *nlh, size_t hdrlen, struct nlattr **tb,
		int maxtype, const struct nla_policy *policy,
		struct netlink_ext_ack *extack)
{
	size_t off = MNL_ALIGN(hdrlen);

	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + off) {
		NL_SET_ERR_MSG(extack, "Invalid header for request");
		return -EINVAL;
	}
	return nla_parse(tb, maxtype, (const char *)mnl_nlmsg_get_payload(nlh) + off,
			 nlh->nlmsg_len - MNL_NLMSG_HDRLEN - off, policy, extack);
}

int nla_memcpy(void *dst, const struct nlattr *a, int len)
{
	int n = min(len, nla_len(a));

	memcpy(dst, nla_data(a), n);
	if (len > n)
		memset((u8 *)dst + n, 0, len - n);
	return n;
}

size_t nla_strscpy(char *dst, const struct nlattr *a, size_t size)
{
	size_t len = nla_len(a);
	const char *s = nla_data(a);

	if (len && !s[len - 1])
		len--;
	if (len >= size)
		len = size - 1;
	memcpy(dst, s, len);
	dst[len] = 0;
	return len;
}

int nla_strcmp(const struct nlattr *a, const char *s)
{
	char buf[256];

	nla_strscpy(buf, a, sizeof(buf));
	return strcmp(buf, s);
}

void nla_put_u64_64bit(struct nlmsghdr *nlh, u16 type, u64 v, u16 padattr)
{
	nla_put_64bit(nlh, type, sizeof(v), &v, padattr);
}

void nla_put_64bit(struct nlmsghdr *nlh, u16 type, size_t len, const void *data, u16 padattr)
{
	/* the payload starts 4 bytes after the attribute header */
	if ((nlh->nlmsg_len + MNL_ATTR_HDRLEN) % 8)
		mnl_attr_put(nlh, padattr, 0, NULL);
	mnl_attr_put(nlh, type, len, data);
}

void nl_out_init(struct nl_out *o, u32 portid)
{
	memset(o, 0, sizeof(*o));
	o->portid = portid;
}

void nl_out_free(struct nl_out *o)
{
	kfree(o->buf);
	o->buf = NULL;
	o->len = o->cap = 0;
}

struct nlmsghdr *nl_out_put(struct nl_out *o, u32 seq, u16 type, u16 flags, size_t hdrlen)
{
	struct nlmsghdr *nlh;

	if (o->cap - o->len < NL_OUT_MSG_MAX) {
		size_t cap = o->cap ? o->cap * 2 : 2 * NL_OUT_MSG_MAX;
		char *buf;

		while (cap - o->len < NL_OUT_MSG_MAX)
			cap *= 2;
		buf = realloc(o->buf, cap);
		if (!buf) {
			o->err = -ENOMEM;
			return NULL;
		}
		o->buf = buf;
		o->cap = cap;
	}
	memset(o->buf + o->len, 0, MNL_NLMSG_HDRLEN + MNL_ALIGN(hdrlen));
	nlh = mnl_nlmsg_put_header(o->buf + o->len);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = o->portid;
	if (hdrlen)
		mnl_nlmsg_put_extra_header(nlh, hdrlen);
	return nlh;
}

void nl_out_end(struct nl_out *o, struct nlmsghdr *nlh)
{
	/* a message past its room has already written out of bounds: stop here */
	if (nlh->nlmsg_len > NL_OUT_MSG_MAX) {
		fprintf(stderr, "BUG: netlink message type %u of %u bytes exceeds %u\n",
			nlh->nlmsg_type, nlh->nlmsg_len, NL_OUT_MSG_MAX);
		abort();
	}
	o->len = (char *)nlh - o->buf + MNL_ALIGN(nlh->nlmsg_len);
}

void nl_out_cancel(struct nl_out *o, struct nlmsghdr *nlh)
{
	o->len = (char *)nlh - o->buf;
}
