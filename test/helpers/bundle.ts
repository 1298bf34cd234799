/**
 * OCI runtime bundles for the tests that run exported profiles under real runtimes (runc, crun):
 * a busybox-static rootfs plus statically linked test programs, a config.json from `runc spec`,
 * and a way to run the bundle and collect its exit code and output.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export type OciRuntime = 'runc' | 'crun';

/** The parts of an OCI config.json the tests touch. */
export interface OciConfig {
  ociVersion: string;
  process: {
    terminal: boolean;
    args: string[];
    env: string[];
    cwd: string;
    noNewPrivileges?: boolean;
    user: { uid: number; gid: number; additionalGids?: number[] };
    [k: string]: unknown;
  };
  root: { path: string; readonly?: boolean };
  linux: { seccomp?: unknown; [k: string]: unknown };
  [k: string]: unknown;
}

export interface Bundle {
  /** The bundle directory (a real path: runc rejects a symlinked rootfs). */
  dir: string;
  rootfs: string;
  config(): OciConfig;
  writeConfig(c: OciConfig): void;
  /** Put a seccomp object (e.g. `whittle export --format oci`'s file) under linux.seccomp; undefined removes it. */
  setSeccomp(profile: string | object | undefined): void;
  cleanup(): void;
}

/** Fail loudly when a tool the test needs is missing (never skip). */
export function requireTools(...tools: string[]): void {
  const missing = tools.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`], { stdio: 'ignore' }).status !== 0);
  if (missing.length) throw new Error(`missing tool(s): ${missing.join(', ')} — install them (apt-get install ${missing.join(' ')}; busybox comes from busybox-static)`);
}

export interface BundleOptions {
  /** process.args (default: /bin/sh). */
  args?: string[];
  /** Host files copied into the rootfs: container path → host path (made executable). */
  files?: Record<string, string>;
  /** process.noNewPrivileges (runc spec's default is true; Docker and podman default to false). */
  noNewPrivileges?: boolean;
  /** Extra files written into the rootfs: container path → content. */
  write?: Record<string, string>;
}

/**
 * A bundle in a fresh temp dir: rootfs with /bin/busybox (busybox-static) and a symlink for each
 * applet, the given programs, and `runc spec`'s config.json with terminal off, the given args and a
 * writable rootfs. The spec's namespaces stay (a new, empty network namespace is fine).
 */
export function makeBundle(opts: BundleOptions = {}): Bundle {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'whittle-bundle-')));
  const rootfs = path.join(dir, 'rootfs');
  for (const d of ['bin', 'proc', 'dev', 'sys', 'tmp', 'etc', 'root']) mkdirSync(path.join(rootfs, d), { recursive: true });
  const busybox = path.join(rootfs, 'bin', 'busybox');
  copyFileSync(realpathSync('/bin/busybox'), busybox);
  chmodSync(busybox, 0o755);
  const applets = execFileSync('/bin/busybox', ['--list'], { encoding: 'utf8' }).split('\n').filter((a) => a && a !== 'busybox');
  for (const a of applets) symlinkSync('busybox', path.join(rootfs, 'bin', a));
  for (const [dest, src] of Object.entries(opts.files ?? {})) {
    const to = path.join(rootfs, dest);
    mkdirSync(path.dirname(to), { recursive: true });
    rmSync(to, { force: true });
    copyFileSync(src, to);
    chmodSync(to, 0o755);
  }
  for (const [dest, content] of Object.entries(opts.write ?? {})) {
    const to = path.join(rootfs, dest);
    mkdirSync(path.dirname(to), { recursive: true });
    writeFileSync(to, content);
  }
  execFileSync('runc', ['spec', '--bundle', dir]);
  const configPath = path.join(dir, 'config.json');
  const config = (): OciConfig => JSON.parse(readFileSync(configPath, 'utf8')) as OciConfig;
  const writeConfig = (c: OciConfig) => writeFileSync(configPath, JSON.stringify(c, null, 2) + '\n');
  const c = config();
  c.process.terminal = false;
  c.process.args = opts.args ?? ['/bin/sh'];
  if (opts.noNewPrivileges !== undefined) c.process.noNewPrivileges = opts.noNewPrivileges;
  c.root.readonly = false;
  writeConfig(c);
  return {
    dir,
    rootfs,
    config,
    writeConfig,
    setSeccomp(profile) {
      const cfg = config();
      if (profile === undefined) delete cfg.linux.seccomp;
      else cfg.linux.seccomp = typeof profile === 'string' ? JSON.parse(readFileSync(profile, 'utf8')) : profile;
      writeConfig(cfg);
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function isMountPoint(p: string): boolean {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .some((l) => l.split(' ')[4] === p);
}

/**
 * crun 1.8.1 refuses to run on this machine's hybrid cgroup layout ("cgroups in hybrid mode not
 * supported"): the v1 controllers are mounted, but not hugetlb, and crun's hybrid detection then
 * gives up. Mounting the hugetlb v1 controller at /sys/fs/cgroup/hugetlb makes the layout one crun
 * accepts. It changes nothing for runc or other programs. Idempotent: does nothing when it is
 * already mounted.
 */
export function crunCgroupWorkaround(): void {
  const at = '/sys/fs/cgroup/hugetlb';
  if (isMountPoint(at)) return;
  mkdirSync(at, { recursive: true });
  const r = spawnSync('mount', ['-t', 'cgroup', '-o', 'hugetlb', 'cgroup', at], { encoding: 'utf8' });
  if (r.status !== 0 && !isMountPoint(at)) throw new Error(`crun workaround: mount -t cgroup -o hugetlb failed: ${r.stderr}`);
}

export interface RuntimeRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  id: string;
}

let seq = 0;

/**
 * `RUNTIME run -b DIR ID` with a unique ID, stdin from /dev/null; the container's stdout and stderr
 * are the runtime's (terminal is off), so both end up here together with the runtime's own errors.
 * The container is deleted afterwards (`RUNTIME delete -f ID`), also after a timeout.
 */
export async function runBundle(runtime: OciRuntime, bundle: Bundle, opts: { timeoutMs?: number } = {}): Promise<RuntimeRun> {
  if (runtime === 'crun') crunCgroupWorkaround();
  const id = `whittle-${process.pid}-${Date.now().toString(36)}-${++seq}`;
  try {
    return await new Promise<RuntimeRun>((resolve, reject) => {
      const child = spawn(runtime, ['run', '-b', bundle.dir, id], { stdio: ['ignore', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      const timer = setTimeout(() => {
        spawnSync(runtime, ['kill', id, 'KILL'], { stdio: 'ignore' });
        child.kill('SIGKILL');
      }, opts.timeoutMs ?? 60_000);
      child.on('error', reject);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), id });
      });
    });
  } finally {
    spawnSync(runtime, ['delete', '-f', id], { stdio: 'ignore' });
  }
}
