/**
 * The errno policy's ENOSYS rule, on the real kernel: programs that probe newer syscalls and fall
 * back on ENOSYS (as glibc does with clone3 and rseq, runc with openat2, coreutils with statx)
 * keep working under a policy learned where those calls were never made — and the run report
 * lists them as probes, not denials, so "zero denials", verify and --strict are not fooled. A
 * call a person denied is different: EPERM, final, a denial.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, runWhittle, scratchDir } from '../helpers/whittle.js';
import { requireRootAndBuild } from '../helpers/setup.js';
import { denialList, enforce, learnAccepted, readDoc } from '../helpers/enforce.js';

let work: { dir: string; cleanup: () => void };
beforeAll(async () => {
  await requireRootAndBuild();
  work = scratchDir('whittle-probes-');
});
afterAll(() => work?.cleanup());

const newCalls = ['clone3', 'openat2', 'statx', 'faccessat2', 'close_range'];

describe('probe-new: clone3, openat2, statx, faccessat2, close_range never seen', () => {
  it('each gets ENOSYS, the program falls back and works, and the report lists probes, not denials', async () => {
    // learned in classic mode: only fork, openat, newfstatat, faccessat and close were made
    const l = await learnAccepted([fixture('probe-new'), 'classic'], { dir: work.dir, name: 'classic' });
    const seen = new Set(readDoc(l.snapshot).observed.syscalls.map((s) => s.name));
    for (const n of newCalls) expect(seen.has(n), n).toBe(false);

    const r = await enforce(l.snapshot, [fixture('probe-new')], { dir: work.dir, extra: ['--strict'] });
    expect(r.stdout).toBe(newCalls.map((n) => `${n} fallback\n`).join(''));
    expect(r.code).toBe(0); // --strict: probes are not denials
    expect(denialList(r.report)).toEqual([]);
    expect(r.report.probes.map((p) => p.name).sort()).toEqual([...newCalls].sort());
    expect(r.stderr).toMatch(/0 denial\(s\), 5 probe\(s\) answered ENOSYS/);

    // and `whittle verify` calls it clean
    const v = await runWhittle(['verify', l.snapshot, '--', fixture('probe-new')]);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    expect(v.stderr).toMatch(/clean: .*5 probe\(s\) answered ENOSYS/);
  });

  it('seen and accepted: they just work', async () => {
    const l = await learnAccepted([fixture('probe-new')], { dir: work.dir, name: 'new' });
    const r = await enforce(l.snapshot, [fixture('probe-new')], { dir: work.dir });
    expect(r.stdout).toBe(newCalls.map((n) => `${n} ok\n`).join(''));
    expect(r.report.probes).toEqual([]);
    expect(r.report.denialCount).toBe(0);
  });

  it('denied by a person: EPERM is final (no fallback), and it is a denial', async () => {
    const l = await learnAccepted([fixture('probe-new')], { dir: work.dir, name: 'denied', edits: { deny: { 'syscall:openat2': 'EPERM' } } });
    const r = await enforce(l.snapshot, [fixture('probe-new')], { dir: work.dir, extra: ['--strict'] });
    expect(r.stdout).toContain('openat2 errno=EPERM\n');
    expect(denialList(r.report)).toEqual(['syscall openat2 EPERM']);
    expect(r.code).toBe(121);
  });
});

describe('glibc registering rseq at start-up, when rseq was never seen', () => {
  it('gets ENOSYS, the program runs as learned, and rseq is a probe in the report', async () => {
    // learned with glibc's rseq registration switched off: rseq never made
    const argv = [fixture('threads')];
    const l = await learnAccepted(argv, { dir: work.dir, name: 'rseq', env: { GLIBC_TUNABLES: 'glibc.pthread.rseq=0' } });
    expect(readDoc(l.snapshot).observed.syscalls.map((s) => s.name)).not.toContain('rseq');
    // run as usual: glibc registers rseq in every thread
    const r = await enforce(l.snapshot, argv, { dir: work.dir, extra: ['--strict'] });
    expect(r.stdout).toBe(l.stdout);
    expect(r.code).toBe(0);
    expect(r.report.probes.map((p) => p.name)).toEqual(['rseq']);
    expect(denialList(r.report)).toEqual([]);
  });

  it('a dynamically linked program from the distribution (python3) too', async () => {
    const argv = ['/usr/bin/python3', '-c', 'print("hello")'];
    const l = await learnAccepted(argv, { dir: work.dir, name: 'rseq-py', env: { GLIBC_TUNABLES: 'glibc.pthread.rseq=0' } });
    const r = await enforce(l.snapshot, argv, { dir: work.dir, extra: ['--strict'] });
    expect(r.stdout).toBe('hello\n');
    expect(r.code).toBe(0);
    expect(r.report.probes.map((p) => p.name)).toContain('rseq');
    expect(denialList(r.report)).toEqual([]);
  });
});

describe('the report says where each probe came from', () => {
  it('arch and count per probe', async () => {
    const l = await learnAccepted([fixture('probe-new'), 'classic'], { dir: work.dir, name: 'classic2' });
    const r = await enforce(l.snapshot, [fixture('probe-new')], { dir: work.dir });
    for (const p of r.report.probes) {
      expect(p.arch).toBe('x86_64');
      expect(p.count).toBeGreaterThanOrEqual(1);
    }
    expect(r.report.probes).toHaveLength(newCalls.length);
  });
});
