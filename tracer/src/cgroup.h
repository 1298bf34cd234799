/* cgroup.h — a cgroup v2 of its own for each session: it tells whose events are whose, lets
 * the eBPF recorder filter in the kernel, and lets the session end or kill the whole tree. */
#ifndef WHITTLE_CGROUP_H
#define WHITTLE_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct cgroup {
	char *mount;   /* where cgroup2 is mounted, e.g. /sys/fs/cgroup or /sys/fs/cgroup/unified */
	char *path;    /* full path of the session's cgroup directory */
	char *rel;     /* its path as /proc/PID/cgroup shows it ("/whittle/s123-…") */
	uint64_t id;   /* cgroup id (inode number), what bpf_get_current_cgroup_id() returns */
	int events_fd; /* cgroup.events, pollable (POLLPRI) for "populated 0" */
};

/* The cgroup2 mount point, or NULL (then whittle cannot track a session). */
char *cgroup2_mount(void);
/* Create a fresh session cgroup; dies with a clear message when that is impossible. */
void cgroup_create(struct cgroup *cg, const char *label);
bool cgroup_populated(const struct cgroup *cg);
/* Is pid in this cgroup (or below it)? */
bool cgroup_has_pid(const struct cgroup *cg, pid_t pid);
/* Send a signal to every process in it; SIGKILL uses cgroup.kill when the kernel has it. */
void cgroup_signal(const struct cgroup *cg, int sig);
/* The processes in it (and below): how many there are; the first max of them in out. */
size_t cgroup_pids(const struct cgroup *cg, pid_t *out, size_t max);
void cgroup_destroy(struct cgroup *cg);

#endif
