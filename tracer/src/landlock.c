/* landlock.c — applying Landlock rules. */
#define _GNU_SOURCE
#include "landlock.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Debian's headers are older than the kernel: the newer rights, defined here. */
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15)
#endif
#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#define SYS_landlock_add_rule 445
#define SYS_landlock_restrict_self 446
#endif

static const struct {
	const char *name;
	uint64_t bit;
	int abi;
} rights[] = {
	{"EXECUTE", LANDLOCK_ACCESS_FS_EXECUTE, 1},       {"WRITE_FILE", LANDLOCK_ACCESS_FS_WRITE_FILE, 1},
	{"READ_FILE", LANDLOCK_ACCESS_FS_READ_FILE, 1},   {"READ_DIR", LANDLOCK_ACCESS_FS_READ_DIR, 1},
	{"REMOVE_DIR", LANDLOCK_ACCESS_FS_REMOVE_DIR, 1}, {"REMOVE_FILE", LANDLOCK_ACCESS_FS_REMOVE_FILE, 1},
	{"MAKE_CHAR", LANDLOCK_ACCESS_FS_MAKE_CHAR, 1},   {"MAKE_DIR", LANDLOCK_ACCESS_FS_MAKE_DIR, 1},
	{"MAKE_REG", LANDLOCK_ACCESS_FS_MAKE_REG, 1},     {"MAKE_SOCK", LANDLOCK_ACCESS_FS_MAKE_SOCK, 1},
	{"MAKE_FIFO", LANDLOCK_ACCESS_FS_MAKE_FIFO, 1},   {"MAKE_BLOCK", LANDLOCK_ACCESS_FS_MAKE_BLOCK, 1},
	{"MAKE_SYM", LANDLOCK_ACCESS_FS_MAKE_SYM, 1},     {"REFER", LANDLOCK_ACCESS_FS_REFER, 2},
	{"TRUNCATE", LANDLOCK_ACCESS_FS_TRUNCATE, 3},     {"IOCTL_DEV", LANDLOCK_ACCESS_FS_IOCTL_DEV, 5},
};

int landlock_abi(void) {
	const char *sim = getenv("WHITTLE_SIMULATE_MISSING");
	if (sim && strstr(sim, "landlock")) return 0;
	long v = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
	return v < 0 ? 0 : (int)v;
}

uint64_t landlock_handled(int abi) {
	uint64_t h = 0;
	for (size_t i = 0; i < ARRAY_LEN(rights); i++)
		if (rights[i].abi <= abi) h |= rights[i].bit;
	return h;
}

bool landlock_parse_rights(const char *list, uint64_t *out, char *bad, size_t badlen) {
	*out = 0;
	char *copy = xstrdup(list);
	bool ok = true;
	for (char *t = strtok(copy, ","); t; t = strtok(NULL, ",")) {
		bool found = false;
		for (size_t i = 0; i < ARRAY_LEN(rights); i++)
			if (!strcmp(t, rights[i].name)) *out |= rights[i].bit, found = true;
		if (!found) {
			snprintf(bad, badlen, "%s", t);
			ok = false;
			break;
		}
	}
	free(copy);
	return ok;
}

/* The nearest existing parent of a path that does not exist (never "/"): fd, or -1. */
static int open_nearest_parent(const char *path) {
	char buf[4096];
	snprintf(buf, sizeof buf, "%s", path);
	for (;;) {
		char *slash = strrchr(buf, '/');
		if (!slash || slash == buf) return -1;
		*slash = 0;
		int fd = open(buf, O_PATH | O_CLOEXEC);
		if (fd >= 0) return fd;
		if (errno != ENOENT) return -1;
	}
}

#define LL_FILE_RIGHTS                                                                                                                   \
	(LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_TRUNCATE |        \
	 LANDLOCK_ACCESS_FS_IOCTL_DEV)

int landlock_apply(const struct ll_rule *rules, size_t n, int abi, size_t *skipped, char *skipped_names, size_t namelen, char *err,
		   size_t errlen) {
	*skipped = 0;
	if (namelen) skipped_names[0] = 0;
	if (abi <= 0) {
		snprintf(err, errlen, "Landlock is not available");
		return -ENOSYS;
	}
	uint64_t handled = landlock_handled(abi);
	struct landlock_ruleset_attr attr = {.handled_access_fs = handled};
	int rs = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof attr.handled_access_fs, 0);
	if (rs < 0) {
		int e = errno;
		snprintf(err, errlen, "landlock_create_ruleset: %s", strerror(e));
		return -e;
	}
	for (size_t i = 0; i < n; i++) {
		int fd = open(rules[i].path, O_PATH | O_CLOEXEC);
		if (fd < 0 && rules[i].beneath && errno == ENOENT) fd = open_nearest_parent(rules[i].path);
		struct stat st;
		if (fd < 0 || fstat(fd, &st) < 0) {
			if (fd >= 0) close(fd);
			size_t l = strlen(skipped_names);
			if (*skipped < 3 && l + 3 < namelen) snprintf(skipped_names + l, namelen - l, "%s%s", l ? ", " : "", rules[i].path);
			(*skipped)++;
			continue;
		}
		uint64_t access = rules[i].access & handled;
		if (!S_ISDIR(st.st_mode)) {
			/* a rule on a file may only carry file rights */
			access &= LL_FILE_RIGHTS;
		} else if (!rules[i].beneath) {
			/* an exact rule on a directory: opening it for reading is READ_DIR; file rights
			 * would reach every file beneath it, which is not what was accepted */
			if (access & LANDLOCK_ACCESS_FS_READ_FILE) access |= LANDLOCK_ACCESS_FS_READ_DIR;
			access &= ~(uint64_t)LL_FILE_RIGHTS;
		}
		if (!access) {
			close(fd);
			continue;
		}
		struct landlock_path_beneath_attr pb = {.allowed_access = access, .parent_fd = fd};
		if (syscall(SYS_landlock_add_rule, rs, LANDLOCK_RULE_PATH_BENEATH, &pb, 0) < 0) {
			size_t l = strlen(skipped_names);
			if (*skipped < 3 && l + 3 < namelen) snprintf(skipped_names + l, namelen - l, "%s%s (%s)", l ? ", " : "", rules[i].path, strerror(errno));
			(*skipped)++;
		}
		close(fd);
	}
	if (syscall(SYS_landlock_restrict_self, rs, 0) < 0) {
		int e = errno;
		close(rs);
		snprintf(err, errlen, "landlock_restrict_self: %s", strerror(e));
		return -e;
	}
	close(rs);
	return 0;
}
