/**
 * Quitting the TUI while the workload still runs — q, Ctrl-C in the queue, closing the terminal
 * — stops the workload's whole tree, saves the decisions with a complete snapshot and exits 0;
 * `whittle review` then reopens the snapshot where the person stopped. And what whittle could not
 * do (a tracer's warning, a snapshot it cannot write) is said on screen, with nothing lost.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { requireRootAndBuild } from '../helpers/setup.js';
import { Queue, detailHead, panesOf, startWhittle, tallyOf, workloadText, type TmuxSession } from '../helpers/tmux.js';

type Snap = { status: string; decisions: Record<string, { action: string; errno?: string }>; workload: { exitStatus: number | null } };

let sessions: TmuxSession[] = [];
beforeAll(() => requireRootAndBuild());
afterEach(async () => {
  await Promise.all(sessions.map((s) => s.cleanup()));
  sessions = [];
});

/** Processes whose whole command line is exactly this. */
function pgrep(cmdline: string): number[] {
  try {
    return execFileSync('pgrep', ['-f', `^${cmdline}$`], { encoding: 'utf8' }).trim().split('\n').map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

async function learning(args: string[], o: Parameters<typeof startWhittle>[1] = {}) {
  const s = await startWhittle(['learn', '--snapshot', 'snap.json', '--', ...args], { cols: 100, rows: 30, ...o });
  sessions.push(s);
  return { s, q: new Queue(s), snap: path.join(s.cwd, 'snap.json') };
}

/** Accept execve (sleep's own exec; a blocked clock_nanosleep is only seen when it returns). */
async function acceptExecve(s: TmuxSession, q: Queue): Promise<void> {
  await s.waitFor(/^learning /m);
  await q.filter('execve');
  await s.waitFor((x) => /\sexecve\s/.test(panesOf(x)));
  await q.select(/^execve\s+\[/);
  await s.sendKeys('a');
  await s.waitFor(/✓.{0,3}execve\s/);
}

describe('quitting while the workload runs', () => {
  it('q stops the tree, saves a complete snapshot with the decisions, exits 0; review resumes there', async () => {
    const { s, q, snap } = await learning(['sleep', '301']);
    await acceptExecve(s, q);
    // deny one, with a chosen errno
    await q.filter('ld.so.cache');
    await s.waitFor((x) => /ld\.so\.cache/.test(panesOf(x)));
    await q.select(/^read \/etc\/ld\.so\.cache\s/);
    await s.sendKeys('d');
    await s.waitFor(/what should the call return\?/);
    await s.sendKeys('Down', 'Down');
    await s.waitFor(/› ENOENT/);
    await s.sendKeys('Enter');
    await s.waitFor(/✗.{0,5}read\s+ld\.so\.cache/);
    expect(pgrep('sleep 301')).toHaveLength(1);

    const t0 = Date.now();
    await s.sendKeys('q');
    expect(await s.waitForExit()).toBe(0);
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(pgrep('sleep 301')).toEqual([]);
    await s.waitForProcessesGone();
    expect(await s.capture()).toMatch(/decisions saved in .*snap\.json \(resume with: whittle review /);
    const doc = JSON.parse(readFileSync(snap, 'utf8')) as Snap;
    expect(doc.status).toBe('complete');
    expect(doc.workload.exitStatus).toBe(128 + 15);
    expect(doc.decisions['syscall:execve']).toMatchObject({ action: 'accept' });
    expect(doc.decisions['path:read:/etc/ld.so.cache']).toMatchObject({ action: 'deny', errno: 'ENOENT' });

    // review: the same screens, the decisions shown where they were left
    const r = await startWhittle(['review', snap], { cols: 100, rows: 30 });
    sessions.push(r);
    let screen = await r.waitFor(/^reviewing /m);
    expect(screen).toMatch(/recorded: sleep 301/);
    expect(tallyOf(screen)).toMatchObject({ accepted: 1, denied: 1 });
    const undecided = tallyOf(screen)!.undecided;
    expect(undecided).toBeGreaterThan(0);
    expect(screen).toMatch(new RegExp(`review queue — ${undecided} to decide of ${undecided + 2}`));
    const rq = new Queue(r);
    await rq.filter('ld.so.cache');
    screen = await rq.select(/^read \/etc\/ld\.so\.cache\s/);
    expect(detailHead(screen)).toMatch(/denied \(ENOENT\)/);
    await rq.filter('execve');
    screen = await rq.select(/^execve\s+\[/);
    expect(detailHead(screen)).toMatch(/\] accepted/);
    // U: only what still waits for a decision
    await rq.filter('');
    await r.sendKeys('U');
    screen = await r.waitFor(/\(undecided only\)/);
    expect(screen).not.toMatch(/✓|✗/);
    await r.sendKeys('q');
    expect(await r.waitForExit()).toBe(0);
    expect((JSON.parse(readFileSync(snap, 'utf8')) as Snap).decisions).toEqual(doc.decisions);
  });

  it('Ctrl-C in the queue quits the same way', async () => {
    const { s, q, snap } = await learning(['sleep', '302']);
    await acceptExecve(s, q);
    await s.sendKeys('C-c');
    expect(await s.waitForExit()).toBe(0);
    expect(pgrep('sleep 302')).toEqual([]);
    await s.waitForProcessesGone();
    const doc = JSON.parse(readFileSync(snap, 'utf8')) as Snap;
    expect(doc.status).toBe('complete');
    expect(doc.decisions['syscall:execve']).toMatchObject({ action: 'accept' });
  });

  it('a workload that ignores SIGTERM gets SIGKILL 3 s later; whittle still quits with exit 0', async () => {
    const { s, q, snap } = await learning(['sh', '-c', 'trap "" TERM; sleep 305; echo done']);
    await acceptExecve(s, q);
    const t0 = Date.now();
    await s.sendKeys('q');
    await s.waitFor(/stopping the workload and saving decisions/);
    expect(await s.waitForExit(10_000)).toBe(0);
    const took = Date.now() - t0;
    expect(took).toBeGreaterThan(2500);
    expect(took).toBeLessThan(6500);
    expect(pgrep('sleep 305')).toEqual([]);
    const doc = JSON.parse(readFileSync(snap, 'utf8')) as Snap;
    expect(doc.status).toBe('complete');
    expect(doc.workload.exitStatus).toBe(128 + 9);
    expect(doc.decisions['syscall:execve']).toMatchObject({ action: 'accept' });
  });

  // Two ways a terminal closes: the shell in it dies of SIGHUP and the kernel passes SIGHUP on
  // to whittle (a terminal window closed); or the shell outlives it and whittle only finds its
  // writes failing (EIO). Either way the decisions are saved.
  it.each([
    ['whittle gets SIGHUP', false, 306],
    ['whittle only sees its writes fail', true, 303],
  ] as const)('closing the terminal (killing the tmux session) stops the tree and saves the decisions: %s', async (_, shellSurvives, secs) => {
    const { s, q, snap } = await learning(['sleep', String(secs)], { exitStatusAfterHangup: shellSurvives, stderrToFile: true });
    await acceptExecve(s, q);
    // the decision is made: close the terminal at once, before the periodic save could run
    await s.kill();
    if (shellSurvives) expect(await s.waitForExit()).toBe(0);
    await s.waitForProcessesGone();
    expect(pgrep(`sleep ${secs}`)).toEqual([]);
    expect(s.stderr()).not.toMatch(/Assertion|Error|\bat /);
    const doc = JSON.parse(readFileSync(snap, 'utf8')) as Snap;
    expect(doc.status).toBe('complete');
    expect(doc.workload.exitStatus).toBe(128 + 15);
    expect(doc.decisions['syscall:execve']).toMatchObject({ action: 'accept' });
  });
});

// A daemon (here: setsid, a session of its own) does not hear the terminal: Ctrl-C reaches the
// shell that started it, which has ended. whittle waits for the daemon (it is the workload too),
// says so, and then Ctrl-C stops it.
describe('a workload whose first process ends and leaves a daemon running', () => {
  const daemon = (secs: number) => ['sh', '-c', `(setsid sleep ${secs} &); echo parent-done`];
  const leftRunning = (secs: number) => new RegExp(`whittle: warning: sh \\(pid \\d+\\) ended \\(exit status 0\\) and left 1 process running: sleep \\(pid ${pgrep(`sleep ${secs}`)[0]}\\); the session goes on until they end too`);

  it('learn --headless in a terminal says what is left and waits; Ctrl-C then stops it and saves the snapshot', async () => {
    const s = await startWhittle(['learn', '--headless', '--snapshot', 'snap.json', '--', ...daemon(307)], { cols: 200, rows: 20 });
    sessions.push(s);
    await s.waitFor(/hint: Ctrl-C \(q in the TUI\) stops them and keeps what was seen/);
    expect(pgrep('sleep 307')).toHaveLength(1);
    expect(await s.capture()).toMatch(leftRunning(307));
    // still waiting for it: no snapshot summary yet
    expect(await s.capture()).not.toMatch(/snapshot snap\.json/);
    await s.sendKeys('C-c');
    expect(await s.waitForExit()).toBe(0); // the workload's own status: its first process exited 0
    expect(pgrep('sleep 307')).toEqual([]);
    await s.waitForProcessesGone();
    expect(await s.capture()).toMatch(/stopping: Ctrl-C after the workload's first process had ended[\s\S]*snapshot snap\.json \(complete\)/);
    const doc = JSON.parse(readFileSync(path.join(s.cwd, 'snap.json'), 'utf8')) as Snap & { messages: Array<{ message: string }> };
    expect(doc.status).toBe('complete');
    expect(doc.workload.exitStatus).toBe(0);
    expect(doc.messages.map((m) => m.message)).toEqual(expect.arrayContaining([expect.stringMatching(/left 1 process running: sleep/), expect.stringMatching(/^stopping: Ctrl-C/)]));
  });

  it('the TUI shows it in the workload pane, and q stops it', async () => {
    const { s, snap } = await learning(daemon(308));
    await s.waitFor((x) => /left 1 process running: sleep/.test(workloadText(x)));
    expect(pgrep('sleep 308')).toHaveLength(1);
    await s.sendKeys('q');
    expect(await s.waitForExit()).toBe(0);
    expect(pgrep('sleep 308')).toEqual([]);
    await s.waitForProcessesGone();
    expect((JSON.parse(readFileSync(snap, 'utf8')) as Snap).status).toBe('complete');
    // a reviewer opening it later reads what was said while learning, before any item
    const r = await startWhittle(['review', snap], { cols: 100, rows: 30 });
    sessions.push(r);
    const said = workloadText(await r.waitFor((x) => /^reviewing /m.test(x) && /press r to run it/.test(workloadText(x))));
    expect(said).toMatch(/while learning, whittle said: whittle: warning: sh \(pid \d+\) ended \(exit status 0\) and left 1 process running: sleep \(pid \d+\)/);
    expect(said).toMatch(/whittle: warning: stopping: whittle asked the tracer to end the session/);
    await r.sendKeys('q');
    expect(await r.waitForExit()).toBe(0);
  });

  it('nothing is said when nothing is left (the shell waits for its child)', async () => {
    const s = await startWhittle(['learn', '--headless', '--snapshot', 'snap.json', '--', 'sh', '-c', 'echo started; sleep 0.5 & wait; echo waited'], { cols: 200, rows: 20 });
    sessions.push(s);
    expect(await s.waitForExit()).toBe(0);
    const screen = await s.capture();
    expect(screen).toMatch(/waited[\s\S]*snapshot snap\.json \(complete\)/);
    expect(screen).not.toMatch(/left \d+ process/);
  });
});

describe('what whittle cannot do is said on screen', () => {
  it("the tracer's warnings appear in the workload pane (here: no eBPF, so the seccomp recorder)", async () => {
    const s = await startWhittle(['learn', '--snapshot', 'snap.json', '--', 'sh', '-c', 'echo hello'], { cols: 160, rows: 30, env: { WHITTLE_SIMULATE_MISSING: 'ebpf' } });
    sessions.push(s);
    await s.waitFor(/whittle: warning: the in-kernel \(eBPF\) recorder is unavailable/);
    await s.waitFor(/the workload ended \(exit status 0\)/);
    await s.sendKeys('q');
    expect(await s.waitForExit()).toBe(0);
  });

  it('a snapshot whose directory is removed while learning: the pane says so, decisions go on into a rescue copy, q says where (exit 125)', async () => {
    const before = new Set(readdirSync(os.tmpdir()));
    const s = await startWhittle(['learn', '--snapshot', 'sub/snap.json', '--', 'sh', '-c', 'rm -rf sub; echo removed'], { cols: 160, rows: 30, stderrToFile: true });
    sessions.push(s);
    const rescues = () => readdirSync(os.tmpdir()).filter((f) => /^whittle-rescue-\d+-snap\.json$/.test(f) && !before.has(f));
    try {
      // the save at the workload's end fails: said in the workload pane, where the person looks
      await s.waitFor(/whittle: warning: cannot write snapshot/);
      // deciding goes on (every save after this one goes to the same rescue copy)
      await s.sendKeys('A');
      await s.waitFor(/accepted every undecided item/);
      await s.sendKeys('q');
      expect(await s.waitForExit()).toBe(125);
      const err = s.stderr();
      expect(err).toMatch(/whittle: error: cannot write snapshot sub\/snap\.json: .*nothing is lost: it was saved to \S+whittle-rescue-\d+-snap\.json instead; put it back once the place is writable: mv /);
      expect(err).not.toMatch(/decisions saved in sub\/snap\.json/);
      expect(rescues()).toHaveLength(1);
      const doc = JSON.parse(readFileSync(path.join(os.tmpdir(), rescues()[0]!), 'utf8')) as Snap;
      expect(doc.status).toBe('complete');
      expect(doc.workload.exitStatus).toBe(0);
      const actions = Object.values(doc.decisions).map((d) => d.action);
      expect(actions.length).toBeGreaterThan(5);
      expect(new Set(actions)).toEqual(new Set(['accept']));
    } finally {
      for (const f of rescues()) rmSync(path.join(os.tmpdir(), f), { force: true });
    }
  });
});
