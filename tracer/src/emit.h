/* emit.h — the event stream to whittle: versioned JSON lines (see ../PROTOCOL.md). */
#ifndef WHITTLE_EMIT_H
#define WHITTLE_EMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WHITTLE_PROTOCOL_VERSION 1

/* Open the stream on a file descriptor ("3") or a unix socket path ("unix:/run/x.sock"). */
void emit_open(const char *spec);
bool emit_is_open(void);
/* Write what is buffered; called periodically and before exit. Returns false when whittle went away. */
bool emit_flush(void);
void emit_close(void);
/* Bytes buffered but not yet written. */
size_t emit_pending(void);

/* Build one event: emit_begin("item"); emit_u64("id", 3); ...; emit_end(); */
void emit_begin(const char *type);
void emit_str(const char *key, const char *val); /* NULL → null */
void emit_strn(const char *key, const char *val, size_t n);
void emit_u64(const char *key, uint64_t v);
void emit_i64(const char *key, int64_t v);
void emit_bool(const char *key, bool v);
void emit_double(const char *key, double v);
/* Seconds with microsecond precision, from a count of microseconds (no floating point). */
void emit_micros(const char *key, uint64_t us);
void emit_null(const char *key);
/* Nested values: emit_key("c"); emit_raw("["); ... emit_raw("]"). */
void emit_key(const char *key);
void emit_raw(const char *text);
void emit_json_string(const char *s, size_t n); /* a bare JSON string value, for arrays */
void emit_end(void);

/* {"type":"error"|"warning","message":...,"hint":...} */
void emit_message(const char *type, const char *message, const char *hint);
/* The same, marked for the person now ("now": true): the session waits on them (a quiet
 * caller, such as whittle verify, still shows it). */
void emit_message_now(const char *type, const char *message, const char *hint, bool now);

/* Append JSON string escaping of s[0..n) to an sbuf-like sink; invalid UTF-8 bytes are kept
 * losslessly as lone surrogates \udc80..\udcff (the way Python's surrogateescape does). */
struct sbuf;
void json_escape_into(struct sbuf *b, const char *s, size_t n);

#endif
