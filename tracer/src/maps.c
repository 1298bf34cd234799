/* maps.c — open-addressing hash maps. */
#include "maps.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static void strmap_grow(struct strmap *m) {
	size_t ncap = m->cap ? m->cap * 2 : 64;
	struct strmap_entry *ne = xcalloc(ncap, sizeof *ne);
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->e[i].key) continue;
		size_t j = m->e[i].hash & (ncap - 1);
		while (ne[j].key) j = (j + 1) & (ncap - 1);
		ne[j] = m->e[i];
	}
	free(m->e);
	m->e = ne;
	m->cap = ncap;
}

void *strmap_get(const struct strmap *m, const char *key) {
	if (!m->cap) return NULL;
	uint64_t h = hash_str(key, 0);
	for (size_t j = h & (m->cap - 1);; j = (j + 1) & (m->cap - 1)) {
		if (!m->e[j].key) return NULL;
		if (m->e[j].hash == h && strcmp(m->e[j].key, key) == 0) return m->e[j].val;
	}
}

void *strmap_put(struct strmap *m, const char *key, void *val) {
	if ((m->len + 1) * 2 > m->cap) strmap_grow(m);
	uint64_t h = hash_str(key, 0);
	size_t j = h & (m->cap - 1);
	for (;; j = (j + 1) & (m->cap - 1)) {
		if (!m->e[j].key) break;
		if (m->e[j].hash == h && strcmp(m->e[j].key, key) == 0) {
			void *old = m->e[j].val;
			m->e[j].val = val;
			return old;
		}
	}
	m->e[j].key = xstrdup(key);
	m->e[j].hash = h;
	m->e[j].val = val;
	m->len++;
	return NULL;
}

static uint64_t mix(uint64_t k) {
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	return k;
}

static void intmap_grow(struct intmap *m) {
	size_t ncap = m->cap ? (m->len * 4 > m->cap ? m->cap * 2 : m->cap) : 64;
	struct intmap_entry *ne = xcalloc(ncap, sizeof *ne);
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->e[i].used || m->e[i].deleted) continue;
		size_t j = mix(m->e[i].key) & (ncap - 1);
		while (ne[j].used) j = (j + 1) & (ncap - 1);
		ne[j] = m->e[i];
	}
	free(m->e);
	m->e = ne;
	m->cap = ncap;
	m->tomb = 0;
}

static struct intmap_entry *intmap_find(const struct intmap *m, uint64_t key) {
	if (!m->cap) return NULL;
	for (size_t j = mix(key) & (m->cap - 1);; j = (j + 1) & (m->cap - 1)) {
		if (!m->e[j].used) return NULL;
		if (!m->e[j].deleted && m->e[j].key == key) return &m->e[j];
	}
}

void *intmap_get(const struct intmap *m, uint64_t key) {
	struct intmap_entry *e = intmap_find(m, key);
	return e ? e->val : NULL;
}

bool intmap_has(const struct intmap *m, uint64_t key) { return intmap_find(m, key) != NULL; }

void *intmap_put(struct intmap *m, uint64_t key, void *val) {
	struct intmap_entry *e = intmap_find(m, key);
	if (e) {
		void *old = e->val;
		e->val = val;
		return old;
	}
	if ((m->len + m->tomb + 1) * 2 > m->cap) intmap_grow(m);
	size_t j = mix(key) & (m->cap - 1);
	while (m->e[j].used) j = (j + 1) & (m->cap - 1);
	m->e[j] = (struct intmap_entry){.key = key, .val = val, .used = true};
	m->len++;
	return NULL;
}

void *intmap_del(struct intmap *m, uint64_t key) {
	struct intmap_entry *e = intmap_find(m, key);
	if (!e) return NULL;
	void *old = e->val;
	e->deleted = true;
	e->val = NULL;
	m->len--;
	m->tomb++;
	return old;
}

bool intmap_next(const struct intmap *m, size_t *i, uint64_t *key, void **val) {
	for (; *i < m->cap; (*i)++) {
		if (m->e[*i].used && !m->e[*i].deleted) {
			if (key) *key = m->e[*i].key;
			if (val) *val = m->e[*i].val;
			(*i)++;
			return true;
		}
	}
	return false;
}
