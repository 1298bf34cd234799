/**
 * `whittle export FILE --format F [-o PATH] [--strict]`: render a policy for a launcher. PATH gets
 * the main artifact, extra artifacts go beside it as PATH.<suffix> (listed on stdout); what the
 * format cannot express goes to stderr, item by item (exit 1 with --strict).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { exporterFor, formatNames } from '../export/registry.js';
import type { RenderContext } from '../export/types.js';
import type { Policy } from '../model/policy.js';
import { InputError } from '../store/errors.js';
import { loadPolicy } from '../store/policy-file.js';
import { compileFilter } from '../trace/compile.js';
import { say, warn } from './output.js';

export interface ExportOptions {
  format?: string;
  output?: string;
  strict: boolean;
  runtime?: 'runc' | 'crun' | 'podman';
  undecided?: 'deny' | 'accept';
}

/** A name safe for files and resource names, from the workload's command. */
export function profileName(argv: string[]): string {
  const base = path.basename(argv[0] ?? 'workload').toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '');
  return base || 'workload';
}

/**
 * The runtime whose own syscalls a container format adds when none is named: podman for its own
 * format; else runc, or crun when the policy was learned through crun (a bundle it runs).
 */
export function defaultRuntime(format: string, policy: Policy): 'runc' | 'crun' | 'podman' {
  if (format === 'podman') return 'podman';
  return policy.runtimeLayer?.runtime === 'crun' ? 'crun' : 'runc';
}

export async function exportCommand(file: string, o: ExportOptions): Promise<number> {
  if (!o.format) throw new InputError('say which format: --format ' + formatNames().join('|'));
  const exporter = await exporterFor(o.format);
  if (!exporter) throw new InputError(`unknown format "${o.format}"`, `formats: ${formatNames().join(', ')}`);
  const { policy, from } = await loadPolicy(file, { undecided: o.undecided });
  const ctx: RenderContext = { name: profileName(policy.workload.argv) };
  if (exporter.runtimeLayer) ctx.runtime = o.runtime ?? defaultRuntime(o.format, policy);
  if (exporter.needsBpf) ctx.bpf = await compileFilter(policy);
  const out = o.output ?? path.join('profiles', exporter.defaultName(ctx));
  ctx.output = out;
  const result = exporter.render(policy, ctx);
  await mkdir(path.dirname(path.resolve(out)), { recursive: true });
  for (const a of result.artifacts) {
    const target = a.suffix ? `${out}.${a.suffix}` : out;
    await writeFile(target, a.content);
    process.stdout.write(`${target}${a.description ? `\t${a.description}` : ''}\n`);
  }
  if (from === 'snapshot' && policy.undecided.count > 0) {
    say(`${policy.undecided.count} undecided item(s) were treated as ${policy.undecided.treatedAs === 'deny' ? 'denied' : 'accepted'} (decide them with whittle review, or --undecided accept)`);
  }
  if (ctx.runtime && exporter.runtimeLayer) say(`added the ${ctx.runtime} layer: the syscalls the runtime itself makes after installing the filter`);
  for (const u of result.unexpressed) warn(`${o.format} cannot express: ${u.item} — ${u.reason}`);
  if (result.unexpressed.length) say(`${result.unexpressed.length} item(s) not expressed by ${o.format}`);
  return o.strict && result.unexpressed.length > 0 ? 1 : 0;
}
