// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipcfs: the files behind object descriptors.
 *
 * Object descriptors were anonymous-inode files until 6.15 raised
 * SB_I_NOEXEC on the anon_inode mount (1ed95281c0c7 "anon_inode: raise
 * SB_I_NODEV and SB_I_NOEXEC"): do_mmap() then refuses PROT_EXEC with
 * EPERM before ->mmap() runs, so a region created with KIPC_SHM_EXEC could
 * no longer be mapped executable. kipcfs is an internal pseudo filesystem,
 * as dma-buf's: kern_mount()ed but never registered, so nobody can mount
 * it, and without SB_I_NOEXEC (which init_pseudo() raises from 6.15 on),
 * so whether a region may be executed stays kipc's decision
 * (kipc_shm_mmap()). Each descriptor gets an inode of its own, made as
 * alloc_anon_inode() makes one but without S_ANON_INODE (which 6.15+
 * expects only on SB_I_NOEXEC mounts); its i_fop is no_open_fops, so
 * opening /proc/PID/fd/N fails with ENXIO, as it does for anonymous
 * inodes, and a descriptor cannot be reopened into another access mode.
 *
 * readlink(/proc/PID/fd/N) keeps the "anon_inode:kipc-TYPE" that lsof and
 * users have always seen.
 *
 * The mount lives while descriptors do (simple_pin_fs(), released by
 * kipc_obj_file_release()), and the filesystem type pins the module
 * (.owner): __fput() drops the fops' module reference before the file's
 * last mntput(), which may end the superblock, whose kill_sb and type
 * must then still be there.
 */
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/pseudo_fs.h>

#include "compat.h"
#include "kipc_private.h"

/* "kipc" in ASCII; statfs() on a descriptor reports it. */
#define KIPCFS_MAGIC	0x6b697063

static struct vfsmount *kipc_mnt;
static int kipc_mnt_count;

static char *kipcfs_dname(struct dentry *dentry, char *buffer, int buflen)
{
	char name[32];
	int len;

	/*
	 * As dynamic_dname(): the name ends at the end of the buffer, where
	 * /proc's readlink expects it.
	 */
	len = snprintf(name, sizeof(name), "anon_inode:%s",
		       dentry->d_name.name) + 1;
	if (len > sizeof(name) || len > buflen)
		return ERR_PTR(-ENAMETOOLONG);
	buffer += buflen - len;
	return memcpy(buffer, name, len);
}

static const struct dentry_operations kipcfs_dops = {
	.d_dname = kipcfs_dname,
};

static int kipcfs_init_fs_context(struct fs_context *fc)
{
	struct pseudo_fs_context *ctx = init_pseudo(fc, KIPCFS_MAGIC);

	if (!ctx)
		return -ENOMEM;
	ctx->dops = &kipcfs_dops;
	fc->s_iflags &= ~SB_I_NOEXEC;
	return 0;
}

static struct inode *kipcfs_inode(void)
{
	struct inode *inode = new_inode(kipc_mnt->mnt_sb);

	if (!inode)
		return ERR_PTR(-ENOMEM);
	/* As alloc_anon_inode(); new_inode() already set no_open_fops. */
	inode->i_ino = get_next_ino();
	inode->i_mode = 0600;
	inode->i_uid = current_fsuid();
	inode->i_gid = current_fsgid();
	inode->i_flags |= S_PRIVATE;
	kipc_inode_init_ts(inode);
	return inode;
}

static struct file_system_type kipcfs_type = {
	.owner = THIS_MODULE,
	.name = "kipcfs",
	.init_fs_context = kipcfs_init_fs_context,
	.kill_sb = kill_anon_super,
};

/**
 * kipc_fs_getfile() - a new file on kipcfs, as anon_inode_getfile()
 * @name: the dentry's name ("kipc-mq")
 * @fops: the file's operations; their module is pinned for the file's life
 * @priv: the file's private_data
 * @flags: O_ACCMODE and O_NONBLOCK
 *
 * Return: the file, or an ERR_PTR (-ENOMEM).
 */
struct file *kipc_fs_getfile(const char *name,
			     const struct file_operations *fops, void *priv,
			     int flags)
{
	struct inode *inode;
	struct file *file;
	int ret;

	ret = simple_pin_fs(&kipcfs_type, &kipc_mnt, &kipc_mnt_count);
	if (ret)
		return ERR_PTR(ret);
	/*
	 * The file's last fput() drops this reference (fops_put());
	 * alloc_file_pseudo() does not take one itself.
	 */
	if (!try_module_get(fops->owner)) {
		file = ERR_PTR(-ENOENT);
		goto out_fs;
	}
	inode = kipcfs_inode();
	if (IS_ERR(inode)) {
		file = ERR_CAST(inode);
		goto out_module;
	}
	/* On success the file owns the inode reference. */
	file = alloc_file_pseudo(inode, kipc_mnt, name,
				 flags & (O_ACCMODE | O_NONBLOCK), fops);
	if (IS_ERR(file))
		goto out_iput;
	file->private_data = priv;
	return file;

out_iput:
	iput(inode);
out_module:
	module_put(fops->owner);
out_fs:
	simple_release_fs(&kipc_mnt, &kipc_mnt_count);
	return file;
}

/**
 * kipc_fs_put() - a descriptor from kipc_fs_getfile() is released
 */
void kipc_fs_put(void)
{
	simple_release_fs(&kipc_mnt, &kipc_mnt_count);
}
