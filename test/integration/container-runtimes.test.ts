/**
 * A real service in a container, through each runtime: whittle learn --container (headless),
 * whittle decide --auto accept, whittle run --container. The profile starts the container the
 * first time, the service answers a request (made from inside the container: it has only its own
 * loopback), and nothing is denied; the same profile with one of the service's own syscalls
 * denied (listen) fails exactly there, and whittle reports that denial — with runc through the
 * in-kernel probe (runc 1.1.5 cannot ask the kernel to log ERRNO answers), with crun and podman
 * through the kernel's records.
 *
 * The image is a small Debian-based one assembled from the host's packages (python3 -m
 * http.server; test/helpers/container-images.ts), as a bundle for runc and crun and in a podman
 * storage of this test's own for podman.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadIntoPodman, makeImageBundle, podmanStorage, removeTestImage, SERVICE_TOKEN, serviceCommand, serviceLayout, serviceRootfs } from '../helpers/container-images.js';
import { requireTools } from '../helpers/bundle.js';
import { requireRootAndBuild } from '../helpers/setup.js';
import { runWhittle, scratchDir, type ShowJson } from '../helpers/whittle.js';

let work: { dir: string; cleanup: () => void };
let bundle: string;
let storageEnv: Record<string, string>;
const image = `localhost/whittle-service:${process.pid}`;

beforeAll(async () => {
  await requireRootAndBuild();
  requireTools('runc', 'crun', 'podman', 'umoci', 'skopeo', 'busybox');
  work = scratchDir('whittle-ctr-rt-');
  const rootfs = serviceRootfs();
  bundle = makeImageBundle(path.join(work.dir, 'service-bundle'), rootfs, serviceCommand);
  storageEnv = podmanStorage(path.join(work.dir, 'podman')).env;
  const { layout, tag } = serviceLayout();
  loadIntoPodman(layout, tag, image, storageEnv);
  // crun refuses a hybrid cgroup layout whose cgroup2 has controllers: the fix whittle offers
  const fix = await runWhittle(['doctor', '--fix-crun'], { env: storageEnv });
  expect(fix.stdout, fix.stdout).toMatch(/ok {4}crun cgroups/);
}, 300_000);

afterAll(async () => {
  if (work) await removeTestImage(work, image, storageEnv);
});

function refFor(rt: string): string {
  return rt === 'podman' ? image : bundle;
}

function sha(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

describe.each(['runc', 'crun', 'podman'] as const)('%s: learn, accept, launch for real', (rt) => {
  let snapshot: string;

  it('learns the service: the container runs as it would, its output passes through, the runtime is a layer of its own', async () => {
    snapshot = path.join(work.dir, `service-${rt}.json`);
    const configBefore = rt === 'podman' ? '' : sha(path.join(bundle, 'config.json'));
    const r = await runWhittle(['learn', '--headless', '--container', refFor(rt), '--runtime', rt, '--snapshot', snapshot], { env: storageEnv });
    expect(r.stderr).toContain(`through ${rt} `);
    expect(r.stdout).toContain(`service answered: ${SERVICE_TOKEN}`);
    expect(r.code, r.stderr).toBe(0);
    if (rt !== 'podman') expect(sha(path.join(bundle, 'config.json')), "the user's config.json is never modified").toBe(configBefore);

    const s = await runWhittle(['show', '--json', snapshot]);
    expect(s.code, s.stderr).toBe(0);
    const j = JSON.parse(s.stdout) as ShowJson & {
      runtimeLayer: Array<{ name: string; layer: string }>;
      container: { runtime: string; argumentsRecorded: boolean; capabilities: { set: string[]; unused: string[] } };
    };
    expect(j.lost.total).toBe(0);
    expect(j.container.runtime).toBe(rt);
    expect(j.container.argumentsRecorded, 'the runtime passed the listener on: arguments are recorded').toBe(true);
    // the runtime's own calls are apart from the service's: its exec of the service is among them
    expect(j.runtimeLayer.map((x) => x.name)).toContain('execve');
    expect(j.runtimeLayer.every((x) => x.layer === 'runtime')).toBe(true);
    const names = j.syscalls.map((x) => x.name);
    for (const n of ['socket', 'bind', 'listen', 'accept4', 'connect']) expect(names, n).toContain(n);
    // paths as the container sees them: its own /srv/www and its Python, not the bundle's rootfs on the host
    expect(j.paths.some((p) => p.path === '/srv/www/index.html' && p.access === 'read')).toBe(true);
    expect(j.paths.some((p) => p.path.startsWith('/usr/lib/python3.11/'))).toBe(true);
    expect(j.paths.filter((p) => /whittle-ctr-|whittle-test-images/.test(p.path)).map((p) => p.path)).toEqual([]);
    expect(j.execs.map((e) => e.path)).toContain('/usr/bin/python3.11');
    // the service's address, from inside its own network namespace
    expect(j.network.some((n) => n.family === 'AF_INET' && n.op === 'bind' && n.port === 8000 && n.addr === '127.0.0.1')).toBe(true);
    // capabilities against the set the container was given: a web server on port 8000 needs none of them
    expect(j.container.capabilities.set.length).toBeGreaterThan(0);
    expect(j.container.capabilities.unused).toEqual(j.container.capabilities.set);
    expect(r.stderr).toMatch(/never used, can be dropped: CAP_/);
  });

  it('the accepted profile starts the container the first time, the service answers, nothing is denied', async () => {
    const d = await runWhittle(['decide', snapshot, '--auto', 'accept']);
    expect(d.code, d.stderr).toBe(0);
    const report = path.join(work.dir, `run-${rt}.json`);
    const r = await runWhittle(['run', '--container', refFor(rt), '--profile', snapshot, '--report', report], { env: storageEnv });
    expect(r.stdout).toContain(`service answered: ${SERVICE_TOKEN}`);
    expect(r.code, r.stderr).toBe(0);
    const rep = JSON.parse(readFileSync(report, 'utf8'));
    expect(rep.denials, r.stderr).toEqual([]);
    expect(rep.denialCount).toBe(0);
    expect(rep.exitStatus).toBe(0);
    expect(r.stderr).toContain('0 denial(s); exit status 0');

    // without --container, "the command it was learned from" is the container, through the same runtime
    const again = await runWhittle(['run', '--profile', snapshot], { env: storageEnv });
    expect(again.stderr).toContain(`was learned from the container ${refFor(rt)}: running it through ${rt}`);
    expect(again.stdout).toContain(`service answered: ${SERVICE_TOKEN}`);
    expect(again.code, again.stderr).toBe(0);
  });

  it('the same profile with listen denied fails exactly there, and the denial is reported (by run and by verify)', async () => {
    const doc = JSON.parse(readFileSync(snapshot, 'utf8'));
    doc.decisions['syscall:listen'] = { action: 'deny', errno: 'EPERM', by: 'person', at: new Date().toISOString() };
    const denied = path.join(work.dir, `service-${rt}-no-listen.json`);
    writeFileSync(denied, JSON.stringify(doc));
    const report = path.join(work.dir, `run-${rt}-no-listen.json`);
    const r = await runWhittle(['run', '--container', refFor(rt), '--profile', denied, '--report', report], { env: storageEnv });
    // the service failed at listen(), nowhere else
    expect(r.stdout).toContain('the service died:');
    expect(r.stdout).toMatch(/self\.socket\.listen\(self\.request_queue_size\)\s+PermissionError: \[Errno 1\] Operation not permitted/);
    expect(r.code).toBe(3);
    const rep = JSON.parse(readFileSync(report, 'utf8'));
    expect(rep.denials.map((d: { kind: string; name: string; errno: string }) => `${d.kind} ${d.name} ${d.errno}`)).toEqual(['syscall listen EPERM']);
    expect(rep.denials[0].first.exe).toMatch(/python3/);
    expect(rep.denials[0].why).toBe('decided');
    expect(r.stderr).toMatch(/denied syscall listen → EPERM by \S*python3\S* \(pid \d+\)\n/);

    // verify runs the container the snapshot was learned from, through the same runtime
    const v = await runWhittle(['verify', denied], { env: storageEnv });
    expect(v.stderr).toContain(`verifying ${refFor(rt)} through ${rt} (as it was learned)`);
    expect(v.stderr).toContain('NOT clean');
    expect(v.stderr).toMatch(/denied: syscall listen → EPERM/);
    expect(v.code).toBe(1);
    const clean = await runWhittle(['verify', snapshot], { env: storageEnv });
    expect(clean.stderr).toContain('clean: exit status 0 as learned, no denials');
    expect(clean.code, clean.stderr).toBe(0);
  });
});
