/**
 * Every export format, in one table. Adding a backend is one file in export/ and one row here.
 * Renderers load when used, so `whittle export --format oci` does not load the other nine.
 */
import type { Exporter } from './types.js';

interface Row {
  format: string;
  description: string;
  /** The module in export/ and the name of its exporter. */
  module: string;
  name: string;
}

export const exporterTable: readonly Row[] = [
  { format: 'whittle', description: "whittle's own policy (the IR), for whittle run and later exports", module: 'whittle-json', name: 'whittleExporter' },
  { format: 'oci', description: 'OCI runtime-spec linux.seccomp (runc, crun config.json)', module: 'oci', name: 'ociExporter' },
  { format: 'docker', description: 'Docker seccomp profile (--security-opt seccomp=FILE)', module: 'docker', name: 'dockerExporter' },
  { format: 'podman', description: 'Podman seccomp profile (--security-opt seccomp=FILE)', module: 'podman', name: 'podmanExporter' },
  { format: 'spo', description: 'Kubernetes Security Profiles Operator SeccompProfile (YAML)', module: 'spo', name: 'spoExporter' },
  { format: 'lxc', description: 'LXC seccomp v2 policy (lxc.seccomp.profile)', module: 'lxc', name: 'lxcExporter' },
  { format: 'apparmor', description: 'AppArmor profile: files, mounts, network, capabilities', module: 'apparmor', name: 'apparmorExporter' },
  { format: 'systemd', description: 'systemd unit drop-in: SystemCallFilter=, paths, families, capabilities', module: 'systemd', name: 'systemdExporter' },
  { format: 'bwrap', description: 'bubblewrap arguments plus a compiled seccomp BPF program', module: 'bwrap', name: 'bwrapExporter' },
  { format: 'minijail', description: 'minijail seccomp .policy file', module: 'minijail', name: 'minijailExporter' },
  { format: 'landlock', description: "Landlock ruleset (what whittle's launcher applies)", module: 'landlock', name: 'landlockExporter' },
];

export async function exporterFor(format: string): Promise<Exporter | undefined> {
  const row = exporterTable.find((e) => e.format === format);
  if (!row) return undefined;
  const mod = (await import(`./${row.module}.js`)) as Record<string, Exporter>;
  return mod[row.name];
}

export const formatNames = (): string[] => exporterTable.map((e) => e.format);
