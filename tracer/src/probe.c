/* probe.c — feature checks. */
#define _GNU_SOURCE
#include "probe.h"
#include "audit.h"
#include "cgroup.h"
#include "emit.h"
#include "loop.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <linux/connector.h>

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif
#define LANDLOCK_CREATE_RULESET_VERSION_FLAG 1u

static const char *sim;
static bool simulated(const char *what) { return sim && strstr(sim, what); }

int probe_landlock_abi(void) {
	if (simulated("landlock")) return 0;
	long v = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION_FLAG);
	return v < 0 ? 0 : (int)v;
}

const char *probe_best_mechanism(const char *simulate_missing) {
	sim = simulate_missing;
#ifdef WHITTLE_HAVE_BPF
	if (!simulated("ebpf") && access("/sys/kernel/btf/vmlinux", R_OK) == 0) return "ebpf";
#endif
	return "seccomp";
}

struct check {
	const char *id, *title;
	bool ok;
	const char *needed_for; /* "learn", "learn-seccomp", "learn-ebpf", "enforce", "optional" */
	char detail[512];
	const char *fix;
};

static struct check checks[32];
static int nchecks;

static struct check *add(const char *id, const char *title, const char *needed_for) {
	struct check *c = &checks[nchecks++];
	memset(c, 0, sizeof *c);
	c->id = id, c->title = title, c->needed_for = needed_for;
	return c;
}

static bool has_cap(int cap) {
	char *s = read_small_file("/proc/self/status", NULL);
	if (!s) return false;
	char *p = strstr(s, "\nCapEff:");
	unsigned long long v = p ? strtoull(p + 8, NULL, 16) : 0;
	free(s);
	return (v >> cap) & 1;
}

/* Child: a RET_LOG filter on getppid, one call. Parent: see its record arrive. */
static void check_readlog(struct check *c) {
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
	if (fd < 0) {
		snprintf(c->detail, sizeof c->detail, "socket(NETLINK_AUDIT): %s", strerror(errno));
		return;
	}
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK, .nl_groups = 1};
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		snprintf(c->detail, sizeof c->detail, "bind to AUDIT_NLGRP_READLOG: %s", strerror(errno));
		close(fd);
		return;
	}
	pid_t p = fork();
	if (p == 0) {
		struct sock_filter f[] = {
			BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
			BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_LOG),
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		};
		struct sock_fprog prog = {.len = 4, .filter = f};
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_LOG, &prog) != 0) _exit(2);
		syscall(SYS_getppid);
		_exit(0);
	}
	int st = 0;
	waitpid(p, &st, 0);
	bool seen = false;
	uint64_t deadline = now_ns() + 2000000000ULL;
	char buf[8192] __attribute__((aligned(8)));
	char want[32];
	snprintf(want, sizeof want, " pid=%d ", p);
	while (!seen && now_ns() < deadline) {
		struct pollfd pf = {.fd = fd, .events = POLLIN};
		if (poll(&pf, 1, 100) <= 0) continue;
		ssize_t n = recv(fd, buf, sizeof buf - 1, MSG_DONTWAIT);
		if (n <= 0) continue;
		for (struct nlmsghdr *nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, (size_t)n); nh = NLMSG_NEXT(nh, n)) {
			if (nh->nlmsg_type != AUDIT_SECCOMP) continue;
			char *m = NLMSG_DATA(nh);
			size_t len = nh->nlmsg_len - NLMSG_HDRLEN;
			m[len < sizeof buf - 1 ? len : 0] = 0;
			if (strstr(m, want)) seen = true;
		}
	}
	close(fd);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 2)
		snprintf(c->detail, sizeof c->detail, "installing a RET_LOG filter failed");
	else if (!seen)
		snprintf(c->detail, sizeof c->detail, "no RET_LOG record arrived within 2 s");
	else {
		c->ok = true;
		snprintf(c->detail, sizeof c->detail, "a RET_LOG record arrived on AUDIT_NLGRP_READLOG");
	}
}

/* Child: a user-notify filter on getppid; parent takes the listener and answers CONTINUE. */
static void check_notify(struct check *c) {
	int pfd[2];
	if (pipe(pfd) < 0) return;
	pid_t me = getpid();
	pid_t p = fork();
	if (p == 0) {
		close(pfd[0]);
		struct sock_filter f[] = {
			BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
			BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		};
		struct sock_fprog prog = {.len = 4, .filter = f};
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		int l = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
		if (write(pfd[1], &l, sizeof l) != sizeof l) _exit(3);
		if (l < 0) _exit(2);
		usleep(100000);
		_exit(syscall(SYS_getppid) == me ? 0 : 4);
	}
	close(pfd[1]);
	int l = -1;
	if (read(pfd[0], &l, sizeof l) != sizeof l || l < 0) {
		snprintf(c->detail, sizeof c->detail, "installing a user-notify filter failed");
		waitpid(p, NULL, 0);
		close(pfd[0]);
		return;
	}
	close(pfd[0]);
	int pidfd = (int)syscall(SYS_pidfd_open, p, 0);
	int lfd = pidfd < 0 ? -1 : (int)syscall(SYS_pidfd_getfd, pidfd, l, 0);
	if (lfd < 0) {
		snprintf(c->detail, sizeof c->detail, "pidfd_getfd of the listener failed: %s", strerror(errno));
		kill(p, SIGKILL);
		waitpid(p, NULL, 0);
		return;
	}
	struct pollfd pf = {.fd = lfd, .events = POLLIN};
	bool answered = false;
	if (poll(&pf, 1, 2000) == 1) {
		struct seccomp_notif req;
		struct seccomp_notif_resp resp;
		memset(&req, 0, sizeof req);
		if (ioctl(lfd, SECCOMP_IOCTL_NOTIF_RECV, &req) == 0) {
			memset(&resp, 0, sizeof resp);
			resp.id = req.id;
			resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
			answered = ioctl(lfd, SECCOMP_IOCTL_NOTIF_SEND, &resp) == 0;
		}
	}
	int st = 0;
	if (!answered) kill(p, SIGKILL);
	waitpid(p, &st, 0);
	close(lfd);
	close(pidfd);
	if (answered && WIFEXITED(st) && WEXITSTATUS(st) == 0) {
		c->ok = true;
		snprintf(c->detail, sizeof c->detail, "a notification was received and answered CONTINUE");
	} else {
		snprintf(c->detail, sizeof c->detail, "the notification round trip failed");
	}
}

static void check_proc_connector(struct check *c) {
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_CONNECTOR);
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK, .nl_groups = CN_IDX_PROC};
	if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0) {
		c->ok = true;
		snprintf(c->detail, sizeof c->detail, "NETLINK_CONNECTOR bound to CN_IDX_PROC");
	} else {
		snprintf(c->detail, sizeof c->detail, "%s", strerror(errno));
	}
	if (fd >= 0) close(fd);
}

static void print_check(const struct check *c, bool first) {
	struct sbuf b;
	sbuf_init(&b);
	sbuf_printf(&b, "%s{\"id\":", first ? "" : ",");
	json_escape_into(&b, c->id, strlen(c->id));
	sbuf_adds(&b, ",\"title\":");
	json_escape_into(&b, c->title, strlen(c->title));
	sbuf_printf(&b, ",\"ok\":%s,\"neededFor\":", c->ok ? "true" : "false");
	json_escape_into(&b, c->needed_for, strlen(c->needed_for));
	sbuf_adds(&b, ",\"detail\":");
	json_escape_into(&b, c->detail, strlen(c->detail));
	if (!c->ok && c->fix) {
		sbuf_adds(&b, ",\"fix\":");
		json_escape_into(&b, c->fix, strlen(c->fix));
	}
	sbuf_adds(&b, "}");
	fputs(sbuf_cstr(&b), stdout);
	sbuf_free(&b);
}

int probe_main(int argc, char **argv) {
	(void)argc, (void)argv;
	sim = getenv("WHITTLE_SIMULATE_MISSING");
	struct check *c;
	bool root = geteuid() == 0;

	c = add("root", "running as root with the capabilities whittle uses", "learn");
	int need[] = {21 /* SYS_ADMIN */, 37 /* AUDIT_READ */, 12 /* NET_ADMIN */, 19 /* SYS_PTRACE */, 39 /* BPF */, 38 /* PERFMON */};
	const char *need_names[] = {"CAP_SYS_ADMIN", "CAP_AUDIT_READ", "CAP_NET_ADMIN", "CAP_SYS_PTRACE", "CAP_BPF", "CAP_PERFMON"};
	struct sbuf missing;
	sbuf_init(&missing);
	for (size_t i = 0; i < ARRAY_LEN(need); i++)
		if (!has_cap(need[i])) sbuf_printf(&missing, "%s%s", missing.len ? ", " : "", need_names[i]);
	c->ok = root && missing.len == 0;
	snprintf(c->detail, sizeof c->detail, "%s%s%s", root ? "euid 0" : "not root", missing.len ? "; missing " : "",
		 missing.len ? sbuf_cstr(&missing) : "");
	c->fix = "run whittle as root (sudo), outside a container that drops these capabilities";
	sbuf_free(&missing);

	char *avail = read_small_file("/proc/sys/kernel/seccomp/actions_avail", NULL);
	char *logged = read_small_file("/proc/sys/kernel/seccomp/actions_logged", NULL);
	if (avail) avail[strcspn(avail, "\n")] = 0;
	if (logged) logged[strcspn(logged, "\n")] = 0;
	c = add("seccomp-log", "seccomp SECCOMP_RET_LOG action, logged", "learn-seccomp");
	c->ok = avail && strstr(avail, "log") && logged && strstr(logged, "log") && !simulated("seccomp-log");
	snprintf(c->detail, sizeof c->detail, "actions_avail: %s; actions_logged: %s%s", avail ? avail : "?", logged ? logged : "?",
		 simulated("seccomp-log") ? " (missing: simulated)" : "");
	c->fix = "a kernel 4.14+ with CONFIG_SECCOMP_FILTER; make sure 'log' is in /proc/sys/kernel/seccomp/actions_logged";
	c = add("seccomp-notify", "seccomp user notification (SECCOMP_RET_USER_NOTIF) and pidfd_getfd", "learn-seccomp");
	if (root && !simulated("seccomp-notify")) check_notify(c);
	else snprintf(c->detail, sizeof c->detail, root ? "missing (simulated)" : "not checked: needs root");
	c->fix = "a kernel 5.9+ (user notification with CONTINUE, pidfd_getfd)";
	c = add("audit-readlog", "seccomp log records readable from NETLINK_AUDIT (READLOG group)", "learn-seccomp");
	if (root && !simulated("seccomp-log")) check_readlog(c);
	else snprintf(c->detail, sizeof c->detail, root ? "missing (simulated)" : "not checked: needs root");
	c->fix = "run whittle as root in the initial network namespace (CAP_AUDIT_READ), on a kernel with CONFIG_AUDIT";
	free(avail);
	free(logged);

	c = add("ebpf", "in-kernel recorder (eBPF, BTF, tp_btf syscall and sched tracepoints)", "learn-ebpf");
#ifdef WHITTLE_HAVE_BPF
	if (simulated("ebpf")) {
		snprintf(c->detail, sizeof c->detail, "missing (simulated)");
	} else if (!root) {
		snprintf(c->detail, sizeof c->detail, "not checked: needs root");
	} else {
		double ms = 0;
		const char *why = ebpf_selftest(&ms);
		c->ok = why == NULL;
		if (why) snprintf(c->detail, sizeof c->detail, "%s", why);
		else snprintf(c->detail, sizeof c->detail, "loaded and attached in %.0f ms", ms);
	}
	c->fix = "a kernel with BTF (/sys/kernel/btf/vmlinux) and BPF tracing; whittle falls back to the seccomp mechanism";
#else
	snprintf(c->detail, sizeof c->detail, "this whittle-tracer was built without eBPF support");
	c->fix = "install clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev and run `npm run build`";
#endif
	c = add("cap-probe", "capability checks seen in the kernel (capability:cap_capable tracepoint)", "optional");
	c->ok = checks[nchecks - 2].ok;
	snprintf(c->detail, sizeof c->detail, c->ok ? "attached with the in-kernel recorder" : "unavailable: capabilities will be inferred from syscalls and marked 'inferred'");
	c->fix = "needs the eBPF recorder (see above)";

	c = add("io-uring", "what goes through io_uring seen in the kernel (io_uring:io_uring_submit_req, io_uring_complete)", "optional");
#ifdef WHITTLE_HAVE_BPF
	c->ok = checks[nchecks - 3].ok && ebpf_uring_available();
#endif
	snprintf(c->detail, sizeof c->detail,
		 c->ok ? "files opened through a ring are recorded; its other operations are counted"
		       : "unavailable: what a workload does through io_uring is not recorded (the seccomp recorder counts its io_uring_enter calls as unseen)");
	c->fix = "a kernel 5.18+ with BTF, and the eBPF recorder (see above)";

	c = add("cgroup2", "a cgroup v2 hierarchy for per-session process tracking", "learn");
	char *mnt = cgroup2_mount();
	if (mnt) {
		char *probe = xasprintf("%s/whittle", mnt);
		bool writable = (mkdir(probe, 0755) == 0 || errno == EEXIST) && access(probe, W_OK) == 0;
		c->ok = writable;
		snprintf(c->detail, sizeof c->detail, "mounted at %s%s", mnt, writable ? "" : " (not writable)");
		free(probe);
		free(mnt);
	} else {
		snprintf(c->detail, sizeof c->detail, "no cgroup2 mount found");
	}
	c->fix = "mount -t cgroup2 none /sys/fs/cgroup (or /sys/fs/cgroup/unified on hybrid systems)";

	c = add("proc-connector", "process events from the proc connector", "learn-seccomp");
	check_proc_connector(c);
	c->fix = "a kernel with CONFIG_PROC_EVENTS; run as root";

	c = add("landlock", "Landlock (filesystem rules for enforcement)", "enforce");
	int abi = probe_landlock_abi();
	c->ok = abi > 0;
	if (abi > 0)
		snprintf(c->detail, sizeof c->detail, "ABI %d", abi);
	else
		snprintf(c->detail, sizeof c->detail, "not available%s", simulated("landlock") ? " (simulated)" : "");
	c->fix = "boot with lsm=...,landlock on a 5.13+ kernel; without it whittle enforces paths with its mount view only";

	c = add("btf", "kernel BTF (/sys/kernel/btf/vmlinux)", "learn-ebpf");
	c->ok = access("/sys/kernel/btf/vmlinux", R_OK) == 0;
	snprintf(c->detail, sizeof c->detail, c->ok ? "present" : "absent");
	c->fix = "a kernel built with CONFIG_DEBUG_INFO_BTF";

	struct utsname u;
	uname(&u);
	const struct scmp_version *v = seccomp_version();
	printf("{\"kernel\":\"%s\",\"machine\":\"%s\",\"libseccomp\":\"%u.%u.%u\",\"bestMechanism\":\"%s\",\"landlockAbi\":%d,\"checks\":[",
	       u.release, u.machine, v->major, v->minor, v->micro, probe_best_mechanism(sim), abi);
	for (int i = 0; i < nchecks; i++) print_check(&checks[i], i == 0);
	printf("]}\n");
	return 0;
}
