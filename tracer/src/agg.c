/* agg.c — the tracer's item table. */
#define _GNU_SOURCE
#include "agg.h"
#include "emit.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[IK_KIND_COUNT] = {"syscall", "path", "exec", "mount", "net", "cap", "denied"};

static struct item **table;
static size_t table_cap, table_len;
static struct item *dirty_head;
static uint64_t next_id = 1;
static uint64_t t0;
/* Syscalls are the hot path (one lookup per audit record): a direct index by ABI and number. */
static struct item *syscall_items[ABI_COUNT][ABI_MAX_NR];

void agg_init(void) {
	table_cap = 1 << 12;
	table = xcalloc(table_cap, sizeof *table);
	t0 = now_ns();
}

double agg_elapsed(void) { return (double)(now_ns() - t0) / 1e9; }
uint64_t agg_item_count(void) { return table_len; }

static void rehash(void) {
	size_t ncap = table_cap * 2;
	struct item **nt = xcalloc(ncap, sizeof *nt);
	for (size_t i = 0; i < table_cap; i++) {
		struct item *it = table[i];
		while (it) {
			struct item *next = it->next;
			size_t b = it->hash & (ncap - 1);
			it->next = nt[b];
			nt[b] = it;
			it = next;
		}
	}
	free(table);
	table = nt;
	table_cap = ncap;
}

/* Find or create the item for (kind, key). *fresh tells the caller to emit its fields. */
static struct item *lookup(enum item_kind kind, const char *key, size_t keylen, bool *fresh) {
	uint64_t h = hash_bytes(key, keylen, kind);
	for (struct item *it = table[h & (table_cap - 1)]; it; it = it->next)
		if (it->hash == h && it->kind == kind && it->keylen == keylen && memcmp(it->key, key, keylen) == 0) {
			*fresh = false;
			return it;
		}
	if (table_len * 2 > table_cap) rehash();
	struct item *it = xcalloc(1, sizeof *it);
	it->id = next_id++;
	it->kind = kind;
	it->hash = h;
	it->key = xstrndup(key, keylen);
	it->keylen = keylen;
	size_t b = h & (table_cap - 1);
	it->next = table[b];
	table[b] = it;
	table_len++;
	*fresh = true;
	return it;
}

static void begin_item(struct item *it, const struct origin *o) {
	emit_begin("item");
	emit_u64("id", it->id);
	emit_str("kind", kind_names[it->kind]);
	emit_micros("t", (now_ns() - t0) / 1000);
	if (o) {
		emit_i64("pid", o->pid);
		if (o->exe) emit_str("exe", o->exe);
		if (o->syscall) emit_str("syscall", o->syscall);
	}
}

static void add(struct item *it, uint64_t n) {
	if (!n) return;
	it->count += n;
	if (!it->dirty) {
		it->dirty = true;
		it->dirty_next = dirty_head;
		dirty_head = it;
	}
}

void agg_set_total(struct item *it, uint64_t total) {
	if (total > it->count) add(it, total - it->count);
}

/* Build a key from NUL-separated fields (NULL fields become empty). */
static size_t make_key(struct sbuf *b, const char *const *fields, size_t n) {
	sbuf_reset(b);
	for (size_t i = 0; i < n; i++) {
		if (fields[i]) sbuf_adds(b, fields[i]);
		sbuf_addc(b, 0);
	}
	return b->len;
}

static struct sbuf keybuf;

struct item *agg_syscall(enum abi a, int nr, uint64_t n, const struct origin *o) {
	struct item *it;
	bool in_table = a < ABI_COUNT && nr >= 0 && nr < ABI_MAX_NR;
	if (in_table && (it = syscall_items[a][nr])) {
		add(it, n);
		return it;
	}
	bool fresh;
	char key[48];
	int len = snprintf(key, sizeof key, "%s:%d", abi_name(a), nr);
	it = lookup(IK_SYSCALL, key, (size_t)len, &fresh);
	if (in_table) syscall_items[a][nr] = it;
	if (fresh) {
		begin_item(it, o);
		emit_str("arch", abi_name(a));
		emit_i64("nr", a == ABI_X32 ? nr & ~0x40000000 : nr);
		emit_str("name", syscall_name(a, nr));
		emit_end();
	}
	add(it, n);
	return it;
}

uint64_t agg_syscall_count(enum abi a, int nr) {
	if (a >= ABI_COUNT || nr < 0 || nr >= ABI_MAX_NR || !syscall_items[a][nr]) return 0;
	return syscall_items[a][nr]->count;
}

struct item *agg_syscall_layer(enum abi a, int nr, const char *layer, uint64_t n, const struct origin *o) {
	if (!layer) return agg_syscall(a, nr, n, o);
	bool fresh;
	char key[96];
	int len = snprintf(key, sizeof key, "%s:%d:%s", abi_name(a), nr, layer);
	struct item *it = lookup(IK_SYSCALL, key, (size_t)len, &fresh);
	if (fresh) {
		begin_item(it, o);
		emit_str("arch", abi_name(a));
		emit_i64("nr", a == ABI_X32 ? nr & ~0x40000000 : nr);
		emit_str("name", syscall_name(a, nr));
		emit_str("layer", layer);
		emit_end();
	}
	add(it, n);
	return it;
}

struct item *agg_path(const char *path, const char *access, const char *result, uint64_t n, const struct origin *o) {
	const char *f[] = {path, access, result};
	bool fresh;
	size_t klen = make_key(&keybuf, f, 3);
	struct item *it = lookup(IK_PATH, keybuf.data, klen, &fresh);
	if (fresh) {
		begin_item(it, o);
		emit_str("path", path);
		emit_str("access", access);
		emit_str("result", result);
		emit_end();
	}
	add(it, n);
	return it;
}

struct item *agg_symlink(const char *path, const char *target, const struct origin *o) {
	const char *f[] = {path, "symlink", target};
	bool fresh;
	size_t klen = make_key(&keybuf, f, 3);
	struct item *it = lookup(IK_PATH, keybuf.data, klen, &fresh);
	if (fresh) {
		begin_item(it, o);
		emit_str("path", path);
		emit_str("access", "stat");
		emit_str("result", "ok");
		emit_str("symlinkTarget", target);
		emit_end();
	}
	add(it, 1);
	return it;
}

struct item *agg_exec(const char *path, const char *argv0, const char *result, const struct origin *o) {
	const char *f[] = {path, argv0, result};
	bool fresh;
	size_t klen = make_key(&keybuf, f, 3);
	struct item *it = lookup(IK_EXEC, keybuf.data, klen, &fresh);
	if (fresh) {
		begin_item(it, o);
		emit_str("path", path);
		emit_str("argv0", argv0);
		emit_str("result", result);
		emit_end();
	}
	add(it, 1);
	return it;
}

struct item *agg_mount(const char *op, const char *source, const char *target, const char *fstype,
		       const char *flags, const char *data, const char *result, const struct origin *o) {
	const char *f[] = {op, source, target, fstype, flags, data, result};
	bool fresh;
	size_t klen = make_key(&keybuf, f, 7);
	struct item *it = lookup(IK_MOUNT, keybuf.data, klen, &fresh);
	if (fresh) {
		begin_item(it, o);
		emit_str("op", op);
		emit_str("source", source);
		emit_str("target", target);
		emit_str("fstype", fstype);
		emit_str("flags", flags);
		if (data) emit_str("data", data);
		emit_str("result", result);
		emit_end();
	}
	add(it, 1);
	return it;
}

struct item *agg_net(const char *family, const char *type, const char *op, int port, const char *addr,
		     const char *result, const struct origin *o) {
	char portbuf[16];
	snprintf(portbuf, sizeof portbuf, "%d", port);
	const char *f[] = {family, type, op, port >= 0 ? portbuf : "", addr, result};
	bool fresh;
	size_t klen = make_key(&keybuf, f, 6);
	struct item *it = lookup(IK_NET, keybuf.data, klen, &fresh);
	if (fresh) {
		begin_item(it, o);
		emit_str("family", family);
		emit_str("socktype", type);
		emit_str("op", op);
		if (port >= 0)
			emit_i64("port", port);
		else
			emit_null("port");
		if (addr) emit_str("addr", addr);
		emit_str("result", result);
		emit_end();
	}
	add(it, 1);
	return it;
}

struct item *agg_cap(const char *cap, const char *syscall, bool granted, const char *klass, bool inferred,
		     uint64_t n, const struct origin *o) {
	const char *f[] = {cap, syscall, granted ? "granted" : "denied", klass, inferred ? "inferred" : "observed"};
	bool fresh;
	size_t klen = make_key(&keybuf, f, 5);
	struct item *it = lookup(IK_CAP, keybuf.data, klen, &fresh);
	if (fresh) {
		begin_item(it, o);
		emit_str("name", cap);
		emit_str("bySyscall", syscall);
		emit_bool("granted", granted);
		emit_str("class", klass);
		emit_bool("inferred", inferred);
		emit_end();
	}
	add(it, n);
	return it;
}

struct item *agg_denied(enum abi a, int nr, const char *errno_str, const char *klass, const struct origin *o) {
	char nrbuf[16];
	snprintf(nrbuf, sizeof nrbuf, "%d", nr);
	const char *f[] = {abi_name(a), nrbuf, errno_str, klass};
	bool fresh;
	size_t klen = make_key(&keybuf, f, 4);
	struct item *it = lookup(IK_DENIED, keybuf.data, klen, &fresh);
	if (fresh) {
		begin_item(it, o);
		emit_str("class", klass);
		emit_str("arch", abi_name(a));
		emit_i64("nr", nr);
		emit_str("name", syscall_name(a, nr));
		emit_str("errno", errno_str);
		emit_end();
	}
	add(it, 1);
	return it;
}

void agg_flush_counts(void) {
	if (!dirty_head) return;
	emit_begin("counts");
	emit_key("c");
	emit_raw("[");
	bool first = true;
	char buf[64];
	unsigned in_line = 0;
	for (struct item *it = dirty_head; it;) {
		struct item *next = it->dirty_next;
		it->dirty = false;
		it->dirty_next = NULL;
		if (it->count != it->flushed) {
			snprintf(buf, sizeof buf, "%s[%llu,%llu]", first ? "" : ",", (unsigned long long)it->id,
				 (unsigned long long)it->count);
			emit_raw(buf);
			it->flushed = it->count;
			first = false;
			/* Keep lines bounded so the reader never buffers megabytes for one event. */
			if (++in_line == 4096 && next) {
				emit_raw("]");
				emit_end();
				emit_begin("counts");
				emit_key("c");
				emit_raw("[");
				first = true;
				in_line = 0;
			}
		}
		it = next;
	}
	dirty_head = NULL;
	emit_raw("]");
	emit_end();
}
