/* paths.c — path normalisation and symlink resolution as the calling process sees it. */
#define _GNU_SOURCE
#include "paths.h"
#include "maps.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static pid_in_session_fn in_session;
static char *self_mnt_ns;
/* pid → (void*)1 same view as ours, (void*)2 own view (use /proc/PID/root) */
static struct intmap pid_view;
/* "<root>\0<dir>" → cached lstat verdict for intermediate components */
static struct strmap dir_cache;

enum verdict { V_DIR = 1, V_SYMLINK, V_OTHER };
struct cached {
	enum verdict v;
	char *target;
};

void paths_init(pid_in_session_fn fn) {
	in_session = fn;
	self_mnt_ns = xreadlink("/proc/self/ns/mnt");
}

void paths_forget_pid(pid_t pid) { intmap_del(&pid_view, (uint64_t)pid); }

/* The prefix under which this process's paths can be looked up from here: "" when it shares
 * our mount namespace and root, "/proc/PID/root" when it has its own. */
static const char *view_prefix(pid_t pid, char *buf, size_t n) {
	uintptr_t v = (uintptr_t)intmap_get(&pid_view, (uint64_t)pid);
	if (!v) {
		char p[64];
		snprintf(p, sizeof p, "/proc/%d/ns/mnt", pid);
		char *ns = xreadlink(p);
		snprintf(p, sizeof p, "/proc/%d/root", pid);
		char *root = xreadlink(p);
		if (!ns || !root) {
			v = 1; /* gone: the best remaining view is ours */
		} else {
			v = (self_mnt_ns && strcmp(ns, self_mnt_ns) == 0 && strcmp(root, "/") == 0) ? 1 : 2;
			intmap_put(&pid_view, (uint64_t)pid, (void *)v);
		}
		free(ns);
		free(root);
	}
	if (v == 2) {
		snprintf(buf, n, "/proc/%d/root", pid);
		return buf;
	}
	return "";
}

static bool is_number(const char *s, size_t n) {
	if (!n) return false;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i])) return false;
	return true;
}

/* A work list of components still to walk; it owns every text it was given. */
struct comps {
	char **texts;
	size_t ntexts;
	const char **v;
	size_t n, cap;
};

/* Put the components of path in front of the remaining ones. */
static void push_front(struct comps *c, const char *path) {
	char *copy = xstrdup(path);
	c->texts = xrealloc(c->texts, (c->ntexts + 1) * sizeof *c->texts);
	c->texts[c->ntexts++] = copy;
	size_t k = 0;
	for (char *p = copy; *p; p++)
		if (*p != '/' && (p == copy || p[-1] == '/')) k++;
	if (c->n + k > c->cap) {
		c->cap = (c->n + k) * 2 + 16;
		c->v = xrealloc(c->v, c->cap * sizeof *c->v);
	}
	memmove(c->v + k, c->v, c->n * sizeof *c->v);
	size_t i = 0;
	for (char *s = strtok(copy, "/"); s && i < k; s = strtok(NULL, "/")) c->v[i++] = s;
	c->n += k;
}

static void comps_free(struct comps *c) {
	for (size_t i = 0; i < c->ntexts; i++) free(c->texts[i]);
	free(c->texts);
	free(c->v);
}

static const char *pop_front(struct comps *c) {
	if (!c->n) return NULL;
	const char *s = c->v[0];
	memmove(c->v, c->v + 1, (c->n - 1) * sizeof *c->v);
	c->n--;
	return s;
}

static void pop_last(struct sbuf *r) {
	while (r->len > 1 && r->data[r->len - 1] != '/') r->len--;
	if (r->len > 1) r->len--; /* drop the slash unless it is the root */
}

static void append(struct sbuf *r, const char *comp) {
	if (!(r->len == 1 && r->data[0] == '/')) sbuf_addc(r, '/');
	sbuf_adds(r, comp);
}

char *path_lexical(const char *base, const char *path) {
	struct sbuf r;
	sbuf_init(&r);
	sbuf_addc(&r, '/');
	struct comps c = {0};
	push_front(&c, path);
	if (path[0] != '/' && base) push_front(&c, base);
	for (const char *s; (s = pop_front(&c));) {
		if (!strcmp(s, ".")) continue;
		if (!strcmp(s, "..")) {
			pop_last(&r);
			continue;
		}
		append(&r, s);
	}
	comps_free(&c);
	char *out = xstrdup(sbuf_cstr(&r));
	sbuf_free(&r);
	return out;
}

static enum verdict look(const char *prefix, const char *path, bool cacheable, char **target) {
	char full[PATH_MAX * 2];
	size_t pl = strlen(prefix), ql = strlen(path);
	if (pl + ql + 1 > sizeof full) return 0;
	memcpy(full, prefix, pl);
	memcpy(full + pl, path, ql + 1);
	struct cached *hit = cacheable ? strmap_get(&dir_cache, full) : NULL;
	if (hit) {
		*target = hit->target;
		return hit->v;
	}
	struct stat st;
	if (lstat(full, &st) < 0) return 0;
	enum verdict v = S_ISLNK(st.st_mode) ? V_SYMLINK : S_ISDIR(st.st_mode) ? V_DIR : V_OTHER;
	char *t = NULL;
	if (v == V_SYMLINK) {
		t = xreadlink(full);
		if (!t) return 0;
	}
	if (cacheable) {
		struct cached *e = xmalloc(sizeof *e);
		e->v = v;
		e->target = t;
		strmap_put(&dir_cache, full, e);
	}
	*target = t;
	return v;
}

char *path_resolve(pid_t pid, const char *base, const char *path, bool follow_last, const struct origin *o) {
	if (!path || !*path) return NULL;
	if (path[0] != '/' && !base) {
		/* The base directory could not be read (the process is gone): keep what we know. */
		return xasprintf("./%s", path);
	}
	char pbuf[64];
	const char *prefix = view_prefix(pid, pbuf, sizeof pbuf);
	struct sbuf r;
	sbuf_init(&r);
	sbuf_addc(&r, '/');
	struct comps c = {0};
	push_front(&c, path);
	if (path[0] != '/') push_front(&c, base);
	bool physical = true; /* still walking real directories */
	bool in_proc = false; /* after /proc/<pid>: magic links, walk lexically */
	int links = 0;
	for (const char *s; (s = pop_front(&c));) {
		if (!strcmp(s, ".")) continue;
		if (!strcmp(s, "..")) {
			pop_last(&r);
			continue;
		}
		bool last = c.n == 0;
		if (!in_proc && r.len == 5 && memcmp(r.data, "/proc", 5) == 0) {
			size_t n = strlen(s);
			if (is_number(s, n) || !strcmp(s, "self") || !strcmp(s, "thread-self")) {
				in_proc = true;
				physical = false;
				pid_t p = atoi(s);
				if (is_number(s, n) && in_session && in_session(p)) s = "self";
				/* /proc/<pid>/task/<tid> of our own thread is /proc/thread-self */
				if (!strcmp(s, "self") && c.n >= 2 && !strcmp(c.v[0], "task") && is_number(c.v[1], strlen(c.v[1])) &&
				    in_session && in_session(atoi(c.v[1]))) {
					pop_front(&c);
					pop_front(&c);
					s = "thread-self";
				}
				append(&r, s);
				continue;
			}
		}
		append(&r, s);
		if (!physical || (last && !follow_last)) continue;
		char *target = NULL;
		enum verdict v = look(prefix, sbuf_cstr(&r), !last, &target);
		if (v == 0) {
			physical = false; /* missing: the rest can only be normalised lexically */
		} else if (v == V_SYMLINK) {
			if (++links > 40) {
				physical = false;
				continue;
			}
			agg_symlink(sbuf_cstr(&r), target, o);
			pop_last(&r);
			if (target[0] == '/') r.len = 1;
			push_front(&c, target);
			if (last) free(target); /* not cached: ours to free */
		}
	}
	comps_free(&c);
	char *out = xstrdup(sbuf_cstr(&r));
	sbuf_free(&r);
	return out;
}
