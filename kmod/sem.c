// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc: counting semaphores.
 *
 * A semaphore holds a value from 0 to KIPC_SEM_VALUE_MAX, set at creation.
 * It costs nothing against the byte limits beyond being an object.
 *
 * Fairness
 * ========
 *
 * Waiters are served strictly in arrival order: a wait that could be
 * satisfied still queues behind earlier waiters, so a wait for many units
 * is never starved by a stream of small ones. A post hands its units
 * directly to the waiters at the head of the queue that they satisfy and
 * wakes exactly those, as ipc/sem.c's wake-up queue does: no thundering
 * herd, and no wake-up lost to a waiter that gives up at the same moment,
 * because the waiter decides under the lock whether it was served. The
 * wake-up itself comes after the lock is dropped (struct kipc_wakeups).
 *
 * Undo
 * ====
 *
 * A wait with KIPC_SEM_UNDO records what it acquired against the open file
 * description, in the description itself (struct kipc_file.sem_undo), so a
 * wait, post, get or release finds its record without a search, and a wait
 * that takes nothing records nothing. A post through the same description
 * pays the record back first. When the description is released
 * (->release(), so also at exit and kill -9), the rest is posted back, up to
 * the maximum value; those units are "recovered", and the waits that take
 * them report KIPC_SEM_RECOVERED. The semaphore keeps only the totals, for
 * netlink: how many descriptions hold units, and how many units.
 *
 * Locking overview
 * ================
 *
 * sem->lock (a spinlock) protects everything below it in struct kipc_sem,
 * the queued waits (struct kipc_sem_waiter, whose protocol is wait.c's),
 * and the sem_undo of the semaphore's descriptions (struct kipc_file). It
 * may be taken under kipc_lock (netlink statistics) and nests nothing.
 * Nothing under it walks the descriptions.
 */
#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/poll.h>
#include <linux/seq_file.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <net/netlink.h>

#include "kipc_private.h"
#include "kipc_trace.h"

/**
 * struct kipc_sem_waiter - a blocked wait, on its stack
 * @w: the waiter, on sem->waiters; KIPC_WAITER_DONE when a post granted
 *	its units (wait.c)
 * @count: units wanted
 * @undo: the description to credit, with KIPC_SEM_UNDO; else NULL
 * @recovered: the units granted included recovered ones (protected by
 *	sem->lock)
 */
struct kipc_sem_waiter {
	struct kipc_waiter w;
	u32 count;
	struct kipc_file *undo;
	bool recovered;
};

/**
 * struct kipc_sem - a counting semaphore
 * @obj: the common object
 * @lock: protects every field below
 * @value: the count
 * @waiters: blocked waits, oldest first (struct kipc_sem_waiter)
 * @undo_holders: open file descriptions whose sem_undo is not 0
 * @undo_units: the sum of their sem_undo
 * @recovered_left: recovered units not yet taken by a wait
 * @removed: removed by an administrator
 * @poll_wq: poll and epoll waiters
 * @waits: successful waits
 * @posts: posts
 * @timeouts: waits that timed out
 * @recovered: units given back by undo, ever
 * @lpid: last process to wait or post
 * @otime: time of the last wait or post, ns since the epoch
 */
struct kipc_sem {
	struct kipc_object obj;
	spinlock_t lock;	/* see the locking overview */
	u32 value;
	struct kipc_waitq waiters;
	u32 undo_holders;
	u64 undo_units;
	u64 recovered_left;
	bool removed;
	wait_queue_head_t poll_wq;

	u64 waits;
	u64 posts;
	u64 timeouts;
	u64 recovered;
	struct pid *lpid;
	u64 otime;
};

static struct kmem_cache *kipc_sem_cache;

static struct kipc_sem *to_sem(struct kipc_object *obj)
{
	return container_of(obj, struct kipc_sem, obj);
}

static struct kipc_sem *file_sem(struct file *file)
{
	return to_sem(kipc_file_obj(file));
}

static void kipc_sem_touch_locked(struct kipc_sem *sem,
				  struct task_struct *task)
{
	lockdep_assert_held(&sem->lock);
	sem->otime = ktime_get_real_ns();
	kipc_set_last_pid(&sem->lpid, task);
}

/* Record @count units taken under undo by the description @kf. */
static void kipc_sem_undo_add_locked(struct kipc_sem *sem,
				     struct kipc_file *kf, u32 count)
{
	lockdep_assert_held(&sem->lock);
	if (!kf->sem_undo)
		sem->undo_holders++;
	kf->sem_undo += count;
	sem->undo_units += count;
}

/*
 * Pay back up to @count units of @kf's record, and return how many it
 * held of them.
 */
static u64 kipc_sem_undo_sub_locked(struct kipc_sem *sem,
				    struct kipc_file *kf, u64 count)
{
	u64 units = min(kf->sem_undo, count);

	lockdep_assert_held(&sem->lock);
	if (!units)
		return 0;
	kf->sem_undo -= units;
	sem->undo_units -= units;
	if (!kf->sem_undo)
		sem->undo_holders--;
	return units;
}

/* Take @count units for a wait. Returns whether some were recovered. */
static bool kipc_sem_take_locked(struct kipc_sem *sem, u32 count,
				 struct kipc_file *undo,
				 struct task_struct *task)
{
	bool recovered = false;

	lockdep_assert_held(&sem->lock);
	sem->value -= count;
	if (sem->recovered_left) {
		sem->recovered_left -= min_t(u64, sem->recovered_left, count);
		recovered = true;
	}
	if (undo)
		kipc_sem_undo_add_locked(sem, undo, count);
	sem->waits++;
	kipc_sem_touch_locked(sem, task);
	return recovered;
}

/* Hand units to the waiters at the head of the queue that they satisfy. */
static void kipc_sem_serve_locked(struct kipc_sem *sem,
				  struct kipc_wakeups *wk)
{
	struct kipc_sem_waiter *sw, *tmp;

	lockdep_assert_held(&sem->lock);
	list_for_each_entry_safe(sw, tmp, &sem->waiters.list, w.node) {
		if (sw->count > sem->value)
			break;
		sw->recovered = kipc_sem_take_locked(sem, sw->count, sw->undo,
						     sw->w.task);
		kipc_waiter_wake_locked(&sem->waiters, &sw->w,
					KIPC_WAITER_DONE, wk);
	}
	/* Checked under sem->lock, which ->poll() takes after queueing. */
	if (sem->value && wq_has_sleeper(&sem->poll_wq))
		wake_up_interruptible_poll(&sem->poll_wq, EPOLLIN | EPOLLRDNORM);
}

/*
 * Whether a wait for @count units could go now: nobody queued ahead of it
 * and enough units, or the semaphore gone.
 */
static bool kipc_sem_ready(struct kipc_sem *sem, u32 count)
{
	return READ_ONCE(sem->removed) ||
	       (list_empty(&sem->waiters.list) &&
		READ_ONCE(sem->value) >= count);
}

static bool kipc_sem_ready_locked(struct kipc_sem *sem, u32 count)
{
	lockdep_assert_held(&sem->lock);
	return kipc_sem_ready(sem, count);
}

/* What a wait spins for (kipc_spin_locked()). */
struct kipc_sem_spin {
	struct kipc_sem *sem;
	u32 count;
};

/* Whether the wait could go now: the caller decides again under sem->lock. */
static bool kipc_sem_spin_done(const void *arg)
{
	const struct kipc_sem_spin *spin = arg;

	/* Racy by design: a hint to stop spinning, decided again. */
	return data_race(kipc_sem_ready(spin->sem, spin->count));
}

#define KIPC_SEM_WAIT_FLAGS	(KIPC_WAIT_FLAGS | KIPC_SEM_UNDO)

static int kipc_sem_wait_ioctl(struct kipc_ucmd *ucmd)
{
	struct kipc_sem *sem = file_sem(ucmd->file);
	struct kipc_sem_wait *cmd = ucmd->cmd;
	struct kipc_file *undo = NULL;
	struct kipc_sem_spin spin = { .sem = sem, .count = cmd->count };
	struct kipc_sem_waiter sw = {};
	struct kipc_wakeups wk = {};
	struct kipc_deadline dl;
	int ret;

	if ((cmd->flags & ~KIPC_SEM_WAIT_FLAGS) || cmd->__reserved)
		return -EOPNOTSUPP;
	if (!(ucmd->file->f_mode & FMODE_READ))
		return -EBADF;
	if (!cmd->count || cmd->count > KIPC_SEM_VALUE_MAX)
		return -EINVAL;
	ret = kipc_deadline_init(&dl, ucmd->file, cmd->flags, cmd->clockid,
				 cmd->deadline);
	if (ret)
		return ret;
	/* Credited only with the units, so a failed wait records nothing. */
	if (cmd->flags & KIPC_SEM_UNDO)
		undo = kipc_file(ucmd->file);

	spin_lock(&sem->lock);
	/* Strict FIFO: with waiters asleep, a spin could not win. */
	if (!kipc_sem_ready_locked(sem, cmd->count))
		kipc_spin_locked(&sem->lock, &sem->waiters, &dl,
				 kipc_sem_spin_done, &spin);
	if (sem->removed) {
		ret = -EIDRM;
		goto out_unlock;
	}
	/* Strict FIFO: nobody overtakes a queued waiter. */
	if (list_empty(&sem->waiters.list) && sem->value >= cmd->count) {
		sw.recovered = kipc_sem_take_locked(sem, cmd->count, undo,
						    current);
		goto out_granted;
	}
	ret = kipc_wait_check(&dl);
	if (ret == -ETIMEDOUT)
		sem->timeouts++;
	if (ret)
		goto out_unlock;

	sw.count = cmd->count;
	sw.undo = undo;
	ret = kipc_wait_locked(&sem->lock, &sw.w, &sem->waiters, &dl);
	if (!ret) {
		if (sw.w.state == KIPC_WAITER_DONE)
			goto out_granted;
		ret = -EIDRM;
		goto out_unlock;
	}
	if (ret == -ETIMEDOUT)
		sem->timeouts++;
	/* Leaving the head may let the next ones through. */
	kipc_sem_serve_locked(sem, &wk);
	goto out_unlock;

out_granted:
	trace_kipc_sem_wait(&sem->obj, cmd->count, &sw.w, undo, sw.recovered);
	spin_unlock(&sem->lock);
	cmd->out_flags = sw.recovered ? KIPC_SEM_RECOVERED : 0;
	/*
	 * The units are ours now. Failing to report them would lose them, so
	 * a fault here still succeeds; the wait itself did happen.
	 */
	kipc_ucmd_respond(ucmd, sizeof(*cmd));
	return 0;

out_unlock:
	spin_unlock(&sem->lock);
	kipc_wake_all(&wk);
	return ret;
}

static int kipc_sem_post_ioctl(struct kipc_ucmd *ucmd)
{
	struct kipc_sem *sem = file_sem(ucmd->file);
	struct kipc_sem_post *cmd = ucmd->cmd;
	struct kipc_wakeups wk = {};
	int ret = 0;

	if (cmd->flags || cmd->__reserved)
		return -EOPNOTSUPP;
	if (!(ucmd->file->f_mode & FMODE_WRITE))
		return -EBADF;
	if (!cmd->count)
		return -EINVAL;

	spin_lock(&sem->lock);
	if (sem->removed) {
		ret = -EIDRM;
		goto out_unlock;
	}
	if (cmd->count > KIPC_SEM_VALUE_MAX - sem->value) {
		ret = -EOVERFLOW;
		goto out_unlock;
	}
	sem->value += cmd->count;
	sem->posts++;
	kipc_sem_touch_locked(sem, current);
	kipc_sem_undo_sub_locked(sem, kipc_file(ucmd->file), cmd->count);
	trace_kipc_sem_post(&sem->obj, cmd->count);
	kipc_sem_serve_locked(sem, &wk);
out_unlock:
	spin_unlock(&sem->lock);
	kipc_wake_all(&wk);
	return ret;
}

static int kipc_sem_get_ioctl(struct kipc_ucmd *ucmd)
{
	struct kipc_sem *sem = file_sem(ucmd->file);
	struct kipc_sem_get *cmd = ucmd->cmd;
	int ret = 0;

	if (cmd->flags)
		return -EOPNOTSUPP;
	spin_lock(&sem->lock);
	if (sem->removed)
		ret = -EIDRM;
	cmd->out_value = sem->value;
	cmd->out_waiters = sem->waiters.nr;
	cmd->out_undo = kipc_file(ucmd->file)->sem_undo;
	spin_unlock(&sem->lock);
	if (ret)
		return ret;
	return kipc_ucmd_respond(ucmd, sizeof(*cmd));
}

static __poll_t kipc_sem_poll(struct file *file, poll_table *wait)
{
	struct kipc_sem *sem = file_sem(file);
	__poll_t mask = 0;

	poll_wait(file, &sem->poll_wq, wait);
	spin_lock(&sem->lock);
	if (sem->removed)
		mask = EPOLLERR | EPOLLHUP;
	else if (sem->value)
		mask = EPOLLIN | EPOLLRDNORM;
	spin_unlock(&sem->lock);
	return mask;
}

/* The description is gone: post back what it still holds. */
static void kipc_sem_release(struct kipc_object *obj, struct file *file)
{
	struct kipc_sem *sem = to_sem(obj);
	struct kipc_wakeups wk = {};
	u64 held;
	u32 units;

	spin_lock(&sem->lock);
	held = kipc_sem_undo_sub_locked(sem, kipc_file(file), U64_MAX);
	if (!sem->removed && held) {
		units = min_t(u64, held, KIPC_SEM_VALUE_MAX - sem->value);
		sem->value += units;
		sem->recovered += units;
		sem->recovered_left += units;
		trace_kipc_sem_undo(obj, held, units);
		kipc_sem_serve_locked(sem, &wk);
	}
	spin_unlock(&sem->lock);
	kipc_wake_all(&wk);
}

/* --- object ops ---------------------------------------------------------- */

static int kipc_sem_validate(const union kipc_attr *attr, u64 *bytes)
{
	const struct kipc_sem_attr *a = &attr->sem;

	if (a->__reserved)
		return -EOPNOTSUPP;
	if (a->value > KIPC_SEM_VALUE_MAX)
		return -EINVAL;
	*bytes = 0;
	return 0;
}

static struct kipc_object *kipc_sem_alloc(const union kipc_attr *attr)
{
	struct kipc_sem *sem;

	sem = kmem_cache_zalloc(kipc_sem_cache, GFP_KERNEL_ACCOUNT);
	if (!sem)
		return ERR_PTR(-ENOMEM);
	spin_lock_init(&sem->lock);
	sem->value = attr->sem.value;
	kipc_waitq_init(&sem->waiters);
	init_waitqueue_head(&sem->poll_wq);
	return &sem->obj;
}

static void kipc_sem_free(struct kipc_object *obj)
{
	struct kipc_sem *sem = to_sem(obj);

	/* Every description was released, and took its record along. */
	WARN_ON(sem->undo_holders || sem->undo_units);
	put_pid(sem->lpid);
	kmem_cache_free(kipc_sem_cache, sem);
}

static void kipc_sem_remove(struct kipc_object *obj)
{
	struct kipc_sem *sem = to_sem(obj);
	struct kipc_wakeups wk = {};

	spin_lock(&sem->lock);
	sem->removed = true;
	kipc_waitq_remove_locked(&sem->waiters, &wk);
	wake_up_interruptible_poll(&sem->poll_wq, EPOLLERR | EPOLLHUP);
	spin_unlock(&sem->lock);
	kipc_wake_all(&wk);
}

static void kipc_sem_fill_attr(struct kipc_object *obj, union kipc_attr *attr)
{
	struct kipc_sem *sem = to_sem(obj);

	spin_lock(&sem->lock);
	attr->sem.value = sem->value;
	spin_unlock(&sem->lock);
}

/* Under sem->lock, as KIPC_IOC_SEM_GET reads them. */
static void kipc_sem_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct kipc_sem *sem = file_sem(file);
	u64 undo;
	u32 value;

	spin_lock(&sem->lock);
	value = sem->value;
	undo = kipc_file(file)->sem_undo;
	spin_unlock(&sem->lock);
	seq_printf(m, "kipc-sem-value:\t%u\n", value);
	seq_printf(m, "kipc-sem-undo:\t%llu\n", undo);
}

static int kipc_sem_fill_nl(struct sk_buff *skb, struct kipc_object *obj,
			    struct pid_namespace *pid_ns)
{
	struct kipc_sem *sem = to_sem(obj);
	u64 waits, posts, timeouts, recovered, otime, undo_units;
	u32 value, waiters, undo_holders;
	pid_t lpid;

	spin_lock(&sem->lock);
	value = sem->value;
	waiters = sem->waiters.nr;
	waits = sem->waits;
	posts = sem->posts;
	timeouts = sem->timeouts;
	recovered = sem->recovered;
	otime = sem->otime;
	lpid = pid_nr_ns(sem->lpid, pid_ns);
	undo_holders = sem->undo_holders;
	undo_units = sem->undo_units;
	spin_unlock(&sem->lock);

	if (nla_put_u32(skb, KIPC_A_OBJ_SEM_VALUE, value) ||
	    nla_put_u32(skb, KIPC_A_OBJ_SEM_WAITERS, waiters) ||
	    nla_put_u64_64bit(skb, KIPC_A_OBJ_SEM_WAITS, waits,
			      KIPC_A_OBJ_PAD) ||
	    nla_put_u64_64bit(skb, KIPC_A_OBJ_SEM_POSTS, posts,
			      KIPC_A_OBJ_PAD) ||
	    nla_put_u64_64bit(skb, KIPC_A_OBJ_SEM_TIMEOUTS, timeouts,
			      KIPC_A_OBJ_PAD) ||
	    nla_put_u32(skb, KIPC_A_OBJ_SEM_UNDO_HOLDERS, undo_holders) ||
	    nla_put_u64_64bit(skb, KIPC_A_OBJ_SEM_UNDO_UNITS, undo_units,
			      KIPC_A_OBJ_PAD) ||
	    nla_put_u64_64bit(skb, KIPC_A_OBJ_SEM_RECOVERED, recovered,
			      KIPC_A_OBJ_PAD) ||
	    nla_put_u32(skb, KIPC_A_OBJ_SEM_LPID, lpid) ||
	    nla_put_u64_64bit(skb, KIPC_A_OBJ_SEM_OTIME, otime,
			      KIPC_A_OBJ_PAD))
		return -EMSGSIZE;
	return 0;
}

static int kipc_sem_init(void)
{
	kipc_sem_cache = KMEM_CACHE(kipc_sem, SLAB_ACCOUNT);
	return kipc_sem_cache ? 0 : -ENOMEM;
}

static void kipc_sem_exit(void)
{
	kmem_cache_destroy(kipc_sem_cache);
}

static const struct kipc_ioctl_op kipc_sem_ioctl_ops[] = {
	KIPC_IOCTL_OP(KIPC_IOC_SEM_WAIT, kipc_sem_wait_ioctl,
		      struct kipc_sem_wait, __reserved),
	KIPC_IOCTL_OP(KIPC_IOC_SEM_POST, kipc_sem_post_ioctl,
		      struct kipc_sem_post, __reserved),
	KIPC_IOCTL_OP(KIPC_IOC_SEM_GET, kipc_sem_get_ioctl,
		      struct kipc_sem_get, out_undo),
};

static const struct file_operations kipc_sem_fops = {
	.owner = THIS_MODULE,
	.release = kipc_obj_file_release,
	.unlocked_ioctl = kipc_obj_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.poll = kipc_sem_poll,
	.llseek = noop_llseek,
	.show_fdinfo = kipc_obj_show_fdinfo,
};

const struct kipc_type_ops kipc_sem_ops = {
	.type = KIPC_OBJ_SEM,
	.name = "sem",
	.fops = &kipc_sem_fops,
	.show_fdinfo = kipc_sem_show_fdinfo,
	.ioctl_ops = kipc_sem_ioctl_ops,
	.n_ioctl_ops = ARRAY_SIZE(kipc_sem_ioctl_ops),
	.attr_size = sizeof(struct kipc_sem_attr),
	.validate = kipc_sem_validate,
	.alloc = kipc_sem_alloc,
	.free = kipc_sem_free,
	.remove = kipc_sem_remove,
	.release = kipc_sem_release,
	.fill_attr = kipc_sem_fill_attr,
	.fill_nl = kipc_sem_fill_nl,
	.init = kipc_sem_init,
	.exit = kipc_sem_exit,
};
