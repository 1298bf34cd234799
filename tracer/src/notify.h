/* notify.h — the seccomp user-notification supervisor of learn mode: for the syscalls whose
 * arguments matter it reads them (paths from /proc/PID/mem, checked with NOTIF_ID_VALID) and
 * answers CONTINUE. Learn mode never blocks; CONTINUE is never used to enforce anything. */
#ifndef WHITTLE_NOTIFY_H
#define WHITTLE_NOTIFY_H

#include <stdbool.h>
#include <stdint.h>
#include "session.h"

/* Called for each notification after its arguments were read (with the call already classified). */
typedef void (*notify_seen_fn)(pid_t tgid, int abi, int nr, const char *exe);

/* Optional: whether a notified call's arguments become items (false: only the syscall is
 * counted, e.g. a container runtime's own calls before the container's program runs). */
typedef bool (*notify_keep_fn)(pid_t tgid, int abi, int nr, const char *exe);
void notify_set_keep(notify_keep_fn keep);

void notify_start(int listener_fd, struct session *s, notify_seen_fn seen);
uint64_t notify_count(void);
/* Notifications whose caller vanished before its arguments could be read. */
uint64_t notify_stale(void);

#endif
