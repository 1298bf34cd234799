/**
 * The syscall part of a policy as seccomp rules, for the formats that are seccomp profiles
 * (oci, docker, podman, spo, lxc, minijail, systemd): allowed names, errno rules, and the socket
 * family restriction as argument conditions. Shared by those renderers; pure.
 */
import type { Policy } from '../model/policy.js';
import { errnoByName } from '../model/knowledge/errnos.js';
import { familyByName } from '../model/knowledge/families.js';
import { syscallByName, syscallTable } from '../model/knowledge/syscalls.js';
import { runtimeLayers } from '../model/knowledge/runtime-layers.js';
import type { RenderContext, Unexpressed } from './types.js';

export interface ArgCondition {
  index: number;
  op: 'SCMP_CMP_EQ' | 'SCMP_CMP_NE' | 'SCMP_CMP_GT';
  value: number;
}

export interface ConditionalRule {
  name: string;
  action: 'allow' | 'errno';
  errno?: number;
  /** All must hold (AND). The rules made here compare each argument at most once. */
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
  /**
   * Known syscalls (on the covered ABIs, up to the horizon) that no rule above names: what
   * defaultErrno answers. A format whose default answers ENOSYS (so that syscalls newer than the
   * horizon, which no profile can name, fall back) lists these with defaultErrno instead.
   */
  knownDenied: string[];
}

export function errnoNumber(name: string): number {
  const e = errnoByName(name);
  if (!e) throw new Error(`unknown errno ${name}`);
  return e.number;
}

/**
 * The address families socket() may create: undefined when not restricted (no family was seen or
 * decided, so nothing is known to restrict it by).
 */
function familyConditions(p: Policy): { allowFamilies: number[] } | undefined {
  if (!p.syscalls.allow.includes('socket')) return undefined;
  if (p.network.allow.length === 0 && p.network.deny.length === 0) return undefined;
  const nums = p.network.allow.map((f) => familyByName(f)?.number).filter((n): n is number => n !== undefined);
  return { allowFamilies: [...new Set(nums)].sort((a, b) => a - b) };
}

/**
 * The libseccomp architectures of a profile: x86_64 and x32 always (x32 numbers then get the
 * x86_64 rules: ENOSYS from a kernel without x32, as here), i386 only when the workload used it.
 * Leaving i386 out makes runc and crun kill a process that makes an i386 syscall (their filter's
 * bad-architecture action, measured: SIGSYS); listing it would make the socket family rules
 * impossible: libseccomp 2.5.4 turns a socket rule into a socketcall(SYS_SOCKET) rule on i386,
 * without the family, so an ALLOW for one family and an ERRNO for the others collide there
 * ("File exists" from runc and crun, measured), and the family is not checked on i386 at all.
 */
export function architecturesOf(p: Policy): string[] {
  return p.arch.abis.includes('x86') ? ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32'] : ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X32'];
}

/** The name is a syscall on one of the covered ABIs (i386-only names need the x86 architecture). */
function onCoveredAbi(name: string, x86: boolean): boolean {
  const s = syscallByName(name);
  if (!s) return false;
  return s.x86_64 !== null || (x86 && s.x86 !== null);
}

/** Newer than the profile's horizon: a runtime whose libseccomp cannot name it skips the rule. */
function aboveHorizon(p: Policy, name: string): boolean {
  const s = syscallByName(name);
  return s?.x86_64 != null && s.x86_64 > p.horizon.syscall;
}

/**
 * The seccomp rules of a policy. With a runtime in the context, that runtime's own syscalls are
 * added as a separate layer.
 *
 * What real runtimes take (runc 1.1.5 and crun 1.8.1 with libseccomp 2.5.4, measured by
 * test/integration/export-oci.test.ts): every conditional rule compares its argument once. The
 * old shape, EAFNOSUPPORT when family != 1 AND family != 2 in one rule, loads without i386 but
 * answers wrong: runc splits it into separate rules (an OR), libseccomp in crun keeps one of the
 * two comparisons, and both then refused AF_UNIX while allowing AF_INET. So "socket for AF_UNIX or
 * AF_INET, EAFNOSUPPORT otherwise" is one ALLOW rule per family and one EAFNOSUPPORT rule per
 * other value up to the largest allowed family (EQ), plus one above it (GT).
 */
export function seccompRules(p: Policy, ctx: RenderContext): { rules: SeccompRules; unexpressed: Unexpressed[] } {
  const unexpressed: Unexpressed[] = [];
  const architectures = architecturesOf(p);
  const x86 = architectures.includes('SCMP_ARCH_X86');
  const allow = new Set(p.syscalls.allow);
  const layer: string[] = [];
  if (ctx.runtime) {
    // the runtime's measured layer, and what it was seen to do when this policy was learned through it
    const learned = p.runtimeLayer?.runtime === ctx.runtime ? p.runtimeLayer.syscalls : [];
    for (const n of new Set([...runtimeLayers[ctx.runtime].syscalls, ...learned])) if (!allow.has(n) && syscallByName(n)) layer.push(n);
  }
  const byErrno = new Map<number, string[]>();
  const addErrno = (name: string, errno: number) => byErrno.set(errno, [...(byErrno.get(errno) ?? []), name]);
  for (const d of p.syscalls.deny) {
    if (layer.includes(d.name)) {
      unexpressed.push({ item: `deny ${d.name}`, reason: `${ctx.runtime} itself needs ${d.name} to start the container: the profile allows it` });
      continue;
    }
    if (aboveHorizon(p, d.name)) {
      unexpressed.push({
        item: `deny ${d.name} (${d.errno})`,
        reason: `newer than the horizon (x86_64 syscall > ${p.horizon.syscall}): a runtime whose libseccomp cannot name it skips the rule silently (runc and crun do), and the call gets the default answer`,
      });
    }
    addErrno(d.name, errnoNumber(d.errno));
  }
  const enosys = errnoNumber('ENOSYS');
  for (const n of p.syscalls.enosys) {
    if (layer.includes(n)) {
      unexpressed.push({ item: `probe ${n} (ENOSYS)`, reason: `${ctx.runtime} itself makes ${n} after installing the filter: the profile allows it instead of answering ENOSYS` });
      continue;
    }
    if (onCoveredAbi(n, x86)) addErrno(n, enosys);
  }

  const conditional: ConditionalRule[] = [];
  const fam = familyConditions(p);
  const eafnosupport = errnoNumber('EAFNOSUPPORT');
  if (fam) {
    allow.delete('socket');
    const fams = fam.allowFamilies;
    for (const f of fams) conditional.push({ name: 'socket', action: 'allow', args: [{ index: 0, op: 'SCMP_CMP_EQ', value: f }] });
    if (fams.length === 0) {
      addErrno('socket', eafnosupport); // every family was denied
    } else if (x86) {
      unexpressed.push({
        item: `EAFNOSUPPORT for socket families other than ${p.network.allow.join(', ')}`,
        reason: 'with the i386 ABI in the profile libseccomp cannot combine ALLOW and ERRNO rules on socket (it rewrites both into socketcall rules, which collide): other families get the default errno',
      });
      if (!p.syscalls.allow.includes('socketcall')) {
        unexpressed.push({
          item: 'socketcall on i386',
          reason: 'libseccomp turns the socket family rules into socketcall(SYS_SOCKET) rules on i386 without the family: an i386 socket() through socketcall is allowed for any family',
        });
      }
    } else {
      const max = fams[fams.length - 1]!;
      for (let v = 0; v < max; v++) {
        if (!fams.includes(v)) conditional.push({ name: 'socket', action: 'errno', errno: eafnosupport, args: [{ index: 0, op: 'SCMP_CMP_EQ', value: v }] });
      }
      conditional.push({ name: 'socket', action: 'errno', errno: eafnosupport, args: [{ index: 0, op: 'SCMP_CMP_GT', value: max }] });
    }
    if (x86 && p.syscalls.allow.includes('socketcall')) {
      unexpressed.push({ item: 'network families via socketcall (i386)', reason: "socketcall's arguments are in memory, which seccomp cannot read: families are not restricted there" });
    }
  }
  if (p.syscalls.allow.includes('io_uring_setup')) unexpressed.push(ringUnexpressed);
  const named = new Set<string>([...allow, ...layer, ...[...byErrno.values()].flat(), ...p.syscalls.deny.map((d) => d.name), ...p.syscalls.enosys, ...conditional.map((c) => c.name)]);
  const knownDenied = syscallTable
    .filter((s) => !named.has(s.name) && ((s.x86_64 !== null && s.x86_64 <= p.horizon.syscall) || (x86 && s.x86_64 === null && s.x86 !== null)))
    .map((s) => s.name)
    .sort();
  return {
    rules: {
      defaultErrno: errnoNumber(p.syscalls.defaultErrno),
      architectures,
      allow: [...allow].sort(),
      runtimeLayer: layer.sort(),
      errno: [...byErrno].map(([errno, names]) => ({ errno, names: names.sort() })).sort((a, b) => a.errno - b.errno),
      conditional,
      knownDenied,
    },
    unexpressed,
  };
}

/** What no seccomp filter can hold once io_uring_setup is allowed (whittle run says the same). */
export const ringUnexpressed: Unexpressed = {
  item: 'io_uring (io_uring_setup allowed)',
  reason: "a seccomp filter never sees the operations a ring submits: socket families and denied syscalls are not enforced for them (deny io_uring_setup to close this)",
};

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
