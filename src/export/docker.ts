/**
 * docker: Docker's seccomp profile (the moby JSON `docker run --security-opt seccomp=FILE` takes:
 * defaultAction, defaultErrnoRet, architectures, syscalls with names/action/errnoRet/args). It is
 * the OCI object (oci.ts renders it; the formats share it), plus PATH.flags: the `docker run`
 * flags for what a syscall filter cannot carry — `--cap-drop=ALL --cap-add=…` for the policy's
 * capabilities, and `--network none` when no AF_INET/AF_INET6 socket was accepted.
 *
 * Cannot express: path rules (docker has no per-path policy; a bind mount or --read-only is the
 * closest, and the person must choose them), what is mounted where (the mount syscalls can be
 * allowed, not restricted), addresses and ports. Docker runs runc, so runc's own syscalls are
 * added as the runtime layer.
 */
import type { Policy } from '../model/policy.js';
import { renderOciLike } from './oci.js';
import type { Exporter, RenderContext, RenderResult, Unexpressed } from './types.js';

/**
 * The export command may say where the main artifact goes (the flags name that file). Without it
 * the flags name the command's default output, profiles/<defaultName>.
 */
export type FlagsContext = RenderContext & { output?: string };

/** A word as the shell reads it: bare when it is safe, else single-quoted. */
export function shellWord(w: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

/** Families that need a network beyond the container's own loopback-only namespace. */
const inetFamilies = ['AF_INET', 'AF_INET6'];

/**
 * The `docker run` / `podman run` flags a policy implies beyond its seccomp profile: capabilities
 * (everything else dropped) and, without an inet family, no network. Same syntax for both CLIs.
 */
export function runFlags(p: Policy, profilePath: string): string[] {
  const flags = ['--security-opt', `seccomp=${profilePath}`, '--cap-drop=ALL'];
  for (const c of p.capabilities.allow) flags.push(`--cap-add=${c}`);
  if (!p.network.allow.some((f) => inetFamilies.includes(f))) flags.push('--network', 'none');
  return flags;
}

/**
 * Render a container-CLI profile: the OCI-like JSON, the flags artifact, and what neither
 * carries. Capabilities are expressed by the flags, so they leave the unexpressed list; a
 * capability set that was inferred rather than observed is said, because --cap-drop=ALL shrinks
 * the bounding set on its word.
 */
export function renderCliProfile(p: Policy, ctx: FlagsContext, opts: { format: string; cli: string; defaultName: string }): RenderResult {
  const r = renderOciLike(p, ctx, opts.format);
  const main = r.artifacts[0]!;
  main.description = `${opts.cli} run --security-opt seccomp=PATH (with PATH.flags for capabilities and network)`;
  const profilePath = ctx.output ?? `profiles/${opts.defaultName}`;
  const flags = runFlags(p, profilePath);
  const capItems = new Set(p.capabilities.allow.map((c) => `capability ${c}`));
  const unexpressed: Unexpressed[] = r.unexpressed.filter((u) => !capItems.has(u.item));
  for (const c of p.capabilities.inferred) {
    unexpressed.push({ item: `capability ${c} (inferred)`, reason: `no in-kernel probe saw it: --cap-drop=ALL keeps only capabilities whittle inferred from syscalls` });
  }
  return {
    artifacts: [
      main,
      {
        suffix: 'flags',
        content: flags.map(shellWord).join(' ') + '\n',
        description: `${opts.cli} run flags for capabilities and network: ${opts.cli} run $(cat PATH.flags) IMAGE`,
      },
    ],
    unexpressed,
  };
}

export const dockerExporter: Exporter = {
  format: 'docker',
  description: 'Docker seccomp profile (--security-opt seccomp=FILE), plus the docker run flags for capabilities and network',
  defaultName: (ctx) => `${ctx.name}.docker-seccomp.json`,
  runtimeLayer: true,
  render(p, ctx) {
    return renderCliProfile(p, ctx, { format: 'a Docker seccomp profile', cli: 'docker', defaultName: dockerExporter.defaultName(ctx) });
  },
};
