/* notify.c — seccomp user-notify supervisor for learn mode. */
#define _GNU_SOURCE
#include "notify.h"
#include "capture.h"
#include "emit.h"
#include "loop.h"
#include "names.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#ifndef SECCOMP_IOCTL_NOTIF_ID_VALID
#define SECCOMP_IOCTL_NOTIF_ID_VALID SECCOMP_IOW(2, __u64)
#endif

static struct session *sess;
static notify_seen_fn seen_fn;
static notify_keep_fn keep_fn;
static uint64_t count, stale;
static struct intmap exe_cache; /* tgid → malloc'd exe path */

uint64_t notify_count(void) { return count; }
uint64_t notify_stale(void) { return stale; }

/* Read a NUL-terminated string from another process, page by page (a string may end just
 * before an unmapped page). */
static char *read_string(int memfd, uint64_t addr) {
	if (!addr) return NULL;
	struct sbuf b;
	sbuf_init(&b);
	while (b.len < WH_STR_MAX) {
		size_t chunk = 4096 - (addr & 4095);
		char tmp[4096];
		ssize_t n = pread(memfd, tmp, chunk, (off_t)addr);
		if (n <= 0) {
			sbuf_free(&b);
			return NULL;
		}
		char *z = memchr(tmp, 0, (size_t)n);
		if (z) {
			sbuf_add(&b, tmp, (size_t)(z - tmp));
			return (char *)sbuf_cstr(&b);
		}
		sbuf_add(&b, tmp, (size_t)n);
		addr += (uint64_t)n;
	}
	return (char *)sbuf_cstr(&b);
}

static bool read_mem(int memfd, uint64_t addr, void *out, size_t n) {
	return addr && pread(memfd, out, n, (off_t)addr) == (ssize_t)n;
}

static const char *exe_of(pid_t tgid, pid_t tid, int nr, enum abi abi) {
	/* An exec replaces the image: forget what we knew when this call is an exec. */
	const struct wh_spec *sp = &capture_specs(abi)[nr];
	char *e = intmap_get(&exe_cache, (uint64_t)tgid);
	if (sp->cls == CL_EXEC) {
		/* The caller still runs the old image; the next call will see the new one (so the
		 * old one is not cached, even when the exec is the first call seen from it). */
		free(intmap_del(&exe_cache, (uint64_t)tgid));
		e = NULL;
		char p[64];
		snprintf(p, sizeof p, "/proc/%d/exe", tid);
		static char *old;
		free(old);
		old = xreadlink(p);
		return old;
	}
	if (e) return e;
	char p[64];
	snprintf(p, sizeof p, "/proc/%d/exe", tid);
	char *fresh = xreadlink(p);
	if (!fresh) return e;
	free(intmap_put(&exe_cache, (uint64_t)tgid, fresh));
	return fresh;
}

static void handle(struct seccomp_notif *req, struct seccomp_notif_resp *resp, int lfd) {
	pid_t tid = (pid_t)req->pid;
	int abi = abi_from_audit_arch(req->data.arch);
	int nr = req->data.nr;
	count++;
	char memp[64];
	snprintf(memp, sizeof memp, "/proc/%d/mem", tid);
	int memfd = open(memp, O_RDONLY | O_CLOEXEC);
	struct call c = {0};
	char *strs[WH_NSTR] = {0}, *bases[WH_NSTR] = {0};
	unsigned char buf[WH_BUF_MAX];
	pid_t tgid = session_tgid_of(sess, tid);
	c.pid = tgid;
	c.tid = tid;
	c.abi = abi < 0 ? ABI_X86_64 : (enum abi)abi;
	c.nr = nr;
	c.name = syscall_name(c.abi, nr);
	c.has_ret = false;
	for (int i = 0; i < 6; i++) c.args[i] = c.abi == ABI_X86 ? (uint32_t)req->data.args[i] : req->data.args[i];
	const struct wh_spec *sp = (abi >= 0 && nr >= 0 && nr < WH_ABI_SLOTS) ? &capture_specs(c.abi)[nr] : NULL;
	if (memfd >= 0 && sp && sp->enabled) {
		c.cls = (enum capture_class)sp->cls;
		for (int k = 0; k < WH_NSTR; k++) {
			if (sp->str[k] == WH_NOARG) continue;
			strs[k] = read_string(memfd, c.args[sp->str[k]]);
			c.str[k] = strs[k];
			if (strs[k] && strs[k][0] != '/') {
				char p[96];
				int dfd = sp->dfd[k] == WH_NOARG ? -100 : (int)c.args[sp->dfd[k]];
				if (dfd == -100 /* AT_FDCWD */)
					snprintf(p, sizeof p, "/proc/%d/cwd", tid);
				else
					snprintf(p, sizeof p, "/proc/%d/fd/%d", tid, dfd);
				bases[k] = xreadlink(p);
				c.base[k] = bases[k];
			}
		}
		if (sp->buf != WH_NOARG) {
			uint64_t addr = c.args[sp->buf];
			size_t len = 0;
			switch (sp->bufkind) {
			case WH_BUF_SOCKADDR:
				len = sp->buflen != WH_NOARG ? (size_t)c.args[sp->buflen] : 0;
				if (len > WH_BUF_MAX) len = WH_BUF_MAX;
				if (addr && len && read_mem(memfd, addr, buf, len)) c.buf = buf, c.buflen = len;
				break;
			case WH_BUF_MSGHDR: {
				uint64_t name = 0;
				uint32_t namelen = 0;
				if (c.abi == ABI_X86) {
					uint32_t h[2];
					if (read_mem(memfd, addr, h, sizeof h)) name = h[0], namelen = h[1];
				} else {
					uint64_t h[2];
					if (read_mem(memfd, addr, h, sizeof h)) name = h[0], namelen = (uint32_t)h[1];
				}
				len = namelen > WH_BUF_MAX ? WH_BUF_MAX : namelen;
				if (name && len && read_mem(memfd, name, buf, len)) c.buf = buf, c.buflen = len;
				break;
			}
			case WH_BUF_CLONE_ARGS:
			case WH_BUF_OPEN_HOW:
				if (read_mem(memfd, addr, buf, 8)) c.buf = buf, c.buflen = 8;
				break;
			case WH_BUF_ARGV0: {
				uint64_t p0 = 0;
				if (c.abi == ABI_X86) {
					uint32_t p32;
					if (read_mem(memfd, addr, &p32, 4)) p0 = p32;
				} else {
					read_mem(memfd, addr, &p0, 8);
				}
				strs[WH_NSTR - 1] = read_string(memfd, p0);
				c.str[1] = strs[WH_NSTR - 1];
				break;
			}
			}
		}
	}
	if (memfd >= 0) close(memfd);
	/* What we read is only trustworthy if the caller is still the one waiting on this id. */
	bool valid = ioctl(lfd, SECCOMP_IOCTL_NOTIF_ID_VALID, &req->id) == 0;
	c.exe = exe_of(tgid, tid, nr, c.abi);
	if (valid) {
		seen_fn(tgid, c.abi, nr, c.exe);
		if (!keep_fn || keep_fn(tgid, c.abi, nr, c.exe)) classify_call(&c);
	} else {
		stale++;
	}
	for (int k = 0; k < WH_NSTR; k++) free(strs[k]), free(bases[k]);

	memset(resp, 0, sizeof *resp);
	resp->id = req->id;
	resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	if (ioctl(lfd, SECCOMP_IOCTL_NOTIF_SEND, resp) < 0 && errno != ENOENT)
		warnx("seccomp notify: answering %s failed: %s", c.name ? c.name : "?", strerror(errno));
}

static void on_ready(int fd, uint32_t events, void *ctx) {
	(void)ctx;
	static struct seccomp_notif req;
	static struct seccomp_notif_resp resp;
	if (events & (EPOLLHUP | EPOLLERR)) {
		/* Every process holding the filter is gone. */
		loop_del(fd);
		close(fd);
		return;
	}
	for (int i = 0; i < 64; i++) {
		memset(&req, 0, sizeof req);
		if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
			if (errno == EINTR) continue;
			break; /* ENOENT: the caller went away; EAGAIN-like: nothing queued */
		}
		handle(&req, &resp, fd);
		struct epoll_event dummy;
		(void)dummy;
		/* Only one pending notification per wakeup is guaranteed: poll again before the next. */
		break;
	}
}

void notify_set_keep(notify_keep_fn keep) { keep_fn = keep; }

void notify_start(int listener_fd, struct session *s, notify_seen_fn seen) {
	sess = s;
	seen_fn = seen;
	loop_add(listener_fd, EPOLLIN, on_ready, NULL);
}
