/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	kmod/netlink/specs/kipc.yaml */
/* YNL-GEN kernel header */

#ifndef _LINUX_KIPC_GEN_H
#define _LINUX_KIPC_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/linux/kipc_netlink.h>
#include <linux/kipc.h>
#include <linux/kipc.h>

/* Ops table for kipc */
extern const struct genl_split_ops kipc_nl_ops[8];

int kipc_nl_obj_dump_start(struct netlink_callback *cb);
int kipc_nl_limits_dump_start(struct netlink_callback *cb);
int kipc_nl_dump_done(struct netlink_callback *cb);

int kipc_nl_obj_get_doit(struct sk_buff *skb, struct genl_info *info);
int kipc_nl_obj_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int kipc_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info);
int kipc_nl_obj_remove_doit(struct sk_buff *skb, struct genl_info *info);
int kipc_nl_limits_get_doit(struct sk_buff *skb, struct genl_info *info);
int kipc_nl_limits_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int kipc_nl_limits_set_doit(struct sk_buff *skb, struct genl_info *info);
int kipc_nl_monitor_subscribe_doit(struct sk_buff *skb, struct genl_info *info);

enum {
	KIPC_NLGRP_MONITOR,
};

#endif /* _LINUX_KIPC_GEN_H */
