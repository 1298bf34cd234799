// What learning and enforcing a container costs: the test service (python3 -m http.server in a
// small Debian-based image, asked for a page from inside the container; built by
// test/helpers/container-images.ts) started by each runtime side by side
//   - unprofiled: the runtime alone, no seccomp profile (podman: --security-opt seccomp=unconfined),
//   - whittle learn --headless --container (the whole command: Node, the tracer, the runtime with
//     the LOG/NOTIFY profile and the listener, the snapshot),
//   - whittle run --container with the learned profile, everything accepted (the whole command).
// runc and crun run a bundle on a fresh overlay of the image's rootfs (whittle makes one of its
// own, so the unprofiled run gets one too, made before it is timed); podman runs the image.
//
//   sudo node bench/container.mjs [--reps N] [--only runc,crun,podman]
//
// The image is built (and cached) by the container tests: run
// `npx vitest run test/integration/container-runtimes.test.ts` once first.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { measure, whittle, writeResults } from './common.mjs';

const args = process.argv.slice(2);
const reps = Number(args[args.indexOf('--reps') + 1] || 0) || 10;
const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : ['runc', 'crun', 'podman'];

const cache = process.env.WHITTLE_TEST_CACHE || '/var/tmp/whittle-test-images';
const built = existsSync(cache)
  ? readdirSync(cache)
      .filter((d) => d.startsWith('service-') && existsSync(path.join(cache, d, 'layout-done')))
      .map((d) => path.join(cache, d))
      .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)
  : [];
if (!built.length) {
  console.error(`no service image in ${cache}: run npx vitest run test/integration/container-runtimes.test.ts once first`);
  process.exit(2);
}
const image = built[0];
const rootfs = path.join(image, 'rootfs');
const work = mkdtempSync(path.join(os.tmpdir(), 'whittle-bench-ctr-'));
const storage = path.join(work, 'podman');
mkdirSync(storage);
writeFileSync(path.join(storage, 'storage.conf'), `[storage]\ndriver = "vfs"\ngraphroot = "${storage}/root"\nrunroot = "${storage}/run"\n`);
const env = { CONTAINERS_STORAGE_CONF: path.join(storage, 'storage.conf') };
const podmanImage = 'localhost/whittle-bench-service:1';
const cmd = ['/usr/local/bin/service-check'];

// the learn bundle (whittle copies it) and the unprofiled one (on an overlay made per run)
function bundle(dir, root) {
  mkdirSync(dir, { recursive: true });
  execFileSync('runc', ['spec', '--bundle', dir]);
  const c = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8'));
  c.process.terminal = false;
  c.process.args = cmd;
  c.process.env = ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOME=/root', 'LANG=C.UTF-8'];
  c.root = { path: root, readonly: false };
  c.mounts.push({ destination: '/tmp', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'nodev', 'mode=1777', 'size=64m'] });
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify(c, null, 2));
  return dir;
}
const learnBundle = bundle(path.join(work, 'learn-bundle'), rootfs);
const overlay = path.join(work, 'ovl-root');
const plainBundle = bundle(path.join(work, 'plain-bundle'), overlay);
let n = 0;
function freshOverlay() {
  spawnSync('umount', [overlay]);
  rmSync(path.join(work, 'upper'), { recursive: true, force: true });
  rmSync(path.join(work, 'ovlwork'), { recursive: true, force: true });
  for (const d of [overlay, path.join(work, 'upper'), path.join(work, 'ovlwork')]) mkdirSync(d, { recursive: true });
  execFileSync('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${rootfs},upperdir=${work}/upper,workdir=${work}/ovlwork`, overlay]);
}

if (only.includes('podman')) execFileSync('skopeo', ['copy', '--quiet', `oci:${path.join(image, 'layout')}:service`, `containers-storage:${podmanImage}`], { env: { ...process.env, ...env } });

const limits = readFileSync('/proc/self/limits', 'utf8');
const lim = (label) => /(\S+)\s+(\S+)\s+\S+\s*$/m.exec(limits.split('\n').find((l) => l.startsWith(label)) ?? '') ?? [];
const nofile = `${lim('Max open files')[1]}:${lim('Max open files')[2]}`;

const results = {};
for (const rt of only) {
  const ref = rt === 'podman' ? podmanImage : learnBundle;
  const snap = path.join(work, `${rt}.json`);
  // one learn to make the profile the enforced runs use
  execFileSync(process.execPath, [whittle, 'learn', '--headless', '--container', ref, '--runtime', rt, '--snapshot', snap, '--force'], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  execFileSync(process.execPath, [whittle, 'decide', snap, '--auto', 'accept'], { stdio: 'ignore' });
  const unprofiled =
    rt === 'podman'
      ? { name: 'unprofiled', argv: () => ['podman', '--cgroup-manager', 'cgroupfs', 'run', '--rm', '--security-opt', 'seccomp=unconfined', '--ulimit', `nofile=${nofile}`, '--ulimit', 'nproc=32768:32768', podmanImage], env }
      : { name: 'unprofiled', before: freshOverlay, argv: () => [rt, 'run', '--bundle', plainBundle, `whittle-bench-${process.pid}-${++n}`] };
  const variants = [
    unprofiled,
    { name: 'whittle learn', argv: () => [process.execPath, whittle, 'learn', '--headless', '--container', ref, '--runtime', rt, '--snapshot', path.join(work, `${rt}-t.json`), '--force'], env },
    { name: 'whittle run', argv: () => [process.execPath, whittle, 'run', '--container', ref, '--runtime', rt, '--profile', snap], env },
  ];
  if (rt === 'podman') variants.push({ name: 'podman default', argv: () => ['podman', '--cgroup-manager', 'cgroupfs', 'run', '--rm', '--ulimit', `nofile=${nofile}`, '--ulimit', 'nproc=32768:32768', podmanImage], env });
  results[rt] = measure({ name: rt }, variants, rt === 'podman' ? Math.max(3, Math.ceil(reps / 2)) : reps);
}
spawnSync('umount', [overlay]);
spawnSync('podman', ['rmi', '-f', podmanImage], { env: { ...process.env, ...env }, stdio: 'ignore' });

console.log('\ncontainer start, median wall time and ratio to the unprofiled start');
for (const [rt, r] of Object.entries(results)) {
  const base = r.unprofiled.median;
  for (const [v, { median }] of Object.entries(r)) console.log(`  ${rt.padEnd(7)} ${v.padEnd(15)} ${median.toFixed(3)} s  ×${(median / base).toFixed(2)}`);
}
console.log(`results: ${writeResults('container', { image, reps, results })}`);
rmSync(work, { recursive: true, force: true });
