/**
 * landlock: the Landlock ruleset whittle's own launcher applies, as JSON:
 *
 *   { "abi": N, "handledAccessFs": [RIGHT…], "rules": [{ "path": "/x", "access": [RIGHT…] }, …] }
 *
 * Rights are the kernel's LANDLOCK_ACCESS_FS_* names without the prefix (EXECUTE, WRITE_FILE,
 * READ_FILE, READ_DIR, REMOVE_DIR, REMOVE_FILE, MAKE_CHAR, MAKE_DIR, MAKE_REG, MAKE_SOCK,
 * MAKE_FIFO, MAKE_BLOCK, MAKE_SYM, REFER, TRUNCATE, IOCTL_DEV), listed in bit order.
 *
 * handledAccessFs is every filesystem right: a right left unhandled is allowed everywhere (e.g.
 * truncate(2) on a read-only file before ABI 3, device ioctls before ABI 5), so the ruleset
 * handles them all and grants only what the policy allows. `abi` is the lowest Landlock ABI that
 * knows every handled right (5: TRUNCATE came in 3, IOCTL_DEV in 5); a launcher on an older
 * kernel must drop the rights its kernel lacks, and say so (best effort, as Landlock intends).
 *
 * Access kinds map to rights like this. On the path itself: read → READ_FILE (and READ_DIR for a
 * glob: "everything under it" includes its subdirectories), write → WRITE_FILE + TRUNCATE, exec →
 * EXECUTE + READ_FILE (the kernel opens an executable for reading too, and Landlock checks both),
 * readdir → READ_DIR, ioctl → IOCTL_DEV. On the parent directory (Landlock grants making and
 * removing entries on the directory that holds them): create → MAKE_REG, MAKE_DIR, MAKE_SYM,
 * MAKE_SOCK, MAKE_FIFO (plus MAKE_CHAR and MAKE_BLOCK when the policy grants CAP_MKNOD: the policy
 * does not say what kind of file was made), remove → REMOVE_FILE + REMOVE_DIR, rename →
 * REMOVE_FILE + REMOVE_DIR + the MAKE_* set + REFER, link → MAKE_REG + REFER. A path the workload
 * created is a new inode at run time, so its own rights (read, write, …) go on its directory too.
 * An O_CREAT open of an existing device node (`> /dev/null`) makes nothing and grants nothing on
 * /dev. stat, chmod, chown and mount-target have no Landlock right.
 *
 * What it cannot express (each reported in `unexpressed`, never dropped):
 * - deny rules: Landlock is allow-only. A denied path outside every granted hierarchy is refused
 *   anyway, but with EACCES rather than the person's errno; one inside a granted hierarchy stays
 *   reachable;
 * - exact paths for globs: a Landlock rule is a whole directory hierarchy, so a glob widens to
 *   its longest directory prefix (reported for each glob that widens; `DIR/**` does not);
 * - exact names for made or removed entries: rights on the parent cover every entry beneath it;
 * - READ_DIR on a directory lists every directory beneath it;
 * - stat (and path lookup), chmod, chown: Landlock does not restrict them (one note each);
 * - mounts: a Landlock-restricted process may not mount at all (the launcher builds the mount
 *   view before restricting itself);
 * - syscalls, socket families and capabilities: the launcher enforces them with seccomp and a
 *   capability drop, not with this ruleset;
 * - paths that are not absolute (the tracer could not resolve them).
 * A rule names a path the launcher opens at start: it must exist then, and symlinks in it are
 * resolved (the tracer records resolved paths). Whether a path is a file or a directory is not in
 * the policy: rights only a directory can carry are put on directories (parents, readdir), and
 * READ_FILE on a path that is a directory covers every file beneath it.
 */
import { isGlob } from '../model/glob.js';
import type { Access } from '../model/items.js';
import type { Policy } from '../model/policy.js';
import type { Exporter, RenderResult, Unexpressed } from './types.js';

/** Every LANDLOCK_ACCESS_FS_* right: name without prefix, bit, and the ABI that brought it. */
export const landlockFsRights = [
  { name: 'EXECUTE', bit: 0, abi: 1 },
  { name: 'WRITE_FILE', bit: 1, abi: 1 },
  { name: 'READ_FILE', bit: 2, abi: 1 },
  { name: 'READ_DIR', bit: 3, abi: 1 },
  { name: 'REMOVE_DIR', bit: 4, abi: 1 },
  { name: 'REMOVE_FILE', bit: 5, abi: 1 },
  { name: 'MAKE_CHAR', bit: 6, abi: 1 },
  { name: 'MAKE_DIR', bit: 7, abi: 1 },
  { name: 'MAKE_REG', bit: 8, abi: 1 },
  { name: 'MAKE_SOCK', bit: 9, abi: 1 },
  { name: 'MAKE_FIFO', bit: 10, abi: 1 },
  { name: 'MAKE_BLOCK', bit: 11, abi: 1 },
  { name: 'MAKE_SYM', bit: 12, abi: 1 },
  { name: 'REFER', bit: 13, abi: 2 },
  { name: 'TRUNCATE', bit: 14, abi: 3 },
  { name: 'IOCTL_DEV', bit: 15, abi: 5 },
] as const;
export type LandlockFsRight = (typeof landlockFsRights)[number]['name'];

export interface LandlockRuleset {
  abi: number;
  handledAccessFs: LandlockFsRight[];
  rules: Array<{ path: string; access: LandlockFsRight[] }>;
}

const bitOf = new Map<string, number>(landlockFsRights.map((r) => [r.name, r.bit]));
const inBitOrder = (s: Set<LandlockFsRight>): LandlockFsRight[] => [...s].sort((a, b) => bitOf.get(a)! - bitOf.get(b)!);

/** Kinds whose rights sit on the path itself (not on its directory). */
const OWN_KINDS = new Set<Access>(['read', 'write', 'exec', 'ioctl', 'readdir']);

/**
 * An O_CREAT open of an existing device node (a shell's `> /dev/null`) is recorded as create but
 * makes nothing (device nodes need mknod and CAP_MKNOD): granting it on /dev would let the
 * workload make entries there. /dev/shm and /dev/mqueue hold real files the workload makes.
 */
function effectiveAccess(pattern: string, access: Access[]): Access[] {
  if (pattern.startsWith('/dev/') && !isGlob(pattern) && !/^\/dev\/(shm|mqueue)\//.test(pattern)) return access.filter((k) => k !== 'create');
  return access;
}

/** The directory a path's entry lives in ("/" for a top-level name). */
function parentOf(p: string): string {
  const trimmed = p.replace(/\/+$/, '');
  const i = trimmed.lastIndexOf('/');
  return i <= 0 ? '/' : trimmed.slice(0, i);
}

/** Where a pattern's Landlock rule goes: itself, or the directory its glob widens to. */
function anchor(pattern: string): { path: string; widened: boolean; tree: boolean } {
  if (!isGlob(pattern)) return { path: pattern, widened: false, tree: false };
  const m = /^(.*?)\/\*\*$/.exec(pattern);
  if (m && !isGlob(m[1]!)) return { path: m[1] || '/', widened: false, tree: true };
  const parts = pattern.split('/');
  const fixed: string[] = [];
  for (const part of parts) {
    if (part.includes('*')) break;
    fixed.push(part);
  }
  return { path: fixed.join('/') || '/', widened: true, tree: true };
}

/** The rights one access kind needs, and where (the path itself, or the directory holding it). */
function rightsFor(k: Access, a: { path: string; tree: boolean }, make: LandlockFsRight[]): { path: string; rights: LandlockFsRight[] } | undefined {
  // entries a glob stands for live beneath its directory; an exact path's live in its parent
  const parent = a.tree ? a.path : parentOf(a.path);
  switch (k) {
    case 'read':
      // reading "everything under a directory" includes listing its subdirectories
      return { path: a.path, rights: a.tree ? ['READ_FILE', 'READ_DIR'] : ['READ_FILE'] };
    case 'write':
      return { path: a.path, rights: ['WRITE_FILE', 'TRUNCATE'] };
    case 'exec':
      // the kernel opens an executable for reading as well (open_exec): Landlock checks both
      return { path: a.path, rights: ['EXECUTE', 'READ_FILE'] };
    case 'ioctl':
      return { path: a.path, rights: ['IOCTL_DEV'] };
    case 'readdir':
      return { path: a.path, rights: ['READ_DIR'] };
    case 'create':
      return { path: parent, rights: make };
    case 'remove':
      return { path: parent, rights: ['REMOVE_FILE', 'REMOVE_DIR'] };
    case 'rename':
      return { path: parent, rights: ['REMOVE_FILE', 'REMOVE_DIR', ...make, 'REFER'] };
    case 'link':
      return { path: parent, rights: ['MAKE_REG', 'REFER'] };
    case 'stat':
    case 'chmod':
    case 'chown':
    case 'mount-target':
      return undefined;
  }
}

export function renderLandlock(p: Policy): RenderResult & { ruleset: LandlockRuleset } {
  const unexpressed: Unexpressed[] = [];
  const grants = new Map<string, Set<LandlockFsRight>>();
  const make: LandlockFsRight[] = ['MAKE_REG', 'MAKE_DIR', 'MAKE_SYM', 'MAKE_SOCK', 'MAKE_FIFO'];
  if (p.capabilities.allow.includes('CAP_MKNOD')) make.push('MAKE_CHAR', 'MAKE_BLOCK');
  const kinds = new Set<Access>();

  for (const r of p.paths) {
    if (!r.pattern.startsWith('/')) {
      unexpressed.push({ item: `${r.action} ${r.access.join(',')} ${r.pattern}`, reason: 'not an absolute path (the tracer could not resolve it): a Landlock rule needs one' });
      continue;
    }
    if (r.action === 'deny') continue; // reported below, once the granted hierarchies are known
    const a = anchor(r.pattern);
    if (a.widened) unexpressed.push({ item: `glob ${r.pattern}`, reason: `Landlock rules are directory hierarchies: widened to everything beneath ${a.path}` });
    const access = effectiveAccess(r.pattern, r.access);
    // A name the workload creates is a new inode when the launcher builds the ruleset (or does not
    // exist yet): whatever it does with it can only be granted on the directory that holds it.
    const created = !a.tree && access.includes('create');
    if (created) {
      const own = access.filter((k) => OWN_KINDS.has(k));
      if (own.length) unexpressed.push({ item: `${own.join(',')} ${r.pattern}`, reason: `a file the workload creates gets its rights from its directory: granted beneath ${parentOf(a.path)}` });
    }
    for (const k of access) {
      kinds.add(k);
      const g = rightsFor(k, created && OWN_KINDS.has(k) ? { path: parentOf(a.path), tree: false } : a, make);
      if (!g) continue;
      const s = grants.get(g.path) ?? new Set<LandlockFsRight>();
      for (const x of g.rights) s.add(x);
      grants.set(g.path, s);
      if (a.tree) continue;
      const what = make.length === 7 ? 'file, directory, symlink, socket, fifo or device node' : 'file, directory, symlink, socket or fifo';
      if (k === 'readdir') unexpressed.push({ item: `readdir ${r.pattern}`, reason: 'READ_DIR covers a hierarchy: every directory beneath it can be listed too' });
      if (k === 'create') unexpressed.push({ item: `create ${r.pattern}`, reason: `Landlock grants making entries on the directory: any new ${what} beneath ${g.path}` });
      if (k === 'remove') unexpressed.push({ item: `remove ${r.pattern}`, reason: `Landlock grants removing entries on the directory: any entry beneath ${g.path}` });
      if (k === 'rename') unexpressed.push({ item: `rename ${r.pattern}`, reason: `Landlock grants renames on the directory: any entry beneath ${g.path} can be moved or replaced` });
      if (k === 'link') {
        unexpressed.push({ item: `link ${r.pattern}`, reason: `a new link is granted on the directory (${g.path}); the link's source is recorded only as stat, and if it lies in another directory Landlock also needs REFER there` });
      }
    }
  }

  // A denial holds only where no granted hierarchy gives the right it is about.
  const within = (g: string, path: string) => g === path || g === '/' || path.startsWith(`${g}/`);
  for (const r of p.paths) {
    if (r.action !== 'deny' || !r.pattern.startsWith('/')) continue;
    const a = anchor(r.pattern);
    const leaks: string[] = [];
    for (const k of r.access) {
      const need = rightsFor(k, a, make);
      if (!need) continue;
      for (const [g, s] of grants) if (within(g, need.path) && need.rights.some((x) => s.has(x))) leaks.push(g);
    }
    const unrestricted = r.access.filter((k) => !rightsFor(k, a, make));
    unexpressed.push({
      item: `deny ${r.access.join(',')} ${r.pattern}`,
      reason: leaks.length
        ? `Landlock is allow-only and the granted hierarchy ${[...new Set(leaks)].join(', ')} covers it: the path stays reachable`
        : unrestricted.length === r.access.length
          ? `Landlock is allow-only and does not restrict ${unrestricted.join(', ')}: it stays allowed`
          : `Landlock is allow-only: nothing grants it, so it is refused, but with EACCES${r.errno && r.errno !== 'EACCES' ? `, not ${r.errno}` : ''}`,
    });
  }

  unexpressed.push({ item: 'stat', reason: 'Landlock does not restrict stat or path lookup: the workload can see metadata of any path it can name' });
  if (kinds.has('chmod') || kinds.has('chown')) unexpressed.push({ item: 'chmod, chown', reason: 'Landlock does not restrict changing modes or owners: allowed wherever the path is reachable' });
  if (kinds.has('ioctl')) unexpressed.push({ item: 'ioctl', reason: 'IOCTL_DEV covers ioctls on device files only; ioctls on other files are not restricted' });
  for (const m of p.mounts) {
    unexpressed.push({
      item: `mount ${m.op} ${[m.fstype, m.source, '→', m.target].filter(Boolean).join(' ')}`,
      reason: ['unshare', 'setns', 'clone', 'clone3'].includes(m.op)
        ? 'namespaces are not a Landlock matter (the launcher and seccomp handle them)'
        : 'a Landlock-restricted process may not mount: the launcher must build the mount view before restricting itself',
    });
  }
  if (p.syscalls.allow.length || p.syscalls.deny.length || p.syscalls.enosys.length) {
    unexpressed.push({ item: 'syscalls', reason: 'Landlock has no syscall rules: the launcher applies them with its seccomp filter' });
  }
  for (const f of [...p.network.allow.map((f) => `allow ${f}`), ...p.network.deny.map((f) => `deny ${f}`)]) {
    unexpressed.push({ item: `network ${f}`, reason: 'Landlock restricts TCP ports (ABI 4), not socket families: the launcher applies families with seccomp' });
  }
  for (const c of p.capabilities.allow) unexpressed.push({ item: `capability ${c}`, reason: 'Landlock has no capability rules: the launcher drops the others' });

  const handled = landlockFsRights.map((r) => r.name) as LandlockFsRight[];
  const ruleset: LandlockRuleset = {
    abi: Math.max(...landlockFsRights.filter((r) => handled.includes(r.name)).map((r) => r.abi)),
    handledAccessFs: handled,
    rules: [...grants].sort(([a], [b]) => a.localeCompare(b)).map(([path, s]) => ({ path, access: inBitOrder(s) })),
  };
  return {
    ruleset,
    artifacts: [{ suffix: null, content: JSON.stringify(ruleset, null, 2) + '\n', description: "Landlock ruleset (whittle's launcher applies it; rights are LANDLOCK_ACCESS_FS_* names)" }],
    unexpressed,
  };
}

export const landlockExporter: Exporter = {
  format: 'landlock',
  description: "Landlock ruleset (JSON) that whittle's launcher applies",
  defaultName: (ctx) => `${ctx.name}.landlock.json`,
  render(p) {
    const { artifacts, unexpressed } = renderLandlock(p);
    return { artifacts, unexpressed };
  },
};
