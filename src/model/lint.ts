/**
 * The policy linter: what in a policy is dangerous, broken or pointless, one finding per line.
 * Driven by the knowledge tables (design.md, "Knowledge as data") and the errno policy. Pure: the
 * Docker baseline (profiles/baselines/docker-default.json) is handed in by the caller.
 */
import { generatedWidenings, globMatches, isGlob } from './glob.js';
import type { Policy } from './policy.js';
import { capabilityByName } from './knowledge/capabilities.js';
import { familyByName } from './knowledge/families.js';
import { riskAtLeast, riskRank, type Risk } from './knowledge/risk.js';
import { assessMount, isSensitive, sensitivePathsCoveredBy } from './knowledge/sensitive-paths.js';
import { probeSyscalls, syscallByName, type SyscallArch } from './knowledge/syscalls.js';

export type Severity = 'error' | 'warning' | 'info';

/** One thing the linter found. `rule` is a stable id (scripts filter on it). */
export interface Finding {
  severity: Severity;
  rule: string;
  /** What the finding is about: a syscall name, a path pattern, a mount, a family, a capability, or a part of the policy. */
  item: string;
  /** One line: what, and why it matters. */
  message: string;
}

/**
 * The facts of profiles/baselines/docker-default.json the linter uses: the syscall names a
 * default `docker run` on x86_64 allows (with the x86 sub-architecture).
 */
export interface DockerBaseline {
  source?: { release?: string; commit?: string };
  x86_64Default: { names: string[] };
}

export interface LintOptions {
  /** Compare the allowed syscalls with Docker's default profile (skipped when absent). */
  dockerBaseline?: DockerBaseline;
  /** At or above this share of Docker's default allow set, a policy is "hardly tighter" (0.9). */
  broadShare?: number;
}

/** Every rule id the linter can report, with what it checks (for docs and --help). */
export const lintRules: Readonly<Record<string, string>> = {
  'dangerous-syscall': 'an allowed syscall the knowledge table rates critical (error) or high (warning)',
  'sensitive-path': 'an allowed path that is sensitive for that access (writing /proc/sysrq-trigger, reading /etc/shadow, …)',
  'glob-covers-sensitive': 'an allowed glob that also reaches a sensitive path',
  'missing-essential': 'exit, exit_group or rt_sigreturn not allowed: the program cannot even exit',
  'implied-syscall': 'a syscall allowed though never seen, because what the workload did needs it (a signal handler returns with rt_sigreturn)',
  'probe-eperm': 'a syscall programs probe (clone3, openat2, statx, …) answered with an errno other than ENOSYS',
  'unknown-syscall': 'a name that is not a syscall of x86_64 or i386',
  'conflicting-rule': 'a syscall both allowed and denied',
  'redundant-rule': 'a rule that does what the default action does already',
  'inferred-capability': 'a capability granted from inferred data (no in-kernel probe saw the kernel check it)',
  'dangerous-capability': 'a granted capability rated critical (error) or high (warning)',
  'risky-mount': 'an allowed mount of a risky filesystem, source or target, or a new user namespace',
  'raw-socket': 'AF_PACKET or AF_XDP allowed, or CAP_NET_RAW granted: sniff and forge packets',
  'risky-family': 'an allowed socket family the knowledge table rates high',
  'i386-abi': 'the i386 ABI (int 0x80, 32-bit programs) is allowed',
  'broad-allowlist': "the syscall allow set is about as wide as Docker's default, or wider",
  'docker-baseline': "how the syscall allow set compares with Docker's default (numbers)",
  'undecided-accepted': 'undecided items were accepted without a decision',
  'made-up-name': "a path created under a name made up each run (mktemp) allowed only as it was: the next run's name is not in the policy",
};

const ESSENTIAL: ReadonlyArray<{ name: string; why: string }> = [
  { name: 'exit_group', why: 'the program cannot even exit (every process ends with exit_group)' },
  { name: 'exit', why: 'a thread cannot even end (pthread_exit and returning from a thread call exit)' },
  { name: 'rt_sigreturn', why: 'a program that handles a signal cannot return from its handler' },
];
const RAW_FAMILIES = new Set(['AF_PACKET', 'AF_XDP']);
const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** How much an access kind can do to a path: change it, read its contents, list it, or only look at its metadata. */
enum Look {
  meta = 0,
  list = 1,
  read = 2,
  change = 3,
}
function accessClass(a: string): Look {
  if (a === 'stat') return Look.meta;
  if (a === 'readdir') return Look.list;
  if (a === 'read' || a === 'exec') return Look.read;
  return Look.change;
}

/**
 * A sensitive path allowed: changing it is an error at high risk (a warning below), reading its
 * contents a warning at high risk (information below), listing it information, stat nothing.
 */
function pathSeverity(look: Look, risk: Risk): Severity | null {
  const high = riskAtLeast(risk, 'high');
  if (look === Look.change) return high ? 'error' : 'warning';
  if (look === Look.read) return high ? 'warning' : 'info';
  if (look === Look.list) return 'info';
  return null;
}

/** critical → error, high → warning, lower → the given fallback. */
function byRisk(risk: Risk, below: Severity | null): Severity | null {
  if (risk === 'critical') return 'error';
  if (risk === 'high') return 'warning';
  return below;
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}

/** A share as a percentage with one decimal, rounded down (89.97% shows as 89.9%, not 90%). */
function pct(n: number, of: number): string {
  return of === 0 ? '0%' : `${Math.floor((1000 * n) / of) / 10}%`;
}

function someOf(names: string[], n = 5): string {
  return names.slice(0, n).join(', ') + (names.length > n ? `, … (${names.length - n} more)` : '');
}

/** Does this syscall exist on one of the ABIs the policy covers? */
function onAbis(name: string, abis: readonly string[]): boolean {
  const s = syscallByName(name);
  if (!s) return false;
  return abis.some((a) => s[a as SyscallArch] !== null && s[a as SyscallArch] !== undefined);
}

/** Lint a policy: findings, errors first, then warnings, then information. */
export function lintPolicy(policy: Policy, opts: LintOptions = {}): Finding[] {
  const out: Finding[] = [];
  const add = (severity: Severity, rule: string, item: string, message: string) => out.push({ severity, rule, item, message: oneLine(message) });
  const allow = new Set(policy.syscalls.allow);
  const denied = new Map(policy.syscalls.deny.map((d) => [d.name, d.errno]));
  const enosys = new Set(policy.syscalls.enosys);
  const abis = policy.arch.abis.length ? policy.arch.abis : ['x86_64'];

  // ── syscalls ──
  for (const name of [...new Set([...allow, ...denied.keys(), ...enosys])].sort()) {
    if (!syscallByName(name)) {
      add('error', 'unknown-syscall', name, 'not a syscall of x86_64 or i386 (whittle uses the kernel/libseccomp names, e.g. newfstatat, not fstatat): launchers reject the whole profile');
    }
  }
  for (const name of [...allow].sort()) {
    const s = syscallByName(name);
    if (!s) continue;
    const sev = byRisk(s.risk, null);
    if (sev) add(sev, 'dangerous-syscall', name, `allowed, ${s.risk} risk: ${s.riskNote ?? s.summary}${s.capability ? ` (the kernel checks ${s.capability})` : ''}`);
  }
  for (const { name, because } of policy.syscalls.implied ?? []) {
    if (allow.has(name)) add('info', 'implied-syscall', name, `allowed though never seen while learning: ${because}`);
  }
  for (const { name, why } of ESSENTIAL) {
    if (allow.has(name)) continue;
    const how = denied.has(name) ? `denied (${denied.get(name)})` : enosys.has(name) ? 'answered ENOSYS' : `not allowed (the default answers ${policy.syscalls.defaultErrno})`;
    add('warning', 'missing-essential', name, `${how}: ${why}`);
  }
  const probes = new Set(probeSyscalls);
  for (const [name, errno] of [...denied].sort((a, b) => a[0].localeCompare(b[0]))) {
    if (allow.has(name)) add('error', 'conflicting-rule', name, `both allowed and denied (${errno}): launchers disagree on which rule wins`);
    if (probes.has(name) && errno !== 'ENOSYS') {
      add('warning', 'probe-eperm', name, `denied with ${errno}: programs probe ${name} and fall back only on ENOSYS (glibc's clone3, runc's openat2, statx); ${errno} is taken as final and the program fails`);
    }
    if (errno === policy.syscalls.defaultErrno) {
      add('info', 'redundant-rule', name, `denied with ${errno}, which the default action answers already: the rule changes nothing`);
    }
  }
  for (const name of [...enosys].sort()) {
    if (allow.has(name)) add('error', 'conflicting-rule', name, 'both allowed and answered ENOSYS: launchers disagree on which rule wins');
    else if (policy.syscalls.defaultErrno === 'ENOSYS') add('info', 'redundant-rule', name, 'answered ENOSYS, which the default action answers already: the rule changes nothing');
  }
  if (policy.syscalls.defaultErrno !== 'ENOSYS') {
    for (const name of [...probes].sort()) {
      if (allow.has(name) || denied.has(name) || enosys.has(name) || !onAbis(name, abis)) continue;
      const s = syscallByName(name)!;
      // newer than the policy's horizon: answered ENOSYS by the errno policy anyway
      if (s.x86_64 !== null && policy.horizon.syscall > 0 && s.x86_64 > policy.horizon.syscall) continue;
      add('warning', 'probe-eperm', name, `falls to the default action (${policy.syscalls.defaultErrno}): programs probe ${name} and fall back only on ENOSYS, so ${policy.syscalls.defaultErrno} makes them fail; allow it or answer ENOSYS`);
    }
  }

  // ── paths ──
  for (const r of policy.paths) {
    if (r.action !== 'allow') continue;
    if (isGlob(r.pattern)) {
      const strongest = r.access.map(accessClass).sort((a, b) => b - a)[0] ?? Look.meta;
      if (strongest === Look.meta) continue;
      const covered = sensitivePathsCoveredBy(r.pattern)
        .filter((s) => !(s.writeOnly && strongest !== Look.change))
        .sort((a, b) => riskRank(b.risk) - riskRank(a.risk));
      if (!covered.length) continue;
      const worst = covered[0]!;
      const sev = pathSeverity(strongest, worst.risk)!;
      const list = someOf(covered.map((c) => c.prefix), 3);
      add(sev, 'glob-covers-sensitive', r.pattern, `${r.access.join(',')} allowed over a glob that also covers ${list}: ${worst.prefix}: ${worst.reason}`);
      continue;
    }
    let worst: { sev: Severity; risk: Risk; reason: string; prefix: string } | undefined;
    const hits: string[] = [];
    for (const a of r.access) {
      const m = isSensitive(r.pattern, a);
      const sev = m ? pathSeverity(accessClass(a), m.risk) : null;
      if (!m || !sev) continue;
      hits.push(a);
      if (!worst || SEVERITY_ORDER[sev] < SEVERITY_ORDER[worst.sev]) worst = { sev, risk: m.risk, reason: m.reason, prefix: m.prefix };
    }
    if (!worst) continue;
    // a name that was not there (a PATH search's misses): only what is put there later is reached
    const absent = r.absent && worst.sev === 'warning';
    add(
      absent ? 'info' : worst.sev,
      'sensitive-path',
      r.pattern,
      `${hits.join(',')} allowed, ${worst.risk} risk${worst.prefix !== r.pattern ? ` (under ${worst.prefix})` : ''}: ${worst.reason}${absent ? ' — it did not exist when learned (a lookup that failed): only something put there later would be reached' : ''}`,
    );
  }

  // ── names made up each run, allowed only as they were ──
  const globs = policy.paths.filter((r) => r.action === 'allow' && isGlob(r.pattern));
  const made: string[] = []; // said once, for the outermost (a mktemp directory, not each file in it)
  const byPattern = new Map<string, string[]>(); // and once per pattern (sort's many temp files)
  for (const r of [...policy.paths].sort((a, b) => a.pattern.length - b.pattern.length)) {
    if (r.action !== 'allow' || isGlob(r.pattern) || !r.access.includes('create')) continue;
    if (globs.some((g) => globMatches(g.pattern, r.pattern))) continue;
    if (made.some((m) => r.pattern.startsWith(m + '/'))) continue;
    const below = policy.paths.some((o) => o.pattern.startsWith(r.pattern + '/'));
    const pattern = generatedWidenings(r.pattern, below, true)[0];
    if (!pattern) continue;
    made.push(r.pattern);
    byPattern.set(pattern, [...(byPattern.get(pattern) ?? []), r.pattern]);
  }
  for (const [pattern, names] of byPattern) {
    const more = names.length > 1 ? ` (and ${names.length - 1} more like it)` : '';
    add(
      'warning',
      'made-up-name',
      names[0]!,
      `created${more} with a name that looks made up each run (mktemp, a temp file): allowed only as it was, so the next run's new name is not in the policy (a launcher that enforces names, such as AppArmor, denies it; whittle run may let it through by its directory); widen it to ${pattern} (g in whittle review, or whittle decide SNAPSHOT --glob '${pattern}')`,
    );
  }

  // ── mounts and namespaces ──
  for (const m of policy.mounts) {
    const ns = ['unshare', 'setns', 'clone', 'clone3'].includes(m.op);
    if (ns) {
      if (m.flags.includes('CLONE_NEWUSER')) {
        add('warning', 'risky-mount', `${m.op} ${m.flags}`, 'a new user namespace gives unprivileged code root-only kernel interfaces (mount, netfilter, …), a common route to kernel exploits');
      }
      continue;
    }
    const found = assessMount({ source: m.source, target: m.target, fstype: m.fstype, bind: m.op === 'bind' });
    if (!found.length) continue;
    const worst = found.reduce((a, b) => (riskRank(b.risk) > riskRank(a.risk) ? b : a));
    const sev = byRisk(worst.risk, 'info')!;
    const label = `${m.op} ${[m.fstype, m.source, '→', m.target].filter(Boolean).join(' ')}`;
    add(sev, 'risky-mount', label, `allowed, ${worst.risk} risk: ${found.map((f) => `${f.on}: ${f.reason}`).join('; ')}`);
  }

  // ── network ──
  for (const fam of policy.network.allow) {
    const f = familyByName(fam);
    if (RAW_FAMILIES.has(f?.name ?? fam)) {
      add('warning', 'raw-socket', fam, `allowed: ${f?.summary ?? 'raw packet sockets'}`);
    } else if (f && riskAtLeast(f.risk, 'high')) {
      add('warning', 'risky-family', fam, `allowed, ${f.risk} risk: ${f.summary}`);
    }
  }

  // ── capabilities ──
  const inferred = new Set(policy.capabilities.inferred);
  for (const cap of policy.capabilities.allow) {
    const c = capabilityByName(cap);
    if (cap === 'CAP_NET_RAW') add('warning', 'raw-socket', cap, `granted: ${c?.summary ?? 'raw and packet sockets'}`);
    else if (c) {
      const sev = byRisk(c.risk, null);
      if (sev) add(sev, 'dangerous-capability', cap, `granted, ${c.risk} risk: ${c.summary}`);
    }
    if (inferred.has(cap)) {
      add('warning', 'inferred-capability', cap, 'granted from inferred data: derived from the syscalls the workload made, no in-kernel probe saw the kernel check it; confirm it is needed (or learn again with --mechanism ebpf)');
    }
  }

  // ── architecture ──
  if (abis.includes('x86')) {
    add('warning', 'i386-abi', 'x86', 'the i386 ABI is allowed (int 0x80, 32-bit programs): a second syscall table with other numbers, a classic way around filters; keep it only if the workload runs 32-bit code');
  }

  // ── how wide, compared with Docker's default ──
  const base = opts.dockerBaseline;
  if (base) {
    const docker = new Set(base.x86_64Default.names.filter((n) => onAbis(n, abis)));
    const known = [...allow].filter((n) => syscallByName(n));
    const inDocker = known.filter((n) => docker.has(n));
    const beyond = known.filter((n) => !docker.has(n)).sort();
    const share = docker.size ? inDocker.length / docker.size : 0;
    const where = `Docker's default profile allows on ${abis.join('+')}`;
    const numbers = `allows ${inDocker.length} of the ${docker.size} syscalls ${where} (${pct(inDocker.length, docker.size)})${beyond.length ? `, plus ${beyond.length} it blocks (${someOf(beyond)})` : ''}`;
    if (known.length > docker.size) {
      add('warning', 'broad-allowlist', 'syscalls', `${numbers}: ${known.length} allowed in all, more than Docker's default`);
    } else if (share >= (opts.broadShare ?? 0.9)) {
      add('warning', 'broad-allowlist', 'syscalls', `${numbers}: hardly tighter than Docker's default`);
    } else {
      add('info', 'docker-baseline', 'syscalls', numbers);
    }
  }

  // ── undecided items ──
  if (policy.undecided.treatedAs === 'accept' && policy.undecided.count > 0) {
    add('warning', 'undecided-accepted', 'policy', `${policy.undecided.count} undecided item(s) were accepted without a decision (--undecided accept): review them`);
  }

  return out
    .map((f, i) => ({ f, i }))
    .sort((a, b) => SEVERITY_ORDER[a.f.severity] - SEVERITY_ORDER[b.f.severity] || a.i - b.i)
    .map(({ f }) => f);
}

/** Counts by severity. */
export function countFindings(findings: Finding[]): Record<Severity, number> {
  const c: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) c[f.severity]++;
  return c;
}

/** One line per finding: `severity rule item: message`. */
export function formatFinding(f: Finding): string {
  return `${f.severity} ${f.rule} ${f.item}: ${f.message}`;
}
