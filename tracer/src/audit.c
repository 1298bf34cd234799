/* audit.c — the READLOG reader. */
#define _GNU_SOURCE
#include "audit.h"
#include "loop.h"
#include "util.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/netlink.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef AUDIT_NLGRP_READLOG
#define AUDIT_NLGRP_READLOG 1
#endif

static int fd = -1;
static audit_rec_fn handler;
static void *handler_ctx;
static uint64_t overruns, records;
static ino_t sock_ino;
static pid_t sync_pid;
static bool sync_seen;

int audit_fd(void) { return fd; }
uint64_t audit_overruns(void) { return overruns; }
uint64_t audit_records(void) { return records; }

static void on_ready(int f, uint32_t events, void *ctx) {
	(void)f, (void)events, (void)ctx;
	audit_drain();
}

int audit_open(int rcvbuf, audit_rec_fn fn, void *ctx) {
	handler = fn;
	handler_ctx = ctx;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
	if (fd < 0) return -errno;
	/* SO_RCVBUFFORCE goes past rmem_max (needs CAP_NET_ADMIN); fall back to what we may have. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK, .nl_groups = 1u << (AUDIT_NLGRP_READLOG - 1)};
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		int e = errno;
		close(fd);
		fd = -1;
		return -e;
	}
	struct stat st;
	if (fstat(fd, &st) == 0) sock_ino = st.st_ino;
	loop_add(fd, EPOLLIN, on_ready, NULL);
	return 0;
}

/* A value after "key=" in an audit record: "quoted", or hex-encoded when it has odd bytes. */
static bool field(const char *msg, size_t len, const char *key, char *out, size_t outlen) {
	size_t kl = strlen(key);
	for (size_t i = 0; i + kl < len; i++) {
		if ((i == 0 || msg[i - 1] == ' ') && memcmp(msg + i, key, kl) == 0) {
			const char *v = msg + i + kl, *end = msg + len;
			size_t o = 0;
			if (*v == '"') {
				v++;
				while (v < end && *v != '"' && o + 1 < outlen) out[o++] = *v++;
			} else if (*v == '(' ) {
				while (v < end && *v != ' ' && o + 1 < outlen) out[o++] = *v++;
			} else {
				const char *s = v;
				while (s < end && *s != ' ') s++;
				bool hex = ((s - v) % 2 == 0) && s > v;
				for (const char *q = v; hex && q < s; q++)
					hex = (*q >= '0' && *q <= '9') || (*q >= 'A' && *q <= 'F');
				if (hex && strcmp(key, "comm=") && strcmp(key, "exe=")) hex = false;
				if (hex) {
					for (const char *q = v; q + 1 < s && o + 1 < outlen; q += 2) {
						char h[3] = {q[0], q[1], 0};
						out[o++] = (char)strtol(h, NULL, 16);
					}
				} else {
					while (v < s && o + 1 < outlen) out[o++] = *v++;
				}
			}
			out[o] = 0;
			return true;
		}
	}
	return false;
}

static void parse(const char *msg, size_t len) {
	char num[64], comm[64], exe[4096];
	struct audit_seccomp_rec r = {0};
	const char *p = memchr(msg, ':', len);
	if (p) r.serial = strtoull(p + 1, NULL, 10); /* "audit(1700000000.123:456): …" */
	if (!field(msg, len, "pid=", num, sizeof num)) return;
	r.pid = atoi(num);
	if (!field(msg, len, "arch=", num, sizeof num)) return;
	r.arch = (uint32_t)strtoul(num, NULL, 16);
	if (!field(msg, len, "syscall=", num, sizeof num)) return;
	r.syscall = atoi(num);
	if (field(msg, len, "code=", num, sizeof num)) r.code = (uint32_t)strtoul(num, NULL, 16);
	r.comm = field(msg, len, "comm=", comm, sizeof comm) ? comm : NULL;
	r.exe = field(msg, len, "exe=", exe, sizeof exe) ? exe : NULL;
	if (sync_pid && r.pid == sync_pid) {
		sync_seen = true;
		return;
	}
	records++;
	handler(&r, handler_ctx);
}

void audit_drain(void) {
	if (fd < 0) return;
	static char buf[1 << 16] __attribute__((aligned(8)));
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR) continue;
			if (errno == ENOBUFS) {
				overruns++;
				continue;
			}
			return;
		}
		if (n == 0) return;
		int len = (int)n;
		for (struct nlmsghdr *nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, len); nh = NLMSG_NEXT(nh, len)) {
			if (nh->nlmsg_type != AUDIT_SECCOMP) continue;
			parse(NLMSG_DATA(nh), nh->nlmsg_len - NLMSG_HDRLEN);
		}
	}
}

uint64_t audit_socket_drops(void) {
	/* /proc/net/netlink: sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode */
	char *s = read_small_file("/proc/net/netlink", NULL);
	if (!s) return 0;
	uint64_t drops = 0;
	for (char *line = strtok(s, "\n"); line; line = strtok(NULL, "\n")) {
		unsigned long long sk, drop, ino;
		int eth;
		unsigned pid, groups, rmem, wmem, dump, locks;
		if (sscanf(line, "%llx %d %u %x %u %u %u %u %llu %llu", &sk, &eth, &pid, &groups, &rmem, &wmem, &dump, &locks,
			   &drop, &ino) == 10 &&
		    eth == NETLINK_AUDIT && ino == (unsigned long long)sock_ino)
			drops = drop;
	}
	free(s);
	return drops;
}

int64_t audit_kernel_lost(void) {
	int s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
	if (s < 0) return -1;
	struct {
		struct nlmsghdr nh;
	} req = {.nh = {.nlmsg_len = NLMSG_LENGTH(0), .nlmsg_type = AUDIT_GET, .nlmsg_flags = NLM_F_REQUEST, .nlmsg_seq = 1}};
	struct sockaddr_nl to = {.nl_family = AF_NETLINK};
	int64_t lost = -1;
	if (sendto(s, &req, req.nh.nlmsg_len, 0, (struct sockaddr *)&to, sizeof to) > 0) {
		char buf[8192] __attribute__((aligned(8)));
		struct pollfd pf = {.fd = s, .events = POLLIN};
		for (int i = 0; i < 4 && poll(&pf, 1, 200) > 0; i++) {
			ssize_t n = recv(s, buf, sizeof buf, 0);
			if (n <= 0) break;
			struct nlmsghdr *nh = (struct nlmsghdr *)buf;
			if (NLMSG_OK(nh, (size_t)n) && nh->nlmsg_type == AUDIT_GET) {
				struct audit_status *st = NLMSG_DATA(nh);
				lost = st->lost;
				break;
			}
		}
	}
	close(s);
	return lost;
}

bool audit_sync(int timeout_ms) {
	if (fd < 0) return true;
	sync_seen = false;
	pid_t p = fork();
	if (p < 0) return false;
	if (p == 0) {
		/* One filter that logs getppid only, then one call: our marker record. */
		struct sock_filter f[] = {
			BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
			BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_LOG),
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		};
		struct sock_fprog prog = {.len = ARRAY_LEN(f), .filter = f};
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_LOG, &prog) == 0) syscall(SYS_getppid);
		_exit(0);
	}
	sync_pid = p;
	waitpid(p, NULL, 0);
	uint64_t deadline = now_ns() + (uint64_t)timeout_ms * 1000000ULL;
	while (!sync_seen && now_ns() < deadline) {
		struct pollfd pf = {.fd = fd, .events = POLLIN};
		poll(&pf, 1, 20);
		audit_drain();
	}
	sync_pid = 0;
	return sync_seen;
}
