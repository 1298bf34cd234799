import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  normalisePath,
  parseResult,
  parseStrace,
  resolvePath,
  splitArgs,
  straceRun,
  syscallCount,
  unescapeStraceString,
} from '../helpers/strace.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/strace/', import.meta.url));
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');
/** syscall entry lines, counted independently of the parser (resumed lines start with `<...`) */
const entryLines = (text: string): number => text.split('\n').filter((l) => /^\d+ +[a-z_0-9]+\(/.test(l)).length;
const total = (r: { syscalls: Array<{ count: number }> }): number => r.syscalls.reduce((n, s) => n + s.count, 0);

describe('unescapeStraceString', () => {
  it.each([
    ['"/etc/hostname"', '/etc/hostname'],
    ['"/tmp/caf\\303\\251 \\"q\\"\\\\\\n\\t\\1.txt"', '/tmp/café "q"\\\n\t\u0001.txt'],
    ['"\\x2f\\x74\\x6d\\x70\\x2f\\x63\\x61\\x66\\xc3\\xa9"', '/tmp/café'],
    ['"\\0001"', '\u00001'], // three digits when a digit follows
    ['"\\v\\f\\r"', '\v\f\r'],
    ['"abc"...', 'abc'], // truncated by -s
    ['""', ''],
    ['NULL', null],
    ['0x7ffd1234', null],
  ])('%s', (input, expected) => {
    expect(unescapeStraceString(input)).toBe(expected);
  });
});

describe('splitArgs / parseResult', () => {
  it('splits at top-level commas, skipping strings, brackets and comments', () => {
    const { args, rest } = splitArgs(
      '"./a, b)", ["./a", "x"], 0x7ffc /* 39 vars */) = 0',
    );
    expect(args).toEqual(['"./a, b)"', '["./a", "x"]', '0x7ffc /* 39 vars */']);
    expect(rest).toBe(' = 0');
  });
  it('keeps nested structures whole', () => {
    const { args } = splitArgs(
      '3, {sa_family=AF_UNIX, sun_path="/tmp/s"}, 110) = 0',
    );
    expect(args).toEqual(['3', '{sa_family=AF_UNIX, sun_path="/tmp/s"}', '110']);
  });
  it('reports an unterminated argument list', () => {
    expect(splitArgs('AT_FDCWD, "/x", O_RDONLY').rest).toBeNull();
  });
  it('has no args for f()', () => {
    expect(splitArgs(')   = 7').args).toEqual([]);
  });
  it.each([
    [' = 0', 'ok'],
    ['                    = 3', 'ok'],
    [' = 0x55d24dd2c000', 'ok'],
    [' = -1 ENOENT (No such file or directory)', 'ENOENT'],
    [' = ? ERESTARTNOINTR (To be restarted)', 'ERESTARTNOINTR'],
    [' = ?', '?'],
    [' = 0 (Timeout)', 'ok'],
    [null, '?'],
  ])('result %j', (rest, expected) => {
    expect(parseResult(rest)).toBe(expected);
  });
});

describe('parseStrace on small snippets', () => {
  it('counts an unfinished/resumed pair once and joins its arguments', () => {
    const r = parseStrace(
      [
        '100  execve("/x", ["x"], 0x7ffd /* 1 var */) = 0',
        '100  clone3({flags=CLONE_VM|CLONE_THREAD, exit_signal=0} <unfinished ...>',
        '101  openat(AT_FDCWD, "/etc/hostname", O_RDONLY|O_CLOEXEC <unfinished ...>',
        '100  <... clone3 resumed> => {parent_tid=[101]}, 88) = 101',
        '101  <... openat resumed>)             = 3',
        '101  read(3,  <unfinished ...>',
        '101  <... read resumed>"vm\\n", 256)    = 3',
        '101  exit(0)                           = ?',
        '101  +++ exited with 0 +++',
        '100  exit_group(0)                     = ?',
        '100  +++ exited with 0 +++',
      ].join('\n'),
    );
    expect(r.syscalls).toEqual([
      { name: 'execve', arch: 'x86_64', count: 1 },
      { name: 'clone3', arch: 'x86_64', count: 1 },
      { name: 'openat', arch: 'x86_64', count: 1 },
      { name: 'read', arch: 'x86_64', count: 1 },
      { name: 'exit', arch: 'x86_64', count: 1 },
      { name: 'exit_group', arch: 'x86_64', count: 1 },
    ]);
    expect(r.paths).toEqual([
      { syscall: 'execve', path: '/x', result: 'ok' },
      { syscall: 'openat', path: '/etc/hostname', result: 'ok' },
    ]);
    expect(r.exitCode).toBe(0);
    expect(r.unparsed).toEqual([]);
  });

  it('a call that never returns keeps result "?"', () => {
    const r = parseStrace(
      [
        '7  execve("/x", ["x"], 0x1 /* 1 var */) = 0',
        '7  openat(AT_FDCWD, "/fifo", O_RDONLY <unfinished ...>',
        '8  execve("/y", ["y"], 0x1 /* 1 var */ <unfinished ...>',
        '7  <... openat resumed> <unfinished ...>) = ?',
        '7  +++ killed by SIGKILL +++',
      ].join('\n'),
    );
    expect(r.paths).toContainEqual({ syscall: 'openat', path: '/fifo', result: '?' });
    expect(r.execs).toContainEqual({ path: '/y', argv0: 'y', result: '?' });
    expect(r.signal).toBe('SIGKILL');
    expect(r.exitCode).toBeNull();
  });

  it('takes exit/kill status from the first pid only and ignores signal lines', () => {
    const r = parseStrace(
      [
        '200  execve("/bin/sh", ["sh"], 0x1 /* 1 var */) = 0',
        '201  +++ killed by SIGSEGV (core dumped) +++',
        '200  --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_DUMPED, si_pid=201, si_uid=0, si_status=SIGSEGV, si_utime=0, si_stime=0} ---',
        '200  exit_group(3)                     = ?',
        '200  +++ exited with 3 +++',
      ].join('\n'),
    );
    expect(r.exitCode).toBe(3);
    expect(r.signal).toBeNull();
    expect(total(r)).toBe(2);
    expect(r.unparsed).toEqual([]);
  });

  it('reads a first pid killed by a signal with core dump', () => {
    const r = parseStrace('5  execve("/a", ["a"], 0x1 /* 1 var */) = 0\n5  +++ killed by SIGABRT (core dumped) +++\n');
    expect(r.signal).toBe('SIGABRT');
    expect(r.exitCode).toBeNull();
  });

  it('accepts the [pid N] prefix strace uses without -o', () => {
    const r = parseStrace('[pid    42] getppid()   = 1\n[pid    43] getppid( <unfinished ...>\n[pid    43] <... getppid resumed>) = 1\n');
    expect(syscallCount(r, 'getppid')).toBe(2);
    expect(r.firstPid).toBe(42);
  });

  it('switches arch per pid on mode notices; new pids start in the current mode', () => {
    const r = parseStrace(
      [
        '300  execve("/x", ["x"], 0x1 /* 1 var */) = 0',
        '300  [ Process PID=300 runs in 32 bit mode. ]',
        '300  getpid()                          = 300',
        '300  write(1, "hi\\n", 3)             = 3',
        '300  [ Process PID=300 runs in 64 bit mode. ]',
        '300  getpid()                          = 300',
        '300  [ Process PID=300 runs in x32 mode. ]',
        '300  getppid()                         = -1 ENOSYS (Function not implemented)',
        '301  getppid()                         = 300',
        '301  [ Process PID=301 runs in 64 bit mode. ]',
        '301  getppid()                         = 300',
      ].join('\n'),
    );
    expect(syscallCount(r, 'getpid', 'x86')).toBe(1);
    expect(syscallCount(r, 'write', 'x86')).toBe(1);
    expect(syscallCount(r, 'getpid', 'x86_64')).toBe(1);
    expect(syscallCount(r, 'getppid', 'x32')).toBe(2);
    expect(syscallCount(r, 'getppid', 'x86_64')).toBe(1);
  });

  it('moves a thread’s pending execve to the leader on "superseded"', () => {
    const r = parseStrace(
      [
        '10  execve("./t", ["./t"], 0x1 /* 1 var */) = 0',
        '10  clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=1, tv_nsec=0},  <unfinished ...>',
        '11  execve("/bin/true", ["/bin/true"], 0x1 /* 1 var */ <unfinished ...>',
        '10  <... clock_nanosleep resumed> <unfinished ...>) = ?',
        '10  +++ superseded by execve in pid 11 +++',
        '10  <... execve resumed>)             = 0',
        '10  exit_group(0)                     = ?',
        '10  +++ exited with 0 +++',
      ].join('\n'),
    );
    expect(r.execs).toEqual([
      { path: './t', argv0: './t', result: 'ok' },
      { path: '/bin/true', argv0: '/bin/true', result: 'ok' },
    ]);
    expect(syscallCount(r, 'execve')).toBe(2);
    expect(syscallCount(r, 'clock_nanosleep')).toBe(1);
    expect(r.exitCode).toBe(0);
  });

  it('extracts path arguments, dirfds and AF_UNIX socket paths', () => {
    const r = parseStrace(
      [
        '1  newfstatat(3, "", {st_mode=S_IFREG|0644, st_size=3, ...}, AT_EMPTY_PATH) = 0',
        '1  openat(5, "sub/f\\303\\251", O_RDONLY) = -1 ENOENT (No such file or directory)',
        '1  renameat2(AT_FDCWD, "a", 4, "b", RENAME_NOREPLACE) = 0',
        '1  symlink("target-is-content", "/tmp/l") = 0',
        '1  symlinkat("t", 6, "l2") = 0',
        '1  mount("none", "/mnt", "tmpfs", 0, "size=1m") = 0',
        '1  umount2("/mnt", 0)                  = 0',
        '1  bind(3, {sa_family=AF_UNIX, sun_path="/tmp/sock"}, 110) = 0',
        '1  connect(3, {sa_family=AF_UNIX, sun_path=@"abstract"}, 12) = 0',
        '1  connect(4, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("127.0.0.1")}, 16) = 0',
        '1  open(NULL, O_RDONLY)                = -1 EFAULT (Bad address)',
        '1  execveat(7, "", ["x"], 0x1 /* 1 var */, AT_EMPTY_PATH) = -1 EACCES (Permission denied)',
        '1  chdir("/tmp")                       = 0',
      ].join('\n'),
    );
    expect(r.paths).toEqual([
      { syscall: 'openat', path: 'sub/fé', dirfd: '5', result: 'ENOENT' },
      { syscall: 'renameat2', path: 'a', result: 'ok' },
      { syscall: 'renameat2', path: 'b', dirfd: '4', result: 'ok' },
      { syscall: 'symlink', path: '/tmp/l', result: 'ok' },
      { syscall: 'symlinkat', path: 'l2', dirfd: '6', result: 'ok' },
      { syscall: 'mount', path: '/mnt', result: 'ok' },
      { syscall: 'umount2', path: '/mnt', result: 'ok' },
      { syscall: 'bind', path: '/tmp/sock', result: 'ok' },
      { syscall: 'chdir', path: '/tmp', result: 'ok' },
    ]);
    expect(r.execs).toEqual([{ path: '', argv0: 'x', result: 'EACCES' }]);
  });
});

describe('parseStrace on recorded runs (test/fixtures/strace)', () => {
  it('int80: i386 getpid/write through int 0x80, then back to 64-bit', () => {
    const text = fixture('int80.txt');
    const r = parseStrace(text);
    expect(syscallCount(r, 'getpid', 'x86')).toBe(1);
    expect(syscallCount(r, 'write', 'x86')).toBe(1);
    expect(syscallCount(r, 'getpid', 'x86_64')).toBe(2);
    expect(syscallCount(r, 'write', 'x86_64')).toBe(1);
    expect(syscallCount(r, 'exit_group', 'x86_64')).toBe(1);
    expect(r.syscalls.filter((s) => s.arch === 'x86').map((s) => s.name).sort()).toEqual(['getpid', 'write']);
    expect(total(r)).toBe(entryLines(text));
    expect(r.exitCode).toBe(0);
    expect(r.unparsed).toEqual([]);
  });

  it('x32 getppid: one x32 syscall failing with ENOSYS', () => {
    const r = parseStrace(fixture('x32-getppid.txt'));
    expect(r.syscalls.filter((s) => s.arch === 'x32')).toEqual([{ name: 'getppid', arch: 'x32', count: 1 }]);
    expect(r.exitCode).toBe(0);
  });

  it('threads: every entry counted once despite interleaved unfinished/resumed lines', () => {
    const text = fixture('threads.txt');
    const r = parseStrace(text);
    expect(total(r)).toBe(entryLines(text));
    expect(syscallCount(r, 'clone3')).toBe(4);
    expect(syscallCount(r, 'getpid')).toBe(4);
    expect(syscallCount(r, 'exit')).toBe(4);
    expect(syscallCount(r, 'clock_nanosleep')).toBe(4);
    expect(r.paths.filter((p) => p.path === '/etc/hostname')).toEqual(
      Array(4).fill({ syscall: 'openat', path: '/etc/hostname', result: 'ok' }),
    );
    expect(r.exitCode).toBe(0);
    expect(r.unparsed).toEqual([]);
  });

  it('daemon: the first pid exits 0 before the grandchild writes its file', () => {
    const text = fixture('daemon.txt');
    const r = parseStrace(text);
    expect(total(r)).toBe(entryLines(text));
    expect(r.exitCode).toBe(0);
    expect(syscallCount(r, 'exit_group')).toBe(3);
    expect(syscallCount(r, 'setsid')).toBe(1);
    expect(r.paths).toContainEqual({ syscall: 'openat', path: '/tmp/whittle-daemon-capture.txt', result: 'ok' });
  });

  it('sockets: AF_UNIX bind/connect paths', () => {
    const r = parseStrace(fixture('sockets.txt'));
    const sock = r.paths.filter((p) => p.path === '/tmp/whittle-sock-capture');
    expect(sock).toEqual([
      { syscall: 'unlink', path: '/tmp/whittle-sock-capture', result: 'ENOENT' },
      { syscall: 'bind', path: '/tmp/whittle-sock-capture', result: 'ok' },
      { syscall: 'connect', path: '/tmp/whittle-sock-capture', result: 'ok' },
      { syscall: 'unlink', path: '/tmp/whittle-sock-capture', result: 'ok' },
    ]);
    expect(syscallCount(r, 'socket')).toBe(6);
  });

  it('pipes.sh under busybox: applets exec /proc/self/exe; restarted clone counted twice', () => {
    const text = fixture('pipes.txt');
    const r = parseStrace(text);
    expect(total(r)).toBe(entryLines(text));
    expect(r.exitCode).toBe(0);
    expect(r.execs[0]).toEqual({ path: '/bin/busybox', argv0: '/bin/busybox', result: 'ok' });
    expect(r.execs).toContainEqual({ path: '/proc/self/exe', argv0: 'cat', result: 'ok' });
    expect(r.execs).toContainEqual({ path: '/proc/self/exe', argv0: 'wc', result: 'ok' });
    expect(r.paths).toContainEqual({ syscall: 'chdir', path: '/tmp', result: 'ok' });
    expect(r.unparsed).toEqual([]);
  });

  it('thread execve: superseded leader', () => {
    const text = fixture('thread-execve.txt');
    const r = parseStrace(text);
    expect(total(r)).toBe(entryLines(text));
    expect(r.execs.map((e) => [e.path, e.result])).toEqual([
      ['./thexec', 'ok'],
      ['/bin/true', 'ok'],
    ]);
    expect(r.exitCode).toBe(0);
  });

  it.each(['killed-escapes.txt', 'killed-escapes-x.txt'])('%s: escapes undone, killed by SIGSEGV', (name) => {
    const r = parseStrace(fixture(name));
    expect(r.paths).toContainEqual({ syscall: 'openat', path: '/tmp/café "q"\\\n\t\u0001.txt', result: 'ENOENT' });
    expect(r.signal).toBe('SIGSEGV');
    expect(r.exitCode).toBeNull();
  });
});

describe('normalisePath / resolvePath', () => {
  const dir = mkdtempSync(join(tmpdir(), 'whittle-paths-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['a/../b//c/.', '/x/y', '/x/y/b/c'],
    ['/a/./b/../../..', '/x', '/'],
    ['//etc///hostname/', '/', '/etc/hostname'],
    ['..', '/', '/'],
    ['.', '/tmp', '/tmp'],
  ])('normalisePath(%j, %j) = %j', (p, cwd, expected) => {
    expect(normalisePath(p, cwd)).toBe(expected);
  });

  it('resolves symlinks of the path, or of its parent when only that exists', () => {
    const real = execFileSync('realpath', [dir], { encoding: 'utf8' }).trim();
    mkdirSync(join(dir, 'real'));
    writeFileSync(join(dir, 'real', 'f'), '');
    symlinkSync('real', join(dir, 'link'));
    expect(resolvePath('link/f', dir)).toBe(`${real}/real/f`);
    expect(resolvePath(`${dir}/link/new-file`, '/')).toBe(`${real}/real/new-file`);
    // `..` after a symlink is taken from the link's target, as the kernel does
    mkdirSync(join(dir, 'real', 'deep'));
    symlinkSync('real/deep', join(dir, 'deeplink'));
    expect(resolvePath('deeplink/../f', dir)).toBe(`${real}/real/f`);
    // neither the path nor its parent exists: lexical only
    expect(resolvePath('nope/nope/../x', dir)).toBe(`${dir}/nope/x`);
  });

  it('keeps /proc/self as it is (it names the workload, not the test runner)', () => {
    expect(resolvePath('/proc/self/exe', '/')).toBe('/proc/self/exe');
    expect(resolvePath('/proc/mounts', '/')).toBe('/proc/self/mounts');
    expect(resolvePath('/proc/thread-self/comm', '/')).toBe('/proc/thread-self/comm');
  });
});

describe('straceRun (real strace)', () => {
  it('/bin/true: execve, exit_group, exit code 0', async () => {
    const r = await straceRun(['/bin/true']);
    expect(r.exitCode).toBe(0);
    expect(r.signal).toBeNull();
    expect(syscallCount(r, 'execve')).toBe(1);
    expect(syscallCount(r, 'exit_group')).toBe(1);
    expect(r.execs[0]).toEqual({ path: '/bin/true', argv0: '/bin/true', result: 'ok' });
    expect(r.unparsed).toEqual([]);
  });

  it('passes the exit status, cwd and env through', async () => {
    const r = await straceRun(['/bin/sh', '-c', 'cat ./x-file >/dev/null; exit $CODE'], {
      cwd: '/etc',
      env: { CODE: '3' },
    });
    expect(r.exitCode).toBe(3);
    expect(r.paths).toContainEqual(expect.objectContaining({ syscall: 'openat', path: './x-file', result: 'ENOENT' }));
  });

  it('reports a signal death and a command strace cannot start', async () => {
    const killed = await straceRun(['/bin/sh', '-c', 'kill -KILL $$']);
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.exitCode).toBeNull();
    const missing = await straceRun(['/nonexistent/whittle-cmd']);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toMatch(/strace: Can't stat/);
    expect(missing.syscalls).toEqual([]);
  });

  const int80 = fileURLToPath(new URL('../fixtures/bin/int80', import.meta.url));
  it('int80 fixture: live 32-bit mode notices', async () => {
    if (!existsSync(int80)) throw new Error(`${int80} is missing: build the test programs with make -C test/fixtures (bash .ci/setup does)`);
    const r = await straceRun([int80]);
    expect(r.exitCode).toBe(0);
    expect(r.syscalls.filter((s) => s.arch !== 'x86_64')).toEqual([
      { name: 'getpid', arch: 'x86', count: 1 },
      { name: 'write', arch: 'x86', count: 1 },
    ]);
    expect(r.stdout).toMatch(/^int80: hello via int 0x80\nint80: getpid=\d+ \(matches=1\) write=26\n$/);
  });
});
