/**
 * The review reducer (model/decisions.ts): the one path the TUI, `whittle review` and
 * `whittle decide --auto` take. What a person sees: a verdict lands on the item, a glob widens
 * only to what it matches and never silently over a sensitive path, undo puts things back, and
 * --auto decides only what is still undecided.
 */
import { describe, expect, it } from 'vitest';
import { decide, effectiveDecision, globProblem, initialState, tally, type ReviewAction, type ReviewState } from '../../src/model/decisions.js';
import { keys, queueItems, type QueueItem } from '../../src/model/items.js';
import type { Observed } from '../../src/model/observations.js';
import { sampleObserved } from '../helpers/sample-policy.js';

const first = (t: number) => ({ t, pid: 1, exe: '/usr/bin/app' });
const observed: Observed = {
  ...sampleObserved,
  paths: [
    ...sampleObserved.paths,
    { path: '/etc/hostname', access: 'write', result: 'ok', count: 1, first: first(0.9) },
    { path: '/etc/pam.d/common-auth', access: 'read', result: 'ok', count: 1, first: first(0.9) },
    { path: '/etc/pam.d/common-auth', access: 'write', result: 'ok', count: 1, first: first(0.9) },
    { path: '/proc/sys/kernel/hostname', access: 'read', result: 'ok', count: 1, first: first(0.9) },
  ],
};
const items = queueItems(observed);
const start = () => initialState(items);
const item = (key: string): QueueItem => {
  const it = items.find((i) => i.key === key);
  if (!it) throw new Error(`no item ${key}`);
  return it;
};
const run = (s: ReviewState, ...actions: ReviewAction[]) => actions.reduce(decide, s);

const LIBC = keys.path('/usr/lib/x86_64-linux-gnu/libc.so.6', 'read');
const LIBM = keys.path('/usr/lib/x86_64-linux-gnu/libm.so.6', 'read');
const HOSTNAME = keys.path('/etc/hostname', 'read');

describe('accept and deny', () => {
  it.each<[string, ReviewAction, Record<string, unknown>]>([
    ['accept', { type: 'accept', key: 'syscall:openat' }, { action: 'accept', by: 'person' }],
    ['deny (EPERM unless told)', { type: 'deny', key: 'syscall:ptrace' }, { action: 'deny', errno: 'EPERM', by: 'person' }],
    ['deny with an errno, any case', { type: 'deny', key: 'syscall:ptrace', errno: 'enosys' }, { action: 'deny', errno: 'ENOSYS' }],
    ['deny a path with EACCES', { type: 'deny', key: keys.path('/etc/shadow', 'read'), errno: 'EACCES' }, { action: 'deny', errno: 'EACCES' }],
  ])('%s lands on the item', (_n, action, want) => {
    const s = decide(start(), action);
    expect(s.error).toBeUndefined();
    expect(s.decisions[(action as { key: string }).key]).toMatchObject(want);
    expect(s.decisions[(action as { key: string }).key]!.at).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it.each<[string, ReviewAction, RegExp]>([
    ['an item that is not in the queue', { type: 'accept', key: 'syscall:nope' }, /no item syscall:nope/],
    ['an errno that does not exist', { type: 'deny', key: 'syscall:ptrace', errno: 'EWHATEVER' }, /unknown errno EWHATEVER/],
  ])('refuses %s, says why, and changes nothing', (_n, action, why) => {
    const s = decide(start(), action);
    expect(s.error).toMatch(why);
    expect(s.decisions).toEqual({});
    expect(s.history).toEqual([]);
  });

  it('the next action clears the error', () => {
    const s = run(start(), { type: 'accept', key: 'syscall:nope' }, { type: 'accept', key: 'syscall:read' });
    expect(s.error).toBeUndefined();
  });

  it('undecide takes the verdict away', () => {
    const s = run(start(), { type: 'accept', key: 'syscall:read' }, { type: 'undecide', key: 'syscall:read' });
    expect(s.decisions['syscall:read']).toBeUndefined();
  });
});

describe('glob', () => {
  it('widens a path, and the items it covers follow it (same access only)', () => {
    const s = decide(start(), { type: 'glob', key: LIBC, pattern: '/usr/lib/x86_64-linux-gnu/*' });
    expect(s.error).toBeUndefined();
    expect(s.decisions[LIBC]).toMatchObject({ action: 'glob', pattern: '/usr/lib/x86_64-linux-gnu/*', access: 'read' });
    // libm has no verdict of its own, but the glob covers it
    expect(s.decisions[LIBM]).toBeUndefined();
    expect(effectiveDecision(s.decisions, item(LIBM))).toMatchObject({ action: 'glob', pattern: '/usr/lib/x86_64-linux-gnu/*' });
    // a glob for reading does not decide writing, nor paths outside it
    expect(effectiveDecision(s.decisions, item(keys.path('/tmp/app/out.txt', 'write')))).toBeUndefined();
    expect(effectiveDecision(s.decisions, item(HOSTNAME))).toBeUndefined();
    expect(tally(s)).toMatchObject({ accepted: 2, undecided: items.length - 2 });
  });

  it.each<[string, string, string, RegExp]>([
    ['a pattern that does not match the item itself', LIBC, '/usr/share/**', /\/usr\/share\/\*\* does not match \/usr\/lib\/x86_64-linux-gnu\/libc\.so\.6 itself/],
    ['a relative pattern', LIBC, 'usr/lib/**', /absolute path/],
    ["the whole filesystem ('/**')", LIBC, '/**', /whole filesystem is not a policy/],
    ['anything but a path', 'syscall:read', '/usr/**', /only paths/],
    ['a glob over /etc that would also cover /etc/shadow', HOSTNAME, '/etc/*', /\/etc\/\* would also cover \/etc\/shadow.*confirm/],
    ['a write glob over /etc/pam.d (changing it is sensitive)', keys.path('/etc/pam.d/common-auth', 'write'), '/etc/pam.d/*', /would also cover \/etc\/pam\.d/],
    ['a read glob over /proc, which reaches /proc/sysrq-trigger', keys.path('/proc/sys/kernel/hostname', 'read'), '/proc/**', /\/proc\/sysrq-trigger/],
  ])('refuses %s, and says why', (_n, key, pattern, why) => {
    const s = decide(start(), { type: 'glob', key, pattern });
    expect(s.error).toMatch(why);
    expect(s.decisions).toEqual({});
  });

  it('widens over a sensitive path only when the person confirms (allowSensitive)', () => {
    const s = decide(start(), { type: 'glob', key: HOSTNAME, pattern: '/etc/*', allowSensitive: true });
    expect(s.error).toBeUndefined();
    // confirmed: the glob now covers /etc/shadow too, which is what the person agreed to
    expect(effectiveDecision(s.decisions, item(keys.path('/etc/shadow', 'read')))).toMatchObject({ action: 'glob', pattern: '/etc/*' });
  });

  it('a read glob over a tree whose sensitive parts are write-only needs no confirmation', () => {
    expect(globProblem(item(keys.path('/etc/pam.d/common-auth', 'read')), '/etc/pam.d/*')).toBeNull();
    expect(globProblem(item(keys.path('/proc/sys/kernel/hostname', 'read')), '/proc/sys/kernel/*')).toBeNull();
  });

  it('an exact path (no wildcard) is accepted as is', () => {
    expect(globProblem(item(HOSTNAME), '/etc/hostname')).toBeNull();
  });
});

describe('auto', () => {
  it('decides only the undecided items, keeping a person\'s verdicts and globs', () => {
    const s = run(
      start(),
      { type: 'deny', key: 'syscall:ptrace', errno: 'EPERM' },
      { type: 'glob', key: LIBC, pattern: '/usr/lib/x86_64-linux-gnu/**' },
      { type: 'auto', verdict: 'accept' },
    );
    expect(s.decisions['syscall:ptrace']).toMatchObject({ action: 'deny', by: 'person' });
    expect(s.decisions[LIBC]).toMatchObject({ action: 'glob', by: 'person' });
    expect(s.decisions[LIBM]).toBeUndefined(); // the glob decides it
    expect(s.decisions['syscall:read']).toMatchObject({ action: 'accept', by: 'auto' });
    expect(tally(s)).toEqual({ accepted: items.length - 1, denied: 1, undecided: 0, total: items.length });
  });

  it('auto deny answers EPERM', () => {
    const s = decide(start(), { type: 'auto', verdict: 'deny' });
    expect(s.decisions['syscall:read']).toMatchObject({ action: 'deny', errno: 'EPERM', by: 'auto' });
    expect(tally(s).denied).toBe(items.length);
  });

  it('with nothing left undecided it changes nothing (and adds no undo step)', () => {
    const s = run(start(), { type: 'auto', verdict: 'accept' });
    const again = decide(s, { type: 'auto', verdict: 'deny' });
    expect(again.decisions).toEqual(s.decisions);
    expect(again.history).toHaveLength(1);
  });
});

describe('undo', () => {
  it('restores the verdict before the last step, one step at a time', () => {
    let s = run(start(), { type: 'accept', key: 'syscall:ptrace' }, { type: 'deny', key: 'syscall:ptrace', errno: 'EACCES' });
    expect(s.decisions['syscall:ptrace']).toMatchObject({ action: 'deny', errno: 'EACCES' });
    s = decide(s, { type: 'undo' });
    expect(s.decisions['syscall:ptrace']).toMatchObject({ action: 'accept' });
    s = decide(s, { type: 'undo' });
    expect(s.decisions['syscall:ptrace']).toBeUndefined();
    s = decide(s, { type: 'undo' });
    expect(s.error).toBe('nothing to undo');
  });

  it('undoes a whole --auto in one step', () => {
    const before = decide(start(), { type: 'accept', key: 'syscall:read' });
    const after = run(before, { type: 'auto', verdict: 'deny' }, { type: 'undo' });
    expect(after.decisions).toEqual(before.decisions);
    expect(tally(after).undecided).toBe(items.length - 1);
  });

  it('undoes a glob: the items it covered are undecided again', () => {
    const s = run(start(), { type: 'glob', key: LIBC, pattern: '/usr/lib/x86_64-linux-gnu/*' }, { type: 'undo' });
    expect(effectiveDecision(s.decisions, item(LIBM))).toBeUndefined();
  });
});

describe('batch (a whole directory decided at once)', () => {
  it('decides every item in one undo step, and one undo takes them all back', () => {
    const before = run(start(), { type: 'deny', key: LIBM, errno: 'EACCES' });
    const after = run(before, { type: 'batch', actions: [LIBC, LIBM, HOSTNAME].map((key) => ({ type: 'accept' as const, key })) });
    for (const k of [LIBC, LIBM, HOSTNAME]) expect(after.decisions[k]).toMatchObject({ action: 'accept', by: 'person' });
    expect(after.history).toHaveLength(before.history.length + 1);
    const undone = run(after, { type: 'undo' });
    expect(undone.decisions).toEqual(before.decisions);
    expect(undone.decisions[LIBM]).toMatchObject({ action: 'deny', errno: 'EACCES' });
  });

  it('one bad action refuses the whole batch and changes nothing', () => {
    const s = run(start(), { type: 'batch', actions: [{ type: 'accept', key: LIBC }, { type: 'deny', key: LIBM, errno: 'ENOPE' }] });
    expect(s.error).toMatch(/unknown errno ENOPE/);
    expect(s.decisions).toEqual({});
    expect(s.history).toHaveLength(0);
    expect(run(start(), { type: 'batch', actions: [{ type: 'accept', key: LIBC }, { type: 'accept', key: 'path:read:/nowhere' }] }).error).toMatch(/no item path:read:\/nowhere/);
  });

  it('the last action on a key wins, and undo still restores what was there before the batch', () => {
    const s = run(start(), { type: 'accept', key: LIBC }, { type: 'batch', actions: [{ type: 'deny', key: LIBC }, { type: 'undecide', key: LIBC }, { type: 'deny', key: LIBC, errno: 'ENOENT' }] });
    expect(s.decisions[LIBC]).toMatchObject({ action: 'deny', errno: 'ENOENT' });
    expect(run(s, { type: 'undo' }).decisions[LIBC]).toMatchObject({ action: 'accept' });
  });

  it('decides tens of thousands of items (a directory of generated files) with every one recorded', () => {
    const many: Observed = { ...observed, paths: Array.from({ length: 30_000 }, (_, i) => ({ path: `/data/f${i}.txt`, access: 'write' as const, result: 'ok', count: 1, first: first(1) })) };
    const big = initialState(queueItems(many));
    const keysOf = big.items.filter((i) => i.kind === 'path').map((i) => i.key);
    expect(keysOf).toHaveLength(30_000);
    const s = decide(big, { type: 'batch', actions: keysOf.map((key) => ({ type: 'accept' as const, key })) });
    expect(tally(s).accepted).toBe(keysOf.length);
    expect(s.history).toHaveLength(1);
    expect(tally(decide(s, { type: 'undo' })).accepted).toBe(0);
  });

  it('cannot hold undo, --auto or another batch', () => {
    expect(run(start(), { type: 'batch', actions: [{ type: 'undo' }] }).error).toMatch(/undo cannot be part of a batch/);
  });
});

describe('add-items', () => {
  it('adds new items (denials from an enforced run) and keeps decisions', () => {
    const s0 = decide(start(), { type: 'accept', key: 'syscall:read' });
    const fresh = queueItems({ ...observed, syscalls: [{ name: 'getrandom', arch: 'x86_64', nr: 318, count: 1, first: first(2) }], paths: [], execs: [], mounts: [], network: [], capabilities: [] });
    const s = decide(s0, { type: 'add-items', items: fresh });
    expect(s.items).toHaveLength(items.length + 1);
    expect(s.decisions['syscall:read']).toMatchObject({ action: 'accept' });
    expect(tally(s).undecided).toBe(items.length);
  });
});
