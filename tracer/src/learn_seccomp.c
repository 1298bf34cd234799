/* learn_seccomp.c — the universal mechanism: a seccomp filter whose default is RET_LOG (with
 * FLAG_LOG), records read from NETLINK_AUDIT's READLOG group, and user notification (answered
 * CONTINUE) for the syscalls whose arguments matter. */
#define _GNU_SOURCE
#include "learn.h"
#include "agg.h"
#include "audit.h"
#include "capture.h"
#include "emit.h"
#include "loop.h"
#include "names.h"
#include "notify.h"
#include "paths.h"
#include "proctree.h"
#include "util.h"
#include "capprobe.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif

struct handoff {
	int fd_pipe[2]; /* child → parent: the listener's fd number */
	int go_pipe[2]; /* parent → child: "I have it, go on" */
};

static struct session *sess;
static bool root_execd;
/* Where each record's pid belongs (records from pids not placed yet settle on the next tick). */
static struct record_placer placer;
static const struct learn_opts *opts;

/* Namespace flags in clone()'s first argument (not CLONE_NEWTIME: in clone() that bit is part of
 * the exit signal). An ordinary fork is not notified: only a clone that makes namespaces has
 * arguments worth reading, and a notified fork can be interrupted by a signal. */
#define CLONE_NS_MASK 0x7E020000u

/* Build the learn filter by hand: notify the capture set of each ABI, log everything else. */
static struct sock_fprog build_filter(void) {
	static struct sock_filter f[1024];
	size_t n = 0;
	int nrs[2][WH_ABI_SLOTS];
	size_t counts[2] = {capture_numbers(ABI_X86_64, nrs[0], WH_ABI_SLOTS), capture_numbers(ABI_X86, nrs[1], WH_ABI_SLOTS)};
	int clone_nr[2] = {syscall_number(ABI_X86_64, "clone"), syscall_number(ABI_X86, "clone")};
	size_t to_notify[2 * WH_ABI_SLOTS], nn = 0, to_clone[2], nc = 0, sect_at[2], to_sect[2];
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
	to_sect[0] = n;
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 0);
	to_sect[1] = n;
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_I386, 0, 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_LOG);
	for (int a = 0; a < 2; a++) {
		sect_at[a] = n;
		f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
		if (a == 0) {
			/* x32 numbers (bit 30) are never notified: this kernel answers them ENOSYS, we log them. */
			f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, (uint8_t)counts[a], 0);
		}
		for (size_t i = 0; i < counts[a]; i++) {
			if (nrs[a][i] == clone_nr[a]) to_clone[nc++] = n;
			else to_notify[nn++] = n;
			f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)nrs[a][i], 0, 0);
		}
		f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_LOG);
	}
	/* clone: notify only when it asks for new namespaces */
	size_t clone_at = n;
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0]));
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, CLONE_NS_MASK, 1, 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_LOG);
	size_t notify_at = n;
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF);
	for (int a = 0; a < 2; a++) f[to_sect[a]].jt = (uint8_t)(sect_at[a] - to_sect[a] - 1);
	for (size_t i = 0; i < nn; i++) {
		size_t off = notify_at - to_notify[i] - 1;
		if (off > 255) die(NULL, "internal error: learn filter jump too far (%zu)", off);
		f[to_notify[i]].jt = (uint8_t)off;
	}
	for (size_t i = 0; i < nc; i++) f[to_clone[i]].jt = (uint8_t)(clone_at - to_clone[i] - 1);
	return (struct sock_fprog){.len = (unsigned short)n, .filter = f};
}

static void child_install_filter(struct session *s, void *ctx) {
	(void)s;
	struct handoff *h = ctx;
	struct sock_fprog prog = build_filter();
	/* Root needs no no_new_privs for seccomp; keeping setuid programs working as they would. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 0, 0, 0, 0) < 0) { /* ignore */ }
	/* WAIT_KILLABLE_RECV (5.19+): once the supervisor has a notification, a signal to the caller
	 * does not interrupt the call (a workload's SIGCHLD must not turn its open() into EINTR). */
	unsigned long flags = SECCOMP_FILTER_FLAG_LOG | SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
	long lfd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
	if (lfd < 0 && errno == EINVAL) {
		flags &= ~(unsigned long)SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
		lfd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
	}
	if (lfd < 0 && errno == EACCES) {
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		lfd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
	}
	int v = (int)lfd;
	if (lfd < 0) v = -errno;
	if (write(h->fd_pipe[1], &v, sizeof v) != sizeof v) _exit(EXIT_TRACER_FAILURE);
	if (lfd < 0) _exit(EXIT_TRACER_FAILURE);
	char go;
	if (read(h->go_pipe[0], &go, 1) != 1) _exit(EXIT_TRACER_FAILURE);
	close((int)lfd);
	close(h->fd_pipe[1]);
	close(h->go_pipe[0]);
}

static void on_record(const struct audit_seccomp_rec *r, void *ctx) {
	(void)ctx;
	if (!record_placer_ours(&placer, sess, r->pid)) return;
	if (r->pid == sess->root && !root_execd) {
		/* What the tracer's child did before its exec is not the workload's. */
		if (r->exe && strcmp(r->exe, sess->tracer_exe) == 0) return;
		root_execd = true;
	}
	int abi = abi_from_audit_arch(r->arch);
	struct origin o = {.pid = r->pid, .exe = r->exe};
	agg_syscall(abi < 0 ? ABI_X86_64 : (enum abi)abi, r->syscall, 1, &o);
}

static void on_notified(pid_t tgid, int abi, int nr, const char *exe) {
	if (tgid == sess->root) root_execd = true;
	struct origin o = {.pid = tgid, .exe = exe};
	agg_syscall(abi < 0 ? ABI_X86_64 : (enum abi)abi, nr, 1, &o);
}

static int64_t kernel_lost_at_start;

/* What a RET_LOG + user-notify session can lose (learn, and learn in a container). */
void learn_seccomp_emit_lost(uint64_t untracked, int64_t kernel_lost_start, bool force) {
	int64_t kl = audit_kernel_lost();
	uint64_t klost = (kl >= 0 && kernel_lost_start >= 0 && kl > kernel_lost_start) ? (uint64_t)(kl - kernel_lost_start) : 0;
	struct lost_counter c[] = {
		{"auditSocketDrops", audit_socket_drops(), "RET_LOG records the kernel could not queue to whittle's socket"},
		{"auditBacklog", klost, "audit records the kernel dropped (backlog limit); may include other programs' records"},
		{"untrackedRecords", untracked, "records from processes whose fork was missed, so they could not be attributed"},
		{"procConnector", proctree_lost(), "process-tree events the proc connector dropped"},
		{"notifyStale", notify_stale(), "argument-carrying calls whose caller vanished before its arguments were read"},
		{"capProbe", capprobe_lost(), "capability checks the in-kernel probe could not pass on"},
		{"ioUringUnseen", agg_syscall_count(ABI_X86_64, 426) + agg_syscall_count(ABI_X86, 426),
		 "io_uring_enter calls: what they submitted (opening files, connecting sockets, …) is not seen by the seccomp "
		 "recorder (not syscalls); learn with --mechanism ebpf to record it"},
	};
	learn_emit_lost(c, ARRAY_LEN(c), force);
}

static void report_lost(bool force) {
	learn_seccomp_emit_lost(placer.untracked, kernel_lost_at_start, force);
}

static void tick(void) {
	record_placer_settle(&placer);
	capprobe_poll();
	agg_flush_counts();
	report_lost(false);
	emit_begin("stats");
	emit_u64("records", audit_records());
	emit_u64("notifications", notify_count());
	emit_u64("foreignRecords", placer.foreign);
	emit_u64("processes", sess->processes);
	emit_end();
	learn_flush_or_stop(sess);
}

int learn_seccomp(struct session *s, const struct learn_opts *o) {
	sess = s;
	opts = o;
	const char *sim = o->simulate_missing ? o->simulate_missing : "";
	if (strstr(sim, "seccomp-log"))
		die("use --mechanism ebpf, or a kernel with SECCOMP_RET_LOG (Linux 4.14+) and 'log' in /proc/sys/kernel/seccomp/actions_logged",
		    "this kernel does not have the seccomp log action (simulated)");
	learn_seccomp_require_actions("use --mechanism ebpf, or a kernel with seccomp log and user_notif actions");

	int err = audit_open(o->rcvbuf, on_record, NULL);
	if (err)
		die(err == -EPERM ? "run whittle as root (CAP_AUDIT_READ) in the initial network namespace" : "check that the kernel has audit support",
		    "cannot read seccomp log records from NETLINK_AUDIT: %s", strerror(-err));
	kernel_lost_at_start = audit_kernel_lost();
	session_prepare(s, "learn");
	proctree_open(s);
	const char *cap_mode = capprobe_start(s, o) ? "cap_capable" : "inferred";
	learn_emit_hello("seccomp", o, cap_mode, false);

	struct handoff h;
	if (pipe2(h.fd_pipe, O_CLOEXEC) < 0 || pipe2(h.go_pipe, O_CLOEXEC) < 0) die_errno(NULL, "pipe2");
	session_spawn(s, child_install_filter, &h);
	close(h.fd_pipe[1]);
	close(h.go_pipe[0]);
	int child_fd;
	struct pollfd pf = {.fd = h.fd_pipe[0], .events = POLLIN};
	if (poll(&pf, 1, 10000) != 1 || read(h.fd_pipe[0], &child_fd, sizeof child_fd) != sizeof child_fd)
		die("see the messages above", "the workload's process did not install the learn filter");
	if (child_fd < 0) {
		errno = -child_fd;
		die_errno("run whittle as root on a kernel with seccomp user notification (5.0+)", "installing the learn filter failed");
	}
	int pidfd = (int)syscall(SYS_pidfd_open, s->root, 0);
	int lfd = pidfd < 0 ? -1 : (int)syscall(SYS_pidfd_getfd, pidfd, child_fd, 0);
	if (lfd < 0) die_errno("whittle needs Linux 5.6+ (pidfd_getfd) and root", "taking the seccomp listener from the workload");
	close(pidfd);
	fcntl(lfd, F_SETFD, FD_CLOEXEC);
	notify_start(lfd, s, on_notified);
	learn_emit_started(s);
	if (write(h.go_pipe[1], "g", 1) != 1) die_errno(NULL, "starting the workload");
	close(h.go_pipe[1]);
	close(h.fd_pipe[0]);

	session_run(s, 250, tick);

	/* Everything the workload did is queued before its exit: wait for kauditd to deliver it. */
	if (!audit_sync(3000)) warnx("the audit stream did not settle within 3 s: late records may be missing (counted as lost if the kernel dropped them)");
	proctree_drain();
	record_placer_settle(&placer);
	capprobe_poll();
	agg_flush_counts();
	report_lost(true);
	session_emit_exit(s);
	return session_exit_code(s);
}
