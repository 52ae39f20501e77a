// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc shm create, resize, seal and rm: the commands that change a region
 * the way a program does, through libkipc and /dev/kipc, with the caller's
 * permissions. Regions are found by name here, as an open finds them;
 * `shm show` and `shm destroy` (objects.c) go through netlink instead. The
 * command table of `kipc shm`, with those too, ends this file.
 *
 * `shm cat` and `shm write` copy a region's bytes out to standard output
 * and in from standard input, through a mapping, as `cat` does a file of
 * /dev/shm.
 */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kipc-tool.h"

/* The seals by name, in the order of their bits, as SEALS shows them. */
static const struct {
	uint32_t bit;
	const char *name;
} kt_seal_names[] = {
	{ KIPC_SEAL_SEAL, "seal" },
	{ KIPC_SEAL_SHRINK, "shrink" },
	{ KIPC_SEAL_GROW, "grow" },
	{ KIPC_SEAL_WRITE, "write" },
	{ KIPC_SEAL_FUTURE_WRITE, "future-write" },
};

/*
 * @seals as "seal,grow,write", or "" for none. Bits a newer module added
 * show as a number rather than not at all. Returns NULL when out of memory.
 */
char *kt_shm_seals(uint32_t seals)
{
	char buf[128] = "";
	size_t i, len = 0;

	for (i = 0; i < ARRAY_SIZE(kt_seal_names); i++) {
		if (!(seals & kt_seal_names[i].bit))
			continue;
		len += snprintf(buf + len, sizeof(buf) - len, "%s%s",
				len ? "," : "", kt_seal_names[i].name);
		seals &= ~kt_seal_names[i].bit;
	}
	if (seals)
		snprintf(buf + len, sizeof(buf) - len, "%s0x%" PRIx32,
			 len ? "," : "", seals);
	return strdup(buf);
}

/* "grow,write" into KIPC_SEAL_* bits. Returns false on an unknown word. */
static bool kt_parse_seals(const char *list, uint32_t *seals)
{
	const char *p = list;
	size_t i;

	*seals = 0;
	while (*p) {
		size_t len = strcspn(p, ",");

		for (i = 0; i < ARRAY_SIZE(kt_seal_names); i++)
			if (strlen(kt_seal_names[i].name) == len &&
			    !strncmp(kt_seal_names[i].name, p, len))
				break;
		if (i == ARRAY_SIZE(kt_seal_names))
			return false;
		*seals |= kt_seal_names[i].bit;
		p += len;
		if (*p == ',' && *++p == '\0')
			return false;
	}
	return *seals != 0;
}

/* --- create ---------------------------------------------------------------- */

static int kt_shm_create_run(const struct kt_cmd *cmd, int argc, char **argv)
{
	unsigned int flags = KIPC_OPEN_READ | KIPC_OPEN_WRITE |
			     KIPC_OPEN_CREATE | KIPC_OPEN_CLOEXEC;
	union kipc_attr attr = { 0 };
	const char *name;
	int ret, first, fd;
	uint64_t size;

	ret = kt_cmd_args(cmd, argc, argv, 1, 1, "a NAME", &first);
	if (ret >= 0)
		return ret;
	name = argv[first];
	if (kt_args.excl)
		flags |= KIPC_OPEN_EXCL;
	size = kt_args.size ? kt_args.size : (uint64_t)sysconf(_SC_PAGESIZE);
	attr.shm.size = size;
	attr.shm.flags = kt_args.exec ? KIPC_SHM_EXEC : 0;
	fd = kipc_open(KIPC_OBJ_SHM, name, flags, kt_args.mode, &attr,
		       NULL);
	if (fd < 0)
		return kt_dev_err(fd, "cannot create region '%s'", name);
	/* The name keeps the region alive, as for shm_open(3). */
	close(fd);
	return 0;
}

static const char kt_shm_create_doc[] =
	"Create the shared memory region NAME in the caller's IPC namespace,\n"
	"owned by the caller, of --size bytes (rounded up to whole pages for\n"
	"the limits, which are charged at once); its bytes read as zero. If\n"
	"it exists already, succeed without changing it, unless --excl is\n"
	"given. The region lives until 'kipc shm rm' or 'kipc shm destroy'\n"
	"and the end of its last mapping. It is not executable unless\n"
	"created with --exec.\n";

/* --- resize ---------------------------------------------------------------- */

static int kt_shm_resize_run(const struct kt_cmd *cmd, int argc, char **argv)
{
	const char *name, *arg;
	int ret, first, fd;
	uint64_t size;

	ret = kt_cmd_args(cmd, argc, argv, 2, 2, "a NAME and a SIZE",
			  &first);
	if (ret >= 0)
		return ret;
	name = argv[first];
	arg = argv[first + 1];
	if (!kt_parse_size(arg, &size) || !size)
		return kt_usage_err(cmd->path, "invalid size '%s': a number of bytes above 0, or of K, M or G",
				    arg);

	fd = kipc_shm_open(name, KIPC_OPEN_WRITE | KIPC_OPEN_CLOEXEC, 0, 0);
	if (fd < 0)
		return kt_dev_err(fd, "cannot open region '%s'", name);
	ret = kipc_shm_resize(fd, size);
	if (ret < 0)
		ret = kt_dev_err(ret, "cannot resize region '%s'", name);
	close(fd);
	return ret;
}

static const char kt_shm_resize_doc[] =
	"Grow or shrink the region NAME to SIZE bytes (N, or N followed by\n"
	"K, M or G), as ftruncate(2) does a file: new bytes read as zero,\n"
	"and a mapping beyond the new end raises SIGBUS when it is touched.\n"
	"The limits are charged or credited whole pages at once. The\n"
	"seals 'grow' and 'shrink' forbid it (EPERM); it needs write\n"
	"permission.\n";

/* --- seal ------------------------------------------------------------------ */

static int kt_shm_seal_run(const struct kt_cmd *cmd, int argc, char **argv)
{
	const char *name, *arg;
	int ret, first, fd;
	uint32_t seals;

	ret = kt_cmd_args(cmd, argc, argv, 2, 2, "a NAME and SEALS",
			  &first);
	if (ret >= 0)
		return ret;
	name = argv[first];
	arg = argv[first + 1];
	if (!kt_parse_seals(arg, &seals))
		return kt_usage_err(cmd->path, "invalid seals '%s': a comma-separated list of seal, shrink, grow, write and future-write",
				    arg);

	fd = kipc_shm_open(name, KIPC_OPEN_WRITE | KIPC_OPEN_CLOEXEC, 0, 0);
	if (fd < 0)
		return kt_dev_err(fd, "cannot open region '%s'", name);
	ret = kipc_shm_seal(fd, seals);
	if (ret < 0)
		ret = kt_dev_err(ret, "cannot seal region '%s'", name);
	close(fd);
	return ret;
}

static const char kt_shm_seal_doc[] =
	"Add seals to the region NAME, as memfd's F_ADD_SEALS does; a seal\n"
	"stays for the life of the region. It needs write permission.\n"
	"\n"
	"Seals:\n"
	" seal          no more seals\n"
	" shrink        the size may not shrink\n"
	" grow          the size may not grow\n"
	" write         no shared writable mapping at all; fails with EBUSY\n"
	"               while one exists\n"
	" future-write  no new shared writable mapping; those that exist\n"
	"               keep writing\n";

/* --- cat and write --------------------------------------------------------- */

/*
 * Another process may shrink the region under our mapping: touching a page
 * past the new end raises SIGBUS, which ends the copy with an error rather
 * than killing kipc.
 */
static sigjmp_buf kt_shm_bus_env;

static void kt_shm_bus(int sig)
{
	(void)sig;
	siglongjmp(kt_shm_bus_env, 1);
}

/* Copy region NAME to standard output, or standard input into it. */
static int kt_shm_copy(const struct kt_cmd *cmd, int argc, char **argv,
		       bool in)
{
	struct sigaction sa = { .sa_handler = kt_shm_bus }, old;
	volatile size_t done = 0;
	const char *name;
	int ret, first, fd;
	size_t len;
	void *addr;
	ssize_t n;
	char c;

	ret = kt_cmd_args(cmd, argc, argv, 1, 1, "a NAME", &first);
	if (ret >= 0)
		return ret;
	name = argv[first];
	fd = kipc_shm_open(name, (in ? KIPC_OPEN_WRITE : 0) | KIPC_OPEN_READ |
			   KIPC_OPEN_CLOEXEC, 0, 0);
	if (fd < 0)
		return kt_dev_err(fd, "cannot open region '%s'", name);
	ret = kipc_shm_map(fd, in ? PROT_READ | PROT_WRITE : PROT_READ,
			   &addr, &len);
	close(fd);
	if (ret < 0)
		return kt_dev_err(ret, "cannot map region '%s'", name);

	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, &old);
	if (sigsetjmp(kt_shm_bus_env, 1)) {
		ret = kt_errno(-EFAULT, "region '%s' shrank while being %s",
			       name, in ? "written" : "read");
		goto out;
	}
	while (done < len) {
		if (in)
			n = read(STDIN_FILENO, (char *)addr + done,
				 len - done);
		else
			n = write(STDOUT_FILENO, (char *)addr + done,
				  len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = kt_errno(-errno, in ? "cannot read standard input" :
				       "cannot write standard output");
			goto out;
		}
		if (!n)
			break;
		done += n;
	}
	/* Input left over: the region is smaller than what was given. */
	if (in && done == len) {
		while ((n = read(STDIN_FILENO, &c, 1)) < 0 && errno == EINTR)
			;
		if (n > 0)
			ret = kt_errno(-EFBIG, "region '%s' holds %zu bytes; only the first %zu were written",
				       name, len, len);
	}
out:
	sigaction(SIGBUS, &old, NULL);
	kipc_shm_unmap(addr, len);
	return ret;
}

static int kt_shm_cat_run(const struct kt_cmd *cmd, int argc, char **argv)
{
	return kt_shm_copy(cmd, argc, argv, false);
}

static const char kt_shm_cat_doc[] =
	"Write the bytes of the region NAME, all of its size, to standard\n"
	"output, as they are, as 'cat' does a file of /dev/shm. It needs read\n"
	"permission.\n";

static int kt_shm_write_run(const struct kt_cmd *cmd, int argc, char **argv)
{
	return kt_shm_copy(cmd, argc, argv, true);
}

static const char kt_shm_write_doc[] =
	"Copy standard input into the region NAME, from its first byte on;\n"
	"bytes past the end of the input keep their values, and the size does\n"
	"not change (see 'kipc shm resize'). Input larger than the region\n"
	"fails with EFBIG after its first SIZE bytes are written. It needs\n"
	"read and write permission; the seals write and future-write forbid it\n"
	"(EPERM).\n";

/* --- the commands of `kipc shm` ------------------------------------------- */

static const struct kt_list_spec kt_list_shm = {
	.type = KIPC_OBJ_SHM,
	.what = "shared memory regions",
	.noun = "region",
	.defaults = "ID,NAME,OWNER,GROUP,PERMS,SIZE,STATE",
	.unlink = "Unlink the names of shared memory regions, as shm_unlink(3) does:\n"
		  "a region can no longer be opened by its name, and the name can be\n"
		  "created again at once, but its open fds and its mappings keep\n"
		  "working; the region is freed when the last of them is gone. To\n"
		  "also refuse new mappings, use 'kipc shm destroy'. Only the owner,\n"
		  "the creator or CAP_SYS_ADMIN may unlink.\n",
	.removal = "new mappings, resizes and seals fail with EIDRM\n"
		   "(\"Identifier removed\"), and the mappings that exist stay valid until\n"
		   "they are unmapped. It is freed when its last fd and mapping are gone.",
};

/* lsipc -m's columns, plus what a kipc region adds. */
static const struct kt_list_spec kt_show_shm = {
	.type = KIPC_OBJ_SHM,
	.what = "shared memory regions",
	.noun = "region",
	.defaults = "ID,NAME,SIZE,RSS,SWAP,NATTCH,SEALS,CPID,LPID,ATIME,"
		    "DTIME,CTIME,STATE",
};

const struct kt_cmd kt_shm_cmds[] = {
	KT_LIST_CMD("shm", "list the shared memory regions", &kt_list_shm),
	KT_SHOW_CMD("shm", "show regions with their statistics", &kt_show_shm),
	KT_DOC_CMD("create", "shm create",
		   "create a region",
		   KT_OPTS_CREATE | KT_OPTS_SHM_CREATE, kt_shm_create,
		   "NAME [OPTIONS]"),
	KT_DOC_CMD("resize", "shm resize",
		   "grow or shrink a region",
		   KT_OPTS_NONE, kt_shm_resize,
		   "NAME SIZE"),
	KT_DOC_CMD("seal", "shm seal",
		   "add seals to a region, for good",
		   KT_OPTS_NONE, kt_shm_seal,
		   "NAME SEAL[,SEAL...]"),
	KT_DOC_CMD("cat", "shm cat",
		   "write a region's bytes to standard output",
		   KT_OPTS_NONE, kt_shm_cat, "NAME"),
	KT_DOC_CMD("write", "shm write",
		   "copy standard input into a region",
		   KT_OPTS_NONE, kt_shm_write, "NAME < FILE"),
	KT_RM_CMD("shm", "unlink region names; mappings and fds keep working",
		  &kt_list_shm),
	KT_DESTROY_CMD("shm", "remove a region now; it can no longer be mapped",
		       &kt_list_shm),
	{ }
};
