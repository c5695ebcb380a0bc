/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The packet builder of `ctoffload trace`: an Ethernet frame from
 * flower's own key syntax (the words `tc filter add ... flower` takes:
 * src_mac, dst_mac, vlan_id, src_ip, ip_proto, dst_port, tcp_flags,
 * enc_key_id...), plus a few words only a packet needs (seq, ack, len).
 * Unspecified fields get defaults: a TCP SYN from 10.0.0.1:40000 to
 * 10.0.0.2:5001 between 02:00:00:00:00:01 and 02:00:00:00:00:02.
 * Any enc_* key wraps the frame in Ethernet/IP/UDP/VXLAN, as it arrives
 * on the uplink from the wire.
 *
 * The same words give `trace --live` its struct fl_flow_key and mask:
 * only the keys given are masked, as flower does for a filter.
 */
#ifndef _CTO_PKTBUILD_H
#define _CTO_PKTBUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <netinet/in.h>
#include <net/flow_dissector.h>

/* the largest frame the builder makes: a jumbo payload, headers, VXLAN */
#define PKT_BUILD_MAX_PAYLOAD	9000
#define PKT_BUILD_MAX_FRAME	(PKT_BUILD_MAX_PAYLOAD + 256)

union pkt_addr {
	struct in_addr v4;
	struct in6_addr v6;
};

/* which words were given: BIT_ULL(PKT_KEY_*) in pkt_spec.given */
enum pkt_key {
	PKT_KEY_SRC_MAC,
	PKT_KEY_DST_MAC,
	PKT_KEY_VLAN_ID,
	PKT_KEY_VLAN_PRIO,
	PKT_KEY_L3,			/* proto / vlan_ethtype / an address's family */
	PKT_KEY_SRC_IP,
	PKT_KEY_DST_IP,
	PKT_KEY_IP_PROTO,
	PKT_KEY_SRC_PORT,
	PKT_KEY_DST_PORT,
	PKT_KEY_TCP_FLAGS,
	PKT_KEY_IP_TOS,
	PKT_KEY_IP_TTL,
	PKT_KEY_ICMP_TYPE,
	PKT_KEY_ICMP_CODE,
	PKT_KEY_ARP_OP,
	PKT_KEY_ARP_SHA,
	PKT_KEY_ARP_THA,
	PKT_KEY_ENC_SRC_IP,
	PKT_KEY_ENC_DST_IP,
	PKT_KEY_ENC_KEY_ID,
	PKT_KEY_ENC_SRC_PORT,
	PKT_KEY_ENC_DST_PORT,
	PKT_KEY_ENC_TOS,
	PKT_KEY_ENC_TTL,
	PKT_KEY_ENC_SRC_MAC,
	PKT_KEY_ENC_DST_MAC,
	/* packet-only words: no flow key holds them */
	PKT_KEY_SEQ,
	PKT_KEY_ACK,
	PKT_KEY_WINDOW,
	PKT_KEY_LEN,
	PKT_KEY_MAX,
};

#define PKT_KEY_ENC_ANY	(BIT_ULL(PKT_KEY_ENC_SRC_IP) | BIT_ULL(PKT_KEY_ENC_DST_IP) |	\
			 BIT_ULL(PKT_KEY_ENC_KEY_ID) | BIT_ULL(PKT_KEY_ENC_SRC_PORT) |	\
			 BIT_ULL(PKT_KEY_ENC_DST_PORT) | BIT_ULL(PKT_KEY_ENC_TOS) |	\
			 BIT_ULL(PKT_KEY_ENC_TTL) | BIT_ULL(PKT_KEY_ENC_SRC_MAC) |	\
			 BIT_ULL(PKT_KEY_ENC_DST_MAC))

struct pkt_spec {
	unsigned long long given;
	unsigned char src_mac[ETH_ALEN], dst_mac[ETH_ALEN];
	u16 vlan_id;
	u8 vlan_prio;
	u16 l3;				/* ETH_P_IP, ETH_P_IPV6, ETH_P_ARP (host order) */
	int ip_family;			/* of src_ip / dst_ip when given, else 0 */
	union pkt_addr src_ip, dst_ip;
	u8 src_plen, dst_plen;		/* prefix lengths, for --live masks */
	u8 ip_proto;
	u16 src_port, dst_port;
	u16 tcp_flags, tcp_flags_mask;
	u8 tos, tos_mask, ttl, ttl_mask;
	u8 icmp_type, icmp_type_mask, icmp_code, icmp_code_mask;
	u16 arp_op;
	unsigned char arp_sha[ETH_ALEN], arp_tha[ETH_ALEN];
	u32 seq, ack;
	u16 window;
	unsigned int payload_len;
	/* the VXLAN encapsulation, when any enc_* key is given */
	int enc_family;			/* AF_INET / AF_INET6 */
	union pkt_addr enc_src_ip, enc_dst_ip;
	u8 enc_src_plen, enc_dst_plen;
	u32 enc_key_id;
	u16 enc_src_port, enc_dst_port;
	u8 enc_tos, enc_tos_mask, enc_ttl, enc_ttl_mask;
	unsigned char enc_src_mac[ETH_ALEN], enc_dst_mac[ETH_ALEN];
	char err[160];			/* why pkt_spec_parse() failed, as tc says it */
};

/* the family (AF_INET / AF_INET6) of the inner IP header; 0 for ARP */
int pkt_spec_family(const struct pkt_spec *spec);

/* is this word one of the builder's keys (flower's or the packet-only ones)? */
bool pkt_key_known(const char *word);

/*
 * Parse the words of argv (KEY VALUE pairs) into spec, over the defaults.
 * Returns 0, or -EINVAL with the reason in spec->err ("Illegal \"src_ip\"").
 */
int pkt_spec_parse(struct pkt_spec *spec, int argc, char **argv);

/* the frame into buf; its length, or -ENOSPC */
int pkt_build(const struct pkt_spec *spec, unsigned char *buf, size_t size);

/*
 * The flow key and mask of the keys given (--live): what flower would
 * hold for a filter with these keys.  -EINVAL (spec->err) for a
 * packet-only word such as seq.
 */
int pkt_spec_flow_key(struct pkt_spec *spec, struct fl_flow_key *key,
		      struct fl_flow_key *mask);

/* the Internet checksum of len bytes, folded, starting from sum */
u16 pkt_csum(const void *data, size_t len, u32 sum);

#endif
