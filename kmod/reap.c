// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc: the reaper, which drops the names of dead IPC namespaces.
 *
 * Objects pin their IPC namespace, because names resolve by namespace
 * pointer and a pointer must not be reused while a name refers to it. So a
 * namespace whose tasks are all gone would live as long as its names. Once
 * every reference to it is one of its objects' -- no task, no bind mount,
 * no open ns file, nothing that could ever resolve a name there again --
 * the reaper unlinks its names, as mqueue's names die with their namespace.
 * An object still open or mapped elsewhere (an fd passed out) lives on,
 * unlinked, until its last user goes. Nothing can take a new reference to
 * such a namespace, so the test cannot go stale under kipc_lock, and a
 * namespace found dead stays dead: it is reaped once, taken off
 * kipc_namespaces, and never looked at again. A pass costs a reference
 * count read per namespace not reaped yet, and visits only the objects of
 * the namespaces that died since the last pass, through their own index.
 */
#include <linux/mutex.h>
#include <linux/proc_ns.h>
#include <linux/sched.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "compat.h"
#include "kipc_private.h"

/*
 * Reapers run one at a time, so that a caller that asked for a reap returns
 * only once every namespace found dead before it is done. Taken outside
 * kipc_lock.
 */
static DEFINE_MUTEX(kipc_reap_lock);

/* Objects unlinked per hold of kipc_lock while a namespace is reaped. */
#define KIPC_REAP_BATCH		32

/*
 * Every reference to @kns's namespace is one of its objects', the pin's or
 * the one its children hold. The initial namespace never dies; 7.x does not
 * count references to initial namespaces at all (their count stays at 1:
 * is_ns_init_id() in __ns_ref_get() and __ns_ref_put(), seen on 7.2), so
 * its count says nothing and is not read.
 */
static bool kipc_ns_dead_locked(struct kipc_ns *kns)
{
	lockdep_assert_held(&kipc_lock);
	if (kns->ipc_ns->ns.inum == PROC_IPC_INIT_INO)
		return false;
	return ns_ref_read(kns->ipc_ns) ==
	       kns->objects + kns->pinned + !!kns->children;
}

/*
 * Unlink the names of the dead @kns, in batches: kipc_lock is dropped
 * between them, so that opens in live namespaces do not wait behind a
 * namespace with many objects. @kns->reaping keeps @kns, and the reaper's
 * reference keeps its namespace, so that its address cannot be reused while
 * @kns is in kipc_ns_table. No new object can appear in a dead namespace,
 * and the walk resumes at the last id seen.
 */
static void kipc_reap_ns_locked(struct kipc_ns *kns)
{
	struct kipc_object *obj, *freed[KIPC_REAP_BATCH];
	unsigned int i, n = 0;
	unsigned long id = 0;

	lockdep_assert_held(&kipc_lock);
	WARN_ON(!kns->reaping);
	obj = xa_find(&kns->objs, &id, ULONG_MAX, XA_PRESENT);
	while (obj) {
		n = 0;
		for (i = 0; obj && i < KIPC_REAP_BATCH; i++) {
			if (obj->linked && kipc_obj_unlink_locked(obj, true))
				freed[n++] = obj;
			obj = xa_find_after(&kns->objs, &id, ULONG_MAX,
					    XA_PRESENT);
		}
		if (!obj)
			break;
		mutex_unlock(&kipc_lock);
		while (n)
			kipc_obj_free(freed[--n]);
		cond_resched();
		mutex_lock(&kipc_lock);
		/* Resume at @id: its object may have gone meanwhile. */
		obj = xa_find(&kns->objs, &id, ULONG_MAX, XA_PRESENT);
	}
	if (n) {
		mutex_unlock(&kipc_lock);
		while (n)
			kipc_obj_free(freed[--n]);
		mutex_lock(&kipc_lock);
	}
}

/* Reap the namespaces that died since the last pass. True if any is left. */
static bool kipc_reap_pass(void)
{
	struct kipc_ns *kns, *next;
	struct ipc_namespace *ns;
	LIST_HEAD(dead);
	bool again;

	mutex_lock(&kipc_reap_lock);
	mutex_lock(&kipc_lock);
	list_for_each_entry_safe(kns, next, &kipc_namespaces, node) {
		if (!kipc_ns_dead_locked(kns))
			continue;
		get_ipc_ns(kns->ipc_ns);
		kns->reaped = true;
		kns->reaping = true;
		list_move(&kns->node, &dead);
	}
	while (!list_empty(&dead)) {
		kns = list_first_entry(&dead, struct kipc_ns, node);
		list_del_init(&kns->node);
		kipc_reap_ns_locked(kns);
		ns = kns->ipc_ns;
		kns->reaping = false;
		/* Unless pinned, kns goes with its last object. */
		if (kns->pinned)
			kipc_ns_unpin_locked(kns);
		else
			kipc_ns_put_locked(kns);
		mutex_unlock(&kipc_lock);
		kipc_put_ipc_ns(ns);
		mutex_lock(&kipc_lock);
	}
	again = !list_empty(&kipc_namespaces);
	mutex_unlock(&kipc_lock);
	mutex_unlock(&kipc_reap_lock);
	return again;
}

/**
 * kipc_reap() - reap the namespaces that died since the last pass, now
 *
 * Returns once every namespace found dead before the call is reaped.
 */
void kipc_reap(void)
{
	kipc_reap_pass();
}

/**
 * kipc_reaper_fn() - the reaper's work: a pass, then another later while
 *	any namespace is left
 * @work: the work (kipc_ns_init())
 */
void kipc_reaper_fn(struct work_struct *work)
{
	if (kipc_reap_pass())
		kipc_ns_reap_later();
}
