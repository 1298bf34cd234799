/**
 * "Loses nothing" as a measured statement: a flood of a million syscalls is counted exactly, or
 * the loss is counted exactly; an undersized buffer shows a non-zero `lost`, never silence.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fixture, learn, scratchDir } from '../helpers/whittle.js';
import { requireRootAndBuild } from '../helpers/setup.js';

const N = 1_000_000;
let work: { dir: string; cleanup: () => void };
beforeAll(async () => {
  await requireRootAndBuild();
  work = scratchDir();
});
afterAll(() => work?.cleanup());

function getppid(show: Awaited<ReturnType<Awaited<ReturnType<typeof learn>>['show']>>): number {
  return show.syscalls.find((s) => s.name === 'getppid' && s.arch === 'x86_64')?.count ?? 0;
}

describe('a flood of 1,000,000 syscalls', () => {
  it('ebpf: counts every one of them, and nothing is lost', async () => {
    const r = await learn([fixture('flood'), String(N)], { dir: work.dir, mechanism: 'ebpf', name: 'flood' });
    expect(r.code, r.stderr).toBe(0);
    const s = await r.show();
    expect(s.lost.total).toBe(0);
    expect(getppid(s)).toBe(N);
  });

  it('seccomp: the count equals the real one, or count + reported loss does', async () => {
    const r = await learn([fixture('flood'), String(N)], { dir: work.dir, mechanism: 'seccomp', name: 'flood' });
    expect(r.code, r.stderr).toBe(0);
    const s = await r.show();
    expect(getppid(s) + (s.lost.auditSocketDrops ?? 0) + (s.lost.auditBacklog ?? 0)).toBe(N);
    expect(s.lost.untrackedRecords).toBe(0);
  });

  it('seccomp with an undersized receive buffer: reports exactly what it dropped', async () => {
    const r = await learn([fixture('flood'), String(N)], { dir: work.dir, mechanism: 'seccomp', name: 'flood-small', extra: ['--audit-buffer', '64k'] });
    expect(r.code, r.stderr).toBe(0);
    const s = await r.show();
    expect(s.lost.auditSocketDrops).toBeGreaterThan(0);
    expect(s.lost.total).toBeGreaterThan(0);
    expect(getppid(s) + s.lost.auditSocketDrops).toBe(N);
    expect(r.stderr).toMatch(/LOST \d+ event/);
  });

  it('--strict turns a successful run with lost events into exit 120', async () => {
    const r = await learn([fixture('flood'), String(N)], { dir: work.dir, mechanism: 'seccomp', name: 'flood-strict', extra: ['--audit-buffer', '64k', '--strict'] });
    expect(r.code, r.stderr).toBe(120);
    expect((await r.show()).status).toBe('complete');
  });
});

describe('an undersized eBPF ring buffer', () => {
  it('shows non-zero lost records instead of silence, and syscall counts stay exact', async () => {
    const dir = path.join(work.dir, 'storm');
    mkdirSync(dir);
    const big = await learn([fixture('file-storm'), dir, '3000'], { dir: work.dir, mechanism: 'ebpf', name: 'storm-big' });
    const small = await learn([fixture('file-storm'), dir, '3000'], { dir: work.dir, mechanism: 'ebpf', name: 'storm-small', extra: ['--ring-buffer', '4096'] });
    expect(big.code).toBe(0);
    expect(small.code).toBe(0);
    const b = await big.show();
    const s = await small.show();
    expect(b.lost.total).toBe(0);
    // 3000 files, each created, stat-ed, read and removed
    expect(b.paths.filter((p) => p.path.startsWith(dir + '/')).length).toBeGreaterThanOrEqual(4 * 3000);
    expect(s.lost.ringBuffer).toBeGreaterThan(0);
    expect(s.lost.total).toBeGreaterThan(0);
    const total = (x: typeof b) => x.syscalls.reduce((n, c) => n + c.count, 0);
    expect(total(s)).toBe(total(b));
  });
});
