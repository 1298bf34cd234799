/* names.h — number ↔ name tables: syscalls (via libseccomp, plus newer ones), errno, socket
 * families and types, capabilities, mount and namespace flags. */
#ifndef WHITTLE_NAMES_H
#define WHITTLE_NAMES_H

#include <stdint.h>
#include <stddef.h>
#include "util.h"

/* The ABIs a task can call the kernel through on x86_64. */
enum abi { ABI_X86_64 = 0, ABI_X86 = 1, ABI_X32 = 2, ABI_COUNT = 3 };
#define ABI_MAX_NR 1024 /* syscall numbers we keep tables for, per ABI */

const char *abi_name(enum abi a);                 /* "x86_64", "x86", "x32" */
int abi_from_audit_arch(uint32_t audit_arch);      /* AUDIT_ARCH_* → enum abi, or -1 */
uint32_t abi_audit_arch(enum abi a);
/* Kernel/libseccomp name of a syscall, or NULL when neither libseccomp nor our table knows it. */
const char *syscall_name(enum abi a, int nr);
/* Number of a syscall by name on an ABI, or -1. */
int syscall_number(enum abi a, const char *name);
/* Highest syscall number this machine's libseccomp knows on x86_64 (the profile "horizon"). */
int libseccomp_horizon(void);

const char *errno_name(int err);            /* "ENOENT"; never NULL ("E123" for unknown) */
const char *family_name(int af);            /* "AF_INET"; "AF_123" for unknown */
const char *socktype_name(int type);        /* "SOCK_STREAM"; flags are masked off */
const char *cap_name(int cap);              /* "CAP_SYS_ADMIN"; "CAP_123" for unknown */
const char *uring_op_name(uint32_t op);     /* io_uring opcode: "openat", "statx"; "op123" for unknown */
/* Does an io_uring operation carry a path or a socket address (what a syscall item would record)? */
int uring_op_carries(uint32_t op);
void mount_flags_str(struct sbuf *b, uint64_t flags);  /* "MS_RDONLY|MS_NOSUID" or "" */
void ns_flags_str(struct sbuf *b, uint64_t flags);     /* "CLONE_NEWNS|CLONE_NEWNET" or "" */
void umount_flags_str(struct sbuf *b, uint64_t flags); /* "MNT_DETACH" or "" */

#endif
