/**
 * The policy IR: decisions become rules, undecided items are counted, probe syscalls never seen
 * answer ENOSYS, globs widen, denials keep their errno, merging is a union.
 */
import { describe, expect, it } from 'vitest';
import { buildPolicy, mergePolicies } from '../../src/model/policy.js';
import { sampleDecisions, sampleObserved, samplePolicy } from '../helpers/sample-policy.js';
import type { Decisions } from '../../src/model/decisions.js';

describe('buildPolicy', () => {
  const p = samplePolicy();

  it('allows accepted syscalls and keeps a person\'s errno on denied ones', () => {
    expect(p.syscalls.allow).toContain('openat');
    expect(p.syscalls.allow).not.toContain('ptrace');
    expect(p.syscalls.deny).toEqual([
      { name: 'futex', errno: 'ENOSYS' },
      { name: 'ptrace', errno: 'EPERM' },
    ]);
    expect(p.syscalls.defaultErrno).toBe('EPERM');
  });

  it('answers ENOSYS for probe syscalls never seen (clone3, openat2, statx …), not for seen ones', () => {
    for (const n of ['clone3', 'openat2', 'faccessat2', 'close_range']) expect(p.syscalls.enosys).toContain(n);
    expect(p.syscalls.enosys).not.toContain('openat');
  });

  it('widens a globbed path, and keeps a denied path as a deny rule with its errno', () => {
    expect(p.paths).toContainEqual(expect.objectContaining({ pattern: '/usr/lib/x86_64-linux-gnu/**', access: ['read'], action: 'allow' }));
    // libm was covered by the glob: no separate rule for it
    expect(p.paths.find((r) => r.pattern.endsWith('libm.so.6'))).toBeUndefined();
    expect(p.paths).toContainEqual(expect.objectContaining({ pattern: '/etc/shadow', action: 'deny', errno: 'EACCES' }));
    expect(p.paths).toContainEqual(expect.objectContaining({ pattern: '/tmp/app/out.txt', access: ['write', 'create'] }));
  });

  it('says where each rule came from: a glob by the items it covers (counted, the first few named), each other item by its own record', () => {
    const glob = p.paths.find((r) => r.pattern === '/usr/lib/x86_64-linux-gnu/**')!;
    expect(glob.covers).toBe(2);
    expect(glob.from).toHaveLength(2);
    expect(glob.from![0]).toMatchObject({ count: expect.any(Number), decidedBy: 'person', exe: '/usr/bin/app' });
    // the item the glob was made on keeps its record; the one it only covers is not listed again
    expect(p.provenance['path:read:/usr/lib/x86_64-linux-gnu/libc.so.6']).toMatchObject({ decidedBy: 'person' });
    expect(p.provenance['path:read:/usr/lib/x86_64-linux-gnu/libm.so.6']).toBeUndefined();
    expect(p.provenance['syscall:openat']).toMatchObject({ count: expect.any(Number), firstSeen: expect.any(Number) });
    expect(p.provenance['path:read:/etc/shadow']).toMatchObject({ decidedBy: 'person' });
    expect(p.sources).toEqual([expect.objectContaining({ snapshot: 'snapshots/app.json' })]);
  });

  it('keeps families, mounts and required capabilities; never grants an advisory-only check', () => {
    expect(p.network.allow).toEqual(['AF_INET', 'AF_UNIX']);
    expect(p.mounts).toHaveLength(1);
    expect(p.capabilities.allow).toEqual(['CAP_NET_BIND_SERVICE']);
  });

  it('denies undecided items by default and says how many there were', () => {
    const strict = buildPolicy({
      observed: sampleObserved, decisions: {}, argv: ['app'], snapshot: 's', createdAt: 'c', mechanism: 'ebpf', kernel: '6.18', libseccompHorizon: 456,
    });
    expect(strict.undecided.treatedAs).toBe('deny');
    expect(strict.undecided.count).toBeGreaterThan(20);
    expect(strict.syscalls.allow).toEqual([]);
    expect(strict.paths).toEqual([]);
    expect(strict.capabilities.allow).toEqual([]);
  });

  it('horizon: the newest syscall both the kernel and libseccomp know', () => {
    expect(p.horizon.syscall).toBe(456);
    const old = buildPolicy({ observed: sampleObserved, decisions: sampleDecisions, argv: ['a'], snapshot: 's', createdAt: 'c', mechanism: 'ebpf', kernel: '5.10.0', libseccompHorizon: 456 });
    expect(old.horizon.syscall).toBe(440); // process_madvise (5.10); epoll_pwait2 (441) came in 5.11
  });
});

describe('syscalls implied by what the workload did', () => {
  const withSyscalls = (names: string[], decisions: Decisions = {}) =>
    buildPolicy(
      {
        observed: { ...sampleObserved, syscalls: names.map((name, i) => ({ name, arch: 'x86_64' as const, nr: i, count: 1, first: { t: 0, pid: 1 } })) },
        decisions,
        argv: ['/usr/bin/app'],
        snapshot: 's.json',
        createdAt: '2026-01-01T00:00:00.000Z',
        mechanism: 'ebpf',
        kernel: '6.18.44',
        libseccompHorizon: 456,
      },
      { undecided: 'accept' },
    );

  it('a handler installed (rt_sigaction) but no signal while learning: rt_sigreturn is allowed, and says why', () => {
    const p = withSyscalls(['rt_sigaction', 'read', 'exit_group']);
    expect(p.syscalls.allow).toContain('rt_sigreturn');
    expect(p.syscalls.implied).toEqual([{ name: 'rt_sigreturn', because: expect.stringMatching(/installs signal handlers \(rt_sigaction\)/) }]);
  });

  it('threads or processes started (clone, clone3): exit; never seen ending: exit_group', () => {
    expect(withSyscalls(['clone3', 'exit_group']).syscalls.implied?.map((x) => x.name)).toEqual(['exit']);
    expect(withSyscalls(['read']).syscalls.implied?.map((x) => x.name)).toEqual(['exit_group']);
  });

  it("threads that wait on each other (clone, futex): sched_yield, which node's threads make only as timing has it", () => {
    expect(withSyscalls(['clone3', 'futex', 'exit', 'exit_group']).syscalls.implied?.map((x) => x.name)).toEqual(['sched_yield']);
    expect(withSyscalls(['clone', 'exit', 'exit_group']).syscalls.implied).toBeUndefined(); // fork only: no waiting threads
  });

  it('nothing is implied when it was seen, or when nothing needs it (/bin/true installs no handler)', () => {
    const p = withSyscalls(['rt_sigaction', 'rt_sigreturn', 'clone', 'exit', 'exit_group']);
    expect(p.syscalls.implied).toBeUndefined();
    expect(withSyscalls(['read', 'exit_group']).syscalls.allow).not.toContain('rt_sigreturn');
  });

  it('a person who denied one seen by its own item keeps the denial', () => {
    const by = { by: 'person' as const, at: '2026-01-01T00:00:00.000Z' };
    const p = withSyscalls(['rt_sigaction', 'rt_sigreturn', 'exit_group'], { 'syscall:rt_sigreturn': { action: 'deny', errno: 'EPERM', ...by } });
    expect(p.syscalls.allow).not.toContain('rt_sigreturn');
    expect(p.syscalls.implied).toBeUndefined();
  });

  it('merged: still implied where neither policy saw it; no longer where one did', () => {
    const a = withSyscalls(['rt_sigaction', 'exit_group']);
    expect(mergePolicies(a, withSyscalls(['read', 'exit_group'])).syscalls.implied?.map((x) => x.name)).toEqual(['rt_sigreturn']);
    expect(mergePolicies(a, withSyscalls(['rt_sigreturn', 'exit_group'])).syscalls.implied).toBeUndefined();
  });
});

describe('mergePolicies', () => {
  it('is a union, and an allow in one wins over the default deny of the other', () => {
    const a = samplePolicy();
    const b = { ...samplePolicy(), syscalls: { ...a.syscalls, allow: ['getrandom'], deny: [] } };
    const m = mergePolicies(a, b);
    expect(m.syscalls.allow).toContain('getrandom');
    expect(m.syscalls.allow).toContain('openat');
    expect(m.syscalls.enosys).not.toContain('getrandom');
    expect(m.sources).toHaveLength(2);
  });
});
