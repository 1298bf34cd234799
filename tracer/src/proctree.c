/* proctree.c — proc connector reader. */
#define _GNU_SOURCE
#include "proctree.h"
#include "loop.h"
#include "paths.h"
#include "util.h"

#include <errno.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

static int cn_fd = -1;
static struct session *sess;
static uint64_t lost;

int proctree_fd(void) { return cn_fd; }
uint64_t proctree_lost(void) { return lost; }

static void handle(const struct proc_event *ev) {
	switch (ev->what) {
	case PROC_EVENT_FORK: {
		pid_t ptgid = ev->event_data.fork.parent_tgid;
		pid_t ctid = ev->event_data.fork.child_pid, ctgid = ev->event_data.fork.child_tgid;
		if (!session_has(sess, ptgid) && !session_has(sess, ctgid)) return;
		if (ctid == ctgid)
			session_add_process(sess, ctgid, ptgid);
		else
			session_add_thread(sess, ctid, ctgid);
		break;
	}
	case PROC_EVENT_EXIT: {
		pid_t tgid = ev->event_data.exit.process_tgid, pid = ev->event_data.exit.process_pid;
		if (pid == tgid && session_has(sess, tgid)) {
			session_mark_exited(sess, tgid);
			paths_forget_pid(tgid);
		}
		break;
	}
	default:
		break;
	}
}

void proctree_drain(void) {
	if (cn_fd < 0) return;
	char buf[8192] __attribute__((aligned(8)));
	for (;;) {
		ssize_t n = recv(cn_fd, buf, sizeof buf, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR) continue;
			if (errno == ENOBUFS) {
				lost++; /* at least one fork/exit event is gone; the tree may be incomplete */
				continue;
			}
			return;
		}
		if (n == 0) return;
		int len = (int)n;
		for (struct nlmsghdr *nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, len); nh = NLMSG_NEXT(nh, len)) {
			if (nh->nlmsg_type == NLMSG_NOOP || nh->nlmsg_type == NLMSG_ERROR) continue;
			struct cn_msg *cn = NLMSG_DATA(nh);
			if (cn->id.idx != CN_IDX_PROC || cn->id.val != CN_VAL_PROC) continue;
			handle((struct proc_event *)cn->data);
		}
	}
}

static void on_ready(int fd, uint32_t events, void *ctx) {
	(void)fd, (void)events, (void)ctx;
	proctree_drain();
}

bool proctree_open(struct session *s) {
	sess = s;
	cn_fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_CONNECTOR);
	if (cn_fd < 0) {
		warnx("proc connector unavailable (%s): processes are told apart by cgroup only", strerror(errno));
		return false;
	}
	int big = 16 << 20;
	if (setsockopt(cn_fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof big) < 0)
		setsockopt(cn_fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK, .nl_groups = CN_IDX_PROC, .nl_pid = 0};
	if (bind(cn_fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		warnx("proc connector bind failed (%s): processes are told apart by cgroup only", strerror(errno));
		close(cn_fd);
		cn_fd = -1;
		return false;
	}
	struct {
		struct nlmsghdr nh;
		struct cn_msg cn;
		enum proc_cn_mcast_op op;
	} __attribute__((packed)) req;
	memset(&req, 0, sizeof req);
	req.nh.nlmsg_len = sizeof req;
	req.nh.nlmsg_type = NLMSG_DONE;
	req.nh.nlmsg_pid = 0;
	req.cn.id.idx = CN_IDX_PROC;
	req.cn.id.val = CN_VAL_PROC;
	req.cn.len = sizeof(enum proc_cn_mcast_op);
	req.op = PROC_CN_MCAST_LISTEN;
	if (send(cn_fd, &req, sizeof req, 0) < 0) {
		warnx("proc connector subscribe failed (%s)", strerror(errno));
		close(cn_fd);
		cn_fd = -1;
		return false;
	}
	loop_add(cn_fd, EPOLLIN, on_ready, NULL);
	return true;
}
