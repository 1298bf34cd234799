/**
 * The policy IR (design.md): order-free sets that merge by union and diff by set difference.
 * Every exporter takes a Policy and renders it; whittle's own launcher enforces one. Pure.
 */
import { effectiveDecision, globRules, type Decision, type Decisions } from './decisions.js';
import { queueItems, type Access, type QueueItem } from './items.js';
import type { Observed } from './observations.js';
import { probeSyscalls, syscallByName, syscallTable } from './knowledge/syscalls.js';

export const POLICY_KIND = 'whittle-policy';
export const POLICY_SCHEMA_VERSION = 1;

/** Where a rule came from: which snapshot, how often, first seen by what. */
export interface Provenance {
  snapshot?: string;
  count: number;
  exe?: string;
  firstSeen?: number;
  decidedBy?: 'auto' | 'person' | 'undecided';
}

export interface PathRule {
  /** An absolute path, or a pattern (`*` one component, `**` any depth). */
  pattern: string;
  access: Access[];
  action: 'allow' | 'deny';
  errno?: string;
  /** For a symlink the workload went through: where it points (a sandbox view recreates it). */
  symlinkTarget?: string;
  /** It did not exist when learned (every lookup failed): allowed, but nothing to bind. */
  absent?: boolean;
  /**
   * Where it came from: the first few items it stands for (the items a glob covers are not
   * repeated in `provenance`: the snapshots in `sources` hold every one)…
   */
  from?: Provenance[];
  /** …and how many items it stands for (a glob may cover thousands). */
  covers?: number;
}

export interface MountRule {
  op: string;
  source: string;
  target: string;
  fstype: string;
  flags: string;
  from?: Provenance[];
}

export interface Policy {
  kind: typeof POLICY_KIND;
  schemaVersion: typeof POLICY_SCHEMA_VERSION;
  createdAt: string;
  generatedBy: string;
  /** The machine's architecture, and the syscall ABIs the workload used. */
  arch: { native: 'x86_64'; abis: Array<'x86_64' | 'x86'> };
  /**
   * The newest syscall the learning machine's kernel and libseccomp both know (x86_64 number):
   * anything newer is answered ENOSYS, so programs fall back instead of failing.
   */
  horizon: { kernel: string; libseccomp: number; syscall: number };
  workload: { argv: string[] };
  syscalls: {
    allow: string[];
    /** Denied by a person (or --auto deny), with the errno they return. */
    deny: Array<{ name: string; errno: string }>;
    /** Never seen, and programs probe them and fall back on ENOSYS (clone3, openat2, …). */
    enosys: string[];
    /** What every other known syscall returns. */
    defaultErrno: string;
    /**
     * Allowed (they are in `allow`) though never seen: what the workload did needs them, and
     * learning only happened not to (see impliedSyscalls). Absent in older policies.
     */
    implied?: Array<{ name: string; because: string }>;
  };
  paths: PathRule[];
  mounts: MountRule[];
  network: { allow: string[]; deny: string[] };
  capabilities: { allow: string[]; inferred: string[] };
  /**
   * Learned through a container runtime: the syscalls that runtime made itself after installing
   * the filter (accepted in the review). Exports for that runtime allow them besides its measured
   * layer (knowledge/runtime-layers.ts); exports for another runtime use that one's layer.
   */
  runtimeLayer?: { runtime: string; syscalls: string[] };
  /** How many items were undecided when the policy was built, and how they were treated. */
  undecided: { count: number; treatedAs: 'deny' | 'accept' };
  sources: Array<{ snapshot: string; createdAt: string; mechanism: string }>;
  provenance: Record<string, Provenance>;
}

/** What buildPolicy needs from a snapshot. */
export interface PolicyInput {
  observed: Observed;
  decisions: Decisions;
  argv: string[];
  snapshot: string;
  createdAt: string;
  mechanism: string;
  kernel: string;
  libseccompHorizon: number;
  /** The container runtime the snapshot was learned through (whittle learn --container). */
  runtime?: string;
  now?: string;
  generatedBy?: string;
}

function versionLE(since: string, kernel: string): boolean {
  const a = since.split('.').map((x) => parseInt(x, 10));
  const b = kernel.split(/[.-]/).slice(0, 2).map((x) => parseInt(x, 10));
  for (let i = 0; i < 2; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (Number.isNaN(y)) return true;
    if (x !== y) return x < y;
  }
  return true;
}

/** The highest x86_64 syscall number a kernel release has (from the knowledge table). */
export function kernelSyscallHorizon(kernel: string): number {
  let max = 0;
  for (const s of syscallTable) if (s.x86_64 !== null && versionLE(s.since, kernel) && s.x86_64 > max) max = s.x86_64;
  return max;
}

/**
 * Syscalls a workload needs by what it did, seen or not: a signal handler installed returns
 * through rt_sigreturn (a signal that did not come while learning — a terminal resized, a child
 * ending — would otherwise kill the program under the policy), a thread ends with exit, a
 * process with exit_group; threads that wait on each other yield the CPU (sched_yield) when timing
 * has it. None of them reaches anything: they end, resume or pause the caller.
 */
const IMPLIED: ReadonlyArray<{ name: string; by: readonly string[]; also?: readonly string[]; because: string }> = [
  { name: 'exit_group', by: [], because: 'every process ends with it (the workload was not seen ending normally)' },
  {
    name: 'sched_yield',
    by: ['clone', 'clone3'],
    also: ['futex'],
    because: 'the workload runs threads that wait on each other (clone, futex), and a waiting thread gives up the CPU with sched_yield as timing has it: a run that happened not to is no proof the next will not',
  },
  { name: 'exit', by: ['clone', 'clone3'], because: 'the workload starts threads or processes (clone), and a thread ends with exit' },
  {
    name: 'rt_sigreturn',
    by: ['rt_sigaction'],
    because: 'the workload installs signal handlers (rt_sigaction), and returning from one is rt_sigreturn: a signal that did not come while learning would kill it',
  },
];

/** The implied syscalls of a workload that made `seen`, of those neither allowed nor denied. */
export function impliedSyscalls(seen: ReadonlySet<string>, allowed: ReadonlySet<string>, denied: ReadonlyMap<string, string>): Array<{ name: string; because: string }> {
  const needed = (x: (typeof IMPLIED)[number]) => (x.by.length === 0 || x.by.some((b) => seen.has(b))) && (x.also ?? []).every((b) => seen.has(b));
  return IMPLIED.filter((x) => !seen.has(x.name) && !allowed.has(x.name) && !denied.has(x.name) && needed(x)).map(({ name, because }) => ({ name, because }));
}

function allow(d: Decision | undefined, undecided: 'deny' | 'accept'): boolean {
  if (!d) return undecided === 'accept';
  return d.action !== 'deny';
}

/**
 * Build the policy a snapshot's decisions make. Undecided items are denied unless
 * `undecided: 'accept'`; their number is kept in the policy so every consumer can say it.
 */
export function buildPolicy(input: PolicyInput, opts: { undecided?: 'deny' | 'accept' } = {}): Policy {
  const undecided = opts.undecided ?? 'deny';
  const items = queueItems(input.observed);
  const provenance: Record<string, Provenance> = {};
  let undecidedCount = 0;
  const syscallsAllow = new Set<string>();
  const syscallsDeny = new Map<string, string>();
  const paths = new Map<string, PathRule>();
  const mounts: MountRule[] = [];
  const netAllow = new Set<string>();
  const netDeny = new Set<string>();
  const capAllow = new Set<string>();
  const capInferred = new Set<string>();
  const runtimeSyscalls = new Set<string>();
  const abis = new Set<'x86_64' | 'x86'>(['x86_64']);
  for (const s of input.observed.syscalls) if (s.arch === 'x86' && s.layer !== 'runtime') abis.add('x86');

  // the snapshot is named once, in `sources`: per item it would only repeat it
  const from = (it: QueueItem, d: Decision | undefined): Provenance => {
    const p: Provenance = { count: it.count, firstSeen: it.first.t, decidedBy: d?.by ?? (d ? 'person' : 'undecided') };
    if (it.first.exe) p.exe = it.first.exe;
    return p;
  };
  const addPath = (pattern: string, access: Access, action: 'allow' | 'deny', prov: Provenance, errno?: string, symlinkTarget?: string, absent?: boolean) => {
    const k = `${action}\0${pattern}`;
    const fresh = !paths.has(k);
    const r = paths.get(k) ?? { pattern, access: [], action, from: [] };
    // absent only while every observation of this pattern failed to find it
    if (absent && (fresh || r.absent)) r.absent = true;
    else delete r.absent;
    if (!r.access.includes(access)) r.access.push(access);
    if (errno) r.errno = errno;
    if (symlinkTarget !== undefined) r.symlinkTarget = symlinkTarget;
    if (r.from!.length < 3) r.from!.push(prov);
    r.covers = (r.covers ?? 0) + 1;
    paths.set(k, r);
  };

  const rules = globRules(input.decisions);
  for (const it of items) {
    const d = effectiveDecision(input.decisions, it, rules);
    if (!d) undecidedCount++;
    const ok = allow(d, undecided);
    // An item a glob covers is accounted for by the glob's rule (`from`, `covers`): listing each
    // one again made the policy of a 40,000-file workload 37 MB, and every run parsed it all.
    const prov = from(it, d);
    if (d?.action !== 'glob' || input.decisions[it.key]) provenance[it.key] = prov;
    switch (it.kind) {
      case 'syscall':
        if (it.layer === 'runtime') {
          if (ok) runtimeSyscalls.add(it.name);
          break;
        }
        if (ok) syscallsAllow.add(it.name);
        else if (d?.action === 'deny') syscallsDeny.set(it.name, d.errno);
        break;
      case 'path':
        if (d?.action === 'glob') addPath(d.pattern, it.access, 'allow', prov);
        else if (ok) addPath(it.path, it.access, 'allow', prov, undefined, it.symlinkTarget, it.results.every((x) => x === 'ENOENT' || x === 'ENOTDIR'));
        else if (d?.action === 'deny') addPath(it.path, it.access, 'deny', prov, d.errno);
        break;
      case 'mount':
        if (ok) mounts.push({ ...it.mount, from: [prov] });
        break;
      case 'net':
        if (ok) netAllow.add(it.family);
        else netDeny.add(it.family);
        break;
      case 'cap':
        if (ok) {
          capAllow.add(it.name);
          if (it.inferred) capInferred.add(it.name);
        }
        break;
    }
  }
  const seen = new Set(input.observed.syscalls.filter((s) => s.layer !== 'runtime').map((s) => s.name));
  const enosys = probeSyscalls.filter((n) => !seen.has(n) && !syscallsAllow.has(n) && !syscallsDeny.has(n));
  const implied = impliedSyscalls(seen, syscallsAllow, syscallsDeny);
  for (const x of implied) syscallsAllow.add(x.name);
  const kernelHorizon = kernelSyscallHorizon(input.kernel);
  return {
    kind: POLICY_KIND,
    schemaVersion: POLICY_SCHEMA_VERSION,
    createdAt: input.now ?? new Date().toISOString(),
    generatedBy: input.generatedBy ?? 'whittle',
    arch: { native: 'x86_64', abis: [...abis] },
    horizon: { kernel: input.kernel, libseccomp: input.libseccompHorizon, syscall: Math.min(input.libseccompHorizon, kernelHorizon) },
    workload: { argv: input.argv },
    syscalls: {
      allow: [...syscallsAllow].sort(),
      deny: [...syscallsDeny].map(([name, errno]) => ({ name, errno })).sort((a, b) => a.name.localeCompare(b.name)),
      enosys: enosys.sort(),
      defaultErrno: 'EPERM',
      ...(implied.length ? { implied } : {}),
    },
    paths: [...paths.values()].sort((a, b) => a.pattern.localeCompare(b.pattern) || a.action.localeCompare(b.action)),
    mounts,
    network: { allow: [...netAllow].sort(), deny: [...netDeny].sort() },
    capabilities: { allow: [...capAllow].sort(), inferred: [...capInferred].sort() },
    ...(input.runtime ? { runtimeLayer: { runtime: input.runtime, syscalls: [...runtimeSyscalls].sort() } } : {}),
    undecided: { count: undecidedCount, treatedAs: undecided },
    sources: [{ snapshot: input.snapshot, createdAt: input.createdAt, mechanism: input.mechanism }],
    provenance,
  };
}

/** Union of two policies (design.md: merge by union). Denials of one stay denials. */
export function mergePolicies(a: Policy, b: Policy): Policy {
  const allow = new Set([...a.syscalls.allow, ...b.syscalls.allow]);
  const deny = new Map<string, string>();
  for (const d of [...a.syscalls.deny, ...b.syscalls.deny]) if (!allow.has(d.name)) deny.set(d.name, d.errno);
  const pathKey = (r: PathRule) => `${r.action}\0${r.pattern}`;
  const paths = new Map<string, PathRule>();
  for (const r of [...a.paths, ...b.paths]) {
    const prev = paths.get(pathKey(r));
    if (prev) {
      prev.access = [...new Set([...prev.access, ...r.access])];
      prev.from = [...(prev.from ?? []), ...(r.from ?? [])].slice(0, 3);
      prev.covers = (prev.covers ?? 0) + (r.covers ?? 0);
    } else paths.set(pathKey(r), { ...r, access: [...r.access], from: [...(r.from ?? [])] });
  }
  const mountKey = (m: MountRule) => [m.op, m.source, m.target, m.fstype, m.flags].join('\0');
  const mounts = new Map<string, MountRule>();
  for (const m of [...a.mounts, ...b.mounts]) if (!mounts.has(mountKey(m))) mounts.set(mountKey(m), m);
  const netAllow = new Set([...a.network.allow, ...b.network.allow]);
  return {
    ...a,
    arch: { native: 'x86_64', abis: [...new Set([...a.arch.abis, ...b.arch.abis])] },
    horizon: a.horizon.syscall <= b.horizon.syscall ? a.horizon : b.horizon,
    syscalls: {
      allow: [...allow].sort(),
      deny: [...deny].map(([name, errno]) => ({ name, errno })).sort((x, y) => x.name.localeCompare(y.name)),
      enosys: [...new Set([...a.syscalls.enosys, ...b.syscalls.enosys])].filter((n) => !allow.has(n) && !deny.has(n)).sort(),
      defaultErrno: a.syscalls.defaultErrno,
      ...mergedImplied(a, b),
    },
    paths: [...paths.values()],
    mounts: [...mounts.values()],
    network: { allow: [...netAllow].sort(), deny: [...new Set([...a.network.deny, ...b.network.deny])].filter((f) => !netAllow.has(f)).sort() },
    capabilities: {
      allow: [...new Set([...a.capabilities.allow, ...b.capabilities.allow])].sort(),
      inferred: [...new Set([...a.capabilities.inferred, ...b.capabilities.inferred])].sort(),
    },
    ...mergedRuntimeLayer(a, b),
    undecided: { count: a.undecided.count + b.undecided.count, treatedAs: a.undecided.treatedAs },
    sources: [...a.sources, ...b.sources],
    provenance: { ...a.provenance, ...b.provenance },
  };
}

/** Still implied after a merge: implied by one, and seen by neither (an allowed name not implied was seen). */
function mergedImplied(a: Policy, b: Policy): Pick<Policy['syscalls'], 'implied'> {
  const seenIn = (p: Policy) => new Set(p.syscalls.allow.filter((n) => !p.syscalls.implied?.some((x) => x.name === n)));
  const seen = new Set([...seenIn(a), ...seenIn(b)]);
  const denied = new Set([...a.syscalls.deny, ...b.syscalls.deny].map((d) => d.name));
  const out = new Map<string, string>();
  for (const x of [...(a.syscalls.implied ?? []), ...(b.syscalls.implied ?? [])]) if (!seen.has(x.name) && !denied.has(x.name)) out.set(x.name, x.because);
  return out.size ? { implied: [...out].map(([name, because]) => ({ name, because })) } : {};
}

/** Runtime layers merge when both policies were learned through the same runtime; else the first one's stays. */
function mergedRuntimeLayer(a: Policy, b: Policy): Pick<Policy, 'runtimeLayer'> {
  const x = a.runtimeLayer ?? b.runtimeLayer;
  if (!x) return {};
  const y = a.runtimeLayer && b.runtimeLayer && a.runtimeLayer.runtime === b.runtimeLayer.runtime ? b.runtimeLayer : undefined;
  return { runtimeLayer: { runtime: x.runtime, syscalls: [...new Set([...x.syscalls, ...(y?.syscalls ?? [])])].sort() } };
}

/** The names a policy allows, as a runtime would need them: every name must be a real syscall. */
export function unknownSyscallNames(p: Policy): string[] {
  const names = [...p.syscalls.allow, ...p.syscalls.deny.map((d) => d.name), ...p.syscalls.enosys];
  return names.filter((n) => !syscallByName(n));
}
