/**
 * Ground truth from strace (6.1 on Debian 12) for the integration tests: run a command under
 * `strace -f`, parse what it printed, and hand back the syscalls (per arch), the path arguments,
 * the execs and the first process's exit status.
 *
 * strace quirks this parser relies on (all seen with strace 6.1 on Linux 6.18, x86_64):
 * - `-q`/`-qq` (and even strace's default) suppress the `[ Process PID=N runs in 32 bit mode. ]`
 *   notices, and `-qq` also drops the `+++ exited with N +++` lines. So we run with
 *   `--quiet=attach` only: we get the personality notices (the only way to tell an
 *   `int $0x80` or x32 syscall from a 64-bit one: the name printed is already the i386/x32
 *   table's, e.g. `getpid()` for i386 nr 20) and the exit/kill lines.
 * - Mode notices are per process (strace's tcb): a new pid starts in the mode strace was last
 *   decoding (its global "current personality"), which we mirror with `lastArch`.
 * - With `-f -o FILE` every line starts with `PID  ` (two spaces); without `-o` it is `[pid N] `.
 * - An interrupted call prints `name(args <unfinished ...>` and later `<... name resumed>rest`;
 *   the resumed part may itself read `<... name resumed> <unfinished ...>) = ?` when the thread
 *   died in the call. We count a syscall once, at its entry line.
 * - A non-leader thread that calls execve: its `execve(... <unfinished ...>` is printed under the
 *   thread's tid, then `LEADER  +++ superseded by execve in pid TID +++`, then
 *   `LEADER  <... execve resumed>) = 0`; the tid is never seen again.
 * - `exit`/`exit_group` end with `= ?`; a restarted call prints `= ? ERESTARTNOINTR (...)` and
 *   shows up again when restarted (counted twice, as a kernel-side tracer sees it twice).
 * - Strings: non-printable bytes (UTF-8 included) are octal escapes with the fewest digits that
 *   stay unambiguous (`\1.txt`, `\0001`), plus `\" \\ \n \t \r \v \f`; with `-x` a string
 *   holding any non-printable byte is printed entirely as `\xHH`.
 * - strace's own errors (`strace: Can't stat './x': No such file or directory`, `strace: exec:
 *   Permission denied`) go to its stderr, not to the -o file; when the exec fails the -o file
 *   holds `execve(...) = -1 EACCES (...)` and `+++ exited with 1 +++`.
 * - busybox runs applets by `execve("/proc/self/exe", ["cat", ...])`.
 */
import { spawn } from 'node:child_process';
import { createReadStream, lstatSync, mkdtempSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { createInterface } from 'node:readline';

export type StraceArch = 'x86_64' | 'x86' | 'x32';

export interface StraceSyscall {
  name: string;
  arch: StraceArch;
  count: number;
}

export interface StracePath {
  syscall: string;
  /** the path argument as the program passed it, strace's escaping undone (not normalised) */
  path: string;
  /** the directory fd argument as strace printed it, when it is not AT_FDCWD */
  dirfd?: string;
  /** 'ok', an errno name (`ENOENT`, `ERESTARTSYS`…), or '?' when the call never returned */
  result: 'ok' | string;
}

export interface StraceExec {
  path: string;
  argv0?: string;
  /** 'ok', an errno name, or '?' when the call never returned */
  result: string;
}

export interface ParsedStrace {
  /** pid of the first line (the traced command's process) */
  firstPid: number | null;
  /** from the first pid's `+++ exited with N +++` */
  exitCode: number | null;
  /** from the first pid's `+++ killed by SIGX +++` */
  signal: string | null;
  /** one row per (name, arch), in order of first appearance */
  syscalls: StraceSyscall[];
  paths: StracePath[];
  execs: StraceExec[];
  /** lines the parser did not understand (kept for debugging; normally empty) */
  unparsed: string[];
}

export interface StraceResult extends ParsedStrace {
  stdout: string;
  stderr: string;
}

/** The strace options straceRun uses (before `-o FILE -- argv…`). */
export const STRACE_OPTIONS: readonly string[] = ['-f', '--quiet=attach', '-s', '4096'];

/* ------------------------------------------------------------------------------------------ */
/* Which argument of which syscall is a path: [dirfd index or -1, path index]. */

const PATH_ARGS: Record<string, Array<[number, number]>> = {
  open: [[-1, 0]],
  creat: [[-1, 0]],
  openat: [[0, 1]],
  openat2: [[0, 1]],
  execve: [[-1, 0]],
  execveat: [[0, 1]],
  stat: [[-1, 0]],
  lstat: [[-1, 0]],
  stat64: [[-1, 0]],
  lstat64: [[-1, 0]],
  oldstat: [[-1, 0]],
  oldlstat: [[-1, 0]],
  newfstatat: [[0, 1]],
  fstatat64: [[0, 1]],
  statx: [[0, 1]],
  access: [[-1, 0]],
  faccessat: [[0, 1]],
  faccessat2: [[0, 1]],
  readlink: [[-1, 0]],
  readlinkat: [[0, 1]],
  mkdir: [[-1, 0]],
  mkdirat: [[0, 1]],
  unlink: [[-1, 0]],
  unlinkat: [[0, 1]],
  rmdir: [[-1, 0]],
  rename: [
    [-1, 0],
    [-1, 1],
  ],
  renameat: [
    [0, 1],
    [2, 3],
  ],
  renameat2: [
    [0, 1],
    [2, 3],
  ],
  link: [
    [-1, 0],
    [-1, 1],
  ],
  linkat: [
    [0, 1],
    [2, 3],
  ],
  // symlink(target, linkpath): only linkpath is a path the call touches; target is content.
  symlink: [[-1, 1]],
  symlinkat: [[1, 2]],
  chdir: [[-1, 0]],
  chmod: [[-1, 0]],
  fchmodat: [[0, 1]],
  chown: [[-1, 0]],
  lchown: [[-1, 0]],
  chown32: [[-1, 0]],
  lchown32: [[-1, 0]],
  fchownat: [[0, 1]],
  truncate: [[-1, 0]],
  truncate64: [[-1, 0]],
  // mount(source, target, …): only the target (the source is often "none", "proc", a device…)
  mount: [[-1, 1]],
  umount2: [[-1, 0]],
  umount: [[-1, 0]],
};

const SOCKADDR_PATH_SYSCALLS = new Set(['bind', 'connect']);
const EXEC_SYSCALLS: Record<string, { path: number; argv: number }> = {
  execve: { path: 0, argv: 1 },
  execveat: { path: 1, argv: 2 },
};

/* ------------------------------------------------------------------------------------------ */
/* Low-level text helpers. */

/**
 * Undo strace's quoting of one string argument: `"…"` (optionally followed by `...` when
 * truncated). Returns null when `text` does not start with a quote (NULL, an address, …).
 */
export function unescapeStraceString(text: string): string | null {
  const s = text.trimStart();
  if (!s.startsWith('"')) return null;
  const bytes: number[] = [];
  let i = 1;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '"') break;
    if (c !== '\\') {
      // strace prints only printable ASCII unescaped, but be lenient with anything else.
      for (const b of Buffer.from(c, 'utf8')) bytes.push(b);
      i++;
      continue;
    }
    const e = s[i + 1];
    i += 2;
    switch (e) {
      case 'n': bytes.push(10); break;
      case 't': bytes.push(9); break;
      case 'r': bytes.push(13); break;
      case 'v': bytes.push(11); break;
      case 'f': bytes.push(12); break;
      case 'a': bytes.push(7); break;
      case 'b': bytes.push(8); break;
      case 'e': bytes.push(27); break;
      case '"': bytes.push(34); break;
      case '\\': bytes.push(92); break;
      case "'": bytes.push(39); break;
      case 'x': {
        const m = /^[0-9a-fA-F]{1,2}/.exec(s.slice(i));
        if (m) {
          bytes.push(parseInt(m[0], 16));
          i += m[0].length;
        } else {
          bytes.push(120);
        }
        break;
      }
      default: {
        if (e !== undefined && e >= '0' && e <= '7') {
          const m = /^[0-7]{1,3}/.exec(s.slice(i - 1))!;
          bytes.push(parseInt(m[0], 8) & 0xff);
          i += m[0].length - 1;
        } else if (e !== undefined) {
          for (const b of Buffer.from(e, 'utf8')) bytes.push(b);
        }
      }
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * Split the text after `name(` into its top-level arguments, up to the matching `)`.
 * Returns the arguments (trimmed) and what follows the `)` (e.g. ` = 0`), or rest=null when no
 * closing parenthesis was found (an unfinished entry).
 */
export function splitArgs(text: string): { args: string[]; rest: string | null } {
  const args: string[] = [];
  let depth = 0;
  let start = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === ')') {
      if (depth === 0) {
        const last = text.slice(start, i).trim();
        if (last !== '' || args.length > 0) args.push(last);
        return { args, rest: text.slice(i + 1) };
      }
      depth--;
    } else if (c === ',' && depth === 0) {
      args.push(text.slice(start, i).trim());
      start = i + 1;
    }
    i++;
  }
  const last = text.slice(start).trim();
  if (last !== '' || args.length > 0) args.push(last);
  return { args, rest: null };
}

/** `= 0` → 'ok'; `= -1 ENOENT (…)` / `= ? ERESTARTSYS (…)` → the errno name; `= ?` → '?'. */
export function parseResult(rest: string | null): string {
  if (rest === null) return '?';
  const m = /=\s*(\S+)(?:\s+(E[A-Z0-9_]+)\b)?/.exec(rest);
  if (!m) return '?';
  if (m[2]) return m[2];
  if (m[1] === '?') return '?';
  if (m[1]!.startsWith('-')) return m[1]!; // a negative value strace could not name
  return 'ok';
}

/* ------------------------------------------------------------------------------------------ */
/* The parser. */

interface Pending {
  name: string;
  arch: StraceArch;
  text: string; // the arguments printed so far (after `name(`)
}

const PREFIX_RE = /^(?:\[pid\s+(\d+)\]\s|(\d+)\s+)/;
const MODE_RE = /^\[ Process PID=(\d+) runs in (64 bit|32 bit|x32) mode\. \]$/;
const EXITED_RE = /^\+\+\+ exited with (\d+) \+\+\+$/;
const KILLED_RE = /^\+\+\+ killed by (SIG[A-Z0-9+-]+|\d+)(?: \(core dumped\))? \+\+\+$/;
const SUPERSEDED_RE = /^\+\+\+ superseded by execve in pid (\d+) \+\+\+$/;
const RESUMED_RE = /^<\.\.\. (?:([A-Za-z0-9_]+) )?resumed>(.*)$/;
const CALL_RE = /^([A-Za-z_][A-Za-z0-9_]*)\((.*)$/;
const UNFINISHED_RE = /\s*<unfinished \.\.\.>\s*$/;

const MODE_ARCH: Record<string, StraceArch> = { '64 bit': 'x86_64', '32 bit': 'x86', x32: 'x32' };

export class StraceParser {
  private firstPid: number | null = null;
  private exitCode: number | null = null;
  private signal: string | null = null;
  private counts = new Map<string, StraceSyscall>();
  private paths: StracePath[] = [];
  private execs: StraceExec[] = [];
  private unparsed: string[] = [];
  private arch = new Map<number, StraceArch>();
  private lastArch: StraceArch = 'x86_64';
  private pending = new Map<number, Pending>();

  /** Feed one line of strace output (without its newline). */
  line(raw: string): void {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') return;
    let pid = this.firstPid ?? 0;
    let rest = line;
    const pm = PREFIX_RE.exec(line);
    if (pm) {
      pid = Number(pm[1] ?? pm[2]);
      rest = line.slice(pm[0].length);
    }
    if (rest.startsWith('strace: ')) {
      this.unparsed.push(line);
      return;
    }
    if (this.firstPid === null) {
      this.firstPid = pid;
      this.arch.set(pid, 'x86_64');
    }
    if (!this.arch.has(pid)) this.arch.set(pid, this.lastArch);

    let m: RegExpExecArray | null;
    if ((m = MODE_RE.exec(rest))) {
      const a = MODE_ARCH[m[2]!]!;
      this.arch.set(Number(m[1]), a);
      this.lastArch = a;
      return;
    }
    if (rest.startsWith('+++ ')) {
      if ((m = EXITED_RE.exec(rest))) {
        this.flushPid(pid);
        if (pid === this.firstPid) this.exitCode = Number(m[1]);
        return;
      }
      if ((m = KILLED_RE.exec(rest))) {
        this.flushPid(pid);
        if (pid === this.firstPid) this.signal = m[1]!;
        return;
      }
      if ((m = SUPERSEDED_RE.exec(rest))) {
        const tid = Number(m[1]);
        const p = this.pending.get(tid);
        this.flushPid(pid);
        if (p) {
          this.pending.delete(tid);
          this.pending.set(pid, p);
        }
        const a = this.arch.get(tid);
        if (a) this.arch.set(pid, a);
        this.arch.delete(tid);
        return;
      }
      this.unparsed.push(line);
      return;
    }
    if (rest.startsWith('--- ') || rest.startsWith('<detached')) return;

    if ((m = RESUMED_RE.exec(rest))) {
      const name = m[1];
      let tail = m[2]!;
      let p = this.pending.get(pid);
      if (p) {
        this.pending.delete(pid);
      } else if (name && name in EXEC_SYSCALLS) {
        // an exec whose "superseded" line we did not see: take the pending exec of another tid
        for (const [tid, q] of this.pending) {
          if (q.name === name) {
            p = q;
            this.pending.delete(tid);
            break;
          }
        }
      }
      if (!p) {
        // the entry was not seen (output cut at the start): count it now
        p = { name: name ?? '?', arch: this.arch.get(pid)!, text: '' };
        this.count(p.name, p.arch);
      }
      // `<... x resumed> <unfinished ...>) = ?` : died inside the call
      tail = tail.replace(/^\s*<unfinished \.\.\.>/, '');
      if (UNFINISHED_RE.test(tail)) {
        // resumed and interrupted again (rare): keep waiting
        p.text = joinArgText(p.text, tail.replace(UNFINISHED_RE, ''));
        this.pending.set(pid, p);
        return;
      }
      this.finish(p.name, joinArgText(p.text, tail));
      return;
    }

    if ((m = CALL_RE.exec(rest))) {
      const name = m[1]!;
      const a = this.arch.get(pid)!;
      this.lastArch = a;
      this.count(name, a);
      const argText = m[2]!;
      if (UNFINISHED_RE.test(argText)) {
        const prev = this.pending.get(pid);
        if (prev) this.finish(prev.name, prev.text); // should not happen; don't lose it
        this.pending.set(pid, { name, arch: a, text: argText.replace(UNFINISHED_RE, '') });
        return;
      }
      this.finish(name, argText);
      return;
    }
    this.unparsed.push(line);
  }

  /** Close every call still waiting for its `resumed` line and return the result. */
  result(): ParsedStrace {
    for (const pid of [...this.pending.keys()]) this.flushPid(pid);
    return {
      firstPid: this.firstPid,
      exitCode: this.exitCode,
      signal: this.signal,
      syscalls: [...this.counts.values()].map((s) => ({ ...s })),
      paths: this.paths,
      execs: this.execs,
      unparsed: this.unparsed,
    };
  }

  private count(name: string, arch: StraceArch): void {
    const key = `${arch}:${name}`;
    const row = this.counts.get(key);
    if (row) row.count++;
    else this.counts.set(key, { name, arch, count: 1 });
  }

  private flushPid(pid: number): void {
    const p = this.pending.get(pid);
    if (!p) return;
    this.pending.delete(pid);
    this.finish(p.name, p.text); // no ')' → result '?'
  }

  private finish(name: string, argText: string): void {
    const spec = PATH_ARGS[name];
    const isSock = SOCKADDR_PATH_SYSCALLS.has(name);
    const ex = EXEC_SYSCALLS[name];
    if (!spec && !isSock && !ex) return;
    const { args, rest } = splitArgs(argText);
    const result = parseResult(rest);
    if (spec) {
      for (const [dIdx, pIdx] of spec) {
        const arg = args[pIdx];
        if (arg === undefined) continue;
        const path = unescapeStraceString(arg);
        if (path === null || path === '') continue; // NULL, a bad address, or AT_EMPTY_PATH's ""
        const entry: StracePath = { syscall: name, path, result };
        if (dIdx >= 0) {
          const d = args[dIdx];
          if (d !== undefined && !d.startsWith('AT_FDCWD')) entry.dirfd = d;
        }
        this.paths.push(entry);
      }
    }
    if (isSock) {
      const addr = args[1] ?? '';
      const sm = /sa_family=AF_UNIX,\s*sun_path=(@?)("(?:[^"\\]|\\.)*")/.exec(addr);
      if (sm && sm[1] === '') {
        const path = unescapeStraceString(sm[2]!);
        if (path) this.paths.push({ syscall: name, path, result });
      }
    }
    if (ex) {
      const path = unescapeStraceString(args[ex.path] ?? '');
      if (path !== null) {
        const entry: StraceExec = { path, result };
        const am = /^\[\s*("(?:[^"\\]|\\.)*")/.exec(args[ex.argv] ?? '');
        if (am) {
          const a0 = unescapeStraceString(am[1]!);
          if (a0 !== null) entry.argv0 = a0;
        }
        this.execs.push(entry);
      }
    }
  }
}

function joinArgText(a: string, b: string): string {
  if (a === '') return b;
  if (/[,(\[{]\s*$/.test(a) || /^\s*[,)\]}]/.test(b)) return a.trimEnd() + ' ' + b.trimStart();
  return a + b;
}

/** Parse a whole strace output text. */
export function parseStrace(text: string): ParsedStrace {
  const p = new StraceParser();
  for (const l of text.split('\n')) p.line(l);
  return p.result();
}

/** Count of one syscall in a result (0 when absent). */
export function syscallCount(r: Pick<ParsedStrace, 'syscalls'>, name: string, arch: StraceArch = 'x86_64'): number {
  return r.syscalls.find((s) => s.name === name && s.arch === arch)?.count ?? 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Running strace. */

/**
 * Run argv under `strace -f --quiet=attach -s 4096 -o TMP -- argv…` and parse the trace.
 * `env` is added to (overrides) the current environment. exitCode/signal come from the first
 * pid's `+++ exited with N +++` / `+++ killed by SIGX +++`, or, when the trace has none (strace
 * could not start the command), from strace's own exit status. The call resolves when strace
 * exits, i.e. when every traced process has exited (daemons included).
 */
export async function straceRun(
  argv: string[],
  opts: { cwd?: string; env?: Record<string, string> } = {},
): Promise<StraceResult> {
  if (argv.length === 0) throw new Error('straceRun: empty argv');
  const dir = mkdtempSync(join(tmpdir(), 'whittle-strace-'));
  const out = join(dir, 'trace.txt');
  try {
    const child = spawn('strace', [...STRACE_OPTIONS, '-o', out, '--', ...argv], {
      cwd: opts.cwd,
      env: opts.env ? { ...process.env, ...opts.env } : process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => stdout.push(b));
    child.stderr.on('data', (b: Buffer) => stderr.push(b));
    const status = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) => resolve({ code, signal }));
    });

    const parser = new StraceParser();
    try {
      const rl = createInterface({ input: createReadStream(out), crlfDelay: Infinity });
      for await (const l of rl) parser.line(l);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    const parsed = parser.result();
    if (parsed.exitCode === null && parsed.signal === null) {
      parsed.exitCode = status.code;
      parsed.signal = status.signal;
    }
    return {
      ...parsed,
      stdout: Buffer.concat(stdout).toString('utf8'),
      stderr: Buffer.concat(stderr).toString('utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/* ------------------------------------------------------------------------------------------ */
/* Paths. */

/** Absolute and lexically normal (no `.`, `..`, `//`, trailing `/`), without touching the fs. */
export function normalisePath(p: string, cwd: string): string {
  return posix.resolve('/', cwd, p);
}

/** /proc/self and /proc/thread-self name the *caller's* process: never resolve them here. */
function isProcSelf(abs: string): boolean {
  return /^\/proc\/(?:self|thread-self)(?:\/|$)/.test(abs);
}

/**
 * Like fs.realpathSync on the path when it exists, or on its parent (plus the last component)
 * when only the parent exists; otherwise normalisePath. Walks the components itself so that a
 * link into /proc/self (e.g. /proc/mounts → self/mounts, /dev/fd → /proc/self/fd) stays
 * `/proc/self/…` (the workload's own) instead of turning into the test runner's /proc/<pid>.
 * `..` is applied after resolving what precedes it, as the kernel does.
 */
export function resolvePath(p: string, cwd: string): string {
  const start = p.startsWith('/') ? p : `${cwd}/${p}`;
  const walked = walk(start);
  if (walked !== null) return walked;
  const trimmed = start.replace(/\/+$/, '');
  const slash = trimmed.lastIndexOf('/');
  const base = trimmed.slice(slash + 1);
  if (slash >= 0 && base !== '' && base !== '.' && base !== '..') {
    const parent = walk(trimmed.slice(0, slash) || '/');
    if (parent !== null) return parent === '/' ? `/${base}` : `${parent}/${base}`;
  }
  return normalisePath(p, cwd);
}

/** Resolve every component of an absolute path; null when some component does not exist. */
function walk(abs: string): string | null {
  let todo = abs.split('/').filter((c) => c !== '' && c !== '.');
  const done: string[] = [];
  let links = 0;
  while (todo.length > 0) {
    const c = todo.shift()!;
    if (c === '.' || c === '') continue;
    if (c === '..') {
      done.pop();
      continue;
    }
    const here = '/' + [...done, c].join('/');
    if (isProcSelf(here)) return normalisePath([here, ...todo].join('/'), '/');
    let isLink: boolean;
    try {
      isLink = lstatSync(here).isSymbolicLink();
    } catch {
      return null;
    }
    if (isLink) {
      if (++links > 40) return null; // ELOOP
      const target = readlinkSync(here);
      if (target.startsWith('/')) done.length = 0;
      todo = [...target.split('/').filter((x) => x !== '' && x !== '.'), ...todo];
      continue;
    }
    done.push(c);
  }
  return '/' + done.join('/');
}
