/**
 * The policy linter: each rule fires on a policy that has the problem, and stays quiet on one that
 * does not; the comparison with Docker's default profile reports the numbers a reviewer reads.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { lintPolicy, lintRules, countFindings, formatFinding, type DockerBaseline, type Finding } from '../../src/model/lint.js';
import type { Policy } from '../../src/model/policy.js';
import { probeSyscalls, syscallByName } from '../../src/model/knowledge/syscalls.js';
import { loadDockerBaseline, dockerBaselineFile } from '../../src/commands/lint.js';
import { samplePolicy } from '../helpers/sample-policy.js';

let docker: DockerBaseline;
beforeAll(async () => {
  const b = await loadDockerBaseline();
  if (!b) throw new Error(`cannot load ${dockerBaselineFile}`);
  docker = b;
});

const everyday = ['read', 'write', 'openat', 'close', 'mmap', 'mprotect', 'munmap', 'brk', 'newfstatat', 'execve', 'exit', 'exit_group', 'rt_sigreturn', 'rt_sigaction', 'futex', 'socket', 'connect'];

/** A small policy with nothing wrong in it: the base every case below changes one thing of. */
function clean(): Policy {
  return {
    kind: 'whittle-policy',
    schemaVersion: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    generatedBy: 'test',
    arch: { native: 'x86_64', abis: ['x86_64'] },
    horizon: { kernel: '6.18.44', libseccomp: 456, syscall: 456 },
    workload: { argv: ['/usr/bin/app'] },
    syscalls: { allow: [...everyday], deny: [], enosys: probeSyscalls.filter((n) => !everyday.includes(n)), defaultErrno: 'EPERM' },
    paths: [
      { pattern: '/usr/bin/app', access: ['exec'], action: 'allow' },
      { pattern: '/usr/lib/x86_64-linux-gnu/**', access: ['read'], action: 'allow' },
      { pattern: '/tmp/app/out.txt', access: ['write', 'create'], action: 'allow' },
      { pattern: '/sys/fs/selinux', access: ['stat'], action: 'allow' },
      { pattern: '/proc/sys/kernel/hostname', access: ['read'], action: 'allow' },
    ],
    mounts: [{ op: 'mount', source: 'none', target: '/tmp/app/mnt', fstype: 'tmpfs', flags: 'MS_NOSUID' }],
    network: { allow: ['AF_UNIX', 'AF_INET'], deny: [] },
    capabilities: { allow: ['CAP_NET_BIND_SERVICE'], inferred: [] },
    undecided: { count: 0, treatedAs: 'deny' },
    sources: [{ snapshot: 's.json', createdAt: '2026-01-01T00:00:00.000Z', mechanism: 'ebpf' }],
    provenance: {},
  };
}

const lint = (p: Policy) => lintPolicy(p, { dockerBaseline: docker });
const serious = (fs: Finding[]) => fs.filter((f) => f.severity !== 'info');

describe('a clean policy', () => {
  it('has no errors or warnings, only the comparison with Docker', () => {
    const fs = lint(clean());
    expect(serious(fs)).toEqual([]);
    expect(fs.map((f) => f.rule)).toEqual(['docker-baseline']);
  });
});

type Case = { name: string; change: (p: Policy) => void; rule: string; item: string; severity: Finding['severity']; says?: RegExp };
const allow = (...names: string[]) => (p: Policy) => p.syscalls.allow.push(...names);
const path = (pattern: string, ...access: Policy['paths'][number]['access']) => (p: Policy) => p.paths.push({ pattern, access, action: 'allow' });
const drop = (name: string) => (p: Policy) => {
  p.syscalls.allow = p.syscalls.allow.filter((n) => n !== name);
};

const cases: Case[] = [
  // dangerous syscalls, with the table's risk note
  { name: 'ptrace allowed', change: allow('ptrace'), rule: 'dangerous-syscall', item: 'ptrace', severity: 'error', says: /critical risk: Attaching to other processes/ },
  { name: 'kexec_load allowed', change: allow('kexec_load'), rule: 'dangerous-syscall', item: 'kexec_load', severity: 'error', says: /Replaces the running kernel/ },
  { name: 'bpf allowed', change: allow('bpf'), rule: 'dangerous-syscall', item: 'bpf', severity: 'error' },
  { name: 'mount allowed', change: allow('mount'), rule: 'dangerous-syscall', item: 'mount', severity: 'error', says: /CAP_SYS_ADMIN/ },
  { name: 'init_module allowed', change: allow('init_module'), rule: 'dangerous-syscall', item: 'init_module', severity: 'error', says: /code in the kernel/ },
  { name: 'keyctl allowed', change: allow('keyctl'), rule: 'dangerous-syscall', item: 'keyctl', severity: 'warning', says: /high risk: Keyrings are not namespaced/ },
  { name: 'userfaultfd allowed', change: allow('userfaultfd'), rule: 'dangerous-syscall', item: 'userfaultfd', severity: 'warning' },
  { name: 'personality allowed', change: allow('personality'), rule: 'dangerous-syscall', item: 'personality', severity: 'warning', says: /ASLR/ },
  // sensitive paths
  { name: 'writing /proc/sysrq-trigger', change: path('/proc/sysrq-trigger', 'write'), rule: 'sensitive-path', item: '/proc/sysrq-trigger', severity: 'error', says: /^write allowed, critical risk: .*reboot/ },
  { name: 'writing under /sys/kernel/security', change: path('/sys/kernel/security/apparmor/.replace', 'write'), rule: 'sensitive-path', item: '/sys/kernel/security/apparmor/.replace', severity: 'error', says: /under \/sys\/kernel\/security/ },
  { name: 'writing /sys/kernel/debug', change: path('/sys/kernel/debug/x', 'write'), rule: 'sensitive-path', item: '/sys/kernel/debug/x', severity: 'error' },
  { name: 'registering a binfmt_misc interpreter', change: path('/proc/sys/fs/binfmt_misc/register', 'write'), rule: 'sensitive-path', item: '/proc/sys/fs/binfmt_misc/register', severity: 'error' },
  { name: 'writing /dev/mem', change: path('/dev/mem', 'read', 'write'), rule: 'sensitive-path', item: '/dev/mem', severity: 'error', says: /^read,write allowed/ },
  { name: 'reading /etc/shadow', change: path('/etc/shadow', 'read'), rule: 'sensitive-path', item: '/etc/shadow', severity: 'warning' },
  { name: 'reading /proc/self/mem (medium)', change: path('/proc/self/mem', 'read'), rule: 'sensitive-path', item: '/proc/self/mem', severity: 'info' },
  // globs over sensitive paths
  { name: 'a write glob over /proc', change: path('/proc/**', 'write'), rule: 'glob-covers-sensitive', item: '/proc/**', severity: 'error', says: /\/proc\/sysrq-trigger/ },
  { name: 'a read glob over /etc', change: path('/etc/*', 'read'), rule: 'glob-covers-sensitive', item: '/etc/*', severity: 'warning', says: /\/etc\/shadow/ },
  { name: 'a read glob over /sys/kernel', change: path('/sys/kernel/**', 'read'), rule: 'glob-covers-sensitive', item: '/sys/kernel/**', severity: 'warning', says: /\/sys\/kernel\/debug/ },
  // what every program needs
  { name: 'no exit_group', change: drop('exit_group'), rule: 'missing-essential', item: 'exit_group', severity: 'warning', says: /cannot even exit/ },
  { name: 'no exit', change: drop('exit'), rule: 'missing-essential', item: 'exit', severity: 'warning' },
  { name: 'rt_sigreturn denied', change: (p) => { drop('rt_sigreturn')(p); p.syscalls.deny.push({ name: 'rt_sigreturn', errno: 'EACCES' }); }, rule: 'missing-essential', item: 'rt_sigreturn', severity: 'warning', says: /^denied \(EACCES\): .*signal/ },
  // the errno policy
  { name: 'clone3 denied with EPERM', change: (p) => { p.syscalls.enosys = p.syscalls.enosys.filter((n) => n !== 'clone3'); p.syscalls.deny.push({ name: 'clone3', errno: 'EPERM' }); }, rule: 'probe-eperm', item: 'clone3', severity: 'warning', says: /denied with EPERM: .*fall back only on ENOSYS/ },
  { name: 'openat2 left to the default EPERM', change: (p) => { p.syscalls.enosys = p.syscalls.enosys.filter((n) => n !== 'openat2'); }, rule: 'probe-eperm', item: 'openat2', severity: 'warning', says: /falls to the default action \(EPERM\)/ },
  { name: 'statx denied with EACCES', change: (p) => { p.syscalls.enosys = p.syscalls.enosys.filter((n) => n !== 'statx'); p.syscalls.deny.push({ name: 'statx', errno: 'EACCES' }); }, rule: 'probe-eperm', item: 'statx', severity: 'warning' },
  // names
  { name: 'an unknown name (fstatat is glibc\'s, not the kernel\'s)', change: allow('fstatat'), rule: 'unknown-syscall', item: 'fstatat', severity: 'error', says: /newfstatat/ },
  { name: 'a name both allowed and denied', change: (p) => p.syscalls.deny.push({ name: 'read', errno: 'EIO' }), rule: 'conflicting-rule', item: 'read', severity: 'error' },
  // rules that change nothing
  { name: 'a deny rule with the default errno', change: (p) => p.syscalls.deny.push({ name: 'ptrace', errno: 'EPERM' }), rule: 'redundant-rule', item: 'ptrace', severity: 'info', says: /default action answers already/ },
  // capabilities
  { name: 'an inferred capability', change: (p) => p.capabilities.inferred.push('CAP_NET_BIND_SERVICE'), rule: 'inferred-capability', item: 'CAP_NET_BIND_SERVICE', severity: 'warning', says: /inferred/ },
  { name: 'CAP_SYS_ADMIN granted', change: (p) => p.capabilities.allow.push('CAP_SYS_ADMIN'), rule: 'dangerous-capability', item: 'CAP_SYS_ADMIN', severity: 'error' },
  // mounts
  { name: 'mounting a fresh proc', change: (p) => p.mounts.push({ op: 'mount', source: 'proc', target: '/tmp/app/proc', fstype: 'proc', flags: '' }), rule: 'risky-mount', item: 'mount proc proc → /tmp/app/proc', severity: 'warning', says: /sysrq-trigger/ },
  { name: 'binding the host root', change: (p) => p.mounts.push({ op: 'bind', source: '/', target: '/tmp/app/host', fstype: '', flags: 'MS_BIND' }), rule: 'risky-mount', item: 'bind / → /tmp/app/host', severity: 'error', says: /whole host filesystem/ },
  { name: 'a new user namespace', change: (p) => p.mounts.push({ op: 'unshare', source: '', target: '', fstype: '', flags: 'CLONE_NEWUSER|CLONE_NEWNS' }), rule: 'risky-mount', item: 'unshare CLONE_NEWUSER|CLONE_NEWNS', severity: 'warning' },
  // sockets
  { name: 'AF_PACKET allowed', change: (p) => p.network.allow.push('AF_PACKET'), rule: 'raw-socket', item: 'AF_PACKET', severity: 'warning', says: /sniff and forge/ },
  { name: 'CAP_NET_RAW granted', change: (p) => p.capabilities.allow.push('CAP_NET_RAW'), rule: 'raw-socket', item: 'CAP_NET_RAW', severity: 'warning' },
  { name: 'AF_VSOCK allowed', change: (p) => p.network.allow.push('AF_VSOCK'), rule: 'risky-family', item: 'AF_VSOCK', severity: 'warning' },
  // ABI
  { name: 'the i386 ABI allowed', change: (p) => p.arch.abis.push('x86'), rule: 'i386-abi', item: 'x86', severity: 'warning', says: /int 0x80/ },
  // names made up each run
  { name: "gcc's temp file created and allowed as it was", change: path('/tmp/ccAbCdEf.s', 'create', 'write', 'read'), rule: 'made-up-name', item: '/tmp/ccAbCdEf.s', severity: 'warning', says: /widen it to \/tmp\/cc\*\.s \(g in whittle review, or whittle decide SNAPSHOT --glob '\/tmp\/cc\*\.s'\)/ },
  {
    name: 'a mktemp directory with files in it: said once, for the directory',
    change: (p) => { path('/tmp/app/wk.Xy12Ab', 'create')(p); path('/tmp/app/wk.Xy12Ab/out.txt', 'create', 'write')(p); },
    rule: 'made-up-name', item: '/tmp/app/wk.Xy12Ab', severity: 'warning', says: /widen it to \/tmp\/app\/wk\.\*\/\*\*/,
  },
  // implied
  {
    name: 'a syscall allowed though never seen (a signal handler returns with rt_sigreturn)',
    change: (p) => (p.syscalls.implied = [{ name: 'rt_sigreturn', because: 'the workload installs signal handlers' }]),
    rule: 'implied-syscall', item: 'rt_sigreturn', severity: 'info', says: /^allowed though never seen while learning: the workload installs signal handlers/,
  },
  // undecided
  { name: 'undecided items accepted', change: (p) => (p.undecided = { count: 7, treatedAs: 'accept' }), rule: 'undecided-accepted', item: 'policy', severity: 'warning', says: /^7 undecided/ },
];

describe('each rule fires on a policy that has the problem, and not on the clean one', () => {
  it.each(cases)('$name → $severity $rule $item', (c) => {
    expect(lint(clean()).filter((f) => f.rule === c.rule)).toEqual([]);
    const p = clean();
    c.change(p);
    const hit = lint(p).filter((f) => f.rule === c.rule && f.item === c.item);
    expect(hit, JSON.stringify(lint(p), null, 1)).toHaveLength(1);
    expect(hit[0]!.severity).toBe(c.severity);
    if (c.says) expect(hit[0]!.message).toMatch(c.says);
    expect(hit[0]!.message).not.toMatch(/\n/);
  });

  it('an implied syscall a person edited out of the allow set is not said to be allowed', () => {
    const p = clean();
    p.syscalls.implied = [{ name: 'rt_sigreturn', because: 'handlers' }, { name: 'sched_yield', because: 'threads' }];
    expect(lint(p).filter((f) => f.rule === 'implied-syscall').map((f) => f.item)).toEqual(['rt_sigreturn']);
  });

  it('a made-up directory is named once, not again for each file made in it', () => {
    const p = clean();
    for (const f of ['', '/a.txt', '/sub', '/sub/b.txt']) path(`/tmp/app/wk.Xy12Ab${f}`, 'create', 'write')(p);
    expect(lint(p).filter((f) => f.rule === 'made-up-name').map((f) => f.item)).toEqual(['/tmp/app/wk.Xy12Ab']);
  });

  it("sort's many temp files, all made the same way: one warning for the one pattern, with how many", () => {
    const p = clean();
    for (const n of ['sort5vLZke', 'sortb57d6J', 'sortD7Yr57']) path(`/tmp/app/${n}`, 'create', 'write', 'read', 'remove')(p);
    path('/tmp/ccAbCdEf.s', 'create', 'write')(p);
    const made = lint(p).filter((f) => f.rule === 'made-up-name');
    expect(made.map((f) => f.message.match(/widen it to (\S+)/)![1])).toEqual(['/tmp/cc*.s', '/tmp/app/sort*']);
    expect(made[1]!.message).toMatch(/^created \(and 2 more like it\) with a name/);
    expect(made[0]!.message).toMatch(/^created with a name/);
  });

  it('every rule in the table is exercised above (plus the two Docker ones below)', () => {
    const exercised = new Set([...cases.map((c) => c.rule), 'broad-allowlist', 'docker-baseline']);
    expect(Object.keys(lintRules).filter((r) => !exercised.has(r))).toEqual([]);
  });
});

describe('what does not fire', () => {
  it.each<[string, (p: Policy) => void]>([
    ['a probe syscall answered ENOSYS by a person', (p) => { p.syscalls.enosys = p.syscalls.enosys.filter((n) => n !== 'clone3'); p.syscalls.deny.push({ name: 'clone3', errno: 'ENOSYS' }); }],
    ['a deny rule with an errno other than the default', (p) => p.syscalls.deny.push({ name: 'ptrace', errno: 'EACCES' })],
    ['stat of a sensitive path (metadata only)', path('/etc/shadow', 'stat')],
    ['reading a path only writing of which is sensitive', path('/proc/sys/kernel/core_pattern', 'read')],
    ['a read glob over a tree whose sensitive parts are write-only', path('/usr/lib/**', 'read')],
    ['a write glob over a harmless tree', path('/tmp/app/**', 'write', 'create')],
    ['a PATH search miss under a sensitive directory (it did not exist)', (p) => p.paths.push({ pattern: '/root/.cargo/bin/bash', access: ['exec'], action: 'allow', absent: true })],
    ['a made-up name already covered by a glob', (p) => { path('/tmp/cc*.s', 'create', 'write')(p); path('/tmp/ccAbCdEf.s', 'create', 'write')(p); }],
    ['a made-up-looking name only read (a file that stays)', path('/var/cache/app/0123abcd4567ef89.json', 'read')],
    ['a created file with a version in its name', path('/tmp/app/libfoo.so.6', 'create', 'write')],
    ['a tmpfs mount on a scratch directory', (p) => p.mounts.push({ op: 'mount', source: 'none', target: '/tmp/x', fstype: 'tmpfs', flags: '' })],
    ['an i386-only probe syscall left out of an x86_64-only policy', (p) => { p.syscalls.enosys = p.syscalls.enosys.filter((n) => n !== 'futex_time64'); }],
    ['a probe syscall newer than the horizon (answered ENOSYS by the errno policy)', (p) => { p.horizon.syscall = 440; p.syscalls.enosys = p.syscalls.enosys.filter((n) => n !== 'futex_waitv'); }],
  ])('%s', (_name, change) => {
    const p = clean();
    change(p);
    expect(serious(lint(p))).toEqual([]);
  });
});

describe("compared with Docker's default profile", () => {
  const x64 = () => docker.x86_64Default.names.filter((n) => syscallByName(n)!.x86_64 !== null);

  it('reports how many of Docker\'s syscalls the policy allows, and which ones beyond', () => {
    const p = clean();
    p.syscalls.allow.push('mount', 'unshare');
    const f = lint(p).find((x) => x.rule === 'docker-baseline')!;
    expect(f.severity).toBe('info');
    expect(f.message).toBe("allows 17 of the 309 syscalls Docker's default profile allows on x86_64 (5.5%), plus 2 it blocks (mount, unshare)");
  });

  it('allowing everything Docker allows is a warning with the numbers', () => {
    const p = clean();
    p.syscalls.allow = x64();
    const f = lint(p).find((x) => x.rule === 'broad-allowlist')!;
    expect(f).toMatchObject({ severity: 'warning', item: 'syscalls' });
    expect(f.message).toBe("allows 309 of the 309 syscalls Docker's default profile allows on x86_64 (100%): hardly tighter than Docker's default");
    expect(lint(p).find((x) => x.rule === 'docker-baseline')).toBeUndefined();
  });

  it('90% of Docker\'s set is the line: 279 of 309 is hardly tighter, 278 is not', () => {
    const essentials = ['exit', 'exit_group', 'rt_sigreturn'];
    const rest = x64().filter((n) => !essentials.includes(n));
    const allowing = (n: number) => {
      const p = clean();
      p.syscalls.allow = [...essentials, ...rest.slice(0, n - essentials.length)];
      return lint(p);
    };
    expect(allowing(279).find((x) => x.rule === 'broad-allowlist')?.message).toMatch(/^allows 279 of the 309 .* \(90\.2%\): hardly tighter/);
    expect(allowing(278).find((x) => x.rule === 'broad-allowlist')).toBeUndefined();
    expect(allowing(278).find((x) => x.rule === 'docker-baseline')?.message).toMatch(/^allows 278 of the 309 .* \(89\.9%\)$/);
  });

  it('more syscalls than Docker allows in all is a warning too', () => {
    const p = clean();
    p.syscalls.allow = [...x64(), 'mount', 'bpf'];
    const f = lint(p).find((x) => x.rule === 'broad-allowlist')!;
    expect(f.message).toBe("allows 309 of the 309 syscalls Docker's default profile allows on x86_64 (100%), plus 2 it blocks (bpf, mount): 311 allowed in all, more than Docker's default");
  });

  it('with the i386 ABI, Docker\'s i386 names count too (367 in all)', () => {
    const p = clean();
    p.arch.abis = ['x86_64', 'x86'];
    expect(lint(p).find((x) => x.rule === 'docker-baseline')!.message).toMatch(/^allows 17 of the 367 syscalls Docker's default profile allows on x86_64\+x86 /);
  });

  it('no baseline, no comparison', () => {
    expect(lintPolicy(clean()).map((f) => f.rule)).toEqual([]);
  });
});

describe('the Docker baseline (profiles/baselines/docker-default.json)', () => {
  it('says where it came from', () => {
    expect(docker.source).toMatchObject({ release: 'github.com/moby/profiles/seccomp v0.2.3', commit: expect.stringMatching(/^[0-9a-f]{40}$/) });
  });

  it('holds 367 names for a default docker run on x86_64: 309 on the x86_64 ABI, 359 on i386', () => {
    const names = docker.x86_64Default.names;
    expect(names).toHaveLength(367);
    expect(new Set(names).size).toBe(367);
    expect(names.filter((n) => syscallByName(n)?.x86_64 != null)).toHaveLength(309);
    expect(names.filter((n) => syscallByName(n)?.x86 != null)).toHaveLength(359);
    expect(names.filter((n) => !syscallByName(n))).toEqual([]);
  });

  it('allows the everyday and the argument-conditional calls, not the admin ones', () => {
    const names = new Set(docker.x86_64Default.names);
    for (const n of ['read', 'openat', 'exit_group', 'socket', 'clone', 'personality', 'ptrace', 'chroot', 'arch_prctl', 'statx', 'openat2']) expect(names, n).toContain(n);
    for (const n of ['mount', 'umount2', 'unshare', 'setns', 'bpf', 'kexec_load', 'init_module', 'clone3', 'keyctl', 'add_key', 'open_by_handle_at', 'reboot']) expect(names, n).not.toContain(n);
  });

  it('notes the conditions (clone without namespace flags, personality values, socket families)', async () => {
    const raw = JSON.parse((await import('node:fs')).readFileSync(dockerBaselineFile, 'utf8')) as {
      unconditional: { count: number };
      conditional: { rules: Array<{ name: string; kind: string; when: string; x86_64Default: boolean }> };
    };
    expect(raw.unconditional.count).toBe(361);
    const when = (name: string, kind: string) => raw.conditional.rules.find((r) => r.name === name && r.kind === kind)?.when;
    expect(when('clone', 'argument')).toMatch(/CLONE_NEWUSER/);
    expect(when('personality', 'argument')).toMatch(/PER_LINUX/);
    expect(when('socket', 'argument')).toMatch(/AF_ALG \(38\) and AF_VSOCK \(40\)/);
    expect(when('clone3', 'errno')).toMatch(/ENOSYS/);
  });
});

describe('the sample policy of the exporter tests', () => {
  it('accepts mount (an error), and denies ptrace with the default EPERM (redundant)', () => {
    const fs = lint(samplePolicy());
    expect(fs).toContainEqual(expect.objectContaining({ severity: 'error', rule: 'dangerous-syscall', item: 'mount' }));
    expect(fs).toContainEqual(expect.objectContaining({ severity: 'info', rule: 'redundant-rule', item: 'ptrace' }));
    expect(fs.find((f) => f.rule === 'dangerous-syscall' && f.item === 'ptrace')).toBeUndefined();
  });

  it('lists errors first, then warnings, then information, one line each', () => {
    const p = clean();
    p.syscalls.allow.push('ptrace', 'personality');
    p.syscalls.deny.push({ name: 'kill', errno: 'EPERM' });
    const fs = lint(p);
    const order = fs.map((f) => f.severity);
    expect(order).toEqual([...order].sort((a, b) => ['error', 'warning', 'info'].indexOf(a) - ['error', 'warning', 'info'].indexOf(b)));
    expect(countFindings(fs)).toEqual({ error: 1, warning: 1, info: 2 });
    expect(formatFinding(fs[0]!)).toMatch(/^error dangerous-syscall ptrace: allowed, critical risk: /);
  });
});
