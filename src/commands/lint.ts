/**
 * `whittle lint FILE [--json]`: check a policy (a snapshot's decisions, or an exported
 * *.whittle.json) for dangerous, broken or pointless rules, and compare its syscalls with
 * Docker's default profile. One finding per line; exit 0 clean (information only), 1 errors or
 * warnings, 2 bad input (an InputError, mapped by cli.ts).
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { countFindings, formatFinding, lintPolicy, type DockerBaseline } from '../model/lint.js';
import { loadPolicy } from '../store/policy-file.js';
import { say, warn } from './output.js';

/** profiles/baselines/docker-default.json, beside dist/ and src/ in the package (package.json "files"). */
export const dockerBaselineFile = fileURLToPath(new URL('../../profiles/baselines/docker-default.json', import.meta.url));

const baselineSchema = z.object({
  kind: z.literal('whittle-baseline'),
  source: z.object({ release: z.string(), commit: z.string() }).loose(),
  x86_64Default: z.object({ names: z.array(z.string()).min(1) }).loose(),
}).loose();

/** Read the Docker baseline; undefined (with a warning) when the file is missing or damaged. */
export async function loadDockerBaseline(file = dockerBaselineFile): Promise<DockerBaseline | undefined> {
  try {
    const parsed = baselineSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    if (parsed.success) return parsed.data;
    warn(`the Docker baseline ${file} is not valid (${parsed.error.issues[0]?.message}): no comparison with Docker's default`);
  } catch (e) {
    warn(`cannot read the Docker baseline ${file} (${(e as Error).message}): no comparison with Docker's default`);
  }
  return undefined;
}

export async function lintCommand(file: string, o: { json: boolean }): Promise<number> {
  const { policy, from } = await loadPolicy(file);
  const baseline = await loadDockerBaseline();
  const findings = lintPolicy(policy, { dockerBaseline: baseline });
  const counts = countFindings(findings);
  const failed = counts.error + counts.warning > 0;
  if (from === 'snapshot' && policy.undecided.count > 0) {
    say(`${policy.undecided.count} undecided item(s) of the snapshot were treated as denied (decide them with whittle review, or whittle decide --auto)`);
  }
  if (o.json) {
    const doc = {
      file,
      from,
      undecided: policy.undecided,
      baseline: baseline ? { release: baseline.source?.release, commit: baseline.source?.commit } : null,
      counts,
      findings,
    };
    process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
  } else {
    for (const f of findings) process.stdout.write(formatFinding(f) + '\n');
    const n = (k: number, word: string) => `${k} ${word}${k === 1 ? '' : 's'}`;
    process.stdout.write(
      `${file}: ${n(counts.error, 'error')}, ${n(counts.warning, 'warning')}, ${counts.info} info` +
        `${failed ? '' : ' — clean'}\n`,
    );
  }
  return failed ? 1 : 0;
}
