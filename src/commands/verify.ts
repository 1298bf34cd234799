/**
 * `whittle verify SNAPSHOT [--container REF [--runtime R]] [-- CMD]`: build the policy the
 * snapshot's decisions make, launch the workload for real under it, and say whether the enforced
 * run was clean: the same exit status as when it was learned, and no denials (probes answered
 * ENOSYS are not denials). A snapshot learned from a container is verified by running that
 * container through the runtime it was learned with, unless told otherwise. Exit 0 clean, 1 not.
 */
import { SnapshotFile } from '../store/snapshot.js';
import { describeDenial, describeLost } from '../model/report.js';
import { enforcedRun } from './run.js';
import { say } from './output.js';

export async function verifyCommand(file: string, o: { argv: string[]; undecided?: 'accept' | 'deny'; container?: string; runtime?: string }): Promise<number> {
  const snap = await SnapshotFile.open(file);
  const learned = snap.doc.workload.exitStatus;
  const c = snap.doc.container;
  const container = o.container ?? c?.ref;
  const runtime = o.runtime ?? (o.container ? undefined : c?.runtime);
  if (container) say(`verifying ${container} through ${runtime ?? 'its runtime'}${o.container ? '' : ' (as it was learned)'}`);
  const { status, report } = await enforcedRun({ profile: file, argv: o.argv, strict: false, undecided: o.undecided, quiet: true, ...(container ? { container } : {}), ...(runtime ? { runtime } : {}) });
  const problems: string[] = [];
  if (learned !== null && status !== learned) problems.push(`exit status ${status} under the policy, ${learned} when learned`);
  for (const d of report.denials) problems.push(`denied: ${describeDenial(d)}`);
  for (const e of report.escapes ?? []) problems.push(`not held: ${e}`);
  // a denial that was never seen cannot be ruled out: no clean verdict then
  if (report.lost.total > 0) problems.push(`${report.lost.total} denial record(s) were lost or could not be seen (${describeLost(report.lost)}): the run cannot be shown clean`);
  if (report.exit?.setupError) problems.push(`the sandbox could not be built: ${report.exit.setupError}`);
  if (report.exit?.execError) problems.push(`the command could not be executed in the sandbox (${report.exit.execError})`);
  if (problems.length === 0) {
    say(`clean: exit status ${status} as learned, no denials${report.probes.length ? ` (${report.probes.length} probe(s) answered ENOSYS)` : ''}`);
    return 0;
  }
  say(`NOT clean (${problems.length}):`);
  for (const p of problems) say(`  ${p}`);
  return 1;
}
