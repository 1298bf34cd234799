/**
 * The systemd exporter against the real consumer, systemd 252: whittle learns a real program, the
 * policy is exported with `whittle export --format systemd`, and the drop-in goes beside a unit
 * that runs the program (UNIT.service.d/whittle.conf, which `systemd-analyze verify` reads).
 * verify must accept it without a single complaint (it reports bad values as warnings and still
 * exits 0, so its output is what is checked); every syscall name written must be one
 * `systemd-analyze syscall-filter` lists; the exporter's own facts about systemd 252 (its @default
 * set, the names it does not know) are measured again here. A deliberately broken drop-in must be
 * reported. Services cannot be started here (PID 1 is not systemd), so the filter is not run.
 * Needs root, systemd-analyze and a built whittle: a missing one fails the test, never skips it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemdDefaultSet, systemdExporter, systemdUnknownSyscalls } from '../../src/export/systemd.js';
import { syscallTable } from '../../src/model/knowledge/syscalls.js';
import { addressFamilyTable } from '../../src/model/knowledge/families.js';
import { capabilityTable } from '../../src/model/knowledge/capabilities.js';
import { requireRootAndBuild } from '../helpers/setup.js';
import { exportTo, learnAndDecide, type Denial } from '../helpers/policy.js';
import { samplePolicy } from '../helpers/sample-policy.js';
import { fixture, scratchDir } from '../helpers/whittle.js';

const scratch = scratchDir('whittle-systemd-');
afterAll(() => scratch.cleanup());

let units = 0;

/**
 * A unit running argv with the drop-in beside it, checked by `systemd-analyze verify`: the
 * complaints about our two files (verify prints "FILE:LINE: message").
 */
function verify(dropIn: string, argv: string[]) {
  const name = `whittle-test-${++units}.service`;
  const dir = path.join(scratch.dir, `units-${units}`);
  mkdirSync(path.join(dir, `${name}.d`), { recursive: true });
  const unit = path.join(dir, name);
  writeFileSync(unit, ['[Unit]', 'Description=whittle export test', '', '[Service]', `ExecStart=${argv.join(' ')}`, ''].join('\n'));
  writeFileSync(path.join(dir, `${name}.d`, 'whittle.conf'), dropIn);
  const r = spawnSync('systemd-analyze', ['verify', '--man=no', unit], { encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw r.error;
  const output = `${r.stdout}${r.stderr}`;
  const complaints = output.split('\n').filter((l) => l.includes(dir));
  return { code: r.status, output, complaints };
}

/** Every syscall name `systemd-analyze syscall-filter` lists, in any group. */
function systemdNames(group?: string): Set<string> {
  const out = execFileSync('systemd-analyze', ['syscall-filter', ...(group ? [group] : [])], { encoding: 'utf8' });
  return new Set(out.split('\n').map((l) => l.trim()).filter((l) => /^[a-z_][a-z0-9_]*$/.test(l)));
}

/** The syscall names a drop-in writes (SystemCallFilter= values, ~ removed). */
function filterNames(dropIn: string): string[] {
  return dropIn
    .split('\n')
    .filter((l) => l.startsWith('SystemCallFilter='))
    .flatMap((l) => l.slice('SystemCallFilter='.length).replace(/^~/, '').split(' '))
    .filter((n) => n && !n.startsWith('@'));
}

async function dropInFor(name: string, argv: string[], deny: Denial[] = []): Promise<string> {
  const snapshot = await learnAndDecide(argv, { dir: scratch.dir, name, deny });
  const r = await exportTo(snapshot, 'systemd', path.join(scratch.dir, `${name}.conf`));
  if (r.code !== 0) throw new Error(`whittle export --format systemd failed (${r.code}): ${r.stderr}`);
  return readFileSync(r.out, 'utf8');
}

beforeAll(async () => {
  await requireRootAndBuild();
  try {
    execFileSync('systemd-analyze', ['--version'], { stdio: 'pipe' });
  } catch (e) {
    throw new Error(`systemd-analyze is needed for these tests (Debian: apt-get install systemd): ${(e as Error).message}`);
  }
}, 300_000);

describe('systemd-analyze accepts the exported drop-in', () => {
  it.each([
    ['deny-probe uname', [fixture('deny-probe'), 'uname'], [] as Denial[]],
    ['deny-probe uname, uname denied', [fixture('deny-probe'), 'uname'], [{ key: 'syscall:uname', errno: 'EPERM' }]],
    ['deny-probe socket-inet', [fixture('deny-probe'), 'socket-inet'], [] as Denial[]],
    ['int80 (the i386 ABI)', [fixture('int80')], [] as Denial[]],
    ['sockets', [fixture('sockets')], [] as Denial[]],
  ])('%s: verify has nothing to say, and syscall-filter knows every name', async (label, argv, deny) => {
    const dropIn = await dropInFor(label.replace(/\W+/g, '-'), argv, deny);
    const v = verify(dropIn, argv);
    expect(v.complaints).toEqual([]);
    expect(v.code).toBe(0);
    const known = systemdNames();
    const names = filterNames(dropIn);
    expect(names.length).toBeGreaterThan(5);
    expect(names.filter((n) => !known.has(n))).toEqual([]);
    for (const d of deny) expect(names).not.toContain(d.key.replace('syscall:', ''));
    if (label.startsWith('int80')) expect(dropIn).toContain('SystemCallArchitectures=native x86');
    if (label.endsWith('socket-inet')) expect(dropIn).toContain('RestrictAddressFamilies=AF_INET\n');
  });

  it('the sample policy (paths, families, a capability, a mount): verify has nothing to say', () => {
    const dropIn = systemdExporter.render(samplePolicy(), { name: 'app' }).artifacts[0]!.content as string;
    const v = verify(dropIn, ['/bin/true']);
    expect(v.complaints).toEqual([]);
    expect(filterNames(dropIn).filter((n) => !systemdNames().has(n))).toEqual([]);
  });

  it('takes every address family and capability the exporter can write', () => {
    const families = addressFamilyTable.filter((f) => f.number !== 0).map((f) => f.name);
    const caps = capabilityTable.map((c) => c.name);
    const v = verify(['[Service]', `RestrictAddressFamilies=${families.join(' ')}`, `CapabilityBoundingSet=${caps.join(' ')}`, ''].join('\n'), ['/bin/true']);
    expect(v.complaints).toEqual([]);
  });
});

describe("the exporter's facts about systemd 252, measured again", () => {
  it('@default is what systemd adds to every allow list', () => {
    expect([...systemdNames('@default')].sort()).toEqual([...systemdDefaultSet].sort());
  });

  it('the names it does not know: not listed by syscall-filter, or refused by SystemCallFilter=', () => {
    const listed = systemdNames();
    const notListed = syscallTable.map((s) => s.name).filter((n) => !listed.has(n));
    const candidates = syscallTable.map((s) => s.name).filter((n) => listed.has(n));
    const v = verify(['[Service]', `SystemCallFilter=${candidates.join(' ')}`, ''].join('\n'), ['/bin/true']);
    const refused = v.complaints.map((l) => /Failed to parse system call, ignoring: (\S+)/.exec(l)?.[1]).filter((n): n is string => !!n);
    expect(v.complaints.length).toBe(refused.length);
    expect([...notListed, ...refused].sort()).toEqual([...systemdUnknownSyscalls].sort());
  });
});

describe('systemd-analyze reports a broken drop-in', () => {
  let good: Promise<string> | undefined;
  it.each([
    ['a boolean that is not one', 'NoNewPrivileges=yes', 'NoNewPrivileges=maybe', /Failed to parse/],
    ['an unknown errno', 'SystemCallErrorNumber=EPERM', 'SystemCallErrorNumber=EBOGUS', /Failed to parse error number/],
    ['an unknown syscall', 'SystemCallFilter=', 'SystemCallFilter=nosuchcall ', /Failed to parse system call, ignoring: nosuchcall/],
    ['an unknown address family', 'RestrictAddressFamilies=', 'RestrictAddressFamilies=AF_BOGUS ', /address famil/i],
  ])('%s', async (_what, from, to, message) => {
    good ??= dropInFor('broken', [fixture('deny-probe'), 'uname']);
    const text = await good;
    expect(text).toContain(from);
    const v = verify(text.replace(from, to), [fixture('deny-probe'), 'uname']);
    expect(v.complaints.join('\n')).toMatch(message);
  });
});
