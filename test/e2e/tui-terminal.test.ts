/**
 * The TUI as a terminal program: typing into the workload's pane, 80×24, resizing while
 * learning, and NO_COLOR.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { requireRootAndBuild } from '../helpers/setup.js';
import { repoRoot } from '../helpers/whittle.js';
import { Queue, detailLines, panesOf, startWhittle, statusLines, tallyOf, type TmuxSession } from '../helpers/tmux.js';

const demo = path.join(repoRoot, 'test', 'fixtures', 'demo', 'demo.sh');

let sessions: TmuxSession[] = [];
beforeAll(() => requireRootAndBuild());
afterEach(async () => {
  await Promise.all(sessions.map((s) => s.cleanup()));
  sessions = [];
});

async function learning(args: string[], o: Parameters<typeof startWhittle>[1] = {}) {
  const s = await startWhittle(['learn', '--snapshot', 'snap.json', '--', ...args], { cols: 100, rows: 30, ...o });
  sessions.push(s);
  return s;
}

async function quit(s: TmuxSession): Promise<void> {
  await s.sendKeys('q');
  expect(await s.waitForExit()).toBe(0);
  await s.waitForProcessesGone();
}

/** The colour parameters of the SGR sequences in a capture-pane -e (tmux adds 39/49, "default"). */
function colourCodes(screen: string): string[] {
  const out: string[] = [];
  for (const m of screen.matchAll(/\x1b\[([0-9;:]*)m/g)) {
    for (const p of m[1]!.split(/[;:]/)) {
      const n = Number(p);
      if ((n >= 30 && n <= 38) || (n >= 40 && n <= 48) || (n >= 90 && n <= 97) || (n >= 100 && n <= 107)) out.push(m[0]);
    }
  }
  return out;
}

/** The screen is whole: every row there, the panes' frames, the status line in its place. */
function expectSane(screen: string, cols: number, rows: number): void {
  const lines = screen.replace(/\n$/, '').split('\n');
  expect(lines).toHaveLength(rows);
  for (const l of lines) expect([...l].length).toBeLessThanOrEqual(cols);
  expect(lines[0]).toMatch(/^╭─ workload: /);
  expect(screen).toMatch(/review queue — \d+ to decide of \d+/);
  expect(tallyOf(screen)).toBeDefined();
  expect(lines[rows - 2]).toBe(statusLines(screen)[0]);
  expect(lines[rows - 1]).toMatch(/a accept|keys go to the workload/);
  expect(detailLines(screen)).toHaveLength(3);
}

describe('typing into the workload pane', () => {
  it('reaches the demo at its prompt, while the queue fills live', async () => {
    const s = await learning([demo], { env: { DEMO_PAUSE: '0' } });
    let screen = await s.waitFor(/waiting for you/, { timeout: 20_000 });
    screen = await s.waitFor((x) => /^learning /m.test(x) && /NETWORK/.test(x) && /CAP_SYS_ADMIN/.test(x));
    expect(tallyOf(screen)!.undecided).toBeGreaterThan(10);
    expect(screen).toMatch(/review queue — (\d+) to decide of \1/);
    await s.sendKeys('Tab');
    screen = await s.waitFor(/keys go to the workload/);
    expect(statusLines(screen)[1]).toMatch(/Ctrl-] back to the queue/);
    await s.type('hello e2e');
    await s.sendKeys('Enter');
    await s.waitFor(/demo: you typed: hello e2e/);
    await s.sendKeys('C-]');
    screen = await s.waitFor((x) => /^workload ended /m.test(x) && !/keys go to the workload/.test(x));
    // nothing typed for the workload was taken as a queue key
    expect(tallyOf(screen)).toMatchObject({ accepted: 0, denied: 0 });
    await quit(s);
  });

  it('keys sent in one burst follow the keyboard: tab, text and Enter to the workload, then Ctrl-] and ? to the queue', async () => {
    const s = await learning(['sh', '-c', 'read x; echo got:$x; read y; echo never']);
    await s.waitFor(/^learning /m);
    // one send-keys: the TUI reads it in one chunk ("\tabc\r\x1d?")
    await s.sendKeys('Tab', 'a', 'd', 'e', 'Enter', 'C-]', '?');
    const screen = await s.waitFor((x) => /whittle — keys \(any key closes this\)/.test(x) && /got:ade/.test(panesOf(x)));
    expect(tallyOf(screen)).toMatchObject({ accepted: 0, denied: 0 }); // the a and d were typed, not decisions
    await s.sendKeys('x');
    await s.waitFor((x) => !/any key closes this/.test(x));
    await quit(s);
  });

  it('Ctrl-C in the workload pane goes to the workload, not to whittle', async () => {
    const s = await learning(['sh', '-c', 'trap "echo caught-int" INT; echo ready; while :; do sleep 0.1; done']);
    await s.waitFor(/ready/);
    await s.sendKeys('Tab');
    await s.waitFor(/keys go to the workload/);
    await s.sendKeys('C-c');
    const screen = await s.waitFor(/caught-int/);
    expect(screen).toMatch(/^learning /m);
    expect(s.exitStatus()).toBeUndefined();
    await s.sendKeys('C-]');
    await s.waitFor((x) => !/keys go to the workload/.test(x));
    await quit(s);
  });
});

describe('the terminal', () => {
  it('works at 80×24 with NO_COLOR: the whole screen, and no colour escapes', async () => {
    const s = await learning([demo], { cols: 80, rows: 24, env: { DEMO_PAUSE: '0', DEMO_WAIT: '0' } });
    const screen = await s.waitFor(/^workload ended /m, { timeout: 20_000 });
    expectSane(screen, 80, 24);
    expect(screen).toMatch(/CAPABILITIES \(\d+, \d+ TO DECIDE\)/);
    expect(screen).toMatch(/demo: done/);
    // state is said in symbols and words, not colour: the marks are there
    expect(screen).toMatch(/·!! CAP_SYS_ADMIN/);
    expect(colourCodes(await s.capture(true))).toEqual([]);
    // the menus fit too
    await s.sendKeys('e');
    expect(colourCodes(await s.waitFor(/export the policy to/, { escapes: true }))).toEqual([]);
    // (Esc and ? in one write would read as Alt-?: one at a time, as a person types them)
    await s.sendKeys('Escape');
    await s.waitFor((x) => !/export the policy to/.test(x));
    await s.sendKeys('?');
    const help = await s.waitFor(/keys \(any key closes this\)/);
    expect(help.split('\n').every((l) => [...l].length <= 80)).toBe(true);
    await s.sendKeys('x');
    await s.waitFor((x) => !/any key closes this/.test(x));
    await quit(s);
  });

  it('without NO_COLOR it does use colour (so the check above means something)', async () => {
    const s = await learning(['/bin/true'], { cols: 80, rows: 24, color: true });
    await s.waitFor(/^workload ended /m, { timeout: 15_000 });
    expect(colourCodes(await s.capture(true)).length).toBeGreaterThan(0);
    await quit(s);
  });

  it('draws the screen live when the shell exports CI=true (ink would wait for the end), and the workload still sees CI', async () => {
    const s = await learning(['sh', '-c', 'echo "ci is $CI"; while :; do sleep 0.1; done'], { env: { CI: 'true', CONTINUOUS_INTEGRATION: '1' } });
    const screen = await s.waitFor(/ci is true/);
    expect(screen).toMatch(/^learning /m);
    expect(screen).toMatch(/review queue/);
    await quit(s);
  });

  it('resizing while learning keeps the screen whole and gives the workload its new size', async () => {
    // the workload says its terminal's size at start and on every SIGWINCH
    const s = await learning(['sh', '-c', 'trap "echo size \\$(stty size)" WINCH; echo size $(stty size); while :; do sleep 0.1; done']);
    const q = new Queue(s);
    // the pane's inner size: 45% of the width less the frame; the height less the detail box,
    // the status lines and the frame (narrow screens stack the panes)
    const expected = (cols: number, rows: number) => {
      const panes = rows - 7;
      if (cols < 60) return `${Math.floor(panes / 2) - 2} ${cols - 2}`;
      return `${panes - 2} ${Math.max(Math.floor(cols * 0.45), 20) - 2}`;
    };
    let screen = await s.waitFor(new RegExp(`size ${expected(100, 30)}`));
    expectSane(screen, 100, 30);
    for (const [cols, rows] of [
      [80, 24],
      [120, 40],
      [50, 20],
      [100, 30],
    ] as const) {
      await s.resize(cols, rows);
      screen = await s.waitFor((x) => panesOf(x).includes(`size ${expected(cols, rows)}`) && x.replace(/\n$/, '').split('\n').length === rows);
      expect(screen).toMatch(/^learning /m);
      if (cols >= 60) expectSane(screen, cols, rows);
      // and it still answers keys
      await s.sendKeys('?');
      await s.waitFor(/any key closes this/);
      await s.sendKeys('x');
      await s.waitFor((x) => !/any key closes this/.test(x));
    }
    await q.settle();
    await quit(s);
  });
});
