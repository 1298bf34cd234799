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

/**
 * Device nodes are never made by the workload (that needs mknod and CAP_MKNOD): an O_CREAT open
 * of /dev/null (a shell's `>/dev/null`) is recorded as `create`, but it creates nothing, and
 * widening it to its parent would bind all of the host's /dev into the view (and grant making
 * entries there). /dev/shm and /dev/mqueue hold real files the workload makes.
 */
export function effectiveAccess(r: Pick<PathRule, 'pattern' | 'access'>): Access[] {
  if (r.pattern.startsWith('/dev/') && !r.pattern.includes('*') && !/^\/dev\/(shm|mqueue)\//.test(r.pattern)) return r.access.filter((a) => a !== 'create');
  return r.access;
}

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
  /**
   * rw, ro: bound from the host (read-only where only reading was accepted). open: the workload
   * only looked the name up or opened it (stat, a directory opened to walk from it): a directory
   * becomes an empty directory with the host's mode and owner, holding only what else the view
   * has beneath it (binding it would bring its whole tree); a file is bound read-only. stat: the
   * same for a directory; a file becomes a stand-in with the host's size, mode, owner and times
   * and nothing but zeros in it (its content was never read); stat0 is that stand-in without
   * permission bits, for a file a person denied some access to. list: the
   * workload listed a directory: it becomes a directory of the same names, each an empty
   * stand-in (a directory that can be walked through but not listed, a symlink to the same
   * target, or an empty file with no permissions), and only what else the view has beneath it
   * is real. A name only looked at with lstat that is a symlink on the host stays a symlink.
   */
  mode: 'stat' | 'stat0' | 'open' | 'list' | 'ro' | 'rw';
}

/** Where the kernel's own filesystems are: never bound, made fresh (/proc) or left out. */
const virtualRoots = ['/proc'];

/**
 * Directories between which the workload moves names (rename, hard link), grouped so that each
 * group can share one mount and Landlock's REFER right: the kernel refuses a rename or link
 * between two mounts with EXDEV, even two binds of the same filesystem, and so does Landlock
 * between directories without REFER. A group is the directories, under one top-level directory
 * (/tmp, /home, …), that hold a renamed or linked name; a link's source is recorded only as
 * looked at (stat), so where there is a link the group takes every directory the workload
 * writes names in there too. `join` is their nearest common directory (only for two or more).
 */
export function moveGroups(p: Policy): Array<{ dirs: string[]; join?: string }> {
  const byTop = new Map<string, { movers: Set<string>; writers: Set<string>; link: boolean }>();
  const top = (d: string) => '/' + (d.split('/')[1] ?? '');
  for (const r of p.paths) {
    if (r.action !== 'allow' || r.pattern.includes('*') || !r.pattern.startsWith('/') || ownProc(r.pattern)) continue;
    const access = effectiveAccess(r);
    if (!access.some((a) => changesParent.has(a))) continue;
    const dir = path.posix.dirname(r.pattern);
    if (dir === '/' || virtualRoots.some((v) => dir === v || dir.startsWith(v + '/'))) continue;
    const g = byTop.get(top(dir)) ?? { movers: new Set<string>(), writers: new Set<string>(), link: false };
    byTop.set(top(dir), g);
    g.writers.add(dir);
    if (access.includes('rename') || access.includes('link')) g.movers.add(dir);
    if (access.includes('link')) g.link = true;
  }
  const out: Array<{ dirs: string[]; join?: string }> = [];
  for (const g of byTop.values()) {
    if (!g.movers.size) continue;
    const dirs = [...(g.link ? g.writers : g.movers)].sort();
    out.push(dirs.length > 1 ? { dirs, join: commonDir(dirs) } : { dirs });
  }
  return out;
}

/** The nearest directory that holds all of them (themselves included). */
function commonDir(dirs: string[]): string {
  let parts = dirs[0]!.split('/');
  for (const d of dirs.slice(1)) {
    const q = d.split('/');
    let i = 0;
    while (i < parts.length && i < q.length && parts[i] === q[i]) i++;
    parts = parts.slice(0, i);
  }
  return parts.join('/') || '/';
}

/** Access kinds that need no more than the name itself when it is a directory. */
const nameOnly = new Set<Access>(['stat', 'read']);
const strength = { stat0: 0, stat: 1, open: 2, list: 3, ro: 4, rw: 5 } as const;

/** The view entries of a policy, parents first, without entries a parent's bind already brings. */
export function viewEntries(p: Policy): ViewEntry[] {
  const want = new Map<string, ViewEntry['mode']>();
  const add = (where: string, mode: ViewEntry['mode']) => {
    if (virtualRoots.some((v) => where === v || where.startsWith(v + '/'))) return;
    if (where === '/') return; // the whole tree is not a view
    const prev = want.get(where);
    if (prev === undefined || strength[mode] > strength[prev]) want.set(where, mode);
  };
  for (const r of p.paths) {
    if (r.action !== 'allow' || r.absent) continue;
    const isGlob = r.pattern.includes('*');
    const base = isGlob ? globRoot(r.pattern) : r.pattern;
    const access = effectiveAccess(r);
    const writes = access.some((a) => writeLike.has(a) && a !== 'mount-target');
    if (r.symlinkTarget !== undefined && access.every((a) => a === 'stat')) continue; // recreated, not bound
    if (access.includes('mount-target')) add(base, 'ro');
    else if (writes) add(base, 'rw');
    else if (!isGlob && access.every((a) => a === 'stat')) add(base, 'stat');
    else if (!isGlob && access.every((a) => nameOnly.has(a))) add(base, 'open');
    else if (!isGlob && access.every((a) => nameOnly.has(a) || a === 'readdir')) add(base, 'list');
    else add(base, 'ro');
    // the names a glob matches are made beneath its fixed part, which is bound rw above
    if (!isGlob && access.some((a) => changesParent.has(a))) add(path.posix.dirname(base), 'rw');
  }
  // names moved between directories need them on one mount: their common directory, bound
  // read-write, brings them all (Landlock still limits each to its own rights)
  for (const g of moveGroups(p)) if (g.join) add(g.join, 'rw');
  // code-point order: a parent sorts right before its children
  // a name only looked up, whose other accesses a person denied: its stand-in refuses them all
  for (const r of p.paths) if (r.action === 'deny' && want.get(r.pattern) === 'stat') want.set(r.pattern, 'stat0');
  const sorted = [...want.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: ViewEntry[] = [];
  for (const [p0, mode] of sorted) {
    // a parent bound with the same (or a stronger) mode already brings this one
    const covered = out.some((e) => (e.mode === 'ro' || e.mode === 'rw') && (p0 === e.path || p0.startsWith(e.path + '/')) && strength[e.mode] >= strength[mode]);
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

/** Access kinds that make the name itself during the run. */
export const madeHere = new Set<Access>(['create', 'link', 'rename']);

/**
 * Rights on the parent directory for access kinds that change names in it. The policy does not
 * say what kind of entry was made: every ordinary kind, and device nodes only with CAP_MKNOD.
 */
export function parentRights(access: Access[], mknod = false): string[] {
  const r = new Set<string>();
  const make = ['MAKE_REG', 'MAKE_DIR', 'MAKE_SYM', 'MAKE_SOCK', 'MAKE_FIFO', ...(mknod ? ['MAKE_CHAR', 'MAKE_BLOCK'] : [])];
  for (const a of access) {
    if (a === 'create') for (const m of make) r.add(m);
    if (a === 'remove') r.add('REMOVE_FILE').add('REMOVE_DIR');
    if (a === 'rename') for (const m of ['REMOVE_FILE', 'REMOVE_DIR', ...make, 'REFER']) r.add(m);
    if (a === 'link') r.add('MAKE_REG').add('REFER');
  }
  return [...r].sort();
}

export interface LandlockRule {
  path: string;
  rights: string[];
  /**
   * Rights for what the workload makes at or beneath `path` (created names, the files it
   * creates, a glob's matches): Landlock rules hang on inodes, so a name made during the run can
   * only get its rights from a directory that exists when the rules are made. The tracer puts
   * them on `path`, or, when `path` does not exist yet, on its nearest existing parent (never /).
   */
  beneath: boolean;
}

/** The Landlock rules of a policy: (path, exact or beneath) → rights (merged). */
export function landlockRules(p: Policy): LandlockRule[] {
  const m = new Map<string, { path: string; beneath: boolean; rights: Set<string> }>();
  const add = (where: string, rights: string[], beneath: boolean) => {
    if (!rights.length) return;
    const k = `${beneath ? 'b' : 'e'}\0${where}`;
    const e = m.get(k) ?? { path: where, beneath, rights: new Set<string>() };
    for (const x of rights) e.rights.add(x);
    m.set(k, e);
  };
  const mknod = p.capabilities.allow.includes('CAP_MKNOD');
  for (const r of p.paths) {
    if (r.action !== 'allow' || !r.pattern.startsWith('/')) continue; // a relative name: no inode to hang a rule on
    const access = effectiveAccess(r);
    const isGlob = r.pattern.includes('*');
    const creates = access.some((a) => changesParent.has(a));
    if (r.absent && !creates) continue; // nothing there to grant rights on
    const own = landlockRights(access, isGlob);
    const pr = parentRights(access, mknod);
    if (isGlob) {
      // the names a glob matches live beneath its fixed part: everything goes there
      add(globRoot(r.pattern), [...own, ...pr], true);
      continue;
    }
    if (ownProc(r.pattern)) {
      // /proc/self/X is another inode in each process: a rule on the launcher's own would not
      // reach the workload's children, so it goes on all of /proc (see enforcementGaps)
      add('/proc', own, true);
      continue;
    }
    const parent = path.posix.dirname(r.pattern);
    if (access.some((a) => madeHere.has(a))) {
      // a name the workload makes (creates, links, renames to) is not there when the rules
      // are made, or is a new inode: its rights come from its directory
      add(parent, [...own, ...pr], true);
    } else {
      add(r.pattern, own, false);
      if (pr.length) add(parent, pr, true);
    }
  }
  // a name moved between directories needs REFER on both (a link's source is not known: every
  // directory of its group gets it), and Landlock refuses a move by which a file would gain a
  // right: each directory of a group gets the file rights any of them grants beneath it
  for (const g of moveGroups(p)) {
    if (g.dirs.length < 2) continue;
    const carried = groupFileRights(g.dirs, (d) => m.get(`b\0${d}`)?.rights);
    for (const d of g.dirs) add(d, ['REFER', ...carried], true);
  }
  return [...m.values()]
    .map((e) => ({ path: e.path, beneath: e.beneath, rights: [...e.rights].sort() }))
    .sort((a, b) => a.path.localeCompare(b.path) || Number(a.beneath) - Number(b.beneath));
}

/** The rights Landlock compares when a file moves between directories (a move must not add one). */
const fileRights = new Set(['EXECUTE', 'IOCTL_DEV', 'READ_FILE', 'TRUNCATE', 'WRITE_FILE']);

/** The file rights granted beneath any of a group's directories. */
function groupFileRights(dirs: string[], beneath: (dir: string) => Iterable<string> | undefined): string[] {
  const out = new Set<string>();
  for (const d of dirs) for (const x of beneath(d) ?? []) if (fileRights.has(x)) out.add(x);
  return [...out].sort();
}

/** A process's own /proc entry (not one that leads out of /proc: root, cwd, exe, fd/N). */
export function ownProc(p: string): boolean {
  return /^\/proc\/(self|thread-self)\//.test(p) && !/^\/proc\/(self|thread-self)\/(root|cwd|exe|fd|task\/[^/]+\/(root|cwd|exe|fd))(\/|$)/.test(p);
}

/**
 * What whittle's launcher enforces more widely than accepted (design: what cannot be enforced
 * is listed, not ignored): one line per rule.
 */
export function enforcementGaps(p: Policy): string[] {
  const out: string[] = [];
  for (const r of p.paths) {
    if (r.action === 'allow' && r.pattern.includes('*'))
      out.push(`${r.pattern} (${r.access.join(', ')}): the mount view and Landlock have no patterns; enforced as everything beneath ${globRoot(r.pattern)}`);
    else if (r.action === 'allow' && ownProc(r.pattern) && landlockRights(effectiveAccess(r), false).length)
      out.push(`${r.pattern} (${r.access.join(', ')}): Landlock cannot tell a process's own /proc entries from another's; enforced as ${landlockRights(effectiveAccess(r), false).join(', ')} on all of /proc`);
    else if (r.action === 'deny' && viewEntries(p).some((v) => (v.mode === 'ro' || v.mode === 'rw') && r.pattern.startsWith(v.path + '/')))
      out.push(`${r.pattern} is denied but lies inside ${viewEntries(p).find((v) => (v.mode === 'ro' || v.mode === 'rw') && r.pattern.startsWith(v.path + '/'))!.path}, which the view binds: only Landlock refuses it (not stat)`);
  }
  const joined = moveGroups(p).filter((g) => g.join);
  const rules = joined.length ? landlockRules(p) : [];
  for (const g of joined) {
    const carried = groupFileRights(g.dirs, (d) => rules.find((r) => r.beneath && r.path === d)?.rights);
    out.push(
      `names moved (rename, link) between ${g.dirs.join(', ')}: the kernel refuses that across mounts, so the view binds their common directory ${g.join} read-write, whose other names are then visible (stat); Landlock still limits each path, but gives each of these directories REFER${carried.length ? ` and the file rights any of them has (${carried.join(', ')}), since it refuses a move by which a file gains a right` : ''}`,
    );
  }
  if (p.syscalls.allow.includes('io_uring_setup'))
    out.push(
      'io_uring_setup (accepted): what a ring does is not a syscall, so the seccomp filter does not see it — socket families and denied syscalls are not enforced for io_uring operations (paths are: the view and Landlock; capabilities: the bounding set)',
    );
  return out;
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
  for (const r of landlockRules(p)) out.push(`${r.beneath ? 'landlock-beneath' : 'landlock'} ${r.path} ${r.rights.join(',')}`);
  return out.join('\n') + '\n';
}
