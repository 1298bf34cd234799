/**
 * The TUI entry points: `whittle learn -- CMD` (without --headless) and `whittle review SNAPSHOT`.
 * Only this file and app/ load ink and react.
 */
import { closeSync } from 'node:fs';
import { createElement } from 'react';
import { render } from 'ink';
import { App } from '../app/App.js';
import { exporterTable } from '../export/registry.js';
import { TuiController } from './tui-controller.js';
import type { LearnOptions } from './learn.js';
import { defaultSnapshotPath } from './learn.js';

async function runTui(ctrl: TuiController): Promise<number> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw Object.assign(new Error('the TUI needs a terminal (stdin and stdout are not one)'), { hint: 'use --headless in scripts' });
  }
  let code = 0;
  await ctrl.start();
  const instance = render(createElement(App, { controller: ctrl, formats: exporterTable.map((e) => e.format), onExit: (c: number) => (code = c) }), {
    exitOnCtrlC: false,
    patchConsole: false,
  });
  // The terminal went away (SIGHUP), or whittle is told to stop: stop the workload and save,
  // as q would.
  const onSignal = (signal: NodeJS.Signals) => {
    if (signal === 'SIGHUP') {
      // Writes to a hung-up terminal fail (EIO): the screen is gone, the decisions are not.
      for (const s of [process.stdout, process.stderr]) s.on('error', () => undefined);
    }
    void ctrl.quit().then(() => {
      instance.unmount();
      if (signal === 'SIGHUP') {
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
  process.on('SIGHUP', onSignal);
  process.on('SIGTERM', onSignal);
  void ctrl.whenLearningEnds();
  await instance.waitUntilExit();
  process.off('SIGHUP', onSignal);
  process.off('SIGTERM', onSignal);
  return code;
}

export async function runLearnTui(o: LearnOptions): Promise<number> {
  const file = o.snapshot ?? defaultSnapshotPath(o.argv);
  const ctrl = new TuiController({
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
  process.stderr.write(`whittle: decisions saved in ${file} (resume with: whittle review ${file})\n`);
  return code;
}

export async function runReviewTui(file: string): Promise<number> {
  const ctrl = new TuiController({ mode: 'review', snapshotFile: file, argv: [], cols: 40, rows: 15 });
  const code = await runTui(ctrl);
  process.stderr.write(`whittle: decisions saved in ${file}\n`);
  return code;
}
