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
};

/* The highest ABI the kernel has (0: none), honouring WHITTLE_SIMULATE_MISSING=landlock. */
int landlock_abi(void);
/* The rights an ABI handles. */
uint64_t landlock_handled(int abi);
/* Parse "READ_FILE,READ_DIR,EXECUTE" into bits; false on an unknown name. */
bool landlock_parse_rights(const char *list, uint64_t *out, char *bad, size_t badlen);
/* Restrict the calling thread (and its future children). Returns 0, or -errno with a message.
 * Rules whose path cannot be opened are skipped and counted in *skipped. */
int landlock_apply(const struct ll_rule *rules, size_t n, int abi, size_t *skipped, char *err, size_t errlen);

#endif
