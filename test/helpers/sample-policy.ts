/**
 * A fixed, hand-made policy for golden-file tests of the exporters: one of each kind of rule
 * (allowed, denied with an errno, probe syscalls answered ENOSYS, a glob, a denied sensitive
 * path, a mount, two socket families, a capability), built through the real buildPolicy.
 */
import { buildPolicy, type Policy } from '../../src/model/policy.js';
import type { Observed } from '../../src/model/observations.js';
import type { Decisions } from '../../src/model/decisions.js';
import type { Exporter } from '../../src/export/types.js';

const first = (t: number, syscall?: string) => ({ t, pid: 100, exe: '/usr/bin/app', ...(syscall ? { syscall } : {}) });

export const sampleObserved: Observed = {
  syscalls: ['read', 'write', 'openat', 'close', 'mmap', 'mprotect', 'brk', 'newfstatat', 'execve', 'exit_group', 'rt_sigreturn', 'socket', 'connect', 'bind', 'mount', 'ptrace', 'futex'].map(
    (name, i) => ({ name, arch: 'x86_64' as const, nr: i, count: 10 + i, first: first(i / 100) }),
  ),
  paths: [
    { path: '/usr/bin/app', access: 'exec', result: 'ok', count: 1, first: first(0, 'execve') },
    { path: '/etc/hostname', access: 'read', result: 'ok', count: 2, first: first(0.1, 'openat') },
    { path: '/usr/lib/x86_64-linux-gnu/libc.so.6', access: 'read', result: 'ok', count: 1, first: first(0.01, 'openat') },
    { path: '/usr/lib/x86_64-linux-gnu/libm.so.6', access: 'read', result: 'ok', count: 1, first: first(0.02, 'openat') },
    { path: '/tmp/app/out.txt', access: 'write', result: 'ok', count: 3, first: first(0.2, 'openat') },
    { path: '/tmp/app/out.txt', access: 'create', result: 'ok', count: 1, first: first(0.2, 'openat') },
    { path: '/etc/shadow', access: 'read', result: 'EACCES', count: 1, first: first(0.3, 'openat') },
    { path: '/tmp/app/mnt', access: 'mount-target', result: 'ok', count: 1, first: first(0.4, 'mount') },
  ],
  execs: [{ path: '/usr/bin/app', argv0: 'app', result: 'ok', count: 1, first: first(0, 'execve') }],
  mounts: [{ op: 'mount', source: 'none', target: '/tmp/app/mnt', fstype: 'tmpfs', flags: 'MS_NOSUID|MS_NODEV', result: 'ok', count: 1, first: first(0.4, 'mount') }],
  network: [
    { family: 'AF_INET', type: 'SOCK_STREAM', op: 'socket', port: null, result: 'ok', count: 1, first: first(0.5, 'socket') },
    { family: 'AF_INET', type: null, op: 'connect', port: 443, addr: '127.0.0.1', result: 'ok', count: 1, first: first(0.5, 'connect') },
    { family: 'AF_UNIX', type: 'SOCK_STREAM', op: 'socket', port: null, result: 'ok', count: 1, first: first(0.6, 'socket') },
  ],
  capabilities: [
    { name: 'CAP_NET_BIND_SERVICE', syscall: 'bind', granted: true, class: 'required', inferred: false, count: 1, first: first(0.7, 'bind') },
    { name: 'CAP_SYS_ADMIN', syscall: 'mount', granted: true, class: 'required', inferred: false, count: 1, first: first(0.4, 'mount') },
    { name: 'CAP_SYS_ADMIN', syscall: 'mmap', granted: true, class: 'advisory', inferred: false, count: 40, first: first(0.01, 'mmap') },
  ],
};

const by = { by: 'person' as const, at: '2026-01-01T00:00:00.000Z' };
export const sampleDecisions: Decisions = {
  'syscall:ptrace': { action: 'deny', errno: 'EPERM', ...by },
  'syscall:futex': { action: 'deny', errno: 'ENOSYS', ...by },
  'path:read:/usr/lib/x86_64-linux-gnu/libc.so.6': { action: 'glob', pattern: '/usr/lib/x86_64-linux-gnu/**', access: 'read', ...by },
  'path:read:/etc/shadow': { action: 'deny', errno: 'EACCES', ...by },
  'cap:CAP_SYS_ADMIN': { action: 'deny', errno: 'EPERM', ...by },
};

/** The sample policy: every other item accepted (as `whittle decide --auto accept` would). */
export function samplePolicy(): Policy {
  return buildPolicy(
    {
      observed: sampleObserved,
      decisions: sampleDecisions,
      argv: ['/usr/bin/app', '--serve'],
      snapshot: 'snapshots/app.json',
      createdAt: '2026-01-01T00:00:00.000Z',
      mechanism: 'ebpf',
      kernel: '6.18.44',
      libseccompHorizon: 456,
      now: '2026-01-01T00:00:00.000Z',
      generatedBy: 'whittle test',
    },
    { undecided: 'accept' },
  );
}

/** The sample policy with an edit made to a fresh copy. */
export function samplePolicyWith(edit: (p: Policy) => void): Policy {
  const p = structuredClone(samplePolicy());
  edit(p);
  return p;
}

/** A text exporter's main artifact for a policy (named "app"): its text and lines, and what it could not express. */
export function renderMain(ex: Pick<Exporter, 'render'>, p: Policy) {
  const r = ex.render(p, { name: 'app' });
  const text = r.artifacts[0]!.content as string;
  return { text, lines: text.split('\n').slice(0, -1), unexpressed: r.unexpressed, items: r.unexpressed.map((u) => u.item) };
}
