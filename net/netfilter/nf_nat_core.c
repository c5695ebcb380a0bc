// SPDX-License-Identifier: GPL-2.0
/*
 * NAT, the mapping side: choose, once per connection, the tuple its
 * packets will carry after translation, and record it as the connection's
 * reply tuple (nf_nat_setup_info()).  From then on nf_nat_packet() knows
 * from the status bits whether a packet needs rewriting, and
 * nf_nat_proto.c rewrites it from the tuples alone.
 *
 * Choosing follows the kernel's get_unique_tuple(): keep the packet's own
 * tuple when it is in range and no other connection would answer to the
 * same reply; otherwise pick an address in the range by a hash of the
 * tuple (stable: a client keeps its public address) and search the port
 * (or ICMP id) range from a random offset, in rounds of shrinking length
 * so that a nearly full range costs a bounded number of lookups.
 *
 * Where we differ from Linux 6.1, and why:
 *  - No by-source table (the kernel's nf_nat_bysource, which lets a second
 *    connection from the same source address and port reuse the first
 *    one's mapping when its own tuple is out of range).  It needs a hook
 *    on connection destruction and a member in struct nf_conn; without it
 *    such a connection simply gets a fresh mapping, as any other.
 *  - A range with no free tuple left fails here with NF_DROP; the kernel
 *    keeps the clashing tuple and drops at confirmation.  Same verdict for
 *    a committed connection, but never a duplicate reply tuple.
 *  - An address range of IPv6 bounds differing in more than their last
 *    32 bits is spread over as one 128-bit interval, so the choice always
 *    stays inside it.
 */
#include <sys/random.h>
#include <xxhash.h>
#include <net/netfilter/nf_nat.h>

/* the kernel's bound on lookups per round of the port search */
#define NF_NAT_MAX_ATTEMPTS	128
/* below this many attempts a round is not worth another random start */
#define NF_NAT_MIN_ATTEMPTS	16

/* ---- randomness for port search offsets ---- */

static u16 nf_nat_random_u16(void)
{
	/* per thread: the datapath threads never share it */
	static __thread u64 state;

	if (unlikely(!state)) {
		if (getrandom(&state, sizeof(state), 0) != sizeof(state) || !state)
			state = (uintptr_t)&state | 1;
	}
	/* xorshift64: enough to spread starting points, not a secret */
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return state >> 48;
}

/* ---- is a candidate usable? ---- */

/*
 * Conntrack only knows the tuples packets arrive with.  A candidate is
 * what our packets will leave with, so the question is whether another
 * connection already answers to its inverse: the reply we would get.
 */
static bool nf_nat_used_tuple(const struct nf_conntrack_tuple *tuple,
			      const struct nf_conn *ignored_conntrack)
{
	struct nf_conntrack_tuple reply;

	nf_ct_invert_tuple(&reply, tuple);
	return nf_conntrack_tuple_taken(&reply, ignored_conntrack);
}

static bool nf_nat_inet_in_range(const struct nf_conntrack_tuple *t,
				 const struct nf_nat_range2 *range)
{
	if (t->src.l3num == NFPROTO_IPV4)
		return ntohl(t->src.u3.ip) >= ntohl(range->min_addr.ip) &&
		       ntohl(t->src.u3.ip) <= ntohl(range->max_addr.ip);
	return memcmp(&t->src.u3.in6, &range->min_addr.in6, sizeof(struct in6_addr)) >= 0 &&
	       memcmp(&t->src.u3.in6, &range->max_addr.in6, sizeof(struct in6_addr)) <= 0;
}

static bool l4proto_in_range(const struct nf_conntrack_tuple *tuple,
			     enum nf_nat_manip_type maniptype,
			     const union nf_conntrack_man_proto *min,
			     const union nf_conntrack_man_proto *max)
{
	__be16 port;

	switch (tuple->dst.protonum) {
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		/* one id for both directions, kept in the source part */
		port = tuple->src.u.icmp.id;
		break;
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
	case IPPROTO_DCCP:
	case IPPROTO_SCTP:
		port = maniptype == NF_NAT_MANIP_SRC ? tuple->src.u.all : tuple->dst.u.all;
		break;
	default:
		return true;
	}
	return ntohs(port) >= ntohs(min->all) && ntohs(port) <= ntohs(max->all);
}

/* would source-mapping to this tuple satisfy the range? */
static bool in_range(const struct nf_conntrack_tuple *tuple, const struct nf_nat_range2 *range)
{
	if (range->flags & NF_NAT_RANGE_MAP_IPS && !nf_nat_inet_in_range(tuple, range))
		return false;
	if (!(range->flags & NF_NAT_RANGE_PROTO_SPECIFIED))
		return true;
	return l4proto_in_range(tuple, NF_NAT_MANIP_SRC, &range->min_proto, &range->max_proto);
}

/* ---- the address ---- */

typedef unsigned __int128 u128;

static u128 nf_nat_addr_to_u128(const union nf_inet_addr *addr, u16 l3num)
{
	u128 v = 0;
	int i;

	if (l3num == NFPROTO_IPV4)
		return ntohl(addr->ip);
	for (i = 0; i < 16; i++)
		v = v << 8 | addr->in6.s6_addr[i];
	return v;
}

static void nf_nat_u128_to_addr(union nf_inet_addr *addr, u128 v, u16 l3num)
{
	int i;

	if (l3num == NFPROTO_IPV4) {
		addr->ip = htonl((u32)v);
		return;
	}
	for (i = 15; i >= 0; i--) {
		addr->in6.s6_addr[i] = (u8)v;
		v >>= 8;
	}
}

/*
 * The kernel's find_best_ips_proto(): the address comes from a hash of the
 * source and destination addresses and the zone, so a client keeps the
 * same public address for every connection to a server (some servers
 * insist), while different pairs spread over the range.  With
 * NF_NAT_RANGE_PERSISTENT only the source address counts: one client,
 * one address, whatever it talks to.
 */
static void find_best_ips_proto(u16 zone, struct nf_conntrack_tuple *tuple,
				const struct nf_nat_range2 *range,
				enum nf_nat_manip_type maniptype)
{
	union nf_inet_addr *var_ipp;
	u16 l3num = tuple->src.l3num;
	struct {
		union nf_inet_addr src, dst;
		u32 zone;
	} key;
	u128 min, max, span, hash;
	XXH128_hash_t h;

	if (!(range->flags & NF_NAT_RANGE_MAP_IPS))
		return;
	var_ipp = maniptype == NF_NAT_MANIP_SRC ? &tuple->src.u3 : &tuple->dst.u3;
	if (!memcmp(&range->min_addr, &range->max_addr, sizeof(range->min_addr))) {
		*var_ipp = range->min_addr;
		return;
	}

	min = nf_nat_addr_to_u128(&range->min_addr, l3num);
	max = nf_nat_addr_to_u128(&range->max_addr, l3num);
	if (max < min) {
		u128 tmp = min;

		min = max;
		max = tmp;
	}
	memset(&key, 0, sizeof(key));
	key.src = tuple->src.u3;
	if (!(range->flags & NF_NAT_RANGE_PERSISTENT)) {
		key.dst = tuple->dst.u3;
		key.zone = zone;
	}
	h = XXH3_128bits(&key, sizeof(key));
	hash = (u128)h.high64 << 64 | h.low64;
	span = max - min + 1;		/* 0: the whole IPv6 space */
	nf_nat_u128_to_addr(var_ipp, min + (span ? hash % span : hash), l3num);
}

/* ---- the port (or ICMP id) ---- */

/*
 * The manipulable part of the tuple and the range to search: the range
 * given, or without one the kernel's default classes, so a privileged
 * source port stays privileged (1-511, 600-1023, 1024-65535).  Returns
 * NULL when there is nothing the search may vary.
 */
static __be16 *nf_nat_l4proto_key(struct nf_conntrack_tuple *tuple,
				  const struct nf_nat_range2 *range,
				  enum nf_nat_manip_type maniptype,
				  unsigned int *min, unsigned int *range_size)
{
	unsigned int lo = ntohs(range->min_proto.all), hi = ntohs(range->max_proto.all);
	bool specified = range->flags & NF_NAT_RANGE_PROTO_SPECIFIED;
	__be16 *keyptr;

	switch (tuple->dst.protonum) {
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		keyptr = &tuple->src.u.icmp.id;
		if (!specified) {
			lo = 0;
			hi = 65535;
		}
		break;
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
	case IPPROTO_DCCP:
	case IPPROTO_SCTP:
		keyptr = maniptype == NF_NAT_MANIP_SRC ? &tuple->src.u.all : &tuple->dst.u.all;
		if (specified)
			break;
		/* a destination port is the service: never moved unless asked */
		if (maniptype == NF_NAT_MANIP_DST)
			return NULL;
		if (ntohs(*keyptr) < 512) {
			lo = 1;
			hi = 511;
		} else if (ntohs(*keyptr) < 1024) {
			lo = 600;
			hi = 1023;
		} else {
			lo = 1024;
			hi = 65535;
		}
		break;
	default:
		return NULL;
	}
	if (hi < lo) {
		unsigned int tmp = lo;

		lo = hi;
		hi = tmp;
	}
	*min = lo;
	*range_size = hi - lo + 1;
	return keyptr;
}

/*
 * Find a free value for the tuple's manipulable part.  A range up to 128
 * values is searched whole; a larger one in rounds of 128, 64, 32, 16 and 8
 * lookups, each from a new random start, as the kernel does: a nearly full
 * range fails after 248 lookups instead of walking 64k entries.
 */
static bool nf_nat_l4proto_unique_tuple(struct nf_conntrack_tuple *tuple,
					const struct nf_nat_range2 *range,
					enum nf_nat_manip_type maniptype,
					const struct nf_conn *ct)
{
	unsigned int lo, range_size, attempts, i;
	__be16 *keyptr;
	u16 off;

	keyptr = nf_nat_l4proto_key(tuple, range, maniptype, &lo, &range_size);
	if (!keyptr)
		return !nf_nat_used_tuple(tuple, ct);

	if (range->flags & NF_NAT_RANGE_PROTO_OFFSET)
		off = ntohs(*keyptr) - ntohs(range->base_proto.all);
	else
		off = nf_nat_random_u16();
	attempts = min(range_size, NF_NAT_MAX_ATTEMPTS);

	for (;;) {
		for (i = 0; i < attempts; i++, off++) {
			*keyptr = htons(lo + off % range_size);
			if (!nf_nat_used_tuple(tuple, ct))
				return true;
		}
		if (attempts >= range_size || attempts < NF_NAT_MIN_ATTEMPTS)
			return false;
		attempts /= 2;
		off = nf_nat_random_u16();
	}
}

/*
 * The tuple our packets will carry (*tuple), from orig_tuple, what they
 * carry now.  False when the range has no unused tuple left.
 */
static bool get_unique_tuple(struct nf_conntrack_tuple *tuple,
			     const struct nf_conntrack_tuple *orig_tuple,
			     const struct nf_nat_range2 *range, struct nf_conn *ct,
			     enum nf_nat_manip_type maniptype)
{
	bool random = range->flags & NF_NAT_RANGE_PROTO_RANDOM_ALL;

	/* a source already in range needs no translation at all */
	if (maniptype == NF_NAT_MANIP_SRC && !random && in_range(orig_tuple, range) &&
	    !nf_nat_used_tuple(orig_tuple, ct)) {
		*tuple = *orig_tuple;
		return true;
	}

	*tuple = *orig_tuple;
	find_best_ips_proto(nf_ct_zone_id(ct), tuple, range, maniptype);

	/* keep the port if it fits, unless asked to randomize or offset it */
	if (!random) {
		if (range->flags & NF_NAT_RANGE_PROTO_SPECIFIED) {
			if (!(range->flags & NF_NAT_RANGE_PROTO_OFFSET) &&
			    l4proto_in_range(tuple, maniptype, &range->min_proto,
					     &range->max_proto) &&
			    !nf_nat_used_tuple(tuple, ct))
				return true;
		} else if (!nf_nat_used_tuple(tuple, ct)) {
			return true;
		}
	}
	return nf_nat_l4proto_unique_tuple(tuple, range, maniptype, ct);
}

unsigned int nf_nat_setup_info(struct nf_conn *ct, const struct nf_nat_range2 *range,
			       enum nf_nat_manip_type maniptype)
{
	struct nf_conntrack_tuple curr_tuple, new_tuple;

	/*
	 * A mapping is decided once, before anyone else can see the
	 * connection.  A confirmed one keeps what it has and the packet goes
	 * on unchanged (Linux: `ct commit`, then `ct nat` on a later packet).
	 */
	if (nf_ct_is_confirmed(ct))
		return NF_ACCEPT;
	if (nf_nat_initialized(ct, maniptype))
		return NF_DROP;

	/*
	 * What the packets carry now: the original tuple, after any mapping
	 * of the other type already made (its reply tuple says so).
	 */
	nf_ct_invert_tuple(&curr_tuple, &ct->tuplehash[IP_CT_DIR_REPLY].tuple);

	if (!get_unique_tuple(&new_tuple, &curr_tuple, range, ct, maniptype))
		return NF_DROP;

	if (!nf_ct_tuple_equal(&new_tuple, &curr_tuple)) {
		struct nf_conntrack_tuple reply;

		/* replies will come to the new tuple: conntrack must find them */
		nf_ct_invert_tuple(&reply, &new_tuple);
		nf_conntrack_alter_reply(ct, &reply);
		set_bit(maniptype == NF_NAT_MANIP_SRC ? IPS_SRC_NAT_BIT : IPS_DST_NAT_BIT,
			&ct->status);
	}
	set_bit(maniptype == NF_NAT_MANIP_SRC ? IPS_SRC_NAT_DONE_BIT : IPS_DST_NAT_DONE_BIT,
		&ct->status);
	return NF_ACCEPT;
}

unsigned int nf_nat_alloc_null_binding(struct nf_conn *ct, enum nf_nat_manip_type maniptype)
{
	/*
	 * The address the packets carry now (from the reply tuple, in case a
	 * mapping of the other type changed it); the port is left to the
	 * search, so a clash with another connection still gets resolved.
	 */
	const struct nf_conntrack_tuple *reply = &ct->tuplehash[IP_CT_DIR_REPLY].tuple;
	struct nf_nat_range2 range = {
		.flags = NF_NAT_RANGE_MAP_IPS,
	};

	range.min_addr = maniptype == NF_NAT_MANIP_SRC ? reply->dst.u3 : reply->src.u3;
	range.max_addr = range.min_addr;
	return nf_nat_setup_info(ct, &range, maniptype);
}

unsigned int nf_nat_packet(struct nf_conn *ct, enum ip_conntrack_info ctinfo,
			   enum nf_nat_manip_type mtype, struct sk_buff *skb)
{
	enum ip_conntrack_dir dir = CTINFO2DIR(ctinfo);
	unsigned long statusbit = mtype == NF_NAT_MANIP_SRC ? IPS_SRC_NAT : IPS_DST_NAT;

	/*
	 * A source mapping is undone on the replies' destination, and the
	 * other way round: in the reply direction the question flips.
	 */
	if (dir == IP_CT_DIR_REPLY)
		statusbit ^= IPS_NAT_MASK;
	if (READ_ONCE(ct->status) & statusbit)
		return nf_nat_manip_pkt(skb, ct, mtype, dir);
	return NF_ACCEPT;
}
