/**
 * Containers for `whittle learn --container REF` and `whittle run --container REF`: what REF is
 * (an OCI bundle, an OCI image layout or archive, a docker archive, an image in podman's local
 * storage), which runtime runs it (runc, crun, podman) and whether it can here, and a scratch
 * copy to run: the user's bundle and config.json are never modified.
 *
 * The scratch bundle's rootfs is an overlay whose lower layer is the user's rootfs (what the
 * container writes goes to the scratch dir); images are unpacked with umoci (archives copied to
 * an OCI layout with skopeo first). The container's cgroup is made below the tracer's session
 * cgroup ("@WHITTLE_CGROUP@", filled in by the tracer), so whittle's in-kernel probes see it.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { InputError } from '../store/errors.js';
import type { SnapshotDoc } from '../store/schema.js';

const exec = promisify(execFile);

export const runtimes = ['runc', 'crun', 'podman'] as const;
export type Runtime = (typeof runtimes)[number];
export type RefKind = NonNullable<SnapshotDoc['container']>['refKind'];
export type ContainerMeta = NonNullable<SnapshotDoc['container']>;

/** Placeholder the tracer replaces with its session's cgroup (tracer/src/container.c). */
export const CGROUP_PLACEHOLDER = '@WHITTLE_CGROUP@';

/** What the runtime looks like once it installed the container's filter: its calls are its own layer. */
export const runtimeMarks = {
  // The runtime's binary is outside the container's root by then: the kernel names its exe "/"
  // (measured: runc 1.1.5 and crun 1.8.1, in RET_LOG records and /proc/PID/exe alike).
  exes: ['/'],
  comms: ['runc:[2:INIT]', 'crun'],
};

export interface RuntimeInfo {
  runtime: Runtime;
  version: string;
  /** podman: the OCI runtime it runs containers with */
  ociRuntime?: string;
}

function onPath(tool: string): string | undefined {
  for (const dir of (process.env.PATH || '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin').split(':')) {
    const p = path.join(dir || '.', tool);
    try {
      if (statSync(p).isFile()) return p;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

/** The runtime, installed and answering; otherwise an InputError that says so. */
export async function runtimeInfo(rt: Runtime): Promise<RuntimeInfo> {
  if (!onPath(rt)) {
    throw new InputError(`the container runtime ${rt} is not installed (no ${rt} on PATH)`, `install it (apt-get install ${rt}), or choose another with --runtime ${runtimes.filter((r) => r !== rt).join('|')}`);
  }
  let text: string;
  try {
    const r = await exec(rt, ['--version'], { timeout: 20_000 });
    text = `${r.stdout}\n${r.stderr}`;
  } catch (e) {
    throw new InputError(`the container runtime ${rt} does not run: ${(e as Error).message.split('\n')[0]}`, `reinstall it, or choose another with --runtime`);
  }
  const version = /version\s+(\d+\.\d+(?:\.\d+)?)/i.exec(text)?.[1] ?? 'unknown';
  const info: RuntimeInfo = { runtime: rt, version };
  if (rt === 'podman') info.ociRuntime = podmanOciRuntime();
  return info;
}

/** podman's default OCI runtime, from containers.conf (crun on Debian 12 when not set). */
function podmanOciRuntime(): string {
  for (const f of ['/etc/containers/containers.conf', '/usr/share/containers/containers.conf']) {
    try {
      const m = /^\s*runtime\s*=\s*"([^"]+)"/m.exec(readFileSync(f, 'utf8'));
      if (m) return m[1]!;
    } catch {
      /* not there */
    }
  }
  return onPath('crun') ? 'crun' : 'runc';
}

/** podman's default capabilities (containers.conf), as CAP_ names. */
export function podmanDefaultCapabilities(): { set: string[]; source: string } {
  for (const f of ['/etc/containers/containers.conf', '/usr/share/containers/containers.conf']) {
    try {
      const m = /^\s*default_capabilities\s*=\s*\[([^\]]*)\]/m.exec(readFileSync(f, 'utf8'));
      if (m) {
        const set = [...m[1]!.matchAll(/"([A-Z_]+)"/g)].map((x) => (x[1]!.startsWith('CAP_') ? x[1]! : `CAP_${x[1]!}`));
        return { set, source: `podman's default (${f})` };
      }
    } catch {
      /* not there */
    }
  }
  const set = ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT'].map((c) => `CAP_${c}`);
  return { set, source: "podman 4.3's built-in default" };
}

/**
 * crun 1.8.1 refuses a hybrid cgroup layout (v1 controllers, cgroup2 at /sys/fs/cgroup/unified)
 * when cgroup2 has controllers of its own: "cgroups in hybrid mode not supported, drop all
 * controllers from cgroupv2" (it reads /sys/fs/cgroup/unified/cgroup.controllers). Returns those
 * controllers, or null when crun can run here.
 */
export function crunHybridControllers(): string[] | null {
  let mounts: string;
  try {
    mounts = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return null;
  }
  const fsAt = (p: string) => mounts.split('\n').filter((l) => l.split(' ')[4] === p).map((l) => l.split(' - ')[1]?.split(' ')[0]).pop();
  if (fsAt('/sys/fs/cgroup') === 'cgroup2') return null; // unified: fine
  if (fsAt('/sys/fs/cgroup/unified') !== 'cgroup2') return null; // v1 only: no cgroup2 to have controllers
  try {
    const c = readFileSync('/sys/fs/cgroup/unified/cgroup.controllers', 'utf8').trim();
    return c ? c.split(/\s+/) : null;
  } catch {
    return null;
  }
}

/** The InputError for crun on a hybrid layout it refuses. */
export function crunHybridError(controllers: string[], via: string): InputError {
  return new InputError(
    `${via} cannot run containers on this machine: cgroups are in hybrid mode and cgroup v2 has controllers (${controllers.join(', ')}), which crun refuses ("cgroups in hybrid mode not supported")`,
    'run `whittle doctor` for the details, and `whittle doctor --fix-crun` to bind those controllers to cgroup v1 (or use --runtime runc)',
  );
}

/** Bind each controller cgroup2 holds to a v1 hierarchy of its own (the fix `doctor --fix-crun` applies). */
export function fixCrunHybrid(): { mounted: string[]; failed: Array<{ controller: string; error: string }>; remaining: string[] | null } {
  const controllers = crunHybridControllers() ?? [];
  const mounted: string[] = [];
  const failed: Array<{ controller: string; error: string }> = [];
  for (const c of controllers) {
    const at = `/sys/fs/cgroup/${c}`;
    spawnSync('mkdir', ['-p', at]);
    const r = spawnSync('mount', ['-t', 'cgroup', '-o', c, 'cgroup', at], { encoding: 'utf8' });
    if (r.status === 0) mounted.push(`${c} controller at ${at}`);
    else failed.push({ controller: c, error: (r.stderr || `mount exited ${r.status}`).trim() });
  }
  return { mounted, failed, remaining: crunHybridControllers() };
}

/* ---- what REF is ---- */

export interface ResolvedRef {
  ref: string;
  kind: RefKind;
  /** bundle, layout or archive path */
  path?: string;
  /** layout: the tag (ref name) to unpack */
  tag?: string;
  /** podman-image: the image name */
  image?: string;
}

function tarEntries(file: string): string[] {
  const r = spawnSync('tar', ['-tf', file], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) return [];
  return r.stdout.split('\n').map((e) => e.replace(/^\.\//, ''));
}

function layoutTags(dir: string): string[] {
  try {
    const idx = JSON.parse(readFileSync(path.join(dir, 'index.json'), 'utf8')) as { manifests?: Array<{ annotations?: Record<string, string> }> };
    return (idx.manifests ?? []).map((m) => m.annotations?.['org.opencontainers.image.ref.name']).filter((t): t is string => !!t);
  } catch (e) {
    throw new InputError(`${dir}/index.json is not a valid OCI image index: ${(e as Error).message}`, 'make the layout again (umoci, skopeo copy … oci:DIR:TAG)');
  }
}

async function podmanHasImage(image: string): Promise<boolean> {
  if (!onPath('podman')) return false;
  const r = spawnSync('podman', ['image', 'exists', image], { timeout: 60_000 });
  return r.status === 0;
}

/**
 * What REF names: a directory with config.json (an OCI bundle), a directory with oci-layout
 * (an OCI image layout; DIR:TAG picks a tag), a tar file (an OCI archive, or a docker archive),
 * prefixed forms (oci:DIR[:TAG], oci-archive:FILE, docker-archive:FILE, podman:IMAGE,
 * containers-storage:IMAGE), or an image in podman's local storage.
 */
export async function resolveRef(ref: string): Promise<ResolvedRef> {
  const prefixed = /^(oci|oci-archive|docker-archive|podman|containers-storage):(.+)$/.exec(ref);
  if (prefixed) {
    const [, t, rest] = prefixed as unknown as [string, string, string];
    if (t === 'podman' || t === 'containers-storage') return resolvePodman(ref, rest);
    if (t === 'oci') {
      const m = /^(.*?)(?::([^:/]+))?$/.exec(rest)!;
      return resolveLayout(ref, m[1]!, m[2]);
    }
    if (!existsSync(rest)) throw new InputError(`no such image archive: ${rest}`, 'give the path of an existing archive');
    return { ref, kind: t as RefKind, path: path.resolve(rest) };
  }
  if (existsSync(ref)) {
    const st = statSync(ref);
    if (st.isDirectory()) {
      if (existsSync(path.join(ref, 'config.json'))) return { ref, kind: 'bundle', path: path.resolve(ref) };
      if (existsSync(path.join(ref, 'oci-layout'))) return resolveLayout(ref, ref);
      throw new InputError(`${ref} is a directory, but neither an OCI bundle (no config.json) nor an OCI image layout (no oci-layout)`, 'give a bundle directory, an image layout, an image archive, or a podman image name');
    }
    const entries = tarEntries(ref);
    if (entries.includes('oci-layout')) return { ref, kind: 'oci-archive', path: path.resolve(ref) };
    if (entries.includes('manifest.json')) return { ref, kind: 'docker-archive', path: path.resolve(ref) };
    throw new InputError(`${ref} is a file, but not an image archive (a tar with oci-layout, or a docker archive with manifest.json)`, 'give a bundle directory, an image layout, an image archive, or a podman image name');
  }
  // DIR:TAG of a layout
  const m = /^(.*):([^:/]+)$/.exec(ref);
  if (m && existsSync(path.join(m[1]!, 'oci-layout'))) return resolveLayout(ref, m[1]!, m[2]);
  return resolvePodman(ref, ref);
}

function resolveLayout(ref: string, dir: string, tag?: string): ResolvedRef {
  if (!existsSync(path.join(dir, 'oci-layout'))) throw new InputError(`${dir} is not an OCI image layout (no oci-layout file)`, 'give an image layout directory');
  const tags = layoutTags(dir);
  if (tag) {
    if (!tags.includes(tag)) throw new InputError(`the image layout ${dir} has no tag "${tag}"${tags.length ? ` (it has: ${tags.join(', ')})` : ''}`, `give one of its tags: ${dir}:TAG`);
    return { ref, kind: 'oci-layout', path: path.resolve(dir), tag };
  }
  if (tags.length === 1) return { ref, kind: 'oci-layout', path: path.resolve(dir), tag: tags[0] };
  if (tags.length === 0) throw new InputError(`the image layout ${dir} has no tagged image`, 'tag one (umoci tag, or skopeo copy … oci:DIR:TAG)');
  throw new InputError(`the image layout ${dir} has several images (${tags.join(', ')})`, `say which: ${dir}:TAG`);
}

async function resolvePodman(ref: string, image: string): Promise<ResolvedRef> {
  if (await podmanHasImage(image)) return { ref, kind: 'podman-image', image };
  throw new InputError(
    `no such container image or bundle: ${ref} (not a file or directory here${onPath('podman') ? ", and not an image in podman's local storage" : ', and podman is not installed to look it up'})`,
    'give an OCI bundle directory, an OCI image layout (DIR or DIR:TAG), an image archive, or the name of a local podman image (podman images)',
  );
}

/* ---- the bundle's configuration ---- */

export interface OciConfig {
  ociVersion?: string;
  process?: {
    terminal?: boolean;
    args?: string[];
    env?: string[];
    cwd?: string;
    user?: { uid: number; gid: number; additionalGids?: number[] };
    capabilities?: Record<string, string[]>;
    noNewPrivileges?: boolean;
    rlimits?: unknown;
    [k: string]: unknown;
  };
  root?: { path: string; readonly?: boolean };
  mounts?: Array<{ destination: string; type?: string; source?: string; options?: string[] }>;
  linux?: { seccomp?: unknown; cgroupsPath?: string; namespaces?: Array<{ type: string; path?: string }>; [k: string]: unknown };
  [k: string]: unknown;
}

/** Read and check a bundle's config.json: a clear InputError when it is broken. */
export async function readBundleConfig(dir: string, shownAs = dir): Promise<OciConfig> {
  const file = path.join(dir, 'config.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read ${shownAs}/config.json: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 'give an OCI bundle: a directory with config.json and a rootfs');
  }
  let c: OciConfig;
  try {
    c = JSON.parse(text) as OciConfig;
  } catch (e) {
    throw new InputError(`${shownAs}/config.json is not valid JSON: ${(e as Error).message}`, 'fix the file (runc spec writes a valid one), or give another bundle');
  }
  const problems: string[] = [];
  if (typeof c !== 'object' || c === null || Array.isArray(c)) problems.push('it is not a JSON object');
  else {
    if (!c.root || typeof c.root.path !== 'string') problems.push('"root.path" is missing');
    if (!c.process || typeof c.process !== 'object') problems.push('"process" is missing');
    else if (c.process.args !== undefined && (!Array.isArray(c.process.args) || c.process.args.some((a) => typeof a !== 'string'))) problems.push('"process.args" is not a list of strings');
  }
  if (problems.length) throw new InputError(`${shownAs}/config.json is not an OCI runtime configuration: ${problems.join('; ')}`, 'fix the file (runc spec writes a valid one), or give another bundle');
  if (c.root && !existsSync(path.resolve(dir, c.root.path))) {
    throw new InputError(`${shownAs}/config.json names a root filesystem that does not exist: ${path.resolve(dir, c.root.path)}`, 'unpack the rootfs there, or fix "root.path"');
  }
  return c;
}

/* ---- a scratch copy to run ---- */

export interface PreparedContainer {
  runtime: RuntimeInfo;
  ref: ResolvedRef;
  /** The runtime's command ("@WHITTLE_CGROUP@" inside is the tracer's to fill). */
  argv: string[];
  /** runc/crun: the scratch bundle's config.json (the tracer fills its cgroup in). */
  config?: string;
  id: string;
  /** The container's own command (what the snapshot calls the workload). */
  processArgs: string[];
  meta: ContainerMeta;
  work: string;
  /** Extra runtime flags (seccomp flags this runtime takes). */
  cleanup(): Promise<void>;
}

export interface PrepareOptions {
  ref: string;
  runtime?: Runtime;
  /** Overrides the image's command. */
  argv: string[];
  /** The linux.seccomp object for this runtime (learn: the learn profile; run: the policy's). Given the scratch dir, e.g. for a listener path. */
  seccomp: (work: string, rt: RuntimeInfo) => Promise<Record<string, unknown>>;
  /** run: the capabilities the policy accepts (the container keeps those of its set only). */
  capabilities?: string[];
}

/** The runtime when none is asked for: podman for a podman image, else runc (crun when runc is missing). */
export function defaultRuntime(kind: RefKind): Runtime {
  if (kind === 'podman-image') return 'podman';
  return onPath('runc') || !onPath('crun') ? 'runc' : 'crun';
}

async function sh(cmd: string, args: string[], what: string, hint: string): Promise<string> {
  try {
    const r = await exec(cmd, args, { maxBuffer: 64 << 20, timeout: 600_000 });
    return r.stdout;
  } catch (e) {
    const err = e as { code?: string; stderr?: string; message: string };
    if (err.code === 'ENOENT') throw new InputError(`${what}: ${cmd} is not installed`, `apt-get install ${cmd}`);
    throw new InputError(`${what}: ${(err.stderr || err.message).trim().split('\n').slice(-3).join(' ')}`, hint);
  }
}

/** My own process limits (podman would otherwise ask for more than whittle has: no CAP_SYS_RESOURCE). */
function ownLimits(): { nofile?: string; nproc?: string } {
  try {
    const t = readFileSync('/proc/self/limits', 'utf8');
    const get = (label: string) => {
      const m = new RegExp(`^${label}\\s+(\\S+)\\s+(\\S+)`, 'm').exec(t);
      if (!m) return undefined;
      const soft = m[1] === 'unlimited' ? '-1' : m[1]!;
      const hard = m[2] === 'unlimited' ? '-1' : m[2]!;
      return `${soft}:${hard}`;
    };
    // podman 4.3.1 runs (and conmon after it) with RLIMIT_NPROC 32768 (measured): crun cannot give the container more
    const nproc = get('Max processes')?.split(':').map((v) => (v === '-1' || Number(v) > 32768 ? '32768' : v)).join(':');
    return { nofile: get('Max open files'), nproc };
  } catch {
    return {};
  }
}

/** Capability names as OCI writes them (CAP_X). */
const capName = (c: string) => (c.startsWith('CAP_') ? c : `CAP_${c}`);

/**
 * Make a scratch bundle (runc, crun) or a podman command for REF, with the given seccomp
 * object. Everything lives in a scratch directory removed by cleanup().
 */
export async function prepareContainer(o: PrepareOptions): Promise<PreparedContainer> {
  const ref = await resolveRef(o.ref);
  const rt = await runtimeInfo(o.runtime ?? defaultRuntime(ref.kind));
  const crunInside = rt.runtime === 'crun' || (rt.runtime === 'podman' && rt.ociRuntime === 'crun');
  if (crunInside) {
    const ctl = crunHybridControllers();
    if (ctl) throw crunHybridError(ctl, rt.runtime === 'crun' ? 'crun' : 'podman (with crun, its OCI runtime)');
  }
  const work = await mkdtemp(path.join(os.tmpdir(), 'whittle-ctr-'));
  await chmod(work, 0o755);
  const id = `whittle-${process.pid}-${Date.now().toString(36)}`;
  const undo: Array<() => Promise<void>> = [];
  const cleanup = async () => {
    for (const u of undo.reverse()) await u().catch(() => undefined);
    await rm(work, { recursive: true, force: true }).catch(() => undefined);
  };
  try {
    // podman runs its own images directly
    if (rt.runtime === 'podman' && ref.kind === 'podman-image') {
      return await preparePodman(o, rt, ref, work, id, cleanup, undo, undefined);
    }
    // everything else becomes a bundle in the scratch dir
    const bundle = path.join(work, 'bundle');
    await mkdir(bundle);
    let config: OciConfig;
    if (ref.kind === 'bundle') {
      config = await readBundleConfig(ref.path!, ref.ref);
      const lower = path.resolve(ref.path!, config.root!.path);
      const rootfs = path.join(bundle, 'rootfs');
      await mkdir(rootfs);
      await mkdir(path.join(work, 'upper'));
      await mkdir(path.join(work, 'ovl'));
      const m = spawnSync('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${lower},upperdir=${path.join(work, 'upper')},workdir=${path.join(work, 'ovl')}`, rootfs], { encoding: 'utf8' });
      if (m.status === 0) {
        undo.push(async () => {
          if (spawnSync('umount', [rootfs]).status !== 0) spawnSync('umount', ['-l', rootfs]);
        });
        config.root!.path = rootfs;
      } else {
        // no overlay here: the container runs on the user's rootfs itself (as the runtime would run it)
        process.stderr.write(`whittle: cannot put an overlay over ${lower} (${m.stderr.trim()}): the container writes into that rootfs itself\n`);
        config.root!.path = lower;
      }
    } else {
      let layout = ref.path!;
      let tag = ref.tag ?? 'latest';
      if (ref.kind !== 'oci-layout') {
        layout = path.join(work, 'layout');
        tag = 'whittle';
        const src = ref.kind === 'podman-image' ? `containers-storage:${ref.image}` : `${ref.kind}:${ref.path}`;
        await sh('skopeo', ['copy', '--quiet', src, `oci:${layout}:${tag}`], `cannot read the image ${ref.ref}`, 'check the image (skopeo inspect), or unpack it yourself into a bundle');
      }
      await rm(bundle, { recursive: true, force: true });
      await sh('umoci', ['unpack', '--image', `${layout}:${tag}`, bundle], `cannot unpack the image ${ref.ref}`, 'check the image layout (umoci ls --layout DIR)');
      config = await readBundleConfig(bundle, `the unpacked image ${ref.ref}`);
      config.root!.path = path.join(bundle, config.root!.path);
    }
    if (rt.runtime === 'podman') return await preparePodman(o, rt, ref, work, id, cleanup, undo, config);

    // runc, crun
    const proc = (config.process ??= {});
    if (o.argv.length) proc.args = o.argv;
    if (!proc.args?.length) throw new InputError(`${ref.ref} has no command to run`, 'give one after --');
    proc.terminal = false;
    const given = { set: (proc.capabilities?.bounding ?? []).map(capName), source: `the bundle's bounding set (${ref.kind === 'bundle' ? `${ref.ref}/config.json` : 'the unpacked image'})` };
    if (o.capabilities) {
      const keep = new Set(o.capabilities);
      for (const k of Object.keys(proc.capabilities ?? {})) proc.capabilities![k] = proc.capabilities![k]!.filter((c) => keep.has(capName(c)));
    }
    config.linux ??= {};
    config.linux.seccomp = await o.seccomp(work, rt);
    config.linux.cgroupsPath = `${CGROUP_PLACEHOLDER}/ctr`;
    const configFile = path.join(bundle, 'config.json');
    await writeFile(configFile, JSON.stringify(config, null, 2) + '\n');
    undo.push(async () => {
      spawnSync(rt.runtime, ['delete', '-f', id], { stdio: 'ignore', timeout: 30_000 });
    });
    return {
      runtime: rt,
      ref,
      argv: [rt.runtime, 'run', '--bundle', bundle, id],
      config: configFile,
      id,
      processArgs: proc.args,
      meta: containerMeta(ref, rt, given, config),
      work,
      cleanup,
    };
  } catch (e) {
    await cleanup();
    throw e;
  }
}

function containerMeta(ref: ResolvedRef, rt: RuntimeInfo, given: { set: string[]; source: string }, config: OciConfig | undefined): ContainerMeta {
  const meta: ContainerMeta = {
    ref: ref.ref,
    refKind: ref.kind,
    runtime: rt.runtime,
    runtimeVersion: rt.version,
    argumentsRecorded: false,
    capabilities: given,
    mounts: (config?.mounts ?? []).map((m) => ({ destination: m.destination, type: m.type ?? 'bind', source: m.source ?? '', options: m.options ?? [] })),
    namespaces: (config?.linux?.namespaces ?? []).map((n) => n.type),
  };
  if (rt.ociRuntime) meta.ociRuntime = rt.ociRuntime;
  if (config?.process?.user) meta.user = { uid: config.process.user.uid, gid: config.process.user.gid };
  return meta;
}

/** `podman run` for an image in its storage, or for an unpacked rootfs (--rootfs) with the bundle's process. */
async function preparePodman(
  o: PrepareOptions,
  rt: RuntimeInfo,
  ref: ResolvedRef,
  work: string,
  id: string,
  cleanup: () => Promise<void>,
  undo: Array<() => Promise<void>>,
  config: OciConfig | undefined,
): Promise<PreparedContainer> {
  const profile = path.join(work, 'seccomp.json');
  await writeFile(profile, JSON.stringify(await o.seccomp(work, rt), null, 2) + '\n');
  const lim = ownLimits();
  const args = ['podman', '--cgroup-manager', 'cgroupfs', 'run', '--rm', '--name', id, '--cgroup-parent', CGROUP_PLACEHOLDER, '--security-opt', `seccomp=${profile}`];
  if (lim.nofile) args.push('--ulimit', `nofile=${lim.nofile}`);
  if (lim.nproc) args.push('--ulimit', `nproc=${lim.nproc}`);
  const given = podmanDefaultCapabilities();
  if (o.capabilities) {
    args.push('--cap-drop', 'ALL');
    for (const c of given.set.filter((x) => o.capabilities!.includes(x))) args.push('--cap-add', c);
  }
  let processArgs: string[];
  if (config) {
    const p = config.process ?? {};
    for (const e of p.env ?? []) args.push('--env', e);
    if (p.cwd) args.push('--workdir', p.cwd);
    if (p.user) args.push('--user', `${p.user.uid}:${p.user.gid}`);
    processArgs = o.argv.length ? o.argv : (p.args ?? []);
    if (!processArgs.length) throw new InputError(`${ref.ref} has no command to run`, 'give one after --');
    args.push('--rootfs', config.root!.path, ...processArgs);
  } else {
    processArgs = o.argv.length ? o.argv : await podmanImageCommand(ref.image!);
    args.push(ref.image!, ...o.argv);
  }
  undo.push(async () => {
    spawnSync('podman', ['rm', '-f', '--ignore', id], { stdio: 'ignore', timeout: 60_000 });
  });
  return { runtime: rt, ref, argv: args, id, processArgs, meta: containerMeta(ref, rt, given, config), work, cleanup };
}

async function podmanImageCommand(image: string): Promise<string[]> {
  try {
    const r = await exec('podman', ['image', 'inspect', '--format', '{{json .Config.Entrypoint}}\t{{json .Config.Cmd}}', image], { timeout: 60_000 });
    const [ep, cmd] = r.stdout.trim().split('\t').map((x) => (x && x !== 'null' ? (JSON.parse(x) as string[] | null) : null));
    return [...(ep ?? []), ...(cmd ?? [])];
  } catch {
    return [image];
  }
}

/** Seccomp "flags" a runtime takes: runc 1.1.5 refuses the field ("seccomp flags are not yet supported by runc"). */
export function seccompFlagsFor(rt: RuntimeInfo, flags: string[]): string[] {
  const oci = rt.runtime === 'podman' ? rt.ociRuntime : rt.runtime;
  return oci === 'crun' ? flags : [];
}
