/* util.h — error paths, allocation, small string buffers, hashing. */
#ifndef WHITTLE_UTIL_H
#define WHITTLE_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdarg.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Exit codes of the tracer itself, matching the contract of `whittle learn`/`run`. */
enum {
	EXIT_TRACER_FAILURE = 125, /* whittle's own failure before or around the workload */
	EXIT_CANNOT_EXEC = 126,
	EXIT_NOT_FOUND = 127,
};

/* Print "whittle-tracer: <what>: <strerror>" plus a hint, and exit 125. */
__attribute__((noreturn, format(printf, 2, 3))) void die_errno(const char *hint, const char *fmt, ...);
/* Print "whittle-tracer: <what>" plus a hint, and exit 125. */
__attribute__((noreturn, format(printf, 2, 3))) void die(const char *hint, const char *fmt, ...);
/* A warning on stderr; it is also sent as an event when an emitter is open. */
__attribute__((format(printf, 1, 2))) void warnx(const char *fmt, ...);
void set_program_name(const char *name);

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
__attribute__((format(printf, 1, 2))) char *xasprintf(const char *fmt, ...);

/* A growable byte buffer. */
struct sbuf {
	char *data;
	size_t len, cap;
};
void sbuf_init(struct sbuf *b);
void sbuf_free(struct sbuf *b);
void sbuf_reset(struct sbuf *b);
void sbuf_add(struct sbuf *b, const void *p, size_t n);
void sbuf_adds(struct sbuf *b, const char *s);
static inline void sbuf_addc(struct sbuf *b, char c) {
	void sbuf_grow_for(struct sbuf * b, size_t extra);
	if (b->len + 2 > b->cap) sbuf_grow_for(b, 1);
	b->data[b->len++] = c;
}
__attribute__((format(printf, 2, 3))) void sbuf_printf(struct sbuf *b, const char *fmt, ...);
const char *sbuf_cstr(struct sbuf *b); /* NUL-terminated view; stays owned by b */

uint64_t hash_bytes(const void *p, size_t n, uint64_t seed);
static inline uint64_t hash_str(const char *s, uint64_t seed) {
	size_t n = 0;
	while (s[n]) n++;
	return hash_bytes(s, n, seed);
}

/* WHITTLE_DEBUG_TIMING=1: print a phase and the time since start on stderr. */
void debug_timing(const char *what);

/* Monotonic clock in nanoseconds. */
uint64_t now_ns(void);

/* Read a whole small file (e.g. under /proc) into a malloc'd NUL-terminated string, or NULL. */
char *read_small_file(const char *path, size_t *len_out);
/* Write a string to a file (sysfs/cgroupfs style); returns 0 or -errno. */
int write_file_str(const char *path, const char *s);
/* readlink() into a malloc'd string, or NULL. */
char *xreadlink(const char *path);
/* Parse a decimal unsigned number that must fill the whole string. */
bool parse_u64(const char *s, uint64_t *out);

#endif
