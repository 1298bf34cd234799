/**
 * Decisions and the review reducer: `decide(state, action) → state`, pure. The TUI, `whittle
 * decide --auto` and `whittle review` all go through it (style.md: one path, not three).
 */
import { globMatches, isGlob } from './glob.js';
import { keys, type PathQueueItem, type QueueItem } from './items.js';
import { isSensitive, sensitivePathsCoveredBy } from './knowledge/sensitive-paths.js';
import { errnoByName } from './knowledge/errnos.js';

/** A person's (or --auto's) verdict on one item. */
export type Decision =
  | { action: 'accept'; by?: 'auto' | 'person'; at?: string }
  | { action: 'deny'; errno: string; by?: 'auto' | 'person'; at?: string }
  | { action: 'glob'; pattern: string; access: string; by?: 'auto' | 'person'; at?: string };

export type Decisions = Record<string, Decision>;

export interface ReviewState {
  items: QueueItem[];
  decisions: Decisions;
  /** What each step changed, newest last, for undo. */
  history: Array<{ changes: Array<{ key: string; before: Decision | undefined }> }>;
  /** Why the last action was refused (shown to the person; cleared by the next action). */
  error?: string;
}

export type ReviewAction =
  | { type: 'accept'; key: string }
  | { type: 'deny'; key: string; errno?: string }
  | { type: 'glob'; key: string; pattern: string; allowSensitive?: boolean }
  | { type: 'undecide'; key: string }
  | { type: 'undo' }
  | { type: 'auto'; verdict: 'accept' | 'deny' }
  | { type: 'add-items'; items: QueueItem[] }
  /** Several decisions as one step (deciding a whole directory): one undo takes them all back. */
  | { type: 'batch'; actions: ReviewAction[] };

export function initialState(items: QueueItem[], decisions: Decisions = {}): ReviewState {
  return { items, decisions: { ...decisions }, history: [] };
}

/**
 * The path rules a set of decisions makes: glob decisions widen to their pattern. A caller that
 * looks up many items computes them once and passes them to effectiveDecision (recomputing them
 * per item made a policy of a 200,000-path snapshot take seconds).
 */
export type GlobRules = Array<{ pattern: string; access: string; decision: Decision }>;
export function globRules(decisions: Decisions): GlobRules {
  const out: GlobRules = [];
  for (const d of Object.values(decisions)) if (d.action === 'glob') out.push({ pattern: d.pattern, access: d.access, decision: d });
  return out;
}

/** The decision that applies to an item: its own, or a glob that covers it; undefined if none. */
export function effectiveDecision(decisions: Decisions, item: QueueItem, rules = globRules(decisions)): Decision | undefined {
  const own = decisions[item.key];
  if (own) return own;
  if (item.kind !== 'path') return undefined;
  for (const r of rules) if (r.access === item.access && globMatches(r.pattern, item.path)) return r.decision;
  return undefined;
}

/** Counts for the status line. */
export function tally(state: ReviewState): { accepted: number; denied: number; undecided: number; total: number } {
  const rules = globRules(state.decisions);
  let accepted = 0;
  let denied = 0;
  let undecided = 0;
  for (const it of state.items) {
    const d = effectiveDecision(state.decisions, it, rules);
    if (!d) undecided++;
    else if (d.action === 'deny') denied++;
    else accepted++;
  }
  return { accepted, denied, undecided, total: state.items.length };
}

/**
 * Widening paths to a pattern is one glob decision per access kind (a directory holds reads,
 * execs, stats… each widened alike): the decision on one item of a kind covers the others.
 * The items that carry them, one per access kind, in the order first met.
 */
export function onePerAccess(items: QueueItem[]): PathQueueItem[] {
  const seen = new Map<string, PathQueueItem>();
  for (const i of items) if (i.kind === 'path' && !seen.has(i.access)) seen.set(i.access, i);
  return [...seen.values()];
}

/** The action that widens these items (one per access kind, see onePerAccess) to a pattern. */
export function globAction(items: PathQueueItem[], pattern: string, allowSensitive = false): ReviewAction {
  return items.length === 1
    ? { type: 'glob', key: items[0]!.key, pattern, allowSensitive }
    : { type: 'batch', actions: items.map((i) => ({ type: 'glob' as const, key: i.key, pattern, allowSensitive })) };
}

/** Why a glob may not be applied to an item, or null. Never widen over a sensitive path silently. */
export function globProblem(item: QueueItem, pattern: string, allowSensitive = false): string | null {
  if (item.kind !== 'path') return 'only paths can be widened to a pattern';
  if (!pattern.startsWith('/')) return 'a pattern is an absolute path (with * and ** as wildcards)';
  if (!globMatches(pattern, item.path)) return `${pattern} does not match ${item.path} itself`;
  if (!isGlob(pattern)) return null;
  if (pattern === '/**' || pattern === '/*') return 'a pattern over the whole filesystem is not a policy';
  const covered = sensitivePathsCoveredBy(pattern).filter((s) => !(s.writeOnly && ['read', 'stat', 'readdir', 'exec'].includes(item.access)));
  if (covered.length && !allowSensitive) {
    return `${pattern} would also cover ${covered.map((c) => c.prefix).slice(0, 3).join(', ')}${covered.length > 3 ? ', …' : ''} (${covered[0]!.reason}); confirm to widen over it`;
  }
  return null;
}

/** A decision with who made it and when (a batch shares one time: formatting one per item cost more than the rest of deciding 200,000). */
function stamp(d: Decision, by: 'auto' | 'person', at = new Date().toISOString()): Decision {
  return { ...d, by, at };
}

function change(state: ReviewState, changes: Array<{ key: string; after: Decision | undefined }>): ReviewState {
  if (changes.length === 0) return { ...state, error: undefined };
  const decisions = { ...state.decisions };
  const record: Array<{ key: string; before: Decision | undefined }> = [];
  for (const c of changes) {
    record.push({ key: c.key, before: decisions[c.key] });
    if (c.after) decisions[c.key] = c.after;
    else delete decisions[c.key];
  }
  return { ...state, decisions, history: [...state.history, { changes: record }], error: undefined };
}

type Change = { key: string; after: Decision | undefined };

/**
 * The change one item action makes, or why it cannot be made. `find` looks an item up by key
 * (a scan for one action; an index built once for a batch).
 */
function itemChange(action: ReviewAction, find: (key: string) => QueueItem | undefined, at?: string): { change: Change } | { error: string } {
  switch (action.type) {
    case 'accept':
      if (!find(action.key)) return { error: `no item ${action.key}` };
      return { change: { key: action.key, after: stamp({ action: 'accept' }, 'person', at) } };
    case 'deny': {
      const errno = (action.errno ?? 'EPERM').toUpperCase();
      if (!errnoByName(errno)) return { error: `unknown errno ${errno} (use a name such as EPERM, EACCES, ENOSYS)` };
      if (!find(action.key)) return { error: `no item ${action.key}` };
      return { change: { key: action.key, after: stamp({ action: 'deny', errno }, 'person', at) } };
    }
    case 'glob': {
      const item = find(action.key);
      if (!item) return { error: `no item ${action.key}` };
      const problem = globProblem(item, action.pattern, action.allowSensitive);
      if (problem) return { error: problem };
      const access = (item as PathQueueItem).access;
      return { change: { key: action.key, after: stamp({ action: 'glob', pattern: action.pattern, access }, 'person', at) } };
    }
    case 'undecide':
      return { change: { key: action.key, after: undefined } };
    default:
      return { error: `${action.type} cannot be part of a batch` };
  }
}

/** The review reducer. */
export function decide(state: ReviewState, action: ReviewAction): ReviewState {
  switch (action.type) {
    case 'accept':
    case 'deny':
    case 'glob':
    case 'undecide': {
      const r = itemChange(action, (key) => state.items.find((i) => i.key === key));
      return 'error' in r ? { ...state, error: r.error } : change(state, [r.change]);
    }
    case 'undo': {
      const last = state.history[state.history.length - 1];
      if (!last) return { ...state, error: 'nothing to undo' };
      const decisions = { ...state.decisions };
      for (const c of [...last.changes].reverse()) {
        if (c.before) decisions[c.key] = c.before;
        else delete decisions[c.key];
      }
      return { ...state, decisions, history: state.history.slice(0, -1), error: undefined };
    }
    case 'auto': {
      const rules = globRules(state.decisions);
      const at = new Date().toISOString();
      const changes: Array<{ key: string; after: Decision }> = [];
      for (const it of state.items) {
        if (effectiveDecision(state.decisions, it, rules)) continue;
        changes.push({ key: it.key, after: stamp(action.verdict === 'accept' ? { action: 'accept' } : { action: 'deny', errno: 'EPERM' }, 'auto', at) });
      }
      return change(state, changes);
    }
    case 'batch': {
      // One pass, one copy of the decisions and one undo step, however many items (a directory
      // of 40,000 files is decided at once); the last action on a key wins, as one after another would.
      const byKey = new Map(state.items.map((i) => [i.key, i]));
      const changes = new Map<string, Change>();
      const at = new Date().toISOString();
      for (const a of action.actions) {
        const r = itemChange(a, (key) => byKey.get(key), at);
        if ('error' in r) return { ...state, error: r.error };
        changes.set(r.change.key, r.change);
      }
      return changes.size ? change(state, [...changes.values()]) : { ...state, error: undefined };
    }
    case 'add-items': {
      const incoming = new Map(action.items.map((i) => [i.key, i]));
      const updated = state.items.map((old) => {
        const n = incoming.get(old.key);
        if (n) incoming.delete(old.key);
        return n ?? old;
      });
      return { ...state, items: [...updated, ...incoming.values()], error: undefined };
    }
  }
}

/** Is this path item one a person should look at twice before accepting? */
export function isSensitiveItem(item: QueueItem): boolean {
  return item.kind === 'path' && isSensitive(item.path, item.access) !== undefined;
}

export { keys };
