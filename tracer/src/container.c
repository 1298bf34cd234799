/* container.c — `whittle-tracer container`: learn or enforce an OCI container through its own
 * runtime (runc, crun, or podman with its OCI runtime).
 *
 * Only one seccomp user-notify listener fits in a process's filter chain, and a runtime that is
 * given a profile with SCMP_ACT_NOTIFY installs one of its own: so whittle does not wrap the
 * runtime in a filter. whittle gives the runtime a profile instead (`container profile` prints
 * it: default SCMP_ACT_LOG, SCMP_ACT_NOTIFY for the argument-carrying syscalls of capture.c, and
 * a listenerPath), runs the runtime in the session's cgroup (the container's own cgroup is made
 * below it: whittle puts "@WHITTLE_CGROUP@" in the bundle's cgroupsPath or podman's
 * --cgroup-parent, and this file writes the session's cgroup there), receives the listener fd
 * and the container's state (its pid) on the listener socket, answers every notification
 * CONTINUE, and reads the kernel's RET_LOG records of the container's processes.
 *
 * Only processes under the container's filter make RET_LOG records (the runtime that starts
 * the container has none), and the proc connector follows every process of the runtime's tree.
 * What the runtime itself does after installing the filter, until it execs the container's
 * program (runc init, crun), is counted as the "runtime" layer: records whose exe is the
 * runtime's (--runtime-exe). The in-kernel capability probe likewise counts only tasks under a
 * seccomp filter, and not while their comm is the runtime's (--runtime-comm).
 *
 *   container profile --listener PATH [--flag NAME]...      the learn profile (linux.seccomp)
 *   container learn --events SPEC --listener PATH [--config FILE] [--runtime-exe EXE]...
 *                   [--runtime-comm COMM]... [--rcvbuf BYTES] [--no-cap-probe] -- RUNTIME ARGS…
 *   container run --events SPEC [--config FILE] [--syscall-denials] -- RUNTIME ARGS…
 *
 * In `run`, denials come from the in-kernel denial probe: the first failure of every syscall
 * in a task under a seccomp filter (a `syscall` item; whittle wrote the profile, so it knows
 * which of them the filter refused), plus the probe's path, socket-family and capability items.
 * Not the kernel's records: runc 1.1.5 cannot ask for them (no seccomp "flags"), and a logged
 * ERRNO answer makes the container wait behind a full audit backlog. */
#define _GNU_SOURCE
#include "agg.h"
#include "audit.h"
#include "capprobe.h"
#include "capture.h"
#include "emit.h"
#include "learn.h"
#include "loop.h"
#include "names.h"
#include "notify.h"
#include "paths.h"
#include "proctree.h"
#include "session.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define CGROUP_PLACEHOLDER "@WHITTLE_CGROUP@"
#define MAX_PATTERNS 8

static struct session *sess;
static const char *runtime_exes[MAX_PATTERNS];
static size_t n_runtime_exes;
static const char *runtime_comms[MAX_PATTERNS];
static size_t n_runtime_comms;
static uint64_t runtime_records, app_records;
static struct record_placer placer;
static int64_t kernel_lost_at_start;
static bool learning;
static int listener_fd = -1;
static char *listener_path;
static uint64_t containers_seen;

/* ---- the runtime's own calls ---- */

/* A name matches a pattern exactly, or by prefix when the pattern ends with '*'. */
static bool matches(const char *name, const char *const *patterns, size_t n) {
	if (!name) return false;
	for (size_t i = 0; i < n; i++) {
		const char *p = patterns[i];
		size_t l = strlen(p);
		if (l && p[l - 1] == '*') {
			if (strncmp(name, p, l - 1) == 0) return true;
		} else if (strcmp(name, p) == 0) {
			return true;
		}
	}
	return false;
}

/* The runtime between installing the container's filter and exec'ing its program. Its binary
 * is outside the container's root by then, so the kernel names its exe "/" (measured with runc
 * 1.1.5 and crun 1.8.1: in the RET_LOG records and in /proc/PID/exe alike), and its comm is its
 * own ("runc:[2:INIT]", "crun"). */
static bool is_runtime(const char *exe, const char *comm) {
	return matches(exe, runtime_exes, n_runtime_exes) || matches(comm, runtime_comms, n_runtime_comms);
}

static const char *layer_of(const char *exe, const char *comm) { return is_runtime(exe, comm) ? "runtime" : NULL; }

/* ---- placing records: record_placer (learn_common.c), as learn_seccomp.c does ---- */

static enum abi record_abi(const struct audit_seccomp_rec *r) {
	int abi = abi_from_audit_arch(r->arch);
	if (abi < 0) abi = ABI_X86_64;
	if (abi == ABI_X86_64 && (r->syscall & 0x40000000)) abi = ABI_X32;
	return (enum abi)abi;
}

static void on_learn_record(const struct audit_seccomp_rec *r, void *ctx) {
	(void)ctx;
	if (!record_placer_ours(&placer, sess, r->pid)) return;
	const char *layer = layer_of(r->exe, r->comm);
	if (layer) runtime_records++;
	else app_records++;
	struct origin o = {.pid = r->pid, .exe = r->exe};
	agg_syscall_layer(record_abi(r), r->syscall, layer, 1, &o);
}

static void on_notified(pid_t tgid, int abi, int nr, const char *exe) {
	struct origin o = {.pid = tgid, .exe = exe};
	agg_syscall_layer(abi < 0 ? ABI_X86_64 : (enum abi)abi, nr, layer_of(exe, NULL), 1, &o);
}

/* The runtime's own calls count as syscalls of its layer; of their arguments only the exec of
 * the container's program is the container's (its path and argv[0]). */
static bool keep_arguments(pid_t tgid, int abi, int nr, const char *exe) {
	(void)tgid;
	if (!is_runtime(exe, NULL)) return true;
	if (abi < 0 || nr < 0 || nr >= WH_ABI_SLOTS) return false;
	return capture_specs((enum abi)abi)[nr].cls == CL_EXEC;
}

/* ---- the listener: the runtime sends the container's state and the notify fd ---- */

/* The number after "key": in a JSON text (the state's pid), or -1. */
static long json_number(const char *s, const char *key) {
	char pat[64];
	snprintf(pat, sizeof pat, "\"%s\"", key);
	const char *p = strstr(s, pat);
	if (!p) return -1;
	p += strlen(pat);
	while (*p == ' ' || *p == '\n' || *p == '\t' || *p == ':') p++;
	return *p >= '0' && *p <= '9' ? strtol(p, NULL, 10) : -1;
}

/* The string after "key": in a JSON text (no escapes expected: a container id), malloc'd. */
static char *json_string(const char *s, const char *key) {
	char pat[64];
	snprintf(pat, sizeof pat, "\"%s\"", key);
	const char *p = strstr(s, pat);
	if (!p) return NULL;
	p += strlen(pat);
	while (*p == ' ' || *p == '\n' || *p == '\t' || *p == ':') p++;
	if (*p != '"') return NULL;
	const char *end = strchr(p + 1, '"');
	return end ? xstrndup(p + 1, (size_t)(end - p - 1)) : NULL;
}

static void on_state(int fd, uint32_t events, void *ctx) {
	(void)events, (void)ctx;
	char buf[65536];
	char cbuf[CMSG_SPACE(sizeof(int) * 4)];
	struct iovec iov = {.iov_base = buf, .iov_len = sizeof buf - 1};
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf};
	ssize_t n = recvmsg(fd, &m, MSG_CMSG_CLOEXEC);
	if (n <= 0) {
		loop_del(fd);
		close(fd);
		return;
	}
	buf[n] = 0;
	int nfd = -1;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
		size_t k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		int *fds = (int *)CMSG_DATA(c);
		for (size_t i = 0; i < k; i++) {
			if (nfd < 0) nfd = fds[i];
			else close(fds[i]);
		}
	}
	long pid = json_number(buf, "pid");
	char *id = json_string(buf, "id");
	if (nfd < 0) {
		warnx("the container runtime connected to the listener but sent no seccomp notify descriptor: arguments are not recorded");
	} else {
		notify_start(nfd, sess, on_notified);
		containers_seen++;
	}
	if (pid > 0) session_add_process(sess, (pid_t)pid, 0);
	emit_begin("container");
	emit_i64("pid", pid);
	emit_str("id", id);
	emit_bool("notify", nfd >= 0);
	emit_end();
	emit_flush();
	free(id);
	/* One message per connection: the runtime closes it; the loop sees the hang-up. */
	loop_del(fd);
	close(fd);
}

static void on_listener(int fd, uint32_t events, void *ctx) {
	(void)events, (void)ctx;
	for (;;) {
		int c = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (c < 0) return;
		/* the message is sent right after connect: wait for it on the loop */
		loop_add(c, EPOLLIN, on_state, NULL);
	}
}

static void open_listener(const char *path) {
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof sa.sun_path) die("use a shorter scratch directory", "listener path too long: %s", path);
	strcpy(sa.sun_path, path);
	unlink(path);
	listener_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (listener_fd < 0) die_errno(NULL, "socket(AF_UNIX)");
	if (bind(listener_fd, (struct sockaddr *)&sa, sizeof sa) < 0) die_errno(NULL, "bind %s", path);
	if (listen(listener_fd, 16) < 0) die_errno(NULL, "listen %s", path);
	listener_path = xstrdup(path);
	loop_add(listener_fd, EPOLLIN, on_listener, NULL);
}

/* ---- the session's cgroup in the runtime's arguments and the bundle's config ---- */

static char *replace_all(const char *s, const char *what, const char *with) {
	struct sbuf b;
	sbuf_init(&b);
	size_t wl = strlen(what);
	for (const char *p = s;;) {
		const char *q = strstr(p, what);
		if (!q) {
			sbuf_adds(&b, p);
			break;
		}
		sbuf_add(&b, p, (size_t)(q - p));
		sbuf_adds(&b, with);
		p = q + wl;
	}
	return xstrdup(sbuf_cstr(&b));
}

static void place_cgroup(char **argv, const char *config) {
	for (char **a = argv; *a; a++)
		if (strstr(*a, CGROUP_PLACEHOLDER)) *a = replace_all(*a, CGROUP_PLACEHOLDER, sess->cg.rel);
	if (!config) return;
	size_t len;
	char *text = read_small_file(config, &len);
	if (!text) die_errno(NULL, "reading %s", config);
	char *out = replace_all(text, CGROUP_PLACEHOLDER, sess->cg.rel);
	char *tmp = xasprintf("%s.whittle-tmp", config);
	FILE *f = fopen(tmp, "we");
	if (!f || fputs(out, f) < 0 || fclose(f) != 0) die_errno(NULL, "writing %s", tmp);
	if (rename(tmp, config) < 0) die_errno(NULL, "renaming %s", tmp);
	free(tmp), free(out), free(text);
}

/* Remove a cgroup directory and every (empty) cgroup below it, children first. */
static void remove_cgroup_tree(const char *dir) {
	DIR *d = opendir(dir);
	if (d) {
		for (struct dirent *e; (e = readdir(d));) {
			if (e->d_type != DT_DIR || e->d_name[0] == '.') continue;
			char *child = xasprintf("%s/%s", dir, e->d_name);
			remove_cgroup_tree(child);
			free(child);
		}
		closedir(d);
	}
	for (int i = 0; i < 20 && rmdir(dir) < 0 && errno == EBUSY; i++) usleep(10000);
}

/* The runtime made the container's cgroup below the session's in every v1 hierarchy too (a
 * hybrid layout), and podman one for conmon: remove what is left there once all have exited. */
static void remove_v1_dirs(const char *rel) {
	FILE *f = fopen("/proc/self/mountinfo", "re");
	if (!f) return;
	char *line = NULL;
	size_t cap = 0;
	while (getline(&line, &cap, f) > 0) {
		char *sep = strstr(line, " - ");
		if (!sep || strncmp(sep + 3, "cgroup ", 7) != 0) continue;
		char *p = line;
		for (int i = 0; i < 4 && p; i++) p = strchr(p + 1, ' ');
		if (!p) continue;
		char *end = strchr(p + 1, ' ');
		if (!end) continue;
		*end = 0;
		char *dir = xasprintf("%s%s", p + 1, rel);
		remove_cgroup_tree(dir);
		free(dir);
	}
	free(line);
	fclose(f);
}

/* ---- lost, stats, ticks ---- */

static void report_lost(bool force) {
	if (learning) {
		learn_seccomp_emit_lost(placer.untracked, kernel_lost_at_start, force);
	} else {
		struct lost_counter c[] = {
			{"procConnector", proctree_lost(), "process-tree events the proc connector dropped"},
			{"denialProbe", denial_probe_lost(), "denials the in-kernel probe could not pass on"},
		};
		learn_emit_lost(c, ARRAY_LEN(c), force);
	}
}

static void tick(void) {
	record_placer_settle(&placer);
	if (learning) capprobe_poll();
	else denial_probe_poll();
	agg_flush_counts();
	report_lost(false);
	emit_begin("stats");
	emit_u64("records", audit_records());
	emit_u64("notifications", notify_count());
	emit_u64("runtimeRecords", runtime_records);
	emit_u64("foreignRecords", placer.foreign);
	emit_u64("processes", sess->processes);
	emit_end();
	learn_flush_or_stop(sess);
}

/* ---- the profile whittle gives the runtime for learning ---- */

static void json_names(struct sbuf *b, bool *first, enum abi a, bool clone_too) {
	int nrs[WH_ABI_SLOTS];
	size_t n = capture_numbers(a, nrs, WH_ABI_SLOTS);
	for (size_t i = 0; i < n; i++) {
		const char *name = syscall_name(a, nrs[i]);
		if (!name) continue;
		if (!clone_too && !strcmp(name, "clone")) continue;
		/* each name once: the first ABI's list is searched by the text */
		char quoted[80];
		snprintf(quoted, sizeof quoted, "\"%s\"", name);
		if (b->len && memmem(b->data, b->len, quoted, strlen(quoted))) continue;
		sbuf_printf(b, "%s%s", *first ? "" : ",", quoted);
		*first = false;
	}
}

static int cmd_profile(int argc, char **argv) {
	const char *listener = NULL;
	const char *flags[8];
	size_t nflags = 0;
	static const struct option opts[] = {{"listener", required_argument, 0, 'l'}, {"flag", required_argument, 0, 'f'}, {0, 0, 0, 0}};
	optind = 1;
	int c;
	while ((c = getopt_long(argc, argv, "+l:f:", opts, NULL)) != -1) {
		if (c == 'l') listener = optarg;
		else if (c == 'f' && nflags < ARRAY_LEN(flags)) flags[nflags++] = optarg;
		else die("usage: whittle-tracer container profile --listener PATH [--flag NAME]...", "bad arguments");
	}
	if (!listener) die("usage: whittle-tracer container profile --listener PATH [--flag NAME]...", "missing --listener");
	struct sbuf b;
	sbuf_init(&b);
	bool first = true;
	json_names(&b, &first, ABI_X86_64, false);
	json_names(&b, &first, ABI_X86, false);
	struct sbuf out;
	sbuf_init(&out);
	sbuf_adds(&out, "{\"defaultAction\":\"SCMP_ACT_LOG\",\"architectures\":[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\"],");
	sbuf_adds(&out, "\"listenerPath\":");
	json_escape_into(&out, listener, strlen(listener));
	if (nflags) {
		sbuf_adds(&out, ",\"flags\":[");
		for (size_t i = 0; i < nflags; i++) {
			if (i) sbuf_addc(&out, ',');
			json_escape_into(&out, flags[i], strlen(flags[i]));
		}
		sbuf_addc(&out, ']');
	}
	sbuf_adds(&out, ",\"syscalls\":[{\"names\":[");
	sbuf_add(&out, b.data, b.len);
	sbuf_adds(&out, "],\"action\":\"SCMP_ACT_NOTIFY\"}");
	/* clone: only when it makes namespaces (one rule per flag: a rule compares an argument once) */
	static const unsigned ns_flags[] = {0x00020000, 0x02000000, 0x04000000, 0x08000000, 0x10000000, 0x20000000, 0x40000000};
	for (size_t i = 0; i < ARRAY_LEN(ns_flags); i++)
		sbuf_printf(&out, ",{\"names\":[\"clone\"],\"action\":\"SCMP_ACT_NOTIFY\",\"args\":[{\"index\":0,\"value\":%u,\"valueTwo\":%u,\"op\":\"SCMP_CMP_MASKED_EQ\"}]}",
			    ns_flags[i], ns_flags[i]);
	sbuf_adds(&out, "]}\n");
	fputs(sbuf_cstr(&out), stdout);
	return 0;
}

/* ---- learn and run ---- */

static void usage_die(void) {
	die("usage: whittle-tracer container learn|run --events SPEC [--listener PATH] [--config FILE] [--runtime-exe EXE]... "
	    "[--runtime-comm COMM]... [--syscall-denials] -- RUNTIME ARGS…",
	    "bad arguments");
}

static int cmd_session(int argc, char **argv, bool learn) {
	const char *events = NULL, *listener = NULL, *config = NULL;
	bool syscall_denials = false;
	struct learn_opts o = {.mechanism = "seccomp", .rcvbuf = learn ? 64 << 20 : 16 << 20, .ringbuf = learn ? 8 << 20 : 1 << 20, .cap_probe = true};
	o.simulate_missing = getenv("WHITTLE_SIMULATE_MISSING");
	static const struct option opts[] = {
		{"events", required_argument, 0, 'e'},       {"listener", required_argument, 0, 'l'},
		{"config", required_argument, 0, 'c'},       {"runtime-exe", required_argument, 0, 'x'},
		{"runtime-comm", required_argument, 0, 'm'}, {"syscall-denials", no_argument, 0, 'd'},
		{"no-cap-probe", no_argument, 0, 'C'},       {"rcvbuf", required_argument, 0, 'r'},
		{0, 0, 0, 0},
	};
	optind = 1;
	int c;
	while ((c = getopt_long(argc, argv, "+e:l:c:x:m:dCr:", opts, NULL)) != -1) {
		switch (c) {
		case 'e': events = optarg; break;
		case 'l': listener = optarg; break;
		case 'c': config = optarg; break;
		case 'x':
			if (n_runtime_exes < MAX_PATTERNS) runtime_exes[n_runtime_exes++] = optarg;
			break;
		case 'm':
			if (n_runtime_comms < MAX_PATTERNS) runtime_comms[n_runtime_comms++] = optarg;
			break;
		case 'd': syscall_denials = true; break;
		case 'C': o.cap_probe = false; break;
		case 'r': {
			uint64_t v;
			if (!parse_u64(optarg, &v) || v > (1u << 30)) die("give a size in bytes", "bad --rcvbuf: %s", optarg);
			o.rcvbuf = (int)v;
			break;
		}
		default: usage_die();
		}
	}
	if (optind >= argc) usage_die();
	if (learn && !listener) usage_die();
	if (geteuid() != 0) die("run it as root", "whittle needs root to run a container and read its kernel records");
	learning = learn;
	if (events) emit_open(events);
	agg_init();
	loop_init();
	paths_init(session_pid_in_session);
	struct session s = {0};
	sess = &s;
	s.argv = argv + optind;
	s.tracer_exe = xreadlink("/proc/self/exe");
	session_resolve_command(&s);

	if (learn) learn_seccomp_require_actions("a kernel with the seccomp log and user_notif actions is needed to learn a container");
	/* Enforcing, denials come from the in-kernel probe only: a runtime that asks the kernel to
	 * log its filter's ERRNO answers (crun can) makes the container wait behind a full audit
	 * backlog (up to a minute per record, measured while another session flooded it). */
	if (learn) {
		int err = audit_open(o.rcvbuf, on_learn_record, NULL);
		if (err)
			die(err == -EPERM ? "run whittle as root (CAP_AUDIT_READ) in the initial network namespace" : "check that the kernel has audit support",
			    "cannot read seccomp records from NETLINK_AUDIT: %s", strerror(-err));
		kernel_lost_at_start = audit_kernel_lost();
	}
	debug_timing("audit open");
	session_prepare(&s, learn ? "ctr-learn" : "ctr-run");
	place_cgroup(s.argv, config);
	proctree_open(&s);
	if (learn) {
		probe_set_container(runtime_comms, n_runtime_comms, false);
		const char *cap_mode = capprobe_start(&s, &o) ? "cap_capable" : "inferred";
		learn_emit_hello("seccomp", &o, cap_mode, false);
		notify_set_keep(keep_arguments);
		open_listener(listener);
	} else {
		/* the runtime's own denials count too: its comm is not skipped */
		probe_set_container(NULL, 0, syscall_denials);
		const char *why = denial_probe_start(&s, &o);
		emit_begin("hello");
		emit_u64("v", WHITTLE_PROTOCOL_VERSION);
		emit_str("tracer", "whittle-tracer");
		emit_str("mode", "enforce");
		emit_str("mechanism", "seccomp");
		emit_i64("landlockAbi", 0);
		emit_bool("pathDenials", why == NULL);
		if (why) emit_str("pathDenialsWhy", why);
		emit_i64("tracerPid", getpid());
		emit_end();
		emit_flush();
		if (why) warnx("the in-kernel denial probe is unavailable (%s): denials in the container cannot be seen", why);
	}
	debug_timing("probes ready");
	session_spawn(&s, NULL, NULL);
	learn_emit_started(&s);
	session_run(&s, learn ? 250 : 100, tick);
	debug_timing("tree gone");

	if (learn && !audit_sync(3000)) warnx("the audit stream did not settle within 3 s: late records may be missing");
	proctree_drain();
	record_placer_settle(&placer);
	debug_timing("records settled");
	if (learn) capprobe_poll();
	else denial_probe_stop();
	agg_flush_counts();
	report_lost(true);
	if (learn && containers_seen == 0 && session_exit_code(&s) == 0)
		warnx("the runtime never sent the container's seccomp listener: no arguments (paths, sockets) were recorded");
	session_emit_exit(&s);
	learn_emit_end(&s, agg_elapsed());
	emit_close();
	if (listener_path) unlink(listener_path);
	char *rel = s.cg.rel ? xstrdup(s.cg.rel) : NULL;
	cgroup_destroy(&s.cg);
	if (rel) remove_v1_dirs(rel);
	free(rel);
	debug_timing("cgroups removed");
	return session_exit_code(&s);
}

int container_main(int argc, char **argv) {
	if (argc < 2) usage_die();
	if (!strcmp(argv[1], "profile")) return cmd_profile(argc - 1, argv + 1);
	if (!strcmp(argv[1], "learn")) return cmd_session(argc - 1, argv + 1, true);
	if (!strcmp(argv[1], "run")) return cmd_session(argc - 1, argv + 1, false);
	usage_die();
	return EXIT_TRACER_FAILURE;
}
