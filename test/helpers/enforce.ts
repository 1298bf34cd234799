/**
 * The enforcing half of the loop, the way a user drives it: learn → decide --auto accept → edit
 * decisions as a person would in the TUI (deny one item, widen a random temp name to a glob) →
 * `whittle run --profile SNAPSHOT --report R -- CMD`, with the report read back.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { learn, runWhittle, type RunResult } from './whittle.js';

/** A fixed PATH (as the learn tests use): the machine's PATH has per-user shims. */
export const fixedEnv = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C.UTF-8' };

/** The run report, as `whittle run --report` writes it (loosely typed for assertions). */
export interface RunReportJson {
  kind: string;
  exitStatus: number | null;
  exit?: { code: number | null; signal: string | null; execError?: string; setupError?: string };
  denials: Array<{ kind: string; name: string; arch?: string; errno: string; path?: string; access?: string; family?: string; hidden?: boolean; why?: string; count: number; first: { pid?: number; exe?: string } }>;
  probes: Array<{ name: string; arch: string; count: number }>;
  denialCount: number;
  landlockAbi: number;
  pathDenialsVisible: boolean;
  lost: { total: number; counters: Record<string, number> };
  escapes?: string[];
  warnings: string[];
  notEnforced: string[];
  undecided: number;
  started: boolean;
}

export interface SnapshotDocJson {
  decisions: Record<string, { action: string; errno?: string; pattern?: string; access?: string; by?: string }>;
  observed: { syscalls: Array<{ name: string; arch: string }>; paths: Array<{ path: string; access: string; result: string }> };
  workload: { exitStatus: number | null };
}

export function readDoc(snapshot: string): SnapshotDocJson {
  return JSON.parse(readFileSync(snapshot, 'utf8')) as SnapshotDocJson;
}

/** A person's edits to decisions, applied to the snapshot file. */
export interface Edits {
  /** decision key → errno (EPERM when empty) */
  deny?: Record<string, string>;
  /** path regex → glob: every path item whose path matches gets a glob decision for its access */
  glob?: Array<[RegExp, string]>;
  /** decision keys to accept (after a run added them with --learn-denials) */
  accept?: string[];
}

export function editDecisions(snapshot: string, e: Edits): void {
  const doc = readDoc(snapshot);
  const at = new Date().toISOString();
  for (const [rx, pattern] of e.glob ?? []) {
    let n = 0;
    for (const key of Object.keys(doc.decisions)) {
      const m = /^path:([a-z-]+):(.*)$/.exec(key);
      if (!m || !rx.test(m[2]!)) continue;
      doc.decisions[key] = { action: 'glob', pattern, access: m[1]!, by: 'person', at } as never;
      n++;
    }
    if (n === 0) throw new Error(`no path item matches ${rx} in ${snapshot}: ${Object.keys(doc.decisions).filter((k) => k.startsWith('path:')).join(', ')}`);
  }
  for (const [key, errno] of Object.entries(e.deny ?? {})) {
    if (!doc.decisions[key]) throw new Error(`no item ${key} in ${snapshot}; items: ${Object.keys(doc.decisions).join(', ')}`);
    doc.decisions[key] = { action: 'deny', errno: errno || 'EPERM', by: 'person', at } as never;
  }
  for (const key of e.accept ?? []) doc.decisions[key] = { action: 'accept', by: 'person', at } as never;
  writeFileSync(snapshot, JSON.stringify(doc));
}

export interface Learned extends RunResult {
  snapshot: string;
}

/** whittle learn --headless, then decide --auto accept, then the edits. Fails loudly. */
export async function learnAccepted(
  argv: string[],
  o: { dir: string; name: string; env?: Record<string, string>; cwd?: string; edits?: Edits; expectCode?: number },
): Promise<Learned> {
  const r = await learn(argv, { dir: o.dir, name: o.name, env: { ...fixedEnv, ...o.env }, cwd: o.cwd });
  if (r.code !== (o.expectCode ?? 0)) throw new Error(`learn ${argv.join(' ')} exited ${r.code}: ${r.stderr}`);
  const d = await runWhittle(['decide', r.snapshot, '--auto', 'accept']);
  if (d.code !== 0) throw new Error(`decide failed (${d.code}): ${d.stderr}`);
  if (o.edits) editDecisions(r.snapshot, o.edits);
  return { ...r, snapshot: r.snapshot };
}

export interface Ran extends RunResult {
  report: RunReportJson;
  /** where the report was written (whittle show reads it) */
  reportFile: string;
}

/** whittle run --profile PROFILE --report R [extra] -- argv; the report is read back. */
export async function enforce(
  profile: string,
  argv: string[],
  o: { dir: string; env?: Record<string, string>; cwd?: string; extra?: string[]; input?: string } = { dir: '/tmp' },
): Promise<Ran> {
  const report = path.join(o.dir, `report-${Math.random().toString(36).slice(2)}.json`);
  const r = await runWhittle(['run', '--profile', profile, '--report', report, ...(o.extra ?? []), '--', ...argv], {
    env: { ...fixedEnv, ...o.env },
    cwd: o.cwd,
    input: o.input,
  });
  let parsed: RunReportJson;
  try {
    parsed = JSON.parse(readFileSync(report, 'utf8')) as RunReportJson;
  } catch (e) {
    throw new Error(`whittle run wrote no report (exit ${r.code}): ${r.stderr}\n${String(e)}`);
  }
  return { ...r, report: parsed, reportFile: report };
}

/** Denials in a compact form for toEqual: "syscall uname EPERM", "path read /x ENOENT", … */
export function denialList(rep: RunReportJson): string[] {
  return rep.denials
    .map((d) =>
      d.kind === 'path'
        ? `path ${d.access} ${d.path} ${d.errno}`
        : d.kind === 'family'
          ? `family ${d.family} ${d.errno}`
          : d.kind === 'capability'
            ? `capability ${d.name}`
            : `syscall ${d.name}${d.arch && d.arch !== 'x86_64' ? `/${d.arch}` : ''} ${d.errno}`,
    )
    .sort();
}
