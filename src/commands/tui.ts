/**
 * The TUI entry points: `whittle learn -- CMD` (without --headless) and `whittle review SNAPSHOT`.
 * Only this file and app/ load ink and react.
 */
// first: hides CI from ink while it loads (see there)
import { restoreCiEnv } from '../app/interactive-env.js';
import { closeSync } from 'node:fs';
import { createElement } from 'react';
import { render } from 'ink';
import { App } from '../app/App.js';
import { exporterTable } from '../export/registry.js';
import { TuiController, type ControllerOptions } from './tui-controller.js';
import type { LearnOptions } from './learn.js';
import { defaultSnapshotPath } from './learn.js';

restoreCiEnv();

async function runTui(ctrl: TuiController): Promise<number> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    const hint =
      ctrl.mode === 'learn'
        ? 'use whittle learn --headless in scripts'
        : 'in scripts, read a snapshot with whittle show (--json) and decide with whittle decide --auto accept|deny';
    throw Object.assign(new Error('the TUI needs a terminal (stdin and stdout are not one)'), { hint });
  }
  let code = 0;
  await ctrl.start();
  let instance: ReturnType<typeof render> | undefined;
  let stopping = false;
  let hungUp = false;
  // The terminal went away (SIGHUP, or a write or read that fails because it is gone), or
  // whittle is told to stop (SIGTERM): stop the workload and save, as q would, then exit 0.
  const stop = (why: 'hangup' | 'SIGTERM') => {
    if (why === 'hangup') hungUp = true;
    if (stopping) return;
    stopping = true;
    void ctrl.quit().then(() => {
      instance?.unmount();
      if (hungUp) {
        // At exit Node restores the terminal's modes and aborts (an assertion in
        // node::ResetStdio) when the terminal is gone; it skips descriptors that are closed.
        for (const fd of [0, 1, 2]) {
          try {
            closeSync(fd);
          } catch {
            /* already closed */
          }
        }
      }
      process.exit(0);
    });
  };
  // A terminal that is closed fails every write with EIO; whittle may learn it that way before
  // any SIGHUP (the kernel sends SIGHUP only to the session leader, and a shell that outlives
  // the terminal sends none). Unhandled, that error killed whittle before it saved.
  // (EIO, EPIPE, ENXIO, a destroyed stream: whatever the error, the screen is unusable)
  const onStreamError = () => stop('hangup');
  for (const st of [process.stdout, process.stderr, process.stdin]) st.on('error', onStreamError);
  const onHup = () => stop('hangup');
  const onTerm = () => stop('SIGTERM');
  instance = render(createElement(App, { controller: ctrl, formats: exporterTable.map((e) => e.format), onExit: (c: number) => (code = c) }), {
    exitOnCtrlC: false,
    patchConsole: false,
  });
  process.on('SIGHUP', onHup);
  process.on('SIGTERM', onTerm);
  void ctrl.whenLearningEnds();
  await instance.waitUntilExit();
  process.off('SIGHUP', onHup);
  process.off('SIGTERM', onTerm);
  return code;
}

/** `whittle learn [--container REF] -- CMD` in the TUI (container: the session commands/container.ts prepared). */
export async function runLearnTui(o: LearnOptions, container?: ControllerOptions['container']): Promise<number> {
  const file = o.snapshot ?? defaultSnapshotPath(o.argv);
  const ctrl = new TuiController({
    container,
    mode: 'learn',
    snapshotFile: file,
    argv: o.argv,
    mechanism: o.mechanism,
    force: o.force,
    cols: Math.floor((process.stdout.columns || 80) * 0.45) - 2,
    rows: (process.stdout.rows || 24) - 9,
    auditBuffer: o.auditBuffer,
    ringBuffer: o.ringBuffer,
  });
  const code = await runTui(ctrl);
  // (on a line of its own: ink leaves the cursor at the end of its last line)
  return sayWhereSaved(ctrl, code, 125, (at) => `decisions saved in ${at} (resume with: whittle review ${at})`);
}

/** The last line after the TUI closes: where the snapshot is (its rescue copy when its file could not be written). */
function sayWhereSaved(ctrl: TuiController, code: number, failed: number, line: (at: string) => string): number {
  if (ctrl.saveProblem) {
    process.stderr.write(`\nwhittle: error: ${ctrl.saveProblem}\n`);
    return failed;
  }
  process.stderr.write(`\nwhittle: ${line(ctrl.savedAt())}\n`);
  return code;
}

export async function runReviewTui(file: string): Promise<number> {
  const ctrl = new TuiController({ mode: 'review', snapshotFile: file, argv: [], cols: 40, rows: 15 });
  const code = await runTui(ctrl);
  return sayWhereSaved(ctrl, code, 2, (at) => `decisions saved in ${at}`);
}
