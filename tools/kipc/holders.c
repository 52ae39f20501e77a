// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc: the holders of an object, as fuser(1) and lsof(8) find them: the
 * processes with an fd open to it, or (for a region) a mapping of it, read
 * from /proc.
 *
 * An object fd reads back as "anon_inode:kipc-TYPE" from /proc/PID/fd/N, and
 * its /proc/PID/fdinfo/N names the object by its kipc-id. A mapping of a
 * region is a line of /proc/PID/maps whose path is "/kipc-shm" (with
 * " (deleted)": the shmem file is never linked) and whose inode is the
 * region's shm-ino, which netlink reports.
 *
 * Only what the caller may see: /proc refuses another user's fds and maps
 * (ptrace_may_access()), and those processes are skipped quietly, as fuser
 * does; so is a process that exits during the scan. /proc is read once per
 * run of the tool, on the first use of the HOLDERS column.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kipc-tool.h"

#define KT_PROC		"/proc"
#define KT_FD_PREFIX	"anon_inode:kipc-"
#define KT_MAP_PATH	"/kipc-shm"

/**
 * struct kt_hold - one fd or mapping of an object in a process
 * @key: the object's id for an fd, the region's inode for a mapping
 * @map: a mapping (@addr), not an fd (@fd)
 * @pid: the process, in the pid namespace of /proc
 * @fd: the fd
 * @addr: the mapping's first address
 * @comm: the process's command name
 */
struct kt_hold {
	uint64_t key;
	bool map;
	int pid;
	int fd;
	unsigned long addr;
	char comm[17];
};

static struct {
	bool scanned;
	bool oom;
	struct kt_hold *v;
	size_t n, cap;
} kt_holds;

static int kt_hold_add(const struct kt_hold *h)
{
	struct kt_hold *v;

	if (kt_holds.n == kt_holds.cap) {
		size_t cap = kt_holds.cap ? 2 * kt_holds.cap : 64;

		v = realloc(kt_holds.v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		kt_holds.v = v;
		kt_holds.cap = cap;
	}
	kt_holds.v[kt_holds.n++] = *h;
	return 0;
}

/* The command name of @pid, into @comm (empty when it is gone). */
static void kt_hold_comm(int pid, char comm[17])
{
	char path[64];
	ssize_t len;
	int fd;

	comm[0] = '\0';
	snprintf(path, sizeof(path), KT_PROC "/%d/comm", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	len = read(fd, comm, 16);
	close(fd);
	if (len <= 0)
		return;
	comm[len] = '\0';
	comm[strcspn(comm, "\n")] = '\0';
}

/* The kipc-id of fd @fd of @pid, or -1 when it has none (or is gone). */
static int kt_hold_fd_id(int pid, const char *fd, uint64_t *id)
{
	char path[320], line[256];
	int ret = -1;
	FILE *f;

	snprintf(path, sizeof(path), KT_PROC "/%d/fdinfo/%s", pid, fd);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "kipc-id: %" SCNu64, id) == 1) {
			ret = 0;
			break;
		}
	fclose(f);
	return ret;
}

/* The kipc fds of @pid. Returns 0, or -ENOMEM. */
static int kt_hold_scan_fds(int pid, const char *comm)
{
	struct kt_hold h = { .pid = pid };
	char path[64], link[64], lpath[320];
	struct dirent *de;
	ssize_t len;
	DIR *d;
	int ret = 0;

	snprintf(path, sizeof(path), KT_PROC "/%d/fd", pid);
	d = opendir(path);
	if (!d)		/* EACCES: not ours to see; ENOENT: gone */
		return 0;
	snprintf(h.comm, sizeof(h.comm), "%s", comm);
	while (!ret && (de = readdir(d))) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		snprintf(lpath, sizeof(lpath), "%s/%s", path, de->d_name);
		len = readlink(lpath, link, sizeof(link) - 1);
		if (len <= 0)
			continue;
		link[len] = '\0';
		if (strncmp(link, KT_FD_PREFIX, strlen(KT_FD_PREFIX)))
			continue;
		if (kt_hold_fd_id(pid, de->d_name, &h.key))
			continue;
		h.fd = atoi(de->d_name);
		ret = kt_hold_add(&h);
	}
	closedir(d);
	return ret;
}

/* The mappings of regions in @pid. Returns 0, or -ENOMEM. */
static int kt_hold_scan_maps(int pid, const char *comm)
{
	struct kt_hold h = { .pid = pid, .map = true };
	char path[64], line[512], *p;
	unsigned long start;
	uint64_t ino;
	int off, ret = 0;
	FILE *f;

	snprintf(path, sizeof(path), KT_PROC "/%d/maps", pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	snprintf(h.comm, sizeof(h.comm), "%s", comm);
	while (!ret && fgets(line, sizeof(line), f)) {
		/* start-end perms offset dev inode path */
		off = 0;
		if (sscanf(line, "%lx-%*x %*s %*x %*x:%*x %" SCNu64 " %n",
			   &start, &ino, &off) < 2 || !off)
			continue;
		p = line + off;
		p[strcspn(p, "\n")] = '\0';
		if (strcmp(p, KT_MAP_PATH) &&
		    strcmp(p, KT_MAP_PATH " (deleted)"))
			continue;
		h.key = ino;
		h.addr = start;
		ret = kt_hold_add(&h);
	}
	fclose(f);
	return ret;
}

static int kt_holders_scan(void)
{
	struct dirent *de;
	char comm[17];
	DIR *d;
	int pid, ret = 0;

	kt_holds.scanned = true;
	d = opendir(KT_PROC);
	if (!d)
		return 0;
	while (!ret && (de = readdir(d))) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		pid = atoi(de->d_name);
		kt_hold_comm(pid, comm);
		ret = kt_hold_scan_fds(pid, comm);
		if (!ret)
			ret = kt_hold_scan_maps(pid, comm);
	}
	closedir(d);
	if (ret)
		kt_holds.oom = true;
	return ret;
}

static bool kt_hold_of(const struct kt_hold *h,
		       const struct kipc_admin_obj *obj)
{
	if (!h->map)
		return h->key == obj->id;
	return obj->type == KIPC_OBJ_SHM &&
	       kipc_admin_obj_has(obj, KIPC_A_OBJ_SHM_INO) &&
	       h->key == obj->shm_ino;
}

/*
 * The holders of @obj, "COMM[PID]:fdN" and "COMM[PID]:map@ADDR" separated by
 * commas, or NULL when none are visible (or, with *@oom, out of memory).
 */
char *kt_holders(const struct kipc_admin_obj *obj, bool *oom)
{
	char *s = NULL, *t;
	size_t i;
	int ret;

	*oom = false;
	if (!kt_holds.scanned)
		kt_holders_scan();
	if (kt_holds.oom) {
		*oom = true;
		return NULL;
	}
	for (i = 0; i < kt_holds.n; i++) {
		const struct kt_hold *h = &kt_holds.v[i];

		if (!kt_hold_of(h, obj))
			continue;
		if (h->map)
			ret = asprintf(&t, "%s%s%s[%d]:map@%lx", s ? s : "",
				       s ? "," : "", h->comm, h->pid,
				       h->addr);
		else
			ret = asprintf(&t, "%s%s%s[%d]:fd%d", s ? s : "",
				       s ? "," : "", h->comm, h->pid, h->fd);
		free(s);
		if (ret < 0) {
			*oom = true;
			return NULL;
		}
		s = t;
	}
	return s;
}
