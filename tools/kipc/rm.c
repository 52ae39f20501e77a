// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc rm: unlink (or destroy) every object of one owner, or every object,
 * in the caller's IPC namespace, for logout hooks and container teardown,
 * as systemd-logind's RemoveIPC= does for System V and POSIX objects.
 *
 *	kipc rm { --owner USER | --all } [ --destroy ] [ -v ]
 *
 * The objects are listed over netlink first, then each is unlinked by name
 * (or removed by id with --destroy), with the permissions of a single
 * `kipc mq rm`: the owner, the creator or CAP_SYS_ADMIN.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include "kipc-tool.h"

/* One object to act on, as the listing saw it. */
struct kt_rm_obj {
	uint64_t id;
	uint32_t type;
	char name[KIPC_NAME_MAX + 1];
};

struct kt_rm_ctx {
	bool all;
	uint32_t uid;
	struct kt_rm_obj *v;
	size_t n;
	size_t cap;
};

static int kt_rm_collect(const struct kipc_admin_obj *obj, void *arg)
{
	struct kt_rm_ctx *ctx = arg;
	bool named = !(obj->state & (KIPC_STATE_UNLINKED | KIPC_STATE_REMOVED))
		     && obj->name[0];

	if (!ctx->all && obj->uid != ctx->uid)
		return 0;
	/* Unlinking needs a name; removal, an object not yet removed. */
	if (kt_args.destroy ? (obj->state & KIPC_STATE_REMOVED) : !named)
		return 0;
	if (ctx->n == ctx->cap) {
		size_t cap = ctx->cap ? 2 * ctx->cap : 64;
		struct kt_rm_obj *v = realloc(ctx->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		ctx->v = v;
		ctx->cap = cap;
	}
	ctx->v[ctx->n].id = obj->id;
	ctx->v[ctx->n].type = obj->type;
	memcpy(ctx->v[ctx->n].name, obj->name, sizeof(obj->name));
	ctx->n++;
	return 0;
}

/*
 * Unlink @o's name, if it still names the object listed: a name unlinked and
 * made again since then belongs to another object, maybe of another owner.
 * Returns 0, 1 when it is gone already, or -errno.
 */
static int kt_rm_unlink(struct kipc_admin *ka, const struct kt_rm_obj *o)
{
	struct kipc_admin_obj now;
	int ret;

	ret = kipc_admin_find(ka, o->type, o->name, &now, sizeof(now));
	if (ret == -ENOENT || (!ret && now.id != o->id))
		return 1;
	if (ret < 0)
		return ret;
	ret = kipc_unlink(o->type, o->name);
	return ret == -ENOENT ? 1 : ret;
}

static int kt_rm_all_run(const struct kt_cmd *cmd, int argc, char **argv)
{
	struct kt_rm_ctx ctx = { 0 };
	struct kipc_admin *ka;
	int ret, first, status = 0;
	size_t i;

	ret = kt_cmd_args(cmd, argc, argv, 0, 0, NULL, &first);
	if (ret >= 0)
		return ret;
	if (!kt_args.owner == !kt_args.all)
		return kt_usage_err(cmd->path, "'rm' needs one of '--owner USER' and '--all'");
	ctx.all = kt_args.all;
	if (kt_args.owner &&
	    !kt_parse_u32(kt_args.owner, 10, 0, UINT32_MAX - 1, &ctx.uid)) {
		struct passwd *pw = NULL;

		if (!isdigit((unsigned char)kt_args.owner[0]))
			pw = getpwnam(kt_args.owner);
		if (!pw)
			return kt_usage_err(cmd->path, "invalid user '%s': a uid, or a user name",
					    kt_args.owner);
		ctx.uid = pw->pw_uid;
	}
	if (kt_connect(&ka))
		return KT_EXIT_FAILURE;
	ret = kipc_admin_list(ka, kt_rm_collect, &ctx);
	if (ret < 0) {
		status = kt_admin_err(ka, ret, "cannot list the objects");
		goto out;
	}
	for (i = 0; i < ctx.n; i++) {
		const struct kt_rm_obj *o = &ctx.v[i];
		const char *type = kipc_type_name(o->type);

		if (kt_args.destroy) {
			ret = kipc_admin_remove(ka, o->id);
			if (ret == -ENOENT)
				continue;
			if (ret < 0) {
				status = kt_admin_err(ka, ret, "cannot destroy %s '%s' (id %" PRIu64 ")",
						      type, o->name, o->id);
				continue;
			}
		} else {
			ret = kt_rm_unlink(ka, o);
			if (ret == 1)
				continue;
			if (ret < 0) {
				status = kt_dev_err(ret, "cannot unlink %s '%s'",
						    type, o->name);
				continue;
			}
		}
		if (kt_args.verbose)
			printf("%s %s %s%s%s\n",
			       kt_args.destroy ? "destroyed" : "unlinked",
			       type, o->name[0] ? "'" : "",
			       o->name[0] ? o->name : "(anonymous)",
			       o->name[0] ? "'" : "");
	}
out:
	free(ctx.v);
	kipc_admin_close(ka);
	return status;
}

static const char kt_rm_all_doc[] =
	"Unlink the name of every object (queue, region, semaphore) of the\n"
	"caller's IPC namespace whose owner is USER (a user name or a uid), or\n"
	"of every object with --all: open fds and mappings keep working, and\n"
	"each object is freed when its last one goes, as after 'kipc mq rm'.\n"
	"With --destroy, remove the objects as 'kipc mq destroy' does, by id,\n"
	"unlinked ones too: blocked tasks wake with EIDRM and later calls on\n"
	"their fds fail. Either needs, for each object, to be its owner, its\n"
	"creator or to have CAP_SYS_ADMIN; one it may not remove is reported\n"
	"and the others are still removed. For a logout hook, as logind's\n"
	"RemoveIPC=, run 'kipc rm --owner \"$PAM_USER\"' from pam_exec(8).\n";

const struct kt_cmd kt_rm_all_cmd = {
	.name = "rm",
	.path = "rm",
	.summary = "unlink the objects of a user, or all, in this IPC namespace",
	.opts = KT_OPTS_RM,
	.run = kt_rm_all_run,
	.help = kt_cmd_help,
	.usage = "{ --owner USER | --all } [ --destroy ] [ -v ]",
	.doc = kt_rm_all_doc,
};
