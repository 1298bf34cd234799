/* loop.h — a small epoll loop: each mechanism registers its descriptors with a handler. */
#ifndef WHITTLE_LOOP_H
#define WHITTLE_LOOP_H

#include <stdint.h>

typedef void (*loop_fn)(int fd, uint32_t events, void *ctx);

void loop_init(void);
void loop_add(int fd, uint32_t events, loop_fn fn, void *ctx);
void loop_del(int fd);
/* Wait up to timeout_ms and run the handlers of what is ready. */
void loop_once(int timeout_ms);

#endif
