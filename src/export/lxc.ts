/**
 * lxc: an LXC seccomp policy, version 2 — the file `lxc.seccomp.profile` names in a container's
 * config (checked with LXC 5.0.2 and libseccomp 2.5.4: `lxc-execute -n NAME -f CONF -- CMD`).
 *
 * The file: line 1 `2`, line 2 `allowlist errno 38`, then `#` comments (first column only, no
 * empty lines) and per-architecture sections (`[x86_64]`, `[x86]`), one rule a line: `NAME`
 * allows it, `NAME errno N` answers errno N, `NAME allow|errno N [i,v,OP]…` conditions the rule on
 * arguments (every bracket must hold, one comparison per argument — libseccomp refuses two, and
 * nothing may follow the last `]`).
 *
 * The errno policy, as the OCI exporter does it: the default answer is ENOSYS, and every known
 * syscall the policy does not allow is listed with EPERM (`name errno 1`). A syscall newer than the
 * policy's horizon has no name LXC's libseccomp knows, so no rule can name it: with ENOSYS as the
 * default it answers ENOSYS and programs fall back. Denials keep the person's errno; probe syscalls
 * never seen get the default too, and are only named in a comment: libseccomp refuses a rule whose
 * action is the default (measured: LXC then fails to start). The socket family restriction is the
 * shared rules' `socket allow [0,F,SCMP_CMP_EQ]` per accepted family and EAFNOSUPPORT for every
 * other value (EQ below the largest, GT above it). The i386-only calls are listed in `[x86]`.
 *
 * LXC's own init runs under the same filter: lxc-execute installs it in its init process, which
 * then sets up signals, forks, execs the workload, waits for it and forwards signals. Those
 * syscalls (measured, lxcInitLayer) are allowed in a separate, commented group; a denial or ENOSYS
 * answer of one of them is given up (the init would fail) and reported.
 *
 * What this format cannot express (each reported in `unexpressed`, item by item):
 * - paths, mounts and capabilities: a seccomp policy filters syscalls only (LXC's config has
 *   lxc.mount.entry and lxc.cap.keep for the latter two; they are not part of this file);
 * - which ABIs may be used: on an x86_64 host LXC loads every line into its x86_64, i386 and x32
 *   filters whatever the section (measured: an [x86_64]-only profile allows int 0x80 getppid), so a
 *   policy whose workload used only x86_64 cannot shut the i386 ABI;
 * - on i386, the socket and System V IPC calls made directly (socket, connect, shmget…): LXC adds
 *   a rule per ABI only for names libseccomp resolves there, and libseccomp 2.5.4 names them on
 *   i386 only through socketcall/ipc, so made directly they get the default answer (measured), and
 *   socketcall, when allowed, passes every family;
 * - allowed names newer than the learning machine's libseccomp (LXC skips a name it cannot resolve:
 *   the call gets the default, ENOSYS), and a denial or probe LXC's own init needs (see above).
 */
import type { Policy } from '../model/policy.js';
import { syscallByName, syscallNumber, syscallTable } from '../model/knowledge/syscalls.js';
import { familyByNumber } from '../model/knowledge/families.js';
import { errnoByNumber } from '../model/knowledge/errnos.js';
import { errnoNumber, seccompOnlyUnexpressed, seccompRules, type ConditionalRule } from './seccomp-rules.js';
import type { Exporter, RenderContext, RenderResult, Unexpressed } from './types.js';

/**
 * What lxc-execute's init does after it installed the container's filter: measured with LXC 5.0.2
 * on Debian 12 (strace -f of `lxc-execute` running a short program, and a long one stopped with
 * SIGTERM: the init's syscalls from its seccomp() on, and its child's up to the workload's execve).
 */
export const lxcInitLayer = {
  version: '5.0.2',
  syscalls: [
    'alarm', 'capget', 'clone', 'close', 'close_range', 'execve', 'exit_group', 'fchmod', 'fchown', 'getpid', 'getuid',
    'ioctl', 'kill', 'newfstatat', 'openat', 'read', 'readlink', 'rt_sigaction', 'rt_sigprocmask', 'rt_sigreturn',
    'sendto', 'set_robust_list', 'setgroups', 'setsid', 'wait4', 'write',
  ] as readonly string[],
  source: 'measured with lxc-execute (LXC 5.0.2, Debian 12): syscalls of its init from seccomp() on, SIGTERM forwarding included',
};

/**
 * Calls libseccomp 2.5.4 names on i386 only through socketcall / ipc (`scmp_sys_resolver -a x86`
 * gives a negative pseudo number): LXC adds no i386 rule for them.
 */
export const i386Multiplexed: readonly string[] = [
  'accept4', 'bind', 'connect', 'getpeername', 'getsockname', 'getsockopt', 'listen', 'msgctl', 'msgget', 'msgrcv', 'msgsnd',
  'recvfrom', 'recvmmsg', 'recvmsg', 'semctl', 'semget', 'sendmmsg', 'sendmsg', 'sendto', 'setsockopt', 'shmat', 'shmctl', 'shmdt',
  'shmget', 'shutdown', 'socket', 'socketpair',
];

const FORMAT = 'an LXC seccomp policy';
const ENOSYS = errnoNumber('ENOSYS');

/** The syscall exists on x86_64 (else it goes in the [x86] section: socketcall, _llseek, mmap2…). */
const onX86_64 = (name: string): boolean => syscallNumber('x86_64', name) !== null || !syscallByName(name);

/** LXC's libseccomp resolves the name: numbers up to the learning machine's libseccomp horizon. */
function resolvable(p: Policy, name: string): boolean {
  const s = syscallByName(name);
  if (!s) return false;
  const nr = s.x86_64 ?? s.x86;
  return nr === null || nr <= p.horizon.libseccomp;
}

/** One shared conditional rule as an LXC line (the shared rules compare each argument once). */
export function lxcConditionalLine(c: ConditionalRule): string {
  const seen = new Set<number>();
  for (const a of c.args) {
    if (seen.has(a.index)) throw new Error(`lxc: ${c.name} compares argument ${a.index} twice in one rule, which libseccomp refuses`);
    seen.add(a.index);
  }
  const action = c.action === 'allow' ? 'allow' : `errno ${c.errno}`;
  return `${c.name} ${action} ${c.args.map((a) => `[${a.index},${a.value},${a.op}]`).join(' ')}`;
}

const errnoName = (n: number): string => errnoByNumber(n)?.name ?? String(n);

/** Names as comment text, a few to a line. */
function wrap(names: string[], width = 96): string[] {
  const out: string[] = [];
  let line = '';
  for (const n of names) {
    if (line && line.length + 1 + n.length > width) {
      out.push(line);
      line = '';
    }
    line = line ? `${line} ${n}` : n;
  }
  if (line) out.push(line);
  return out;
}

export function renderLxc(p: Policy, ctx: RenderContext): RenderResult {
  const unexpressed: Unexpressed[] = [];
  const layerSet = new Set(lxcInitLayer.syscalls.filter((n) => syscallByName(n)));
  const initNeeds = `lxc-execute's init (LXC ${lxcInitLayer.version}) runs under the same filter and needs`;
  // The init needs these: a denial or a probe answer for one of them would stop the container.
  const deny = p.syscalls.deny.filter((d) => {
    if (!layerSet.has(d.name)) return true;
    unexpressed.push({ item: `deny ${d.name} (${d.errno})`, reason: `${initNeeds} ${d.name}: the profile allows it` });
    return false;
  });
  const enosys = p.syscalls.enosys.filter((n) => {
    if (!layerSet.has(n)) return true;
    unexpressed.push({ item: `probe ${n} (ENOSYS)`, reason: `${initNeeds} ${n}: the profile allows it instead of answering ENOSYS` });
    return false;
  });
  // The rules as for the x86_64 ABI alone: LXC resolves each line for i386 itself (i386-only
  // names are placed below by hand), and the shared rules' i386 caveat — libseccomp rewriting
  // socket rules into colliding socketcall rules — does not arise, since LXC adds no i386 socket
  // rule at all (reported below with the other calls libseccomp multiplexes there).
  const x86 = p.arch.abis.includes('x86');
  const view: Policy = { ...p, arch: { ...p.arch, abis: ['x86_64'] }, syscalls: { ...p.syscalls, deny, enosys } };
  const shared = seccompRules(view, { name: ctx.name });
  const rules = shared.rules;
  unexpressed.push(...shared.unexpressed);
  const layer = [...layerSet].filter((n) => !p.syscalls.allow.includes(n)).sort();

  type Line = { name: string; text: string };
  /** A list group is written as comment lines naming its syscalls (no rules). */
  const groups: Array<{ comment: string; lines: Line[]; list?: boolean }> = [];
  const plain = (names: string[]) => names.map((n) => ({ name: n, text: n }));
  groups.push({ comment: "allowed: the workload's own syscalls", lines: plain(rules.allow) });
  if (layer.length) {
    groups.push({ comment: `allowed for lxc-execute's init (LXC ${lxcInitLayer.version}), which runs under this filter around the workload`, lines: plain(layer) });
  }
  for (const e of rules.errno) {
    if (e.errno === ENOSYS) {
      // the default: libseccomp refuses a rule whose action is the default (LXC then fails to start)
      groups.push({
        comment: 'probe syscalls never seen (programs fall back on ENOSYS), or denied with ENOSYS: the default answers them, as libseccomp takes no rule equal to the default',
        lines: e.names.map((n) => ({ name: n, text: n })),
        list: true,
      });
      continue;
    }
    groups.push({ comment: `denied: ${errnoName(e.errno)}`, lines: e.names.map((n) => ({ name: n, text: `${n} errno ${e.errno}` })) });
  }
  if (rules.conditional.length) {
    const fams = rules.conditional.filter((c) => c.action === 'allow').map((c) => familyByNumber(c.args[0]!.value)?.name ?? String(c.args[0]!.value));
    const others = rules.conditional.some((c) => c.action === 'errno') ? 'any other family answers EAFNOSUPPORT' : `any other family gets the default answer`;
    groups.push({ comment: `socket(): only the accepted address families (${fams.join(' ')}); ${others}`, lines: rules.conditional.map((c) => ({ name: c.name, text: lxcConditionalLine(c) })) });
  }
  // Every other known syscall answers EPERM by name, so that the default (ENOSYS) is left to the
  // syscalls newer than the horizon. LXC puts i386 rules in place even when the workload did not
  // use that ABI: the i386-only calls are listed too (i386-only probes keep the default, ENOSYS).
  const named = new Set<string>([
    ...layer, ...rules.allow, ...rules.errno.flatMap((e) => e.names), ...rules.conditional.map((c) => c.name),
    ...p.syscalls.allow, ...p.syscalls.deny.map((d) => d.name), ...p.syscalls.enosys,
  ]);
  const known = rules.knownDenied.filter((n) => !named.has(n));
  for (const s of syscallTable) if (s.x86_64 === null && s.x86 !== null && !named.has(s.name) && !known.includes(s.name)) known.push(s.name);
  groups.push({
    comment: `every other syscall up to the horizon (${p.horizon.syscall}): ${errnoName(rules.defaultErrno)}; newer ones get the default, ENOSYS`,
    lines: known.sort().map((n) => ({ name: n, text: `${n} errno ${rules.defaultErrno}` })),
  });

  // Names LXC would skip on this libseccomp: allowed ones are a loss (the call gets ENOSYS).
  for (const n of rules.allow) {
    if (!resolvable(p, n)) {
      unexpressed.push({
        item: `allow ${n}`,
        reason: `newer than the libseccomp horizon (${p.horizon.libseccomp}): LXC skips a name its libseccomp cannot resolve, so ${n} answers ENOSYS there (the line is kept for a newer host)`,
      });
    }
  }
  if (!x86) {
    unexpressed.push({
      item: 'ABIs: x86_64 only',
      reason: 'on an x86_64 host LXC loads every rule into its x86_64, i386 and x32 filters whatever the section: the allowed syscalls are allowed through int 0x80 too',
    });
  } else {
    if (p.syscalls.allow.includes('socketcall') && rules.conditional.length) {
      unexpressed.push({ item: 'network families via socketcall (i386)', reason: "socketcall's arguments are in memory, which seccomp cannot read: families are not restricted there" });
    }
    for (const n of [...rules.allow, ...rules.conditional.map((c) => c.name)].filter((x, i, a) => a.indexOf(x) === i && i386Multiplexed.includes(x)).sort()) {
      unexpressed.push({
        item: `allow ${n} on i386`,
        reason: `libseccomp names ${n} on i386 only through socketcall/ipc and LXC skips it there: made directly, an i386 ${n} answers ENOSYS (the default; glibc then falls back to socketcall/ipc, which pass every family and argument when allowed)`,
      });
    }
  }
  for (const u of seccompOnlyUnexpressed(p, FORMAT)) {
    if (u.item.startsWith('capability ')) {
      unexpressed.push({ item: u.item, reason: `${FORMAT} has no capability set: keep only the policy's in the container's config (lxc.cap.keep = ${p.capabilities.allow.join(' ')})` });
    } else unexpressed.push(u);
  }
  if (p.capabilities.allow.length === 0) {
    unexpressed.push({ item: 'capabilities: none', reason: `${FORMAT} has no capability set: drop them all in the container's config (lxc.cap.keep = none)` });
  }

  const out: string[] = ['2', `allowlist errno ${ENOSYS}`];
  out.push(`# whittle: LXC seccomp policy (v2) for ${p.workload.argv.join(' ')}`);
  out.push(`# generated by ${p.generatedBy} from ${p.sources.map((s) => s.snapshot).join(', ')}; use it with lxc.seccomp.profile = THIS_FILE`);
  out.push(`# default ENOSYS (syscalls newer than the horizon, which no rule can name); every known syscall not allowed is listed with ${errnoName(rules.defaultErrno)}`);
  out.push('# LXC applies each line to every ABI of an x86_64 host (x86_64, i386, x32); a name its libseccomp does not know is skipped');
  if (p.undecided.count) out.push(`# ${p.undecided.count} undecided item(s) were treated as ${p.undecided.treatedAs === 'deny' ? 'denied' : 'accepted'}`);
  const sections: Array<{ header: string; keep: (name: string) => boolean }> = [{ header: '[x86_64]', keep: onX86_64 }];
  if (x86 || groups.some((g) => g.lines.some((l) => !onX86_64(l.name)))) sections.push({ header: '[x86]', keep: (n) => !onX86_64(n) });
  for (const s of sections) {
    out.push(s.header);
    if (s.header === '[x86]') out.push('# the lines above apply to this ABI too; here the calls that exist on i386 alone');
    for (const g of groups) {
      const lines = g.lines.filter((l) => s.keep(l.name));
      if (!lines.length) continue;
      out.push(`# ${g.comment}`);
      if (g.list) for (const l of wrap(lines.map((x) => x.name))) out.push(`#   ${l}`);
      else for (const l of lines) out.push(l.text);
    }
  }
  return {
    artifacts: [{ suffix: null, content: out.join('\n') + '\n', description: 'LXC seccomp policy: lxc.seccomp.profile = PATH in the container config' }],
    unexpressed,
  };
}

export const lxcExporter: Exporter = {
  format: 'lxc',
  description: 'LXC seccomp policy v2, for lxc.seccomp.profile (lxc-start, lxc-execute)',
  defaultName: (ctx) => `${ctx.name}.lxc-seccomp`,
  render: renderLxc,
};
