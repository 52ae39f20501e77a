/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kipc: declarations shared by the Generic Netlink family (netlink.c) and
 * its monitor (monitor.c). netlink.c calls monitor.c, never the other way.
 */
#ifndef __KIPC_NL_H
#define __KIPC_NL_H

#include <net/genetlink.h>

struct kipc_object;

/*
 * genetlink parses no attributes for a request without a policy, so it
 * would let unknown ones through: refuse them as a strict policy does.
 */
static inline int kipc_nl_no_attrs(const struct nlmsghdr *nlh,
				   struct netlink_ext_ack *extack)
{
	if (nlmsg_attrlen(nlh, GENL_HDRLEN) <= 0)
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, nlmsg_attrdata(nlh, GENL_HDRLEN),
			    "Unknown attribute type");
	return -EINVAL;
}

/* monitor.c */
int kipc_nl_monitor_init(const struct genl_family *family);
void kipc_nl_monitor_exit(void);
/* Only where the kernel has the monitor group (KIPC_HAVE_NL_MONITOR). */
void kipc_nl_monitor_event(struct kipc_object *obj, u8 event);

#endif /* __KIPC_NL_H */
