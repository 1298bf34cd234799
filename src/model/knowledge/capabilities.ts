/**
 * Linux capabilities 0..40 (CAP_CHOWN … CAP_CHECKPOINT_RESTORE), numbered as in the kernel's
 * include/uapi/linux/capability.h, with a one-line summary and a risk level. Used to show what a
 * capability means, to rate a capability set and to export bounding sets. Pure data, no I/O.
 */
import type { Risk } from './risk.js';

/** One capability. */
export interface CapabilityInfo {
  /** Bit number in the capability sets. */
  number: number;
  /** Full name with the CAP_ prefix, e.g. `CAP_SYS_ADMIN`. */
  name: string;
  /** What it allows, one plain line. */
  summary: string;
  /** How dangerous it is to grant (see risk.ts). */
  risk: Risk;
}

/** Every capability of Linux 6.18, in number order (the highest is CAP_LAST_CAP = 40). */
export const capabilityTable: readonly CapabilityInfo[] = [
  { number: 0, name: 'CAP_CHOWN', risk: 'medium', summary: 'Change the owner and group of any file.' },
  { number: 1, name: 'CAP_DAC_OVERRIDE', risk: 'high', summary: 'Ignore read, write and execute permission bits on files.' },
  { number: 2, name: 'CAP_DAC_READ_SEARCH', risk: 'high', summary: 'Ignore read and directory-search permissions; open files by handle (open_by_handle_at), the classic container escape.' },
  { number: 3, name: 'CAP_FOWNER', risk: 'medium', summary: "Act as the owner of any file (chmod, set times, set flags on others' files)." },
  { number: 4, name: 'CAP_FSETID', risk: 'medium', summary: 'Keep setuid/setgid bits when files change; set the setgid bit for any group.' },
  { number: 5, name: 'CAP_KILL', risk: 'medium', summary: 'Send signals to processes of any user.' },
  { number: 6, name: 'CAP_SETGID', risk: 'medium', summary: 'Switch to any group ID and set any supplementary groups.' },
  { number: 7, name: 'CAP_SETUID', risk: 'medium', summary: 'Switch to any user ID, root included.' },
  { number: 8, name: 'CAP_SETPCAP', risk: 'medium', summary: 'Drop capabilities from the bounding set, change securebits, and pass capabilities on as inheritable.' },
  { number: 9, name: 'CAP_LINUX_IMMUTABLE', risk: 'medium', summary: 'Set or clear the immutable and append-only file flags.' },
  { number: 10, name: 'CAP_NET_BIND_SERVICE', risk: 'low', summary: 'Bind sockets to ports below 1024.' },
  { number: 11, name: 'CAP_NET_BROADCAST', risk: 'low', summary: 'Send broadcasts and listen to multicast (barely used by the kernel).' },
  { number: 12, name: 'CAP_NET_ADMIN', risk: 'high', summary: 'Configure networking: interfaces, routes, firewall rules, traffic control, promiscuous mode.' },
  { number: 13, name: 'CAP_NET_RAW', risk: 'medium', summary: 'Use raw and packet sockets: forge and sniff packets (ARP and ICMP spoofing).' },
  { number: 14, name: 'CAP_IPC_LOCK', risk: 'low', summary: 'Lock memory beyond the memlock limit and use huge-page shared memory.' },
  { number: 15, name: 'CAP_IPC_OWNER', risk: 'medium', summary: 'Ignore permission checks on System V IPC objects.' },
  { number: 16, name: 'CAP_SYS_MODULE', risk: 'critical', summary: 'Load and unload kernel modules: run any code in the kernel.' },
  { number: 17, name: 'CAP_SYS_RAWIO', risk: 'critical', summary: 'Raw hardware access: I/O ports, /dev/mem, raw SCSI commands, FIBMAP.' },
  { number: 18, name: 'CAP_SYS_CHROOT', risk: 'medium', summary: 'Use chroot and change mount namespaces with setns.' },
  { number: 19, name: 'CAP_SYS_PTRACE', risk: 'high', summary: 'Trace and inspect any process: read and write its memory, steal its descriptors.' },
  { number: 20, name: 'CAP_SYS_PACCT', risk: 'medium', summary: 'Turn process accounting on or off.' },
  { number: 21, name: 'CAP_SYS_ADMIN', risk: 'critical', summary: 'The catch-all administrator capability: mount, namespaces, quotas, swap, BPF and perf fallbacks, much more.' },
  { number: 22, name: 'CAP_SYS_BOOT', risk: 'critical', summary: 'Reboot the machine and load a new kernel (kexec).' },
  { number: 23, name: 'CAP_SYS_NICE', risk: 'medium', summary: "Raise priorities, use real-time scheduling, and change other processes' CPU and memory placement." },
  { number: 24, name: 'CAP_SYS_RESOURCE', risk: 'medium', summary: 'Override resource limits, quotas and reserved disk space.' },
  { number: 25, name: 'CAP_SYS_TIME', risk: 'high', summary: 'Set the system clock and the hardware clock.' },
  { number: 26, name: 'CAP_SYS_TTY_CONFIG', risk: 'medium', summary: 'Configure terminals and hang them up (vhangup).' },
  { number: 27, name: 'CAP_MKNOD', risk: 'medium', summary: 'Create device files (access then still depends on the device cgroup).' },
  { number: 28, name: 'CAP_LEASE', risk: 'low', summary: 'Take file leases on files the caller does not own.' },
  { number: 29, name: 'CAP_AUDIT_WRITE', risk: 'low', summary: 'Write records to the kernel audit log.' },
  { number: 30, name: 'CAP_AUDIT_CONTROL', risk: 'high', summary: 'Turn auditing on or off and change audit rules.' },
  { number: 31, name: 'CAP_SETFCAP', risk: 'medium', summary: 'Set capabilities on files (which executables then get when run).' },
  { number: 32, name: 'CAP_MAC_OVERRIDE', risk: 'high', summary: 'Override mandatory access control (used by Smack).' },
  { number: 33, name: 'CAP_MAC_ADMIN', risk: 'high', summary: 'Change mandatory access control policy (load AppArmor or Smack rules).' },
  { number: 34, name: 'CAP_SYSLOG', risk: 'medium', summary: 'Read and control the kernel log, and see kernel addresses.' },
  { number: 35, name: 'CAP_WAKE_ALARM', risk: 'low', summary: 'Set timers that wake the machine from suspend.' },
  { number: 36, name: 'CAP_BLOCK_SUSPEND', risk: 'low', summary: 'Keep the machine from suspending.' },
  { number: 37, name: 'CAP_AUDIT_READ', risk: 'medium', summary: 'Read the audit log through the multicast netlink socket.' },
  { number: 38, name: 'CAP_PERFMON', risk: 'high', summary: 'Use performance monitoring and tracing (perf_event_open, BPF tracing).' },
  { number: 39, name: 'CAP_BPF', risk: 'high', summary: 'Use privileged BPF: load programs, create maps (with CAP_PERFMON or CAP_NET_ADMIN for most program types).' },
  { number: 40, name: 'CAP_CHECKPOINT_RESTORE', risk: 'medium', summary: "Checkpoint/restore helpers: choose PIDs for new processes, read other processes' map_files." },
];

/** Highest capability number of Linux 6.18 (CAP_LAST_CAP). */
export const lastCapability = 40;

const byName = new Map<string, CapabilityInfo>(capabilityTable.map((c) => [c.name, c]));

/** Look a capability up by name; accepts `CAP_SYS_ADMIN`, `SYS_ADMIN` and any letter case. */
export function capabilityByName(name: string): CapabilityInfo | undefined {
  const upper = name.toUpperCase();
  return byName.get(upper.startsWith('CAP_') ? upper : `CAP_${upper}`);
}

/** Look a capability up by its bit number. */
export function capabilityByNumber(nr: number): CapabilityInfo | undefined {
  return Number.isInteger(nr) && nr >= 0 && nr <= lastCapability ? capabilityTable[nr] : undefined;
}

/**
 * The capabilities Docker (moby) gives a container by default, in its order. Source: moby
 * `oci/caps/defaults.go`, DefaultCapabilities(); containerd's default spec uses the same set.
 * (The spec that `runc spec` writes is smaller: CAP_AUDIT_WRITE, CAP_KILL, CAP_NET_BIND_SERVICE.)
 */
export const defaultContainerCapabilities: readonly string[] = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FSETID',
  'CAP_FOWNER',
  'CAP_MKNOD',
  'CAP_NET_RAW',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETFCAP',
  'CAP_SETPCAP',
  'CAP_NET_BIND_SERVICE',
  'CAP_SYS_CHROOT',
  'CAP_KILL',
  'CAP_AUDIT_WRITE',
];
