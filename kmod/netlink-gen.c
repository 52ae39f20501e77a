// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	kmod/netlink/specs/kipc.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "netlink-gen.h"

#include <uapi/linux/kipc_netlink.h>
#include <linux/kipc.h>
#include <linux/kipc.h>

/* KIPC_CMD_OBJ_GET - do */
static const struct nla_policy kipc_obj_get_do_nl_policy[KIPC_A_OBJ_NAME + 1] = {
	[KIPC_A_OBJ_ID] = { .type = NLA_U64, },
	[KIPC_A_OBJ_TYPE] = NLA_POLICY_RANGE(NLA_U32, 1, 3),
	[KIPC_A_OBJ_NAME] = { .type = NLA_NUL_STRING, .len = 255, },
};

/* KIPC_CMD_OBJ_GET - dump */
static const struct nla_policy kipc_obj_get_dump_nl_policy[KIPC_A_OBJ_TYPE + 1] = {
	[KIPC_A_OBJ_TYPE] = NLA_POLICY_RANGE(NLA_U32, 1, 3),
};

/* KIPC_CMD_OBJ_REMOVE - do */
static const struct nla_policy kipc_obj_remove_nl_policy[KIPC_A_OBJ_NAME + 1] = {
	[KIPC_A_OBJ_ID] = { .type = NLA_U64, },
	[KIPC_A_OBJ_TYPE] = NLA_POLICY_RANGE(NLA_U32, 1, 3),
	[KIPC_A_OBJ_NAME] = { .type = NLA_NUL_STRING, .len = 255, },
};

/* KIPC_CMD_LIMITS_GET - do */
static const struct nla_policy kipc_limits_get_nl_policy[KIPC_A_LIMITS_UID + 1] = {
	[KIPC_A_LIMITS_UID] = { .type = NLA_U32, },
};

/* KIPC_CMD_LIMITS_SET - do */
static const struct nla_policy kipc_limits_set_nl_policy[KIPC_A_LIMITS_RESET + 1] = {
	[KIPC_A_LIMITS_UID] = { .type = NLA_U32, },
	[KIPC_A_LIMITS_OBJECTS] = { .type = NLA_U32, },
	[KIPC_A_LIMITS_BYTES] = { .type = NLA_U64, },
	[KIPC_A_LIMITS_UID_OBJECTS] = { .type = NLA_U32, },
	[KIPC_A_LIMITS_UID_BYTES] = { .type = NLA_U64, },
	[KIPC_A_LIMITS_RESET] = { .type = NLA_FLAG, },
};

/* Ops table for kipc */
const struct genl_split_ops kipc_nl_ops[8] = {
	{
		.cmd		= KIPC_CMD_OBJ_GET,
		.doit		= kipc_nl_obj_get_doit,
		.policy		= kipc_obj_get_do_nl_policy,
		.maxattr	= KIPC_A_OBJ_NAME,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= KIPC_CMD_OBJ_GET,
		.start		= kipc_nl_obj_dump_start,
		.dumpit		= kipc_nl_obj_get_dumpit,
		.done		= kipc_nl_dump_done,
		.policy		= kipc_obj_get_dump_nl_policy,
		.maxattr	= KIPC_A_OBJ_TYPE,
		.flags		= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd	= KIPC_CMD_STATS_GET,
		.doit	= kipc_nl_stats_get_doit,
		.flags	= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= KIPC_CMD_OBJ_REMOVE,
		.doit		= kipc_nl_obj_remove_doit,
		.policy		= kipc_obj_remove_nl_policy,
		.maxattr	= KIPC_A_OBJ_NAME,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= KIPC_CMD_LIMITS_GET,
		.doit		= kipc_nl_limits_get_doit,
		.policy		= kipc_limits_get_nl_policy,
		.maxattr	= KIPC_A_LIMITS_UID,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd	= KIPC_CMD_LIMITS_GET,
		.start	= kipc_nl_limits_dump_start,
		.dumpit	= kipc_nl_limits_get_dumpit,
		.done	= kipc_nl_dump_done,
		.flags	= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= KIPC_CMD_LIMITS_SET,
		.doit		= kipc_nl_limits_set_doit,
		.policy		= kipc_limits_set_nl_policy,
		.maxattr	= KIPC_A_LIMITS_RESET,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd	= KIPC_CMD_MONITOR_SUBSCRIBE,
		.doit	= kipc_nl_monitor_subscribe_doit,
		.flags	= GENL_CMD_CAP_DO,
	},
};

static const struct genl_multicast_group kipc_nl_mcgrps[] = {
	[KIPC_NLGRP_MONITOR] = { "monitor", },
};
