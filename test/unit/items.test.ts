/**
 * The review queue (model/items.ts): one item per thing a person decides on. What a reviewer
 * notices: a syscall made on two ABIs is one item, a path is one item per access kind, advisory
 * capability checks are not offered as grants, and dangerous things say so.
 */
import { describe, expect, it } from 'vitest';
import { keys, queueItems, reviewOrder, type CapQueueItem, type MountQueueItem, type NetQueueItem, type PathQueueItem, type SyscallQueueItem } from '../../src/model/items.js';
import type { Observed, ObservedCapability, ObservedPath } from '../../src/model/observations.js';

const first = (t: number, pid = 10) => ({ t, pid, exe: '/usr/bin/app' });
const none: Observed = { syscalls: [], paths: [], execs: [], mounts: [], network: [], capabilities: [] };
const obs = (o: Partial<Observed>): Observed => ({ ...none, ...o });
const path = (p: string, access: ObservedPath['access'], result = 'ok', count = 1, t = 0.1): ObservedPath => ({ path: p, access, result, count, first: first(t) });

describe('syscalls', () => {
  it('one item per name, across arches: counts add up, the first sighting is the earliest', () => {
    const items = queueItems(obs({
      syscalls: [
        { name: 'read', arch: 'x86_64', nr: 0, count: 5, first: first(0.5) },
        { name: 'read', arch: 'x86', nr: 3, count: 3, first: first(0.2, 11) },
        { name: 'write', arch: 'x86_64', nr: 1, count: 1, first: first(0.1) },
      ],
    }));
    expect(items).toHaveLength(2);
    const read = items.find((i) => i.key === 'syscall:read') as SyscallQueueItem;
    expect(read).toMatchObject({ kind: 'syscall', name: 'read', arches: ['x86_64', 'x86'], count: 8 });
    expect(read.first).toMatchObject({ t: 0.2, pid: 11 });
  });

  it.each<[string, string, string | undefined, RegExp]>([
    ['ptrace', 'critical', 'CAP_SYS_PTRACE', /other processes/],
    ['mount', 'critical', 'CAP_SYS_ADMIN', /Mounting/],
    ['personality', 'high', undefined, /ASLR/],
    ['read', 'low', undefined, /./],
    ['syscall#999', 'medium', undefined, /does not know \(syscall#999\)/],
  ])('%s: risk %s, the capability it needs, and a note', (name, risk, capability, note) => {
    const [it] = queueItems(obs({ syscalls: [{ name, arch: 'x86_64', nr: 0, count: 1, first: first(0) }] })) as SyscallQueueItem[];
    expect(it!.risk).toBe(risk);
    expect(it!.capability).toBe(capability);
    expect(it!.note).toMatch(note);
  });
});

describe('paths', () => {
  it('one item per (path, access): results are listed, counts add up', () => {
    const items = queueItems(obs({
      paths: [
        path('/etc/hosts', 'read', 'ok', 2, 0.3),
        path('/etc/hosts', 'read', 'ENOENT', 1, 0.1),
        path('/etc/hosts', 'stat', 'ok', 4),
        path('/etc/resolv.conf', 'read'),
      ],
    })) as PathQueueItem[];
    expect(items.map((i) => i.key).sort()).toEqual([keys.path('/etc/hosts', 'read'), keys.path('/etc/hosts', 'stat'), keys.path('/etc/resolv.conf', 'read')].sort());
    const hostsRead = items.find((i) => i.key === 'path:read:/etc/hosts')!;
    expect(hostsRead).toMatchObject({ path: '/etc/hosts', access: 'read', results: ['ok', 'ENOENT'], count: 3, label: 'read /etc/hosts' });
    expect(hostsRead.first.t).toBe(0.1);
  });

  it.each<[string, ObservedPath['access'], string, RegExp]>([
    ['/proc/sysrq-trigger', 'write', 'critical', /sysrq-trigger: Writing a letter/],
    ['/proc/sys/kernel/core_pattern', 'write', 'critical', /core_pattern/],
    ['/proc/sys/kernel/core_pattern', 'read', 'low', /looks at this path/], // reading a tunable is everyday
    ['/sys/kernel/debug/tracing/trace', 'read', 'critical', /debugfs/],
    ['/proc/sys/fs/binfmt_misc/register', 'write', 'critical', /interpreter/],
    ['/dev/mem', 'read', 'critical', /Physical memory/],
    ['/etc/shadow', 'read', 'critical', /Password hashes/],
    ['/tmp/app/out.txt', 'write', 'low', /changes this path \(write\)/],
    ['/usr/bin/app', 'exec', 'low', /a program the workload ran/],
  ])('%s (%s) gets risk %s and says why', (p, access, risk, note) => {
    const [it] = queueItems(obs({ paths: [path(p, access)] }));
    expect(it!.risk).toBe(risk);
    expect(it!.note).toMatch(note);
  });

  it('a symlink says where it points', () => {
    const [it] = queueItems(obs({ paths: [{ ...path('/lib64', 'read'), symlinkTarget: 'usr/lib64' }] })) as PathQueueItem[];
    expect(it!.symlinkTarget).toBe('usr/lib64');
    expect(it!.note).toMatch(/a symlink to usr\/lib64/);
  });
});

describe('capabilities', () => {
  const cap = (name: string, o: Partial<ObservedCapability> = {}): ObservedCapability => ({
    name, syscall: 'bind', granted: true, class: 'required', inferred: false, count: 1, first: first(0.1), ...o,
  });

  it('skips advisory checks (the kernel only asked) and inferred ones that were not granted', () => {
    const items = queueItems(obs({
      capabilities: [
        cap('CAP_SYS_ADMIN', { class: 'advisory', syscall: 'mmap', count: 40 }),
        cap('CAP_NET_ADMIN', { inferred: true, granted: false }),
        cap('CAP_NET_BIND_SERVICE'),
      ],
    }));
    expect(items.map((i) => i.key)).toEqual(['cap:CAP_NET_BIND_SERVICE']);
  });

  it('one item per capability: the syscalls that needed it, observed beats inferred', () => {
    const items = queueItems(obs({
      capabilities: [cap('CAP_CHOWN', { syscall: 'chown', inferred: true }), cap('CAP_CHOWN', { syscall: 'fchownat', count: 2 })],
    })) as CapQueueItem[];
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ name: 'CAP_CHOWN', syscalls: ['chown', 'fchownat'], count: 3, inferred: false });
  });

  it('an inferred capability says it was inferred', () => {
    const [it] = queueItems(obs({ capabilities: [cap('CAP_NET_RAW', { inferred: true, syscall: 'socket' })] }));
    expect(it!.note).toMatch(/inferred from syscalls/);
  });
});

describe('mounts and network', () => {
  it('a fresh proc mount is high risk and says why; a user namespace is high risk', () => {
    const items = queueItems(obs({
      mounts: [
        { op: 'mount', source: 'proc', target: '/tmp/p', fstype: 'proc', flags: '', result: 'ok', count: 1, first: first(0.1) },
        { op: 'unshare', source: '', target: '', fstype: '', flags: 'CLONE_NEWUSER|CLONE_NEWNS', result: 'ok', count: 1, first: first(0.2) },
        { op: 'unshare', source: '', target: '', fstype: '', flags: 'CLONE_NEWNS', result: 'ok', count: 1, first: first(0.3) },
      ],
    })) as MountQueueItem[];
    expect(items.map((i) => [i.label, i.risk])).toEqual([
      ['mount proc proc → /tmp/p', 'high'],
      ['unshare CLONE_NEWUSER|CLONE_NEWNS', 'high'],
      ['unshare CLONE_NEWNS', 'medium'],
    ]);
    expect(items[0]!.note).toMatch(/sysrq-trigger/);
  });

  it('one item per socket family, with its types, ports and ops; a raw socket is high risk', () => {
    const items = queueItems(obs({
      network: [
        { family: 'AF_INET', type: 'SOCK_STREAM', op: 'socket', port: null, result: 'ok', count: 1, first: first(0.1) },
        { family: 'AF_INET', type: null, op: 'connect', port: 443, result: 'ok', count: 2, first: first(0.2) },
        { family: 'AF_INET', type: 'SOCK_RAW', op: 'socket', port: null, result: 'ok', count: 1, first: first(0.3) },
      ],
    })) as NetQueueItem[];
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ key: 'net:AF_INET', types: ['SOCK_STREAM', 'SOCK_RAW'], ops: ['socket', 'connect'], ports: [443], count: 4, risk: 'high' });
  });
});

describe('review order', () => {
  it('riskiest first, then newest', () => {
    const items = queueItems(obs({
      syscalls: [
        { name: 'read', arch: 'x86_64', nr: 0, count: 1, first: first(0.9) },
        { name: 'ptrace', arch: 'x86_64', nr: 101, count: 1, first: first(0.1) },
        { name: 'write', arch: 'x86_64', nr: 1, count: 1, first: first(0.5) },
      ],
    }));
    expect([...items].sort(reviewOrder).map((i) => i.key)).toEqual(['syscall:ptrace', 'syscall:read', 'syscall:write']);
  });
});

describe('failed lookups', () => {
  it('are low risk even under a sensitive directory, and say why', async () => {
    const { queueItems } = await import('../../src/model/items.js');
    const first = { t: 0 };
    const items = queueItems({
      syscalls: [],
      execs: [],
      mounts: [],
      network: [],
      capabilities: [],
      paths: [
        { path: '/root/.cargo/bin/sh', access: 'exec', result: 'ENOENT', count: 1, first },
        { path: '/root/.ssh/id_rsa', access: 'read', result: 'ok', count: 1, first },
      ],
    });
    const missing = items.find((i) => i.label === 'exec /root/.cargo/bin/sh')!;
    const found = items.find((i) => i.label === 'read /root/.ssh/id_rsa')!;
    expect(missing.risk).toBe('low');
    expect(missing.note).toMatch(/looked up but not there/);
    expect(found.risk).not.toBe('low');
  });
});
