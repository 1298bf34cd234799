/**
 * The TUI's controller: everything the screens show and every action they take, with the I/O
 * the app/ components must not do themselves — the tracer in a pseudo-terminal (learn, and
 * launching for real), the workload's screen (a headless terminal emulator), the snapshot on
 * disk, exports. The app subscribes to it and calls its methods; one reducer (model/decisions.ts)
 * decides, as in `whittle decide --auto`.
 */
import { closeSync, constants as fsConstants, openSync, readFileSync, readSync } from 'node:fs';
import { mkdir, writeFile, rm } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IPty } from 'node-pty';
import xtermHeadless from '@xterm/headless';
import { decide, effectiveDecision, globRules, initialState, tally, type Decisions, type ReviewAction, type ReviewState } from '../model/decisions.js';
import { keys, queueItems, type QueueItem } from '../model/items.js';
import { ingest, mergeObserved, newRecording, observedOf, toObserved, type Observed, type Recording } from '../model/observations.js';
import { buildPolicy, type Policy } from '../model/policy.js';
import { denialsAsObserved, denialsOf, type Denial, type Probe } from '../model/report.js';
import { enforceSpec, enforcementGaps } from '../launch/plan.js';
import { recordingStub, snapshotFromRecording, type RecordingMeta } from '../store/record.js';
import { SnapshotFile } from '../store/snapshot.js';
import { readRunReport } from '../store/report-file.js';
import type { SnapshotDoc } from '../store/schema.js';
import { eventSocket, learnArgs, spawnInPty, tracerBytes } from '../trace/tracer-process.js';
import { EventLineReader, messageText } from '../trace/protocol.js';
import { whittleVersion } from '../version.js';
import { defaultRuntime, profileName } from './export.js';

/** whittle's own command line, for the launches the TUI runs as `whittle run` (containers). */
const whittleCli = fileURLToPath(new URL('../cli.js', import.meta.url));

/** What a launch for real came to, for the queue and the status line. */
interface LaunchOutcome {
  denials: Denial[];
  probes: Probe[];
  /** What the workload did that the policy does not accept and the launcher could not refuse. */
  escapes: string[];
  status: number | null;
  /** Empty when it started; else why not, as a sentence tail. */
  failedToStart: string;
}

const { Terminal } = xtermHeadless as unknown as { Terminal: typeof import('@xterm/headless').Terminal };

/**
 * node-pty loses the end of a program's output on Linux (microsoft/node-pty#72, #85): when the
 * last process on the terminal closes it, the master reads EIO while output is still pending,
 * and 200 ms after the child exits node-pty destroys its reader whatever is left unread. The
 * workload's last lines — often the error that says why it failed — went missing about half
 * the time (`seq 1 200000` ended the pane at 198099). So: hold the terminal's other side open
 * until the tracer has exited (no EIO while output is pending), and before node-pty destroys
 * its reader, read what is left (the descriptor is non-blocking: this stops at "nothing more").
 * Returns the function that lets the terminal go.
 */
function keepOutputUntilExit(pty: IPty, onData: (d: string) => void): () => void {
  let slave: number | undefined;
  try {
    slave = openSync((pty as unknown as { ptsName: string }).ptsName, fsConstants.O_RDWR | fsConstants.O_NOCTTY);
  } catch {
    /* not a Unix terminal, or gone already: nothing to hold */
  }
  const inner = pty as unknown as { _socket?: { destroy: (...a: unknown[]) => unknown }; _fd?: number };
  const sock = inner._socket;
  const fd = inner._fd;
  if (sock && typeof fd === 'number' && nonBlocking(fd)) {
    const destroy = sock.destroy.bind(sock);
    sock.destroy = (...a: unknown[]) => {
      const buf = Buffer.alloc(65536);
      const text = new StringDecoder('utf8');
      for (;;) {
        let n = 0;
        try {
          n = readSync(fd, buf, 0, buf.length, null);
        } catch {
          break; // EAGAIN: all read; EIO: the other side is gone
        }
        if (n <= 0) break;
        onData(text.write(buf.subarray(0, n)));
      }
      return destroy(...a);
    };
  }
  return () => {
    if (slave === undefined) return;
    try {
      closeSync(slave);
    } catch {
      /* closed */
    }
    slave = undefined;
  };
}

function nonBlocking(fd: number): boolean {
  try {
    const flags = /^flags:\s+(\d+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))?.[1];
    return flags !== undefined && (parseInt(flags, 8) & fsConstants.O_NONBLOCK) !== 0;
  } catch {
    return false;
  }
}

/** A run of cells with one style, for drawing the workload's screen. */
export interface Segment {
  text: string;
  fg?: number;
  bg?: number;
  bold?: boolean;
  inverse?: boolean;
  dim?: boolean;
}

export type Phase = 'starting' | 'learning' | 'enforcing' | 'idle';

export interface ExportOutcome {
  format: string;
  files: string[];
  unexpressed: number;
  firstUnexpressed: string[];
  error?: string;
}

export interface ControllerOptions {
  mode: 'learn' | 'review';
  snapshotFile: string;
  argv: string[];
  mechanism?: 'seccomp' | 'ebpf';
  force?: boolean;
  cols: number;
  rows: number;
  /** Tuning passed to the tracer. */
  auditBuffer?: string;
  ringBuffer?: string;
  /**
   * Learning a container (whittle learn --container): the tracer's session arguments (events to
   * "unix:") around the runtime, prepared by commands/container.ts, and what the snapshot says of
   * the container.
   */
  container?: { tracerArgs: string[]; meta: NonNullable<RecordingMeta['container']> };
}

export class TuiController {
  readonly mode: 'learn' | 'review';
  readonly file: string;
  argv: string[];
  phase: Phase = 'starting';
  /** What the review queue shows, and the decisions. */
  review: ReviewState = initialState([]);
  /** Counts and progress for the status line. */
  eventsPerSecond = 0;
  lost = 0;
  lostDetail: Record<string, number> = {};
  workloadStatus: number | null = null;
  runSummary: string | null = null;
  lastDenials: Denial[] = [];
  /** Bumped on every change the screens should show. */
  version = 0;

  private snap?: SnapshotFile;
  private doc?: SnapshotDoc;
  private rec: Recording = newRecording();
  private meta: RecordingMeta;
  private pty?: IPty;
  private term: InstanceType<typeof Terminal>;
  private listeners = new Set<() => void>();
  private pending = false;
  private queue = new Map<string, QueueItem>();
  private dirtyItems = new Set<string>();
  private tracerIdToKey = new Map<number, { key: string; count: number }>();
  private eventsThisSecond = 0;
  private timers: NodeJS.Timeout[] = [];
  private saving: Promise<void> = Promise.resolve();
  private saveTimer?: NodeJS.Timeout;
  private ended?: Promise<void>;
  private cols: number;
  private rows: number;

  constructor(private readonly o: ControllerOptions) {
    this.mode = o.mode;
    this.file = o.snapshotFile;
    this.argv = o.argv;
    this.cols = o.cols;
    this.rows = o.rows;
    this.term = new Terminal({ cols: Math.max(o.cols, 10), rows: Math.max(o.rows, 3), allowProposedApi: true, scrollback: 500 });
    this.meta = { whittleVersion, argv: o.argv, cwd: process.cwd(), createdAt: new Date().toISOString(), ...(o.container ? { container: o.container.meta } : {}) };
  }

  /* ---- subscription ---- */

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };
  getVersion = (): number => this.version;

  /**
   * Coalesce changes: the screens redraw at most every 50 ms however fast events come, and less
   * often when a redraw costs more (a workload that touched 100k files): keys stay answered
   * because a key redraws on its own, without waiting for this.
   */
  private changed(): void {
    if (this.pending) return;
    this.pending = true;
    const interval = Math.min(Math.max(50, this.lastCycleMs * 4), 1000);
    setTimeout(() => {
      this.pending = false;
      const t0 = performance.now();
      this.flushQueue();
      this.version++;
      for (const l of this.listeners) l();
      this.lastCycleMs = performance.now() - t0 + this.renderCostMs;
    }, interval);
  }
  private lastCycleMs = 0;
  /** What the screens say their last recomputation cost (they measure it). */
  renderCostMs = 0;

  /* ---- start ---- */

  async start(): Promise<void> {
    this.startRateClock();
    if (this.mode === 'review') {
      this.snap = await SnapshotFile.open(this.file);
      this.doc = this.snap.doc;
      this.argv = this.doc.workload.argv;
      this.workloadStatus = this.doc.workload.exitStatus;
      this.lost = this.doc.lost.total;
      this.lostDetail = this.doc.lost.counters;
      this.review = initialState(queueItems(this.doc.observed), this.doc.decisions as Decisions);
      this.phase = 'idle';
      this.term.write(`\x1b[1mrecorded:\x1b[0m ${this.doc.workload.argv.join(' ')}\r\n`);
      this.term.write(`exit status ${this.doc.workload.exitStatus ?? '?'}, ${this.doc.workload.processes ?? '?'} process(es), ${this.doc.recorder?.mechanism ?? '?'} recorder\r\n`);
      // what whittle said while learning (a session stopped early, a daemon left running, a
      // fallback recorder) bears on what the snapshot can hold: the reviewer sees it first
      if (this.doc.status !== 'complete') this.note(`warning: this snapshot is ${this.doc.status}: ${this.doc.statusReason ?? ''}`);
      if (this.doc.messages.length) {
        this.term.write(`while learning, whittle said:\r\n`);
        for (const m of this.doc.messages) this.note(messageText(m));
      }
      this.term.write(`press r to run it for real under the current decisions\r\n`);
      this.changed();
      return;
    }
    this.snap = await SnapshotFile.create(this.file, recordingStub(this.meta), { force: !!this.o.force });
    const args = this.o.container ? [...this.o.container.tracerArgs] : learnArgs({ argv: this.argv, mechanism: this.o.mechanism, rcvbuf: this.o.auditBuffer, ringbuf: this.o.ringBuffer }, 'unix:');
    await this.startTracer(args, 'learning');
  }

  /** Start the tracer in the pane; args must end its --events with "unix:" (filled in here). */
  private async startTracer(args: string[], phase: Phase, onEvent?: (e: Parameters<typeof ingest>[1]) => void, rec = this.rec): Promise<void> {
    const sock = await eventSocket();
    const i = args.indexOf('unix:');
    if (i >= 0) args[i] = `unix:${sock.path}`;
    this.phase = phase;
    const { exited } = await this.startInPane(args);
    const reader = this.eventReader(rec, onEvent);
    const streamDone = sock.stream.then(
      (s) =>
        new Promise<void>((resolve) => {
          s.setEncoding('utf8');
          s.on('data', (c: string) => reader.push(c));
          s.on('end', () => {
            reader.end();
            resolve();
          });
          s.on('error', () => resolve());
        }),
    );
    this.ended = Promise.race([Promise.all([exited, streamDone]), exited.then(() => new Promise((r) => setTimeout(r, 2000).unref()))]).then(async () => {
      await sock.close();
      this.pty = undefined;
    });
  }

  /** Start a program (the tracer unless `file`) in the workload pane; `exited` resolves to its exit code. */
  private async startInPane(args: string[], file?: string): Promise<{ exited: Promise<number> }> {
    const pty = await spawnInPty(args, { cols: this.cols, rows: this.rows, ...(file ? { file } : {}) });
    this.pty = pty;
    const onData = (d: string) => {
      this.term.write(d);
      this.changed();
    };
    pty.onData(onData);
    const releaseTerminal = keepOutputUntilExit(pty, onData);
    const exited = new Promise<number>((resolve) =>
      pty.onExit(({ exitCode }) => {
        releaseTerminal();
        resolve(exitCode);
      }),
    );
    return { exited };
  }

  /** The reader that folds a tracer's events into a recording (and the queue, for learning). */
  eventReader(rec: Recording = this.rec, onEvent?: (e: Parameters<typeof ingest>[1]) => void): EventLineReader {
    return new EventLineReader(
      (e) => {
        this.eventsThisSecond++;
        this.totalEvents++;
        const it = ingest(rec, e);
        if (it && it.kind !== 'denied' && rec === this.rec) this.onNewItem(it);
        if (e.type === 'counts' && rec === this.rec) this.onCounts(e.c);
        if (e.type === 'lost') {
          this.lost = e.total;
          this.lostDetail = e.counters;
        }
        if (e.type === 'warning' || e.type === 'error') this.note(messageText(e));
        onEvent?.(e);
        this.changed();
      },
      (err) => this.note(`warning: unreadable tracer line: ${err.message}`),
    );
  }

  /** Events folded so far (for benchmarks). */
  totalEvents = 0;

  /** The events-per-second figure of the status line, updated every second. */
  private startRateClock(): void {
    this.timers.push(
      setInterval(() => {
        this.eventsPerSecond = this.eventsThisSecond;
        this.eventsThisSecond = 0;
        this.changed();
      }, 1000),
    );
  }

  /** Start without a tracer: events will be fed from a recording (bench/, replays). */
  startReplay(): void {
    this.startRateClock();
    this.phase = 'learning';
    this.changed();
  }

  /** A tracer item: fold it into the queue item it belongs to. */
  private onNewItem(it: Parameters<typeof toObserved>[0]): void {
    // the queue item's key, cheaply: most new tracer items join an existing queue item
    const key =
      it.kind === 'syscall' ? keys.syscall(it.name ?? '') : it.kind === 'path' ? keys.path(it.path, it.access) : it.kind === 'net' ? keys.net(it.family) : it.kind === 'cap' ? keys.cap(it.name) : undefined;
    if (key && it.kind !== 'syscall' && this.queue.has(key)) {
      this.tracerIdToKey.set(it.id, { key, count: 0 });
      this.dirtyItems.add(key);
      return;
    }
    const { kind, row } = toObserved(it);
    const one: Observed = { syscalls: [], paths: [], execs: [], mounts: [], network: [], capabilities: [] };
    (one[kind] as unknown[]).push(row);
    for (const q of queueItems(one)) {
      this.tracerIdToKey.set(it.id, { key: q.key, count: 0 });
      if (!this.queue.has(q.key)) this.queue.set(q.key, { ...q, count: 0 });
      this.dirtyItems.add(q.key);
    }
  }

  private onCounts(c: Array<[number, number]>): void {
    for (const [id, total] of c) {
      const m = this.tracerIdToKey.get(id);
      if (!m) continue;
      const q = this.queue.get(m.key);
      if (q) q.count += total - m.count;
      m.count = total;
      this.dirtyItems.add(m.key);
    }
  }

  private flushQueue(): void {
    if (!this.dirtyItems.size) return;
    const items = [...this.dirtyItems].map((k) => ({ ...this.queue.get(k)! }));
    this.dirtyItems.clear();
    this.review = decide(this.review, { type: 'add-items', items });
  }

  /* ---- the workload's terminal ---- */

  /** The pane's visible lines, as styled segments. */
  screen(): Segment[][] {
    const buf = this.term.buffer.active;
    const out: Segment[][] = [];
    const cell = buf.getNullCell();
    for (let y = 0; y < this.term.rows; y++) {
      const line = buf.getLine(buf.viewportY + y);
      const segs: Segment[] = [];
      if (line) {
        let cur: Segment | undefined;
        for (let x = 0; x < this.term.cols; x++) {
          line.getCell(x, cell);
          const ch = cell.getChars() || ' ';
          if (cell.getWidth() === 0) continue;
          const style: Segment = { text: '' };
          if (!cell.isFgDefault() && cell.isFgPalette()) style.fg = cell.getFgColor();
          if (!cell.isBgDefault() && cell.isBgPalette()) style.bg = cell.getBgColor();
          if (cell.isBold()) style.bold = true;
          if (cell.isInverse()) style.inverse = true;
          if (cell.isDim()) style.dim = true;
          if (cur && cur.fg === style.fg && cur.bg === style.bg && cur.bold === style.bold && cur.inverse === style.inverse && cur.dim === style.dim) {
            cur.text += ch;
          } else {
            cur = { ...style, text: ch };
            segs.push(cur);
          }
        }
      }
      out.push(segs);
    }
    return out;
  }

  /** Keys typed while the workload pane has the keyboard. */
  sendInput(data: string): void {
    this.pty?.write(data);
  }

  resize(cols: number, rows: number): void {
    cols = Math.max(cols, 10);
    rows = Math.max(rows, 3);
    if (cols === this.cols && rows === this.rows) return;
    this.cols = cols;
    this.rows = rows;
    this.term.resize(cols, rows);
    try {
      this.pty?.resize(cols, rows);
    } catch {
      /* the workload is gone */
    }
    this.changed();
  }

  /* ---- decisions ---- */

  dispatch(action: ReviewAction): void {
    this.review = decide(this.review, action);
    this.scheduleSave();
    this.changed();
  }

  private tallied?: { of: ReviewState; t: ReturnType<typeof tally> & { critical: number; high: number } };
  /**
   * Counts for the status line, once per state (it is O(items)); with how many of the items
   * still waiting are critical or high risk (they may be scrolled far out of sight).
   */
  tally() {
    if (this.tallied?.of !== this.review) {
      let critical = 0;
      let high = 0;
      const { decisions } = this.review;
      const globs = globRules(decisions);
      for (const it of this.review.items) {
        if (it.risk !== 'critical' && it.risk !== 'high') continue;
        if (effectiveDecision(decisions, it, globs)) continue;
        if (it.risk === 'critical') critical++;
        else high++;
      }
      this.tallied = { of: this.review, t: { ...tally(this.review), critical, high } };
    }
    return this.tallied.t;
  }

  private observed(): Observed {
    if (this.mode === 'review' && this.doc) return this.doc.observed;
    return observedOf(this.rec);
  }

  /** The policy the current decisions make (undecided items denied). */
  policy(): Policy {
    const doc = this.doc;
    return buildPolicy({
      observed: this.observed(),
      decisions: this.review.decisions,
      argv: this.argv,
      snapshot: this.file,
      createdAt: doc?.createdAt ?? this.meta.createdAt,
      mechanism: doc?.recorder?.mechanism ?? this.rec.hello?.mechanism ?? 'unknown',
      kernel: doc?.host.kernel ?? this.rec.hello?.kernel ?? os.release(),
      libseccompHorizon: doc?.recorder?.libseccompHorizon ?? this.rec.hello?.libseccompHorizon ?? 0,
    });
  }

  /* ---- saving: decisions are never lost ---- */

  private scheduleSave(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => void this.save(), 300);
  }

  /** Write the snapshot: the recording so far (or the reviewed one) and every decision. */
  save(): Promise<void> {
    this.saving = this.saving.then(async () => {
      if (!this.snap) return;
      if (this.mode === 'learn' && !this.doc) {
        // While the workload runs, the file says so; the recording is frozen into the snapshot
        // only once the session is over (saving for an export mid-run must not freeze it, or
        // everything recorded after it would be lost and the snapshot left "incomplete").
        const running = this.phase === 'learning' || this.phase === 'starting';
        const doc = snapshotFromRecording(this.rec, this.meta, running ? 'the session is still running' : undefined);
        if (running) doc.status = 'recording';
        doc.decisions = this.review.decisions;
        this.snap.replaceDoc(doc);
        if (!running) this.doc = this.snap.doc;
      } else if (this.doc) {
        this.doc.decisions = this.review.decisions;
      }
      try {
        await this.snap.save();
        this.saveProblem = undefined;
      } catch (e) {
        // The file cannot be written (its directory removed, the disk full): the snapshot went
        // to a rescue copy (SnapshotFile.save) and the person is told where, once per change of
        // problem. The chain of saves goes on: the next one tries the file again.
        const hint = (e as { hint?: string }).hint;
        const msg = `${(e as Error).message}${hint ? `; ${hint}` : ''}`;
        if (msg !== this.saveProblem) {
          this.saveProblem = msg;
          this.note(`warning: ${msg}`);
        }
      }
    });
    return this.saving;
  }

  /** Why the last save did not reach the snapshot's own file, or undefined. */
  saveProblem: string | undefined;

  /** Where the snapshot is on disk now: its file, or the rescue copy a failed save made. */
  savedAt(): string {
    return this.snap?.savedAt ?? this.file;
  }

  /** A message from whittle or the tracer, shown in the workload pane where the person is looking. */
  private note(message: string): void {
    this.term.write(`\x1b[1;33mwhittle: ${message.replace(/\n/g, '\r\n')}\x1b[0m\r\n`);
    this.changed();
  }

  /* ---- launch for real ---- */

  /** Launch for real; returns the line to show in the status bar. */
  async launch(): Promise<string | undefined> {
    if (this.pty) {
      const why = 'the workload is still running: wait for it to end (or q) before launching for real';
      this.note(why);
      return why;
    }
    await this.save();
    const policy = this.policy();
    const container = this.doc?.container ?? this.meta.container;
    const { denials, probes, escapes, status, failedToStart } = container ? await this.launchContainer(policy, container) : await this.launchHere(policy);
    this.lastDenials = denials;
    for (const e of escapes) this.note(`NOT HELD: ${e}`);
    this.runSummary = `run for real: ${failedToStart ? 'NOT STARTED, ' : ''}${escapes.length ? `NOT HELD (${escapes.length}), ` : ''}${denials.length} denial(s)${probes.length ? `, ${probes.length} probe(s) answered ENOSYS` : ''}, exit status ${status ?? '?'}${failedToStart}`;
    this.term.write(`\x1b[1;35m── ${this.runSummary} ──\x1b[0m\r\n`);
    // only what this run denied is marked: a clean run clears the marks of the last one
    const deniedKeys = new Set(queueItems(denialsAsObserved(denials)).map((q) => q.key));
    const cleared = this.review.items.filter((i) => i.denied && !deniedKeys.has(i.key)).map((i) => ({ ...i, denied: false }));
    if (cleared.length) this.review = decide(this.review, { type: 'add-items', items: cleared });
    if (denials.length) {
      // the denials become items of this same queue, marked denied
      const observed = denialsAsObserved(denials);
      if (this.doc) this.doc.observed = mergeObserved(this.doc.observed, observed);
      const fresh = queueItems(observed).map((q) => {
        const prev = this.review.items.find((i) => i.key === q.key);
        return prev ? { ...prev, denied: true } : q;
      });
      this.review = decide(this.review, { type: 'add-items', items: fresh });
      await this.save();
    }
    this.phase = 'idle';
    this.changed();
    return this.runSummary;
  }

  /** The workload under whittle's own launcher (the tracer's enforce session), in the pane. */
  private async launchHere(policy: Policy): Promise<LaunchOutcome> {
    const dir = path.join(os.tmpdir(), `whittle-tui-${process.pid}`);
    await mkdir(dir, { recursive: true });
    const spec = path.join(dir, 'enforce.spec');
    await writeFile(spec, tracerBytes(enforceSpec(policy)));
    this.term.write(`\r\n\x1b[1;35m── launching for real under ${policy.syscalls.allow.length} allowed syscalls, ${policy.paths.length} path rules (${policy.undecided.count} undecided denied) ──\x1b[0m\r\n`);
    // as whittle run says it: where the launcher is wider than a decision (a glob, a move between directories)
    for (const g of enforcementGaps(policy)) this.note(`enforced more widely than accepted: ${g}`);
    const runRec = newRecording();
    this.runSummary = 'running under the policy…';
    await this.startTracer(['enforce', '--spec', spec, '--events', 'unix:', '--', ...this.argv], 'enforcing', undefined, runRec);
    await this.ended;
    await rm(dir, { recursive: true, force: true });
    // told apart as whittle run tells them (names the view left out, syscalls the filter refused…)
    const { denialOptionsFor, escapesOf } = await import('./run.js');
    const { denials, probes } = denialsOf(runRec, denialOptionsFor(policy));
    const escapes = escapesOf(runRec, policy);
    const status = runRec.exit?.setupError ? 125 : (runRec.exit?.status ?? null);
    const failedToStart = runRec.exit?.execError
      ? ` — the program could not be executed in the sandbox (${runRec.exit.execError}): accept its path (exec) and run again`
      : runRec.exit?.setupError
        ? ` — the sandbox could not be built: ${runRec.exit.setupError}`
        : '';
    return { denials, probes, escapes, status, failedToStart };
  }

  /**
   * A container snapshot runs through its own runtime, as `whittle run --container` does it (the
   * container's output and the denials as they happen in the pane; the report for the queue).
   */
  private async launchContainer(policy: Policy, c: NonNullable<RecordingMeta['container']>): Promise<LaunchOutcome> {
    // the report stays beside the snapshot: the run's messages point into it
    const report = `${this.file.replace(/\.json$/, '')}.run-report.json`;
    await rm(report, { force: true }); // a run that fails early writes none: never read the last one's
    this.term.write(`\r\n\x1b[1;35m── launching ${c.ref} for real through ${c.runtime}, under ${policy.syscalls.allow.length} allowed syscalls (${policy.undecided.count} undecided denied) ──\x1b[0m\r\n`);
    this.runSummary = 'running under the policy…';
    this.phase = 'enforcing';
    const args = [whittleCli, 'run', '--container', c.ref, '--runtime', c.runtime, '--profile', this.file, '--report', report, '--', ...this.argv];
    const { exited } = await this.startInPane(args, process.execPath);
    this.ended = exited.then(() => {
      this.pty = undefined;
    });
    this.changed();
    const code = await exited;
    try {
      const r = await readRunReport(report);
      const failedToStart = r.started ? '' : ` — the container did not start (whittle run exited ${code}; its message is above)`;
      return { denials: r.denials, probes: r.probes, escapes: r.escapes ?? [], status: r.exitStatus, failedToStart };
    } catch {
      return { denials: [], probes: [], escapes: [], status: code, failedToStart: ` — whittle run --container failed (exit ${code}; its message is above)` };
    }
  }

  /* ---- export ---- */

  async export(formats: string[], dir = 'profiles'): Promise<ExportOutcome[]> {
    await this.save();
    const { exporterFor } = await import('../export/registry.js');
    const policy = this.policy();
    const name = profileName(policy.workload.argv);
    const out: ExportOutcome[] = [];
    await mkdir(dir, { recursive: true });
    for (const f of formats) {
      try {
        const ex = await exporterFor(f);
        if (!ex) throw new Error(`unknown format ${f}`);
        const ctx: import('../export/types.js').RenderContext = { name };
        if (ex.runtimeLayer) ctx.runtime = defaultRuntime(f, policy);
        if (ex.needsBpf) ctx.bpf = await (await import('../trace/compile.js')).compileFilter(policy);
        const main = path.join(dir, ex.defaultName(ctx));
        ctx.output = main;
        const r = ex.render(policy, ctx);
        const files: string[] = [];
        for (const a of r.artifacts) {
          const target = a.suffix ? `${main}.${a.suffix}` : main;
          await writeFile(target, a.content);
          files.push(target);
        }
        out.push({ format: f, files, unexpressed: r.unexpressed.length, firstUnexpressed: r.unexpressed.slice(0, 3).map((u) => `${u.item}: ${u.reason}`) });
      } catch (e) {
        out.push({ format: f, files: [], unexpressed: 0, firstUnexpressed: [], error: (e as Error).message });
      }
    }
    return out;
  }

  /* ---- the end ---- */

  /** The workload's whole tree gets SIGTERM (SIGKILL after 3 s, by the tracer); then save. */
  async quit(): Promise<number> {
    for (const t of this.timers) clearInterval(t);
    if (this.pty) {
      try {
        process.kill(this.pty.pid, 'SIGTERM');
      } catch {
        /* gone */
      }
      // unref: a pending fallback timer must not keep whittle running after everything ended
      // (it held every quit for 6 s)
      await Promise.race([this.ended, new Promise((r) => setTimeout(r, 6000).unref())]);
    }
    if (this.mode === 'learn' && !this.doc) this.phase = 'idle';
    await this.save();
    this.term.dispose();
    return 0;
  }

  /** Called when the learning tracer ended by itself (the workload's tree exited). */
  async whenLearningEnds(): Promise<void> {
    await this.ended;
    if (this.mode === 'learn' && this.phase === 'learning') {
      this.phase = 'idle';
      this.workloadStatus = this.rec.exit?.status ?? null;
      this.flushQueue();
      await this.save();
      this.term.write(`\r\n\x1b[1;36m── the workload ended (exit status ${this.workloadStatus ?? '?'}): review the queue, then e to export or r to run it for real ──\x1b[0m\r\n`);
      this.changed();
    }
  }

  /** For the status line: has the recording a hello, and which mechanism. */
  mechanism(): string {
    return this.doc?.recorder?.mechanism ?? this.rec.hello?.mechanism ?? '…';
  }

  keyOfSyscall = keys.syscall;
}
