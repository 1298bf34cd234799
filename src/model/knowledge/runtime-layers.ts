/**
 * Syscalls a container runtime makes itself after it installed the container's seccomp filter,
 * up to and including the application's execve: a profile learned from the application alone
 * lacks them, and the container then fails to start. Each layer is added (and shown separately)
 * when a profile targets that runtime.
 *
 * How these were measured (test/helpers/measure-runtime-layer.py, run by hand as root, not by CI):
 * a busybox-static bundle whose seccomp profile is `{"defaultAction": "SCMP_ACT_LOG"}` with no
 * rules was run with each runtime on Debian 12 / Linux 6.18; the kernel's RET_LOG records
 * (audit type 1326, NETLINK_AUDIT group AUDIT_NLGRP_READLOG) of the container's init process
 * (its host pid from --pid-file / --pidfile) were kept while that process was still the runtime
 * (comm `runc:[2:INIT]` or `crun`, before the application's execve; the execve included), with
 * zero netlink loss in every run counted. Where the filter is installed depends on
 * process.noNewPrivileges (without no_new_privs a runtime must load the filter while it still has
 * CAP_SYS_ADMIN, before it changes ids and capabilities), so both values were measured, as root
 * and as uid 1000 with additional groups; each layer is the union. Every name below was seen in
 * every run of the configurations that make it, except two from runc init's Go runtime:
 * - futex: 5–15 runs of 30 idle, ~75% of runs under CPU load;
 * - rt_sigreturn: in none of 60 runs idle and 60 under load, then in 1 of 150 and 5 of 300 per
 *   configuration with 3–4 busy loops running (a signal, e.g. Go's preemption signal, lands after
 *   the filter is installed). Without it runc init dies of SIGSEGV when that happens (exit 139:
 *   2 of 40 starts on a busy machine; 0 of 190 with it).
 * Nothing was added by hand.
 */
export interface RuntimeLayer {
  runtime: 'runc' | 'crun' | 'podman';
  version: string;
  syscalls: readonly string[];
  source: string;
}

export const runtimeLayers: Readonly<Record<RuntimeLayer['runtime'], RuntimeLayer>> = {
  runc: {
    runtime: 'runc',
    version: '1.1.5',
    // noNewPrivileges=true (runc spec's default): close epoll_ctl execve fstatfs futex getdents64
    //   getpid openat rt_sigreturn write — runc init loads the filter after the exec fifo, just
    //   before execve.
    // noNewPrivileges=false (Docker's and podman's default) adds capget capset chdir faccessat2
    //   fcntl fstat getcwd getppid newfstatat prctl read setgid setgroups setuid, and fchown
    //   (stdio ownership) when the process runs as a non-root user.
    syscalls: [
      'capget', 'capset', 'chdir', 'close', 'epoll_ctl', 'execve', 'faccessat2', 'fchown', 'fcntl', 'fstat', 'fstatfs', 'futex',
      'getcwd', 'getdents64', 'getpid', 'getppid', 'newfstatat', 'openat', 'prctl', 'read', 'rt_sigreturn', 'setgid', 'setgroups', 'setuid', 'write',
    ],
    source:
      'measured with runc 1.1.5 (go1.19.8, libseccomp 2.5.4) on Debian 12, Linux 6.18: RET_LOG records of runc init under an SCMP_ACT_LOG profile, ' +
      'with noNewPrivileges true and false: 30 runs each idle, 30 + 300 each under CPU load; 5 runs each as uid 1000 with additional groups',
  },
  crun: {
    runtime: 'crun',
    version: '1.8.1',
    // noNewPrivileges=true: close execve. noNewPrivileges=false adds capset prctl rt_sigaction
    //   rt_sigprocmask setresgid setresuid write. The same as uid 1000 with additional groups.
    syscalls: ['capset', 'close', 'execve', 'prctl', 'rt_sigaction', 'rt_sigprocmask', 'setresgid', 'setresuid', 'write'],
    source:
      'measured with crun 1.8.1 on Debian 12, Linux 6.18: RET_LOG records of the container process under an SCMP_ACT_LOG profile, ' +
      'with noNewPrivileges true and false: 30 runs each idle, 150 each under CPU load (the same set every run); 5 runs each as uid 1000 with additional groups',
  },
  podman: {
    runtime: 'podman',
    version: '4.3.1',
    // podman's OCI runtime makes these (conmon itself is not under the container's filter). With
    // crun (podman's default here): the crun layer plus pselect6 and read. With runc
    // (--runtime runc): exactly the runc layer (rt_sigreturn included: 7 of 150 runs under CPU
    // load). The layer is the union, so a profile works with either.
    syscalls: [
      'capget', 'capset', 'chdir', 'close', 'epoll_ctl', 'execve', 'faccessat2', 'fchown', 'fcntl', 'fstat', 'fstatfs', 'futex',
      'getcwd', 'getdents64', 'getpid', 'getppid', 'newfstatat', 'openat', 'prctl', 'pselect6', 'read', 'rt_sigaction', 'rt_sigprocmask',
      'rt_sigreturn', 'setgid', 'setgroups', 'setresgid', 'setresuid', 'setuid', 'write',
    ],
    source:
      'measured with podman 4.3.1 (conmon 2.1.6; crun 1.8.1 and runc 1.1.5 as its OCI runtime) on Debian 12, Linux 6.18, vfs storage, cgroupfs, ' +
      'network none: RET_LOG records of the container process under an SCMP_ACT_LOG profile (--security-opt seccomp=), ' +
      'per OCI runtime 10 runs each with and without --security-opt no-new-privileges, 5 runs each as --user 1000:1000 with --group-add, ' +
      'and with runc 150 runs without no-new-privileges under CPU load (rt_sigreturn in 7)',
  },
};
