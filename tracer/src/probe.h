/* probe.h — live checks of the kernel features whittle uses, for `whittle doctor` and for
 * choosing the learn mechanism. Each check does the real thing (installs a filter, reads a
 * record, loads the programs), not a version comparison. */
#ifndef WHITTLE_PROBE_H
#define WHITTLE_PROBE_H

#include <stdbool.h>

int probe_main(int argc, char **argv);
/* "ebpf" when the in-kernel recorder can be used here, else "seccomp". */
const char *probe_best_mechanism(const char *simulate_missing);
/* The highest Landlock ABI the kernel has (0: none). */
int probe_landlock_abi(void);

/* From learn_ebpf.c: load and attach every program, then unload. NULL when it worked. */
const char *ebpf_selftest(double *ms);
/* Does the kernel have the io_uring tracepoints the recorder follows rings with? */
bool ebpf_uring_available(void);

#endif
