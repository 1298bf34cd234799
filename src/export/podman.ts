/**
 * podman: the seccomp profile `podman run --security-opt seccomp=FILE` takes — the same JSON as
 * Docker's (containers/common reads the moby format), plus PATH.flags with the `podman run` flags
 * the policy implies: `--cap-drop=ALL --cap-add=…` and `--network none` without an inet family.
 * Flags a machine needs to run podman at all (storage driver, cgroup manager, ulimits) are not
 * the policy's, and are not in the file; podman refuses a second `--network`, so a machine flag
 * for the network replaces the file's, not joins it.
 *
 * Cannot express: path rules, what is mounted where, addresses and ports, and ENOSYS above the
 * horizon: crun (podman's OCI runtime on Debian 12) answers a syscall its libseccomp cannot name,
 * or no rule names, with the default errno (EPERM), where runc answers ENOSYS. The runtime layer
 * is podman's (its OCI runtime makes syscalls after the filter is installed).
 */
import type { Policy } from '../model/policy.js';
import { syscallByName } from '../model/knowledge/syscalls.js';
import { renderCliProfile } from './docker.js';
import type { Exporter, Unexpressed } from './types.js';

/** Names the policy answers ENOSYS (or denies) whose number lies above its horizon. */
export function namesAboveHorizon(p: Policy): string[] {
  const names = [...p.syscalls.enosys, ...p.syscalls.deny.map((d) => d.name)];
  return names.filter((n) => (syscallByName(n)?.x86_64 ?? -1) > p.horizon.syscall).sort();
}

/** What a runtime without runc's ENOSYS stub (crun 1.8.1, measured) does with the errno policy's horizon. */
export function horizonUnexpressed(p: Policy, runtime: string): Unexpressed {
  const names = namesAboveHorizon(p);
  return {
    item: `ENOSYS above the horizon (x86_64 syscall > ${p.horizon.syscall})`,
    reason:
      `${runtime} answers syscalls above the horizon with the default errno EPERM — numbers no rule names, and names its ` +
      `libseccomp cannot resolve${names.length ? ` (named here: ${names.join(', ')})` : ''} — so a program probing them gets EPERM ` +
      'and does not fall back (runc answers them ENOSYS)',
  };
}

export const podmanExporter: Exporter = {
  format: 'podman',
  description: 'Podman seccomp profile (--security-opt seccomp=FILE), plus the podman run flags for capabilities and network',
  defaultName: (ctx) => `${ctx.name}.podman-seccomp.json`,
  runtimeLayer: true,
  render(p, ctx) {
    const r = renderCliProfile(p, ctx, { format: 'a Podman seccomp profile', cli: 'podman', defaultName: podmanExporter.defaultName(ctx) });
    r.unexpressed.push(horizonUnexpressed(p, "crun (podman's default OCI runtime)"));
    return r;
  },
};
