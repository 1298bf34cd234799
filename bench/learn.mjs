#!/usr/bin/env node
// Learn-mode cost: time under `whittle learn` (each mechanism, whittle's start-up and snapshot
// writing included) and under `strace -f`, over the same program unfiltered, side by side in
// one run. Workloads: a syscall storm (getppid ×N), a syscall-heavy file workload (python
// creating/stat-ing/reading/removing files on tmpfs), and a gcc -O2 build.
//
//   sudo node bench/learn.mjs [--reps 5] [--storm 2000000] [--files 40000] [--functions 1500]
//                            [--only storm,files,build] [--no-strace] [--tracer-only]
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fixture, measure, root, tracer, whittle, writeResults } from './common.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const reps = Number(opt('reps', '5'));
const only = opt('only', 'storm,files,build').split(',');
const withStrace = !args.includes('--no-strace');
const tracerOnly = args.includes('--tracer-only');

if (process.getuid() !== 0) {
  console.error('bench/learn.mjs: run as root (whittle learn needs it)');
  process.exit(2);
}
execFileSync('make', ['-s', '-C', path.join(root, 'test', 'fixtures')]);

const scratch = path.join(tmpdir(), `whittle-bench-${process.pid}`);
const shm = `/dev/shm/whittle-bench-${process.pid}`;
mkdirSync(scratch, { recursive: true });
mkdirSync(shm, { recursive: true });
const py = '/usr/bin/python3';
const csrc = path.join(scratch, 'build.c');
execFileSync(py, [path.join(root, 'bench', 'workloads', 'gen-build.py'), csrc, opt('functions', '1500')]);

const workloads = {
  storm: { name: 'storm', cmd: [fixture('flood'), opt('storm', '2000000')], straceReps: 1 },
  files: { name: 'files', cmd: [py, path.join(root, 'bench', 'workloads', 'files.py'), path.join(shm, 'files'), opt('files', '40000')], straceReps: 1 },
  build: { name: 'build', cmd: ['/usr/bin/gcc', '-O2', '-c', csrc, '-o', path.join(scratch, 'build.o')], straceReps: 3 },
};

const snap = path.join(scratch, 'snap.json');
const variants = (w) => {
  const v = [
    { name: 'unfiltered', argv: (w) => w.cmd },
    { name: 'whittle ebpf', argv: (w) => [process.execPath, whittle, 'learn', '--headless', '--force', '--snapshot', snap, '--mechanism', 'ebpf', '--', ...w.cmd] },
    { name: 'whittle seccomp', argv: (w) => [process.execPath, whittle, 'learn', '--headless', '--force', '--snapshot', snap, '--mechanism', 'seccomp', '--', ...w.cmd] },
  ];
  if (tracerOnly) {
    v.push({ name: 'tracer ebpf', argv: (w) => ['/bin/sh', '-c', `exec "$0" learn --mechanism ebpf --events 3 -- "$@" 3>/dev/null`, tracer, ...w.cmd] });
    // the floor of the hook itself: the same tracer counting syscalls only (no arguments, no
    // capability probe) — what any sys_exit tracepoint program costs on this kernel
    v.push({
      name: 'tracer counts only',
      argv: (w) => ['/bin/sh', '-c', `WHITTLE_BPF_OFF=calls,caps exec "$0" learn --mechanism ebpf --events 3 -- "$@" 3>/dev/null`, tracer, ...w.cmd],
    });
  }
  if (withStrace) v.push({ name: 'strace -f', argv: (w) => ['strace', '-f', '-qq', '-o', '/dev/null', '--', ...w.cmd], reps: w.straceReps });
  return v;
};

const results = {};
for (const name of only) {
  const w = workloads[name];
  if (!w) throw new Error(`unknown workload ${name}`);
  process.stderr.write(`${name}: ${w.cmd.join(' ')}\n`);
  results[name] = measure(w, variants(w), reps);
}

const { default: os } = await import('node:os');
const lines = [];
lines.push(`learn-mode cost, ${new Date().toISOString()}, kernel ${os.release()}, ${os.cpus().length} CPUs, ${reps} interleaved runs (median)`);
lines.push('');
const cols = Object.keys(Object.values(results)[0]);
lines.push(`| workload | ${cols.join(' | ')} |`);
lines.push(`|---|${cols.map(() => '---').join('|')}|`);
for (const [name, r] of Object.entries(results)) {
  const base = r.unfiltered.median;
  lines.push(`| ${name} | ${cols.map((c) => (c === 'unfiltered' ? `${base.toFixed(3)} s` : `×${(r[c].median / base).toFixed(2)} (${r[c].median.toFixed(2)} s)`)).join(' | ')} |`);
}
console.log(lines.join('\n'));
const file = writeResults('learn', { reps, workloads: Object.fromEntries(Object.entries(workloads).map(([k, w]) => [k, w.cmd])), results, table: lines });
console.log(`\nraw runs: ${path.relative(root, file)}`);
rmSync(scratch, { recursive: true, force: true });
rmSync(shm, { recursive: true, force: true });
