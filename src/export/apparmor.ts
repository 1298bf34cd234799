/**
 * apparmor: an AppArmor 3 profile for the workload's executable (text, for apparmor_parser).
 *
 * The profile is named after the workload (ctx.name) and attached to the path the kernel saw
 * executed first: the exec rule that matches argv[0], else the earliest exec rule (AppArmor
 * attaches by the resolved path, which is what the tracer records). It holds:
 * - file rules from the path rules. read → r, write/chmod/chown → w, create/remove/rename → w on
 *   `PATH{,/}` (AppArmor 3's policy language has no separate create or delete permission, and a
 *   directory is matched with a trailing slash: the policy does not say whether a file or a
 *   directory was made), rename → rw (the kernel asks for read on the source), link → l,
 *   readdir → r on `PATH/`, exec → ix. Exec is `ix`, not `px`: whittle learned the whole process
 *   tree into one policy, so a child must run under this same profile; `px` would need a profile
 *   per program, which whittle does not write, and the exec would be refused. Exec rules carry
 *   `m` too (the kernel maps the ELF interpreter it opens for an exec), and so do read rules on
 *   shared objects (a `.so` name, or a glob that may cover one): the dynamic loader maps them
 *   executable, and the policy only records the open;
 * - `deny` rules from denied path rules (AppArmor answers EACCES);
 * - mount rules from accepted mount(2), umount and pivot_root operations;
 * - `network FAMILY,` for each accepted socket family and `deny network FAMILY,` for each denied
 *   one (the policy keeps families, not socket types, so a rule covers every type);
 * - `capability NAME,` for each accepted capability (inferred ones included);
 * - a fixed set of denials that hold whatever was accepted, with the intent of LXC's default
 *   container profile: no writes to /proc/sysrq-trigger, /proc/sys/fs/binfmt_misc,
 *   /sys/kernel/security, /sys/kernel/debug or /dev/mem, and no remount of /dev/pts.
 *
 * What it cannot express (each reported in `unexpressed`, never dropped):
 * - syscalls: AppArmor has no syscall filter (the allowlist, each denied syscall and its errno,
 *   the ENOSYS answers for probe syscalls and for numbers above the horizon);
 * - stat and path lookup are not mediated (allowed everywhere), nor are ioctl requests;
 * - a denied path's errno other than EACCES;
 * - mount flags AppArmor 3 has no name for, the new mount API (fsopen, move_mount, open_tree),
 *   and namespace operations (unshare, setns, clone flags: AppArmor 4 brought userns rules);
 * - socket families and capabilities AppArmor 3.0 does not know;
 * - accepted items the fixed denials override;
 * - paths that are not absolute (the tracer could not resolve them);
 * - enforcement itself: AppArmor only acts where the kernel has it active. On the kernel whittle
 *   was built for (Linux 6.18 with lockdown, capability, landlock, bpf) it is compiled in but not
 *   active, so the profile compiles there and enforces nothing; whittle run enforces the same
 *   policy with Landlock, a mount view and seccomp instead.
 */
import { globMatches, isGlob } from '../model/glob.js';
import type { Access } from '../model/items.js';
import type { MountRule, PathRule, Policy } from '../model/policy.js';
import type { Exporter, RenderContext, RenderResult, Unexpressed } from './types.js';

/** Socket families AppArmor 3.0's parser knows, by the kernel's name. */
const FAMILIES: Record<string, string> = Object.fromEntries(
  [
    'unspec', 'unix', 'inet', 'ax25', 'ipx', 'appletalk', 'netrom', 'bridge', 'atmpvc', 'x25', 'inet6', 'rose', 'netbeui', 'security',
    'key', 'netlink', 'packet', 'ash', 'econet', 'atmsvc', 'rds', 'sna', 'irda', 'pppox', 'wanpipe', 'llc', 'ib', 'mpls', 'can', 'tipc',
    'bluetooth', 'iucv', 'rxrpc', 'isdn', 'phonet', 'ieee802154', 'caif', 'alg', 'nfc', 'vsock', 'kcm', 'qipcrtr', 'smc', 'xdp', 'mctp',
  ].map((f) => [`AF_${f.toUpperCase()}`, f]),
);
FAMILIES.AF_LOCAL = 'unix';
FAMILIES.AF_FILE = 'unix';
FAMILIES.AF_ROUTE = 'netlink';

/** Capabilities AppArmor 3.0 knows (CAP_CHOWN … CAP_CHECKPOINT_RESTORE). */
const CAPABILITIES = new Set([
  'chown', 'dac_override', 'dac_read_search', 'fowner', 'fsetid', 'kill', 'setgid', 'setuid', 'setpcap', 'linux_immutable',
  'net_bind_service', 'net_broadcast', 'net_admin', 'net_raw', 'ipc_lock', 'ipc_owner', 'sys_module', 'sys_rawio', 'sys_chroot',
  'sys_ptrace', 'sys_pacct', 'sys_admin', 'sys_boot', 'sys_nice', 'sys_resource', 'sys_time', 'sys_tty_config', 'mknod', 'lease',
  'audit_write', 'audit_control', 'setfcap', 'mac_override', 'mac_admin', 'syslog', 'wake_alarm', 'block_suspend', 'audit_read',
  'perfmon', 'bpf', 'checkpoint_restore',
]);

/** mount(2) flags and AppArmor's names for them. MS_REMOUNT, MS_BIND, MS_MOVE, MS_REC: by the op. */
const MOUNT_OPTIONS: Record<string, string> = {
  MS_RDONLY: 'ro', MS_NOSUID: 'nosuid', MS_NODEV: 'nodev', MS_NOEXEC: 'noexec', MS_SYNCHRONOUS: 'sync', MS_MANDLOCK: 'mand',
  MS_DIRSYNC: 'dirsync', MS_NOATIME: 'noatime', MS_NODIRATIME: 'nodiratime', MS_SILENT: 'silent', MS_POSIXACL: 'acl',
  MS_RELATIME: 'relatime', MS_I_VERSION: 'iversion', MS_STRICTATIME: 'strictatime',
};
const PROPAGATION: Record<string, string> = { MS_PRIVATE: 'private', MS_SLAVE: 'slave', MS_SHARED: 'shared', MS_UNBINDABLE: 'unbindable' };

/** Writes that hold whatever was accepted: [path pattern as AppArmor text, what it covers, for the override check]. */
const FIXED_DENIALS: Array<{ rule: string; covers: string; why: string }> = [
  { rule: 'deny /proc/sysrq-trigger wl,', covers: '/proc/sysrq-trigger', why: 'one letter written here reboots, crashes or freezes the machine' },
  { rule: 'deny /proc/sys/fs/binfmt_misc/{,**} wl,', covers: '/proc/sys/fs/binfmt_misc', why: 'registering an interpreter runs it for matching executables, setuid ones included' },
  { rule: 'deny /sys/kernel/security/{,**} wl,', covers: '/sys/kernel/security', why: 'securityfs: LSM policy, this profile included, could be replaced' },
  { rule: 'deny /sys/kernel/debug/{,**} wl,', covers: '/sys/kernel/debug', why: 'debugfs: raw kernel internals' },
  { rule: 'deny /dev/mem wl,', covers: '/dev/mem', why: 'physical memory of the machine' },
];
const WRITE_KINDS = new Set<Access>(['write', 'create', 'remove', 'rename', 'link', 'chmod', 'chown']);

/** A path or pattern as AppArmor text: quoted when needed, AppArmor's own glob characters escaped. */
export function aaPath(p: string, suffix = ''): string {
  let out = '';
  for (const ch of p) {
    const code = ch.codePointAt(0)!;
    if (code < 0x20 || code === 0x7f) out += '\\' + code.toString(8).padStart(3, '0');
    else if ('\\"?[]{}^'.includes(ch)) out += '\\' + ch;
    else out += ch;
  }
  return /^[A-Za-z0-9_/.*+\-:~%=@\\]+$/.test(out) ? out + suffix : `"${out}${suffix}"`;
}

/** A shared object, or a glob that may cover one: the loader maps it executable (AppArmor `m`). */
function mayBeMapped(pattern: string): boolean {
  const last = pattern.slice(pattern.lastIndexOf('/') + 1);
  return /\.so(\.\d+)*$/.test(last) || last.includes('*');
}

/** AppArmor permission text in a fixed order: m r w l, then the exec mode. */
function permText(perms: Set<string>): string {
  return ['m', 'r', 'w', 'l', 'x', 'ix'].filter((p) => perms.has(p)).join('');
}

interface FileLine {
  target: string;
  perms: Set<string>;
}

/** The file rules one path rule makes; kinds with no rule are returned for the notes. */
function fileLines(r: PathRule, deny: boolean): { lines: FileLine[]; unmediated: Access[] } {
  const plain = new Set<string>();
  const dirCapable = new Set<string>();
  const dir = new Set<string>();
  const unmediated: Access[] = [];
  for (const a of r.access) {
    switch (a) {
      case 'read':
        plain.add('r');
        if (!deny && mayBeMapped(r.pattern)) plain.add('m');
        break;
      case 'write':
      case 'chmod':
      case 'chown':
        plain.add('w');
        break;
      case 'create':
      case 'remove':
        dirCapable.add('w');
        break;
      case 'rename':
        dirCapable.add('w');
        dirCapable.add('r');
        break;
      case 'link':
        plain.add('l');
        break;
      case 'exec':
        if (deny) plain.add('x');
        else {
          plain.add('m');
          plain.add('ix');
        }
        break;
      case 'readdir':
        dir.add('r');
        break;
      case 'stat':
      case 'ioctl':
      case 'mount-target':
        unmediated.push(a);
        break;
    }
  }
  const lines: FileLine[] = [];
  if (plain.size) lines.push({ target: aaPath(r.pattern), perms: plain });
  if (dirCapable.size) lines.push({ target: aaPath(r.pattern, r.pattern.endsWith('/') || r.pattern.endsWith('**') ? '' : '{,/}'), perms: dirCapable });
  if (dir.size) lines.push({ target: aaPath(r.pattern, r.pattern.endsWith('/') || r.pattern.endsWith('**') ? '' : '/'), perms: dir });
  return { lines, unmediated };
}

/** mount flags → AppArmor options; names AppArmor lacks come back separately. */
function mountOptions(flags: string): { known: string[]; unknown: string[]; rec: boolean; propagation: string[] } {
  const known: string[] = [];
  const unknown: string[] = [];
  const propagation: string[] = [];
  let rec = false;
  for (const f of flags.split('|').map((s) => s.trim()).filter(Boolean)) {
    if (f === 'MS_REC') rec = true;
    else if (f === 'MS_REMOUNT' || f === 'MS_BIND' || f === 'MS_MOVE') continue;
    else if (MOUNT_OPTIONS[f]) known.push(MOUNT_OPTIONS[f]!);
    else if (PROPAGATION[f]) propagation.push(PROPAGATION[f]!);
    else unknown.push(f);
  }
  return { known, unknown, rec, propagation };
}

const dirPath = (p: string): string => aaPath(p.endsWith('/') ? p : `${p}/`);

/** One mount rule as AppArmor text, or why it cannot be one. */
function mountLine(m: MountRule): { line?: string; unexpressed?: Unexpressed } {
  const label = `mount ${m.op} ${[m.fstype, m.source, '→', m.target].filter(Boolean).join(' ')}${m.flags ? ` (${m.flags})` : ''}`;
  const refuse = (reason: string) => ({ unexpressed: { item: label, reason } });
  if (['unshare', 'setns', 'clone', 'clone3'].includes(m.op)) {
    return refuse('AppArmor 3.0 has no namespace rules (user namespace rules came with AppArmor 4): not restricted by this profile');
  }
  if (['fsopen', 'fsmount', 'move_mount', 'open_tree', 'fspick', 'mount_setattr'].includes(m.op)) {
    return refuse("AppArmor 3.0's mount rules cover mount(2), umount and pivot_root, not the new mount API: no rule, the call is not restricted by a mount rule");
  }
  const { known, unknown, rec, propagation } = mountOptions(m.flags);
  const missing = unknown.length ? refuse(`AppArmor 3.0 has no mount option for ${unknown.join(', ')}: the rule leaves it out, so this mount is refused`) : {};
  const src = m.source && !m.source.startsWith('(') ? `${aaPath(m.source)} ` : '';
  if (!m.target.startsWith('/') && m.op !== 'pivot_root') return refuse('the mount point is not an absolute path');
  switch (m.op) {
    case 'mount': {
      const fstype = m.fstype ? `fstype=${aaPath(m.fstype)} ` : '';
      const opts = known.length ? known : ['rw'];
      return { line: `mount ${fstype}options=(${opts.join(',')}) ${src}-> ${dirPath(m.target)},`, ...missing };
    }
    case 'bind':
      return { line: `mount options=(${rec ? 'rbind' : 'bind'}) ${src}-> ${aaPath(m.target)}{,/},` };
    case 'move':
      return { line: `mount options=(move) ${src}-> ${dirPath(m.target)},` };
    case 'remount':
    case 'remount-bind': {
      const opts = [...(m.op === 'remount-bind' ? ['bind'] : []), ...(known.length ? known : m.op === 'remount' ? ['rw'] : [])];
      return { line: `remount options=(${opts.join(',')}) ${dirPath(m.target)},`, ...missing };
    }
    case 'propagation': {
      if (propagation.length !== 1) return refuse('a propagation change with more than one type is refused by the kernel itself');
      return { line: `mount options=(${rec ? 'r' : ''}${propagation[0]}) -> ${dirPath(m.target)},` };
    }
    case 'umount':
      return { line: `umount ${dirPath(m.target)},` };
    case 'pivot_root': {
      // the tracer records pivot_root(new_root, put_old) as source = new_root, target = put_old
      if (!m.source.startsWith('/')) return refuse('the new root is not an absolute path');
      const old = m.target.startsWith('/') ? `oldroot=${dirPath(m.target)} ` : '';
      return { line: `pivot_root ${old}${dirPath(m.source)},` };
    }
    default:
      return refuse(`AppArmor has no rule for the mount operation "${m.op}"`);
  }
}

/** The path the profile attaches to: the exec rule matching argv[0], else the earliest exec. */
function attachment(p: Policy): string | undefined {
  const execs = p.paths.filter((r) => r.action === 'allow' && r.access.includes('exec') && r.pattern.startsWith('/') && !isGlob(r.pattern));
  const argv0 = p.workload.argv[0] ?? '';
  const exact = execs.find((r) => r.pattern === argv0);
  if (exact) return exact.pattern;
  const first = (r: PathRule) => Math.min(...(r.from ?? []).map((f) => f.firstSeen ?? Infinity), Infinity);
  const base = argv0.slice(argv0.lastIndexOf('/') + 1);
  const sorted = [...execs].sort((a, b) => first(a) - first(b) || a.pattern.localeCompare(b.pattern));
  const sameName = sorted.find((r) => r.pattern.endsWith(`/${base}`));
  if (sameName) return sameName.pattern;
  if (sorted[0]) return sorted[0].pattern;
  return argv0.startsWith('/') ? argv0 : undefined;
}

/** Does an allowed write rule reach what a fixed denial covers? */
function overridden(r: PathRule, covers: string): boolean {
  if (r.action !== 'allow' || !r.access.some((a) => WRITE_KINDS.has(a))) return false;
  if (globMatches(r.pattern, covers)) return true;
  return r.pattern === covers || r.pattern.startsWith(`${covers}/`);
}

export function renderApparmor(p: Policy, ctx: RenderContext): RenderResult {
  const unexpressed: Unexpressed[] = [];
  const out: string[] = [];
  const attach = attachment(p);
  out.push(`# AppArmor profile "${ctx.name}", written by whittle from ${p.sources.map((s) => s.snapshot).join(', ')} (${p.createdAt}).`);
  out.push(`# Workload: ${p.workload.argv.join(' ').replace(/[\r\n]/g, ' ')}`);
  out.push('# Check: apparmor_parser -Q -K FILE    Load (where AppArmor is active): apparmor_parser -r FILE');
  out.push('# Syscalls are not here: pair it with a seccomp profile (whittle export --format oci, docker, …).');
  if (p.undecided.count) out.push(`# ${p.undecided.count} undecided item(s) were treated as ${p.undecided.treatedAs === 'deny' ? 'denied' : 'accepted'}.`);
  out.push('abi <abi/3.0>,');
  out.push('');
  out.push('#include <tunables/global>');
  out.push('');
  if (!attach) {
    unexpressed.push({ item: `attachment to ${p.workload.argv[0] ?? 'the workload'}`, reason: 'no absolute executable path in the policy: the profile is attached by name only (aa-exec -p NAME)' });
  }
  out.push(`profile ${ctx.name}${attach ? ` ${aaPath(attach)}` : ''} {`);

  // ── files ──
  const allowLines: string[] = [];
  const denyLines: string[] = [];
  const notes = { stat: false, ioctl: false };
  for (const r of p.paths) {
    if (!r.pattern.startsWith('/')) {
      unexpressed.push({ item: `${r.action} ${r.access.join(',')} ${r.pattern}`, reason: 'not an absolute path (the tracer could not resolve it): AppArmor rules need one' });
      continue;
    }
    const deny = r.action === 'deny';
    const { lines, unmediated } = fileLines(r, deny);
    for (const l of lines) (deny ? denyLines : allowLines).push(`  ${deny ? 'deny ' : ''}${l.target} ${permText(l.perms)},`);
    if (unmediated.includes('stat')) notes.stat = true;
    if (unmediated.includes('ioctl')) notes.ioctl = true;
    if (deny) {
      if (unmediated.length) unexpressed.push({ item: `deny ${unmediated.join(',')} ${r.pattern}`, reason: `AppArmor does not mediate ${unmediated.join(' or ')}: it cannot be denied` });
      if (r.errno && r.errno !== 'EACCES' && lines.length) unexpressed.push({ item: `deny ${r.access.join(',')} ${r.pattern} with ${r.errno}`, reason: 'AppArmor answers a denied file access with EACCES' });
    }
  }
  if (notes.stat || p.paths.length) {
    unexpressed.push({ item: 'stat and path lookup', reason: 'AppArmor does not mediate stat, access or readlink: the workload can look up any path (only opening, changing and executing are checked)' });
  }
  if (notes.ioctl) unexpressed.push({ item: 'ioctl on paths', reason: 'AppArmor 3 does not check ioctl requests: any ioctl is allowed on a file the profile lets the workload open' });
  if (allowLines.length) out.push('  # files the workload used', ...allowLines);
  if (denyLines.length) out.push('', '  # files a person denied (AppArmor answers EACCES)', ...denyLines);

  // ── mounts ──
  const mountLines: string[] = [];
  for (const m of p.mounts) {
    const r = mountLine(m);
    if (r.line) mountLines.push(`  ${r.line}`);
    if (r.unexpressed) unexpressed.push(r.unexpressed);
  }
  if (mountLines.length) out.push('', '  # mounts the workload made', ...[...new Set(mountLines)]);

  // ── network ──
  const netLines: string[] = [];
  for (const f of p.network.allow) {
    const name = FAMILIES[f.toUpperCase()];
    if (name) netLines.push(`  network ${name},`);
    else unexpressed.push({ item: `network ${f}`, reason: 'AppArmor 3.0 does not know this family: without a rule it is refused' });
  }
  for (const f of p.network.deny) {
    const name = FAMILIES[f.toUpperCase()];
    if (name) netLines.push(`  deny network ${name},`);
    // an unknown family has no rule, and a family without a rule is refused: the denial holds
  }
  if (netLines.length) out.push('', '  # socket families (every socket type of each)', ...[...new Set(netLines)]);

  // ── capabilities ──
  const capLines: string[] = [];
  for (const c of p.capabilities.allow) {
    const name = c.replace(/^CAP_/i, '').toLowerCase();
    if (CAPABILITIES.has(name)) capLines.push(`  capability ${name},${p.capabilities.inferred.includes(c) ? '  # inferred from syscalls' : ''}`);
    else unexpressed.push({ item: `capability ${c}`, reason: 'AppArmor 3.0 does not know this capability: without a rule it is refused' });
  }
  if (capLines.length) out.push('', '  # capabilities', ...capLines);

  // ── fixed denials ──
  out.push('', "  # Fixed denials, whatever was accepted above (the intent of LXC's default profile)");
  for (const d of FIXED_DENIALS) {
    out.push(`  ${d.rule}`);
    for (const r of p.paths) {
      if (overridden(r, d.covers)) unexpressed.push({ item: `allow ${r.access.filter((a) => WRITE_KINDS.has(a)).join(',')} ${r.pattern}`, reason: `the profile's fixed denial on ${d.covers} wins (${d.why})` });
    }
  }
  out.push('  deny remount /dev/pts/,');
  for (const m of p.mounts) {
    if (m.op.startsWith('remount') && (m.target === '/dev/pts' || m.target === '/dev/pts/')) {
      unexpressed.push({ item: `mount ${m.op} → ${m.target}`, reason: "the profile's fixed denial of devpts remounts wins (a remount changes the pseudo-terminals of everyone sharing the instance)" });
    }
  }
  out.push('}');

  // ── syscalls ──
  if (p.syscalls.allow.length) {
    unexpressed.push({ item: `syscall allowlist (${p.syscalls.allow.length}): ${p.syscalls.allow.join(' ')}`, reason: 'AppArmor has no syscall filter: every syscall stays allowed' });
  }
  for (const d of p.syscalls.deny) unexpressed.push({ item: `deny syscall ${d.name} (${d.errno})`, reason: 'AppArmor has no syscall filter: it stays allowed' });
  if (p.syscalls.enosys.length) {
    unexpressed.push({ item: `ENOSYS for probe syscalls never seen (${p.syscalls.enosys.length}): ${p.syscalls.enosys.join(' ')}`, reason: 'AppArmor has no syscall filter: the kernel answers them' });
  }
  unexpressed.push({ item: `default errno ${p.syscalls.defaultErrno} for other syscalls, ENOSYS above the horizon (${p.horizon.syscall})`, reason: 'AppArmor has no syscall filter' });
  unexpressed.push({
    item: 'enforcement',
    reason: "AppArmor acts only where the kernel has it active; on whittle's reference kernel (Linux 6.18: lockdown, capability, landlock, bpf) it is compiled in but not active, so this profile compiles and enforces nothing there — whittle run enforces the policy with Landlock, a mount view and seccomp instead",
  });

  return {
    artifacts: [{ suffix: null, content: out.join('\n') + '\n', description: 'AppArmor profile: apparmor_parser -r FILE (where AppArmor is active), or copy it to /etc/apparmor.d/' }],
    unexpressed,
  };
}

export const apparmorExporter: Exporter = {
  format: 'apparmor',
  description: 'AppArmor 3 profile: files, mounts, network families, capabilities',
  defaultName: (ctx) => `${ctx.name}.apparmor`,
  render: renderApparmor,
};
