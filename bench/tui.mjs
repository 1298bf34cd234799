#!/usr/bin/env node
// TUI responsiveness under a stream of events: recorded tracer events (a real learn session of
// the file workload) are fed into the real TUI (controller + ink screens, drawn into an
// in-memory terminal), (1) as fast as it takes them — ingest throughput — and (2) at a fixed
// high rate while keys are pressed — keystroke-to-screen latency (a key that opens the help,
// and one that closes it, timed until the screen shows the change).
//
//   sudo node bench/tui.mjs [--files 40000] [--rate 100000] [--keys 20]
// as the CLI runs it: React in production mode
process.env.NODE_ENV ??= 'production';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import path from 'node:path';
import { tmpdir } from 'node:os';
import { root, tracer, writeResults } from './common.mjs';

const args = process.argv.slice(2);
const opt = (n, d) => (args.includes(`--${n}`) ? args[args.indexOf(`--${n}`) + 1] : d);
const files = opt('files', '40000');
const rate = Number(opt('rate', '100000'));
const keys = Number(opt('keys', '20'));

const { TuiController } = await import(path.join(root, 'dist/commands/tui-controller.js'));
const { App } = await import(path.join(root, 'dist/app/App.js'));
const { replayFile } = await import(path.join(root, 'dist/trace/replay.js'));
const { render } = await import(path.join(root, 'node_modules/ink/build/index.js'));
const { createElement } = await import(path.join(root, 'node_modules/react/index.js'));

// 1. a real recording to replay
const dir = path.join(tmpdir(), `whittle-tui-bench-${process.pid}`);
mkdirSync(dir, { recursive: true });
const events = path.join(dir, 'events.jsonl');
execFileSync('/bin/sh', ['-c', `exec "$0" learn --events 3 -- /usr/bin/python3 "$1" "$2" "$3" 3>"$4" >/dev/null`, tracer, path.join(root, 'bench/workloads/files.py'), `/dev/shm/whittle-tui-bench-${process.pid}`, files, events]);
const lines = Number(execFileSync('wc', ['-l', events]).toString().trim().split(' ')[0]);
process.stderr.write(`recorded ${lines} events (${(statSync(events).size / 1e6).toFixed(1)} MB)\n`);

/** An in-memory terminal: what ink draws, with the time of each frame. */
function fakeTerminal(columns, rows) {
  const frames = [];
  const stdout = new Writable({
    write(chunk, _enc, cb) {
      frames.push({ t: performance.now(), text: chunk.toString() });
      if (frames.length > 2000) frames.splice(0, 1000);
      cb();
    },
  });
  Object.assign(stdout, { columns, rows, isTTY: true });
  const stdin = new Readable({ read() {} });
  Object.assign(stdin, { isTTY: true, setRawMode() {}, ref() {}, unref() {} });
  return { stdout, stdin, frames };
}

async function session(name, run) {
  const term = fakeTerminal(120, 40);
  const ctrl = new TuiController({ mode: 'learn', snapshotFile: path.join(dir, `${name}.json`), argv: ['files.py'], cols: 50, rows: 30 });
  ctrl.startReplay();
  const app = render(createElement(App, { controller: ctrl, formats: ['whittle'], onExit: () => {} }), {
    stdout: term.stdout, stdin: term.stdin, exitOnCtrlC: false, patchConsole: false, debug: false,
  });
  try {
    return await run(ctrl, term);
  } finally {
    app.unmount();
    await ctrl.quit().catch(() => {});
  }
}

// 2. throughput: as fast as it takes them
const throughput = await session('fast', async (ctrl) => {
  const reader = ctrl.eventReader();
  const r = await replayFile(events, { onChunk: (t) => reader.push(t) });
  reader.end();
  return { events: ctrl.totalEvents, seconds: r.seconds, perSecond: ctrl.totalEvents / r.seconds };
});
process.stderr.write(`ingest: ${throughput.events} events in ${throughput.seconds.toFixed(2)} s = ${Math.round(throughput.perSecond)} events/s\n`);

// 3. keystroke latency while events arrive at a fixed rate
const latency = await session('keys', async (ctrl, term) => {
  const reader = ctrl.eventReader();
  const feeding = replayFile(events, { rate, onChunk: (t) => reader.push(t) });
  const samples = [];
  const waitFor = async (pred, since, limit = 2000) => {
    const t0 = performance.now();
    while (performance.now() - t0 < limit) {
      const f = term.frames.find((x) => x.t >= since && pred(x.text));
      if (f) return f.t - since;
      await new Promise((r) => setTimeout(r, 2));
    }
    return Infinity;
  };
  await new Promise((r) => setTimeout(r, 300));
  for (let i = 0; i < keys; i++) {
    let t = performance.now();
    term.stdin.push('?');
    samples.push(await waitFor((s) => s.includes('whittle — keys'), t));
    await new Promise((r) => setTimeout(r, 40));
    t = performance.now();
    term.stdin.push('x');
    samples.push(await waitFor((s) => s.includes('review queue'), t));
    await new Promise((r) => setTimeout(r, 40));
  }
  const fed = await feeding;
  return { samples, fedPerSecond: fed.lines / fed.seconds };
});
const s = [...latency.samples].sort((a, b) => a - b);
const pct = (p) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
const lines2 = [
  `TUI responsiveness, ${new Date().toISOString()}, ${lines} recorded events of the file workload`,
  `ingest throughput (as fast as taken): ${Math.round(throughput.perSecond)} events/s (goal ≥ 100,000)`,
  `keystroke → screen while fed at ${Math.round(latency.fedPerSecond)} events/s (asked ${rate}): median ${pct(50).toFixed(1)} ms, p95 ${pct(95).toFixed(1)} ms, max ${s[s.length - 1].toFixed(1)} ms over ${s.length} keys (goal < 100 ms)`,
];
console.log(lines2.join('\n'));
writeResults('tui', { throughput, latency: { samples: latency.samples, fedPerSecond: latency.fedPerSecond }, summary: lines2 });
rmSync(dir, { recursive: true, force: true });
rmSync(`/dev/shm/whittle-tui-bench-${process.pid}`, { recursive: true, force: true });
process.exit(0);
