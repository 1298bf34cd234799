/**
 * Preconditions of the real-kernel tests: root, and a built whittle, tracer and fixtures.
 * A missing precondition fails the test with what to do; it never skips it silently.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, whittleCli } from './whittle.js';

let done: Promise<void> | undefined;

export function requireRootAndBuild(): Promise<void> {
  done ??= (async () => {
    if (process.getuid?.() !== 0) {
      throw new Error('these tests run real programs under the real kernel as root: run `npm test` as root');
    }
    if (!existsSync(whittleCli) || !existsSync(path.join(repoRoot, 'tracer', 'whittle-tracer'))) {
      throw new Error('whittle is not built: run `npm run build` first (the README setup does it)');
    }
    execFileSync('make', ['-s', '-C', path.join(repoRoot, 'test', 'fixtures')], { stdio: 'inherit' });
  })();
  return done;
}
