/**
 * The apparmor export checked by its real consumer: apparmor_parser -Q -K (parse and compile,
 * load nothing) with a fixed feature ABI. AppArmor is not active on this kernel, so a profile can
 * be compiled here, not enforced. Real programs are learned with whittle, exported with the CLI,
 * and their profiles must compile; deliberately broken profiles must not.
 * The feature ABI is test/fixtures/apparmor/features-abi-3.0 (Debian's apparmor 3.0 ABI file,
 * matching the profile's `abi <abi/3.0>`); where the running kernel exposes its own features
 * (/sys/kernel/security/apparmor/features), profiles are checked against those too.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderApparmor } from '../../src/export/apparmor.js';
import type { PathRule, Policy } from '../../src/model/policy.js';
import { exportTo, learnAndDecide } from '../helpers/policy.js';
import { samplePolicy } from '../helpers/sample-policy.js';
import { requireRootAndBuild } from '../helpers/setup.js';
import { fixture, repoRoot, scratchDir } from '../helpers/whittle.js';

const featuresFile = path.join(repoRoot, 'test', 'fixtures', 'apparmor', 'features-abi-3.0');
const kernelFeatures = '/sys/kernel/security/apparmor/features';

function parser(): string {
  for (const p of ['/usr/sbin/apparmor_parser', '/sbin/apparmor_parser']) if (existsSync(p)) return p;
  const w = spawnSync('sh', ['-c', 'command -v apparmor_parser'], { encoding: 'utf8' });
  if (w.status === 0 && w.stdout.trim()) return w.stdout.trim();
  throw new Error('apparmor_parser is missing: install the apparmor package (the setup does: apt-get install apparmor)');
}

/** apparmor_parser -Q -K: compile the profile without loading it or writing a cache. */
function check(file: string, features = featuresFile) {
  const r = spawnSync(parser(), ['-Q', '-K', '--features-file', features, file], { encoding: 'utf8' });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

function expectCompiles(file: string): void {
  const r = check(file);
  expect(r.code, `${file}:\n${r.out}\n${readFileSync(file, 'utf8')}`).toBe(0);
  if (existsSync(kernelFeatures)) {
    const k = check(file, kernelFeatures);
    expect(k.code, `against the kernel's features:\n${k.out}`).toBe(0);
  }
}

let dir: string;
let cleanup: () => void;

beforeAll(async () => {
  await requireRootAndBuild();
  parser();
  if (!existsSync(featuresFile)) throw new Error(`${featuresFile} is missing from the checkout`);
  ({ dir, cleanup } = scratchDir('whittle-aa-'));
});
afterAll(() => cleanup?.());

const write = (name: string, text: string) => {
  const f = path.join(dir, name);
  writeFileSync(f, text);
  return f;
};

describe('apparmor_parser accepts what whittle exports', () => {
  it('the golden sample profile compiles (files, deny, mount, network, capability, fixed denials)', () => {
    const f = path.join(repoRoot, 'test', 'golden', 'apparmor', 'app.apparmor');
    expect(readFileSync(f, 'utf8')).toBe(renderApparmor(samplePolicy(), { name: 'app' }).artifacts[0]!.content);
    expectCompiles(f);
  });

  const programs: Array<[string, string[]]> = [
    ['a shell script with pipes, subshells and a here-doc', [fixture('pipes.sh')]],
    ['a script that mounts a tmpfs in a private mount namespace', [fixture('mount-tmpfs.sh')]],
    ['a program that opens sockets', [fixture('sockets')]],
  ];
  for (const [name, argv] of programs) {
    it(`a learned real program: ${name}`, async () => {
      const snap = await learnAndDecide(argv, { dir, name: path.basename(argv[0]!) });
      const out = path.join(dir, `${path.basename(argv[0]!)}.apparmor`);
      const r = await exportTo(snap, 'apparmor', out);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(out);
      const text = readFileSync(out, 'utf8');
      expect(text).toMatch(/^profile \S+ \/\S+ \{$/m);
      // what AppArmor cannot do is said, item by item, on stderr
      expect(r.stderr).toMatch(/apparmor cannot express: syscall allowlist/);
      expect(r.stderr).toMatch(/apparmor cannot express: enforcement — .*not active/);
      expectCompiles(out);
    });
  }

  it('the mount rules of a learned mount compile and name the real mount point', async () => {
    const snap = await learnAndDecide([fixture('mount-tmpfs.sh')], { dir, name: 'mnt2' });
    const out = path.join(dir, 'mnt2.apparmor');
    expect((await exportTo(snap, 'apparmor', out)).code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/mount fstype=tmpfs options=\(rw\) none -> \/tmp\/whittle-mnt\.\w+\/,/);
    expect(text).toMatch(/umount \/tmp\/whittle-mnt\.\w+\/,/);
    expect(text).toContain('capability sys_admin,');
    expectCompiles(out);
  });

  it('--strict turns what AppArmor cannot express into exit 1', async () => {
    const snap = await learnAndDecide([fixture('deny-probe'), 'uname'], { dir, name: 'strict' });
    const r = await exportTo(snap, 'apparmor', path.join(dir, 'strict.apparmor'), ['--strict']);
    expect(r.code).toBe(1);
  });

  it('paths with spaces, commas, quotes, braces, globs and control characters compile', () => {
    const odd = ['/srv/my files/a b', '/srv/a,b', '/srv/q"uote', '/srv/br{a}ce[s]?', '/srv/at@{HOME}', '/srv/hash#x', '/srv/new\nline', '/srv/tab\there', '/srv/caret^'];
    const paths: PathRule[] = [
      { pattern: '/usr/bin/app', access: ['exec'], action: 'allow' },
      ...odd.map((pattern): PathRule => ({ pattern, access: ['read', 'write', 'create', 'readdir'], action: 'allow' })),
      { pattern: '/srv/glob/*/x/**', access: ['read', 'rename', 'link'], action: 'allow' },
      { pattern: '/srv/denied dir/secret', access: ['read', 'write', 'exec'], action: 'deny', errno: 'EACCES' },
    ];
    const p: Policy = { ...samplePolicy(), paths };
    expectCompiles(write('odd.apparmor', renderApparmor(p, { name: 'odd' }).artifacts[0]!.content as string));
  });

  it('every kind of mount rule, family and capability whittle writes compiles', () => {
    const m = (op: string, source: string, target: string, fstype: string, flags: string) => ({ op, source, target, fstype, flags });
    const p: Policy = {
      ...samplePolicy(),
      mounts: [
        m('mount', 'none', '/srv/t', 'tmpfs', 'MS_NOSUID|MS_NODEV|MS_NOEXEC|MS_RDONLY|MS_NOATIME'),
        m('mount', 'proc', '/proc', 'proc', ''),
        m('bind', '/srv/a', '/srv/b', '', 'MS_BIND|MS_REC'),
        m('bind', '/srv/a', '/srv/c', '', 'MS_BIND'),
        m('move', '/srv/b', '/srv/d', '', 'MS_MOVE'),
        m('remount', '', '/srv/t', '', 'MS_REMOUNT|MS_RDONLY|MS_NOSUID'),
        m('remount-bind', '', '/srv/b', '', 'MS_REMOUNT|MS_BIND|MS_RDONLY'),
        m('propagation', '', '/', '', 'MS_REC|MS_PRIVATE'),
        m('propagation', '', '/srv', '', 'MS_SHARED'),
        m('umount', '', '/srv/t', '', 'MNT_DETACH'),
        m('pivot_root', '/newroot', '/newroot/old', '', ''),
        m('mount', 'none', '/srv/u', 'tmpfs', 'MS_LAZYTIME'),
      ],
      network: { allow: ['AF_UNIX', 'AF_INET', 'AF_INET6', 'AF_NETLINK', 'AF_PACKET', 'AF_VSOCK', 'AF_XDP'], deny: ['AF_BLUETOOTH', 'AF_CAN'] },
      capabilities: { allow: ['CAP_CHOWN', 'CAP_NET_ADMIN', 'CAP_SYS_ADMIN', 'CAP_BPF', 'CAP_PERFMON', 'CAP_CHECKPOINT_RESTORE'], inferred: ['CAP_CHOWN'] },
    };
    const r = renderApparmor(p, { name: 'kinds' });
    const text = r.artifacts[0]!.content as string;
    expect(text).toContain('pivot_root oldroot=/newroot/old/ /newroot/,');
    expect(text).toContain('capability checkpoint_restore,');
    expectCompiles(write('kinds.apparmor', text));
  });
});

describe('apparmor_parser refuses broken profiles (the check is real)', () => {
  const good = () => renderApparmor(samplePolicy(), { name: 'app' }).artifacts[0]!.content as string;

  it('a rule without its closing comma', () => {
    const broken = good().replace('/etc/hostname r,', '/etc/hostname r');
    expect(broken).not.toBe(good());
    const r = check(write('no-comma.apparmor', broken));
    expect(r.code, r.out).toBe(1);
    expect(r.out).toMatch(/parser error.*missing an end of line/i);
  });

  it('an unknown capability', () => {
    const r = check(write('bad-cap.apparmor', good().replace('capability net_bind_service,', 'capability net_bind_everything,')));
    expect(r.code, r.out).not.toBe(0);
    expect(r.out).toMatch(/capability/i);
  });

  it('two exec modes for one path (ix and px)', () => {
    const r = check(write('x-conflict.apparmor', good().replace('/usr/bin/app mix,', '/usr/bin/app mix,\n  /usr/bin/app px,')));
    expect(r.code, r.out).not.toBe(0);
    expect(r.out).toMatch(/conflicting x modifiers/);
  });

  it('a profile without its closing brace', () => {
    const r = check(write('no-brace.apparmor', good().replace(/\}\n$/, '')));
    expect(r.code, r.out).toBe(1);
  });
});
