// SPDX-License-Identifier: GPL-2.0
/* learn.bpf.c — whittle's in-kernel recorder. Counts every syscall of the session's cgroup in
 * per-CPU counters, captures the arguments (paths, sockaddrs, flags) and results of the
 * argument-carrying calls at sys_exit, follows the process tree, and records capability checks.
 * Records go to user space through one ring buffer whose reader is woken only in batches. */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "../src/shared.h"

char LICENSE[] SEC("license") = "GPL";

#define TS_COMPAT 0x0002
#define AT_FDCWD -100
#define X32_BIT 0x40000000
#define SLOTS (WH_ABI_COUNT * WH_ABI_SLOTS)
#define OVERFLOW_SLOT SLOTS
#define DIR_DEPTH 64
#define NAME_MAX_BPF 256

/* Set by user space before load. */
const volatile __u64 target_cgid = 0;
const volatile __u64 wake_bytes = 1 << 20; /* wake the reader when this much is waiting */
const volatile __u8 record_calls = 1;      /* 0: only counts, tree and capabilities */
/* enforce: only calls that failed with EACCES, EPERM, EAFNOSUPPORT or (path calls) ENOENT or EXDEV, and refused
 * capabilities; no counts */
const volatile __u8 denials_only = 0;
/* Set when the workload creates cgroups below its own. */
__u8 has_subcgroups = 0;
/* Container sessions (whittle-tracer container): the session's cgroup also holds the runtime
 * that starts the container (runc, crun, podman and conmon). Only tasks under a seccomp filter
 * (the container's: the runtime installs it there) are the container's, and not while the
 * runtime itself still runs in them after installing it (its comm, e.g. "runc:[2:INIT]"). */
const volatile __u8 seccomp_tasks_only = 0;
const volatile char skip_comm[4][16] = {};
/* enforce in a container: also send a first sighting of every syscall that failed (a seccomp
 * ERRNO answer is one: runc 1.1.5 cannot ask the kernel to log them, and a logged answer can
 * stall the container behind a full audit backlog); user space knows which calls the filter
 * refuses, so it tells the filter's answers from the kernel's */
const volatile __u8 syscall_denials = 0;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 << 20);
} rb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SLOTS + 1);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SLOTS + 1);
	__type(key, __u32);
	__type(value, __u32);
} seen SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SLOTS);
	__type(key, __u32);
	__type(value, struct wh_spec);
} specs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, WH_LOST_COUNT);
	__type(key, __u32);
	__type(value, __u64);
} lost SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u64);
	__type(value, __u8);
} subcgroups SEC(".maps");

/* A captured call's number, ABI and arguments. At sys_exit they are read back from the saved
 * user registers (the syscall ABI preserves them; orig_ax keeps the number), so no per-call
 * map entry is needed between entry and exit. */
struct inflight {
	__u64 args[6];
	__s32 nr;
	__u32 abi;
};

/* An io_uring operation as the x86_64 syscall that does the same: its arguments, and for each
 * string argument the kernel's copy of it (struct filename's name), not a user pointer. */
struct uring_call {
	__u64 args[6];
	__u64 kname[6];
	__u64 req; /* the request: its result comes at completion */
	__s32 nr;
	__u32 op;  /* its io_uring opcode (user space names the item by it) */
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, __u8);
} dirs_known SEC(".maps");

/* io_uring operations of the session, per opcode (they are not syscalls: counted here). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, WH_URING_OPS);
	__type(key, __u32);
	__type(value, __u64);
} uring_ops SEC(".maps");

/* io_uring opens whose result is still to come (request address → 1). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, __u8);
} uring_pending SEC(".maps");

/* Address ranges of the functions in enum wh_capfn (from kallsyms, set before load). */
const volatile __u64 fn_start[WH_FN_COUNT] = {};
const volatile __u64 fn_end[WH_FN_COUNT] = {};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct wh_cap_key);
	__type(value, __u64);
} capseen SEC(".maps");

/* Per-CPU scratch: a call record with its strings, and a directory record. */
#define CALL_STR_AREA 16384
#define CALL_SCRATCH (sizeof(struct wh_rec_call) + CALL_STR_AREA + WH_STR_MAX + WH_BUF_MAX)
struct call_scratch {
	struct wh_rec_call rec;
	char data[CALL_STR_AREA + WH_STR_MAX + WH_BUF_MAX];
};
#define DIR_AREA 8192
struct dir_scratch {
	struct wh_rec_dir rec;
	char data[DIR_AREA + NAME_MAX_BPF];
};
struct scratch {
	struct call_scratch call;
	struct dir_scratch dir;
	__u64 ips[8];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} scratch SEC(".maps");

static __always_inline void count_lost(__u32 what) {
	__u64 *v = bpf_map_lookup_elem(&lost, &what);
	if (v) (*v)++;
}

static __always_inline bool container_task(void) {
	struct task_struct *t = bpf_get_current_task_btf();
	if (t->seccomp.mode != 2 /* SECCOMP_MODE_FILTER */) return false;
	char comm[16];
	bpf_get_current_comm(comm, sizeof comm);
	for (int i = 0; i < 4; i++) {
		if (!skip_comm[i][0]) break;
		bool same = true;
		for (int k = 0; k < 16; k++) {
			char want = skip_comm[i][k];
			if (!want) break;
			if (comm[k] != want) {
				same = false;
				break;
			}
		}
		if (same) return false;
	}
	return true;
}

static __always_inline bool in_session(void) {
	__u64 id = bpf_get_current_cgroup_id();
	if (id != target_cgid && (!has_subcgroups || !bpf_map_lookup_elem(&subcgroups, &id))) return false;
	return !seccomp_tasks_only || container_task();
}

static __always_inline __u64 wake_flag(void) {
	return bpf_ringbuf_query(&rb, BPF_RB_AVAIL_DATA) >= wake_bytes ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
}

static __always_inline void fill_hdr(struct wh_rec_hdr *h, __u32 type, __u32 size) {
	__u64 pt = bpf_get_current_pid_tgid();
	h->type = type;
	h->size = size;
	h->pid = pt >> 32;
	h->tid = (__u32)pt;
	h->ts = bpf_ktime_get_ns();
}

/* Hot path (every syscall): the task and the registers are BTF pointers, so plain loads work
 * and cost far less than probe-read helper calls. */
static __always_inline __u32 current_abi(struct task_struct *t) {
	__u32 status = t->thread_info.status;
	return (status & TS_COMPAT) ? 1 : 0;
}

static __always_inline void read_args(struct pt_regs *regs, __u32 abi, __u64 *a) {
	if (abi == 1) {
		a[0] = (__u32)regs->bx;
		a[1] = (__u32)regs->cx;
		a[2] = (__u32)regs->dx;
		a[3] = (__u32)regs->si;
		a[4] = (__u32)regs->di;
		a[5] = (__u32)regs->bp;
	} else {
		a[0] = regs->di;
		a[1] = regs->si;
		a[2] = regs->dx;
		a[3] = regs->r10;
		a[4] = regs->r8;
		a[5] = regs->r9;
	}
}

struct walk {
	struct dentry *d, *root;
	struct vfsmount *vm, *rootmnt;
	struct mount *mnt;
	struct scratch *s;
	__u32 off, ncomp;
	__u8 reached, failed;
};

/* One step up the tree: a name, or a hop from a mount's root to where it is mounted. */
static long walk_step(__u64 i, struct walk *w) {
	/* Copy the fields out first: CO-RE relocations apply to kernel types, not to struct walk. */
	struct dentry *d = w->d;
	struct vfsmount *vm = w->vm;
	struct mount *mnt = w->mnt;
	if (d == w->root && vm == w->rootmnt) {
		w->reached = 1;
		return 1;
	}
	struct dentry *mnt_root = BPF_CORE_READ(vm, mnt_root);
	struct dentry *parent = BPF_CORE_READ(d, d_parent);
	if (d == mnt_root || d == parent) {
		struct mount *pm = BPF_CORE_READ(mnt, mnt_parent);
		if (pm == mnt) {
			w->reached = 1; /* the top of the namespace */
			return 1;
		}
		w->d = BPF_CORE_READ(mnt, mnt_mountpoint);
		w->mnt = pm;
		w->vm = &pm->mnt;
		return 0;
	}
	const unsigned char *name = BPF_CORE_READ(d, d_name.name);
	__u32 off = w->off;
	if (off > DIR_AREA - 1) {
		w->failed = 1;
		return 1;
	}
	struct scratch *s = w->s;
	long n = bpf_probe_read_kernel_str(&s->dir.data[off & (DIR_AREA - 1)], NAME_MAX_BPF, name);
	if (n <= 0) {
		w->failed = 1;
		return 1;
	}
	w->off = off + n;
	w->ncomp++;
	w->d = parent;
	return 0;
}

/* The next three are global functions: the verifier checks each once, not once per call site,
 * which is what keeps loading the recorder fast (it is paid at the start of every session).
 * Their kernel pointers travel as plain numbers and are read with CO-RE probe reads. */

/* Emit the path of a directory (leaf first) unless user space already has it. */
__noinline __u64 dir_key_and_emit(__u64 dentry_addr, __u64 vfsmount_addr) {
	struct dentry *d = (struct dentry *)dentry_addr;
	struct vfsmount *vm = (struct vfsmount *)vfsmount_addr;
	__u32 zero = 0;
	struct scratch *s = bpf_map_lookup_elem(&scratch, &zero);
	struct task_struct *t = bpf_get_current_task_btf();
	if (!d || !vm || !s) return 0;
	__u64 key = ((__u64)d) ^ (((__u64)vm) << 7) ^ ((__u64)BPF_CORE_READ(d, d_inode, i_ino) << 17);
	if (!key) key = 1;
	if (bpf_map_lookup_elem(&dirs_known, &key)) return key;

	struct walk w = {
		.d = d,
		.vm = vm,
		.mnt = container_of(vm, struct mount, mnt),
		.root = BPF_CORE_READ(t, fs, root.dentry),
		.rootmnt = BPF_CORE_READ(t, fs, root.mnt),
		.s = s,
	};
	bpf_loop(DIR_DEPTH, walk_step, &w, 0);
	if (!w.reached) count_lost(WH_LOST_DIRDEPTH);
	__u32 off = w.off & (DIR_AREA - 1);
	s->dir.rec.dirkey = key;
	s->dir.rec.len = off;
	s->dir.rec.ncomp = w.reached ? w.ncomp : (w.ncomp | 0x80000000u);
	__u32 size = sizeof(struct wh_rec_dir) + off;
	fill_hdr(&s->dir.rec.h, WH_REC_DIR, size);
	if (size > sizeof(struct dir_scratch)) return 0;
	if (bpf_ringbuf_output(&rb, &s->dir, size, wake_flag()) < 0) {
		count_lost(WH_LOST_RINGBUF);
		return 0;
	}
	__u8 one = 1;
	bpf_map_update_elem(&dirs_known, &key, &one, BPF_ANY);
	return key;
}

__noinline __u64 base_dir(int dfd) {
	struct task_struct *t = bpf_get_current_task_btf();
	if (dfd == AT_FDCWD) {
		struct dentry *d = BPF_CORE_READ(t, fs, pwd.dentry);
		struct vfsmount *vm = BPF_CORE_READ(t, fs, pwd.mnt);
		return dir_key_and_emit((__u64)d, (__u64)vm);
	}
	if (dfd < 0) return 0;
	struct fdtable *fdt = BPF_CORE_READ(t, files, fdt);
	unsigned int max = BPF_CORE_READ(fdt, max_fds);
	if ((unsigned int)dfd >= max) return 0;
	struct file **fds = BPF_CORE_READ(fdt, fd);
	struct file *f = NULL;
	bpf_probe_read_kernel(&f, sizeof f, &fds[dfd]);
	if (!f) return 0;
	struct dentry *d = BPF_CORE_READ(f, f_path.dentry);
	struct vfsmount *vm = BPF_CORE_READ(f, f_path.mnt);
	return dir_key_and_emit((__u64)d, (__u64)vm);
}

/* Send the CALL record in the scratch area, with off bytes of strings and buffer after it. */
static __always_inline int output_call(struct scratch *s, __u32 off) {
	__u32 size = sizeof(struct wh_rec_call) + (off & (CALL_STR_AREA * 2 - 1));
	fill_hdr(&s->call.rec.h, WH_REC_CALL, size);
	if (size > sizeof(struct call_scratch)) return 0;
	if (bpf_ringbuf_output(&rb, &s->call, size, wake_flag()) < 0) {
		count_lost(WH_LOST_RINGBUF);
		return 0;
	}
	return 1;
}

/* Build and send a CALL record from the saved arguments; 1 when it was sent. */
__noinline int send_call(struct inflight *inf, int has_ret, long ret) {
	__u32 zero = 0;
	if (!inf) return 0;
	struct scratch *s = bpf_map_lookup_elem(&scratch, &zero);
	if (!s) return 0;
	__u32 idx = inf->abi * WH_ABI_SLOTS + (__u32)inf->nr;
	if (idx >= SLOTS) return 0;
	struct wh_spec *sp = bpf_map_lookup_elem(&specs, &idx);
	if (!sp) return 0;
	struct wh_rec_call *r = &s->call.rec;
	r->abi = inf->abi;
	r->nr = inf->nr;
	r->ret = ret;
	r->has_ret = has_ret;
	r->ureq = 0;
	r->pad[1] = 0;
	for (int i = 0; i < 6; i++) r->args[i] = inf->args[i];
	bpf_get_current_comm(r->comm, sizeof r->comm);
	__u32 off = 0;
	for (int k = 0; k < WH_NSTR; k++) {
		r->len[k] = 0;
		r->dirkey[k] = 0;
		__u8 a = sp->str[k];
		if (a >= 6) continue;
		__u64 ptr = inf->args[a & 7];
		if (off > CALL_STR_AREA - 1) break;
		char *dst = &s->call.data[off & (CALL_STR_AREA - 1)];
		long n = ptr ? bpf_probe_read_user_str(dst, WH_STR_MAX, (const void *)ptr) : -1;
		if (k == 0 && sp->skip_empty && n <= 1) return 0; /* fstat()-like: an fd operation */
		if (n <= 0) {
			r->len[k] = 0xffff;
			if (ptr) count_lost(WH_LOST_STRING);
			continue;
		}
		r->len[k] = (__u16)(n - 1);
		if (dst[0] != '/' && n > 1) {
			__u8 da = sp->dfd[k];
			int dfd = da < 6 ? (int)inf->args[da & 7] : AT_FDCWD;
			r->dirkey[k] = base_dir(dfd);
		}
		off += n;
	}
	/* execve: argv[0] goes into the last string slot */
	if (sp->bufkind == WH_BUF_ARGV0 && sp->buf < 6 && off <= CALL_STR_AREA - 1) {
		__u64 argv = inf->args[sp->buf & 7], p0 = 0;
		if (inf->abi == 1) {
			__u32 p32 = 0;
			bpf_probe_read_user(&p32, 4, (const void *)argv);
			p0 = p32;
		} else {
			bpf_probe_read_user(&p0, 8, (const void *)argv);
		}
		char *dst = &s->call.data[off & (CALL_STR_AREA - 1)];
		long n = p0 ? bpf_probe_read_user_str(dst, WH_STR_MAX, (const void *)p0) : -1;
		if (n > 0) {
			r->len[1] = (__u16)(n - 1);
			off += n;
		} else {
			r->len[1] = 0xffff;
		}
	}
	r->buflen = 0;
	if (sp->buf < 6 && sp->bufkind != WH_BUF_ARGV0 && off <= CALL_STR_AREA - 1) {
		__u64 addr = inf->args[sp->buf & 7];
		__u32 len = 0;
		if (sp->bufkind == WH_BUF_SOCKADDR) {
			len = sp->buflen < 6 ? (__u32)inf->args[sp->buflen & 7] : 0;
		} else if (sp->bufkind == WH_BUF_MSGHDR) {
			if (inf->abi == 1) {
				__u32 h[2] = {};
				bpf_probe_read_user(h, sizeof h, (const void *)addr);
				addr = h[0];
				len = h[1];
			} else {
				__u64 h[2] = {};
				bpf_probe_read_user(h, sizeof h, (const void *)addr);
				addr = h[0];
				len = (__u32)h[1];
			}
		} else {
			len = 8;
		}
		if (len > WH_BUF_MAX) len = WH_BUF_MAX;
		if (addr && len) {
			char *dst = &s->call.data[off & (CALL_STR_AREA - 1)];
			if (bpf_probe_read_user(dst, len & (WH_BUF_MAX - 1 + WH_BUF_MAX), (const void *)addr) == 0) {
				r->buflen = (__u16)len;
				off += len;
			}
		}
	}
	return output_call(s, off);
}

/* The session's root process between fork and exec (set by user space): what the tracer's
 * child does before its exec is not the workload's. */
__u32 pre_exec_tgid = 0;

/* Count one syscall; the first of its kind also sends who made it. */
static __always_inline void count_syscall(__u32 abi, __u32 nr) {
	__u32 idx = nr < WH_ABI_SLOTS ? abi * WH_ABI_SLOTS + nr : OVERFLOW_SLOT;
	if (idx > OVERFLOW_SLOT) idx = OVERFLOW_SLOT;
	__u64 *c = bpf_map_lookup_elem(&counts, &idx);
	if (c) (*c)++;
	__u32 *sn = bpf_map_lookup_elem(&seen, &idx);
	if (sn && !*sn) {
		*sn = 1;
		struct wh_rec_first *f = bpf_ringbuf_reserve(&rb, sizeof *f, 0);
		if (f) {
			fill_hdr(&f->h, WH_REC_FIRST, sizeof *f);
			f->abi = abi;
			f->nr = (__s32)nr;
			bpf_get_current_comm(f->comm, sizeof f->comm);
			bpf_ringbuf_submit(f, wake_flag());
		} else {
			count_lost(WH_LOST_RINGBUF);
			*sn = 0; /* try again next time */
		}
	}
}

#define NR_CLONE 56
#define NR_FORK 57
#define NR_VFORK 58
#define NR_CLONE3 435
#define NR32_FORK 2
#define NR32_CLONE 120
#define NR32_VFORK 190
#define NR_EXECVE 59
#define NR_EXECVEAT 322
#define NR32_EXECVE 11
#define NR32_EXECVEAT 358
#define NRX32_EXECVE 520
#define NRX32_EXECVEAT 545

static __always_inline bool is_exec(__u32 abi, __u32 nr) {
	if (abi == 0) return nr == NR_EXECVE || nr == NR_EXECVEAT;
	if (abi == 1) return nr == NR32_EXECVE || nr == NR32_EXECVEAT;
	return nr == NRX32_EXECVE || nr == NRX32_EXECVEAT;
}

/* Every syscall is counted where it returns: one program per syscall instead of two (entry
 * and exit) halves what recording costs on syscall-heavy work. The calls that never return
 * (exit, exit_group) are counted when the task exits; a new process's or thread's return from
 * clone/fork (result 0) is not a call of its own. */
SEC("tp_btf/sys_exit")
int BPF_PROG(on_sys_exit, struct pt_regs *regs, long ret) {
	/* enforce: nearly every call succeeds; look at the result before anything else */
	if (denials_only && ret != -13 && ret != -1 && ret != -97 && ret != -2 && ret != -18) return 0;
	if (!in_session()) return 0;
	if (pre_exec_tgid && (bpf_get_current_pid_tgid() >> 32) == pre_exec_tgid) return 0;
	struct task_struct *t = bpf_get_current_task_btf();
	__u32 abi = current_abi(t);
	__s64 orig = (__s64)regs->orig_ax;
	/* rt_sigreturn restores the registers it returns with, orig_ax included, which it sets to
	 * -1. On i386, sigreturn does the same; the two cannot be told apart here (user space
	 * lists both, and says so). */
	__u32 nr = orig == -1 ? (abi == 1 ? 173 : 15) : (__u32)orig;
	if (abi == 0 && (nr & X32_BIT)) {
		abi = 2;
		nr &= ~X32_BIT;
	}
	if (denials_only) {
		if (syscall_denials && ret < 0 && ret >= -4095) count_syscall(abi, nr);
		/* EAFNOSUPPORT too: the family a socket() was refused, which the kernel record lacks;
		 * ENOENT of a path call: a path the sandbox's view left out looks absent (user space
		 * keeps only the names that exist outside the sandbox); EXDEV of a rename or link: two
		 * mounts of the view, or Landlock (user space keeps it when both names are on one
		 * filesystem) */
		if (ret != -13 /* EACCES */ && ret != -1 /* EPERM */ && ret != -97 /* EAFNOSUPPORT */ && ret != -2 /* ENOENT */ && ret != -18 /* EXDEV */)
			return 0;
	} else if (ret == 0) {
		if (abi == 0 && (nr == NR_CLONE || nr == NR_FORK || nr == NR_VFORK || nr == NR_CLONE3)) return 0;
		if (abi == 1 && (nr == NR32_CLONE || nr == NR32_FORK || nr == NR32_VFORK || nr == NR_CLONE3)) return 0;
		/* a successful exec was counted at sched_process_exec: by now the kernel reports
		 * every exec as execve, execveat too */
		if (is_exec(abi, nr)) return 0;
	}
	if (!denials_only) count_syscall(abi, nr);
	if (!record_calls || abi == 2 || nr >= WH_ABI_SLOTS) return 0;
	__u32 idx = abi * WH_ABI_SLOTS + nr;
	struct wh_spec *sp = bpf_map_lookup_elem(&specs, &idx);
	if (!sp || !sp->enabled) return 0;
	/* A successful exec is recorded at sched_process_exec (the arguments' memory is gone by
	 * now); a failed one still has them, in the old image. */
	if (sp->at_entry && ret == 0) return 0;
	struct inflight inf = {.nr = (__s32)nr, .abi = abi};
	read_args(regs, abi, inf.args);
	send_call(&inf, true, ret);
	return 0;
}

/* Set when the session submitted an io_uring operation (user space reads it from the mapped
 * .bss before looking the per-opcode counters up). */
__u8 uring_used = 0;

/* Where io_uring keeps each operation's arguments (set by user space before load). */
const volatile struct wh_uring_layout uring_layout = {};

/* An io_uring operation as the syscall that does the same (openat, statx, unlinkat, mkdirat,
 * renameat2, linkat, symlinkat, socket, connect): its arguments read from the request's command
 * area where uring_layout says, paths from the kernel's copy (prep ran before this event); 0
 * when the operation carries nothing a syscall item records. */
static __always_inline int uring_as_call(void *req, __u32 op, struct uring_call *u) {
	if (!uring_layout.ok || op >= WH_URING_OPS) return 0;
	__s32 nr = uring_layout.op[op].nr;
	if (nr < 0) return 0;
	u->nr = nr;
	const char *cmd = (const char *)req + uring_layout.cmd_off;
	for (int i = 0; i < WH_URING_FIELDS; i++) {
		__u8 kind = uring_layout.op[op].f[i].kind, size = uring_layout.op[op].f[i].size, arg = uring_layout.op[op].f[i].arg;
		if (kind == WH_UF_NONE || arg >= 6 || size == 0 || size > 8) continue;
		__u64 v = 0;
		bpf_probe_read_kernel(&v, size & 15, cmd + uring_layout.op[op].f[i].off);
		if (kind == WH_UF_INT && size == 4) v = (__u64)(__s64)(__s32)v;
		if (kind == WH_UF_INT && size == 2) v = (__u64)(__s64)(__s16)v;
		if (kind == WH_UF_FILENAME) {
			__u64 name = 0;
			if (v) bpf_probe_read_kernel(&name, sizeof name, (const char *)v + uring_layout.name_off);
			u->kname[arg & 7] = name;
		} else {
			u->args[arg & 7] = v;
		}
	}
	return 1;
}

/* Send an io_uring operation as a CALL record of its syscall, result to come (RET with the same
 * ureq). Its own small sender, and a global function (checked once, not once per operation
 * kind): sharing send_call would have the verifier check that big function once more, for this
 * program, at the start of every session. 1 when sent. */
__noinline int send_uring(struct uring_call *u) {
	__u32 zero = 0;
	if (!u) return 0;
	struct scratch *s = bpf_map_lookup_elem(&scratch, &zero);
	if (!s) return 0;
	__u32 idx = (__u32)u->nr;
	if (idx >= WH_ABI_SLOTS) return 0;
	struct wh_spec *sp = bpf_map_lookup_elem(&specs, &idx);
	if (!sp) return 0;
	struct wh_rec_call *r = &s->call.rec;
	r->abi = 0;
	r->nr = u->nr;
	r->ret = 0;
	r->has_ret = 0;
	r->ureq = u->req;
	r->pad[0] = (__u8)u->op;
	r->pad[1] = 0;
	r->buflen = 0;
	for (int i = 0; i < 6; i++) r->args[i] = u->args[i];
	bpf_get_current_comm(r->comm, sizeof r->comm);
	__u32 off = 0;
	for (int k = 0; k < 2; k++) {
		r->len[k] = 0xffff;
		r->dirkey[k] = 0;
		__u8 a = sp->str[k];
		if (a >= 6) continue;
		__u64 kptr = u->kname[a & 7];
		char *dst = &s->call.data[off & (WH_STR_MAX * 2 - 1)];
		long n = kptr ? bpf_probe_read_kernel_str(dst, WH_STR_MAX, (const void *)kptr) : -1;
		if (n <= 0) {
			count_lost(WH_LOST_STRING);
			continue;
		}
		r->len[k] = (__u16)(n - 1);
		if (dst[0] != '/' && n > 1) {
			__u8 da = sp->dfd[k];
			r->dirkey[k] = base_dir(da < 6 ? (int)u->args[da & 7] : AT_FDCWD);
		}
		off += n;
	}
	r->len[2] = 0xffff;
	r->dirkey[2] = 0;
	/* connect: the address, still in the submitter's memory */
	if (sp->bufkind == WH_BUF_SOCKADDR && sp->buf < 6 && sp->buflen < 6) {
		__u64 addr = u->args[sp->buf & 7];
		__u32 len = (__u32)u->args[sp->buflen & 7];
		if (len > WH_BUF_MAX) len = WH_BUF_MAX;
		char *dst = &s->call.data[off & (WH_STR_MAX * 2 - 1)];
		if (addr && len && bpf_probe_read_user(dst, len & (WH_BUF_MAX * 2 - 1), (const void *)addr) == 0) {
			r->buflen = (__u16)len;
			off += len;
		}
	}
	return output_call(s, off);
}

/* Every io_uring operation of the session, counted by opcode where it is submitted (after the
 * kernel read it from the ring: also for a submission thread, which is the workload's own);
 * those a syscall item would record are sent as that syscall, their result at completion. */
SEC("tp_btf/io_uring_submit_req")
int BPF_PROG(on_uring_submit, void *req) {
	if (!in_session() || !uring_layout.ok) return 0;
	__u8 opb = 0;
	bpf_probe_read_kernel(&opb, 1, (const char *)req + uring_layout.opcode_off);
	__u32 op = opb;
	__u32 slot = op < WH_URING_OPS ? op : WH_URING_OPS - 1;
	__u64 *c = bpf_map_lookup_elem(&uring_ops, &slot);
	if (c) (*c)++;
	uring_used = 1;
	if (!record_calls) return 0;
	struct uring_call u = {.req = (__u64)req, .op = op};
	if (!uring_as_call(req, op, &u)) return 0;
	if (!send_uring(&u)) return 0;
	__u64 key = (__u64)req;
	__u8 one = 1;
	bpf_map_update_elem(&uring_pending, &key, &one, BPF_ANY);
	return 0;
}

/* The result of an io_uring operation sent above. */
SEC("tp_btf/io_uring_complete")
int BPF_PROG(on_uring_complete, void *ring, void *req, void *cqe) {
	__u64 key = (__u64)req;
	if (!bpf_map_lookup_elem(&uring_pending, &key)) return 0;
	bpf_map_delete_elem(&uring_pending, &key);
	struct wh_rec_call *r = bpf_ringbuf_reserve(&rb, sizeof *r, 0);
	if (!r) {
		count_lost(WH_LOST_RINGBUF);
		return 0;
	}
	__builtin_memset(r, 0, sizeof *r);
	fill_hdr(&r->h, WH_REC_RET, sizeof *r);
	r->ureq = key;
	__s32 res = 0;
	bpf_probe_read_kernel(&res, sizeof res, (const char *)cqe + 8); /* io_uring_cqe.res: the uapi's layout */
	r->ret = res;
	r->has_ret = 1;
	bpf_ringbuf_submit(r, wake_flag());
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(on_fork, struct task_struct *parent, struct task_struct *child) {
	if (!in_session()) return 0;
	__u32 pid = BPF_CORE_READ(child, pid), tgid = BPF_CORE_READ(child, tgid);
	if (pid != tgid) return 0; /* a thread */
	struct wh_rec_task *r = bpf_ringbuf_reserve(&rb, sizeof *r, 0);
	if (!r) {
		count_lost(WH_LOST_RINGBUF);
		return 0;
	}
	fill_hdr(&r->h, WH_REC_FORK, sizeof *r);
	r->child = tgid;
	bpf_get_current_comm(r->comm, sizeof r->comm);
	bpf_ringbuf_submit(r, wake_flag());
	return 0;
}

/* The exec that succeeded, as a CALL record: the path the kernel was given (and the cwd it is
 * relative to), argv[0] from the new image's argument area, result 0. */
static __always_inline void send_exec(struct task_struct *t, struct linux_binprm *bprm) {
	__u32 zero = 0;
	struct scratch *s = bpf_map_lookup_elem(&scratch, &zero);
	if (!s) return;
	struct wh_rec_call *r = &s->call.rec;
	__u32 abi = current_abi(t);
	r->abi = abi;
	r->nr = abi == 1 ? 11 : 59; /* execve on i386 / x86_64 */
	r->ret = 0;
	r->has_ret = 1;
	r->ureq = 0;
	r->buflen = 0;
	for (int i = 0; i < 6; i++) r->args[i] = 0;
	for (int k = 0; k < WH_NSTR; k++) r->len[k] = 0, r->dirkey[k] = 0;
	bpf_get_current_comm(r->comm, sizeof r->comm);
	const char *fn = BPF_CORE_READ(bprm, filename);
	long n = bpf_probe_read_kernel_str(s->call.data, WH_STR_MAX, fn);
	if (n <= 0) {
		count_lost(WH_LOST_STRING);
		return;
	}
	char *d = s->call.data;
	if (n > 8 && d[0] == '/' && d[1] == 'd' && d[2] == 'e' && d[3] == 'v' && d[4] == '/' && d[5] == 'f' && d[6] == 'd' && d[7] == '/') {
		/* fexecve (execveat of an fd): the kernel names it /dev/fd/N; the program is the file
		 * itself, named here by its directory and its name */
		struct dentry *de = BPF_CORE_READ(bprm, file, f_path.dentry);
		struct vfsmount *vm = BPF_CORE_READ(bprm, file, f_path.mnt);
		long m = de ? bpf_probe_read_kernel_str(d, NAME_MAX_BPF, BPF_CORE_READ(de, d_name.name)) : -1;
		if (m > 1) {
			n = m;
			r->dirkey[0] = dir_key_and_emit((__u64)BPF_CORE_READ(de, d_parent), (__u64)vm);
		}
	}
	r->len[0] = (__u16)(n - 1);
	if (d[0] != '/' && !r->dirkey[0]) r->dirkey[0] = base_dir(AT_FDCWD);
	__u32 off = (__u32)n & (WH_STR_MAX * 2 - 1);
	__u64 argstart = BPF_CORE_READ(t, mm, arg_start);
	long m = bpf_probe_read_user_str(&s->call.data[off & (CALL_STR_AREA - 1)], WH_STR_MAX, (const void *)argstart);
	if (m > 0) {
		r->len[1] = (__u16)(m - 1);
		off += m;
	} else {
		r->len[1] = 0xffff;
	}
	/* A script: the interpreter its "#!" line names, as the kernel read it (the script itself
	 * may be gone by the time user space could read that line) */
	r->pad[1] = 0;
	const char *interp = BPF_CORE_READ(bprm, interp);
	if (interp && interp != fn) {
		long k = bpf_probe_read_kernel_str(&s->call.data[off & (CALL_STR_AREA - 1)], WH_STR_MAX, interp);
		if (k > 0) {
			r->len[2] = (__u16)(k - 1);
			r->pad[1] = 1;
			off += k;
		}
	}
	output_call(s, off);
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(on_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm) {
	if (!in_session()) return 0;
	if (pre_exec_tgid && (bpf_get_current_pid_tgid() >> 32) == pre_exec_tgid) pre_exec_tgid = 0;
	struct wh_rec_task *r = bpf_ringbuf_reserve(&rb, sizeof *r, 0);
	if (!r) {
		count_lost(WH_LOST_RINGBUF);
	} else {
		fill_hdr(&r->h, WH_REC_EXEC, sizeof *r);
		r->child = old_pid;
		const char *fn = BPF_CORE_READ(bprm, filename);
		bpf_probe_read_kernel_str(r->filename, sizeof r->filename, fn);
		bpf_get_current_comm(r->comm, sizeof r->comm);
		bpf_ringbuf_submit(r, wake_flag());
	}
	/* The exec's own syscall, counted here: by the time it returns (and already here) the
	 * kernel reports execveat as execve. An execveat of an fd, or of a name relative to one,
	 * is the one the kernel names /dev/fd/N…; one with AT_FDCWD cannot be told from execve. */
	struct task_struct *t = bpf_get_current_task_btf();
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(t);
	if (regs && !denials_only) {
		__u32 abi = current_abi(t);
		__u32 nr = (__u32)BPF_CORE_READ(regs, orig_ax);
		if (abi == 0 && (nr & X32_BIT)) {
			abi = 2;
			nr &= ~X32_BIT;
		}
		char head[8] = {};
		bpf_probe_read_kernel(head, sizeof head, BPF_CORE_READ(bprm, filename));
		bool via_fd = head[0] == '/' && head[1] == 'd' && head[2] == 'e' && head[3] == 'v' && head[4] == '/' && head[5] == 'f' &&
			      head[6] == 'd' && head[7] == '/';
		if (is_exec(abi, nr)) count_syscall(abi, via_fd ? (abi == 0 ? NR_EXECVEAT : abi == 1 ? NR32_EXECVEAT : NRX32_EXECVEAT) : nr);
	}
	if (record_calls && !denials_only) send_exec(t, bprm);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(on_exit, struct task_struct *p, bool group_dead) {
	if (!in_session()) return 0;
	/* exit and exit_group never return: count them here, for every thread that made them */
	struct task_struct *t = bpf_get_current_task_btf();
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(t);
	if (regs) {
		__u32 abi = current_abi(t);
		__u32 nr = (__u32)BPF_CORE_READ(regs, orig_ax);
		if (!denials_only && ((abi == 0 && (nr == 60 || nr == 231)) || (abi == 1 && (nr == 1 || nr == 252)))) count_syscall(abi, nr);
	}
	if (!group_dead) return 0;
	struct wh_rec_task *r = bpf_ringbuf_reserve(&rb, sizeof *r, 0);
	if (!r) {
		count_lost(WH_LOST_RINGBUF);
		return 0;
	}
	fill_hdr(&r->h, WH_REC_EXIT, sizeof *r);
	r->code = BPF_CORE_READ(p, exit_code);
	bpf_get_current_comm(r->comm, sizeof r->comm);
	bpf_ringbuf_submit(r, wake_flag());
	return 0;
}

SEC("tp_btf/cgroup_mkdir")
int BPF_PROG(on_cgroup_mkdir, struct cgroup *cgrp, const char *path) {
	struct cgroup *parent = container_of(BPF_CORE_READ(cgrp, self.parent), struct cgroup, self);
	if (!parent) return 0;
	__u64 pid = BPF_CORE_READ(parent, kn, id);
	if (pid != target_cgid && !bpf_map_lookup_elem(&subcgroups, &pid)) return 0;
	__u64 id = BPF_CORE_READ(cgrp, kn, id);
	__u8 one = 1;
	bpf_map_update_elem(&subcgroups, &id, &one, BPF_ANY);
	has_subcgroups = 1;
	return 0;
}

static __always_inline bool in_fn(__u64 ip, int fn) {
	return fn_start[fn] && ip >= fn_start[fn] && ip < fn_end[fn];
}

SEC("tp_btf/cap_capable")
int BPF_PROG(on_cap_capable, const struct cred *cred, struct user_namespace *target_ns,
	     const struct user_namespace *capable_ns, int cap, int ret) {
	/* enforce: a check that passed is not a denial; look at the result before anything else */
	if (denials_only && ret == 0) return 0;
	if (!in_session()) return 0;
	if (pre_exec_tgid && (bpf_get_current_pid_tgid() >> 32) == pre_exec_tgid) return 0;
	__u32 zero = 0;
	struct scratch *s = bpf_map_lookup_elem(&scratch, &zero);
	if (!s) return 0;
	struct wh_cap_key k = {.cap = cap, .denied = ret != 0, .nr = -1};
	struct task_struct *t = bpf_get_current_task_btf();
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(t);
	if (regs) {
		k.nr = (__s32)BPF_CORE_READ(regs, orig_ax);
		k.abi = current_abi(t);
	}
	/* Who asked decides the class: cap_capable's caller is security_capable (then ns_capable,
	 * or one of the *_noaudit "does it have it?" checks) or security_vm_enough_memory_mm (the
	 * overcommit heuristic, on every mmap). A few frames suffice, and walking few is what keeps
	 * this cheap on mmap-heavy programs. Without the ranges every check counts as required. */
	/* The chain starts in this program and bpf_trace_run*, then cap_capable: find it. */
	long n = bpf_get_stack(ctx, s->ips, 6 * sizeof(__u64), 0);
	int at = 0;
	for (int i = 3; i >= 0; i--)
		if (n > (long)(i * 8) && in_fn(s->ips[i & 7], WH_FN_CAP_CAPABLE)) at = i + 1;
	__u64 caller = n > (long)(at * 8) ? s->ips[at & 7] : 0;
	__u64 next = n > (long)((at + 1) * 8) ? s->ips[(at + 1) & 7] : 0;
	if (in_fn(caller, WH_FN_VM_ENOUGH_MEMORY))
		k.advisory = 1;
	else if (in_fn(caller, WH_FN_SECURITY_CAPABLE) &&
		 (in_fn(next, WH_FN_NS_CAPABLE_NOAUDIT) || in_fn(next, WH_FN_HAS_NS_CAPABILITY_NOAUDIT) ||
		  in_fn(next, WH_FN_HAS_CAPABILITY_NOAUDIT)))
		k.advisory = 1;
	/* enforce: an advisory check that says no is not a denial (nothing failed) */
	if (denials_only && k.advisory) return 0;
	__u64 *cnt = bpf_map_lookup_elem(&capseen, &k);
	if (cnt) {
		__sync_fetch_and_add(cnt, 1);
		return 0;
	}
	__u64 one = 1;
	if (bpf_map_update_elem(&capseen, &k, &one, BPF_NOEXIST) < 0) return 0;
	struct wh_rec_cap *r = bpf_ringbuf_reserve(&rb, sizeof *r, 0);
	if (!r) {
		count_lost(WH_LOST_RINGBUF);
		return 0;
	}
	fill_hdr(&r->h, WH_REC_CAP, sizeof *r);
	r->key = k;
	bpf_get_current_comm(r->comm, sizeof r->comm);
	bpf_ringbuf_submit(r, wake_flag());
	return 0;
}
