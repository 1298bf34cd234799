/**
 * io_uring: operations submitted through a ring are not syscalls, so a recorder of syscalls
 * alone would miss the file a program opens that way and say nothing. On the real kernel, as
 * root: the in-kernel recorder records an io_uring open with its path and result, and counts
 * (and names) the operations whose arguments it does not record; the seccomp recorder counts
 * what it cannot see. Enforced, an io_uring open of a path outside the policy is refused by the
 * sandbox's view and comes back as a denial like any other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fixture, learn, runWhittle, scratchDir } from '../helpers/whittle.js';
import { requireRootAndBuild } from '../helpers/setup.js';
import { denialList, enforce, fixedEnv, learnAccepted } from '../helpers/enforce.js';

let work: { dir: string; cleanup: () => void };
let data: string;
let other: string;

beforeAll(async () => {
  await requireRootAndBuild();
  work = scratchDir('whittle-uring-');
  chmodSync(work.dir, 0o755);
  data = path.join(work.dir, 'data.txt');
  writeFileSync(data, 'through the ring\n');
  other = path.join(work.dir, 'other.txt');
  writeFileSync(other, 'not learned\n');
});
afterAll(() => work?.cleanup());

type Raw = { observed: { paths: Array<{ path: string; access: string; result: string; first: { syscall?: string } }> } };

describe('learning a program that opens a file through io_uring', () => {
  it('ebpf: the file is recorded with its access and result, by io_uring:openat; nothing lost', async () => {
    const r = await learn([fixture('uring-open'), data], { dir: work.dir, mechanism: 'ebpf', name: 'uring', env: fixedEnv });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('read through the ring\n');
    const s = await r.show();
    expect(s.paths).toContainEqual(expect.objectContaining({ path: data, access: 'read', result: 'ok' }));
    expect(s.lost.total).toBe(0);
    const item = (r.raw() as Raw).observed.paths.find((p) => p.path === data)!;
    expect(item.first.syscall).toBe('io_uring:openat');
    // the two syscalls it did make are there as usual
    expect(s.syscalls.map((x) => x.name)).toEqual(expect.arrayContaining(['io_uring_setup', 'io_uring_enter']));
  });

  it('ebpf: stat and socket through the ring are recorded too; an operation whose path is not (getxattr) is counted, named, and said', async () => {
    const r = await learn([fixture('uring-open'), data, 'statx', 'socket', 'getxattr'], { dir: work.dir, mechanism: 'ebpf', name: 'uring-more', env: fixedEnv });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^statx size 17\nsocket ok\ngetxattr errno=\w+\nread through the ring\n$/);
    const s = await r.show();
    expect(s.paths).toContainEqual(expect.objectContaining({ path: data, access: 'stat', result: 'ok' }));
    expect(s.network).toContainEqual(expect.objectContaining({ family: 'AF_INET', type: 'SOCK_DGRAM', op: 'socket' }));
    const raw = r.raw() as Raw & { observed: { network: Array<{ first: { syscall?: string } }> } };
    expect(raw.observed.paths.find((p) => p.path === data && p.access === 'stat')!.first.syscall).toBe('io_uring:statx');
    expect(raw.observed.network[0]!.first.syscall).toBe('io_uring:socket');
    expect(s.lost.ioUringUnrecorded).toBe(1);
    expect(s.lost.total).toBe(1);
    expect(r.stderr).toMatch(/submitted operations through io_uring whose paths or addresses whittle does not record \(getxattr 1\)/);
    expect(r.stderr).toMatch(/LOST 1 event/);
  });

  it('seccomp: what the ring carried cannot be seen, and the io_uring_enter calls are counted as such', async () => {
    const r = await learn([fixture('uring-open'), data], { dir: work.dir, mechanism: 'seccomp', name: 'uring', env: fixedEnv });
    expect(r.code, r.stderr).toBe(0);
    const s = await r.show();
    expect(s.paths.some((p) => p.path === data)).toBe(false);
    expect(s.lost.ioUringUnseen).toBe(s.syscalls.find((x) => x.name === 'io_uring_enter')!.count);
    expect(s.lost.ioUringUnseen).toBeGreaterThan(0);
  });
});

describe('enforcing it', () => {
  it('the learned file is read through the ring; another is refused by the view and reported as a denial', async () => {
    const l = await learnAccepted([fixture('uring-open'), data], { dir: work.dir, name: 'uring-run' });
    const ok = await enforce(l.snapshot, [fixture('uring-open'), data], { dir: work.dir });
    expect(ok.stdout).toBe('read through the ring\n');
    expect(denialList(ok.report), ok.stderr).toEqual([]);
    const no = await enforce(l.snapshot, [fixture('uring-open'), other], { dir: work.dir });
    expect(no.stdout).toBe('open errno=ENOENT\n');
    expect(denialList(no.report)).toEqual([`path read ${other} ENOENT`]);
    expect(no.report.denials[0]).toMatchObject({ name: 'io_uring:openat', hidden: true });
    expect(no.stderr).toContain(`denied read ${other} (io_uring:openat) → ENOENT (not in the sandbox's view)`);
  });

  it('an operation the probe does not follow (getxattr) is counted in the report, verify will not call the run clean, and the ring is named as a gap', async () => {
    const argv = [fixture('uring-open'), data, 'getxattr'];
    const l = await learnAccepted(argv, { dir: work.dir, name: 'uring-xattr-run' });
    const r = await enforce(l.snapshot, argv, { dir: work.dir });
    expect(r.stdout).toMatch(/^getxattr errno=\w+\nread through the ring\n$/);
    expect(r.report.denialCount).toBe(0);
    expect(r.report.lost.counters.ioUringUnrecorded).toBe(1);
    expect(r.stderr).toMatch(/1 denial record\(s\) were lost or could not be seen \(ioUringUnrecorded 1\)/);
    // accepting io_uring_setup lets the ring past the seccomp filter: said with what still holds
    expect(r.report.notEnforced.join('\n')).toMatch(/io_uring_setup \(accepted\): .*socket families and denied syscalls are not enforced for io_uring operations/);
    const v = await runWhittle(['verify', l.snapshot]);
    expect(v.code).toBe(1);
    expect(v.stderr).toMatch(/NOT clean \(1\):\n.*could not be seen \(ioUringUnrecorded 1\): the run cannot be shown clean/);
  });

  it('a socket of a family the policy does not accept, made through the ring, is reported as not held; verify fails', async () => {
    // learned without any socket; run with one through the ring
    const l = await learnAccepted([fixture('uring-open'), data], { dir: work.dir, name: 'uring-escape' });
    const argv = [fixture('uring-open'), data, 'socket'];
    const r = await enforce(l.snapshot, argv, { dir: work.dir });
    expect(r.stdout).toBe('socket ok\nread through the ring\n');
    expect(r.report.escapes).toEqual([expect.stringMatching(/^a socket of family AF_INET was made through io_uring by .*uring-open \(pid \d+\), which the policy does not accept/)]);
    expect(r.stderr).toMatch(/warning: a socket of family AF_INET was made through io_uring/);
    const shown = await runWhittle(['show', r.reportFile]);
    expect(shown.stdout).toMatch(/verdict +NOT HELD: 1 thing\(s\) done that the policy does not accept/);
    const v = await runWhittle(['verify', l.snapshot, '--', ...argv]);
    expect(v.code).toBe(1);
    expect(v.stderr).toMatch(/not held: a socket of family AF_INET was made through io_uring/);
  });
});
