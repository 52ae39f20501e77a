// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc: module load and unload, the object types, and the /dev/kipc device.
 *
 * /dev/kipc works like /dev/kvm: it holds no state of its own, and its ioctls
 * create or open named objects and hand back a new file descriptor per object
 * (ioctl.c). This file is the top of the module: it wires the others
 * together, and none of them calls into it.
 */
#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/uaccess.h>

#include "kipc_private.h"

/*
 * A static minor lets udev/kmod autoload the module on the first open of
 * /dev/kipc (devname alias), the way /dev/fuse works. 246 is in the range
 * Documentation/admin-guide/devices.txt reserves for local use (243-254). If
 * some other local driver already took it we fall back to a dynamic minor and
 * lose only autoloading; modules-load.d is then the way to load at boot.
 */
#define KIPC_MINOR	246

static int kipc_version_ioctl(struct kipc_ucmd *ucmd)
{
	struct kipc_version *cmd = ucmd->cmd;

	if (cmd->flags)
		return -EOPNOTSUPP;

	cmd->out_abi_version = KIPC_ABI_VERSION;
	cmd->out_name_max = KIPC_NAME_MAX;
	cmd->out_features = KIPC_FEATURE_MQ | KIPC_FEATURE_SHM |
			    KIPC_FEATURE_SEM | KIPC_FEATURE_NETLINK |
			    KIPC_FEATURE_SEM_MULTI | KIPC_FEATURE_ANON |
			    KIPC_FEATURE_MQ_HUP | KIPC_FEATURE_MQ_CREDS |
			    KIPC_FEATURE_MQ_REGIONS | KIPC_FEATURE_MQ_REPLYTO;
	cmd->out_mq_max_msgs = READ_ONCE(kipc_mq_max_msgs);
	cmd->out_mq_max_msgsize = READ_ONCE(kipc_mq_max_msgsize);
	cmd->out_shm_max_size = READ_ONCE(kipc_shm_max_size);
	return kipc_ucmd_respond(ucmd, sizeof(*cmd));
}

static const struct kipc_ioctl_op kipc_dev_ioctl_ops[] = {
	KIPC_IOCTL_OP(KIPC_IOC_VERSION, kipc_version_ioctl, struct kipc_version,
		      out_shm_max_size),
	KIPC_IOCTL_OP(KIPC_IOC_OPEN, kipc_open_ioctl, struct kipc_open,
		      __reserved),
	KIPC_IOCTL_OP(KIPC_IOC_UNLINK, kipc_unlink_ioctl, struct kipc_unlink,
		      name),
};

static long kipc_dev_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	return kipc_ioctl_dispatch(kipc_dev_ioctl_ops,
				   ARRAY_SIZE(kipc_dev_ioctl_ops), file, cmd,
				   arg);
}

static const struct file_operations kipc_dev_fops = {
	.owner = THIS_MODULE,
	.open = nonseekable_open,
	.unlocked_ioctl = kipc_dev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice kipc_misc = {
	.minor = KIPC_MINOR,
	.name = KIPC_DEVICE_NAME,
	.fops = &kipc_dev_fops,
	.mode = 0666,
};

/* The object types, indexed by KIPC_OBJ_*. */
static const struct kipc_type_ops *const kipc_types[] = {
	[KIPC_OBJ_MQ] = &kipc_mq_ops,
	[KIPC_OBJ_SHM] = &kipc_shm_ops,
	[KIPC_OBJ_SEM] = &kipc_sem_ops,
};

static int kipc_types_init(void)
{
	int ret;
	u32 t;

	for (t = 1; t < ARRAY_SIZE(kipc_types); t++) {
		ret = kipc_types[t]->init();
		if (ret)
			goto out_exit;
	}
	return 0;

out_exit:
	while (--t >= 1)
		kipc_types[t]->exit();
	return ret;
}

static void kipc_types_exit(void)
{
	u32 t;

	for (t = 1; t < ARRAY_SIZE(kipc_types); t++)
		kipc_types[t]->exit();
}

static int __init kipc_init(void)
{
	int ret;

	ret = kipc_types_init();
	if (ret)
		return ret;
	ret = kipc_ns_init(kipc_reaper_fn);
	if (ret)
		goto out_types;
	ret = kipc_registry_init(kipc_types, ARRAY_SIZE(kipc_types));
	if (ret)
		goto out_ns;
	ret = kipc_netlink_init();
	if (ret)
		goto out_registry;

	/*
	 * The device goes last: once it exists, objects and their fds can
	 * exist, and a later failure could no longer unwind.
	 */
	ret = misc_register(&kipc_misc);
	if (ret == -EBUSY) {
		pr_warn("minor %d is taken, using a dynamic minor: no autoload\n",
			KIPC_MINOR);
		kipc_misc.minor = MISC_DYNAMIC_MINOR;
		ret = misc_register(&kipc_misc);
	}
	if (ret)
		goto out_netlink;
	return 0;

out_netlink:
	kipc_netlink_exit();
out_registry:
	/* A limit set over netlink meanwhile may have started the reaper. */
	kipc_ns_stop_reaper();
	kipc_registry_exit();
out_ns:
	kipc_ns_exit();
out_types:
	kipc_types_exit();
	return ret;
}

static void __exit kipc_exit(void)
{
	misc_deregister(&kipc_misc);
	kipc_netlink_exit();
	kipc_ns_stop_reaper();
	kipc_registry_exit();
	kipc_ns_exit();
	kipc_types_exit();
}

module_init(kipc_init);
module_exit(kipc_exit);

MODULE_DESCRIPTION("kipc: named message queues, shared memory and semaphores");
MODULE_LICENSE("GPL");
MODULE_ALIAS_MISCDEV(KIPC_MINOR);
MODULE_ALIAS("devname:" KIPC_DEVICE_NAME);
