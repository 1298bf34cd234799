/**
 * Run reports on disk (whittle run --report): read back with validation, for `whittle show` and
 * the TUI's run (which brings the denials into the queue).
 */
import { readFile } from 'node:fs/promises';
import { InputError } from './errors.js';
import { RUN_REPORT_KIND, RUN_REPORT_SCHEMA_VERSION } from './kinds.js';
import type { RunReport } from '../model/report.js';

/** Is this parsed JSON a run report (by its kind, never its file name)? */
export function isRunReport(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && (raw as { kind?: unknown }).kind === RUN_REPORT_KIND;
}

/** Check a parsed document is a run report this whittle can read. */
export async function validateRunReport(raw: unknown, file: string): Promise<RunReport> {
  const v = (raw as { schemaVersion?: unknown }).schemaVersion;
  if (typeof v === 'number' && v > RUN_REPORT_SCHEMA_VERSION) {
    throw new InputError(`${file} was written by a newer whittle (run report schema ${v}; this whittle reads ${RUN_REPORT_SCHEMA_VERSION})`, 'upgrade whittle to read it');
  }
  const { runReportSchema } = await import('./schema.js');
  const parsed = runReportSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(`${file} is not a valid run report: at ${issue?.path.join('.') || '(top)'}: ${issue?.message}`, 'the file was edited or damaged; run the workload again with whittle run --report');
  }
  return parsed.data as RunReport;
}

/** Read a run report. */
export async function readRunReport(file: string): Promise<RunReport> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read ${file}: ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file} is not valid JSON (${(e as Error).message}): the file is corrupt or was cut short`, 'run the workload again with whittle run --report');
  }
  if (!isRunReport(raw)) throw new InputError(`${file} is not a whittle run report`);
  return validateRunReport(raw, file);
}
