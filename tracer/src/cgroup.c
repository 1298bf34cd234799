/* cgroup.c — session cgroups on cgroup v2. */
#define _GNU_SOURCE
#include "cgroup.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

char *cgroup2_mount(void) {
	FILE *f = fopen("/proc/self/mountinfo", "re");
	if (!f) return NULL;
	char *line = NULL, *found = NULL;
	size_t cap = 0;
	while (getline(&line, &cap, f) > 0) {
		/* "36 25 0:31 / /sys/fs/cgroup/unified rw,... - cgroup2 cgroup2 rw" */
		char *sep = strstr(line, " - ");
		if (!sep || strncmp(sep + 3, "cgroup2 ", 8) != 0) continue;
		char *p = line;
		for (int i = 0; i < 4 && p; i++) p = strchr(p + 1, ' ');
		if (!p) continue;
		char *end = strchr(p + 1, ' ');
		if (!end) continue;
		found = xstrndup(p + 1, (size_t)(end - p - 1));
		break;
	}
	free(line);
	fclose(f);
	return found;
}

void cgroup_create(struct cgroup *cg, const char *label) {
	memset(cg, 0, sizeof *cg);
	cg->events_fd = -1;
	cg->mount = cgroup2_mount();
	if (!cg->mount)
		die("mount cgroup2 (e.g. `mount -t cgroup2 none /sys/fs/cgroup/unified`) and try again",
		    "no cgroup v2 hierarchy is mounted: whittle needs one to tell the workload's processes from others");
	char *parent = xasprintf("%s/whittle", cg->mount);
	if (mkdir(parent, 0755) < 0 && errno != EEXIST)
		die_errno("run whittle as root on a writable cgroup2 hierarchy", "cannot create %s", parent);
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	cg->rel = xasprintf("/whittle/%s-%d-%lx", label, getpid(), (unsigned long)ts.tv_nsec);
	cg->path = xasprintf("%s%s", cg->mount, cg->rel);
	if (mkdir(cg->path, 0755) < 0) die_errno("run whittle as root", "cannot create the session cgroup %s", cg->path);
	struct stat st;
	if (stat(cg->path, &st) < 0) die_errno(NULL, "stat %s", cg->path);
	cg->id = st.st_ino;
	char *ev = xasprintf("%s/cgroup.events", cg->path);
	cg->events_fd = open(ev, O_RDONLY | O_CLOEXEC);
	free(ev);
	free(parent);
}

bool cgroup_populated(const struct cgroup *cg) {
	char path[512];
	snprintf(path, sizeof path, "%s/cgroup.events", cg->path);
	char *s = read_small_file(path, NULL);
	if (!s) return false;
	bool populated = strstr(s, "populated 1") != NULL;
	free(s);
	return populated;
}

bool cgroup_has_pid(const struct cgroup *cg, pid_t pid) {
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/cgroup", pid);
	char *s = read_small_file(path, NULL);
	if (!s) return false;
	/* The v2 line is "0::/whittle/…"; a sub-cgroup the workload made is below it. */
	bool found = false;
	for (char *line = strtok(s, "\n"); line; line = strtok(NULL, "\n")) {
		if (strncmp(line, "0::", 3) != 0) continue;
		size_t n = strlen(cg->rel);
		found = strncmp(line + 3, cg->rel, n) == 0 && (line[3 + n] == 0 || line[3 + n] == '/');
	}
	free(s);
	return found;
}

/* Call fn for every process in dir and the cgroups below it. */
static void each_pid(const char *dir, void (*fn)(pid_t pid, void *ctx), void *ctx) {
	char path[1024];
	snprintf(path, sizeof path, "%s/cgroup.procs", dir);
	char *s = read_small_file(path, NULL);
	if (s) {
		for (char *line = strtok(s, "\n"); line; line = strtok(NULL, "\n")) fn(atoi(line), ctx);
		free(s);
	}
	DIR *d = opendir(dir);
	if (!d) return;
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_type != DT_DIR || e->d_name[0] == '.') continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		each_pid(path, fn, ctx);
	}
	closedir(d);
}

static void signal_pid(pid_t pid, void *ctx) { kill(pid, *(int *)ctx); }

static void collect_pid(pid_t pid, void *ctx) {
	struct { pid_t *out; size_t max, n; } *c = ctx;
	if (c->n < c->max) c->out[c->n] = pid;
	c->n++;
}

size_t cgroup_pids(const struct cgroup *cg, pid_t *out, size_t max) {
	struct { pid_t *out; size_t max, n; } c = { out, max, 0 };
	if (cg->path) each_pid(cg->path, collect_pid, &c);
	return c.n;
}

void cgroup_signal(const struct cgroup *cg, int sig) {
	if (!cg->path) return;
	if (sig == SIGKILL) {
		char path[512];
		snprintf(path, sizeof path, "%s/cgroup.kill", cg->path);
		if (write_file_str(path, "1") == 0) return;
	}
	each_pid(cg->path, signal_pid, &sig);
}

static void remove_tree(const char *dir) {
	DIR *d = opendir(dir);
	if (d) {
		char path[1024];
		for (struct dirent *e; (e = readdir(d));) {
			if (e->d_type != DT_DIR || e->d_name[0] == '.') continue;
			snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
			remove_tree(path);
		}
		closedir(d);
	}
	rmdir(dir);
}

void cgroup_destroy(struct cgroup *cg) {
	if (cg->events_fd >= 0) close(cg->events_fd);
	cg->events_fd = -1;
	if (cg->path) {
		/* rmdir fails with EBUSY for a moment after the last task exits: retry briefly. */
		for (int i = 0; i < 50; i++) {
			remove_tree(cg->path);
			if (access(cg->path, F_OK) != 0) break;
			usleep(10000);
		}
	}
	free(cg->path), free(cg->rel), free(cg->mount);
	cg->path = cg->rel = cg->mount = NULL;
}
