/**
 * Feature checks of the kernel, done by the tracer (`whittle-tracer probe`), for `whittle doctor`.
 */
import { execa } from 'execa';
import { z } from 'zod';
import { tracerPath } from './tracer-process.js';

export const probeCheck = z.object({
  id: z.string(),
  title: z.string(),
  ok: z.boolean(),
  neededFor: z.string(),
  detail: z.string(),
  fix: z.string().optional(),
});
export const probeResult = z.object({
  kernel: z.string(),
  machine: z.string(),
  libseccomp: z.string(),
  bestMechanism: z.enum(['seccomp', 'ebpf']),
  landlockAbi: z.number().int(),
  checks: z.array(probeCheck),
});
export type ProbeCheck = z.infer<typeof probeCheck>;
export type ProbeResult = z.infer<typeof probeResult>;

export async function runProbe(env?: Record<string, string>): Promise<ProbeResult> {
  const r = await execa(tracerPath(), ['probe'], { reject: false, env, timeout: 30_000 });
  if (r.exitCode !== 0) throw new Error(`whittle-tracer probe failed (exit ${r.exitCode}): ${r.stderr}`);
  return probeResult.parse(JSON.parse(r.stdout));
}
