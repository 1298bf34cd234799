/**
 * Errno names and numbers for x86_64 (and i386) Linux, which use the generic numbering of the
 * kernel's include/uapi/asm-generic/errno-base.h and errno.h (EPERM 1 … EHWPOISON 133; 41 and 58
 * are unused). Used to name the errno a denied syscall returns and to read errnos in events.
 * Pure data, no I/O.
 */

/** One errno value. */
export interface ErrnoInfo {
  /** Positive errno value (the kernel returns its negation). */
  number: number;
  /** Symbolic name, e.g. `EPERM`. */
  name: string;
  /** Short meaning, one line. */
  summary: string;
}

/** Every errno of x86_64 Linux, in number order (no aliases; see errnoAliases). */
export const errnoTable: readonly ErrnoInfo[] = [
  { number: 1, name: 'EPERM', summary: 'Operation not permitted (privilege or policy refused it).' },
  { number: 2, name: 'ENOENT', summary: 'No such file or directory.' },
  { number: 3, name: 'ESRCH', summary: 'No such process.' },
  { number: 4, name: 'EINTR', summary: 'Interrupted by a signal.' },
  { number: 5, name: 'EIO', summary: 'Input/output error.' },
  { number: 6, name: 'ENXIO', summary: 'No such device or address.' },
  { number: 7, name: 'E2BIG', summary: 'Argument list too long.' },
  { number: 8, name: 'ENOEXEC', summary: 'Not an executable format.' },
  { number: 9, name: 'EBADF', summary: 'Bad file descriptor.' },
  { number: 10, name: 'ECHILD', summary: 'No child processes.' },
  { number: 11, name: 'EAGAIN', summary: 'Try again (resource temporarily unavailable; would block).' },
  { number: 12, name: 'ENOMEM', summary: 'Out of memory.' },
  { number: 13, name: 'EACCES', summary: 'Permission denied.' },
  { number: 14, name: 'EFAULT', summary: 'Bad address.' },
  { number: 15, name: 'ENOTBLK', summary: 'Block device required.' },
  { number: 16, name: 'EBUSY', summary: 'Device or resource busy.' },
  { number: 17, name: 'EEXIST', summary: 'Already exists.' },
  { number: 18, name: 'EXDEV', summary: 'Cross-device link.' },
  { number: 19, name: 'ENODEV', summary: 'No such device.' },
  { number: 20, name: 'ENOTDIR', summary: 'Not a directory.' },
  { number: 21, name: 'EISDIR', summary: 'Is a directory.' },
  { number: 22, name: 'EINVAL', summary: 'Invalid argument.' },
  { number: 23, name: 'ENFILE', summary: 'Too many open files in the system.' },
  { number: 24, name: 'EMFILE', summary: 'Too many open files in the process.' },
  { number: 25, name: 'ENOTTY', summary: 'Not a terminal (inappropriate ioctl).' },
  { number: 26, name: 'ETXTBSY', summary: 'Text file busy.' },
  { number: 27, name: 'EFBIG', summary: 'File too large.' },
  { number: 28, name: 'ENOSPC', summary: 'No space left on device.' },
  { number: 29, name: 'ESPIPE', summary: 'Illegal seek.' },
  { number: 30, name: 'EROFS', summary: 'Read-only filesystem.' },
  { number: 31, name: 'EMLINK', summary: 'Too many links.' },
  { number: 32, name: 'EPIPE', summary: 'Broken pipe.' },
  { number: 33, name: 'EDOM', summary: 'Argument out of domain.' },
  { number: 34, name: 'ERANGE', summary: 'Result out of range.' },
  { number: 35, name: 'EDEADLK', summary: 'Resource deadlock would occur.' },
  { number: 36, name: 'ENAMETOOLONG', summary: 'File name too long.' },
  { number: 37, name: 'ENOLCK', summary: 'No locks available.' },
  { number: 38, name: 'ENOSYS', summary: 'Function not implemented (unknown system call).' },
  { number: 39, name: 'ENOTEMPTY', summary: 'Directory not empty.' },
  { number: 40, name: 'ELOOP', summary: 'Too many levels of symbolic links.' },
  { number: 42, name: 'ENOMSG', summary: 'No message of the desired type.' },
  { number: 43, name: 'EIDRM', summary: 'Identifier removed.' },
  { number: 44, name: 'ECHRNG', summary: 'Channel number out of range.' },
  { number: 45, name: 'EL2NSYNC', summary: 'Level 2 not synchronized.' },
  { number: 46, name: 'EL3HLT', summary: 'Level 3 halted.' },
  { number: 47, name: 'EL3RST', summary: 'Level 3 reset.' },
  { number: 48, name: 'ELNRNG', summary: 'Link number out of range.' },
  { number: 49, name: 'EUNATCH', summary: 'Protocol driver not attached.' },
  { number: 50, name: 'ENOCSI', summary: 'No CSI structure available.' },
  { number: 51, name: 'EL2HLT', summary: 'Level 2 halted.' },
  { number: 52, name: 'EBADE', summary: 'Invalid exchange.' },
  { number: 53, name: 'EBADR', summary: 'Invalid request descriptor.' },
  { number: 54, name: 'EXFULL', summary: 'Exchange full.' },
  { number: 55, name: 'ENOANO', summary: 'No anode.' },
  { number: 56, name: 'EBADRQC', summary: 'Invalid request code.' },
  { number: 57, name: 'EBADSLT', summary: 'Invalid slot.' },
  { number: 59, name: 'EBFONT', summary: 'Bad font file format.' },
  { number: 60, name: 'ENOSTR', summary: 'Device not a stream.' },
  { number: 61, name: 'ENODATA', summary: 'No data available.' },
  { number: 62, name: 'ETIME', summary: 'Timer expired.' },
  { number: 63, name: 'ENOSR', summary: 'Out of streams resources.' },
  { number: 64, name: 'ENONET', summary: 'Machine is not on the network.' },
  { number: 65, name: 'ENOPKG', summary: 'Package not installed.' },
  { number: 66, name: 'EREMOTE', summary: 'Object is remote.' },
  { number: 67, name: 'ENOLINK', summary: 'Link has been severed.' },
  { number: 68, name: 'EADV', summary: 'Advertise error.' },
  { number: 69, name: 'ESRMNT', summary: 'Srmount error.' },
  { number: 70, name: 'ECOMM', summary: 'Communication error on send.' },
  { number: 71, name: 'EPROTO', summary: 'Protocol error.' },
  { number: 72, name: 'EMULTIHOP', summary: 'Multihop attempted.' },
  { number: 73, name: 'EDOTDOT', summary: 'RFS specific error.' },
  { number: 74, name: 'EBADMSG', summary: 'Not a data message.' },
  { number: 75, name: 'EOVERFLOW', summary: 'Value too large for defined data type.' },
  { number: 76, name: 'ENOTUNIQ', summary: 'Name not unique on network.' },
  { number: 77, name: 'EBADFD', summary: 'File descriptor in bad state.' },
  { number: 78, name: 'EREMCHG', summary: 'Remote address changed.' },
  { number: 79, name: 'ELIBACC', summary: 'Cannot access a needed shared library.' },
  { number: 80, name: 'ELIBBAD', summary: 'Accessing a corrupted shared library.' },
  { number: 81, name: 'ELIBSCN', summary: '.lib section in a.out corrupted.' },
  { number: 82, name: 'ELIBMAX', summary: 'Attempting to link in too many shared libraries.' },
  { number: 83, name: 'ELIBEXEC', summary: 'Cannot exec a shared library directly.' },
  { number: 84, name: 'EILSEQ', summary: 'Illegal byte sequence.' },
  { number: 85, name: 'ERESTART', summary: 'Interrupted system call should be restarted.' },
  { number: 86, name: 'ESTRPIPE', summary: 'Streams pipe error.' },
  { number: 87, name: 'EUSERS', summary: 'Too many users.' },
  { number: 88, name: 'ENOTSOCK', summary: 'Not a socket.' },
  { number: 89, name: 'EDESTADDRREQ', summary: 'Destination address required.' },
  { number: 90, name: 'EMSGSIZE', summary: 'Message too long.' },
  { number: 91, name: 'EPROTOTYPE', summary: 'Protocol wrong type for socket.' },
  { number: 92, name: 'ENOPROTOOPT', summary: 'Protocol not available.' },
  { number: 93, name: 'EPROTONOSUPPORT', summary: 'Protocol not supported.' },
  { number: 94, name: 'ESOCKTNOSUPPORT', summary: 'Socket type not supported.' },
  { number: 95, name: 'EOPNOTSUPP', summary: 'Operation not supported.' },
  { number: 96, name: 'EPFNOSUPPORT', summary: 'Protocol family not supported.' },
  { number: 97, name: 'EAFNOSUPPORT', summary: 'Address family not supported by protocol.' },
  { number: 98, name: 'EADDRINUSE', summary: 'Address already in use.' },
  { number: 99, name: 'EADDRNOTAVAIL', summary: 'Cannot assign requested address.' },
  { number: 100, name: 'ENETDOWN', summary: 'Network is down.' },
  { number: 101, name: 'ENETUNREACH', summary: 'Network is unreachable.' },
  { number: 102, name: 'ENETRESET', summary: 'Network dropped connection because of reset.' },
  { number: 103, name: 'ECONNABORTED', summary: 'Software caused connection abort.' },
  { number: 104, name: 'ECONNRESET', summary: 'Connection reset by peer.' },
  { number: 105, name: 'ENOBUFS', summary: 'No buffer space available.' },
  { number: 106, name: 'EISCONN', summary: 'Already connected.' },
  { number: 107, name: 'ENOTCONN', summary: 'Not connected.' },
  { number: 108, name: 'ESHUTDOWN', summary: 'Cannot send after transport endpoint shutdown.' },
  { number: 109, name: 'ETOOMANYREFS', summary: 'Too many references.' },
  { number: 110, name: 'ETIMEDOUT', summary: 'Connection timed out.' },
  { number: 111, name: 'ECONNREFUSED', summary: 'Connection refused.' },
  { number: 112, name: 'EHOSTDOWN', summary: 'Host is down.' },
  { number: 113, name: 'EHOSTUNREACH', summary: 'No route to host.' },
  { number: 114, name: 'EALREADY', summary: 'Operation already in progress.' },
  { number: 115, name: 'EINPROGRESS', summary: 'Operation now in progress.' },
  { number: 116, name: 'ESTALE', summary: 'Stale file handle.' },
  { number: 117, name: 'EUCLEAN', summary: 'Structure needs cleaning.' },
  { number: 118, name: 'ENOTNAM', summary: 'Not a XENIX named type file.' },
  { number: 119, name: 'ENAVAIL', summary: 'No XENIX semaphores available.' },
  { number: 120, name: 'EISNAM', summary: 'Is a named type file.' },
  { number: 121, name: 'EREMOTEIO', summary: 'Remote I/O error.' },
  { number: 122, name: 'EDQUOT', summary: 'Disk quota exceeded.' },
  { number: 123, name: 'ENOMEDIUM', summary: 'No medium found.' },
  { number: 124, name: 'EMEDIUMTYPE', summary: 'Wrong medium type.' },
  { number: 125, name: 'ECANCELED', summary: 'Operation canceled.' },
  { number: 126, name: 'ENOKEY', summary: 'Required key not available.' },
  { number: 127, name: 'EKEYEXPIRED', summary: 'Key has expired.' },
  { number: 128, name: 'EKEYREVOKED', summary: 'Key has been revoked.' },
  { number: 129, name: 'EKEYREJECTED', summary: 'Key was rejected by service.' },
  { number: 130, name: 'EOWNERDEAD', summary: 'Owner died.' },
  { number: 131, name: 'ENOTRECOVERABLE', summary: 'State not recoverable.' },
  { number: 132, name: 'ERFKILL', summary: 'Operation not possible due to RF-kill.' },
  { number: 133, name: 'EHWPOISON', summary: 'Memory page has hardware error.' },
];

/**
 * Other names for the same numbers: the kernel's EWOULDBLOCK and EDEADLOCK, and C library
 * ENOTSUP (glibc and musl define it as EOPNOTSUPP on Linux).
 */
export const errnoAliases: Readonly<Record<string, string>> = {
  EWOULDBLOCK: 'EAGAIN',
  EDEADLOCK: 'EDEADLK',
  ENOTSUP: 'EOPNOTSUPP',
};

const byName = new Map<string, ErrnoInfo>(errnoTable.map((e) => [e.name, e]));
const byNumber = new Map<number, ErrnoInfo>(errnoTable.map((e) => [e.number, e]));

/** Look an errno up by name (`EPERM`, any case; aliases such as EWOULDBLOCK resolve to the main entry). */
export function errnoByName(name: string): ErrnoInfo | undefined {
  const upper = name.toUpperCase();
  return byName.get(errnoAliases[upper] ?? upper);
}

/** Look an errno up by number; negative numbers (raw kernel returns such as -38) are accepted. */
export function errnoByNumber(nr: number): ErrnoInfo | undefined {
  return byNumber.get(Math.abs(nr));
}

/** Highest errno value known (EHWPOISON). */
export const maxErrno = 133;
