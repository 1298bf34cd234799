/* capture.h — which syscalls carry arguments whittle records (paths, mounts, sockets,
 * namespaces, execs), and how a captured call becomes items. Shared by both mechanisms:
 * the eBPF recorder reads the arguments in the kernel, the seccomp supervisor reads them
 * from /proc/PID/mem while the caller waits. */
#ifndef WHITTLE_CAPTURE_H
#define WHITTLE_CAPTURE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "names.h"
#include "shared.h"

enum capture_class {
	CL_NONE = 0,
	CL_OPEN,      /* str0 path, args[flags_arg] open flags */
	CL_OPENAT2,   /* str0 path, buf open_how */
	CL_CREAT,
	CL_EXEC,      /* str0 path, str1 argv[0] */
	CL_STAT,      /* str0 examined, never changed */
	CL_STAT_AT,   /* like CL_STAT, but AT_EMPTY_PATH with "" is an fd operation */
	CL_ACCESS,
	CL_READLINK,
	CL_CREATE,    /* str0 created (mkdir, mknod) */
	CL_SYMLINK,   /* str1 is the new link; str0 is only its text */
	CL_LINK,      /* str0 existing (stat), str1 new (link) */
	CL_RENAME,    /* str0 and str1 both rename */
	CL_REMOVE,    /* str0 removed */
	CL_UNLINKAT,  /* str0 removed (AT_REMOVEDIR or not) */
	CL_CHMOD,
	CL_CHOWN,
	CL_WRITE_META,/* truncate, utimes, setxattr: a write to the file */
	CL_CHDIR,
	CL_CHROOT,
	CL_MOUNT,     /* str0 source, str1 target, str2 fstype */
	CL_UMOUNT,    /* str0 target */
	CL_PIVOT_ROOT,/* str0 new root, str1 put_old */
	CL_MOVE_MOUNT,/* str0 from path, str1 to path */
	CL_OPEN_TREE, /* str0 path */
	CL_FSOPEN,    /* str0 filesystem type */
	CL_UNSHARE,
	CL_SETNS,
	CL_CLONE,
	CL_CLONE3,
	CL_SOCKET,
	CL_SOCKETPAIR,
	CL_BIND,
	CL_CONNECT,
	CL_SENDTO,
	CL_SENDMSG,
	CL_SWAP,      /* swapon/swapoff/acct: a write to the file */
	CL_INOTIFY,   /* inotify_add_watch / fanotify_mark: the path is watched (stat) */
};

/* One captured call, as either mechanism saw it. */
struct call {
	pid_t pid, tid;
	enum abi abi;
	int nr;
	const char *name;
	bool has_ret;
	int64_t ret;
	uint64_t args[6];
	const char *str[WH_NSTR];   /* NULL when not captured or unreadable */
	const char *base[WH_NSTR];  /* base directory of a relative str[i] (NULL: absolute or unknown) */
	const unsigned char *buf;
	size_t buflen;
	const char *exe;
	enum capture_class cls;
};

/* The spec table for an ABI: specs[nr]. Built once from names. */
const struct wh_spec *capture_specs(enum abi a);
/* The numbers of every captured syscall on an ABI (for the seccomp notify filter). */
size_t capture_numbers(enum abi a, int *out, size_t max);
/* Turn a captured call into items (paths, execs, mounts, net). */
void classify_call(const struct call *c);
/* Enforce: only failures that are the sandbox's are recorded (see exdev_across_filesystems). */
extern bool capture_denials_only;
/* A human name for a captured result: "ok", "ENOENT", or "unknown" without a return value. */
const char *call_result(const struct call *c);

#endif
