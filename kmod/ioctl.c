// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc: the ioctls: their dispatch, /dev/kipc's open and unlink, and what
 * every object fd answers before its type does (info).
 *
 * Each ioctl takes a struct that starts with its own size, as iommufd's do:
 * the dispatch copies what the caller has, zero-extended to the kernel's
 * size (copy_struct_from_user()), and a reply copies back no more than the
 * caller's size.
 */
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/nsproxy.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "kipc_private.h"
#include "kipc_trace.h"

/**
 * kipc_ucmd_respond() - copy an ioctl's struct back to the caller
 * @ucmd: the call
 * @len: the kernel's size of the struct; no more than the caller's size is
 *	copied
 *
 * Return: 0 or -EFAULT.
 */
int kipc_ucmd_respond(struct kipc_ucmd *ucmd, size_t len)
{
	if (copy_to_user(ucmd->ubuffer, ucmd->cmd,
			 min_t(size_t, ucmd->user_size, len)))
		return -EFAULT;
	return 0;
}

/**
 * kipc_ioctl_dispatch() - run an ioctl from a dispatch table
 * @ops: the table, indexed by _IOC_NR()
 * @nops: its size
 * @file: the file the ioctl was issued on
 * @cmd: the ioctl number
 * @arg: the user's struct
 *
 * Return: what the handler returns; -ENOTTY for an unknown ioctl; -EINVAL
 * if the caller's struct is smaller than its first version; -EFAULT;
 * -E2BIG if the caller's struct is larger and its tail is not zero.
 */
long kipc_ioctl_dispatch(const struct kipc_ioctl_op *ops, size_t nops,
			 struct file *file, unsigned int cmd, unsigned long arg)
{
	const struct kipc_ioctl_op *op;
	/*
	 * Not cleared first (CONFIG_INIT_STACK_ALL_ZERO would clear all of
	 * it on every call, the costliest store of a short ioctl):
	 * copy_struct_from_user() writes op->size bytes, the caller's and
	 * zeroes after them, and a handler reads and replies with no more.
	 */
	union kipc_ucmd_buffer buf __uninitialized;
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

static int kipc_name_from_user(char *name, u64 uptr)
{
	long len;
	int ret;

	len = strncpy_from_user(name, u64_to_user_ptr(uptr), KIPC_NAME_MAX + 1);
	if (len < 0)
		return len;
	ret = kipc_name_check(name, len);
	return ret ? ret : len;
}

/**
 * kipc_obj_getfile() - a new open file description for an object
 * @obj: the object; the file takes over the caller's reference
 * @flags: KIPC_OPEN_READ, KIPC_OPEN_WRITE, KIPC_OPEN_NONBLOCK
 *
 * For an open, and for a region received in a message (mq_msg.c).
 *
 * Return: the file, or an ERR_PTR() (the reference is still the caller's).
 */
struct file *kipc_obj_getfile(struct kipc_object *obj, u32 flags)
{
	struct kipc_file *kf;
	struct file *file;
	char name[16];
	int oflags;

	if ((flags & KIPC_OPEN_READ) && (flags & KIPC_OPEN_WRITE))
		oflags = O_RDWR;
	else if (flags & KIPC_OPEN_WRITE)
		oflags = O_WRONLY;
	else
		oflags = O_RDONLY;
	if (flags & KIPC_OPEN_NONBLOCK)
		oflags |= O_NONBLOCK;
	snprintf(name, sizeof(name), "kipc-%s", obj->ops->name);
	kf = kzalloc(sizeof(*kf), GFP_KERNEL_ACCOUNT);
	if (!kf)
		return ERR_PTR(-ENOMEM);
	kf->obj = obj;
	file = kipc_fs_getfile(name, obj->ops->fops, kf, oflags);
	if (IS_ERR(file)) {
		kfree(kf);
		return file;
	}
	return file;
}

/*
 * Count @file as one of its object's descriptions (KIPC_MQ_HUP), once
 * nothing can fail any more, just before it gets its fd: an open that
 * fails (a reply to a bad address, a lost create race) was never a sender
 * or a receiver, so its release must not hang a side up.
 */
void kipc_obj_attach(struct file *file)
{
	struct kipc_file *kf = kipc_file(file);

	if (kf->obj->ops->attach) {
		kf->obj->ops->attach(kf->obj, file);
		kf->attached = true;
	}
}

#define KIPC_OPEN_ALL	(KIPC_OPEN_READ | KIPC_OPEN_WRITE | KIPC_OPEN_CREATE | \
			 KIPC_OPEN_EXCL | KIPC_OPEN_CLOEXEC | \
			 KIPC_OPEN_NONBLOCK | KIPC_OPEN_ANON)

/**
 * kipc_open_ioctl() - KIPC_IOC_OPEN: open or create a named object
 * @ucmd: the call (struct kipc_open)
 *
 * Return: a new file descriptor for the object, or a negative errno (uapi
 * kipc.h lists them).
 */
int kipc_open_ioctl(struct kipc_ucmd *ucmd)
{
	struct kipc_open *cmd = ucmd->cmd;
	struct ipc_namespace *ns = current->nsproxy->ipc_ns;
	const struct kipc_type_ops *ops;
	struct kipc_object *obj, *new;
	char name[KIPC_NAME_MAX + 1];
	struct file *file;
	u64 bytes = 0;
	int fd, len, ret;

	if ((cmd->flags & ~KIPC_OPEN_ALL) || cmd->__reserved)
		return -EOPNOTSUPP;
	ops = kipc_type_get(cmd->type);
	if (!ops)
		return -EOPNOTSUPP;
	if (!(cmd->flags & (KIPC_OPEN_READ | KIPC_OPEN_WRITE)))
		return -EINVAL;
	if ((cmd->flags & KIPC_OPEN_EXCL) && !(cmd->flags & KIPC_OPEN_CREATE))
		return -EINVAL;
	if (cmd->mode & ~0666)
		return -EINVAL;
	if ((cmd->flags & KIPC_OPEN_ANON) &&
	    ((cmd->flags & (KIPC_OPEN_CREATE | KIPC_OPEN_EXCL)) !=
	     KIPC_OPEN_CREATE || cmd->name))
		return -EINVAL;
	/*
	 * An anonymous queue has the one description its creation made: if
	 * it sends too, that side could never go, so hang-up is refused
	 * rather than never firing. One that only receives is a reply queue,
	 * whose senders are the reply-tos it hands out (KIPC_SEND_REPLYTO).
	 */
	if ((cmd->flags & KIPC_OPEN_ANON) && cmd->type == KIPC_OBJ_MQ &&
	    (cmd->attr.mq.flags & KIPC_MQ_HUP) &&
	    (cmd->flags & KIPC_OPEN_WRITE))
		return -EINVAL;
	if (cmd->flags & KIPC_OPEN_CREATE) {
		/* Bytes beyond the type's own attributes must be zero. */
		if (memchr_inv((const u8 *)&cmd->attr + ops->attr_size, 0,
			       sizeof(cmd->attr) - ops->attr_size))
			return -EOPNOTSUPP;
		ret = ops->validate(&cmd->attr, &bytes);
		if (ret)
			return ret;
	}
	if (cmd->flags & KIPC_OPEN_ANON) {
		/* An empty name is what makes an object anonymous. */
		name[0] = '\0';
		len = 0;
	} else {
		len = kipc_name_from_user(name, cmd->name);
		if (len < 0)
			return len;
	}

	fd = get_unused_fd_flags(cmd->flags & KIPC_OPEN_CLOEXEC ? O_CLOEXEC : 0);
	if (fd < 0)
		return fd;

	obj = NULL;
	if (len)
		obj = kipc_obj_open(ns, cmd->type, name, len, cmd->flags);
	if (IS_ERR(obj)) {
		ret = PTR_ERR(obj);
		goto out_put_fd;
	}

	if (!obj) {
		if (!(cmd->flags & KIPC_OPEN_CREATE)) {
			ret = -ENOENT;
			goto out_put_fd;
		}
		new = kipc_obj_create(ops, &cmd->attr, name, len,
				      cmd->mode & ~current_umask(), bytes);
		if (IS_ERR(new)) {
			ret = PTR_ERR(new);
			goto out_put_fd;
		}
		/*
		 * Everything that can fail happens before the name resolves:
		 * the file, and telling the caller. Once it resolves, another
		 * task may open the object, so the call must succeed.
		 */
		file = kipc_obj_getfile(new, cmd->flags);
		if (IS_ERR(file)) {
			kipc_obj_put(new);
			ret = PTR_ERR(file);
			goto out_put_fd;
		}
		cmd->out_id = new->id;
		cmd->out_flags = KIPC_OPEN_OUT_CREATED;
		ret = kipc_ucmd_respond(ucmd, sizeof(*cmd));
		if (ret) {
			fput(file);
			goto out_put_fd;
		}
		obj = kipc_publish(new, cmd->flags);
		if (obj == new) {
			trace_kipc_open(new, cmd->flags, true, fd);
			kipc_obj_attach(file);
			fd_install(fd, file);
			return fd;
		}
		/* Another create won the name (open its object), or no room. */
		fput(file);
		if (IS_ERR(obj)) {
			ret = PTR_ERR(obj);
			goto out_put_fd;
		}
	}

	file = kipc_obj_getfile(obj, cmd->flags);
	if (IS_ERR(file)) {
		kipc_obj_put(obj);
		ret = PTR_ERR(file);
		goto out_put_fd;
	}
	cmd->out_id = obj->id;
	cmd->out_flags = 0;
	ret = kipc_ucmd_respond(ucmd, sizeof(*cmd));
	if (ret) {
		fput(file);
		goto out_put_fd;
	}
	trace_kipc_open(obj, cmd->flags, false, fd);
	kipc_obj_attach(file);
	fd_install(fd, file);
	return fd;

out_put_fd:
	put_unused_fd(fd);
	return ret;
}

/**
 * kipc_unlink_ioctl() - KIPC_IOC_UNLINK: remove a name
 * @ucmd: the call (struct kipc_unlink)
 *
 * Return: 0 or a negative errno (uapi kipc.h lists them).
 */
int kipc_unlink_ioctl(struct kipc_ucmd *ucmd)
{
	struct kipc_unlink *cmd = ucmd->cmd;
	char name[KIPC_NAME_MAX + 1];
	int len;

	if (cmd->flags || cmd->__reserved || !kipc_type_get(cmd->type))
		return -EOPNOTSUPP;
	len = kipc_name_from_user(name, cmd->name);
	if (len < 0)
		return len;
	return kipc_obj_unlink(current->nsproxy->ipc_ns, cmd->type, name, len);
}

static int kipc_info_ioctl(struct kipc_ucmd *ucmd)
{
	struct kipc_object *obj = kipc_file_obj(ucmd->file);
	struct user_namespace *uns = current_user_ns();
	struct kipc_info *cmd = ucmd->cmd;

	if (cmd->flags)
		return -EOPNOTSUPP;

	cmd->out_id = obj->id;
	cmd->out_type = obj->ops->type;
	cmd->out_mode = obj->mode;
	cmd->out_uid = from_kuid_munged(uns, obj->uid);
	cmd->out_gid = from_kgid_munged(uns, obj->gid);
	cmd->out_cuid = from_kuid_munged(uns, obj->cuid);
	cmd->out_cgid = from_kgid_munged(uns, obj->cgid);
	cmd->out_state = kipc_obj_state(obj);
	cmd->out_open_flags = 0;
	if (ucmd->file->f_mode & FMODE_READ)
		cmd->out_open_flags |= KIPC_OPEN_READ;
	if (ucmd->file->f_mode & FMODE_WRITE)
		cmd->out_open_flags |= KIPC_OPEN_WRITE;
	memset(&cmd->out_attr, 0, sizeof(cmd->out_attr));
	obj->ops->fill_attr(obj, &cmd->out_attr);
	memset(cmd->out_name, 0, sizeof(cmd->out_name));
	memcpy(cmd->out_name, obj->name, obj->name_len);
	return kipc_ucmd_respond(ucmd, sizeof(*cmd));
}

static const struct kipc_ioctl_op kipc_obj_ioctl_ops[] = {
	KIPC_IOCTL_OP(KIPC_IOC_INFO, kipc_info_ioctl, struct kipc_info,
		      out_name),
};

/**
 * kipc_obj_ioctl() - the unlocked_ioctl of every object fd
 * @file: the object fd
 * @cmd: the ioctl number
 * @arg: the user's struct
 *
 * The common ioctls (info) first, then the type's.
 *
 * Return: what kipc_ioctl_dispatch() returns.
 */
long kipc_obj_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	const struct kipc_type_ops *ops = kipc_file_obj(file)->ops;

	if (_IOC_NR(cmd) < ARRAY_SIZE(kipc_obj_ioctl_ops))
		return kipc_ioctl_dispatch(kipc_obj_ioctl_ops,
					   ARRAY_SIZE(kipc_obj_ioctl_ops),
					   file, cmd, arg);
	return kipc_ioctl_dispatch(ops->ioctl_ops, ops->n_ioctl_ops, file, cmd,
				   arg);
}

/**
 * kipc_obj_file_release() - the release of every object fd
 * @inode: its inode
 * @file: the open file description
 *
 * Return: 0.
 */
int kipc_obj_file_release(struct inode *inode, struct file *file)
{
	struct kipc_file *kf = kipc_file(file);
	struct kipc_object *obj = kf->obj;

	if (obj->ops->release)
		obj->ops->release(obj, file);
	kipc_obj_put(obj);
	kfree(kf);
	kipc_fs_put();
	return 0;
}
