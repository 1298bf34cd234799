/**
 * Imported before ink, and only by the TUI entry point (commands/tui.ts).
 *
 * ink decides once, when it is loaded, whether it runs "in CI" (CI or CONTINUOUS_INTEGRATION set
 * and not "0"/"false"), and then draws nothing until the app ends. A person who opens the TUI on
 * a terminal from a shell that happens to export CI=true (CI runners, some dev containers) would
 * see a blank screen while the workload runs. The TUI only starts on a terminal, so it is
 * interactive whatever CI says: the variables are hidden while ink loads and put back by
 * restoreCiEnv() (the workload still gets the environment it was started with).
 */
const hidden: Record<string, string> = {};
for (const key of ['CI', 'CONTINUOUS_INTEGRATION']) {
  const v = process.env[key];
  if (v !== undefined) {
    hidden[key] = v;
    delete process.env[key];
  }
}

/** Put back what was hidden while ink loaded. */
export function restoreCiEnv(): void {
  for (const [k, v] of Object.entries(hidden)) process.env[k] = v;
}
