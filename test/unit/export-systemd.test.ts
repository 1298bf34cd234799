/**
 * The systemd exporter: a [Service] drop-in. Golden files from the sample policy (compared
 * exactly; WHITTLE_UPDATE_GOLDEN=1 rewrites them), and tables of the rules that matter: the allow
 * list and what systemd adds to it on its own, per-syscall errnos it cannot take (ENOSYS probes,
 * a denial with another errno), families, private network, capabilities, and paths as trees.
 */
import { describe, expect, it } from 'vitest';
import { systemdDefaultSet, systemdExporter, systemdUnknownSyscalls, treeOf, unitPath } from '../../src/export/systemd.js';
import type { Policy } from '../../src/model/policy.js';
import { syscallByName } from '../../src/model/knowledge/syscalls.js';
import { samplePolicy, samplePolicyWith } from '../helpers/sample-policy.js';
import { golden } from '../helpers/golden.js';


const render = (p: Policy) => {
  const r = systemdExporter.render(p, { name: 'app' });
  const text = r.artifacts[0]!.content as string;
  const lines = text.split('\n').slice(0, -1);
  /** Every value of a directive, over all its lines. */
  const values = (key: string) => lines.filter((l) => l.startsWith(`${key}=`)).flatMap((l) => l.slice(key.length + 1).split(' ').filter(Boolean));
  return { text, lines, values, unexpressed: r.unexpressed, items: r.unexpressed.map((u) => u.item) };
};

const variant = samplePolicyWith;

const DIRECTIVES = new Set([
  'NoNewPrivileges', 'SystemCallArchitectures', 'SystemCallFilter', 'SystemCallErrorNumber', 'RestrictAddressFamilies', 'PrivateNetwork',
  'CapabilityBoundingSet', 'ReadOnlyPaths', 'ReadWritePaths', 'InaccessiblePaths',
]);

describe('systemd exporter: golden files from the sample policy', () => {
  it('renders the drop-in and the list of what it cannot express', () => {
    const r = render(samplePolicy());
    golden('systemd', 'sample.conf', r.text);
    golden('systemd', 'sample.unexpressed.txt', r.unexpressed.map((u) => `${u.item} — ${u.reason}`).join('\n') + '\n');
  });

  it('is one [Service] section of known directives, comments aside', () => {
    const { lines } = render(samplePolicy());
    const body = lines.filter((l) => !l.startsWith('#'));
    expect(body[0]).toBe('[Service]');
    for (const l of body.slice(1)) expect(DIRECTIVES.has(l.split('=')[0]!), l).toBe(true);
  });
});

describe('systemd exporter: syscalls', () => {
  const p = samplePolicy();
  const r = render(p);
  const allow = r.values('SystemCallFilter').filter((v) => !v.startsWith('~'));
  const removed = r.lines.filter((l) => l.startsWith('SystemCallFilter=~')).flatMap((l) => l.slice('SystemCallFilter=~'.length).split(' '));

  it('allows what was accepted, socket included (its families are RestrictAddressFamilies=), with EPERM for the rest', () => {
    expect(allow).toEqual(expect.arrayContaining(['read', 'openat', 'execve', 'mount', 'connect', 'socket']));
    expect(allow).not.toContain('ptrace');
    expect(r.values('SystemCallErrorNumber')).toEqual(['EPERM']);
    expect(r.values('NoNewPrivileges')).toEqual(['yes']);
    expect(r.values('SystemCallArchitectures')).toEqual(['native']);
  });

  it("takes out of systemd's own @default set what the policy does not allow (futex: denied)", () => {
    expect(removed).toContain('futex');
    expect(removed).toContain('getpid');
    for (const n of removed) {
      expect(systemdDefaultSet).toContain(n);
      expect(p.syscalls.allow).not.toContain(n);
    }
    for (const n of ['execve', 'mmap', 'brk', 'exit_group']) expect(removed).not.toContain(n);
    // i386-only names are left out of a native-only unit
    expect(removed).not.toContain('getuid32');
  });

  it.each([
    ['probe clone3 (ENOSYS)'],
    ['probe openat2 (ENOSYS)'],
    ['deny futex (ENOSYS)'],
  ])('reports %s: systemd 252 takes no per-syscall errno in an allow list', (item) => {
    expect(r.unexpressed.find((u) => u.item === item)?.reason).toMatch(/no per-syscall errno/);
  });

  it('reports every ENOSYS probe of the policy, and no denial with EPERM', () => {
    for (const n of p.syscalls.enosys) if (syscallByName(n)!.x86_64 !== null) expect(r.items).toContain(`probe ${n} (ENOSYS)`);
    expect(r.items.filter((i) => i.startsWith('deny ptrace'))).toEqual([]);
    expect(r.items).toContain('ENOSYS for syscalls newer than the horizon (x86_64 number > 456)');
  });

  it('never writes a name systemd 252 does not know, and says so', () => {
    const q = variant((x) => (x.syscalls.allow = [...x.syscalls.allow, 'cachestat', 'mseal'].sort()));
    const s = render(q);
    for (const n of systemdUnknownSyscalls) expect(s.values('SystemCallFilter').map((v) => v.replace(/^~/, ''))).not.toContain(n);
    expect(s.items).toContain('allow cachestat');
    expect(s.items).toContain('allow mseal');
  });

  it('adds the x86 architecture when the workload used it, and says families are not filtered there', () => {
    const s = render(variant((x) => (x.arch.abis = ['x86_64', 'x86'])));
    expect(s.values('SystemCallArchitectures')).toEqual(['native', 'x86']);
    expect(s.items).toContain('network families on the i386 ABI');
    expect(s.lines.filter((l) => l.startsWith('SystemCallFilter=~')).join(' ')).toContain('getuid32');
  });

  it('opens the allow list with @default when nothing else is allowed (an empty value would reset the filter)', () => {
    const s = render(variant((x) => (x.syscalls.allow = [])));
    expect(s.lines).toContain('SystemCallFilter=@default');
  });
});

describe('systemd exporter: network and capabilities', () => {
  it.each([
    [['AF_INET', 'AF_UNIX'], ['AF_INET', 'AF_UNIX'], false],
    [['AF_UNIX'], ['AF_UNIX'], true],
    [['AF_INET6', 'AF_NETLINK'], ['AF_INET6', 'AF_NETLINK'], false],
  ])('families %j: RestrictAddressFamilies=%j, PrivateNetwork=yes: %s', (fams, expected, priv) => {
    const s = render(variant((x) => (x.network.allow = fams)));
    expect(s.values('RestrictAddressFamilies')).toEqual(expected);
    expect(s.values('PrivateNetwork')).toEqual(priv ? ['yes'] : []);
  });

  it.each([
    ['every family denied', (x: Policy) => ((x.network.allow = []), (x.network.deny = ['AF_INET']))],
    ['socket() denied', (x: Policy) => ((x.network.allow = []), (x.syscalls.allow = x.syscalls.allow.filter((n) => n !== 'socket')))],
  ])('%s: RestrictAddressFamilies=none and PrivateNetwork=yes', (_what, f) => {
    const s = render(variant(f));
    const expected = ['none'];
    const priv = true;
    expect(s.values('RestrictAddressFamilies')).toEqual(expected);
    expect(s.values('PrivateNetwork')).toEqual(priv ? ['yes'] : []);
  });

  it('does not restrict families when socket() is allowed and no family was recorded', () => {
    const s = render(variant((x) => ((x.network.allow = []), (x.network.deny = []))));
    expect(s.values('RestrictAddressFamilies')).toEqual([]);
    expect(s.values('PrivateNetwork')).toEqual([]);
  });

  it('reports AF_UNSPEC, which RestrictAddressFamilies= does not take', () => {
    const s = render(variant((x) => (x.network.allow = ['AF_UNIX', 'AF_UNSPEC'])));
    expect(s.values('RestrictAddressFamilies')).toEqual(['AF_UNIX']);
    expect(s.items).toContain('network AF_UNSPEC');
  });

  it.each([
    [['CAP_NET_BIND_SERVICE'], 'CapabilityBoundingSet=CAP_NET_BIND_SERVICE'],
    [['CAP_CHOWN', 'CAP_SETUID'], 'CapabilityBoundingSet=CAP_CHOWN CAP_SETUID'],
    [[], 'CapabilityBoundingSet='],
  ])('capabilities %j: %s', (caps, line) => {
    expect(render(variant((x) => (x.capabilities.allow = caps))).lines).toContain(line);
  });
});

describe('systemd exporter: paths as trees', () => {
  it.each([
    ['/etc/hostname', '/etc/hostname', false],
    ['/usr/lib/x86_64-linux-gnu/**', '/usr/lib/x86_64-linux-gnu', false],
    ['/tmp/app/*', '/tmp/app', true],
    ['/home/*/.cache/**', '/home', true],
    ['/var/lib/**/db', '/var/lib', true],
  ])('%s is the tree %s (widened: %s)', (pattern, tree, widened) => {
    expect(treeOf(pattern)).toMatchObject({ tree, widened });
  });

  it.each([
    ['/srv/data', '-/srv/data'],
    ['/srv/my data', '"-/srv/my data"'],
    ['/srv/100%', '-/srv/100%%'],
  ])('writes %s as %s', (p, out) => {
    expect(unitPath(p, '-')).toBe(out);
  });

  const r = render(samplePolicy());
  it('makes everything read-only, the directory of a created file writable, a denied path inaccessible', () => {
    expect(r.values('ReadOnlyPaths')).toEqual(['/']);
    expect(r.values('ReadWritePaths')).toEqual(['-/tmp/app']);
    expect(r.values('InaccessiblePaths')).toEqual(['-/etc/shadow']);
  });

  it('reports the widening to a directory, the open reads and execs, and the mount', () => {
    expect(r.unexpressed.find((u) => u.item === 'allow write,create /tmp/app/out.txt')?.reason).toContain('/tmp/app is writable');
    expect(r.items).toContain('reading limited to the accepted paths');
    expect(r.items).toContain('exec limited to the accepted executables');
    expect(r.items).toContain('mount mount /tmp/app/mnt');
    // /etc/shadow: EACCES, and no CAP_DAC_OVERRIDE in the bounding set: exactly what InaccessiblePaths= answers
    expect(r.items.filter((i) => i.includes('/etc/shadow'))).toEqual([]);
  });

  it('reports a denied path errno that InaccessiblePaths= cannot give, and denied globs', () => {
    const s = render(
      variant((x) => {
        x.paths.push({ pattern: '/etc/secret', access: ['read'], action: 'deny', errno: 'ENOENT' });
        x.paths.push({ pattern: '/proc/*/environ', access: ['read'], action: 'deny', errno: 'EACCES' });
      }),
    );
    expect(s.values('InaccessiblePaths')).toEqual(['-/etc/secret', '-/etc/shadow']);
    expect(s.items).toContain('deny read /etc/secret');
    expect(s.items).toContain('deny read /proc/*/environ');
  });

  it('keeps a changed file exact, and nested writable trees once', () => {
    const s = render(
      variant((x) => {
        x.paths.push({ pattern: '/var/log/app.log', access: ['write'], action: 'allow' });
        x.paths.push({ pattern: '/tmp/app/sub/**', access: ['create', 'write'], action: 'allow' });
      }),
    );
    expect(s.values('ReadWritePaths')).toEqual(['-/tmp/app', '-/var/log/app.log']);
    expect(s.items.filter((i) => i.includes('/var/log/app.log'))).toEqual([]);
  });
});
