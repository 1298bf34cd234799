/**
 * The syscall part of a policy as seccomp rules, for the formats that are seccomp profiles
 * (oci, docker, podman, spo, lxc, minijail, systemd): allowed names, errno rules, and the socket
 * family restriction as argument conditions. Shared by those renderers; pure.
 */
import type { Policy } from '../model/policy.js';
import { errnoByName } from '../model/knowledge/errnos.js';
import { familyByName } from '../model/knowledge/families.js';
import { syscallByName } from '../model/knowledge/syscalls.js';
import { runtimeLayers } from '../model/knowledge/runtime-layers.js';
import type { RenderContext, Unexpressed } from './types.js';

export interface ArgCondition {
  index: number;
  op: 'SCMP_CMP_EQ' | 'SCMP_CMP_NE';
  value: number;
}

export interface ConditionalRule {
  name: string;
  action: 'allow' | 'errno';
  errno?: number;
  /** All must hold (AND). */
  args: ArgCondition[];
}

export interface SeccompRules {
  /** EPERM: what every known syscall not listed returns. */
  defaultErrno: number;
  /** libseccomp architecture names the profile covers. */
  architectures: string[];
  /** Allowed unconditionally: the application's own, sorted. */
  allow: string[];
  /** Allowed for the runtime only (not in the application's set). */
  runtimeLayer: string[];
  /** Errno rules, grouped by errno value. */
  errno: Array<{ errno: number; names: string[] }>;
  conditional: ConditionalRule[];
}

export function errnoNumber(name: string): number {
  const e = errnoByName(name);
  if (!e) throw new Error(`unknown errno ${name}`);
  return e.number;
}

/** Families a socket() may create, as argument conditions; undefined when not restricted. */
function familyConditions(p: Policy): { allowFamilies: number[] } | undefined {
  if (!p.syscalls.allow.includes('socket')) return undefined;
  const nums = p.network.allow.map((f) => familyByName(f)?.number).filter((n): n is number => n !== undefined);
  return { allowFamilies: [...new Set(nums)].sort((a, b) => a - b) };
}

/**
 * The seccomp rules of a policy. With a runtime in the context, that runtime's own syscalls are
 * added as a separate layer.
 */
export function seccompRules(p: Policy, ctx: RenderContext): { rules: SeccompRules; unexpressed: Unexpressed[] } {
  const unexpressed: Unexpressed[] = [];
  const allow = new Set(p.syscalls.allow);
  const layer: string[] = [];
  if (ctx.runtime) {
    for (const n of runtimeLayers[ctx.runtime].syscalls) if (!allow.has(n) && syscallByName(n)) layer.push(n);
  }
  const byErrno = new Map<number, string[]>();
  const addErrno = (name: string, errno: number) => byErrno.set(errno, [...(byErrno.get(errno) ?? []), name]);
  for (const d of p.syscalls.deny) {
    if (layer.includes(d.name)) {
      unexpressed.push({ item: `deny ${d.name}`, reason: `${ctx.runtime} itself needs ${d.name} to start the container: the profile allows it` });
      continue;
    }
    addErrno(d.name, errnoNumber(d.errno));
  }
  const enosys = errnoNumber('ENOSYS');
  for (const n of p.syscalls.enosys) if (!layer.includes(n)) addErrno(n, enosys);

  const conditional: ConditionalRule[] = [];
  const fam = familyConditions(p);
  if (fam && fam.allowFamilies.length > 0) {
    allow.delete('socket');
    for (const f of fam.allowFamilies) conditional.push({ name: 'socket', action: 'allow', args: [{ index: 0, op: 'SCMP_CMP_EQ', value: f }] });
    conditional.push({
      name: 'socket',
      action: 'errno',
      errno: errnoNumber('EAFNOSUPPORT'),
      args: fam.allowFamilies.map((f) => ({ index: 0, op: 'SCMP_CMP_NE' as const, value: f })),
    });
    if (p.arch.abis.includes('x86') && p.syscalls.allow.includes('socketcall')) {
      unexpressed.push({ item: 'network families via socketcall (i386)', reason: "socketcall's arguments are in memory, which seccomp cannot read: families are not restricted there" });
    }
  }
  const architectures = ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32'];
  return {
    rules: {
      defaultErrno: errnoNumber(p.syscalls.defaultErrno),
      architectures,
      allow: [...allow].sort(),
      runtimeLayer: layer.sort(),
      errno: [...byErrno].map(([errno, names]) => ({ errno, names: names.sort() })).sort((a, b) => a.errno - b.errno),
      conditional,
    },
    unexpressed,
  };
}

/** What a seccomp-only format cannot say about a policy: paths, mounts' targets, capabilities. */
export function seccompOnlyUnexpressed(p: Policy, format: string): Unexpressed[] {
  const out: Unexpressed[] = [];
  for (const r of p.paths) out.push({ item: `${r.action} ${r.access.join(',')} ${r.pattern}`, reason: `${format} is a syscall filter: it has no path rules` });
  for (const m of p.mounts) out.push({ item: `mount ${m.op} ${m.target || m.flags}`, reason: `${format} can allow the mount syscalls but not restrict what is mounted where` });
  for (const c of p.capabilities.allow) out.push({ item: `capability ${c}`, reason: `${format} has no capability set: drop the others in the launcher (e.g. --cap-drop=ALL --cap-add=${c})` });
  if (p.network.allow.length === 0 && p.network.deny.length === 0) {
    /* nothing to say: no sockets */
  }
  return out;
}
