/**
 * The review queue as the screen shows it: sections by kind, paths as a tree of directories
 * with counts (so a whole directory can be decided at once), riskiest and newest first, a text
 * filter, and each row's decision. Pure: the TUI draws these rows.
 */
import { effectiveDecision, globRules, type Decision, type Decisions, type ReviewState } from './decisions.js';
import type { ItemKind, QueueItem } from './items.js';
import { reviewOrder } from './items.js';
import { riskRank, type Risk } from './knowledge/risk.js';

export type Row =
  | { type: 'section'; id: string; kind: ItemKind; label: string; layer?: 'runtime'; total: number; undecided: number; denied: number }
  | { type: 'dir'; id: string; path: string; keys: string[]; count: number; undecided: number; risk: Risk; expanded: boolean; denied: boolean }
  | { type: 'item'; id: string; item: QueueItem; depth: number; decision: Decision | undefined };

const sectionOrder: Array<{ kind: ItemKind; label: string }> = [
  { kind: 'cap', label: 'capabilities' },
  { kind: 'mount', label: 'mounts and namespaces' },
  { kind: 'net', label: 'network' },
  { kind: 'syscall', label: 'syscalls' },
  { kind: 'path', label: 'paths' },
];

export interface ViewOptions {
  filter: string;
  /** Directory rows the person opened or closed (by path): true open, false closed. */
  expanded: ReadonlyMap<string, boolean>;
  /** Only what still waits for a decision. */
  undecidedOnly?: boolean;
}

function dirOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

/** A directory with more children than this starts closed. */
const OPEN_LIMIT = 6;

export function queueRows(state: ReviewState, o: ViewOptions): Row[] {
  const f = o.filter.trim().toLowerCase();
  const match = (it: QueueItem) => !f || it.label.toLowerCase().includes(f) || it.note.toLowerCase().includes(f);
  const byKind = new Map<ItemKind, QueueItem[]>();
  // a container runtime's own syscalls are a section of their own, after the workload's
  const runtimeLayer: QueueItem[] = [];
  for (const it of state.items) {
    if (!match(it)) continue;
    if (it.kind === 'syscall' && it.layer === 'runtime') {
      runtimeLayer.push(it);
      continue;
    }
    const list = byKind.get(it.kind) ?? [];
    list.push(it);
    byKind.set(it.kind, list);
  }
  const rows: Row[] = [];
  const sections: Array<{ kind: ItemKind; label: string; layer?: 'runtime' }> = [...sectionOrder];
  if (runtimeLayer.length) sections.splice(sections.findIndex((x) => x.kind === 'syscall') + 1, 0, { kind: 'syscall', label: "the container runtime's own syscalls", layer: 'runtime' });
  const rules = globRules(state.decisions);
  const decided = (it: QueueItem) => effectiveDecision(state.decisions, it, rules);
  for (const { kind, label, layer } of sections) {
    const list = layer ? runtimeLayer : byKind.get(kind);
    if (!list?.length) continue;
    const shown = o.undecidedOnly ? list.filter((it) => !decided(it)) : list;
    const undecided = list.filter((it) => !decided(it)).length;
    rows.push({ type: 'section', id: layer ? `s:${kind}:${layer}` : `s:${kind}`, kind, label, total: list.length, undecided, denied: list.filter((i) => i.denied).length, ...(layer ? { layer } : {}) });
    if (kind !== 'path') {
      for (const it of [...shown].sort(denialsFirst)) rows.push({ type: 'item', id: `i:${it.key}`, item: it, depth: 1, decision: decided(it) });
      continue;
    }
    const dirs = new Map<string, QueueItem[]>();
    for (const it of shown) {
      const d = dirOf((it as { path: string }).path);
      const l = dirs.get(d) ?? [];
      l.push(it);
      dirs.set(d, l);
    }
    const dirRows = [...dirs].map(([path, items]) => {
      const risk = items.reduce<Risk>((r, it) => (riskRank(it.risk) > riskRank(r) ? it.risk : r), 'low');
      return { path, items, risk, undecided: items.filter((it) => !decided(it)).length, denied: items.some((i) => i.denied) };
    });
    dirRows.sort((a, b) => Number(b.denied) - Number(a.denied) || riskRank(b.risk) - riskRank(a.risk) || b.undecided - a.undecided || a.path.localeCompare(b.path));
    for (const d of dirRows) {
      const open = o.expanded.get(d.path) ?? (d.items.length <= OPEN_LIMIT || !!f);
      rows.push({
        type: 'dir', id: `d:${d.path}`, path: d.path, keys: d.items.map((i) => i.key), count: d.items.reduce((n, i) => n + i.count, 0),
        undecided: d.undecided, risk: d.risk, expanded: open, denied: d.denied,
      });
      // only an open directory's items are ordered and listed (a workload may touch 100k files)
      if (open) for (const it of d.items.sort(denialsFirst)) rows.push({ type: 'item', id: `i:${it.key}`, item: it, depth: 2, decision: decided(it) });
    }
  }
  return rows;
}

/** Denied in a run first (they are what the person is here for), then riskiest, newest. */
function denialsFirst(a: QueueItem, b: QueueItem): number {
  return Number(!!b.denied) - Number(!!a.denied) || reviewOrder(a, b);
}

/** The index of the next row after `from` whose item is undecided (wrapping), or `from`. */
export function nextUndecided(rows: Row[], from: number, decisions: Decisions): number {
  const rules = globRules(decisions);
  for (let k = 1; k <= rows.length; k++) {
    const i = (from + k) % rows.length;
    const r = rows[i]!;
    if (r.type === 'item' && !effectiveDecision(decisions, r.item, rules)) return i;
    if (r.type === 'dir' && !r.expanded && r.undecided > 0) return i;
  }
  return from;
}
