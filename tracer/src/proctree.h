/* proctree.h — follow the workload's process tree with the kernel's proc connector (forks,
 * execs, exits of every process, filtered here to the session's tree). Used by the seccomp
 * mechanism, whose audit records carry only a pid. */
#ifndef WHITTLE_PROCTREE_H
#define WHITTLE_PROCTREE_H

#include <stdbool.h>
#include <stdint.h>
#include "session.h"

/* Open and subscribe; returns false (with a warning) when the connector is unavailable. */
bool proctree_open(struct session *s);
/* Read every queued event now (called before trusting "unknown pid"). */
void proctree_drain(void);
uint64_t proctree_lost(void);
int proctree_fd(void);

#endif
