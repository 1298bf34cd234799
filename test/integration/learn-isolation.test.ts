/**
 * Only the workload's own process tree is recorded: two whittle sessions at once each see only
 * their own workload, and other programs on the machine never leak in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { fixture, learn, scratchDir } from '../helpers/whittle.js';
import { requireRootAndBuild } from '../helpers/setup.js';

let work: { dir: string; cleanup: () => void };
beforeAll(async () => {
  await requireRootAndBuild();
  work = scratchDir();
});
afterAll(() => work?.cleanup());

describe.each(['ebpf', 'seccomp'] as const)('two concurrent sessions (%s)', (mechanism) => {
  it('each records only its own workload', async () => {
    // A noisy neighbour outside whittle, making syscalls the workloads never make.
    const noise = spawn('/bin/sh', ['-c', 'while :; do cat /etc/services >/dev/null; done'], { stdio: 'ignore' });
    try {
      const [a, b] = await Promise.all([
        learn([fixture('deny-probe'), 'personality'], { dir: work.dir, mechanism, name: 'a' }),
        learn([fixture('sockets'), '0', `${work.dir}/iso-sock`], { dir: work.dir, mechanism, name: 'b' }),
      ]);
      expect(a.code, a.stderr).toBe(0);
      expect(b.code, b.stderr).toBe(0);
      const sa = await a.show();
      const sb = await b.show();
      const names = (s: typeof sa) => new Set(s.syscalls.map((x) => x.name));
      // a made personality() and no sockets; b made sockets and no personality()
      expect(names(sa)).toContain('personality');
      expect(names(sa)).not.toContain('socket');
      expect(names(sb)).toContain('socket');
      expect(names(sb)).not.toContain('personality');
      // nobody recorded the neighbour's reads of /etc/services or its execs of cat
      for (const s of [sa, sb]) {
        expect(s.paths.map((p) => p.path)).not.toContain('/etc/services');
        expect(s.execs.map((e) => e.path)).not.toContain('/usr/bin/cat');
        expect(s.lost.total).toBe(0);
      }
      expect(sa.execs.map((e) => e.argv0)).toEqual([fixture('deny-probe')]);
      expect(sb.execs.map((e) => e.argv0)).toEqual([fixture('sockets')]);
    } finally {
      noise.kill('SIGKILL');
    }
  });
});
