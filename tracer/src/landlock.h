/* landlock.h — Landlock rules for enforcement (allow-only, by directory hierarchy), best effort
 * by ABI: rights the running kernel does not know are dropped and reported. */
#ifndef WHITTLE_LANDLOCK_H
#define WHITTLE_LANDLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ll_rule {
	char *path;
	uint64_t access;
	/* Rights for what the workload makes at or beneath path (spec line `landlock-beneath`):
	 * when path does not exist yet, they go on its nearest existing parent (never on /). */
	bool beneath;
};

/* The highest ABI the kernel has (0: none), honouring WHITTLE_SIMULATE_MISSING=landlock. */
int landlock_abi(void);
/* The rights an ABI handles. */
uint64_t landlock_handled(int abi);
/* Parse "READ_FILE,READ_DIR,EXECUTE" into bits; false on an unknown name. */
bool landlock_parse_rights(const char *list, uint64_t *out, char *bad, size_t badlen);
/* Restrict the calling thread (and its future children). Returns 0, or -errno with a message.
 * Rules whose path cannot be opened are skipped: counted in *skipped, the first few named in
 * skipped_names (comma-separated). An exact rule on a directory means what its access means for
 * a directory: reading it is READ_DIR (not READ_FILE of everything beneath it). */
int landlock_apply(const struct ll_rule *rules, size_t n, int abi, size_t *skipped, char *skipped_names, size_t namelen, char *err,
		   size_t errlen);

#endif
