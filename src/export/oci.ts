/**
 * oci: the object that goes under `linux.seccomp` in an OCI runtime bundle's config.json
 * (runc, crun). Default action SCMP_ACT_ERRNO answering ENOSYS; every known syscall the workload
 * did not make is listed with EPERM; allowed names; errno rules (ENOSYS for probe syscalls never
 * seen, the person's denials with their errno); socket families as argument conditions; the
 * runtime's own layer as a separate rule.
 *
 * Why the default is ENOSYS (the errno policy in design.md): a syscall newer than the profile's
 * horizon must answer ENOSYS so programs fall back, and no profile can name it — the runtime's
 * libseccomp does not know the name, and runc and crun skip unknown names silently (measured).
 * runc 1.1.5 papers over that with its own ENOSYS stub for numbers above the highest it was
 * given; crun 1.8.1 has none and answered EPERM (measured: statmount 457, mseal 462, file_getattr 468,
 * and the unassigned 470 and 999).
 * With ENOSYS as the default and EPERM listed by name, both runtimes answer as the policy says.
 * (runc leaves its stub out when the default errno is ENOSYS; a rule equal to the default — the ENOSYS
 * probe rule — is skipped by both, measured, and kept for runtimes that ignore defaultErrnoRet.)
 */
import type { Policy } from '../model/policy.js';
import { seccompOnlyUnexpressed, seccompRules, type SeccompRules } from './seccomp-rules.js';
import type { Exporter, RenderContext, RenderResult, Unexpressed } from './types.js';

export interface OciSeccomp {
  defaultAction: string;
  defaultErrnoRet: number;
  architectures: string[];
  syscalls: Array<{
    names: string[];
    action: string;
    errnoRet?: number;
    args?: Array<{ index: number; value: number; op: string }>;
    comment?: string;
  }>;
}

export interface OciOptions {
  /**
   * Default ENOSYS, with the known syscalls the workload did not make listed as EPERM (see the
   * top of this file). Without it: default EPERM, and syscalls newer than the horizon answer EPERM
   * under crun (runc's own stub answers them ENOSYS).
   */
  enosysDefault?: boolean;
}

const ENOSYS = 38;

/** The OCI / Docker seccomp object (the two formats share it). */
export function ociSeccomp(r: SeccompRules, opts: OciOptions = {}): OciSeccomp {
  const syscalls: OciSeccomp['syscalls'] = [];
  if (r.allow.length) syscalls.push({ names: r.allow, action: 'SCMP_ACT_ALLOW' });
  if (r.runtimeLayer.length) syscalls.push({ names: r.runtimeLayer, action: 'SCMP_ACT_ALLOW', comment: 'the container runtime itself' });
  for (const e of r.errno) syscalls.push({ names: e.names, action: 'SCMP_ACT_ERRNO', errnoRet: e.errno });
  if (opts.enosysDefault && r.knownDenied.length) {
    syscalls.push({
      names: r.knownDenied,
      action: 'SCMP_ACT_ERRNO',
      errnoRet: r.defaultErrno,
      comment: 'known syscalls the workload never made; anything newer or unknown answers ENOSYS (the default)',
    });
  }
  for (const c of r.conditional) {
    const rule: OciSeccomp['syscalls'][number] = {
      names: [c.name],
      action: c.action === 'allow' ? 'SCMP_ACT_ALLOW' : 'SCMP_ACT_ERRNO',
      args: c.args.map((a) => ({ index: a.index, value: a.value, op: a.op })),
    };
    if (c.action === 'errno') rule.errnoRet = c.errno;
    syscalls.push(rule);
  }
  return { defaultAction: 'SCMP_ACT_ERRNO', defaultErrnoRet: opts.enosysDefault ? ENOSYS : r.defaultErrno, architectures: r.architectures, syscalls };
}

export function renderOciLike(p: Policy, ctx: RenderContext, format: string, opts: OciOptions = {}): RenderResult & { object: OciSeccomp } {
  const { rules, unexpressed } = seccompRules(p, ctx);
  const object = ociSeccomp(rules, opts);
  const archNote: Unexpressed[] = rules.architectures.includes('SCMP_ARCH_X86')
    ? []
    : [
        {
          item: 'i386 syscalls (int 0x80): the workload made none',
          reason: 'the profile leaves the i386 ABI out: runc and crun kill a process that makes an i386 syscall (SIGSYS, their bad-architecture action) instead of answering EPERM',
        },
      ];
  return {
    object,
    artifacts: [{ suffix: null, content: JSON.stringify(object, null, 2) + '\n', description: '' }],
    unexpressed: [
      ...unexpressed,
      ...archNote,
      ...seccompOnlyUnexpressed(p, format),
      { item: 'logging of denials', reason: 'runc 1.1.5 has no seccomp "flags": denials are not logged by the kernel (whittle run sees them with its in-kernel probe)' },
    ],
  };
}

export const ociExporter: Exporter = {
  format: 'oci',
  description: 'OCI runtime-spec linux.seccomp object, for config.json (runc, crun)',
  defaultName: (ctx) => `${ctx.name}.oci-seccomp.json`,
  runtimeLayer: true,
  render(p, ctx) {
    const r = renderOciLike(p, ctx, 'an OCI seccomp profile', { enosysDefault: true });
    r.artifacts[0]!.description = 'put it under "linux": {"seccomp": …} in the bundle\'s config.json';
    return { artifacts: r.artifacts, unexpressed: r.unexpressed };
  },
};
