// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc: message queues, the object type (mq.h says which file does what).
 *
 * A queue's capacity (max_msgs messages of at most max_msgsize bytes) is
 * fixed at creation and charged to the limits in full then, as mq_open()
 * charges RLIMIT_MSGQUEUE, so that a send never fails for lack of quota.
 *
 * Locking overview
 * ================
 *
 * mq->lock (a spinlock) protects the messages, the waiter lists, the
 * statistics and mq->removed. It nests inside nothing, and kipc_lock is
 * never taken under it. User memory is never touched under it: a message is
 * copied in before the lock is taken and copied out after it is dropped.
 *
 * Messages sit on one list per priority, with a bitmap of the non-empty
 * lists, so both send and receive are O(1) (mq_queue.c).
 *
 * Waiting follows ipc/mqueue.c: blocked senders and receivers queue up in
 * FIFO order on their own lists, and the task that makes progress possible
 * hands over directly. A sender that finds a receiver waiting gives it the
 * message without queueing it; a receiver that frees a slot moves the first
 * blocked sender's message into the queue. The waker sets the waiter's state
 * under mq->lock, and a waiter decides only under mq->lock, so no wake-up is
 * lost and exactly one task wakes per message (wait.c, which is given
 * mq->lock). The wake-up itself happens after mq->lock is dropped (struct
 * kipc_wakeups), so that the woken task does not spin on the lock its waker
 * still holds. mq->lock protects the senders' and receivers' struct
 * kipc_mq_waiter whole.
 *
 * A message may carry a region (KIPC_MQ_REGIONS): a reference to its
 * object, dropped wherever a message is freed, which is never under
 * mq->lock (kipc_obj_put() may take kipc_lock). A receiver's fd for it is
 * reserved before the message is taken and installed only once the
 * message is out, so a full fd table or a fault leaves the message and its
 * region queued.
 *
 * A message that cannot be copied out (EFAULT) goes back to the head of its
 * priority list. A slot freed meanwhile may have been filled, so depth may
 * pass max_msgs by the number of such messages until they are received;
 * losing the message instead would be worse.
 */
#include <linux/compat.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/pid.h>
#include <linux/poll.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <net/netlink.h>

#include "mq.h"

static struct kmem_cache *kipc_mq_cache;

/* --- send and receive ---------------------------------------------------- */

static int kipc_mq_send_ioctl(struct kipc_ucmd *ucmd)
{
	struct kipc_mq *mq = file_mq(ucmd->file);
	struct kipc_mq_send *cmd = ucmd->cmd;
	struct kipc_deadline dl;
	struct kipc_msg *msg;
	int ret;

	/* A reply-to needs the receive queue of KIPC_IOC_MQ_SENDRECV. */
	if (cmd->flags & KIPC_SEND_REPLYTO)
		return -EINVAL;
	if ((cmd->flags & ~(KIPC_WAIT_FLAGS | KIPC_SEND_REGION |
			    KIPC_SEND_SEALED)) ||
	    cmd->__reserved || cmd->__reserved2)
		return -EOPNOTSUPP;
	ret = kipc_mq_region_check(cmd->flags, ucmd->user_size,
				   offsetofend(struct kipc_mq_send, region_fd),
				   0);
	if (ret)
		return ret;
	if (!(ucmd->file->f_mode & FMODE_WRITE))
		return -EBADF;
	ret = kipc_deadline_init(&dl, ucmd->file, cmd->flags, cmd->clockid,
				 cmd->deadline);
	if (ret)
		return ret;

	msg = kipc_msg_from_user(mq, cmd->buf, cmd->len, cmd->prio);
	if (IS_ERR(msg))
		return PTR_ERR(msg);
	ret = kipc_msg_attach_region(mq, msg, cmd->flags, cmd->region_fd);
	if (!ret)
		ret = kipc_mq_send_one(mq, msg, &dl);
	if (ret)
		kipc_msg_free(msg);
	return ret;
}

static ssize_t kipc_mq_write(struct file *file, const char __user *buf,
			     size_t len, loff_t *ppos)
{
	struct kipc_mq *mq = file_mq(file);
	struct kipc_deadline dl;
	struct kipc_msg *msg;
	int ret;

	if (len > mq->max_msgsize)
		return -EMSGSIZE;
	kipc_deadline_init(&dl, file, 0, 0, 0);
	msg = kipc_msg_from_user(mq, (unsigned long)buf, len, 0);
	if (IS_ERR(msg))
		return PTR_ERR(msg);
	ret = kipc_mq_send_one(mq, msg, &dl);
	if (ret) {
		kipc_msg_free(msg);
		return ret;
	}
	return len;
}

/*
 * KIPC_RECV_REGION: reserve the fd for a region before anything is taken,
 * so that a full fd table fails with EMFILE and leaves the message queued.
 * *@fd is -1 without the flag.
 */
static int kipc_mq_region_reserve(u32 flags, int *fd)
{
	*fd = -1;
	if (!(flags & KIPC_RECV_REGION))
		return 0;
	*fd = get_unused_fd_flags(O_CLOEXEC);
	return *fd < 0 ? *fd : 0;
}

/*
 * The region of the message taken, if it carries one: a new file for it,
 * and the reserved @fd in *@out_fd (-1 for a message without). Nothing is
 * installed yet: the message may still come back.
 */
static struct file *kipc_mq_region_prepare(struct kipc_msg *msg, int fd,
					   s32 *out_fd)
{
	struct file *file;

	*out_fd = -1;
	if (!msg->region)
		return NULL;
	file = kipc_msg_region_file(msg);
	if (!IS_ERR(file))
		*out_fd = fd;
	return file;
}

/*
 * After the delivery: install the region's fd (@delivered), or give fd and
 * file back. A region file never installed was never attached.
 */
static void kipc_mq_region_finish(int fd, struct file *file, bool delivered)
{
	if (delivered && file) {
		kipc_obj_attach(file);
		fd_install(fd, file);
		return;
	}
	if (file)
		fput(file);
	if (fd >= 0)
		put_unused_fd(fd);
}

/**
 * struct kipc_mq_reply_fd - KIPC_RECV_REPLY: the reply-to of a receive
 * @fd: reserved before the message is taken, or -1
 * @file: the reply queue's write-only file, or NULL
 */
struct kipc_mq_reply_fd {
	int fd;
	struct file *file;
};

/* Reserve the fd first, so that EMFILE leaves the message queued. */
static int kipc_mq_reply_reserve(struct kipc_mq_reply_fd *r, u32 flags)
{
	r->file = NULL;
	r->fd = -1;
	if (!(flags & KIPC_RECV_REPLY))
		return 0;
	r->fd = get_unused_fd_flags(O_CLOEXEC);
	return r->fd < 0 ? r->fd : 0;
}

/*
 * The message taken is @msg: make the file of its reply-to, counted as a
 * sender (KIPC_MQ_HUP) before the message stops counting as one, so the
 * reply queue never looks abandoned in between. *@out_fd and *@out_flags
 * are for the caller's struct. On failure the caller puts the message
 * back and calls kipc_mq_reply_end().
 */
static int kipc_mq_reply_file(struct kipc_mq_reply_fd *r,
			      const struct kipc_msg *msg, s32 *out_fd,
			      u32 *out_flags)
{
	struct kipc_object *obj;
	struct file *file;

	*out_fd = -1;
	if (r->fd < 0)
		return 0;
	obj = kipc_msg_reply_resolve(msg);
	if (!obj) {
		if (msg->reply)
			*out_flags |= KIPC_RECV_OUT_REPLY_GONE;
		return 0;
	}
	file = kipc_obj_getfile(obj, KIPC_OPEN_WRITE | KIPC_OPEN_NONBLOCK);
	if (IS_ERR(file)) {
		kipc_obj_put(obj);
		return PTR_ERR(file);
	}
	kipc_obj_attach(file);
	r->file = file;
	*out_fd = r->fd;
	return 0;
}

/* Install the reply-to's fd when @ret says the receive succeeded. */
static void kipc_mq_reply_end(struct kipc_mq_reply_fd *r, int ret)
{
	if (r->fd < 0)
		return;
	if (ret >= 0 && r->file) {
		fd_install(r->fd, r->file);
		return;
	}
	if (r->file)
		fput(r->file);
	put_unused_fd(r->fd);
}

static int kipc_mq_recv_ioctl(struct kipc_ucmd *ucmd)
{
	struct kipc_mq *mq = file_mq(ucmd->file);
	struct kipc_mq_recv *cmd = ucmd->cmd;
	struct kipc_mq_reply_fd reply;
	struct file *region = NULL;
	struct kipc_deadline dl;
	struct kipc_msg *msg;
	LIST_HEAD(msgs);
	u32 toobig = 0;
	int ret, fd;

	if (cmd->flags & ~(KIPC_WAIT_FLAGS | KIPC_RECV_CREDS |
			   KIPC_RECV_REGION | KIPC_RECV_REPLY))
		return -EOPNOTSUPP;
	ret = kipc_mq_creds_check(mq, cmd->flags, ucmd->user_size,
				  offsetofend(struct kipc_mq_recv, out_creds));
	if (ret)
		return ret;
	ret = kipc_mq_region_check(cmd->flags, ucmd->user_size, 0,
				   offsetofend(struct kipc_mq_recv,
					       out_region_fd));
	if (ret)
		return ret;
	if ((cmd->flags & KIPC_RECV_REPLY) &&
	    ucmd->user_size < offsetofend(struct kipc_mq_recv, out_flags))
		return -EINVAL;
	if (!(ucmd->file->f_mode & FMODE_READ))
		return -EBADF;
	ret = kipc_deadline_init(&dl, ucmd->file, cmd->flags, cmd->clockid,
				 cmd->deadline);
	if (ret)
		return ret;
	ret = kipc_mq_region_reserve(cmd->flags, &fd);
	if (ret)
		return ret;
	ret = kipc_mq_reply_reserve(&reply, cmd->flags);
	if (ret)
		goto out_put_fd;

	ret = kipc_mq_recv_many(mq, &msgs, &cmd->len, 1, &dl, &toobig,
				cmd->flags & KIPC_RECV_REGION);
	if (ret == -EMSGSIZE) {
		cmd->out_len = toobig;
		cmd->out_prio = 0;
		if (cmd->flags & KIPC_RECV_REGION)
			cmd->out_region_fd = -1;
		if (cmd->flags & KIPC_RECV_REPLY) {
			cmd->out_reply_fd = -1;
			cmd->out_flags = 0;
		}
		if (kipc_ucmd_respond(ucmd, sizeof(*cmd)))
			ret = -EFAULT;
		goto out_put_fd;
	}
	if (ret < 0)
		goto out_put_fd;

	msg = list_first_entry(&msgs, struct kipc_msg, node);
	cmd->out_len = msg->len;
	cmd->out_prio = msg->prio;
	if (cmd->flags & KIPC_RECV_CREDS)
		kipc_msg_creds(msg, &cmd->out_creds);
	if (cmd->flags & KIPC_RECV_REGION) {
		cmd->__reserved2 = 0;
		region = kipc_mq_region_prepare(msg, fd, &cmd->out_region_fd);
		if (IS_ERR(region)) {
			ret = PTR_ERR(region);
			region = NULL;
			kipc_mq_put_back(mq, &msgs);
			goto out_put_fd;
		}
	}
	if (cmd->flags & KIPC_RECV_REPLY) {
		cmd->out_flags = 0;
		ret = kipc_mq_reply_file(&reply, msg, &cmd->out_reply_fd,
					 &cmd->out_flags);
		if (ret) {
			kipc_mq_put_back(mq, &msgs);
			goto out_put_fd;
		}
	}
	ret = kipc_mq_deliver(mq, &msgs, u64_to_user_ptr(cmd->buf), ucmd,
			      sizeof(*cmd));
out_put_fd:
	kipc_mq_reply_end(&reply, ret);
	kipc_mq_region_finish(fd, region, ret >= 0);
	return ret;
}

static const struct file_operations kipc_mq_fops;

/*
 * Send then receive in one call. The send is SEND's and the receive RECV's,
 * each with the O_NONBLOCK of its own fd; what is particular is only that
 * after the send a failure must say so (KIPC_SENDRECV_SENT) and must not
 * restart, which would send twice. The out fields are written back on
 * every failure, so a struct reused from an earlier call cannot claim a
 * send that did not happen.
 */
static int kipc_mq_sendrecv_ioctl(struct kipc_ucmd *ucmd)
{
	struct kipc_mq_sendrecv *cmd = ucmd->cmd;
	struct kipc_mq *mq = file_mq(ucmd->file);
	struct kipc_mq_reply_fd reply = { .fd = -1 };
	struct kipc_deadline sdl, rdl;
	struct file *rfile = NULL;
	struct file *region = NULL;
	struct kipc_msg *msg;
	LIST_HEAD(msgs);
	u32 toobig = 0;
	int ret, fd = -1;

	cmd->out_flags = 0;
	cmd->out_len = 0;
	cmd->out_prio = 0;
	cmd->out_region_fd = -1;
	cmd->out_reply_fd = -1;
	cmd->__reserved3 = 0;
	if ((cmd->flags & ~(KIPC_WAIT_FLAGS | KIPC_RECV_CREDS |
			    KIPC_SEND_REGION | KIPC_SEND_SEALED |
			    KIPC_RECV_REGION | KIPC_SEND_REPLYTO |
			    KIPC_RECV_REPLY)) ||
	    cmd->__reserved || cmd->__reserved2) {
		ret = -EOPNOTSUPP;
		goto out_respond;
	}
	if ((cmd->flags & KIPC_RECV_CREDS) &&
	    ucmd->user_size < offsetofend(struct kipc_mq_sendrecv, out_creds)) {
		ret = -EINVAL;
		goto out_respond;
	}
	ret = kipc_mq_region_check(cmd->flags, ucmd->user_size,
				   offsetofend(struct kipc_mq_sendrecv,
					       send_region_fd),
				   offsetofend(struct kipc_mq_sendrecv,
					       out_region_fd));
	if (ret)
		goto out_respond;
	if ((cmd->flags & (KIPC_SEND_REPLYTO | KIPC_RECV_REPLY)) &&
	    ucmd->user_size <
	    offsetofend(struct kipc_mq_sendrecv, out_reply_fd)) {
		ret = -EINVAL;
		goto out_respond;
	}
	if (!(ucmd->file->f_mode & FMODE_WRITE)) {
		ret = -EBADF;
		goto out_respond;
	}
	ret = kipc_deadline_init(&sdl, ucmd->file, cmd->flags, cmd->clockid,
				 cmd->deadline);
	if (ret)
		goto out_respond;
	rfile = fget(cmd->recv_fd);
	if (!rfile) {
		ret = -EBADF;
		goto out_respond;
	}
	if (rfile->f_op != &kipc_mq_fops) {
		ret = -EINVAL;
		goto out_respond;
	}
	if (!(rfile->f_mode & FMODE_READ)) {
		ret = -EBADF;
		goto out_respond;
	}
	/*
	 * A reply-to grants whoever takes the request a write fd of the
	 * reply queue: only one who may write it may give that, by its fd or
	 * by the queue's permission bits, as an open for writing would check.
	 */
	if ((cmd->flags & KIPC_SEND_REPLYTO) &&
	    !(rfile->f_mode & FMODE_WRITE) &&
	    !kipc_obj_permitted(&file_mq(rfile)->obj, KIPC_OPEN_WRITE)) {
		ret = -EACCES;
		goto out_respond;
	}
	/* Before the send: a request that asks wrongly sends nothing. */
	ret = kipc_mq_creds_check(file_mq(rfile), cmd->flags, ucmd->user_size,
				  offsetofend(struct kipc_mq_sendrecv,
					      out_creds));
	if (ret)
		goto out_respond;
	/* Valid, as the same fields were for the send half. */
	kipc_deadline_init(&rdl, rfile, cmd->flags, cmd->clockid,
			   cmd->deadline);
	/* A full fd table, too, fails before the send. */
	ret = kipc_mq_region_reserve(cmd->flags, &fd);
	if (!ret)
		ret = kipc_mq_reply_reserve(&reply, cmd->flags);
	if (ret)
		goto out_respond;

	msg = kipc_msg_from_user(mq, cmd->send_buf, cmd->send_len,
				 cmd->send_prio);
	if (IS_ERR(msg)) {
		ret = PTR_ERR(msg);
		goto out_respond;
	}
	ret = kipc_msg_attach_region(mq, msg, cmd->flags,
				     cmd->send_region_fd);
	if (!ret && (cmd->flags & KIPC_SEND_REPLYTO))
		ret = kipc_msg_set_reply(msg, file_mq(rfile));
	if (!ret)
		ret = kipc_mq_send_one(mq, msg, &sdl);
	if (ret) {
		kipc_msg_free(msg);
		/* Not sent: -ERESTARTSYS restarts, as SEND's would. */
		goto out_respond;
	}

	cmd->out_flags = KIPC_SENDRECV_SENT;
	ret = kipc_mq_recv_many(file_mq(rfile), &msgs, &cmd->recv_len, 1, &rdl,
				&toobig, cmd->flags & KIPC_RECV_REGION);
	if (ret == -ERESTARTSYS)
		ret = -EINTR;
	if (ret == -EMSGSIZE)
		cmd->out_len = toobig;
	if (ret < 0)
		goto out_respond;

	msg = list_first_entry(&msgs, struct kipc_msg, node);
	cmd->out_len = msg->len;
	cmd->out_prio = msg->prio;
	if (cmd->flags & KIPC_RECV_CREDS)
		kipc_msg_creds(msg, &cmd->out_creds);
	if (cmd->flags & KIPC_RECV_REGION) {
		region = kipc_mq_region_prepare(msg, fd, &cmd->out_region_fd);
		if (IS_ERR(region)) {
			ret = PTR_ERR(region);
			region = NULL;
			kipc_mq_put_back(file_mq(rfile), &msgs);
			goto out_respond;
		}
	}
	ret = kipc_mq_reply_file(&reply, msg, &cmd->out_reply_fd,
				 &cmd->out_flags);
	if (ret) {
		kipc_mq_put_back(file_mq(rfile), &msgs);
		goto out_respond;
	}
	ret = kipc_mq_deliver(file_mq(rfile), &msgs,
			      u64_to_user_ptr(cmd->recv_buf), ucmd,
			      sizeof(*cmd));
	if (ret < 0)
		goto out_respond;
	goto out_fput;

out_respond:
	/*
	 * The caller must learn whether the send happened. No fd was
	 * installed: the reply must not name one.
	 */
	cmd->out_region_fd = -1;
	cmd->out_reply_fd = -1;
	kipc_ucmd_respond(ucmd, sizeof(*cmd));
out_fput:
	kipc_mq_reply_end(&reply, ret);
	kipc_mq_region_finish(fd, region, ret >= 0);
	if (rfile)
		fput(rfile);
	return ret;
}

static ssize_t kipc_mq_read(struct file *file, char __user *buf, size_t len,
			    loff_t *ppos)
{
	struct kipc_mq *mq = file_mq(file);
	u32 buflen = min_t(size_t, len, U32_MAX);
	struct kipc_deadline dl;
	LIST_HEAD(msgs);
	u32 toobig;
	ssize_t ret;

	kipc_deadline_init(&dl, file, 0, 0, 0);
	/* A message with a region stays queued: EBADMSG. */
	ret = kipc_mq_recv_many(mq, &msgs, &buflen, 1, &dl, &toobig, false);
	/* End-of-file, as a pipe's. */
	if (ret == -ENODATA)
		return 0;
	if (ret < 0)
		return ret;
	return kipc_mq_deliver(mq, &msgs, buf, NULL, 0);
}

/* --- peek, getattr, poll --------------------------------------------------- */

static struct kipc_msg *kipc_mq_nth_locked(struct kipc_mq *mq, u32 index)
{
	struct kipc_msg *msg;
	int p;

	lockdep_assert_held(&mq->lock);
	if (index >= mq->depth)
		return NULL;
	for (p = KIPC_MQ_PRIO_MAX; p >= 0; p--) {
		list_for_each_entry(msg, &mq->prio[p], node)
			if (!index--)
				return msg;
	}
	return NULL;
}

static int kipc_mq_peek_ioctl(struct kipc_ucmd *ucmd)
{
	struct kipc_mq *mq = file_mq(ucmd->file);
	struct kipc_mq_peek *cmd = ucmd->cmd;
	struct kipc_msg *msg, *copy = NULL;
	int ret;

	cmd->out_region_id = 0;
	if (cmd->flags & ~KIPC_RECV_CREDS)
		return -EOPNOTSUPP;
	ret = kipc_mq_creds_check(mq, cmd->flags, ucmd->user_size,
				  offsetofend(struct kipc_mq_peek, out_creds));
	if (ret)
		return ret;
	if (!(ucmd->file->f_mode & FMODE_READ))
		return -EBADF;

	/*
	 * The copy-out cannot happen under mq->lock, and the message may be
	 * received meanwhile, so copy it into a bounce buffer sized on a
	 * first look, and look again if it changed.
	 */
	for (;;) {
		u32 len;

		spin_lock(&mq->lock);
		ret = mq->removed ? -EIDRM : 0;
		msg = ret ? NULL : kipc_mq_nth_locked(mq, cmd->index);
		if (!ret && !msg)
			ret = -ENOENT;
		if (ret) {
			spin_unlock(&mq->lock);
			goto out_free;
		}
		cmd->out_len = msg->len;
		cmd->out_prio = msg->prio;
		/* The region is named, never opened: no fd is made. */
		cmd->out_region_id = msg->region ? msg->region->id : 0;
		if (msg->len > cmd->len) {
			spin_unlock(&mq->lock);
			ret = -EMSGSIZE;
			goto out_respond;
		}
		if (copy && copy->len == msg->len) {
			memcpy(copy->data, msg->data, msg->len);
			/* The copy holds its own reference, freed with it. */
			if (cmd->flags & KIPC_RECV_CREDS) {
				copy->pid = get_pid(msg->pid);
				copy->uid = msg->uid;
				copy->gid = msg->gid;
			}
			spin_unlock(&mq->lock);
			break;
		}
		len = msg->len;
		spin_unlock(&mq->lock);
		if (copy)
			kipc_msg_free(copy);
		copy = kipc_msg_alloc(len);
		if (!copy)
			return -ENOMEM;
	}
	if (copy_to_user(u64_to_user_ptr(cmd->buf), copy->data, copy->len)) {
		ret = -EFAULT;
		goto out_free;
	}
	if (cmd->flags & KIPC_RECV_CREDS)
		kipc_msg_creds(copy, &cmd->out_creds);
out_respond:
	if (kipc_ucmd_respond(ucmd, sizeof(*cmd)))
		ret = -EFAULT;
out_free:
	if (copy)
		kipc_msg_free(copy);
	return ret ? ret : cmd->out_len;
}

static int kipc_mq_getattr_ioctl(struct kipc_ucmd *ucmd)
{
	struct kipc_mq *mq = file_mq(ucmd->file);
	struct kipc_mq_getattr *cmd = ucmd->cmd;
	int ret = 0;

	if (cmd->flags)
		return -EOPNOTSUPP;
	spin_lock(&mq->lock);
	if (mq->removed)
		ret = -EIDRM;
	cmd->out_max_msgs = mq->max_msgs;
	cmd->out_max_msgsize = mq->max_msgsize;
	cmd->out_depth = mq->depth;
	cmd->__reserved = 0;
	cmd->out_bytes = mq->bytes;
	spin_unlock(&mq->lock);
	if (ret)
		return ret;
	return kipc_ucmd_respond(ucmd, sizeof(*cmd));
}

/* Under mq->lock, as KIPC_IOC_MQ_GETATTR reads them. */
static void kipc_mq_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct kipc_mq *mq = file_mq(file);
	u64 drops;
	u32 depth;

	spin_lock(&mq->lock);
	depth = mq->depth;
	drops = mq->drops;
	spin_unlock(&mq->lock);
	seq_printf(m, "kipc-mq-depth:\t%u\n", depth);
	seq_printf(m, "kipc-mq-max-msgs:\t%u\n", mq->max_msgs);
	seq_printf(m, "kipc-mq-max-msgsize:\t%u\n", mq->max_msgsize);
	seq_printf(m, "kipc-mq-flags:\t0x%x\n", mq->flags);
	seq_printf(m, "kipc-mq-drops:\t%llu\n", drops);
}

static __poll_t kipc_mq_poll(struct file *file, poll_table *wait)
{
	struct kipc_mq *mq = file_mq(file);
	__poll_t mask = 0;

	poll_wait(file, &mq->poll_wq, wait);
	spin_lock(&mq->lock);
	if (mq->removed) {
		mask = EPOLLERR | EPOLLHUP;
	} else {
		if (mq->depth)
			mask |= EPOLLIN | EPOLLRDNORM;
		else if (kipc_mq_at_eof_locked(mq))
			mask |= EPOLLHUP;
		/* A dropping queue always makes room: a send never waits. */
		if (mq->rd_hup)
			mask |= EPOLLERR;
		else if (mq->depth < mq->max_msgs ||
			 (mq->flags & KIPC_MQ_FULL_DROP))
			mask |= EPOLLOUT | EPOLLWRNORM;
	}
	spin_unlock(&mq->lock);
	return mask;
}

/* --- object ops ---------------------------------------------------------- */

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

static int kipc_mq_validate(const union kipc_attr *attr, u64 *bytes)
{
	const struct kipc_mq_attr *a = &attr->mq;

	if ((a->flags & ~KIPC_MQ_FLAGS_ALL) || a->__reserved)
		return -EOPNOTSUPP;
	/* Fail and drop are two answers to the same question. */
	if ((a->flags & KIPC_MQ_FULL_FAIL) && (a->flags & KIPC_MQ_FULL_DROP))
		return -EINVAL;
	if (!a->max_msgs || a->max_msgs > READ_ONCE(kipc_mq_max_msgs) ||
	    !a->max_msgsize || a->max_msgsize > READ_ONCE(kipc_mq_max_msgsize))
		return -EINVAL;
	*bytes = kipc_mq_charge(a->max_msgs, a->max_msgsize);
	return 0;
}

static struct kipc_object *kipc_mq_alloc(const union kipc_attr *attr)
{
	struct kipc_mq *mq;
	int p;

	mq = kmem_cache_zalloc(kipc_mq_cache, GFP_KERNEL_ACCOUNT);
	if (!mq)
		return ERR_PTR(-ENOMEM);
	mq->max_msgs = attr->mq.max_msgs;
	mq->max_msgsize = attr->mq.max_msgsize;
	mq->flags = attr->mq.flags;
	spin_lock_init(&mq->lock);
	for (p = 0; p <= KIPC_MQ_PRIO_MAX; p++)
		INIT_LIST_HEAD(&mq->prio[p]);
	kipc_waitq_init(&mq->senders);
	kipc_waitq_init(&mq->receivers);
	init_waitqueue_head(&mq->poll_wq);
	return &mq->obj;
}

/* Unlink every message; the caller frees them outside the lock. */
static void kipc_mq_drain_locked(struct kipc_mq *mq, struct list_head *out)
{
	int p;

	lockdep_assert_held(&mq->lock);
	for (p = 0; p <= KIPC_MQ_PRIO_MAX; p++)
		list_splice_init(&mq->prio[p], out);
	mq->prio_map = 0;
	mq->depth = 0;
	mq->bytes = 0;
}

static void kipc_mq_free(struct kipc_object *obj)
{
	struct kipc_mq *mq = to_mq(obj);
	LIST_HEAD(msgs);

	/* Reply-tos naming the queue resolve to nothing from now on. */
	kipc_mq_replyref_detach(mq);
	/* No fd is left, so nobody waits and nobody polls. */
	spin_lock(&mq->lock);
	kipc_mq_drain_locked(mq, &msgs);
	spin_unlock(&mq->lock);
	kipc_msg_free_list(&msgs);
	put_pid(mq->lspid);
	put_pid(mq->lrpid);
	kmem_cache_free(kipc_mq_cache, mq);
}

/*
 * KIPC_MQ_HUP: count the sides of a new description; one that comes back
 * clears its side's hang-up.
 */
static void kipc_mq_attach(struct kipc_object *obj, struct file *file)
{
	struct kipc_mq *mq = to_mq(obj);

	if (!(mq->flags & KIPC_MQ_HUP))
		return;
	kipc_mq_hup_get(mq, file->f_mode & FMODE_WRITE,
			file->f_mode & FMODE_READ);
}

/* KIPC_MQ_HUP: the last description of a side went. */
static void kipc_mq_release(struct kipc_object *obj, struct file *file)
{
	struct kipc_mq *mq = to_mq(obj);

	LIST_HEAD(dropped);

	if (!(mq->flags & KIPC_MQ_HUP) || !kipc_file(file)->attached)
		return;
	kipc_mq_hup_put(mq, file->f_mode & FMODE_WRITE,
			file->f_mode & FMODE_READ, &dropped);
	kipc_msg_free_list(&dropped);
}

/* kipc_wake_cond_t: removal wakes all, in batches (kipc_waitq_wake_all()). */
static bool kipc_mq_removed_cond(void *arg)
{
	struct kipc_mq *mq = arg;

	return mq->removed;
}

static void kipc_mq_remove(struct kipc_object *obj)
{
	struct kipc_mq *mq = to_mq(obj);
	LIST_HEAD(msgs);

	spin_lock(&mq->lock);
	mq->removed = true;
	kipc_mq_drain_locked(mq, &msgs);
	wake_up_interruptible_poll(&mq->poll_wq, EPOLLERR | EPOLLHUP);
	spin_unlock(&mq->lock);
	kipc_waitq_wake_all(&mq->receivers, &mq->lock, KIPC_WAITER_REMOVED,
			    kipc_mq_removed_cond, mq);
	kipc_waitq_wake_all(&mq->senders, &mq->lock, KIPC_WAITER_REMOVED,
			    kipc_mq_removed_cond, mq);
	kipc_msg_free_list(&msgs);
}

static void kipc_mq_fill_attr(struct kipc_object *obj, union kipc_attr *attr)
{
	struct kipc_mq *mq = to_mq(obj);

	attr->mq.max_msgs = mq->max_msgs;
	attr->mq.max_msgsize = mq->max_msgsize;
	attr->mq.flags = mq->flags;
}

/* A consistent copy of a queue's statistics, taken under mq->lock. */
struct kipc_mq_stats {
	u32 depth, hwm, nr_senders, nr_receivers;
	u64 bytes, sends, recvs, drops, stime, rtime;
	pid_t lspid, lrpid;
};

static int kipc_mq_fill_nl(struct sk_buff *skb, struct kipc_object *obj,
			   struct pid_namespace *pid_ns)
{
	struct kipc_mq *mq = to_mq(obj);
	struct kipc_mq_stats st;

	spin_lock(&mq->lock);
	st.depth = mq->depth;
	st.hwm = mq->hwm;
	st.nr_senders = mq->senders.nr;
	st.nr_receivers = mq->receivers.nr;
	st.bytes = mq->bytes;
	st.sends = mq->sends;
	st.recvs = mq->recvs;
	st.drops = mq->drops;
	st.stime = mq->stime;
	st.rtime = mq->rtime;
	st.lspid = pid_nr_ns(mq->lspid, pid_ns);
	st.lrpid = pid_nr_ns(mq->lrpid, pid_ns);
	spin_unlock(&mq->lock);

	if (nla_put_u32(skb, KIPC_A_OBJ_MQ_MAX_MSGS, mq->max_msgs) ||
	    nla_put_u32(skb, KIPC_A_OBJ_MQ_MAX_MSGSIZE, mq->max_msgsize) ||
	    nla_put_u32(skb, KIPC_A_OBJ_MQ_FLAGS, mq->flags) ||
	    nla_put_u32(skb, KIPC_A_OBJ_MQ_DEPTH, st.depth) ||
	    nla_put_u64_64bit(skb, KIPC_A_OBJ_MQ_BYTES, st.bytes,
			      KIPC_A_OBJ_PAD) ||
	    nla_put_u32(skb, KIPC_A_OBJ_MQ_HWM, st.hwm) ||
	    nla_put_u64_64bit(skb, KIPC_A_OBJ_MQ_SENDS, st.sends,
			      KIPC_A_OBJ_PAD) ||
	    nla_put_u64_64bit(skb, KIPC_A_OBJ_MQ_RECVS, st.recvs,
			      KIPC_A_OBJ_PAD) ||
	    nla_put_u64_64bit(skb, KIPC_A_OBJ_MQ_DROPS, st.drops,
			      KIPC_A_OBJ_PAD) ||
	    nla_put_u32(skb, KIPC_A_OBJ_MQ_WAIT_SEND, st.nr_senders) ||
	    nla_put_u32(skb, KIPC_A_OBJ_MQ_WAIT_RECV, st.nr_receivers) ||
	    nla_put_u32(skb, KIPC_A_OBJ_MQ_LSPID, st.lspid) ||
	    nla_put_u32(skb, KIPC_A_OBJ_MQ_LRPID, st.lrpid) ||
	    nla_put_u64_64bit(skb, KIPC_A_OBJ_MQ_STIME, st.stime,
			      KIPC_A_OBJ_PAD) ||
	    nla_put_u64_64bit(skb, KIPC_A_OBJ_MQ_RTIME, st.rtime,
			      KIPC_A_OBJ_PAD))
		return -EMSGSIZE;
	return 0;
}

static void kipc_mq_exit(void)
{
	kipc_msg_exit();
	kmem_cache_destroy(kipc_mq_cache);
}

static int kipc_mq_init(void)
{
	int ret;

	kipc_mq_cache = KMEM_CACHE(kipc_mq, SLAB_ACCOUNT);
	if (!kipc_mq_cache)
		return -ENOMEM;
	ret = kipc_msg_init();
	if (ret)
		kmem_cache_destroy(kipc_mq_cache);
	return ret;
}

static const struct kipc_ioctl_op kipc_mq_ioctl_ops[] = {
	KIPC_IOCTL_OP(KIPC_IOC_MQ_SEND, kipc_mq_send_ioctl,
		      struct kipc_mq_send, deadline),
	KIPC_IOCTL_OP(KIPC_IOC_MQ_RECV, kipc_mq_recv_ioctl,
		      struct kipc_mq_recv, out_prio),
	KIPC_IOCTL_OP(KIPC_IOC_MQ_SENDV, kipc_mq_sendv_ioctl,
		      struct kipc_mq_sendv, __reserved),
	KIPC_IOCTL_OP(KIPC_IOC_MQ_RECVV, kipc_mq_recvv_ioctl,
		      struct kipc_mq_sendv, __reserved),
	KIPC_IOCTL_OP(KIPC_IOC_MQ_PEEK, kipc_mq_peek_ioctl,
		      struct kipc_mq_peek, out_prio),
	KIPC_IOCTL_OP(KIPC_IOC_MQ_GETATTR, kipc_mq_getattr_ioctl,
		      struct kipc_mq_getattr, out_bytes),
	KIPC_IOCTL_OP(KIPC_IOC_MQ_SENDRECV, kipc_mq_sendrecv_ioctl,
		      struct kipc_mq_sendrecv, __reserved2),
};

static const struct file_operations kipc_mq_fops = {
	.owner = THIS_MODULE,
	.release = kipc_obj_file_release,
	.unlocked_ioctl = kipc_obj_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.read = kipc_mq_read,
	.write = kipc_mq_write,
	.poll = kipc_mq_poll,
	.llseek = noop_llseek,
	.show_fdinfo = kipc_obj_show_fdinfo,
};

const struct kipc_type_ops kipc_mq_ops = {
	.type = KIPC_OBJ_MQ,
	.name = "mq",
	.fops = &kipc_mq_fops,
	.show_fdinfo = kipc_mq_show_fdinfo,
	.ioctl_ops = kipc_mq_ioctl_ops,
	.n_ioctl_ops = ARRAY_SIZE(kipc_mq_ioctl_ops),
	.attr_size = sizeof(struct kipc_mq_attr),
	.validate = kipc_mq_validate,
	.alloc = kipc_mq_alloc,
	.free = kipc_mq_free,
	.remove = kipc_mq_remove,
	.attach = kipc_mq_attach,
	.release = kipc_mq_release,
	.fill_attr = kipc_mq_fill_attr,
	.fill_nl = kipc_mq_fill_nl,
	.init = kipc_mq_init,
	.exit = kipc_mq_exit,
};
