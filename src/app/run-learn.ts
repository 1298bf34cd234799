/** Entry of the learn TUI (issue: the interactive TUI). */
import { InputError } from '../store/errors.js';
import type { LearnOptions } from '../commands/learn.js';

export async function runLearnTui(_o: LearnOptions): Promise<number> {
  throw new InputError('the interactive TUI is not part of this build yet', 'add --headless');
}
