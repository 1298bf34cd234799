/**
 * oci exporter: the linux.seccomp object for runc and crun. A golden file of the sample policy,
 * and tables of what real runtimes depend on (test/integration/export-oci.test.ts runs the same
 * shapes under runc 1.1.5 and crun 1.8.1): the default answer, ENOSYS for probes, the socket
 * family rules in the one shape libseccomp takes, the runtime layer as its own rule, and what
 * cannot be expressed.
 */
import { describe, expect, it } from 'vitest';
import { ociExporter, type OciSeccomp } from '../../src/export/oci.js';
import type { RenderContext } from '../../src/export/types.js';
import { runtimeLayers } from '../../src/model/knowledge/runtime-layers.js';
import { syscallByName, syscallTable } from '../../src/model/knowledge/syscalls.js';
import type { Policy } from '../../src/model/policy.js';
import { samplePolicy } from '../helpers/sample-policy.js';
import { golden } from '../helpers/golden.js';


const text = (c: string | Uint8Array) => (typeof c === 'string' ? c : Buffer.from(c).toString('utf8'));
type Rule = OciSeccomp['syscalls'][number];

function render(p: Policy, ctx: Partial<RenderContext> = {}) {
  const r = ociExporter.render(p, { name: 'app', ...ctx });
  expect(r.artifacts).toHaveLength(1);
  expect(r.artifacts[0]!.suffix).toBeNull();
  const j = JSON.parse(text(r.artifacts[0]!.content)) as OciSeccomp;
  const items = r.unexpressed.map((u) => u.item);
  return { j, r, items };
}

const rulesFor = (j: OciSeccomp, name: string): Rule[] => j.syscalls.filter((s) => s.names.includes(name));
const unconditionalAllow = (j: OciSeccomp): string[] => j.syscalls.filter((s) => s.action === 'SCMP_ACT_ALLOW' && !s.args && !s.comment).flatMap((s) => s.names);

describe('oci exporter: the sample policy', () => {
  const p = samplePolicy();

  it('renders the golden profile (no runtime layer, so a new measurement does not churn it)', () => {
    golden('oci', 'sample.oci.json', text(render(p).r.artifacts[0]!.content));
  });

  it('says where it goes', () => {
    expect(ociExporter.defaultName({ name: 'app' })).toBe('app.oci-seccomp.json');
    expect(ociExporter.runtimeLayer).toBe(true);
    expect(render(p).r.artifacts[0]!.description).toContain('"linux"');
  });
});

describe('oci exporter: the errno policy', () => {
  const p = samplePolicy();
  const { j } = render(p);

  it('answers ENOSYS by default, so syscalls newer than the horizon (unnameable) fall back', () => {
    expect(j.defaultAction).toBe('SCMP_ACT_ERRNO');
    expect(j.defaultErrnoRet).toBe(38);
  });

  it('lists every other known syscall up to the horizon with EPERM (the policy default errno)', () => {
    const known = j.syscalls.find((s) => s.comment?.startsWith('known syscalls'))!;
    expect(known.action).toBe('SCMP_ACT_ERRNO');
    expect(known.errnoRet).toBe(1);
    expect(known.names).toEqual(expect.arrayContaining(['personality', 'kexec_load', 'uname', 'unshare']));
    // nothing allowed, denied or probed is in it, and nothing above the horizon
    for (const n of [...p.syscalls.allow, ...p.syscalls.deny.map((d) => d.name), ...p.syscalls.enosys]) expect(known.names).not.toContain(n);
    for (const n of known.names) expect(syscallByName(n)!.x86_64!).toBeLessThanOrEqual(p.horizon.syscall);
    // every known x86_64 syscall up to the horizon has exactly one unconditional answer, or socket's conditions
    const answered = new Set(j.syscalls.flatMap((s) => s.names));
    for (const s of syscallTable) if (s.x86_64 !== null && s.x86_64 <= p.horizon.syscall) expect(answered.has(s.name), s.name).toBe(true);
  });

  it.each([
    ['ptrace', 1, 'a person denied it (EPERM)'],
    ['futex', 38, 'a person denied it with ENOSYS'],
    ['clone3', 38, 'probe, never seen'],
    ['openat2', 38, 'probe, never seen'],
    ['faccessat2', 38, 'probe, never seen'],
    ['close_range', 38, 'probe, never seen'],
  ])('%s answers errno %i (%s)', (name, errno) => {
    const rules = rulesFor(j, name);
    expect(rules).toHaveLength(1);
    expect(rules[0]!.action).toBe('SCMP_ACT_ERRNO');
    expect(rules[0]!.errnoRet).toBe(errno);
  });

  it('allows what the workload did, unconditionally, except socket', () => {
    const allow = unconditionalAllow(j);
    expect(allow).toEqual([...p.syscalls.allow].filter((n) => n !== 'socket').sort());
    expect(allow).not.toContain('ptrace');
  });

  it('names only real syscalls (runc and crun skip an unknown name silently)', () => {
    for (const s of j.syscalls) for (const n of s.names) expect(syscallByName(n), n).toBeDefined();
  });

  it('lists the i386 ABI only when the workload used it, and says what that costs', () => {
    expect(j.architectures).toEqual(['SCMP_ARCH_X86_64', 'SCMP_ARCH_X32']);
    expect(render(p).items).toContain('i386 syscalls (int 0x80): the workload made none');
    const i386: Policy = { ...p, arch: { native: 'x86_64', abis: ['x86_64', 'x86'] } };
    const r = render(i386);
    expect(r.j.architectures).toEqual(['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']);
    expect(r.items).not.toContain('i386 syscalls (int 0x80): the workload made none');
    // i386-only names are listed only then (libseccomp has no such syscall on the other ABIs)
    expect(j.syscalls.flatMap((s) => s.names)).not.toContain('socketcall');
    expect(r.j.syscalls.flatMap((s) => s.names)).toContain('socketcall');
  });
});

describe('oci exporter: socket families', () => {
  const p = samplePolicy(); // AF_INET (2) and AF_UNIX (1)
  const { j } = render(p);
  const socket = rulesFor(j, 'socket');
  const cond = (r: Rule) => r.args!.map((a) => `${a.op} ${a.value}`).join(' & ');

  it('allows socket only for the accepted families, one rule each', () => {
    expect(socket.filter((r) => r.action === 'SCMP_ACT_ALLOW').map(cond)).toEqual(['SCMP_CMP_EQ 1', 'SCMP_CMP_EQ 2']);
  });

  it('answers EAFNOSUPPORT for every other family: each value below the largest, and above it', () => {
    const errno = socket.filter((r) => r.action === 'SCMP_ACT_ERRNO');
    expect(errno.every((r) => r.errnoRet === 97)).toBe(true);
    expect(errno.map(cond)).toEqual(['SCMP_CMP_EQ 0', 'SCMP_CMP_GT 2']);
  });

  it('compares an argument at most once per rule (runc splits such a rule into an OR, libseccomp refuses it)', () => {
    for (const r of j.syscalls) {
      const idx = (r.args ?? []).map((a) => a.index);
      expect(new Set(idx).size).toBe(idx.length);
    }
  });

  it('fills the gaps between families that are far apart', () => {
    const wide: Policy = { ...p, network: { allow: ['AF_UNIX', 'AF_INET6', 'AF_NETLINK'], deny: [] } };
    const errno = rulesFor(render(wide).j, 'socket').filter((r) => r.action === 'SCMP_ACT_ERRNO');
    const eq = errno.filter((r) => r.args![0]!.op === 'SCMP_CMP_EQ').map((r) => r.args![0]!.value);
    expect(eq).toEqual([0, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15]);
    expect(errno.filter((r) => r.args![0]!.op === 'SCMP_CMP_GT').map((r) => r.args![0]!.value)).toEqual([16]);
  });

  it('every family denied: socket answers EAFNOSUPPORT outright', () => {
    const none: Policy = { ...p, network: { allow: [], deny: ['AF_INET', 'AF_UNIX'] } };
    expect(rulesFor(render(none).j, 'socket')).toEqual([{ names: ['socket'], action: 'SCMP_ACT_ERRNO', errnoRet: 97 }]);
  });

  it('no family known: socket stays allowed as learned', () => {
    const unknown: Policy = { ...p, network: { allow: [], deny: [] } };
    const rules = rulesFor(render(unknown).j, 'socket');
    expect(rules).toHaveLength(1);
    expect(rules[0]!.action).toBe('SCMP_ACT_ALLOW');
    expect(rules[0]!.args).toBeUndefined();
  });

  it('with the i386 ABI: only the ALLOW rules (libseccomp cannot mix actions there), and it says so', () => {
    const i386: Policy = { ...p, arch: { native: 'x86_64', abis: ['x86_64', 'x86'] } };
    const r = render(i386);
    expect(rulesFor(r.j, 'socket').map((x) => x.action)).toEqual(['SCMP_ACT_ALLOW', 'SCMP_ACT_ALLOW']);
    expect(r.items.some((i) => i.startsWith('EAFNOSUPPORT for socket families'))).toBe(true);
    expect(r.items).toContain('socketcall on i386');
  });
});

describe('oci exporter: the runtime layer', () => {
  const p = samplePolicy();

  it.each(['runc', 'crun'] as const)('adds the %s layer as its own rule, without the names the workload has', (runtime) => {
    const { j } = render(p, { runtime });
    const layer = j.syscalls.filter((s) => s.comment === 'the container runtime itself');
    expect(layer).toHaveLength(1);
    expect(layer[0]!.action).toBe('SCMP_ACT_ALLOW');
    expect(layer[0]!.args).toBeUndefined();
    const app = new Set(p.syscalls.allow);
    expect(layer[0]!.names).toEqual(runtimeLayers[runtime].syscalls.filter((n) => !app.has(n)).sort());
    // the layer's names leave the EPERM list
    const known = j.syscalls.find((s) => s.comment?.startsWith('known syscalls'))!;
    for (const n of layer[0]!.names) expect(known.names).not.toContain(n);
  });

  it('no runtime, no layer rule', () => {
    expect(render(p).j.syscalls.some((s) => s.comment === 'the container runtime itself')).toBe(false);
  });

  it("a person's denial that the runtime needs is reported as unexpressed, and allowed", () => {
    const denyExecve: Policy = {
      ...p,
      syscalls: { ...p.syscalls, allow: p.syscalls.allow.filter((n) => n !== 'execve'), deny: [...p.syscalls.deny, { name: 'execve', errno: 'EACCES' }] },
    };
    for (const runtime of ['runc', 'crun'] as const) {
      const { j, r } = render(denyExecve, { runtime });
      const u = r.unexpressed.find((x) => x.item === 'deny execve');
      expect(u?.reason).toContain(runtime);
      expect(rulesFor(j, 'execve').map((x) => x.action)).toEqual(['SCMP_ACT_ALLOW']);
    }
    // without a runtime the denial is expressed
    expect(rulesFor(render(denyExecve).j, 'execve')).toEqual([{ names: ['execve'], action: 'SCMP_ACT_ERRNO', errnoRet: 13 }]);
  });

  it('a probe the runtime makes itself is allowed instead of ENOSYS, and said', () => {
    expect(runtimeLayers.runc.syscalls).toContain('faccessat2');
    const { j, items } = render(p, { runtime: 'runc' });
    expect(rulesFor(j, 'faccessat2').map((x) => x.action)).toEqual(['SCMP_ACT_ALLOW']);
    expect(items).toContain('probe faccessat2 (ENOSYS)');
    // crun does not make it: ENOSYS as for any probe
    expect(rulesFor(render(p, { runtime: 'crun' }).j, 'faccessat2')[0]!.errnoRet).toBe(38);
  });
});

describe('oci exporter: what it cannot express', () => {
  const p = samplePolicy();
  const { r, items } = render(p);

  it('paths, mounts and capabilities, item by item, each with a reason', () => {
    for (const rule of p.paths) expect(items).toContain(`${rule.action} ${rule.access.join(',')} ${rule.pattern}`);
    expect(items.filter((i) => i.startsWith('mount '))).toHaveLength(p.mounts.length);
    for (const c of p.capabilities.allow) expect(items).toContain(`capability ${c}`);
    expect(r.unexpressed.every((u) => u.reason.length > 0)).toBe(true);
  });

  it('a denial newer than the horizon (its name is unknown to the runtime, which skips it)', () => {
    const mseal: Policy = { ...p, syscalls: { ...p.syscalls, deny: [...p.syscalls.deny, { name: 'mseal', errno: 'EPERM' }] } };
    expect(syscallByName('mseal')!.x86_64!).toBeGreaterThan(p.horizon.syscall);
    expect(render(mseal).items).toContain('deny mseal (EPERM)');
  });
});
