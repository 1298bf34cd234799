/* loop.c — epoll wrapper. */
#include "loop.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <unistd.h>

struct watch {
	int fd;
	loop_fn fn;
	void *ctx;
	struct watch *next;
};

static int epfd = -1;
static struct watch *watches;

void loop_init(void) {
	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (epfd < 0) die_errno(NULL, "epoll_create1");
}

void loop_add(int fd, uint32_t events, loop_fn fn, void *ctx) {
	struct watch *w = xcalloc(1, sizeof *w);
	w->fd = fd, w->fn = fn, w->ctx = ctx;
	w->next = watches;
	watches = w;
	struct epoll_event ev = {.events = events, .data.ptr = w};
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0) die_errno(NULL, "epoll_ctl(ADD, %d)", fd);
}

void loop_del(int fd) {
	epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL);
	for (struct watch **p = &watches; *p; p = &(*p)->next) {
		if ((*p)->fd == fd) {
			/* keep the struct alive: an event for it may already be in this round's batch */
			(*p)->fn = NULL;
			*p = (*p)->next;
			return;
		}
	}
}

void loop_once(int timeout_ms) {
	struct epoll_event evs[16];
	int n = epoll_wait(epfd, evs, 16, timeout_ms);
	if (n < 0) {
		if (errno == EINTR) return;
		die_errno(NULL, "epoll_wait");
	}
	for (int i = 0; i < n; i++) {
		struct watch *w = evs[i].data.ptr;
		if (w->fn) w->fn(w->fd, evs[i].events, w->ctx);
	}
}
