/* emit.c — buffered JSON-lines writer for the event stream. */
#define _GNU_SOURCE
#include "emit.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int out_fd = -1;
static bool broken;
static struct sbuf out;
static bool first_field;

void emit_open(const char *spec) {
	if (strncmp(spec, "unix:", 5) == 0) {
		const char *path = spec + 5;
		struct sockaddr_un sa = {.sun_family = AF_UNIX};
		if (strlen(path) >= sizeof sa.sun_path) die("use a shorter socket path", "events socket path too long: %s", path);
		strcpy(sa.sun_path, path);
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0) die_errno(NULL, "socket(AF_UNIX)");
		if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0)
			die_errno("whittle must be listening on the socket before it starts the tracer", "connect to events socket %s", path);
		out_fd = fd;
	} else {
		uint64_t fd;
		if (!parse_u64(spec, &fd) || fd > 1 << 20) die("pass --events FD or --events unix:PATH", "bad --events value: %s", spec);
		if (fcntl((int)fd, F_GETFD) < 0) die_errno("whittle must pass the events descriptor to the tracer", "--events %s", spec);
		out_fd = (int)fd;
		fcntl(out_fd, F_SETFD, FD_CLOEXEC);
		/* A bigger pipe means fewer stalls when whittle is briefly busy. */
		fcntl(out_fd, F_SETPIPE_SZ, 1 << 20);
	}
	sbuf_init(&out);
}

bool emit_is_open(void) { return out_fd >= 0 && !broken; }
size_t emit_pending(void) { return out.len; }

bool emit_flush(void) {
	if (out_fd < 0 || broken) {
		out.len = 0;
		return !broken;
	}
	size_t off = 0;
	while (off < out.len) {
		ssize_t n = write(out_fd, out.data + off, out.len - off);
		if (n < 0) {
			if (errno == EINTR) continue;
			if (errno == EAGAIN) {
				struct pollfd p = {.fd = out_fd, .events = POLLOUT};
				poll(&p, 1, 100);
				continue;
			}
			broken = true;
			out.len = 0;
			return false;
		}
		off += (size_t)n;
	}
	out.len = 0;
	return true;
}

void emit_close(void) {
	emit_flush();
	if (out_fd >= 0) close(out_fd);
	out_fd = -1;
}

/* Bytes that can be copied into a JSON string as they are (printable ASCII but '"' and '\\'). */
static bool plain_byte(unsigned char c) { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\'; }

void json_escape_into(struct sbuf *b, const char *s, size_t n) {
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	sbuf_addc(b, '"');
	size_t i = 0;
	while (i < n) {
		/* Copy runs of plain bytes at once: paths are nearly always all plain. */
		size_t run = i;
		while (run < n && plain_byte(p[run])) run++;
		if (run > i) {
			sbuf_add(b, p + i, run - i);
			i = run;
			if (i >= n) break;
		}
		unsigned char c = p[i];
		if (c == '"' || c == '\\') {
			sbuf_addc(b, '\\');
			sbuf_addc(b, (char)c);
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			char e[8] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0};
			sbuf_add(b, e, 6);
			i++;
		} else {
			/* Validate one UTF-8 sequence; copy it, or escape each bad byte. */
			size_t len = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c <= 0xdf ? 2 : 0;
			bool ok = len && i + len <= n;
			for (size_t k = 1; ok && k < len; k++) ok = (p[i + k] & 0xc0) == 0x80;
			if (ok && len == 3) {
				unsigned cp = ((c & 0x0fu) << 12) | ((p[i + 1] & 0x3fu) << 6);
				ok = cp >= 0x800 && !(cp >= 0xd800 && cp <= 0xdfff);
			}
			if (ok && len == 4) {
				unsigned cp = ((c & 0x07u) << 18) | ((p[i + 1] & 0x3fu) << 12);
				ok = cp >= 0x10000 && cp <= 0x10ffff;
			}
			if (ok) {
				sbuf_add(b, p + i, len);
				i += len;
			} else {
				char e[8] = {'\\', 'u', 'd', 'c', hex[c >> 4], hex[c & 15], 0};
				sbuf_add(b, e, 6);
				i++;
			}
		}
	}
	sbuf_addc(b, '"');
}

/* Decimal digits of v into buf (no NUL); returns the length. */
static size_t utoa(uint64_t v, char *buf) {
	char tmp[24];
	size_t n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (size_t i = 0; i < n; i++) buf[i] = tmp[n - 1 - i];
	return n;
}

static void field(const char *key) {
	if (!first_field) sbuf_addc(&out, ',');
	first_field = false;
	json_escape_into(&out, key, strlen(key));
	sbuf_addc(&out, ':');
}

void emit_begin(const char *type) {
	sbuf_addc(&out, '{');
	first_field = true;
	emit_str("type", type);
}

void emit_key(const char *key) { field(key); }
void emit_raw(const char *text) { sbuf_adds(&out, text); }
void emit_json_string(const char *s, size_t n) { json_escape_into(&out, s, n); }

void emit_str(const char *key, const char *val) {
	if (!val) return emit_null(key);
	emit_strn(key, val, strlen(val));
}

void emit_strn(const char *key, const char *val, size_t n) {
	field(key);
	json_escape_into(&out, val, n);
}

void emit_u64(const char *key, uint64_t v) {
	char buf[24];
	field(key);
	sbuf_add(&out, buf, utoa(v, buf));
}

void emit_i64(const char *key, int64_t v) {
	char buf[24];
	field(key);
	if (v < 0) {
		sbuf_addc(&out, '-');
		sbuf_add(&out, buf, utoa((uint64_t)0 - (uint64_t)v, buf));
	} else {
		sbuf_add(&out, buf, utoa((uint64_t)v, buf));
	}
}

void emit_micros(const char *key, uint64_t us) {
	char buf[24];
	field(key);
	sbuf_add(&out, buf, utoa(us / 1000000, buf));
	sbuf_addc(&out, '.');
	size_t n = utoa(us % 1000000, buf);
	for (size_t i = n; i < 6; i++) sbuf_addc(&out, '0');
	sbuf_add(&out, buf, n);
}

void emit_bool(const char *key, bool v) {
	field(key);
	sbuf_adds(&out, v ? "true" : "false");
}

void emit_double(const char *key, double v) {
	field(key);
	sbuf_printf(&out, "%.6f", v);
}

void emit_null(const char *key) {
	field(key);
	sbuf_adds(&out, "null");
}

void emit_end(void) {
	sbuf_adds(&out, "}\n");
	if (out.len > (1 << 16)) emit_flush();
}

void emit_message(const char *type, const char *message, const char *hint) {
	emit_message_now(type, message, hint, false);
}

void emit_message_now(const char *type, const char *message, const char *hint, bool now) {
	if (out_fd < 0 || broken) return;
	emit_begin(type);
	emit_str("message", message);
	if (hint) emit_str("hint", hint);
	if (now) emit_bool("now", true);
	emit_end();
}
