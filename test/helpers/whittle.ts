/**
 * Run the real whittle CLI (dist/cli.js) the way a user would, for integration tests.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const whittleCli = path.join(repoRoot, 'dist', 'cli.js');
export const fixtureBin = path.join(repoRoot, 'test', 'fixtures', 'bin');
export const fixture = (name: string): string => path.join(fixtureBin, name);

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Run `node dist/cli.js args…` and collect its output. */
export function runWhittle(
  args: string[],
  opts: { env?: Record<string, string>; cwd?: string; input?: string; timeoutMs?: number; uid?: number; gid?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [whittleCli, ...args], {
      cwd: opts.cwd ?? repoRoot,
      env: { ...process.env, NO_COLOR: '1', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      uid: opts.uid,
      gid: opts.gid,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** The stable JSON of `whittle show --json`, typed loosely for assertions. */
export interface ShowJson {
  kind: string;
  schemaVersion: number;
  mechanism: string;
  status: string;
  workload: { argv: string[]; exitStatus: number | null };
  syscalls: Array<{ name: string; arch: string; count: number }>;
  paths: Array<{ path: string; access: string; result: string; count: number }>;
  mounts: Array<{ op: string; source: string; target: string; fstype: string; flags: string; result: string; count: number }>;
  network: Array<{ family: string; type: string | null; op: string; port: number | null; addr?: string; count: number }>;
  capabilities: Array<{ name: string; inferred: boolean; class: string; syscalls: string[]; count: number }>;
  execs: Array<{ path: string; argv0: string; count: number }>;
  lost: { total: number } & Record<string, number>;
}

export interface LearnResult extends RunResult {
  snapshot: string;
  show(): Promise<ShowJson>;
  raw(): unknown;
}

/** A scratch directory removed by the returned cleanup. */
export function scratchDir(prefix = 'whittle-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `whittle learn --headless` on argv, into a snapshot in dir. */
export async function learn(
  argv: string[],
  opts: { dir: string; mechanism?: 'seccomp' | 'ebpf'; name?: string; env?: Record<string, string>; extra?: string[]; cwd?: string; timeoutMs?: number },
): Promise<LearnResult> {
  const snapshot = path.join(opts.dir, `${opts.name ?? 'snap'}-${opts.mechanism ?? 'default'}.json`);
  const args = ['learn', '--headless', '--snapshot', snapshot, '--force'];
  if (opts.mechanism) args.push('--mechanism', opts.mechanism);
  args.push(...(opts.extra ?? []), '--', ...argv);
  const r = await runWhittle(args, { env: opts.env, cwd: opts.cwd, timeoutMs: opts.timeoutMs });
  return {
    ...r,
    snapshot,
    async show() {
      const s = await runWhittle(['show', '--json', snapshot]);
      if (s.code !== 0) throw new Error(`whittle show failed (${s.code}): ${s.stderr}\nlearn stderr: ${r.stderr}`);
      return JSON.parse(s.stdout) as ShowJson;
    },
    raw() {
      return existsSync(snapshot) ? JSON.parse(readFileSync(snapshot, 'utf8')) : undefined;
    },
  };
}

/** Set of "arch:name" for the syscalls of a show --json. */
export function syscallSet(rows: Array<{ name: string; arch: string }>): Set<string> {
  return new Set(rows.map((r) => `${r.arch}:${r.name}`));
}

/** Elements of a not in b. */
export function minus<T>(a: Set<T>, b: Set<T>): T[] {
  return [...a].filter((x) => !b.has(x)).sort();
}
