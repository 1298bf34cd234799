/**
 * Bad input to learn/run --container, each a clear message and exit 125 with nothing run and no
 * snapshot: an image that does not exist, a bundle whose config.json is broken, a runtime that
 * is not installed, and crun on a hybrid cgroup layout it refuses — which `whittle doctor`
 * explains and `whittle doctor --fix-crun` (only when asked) fixes.
 *
 * The crun failure is made in a private mount namespace (unshare -m), never on the machine: a
 * hybrid layout whose cgroup2 lists a controller (a file bound over
 * /sys/fs/cgroup/unified/cgroup.controllers, which is what crun reads) with that controller's v1
 * hierarchy unmounted. crun itself refuses it the same way there.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addBusybox, makeImageBundle } from '../helpers/container-images.js';
import { requireTools } from '../helpers/bundle.js';
import { requireRootAndBuild } from '../helpers/setup.js';
import { runWhittle, scratchDir, whittleCli } from '../helpers/whittle.js';

let work: { dir: string; cleanup: () => void };
let bundle: string;
/** A good profile (the bundle learned through runc, everything accepted), for the run cases. */
let profile: string;

beforeAll(async () => {
  await requireRootAndBuild();
  requireTools('runc', 'crun', 'unshare', 'busybox');
  work = scratchDir('whittle-ctr-bad-');
  const rootfs = path.join(work.dir, 'rootfs');
  addBusybox(rootfs);
  bundle = makeImageBundle(path.join(work.dir, 'bundle'), rootfs, ['/bin/echo', 'the container ran']);
  profile = path.join(work.dir, 'profile.json');
  const l = await runWhittle(['learn', '--headless', '--container', bundle, '--runtime', 'runc', '--snapshot', profile]);
  expect(l.code, l.stderr).toBe(0);
  expect((await runWhittle(['decide', profile, '--auto', 'accept'])).code).toBe(0);
}, 120_000);

afterAll(() => work?.cleanup());

function expectRefused(r: { code: number | null; stderr: string; stdout: string }, message: RegExp, snapshot?: string) {
  expect(r.stderr).toMatch(message);
  expect(r.stderr).toMatch(/whittle: hint: /);
  expect(r.stdout).not.toContain('the container ran');
  expect(r.code).toBe(125);
  if (snapshot) expect(existsSync(snapshot), 'no snapshot is written').toBe(false);
}

describe('learn and run --container refuse bad input with a clear message', () => {
  it('an image that does not exist', async () => {
    const snap = path.join(work.dir, 'none.json');
    const r = await runWhittle(['learn', '--headless', '--container', 'localhost/no-such-image:1', '--snapshot', snap]);
    expectRefused(r, /error: no such container image or bundle: localhost\/no-such-image:1 \(not a file or directory here, and not an image in podman's local storage\)/, snap);
    const l = await runWhittle(['learn', '--headless', '--container', `${work.dir}/no-such-layout:v1`, '--snapshot', snap]);
    expectRefused(l, /error: no such container image or bundle/, snap);
  });

  it('a directory that is neither a bundle nor an image layout, and a layout without the tag asked for', async () => {
    const empty = path.join(work.dir, 'empty');
    mkdirSync(empty, { recursive: true });
    expectRefused(await runWhittle(['learn', '--headless', '--container', empty]), /is a directory, but neither an OCI bundle \(no config\.json\) nor an OCI image layout/);
    const layout = path.join(work.dir, 'layout');
    mkdirSync(layout, { recursive: true });
    writeFileSync(path.join(layout, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    writeFileSync(path.join(layout, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: 'sha256:00', size: 1, annotations: { 'org.opencontainers.image.ref.name': 'v1' } }] }));
    expectRefused(await runWhittle(['learn', '--headless', '--container', `${layout}:v2`]), /the image layout .*layout has no tag "v2" \(it has: v1\)/);
  });

  it('a bundle whose config.json is broken', async () => {
    const broken = path.join(work.dir, 'broken');
    mkdirSync(broken, { recursive: true });
    writeFileSync(path.join(broken, 'config.json'), '{"ociVersion": "1.0.2", "process": {');
    const snap = path.join(work.dir, 'broken.json');
    expectRefused(await runWhittle(['learn', '--headless', '--container', broken, '--snapshot', snap]), /error: .*broken\/config\.json is not valid JSON: /, snap);
    writeFileSync(path.join(broken, 'config.json'), JSON.stringify({ ociVersion: '1.0.2', process: { args: ['/bin/true'] } }));
    expectRefused(await runWhittle(['learn', '--headless', '--container', broken, '--snapshot', snap]), /config\.json is not an OCI runtime configuration: "root\.path" is missing/, snap);
    writeFileSync(path.join(broken, 'config.json'), JSON.stringify({ ociVersion: '1.0.2', process: { args: ['/bin/true'] }, root: { path: 'no-rootfs' } }));
    expectRefused(await runWhittle(['run', '--container', broken, '--profile', profile]), /config\.json names a root filesystem that does not exist: .*no-rootfs/);
  });

  it('a runtime that is not installed', async () => {
    const bin = path.join(work.dir, 'bin');
    mkdirSync(bin, { recursive: true });
    const snap = path.join(work.dir, 'nort.json');
    for (const rt of ['runc', 'crun', 'podman']) {
      const r = await runWhittle(['learn', '--headless', '--container', bundle, '--runtime', rt, '--snapshot', snap], { env: { PATH: bin } });
      expectRefused(r, new RegExp(`error: the container runtime ${rt} is not installed \\(no ${rt} on PATH\\)`), snap);
      expect(r.stderr).toContain(`apt-get install ${rt}`);
    }
    const docker = await runWhittle(['learn', '--headless', '--container', bundle, '--runtime', 'docker']);
    expect(docker.stderr).toContain("argument 'docker' is invalid. Allowed choices are runc, crun, podman.");
    expect(docker.code).toBe(125);
  });

  it("crun's hybrid cgroup failure: learn and run refuse with the reason, doctor explains the fix, and --fix-crun applies it only when asked", () => {
    const fake = path.join(work.dir, 'cgroup.controllers');
    writeFileSync(fake, 'hugetlb\n');
    const node = process.execPath;
    const snap = path.join(work.dir, 'hybrid.json');
    const script = `
set -u
mount --bind ${fake} /sys/fs/cgroup/unified/cgroup.controllers
umount /sys/fs/cgroup/hugetlb 2>/dev/null
echo "== crun"; crun run --bundle ${bundle} whittle-hybrid-$$ 2>&1; echo "rc=$?"
echo "== learn"; ${node} ${whittleCli} learn --headless --container ${bundle} --runtime crun --snapshot ${snap} 2>&1; echo "rc=$?"
echo "== run"; ${node} ${whittleCli} run --container ${bundle} --runtime crun --profile ${profile} 2>&1; echo "rc=$?"
echo "== doctor"; ${node} ${whittleCli} doctor 2>&1; echo "rc=$?"
echo "== mounted before the fix"; grep -c ' /sys/fs/cgroup/hugetlb ' /proc/self/mountinfo
echo "== fix"; ${node} ${whittleCli} doctor --fix-crun 2>&1; echo "rc=$?"
echo "== mounted after the fix"; grep -c ' /sys/fs/cgroup/hugetlb ' /proc/self/mountinfo
umount /sys/fs/cgroup/unified/cgroup.controllers
echo "== learn after"; ${node} ${whittleCli} learn --headless --container ${bundle} --runtime crun --snapshot ${snap}.after 2>&1; echo "rc=$?"
`;
    const r = spawnSync('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1' } });
    const part = (name: string) => r.stdout.split(`== ${name}\n`)[1]?.split('\n== ')[0] ?? '';
    // the simulation is what crun itself refuses
    expect(part('crun'), r.stdout).toContain('cgroups in hybrid mode not supported');
    for (const cmd of ['learn', 'run']) {
      expect(part(cmd)).toMatch(/error: crun cannot run containers on this machine: cgroups are in hybrid mode and cgroup v2 has controllers \(hugetlb\)/);
      expect(part(cmd)).toContain('whittle doctor --fix-crun');
      expect(part(cmd)).toMatch(/rc=125$/);
    }
    expect(existsSync(snap)).toBe(false);
    expect(part('doctor')).toMatch(/warn {2}crun cgroups {5}cgroups are in hybrid mode .* cgroup2 has controllers of its own \(hugetlb\)/);
    expect(part('doctor')).toContain('fix: whittle doctor --fix-crun (it mounts -t cgroup -o hugetlb at /sys/fs/cgroup/hugetlb');
    expect(part('mounted before the fix').trim(), 'doctor alone changes nothing').toBe('0');
    expect(part('fix')).toContain('fix   mounted the hugetlb controller at /sys/fs/cgroup/hugetlb (cgroup v1)');
    expect(part('mounted after the fix').trim()).toBe('1');
    // cgroup2 gives the controller up once its v1 hierarchy is mounted (here the bound file stands in for that)
    expect(part('learn after')).toContain('the container ran');
    expect(part('learn after')).toMatch(/rc=0\s*$/);
    expect(JSON.parse(readFileSync(`${snap}.after`, 'utf8')).container.runtime).toBe('crun');
  });
});
