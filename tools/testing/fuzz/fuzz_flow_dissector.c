// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for skb_flow_dissect_fl().
 *
 * The input is one frame.  It is copied into a buffer of exactly its size
 * so that ASan reports any read past skb->data + skb->len; libFuzzer's own
 * input buffer could hide a small overread behind its allocation.
 *
 * Seeds: tools/testing/fuzz/corpus/flow_dissector/ (written by
 * test_flow_dissector --write-corpus).
 */
#include <stdlib.h>

#include <linux/skbuff.h>
#include <net/flow_dissector.h>

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fl_flow_key key;
	struct sk_buff skb;
	u8 *buf;
	int ret;

	/* a pool buffer holds at most SKB_DATA_MAX bytes of frame */
	if (size > SKB_DATA_MAX)
		return -1;
	buf = malloc(size ? size : 1);
	if (!buf)
		return -1;
	memcpy(buf, data, size);
	memset(&skb, 0, sizeof(skb));
	memset(&key, 0, sizeof(key));
	skb.head = buf;
	skb.data = buf;
	skb.len = size;
	ret = skb_flow_dissect_fl(&skb, &key);
	if (ret != 0 && ret != -EINVAL)
		abort();
	/* on success the offsets must point inside the frame */
	if (!ret && (skb.network_header > size || skb.transport_header > size ||
		     key.control.thoff != skb.transport_header))
		abort();
	free(buf);
	return 0;
}
