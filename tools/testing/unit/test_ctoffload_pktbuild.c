// SPDX-License-Identifier: GPL-2.0
/*
 * The packet builder of `ctoffload trace` (tools/ctoffload/pktbuild.c):
 * exact bytes of the frames flower's keys make, their checksums checked
 * by a second, independent sum, the flow key of --live, the errors, and
 * one frame read back by tcpdump when it is installed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <cmocka.h>
#include <pcap/pcap.h>
#include "pktbuild.h"

static unsigned char frame[PKT_BUILD_MAX_FRAME];

/* build from a space-separated key list; the frame's length */
static int build(const char *words, struct pkt_spec *spec)
{
	char *copy = strdup(words), *argv[64], *tok, *save = NULL;
	int argc = 0, ret;

	for (tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	ret = pkt_spec_parse(spec, argc, argv);
	if (!ret)
		ret = pkt_build(spec, frame, sizeof(frame));
	free(copy);
	return ret;
}

static const char *parse_error(const char *words)
{
	static struct pkt_spec spec;

	assert_int_equal(build(words, &spec), -EINVAL);
	return spec.err;
}

/* the ones' complement sum, written apart from pktbuild's own */
static uint16_t sum16(const unsigned char *a, size_t alen, const unsigned char *b, size_t blen)
{
	uint64_t s = 0;
	size_t i;

	for (i = 0; i < alen; i++)
		s += i & 1 ? a[i] : a[i] << 8;
	for (i = 0; i < blen; i++)
		s += i & 1 ? b[i] : b[i] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return s;
}

/* an L4 checksum over its pseudo-header sums to 0xffff when right */
static void assert_l4_csum_ok(int family, const unsigned char *ip, const unsigned char *l4,
			      size_t len, unsigned char proto)
{
	unsigned char ph[40] = {};
	size_t phlen;

	if (family == AF_INET) {
		memcpy(ph, ip + 12, 8);
		ph[9] = proto;
		ph[10] = len >> 8;
		ph[11] = len;
		phlen = 12;
	} else {
		memcpy(ph, ip + 8, 32);
		ph[34] = len >> 8;
		ph[35] = len;
		ph[39] = proto;
		phlen = 40;
	}
	assert_int_equal(sum16(ph, phlen, l4, len), 0xffff);
}

static void test_defaults_tcp_syn(void **state)
{
	static const unsigned char head[] = {
		0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00,
		/* IPv4: tos 0, len 60, id 0, DF, ttl 64, tcp, (csum), 10.0.0.1 > 10.0.0.2 */
		0x45, 0x00, 0x00, 60, 0x00, 0x00, 0x40, 0x00, 64, 6,
	};
	static const unsigned char tcp[] = {
		0x9c, 0x40, 0x13, 0x89,		/* 40000 > 5001 */
		0, 0, 0, 1, 0, 0, 0, 0,		/* seq 1, ack 0 */
		0xa0, 0x02, 0xfa, 0xf0,		/* doff 10, SYN, window 64240 */
	};
	static const unsigned char opts[] = {
		2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7,
	};
	struct pkt_spec spec;
	int len = build("", &spec);

	assert_int_equal(len, 74);
	assert_memory_equal(frame, head, sizeof(head));
	assert_memory_equal(frame + 26, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
	assert_int_equal(sum16(frame + 14, 20, NULL, 0), 0xffff);
	assert_memory_equal(frame + 34, tcp, sizeof(tcp));
	assert_memory_equal(frame + 54, opts, sizeof(opts));
	assert_l4_csum_ok(AF_INET, frame + 14, frame + 34, 40, 6);
}

static void test_tcp_keys(void **state)
{
	struct pkt_spec spec;
	int len = build("src_mac 24:8a:07:a5:28:01 src_ip 192.168.1.10 dst_ip 192.168.1.20 "
			"ip_proto tcp src_port 1234 dst_port 80 tcp_flags 0x10/0xff seq 100 "
			"ip_tos 0x10 ip_ttl 5 len 5", &spec);

	/* not a SYN: no options; ACK given so ack defaults to 1 */
	assert_int_equal(len, 14 + 20 + 20 + 5);
	assert_memory_equal(frame + 6, "\x24\x8a\x07\xa5\x28\x01", 6);
	assert_int_equal(frame[15], 0x10);
	assert_int_equal(frame[22], 5);
	assert_memory_equal(frame + 34, "\x04\xd2\x00\x50\x00\x00\x00\x64\x00\x00\x00\x01\x50\x10",
			    14);
	assert_int_equal(sum16(frame + 14, 20, NULL, 0), 0xffff);
	assert_l4_csum_ok(AF_INET, frame + 14, frame + 34, 25, 6);
}

static void test_udp_ipv6(void **state)
{
	struct pkt_spec spec;
	int len = build("src_ip 2001:db8::1 dst_ip 2001:db8::2 ip_proto udp src_port 5353 "
			"dst_port 53 len 10 ip_ttl 7", &spec);
	struct in6_addr a;

	assert_int_equal(len, 14 + 40 + 8 + 10);
	assert_memory_equal(frame + 12, "\x86\xdd\x60\x00\x00\x00\x00\x12\x11\x07", 10);
	inet_pton(AF_INET6, "2001:db8::1", &a);
	assert_memory_equal(frame + 22, &a, 16);
	inet_pton(AF_INET6, "2001:db8::2", &a);
	assert_memory_equal(frame + 38, &a, 16);
	assert_memory_equal(frame + 54, "\x14\xe9\x00\x35\x00\x12", 6);
	assert_l4_csum_ok(AF_INET6, frame + 14, frame + 54, 18, 17);
}

static void test_icmp_echo(void **state)
{
	struct pkt_spec spec;
	int len = build("ip_proto icmp type 8 code 0 seq 3", &spec);

	assert_int_equal(len, 14 + 20 + 8);
	assert_int_equal(frame[23], 1);
	assert_memory_equal(frame + 34, "\x08\x00", 2);
	assert_memory_equal(frame + 38, "\x00\x01\x00\x03", 4);
	assert_int_equal(sum16(frame + 34, 8, NULL, 0), 0xffff);

	/* ICMPv6 echo by default, its checksum over the pseudo-header */
	len = build("proto ipv6 ip_proto icmpv6", &spec);
	assert_int_equal(len, 14 + 40 + 8);
	assert_int_equal(frame[54], 128);
	assert_l4_csum_ok(AF_INET6, frame + 14, frame + 54, 8, 58);
}

static void test_arp_request(void **state)
{
	static const unsigned char want[] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x06,
		0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01,
		0x02, 0, 0, 0, 0, 0x01, 10, 0, 0, 1,
		0, 0, 0, 0, 0, 0, 10, 0, 0, 2,
	};
	struct pkt_spec spec;

	assert_int_equal(build("proto arp arp_op request src_ip 10.0.0.1 dst_ip 10.0.0.2", &spec),
			 sizeof(want));
	assert_memory_equal(frame, want, sizeof(want));

	/* a reply goes to dst_mac, which is also the target's hardware address */
	assert_int_equal(build("proto arp arp_op reply dst_mac 02:00:00:00:00:09", &spec), 42);
	assert_memory_equal(frame, "\x02\x00\x00\x00\x00\x09", 6);
	assert_int_equal(frame[21], 2);
	assert_memory_equal(frame + 32, "\x02\x00\x00\x00\x00\x09", 6);
}

static void test_vlan(void **state)
{
	struct pkt_spec spec;
	int len = build("vlan_id 100 vlan_prio 3 vlan_ethtype ipv4", &spec);

	assert_int_equal(len, 78);
	assert_memory_equal(frame + 12, "\x81\x00\x60\x64\x08\x00\x45", 7);
	assert_l4_csum_ok(AF_INET, frame + 18, frame + 38, 40, 6);
}

static void test_vxlan(void **state)
{
	static unsigned char inner[PKT_BUILD_MAX_FRAME];
	static const unsigned char outer[] = {
		0x02, 0, 0, 0, 0x01, 0x01, 0x02, 0, 0, 0, 0x01, 0x02, 0x08, 0x00,
		0x45, 0x00, 0x00, 20 + 8 + 8 + 74, 0, 0, 0, 0, 64, 17,
	};
	struct pkt_spec spec;
	int inner_len, len;

	inner_len = build("src_ip 10.0.0.2 dst_ip 10.0.0.1 src_port 5001 dst_port 40000 "
			  "tcp_flags 0x12", &spec);
	memcpy(inner, frame, inner_len);
	len = build("src_ip 10.0.0.2 dst_ip 10.0.0.1 src_port 5001 dst_port 40000 "
		    "tcp_flags 0x12 enc_src_ip 7.7.7.8 enc_dst_ip 7.7.7.7 enc_key_id 98 "
		    "enc_dst_port 4789 enc_ttl 64", &spec);
	assert_int_equal(len, 50 + inner_len);
	assert_memory_equal(frame, outer, sizeof(outer));
	assert_memory_equal(frame + 26, "\x07\x07\x07\x08\x07\x07\x07\x07", 8);
	assert_int_equal(sum16(frame + 14, 20, NULL, 0), 0xffff);
	/* UDP 49152 > 4789, no checksum over IPv4 (Linux's vxlan default) */
	assert_memory_equal(frame + 34, "\xc0\x00\x12\xb5\x00\x5a\x00\x00", 8);
	/* VXLAN: the I flag, VNI 98 */
	assert_memory_equal(frame + 42, "\x08\x00\x00\x00\x00\x00\x62\x00", 8);
	assert_memory_equal(frame + 50, inner, inner_len);

	/* IPv6 underlay: the outer UDP checksum is a real one */
	len = build("enc_src_ip 2001:db8::8 enc_dst_ip 2001:db8::7 enc_key_id 5", &spec);
	assert_int_equal(len, 70 + 74);
	assert_memory_equal(frame + 12, "\x86\xdd", 2);
	assert_int_equal(frame[20], 17);
	assert_memory_equal(frame + 62, "\x08\x00\x00\x00\x00\x00\x05\x00", 8);
	assert_l4_csum_ok(AF_INET6, frame + 14, frame + 54, 8 + 8 + 74, 17);
}

static void test_errors(void **state)
{
	assert_string_equal(parse_error("src_ip 10.0.0"), "Illegal \"src_ip\"");
	assert_string_equal(parse_error("bogus 1"), "What is \"bogus\"?");
	assert_string_equal(parse_error("dst_port"),
			    "Command line is not complete: \"dst_port\" needs a value");
	assert_string_equal(parse_error("dst_port 65536"), "Illegal \"dst_port\"");
	assert_string_equal(parse_error("vlan_id 4096"), "Illegal \"vlan_id\"");
	assert_string_equal(parse_error("src_mac 02:00:00:00:00"), "Illegal \"src_mac\"");
	assert_string_equal(parse_error("ip_proto icmp dst_port 80"),
			    "Illegal \"dst_port\" for this ip_proto");
	assert_string_equal(parse_error("ip_proto udp tcp_flags 0x2"),
			    "Illegal \"tcp_flags\": ip_proto is not tcp");
	assert_string_equal(parse_error("src_ip 2001:db8::1 ip_proto icmp"),
			    "Illegal \"ip_proto\": icmp in an IPv6 packet");
	assert_string_equal(parse_error("src_ip 10.0.0.1 dst_ip 2001:db8::1"),
			    "Illegal \"dst_ip\": IPv6 address with an IPv4 peer");
	assert_string_equal(parse_error("proto ipv6 src_ip 10.0.0.1"),
			    "Illegal \"src_ip\": an IPv4 address in an IPv6 packet");
	assert_string_equal(parse_error("proto arp dst_port 1"),
			    "Illegal \"dst_port\" for an ARP packet");
	assert_string_equal(parse_error("tcp_flags 0x12/zz"), "Illegal \"tcp_flags\" mask");
	assert_string_equal(parse_error("src_port 1 src_port 2"),
			    "Illegal \"src_port\": given twice");
}

static void test_live_key(void **state)
{
	struct fl_flow_key key, mask;
	struct pkt_spec spec;
	char *argv[] = { "src_ip", "10.0.1.7/24", "dst_port", "80", "tcp_flags", "0x12/0x12",
			 "enc_key_id", "98" };
	char *frame_only[] = { "seq", "5" };

	assert_int_equal(pkt_spec_parse(&spec, 8, argv), 0);
	assert_int_equal(pkt_spec_flow_key(&spec, &key, &mask), 0);
	assert_int_equal(key.basic.n_proto, htons(0x0800));
	assert_int_equal(mask.basic.n_proto, 0xffff);
	assert_int_equal(key.basic.ip_proto, 6);
	assert_int_equal(mask.basic.ip_proto, 0xff);
	assert_int_equal(key.control.addr_type, FLOW_DISSECTOR_KEY_IPV4_ADDRS);
	assert_int_equal(key.ipv4.src, inet_addr("10.0.1.0"));
	assert_int_equal(mask.ipv4.src, inet_addr("255.255.255.0"));
	assert_int_equal(mask.ipv4.dst, 0);
	assert_int_equal(key.tp.dst, htons(80));
	assert_int_equal(mask.tp.src, 0);
	assert_int_equal(key.tcp.flags, htons(0x12));
	assert_int_equal(mask.tcp.flags, htons(0x12));
	assert_int_equal(key.enc_key_id.keyid, htonl(98));
	/* nothing else is matched */
	assert_int_equal(mask.eth.src[0] | mask.eth.dst[0] | mask.vlan.vlan_tpid | mask.ip.ttl, 0);

	assert_int_equal(pkt_spec_parse(&spec, 2, frame_only), 0);
	assert_int_equal(pkt_spec_flow_key(&spec, &key, &mask), -EINVAL);
	assert_string_equal(spec.err, "\"seq\" is not a flow key: --live cannot match it");
}

/* tcpdump reads the default SYN back with correct checksums */
static void test_tcpdump(void **state)
{
	char path[] = "/tmp/test_ctoffload_pktbuild.XXXXXX", cmd[256], out[1024] = "";
	struct pcap_pkthdr hdr = {};
	struct pkt_spec spec;
	pcap_dumper_t *dumper;
	size_t n;
	pcap_t *p;
	FILE *f;
	int fd, len;

	if (access("/usr/bin/tcpdump", X_OK) && access("/usr/sbin/tcpdump", X_OK))
		skip();
	len = build("ip_proto tcp", &spec);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	p = pcap_open_dead(DLT_EN10MB, 65535);
	dumper = pcap_dump_open(p, path);
	assert_non_null(dumper);
	hdr.caplen = hdr.len = len;
	pcap_dump((u_char *)dumper, &hdr, frame);
	pcap_dump_close(dumper);
	pcap_close(p);

	snprintf(cmd, sizeof(cmd), "tcpdump -nvv -r %s 2>/dev/null", path);
	f = popen(cmd, "r");
	assert_non_null(f);
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	pclose(f);
	unlink(path);
	assert_non_null(strstr(out, "10.0.0.1.40000 > 10.0.0.2.5001: Flags [S]"));
	assert_non_null(strstr(out, "cksum"));
	assert_null(strstr(out, "incorrect"));
	assert_non_null(strstr(out, "mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_tcp_syn),
		cmocka_unit_test(test_tcp_keys),
		cmocka_unit_test(test_udp_ipv6),
		cmocka_unit_test(test_icmp_echo),
		cmocka_unit_test(test_arp_request),
		cmocka_unit_test(test_vlan),
		cmocka_unit_test(test_vxlan),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_live_key),
		cmocka_unit_test(test_tcpdump),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
