/**
 * Container images for the container tests, built here (no registry is reachable):
 *
 * - busybox: busybox-static and its applets, as an OCI bundle, an OCI image layout, an OCI
 *   archive and an image in a test's own podman storage;
 * - service: a small Debian-based image with a real service, assembled from the host's Debian
 *   packages (python3.11-minimal, libpython3.11-stdlib and the libraries the interpreter and its
 *   extension modules link to, found with ldd) plus busybox-static for a shell and wget. Its
 *   command starts `python3 -m http.server` on 127.0.0.1 in the container's own (empty) network
 *   namespace, asks it for a page from inside the container, prints the answer and stops it.
 *
 * The service's rootfs and layout are cached under $WHITTLE_TEST_CACHE (default
 * /var/tmp/whittle-test-images) keyed by a hash of the builder and the host packages' versions:
 * building takes a few seconds, once.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The service's page, and the words its command prints when the page came back. */
export const SERVICE_TOKEN = 'whittle-service-page-7f3a';

/**
 * The service image's command: start the service, then ask it for a page from inside the
 * container (the client is Python: busybox-static's wget crashes in NSS once a shared glibc is
 * in the image) and stop it. The client takes the shell's place (exec), so it is the service's
 * parent and waits for it itself: a shell's `wait` makes different calls depending on whether
 * the child already exited (busybox sh spins on rt_sigsuspend's EPERM when the profile learned
 * the other way), and a profile learned from one run must fit the next. Exit 0 with
 * "service answered: TOKEN"; 3 when the service died (its log follows); 4 when it never answered.
 */
export const SERVICE_SCRIPT = `#!/bin/sh
python3 -m http.server 8000 --bind 127.0.0.1 --directory /srv/www >/tmp/server.log 2>&1 &
exec python3 /usr/local/lib/ask-service.py $!
`;

export const ASK_SCRIPT = `import os, signal, sys, time, urllib.request
# The same calls every time, however soon the service is up: each round checks that the service
# is still alive, waits a little, then asks.
pid = int(sys.argv[1])
deadline = time.monotonic() + 30
rc = 4
while time.monotonic() < deadline:
    if os.waitpid(pid, os.WNOHANG)[0] == pid:
        print('the service died:', open('/tmp/server.log').read(), flush=True)
        sys.exit(3)
    time.sleep(0.02)
    try:
        page = urllib.request.urlopen('http://127.0.0.1:8000/index.html', timeout=5).read().decode().strip()
        print('service answered:', page, flush=True)
        rc = 0
        break
    except OSError:
        pass
if rc:
    print('the service did not answer:', open('/tmp/server.log').read(), flush=True)
# the thread that answered has ended (it makes calls of its own on the way out) before the stop
for _ in range(250):
    with open('/proc/%d/status' % pid) as f:
        if '\\nThreads:\\t1\\n' in f.read():
            break
    time.sleep(0.02)
os.kill(pid, signal.SIGTERM)
os.waitpid(pid, 0)
sys.exit(rc)
`;

const BUILDER = 'service-image v6';

function sh(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: opts.env ?? process.env, cwd: opts.cwd, maxBuffer: 64 << 20, timeout: 600_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
  return r.stdout;
}

export function cacheRoot(): string {
  return process.env.WHITTLE_TEST_CACHE || '/var/tmp/whittle-test-images';
}

/** Copy a host file to the same path under root (its content, following symlinks). */
function copyHostFile(root: string, file: string): void {
  const to = path.join(root, file);
  if (existsSync(to)) return;
  mkdirSync(path.dirname(to), { recursive: true });
  copyFileSync(realpathSync(file), to);
  chmodSync(to, statSync(realpathSync(file)).mode & 0o7777);
}

/** The shared libraries a program or extension module loads (ldd), as host paths. */
function libsOf(file: string): string[] {
  const r = spawnSync('ldd', [file], { encoding: 'utf8' });
  if (r.status !== 0) return [];
  const out: string[] = [];
  for (const line of r.stdout.split('\n')) {
    const m = /=>\s+(\/\S+)/.exec(line) ?? /^\s+(\/\S+)\s+\(/.exec(line);
    if (m) out.push(m[1]!);
  }
  return out;
}

function copyTree(from: string, to: string, skip: Set<string>): void {
  mkdirSync(to, { recursive: true });
  for (const e of readdirSync(from, { withFileTypes: true })) {
    if (skip.has(e.name)) continue;
    const a = path.join(from, e.name);
    const b = path.join(to, e.name);
    if (e.isDirectory()) copyTree(a, b, skip);
    else if (e.isSymbolicLink()) symlinkSync(readlinkSafe(a), b);
    else if (e.isFile()) copyFileSync(a, b);
  }
}

function readlinkSafe(p: string): string {
  return execFileSync('readlink', [p], { encoding: 'utf8' }).trim();
}

/** busybox-static and a symlink for each applet in root/bin, plus /etc/passwd and /tmp. */
export function addBusybox(root: string): void {
  for (const d of ['bin', 'proc', 'dev', 'sys', 'tmp', 'etc', 'root']) mkdirSync(path.join(root, d), { recursive: true });
  chmodSync(path.join(root, 'tmp'), 0o1777);
  const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((b) => existsSync(b));
  if (!busybox) throw new Error('busybox-static is not installed: apt-get install busybox-static');
  copyFileSync(realpathSync(busybox), path.join(root, 'bin', 'busybox'));
  chmodSync(path.join(root, 'bin', 'busybox'), 0o755);
  const applets = execFileSync(busybox, ['--list'], { encoding: 'utf8' }).split('\n').filter((a) => a && a !== 'busybox');
  for (const a of applets) if (!existsSync(path.join(root, 'bin', a))) symlinkSync('busybox', path.join(root, 'bin', a));
  writeFileSync(path.join(root, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n');
  writeFileSync(path.join(root, 'etc', 'group'), 'root:x:0:\nnogroup:x:65534:\n');
}

function hostVersions(): string {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Package} ${Version}\n', 'python3.11-minimal', 'libpython3.11-stdlib', 'libc6', 'zlib1g', 'libexpat1', 'busybox-static'], { encoding: 'utf8' });
  return r.stdout;
}

/** The service image's rootfs (cached). */
export function serviceRootfs(): string {
  if (!existsSync('/usr/bin/python3.11')) throw new Error('python3.11 is not installed on the host: apt-get install python3 (the service image is assembled from its packages)');
  const key = createHash('sha256').update(BUILDER).update(hostVersions()).update(SERVICE_SCRIPT).update(ASK_SCRIPT).digest('hex').slice(0, 16);
  const dir = path.join(cacheRoot(), `service-${key}`);
  const rootfs = path.join(dir, 'rootfs');
  if (existsSync(path.join(dir, 'done'))) return rootfs;
  rmSync(dir, { recursive: true, force: true });
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  const root = path.join(tmp, 'rootfs');
  mkdirSync(root, { recursive: true });
  addBusybox(root);
  // the interpreter, its standard library (without tests, IDLE, Tk and the like) and what they link to
  copyHostFile(root, '/usr/bin/python3.11');
  symlinkSync('python3.11', path.join(root, 'usr/bin/python3'));
  const skip = new Set(['test', 'idlelib', 'tkinter', 'turtledemo', 'ensurepip', 'lib2to3', 'pydoc_data', '__pycache__', 'unittest', 'distutils', 'site-packages', 'dist-packages', 'config-3.11-x86_64-linux-gnu']);
  copyTree('/usr/lib/python3.11', path.join(root, 'usr/lib/python3.11'), skip);
  const objects = ['/usr/bin/python3.11', ...readdirSync('/usr/lib/python3.11/lib-dynload').filter((f) => f.endsWith('.so')).map((f) => `/usr/lib/python3.11/lib-dynload/${f}`)];
  for (const o of objects) for (const lib of libsOf(o)) copyHostFile(root, lib);
  mkdirSync(path.join(root, 'srv/www'), { recursive: true });
  writeFileSync(path.join(root, 'srv/www/index.html'), `${SERVICE_TOKEN}\n`);
  mkdirSync(path.join(root, 'usr/local/bin'), { recursive: true });
  writeFileSync(path.join(root, 'usr/local/bin/service-check'), SERVICE_SCRIPT);
  chmodSync(path.join(root, 'usr/local/bin/service-check'), 0o755);
  mkdirSync(path.join(root, 'usr/local/lib'), { recursive: true });
  writeFileSync(path.join(root, 'usr/local/lib/ask-service.py'), ASK_SCRIPT);
  writeFileSync(path.join(tmp, 'done'), new Date().toISOString() + '\n');
  mkdirSync(path.dirname(dir), { recursive: true });
  renameSync(tmp, dir);
  return rootfs;
}

/** The service image's command and environment. */
export const serviceCommand = ['/usr/local/bin/service-check'];
export const imageEnv = ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOME=/root', 'LANG=C.UTF-8'];

/**
 * An OCI bundle: config.json from `runc spec` (terminal off, the command, root.path the given
 * rootfs by absolute path — whittle runs it on an overlay, never on the rootfs itself — with a
 * tmpfs at /tmp), in dir.
 */
export function makeImageBundle(dir: string, rootfs: string, args: string[], o: { readonly?: boolean; noNewPrivileges?: boolean } = {}): string {
  mkdirSync(dir, { recursive: true });
  rmSync(path.join(dir, 'config.json'), { force: true });
  execFileSync('runc', ['spec', '--bundle', dir]);
  const file = path.join(dir, 'config.json');
  const c = JSON.parse(readFileSync(file, 'utf8'));
  c.process.terminal = false;
  c.process.args = args;
  c.process.env = imageEnv;
  if (o.noNewPrivileges !== undefined) c.process.noNewPrivileges = o.noNewPrivileges;
  c.root = { path: rootfs, readonly: o.readonly ?? false };
  c.mounts.push({ destination: '/tmp', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'nodev', 'mode=1777', 'size=64m'] });
  c.hostname = 'whittle-test';
  writeFileSync(file, JSON.stringify(c, null, 2) + '\n');
  return dir;
}

/** An OCI image layout at layoutDir:tag holding rootfs as one layer, with the command. */
export function makeLayout(layoutDir: string, tag: string, rootfs: string, cmd: string[]): void {
  const work = `${layoutDir}.unpack-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  if (!existsSync(path.join(layoutDir, 'oci-layout'))) sh('umoci', ['init', '--layout', layoutDir]);
  sh('umoci', ['new', '--image', `${layoutDir}:${tag}`]);
  sh('umoci', ['unpack', '--image', `${layoutDir}:${tag}`, work]);
  sh('cp', ['-a', `${rootfs}/.`, path.join(work, 'rootfs')]);
  sh('umoci', ['repack', '--image', `${layoutDir}:${tag}`, work]);
  const cfg = ['config', '--image', `${layoutDir}:${tag}`, '--config.workingdir', '/'];
  for (const e of imageEnv) cfg.push('--config.env', e);
  cfg.push('--config.cmd', cmd[0]!);
  for (const a of cmd.slice(1)) cfg.push('--config.cmd', a);
  sh('umoci', cfg);
  sh('umoci', ['gc', '--layout', layoutDir]);
  rmSync(work, { recursive: true, force: true });
}

/** The service image as an OCI layout (cached beside its rootfs). */
export function serviceLayout(): { layout: string; tag: string } {
  const rootfs = serviceRootfs();
  const layout = path.join(path.dirname(rootfs), 'layout');
  if (!existsSync(path.join(path.dirname(rootfs), 'layout-done'))) {
    rmSync(layout, { recursive: true, force: true });
    makeLayout(layout, 'service', rootfs, serviceCommand);
    writeFileSync(path.join(path.dirname(rootfs), 'layout-done'), '');
  }
  return { layout, tag: 'service' };
}

/** podman storage of a test's own (vfs, in dir), given to podman and skopeo through CONTAINERS_STORAGE_CONF. */
export function podmanStorage(dir: string): { env: Record<string, string>; conf: string } {
  mkdirSync(dir, { recursive: true });
  const conf = path.join(dir, 'storage.conf');
  writeFileSync(conf, `[storage]\ndriver = "vfs"\ngraphroot = "${path.join(dir, 'root')}"\nrunroot = "${path.join(dir, 'run')}"\n`);
  return { env: { CONTAINERS_STORAGE_CONF: conf }, conf };
}

/** Copy an OCI layout's image into podman's storage as name. */
export function loadIntoPodman(layout: string, tag: string, name: string, env: Record<string, string>): void {
  sh('skopeo', ['copy', '--quiet', `oci:${layout}:${tag}`, `containers-storage:${name}`], { env: { ...process.env, ...env } });
}

/** Wait until no process still uses dir (podman's cleanup after --rm runs in the background). */
export async function processesDone(dir: string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const busy = readdirSync('/proc').filter((pid) => {
      if (!/^\d+$/.test(pid) || Number(pid) === process.pid) return false;
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir) || readFileSync(`/proc/${pid}/environ`, 'utf8').includes(dir);
      } catch {
        return false;
      }
    });
    if (busy.length === 0) return;
    if (Date.now() > end) throw new Error(`processes still using ${dir}: ${busy.join(' ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A container test's teardown: remove its podman image, wait for what still uses its scratch dir, remove that. */
export async function removeTestImage(work: { dir: string; cleanup: () => void }, image: string, storageEnv: Record<string, string>): Promise<void> {
  spawnSync('podman', ['rmi', '--force', image], { env: { ...process.env, ...storageEnv }, stdio: 'ignore' });
  await processesDone(work.dir);
  work.cleanup();
}
