/**
 * `whittle run --profile FILE [--report PATH] [--strict] [--undecided accept|deny]
 * [--learn-denials SNAPSHOT] [-- CMD…]`: run the workload for real under the policy, stream every
 * denial while it runs, and write a report. Exit status: the workload's (121 with --strict when
 * it exited 0 but denials happened; 125 when whittle could not build the sandbox).
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import { enforceSpec, enforcementGaps, viewEntries } from '../launch/plan.js';
import type { Policy } from '../model/policy.js';
import { ingest, mergeObserved, newRecording, type Recording } from '../model/observations.js';
import { classifyItem, denialsAsObserved, denialsOf, describeDenial, describeLost, isDacCapability, ringEscapes, type Denial, type DenialOptions, type RunReport } from '../model/report.js';
import { InputError } from '../store/errors.js';
import type { RecordingMeta } from '../store/record.js';
import { capabilityByName } from '../model/knowledge/capabilities.js';
import { errnoByName } from '../model/knowledge/errnos.js';
import { familyByName } from '../model/knowledge/families.js';
import { spawnEnforceEarly, waitForSession, type EarlyEnforceRun } from '../trace/tracer-process.js';
import { fail, red, say, warn } from './output.js';

/** As in commands/learn.ts (not imported from there: it brings the snapshot store along). */
const EXIT = { tracerFailure: 125, strictDenied: 121 } as const;

export interface RunOptions {
  profile?: string;
  report?: string;
  strict: boolean;
  undecided?: 'accept' | 'deny';
  learnDenials?: string;
  container?: string;
  runtime?: string;
  argv: string[];
  /** For verify: say less. */
  quiet?: boolean;
}

export interface RunResult {
  status: number;
  report: RunReport;
}

/**
 * Was a path the workload got ENOENT for hidden by the sandbox's view? Only a name outside the
 * view's binds can be: inside one, the workload sees the host's own directory, and its ENOENT is
 * the truth (a file it has not made yet, say). Outside them, a name that exists on the host (as
 * it is, or with its symlinks resolved) was left out by the policy. Answers are kept: the first
 * look is the one closest to when the workload asked.
 */
/** How a run under this policy tells denials from the rest (whittle run and the TUI's r alike). */
export function denialOptionsFor(policy: Policy): DenialOptions {
  const allowed = new Set(policy.syscalls.allow);
  const caps = new Set(policy.capabilities.allow);
  return { hidden: hiddenByView(policy), refused: (name) => !allowed.has(name), capAccepted: (name) => caps.has(name), why: whyRefused(policy) };
}

/** What a run did that the policy does not accept and the launcher could not refuse. */
export function escapesOf(rec: Recording, policy: Policy): string[] {
  const families = new Set(policy.network.allow);
  return ringEscapes(rec, (f) => families.has(f));
}

/** Why the policy refuses a syscall: denied by a decision, left undecided, or never made while learning. */
export function whyRefused(policy: Policy): (syscall: string) => Denial['why'] {
  const decided = new Set(policy.syscalls.deny.map((d) => d.name));
  return (name) => {
    if (decided.has(name)) return 'decided';
    const prov = policy.provenance[`syscall:${name}`];
    if (!prov) return 'unseen';
    return prov.decidedBy === 'undecided' ? 'undecided' : 'decided';
  };
}

export function hiddenByView(policy: Policy): (p: string) => boolean {
  const binds = viewEntries(policy).filter((v) => v.mode === 'ro' || v.mode === 'rw').map((v) => v.path);
  const named = new Set(viewEntries(policy).map((v) => v.path));
  const inView = (p: string) => named.has(p) || p === '/proc' || p.startsWith('/proc/') || binds.some((b) => p === b || p.startsWith(b + '/'));
  const memo = new Map<string, boolean>();
  return (p0: string) => {
    // /proc/self/root is the sandbox's root: the name beneath it is the one to look at
    const p = p0.replace(/^\/proc\/(?:self|\d+)\/root(?=\/)/, '');
    let v = memo.get(p);
    if (v === undefined) {
      v = false;
      if (p.startsWith('/') && !inView(p) && existsSync(p)) {
        let real = p;
        try {
          real = realpathSync(p);
        } catch {
          /* raced away: keep the name as it is */
        }
        v = !inView(real);
      }
      memo.set(p, v);
    }
    return v;
  };
}

/**
 * What the launcher needs to be right before it builds anything: every name it hands the tracer
 * must mean something (an unknown capability, errno or socket family is refused, never dropped),
 * and a snapshot learned on another architecture is not this machine's policy.
 */
export function checkEnforceable(p: Policy, file: string, learnedOn?: string): void {
  if (learnedOn && learnedOn !== os.machine()) {
    throw new InputError(`${file} was learned on ${learnedOn}; this machine is ${os.machine()}`, 'learn the workload again on this architecture');
  }
  const bad: string[] = [];
  for (const c of p.capabilities.allow) if (!capabilityByName(c)) bad.push(`capability ${c}`);
  for (const e of [p.syscalls.defaultErrno, ...p.syscalls.deny.map((d) => d.errno), ...p.paths.flatMap((r) => (r.errno ? [r.errno] : []))])
    if (!errnoByName(e)) bad.push(`errno ${e}`);
  for (const f of p.network.allow) if (familyByName(f)?.number === undefined) bad.push(`socket family ${f}`);
  for (const a of p.arch.abis) if (a !== 'x86_64' && a !== 'x86') bad.push(`syscall ABI ${a}`);
  if (bad.length) {
    throw new InputError(`${file} names what this whittle does not know: ${[...new Set(bad)].slice(0, 8).join(', ')}${bad.length > 8 ? ', …' : ''}`, 'fix or remove those entries (names as in whittle show), or learn the workload again');
  }
}

/** Run and return the report (used by run and verify). */
export async function enforcedRun(o: RunOptions): Promise<RunResult> {
  if (!o.profile) throw new InputError('say which policy to enforce: --profile FILE', 'FILE is a snapshot (its decisions) or an exported *.whittle.json');
  if (o.container) {
    // a container runs through its own runtime (launch/container.ts, commands/container.ts)
    const { containerRun } = await import('./container.js');
    return containerRun(o);
  }
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new InputError('whittle run needs root: it builds the sandbox with namespaces, mounts and seccomp', 'run it as root, e.g. sudo whittle run …');
  }
  // With the command given, the tracer starts now and readies its probes while the policy is
  // loaded and checked (the spec follows on a descriptor); it leaves quietly if that fails.
  const timing = process.env.WHITTLE_DEBUG_TIMING ? (what: string) => process.stderr.write(`whittle timing ${what} ${performance.now().toFixed(1)} ms\n`) : () => undefined;
  let run: EarlyEnforceRun | undefined = o.argv.length ? spawnEnforceEarly({ argv: o.argv }) : undefined;
  timing('tracer spawned');
  let policy: Policy;
  let learnedFrom: RecordingMeta['container'];
  try {
    const { loadPolicy } = await import('../store/policy-file.js');
    const loaded = await loadPolicy(o.profile, { undecided: o.undecided });
    policy = loaded.policy;
    checkEnforceable(policy, o.profile, loaded.snapshot?.host.machine);
    learnedFrom = loaded.snapshot?.container;
    timing('policy loaded');
  } catch (e) {
    if (run) {
      run.abort();
      run.read({ push: () => undefined, end: () => undefined }); // nothing to read: let it end
      await run.done;
    }
    throw e;
  }
  if (learnedFrom && !o.argv.length) {
    // "the command it was learned from" is a container's: run that container, not its command here
    if (!o.quiet) say(`${o.profile} was learned from the container ${learnedFrom.ref}: running it through ${o.runtime ?? learnedFrom.runtime} (give -- CMD to run a command on this machine instead)`);
    const { containerRun } = await import('./container.js');
    return containerRun({ ...o, container: learnedFrom.ref, runtime: o.runtime ?? learnedFrom.runtime });
  }
  const argv = o.argv.length ? o.argv : policy.workload.argv;
  if (!argv.length) throw new InputError('no command to run', 'put it after --');
  if (policy.undecided.count > 0 && !o.quiet) say(`${policy.undecided.count} undecided item(s) are ${policy.undecided.treatedAs === 'deny' ? 'denied' : 'allowed'} in this run (--undecided ${policy.undecided.treatedAs === 'deny' ? 'accept' : 'deny'} to change that)`);

  const startedAt = new Date().toISOString();
  run ??= spawnEnforceEarly({ argv });
  // the spec first: the tracer waits for it, everything else here does not
  run.sendSpec(enforceSpec(policy));
  timing('spec sent');
  const denialOptions = denialOptionsFor(policy);
  const rec: Recording = newRecording();
  const warnings: string[] = [];
  const { EventLineReader } = await import('../trace/protocol.js');
  const seen = new Set<number>();
  run.read(
    new EventLineReader(
      (e) => {
        ingest(rec, e);
        if (e.type === 'warning') {
          warnings.push(e.message);
          if (!o.quiet || e.now) warn(e.message, e.hint);
        }
        if (e.type === 'item' && !seen.has(e.id)) {
          seen.add(e.id);
          // stream denials as they happen
          const it = rec.items.get(e.id);
          const c = it ? classifyItem(it, denialOptions) : null;
          // a DAC capability refusal may be part of a path denial that follows (see denialsOf):
          // said at the end if it stands on its own
          if (c && 'denial' in c && !o.quiet && !(c.denial.kind === 'capability' && isDacCapability(c.denial.name)))
            process.stderr.write(`whittle: ${red('denied')} ${describeDenial(c.denial)}\n`);
        }
      },
      (e) => warnings.push(`unreadable tracer line: ${e.message}`),
    ),
  );
  const result = await waitForSession(run);
  const { denials, probes } = denialsOf(rec, denialOptions);
  const escapes = escapesOf(rec, policy);
  for (const w of escapes) if (!o.quiet) warn(w);
  if (!o.quiet) for (const d of denials) if (d.kind === 'capability' && isDacCapability(d.name)) process.stderr.write(`whittle: ${red('denied')} ${describeDenial(d)}\n`);
  const status = rec.exit?.status ?? result.exitCode ?? EXIT.tracerFailure;
  const report: RunReport = {
    kind: 'whittle-run-report',
    schemaVersion: 1,
    policy: o.profile,
    argv,
    startedAt,
    exitStatus: rec.exit?.status ?? null,
    denials,
    probes,
    denialCount: denials.length,
    landlockAbi: rec.enforceHello?.landlockAbi ?? 0,
    pathDenialsVisible: rec.enforceHello?.pathDenials ?? false,
    lost: { total: rec.lost.total, counters: rec.lost.counters, explain: rec.lost.explain },
    warnings,
    notEnforced: enforcementGaps(policy),
    ...(escapes.length ? { escapes } : {}),
    undecided: policy.undecided.count,
    started: rec.started !== null,
  };
  if (rec.exit) {
    report.exit = { code: rec.exit.code, signal: rec.exit.signal };
    if (rec.exit.execError) report.exit.execError = rec.exit.execError;
    if (rec.exit.setupError) report.exit.setupError = rec.exit.setupError;
  }
  if (rec.enforceHello?.pathDenialsWhy) report.pathDenialsWhy = rec.enforceHello.pathDenialsWhy;
  if (!rec.end && !rec.exit) warnings.push(`the tracer stopped before the run ended (${result.signal ?? result.exitCode})`);
  return { status: rec.exit?.setupError ? EXIT.tracerFailure : status, report };
}

/**
 * Where the run's results go is checked before anything runs: a report or a snapshot that
 * cannot take them would otherwise lose them after the workload has run.
 */
async function checkOutputs(o: RunOptions): Promise<void> {
  if (o.report) {
    const dir = path.dirname(path.resolve(o.report));
    const why = !existsSync(dir) ? 'does not exist' : !statSync(dir).isDirectory() ? 'is not a directory' : undefined;
    if (why) throw new InputError(`cannot write the run report to ${o.report}: ${dir} ${why}`, 'create the directory, or give another --report path');
  }
  if (o.learnDenials) {
    // (opened again after the run to add the denials: decisions a person saves in it meanwhile,
    // e.g. in whittle review, are not overwritten by this early copy)
    const { SnapshotFile } = await import('../store/snapshot.js');
    const snap = await SnapshotFile.open(o.learnDenials);
    if (snap.doc.status !== 'complete') {
      throw new InputError(`--learn-denials ${o.learnDenials} is ${snap.doc.status}: ${snap.doc.statusReason ?? ''}`, 'give the complete snapshot the policy was learned from');
    }
  }
}

export async function runCommand(o: RunOptions): Promise<number> {
  await checkOutputs(o);
  const { status, report } = await enforcedRun(o);
  let reportError: string | undefined;
  if (o.report) {
    try {
      await writeFile(o.report, JSON.stringify(report, null, 2) + '\n');
    } catch (e) {
      // (the denials were streamed on stderr as they happened; the summary below still comes)
      reportError = `cannot write the run report to ${o.report}: ${(e as Error).message}`;
    }
  }
  // the tracer stopped before the workload was started (it said why on stderr): nothing ran,
  // so there is no run to sum up
  if (!report.started) {
    if (reportError) fail(reportError);
    return status;
  }
  if (report.exit?.execError === 'ENOENT') fail(`${report.argv[0]} is not in the sandbox's view: the policy does not let the workload reach it`);
  if (report.exit?.setupError) fail(`the sandbox could not be built: ${report.exit.setupError}`);
  if (!report.pathDenialsVisible) warn(`path and capability denials cannot be seen here (${report.pathDenialsWhy ?? 'no in-kernel probe'}): only seccomp denials are reported`);
  if (report.notEnforced.length && !o.quiet) say(`${report.notEnforced.length} accepted item(s) are enforced more widely than accepted${o.report ? ` (notEnforced in ${o.report})` : ''}: ${report.notEnforced[0]}${report.notEnforced.length > 1 ? '; …' : ''}`);
  const summary = `${report.denialCount} denial(s)${report.probes.length ? `, ${report.probes.length} probe(s) answered ENOSYS (programs fall back; not denials)` : ''}; exit status ${report.exitStatus ?? '?'}`;
  say(report.denialCount ? red(summary) : summary);
  if (o.learnDenials && report.denials.length) {
    const { SnapshotFile } = await import('../store/snapshot.js');
    const snap = await SnapshotFile.open(o.learnDenials);
    snap.doc.observed = mergeObserved(snap.doc.observed, denialsAsObserved(report.denials));
    await snap.save();
    say(`added ${report.denials.length} denial(s) to ${o.learnDenials} as items to decide (whittle review)`);
  }
  if (report.lost.total > 0) warn(`${report.lost.total} denial record(s) were lost or could not be seen (${describeLost(report.lost)}): a denial among them is not in this report`, 'whittle show REPORT explains each counter; the seccomp and audit ones usually mean a busy machine');
  if (reportError) {
    fail(reportError, 'the denials are listed above; run again with a writable --report path for the JSON');
    return EXIT.tracerFailure;
  }
  if (o.strict && status === 0 && report.denialCount > 0) return EXIT.strictDenied;
  return status;
}
