/**
 * Golden files: an exporter's output compared byte for byte with test/golden/FORMAT/FILE.
 * WHITTLE_UPDATE_GOLDEN=1 writes them instead; then read the diff, and commit it.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { repoRoot } from './whittle.js';

export function golden(format: string, file: string, actual: string): void {
  const p = path.join(repoRoot, 'test', 'golden', format, file);
  if (process.env.WHITTLE_UPDATE_GOLDEN === '1') {
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, actual);
  }
  if (!existsSync(p)) throw new Error(`missing golden file ${p}: render it with WHITTLE_UPDATE_GOLDEN=1, read it, commit it`);
  expect(actual).toBe(readFileSync(p, 'utf8'));
}
