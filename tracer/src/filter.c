/* filter.c — building the enforcing seccomp filter. */
#define _GNU_SOURCE
#include "filter.h"
#include "names.h"
#include "util.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

struct range {
	int abi;
	unsigned first, last;
};

static int errno_by_name(const char *name) {
	for (int e = 1; e < 200; e++)
		if (strcmp(errno_name(e), name) == 0) return e;
	return -1;
}

static bool fail(char *err, size_t n, const char *fmt, const char *a, int line) {
	snprintf(err, n, fmt, a);
	size_t l = strlen(err);
	if (line > 0) snprintf(err + l, n - l, " (filter spec line %d)", line);
	return false;
}

/* Add a rule by name; names libseccomp does not know come back false. */
static bool rule_by_name(scmp_filter_ctx ctx, uint32_t action, const char *name, int *rc) {
	int nr = seccomp_syscall_resolve_name(name);
	if (nr == __NR_SCMP_ERROR) return false;
	*rc = seccomp_rule_add(ctx, action, nr, 0);
	return true;
}

bool filter_build(FILE *spec, struct filter_prog *out, char *err, size_t errlen) {
	char line[512];
	int lineno = 0;
	bool header = false, x86 = false;
	int default_errno = EPERM;
	struct range ranges[256];
	size_t nranges = 0;
	unsigned allownr[2][64];
	size_t nallownr[2] = {0, 0};
	bool restrict_families = false;
	unsigned families[64];
	size_t nfamilies = 0;
	/* First pass: read everything (arch and default must be known before the context). */
	struct {
		char name[64];
		int errno_v; /* 0: allow */
	} rules[2048];
	size_t nrules = 0;
	while (fgets(line, sizeof line, spec)) {
		lineno++;
		line[strcspn(line, "\r\n")] = 0;
		if (!line[0] || line[0] == '#') continue;
		char a[64], b[64], c[64], d[64];
		int n = sscanf(line, "%63s %63s %63s %63s", a, b, c, d);
		if (!header) {
			if (n != 2 || strcmp(a, "whittle-filter") || strcmp(b, "1")) return fail(err, errlen, "not a whittle filter spec (version 1): %s", line, lineno);
			header = true;
		} else if (!strcmp(a, "arch") && n == 2) {
			if (!strcmp(b, "x86")) x86 = true;
			else if (strcmp(b, "x86_64")) return fail(err, errlen, "unsupported architecture %s (this whittle enforces on x86_64 and x86)", b, lineno);
		} else if (!strcmp(a, "horizon")) {
			/* informational: the ranges carry the consequence */
		} else if (!strcmp(a, "default") && n == 3 && !strcmp(b, "errno")) {
			default_errno = errno_by_name(c);
			if (default_errno < 0) return fail(err, errlen, "unknown errno %s", c, lineno);
		} else if (!strcmp(a, "allow") && n == 2) {
			if (nrules == ARRAY_LEN(rules)) return fail(err, errlen, "too many rules%s", "", lineno);
			snprintf(rules[nrules].name, sizeof rules[0].name, "%s", b);
			rules[nrules++].errno_v = 0;
		} else if (!strcmp(a, "errno") && n == 3) {
			int e = errno_by_name(b);
			if (e < 0) return fail(err, errlen, "unknown errno %s", b, lineno);
			if (nrules == ARRAY_LEN(rules)) return fail(err, errlen, "too many rules%s", "", lineno);
			snprintf(rules[nrules].name, sizeof rules[0].name, "%s", c);
			rules[nrules++].errno_v = e;
		} else if (!strcmp(a, "enosys") && n == 4) {
			if (nranges == ARRAY_LEN(ranges)) return fail(err, errlen, "too many ranges%s", "", lineno);
			ranges[nranges].abi = !strcmp(b, "x86") ? ABI_X86 : ABI_X86_64;
			ranges[nranges].first = (unsigned)strtoul(c, NULL, 10);
			ranges[nranges].last = (unsigned)strtoul(d, NULL, 10);
			nranges++;
		} else if (!strcmp(a, "probe") && n == 2) {
			if (nrules == ARRAY_LEN(rules)) return fail(err, errlen, "too many rules%s", "", lineno);
			snprintf(rules[nrules].name, sizeof rules[0].name, "%s", b);
			rules[nrules++].errno_v = ENOSYS;
		} else if (!strcmp(a, "restrict-families") && n == 1) {
			restrict_families = true;
		} else if (!strcmp(a, "family") && n == 2) {
			if (nfamilies < ARRAY_LEN(families)) families[nfamilies++] = (unsigned)strtoul(b, NULL, 10);
		} else if (!strcmp(a, "allownr") && n == 3) {
			int abi = !strcmp(b, "x86") ? 1 : 0;
			if (nallownr[abi] < 64) allownr[abi][nallownr[abi]++] = (unsigned)strtoul(c, NULL, 10);
		} else {
			return fail(err, errlen, "cannot read: %s", line, lineno);
		}
	}
	if (!header) return fail(err, errlen, "empty filter spec%s", "", 0);

	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO((uint32_t)default_errno));
	if (!ctx) return fail(err, errlen, "seccomp_init failed%s", "", 0);
	/* A syscall through an ABI the policy does not cover is refused, not allowed by number. */
	seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ERRNO((uint32_t)default_errno));
	seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	if (x86 && seccomp_arch_add(ctx, SCMP_ARCH_X86) != 0) {
		seccomp_release(ctx);
		return fail(err, errlen, "cannot add the x86 architecture%s", "", 0);
	}
	for (size_t i = 0; i < nrules; i++) {
		/* A rule equal to the default action is what the default does already (libseccomp
		 * refuses it); the linter points such rules out. */
		if (rules[i].errno_v == default_errno) continue;
		uint32_t action = rules[i].errno_v ? SCMP_ACT_ERRNO((uint32_t)rules[i].errno_v) : SCMP_ACT_ALLOW;
		int rc = 0;
		if (!rule_by_name(ctx, action, rules[i].name, &rc)) {
			/* too new for this libseccomp: the TS side sends allownr for those it knows */
			if (syscall_number(ABI_X86_64, rules[i].name) >= 0) continue;
			seccomp_release(ctx);
			return fail(err, errlen, "unknown syscall name %s", rules[i].name, 0);
		}
		if (rc < 0 && rc != -EEXIST) {
			seccomp_release(ctx);
			return fail(err, errlen, "libseccomp refused the rule for %s", rules[i].name, 0);
		}
	}

	/* Export libseccomp's program, then put the stub in front of it. */
	int mfd = memfd_create("whittle-filter", MFD_CLOEXEC);
	int rc = mfd >= 0 ? seccomp_export_bpf(ctx, mfd) : -1;
	seccomp_release(ctx);
	off_t end = mfd >= 0 ? lseek(mfd, 0, SEEK_END) : -1;
	if (rc < 0 || end <= 0) {
		if (mfd >= 0) close(mfd);
		return fail(err, errlen, "exporting the filter failed%s", "", 0);
	}
	size_t buflen = (size_t)end;
	char *buf = xmalloc(buflen);
	if (pread(mfd, buf, buflen, 0) != (ssize_t)buflen) {
		close(mfd);
		free(buf);
		return fail(err, errlen, "reading the exported filter failed%s", "", 0);
	}
	close(mfd);
	size_t main_len = buflen / sizeof(struct sock_filter);
	struct sock_filter stub[512];
	size_t s = 0;
	/* Per ABI: load nr; allowed-new numbers → ALLOW; ENOSYS ranges → ENOSYS; else → main. */
	int abis[2] = {ABI_X86_64, ABI_X86};
	size_t jumps_to_main[512], nj = 0, jumps_to_enosys[512], ne = 0, jumps_to_allow[128], na = 0;
	for (int k = 0; k < 2; k++) {
		int abi = abis[k];
		if (abi == ABI_X86 && !x86) continue;
		stub[s++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
		size_t skip_at = s;
		stub[s++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, abi_audit_arch(abi), 0, 0); /* jf patched */
		stub[s++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
		if (abi == ABI_X86_64) {
			/* x32 numbers: the main filter refuses them (bad arch) */
			jumps_to_main[nj++] = s;
			stub[s++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 0);
		}
		/* socket()/socketpair() of a family the policy did not accept: EAFNOSUPPORT, as a
		 * kernel without that family would answer (the main filter allows the call itself). */
		if (restrict_families) {
			int socket_nrs[2] = {abi == ABI_X86_64 ? 41 : 359, abi == ABI_X86_64 ? 53 : 360};
			for (int q = 0; q < 2; q++) {
				size_t skip = s;
				stub[s++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)socket_nrs[q], 0, 0);
				stub[s++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0]));
				for (size_t f = 0; f < nfamilies; f++) {
					jumps_to_main[nj++] = s;
					stub[s++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, families[f], 0, 0);
				}
				stub[s++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EAFNOSUPPORT);
				stub[skip].jf = (uint8_t)(s - skip - 1);
			}
		}
		for (size_t i = 0; i < nallownr[k]; i++) {
			jumps_to_allow[na++] = s;
			stub[s++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, allownr[k][i], 0, 0);
		}
		for (size_t i = 0; i < nranges; i++) {
			if (ranges[i].abi != abi) continue;
			/* nr in [first, last]: jge first (else next), jgt last (→ next) else ENOSYS */
			stub[s] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, ranges[i].first, 0, 1);
			s++;
			jumps_to_enosys[ne++] = s;
			stub[s++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, ranges[i].last, 0, 0);
		}
		jumps_to_main[nj++] = s;
		stub[s++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JA, 0, 0, 0);
		stub[skip_at].jf = (uint8_t)(s - skip_at - 1);
		if (s > 400) {
			free(buf);
			return fail(err, errlen, "the ENOSYS stub is too large%s", "", 0);
		}
	}
	/* A syscall of an ABI with no section above skips to here: on to the main filter. */
	jumps_to_main[nj++] = s;
	stub[s++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JA, 0, 0, 0);
	size_t enosys_at = s;
	stub[s++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
	size_t allow_at = s;
	stub[s++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	size_t main_at = s;
	/* Patch the jumps (relative, forward). Conditional jumps carry 8-bit offsets. */
	for (size_t i = 0; i < nj; i++) {
		size_t at = jumps_to_main[i];
		size_t off = main_at - at - 1;
		if (BPF_OP(stub[at].code) == BPF_JA) stub[at].k = (uint32_t)off;
		else stub[at].jt = (uint8_t)off;
		if (off > 255 && BPF_OP(stub[at].code) != BPF_JA) {
			free(buf);
			return fail(err, errlen, "stub jump too far%s", "", 0);
		}
	}
	for (size_t i = 0; i < ne; i++) {
		size_t at = jumps_to_enosys[i];
		/* jgt last: true → next range check (jt 0); false → ENOSYS */
		stub[at].jt = 0;
		stub[at].jf = (uint8_t)(enosys_at - at - 1);
	}
	for (size_t i = 0; i < na; i++) stub[jumps_to_allow[i]].jt = (uint8_t)(allow_at - jumps_to_allow[i] - 1);
	out->len = (unsigned short)(s + main_len);
	out->insns = xmalloc(out->len * sizeof(struct sock_filter));
	memcpy(out->insns, stub, s * sizeof(struct sock_filter));
	memcpy(out->insns + s, buf, main_len * sizeof(struct sock_filter));
	free(buf);
	return true;
}

void filter_free(struct filter_prog *p) {
	free(p->insns);
	p->insns = NULL;
	p->len = 0;
}

int compile_main(int argc, char **argv) {
	(void)argc, (void)argv;
	struct filter_prog prog;
	char err[512];
	if (!filter_build(stdin, &prog, err, sizeof err)) {
		fprintf(stderr, "whittle-tracer: %s\n", err);
		return 2;
	}
	size_t n = prog.len * sizeof(struct sock_filter);
	if (fwrite(prog.insns, 1, n, stdout) != n) {
		fprintf(stderr, "whittle-tracer: writing the program failed\n");
		return 1;
	}
	filter_free(&prog);
	return 0;
}
