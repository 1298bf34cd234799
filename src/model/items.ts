/**
 * What a person decides on: the review queue's items, grouped from a snapshot's observed facts.
 * Each has a stable key (the decision key stored in the snapshot), a label, a count, where it
 * was first seen, and a plain-language note from the knowledge tables. Pure.
 */
import type { FirstSighting, Observed, ObservedMount } from './observations.js';
import { syscallByName } from './knowledge/syscalls.js';
import { capabilityByName } from './knowledge/capabilities.js';
import { familyByName } from './knowledge/families.js';
import { assessMount, isSensitive } from './knowledge/sensitive-paths.js';
import { riskRank, type Risk } from './knowledge/risk.js';

export type ItemKind = 'syscall' | 'path' | 'mount' | 'net' | 'cap';

/** Access kinds, one vocabulary everywhere (design.md). */
export const accessKinds = ['read', 'write', 'create', 'remove', 'rename', 'link', 'exec', 'stat', 'readdir', 'chmod', 'chown', 'ioctl', 'mount-target'] as const;
export type Access = (typeof accessKinds)[number];

interface Base {
  key: string;
  kind: ItemKind;
  label: string;
  count: number;
  first: FirstSighting;
  risk: Risk;
  /** What it is, and why it may be dangerous: one or two plain lines. */
  note: string;
  /** Seen as a denial in an enforced run (whittle run --learn-denials). */
  denied?: boolean;
}

export interface SyscallQueueItem extends Base {
  kind: 'syscall';
  name: string;
  arches: string[];
  capability?: string;
  /** A container runtime's own call (after it installed the filter, before the container's program ran): its own layer, kept in profiles for that runtime. */
  layer?: 'runtime';
}
export interface PathQueueItem extends Base {
  kind: 'path';
  path: string;
  access: Access;
  results: string[];
  /** Set for a symlink the workload went through, to where it points. */
  symlinkTarget?: string;
}
export interface MountQueueItem extends Base {
  kind: 'mount';
  mount: Pick<ObservedMount, 'op' | 'source' | 'target' | 'fstype' | 'flags'>;
  results: string[];
}
export interface NetQueueItem extends Base {
  kind: 'net';
  family: string;
  types: string[];
  ops: string[];
  ports: number[];
}
export interface CapQueueItem extends Base {
  kind: 'cap';
  name: string;
  inferred: boolean;
  syscalls: string[];
}
export type QueueItem = SyscallQueueItem | PathQueueItem | MountQueueItem | NetQueueItem | CapQueueItem;

/** Decision keys. They name what a policy rule is about, so a decision outlives one run. */
export const keys = {
  syscall: (name: string) => `syscall:${name}`,
  runtimeSyscall: (name: string) => `runtime-syscall:${name}`,
  path: (path: string, access: string) => `path:${access}:${path}`,
  mount: (m: Pick<ObservedMount, 'op' | 'source' | 'target' | 'fstype' | 'flags'>) => `mount:${m.op}:${m.fstype}:${m.source}:${m.target}:${m.flags}`,
  net: (family: string) => `net:${family}`,
  cap: (name: string) => `cap:${name}`,
};

function earlier(a: FirstSighting, b: FirstSighting): FirstSighting {
  return b.t < a.t ? b : a;
}

function maxRisk(a: Risk, b: Risk): Risk {
  return riskRank(b) > riskRank(a) ? b : a;
}

const writeLike = new Set(['write', 'create', 'remove', 'rename', 'link', 'chmod', 'chown', 'mount-target']);
const lookingAccess = new Set(['stat', 'read', 'readdir', 'exec']);

function pathNote(path: string, access: string): { risk: Risk; note: string } {
  const s = isSensitive(path, access);
  if (s) return { risk: s.risk, note: `${access} ${s.prefix}: ${s.reason}` };
  if (access === 'exec') return { risk: 'low', note: 'a program the workload ran' };
  if (writeLike.has(access)) return { risk: 'low', note: `the workload changes this path (${access})` };
  return { risk: 'low', note: `the workload looks at this path (${access})` };
}

/**
 * The review queue for a snapshot: one item per syscall name, per (path, access), per mount
 * operation, per socket family and per capability the kernel needed. Advisory capability checks
 * (the kernel only asked, e.g. the overcommit heuristic) are not things to grant.
 */
export function queueItems(obs: Observed): QueueItem[] {
  const out = new Map<string, QueueItem>();
  for (const s of obs.syscalls) {
    const key = s.layer === 'runtime' ? keys.runtimeSyscall(s.name) : keys.syscall(s.name);
    const prev = out.get(key) as SyscallQueueItem | undefined;
    if (prev) {
      prev.count += s.count;
      if (s.denied) prev.denied = true;
      if (!prev.arches.includes(s.arch)) prev.arches.push(s.arch);
      prev.first = earlier(prev.first, s.first);
      continue;
    }
    const info = syscallByName(s.name);
    const risk: Risk = info?.risk ?? 'medium';
    let note = info ? [info.summary, info.riskNote].filter(Boolean).join(' ') : `a syscall whittle's table does not know (${s.name})`;
    if (s.layer === 'runtime') note = `made by the container runtime itself after it installed the filter, before the container's program ran: kept in profiles for that runtime. ${note}`;
    const item: SyscallQueueItem = {
      key, kind: 'syscall', label: s.layer === 'runtime' ? `${s.name} (runtime)` : s.name, name: s.name, arches: [s.arch], count: s.count, first: s.first,
      risk: s.layer === 'runtime' ? 'low' : risk, note,
    };
    if (s.layer) item.layer = s.layer;
    if (s.denied) item.denied = true;
    if (info?.capability) item.capability = info.capability;
    out.set(key, item);
  }
  for (const p of obs.paths) {
    const key = keys.path(p.path, p.access);
    const prev = out.get(key) as PathQueueItem | undefined;
    if (prev) {
      prev.count += p.count;
      if (p.denied) prev.denied = true;
      if (!prev.results.includes(p.result)) prev.results.push(p.result);
      prev.first = earlier(prev.first, p.first);
      continue;
    }
    const { risk, note } = pathNote(p.path, p.access);
    const item: PathQueueItem = {
      key, kind: 'path', label: `${p.access} ${p.path}`, path: p.path, access: p.access, results: [p.result], count: p.count, first: p.first, risk,
      note: p.symlinkTarget !== undefined ? `${note}; a symlink to ${p.symlinkTarget}` : note,
    };
    if (p.symlinkTarget !== undefined) item.symlinkTarget = p.symlinkTarget;
    if (p.denied) item.denied = true;
    out.set(key, item);
  }
  // Looking for something that is not there (a shell searching $PATH, a loader probing
  // directories) reaches nothing: it is not a risk, whatever the directory.
  for (const it of out.values()) {
    if (it.kind !== 'path' || it.denied) continue;
    if (!lookingAccess.has(it.access) || !it.results.every((r) => r === 'ENOENT' || r === 'ENOTDIR')) continue;
    if (it.risk !== 'low') it.note = `looked up but not there (${it.results.join(', ')}): ${it.note}`;
    it.risk = 'low';
  }
  for (const m of obs.mounts) {
    const key = keys.mount(m);
    const prev = out.get(key) as MountQueueItem | undefined;
    if (prev) {
      prev.count += m.count;
      if (!prev.results.includes(m.result)) prev.results.push(m.result);
      continue;
    }
    const ns = ['unshare', 'setns', 'clone', 'clone3'].includes(m.op);
    const findings = ns ? [] : assessMount({ source: m.source, target: m.target, fstype: m.fstype, bind: m.op === 'bind' });
    let risk: Risk = ns ? (m.flags.includes('CLONE_NEWUSER') ? 'high' : 'medium') : 'high';
    let note = ns ? `new namespaces (${m.flags || 'none'}): the workload isolates itself or joins others` : `a ${m.op} the workload makes; mounting needs CAP_SYS_ADMIN`;
    for (const f of findings) {
      risk = maxRisk(risk, f.risk);
      note += `; ${f.reason}`;
    }
    const label = ns ? `${m.op} ${m.flags}` : `${m.op} ${[m.fstype, m.source, '→', m.target].filter(Boolean).join(' ')}`;
    out.set(key, {
      key, kind: 'mount', label, mount: { op: m.op, source: m.source, target: m.target, fstype: m.fstype, flags: m.flags }, results: [m.result],
      count: m.count, first: m.first, risk, note,
    });
  }
  for (const n of obs.network) {
    const key = keys.net(n.family);
    const prev = out.get(key) as NetQueueItem | undefined;
    const item = prev ?? {
      key, kind: 'net' as const, label: n.family, family: n.family, types: [], ops: [], ports: [], count: 0, first: n.first,
      risk: familyByName(n.family)?.risk ?? 'medium', note: familyByName(n.family)?.summary ?? 'a socket family',
    };
    item.count += n.count;
    if (n.denied) item.denied = true;
    if (n.type && !item.types.includes(n.type)) item.types.push(n.type);
    if (!item.ops.includes(n.op)) item.ops.push(n.op);
    if (n.port !== null && n.port > 0 && !item.ports.includes(n.port)) item.ports.push(n.port);
    if (n.type === 'SOCK_RAW') item.risk = maxRisk(item.risk, 'high');
    if (!prev) out.set(key, item);
  }
  for (const c of obs.capabilities) {
    if (c.class === 'advisory' || (!c.granted && c.inferred)) continue;
    const key = keys.cap(c.name);
    const prev = out.get(key) as CapQueueItem | undefined;
    if (prev) {
      prev.count += c.count;
      if (c.syscall && !prev.syscalls.includes(c.syscall)) prev.syscalls.push(c.syscall);
      if (!c.inferred) prev.inferred = false;
      continue;
    }
    const info = capabilityByName(c.name);
    if (c.denied) {
      out.set(key, {
        key, kind: 'cap', label: c.name, name: c.name, inferred: false, syscalls: c.syscall ? [c.syscall] : [], count: c.count, first: c.first,
        risk: info?.risk ?? 'high', note: (info?.summary ?? 'a capability') + ' (refused in an enforced run)', denied: true,
      });
      continue;
    }
    out.set(key, {
      key, kind: 'cap', label: c.name, name: c.name, inferred: c.inferred, syscalls: c.syscall ? [c.syscall] : [], count: c.count,
      first: c.first, risk: info?.risk ?? 'high',
      note: (info?.summary ?? 'a capability') + (c.inferred ? ' (inferred from syscalls: no in-kernel probe saw it)' : ''),
    });
  }
  return [...out.values()];
}

/** Riskiest first, then newest (the review order of design.md). */
export function reviewOrder(a: QueueItem, b: QueueItem): number {
  return riskRank(b.risk) - riskRank(a.risk) || b.first.t - a.first.t || a.key.localeCompare(b.key);
}
