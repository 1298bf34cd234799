/* seccomp-exec NAMES-FILE -- CMD [ARGS...]: run CMD under a seccomp allowlist built the way runc
 * builds Docker's default profile: libseccomp, default action ERRNO(EPERM), the native, x86 and
 * x32 architectures, one allow rule per syscall name (names this libseccomp does not know are
 * skipped, as runc does), libseccomp's default (unoptimised) filter layout, no no_new_privs (root
 * may load a filter without it). For bench/run.mjs: the cost of "what Docker's default profile
 * allows", side by side with whittle's own filter.
 *
 *   gcc -O2 -o seccomp-exec bench/seccomp-exec.c -lseccomp
 */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 4 || strcmp(argv[2], "--")) {
		fprintf(stderr, "usage: seccomp-exec NAMES-FILE -- CMD [ARGS...]\n");
		return 125;
	}
	FILE *f = fopen(argv[1], "r");
	if (!f) {
		perror(argv[1]);
		return 125;
	}
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	if (!ctx || seccomp_arch_add(ctx, SCMP_ARCH_X86) < 0 || seccomp_arch_add(ctx, SCMP_ARCH_X32) < 0) {
		fprintf(stderr, "seccomp-exec: libseccomp setup failed\n");
		return 125;
	}
	seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	char name[128];
	int rules = 0;
	while (fscanf(f, "%127s", name) == 1) {
		int nr = seccomp_syscall_resolve_name(name);
		if (nr == __NR_SCMP_ERROR)
			continue;
		if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0) == 0)
			rules++;
	}
	fclose(f);
	if (getenv("SECCOMP_EXEC_VERBOSE"))
		fprintf(stderr, "seccomp-exec: %d allow rules\n", rules);
	int rc = seccomp_load(ctx);
	if (rc < 0) {
		fprintf(stderr, "seccomp-exec: seccomp_load: %s\n", strerror(-rc));
		return 125;
	}
	seccomp_release(ctx);
	execvp(argv[3], argv + 3);
	fprintf(stderr, "seccomp-exec: %s: %s\n", argv[3], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
