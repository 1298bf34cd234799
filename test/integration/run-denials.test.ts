/**
 * Denials exactly there: with one syscall or one path denied in an otherwise accepted policy, the
 * program gets exactly the chosen errno for exactly that call, everything else keeps working, the
 * run report names the denial (and only it), --strict turns a successful run with denials into
 * 121, and --learn-denials feeds the denials back as items, so that accepting them makes the next
 * run clean.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fixture, runWhittle, scratchDir } from '../helpers/whittle.js';
import { requireRootAndBuild } from '../helpers/setup.js';
import { denialList, enforce, editDecisions, learnAccepted, readDoc } from '../helpers/enforce.js';

let work: { dir: string; cleanup: () => void };
let data: string;
let listed: string;

beforeAll(async () => {
  await requireRootAndBuild();
  work = scratchDir('whittle-denials-');
  chmodSync(work.dir, 0o755);
  data = path.join(work.dir, 'data.txt');
  writeFileSync(data, 'the data\n');
  listed = path.join(work.dir, 'listed');
  mkdirSync(listed);
  writeFileSync(path.join(listed, 'a.txt'), 'file a\n');
  writeFileSync(path.join(listed, 'b.txt'), 'file b\n');
});
afterAll(() => work?.cleanup());

describe('one syscall denied', () => {
  it.each(['EPERM', 'EACCES', 'ENOSYS'])('the program gets %s for exactly that call, and the report names it', async (errno) => {
    // deny-probe prints the result of its one uname(2), and writes, and exits 0 either way
    const argv = [fixture('deny-probe'), 'uname'];
    const l = await learnAccepted(argv, { dir: work.dir, name: `uname-${errno}`, edits: { deny: { 'syscall:uname': errno } } });
    expect(l.stdout).toBe('uname ok\n');
    const r = await enforce(l.snapshot, argv, { dir: work.dir });
    expect(r.stdout).toBe(`uname errno=${errno}\n`);
    expect(r.code).toBe(0);
    expect(denialList(r.report)).toEqual([`syscall uname ${errno}`]);
    expect(r.report.denials[0]!.first.exe).toBe(fixture('deny-probe'));
    expect(r.report.denials[0]!.count).toBe(1);
    // the person chose it: a denial, not a probe, even when the errno is ENOSYS
    expect(r.report.probes).toEqual([]);
    // streamed while it ran
    expect(r.stderr).toMatch(new RegExp(`denied syscall uname → ${errno} by .*deny-probe \\(pid \\d+\\)\\n`));
    // a person denied it: the report says so (a call never made while learning would say that)
    expect(r.report.denials[0]!.why).toBe('decided');

    const strict = await enforce(l.snapshot, argv, { dir: work.dir, extra: ['--strict'] });
    expect(strict.stdout).toBe(`uname errno=${errno}\n`);
    expect(strict.code).toBe(121);
  });

  it('--strict passes a failing status through untouched, and exits 0 on a clean run', async () => {
    const l = await learnAccepted(['/bin/sh', '-c', 'exit 3'], { dir: work.dir, name: 'exit3', expectCode: 3, edits: { deny: {} } });
    const r = await enforce(l.snapshot, ['/bin/sh', '-c', 'exit 3'], { dir: work.dir, extra: ['--strict'] });
    expect(r.code).toBe(3);
    expect(r.report.denialCount).toBe(0);
    const ok = await learnAccepted([fixture('deny-probe'), 'uname'], { dir: work.dir, name: 'uname-clean' });
    const c = await enforce(ok.snapshot, [fixture('deny-probe'), 'uname'], { dir: work.dir, extra: ['--strict'] });
    expect(c.code).toBe(0);
    expect(c.stdout).toBe('uname ok\n');
  });
});

describe('one path denied', () => {
  it('a file outside everything accepted: ENOENT (the view leaves it out), named in the report', async () => {
    // escape-probe open FILE: openat + read, prints "open ok <line>" or "open errno=<E>"
    const argv = [fixture('escape-probe'), 'open', data];
    const l = await learnAccepted(argv, { dir: work.dir, name: 'open-data', edits: { deny: { [`path:read:${data}`]: 'EACCES' } } });
    expect(l.stdout).toBe('open ok the data\n');
    const r = await enforce(l.snapshot, argv, { dir: work.dir });
    expect(r.stdout).toBe('open errno=ENOENT\n');
    expect(denialList(r.report)).toEqual([`path read ${data} ENOENT`]);
    expect(r.report.denials[0]).toMatchObject({ name: 'openat', hidden: true });
    expect(r.stderr).toContain(`denied read ${data} (openat) → ENOENT (not in the sandbox's view)`);
  });

  it('a file in a directory the program lists: EACCES (Landlock, and a no-permission stand-in), named in the report', async () => {
    // busybox: ls the directory, then cat both files; b.txt's read is denied
    const script = `ls ${listed}; cat ${listed}/a.txt; cat ${listed}/b.txt`;
    const argv = ['/bin/busybox', 'sh', '-c', script];
    const bfile = path.join(listed, 'b.txt');
    const l = await learnAccepted(argv, { dir: work.dir, name: 'listed', edits: { deny: { [`path:read:${bfile}`]: 'EACCES' } } });
    expect(l.stdout).toBe('a.txt\nb.txt\nfile a\nfile b\n');
    for (const sim of ['', 'landlock']) {
      const r = await enforce(l.snapshot, argv, { dir: work.dir, env: { WHITTLE_SIMULATE_MISSING: sim } });
      // the listing and the other file are as learned; cat of b.txt fails, so the script exits 1
      expect(r.stdout, sim).toBe('a.txt\nb.txt\nfile a\n');
      expect(r.stderr, sim).toMatch(/cat: can't open '.*b\.txt': Permission denied/);
      expect(r.code, sim).toBe(1);
      expect(denialList(r.report), sim).toEqual([`path read ${bfile} EACCES`]);
    }
  });
});

describe('a hard link the sandbox refuses with EXDEV', () => {
  it('between two top directories of one filesystem (the view cannot give them one mount): a denial, named; between two filesystems (refused while learning too): not', async () => {
    const from = path.join(work.dir, 'linked.txt');
    const other = mkdtempSync('/var/tmp/whittle-denials-');
    try {
      writeFileSync(from, 'x\n');
      if (statSync(from).dev !== statSync(other).dev) throw new Error(`${work.dir} and /var/tmp are on two filesystems here: this test needs them on one`);
      if (statSync(from).dev === statSync('/dev/shm').dev) throw new Error('/dev/shm is on the same filesystem as the scratch directory: this test needs another');
      const to = path.join(other, 'hard');
      const shm = `/dev/shm/whittle-denials-${process.pid}`;
      const script = `ln ${from} ${to} && echo linked; rm -f ${to}; ln ${from} ${shm} || echo cross-fs refused`;
      const argv = ['/bin/sh', '-c', script];
      const l = await learnAccepted(argv, { dir: work.dir, name: 'exdev' });
      expect(l.stdout).toBe('linked\ncross-fs refused\n');
      const r = await enforce(l.snapshot, argv, { dir: work.dir });
      expect(r.stdout).toBe('cross-fs refused\n');
      expect(r.stderr).toMatch(/Invalid cross-device link/);
      expect(denialList(r.report).sort()).toEqual([`path link ${to} EXDEV`, `path stat ${from} EXDEV`]);
      expect(r.stderr).toContain(`denied link ${to} (linkat) → EXDEV (a rename or link between directories the sandbox keeps apart`);
      // the link to /dev/shm failed while learning too: no denial names it
      expect(JSON.stringify(r.report.denials)).not.toContain(shm);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});

describe('a signal that did not come while learning', () => {
  it('a program that installs a handler gets its signal under the policy and goes on (rt_sigreturn is implied, and lint says so)', async () => {
    // the program says its pid, then waits up to the time given for SIGUSR1
    const script = path.join(work.dir, 'handler.py');
    const pidFile = path.join(work.dir, 'handler.pid');
    writeFileSync(
      script,
      [
        'import os, signal, sys, time',
        'got = []',
        'signal.signal(signal.SIGUSR1, lambda *a: got.append(1))',
        `open(${JSON.stringify(pidFile)}, "w").write(str(os.getpid()))`,
        'end = time.time() + float(sys.argv[1])',
        'while time.time() < end and not got:',
        '    time.sleep(0.05)',
        'print("got usr1" if got else "no signal", flush=True)',
        '',
      ].join('\n'),
    );
    const l = await learnAccepted(['/usr/bin/python3', script, '0.2'], { dir: work.dir, name: 'handler' });
    expect(l.stdout).toBe('no signal\n');
    const learned = (await runWhittle(['show', '--json', l.snapshot])).stdout;
    expect(learned).not.toContain('"rt_sigreturn"'); // no signal came: never seen
    const lint = await runWhittle(['lint', l.snapshot]);
    expect(lint.stdout).toMatch(/info implied-syscall rt_sigreturn: allowed though never seen while learning: the workload installs signal handlers/);
    expect(lint.stdout).not.toMatch(/missing-essential rt_sigreturn/);

    rmSync(pidFile, { force: true });
    const running = enforce(l.snapshot, ['/usr/bin/python3', script, '20'], { dir: work.dir });
    for (let i = 0; i < 200 && !existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 50));
    process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGUSR1');
    const r = await running;
    expect(r.stdout).toBe('got usr1\n');
    expect(r.code).toBe(0);
    expect(denialList(r.report)).toEqual([]);
  });
});

describe('whittle show REPORT: what a reviewer handed a run report reads', () => {
  it('the verdict, each denial and where the sandbox was wider, readable; --json the report itself; a damaged one is refused', async () => {
    const argv = [fixture('deny-probe'), 'uname'];
    const l = await learnAccepted(argv, { dir: work.dir, name: 'show-report', edits: { deny: { 'syscall:uname': 'EPERM' } } });
    const r = await enforce(l.snapshot, argv, { dir: work.dir });
    const reportFile = path.join(work.dir, 'show-report.json');
    writeFileSync(reportFile, JSON.stringify(r.report, null, 2));
    const shown = await runWhittle(['show', reportFile]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/run +.*deny-probe uname +\(exited 0\)/);
    expect(shown.stdout).toMatch(/verdict +1 denial\(s\)/);
    expect(shown.stdout).toMatch(/Landlock ABI \d+; path denials seen/);
    expect(shown.stdout).toMatch(/denials \(1\)\n +syscall uname → EPERM by .*deny-probe/);
    expect(shown.stdout).toContain('--learn-denials');
    const json = await runWhittle(['show', '--json', reportFile]);
    expect(JSON.parse(json.stdout)).toEqual(r.report);
    // cut short, or with a field of the wrong type: a clear error, exit 2
    writeFileSync(path.join(work.dir, 'cut.json'), JSON.stringify(r.report, null, 2).slice(0, 120));
    const cut = await runWhittle(['show', path.join(work.dir, 'cut.json')]);
    expect(cut.code).toBe(2);
    expect(cut.stderr).toMatch(/is not valid JSON .*corrupt or was cut short/);
    writeFileSync(path.join(work.dir, 'odd.json'), JSON.stringify({ ...r.report, denials: 'none' }));
    const odd = await runWhittle(['show', path.join(work.dir, 'odd.json')]);
    expect(odd.code).toBe(2);
    expect(odd.stderr).toMatch(/is not a valid run report: at denials/);
  });
});

describe('--learn-denials: the loop goes round again', () => {
  it('a denied path and a denied syscall become items; accepting them makes the next run clean', async () => {
    const other = path.join(work.dir, 'other.txt');
    writeFileSync(other, 'other data\n');
    // learned on data.txt with getppid only; run on other.txt, and with personality
    const l = await learnAccepted(['/bin/busybox', 'sh', '-c', `${fixture('escape-probe')} open ${data}; ${fixture('deny-probe')} getppid`], {
      dir: work.dir,
      name: 'loop',
    });
    const argv = ['/bin/busybox', 'sh', '-c', `${fixture('escape-probe')} open ${other}; ${fixture('deny-probe')} personality`];
    const first = await enforce(l.snapshot, argv, { dir: work.dir, extra: ['--learn-denials', l.snapshot] });
    expect(first.stdout).toBe('open errno=ENOENT\npersonality errno=EPERM\n');
    expect(denialList(first.report)).toEqual([`path read ${other} ENOENT`, 'syscall personality EPERM']);
    // a gap in the learning run, not a decision: said, with what the call is and its risk
    expect(first.report.denials.find((d) => d.kind === 'syscall')!.why).toBe('unseen');
    expect(first.stderr).toMatch(/denied syscall personality → EPERM by .* — never made while learning \((low|medium|high|critical) risk: [^)]+\)/);
    expect(first.stderr).toMatch(/added 2 denial\(s\) to .* as items to decide/);

    // they are undecided items now: whittle show lists them, the next run still denies them
    const doc = readDoc(l.snapshot);
    expect(doc.decisions[`path:read:${other}`]).toBeUndefined();
    expect(doc.decisions['syscall:personality']).toBeUndefined();
    const show = await runWhittle(['show', '--json', l.snapshot]);
    expect(show.stdout).toContain(other);

    // a person accepts them
    editDecisions(l.snapshot, { accept: [`path:read:${other}`, 'syscall:personality'] });
    const second = await enforce(l.snapshot, argv, { dir: work.dir, extra: ['--strict'] });
    expect(second.stdout).toBe('open ok other data\npersonality ok\n');
    expect(denialList(second.report)).toEqual([]);
    expect(second.code).toBe(0);
  });
});
