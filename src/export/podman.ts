/**
 * podman: the seccomp profile `podman run --security-opt seccomp=FILE` takes — the same JSON as
 * Docker's (containers/common reads the moby format), plus PATH.flags with the `podman run` flags
 * the policy implies: `--cap-drop=ALL --cap-add=…` and `--network none` without an inet family.
 * Flags a machine needs to run podman at all (storage driver, cgroup manager, ulimits) are not
 * the policy's, and are not in the file.
 *
 * Cannot express: path rules, what is mounted where, addresses and ports. The runtime layer is
 * podman's (conmon and its OCI runtime make syscalls after the filter is installed).
 */
import { renderCliProfile } from './docker.js';
import type { Exporter } from './types.js';

export const podmanExporter: Exporter = {
  format: 'podman',
  description: 'Podman seccomp profile (--security-opt seccomp=FILE), plus the podman run flags for capabilities and network',
  defaultName: (ctx) => `${ctx.name}.podman-seccomp.json`,
  runtimeLayer: true,
  render(p, ctx) {
    return renderCliProfile(p, ctx, { format: 'a Podman seccomp profile', cli: 'podman', defaultName: podmanExporter.defaultName(ctx) });
  },
};
