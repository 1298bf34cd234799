#!/usr/bin/env node
// Enforcement cost: the learn benchmark's workloads (files: python creating, stat-ing, reading and
// removing N files on tmpfs; build: gcc -O2 -c of a generated 1,500-function file) timed side by
// side in one run, interleaved, medians, as ratios to the unfiltered run:
//   unfiltered                  the command alone
//   whittle run                 `whittle run --profile POLICY -- CMD`, the whole command (Node
//                               start-up, the tracer with its in-kernel denial probe, the sandbox:
//                               mount namespace, view, Landlock, capabilities, seccomp; the report),
//                               with the policy as `whittle export --format whittle` wrote it
//   whittle run, compact policy the same with the policy's provenance records dropped (where
//                               each rule came from: nothing that is enforced)
//   same, no path-denial probe  WHITTLE_SIMULATE_MISSING=ebpf: seccomp denials only (the probe's
//                               syscall-exit hook is what path denials cost)
//   tracer alone                whittle-tracer enforce with the same spec (no Node)
//   sandbox alone               the same without the denial probe: what the sandbox itself costs
//                               (seccomp filter, mount view, Landlock); `, no Landlock` without it too
//   docker-default              a seccomp filter allowing what Docker's default profile allows,
//                               built with libseccomp the way runc builds it (bench/seccomp-exec.c)
// plus whittle's fixed start-up: `whittle run` of /bin/true (its own accepted policy) minus /bin/true.
//
//   sudo node bench/run.mjs [--reps 7] [--files 40000] [--functions 1500] [--only files,build]
//                           [--startup-reps 15] [--keep]
//
// The policies are what a person ships: learned (whittle learn), accepted (decide --auto accept),
// the workload's generated names widened to a glob (files: DIR/*.txt; the build: gcc's
// /tmp/cc*.s), exported, and checked clean once (exit 0, no denials) before anything is timed.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { measure, median, root, tracer, whittle, writeResults } from './common.mjs';

const args = process.argv.slice(2);
if (args.includes('--help')) {
  console.log('sudo node bench/run.mjs [--reps 7] [--files 40000] [--functions 1500] [--only files,build] [--startup-reps 15] [--keep]');
  process.exit(0);
}
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const reps = Number(opt('reps', '7'));
const startupReps = Number(opt('startup-reps', '15'));
const only = opt('only', 'files,build').split(',');

if (process.getuid() !== 0) {
  console.error('bench/run.mjs: run as root (whittle run needs it)');
  process.exit(2);
}
if (!existsSync(whittle) || !existsSync(tracer)) {
  console.error('bench/run.mjs: build whittle first (npm run build)');
  process.exit(2);
}

const scratch = path.join(tmpdir(), `whittle-bench-run-${process.pid}`);
const shm = `/dev/shm/whittle-bench-run-${process.pid}`;
mkdirSync(scratch, { recursive: true });
mkdirSync(shm, { recursive: true });
const py = '/usr/bin/python3';
const env = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C.UTF-8' };

/** Run a whittle command; throws with its stderr when it fails. */
function w(argv, { ok = [0] } = {}) {
  const r = spawnSync(process.execPath, [whittle, ...argv], { encoding: 'utf8', env: { ...process.env, ...env, NO_COLOR: '1' }, maxBuffer: 256 << 20 });
  if (!ok.includes(r.status)) throw new Error(`whittle ${argv.join(' ')} failed (${r.status}): ${r.stderr.slice(-3000)}`);
  return r;
}

// --- the Docker-default filter: names from profiles/baselines/docker-default.json when it is
// committed, else the workload's own names plus a large allowlist (said in the results)
const dockerExec = path.join(scratch, 'seccomp-exec');
execFileSync('gcc', ['-O2', '-o', dockerExec, path.join(root, 'bench', 'seccomp-exec.c'), '-lseccomp']);
const baselineFile = path.join(root, 'profiles', 'baselines', 'docker-default.json');
const baselineTracked = existsSync(baselineFile) && spawnSync('git', ['-C', root, 'ls-files', '--error-unmatch', 'profiles/baselines/docker-default.json'], { stdio: 'ignore' }).status === 0;
let dockerSource;
let dockerNames;
if (baselineTracked) {
  const b = JSON.parse(readFileSync(baselineFile, 'utf8'));
  dockerNames = b.x86_64Default.names;
  dockerSource = `profiles/baselines/docker-default.json (x86_64Default: ${dockerNames.length} names, ${b.source.release})`;
}

// --- the workloads (as bench/learn.mjs has them)
const csrc = path.join(scratch, 'build.c');
execFileSync(py, [path.join(root, 'bench', 'workloads', 'gen-build.py'), csrc, opt('functions', '1500')]);
const filesDir = path.join(shm, 'files');
const workloads = {
  files: {
    name: 'files',
    cmd: [py, path.join(root, 'bench', 'workloads', 'files.py'), filesDir, opt('files', '40000')],
    globs: [[new RegExp(`^${filesDir}/f\\d+\\.txt$`), `${filesDir}/*.txt`]],
  },
  build: {
    name: 'build',
    cmd: ['/usr/bin/gcc', '-O2', '-c', csrc, '-o', path.join(scratch, 'build.o')],
    globs: [[/^\/tmp\/cc[A-Za-z0-9]{6}\.s$/, '/tmp/cc*.s']],
  },
};

/** Learn, accept, glob, export, check clean: the policy file a person would ship. */
function policyFor(wl) {
  const snap = path.join(scratch, `${wl.name}.json`);
  process.stderr.write(`${wl.name}: learning ${wl.cmd.join(' ')}\n`);
  w(['learn', '--headless', '--force', '--snapshot', snap, '--', ...wl.cmd]);
  w(['decide', snap, '--auto', 'accept']);
  const doc = JSON.parse(readFileSync(snap, 'utf8'));
  // one glob decision per access kind; the items it covers are left to it (undecided, covered)
  for (const [rx, pattern] of wl.globs) {
    const done = new Set();
    for (const key of Object.keys(doc.decisions)) {
      const m = /^path:([a-z-]+):(.*)$/.exec(key);
      if (!m || !rx.test(m[2])) continue;
      if (done.has(m[1])) delete doc.decisions[key];
      else doc.decisions[key] = { action: 'glob', pattern, access: m[1], by: 'person', at: new Date().toISOString() };
      done.add(m[1]);
    }
    if (!done.size) throw new Error(`${wl.name}: no path matched ${rx}`);
  }
  writeFileSync(snap, JSON.stringify(doc));
  const policy = path.join(scratch, `${wl.name}.whittle.json`);
  w(['export', snap, '--format', 'whittle', '-o', policy]);
  const report = path.join(scratch, `${wl.name}.report.json`);
  w(['run', '--profile', policy, '--report', report, '--', ...wl.cmd]);
  const rep = JSON.parse(readFileSync(report, 'utf8'));
  if (rep.exitStatus !== 0 || rep.denialCount !== 0) throw new Error(`${wl.name}: the policy does not run clean: ${JSON.stringify(rep.denials).slice(0, 2000)}`);
  const exported = JSON.parse(readFileSync(policy, 'utf8'));
  const syscalls = exported.syscalls.allow;
  // The compact copy drops provenance (where each rule came from), nothing that is enforced, to
  // time enforcement apart from reading it. (Until a glob's covered items stopped being listed
  // one by one, the files policy was 37 MB and reading it cost ~0.4 s.)
  const compact = path.join(scratch, `${wl.name}.compact.whittle.json`);
  writeFileSync(compact, JSON.stringify({ ...exported, provenance: {}, paths: exported.paths.map(({ from, ...r }) => r), mounts: exported.mounts.map(({ from, ...m }) => m) }));
  const sizes = { exported: statSync(policy).size, compact: statSync(compact).size };
  // the tracer alone (no Node): the same enforce spec, written by whittle's planner
  const spec = path.join(scratch, `${wl.name}.spec`);
  writeFileSync(spec, execFileSync(process.execPath, ['--input-type=module', '-e', `
    const { loadPolicy } = await import(${JSON.stringify(path.join(root, 'dist', 'store', 'policy-file.js'))});
    const { enforceSpec } = await import(${JSON.stringify(path.join(root, 'dist', 'launch', 'plan.js'))});
    const { policy } = await loadPolicy(${JSON.stringify(policy)});
    process.stdout.write(enforceSpec(policy));`]));
  return { snap, policy, compact, spec, syscalls, sizes };
}

const results = {};
const policies = {};
for (const name of only) {
  const wl = workloads[name];
  if (!wl) throw new Error(`unknown workload ${name}`);
  policies[name] = policyFor(wl);
}

if (!dockerNames) {
  // fallback: every name the workloads used, plus every syscall whittle's table knows except the
  // ones Docker's profile is known to refuse (a large allowlist of the same shape)
  const { syscallTable } = await import(path.join(root, 'dist', 'model', 'knowledge', 'syscalls.js'));
  const refused = new Set(['acct', 'add_key', 'bpf', 'clock_adjtime', 'clock_settime', 'create_module', 'delete_module', 'finit_module', 'get_kernel_syms', 'get_mempolicy', 'init_module', 'ioperm', 'iopl', 'kcmp', 'kexec_file_load', 'kexec_load', 'keyctl', 'lookup_dcookie', 'mbind', 'mount', 'move_pages', 'nfsservctl', 'open_by_handle_at', 'perf_event_open', 'personality', 'pivot_root', 'process_vm_readv', 'process_vm_writev', 'ptrace', 'query_module', 'quotactl', 'reboot', 'request_key', 'set_mempolicy', 'setns', 'settimeofday', 'stime', 'swapon', 'swapoff', 'sysfs', '_sysctl', 'umount', 'umount2', 'unshare', 'uselib', 'userfaultfd', 'ustat', 'vm86', 'vm86old']);
  const names = new Set(syscallTable.map((s) => s.name).filter((n) => !refused.has(n)));
  for (const p of Object.values(policies)) for (const n of p.syscalls) names.add(n);
  dockerNames = [...names].sort();
  dockerSource = `fallback (profiles/baselines/docker-default.json not committed): the workloads' own syscalls plus every syscall in whittle's table except ${refused.size} Docker refuses — ${dockerNames.length} names`;
}
const namesFile = path.join(scratch, 'docker-names.txt');
writeFileSync(namesFile, dockerNames.join('\n') + '\n');
process.stderr.write(`docker-default filter: ${dockerSource}\n`);

for (const name of only) {
  const wl = workloads[name];
  const p = policies[name];
  process.stderr.write(`${name}: ${wl.cmd.join(' ')}\n`);
  results[name] = measure(
    wl,
    [
      { name: 'unfiltered', argv: (x) => x.cmd, env },
      { name: 'whittle run', argv: (x) => [process.execPath, whittle, 'run', '--profile', p.policy, '--', ...x.cmd], env },
      { name: 'whittle run compact', argv: (x) => [process.execPath, whittle, 'run', '--profile', p.compact, '--', ...x.cmd], env },
      {
        name: 'no path probe',
        argv: (x) => [process.execPath, whittle, 'run', '--profile', p.compact, '--', ...x.cmd],
        env: { ...env, WHITTLE_SIMULATE_MISSING: 'ebpf' },
      },
      { name: 'tracer alone', argv: (x) => ['/bin/sh', '-c', 's=$1; shift; exec "$0" enforce --spec "$s" --events 3 -- "$@" 3>/dev/null', tracer, p.spec, ...x.cmd], env },
      {
        name: 'sandbox alone',
        argv: (x) => ['/bin/sh', '-c', 's=$1; shift; exec "$0" enforce --spec "$s" --events 3 -- "$@" 3>/dev/null', tracer, p.spec, ...x.cmd],
        env: { ...env, WHITTLE_SIMULATE_MISSING: 'ebpf' },
      },
      {
        name: 'sandbox alone, no Landlock',
        argv: (x) => ['/bin/sh', '-c', 's=$1; shift; exec "$0" enforce --spec "$s" --events 3 -- "$@" 3>/dev/null', tracer, p.spec, ...x.cmd],
        env: { ...env, WHITTLE_SIMULATE_MISSING: 'ebpf,landlock' },
      },
      { name: 'docker-default', argv: (x) => [dockerExec, namesFile, '--', ...x.cmd], env },
    ],
    reps,
  );
}

// whittle's fixed start-up: run of /bin/true under its own accepted policy, over /bin/true
const trueSnap = path.join(scratch, 'true.json');
w(['learn', '--headless', '--force', '--snapshot', trueSnap, '--', '/bin/true']);
w(['decide', trueSnap, '--auto', 'accept']);
const truePolicy = path.join(scratch, 'true.whittle.json');
w(['export', trueSnap, '--format', 'whittle', '-o', truePolicy]);
const startup = measure(
  { name: 'startup', cmd: ['/bin/true'] },
  [
    { name: 'unfiltered', argv: () => ['/bin/true'], env },
    { name: 'whittle run', argv: () => [process.execPath, whittle, 'run', '--profile', truePolicy, '--', '/bin/true'], env },
    { name: 'node alone', argv: () => [process.execPath, '-e', '0'], env },
  ],
  startupReps,
);
const fixed = startup['whittle run'].median - startup.unfiltered.median;

const lines = [];
lines.push(`enforcement cost, ${new Date().toISOString()}, kernel ${os.release()}, ${os.cpus().length} CPUs, ${reps} interleaved runs (median)`);
lines.push(`docker-default = ${dockerSource}`);
lines.push('');
lines.push('| workload | unfiltered | whittle run | whittle run, compact policy | same, no path-denial probe | tracer alone | sandbox alone | sandbox alone, no Landlock | docker-default | whittle run compact / docker-default | whittle run compact − fixed start-up |');
lines.push('|---|---|---|---|---|---|---|---|---|---|---|');
for (const [name, r] of Object.entries(results)) {
  const base = r.unfiltered.median;
  const x = (v) => `×${(r[v].median / base).toFixed(3)} (${r[v].median.toFixed(3)} s)`;
  lines.push(
    `| ${name} | ${base.toFixed(3)} s | ${x('whittle run')} | ${x('whittle run compact')} | ${x('no path probe')} | ${x('tracer alone')} | ${x('sandbox alone')} | ${x('sandbox alone, no Landlock')} | ${x('docker-default')} | ×${(r['whittle run compact'].median / r['docker-default'].median).toFixed(3)} | ×${((r['whittle run compact'].median - fixed) / base).toFixed(3)} |`,
  );
}
lines.push('');
for (const [name, p] of Object.entries(policies)) lines.push(`${name}: exported policy ${(p.sizes.exported / 1e6).toFixed(1)} MB, compact ${(p.sizes.compact / 1e6).toFixed(2)} MB`);
lines.push('');
lines.push(
  `whittle's fixed start-up (whittle run of /bin/true minus /bin/true, ${startupReps} runs): ${(fixed * 1000).toFixed(0)} ms ` +
    `(whittle run /bin/true ${(startup['whittle run'].median * 1000).toFixed(0)} ms, /bin/true ${(startup.unfiltered.median * 1000).toFixed(1)} ms, node -e 0 ${(startup['node alone'].median * 1000).toFixed(0)} ms)`,
);
console.log(lines.join('\n'));
const file = writeResults('run', {
  reps,
  dockerDefault: dockerSource,
  workloads: Object.fromEntries(only.map((k) => [k, workloads[k].cmd])),
  results,
  startup: { runs: startup, fixedSeconds: fixed, medianOf: median(startup['whittle run'].runs) },
  table: lines,
});
console.log(`\nraw runs: ${path.relative(root, file)}`);
if (!args.includes('--keep')) {
  rmSync(scratch, { recursive: true, force: true });
  rmSync(shm, { recursive: true, force: true });
}
