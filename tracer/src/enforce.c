/* enforce.c — `whittle-tracer enforce`: run a workload for real under a policy, and report
 * every denial while it runs.
 *
 * The child builds its sandbox inside the session cgroup, in this order, then execs:
 *   1. a private mount namespace (and an empty network namespace when no inet family was
 *      accepted; the audit reader stays behind in the initial one);
 *   2. a filesystem view of only the accepted trees: a tmpfs root, bind mounts (read-only where
 *      only reading was accepted), recreated symlinks, a fresh /proc, the mounts the person
 *      accepted; pivot_root into it;
 *   3. Landlock rules for the finer rights, best effort by ABI (what the kernel lacks is said);
 *   4. the capability bounding set reduced to the accepted capabilities, no_new_privs;
 *   5. the seccomp filter (libseccomp allowlist + ENOSYS stub, see filter.c) with
 *      SECCOMP_FILTER_FLAG_LOG, so every seccomp denial arrives as a kernel record.
 * Seccomp denials are read from NETLINK_AUDIT's READLOG group; path (EACCES/EPERM) and
 * capability denials from the in-kernel probe. User-notify CONTINUE is never used here.
 */
#define _GNU_SOURCE
#include "agg.h"
#include "audit.h"
#include "capprobe.h"
#include "emit.h"
#include "filter.h"
#include "landlock.h"
#include "learn.h"
#include "loop.h"
#include "maps.h"
#include "names.h"
#include "paths.h"
#include "proctree.h"
#include "session.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/capability.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* VIEW_OPEN: the workload only looked the name up or opened it: a directory becomes an empty
 * directory with the host's mode and owner (binding it would bring its whole tree), a file is
 * bound read-only. VIEW_STAT: the same for a directory; a file becomes a stand-in with the host's
 * size, mode, owner and times, holding zeros (its content was never read); VIEW_STAT0: the same
 * stand-in without permission bits (a person denied some access to it).
 * VIEW_LIST: the workload listed a directory: the same names, as stand-ins (empty directories
 * that can be walked through but not listed, empty files with no permissions, symlinks with
 * the same target); what else the view binds
 * beneath it is mounted over its stand-in. */
enum view_kind { VIEW_STAT0, VIEW_STAT, VIEW_OPEN, VIEW_LIST, VIEW_RO, VIEW_RW };

struct view_entry {
	char *path;
	enum view_kind kind;
};

struct plan {
	struct sbuf filter_spec; /* lines for filter_build */
	bool net_none;
	uint64_t caps; /* bits of the accepted capabilities */
	struct view_entry *views;
	size_t nviews;
	struct {
		char *link, *target;
	} *symlinks;
	size_t nsymlinks;
	bool proc;
	struct {
		char *fstype, *source, *target;
		unsigned long flags;
	} *mounts;
	size_t nmounts;
	struct ll_rule *ll;
	size_t nll;
	bool have_view;
	/* for telling denials apart (a record carries the syscall, not the errno the filter gave) */
	struct strmap denied_by_person; /* name → errno string a person chose */
	struct strmap probes;           /* names answered ENOSYS because programs probe them */
	struct strmap allowed;
	struct {
		int abi;
		unsigned first, last;
	} enosys[256];
	size_t nenosys;
	bool abi_x86;
	char *default_errno;
	struct filter_prog prog;
};

static struct plan plan;
static struct session *sess;
static uint64_t foreign_records;
static int landlock_abi_used;

static int cap_number(const char *name) {
	for (int c = 0; c <= 40; c++)
		if (!strcmp(cap_name(c), name)) return c;
	return -1;
}

static unsigned long mount_flag(const char *f) {
	static const struct {
		const char *n;
		unsigned long v;
	} t[] = {{"MS_RDONLY", MS_RDONLY}, {"MS_NOSUID", MS_NOSUID}, {"MS_NODEV", MS_NODEV}, {"MS_NOEXEC", MS_NOEXEC},
		 {"MS_NOATIME", MS_NOATIME}, {"MS_RELATIME", MS_RELATIME}, {"MS_STRICTATIME", MS_STRICTATIME}};
	for (size_t i = 0; i < ARRAY_LEN(t); i++)
		if (!strcmp(t[i].n, f)) return t[i].v;
	return 0;
}

/* Read the spec from a file, or from descriptor spec_fd (closed after: the workload must not
 * inherit it). An empty descriptor means whittle gave up before sending one (the policy was
 * refused): nothing to say, exit quietly. */
static void read_plan(const char *file, int spec_fd) {
	FILE *f = spec_fd >= 0 ? fdopen(spec_fd, "r") : !strcmp(file, "-") ? stdin : fopen(file, "re");
	if (!f) die_errno(NULL, "cannot read the enforce spec %s", file ? file : "(descriptor)");
	sbuf_init(&plan.filter_spec);
	sbuf_adds(&plan.filter_spec, "whittle-filter 1\n");
	char line[8192];
	int lineno = 0;
	bool header = false;
	while (fgets(line, sizeof line, f)) {
		lineno++;
		line[strcspn(line, "\r\n")] = 0;
		if (!line[0] || line[0] == '#') continue;
		if (!header) {
			if (strcmp(line, "whittle-enforce 1")) die("whittle writes this file: rebuild both from one checkout", "not an enforce spec (version 1): %s", line);
			header = true;
			continue;
		}
		char *sp = strchr(line, ' ');
		char *rest = sp ? sp + 1 : line + strlen(line);
		size_t kwlen = sp ? (size_t)(sp - line) : strlen(line);
		char kw[32];
		snprintf(kw, sizeof kw, "%.*s", (int)(kwlen < 31 ? kwlen : 31), line);
		if (!strcmp(kw, "arch") || !strcmp(kw, "horizon") || !strcmp(kw, "default") || !strcmp(kw, "allow") || !strcmp(kw, "probe") ||
		    !strcmp(kw, "enosys") || !strcmp(kw, "allownr") || !strcmp(kw, "family") || !strcmp(kw, "restrict-families") || !strcmp(kw, "errno")) {
			sbuf_adds(&plan.filter_spec, line);
			sbuf_addc(&plan.filter_spec, '\n');
			char a1[64], a2[64], a3[64];
			int n = sscanf(rest, "%63s %63s %63s", a1, a2, a3);
			if (!strcmp(kw, "errno") && n == 2) strmap_put(&plan.denied_by_person, a2, xstrdup(a1));
			if (!strcmp(kw, "probe") && n == 1) strmap_put(&plan.probes, a1, (void *)1);
			if (!strcmp(kw, "allow") && n == 1) strmap_put(&plan.allowed, a1, (void *)1);
			if (!strcmp(kw, "arch") && n == 1 && !strcmp(a1, "x86")) plan.abi_x86 = true;
			if (!strcmp(kw, "default") && n == 2) plan.default_errno = xstrdup(a2);
			if (!strcmp(kw, "enosys") && n == 3 && plan.nenosys < ARRAY_LEN(plan.enosys)) {
				plan.enosys[plan.nenosys].abi = !strcmp(a1, "x86") ? ABI_X86 : ABI_X86_64;
				plan.enosys[plan.nenosys].first = (unsigned)strtoul(a2, NULL, 10);
				plan.enosys[plan.nenosys].last = (unsigned)strtoul(a3, NULL, 10);
				plan.nenosys++;
			}
		} else if (!strcmp(kw, "net")) {
			plan.net_none = !strcmp(rest, "none");
		} else if (!strcmp(kw, "cap")) {
			int c = cap_number(rest);
			if (c < 0) die("use capability names such as CAP_NET_BIND_SERVICE", "unknown capability %s (enforce spec line %d)", rest, lineno);
			plan.caps |= 1ULL << c;
		} else if (!strcmp(kw, "view")) {
			char kind[8];
			int off = 0;
			if (sscanf(rest, "%7s %n", kind, &off) < 1 || !rest[off]) die(NULL, "bad view line %d", lineno);
			plan.views = xrealloc(plan.views, (plan.nviews + 1) * sizeof *plan.views);
			plan.views[plan.nviews].path = xstrdup(rest + off);
			if (!strcmp(kind, "rw")) plan.views[plan.nviews].kind = VIEW_RW;
			else if (!strcmp(kind, "ro")) plan.views[plan.nviews].kind = VIEW_RO;
			else if (!strcmp(kind, "stat")) plan.views[plan.nviews].kind = VIEW_STAT;
			else if (!strcmp(kind, "stat0")) plan.views[plan.nviews].kind = VIEW_STAT0;
			else if (!strcmp(kind, "open")) plan.views[plan.nviews].kind = VIEW_OPEN;
			else if (!strcmp(kind, "list")) plan.views[plan.nviews].kind = VIEW_LIST;
			else die("whittle writes this file: rebuild both from one checkout", "unknown view kind %s (line %d)", kind, lineno);
			plan.nviews++;
			plan.have_view = true;
		} else if (!strcmp(kw, "view-root")) {
			plan.have_view = true; /* a view even when nothing is bound */
		} else if (!strcmp(kw, "symlink")) {
			char *t = strchr(rest, ' ');
			if (!t) die(NULL, "bad symlink line %d", lineno);
			plan.symlinks = xrealloc(plan.symlinks, (plan.nsymlinks + 1) * sizeof *plan.symlinks);
			plan.symlinks[plan.nsymlinks].link = xstrndup(rest, (size_t)(t - rest));
			plan.symlinks[plan.nsymlinks].target = xstrdup(t + 1);
			plan.nsymlinks++;
		} else if (!strcmp(kw, "proc")) {
			plan.proc = true;
		} else if (!strcmp(kw, "mount")) {
			char fstype[64], source[1024], target[4096], flags[256] = "";
			if (sscanf(rest, "%63s %1023s %4095s %255s", fstype, source, target, flags) < 3) die(NULL, "bad mount line %d", lineno);
			plan.mounts = xrealloc(plan.mounts, (plan.nmounts + 1) * sizeof *plan.mounts);
			plan.mounts[plan.nmounts].fstype = xstrdup(fstype);
			plan.mounts[plan.nmounts].source = xstrdup(source);
			plan.mounts[plan.nmounts].target = xstrdup(target);
			unsigned long fl = 0;
			for (char *t = strtok(flags, "|,"); t; t = strtok(NULL, "|,")) fl |= mount_flag(t);
			plan.mounts[plan.nmounts].flags = fl;
			plan.nmounts++;
		} else if (!strcmp(kw, "landlock") || !strcmp(kw, "landlock-beneath")) {
			char *t = strrchr(rest, ' ');
			if (!t) die(NULL, "bad landlock line %d", lineno);
			uint64_t bits;
			char bad[64];
			if (!landlock_parse_rights(t + 1, &bits, bad, sizeof bad)) die("use LANDLOCK_ACCESS_FS_* names without the prefix", "unknown Landlock right %s (line %d)", bad, lineno);
			plan.ll = xrealloc(plan.ll, (plan.nll + 1) * sizeof *plan.ll);
			plan.ll[plan.nll].path = xstrndup(rest, (size_t)(t - rest));
			plan.ll[plan.nll].access = bits;
			plan.ll[plan.nll].beneath = !strcmp(kw, "landlock-beneath");
			plan.nll++;
		} else {
			die("whittle writes this file: rebuild both from one checkout", "unknown enforce spec line %d: %s", lineno, line);
		}
	}
	if (f != stdin) fclose(f);
	if (!header && spec_fd >= 0 && lineno == 0) exit(EXIT_TRACER_FAILURE);
	if (!header) die(NULL, "empty enforce spec");
	char err[512];
	FILE *fs = fmemopen(plan.filter_spec.data, plan.filter_spec.len, "r");
	if (!fs || !filter_build(fs, &plan.prog, err, sizeof err)) die("the policy's syscall part is invalid", "%s", err);
	fclose(fs);
}

/* The first mount-changing syscall the policy allows, or NULL. */
static const char *workload_may_mount(void) {
	static const char *const calls[] = {"mount", "umount2", "umount", "pivot_root", "move_mount", "fsmount", "mount_setattr", "open_tree"};
	for (size_t i = 0; i < ARRAY_LEN(calls); i++)
		if (strmap_get(&plan.allowed, calls[i])) return calls[i];
	return NULL;
}

/* ---- the child's side ---- */

static void mkdirs(const char *path) {
	char buf[8192];
	snprintf(buf, sizeof buf, "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/') continue;
		*p = 0;
		mkdir(buf, 0755);
		*p = '/';
	}
	mkdir(buf, 0755);
}

static void touch_parent_and_file(const char *path) {
	char buf[8192];
	snprintf(buf, sizeof buf, "%s", path);
	char *slash = strrchr(buf, '/');
	if (slash && slash != buf) {
		*slash = 0;
		mkdirs(buf);
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd >= 0) close(fd);
}

/* The names of the host's directory dir as stand-ins in the view's directory target: no
 * permissions, nothing in them; a symlink keeps its target (where it leads is up to the view). */
static void stand_ins(const char *dir, const char *target) {
	DIR *d = opendir(dir);
	if (!d) {
		session_child_note("cannot list %s for the sandbox's view: %s", dir, strerror(errno));
		return;
	}
	int tfd = open(target, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (tfd < 0) {
		closedir(d);
		return;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
		struct stat st;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) continue;
		if (S_ISDIR(st.st_mode)) {
			/* search only (--x--x--x): listing it is refused, but a walk through it to a
			 * name that is not there ends in ENOENT, as it did when learned — with 000,
			 * root without CAP_DAC_* got EACCES there, and with CAP_DAC_OVERRIDE the
			 * kernel's CAP_DAC_READ_SEARCH check came back as a denial */
			mkdirat(tfd, e->d_name, 0111);
		} else if (S_ISLNK(st.st_mode)) {
			char to[4096];
			ssize_t n = readlinkat(dirfd(d), e->d_name, to, sizeof to - 1);
			if (n < 0) continue;
			to[n] = 0;
			if (symlinkat(to, tfd, e->d_name) < 0) continue;
		} else {
			int fd = openat(tfd, e->d_name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
			if (fd >= 0) close(fd);
		}
		if (fchownat(tfd, e->d_name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) < 0) continue;
	}
	close(tfd);
	closedir(d);
}

static void host_modes_on_the_way(const char *root, const struct stat *root_st, const char *path) {
	char host[4096], view[8192];
	snprintf(host, sizeof host, "%s", path);
	for (char *p = host + 1; (p = strchr(p, '/')); p++) {
		*p = 0;
		struct stat hs, vs;
		snprintf(view, sizeof view, "%s%s", root, host);
		if (stat(host, &hs) == 0 && lstat(view, &vs) == 0 && S_ISDIR(vs.st_mode) && vs.st_dev == root_st->st_dev &&
		    ((vs.st_mode & 07777) != (hs.st_mode & 07777) || vs.st_uid != hs.st_uid || vs.st_gid != hs.st_gid)) {
			if (chmod(view, hs.st_mode & 07777) < 0 || chown(view, hs.st_uid, hs.st_gid) < 0) { /* best effort */
			}
		}
		*p = '/';
	}
}

/* May what is missing at path be made? Only on the view's own tmpfs: where its nearest
 * existing ancestor is under a bind mount, making it would change the host's filesystem (e.g.
 * a temp dir a previous run made). */
static bool makeable_in_view(const char *path, const struct stat *root_st) {
	char anc[8192];
	snprintf(anc, sizeof anc, "%s", path);
	struct stat ast = {0};
	for (char *slash; (slash = strrchr(anc, '/')) && slash > anc;) {
		*slash = 0;
		if (stat(anc, &ast) == 0) break;
	}
	return ast.st_dev == root_st->st_dev;
}

/* The host's symlink host as the same symlink at target in the view, unless something is
 * there already (a listed directory's stand-in, or a bind's own) or it cannot be made there. */
static void symlink_in_view(const char *host, const char *target, const struct stat *root_st) {
	struct stat ts;
	if (lstat(target, &ts) == 0 || !makeable_in_view(target, root_st)) return;
	char to[4096], dir[8192];
	ssize_t n = readlink(host, to, sizeof to - 1);
	if (n < 0) return;
	to[n] = 0;
	snprintf(dir, sizeof dir, "%s", target);
	char *slash = strrchr(dir, '/');
	if (slash) *slash = 0;
	mkdirs(dir);
	if (symlink(to, target) < 0) session_child_note("cannot recreate the symlink %s: %s", host, strerror(errno));
}

/* Parents before children, so a bind of /usr/lib is not hidden by one of /usr. */
static int by_depth(const void *a, const void *b) {
	const struct view_entry *x = a, *y = b;
	return strcmp(x->path, y->path);
}

static void build_view(const char *root) {
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) session_child_fail("making the mount tree private failed: %s", strerror(errno));
	mkdirs(root);
	if (mount("whittle-view", root, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") < 0)
		session_child_fail("mounting the view's tmpfs on %s failed: %s", root, strerror(errno));
	struct stat root_st;
	if (stat(root, &root_st) < 0) session_child_fail("the view's root %s: %s", root, strerror(errno));
	qsort(plan.views, plan.nviews, sizeof *plan.views, by_depth);
	size_t missing = 0;
	struct sbuf names;
	sbuf_init(&names);
	for (size_t i = 0; i < plan.nviews; i++) {
		const char *p = plan.views[i].path;
		struct stat st;
		if (stat(p, &st) < 0) {
			if (missing++ < 3) sbuf_printf(&names, "%s%s", names.len ? ", " : "", p);
			continue;
		}
		char target[8192];
		snprintf(target, sizeof target, "%s%s", root, p);
		enum view_kind k = plan.views[i].kind;
		struct stat lst;
		if ((k == VIEW_STAT || k == VIEW_STAT0) && lstat(p, &lst) == 0 && S_ISLNK(lst.st_mode)) {
			/* the workload looked at the link itself (lstat; a link it went through is
			 * recreated from its target below): the view has the same link, not a file */
			symlink_in_view(p, target, &root_st);
			continue;
		}
		if (S_ISREG(st.st_mode) && (k == VIEW_STAT || k == VIEW_STAT0)) {
			struct stat tst;
			if (stat(target, &tst) == 0 && tst.st_dev != root_st.st_dev) continue; /* under a bind: the host's own */
			touch_parent_and_file(target);
			struct timespec ts[2] = {st.st_atim, st.st_mtim};
			if (truncate(target, st.st_size) < 0 || chmod(target, k == VIEW_STAT0 ? 0 : st.st_mode & 07777) < 0 ||
			    chown(target, st.st_uid, st.st_gid) < 0 ||
			    utimensat(AT_FDCWD, target, ts, 0) < 0)
				session_child_note("cannot make the stand-in of %s in the view: %s", p, strerror(errno));
			continue;
		}
		if (S_ISDIR(st.st_mode) && (k == VIEW_STAT || k == VIEW_STAT0 || k == VIEW_OPEN || k == VIEW_LIST)) {
			struct stat tst;
			if (stat(target, &tst) == 0 && tst.st_dev != root_st.st_dev) continue; /* under a bind: the host's own */
			mkdirs(target);
			if (k == VIEW_LIST) stand_ins(p, target);
			if (chmod(target, st.st_mode & 07777) < 0 || chown(target, st.st_uid, st.st_gid) < 0)
				session_child_note("cannot give %s its owner and mode in the view: %s", p, strerror(errno));
			continue;
		}
		if (S_ISDIR(st.st_mode)) mkdirs(target);
		else touch_parent_and_file(target);
		if (mount(p, target, NULL, MS_BIND | MS_REC, NULL) < 0) {
			session_child_note("cannot bind %s into the sandbox view: %s", p, strerror(errno));
			continue;
		}
		if (plan.views[i].kind == VIEW_RO && mount(NULL, target, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID, NULL) < 0)
			session_child_note("cannot make %s read-only in the view: %s", p, strerror(errno));
	}
	/* The directories on the way to each entry that the view made (mkdirs' 0755, or a listed
	 * directory's search-only stand-in) get the host's mode and owner: a stand-in's 0111
	 * would refuse listing what is bound beneath it. */
	for (size_t i = 0; i < plan.nviews; i++) host_modes_on_the_way(root, &root_st, plan.views[i].path);
	if (missing)
		session_child_note("%zu accepted path(s) do not exist on this machine (%s%s): the view cannot have them", missing, sbuf_cstr(&names),
				   missing > 3 ? ", …" : "");
	for (size_t i = 0; i < plan.nsymlinks; i++) {
		char link[8192];
		snprintf(link, sizeof link, "%s%s", root, plan.symlinks[i].link);
		char dir[8192];
		snprintf(dir, sizeof dir, "%s", link);
		char *slash = strrchr(dir, '/');
		if (slash) *slash = 0, mkdirs(dir);
		struct stat st;
		if (lstat(link, &st) == 0) continue; /* a bind already put something there */
		if (symlink(plan.symlinks[i].target, link) < 0) session_child_note("cannot recreate the symlink %s: %s", plan.symlinks[i].link, strerror(errno));
	}
	if (plan.proc) {
		char p[4096];
		snprintf(p, sizeof p, "%s/proc", root);
		mkdirs(p);
		if (mount("proc", p, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) session_child_note("cannot mount /proc in the view: %s", strerror(errno));
	}
	for (size_t i = 0; i < plan.nmounts; i++) {
		char t[8192];
		snprintf(t, sizeof t, "%s%s", root, plan.mounts[i].target);
		struct stat st;
		if (stat(t, &st) < 0) {
			if (!makeable_in_view(t, &root_st)) {
				session_child_note("the accepted mount of %s on %s was not made: %s does not exist, and making it would change the "
						   "host's filesystem",
						   plan.mounts[i].fstype, plan.mounts[i].target, plan.mounts[i].target);
				continue;
			}
			mkdirs(t);
		}
		if (mount(plan.mounts[i].source, t, plan.mounts[i].fstype, plan.mounts[i].flags, NULL) < 0)
			session_child_note("the accepted mount of %s on %s failed: %s", plan.mounts[i].fstype, plan.mounts[i].target, strerror(errno));
	}
	/* pivot_root(".", "."): the view becomes / and the old root is stacked on it, then lazily
	 * unmounted: nothing of the host's tree stays reachable. */
	char cwd[4096];
	if (!getcwd(cwd, sizeof cwd)) snprintf(cwd, sizeof cwd, "/");
	if (chdir(root) < 0) session_child_fail("chdir into the view failed: %s", strerror(errno));
	if (syscall(SYS_pivot_root, ".", ".") < 0) session_child_fail("pivot_root into the view failed: %s", strerror(errno));
	if (umount2(".", MNT_DETACH) < 0) session_child_fail("detaching the host's tree failed: %s", strerror(errno));
	if (chdir(cwd) < 0 && chdir("/") < 0) session_child_fail("chdir failed in the view: %s", strerror(errno));
}

static void drop_caps(void) {
	for (int c = 0; c <= 63; c++) {
		if (plan.caps & (1ULL << c)) continue;
		if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL) session_child_fail("dropping capability %s failed: %s", cap_name(c), strerror(errno));
	}
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
	struct __user_cap_data_struct d[2] = {{0}};
	/* The inheritable set stays empty, as a root process's is: with accepted capabilities in
	 * it, exec of a program with file-inheritable capabilities would gain them, and programs
	 * that manage capabilities (setpriv, capsh) act differently (moby's CVE-2022-24769). */
	d[0].effective = d[0].permitted = (uint32_t)plan.caps;
	d[1].effective = d[1].permitted = (uint32_t)(plan.caps >> 32);
	/* Lowering our own sets can fail only when they were lower already; the bounding set is
	 * what an exec of a root or setuid program gets, and it is dropped above. */
	if (syscall(SYS_capset, &h, d) < 0) session_child_note("lowering the current capability sets failed: %s", strerror(errno));
}

struct enforce_ctx {
	int go[2];
	char *view_root;
};

static void child_sandbox(struct session *s, void *vctx) {
	struct enforce_ctx *c = vctx;
	char ch;
	close(c->go[1]);
	if (read(c->go[0], &ch, 1) != 1) _exit(EXIT_TRACER_FAILURE);
	session_child_join(s);
	int flags = CLONE_NEWNS | (plan.net_none ? CLONE_NEWNET : 0);
	if (unshare(flags) < 0) session_child_fail("unshare(%s) failed: %s", plan.net_none ? "mount, network" : "mount", strerror(errno));
	if (plan.have_view) {
		build_view(c->view_root);
		/* The command must be in the view: say so now, while the report channel can still be
		 * written to (the filter may not allow write). */
		struct stat st;
		if (s->exec_path && stat(s->exec_path, &st) < 0 && stat(s->exe_path, &st) == 0) {
			/* the name as given goes through a symlink the policy does not have (a snapshot
			 * learned before execs were recorded by name): the same program, by its real path */
			s->exec_path = NULL;
		}
		if (stat(s->exec_path ? s->exec_path : s->exe_path, &st) < 0) session_child_exec_failed(errno);
	}
	if (plan.nll && landlock_abi_used > 0) {
		size_t skipped = 0;
		char err[256], names[512];
		if (landlock_apply(plan.ll, plan.nll, landlock_abi_used, &skipped, names, sizeof names, err, sizeof err) < 0)
			session_child_note("Landlock was not applied: %s (the mount view and seccomp still enforce)", err);
		else if (skipped)
			session_child_note("%zu Landlock rule(s) were skipped, their paths are not in the sandbox's view (%s%s): what the rules "
					   "would have allowed there is denied",
					   skipped, names, skipped > 3 ? ", …" : "");
	}
	drop_caps();
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) session_child_fail("no_new_privs: %s", strerror(errno));
	struct sock_fprog prog = {.len = plan.prog.len, .filter = plan.prog.insns};
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_LOG, &prog) < 0)
		session_child_fail("loading the seccomp filter failed: %s", strerror(errno));
}

/* ---- the parent's side ---- */

static void on_note(const char *note) { warnx("%s", note); }

/* Which rule answered, and with which errno: the tracer built the filter, so it knows.
 * klass: "syscall" (a denial), "probe" (ENOSYS for a syscall the program probes or that this
 * kernel/ABI does not have — not a denial), "family" (a socket family not accepted). */
static void classify_denial(enum abi abi, unsigned nr, const char *name, const char **errno_str, const char **klass) {
	const char *dflt = plan.default_errno ? plan.default_errno : "EPERM";
	*klass = "syscall";
	*errno_str = dflt;
	if (abi == ABI_X32 || (abi == ABI_X86 && !plan.abi_x86)) return; /* an ABI the policy does not cover */
	const char *person = name ? strmap_get(&plan.denied_by_person, name) : NULL;
	if (person) {
		*errno_str = person;
		return;
	}
	if (name && strmap_get(&plan.probes, name)) {
		*errno_str = "ENOSYS", *klass = "probe";
		return;
	}
	for (size_t i = 0; i < plan.nenosys; i++)
		if ((int)abi == plan.enosys[i].abi && nr >= plan.enosys[i].first && nr <= plan.enosys[i].last) {
			*errno_str = "ENOSYS", *klass = "probe";
			return;
		}
	if (name && (!strcmp(name, "socket") || !strcmp(name, "socketpair")) && strmap_get(&plan.allowed, name)) {
		*errno_str = "EAFNOSUPPORT", *klass = "family";
	}
}

static void on_record(const struct audit_seccomp_rec *r, void *ctx) {
	(void)ctx;
	/* Only denials are logged by an enforcing filter. The stream is the whole machine's: a
	 * learning session elsewhere can send a million RET_LOG records a second, so those go first,
	 * before any look at whose they are (a reader that falls behind loses records). */
	uint32_t action = r->code & 0x7fff0000u;
	if (action != SECCOMP_RET_ERRNO) return;
	if (!session_has(sess, r->pid)) {
		proctree_drain();
		if (!session_has(sess, r->pid) && !cgroup_has_pid(&sess->cg, r->pid)) {
			foreign_records++;
			return;
		}
		session_add_process(sess, r->pid, 0);
	}
	/* The launcher's own child between loading the filter and exec (reporting a failed exec):
	 * not the workload's doing. */
	if (r->pid == sess->root && r->exe && sess->tracer_exe && !strcmp(r->exe, sess->tracer_exe)) return;
	int abi = abi_from_audit_arch(r->arch);
	if (abi < 0) abi = ABI_X86_64;
	if (abi == ABI_X86_64 && (r->syscall & 0x40000000)) abi = ABI_X32;
	const char *name = syscall_name((enum abi)abi, r->syscall);
	const char *errno_str, *klass;
	classify_denial((enum abi)abi, (unsigned)r->syscall, name, &errno_str, &klass);
	struct origin o = {.pid = r->pid, .exe = r->exe};
	agg_denied((enum abi)abi, r->syscall, errno_str, klass, &o);
}

static void report_lost(bool force) {
	struct lost_counter c[] = {
		{"auditSocketDrops", audit_socket_drops(), "seccomp denial records the kernel could not queue to whittle's socket"},
		{"procConnector", proctree_lost(), "process-tree events the proc connector dropped"},
		{"denialProbe", denial_probe_lost(), "path or capability denials the in-kernel probe could not pass on"},
		{"ioUringUnrecorded", denial_probe_uring_unrecorded(),
		 "operations submitted through io_uring whose paths or addresses are not followed (bind, sendmsg, xattr calls, …): a "
		 "denial among them is not reported"},
	};
	learn_emit_lost(c, ARRAY_LEN(c), force);
}

static void tick(void) {
	denial_probe_poll();
	agg_flush_counts();
	report_lost(false);
	if (!emit_flush()) cgroup_signal(&sess->cg, SIGKILL);
}

static void remove_cgroup_at_exit(void) {
	if (sess) cgroup_destroy(&sess->cg);
}

int enforce_main(int argc, char **argv) {
	const char *spec = NULL, *events = NULL;
	int spec_fd = -1;
	/* 64 MiB, as learn has: the audit stream is shared with every other session on the machine */
	struct learn_opts o = {.rcvbuf = 64 << 20, .ringbuf = 1 << 20, .cap_probe = true};
	o.simulate_missing = getenv("WHITTLE_SIMULATE_MISSING");
	static const struct option opts[] = {
		{"spec", required_argument, 0, 's'}, {"spec-fd", required_argument, 0, 'f'}, {"events", required_argument, 0, 'e'}, {0, 0, 0, 0}};
	const char *usage = "usage: whittle-tracer enforce --spec FILE|--spec-fd N [--events FD] -- CMD…";
	optind = 1;
	int c;
	while ((c = getopt_long(argc, argv, "+s:f:e:", opts, NULL)) != -1) {
		if (c == 's') spec = optarg;
		else if (c == 'f') spec_fd = atoi(optarg);
		else if (c == 'e') events = optarg;
		else die(usage, "bad arguments");
	}
	if ((!spec && spec_fd < 0) || optind >= argc) die(usage, "missing --spec or the command");
	if (geteuid() != 0) die("run it as root (sudo whittle run …)", "whittle run needs root: it builds a sandbox with namespaces, mounts and seccomp");
	debug_timing("start");
	if (events) emit_open(events);
	agg_init();
	loop_init();
	paths_init(session_pid_in_session);
	/* A spec read from a file comes first (a bad one costs nothing); one on a descriptor comes
	 * while whittle is still loading the policy, so the probes are made ready meanwhile. */
	if (spec_fd < 0) read_plan(spec, -1);

	struct session s = {0};
	sess = &s;
	s.argv = argv + optind;
	s.tracer_exe = xreadlink("/proc/self/exe");
	s.on_child_note = on_note;
	session_resolve_command(&s);

	int err = audit_open(o.rcvbuf, on_record, NULL);
	if (err) die("run whittle as root (CAP_AUDIT_READ) in the initial network namespace", "cannot read seccomp denial records: %s", strerror(-err));
	session_prepare(&s, "run");
	atexit(remove_cgroup_at_exit);
	proctree_open(&s);
	debug_timing("audit open, cgroup made");
	const char *why = denial_probe_start(&s, &o);
	debug_timing("denial probe ready");
	if (spec_fd >= 0) read_plan(NULL, spec_fd);
	debug_timing("spec read");

	landlock_abi_used = plan.nll ? landlock_abi() : 0;
	/* Landlock forbids every mount, umount and pivot_root to the threads it restricts: with
	 * the workload's own mounts accepted, Landlock would break them, so it is left out. */
	const char *mounter = landlock_abi_used > 0 ? workload_may_mount() : NULL;
	if (mounter) landlock_abi_used = 0;

	emit_begin("hello");
	emit_u64("v", WHITTLE_PROTOCOL_VERSION);
	emit_str("tracer", "whittle-tracer");
	emit_str("mode", "enforce");
	emit_str("mechanism", "seccomp");
	emit_i64("landlockAbi", landlock_abi_used);
	emit_bool("pathDenials", why == NULL);
	if (why) emit_str("pathDenialsWhy", why);
	emit_i64("tracerPid", getpid());
	emit_end();
	emit_flush();
	if (why) warnx("path and capability denials cannot be seen (%s): seccomp denials still are", why);
	if (mounter)
		warnx("Landlock is not applied: the policy lets the workload mount (%s), which Landlock forbids to the processes it "
		      "restricts; paths are enforced by the sandbox's mount view only",
		      mounter);
	else if (plan.nll && landlock_abi_used == 0)
		warnx("Landlock is not available on this kernel%s: paths are enforced by the sandbox's mount view only", o.simulate_missing && strstr(o.simulate_missing, "landlock") ? " (simulated)" : "");

	struct enforce_ctx ctx;
	if (pipe2(ctx.go, O_CLOEXEC) < 0) die_errno(NULL, "pipe2");
	ctx.view_root = xasprintf("/run/whittle/view-%d", getpid());
	session_spawn(&s, child_sandbox, &ctx);
	close(ctx.go[0]);
	denial_probe_set_pre_exec(s.root);
	if (write(ctx.go[1], "g", 1) != 1) die_errno(NULL, "starting the workload");
	close(ctx.go[1]);
	learn_emit_started(&s);
	debug_timing("workload started");
	session_run(&s, 100, tick);
	debug_timing("tree gone");
	if (!audit_sync(3000)) warnx("the audit stream did not settle within 3 s: late denial records may be missing");
	proctree_drain();
	denial_probe_stop();
	agg_flush_counts();
	report_lost(true);
	if (s.setup_error) {
		emit_message("error", s.setup_error, "the sandbox could not be built; nothing of the workload ran");
		fprintf(stderr, "whittle-tracer: %s\n", s.setup_error);
	}
	session_emit_exit(&s);
	learn_emit_end(&s, agg_elapsed());
	emit_close();
	rmdir(ctx.view_root);
	cgroup_destroy(&s.cg);
	debug_timing("cgroup removed");
	return session_exit_code(&s);
}
