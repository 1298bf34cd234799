/**
 * oci: the object that goes under `linux.seccomp` in an OCI runtime bundle's config.json
 * (runc, crun). Default action SCMP_ACT_ERRNO (EPERM); allowed names; errno rules (ENOSYS for
 * probe syscalls never seen); socket families as argument conditions; the runtime's own layer.
 */
import type { Policy } from '../model/policy.js';
import { seccompOnlyUnexpressed, seccompRules, type SeccompRules } from './seccomp-rules.js';
import type { Exporter, RenderContext, RenderResult } from './types.js';

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

/** The OCI / Docker seccomp object (the two formats share it). */
export function ociSeccomp(r: SeccompRules): OciSeccomp {
  const syscalls: OciSeccomp['syscalls'] = [];
  if (r.allow.length) syscalls.push({ names: r.allow, action: 'SCMP_ACT_ALLOW' });
  if (r.runtimeLayer.length) syscalls.push({ names: r.runtimeLayer, action: 'SCMP_ACT_ALLOW', comment: 'the container runtime itself' });
  for (const e of r.errno) syscalls.push({ names: e.names, action: 'SCMP_ACT_ERRNO', errnoRet: e.errno });
  for (const c of r.conditional) {
    const rule: OciSeccomp['syscalls'][number] = {
      names: [c.name],
      action: c.action === 'allow' ? 'SCMP_ACT_ALLOW' : 'SCMP_ACT_ERRNO',
      args: c.args.map((a) => ({ index: a.index, value: a.value, op: a.op })),
    };
    if (c.action === 'errno') rule.errnoRet = c.errno;
    syscalls.push(rule);
  }
  return { defaultAction: 'SCMP_ACT_ERRNO', defaultErrnoRet: r.defaultErrno, architectures: r.architectures, syscalls };
}

export function renderOciLike(p: Policy, ctx: RenderContext, format: string): RenderResult & { object: OciSeccomp } {
  const { rules, unexpressed } = seccompRules(p, ctx);
  const object = ociSeccomp(rules);
  return {
    object,
    artifacts: [{ suffix: null, content: JSON.stringify(object, null, 2) + '\n', description: '' }],
    unexpressed: [
      ...unexpressed,
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
    const r = renderOciLike(p, ctx, 'an OCI seccomp profile');
    r.artifacts[0]!.description = 'put it under "linux": {"seccomp": …} in the bundle\'s config.json';
    return { artifacts: r.artifacts, unexpressed: r.unexpressed };
  },
};
