/* names.c — number ↔ name tables. */
#define _GNU_SOURCE
#include "names.h"

#include <linux/audit.h>
#include <seccomp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#ifndef CLONE_NEWCGROUP
#define CLONE_NEWCGROUP 0x02000000
#endif

const char *abi_name(enum abi a) {
	switch (a) {
	case ABI_X86_64: return "x86_64";
	case ABI_X86: return "x86";
	case ABI_X32: return "x32";
	default: return "unknown";
	}
}

int abi_from_audit_arch(uint32_t arch) {
	if (arch == AUDIT_ARCH_X86_64) return ABI_X86_64;
	if (arch == AUDIT_ARCH_I386) return ABI_X86;
	return -1;
}

uint32_t abi_audit_arch(enum abi a) { return a == ABI_X86 ? AUDIT_ARCH_I386 : AUDIT_ARCH_X86_64; }

static uint32_t scmp_arch(enum abi a) {
	return a == ABI_X86 ? SCMP_ARCH_X86 : a == ABI_X32 ? SCMP_ARCH_X32 : SCMP_ARCH_X86_64;
}

/* Syscalls newer than libseccomp 2.5.4 (Linux 6.1). Since 5.1 the numbers >= 424 are shared by
 * every ABI; map_shadow_stack exists on x86_64 only. */
static const struct {
	int nr;
	const char *name;
	bool x86_64_only;
} newer_syscalls[] = {
	{335, "uretprobe", true},      {336, "uprobe", true},
	{451, "cachestat", false},     {452, "fchmodat2", false},      {453, "map_shadow_stack", true},
	{454, "futex_wake", false},    {455, "futex_wait", false},     {456, "futex_requeue", false},
	{457, "statmount", false},     {458, "listmount", false},      {459, "lsm_get_self_attr", false},
	{460, "lsm_set_self_attr", false}, {461, "lsm_list_modules", false}, {462, "mseal", false},
	{463, "setxattrat", false},    {464, "getxattrat", false},     {465, "listxattrat", false},
	{466, "removexattrat", false}, {467, "open_tree_attr", false}, {468, "file_getattr", false},
	{469, "file_setattr", false},
};

static const char *name_cache[ABI_COUNT][ABI_MAX_NR];
static bool name_cached[ABI_COUNT][ABI_MAX_NR];

const char *syscall_name(enum abi a, int nr) {
	if (a == ABI_X32) nr &= ~0x40000000;
	if (nr < 0 || nr >= ABI_MAX_NR || a >= ABI_COUNT) return NULL;
	if (name_cached[a][nr]) return name_cache[a][nr];
	char *n = seccomp_syscall_resolve_num_arch(scmp_arch(a), nr);
	if (!n) {
		for (size_t i = 0; i < ARRAY_LEN(newer_syscalls); i++)
			if (newer_syscalls[i].nr == nr && (a == ABI_X86_64 || !newer_syscalls[i].x86_64_only))
				n = xstrdup(newer_syscalls[i].name);
	}
	name_cache[a][nr] = n;
	name_cached[a][nr] = true;
	return n;
}

int syscall_number(enum abi a, const char *name) {
	int nr = seccomp_syscall_resolve_name_arch(scmp_arch(a), name);
	if (nr >= 0) return a == ABI_X32 ? nr & ~0x40000000 : nr;
	for (size_t i = 0; i < ARRAY_LEN(newer_syscalls); i++)
		if (strcmp(newer_syscalls[i].name, name) == 0 && (a == ABI_X86_64 || !newer_syscalls[i].x86_64_only))
			return newer_syscalls[i].nr;
	return -1;
}

int libseccomp_horizon(void) {
	int best = -1;
	for (int nr = 0; nr < ABI_MAX_NR; nr++) {
		char *n = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, nr);
		if (n) best = nr, free(n);
	}
	return best;
}

#define E(x) [x] = #x
#include <errno.h>
static const char *const errno_names[] = {
	E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(ENXIO), E(E2BIG), E(ENOEXEC), E(EBADF),
	E(ECHILD), E(EAGAIN), E(ENOMEM), E(EACCES), E(EFAULT), E(ENOTBLK), E(EBUSY), E(EEXIST),
	E(EXDEV), E(ENODEV), E(ENOTDIR), E(EISDIR), E(EINVAL), E(ENFILE), E(EMFILE), E(ENOTTY),
	E(ETXTBSY), E(EFBIG), E(ENOSPC), E(ESPIPE), E(EROFS), E(EMLINK), E(EPIPE), E(EDOM), E(ERANGE),
	E(EDEADLK), E(ENAMETOOLONG), E(ENOLCK), E(ENOSYS), E(ENOTEMPTY), E(ELOOP), E(ENOMSG),
	E(EIDRM), E(ENOSTR), E(ENODATA), E(ETIME), E(ENOSR), E(EREMOTE), E(ENOLINK), E(EPROTO),
	E(EBADMSG), E(EOVERFLOW), E(EILSEQ), E(EUSERS), E(ENOTSOCK), E(EDESTADDRREQ), E(EMSGSIZE),
	E(EPROTOTYPE), E(ENOPROTOOPT), E(EPROTONOSUPPORT), E(ESOCKTNOSUPPORT), E(EOPNOTSUPP),
	E(EPFNOSUPPORT), E(EAFNOSUPPORT), E(EADDRINUSE), E(EADDRNOTAVAIL), E(ENETDOWN),
	E(ENETUNREACH), E(ENETRESET), E(ECONNABORTED), E(ECONNRESET), E(ENOBUFS), E(EISCONN),
	E(ENOTCONN), E(ESHUTDOWN), E(ETOOMANYREFS), E(ETIMEDOUT), E(ECONNREFUSED), E(EHOSTDOWN),
	E(EHOSTUNREACH), E(EALREADY), E(EINPROGRESS), E(ESTALE), E(EDQUOT), E(ECANCELED),
	E(EOWNERDEAD), E(ENOTRECOVERABLE), E(ERFKILL), E(EHWPOISON), E(ENOKEY), E(EKEYEXPIRED),
	E(EKEYREVOKED), E(EKEYREJECTED), E(EMEDIUMTYPE), E(ENOMEDIUM), E(EREMOTEIO), E(EISNAM),
	E(ENAVAIL), E(ENOTNAM), E(EUCLEAN), E(ESTRPIPE), E(ERESTART), E(ECOMM), E(ESRMNT), E(EADV),
	E(EDOTDOT), E(ENOTUNIQ), E(EBADFD), E(EREMCHG), E(ELIBACC), E(ELIBBAD), E(ELIBSCN),
	E(ELIBMAX), E(ELIBEXEC), E(ENONET), E(ENOPKG), E(ECHRNG), E(EL2NSYNC), E(EL3HLT), E(EL3RST),
	E(ELNRNG), E(EUNATCH), E(ENOCSI), E(EL2HLT), E(EBADE), E(EBADR), E(EXFULL), E(ENOANO),
	E(EBADRQC), E(EBADSLT), E(EBFONT),
};
#undef E

const char *errno_name(int err) {
	static char buf[16][16];
	static unsigned slot;
	if (err > 0 && (size_t)err < ARRAY_LEN(errno_names) && errno_names[err]) return errno_names[err];
	/* The kernel-internal restart codes only show up at sys_exit of interrupted calls. */
	if (err == 512) return "ERESTARTSYS";
	if (err == 513) return "ERESTARTNOINTR";
	if (err == 514) return "ERESTARTNOHAND";
	if (err == 516) return "ERESTART_RESTARTBLOCK";
	char *b = buf[slot++ % 16];
	snprintf(b, 16, "E%d", err);
	return b;
}

static const char *const family_names[] = {
	"AF_UNSPEC", "AF_UNIX", "AF_INET", "AF_AX25", "AF_IPX", "AF_APPLETALK", "AF_NETROM",
	"AF_BRIDGE", "AF_ATMPVC", "AF_X25", "AF_INET6", "AF_ROSE", "AF_DECnet", "AF_NETBEUI",
	"AF_SECURITY", "AF_KEY", "AF_NETLINK", "AF_PACKET", "AF_ASH", "AF_ECONET", "AF_ATMSVC",
	"AF_RDS", "AF_SNA", "AF_IRDA", "AF_PPPOX", "AF_WANPIPE", "AF_LLC", "AF_IB", "AF_MPLS",
	"AF_CAN", "AF_TIPC", "AF_BLUETOOTH", "AF_IUCV", "AF_RXRPC", "AF_ISDN", "AF_PHONET",
	"AF_IEEE802154", "AF_CAIF", "AF_ALG", "AF_NFC", "AF_VSOCK", "AF_KCM", "AF_QIPCRTR", "AF_SMC",
	"AF_XDP", "AF_MCTP",
};

const char *family_name(int af) {
	static char buf[8][16];
	static unsigned slot;
	if (af >= 0 && (size_t)af < ARRAY_LEN(family_names)) return family_names[af];
	char *b = buf[slot++ % 8];
	snprintf(b, 16, "AF_%d", af);
	return b;
}

const char *socktype_name(int type) {
	static char buf[8][24];
	static unsigned slot;
	switch (type & 0xf) {
	case 1: return "SOCK_STREAM";
	case 2: return "SOCK_DGRAM";
	case 3: return "SOCK_RAW";
	case 4: return "SOCK_RDM";
	case 5: return "SOCK_SEQPACKET";
	case 6: return "SOCK_DCCP";
	case 10: return "SOCK_PACKET";
	}
	char *b = buf[slot++ % 8];
	snprintf(b, 24, "SOCK_%d", type & 0xf);
	return b;
}

static const char *const cap_names[] = {
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID",
	"CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
	"CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK",
	"CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
	"CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE",
	"CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE",
	"CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
	"CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
	"CAP_CHECKPOINT_RESTORE",
};

const char *cap_name(int cap) {
	static char buf[8][16];
	static unsigned slot;
	if (cap >= 0 && (size_t)cap < ARRAY_LEN(cap_names)) return cap_names[cap];
	char *b = buf[slot++ % 8];
	snprintf(b, 16, "CAP_%d", cap);
	return b;
}

struct flag_name {
	uint64_t bit;
	const char *name;
};

static void flags_str(struct sbuf *b, uint64_t flags, const struct flag_name *t, size_t n) {
	bool first = true;
	for (size_t i = 0; i < n; i++) {
		if ((flags & t[i].bit) == t[i].bit && t[i].bit) {
			if (!first) sbuf_addc(b, '|');
			sbuf_adds(b, t[i].name);
			flags &= ~t[i].bit;
			first = false;
		}
	}
	if (flags) {
		if (!first) sbuf_addc(b, '|');
		sbuf_printf(b, "0x%llx", (unsigned long long)flags);
	}
}

void mount_flags_str(struct sbuf *b, uint64_t flags) {
	static const struct flag_name t[] = {
		{MS_RDONLY, "MS_RDONLY"}, {MS_NOSUID, "MS_NOSUID"}, {MS_NODEV, "MS_NODEV"},
		{MS_NOEXEC, "MS_NOEXEC"}, {MS_SYNCHRONOUS, "MS_SYNCHRONOUS"}, {MS_REMOUNT, "MS_REMOUNT"},
		{MS_MANDLOCK, "MS_MANDLOCK"}, {MS_DIRSYNC, "MS_DIRSYNC"}, {MS_NOSYMFOLLOW, "MS_NOSYMFOLLOW"},
		{MS_NOATIME, "MS_NOATIME"}, {MS_NODIRATIME, "MS_NODIRATIME"}, {MS_BIND, "MS_BIND"},
		{MS_MOVE, "MS_MOVE"}, {MS_REC, "MS_REC"}, {MS_SILENT, "MS_SILENT"},
		{MS_POSIXACL, "MS_POSIXACL"}, {MS_UNBINDABLE, "MS_UNBINDABLE"}, {MS_PRIVATE, "MS_PRIVATE"},
		{MS_SLAVE, "MS_SLAVE"}, {MS_SHARED, "MS_SHARED"}, {MS_RELATIME, "MS_RELATIME"},
		{MS_KERNMOUNT, "MS_KERNMOUNT"}, {MS_I_VERSION, "MS_I_VERSION"},
		{MS_STRICTATIME, "MS_STRICTATIME"}, {MS_LAZYTIME, "MS_LAZYTIME"},
	};
	/* The historic magic number in the high bits means nothing. */
	if ((flags & 0xffff0000ULL) == 0xC0ED0000ULL) flags &= 0xffff;
	flags_str(b, flags, t, ARRAY_LEN(t));
}

void ns_flags_str(struct sbuf *b, uint64_t flags) {
	static const struct flag_name t[] = {
		{CLONE_NEWNS, "CLONE_NEWNS"}, {CLONE_NEWUTS, "CLONE_NEWUTS"}, {CLONE_NEWIPC, "CLONE_NEWIPC"},
		{CLONE_NEWUSER, "CLONE_NEWUSER"}, {CLONE_NEWPID, "CLONE_NEWPID"}, {CLONE_NEWNET, "CLONE_NEWNET"},
		{CLONE_NEWCGROUP, "CLONE_NEWCGROUP"}, {CLONE_NEWTIME, "CLONE_NEWTIME"},
		{CLONE_FILES, "CLONE_FILES"}, {CLONE_FS, "CLONE_FS"}, {CLONE_SYSVSEM, "CLONE_SYSVSEM"},
	};
	flags_str(b, flags, t, ARRAY_LEN(t));
}

void umount_flags_str(struct sbuf *b, uint64_t flags) {
	static const struct flag_name t[] = {
		{1, "MNT_FORCE"}, {2, "MNT_DETACH"}, {4, "MNT_EXPIRE"}, {8, "UMOUNT_NOFOLLOW"},
	};
	flags_str(b, flags, t, ARRAY_LEN(t));
}

/* io_uring opcodes (enum io_uring_op, Linux 6.18), and which carry a path (P) or a socket
 * address or family (N): the arguments a syscall item would record. */
static const struct {
	const char *name;
	char carries;
} uring_ops[] = {
	{"nop", 0},	    {"readv", 0},	  {"writev", 0},	 {"fsync", 0},		{"read_fixed", 0},
	{"write_fixed", 0}, {"poll_add", 0},	  {"poll_remove", 0},	 {"sync_file_range", 0}, {"sendmsg", 'N'},
	{"recvmsg", 0},	    {"timeout", 0},	  {"timeout_remove", 0}, {"accept", 0},		{"async_cancel", 0},
	{"link_timeout", 0}, {"connect", 'N'},	  {"fallocate", 0},	 {"openat", 'P'},	{"close", 0},
	{"files_update", 0}, {"statx", 'P'},	  {"read", 0},		 {"write", 0},		{"fadvise", 0},
	{"madvise", 0},	    {"send", 0},	  {"recv", 0},		 {"openat2", 'P'},	{"epoll_ctl", 0},
	{"splice", 0},	    {"provide_buffers", 0}, {"remove_buffers", 0}, {"tee", 0},		{"shutdown", 0},
	{"renameat", 'P'},  {"unlinkat", 'P'},	  {"mkdirat", 'P'},	 {"symlinkat", 'P'},	{"linkat", 'P'},
	{"msg_ring", 0},    {"fsetxattr", 0},	  {"setxattr", 'P'},	 {"fgetxattr", 0},	{"getxattr", 'P'},
	{"socket", 'N'},    {"uring_cmd", 0},	  {"send_zc", 'N'},	 {"sendmsg_zc", 'N'},	{"read_multishot", 0},
	{"waitid", 0},	    {"futex_wait", 0},	  {"futex_wake", 0},	 {"futex_waitv", 0},	{"fixed_fd_install", 0},
	{"ftruncate", 0},   {"bind", 'N'},	  {"listen", 0},	 {"recv_zc", 0},	{"epoll_wait", 0},
	{"readv_fixed", 0}, {"writev_fixed", 0},  {"pipe", 0},
};

const char *uring_op_name(uint32_t op) {
	static char buf[16];
	if (op < ARRAY_LEN(uring_ops)) return uring_ops[op].name;
	snprintf(buf, sizeof buf, "op%u", op);
	return buf;
}

int uring_op_carries(uint32_t op) {
	/* an opcode newer than this table: it may carry anything, so it counts */
	return op < ARRAY_LEN(uring_ops) ? uring_ops[op].carries != 0 : 1;
}
