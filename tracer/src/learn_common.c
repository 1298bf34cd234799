/* learn_common.c — events both mechanisms send the same way. */
#define _GNU_SOURCE
#include "learn.h"
#include "agg.h"
#include "emit.h"
#include "names.h"
#include "proctree.h"
#include "util.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <seccomp.h>

#ifndef WHITTLE_VERSION
#define WHITTLE_VERSION "0.0.0"
#endif

void learn_emit_hello(const char *mechanism, const struct learn_opts *o, const char *cap_probe, bool path_results) {
	(void)o;
	struct utsname u;
	uname(&u);
	const struct scmp_version *v = seccomp_version();
	char lsv[32];
	snprintf(lsv, sizeof lsv, "%u.%u.%u", v->major, v->minor, v->micro);
	emit_begin("hello");
	emit_u64("v", WHITTLE_PROTOCOL_VERSION);
	emit_str("tracer", "whittle-tracer");
	emit_str("version", WHITTLE_VERSION);
	emit_str("mechanism", mechanism);
	emit_str("kernel", u.release);
	emit_str("machine", u.machine);
	emit_str("libseccomp", lsv);
	emit_i64("libseccompHorizon", libseccomp_horizon());
	emit_str("capabilities", cap_probe);
	emit_bool("pathResults", path_results);
	emit_i64("tracerPid", getpid());
	emit_end();
	emit_flush();
}

void learn_emit_started(const struct session *s) {
	emit_begin("started");
	emit_i64("pid", s->root);
	emit_str("path", s->exe_path);
	emit_key("argv");
	emit_raw("[");
	for (char **a = s->argv; *a; a++) {
		if (a != s->argv) emit_raw(",");
		emit_json_string(*a, strlen(*a));
	}
	emit_raw("]");
	emit_str("cgroup", s->cg.rel);
	emit_str("cgroupPath", s->cg.path);
	emit_end();
	emit_flush();
}

void learn_emit_lost(const struct lost_counter *c, size_t n, bool force) {
	static uint64_t last_total = (uint64_t)-1;
	uint64_t total = 0;
	for (size_t i = 0; i < n; i++) total += c[i].value;
	if (!force && total == last_total) return;
	last_total = total;
	emit_begin("lost");
	emit_u64("total", total);
	emit_key("counters");
	emit_raw("{");
	for (size_t i = 0; i < n; i++) {
		char buf[64];
		if (i) emit_raw(",");
		emit_json_string(c[i].name, strlen(c[i].name));
		snprintf(buf, sizeof buf, ":%llu", (unsigned long long)c[i].value);
		emit_raw(buf);
	}
	emit_raw("}");
	emit_key("explain");
	emit_raw("{");
	for (size_t i = 0; i < n; i++) {
		if (i) emit_raw(",");
		emit_json_string(c[i].name, strlen(c[i].name));
		emit_raw(":");
		emit_json_string(c[i].what, strlen(c[i].what));
	}
	emit_raw("}");
	emit_end();
}

/* Send what the tick gathered; whittle no longer reading means nobody records: stop the workload. */
void learn_flush_or_stop(struct session *s) {
	if (!emit_flush()) {
		warnx("whittle stopped reading events: ending the session");
		cgroup_signal(&s->cg, SIGKILL);
	}
}

void learn_emit_end(const struct session *s, double elapsed) {
	emit_begin("end");
	emit_u64("items", agg_item_count());
	emit_u64("processes", s->processes);
	emit_double("elapsed", elapsed);
	emit_i64("status", session_exit_code(s));
	emit_end();
	emit_flush();
}

bool record_placer_ours(struct record_placer *pl, struct session *s, pid_t pid) {
	if (!session_has(s, pid)) {
		/* a process the tree tracking has not placed yet: its fork may still be queued */
		proctree_drain();
		if (!session_has(s, pid) && cgroup_has_pid(&s->cg, pid)) session_add_process(s, pid, 0);
	}
	if (session_has(s, pid)) return true;
	char p[64];
	snprintf(p, sizeof p, "/proc/%d", pid);
	if (access(p, F_OK) == 0) {
		pl->foreign++; /* alive and not ours: another program, session or container */
	} else {
		uintptr_t c = (uintptr_t)intmap_get(&pl->pending, (uint64_t)pid);
		intmap_put(&pl->pending, (uint64_t)pid, (void *)(c + 1));
	}
	return false;
}

void record_placer_settle(struct record_placer *pl) {
	size_t i = 0;
	uint64_t pid;
	void *v;
	while (intmap_next(&pl->pending, &i, &pid, &v)) {
		/* records whose process was never placed: foreign, unless a fork may have been missed */
		if (proctree_lost() || proctree_fd() < 0)
			pl->untracked += (uintptr_t)v;
		else
			pl->foreign += (uintptr_t)v;
		intmap_del(&pl->pending, pid);
	}
}

void learn_seccomp_require_actions(const char *hint) {
	char *avail = read_small_file("/proc/sys/kernel/seccomp/actions_avail", NULL);
	if (!avail || !strstr(avail, "log") || !strstr(avail, "user_notif"))
		die(hint, "this kernel lacks the seccomp log or user_notif action (actions_avail: %s)", avail ? avail : "unreadable");
	free(avail);
	char *logged = read_small_file("/proc/sys/kernel/seccomp/actions_logged", NULL);
	if (logged && !strstr(logged, "log"))
		die("run: echo 'kill_process kill_thread trap errno user_notif trace log' > /proc/sys/kernel/seccomp/actions_logged",
		    "the kernel is set not to log SECCOMP_RET_LOG (actions_logged: %s)", logged);
	free(logged);
}
