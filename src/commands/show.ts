/**
 * `whittle show FILE [--json]`: for a snapshot, the stable JSON of the contract or a readable
 * summary; for a run report (whittle run --report), what the enforced run saw, readable or as
 * the report's JSON.
 */
import { open } from 'node:fs/promises';
import type { Recording } from '../model/observations.js';
import { describeDenial, type RunReport } from '../model/report.js';
import { RUN_REPORT_KIND } from '../store/kinds.js';
import { readRunReport } from '../store/report-file.js';
import { showJson, capabilitiesByName } from '../model/summary.js';
import { SnapshotFile } from '../store/snapshot.js';
import type { SnapshotDoc } from '../store/schema.js';
import { messageText } from '../trace/protocol.js';

/** One or two lines on what a recording holds (used right after learn). */
export function describeSnapshot(rec: Recording): string[] {
  const n = { syscall: 0, path: 0, exec: 0, mount: 0, net: 0, cap: 0, denied: 0 };
  let runtime = 0;
  for (const it of rec.items.values()) {
    if (it.kind === 'syscall' && it.layer === 'runtime') runtime++;
    else n[it.kind]++;
  }
  const mech = rec.hello ? `${rec.hello.mechanism}` : '?';
  const procs = rec.exit?.processes ?? 0;
  const secs = rec.end ? rec.end.elapsed.toFixed(2) : '?';
  return [
    `recorded ${n.syscall} syscalls${rec.container || runtime ? ` (and ${runtime} of the container runtime's own)` : ''}, ${n.path} path items, ${n.exec} execs, ${n.mount} mount/namespace ops, ${n.net} network items, ${n.cap} capability checks`,
    `from ${procs} process(es) in ${secs} s with the ${mech} recorder; lost: ${rec.lost.total}`,
  ];
}

function exitText(doc: SnapshotDoc): string {
  const e = doc.workload.exit;
  if (!e) return doc.workload.exitStatus === null ? 'not recorded' : String(doc.workload.exitStatus);
  if (e.signal) return `killed by ${e.signal} (status ${doc.workload.exitStatus})`;
  return `exited ${e.code}`;
}

/** What was lost, each counter with what it is ("" when nothing was). */
function lostText(lost: { total: number; counters: Record<string, number>; explain?: Record<string, string> }): string {
  if (lost.total === 0) return '';
  const each = Object.entries(lost.counters)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${k} ${v}${lost.explain?.[k] ? ` (${lost.explain[k]})` : ''}`);
  return `${lost.total}: ${each.join('; ')}`;
}

function top<T>(rows: T[], n: number, f: (r: T) => string): string[] {
  const lines = rows.slice(0, n).map(f);
  if (rows.length > n) lines.push(`  … and ${rows.length - n} more (whittle show --json)`);
  return lines;
}

/** The stable JSON view of a snapshot document. */
function showJsonOf(doc: SnapshotDoc) {
  return showJson({
    kind: doc.kind,
    schemaVersion: doc.schemaVersion,
    status: doc.status,
    mechanism: doc.recorder?.mechanism ?? 'unknown',
    argv: doc.workload.argv,
    exitStatus: doc.workload.exitStatus,
    observed: doc.observed,
    lost: doc.lost,
    ...(doc.container ? { container: doc.container } : {}),
  });
}

/** The readable summary. */
export function renderShow(doc: SnapshotDoc, file: string): string {
  const j = showJsonOf(doc);
  const out: string[] = [];
  out.push(`${file}`);
  out.push(`  workload   ${doc.workload.argv.join(' ')}  (${exitText(doc)}, ${doc.workload.processes ?? '?'} process(es))`);
  if (doc.container) {
    const c = doc.container;
    out.push(`  container  ${c.ref} (${c.refKind}) through ${c.runtime} ${c.runtimeVersion}${c.ociRuntime ? ` with ${c.ociRuntime}` : ''}; paths as the container sees them`);
    if (!c.argumentsRecorded) out.push(`  note       the runtime gave no seccomp listener: syscalls only, no arguments (paths, sockets, mounts)`);
  }
  out.push(`  recorded   ${doc.createdAt} on ${doc.host.hostname}, kernel ${doc.host.kernel}, ${doc.recorder?.mechanism ?? '?'} recorder`);
  if (doc.status !== 'complete') out.push(`  STATUS     ${doc.status.toUpperCase()}: ${doc.statusReason ?? ''}`);
  out.push(`  lost       ${lostText(doc.lost) || '0 (nothing the tracer could have missed was lost)'}`);
  if (doc.recorder && !doc.recorder.pathResults) out.push(`  note       path results are 'unknown': the ${doc.recorder.mechanism} recorder does not see syscall exits`);
  if (doc.recorder?.capabilities === 'inferred') out.push(`  note       capabilities are inferred from syscalls (no in-kernel probe): check them before dropping any`);
  out.push('');
  out.push(`syscalls (${j.syscalls.length})`);
  const sc = [...j.syscalls].sort((a, b) => b.count - a.count);
  out.push(...top(sc, 1000, (s) => `  ${s.name.padEnd(22)} ${s.arch.padEnd(7)} ${String(s.count).padStart(9)}`));
  out.push('');
  if (j.runtimeLayer && doc.container) {
    out.push(`runtime layer: what ${doc.container.runtime} ${doc.container.runtimeVersion} did itself after installing the filter (${j.runtimeLayer.length}; kept in profiles for ${doc.container.runtime})`);
    out.push(`  ${j.runtimeLayer.map((s) => (s.arch === 'x86_64' ? s.name : `${s.name} (${s.arch})`)).join(' ') || '(none seen)'}`);
    out.push('');
  }
  out.push(`paths (${j.paths.length})`);
  out.push(...top(j.paths, 60, (p) => `  ${p.access.padEnd(12)} ${p.result.padEnd(8)} ${String(p.count).padStart(6)}  ${p.path}`));
  out.push('');
  out.push(`execs (${doc.observed.execs.length})`);
  out.push(...top(doc.observed.execs, 30, (e) => `  ${e.result === 'ok' || e.result === 'unknown' ? '' : `[${e.result}] `}${e.path}  (argv0 ${e.argv0}, ${e.count}×)`));
  if (j.mounts.length) {
    out.push('');
    out.push(`mounts and namespaces (${j.mounts.length})`);
    out.push(...top(j.mounts, 30, (m) => `  ${m.op.padEnd(11)} ${[m.source, m.target, m.fstype, m.flags].filter(Boolean).join('  ')}  → ${m.result}`));
  }
  if (j.network.length) {
    out.push('');
    out.push(`network (${j.network.length})`);
    out.push(...top(j.network, 30, (n) => `  ${n.op.padEnd(10)} ${n.family.padEnd(11)} ${(n.type ?? '').padEnd(14)} ${n.port ?? ''} ${n.addr ?? ''}`));
  }
  out.push('');
  const caps = capabilitiesByName(doc.observed.capabilities);
  out.push(`capabilities (${caps.length})`);
  out.push(...top(caps, 50, (c) => `  ${c.name.padEnd(24)} ${c.class.padEnd(9)} ${c.inferred ? 'inferred' : 'observed'}  by ${c.syscalls.join(', ') || '(exec)'}`));
  if (j.container) {
    const cc = j.container.capabilities;
    out.push(`  the container was given ${cc.set.length} (${cc.source}): ${cc.set.join(' ') || '(none)'}`);
    out.push(`  never used, can be dropped: ${cc.unused.join(' ') || '(none)'}`);
    if (cc.missing.length) out.push(`  used but not given (refused): ${cc.missing.join(' ')}`);
  }
  if (j.container?.mounts.length) {
    out.push('');
    out.push(`the container's mounts (from its configuration; the runtime makes them before the filter) (${j.container.mounts.length})`);
    out.push(...top(j.container.mounts, 40, (m) => `  ${m.destination.padEnd(24)} ${m.type.padEnd(8)} ${m.source}${m.options.length ? `  ${m.options.join(',')}` : ''}`));
  }
  if (doc.messages.length) {
    out.push('');
    out.push('messages from the tracer');
    for (const m of doc.messages) out.push(`  ${messageText(m)}`);
  }
  return out.join('\n') + '\n';
}

/** The readable summary of a run report: the verdict first, then each denial. */
export function renderRunReport(r: RunReport, file: string): string {
  const out: string[] = [file];
  const how = r.exit?.execError ?? r.exit?.setupError ?? (r.exit?.signal ? `killed by ${r.exit.signal}` : r.exitStatus === null ? 'did not end normally' : `exited ${r.exitStatus}`);
  out.push(`  run        ${r.argv.join(' ')}  (${how})`);
  out.push(`  policy     ${r.policy}, started ${r.startedAt}`);
  if (!r.started) out.push('  STATUS     the workload was not started (the sandbox could not be set up; see warnings)');
  const verdict = r.escapes?.length ? `NOT HELD: ${r.escapes.length} thing(s) done that the policy does not accept; ${r.denialCount} denial(s)` : r.denialCount === 0 ? 'clean: no denials' : `${r.denialCount} denial(s)`;
  out.push(`  verdict    ${verdict}${r.probes.length ? `; ${r.probes.length} probe(s) answered ENOSYS (not denials)` : ''}`);
  out.push(`  sandbox    ${r.landlockAbi > 0 ? `Landlock ABI ${r.landlockAbi}` : 'no Landlock'}; path denials ${r.pathDenialsVisible ? 'seen' : `NOT seen${r.pathDenialsWhy ? ` (${r.pathDenialsWhy})` : ''}`}`);
  if (r.undecided) out.push(`  undecided  ${r.undecided} item(s) had no decision and were denied`);
  out.push(`  lost       ${lostText(r.lost) || '0'}`);
  out.push('');
  out.push(`denials (${r.denials.length})`);
  out.push(...top(r.denials, 200, (d) => `  ${describeDenial(d)}${d.count > 1 ? `  ${d.count}×` : ''}`));
  if (r.probes.length) {
    out.push('');
    out.push(`probes answered ENOSYS, as the errno policy says (${r.probes.length})`);
    out.push(...top(r.probes, 50, (p) => `  ${p.name}${p.arch !== 'x86_64' ? ` (${p.arch})` : ''}  ${p.count}×`));
  }
  if (r.escapes?.length) {
    out.push('');
    out.push(`NOT HELD: done although the policy does not accept it (${r.escapes.length})`);
    out.push(...top(r.escapes, 50, (e) => `  ${e}`));
  }
  if (r.notEnforced.length) {
    out.push('');
    out.push(`enforced more widely than accepted (${r.notEnforced.length})`);
    out.push(...top(r.notEnforced, 50, (n) => `  ${n}`));
  }
  if (r.warnings.length) {
    out.push('');
    out.push(`warnings (${r.warnings.length})`);
    out.push(...top(r.warnings, 50, (w) => `  ${w}`));
  }
  if (r.denials.length) {
    out.push('');
    out.push('to decide on them: whittle run --profile SNAPSHOT --learn-denials SNAPSHOT adds them to a snapshot, then whittle review SNAPSHOT');
  }
  return out.join('\n') + '\n';
}

/** The kind a JSON file says it is, from its first bytes (a snapshot can be tens of MB). */
async function kindOf(file: string): Promise<string | undefined> {
  try {
    const fh = await open(file, 'r');
    try {
      const buf = Buffer.alloc(256);
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      return /^\s*\{\s*"kind"\s*:\s*"([^"]*)"/.exec(buf.subarray(0, bytesRead).toString('utf8'))?.[1];
    } finally {
      await fh.close();
    }
  } catch {
    return undefined; // the snapshot reader says what is wrong
  }
}

export async function showCommand(file: string, o: { json: boolean }): Promise<number> {
  if ((await kindOf(file)) === RUN_REPORT_KIND) {
    const r = await readRunReport(file);
    process.stdout.write(o.json ? JSON.stringify(r, null, 2) + '\n' : renderRunReport(r, file));
    return 0;
  }
  const snap = await SnapshotFile.open(file);
  const doc = snap.doc;
  if (o.json) {
    const j = showJsonOf(doc);
    process.stdout.write(JSON.stringify(j, null, 2) + '\n');
  } else {
    process.stdout.write(renderShow(doc, file));
  }
  return 0;
}
