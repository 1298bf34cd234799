/**
 * `whittle decide SNAPSHOT --auto accept|deny`: decide every undecided item without a person
 * (scripts, CI), through the same reducer the TUI uses. Decisions are saved in the snapshot.
 */
import { decide, initialState, tally, type Decisions } from '../model/decisions.js';
import { queueItems } from '../model/items.js';
import { InputError } from '../store/errors.js';
import { SnapshotFile } from '../store/snapshot.js';

export async function decideCommand(file: string, o: { auto?: string }): Promise<number> {
  if (o.auto !== 'accept' && o.auto !== 'deny') throw new InputError('say what to decide: --auto accept or --auto deny', 'to decide item by item, use whittle review SNAPSHOT');
  const snap = await SnapshotFile.open(file);
  if (snap.doc.status !== 'complete') throw new InputError(`${file} is ${snap.doc.status}: ${snap.doc.statusReason ?? ''}`, 'record the workload again');
  const before = initialState(queueItems(snap.doc.observed), snap.doc.decisions as Decisions);
  const t0 = tally(before);
  const after = decide(before, { type: 'auto', verdict: o.auto });
  snap.doc.decisions = after.decisions;
  await snap.save();
  const t1 = tally(after);
  process.stderr.write(
    `whittle: ${o.auto === 'accept' ? 'accepted' : 'denied'} ${t0.undecided} undecided item(s) of ${t1.total}; now ${t1.accepted} accepted, ${t1.denied} denied, ${t1.undecided} undecided\n`,
  );
  return 0;
}
