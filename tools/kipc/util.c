// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc: messages, and the formatting of cells that several tables share.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kipc-tool.h"

static void kt_verr(const char *fmt, va_list ap)
{
	/* Keep the error after whatever output came before it. */
	fflush(stdout);
	fputs("kipc: ", stderr);
	vfprintf(stderr, fmt, ap);
}

void kt_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kt_verr(fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* A mistake on the command line: say what, then where help is. */
int kt_usage_err(const char *path, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kt_verr(fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'kipc %s%shelp' for more information.\n",
		path ? path : "", path ? " " : "");
	return KT_EXIT_USAGE;
}

/*
 * The module is not loaded: one fixed line, without the "kipc: " prefix, that
 * scripts can match and that tells the fix.
 */
int kt_not_loaded(void)
{
	fflush(stdout);
	fputs("kipc module not loaded (modprobe kipc)\n", stderr);
	return KT_EXIT_FAILURE;
}

/* A failure with an errno: "kipc: <what>: <strerror>". */
int kt_errno(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kt_verr(fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(err < 0 ? -err : err));
	return 1;
}

/*
 * Would the descriptors of a libkipc call be refused with EMFILE? The call
 * has the device open while the kernel installs the new object's
 * descriptor, and has closed it again by now: two are needed.
 */
static bool kt_fd_table_full(void)
{
	int fd[2], i, err = 0;

	for (i = 0; i < 2; i++) {
		fd[i] = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (fd[i] < 0) {
			err = errno;
			break;
		}
	}
	while (i--)
		close(fd[i]);
	return err == EMFILE;
}

/*
 * The errnos of kipc's limits and timeouts, in kipc's words: strerror() of
 * EMFILE ("Too many open files") and ENOSPC ("No space left on device")
 * would send the user to the wrong place.
 */
const char *kt_strerror(int err)
{
	switch (err < 0 ? -err : err) {
	case ETIMEDOUT:
		return "timed out";
	case EMFILE:
		/*
		 * Or this process's own descriptor table is full (a shell's
		 * ulimit -n): then the C library's words are the right ones.
		 */
		if (kt_fd_table_full())
			return strerror(EMFILE);
		return "per-user object/byte limit reached (kipc stats)";
	case ENOSPC:
		return "namespace object/byte limit reached (kipc stats)";
	/* Only a hang-up queue (--hup) says these. */
	case ENODATA:
		return "end of file: every sender is gone (hang-up)";
	case EPIPE:
		return "every receiver is gone (hang-up)";
	default:
		return strerror(err < 0 ? -err : err);
	}
}

/*
 * As kt_errno(), for a failure of a call on /dev/kipc, in kt_strerror()'s
 * words; a timeout exits with KT_EXIT_TIMEOUT: ENOENT from the
 * device's absence would read as "no such object", so say what it means.
 */
int kt_dev_err(int err, const char *fmt, ...)
{
	va_list ap;

	if (err < 0)
		err = -err;
	/* libkipc's word for a missing /dev/kipc. */
	if (err == ENODEV) {
		fflush(stdout);
		fputs("no /dev/kipc: is the kipc module installed?\n", stderr);
		return KT_EXIT_FAILURE;
	}
	va_start(ap, fmt);
	kt_verr(fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", kt_strerror(err));
	if (err == ETIMEDOUT)
		return KT_EXIT_TIMEOUT;
	return 1;
}

/* As kt_errno(), with the kernel's own explanation when it gave one. */
int kt_admin_err(const struct kipc_admin *ka, int err, const char *fmt, ...)
{
	const char *msg = ka ? kipc_admin_errmsg(ka) : NULL;
	va_list ap;

	va_start(ap, fmt);
	kt_verr(fmt, ap);
	va_end(ap);
	if (msg)
		fprintf(stderr, ": %s (%s)\n", strerror(err < 0 ? -err : err),
			msg);
	else
		fprintf(stderr, ": %s\n", strerror(err < 0 ? -err : err));
	return 1;
}

/* Returns 0, or 1 after saying why there is no connection. */
int kt_connect(struct kipc_admin **ka)
{
	int ret;

	ret = kipc_admin_open(ka);
	if (ret == -ENOENT)
		return kt_not_loaded();
	if (ret < 0)
		return kt_errno(ret, "cannot connect to the kipc netlink family");
	return 0;
}

/*
 * Names of uids and gids, looked up once each: a listing shows the same few
 * owners on many lines, and each NSS lookup may read a file or ask a daemon.
 */
struct kt_name {
	struct kt_name *next;
	uint32_t id;
	bool group;
	char name[];
};

static struct kt_name *kt_names;

static const char *kt_id_name(uint32_t id, bool group)
{
	struct kt_name *n;
	const char *name = NULL;
	char num[16];

	for (n = kt_names; n; n = n->next)
		if (n->id == id && n->group == group)
			return n->name;
	if (group) {
		struct group *gr = getgrgid(id);

		if (gr)
			name = gr->gr_name;
	} else {
		struct passwd *pw = getpwuid(id);

		if (pw)
			name = pw->pw_name;
	}
	if (!name) {
		snprintf(num, sizeof(num), "%" PRIu32, id);
		name = num;
	}
	n = malloc(sizeof(*n) + strlen(name) + 1);
	if (!n)
		return NULL;
	n->id = id;
	n->group = group;
	strcpy(n->name, name);
	n->next = kt_names;
	kt_names = n;
	return n->name;
}

char *kt_user_name(uint32_t uid)
{
	const char *name = kt_id_name(uid, false);

	return name ? strdup(name) : NULL;
}

char *kt_group_name(uint32_t gid)
{
	const char *name = kt_id_name(gid, true);

	return name ? strdup(name) : NULL;
}

/* "rw-rw-r--" as lsipc prints it, or "0664". */
char *kt_perms(uint32_t mode, bool numeric)
{
	static const char rwx[] = "rwxrwxrwx";
	char *s;
	int i;

	if (numeric) {
		if (asprintf(&s, "%04" PRIo32, mode & 07777) < 0)
			return NULL;
		return s;
	}
	s = malloc(10);
	if (!s)
		return NULL;
	for (i = 0; i < 9; i++)
		s[i] = mode & (0400 >> i) ? rwx[i] : '-';
	s[9] = '\0';
	return s;
}

/* ISO 8601 in local time: sorts as text and parses everywhere. */
char *kt_time(uint64_t ns)
{
	time_t t = ns / 1000000000ULL;
	char buf[64];
	struct tm tm;

	if (!localtime_r(&t, &tm) ||
	    !strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S%z", &tm))
		return NULL;
	return strdup(buf);
}

char *kt_u64(uint64_t v)
{
	char *s;

	if (asprintf(&s, "%" PRIu64, v) < 0)
		return NULL;
	return s;
}

/*
 * A size as lsipc prints one: "512B", "4K", "1.5M", with one decimal
 * (rounded, and left out when it is 0) in powers of 1024; or the bytes with
 * --bytes.
 */
char *kt_size(uint64_t bytes)
{
	static const char units[] = "BKMGTPE";
	uint64_t whole, tenths;
	int exp = 0;
	char *s;

	if (kt_output.bytes)
		return kt_u64(bytes);
	while (exp < 6 && bytes >= 1ULL << (10 * (exp + 1)))
		exp++;
	whole = bytes >> (10 * exp);
	tenths = 0;
	if (exp) {
		uint64_t frac = bytes & ((1ULL << (10 * exp)) - 1);

		/* Scaled down first: frac * 10 may not fit for EiB. */
		tenths = ((frac >> (10 * exp - 10)) * 10 + 512) >> 10;
		if (tenths == 10) {
			whole++;
			tenths = 0;
		}
		if (whole == 1024 && exp < 6) {
			whole = 1;
			exp++;
		}
	}
	if (tenths) {
		if (asprintf(&s, "%" PRIu64 ".%" PRIu64 "%c", whole, tenths,
			     units[exp]) < 0)
			return NULL;
	} else if (asprintf(&s, "%" PRIu64 "%c", whole, units[exp]) < 0) {
		return NULL;
	}
	return s;
}

/*
 * A size given as N, or N with a suffix K, M or G (powers of 1024, either
 * case, optionally followed by "iB"). Returns false for anything else, and
 * for sizes that do not fit.
 */
bool kt_parse_size(const char *arg, uint64_t *out)
{
	static const char suffixes[] = "KMG";
	uint64_t unit = 1, base = 1024;
	unsigned long long v;
	const char *p;
	char *end;
	int i;

	if (!isdigit((unsigned char)arg[0]))
		return false;
	errno = 0;
	v = strtoull(arg, &end, 10);
	if (errno)
		return false;
	if (*end) {
		p = strchr(suffixes, toupper((unsigned char)*end));
		if (!p)
			return false;
		end++;
		/* K, KiB: powers of 1024; KB, as dd(1) and df(1): of 1000. */
		if (!strcmp(end, "iB"))
			end += 2;
		else if (!strcmp(end, "B") && (end += 1))
			base = 1000;
		if (*end)
			return false;
		for (i = 0; i <= p - suffixes; i++)
			unit *= base;
	}
	if (v > UINT64_MAX / unit)
		return false;
	*out = (uint64_t)v * unit;
	return true;
}

/*
 * A duration in milliseconds: N or Nms, Ns (seconds), Nm (minutes), up to
 * UINT32_MAX ms.
 */
bool kt_parse_ms(const char *arg, uint32_t *out)
{
	unsigned long long v, mul = 1;
	char *end;

	if (!isdigit((unsigned char)arg[0]))
		return false;
	errno = 0;
	v = strtoull(arg, &end, 10);
	if (errno)
		return false;
	if (!strcmp(end, "s"))
		mul = 1000;
	else if (!strcmp(end, "m"))
		mul = 60 * 1000;
	else if (*end && strcmp(end, "ms"))
		return false;
	if (v > UINT32_MAX / mul)
		return false;
	*out = v * mul;
	return true;
}

/* The absolute CLOCK_MONOTONIC time --timeout ends at, counted from now. */
void kt_timeout_deadline(struct timespec *abs)
{
	uint32_t ms = kt_args.timeout_ms;

	clock_gettime(CLOCK_MONOTONIC, abs);
	abs->tv_sec += ms / 1000;
	abs->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (abs->tv_nsec >= 1000000000L) {
		abs->tv_sec++;
		abs->tv_nsec -= 1000000000L;
	}
}

/*
 * `kipc mq|shm|sem rm NAME...`: unlink each name, through /dev/kipc as a
 * program would, as rm(1) removes files: every name is tried, and any
 * failure fails the whole. cmd->data is the type's
 * struct kt_list_spec.
 */
int kt_rm_run(const struct kt_cmd *cmd, int argc, char **argv)
{
	const struct kt_list_spec *spec = cmd->data;
	int i, ret, first, status = 0;

	ret = kt_cmd_args(cmd, argc, argv, 1, argc, "a NAME", &first);
	if (ret >= 0)
		return ret;
	for (i = first; i < argc; i++) {
		ret = kipc_unlink(spec->type, argv[i]);
		if (ret < 0)
			status = kt_dev_err(ret, "cannot unlink %s '%s'",
					    spec->noun, argv[i]);
	}
	return status;
}

void kt_rm_help(const struct kt_cmd *cmd, FILE *out)
{
	const struct kt_list_spec *spec = cmd->data;

	fprintf(out, "Usage: kipc %s NAME...\n\n", cmd->path);
	fputs(spec->unlink, out);
	kt_help_options(out, cmd->opts);
}
