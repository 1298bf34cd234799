/**
 * Capabilities in learn mode, on the real kernel, as root: every check the kernel makes is seen
 * by the in-kernel probe (`capability:cap_capable`), with the syscall that made it, and told
 * apart by who asked — a check the operation needed (`required`) from the kernel only asking
 * (`advisory`: the overcommit heuristic on every mmap, brk, exec and tmpfs write; the *_noaudit
 * checks). A policy drops what is only advisory, so getting the class wrong either grants
 * CAP_SYS_ADMIN to every program or breaks the one that needs it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { learn, scratchDir } from '../helpers/whittle.js';
import { requireRootAndBuild } from '../helpers/setup.js';

const env = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C.UTF-8' };

interface CapRow {
  name: string;
  syscall: string | null;
  class: 'required' | 'advisory';
  granted: boolean;
  inferred: boolean;
  count: number;
}

let work: { dir: string; cleanup: () => void };
beforeAll(async () => {
  await requireRootAndBuild();
  work = scratchDir('whittle-caps-');
});
afterAll(() => work?.cleanup());

/** The snapshot's capability rows as "NAME syscall class". */
function rowsOf(raw: unknown): { rows: CapRow[]; keys: string[] } {
  const doc = raw as { recorder: { capabilities: string }; observed: { capabilities: CapRow[] } };
  expect(doc.recorder.capabilities).toBe('cap_capable');
  const rows = doc.observed.capabilities;
  return { rows, keys: rows.map((r) => `${r.name} ${r.syscall} ${r.class}`) };
}

describe.each(['ebpf', 'seccomp'] as const)('capabilities seen by the in-kernel probe (%s)', (mechanism) => {
  it('a chown and a tmpfs mount: CAP_CHOWN and CAP_SYS_ADMIN required by those calls; the overcommit checks advisory', async () => {
    const file = path.join(work.dir, `owned-${mechanism}`);
    const mnt = path.join(work.dir, `mnt-${mechanism}`);
    writeFileSync(file, 'x');
    mkdirSync(mnt);
    const r = await learn(['/bin/sh', '-c', `chown 1234 ${file}; unshare -m /bin/sh -c 'mount -t tmpfs none ${mnt} && echo x > ${mnt}/f'`], {
      dir: work.dir,
      mechanism,
      env,
      name: 'chown-mount',
    });
    expect(r.code, r.stderr).toBe(0);
    const { rows, keys } = rowsOf(r.raw());
    expect(keys).toEqual(
      expect.arrayContaining([
        'CAP_CHOWN fchownat required',
        'CAP_SYS_ADMIN unshare required',
        'CAP_SYS_ADMIN mount required',
        // the overcommit heuristic (security_vm_enough_memory_mm) asks on every mapping
        'CAP_SYS_ADMIN mmap advisory',
        // ... and on every page a tmpfs write allocates
        'CAP_SYS_ADMIN write advisory',
      ]),
    );
    // none of the heuristic's calls is taken for a need
    for (const sc of ['mmap', 'brk', 'write', 'execve']) expect(keys).not.toContain(`CAP_SYS_ADMIN ${sc} required`);
    for (const row of rows) {
      expect(row.granted).toBe(true); // root: every check passed
      expect(row.inferred).toBe(false);
      expect(row.count).toBeGreaterThan(0);
    }
  });

  it('a program that needs no capability: CAP_SYS_ADMIN is only advisory, and the show summary says so', async () => {
    const r = await learn(['/bin/true'], { dir: work.dir, mechanism, env, name: 'true' });
    expect(r.code, r.stderr).toBe(0);
    const { rows } = rowsOf(r.raw());
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((x) => x.class === 'advisory')).toBe(true);
    const show = (await r.show()) as unknown as { capabilities: Array<{ name: string; class: string }> };
    expect(show.capabilities.map((c) => `${c.name} ${c.class}`)).toEqual(['CAP_SYS_ADMIN advisory']);
  });
});
