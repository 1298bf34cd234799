/**
 * minijail: a minijail seccomp .policy file for the x86_64 ABI (`minijail0 -n -S FILE -- CMD`,
 * or minijail_parse_seccomp_filters() from libminijail).
 *
 * The file: one statement a line, `name: filter`; `#` starts a comment. A filter is `1` (allow),
 * `return N` (fail with errno N: denials with the person's errno, ENOSYS 38 for probe syscalls
 * never seen), or an argument expression in disjunctive normal form (`argI OP VALUE` atoms joined
 * by `&&`, conjunctions joined by `||`) with an optional `; return N` for when it is false. The
 * socket family restriction is one such line: `socket: arg0 == 1 || arg0 == 2; return 97` (the
 * accepted families, EAFNOSUPPORT for the others). Numbers, not constant names, so any minijail
 * parser (the C one and the Python compiler) reads it the same.
 *
 * Not checked by a real consumer here: minijail is not packaged for Debian 12 and is not
 * installed on this machine, so the output is checked against minijail's documented policy grammar
 * (minijail0(5), the Python parser's grammar) by a grammar check in the unit test, and against
 * golden files.
 *
 * What this format cannot express (each reported in `unexpressed`, item by item):
 * - the default EPERM: a syscall with no line kills the process (minijail's `@default` takes only
 *   kill, kill-process, kill-thread, trap or user-notify, never an errno) — the same for ENOSYS
 *   past the policy's horizon;
 * - the i386 ABI: minijail's filter checks the architecture first and kills on any other, so the
 *   i386 syscalls of a policy are not written (a 32-bit program needs its own policy file);
 * - probe syscalls newer than the policy's horizon: minijail's syscall table comes from the kernel
 *   headers it was built with, and one unknown name fails the whole file, so they are not written
 *   (those calls kill); an allowed syscall past the horizon is written, and reported, since the
 *   workload needs it;
 * - paths, mounts and capabilities (minijail0's -b/-k/-c options, not part of this file), and the
 *   family restriction through i386 socketcall.
 */
import type { Policy } from '../model/policy.js';
import { syscallByName, syscallNumber } from '../model/knowledge/syscalls.js';
import { capabilityByName } from '../model/knowledge/capabilities.js';
import { errnoByNumber } from '../model/knowledge/errnos.js';
import { familyByNumber } from '../model/knowledge/families.js';
import { seccompOnlyUnexpressed, seccompRules, type ConditionalRule } from './seccomp-rules.js';
import type { Exporter, RenderContext, RenderResult, Unexpressed } from './types.js';

const FORMAT = 'a minijail seccomp policy';

const OPS: Record<string, string> = { SCMP_CMP_EQ: '==', SCMP_CMP_NE: '!=', SCMP_CMP_GT: '>' };

/**
 * The shared conditional rules of one syscall as one minijail line: the allow rules are the
 * disjunction; the errno rules must be their complement (every other value of the one argument
 * they compare: EQ below the largest allowed value, GT above it), which is then the `; return N`
 * part. Without errno rules the rest gets `fallbackErrno` (the policy's default).
 */
export function minijailConditionalLine(name: string, rules: ConditionalRule[], fallbackErrno: number): string {
  const allows = rules.filter((r) => r.action === 'allow');
  const errnos = rules.filter((r) => r.action === 'errno');
  if (!allows.length) throw new Error(`minijail: ${name} has conditions but nothing they allow`);
  const clauses = allows.map((r) => r.args.map((a) => `arg${a.index} ${OPS[a.op]} ${a.value}`).join(' && '));
  if (!errnos.length) return `${name}: ${clauses.join(' || ')}; return ${fallbackErrno}`;
  const single = (r: ConditionalRule) => (r.args.length === 1 ? r.args[0]! : undefined);
  const index = single(allows[0]!)?.index;
  const allowed = allows.map((r) => (single(r)?.op === 'SCMP_CMP_EQ' && single(r)!.index === index ? single(r)!.value : NaN));
  const errno = errnos[0]!.errno;
  const denied = new Set<number>();
  let above: number | undefined;
  let ok = !allowed.some(Number.isNaN) && errnos.every((r) => r.errno === errno && single(r)?.index === index);
  for (const r of errnos) {
    const a = single(r);
    if (a?.op === 'SCMP_CMP_EQ') denied.add(a.value);
    else if (a?.op === 'SCMP_CMP_GT') above = a.value;
    else ok = false;
  }
  const max = Math.max(...allowed);
  for (let v = 0; ok && v <= max; v++) if (denied.has(v) === allowed.includes(v)) ok = false;
  if (!ok || above !== max || denied.size + allowed.length !== max + 1) {
    throw new Error(`minijail: the errno rules of ${name} are not the complement of its allow rules`);
  }
  return `${name}: ${clauses.join(' || ')}; return ${errno}`;
}

export function renderMinijail(p: Policy, ctx: RenderContext): RenderResult {
  const unexpressed: Unexpressed[] = [];
  // The rules for the x86_64 ABI alone: that is what this file covers (the i386 ABI is reported).
  const { rules, unexpressed: shared } = seccompRules({ ...p, arch: { ...p.arch, abis: ['x86_64'] } }, { name: ctx.name });
  unexpressed.push(...shared);
  const known = (n: string) => syscallNumber('x86_64', n) !== null;
  const pastHorizon = (n: string) => (syscallNumber('x86_64', n) ?? 0) > p.horizon.syscall;
  const i386Only: string[] = [];

  const groups: Array<{ comment: string; lines: string[] }> = [];
  const allowLines: string[] = [];
  for (const n of rules.allow) {
    if (!known(n)) {
      i386Only.push(n);
      continue;
    }
    if (pastHorizon(n)) {
      unexpressed.push({ item: `allow ${n}`, reason: `newer than the policy's horizon (${p.horizon.syscall}): written, but minijail refuses the whole file unless it was built with kernel headers that know ${n}` });
    }
    allowLines.push(`${n}: 1`);
  }
  groups.push({ comment: "allowed: the workload's own syscalls", lines: allowLines });
  for (const e of rules.errno) {
    const name = errnoByNumber(e.errno)?.name ?? String(e.errno);
    const lines: string[] = [];
    for (const n of e.names) {
      if (!known(n)) {
        if (syscallByName(n)) i386Only.push(n);
        continue;
      }
      if (pastHorizon(n)) {
        unexpressed.push({
          item: `${p.syscalls.enosys.includes(n) ? 'probe' : 'deny'} ${n} (${name})`,
          reason: `newer than the policy's horizon (${p.horizon.syscall}): one name minijail does not know fails the whole file, so it is not written and ${n} kills the process`,
        });
        continue;
      }
      lines.push(`${n}: return ${e.errno}`);
    }
    const why = e.errno === 38 ? 'probe syscalls never seen (programs fall back on ENOSYS), or denied with ENOSYS' : 'denied';
    groups.push({ comment: `${why}: ${name} (${e.errno})`, lines });
  }
  const conditional = new Map<string, ConditionalRule[]>();
  for (const c of rules.conditional) conditional.set(c.name, [...(conditional.get(c.name) ?? []), c]);
  for (const [name, cs] of conditional) {
    if (!known(name)) continue;
    const fams = cs.filter((c) => c.action === 'allow').map((c) => familyByNumber(c.args[0]!.value)?.name ?? String(c.args[0]!.value));
    groups.push({
      comment: `${name}(): only the accepted address families (${fams.join(' ')}); any other family answers EAFNOSUPPORT`,
      lines: [minijailConditionalLine(name, cs, rules.defaultErrno)],
    });
  }

  for (const n of [...new Set(i386Only)].sort()) {
    unexpressed.push({ item: `syscall ${n} (i386)`, reason: 'it exists on the i386 ABI only, and this x86_64 policy kills any other ABI: not written' });
  }
  if (p.arch.abis.includes('x86')) {
    unexpressed.push({ item: 'the i386 ABI', reason: "minijail's filter checks the architecture first and kills the process on any other: i386 syscalls (int 0x80) kill it" });
  }
  unexpressed.push({
    item: `default ${p.syscalls.defaultErrno}`,
    reason: "minijail kills the process on a syscall with no line (@default takes kill, trap or user-notify, never an errno): what the policy answers EPERM kills",
  });
  unexpressed.push({
    item: `ENOSYS for syscalls newer than the horizon (x86_64 number > ${p.horizon.syscall})`,
    reason: 'they have no line: minijail kills the process',
  });
  for (const u of seccompOnlyUnexpressed(p, FORMAT)) {
    if (u.item.startsWith('capability ')) {
      const mask = p.capabilities.allow.reduce((m, c) => m | (1n << BigInt(capabilityByName(c)?.number ?? 0)), 0n);
      unexpressed.push({ item: u.item, reason: `${FORMAT} has no capability set: keep only the policy's with minijail0 -c 0x${mask.toString(16)}` });
    } else unexpressed.push(u);
  }
  if (p.capabilities.allow.length === 0) {
    unexpressed.push({ item: 'capabilities: none', reason: `${FORMAT} has no capability set: drop them all with minijail0 -c 0` });
  }

  const out: string[] = [];
  out.push(`# whittle: minijail seccomp policy (x86_64) for ${p.workload.argv.join(' ')}`);
  out.push(`# generated by ${p.generatedBy} from ${p.sources.map((s) => s.snapshot).join(', ')}; use it with minijail0 -n -S THIS_FILE -- CMD`);
  out.push('# any syscall without a line kills the process');
  out.push(`# names up to syscall ${p.horizon.syscall} (the policy's horizon): minijail must be built with kernel headers that know them`);
  if (p.undecided.count) out.push(`# ${p.undecided.count} undecided item(s) were treated as ${p.undecided.treatedAs === 'deny' ? 'denied' : 'accepted'}`);
  for (const g of groups) {
    if (!g.lines.length) continue;
    out.push(`# ${g.comment}`);
    out.push(...g.lines);
  }
  // an item reported twice (a shared note, then what it means here) keeps the later reason
  const last = new Map(unexpressed.map((u) => [u.item, u]));
  return {
    artifacts: [{ suffix: null, content: out.join('\n') + '\n', description: 'minijail seccomp policy: minijail0 -n -S PATH -- CMD' }],
    unexpressed: unexpressed.filter((u) => last.get(u.item) === u),
  };
}

export const minijailExporter: Exporter = {
  format: 'minijail',
  description: 'minijail seccomp .policy file (minijail0 -S)',
  defaultName: (ctx) => `${ctx.name}.policy`,
  render: renderMinijail,
};
