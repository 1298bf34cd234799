/**
 * `whittle learn`: run a workload in complain/log mode and record everything it does into one
 * snapshot. Headless here; the TUI (app/) drives the same session.
 */
import path from 'node:path';
import { newRecording, ingest, type Recording } from '../model/observations.js';
import { SnapshotFile } from '../store/snapshot.js';
import { recordingStub, snapshotFromRecording, type RecordingMeta } from '../store/record.js';
import { InputError } from '../store/errors.js';
import { spawnLearn, waitForSession, type TracerRun } from '../trace/tracer-process.js';
import { whittleVersion } from '../version.js';
import { fail, red, say, warn } from './output.js';
import { describeSnapshot } from './show.js';

export interface LearnOptions {
  headless: boolean;
  snapshot?: string;
  force: boolean;
  mechanism?: 'seccomp' | 'ebpf';
  strict: boolean;
  /** Tuning: the audit socket's receive buffer and the eBPF ring buffer ("64M", "512k"). */
  auditBuffer?: string;
  ringBuffer?: string;
  container?: string;
  runtime?: string;
  argv: string[];
}

/** Exit codes of learn and run (design.md): the workload's status passes through. */
export const EXIT = { tracerFailure: 125, cannotExec: 126, notFound: 127, strictLost: 120, strictDenied: 121 } as const;

function timestamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** Where a snapshot goes when --snapshot is not given: snapshots/<command>-<time>.json. */
export function defaultSnapshotPath(argv: string[], now = new Date()): string {
  const base = path.basename(argv[0] ?? 'workload').replace(/[^A-Za-z0-9._-]/g, '_') || 'workload';
  return path.join('snapshots', `${base}-${timestamp(now)}.json`);
}

/** Check what can be checked before anything runs. Throws InputError. */
export function checkLearnPreconditions(o: LearnOptions): void {
  if (o.argv.length === 0) throw new InputError('no command to learn', 'put the command after --, e.g. whittle learn --headless -- ls /');
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new InputError('whittle learn needs root: it loads kernel probes and reads the kernel audit stream', 'run it as root, e.g. sudo whittle learn …');
  }
}

/** Print the one-paragraph result of a session on stderr. */
function reportSession(rec: Recording, file: string, status: string): void {
  say(`snapshot ${file} (${status})`);
  for (const line of describeSnapshot(rec)) say(line);
  if (rec.lost.total > 0) {
    const parts = Object.entries(rec.lost.counters)
      .filter(([, v]) => v > 0)
      .map(([k, v]) => `${k} ${v}`);
    say(red(`LOST ${rec.lost.total} event(s): ${parts.join(', ')} — the snapshot is missing what these were`));
  }
}

/** Kill every process left in a session cgroup (the tracer died before it could). */
async function killTree(cgroupPath: string): Promise<void> {
  const { writeFile } = await import('node:fs/promises');
  await writeFile(path.join(cgroupPath, 'cgroup.kill'), '1').catch(() => undefined);
}

export async function learnCommand(o: LearnOptions): Promise<number> {
  if (o.container) {
    // a container is learned through its runtime (launch/container.ts, commands/container.ts)
    const { learnContainerCommand } = await import('./container.js');
    return learnContainerCommand(o);
  }
  checkLearnPreconditions(o);
  if (!o.headless) {
    const { runLearnTui } = await import('./tui.js');
    return runLearnTui(o);
  }
  const file = o.snapshot ?? defaultSnapshotPath(o.argv);
  const meta: RecordingMeta = { whittleVersion, argv: o.argv, cwd: process.cwd(), createdAt: new Date().toISOString() };
  return recordHeadless({
    file,
    meta,
    force: o.force,
    strict: o.strict,
    spawn: () => spawnLearn({ argv: o.argv, mechanism: o.mechanism, rcvbuf: o.auditBuffer, ringbuf: o.ringBuffer }),
  });
}

/**
 * A headless learning session: the snapshot is created before the tracer starts (an unwritable
 * path fails with nothing run), the tracer's events are folded into it, and the workload's status
 * passes through. `spawn` starts the tracer (a plain workload, or a container through its runtime).
 */
export async function recordHeadless(r: {
  file: string;
  meta: RecordingMeta;
  force: boolean;
  strict: boolean;
  spawn: () => TracerRun;
  /** Why what was recorded is not the workload at all (e.g. the container never started), or undefined. */
  nothingRan?: (rec: Recording) => string | undefined;
}): Promise<number> {
  const { file, meta } = r;
  const o = { argv: meta.argv, strict: r.strict };
  // Written before the workload starts: an unwritable path fails here, with nothing run.
  const snap = await SnapshotFile.create(file, recordingStub(meta), { force: r.force });

  const rec = newRecording();
  let protocolErrors = 0;
  const run = r.spawn();
  // The parser loads while the tracer starts; the stream waits for it.
  const { EventLineReader } = await import('../trace/protocol.js');
  run.read(
    new EventLineReader(
      (e) => {
        ingest(rec, e);
        if (e.type === 'warning') warn(e.message, e.hint);
      },
      (e) => {
        protocolErrors++;
        if (protocolErrors <= 3) warn(`tracer sent a line whittle cannot read (${e.message}): ${e.line.slice(0, 120)}`);
      },
    ),
  );

  const timing = process.env.WHITTLE_DEBUG_TIMING ? (what: string) => process.stderr.write(`timing ${what} ${performance.now().toFixed(0)} ms\n`) : () => undefined;
  timing('spawned');
  const result = await waitForSession(run);
  timing('tracer done');

  const tracerCode = result.exitCode ?? EXIT.tracerFailure;
  if (!rec.started) {
    // Nothing ran (command not found, no permission, a kernel feature missing): no snapshot.
    await snap.remove();
    for (const m of rec.messages.filter((m) => m.type === 'error')) {
      if (!m.message.includes('command not found') && !m.message.includes('cannot execute')) {
        /* the tracer already printed it on stderr */
      }
    }
    if (result.signal) fail(`the tracer was killed by ${result.signal} before the workload started`);
    return tracerCode === 0 ? EXIT.tracerFailure : tracerCode;
  }
  if (rec.exit?.execError) {
    // The exec itself failed after the session started: nothing of the workload's is recorded.
    await snap.remove();
    fail(`cannot execute ${o.argv[0]}: ${rec.exit.execError}`);
    return rec.exit.status;
  }

  const nothing = rec.end ? r.nothingRan?.(rec) : undefined;
  if (nothing) {
    await snap.remove();
    fail(nothing);
    return rec.exit?.status || EXIT.tracerFailure;
  }
  let reason: string | undefined;
  if (!rec.end && rec.started.cgroupPath) {
    // The tracer died with the workload still running: nothing may run on unsupervised.
    await killTree(rec.started.cgroupPath);
  }
  if (!rec.end) reason = result.signal ? `the tracer was killed by ${result.signal}` : `the tracer exited (${tracerCode}) before the session ended`;
  if (protocolErrors) {
    reason = reason ?? undefined;
    rec.lost.counters.unreadableEvents = protocolErrors;
    rec.lost.explain.unreadableEvents = 'lines from the tracer whittle could not parse';
    rec.lost.total += protocolErrors;
  }
  const doc = snapshotFromRecording(rec, meta, reason);
  timing('doc built');
  // replaced, not merged: the stub's "has not ended" reason must not outlive the session
  snap.replaceDoc(doc);
  await snap.save();
  timing('saved');
  reportSession(rec, file, doc.status);
  if (doc.status !== 'complete') {
    fail(`the snapshot is incomplete: ${doc.statusReason}`);
    return EXIT.tracerFailure;
  }
  const status = rec.exit?.status ?? tracerCode;
  if (o.strict && status === 0 && rec.lost.total > 0) {
    fail(`--strict: ${rec.lost.total} event(s) were lost, so the snapshot may be missing what the workload needs`);
    return EXIT.strictLost;
  }
  return status;
}
