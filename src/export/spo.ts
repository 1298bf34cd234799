/**
 * spo: a Kubernetes Security Profiles Operator `SeccompProfile` resource
 * (security-profiles-operator.x-k8s.io/v1beta1) as YAML, for `kubectl apply -f`. spec carries
 * defaultAction, architectures and syscalls[{action, names, errnoRet?, args?}] — the OCI rules
 * (oci.ts) in the CRD's shape; the operator writes them to each node as a localhost profile.
 *
 * Cannot express: a default errno other than EPERM (the CRD has no defaultErrnoRet), more than 6
 * argument conditions in one rule (the CRD's maxItems), capabilities (they belong in the Pod's
 * securityContext), path rules, what is mounted where, and ENOSYS above the horizon when the
 * node's runtime is crun (see podman.ts). The runtime layer added is the one the
 * export names (runc by default); the kubelet's runtime on a node may differ (CRI-O with crun,
 * another runc version), and then its own syscalls must be added or the container fails to start.
 */
import type { Policy } from '../model/policy.js';
import { renderOciLike, type OciSeccomp } from './oci.js';
import { horizonUnexpressed } from './podman.js';
import type { Exporter, RenderContext, Unexpressed } from './types.js';

export const SPO_API_VERSION = 'security-profiles-operator.x-k8s.io/v1beta1';
/** The CRD's limit on args per syscall rule. */
const MAX_ARGS = 6;
/** EPERM: what SCMP_ACT_ERRNO returns when no errnoRet is given. */
const EPERM = 1;

/** A DNS-1123 label (metadata.name, and the profile's file name on the node) from any name. */
export function resourceName(name: string): string {
  const s = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').slice(0, 63).replace(/^-+|-+$/g, '');
  return s || 'workload';
}

const yamlReserved = /^(y|yes|n|no|true|false|on|off|null|~)$/i;

/** A YAML scalar: plain when nothing can misread it (no number, bool or null look-alike), else double-quoted. */
export function yamlString(s: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_./-]*$/.test(s) && !yamlReserved.test(s)) return s;
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    // controls, DEL, C1, the line/paragraph separators and the BOM: escaped, so no parser breaks a line on them
    else if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029 || c === 0xfeff) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

type Rule = OciSeccomp['syscalls'][number];

function ruleLines(r: Rule): string[] {
  const lines: string[] = [];
  if (r.comment) lines.push(`    # ${r.comment.replace(/[^\x20-\x7e]/g, '?')}`);
  lines.push(`    - action: ${r.action}`);
  if (r.errnoRet !== undefined) lines.push(`      errnoRet: ${r.errnoRet}`);
  lines.push('      names:');
  for (const n of r.names) lines.push(`        - ${yamlString(n)}`);
  if (r.args?.length) {
    lines.push('      args:');
    for (const a of r.args) lines.push(`        - index: ${a.index}`, `          op: ${a.op}`, `          value: ${a.value}`);
  }
  return lines;
}

export const spoExporter: Exporter = {
  format: 'spo',
  description: 'Kubernetes Security Profiles Operator SeccompProfile resource (YAML, kubectl apply -f)',
  defaultName: (ctx: RenderContext) => `${resourceName(ctx.name)}.seccompprofile.yaml`,
  runtimeLayer: true,
  render(p: Policy, ctx: RenderContext) {
    const r = renderOciLike(p, ctx, 'a SeccompProfile');
    const unexpressed: Unexpressed[] = [];
    // the capability items say what to do in Kubernetes terms (names there drop the CAP_ prefix)
    const k8sCap = new Map(p.capabilities.allow.map((c) => [`capability ${c}`, c.replace(/^CAP_/, '')]));
    for (const u of r.unexpressed) {
      const cap = k8sCap.get(u.item);
      if (cap) unexpressed.push({ item: u.item, reason: `a SeccompProfile has no capabilities: set the Pod's securityContext.capabilities (drop: ["ALL"], add: ["${cap}"])` });
      else unexpressed.push(u);
    }
    unexpressed.push(horizonUnexpressed(p, "the node's runtime when it is crun (CRI-O's default)"));
    if (r.object.defaultErrnoRet !== EPERM) {
      unexpressed.push({ item: `default errno ${p.syscalls.defaultErrno}`, reason: 'the SeccompProfile CRD has no defaultErrnoRet: unlisted syscalls return EPERM' });
    }
    const rules: Rule[] = [];
    for (const rule of r.object.syscalls) {
      if ((rule.args?.length ?? 0) > MAX_ARGS) {
        unexpressed.push({
          item: `${rule.action} ${rule.names.join(',')} with ${rule.args!.length} argument conditions`,
          reason: `the CRD allows at most ${MAX_ARGS} per rule: left out, so those calls get the default action (EPERM${rule.errnoRet !== undefined ? ` instead of errno ${rule.errnoRet}` : ''})`,
        });
        continue;
      }
      rules.push(rule);
    }
    const name = resourceName(ctx.name);
    const lines = [
      `# whittle: a seccomp profile for the Security Profiles Operator (kubectl apply -f this file).`,
      ...(ctx.runtime
        ? [
            `# It includes the ${ctx.runtime} layer: the syscalls ${ctx.runtime} makes after installing the filter.`,
            `# The kubelet's runtime may differ (CRI-O with crun, another runc): add its syscalls if so.`,
          ]
        : ["# It includes no runtime layer: add the syscalls the kubelet's runtime makes after installing the filter."]),
      `apiVersion: ${SPO_API_VERSION}`,
      'kind: SeccompProfile',
      'metadata:',
      `  name: ${yamlString(name)}`,
      '  annotations:',
      `    description: ${yamlString(`learned by whittle from: ${p.workload.argv.join(' ')}`)}`,
      'spec:',
      `  defaultAction: ${r.object.defaultAction}`,
      ...(r.object.architectures.length ? ['  architectures:', ...r.object.architectures.map((a) => `    - ${a}`)] : []),
      ...(rules.length ? ['  syscalls:', ...rules.flatMap(ruleLines)] : []),
    ];
    return {
      artifacts: [{ suffix: null, content: lines.join('\n') + '\n', description: `kubectl apply -f PATH; then use it in a Pod with securityContext.seccompProfile (type Localhost, the path in the profile's status.localhostProfile)` }],
      unexpressed,
    };
  },
};
