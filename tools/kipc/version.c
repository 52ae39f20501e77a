// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc version: what the tool was built for against what the loaded module
 * speaks, through both of its interfaces: the /dev/kipc ioctls and the
 * netlink family.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "kipc-tool.h"

static const struct {
	uint64_t bit;
	const char *name;
} kt_features[] = {
	{ KIPC_FEATURE_MQ, "mq" },
	{ KIPC_FEATURE_SHM, "shm" },
	{ KIPC_FEATURE_SEM, "sem" },
	{ KIPC_FEATURE_NETLINK, "netlink" },
};

static void kt_print_features(uint64_t features)
{
	size_t i;

	printf("features:");
	for (i = 0; i < ARRAY_SIZE(kt_features); i++) {
		if (features & kt_features[i].bit) {
			printf(" %s", kt_features[i].name);
			features &= ~kt_features[i].bit;
		}
	}
	/* Bits of a newer module than this tool knows. */
	if (features)
		printf(" 0x%" PRIx64, features);
	printf("\n");
}

/* The features as a JSON array of names; unknown bits as numbers. */
static void kt_json_features(uint64_t features)
{
	const char *sep = "";
	size_t i;
	int bit;

	printf("[");
	for (i = 0; i < ARRAY_SIZE(kt_features); i++) {
		if (features & kt_features[i].bit) {
			printf("%s\"%s\"", sep, kt_features[i].name);
			features &= ~kt_features[i].bit;
			sep = ", ";
		}
	}
	for (bit = 0; bit < 64; bit++)
		if (features & (1ULL << bit)) {
			printf("%s\"0x%" PRIx64 "\"", sep, (uint64_t)1 << bit);
			sep = ", ";
		}
	printf("]");
}

/*
 * -J: one object, {"tool": ..., "tool_abi": N, "module": {...} or null,
 * "netlink": {...} or null}; a part kipc could not get is null, and the
 * reason goes to standard error with exit status 1.
 */
static int kt_version_json(void)
{
	struct kipc_admin_stats st;
	struct kipc_version ver;
	struct kipc_admin *ka;
	int ret, nl, status = 0;

	ret = kipc_version(&ver);
	nl = kipc_admin_open(&ka);
	if (ret == -ENODEV && nl == -ENOENT)
		return kt_not_loaded();
	if (ret < 0)
		status = kt_dev_err(ret, "cannot query %s", KIPC_DEVICE_PATH);
	if (!nl) {
		nl = kipc_admin_stats(ka, &st, sizeof(st));
		if (nl < 0)
			status = kt_admin_err(ka, nl, "cannot get netlink statistics");
		kipc_admin_close(ka);
	} else {
		status = kt_errno(nl, "cannot connect to the kipc netlink family");
	}
	printf("{\"tool\": \"%s\", \"tool_abi\": %d, \"module\": ",
	       KIPC_TOOL_VERSION, KIPC_ABI_VERSION);
	if (ret < 0) {
		printf("null");
	} else {
		printf("{\"abi\": %" PRIu32 ", \"features\": ",
		       ver.out_abi_version);
		kt_json_features(ver.out_features);
		printf(", \"name_max\": %" PRIu32 ", \"mq_max_msgs\": %" PRIu32
		       ", \"mq_max_msgsize\": %" PRIu32
		       ", \"shm_max_size\": %" PRIu64 "}",
		       ver.out_name_max, ver.out_mq_max_msgs,
		       ver.out_mq_max_msgsize, (uint64_t)ver.out_shm_max_size);
	}
	printf(", \"netlink\": ");
	if (nl < 0) {
		printf("null");
	} else {
		printf("{\"family\": \"%s\", \"abi\": ", KIPC_GENL_NAME);
		if (kipc_admin_stats_has(&st, KIPC_A_STATS_ABI_VERSION))
			printf("%" PRIu32, st.abi_version);
		else
			printf("null");
		printf("}");
	}
	printf("}\n");
	return status;
}

/* Returns 0, or 1 after an error message. */
static int kt_version_netlink(void)
{
	struct kipc_admin_stats st;
	struct kipc_admin *ka;
	int ret;

	ret = kipc_admin_open(&ka);
	if (ret < 0)
		return kt_errno(ret, "cannot connect to the kipc netlink family");
	ret = kipc_admin_stats(ka, &st, sizeof(st));
	if (ret < 0) {
		ret = kt_admin_err(ka, ret, "cannot get netlink statistics");
		kipc_admin_close(ka);
		return ret;
	}
	kipc_admin_close(ka);
	printf("netlink: family \"%s\"", KIPC_GENL_NAME);
	if (kipc_admin_stats_has(&st, KIPC_A_STATS_ABI_VERSION))
		printf(", ABI %" PRIu32, st.abi_version);
	printf("\n");
	return 0;
}

static int kt_version_run(const struct kt_cmd *cmd, int argc,
			  char **argv)
{
	struct kipc_version ver;
	struct kipc_admin *ka;
	int ret, status = 0;

	ret = kt_cmd_no_args(cmd, argc, argv);
	if (ret >= 0)
		return ret;
	if (kt_output.json)
		return kt_version_json();

	printf("kipc %s, built for ABI %d\n", KIPC_TOOL_VERSION,
	       KIPC_ABI_VERSION);
	ret = kipc_version(&ver);
	if (ret == -ENODEV) {
		/* Without the device, the family tells whether it is loaded. */
		if (kipc_admin_open(&ka) == -ENOENT)
			return kt_not_loaded();
		kipc_admin_close(ka);
	}
	if (ret < 0) {
		status = kt_errno(ret, "cannot query %s", KIPC_DEVICE_PATH);
	} else {
		printf("module: ABI %" PRIu32 ", ", ver.out_abi_version);
		kt_print_features(ver.out_features);
		printf("module: name_max %" PRIu32 ", mq_max_msgs %" PRIu32
		       ", mq_max_msgsize %" PRIu32 ", shm_max_size %" PRIu64
		       "\n", ver.out_name_max, ver.out_mq_max_msgs,
		       ver.out_mq_max_msgsize, (uint64_t)ver.out_shm_max_size);
	}
	if (kt_version_netlink())
		status = 1;
	return status;
}

static void kt_version_help(const struct kt_cmd *cmd, FILE *out)
{
	fprintf(out, "Usage: kipc %s\n\n", cmd->path);
	fprintf(out,
		"Print the version of the tool and the ABI it was built for, then\n"
		"ask the loaded module for its ABI version, features and ceilings\n"
		"through %s, and for its ABI version through netlink.\n"
		"With -J, one JSON object: tool, tool_abi, module (abi, features,\n"
		"name_max, mq_max_msgs, mq_max_msgsize, shm_max_size) and netlink\n"
		"(family, abi); a part that could not be read is null.\n"
		"Exits with 1 when the module is not loaded.\n",
		KIPC_DEVICE_PATH);
	kt_help_options(out, cmd->opts);
}

const struct kt_cmd kt_version_cmd = {
	.name = "version",
	.path = "version",
	.summary = "versions of the tool, the module and its ABI",
	.opts = KT_OPTS_JSON,
	.run = kt_version_run,
	.help = kt_version_help,
};
