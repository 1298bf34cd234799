/**
 * How whittle talks to the person at the terminal: its own messages go to stderr (stdout
 * belongs to the workload, or to --json output), errors say what happened and what to do.
 */
import { InputError } from '../store/errors.js';

const useColor = process.stderr.isTTY && !process.env.NO_COLOR;

export function red(s: string): string {
  return useColor ? `\x1b[31m${s}\x1b[0m` : s;
}
export function yellow(s: string): string {
  return useColor ? `\x1b[33m${s}\x1b[0m` : s;
}
export function bold(s: string): string {
  return useColor ? `\x1b[1m${s}\x1b[0m` : s;
}

export function say(line: string): void {
  process.stderr.write(`whittle: ${line}\n`);
}

export function warn(line: string, hint?: string): void {
  process.stderr.write(`whittle: ${yellow('warning:')} ${line}\n`);
  if (hint) process.stderr.write(`whittle: hint: ${hint}\n`);
}

export function fail(line: string, hint?: string): void {
  process.stderr.write(`whittle: ${red('error:')} ${line}\n`);
  if (hint) process.stderr.write(`whittle: hint: ${hint}\n`);
}

/** Report an error thrown by a command; returns true when it was one of ours (with a hint). */
export function reportError(e: unknown): void {
  if (e instanceof InputError) fail(e.message, e.hint);
  else if (e instanceof Error && 'hint' in e && typeof (e as { hint?: unknown }).hint === 'string') fail(e.message, (e as { hint: string }).hint);
  else if (e instanceof Error) fail(e.message);
  else fail(String(e));
}
