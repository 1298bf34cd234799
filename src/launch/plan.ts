/**
 * How whittle's own launcher enforces a policy: the enforce spec the tracer executes
 * (tracer/PROTOCOL.md, "Enforce specs"): the syscall filter, the filesystem view (bind mounts of
 * only the accepted trees, read-only where only reading was accepted, the symlinks the workload
 * went through), Landlock rules for the finer rights, the capabilities, the network, and the
 * mounts a person accepted. Pure: planning is here, execution in the tracer.
 */
import path from 'node:path';
import type { Policy, PathRule } from '../model/policy.js';
import type { Access } from '../model/items.js';
import { filterSpec } from '../trace/compile.js';

const writeLike = new Set<Access>(['write', 'create', 'remove', 'rename', 'link', 'chmod', 'chown', 'mount-target']);
/** Access kinds that make or remove a name in a directory: the directory must be writable. */
const changesParent = new Set<Access>(['create', 'remove', 'rename', 'link']);

/** The fixed part of a glob: /usr/lib/** → /usr/lib, /etc/*.conf → /etc. */
export function globRoot(pattern: string): string {
  const parts = pattern.split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p.includes('*')) break;
    out.push(p);
  }
  return out.join('/') || '/';
}

export interface ViewEntry {
  path: string;
  mode: 'ro' | 'rw';
}

/** Where the kernel's own filesystems are: never bound, made fresh (/proc) or left out. */
const virtualRoots = ['/proc'];

/** The bind mounts of a policy's view, parents first, without entries a parent already covers. */
export function viewEntries(p: Policy): ViewEntry[] {
  const want = new Map<string, 'ro' | 'rw'>();
  const add = (where: string, mode: 'ro' | 'rw') => {
    if (virtualRoots.some((v) => where === v || where.startsWith(v + '/'))) return;
    if (where === '/') return; // the whole tree is not a view
    const prev = want.get(where);
    if (prev !== 'rw') want.set(where, mode);
  };
  for (const r of p.paths) {
    if (r.action !== 'allow' || r.absent) continue;
    const base = r.pattern.includes('*') ? globRoot(r.pattern) : r.pattern;
    const writes = r.access.some((a) => writeLike.has(a) && a !== 'mount-target');
    if (r.symlinkTarget !== undefined && r.access.every((a) => a === 'stat')) continue; // recreated, not bound
    if (r.access.includes('mount-target')) add(base, 'ro');
    else add(base, writes ? 'rw' : 'ro');
    if (r.access.some((a) => changesParent.has(a))) add(path.posix.dirname(base), 'rw');
  }
  const sorted = [...want.entries()].sort((a, b) => a[0].localeCompare(b[0]));
  const out: ViewEntry[] = [];
  for (const [p0, mode] of sorted) {
    // a parent bound with the same (or a stronger) mode already brings this one
    const covered = out.some((e) => (p0 === e.path || p0.startsWith(e.path + '/')) && (e.mode === 'rw' || mode === 'ro'));
    if (!covered) out.push({ path: p0, mode });
  }
  return out;
}

/** Symlinks the workload went through: recreated in the view so its paths keep working. */
export function viewSymlinks(p: Policy): Array<{ link: string; target: string }> {
  return p.paths.filter((r): r is PathRule & { symlinkTarget: string } => r.action === 'allow' && r.symlinkTarget !== undefined).map((r) => ({ link: r.pattern, target: r.symlinkTarget }));
}

/** Landlock rights per accepted path (LANDLOCK_ACCESS_FS_* names without the prefix). */
export function landlockRights(access: Access[], isDirRule: boolean): string[] {
  const r = new Set<string>();
  for (const a of access) {
    switch (a) {
      case 'read':
        r.add('READ_FILE');
        if (isDirRule) r.add('READ_DIR');
        break;
      case 'readdir':
        r.add('READ_DIR');
        break;
      case 'exec':
        r.add('EXECUTE').add('READ_FILE');
        break;
      case 'write':
        r.add('WRITE_FILE').add('TRUNCATE');
        break;
      case 'ioctl':
        r.add('IOCTL_DEV');
        break;
      default:
        break; // stat, chmod, chown, mount-target: Landlock does not restrict them
    }
  }
  return [...r].sort();
}

/** Rights on the parent directory for access kinds that change names in it. */
function parentRights(access: Access[]): string[] {
  const r = new Set<string>();
  for (const a of access) {
    if (a === 'create') r.add('MAKE_REG').add('MAKE_DIR').add('MAKE_SYM').add('MAKE_SOCK').add('MAKE_FIFO');
    if (a === 'remove') r.add('REMOVE_FILE').add('REMOVE_DIR');
    if (a === 'rename') r.add('REMOVE_FILE').add('REMOVE_DIR').add('MAKE_REG').add('MAKE_DIR').add('REFER');
    if (a === 'link') r.add('MAKE_REG').add('REFER');
  }
  return [...r].sort();
}

/** The Landlock rules of a policy: path → rights (merged). */
export function landlockRules(p: Policy): Array<{ path: string; rights: string[] }> {
  const m = new Map<string, Set<string>>();
  const add = (where: string, rights: string[]) => {
    if (!rights.length) return;
    const s = m.get(where) ?? new Set<string>();
    for (const x of rights) s.add(x);
    m.set(where, s);
  };
  for (const r of p.paths) {
    if (r.action !== 'allow') continue;
    const isGlob = r.pattern.includes('*');
    if (r.absent && !r.access.some((a) => changesParent.has(a))) continue; // nothing there to grant rights on
    const base = isGlob ? globRoot(r.pattern) : r.pattern;
    add(base, landlockRights(r.access, isGlob));
    const pr = parentRights(r.access);
    if (pr.length) add(path.posix.dirname(base), pr);
  }
  return [...m].map(([p0, s]) => ({ path: p0, rights: [...s].sort() })).sort((a, b) => a.path.localeCompare(b.path));
}

/** Does the policy let the workload reach the network (an inet family)? */
export function usesNetwork(p: Policy): boolean {
  return p.network.allow.some((f) => f === 'AF_INET' || f === 'AF_INET6');
}

export interface EnforceOptions {
  /** Skip the filesystem view (Landlock and seccomp still apply). */
  noView?: boolean;
}

/** The enforce spec for whittle-tracer enforce. */
export function enforceSpec(p: Policy, o: EnforceOptions = {}): string {
  const lines = filterSpec(p).trimEnd().split('\n').slice(1); // without the filter header
  const out = ['whittle-enforce 1', ...lines];
  out.push(`net ${usesNetwork(p) ? 'host' : 'none'}`);
  for (const c of p.capabilities.allow) out.push(`cap ${c}`);
  if (!o.noView) {
    out.push('view-root');
    for (const v of viewEntries(p)) out.push(`view ${v.mode} ${v.path}`);
    for (const s of viewSymlinks(p)) out.push(`symlink ${s.link} ${s.target}`);
    if (p.paths.some((r) => r.action === 'allow' && (r.pattern === '/proc' || r.pattern.startsWith('/proc/')))) out.push('proc');
    for (const m of p.mounts) {
      if (['mount', 'remount'].includes(m.op) && m.fstype) out.push(`mount ${m.fstype} ${m.source || 'none'} ${m.target} ${m.flags || '-'}`);
    }
  }
  for (const r of landlockRules(p)) out.push(`landlock ${r.path} ${r.rights.join(',')}`);
  return out.join('\n') + '\n';
}
