/**
 * `whittle decide SNAPSHOT [--glob PATTERN…] [--auto accept|deny]`: decide without a person
 * (scripts, CI), through the same reducer the TUI uses: widen the paths the patterns match,
 * then decide every item still undecided. Decisions are saved in the snapshot.
 */
import { decide, effectiveDecision, globAction, globRules, initialState, onePerAccess, tally, type Decisions, type ReviewState } from '../model/decisions.js';
import { globMatches } from '../model/glob.js';
import { queueItems, type PathQueueItem } from '../model/items.js';
import { InputError } from '../store/errors.js';
import { SnapshotFile } from '../store/snapshot.js';

export async function decideCommand(file: string, o: { auto?: string; glob?: string[] }): Promise<number> {
  const globs = o.glob ?? [];
  if (o.auto !== undefined && o.auto !== 'accept' && o.auto !== 'deny') throw new InputError(`--auto takes accept or deny, not ${o.auto}`);
  if (!o.auto && !globs.length) throw new InputError('say what to decide: --auto accept, --auto deny, or --glob PATTERN', 'to decide item by item, use whittle review SNAPSHOT');
  const snap = await SnapshotFile.open(file);
  if (snap.doc.status !== 'complete') throw new InputError(`${file} is ${snap.doc.status}: ${snap.doc.statusReason ?? ''}`, 'record the workload again');
  let state = initialState(queueItems(snap.doc.observed), snap.doc.decisions as Decisions);
  const t0 = tally(state);
  const said: string[] = [];
  // every pattern is checked before anything is saved: one that widens nothing, or over a
  // sensitive path, stops the command with the snapshot as it was
  for (const pattern of globs) {
    const { state: next, widened } = widen(state, pattern);
    state = next;
    said.push(`whittle: widened ${widened} path item(s) to ${pattern}\n`);
  }
  const undecided = tally(state).undecided;
  if (o.auto) state = decide(state, { type: 'auto', verdict: o.auto });
  snap.doc.decisions = state.decisions;
  await snap.save();
  const t1 = tally(state);
  for (const line of said) process.stderr.write(line);
  if (o.auto) process.stderr.write(`whittle: ${o.auto === 'accept' ? 'accepted' : 'denied'} ${undecided} undecided item(s) of ${t1.total}\n`);
  process.stderr.write(`whittle: ${t0.undecided - t1.undecided} decided; now ${t1.accepted} accepted, ${t1.denied} denied, ${t1.undecided} undecided\n`);
  return 0;
}

/**
 * Widen the paths a pattern matches to it — undecided ones, and ones accepted as they were (a
 * script that already ran --auto accept): one glob decision per access kind, as the TUI's g
 * does (it covers the others). Denied paths keep their denial. Sensitive paths are never
 * widened over from a script.
 */
function widen(state: ReviewState, pattern: string): { state: ReviewState; widened: number } {
  if (!pattern.startsWith('/')) throw new InputError(`--glob ${pattern}: a pattern is an absolute path (with * and ** as wildcards)`);
  const rules = globRules(state.decisions);
  const matched = state.items.filter((i): i is PathQueueItem => {
    if (i.kind !== 'path' || !globMatches(pattern, i.path)) return false;
    const d = effectiveDecision(state.decisions, i, rules);
    return !d || (d.action === 'accept' && state.decisions[i.key] === d);
  });
  if (!matched.length) {
    throw new InputError(
      `--glob ${pattern} matches no undecided or accepted path of the snapshot: nothing would be widened`,
      'whittle show SNAPSHOT lists the recorded paths; * stands for one path component (or part of one), ** for any depth',
    );
  }
  const next = decide(state, globAction(onePerAccess(matched), pattern));
  if (next.error) {
    throw new InputError(
      `--glob ${pattern}: ${next.error}`,
      /confirm to widen/.test(next.error) ? 'widen over a sensitive path only in whittle review, where it is asked for, or choose a narrower pattern' : undefined,
    );
  }
  return { state: next, widened: matched.length };
}
