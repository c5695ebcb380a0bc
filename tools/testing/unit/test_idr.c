// SPDX-License-Identifier: GPL-2.0
/* lib/idr.c: lowest-free allocation, exact ids, order, removal. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <linux/idr.h>

static int v[8];

static void test_lowest_free_from_one(void **state)
{
	struct idr idr = {};	/* zeroed, as in a kzalloc'd owner */
	u32 id;
	int i;

	for (i = 1; i <= 5; i++) {
		id = 1;
		assert_int_equal(idr_alloc_u32(&idr, &v[i], &id, INT32_MAX, GFP_KERNEL), 0);
		assert_int_equal(id, i);
	}
	/* a hole is filled first, then allocation continues above */
	assert_ptr_equal(idr_remove(&idr, 2), &v[2]);
	id = 1;
	assert_int_equal(idr_alloc_u32(&idr, &v[6], &id, INT32_MAX, GFP_KERNEL), 0);
	assert_int_equal(id, 2);
	id = 1;
	assert_int_equal(idr_alloc_u32(&idr, &v[7], &id, INT32_MAX, GFP_KERNEL), 0);
	assert_int_equal(id, 6);
	assert_int_equal(idr.nr, 6);
	idr_destroy(&idr);
}

static void test_exact_id(void **state)
{
	struct idr idr = IDR_INIT;
	u32 id = 1000;

	assert_int_equal(idr_alloc_u32(&idr, &v[0], &id, 1000, GFP_KERNEL), 0);
	assert_int_equal(id, 1000);
	id = 1000;
	assert_int_equal(idr_alloc_u32(&idr, &v[1], &id, 1000, GFP_KERNEL), -ENOSPC);
	assert_ptr_equal(idr_find(&idr, 1000), &v[0]);
	assert_null(idr_find(&idr, 999));
	/* an exact id far up does not move "lowest free" */
	id = 1;
	assert_int_equal(idr_alloc_u32(&idr, &v[2], &id, INT32_MAX, GFP_KERNEL), 0);
	assert_int_equal(id, 1);
	assert_ptr_equal(idr_replace(&idr, &v[3], 1000), &v[0]);
	assert_ptr_equal(idr_find(&idr, 1000), &v[3]);
	assert_true(IS_ERR(idr_replace(&idr, &v[3], 7)));
	idr_destroy(&idr);
}

static void test_order_and_remove(void **state)
{
	static const u32 ids[] = { 0x10000, 5, 300, 0xfffffffe, 1 };
	struct idr idr = IDR_INIT;
	unsigned long id;
	u32 prev = 0, n = 0;
	void *p;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		u32 x = ids[i];

		assert_int_equal(idr_alloc_u32(&idr, &v[i], &x, ids[i], GFP_KERNEL), 0);
	}
	idr_for_each_entry_ul(&idr, p, id) {
		assert_true(!n || id > prev);
		prev = id;
		n++;
	}
	assert_int_equal(n, ARRAY_SIZE(ids));
	for (i = 0; i < ARRAY_SIZE(ids); i++)
		assert_ptr_equal(idr_remove(&idr, ids[i]), &v[i]);
	assert_null(idr_remove(&idr, 5));
	assert_true(idr_is_empty(&idr));
	assert_null(idr.root);	/* emptied nodes are freed */
}

static void test_many(void **state)
{
	struct idr idr = IDR_INIT;
	u32 i, id;

	for (i = 1; i <= 100000; i++) {
		id = 1;
		assert_int_equal(idr_alloc_u32(&idr, &v[0], &id, INT32_MAX, GFP_KERNEL), 0);
		assert_int_equal(id, i);
	}
	for (i = 1; i <= 100000; i += 2)
		idr_remove(&idr, i);
	id = 1;
	assert_int_equal(idr_alloc_u32(&idr, &v[0], &id, INT32_MAX, GFP_KERNEL), 0);
	assert_int_equal(id, 1);
	idr_destroy(&idr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lowest_free_from_one),
		cmocka_unit_test(test_exact_id),
		cmocka_unit_test(test_order_and_remove),
		cmocka_unit_test(test_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
