// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc: KUnit suites for the pure logic of kmod/kipc_logic.h: name
 * validation, size and overflow arithmetic, the priority index of a queue
 * and deadline conversion. Built as kipc_kunit.ko only against a kernel with
 * CONFIG_KUNIT (the Tier B kernel of `make check-debug`); loading it runs
 * the suites. It needs nothing from kipc.ko.
 *
 * The cases are shared with the host-side test, selftests/unit/.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/string.h>

#include "kipc_logic_cases.h"

static void kipc_name_test(struct kunit *test)
{
	char buf[KIPC_NAME_MAX + 2];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kipc_name_cases); i++) {
		const struct kipc_name_case *c = &kipc_name_cases[i];
		const char *name = c->name;

		if (!name) {
			memset(buf, 'a', sizeof(buf));
			name = buf;
		}
		KUNIT_EXPECT_EQ_MSG(test, kipc_name_check(name, c->len),
				    c->want, "%s", c->desc);
	}
}

static void kipc_msg_class_test(struct kunit *test)
{
	unsigned int i, class;

	for (i = 0; i < ARRAY_SIZE(kipc_msg_class_cases); i++) {
		const struct kipc_msg_class_case *c = &kipc_msg_class_cases[i];

		class = kipc_msg_class(c->size);
		KUNIT_EXPECT_EQ_MSG(test, class, c->want, "%s", c->desc);
		if (class < KIPC_MSG_CLASSES)
			KUNIT_EXPECT_LE_MSG(test, c->size,
					    (u64)kipc_msg_class_size(class),
					    "%s", c->desc);
	}
	/* The classes grow, so the first that fits is the smallest. */
	for (i = 1; i < KIPC_MSG_CLASSES; i++)
		KUNIT_EXPECT_GT(test, kipc_msg_class_size(i),
				kipc_msg_class_size(i - 1));
	KUNIT_EXPECT_EQ(test, kipc_msg_class_size(KIPC_MSG_CLASSES - 1),
			4096U);
}

static void kipc_mq_charge_test(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kipc_mq_charge_cases); i++) {
		const struct kipc_mq_charge_case *c = &kipc_mq_charge_cases[i];

		KUNIT_EXPECT_EQ_MSG(test,
				    kipc_mq_charge(c->max_msgs, c->max_msgsize),
				    c->want, "%s", c->desc);
	}
	for (i = 0; i < ARRAY_SIZE(kipc_vec_cases); i++) {
		const struct kipc_vec_case *c = &kipc_vec_cases[i];

		KUNIT_EXPECT_EQ_MSG(test, kipc_mq_vec_check(c->count), c->want,
				    "%s", c->desc);
	}
}

static void kipc_shm_size_test(struct kunit *test)
{
	unsigned int i;
	bool ok;

	for (i = 0; i < ARRAY_SIZE(kipc_shm_size_cases); i++) {
		const struct kipc_shm_size_case *c = &kipc_shm_size_cases[i];

		ok = kipc_shm_size_ok(c->size, c->max);
		KUNIT_EXPECT_EQ_MSG(test, ok, c->want_ok, "%s", c->desc);
		if (ok)
			KUNIT_EXPECT_EQ_MSG(test, kipc_shm_charge(c->size),
					    c->want_charge, "%s", c->desc);
	}
}

static void kipc_limit_test(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kipc_limit_cases); i++) {
		const struct kipc_limit_case *c = &kipc_limit_cases[i];

		KUNIT_EXPECT_EQ_MSG(test,
				    kipc_over_limit(c->used, c->more, c->max),
				    c->want, "%s", c->desc);
	}
}

static void kipc_prio_edges_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, kipc_prio_edges_check(), 0);
}

static void kipc_prio_model_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, kipc_prio_model_run(1, 100000), -1L);
	KUNIT_EXPECT_EQ(test, kipc_prio_model_run(0xdeadbeef, 100000), -1L);
}

static void kipc_deadline_check_test(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kipc_deadline_cases); i++) {
		const struct kipc_deadline_case *c = &kipc_deadline_cases[i];

		KUNIT_EXPECT_EQ_MSG(test,
				    kipc_deadline_check(c->flags, c->clockid,
							c->deadline),
				    c->want, "%s", c->desc);
	}
}

static void kipc_deadline_reached_test(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kipc_reached_cases); i++) {
		const struct kipc_reached_case *c = &kipc_reached_cases[i];

		KUNIT_EXPECT_EQ_MSG(test,
				    kipc_deadline_reached(c->now, c->expires),
				    c->want, "%s", c->desc);
	}
}

static struct kunit_case kipc_name_cases_k[] = {
	KUNIT_CASE(kipc_name_test),
	{}
};

static struct kunit_case kipc_size_cases_k[] = {
	KUNIT_CASE(kipc_msg_class_test),
	KUNIT_CASE(kipc_mq_charge_test),
	KUNIT_CASE(kipc_shm_size_test),
	KUNIT_CASE(kipc_limit_test),
	{}
};

static struct kunit_case kipc_prio_cases_k[] = {
	KUNIT_CASE(kipc_prio_edges_test),
	KUNIT_CASE(kipc_prio_model_test),
	{}
};

static struct kunit_case kipc_deadline_cases_k[] = {
	KUNIT_CASE(kipc_deadline_check_test),
	KUNIT_CASE(kipc_deadline_reached_test),
	{}
};

static struct kunit_suite kipc_name_suite = {
	.name = "kipc_name",
	.test_cases = kipc_name_cases_k,
};

static struct kunit_suite kipc_size_suite = {
	.name = "kipc_size",
	.test_cases = kipc_size_cases_k,
};

static struct kunit_suite kipc_prio_suite = {
	.name = "kipc_prio",
	.test_cases = kipc_prio_cases_k,
};

static struct kunit_suite kipc_deadline_suite = {
	.name = "kipc_deadline",
	.test_cases = kipc_deadline_cases_k,
};

kunit_test_suites(&kipc_name_suite, &kipc_size_suite, &kipc_prio_suite,
		  &kipc_deadline_suite);

MODULE_DESCRIPTION("kipc: KUnit suites for the pure logic");
MODULE_LICENSE("GPL");
