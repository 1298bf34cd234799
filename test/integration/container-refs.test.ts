/**
 * What --container REF can be, learned through runc with a busybox-static image built here: an
 * OCI bundle (run on a copy: its config.json and its rootfs stay as they were), an OCI image
 * layout (DIR and DIR:TAG), an OCI archive, a docker archive, and an image in podman's storage.
 * The image's command runs unless a command follows --; paths are recorded as the container sees
 * them; the runtime's own syscalls are its layer.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addBusybox, loadIntoPodman, makeImageBundle, makeLayout, podmanStorage, removeTestImage } from '../helpers/container-images.js';
import { requireTools } from '../helpers/bundle.js';
import { requireRootAndBuild } from '../helpers/setup.js';
import { runWhittle, scratchDir, type ShowJson } from '../helpers/whittle.js';

let work: { dir: string; cleanup: () => void };
let rootfs: string;
let bundle: string;
let layout: string;
let storageEnv: Record<string, string>;
const image = `localhost/whittle-busybox:${process.pid}`;
/** The image's command: it writes into its root, reads a file of its own and lists a directory. */
const command = ['/bin/sh', '-c', 'echo written > /marker && cat /etc/motd && ls /data'];

function treeHash(dir: string): string {
  const h = createHash('sha256');
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      h.update(p);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) h.update(readFileSync(p));
    }
  };
  walk(dir);
  return h.digest('hex');
}

beforeAll(async () => {
  await requireRootAndBuild();
  requireTools('runc', 'umoci', 'skopeo', 'podman', 'busybox');
  work = scratchDir('whittle-ctr-refs-');
  rootfs = path.join(work.dir, 'rootfs');
  addBusybox(rootfs);
  writeFileSync(path.join(rootfs, 'etc', 'motd'), 'motd of the test image\n');
  mkdirSync(path.join(rootfs, 'data'));
  writeFileSync(path.join(rootfs, 'data', 'one'), '1\n');
  bundle = makeImageBundle(path.join(work.dir, 'bundle'), rootfs, command);
  layout = path.join(work.dir, 'layout');
  makeLayout(layout, 'v1', rootfs, command);
  execFileSync('skopeo', ['copy', '--quiet', `oci:${layout}:v1`, `oci-archive:${path.join(work.dir, 'image.oci.tar')}:v1`]);
  execFileSync('skopeo', ['copy', '--quiet', `oci:${layout}:v1`, `docker-archive:${path.join(work.dir, 'image.docker.tar')}:whittle/busybox:v1`]);
  storageEnv = podmanStorage(path.join(work.dir, 'podman')).env;
  loadIntoPodman(layout, 'v1', image, storageEnv);
}, 300_000);

afterAll(async () => {
  if (work) await removeTestImage(work, image, storageEnv);
});

async function learnRef(ref: string, name: string, extra: string[] = []) {
  const snapshot = path.join(work.dir, `${name}.json`);
  const r = await runWhittle(['learn', '--headless', '--container', ref, '--runtime', 'runc', '--snapshot', snapshot, '--force', ...extra], { env: storageEnv });
  const s = existsSync(snapshot) ? await runWhittle(['show', '--json', snapshot]) : undefined;
  return { ...r, snapshot, json: s ? (JSON.parse(s.stdout) as ShowJson & { runtimeLayer: Array<{ name: string }>; container: { refKind: string; ref: string } }) : undefined };
}

describe('learning through runc, whatever REF is', () => {
  it("a bundle: the container runs on a copy — the bundle's config.json and rootfs are unchanged", async () => {
    const config = readFileSync(path.join(bundle, 'config.json'));
    const before = treeHash(rootfs);
    const r = await learnRef(bundle, 'bundle');
    expect(r.stdout).toBe('motd of the test image\none\n');
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(path.join(bundle, 'config.json')).equals(config)).toBe(true);
    expect(existsSync(path.join(rootfs, 'marker')), 'what the container wrote went to the scratch copy').toBe(false);
    expect(treeHash(rootfs)).toBe(before);
    const j = r.json!;
    expect(j.container.refKind).toBe('bundle');
    // as the container sees them: /marker, /etc/motd, /data — not the rootfs's host path
    const paths = j.paths.map((p) => `${p.access} ${p.path}`);
    expect(paths).toContain('create /marker');
    expect(paths).toContain('read /etc/motd');
    expect(paths).toContain('readdir /data');
    expect(paths.filter((p) => p.includes(work.dir))).toEqual([]);
    expect(j.runtimeLayer.map((x) => x.name)).toEqual(expect.arrayContaining(['execve', 'fstatfs']));
    // the runtime's calls are not the workload's: runc's fstatfs is not among the image's own
    expect(j.syscalls.map((x) => x.name)).not.toContain('fstatfs');
  });

  it.each([
    ['an OCI image layout', () => layout, 'oci-layout'],
    ['an OCI image layout with its tag', () => `${layout}:v1`, 'oci-layout'],
    ['an OCI archive', () => path.join(work.dir, 'image.oci.tar'), 'oci-archive'],
    ['a docker archive', () => path.join(work.dir, 'image.docker.tar'), 'docker-archive'],
    ["an image in podman's storage", () => image, 'podman-image'],
  ] as const)('%s: unpacked into a scratch bundle and run', async (_what, ref, kind) => {
    const r = await learnRef(ref(), `ref-${kind}`);
    expect(r.stdout, r.stderr).toBe('motd of the test image\none\n');
    expect(r.code, r.stderr).toBe(0);
    expect(r.json!.container.refKind).toBe(kind);
    expect(r.json!.paths.some((p) => p.path === '/etc/motd' && p.access === 'read')).toBe(true);
    expect(r.json!.workload.argv).toEqual(command);
  });

  it('a command after -- replaces the image\'s', async () => {
    const r = await learnRef(layout, 'override', ['--', '/bin/echo', 'from the command line']);
    expect(r.stdout).toBe('from the command line\n');
    expect(r.code, r.stderr).toBe(0);
    expect(r.json!.workload.argv).toEqual(['/bin/echo', 'from the command line']);
    expect(r.json!.execs.map((e) => e.argv0)).toContain('/bin/echo');
  });

  it("the container's exit status passes through", async () => {
    const r = await learnRef(bundle, 'status', ['--', '/bin/sh', '-c', 'exit 7']);
    expect(r.code, r.stderr).toBe(7);
    expect(r.json!.workload.exitStatus).toBe(7);
  });
});
