/* learn.h — the two recording mechanisms of learn mode, behind one event protocol. */
#ifndef WHITTLE_LEARN_H
#define WHITTLE_LEARN_H

#include <stdbool.h>
#include "maps.h"
#include "session.h"

struct learn_opts {
	const char *mechanism; /* "seccomp" or "ebpf" */
	bool explicit_mechanism; /* chosen by the user: no silent fallback */
	int rcvbuf;            /* audit socket receive buffer (bytes) */
	int ringbuf;           /* eBPF ring buffer (bytes) */
	bool cap_probe;        /* use the cap_capable tracepoint where possible */
	const char *simulate_missing; /* testing aid: features to pretend are absent */
};

/* Each returns the exit status to pass through (the workload's). */
int learn_seccomp(struct session *s, const struct learn_opts *o);
int learn_ebpf(struct session *s, const struct learn_opts *o);

/* Shared by both: the hello line and the final lost/end events. */
void learn_emit_hello(const char *mechanism, const struct learn_opts *o, const char *cap_probe, bool path_results);
void learn_emit_started(const struct session *s);

struct lost_counter {
	const char *name;
	uint64_t value;
	const char *what; /* one line for the user */
};
void learn_emit_lost(const struct lost_counter *c, size_t n, bool force);
void learn_flush_or_stop(struct session *s);
void learn_seccomp_emit_lost(uint64_t untracked, int64_t kernel_lost_start, bool force);
/* Exit with a clear message unless the kernel has the seccomp log and user_notif actions and logs
 * RET_LOG (hint: what to do when an action is missing). */
void learn_seccomp_require_actions(const char *hint);

/* Placing seccomp log records (they carry only a pid) in the session (learn_seccomp.c and
 * container.c): the session's; another program's (alive and not ours: foreign); or gone before
 * it could be placed (pending until record_placer_settle: foreign, or untracked when the tree
 * tracking may have missed its fork). */
struct record_placer {
	struct intmap pending; /* pid -> records */
	uint64_t foreign, untracked;
};
bool record_placer_ours(struct record_placer *pl, struct session *s, pid_t pid);
void record_placer_settle(struct record_placer *pl);
void learn_emit_end(const struct session *s, double elapsed);

#endif
