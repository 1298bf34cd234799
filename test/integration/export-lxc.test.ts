/**
 * The LXC exporter against the real consumer: whittle learns a real program, the policy is
 * exported with `whittle export --format lxc`, and LXC 5's lxc-execute runs the program under it
 * (the host's root filesystem, an empty network namespace, no console). The program must run and
 * exit 0; a syscall a person denied must get exactly the errno they chose; probe syscalls never
 * seen must answer ENOSYS (the program falls back), a known syscall never seen EPERM; a socket of
 * a family not accepted EAFNOSUPPORT; and lxc-execute must refuse a corrupt policy.
 * Needs root, lxc-execute and a built whittle: a missing one fails the test, it is never skipped.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireRootAndBuild } from '../helpers/setup.js';
import { exportTo, learnAndDecide, type Denial } from '../helpers/policy.js';
import { fixture, scratchDir } from '../helpers/whittle.js';

const scratch = scratchDir('whittle-lxc-');
afterAll(() => scratch.cleanup());

let containers = 0;

/** lxc-execute ARGV under the seccomp policy PROFILE; its own container path keeps /var/lib/lxc clean. */
function lxcExecute(profile: string, argv: string[]) {
  const name = `whittle-test-${process.pid}-${++containers}`;
  const lxcpath = path.join(scratch.dir, 'lxcpath');
  mkdirSync(lxcpath, { recursive: true });
  const conf = path.join(scratch.dir, `${name}.conf`);
  writeFileSync(
    conf,
    [
      '# the host root filesystem, an empty network namespace, no console or ttys (no terminal here)',
      'lxc.net.0.type = empty',
      'lxc.console.path = none',
      'lxc.tty.max = 0',
      'lxc.pty.max = 0',
      `lxc.seccomp.profile = ${profile}`,
      '',
    ].join('\n'),
  );
  const r = spawnSync('lxc-execute', ['-P', lxcpath, '-n', name, '-f', conf, '--', ...argv], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error) throw r.error;
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** Learn argv, accept everything, deny what is given, export to LXC: the profile's path. */
async function profileFor(name: string, argv: string[], deny: Denial[] = []): Promise<string> {
  const snapshot = await learnAndDecide(argv, { dir: scratch.dir, name, deny });
  const out = path.join(scratch.dir, `${name}.lxc-seccomp`);
  const r = await exportTo(snapshot, 'lxc', out);
  if (r.code !== 0) throw new Error(`whittle export --format lxc failed (${r.code}): ${r.stderr}`);
  return r.out;
}

beforeAll(async () => {
  await requireRootAndBuild();
  try {
    execFileSync('lxc-execute', ['--version'], { stdio: 'pipe' });
  } catch (e) {
    throw new Error(`lxc-execute is needed for these tests (Debian: apt-get install lxc): ${(e as Error).message}`);
  }
}, 300_000);

describe('lxc-execute runs a learned program under the exported policy', () => {
  it('runs it to the end: exit 0, the same output as without a filter', async () => {
    const profile = await profileFor('uname-ok', [fixture('deny-probe'), 'uname']);
    const text = readFileSync(profile, 'utf8');
    expect(text.split('\n').slice(0, 2)).toEqual(['2', 'allowlist errno 38']);
    const r = lxcExecute(profile, [fixture('deny-probe'), 'uname']);
    expect(r.stderr).not.toMatch(/seccomp/i);
    expect(r.stdout).toBe('uname ok\n');
    expect(r.code).toBe(0);
  });

  it.each([
    ['uname', 'EPERM'],
    ['getppid', 'EACCES'],
  ])('a denied %s gets exactly %s', async (call, errno) => {
    const profile = await profileFor(`deny-${call}`, [fixture('deny-probe'), call], [{ key: `syscall:${call}`, errno }]);
    const r = lxcExecute(profile, [fixture('deny-probe'), call]);
    expect(r.stdout).toBe(`${call} errno=${errno}\n`);
    expect(r.code).toBe(0);
  });

  it('answers probe syscalls never seen with ENOSYS (the program falls back), a known one never seen with EPERM', async () => {
    // learned from a program that makes none of the new calls, then a program that probes them
    const profile = await profileFor('probes', [fixture('deny-probe'), 'getppid']);
    const r = lxcExecute(profile, [fixture('probe-new')]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toContain('clone3 fallback'); // ENOSYS, then fork: clone, which LXC's init needs anyway
    expect(lines).toContain('openat2 fallback'); // ENOSYS, then openat
    expect(lines).toContain('statx fallback'); // ENOSYS, then newfstatat
    expect(lines).toContain('faccessat2 fallback errno=EPERM'); // ENOSYS, then faccessat: known, never seen
  });

  it('restricts socket() to the accepted families: EAFNOSUPPORT for the others', async () => {
    const profile = await profileFor('socket-inet', [fixture('deny-probe'), 'socket-inet']);
    expect(lxcExecute(profile, [fixture('deny-probe'), 'socket-inet']).stdout).toBe('socket-inet ok\n');
    expect(lxcExecute(profile, [fixture('deny-probe'), 'socket-packet']).stdout).toBe('socket-packet errno=EAFNOSUPPORT\n');
  });

  it('runs a program that uses the i386 ABI (int 0x80) under its policy', async () => {
    const profile = await profileFor('int80', [fixture('int80')]);
    expect(readFileSync(profile, 'utf8')).toContain('\n[x86]\n');
    const r = lxcExecute(profile, [fixture('int80')]);
    expect(r.stdout).toContain('int80: hello via int 0x80');
    expect(r.code).toBe(0);
  });
});

describe('lxc-execute refuses a broken policy', () => {
  let good: Promise<string> | undefined;
  it.each([
    ['an errno that is not a number', (f: string) => appendFileSync(f, 'uname errno abc\n')],
    ['an unknown section', (f: string) => appendFileSync(f, '[nosucharch]\n')],
    ['two comparisons of one argument in a rule', (f: string) => appendFileSync(f, 'socket errno 97 [0,1,SCMP_CMP_NE] [0,2,SCMP_CMP_NE]\n')],
    ['a rule equal to the default (ENOSYS)', (f: string) => appendFileSync(f, 'uname errno 38\n')],
    ['a corrupt version line', (f: string) => writeFileSync(f, readFileSync(f, 'utf8').replace(/^2\n/, '7\n'))],
  ])('%s: the container does not start', async (what, corrupt) => {
    good ??= profileFor('broken', [fixture('deny-probe'), 'getppid']);
    const bad = path.join(scratch.dir, `broken-${what.replace(/\W+/g, '-')}.lxc-seccomp`);
    writeFileSync(bad, readFileSync(await good, 'utf8'));
    corrupt(bad);
    const r = lxcExecute(bad, [fixture('deny-probe'), 'getppid']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/Failed to read seccomp policy/);
    expect(r.stdout).toBe('');
  });
});
