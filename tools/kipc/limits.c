// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc limits: the limits of the caller's IPC namespace, its per-uid
 * defaults and the uids with an override or objects, with their usage; and
 * setting and resetting them, over netlink (libkipc-admin).
 *
 *	kipc limits [ show [ uid UID ] ]
 *	kipc limits set [ objects N ] [ bytes SIZE ] [ uid-objects N ]
 *			[ uid-bytes SIZE ]
 *	kipc limits set uid UID [ objects N ] [ bytes SIZE ]
 *	kipc limits reset [ uid UID ]
 *	kipc limits apply [ FILE... ]
 *
 * The keywords are iproute2's style: whole words, each at most once.
 */
#include <ctype.h>
#include <errno.h>
#include <glob.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include "kipc-tool.h"

enum {
	COL_SCOPE,
	COL_UID,
	COL_USER,
	COL_OBJECTS,
	COL_OBJECTS_USED,
	COL_BYTES,
	COL_BYTES_USED,
	COL_SET,
};

static const struct kt_column kt_limits_columns[] = {
	[COL_SCOPE]	   = { "SCOPE", 11, 0, SCOLS_JSON_STRING,
			       "namespace, uid-default (of every uid without an override) or uid" },
	[COL_UID]	   = { "UID", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			       "the uid of a uid line" },
	[COL_USER]	   = { "USER", 5, 0, SCOLS_JSON_STRING,
			       "user name of a uid line, or the uid" },
	[COL_OBJECTS]	   = { "OBJECTS", 7, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			       "object limit" },
	[COL_OBJECTS_USED] = { "OBJECTS-USED", 12, SCOLS_FL_RIGHT,
			       SCOLS_JSON_NUMBER, "objects charged now" },
	[COL_BYTES]	   = { "BYTES", 6, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			       "byte limit", 0, true },
	[COL_BYTES_USED]   = { "BYTES-USED", 10, SCOLS_FL_RIGHT,
			       SCOLS_JSON_NUMBER, "bytes charged now", 0, true },
	[COL_SET]	   = { "SET", 3, 0, SCOLS_JSON_BOOLEAN,
			       "yes: set by an administrator; no: inherited" },
};

#define KT_LIMITS_DEFAULTS \
	"SCOPE,UID,USER,OBJECTS,OBJECTS-USED,BYTES,BYTES-USED,SET"

/* Which line of the table a struct kipc_admin_limits makes. */
enum kt_limits_scope {
	KT_SCOPE_NS,
	KT_SCOPE_UID_DEFAULT,
	KT_SCOPE_UID,
};

static const char *const kt_scope_names[] = {
	[KT_SCOPE_NS] = "namespace",
	[KT_SCOPE_UID_DEFAULT] = "uid-default",
	[KT_SCOPE_UID] = "uid",
};

/* The number in @v when the kernel reported @attr, else NULL (empty). */
static char *kt_limits_num(const struct kipc_admin_limits *lim, int attr,
			   uint64_t v, bool size, bool *oom)
{
	char *s;

	if (!kipc_admin_limits_has(lim, attr))
		return NULL;
	s = size ? kt_size(v) : kt_u64(v);
	*oom = !s;
	return s;
}

static char *kt_limits_cell(int col, enum kt_limits_scope scope,
			    const struct kipc_admin_limits *lim, bool *oom)
{
	bool def = scope == KT_SCOPE_UID_DEFAULT;
	char *s = NULL;

	*oom = false;
	switch (col) {
	case COL_SCOPE:
		s = strdup(kt_scope_names[scope]);
		break;
	case COL_UID:
		if (scope != KT_SCOPE_UID)
			return NULL;
		return kt_limits_num(lim, KIPC_A_LIMITS_UID, lim->uid, false,
				     oom);
	case COL_USER:
		if (scope != KT_SCOPE_UID ||
		    !kipc_admin_limits_has(lim, KIPC_A_LIMITS_UID))
			return NULL;
		s = kt_user_name(lim->uid);
		break;
	case COL_OBJECTS:
		if (def)
			return kt_limits_num(lim, KIPC_A_LIMITS_UID_OBJECTS,
					     lim->uid_objects, false, oom);
		return kt_limits_num(lim, KIPC_A_LIMITS_OBJECTS,
				     lim->objects, false, oom);
	case COL_OBJECTS_USED:
		/* The defaults are limits only: nothing is charged to them. */
		if (def)
			return NULL;
		return kt_limits_num(lim, KIPC_A_LIMITS_OBJECTS_USED,
				     lim->objects_used, false, oom);
	case COL_BYTES:
		if (def)
			return kt_limits_num(lim, KIPC_A_LIMITS_UID_BYTES,
					     lim->uid_bytes, true, oom);
		return kt_limits_num(lim, KIPC_A_LIMITS_BYTES, lim->bytes,
				     true, oom);
	case COL_BYTES_USED:
		if (def)
			return NULL;
		return kt_limits_num(lim, KIPC_A_LIMITS_BYTES_USED,
				     lim->bytes_used, true, oom);
	case COL_SET:
		/* A flag: absent means inherited. */
		s = strdup(kipc_admin_limits_has(lim, KIPC_A_LIMITS_OVERRIDE) &&
			   lim->override ? "yes" : "no");
		break;
	default:
		return NULL;
	}
	*oom = !s;
	return s;
}

/* A line of limits: whose they are, and the limits. */
struct kt_limits_rec {
	enum kt_limits_scope scope;
	const struct kipc_admin_limits *lim;
};

static char *kt_limits_rec_cell(int col, const void *rec, bool *oom)
{
	const struct kt_limits_rec *r = rec;

	return kt_limits_cell(col, r->scope, r->lim, oom);
}

static int kt_limits_add_line(struct libscols_table *tb,
			      const struct kt_columns *c,
			      enum kt_limits_scope scope,
			      const struct kipc_admin_limits *lim)
{
	struct kt_limits_rec r = { .scope = scope, .lim = lim };

	return kt_table_add_line(tb, c, kt_limits_rec_cell, &r);
}

struct kt_limits_ctx {
	struct libscols_table *tb;
	const struct kt_columns *cols;
};

static int kt_limits_one_uid(const struct kipc_admin_limits *lim, void *arg)
{
	struct kt_limits_ctx *ctx = arg;

	return kt_limits_add_line(ctx->tb, ctx->cols, KT_SCOPE_UID, lim);
}

/*
 * A UID: a number, or a user name (looked up here; the kernel takes
 * numbers). Returns 0, or an exit status.
 */
static bool kt_limits_uid_lookup(const char *arg, uint32_t *uid)
{
	struct passwd *pw;

	if (kt_parse_u32(arg, 10, 0, UINT32_MAX - 1, uid))
		return true;
	if (!isdigit((unsigned char)arg[0])) {
		pw = getpwnam(arg);
		if (pw) {
			*uid = pw->pw_uid;
			return true;
		}
	}
	return false;
}

static int kt_limits_parse_uid(const struct kt_cmd *cmd, const char *arg,
			       uint32_t *uid)
{
	if (kt_limits_uid_lookup(arg, uid))
		return 0;
	return kt_usage_err(cmd->path, "invalid uid '%s': a number, or a user name",
			    arg);
}

/* `uid UID` as the words @words, or none. Returns -1 to go on, or a status. */
static int kt_limits_uid_words(const struct kt_cmd *cmd, int nwords,
			       char **words, bool *has_uid, uint32_t *uid)
{
	int ret;

	*has_uid = false;
	if (!nwords)
		return -1;
	if (strcmp(words[0], "uid"))
		return kt_usage_err(cmd->path, "unknown argument '%s' to '%s'",
				    words[0], cmd->path);
	if (nwords < 2)
		return kt_usage_err(cmd->path, "'uid' needs a UID");
	ret = kt_limits_parse_uid(cmd, words[1], uid);
	if (ret)
		return ret;
	*has_uid = true;
	return -1;
}

static int kt_limits_show_run(const struct kt_cmd *cmd, int argc,
			      char **argv)
{
	struct kt_columns cols = {
		.cols = kt_limits_columns,
		.ncols = ARRAY_SIZE(kt_limits_columns),
	};
	struct kt_limits_ctx ctx = { .cols = &cols };
	struct kipc_admin_limits lim;
	struct kipc_admin *ka;
	int ret, first;
	bool has_uid;
	uint32_t uid;

	ret = kt_cmd_args(cmd, argc, argv, 0, 2, NULL, &first);
	if (ret >= 0)
		return ret;
	ret = kt_limits_uid_words(cmd, argc - first, argv + first, &has_uid,
				  &uid);
	if (ret >= 0)
		return ret;
	ret = kt_columns_select(&cols, cmd, KT_LIMITS_DEFAULTS, ~0U);
	if (ret)
		return ret;
	if (kt_connect(&ka))
		return 1;
	ctx.tb = kt_table_new("limits", &cols);
	if (!ctx.tb) {
		kipc_admin_close(ka);
		return kt_errno(-ENOMEM, "cannot make the table");
	}

	if (has_uid) {
		ret = kipc_admin_limits_get_uid(ka, uid, &lim, sizeof(lim));
		if (ret < 0) {
			ret = kt_admin_err(ka, ret,
					   "cannot get the limits of uid %" PRIu32,
					   uid);
			goto out;
		}
		if (kt_limits_add_line(ctx.tb, &cols, KT_SCOPE_UID, &lim))
			goto out_oom;
	} else {
		ret = kipc_admin_limits_get(ka, &lim, sizeof(lim));
		if (ret < 0) {
			ret = kt_admin_err(ka, ret, "cannot get the limits");
			goto out;
		}
		if (kt_limits_add_line(ctx.tb, &cols, KT_SCOPE_NS, &lim) ||
		    kt_limits_add_line(ctx.tb, &cols, KT_SCOPE_UID_DEFAULT,
				       &lim))
			goto out_oom;
		ret = kipc_admin_limits_list(ka, kt_limits_one_uid, &ctx);
		if (ret == -ENOMEM)
			goto out_oom;
		if (ret < 0) {
			ret = kt_admin_err(ka, ret,
					   "cannot list the limits of the uids");
			goto out;
		}
	}
	kipc_admin_close(ka);
	return kt_table_print(ctx.tb);

out_oom:
	ret = kt_errno(-ENOMEM, "cannot make the table");
out:
	scols_unref_table(ctx.tb);
	kipc_admin_close(ka);
	return ret;
}

static void kt_limits_show_help(const struct kt_cmd *cmd, FILE *out)
{
	fprintf(out, "Usage: kipc [OPTIONS] %s [OPTIONS] [ uid UID ]\n\n",
		cmd->path);
	fprintf(out,
		"Show the limits of the caller's IPC namespace with its usage (the\n"
		"namespace line), the default limits of every uid without an override\n"
		"(uid-default), and one line per uid that has an override or objects,\n"
		"with its limits in force and its usage. With uid UID, only that uid.\n"
		"UID is a number or a user name. Going over a namespace limit fails\n"
		"with ENOSPC, over a uid's with EMFILE; CAP_SYS_RESOURCE may pass both.\n");
	kt_help_options(out, cmd->opts);
	kt_help_columns(out, kt_limits_columns,
			ARRAY_SIZE(kt_limits_columns), KT_LIMITS_DEFAULTS,
			~0U);
}

/**
 * struct kt_limits_key - one keyword of `kipc limits set`
 * @word: the keyword
 * @what: the KIPC_ADMIN_LIMIT_* bit it sets
 * @size: its value is a size (N[K|M|G]), else a count
 * @ns_only: not with `uid UID`
 */
static const struct kt_limits_key {
	const char *word;
	unsigned int what;
	bool size;
	bool ns_only;
} kt_limits_keys[] = {
	{ "objects", KIPC_ADMIN_LIMIT_OBJECTS, false, false },
	{ "bytes", KIPC_ADMIN_LIMIT_BYTES, true, false },
	{ "uid-objects", KIPC_ADMIN_LIMIT_UID_OBJECTS, false, true },
	{ "uid-bytes", KIPC_ADMIN_LIMIT_UID_BYTES, true, true },
};

static const char kt_limits_none[] = "needs a limit to set";

/*
 * Parse the words of `kipc limits set` (the same as a line of a limits file)
 * into @what and @lim. Returns NULL, or what is wrong, in @buf.
 */
static const char *kt_limits_parse(int nwords, char **words, unsigned int *what,
				   struct kipc_admin_limits *lim, char *buf,
				   size_t len)
{
	int i;
	size_t k;

	*what = 0;
	memset(lim, 0, sizeof(*lim));
	for (i = 0; i < nwords; i += 2) {
		const struct kt_limits_key *key = NULL;
		const char *val = i + 1 < nwords ? words[i + 1] : NULL;

		if (!strcmp(words[i], "uid")) {
			if (*what & KIPC_ADMIN_LIMIT_UID)
				return "'uid' given twice";
			if (!val)
				return "'uid' needs a UID";
			if (!kt_limits_uid_lookup(val, &lim->uid)) {
				snprintf(buf, len, "invalid uid '%s': a number, or a user name",
					 val);
				return buf;
			}
			*what |= KIPC_ADMIN_LIMIT_UID;
			continue;
		}
		for (k = 0; k < ARRAY_SIZE(kt_limits_keys); k++)
			if (!strcmp(words[i], kt_limits_keys[k].word))
				key = &kt_limits_keys[k];
		if (!key) {
			snprintf(buf, len, "unknown limit '%s'", words[i]);
			return buf;
		}
		if (*what & key->what) {
			snprintf(buf, len, "'%s' given twice", key->word);
			return buf;
		}
		if (!val) {
			snprintf(buf, len, "'%s' needs a value", key->word);
			return buf;
		}
		if (key->size) {
			uint64_t v;

			if (!kt_parse_size(val, &v)) {
				snprintf(buf, len, "invalid size '%s' for '%s': a number of bytes, or of K, M or G",
					 val, key->word);
				return buf;
			}
			if (key->what == KIPC_ADMIN_LIMIT_BYTES)
				lim->bytes = v;
			else
				lim->uid_bytes = v;
		} else {
			uint32_t v;

			if (!kt_parse_u32(val, 10, 0, UINT32_MAX, &v)) {
				snprintf(buf, len, "invalid number '%s' for '%s'",
					 val, key->word);
				return buf;
			}
			if (key->what == KIPC_ADMIN_LIMIT_OBJECTS)
				lim->objects = v;
			else
				lim->uid_objects = v;
		}
		*what |= key->what;
	}
	if (!(*what & ~KIPC_ADMIN_LIMIT_UID))
		return kt_limits_none;
	if ((*what & KIPC_ADMIN_LIMIT_UID) &&
	    (*what & (KIPC_ADMIN_LIMIT_UID_OBJECTS |
		      KIPC_ADMIN_LIMIT_UID_BYTES)))
		return "'uid-objects' and 'uid-bytes' are the namespace's defaults: with 'uid', give 'objects' and 'bytes'";
	return NULL;
}

/* Set @what of @lim; on failure, say so, with @where first if not NULL. */
static int kt_limits_do_set(struct kipc_admin *ka, const char *where,
			    unsigned int what, const struct kipc_admin_limits *lim)
{
	const char *pfx = where ? where : "";
	const char *sep = where ? ": " : "";
	int ret;

	ret = kipc_admin_limits_set(ka, what, lim);
	if (ret >= 0)
		return 0;
	if (what & KIPC_ADMIN_LIMIT_UID)
		return kt_admin_err(ka, ret, "%s%scannot set the limits of uid %" PRIu32,
				    pfx, sep, lim->uid);
	return kt_admin_err(ka, ret, "%s%scannot set the limits", pfx, sep);
}

static int kt_limits_set_run(const struct kt_cmd *cmd, int argc,
			     char **argv)
{
	struct kipc_admin_limits lim;
	const char *err;
	unsigned int what;
	struct kipc_admin *ka;
	int ret, first;
	char buf[256];

	ret = kt_cmd_args(cmd, argc, argv, 1, argc, "a limit to set",
			  &first);
	if (ret >= 0)
		return ret;
	err = kt_limits_parse(argc - first, argv + first, &what, &lim, buf,
			      sizeof(buf));
	if (err == kt_limits_none)
		return kt_usage_err(cmd->path, "'%s' %s", cmd->path, err);
	if (err)
		return kt_usage_err(cmd->path, "%s", err);

	if (kt_connect(&ka))
		return 1;
	ret = kt_limits_do_set(ka, NULL, what, &lim);
	kipc_admin_close(ka);
	return ret;
}

static void kt_limits_set_help(const struct kt_cmd *cmd, FILE *out)
{
	fprintf(out,
		"Usage: kipc %s [ objects N ] [ bytes SIZE ] [ uid-objects N ]\n"
		"                   [ uid-bytes SIZE ]\n"
		"       kipc %s uid UID [ objects N ] [ bytes SIZE ]\n\n",
		cmd->path, cmd->path);
	fprintf(out,
		"Set the limits of the caller's IPC namespace: objects and bytes for the\n"
		"whole namespace, uid-objects and uid-bytes for every uid without an\n"
		"override. With uid UID, set that uid's override instead. SIZE is a\n"
		"number of bytes, or of K, M or G (powers of 1024). The new limits\n"
		"apply from the next creation or resize on; nothing that exists is\n"
		"taken away. Needs CAP_NET_ADMIN.\n");
	kt_help_options(out, cmd->opts);
}

static int kt_limits_reset_run(const struct kt_cmd *cmd, int argc,
			       char **argv)
{
	struct kipc_admin_limits lim = { 0 };
	unsigned int what = KIPC_ADMIN_LIMIT_RESET;
	struct kipc_admin *ka;
	int ret, first;
	bool has_uid;

	ret = kt_cmd_args(cmd, argc, argv, 0, 2, NULL, &first);
	if (ret >= 0)
		return ret;
	ret = kt_limits_uid_words(cmd, argc - first, argv + first, &has_uid,
				  &lim.uid);
	if (ret >= 0)
		return ret;
	if (has_uid)
		what |= KIPC_ADMIN_LIMIT_UID;
	if (kt_connect(&ka))
		return 1;
	ret = kipc_admin_limits_set(ka, what, &lim);
	if (ret < 0) {
		if (has_uid)
			ret = kt_admin_err(ka, ret,
					   "cannot reset the limits of uid %" PRIu32,
					   lim.uid);
		else
			ret = kt_admin_err(ka, ret, "cannot reset the limits");
	}
	kipc_admin_close(ka);
	return ret;
}

static const char kt_limits_reset_doc[] =
	"Drop the limits set for the caller's IPC namespace, which goes back to\n"
	"the module parameters (max_objects, max_bytes, ...); with uid UID, drop\n"
	"that uid's override, which goes back to the namespace's per-uid\n"
	"defaults. Needs CAP_NET_ADMIN.\n";

/* The files `kipc limits apply` reads when given none. */
#define KT_LIMITS_CONF		"/etc/kipc/limits.conf"
#define KT_LIMITS_CONF_D	"/etc/kipc/limits.d"
/* A line of a limits file, and its words: far more than the keys take. */
#define KT_LIMITS_LINE_MAX	1024
#define KT_LIMITS_WORDS_MAX	16
/* Lines with limits, over all the files: each one is a netlink request. */
#define KT_LIMITS_LINES_MAX	4096

/* A line of a limits file: where it is, and the limits it sets. */
struct kt_limits_line {
	char where[64 + 16];
	unsigned int what;
	struct kipc_admin_limits lim;
};

struct kt_limits_lines {
	struct kt_limits_line *v;
	size_t n;
	size_t cap;
	unsigned int errors;
};

/* "FILE:LINE", shortened at the front when FILE is long. */
static void kt_limits_where(char *buf, size_t len, const char *file,
			    unsigned int lineno)
{
	size_t flen = strlen(file);

	if (flen > 60)
		snprintf(buf, len, "...%s:%u", file + flen - 57, lineno);
	else
		snprintf(buf, len, "%s:%u", file, lineno);
}

/*
 * Read the limits file @file into @lines; a missing file is no error when
 * @optional. Each mistake is reported as "FILE:LINE: ..." and counted in
 * @lines->errors. Returns 0, or -ENOMEM.
 */
static int kt_limits_read(const char *file, bool optional,
			  struct kt_limits_lines *lines)
{
	char buf[KT_LIMITS_LINE_MAX + 2], msg[256], where[80];
	char *words[KT_LIMITS_WORDS_MAX];
	unsigned int lineno = 0;
	bool skip = false;
	FILE *f;

	f = fopen(file, "re");
	if (!f) {
		if (optional && errno == ENOENT)
			return 0;
		kt_errno(errno, "cannot open %s", file);
		lines->errors++;
		return 0;
	}
	while (fgets(buf, sizeof(buf), f)) {
		size_t len = strlen(buf);
		bool whole = len && buf[len - 1] == '\n';
		const char *err;
		char *p, *save;
		int n = 0;

		/* The rest of a line too long, already reported. */
		if (skip) {
			skip = !whole;
			continue;
		}
		lineno++;
		kt_limits_where(where, sizeof(where), file, lineno);
		if (!whole && !feof(f)) {
			kt_err("%s: line longer than %d characters", where,
			       KT_LIMITS_LINE_MAX);
			lines->errors++;
			skip = true;
			continue;
		}
		p = strchr(buf, '#');
		if (p)
			*p = '\0';
		for (p = strtok_r(buf, " \t\r\n", &save); p;
		     p = strtok_r(NULL, " \t\r\n", &save)) {
			if (n == KT_LIMITS_WORDS_MAX) {
				n++;
				break;
			}
			words[n++] = p;
		}
		if (!n)
			continue;
		if (n > KT_LIMITS_WORDS_MAX) {
			kt_err("%s: more than %d words", where,
			       KT_LIMITS_WORDS_MAX);
			lines->errors++;
			continue;
		}
		if (lines->n == KT_LIMITS_LINES_MAX) {
			kt_err("%s: more than %d lines of limits", where,
			       KT_LIMITS_LINES_MAX);
			lines->errors++;
			break;
		}
		if (lines->n == lines->cap) {
			size_t cap = lines->cap ? 2 * lines->cap : 16;
			struct kt_limits_line *v;

			v = realloc(lines->v, cap * sizeof(*v));
			if (!v) {
				fclose(f);
				return -ENOMEM;
			}
			lines->v = v;
			lines->cap = cap;
		}
		err = kt_limits_parse(n, words, &lines->v[lines->n].what,
				      &lines->v[lines->n].lim, msg,
				      sizeof(msg));
		if (err) {
			kt_err("%s: %s", where, err);
			lines->errors++;
			continue;
		}
		memcpy(lines->v[lines->n].where, where,
		       sizeof(lines->v[lines->n].where));
		lines->n++;
	}
	if (ferror(f)) {
		kt_errno(EIO, "cannot read %s", file);
		lines->errors++;
	}
	fclose(f);
	return 0;
}

static int kt_limits_apply_run(const struct kt_cmd *cmd, int argc,
			       char **argv)
{
	struct kt_limits_lines lines = { 0 };
	struct kipc_admin *ka;
	int ret, first, i;
	size_t k;

	ret = kt_cmd_args(cmd, argc, argv, 0, argc, NULL, &first);
	if (ret >= 0)
		return ret;
	ret = 0;
	if (first < argc) {
		for (i = first; i < argc && !ret; i++)
			ret = kt_limits_read(argv[i], false, &lines);
	} else {
		glob_t g = { 0 };
		int gret;

		ret = kt_limits_read(KT_LIMITS_CONF, true, &lines);
		gret = glob(KT_LIMITS_CONF_D "/*.conf", 0, NULL, &g);
		if (gret == GLOB_NOSPACE)
			ret = -ENOMEM;
		for (k = 0; !ret && !gret && k < g.gl_pathc; k++)
			ret = kt_limits_read(g.gl_pathv[k], true, &lines);
		globfree(&g);
	}
	if (ret) {
		free(lines.v);
		return kt_errno(ret, "cannot read the limits");
	}
	if (lines.errors) {
		free(lines.v);
		kt_err("nothing applied: %u error%s", lines.errors,
		       lines.errors == 1 ? "" : "s");
		return KT_EXIT_FAILURE;
	}
	if (!lines.n) {
		free(lines.v);
		return 0;
	}
	if (kt_connect(&ka)) {
		free(lines.v);
		return KT_EXIT_FAILURE;
	}
	for (k = 0; k < lines.n; k++)
		if (kt_limits_do_set(ka, lines.v[k].where, lines.v[k].what,
				     &lines.v[k].lim))
			ret = KT_EXIT_FAILURE;
	kipc_admin_close(ka);
	free(lines.v);
	return ret;
}

static void kt_limits_apply_help(const struct kt_cmd *cmd, FILE *out)
{
	fprintf(out, "Usage: kipc %s [ FILE... ]\n\n", cmd->path);
	fprintf(out,
		"Set the limits that FILEs give, or without FILE " KT_LIMITS_CONF "\n"
		"and then " KT_LIMITS_CONF_D "/*.conf in the order of their names\n"
		"(either may be missing). Each line takes the words of 'kipc limits\n"
		"set': 'objects N', 'bytes SIZE', 'uid-objects N', 'uid-bytes SIZE',\n"
		"or 'uid UID' with 'objects N' and 'bytes SIZE'. A '#' starts a comment;\n"
		"blank lines are skipped. Lines are applied in order, so a later one\n"
		"wins. Every file is read first: on any mistake, each reported as\n"
		"FILE:LINE, nothing is applied and the exit status is 1. The udev rule\n"
		"runs it when the module loads, for the initial IPC namespace. Needs\n"
		"CAP_NET_ADMIN.\n");
	kt_help_options(out, cmd->opts);
}

const struct kt_cmd kt_limits_cmds[] = {
	{
		.name = "show",
		.path = "limits show",
		.summary = "show the limits and their usage",
		.opts = KT_OPTS_TABLE | KT_OPTS_BYTES,
		.run = kt_limits_show_run,
		.help = kt_limits_show_help,
	},
	{
		.name = "set",
		.path = "limits set",
		.summary = "set limits of the namespace, or of one uid",
		.opts = KT_OPTS_NONE,
		.run = kt_limits_set_run,
		.help = kt_limits_set_help,
	},
	{
		.name = "apply",
		.path = "limits apply",
		.summary = "set the limits that /etc/kipc/limits.conf gives",
		.opts = KT_OPTS_NONE,
		.run = kt_limits_apply_run,
		.help = kt_limits_apply_help,
	},
	{
		.name = "reset",
		.path = "limits reset",
		.summary = "drop the limits set, of the namespace or of one uid",
		.opts = KT_OPTS_NONE,
		.run = kt_limits_reset_run,
		.help = kt_cmd_help,
		.usage = "[ uid UID ]",
		.doc = kt_limits_reset_doc,
	},
	{ }
};
