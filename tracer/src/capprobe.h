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

#endif
