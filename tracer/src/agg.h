/* agg.h — aggregation in the tracer: one "item" event per new (pid-independent) thing the
 * workload did, and periodic "counts" events with running totals. The TS side never sees one
 * line per syscall. */
#ifndef WHITTLE_AGG_H
#define WHITTLE_AGG_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "names.h"

enum item_kind { IK_SYSCALL, IK_PATH, IK_EXEC, IK_MOUNT, IK_NET, IK_CAP, IK_DENIED, IK_KIND_COUNT };

struct item {
	uint64_t id;
	enum item_kind kind;
	uint64_t hash;
	char *key; /* NUL-separated fields */
	size_t keylen;
	uint64_t count, flushed;
	bool dirty;
	struct item *next, *dirty_next;
};

/* Who made the call that created an item (for "first executable and pid"). */
struct origin {
	pid_t pid;
	const char *exe; /* may be NULL */
	const char *syscall; /* the syscall that led to the item, may be NULL */
};

void agg_init(void);
uint64_t agg_item_count(void);

/* Each returns the item; the first call for a key emits its "item" event. n is added to the count. */
struct item *agg_syscall(enum abi a, int nr, uint64_t n, const struct origin *o);
/* How many times a syscall was counted so far (0: never seen). */
uint64_t agg_syscall_count(enum abi a, int nr);
/* A syscall made by another layer than the workload's own (layer "runtime": a container
 * runtime after it installed the container's filter, before the container's program runs);
 * NULL is agg_syscall(). Counted apart from the workload's own calls of the same number. */
struct item *agg_syscall_layer(enum abi a, int nr, const char *layer, uint64_t n, const struct origin *o);
struct item *agg_path(const char *path, const char *access, const char *result, uint64_t n, const struct origin *o);
struct item *agg_symlink(const char *path, const char *target, const struct origin *o);
struct item *agg_exec(const char *path, const char *argv0, const char *result, const struct origin *o);
struct item *agg_mount(const char *op, const char *source, const char *target, const char *fstype,
		       const char *flags, const char *data, const char *result, const struct origin *o);
struct item *agg_net(const char *family, const char *type, const char *op, int port, const char *addr,
		     const char *result, const struct origin *o);
/* klass: "required" (the kernel needed it), "advisory" (a noaudit check that only tunes behaviour) */
struct item *agg_cap(const char *cap, const char *syscall, bool granted, const char *klass, bool inferred,
		     uint64_t n, const struct origin *o);

/* A syscall the enforcing filter answered with an errno. klass: "syscall" (a denial) or
 * "probe" (ENOSYS for a syscall the policy does not know of: the program falls back). */
struct item *agg_denied(enum abi a, int nr, const char *errno_str, const char *klass, const struct origin *o);

/* Set an item's total (for counters read from the kernel as totals). */
void agg_set_total(struct item *it, uint64_t total);
/* Emit {"type":"counts","c":[[id,total],...]} for every item whose count changed. */
void agg_flush_counts(void);
/* Seconds since agg_init(), for event timestamps. */
double agg_elapsed(void);

#endif
