/* main.c — whittle-tracer: command-line parsing and dispatch only.
 *
 *   whittle-tracer learn [--mechanism seccomp|ebpf] [--events FD|unix:PATH] [--rcvbuf BYTES]
 *                        [--ringbuf BYTES] [--no-cap-probe] -- CMD [ARGS...]
 *   whittle-tracer probe           feature checks for `whittle doctor` (JSON on stdout)
 *   whittle-tracer version
 */
#define _GNU_SOURCE
#include "agg.h"
#include "emit.h"
#include "learn.h"
#include "loop.h"
#include "paths.h"
#include "probe.h"
#include "filter.h"
int enforce_main(int argc, char **argv);
int container_main(int argc, char **argv);
#include "session.h"
#include "util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef WHITTLE_VERSION
#define WHITTLE_VERSION "0.0.0"
#endif

static void usage(FILE *f) {
	fprintf(f,
		"usage: whittle-tracer learn [--mechanism seccomp|ebpf] [--events FD|unix:PATH]\n"
		"                            [--rcvbuf BYTES] [--ringbuf BYTES] [--no-cap-probe] -- CMD [ARGS...]\n"
		"       whittle-tracer enforce --spec FILE [--events FD|unix:PATH] -- CMD [ARGS...]\n"
		"       whittle-tracer container profile|learn|run …   (an OCI container through its runtime; see container.c)\n"
		"       whittle-tracer probe\n"
		"       whittle-tracer compile < SPEC > PROGRAM.bpf\n"
		"       whittle-tracer version\n"
		"The tracer is normally run by `whittle learn`; see tracer/PROTOCOL.md for its event stream.\n");
}

static bool parse_size(const char *s, int *out) {
	uint64_t v;
	size_t n = strlen(s);
	uint64_t mult = 1;
	char buf[32];
	if (n && n < sizeof buf) {
		strcpy(buf, s);
		char last = buf[n - 1];
		if (last == 'k' || last == 'K') mult = 1024, buf[n - 1] = 0;
		if (last == 'm' || last == 'M') mult = 1024 * 1024, buf[n - 1] = 0;
		if (parse_u64(buf, &v) && v * mult <= (1u << 30)) {
			*out = (int)(v * mult);
			return true;
		}
	}
	return false;
}

static int cmd_learn(int argc, char **argv) {
	struct learn_opts o = {.mechanism = NULL, .rcvbuf = 64 << 20, .ringbuf = 8 << 20, .cap_probe = true};
	const char *events = NULL;
	o.simulate_missing = getenv("WHITTLE_SIMULATE_MISSING");
	static const struct option opts[] = {
		{"mechanism", required_argument, 0, 'm'}, {"events", required_argument, 0, 'e'},
		{"rcvbuf", required_argument, 0, 'r'},    {"ringbuf", required_argument, 0, 'b'},
		{"no-cap-probe", no_argument, 0, 'C'},    {"help", no_argument, 0, 'h'},
		{0, 0, 0, 0},
	};
	optind = 1;
	int c;
	while ((c = getopt_long(argc, argv, "+m:e:r:b:Ch", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (strcmp(optarg, "seccomp") && strcmp(optarg, "ebpf")) die("use seccomp or ebpf", "unknown mechanism: %s", optarg);
			o.mechanism = optarg;
			o.explicit_mechanism = true;
			break;
		case 'e':
			events = optarg;
			break;
		case 'r':
			if (!parse_size(optarg, &o.rcvbuf)) die("give a size like 65536, 512k or 64M", "bad --rcvbuf: %s", optarg);
			break;
		case 'b':
			if (!parse_size(optarg, &o.ringbuf) || (o.ringbuf & (o.ringbuf - 1)) || o.ringbuf < 4096)
				die("give a power of two of at least 4096, like 8M", "bad --ringbuf: %s", optarg);
			break;
		case 'C':
			o.cap_probe = false;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return EXIT_TRACER_FAILURE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		die("put the command after --", "no command to run");
	}
	if (geteuid() != 0) die("run it as root (sudo whittle learn …)", "whittle learn needs root: it installs kernel probes and reads audit records");
	debug_timing("start");
	if (events) emit_open(events);
	agg_init();
	loop_init();
	paths_init(session_pid_in_session);
	struct session s = {0};
	s.argv = argv + optind;
	s.tracer_exe = xreadlink("/proc/self/exe");
	session_resolve_command(&s);
	if (!o.mechanism) {
		o.mechanism = probe_best_mechanism(o.simulate_missing);
		if (strcmp(o.mechanism, "ebpf") != 0)
			warnx("the in-kernel (eBPF) recorder is unavailable%s: recording with seccomp RET_LOG, which costs more on syscall-heavy work",
			      o.simulate_missing && strstr(o.simulate_missing, "ebpf") ? " (simulated)" : "");
	}
	int status = strcmp(o.mechanism, "ebpf") == 0 ? learn_ebpf(&s, &o) : learn_seccomp(&s, &o);
	learn_emit_end(&s, agg_elapsed());
	emit_close();
	debug_timing("end sent");
	cgroup_destroy(&s.cg);
	debug_timing("cgroup removed");
	return status;
}

int main(int argc, char **argv) {
	if (argc < 2) {
		usage(stderr);
		return EXIT_TRACER_FAILURE;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "learn")) return cmd_learn(argc - 1, argv + 1);
	if (!strcmp(cmd, "probe")) return probe_main(argc - 1, argv + 1);
	if (!strcmp(cmd, "compile")) return compile_main(argc - 1, argv + 1);
	if (!strcmp(cmd, "enforce")) return enforce_main(argc - 1, argv + 1);
	if (!strcmp(cmd, "container")) return container_main(argc - 1, argv + 1);
	if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
		printf("whittle-tracer %s\n", WHITTLE_VERSION);
		return 0;
	}
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		usage(stdout);
		return 0;
	}
	fprintf(stderr, "whittle-tracer: unknown command '%s'\n", cmd);
	usage(stderr);
	return EXIT_TRACER_FAILURE;
}
