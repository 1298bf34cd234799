/**
 * systemd: a unit drop-in (`[Service]` section) for the service that runs the workload, e.g.
 * /etc/systemd/system/NAME.service.d/whittle.conf — checked with systemd 252 (`systemd-analyze
 * verify`, which reads `UNIT.d/*.conf` beside the unit, and `systemd-analyze syscall-filter`).
 *
 * What it sets: NoNewPrivileges=yes; SystemCallArchitectures=native (plus x86 when the workload
 * used the i386 ABI); SystemCallFilter= with the allowed names, then `SystemCallFilter=~…` for the
 * names of systemd's @default set the policy does not allow (systemd adds @default to every allow
 * list, a later deny list removes names from it); SystemCallErrorNumber=EPERM (the policy's
 * default); RestrictAddressFamilies= with the accepted families (`none` without any);
 * PrivateNetwork=yes when neither AF_INET nor AF_INET6 was accepted; CapabilityBoundingSet= with
 * the accepted capabilities (empty: none); and the filesystem as trees: ReadOnlyPaths=/ (the man
 * page's allow-list idiom: every accepted read stays possible, nothing is writable unless listed),
 * ReadWritePaths= where the policy changes files (write, chmod, chown on the path itself; create,
 * remove, rename, link need the directory above), InaccessiblePaths= for denied paths. Every path
 * but / has the "-" prefix (ignored when missing, so a path that does not exist yet cannot stop the
 * unit; each setting fails safe that way).
 *
 * What systemd 252 cannot express (each reported in `unexpressed`, item by item):
 * - a per-syscall errno in an allow list: `name:errno` is refused there ("Allow-listed system
 *   calls cannot take error number") and a later `~name:errno` only removes the name, so ENOSYS
 *   for probe syscalls never seen, and denials with an errno other than EPERM, answer EPERM;
 * - ENOSYS for syscalls newer than the horizon (systemd answers them EPERM; v255 changed that);
 * - syscall names systemd 252 does not know (systemdUnknownSyscalls): not emitted, so they answer
 *   EPERM; address families it does not take (AF_UNSPEC);
 * - globs: systemd takes trees, not patterns — an allowed glob is widened to the directory before
 *   its first wildcard (`dir/**` is exactly the tree `dir`), a file to create to its directory;
 *   a denied glob is not widened (that could hide what the workload needs) and is reported;
 * - a path errno: InaccessiblePaths= answers EACCES only without CAP_DAC_OVERRIDE (root with it
 *   reads an empty node); writes outside ReadWritePaths= fail with EROFS;
 * - reading and executing are not limited to the accepted paths (ReadOnlyPaths=/ keeps the rest
 *   readable; NoExecPaths=/ would also stop shared libraries, which a policy records as reads);
 * - mounts (what may be mounted where), and the family restriction on the i386 ABI (systemd does
 *   not filter socket() there at all).
 */
import type { PathRule, Policy } from '../model/policy.js';
import { syscallByName, syscallNumber } from '../model/knowledge/syscalls.js';
import { familyByName } from '../model/knowledge/families.js';
import { capabilityByName } from '../model/knowledge/capabilities.js';
import { errnoByNumber } from '../model/knowledge/errnos.js';
import { seccompOnlyUnexpressed, seccompRules } from './seccomp-rules.js';
import type { Exporter, RenderContext, RenderResult, Unexpressed } from './types.js';

/** systemd 252's @default set (`systemd-analyze syscall-filter @default`): allowed in every allow list. */
export const systemdDefaultSet: readonly string[] = [
  'arch_prctl', 'brk', 'cacheflush', 'clock_getres', 'clock_getres_time64', 'clock_gettime', 'clock_gettime64', 'clock_nanosleep',
  'clock_nanosleep_time64', 'execve', 'exit', 'exit_group', 'futex', 'futex_time64', 'futex_waitv', 'get_robust_list', 'get_thread_area',
  'getegid', 'getegid32', 'geteuid', 'geteuid32', 'getgid', 'getgid32', 'getgroups', 'getgroups32', 'getpgid', 'getpgrp', 'getpid',
  'getppid', 'getrandom', 'getresgid', 'getresgid32', 'getresuid', 'getresuid32', 'getrlimit', 'getsid', 'gettid', 'gettimeofday',
  'getuid', 'getuid32', 'membarrier', 'mmap', 'mmap2', 'mprotect', 'munmap', 'nanosleep', 'pause', 'prlimit64', 'restart_syscall',
  'riscv_flush_icache', 'riscv_hwprobe', 'rseq', 'rt_sigreturn', 'sched_getaffinity', 'sched_yield', 'set_robust_list',
  'set_thread_area', 'set_tid_address', 'set_tls', 'sigreturn', 'time', 'ugetrlimit', 'uretprobe',
];

/**
 * Syscalls of whittle's table (Linux 6.18) that systemd 252 does not know, measured on Debian 12
 * (systemd 252 with libseccomp 2.5.4): not listed by `systemd-analyze syscall-filter`, or listed
 * but refused by SystemCallFilter= ("Failed to parse system call": uretprobe, which libseccomp
 * 2.5.4 cannot resolve). test/integration/export-systemd.test.ts re-measures this list.
 */
export const systemdUnknownSyscalls: readonly string[] = [
  'cachestat', 'file_getattr', 'file_setattr', 'getxattrat', 'listmount', 'listxattrat', 'lsm_get_self_attr', 'lsm_list_modules',
  'lsm_set_self_attr', 'mseal', 'open_tree_attr', 'removexattrat', 'setxattrat', 'statmount', 'uprobe', 'uretprobe',
];

const FORMAT = 'a systemd unit';
const unknown = new Set(systemdUnknownSyscalls);

/** Access kinds that only look; ReadOnlyPaths=/ keeps them possible everywhere. */
const LOOKING = new Set(['read', 'stat', 'readdir', 'exec', 'ioctl']);
/** Changing the path itself. */
const IN_PLACE = new Set(['write', 'chmod', 'chown']);
/** Changing the directory the path is in. */
const IN_DIRECTORY = new Set(['create', 'remove', 'rename', 'link']);

const hasGlob = (component: string): boolean => component.includes('*');

/**
 * The tree systemd can take for a pattern: the pattern itself without wildcards, `dir` for
 * `dir/**`, else the directory before the first wildcard (widened).
 */
export function treeOf(pattern: string): { tree: string; widened: boolean; glob: boolean } {
  const parts = pattern.split('/').filter((c) => c !== '');
  const first = parts.findIndex(hasGlob);
  if (first < 0) return { tree: '/' + parts.join('/'), widened: false, glob: false };
  const tree = '/' + parts.slice(0, first).join('/');
  const exact = first === parts.length - 1 && parts[first] === '**';
  return { tree, widened: !exact, glob: true };
}

const parentOf = (p: string): string => (p.lastIndexOf('/') <= 0 ? '/' : p.slice(0, p.lastIndexOf('/')));
const within = (p: string, tree: string): boolean => tree === '/' || p === tree || p.startsWith(tree + '/');

/** A path as a unit file takes it: % doubled (specifiers), quoted when it has blanks or quotes. */
export function unitPath(p: string, prefix = ''): string {
  const s = p.replace(/%/g, '%%');
  if (!/[\s"'\\]/.test(s)) return prefix + s;
  return `"${prefix}${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Space-separated values on as many `Key=` lines as needed to keep lines short. */
function directive(key: string, values: string[], lead = '', width = 100): string[] {
  if (!values.length) return [`${key}=`];
  const out: string[] = [];
  let line = '';
  for (const v of values) {
    if (line && key.length + 1 + lead.length + line.length + 1 + v.length > width) {
      out.push(`${key}=${lead}${line}`);
      line = '';
    }
    line = line ? `${line} ${v}` : v;
  }
  out.push(`${key}=${lead}${line}`);
  return out;
}

/** Drop trees that lie inside another one of the list. */
function outermost(trees: string[]): string[] {
  const sorted = [...new Set(trees)].sort();
  return sorted.filter((t) => !sorted.some((o) => o !== t && within(t, o)));
}

const ruleItem = (r: PathRule): string => `${r.action} ${r.access.join(',')} ${r.pattern}`;

export function renderSystemd(p: Policy, ctx: RenderContext): RenderResult {
  const unexpressed: Unexpressed[] = [];
  const { rules, unexpressed: shared } = seccompRules(p, { name: ctx.name });
  // The family restriction is RestrictAddressFamilies= here, not seccomp rules: the shared notes
  // on socket rules do not apply (systemd's own limits are reported below).
  // A denial newer than the horizon needs no name here (not in the allow list is enough): the
  // shared note on runtimes skipping unknown names does not apply either.
  unexpressed.push(...shared.filter((u) => !/socket/.test(u.item) && !u.item.startsWith('deny ')));
  const socketAllowed = p.syscalls.allow.includes('socket');
  const abis: Array<'x86_64' | 'x86'> = p.arch.abis.includes('x86') ? ['x86_64', 'x86'] : ['x86_64'];
  const onAbis = (name: string): boolean => abis.some((a) => syscallNumber(a, name) !== null);

  // ── syscalls ──
  const allowed = new Set(rules.allow);
  if (socketAllowed) allowed.add('socket'); // which families: RestrictAddressFamilies=
  const allow: string[] = [];
  for (const n of [...allowed].sort()) {
    if (unknown.has(n)) unexpressed.push({ item: `allow ${n}`, reason: 'systemd 252 does not know this syscall: not written, so it answers EPERM' });
    else allow.push(n);
  }
  const removeDefault = systemdDefaultSet.filter((n) => !allowed.has(n) && !unknown.has(n) && syscallByName(n) && onAbis(n));
  const defaultErrno = p.syscalls.defaultErrno;
  for (const e of rules.errno) {
    if (e.errno === rules.defaultErrno) continue; // denied by the allow list itself
    const name = errnoByNumber(e.errno)?.name ?? String(e.errno);
    for (const n of e.names) {
      if (n === 'socket' && socketAllowed) continue; // no family accepted: RestrictAddressFamilies=none answers EAFNOSUPPORT
      const probe = p.syscalls.enosys.includes(n);
      unexpressed.push({
        item: `${probe ? 'probe' : 'deny'} ${n} (${name})`,
        reason: `systemd 252 takes no per-syscall errno in an allow list (only deny lists take "name:errno"): ${n} answers ${defaultErrno}`,
      });
    }
  }
  unexpressed.push({
    item: `ENOSYS for syscalls newer than the horizon (x86_64 number > ${p.horizon.syscall})`,
    reason: `systemd 252 answers every syscall outside the allow list with SystemCallErrorNumber (${defaultErrno}); systemd 255 and later answer the ones it does not know ENOSYS`,
  });

  // ── network ──
  const families: string[] = [];
  for (const f of p.network.allow) {
    const info = familyByName(f);
    if (!info || info.number === 0) unexpressed.push({ item: `network ${f}`, reason: 'RestrictAddressFamilies= does not take this family: not written' });
    else families.push(info.name);
  }
  // socket() allowed with no family seen or decided: nothing is known to restrict it by
  const restrictFamilies = !socketAllowed || p.network.allow.length > 0 || p.network.deny.length > 0;
  const inet = families.includes('AF_INET') || families.includes('AF_INET6') || !restrictFamilies;
  if (abis.includes('x86') && (allowed.has('socket') || allowed.has('socketcall'))) {
    unexpressed.push({ item: 'network families on the i386 ABI', reason: 'systemd does not filter socket() on 32-bit x86 (RestrictAddressFamilies= is ignored there)' });
  }

  // ── capabilities ──
  const caps: string[] = [];
  for (const c of p.capabilities.allow) {
    const info = capabilityByName(c);
    if (info) caps.push(info.name);
    else unexpressed.push({ item: `capability ${c}`, reason: 'not a capability systemd knows: not written (dropped)' });
  }

  // ── paths ──
  const dacBypass = caps.includes('CAP_DAC_OVERRIDE') || caps.includes('CAP_DAC_READ_SEARCH');
  const writable: string[] = [];
  const inaccessible: string[] = [];
  const changeDenied: PathRule[] = [];
  let execRules = 0;
  for (const r of p.paths) {
    const kinds = new Set<string>(r.access);
    const { tree, widened, glob } = treeOf(r.pattern);
    if (r.action === 'allow') {
      if (kinds.has('exec')) execRules++;
      const inPlace = [...kinds].some((k) => IN_PLACE.has(k));
      const inDir = [...kinds].some((k) => IN_DIRECTORY.has(k));
      if (inPlace) {
        writable.push(tree);
        if (widened) unexpressed.push({ item: ruleItem(r), reason: `systemd takes no globs: the whole tree ${tree} is writable (ReadWritePaths=)` });
      }
      if (inDir) {
        // creating, removing or renaming needs the directory writable; dir/** is already that tree
        const dir = glob ? tree : parentOf(tree);
        writable.push(dir);
        if (!glob || widened) {
          unexpressed.push({ item: ruleItem(r), reason: `systemd takes trees, not single entries to create or remove: the whole directory ${dir} is writable (ReadWritePaths=)` });
        }
      }
      continue;
    }
    // deny
    const looks = [...kinds].some((k) => LOOKING.has(k));
    if (glob) {
      unexpressed.push({ item: ruleItem(r), reason: 'systemd takes no globs, and hiding the whole directory could hide what the workload needs: not written' });
      continue;
    }
    if (looks) {
      inaccessible.push(tree);
      if (r.errno && !(r.errno === 'EACCES' && !dacBypass)) {
        unexpressed.push({
          item: ruleItem(r),
          reason: `InaccessiblePaths= hides it behind an empty mode-000 node: the workload gets EACCES without CAP_DAC_OVERRIDE and an empty node with it, not ${r.errno}`,
        });
      }
    } else changeDenied.push(r);
  }
  const rw = outermost(writable);
  for (const r of changeDenied) {
    const inside = rw.find((t) => within(r.pattern, t));
    if (inside) {
      unexpressed.push({ item: ruleItem(r), reason: `it lies inside the writable tree ${inside}: systemd cannot refuse one change there` });
    } else if (r.errno && r.errno !== 'EROFS') {
      unexpressed.push({ item: ruleItem(r), reason: `refused by ReadOnlyPaths=/ with EROFS, not ${r.errno}` });
    }
  }
  const hidden = outermost(inaccessible);
  unexpressed.push({
    item: 'reading limited to the accepted paths',
    reason: 'systemd path settings restrict by tree: ReadOnlyPaths=/ keeps every other path readable (a closed view needs TemporaryFileSystem=/ and BindReadOnlyPaths=)',
  });
  if (execRules > 0) {
    unexpressed.push({
      item: 'exec limited to the accepted executables',
      reason: 'NoExecPaths=/ with ExecPaths= would also refuse shared libraries, which a policy records as reads: any readable file can be executed',
    });
  }
  for (const u of seccompOnlyUnexpressed(p, FORMAT)) if (u.item.startsWith('mount ')) unexpressed.push(u);

  // ── the drop-in ──
  const out: string[] = [];
  out.push(`# whittle: systemd drop-in for ${p.workload.argv.join(' ')}`);
  out.push(`# generated by ${p.generatedBy} from ${p.sources.map((s) => s.snapshot).join(', ')}`);
  out.push('# install as /etc/systemd/system/UNIT.service.d/whittle.conf, then: systemctl daemon-reload');
  if (p.undecided.count) out.push(`# ${p.undecided.count} undecided item(s) were treated as ${p.undecided.treatedAs === 'deny' ? 'denied' : 'accepted'}`);
  out.push('[Service]');
  out.push('NoNewPrivileges=yes');
  out.push(`SystemCallArchitectures=${abis.includes('x86') ? 'native x86' : 'native'}`);
  out.push('# the syscalls the policy allows (every other one answers SystemCallErrorNumber=)');
  // an empty SystemCallFilter= would reset the filter: open the allow list with @default instead
  out.push(...directive('SystemCallFilter', allow.length ? allow : ['@default']));
  if (removeDefault.length) {
    out.push("# systemd allows its @default set in every allow list: these are not in the policy");
    out.push(...directive('SystemCallFilter', removeDefault, '~'));
  }
  out.push(`SystemCallErrorNumber=${defaultErrno}`);
  if (restrictFamilies) out.push(families.length ? `RestrictAddressFamilies=${families.join(' ')}` : 'RestrictAddressFamilies=none');
  else out.push('# socket() is allowed and no address family was recorded: families are not restricted');
  if (!inet) out.push('# no AF_INET/AF_INET6 socket was accepted: an empty network namespace (loopback only)');
  if (!inet) out.push('PrivateNetwork=yes');
  if (p.capabilities.inferred.length) out.push(`# inferred from syscalls, not seen by a probe: ${p.capabilities.inferred.join(' ')}`);
  out.push(`CapabilityBoundingSet=${caps.join(' ')}`);
  out.push('# everything read-only; writable only where the policy changes files');
  out.push('ReadOnlyPaths=/');
  if (rw.length) out.push(...directive('ReadWritePaths', rw.map((t) => unitPath(t, t === '/' ? '' : '-'))));
  if (hidden.length) out.push(...directive('InaccessiblePaths', hidden.map((t) => unitPath(t, '-'))));
  return {
    artifacts: [{ suffix: null, content: out.join('\n') + '\n', description: 'systemd drop-in: put it in /etc/systemd/system/UNIT.service.d/whittle.conf' }],
    unexpressed,
  };
}

export const systemdExporter: Exporter = {
  format: 'systemd',
  description: 'systemd unit drop-in ([Service]): SystemCallFilter=, paths, families, capabilities',
  defaultName: (ctx) => `${ctx.name}.systemd.conf`,
  render: renderSystemd,
};
