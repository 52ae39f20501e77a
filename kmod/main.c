// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc: the /dev/kipc factory device, ioctl dispatch and module parameters.
 *
 * /dev/kipc works like /dev/kvm: it holds no state of its own, and its ioctls
 * create or open named objects and hand back a new file descriptor per object.
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

unsigned int kipc_mq_max_msgs = 65536;
module_param_named(mq_max_msgs, kipc_mq_max_msgs, uint, 0644);
MODULE_PARM_DESC(mq_max_msgs, "Largest max_msgs of a new queue (default 65536)");

/*
 * A message is one allocation and its length comes back as an int, so the
 * ceiling itself has one: 64 MiB, far above any sane message.
 */
#define KIPC_MQ_MSGSIZE_CEILING	(64U << 20)

static int kipc_set_msgsize(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 1, KIPC_MQ_MSGSIZE_CEILING);
}

static const struct kernel_param_ops kipc_msgsize_ops = {
	.set = kipc_set_msgsize,
	.get = param_get_uint,
};

unsigned int kipc_mq_max_msgsize = 1 << 20;
module_param_cb(mq_max_msgsize, &kipc_msgsize_ops, &kipc_mq_max_msgsize, 0644);
MODULE_PARM_DESC(mq_max_msgsize, "Largest max_msgsize of a new queue in bytes, 1..64 MiB (default 1 MiB)");

unsigned long kipc_shm_max_size = 1UL << 30;
module_param_named(shm_max_size, kipc_shm_max_size, ulong, 0644);
MODULE_PARM_DESC(shm_max_size, "Largest size of a new region in bytes (default 1 GiB)");

unsigned int kipc_max_objects = 65536;
module_param_named(max_objects, kipc_max_objects, uint, 0644);
MODULE_PARM_DESC(max_objects, "Default object limit of an IPC namespace (default 65536)");

unsigned long kipc_max_bytes = 1UL << 30;
module_param_named(max_bytes, kipc_max_bytes, ulong, 0644);
MODULE_PARM_DESC(max_bytes, "Default byte limit of an IPC namespace (default 1 GiB)");

unsigned int kipc_uid_max_objects = 16384;
module_param_named(uid_max_objects, kipc_uid_max_objects, uint, 0644);
MODULE_PARM_DESC(uid_max_objects, "Default object limit of one uid in a namespace (default 16384)");

unsigned long kipc_uid_max_bytes = 256UL << 20;
module_param_named(uid_max_bytes, kipc_uid_max_bytes, ulong, 0644);
MODULE_PARM_DESC(uid_max_bytes, "Default byte limit of one uid in a namespace (default 256 MiB)");

int kipc_ucmd_respond(struct kipc_ucmd *ucmd, size_t len)
{
	if (copy_to_user(ucmd->ubuffer, ucmd->cmd,
			 min_t(size_t, ucmd->user_size, len)))
		return -EFAULT;
	return 0;
}

long kipc_ioctl_dispatch(const struct kipc_ioctl_op *ops, size_t nops,
			 struct file *file, unsigned int cmd, unsigned long arg)
{
	const struct kipc_ioctl_op *op;
	union kipc_ucmd_buffer buf;
	struct kipc_ucmd ucmd = {};
	unsigned int nr = _IOC_NR(cmd);
	int ret;

	if (_IOC_TYPE(cmd) != KIPC_TYPE || nr >= nops)
		return -ENOTTY;
	op = &ops[nr];
	if (!op->execute || op->ioctl_num != cmd)
		return -ENOTTY;

	ucmd.file = file;
	ucmd.ubuffer = (void __user *)arg;
	ret = get_user(ucmd.user_size, (u32 __user *)ucmd.ubuffer);
	if (ret)
		return ret;
	if (ucmd.user_size < op->min_size)
		return -EINVAL;

	ucmd.cmd = &buf;
	ret = copy_struct_from_user(ucmd.cmd, op->size, ucmd.ubuffer,
				    ucmd.user_size);
	if (ret)
		return ret;
	return op->execute(&ucmd);
}

static int kipc_version_ioctl(struct kipc_ucmd *ucmd)
{
	struct kipc_version *cmd = ucmd->cmd;

	if (cmd->flags)
		return -EOPNOTSUPP;

	cmd->out_abi_version = KIPC_ABI_VERSION;
	cmd->out_name_max = KIPC_NAME_MAX;
	cmd->out_features = KIPC_FEATURE_MQ | KIPC_FEATURE_SHM |
			    KIPC_FEATURE_SEM | KIPC_FEATURE_NETLINK;
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

static int __init kipc_init(void)
{
	int ret;

	ret = kipc_registry_init();
	if (ret)
		return ret;
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
	kipc_registry_exit();
	return ret;
}

static void __exit kipc_exit(void)
{
	misc_deregister(&kipc_misc);
	kipc_netlink_exit();
	kipc_registry_exit();
}

module_init(kipc_init);
module_exit(kipc_exit);

MODULE_DESCRIPTION("kipc: named message queues, shared memory and semaphores");
MODULE_LICENSE("GPL");
MODULE_ALIAS_MISCDEV(KIPC_MINOR);
MODULE_ALIAS("devname:" KIPC_DEVICE_NAME);
