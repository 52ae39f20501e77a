// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc: the vectored calls of queues, KIPC_IOC_MQ_SENDV and
 * KIPC_IOC_MQ_RECVV, which move up to KIPC_MQ_VEC_MAX messages in one
 * call, and the user-copy fast paths that make them cheaper than as many
 * single calls: a vector read and its results written in one user access,
 * messages allocated in bulk per size class, small payloads copied word by
 * word in one user access, batches queued under one hold of mq->lock.
 */
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>

#include "mq.h"
#include "kipc_trace.h"

/*
 * Read the @n entries of @uvec field by field, in one user access: the
 * same one read each field once, as copy_from_user() of the array would,
 * without a rep movs over it (see KIPC_MSG_SMALL).
 */
static int kipc_mq_vec_read(struct kipc_mq_vec *vec,
			    const struct kipc_mq_vec __user *uvec, u32 n)
{
	u32 k;

	if (!user_read_access_begin(uvec, n * sizeof(*uvec)))
		return -EFAULT;
	for (k = 0; k < n; k++) {
		unsafe_get_user(vec[k].buf, &uvec[k].buf, efault);
		unsafe_get_user(vec[k].len, &uvec[k].len, efault);
		unsafe_get_user(vec[k].prio, &uvec[k].prio, efault);
	}
	user_read_access_end();
	return 0;
efault:
	user_read_access_end();
	return -EFAULT;
}

/*
 * What SENDV and RECVV share: the flag, credentials, access and deadline
 * checks, and the copy of the vector. Needs @mode (FMODE_READ or
 * FMODE_WRITE) on the fd. Only RECVV takes KIPC_RECV_CREDS, and @creds
 * with it.
 */
static struct kipc_mq_vec *kipc_mq_vec_begin(struct kipc_ucmd *ucmd,
					     fmode_t mode,
					     struct kipc_deadline *dl)
{
	struct kipc_mq_sendv *cmd = ucmd->cmd;
	u32 flags = KIPC_WAIT_FLAGS;
	struct kipc_mq_vec *vec;
	int ret;

	if (mode == FMODE_READ)
		flags |= KIPC_RECV_CREDS;
	/*
	 * Regions travel one at a time (SEND, SENDRECV), and a reply-to needs
	 * the receive queue of KIPC_IOC_MQ_SENDRECV: refused, not unknown.
	 */
	if (mode == FMODE_WRITE &&
	    (cmd->flags & (KIPC_SEND_REGION | KIPC_SEND_SEALED |
			   KIPC_SEND_REPLYTO)))
		return ERR_PTR(-EINVAL);
	if ((cmd->flags & ~flags) || cmd->__reserved)
		return ERR_PTR(-EOPNOTSUPP);
	if (cmd->creds && !(cmd->flags & KIPC_RECV_CREDS))
		return ERR_PTR(-EINVAL);
	ret = kipc_mq_creds_check(file_mq(ucmd->file), cmd->flags,
				  ucmd->user_size,
				  offsetofend(struct kipc_mq_sendv, creds));
	if (ret)
		return ERR_PTR(ret);
	if (!(ucmd->file->f_mode & mode))
		return ERR_PTR(-EBADF);
	ret = kipc_deadline_init(dl, ucmd->file, cmd->flags, cmd->clockid,
				 cmd->deadline);
	if (ret)
		return ERR_PTR(ret);
	ret = kipc_mq_vec_check(cmd->count);
	if (ret)
		return ERR_PTR(ret);
	/* count is bounded above, so the size cannot overflow. */
	vec = kvmalloc_array(cmd->count, sizeof(*vec), GFP_KERNEL);
	if (!vec)
		return ERR_PTR(-ENOMEM);
	ret = kipc_mq_vec_read(vec, u64_to_user_ptr(cmd->vec), cmd->count);
	if (ret) {
		kvfree(vec);
		return ERR_PTR(ret);
	}
	return vec;
}

/*
 * Payload bytes SENDV copies in ahead of one hold of mq->lock. A batch is
 * queued under one lock hold and its receivers woken once, after it: a
 * receiver that is woken by the first message then finds the rest already
 * there, instead of one wake-up per message. The bound keeps what a sender
 * that waits for room pins small.
 */
#define KIPC_MQ_SENDV_BATCH	(64 * 1024)

/*
 * With nobody waiting to receive, nothing is handed over and nothing is
 * too big for anyone: a batch of one priority that fits whole is spliced
 * onto its list at once. Returns how many were queued, all or none.
 */
static int kipc_mq_splice_batch_locked(struct kipc_mq *mq,
				       struct list_head *batch)
{
	struct kipc_msg *msg;
	u32 prio, count = 0;
	u64 bytes = 0;

	lockdep_assert_held(&mq->lock);
	if (mq->removed || mq->rd_hup || !list_empty(&mq->receivers.list) ||
	    list_empty(batch))
		return 0;
	prio = list_first_entry(batch, struct kipc_msg, node)->prio;
	list_for_each_entry(msg, batch, node) {
		if (msg->prio != prio)
			return 0;
		bytes += msg->len;
		count++;
	}
	/* depth may exceed max_msgs: kipc_mq_put_back() does not bound it. */
	if (mq->depth >= mq->max_msgs || count > mq->max_msgs - mq->depth)
		return 0;
	if (trace_kipc_mq_send_enabled() || trace_kipc_mq_receive_enabled())
		list_for_each_entry(msg, batch, node) {
			kipc_trace_mq_stamp(&msg->qtime);
			trace_kipc_mq_send(&mq->obj, msg->len, msg->prio);
		}
	list_splice_tail_init(batch, &mq->prio[prio]);
	kipc_prio_map_set(&mq->prio_map, prio);
	mq->depth += count;
	mq->bytes += bytes;
	mq->hwm = max(mq->hwm, mq->depth);
	return count;
}

/*
 * Send the messages on @batch in order, under one lock hold. Only the first
 * may wait for room, and only if @may_wait. Returns how many went (the
 * queue owns them; the rest stay on @batch), or -errno when none did.
 */
static int kipc_mq_send_batch(struct kipc_mq *mq, struct list_head *batch,
			      bool may_wait, const struct kipc_deadline *dl)
{
	struct kipc_mq_waiter w = {};
	struct kipc_wakeups wk = {};
	struct kipc_msg *msg, *tmp;
	int n = 0, pushed = 0, ret = 0;
	bool queued = false;
	LIST_HEAD(dropped);

	/* A full KIPC_MQ_FULL_FAIL or _DROP queue fails or drops at once. */
	if (kipc_mq_never_waits(mq))
		may_wait = false;
	spin_lock(&mq->lock);
	pushed = kipc_mq_splice_batch_locked(mq, batch);
	queued = pushed;
	n = pushed;
	list_for_each_entry_safe(msg, tmp, batch, node) {
		list_del(&msg->node);
		ret = kipc_mq_push_locked(mq, msg, &wk, &dropped);
		if (ret == -EAGAIN && may_wait && !n &&
		    kipc_mq_spin_locked(mq, true, dl))
			ret = kipc_mq_push_locked(mq, msg, &wk, &dropped);
		if (ret == -EAGAIN && may_wait && !n) {
			/* @msg may be gone once a waker queued it. */
			u32 len = msg->len, prio = msg->prio;

			/* A full queue: nobody was woken yet. */
			w.msg = msg;
			ret = kipc_mq_wait_locked(mq, &w, true, dl);
			if (!ret && w.w.state == KIPC_WAITER_REMOVED)
				ret = -EIDRM;
			else if (!ret && w.w.state == KIPC_WAITER_HUP)
				ret = -EPIPE;
			/* A waker queued it and counted it. */
			if (!ret) {
				trace_kipc_mq_send(&mq->obj, len, prio);
				n++;
				continue;
			}
		}
		if (ret < 0) {
			list_add(&msg->node, batch);
			break;
		}
		trace_kipc_mq_send(&mq->obj, msg->len, msg->prio);
		queued |= ret;
		pushed++;
		n++;
	}
	if (pushed)
		kipc_mq_pushed_locked(mq, pushed, queued);
	spin_unlock(&mq->lock);
	kipc_wake_all(&wk);
	kipc_msg_free_list(&dropped);
	return n ? n : ret;
}

/*
 * Payloads up to this size are copied in word by word, in one user access
 * for a whole run of messages, as filldir() and strncpy_from_user() do: a
 * user access (stac/clac) and a rep movs of its own for each would cost
 * more than the copy itself. Larger ones take copy_from_user().
 */
#define KIPC_MSG_SMALL	256

/*
 * Copy the payloads of @vec[0..@run), each at most KIPC_MSG_SMALL bytes,
 * into the messages @objs. The destinations are fresh objects of a class
 * that holds each length, so there is nothing for hardened usercopy to
 * check. Returns how many were copied whole.
 */
static u32 kipc_msgs_copy_small(void **objs, const struct kipc_mq_vec *vec,
				u32 run)
{
	const char __user *src;
	struct kipc_msg *msg;
	u32 k, len;
	char *dst;

	for (k = 0; k < run; k++)
		if (!access_ok(u64_to_user_ptr(vec[k].buf), vec[k].len))
			break;
	run = k;
	if (!run || !user_read_access_begin(u64_to_user_ptr(vec[0].buf),
					    vec[0].len))
		return 0;
	for (k = 0; k < run; k++) {
		msg = objs[k];
		dst = msg->data;
		src = u64_to_user_ptr(vec[k].buf);
		len = vec[k].len;
		for (; len >= sizeof(u64); len -= sizeof(u64)) {
			unsafe_get_user(*(u64 *)dst, (const u64 __user *)src,
					out);
			dst += sizeof(u64);
			src += sizeof(u64);
		}
		for (; len; len--)
			unsafe_get_user(*dst++, src++, out);
	}
out:
	user_read_access_end();
	return k;
}

/* Copy in the payloads of @vec[0..@run) one by one. */
static u32 kipc_msgs_copy(void **objs, const struct kipc_mq_vec *vec,
			  u32 run)
{
	struct kipc_msg *msg;
	u32 k;

	for (k = 0; k < run; k++) {
		msg = objs[k];
		if (copy_from_user(msg->data, u64_to_user_ptr(vec[k].buf),
				   vec[k].len))
			break;
	}
	return k;
}

/*
 * Copy in the messages of @vec from *@i on, up to KIPC_MQ_SENDV_BATCH
 * payload bytes (at least one message), onto @batch, allocating each run of
 * messages of one size class in bulk. Returns 0, or the error of entry *@i,
 * with the entries before it on @batch.
 */
static int kipc_mq_batch_from_user(struct kipc_mq *mq,
				   const struct kipc_mq_vec *vec, u32 count,
				   u32 *i, struct list_head *batch)
{
	void *objs[KIPC_MSG_BULK];
	const struct kipc_mq_vec *v;
	struct kmem_cache *cache;
	struct kipc_msg *msg;
	u32 run, k, copied;
	size_t bytes = 0;
	bool small;
	int ret;

	while (*i < count &&
	       (list_empty(batch) || bytes + vec[*i].len <= KIPC_MQ_SENDV_BATCH)) {
		v = &vec[*i];
		ret = kipc_msg_check(mq, v->len, v->prio);
		if (ret)
			return ret;
		cache = kipc_msg_cache(v->len);
		if (!cache) {
			msg = kipc_msg_from_user(mq, v->buf, v->len, v->prio);
			if (IS_ERR(msg))
				return PTR_ERR(msg);
			list_add_tail(&msg->node, batch);
			bytes += msg->len;
			(*i)++;
			continue;
		}

		/* The run of valid entries of this class that fits the batch. */
		small = v->len <= KIPC_MSG_SMALL;
		bytes += v->len;
		for (run = 1; run < KIPC_MSG_BULK && *i + run < count; run++) {
			const struct kipc_mq_vec *next = &v[run];

			if (kipc_msg_check(mq, next->len, next->prio) ||
			    kipc_msg_cache(next->len) != cache ||
			    bytes + next->len > KIPC_MQ_SENDV_BATCH)
				break;
			small &= next->len <= KIPC_MSG_SMALL;
			bytes += next->len;
		}
		if (!kmem_cache_alloc_bulk(cache, GFP_KERNEL_ACCOUNT, run, objs))
			return -ENOMEM;
		for (k = 0; k < run; k++) {
			msg = objs[k];
			msg->len = v[k].len;
			msg->prio = v[k].prio;
			msg->pid = NULL;
			msg->region = NULL;
			msg->reply = NULL;
		}
		copied = small ? kipc_msgs_copy_small(objs, v, run) :
				 kipc_msgs_copy(objs, v, run);
		for (k = 0; k < copied; k++) {
			msg = objs[k];
			kipc_msg_stamp(mq, msg);
			list_add_tail(&msg->node, batch);
		}
		*i += copied;
		if (copied < run) {
			kmem_cache_free_bulk(cache, run - copied, objs + copied);
			return -EFAULT;
		}
	}
	return 0;
}

/**
 * kipc_mq_sendv_ioctl() - ioctl(KIPC_IOC_MQ_SENDV)
 * @ucmd: the call, a struct kipc_mq_sendv
 *
 * Return: how many messages were sent, or a negative errno when none was.
 */
int kipc_mq_sendv_ioctl(struct kipc_ucmd *ucmd)
{
	struct kipc_mq *mq = file_mq(ucmd->file);
	struct kipc_mq_sendv *cmd = ucmd->cmd;
	struct kipc_deadline dl;
	struct kipc_mq_vec *vec;
	u32 i = 0, n = 0, first;
	int ret = 0, sent;

	vec = kipc_mq_vec_begin(ucmd, FMODE_WRITE, &dl);
	if (IS_ERR(vec))
		return PTR_ERR(vec);

	/*
	 * Only the first message may wait, and the rest go while there is
	 * room. An error at entry i still reports the i sent before it.
	 */
	while (i < cmd->count && !ret) {
		LIST_HEAD(batch);

		first = i;
		ret = kipc_mq_batch_from_user(mq, vec, cmd->count, &i, &batch);
		if (i == first)
			break;
		sent = kipc_mq_send_batch(mq, &batch, !n, &dl);
		kipc_msg_free_list(&batch);
		if (sent < 0) {
			ret = sent;
			break;
		}
		n += sent;
		if (sent < i - first)
			break;
	}
	kvfree(vec);
	if (!n)
		return ret;

	cmd->out_count = n;
	kipc_ucmd_respond(ucmd, sizeof(*cmd));
	return n;
}

/*
 * Write the length and priority of the first @count messages on @msgs to
 * @uvec, in one user access rather than two per message. With @vec, also
 * deliver their payloads, each at most KIPC_MSG_SMALL bytes, to @vec's
 * buffers in the same user access (see KIPC_MSG_SMALL); the sources are
 * whole queued messages, so there is nothing for hardened usercopy to
 * check. Returns how many entries were written whole.
 */
static u32 kipc_mq_vec_report(const struct kipc_mq_vec *vec,
			      struct kipc_mq_vec __user *uvec,
			      struct list_head *msgs, u32 count)
{
	struct kipc_msg *msg;
	u32 n = 0;

	if (vec) {
		list_for_each_entry(msg, msgs, node) {
			if (n == count ||
			    !access_ok(u64_to_user_ptr(vec[n].buf), msg->len))
				break;
			n++;
		}
		count = n;
		n = 0;
	}
	if (!count || !user_write_access_begin(uvec, count * sizeof(*uvec)))
		return 0;
	list_for_each_entry(msg, msgs, node) {
		if (n == count)
			break;
		if (vec)
			unsafe_copy_to_user(u64_to_user_ptr(vec[n].buf),
					    msg->data, msg->len, out);
		unsafe_put_user(msg->len, &uvec[n].len, out);
		unsafe_put_user(msg->prio, &uvec[n].prio, out);
		n++;
	}
out:
	user_write_access_end();
	return n;
}

/*
 * KIPC_RECV_CREDS: write the credentials of the first @count messages on
 * @msgs to the array @ucreds. Returns how many entries were written whole.
 */
static u32 kipc_mq_vec_creds(struct kipc_creds __user *ucreds,
			     struct list_head *msgs, u32 count)
{
	struct kipc_creds creds;
	struct kipc_msg *msg;
	u32 n = 0;

	list_for_each_entry(msg, msgs, node) {
		if (n == count)
			break;
		kipc_msg_creds(msg, &creds);
		if (copy_to_user(&ucreds[n], &creds, sizeof(creds)))
			break;
		n++;
	}
	return n;
}

/**
 * kipc_mq_recvv_ioctl() - ioctl(KIPC_IOC_MQ_RECVV)
 * @ucmd: the call, a struct kipc_mq_sendv
 *
 * Return: how many messages were received, or a negative errno when none
 * was.
 */
int kipc_mq_recvv_ioctl(struct kipc_ucmd *ucmd)
{
	struct kipc_mq *mq = file_mq(ucmd->file);
	struct kipc_mq_sendv *cmd = ucmd->cmd;
	struct kipc_msg_bin bin = {};
	struct kipc_msg *msg, *tmp;
	struct kipc_deadline dl;
	struct kipc_mq_vec *vec;
	LIST_HEAD(msgs);
	LIST_HEAD(done);
	u32 *buflens;
	u32 i, toobig;
	bool small;
	int n;

	vec = kipc_mq_vec_begin(ucmd, FMODE_READ, &dl);
	if (IS_ERR(vec))
		return PTR_ERR(vec);
	buflens = kvmalloc_array(cmd->count, sizeof(*buflens), GFP_KERNEL);
	if (!buflens) {
		kvfree(vec);
		return -ENOMEM;
	}
	for (i = 0; i < cmd->count; i++)
		buflens[i] = vec[i].len;

	n = kipc_mq_recv_many(mq, &msgs, buflens, cmd->count, &dl, &toobig,
			      false);
	kvfree(buflens);
	if (n < 0)
		goto out_free_vec;

	small = true;
	list_for_each_entry(msg, &msgs, node)
		small &= msg->len <= KIPC_MSG_SMALL;
	if (small) {
		i = kipc_mq_vec_report(vec, u64_to_user_ptr(cmd->vec), &msgs,
				       n);
	} else {
		/* The payloads, then every length and priority at once. */
		i = 0;
		list_for_each_entry(msg, &msgs, node) {
			if (copy_to_user(u64_to_user_ptr(vec[i].buf),
					 msg->data, msg->len))
				break;
			i++;
		}
		i = kipc_mq_vec_report(NULL, u64_to_user_ptr(cmd->vec), &msgs,
				       i);
	}
	/* A message whose credentials cannot be written stays queued. */
	if (i && (cmd->flags & KIPC_RECV_CREDS))
		i = kipc_mq_vec_creds(u64_to_user_ptr(cmd->creds), &msgs, i);
	/* The first i went out: cut them off and free them, the rest stay. */
	if (i) {
		n = 0;
		list_for_each_entry(msg, &msgs, node)
			if (++n == i)
				break;
		list_cut_position(&done, &msgs, &msg->node);
		list_for_each_entry_safe(msg, tmp, &done, node) {
			trace_kipc_mq_receive(&mq->obj, msg->len, msg->prio,
					      msg->qtime);
			kipc_msg_bin_add(&bin, msg);
		}
		kipc_msg_bin_flush(&bin);
	}
	/* What could not be delivered stays queued. */
	kipc_mq_put_back(mq, &msgs);
	kipc_mq_delivered(mq, i);
	n = i ? i : -EFAULT;
	if (i) {
		cmd->out_count = i;
		kipc_ucmd_respond(ucmd, sizeof(*cmd));
	}
out_free_vec:
	kvfree(vec);
	return n;
}
