/**
 * The podman (and docker) export, handed to a real podman: a program learned on the host runs in
 * a container under the exported profile and the flags file, a denied syscall returns exactly
 * the errno the person chose, and podman refuses a broken profile.
 *
 * The image is built without a registry: a rootfs of busybox-static and static test programs,
 * tar, podman import. Podman keeps its storage in this test's scratch directory (--root,
 * --runroot), so other podman users on the machine are not touched. The flags a machine needs
 * to run podman at all (platform-notes.md) are added here, not by the exporter.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireRootAndBuild } from '../helpers/setup.js';
import { learnAndDecide, type Denial } from '../helpers/policy.js';
import { fixture, runWhittle, scratchDir } from '../helpers/whittle.js';

const image = `localhost/whittle-export-test:${process.pid}`;
let work: { dir: string; cleanup: () => void };
let storage: string[];

/** podman with this machine's needs and the test's own storage. */
function podman(args: string[], opts: { cwd?: string; runtime?: 'crun' | 'runc' } = {}) {
  const global = [...storage, ...(opts.runtime ? ['--runtime', opts.runtime] : [])];
  const r = spawnSync('podman', [...global, ...args], { cwd: opts.cwd ?? work.dir, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * `podman run` with an exported flags file, used the way its description says
 * (`podman run $(cat PATH.flags) IMAGE`), plus the flags this machine needs. podman refuses a
 * second --network, so the machine's `--network none` is added only when the file has none.
 */
function runWithFlags(flagsFile: string, cmd: string[], opts: { runtime?: 'crun' | 'runc' } = {}) {
  const flags = readFileSync(flagsFile, 'utf8');
  const machine = ['--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024', ...(/--network/.test(flags) ? [] : ['--network', 'none'])];
  const global = [...storage, ...(opts.runtime ? ['--runtime', opts.runtime] : [])];
  const q = (w: string) => `'${w.replace(/'/g, `'\\''`)}'`;
  // bash expands $(cat "$FLAGS") exactly as a user's shell would
  const line = `${['podman', ...global, 'run', '--rm', ...machine].map(q).join(' ')} $(cat "$FLAGS") ${[image, ...cmd].map(q).join(' ')}`;
  const r = spawnSync('bash', ['-c', line], { cwd: work.dir, encoding: 'utf8', timeout: 120_000, env: { ...process.env, FLAGS: flagsFile } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Learn argv on the host, decide (accept all, then the denials), export to the default path in the scratch dir. */
async function learnAndExport(name: string, argv: string[], format: 'podman' | 'docker', deny: Denial[] = []) {
  const snapshot = await learnAndDecide(argv, { dir: work.dir, name, deny });
  const r = await runWhittle(['export', snapshot, '--format', format], { cwd: work.dir });
  expect(r.code, r.stderr).toBe(0);
  const profile = path.join('profiles', `${path.basename(argv[0]!)}.${format}-seccomp.json`);
  // stdout lists the main artifact and the flags beside it
  expect(r.stdout.split('\n').map((l) => l.split('\t')[0])).toEqual([profile, `${profile}.flags`, '']);
  return { profile: path.join(work.dir, profile), flags: path.join(work.dir, `${profile}.flags`), stderr: r.stderr };
}

beforeAll(async () => {
  await requireRootAndBuild();
  const v = spawnSync('podman', ['--version'], { encoding: 'utf8' });
  if (v.status !== 0) throw new Error('podman is not installed (or does not run): these tests need a real podman — apt-get install podman');
  work = scratchDir('whittle-podman-');
  chmodSync(work.dir, 0o755);
  storage = ['--storage-driver', 'vfs', '--root', path.join(work.dir, 'storage'), '--runroot', path.join(work.dir, 'run'), '--cgroup-manager', 'cgroupfs'];
  const rootfs = path.join(work.dir, 'rootfs');
  for (const d of ['bin', 'tmp', 'etc']) mkdirSync(path.join(rootfs, d), { recursive: true });
  chmodSync(path.join(rootfs, 'tmp'), 0o1777);
  const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((b) => existsSync(b));
  if (!busybox) throw new Error('busybox-static is not installed: apt-get install busybox-static');
  copyFileSync(busybox, path.join(rootfs, 'bin', 'busybox'));
  copyFileSync(fixture('deny-probe-static'), path.join(rootfs, 'bin', 'deny-probe-static'));
  copyFileSync(fixture('sockets-static'), path.join(rootfs, 'bin', 'sockets-static'));
  writeFileSync(path.join(rootfs, 'etc', 'passwd'), 'root:x:0:0:root:/:/bin/busybox\n');
  execFileSync('tar', ['-C', rootfs, '-cf', path.join(work.dir, 'rootfs.tar'), '.']);
  const imp = podman(['import', '--quiet', path.join(work.dir, 'rootfs.tar'), image]);
  if (imp.code !== 0) throw new Error(`podman import failed (${imp.code}): ${imp.stderr}`);
}, 300_000);

/**
 * conmon runs `podman container cleanup` for each --rm container after it exits, in the
 * background, with this test's --root/--runroot: wait for those to finish before removing them.
 */
async function podmanCleanupDone(dir: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const busy = readdirSync('/proc').filter((pid) => {
      if (!/^\d+$/.test(pid) || Number(pid) === process.pid) return false;
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir);
      } catch {
        return false; // exited meanwhile
      }
    });
    if (busy.length === 0) return;
    if (Date.now() > end) throw new Error(`podman processes still using ${dir}: ${busy.join(' ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

afterAll(async () => {
  if (!work) return;
  podman(['rmi', '--force', image]);
  await podmanCleanupDone(work.dir);
  work.cleanup();
});

describe('a program learned on the host runs under its podman export', () => {
  it('starts, exits 0 and prints what it prints unconfined', async () => {
    const e = await learnAndExport('uname-ok', [fixture('deny-probe-static'), 'uname'], 'podman');
    // deny-probe makes no socket: no network for the container; no capability was needed
    expect(readFileSync(e.flags, 'utf8')).toBe('--security-opt seccomp=profiles/deny-probe-static.podman-seccomp.json --cap-drop=ALL --network none\n');
    const r = runWithFlags(e.flags, ['/bin/deny-probe-static', 'uname']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('uname ok\n');
    expect(r.code).toBe(0);
  });

  it.each(['EPERM', 'EACCES'])('a syscall the person denied with %s returns exactly that errno inside the container', async (errno) => {
    const e = await learnAndExport(`uname-${errno}`, [fixture('deny-probe-static'), 'uname'], 'podman', [{ key: 'syscall:uname', errno }]);
    const j = JSON.parse(readFileSync(e.profile, 'utf8')) as { syscalls: Array<{ names: string[]; action: string; errnoRet?: number }> };
    expect(j.syscalls.find((s) => s.names.includes('uname'))?.action).toBe('SCMP_ACT_ERRNO');
    const r = runWithFlags(e.flags, ['/bin/deny-probe-static', 'uname']);
    expect(r.stdout).toBe(`uname errno=${errno}\n`);
    expect(r.code).toBe(0);
  });

  it('the same profile without the denial still allows the syscall (the errno above is the profile\'s, not podman\'s)', async () => {
    const e = await learnAndExport('getppid-ok', [fixture('deny-probe-static'), 'getppid'], 'podman');
    expect(runWithFlags(e.flags, ['/bin/deny-probe-static', 'getppid']).stdout).toBe('getppid ok\n');
    // a syscall the program never made is denied by the default action
    expect(runWithFlags(e.flags, ['/bin/deny-probe-static', 'personality']).stdout).toBe('personality errno=EPERM\n');
  });

  // The family rules are the OCI renderer's (seccomp-rules.ts). Measured with libseccomp 2.5.4:
  // socket rules with different actions (ALLOW for a family, ERRNO for the others) fail with EEXIST
  // once SCMP_ARCH_X86 is in the profile (socket is multiplexed through socketcall there), and two
  // conditions on one argument in one rule fail with EINVAL — crun and runc both refuse to start.
  it('a program using four socket families starts, and a family it never used is refused', async () => {
    const e = await learnAndExport('sockets', [fixture('sockets-static')], 'podman');
    // AF_INET was accepted: the flags leave the network to the person (the machine adds none here)
    expect(readFileSync(e.flags, 'utf8')).not.toContain('--network');
    const r = runWithFlags(e.flags, ['/bin/sockets-static']);
    expect(r.stderr, 'podman refused the exported family rules (socket argument conditions)').toBe('');
    expect(r.stdout).toMatch(/^sockets: tcp 127\.0\.0\.1:\d+ ok, unix \S+ ok, inet6\/udp ok, netlink\/route ok\n$/);
    expect(r.code).toBe(0);
    expect(runWithFlags(e.flags, ['/bin/deny-probe-static', 'socket-packet']).stdout).toMatch(/^socket-packet errno=(EAFNOSUPPORT|EPERM)\n$/);
  });
});

describe('the docker export is the same JSON, and podman takes it', () => {
  it('runs under podman with runc (what docker runs), with the docker flags file', async () => {
    const e = await learnAndExport('docker-uname', [fixture('deny-probe-static'), 'uname'], 'docker', [{ key: 'syscall:uname', errno: 'EACCES' }]);
    expect(readFileSync(e.flags, 'utf8')).toBe('--security-opt seccomp=profiles/deny-probe-static.docker-seccomp.json --cap-drop=ALL --network none\n');
    const r = runWithFlags(e.flags, ['/bin/deny-probe-static', 'uname'], { runtime: 'runc' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('uname errno=EACCES\n');
    expect(r.code).toBe(0);
  });
});

describe('podman refuses a broken profile', () => {
  let good: string;
  beforeAll(async () => {
    good = (await learnAndExport('broken-base', [fixture('deny-probe-static'), 'uname'], 'podman')).profile;
  });
  const run = (profile: string) =>
    podman(['run', '--rm', '--network', 'none', '--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024', '--security-opt', `seccomp=${profile}`, image, '/bin/deny-probe-static', 'uname']);

  it('the unbroken profile runs (so the refusals below are the breakage\'s)', () => {
    expect(run(good)).toMatchObject({ code: 0, stdout: 'uname ok\n' });
  });

  it('truncated JSON: podman refuses before the container starts', () => {
    const bad = path.join(work.dir, 'truncated.json');
    writeFileSync(bad, readFileSync(good, 'utf8').slice(0, 120));
    const r = run(bad);
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(/seccomp profile/);
    expect(r.stdout).toBe('');
  });

  it('an unknown action: the OCI runtime refuses it, the program never runs', () => {
    const bad = path.join(work.dir, 'bad-action.json');
    writeFileSync(bad, readFileSync(good, 'utf8').replace(/SCMP_ACT_ALLOW/g, 'SCMP_ACT_MAYBE'));
    const r = run(bad);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/seccomp action/);
    expect(r.stdout).toBe('');
  });
});
