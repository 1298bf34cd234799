/**
 * A container learned in the real TUI, through runc, on a busybox-static image built here: the
 * container's output in the workload pane, the runtime's own syscalls as a section of their own,
 * then accept everything, launch for real through the same runtime (clean), deny one syscall the
 * container needs (mkdir), launch again: the denial comes back into the queue and the container's own
 * message shows the EPERM. The snapshot keeps the container and the decisions.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addBusybox, makeImageBundle } from '../helpers/container-images.js';
import { requireTools } from '../helpers/bundle.js';
import { requireRootAndBuild } from '../helpers/setup.js';
import { scratchDir } from '../helpers/whittle.js';
import { Queue, startWhittle, statusLines, tallyOf, waitForJson, workloadText, type TmuxSession } from '../helpers/tmux.js';

type Snap = {
  status: string;
  container?: { runtime: string; ref: string; refKind: string };
  decisions: Record<string, { action: string; errno?: string }>;
  observed: { syscalls: Array<{ name: string; layer?: string; denied?: boolean }> };
};

/** The workload pane's text as one line (the pane wraps long lines at its width). */

let work: { dir: string; cleanup: () => void };
let bundle: string;
let sessions: TmuxSession[] = [];

beforeAll(async () => {
  await requireRootAndBuild();
  requireTools('runc', 'busybox');
  work = scratchDir('whittle-e2e-ctr-');
  const rootfs = path.join(work.dir, 'rootfs');
  addBusybox(rootfs);
  mkdirSync(path.join(rootfs, 'data'));
  writeFileSync(path.join(rootfs, 'data', 'greeting'), 'hello from the image\n');
  // mkdir is the call denied below: busybox mkdir says why it failed, and the shell's status follows
  bundle = makeImageBundle(path.join(work.dir, 'bundle'), rootfs, ['/bin/sh', '-c', 'cat /data/greeting; rm -rf /data/new; mkdir /data/new && echo container-done']);
}, 120_000);

afterEach(async () => {
  await Promise.all(sessions.map((s) => s.cleanup()));
  sessions = [];
});

afterAll(() => work?.cleanup());

describe('whittle learn --container in the TUI', () => {
  it('learns through runc, launches for real through runc until a denied call fails there, and keeps it all in the snapshot', async () => {
    const s = await startWhittle(['learn', '--container', bundle, '--runtime', 'runc', '--snapshot', 'ctr.json'], { cols: 120, rows: 36 });
    sessions.push(s);
    const snap = path.join(s.cwd, 'ctr.json');
    const q = new Queue(s);

    // the container's output is in the pane; the queue has the runtime's layer as its own section
    let screen = await s.waitFor(/^workload ended /m, { timeout: 30_000 });
    expect(workloadText(screen)).toContain('hello from the image');
    expect(workloadText(screen)).toContain('container-done');
    expect(screen).toMatch(/the workload ended \(exit status 0\)/);
    await q.filter('runtime');
    screen = await s.waitFor(/THE CONTAINER RUNTIME'S OWN SYSCALLS/i);
    let doc = await waitForJson<Snap>(snap, (d) => d.status === 'complete');
    expect(doc.container).toMatchObject({ runtime: 'runc', ref: bundle, refKind: 'bundle' });
    expect(doc.observed.syscalls.filter((x) => x.layer === 'runtime').length).toBeGreaterThan(0);
    const mkdir = doc.observed.syscalls.map((x) => x.name).find((n) => n === 'mkdir' || n === 'mkdirat');
    expect(mkdir).toBeDefined();

    // accept everything, launch for real through the same runtime: clean
    await s.sendKeys('A');
    screen = await s.waitFor((x) => tallyOf(x)?.undecided === 0);
    await s.sendKeys('r');
    screen = await s.waitFor(/── run for real: .*──/, { timeout: 30_000 });
    expect(workloadText(screen)).toMatch(/launching \S+bundle for real through runc, under \d+ allowed syscalls/);
    expect(screen).toMatch(/run for real: 0 denial\(s\), exit status 0/);

    // deny mkdir: the container's mkdir fails with EPERM there, and the denial comes back marked
    await q.filter(mkdir!);
    await q.select(new RegExp(`^${mkdir}\\s+\\[`));
    await s.sendKeys('d');
    await s.waitFor(/what should the call return\?/);
    await s.sendKeys('Enter');
    await s.waitFor(new RegExp(`✗.{0,3}${mkdir}\\s`));
    doc = await waitForJson<Snap>(snap, (d) => d.decisions[`syscall:${mkdir}`]?.action === 'deny');
    expect(doc.decisions[`syscall:${mkdir}`]).toMatchObject({ action: 'deny', errno: 'EPERM' });
    await s.sendKeys('r');
    screen = await s.waitFor(/run for real: [1-9]\d* denial\(s\)/, { timeout: 30_000 });
    expect(workloadText(screen)).toMatch(/mkdir: can't create directory '\/data\/new': Operation not permitted/);
    expect(workloadText(screen)).toMatch(new RegExp(`denied syscall ${mkdir} → EPERM`));
    expect(statusLines(screen).join('\n')).toMatch(/run for real: 1 denial\(s\), exit status [1-9]/);
    screen = await s.waitFor(new RegExp(`⊘${mkdir}`));

    await s.sendKeys('q');
    expect(await s.waitForExit()).toBe(0);
    await s.waitForProcessesGone();
    doc = JSON.parse(readFileSync(snap, 'utf8')) as Snap;
    expect(doc.status).toBe('complete');
    expect(doc.container?.runtime).toBe('runc');
    expect(doc.decisions[`syscall:${mkdir}`]).toMatchObject({ action: 'deny', errno: 'EPERM' });
    // the report of the last run is beside the snapshot
    const report = JSON.parse(readFileSync(path.join(s.cwd, 'ctr.run-report.json'), 'utf8')) as { denials: Array<{ kind: string; name?: string }> };
    expect(report.denials).toContainEqual(expect.objectContaining({ kind: 'syscall', name: mkdir }));
  }, 180_000);
});
