/**
 * `whittle verify SNAPSHOT [-- CMD]`, the check before shipping a profile: launch for real under
 * the policy the snapshot's decisions make, and say whether the run was clean (the same exit
 * status as when learned, no denials; probes answered ENOSYS are not denials). Exit 0 clean,
 * 1 not clean with every reason listed, 2 bad input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fixture, runWhittle, scratchDir } from '../helpers/whittle.js';
import { requireRootAndBuild } from '../helpers/setup.js';
import { fixedEnv, learnAccepted } from '../helpers/enforce.js';

let work: { dir: string; cleanup: () => void };
let data: string;
beforeAll(async () => {
  await requireRootAndBuild();
  work = scratchDir('whittle-verify-');
  chmodSync(work.dir, 0o755);
  data = path.join(work.dir, 'data.txt');
  writeFileSync(data, 'the data\n');
});
afterAll(() => work?.cleanup());

const verify = (snapshot: string, argv: string[] = []) => runWhittle(['verify', snapshot, ...(argv.length ? ['--', ...argv] : [])], { env: fixedEnv });

describe('whittle verify', () => {
  it('exits 0 on a clean policy (the learned command, from the snapshot)', async () => {
    const l = await learnAccepted(['/bin/busybox', 'sh', fixture('pipes.sh')], { dir: work.dir, name: 'pipes' });
    const r = await verify(l.snapshot);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stderr).toMatch(/clean: exit status 0 as learned, no denials/);
  });

  it('quiet as it is, still says when the workload left a daemon it waits for (and how to stop it)', async () => {
    const argv = ['/bin/sh', '-c', '(setsid sleep 1 &); echo parent-done'];
    const l = await learnAccepted(argv, { dir: work.dir, name: 'daemon-left' });
    const r = await verify(l.snapshot);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/whittle: warning: sh \(pid \d+\) ended \(exit status 0\) and left 1 process running: sleep \(pid \d+\)/);
    expect(r.stderr).toMatch(/hint: Ctrl-C \(q in the TUI\) stops them/);
    expect(r.stderr).toMatch(/clean: exit status 0 as learned, no denials/);
  });

  it('exits 1 with the reason when a needed syscall is denied', async () => {
    const argv = [fixture('deny-probe'), 'uname'];
    const l = await learnAccepted(argv, { dir: work.dir, name: 'uname', edits: { deny: { 'syscall:uname': 'EPERM' } } });
    const r = await verify(l.snapshot);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/NOT clean \(1\)/);
    expect(r.stderr).toMatch(/denied: syscall uname → EPERM by .*deny-probe/);
  });

  it('exits 1 with every reason when a needed path is denied and the exit status changes', async () => {
    const argv = [fixture('escape-probe'), 'open', data];
    const l = await learnAccepted(['/bin/busybox', 'sh', '-c', `${argv.join(' ')} && cat ${data}`], {
      dir: work.dir,
      name: 'path',
      edits: { deny: { [`path:read:${data}`]: 'EACCES' } },
    });
    const r = await verify(l.snapshot);
    expect(r.code).toBe(1);
    const reasons = r.stderr.split('\n').filter((x) => /^whittle: {3}/.test(x));
    // cat fails (exit 1 where 0 was learned), and both reads are named
    expect(reasons.join('\n')).toMatch(/exit status 1 under the policy, 0 when learned/);
    expect(reasons.join('\n')).toContain(`denied: read ${data} (openat) → ENOENT (not in the sandbox's view) by ${fixture('escape-probe')}`);
    expect(r.stderr).toMatch(new RegExp(`NOT clean \\(${reasons.length}\\)`));
  });

  it('runs CMD when given instead of the learned command', async () => {
    const l = await learnAccepted([fixture('deny-probe'), 'getppid'], { dir: work.dir, name: 'cmd' });
    expect((await verify(l.snapshot, [fixture('deny-probe'), 'getppid'])).code).toBe(0);
    const r = await verify(l.snapshot, [fixture('deny-probe'), 'personality']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/denied: syscall personality → EPERM/);
  });

  it('undecided items are denied, and that shows', async () => {
    const l = await learnAccepted([fixture('deny-probe'), 'uname'], { dir: work.dir, name: 'undecided' });
    const doc = JSON.parse(readFileSync(l.snapshot, 'utf8')) as { decisions: Record<string, unknown> };
    delete doc.decisions['syscall:uname'];
    writeFileSync(l.snapshot, JSON.stringify(doc));
    const r = await verify(l.snapshot);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/denied: syscall uname → EPERM/);
    const ok = await runWhittle(['verify', l.snapshot, '--undecided', 'accept'], { env: fixedEnv });
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('bad input: exit 2 with a message', async () => {
    const cut = path.join(work.dir, 'cut.json');
    writeFileSync(cut, '{"kind": "whittle-snap');
    const r = await verify(cut);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not valid JSON/);
    const missing = await verify(path.join(work.dir, 'missing.json'));
    expect(missing.code).toBe(2);
  });
});
