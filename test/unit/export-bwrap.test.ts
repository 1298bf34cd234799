/**
 * The bwrap exporter: the main artifact is the compiled program handed in (a fixed fake here),
 * PATH.args is golden for the sample policy; tables for how paths, families, capabilities and
 * syscalls become bwrap arguments — or `unexpressed` entries, never nothing.
 * (test/integration/export-bwrap.test.ts runs real programs under bwrap with the real program.)
 * WHITTLE_UPDATE_GOLDEN=1 rewrites the golden files.
 */
import { describe, expect, it } from 'vitest';
import { bwrapArgs, bwrapExporter } from '../../src/export/bwrap.js';
import { enosysRanges, filterSpec } from '../../src/trace/compile.js';
import type { PathRule, Policy } from '../../src/model/policy.js';
import { samplePolicy } from '../helpers/sample-policy.js';
import { golden } from '../helpers/golden.js';


/** A stand-in for the compiled program: two sock_filter instructions (ld nr; ret allow). */
const fakeBpf = new Uint8Array([0x20, 0, 0, 0, 0, 0, 0, 0, 0x06, 0, 0, 0, 0, 0, 0xff, 0x7f]);

const rule = (pattern: string, access: PathRule['access'], action: PathRule['action'] = 'allow', extra: Partial<PathRule> = {}): PathRule => ({ pattern, access, action, ...extra });

function policy(paths: PathRule[], extra: Partial<Policy> = {}): Policy {
  const p = samplePolicy();
  return { ...p, paths, mounts: [], network: { allow: [], deny: [] }, capabilities: { allow: [], inferred: [] }, ...extra };
}
const argsOf = (p: Policy) => bwrapArgs(p).args;
/** The arguments as (option, operands…) groups, e.g. ['--ro-bind-try', '/a', '/a']. */
function groups(args: string[]): string[][] {
  const arity: Record<string, number> = {
    '--ro-bind-try': 2, '--bind-try': 2, '--dev-bind-try': 2, '--ro-bind': 2, '--symlink': 2, '--proc': 1, '--dev': 1, '--tmpfs': 1, '--dir': 1, '--cap-drop': 1, '--cap-add': 1,
  };
  const out: string[][] = [];
  for (let i = 0; i < args.length; ) {
    const n = arity[args[i]!] ?? 0;
    out.push(args.slice(i, i + 1 + n));
    i += 1 + n;
  }
  return out;
}
const has = (args: string[], ...g: string[]) => groups(args).some((x) => x.length === g.length && x.every((v, i) => v === g[i]));
const indexOf = (args: string[], ...g: string[]) => groups(args).findIndex((x) => x.length === g.length && x.every((v, i) => v === g[i]));

describe('bwrap golden', () => {
  const r = bwrapExporter.render(samplePolicy(), { name: 'app', bpf: fakeBpf });

  it('the main artifact is the compiled program, byte for byte; PATH.args is golden', () => {
    expect(r.artifacts.map((a) => a.suffix)).toEqual([null, 'args']);
    expect(r.artifacts[0]!.content).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(r.artifacts[0]!.content as Uint8Array).equals(Buffer.from(fakeBpf))).toBe(true);
    golden('bwrap', 'app.bwrap.args', r.artifacts[1]!.content as string);
    golden('bwrap', 'app.unexpressed.json', JSON.stringify(r.unexpressed, null, 2) + '\n');
  });

  it('needs the compiled program (the export command compiles it), and says how to use both files', () => {
    expect(bwrapExporter.needsBpf).toBe(true);
    expect(() => bwrapExporter.render(samplePolicy(), { name: 'app' })).toThrow(/ctx\.bpf/);
    expect(r.artifacts[0]!.description).toMatch(/--seccomp 3 3< PATH/);
    expect(r.artifacts[1]!.description).toMatch(/one per line/);
    expect(bwrapExporter.defaultName({ name: 'app' })).toBe('app.bwrap.bpf');
  });

  it('writes one argument per line', () => {
    const text = r.artifacts[1]!.content as string;
    expect(text.endsWith('\n')).toBe(true);
    expect(text.trimEnd().split('\n')).toEqual(bwrapArgs(samplePolicy()).args);
  });
});

describe('bwrap namespaces, session, capabilities', () => {
  it('unshares everything and keeps the network only for an inet family', () => {
    const none = argsOf(policy([]));
    expect(none).toContain('--unshare-all');
    expect(none).not.toContain('--share-net');
    for (const f of ['AF_INET', 'AF_INET6']) expect(argsOf(policy([], { network: { allow: [f], deny: [] } }))).toContain('--share-net');
    expect(argsOf(policy([], { network: { allow: ['AF_UNIX', 'AF_NETLINK'], deny: [] } }))).not.toContain('--share-net');
  });

  it('always dies with its parent, starts a new session and drops every capability', () => {
    const a = argsOf(policy([]));
    for (const x of ['--die-with-parent', '--new-session']) expect(a).toContain(x);
    expect(has(a, '--cap-drop', 'ALL')).toBe(true);
    expect(a).not.toContain('--cap-add');
  });

  it('adds accepted capabilities, without a user namespace (so they act on the shared network)', () => {
    const a = argsOf(policy([], { capabilities: { allow: ['CAP_NET_BIND_SERVICE', 'CAP_CHOWN'], inferred: [] }, network: { allow: ['AF_INET'], deny: [] } }));
    expect(has(a, '--cap-add', 'CAP_NET_BIND_SERVICE')).toBe(true);
    expect(has(a, '--cap-add', 'CAP_CHOWN')).toBe(true);
    expect(indexOf(a, '--cap-drop', 'ALL')).toBeLessThan(indexOf(a, '--cap-add', 'CAP_NET_BIND_SERVICE'));
    expect(a).not.toContain('--unshare-all');
    expect(a).not.toContain('--unshare-user');
    for (const x of ['--unshare-ipc', '--unshare-pid', '--unshare-uts', '--unshare-cgroup-try']) expect(a).toContain(x);
    expect(a).not.toContain('--unshare-net');
    expect(argsOf(policy([], { capabilities: { allow: ['CAP_CHOWN'], inferred: [] } }))).toContain('--unshare-net');
  });

  it("runs the workload as pid 1 unless wait4 is allowed for bwrap's reaper", () => {
    const p = policy([]);
    expect(argsOf({ ...p, syscalls: { ...p.syscalls, allow: ['read', 'write'] } })).toContain('--as-pid-1');
    expect(argsOf({ ...p, syscalls: { ...p.syscalls, allow: ['read', 'wait4'] } })).not.toContain('--as-pid-1');
  });

  it('gives a fresh /proc with /proc/sys read-only, and a fresh /dev', () => {
    const a = argsOf(policy([]));
    expect(has(a, '--proc', '/proc')).toBe(true);
    expect(has(a, '--ro-bind', '/proc/sys', '/proc/sys')).toBe(true);
    expect(indexOf(a, '--proc', '/proc')).toBeLessThan(indexOf(a, '--ro-bind', '/proc/sys', '/proc/sys'));
    expect(has(a, '--dev', '/dev')).toBe(true);
  });
});

describe('bwrap view', () => {
  const cases: Array<[string, PathRule[], string[][]]> = [
    ['read: a read-only bind', [rule('/etc/hostname', ['read'])], [['--ro-bind-try', '/etc/hostname', '/etc/hostname']]],
    ['exec: a read-only bind', [rule('/usr/bin/tool', ['exec'])], [['--ro-bind-try', '/usr/bin/tool', '/usr/bin/tool']]],
    ['write in place: a writable bind of the file', [rule('/var/log/a.log', ['write'])], [['--bind-try', '/var/log/a.log', '/var/log/a.log']]],
    ['create: a writable bind of the directory', [rule('/srv/out/new', ['create'])], [['--bind-try', '/srv/out', '/srv/out']]],
    ['remove: a writable bind of the directory', [rule('/srv/out/old', ['remove'])], [['--bind-try', '/srv/out', '/srv/out']]],
    ['a glob DIR/**: the directory', [rule('/usr/lib/x86_64-linux-gnu/**', ['read'])], [['--ro-bind-try', '/usr/lib/x86_64-linux-gnu', '/usr/lib/x86_64-linux-gnu']]],
    ['a glob widens to its fixed directory', [rule('/etc/*.conf', ['read'])], [['--ro-bind-try', '/etc', '/etc']]],
    ['a symlink is recreated', [rule('/lib64', ['stat'], 'allow', { symlinkTarget: 'usr/lib64' })], [['--symlink', 'usr/lib64', '/lib64']]],
    ['an absolute symlink target is kept as it is', [rule('/usr/lib64/ld-linux-x86-64.so.2', ['stat'], 'allow', { symlinkTarget: '/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2' })], [['--symlink', '/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2', '/usr/lib64/ld-linux-x86-64.so.2']]],
    ['a mount point becomes a directory', [rule('/srv/mnt', ['mount-target'])], [['--dir', '/srv/mnt']]],
    ['a listed directory that is not bound becomes a directory', [rule('/etc/ld.so.conf.d', ['readdir'])], [['--dir', '/etc/ld.so.conf.d']]],
    ['entries made directly in /tmp go to a private tmpfs', [rule('/tmp/tmp.x1y2', ['create', 'write'])], [['--tmpfs', '/tmp']]],
    ['a device beyond bwrap\'s own /dev is a device bind', [rule('/dev/kvm', ['read', 'write', 'ioctl'])], [['--dev-bind-try', '/dev/kvm', '/dev/kvm']]],
    ['a path with spaces is one argument', [rule('/srv/my files/a b.txt', ['read'])], [['--ro-bind-try', '/srv/my files/a b.txt', '/srv/my files/a b.txt']]],
  ];
  for (const [name, paths, want] of cases) {
    it(name, () => {
      const a = argsOf(policy(paths));
      for (const g of want) expect(has(a, ...g), g.join(' ')).toBe(true);
    });
  }

  it('binds nothing for /proc, bwrap\'s own /dev nodes, or paths only looked at', () => {
    const a = argsOf(policy([rule('/proc/self/status', ['read']), rule('/dev/null', ['read', 'write', 'create']), rule('/dev/urandom', ['read']), rule('/etc/passwd', ['stat'])]));
    expect(a.filter((x) => x.startsWith('/proc/self') || x === '/dev/null' || x === '/dev/urandom' || x === '/etc/passwd' || x === '/dev')).toEqual(['/dev']);
  });

  it('orders parents before what goes on top of them, and leaves out what a bound tree holds', () => {
    const a = argsOf(
      policy([
        rule('/srv/app/conf/x.conf', ['read']),
        rule('/srv/app/**', ['read']),
        rule('/srv/app/state/db', ['write']),
        rule('/srv/app/data/new', ['create']),
        rule('/srv/app/data/in.txt', ['read']),
        rule('/srv/app/lib', ['stat'], 'allow', { symlinkTarget: '../lib' }),
      ]),
    );
    const fs = groups(a).filter((g) => g[0] !== '--ro-bind' && /^\/srv/.test(g[1] ?? ''));
    expect(fs).toEqual([
      ['--ro-bind-try', '/srv/app', '/srv/app'],
      ['--bind-try', '/srv/app/data', '/srv/app/data'],
      ['--bind-try', '/srv/app/state/db', '/srv/app/state/db'],
    ]);
  });

  it('a file the workload created is not bound itself (its directory is writable)', () => {
    const a = argsOf(policy([rule('/srv/out/new.txt', ['create', 'write', 'read'])]));
    expect(groups(a).filter((g) => (g[1] ?? '').startsWith('/srv'))).toEqual([['--bind-try', '/srv/out', '/srv/out']]);
  });

  it('inside a directory the workload made, nothing more is needed', () => {
    const a = argsOf(policy([rule('/srv/out/run1', ['create']), rule('/srv/out/run1/log', ['create', 'write']), rule('/srv/out/run1/sub', ['mount-target'])]));
    expect(groups(a).filter((g) => (g[1] ?? '').startsWith('/srv'))).toEqual([['--bind-try', '/srv/out', '/srv/out']]);
  });

  it('a host file read in /tmp is bound on top of the private tmpfs', () => {
    const a = argsOf(policy([rule('/tmp/tmpfile', ['create']), rule('/tmp/app/in.txt', ['read'])]));
    expect(indexOf(a, '--tmpfs', '/tmp')).toBeGreaterThanOrEqual(0);
    expect(indexOf(a, '--tmpfs', '/tmp')).toBeLessThan(indexOf(a, '--ro-bind-try', '/tmp/app/in.txt', '/tmp/app/in.txt'));
  });

  it('never binds the whole host root, and says so', () => {
    const r = bwrapArgs(policy([rule('/newfile', ['create']), rule('/*.conf', ['read']), rule('/', ['readdir'])]));
    expect(groups(r.args).some((g) => g[1] === '/')).toBe(false);
    expect(r.unexpressed.map((x) => x.item)).toContain('changes at the top of the tree (/)');
  });

  it('symlinks inside a bound tree or in /proc are not recreated', () => {
    const a = argsOf(policy([rule('/usr/lib/**', ['read']), rule('/usr/lib/libz.so', ['stat'], 'allow', { symlinkTarget: 'libz.so.1' }), rule('/proc/self/exe', ['stat'], 'allow', { symlinkTarget: '/usr/bin/app' })]));
    expect(a).not.toContain('--symlink');
  });
});

describe('bwrap unexpressed', () => {
  const un = (p: Policy) => bwrapArgs(p).unexpressed;

  it('reports denied paths: missing (ENOENT) outside the view, reachable inside a bound directory', () => {
    const u = un(policy([rule('/etc/**', ['read']), rule('/etc/shadow', ['read'], 'deny', { errno: 'EACCES' }), rule('/root/.ssh/id', ['read'], 'deny', { errno: 'EPERM' })]));
    expect(u.find((x) => x.item === 'deny read /etc/shadow')!.reason).toMatch(/inside \/etc/);
    expect(u.find((x) => x.item === 'deny read /root/.ssh/id')!.reason).toMatch(/ENOENT, not EPERM/);
  });

  it('reports widenings: globs, whole parent directories, read-only devices', () => {
    const u = un(policy([rule('/etc/*.conf', ['read']), rule('/srv/out/new', ['create']), rule('/dev/kvm', ['read'])]));
    expect(u.map((x) => x.item)).toEqual(expect.arrayContaining(['glob /etc/*.conf', 'create /srv/out/new', 'read /dev/kvm']));
    expect(u.some((x) => x.item === 'glob /usr/lib/**')).toBe(false);
  });

  it('reports stat-only paths outside the view, not those the view holds', () => {
    const u = un(policy([rule('/etc/passwd', ['stat']), rule('/usr/bin', ['stat']), rule('/usr/bin/tool', ['exec'])]));
    expect(u.map((x) => x.item)).toContain('stat /etc/passwd');
    expect(u.map((x) => x.item)).not.toContain('stat /usr/bin');
    // a name that was not there when learned (a PATH lookup) gets ENOENT in the view as it did
    // then: nothing is lost, nothing to report
    const absent = un(policy([rule('/usr/local/bin/git', ['stat'], 'allow', { absent: true }), rule('/usr/bin/git', ['exec'])]));
    expect(absent.map((x) => x.item)).not.toContain('stat /usr/local/bin/git');
  });

  it('reports private scratch directories, /proc/sys writes, host ptys and /dev/tty', () => {
    const u = un(policy([rule('/tmp/x', ['create']), rule('/dev/shm/seg', ['create']), rule('/proc/sys/vm/drop_caches', ['write']), rule('/dev/pts/3', ['read']), rule('/dev/tty', ['read', 'write'])]));
    const items = u.map((x) => x.item);
    expect(items).toEqual(expect.arrayContaining(['entries made or removed directly in /tmp (1)', 'entries made or removed directly in /dev/shm (1)', 'write /proc/sys/vm/drop_caches', 'read /dev/pts/3', 'read /dev/tty']));
  });

  it('renames between sibling directories: their common directory is bound instead (two binds are two mounts: EXDEV), and said', () => {
    const p = policy([rule('/srv/a/f', ['rename']), rule('/srv/b/f', ['rename'])]);
    expect(bwrapArgs(p).args.join(' ')).toContain('--bind-try /srv /srv');
    expect(bwrapArgs(p).args.join(' ')).not.toContain('--bind-try /srv/a');
    const u = un(p);
    expect(u.find((x) => x.item === 'rename or link between /srv/a, /srv/b')!.reason).toMatch(/common directory \/srv is bound instead, all of it writable/);
    expect(u.some((x) => x.item.startsWith('rename or link across'))).toBe(false);
    expect(un(policy([rule('/srv/a/f', ['rename']), rule('/srv/a/g', ['rename'])])).some((x) => x.item.startsWith('rename or link'))).toBe(false);
  });

  it('renames that cannot share a mount (across top directories: that would bind /) are reported (EXDEV)', () => {
    const u = un(policy([rule('/srv/a/f', ['rename']), rule('/home/u/f', ['rename'])]));
    expect(u.find((x) => x.item.startsWith('rename or link across'))!.reason).toMatch(/EXDEV/);
  });

  it('reports mounts, and families the program cannot check', () => {
    const p = samplePolicy();
    const u = un({ ...p, network: { allow: ['AF_UNIX', 'AF_INET'], deny: ['AF_PACKET'] } });
    expect(u.find((x) => x.item.startsWith('mount mount'))!.reason).toMatch(/CAP_SYS_ADMIN.*does not grant it/);
    expect(u.find((x) => x.item === 'deny network AF_PACKET')!.reason).toMatch(/family/);
    const noInet = un(policy([], { network: { allow: ['AF_NETLINK'], deny: [] } }));
    expect(noInet.find((x) => x.item === 'network AF_NETLINK')!.reason).toMatch(/own network namespace/);
  });

  it('reports paths it cannot put in a one-per-line file, or that are not absolute', () => {
    const r = bwrapArgs(policy([rule('/srv/a\nb', ['read']), rule('./rel', ['read'])]));
    expect(r.args.join('\n')).not.toMatch(/a\nb|rel/);
    expect(r.unexpressed.map((x) => x.item)).toEqual(expect.arrayContaining(['allow read /srv/a\\nb', 'allow read ./rel']));
  });

  it('expresses or reports every path rule of the sample (nothing dropped)', () => {
    const p = samplePolicy();
    const { args, unexpressed } = bwrapArgs(p);
    for (const r of p.paths) {
      const covered = args.some((a) => a === r.pattern || r.pattern.startsWith(`${a}/`) || r.pattern.replace(/\/\*\*$/, '') === a);
      const reported = unexpressed.some((u) => u.item.includes(r.pattern));
      expect(covered || reported, r.pattern).toBe(true);
    }
  });
});

describe('the compiled program bwrap gets (the filter spec)', () => {
  it('answers ENOSYS for every number above the syscall table, not the default errno', () => {
    const spec = filterSpec(samplePolicy()).trim().split('\n');
    const x64 = spec.filter((l) => l.startsWith('enosys x86_64 '));
    expect(x64.at(-1)).toMatch(/^enosys x86_64 \d+ 1073741823$/); // up to 0x3fffffff: above is x32
    const ranges = enosysRanges('x86', 456, new Set());
    expect(ranges.at(-1)![1]).toBe(0xffffffff);
    // a number the policy allows by number stays outside the ranges
    const withAllowed = enosysRanges('x86_64', 456, new Set([460]));
    expect(withAllowed.some(([a, b]) => a <= 460 && 460 <= b)).toBe(false);
    expect(withAllowed.at(-1)![1]).toBe(0x3fffffff);
  });
});
