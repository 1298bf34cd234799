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
 * every run of the configurations that make it, except runc's futex (Go runtime; 5–15 runs of 30,
 * more under CPU load). Nothing was added by hand.
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
    //   getpid openat write — runc init loads the filter after the exec fifo, just before execve.
    // noNewPrivileges=false (Docker's and podman's default) adds capget capset chdir faccessat2
    //   fcntl fstat getcwd getppid newfstatat prctl read setgid setgroups setuid, and fchown
    //   (stdio ownership) when the process runs as a non-root user.
    syscalls: [
      'capget', 'capset', 'chdir', 'close', 'epoll_ctl', 'execve', 'faccessat2', 'fchown', 'fcntl', 'fstat', 'fstatfs', 'futex',
      'getcwd', 'getdents64', 'getpid', 'getppid', 'newfstatat', 'openat', 'prctl', 'read', 'setgid', 'setgroups', 'setuid', 'write',
    ],
    source:
      'measured with runc 1.1.5 (go1.19.8, libseccomp 2.5.4) on Debian 12, Linux 6.18: RET_LOG records of runc init under an SCMP_ACT_LOG profile, ' +
      '30 runs each with noNewPrivileges true and false (and 30 more under CPU load), 5 runs each as uid 1000 with additional groups',
  },
  crun: {
    runtime: 'crun',
    version: '1.8.1',
    // noNewPrivileges=true: close execve. noNewPrivileges=false adds capset prctl rt_sigaction
    //   rt_sigprocmask setresgid setresuid write. The same as uid 1000 with additional groups.
    syscalls: ['capset', 'close', 'execve', 'prctl', 'rt_sigaction', 'rt_sigprocmask', 'setresgid', 'setresuid', 'write'],
    source:
      'measured with crun 1.8.1 on Debian 12, Linux 6.18: RET_LOG records of the container process under an SCMP_ACT_LOG profile, ' +
      '30 runs each with noNewPrivileges true and false, 5 runs each as uid 1000 with additional groups',
  },
  podman: {
    runtime: 'podman',
    version: '4.3.1',
    // podman's OCI runtime makes these (conmon itself is not under the container's filter). With
    // crun (podman's default here): the crun layer plus pselect6 and read. With runc
    // (--runtime runc): exactly the runc layer. The layer is the union, so a profile works with
    // either.
    syscalls: [
      'capget', 'capset', 'chdir', 'close', 'epoll_ctl', 'execve', 'faccessat2', 'fchown', 'fcntl', 'fstat', 'fstatfs', 'futex',
      'getcwd', 'getdents64', 'getpid', 'getppid', 'newfstatat', 'openat', 'prctl', 'pselect6', 'read', 'rt_sigaction', 'rt_sigprocmask',
      'setgid', 'setgroups', 'setresgid', 'setresuid', 'setuid', 'write',
    ],
    source:
      'measured with podman 4.3.1 (conmon 2.1.6; crun 1.8.1 and runc 1.1.5 as its OCI runtime) on Debian 12, Linux 6.18, vfs storage, cgroupfs, ' +
      'network none: RET_LOG records of the container process under an SCMP_ACT_LOG profile (--security-opt seccomp=), ' +
      '10 runs each with and without --security-opt no-new-privileges, 5 runs each as --user 1000:1000 with --group-add',
  },
};
