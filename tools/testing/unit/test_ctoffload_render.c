// SPDX-License-Identifier: GPL-2.0
/*
 * The client's rendering of trace stages and explain objects
 * (tools/ctoffload/render.c) on canned JSON, as the daemon sends it
 * (include/net/pkt_trace.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "render.h"

static char *out_buf;
static size_t out_len;

static FILE *out_open(void)
{
	free(out_buf);
	out_buf = NULL;
	return open_memstream(&out_buf, &out_len);
}

static const char first_syn[] =
	"{\"stage\":\"port_rx\",\"port\":\"ens1f0v0\",\"len\":74}\n"
	"{\"stage\":\"hw_table\",\"table\":\"chain 0 prio 1\",\"id\":10,\"fte\":3}\n"
	"{\"stage\":\"hw_actions\",\"fte\":3,\"actions\":[\"set reg_c_0[0:16]=0x0\",\"fwd table \\\"ct\\\"\"],"
	"\"regs\":{\"reg_c_0\":\"0x0\",\"reg_c_1\":\"0x0\"}}\n"
	"{\"stage\":\"hw_table\",\"table\":\"ct\",\"miss\":\"software\"}\n"
	"{\"stage\":\"hw_miss\",\"dev\":\"ens1f0_0\",\"chain\":0,\"zone_restore\":null}\n"
	"{\"stage\":\"tc_chain\",\"dev\":\"ens1f0_0\",\"chain\":0}\n"
	"{\"stage\":\"tc_filter\",\"dev\":\"ens1f0_0\",\"chain\":0,\"prio\":1,\"handle\":1,"
	"\"kind\":\"flower\",\"in_hw\":true}\n"
	"{\"stage\":\"ct\",\"zone\":0,\"tuple\":\"tcp 10.0.0.1:40000 -> 10.0.0.2:5001\","
	"\"before\":\"none\",\"after\":\"new\",\"ctinfo\":\"new\",\"nat\":\"none\","
	"\"commit\":true,\"confirmed\":false}\n"
	"{\"stage\":\"tc_action\",\"kind\":\"ct\",\"result\":\"pipe\"}\n"
	"{\"stage\":\"tc_chain\",\"dev\":\"ens1f0_0\",\"chain\":1}\n"
	"{\"stage\":\"future\",\"x\":1,\"y\":\"z\"}\n"
	"{\"stage\":\"tx\",\"dev\":\"ens1f0wire\",\"port\":\"uplink\",\"len\":74,\"data\":"
	"\"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f2021\"}\n"
	"{\"stage\":\"drop\",\"dev\":\"ens1f0_1\",\"reason\":\"tc_ingress\"}\n";

static void test_trace_text(void **state)
{
	FILE *f = out_open();

	assert_int_equal(trace_render_text(f, first_syn, sizeof(first_syn) - 1, 0), 0);
	fclose(f);
	printf("%s", out_buf);
	assert_non_null(strstr(out_buf, "port_rx      ens1f0v0, 74 bytes\n"));
	assert_non_null(strstr(out_buf, "hw           table \"chain 0 prio 1\": fte 3   "
				"set reg_c_0[0:16]=0x0, fwd table \"ct\"\n"
				"             regs reg_c_0=0x0 reg_c_1=0x0\n"));
	assert_non_null(strstr(out_buf, "hw           table \"ct\": miss -> software\n"));
	assert_non_null(strstr(out_buf, "miss         to ens1f0_0, continue at chain 0\n"));
	assert_non_null(strstr(out_buf, "tc           ens1f0_0 chain 0: flower prio 1 handle 0x1 "
				"(in_hw)\n"));
	assert_non_null(strstr(out_buf, "  ct         zone 0 tcp 10.0.0.1:40000 -> 10.0.0.2:5001: "
				"none -> new, ctinfo new, commit\n"));
	assert_null(strstr(out_buf, "id=10"));
	assert_non_null(strstr(out_buf, "  action     ct -> pipe\n"));
	assert_non_null(strstr(out_buf, "tc           ens1f0_0 chain 1: no filter matched\n"));
	assert_non_null(strstr(out_buf, "future: x=1 y=z\n"));
	assert_non_null(strstr(out_buf, "tx           ens1f0wire (port uplink) 74 bytes\n"
				"             000102030405060708090a0b0c0d0e0f"
				"101112131415161718191a1b1c1d1e1f\n"
				"             2021\n"));
	assert_non_null(strstr(out_buf, "verdict      sent out of ens1f0wire (74 bytes); "
				"dropped: tc_ingress (ens1f0_1)\n"));
}

/* an established connection, all in the model, as a dry run */
static const char all_hw[] =
	"{\"stage\":\"port_rx\",\"port\":\"ens1f0v0\",\"len\":54}\n"
	"{\"stage\":\"hw_table\",\"table\":\"chain 2 prio 1\",\"id\":7,\"fte\":10}\n"
	"{\"stage\":\"hw_actions\",\"fte\":10,\"actions\":[\"fwd uplink\"],\"regs\":null}\n"
	"{\"stage\":\"hw_table\",\"table\":\"ct\",\"id\":2,\"miss\":\"software\"}\n"
	"{\"stage\":\"hw_fwd\",\"vport\":65535,\"uplink\":true,\"encap\":true}\n"
	"{\"stage\":\"hw_fwd\",\"vport\":1,\"uplink\":false,\"encap\":false}\n"
	"{\"stage\":\"ct\",\"zone\":0,\"before\":\"none\",\"after\":\"new\",\"nat\":\"src\","
	"\"commit\":false,\"confirmed\":true}\n"
	"{\"stage\":\"stack\",\"dev\":\"ens1f0\",\"proto\":\"vxlan\","
	"\"what\":\"vxlan encap vni 98 to 7.7.7.8 via ens1f0\"}\n"
	"{\"stage\":\"stack\",\"dev\":\"ens1f0\",\"proto\":\"arp\",\"what\":\"arpless\"}\n"
	"{\"stage\":\"tx\",\"dev\":\"\",\"port\":\"ens1f0wire\",\"len\":104,\"sent\":false}\n"
	"{\"stage\":\"tx\",\"dev\":\"ens1f0\",\"port\":\"ens1f0wire\",\"len\":124,"
	"\"sent\":false}\n";

static void test_trace_hw_dry_run(void **state)
{
	FILE *f = out_open();

	assert_int_equal(trace_render_text(f, all_hw, sizeof(all_hw) - 1, 0), 0);
	fclose(f);
	printf("%s", out_buf);
	assert_string_equal(out_buf,
		"port_rx      ens1f0v0, 54 bytes\n"
		"hw           table \"chain 2 prio 1\": fte 10   fwd uplink\n"
		"hw           table \"ct\": miss -> software\n"
		"hw           fwd to the uplink, encapsulated\n"
		"hw           fwd to vport 1\n"
		"  ct         zone 0: none -> new, nat src, confirmed\n"
		"stack        ens1f0: vxlan encap vni 98 to 7.7.7.8 via ens1f0\n"
		"stack        ens1f0: arp arpless\n"
		"tx           ens1f0wire 104 bytes (dry run: not sent)\n"
		"tx           ens1f0 (port ens1f0wire) 124 bytes (dry run: not sent)\n"
		"verdict      would leave by ens1f0wire (104 bytes); "
		"and by ens1f0wire (124 bytes)\n");

	/* -v: the steering's table ids too */
	f = out_open();
	trace_render_text(f, all_hw, sizeof(all_hw) - 1, TRACE_RENDER_VERBOSE);
	fclose(f);
	assert_non_null(strstr(out_buf, "table \"chain 2 prio 1\": fte 10 id=7   fwd uplink\n"));
	assert_non_null(strstr(out_buf, "table \"ct\": miss -> software id=2\n"));
}

static void test_trace_json_and_bad_lines(void **state)
{
	static const char lines[] = "{\"stage\":\"a\"}\n{\"stage\":\"b\",\"n\":1}\n";
	static const char bad[] = "not json\n{\"stage\":\"stack\",\"dev\":\"lo\",\"proto\":\"arp\","
				  "\"what\":\"reply\"}\n";
	FILE *f = out_open();

	trace_render_json(f, lines, sizeof(lines) - 1);
	fclose(f);
	assert_string_equal(out_buf, "[{\"stage\":\"a\"},{\"stage\":\"b\",\"n\":1}]");

	f = out_open();
	assert_int_equal(trace_render_text(f, bad, sizeof(bad) - 1, 0), 1);
	fclose(f);
	assert_string_equal(out_buf, "not json\n"
			    "stack        lo: arp reply\n"
			    "verdict      neither sent nor dropped (consumed)\n");
}

static void test_explain_filter(void **state)
{
	FILE *f = out_open();

	assert_int_equal(explain_filter_render(f, "{\"dev\":\"ens1f0_0\",\"chain\":0,\"prio\":1,"
		"\"handle\":1,\"kind\":\"flower\",\"in_hw\":true,\"in_hw_count\":1,"
		"\"skip_hw\":false,\"skip_sw\":false,\"hw\":[{\"table\":\"chain 0 prio 1\","
		"\"fte\":3,\"role\":\"pre_ct\"},{\"table\":\"post_ct\",\"fte\":2,\"role\":\"post_ct\"}]}"),
		0);
	assert_int_equal(explain_filter_render(f, "{\"dev\":\"ens1f0_0\",\"chain\":2,\"prio\":1,"
		"\"handle\":1,\"kind\":\"flower\",\"in_hw\":false,\"in_hw_count\":0,"
		"\"reason\":\"ct_state +new is not offloaded\"}"), 0);
	assert_int_equal(explain_filter_render(f, "{\"dev\":\"d\",\"chain\":0,\"prio\":2,"
		"\"handle\":2,\"kind\":\"flower\",\"in_hw\":false,\"skip_hw\":true}"), 0);
	assert_int_equal(explain_filter_render(f, "{\"dev\":\"e\",\"chain\":2,\"prio\":1,"
		"\"handle\":\"0x2\",\"kind\":\"flower\",\"in_hw\":true,\"in_hw_count\":1,"
		"\"hw\":[{\"table\":\"slow\",\"fte\":4,\"role\":\"slow_path\"}]}"), 0);
	assert_int_equal(explain_filter_render(f, "{broken"), -EINVAL);
	assert_int_equal(explain_filter_render(f, "[1]"), -EINVAL);
	assert_int_equal(explain_filter_render(f, "{} trailing"), -EINVAL);
	fclose(f);
	assert_string_equal(out_buf,
		"ens1f0_0 chain 0 prio 1 handle 0x1 flower: in hardware (in_hw_count 1): "
		"pre_ct fte 3 in \"chain 0 prio 1\"; post_ct fte 2 in \"post_ct\"\n"
		"ens1f0_0 chain 2 prio 1 handle 0x1 flower: not in hardware: "
		"ct_state +new is not offloaded\n"
		"d chain 0 prio 2 handle 0x2 flower: not in hardware: skip_hw was set\n"
		"e chain 2 prio 1 handle 0x2 flower: in hardware (in_hw_count 1): "
		"slow path (encap waits for its neighbour) fte 4 in \"slow\"\n");
}

static void test_explain_conn(void **state)
{
	FILE *f = out_open();

	explain_conn_render(f, "{\"zone\":0,\"proto\":\"tcp\",\"orig\":\"10.0.0.1:40000 -> "
			    "10.0.0.2:5001\",\"reply\":\"10.0.0.2:5001 -> 10.0.0.1:40000\","
			    "\"state\":\"ESTABLISHED\",\"flowtable\":true,\"hw\":true}");
	explain_conn_render(f, "{\"zone\":0,\"proto\":\"tcp\",\"orig\":\"10.0.0.1:40001 -> "
			    "10.0.0.2:5001\",\"state\":\"SYN_SENT\",\"flowtable\":false,"
			    "\"hw\":false,\"reason\":\"TCP not yet established\"}");
	explain_conn_render(f, "{\"zone\":3,\"proto\":\"udp\",\"orig\":\"a -> b\","
			    "\"flowtable\":true,\"hw\":false,\"reason\":\"hardware table full\"}");
	fclose(f);
	assert_string_equal(out_buf,
		"zone 0 tcp 10.0.0.1:40000 -> 10.0.0.2:5001 ESTABLISHED: in hardware\n"
		"zone 0 tcp 10.0.0.1:40001 -> 10.0.0.2:5001 SYN_SENT: not in hardware: "
		"TCP not yet established\n"
		"zone 3 udp a -> b: in the flowtable (software), not in hardware: "
		"hardware table full\n");
}

static int teardown(void **state)
{
	free(out_buf);
	out_buf = NULL;
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trace_text),
		cmocka_unit_test(test_trace_hw_dry_run),
		cmocka_unit_test(test_trace_json_and_bad_lines),
		cmocka_unit_test(test_explain_filter),
		cmocka_unit_test(test_explain_conn),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}
