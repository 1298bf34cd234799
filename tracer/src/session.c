/* session.c — the workload's lifetime: command lookup, fork/exec into the session cgroup,
 * signals, reaping (as a subreaper, so daemons that detach are still waited for), and the end. */
#define _GNU_SOURCE
#include "session.h"
#include "emit.h"
#include "loop.h"
#include "names.h"
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <sys/epoll.h>

extern char **environ;
struct session *the_session;
static int exec_pipe = -1;
static int sig_fd = -1;
static sigset_t child_sigmask;

static bool is_executable_file(const char *p, int *err) {
	struct stat st;
	if (stat(p, &st) < 0) {
		*err = errno;
		return false;
	}
	if (S_ISDIR(st.st_mode)) {
		*err = EISDIR;
		return false;
	}
	if (access(p, X_OK) < 0) {
		*err = errno;
		return false;
	}
	return true;
}

void session_resolve_command(struct session *s) {
	const char *cmd = s->argv[0];
	int err = ENOENT;
	if (strchr(cmd, '/')) {
		if (is_executable_file(cmd, &err)) {
			s->exec_path = xstrdup(cmd);
			s->exe_path = realpath(cmd, NULL);
			if (!s->exe_path) s->exe_path = xstrdup(cmd);
			return;
		}
	} else {
		const char *path = getenv("PATH");
		if (!path || !*path) path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
		char *copy = xstrdup(path);
		int first_err = 0;
		for (char *dir = strtok(copy, ":"); dir; dir = strtok(NULL, ":")) {
			char *cand = xasprintf("%s/%s", *dir ? dir : ".", cmd);
			int e;
			if (is_executable_file(cand, &e)) {
				s->exec_path = cand;
				s->exe_path = realpath(cand, NULL);
				if (!s->exe_path) s->exe_path = xstrdup(cand);
				free(copy);
				return;
			}
			if (e != ENOENT && e != ENOTDIR && !first_err) first_err = e;
			free(cand);
		}
		free(copy);
		err = first_err ? first_err : ENOENT;
	}
	if (err == ENOENT || err == ENOTDIR) {
		fprintf(stderr, "whittle: %s: command not found\n", cmd);
		emit_message("error", "command not found", NULL);
		emit_flush();
		exit(EXIT_NOT_FOUND);
	}
	fprintf(stderr, "whittle: %s: cannot execute: %s\n", cmd, strerror(err));
	emit_message("error", "cannot execute the command", strerror(err));
	emit_flush();
	exit(EXIT_CANNOT_EXEC);
}

bool session_has(const struct session *s, pid_t pid) {
	return intmap_has(&s->tgids, (uint64_t)pid) || intmap_has(&s->tid_to_tgid, (uint64_t)pid);
}

bool session_pid_in_session(pid_t pid) { return the_session && session_has(the_session, pid); }

void session_add_process(struct session *s, pid_t tgid, pid_t parent) {
	(void)parent;
	if (!intmap_has(&s->tgids, (uint64_t)tgid)) s->processes++;
	intmap_put(&s->tgids, (uint64_t)tgid, (void *)1);
}

void session_add_thread(struct session *s, pid_t tid, pid_t tgid) {
	if (tid != tgid) intmap_put(&s->tid_to_tgid, (uint64_t)tid, (void *)(uintptr_t)tgid);
}

pid_t session_tgid_of(struct session *s, pid_t tid) {
	uintptr_t v = (uintptr_t)intmap_get(&s->tid_to_tgid, (uint64_t)tid);
	if (v) return (pid_t)v;
	if (intmap_has(&s->tgids, (uint64_t)tid)) return tid;
	/* Not seen yet (the fork event may still be queued): ask /proc. */
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/status", tid);
	char *st = read_small_file(path, NULL);
	pid_t tgid = tid;
	if (st) {
		char *t = strstr(st, "\nTgid:");
		if (t) tgid = atoi(t + 6);
		free(st);
	}
	return tgid;
}

void session_mark_exited(struct session *s, pid_t tgid) {
	if (intmap_has(&s->tgids, (uint64_t)tgid)) intmap_put(&s->tgids, (uint64_t)tgid, (void *)2);
}

/* The child's report channel (closed by its exec): records of one kind byte, a 16-bit length,
 * and the text. 'E' = exec failed (the text is the errno), 'W' = a warning, 'F' = setup failed. */
static int child_pipe = -1;

static void child_send(char kind, const void *data, size_t len) {
	if (child_pipe < 0) return;
	unsigned char hdr[3] = {(unsigned char)kind, (unsigned char)(len & 0xff), (unsigned char)(len >> 8)};
	if (len > 60000) len = 60000;
	if (write(child_pipe, hdr, 3) != 3 || write(child_pipe, data, len) != (ssize_t)len) { /* the parent is gone */ }
}

static bool child_joined;

void session_child_join(struct session *s) {
	if (child_joined) return;
	/* "0" means "me"; the descriptor closes on exec. */
	if (write(s->procs_fd, "0", 1) != 1)
		session_child_fail("cannot move the workload into its cgroup %s: %s", s->cg.path, strerror(errno));
	child_joined = true;
}

/* A formatted message to the parent: 'W' a warning, 'F' a failure. */
static void child_sendf(char kind, const char *fmt, va_list ap) {
	char msg[1024];
	vsnprintf(msg, sizeof msg, fmt, ap);
	child_send(kind, msg, strlen(msg));
}

void session_child_note(const char *fmt, ...) {
	va_list ap;
	va_start(ap, fmt);
	child_sendf('W', fmt, ap);
	va_end(ap);
}

void session_child_fail(const char *fmt, ...) {
	va_list ap;
	va_start(ap, fmt);
	child_sendf('F', fmt, ap);
	va_end(ap);
	_exit(EXIT_TRACER_FAILURE);
}

void session_child_exec_failed(int err) {
	child_send('E', &err, sizeof err);
	_exit(err == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC);
}

static void on_exec_pipe(int fd, uint32_t events, void *ctx) {
	struct session *s = ctx;
	(void)events;
	for (;;) {
		unsigned char hdr[3];
		ssize_t n = read(fd, hdr, 3);
		if (n != 3) break;
		size_t len = hdr[1] | ((size_t)hdr[2] << 8);
		char *text = xmalloc(len + 1);
		size_t got = 0;
		while (got < len) {
			ssize_t r = read(fd, text + got, len - got);
			if (r <= 0) break;
			got += (size_t)r;
		}
		text[got] = 0;
		if (hdr[0] == 'E' && got == sizeof(int)) {
			s->exec_failed = true;
			memcpy(&s->exec_errno, text, sizeof(int));
			free(text);
		} else if (hdr[0] == 'F') {
			s->setup_error = text;
		} else {
			if (s->on_child_note) s->on_child_note(text);
			free(text);
		}
	}
	loop_del(fd);
	close(fd);
	exec_pipe = -1;
}

static void reap(struct session *s) {
	for (;;) {
		int st;
		pid_t p = waitpid(-1, &st, WNOHANG | __WALL);
		if (p <= 0) break;
		if (p == s->root) {
			debug_timing("root reaped");
			s->root_reaped = true;
			s->root_reaped_ns = now_ns();
			s->root_status = st;
		}
	}
}

/* "SIGTERM" for 15, in buf. */
static const char *signal_name(int sig, char *buf, size_t n) {
	const char *ab = sigabbrev_np(sig);
	snprintf(buf, n, "SIG%s", ab ? ab : "?");
	return buf;
}

/* The first process ended and others it started go on (a daemon, a background job): say
 * which, that the session waits for them, and how to stop them. Said once, a moment after the
 * first process ended, so that children ending along with it are not named. */
static void say_left_running(struct session *s) {
	s->said_left_running = true;
	if (s->terminating || s->exec_failed || s->setup_error || !cgroup_populated(&s->cg)) return;
	enum { SHOWN = 6 };
	pid_t pids[SHOWN];
	size_t n = cgroup_pids(&s->cg, pids, SHOWN);
	if (!n) return;
	const char *slash = strrchr(s->argv[0], '/');
	char how[48], sig[32];
	int st = s->root_status;
	if (WIFSIGNALED(st))
		snprintf(how, sizeof how, "killed by %s", signal_name(WTERMSIG(st), sig, sizeof sig));
	else
		snprintf(how, sizeof how, "exit status %d", WEXITSTATUS(st));
	struct sbuf b;
	sbuf_init(&b);
	sbuf_printf(&b, "%s (pid %d) ended (%s) and left %zu process%s running: ", slash ? slash + 1 : s->argv[0], (int)s->root, how, n,
		    n == 1 ? "" : "es");
	for (size_t i = 0; i < n && i < SHOWN; i++) {
		char path[64];
		snprintf(path, sizeof path, "/proc/%d/comm", (int)pids[i]);
		char *comm = read_small_file(path, NULL);
		if (comm) comm[strcspn(comm, "\n")] = 0;
		sbuf_printf(&b, "%s%s (pid %d)", i ? ", " : "", comm ? comm : "?", (int)pids[i]);
		free(comm);
	}
	if (n > SHOWN) sbuf_printf(&b, ", and %zu more", n - SHOWN);
	sbuf_adds(&b, "; the session goes on until they end too");
	sbuf_addc(&b, 0);
	emit_message_now("warning", b.data, "Ctrl-C (q in the TUI) stops them and keeps what was seen", true);
	sbuf_free(&b);
}

static void begin_termination(struct session *s, const char *why) {
	if (s->terminating) return;
	s->terminating = true;
	s->kill_deadline_ns = now_ns() + 3000000000ULL;
	emit_message("warning", why, "the workload's process tree gets SIGTERM now and SIGKILL in 3 s");
	cgroup_signal(&s->cg, SIGTERM);
}

static void on_signal(int fd, uint32_t events, void *ctx) {
	struct session *s = ctx;
	(void)events;
	struct signalfd_siginfo si;
	while (read(fd, &si, sizeof si) == sizeof si) {
		switch (si.ssi_signo) {
		case SIGCHLD:
			reap(s);
			break;
		case SIGTERM:
			begin_termination(s, "stopping: whittle asked the tracer to end the session");
			break;
		case SIGHUP:
			begin_termination(s, "stopping: the terminal went away (SIGHUP)");
			break;
		default:
			/* SIGINT/SIGQUIT from the terminal reach the workload too: it decides. Once its first
			 * process has ended, what is left (a daemon in a session of its own) no longer hears
			 * the terminal: then they stop the session. */
			if (s->root_reaped)
				begin_termination(s, si.ssi_signo == SIGINT ? "stopping: Ctrl-C after the workload's first process had ended"
									    : "stopping: Ctrl-\\ after the workload's first process had ended");
			break;
		}
	}
}

static void on_cgroup_event(int fd, uint32_t events, void *ctx) {
	(void)events, (void)ctx;
	/* Reading the file acknowledges the change; the loop re-checks "populated" after every
	 * round. Without the read, kernfs keeps reporting it and the loop would spin. */
	char buf[256];
	if (pread(fd, buf, sizeof buf, 0) < 0) { /* nothing to do */ }
}

void session_prepare(struct session *s, const char *label) {
	if (s->cg.path) return; /* a mechanism fell back to another: keep what is prepared */
	the_session = s;
	cgroup_create(&s->cg, label);
	char *procs = xasprintf("%s/cgroup.procs", s->cg.path);
	s->procs_fd = open(procs, O_WRONLY | O_CLOEXEC);
	if (s->procs_fd < 0) die_errno("run whittle as root", "cannot open %s", procs);
	free(procs);

	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGQUIT);
	sigset_t old;
	sigprocmask(SIG_BLOCK, &mask, &old);
	sig_fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sig_fd < 0) die_errno(NULL, "signalfd");
	signal(SIGPIPE, SIG_IGN);
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) die_errno(NULL, "prctl(PR_SET_CHILD_SUBREAPER)");
	child_sigmask = old;
}

void session_spawn(struct session *s, child_hook hook, void *ctx) {
	sigset_t old = child_sigmask;
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0) die_errno(NULL, "pipe2");
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) die_errno("the machine may be out of processes or memory", "fork");
	if (pid == 0) {
		close(p[0]);
		child_pipe = p[1];
		signal(SIGPIPE, SIG_DFL);
		sigprocmask(SIG_SETMASK, &old, NULL);
		/* Joining is the child's last syscall before exec (learn: the in-kernel recorder counts
		 * from here on) unless the hook joined earlier (enforce: the sandbox is built inside
		 * the cgroup). */
		if (hook) hook(s, ctx);
		session_child_join(s);
		/* exec the name as found (e.g. /bin/sh), so the symlinks on the way are recorded */
		execve(s->exec_path ? s->exec_path : s->exe_path, s->argv, environ);
		int err = errno;
		child_send('E', &err, sizeof err);
		_exit(err == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC);
	}
	close(p[1]);
	close(s->procs_fd);
	s->procs_fd = -1;
	s->root = pid;
	session_add_process(s, pid, getpid());
	exec_pipe = p[0];
	loop_add(p[0], EPOLLIN, on_exec_pipe, s);
	loop_add(sig_fd, EPOLLIN, on_signal, s);
	if (s->cg.events_fd >= 0) loop_add(s->cg.events_fd, EPOLLPRI, on_cgroup_event, s);
}

void session_run(struct session *s, int period_ms, void (*tick)(void)) {
	uint64_t next_tick = now_ns() + (uint64_t)period_ms * 1000000ULL;
	for (;;) {
		if (s->root_reaped && !cgroup_populated(&s->cg)) break;
		uint64_t now = now_ns();
		int wait_ms = now >= next_tick ? 0 : (int)((next_tick - now) / 1000000ULL) + 1;
		loop_once(wait_ms);
		now = now_ns();
		if (now >= next_tick) {
			if (tick) tick();
			next_tick = now + (uint64_t)period_ms * 1000000ULL;
			/* A reaped root with a populated cgroup: keep reaping orphans handed to us. */
			reap(s);
		}
		if (s->root_reaped && !s->said_left_running && now >= s->root_reaped_ns + 300000000ULL) say_left_running(s);
		if (s->terminating && now >= s->kill_deadline_ns) {
			cgroup_signal(&s->cg, SIGKILL);
			s->kill_deadline_ns = now + 1000000000ULL;
		}
	}
	/* The exec status pipe may still hold the exec error. */
	if (exec_pipe >= 0) on_exec_pipe(exec_pipe, 0, s);
}

int session_exit_code(const struct session *s) {
	if (s->setup_error) return EXIT_TRACER_FAILURE;
	if (s->exec_failed) return s->exec_errno == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC;
	int st = s->root_status;
	if (WIFEXITED(st)) return WEXITSTATUS(st);
	if (WIFSIGNALED(st)) return 128 + WTERMSIG(st);
	return EXIT_TRACER_FAILURE;
}

void session_emit_exit(const struct session *s) {
	emit_begin("exit");
	emit_i64("pid", s->root);
	int st = s->root_status;
	if (s->setup_error) {
		emit_null("code");
		emit_null("signal");
		emit_str("setupError", s->setup_error);
	} else if (s->exec_failed) {
		emit_null("code");
		emit_null("signal");
		emit_str("execError", errno_name(s->exec_errno));
	} else if (WIFEXITED(st)) {
		emit_i64("code", WEXITSTATUS(st));
		emit_null("signal");
	} else if (WIFSIGNALED(st)) {
		emit_null("code");
		char sig[32];
		emit_str("signal", signal_name(WTERMSIG(st), sig, sizeof sig));
		emit_bool("coreDumped", WCOREDUMP(st));
	}
	emit_i64("status", session_exit_code(s));
	emit_u64("processes", s->processes);
	emit_end();
}
