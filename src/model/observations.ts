/**
 * What a learning session saw, folded from the tracer's events. Pure: no I/O. The fold mutates
 * one Recording in place because a busy workload streams tens of thousands of events per second
 * and the TUI must keep up; everything else treats a Recording as read-only.
 */
import type {
  ContainerEvent,
  EnforceHelloEvent,
  CapItem,
  EndEvent,
  ExecItem,
  ExitEvent,
  HelloEvent,
  ItemEvent,
  MessageEvent,
  MountItem,
  NetItem,
  PathItem,
  StartedEvent,
  SyscallItem,
  TracerEvent,
} from '../trace/protocol.js';
import { syscallByNumber } from './knowledge/syscalls.js';

/** Where an item was first seen. */
export interface FirstSighting {
  pid?: number;
  exe?: string;
  syscall?: string;
  /** Seconds since the session started. */
  t: number;
}

interface Counted {
  count: number;
  first: FirstSighting;
  /** Seen as a denial in an enforced run (whittle run --learn-denials), not while learning. */
  denied?: boolean;
}

export interface ObservedSyscall extends Counted {
  name: string;
  arch: 'x86_64' | 'x86' | 'x32';
  nr: number;
  /** Made by a container runtime itself, after it installed the container's filter and before the container's program ran. */
  layer?: 'runtime';
}
export interface ObservedPath extends Counted {
  path: string;
  access: PathItem['access'];
  result: string;
  /** Set when this path is a symlink the workload went through (to where it points). */
  symlinkTarget?: string;
}
export interface ObservedExec extends Counted {
  path: string;
  argv0: string;
  result: string;
}
export interface ObservedMount extends Counted {
  op: string;
  source: string;
  target: string;
  fstype: string;
  flags: string;
  data?: string;
  result: string;
}
export interface ObservedNet extends Counted {
  family: string;
  type: string | null;
  op: string;
  port: number | null;
  addr?: string;
  result: string;
}
export interface ObservedCapability extends Counted {
  name: string;
  /** The syscall running when the kernel checked it (null: outside a syscall, e.g. at exec). */
  syscall: string | null;
  granted: boolean;
  /** required: the operation needed it; advisory: the kernel only asked (noaudit heuristics). */
  class: 'required' | 'advisory';
  /** Derived from syscalls and arguments, not seen in the kernel. */
  inferred: boolean;
}

/** The recorded facts of a session, by kind: the snapshot's `observed` section. */
export interface Observed {
  syscalls: ObservedSyscall[];
  paths: ObservedPath[];
  execs: ObservedExec[];
  mounts: ObservedMount[];
  network: ObservedNet[];
  capabilities: ObservedCapability[];
}

export interface LostCounters {
  total: number;
  counters: Record<string, number>;
  explain: Record<string, string>;
}

/** A session being recorded (or replayed). */
export interface Recording {
  hello: HelloEvent | null;
  enforceHello: EnforceHelloEvent | null;
  started: StartedEvent | null;
  /** Container sessions: the container's state as its runtime sent it. */
  container: ContainerEvent | null;
  /** Items by the tracer's id, in the order they were first seen. */
  items: Map<number, ItemEvent & { count: number }>;
  lost: LostCounters;
  messages: MessageEvent[];
  exit: ExitEvent | null;
  end: EndEvent | null;
  /** Counts that arrived for ids never announced (a protocol fault; counted, not hidden). */
  orphanCounts: number;
  events: number;
}

export function newRecording(): Recording {
  return {
    hello: null,
    enforceHello: null,
    started: null,
    container: null,
    items: new Map(),
    lost: { total: 0, counters: {}, explain: {} },
    messages: [],
    exit: null,
    end: null,
    orphanCounts: 0,
    events: 0,
  };
}

/** Fold one event into the recording (in place). Returns the item when one was added. */
export function ingest(rec: Recording, e: TracerEvent): (ItemEvent & { count: number }) | undefined {
  rec.events++;
  switch (e.type) {
    case 'hello':
      if ('mode' in e) rec.enforceHello = e;
      else rec.hello = e;
      return undefined;
    case 'started':
      rec.started = e;
      return undefined;
    case 'container':
      rec.container = e;
      return undefined;
    case 'item': {
      // The parsed event is ours alone: extend it in place (a copy per item costs more than
      // everything else the fold does on a busy stream).
      const it = e as ItemEvent & { count: number };
      it.count = 0;
      rec.items.set(e.id, it);
      return it;
    }
    case 'counts':
      for (const [id, total] of e.c) {
        const it = rec.items.get(id);
        if (it) it.count = total;
        else rec.orphanCounts++;
      }
      return undefined;
    case 'lost':
      rec.lost = { total: e.total, counters: e.counters, explain: e.explain ?? rec.lost.explain };
      return undefined;
    case 'warning':
    case 'error':
      rec.messages.push(e);
      return undefined;
    case 'exit':
      rec.exit = e;
      return undefined;
    case 'end':
      rec.end = e;
      return undefined;
    default:
      return undefined;
  }
}

/** Where an event was first seen, with only the fields it has. */
export function firstOf(e: { t: number; pid?: number; exe?: string; syscall?: string }): FirstSighting {
  const f: FirstSighting = { t: e.t };
  if (e.pid !== undefined) f.pid = e.pid;
  if (e.exe !== undefined) f.exe = e.exe;
  if (e.syscall !== undefined) f.syscall = e.syscall;
  return f;
}

/** A syscall's name: the tracer's, else ours by number, else "syscall#N". */
export function syscallName(it: Pick<SyscallItem, 'name' | 'arch' | 'nr'>): string {
  if (it.name) return it.name;
  if (it.arch !== 'x32') {
    const known = syscallByNumber(it.arch, it.nr);
    if (known) return known.name;
  }
  return `syscall#${it.nr}`;
}

/** Turn one announced item into its stored form. */
export function toObserved(it: ItemEvent & { count: number }): { kind: keyof Observed; row: Observed[keyof Observed][number] } {
  const first = firstOf(it);
  switch (it.kind) {
    case 'syscall': {
      const row: ObservedSyscall = { name: syscallName(it), arch: it.arch, nr: it.nr, count: it.count, first };
      if (it.layer) row.layer = it.layer;
      return { kind: 'syscalls', row };
    }
    case 'path': {
      const row: ObservedPath = { path: it.path, access: it.access, result: it.result, count: it.count, first };
      if (it.symlinkTarget !== undefined) row.symlinkTarget = it.symlinkTarget;
      return { kind: 'paths', row };
    }
    case 'exec':
      return { kind: 'execs', row: { path: it.path, argv0: it.argv0, result: it.result, count: it.count, first } };
    case 'mount': {
      const m = it;
      const row: ObservedMount = {
        op: m.op, source: m.source, target: m.target, fstype: m.fstype, flags: m.flags, result: m.result, count: m.count, first,
      };
      if (m.data !== undefined) row.data = m.data;
      return { kind: 'mounts', row };
    }
    case 'net': {
      const n = it;
      const row: ObservedNet = { family: n.family, type: n.socktype, op: n.op, port: n.port, result: n.result, count: n.count, first };
      if (n.addr !== undefined) row.addr = n.addr;
      return { kind: 'network', row };
    }
    case 'denied':
      throw new Error('internal: denial items belong to a run report, not to a snapshot');
    case 'cap': {
      const c = it;
      return {
        kind: 'capabilities',
        row: { name: c.name, syscall: c.bySyscall, granted: c.granted, class: c.class, inferred: c.inferred, count: c.count, first },
      };
    }
  }
}

/** The recorded facts, by kind, in first-seen order. */
export function observedOf(rec: Recording): Observed {
  const out: Observed = { syscalls: [], paths: [], execs: [], mounts: [], network: [], capabilities: [] };
  for (const it of rec.items.values()) {
    const { kind, row } = toObserved(it);
    (out[kind] as unknown[]).push(row);
  }
  return out;
}

export type { ExecItem, MountItem, NetItem, CapItem };

/** Add observed facts to others: rows with the same key add their counts (pure, returns new). */
export function mergeObserved(a: Observed, b: Observed): Observed {
  const keyOf: { [K in keyof Observed]: (r: Observed[K][number]) => string } = {
    syscalls: (r) => `${r.arch}\0${r.name}${r.layer ? `\0${r.layer}` : ''}`,
    paths: (r) => `${r.path}\0${r.access}\0${r.result}`,
    execs: (r) => `${r.path}\0${r.argv0}\0${r.result}`,
    mounts: (r) => [r.op, r.source, r.target, r.fstype, r.flags, r.result].join('\0'),
    network: (r) => [r.family, r.type ?? '', r.op, r.port ?? '', r.addr ?? '', r.result].join('\0'),
    capabilities: (r) => [r.name, r.syscall ?? '', r.granted, r.class, r.inferred].join('\0'),
  };
  const out = {} as Observed;
  for (const k of Object.keys(keyOf) as Array<keyof Observed>) {
    const rows = new Map<string, Observed[typeof k][number]>();
    const f = keyOf[k] as (r: Observed[typeof k][number]) => string;
    for (const r of a[k]) rows.set(f(r), { ...r });
    for (const r of b[k]) {
      const prev = rows.get(f(r));
      if (prev) {
        prev.count += r.count;
        if (r.denied) prev.denied = true;
      } else rows.set(f(r), { ...r });
    }
    (out[k] as unknown[]) = [...rows.values()];
  }
  return out;
}
