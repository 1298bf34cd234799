/* maps.h — two small hash maps: string → pointer, and 64-bit integer → pointer. */
#ifndef WHITTLE_MAPS_H
#define WHITTLE_MAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct strmap_entry {
	char *key;
	void *val;
	uint64_t hash;
};
struct strmap {
	struct strmap_entry *e;
	size_t cap, len;
};
void *strmap_get(const struct strmap *m, const char *key);
/* Returns the previous value (or NULL); the key is copied. */
void *strmap_put(struct strmap *m, const char *key, void *val);

struct intmap_entry {
	uint64_t key;
	void *val;
	bool used, deleted;
};
struct intmap {
	struct intmap_entry *e;
	size_t cap, len, tomb;
};
void *intmap_get(const struct intmap *m, uint64_t key);
bool intmap_has(const struct intmap *m, uint64_t key);
void *intmap_put(struct intmap *m, uint64_t key, void *val);
void *intmap_del(struct intmap *m, uint64_t key);
/* Iterate: for (size_t i = 0; intmap_next(m, &i, &k, &v);) */
bool intmap_next(const struct intmap *m, size_t *i, uint64_t *key, void **val);

#endif
