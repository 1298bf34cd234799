/**
 * The stable `whittle show --json` view of a snapshot (design.md, "The contract"), and the
 * counts behind the readable summary. Pure.
 */
import type { Observed, ObservedCapability } from './observations.js';

export interface ShowJson {
  kind: string;
  schemaVersion: number;
  mechanism: string;
  status: string;
  workload: { argv: string[]; exitStatus: number | null };
  syscalls: Array<{ name: string; arch: string; count: number }>;
  paths: Array<{ path: string; access: string; result: string; count: number }>;
  mounts: Array<{ op: string; source: string; target: string; fstype: string; flags: string; result: string; count: number }>;
  network: Array<{ family: string; type: string | null; op: string; port: number | null; addr?: string; count: number }>;
  capabilities: Array<{ name: string; inferred: boolean; class: 'required' | 'advisory'; syscalls: string[]; count: number }>;
  execs: Array<{ path: string; argv0: string; count: number }>;
  lost: { total: number } & Record<string, number>;
  /** Container snapshots: the syscalls the runtime itself made after installing the filter (not in `syscalls`). */
  runtimeLayer?: Array<{ name: string; arch: string; count: number; layer: 'runtime' }>;
  /** Container snapshots: the container, its runtime, and its capabilities against the set it was given. */
  container?: ContainerFacts<ContainerCapabilities>;
}

/** A container snapshot's container: what it is, how it ran, its mounts; its capabilities as C. */
interface ContainerFacts<C> {
  ref: string;
  refKind: string;
  runtime: string;
  runtimeVersion: string;
  argumentsRecorded: boolean;
  capabilities: C;
  mounts: Array<{ destination: string; type: string; source: string; options: string[] }>;
}

/** A container's capabilities against the set it was given (its bundle's bounding set, or the runtime's default). */
export interface ContainerCapabilities {
  /** What the container was given, and where that set comes from. */
  set: string[];
  source: string;
  /** Checked by the kernel for the container's processes (required checks, granted or not). */
  used: string[];
  /** In the set and never used: the person can drop them. */
  unused: string[];
  /** Used but not in the set: refused while learning. */
  missing: string[];
}

/** Compare the capabilities a container used with the set it was given. */
export function containerCapabilities(given: { set: string[]; source: string }, caps: ObservedCapability[]): ContainerCapabilities {
  const used = [...new Set(caps.filter((c) => c.class === 'required' && !c.inferred).map((c) => c.name))].sort();
  return {
    set: [...given.set].sort(),
    source: given.source,
    used,
    unused: given.set.filter((c) => !used.includes(c)).sort(),
    missing: used.filter((c) => !given.set.includes(c)),
  };
}

/** Sum rows that share a key (the tracer keys finer than the contract, e.g. by result). */
function merge<T extends { count: number }, R extends { count: number }>(rows: T[], key: (r: T) => string, make: (r: T) => R): R[] {
  const out = new Map<string, R>();
  for (const r of rows) {
    const k = key(r);
    const prev = out.get(k);
    if (prev) prev.count += r.count;
    else out.set(k, make(r));
  }
  return [...out.values()];
}

/**
 * Capabilities by name: observed wins over inferred, required over advisory. `syscalls` lists
 * the calls that needed it (or, when every check was advisory, the ones that asked).
 */
export function capabilitiesByName(caps: ObservedCapability[]): ShowJson['capabilities'] {
  const out = new Map<string, ShowJson['capabilities'][number] & { advisoryBy: string[] }>();
  for (const c of caps) {
    let row = out.get(c.name);
    if (!row) {
      row = { name: c.name, inferred: c.inferred, class: c.class, syscalls: [], count: 0, advisoryBy: [] };
      out.set(c.name, row);
    }
    row.count += c.count;
    if (!c.inferred) row.inferred = false;
    if (c.class === 'required') row.class = 'required';
    const list = c.class === 'required' ? row.syscalls : row.advisoryBy;
    if (c.syscall && !list.includes(c.syscall)) list.push(c.syscall);
  }
  return [...out.values()]
    .map(({ advisoryBy, ...row }) => (row.class === 'advisory' ? { ...row, syscalls: advisoryBy } : row))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export interface ShowInput {
  kind: string;
  schemaVersion: number;
  status: string;
  mechanism: string;
  argv: string[];
  exitStatus: number | null;
  observed: Observed;
  lost: { total: number; counters: Record<string, number> };
  container?: ContainerFacts<{ set: string[]; source: string }>;
}

/** The contract's JSON. Rows are sorted so two runs of the same program diff cleanly. */
export function showJson(s: ShowInput): ShowJson {
  const o = s.observed;
  const byStr = (f: (x: never) => string) => (a: unknown, b: unknown) => f(a as never).localeCompare(f(b as never));
  const own = o.syscalls.filter((r) => r.layer !== 'runtime');
  const layer = o.syscalls.filter((r) => r.layer === 'runtime');
  const extra: Pick<ShowJson, 'runtimeLayer' | 'container'> = {};
  if (layer.length || s.container) {
    extra.runtimeLayer = merge(layer, (r) => `${r.arch}\0${r.name}`, (r) => ({ name: r.name, arch: r.arch, count: r.count, layer: 'runtime' as const })).sort(
      byStr((r: { arch: string; name: string }) => `${r.arch} ${r.name}`),
    );
  }
  if (s.container) {
    const c = s.container;
    extra.container = {
      ref: c.ref, refKind: c.refKind, runtime: c.runtime, runtimeVersion: c.runtimeVersion, argumentsRecorded: c.argumentsRecorded,
      capabilities: containerCapabilities(c.capabilities, o.capabilities), mounts: c.mounts,
    };
  }
  return {
    kind: s.kind,
    schemaVersion: s.schemaVersion,
    mechanism: s.mechanism,
    status: s.status,
    workload: { argv: s.argv, exitStatus: s.exitStatus },
    syscalls: merge(own, (r) => `${r.arch}\0${r.name}`, (r) => ({ name: r.name, arch: r.arch, count: r.count })).sort(
      byStr((r: { arch: string; name: string }) => `${r.arch} ${r.name}`),
    ),
    paths: merge(o.paths, (r) => `${r.path}\0${r.access}\0${r.result}`, (r) => ({ path: r.path, access: r.access, result: r.result, count: r.count })).sort(
      byStr((r: { path: string; access: string; result: string }) => `${r.path}\0${r.access}\0${r.result}`),
    ),
    mounts: merge(
      o.mounts,
      (r) => [r.op, r.source, r.target, r.fstype, r.flags, r.result].join('\0'),
      (r) => ({ op: r.op, source: r.source, target: r.target, fstype: r.fstype, flags: r.flags, result: r.result, count: r.count }),
    ),
    network: merge(
      o.network,
      (r) => [r.family, r.type ?? '', r.op, r.port ?? '', r.addr ?? ''].join('\0'),
      (r) => {
        const row: ShowJson['network'][number] = { family: r.family, type: r.type, op: r.op, port: r.port, count: r.count };
        if (r.addr !== undefined) row.addr = r.addr;
        return row;
      },
    ),
    capabilities: capabilitiesByName(o.capabilities),
    execs: merge(o.execs, (r) => `${r.path}\0${r.argv0}`, (r) => ({ path: r.path, argv0: r.argv0, count: r.count })),
    lost: { ...s.lost.counters, total: s.lost.total },
    ...extra,
  };
}
