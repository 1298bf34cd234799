/**
 * `whittle decide` as a script uses it: --glob widens the names a program makes up each run
 * (here mktemp's) so that the policy holds for the next run, which makes new names; --auto
 * decides the rest. A pattern that widens nothing, one over a sensitive path, or no decision
 * asked for at all is a clear error that leaves the snapshot as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { learn, runWhittle, scratchDir } from '../helpers/whittle.js';
import { requireRootAndBuild } from '../helpers/setup.js';
import { denialList, enforce, fixedEnv } from '../helpers/enforce.js';

let work: { dir: string; cleanup: () => void };
let argv: string[];

beforeAll(async () => {
  await requireRootAndBuild();
  work = scratchDir('whittle-decide-');
  chmodSync(work.dir, 0o755);
  // A1 before mktemp's X's: a made-up-looking name every run (lint's made-up-name wants an
  // uppercase letter among others, which six random characters lack 4% of the time)
  const script = `d=$(busybox mktemp -d ${work.dir}/wk.A1XXXXXX); echo hi > $d/a.txt; busybox cat $d/a.txt; busybox cat /proc/self/status > /dev/null`;
  argv = ['/bin/busybox', 'sh', '-c', script];
});
afterAll(() => work?.cleanup());

const decisionsOf = (f: string) => (JSON.parse(readFileSync(f, 'utf8')) as { decisions: Record<string, { action: string; pattern?: string; access?: string }> }).decisions;

describe('whittle decide --glob', () => {
  it("lint names mktemp's directory accepted as it was; widened (after --auto accept), the next run, with a new name, is clean", async () => {
    const l = await learn(argv, { dir: work.dir, name: 'mktemp', env: fixedEnv });
    expect(l.code).toBe(0);
    expect((await runWhittle(['decide', l.snapshot, '--auto', 'accept'])).code).toBe(0);
    const tree = `${work.dir}/wk.*/**`;
    // accepted as recorded: lint says what will happen and which pattern to use
    const lint = await runWhittle(['lint', l.snapshot]);
    const made = lint.stdout.split('\n').filter((x) => x.includes('made-up-name'));
    expect(made, lint.stdout).toHaveLength(1);
    expect(made[0]).toMatch(new RegExp(`^warning made-up-name ${work.dir}/wk\\.A1\\w{6}: .*the next run's new name is not in the policy .*; widen it to ${tree.replace(/[.*]/g, '\\$&')}`));
    // and it is so: the next run's new directory is denied
    const plain = await enforce(l.snapshot, argv, { dir: work.dir });
    expect(plain.report.denialCount).toBeGreaterThan(0);

    const d = await runWhittle(['decide', l.snapshot, '--glob', tree, '--glob', `${work.dir}/wk.*`]);
    expect(d.code, d.stderr).toBe(0);
    expect(d.stderr).toMatch(new RegExp(`widened [1-9]\\d* path item\\(s\\) to ${work.dir}/wk\\.\\*/\\*\\*`));
    const globs = Object.values(decisionsOf(l.snapshot)).filter((x) => x.action === 'glob');
    // one decision per access kind, as the review queue's g makes
    expect(new Set(globs.map((g) => `${g.pattern} ${g.access}`)).size).toBe(globs.length);
    expect(globs.map((g) => g.access)).toEqual(expect.arrayContaining(['write', 'read', 'create']));
    expect((await runWhittle(['lint', l.snapshot])).stdout).not.toContain('made-up-name');

    const r = await enforce(l.snapshot, argv, { dir: work.dir });
    expect(r.stdout).toBe('hi\n');
    expect(denialList(r.report), r.stderr).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('refuses a pattern that widens nothing, one over a sensitive path, and being asked nothing; the snapshot is untouched', async () => {
    const l = await learn(argv, { dir: work.dir, name: 'bad', env: fixedEnv });
    const before = readFileSync(l.snapshot, 'utf8');
    const none = await runWhittle(['decide', l.snapshot, '--glob', `${work.dir}/wk.*/**`, '--glob', '/srv/nothing/*', '--auto', 'accept']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--glob \/srv\/nothing\/\* matches no undecided or accepted path of the snapshot: nothing would be widened/);
    const sensitive = await runWhittle(['decide', l.snapshot, '--glob', '/proc/**']);
    expect(sensitive.code).toBe(2);
    expect(sensitive.stderr).toMatch(/--glob \/proc\/\*\*: .*would also cover .*sysrq-trigger/);
    expect(sensitive.stderr).toMatch(/hint: widen over a sensitive path only in whittle review/);
    const relative = await runWhittle(['decide', l.snapshot, '--glob', 'wk.*']);
    expect(relative.code).toBe(2);
    expect(relative.stderr).toMatch(/a pattern is an absolute path/);
    const nothing = await runWhittle(['decide', l.snapshot]);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/say what to decide: --auto accept, --auto deny, or --glob PATTERN/);
    expect(readFileSync(l.snapshot, 'utf8')).toBe(before);
  });
});
