/**
 * The whole loop in the real TUI, on the real demo under the real tracer: learn, accept / deny / glob / undo, export OCI and AppArmor, launch for real with a needed
 * item denied, see the denial come back marked, accept it, relaunch clean, quit, and reopen the
 * snapshot with `whittle review`. Assertions are on the screen text and the files written.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { requireRootAndBuild } from '../helpers/setup.js';
import { repoRoot } from '../helpers/whittle.js';
import { Queue, detailHead, panesOf, startWhittle, statusLines, tallyOf, waitForJson, workloadText, type TmuxSession } from '../helpers/tmux.js';

const demo = path.join(repoRoot, 'test', 'fixtures', 'demo', 'demo.sh');
type Snap = { status: string; statusReason?: string; decisions: Record<string, { action: string; errno?: string; pattern?: string; access?: string }>; workload: { exitStatus: number | null } };

let sessions: TmuxSession[] = [];
beforeAll(() => requireRootAndBuild());
afterEach(async () => {
  await Promise.all(sessions.map((s) => s.cleanup()));
  sessions = [];
});

describe('whittle learn: the review loop on the demo', () => {
  it('learns, decides, exports, launches for real until clean, and reviews again', async () => {
    const s = await startWhittle(['learn', '--snapshot', 'demo.json', '--', demo], { cols: 100, rows: 30, env: { DEMO_PAUSE: '0', DEMO_WAIT: '0' } });
    sessions.push(s);
    const snap = path.join(s.cwd, 'demo.json');
    const q = new Queue(s);

    // the queue fills with every kind of item the demo made
    let screen = await s.waitFor(/^workload ended /m, { timeout: 20_000 });
    expect(screen).toMatch(/the workload ended \(exit status 0\)/);
    for (const section of ['CAPABILITIES', 'MOUNTS AND NAMESPACES', 'NETWORK', 'SYSCALLS']) expect(screen).toContain(section);
    expect(screen).toMatch(/review queue — (\d+) to decide of \1/);
    expect(tallyOf(screen)).toMatchObject({ accepted: 0, denied: 0 });
    expect(existsSync(path.join(s.cwd, 'profiles'))).toBe(false);
    // what is risky and waiting is counted, and ! goes to it wherever it is in the queue
    expect(statusLines(screen)[0]).toMatch(/undecided \(\d+ critical, \d+ high\)/);
    // (the demo's critical path, /proc/sysrq-trigger, is some 90 rows down the queue)
    const seen: string[] = [];
    while (!seen.some((h) => /^\/proc\/$|^(write|create) \/proc\/sysrq-trigger\s/.test(h))) {
      expect(seen.length).toBeLessThan(30);
      const before = detailHead(await s.capture());
      await s.sendKeys('!');
      screen = await s.waitFor((x) => detailHead(x) !== before);
      expect(detailHead(screen)).toMatch(/\[(critical|high)\] undecided|^\/proc\/$/);
      seen.push(detailHead(screen));
    }
    expect(seen[0]).toMatch(/^CAP_SYS_ADMIN\s+\[critical\]/);

    // accept one item
    await q.filter('AF_INET');
    await q.select(/^AF_INET\s+\[/);
    await s.sendKeys('a');
    screen = await s.waitFor(/✓.{0,3}AF_INET\s/);
    let doc = await waitForJson<Snap>(snap, (d) => d.decisions['net:AF_INET']?.action === 'accept');
    expect(doc.status).toBe('complete');
    expect(doc.statusReason).toBeUndefined();

    // deny one, choosing the errno it returns: the demo needs mount(2) for its tmpfs
    await q.filter('mount');
    await q.select(/^mount\s+\[critical\]/);
    await s.sendKeys('d');
    screen = await s.waitFor(/what should the call return\?/);
    expect(screen).toMatch(/› EPERM/);
    await s.sendKeys('Down', 'Down');
    await s.waitFor(/› EACCES/);
    await s.sendKeys('Enter');
    screen = await s.waitFor(/✗.{0,3}mount\s/);
    doc = await waitForJson<Snap>(snap, (d) => d.decisions['syscall:mount']?.action === 'deny');
    expect(doc.decisions['syscall:mount']).toMatchObject({ action: 'deny', errno: 'EACCES' });

    // glob the demo's scratch directory: every path in it, one pattern per access kind
    await q.filter('whittle-demo.');
    screen = await q.select(/^\/tmp\/whittle-demo\.\w+\/$/);
    const dir = detailHead(screen).replace(/\/$/, '');
    await s.sendKeys('g');
    screen = await s.waitFor(/widen the \d+ path\(s\) in/);
    // mktemp made the directory's name up: the pattern for it comes first, then the directory
    expect(screen).toContain('› /tmp/whittle-demo.*/**');
    expect(screen).toContain(`  ${dir}/*`);
    expect(screen).toContain(`  ${dir}/**`);
    await s.sendKeys('Enter');
    screen = await s.waitFor((x) => !/widen the/.test(x) && /\*\s+(write|read|create|stat|remove)\s/.test(x));
    doc = await waitForJson<Snap>(snap, (d) => Object.values(d.decisions).some((x) => x.action === 'glob'));
    const globs = Object.entries(doc.decisions).filter(([, d]) => d.action === 'glob');
    expect(globs.length).toBeGreaterThan(1);
    for (const [key, d] of globs) {
      expect(d.pattern).toBe('/tmp/whittle-demo.*/**');
      expect(key).toMatch(new RegExp(`^path:${d.access}:`));
    }
    expect(new Set(globs.map(([, d]) => d.access))).toEqual(expect.objectContaining({ size: expect.any(Number) }));
    expect(globs.map(([, d]) => d.access)).toEqual(expect.arrayContaining(['write', 'create', 'remove']));

    // a pattern of one's own: the last entry; one that does not cover the item is refused and
    // can be fixed in place
    await q.filter('hostname');
    await q.select(/^read \/etc\/hostname\s/);
    await s.sendKeys('g');
    await s.waitFor(/widen read \/etc\/hostname to/);
    await s.sendKeys('Up');
    await s.waitFor(/› type a pattern…/);
    await s.sendKeys('Enter');
    screen = await s.waitFor(/Enter widen · Ctrl-U clear · Esc cancel/);
    expect(screen).toContain('/etc/*▏');
    await s.sendKeys('C-u');
    await s.type('/usr/lib/host*');
    await s.waitFor(/\/usr\/lib\/host\*▏/);
    await s.sendKeys('Enter');
    screen = await s.waitFor(/does not match \/etc\/hostname/);
    expect(screen).toContain('/usr/lib/host*▏');
    await s.sendKeys('C-u');
    await s.type('/etc/host*');
    await s.waitFor(/\/etc\/host\*▏/);
    await s.sendKeys('Enter');
    await s.waitFor((x) => !/Enter widen/.test(x));
    doc = await waitForJson<Snap>(snap, (d) => d.decisions['path:read:/etc/hostname']?.action === 'glob');
    expect(doc.decisions['path:read:/etc/hostname']).toMatchObject({ pattern: '/etc/host*', access: 'read' });

    // a glob over a sensitive prefix asks first; confirmed, it is one step that u takes back
    await q.filter('sysrq');
    await q.select(/^write \/proc\/sysrq-trigger\s/);
    await s.sendKeys('g');
    await s.waitFor(/widen write \/proc\/sysrq-trigger to/);
    await s.sendKeys('Enter');
    screen = await s.waitFor(/covers a sensitive path/);
    expect(statusLines(screen)[1]).toMatch(/would also cover \/proc\/sysrq-trigger/);
    const sysrqKey = 'path:write:/proc/sysrq-trigger';
    await new Promise((r) => setTimeout(r, 400));
    expect((JSON.parse(readFileSync(snap, 'utf8')) as Snap).decisions[sysrqKey]).toBeUndefined();
    await s.sendKeys('Enter');
    await s.waitFor((x) => !/widen write/.test(x));
    doc = await waitForJson<Snap>(snap, (d) => d.decisions[sysrqKey]?.action === 'glob');
    expect(doc.decisions[sysrqKey]).toMatchObject({ pattern: '/proc/*' });
    await s.sendKeys('u');
    doc = await waitForJson<Snap>(snap, (d) => !d.decisions[sysrqKey]);
    // undo took back only that step
    expect(doc.decisions['syscall:mount']).toMatchObject({ action: 'deny', errno: 'EACCES' });
    expect(doc.decisions['net:AF_INET']).toMatchObject({ action: 'accept' });

    // everything else accepted: the only needed item denied is mount(2)
    await q.filter('');
    await s.sendKeys('A');
    screen = await s.waitFor((x) => tallyOf(x)?.undecided === 0);
    expect(tallyOf(screen)!.denied).toBe(1);

    // export OCI and AppArmor: the files, and what each format cannot express
    await s.sendKeys('e');
    screen = await s.waitFor(/export the policy to/);
    const formats = screen.split('\n').map((l) => /\[( |x)\] (\w+)/.exec(l)?.[2]).filter((f): f is string => !!f);
    expect(formats).toEqual(expect.arrayContaining(['oci', 'apparmor', 'whittle']));
    await s.sendKeys(...Array(formats.indexOf('apparmor')).fill('Down'), 'Space');
    await s.waitFor(/\[x\] apparmor/);
    expect(await s.capture()).toMatch(/\[x\] oci/);
    await s.sendKeys('Enter');
    screen = await s.waitFor(/exported \(any key to close\)/, { timeout: 20_000 });
    const oci = /oci → (\S+)/.exec(screen)?.[1];
    const aa = /apparmor → (\S+)/.exec(screen)?.[1];
    expect(oci).toMatch(/^profiles\//);
    expect(aa).toMatch(/^profiles\//);
    expect(existsSync(path.join(s.cwd, oci!))).toBe(true);
    expect(existsSync(path.join(s.cwd, aa!))).toBe(true);
    expect(JSON.parse(readFileSync(path.join(s.cwd, oci!), 'utf8'))).toHaveProperty('defaultAction');
    expect(readFileSync(path.join(s.cwd, aa!), 'utf8')).toMatch(/profile \S+/);
    // each result says what the format cannot express (the errno policy, for both)
    const lines = screen.split('\n');
    const after = (f: string) => lines[lines.findIndex((l) => l.includes(`${f} →`)) + 1] ?? '';
    expect(after('oci')).toMatch(/cannot express \d+:/);
    expect(after('apparmor')).toMatch(/cannot express \d+:/);
    await s.sendKeys('x');
    await s.waitFor((x) => !/exported \(any key/.test(x));

    // launch for real: mount(2) is denied, and comes back marked in the queue
    await s.sendKeys('r');
    screen = await s.waitFor(/run for real: \d+ denial\(s\)/, { timeout: 30_000 });
    expect(screen).not.toMatch(/run for real: 0 denial/);
    expect(screen).toMatch(/SYSCALLS \(\d+, \d+ DENIED IN A RUN\)/);
    expect(screen).toMatch(/✗.{0,2}⊘mount\s/);
    expect(screen).toMatch(/demo: \(the mount was refused\)/);
    await q.filter('mount');
    screen = await q.select(/^mount\s+\[critical\]/);
    expect(detailHead(screen)).toMatch(/denied \(EACCES\) — DENIED in the last run/);
    await s.sendKeys('a');
    screen = await s.waitFor(/✓.{0,2}⊘mount\s/);
    expect(tallyOf(screen)).toMatchObject({ denied: 0, undecided: 0 });

    // relaunch: clean
    await q.filter('');
    await s.sendKeys('r');
    screen = await s.waitFor(/run for real: 0 denial\(s\)/, { timeout: 30_000 });
    expect(screen).not.toMatch(/⊘/);
    expect(screen).not.toMatch(/DENIED IN A RUN/);

    // quit: exit 0, everything saved
    await s.sendKeys('q');
    expect(await s.waitForExit()).toBe(0);
    screen = await s.capture();
    expect(screen).toMatch(/decisions saved in .*demo\.json/);
    doc = JSON.parse(readFileSync(snap, 'utf8')) as Snap;
    expect(doc.status).toBe('complete');
    expect(doc.workload.exitStatus).toBe(0);
    expect(doc.decisions['syscall:mount']).toMatchObject({ action: 'accept' });
    expect(doc.decisions['net:AF_INET']).toMatchObject({ action: 'accept' });
    expect(globs.every(([k]) => doc.decisions[k]?.action === 'glob')).toBe(true);
    const total = Object.keys(doc.decisions).length;

    // review reopens the same screens with every decision shown
    const r = await startWhittle(['review', snap], { cols: 100, rows: 30 });
    sessions.push(r);
    screen = await r.waitFor(/^reviewing /m);
    expect(screen).toMatch(/review queue — 0 to decide of \d+/);
    expect(screen).toMatch(/✓.{0,3}AF_INET\s/);
    expect(tallyOf(screen)).toMatchObject({ denied: 0, undecided: 0 });
    const rq = new Queue(r);
    await rq.filter('whittle-demo.');
    screen = await r.waitFor(/\*\s+(write|create|remove)\s/);
    await r.sendKeys('q');
    expect(await r.waitForExit()).toBe(0);
    expect(Object.keys((JSON.parse(readFileSync(snap, 'utf8')) as Snap).decisions)).toHaveLength(total);
  });

  /** Learn a busybox script in the TUI, accept everything (A), run it for real (r): the screen once the run has ended. */
  async function learnAcceptAllAndRun(snapshot: string, script: string): Promise<{ s: TmuxSession; screen: string }> {
    const s = await startWhittle(['learn', '--snapshot', snapshot, '--', '/bin/busybox', 'sh', '-c', script], { cols: 100, rows: 30 });
    sessions.push(s);
    await s.waitFor(/^workload ended /m, { timeout: 20_000 });
    await s.sendKeys('A');
    await s.waitFor((x) => tallyOf(x)?.undecided === 0);
    await s.sendKeys('r');
    return { s, screen: await s.waitFor(/run for real: \d+ denial\(s\)/, { timeout: 30_000 }) };
  }

  it('r says where the launcher is wider than a decision, as whittle run does (a file moved between two directories)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'whittle-tui-moves-'));
    try {
      chmodSync(dir, 0o755);
      const script = `mkdir -p ${dir}/a ${dir}/b; : > ${dir}/a/f; mv ${dir}/a/f ${dir}/b/f; rm ${dir}/b/f; echo move-done`;
      const { s, screen } = await learnAcceptAllAndRun('moves.json', script);
      expect(screen).toMatch(/run for real: 0 denial\(s\), exit status 0/);
      const pane = workloadText(screen);
      expect(pane).toContain(`whittle: enforced more widely than accepted: names moved (rename, link) between ${dir}/a, ${dir}/b`);
      // and the workload made its move under the policy, after the note
      expect(pane.lastIndexOf('move-done')).toBeGreaterThan(pane.indexOf('enforced more widely'));
      await s.sendKeys('q');
      expect(await s.waitForExit()).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("r tells denials apart as whittle run does: a file the sandbox's view left out is a denial (ENOENT), marked in the queue", async () => {
    // learned reading a.txt; run for real, it reads b.txt, which the view does not hold
    const dir = mkdtempSync(path.join(tmpdir(), 'whittle-tui-hidden-'));
    try {
      mkdirSync(path.join(dir, 'd'));
      mkdirSync(path.join(dir, 'm'));
      chmodSync(dir, 0o755);
      writeFileSync(path.join(dir, 'd', 'a.txt'), 'a\n');
      writeFileSync(path.join(dir, 'd', 'b.txt'), 'b\n');
      const script = `if [ -e ${dir}/m/ran ]; then f=b; else : > ${dir}/m/ran; f=a; fi; cat ${dir}/d/$f.txt 2>/dev/null; echo cat:$?`;
      const { s, screen } = await learnAcceptAllAndRun('hidden.json', script);
      expect(screen).toMatch(/run for real: 1 denial\(s\)/);
      expect(panesOf(screen)).toMatch(/cat:1/);
      const doc = await waitForJson<{ observed: { paths: Array<{ path: string; access: string; result: string; denied?: boolean }> } }>(path.join(s.cwd, 'hidden.json'), (d) =>
        d.observed.paths.some((p) => p.path.endsWith('/d/b.txt') && p.denied === true),
      );
      // it exists outside the sandbox: learned as there (ok), so accepting it puts it in the next view
      expect(doc.observed.paths.find((p) => p.path.endsWith('/d/b.txt'))).toMatchObject({ access: 'read', result: 'ok', denied: true });
      await s.sendKeys('q');
      expect(await s.waitForExit()).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
