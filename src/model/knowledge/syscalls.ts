/**
 * The system call table: every syscall of the x86_64 and i386 ABIs of Linux 6.18, with its
 * number on each ABI, what it does in one line, how risky it is to allow, the capability the
 * kernel usually checks, and whether programs need it always or probe it and fall back on ENOSYS.
 *
 * It drives the risk notes in the UI, capability inference, the linter and the errno policy
 * (design.md, "Knowledge as data" and "Errno policy"). Pure data: nothing here does I/O.
 *
 * Sources for the numbers: the kernel's arch/x86/entry/syscalls/syscall_{64,32}.tbl as shipped in
 * the 6.1 uapi headers (unistd_64.h / unistd_32.h) and libseccomp 2.5.4, plus the calls added
 * from 6.2 to 6.18 (uretprobe 335 and uprobe 336 on x86_64 only, 451–469 on both ABIs except
 * map_shadow_stack 453, which i386 does not have). Each post-6.1 number was checked on a running
 * 6.18 kernel (x86_64 through `syscall`, i386 through `int $0x80`): none answered ENOSYS except
 * map_shadow_stack, which is compiled out there (CONFIG_X86_USER_SHADOW_STACK=n), and 470 was
 * still ENOSYS. (Debian's libseccomp 2.5.4 also resolves map_shadow_stack to 453 on x86, but the
 * kernel's i386 table skips 453, so it is null here.) Names are the kernel's / libseccomp's
 * (i386 `_llseek`, `_newselect`, `mmap2`; x86_64 `newfstatat`). The x32 ABI (numbers 512–547
 * with the x32 bit) is not covered.
 *
 * Summaries and risk notes are our own words.
 */
import type { Risk } from './risk.js';

/** The two ABIs whittle handles: 64-bit x86 and 32-bit x86 (i386, also reached via int 0x80). */
export type SyscallArch = 'x86_64' | 'x86';

/** Rough grouping of syscalls for display and filtering. */
export type SyscallCategory =
  | 'file' // paths, descriptors, metadata
  | 'io' // moving data, waiting for readiness, asynchronous I/O
  | 'process' // creating, running and ending processes and threads
  | 'credentials' // user/group IDs and capabilities
  | 'memory'
  | 'signal'
  | 'time'
  | 'ipc' // pipes, futexes, System V and POSIX IPC
  | 'net'
  | 'mount'
  | 'namespace'
  | 'security' // seccomp, Landlock, LSM attributes
  | 'keys' // kernel keyrings
  | 'module' // kernel modules
  | 'bpf'
  | 'debug' // looking into other processes or the kernel: ptrace, perf, uprobes
  | 'sched'
  | 'system'; // machine-wide state: time-keeping aside, hostname, reboot, swap, logs

/** One system call, as whittle knows it. */
export interface SyscallInfo {
  /** Kernel / libseccomp name (e.g. `newfstatat`, `_llseek`). */
  name: string;
  /** Number on the x86_64 ABI, or null when the call does not exist there. */
  x86_64: number | null;
  /** Number on the i386 ABI, or null when the call does not exist there. */
  x86: number | null;
  /**
   * Kernel release that introduced the operation, best effort ("1.0" for the original Unix set).
   * Some calls reached i386 as direct syscalls later than the version given: the socket calls in
   * 4.3 and the System V IPC calls in 5.1 (before that only through `socketcall` / `ipc`), and
   * arch_prctl in 4.12.
   */
  since: string;
  /** Rough grouping, for display and filtering. */
  category: SyscallCategory;
  /** One plain-language line: what it does. */
  summary: string;
  /** How dangerous it is to allow (see risk.ts). */
  risk: Risk;
  /** Why it may be dangerous, one line (present for every non-low call, and some low ones). */
  riskNote?: string;
  /** The capability the kernel checks for the call's risky (or usual) use. */
  capability?: string;
  /**
   * Needed by nearly every program on at least one ABI (exit_group, rt_sigreturn, mmap, ...);
   * denying it breaks programs before they do anything useful.
   */
  always?: boolean;
  /**
   * Programs try it and fall back to an older way when it answers ENOSYS (glibc, runc, systemd,
   * Go, Python, libuv, util-linux). When it was never seen it should be answered ENOSYS, not EPERM,
   * which such programs treat as final. On i386 this includes the *_time64 calls glibc tries first.
   */
  probe?: boolean;
  /**
   * The number is reserved but an x86_64 Linux 6.18 kernel always answers ENOSYS (the call was
   * removed, never implemented, or exists only on native 32-bit kernels, like vm86).
   */
  obsolete?: boolean;
}

/** Every syscall of the x86_64 and i386 ABIs of Linux 6.18 (x86_64 order, then i386-only calls). */
export const syscallTable: readonly SyscallInfo[] = [
  // ── x86_64 ABI (in x86_64 number order; x86 number alongside where the call exists on both) ──
  { name: 'read', x86_64: 0, x86: 3, since: '1.0', category: 'io', risk: 'low', always: true, summary: 'Read bytes from an open file descriptor into memory.' },
  { name: 'write', x86_64: 1, x86: 4, since: '1.0', category: 'io', risk: 'low', always: true, summary: 'Write bytes from memory to an open file descriptor.' },
  { name: 'open', x86_64: 2, x86: 5, since: '1.0', category: 'file', risk: 'low', summary: 'Open (or create) a file by path and get a descriptor for it.' },
  { name: 'close', x86_64: 3, x86: 6, since: '1.0', category: 'file', risk: 'low', always: true, summary: 'Release a file descriptor.' },
  { name: 'stat', x86_64: 4, x86: 106, since: '1.0', category: 'file', risk: 'low', summary: "Get a file's metadata (size, owner, mode, times) by path." },
  { name: 'fstat', x86_64: 5, x86: 108, since: '1.0', category: 'file', risk: 'low', summary: 'Get the metadata of an already open file.' },
  { name: 'lstat', x86_64: 6, x86: 107, since: '1.0', category: 'file', risk: 'low', summary: "Get a path's metadata without following a final symlink." },
  { name: 'poll', x86_64: 7, x86: 168, since: '2.2', category: 'io', risk: 'low', summary: 'Wait until any of a set of descriptors is ready for I/O.' },
  { name: 'lseek', x86_64: 8, x86: 19, since: '1.0', category: 'io', risk: 'low', summary: 'Move the read/write position of an open file.' },
  { name: 'mmap', x86_64: 9, x86: 90, since: '1.0', category: 'memory', risk: 'low', always: true, summary: 'Map a file or anonymous memory into the address space.', riskNote: 'Mappings that are both writable and executable make code injection easier.' },
  { name: 'mprotect', x86_64: 10, x86: 125, since: '1.0', category: 'memory', risk: 'low', always: true, summary: 'Change the access rights (read/write/execute) of mapped memory.', riskNote: 'Can turn data pages executable.' },
  { name: 'munmap', x86_64: 11, x86: 91, since: '1.0', category: 'memory', risk: 'low', always: true, summary: 'Remove a memory mapping.' },
  { name: 'brk', x86_64: 12, x86: 45, since: '1.0', category: 'memory', risk: 'low', always: true, summary: 'Grow or shrink the heap (the data segment end).' },
  { name: 'rt_sigaction', x86_64: 13, x86: 174, since: '2.2', category: 'signal', risk: 'low', always: true, summary: 'Install or query the handler for a signal.' },
  { name: 'rt_sigprocmask', x86_64: 14, x86: 175, since: '2.2', category: 'signal', risk: 'low', always: true, summary: 'Block or unblock signals for the calling thread.' },
  { name: 'rt_sigreturn', x86_64: 15, x86: 173, since: '2.2', category: 'signal', risk: 'low', always: true, summary: 'Return from a signal handler and restore the interrupted context.' },
  { name: 'ioctl', x86_64: 16, x86: 54, since: '1.0', category: 'io', risk: 'medium', summary: 'Send a device- or file-specific control request to a descriptor.', riskNote: 'A huge, driver-defined interface; some requests (e.g. TIOCSTI, TIOCLINUX) inject input or reach hardware.' },
  { name: 'pread64', x86_64: 17, x86: 180, since: '2.2', category: 'io', risk: 'low', summary: 'Read from a file at a given offset without moving the position.' },
  { name: 'pwrite64', x86_64: 18, x86: 181, since: '2.2', category: 'io', risk: 'low', summary: 'Write to a file at a given offset without moving the position.' },
  { name: 'readv', x86_64: 19, x86: 145, since: '2.0', category: 'io', risk: 'low', summary: 'Read into several buffers in one call (scatter input).' },
  { name: 'writev', x86_64: 20, x86: 146, since: '2.0', category: 'io', risk: 'low', summary: 'Write from several buffers in one call (gather output).' },
  { name: 'access', x86_64: 21, x86: 33, since: '1.0', category: 'file', risk: 'low', summary: 'Check whether the real user may read, write or execute a path.' },
  { name: 'pipe', x86_64: 22, x86: 42, since: '1.0', category: 'ipc', risk: 'low', summary: 'Create a one-way pipe: a pair of connected descriptors.' },
  { name: 'select', x86_64: 23, x86: 82, since: '1.0', category: 'io', risk: 'low', summary: 'Wait for readiness on descriptor bit sets (old interface).' },
  { name: 'sched_yield', x86_64: 24, x86: 158, since: '2.0', category: 'sched', risk: 'low', summary: 'Give up the CPU so other runnable threads can run.' },
  { name: 'mremap', x86_64: 25, x86: 163, since: '2.0', category: 'memory', risk: 'low', summary: 'Resize or move an existing memory mapping.' },
  { name: 'msync', x86_64: 26, x86: 144, since: '2.0', category: 'memory', risk: 'low', summary: 'Flush changes of a file-backed mapping to the file.' },
  { name: 'mincore', x86_64: 27, x86: 218, since: '2.4', category: 'memory', risk: 'low', summary: 'Report which pages of a mapping are resident in RAM.', riskNote: 'Page-cache residency can leak what other processes read (side channel).' },
  { name: 'madvise', x86_64: 28, x86: 219, since: '2.4', category: 'memory', risk: 'low', summary: 'Give the kernel usage hints for a memory range (e.g. free it, no fork copy).' },
  { name: 'shmget', x86_64: 29, x86: 395, since: '1.0', category: 'ipc', risk: 'low', summary: 'Create or look up a System V shared memory segment.' },
  { name: 'shmat', x86_64: 30, x86: 397, since: '1.0', category: 'ipc', risk: 'low', summary: 'Attach a System V shared memory segment to the address space.' },
  { name: 'shmctl', x86_64: 31, x86: 396, since: '1.0', category: 'ipc', risk: 'low', summary: 'Query, change or remove a System V shared memory segment.' },
  { name: 'dup', x86_64: 32, x86: 41, since: '1.0', category: 'file', risk: 'low', summary: 'Duplicate a file descriptor onto the lowest free number.' },
  { name: 'dup2', x86_64: 33, x86: 63, since: '1.0', category: 'file', risk: 'low', summary: 'Duplicate a file descriptor onto a chosen number.' },
  { name: 'pause', x86_64: 34, x86: 29, since: '1.0', category: 'signal', risk: 'low', summary: 'Sleep until a signal arrives.' },
  { name: 'nanosleep', x86_64: 35, x86: 162, since: '2.0', category: 'time', risk: 'low', summary: 'Sleep for a precise relative interval.' },
  { name: 'getitimer', x86_64: 36, x86: 105, since: '1.0', category: 'time', risk: 'low', summary: 'Read the state of an interval timer.' },
  { name: 'alarm', x86_64: 37, x86: 27, since: '1.0', category: 'time', risk: 'low', summary: 'Ask for a SIGALRM after a number of seconds.' },
  { name: 'setitimer', x86_64: 38, x86: 104, since: '1.0', category: 'time', risk: 'low', summary: 'Arm or disarm an interval timer that sends signals.' },
  { name: 'getpid', x86_64: 39, x86: 20, since: '1.0', category: 'process', risk: 'low', summary: "Get the caller's process ID." },
  { name: 'sendfile', x86_64: 40, x86: 187, since: '2.2', category: 'io', risk: 'low', summary: 'Copy data between two descriptors inside the kernel.' },
  { name: 'socket', x86_64: 41, x86: 359, since: '1.0', category: 'net', risk: 'medium', summary: 'Create a network or local communication endpoint of a given family and type.', riskNote: 'The address family decides what is reachable: raw packets, netlink to the kernel, other machines.' },
  { name: 'connect', x86_64: 42, x86: 362, since: '1.0', category: 'net', risk: 'low', summary: 'Connect a socket to a remote or local address.', riskNote: 'Reaches other services; the socket family and address decide where.' },
  { name: 'accept', x86_64: 43, x86: null, since: '1.0', category: 'net', risk: 'low', summary: 'Take the next incoming connection from a listening socket.' },
  { name: 'sendto', x86_64: 44, x86: 369, since: '1.0', category: 'net', risk: 'low', summary: 'Send a message on a socket, optionally to a given address.' },
  { name: 'recvfrom', x86_64: 45, x86: 371, since: '1.0', category: 'net', risk: 'low', summary: "Receive a message from a socket, with the sender's address." },
  { name: 'sendmsg', x86_64: 46, x86: 370, since: '2.0', category: 'net', risk: 'low', summary: 'Send a message with ancillary data (e.g. passing descriptors) on a socket.' },
  { name: 'recvmsg', x86_64: 47, x86: 372, since: '2.0', category: 'net', risk: 'low', summary: 'Receive a message with ancillary data from a socket.' },
  { name: 'shutdown', x86_64: 48, x86: 373, since: '1.0', category: 'net', risk: 'low', summary: 'Close one or both directions of a connected socket.' },
  { name: 'bind', x86_64: 49, x86: 361, since: '1.0', category: 'net', risk: 'low', summary: 'Give a socket a local address or port.', riskNote: 'Ports below 1024 need CAP_NET_BIND_SERVICE; binding exposes a service.' },
  { name: 'listen', x86_64: 50, x86: 363, since: '1.0', category: 'net', risk: 'low', summary: 'Mark a socket as accepting incoming connections.', riskNote: 'Opens a service to whoever can reach the address.' },
  { name: 'getsockname', x86_64: 51, x86: 367, since: '1.0', category: 'net', risk: 'low', summary: 'Get the local address a socket is bound to.' },
  { name: 'getpeername', x86_64: 52, x86: 368, since: '1.0', category: 'net', risk: 'low', summary: "Get the address of a socket's peer." },
  { name: 'socketpair', x86_64: 53, x86: 360, since: '1.0', category: 'ipc', risk: 'low', summary: 'Create a pair of connected local sockets.' },
  { name: 'setsockopt', x86_64: 54, x86: 366, since: '1.0', category: 'net', risk: 'medium', summary: 'Set an option on a socket.', riskNote: 'A large kernel surface behind it (netfilter, packet rings) that has had many privilege-escalation bugs.' },
  { name: 'getsockopt', x86_64: 55, x86: 365, since: '1.0', category: 'net', risk: 'low', summary: 'Read an option of a socket.' },
  { name: 'clone', x86_64: 56, x86: 120, since: '1.0', category: 'process', risk: 'medium', summary: 'Create a new thread or process, choosing what it shares with the caller.', riskNote: 'Namespace flags (CLONE_NEWUSER, CLONE_NEWNS, ...) create new namespaces, like unshare.' },
  { name: 'fork', x86_64: 57, x86: 2, since: '1.0', category: 'process', risk: 'low', summary: 'Create a child process that is a copy of the caller.' },
  { name: 'vfork', x86_64: 58, x86: 190, since: '2.2', category: 'process', risk: 'low', summary: "Create a child that borrows the parent's memory until it execs or exits." },
  { name: 'execve', x86_64: 59, x86: 11, since: '1.0', category: 'process', risk: 'low', always: true, summary: 'Replace the running program with a new one loaded from a path.', riskNote: 'Runs other programs; what may be executed is decided by the exec paths.' },
  { name: 'exit', x86_64: 60, x86: 1, since: '1.0', category: 'process', risk: 'low', always: true, summary: 'End the calling thread.' },
  { name: 'wait4', x86_64: 61, x86: 114, since: '1.0', category: 'process', risk: 'low', summary: 'Wait for a child to change state and collect its resource usage.' },
  { name: 'kill', x86_64: 62, x86: 37, since: '1.0', category: 'signal', risk: 'medium', summary: 'Send a signal to a process or a process group.', riskNote: 'Can stop or kill any process of the same user (all processes with CAP_KILL).' },
  { name: 'uname', x86_64: 63, x86: 122, since: '1.0', category: 'system', risk: 'low', summary: 'Get the kernel name, release, machine and host name.' },
  { name: 'semget', x86_64: 64, x86: 393, since: '1.0', category: 'ipc', risk: 'low', summary: 'Create or look up a System V semaphore set.' },
  { name: 'semop', x86_64: 65, x86: null, since: '1.0', category: 'ipc', risk: 'low', summary: 'Operate on System V semaphores.' },
  { name: 'semctl', x86_64: 66, x86: 394, since: '1.0', category: 'ipc', risk: 'low', summary: 'Query, change or remove a System V semaphore set.' },
  { name: 'shmdt', x86_64: 67, x86: 398, since: '1.0', category: 'ipc', risk: 'low', summary: 'Detach a System V shared memory segment.' },
  { name: 'msgget', x86_64: 68, x86: 399, since: '1.0', category: 'ipc', risk: 'low', summary: 'Create or look up a System V message queue.' },
  { name: 'msgsnd', x86_64: 69, x86: 400, since: '1.0', category: 'ipc', risk: 'low', summary: 'Send a message to a System V message queue.' },
  { name: 'msgrcv', x86_64: 70, x86: 401, since: '1.0', category: 'ipc', risk: 'low', summary: 'Receive a message from a System V message queue.' },
  { name: 'msgctl', x86_64: 71, x86: 402, since: '1.0', category: 'ipc', risk: 'low', summary: 'Query, change or remove a System V message queue.' },
  { name: 'fcntl', x86_64: 72, x86: 55, since: '1.0', category: 'file', risk: 'low', summary: 'Change or query properties of a descriptor (flags, locks, leases, ...).' },
  { name: 'flock', x86_64: 73, x86: 143, since: '2.0', category: 'file', risk: 'low', summary: 'Take or release an advisory lock on a whole open file.' },
  { name: 'fsync', x86_64: 74, x86: 118, since: '1.0', category: 'io', risk: 'low', summary: "Flush a file's data and metadata to the storage device." },
  { name: 'fdatasync', x86_64: 75, x86: 148, since: '2.0', category: 'io', risk: 'low', summary: "Flush a file's data (and only needed metadata) to storage." },
  { name: 'truncate', x86_64: 76, x86: 92, since: '1.0', category: 'file', risk: 'low', summary: "Set a file's length by path." },
  { name: 'ftruncate', x86_64: 77, x86: 93, since: '1.0', category: 'file', risk: 'low', summary: "Set an open file's length." },
  { name: 'getdents', x86_64: 78, x86: 141, since: '1.0', category: 'file', risk: 'low', summary: 'Read directory entries (old 32-bit layout).' },
  { name: 'getcwd', x86_64: 79, x86: 183, since: '2.2', category: 'file', risk: 'low', summary: 'Get the current working directory.' },
  { name: 'chdir', x86_64: 80, x86: 12, since: '1.0', category: 'file', risk: 'low', summary: 'Change the current working directory by path.' },
  { name: 'fchdir', x86_64: 81, x86: 133, since: '1.0', category: 'file', risk: 'low', summary: 'Change the current working directory to an open directory.' },
  { name: 'rename', x86_64: 82, x86: 38, since: '1.0', category: 'file', risk: 'low', summary: 'Rename or move a path.' },
  { name: 'mkdir', x86_64: 83, x86: 39, since: '1.0', category: 'file', risk: 'low', summary: 'Create a directory.' },
  { name: 'rmdir', x86_64: 84, x86: 40, since: '1.0', category: 'file', risk: 'low', summary: 'Remove an empty directory.' },
  { name: 'creat', x86_64: 85, x86: 8, since: '1.0', category: 'file', risk: 'low', summary: 'Create (or truncate) a file and open it for writing.' },
  { name: 'link', x86_64: 86, x86: 9, since: '1.0', category: 'file', risk: 'low', summary: 'Create a hard link: a second name for an existing file.', riskNote: 'Hard links to files owned by others enable confused-deputy attacks where protected_hardlinks is off.' },
  { name: 'unlink', x86_64: 87, x86: 10, since: '1.0', category: 'file', risk: 'low', summary: 'Remove a name of a file.' },
  { name: 'symlink', x86_64: 88, x86: 83, since: '1.0', category: 'file', risk: 'low', summary: 'Create a symbolic link.', riskNote: 'Symlinks planted in shared directories can redirect privileged programs.' },
  { name: 'readlink', x86_64: 89, x86: 85, since: '1.0', category: 'file', risk: 'low', summary: 'Read the target of a symbolic link.' },
  { name: 'chmod', x86_64: 90, x86: 15, since: '1.0', category: 'file', risk: 'medium', summary: "Change a path's permission bits.", riskNote: 'Can add setuid/setgid bits or open files to everyone.' },
  { name: 'fchmod', x86_64: 91, x86: 94, since: '1.0', category: 'file', risk: 'medium', summary: 'Change the permission bits of an open file.', riskNote: 'Can add setuid/setgid bits or open files to everyone.' },
  { name: 'chown', x86_64: 92, x86: 182, since: '1.0', category: 'file', risk: 'medium', capability: 'CAP_CHOWN', summary: 'Change the owner and group of a path.', riskNote: 'Giving files to other users needs CAP_CHOWN.' },
  { name: 'fchown', x86_64: 93, x86: 95, since: '1.0', category: 'file', risk: 'medium', capability: 'CAP_CHOWN', summary: 'Change the owner and group of an open file.', riskNote: 'Giving files to other users needs CAP_CHOWN.' },
  { name: 'lchown', x86_64: 94, x86: 16, since: '1.0', category: 'file', risk: 'medium', capability: 'CAP_CHOWN', summary: 'Change the owner and group of a path without following a final symlink.', riskNote: 'Giving files to other users needs CAP_CHOWN.' },
  { name: 'umask', x86_64: 95, x86: 60, since: '1.0', category: 'file', risk: 'low', summary: 'Set the mask of permission bits removed from newly created files.' },
  { name: 'gettimeofday', x86_64: 96, x86: 78, since: '1.0', category: 'time', risk: 'low', summary: 'Get the wall-clock time (microseconds).' },
  { name: 'getrlimit', x86_64: 97, x86: 76, since: '1.0', category: 'process', risk: 'low', summary: 'Read a resource limit of the caller.' },
  { name: 'getrusage', x86_64: 98, x86: 77, since: '1.0', category: 'process', risk: 'low', summary: 'Get resource usage of the caller, its threads or its children.' },
  { name: 'sysinfo', x86_64: 99, x86: 116, since: '1.0', category: 'system', risk: 'low', summary: 'Get overall system statistics (uptime, memory, load).' },
  { name: 'times', x86_64: 100, x86: 43, since: '1.0', category: 'time', risk: 'low', summary: 'Get the CPU times of the caller and its children.' },
  { name: 'ptrace', x86_64: 101, x86: 26, since: '1.0', category: 'debug', risk: 'critical', capability: 'CAP_SYS_PTRACE', summary: 'Observe and control another process: read/write its memory and registers.', riskNote: 'Attaching to other processes gives full control over them, and through them their privileges.' },
  { name: 'getuid', x86_64: 102, x86: 24, since: '1.0', category: 'credentials', risk: 'low', summary: 'Get the real user ID.' },
  { name: 'syslog', x86_64: 103, x86: 103, since: '1.0', category: 'system', risk: 'high', capability: 'CAP_SYSLOG', summary: 'Read or control the kernel log buffer.', riskNote: "The kernel log leaks kernel addresses and other users' activity; it can also silence the console." },
  { name: 'getgid', x86_64: 104, x86: 47, since: '1.0', category: 'credentials', risk: 'low', summary: 'Get the real group ID.' },
  { name: 'setuid', x86_64: 105, x86: 23, since: '1.0', category: 'credentials', risk: 'medium', capability: 'CAP_SETUID', summary: 'Set the user ID(s) of the caller.', riskNote: 'With CAP_SETUID the caller can become any user, root included.' },
  { name: 'setgid', x86_64: 106, x86: 46, since: '1.0', category: 'credentials', risk: 'medium', capability: 'CAP_SETGID', summary: 'Set the group ID(s) of the caller.', riskNote: 'With CAP_SETGID the caller can join any group.' },
  { name: 'geteuid', x86_64: 107, x86: 49, since: '1.0', category: 'credentials', risk: 'low', summary: 'Get the effective user ID.' },
  { name: 'getegid', x86_64: 108, x86: 50, since: '1.0', category: 'credentials', risk: 'low', summary: 'Get the effective group ID.' },
  { name: 'setpgid', x86_64: 109, x86: 57, since: '1.0', category: 'process', risk: 'low', summary: 'Move a process into a process group.' },
  { name: 'getppid', x86_64: 110, x86: 64, since: '1.0', category: 'process', risk: 'low', summary: "Get the parent's process ID." },
  { name: 'getpgrp', x86_64: 111, x86: 65, since: '1.0', category: 'process', risk: 'low', summary: "Get the caller's process group." },
  { name: 'setsid', x86_64: 112, x86: 66, since: '1.0', category: 'process', risk: 'low', summary: 'Start a new session and detach from the controlling terminal.' },
  { name: 'setreuid', x86_64: 113, x86: 70, since: '1.0', category: 'credentials', risk: 'medium', capability: 'CAP_SETUID', summary: 'Set the real and effective user IDs.', riskNote: 'With CAP_SETUID the caller can become any user, root included.' },
  { name: 'setregid', x86_64: 114, x86: 71, since: '1.0', category: 'credentials', risk: 'medium', capability: 'CAP_SETGID', summary: 'Set the real and effective group IDs.', riskNote: 'With CAP_SETGID the caller can join any group.' },
  { name: 'getgroups', x86_64: 115, x86: 80, since: '1.0', category: 'credentials', risk: 'low', summary: 'Get the supplementary group list.' },
  { name: 'setgroups', x86_64: 116, x86: 81, since: '1.0', category: 'credentials', risk: 'medium', capability: 'CAP_SETGID', summary: 'Replace the supplementary group list.', riskNote: 'Can add privileged groups (disk, docker, ...); dropping groups can defeat negative group permissions.' },
  { name: 'setresuid', x86_64: 117, x86: 164, since: '2.2', category: 'credentials', risk: 'medium', capability: 'CAP_SETUID', summary: 'Set the real, effective and saved user IDs.', riskNote: 'With CAP_SETUID the caller can become any user, root included.' },
  { name: 'getresuid', x86_64: 118, x86: 165, since: '2.2', category: 'credentials', risk: 'low', summary: 'Get the real, effective and saved user IDs.' },
  { name: 'setresgid', x86_64: 119, x86: 170, since: '2.2', category: 'credentials', risk: 'medium', capability: 'CAP_SETGID', summary: 'Set the real, effective and saved group IDs.', riskNote: 'With CAP_SETGID the caller can join any group.' },
  { name: 'getresgid', x86_64: 120, x86: 171, since: '2.2', category: 'credentials', risk: 'low', summary: 'Get the real, effective and saved group IDs.' },
  { name: 'getpgid', x86_64: 121, x86: 132, since: '1.0', category: 'process', risk: 'low', summary: 'Get the process group of a process.' },
  { name: 'setfsuid', x86_64: 122, x86: 138, since: '1.2', category: 'credentials', risk: 'medium', capability: 'CAP_SETUID', summary: 'Set the user ID used for filesystem access checks.', riskNote: 'With CAP_SETUID the caller can act on files as any user.' },
  { name: 'setfsgid', x86_64: 123, x86: 139, since: '1.2', category: 'credentials', risk: 'medium', capability: 'CAP_SETGID', summary: 'Set the group ID used for filesystem access checks.', riskNote: 'With CAP_SETGID the caller can act on files as any group.' },
  { name: 'getsid', x86_64: 124, x86: 147, since: '2.0', category: 'process', risk: 'low', summary: 'Get the session ID of a process.' },
  { name: 'capget', x86_64: 125, x86: 184, since: '2.2', category: 'credentials', risk: 'low', summary: "Read a thread's capability sets." },
  { name: 'capset', x86_64: 126, x86: 185, since: '2.2', category: 'credentials', risk: 'medium', capability: 'CAP_SETPCAP', summary: "Change the caller's capability sets.", riskNote: 'Dropping is safe; adding inheritable capabilities beyond the bounding set needs CAP_SETPCAP.' },
  { name: 'rt_sigpending', x86_64: 127, x86: 176, since: '2.2', category: 'signal', risk: 'low', summary: 'List the signals waiting to be delivered.' },
  { name: 'rt_sigtimedwait', x86_64: 128, x86: 177, since: '2.2', category: 'signal', risk: 'low', summary: 'Wait synchronously for one of a set of signals, with a timeout.' },
  { name: 'rt_sigqueueinfo', x86_64: 129, x86: 178, since: '2.2', category: 'signal', risk: 'medium', summary: 'Queue a signal with extra data to a process.', riskNote: 'Like kill: reaches any process of the same user.' },
  { name: 'rt_sigsuspend', x86_64: 130, x86: 179, since: '2.2', category: 'signal', risk: 'low', summary: 'Replace the signal mask and sleep until a signal arrives.' },
  { name: 'sigaltstack', x86_64: 131, x86: 186, since: '2.2', category: 'signal', risk: 'low', summary: 'Set or query the alternate stack for signal handlers.' },
  { name: 'utime', x86_64: 132, x86: 30, since: '1.0', category: 'file', risk: 'low', summary: "Set a file's access and modification times (seconds)." },
  { name: 'mknod', x86_64: 133, x86: 14, since: '1.0', category: 'file', risk: 'medium', capability: 'CAP_MKNOD', summary: 'Create a filesystem node: a FIFO, socket, or a device file.', riskNote: 'Device nodes (block disks, /dev/mem) give raw hardware access; they need CAP_MKNOD.' },
  { name: 'uselib', x86_64: 134, x86: 86, since: '1.0', category: 'process', risk: 'low', obsolete: true, summary: 'Load a shared library the a.out way; removed from current kernels (always ENOSYS).' },
  { name: 'personality', x86_64: 135, x86: 136, since: '1.2', category: 'process', risk: 'high', summary: 'Change the process execution domain (e.g. disable address randomization).', riskNote: 'Can switch off ASLR and change how later execs behave; has been used in exploits.' },
  { name: 'ustat', x86_64: 136, x86: 62, since: '1.0', category: 'file', risk: 'low', summary: 'Get free-space statistics of a mounted filesystem by device number (obsolete).' },
  { name: 'statfs', x86_64: 137, x86: 99, since: '1.0', category: 'file', risk: 'low', summary: 'Get filesystem statistics for the filesystem holding a path.' },
  { name: 'fstatfs', x86_64: 138, x86: 100, since: '1.0', category: 'file', risk: 'low', summary: 'Get filesystem statistics for the filesystem of an open file.' },
  { name: 'sysfs', x86_64: 139, x86: 135, since: '1.2', category: 'system', risk: 'low', summary: 'List the filesystem types the kernel knows (obsolete).' },
  { name: 'getpriority', x86_64: 140, x86: 96, since: '1.0', category: 'sched', risk: 'low', summary: 'Get the nice value of a process, group or user.' },
  { name: 'setpriority', x86_64: 141, x86: 97, since: '1.0', category: 'sched', risk: 'low', summary: 'Set the nice value of a process, group or user.', riskNote: 'Raising priority needs CAP_SYS_NICE.' },
  { name: 'sched_setparam', x86_64: 142, x86: 154, since: '2.0', category: 'sched', risk: 'medium', summary: 'Set the scheduling priority within the current policy.', riskNote: 'Real-time priorities can starve the rest of the machine.' },
  { name: 'sched_getparam', x86_64: 143, x86: 155, since: '2.0', category: 'sched', risk: 'low', summary: 'Get the scheduling priority of a process.' },
  { name: 'sched_setscheduler', x86_64: 144, x86: 156, since: '2.0', category: 'sched', risk: 'medium', capability: 'CAP_SYS_NICE', summary: 'Set the scheduling policy and priority of a process.', riskNote: 'Real-time policies (needing CAP_SYS_NICE) can starve the rest of the machine.' },
  { name: 'sched_getscheduler', x86_64: 145, x86: 157, since: '2.0', category: 'sched', risk: 'low', summary: 'Get the scheduling policy of a process.' },
  { name: 'sched_get_priority_max', x86_64: 146, x86: 159, since: '2.0', category: 'sched', risk: 'low', summary: 'Get the highest priority allowed for a scheduling policy.' },
  { name: 'sched_get_priority_min', x86_64: 147, x86: 160, since: '2.0', category: 'sched', risk: 'low', summary: 'Get the lowest priority allowed for a scheduling policy.' },
  { name: 'sched_rr_get_interval', x86_64: 148, x86: 161, since: '2.0', category: 'sched', risk: 'low', summary: 'Get the round-robin time slice of a process.' },
  { name: 'mlock', x86_64: 149, x86: 150, since: '2.0', category: 'memory', risk: 'low', summary: 'Lock pages in RAM so they are never swapped out.', riskNote: 'Beyond RLIMIT_MEMLOCK it needs CAP_IPC_LOCK; can pin much memory.' },
  { name: 'munlock', x86_64: 150, x86: 151, since: '2.0', category: 'memory', risk: 'low', summary: 'Unlock pages so they may be swapped again.' },
  { name: 'mlockall', x86_64: 151, x86: 152, since: '2.0', category: 'memory', risk: 'low', summary: 'Lock all current and/or future pages of the process in RAM.', riskNote: 'Beyond RLIMIT_MEMLOCK it needs CAP_IPC_LOCK; can pin much memory.' },
  { name: 'munlockall', x86_64: 152, x86: 153, since: '2.0', category: 'memory', risk: 'low', summary: 'Unlock all pages of the process.' },
  { name: 'vhangup', x86_64: 153, x86: 111, since: '1.0', category: 'system', risk: 'medium', capability: 'CAP_SYS_TTY_CONFIG', summary: 'Simulate a hangup on the current terminal.', riskNote: 'Can cut other programs off the terminal.' },
  { name: 'modify_ldt', x86_64: 154, x86: 123, since: '1.0', category: 'memory', risk: 'high', summary: "Read or change the process's x86 local descriptor table.", riskNote: 'Rarely needed outside 16-bit emulators; a source of kernel bugs and exploits.' },
  { name: 'pivot_root', x86_64: 155, x86: 217, since: '2.4', category: 'mount', risk: 'critical', capability: 'CAP_SYS_ADMIN', summary: "Swap the root mount of the caller's mount namespace for another mount.", riskNote: 'Changes what the whole mount namespace sees as /; a container escape tool where the namespace is shared.' },
  { name: '_sysctl', x86_64: 156, x86: 149, since: '2.0', category: 'system', risk: 'low', obsolete: true, summary: 'Read or write kernel parameters by numeric name; removed in 5.5 (always ENOSYS).' },
  { name: 'prctl', x86_64: 157, x86: 172, since: '2.2', category: 'process', risk: 'medium', summary: 'Query or change per-process attributes (name, dumpable, no_new_privs, seccomp, ...).', riskNote: 'Some options weaken protections (PR_SET_DUMPABLE, PR_SET_PTRACER, PR_SET_MM with CAP_SYS_RESOURCE).' },
  { name: 'arch_prctl', x86_64: 158, x86: 384, since: '2.4', category: 'process', risk: 'low', always: true, summary: 'Set or get x86-specific thread state such as the FS/GS base used for thread-local storage.' },
  { name: 'adjtimex', x86_64: 159, x86: 124, since: '1.0', category: 'time', risk: 'medium', summary: 'Read or tune the kernel clock (NTP discipline).', riskNote: 'Adjusting the clock needs CAP_SYS_TIME and affects the whole machine; reading is harmless.' },
  { name: 'setrlimit', x86_64: 160, x86: 75, since: '1.0', category: 'process', risk: 'low', summary: 'Change a resource limit of the caller.', riskNote: 'Raising a hard limit needs CAP_SYS_RESOURCE.' },
  { name: 'chroot', x86_64: 161, x86: 61, since: '1.0', category: 'file', risk: 'high', capability: 'CAP_SYS_CHROOT', summary: "Change the caller's root directory.", riskNote: 'With other privileges it helps escape (chroot breakout) or fool setuid programs.' },
  { name: 'sync', x86_64: 162, x86: 36, since: '1.0', category: 'io', risk: 'low', summary: 'Flush all dirty filesystem data to storage.', riskNote: 'Can stall I/O for the whole machine.' },
  { name: 'acct', x86_64: 163, x86: 51, since: '1.0', category: 'system', risk: 'high', capability: 'CAP_SYS_PACCT', summary: 'Turn process accounting on or off, writing to a chosen file.', riskNote: 'Writes a record for every exiting process system-wide.' },
  { name: 'settimeofday', x86_64: 164, x86: 79, since: '1.0', category: 'time', risk: 'high', capability: 'CAP_SYS_TIME', summary: 'Set the system wall-clock time.', riskNote: 'Changes time for the whole machine: breaks certificates, logs and timeouts.' },
  { name: 'mount', x86_64: 165, x86: 21, since: '1.0', category: 'mount', risk: 'critical', capability: 'CAP_SYS_ADMIN', summary: 'Attach a filesystem, bind a tree, or change mount flags and propagation.', riskNote: 'Mounting over system paths, exposing host filesystems or proc/sys trees gives control of the machine.' },
  { name: 'umount2', x86_64: 166, x86: 52, since: '2.2', category: 'mount', risk: 'critical', capability: 'CAP_SYS_ADMIN', summary: 'Detach a mounted filesystem, with flags.', riskNote: 'Unmounting can reveal what a mount was hiding (e.g. masked /proc paths).' },
  { name: 'swapon', x86_64: 167, x86: 87, since: '1.0', category: 'system', risk: 'critical', capability: 'CAP_SYS_ADMIN', summary: 'Start swapping to a file or device.', riskNote: "Lets the caller feed the kernel's swap with a file of its choice." },
  { name: 'swapoff', x86_64: 168, x86: 115, since: '1.0', category: 'system', risk: 'critical', capability: 'CAP_SYS_ADMIN', summary: 'Stop swapping to a file or device.', riskNote: 'Can exhaust memory for the whole machine.' },
  { name: 'reboot', x86_64: 169, x86: 88, since: '1.0', category: 'system', risk: 'critical', capability: 'CAP_SYS_BOOT', summary: 'Reboot, halt or power off the machine, or load a new kernel.', riskNote: 'Takes the whole machine down.' },
  { name: 'sethostname', x86_64: 170, x86: 74, since: '1.0', category: 'system', risk: 'high', capability: 'CAP_SYS_ADMIN', summary: "Set the host name (of the caller's UTS namespace).", riskNote: 'Without a private UTS namespace it renames the host.' },
  { name: 'setdomainname', x86_64: 171, x86: 121, since: '1.0', category: 'system', risk: 'high', capability: 'CAP_SYS_ADMIN', summary: "Set the NIS domain name (of the caller's UTS namespace).", riskNote: "Without a private UTS namespace it changes the host's setting." },
  { name: 'iopl', x86_64: 172, x86: 110, since: '1.0', category: 'system', risk: 'critical', capability: 'CAP_SYS_RAWIO', summary: 'Raise the I/O privilege level so the process can access all x86 I/O ports.', riskNote: 'Direct hardware port access can take over the machine.' },
  { name: 'ioperm', x86_64: 173, x86: 101, since: '1.0', category: 'system', risk: 'critical', capability: 'CAP_SYS_RAWIO', summary: 'Allow access to a range of x86 I/O ports.', riskNote: 'Direct hardware port access can take over the machine.' },
  { name: 'create_module', x86_64: 174, x86: 127, since: '1.0', category: 'module', risk: 'low', obsolete: true, summary: 'Allocate space for a kernel module; removed in 2.6 (always ENOSYS).' },
  { name: 'init_module', x86_64: 175, x86: 128, since: '1.0', category: 'module', risk: 'critical', capability: 'CAP_SYS_MODULE', summary: 'Load a kernel module from a memory image.', riskNote: 'Runs arbitrary code in the kernel.' },
  { name: 'delete_module', x86_64: 176, x86: 129, since: '1.0', category: 'module', risk: 'critical', capability: 'CAP_SYS_MODULE', summary: 'Unload a kernel module.', riskNote: 'Can remove drivers or security modules the machine relies on.' },
  { name: 'get_kernel_syms', x86_64: 177, x86: 130, since: '1.0', category: 'module', risk: 'low', obsolete: true, summary: 'Get exported kernel symbols; removed in 2.6 (always ENOSYS).' },
  { name: 'query_module', x86_64: 178, x86: 167, since: '2.2', category: 'module', risk: 'low', obsolete: true, summary: 'Query the kernel about modules; removed in 2.6 (always ENOSYS).' },
  { name: 'quotactl', x86_64: 179, x86: 131, since: '1.0', category: 'system', risk: 'high', capability: 'CAP_SYS_ADMIN', summary: 'Manage disk quotas of a filesystem.', riskNote: 'Quota changes affect every user of the filesystem.' },
  { name: 'nfsservctl', x86_64: 180, x86: 169, since: '2.2', category: 'system', risk: 'low', obsolete: true, summary: 'Control the kernel NFS server; removed in 3.1 (always ENOSYS).' },
  { name: 'getpmsg', x86_64: 181, x86: 188, since: '2.2', category: 'net', risk: 'low', obsolete: true, summary: 'Reserved for STREAMS; never implemented (always ENOSYS).' },
  { name: 'putpmsg', x86_64: 182, x86: 189, since: '2.2', category: 'net', risk: 'low', obsolete: true, summary: 'Reserved for STREAMS; never implemented (always ENOSYS).' },
  { name: 'afs_syscall', x86_64: 183, x86: 137, since: '2.2', category: 'file', risk: 'low', obsolete: true, summary: 'Reserved for the Andrew File System; never implemented (always ENOSYS).' },
  { name: 'tuxcall', x86_64: 184, x86: null, since: '2.4', category: 'net', risk: 'low', obsolete: true, summary: 'Reserved for the TUX in-kernel web server; never implemented (always ENOSYS).' },
  { name: 'security', x86_64: 185, x86: null, since: '2.6', category: 'security', risk: 'low', obsolete: true, summary: 'Reserved for security modules; never implemented (always ENOSYS).' },
  { name: 'gettid', x86_64: 186, x86: 224, since: '2.4.11', category: 'process', risk: 'low', summary: "Get the caller's thread ID." },
  { name: 'readahead', x86_64: 187, x86: 225, since: '2.4.13', category: 'io', risk: 'low', summary: 'Ask the kernel to read part of a file into the page cache ahead of use.' },
  { name: 'setxattr', x86_64: 188, x86: 226, since: '2.4', category: 'file', risk: 'medium', summary: 'Set an extended attribute of a path.', riskNote: 'security.* and trusted.* attributes (labels, file capabilities) need privileges and change how files are treated.' },
  { name: 'lsetxattr', x86_64: 189, x86: 227, since: '2.4', category: 'file', risk: 'medium', summary: 'Set an extended attribute of a path without following a final symlink.', riskNote: 'security.* and trusted.* attributes (labels, file capabilities) need privileges and change how files are treated.' },
  { name: 'fsetxattr', x86_64: 190, x86: 228, since: '2.4', category: 'file', risk: 'medium', summary: 'Set an extended attribute of an open file.', riskNote: 'security.* and trusted.* attributes (labels, file capabilities) need privileges and change how files are treated.' },
  { name: 'getxattr', x86_64: 191, x86: 229, since: '2.4', category: 'file', risk: 'low', summary: 'Read an extended attribute of a path.' },
  { name: 'lgetxattr', x86_64: 192, x86: 230, since: '2.4', category: 'file', risk: 'low', summary: 'Read an extended attribute of a path without following a final symlink.' },
  { name: 'fgetxattr', x86_64: 193, x86: 231, since: '2.4', category: 'file', risk: 'low', summary: 'Read an extended attribute of an open file.' },
  { name: 'listxattr', x86_64: 194, x86: 232, since: '2.4', category: 'file', risk: 'low', summary: 'List the extended attribute names of a path.' },
  { name: 'llistxattr', x86_64: 195, x86: 233, since: '2.4', category: 'file', risk: 'low', summary: 'List the extended attribute names of a path without following a final symlink.' },
  { name: 'flistxattr', x86_64: 196, x86: 234, since: '2.4', category: 'file', risk: 'low', summary: 'List the extended attribute names of an open file.' },
  { name: 'removexattr', x86_64: 197, x86: 235, since: '2.4', category: 'file', risk: 'medium', summary: 'Remove an extended attribute of a path.', riskNote: 'Removing security labels or file capabilities changes how files are treated.' },
  { name: 'lremovexattr', x86_64: 198, x86: 236, since: '2.4', category: 'file', risk: 'medium', summary: 'Remove an extended attribute without following a final symlink.', riskNote: 'Removing security labels or file capabilities changes how files are treated.' },
  { name: 'fremovexattr', x86_64: 199, x86: 237, since: '2.4', category: 'file', risk: 'medium', summary: 'Remove an extended attribute of an open file.', riskNote: 'Removing security labels or file capabilities changes how files are treated.' },
  { name: 'tkill', x86_64: 200, x86: 238, since: '2.4.22', category: 'signal', risk: 'low', summary: 'Send a signal to one thread (old interface; prefer tgkill).' },
  { name: 'time', x86_64: 201, x86: 13, since: '1.0', category: 'time', risk: 'low', summary: 'Get the wall-clock time in seconds.' },
  { name: 'futex', x86_64: 202, x86: 240, since: '2.6', category: 'ipc', risk: 'low', always: true, summary: 'Wait on or wake threads through a shared integer in memory (the basis of locks).' },
  { name: 'sched_setaffinity', x86_64: 203, x86: 241, since: '2.6', category: 'sched', risk: 'low', summary: 'Choose the CPUs a thread may run on.' },
  { name: 'sched_getaffinity', x86_64: 204, x86: 242, since: '2.6', category: 'sched', risk: 'low', summary: 'Get the CPUs a thread may run on.' },
  { name: 'set_thread_area', x86_64: 205, x86: 243, since: '2.6', category: 'process', risk: 'low', always: true, summary: 'Set up a TLS segment descriptor for the thread (x86).' },
  { name: 'io_setup', x86_64: 206, x86: 245, since: '2.6', category: 'io', risk: 'low', summary: 'Create a Linux-native asynchronous I/O context.' },
  { name: 'io_destroy', x86_64: 207, x86: 246, since: '2.6', category: 'io', risk: 'low', summary: 'Destroy an asynchronous I/O context.' },
  { name: 'io_getevents', x86_64: 208, x86: 247, since: '2.6', category: 'io', risk: 'low', summary: 'Collect completed asynchronous I/O requests.' },
  { name: 'io_submit', x86_64: 209, x86: 248, since: '2.6', category: 'io', risk: 'low', summary: 'Queue asynchronous I/O requests.' },
  { name: 'io_cancel', x86_64: 210, x86: 249, since: '2.6', category: 'io', risk: 'low', summary: 'Cancel a queued asynchronous I/O request.' },
  { name: 'get_thread_area', x86_64: 211, x86: 244, since: '2.6', category: 'process', risk: 'low', summary: 'Read a TLS segment descriptor of the thread (x86).' },
  { name: 'lookup_dcookie', x86_64: 212, x86: 253, since: '2.6', category: 'debug', risk: 'low', capability: 'CAP_SYS_ADMIN', obsolete: true, summary: 'Turn a profiler directory cookie into a path; removed from recent kernels (always ENOSYS on 6.18).' },
  { name: 'epoll_create', x86_64: 213, x86: 254, since: '2.6', category: 'io', risk: 'low', summary: 'Create an epoll instance for watching many descriptors.' },
  { name: 'epoll_ctl_old', x86_64: 214, x86: null, since: '2.6', category: 'io', risk: 'low', obsolete: true, summary: 'Early epoll interface; never wired up on x86_64 (always ENOSYS).' },
  { name: 'epoll_wait_old', x86_64: 215, x86: null, since: '2.6', category: 'io', risk: 'low', obsolete: true, summary: 'Early epoll interface; never wired up on x86_64 (always ENOSYS).' },
  { name: 'remap_file_pages', x86_64: 216, x86: 257, since: '2.6', category: 'memory', risk: 'low', summary: 'Rearrange pages inside a shared file mapping (deprecated, emulated).' },
  { name: 'getdents64', x86_64: 217, x86: 220, since: '2.4', category: 'file', risk: 'low', summary: 'Read directory entries.' },
  { name: 'set_tid_address', x86_64: 218, x86: 258, since: '2.6', category: 'process', risk: 'low', always: true, summary: 'Register where the kernel clears the thread ID (and wakes waiters) when the thread exits.' },
  { name: 'restart_syscall', x86_64: 219, x86: 0, since: '2.6', category: 'signal', risk: 'low', always: true, summary: 'Resume a system call that a signal interrupted (used by the kernel itself).' },
  { name: 'semtimedop', x86_64: 220, x86: null, since: '2.6', category: 'ipc', risk: 'low', summary: 'Operate on System V semaphores with a timeout.' },
  { name: 'fadvise64', x86_64: 221, x86: 250, since: '2.6', category: 'io', risk: 'low', summary: 'Tell the kernel how a file range will be accessed.' },
  { name: 'timer_create', x86_64: 222, x86: 259, since: '2.6', category: 'time', risk: 'low', summary: 'Create a POSIX per-process timer.' },
  { name: 'timer_settime', x86_64: 223, x86: 260, since: '2.6', category: 'time', risk: 'low', summary: 'Arm or disarm a POSIX timer.' },
  { name: 'timer_gettime', x86_64: 224, x86: 261, since: '2.6', category: 'time', risk: 'low', summary: 'Get the time left on a POSIX timer.' },
  { name: 'timer_getoverrun', x86_64: 225, x86: 262, since: '2.6', category: 'time', risk: 'low', summary: 'Get the overrun count of a POSIX timer.' },
  { name: 'timer_delete', x86_64: 226, x86: 263, since: '2.6', category: 'time', risk: 'low', summary: 'Delete a POSIX timer.' },
  { name: 'clock_settime', x86_64: 227, x86: 264, since: '2.6', category: 'time', risk: 'high', capability: 'CAP_SYS_TIME', summary: 'Set a clock (the realtime clock is machine-wide).', riskNote: 'Changes time for the whole machine: breaks certificates, logs and timeouts.' },
  { name: 'clock_gettime', x86_64: 228, x86: 265, since: '2.6', category: 'time', risk: 'low', summary: 'Read a clock (realtime, monotonic, CPU time, ...).' },
  { name: 'clock_getres', x86_64: 229, x86: 266, since: '2.6', category: 'time', risk: 'low', summary: 'Get the resolution of a clock.' },
  { name: 'clock_nanosleep', x86_64: 230, x86: 267, since: '2.6', category: 'time', risk: 'low', summary: 'Sleep against a chosen clock, relative or until an absolute time.' },
  { name: 'exit_group', x86_64: 231, x86: 252, since: '2.6', category: 'process', risk: 'low', always: true, summary: 'End all threads of the process.' },
  { name: 'epoll_wait', x86_64: 232, x86: 256, since: '2.6', category: 'io', risk: 'low', summary: 'Wait for events on an epoll instance.' },
  { name: 'epoll_ctl', x86_64: 233, x86: 255, since: '2.6', category: 'io', risk: 'low', summary: 'Add, change or remove a descriptor watched by an epoll instance.' },
  { name: 'tgkill', x86_64: 234, x86: 270, since: '2.6', category: 'signal', risk: 'low', summary: 'Send a signal to one thread of a given process.' },
  { name: 'utimes', x86_64: 235, x86: 271, since: '2.6', category: 'file', risk: 'low', summary: "Set a file's access and modification times (microseconds)." },
  { name: 'vserver', x86_64: 236, x86: 273, since: '2.6', category: 'system', risk: 'low', obsolete: true, summary: 'Reserved for Linux-VServer; never implemented in mainline (always ENOSYS).' },
  { name: 'mbind', x86_64: 237, x86: 274, since: '2.6.6', category: 'memory', risk: 'low', summary: 'Set the NUMA memory policy of a memory range.' },
  { name: 'set_mempolicy', x86_64: 238, x86: 276, since: '2.6.6', category: 'memory', risk: 'low', summary: "Set the thread's default NUMA memory policy." },
  { name: 'get_mempolicy', x86_64: 239, x86: 275, since: '2.6.6', category: 'memory', risk: 'low', summary: 'Get NUMA memory policy information.' },
  { name: 'mq_open', x86_64: 240, x86: 277, since: '2.6.6', category: 'ipc', risk: 'low', summary: 'Open or create a POSIX message queue.' },
  { name: 'mq_unlink', x86_64: 241, x86: 278, since: '2.6.6', category: 'ipc', risk: 'low', summary: 'Remove a POSIX message queue.' },
  { name: 'mq_timedsend', x86_64: 242, x86: 279, since: '2.6.6', category: 'ipc', risk: 'low', summary: 'Send a message to a POSIX message queue, with a timeout.' },
  { name: 'mq_timedreceive', x86_64: 243, x86: 280, since: '2.6.6', category: 'ipc', risk: 'low', summary: 'Receive a message from a POSIX message queue, with a timeout.' },
  { name: 'mq_notify', x86_64: 244, x86: 281, since: '2.6.6', category: 'ipc', risk: 'low', summary: 'Ask for a notification when a POSIX message queue gets a message.' },
  { name: 'mq_getsetattr', x86_64: 245, x86: 282, since: '2.6.6', category: 'ipc', risk: 'low', summary: 'Get or set attributes of a POSIX message queue.' },
  { name: 'kexec_load', x86_64: 246, x86: 283, since: '2.6.13', category: 'system', risk: 'critical', capability: 'CAP_SYS_BOOT', summary: 'Load a new kernel image to boot into later.', riskNote: 'Replaces the running kernel with any code.' },
  { name: 'waitid', x86_64: 247, x86: 284, since: '2.6.9', category: 'process', risk: 'low', summary: 'Wait for a child (or pidfd) to change state, with detailed status.' },
  { name: 'add_key', x86_64: 248, x86: 286, since: '2.6.10', category: 'keys', risk: 'high', summary: 'Create or update a key in a kernel keyring.', riskNote: 'Keyrings are not isolated by most namespaces; a shared surface that has had many kernel bugs.' },
  { name: 'request_key', x86_64: 249, x86: 287, since: '2.6.10', category: 'keys', risk: 'high', summary: 'Look up a key, possibly asking a user-space helper to create it.', riskNote: 'Can make the kernel run a helper program; keyrings are not namespaced.' },
  { name: 'keyctl', x86_64: 250, x86: 288, since: '2.6.10', category: 'keys', risk: 'high', summary: 'Manipulate kernel keyrings and keys (read, link, revoke, ...).', riskNote: "Keyrings are not namespaced; can reach other workloads' keys and a large kernel surface." },
  { name: 'ioprio_set', x86_64: 251, x86: 289, since: '2.6.13', category: 'sched', risk: 'low', summary: 'Set the I/O scheduling class and priority of a process.', riskNote: 'The real-time I/O class needs CAP_SYS_ADMIN.' },
  { name: 'ioprio_get', x86_64: 252, x86: 290, since: '2.6.13', category: 'sched', risk: 'low', summary: 'Get the I/O scheduling class and priority of a process.' },
  { name: 'inotify_init', x86_64: 253, x86: 291, since: '2.6.13', category: 'file', risk: 'low', summary: 'Create an inotify instance for watching filesystem events.' },
  { name: 'inotify_add_watch', x86_64: 254, x86: 292, since: '2.6.13', category: 'file', risk: 'low', summary: 'Watch a path for filesystem events.' },
  { name: 'inotify_rm_watch', x86_64: 255, x86: 293, since: '2.6.13', category: 'file', risk: 'low', summary: 'Stop watching a path.' },
  { name: 'migrate_pages', x86_64: 256, x86: 294, since: '2.6.16', category: 'memory', risk: 'medium', summary: 'Move all pages of a process to other NUMA nodes.', riskNote: "Acting on other users' processes needs CAP_SYS_NICE." },
  { name: 'openat', x86_64: 257, x86: 295, since: '2.6.16', category: 'file', risk: 'low', summary: 'Open (or create) a file relative to a directory descriptor.' },
  { name: 'mkdirat', x86_64: 258, x86: 296, since: '2.6.16', category: 'file', risk: 'low', summary: 'Create a directory relative to a directory descriptor.' },
  { name: 'mknodat', x86_64: 259, x86: 297, since: '2.6.16', category: 'file', risk: 'medium', capability: 'CAP_MKNOD', summary: 'Create a FIFO, socket or device node relative to a directory descriptor.', riskNote: 'Device nodes (block disks, /dev/mem) give raw hardware access; they need CAP_MKNOD.' },
  { name: 'fchownat', x86_64: 260, x86: 298, since: '2.6.16', category: 'file', risk: 'medium', capability: 'CAP_CHOWN', summary: "Change a file's owner and group relative to a directory descriptor.", riskNote: 'Giving files to other users needs CAP_CHOWN.' },
  { name: 'futimesat', x86_64: 261, x86: 299, since: '2.6.16', category: 'file', risk: 'low', summary: 'Set file times relative to a directory descriptor (obsolete form).' },
  { name: 'newfstatat', x86_64: 262, x86: null, since: '2.6.16', category: 'file', risk: 'low', summary: 'Get file metadata relative to a directory descriptor.' },
  { name: 'unlinkat', x86_64: 263, x86: 301, since: '2.6.16', category: 'file', risk: 'low', summary: 'Remove a file or empty directory relative to a directory descriptor.' },
  { name: 'renameat', x86_64: 264, x86: 302, since: '2.6.16', category: 'file', risk: 'low', summary: 'Rename a path relative to directory descriptors.' },
  { name: 'linkat', x86_64: 265, x86: 303, since: '2.6.16', category: 'file', risk: 'low', summary: 'Create a hard link relative to directory descriptors.', riskNote: 'Hard links to files owned by others enable confused-deputy attacks where protected_hardlinks is off.' },
  { name: 'symlinkat', x86_64: 266, x86: 304, since: '2.6.16', category: 'file', risk: 'low', summary: 'Create a symbolic link relative to a directory descriptor.', riskNote: 'Symlinks planted in shared directories can redirect privileged programs.' },
  { name: 'readlinkat', x86_64: 267, x86: 305, since: '2.6.16', category: 'file', risk: 'low', summary: 'Read a symlink target relative to a directory descriptor.' },
  { name: 'fchmodat', x86_64: 268, x86: 306, since: '2.6.16', category: 'file', risk: 'medium', summary: 'Change permission bits relative to a directory descriptor.', riskNote: 'Can add setuid/setgid bits or open files to everyone.' },
  { name: 'faccessat', x86_64: 269, x86: 307, since: '2.6.16', category: 'file', risk: 'low', summary: 'Check access to a path relative to a directory descriptor.' },
  { name: 'pselect6', x86_64: 270, x86: 308, since: '2.6.16', category: 'io', risk: 'low', summary: 'Wait for descriptor readiness with a signal mask and nanosecond timeout.' },
  { name: 'ppoll', x86_64: 271, x86: 309, since: '2.6.16', category: 'io', risk: 'low', summary: 'Poll descriptors with a signal mask and nanosecond timeout.' },
  { name: 'unshare', x86_64: 272, x86: 310, since: '2.6.16', category: 'namespace', risk: 'high', capability: 'CAP_SYS_ADMIN', summary: 'Move the caller into new namespaces or stop sharing files/filesystem info.', riskNote: 'New user namespaces give a full capability set inside, opening much kernel surface (many local root bugs start here).' },
  { name: 'set_robust_list', x86_64: 273, x86: 311, since: '2.6.17', category: 'ipc', risk: 'low', always: true, summary: 'Register the list of robust futexes the kernel cleans up when the thread dies.' },
  { name: 'get_robust_list', x86_64: 274, x86: 312, since: '2.6.17', category: 'ipc', risk: 'low', summary: 'Get the robust futex list of a thread.' },
  { name: 'splice', x86_64: 275, x86: 313, since: '2.6.17', category: 'io', risk: 'low', summary: 'Move data between a pipe and another descriptor without copying to user space.' },
  { name: 'tee', x86_64: 276, x86: 315, since: '2.6.17', category: 'io', risk: 'low', summary: 'Duplicate data from one pipe into another without consuming it.' },
  { name: 'sync_file_range', x86_64: 277, x86: 314, since: '2.6.17', category: 'io', risk: 'low', summary: 'Start or wait for write-back of part of a file.' },
  { name: 'vmsplice', x86_64: 278, x86: 316, since: '2.6.17', category: 'io', risk: 'low', summary: 'Map or copy user memory into a pipe.' },
  { name: 'move_pages', x86_64: 279, x86: 317, since: '2.6.18', category: 'memory', risk: 'medium', summary: 'Move individual pages of a process to other NUMA nodes.', riskNote: "Acting on other users' processes needs CAP_SYS_NICE." },
  { name: 'utimensat', x86_64: 280, x86: 320, since: '2.6.22', category: 'file', risk: 'low', summary: 'Set file times (nanoseconds) relative to a directory descriptor.' },
  { name: 'epoll_pwait', x86_64: 281, x86: 319, since: '2.6.19', category: 'io', risk: 'low', summary: 'Wait for epoll events with a temporary signal mask.' },
  { name: 'signalfd', x86_64: 282, x86: 321, since: '2.6.22', category: 'signal', risk: 'low', summary: 'Get a descriptor that delivers signals as readable records.' },
  { name: 'timerfd_create', x86_64: 283, x86: 322, since: '2.6.25', category: 'time', risk: 'low', summary: 'Create a timer that reports expirations through a descriptor.' },
  { name: 'eventfd', x86_64: 284, x86: 323, since: '2.6.22', category: 'ipc', risk: 'low', summary: 'Create a descriptor that works as an event counter.' },
  { name: 'fallocate', x86_64: 285, x86: 324, since: '2.6.23', category: 'file', risk: 'low', summary: 'Allocate, punch holes in, or zero a range of a file.' },
  { name: 'timerfd_settime', x86_64: 286, x86: 325, since: '2.6.25', category: 'time', risk: 'low', summary: 'Arm or disarm a timerfd.' },
  { name: 'timerfd_gettime', x86_64: 287, x86: 326, since: '2.6.25', category: 'time', risk: 'low', summary: 'Get the time left on a timerfd.' },
  { name: 'accept4', x86_64: 288, x86: 364, since: '2.6.28', category: 'net', risk: 'low', summary: 'Accept a connection, setting flags (non-blocking, close-on-exec) at once.' },
  { name: 'signalfd4', x86_64: 289, x86: 327, since: '2.6.27', category: 'signal', risk: 'low', summary: 'Create a signalfd with flags.' },
  { name: 'eventfd2', x86_64: 290, x86: 328, since: '2.6.27', category: 'ipc', risk: 'low', summary: 'Create an eventfd with flags.' },
  { name: 'epoll_create1', x86_64: 291, x86: 329, since: '2.6.27', category: 'io', risk: 'low', summary: 'Create an epoll instance with flags.' },
  { name: 'dup3', x86_64: 292, x86: 330, since: '2.6.27', category: 'file', risk: 'low', summary: 'Duplicate a descriptor onto a chosen number, with flags.' },
  { name: 'pipe2', x86_64: 293, x86: 331, since: '2.6.27', category: 'ipc', risk: 'low', summary: 'Create a pipe with flags.' },
  { name: 'inotify_init1', x86_64: 294, x86: 332, since: '2.6.27', category: 'file', risk: 'low', summary: 'Create an inotify instance with flags.' },
  { name: 'preadv', x86_64: 295, x86: 333, since: '2.6.30', category: 'io', risk: 'low', summary: 'Read at an offset into several buffers.' },
  { name: 'pwritev', x86_64: 296, x86: 334, since: '2.6.30', category: 'io', risk: 'low', summary: 'Write at an offset from several buffers.' },
  { name: 'rt_tgsigqueueinfo', x86_64: 297, x86: 335, since: '2.6.31', category: 'signal', risk: 'medium', summary: 'Queue a signal with extra data to one thread.', riskNote: 'Like kill: reaches any process of the same user.' },
  { name: 'perf_event_open', x86_64: 298, x86: 336, since: '2.6.31', category: 'debug', risk: 'high', capability: 'CAP_PERFMON', summary: 'Open a performance counter or tracing event.', riskNote: 'Exposes a large, bug-prone kernel surface and can observe other processes and the kernel.' },
  { name: 'recvmmsg', x86_64: 299, x86: 337, since: '2.6.33', category: 'net', risk: 'low', summary: 'Receive several messages from a socket in one call.' },
  { name: 'fanotify_init', x86_64: 300, x86: 338, since: '2.6.37', category: 'file', risk: 'high', capability: 'CAP_SYS_ADMIN', summary: 'Create a fanotify group that watches (or vetoes) filesystem access.', riskNote: 'Can watch and block file access across whole filesystems.' },
  { name: 'fanotify_mark', x86_64: 301, x86: 339, since: '2.6.37', category: 'file', risk: 'medium', summary: 'Add or remove what a fanotify group watches.', riskNote: 'Marks on mounts or filesystems watch every process using them.' },
  { name: 'prlimit64', x86_64: 302, x86: 340, since: '2.6.36', category: 'process', risk: 'medium', summary: 'Get or set resource limits of any process.', riskNote: 'Can change limits of other processes of the same user; raising hard limits needs CAP_SYS_RESOURCE.' },
  { name: 'name_to_handle_at', x86_64: 303, x86: 341, since: '2.6.39', category: 'file', risk: 'medium', probe: true, summary: 'Turn a path into a persistent file handle.', riskNote: 'Handles can later be opened without path checks by a process with CAP_DAC_READ_SEARCH.' },
  { name: 'open_by_handle_at', x86_64: 304, x86: 342, since: '2.6.39', category: 'file', risk: 'critical', capability: 'CAP_DAC_READ_SEARCH', summary: 'Open a file from a file handle, bypassing path lookup.', riskNote: 'Handles can be guessed: with CAP_DAC_READ_SEARCH it opens any file of the host filesystem (the classic container escape).' },
  { name: 'clock_adjtime', x86_64: 305, x86: 343, since: '2.6.39', category: 'time', risk: 'medium', summary: 'Read or tune a clock (NTP discipline, PTP clocks).', riskNote: 'Adjusting needs CAP_SYS_TIME and affects the whole machine; reading is harmless.' },
  { name: 'syncfs', x86_64: 306, x86: 344, since: '2.6.39', category: 'io', risk: 'low', summary: "Flush one filesystem's dirty data to storage." },
  { name: 'sendmmsg', x86_64: 307, x86: 345, since: '3.0', category: 'net', risk: 'low', summary: 'Send several messages on a socket in one call.' },
  { name: 'setns', x86_64: 308, x86: 346, since: '3.0', category: 'namespace', risk: 'high', capability: 'CAP_SYS_ADMIN', summary: 'Join an existing namespace given by a descriptor.', riskNote: "Joining another workload's or the host's namespaces breaks isolation." },
  { name: 'getcpu', x86_64: 309, x86: 318, since: '2.6.19', category: 'sched', risk: 'low', summary: 'Get the CPU and NUMA node the thread runs on.' },
  { name: 'process_vm_readv', x86_64: 310, x86: 347, since: '3.2', category: 'debug', risk: 'high', summary: 'Read memory of another process directly.', riskNote: 'Reads secrets from other processes the caller may ptrace.' },
  { name: 'process_vm_writev', x86_64: 311, x86: 348, since: '3.2', category: 'debug', risk: 'high', summary: 'Write memory of another process directly.', riskNote: 'Changes code and data of other processes the caller may ptrace.' },
  { name: 'kcmp', x86_64: 312, x86: 349, since: '3.5', category: 'debug', risk: 'medium', summary: 'Check whether two processes share a kernel resource (file, memory, ...).', riskNote: 'Reveals kernel object relations of other processes (ptrace access needed).' },
  { name: 'finit_module', x86_64: 313, x86: 350, since: '3.8', category: 'module', risk: 'critical', capability: 'CAP_SYS_MODULE', summary: 'Load a kernel module from a file descriptor.', riskNote: 'Runs arbitrary code in the kernel.' },
  { name: 'sched_setattr', x86_64: 314, x86: 351, since: '3.14', category: 'sched', risk: 'medium', capability: 'CAP_SYS_NICE', summary: 'Set scheduling policy and attributes (including deadline scheduling).', riskNote: 'Real-time and deadline policies (needing CAP_SYS_NICE) can starve the rest of the machine.' },
  { name: 'sched_getattr', x86_64: 315, x86: 352, since: '3.14', category: 'sched', risk: 'low', summary: 'Get scheduling policy and attributes.' },
  { name: 'renameat2', x86_64: 316, x86: 353, since: '3.15', category: 'file', risk: 'low', probe: true, summary: 'Rename with flags (no-replace, exchange, whiteout).' },
  { name: 'seccomp', x86_64: 317, x86: 354, since: '3.17', category: 'security', risk: 'low', summary: 'Install a seccomp filter or query seccomp support.' },
  { name: 'getrandom', x86_64: 318, x86: 355, since: '3.17', category: 'system', risk: 'low', probe: true, summary: "Get random bytes from the kernel's generator." },
  { name: 'memfd_create', x86_64: 319, x86: 356, since: '3.17', category: 'memory', risk: 'low', probe: true, summary: 'Create an anonymous in-memory file.', riskNote: 'Lets a program run code that never touches the disk (fileless execution).' },
  { name: 'kexec_file_load', x86_64: 320, x86: null, since: '3.17', category: 'system', risk: 'critical', capability: 'CAP_SYS_BOOT', summary: 'Load a new kernel image from a file to boot into later.', riskNote: 'Replaces the running kernel.' },
  { name: 'bpf', x86_64: 321, x86: 357, since: '3.18', category: 'bpf', risk: 'critical', capability: 'CAP_BPF', summary: 'Load eBPF programs and manage BPF maps.', riskNote: 'Runs code in the kernel; a rich source of privilege escalations and of spying on the whole machine.' },
  { name: 'execveat', x86_64: 322, x86: 358, since: '3.19', category: 'process', risk: 'low', probe: true, summary: 'Run a program given by a directory descriptor and path, or by descriptor alone.' },
  { name: 'userfaultfd', x86_64: 323, x86: 374, since: '4.3', category: 'memory', risk: 'high', summary: "Handle page faults of the process's memory in user space.", riskNote: 'Lets an attacker pause the kernel mid-copy, a standard trick for exploiting kernel races.' },
  { name: 'membarrier', x86_64: 324, x86: 375, since: '4.3', category: 'sched', risk: 'low', probe: true, summary: 'Issue memory barriers on all running threads of the process.' },
  { name: 'mlock2', x86_64: 325, x86: 376, since: '4.4', category: 'memory', risk: 'low', summary: 'Lock pages in RAM, optionally only when faulted in.' },
  { name: 'copy_file_range', x86_64: 326, x86: 377, since: '4.5', category: 'io', risk: 'low', probe: true, summary: 'Copy a range between two files inside the kernel.' },
  { name: 'preadv2', x86_64: 327, x86: 378, since: '4.6', category: 'io', risk: 'low', probe: true, summary: 'Read at an offset into several buffers, with per-call flags.' },
  { name: 'pwritev2', x86_64: 328, x86: 379, since: '4.6', category: 'io', risk: 'low', probe: true, summary: 'Write at an offset from several buffers, with per-call flags.' },
  { name: 'pkey_mprotect', x86_64: 329, x86: 380, since: '4.9', category: 'memory', risk: 'low', summary: 'Change memory protection and attach a protection key.' },
  { name: 'pkey_alloc', x86_64: 330, x86: 381, since: '4.9', category: 'memory', risk: 'low', summary: 'Allocate a memory protection key.' },
  { name: 'pkey_free', x86_64: 331, x86: 382, since: '4.9', category: 'memory', risk: 'low', summary: 'Free a memory protection key.' },
  { name: 'statx', x86_64: 332, x86: 383, since: '4.11', category: 'file', risk: 'low', probe: true, summary: 'Get extended file metadata (birth time, mount ID, ...).' },
  { name: 'io_pgetevents', x86_64: 333, x86: 385, since: '4.18', category: 'io', risk: 'low', summary: 'Collect asynchronous I/O completions with a signal mask.' },
  { name: 'rseq', x86_64: 334, x86: 386, since: '4.18', category: 'sched', risk: 'low', probe: true, summary: 'Register restartable sequences for fast per-CPU data.' },
  { name: 'uretprobe', x86_64: 335, x86: null, since: '6.11', category: 'debug', risk: 'low', summary: "Entry point of the kernel's return-uprobe trampoline (a call from anywhere else gets SIGILL)." },
  { name: 'uprobe', x86_64: 336, x86: null, since: '6.18', category: 'debug', risk: 'low', summary: "Entry point of the kernel's optimized-uprobe trampoline (a call from anywhere else fails)." },
  { name: 'pidfd_send_signal', x86_64: 424, x86: 424, since: '5.1', category: 'signal', risk: 'medium', probe: true, summary: 'Send a signal to a process given by a pidfd.', riskNote: 'Like kill: reaches any process of the same user.' },
  { name: 'io_uring_setup', x86_64: 425, x86: 425, since: '5.1', category: 'io', risk: 'high', probe: true, summary: 'Create an io_uring submission/completion ring for asynchronous I/O.', riskNote: 'Huge, bug-prone kernel surface; work it does is not seen by seccomp filters on the individual syscalls.' },
  { name: 'io_uring_enter', x86_64: 426, x86: 426, since: '5.1', category: 'io', risk: 'high', summary: 'Submit and/or wait for io_uring operations.', riskNote: 'Operations run inside the kernel without passing through seccomp.' },
  { name: 'io_uring_register', x86_64: 427, x86: 427, since: '5.1', category: 'io', risk: 'high', summary: 'Register files, buffers or settings with an io_uring.', riskNote: 'Part of the io_uring surface.' },
  { name: 'open_tree', x86_64: 428, x86: 428, since: '5.2', category: 'mount', risk: 'high', capability: 'CAP_SYS_ADMIN', probe: true, summary: 'Open a path as a mount object, optionally cloning the mount tree.', riskNote: 'With OPEN_TREE_CLONE it copies a mount tree that move_mount can attach elsewhere.' },
  { name: 'move_mount', x86_64: 429, x86: 429, since: '5.2', category: 'mount', risk: 'critical', capability: 'CAP_SYS_ADMIN', probe: true, summary: 'Attach or move a mount object to a place in the tree.', riskNote: 'Mounting over system paths gives control of the machine.' },
  { name: 'fsopen', x86_64: 430, x86: 430, since: '5.2', category: 'mount', risk: 'critical', capability: 'CAP_SYS_ADMIN', probe: true, summary: 'Start configuring a new filesystem instance (new mount API).', riskNote: 'Creates filesystems to mount, like mount(2).' },
  { name: 'fsconfig', x86_64: 431, x86: 431, since: '5.2', category: 'mount', risk: 'high', summary: 'Set parameters of a filesystem context (new mount API).', riskNote: 'Configures the filesystem an fsopen/fspick descriptor refers to.' },
  { name: 'fsmount', x86_64: 432, x86: 432, since: '5.2', category: 'mount', risk: 'critical', capability: 'CAP_SYS_ADMIN', probe: true, summary: 'Turn a configured filesystem context into a detached mount.', riskNote: 'Produces mounts to attach with move_mount.' },
  { name: 'fspick', x86_64: 433, x86: 433, since: '5.2', category: 'mount', risk: 'high', capability: 'CAP_SYS_ADMIN', probe: true, summary: "Open an existing mount's superblock for reconfiguration.", riskNote: 'Lets the caller reconfigure (e.g. remount) an existing filesystem.' },
  { name: 'pidfd_open', x86_64: 434, x86: 434, since: '5.3', category: 'process', risk: 'low', probe: true, summary: 'Get a descriptor that refers to a process.' },
  { name: 'clone3', x86_64: 435, x86: 435, since: '5.3', category: 'process', risk: 'medium', probe: true, summary: 'Create a thread or process (extensible interface with pidfd, cgroup, ...).', riskNote: 'Namespace flags create new namespaces, like unshare.' },
  { name: 'close_range', x86_64: 436, x86: 436, since: '5.9', category: 'file', risk: 'low', probe: true, summary: 'Close (or mark close-on-exec) a whole range of descriptors.' },
  { name: 'openat2', x86_64: 437, x86: 437, since: '5.6', category: 'file', risk: 'low', probe: true, summary: 'Open a file with extra resolution rules (no symlinks, stay beneath a directory).' },
  { name: 'pidfd_getfd', x86_64: 438, x86: 438, since: '5.6', category: 'process', risk: 'high', probe: true, summary: 'Copy a descriptor out of another process.', riskNote: 'Steals open files, sockets and credentials from processes the caller may ptrace.' },
  { name: 'faccessat2', x86_64: 439, x86: 439, since: '5.8', category: 'file', risk: 'low', probe: true, summary: 'Check access to a path, with flags (effective IDs, no symlink follow).' },
  { name: 'process_madvise', x86_64: 440, x86: 440, since: '5.10', category: 'memory', risk: 'medium', probe: true, summary: "Give memory advice for another process's memory.", riskNote: 'Acts on other processes the caller may ptrace.' },
  { name: 'epoll_pwait2', x86_64: 441, x86: 441, since: '5.11', category: 'io', risk: 'low', probe: true, summary: 'Wait for epoll events with a nanosecond timeout.' },
  { name: 'mount_setattr', x86_64: 442, x86: 442, since: '5.12', category: 'mount', risk: 'critical', capability: 'CAP_SYS_ADMIN', probe: true, summary: 'Change properties of a mount tree (read-only, ID mapping, propagation).', riskNote: 'Can make read-only mounts writable or change what others see.' },
  { name: 'quotactl_fd', x86_64: 443, x86: 443, since: '5.14', category: 'system', risk: 'high', capability: 'CAP_SYS_ADMIN', summary: 'Manage disk quotas of the filesystem of an open file.', riskNote: 'Quota changes affect every user of the filesystem.' },
  { name: 'landlock_create_ruleset', x86_64: 444, x86: 444, since: '5.13', category: 'security', risk: 'low', probe: true, summary: 'Create a Landlock ruleset (or query the Landlock ABI version).' },
  { name: 'landlock_add_rule', x86_64: 445, x86: 445, since: '5.13', category: 'security', risk: 'low', summary: 'Add an access rule to a Landlock ruleset.' },
  { name: 'landlock_restrict_self', x86_64: 446, x86: 446, since: '5.13', category: 'security', risk: 'low', summary: 'Enforce a Landlock ruleset on the calling thread.' },
  { name: 'memfd_secret', x86_64: 447, x86: 447, since: '5.14', category: 'memory', risk: 'low', summary: "Create memory that is removed from the kernel's direct map (secret memory)." },
  { name: 'process_mrelease', x86_64: 448, x86: 448, since: '5.15', category: 'memory', risk: 'medium', summary: 'Reap the memory of a process that is being killed, right away.', riskNote: 'Acts on another process (it must already be dying).' },
  { name: 'futex_waitv', x86_64: 449, x86: 449, since: '5.16', category: 'ipc', risk: 'low', probe: true, summary: 'Wait on several futexes at once.' },
  { name: 'set_mempolicy_home_node', x86_64: 450, x86: 450, since: '5.17', category: 'memory', risk: 'low', summary: 'Set the preferred NUMA home node of a memory range.' },
  { name: 'cachestat', x86_64: 451, x86: 451, since: '6.5', category: 'io', risk: 'low', probe: true, summary: 'Get page-cache statistics of a file range.', riskNote: 'Page-cache state can leak what others read (side channel).' },
  { name: 'fchmodat2', x86_64: 452, x86: 452, since: '6.6', category: 'file', risk: 'medium', probe: true, summary: 'Change permission bits relative to a directory descriptor, with flags.', riskNote: 'Can add setuid/setgid bits or open files to everyone.' },
  { name: 'map_shadow_stack', x86_64: 453, x86: null, since: '6.6', category: 'memory', risk: 'low', probe: true, summary: 'Allocate a shadow stack for user-space control-flow protection (x86_64 only).' },
  { name: 'futex_wake', x86_64: 454, x86: 454, since: '6.7', category: 'ipc', risk: 'low', probe: true, summary: 'Wake waiters on a futex (new futex2 interface).' },
  { name: 'futex_wait', x86_64: 455, x86: 455, since: '6.7', category: 'ipc', risk: 'low', probe: true, summary: 'Wait on a futex (new futex2 interface).' },
  { name: 'futex_requeue', x86_64: 456, x86: 456, since: '6.7', category: 'ipc', risk: 'low', probe: true, summary: 'Move waiters from one futex to another (new futex2 interface).' },
  { name: 'statmount', x86_64: 457, x86: 457, since: '6.8', category: 'mount', risk: 'low', probe: true, summary: 'Get details of one mount by its ID.' },
  { name: 'listmount', x86_64: 458, x86: 458, since: '6.8', category: 'mount', risk: 'low', probe: true, summary: 'List the IDs of mounts below a given mount.' },
  { name: 'lsm_get_self_attr', x86_64: 459, x86: 459, since: '6.8', category: 'security', risk: 'low', probe: true, summary: "Read the caller's security module attributes (e.g. its label)." },
  { name: 'lsm_set_self_attr', x86_64: 460, x86: 460, since: '6.8', category: 'security', risk: 'medium', summary: "Set the caller's security module attributes (e.g. change its label).", riskNote: 'Changing the security label is allowed only as far as the loaded policy permits.' },
  { name: 'lsm_list_modules', x86_64: 461, x86: 461, since: '6.8', category: 'security', risk: 'low', probe: true, summary: 'List the active security modules.' },
  { name: 'mseal', x86_64: 462, x86: 462, since: '6.10', category: 'memory', risk: 'low', probe: true, summary: 'Seal memory mappings so they can no longer be changed or unmapped.' },
  { name: 'setxattrat', x86_64: 463, x86: 463, since: '6.13', category: 'file', risk: 'medium', probe: true, summary: 'Set an extended attribute relative to a directory descriptor.', riskNote: 'security.* and trusted.* attributes (labels, file capabilities) need privileges and change how files are treated.' },
  { name: 'getxattrat', x86_64: 464, x86: 464, since: '6.13', category: 'file', risk: 'low', probe: true, summary: 'Read an extended attribute relative to a directory descriptor.' },
  { name: 'listxattrat', x86_64: 465, x86: 465, since: '6.13', category: 'file', risk: 'low', probe: true, summary: 'List extended attribute names relative to a directory descriptor.' },
  { name: 'removexattrat', x86_64: 466, x86: 466, since: '6.13', category: 'file', risk: 'medium', probe: true, summary: 'Remove an extended attribute relative to a directory descriptor.', riskNote: 'Removing security labels or file capabilities changes how files are treated.' },
  { name: 'open_tree_attr', x86_64: 467, x86: 467, since: '6.15', category: 'mount', risk: 'high', capability: 'CAP_SYS_ADMIN', probe: true, summary: 'Open or clone a mount tree and change its attributes in one step.', riskNote: 'Clones mount trees (with changed attributes) that can be attached elsewhere.' },
  { name: 'file_getattr', x86_64: 468, x86: 468, since: '6.17', category: 'file', risk: 'low', probe: true, summary: 'Read inode attributes (flags, project ID, extent size) by path.' },
  { name: 'file_setattr', x86_64: 469, x86: 469, since: '6.17', category: 'file', risk: 'medium', probe: true, summary: 'Change inode attributes (flags, project ID, extent size) by path.', riskNote: 'Setting immutable or append-only flags needs CAP_LINUX_IMMUTABLE.' },

  // ── i386-only calls (in x86 number order) ──
  { name: 'waitpid', x86_64: null, x86: 7, since: '1.0', category: 'process', risk: 'low', summary: 'Wait for a child to change state (old interface, i386).' },
  { name: 'break', x86_64: null, x86: 17, since: '1.0', category: 'memory', risk: 'low', obsolete: true, summary: 'Historic Unix call slot; never implemented (always ENOSYS).' },
  { name: 'oldstat', x86_64: null, x86: 18, since: '1.0', category: 'file', risk: 'low', summary: 'Get file metadata in the oldest i386 layout.' },
  { name: 'umount', x86_64: null, x86: 22, since: '1.0', category: 'mount', risk: 'critical', capability: 'CAP_SYS_ADMIN', summary: 'Detach a mounted filesystem (i386 form without flags).', riskNote: 'Unmounting can reveal what a mount was hiding (e.g. masked /proc paths).' },
  { name: 'stime', x86_64: null, x86: 25, since: '1.0', category: 'time', risk: 'high', capability: 'CAP_SYS_TIME', summary: 'Set the system time in seconds (i386).', riskNote: 'Changes time for the whole machine: breaks certificates, logs and timeouts.' },
  { name: 'oldfstat', x86_64: null, x86: 28, since: '1.0', category: 'file', risk: 'low', summary: "Get an open file's metadata in the oldest i386 layout." },
  { name: 'stty', x86_64: null, x86: 31, since: '1.0', category: 'system', risk: 'low', obsolete: true, summary: 'Historic Unix terminal call slot; never implemented (always ENOSYS).' },
  { name: 'gtty', x86_64: null, x86: 32, since: '1.0', category: 'system', risk: 'low', obsolete: true, summary: 'Historic Unix terminal call slot; never implemented (always ENOSYS).' },
  { name: 'nice', x86_64: null, x86: 34, since: '1.0', category: 'sched', risk: 'low', summary: "Change the caller's nice value by an increment.", riskNote: 'Raising priority needs CAP_SYS_NICE.' },
  { name: 'ftime', x86_64: null, x86: 35, since: '1.0', category: 'time', risk: 'low', obsolete: true, summary: 'Historic time call slot; never implemented (always ENOSYS).' },
  { name: 'prof', x86_64: null, x86: 44, since: '1.0', category: 'debug', risk: 'low', obsolete: true, summary: 'Historic profiling call slot; never implemented (always ENOSYS).' },
  { name: 'signal', x86_64: null, x86: 48, since: '1.0', category: 'signal', risk: 'low', summary: 'Install a signal handler (old interface, i386).' },
  { name: 'lock', x86_64: null, x86: 53, since: '1.0', category: 'file', risk: 'low', obsolete: true, summary: 'Historic locking call slot; never implemented (always ENOSYS).' },
  { name: 'mpx', x86_64: null, x86: 56, since: '1.0', category: 'system', risk: 'low', obsolete: true, summary: 'Historic call slot; never implemented (always ENOSYS).' },
  { name: 'ulimit', x86_64: null, x86: 58, since: '1.0', category: 'process', risk: 'low', obsolete: true, summary: 'Historic limit call slot; never implemented (always ENOSYS).' },
  { name: 'oldolduname', x86_64: null, x86: 59, since: '1.0', category: 'system', risk: 'low', summary: 'Get system identification in the oldest layout.' },
  { name: 'sigaction', x86_64: null, x86: 67, since: '1.0', category: 'signal', risk: 'low', summary: 'Install or query a signal handler (old interface, i386).' },
  { name: 'sgetmask', x86_64: null, x86: 68, since: '1.0', category: 'signal', risk: 'low', summary: 'Get the blocked signal mask (old interface, i386).' },
  { name: 'ssetmask', x86_64: null, x86: 69, since: '1.0', category: 'signal', risk: 'low', summary: 'Set the blocked signal mask (old interface, i386).' },
  { name: 'sigsuspend', x86_64: null, x86: 72, since: '1.0', category: 'signal', risk: 'low', summary: 'Wait for a signal with a temporary mask (old interface, i386).' },
  { name: 'sigpending', x86_64: null, x86: 73, since: '1.0', category: 'signal', risk: 'low', summary: 'List pending signals (old interface, i386).' },
  { name: 'oldlstat', x86_64: null, x86: 84, since: '1.0', category: 'file', risk: 'low', summary: 'Get symlink metadata in the oldest i386 layout.' },
  { name: 'readdir', x86_64: null, x86: 89, since: '1.0', category: 'file', risk: 'low', summary: 'Read one directory entry (old interface, i386).' },
  { name: 'profil', x86_64: null, x86: 98, since: '1.0', category: 'debug', risk: 'low', obsolete: true, summary: 'Historic profiling call slot; never implemented (always ENOSYS).' },
  { name: 'socketcall', x86_64: null, x86: 102, since: '1.0', category: 'net', risk: 'medium', summary: 'Multiplexer for all socket operations on i386 (socket, connect, bind, ...).', riskNote: 'The first argument selects the operation, so it stands for every socket call at once, socket() included.' },
  { name: 'olduname', x86_64: null, x86: 109, since: '1.0', category: 'system', risk: 'low', summary: 'Get system identification in an old layout.' },
  { name: 'idle', x86_64: null, x86: 112, since: '1.0', category: 'system', risk: 'low', obsolete: true, summary: 'Made the calling process the idle task in early kernels; always ENOSYS now.' },
  { name: 'vm86old', x86_64: null, x86: 113, since: '1.0', category: 'system', risk: 'low', obsolete: true, summary: 'Enter 16-bit virtual-8086 mode (old form); an x86_64 kernel answers ENOSYS.' },
  { name: 'ipc', x86_64: null, x86: 117, since: '1.0', category: 'ipc', risk: 'low', summary: 'Multiplexer for System V IPC on i386 (semaphores, messages, shared memory).' },
  { name: 'sigreturn', x86_64: null, x86: 119, since: '1.0', category: 'signal', risk: 'low', always: true, summary: 'Return from a signal handler (old frame layout, i386).' },
  { name: 'sigprocmask', x86_64: null, x86: 126, since: '1.0', category: 'signal', risk: 'low', summary: 'Block or unblock signals (old interface, i386).' },
  { name: 'bdflush', x86_64: null, x86: 134, since: '1.2', category: 'system', risk: 'low', obsolete: true, summary: 'Control the old buffer-flush daemon; removed (always ENOSYS).' },
  { name: '_llseek', x86_64: null, x86: 140, since: '1.2', category: 'io', risk: 'low', summary: 'Move the position of an open file using a 64-bit offset (i386).' },
  { name: '_newselect', x86_64: null, x86: 142, since: '2.0', category: 'io', risk: 'low', summary: 'Wait for readiness on descriptor bit sets (i386 select).' },
  { name: 'vm86', x86_64: null, x86: 166, since: '2.0', category: 'system', risk: 'low', obsolete: true, summary: 'Enter 16-bit virtual-8086 mode; only native 32-bit kernels have it, an x86_64 kernel answers ENOSYS.' },
  { name: 'ugetrlimit', x86_64: null, x86: 191, since: '2.4', category: 'process', risk: 'low', summary: 'Read a resource limit (i386, unsigned layout).' },
  { name: 'mmap2', x86_64: null, x86: 192, since: '2.4', category: 'memory', risk: 'low', always: true, summary: 'Map a file or anonymous memory, with the offset in pages (i386).', riskNote: 'Mappings that are both writable and executable make code injection easier.' },
  { name: 'truncate64', x86_64: null, x86: 193, since: '2.4', category: 'file', risk: 'low', summary: "Set a file's length by path with a 64-bit size (i386)." },
  { name: 'ftruncate64', x86_64: null, x86: 194, since: '2.4', category: 'file', risk: 'low', summary: "Set an open file's length with a 64-bit size (i386)." },
  { name: 'stat64', x86_64: null, x86: 195, since: '2.4', category: 'file', risk: 'low', summary: "Get a file's metadata by path (i386, large-file layout)." },
  { name: 'lstat64', x86_64: null, x86: 196, since: '2.4', category: 'file', risk: 'low', summary: "Get a path's metadata without following a final symlink (i386, large-file layout)." },
  { name: 'fstat64', x86_64: null, x86: 197, since: '2.4', category: 'file', risk: 'low', summary: "Get an open file's metadata (i386, large-file layout)." },
  { name: 'lchown32', x86_64: null, x86: 198, since: '2.4', category: 'file', risk: 'medium', capability: 'CAP_CHOWN', summary: 'Change owner and group without following a final symlink (i386, 32-bit IDs).', riskNote: 'Giving files to other users needs CAP_CHOWN.' },
  { name: 'getuid32', x86_64: null, x86: 199, since: '2.4', category: 'credentials', risk: 'low', summary: 'Get the real user ID (i386, 32-bit IDs).' },
  { name: 'getgid32', x86_64: null, x86: 200, since: '2.4', category: 'credentials', risk: 'low', summary: 'Get the real group ID (i386, 32-bit IDs).' },
  { name: 'geteuid32', x86_64: null, x86: 201, since: '2.4', category: 'credentials', risk: 'low', summary: 'Get the effective user ID (i386, 32-bit IDs).' },
  { name: 'getegid32', x86_64: null, x86: 202, since: '2.4', category: 'credentials', risk: 'low', summary: 'Get the effective group ID (i386, 32-bit IDs).' },
  { name: 'setreuid32', x86_64: null, x86: 203, since: '2.4', category: 'credentials', risk: 'medium', capability: 'CAP_SETUID', summary: 'Set the real and effective user IDs (i386, 32-bit IDs).', riskNote: 'With CAP_SETUID the caller can become any user, root included.' },
  { name: 'setregid32', x86_64: null, x86: 204, since: '2.4', category: 'credentials', risk: 'medium', capability: 'CAP_SETGID', summary: 'Set the real and effective group IDs (i386, 32-bit IDs).', riskNote: 'With CAP_SETGID the caller can join any group.' },
  { name: 'getgroups32', x86_64: null, x86: 205, since: '2.4', category: 'credentials', risk: 'low', summary: 'Get the supplementary group list (i386, 32-bit IDs).' },
  { name: 'setgroups32', x86_64: null, x86: 206, since: '2.4', category: 'credentials', risk: 'medium', capability: 'CAP_SETGID', summary: 'Replace the supplementary group list (i386, 32-bit IDs).', riskNote: 'Can add privileged groups (disk, docker, ...); dropping groups can defeat negative group permissions.' },
  { name: 'fchown32', x86_64: null, x86: 207, since: '2.4', category: 'file', risk: 'medium', capability: 'CAP_CHOWN', summary: 'Change the owner and group of an open file (i386, 32-bit IDs).', riskNote: 'Giving files to other users needs CAP_CHOWN.' },
  { name: 'setresuid32', x86_64: null, x86: 208, since: '2.4', category: 'credentials', risk: 'medium', capability: 'CAP_SETUID', summary: 'Set the real, effective and saved user IDs (i386, 32-bit IDs).', riskNote: 'With CAP_SETUID the caller can become any user, root included.' },
  { name: 'getresuid32', x86_64: null, x86: 209, since: '2.4', category: 'credentials', risk: 'low', summary: 'Get the real, effective and saved user IDs (i386, 32-bit IDs).' },
  { name: 'setresgid32', x86_64: null, x86: 210, since: '2.4', category: 'credentials', risk: 'medium', capability: 'CAP_SETGID', summary: 'Set the real, effective and saved group IDs (i386, 32-bit IDs).', riskNote: 'With CAP_SETGID the caller can join any group.' },
  { name: 'getresgid32', x86_64: null, x86: 211, since: '2.4', category: 'credentials', risk: 'low', summary: 'Get the real, effective and saved group IDs (i386, 32-bit IDs).' },
  { name: 'chown32', x86_64: null, x86: 212, since: '2.4', category: 'file', risk: 'medium', capability: 'CAP_CHOWN', summary: 'Change the owner and group of a path (i386, 32-bit IDs).', riskNote: 'Giving files to other users needs CAP_CHOWN.' },
  { name: 'setuid32', x86_64: null, x86: 213, since: '2.4', category: 'credentials', risk: 'medium', capability: 'CAP_SETUID', summary: 'Set the user ID(s) (i386, 32-bit IDs).', riskNote: 'With CAP_SETUID the caller can become any user, root included.' },
  { name: 'setgid32', x86_64: null, x86: 214, since: '2.4', category: 'credentials', risk: 'medium', capability: 'CAP_SETGID', summary: 'Set the group ID(s) (i386, 32-bit IDs).', riskNote: 'With CAP_SETGID the caller can join any group.' },
  { name: 'setfsuid32', x86_64: null, x86: 215, since: '2.4', category: 'credentials', risk: 'medium', capability: 'CAP_SETUID', summary: 'Set the filesystem user ID (i386, 32-bit IDs).', riskNote: 'With CAP_SETUID the caller can act on files as any user.' },
  { name: 'setfsgid32', x86_64: null, x86: 216, since: '2.4', category: 'credentials', risk: 'medium', capability: 'CAP_SETGID', summary: 'Set the filesystem group ID (i386, 32-bit IDs).', riskNote: 'With CAP_SETGID the caller can act on files as any group.' },
  { name: 'fcntl64', x86_64: null, x86: 221, since: '2.4', category: 'file', risk: 'low', summary: 'Change or query descriptor properties, with 64-bit locks (i386).' },
  { name: 'sendfile64', x86_64: null, x86: 239, since: '2.6', category: 'io', risk: 'low', summary: 'Copy data between descriptors inside the kernel, 64-bit offset (i386).' },
  { name: 'statfs64', x86_64: null, x86: 268, since: '2.6', category: 'file', risk: 'low', summary: 'Get filesystem statistics by path (i386, large layout).' },
  { name: 'fstatfs64', x86_64: null, x86: 269, since: '2.6', category: 'file', risk: 'low', summary: 'Get filesystem statistics of an open file (i386, large layout).' },
  { name: 'fadvise64_64', x86_64: null, x86: 272, since: '2.6', category: 'io', risk: 'low', summary: 'Tell the kernel how a file range will be accessed (i386, 64-bit arguments).' },
  { name: 'fstatat64', x86_64: null, x86: 300, since: '2.6.16', category: 'file', risk: 'low', summary: 'Get file metadata relative to a directory descriptor (i386, large-file layout).' },
  { name: 'clock_gettime64', x86_64: null, x86: 403, since: '5.1', category: 'time', risk: 'low', probe: true, summary: 'Read a clock with a 64-bit time value (i386).' },
  { name: 'clock_settime64', x86_64: null, x86: 404, since: '5.1', category: 'time', risk: 'high', capability: 'CAP_SYS_TIME', probe: true, summary: 'Set a clock with a 64-bit time value (i386).', riskNote: 'Changes time for the whole machine: breaks certificates, logs and timeouts.' },
  { name: 'clock_adjtime64', x86_64: null, x86: 405, since: '5.1', category: 'time', risk: 'medium', probe: true, summary: 'Read or tune a clock with 64-bit time values (i386).', riskNote: 'Adjusting needs CAP_SYS_TIME and affects the whole machine; reading is harmless.' },
  { name: 'clock_getres_time64', x86_64: null, x86: 406, since: '5.1', category: 'time', risk: 'low', probe: true, summary: 'Get the resolution of a clock as a 64-bit time value (i386).' },
  { name: 'clock_nanosleep_time64', x86_64: null, x86: 407, since: '5.1', category: 'time', risk: 'low', probe: true, summary: 'Sleep against a clock with a 64-bit time value (i386).' },
  { name: 'timer_gettime64', x86_64: null, x86: 408, since: '5.1', category: 'time', risk: 'low', probe: true, summary: 'Get the time left on a POSIX timer, 64-bit time (i386).' },
  { name: 'timer_settime64', x86_64: null, x86: 409, since: '5.1', category: 'time', risk: 'low', probe: true, summary: 'Arm or disarm a POSIX timer, 64-bit time (i386).' },
  { name: 'timerfd_gettime64', x86_64: null, x86: 410, since: '5.1', category: 'time', risk: 'low', probe: true, summary: 'Get the time left on a timerfd, 64-bit time (i386).' },
  { name: 'timerfd_settime64', x86_64: null, x86: 411, since: '5.1', category: 'time', risk: 'low', probe: true, summary: 'Arm or disarm a timerfd, 64-bit time (i386).' },
  { name: 'utimensat_time64', x86_64: null, x86: 412, since: '5.1', category: 'file', risk: 'low', probe: true, summary: 'Set file times with 64-bit time values (i386).' },
  { name: 'pselect6_time64', x86_64: null, x86: 413, since: '5.1', category: 'io', risk: 'low', probe: true, summary: 'Wait for descriptor readiness with a 64-bit timeout (i386).' },
  { name: 'ppoll_time64', x86_64: null, x86: 414, since: '5.1', category: 'io', risk: 'low', probe: true, summary: 'Poll descriptors with a 64-bit timeout (i386).' },
  { name: 'io_pgetevents_time64', x86_64: null, x86: 416, since: '5.1', category: 'io', risk: 'low', probe: true, summary: 'Collect asynchronous I/O completions with a 64-bit timeout (i386).' },
  { name: 'recvmmsg_time64', x86_64: null, x86: 417, since: '5.1', category: 'net', risk: 'low', probe: true, summary: 'Receive several socket messages with a 64-bit timeout (i386).' },
  { name: 'mq_timedsend_time64', x86_64: null, x86: 418, since: '5.1', category: 'ipc', risk: 'low', probe: true, summary: 'Send to a POSIX message queue with a 64-bit timeout (i386).' },
  { name: 'mq_timedreceive_time64', x86_64: null, x86: 419, since: '5.1', category: 'ipc', risk: 'low', probe: true, summary: 'Receive from a POSIX message queue with a 64-bit timeout (i386).' },
  { name: 'semtimedop_time64', x86_64: null, x86: 420, since: '5.1', category: 'ipc', risk: 'low', probe: true, summary: 'Operate on System V semaphores with a 64-bit timeout (i386).' },
  { name: 'rt_sigtimedwait_time64', x86_64: null, x86: 421, since: '5.1', category: 'signal', risk: 'low', probe: true, summary: 'Wait for a signal with a 64-bit timeout (i386).' },
  { name: 'futex_time64', x86_64: null, x86: 422, since: '5.1', category: 'ipc', risk: 'low', probe: true, summary: 'Futex operations with a 64-bit timeout (i386).' },
  { name: 'sched_rr_get_interval_time64', x86_64: null, x86: 423, since: '5.1', category: 'sched', risk: 'low', probe: true, summary: 'Get the round-robin time slice as a 64-bit time value (i386).' },
];

/** The newest kernel and highest syscall numbers this table covers (the knowledge horizon). */
export const syscallTableHorizon = {
  kernel: '6.18',
  maxNumber: { x86_64: 469, x86: 469 },
} as const;

const byName = new Map<string, SyscallInfo>(syscallTable.map((s) => [s.name, s]));
const byNumber: Record<SyscallArch, Map<number, SyscallInfo>> = { x86_64: new Map(), x86: new Map() };
for (const s of syscallTable) {
  if (s.x86_64 !== null) byNumber.x86_64.set(s.x86_64, s);
  if (s.x86 !== null) byNumber.x86.set(s.x86, s);
}

/** Look a syscall up by its kernel / libseccomp name (exact, case-sensitive). */
export function syscallByName(name: string): SyscallInfo | undefined {
  return byName.get(name);
}

/** Look a syscall up by its number on one ABI. */
export function syscallByNumber(arch: SyscallArch, nr: number): SyscallInfo | undefined {
  return byNumber[arch].get(nr);
}

/** The syscall's number on one ABI, or null when the call does not exist there (or is unknown). */
export function syscallNumber(arch: SyscallArch, name: string): number | null {
  return byName.get(name)?.[arch] ?? null;
}

/** All syscalls that exist on one ABI, in number order. */
export function syscallsForArch(arch: SyscallArch): SyscallInfo[] {
  return [...byNumber[arch].entries()].sort((a, b) => a[0] - b[0]).map(([, s]) => s);
}

/** Names of the syscalls programs probe and fall back from on ENOSYS (answer ENOSYS when unseen). */
export const probeSyscalls: readonly string[] = syscallTable.filter((s) => s.probe).map((s) => s.name);

/** Names of the syscalls nearly every program needs. */
export const alwaysSyscalls: readonly string[] = syscallTable.filter((s) => s.always).map((s) => s.name);
