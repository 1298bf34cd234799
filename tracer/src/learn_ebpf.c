/* learn_ebpf.c — the in-kernel mechanism: counts and captures in eBPF programs on the syscall
 * tracepoints (tp_btf, cheap to attach and detach), filtered by the session's cgroup; records
 * come through a ring buffer that wakes the reader only in batches. */
#define _GNU_SOURCE
#include "learn.h"
#include "agg.h"
#include "capprobe.h"
#include "capture.h"
#include "emit.h"
#include "loop.h"
#include "maps.h"
#include "names.h"
#include "paths.h"
#include "probe.h"
#include "util.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#ifdef WHITTLE_HAVE_BPF
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <bpf/btf.h>
#include "learn.skel.h"

static struct learn_bpf *skel;
static struct ring_buffer *ringbuf;
static struct session *sess;
static int ncpus;
static uint64_t *percpu_buf;
static struct intmap exe_of_pid;   /* tgid → malloc'd exe path */
static struct intmap dir_paths;    /* dirkey → malloc'd directory path */
static struct intmap pending_exec; /* tid → struct pending */
static struct intmap pending_uring; /* io_uring request → struct pending (an operation awaiting its result) */
static bool uring_seen = true;     /* the kernel has the io_uring tracepoints, and they are attached */
static struct intmap seen_slots;   /* slot index → struct item * */
static uint64_t cap_lost_local;
static bool capture_calls;

struct pending {
	struct call c;
	char *strs[WH_NSTR], *bases[WH_NSTR];
	unsigned char buf[WH_BUF_MAX];
};

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list ap) {
	if (level == LIBBPF_DEBUG) return 0;
	if (getenv("WHITTLE_BPF_DEBUG")) return vfprintf(stderr, fmt, ap);
	return 0;
}

static const char *exe_for(pid_t pid) {
	const char *e = intmap_get(&exe_of_pid, (uint64_t)pid);
	if (e) return e;
	if (sess && pid == sess->root) return sess->exe_path;
	char p[64];
	snprintf(p, sizeof p, "/proc/%d/exe", pid);
	char *x = xreadlink(p);
	if (x) intmap_put(&exe_of_pid, (uint64_t)pid, x);
	return x;
}

/* ---- capability checks: which kernel function asked decides whether it was a real need ---- */

static const char *const capfn_names[WH_FN_COUNT] = {
	[WH_FN_CAP_CAPABLE] = "cap_capable",
	[WH_FN_SECURITY_CAPABLE] = "security_capable",
	[WH_FN_VM_ENOUGH_MEMORY] = "security_vm_enough_memory_mm",
	[WH_FN_NS_CAPABLE_NOAUDIT] = "ns_capable_noaudit",
	[WH_FN_HAS_NS_CAPABILITY_NOAUDIT] = "has_ns_capability_noaudit",
	[WH_FN_HAS_CAPABILITY_NOAUDIT] = "has_capability_noaudit",
};

/* Facts about the running kernel that are costly to find (kallsyms, BTF) are kept per boot in
 * /run/whittle: the path for one, "" when the boot id cannot be read. */
static void boot_cache_path(char *out, size_t n, const char *name) {
	out[0] = 0;
	char *boot = read_small_file("/proc/sys/kernel/random/boot_id", NULL);
	if (!boot) return;
	boot[strcspn(boot, "\n")] = 0;
	snprintf(out, n, "/run/whittle/%s-%s", name, boot);
	free(boot);
}

/* Open a per-boot cache file for writing (making /run/whittle), or NULL. */
static FILE *boot_cache_create(const char *path) {
	if (!path[0] || (mkdir("/run/whittle", 0755) < 0 && errno != EEXIST)) return NULL;
	return fopen(path, "we");
}

/* The address ranges of those functions. Reading /proc/kallsyms costs ~60 ms, so the ranges
 * are kept per boot in /run/whittle (the kernel's text does not move while it runs). */
static bool capfn_ranges(uint64_t start[WH_FN_COUNT], uint64_t end[WH_FN_COUNT]) {
	char cache[128];
	boot_cache_path(cache, sizeof cache, "capfuncs");
	if (cache[0]) {
		FILE *f = fopen(cache, "re");
		if (f) {
			int got = 0;
			for (int i = 0; i < WH_FN_COUNT; i++) {
				unsigned long long a, b;
				if (fscanf(f, "%llx %llx", &a, &b) == 2) start[i] = a, end[i] = b, got++;
			}
			fclose(f);
			if (got == WH_FN_COUNT) return true;
		}
	}
	FILE *f = fopen("/proc/kallsyms", "re");
	if (!f) return false;
	char line[512];
	int want = -1; /* the previous symbol was one we want: this one's address is its end */
	int found = 0;
	while (fgets(line, sizeof line, f)) {
		unsigned long long addr;
		char type, name[256];
		if (sscanf(line, "%llx %c %255s", &addr, &type, name) != 3) continue;
		if (want >= 0 && addr > start[want]) {
			end[want] = addr;
			want = -1;
			found++;
		}
		if (type != 't' && type != 'T') continue;
		for (int i = 0; i < WH_FN_COUNT; i++)
			if (!start[i] && strcmp(name, capfn_names[i]) == 0) start[i] = addr, want = i;
	}
	fclose(f);
	bool ok = true;
	for (int i = 0; i < WH_FN_COUNT; i++)
		if (!start[i] || !end[i] || end[i] - start[i] > (1 << 16)) start[i] = end[i] = 0, ok = false;
	if (!start[WH_FN_SECURITY_CAPABLE] || !start[WH_FN_VM_ENOUGH_MEMORY]) return false;
	FILE *o = ok ? boot_cache_create(cache) : NULL;
	if (o) {
		for (int i = 0; i < WH_FN_COUNT; i++) fprintf(o, "%llx %llx\n", (unsigned long long)start[i], (unsigned long long)end[i]);
		fclose(o);
	}
	return true;
}

static const char *cap_syscall(const struct wh_cap_key *k, char *tmp, size_t n) {
	if (k->nr < 0) return NULL;
	const char *sys = syscall_name((enum abi)(k->abi < ABI_COUNT ? k->abi : 0), k->nr);
	if (!sys) snprintf(tmp, n, "syscall#%d", k->nr), sys = tmp;
	return sys;
}

static void on_cap(const struct wh_rec_cap *r) {
	char tmp[32];
	struct origin o = {.pid = (pid_t)r->h.pid, .exe = exe_for((pid_t)r->h.pid)};
	agg_cap(cap_name(r->key.cap), cap_syscall(&r->key, tmp, sizeof tmp), !r->key.denied, r->key.advisory ? "advisory" : "required",
		false, 1, &o);
}

/* ---- records ---- */

/* An io_uring operation's item is named by its opcode: "io_uring:openat". */
static const char *uring_call_name(uint32_t op) {
	static char names[WH_URING_OPS][32];
	if (op >= WH_URING_OPS) return "io_uring";
	if (!names[op][0]) snprintf(names[op], sizeof names[op], "io_uring:%s", uring_op_name(op));
	return names[op];
}

static bool uring_recorded(uint32_t op) {
	return skel && op < WH_URING_OPS && skel->rodata->uring_layout.op[op].nr >= 0 && skel->rodata->uring_layout.ok;
}

static void build_call(const struct wh_rec_call *r, size_t size, struct pending *p) {
	memset(p, 0, sizeof *p);
	struct call *c = &p->c;
	c->pid = (pid_t)r->h.pid;
	c->tid = (pid_t)r->h.tid;
	c->abi = r->abi < ABI_COUNT ? (enum abi)r->abi : ABI_X86_64;
	c->nr = r->nr;
	c->name = r->ureq ? uring_call_name(r->pad[0]) : syscall_name(c->abi, c->nr);
	c->has_ret = r->has_ret;
	c->ret = r->ret;
	memcpy(c->args, r->args, sizeof c->args);
	const struct wh_spec *sp = &capture_specs(c->abi)[c->nr & (WH_ABI_SLOTS - 1)];
	c->cls = (enum capture_class)sp->cls;
	const char *data = (const char *)(r + 1), *end = (const char *)r + size;
	for (int k = 0; k < WH_NSTR; k++) {
		if (r->len[k] == 0xffff) continue;
		bool present = (k < WH_NSTR && sp->str[k] != WH_NOARG) || (k == 1 && sp->bufkind == WH_BUF_ARGV0) || (k == 2 && r->pad[1] && !r->ureq);
		if (!present) continue;
		if (data + r->len[k] + 1 > end) break;
		p->strs[k] = xstrndup(data, r->len[k]);
		c->str[k] = p->strs[k];
		data += r->len[k] + 1;
		if (r->dirkey[k]) {
			const char *d = intmap_get(&dir_paths, r->dirkey[k]);
			if (d) p->bases[k] = xstrdup(d), c->base[k] = p->bases[k];
		}
	}
	if (r->buflen && data + r->buflen <= end && r->buflen <= WH_BUF_MAX) {
		memcpy(p->buf, data, r->buflen);
		c->buf = p->buf;
		c->buflen = r->buflen;
	}
	c->exe = exe_for(c->pid);
}

static void free_pending(struct pending *p) {
	if (!p) return;
	for (int k = 0; k < WH_NSTR; k++) free(p->strs[k]), free(p->bases[k]);
	free(p);
}

static void on_dir(const struct wh_rec_dir *r, size_t size) {
	const char *names = (const char *)(r + 1), *end = (const char *)r + size;
	const char *parts[128];
	size_t n = 0;
	for (const char *s = names; s < end && s < names + r->len && n < ARRAY_LEN(parts);) {
		size_t l = strnlen(s, (size_t)(end - s));
		parts[n++] = s;
		s += l + 1;
	}
	struct sbuf b;
	sbuf_init(&b);
	if (r->ncomp & 0x80000000u) sbuf_adds(&b, "/…"); /* deeper than the walk went */
	for (size_t i = n; i-- > 0;) {
		if (!strcmp(parts[i], "/")) continue;
		sbuf_addc(&b, '/');
		sbuf_adds(&b, parts[i]);
	}
	if (!b.len) sbuf_addc(&b, '/');
	free(intmap_put(&dir_paths, r->dirkey, xstrdup(sbuf_cstr(&b))));
	sbuf_free(&b);
}

static void count_first(const struct wh_rec_first *r) {
	enum abi a = r->abi < ABI_COUNT ? (enum abi)r->abi : ABI_X86_64;
	struct origin o = {.pid = (pid_t)r->h.pid, .exe = exe_for((pid_t)r->h.pid)};
	if ((pid_t)r->h.pid == sess->root && !intmap_has(&exe_of_pid, (uint64_t)sess->root)) o.exe = sess->exe_path;
	struct item *it = agg_syscall(a, r->nr, 0, &o);
	uint64_t slot = r->nr < WH_ABI_SLOTS ? (uint64_t)a * WH_ABI_SLOTS + (uint64_t)r->nr : (uint64_t)WH_ABI_COUNT * WH_ABI_SLOTS;
	if (slot < (uint64_t)WH_ABI_COUNT * WH_ABI_SLOTS) intmap_put(&seen_slots, slot, it);
}

static bool drop_records;
static int on_record(void *ctx, void *data, size_t size) {
	(void)ctx;
	const struct wh_rec_hdr *h = data;
	if (size < sizeof *h || drop_records) return 0;
	switch (h->type) {
	case WH_REC_FIRST:
		count_first(data);
		break;
	case WH_REC_CALL: {
		const struct wh_rec_call *r = data;
		struct pending *p = xmalloc(sizeof *p);
		build_call(r, size, p);
		if (r->ureq) {
			/* an operation through io_uring: the result comes at its completion */
			free_pending(intmap_put(&pending_uring, r->ureq, p));
		} else if (!r->has_ret) {
			/* exec: the result comes in a RET record */
			free_pending(intmap_put(&pending_exec, (uint64_t)r->h.tid, p));
		} else {
			classify_call(&p->c);
			free_pending(p);
		}
		break;
	}
	case WH_REC_RET: {
		const struct wh_rec_call *r = data;
		struct pending *p = r->ureq ? intmap_del(&pending_uring, r->ureq) : intmap_del(&pending_exec, (uint64_t)r->h.tid);
		if (!p && !r->ureq) {
			/* a thread's exec: the caller's tid became the leader's */
			size_t i = 0;
			uint64_t k;
			void *v;
			while (intmap_next(&pending_exec, &i, &k, &v))
				if (((struct pending *)v)->c.pid == (pid_t)r->h.pid) {
					p = intmap_del(&pending_exec, k);
					break;
				}
		}
		if (!p) break;
		p->c.has_ret = true;
		p->c.ret = r->ret;
		classify_call(&p->c);
		free_pending(p);
		break;
	}
	case WH_REC_DIR:
		on_dir(data, size);
		break;
	case WH_REC_FORK: {
		const struct wh_rec_task *r = data;
		session_add_process(sess, (pid_t)r->child, (pid_t)r->h.pid);
		const char *pe = exe_for((pid_t)r->h.pid);
		if (pe) free(intmap_put(&exe_of_pid, r->child, xstrdup(pe)));
		break;
	}
	case WH_REC_EXEC: {
		const struct wh_rec_task *r = data;
		char p[64];
		snprintf(p, sizeof p, "/proc/%u/exe", r->h.pid);
		char *x = xreadlink(p);
		if (!x) x = xstrdup(r->filename);
		free(intmap_put(&exe_of_pid, r->h.pid, x));
		break;
	}
	case WH_REC_EXIT: {
		const struct wh_rec_task *r = data;
		session_mark_exited(sess, (pid_t)r->h.pid);
		paths_forget_pid((pid_t)r->h.pid);
		break;
	}
	case WH_REC_CAP:
		on_cap(data);
		break;
	}
	return 0;
}

static void sync_counts(bool full) {
	int fd = bpf_map__fd(skel->maps.counts);
	if (full) {
		for (uint32_t i = 0; i <= WH_ABI_COUNT * WH_ABI_SLOTS; i++) {
			if (bpf_map_lookup_elem(fd, &i, percpu_buf) < 0) continue;
			uint64_t total = 0;
			for (int c = 0; c < ncpus; c++) total += percpu_buf[c];
			if (!total) continue;
			struct item *it = intmap_get(&seen_slots, i);
			if (!it && i < WH_ABI_COUNT * WH_ABI_SLOTS) {
				/* its first-sighting record was lost: the count still is not */
				struct origin o = {0};
				it = agg_syscall((enum abi)(i / WH_ABI_SLOTS), (int)(i % WH_ABI_SLOTS), 0, &o);
				intmap_put(&seen_slots, i, it);
			}
			if (it) agg_set_total(it, total);
		}
		return;
	}
	size_t j = 0;
	uint64_t slot;
	void *v;
	while (intmap_next(&seen_slots, &j, &slot, &v)) {
		uint32_t i = (uint32_t)slot;
		if (bpf_map_lookup_elem(fd, &i, percpu_buf) < 0) continue;
		uint64_t total = 0;
		for (int c = 0; c < ncpus; c++) total += percpu_buf[c];
		agg_set_total(v, total);
	}
}

static uint64_t kernel_lost(int which) {
	uint32_t k = (uint32_t)which;
	if (!skel || bpf_map_lookup_elem(bpf_map__fd(skel->maps.lost), &k, percpu_buf) < 0) return 0;
	uint64_t total = 0;
	for (int c = 0; c < ncpus; c++) total += percpu_buf[c];
	return total;
}

/* Repeated checks are counted in the kernel map; bring the items' totals up to date. */
static void cap_counts(void) {
	if (!skel) return;
	int fd = bpf_map__fd(skel->maps.capseen);
	struct wh_cap_key key, next;
	void *prev = NULL;
	char tmp[32];
	while (bpf_map_get_next_key(fd, prev, &next) == 0) {
		uint64_t count;
		if (bpf_map_lookup_elem(fd, &next, &count) == 0) {
			struct item *it = agg_cap(cap_name(next.cap), cap_syscall(&next, tmp, sizeof tmp), !next.denied,
						  next.advisory ? "advisory" : "required", false, 0, NULL);
			agg_set_total(it, count);
		}
		key = next;
		prev = &key;
	}
}

/* io_uring operations of the session per opcode (kernel counters). */
static uint64_t uring_count(uint32_t op) {
	if (!skel || !uring_seen || bpf_map_lookup_elem(bpf_map__fd(skel->maps.uring_ops), &op, percpu_buf) < 0) return 0;
	uint64_t total = 0;
	for (int c = 0; c < ncpus; c++) total += percpu_buf[c];
	return total;
}

/* The io_uring operations whose paths or addresses are not recorded (every one that carries
 * some, but those the recorder sends as syscalls); with names, into b when given. */
static uint64_t uring_unrecorded(struct sbuf *b) {
	uint64_t n = 0;
	/* no ring was used: nothing to look up (this runs at every tick) */
	if (!skel || !skel->bss->uring_used) return 0;
	for (uint32_t op = 0; op < WH_URING_OPS; op++) {
		if (!uring_op_carries(op)) continue;
		if (capture_calls && uring_recorded(op)) continue;
		uint64_t c = uring_count(op);
		if (!c) continue;
		n += c;
		if (b) sbuf_printf(b, "%s%s %" PRIu64, b->len ? ", " : "", uring_op_name(op), c);
	}
	return n;
}

static void report_lost(bool force) {
	struct lost_counter c[] = {
		{"ringBuffer", kernel_lost(WH_LOST_RINGBUF), "records that did not fit in the kernel ring buffer"},
		{"inflightTable", kernel_lost(WH_LOST_INFLIGHT), "calls whose arguments could not be held until they returned"},
		{"unreadableStrings", kernel_lost(WH_LOST_STRING), "path strings that could not be read from the caller's memory"},
		{"deepDirectories", kernel_lost(WH_LOST_DIRDEPTH), "directories deeper than the in-kernel walk (their paths start with /…)"},
		{"ioUringUnrecorded", uring_unrecorded(NULL),
		 "operations submitted through io_uring (not syscalls) whose paths or socket addresses are not recorded: bind, sendmsg, "
		 "xattr calls, … (opens, stat, unlink, mkdir, rename, link, socket and connect are)"},
	};
	learn_emit_lost(c, ARRAY_LEN(c), force);
}

/* At the end: the io_uring operations, named, when some were not recorded. */
static void report_uring(void) {
	struct sbuf b;
	sbuf_init(&b);
	if (uring_unrecorded(&b))
		warnx("the workload submitted operations through io_uring whose paths or addresses whittle does not record (%s): "
		      "review what they reach by hand, or keep io_uring_setup denied",
		      sbuf_cstr(&b));
	sbuf_free(&b);
}

/* Results that never came (a request cancelled, or its completion not posted): unknown. */
static void flush_pending_uring(void) {
	size_t i = 0;
	uint64_t k;
	void *v;
	while (intmap_next(&pending_uring, &i, &k, &v)) {
		classify_call(&((struct pending *)v)->c);
		free_pending(intmap_del(&pending_uring, k));
	}
}

static void on_ringbuf(int fd, uint32_t events, void *ctx) {
	(void)fd, (void)events, (void)ctx;
	ring_buffer__consume(ringbuf);
}

static void tick(void) {
	ring_buffer__consume(ringbuf);
	sync_counts(false);
	cap_counts();
	agg_flush_counts();
	report_lost(false);
	emit_begin("stats");
	emit_u64("processes", sess->processes);
	emit_end();
	learn_flush_or_stop(sess);
}

/* Open, size and load the programs; only_caps keeps just the capability probe. */
static bool denials_mode;
/* Container sessions (probe_set_container). */
static bool container_mode, container_syscall_denials;
static char container_skip_comm[4][16];

void probe_set_container(const char *const *skip_comms, size_t n, bool syscall_denials) {
	container_mode = true;
	container_syscall_denials = syscall_denials;
	memset(container_skip_comm, 0, sizeof container_skip_comm);
	for (size_t i = 0; i < n && i < 4; i++) strncpy(container_skip_comm[i], skip_comms[i], 15);
}

/* ---- io_uring: where each operation keeps its arguments, from the kernel's BTF ---- */

/* The offset of a member of a struct (looking into anonymous unions and structs), and its size. */
static int btf_member(const struct btf *b, int type_id, const char *name, int *size) {
	const struct btf_type *t = btf__type_by_id(b, type_id);
	if (!t || (!btf_is_struct(t) && !btf_is_union(t))) return -1;
	const struct btf_member *m = btf_members(t);
	for (int i = 0; i < btf_vlen(t); i++) {
		const char *n = btf__name_by_offset(b, m[i].name_off);
		int off = (int)(btf_member_bit_offset(t, (uint32_t)i) / 8);
		if (n && !strcmp(n, name)) {
			*size = (int)btf__resolve_size(b, m[i].type);
			return off;
		}
		if (!n || !*n) { /* an anonymous union or struct: its members are this one's */
			int inner = btf_member(b, (int)btf__resolve_type(b, m[i].type), name, size);
			if (inner >= 0) return off + inner;
		}
	}
	return -1;
}

static int btf_struct_member(const struct btf *b, const char *sname, const char *name, int *size) {
	int id = btf__find_by_name_kind(b, sname, BTF_KIND_STRUCT);
	return id < 0 ? -1 : btf_member(b, id, name, size);
}

/* Each operation recorded as its syscall twin: which member goes to which argument. */
static const struct {
	uint32_t op;
	int nr;
	const char *type;
	struct {
		const char *member;
		int extra, size; /* bytes into the member, and its size (0: the member's own) */
		int arg, kind;
	} f[WH_URING_FIELDS];
} uring_layout_spec[] = {
	{18, 257, "io_open", {{"dfd", 0, 0, 0, WH_UF_INT}, {"filename", 0, 0, 1, WH_UF_FILENAME}, {"how", 0, 8, 2, WH_UF_INT}, {"how", 8, 8, 3, WH_UF_INT}}},
	{28, 257, "io_open", {{"dfd", 0, 0, 0, WH_UF_INT}, {"filename", 0, 0, 1, WH_UF_FILENAME}, {"how", 0, 8, 2, WH_UF_INT}, {"how", 8, 8, 3, WH_UF_INT}}},
	{21, 332, "io_statx", {{"dfd", 0, 0, 0, WH_UF_INT}, {"filename", 0, 0, 1, WH_UF_FILENAME}, {"flags", 0, 0, 2, WH_UF_INT}, {"mask", 0, 0, 3, WH_UF_INT}}},
	{36, 263, "io_unlink", {{"dfd", 0, 0, 0, WH_UF_INT}, {"filename", 0, 0, 1, WH_UF_FILENAME}, {"flags", 0, 0, 2, WH_UF_INT}}},
	{37, 258, "io_mkdir", {{"dfd", 0, 0, 0, WH_UF_INT}, {"filename", 0, 0, 1, WH_UF_FILENAME}, {"mode", 0, 0, 2, WH_UF_INT}}},
	{35, 316, "io_rename", {{"old_dfd", 0, 0, 0, WH_UF_INT}, {"oldpath", 0, 0, 1, WH_UF_FILENAME}, {"new_dfd", 0, 0, 2, WH_UF_INT}, {"newpath", 0, 0, 3, WH_UF_FILENAME}, {"flags", 0, 0, 4, WH_UF_INT}}},
	{39, 265, "io_link", {{"old_dfd", 0, 0, 0, WH_UF_INT}, {"oldpath", 0, 0, 1, WH_UF_FILENAME}, {"new_dfd", 0, 0, 2, WH_UF_INT}, {"newpath", 0, 0, 3, WH_UF_FILENAME}, {"flags", 0, 0, 4, WH_UF_INT}}},
	/* symlinkat(target, newdfd, linkpath): io_link with the target in oldpath */
	{38, 266, "io_link", {{"oldpath", 0, 0, 0, WH_UF_FILENAME}, {"new_dfd", 0, 0, 1, WH_UF_INT}, {"newpath", 0, 0, 2, WH_UF_FILENAME}}},
	{45, 41, "io_socket", {{"domain", 0, 0, 0, WH_UF_INT}, {"type", 0, 0, 1, WH_UF_INT}, {"protocol", 0, 0, 2, WH_UF_INT}}},
	{16, 42, "io_connect", {{"addr", 0, 0, 1, WH_UF_UPTR}, {"addr_len", 0, 0, 2, WH_UF_INT}}},
};

/* Fill the layout from the kernel's BTF. Parsing it costs tens of ms, so the result is kept per
 * boot in /run/whittle, as the capability functions' ranges are. False when io_uring's own
 * structures are not there (operations then cannot be followed). */
static bool uring_layout_fill(struct wh_uring_layout *L) {
	memset(L, 0, sizeof *L);
	char key[48], cache[160];
	snprintf(key, sizeof key, "uring-layout-%zu", sizeof *L);
	boot_cache_path(cache, sizeof cache, key);
	if (cache[0]) {
		FILE *f = fopen(cache, "re");
		if (f) {
			bool got = fread(L, sizeof *L, 1, f) == 1;
			fclose(f);
			if (got) return L->ok == 1;
		}
	}
	libbpf_set_print(libbpf_quiet);
	struct btf *b = btf__load_vmlinux_btf();
	if (!b) return false;
	for (uint32_t op = 0; op < WH_URING_OPS; op++) L->op[op].nr = -1;
	int sz, kid = btf__find_by_name_kind(b, "io_kiocb", BTF_KIND_STRUCT);
	int opc = kid < 0 ? -1 : btf_member(b, kid, "opcode", &sz);
	int cmd = kid < 0 ? -1 : btf_member(b, kid, "cmd", &sz);
	int name = btf_struct_member(b, "filename", "name", &sz);
	if (opc >= 0 && cmd >= 0 && name >= 0) {
		L->opcode_off = (uint16_t)opc, L->cmd_off = (uint16_t)cmd, L->name_off = (uint16_t)name, L->ok = 1;
		for (size_t i = 0; i < ARRAY_LEN(uring_layout_spec); i++) {
			struct wh_uring_op o = {.nr = uring_layout_spec[i].nr};
			bool all = true;
			for (int k = 0; k < WH_URING_FIELDS && uring_layout_spec[i].f[k].member; k++) {
				int msz = 0, off = btf_struct_member(b, uring_layout_spec[i].type, uring_layout_spec[i].f[k].member, &msz);
				int size = uring_layout_spec[i].f[k].size ? uring_layout_spec[i].f[k].size : msz;
				if (off < 0 || size <= 0 || size > 8) {
					all = false; /* this kernel's structure differs: the operation is counted, not recorded */
					break;
				}
				o.f[k] = (struct wh_uring_field){.off = (uint16_t)(off + uring_layout_spec[i].f[k].extra), .size = (uint8_t)size,
								 .arg = (uint8_t)uring_layout_spec[i].f[k].arg, .kind = (uint8_t)uring_layout_spec[i].f[k].kind};
			}
			if (all) L->op[uring_layout_spec[i].op] = o;
		}
	}
	btf__free(b);
	FILE *o = L->ok ? boot_cache_create(cache) : NULL;
	if (o) {
		fwrite(L, sizeof *L, 1, o);
		fclose(o);
	}
	return L->ok == 1;
}

/* io_uring's tracepoints (Linux 5.5+, the submission one with its request since 5.18): where
 * they are missing the programs on them stay unloaded, and what goes through a ring is not seen. */
static bool uring_programs(struct learn_bpf *sk, bool want) {
	const char *off = getenv("WHITTLE_BPF_OFF"); /* measurement aid, as in load() */
	bool have = want && !(off && strstr(off, "uring")) && ebpf_uring_available();
	if (have) {
		struct wh_uring_layout L;
		have = uring_layout_fill(&L);
		if (have) memcpy((void *)&sk->rodata->uring_layout, &L, sizeof L);
	}
	if (!have) {
		bpf_program__set_autoload(sk->progs.on_uring_submit, false);
		bpf_program__set_autoload(sk->progs.on_uring_complete, false);
	}
	return have;
}

bool ebpf_uring_available(void) {
	/* tracefs lists the events (a stat, where parsing the kernel's BTF twice cost ~20 ms of
	 * every session's start); without tracefs mounted, the BTF answers */
	static const char *const roots[] = {"/sys/kernel/tracing/events/io_uring", "/sys/kernel/debug/tracing/events/io_uring"};
	for (size_t i = 0; i < ARRAY_LEN(roots); i++) {
		char p[128];
		snprintf(p, sizeof p, "%s/io_uring_submit_req", roots[i]);
		if (access(p, F_OK) == 0) {
			snprintf(p, sizeof p, "%s/io_uring_complete", roots[i]);
			return access(p, F_OK) == 0;
		}
	}
	if (access("/sys/kernel/tracing/events", F_OK) == 0) return false; /* tracefs without io_uring's */
	libbpf_set_print(libbpf_quiet);
	struct btf *v = btf__load_vmlinux_btf();
	if (!v) return false;
	bool have = btf__find_by_name_kind(v, "btf_trace_io_uring_submit_req", BTF_KIND_TYPEDEF) > 0 &&
		    btf__find_by_name_kind(v, "btf_trace_io_uring_complete", BTF_KIND_TYPEDEF) > 0;
	btf__free(v);
	return have;
}

static const char *load(struct session *s, const struct learn_opts *o, bool only_caps) {
	libbpf_set_print(libbpf_quiet);
	if (access("/sys/kernel/btf/vmlinux", R_OK) != 0) return "the kernel has no BTF (/sys/kernel/btf/vmlinux)";
	skel = learn_bpf__open();
	if (!skel) return "opening the eBPF object failed";
	skel->rodata->target_cgid = s->cg.id;
	skel->rodata->record_calls = only_caps ? 0 : 1;
	skel->rodata->denials_only = denials_mode ? 1 : 0;
	if (container_mode) {
		skel->rodata->seccomp_tasks_only = 1;
		skel->rodata->syscall_denials = container_syscall_denials ? 1 : 0;
		memcpy((void *)skel->rodata->skip_comm, container_skip_comm, sizeof container_skip_comm);
	}
	if (o->ringbuf > 0) bpf_map__set_max_entries(skel->maps.rb, (uint32_t)o->ringbuf);
	uint64_t fs[WH_FN_COUNT] = {0}, fe[WH_FN_COUNT] = {0};
	if (capfn_ranges(fs, fe)) {
		for (int i = 0; i < WH_FN_COUNT; i++) skel->rodata->fn_start[i] = fs[i], skel->rodata->fn_end[i] = fe[i];
	} else {
		warnx("cannot read kernel symbols (/proc/kallsyms): every capability check will count as required");
	}
	/* Wake the reader when an eighth of the ring is waiting (1 MiB of the default 8 MiB); the
	 * periodic tick drains the rest. Waking per record is what makes a recorder expensive. */
	uint64_t ring = o->ringbuf > 0 ? (uint64_t)o->ringbuf : (8u << 20);
	skel->rodata->wake_bytes = ring / 8;
	/* Measurement aid (bench/): switch parts of the recorder off to see what each costs. */
	const char *parts_off = getenv("WHITTLE_BPF_OFF");
	if (parts_off && strstr(parts_off, "caps")) bpf_program__set_autoload(skel->progs.on_cap_capable, false);
	if (parts_off && strstr(parts_off, "calls")) skel->rodata->record_calls = 0;
	if (parts_off && strstr(parts_off, "userspace")) drop_records = true;
	uring_seen = uring_programs(skel, !only_caps);
	if (!uring_seen && !only_caps)
		warnx("this kernel has no io_uring tracepoints: what the workload does through io_uring (opening files, …) is not recorded");
	if (only_caps) {
		bpf_program__set_autoload(skel->progs.on_sys_exit, false);
		bpf_program__set_autoload(skel->progs.on_fork, false);
		bpf_program__set_autoload(skel->progs.on_exec, false);
		bpf_program__set_autoload(skel->progs.on_exit, false);
	}
	/* WHITTLE_BPF_STATS=1: the verifier's statistics per program (load time is paid by every
	 * session, so it is worth watching). */
	static char statlog[16][4096];
	if (getenv("WHITTLE_BPF_STATS")) {
		struct bpf_program *pr;
		int i = 0;
		bpf_object__for_each_program(pr, skel->obj) {
			if (i >= 16) break;
			bpf_program__set_log_level(pr, 4);
			bpf_program__set_log_buf(pr, statlog[i++], sizeof statlog[0]);
		}
	}
	int err = learn_bpf__load(skel);
	if (getenv("WHITTLE_BPF_STATS")) {
		struct bpf_program *pr;
		int i = 0;
		bpf_object__for_each_program(pr, skel->obj) {
			if (i >= 16) break;
			fprintf(stderr, "%s: %s\n", bpf_program__name(pr), statlog[i++]);
		}
	}
	if (err) {
		learn_bpf__destroy(skel);
		skel = NULL;
		static char why[256];
		snprintf(why, sizeof why, "loading the eBPF programs failed: %s (set WHITTLE_BPF_DEBUG=1 for the verifier log)", strerror(-err));
		return why;
	}
	if (!only_caps) {
		int fd = bpf_map__fd(skel->maps.specs);
		for (int a = 0; a < ABI_X32; a++) {
			const struct wh_spec *sp = capture_specs((enum abi)a);
			for (uint32_t nr = 0; nr < WH_ABI_SLOTS; nr++) {
				if (!sp[nr].enabled) continue;
				uint32_t idx = (uint32_t)a * WH_ABI_SLOTS + nr;
				bpf_map_update_elem(fd, &idx, &sp[nr], BPF_ANY);
			}
		}
	}
	err = learn_bpf__attach(skel);
	if (err) {
		learn_bpf__destroy(skel);
		skel = NULL;
		static char why[256];
		snprintf(why, sizeof why, "attaching the eBPF programs failed: %s", strerror(-err));
		return why;
	}
	ncpus = libbpf_num_possible_cpus();
	(void)cap_lost_local;
	percpu_buf = xcalloc((size_t)ncpus, sizeof *percpu_buf);
	ringbuf = ring_buffer__new(bpf_map__fd(skel->maps.rb), on_record, NULL, NULL);
	if (!ringbuf) return "creating the ring buffer reader failed";
	loop_add(ring_buffer__epoll_fd(ringbuf), EPOLLIN, on_ringbuf, NULL);
	return NULL;
}

static void wait_for_go(struct session *s, void *ctx) {
	(void)s;
	int *go = ctx;
	char c;
	close(go[1]);
	if (read(go[0], &c, 1) != 1) _exit(EXIT_TRACER_FAILURE);
}

int learn_ebpf(struct session *s, const struct learn_opts *o) {
	sess = s;
	capture_calls = true;
	const char *sim = o->simulate_missing ? o->simulate_missing : "";
	if (strstr(sim, "ebpf"))
		die("use --mechanism seccomp (whittle picks it by itself when --mechanism is not given)",
		    "eBPF is not available on this kernel (simulated)");
	session_prepare(s, "learn");
	const char *why = load(s, o, false);
	if (why && !o->explicit_mechanism) {
		warnx("the in-kernel (eBPF) recorder is unavailable (%s): recording with seccomp RET_LOG instead", why);
		return learn_seccomp(s, o);
	}
	if (why) die("use --mechanism seccomp, or run `whittle doctor` to see what is missing", "%s", why);
	learn_emit_hello("ebpf", o, "cap_capable", true);
	/* The child waits (outside the cgroup) until the recorder knows its pid, so that its own
	 * join and exec bookkeeping is not counted as the workload's. */
	int go[2];
	if (pipe2(go, O_CLOEXEC) < 0) die_errno(NULL, "pipe2");
	session_spawn(s, wait_for_go, go);
	close(go[0]);
	skel->bss->pre_exec_tgid = (uint32_t)s->root;
	if (write(go[1], "g", 1) != 1) die_errno(NULL, "starting the workload");
	close(go[1]);
	learn_emit_started(s);
	session_run(s, 100, tick);
	debug_timing("tree gone");
	/* The ring buffer is written synchronously: everything is there once the tree is gone. */
	ring_buffer__consume(ringbuf);
	debug_timing("ring drained");
	size_t i = 0;
	uint64_t k;
	void *v;
	while (intmap_next(&pending_exec, &i, &k, &v)) {
		classify_call(&((struct pending *)v)->c);
		free_pending(v);
	}
	flush_pending_uring();
	/* Every counted slot announced itself unless a first-sighting record was lost. */
	sync_counts(kernel_lost(WH_LOST_RINGBUF) > 0);
	cap_counts();
	agg_flush_counts();
	report_lost(true);
	report_uring();
	session_emit_exit(s);
	debug_timing("exit sent");
	ring_buffer__free(ringbuf);
	learn_bpf__destroy(skel);
	skel = NULL;
	return session_exit_code(s);
}

bool capprobe_start(struct session *s, const struct learn_opts *o) {
	sess = s;
	const char *sim = o->simulate_missing ? o->simulate_missing : "";
	if (!o->cap_probe || strstr(sim, "ebpf")) return false;
	const char *why = load(s, o, true);
	if (why) {
		warnx("capability probe unavailable (%s): capabilities will be inferred from syscalls", why);
		return false;
	}
	return true;
}

void capprobe_poll(void) {
	if (ringbuf) ring_buffer__consume(ringbuf);
	cap_counts();
}

uint64_t capprobe_lost(void) { return skel ? kernel_lost(WH_LOST_RINGBUF) : 0; }

const char *denial_probe_start(struct session *s, const struct learn_opts *o) {
	sess = s;
	const char *sim = o->simulate_missing ? o->simulate_missing : "";
	if (strstr(sim, "ebpf")) return "eBPF is not available (simulated)";
	denials_mode = true;
	capture_denials_only = true;
	capture_calls = true; /* opens through io_uring are followed too */
	return load(s, o, false);
}

void denial_probe_set_pre_exec(pid_t pid) {
	if (skel) skel->bss->pre_exec_tgid = (uint32_t)pid;
}

void denial_probe_poll(void) {
	if (ringbuf) ring_buffer__consume(ringbuf);
	if (skel && container_syscall_denials) sync_counts(false);
}

/* The probe's last figures, kept when it stops: the session's final report comes after. */
static uint64_t final_lost, final_uring;

uint64_t denial_probe_lost(void) { return skel ? kernel_lost(WH_LOST_RINGBUF) + kernel_lost(WH_LOST_STRING) : final_lost; }

uint64_t denial_probe_uring_unrecorded(void) { return skel ? uring_unrecorded(NULL) : final_uring; }

void denial_probe_stop(void) {
	if (ringbuf) ring_buffer__consume(ringbuf);
	flush_pending_uring();
	final_lost = denial_probe_lost();
	final_uring = denial_probe_uring_unrecorded();
	if (ringbuf) ring_buffer__free(ringbuf);
	ringbuf = NULL;
	if (skel) learn_bpf__destroy(skel);
	skel = NULL;
}

#else /* built without eBPF */

static void wait_for_go(struct session *s, void *ctx) {
	(void)s;
	int *go = ctx;
	char c;
	close(go[1]);
	if (read(go[0], &c, 1) != 1) _exit(EXIT_TRACER_FAILURE);
}

int learn_ebpf(struct session *s, const struct learn_opts *o) {
	(void)s, (void)o;
	die("install clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev and rebuild (npm run build), or use --mechanism seccomp",
	    "this whittle-tracer was built without the eBPF recorder");
}
bool capprobe_start(struct session *s, const struct learn_opts *o) {
	(void)s, (void)o;
	return false;
}
void capprobe_poll(void) {}
uint64_t capprobe_lost(void) { return 0; }
const char *denial_probe_start(struct session *s, const struct learn_opts *o) {
	(void)s, (void)o;
	return "this whittle-tracer was built without the eBPF recorder";
}
void denial_probe_set_pre_exec(pid_t pid) { (void)pid; }
void probe_set_container(const char *const *skip_comms, size_t n, bool syscall_denials) { (void)skip_comms, (void)n, (void)syscall_denials; }
void denial_probe_poll(void) {}
uint64_t denial_probe_lost(void) { return 0; }
uint64_t denial_probe_uring_unrecorded(void) { return 0; }
void denial_probe_stop(void) {}

#endif

#ifdef WHITTLE_HAVE_BPF
const char *ebpf_selftest(double *ms) {
	uint64_t t0 = now_ns();
	libbpf_set_print(libbpf_quiet);
	if (access("/sys/kernel/btf/vmlinux", R_OK) != 0) return "the kernel has no BTF (/sys/kernel/btf/vmlinux)";
	struct learn_bpf *sk = learn_bpf__open();
	if (!sk) return "opening the eBPF object failed";
	uring_programs(sk, true);
	int err = learn_bpf__load(sk);
	static char why[256];
	if (err) {
		snprintf(why, sizeof why, "loading the eBPF programs failed: %s", strerror(-err));
		learn_bpf__destroy(sk);
		return why;
	}
	err = learn_bpf__attach(sk);
	learn_bpf__destroy(sk);
	if (err) {
		snprintf(why, sizeof why, "attaching the eBPF programs failed: %s", strerror(-err));
		return why;
	}
	*ms = (double)(now_ns() - t0) / 1e6;
	return NULL;
}
#endif
