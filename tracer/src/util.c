/* util.c — error paths, allocation, small string buffers, hashing. */
#define _GNU_SOURCE
#include "util.h"
#include "emit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *progname = "whittle-tracer";

void set_program_name(const char *name) { progname = name; }

static void vreport(const char *prefix, const char *fmt, va_list ap, int err, const char *hint) {
	char msg[1024];
	vsnprintf(msg, sizeof msg, fmt, ap);
	/* Warnings go to whittle as events when it listens (it shows them); errors always to stderr
	 * too, because the stream may be what failed. */
	bool quiet = *prefix && emit_is_open();
	if (quiet) {
		emit_message("warning", msg, hint);
		return;
	}
	if (err)
		fprintf(stderr, "%s: %s%s: %s\n", progname, prefix, msg, strerror(err));
	else
		fprintf(stderr, "%s: %s%s\n", progname, prefix, msg);
	if (hint && *hint) fprintf(stderr, "%s: hint: %s\n", progname, hint);
	if (emit_is_open()) {
		char full[1400];
		if (err)
			snprintf(full, sizeof full, "%s: %s", msg, strerror(err));
		else
			snprintf(full, sizeof full, "%s", msg);
		emit_message(*prefix ? "warning" : "error", full, hint);
	}
}

void die_errno(const char *hint, const char *fmt, ...) {
	int err = errno;
	va_list ap;
	va_start(ap, fmt);
	vreport("", fmt, ap, err, hint);
	va_end(ap);
	emit_flush();
	exit(EXIT_TRACER_FAILURE);
}

void die(const char *hint, const char *fmt, ...) {
	va_list ap;
	va_start(ap, fmt);
	vreport("", fmt, ap, 0, hint);
	va_end(ap);
	emit_flush();
	exit(EXIT_TRACER_FAILURE);
}

void warnx(const char *fmt, ...) {
	va_list ap;
	va_start(ap, fmt);
	vreport("warning: ", fmt, ap, 0, NULL);
	va_end(ap);
}

void *xmalloc(size_t n) {
	void *p = malloc(n ? n : 1);
	if (!p) die(NULL, "out of memory (%zu bytes)", n);
	return p;
}

void *xcalloc(size_t n, size_t size) {
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p) die(NULL, "out of memory (%zu x %zu bytes)", n, size);
	return p;
}

void *xrealloc(void *p, size_t n) {
	p = realloc(p, n ? n : 1);
	if (!p) die(NULL, "out of memory (%zu bytes)", n);
	return p;
}

char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

char *xstrndup(const char *s, size_t n) {
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *xasprintf(const char *fmt, ...) {
	va_list ap;
	char *s;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0) die(NULL, "out of memory");
	va_end(ap);
	return s;
}

void sbuf_init(struct sbuf *b) { b->data = NULL, b->len = b->cap = 0; }
void sbuf_free(struct sbuf *b) { free(b->data), sbuf_init(b); }
void sbuf_reset(struct sbuf *b) { b->len = 0; }

void sbuf_grow_for(struct sbuf *b, size_t extra);
#define sbuf_grow sbuf_grow_for
void sbuf_grow_for(struct sbuf *b, size_t extra) {
	if (b->len + extra + 1 <= b->cap) return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + extra + 1) cap *= 2;
	b->data = xrealloc(b->data, cap);
	b->cap = cap;
}

void sbuf_add(struct sbuf *b, const void *p, size_t n) {
	sbuf_grow(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

void sbuf_adds(struct sbuf *b, const char *s) { sbuf_add(b, s, strlen(s)); }


void sbuf_printf(struct sbuf *b, const char *fmt, ...) {
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	sbuf_grow(b, (size_t)n);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	b->len += (size_t)n;
}

const char *sbuf_cstr(struct sbuf *b) {
	sbuf_grow(b, 0);
	b->data[b->len] = 0;
	return b->data;
}

/* FNV-1a folded with a final mix; good enough for hash tables keyed by short strings. */
uint64_t hash_bytes(const void *p, size_t n, uint64_t seed) {
	const unsigned char *s = p;
	uint64_t h = 1469598103934665603ULL ^ seed;
	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 1099511628211ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

void debug_timing(const char *what) {
	static int on = -1;
	static uint64_t t0;
	if (on < 0) {
		on = getenv("WHITTLE_DEBUG_TIMING") != NULL;
		t0 = now_ns();
	}
	if (on) fprintf(stderr, "tracer timing %s %.1f ms\n", what, (double)(now_ns() - t0) / 1e6);
}

uint64_t now_ns(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

char *read_small_file(const char *path, size_t *len_out) {
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) return NULL;
	struct sbuf b;
	sbuf_init(&b);
	char tmp[4096];
	for (;;) {
		ssize_t n = read(fd, tmp, sizeof tmp);
		if (n < 0) {
			if (errno == EINTR) continue;
			close(fd);
			sbuf_free(&b);
			return NULL;
		}
		if (n == 0) break;
		sbuf_add(&b, tmp, (size_t)n);
	}
	close(fd);
	sbuf_cstr(&b);
	if (len_out) *len_out = b.len;
	return b.data;
}

int write_file_str(const char *path, const char *s) {
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) return -errno;
	size_t n = strlen(s);
	ssize_t w = write(fd, s, n);
	int err = w < 0 ? -errno : (size_t)w != n ? -EIO : 0;
	close(fd);
	return err;
}

char *xreadlink(const char *path) {
	char buf[4097];
	ssize_t n = readlink(path, buf, sizeof buf - 1);
	if (n < 0) return NULL;
	buf[n] = 0;
	return xstrdup(buf);
}

bool parse_u64(const char *s, uint64_t *out) {
	if (!s || !*s) return false;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end || *s == '-') return false;
	*out = v;
	return true;
}
