/**
 * Sensitive paths and risky mounts. A path here is flagged in the UI and the linter, and a glob
 * that would cover one is never widened silently (design.md, "Knowledge as data"). Pure data and
 * pure functions, no I/O: paths are compared as text, nothing is resolved on disk.
 *
 * Pattern syntax for `prefix`: an absolute path; a component may contain `*` (any text within
 * that one component, e.g. `/dev/sd*`; `/proc/PID/mem` is written with `*` for PID). A pattern
 * matches the path itself and everything below it, always on whole components (`/dev` does not
 * match `/devx`).
 */
import type { Risk } from './risk.js';

/** Access kinds of the contract's vocabulary that only look (they cannot change anything). */
const LOOKING_ACCESS = new Set(['read', 'stat', 'readdir', 'exec']);

/** One sensitive path pattern. */
export interface SensitivePathInfo {
  /** Path pattern (see the module comment for the syntax). */
  prefix: string;
  /** Why it matters, one line. */
  reason: string;
  /** How dangerous access is (for writeOnly entries: how dangerous changing it is). */
  risk: Risk;
  /**
   * Only changing it is sensitive; reading it is everyday (e.g. /etc/passwd, /proc/sys, cgroup
   * limits that runtimes read). Access kinds read, stat, readdir and exec count as reading.
   */
  writeOnly?: boolean;
}

/** Sensitive path patterns. The most specific matching pattern wins (see isSensitive). */
export const sensitivePaths: readonly SensitivePathInfo[] = [
  // ── /proc ──
  { prefix: '/proc/sysrq-trigger', risk: 'critical', reason: 'Writing a letter makes the kernel act at once: reboot, crash, kill every process, remount read-only.' },
  { prefix: '/proc/sys', risk: 'high', writeOnly: true, reason: 'Kernel tunables; most writes change the whole machine, not just the workload.' },
  { prefix: '/proc/sys/kernel', risk: 'critical', writeOnly: true, reason: 'Core kernel settings (crash handler, module loader, address randomization, kernel pointer hiding).' },
  { prefix: '/proc/sys/kernel/core_pattern', risk: 'critical', writeOnly: true, reason: 'A "|program" pattern makes the kernel run that program as root on every crash (a known container escape).' },
  { prefix: '/proc/sys/kernel/modprobe', risk: 'critical', writeOnly: true, reason: 'The program the kernel runs as root to load modules.' },
  { prefix: '/proc/sys/fs/binfmt_misc', risk: 'critical', writeOnly: true, reason: 'Registering an interpreter makes the kernel run it for matching executables, setuid ones included.' },
  { prefix: '/proc/sys/vm', risk: 'high', writeOnly: true, reason: 'Machine-wide memory management settings (overcommit, OOM behaviour, cache dropping).' },
  { prefix: '/proc/kcore', risk: 'critical', reason: "An ELF image of the kernel's memory." },
  { prefix: '/proc/kallsyms', risk: 'medium', reason: 'Kernel symbol addresses (real values defeat kernel address randomization).' },
  { prefix: '/proc/keys', risk: 'medium', reason: 'Lists the kernel keys visible to the caller (Docker masks it).' },
  { prefix: '/proc/timer_list', risk: 'medium', reason: 'Timer details of the whole machine, an information leak (Docker masks it).' },
  { prefix: '/proc/sched_debug', risk: 'medium', reason: 'Scheduler state of every process on the machine (Docker masks it).' },
  { prefix: '/proc/latency_stats', risk: 'medium', reason: 'Latency records of the whole machine (Docker masks it).' },
  { prefix: '/proc/acpi', risk: 'medium', reason: 'Legacy ACPI controls of the machine (Docker masks it).' },
  { prefix: '/proc/scsi', risk: 'high', reason: 'Writes can add or remove SCSI devices of the machine (Docker masks it).' },
  { prefix: '/proc/irq', risk: 'high', writeOnly: true, reason: 'Interrupt routing of the machine (Docker makes it read-only).' },
  { prefix: '/proc/bus', risk: 'high', writeOnly: true, reason: 'Raw bus access such as PCI configuration space (Docker makes it read-only).' },
  { prefix: '/proc/fs', risk: 'medium', writeOnly: true, reason: 'Filesystem driver settings of the machine (Docker makes it read-only).' },
  { prefix: '/proc/*/mem', risk: 'high', reason: "A process's memory: reading and writing it is as strong as ptrace." },
  { prefix: '/proc/*/task/*/mem', risk: 'high', reason: "A thread's memory: reading and writing it is as strong as ptrace." },
  { prefix: '/proc/self/mem', risk: 'medium', reason: 'Writes to own memory ignore page protections (can patch read-only code); some JITs and debuggers use it.' },
  { prefix: '/proc/*/environ', risk: 'medium', reason: "A process's environment, which often holds secrets." },
  { prefix: '/proc/*/root', risk: 'high', reason: "A door into another process's root directory (another container's or the host's files)." },
  { prefix: '/proc/*/attr', risk: 'medium', writeOnly: true, reason: 'Writing changes the security label (AppArmor/SELinux) of the process.' },
  // ── /sys ──
  { prefix: '/sys', risk: 'high', writeOnly: true, reason: 'Device and kernel settings; writes change the machine (Docker mounts /sys read-only).' },
  { prefix: '/sys/kernel/security', risk: 'high', reason: 'securityfs: loaded LSM policies (AppArmor profiles can be replaced or removed), IMA, TPM event logs.' },
  { prefix: '/sys/kernel/debug', risk: 'critical', reason: 'debugfs: raw kernel internals, many of them writable.' },
  { prefix: '/sys/kernel/tracing', risk: 'high', reason: 'tracefs: trace the kernel and every process on the machine.' },
  { prefix: '/sys/kernel/uevent_helper', risk: 'critical', reason: 'The program the kernel runs as root on device events (a known container escape).' },
  { prefix: '/sys/fs/cgroup', risk: 'high', writeOnly: true, reason: 'Control groups: writes change resource limits and move processes (reading limits is everyday).' },
  { prefix: '/sys/fs/cgroup/release_agent', risk: 'critical', writeOnly: true, reason: 'cgroup v1 release agent: a program the kernel runs as root (a known container escape).' },
  { prefix: '/sys/fs/cgroup/*/release_agent', risk: 'critical', writeOnly: true, reason: 'cgroup v1 release agent: a program the kernel runs as root (a known container escape).' },
  { prefix: '/sys/firmware', risk: 'high', reason: 'Firmware tables and EFI variables (bad EFI writes can brick the machine; Docker masks it).' },
  { prefix: '/sys/fs/bpf', risk: 'high', reason: "Pinned BPF programs and maps, possibly other workloads' or the host's." },
  { prefix: '/sys/fs/selinux', risk: 'high', reason: 'SELinux policy and enforcement switch.' },
  { prefix: '/sys/power', risk: 'high', writeOnly: true, reason: 'Suspend or hibernate the machine.' },
  { prefix: '/sys/module', risk: 'high', writeOnly: true, reason: 'Parameters of loaded kernel modules.' },
  { prefix: '/sys/devices/virtual/powercap', risk: 'medium', reason: 'Energy counters usable as a side channel on other workloads (Docker masks it).' },
  // ── /dev ──
  { prefix: '/dev/mem', risk: 'critical', reason: 'Physical memory of the machine.' },
  { prefix: '/dev/kmem', risk: 'critical', reason: 'Kernel virtual memory (gone from modern kernels, fatal where present).' },
  { prefix: '/dev/port', risk: 'critical', reason: 'Raw x86 I/O ports.' },
  { prefix: '/dev/cpu', risk: 'critical', reason: 'Per-CPU model-specific registers and microcode.' },
  { prefix: '/dev/sd*', risk: 'critical', reason: 'Raw SCSI/SATA/USB disks: read or rewrite any filesystem on them.' },
  { prefix: '/dev/hd*', risk: 'critical', reason: 'Raw IDE disks: read or rewrite any filesystem on them.' },
  { prefix: '/dev/nvme*', risk: 'critical', reason: 'Raw NVMe disks and their controllers: read or rewrite any filesystem on them.' },
  { prefix: '/dev/vd*', risk: 'critical', reason: 'Raw virtio disks: read or rewrite any filesystem on them.' },
  { prefix: '/dev/xvd*', risk: 'critical', reason: 'Raw Xen disks: read or rewrite any filesystem on them.' },
  { prefix: '/dev/mmcblk*', risk: 'critical', reason: 'Raw SD/eMMC storage: read or rewrite any filesystem on it.' },
  { prefix: '/dev/md*', risk: 'critical', reason: 'Software RAID block devices.' },
  { prefix: '/dev/dm-*', risk: 'critical', reason: 'Device-mapper block devices (LVM, encrypted volumes).' },
  { prefix: '/dev/mapper', risk: 'critical', reason: 'Device-mapper block devices (LVM, encrypted volumes).' },
  { prefix: '/dev/disk', risk: 'critical', reason: 'Links to every block device of the machine.' },
  { prefix: '/dev/sg*', risk: 'critical', reason: 'SCSI generic: raw commands to disks and other SCSI devices.' },
  { prefix: '/dev/loop*', risk: 'high', reason: 'Loop devices turn files into block devices that can then be mounted.' },
  { prefix: '/dev/kvm', risk: 'high', reason: 'Create virtual machines: a large, privileged kernel interface.' },
  { prefix: '/dev/kmsg', risk: 'medium', reason: 'The kernel log: reading leaks kernel details, writing forges kernel messages.' },
  { prefix: '/dev/uinput', risk: 'high', reason: "Create virtual keyboards and mice that type into the user's session." },
  { prefix: '/dev/input', risk: 'high', reason: 'Raw keyboard and mouse events (keylogging).' },
  { prefix: '/dev/watchdog*', risk: 'high', reason: 'Hardware watchdog: opening it without feeding it reboots the machine.' },
  { prefix: '/dev/net/tun', risk: 'medium', reason: 'Create virtual network interfaces (with CAP_NET_ADMIN).' },
  { prefix: '/dev/fuse', risk: 'medium', reason: 'Serve a filesystem from user space; can stall other programs on it.' },
  { prefix: '/dev/userfaultfd', risk: 'high', reason: 'userfaultfd through a device node, a standard aid for kernel race exploits.' },
  // ── credentials and system configuration ──
  { prefix: '/etc/shadow', risk: 'critical', reason: "Password hashes; writing sets any user's password." },
  { prefix: '/etc/gshadow', risk: 'high', reason: 'Group password hashes and administrators.' },
  { prefix: '/etc/passwd', risk: 'critical', writeOnly: true, reason: 'The user database; writing adds users or a second root.' },
  { prefix: '/etc/group', risk: 'high', writeOnly: true, reason: 'The group database; writing adds users to privileged groups.' },
  { prefix: '/etc/sudoers', risk: 'critical', reason: 'Who may run what as root.' },
  { prefix: '/etc/sudoers.d', risk: 'critical', reason: 'Who may run what as root.' },
  { prefix: '/etc/pam.d', risk: 'critical', writeOnly: true, reason: 'How logins are authenticated; writing can accept any password.' },
  { prefix: '/etc/security', risk: 'high', writeOnly: true, reason: 'Login limits and access rules (PAM configuration).' },
  { prefix: '/etc/ssh', risk: 'high', writeOnly: true, reason: 'SSH server and client configuration.' },
  { prefix: '/etc/ssh/ssh_host_*', risk: 'critical', reason: 'SSH host keys: whoever holds them can impersonate the machine.' },
  { prefix: '/etc/ld.so.preload', risk: 'critical', writeOnly: true, reason: 'Libraries injected into every dynamically linked program, setuid ones included.' },
  { prefix: '/etc/ld.so.conf', risk: 'high', writeOnly: true, reason: 'Where the dynamic loader looks for libraries.' },
  { prefix: '/etc/ld.so.conf.d', risk: 'high', writeOnly: true, reason: 'Where the dynamic loader looks for libraries.' },
  { prefix: '/etc/crontab', risk: 'critical', writeOnly: true, reason: 'Jobs cron runs as root.' },
  { prefix: '/etc/cron.d', risk: 'critical', writeOnly: true, reason: 'Jobs cron runs as root.' },
  { prefix: '/var/spool/cron', risk: 'critical', writeOnly: true, reason: "Per-user cron jobs, root's included." },
  { prefix: '/etc/systemd', risk: 'critical', writeOnly: true, reason: 'Service definitions systemd runs as root.' },
  { prefix: '/etc/modprobe.d', risk: 'high', writeOnly: true, reason: 'Module loading rules (can make the kernel run a command when loading a module).' },
  { prefix: '/etc/apparmor.d', risk: 'high', writeOnly: true, reason: 'AppArmor profiles loaded at boot.' },
  { prefix: '/etc/kubernetes', risk: 'critical', reason: 'Kubernetes node and admin credentials.' },
  { prefix: '/root', risk: 'high', reason: "Root's home: credentials, history, shell start-up files." },
  { prefix: '/root/.ssh', risk: 'critical', reason: "Root's SSH keys and authorized keys (writing grants root logins)." },
  { prefix: '/home/*/.ssh', risk: 'high', reason: "A user's SSH keys and authorized keys (writing grants logins)." },
  { prefix: '/home/*/.gnupg', risk: 'high', reason: "A user's private PGP keys." },
  { prefix: '/home/*/.aws', risk: 'high', reason: 'Cloud credentials.' },
  { prefix: '/home/*/.kube', risk: 'high', reason: 'Kubernetes credentials.' },
  { prefix: '/home/*/.docker', risk: 'high', reason: 'Registry credentials.' },
  // ── container runtimes and system services ──
  { prefix: '/var/run/docker.sock', risk: 'critical', reason: 'The Docker API: start a privileged container and own the host.' },
  { prefix: '/run/docker.sock', risk: 'critical', reason: 'The Docker API: start a privileged container and own the host.' },
  { prefix: '/run/docker', risk: 'high', reason: 'Docker runtime state and plugin sockets.' },
  { prefix: '/run/containerd', risk: 'critical', reason: 'The containerd API and shim sockets: control every container on the host.' },
  { prefix: '/var/run/containerd', risk: 'critical', reason: 'The containerd API and shim sockets: control every container on the host.' },
  { prefix: '/run/crio', risk: 'critical', reason: 'The CRI-O API: control every container on the host.' },
  { prefix: '/run/podman', risk: 'critical', reason: 'The rootful Podman API: start privileged containers.' },
  { prefix: '/var/lib/docker', risk: 'critical', reason: 'Docker images, volumes and container filesystems of the host.' },
  { prefix: '/var/lib/containerd', risk: 'high', reason: 'containerd images and snapshots of the host.' },
  { prefix: '/var/lib/kubelet', risk: 'critical', reason: "Kubelet state, including every pod's secrets and tokens." },
  { prefix: '/var/run/secrets/kubernetes.io', risk: 'high', reason: "The pod's Kubernetes service-account token." },
  { prefix: '/run/secrets/kubernetes.io', risk: 'high', reason: "The pod's Kubernetes service-account token." },
  { prefix: '/run/systemd/private', risk: 'critical', reason: "systemd's private control socket (root control of services)." },
  { prefix: '/run/dbus/system_bus_socket', risk: 'medium', reason: 'The system D-Bus: talks to privileged services (subject to their policy).' },
  { prefix: '/var/run/dbus/system_bus_socket', risk: 'medium', reason: 'The system D-Bus: talks to privileged services (subject to their policy).' },
  // ── boot and kernel files ──
  { prefix: '/boot', risk: 'critical', reason: 'Kernel images, initramfs and boot loader configuration (and System.map, kernel addresses).' },
  { prefix: '/lib/modules', risk: 'critical', writeOnly: true, reason: 'Kernel modules the kernel loads as root.' },
  { prefix: '/usr/lib/modules', risk: 'critical', writeOnly: true, reason: 'Kernel modules the kernel loads as root.' },
  { prefix: '/var/log', risk: 'medium', writeOnly: true, reason: 'System logs; changing them hides what happened.' },
];

/** What isSensitive reports for a path. */
export interface SensitiveMatch {
  /** The pattern that matched (its `prefix`). */
  prefix: string;
  /** Why it matters. */
  reason: string;
  /** How dangerous it is. */
  risk: Risk;
  /** True when only changing the path is sensitive. */
  writeOnly?: boolean;
}

/** Lexically normalize an absolute path into components ('.', '..', repeated and trailing '/' resolved). */
export function pathComponents(path: string): string[] {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out;
}

const componentRegexCache = new Map<string, RegExp>();
function componentRegex(component: string): RegExp {
  let re = componentRegexCache.get(component);
  if (!re) {
    const body = component
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^/]*');
    re = new RegExp(`^${body}$`);
    componentRegexCache.set(component, re);
  }
  return re;
}

function componentMatches(pattern: string, component: string): boolean {
  return pattern.includes('*') ? componentRegex(pattern).test(component) : pattern === component;
}

const compiled = sensitivePaths.map((entry) => ({ entry, parts: pathComponents(entry.prefix) }));
/** The patterns by their first component ('*' for those starting with a wildcard): a path is
 * checked only against the few that can match it (this runs for every path a workload touches). */
const byFirst = new Map<string, typeof compiled>();
for (const c of compiled) {
  const k = c.parts[0]?.includes('*') ? '*' : (c.parts[0] ?? '');
  byFirst.set(k, [...(byFirst.get(k) ?? []), c]);
}

function specificity(parts: string[]): number {
  // More components first; among equals, literal components beat wildcards.
  return parts.length * 1000 - parts.filter((p) => p.includes('*')).length;
}

/**
 * Whether an absolute path is sensitive: the most specific matching pattern, or undefined. A
 * pattern matches the path and everything below it, on whole components. With `access` (the
 * contract's vocabulary: read, write, create, …) a writeOnly pattern does not count for the
 * looking kinds (read, stat, readdir, exec); a less specific pattern that does apply may then match.
 */
export function isSensitive(path: string, access?: string): SensitiveMatch | undefined {
  const parts = pathComponents(path);
  let best: { entry: SensitivePathInfo; score: number } | undefined;
  const candidates = [...(byFirst.get(parts[0] ?? '') ?? []), ...(byFirst.get('*') ?? [])];
  for (const { entry, parts: pat } of candidates) {
    if (pat.length > parts.length) continue;
    if (access !== undefined && entry.writeOnly && LOOKING_ACCESS.has(access)) continue;
    let ok = true;
    for (let i = 0; i < pat.length; i++) {
      if (!componentMatches(pat[i]!, parts[i]!)) {
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    const score = specificity(pat);
    if (!best || score > best.score) best = { entry, score };
  }
  if (!best) return undefined;
  const { prefix, reason, risk, writeOnly } = best.entry;
  return writeOnly ? { prefix, reason, risk, writeOnly } : { prefix, reason, risk };
}

/** Could two single-component patterns (with `*`) match a common name? */
function componentsCompatible(a: string, b: string): boolean {
  if (a === '**' || b === '**') return true;
  const aw = a.includes('*');
  const bw = b.includes('*');
  if (!aw && !bw) return a === b;
  if (!aw) return componentRegex(b).test(a);
  if (!bw) return componentRegex(a).test(b);
  const ap = a.slice(0, a.indexOf('*'));
  const bp = b.slice(0, b.indexOf('*'));
  const as = a.slice(a.lastIndexOf('*') + 1);
  const bs = b.slice(b.lastIndexOf('*') + 1);
  return (ap.startsWith(bp) || bp.startsWith(ap)) && (as.endsWith(bs) || bs.endsWith(as));
}

function sequencesIntersect(a: string[], i: number, b: string[], j: number): boolean {
  if (i === a.length && j === b.length) return true;
  if (i < a.length && a[i] === '**') {
    return sequencesIntersect(a, i + 1, b, j) || (j < b.length && sequencesIntersect(a, i, b, j + 1));
  }
  if (j < b.length && b[j] === '**') {
    return sequencesIntersect(a, i, b, j + 1) || (i < a.length && sequencesIntersect(a, i + 1, b, j));
  }
  if (i === a.length || j === b.length) return false;
  return componentsCompatible(a[i]!, b[j]!) && sequencesIntersect(a, i + 1, b, j + 1);
}

/**
 * The sensitive patterns a path glob could reach (`*` = one component or part of one, `**` = any
 * depth, as in AppArmor). Used to refuse widening a path into a glob silently: `/etc/*` reaches
 * /etc/shadow, `/dev/**` reaches /dev/sd*, `/proc/sys/**` reaches /proc/sys/kernel/core_pattern.
 */
export function sensitivePathsCoveredBy(glob: string): SensitivePathInfo[] {
  const g = pathComponents(glob);
  return compiled.filter(({ parts }) => sequencesIntersect(g, 0, [...parts, '**'], 0)).map(({ entry }) => entry);
}

/** A filesystem type that is risky to mount (or to have mounted) inside a workload. */
export interface RiskyMountType {
  /** Filesystem type as mount(2) / fsopen(2) take it. */
  fstype: string;
  /** Why it matters, one line. */
  reason: string;
  /** How dangerous it is (see risk.ts). */
  risk: Risk;
}

/** Filesystem types that expose the kernel or the host when mounted. */
export const riskyMountTypes: readonly RiskyMountType[] = [
  { fstype: 'proc', risk: 'high', reason: 'A fresh proc shows kernel tunables, sysrq-trigger and kcore without the masks a runtime puts on its own /proc.' },
  { fstype: 'sysfs', risk: 'high', reason: 'A fresh sysfs is writable with the right capabilities: devices, power, module parameters, firmware.' },
  { fstype: 'securityfs', risk: 'critical', reason: 'Security module policy: AppArmor profiles can be replaced or removed.' },
  { fstype: 'debugfs', risk: 'critical', reason: 'Raw kernel internals, many writable.' },
  { fstype: 'tracefs', risk: 'high', reason: 'Trace the kernel and every process of the machine.' },
  { fstype: 'bpf', risk: 'high', reason: 'Pinned BPF programs and maps.' },
  { fstype: 'cgroup', risk: 'critical', reason: 'cgroup v1 hierarchy: its release_agent runs a program as root (a known container escape).' },
  { fstype: 'cgroup2', risk: 'high', reason: "cgroup v2 hierarchy: change limits and move processes, beyond the workload's own group if not namespaced." },
  { fstype: 'binfmt_misc', risk: 'critical', reason: 'Register interpreters the kernel runs for matching executables, setuid ones included.' },
  { fstype: 'efivarfs', risk: 'critical', reason: 'EFI variables; bad writes can brick the machine.' },
  { fstype: 'configfs', risk: 'high', reason: 'Create kernel objects (USB gadgets, storage targets, ...).' },
  { fstype: 'selinuxfs', risk: 'high', reason: 'SELinux policy and enforcement switch.' },
  { fstype: 'pstore', risk: 'medium', reason: 'Crash logs of the kernel kept across reboots.' },
  { fstype: 'devpts', risk: 'medium', reason: "Without newinstance (or as a remount) it shares the host's pseudo-terminals." },
  { fstype: 'devtmpfs', risk: 'critical', reason: 'Every device node of the machine, disks included.' },
  { fstype: 'overlay', risk: 'medium', reason: 'Layered filesystem; overlay bugs have given root inside user namespaces (CVE-2021-3493, CVE-2023-0386).' },
  { fstype: 'fuse', risk: 'medium', reason: 'A filesystem served by a user-space program, which can stall whoever uses it.' },
  { fstype: 'nfsd', risk: 'high', reason: 'Control of the kernel NFS server.' },
  { fstype: 'rpc_pipefs', risk: 'medium', reason: 'Kernel RPC upcall pipes (NFS identity mapping, Kerberos).' },
];

/** Bind-mount sources that hand the workload the host's view of something important. */
export const riskyBindSources: readonly SensitivePathInfo[] = [
  { prefix: '/', risk: 'critical', reason: 'Binding the root gives the whole host filesystem.' },
  { prefix: '/proc', risk: 'high', reason: "The host's /proc without masks: kernel tunables, other processes." },
  { prefix: '/sys', risk: 'high', reason: "The host's /sys: device and kernel settings." },
  { prefix: '/dev', risk: 'critical', reason: 'Every device node of the host, disks included.' },
  { prefix: '/etc', risk: 'high', reason: "The host's configuration and credentials." },
  { prefix: '/var', risk: 'high', reason: 'Host state: runtime data, logs, container storage.' },
  { prefix: '/run', risk: 'high', reason: 'Host service sockets (container runtimes, systemd, D-Bus).' },
  { prefix: '/var/run', risk: 'high', reason: 'Host service sockets (container runtimes, systemd, D-Bus).' },
  { prefix: '/boot', risk: 'critical', reason: "The host's kernels and boot configuration." },
  { prefix: '/lib/modules', risk: 'critical', reason: "The host's kernel modules." },
  { prefix: '/root', risk: 'high', reason: "Root's home directory." },
  { prefix: '/home', risk: 'high', reason: "Every user's home directory." },
];

const mountTypeByName = new Map<string, RiskyMountType>(riskyMountTypes.map((m) => [m.fstype, m]));

/** Look a filesystem type up in riskyMountTypes. */
export function riskyMountType(fstype: string): RiskyMountType | undefined {
  return mountTypeByName.get(fstype);
}

/** A mount as the model sees it, reduced to what matters for risk. */
export interface MountDescription {
  source?: string;
  target?: string;
  fstype?: string;
  /** A bind mount (MS_BIND, or open_tree with OPEN_TREE_CLONE). */
  bind?: boolean;
}

/** One reason a mount is risky. */
export interface MountFinding {
  /** What part of the mount the finding is about. */
  on: 'fstype' | 'source' | 'target';
  reason: string;
  risk: Risk;
}

/**
 * Why a mount is risky, if it is: a risky filesystem type, a bind of an important host tree (its
 * exact path, e.g. binding `/` but not `/srv/data`), a sensitive source (a raw disk), or a target
 * that covers a sensitive path. Empty when nothing stands out.
 */
export function assessMount(mount: MountDescription): MountFinding[] {
  const findings: MountFinding[] = [];
  if (mount.fstype) {
    const t = mountTypeByName.get(mount.fstype);
    if (t) findings.push({ on: 'fstype', reason: t.reason, risk: t.risk });
  }
  if (mount.source && mount.source.startsWith('/')) {
    const src = '/' + pathComponents(mount.source).join('/');
    const bind = mount.bind ? riskyBindSources.find((b) => b.prefix === src) : undefined;
    if (bind) findings.push({ on: 'source', reason: bind.reason, risk: bind.risk });
    else {
      const s = isSensitive(src);
      if (s) findings.push({ on: 'source', reason: s.reason, risk: s.risk });
    }
  }
  if (mount.target && mount.target.startsWith('/')) {
    const t = isSensitive(mount.target, 'mount-target');
    if (t) findings.push({ on: 'target', reason: `Mounting over it: ${t.reason}`, risk: t.risk });
  }
  return findings;
}
