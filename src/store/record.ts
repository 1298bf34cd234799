/**
 * From a finished (or interrupted) recording to the snapshot document.
 */
import os from 'node:os';
import { inferCapabilities } from '../model/capabilities.js';
import { observedOf, type Recording } from '../model/observations.js';
import { SNAPSHOT_KIND, SNAPSHOT_SCHEMA_VERSION } from './kinds.js';
import type { SnapshotDoc } from './schema.js';

export interface RecordingMeta {
  whittleVersion: string;
  argv: string[];
  cwd: string;
  createdAt: string;
  /** whittle learn --container: the container and its runtime (argumentsRecorded is filled in from the session). */
  container?: NonNullable<SnapshotDoc['container']>;
}

/** A snapshot that says "being recorded": what is on disk until the session ends. */
export function recordingStub(meta: RecordingMeta): SnapshotDoc {
  return {
    kind: SNAPSHOT_KIND,
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    status: 'recording',
    statusReason: 'the session has not ended (or whittle stopped before it could save)',
    createdAt: meta.createdAt,
    whittleVersion: meta.whittleVersion,
    host: { kernel: os.release(), machine: os.machine(), hostname: os.hostname() },
    recorder: null,
    workload: { argv: meta.argv, cwd: meta.cwd, exitStatus: null },
    observed: { syscalls: [], paths: [], execs: [], mounts: [], network: [], capabilities: [] },
    lost: { total: 0, counters: {}, explain: {} },
    messages: [],
    decisions: {},
    ...(meta.container ? { container: { ...meta.container } } : {}),
  };
}

/**
 * The snapshot for a recording. `complete` only when the tracer said the session ended;
 * otherwise it is saved as `incomplete` with the reason, never looking complete.
 */
export function snapshotFromRecording(rec: Recording, meta: RecordingMeta, incompleteReason?: string): SnapshotDoc {
  const doc = recordingStub(meta);
  const observed = observedOf(rec);
  if (rec.hello) {
    doc.recorder = {
      mechanism: rec.hello.mechanism,
      tracerVersion: rec.hello.version,
      libseccomp: rec.hello.libseccomp,
      libseccompHorizon: rec.hello.libseccompHorizon,
      capabilities: rec.hello.capabilities,
      pathResults: rec.hello.pathResults,
    };
    doc.host.kernel = rec.hello.kernel;
    doc.host.machine = rec.hello.machine;
    if (rec.hello.capabilities === 'inferred') observed.capabilities.push(...inferCapabilities(observed));
  }
  doc.observed = observed;
  if (rec.started && !doc.container) doc.workload.path = rec.started.path;
  if (doc.container) {
    doc.container.argumentsRecorded = rec.container?.notify ?? false;
    if (rec.container?.pid && rec.container.pid > 0) doc.container.pid = rec.container.pid;
    if (rec.container?.id) doc.container.id = rec.container.id;
  }
  if (rec.exit) {
    doc.workload.exitStatus = rec.exit.status;
    doc.workload.exit = { code: rec.exit.code, signal: rec.exit.signal };
    if (rec.exit.coreDumped !== undefined) doc.workload.exit.coreDumped = rec.exit.coreDumped;
    if (rec.exit.execError !== undefined) doc.workload.exit.execError = rec.exit.execError;
    doc.workload.processes = rec.exit.processes;
  }
  if (rec.end) doc.workload.elapsed = rec.end.elapsed;
  doc.lost = { total: rec.lost.total, counters: { ...rec.lost.counters }, explain: { ...rec.lost.explain } };
  if (rec.orphanCounts) {
    doc.lost.counters.protocolOrphanCounts = rec.orphanCounts;
    doc.lost.explain.protocolOrphanCounts = 'counts the tracer sent for items it never announced';
    doc.lost.total += rec.orphanCounts;
  }
  doc.messages = rec.messages.map((m) => (m.hint ? { type: m.type, message: m.message, hint: m.hint } : { type: m.type, message: m.message }));
  doc.endedAt = new Date().toISOString();
  if (rec.end && !incompleteReason) {
    doc.status = 'complete';
    delete doc.statusReason;
  } else {
    doc.status = 'incomplete';
    doc.statusReason = incompleteReason ?? 'the tracer stopped before the session ended: what is recorded is only part of what the workload did';
  }
  return doc;
}
