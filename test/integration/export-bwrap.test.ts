/**
 * The bwrap export checked by its real consumer: real programs are learned with whittle, exported
 * with `whittle export --format bwrap`, and run by bubblewrap with PATH.args and the compiled
 * program on `--seccomp 3`. They must run and exit as they did; a denied syscall gets exactly the
 * person's errno, also through the i386 and x32 entry points; a probe syscall never seen gets
 * ENOSYS from the compiled program; a broken program is refused by bwrap.
 */
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportTo, learnAndDecide, type Denial } from '../helpers/policy.js';
import { requireRootAndBuild } from '../helpers/setup.js';
import { fixture, scratchDir } from '../helpers/whittle.js';

let dir: string;
let cleanup: () => void;

function bwrapPath(): string {
  const w = spawnSync('sh', ['-c', 'command -v bwrap'], { encoding: 'utf8' });
  if (w.status !== 0 || !w.stdout.trim()) throw new Error('bwrap is missing: install bubblewrap (the setup does: apt-get install bubblewrap)');
  return w.stdout.trim();
}

beforeAll(async () => {
  await requireRootAndBuild();
  bwrapPath();
  ({ dir, cleanup } = scratchDir('whittle-bw-'));
});
afterAll(() => cleanup?.());

/** Learn argv, accept everything, deny what is given, export as bwrap: the main artifact's path. */
async function exported(name: string, argv: string[], deny: Denial[] = []): Promise<string> {
  const snap = await learnAndDecide(argv, { dir, name, deny });
  const out = path.join(dir, `${name}.bpf`);
  const r = await exportTo(snap, 'bwrap', out);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toContain(`${out}\t`);
  expect(r.stdout).toContain(`${out}.args\t`);
  return out;
}

const argsOf = (out: string) => readFileSync(`${out}.args`, 'utf8').split('\n').slice(0, -1);

/** bwrap ARGS… [extra…] --seccomp 3 -- CMD…, the program on fd 3. */
function run(out: string, cmd: string[], opts: { extra?: string[]; program?: string } = {}): SpawnSyncReturns<string> {
  const fd = openSync(opts.program ?? out, 'r');
  try {
    return spawnSync(bwrapPath(), [...argsOf(out), ...(opts.extra ?? []), '--seccomp', '3', '--', ...cmd], {
      stdio: ['ignore', 'pipe', 'pipe', fd],
      encoding: 'utf8',
      timeout: 60_000,
    });
  } finally {
    closeSync(fd);
  }
}

describe('a learned program runs under bwrap with the exported arguments and program', () => {
  let out: string;
  beforeAll(async () => {
    out = await exported('uname', [fixture('deny-probe'), 'uname']);
  });

  it('runs and exits 0 with the output it had', () => {
    const r = run(out, [fixture('deny-probe'), 'uname']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('uname ok\n');
    expect(r.status).toBe(0);
    // the view holds its executable and libraries, and the symlinks it went through
    const a = argsOf(out);
    expect(a).toContain(fixture('deny-probe'));
    expect(a.join(' ')).toContain('--symlink usr/lib64 /lib64');
  });

  it('works with the documented forms: a bash array from the one-per-line file, and --args', () => {
    const viaArray = spawnSync('bash', ['-c', 'mapfile -t a < "$1.args" && exec bwrap "${a[@]}" --seccomp 3 3< "$1" -- "${@:2}"', 'sh', out, fixture('deny-probe'), 'uname'], { encoding: 'utf8' });
    expect(viaArray.stdout + viaArray.stderr).toBe('uname ok\n');
    const viaArgs = spawnSync('bash', ['-c', 'exec bwrap --args 4 4< <(tr "\\n" "\\0" < "$1.args") --seccomp 3 3< "$1" -- "${@:2}"', 'sh', out, fixture('deny-probe'), 'uname'], { encoding: 'utf8' });
    expect(viaArgs.stdout + viaArgs.stderr).toBe('uname ok\n');
  });

  it('a known syscall never seen is refused with EPERM', () => {
    const r = run(out, [fixture('deny-probe'), 'getppid']);
    expect(r.stdout).toBe('getppid errno=EPERM\n');
    expect(r.status).toBe(0);
  });

  it('probe syscalls never seen get ENOSYS (clone3, openat2, statx, faccessat2, close_range), so the program falls back', () => {
    // probe-new is not in the learned view: bind it in on top
    const r = run(out, [fixture('probe-new')], { extra: ['--ro-bind', fixture('probe-new'), fixture('probe-new')] });
    const lines = r.stdout.trim().split('\n');
    expect(lines.map((l) => l.split(' ')[0])).toEqual(['clone3', 'openat2', 'statx', 'faccessat2', 'close_range']);
    // "fallback" means the first call got ENOSYS; the fallback itself may be refused (fork → clone is not in the policy)
    for (const l of lines) expect(l, r.stdout).toMatch(/^\w+ fallback/);
    // without the program the kernel has them all: the ENOSYS came from the compiled filter
    const bare = spawnSync(bwrapPath(), [...argsOf(out), '--ro-bind', fixture('probe-new'), fixture('probe-new'), '--', fixture('probe-new')], { encoding: 'utf8' });
    expect(bare.stdout.trim().split('\n')).toHaveLength(5);
    for (const l of bare.stdout.trim().split('\n')) expect(l).not.toMatch(/fallback|ENOSYS/);
  });

  it('numbers with no syscall behind them get ENOSYS, above the table too', async () => {
    // a raw syscall(NR) prober, built here: learned doing getpid (39) only
    const src = path.join(dir, 'nr.c');
    writeFileSync(
      src,
      '#define _GNU_SOURCE\n#include <errno.h>\n#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n#include <unistd.h>\n' +
        'int main(int c, char **v) { for (int i = 1; i < c; i++) { long r = syscall(strtol(v[i], 0, 0)); printf("%s %s\\n", v[i], r < 0 ? strerrorname_np(errno) : "ok"); } return 0; }\n',
    );
    const prog = path.join(dir, 'nr');
    execFileSync('gcc', ['-O1', '-o', prog, src]);
    const nrOut = await exported('nr', [prog, '39']);
    const nrs = ['39', '134', '400', '500', '1023', '1024', '2000', '0x3fffffff', '0x40000027'];
    const r = run(nrOut, [prog, ...nrs]);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toEqual([
      '39 ok',
      '134 ENOSYS', // uselib: gone from the kernel
      '400 ENOSYS', // a hole in the x86_64 table (337…423)
      '500 ENOSYS', // above the horizon
      '1023 ENOSYS',
      '1024 ENOSYS', // above the table
      '2000 ENOSYS',
      '0x3fffffff ENOSYS',
      '0x40000027 EPERM', // x32 getpid: a foreign ABI, refused
    ]);
  });

  it('bwrap refuses a truncated program, and a program the kernel will not load', () => {
    const bytes = readFileSync(out);
    const truncated = path.join(dir, 'truncated.bpf');
    writeFileSync(truncated, bytes.subarray(0, bytes.length - 3));
    const t = run(out, [fixture('deny-probe'), 'uname'], { program: truncated });
    expect(t.status).not.toBe(0);
    expect(t.stdout).toBe('');
    expect(t.stderr).toMatch(/seccomp/i);
    const garbage = path.join(dir, 'garbage.bpf');
    writeFileSync(garbage, Buffer.alloc(16, 0xff)); // two instructions with an invalid opcode
    const g = run(out, [fixture('deny-probe'), 'uname'], { program: garbage });
    expect(g.status).not.toBe(0);
    expect(g.stdout).toBe('');
    expect(g.stderr).toMatch(/seccomp/i);
  });
});

describe("a person's syscall denial holds under bwrap", () => {
  it('the denied syscall gets exactly the chosen errno', async () => {
    const out = await exported('uname-denied', [fixture('deny-probe'), 'uname'], [{ key: 'syscall:uname', errno: 'EPERM' }]);
    const r = run(out, [fixture('deny-probe'), 'uname']);
    expect(r.stdout).toBe('uname errno=EPERM\n');
    expect(r.status).toBe(0);
  });

  it('through every entry point: x86_64, i386 (int 0x80) and x32', async () => {
    // learned through int 0x80, so the policy covers the i386 ABI; the denial uses an errno of its own
    const out = await exported('int80-denied', [fixture('deny-probe'), 'int80-getppid'], [{ key: 'syscall:getppid', errno: 'EACCES' }]);
    expect(run(out, [fixture('deny-probe'), 'int80-getppid']).stdout).toBe('int80-getppid errno=EACCES\n');
    expect(run(out, [fixture('deny-probe'), 'getppid']).stdout).toBe('getppid errno=EACCES\n');
    // x32 is an ABI the policy does not cover: refused (EPERM, the default), never passed to the
    // kernel (which would answer ENOSYS here, x32 not being compiled in)
    expect(run(out, [fixture('deny-probe'), 'x32-getppid']).stdout).toBe('x32-getppid errno=EPERM\n');
  });

  it('a policy learned on x86_64 only refuses the i386 and x32 paths of a denied syscall', async () => {
    const out = await exported('getppid-denied', [fixture('deny-probe'), 'getppid'], [{ key: 'syscall:getppid', errno: 'EACCES' }]);
    expect(run(out, [fixture('deny-probe'), 'getppid']).stdout).toBe('getppid errno=EACCES\n');
    expect(run(out, [fixture('deny-probe'), 'int80-getppid']).stdout).toBe('int80-getppid errno=EPERM\n');
    expect(run(out, [fixture('deny-probe'), 'x32-getppid']).stdout).toBe('x32-getppid errno=EPERM\n');
  });
});

describe('a shell workload: symlinks, a child, a write, the exit status', () => {
  it('goes through the recreated /bin symlink, writes into the bound directory, passes its status through', async () => {
    const work = path.join(dir, 'sh-work');
    mkdirSync(work, { recursive: true });
    const target = path.join(work, 'out.txt');
    // /bin/cat goes through /bin → usr/bin; the $(…) child makes the shell wait (wait4)
    const script = `x=$(/bin/cat /etc/hostname); echo "$x" > "${target}"; echo done; exit "$1"`;
    const out = await exported('sh', ['/usr/bin/dash', '-c', script, 'sh', '0']);
    const a = argsOf(out).join(' ');
    expect(a).toContain('--symlink usr/bin /bin');
    expect(a).toContain(`--bind-try ${work} ${work}`);
    // wait4 is in the policy, so bwrap keeps its pid-1 reaper (which runs under the same program)
    expect(argsOf(out)).not.toContain('--as-pid-1');
    rmSync(target, { force: true });
    const r = run(out, ['/usr/bin/dash', '-c', script, 'sh', '3']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('done\n');
    expect(r.status).toBe(3);
    expect(readFileSync(target, 'utf8')).toBe(readFileSync('/etc/hostname', 'utf8'));
  });

  it('moves and hard-links a file between sibling directories: one bind of their common directory, not two mounts (EXDEV)', async () => {
    const moves = path.join(dir, 'moves');
    const script = `cd ${moves}; echo x > a/f1; /usr/bin/mv a/f1 b/f1; /usr/bin/ln b/f1 a/hard; /usr/bin/cat a/hard; /usr/bin/rm -f b/f1 a/hard; echo moved`;
    const fresh = () => {
      rmSync(moves, { recursive: true, force: true });
      for (const d of ['a', 'b']) mkdirSync(path.join(moves, d), { recursive: true });
    };
    fresh();
    const out = await exported('moves', ['/usr/bin/dash', '-c', script]);
    const a = argsOf(out).join(' ');
    expect(a).toContain(`--bind-try ${moves} ${moves}`);
    expect(a).not.toContain(`--bind-try ${moves}/a `);
    fresh();
    const r = run(out, ['/usr/bin/dash', '-c', script]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('x\nmoved\n');
    expect(r.status).toBe(0);
  });

  it('a path the policy did not accept is not in the view', async () => {
    const out = await exported('sh-cat', ['/usr/bin/dash', '-c', '/bin/cat /etc/hostname']);
    const r = run(out, ['/usr/bin/dash', '-c', '/bin/cat /etc/hostname; /bin/cat /etc/passwd']);
    expect(r.stdout).toBe(readFileSync('/etc/hostname', 'utf8'));
    expect(r.stderr).toMatch(/\/etc\/passwd: No such file or directory/);
  });

  it('says when the program name given to learn is not in the view (argv[0] through a symlink)', async () => {
    const snap = await learnAndDecide(['/bin/sh', '-c', 'exit 0'], { dir, name: 'bin-sh' });
    const r = await exportTo(snap, 'bwrap', path.join(dir, 'bin-sh.bpf'));
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/bwrap cannot express: program \/bin\/sh — not in the view by that name: .*\(\/usr\/bin\/dash\)/);
    // with the recorded path it runs
    expect(run(path.join(dir, 'bin-sh.bpf'), ['/usr/bin/dash', '-c', 'exit 0']).status).toBe(0);
  });
});
