// SPDX-License-Identifier: GPL-2.0
/*
 * TCP connection tracking, with the behaviour of Linux 6.1's
 * net/netfilter/nf_conntrack_proto_tcp.c.
 *
 * We are a middlebox: we see every segment but not what the two ends
 * believe, so the tracker guesses.  Two mechanisms do the work:
 *
 *  - a state table indexed by (direction, class of the segment's flags,
 *    current state) gives the next state, or says the segment is invalid
 *    (it goes on untracked, -NF_ACCEPT) or to be ignored (let through
 *    without touching the connection, because our view may be the stale
 *    one and the ends are about to tell us so with a SYN-ACK or a RST);
 *
 *  - window tracking (Guido van Rooij's "Real Stateful TCP Packet
 *    Filtering in IP Filter", with the edges relaxed as RFC 793 allows)
 *    checks that a segment fits what its receiver can accept.
 *    nf_conntrack_tcp_be_liberal, or a connection's BE_LIBERAL flag
 *    (picked-up and offloaded connections), lets through what the window
 *    check would refuse.
 *
 * Not reproduced, because nothing here needs them: NAT sequence number
 * adjustment (no helpers: the offset is always 0), synproxy, cttimeout
 * policies, and the tcp_no_window_check and tcp_ignore_invalid_rst
 * sysctls (both behave as their default, 0).
 *
 * Locking: ct->lock guards ct->proto.tcp.  A connection being created is
 * only known to the packet creating it, so tcp_new() runs without it.
 */
#include <netinet/tcp.h>
#include <net/checksum.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_ecache.h>
#include <net/netfilter/nf_conntrack_l4proto.h>
#include <linux/unaligned.h>

const char *const tcp_conntrack_names[TCP_CONNTRACK_MAX] = {
	[TCP_CONNTRACK_NONE]		= "NONE",
	[TCP_CONNTRACK_SYN_SENT]	= "SYN_SENT",
	[TCP_CONNTRACK_SYN_RECV]	= "SYN_RECV",
	[TCP_CONNTRACK_ESTABLISHED]	= "ESTABLISHED",
	[TCP_CONNTRACK_FIN_WAIT]	= "FIN_WAIT",
	[TCP_CONNTRACK_CLOSE_WAIT]	= "CLOSE_WAIT",
	[TCP_CONNTRACK_LAST_ACK]	= "LAST_ACK",
	[TCP_CONNTRACK_TIME_WAIT]	= "TIME_WAIT",
	[TCP_CONNTRACK_CLOSE]		= "CLOSE",
	[TCP_CONNTRACK_SYN_SENT2]	= "SYN_SENT2",
};

/* the flags byte of the TCP header */
#define TCPHDR_FIN	0x01
#define TCPHDR_SYN	0x02
#define TCPHDR_RST	0x04
#define TCPHDR_PSH	0x08
#define TCPHDR_ACK	0x10
#define TCPHDR_URG	0x20
#define TCPHDR_ECE	0x40
#define TCPHDR_CWR	0x80

#define TCP_HDR_LEN		20
#define TCPOLEN_SACK_BASE	2
#define TCPOLEN_SACK_PERBLOCK	8

/*
 * What a segment is, for the state table (and ct->proto.tcp.last_index):
 * RST wins over everything, then SYN (with or without ACK), FIN, ACK.
 */
enum tcp_bit_set {
	TCP_SYN_SET,
	TCP_SYNACK_SET,
	TCP_FIN_SET,
	TCP_ACK_SET,
	TCP_RST_SET,
	TCP_NONE_SET,
	TCP_BIT_SET_MAX,
};

/*
 * The state table.  Rows are flag classes, columns the current state;
 * IV (TCP_CONNTRACK_MAX) is invalid, IG (TCP_CONNTRACK_IGNORE) is "let it
 * through, change nothing".  The rationale of the less obvious cells:
 *
 * Original direction (the side that sent the first SYN):
 *  - SYN: starts (or repeats) the opening; in TIME_WAIT or CLOSE it may
 *    reopen the connection (RFC 1122 4.2.2.13); in any synchronized state
 *    it is ignored: either the client restarted and the server will RST,
 *    or we hold a dead entry.
 *  - SYN-ACK: only meaningful in a simultaneous open (SYN_SENT2, or its
 *    retransmission in SYN_RECV).
 *  - FIN: not before the other side answered the SYN; FIN seen from both
 *    sides means the last ACK is awaited (LAST_ACK).
 *  - ACK: from NONE only when picking up a connection mid-stream
 *    (nf_conntrack_tcp_loose); it completes the handshake in SYN_RECV,
 *    answers a FIN (CLOSE_WAIT) or the last FIN (TIME_WAIT).
 *  - RST: closes anything that exists.
 *
 * Reply direction:
 *  - SYN: a simultaneous open (SYN_SENT2), or a reopening from TIME_WAIT
 *    where the roles may have swapped.
 *  - SYN-ACK: the normal answer in SYN_SENT/SYN_SENT2; afterwards a
 *    retransmission, or the answer to a SYN we ignored: ignored.
 *  - ACK: in SYN_SENT or SYN_SENT2 it may belong to a half-open
 *    connection (or be a challenge ACK): ignored; in SYN_RECV it may answer
 *    a retransmitted SYN and changes nothing.
 *
 * A segment with no SYN, FIN, RST or ACK is never valid.
 */
#define T_NO	TCP_CONNTRACK_NONE
#define T_SS	TCP_CONNTRACK_SYN_SENT
#define T_SR	TCP_CONNTRACK_SYN_RECV
#define T_ES	TCP_CONNTRACK_ESTABLISHED
#define T_FW	TCP_CONNTRACK_FIN_WAIT
#define T_CW	TCP_CONNTRACK_CLOSE_WAIT
#define T_LA	TCP_CONNTRACK_LAST_ACK
#define T_TW	TCP_CONNTRACK_TIME_WAIT
#define T_CL	TCP_CONNTRACK_CLOSE
#define T_S2	TCP_CONNTRACK_SYN_SENT2
#define T_IV	TCP_CONNTRACK_MAX
#define T_IG	TCP_CONNTRACK_IGNORE

static const u8 tcp_conntracks[IP_CT_DIR_MAX][TCP_BIT_SET_MAX][TCP_CONNTRACK_MAX] = {
	[IP_CT_DIR_ORIGINAL] = {
		/*                   NO    SS    SR    ES    FW    CW    LA    TW    CL    S2 */
		[TCP_SYN_SET]    = { T_SS, T_SS, T_IG, T_IG, T_IG, T_IG, T_IG, T_SS, T_SS, T_S2 },
		[TCP_SYNACK_SET] = { T_IV, T_IV, T_SR, T_IV, T_IV, T_IV, T_IV, T_IV, T_IV, T_SR },
		[TCP_FIN_SET]    = { T_IV, T_IV, T_FW, T_FW, T_LA, T_LA, T_LA, T_TW, T_CL, T_IV },
		[TCP_ACK_SET]    = { T_ES, T_IV, T_ES, T_ES, T_CW, T_CW, T_TW, T_TW, T_CL, T_IV },
		[TCP_RST_SET]    = { T_IV, T_CL, T_CL, T_CL, T_CL, T_CL, T_CL, T_CL, T_CL, T_CL },
		[TCP_NONE_SET]   = { T_IV, T_IV, T_IV, T_IV, T_IV, T_IV, T_IV, T_IV, T_IV, T_IV },
	},
	[IP_CT_DIR_REPLY] = {
		/*                   NO    SS    SR    ES    FW    CW    LA    TW    CL    S2 */
		[TCP_SYN_SET]    = { T_IV, T_S2, T_IV, T_IV, T_IV, T_IV, T_IV, T_SS, T_IV, T_S2 },
		[TCP_SYNACK_SET] = { T_IV, T_SR, T_IG, T_IG, T_IG, T_IG, T_IG, T_IG, T_IG, T_SR },
		[TCP_FIN_SET]    = { T_IV, T_IV, T_FW, T_FW, T_LA, T_LA, T_LA, T_TW, T_CL, T_IV },
		[TCP_ACK_SET]    = { T_IV, T_IG, T_SR, T_ES, T_CW, T_CW, T_TW, T_TW, T_CL, T_IG },
		[TCP_RST_SET]    = { T_IV, T_CL, T_CL, T_CL, T_CL, T_CL, T_CL, T_CL, T_CL, T_CL },
		[TCP_NONE_SET]   = { T_IV, T_IV, T_IV, T_IV, T_IV, T_IV, T_IV, T_IV, T_IV, T_IV },
	},
};

#undef T_NO
#undef T_SS
#undef T_SR
#undef T_ES
#undef T_FW
#undef T_CW
#undef T_LA
#undef T_TW
#undef T_CL
#undef T_S2
#undef T_IV
#undef T_IG

/*
 * Flag combinations a real stack sends; PSH, ECE and CWR may accompany
 * any of them.  Everything else (SYN+FIN, SYN+RST, FIN without ACK, no
 * flag at all...) is a scan or garbage.
 */
static const u8 tcp_valid_flags[(TCPHDR_FIN | TCPHDR_SYN | TCPHDR_RST | TCPHDR_ACK |
				 TCPHDR_URG) + 1] = {
	[TCPHDR_SYN]				= 1,
	[TCPHDR_SYN | TCPHDR_URG]		= 1,
	[TCPHDR_SYN | TCPHDR_ACK]		= 1,
	[TCPHDR_RST]				= 1,
	[TCPHDR_RST | TCPHDR_ACK]		= 1,
	[TCPHDR_FIN | TCPHDR_ACK]		= 1,
	[TCPHDR_FIN | TCPHDR_ACK | TCPHDR_URG]	= 1,
	[TCPHDR_ACK]				= 1,
	[TCPHDR_ACK | TCPHDR_URG]		= 1,
};

/* sequence space arithmetic (RFC 793 3.3): a is before b */
static inline bool before(u32 a, u32 b)
{
	return (s32)(a - b) < 0;
}

static inline bool after(u32 a, u32 b)
{
	return before(b, a);
}

/* one segment, as the tracker needs it */
struct tcp_segment {
	u32 seq;
	u32 ack;		/* the acknowledgement number as sent */
	u32 end;		/* seq + payload, + 1 for SYN and for FIN */
	u16 win;		/* the window as sent, not scaled */
	u8 flags;		/* TCPHDR_* */
	u8 index;		/* enum tcp_bit_set */
	const u8 *opt;		/* the options, in the packet */
	unsigned int optlen;
};

static u8 tcp_bit_set(u8 flags)
{
	if (flags & TCPHDR_RST)
		return TCP_RST_SET;
	if (flags & TCPHDR_SYN)
		return flags & TCPHDR_ACK ? TCP_SYNACK_SET : TCP_SYN_SET;
	if (flags & TCPHDR_FIN)
		return TCP_FIN_SET;
	if (flags & TCPHDR_ACK)
		return TCP_ACK_SET;
	return TCP_NONE_SET;
}

/*
 * Read the header at dataoff; -EINVAL if the header length is impossible
 * or larger than the packet, or the flags are a combination no stack
 * sends.  The header is read byte by byte: behind a 14-byte Ethernet
 * header it is not 4-byte aligned.
 */
static int tcp_segment_parse(const struct sk_buff *skb, unsigned int dataoff,
			     struct tcp_segment *seg)
{
	const u8 *th = skb->data + dataoff;
	unsigned int tcplen, hdrlen;
	u8 flags;

	if (skb->len < dataoff + TCP_HDR_LEN)
		return -EINVAL;
	tcplen = skb->len - dataoff;
	hdrlen = (th[12] >> 4) * 4;
	if (hdrlen < TCP_HDR_LEN || hdrlen > tcplen)
		return -EINVAL;
	flags = th[13];
	if (!tcp_valid_flags[flags & ~(TCPHDR_ECE | TCPHDR_CWR | TCPHDR_PSH)])
		return -EINVAL;

	seg->seq = get_unaligned_be32(th + 4);
	seg->ack = get_unaligned_be32(th + 8);
	seg->win = th[14] << 8 | th[15];
	seg->flags = flags;
	seg->index = tcp_bit_set(flags);
	seg->opt = th + TCP_HDR_LEN;
	seg->optlen = hdrlen - TCP_HDR_LEN;
	seg->end = seg->seq + (tcplen - hdrlen) + !!(flags & TCPHDR_SYN) +
		   !!(flags & TCPHDR_FIN);
	return 0;
}

/*
 * Walk the options the way the kernel's simplified parser does: stop at
 * End of List, at an option with an impossible length, or at one running
 * past the header; call fn on every other option but NOP.  fn returns
 * true to stop the walk.
 */
static void tcp_options_walk(const struct tcp_segment *seg,
			     bool (*fn)(u8 kind, const u8 *opt, unsigned int size, void *arg),
			     void *arg)
{
	const u8 *p = seg->opt;
	unsigned int left = seg->optlen;

	while (left) {
		u8 kind = p[0];
		u8 size;

		if (kind == TCPOPT_EOL)
			return;
		if (kind == TCPOPT_NOP) {
			p++;
			left--;
			continue;
		}
		if (left < 2)
			return;
		size = p[1];
		if (size < 2 || size > left)
			return;
		if (fn(kind, p, size, arg))
			return;
		p += size;
		left -= size;
	}
}

static bool tcp_option_note(u8 kind, const u8 *opt, unsigned int size, void *arg)
{
	struct ip_ct_tcp_state *state = arg;

	if (kind == TCPOPT_SACK_PERMITTED && size == TCPOLEN_SACK_PERMITTED) {
		state->flags |= IP_CT_TCP_FLAG_SACK_PERM;
	} else if (kind == TCPOPT_WINDOW && size == TCPOLEN_WINDOW) {
		state->td_scale = min(opt[2], TCP_MAX_WINSHIFT);
		state->flags |= IP_CT_TCP_FLAG_WINDOW_SCALE;
	}
	return false;
}

/*
 * What a SYN tells about its sender: window scaling and SACK.  A SYN
 * with options starts the sender's flags afresh (only the liberal flag,
 * which is a property of the connection, survives); one without options
 * leaves them as they are, as the kernel does.
 */
static void tcp_options_parse(const struct tcp_segment *seg, struct ip_ct_tcp_state *state)
{
	if (!seg->optlen)
		return;
	state->td_scale = 0;
	state->flags &= IP_CT_TCP_FLAG_BE_LIBERAL;
	tcp_options_walk(seg, tcp_option_note, state);
}

static bool tcp_option_sack(u8 kind, const u8 *opt, unsigned int size, void *arg)
{
	u32 *sack = arg;
	unsigned int i;

	if (kind != TCPOPT_SACK || size < TCPOLEN_SACK_BASE + TCPOLEN_SACK_PERBLOCK ||
	    (size - TCPOLEN_SACK_BASE) % TCPOLEN_SACK_PERBLOCK)
		return false;
	/* each block is left edge, right edge: keep the highest right edge */
	for (i = TCPOLEN_SACK_BASE; i < size; i += TCPOLEN_SACK_PERBLOCK) {
		u32 right = get_unaligned_be32(opt + i + 4);

		if (after(right, *sack))
			*sack = right;
	}
	return true;	/* only the first SACK option counts */
}

/*
 * The highest byte a segment acknowledges, SACK blocks included: the
 * window checks treat the right edge of the highest block as the ack.
 */
static void tcp_sack_highest(const struct tcp_segment *seg, u32 *sack)
{
	/* the common case, NOP NOP timestamp, carries no SACK */
	if (seg->optlen == TCPOLEN_TSTAMP_APPA &&
	    get_unaligned_be32(seg->opt) == TCPOPT_TSTAMP_HDR)
		return;
	tcp_options_walk(seg, tcp_option_sack, sack);
}

/* ---- window tracking ---- */

/*
 * Per direction (ct->proto.tcp.seen[dir]), for the "sender" of a segment
 * and its "receiver", the other side:
 *
 *   td_end	highest seq + len the sender has sent
 *   td_maxend	highest ack + window the receiver advertised: how far the
 *		sender may send
 *   td_maxwin	largest window the sender advertised (plus the extent of
 *		its SACK blocks), grown when the peer sends beyond td_maxend
 *   td_maxack	highest ack the sender has sent
 *
 * and a segment is in window when
 *
 *   I	  seq <= sender.td_maxend			(not beyond the window)
 *   II	  end >= sender.td_end - receiver.td_maxwin	(not long acknowledged data)
 *   III  sack <= receiver.td_end			(acks nothing unsent)
 *   IV	  sack >= receiver.td_end - MAXACKWINDOW	(not an ancient ack)
 *
 * where sack is the ack, or the highest SACK right edge.  A segment that
 * only fails II or IV, or only overshoots the window by less than the
 * receiver's largest window, is let through untracked (IGNORE); the others
 * fail (INVALID).
 */
#define MAXACKWINCONST	66000
#define MAXACKWINDOW(sender) \
	((sender)->td_maxwin > MAXACKWINCONST ? (sender)->td_maxwin : MAXACKWINCONST)

enum tcp_window_verdict {
	TCP_WINDOW_ACCEPT,	/* in window: the connection is updated */
	TCP_WINDOW_IGNORE,	/* let through, nothing updated */
	TCP_WINDOW_INVALID,	/* untracked: -NF_ACCEPT */
};

/*
 * The window check refuses the segment: with liberal tracking it is
 * accepted all the same (but the windows are not moved by it).
 */
static enum tcp_window_verdict tcp_window_refuse(const struct ip_ct_tcp_state *sender,
						 enum tcp_window_verdict verdict)
{
	if ((sender->flags & IP_CT_TCP_FLAG_BE_LIBERAL) || READ_ONCE(nf_ct_net.tcp_be_liberal))
		return TCP_WINDOW_ACCEPT;
	return verdict;
}

/*
 * A SYN or SYN-ACK starts its sender's window afresh.  Window scaling
 * applies only when both SYNs offered it (RFC 7323 2.2): the reply's SYN
 * settles it for both directions.
 */
static void tcp_sender_init(struct ip_ct_tcp_state *sender, struct ip_ct_tcp_state *receiver,
			    const struct tcp_segment *seg, enum ip_conntrack_dir dir)
{
	sender->td_end = seg->end;
	sender->td_maxend = seg->end;
	sender->td_maxwin = seg->win ? seg->win : 1;
	tcp_options_parse(seg, sender);
	if (dir == IP_CT_DIR_REPLY &&
	    !(sender->flags & receiver->flags & IP_CT_TCP_FLAG_WINDOW_SCALE)) {
		sender->td_scale = 0;
		receiver->td_scale = 0;
	}
}

/*
 * The first segment we see from this side is not a SYN (a connection
 * picked up mid-stream): believe what the segment says.
 */
static void tcp_sender_pickup(struct ip_ct_tcp_state *sender, struct ip_ct_tcp_state *receiver,
			      const struct tcp_segment *seg, u32 sack)
{
	u32 swin = (u32)seg->win << sender->td_scale;

	sender->td_end = seg->end;
	sender->td_maxwin = swin ? swin : 1;
	sender->td_maxend = seg->end + sender->td_maxwin;
	if (!receiver->td_maxwin) {
		/* nothing seen the other way yet: make III and IV pass until then */
		receiver->td_end = sack;
		receiver->td_maxend = sack;
	} else if (sack == receiver->td_end + 1) {
		/* most likely the answer to a keepalive probe: keep III true */
		receiver->td_end++;
	}
}

/* record the last ACK-only segment; the same one again is a retransmission */
static void tcp_note_retrans(struct ip_ct_tcp *state, enum ip_conntrack_dir dir,
			     u32 seq, u32 ack, u32 end, u16 win)
{
	if (state->last_dir == dir && state->last_seq == seq && state->last_ack == ack &&
	    state->last_end == end && state->last_win == win) {
		state->retrans++;
		return;
	}
	state->last_dir = dir;
	state->last_seq = seq;
	state->last_ack = ack;
	state->last_end = end;
	state->last_win = win;
	state->retrans = 0;
}

/* the segment is in window: move both sides' edges */
static void tcp_window_update(struct ip_ct_tcp *state, enum ip_conntrack_dir dir,
			      const struct tcp_segment *seg, u32 seq, u32 ack, u32 sack, u32 end)
{
	struct ip_ct_tcp_state *sender = &state->seen[dir];
	struct ip_ct_tcp_state *receiver = &state->seen[!dir];
	u32 win = seg->win, swin;

	/* a SYN's window is never scaled (RFC 7323 2.2) */
	if (!(seg->flags & TCPHDR_SYN))
		win <<= sender->td_scale;

	swin = win + (sack - ack);
	if (sender->td_maxwin < swin)
		sender->td_maxwin = swin;
	if (after(end, sender->td_end)) {
		sender->td_end = end;
		sender->flags |= IP_CT_TCP_FLAG_DATA_UNACKNOWLEDGED;
	}
	if (seg->flags & TCPHDR_ACK) {
		if (!(sender->flags & IP_CT_TCP_FLAG_MAXACK_SET)) {
			sender->td_maxack = ack;
			sender->flags |= IP_CT_TCP_FLAG_MAXACK_SET;
		} else if (after(ack, sender->td_maxack)) {
			sender->td_maxack = ack;
		}
	}

	/* the sender went past the window we knew: the receiver's was larger */
	if (receiver->td_maxwin && after(end, sender->td_maxend))
		receiver->td_maxwin += end - sender->td_maxend;
	if (after(sack + win, receiver->td_maxend - 1)) {
		receiver->td_maxend = sack + win;
		if (!win)
			receiver->td_maxend++;	/* room for a zero-window probe */
	}
	if (ack == receiver->td_end)
		receiver->flags &= ~IP_CT_TCP_FLAG_DATA_UNACKNOWLEDGED;

	if (seg->index == TCP_ACK_SET)
		tcp_note_retrans(state, dir, seq, ack, end, seg->win);
}

static enum tcp_window_verdict tcp_in_window(struct nf_conn *ct, enum ip_conntrack_dir dir,
					     const struct tcp_segment *seg)
{
	struct ip_ct_tcp *state = &ct->proto.tcp;
	struct ip_ct_tcp_state *sender = &state->seen[dir];
	struct ip_ct_tcp_state *receiver = &state->seen[!dir];
	bool syn = seg->flags & TCPHDR_SYN;
	u32 seq = seg->seq, ack = seg->ack, sack = seg->ack, end = seg->end;

	if (receiver->flags & IP_CT_TCP_FLAG_SACK_PERM)
		tcp_sack_highest(seg, &sack);

	if (!sender->td_maxwin) {
		/* first segment from this side */
		if (syn) {
			tcp_sender_init(sender, receiver, seg, dir);
			if (!(seg->flags & TCPHDR_ACK))
				return TCP_WINDOW_ACCEPT;	/* simultaneous open */
		} else {
			tcp_sender_pickup(sender, receiver, seg, sack);
		}
	} else if (syn && after(end, sender->td_end) &&
		   (state->state == TCP_CONNTRACK_SYN_SENT ||
		    state->state == TCP_CONNTRACK_SYN_RECV)) {
		/*
		 * A new SYN (SYN-ACK) with a higher sequence number during the
		 * opening: the end restarted (RFC 793 allows it without
		 * waiting), possibly with other options.  Start over for it.
		 */
		tcp_sender_init(sender, receiver, seg, dir);
		if (dir == IP_CT_DIR_REPLY && !(seg->flags & TCPHDR_ACK))
			return TCP_WINDOW_ACCEPT;
	}

	/*
	 * No ack to check: take it as acking exactly what was sent.  Some
	 * stacks send RST+ACK with a zero ack number: the same.
	 */
	if (!(seg->flags & TCPHDR_ACK) ||
	    ((seg->flags & (TCPHDR_ACK | TCPHDR_RST)) == (TCPHDR_ACK | TCPHDR_RST) && !ack)) {
		ack = receiver->td_end;
		sack = ack;
	}

	/* a RST answering a SYN carries sequence number 0: put it at the edge */
	if ((seg->flags & TCPHDR_RST) && !seq && state->state == TCP_CONNTRACK_SYN_SENT) {
		seq = sender->td_end;
		end = seq;
	}

	if (!before(seq, sender->td_maxend + 1)) {
		u32 overshot = end - sender->td_maxend + 1;
		bool in_recv_win = receiver->td_maxwin &&
				   after(end, sender->td_end - receiver->td_maxwin - 1);
		bool ack_ok = after(sack, receiver->td_end - MAXACKWINDOW(sender) - 1);

		if (in_recv_win && ack_ok && overshot <= receiver->td_maxwin &&
		    before(sack, receiver->td_end + 1)) {
			/*
			 * A stack that sent a little more than the window
			 * allows.  Should the receiver accept and ack it, all
			 * its later acks would fail III: remember the data.
			 */
			sender->td_end = end;
			sender->flags |= IP_CT_TCP_FLAG_DATA_UNACKNOWLEDGED;
			return tcp_window_refuse(sender, TCP_WINDOW_IGNORE);
		}
		return tcp_window_refuse(sender, TCP_WINDOW_INVALID);		/* I */
	}
	if (!before(sack, receiver->td_end + 1))
		return tcp_window_refuse(sender, TCP_WINDOW_INVALID);		/* III */
	if (receiver->td_maxwin &&
	    !after(end, sender->td_end - receiver->td_maxwin - 1))
		return tcp_window_refuse(sender, TCP_WINDOW_IGNORE);		/* II */
	if (!after(sack, receiver->td_end - MAXACKWINDOW(sender) - 1))
		return tcp_window_refuse(sender, TCP_WINDOW_IGNORE);		/* IV */

	tcp_window_update(state, dir, seg, seq, ack, sack, end);
	return TCP_WINDOW_ACCEPT;
}

/* ---- timeouts ---- */

static u64 tcp_timeout_ms(unsigned int state)
{
	return READ_ONCE(nf_ct_net.tcp_timeouts[state]) * 1000ULL;
}

u64 nf_conntrack_tcp_state_timeout(u8 state)
{
	if (state >= TCP_CONNTRACK_TIMEOUT_MAX)
		return 0;
	return tcp_timeout_ms(state);
}

/*
 * The timeout after an in-window segment: the state's, but shorter when
 * the connection looks stuck (retransmissions, unacknowledged data, a
 * zero window) and CLOSE's after a RST.
 */
static u64 tcp_pick_timeout(const struct ip_ct_tcp *state, u8 new_state, u8 index)
{
	u64 timeout = tcp_timeout_ms(new_state);
	u64 retrans = tcp_timeout_ms(TCP_CONNTRACK_RETRANS);
	u64 unack = tcp_timeout_ms(TCP_CONNTRACK_UNACK);

	if (state->retrans >= READ_ONCE(nf_ct_net.tcp_max_retrans) && timeout > retrans)
		return retrans;
	if (index == TCP_RST_SET)
		return tcp_timeout_ms(TCP_CONNTRACK_CLOSE);
	if (((state->seen[0].flags | state->seen[1].flags) &
	     IP_CT_TCP_FLAG_DATA_UNACKNOWLEDGED) && timeout > unack)
		return unack;
	if (!state->last_win && timeout > retrans)
		return retrans;
	return timeout;
}

/*
 * An assured connection keeps its long timeout through an invalid FIN or
 * RST; when both sides have sent one we did not believe, the ends have
 * probably given up while we are out of sync: let it expire as if it had
 * unacknowledged data.
 */
static void tcp_invalid_shorten_timeout(struct nf_conn *ct, enum ip_conntrack_dir dir, u8 index)
{
	struct ip_ct_tcp *state = &ct->proto.tcp;
	u64 expires, unack;

	if (!test_bit(IPS_ASSURED_BIT, &ct->status) ||
	    test_bit(IPS_FIXED_TIMEOUT_BIT, &ct->status))
		return;
	if (index != TCP_RST_SET && index != TCP_FIN_SET)
		return;

	if (state->last_dir == dir ||
	    (state->last_index != TCP_FIN_SET && state->last_index != TCP_RST_SET)) {
		state->last_index = index;
		state->last_dir = dir;
		return;
	}
	expires = nf_ct_expires(ct);
	if (expires < 120 * 1000)
		return;
	unack = tcp_timeout_ms(TCP_CONNTRACK_UNACK);
	if (expires > unack)
		nf_ct_refresh(ct, unack);
}

/* ---- the state machine's special cases ---- */

static bool tcp_state_closing(u8 state)
{
	switch (state) {
	case TCP_CONNTRACK_FIN_WAIT:
	case TCP_CONNTRACK_CLOSE_WAIT:
	case TCP_CONNTRACK_LAST_ACK:
	case TCP_CONNTRACK_TIME_WAIT:
	case TCP_CONNTRACK_CLOSE:
		return true;
	default:
		return false;
	}
}

static bool tcp_established(const struct nf_conn *ct)
{
	return ct->proto.tcp.state == TCP_CONNTRACK_ESTABLISHED &&
	       test_bit(IPS_ASSURED_BIT, &ct->status);
}

/*
 * A SYN in TIME_WAIT or CLOSE reopens the connection when it really
 * ended: a side closed it with a FIN, or this side reset it.
 */
static bool tcp_may_reopen(const struct ip_ct_tcp *state, enum ip_conntrack_dir dir)
{
	return ((state->seen[dir].flags | state->seen[!dir].flags) & IP_CT_TCP_FLAG_CLOSE_INIT) ||
	       (state->last_dir == dir && state->last_index == TCP_RST_SET);
}

/*
 * A SYN-ACK that acknowledges the SYN we last ignored: the two ends have
 * restarted the connection behind our back.  Take the ignored SYN's
 * values for its sender, forget what we knew of this side, and carry on
 * as if the table had said SYN_SENT -> SYN_RECV.
 */
static bool tcp_ignored_syn_answered(struct ip_ct_tcp *state, enum ip_conntrack_dir dir,
				     const struct tcp_segment *seg)
{
	struct ip_ct_tcp_state *client, *server;

	if (seg->index != TCP_SYNACK_SET || state->last_index != TCP_SYN_SET ||
	    state->last_dir == dir || seg->ack != state->last_end)
		return false;

	client = &state->seen[state->last_dir];
	client->td_end = state->last_end;
	client->td_maxend = state->last_end;
	client->td_maxwin = state->last_win ? state->last_win : 1;
	client->td_scale = state->last_wscale;
	state->last_flags &= ~IP_CT_EXP_CHALLENGE_ACK;
	client->flags = state->last_flags;

	server = &state->seen[dir];
	server->td_end = 0;
	server->td_maxend = 0;
	server->td_maxwin = 0;
	server->td_maxack = 0;
	server->td_scale = 0;
	server->flags &= IP_CT_TCP_FLAG_BE_LIBERAL;
	return true;
}

/*
 * Remember an ignored segment, so that the answer to it (a SYN-ACK, a
 * RST, a challenge ACK) can be recognised.  For a SYN from the original
 * side keep its options: they are the connection's if the server accepts
 * it.  In LAST_ACK an RFC 5961 server answers such a SYN with a challenge
 * ACK, which must not be taken for the last ACK.
 */
static void tcp_note_ignored(struct ip_ct_tcp *state, enum ip_conntrack_dir dir,
			     const struct tcp_segment *seg, u8 old_state)
{
	state->last_index = seg->index;
	state->last_dir = dir;
	state->last_seq = seg->seq;
	state->last_end = seg->end;
	state->last_win = seg->win;

	if (seg->index == TCP_SYN_SET && dir == IP_CT_DIR_ORIGINAL) {
		struct ip_ct_tcp_state opts = {};

		state->last_flags = 0;
		state->last_wscale = 0;
		tcp_options_parse(seg, &opts);
		if (opts.flags & IP_CT_TCP_FLAG_WINDOW_SCALE) {
			state->last_flags |= IP_CT_TCP_FLAG_WINDOW_SCALE;
			state->last_wscale = opts.td_scale;
		}
		if (opts.flags & IP_CT_TCP_FLAG_SACK_PERM)
			state->last_flags |= IP_CT_TCP_FLAG_SACK_PERM;
		if (old_state == TCP_CONNTRACK_LAST_ACK)
			state->last_flags |= IP_CT_EXP_CHALLENGE_ACK;
	}

	/* maybe a challenge ACK to our SYN: a RST may follow with this seq */
	if (old_state == TCP_CONNTRACK_SYN_SENT && seg->index == TCP_ACK_SET &&
	    dir == IP_CT_DIR_REPLY)
		state->last_ack = seg->ack;
}

/* an ACK in LAST_ACK answering a SYN noted above: a challenge, not the last ACK */
static bool tcp_is_challenge_ack(struct ip_ct_tcp *state, enum ip_conntrack_dir dir,
				 const struct tcp_segment *seg, u8 old_state)
{
	return old_state == TCP_CONNTRACK_LAST_ACK && seg->index == TCP_ACK_SET &&
	       state->last_dir != dir && state->last_index == TCP_SYN_SET &&
	       (state->last_flags & IP_CT_EXP_CHALLENGE_ACK);
}

enum tcp_rst_verdict {
	TCP_RST_CHECK_WINDOW,	/* go through the window check */
	TCP_RST_TRUST,		/* in window without checking */
	TCP_RST_INVALID,
};

/*
 * A RST (RFC 5961 3.2): it must carry exactly the sequence number the
 * other side expects next; below that it is invalid; above it, in an
 * established connection, the ends will exchange a challenge ACK, so the
 * state is kept (*new_state) and only the timeout shortened.  A RST
 * answering a segment we let through while out of sync (an ignored SYN,
 * the ACK of a half-open connection, a challenge ACK) is believed without
 * window checks, since it may ack what we never tracked.
 */
static enum tcp_rst_verdict tcp_rst_check(struct nf_conn *ct, enum ip_conntrack_dir dir,
					  const struct tcp_segment *seg, u8 old_state,
					  u8 *new_state)
{
	struct ip_ct_tcp *state = &ct->proto.tcp;
	const struct ip_ct_tcp_state *peer = &state->seen[!dir];

	/* the tuple may already be in use by a new connection: no checks */
	if (tcp_state_closing(old_state))
		return TCP_RST_TRUST;

	/* after a SYN we let through, td_maxack may be stale */
	if ((peer->flags & IP_CT_TCP_FLAG_MAXACK_SET) && state->last_index != TCP_SYN_SET) {
		bool established = tcp_established(ct);

		/* seq 0 before establishment: the answer to a SYN we let through */
		if (!seg->seq && !established)
			return TCP_RST_CHECK_WINDOW;
		if (before(seg->seq, peer->td_maxack))
			return TCP_RST_INVALID;
		if (!established || seg->seq == peer->td_maxack)
			return TCP_RST_CHECK_WINDOW;
		/* the RST ending a burst of this side's data, right after it */
		if (state->last_index == TCP_ACK_SET && state->last_dir == dir &&
		    seg->seq == state->last_end)
			return TCP_RST_CHECK_WINDOW;
		*new_state = old_state;
	}

	if (((test_bit(IPS_SEEN_REPLY_BIT, &ct->status) && state->last_index == TCP_SYN_SET) ||
	     (!test_bit(IPS_ASSURED_BIT, &ct->status) && state->last_index == TCP_ACK_SET)) &&
	    seg->ack == state->last_end)
		return TCP_RST_TRUST;

	if (old_state == TCP_CONNTRACK_SYN_SENT && state->last_index == TCP_ACK_SET &&
	    state->last_dir == IP_CT_DIR_REPLY && seg->seq == state->last_ack)
		return TCP_RST_TRUST;

	return TCP_RST_CHECK_WINDOW;
}

/*
 * The first segment of a new connection: a SYN, or with
 * nf_conntrack_tcp_loose any segment the table lets start one (an ACK),
 * which picks the connection up mid-stream with liberal window tracking,
 * since the window scale factors are unknown.
 */
static bool tcp_new(struct nf_conn *ct, const struct tcp_segment *seg)
{
	struct ip_ct_tcp *state = &ct->proto.tcp;
	struct ip_ct_tcp_state *sender = &state->seen[IP_CT_DIR_ORIGINAL];
	u8 new_state = tcp_conntracks[IP_CT_DIR_ORIGINAL][seg->index][TCP_CONNTRACK_NONE];

	if (new_state >= TCP_CONNTRACK_MAX)
		return false;
	if (new_state != TCP_CONNTRACK_SYN_SENT && !READ_ONCE(nf_ct_net.tcp_loose))
		return false;

	memset(state, 0, sizeof(*state));
	sender->td_end = seg->end;
	sender->td_maxwin = seg->win ? seg->win : 1;
	if (new_state == TCP_CONNTRACK_SYN_SENT) {
		sender->td_maxend = seg->end;
		tcp_options_parse(seg, sender);
	} else {
		sender->td_maxend = seg->end + sender->td_maxwin;
		state->seen[IP_CT_DIR_ORIGINAL].flags = IP_CT_TCP_FLAG_SACK_PERM |
							IP_CT_TCP_FLAG_BE_LIBERAL;
		state->seen[IP_CT_DIR_REPLY].flags = IP_CT_TCP_FLAG_SACK_PERM |
						     IP_CT_TCP_FLAG_BE_LIBERAL;
	}
	state->last_index = TCP_NONE_SET;
	return true;
}

/*
 * Where the segment left the connection; the lock is released here.
 * The first RST of a connection that never got an answer kills it: the
 * server refused it, keeping it would only hold the tuple.
 */
static int tcp_packet_done(struct nf_conn *ct, struct sk_buff *skb,
			   enum ip_conntrack_info ctinfo, const struct tcp_segment *seg,
			   u8 old_state, u8 new_state)
{
	enum ip_conntrack_dir dir = CTINFO2DIR(ctinfo);
	struct ip_ct_tcp *state = &ct->proto.tcp;
	u64 timeout;

	state->last_index = seg->index;
	state->last_dir = dir;
	state->state = new_state;
	if (old_state != new_state && new_state == TCP_CONNTRACK_FIN_WAIT)
		state->seen[dir].flags |= IP_CT_TCP_FLAG_CLOSE_INIT;
	timeout = tcp_pick_timeout(state, new_state, seg->index);
	spin_unlock(&ct->lock);

	if (new_state != old_state)
		nf_conntrack_event_cache(IPCT_PROTOINFO, ct);

	if (!test_bit(IPS_SEEN_REPLY_BIT, &ct->status)) {
		if (seg->index == TCP_RST_SET) {
			/* count the packet; the timeout is left as it is */
			nf_ct_refresh_acct(ct, ctinfo, skb, nf_ct_expires(ct));
			nf_ct_kill(ct);
			return NF_ACCEPT;
		}
		/*
		 * A retransmitted SYN does not extend the timeout, or a client
		 * (or NAT) reusing the port would keep the entry forever.
		 */
		if (seg->index == TCP_SYN_SET && old_state == TCP_CONNTRACK_SYN_SENT)
			return NF_ACCEPT;
		/* picked up mid-stream and never answered: not for days */
		if (new_state == TCP_CONNTRACK_ESTABLISHED)
			timeout = min(timeout, tcp_timeout_ms(TCP_CONNTRACK_UNACK));
	} else if (!test_bit(IPS_ASSURED_BIT, &ct->status) &&
		   (old_state == TCP_CONNTRACK_SYN_RECV ||
		    old_state == TCP_CONNTRACK_ESTABLISHED) &&
		   new_state == TCP_CONNTRACK_ESTABLISHED) {
		/* the handshake completed, or a picked-up connection was answered */
		set_bit(IPS_ASSURED_BIT, &ct->status);
		nf_conntrack_event_cache(IPCT_ASSURED, ct);
	}
	nf_ct_refresh_acct(ct, ctinfo, skb, timeout);
	return NF_ACCEPT;
}

/*
 * Returns NF_ACCEPT, -NF_ACCEPT (invalid: the packet goes on untracked),
 * NF_DROP, or NF_REPEAT: a SYN reopened a connection that had ended, the
 * old conntrack was killed, and the caller must look the packet up again
 * to create a new one (the kernel returns -NF_REPEAT; nf_conntrack_in()
 * takes both).
 */
int nf_conntrack_tcp_packet(struct nf_conn *ct, struct sk_buff *skb,
			    unsigned int dataoff, enum ip_conntrack_info ctinfo)
{
	enum ip_conntrack_dir dir = CTINFO2DIR(ctinfo);
	struct ip_ct_tcp *state = &ct->proto.tcp;
	struct tcp_segment seg;
	u8 old_state, new_state;

	if (tcp_segment_parse(skb, dataoff, &seg))
		return -NF_ACCEPT;
	if (!nf_ct_is_confirmed(ct) && state->state == TCP_CONNTRACK_NONE &&
	    !tcp_new(ct, &seg))
		return -NF_ACCEPT;

	spin_lock(&ct->lock);
	old_state = state->state;
	new_state = tcp_conntracks[dir][seg.index][old_state];

	switch (new_state) {
	case TCP_CONNTRACK_SYN_SENT:
		if (old_state < TCP_CONNTRACK_TIME_WAIT)
			break;
		if (tcp_may_reopen(state, dir)) {
			spin_unlock(&ct->lock);
			/* if someone else is already killing it, let them finish */
			return nf_ct_kill(ct) ? NF_REPEAT : NF_DROP;
		}
		/* a SYN in TIME_WAIT/CLOSE of an unfinished connection: ignore it */
		fallthrough;
	case TCP_CONNTRACK_IGNORE:
		if (tcp_ignored_syn_answered(state, dir, &seg)) {
			old_state = TCP_CONNTRACK_SYN_SENT;
			new_state = TCP_CONNTRACK_SYN_RECV;
			break;
		}
		tcp_note_ignored(state, dir, &seg, old_state);
		spin_unlock(&ct->lock);
		return NF_ACCEPT;
	case TCP_CONNTRACK_MAX:
		spin_unlock(&ct->lock);
		return -NF_ACCEPT;
	case TCP_CONNTRACK_TIME_WAIT:
		if (tcp_is_challenge_ack(state, dir, &seg, old_state)) {
			state->last_flags &= ~IP_CT_EXP_CHALLENGE_ACK;
			spin_unlock(&ct->lock);
			return NF_ACCEPT;
		}
		break;
	case TCP_CONNTRACK_SYN_SENT2:
		/* the table alone cannot tell a simultaneous open's last ACK */
		state->last_flags |= IP_CT_TCP_SIMULTANEOUS_OPEN;
		break;
	case TCP_CONNTRACK_SYN_RECV:
		if (dir == IP_CT_DIR_REPLY && seg.index == TCP_ACK_SET &&
		    (state->last_flags & IP_CT_TCP_SIMULTANEOUS_OPEN))
			new_state = TCP_CONNTRACK_ESTABLISHED;
		break;
	case TCP_CONNTRACK_CLOSE:
		if (seg.index != TCP_RST_SET)
			break;
		switch (tcp_rst_check(ct, dir, &seg, old_state, &new_state)) {
		case TCP_RST_INVALID:
			spin_unlock(&ct->lock);
			return -NF_ACCEPT;
		case TCP_RST_TRUST:
			return tcp_packet_done(ct, skb, ctinfo, &seg, old_state, new_state);
		case TCP_RST_CHECK_WINDOW:
			break;
		}
		break;
	default:
		break;
	}

	switch (tcp_in_window(ct, dir, &seg)) {
	case TCP_WINDOW_IGNORE:
		spin_unlock(&ct->lock);
		return NF_ACCEPT;
	case TCP_WINDOW_INVALID:
		tcp_invalid_shorten_timeout(ct, dir, seg.index);
		spin_unlock(&ct->lock);
		return -NF_ACCEPT;
	case TCP_WINDOW_ACCEPT:
		break;
	}
	return tcp_packet_done(ct, skb, ctinfo, &seg, old_state, new_state);
}

/*
 * The TCP checksum over the pseudo-header of the packet's IP header (the
 * kernel checks it on the input path; act_ct runs there).
 */
static bool tcp_checksum_bad(const struct sk_buff *skb, unsigned int dataoff, u16 l3num)
{
	const u8 *nh = skb_network_header(skb);
	unsigned int len = skb->len - dataoff;
	__wsum sum = csum_partial(skb->data + dataoff, len, 0);

	if (l3num == NFPROTO_IPV4) {
		__be32 saddr, daddr;

		memcpy(&saddr, nh + 12, sizeof(saddr));
		memcpy(&daddr, nh + 16, sizeof(daddr));
		return csum_tcpudp_magic(saddr, daddr, len, IPPROTO_TCP, sum) != 0;
	}
	if (l3num == NFPROTO_IPV6) {
		struct in6_addr saddr, daddr;

		memcpy(&saddr, nh + 8, sizeof(saddr));
		memcpy(&daddr, nh + 24, sizeof(daddr));
		return csum_ipv6_magic(&saddr, &daddr, len, IPPROTO_TCP, sum) != 0;
	}
	return false;
}

/*
 * Before the lookup: a truncated header, a bad checksum (with
 * nf_conntrack_checksum) or an impossible flag combination make the
 * packet invalid.
 */
int nf_conntrack_tcp_error(struct sk_buff *skb, unsigned int dataoff, u16 l3num)
{
	struct tcp_segment seg;

	if (tcp_segment_parse(skb, dataoff, &seg))
		return -NF_ACCEPT;
	if (READ_ONCE(nf_ct_net.checksum) && tcp_checksum_bad(skb, dataoff, l3num))
		return -NF_ACCEPT;
	return NF_ACCEPT;
}
