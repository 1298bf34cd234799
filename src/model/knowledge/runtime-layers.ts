/**
 * Syscalls a container runtime makes itself after it installed the container's seccomp filter
 * and before it executes the application: a profile learned from the application alone lacks
 * them, and the container then fails to start. Each layer is added (and shown separately) when
 * a profile targets that runtime.
 *
 * How these were found: a container whose profile's default action is SCMP_ACT_LOG was run with
 * each runtime on this machine (runc 1.1.5, crun 1.8.1, podman 4.3.1 with conmon 2.1.6), and the
 * kernel's RET_LOG records made before the application's execve were read (test/integration
 * keeps that measurement honest: an exported profile must start the container the first time).
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
    // runc's init after seccomp: waits on the exec fifo, closes descriptors, execs the app
    syscalls: ['execve', 'fstatfs', 'fcntl', 'close', 'openat', 'write', 'getpid', 'epoll_ctl', 'epoll_pwait', 'futex', 'nanosleep', 'rt_sigreturn', 'rt_sigprocmask', 'sched_yield', 'newfstatat', 'read', 'tgkill', 'getppid', 'mmap', 'munmap', 'madvise', 'sigaltstack', 'rt_sigaction', 'gettid', 'exit_group', 'exit', 'capget', 'capset', 'prctl', 'setgroups', 'setresgid', 'setresuid', 'fchdir', 'chdir', 'getcwd', 'brk', 'mprotect'],
    source: 'measured with runc 1.1.5 on Debian 12 (Go runtime of runc init between seccomp load and execve)',
  },
  crun: {
    runtime: 'crun',
    version: '1.8.1',
    syscalls: ['execve', 'close', 'close_range', 'read', 'write', 'openat', 'fstat', 'newfstatat', 'getpid', 'capget', 'capset', 'prctl', 'setgroups', 'setresgid', 'setresuid', 'chdir', 'fchdir', 'exit_group', 'rt_sigprocmask', 'dup2', 'dup3'],
    source: 'measured with crun 1.8.1 on Debian 12',
  },
  podman: {
    runtime: 'podman',
    version: '4.3.1',
    syscalls: ['execve', 'close', 'close_range', 'read', 'write', 'openat', 'newfstatat', 'getpid', 'capget', 'capset', 'prctl', 'setgroups', 'setresgid', 'setresuid', 'chdir', 'fchdir', 'exit_group', 'rt_sigprocmask', 'pselect6', 'dup2', 'dup3'],
    source: 'measured with podman 4.3.1 (conmon + crun/runc) on Debian 12',
  },
};
