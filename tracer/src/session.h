/* session.h — one learning (or enforcing) session: the workload's process, its cgroup, its
 * exit status, the signals the tracer handles, and when the session ends. */
#ifndef WHITTLE_SESSION_H
#define WHITTLE_SESSION_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "cgroup.h"
#include "maps.h"

struct session {
	char **argv;           /* the workload's command */
	char *exe_path;        /* argv[0] found on PATH, symlinks resolved (what runs) */
	char *exec_path;       /* argv[0] found on PATH as named (what is exec'd: its symlinks are the workload's too) */
	struct cgroup cg;
	int procs_fd;          /* the cgroup's cgroup.procs, opened before fork */
	pid_t root;            /* the workload's first process */
	bool root_reaped;
	int root_status;       /* wait() status */
	uint64_t root_reaped_ns;
	bool said_left_running; /* the warning that the first process left others running */
	bool exec_failed;
	int exec_errno;
	char *setup_error;     /* the child could not set the sandbox up (it said why) */
	void (*on_child_note)(const char *note); /* warnings the child sends before its exec */
	bool terminating;      /* SIGTERM/SIGHUP received: the tree is being stopped */
	uint64_t kill_deadline_ns;
	uint64_t processes;    /* distinct processes seen in the tree */
	struct intmap tgids;   /* every tgid that was part of the tree (value: 1 alive, 2 exited) */
	struct intmap tid_to_tgid;
	uint64_t lost_untracked;
	uint64_t escaped;
	char *tracer_exe;
};

/* Hook run in the child after it joined the cgroup and just before exec. */
typedef void (*child_hook)(struct session *s, void *ctx);

extern struct session *the_session;

/* Find argv[0] on PATH (as execvp would). Exits 127/126 with a clear message when it cannot. */
void session_resolve_command(struct session *s);
/* Create the cgroup and install signal handling (before a mechanism that needs the cgroup id). */
void session_prepare(struct session *s, const char *label);
/* Fork the workload: it runs hook, joins the cgroup (its last syscall before exec), and execs. */
void session_spawn(struct session *s, child_hook hook, void *ctx);
/* Run the loop until the whole tree has exited. tick() runs every period_ms. */
void session_run(struct session *s, int period_ms, void (*tick)(void));
/* The status whittle passes through: the workload's exit code, or 128+signal. */
int session_exit_code(const struct session *s);
/* Emit the "exit" event. */
void session_emit_exit(const struct session *s);

/* In the child: join the session cgroup now (a hook that must run inside it calls this first;
 * the spawn then does not join again). */
void session_child_join(struct session *s);
/* In the child, before exec: pass a warning to the parent (it becomes a "warning" event). */
void session_child_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* In the child, before exec: fail with a message (the parent reports it; exit 125). */
__attribute__((noreturn, format(printf, 1, 2))) void session_child_fail(const char *fmt, ...);
/* In the child, before exec: the command cannot be executed (err, e.g. ENOENT: not in a sandbox's
 * view); reported like a failed exec (exit 127 for ENOENT, 126 otherwise). */
__attribute__((noreturn)) void session_child_exec_failed(int err);

/* Tree bookkeeping, for the mechanisms. */
void session_add_process(struct session *s, pid_t tgid, pid_t parent);
void session_add_thread(struct session *s, pid_t tid, pid_t tgid);
bool session_has(const struct session *s, pid_t tgid_or_tid);
pid_t session_tgid_of(struct session *s, pid_t tid);
void session_mark_exited(struct session *s, pid_t tgid);
bool session_pid_in_session(pid_t pid);

#endif
