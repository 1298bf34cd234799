/* capture.c — the captured syscalls and how each becomes items. */
#define _GNU_SOURCE
#include "capture.h"
#include "agg.h"
#include "paths.h"
#include "util.h"

#include <arpa/inet.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define N WH_NOARG
#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif
#ifndef AT_SYMLINK_NOFOLLOW
#define AT_SYMLINK_NOFOLLOW 0x100
#endif
#ifndef AT_REMOVEDIR
#define AT_REMOVEDIR 0x200
#endif
#define NS_FLAGS_MASK (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | 0x02000000 | 0x80)

struct capture_row {
	const char *name;
	enum capture_class cls;
	uint8_t str[WH_NSTR], dfd[WH_NSTR];
	uint8_t buf, buflen, bufkind, at_entry;
};

/* Argument positions follow the kernel's prototypes; names absent from an ABI are skipped. */
static const struct capture_row rows[] = {
	{"open", CL_OPEN, {0, N, N}, {N, N, N}, N, N, 0, 0},
	{"openat", CL_OPEN, {1, N, N}, {0, N, N}, N, N, 0, 0},
	{"openat2", CL_OPENAT2, {1, N, N}, {0, N, N}, 2, N, WH_BUF_OPEN_HOW, 0},
	{"creat", CL_CREAT, {0, N, N}, {N, N, N}, N, N, 0, 0},
	{"execve", CL_EXEC, {0, N, N}, {N, N, N}, 1, N, WH_BUF_ARGV0, 1},
	{"execveat", CL_EXEC, {1, N, N}, {0, N, N}, 2, N, WH_BUF_ARGV0, 1},
	{"stat", CL_STAT, {0, N, N}, {N, N, N}, N, N, 0, 0},
	{"lstat", CL_STAT, {0, N, N}, {N, N, N}, N, N, 0, 0},
	{"stat64", CL_STAT, {0, N, N}, {N, N, N}, N, N, 0, 0},
	{"lstat64", CL_STAT, {0, N, N}, {N, N, N}, N, N, 0, 0},
	{"oldstat", CL_STAT, {0, N, N}, {N, N, N}, N, N, 0, 0},
	{"oldlstat", CL_STAT, {0, N, N}, {N, N, N}, N, N, 0, 0},
	{"newfstatat", CL_STAT_AT, {1, N, N}, {0, N, N}, N, N, 0, 0},
	{"fstatat64", CL_STAT_AT, {1, N, N}, {0, N, N}, N, N, 0, 0},
	{"statx", CL_STAT_AT, {1, N, N}, {0, N, N}, N, N, 0, 0},
	{"statfs", CL_STAT, {0, N, N}, {N, N, N}, N, N, 0, 0},
	{"statfs64", CL_STAT, {0, N, N}, {N, N, N}, N, N, 0, 0},
	{"access", CL_ACCESS, {0, N, N}, {N, N, N}, N, N, 0, 0},
	{"faccessat", CL_ACCESS, {1, N, N}, {0, N, N}, N, N, 0, 0},
	{"faccessat2", CL_ACCESS, {1, N, N}, {0, N, N}, N, N, 0, 0},
	{"readlink", CL_READLINK, {0, N, N}, {N, N, N}, N, N, 0, 0},
	{"readlinkat", CL_READLINK, {1, N, N}, {0, N, N}, N, N, 0, 0},
	{"getxattr", CL_STAT, {0, N, N}, {N, N, N}, N, N, 0, 0},
	{"lgetxattr", CL_STAT, {0, N, N}, {N, N, N}, N, N, 0, 0},
	{"listxattr", CL_STAT, {0, N, N}, {N, N, N}, N, N, 0, 0},
	{"llistxattr", CL_STAT, {0, N, N}, {N, N, N}, N, N, 0, 0},
	{"getxattrat", CL_STAT_AT, {1, N, N}, {0, N, N}, N, N, 0, 0},
	{"listxattrat", CL_STAT_AT, {1, N, N}, {0, N, N}, N, N, 0, 0},
	{"name_to_handle_at", CL_STAT_AT, {1, N, N}, {0, N, N}, N, N, 0, 0},
	{"mkdir", CL_CREATE, {0, N, N}, {N, N, N}, N, N, 0, 0},
	{"mkdirat", CL_CREATE, {1, N, N}, {0, N, N}, N, N, 0, 0},
	{"mknod", CL_CREATE, {0, N, N}, {N, N, N}, N, N, 0, 0},
	{"mknodat", CL_CREATE, {1, N, N}, {0, N, N}, N, N, 0, 0},
	{"symlink", CL_SYMLINK, {0, 1, N}, {N, N, N}, N, N, 0, 0},
	{"symlinkat", CL_SYMLINK, {0, 2, N}, {N, 1, N}, N, N, 0, 0},
	{"link", CL_LINK, {0, 1, N}, {N, N, N}, N, N, 0, 0},
	{"linkat", CL_LINK, {1, 3, N}, {0, 2, N}, N, N, 0, 0},
	{"rename", CL_RENAME, {0, 1, N}, {N, N, N}, N, N, 0, 0},
	{"renameat", CL_RENAME, {1, 3, N}, {0, 2, N}, N, N, 0, 0},
	{"renameat2", CL_RENAME, {1, 3, N}, {0, 2, N}, N, N, 0, 0},
	{"unlink", CL_REMOVE, {0, N, N}, {N, N, N}, N, N, 0, 0},
	{"rmdir", CL_REMOVE, {0, N, N}, {N, N, N}, N, N, 0, 0},
	{"unlinkat", CL_UNLINKAT, {1, N, N}, {0, N, N}, N, N, 0, 0},
	{"chmod", CL_CHMOD, {0, N, N}, {N, N, N}, N, N, 0, 0},
	{"fchmodat", CL_CHMOD, {1, N, N}, {0, N, N}, N, N, 0, 0},
	{"fchmodat2", CL_CHMOD, {1, N, N}, {0, N, N}, N, N, 0, 0},
	{"chown", CL_CHOWN, {0, N, N}, {N, N, N}, N, N, 0, 0},
	{"lchown", CL_CHOWN, {0, N, N}, {N, N, N}, N, N, 0, 0},
	{"chown32", CL_CHOWN, {0, N, N}, {N, N, N}, N, N, 0, 0},
	{"lchown32", CL_CHOWN, {0, N, N}, {N, N, N}, N, N, 0, 0},
	{"fchownat", CL_CHOWN, {1, N, N}, {0, N, N}, N, N, 0, 0},
	{"truncate", CL_WRITE_META, {0, N, N}, {N, N, N}, N, N, 0, 0},
	{"truncate64", CL_WRITE_META, {0, N, N}, {N, N, N}, N, N, 0, 0},
	{"utime", CL_WRITE_META, {0, N, N}, {N, N, N}, N, N, 0, 0},
	{"utimes", CL_WRITE_META, {0, N, N}, {N, N, N}, N, N, 0, 0},
	{"futimesat", CL_WRITE_META, {1, N, N}, {0, N, N}, N, N, 0, 0},
	{"utimensat", CL_WRITE_META, {1, N, N}, {0, N, N}, N, N, 0, 0},
	{"utimensat_time64", CL_WRITE_META, {1, N, N}, {0, N, N}, N, N, 0, 0},
	{"setxattr", CL_WRITE_META, {0, N, N}, {N, N, N}, N, N, 0, 0},
	{"lsetxattr", CL_WRITE_META, {0, N, N}, {N, N, N}, N, N, 0, 0},
	{"removexattr", CL_WRITE_META, {0, N, N}, {N, N, N}, N, N, 0, 0},
	{"lremovexattr", CL_WRITE_META, {0, N, N}, {N, N, N}, N, N, 0, 0},
	{"setxattrat", CL_WRITE_META, {1, N, N}, {0, N, N}, N, N, 0, 0},
	{"removexattrat", CL_WRITE_META, {1, N, N}, {0, N, N}, N, N, 0, 0},
	{"chdir", CL_CHDIR, {0, N, N}, {N, N, N}, N, N, 0, 0},
	{"chroot", CL_CHROOT, {0, N, N}, {N, N, N}, N, N, 0, 0},
	{"mount", CL_MOUNT, {0, 1, 2}, {N, N, N}, N, N, 0, 0},
	{"umount", CL_UMOUNT, {0, N, N}, {N, N, N}, N, N, 0, 0},
	{"umount2", CL_UMOUNT, {0, N, N}, {N, N, N}, N, N, 0, 0},
	{"pivot_root", CL_PIVOT_ROOT, {0, 1, N}, {N, N, N}, N, N, 0, 0},
	{"move_mount", CL_MOVE_MOUNT, {1, 3, N}, {0, 2, N}, N, N, 0, 0},
	{"open_tree", CL_OPEN_TREE, {1, N, N}, {0, N, N}, N, N, 0, 0},
	{"open_tree_attr", CL_OPEN_TREE, {1, N, N}, {0, N, N}, N, N, 0, 0},
	{"fsopen", CL_FSOPEN, {0, N, N}, {N, N, N}, N, N, 0, 0},
	{"unshare", CL_UNSHARE, {N, N, N}, {N, N, N}, N, N, 0, 0},
	{"setns", CL_SETNS, {N, N, N}, {N, N, N}, N, N, 0, 0},
	{"clone", CL_CLONE, {N, N, N}, {N, N, N}, N, N, 0, 0},
	{"clone3", CL_CLONE3, {N, N, N}, {N, N, N}, 0, 1, WH_BUF_CLONE_ARGS, 0},
	{"socket", CL_SOCKET, {N, N, N}, {N, N, N}, N, N, 0, 0},
	{"socketpair", CL_SOCKETPAIR, {N, N, N}, {N, N, N}, N, N, 0, 0},
	{"bind", CL_BIND, {N, N, N}, {N, N, N}, 1, 2, WH_BUF_SOCKADDR, 0},
	{"connect", CL_CONNECT, {N, N, N}, {N, N, N}, 1, 2, WH_BUF_SOCKADDR, 0},
	{"sendto", CL_SENDTO, {N, N, N}, {N, N, N}, 4, 5, WH_BUF_SOCKADDR, 0},
	{"sendmsg", CL_SENDMSG, {N, N, N}, {N, N, N}, 1, N, WH_BUF_MSGHDR, 0},
	{"swapon", CL_SWAP, {0, N, N}, {N, N, N}, N, N, 0, 0},
	{"swapoff", CL_SWAP, {0, N, N}, {N, N, N}, N, N, 0, 0},
	{"acct", CL_SWAP, {0, N, N}, {N, N, N}, N, N, 0, 0},
	{"inotify_add_watch", CL_INOTIFY, {1, N, N}, {N, N, N}, N, N, 0, 0},
	{"fanotify_mark", CL_INOTIFY, {4, N, N}, {3, N, N}, N, N, 0, 0},
};

static struct wh_spec specs[ABI_COUNT][WH_ABI_SLOTS];
static bool specs_built;

static void build_specs(void) {
	for (int a = 0; a < ABI_X32; a++) {
		for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
			int nr = syscall_number((enum abi)a, rows[i].name);
			if (nr < 0 || nr >= WH_ABI_SLOTS) continue;
			struct wh_spec *s = &specs[a][nr];
			s->enabled = 1;
			for (int k = 0; k < WH_NSTR; k++) s->str[k] = rows[i].str[k], s->dfd[k] = rows[i].dfd[k];
			s->buf = rows[i].buf;
			s->buflen = rows[i].buflen;
			s->bufkind = rows[i].bufkind;
			s->at_entry = rows[i].at_entry;
			s->cls = (wh_u8)rows[i].cls;
			/* fstat() is newfstatat(fd, "", AT_EMPTY_PATH) in glibc: a very common call with no
			 * path in it, filtered in the kernel rather than sent and dropped. */
			s->skip_empty = rows[i].cls == CL_STAT_AT || rows[i].cls == CL_WRITE_META;
		}
	}
	specs_built = true;
}

const struct wh_spec *capture_specs(enum abi a) {
	if (!specs_built) build_specs();
	return specs[a];
}

size_t capture_numbers(enum abi a, int *out, size_t max) {
	const struct wh_spec *s = capture_specs(a);
	size_t n = 0;
	for (int nr = 0; nr < WH_ABI_SLOTS && n < max; nr++)
		if (s[nr].enabled) out[n++] = nr;
	return n;
}

const char *call_result(const struct call *c) {
	if (!c->has_ret) return "unknown";
	if (c->ret < 0 && c->ret >= -4095) return errno_name((int)-c->ret);
	return "ok";
}

/* Record one path with an access kind; returns the resolved path (malloc'd) or NULL. */
static char *record_path(const struct call *c, int k, const char *access, bool follow, const struct origin *o) {
	if (!c->str[k]) return NULL;
	char *p = path_resolve(c->pid, c->base[k], c->str[k], follow, o);
	if (p) agg_path(p, access, call_result(c), 1, o);
	return p;
}

bool capture_denials_only;

/*
 * A rename or link refused with EXDEV whose two names are on two filesystems: the kernel refuses
 * that anywhere (it did while learning too), so under enforcement it is not a denial. Between
 * two names on one filesystem it is the sandbox's doing: two bind mounts of the view, or Landlock
 * (which answers EXDEV when REFER is missing, or when the file would gain a right by moving).
 */
static bool exdev_across_filesystems(const struct call *c, const struct origin *o) {
	if (!c->has_ret || c->ret != -EXDEV || !c->str[0] || !c->str[1]) return false;
	char *from = path_resolve(c->pid, c->base[0], c->str[0], false, o);
	char *to = path_resolve(c->pid, c->base[1], c->str[1], false, o);
	bool across = false;
	if (from && to) {
		char *slash = strrchr(to, '/');
		if (slash) *(slash == to ? slash + 1 : slash) = 0; /* the new name's directory */
		struct stat a, b;
		across = lstat(from, &a) == 0 && stat(to, &b) == 0 && a.st_dev != b.st_dev;
	}
	free(from);
	free(to);
	return across;
}

static void record_open(const struct call *c, uint64_t flags, const struct origin *o) {
	const char *acc[3];
	int n = 0;
	if (flags & O_PATH) {
		acc[n++] = "stat";
	} else {
		int mode = flags & O_ACCMODE;
		if (mode == O_RDONLY || mode == O_RDWR) acc[n++] = (flags & O_DIRECTORY) ? "readdir" : "read";
		if (mode == O_WRONLY || mode == O_RDWR || (flags & O_TRUNC)) acc[n++] = "write";
		if (flags & O_CREAT) acc[n++] = "create";
	}
	bool follow = !(flags & O_NOFOLLOW) && !((flags & O_CREAT) && (flags & O_EXCL));
	if (!c->str[0]) return;
	char *p = path_resolve(c->pid, c->base[0], c->str[0], follow, o);
	if (!p) return;
	for (int i = 0; i < n; i++) agg_path(p, acc[i], call_result(c), 1, o);
	free(p);
}

/* The kernel itself opens a script's "#!" interpreter and an ELF program's PT_INTERP (the
 * dynamic loader) during exec: no syscall shows them, but a sandbox must allow them. */
static void record_interpreter(const char *interp, const struct origin *o, int depth);

static void record_exec_interpreters(const char *path, const struct origin *o, int depth) {
	if (depth > 3) return;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) return;
	unsigned char head[256];
	ssize_t n = pread(fd, head, sizeof head - 1, 0);
	char interp[4096] = "";
	if (n > 2 && head[0] == '#' && head[1] == '!') {
		head[n] = 0;
		char *s = (char *)head + 2;
		while (*s == ' ' || *s == '\t') s++;
		size_t len = strcspn(s, " \t\n");
		if (len && len < sizeof interp) memcpy(interp, s, len), interp[len] = 0;
	} else if (n >= (ssize_t)sizeof(Elf64_Ehdr) && memcmp(head, ELFMAG, SELFMAG) == 0) {
		bool is64 = head[EI_CLASS] == ELFCLASS64;
		uint64_t phoff;
		unsigned phnum, phentsize;
		if (is64) {
			Elf64_Ehdr *eh = (Elf64_Ehdr *)head;
			phoff = eh->e_phoff, phnum = eh->e_phnum, phentsize = eh->e_phentsize;
		} else {
			Elf32_Ehdr *eh = (Elf32_Ehdr *)head;
			phoff = eh->e_phoff, phnum = eh->e_phnum, phentsize = eh->e_phentsize;
		}
		for (unsigned i = 0; i < phnum && i < 64; i++) {
			unsigned char ph[64];
			if (phentsize > sizeof ph || pread(fd, ph, phentsize, (off_t)(phoff + (uint64_t)i * phentsize)) != (ssize_t)phentsize) break;
			uint32_t type = *(uint32_t *)ph;
			if (type != PT_INTERP) continue;
			uint64_t off = is64 ? ((Elf64_Phdr *)ph)->p_offset : ((Elf32_Phdr *)ph)->p_offset;
			uint64_t sz = is64 ? ((Elf64_Phdr *)ph)->p_filesz : ((Elf32_Phdr *)ph)->p_filesz;
			if (sz && sz < sizeof interp && pread(fd, interp, sz, (off_t)off) == (ssize_t)sz) interp[sz] = 0;
			else interp[0] = 0;
			break;
		}
	}
	close(fd);
	record_interpreter(interp, o, depth + 1);
}

/* An interpreter the kernel opened, named as it was ("/bin/sh": the symlinks on the way are the
 * workload's too), and its own interpreter in turn. */
static void record_interpreter(const char *interp, const struct origin *o, int depth) {
	if (!interp[0] || interp[0] != '/') return;
	char *p = path_resolve(o->pid, NULL, interp, true, o);
	if (!p) return;
	agg_path(p, "exec", "ok", 1, o);
	record_exec_interpreters(p, o, depth);
	free(p);
}

static void format_sockaddr(const unsigned char *b, size_t len, int *family, int *port, struct sbuf *addr) {
	*family = -1, *port = -1;
	sbuf_reset(addr);
	if (!b || len < 2) return;
	sa_family_t fam;
	memcpy(&fam, b, sizeof fam);
	*family = fam;
	char tmp[INET6_ADDRSTRLEN];
	if (fam == AF_INET && len >= sizeof(struct sockaddr_in)) {
		struct sockaddr_in sin;
		memcpy(&sin, b, sizeof sin);
		*port = ntohs(sin.sin_port);
		sbuf_adds(addr, inet_ntop(AF_INET, &sin.sin_addr, tmp, sizeof tmp) ? tmp : "?");
	} else if (fam == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
		struct sockaddr_in6 sin6;
		memcpy(&sin6, b, sizeof sin6);
		*port = ntohs(sin6.sin6_port);
		sbuf_adds(addr, inet_ntop(AF_INET6, &sin6.sin6_addr, tmp, sizeof tmp) ? tmp : "?");
	} else if (fam == AF_UNIX) {
		size_t n = len - 2;
		const char *p = (const char *)b + 2;
		if (n == 0) {
			sbuf_adds(addr, "(unnamed)");
		} else if (p[0] == 0) {
			sbuf_addc(addr, '@'); /* abstract: not a file */
			sbuf_add(addr, p + 1, strnlen(p + 1, n - 1));
		} else {
			sbuf_add(addr, p, strnlen(p, n));
		}
	} else if (fam == AF_NETLINK && len >= sizeof(struct sockaddr_nl)) {
		struct sockaddr_nl nl;
		memcpy(&nl, b, sizeof nl);
		sbuf_printf(addr, "groups=0x%x", nl.nl_groups);
	}
}

static void record_sockaddr_op(const struct call *c, const char *op, const struct origin *o) {
	if (!c->buf || c->buflen < 2) return;
	int family, port;
	struct sbuf addr;
	sbuf_init(&addr);
	format_sockaddr(c->buf, c->buflen, &family, &port, &addr);
	const char *a = addr.len ? sbuf_cstr(&addr) : NULL;
	agg_net(family_name(family), NULL, op, port, a, call_result(c), o);
	/* A unix socket with a filesystem name is also a file the sandbox must let it reach. */
	if (family == AF_UNIX && a && a[0] != '@' && a[0] != '(') {
		char *p = path_resolve(c->pid, NULL, a, true, o);
		if (p) {
			agg_path(p, strcmp(op, "bind") == 0 ? "create" : "write", call_result(c), 1, o);
			free(p);
		}
	}
	sbuf_free(&addr);
}

static void record_mount(const struct call *c, const struct origin *o) {
	uint64_t flags = c->args[3];
	const char *op = "mount";
	if (flags & MS_REMOUNT)
		op = (flags & MS_BIND) ? "remount-bind" : "remount";
	else if (flags & MS_BIND)
		op = "bind";
	else if (flags & MS_MOVE)
		op = "move";
	else if (flags & (MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE))
		op = "propagation";
	char *target = c->str[1] ? path_resolve(c->pid, c->base[1], c->str[1], true, o) : NULL;
	char *source = NULL;
	if (c->str[0] && (flags & (MS_BIND | MS_MOVE)))
		source = path_resolve(c->pid, c->base[0], c->str[0], true, o);
	struct sbuf fl;
	sbuf_init(&fl);
	mount_flags_str(&fl, flags);
	agg_mount(op, source ? source : c->str[0] ? c->str[0] : "", target ? target : "", c->str[2] ? c->str[2] : "",
		  sbuf_cstr(&fl), NULL, call_result(c), o);
	if (target) agg_path(target, "mount-target", call_result(c), 1, o);
	sbuf_free(&fl);
	free(target);
	free(source);
}

static void record_ns(const struct call *c, const char *op, uint64_t flags, const char *source, const struct origin *o) {
	struct sbuf fl;
	sbuf_init(&fl);
	ns_flags_str(&fl, flags);
	agg_mount(op, source ? source : "", "", "", sbuf_cstr(&fl), NULL, call_result(c), o);
	sbuf_free(&fl);
}

void classify_call(const struct call *c) {
	struct origin o = {.pid = c->pid, .exe = c->exe, .syscall = c->name};
	char *p, *q;
	switch (c->cls) {
	case CL_NONE:
		break;
	case CL_OPEN:
		record_open(c, c->args[c->nr == syscall_number(c->abi, "open") ? 1 : 2], &o);
		break;
	case CL_OPENAT2: {
		uint64_t flags = 0;
		if (c->buf && c->buflen >= 8) memcpy(&flags, c->buf, 8);
		record_open(c, flags, &o);
		break;
	}
	case CL_CREAT:
		record_open(c, O_CREAT | O_WRONLY | O_TRUNC, &o);
		break;
	case CL_EXEC: {
		if (!c->str[0]) break;
		bool empty_fd = c->str[0][0] == 0; /* execveat(fd, "", AT_EMPTY_PATH) */
		p = empty_fd ? (c->base[0] ? xstrdup(c->base[0]) : NULL) : path_resolve(c->pid, c->base[0], c->str[0], true, &o);
		if (!p) break;
		agg_path(p, "exec", call_result(c), 1, &o);
		agg_exec(p, c->str[1] ? c->str[1] : "", call_result(c), &o);
		/* a script's interpreter as the kernel read it (the eBPF recorder sends it: the script
		 * may be gone by now), else read from the file */
		bool ran = !c->has_ret || c->ret == 0;
		const char *interp = c->nr == syscall_number(c->abi, "execve") ? c->str[2] : NULL;
		if (ran && interp) record_interpreter(interp, &o, 1);
		else if (ran) record_exec_interpreters(p, &o, 0);
		free(p);
		break;
	}
	case CL_STAT_AT:
		if (c->str[0] && !c->str[0][0]) break; /* AT_EMPTY_PATH on an open fd: no lookup */
		/* fall through */
	case CL_STAT:
	case CL_ACCESS: {
		bool nofollow = (c->cls == CL_STAT && strstr(c->name, "lstat")) ||
				(c->cls == CL_STAT_AT && (c->args[c->nr == syscall_number(c->abi, "statx") ? 2 : 3] & AT_SYMLINK_NOFOLLOW));
		free(record_path(c, 0, "stat", !nofollow, &o));
		break;
	}
	case CL_READLINK:
		free(record_path(c, 0, "stat", false, &o));
		break;
	case CL_CREATE:
		free(record_path(c, 0, "create", false, &o));
		break;
	case CL_SYMLINK:
		free(record_path(c, 1, "create", false, &o));
		break;
	case CL_LINK:
		if (capture_denials_only && exdev_across_filesystems(c, &o)) break;
		free(record_path(c, 0, "stat", false, &o));
		free(record_path(c, 1, "link", false, &o));
		break;
	case CL_RENAME:
		if (capture_denials_only && exdev_across_filesystems(c, &o)) break;
		free(record_path(c, 0, "rename", false, &o));
		free(record_path(c, 1, "rename", false, &o));
		break;
	case CL_REMOVE:
	case CL_UNLINKAT:
		free(record_path(c, 0, "remove", false, &o));
		break;
	case CL_CHMOD:
		free(record_path(c, 0, "chmod", true, &o));
		break;
	case CL_CHOWN:
		free(record_path(c, 0, "chown", !strstr(c->name, "lchown"), &o));
		break;
	case CL_WRITE_META:
		if (c->str[0] && !c->str[0][0]) break;
		free(record_path(c, 0, "write", true, &o));
		break;
	case CL_CHDIR:
	case CL_CHROOT:
	case CL_INOTIFY:
		free(record_path(c, 0, "stat", true, &o));
		break;
	case CL_SWAP:
		free(record_path(c, 0, "write", true, &o));
		break;
	case CL_MOUNT:
		record_mount(c, &o);
		break;
	case CL_UMOUNT: {
		p = c->str[0] ? path_resolve(c->pid, c->base[0], c->str[0], false, &o) : NULL;
		struct sbuf fl;
		sbuf_init(&fl);
		if (c->nr == syscall_number(c->abi, "umount2")) umount_flags_str(&fl, c->args[1]);
		agg_mount("umount", "", p ? p : "", "", sbuf_cstr(&fl), NULL, call_result(&*c), &o);
		if (p) agg_path(p, "mount-target", call_result(c), 1, &o);
		sbuf_free(&fl);
		free(p);
		break;
	}
	case CL_PIVOT_ROOT:
		p = c->str[0] ? path_resolve(c->pid, c->base[0], c->str[0], true, &o) : NULL;
		q = c->str[1] ? path_resolve(c->pid, c->base[1], c->str[1], true, &o) : NULL;
		agg_mount("pivot_root", p ? p : "", q ? q : "", "", "", NULL, call_result(c), &o);
		if (p) agg_path(p, "mount-target", call_result(c), 1, &o);
		free(p);
		free(q);
		break;
	case CL_MOVE_MOUNT:
		p = c->str[0] && c->str[0][0] ? path_resolve(c->pid, c->base[0], c->str[0], true, &o) : NULL;
		q = c->str[1] && c->str[1][0] ? path_resolve(c->pid, c->base[1], c->str[1], true, &o) : NULL;
		agg_mount("move_mount", p ? p : "(fd)", q ? q : "(fd)", "", "", NULL, call_result(c), &o);
		if (q) agg_path(q, "mount-target", call_result(c), 1, &o);
		free(p);
		free(q);
		break;
	case CL_OPEN_TREE:
		p = c->str[0] && c->str[0][0] ? path_resolve(c->pid, c->base[0], c->str[0], true, &o) : NULL;
		agg_mount("open_tree", p ? p : "(fd)", "", "", "", NULL, call_result(c), &o);
		free(p);
		break;
	case CL_FSOPEN:
		agg_mount("fsopen", "", "", c->str[0] ? c->str[0] : "", "", NULL, call_result(c), &o);
		break;
	case CL_UNSHARE:
		record_ns(c, "unshare", c->args[0], NULL, &o);
		break;
	case CL_SETNS: {
		char link[64], *target = NULL;
		snprintf(link, sizeof link, "/proc/%d/fd/%d", c->tid, (int)c->args[0]);
		target = xreadlink(link); /* e.g. "mnt:[4026531841]" while the caller waits */
		record_ns(c, "setns", c->args[1], target, &o);
		free(target);
		break;
	}
	case CL_CLONE:
		if (c->args[0] & NS_FLAGS_MASK) record_ns(c, "clone", c->args[0] & NS_FLAGS_MASK, NULL, &o);
		break;
	case CL_CLONE3: {
		uint64_t flags = 0;
		if (c->buf && c->buflen >= 8) memcpy(&flags, c->buf, 8);
		if (flags & NS_FLAGS_MASK) record_ns(c, "clone3", flags & NS_FLAGS_MASK, NULL, &o);
		break;
	}
	case CL_SOCKET:
	case CL_SOCKETPAIR:
		agg_net(family_name((int)c->args[0]), socktype_name((int)c->args[1]), c->cls == CL_SOCKET ? "socket" : "socketpair",
			-1, NULL, call_result(c), &o);
		break;
	case CL_BIND:
		record_sockaddr_op(c, "bind", &o);
		break;
	case CL_CONNECT:
		record_sockaddr_op(c, "connect", &o);
		break;
	case CL_SENDTO:
	case CL_SENDMSG:
		record_sockaddr_op(c, "sendto", &o);
		break;
	}
}
