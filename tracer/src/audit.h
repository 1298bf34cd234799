/* audit.h — read the kernel's seccomp RET_LOG records (audit type 1326) from NETLINK_AUDIT's
 * read-only multicast group. Works with audit disabled and no auditd; must run in the initial
 * network namespace. Loss is counted exactly: the socket's own drop counter, and the kernel's
 * audit "lost" counter. */
#ifndef WHITTLE_AUDIT_H
#define WHITTLE_AUDIT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct audit_seccomp_rec {
	pid_t pid;
	uint32_t arch;
	int syscall;
	uint32_t code;
	const char *comm; /* decoded; valid during the callback */
	const char *exe;
	uint64_t serial;
};

typedef void (*audit_rec_fn)(const struct audit_seccomp_rec *r, void *ctx);

/* Open the reader with a receive buffer of rcvbuf bytes. Returns -errno. */
int audit_open(int rcvbuf, audit_rec_fn fn, void *ctx);
int audit_fd(void);
/* Read every queued record now. */
void audit_drain(void);
/* Records the socket dropped (kernel-counted, from /proc/net/netlink). */
uint64_t audit_socket_drops(void);
/* ENOBUFS errors seen by recv (each means one or more drops). */
uint64_t audit_overruns(void);
/* The kernel's global audit "lost" counter (backlog overflows), or -1 if it cannot be read. */
int64_t audit_kernel_lost(void);
uint64_t audit_records(void);
/* Wait until every record queued before now was delivered: a helper process makes one logged
 * syscall and we read until its record arrives (kauditd delivers in order). */
bool audit_sync(int timeout_ms);

#endif
