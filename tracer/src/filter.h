/* filter.h — the enforcing seccomp filter of a policy: built with libseccomp (an optimised
 * allowlist, default errno EPERM, per-syscall errno), plus a small stub in front that answers
 * ENOSYS for syscall numbers the kernel/ABI does not have and for numbers newer than the
 * policy's horizon, so programs that probe new syscalls fall back instead of failing.
 *
 * Input: the filter spec (PROTOCOL.md, "Filter specs"), text lines:
 *   whittle-filter 1
 *   arch x86_64 | arch x86          ABIs whose syscalls are allowed by name (others: EPERM)
 *   default errno EPERM
 *   allow NAME
 *   errno ERRNO NAME
 *   enosys ABI FIRST LAST           numbers with no syscall behind them, and above the horizon
 *   allownr ABI NR                  an allowed syscall too new for libseccomp to name
 */
#ifndef WHITTLE_FILTER_H
#define WHITTLE_FILTER_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stdio.h>

struct filter_prog {
	struct sock_filter *insns;
	unsigned short len;
};

/* Read a spec and build the program; on error returns false with a message in err. */
bool filter_build(FILE *spec, struct filter_prog *out, char *err, size_t errlen);
void filter_free(struct filter_prog *p);
/* whittle-tracer compile: spec on stdin, BPF program (struct sock_filter[]) on stdout. */
int compile_main(int argc, char **argv);

#endif
