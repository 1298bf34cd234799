/* shared.h — what the eBPF programs (bpf/learn.bpf.c) and user space agree on: the capture
 * spec of each argument-carrying syscall, and the records in the ring buffer.
 * Plain C with fixed-size types so both clang -target bpf and gcc compile it. */
#ifndef WHITTLE_SHARED_H
#define WHITTLE_SHARED_H

#ifdef __BPF__
typedef __u8 wh_u8;
typedef __u16 wh_u16;
typedef __u32 wh_u32;
typedef __s32 wh_s32;
typedef __u64 wh_u64;
typedef __s64 wh_s64;
#else
#include <stdint.h>
typedef uint8_t wh_u8;
typedef uint16_t wh_u16;
typedef uint32_t wh_u32;
typedef int32_t wh_s32;
typedef uint64_t wh_u64;
typedef int64_t wh_s64;
#endif

#define WH_ABI_SLOTS 1024          /* syscall numbers per ABI in the count and spec arrays */
#define WH_ABI_COUNT 3             /* x86_64, x86, x32 */
#define WH_NSTR 3                  /* strings captured per call at most (mount: source, target, fstype) */
#define WH_STR_MAX 4096            /* PATH_MAX */
#define WH_BUF_MAX 128             /* sockaddr_storage, clone_args head, open_how */
#define WH_NOARG 0xff

/* What extra memory a call's arguments point at. */
enum wh_bufkind {
	WH_BUF_NONE = 0,
	WH_BUF_SOCKADDR = 1,   /* buf arg points at a sockaddr, buflen arg is its length */
	WH_BUF_MSGHDR = 2,     /* buf arg points at a msghdr; its msg_name is the sockaddr */
	WH_BUF_CLONE_ARGS = 3, /* clone3: struct clone_args (flags first) */
	WH_BUF_OPEN_HOW = 4,   /* openat2: struct open_how (flags, mode, resolve) */
	WH_BUF_ARGV0 = 5,      /* execve: buf arg is argv; argv[0] becomes the last string */
};

/* How to capture one syscall's arguments. Filled by user space per (ABI, number). */
struct wh_spec {
	wh_u8 enabled;
	wh_u8 str[WH_NSTR];  /* arg index holding a user string pointer, or WH_NOARG */
	wh_u8 dfd[WH_NSTR];  /* arg index of the dirfd a relative str[i] is relative to; WH_NOARG = cwd */
	wh_u8 buf;           /* arg index of a pointer to extra memory, or WH_NOARG */
	wh_u8 buflen;        /* arg index of its length, or WH_NOARG (then bufkind says) */
	wh_u8 bufkind;       /* enum wh_bufkind */
	wh_u8 at_entry;      /* read everything at entry (execve: the memory is gone at exit) */
	wh_u8 cls;           /* user-space classifier id (enum in capture.h) */
	wh_u8 skip_empty;    /* an empty or NULL first string means "this fd": no path, send nothing */
};

/* Ring-buffer record types. */
enum wh_rec_type {
	WH_REC_CALL = 1,     /* a captured call, with its strings and result */
	WH_REC_RET = 2,      /* the result of a call whose CALL record was sent at entry */
	WH_REC_DIR = 3,      /* a directory path for a dirkey (components leaf first) */
	WH_REC_FIRST = 4,    /* first sighting of a syscall number (pid, comm) */
	WH_REC_FORK = 5,
	WH_REC_EXEC = 6,
	WH_REC_EXIT = 7,
	WH_REC_CAP = 8,      /* a capability check, de-duplicated in the kernel */
	WH_REC_ESCAPE = 9,   /* a tracked task moved out of the session's cgroup */
};

struct wh_rec_hdr {
	wh_u32 type;
	wh_u32 size;         /* whole record, header included */
	wh_u32 pid;          /* tgid */
	wh_u32 tid;
	wh_u64 ts;
};

struct wh_rec_call {
	struct wh_rec_hdr h;
	wh_u32 abi;
	wh_s32 nr;
	wh_s64 ret;
	wh_u64 args[6];
	wh_u64 dirkey[WH_NSTR]; /* base directory of a relative string (0: cwd unknown/absolute) */
	wh_u16 len[WH_NSTR];    /* string lengths without NUL; 0xffff = could not read */
	wh_u16 buflen;
	wh_u8 has_ret;
	wh_u8 pad[5];           /* pad[0]: an io_uring operation's opcode (when ureq is set); pad[1]: an
				 * exec's third string is its script's interpreter (as the kernel read "#!") */
	wh_u64 ureq;            /* an io_uring operation's request (0: a syscall); its RET carries the same */
	char comm[16];
	/* then: the strings back to back (each NUL-terminated), then buflen bytes of buf */
};

/* io_uring: operations per opcode are counted in the kernel (they are not syscalls); those that
 * carry a path or an address are sent as CALL records of the syscall that does the same, with
 * ureq set, and their result in a RET with the same ureq. */
#define WH_URING_OPS 64
#define WH_URING_FIELDS 5

/* Where an io_uring operation keeps what its syscall twin takes as arguments: offsets into
 * the request's command area, found by user space in the kernel's BTF (once per boot), so the
 * recorder needs no CO-RE relocation per io_uring structure (each cost ~1.4 ms at load). */
enum wh_uring_kind {
	WH_UF_NONE = 0,
	WH_UF_INT = 1,      /* a number of `size` bytes (signed when size < 8): args[arg] */
	WH_UF_FILENAME = 2, /* a struct filename *: its name (the kernel's copy) is string kname[arg] */
	WH_UF_UPTR = 3,     /* a user pointer (connect's address): args[arg] */
};
struct wh_uring_field {
	wh_u16 off;
	wh_u8 size;
	wh_u8 arg;
	wh_u8 kind;
	wh_u8 pad[3];
};
struct wh_uring_op {
	wh_s32 nr; /* the x86_64 syscall it is recorded as; -1: not recorded */
	wh_u32 pad;
	struct wh_uring_field f[WH_URING_FIELDS];
};
struct wh_uring_layout {
	wh_u16 opcode_off; /* io_kiocb.opcode */
	wh_u16 cmd_off;    /* io_kiocb.cmd: the operation's own structure */
	wh_u16 name_off;   /* filename.name */
	wh_u16 ok;         /* 1 when user space filled this in */
	struct wh_uring_op op[WH_URING_OPS];
};

struct wh_rec_dir {
	struct wh_rec_hdr h;
	wh_u64 dirkey;
	wh_u32 len;             /* bytes of names that follow */
	wh_u32 ncomp;
	/* then: names leaf first, each NUL-terminated; the last is the root ("/") marker if reached */
};

struct wh_rec_first {
	struct wh_rec_hdr h;
	wh_u32 abi;
	wh_s32 nr;
	char comm[16];
};

struct wh_rec_task {
	struct wh_rec_hdr h;
	wh_u32 child;           /* FORK: child tgid */
	wh_s32 code;            /* EXIT: exit_code as wait() encodes it */
	char comm[16];
	char filename[256];     /* EXEC: the path the kernel executed */
};

/* A capability check, keyed in the kernel by (cap, denied, syscall, ABI, advisory). */
struct wh_cap_key {
	wh_s32 cap;
	wh_s32 denied;
	wh_s32 nr;              /* syscall running when it was checked (-1: none) */
	wh_u32 abi;
	wh_u32 advisory;        /* a noaudit check: the kernel asked, the operation did not need it */
	wh_u32 pad;
};

struct wh_rec_cap {
	struct wh_rec_hdr h;
	struct wh_cap_key key;
	char comm[16];
};

/* Kernel functions whose place in a capability check's call chain tells its class. */
enum wh_capfn {
	WH_FN_CAP_CAPABLE = 0,
	WH_FN_SECURITY_CAPABLE,
	WH_FN_VM_ENOUGH_MEMORY,      /* security_vm_enough_memory_mm: the overcommit heuristic */
	WH_FN_NS_CAPABLE_NOAUDIT,
	WH_FN_HAS_NS_CAPABILITY_NOAUDIT,
	WH_FN_HAS_CAPABILITY_NOAUDIT,
	WH_FN_COUNT,
};

/* Loss counters kept in the kernel (index into the "lost" array). */
enum wh_lost {
	WH_LOST_RINGBUF = 0,    /* a record did not fit in the ring buffer */
	WH_LOST_INFLIGHT = 1,   /* the in-flight table was full: a call's arguments were not captured */
	WH_LOST_STRING = 2,     /* a string could not be read at entry nor at exit */
	WH_LOST_DIRDEPTH = 3,   /* a directory was deeper than the walk limit (path truncated) */
	WH_LOST_COUNT = 4,
};

#endif
