// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for skb_gso_segment_frame(): what a TAP with
 * IFF_VNET_HDR hands over (a virtio_net_hdr, then the frame) is read
 * by the TAP port as it is, from any host program.
 *
 * The input is the header (10 bytes) and the frame, copied into a buffer
 * of exactly its size so that ASan sees any read past it.  Every segment
 * made must fit its skb and be given back; the pool must end full.
 *
 * Seeds: tools/testing/fuzz/corpus/gso/ (tools/testing/fuzz/make_gso_seeds.py).
 */
#include <stdlib.h>
#include <string.h>
#include <net/gso.h>

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

static struct skb_pool pool;

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct sk_buff *segs[128];
	struct virtio_net_hdr vh;
	u8 *frame;
	int i, n;

	if (!pool.size) {
		if (skb_pool_init(&pool, 160))
			abort();
		skb_local_pool = &pool;
	}
	if (size < sizeof(vh) || size > sizeof(vh) + 65600)
		return -1;
	memcpy(&vh, data, sizeof(vh));
	size -= sizeof(vh);
	frame = malloc(size ? size : 1);
	if (!frame)
		abort();
	memcpy(frame, data + sizeof(vh), size);
	n = skb_gso_segment_frame(frame, size, &vh, &pool, segs, 128);
	for (i = 0; i < n; i++) {
		if (segs[i]->len > SKB_DATA_MAX)
			abort();
		kfree_skb(segs[i]);
	}
	free(frame);
	if (pool.nfree != pool.size)
		abort();
	return 0;
}
