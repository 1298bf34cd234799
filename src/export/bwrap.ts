/**
 * bwrap: bubblewrap arguments plus the compiled seccomp program.
 *
 * - PATH (main artifact): the seccomp BPF program `whittle-tracer compile` built from the policy
 *   (ctx.bpf: a libseccomp allowlist with the person's errnos, behind a stub that answers ENOSYS
 *   for probe syscalls never seen, numbers with no syscall and numbers above the horizon).
 * - PATH.args: the bwrap arguments, ONE PER LINE (so paths with spaces survive). Use them with
 *     mapfile -t args < PATH.args && bwrap "${args[@]}" --seccomp 3 3< PATH -- CMD…
 *   or, without bash arrays, as NUL-separated arguments on a spare descriptor:
 *     bwrap --args 4 4< <(tr '\n' '\0' < PATH.args) --seccomp 3 3< PATH -- CMD…
 *   (not `$(cat PATH.args)`: the shell would split paths at spaces).
 *
 * The view is built from an empty root, in this order: namespaces, --die-with-parent,
 * --new-session (no controlling terminal: TIOCSTI cannot inject input), capabilities
 * (--cap-drop ALL, then --cap-add for each accepted one), --proc /proc with /proc/sys bound
 * read-only on top (as root without a user namespace, /proc/sys would change the whole machine),
 * --dev /dev, a private --tmpfs for /tmp or /var/tmp when the workload made or removed entries
 * directly in them, then in path order: --symlink for each symlink the workload went through
 * (e.g. /lib64 → usr/lib64), --dir for directories it listed or mounted on, --ro-bind-try for
 * what it read or executed, --bind-try for what it changed (a file it wrote in place; the parent
 * directory of an entry it created, removed, renamed or linked), --dev-bind-try for device nodes
 * beyond bwrap's own /dev. The -try forms skip a path that does not exist when bwrap starts (the
 * policy also holds paths that did not exist, e.g. a library looked up in several directories).
 * A glob binds the directory it widens to.
 *
 * Namespaces: --unshare-all, with --share-net only when an inet family (AF_INET, AF_INET6) was
 * accepted. When the policy grants capabilities, the namespaces are listed one by one without a
 * user namespace instead (--unshare-ipc --unshare-pid --unshare-uts --unshare-cgroup-try, and
 * --unshare-net unless an inet family was accepted): in a new user namespace a capability only
 * acts on what that namespace owns, so e.g. CAP_NET_BIND_SERVICE could not bind a low port in the
 * shared network namespace. That form needs bwrap to run as root.
 * bwrap's pid-1 reaper runs under the same seccomp program and needs wait4: when the policy does
 * not allow wait4, --as-pid-1 makes the workload pid 1 of its namespace instead.
 *
 * What it cannot express (each reported in `unexpressed`, never dropped):
 * - one mount, or one namespace operation: a workload mounts with CAP_SYS_ADMIN (any mount in
 *   its namespace) or not at all;
 * - socket families: the compiled program allows socket() for every family; only the network
 *   namespace limits what a family reaches;
 * - exact paths where bwrap binds more: a glob that widens, the whole parent directory of an
 *   entry made, removed, renamed or linked, a device node read-only (--dev-bind is read-write);
 * - denied paths: a path outside the view is missing (ENOENT, not the person's errno), and one
 *   inside a bound directory stays reachable;
 * - paths only looked at (stat) that lie outside the view: binding them would expose their
 *   content, so the workload gets ENOENT;
 * - a directory listing of a directory that is not bound: it shows only what the view holds;
 * - writes in /proc/sys, host pseudo-terminals (/dev/pts is a new instance) and /dev/tty (no
 *   controlling terminal after --new-session); entries made directly in /tmp or /var/tmp (a
 *   private tmpfs: the host does not see them); renames or links between separately bound
 *   directories (EXDEV);
 * - accesses that would need / itself bound (the whole host filesystem): left out;
 * - paths that are not absolute, or contain a newline (one argument per line);
 * - the program by a name the view does not hold (argv[0] through a symlink, a relative path or
 *   PATH: the tracer records the program it ran, resolved): run bwrap with the recorded path.
 */
import { isGlob } from '../model/glob.js';
import type { Access } from '../model/items.js';
import type { PathRule, Policy } from '../model/policy.js';
import type { Exporter, RenderResult, Unexpressed } from './types.js';
import { ringUnexpressed } from './seccomp-rules.js';
import { moveGroups } from '../launch/plan.js';

type Kind = 'ro' | 'rw' | 'dev' | 'dir' | 'symlink' | 'tmpfs';

interface FsOp {
  kind: Kind;
  path: string;
  /** For a symlink: where it points. */
  target?: string;
}

/** Directories whose direct entries go to a private tmpfs instead of the host's. */
const SCRATCH = ['/tmp', '/var/tmp'];
/** What bwrap's --dev /dev provides itself. */
const DEV_OWN = ['/dev/null', '/dev/zero', '/dev/full', '/dev/random', '/dev/urandom', '/dev/tty', '/dev/ptmx', '/dev/pts', '/dev/shm', '/dev/fd', '/dev/stdin', '/dev/stdout', '/dev/stderr', '/dev/core'];
const INET = new Set(['AF_INET', 'AF_INET6']);
const CHANGE_DIR = new Set<Access>(['create', 'remove', 'rename', 'link']);
const CHANGE_FILE = new Set<Access>(['write', 'chmod', 'chown']);

const under = (root: string, p: string): boolean => root === '/' || p === root || p.startsWith(`${root}/`);

function parentOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

/** Where a pattern lands in the view: itself, or the directory its glob widens to. */
function anchor(pattern: string): { path: string; widened: boolean; tree: boolean } {
  if (!isGlob(pattern)) return { path: pattern.replace(/(.)\/+$/, '$1'), widened: false, tree: false };
  const m = /^(.*?)\/\*\*$/.exec(pattern);
  if (m && !isGlob(m[1]!)) return { path: m[1] || '/', widened: false, tree: true };
  const fixed: string[] = [];
  for (const part of pattern.split('/')) {
    if (part.includes('*')) break;
    fixed.push(part);
  }
  return { path: fixed.join('/') || '/', widened: true, tree: true };
}

export function bwrapArgs(p: Policy): { args: string[]; unexpressed: Unexpressed[] } {
  const unexpressed: Unexpressed[] = [];
  const wants = new Map<string, Set<Kind>>();
  const symlinks = new Map<string, string>();
  const want = (path: string, k: Kind) => wants.set(path, (wants.get(path) ?? new Set()).add(k));
  const created = new Set<string>();
  const statOnly: string[] = [];
  const listed: string[] = [];
  const changedDirs: string[] = [];
  const scratchUsed = new Map<string, number>();
  const devWidened: string[] = [];
  const notes: Unexpressed[] = [];

  for (const r of p.paths) {
    const label = `${r.action} ${r.access.join(',')} ${r.pattern}`;
    if (!r.pattern.startsWith('/')) {
      unexpressed.push({ item: label, reason: 'not an absolute path (the tracer could not resolve it): bwrap cannot bind it' });
      continue;
    }
    if (r.pattern.includes('\n') || r.symlinkTarget?.includes('\n')) {
      unexpressed.push({ item: label.replace(/\n/g, '\\n'), reason: 'contains a newline: PATH.args holds one argument per line' });
      continue;
    }
    if (r.action === 'deny' || r.symlinkTarget !== undefined) continue;
    for (const k of r.access) if (k === 'create' && !isGlob(r.pattern)) created.add(anchor(r.pattern).path);
  }
  const isCreated = (path: string) => [...created].some((c) => under(c, path));

  for (const r of p.paths) {
    if (r.action === 'deny' || !r.pattern.startsWith('/') || r.pattern.includes('\n') || r.symlinkTarget?.includes('\n')) continue;
    if (r.symlinkTarget !== undefined) {
      symlinks.set(r.pattern, r.symlinkTarget);
      continue;
    }
    const a = anchor(r.pattern);
    if (a.widened) unexpressed.push({ item: `glob ${r.pattern}`, reason: `bwrap binds directories, not patterns: all of ${a.path} is in the view` });
    const inProc = under('/proc', a.path);
    const inDev = under('/dev', a.path);
    const devOwn = DEV_OWN.some((d) => under(d, a.path));
    for (const k of r.access) {
      if (inProc) {
        if (under('/proc/sys', a.path) && (CHANGE_FILE.has(k) || CHANGE_DIR.has(k))) {
          notes.push({ item: `${k} ${r.pattern}`, reason: "bwrap's /proc/sys is read-only here (as root without a user namespace a write would change the whole machine)" });
        }
        continue; // --proc /proc provides the rest
      }
      if (inDev && devOwn) {
        if (under('/dev/shm', a.path) && CHANGE_DIR.has(k) && a.path !== '/dev/shm') {
          scratchUsed.set('/dev/shm', (scratchUsed.get('/dev/shm') ?? 0) + 1);
        } else if (under('/dev/pts', a.path) && a.path !== '/dev/pts' && a.path !== '/dev/pts/ptmx') {
          notes.push({ item: `${k} ${r.pattern}`, reason: "--dev mounts a new devpts instance: the host's pseudo-terminals are not in the view" });
        } else if (a.path === '/dev/tty') {
          notes.push({ item: `${k} ${r.pattern}`, reason: '--new-session leaves the workload without a controlling terminal: /dev/tty cannot be opened (ENXIO)' });
        }
        continue; // bwrap's own /dev
      }
      if (k === 'stat' || k === 'ioctl') {
        // a name that was not there when learned gets ENOENT in the view too: nothing lost
        if (k === 'stat' && !r.absent) statOnly.push(a.path);
        continue;
      }
      if (k === 'mount-target') {
        if (!isCreated(a.path)) want(a.path, 'dir');
        continue;
      }
      if (inDev) {
        want(a.path, 'dev');
        if (!CHANGE_FILE.has(k) && !devWidened.includes(a.path)) devWidened.push(a.path);
        continue;
      }
      if (k === 'read' || k === 'exec') {
        if (!isCreated(a.path)) want(a.path, 'ro');
      } else if (k === 'readdir') {
        if (a.tree) want(a.path, 'ro');
        else if (!isCreated(a.path)) {
          want(a.path, 'dir');
          listed.push(a.path);
        }
      } else if (CHANGE_FILE.has(k)) {
        if (!isCreated(a.path)) want(a.path, 'rw');
      } else if (CHANGE_DIR.has(k)) {
        const dir = a.tree ? a.path : parentOf(a.path);
        if (isCreated(dir)) continue;
        const scratch = SCRATCH.find((s) => s === dir);
        if (scratch) {
          want(scratch, 'tmpfs');
          scratchUsed.set(scratch, (scratchUsed.get(scratch) ?? 0) + 1);
        } else {
          want(dir, 'rw');
          if (!a.tree) unexpressed.push({ item: `${k} ${r.pattern}`, reason: `a bind cannot allow one name: all of ${dir} is writable` });
        }
        if (k === 'rename' || k === 'link') changedDirs.push(dir);
      }
    }
  }
  for (const d of devWidened) unexpressed.push({ item: `read ${d}`, reason: 'bwrap has no read-only device bind: --dev-bind makes it read-write' });
  // names moved between directories need them on one mount: their common directory, bound
  // read-write (not a private scratch directory: its host content would be in the view)
  for (const g of moveGroups(p)) {
    if (!g.join || SCRATCH.includes(g.join) || isCreated(g.join)) continue;
    want(g.join, 'rw');
    unexpressed.push({ item: `rename or link between ${g.dirs.join(', ')}`, reason: `separately bound directories are separate mounts (EXDEV): their common directory ${g.join} is bound instead, all of it writable` });
  }

  // ── what each path ends up as ──
  const binds: FsOp[] = [];
  const root = wants.get('/');
  if (root) {
    wants.delete('/');
    if (root.has('ro') || root.has('rw')) {
      unexpressed.push({ item: `${root.has('rw') ? 'changes' : 'reads'} at the top of the tree (/)`, reason: 'binding / would put the whole host filesystem in the view: left out, so these accesses fail' });
    }
  }
  for (const [path, kinds] of wants) {
    if (kinds.has('tmpfs')) {
      binds.push({ kind: 'tmpfs', path }); // the private tmpfs is the scratch directory itself
      continue;
    }
    if (kinds.has('dev')) binds.push({ kind: 'dev', path });
    else if (kinds.has('rw')) binds.push({ kind: 'rw', path });
    else if (kinds.has('ro')) binds.push({ kind: 'ro', path });
    else if (kinds.has('dir')) binds.push({ kind: 'dir', path });
  }
  /** The bind a path lies in (its own or an ancestor's), the strongest one nearest to it. */
  const bound = (path: string, strictly = false) =>
    binds
      .filter((b) => (b.kind === 'ro' || b.kind === 'rw' || b.kind === 'dev') && under(b.path, path) && (!strictly || b.path !== path))
      .sort((x, y) => y.path.length - x.path.length)[0];
  const ops: FsOp[] = [];
  for (const b of binds) {
    const outer = bound(b.path, true);
    if (b.kind === 'ro' && outer) continue; // already in a bound tree (read-only or writable)
    if (b.kind === 'rw' && outer && outer.kind !== 'ro') continue;
    if (b.kind === 'dir' && outer) continue;
    ops.push(b);
  }
  for (const [path, target] of symlinks) {
    if (under('/proc', path) || under('/dev', path) || bound(path) || isCreated(path)) continue;
    ops.push({ kind: 'symlink', path, target });
  }
  const order: Record<Kind, number> = { tmpfs: 0, symlink: 1, dir: 2, ro: 3, rw: 4, dev: 5 };
  ops.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : order[x.kind] - order[y.kind]));

  // ── what the view leaves out ──
  const inView = (path: string) =>
    under('/proc', path) ||
    DEV_OWN.some((d) => under(d, path)) ||
    isCreated(path) ||
    ops.some((o) => (o.kind === 'ro' || o.kind === 'rw' || o.kind === 'dev' || o.kind === 'tmpfs' ? under(o.path, path) : o.path === path) || under(path, o.path));
  for (const s of [...new Set(statOnly)]) {
    if (!inView(s)) unexpressed.push({ item: `stat ${s}`, reason: 'only looked at, and outside the view (a bind would expose its content): the workload gets ENOENT' });
  }
  for (const d of [...new Set(listed)]) {
    if (ops.some((o) => o.kind === 'dir' && o.path === d)) {
      unexpressed.push({ item: `readdir ${d}`, reason: 'the directory is not bound (that would expose everything in it): its listing shows only what the view holds' });
    }
  }
  for (const [scratch, n] of scratchUsed) {
    unexpressed.push({ item: `entries made or removed directly in ${scratch} (${n})`, reason: `${scratch} is a private tmpfs in the view: the host does not see them` });
  }
  // the mount each is on: the outermost bind that holds it (a bind nested in one as strong is left out)
  const mountOf = (d: string) => ops.find((o) => (o.kind === 'rw' || o.kind === 'ro' || o.kind === 'dev') && under(o.path, d))?.path;
  const roots = new Set(changedDirs.map((d) => mountOf(d) ?? SCRATCH.find((s) => under(s, d)) ?? d));
  if (roots.size > 1) {
    unexpressed.push({ item: `rename or link across ${[...roots].join(', ')}`, reason: 'separately bound directories are separate mounts: a rename or link between them fails with EXDEV' });
  }
  unexpressed.push(...notes);
  for (const r of p.paths) {
    if (r.action !== 'deny' || !r.pattern.startsWith('/')) continue;
    const a = anchor(r.pattern);
    const b = bound(a.path);
    unexpressed.push({
      item: `deny ${r.access.join(',')} ${r.pattern}`,
      reason: b
        ? `inside ${b.path}, which is bound: bwrap cannot hide one path in a bound directory`
        : under('/proc', a.path) || DEV_OWN.some((d) => under(d, a.path))
          ? `bwrap's own ${under('/proc', a.path) ? '/proc' : '/dev'} holds it: it stays reachable`
          : `not in the view, so the workload gets ENOENT${r.errno ? `, not ${r.errno}` : ''}`,
    });
  }

  // ── the program itself ──
  const argv0 = p.workload.argv[0] ?? '';
  const execs = p.paths.filter((r) => r.action === 'allow' && r.access.includes('exec') && r.pattern.startsWith('/') && !isGlob(r.pattern));
  if (argv0 && !execs.some((r) => r.pattern === argv0) && !symlinks.has(argv0)) {
    const first = (r: PathRule) => Math.min(Infinity, ...(r.from ?? []).map((f) => f.firstSeen ?? Infinity));
    const recorded = [...execs].sort((a, b) => first(a) - first(b))[0]?.pattern;
    unexpressed.push({
      item: `program ${argv0}`,
      reason: `not in the view by that name: the tracer recorded the program it ran${recorded ? ` (${recorded})` : ''}, not the symlinks, current directory or PATH lookup that led there — give bwrap ${recorded ? `that path (-- ${recorded} …)` : 'an absolute path in the view'}`,
    });
  }

  // ── network, mounts, capabilities ──
  const inet = p.network.allow.some((f) => INET.has(f.toUpperCase()));
  for (const f of p.network.allow) {
    if (!inet && !['AF_UNIX', 'AF_LOCAL'].includes(f.toUpperCase())) {
      unexpressed.push({ item: `network ${f}`, reason: "no inet family was accepted, so the workload gets its own network namespace: this family reaches only that namespace's loopback" });
    }
  }
  if (p.syscalls.allow.includes('socket') || p.syscalls.allow.includes('socketcall')) {
    unexpressed.push({
      item: `socket families other than ${p.network.allow.join(', ') || 'none'}`,
      reason: `the compiled program does not check socket()'s family argument: every family can be created (${inet ? 'with the shared network namespace, ' : ''}only the network namespace and the dropped capabilities limit what it reaches)`,
    });
    for (const f of p.network.deny) {
      unexpressed.push({ item: `deny network ${f}`, reason: `the compiled program does not check socket()'s family: ${inet ? 'with the shared network namespace it' : 'it'} is not refused (only the network namespace and the dropped capabilities limit it)` });
    }
  }
  if (p.syscalls.allow.includes('io_uring_setup')) unexpressed.push(ringUnexpressed);
  const caps = p.capabilities.allow;
  for (const m of p.mounts) {
    const ns = ['unshare', 'setns', 'clone', 'clone3'].includes(m.op);
    unexpressed.push({
      item: `mount ${m.op} ${ns ? m.flags : [m.fstype, m.source, '→', m.target].filter(Boolean).join(' ')}`,
      reason: ns
        ? 'bwrap cannot allow one namespace operation: it depends on the capabilities granted and the syscalls allowed'
        : `bwrap cannot allow one mount: the workload mounts with CAP_SYS_ADMIN (any mount in its namespace) or not at all, and this policy ${caps.includes('CAP_SYS_ADMIN') ? 'grants it' : 'does not grant it, so the mount is refused'}`,
    });
  }

  const args: string[] = [];
  if (caps.length) {
    args.push('--unshare-ipc', '--unshare-pid', '--unshare-uts', '--unshare-cgroup-try');
    if (!inet) args.push('--unshare-net');
  } else {
    args.push('--unshare-all');
    if (inet) args.push('--share-net');
  }
  args.push('--die-with-parent', '--new-session');
  if (!p.syscalls.allow.includes('wait4')) args.push('--as-pid-1');
  args.push('--cap-drop', 'ALL');
  for (const c of caps) args.push('--cap-add', c.toUpperCase().startsWith('CAP_') ? c.toUpperCase() : `CAP_${c.toUpperCase()}`);
  args.push('--proc', '/proc', '--ro-bind', '/proc/sys', '/proc/sys', '--dev', '/dev');
  const flag: Record<Exclude<Kind, 'symlink'>, string> = { tmpfs: '--tmpfs', dir: '--dir', ro: '--ro-bind-try', rw: '--bind-try', dev: '--dev-bind-try' };
  for (const o of ops) {
    if (o.kind === 'symlink') args.push('--symlink', o.target!, o.path);
    else if (o.kind === 'tmpfs' || o.kind === 'dir') args.push(flag[o.kind], o.path);
    else args.push(flag[o.kind], o.path, o.path);
  }
  return { args, unexpressed };
}

export const bwrapExporter: Exporter = {
  format: 'bwrap',
  description: 'bubblewrap: compiled seccomp BPF program (PATH) plus arguments, one per line (PATH.args)',
  defaultName: (ctx) => `${ctx.name}.bwrap.bpf`,
  needsBpf: true,
  render(p, ctx): RenderResult {
    if (!ctx.bpf) throw new Error('the bwrap exporter needs the compiled seccomp program (ctx.bpf): the export command compiles it with whittle-tracer compile');
    const { args, unexpressed } = bwrapArgs(p);
    return {
      artifacts: [
        { suffix: null, content: ctx.bpf, description: 'seccomp BPF program: bwrap --seccomp 3 3< PATH' },
        {
          suffix: 'args',
          content: args.join('\n') + '\n',
          description: 'bwrap arguments, one per line: mapfile -t a < PATH.args && bwrap "${a[@]}" --seccomp 3 3< PATH -- CMD',
        },
      ],
      unexpressed,
    };
  },
};
