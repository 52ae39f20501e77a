// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host-side unit test of kmod/kipc_logic.h: the same cases as the KUnit
 * suites (kmod/tests/kipc_logic_cases.h), built for the build machine and run
 * by `make check` before the guest boots. Prints TAP; exits 1 on a failure.
 */
#include <stdio.h>
#include <string.h>

#include "../../kmod/tests/kipc_logic_cases.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static int nr, nfail;

static void result(bool ok, const char *group, const char *desc)
{
	nr++;
	if (!ok)
		nfail++;
	printf("%s %d %s: %s\n", ok ? "ok" : "not ok", nr, group, desc);
}

static unsigned int count_cases(void)
{
	return ARRAY_SIZE(kipc_name_cases) + ARRAY_SIZE(kipc_msg_class_cases) +
	       ARRAY_SIZE(kipc_mq_charge_cases) + ARRAY_SIZE(kipc_vec_cases) +
	       ARRAY_SIZE(kipc_shm_size_cases) + ARRAY_SIZE(kipc_limit_cases) +
	       ARRAY_SIZE(kipc_deadline_cases) +
	       ARRAY_SIZE(kipc_reached_cases) + 2;
}

int main(void)
{
	char buf[KIPC_NAME_MAX + 2];
	unsigned int i;

	printf("TAP version 13\n1..%u\n", count_cases());

	for (i = 0; i < ARRAY_SIZE(kipc_name_cases); i++) {
		const struct kipc_name_case *c = &kipc_name_cases[i];
		const char *name = c->name;

		if (!name) {
			memset(buf, 'a', sizeof(buf));
			name = buf;
		}
		result(kipc_name_check(name, c->len) == c->want, "name",
		       c->desc);
	}
	for (i = 0; i < ARRAY_SIZE(kipc_msg_class_cases); i++) {
		const struct kipc_msg_class_case *c = &kipc_msg_class_cases[i];
		unsigned int class = kipc_msg_class(c->size);

		result(class == c->want &&
		       (class == KIPC_MSG_CLASSES ||
			c->size <= kipc_msg_class_size(class)),
		       "msg class", c->desc);
	}
	for (i = 0; i < ARRAY_SIZE(kipc_mq_charge_cases); i++) {
		const struct kipc_mq_charge_case *c = &kipc_mq_charge_cases[i];

		result(kipc_mq_charge(c->max_msgs, c->max_msgsize) == c->want,
		       "mq charge", c->desc);
	}
	for (i = 0; i < ARRAY_SIZE(kipc_vec_cases); i++) {
		const struct kipc_vec_case *c = &kipc_vec_cases[i];

		result(kipc_mq_vec_check(c->count) == c->want, "vec count",
		       c->desc);
	}
	for (i = 0; i < ARRAY_SIZE(kipc_shm_size_cases); i++) {
		const struct kipc_shm_size_case *c = &kipc_shm_size_cases[i];
		bool ok = kipc_shm_size_ok(c->size, c->max);

		result(ok == c->want_ok &&
		       (!ok || kipc_shm_charge(c->size) == c->want_charge),
		       "shm size", c->desc);
	}
	for (i = 0; i < ARRAY_SIZE(kipc_limit_cases); i++) {
		const struct kipc_limit_case *c = &kipc_limit_cases[i];

		result(kipc_over_limit(c->used, c->more, c->max) == c->want,
		       "limit", c->desc);
	}
	for (i = 0; i < ARRAY_SIZE(kipc_deadline_cases); i++) {
		const struct kipc_deadline_case *c = &kipc_deadline_cases[i];

		result(kipc_deadline_check(c->flags, c->clockid,
					   c->deadline) == c->want,
		       "deadline", c->desc);
	}
	for (i = 0; i < ARRAY_SIZE(kipc_reached_cases); i++) {
		const struct kipc_reached_case *c = &kipc_reached_cases[i];

		result(kipc_deadline_reached(c->now, c->expires) == c->want,
		       "deadline reached", c->desc);
	}
	result(kipc_prio_edges_check() == 0, "prio index",
	       "each priority alone and all 32");
	result(kipc_prio_model_run(1, 100000) == -1, "prio index",
	       "100000 seeded sends and receives against a model");

	printf("# host unit: %d passed, %d failed\n", nr - nfail, nfail);
	return nfail ? 1 : 0;
}
