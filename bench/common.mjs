// Shared by the benchmarks: timing commands side by side, in one run, interleaved, so that a
// noisy shared machine affects every variant alike. Results are ratios to the unfiltered run.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const whittle = path.join(root, 'dist', 'cli.js');
export const tracer = path.join(root, 'tracer', 'whittle-tracer');
export const fixture = (n) => path.join(root, 'test', 'fixtures', 'bin', n);

/** Run argv once and return the wall time in seconds; throws when it fails. */
export function timeOnce(argv, { env, cwd, stdinNull = true } = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), {
    stdio: [stdinNull ? 'ignore' : 'inherit', 'ignore', 'pipe'],
    env: { ...process.env, ...env },
    cwd,
    maxBuffer: 64 << 20,
  });
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (${r.status ?? r.signal}): ${String(r.stderr).slice(-2000)}`);
  return secs;
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Fisher–Yates, so no variant always runs right after another. */
export function shuffle(xs) {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/**
 * Time every variant of a workload `reps` times, interleaved. A variant may ask for fewer reps
 * (strace on a million syscalls takes minutes). Returns {variant: {median, runs}}.
 */
export function measure(workload, variants, reps) {
  const runs = Object.fromEntries(variants.map((v) => [v.name, []]));
  for (let r = 0; r < reps; r++) {
    for (const v of shuffle(variants)) {
      if (r >= (v.reps ?? reps)) continue;
      v.before?.();
      const t = timeOnce(v.argv(workload), { env: v.env, cwd: workload.cwd });
      runs[v.name].push(t);
      process.stderr.write(`  ${workload.name.padEnd(8)} ${v.name.padEnd(16)} ${t.toFixed(3)} s\n`);
    }
  }
  return Object.fromEntries(Object.entries(runs).map(([k, xs]) => [k, { median: median(xs), runs: xs }]));
}

export function writeResults(name, data) {
  const dir = path.join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = path.join(dir, `${name}-${stamp}.json`);
  writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
  return file;
}
