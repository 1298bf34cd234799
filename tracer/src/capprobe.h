/* capprobe.h — capability checks seen in the kernel (the capability:cap_capable tracepoint),
 * for the seccomp mechanism. Without it, capabilities are inferred later from syscalls. */
#ifndef WHITTLE_CAPPROBE_H
#define WHITTLE_CAPPROBE_H

#include <stdbool.h>
#include <stdint.h>
#include "learn.h"
#include "session.h"

/* Load and attach the probe for the session's cgroup; false when eBPF is unavailable. Must be
 * called after session_prepare() and before the workload starts. */
bool capprobe_start(struct session *s, const struct learn_opts *o);
void capprobe_poll(void);
uint64_t capprobe_lost(void);

/* enforce: the in-kernel probe in denials mode (calls that failed with EACCES/EPERM, and
 * refused capabilities, arrive as path/net/cap items). NULL when started, else why not. */
const char *denial_probe_start(struct session *s, const struct learn_opts *o);
/* The root process between fork and exec: its sandbox setup is not the workload's. */
void denial_probe_set_pre_exec(pid_t pid);
void denial_probe_poll(void);
uint64_t denial_probe_lost(void);
/* io_uring operations carrying a path or address that the probe does not follow (all but opens). */
uint64_t denial_probe_uring_unrecorded(void);
void denial_probe_stop(void);

/* Container sessions (whittle-tracer container): the session's cgroup also holds the runtime.
 * Record only tasks under a seccomp filter, and not those whose comm starts with one of
 * skip_comms (the runtime's, before it execs the container's program); with syscall_denials the
 * denial probe also reports every syscall that failed (its first failure) as a syscall item.
 * Call before capprobe_start() or denial_probe_start(). */
void probe_set_container(const char *const *skip_comms, size_t n, bool syscall_denials);

#endif
