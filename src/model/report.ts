/**
 * What an enforced run saw: every denial (syscalls the filter refused, paths and capabilities
 * the kernel refused, socket families not accepted), the probes answered ENOSYS (not denials),
 * and how the run ended. Built from a run's events; pure.
 */
import type { Recording } from './observations.js';
import { firstOf, type Observed, type FirstSighting } from './observations.js';
import { syscallByName } from './knowledge/syscalls.js';

export interface Denial {
  kind: 'syscall' | 'family' | 'path' | 'capability';
  /** syscall name (syscall, family), capability name, or the syscall that touched the path */
  name: string;
  arch?: string;
  errno: string;
  path?: string;
  access?: string;
  family?: string;
  /** ENOENT because the sandbox's view left the path out (it exists outside the sandbox) */
  hidden?: boolean;
  /**
   * For a syscall: why the policy refuses it. `unseen`: the workload never made it while
   * learning (a gap in the learning run, often harmless: look at its risk); `undecided`: seen,
   * but nobody decided; `decided`: a person (or --auto deny) denied it.
   */
  why?: 'unseen' | 'undecided' | 'decided';
  count: number;
  first: FirstSighting;
}

export interface Probe {
  name: string;
  arch: string;
  count: number;
}

export interface RunReport {
  kind: 'whittle-run-report';
  schemaVersion: 1;
  policy: string;
  argv: string[];
  startedAt: string;
  exitStatus: number | null;
  exit?: { code: number | null; signal: string | null; execError?: string; setupError?: string };
  denials: Denial[];
  probes: Probe[];
  /** Denials that count (probes do not): what "clean" and --strict look at. */
  denialCount: number;
  landlockAbi: number;
  pathDenialsVisible: boolean;
  pathDenialsWhy?: string;
  /** What the tracer could not see or pass on, counted; explain says what each counter is. */
  lost: { total: number; counters: Record<string, number>; explain?: Record<string, string> };
  warnings: string[];
  /** What the launcher enforced more widely than accepted (globs, /proc/self, …). */
  notEnforced: string[];
  /** What the workload did that the policy does not accept and the launcher could not refuse. */
  escapes?: string[];
  undecided: number;
  /** Was the workload started at all (false: the tracer failed before, and said why)? */
  started: boolean;
}

export interface DenialOptions {
  /**
   * For a path the workload was told does not exist (ENOENT): does it exist outside the sandbox
   * and was it left out of the sandbox's view? Then the view hid it, and that is a denial (the
   * policy does not give the workload that path). Without it, ENOENT is never a denial.
   */
  hidden?: (path: string) => boolean;
  /**
   * Does the policy's filter refuse this syscall outright? A path call it refused is already a
   * syscall denial (the filter's record); the probe's record of the same failure is not another.
   */
  refused?: (syscall: string) => boolean;
  /**
   * Is this capability in the policy's bounding set? Then a check that said no was not the
   * sandbox's doing (the process did not hold it then, e.g. after dropping root), not a denial.
   */
  capAccepted?: (name: string) => boolean;
  /** Why the policy refuses a syscall (see Denial.why); unknown when not given. */
  why?: (syscall: string) => Denial['why'];
}

type RunItem = Recording['items'] extends Map<number, infer T> ? T : never;

/** What one item of an enforce session is: a denial, a probe answered ENOSYS, or neither. */
export function classifyItem(it: RunItem, o: DenialOptions = {}): { denial: Denial } | { probe: Probe } | null {
  switch (it.kind) {
    case 'denied':
      if (it.class === 'probe') return { probe: { name: it.name ?? `syscall#${it.nr}`, arch: it.arch, count: it.count } };
      if (it.class === 'syscall') {
        const why = it.name ? o.why?.(it.name) : undefined;
        return { denial: { kind: 'syscall', name: it.name ?? `syscall#${it.nr}`, arch: it.arch, errno: it.errno, count: it.count, first: firstOf(it), ...(why ? { why } : {}) } };
      }
      return null;
    case 'path':
      // (an operation through io_uring, "io_uring:openat", is no syscall the filter could refuse)
      if (it.syscall && !it.syscall.startsWith('io_uring:') && o.refused?.(it.syscall)) return null;
      // (EXDEV: a rename or link between names on one filesystem — the tracer sends no other)
      if (it.result === 'EACCES' || it.result === 'EPERM' || it.result === 'EXDEV' || (it.result === 'ENOENT' && o.hidden?.(it.path)))
        return { denial: { kind: 'path', name: it.syscall ?? '?', errno: it.result, path: it.path, access: it.access, count: it.count, first: firstOf(it), ...(it.result === 'ENOENT' ? { hidden: true } : {}) } };
      return null;
    case 'net':
      if (it.result === 'EAFNOSUPPORT' || it.result === 'EPERM' || it.result === 'EACCES')
        return { denial: { kind: 'family', name: it.op, errno: it.result, family: it.family, count: it.count, first: firstOf(it) } };
      return null;
    case 'cap':
      if (o.capAccepted?.(it.name)) return null;
      if (!it.granted && it.class === 'required') return { denial: { kind: 'capability', name: it.name, errno: 'EPERM', count: it.count, first: firstOf(it) } };
      return null;
    default:
      return null;
  }
}

/** The capabilities that override file permission bits. */
export function isDacCapability(name: string): boolean {
  return name === 'CAP_DAC_OVERRIDE' || name === 'CAP_DAC_READ_SEARCH';
}

/** Denials and probes from an enforce session's items. */
export function denialsOf(rec: Recording, o: DenialOptions = {}): { denials: Denial[]; probes: Probe[] } {
  const denials: Denial[] = [];
  const probes: Probe[] = [];
  for (const it of rec.items.values()) {
    const c = classifyItem(it, o);
    if (!c) continue;
    if ('denial' in c) denials.push(c.denial);
    else probes.push(c.probe);
  }
  // a socket() refused for its family shows up twice (the filter's record and the probe's
  // record with the family): keep the one that names the family
  const hasFamily = denials.some((d) => d.kind === 'family');
  // a path call the filter refused shows up twice too (the filter's record, and the probe's
  // record of a path call that failed with that errno): keep the filter's
  const filtered = new Set(denials.filter((d) => d.kind === 'syscall').map((d) => `${d.name}\0${d.errno}`));
  // a path refused by the permission bits of a view's stand-in also shows up as the DAC
  // capability checks the kernel made on the way (the workload never needed them): one denial
  // (the capability record names no syscall: same process, just before the path call returned)
  const pathDenied = denials.filter((d) => d.kind === 'path' && d.errno === 'EACCES');
  const partOfPath = (d: Denial) => pathDenied.some((p) => p.first.pid === d.first.pid && p.first.t >= d.first.t && p.first.t - d.first.t < 0.05);
  const dup = (d: Denial) =>
    (hasFamily && d.kind === 'syscall' && (d.name === 'socket' || d.name === 'socketpair') && d.errno === 'EAFNOSUPPORT') ||
    (d.kind === 'path' && filtered.has(`${d.name}\0${d.errno}`)) ||
    (d.kind === 'capability' && isDacCapability(d.name) && partOfPath(d));
  return { denials: denials.filter((d) => !dup(d)), probes };
}

/**
 * Sockets the workload made through io_uring of a family the policy does not accept: the
 * seccomp filter that refuses such a socket() never sees a ring's operations (an accepted
 * io_uring_setup is a gap, and here it was used). One line each, for the warnings.
 */
export function ringEscapes(rec: Recording, familyAccepted: (family: string) => boolean): string[] {
  const out: string[] = [];
  for (const it of rec.items.values()) {
    if (it.kind !== 'net' || it.op !== 'socket' || it.result !== 'ok' || !it.syscall?.startsWith('io_uring:')) continue;
    if (familyAccepted(it.family)) continue;
    const who = it.exe ? ` by ${it.exe}${it.pid ? ` (pid ${it.pid})` : ''}` : '';
    out.push(`a socket of family ${it.family} was made through io_uring${who}, which the policy does not accept: the seccomp filter cannot refuse what a ring does (deny io_uring_setup to close this)`);
  }
  return out;
}

/** The non-zero loss counters of a run, for one line: "denialProbe 2, ioUringUnrecorded 1". */
export function describeLost(lost: RunReport['lost']): string {
  return Object.entries(lost.counters)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
}

/** One line per denial, for the terminal. */
export function describeDenial(d: Denial): string {
  const who = d.first.exe ? ` by ${d.first.exe}${d.first.pid ? ` (pid ${d.first.pid})` : ''}` : '';
  switch (d.kind) {
    case 'syscall': {
      const info = d.why === 'unseen' ? syscallByName(d.name) : undefined;
      const why =
        d.why === 'unseen'
          ? ` — never made while learning${info ? ` (${info.risk} risk: ${info.summary.replace(/\.$/, '')})` : ''}`
          : d.why === 'undecided'
            ? ' — undecided when the policy was built'
            : '';
      return `syscall ${d.name}${d.arch && d.arch !== 'x86_64' ? ` (${d.arch})` : ''} → ${d.errno}${who}${why}`;
    }
    case 'family':
      return `socket family ${d.family} (${d.name}) → ${d.errno}${who}`;
    case 'path':
      return `${d.access} ${d.path} (${d.name}) → ${d.errno}${d.hidden ? ' (not in the sandbox\'s view)' : ''}${d.errno === 'EXDEV' ? ' (a rename or link between directories the sandbox keeps apart: separate mounts of its view, or Landlock)' : ''}${who}`;
    case 'capability':
      return `capability ${d.name} refused${who}`;
  }
}

/**
 * The denials as observed facts, to add to a snapshot (whittle run --learn-denials): they
 * become review items, marked denied, so the loop can go round again.
 */
export function denialsAsObserved(denials: Denial[]): Observed {
  const out: Observed = { syscalls: [], paths: [], execs: [], mounts: [], network: [], capabilities: [] };
  for (const d of denials) {
    switch (d.kind) {
      case 'syscall':
        out.syscalls.push({ name: d.name, arch: (d.arch ?? 'x86_64') as 'x86_64', nr: -1, count: d.count, first: d.first, denied: true });
        break;
      case 'path':
        // a path the view hid exists: recording its ENOENT would make the next policy treat
        // it as absent (allowed but never bound), so what it needs is recorded as found
        out.paths.push({ path: d.path!, access: d.access as never, result: d.hidden ? 'ok' : d.errno, count: d.count, first: d.first, denied: true });
        break;
      case 'family':
        out.network.push({ family: d.family!, type: null, op: 'socket', port: null, result: d.errno, count: d.count, first: d.first, denied: true });
        break;
      case 'capability':
        out.capabilities.push({ name: d.name, syscall: d.first.syscall ?? null, granted: false, class: 'required', inferred: false, count: d.count, first: d.first, denied: true });
        break;
    }
  }
  return out;
}
