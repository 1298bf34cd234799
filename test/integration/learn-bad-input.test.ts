/**
 * Bad input and failing workloads: each gets a clear message and the exit code of the contract,
 * and no snapshot is left looking complete.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fixture, learn, runWhittle, scratchDir, whittleCli } from '../helpers/whittle.js';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { requireRootAndBuild } from '../helpers/setup.js';

let work: { dir: string; cleanup: () => void };
beforeAll(async () => {
  await requireRootAndBuild();
  work = scratchDir();
  chmodSync(work.dir, 0o755);
});
afterAll(() => work?.cleanup());

describe('the workload', () => {
  it('not found: exit 127, a message, and no snapshot', async () => {
    const r = await learn(['/no/such/program'], { dir: work.dir, name: 'notfound' });
    expect(r.code).toBe(127);
    expect(r.stderr).toMatch(/\/no\/such\/program: command not found/);
    expect(existsSync(r.snapshot)).toBe(false);
  });

  it('not executable: exit 126, a message, and no snapshot', async () => {
    const f = path.join(work.dir, 'not-exec.sh');
    writeFileSync(f, '#!/bin/sh\necho hi\n', { mode: 0o644 });
    const r = await learn([f], { dir: work.dir, name: 'noexec' });
    expect(r.code).toBe(126);
    expect(r.stderr).toMatch(/cannot execute/);
    expect(existsSync(r.snapshot)).toBe(false);
  });

  it.each(['ebpf', 'seccomp'] as const)('killed by a signal: exit 128+N, recorded as such (%s)', async (mechanism) => {
    const r = await learn(['/bin/sh', '-c', 'echo before; kill -TERM $$; echo after'], { dir: work.dir, mechanism, name: `killed-${mechanism}` });
    expect(r.code).toBe(128 + 15);
    expect(r.stdout).toBe('before\n');
    const raw = r.raw() as { status: string; statusReason?: string; workload: { exitStatus: number; exit: { signal: string } } };
    expect(raw.status).toBe('complete');
    // a complete snapshot carries no reason for being incomplete (the "still recording" one of
    // the file written before the workload started must not survive)
    expect(raw.statusReason).toBeUndefined();
    expect(raw.workload.exitStatus).toBe(143);
    expect(raw.workload.exit.signal).toBe('SIGTERM');
    const s = await r.show();
    expect(s.syscalls.map((x) => x.name)).toContain('kill');
  });

  it('passes its stdin, stdout, stderr and exit status through untouched', async () => {
    const r = await runWhittle(
      ['learn', '--headless', '--snapshot', path.join(work.dir, 'io.json'), '--', '/bin/sh', '-c', 'read x; echo "out:$x"; echo "err:$x" >&2; exit 7'],
      { input: 'hello\n' },
    );
    expect(r.code).toBe(7);
    expect(r.stdout).toBe('out:hello\n');
    expect(r.stderr).toContain('err:hello\n');
  });
});

describe('a stray signal', () => {
  it("SIGUSR1 to whittle (root) does not open Node's debugger port; the session goes on", async () => {
    const snap = path.join(work.dir, 'usr1.json');
    const child = spawn(process.execPath, [whittleCli, 'learn', '--headless', '--snapshot', snap, '--', 'sleep', '1.5'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)));
    for (let i = 0; i < 100 && !existsSync(snap); i++) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGUSR1');
    await new Promise((r) => setTimeout(r, 300));
    // nothing answers on the inspector's port (Node would listen there within a few ms)
    const connected = await new Promise<boolean>((ok) => {
      const c = net.connect(9229, '127.0.0.1', () => (c.destroy(), ok(true)));
      c.on('error', () => ok(false));
    });
    expect(connected).toBe(false);
    expect(await exited).toBe(0);
    expect(stderr).not.toMatch(/Debugger listening/);
    expect(JSON.parse(readFileSync(snap, 'utf8')).status).toBe('complete');
  });
});

describe('the machine', () => {
  it('not root: exit 125 and says so', async () => {
    const r = await runWhittle(['learn', '--headless', '--snapshot', path.join(work.dir, 'nobody.json'), '--', '/bin/true'], { uid: 65534, gid: 65534 });
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(/needs root/);
    expect(existsSync(path.join(work.dir, 'nobody.json'))).toBe(false);
  });

  it('a kernel without eBPF (simulated): the seccomp fallback is used, and said', async () => {
    const r = await learn(['/bin/true'], { dir: work.dir, name: 'noebpf', env: { WHITTLE_SIMULATE_MISSING: 'ebpf' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/eBPF\) recorder is unavailable \(simulated\)/);
    const s = await r.show();
    expect(s.mechanism).toBe('seccomp');
    expect(s.syscalls.map((x) => x.name)).toContain('execve');
  });

  it('a kernel without eBPF (simulated) and --mechanism ebpf: exit 125 with a clear message', async () => {
    const r = await learn(['/bin/true'], { dir: work.dir, name: 'noebpf-forced', mechanism: 'ebpf', env: { WHITTLE_SIMULATE_MISSING: 'ebpf' } });
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(/eBPF is not available on this kernel \(simulated\)/);
    expect(r.stderr).toMatch(/--mechanism seccomp/);
    expect(existsSync(r.snapshot)).toBe(false);
  });

  it('a kernel without the seccomp log action (simulated): --mechanism seccomp fails clearly, the default still learns', async () => {
    const forced = await learn(['/bin/true'], { dir: work.dir, name: 'nolog', mechanism: 'seccomp', env: { WHITTLE_SIMULATE_MISSING: 'seccomp-log' } });
    expect(forced.code).toBe(125);
    expect(forced.stderr).toMatch(/does not have the seccomp log action \(simulated\)/);
    const dflt = await learn(['/bin/true'], { dir: work.dir, name: 'nolog-default', env: { WHITTLE_SIMULATE_MISSING: 'seccomp-log' } });
    expect(dflt.code, dflt.stderr).toBe(0);
    expect((await dflt.show()).mechanism).toBe('ebpf');
  });
});

describe('the TUI without a terminal', () => {
  it('learn without --headless, stdin and stdout not a terminal: a clear error, nothing run, no snapshot', async () => {
    const marker = path.join(work.dir, 'tui-ran');
    const snap = path.join(work.dir, 'tui.json');
    const r = await runWhittle(['learn', '--snapshot', snap, '--', '/bin/touch', marker]);
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(/the TUI needs a terminal[\s\S]*hint: use whittle learn --headless in scripts/);
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(snap)).toBe(false);
  });

  it('review without a terminal: says what scripts use instead', async () => {
    const l = await learn(['/bin/true'], { dir: work.dir, name: 'for-review' });
    expect(l.code).toBe(0);
    const r = await runWhittle(['review', l.snapshot]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the TUI needs a terminal[\s\S]*whittle show .*whittle decide --auto/);
  });
});

describe('the snapshot path', () => {
  it('an unwritable place fails before the workload runs (exit 125)', async () => {
    const blocker = path.join(work.dir, 'a-file');
    writeFileSync(blocker, 'x');
    const marker = path.join(work.dir, 'ran');
    const r = await runWhittle(['learn', '--headless', '--snapshot', path.join(blocker, 'snap.json'), '--', '/bin/touch', marker]);
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(/cannot create the directory|snapshot/);
    expect(existsSync(marker)).toBe(false);
  });

  it('a place that goes away while the workload runs loses nothing: the snapshot is saved to a rescue copy, and said where', async () => {
    const dir = path.join(work.dir, 'goes-away');
    mkdirSync(dir);
    const snap = path.join(dir, 'snap.json');
    const r = await runWhittle(['learn', '--headless', '--snapshot', snap, '--', '/bin/sh', '-c', `rm -rf ${dir}; echo removed`]);
    expect(r.stdout).toBe('removed\n');
    expect(r.code).toBe(125);
    const m = /cannot write snapshot .*snap\.json: .*nothing is lost: it was saved to (\S+) instead/.exec(r.stderr);
    expect(m, r.stderr).not.toBeNull();
    const rescue = m![1];
    try {
      expect(r.stderr).toContain(`mv ${rescue} ${snap}`);
      const show = await runWhittle(['show', '--json', rescue]);
      expect(show.code).toBe(0);
      const doc = JSON.parse(show.stdout) as { status: string; workload: { exitStatus: number }; syscalls: Array<{ name: string }>; paths: Array<{ path: string; access: string }> };
      expect(doc.status).toBe('complete');
      expect(doc.workload.exitStatus).toBe(0);
      // what the workload did is all there, the removal of the snapshot's own directory included
      expect(doc.paths.some((p) => p.path === dir && p.access === 'remove')).toBe(true);
      expect(doc.syscalls.map((x) => x.name)).toContain('write');
    } finally {
      rmSync(rescue, { force: true });
    }
  });

  it('an existing snapshot is refused without --force and left unchanged', async () => {
    const f = path.join(work.dir, 'exists.json');
    writeFileSync(f, 'precious');
    const r = await runWhittle(['learn', '--headless', '--snapshot', f, '--', '/bin/true']);
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(/already exists.*\n.*--force/);
    expect(readFileSync(f, 'utf8')).toBe('precious');
  });

  it('a corrupt snapshot: show says what is wrong (exit 2)', async () => {
    const good = await learn(['/bin/true'], { dir: work.dir, name: 'tocorrupt' });
    const text = readFileSync(good.snapshot, 'utf8');
    writeFileSync(good.snapshot, text.slice(0, Math.floor(text.length / 2)));
    const r = await runWhittle(['show', good.snapshot]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not valid JSON.*corrupt or was cut short/);
  });

  it('a missing snapshot, or a directory given for one: show says which (exit 2)', async () => {
    const missing = await runWhittle(['show', path.join(work.dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read snapshot .*nope\.json: no such file, or not readable/);
    const dir = await runWhittle(['show', work.dir]);
    expect(dir.code).toBe(2);
    expect(dir.stderr).toMatch(/is a directory, not a snapshot\nwhittle: hint: give the snapshot file inside it/);
  });

  it('a snapshot from a newer whittle: show says to upgrade (exit 2)', async () => {
    const good = await learn(['/bin/true'], { dir: work.dir, name: 'future' });
    const doc = JSON.parse(readFileSync(good.snapshot, 'utf8'));
    doc.schemaVersion = 99;
    writeFileSync(good.snapshot, JSON.stringify(doc));
    const r = await runWhittle(['show', good.snapshot]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/newer whittle \(snapshot schema 99/);
    expect(r.stderr).toMatch(/upgrade whittle/);
  });

  it('a tracer that dies mid-session leaves an incomplete snapshot, marked so, and the workload stopped', async () => {
    const dir = path.join(work.dir, 'die');
    mkdirSync(dir);
    const snap = path.join(dir, 'snap.json');
    const { spawn } = await import('node:child_process');
    const { whittleCli } = await import('../helpers/whittle.js');
    const child = spawn(process.execPath, [whittleCli, 'learn', '--headless', '--snapshot', snap, '--', '/bin/sleep', '30'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b) => (err += b));
    await new Promise((r) => setTimeout(r, 1500));
    const { execFileSync } = await import('node:child_process');
    const pids = execFileSync('pgrep', ['-P', String(child.pid), '-f', 'whittle-tracer learn']).toString().trim().split('\n');
    process.kill(Number(pids[0]), 'SIGKILL');
    const code = await new Promise<number | null>((res) => child.on('close', (c) => res(c)));
    expect(code).toBe(125);
    expect(err).toMatch(/incomplete/);
    const doc = JSON.parse(readFileSync(snap, 'utf8'));
    expect(doc.status).toBe('incomplete');
    expect(doc.statusReason).toMatch(/killed by SIGKILL/);
    // the sleep was stopped with the session, not left running
    expect(() => execFileSync('pgrep', ['-f', '^/bin/sleep 30$'])).toThrow();
    const show = await runWhittle(['show', snap]);
    expect(show.stdout).toMatch(/STATUS\s+INCOMPLETE/);
  });
});
