/**
 * Awkward workloads: one that floods its output, one that exits at once, one that waits for
 * input. The TUI keeps answering keys (a keypress changes the screen within a bounded wait)
 * and quits cleanly with the snapshot saved.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { requireRootAndBuild } from '../helpers/setup.js';
import { panesOf, startWhittle, tallyOf, type TmuxSession } from '../helpers/tmux.js';

type Snap = { status: string; workload: { exitStatus: number | null }; decisions: Record<string, unknown> };

/** A keypress must show on screen within this (generous for a loaded CI machine; typically < 200 ms). */
const KEY_BOUND_MS = 1500;

let sessions: TmuxSession[] = [];
beforeAll(() => requireRootAndBuild());
afterEach(async () => {
  await Promise.all(sessions.map((s) => s.cleanup()));
  sessions = [];
});

async function learning(args: string[]) {
  const s = await startWhittle(['learn', '--snapshot', 'snap.json', '--', ...args], { cols: 100, rows: 30 });
  sessions.push(s);
  return { s, snap: path.join(s.cwd, 'snap.json') };
}

/** Open and close the help; how long each took to show. */
async function keyRoundTrip(s: TmuxSession): Promise<number[]> {
  const t0 = Date.now();
  await s.sendKeys('?');
  await s.waitFor(/any key closes this/, { timeout: KEY_BOUND_MS });
  const t1 = Date.now();
  await s.sendKeys('x');
  await s.waitFor((x) => !/any key closes this/.test(x), { timeout: KEY_BOUND_MS });
  return [t1 - t0, Date.now() - t1];
}

async function quitCleanly(s: TmuxSession, snap: string): Promise<Snap> {
  const t0 = Date.now();
  await s.sendKeys('q');
  expect(await s.waitForExit(10_000)).toBe(0);
  expect(Date.now() - t0).toBeLessThan(5000);
  await s.waitForProcessesGone();
  const doc = JSON.parse(readFileSync(snap, 'utf8')) as Snap;
  expect(doc.status).toBe('complete');
  return doc;
}

describe('the TUI stays responsive', () => {
  it('while the workload floods its output, and after (seq 1 200000)', async () => {
    const { s, snap } = await learning(['seq', '1', '200000']);
    // the pane kept up with the flood: its last lines are the last numbers
    let screen = await s.waitFor((x) => /^workload ended /m.test(x) && /│200000\s/.test(panesOf(x)), { timeout: 20_000 });
    expect(screen).toMatch(/the workload ended \(exit status 0\)/);
    expect(panesOf(screen)).toMatch(/│199999\s/);
    await keyRoundTrip(s);
    screen = await s.capture();
    expect(tallyOf(screen)!.undecided).toBeGreaterThan(0);
    const doc = await quitCleanly(s, snap);
    expect(doc.workload.exitStatus).toBe(0);
  });

  it('during a flood that does not stop, and q stops it', async () => {
    const { s, snap } = await learning(['seq', '1', '1000000000']);
    await s.waitFor((x) => /^learning /m.test(x) && /│\d{5,}\s/.test(panesOf(x)));
    for (let i = 0; i < 3; i++) {
      const [open, close] = await keyRoundTrip(s);
      expect(open).toBeLessThan(KEY_BOUND_MS);
      expect(close).toBeLessThan(KEY_BOUND_MS);
    }
    // the flood is still going, and the pane follows it
    const a = await s.capture();
    const b = await s.waitFor((x) => panesOf(x) !== panesOf(a));
    expect(b).toMatch(/^learning /m);
    const doc = await quitCleanly(s, snap);
    expect(doc.workload.exitStatus).toBe(128 + 15);
  });

  it('when the workload exits at once (/bin/true)', async () => {
    const { s, snap } = await learning(['/bin/true']);
    const screen = await s.waitFor(/^workload ended /m, { timeout: 15_000 });
    expect(screen).toMatch(/the workload ended \(exit status 0\)/);
    expect(screen).toMatch(/review queue — \d+ to decide/);
    await keyRoundTrip(s);
    // the queue answers: the cursor moves and the detail follows
    await s.sendKeys('End');
    await s.waitFor((x) => x !== screen);
    const doc = await quitCleanly(s, snap);
    expect(doc.workload.exitStatus).toBe(0);
  });

  it('when the workload waits for input that never comes, and q stops it', async () => {
    const { s, snap } = await learning(['sh', '-c', 'echo waiting; read x; echo got:$x']);
    await s.waitFor((x) => /^learning /m.test(x) && /waiting/.test(panesOf(x)));
    await keyRoundTrip(s);
    expect(await s.capture()).toMatch(/^learning /m);
    const doc = await quitCleanly(s, snap);
    expect(doc.workload.exitStatus).toBe(128 + 15);
  });
});
