/**
 * Bad input to `whittle export` and `whittle lint`, through the real CLI: each gets a clear
 * message and exit 2 (bad usage or bad input), and export writes nothing. The inputs are a real
 * learned snapshot and its real `--format whittle` export, edited the way damage or a hand edit
 * would. Then lint's contract: 1 on a policy with a finding, 0 on a clean one, 2 on a corrupt file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runWhittle, scratchDir } from '../helpers/whittle.js';
import { learnAndDecide, exportTo } from '../helpers/policy.js';
import { requireRootAndBuild } from '../helpers/setup.js';

let work: { dir: string; cleanup: () => void };
/** A learned snapshot of /bin/true, every item accepted. */
let snapshot: string;
/** Its export with --format whittle. */
let policyFile: string;

/** A whittle file, edited freely the way a person (or damage) edits it. */
type Json = Record<string, any>;
const read = (f: string): Json => JSON.parse(readFileSync(f, 'utf8'));

/** Write an edited copy of `from` as dir/name and return its path. */
function edited(from: string, name: string, edit: (doc: Json) => void): string {
  const doc = read(from);
  edit(doc);
  const f = path.join(work.dir, name);
  writeFileSync(f, JSON.stringify(doc, null, 1));
  return f;
}

/** A copy of `from` cut in half, as an interrupted copy or a full disk leaves it. */
function cutInHalf(from: string, name: string): string {
  const text = readFileSync(from, 'utf8');
  const f = path.join(work.dir, name);
  writeFileSync(f, text.slice(0, Math.floor(text.length / 2)));
  return f;
}

beforeAll(async () => {
  await requireRootAndBuild();
  work = scratchDir();
  snapshot = await learnAndDecide(['/bin/true'], { dir: work.dir, name: 'true' });
  const r = await exportTo(snapshot, 'whittle', path.join(work.dir, 'true.whittle.json'));
  if (r.code !== 0) throw new Error(`export --format whittle failed (${r.code}): ${r.stderr}`);
  policyFile = r.out;
  expect(read(policyFile)).toMatchObject({ kind: 'whittle-policy', schemaVersion: 1, arch: { native: 'x86_64' } });
});
afterAll(() => work?.cleanup());

describe('whittle export refuses bad input with a clear message and exit 2, and writes nothing', () => {
  const cases: Array<{ name: string; input: () => string; format?: string; says: RegExp }> = [
    { name: 'an unknown format', input: () => policyFile, format: 'nope', says: /unknown format "nope"[\s\S]*formats: whittle, oci, docker/ },
    {
      name: 'a policy naming a syscall that does not exist',
      input: () => edited(policyFile, 'unknown-syscall.whittle.json', (d) => d.syscalls.allow.push('fstatat')),
      says: /names syscall\(s\) that do not exist: fstatat[\s\S]*newfstatat/,
    },
    { name: 'a policy cut in half', input: () => cutInHalf(policyFile, 'half.whittle.json'), says: /is not valid JSON .*corrupt or was cut short/ },
    { name: 'a snapshot cut in half', input: () => cutInHalf(snapshot, 'half-snapshot.json'), says: /is not valid JSON .*corrupt or was cut short/ },
    {
      name: 'a policy from a newer whittle (schemaVersion 99)',
      input: () => edited(policyFile, 'future.whittle.json', (d) => (d.schemaVersion = 99)),
      says: /written by a newer whittle \(policy schema 99; this whittle reads 1\)[\s\S]*upgrade whittle/,
    },
    {
      name: 'a snapshot from a newer whittle (schemaVersion 99)',
      input: () => edited(snapshot, 'future-snapshot.json', (d) => (d.schemaVersion = 99)),
      says: /written by a newer whittle \(snapshot schema 99; this whittle reads up to 1\)/,
    },
    {
      name: 'a policy for another architecture (aarch64)',
      input: () => edited(policyFile, 'arm.whittle.json', (d) => (d.arch.native = 'aarch64')),
      says: /is a policy for aarch64; this machine is x86_64[\s\S]*learn the workload again on this architecture/,
    },
    {
      name: 'a snapshot whose recording did not end (status incomplete)',
      input: () => edited(snapshot, 'incomplete.json', (d) => {
        d.status = 'incomplete';
        d.statusReason = 'the tracer died before the workload ended';
      }),
      says: /is incomplete: the tracer died before the workload ended[\s\S]*record the workload again/,
    },
  ];

  it.each(cases)('$name', async (c) => {
    const input = c.input();
    const out = path.join(work.dir, `out-${path.basename(input)}.json`);
    const r = await runWhittle(['export', input, '--format', c.format ?? 'oci', '-o', out]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^whittle: error: /m);
    expect(r.stderr).toMatch(c.says);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /); // a message, not a stack trace
    expect(r.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  });

  it('no --format at all is bad usage too, and says which formats there are', async () => {
    const r = await runWhittle(['export', policyFile]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/say which format: --format whittle\|oci\|/);
  });

  it('the unedited policy and snapshot export fine (the cases above fail for their edit alone)', async () => {
    for (const f of [policyFile, snapshot]) {
      const r = await exportTo(f, 'oci', path.join(work.dir, `ok-${path.basename(f)}.json`));
      expect(r.code, r.stderr).toBe(0);
      expect(existsSync(r.out)).toBe(true);
    }
  });
});

describe('whittle lint', () => {
  /** The learned policy plus what every program needs and /bin/true happened not to use. */
  const cleanPolicy = () =>
    edited(policyFile, 'clean.whittle.json', (d) => {
      d.syscalls.allow = [...new Set([...d.syscalls.allow, 'exit', 'exit_group', 'rt_sigreturn'])].sort();
    });

  it('exits 0 on a clean policy, with the comparison with Docker\'s default as information', async () => {
    const r = await runWhittle(['lint', cleanPolicy()]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^info docker-baseline syscalls: allows \d+ of the 309 syscalls Docker's default profile allows on x86_64 \(\d+(\.\d)?%\)$/m);
    expect(r.stdout).toMatch(/clean\.whittle\.json: 0 errors, 0 warnings, 1 info — clean\n$/);
  });

  it('exits 1 on a policy that allows ptrace, with the finding on one line', async () => {
    const f = edited(cleanPolicy(), 'ptrace.whittle.json', (d) => d.syscalls.allow.push('ptrace'));
    const r = await runWhittle(['lint', f]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^error dangerous-syscall ptrace: allowed, critical risk: .+$/m);
    expect(r.stdout).toMatch(/ptrace\.whittle\.json: 1 error, 0 warnings, 1 info\n$/);
  });

  it('exits 1 on the policy as learned: /bin/true never needed rt_sigreturn, but a program that takes a signal does', async () => {
    const r = await runWhittle(['lint', policyFile]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^warning missing-essential rt_sigreturn: /m);
  });

  it('reads a snapshot too, and says how many undecided items it treated as denied', async () => {
    const undecided = edited(snapshot, 'undecided.json', (d) => (d.decisions = {}));
    const r = await runWhittle(['lint', undecided]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/whittle: \d+ undecided item\(s\) of the snapshot were treated as denied/);
    expect(r.stdout).toMatch(/^warning missing-essential exit_group: not allowed \(the default answers EPERM\): the program cannot even exit/m);
  });

  it('--json: the same findings, machine-readable', async () => {
    const f = edited(cleanPolicy(), 'json.whittle.json', (d) => d.network.allow.push('AF_PACKET'));
    const r = await runWhittle(['lint', '--json', f]);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ from: 'policy', counts: { error: 0, warning: 1, info: 1 }, baseline: { release: 'github.com/moby/profiles/seccomp v0.2.3' } });
    expect(j.findings).toContainEqual({ severity: 'warning', rule: 'raw-socket', item: 'AF_PACKET', message: expect.stringMatching(/sniff and forge/) });
  });

  it.each([
    ['a corrupt (cut in half) policy', () => cutInHalf(policyFile, 'lint-half.whittle.json'), /not valid JSON/],
    ['a policy naming a syscall that does not exist', () => edited(policyFile, 'lint-unknown.whittle.json', (d) => d.syscalls.allow.push('fstatat')), /do not exist: fstatat/],
    ['a file that is not there', () => path.join(work.dir, 'missing.json'), /no such file/],
  ])('exits 2 on %s', async (_n, input, says) => {
    const r = await runWhittle(['lint', input()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(says);
    expect(r.stdout).toBe('');
  });
});
