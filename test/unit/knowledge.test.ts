import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import {
  syscallTable,
  syscallByName,
  syscallByNumber,
  syscallsForArch,
  probeSyscalls,
  alwaysSyscalls,
  syscallTableHorizon,
  type SyscallArch,
  capabilityTable,
  capabilityByName,
  capabilityByNumber,
  defaultContainerCapabilities,
  lastCapability,
  addressFamilyTable,
  addressFamilyMax,
  familyByName,
  familyByNumber,
  socketTypeTable,
  socketTypeByName,
  socketTypeByNumber,
  socketTypeFlags,
  errnoTable,
  errnoAliases,
  errnoByName,
  errnoByNumber,
  sensitivePaths,
  isSensitive,
  pathComponents,
  sensitivePathsCoveredBy,
  riskyMountTypes,
  riskyMountType,
  assessMount,
  riskLevels,
} from '../../src/model/knowledge/index.js';

// The uapi headers on the build machine are the ground truth for everything they define. They are
// the Debian 12 ones (Linux 6.1); what came later is pinned below and was checked on a 6.18 kernel.
const UNISTD_64 = '/usr/include/x86_64-linux-gnu/asm/unistd_64.h';
const UNISTD_32 = '/usr/include/x86_64-linux-gnu/asm/unistd_32.h';
const ERRNO_BASE = '/usr/include/asm-generic/errno-base.h';
const ERRNO = '/usr/include/asm-generic/errno.h';
const CAPABILITY_H = '/usr/include/linux/capability.h';
const SOCKET_H = '/usr/include/x86_64-linux-gnu/bits/socket.h';
const SOCKET_TYPE_H = '/usr/include/x86_64-linux-gnu/bits/socket_type.h';

/** `#define PREFIXname 123` lines of a header, as name → number. */
function numericDefines(file: string, re: RegExp): Map<string, number> {
  // never skipped: without the headers these tables would go unchecked
  if (!existsSync(file)) throw new Error(`${file} is missing: install linux-libc-dev and libc6-dev (bash .ci/setup does); whittle's tables are checked against it`);
  const out = new Map<string, number>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = re.exec(line);
    if (m) out.set(m[1]!, Number(m[2]));
  }
  return out;
}

const unistd: Record<SyscallArch, string> = { x86_64: UNISTD_64, x86: UNISTD_32 };
const headerSyscalls = (arch: SyscallArch) => numericDefines(unistd[arch], /^#define\s+__NR_(\w+)\s+(\d+)\s*$/);

/** Syscalls added after 6.1 (not in the headers): [x86_64, x86] numbers, checked on 6.18. */
const AFTER_6_1: Record<string, [number | null, number | null]> = {
  uretprobe: [335, null],
  uprobe: [336, null],
  cachestat: [451, 451],
  fchmodat2: [452, 452],
  map_shadow_stack: [453, null],
  futex_wake: [454, 454],
  futex_wait: [455, 455],
  futex_requeue: [456, 456],
  statmount: [457, 457],
  listmount: [458, 458],
  lsm_get_self_attr: [459, 459],
  lsm_set_self_attr: [460, 460],
  lsm_list_modules: [461, 461],
  mseal: [462, 462],
  setxattrat: [463, 463],
  getxattrat: [464, 464],
  listxattrat: [465, 465],
  removexattrat: [466, 466],
  open_tree_attr: [467, 467],
  file_getattr: [468, 468],
  file_setattr: [469, 469],
};

describe('syscall table', () => {
  for (const arch of ['x86_64', 'x86'] as const) {
    describe(`${arch} against ${unistd[arch]}`, () => {
      const header = headerSyscalls(arch);

      it('parses a plausible header', () => {
        expect(header.size).toBeGreaterThan(300);
      });

      it('has every header syscall, with the header number', () => {
        const wrong: string[] = [];
        for (const [name, nr] of header) {
          const info = syscallByName(name);
          if (!info) wrong.push(`${name}: missing`);
          else if (info[arch] !== nr) wrong.push(`${name}: ${info[arch]} instead of ${nr}`);
        }
        expect(wrong).toEqual([]);
      });

      it('has nothing on this ABI beyond the header and the pinned post-6.1 calls', () => {
        const extra = syscallTable
          .filter((s) => s[arch] !== null && !header.has(s.name))
          .map((s) => `${s.name}=${s[arch]}`);
        const expected = Object.entries(AFTER_6_1)
          .filter(([, nrs]) => nrs[arch === 'x86_64' ? 0 : 1] !== null)
          .map(([name, nrs]) => `${name}=${nrs[arch === 'x86_64' ? 0 : 1]}`);
        expect(extra.sort()).toEqual(expected.sort());
      });

      it('maps every header number back to its name', () => {
        for (const [name, nr] of header) expect(syscallByNumber(arch, nr)?.name).toBe(name);
      });
    });
  }

  it('pins the post-6.1 numbers on both ABIs', () => {
    for (const [name, [x64, x86]] of Object.entries(AFTER_6_1)) {
      const s = syscallByName(name);
      expect(s, name).toBeDefined();
      expect([s!.x86_64, s!.x86], name).toEqual([x64, x86]);
    }
  });

  it('has the expected size per ABI (6.18: 383 x86_64, 458 i386)', () => {
    expect(syscallsForArch('x86_64')).toHaveLength(383);
    expect(syscallsForArch('x86')).toHaveLength(458);
    expect(syscallTable).toHaveLength(470);
  });

  it('has no duplicate names, and no duplicate numbers per ABI', () => {
    const names = syscallTable.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    for (const arch of ['x86_64', 'x86'] as const) {
      const nrs = syscallTable.map((s) => s[arch]).filter((n): n is number => n !== null);
      expect(new Set(nrs).size, arch).toBe(nrs.length);
    }
  });

  it('gives every entry at least one number, within the horizon', () => {
    for (const s of syscallTable) {
      expect(s.x86_64 !== null || s.x86 !== null, s.name).toBe(true);
      if (s.x86_64 !== null) expect(s.x86_64).toBeLessThanOrEqual(syscallTableHorizon.maxNumber.x86_64);
      if (s.x86 !== null) expect(s.x86).toBeLessThanOrEqual(syscallTableHorizon.maxNumber.x86);
    }
  });

  it('round-trips every entry through the number lookup', () => {
    for (const s of syscallTable) {
      if (s.x86_64 !== null) expect(syscallByNumber('x86_64', s.x86_64)).toBe(s);
      if (s.x86 !== null) expect(syscallByNumber('x86', s.x86)).toBe(s);
    }
    expect(syscallByNumber('x86_64', 470)).toBeUndefined();
    expect(syscallByNumber('x86', 453)).toBeUndefined();
    expect(syscallByName('no_such_call')).toBeUndefined();
  });

  it('uses the kernel/libseccomp names on each ABI', () => {
    for (const name of ['_llseek', '_newselect', 'mmap2', 'fstat64', 'socketcall', 'ipc', 'waitpid']) {
      expect(syscallByName(name)?.x86_64, name).toBeNull();
      expect(syscallByName(name)?.x86, name).not.toBeNull();
    }
    for (const name of ['newfstatat', 'kexec_file_load', 'arch_prctl', 'accept', 'semop']) {
      expect(syscallByName(name)?.x86_64, name).not.toBeNull();
    }
    expect(syscallByName('newfstatat')?.x86).toBeNull();
    expect(syscallByName('accept')?.x86).toBeNull();
    expect(syscallByName('arch_prctl')?.x86).toBe(384);
    expect(syscallByName('fstatat64')?.x86).toBe(300);
  });

  it('has well-formed descriptive fields', () => {
    for (const s of syscallTable) {
      expect(s.summary.length, s.name).toBeGreaterThan(10);
      expect(s.summary, s.name).not.toMatch(/\n/);
      expect(s.since, s.name).toMatch(/^\d+\.\d+(\.\d+)?$/);
      expect(riskLevels).toContain(s.risk);
      if (s.risk !== 'low') expect(s.riskNote, `${s.name} needs a risk note`).toBeTruthy();
      if (s.capability) expect(capabilityByName(s.capability), `${s.name}: ${s.capability}`).toBeDefined();
      if (s.obsolete) expect(s.probe || s.always, `${s.name} obsolete but probe/always`).toBeFalsy();
    }
  });

  it('marks the probe-with-fallback syscalls the errno policy relies on', () => {
    for (const name of [
      'clone3', 'openat2', 'faccessat2', 'close_range', 'epoll_pwait2', 'futex_waitv', 'statx', 'rseq',
      'pidfd_open', 'pidfd_send_signal', 'pidfd_getfd', 'copy_file_range', 'preadv2', 'pwritev2',
      'getrandom', 'memfd_create', 'io_uring_setup', 'landlock_create_ruleset', 'mount_setattr',
      'process_madvise', 'fchmodat2', 'cachestat', 'map_shadow_stack', 'mseal', 'clock_gettime64',
    ]) {
      expect(probeSyscalls, name).toContain(name);
    }
    for (const name of probeSyscalls) expect(syscallByName(name), name).toBeDefined();
    // Classic calls are not probed: a policy must answer EPERM for them when denied.
    for (const name of ['open', 'read', 'mount', 'ptrace', 'socket']) expect(probeSyscalls).not.toContain(name);
  });

  it('marks the calls nearly every program needs', () => {
    for (const name of ['exit', 'exit_group', 'rt_sigreturn', 'execve', 'brk', 'mmap', 'restart_syscall']) {
      expect(alwaysSyscalls, name).toContain(name);
    }
  });

  it('rates the dangerous calls as the design expects', () => {
    const risk = (name: string) => syscallByName(name)?.risk;
    for (const name of ['kexec_load', 'kexec_file_load', 'init_module', 'finit_module', 'bpf', 'ptrace', 'mount',
      'pivot_root', 'open_by_handle_at', 'iopl', 'ioperm', 'reboot', 'swapon', 'move_mount', 'fsmount']) {
      expect(risk(name), name).toBe('critical');
    }
    for (const name of ['unshare', 'setns', 'keyctl', 'userfaultfd', 'perf_event_open', 'personality', 'chroot',
      'add_key', 'process_vm_writev', 'io_uring_setup']) {
      expect(risk(name), name).toBe('high');
    }
    for (const name of ['socket', 'ioctl', 'prctl', 'setuid', 'chmod', 'chown']) expect(risk(name), name).toBe('medium');
    for (const name of ['read', 'write', 'getpid', 'futex', 'openat']) expect(risk(name), name).toBe('low');
    expect(syscallByName('mount')?.capability).toBe('CAP_SYS_ADMIN');
    expect(syscallByName('init_module')?.capability).toBe('CAP_SYS_MODULE');
    expect(syscallByName('reboot')?.capability).toBe('CAP_SYS_BOOT');
    expect(syscallByName('open_by_handle_at')?.capability).toBe('CAP_DAC_READ_SEARCH');
    expect(syscallByName('chroot')?.capability).toBe('CAP_SYS_CHROOT');
  });
});

describe('errnos against asm-generic/errno*.h', () => {
  const header = new Map([
    ...numericDefines(ERRNO_BASE, /^#define\s+(E\w+)\s+(\d+)\b/),
    ...numericDefines(ERRNO, /^#define\s+(E\w+)\s+(\d+)\b/),
  ]);

  it('matches every numeric errno of the headers, and nothing else', () => {
    expect(header.size).toBe(131);
    for (const [name, nr] of header) {
      expect(errnoByName(name)?.number, name).toBe(nr);
      expect(errnoByNumber(nr)?.name, String(nr)).toBe(name);
    }
    expect(errnoTable).toHaveLength(header.size);
  });

  it('resolves the header aliases', () => {
    for (const line of readFileSync(ERRNO, 'utf8').split('\n')) {
      const m = /^#define\s+(E\w+)\s+(E\w+)\b/.exec(line);
      if (m) {
        expect(errnoAliases[m[1]!], m[1]).toBe(m[2]);
        expect(errnoByName(m[1]!)?.name).toBe(m[2]);
      }
    }
  });

  it('looks up the usual suspects', () => {
    expect(errnoByName('EPERM')?.number).toBe(1);
    expect(errnoByName('enosys')?.number).toBe(38);
    expect(errnoByNumber(-38)?.name).toBe('ENOSYS');
    expect(errnoByName('EHWPOISON')?.number).toBe(133);
    expect(errnoByName('ENOTSUP')?.number).toBe(95);
    expect(errnoByNumber(41)).toBeUndefined();
    expect(errnoByNumber(58)).toBeUndefined();
  });
});

describe('capabilities', () => {
  it('match linux/capability.h', () => {
    const header = numericDefines(CAPABILITY_H, /^#define\s+(CAP_[A-Z_]+)\s+(\d+)\s*$/);
    expect(header.size).toBe(41);
    for (const [name, nr] of header) {
      expect(capabilityByName(name)?.number, name).toBe(nr);
      expect(capabilityByNumber(nr)?.name, String(nr)).toBe(name);
    }
  });

  it('are numbered 0..40 without gaps', () => {
    expect(capabilityTable.map((c) => c.number)).toEqual([...Array(lastCapability + 1).keys()]);
    expect(capabilityByNumber(41)).toBeUndefined();
    expect(capabilityByName('sys_admin')?.number).toBe(21);
    expect(capabilityByName('CAP_CHECKPOINT_RESTORE')?.number).toBe(40);
  });

  it("list Docker's default container set", () => {
    expect(defaultContainerCapabilities).toHaveLength(14);
    expect(new Set(defaultContainerCapabilities).size).toBe(14);
    for (const name of defaultContainerCapabilities) expect(capabilityByName(name), name).toBeDefined();
    expect(defaultContainerCapabilities).not.toContain('CAP_SYS_ADMIN');
    expect(defaultContainerCapabilities).toContain('CAP_NET_RAW');
  });
});

describe('socket families and types', () => {
  it('match bits/socket.h where it defines them', () => {
    const header = numericDefines(SOCKET_H, /^#define\s+PF_(\w+)\s+(\d+)\b/);
    expect(header.size).toBeGreaterThan(40);
    for (const [name, nr] of header) {
      if (name === 'MAX') expect(addressFamilyMax, 'AF_MAX').toBe(nr);
      else {
        expect(familyByName(`AF_${name}`)?.number, `AF_${name}`).toBe(nr);
        expect(familyByName(`PF_${name}`)?.number, `PF_${name}`).toBe(nr);
      }
    }
  });

  it('socket types match bits/socket_type.h', () => {
    const header = new Map<string, number>();
    for (const m of readFileSync(SOCKET_TYPE_H, 'utf8').matchAll(/^\s*(SOCK_[A-Z]+)\s*=\s*(0?)(\d+)\b/gm)) {
      header.set(m[1]!, parseInt(m[3]!, m[2] ? 8 : 10)); // a leading 0 means octal, as in C
    }
    const { SOCK_CLOEXEC, SOCK_NONBLOCK, ...types } = Object.fromEntries(header);
    expect({ SOCK_CLOEXEC, SOCK_NONBLOCK }).toEqual(socketTypeFlags);
    expect(Object.keys(types)).toHaveLength(socketTypeTable.length);
    for (const [name, nr] of Object.entries(types)) expect(socketTypeByName(name)?.number, name).toBe(nr);
  });

  it('cover AF_UNSPEC 0 … AF_MCTP 45 contiguously', () => {
    expect(addressFamilyTable.map((f) => f.number)).toEqual([...Array(46).keys()]);
    expect(familyByNumber(45)?.name).toBe('AF_MCTP');
    expect(familyByNumber(46)).toBeUndefined();
    expect(familyByName('local')?.name).toBe('AF_UNIX');
    expect(familyByName('AF_ROUTE')?.name).toBe('AF_NETLINK');
    expect(familyByName('inet6')?.number).toBe(10);
  });

  it('rate the families as the design expects', () => {
    expect(familyByName('AF_NETLINK')?.risk).toBe('medium');
    expect(familyByName('AF_PACKET')?.risk).toBe('high');
    expect(familyByName('AF_INET')?.risk).toBe('medium');
    expect(familyByName('AF_INET6')?.risk).toBe('medium');
    expect(familyByName('AF_UNIX')?.risk).toBe('low');
  });

  it('ignore SOCK_NONBLOCK / SOCK_CLOEXEC in the type argument', () => {
    expect(socketTypeByNumber(1 | 0o2000000 | 0o4000)?.name).toBe('SOCK_STREAM');
    expect(socketTypeByNumber(10)?.name).toBe('SOCK_PACKET');
    expect(socketTypeByNumber(7)).toBeUndefined();
  });
});

describe('sensitive paths', () => {
  it('has normalized, absolute, unique patterns', () => {
    const prefixes = sensitivePaths.map((p) => p.prefix);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    for (const p of prefixes) expect('/' + pathComponents(p).join('/'), p).toBe(p);
    for (const p of sensitivePaths) expect(p.reason.length, p.prefix).toBeGreaterThan(10);
  });

  it('matches whole components only', () => {
    expect(isSensitive('/dev/mem')?.risk).toBe('critical');
    expect(isSensitive('/devx/mem')).toBeUndefined();
    expect(isSensitive('/dev/memx')).toBeUndefined();
    expect(isSensitive('/proc/sysrq-trigger')?.risk).toBe('critical');
    expect(isSensitive('/proc/sysrq-triggers')).toBeUndefined();
    expect(isSensitive('/etc/shadow-')).toBeUndefined();
    expect(isSensitive('/dev')).toBeUndefined();
    expect(isSensitive('/')).toBeUndefined();
  });

  it('matches below a prefix and after normalization', () => {
    expect(isSensitive('/sys/kernel/debug/tracing/trace')?.prefix).toBe('/sys/kernel/debug');
    expect(isSensitive('//dev/./null/../sda1')?.prefix).toBe('/dev/sd*');
    expect(isSensitive('/dev/nvme0n1p2')?.prefix).toBe('/dev/nvme*');
    expect(isSensitive('/root/.ssh/authorized_keys')?.risk).toBe('critical');
    expect(isSensitive('/home/alice/.ssh/id_ed25519')?.prefix).toBe('/home/*/.ssh');
    expect(isSensitive('/var/run/docker.sock')?.risk).toBe('critical');
  });

  it('prefers the most specific pattern', () => {
    expect(isSensitive('/proc/self/mem')?.prefix).toBe('/proc/self/mem');
    expect(isSensitive('/proc/4242/mem')?.prefix).toBe('/proc/*/mem');
    expect(isSensitive('/proc/sys/kernel/core_pattern')?.prefix).toBe('/proc/sys/kernel/core_pattern');
    expect(isSensitive('/proc/sys/net/ipv4/ip_forward')?.prefix).toBe('/proc/sys');
  });

  it('lets reading pass where only changes matter', () => {
    expect(isSensitive('/etc/passwd', 'read')).toBeUndefined();
    expect(isSensitive('/etc/passwd', 'write')?.risk).toBe('critical');
    expect(isSensitive('/etc/shadow', 'read')?.risk).toBe('critical');
    expect(isSensitive('/sys/fs/cgroup/memory.max', 'read')).toBeUndefined();
    expect(isSensitive('/sys/fs/cgroup/memory.max', 'write')?.prefix).toBe('/sys/fs/cgroup');
    expect(isSensitive('/proc/sys/kernel/osrelease', 'read')).toBeUndefined();
    expect(isSensitive('/proc/sys/fs/binfmt_misc/register', 'write')?.risk).toBe('critical');
    expect(isSensitive('/sys/kernel/security/apparmor/profiles', 'read')?.prefix).toBe('/sys/kernel/security');
  });

  it('finds what a glob would sweep in', () => {
    const covered = (g: string) => sensitivePathsCoveredBy(g).map((p) => p.prefix);
    expect(covered('/etc/*')).toContain('/etc/shadow');
    expect(covered('/dev/**')).toContain('/dev/sd*');
    expect(covered('/dev/s*')).toContain('/dev/sd*');
    expect(covered('/dev/s*')).not.toContain('/dev/nvme*');
    expect(covered('/proc/sys/**')).toContain('/proc/sys/kernel/core_pattern');
    expect(covered('/home/alice/.ssh/*')).toContain('/home/*/.ssh');
    expect(covered('/sys/fs/cgroup/*')).toContain('/sys/fs/cgroup');
    expect(covered('/usr/share/**')).toEqual([]);
    expect(covered('/tmp/*')).toEqual([]);
    expect(covered('/**')).toHaveLength(sensitivePaths.length);
  });
});

describe('risky mounts', () => {
  it('lists the mount types that expose the kernel or the host', () => {
    for (const t of ['proc', 'sysfs', 'securityfs', 'debugfs', 'tracefs', 'bpf', 'cgroup', 'cgroup2', 'devpts', 'overlay']) {
      expect(riskyMountType(t), t).toBeDefined();
    }
    expect(riskyMountType('tmpfs')).toBeUndefined();
    expect(new Set(riskyMountTypes.map((m) => m.fstype)).size).toBe(riskyMountTypes.length);
  });

  it('assesses mounts', () => {
    expect(assessMount({ source: '/', target: '/mnt', bind: true })).toEqual([
      expect.objectContaining({ on: 'source', risk: 'critical' }),
    ]);
    expect(assessMount({ source: '/srv/data', target: '/data', bind: true })).toEqual([]);
    expect(assessMount({ source: 'tmpfs', target: '/tmp', fstype: 'tmpfs' })).toEqual([]);
    expect(assessMount({ source: '/dev/sda1', target: '/mnt', fstype: 'ext4' })[0]?.risk).toBe('critical');
    const overSys = assessMount({ source: 'tmpfs', target: '/proc/sys', fstype: 'tmpfs' });
    expect(overSys).toEqual([expect.objectContaining({ on: 'target' })]);
    expect(assessMount({ source: 'proc', target: '/proc', fstype: 'proc' })[0]?.on).toBe('fstype');
  });
});
