/**
 * Learn → decide → export, the way a user does it, for the exporter tests with real consumers.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { learn, runWhittle } from './whittle.js';

export interface Denial {
  /** A decision key: syscall:NAME, path:ACCESS:/PATH, net:AF_X, cap:CAP_X, mount:… */
  key: string;
  errno?: string;
}

/**
 * Learn argv, accept everything it did (whittle decide --auto accept), then deny the given items
 * (as a person would in the TUI). Returns the snapshot path.
 */
export async function learnAndDecide(argv: string[], opts: { dir: string; name: string; deny?: Denial[]; env?: Record<string, string> }): Promise<string> {
  const r = await learn(argv, { dir: opts.dir, name: opts.name, env: opts.env });
  if (r.code !== 0) throw new Error(`learn ${argv.join(' ')} failed (${r.code}): ${r.stderr}`);
  const d = await runWhittle(['decide', r.snapshot, '--auto', 'accept']);
  if (d.code !== 0) throw new Error(`decide failed: ${d.stderr}`);
  if (opts.deny?.length) {
    const doc = JSON.parse(readFileSync(r.snapshot, 'utf8'));
    for (const x of opts.deny) doc.decisions[x.key] = { action: 'deny', errno: x.errno ?? 'EPERM', by: 'person', at: new Date().toISOString() };
    writeFileSync(r.snapshot, JSON.stringify(doc));
  }
  return r.snapshot;
}

/** whittle export FILE --format F -o OUT; returns the CLI result and the main artifact's path. */
export async function exportTo(file: string, format: string, out: string, extra: string[] = []) {
  const r = await runWhittle(['export', file, '--format', format, '-o', out, ...extra]);
  return { ...r, out: path.resolve(out) };
}
