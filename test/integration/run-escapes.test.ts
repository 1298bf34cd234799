/**
 * Escapes that must fail, on the real kernel as root. Each test learns a workload that does the
 * same kind of thing to what it may touch, accepts all of it, then tries to reach what it may
 * not — a denied syscall through the i386 ABI and with x32 numbering; a file outside the policy by
 * openat2, a symlink made inside the sandbox, `..`, /proc/self/root, a hard link or a rename made
 * inside the sandbox; a socket of a family not accepted; the network when no inet family was
 * accepted (an empty network namespace); a mount that was not accepted; a dropped
 * capability through exec of a setuid-root or file-capability binary — and asserts how it fails
 * and that the secret never shows.
 *
 * The file escapes run twice: with the secret outside everything accepted (the sandbox's view
 * leaves it out: ENOENT), and with the secret's name inside a directory the workload listed
 * (the view holds a stand-in; Landlock refuses opening it: EACCES) — and once more each with
 * Landlock simulated missing, where the view alone must hold.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fixture, scratchDir } from '../helpers/whittle.js';
import { requireRootAndBuild } from '../helpers/setup.js';
import { denialList, enforce, learnAccepted, type Learned } from '../helpers/enforce.js';

let work: { dir: string; cleanup: () => void };
let S: string; // the scratch tree
let probe: string;
const SECRET = 'SECRET-7f3a';

beforeAll(async () => {
  await requireRootAndBuild();
  work = scratchDir('whittle-escapes-');
  chmodSync(work.dir, 0o755);
  S = work.dir;
  probe = fixture('escape-probe');
  writeFileSync(path.join(S, 'allowed.txt'), 'allowed\n');
  writeFileSync(path.join(S, 'secret.txt'), `${SECRET}\n`);
  mkdirSync(path.join(S, 'work'));
});
afterAll(() => work?.cleanup());

/** One line a busybox script runs per mode, against what may be touched. */
function learnScript(listDir: boolean): string {
  const a = path.join(S, 'allowed.txt');
  const w = path.join(S, 'work');
  return [
    `${probe} open ${a}`,
    `${probe} stat ${a}`,
    `${probe} openat2 ${a}`,
    `${probe} symlink ${a} ${w}/sl`,
    `${probe} dotdot ${w}/../allowed.txt`,
    `${probe} procroot ${a}`,
    `echo x > ${w}/f`,
    `${probe} hardlink ${w}/f ${w}/hl`,
    `${probe} rename ${w}/hl ${w}/rn`,
    `rm -f ${w}/f ${w}/rn ${w}/sl`,
    ...(listDir ? [`ls ${S} >/dev/null`] : []),
  ].join('\n');
}

describe.each([
  { where: 'outside everything accepted', listDir: false },
  { where: 'in a directory the workload listed', listDir: true },
])('reaching a file $where', ({ where, listDir }) => {
  let learned: Learned;
  beforeAll(async () => {
    const script = path.join(S, `learn-${listDir ? 'listed' : 'outside'}.sh`);
    writeFileSync(script, learnScript(listDir) + '\n');
    learned = await learnAccepted(['/bin/busybox', 'sh', script], { dir: work.dir, name: `files-${listDir}` });
    expect(learned.stdout).toBe(
      ['open ok allowed', 'stat ok size=8', 'openat2 ok allowed', 'symlink ok allowed', 'dotdot ok allowed', 'procroot ok allowed', 'hardlink ok x', 'rename ok x', ''].join('\n'),
    );
  });

  const secret = () => path.join(S, 'secret.txt');
  const w = () => path.join(S, 'work');
  // [mode, args, the error with Landlock (outside, listed)]
  const opens: Array<[string, () => string[], string]> = [
    ['open', () => [secret()], ''],
    ['openat2', () => [secret()], ''],
    ['symlink', () => [secret(), `${w()}/made-link`], ' at open'],
    ['dotdot', () => [`${w()}/../secret.txt`], ''],
    ['procroot', () => [secret()], ''],
  ];

  for (const landlock of [true, false]) {
    const env = landlock ? {} : { WHITTLE_SIMULATE_MISSING: 'landlock' };
    const label = landlock ? 'with Landlock' : 'without Landlock (simulated)';

    it.each(opens)(`${where}: %s fails ${label}, and the report names the path`, async (mode, args, step) => {
      rmSync(path.join(w(), 'made-link'), { force: true });
      const r = await enforce(learned.snapshot, [probe, mode, ...args()], { dir: work.dir, env });
      expect(r.stdout + r.stderr).not.toContain(SECRET);
      expect(r.code).toBe(0);
      const named = mode === 'procroot' ? `/proc/self/root${secret()}` : secret();
      if (!listDir) {
        // not in the view at all
        expect(r.stdout).toBe(`${mode} errno=ENOENT${step}\n`);
        expect(denialList(r.report)).toEqual([`path read ${named} ENOENT`]);
      } else if (landlock) {
        // a stand-in of the listed name; Landlock refuses opening it
        expect(r.stdout).toBe(`${mode} errno=EACCES${step}\n`);
        expect(denialList(r.report)).toEqual([`path read ${named} EACCES`]);
      } else {
        // no Landlock: the stand-in is all there is, a file of zeros (ls stat'ed it when learned)
        expect(r.stdout).toMatch(new RegExp(`^${mode} ok \\x00*\\n$`));
      }
      expect(readFileSync(secret(), 'utf8')).toBe(`${SECRET}\n`);
    });

    it(`${where}: stat fails ${label} unless the name was accepted`, async () => {
      const r = await enforce(learned.snapshot, [probe, 'stat', secret()], { dir: work.dir, env });
      if (!listDir) {
        expect(r.stdout).toBe('stat errno=ENOENT\n');
        expect(denialList(r.report)).toEqual([`path stat ${secret()} ENOENT`]);
      } else {
        // ls stat'ed every entry when learned: the name and its metadata were accepted (a
        // stand-in with the host's size), never its content
        expect(r.stdout).toBe(`stat ok size=${SECRET.length + 1}\n`);
        expect(r.report.denialCount).toBe(0);
      }
    });

    it.each([
      ['hardlink', 'linkat'],
      ['rename', 'renameat'],
    ])(`${where}: a %s made inside the sandbox does not reach the file ${label}`, async (mode, step) => {
      const made = path.join(w(), `made-${mode}`);
      const r = await enforce(learned.snapshot, [probe, mode, secret(), made], { dir: work.dir, env });
      expect(r.stdout + r.stderr).not.toContain(SECRET);
      // not visible to link (ENOENT); or visible as a stand-in on another mount than work/ (EXDEV)
      expect(r.stdout).toMatch(new RegExp(`^${mode} errno=(ENOENT|EXDEV) at ${step}\\n$`));
      if (!listDir && mode === 'hardlink') expect(denialList(r.report)).toEqual([`path stat ${secret()} ENOENT`]);
      expect(existsSync(made)).toBe(false);
      expect(readFileSync(secret(), 'utf8')).toBe(`${SECRET}\n`);
    });
  }
});

describe('a denied syscall through another ABI', () => {
  let denied: Learned;
  let allowed: Learned;
  beforeAll(async () => {
    // learned on x86_64 only: the policy has no i386 syscalls at all
    allowed = await learnAccepted([fixture('deny-probe'), 'getppid'], { dir: work.dir, name: 'getppid' });
    denied = await learnAccepted([fixture('deny-probe'), 'getppid'], { dir: work.dir, name: 'getppid-denied', edits: { deny: { 'syscall:getppid': 'EPERM' } } });
    const r = await enforce(denied.snapshot, [fixture('deny-probe'), 'getppid'], { dir: work.dir });
    expect(r.stdout).toBe('getppid errno=EPERM\n');
  });

  it.each(['denied', 'allowed on x86_64'])('getppid via int 0x80 (i386) fails when %s, and the report names it as x86', async (which) => {
    const l = which === 'denied' ? denied : allowed;
    const r = await enforce(l.snapshot, [fixture('deny-probe'), 'int80-getppid'], { dir: work.dir });
    expect(r.stdout).toBe('int80-getppid errno=EPERM\n');
    expect(r.code).toBe(0);
    expect(denialList(r.report)).toEqual(['syscall getppid/x86 EPERM']);
  });

  it.each(['denied', 'allowed on x86_64'])('getppid with x32 numbering fails when %s, and the report names it', async (which) => {
    const l = which === 'denied' ? denied : allowed;
    const r = await enforce(l.snapshot, [fixture('deny-probe'), 'x32-getppid'], { dir: work.dir });
    // this kernel has no x32 (ENOSYS); the filter must answer first, with the policy's errno
    expect(r.stdout).toBe('x32-getppid errno=EPERM\n');
    expect(r.report.denials).toHaveLength(1);
    expect(r.report.denials[0]).toMatchObject({ kind: 'syscall', arch: 'x32', errno: 'EPERM' });
  });
});

describe('a socket of a family not accepted', () => {
  it('AF_PACKET fails with EAFNOSUPPORT while AF_INET works, and the report names the family', async () => {
    const l = await learnAccepted([fixture('deny-probe'), 'socket-inet'], { dir: work.dir, name: 'inet' });
    expect(l.stdout).toBe('socket-inet ok\n');
    const ok = await enforce(l.snapshot, [fixture('deny-probe'), 'socket-inet'], { dir: work.dir });
    expect(ok.stdout).toBe('socket-inet ok\n');
    expect(ok.report.denialCount).toBe(0);
    const r = await enforce(l.snapshot, [fixture('deny-probe'), 'socket-packet'], { dir: work.dir });
    expect(r.stdout).toBe('socket-packet errno=EAFNOSUPPORT\n');
    expect(denialList(r.report)).toEqual(['family AF_PACKET EAFNOSUPPORT']);
  });
});

describe('the network when no inet family was accepted', () => {
  it('the workload is in an empty network namespace: only lo, where the host has more', async () => {
    const argv = ['/bin/busybox', 'cat', '/proc/net/dev'];
    const ifaces = (out: string) => out.split('\n').slice(2).map((l) => l.split(':')[0]!.trim()).filter(Boolean).sort();
    const l = await learnAccepted(argv, { dir: work.dir, name: 'netdev' });
    expect(ifaces(l.stdout).length, 'the host needs an interface besides lo for this test').toBeGreaterThan(1);
    const r = await enforce(l.snapshot, argv, { dir: work.dir });
    expect(ifaces(r.stdout)).toEqual(['lo']);
    expect(r.report.denialCount).toBe(0);
  });
});

describe('a mount when mounts were not accepted', () => {
  it('never seen: the filter refuses mount (EPERM), and the report names it', async () => {
    const l = await learnAccepted([probe, 'caps'], { dir: work.dir, name: 'nomount' });
    const target = path.join(S, 'work');
    const r = await enforce(l.snapshot, [probe, 'mount', target], { dir: work.dir });
    expect(r.stdout).toBe('mount errno=EPERM\n');
    expect(denialList(r.report)).toEqual(['syscall mount EPERM']);
  });

  it('the call accepted but the mount and CAP_SYS_ADMIN denied: EPERM, and the report names the capability', async () => {
    const target = path.join(S, 'mnt');
    mkdirSync(target, { recursive: true });
    // learned as root, outside any sandbox: the tmpfs is mounted and unmounted again
    const l0 = await learnAccepted([probe, 'mount', target], { dir: work.dir, name: 'mount' });
    expect(l0.stdout).toBe('mount ok\n');
    const doc = JSON.parse(readFileSync(l0.snapshot, 'utf8')) as { decisions: Record<string, unknown> };
    const deny = Object.fromEntries(Object.keys(doc.decisions).filter((k) => k.startsWith('mount:') || k === 'cap:CAP_SYS_ADMIN').map((k) => [k, 'EPERM']));
    expect(Object.keys(deny)).toContain('cap:CAP_SYS_ADMIN');
    const l = await learnAccepted([probe, 'mount', target], { dir: work.dir, name: 'mount-denied', edits: { deny } });
    const r = await enforce(l.snapshot, [probe, 'mount', target], { dir: work.dir });
    expect(r.stdout).toBe('mount errno=EPERM\n');
    expect(denialList(r.report)).toEqual(expect.arrayContaining(['capability CAP_SYS_ADMIN']));
    expect(readdirSync(target)).toEqual([]);
  });
});

describe('a dropped capability regained through exec of a setuid or file-capability binary', () => {
  let suid: string;
  let fcap: string;
  beforeAll(() => {
    suid = path.join(S, 'suid-probe');
    fcap = path.join(S, 'fcap-probe');
    copyFileSync(probe, suid);
    chmodSync(suid, 0o4755);
    copyFileSync(probe, fcap);
    chmodSync(fcap, 0o755);
    try {
      execFileSync('setcap', ['cap_setuid,cap_chown+ep', fcap]);
    } catch (e) {
      throw new Error(`setcap (libcap2-bin) is needed to make a file-capability binary: ${String(e)}`);
    }
  });
  const CAP_SETUID = 1n << 7n;
  const effective = (out: string) => BigInt('0x' + /effective=([0-9a-f]+)/.exec(out)![1]!);

  it('the bounding set: with CAP_SETUID denied, neither binary gets it back, and setuid(1) fails', async () => {
    const script = path.join(S, 'caps.sh');
    writeFileSync(script, `${suid} caps\n${fcap} caps\n${suid} setuid 0\n`);
    const l = await learnAccepted(['/bin/busybox', 'sh', script], { dir: work.dir, name: 'caps', edits: { deny: { 'cap:CAP_SETUID': 'EPERM' } } });
    for (const bin of [suid, fcap]) {
      const c = await enforce(l.snapshot, [bin, 'caps'], { dir: work.dir });
      expect(effective(c.stdout) & CAP_SETUID, c.stdout).toBe(0n);
      const r = await enforce(l.snapshot, [bin, 'setuid', '1'], { dir: work.dir });
      expect(r.stdout).toBe('setuid errno=EPERM\n');
      expect(denialList(r.report)).toEqual(['capability CAP_SETUID']);
    }
  });

  it('no_new_privs: after dropping root, exec of a setuid-root or file-capability binary gains nothing', async () => {
    // setpriv needs CAP_SETUID and CAP_SETGID, so they are in the bounding set: only
    // no_new_privs stands between uid 65534 and a setuid-root binary's full set
    const drop = ['/usr/bin/setpriv', '--reuid', '65534', '--regid', '65534', '--clear-groups', '--'];
    const script = path.join(S, 'drop.sh');
    writeFileSync(script, `${drop.join(' ')} ${suid} caps\n${drop.join(' ')} ${fcap} caps\n${drop.join(' ')} ${suid} setuid 0\n`);
    const l = await learnAccepted(['/bin/busybox', 'sh', script], { dir: work.dir, name: 'drop' });
    // unconfined, the exec gained them: what the sandbox must stop
    const lines = l.stdout.split('\n');
    expect(effective(lines[0]!) & CAP_SETUID).toBe(CAP_SETUID);
    expect(effective(lines[1]!) & CAP_SETUID).toBe(CAP_SETUID);
    expect(lines[2]).toBe('setuid ok uid=0');
    for (const bin of [suid, fcap]) {
      const c = await enforce(l.snapshot, [...drop, bin, 'caps'], { dir: work.dir });
      expect(c.stdout).toBe('caps ok effective=0000000000000000\n');
      const r = await enforce(l.snapshot, [...drop, bin, 'setuid', '0'], { dir: work.dir });
      expect(r.stdout).toBe('setuid errno=EPERM\n');
    }
  });
});
