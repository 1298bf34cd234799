/**
 * The TUI entry points: `whittle learn -- CMD` (without --headless) and `whittle review SNAPSHOT`.
 * Only this file and app/ load ink and react.
 */
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
  // The terminal went away: stop the workload and save, as q would.
  const onHup = () => {
    void ctrl.quit().then(() => {
      instance.unmount();
      process.exit(0);
    });
  };
  process.on('SIGHUP', onHup);
  process.on('SIGTERM', onHup);
  void ctrl.whenLearningEnds();
  await instance.waitUntilExit();
  process.off('SIGHUP', onHup);
  process.off('SIGTERM', onHup);
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
