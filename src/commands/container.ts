/**
 * `whittle learn --container REF [--runtime R]` and `whittle run --container REF [--runtime R]
 * --profile FILE`: a container learned and launched through its own runtime (runc, crun, podman).
 *
 * Learning: the runtime gets an OCI seccomp profile whose default is SCMP_ACT_LOG, with
 * SCMP_ACT_NOTIFY and a listenerPath for the argument-carrying syscalls; whittle's tracer takes
 * the listener, answers CONTINUE, and reads the container's RET_LOG records. What the runtime
 * does itself after installing the filter is its own layer. Running: the decided policy as an
 * OCI profile with the target runtime's layer; denials are what the in-kernel probe sees fail in
 * the container that the profile refuses (runc 1.1.5 cannot ask the kernel to log them).
 */
import path from 'node:path';
import { exporterFor } from '../export/registry.js';
import { prepareContainer, runtimeMarks, seccompFlagsFor, type PreparedContainer, type Runtime, type RuntimeInfo } from '../launch/container.js';
import { runtimeLayers } from '../model/knowledge/runtime-layers.js';
import { errnoByNumber } from '../model/knowledge/errnos.js';
import { ingest, newRecording, type Recording } from '../model/observations.js';
import type { Policy } from '../model/policy.js';
import { describeDenial, type Denial, type Probe, type RunReport } from '../model/report.js';
import { containerCapabilities } from '../model/summary.js';
import { InputError } from '../store/errors.js';
import { loadPolicy } from '../store/policy-file.js';
import { SnapshotFile } from '../store/snapshot.js';
import type { RecordingMeta } from '../store/record.js';
import { containerLearnArgs, learnProfile, spawnContainerLearn, spawnContainerRun } from '../trace/container.js';
import { waitForSession } from '../trace/tracer-process.js';
import { whittleVersion } from '../version.js';
import { defaultSnapshotPath, EXIT, recordHeadless, type LearnOptions } from './learn.js';
import { red, say, warn } from './output.js';
import { enforcementGaps } from '../launch/plan.js';
import { checkEnforceable, escapesOf, whyRefused, type RunOptions, type RunResult } from './run.js';

function requireRoot(what: string): void {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new InputError(`whittle ${what} --container needs root: it runs the container runtime and reads the kernel's records`, `run it as root, e.g. sudo whittle ${what} …`);
  }
}

/** A snapshot name for a container: the image's or bundle's name. */
function refName(ref: string): string {
  const base = ref.replace(/^[a-z-]+:/, '').replace(/[:@].*$/, '').replace(/\/+$/, '');
  return path.basename(base) || 'container';
}

/* ---- learn ---- */

export async function learnContainerCommand(o: LearnOptions): Promise<number> {
  if (o.mechanism === 'ebpf') {
    throw new InputError('a container is learned with the seccomp recorder (its runtime installs the filter whittle gives it): --mechanism ebpf does not apply', 'leave --mechanism out');
  }
  requireRoot('learn');
  let listener = '';
  const prep = await prepareContainer({
    ref: o.container!,
    runtime: o.runtime as Runtime | undefined,
    argv: o.argv,
    seccomp: async (work, rt) => {
      listener = path.join(work, 'listener.sock');
      // crun takes WAIT_KILLABLE_RECV: a notified call is not interrupted by the container's signals
      return learnProfile(listener, seccompFlagsFor(rt, ['SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV']));
    },
  });
  try {
    const file = o.snapshot ?? defaultSnapshotPath([refName(o.container!)]);
    const meta: RecordingMeta = { whittleVersion, argv: prep.processArgs, cwd: process.cwd(), createdAt: new Date().toISOString(), container: prep.meta };
    say(`learning ${prep.ref.ref} (${prep.ref.kind}) through ${describeRuntime(prep.runtime)}: ${prep.processArgs.join(' ')}`);
    const session = { argv: prep.argv, config: prep.config, listener, runtimeExes: runtimeMarks.exes, runtimeComms: runtimeMarks.comms };
    if (!o.headless) {
      const { runLearnTui } = await import('./tui.js');
      const status = await runLearnTui({ ...o, snapshot: file, argv: prep.processArgs }, { tracerArgs: containerLearnArgs(session), meta: prep.meta });
      await summarizeContainerSnapshot(file);
      return status;
    }
    const status = await recordHeadless({
      file,
      meta,
      force: o.force,
      strict: o.strict,
      spawn: () => spawnContainerLearn(session),
      nothingRan: (rec) => (rec.container === null && [...rec.items.values()].every((i) => i.kind !== 'syscall') ? `the container did not start: ${prep.runtime.runtime} exited ${rec.exit?.status ?? '?'} before the container's filter was in place (its message is above); no snapshot was written` : undefined),
    });
    await summarizeContainerSnapshot(file);
    return status;
  } finally {
    await prep.cleanup();
  }
}

function describeRuntime(rt: RuntimeInfo): string {
  return `${rt.runtime} ${rt.version}${rt.ociRuntime ? ` (with ${rt.ociRuntime})` : ''}`;
}

/** After learning: the runtime's layer, and the capabilities against the set the container was given. */
async function summarizeContainerSnapshot(file: string): Promise<void> {
  let doc;
  try {
    doc = (await SnapshotFile.open(file)).doc;
  } catch {
    return; // nothing was saved (the session failed): learn said why
  }
  const c = doc.container;
  if (!c) return;
  if (doc.observed.syscalls.length === 0) {
    warn(`the container did not start: ${c.runtime} exited ${doc.workload.exitStatus ?? '?'} before the container's filter was in place (its message was in the workload's pane); nothing was recorded`);
    return;
  }
  const layer = [...new Set(doc.observed.syscalls.filter((s) => s.layer === 'runtime').map((s) => s.name))].sort();
  say(`runtime layer: ${c.runtime} made ${layer.length} syscall(s) itself after installing the filter (kept in profiles for ${c.runtime}): ${layer.join(' ') || '(none)'}`);
  if (!c.argumentsRecorded) warn(`${c.runtime} gave whittle no seccomp listener: only syscalls were recorded, no paths, sockets or mounts`);
  const caps = containerCapabilities(c.capabilities, doc.observed.capabilities);
  say(`capabilities: the container was given ${caps.set.length} (${caps.source}); used ${caps.used.length ? caps.used.join(' ') : 'none'}; never used, can be dropped: ${caps.unused.join(' ') || 'none'}`);
  if (caps.missing.length) warn(`the container asked for capabilities it was not given: ${caps.missing.join(' ')}`);
}

/* ---- run ---- */

/** What a rendered OCI profile answers for a syscall: allowed, an errno, or it depends on the arguments. */
type Answer = 'allow' | 'conditional' | number;

interface OciObject {
  defaultAction: string;
  defaultErrnoRet?: number;
  syscalls: Array<{ names: string[]; action: string; errnoRet?: number; args?: unknown[] }>;
  flags?: string[];
}

function answers(p: OciObject): (name: string) => Answer {
  const table = new Map<string, Answer>();
  for (const r of p.syscalls) {
    for (const n of r.names) {
      if (r.args?.length) {
        table.set(n, 'conditional');
        continue;
      }
      if (table.has(n)) continue;
      table.set(n, r.action === 'SCMP_ACT_ALLOW' || r.action === 'SCMP_ACT_LOG' ? 'allow' : (r.errnoRet ?? 1));
    }
  }
  const dflt: Answer = p.defaultAction === 'SCMP_ACT_ALLOW' ? 'allow' : (p.defaultErrnoRet ?? 1);
  return (name) => table.get(name) ?? dflt;
}

const errnoName = (n: number) => errnoByNumber(n)?.name ?? `errno ${n}`;

/**
 * Before launching a profile learned under one runtime on another: which of the target's own
 * syscalls the profile lacks (they are added: the target's measured layer), and whether the
 * installed runtime is the version its layer was measured with.
 */
export function crossRuntimeNotes(policy: Policy, learnedUnder: string | undefined, target: RuntimeInfo): string[] {
  const layer = runtimeLayers[target.runtime];
  const notes: string[] = [];
  const allowed = new Set(policy.syscalls.allow);
  const own = learnedUnder === target.runtime ? new Set(policy.runtimeLayer?.syscalls ?? []) : new Set<string>();
  const missing = layer.syscalls.filter((n) => !allowed.has(n) && !own.has(n));
  if (learnedUnder && learnedUnder !== target.runtime) {
    notes.push(
      `the profile was learned under ${learnedUnder}; ${target.runtime} makes ${missing.length} syscall(s) of its own that it lacks${missing.length ? `: ${missing.join(' ')}` : ''}` +
        ` — whittle adds ${target.runtime}'s measured layer (${target.runtime} ${layer.version}, knowledge/runtime-layers.ts) so the container can start`,
    );
  } else if (!learnedUnder) {
    notes.push(`the profile was not learned in a container: whittle adds ${target.runtime}'s own layer (${missing.length} syscall(s)${missing.length ? `: ${missing.join(' ')}` : ''})`);
  }
  const measured = layer.version;
  const installed = target.runtime === 'podman' ? target.version : target.version;
  if (installed !== 'unknown' && installed !== measured) {
    notes.push(`${target.runtime}'s layer was measured with ${target.runtime} ${measured}; this is ${installed}: if the container fails to start, learn it again under this runtime`);
  }
  return notes;
}

export async function containerRun(o: RunOptions): Promise<RunResult> {
  if (!o.profile) throw new InputError('say which policy to enforce: --profile FILE', 'FILE is a snapshot (its decisions) or an exported *.whittle.json');
  requireRoot('run');
  const { policy, snapshot } = await loadPolicy(o.profile, { undecided: o.undecided });
  checkEnforceable(policy, o.profile, snapshot?.host.machine);
  const learnedUnder = policy.runtimeLayer?.runtime ?? snapshot?.container?.runtime;
  if (policy.undecided.count > 0 && !o.quiet) say(`${policy.undecided.count} undecided item(s) are ${policy.undecided.treatedAs === 'deny' ? 'denied' : 'allowed'} in this run (--undecided ${policy.undecided.treatedAs === 'deny' ? 'accept' : 'deny'} to change that)`);
  const oci = (await exporterFor('oci'))!;
  let profile: OciObject | undefined;
  const prep: PreparedContainer = await prepareContainer({
    ref: o.container!,
    runtime: (o.runtime ?? learnedUnder) as Runtime | undefined,
    argv: o.argv,
    capabilities: policy.capabilities.allow,
    seccomp: async (_work, rt) => {
      if (!o.quiet) for (const n of crossRuntimeNotes(policy, learnedUnder, rt)) say(n);
      const r = oci.render(policy, { name: 'container', runtime: rt.runtime });
      // no SECCOMP_FILTER_FLAG_LOG, even where the runtime takes it (crun): denials come from the
      // in-kernel probe, and a logged answer can stall the container behind a full audit backlog
      const obj = JSON.parse(String(r.artifacts[0]!.content)) as OciObject;
      profile = obj;
      return obj as unknown as Record<string, unknown>;
    },
  });
  const startedAt = new Date().toISOString();
  const warnings: string[] = [];
  const rec: Recording = newRecording();
  const answer = answers(profile!);
  const accepted = new Set(policy.capabilities.allow);
  const denials = new Map<string, Denial>();
  const probes = new Map<string, Probe>();
  const rt = prep.runtime;
  const who = (first: Denial['first']) => (first.exe === '/' ? { ...first, exe: `${rt.runtime} (the runtime itself, before the container's program ran)` } : first);
  const why = whyRefused(policy);
  const note = (key: string, d0: Denial) => {
    const w = d0.kind === 'syscall' && !d0.name.startsWith('syscall#') ? why(d0.name) : undefined;
    const d: Denial = w ? { ...d0, why: w } : d0;
    const prev = denials.get(key);
    if (prev) {
      prev.count = Math.max(prev.count, d.count);
      return;
    }
    denials.set(key, d);
    if (!o.quiet) process.stderr.write(`whittle: ${red('denied')} ${describeDenial(d)}\n`);
  };
  const classify = (it: Recording['items'] extends Map<number, infer T> ? T : never) => {
    const first = who({ t: it.t, ...(it.pid !== undefined ? { pid: it.pid } : {}), ...(it.exe !== undefined ? { exe: it.exe } : {}), ...(it.syscall !== undefined ? { syscall: it.syscall } : {}) });
    const count = Math.max(1, it.count);
    switch (it.kind) {
      case 'denied': {
        const name = it.name ?? `syscall#${it.nr}`;
        if (it.errno !== 'unknown') return note(`syscall:${name}`, { kind: 'syscall', name, arch: it.arch, errno: it.errno, count, first });
        const a = answer(name);
        if (a === 38) {
          const p = probes.get(name);
          if (p) p.count = Math.max(p.count, count);
          else probes.set(name, { name, arch: it.arch, count });
          return;
        }
        return note(`syscall:${name}`, { kind: 'syscall', name, arch: it.arch, errno: typeof a === 'number' ? errnoName(a) : 'EPERM', count, first });
      }
      case 'syscall': {
        // the probe: the first failure of a call in the container; the profile's doing when the profile refuses that call
        const name = it.name ?? `syscall#${it.nr}`;
        const a = answer(name);
        if (a === 38) {
          const p = probes.get(name);
          if (!p) probes.set(name, { name, arch: it.arch, count });
          return;
        }
        if (typeof a === 'number') note(`syscall:${name}`, { kind: 'syscall', name, arch: it.arch, errno: errnoName(a), count, first });
        return;
      }
      case 'net':
        if (it.op === 'socket' && it.result === 'EAFNOSUPPORT') note(`family:${it.family}`, { kind: 'family', name: it.op, errno: it.result, family: it.family, count, first });
        return;
      case 'cap':
        if (!it.granted && it.class === 'required' && !accepted.has(it.name)) note(`cap:${it.name}`, { kind: 'capability', name: it.name, errno: 'EPERM', count, first });
        return;
      default:
        return; // paths are not what an OCI seccomp profile restricts
    }
  };
  const run = spawnContainerRun({ argv: prep.argv, config: prep.config, syscallDenials: true });
  const { EventLineReader } = await import('../trace/protocol.js');
  run.read(
    new EventLineReader(
      (e) => {
        const it = ingest(rec, e);
        if (e.type === 'warning') {
          warnings.push(e.message);
          if (!o.quiet) warn(e.message, e.hint);
        }
        if (it) classify(it);
      },
      (e) => warnings.push(`unreadable tracer line: ${e.message}`),
    ),
  );
  let result;
  try {
    result = await waitForSession(run);
  } finally {
    await prep.cleanup();
  }
  // counts arrive after the items: bring them up to date
  for (const it of rec.items.values()) classify(it);
  const status = rec.exit?.status ?? result.exitCode ?? EXIT.tracerFailure;
  const denialList = [...denials.values()];
  const dropped = prep.meta.capabilities.set.filter((c) => !accepted.has(c));
  const escapes = escapesOf(rec, policy);
  for (const e of escapes) if (!o.quiet) warn(e);
  const report: RunReport = {
    kind: 'whittle-run-report',
    schemaVersion: 1,
    policy: o.profile,
    argv: prep.processArgs,
    startedAt,
    exitStatus: rec.exit?.status ?? null,
    denials: denialList,
    probes: [...probes.values()],
    denialCount: denialList.length,
    landlockAbi: 0,
    pathDenialsVisible: rec.enforceHello?.pathDenials ?? false,
    lost: { total: rec.lost.total, counters: rec.lost.counters, explain: rec.lost.explain },
    warnings,
    notEnforced: [
      `paths, mounts and addresses: ${rt.runtime} is given a seccomp profile (and the capabilities), which does not restrict them`,
      ...enforcementGaps(policy).filter((g) => g.startsWith('io_uring_setup')),
    ],
    ...(escapes.length ? { escapes } : {}),
    undecided: policy.undecided.count,
    started: rec.started !== null,
  };
  if (rec.enforceHello?.pathDenialsWhy) report.pathDenialsWhy = rec.enforceHello.pathDenialsWhy;
  if (rec.exit) report.exit = { code: rec.exit.code, signal: rec.exit.signal };
  if (!o.quiet && dropped.length) say(`the container ran without ${dropped.length} capability(ies) of its set that the policy does not accept: ${dropped.join(' ')}`);
  if (!rec.end && !rec.exit) warnings.push(`the tracer stopped before the run ended (${result.signal ?? result.exitCode})`);
  return { status, report };
}
