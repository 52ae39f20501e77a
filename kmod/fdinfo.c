// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc: /proc/PID/fdinfo/N of an object fd: what the object is, and the
 * type's own lines (struct kipc_type_ops.show_fdinfo). kipc(7) lists the
 * fields; their names are ABI.
 *
 * /proc decides who may read it (ptrace_may_access(), PTRACE_MODE_READ),
 * and holds a reference on the file while this runs, so the object and its
 * name stay. A concurrent remove or unlink only changes what is printed:
 * nothing here takes kipc_lock, only what KIPC_IOC_INFO and the type's info
 * ioctls take (the object's own spinlock, in the type's hook).
 */
#include <linux/fs.h>
#include <linux/ipc_namespace.h>
#include <linux/seq_file.h>

#include "kipc_private.h"

/**
 * kipc_obj_show_fdinfo() - the show_fdinfo of every object fd
 * @m: the fdinfo file
 * @file: the object fd's open file description
 */
void kipc_obj_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct kipc_object *obj = kipc_file_obj(file);
	u32 state = kipc_obj_state(obj);

	seq_printf(m, "kipc-type:\t%s\n", obj->ops->name);
	seq_printf(m, "kipc-id:\t%llu\n", obj->id);
	seq_printf(m, "kipc-name:\t%s\n",
		   obj->name_len ? obj->name : "(anonymous)");
	seq_printf(m, "kipc-ipc-ns:\t%u\n", obj->ipc_ns->ns.inum);
	seq_printf(m, "kipc-open-flags:\t%s%s%s\n",
		   file->f_mode & FMODE_READ ? "read" : "",
		   (file->f_mode & (FMODE_READ | FMODE_WRITE)) ==
			   (FMODE_READ | FMODE_WRITE) ? "," : "",
		   file->f_mode & FMODE_WRITE ? "write" : "");
	seq_printf(m, "kipc-state:\t%s\n",
		   state & KIPC_STATE_REMOVED ? "removed" :
		   state & KIPC_STATE_ANON ? "anonymous" :
		   state & KIPC_STATE_UNLINKED ? "unlinked" : "linked");
	if (obj->ops->show_fdinfo)
		obj->ops->show_fdinfo(m, file);
}
