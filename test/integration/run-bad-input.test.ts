/**
 * Bad input to `whittle run`, each a clear message and the contract's exit code (run's own usage
 * and input errors are 125; a command that cannot be found 127), with nothing of the workload
 * run — and a kernel without Landlock (simulated), a clearly reported downgrade where the
 * sandbox's view still enforces the paths. Where the results go (--report, --learn-denials) is
 * checked before the run, and a report that cannot be written after it loses no summary.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fixture, runWhittle, scratchDir } from '../helpers/whittle.js';
import { requireRootAndBuild } from '../helpers/setup.js';
import { denialList, enforce, fixedEnv, learnAccepted, type Learned } from '../helpers/enforce.js';

let work: { dir: string; cleanup: () => void };
let base: Learned; // deny-probe uname, accepted
let exported: string; // the same as an exported *.whittle.json
let marker: string; // a file the workload would create if it ran

beforeAll(async () => {
  await requireRootAndBuild();
  work = scratchDir('whittle-run-bad-');
  chmodSync(work.dir, 0o755);
  base = await learnAccepted([fixture('deny-probe'), 'uname'], { dir: work.dir, name: 'base' });
  exported = path.join(work.dir, 'base.whittle.json');
  const e = await runWhittle(['export', base.snapshot, '--format', 'whittle', '-o', exported]);
  if (e.code !== 0) throw new Error(`export failed: ${e.stderr}`);
  marker = path.join(work.dir, 'ran');
});
afterAll(() => work?.cleanup());

/** A copy of a JSON file with an edit applied. */
function variant(from: string, name: string, edit: (doc: Record<string, any>) => void): string {
  const doc = JSON.parse(readFileSync(from, 'utf8')) as Record<string, any>;
  edit(doc);
  const f = path.join(work.dir, name);
  writeFileSync(f, JSON.stringify(doc));
  return f;
}

async function runBad(profile: string, extra: string[] = []) {
  // the workload would leave a marker if it ran at all
  const r = await runWhittle(['run', '--profile', profile, ...extra, '--', '/bin/sh', '-c', `echo ran > ${marker}`], { env: fixedEnv });
  let ran = false;
  try {
    readFileSync(marker);
    ran = true;
  } catch {
    /* not there: good */
  }
  return { ...r, ran };
}

describe('a profile whittle cannot enforce here: 125, a clear message, nothing run', () => {
  it.each([
    ['an exported policy for another architecture', () => variant(exported, 'arm.whittle.json', (d) => (d.arch.native = 'aarch64')), /is a policy for aarch64; this machine is x86_64/],
    ['a snapshot learned on another architecture', () => variant(base.snapshot, 'arm.json', (d) => (d.host.machine = 'aarch64')), /was learned on aarch64; this machine is x86_64/],
    ['a policy with an unknown syscall', () => variant(exported, 'unknown.whittle.json', (d) => d.syscalls.allow.push('frobnicate')), /names syscall\(s\) that do not exist: frobnicate/],
    [
      'a snapshot with an unknown syscall accepted',
      () =>
        variant(base.snapshot, 'unknown.json', (d) => {
          d.observed.syscalls.push({ ...d.observed.syscalls[0], name: 'frobnicate', nr: 999 });
          d.decisions['syscall:frobnicate'] = { action: 'accept' };
        }),
      /names syscall\(s\) that do not exist: frobnicate/,
    ],
    ['an unknown capability', () => variant(exported, 'cap.whittle.json', (d) => d.capabilities.allow.push('CAP_FROB')), /does not know: capability CAP_FROB/],
    ['an unknown errno', () => variant(exported, 'errno.whittle.json', (d) => d.syscalls.deny.push({ name: 'uname', errno: 'EFROB' })), /does not know: errno EFROB/],
    ['an unknown socket family', () => variant(exported, 'family.whittle.json', (d) => d.network.allow.push('AF_FROB')), /does not know: socket family AF_FROB/],
    [
      'a corrupt file (cut short)',
      () => {
        const f = path.join(work.dir, 'cut.json');
        writeFileSync(f, readFileSync(base.snapshot, 'utf8').slice(0, 200));
        return f;
      },
      /is not valid JSON .*corrupt or was cut short/,
    ],
    [
      'not a whittle file at all',
      () => {
        const f = path.join(work.dir, 'other.json');
        writeFileSync(f, JSON.stringify({ kind: 'something-else' }));
        return f;
      },
      /is a "something-else", not a whittle snapshot or policy/,
    ],
    ['a file that does not exist', () => path.join(work.dir, 'nope.json'), /cannot read .*nope\.json/],
  ])('%s', async (_what, make, message) => {
    const r = await runBad(make());
    expect(r.code, r.stderr).toBe(125);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/denial\(s\)/); // no made-up summary of a run that did not happen
    expect(r.ran).toBe(false);
  });

  it('bad usage: no --profile', async () => {
    const r = await runWhittle(['run', '--', '/bin/true']);
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(/--profile/);
  });
});

describe('where the results go: checked before the run, and nothing lost after it', () => {
  // where the results go is checked first: found bad after the run, they would be lost
  it.each([
    ['a --report in a directory that does not exist', () => ['--report', path.join(work.dir, 'no-such-dir', 'r.json')], /cannot write the run report to .*no-such-dir\/r\.json: .*no-such-dir does not exist/],
    [
      'a --learn-denials snapshot that is corrupt',
      () => {
        const f = path.join(work.dir, 'corrupt-target.json');
        writeFileSync(f, '{"kind": "whittle-snapshot", ');
        return ['--learn-denials', f];
      },
      /corrupt-target\.json is not valid JSON/,
    ],
    ['a --learn-denials snapshot that is incomplete', () => ['--learn-denials', variant(base.snapshot, 'incomplete.json', (d) => ((d.status = 'incomplete'), (d.statusReason = 'the tracer was killed')))], /incomplete\.json is incomplete: the tracer was killed/],
  ])('%s: 125 before anything runs', async (_what, extra, message) => {
    const r = await runBad(exported, extra());
    expect(r.code, r.stderr).toBe(125);
    expect(r.stderr).toMatch(message);
    expect(r.ran).toBe(false);
  });

  it('a report that cannot be written after the run: the summary still comes, then the error (125)', async () => {
    // the directory exists when the run starts; the workload itself removes it
    const dir = path.join(work.dir, 'report-dir');
    const argv = ['/bin/sh', '-c', `rm -rf ${dir}; uname`];
    mkdirSync(dir);
    const l = await learnAccepted(argv, { dir: work.dir, name: 'report-gone' });
    mkdirSync(dir); // (learning removed it)
    const r = await runWhittle(['run', '--profile', l.snapshot, '--report', path.join(dir, 'r.json'), '--', ...argv], { env: fixedEnv });
    expect(r.code, r.stderr).toBe(125);
    expect(r.stdout).toMatch(/Linux/);
    expect(r.stderr).toMatch(/denial\(s\).*exit status 0[\s\S]*cannot write the run report to .*report-dir\/r\.json/);
  });
});

describe('the command', () => {
  it('not in the sandbox\'s view: 127, and a message saying so', async () => {
    const r = await enforce(base.snapshot, ['/bin/ls', '/'], { dir: work.dir });
    expect(r.code).toBe(127);
    expect(r.stderr).toContain("/bin/ls is not in the sandbox's view");
    expect(r.report.exit?.execError).toBe('ENOENT');
    // the launcher's own report of the failed exec is not a denial of the workload
    expect(denialList(r.report)).toEqual([]);
  });

  it('not found at all: 127, command not found', async () => {
    const r = await runWhittle(['run', '--profile', base.snapshot, '--', '/no/such/program'], { env: fixedEnv });
    expect(r.code).toBe(127);
    expect(r.stderr).toMatch(/\/no\/such\/program: command not found/);
  });
});

describe('a kernel without Landlock (WHITTLE_SIMULATE_MISSING=landlock)', () => {
  it('a clearly reported downgrade; the program runs as learned', async () => {
    const r = await enforce(base.snapshot, [fixture('deny-probe'), 'uname'], { dir: work.dir, env: { WHITTLE_SIMULATE_MISSING: 'landlock' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('uname ok\n');
    expect(r.stderr).toMatch(/Landlock is not available on this kernel \(simulated\): paths are enforced by the sandbox's mount view only/);
    expect(r.report.landlockAbi).toBe(0);
    expect(r.report.warnings.join('\n')).toMatch(/Landlock is not available/);
    expect(r.report.denialCount).toBe(0);
  });

  it('the view still enforces paths: a file outside the policy cannot be opened or stat\'ed', async () => {
    const secret = path.join(work.dir, 'secret.txt');
    writeFileSync(secret, 'SECRET\n');
    const allowed = path.join(work.dir, 'allowed.txt');
    writeFileSync(allowed, 'allowed\n');
    const l = await learnAccepted([fixture('escape-probe'), 'open', allowed], { dir: work.dir, name: 'view' });
    for (const [mode, expected] of [
      ['open', 'open errno=ENOENT\n'],
      ['stat', 'stat errno=ENOENT\n'],
    ] as const) {
      const r = await enforce(l.snapshot, [fixture('escape-probe'), mode, secret], { dir: work.dir, env: { WHITTLE_SIMULATE_MISSING: 'landlock' } });
      expect(r.stdout).toBe(expected);
      expect(r.report.landlockAbi).toBe(0);
      expect(r.report.denials.map((d) => `${d.path} ${d.errno}`)).toEqual([`${secret} ENOENT`]);
    }
    const ok = await enforce(l.snapshot, [fixture('escape-probe'), 'open', allowed], { dir: work.dir, env: { WHITTLE_SIMULATE_MISSING: 'landlock' } });
    expect(ok.stdout).toBe('open ok allowed\n');
  });
});
