/**
 * A profile learned under one runtime, launched under another: the runtimes' own layers differ
 * (knowledge/runtime-layers.ts), so whittle says which of the target's syscalls the profile
 * lacked, adds the target's layer, and the container starts and serves with nothing denied.
 * Without a runtime's layer the same container does not start at all under that runtime: that
 * is what the layer is for.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runtimeLayers } from '../../src/model/knowledge/runtime-layers.js';
import { loadIntoPodman, makeImageBundle, podmanStorage, removeTestImage, SERVICE_TOKEN, serviceCommand, serviceLayout, serviceRootfs } from '../helpers/container-images.js';
import { requireTools } from '../helpers/bundle.js';
import { requireRootAndBuild } from '../helpers/setup.js';
import { runWhittle, scratchDir } from '../helpers/whittle.js';

let work: { dir: string; cleanup: () => void };
let bundle: string;
let storageEnv: Record<string, string>;
const image = `localhost/whittle-service-x:${process.pid}`;

beforeAll(async () => {
  await requireRootAndBuild();
  requireTools('runc', 'crun', 'podman', 'umoci', 'skopeo');
  work = scratchDir('whittle-ctr-x-');
  bundle = makeImageBundle(path.join(work.dir, 'service-bundle'), serviceRootfs(), serviceCommand);
  storageEnv = podmanStorage(path.join(work.dir, 'podman')).env;
  const { layout, tag } = serviceLayout();
  loadIntoPodman(layout, tag, image, storageEnv);
  const fix = await runWhittle(['doctor', '--fix-crun']);
  expect(fix.stdout).toMatch(/ok {4}crun cgroups/);
}, 300_000);

afterAll(async () => {
  if (work) await removeTestImage(work, image, storageEnv);
});

async function learnAccepted(rt: string, ref: string): Promise<string> {
  const snapshot = path.join(work.dir, `learned-${rt}.json`);
  const l = await runWhittle(['learn', '--headless', '--container', ref, '--runtime', rt, '--snapshot', snapshot, '--force'], { env: storageEnv });
  expect(l.code, l.stderr).toBe(0);
  const d = await runWhittle(['decide', snapshot, '--auto', 'accept']);
  expect(d.code, d.stderr).toBe(0);
  return snapshot;
}

describe('a profile learned under one runtime, launched under another', () => {
  it.each([
    ['crun', 'runc'],
    ['runc', 'crun'],
    ['runc', 'podman'],
  ] as const)('learned under %s, launched under %s: whittle names what the target runtime adds, and the service answers', async (from, to) => {
    const snapshot = await learnAccepted(from, bundle);
    const doc = JSON.parse(readFileSync(snapshot, 'utf8'));
    const learnedLayer = new Set<string>(doc.observed.syscalls.filter((s: { layer?: string }) => s.layer === 'runtime').map((s: { name: string }) => s.name));
    // what the policy allows the service (what it made, and what that implies: rt_sigreturn
    // once it installed a signal handler)
    const policyFile = path.join(work.dir, `policy-${from}.whittle.json`);
    const e = await runWhittle(['export', snapshot, '--format', 'whittle', '-o', policyFile]);
    expect(e.code, e.stderr).toBe(0);
    const app = new Set<string>(JSON.parse(readFileSync(policyFile, 'utf8')).syscalls.allow);
    for (const s of doc.observed.syscalls.filter((x: { layer?: string }) => !x.layer)) expect(app.has(s.name), s.name).toBe(true);
    const missing = runtimeLayers[to].syscalls.filter((n) => !app.has(n));
    expect(missing.length, 'the layers differ: the target runtime needs syscalls the service never made').toBeGreaterThan(0);
    expect(learnedLayer.size).toBeGreaterThan(0);
    const report = path.join(work.dir, `cross-${from}-${to}.json`);
    const r = await runWhittle(['run', '--container', to === 'podman' ? image : bundle, '--runtime', to, '--profile', snapshot, '--report', report], { env: storageEnv });
    // said before the launch, by name
    const line = r.stderr.split('\n').find((l) => l.includes(`the profile was learned under ${from}`)) ?? '';
    expect(line, r.stderr).toContain(`${to} makes ${missing.length} syscall(s) of its own that it lacks: ${missing.join(' ')}`);
    expect(r.stderr.indexOf(line)).toBeLessThan(r.stderr.indexOf('denial(s); exit status'));
    expect(r.stdout, r.stderr).toContain(`service answered: ${SERVICE_TOKEN}`);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(report, 'utf8')).denials).toEqual([]);
  });

  it("without runc's layer the container does not start under runc: the profile crun needs is not enough", async () => {
    const snapshot = await learnAccepted('crun', bundle);
    const out = path.join(work.dir, 'for-crun.oci.json');
    // learned through crun, exported for a bundle: crun's layer unless told otherwise
    const e = await runWhittle(['export', snapshot, '--format', 'oci', '-o', out]);
    expect(e.code, e.stderr).toBe(0);
    expect(e.stderr).toContain('added the crun layer');
    // the crun profile, straight into a copy of the bundle, run by runc itself
    const dir = path.join(work.dir, 'raw-runc');
    mkdirSync(dir, { recursive: true });
    const cfg = JSON.parse(readFileSync(path.join(bundle, 'config.json'), 'utf8'));
    cfg.linux.seccomp = JSON.parse(readFileSync(out, 'utf8'));
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify(cfg));
    const id = `whittle-x-${process.pid}`;
    const raw = spawnSync('runc', ['run', '--bundle', dir, id], { encoding: 'utf8', timeout: 60_000 });
    spawnSync('runc', ['delete', '-f', id], { stdio: 'ignore' });
    expect(raw.stdout).not.toContain(SERVICE_TOKEN);
    expect(raw.status).not.toBe(0);
    // and through whittle, with runc's layer added, the same policy works
    const r = await runWhittle(['run', '--container', bundle, '--runtime', 'runc', '--profile', snapshot]);
    expect(r.stdout).toContain(`service answered: ${SERVICE_TOKEN}`);
    expect(r.code, r.stderr).toBe(0);
  });
});
