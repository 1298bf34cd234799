/**
 * landlock: the Landlock ruleset whittle's own launcher applies (launch/plan.ts builds the rules,
 * the tracer applies them), as JSON:
 *
 *   { "abi": N, "handledAccessFs": [RIGHT…],
 *     "rules": [{ "path": "/x", "access": [RIGHT…] }, { "path": "/y", "access": […], "beneath": true }, …] }
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
 * How a launcher applies a rule, as whittle's does: a rule is opened by path at start (symlinks
 * resolved: the tracer records resolved paths). A plain rule on a path that is a directory then
 * takes READ_FILE as READ_DIR (opening the directory) and drops rights only files carry. A rule
 * marked `beneath` grants what the workload makes at or beneath its path (names it creates, links
 * or renames to, a glob's matches): when the path does not exist yet, it goes on the nearest
 * existing parent (never /).
 *
 * Access kinds map to rights like this. On the path itself: read → READ_FILE (and READ_DIR for a
 * glob: "everything under it" includes its subdirectories), write → WRITE_FILE + TRUNCATE, exec →
 * EXECUTE + READ_FILE (the kernel opens an executable for reading too, and Landlock checks both),
 * readdir → READ_DIR, ioctl → IOCTL_DEV. On the parent directory (Landlock grants making and
 * removing entries on the directory that holds them): create → MAKE_REG, MAKE_DIR, MAKE_SYM,
 * MAKE_SOCK, MAKE_FIFO (plus MAKE_CHAR and MAKE_BLOCK when the policy grants CAP_MKNOD: the policy
 * does not say what kind of file was made), remove → REMOVE_FILE + REMOVE_DIR, rename →
 * REMOVE_FILE + REMOVE_DIR + the MAKE_* set + REFER, link → MAKE_REG + REFER. A name the workload
 * creates, links or renames to is a new inode at run time, so its own rights (read, write, …) go
 * on its directory too. An O_CREAT open of an existing device node (`> /dev/null`) makes nothing
 * and grants nothing on /dev. stat, chmod, chown and mount-target have no Landlock right. A
 * process's own /proc entries (/proc/self/…) are another inode in each process: their rights go on
 * all of /proc.
 *
 * What it cannot express (each reported in `unexpressed`, never dropped):
 * - deny rules: Landlock is allow-only. A denied path outside every granted hierarchy is refused
 *   anyway, but with EACCES rather than the person's errno; one inside a granted hierarchy stays
 *   reachable;
 * - exact paths for globs: a Landlock rule is a whole directory hierarchy, so a glob widens to
 *   its longest directory prefix (reported for each glob that widens; `DIR/**` does not);
 * - exact names for made or removed entries: rights on the parent cover every entry beneath it;
 * - READ_DIR on a directory lists every directory beneath it;
 * - a process's own /proc entries: granted on all of /proc;
 * - stat (and path lookup), chmod, chown: Landlock does not restrict them (one note each);
 * - mounts: a Landlock-restricted process may not mount at all (the launcher builds the mount
 *   view before restricting itself);
 * - syscalls, socket families and capabilities: the launcher enforces them with seccomp and a
 *   capability drop, not with this ruleset;
 * - paths that are not absolute (the tracer could not resolve them).
 */
import { effectiveAccess, globRoot, landlockRights, landlockRules, madeHere, ownProc, parentRights, type LandlockRule } from '../launch/plan.js';
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
  rules: Array<{ path: string; access: LandlockFsRight[]; beneath?: true }>;
}

const bitOf = new Map<string, number>(landlockFsRights.map((r) => [r.name, r.bit]));
const inBitOrder = (s: Set<LandlockFsRight>): LandlockFsRight[] => [...s].sort((a, b) => bitOf.get(a)! - bitOf.get(b)!);

/** Kinds whose rights sit on the path itself (not on its directory). */
const OWN_KINDS = new Set<Access>(['read', 'write', 'exec', 'ioctl', 'readdir']);

/** The directory a path's entry lives in ("/" for a top-level name). */
function parentOf(p: string): string {
  const trimmed = p.replace(/\/+$/, '');
  const i = trimmed.lastIndexOf('/');
  return i <= 0 ? '/' : trimmed.slice(0, i);
}

/** Does a glob widen beyond what it says? `DIR/**` is exactly the hierarchy at DIR; others are. */
function widens(pattern: string): boolean {
  const m = /^(.*?)\/\*\*$/.exec(pattern);
  return !(m && !isGlob(m[1]!));
}

/** Where the rights one access kind needs sit: the path itself, or the directory that holds it. */
function needFor(k: Access, pattern: string, mknod: boolean): { path: string; rights: string[] } | undefined {
  const glob = isGlob(pattern);
  const at = glob ? globRoot(pattern) : pattern;
  const own = landlockRights([k], glob);
  if (own.length) return { path: at, rights: own };
  const pr = parentRights([k], mknod);
  if (pr.length) return { path: glob ? at : parentOf(at), rights: pr };
  return undefined;
}

/** What a policy's paths lose in Landlock terms (the rules themselves are launch/plan.ts's). */
function pathNotes(p: Policy, rules: LandlockRule[]): Unexpressed[] {
  const out: Unexpressed[] = [];
  const mknod = p.capabilities.allow.includes('CAP_MKNOD');
  const what = mknod ? 'file, directory, symlink, socket, fifo or device node' : 'file, directory, symlink, socket or fifo';
  for (const r of p.paths) {
    if (!r.pattern.startsWith('/')) {
      out.push({ item: `${r.action} ${r.access.join(',')} ${r.pattern}`, reason: 'not an absolute path (the tracer could not resolve it): a Landlock rule needs one' });
      continue;
    }
    if (r.action === 'deny') continue; // reported below
    if (isGlob(r.pattern)) {
      if (widens(r.pattern)) out.push({ item: `glob ${r.pattern}`, reason: `Landlock rules are directory hierarchies: widened to everything beneath ${globRoot(r.pattern)}` });
      continue;
    }
    const access = effectiveAccess(r);
    const own = access.filter((k) => OWN_KINDS.has(k));
    if (ownProc(r.pattern) && own.length) {
      out.push({ item: `${own.join(',')} ${r.pattern}`, reason: "Landlock cannot tell a process's own /proc entries from another's: granted on all of /proc" });
      continue;
    }
    const dir = parentOf(r.pattern);
    if (access.some((k) => madeHere.has(k)) && own.length) {
      out.push({ item: `${own.join(',')} ${r.pattern}`, reason: `a name the workload makes is a new inode at run time: its rights come from its directory, granted beneath ${dir}` });
    }
    for (const k of access) {
      if (k === 'readdir') out.push({ item: `readdir ${r.pattern}`, reason: 'READ_DIR covers a hierarchy: every directory beneath it can be listed too' });
      if (k === 'create') out.push({ item: `create ${r.pattern}`, reason: `Landlock grants making entries on the directory: any new ${what} beneath ${dir}` });
      if (k === 'remove') out.push({ item: `remove ${r.pattern}`, reason: `Landlock grants removing entries on the directory: any entry beneath ${dir}` });
      if (k === 'rename') out.push({ item: `rename ${r.pattern}`, reason: `Landlock grants renames on the directory: any entry beneath ${dir} can be moved or replaced` });
      if (k === 'link') out.push({ item: `link ${r.pattern}`, reason: `a new link is granted on the directory (${dir}); the link's source is recorded only as stat, and if it lies in another directory Landlock also needs REFER there` });
    }
  }

  // A denial holds only where no granted hierarchy gives the right it is about.
  const within = (g: string, at: string) => g === at || g === '/' || at.startsWith(`${g}/`);
  for (const r of p.paths) {
    if (r.action !== 'deny' || !r.pattern.startsWith('/')) continue;
    const leaks = new Set<string>();
    let restricted = 0;
    for (const k of r.access) {
      const need = needFor(k, r.pattern, mknod);
      if (!need) continue;
      restricted++;
      for (const g of rules) if (within(g.path, need.path) && need.rights.some((x) => g.rights.includes(x))) leaks.add(g.path);
    }
    out.push({
      item: `deny ${r.access.join(',')} ${r.pattern}`,
      reason: leaks.size
        ? `Landlock is allow-only and the granted hierarchy ${[...leaks].join(', ')} covers it: the path stays reachable`
        : restricted === 0
          ? `Landlock is allow-only and does not restrict ${r.access.join(', ')}: it stays allowed`
          : `Landlock is allow-only: nothing grants it, so it is refused, but with EACCES${r.errno && r.errno !== 'EACCES' ? `, not ${r.errno}` : ''}`,
    });
  }
  return out;
}

export function renderLandlock(p: Policy): RenderResult & { ruleset: LandlockRuleset } {
  const rules = landlockRules(p);
  const unexpressed = pathNotes(p, rules);
  const kinds = new Set<Access>(p.paths.filter((r) => r.action === 'allow').flatMap((r) => r.access));

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
    rules: rules.map((r) => ({ path: r.path, access: inBitOrder(new Set(r.rights as LandlockFsRight[])), ...(r.beneath ? { beneath: true as const } : {}) })),
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
