/**
 * Runs whittle-tracer: finds the binary, spawns it with the events descriptor, and turns its
 * stream into parsed events. Only trace/ spawns the tracer.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn, type ChildProcess } from 'node:child_process';

/** The package root (where package.json and tracer/ are), from dist/trace or src/trace. */
export const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A tracer that is missing or unusable: says how to fix it. */
export class TracerMissingError extends Error {
  constructor(readonly where: string) {
    super(`the tracer binary is missing or not executable: ${where}`);
    this.name = 'TracerMissingError';
  }
  readonly hint = 'build it with `npm run build` (needs gcc, make and libseccomp-dev; see README), or set WHITTLE_TRACER';
}

/** Path of whittle-tracer: $WHITTLE_TRACER, else tracer/whittle-tracer in the package. */
export function tracerPath(): string {
  const p = process.env.WHITTLE_TRACER || path.join(packageRoot, 'tracer', 'whittle-tracer');
  try {
    accessSync(p, constants.X_OK);
  } catch {
    throw new TracerMissingError(p);
  }
  return p;
}

export function tracerExists(): boolean {
  return existsSync(process.env.WHITTLE_TRACER || path.join(packageRoot, 'tracer', 'whittle-tracer'));
}

export interface LearnSpawnOptions {
  argv: string[];
  mechanism?: 'seccomp' | 'ebpf';
  /** Extra environment for the tracer only (e.g. WHITTLE_SIMULATE_MISSING in tests). */
  env?: Record<string, string>;
  /** Pass-through tuning (audit receive buffer, ring buffer), for tests and benchmarks. */
  rcvbuf?: string;
  ringbuf?: string;
}

export interface TracerRun {
  /** The tracer process (send it SIGTERM to end the session gracefully). */
  child: ChildProcess;
  /**
   * Feed the event stream to a reader. Until this is called the stream stays paused (nothing is
   * lost), so a caller can load its parser while the tracer starts.
   */
  read(reader: { push(chunk: string): void; end(): void }): void;
  /** Resolves when the tracer has exited and its stream is fully read. */
  done: Promise<{ exitCode: number | undefined; signal: string | undefined }>;
}

/**
 * Wait for a session to end while whittle stays to save what it saw: Ctrl-C and Ctrl-\ reach the
 * workload from the terminal and are ignored here; SIGTERM and SIGHUP end the session gracefully
 * (the tracer stops the workload and sends what it has).
 */
export async function waitForSession(run: TracerRun): Promise<{ exitCode: number | undefined; signal: string | undefined }> {
  const ignore = () => undefined;
  const stop = () => run.child.kill('SIGTERM');
  const handlers: Array<[NodeJS.Signals, () => void]> = [
    ['SIGINT', ignore],
    ['SIGQUIT', ignore],
    ['SIGTERM', stop],
    ['SIGHUP', stop],
  ];
  for (const [sig, h] of handlers) process.on(sig, h);
  try {
    return await run.done;
  } finally {
    for (const [sig, h] of handlers) process.off(sig, h);
  }
}

/** Build the tracer's arguments for a learning session. */
export function learnArgs(o: Pick<LearnSpawnOptions, 'argv' | 'mechanism' | 'rcvbuf' | 'ringbuf'>, events: string): string[] {
  const args = ['learn', '--events', events];
  if (o.mechanism) args.push('--mechanism', o.mechanism);
  if (o.rcvbuf) args.push('--rcvbuf', o.rcvbuf);
  if (o.ringbuf) args.push('--ringbuf', o.ringbuf);
  args.push('--', ...o.argv);
  return args;
}

/**
 * Start a headless learning session: the workload gets whittle's own stdin/stdout/stderr and the
 * events arrive on descriptor 3. (node:child_process rather than execa here: this is on the
 * start-up path of every session, and execa alone takes ~60 ms to load.)
 */
export function spawnLearn(o: LearnSpawnOptions): TracerRun {
  return spawnTracer(learnArgs(o, '3'), o.env);
}

/** Start an enforcing session (whittle run): the spec file is written by the caller. */
export function spawnEnforce(o: { specFile: string; argv: string[]; env?: Record<string, string> }): TracerRun {
  return spawnTracer(['enforce', '--spec', o.specFile, '--events', '3', '--', ...o.argv], o.env);
}

/** An enforcing session started before its spec is ready: see spawnEnforceEarly. */
export interface EarlyEnforceRun extends TracerRun {
  /** Hand the tracer its enforce spec (once). */
  sendSpec(spec: string): void;
  /** Give up before sending a spec: the tracer leaves quietly, nothing of the workload ran. */
  abort(): void;
}

/**
 * Start an enforcing session whose spec follows on descriptor 4: the tracer readies its denial
 * readers and in-kernel probe (tens of ms) while whittle is still loading and checking the policy.
 */
export function spawnEnforceEarly(o: { argv: string[]; env?: Record<string, string> }): EarlyEnforceRun {
  const run = spawnTracer(['enforce', '--spec-fd', '4', '--events', '3', '--', ...o.argv], o.env, true);
  const spec = run.child.stdio[4] as NodeJS.WritableStream | null;
  spec?.on('error', () => undefined); // the tracer may be gone already (command not found): its exit says why
  return { ...run, sendSpec: (text) => spec?.end(tracerBytes(text)), abort: () => spec?.end() };
}

/**
 * A string from the tracer back to the bytes it stands for. A name that is not valid UTF-8 comes
 * from the tracer with each invalid byte as a lone surrogate U+DC80..U+DCFF (as Python's
 * surrogateescape); written as UTF-8 those would become U+FFFD, and a sandbox's view would hold
 * another name than the one learned.
 */
export function tracerBytes(s: string): Buffer {
  if (!/[\udc80-\udcff]/u.test(s)) return Buffer.from(s, 'utf8');
  const out: Buffer[] = [];
  let run = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0xdc80 || cp > 0xdcff) {
      run += ch;
      continue;
    }
    if (run) out.push(Buffer.from(run, 'utf8'));
    run = '';
    out.push(Buffer.from([cp - 0xdc00]));
  }
  if (run) out.push(Buffer.from(run, 'utf8'));
  return Buffer.concat(out);
}

export function spawnTracer(args: string[], env?: Record<string, string>, specPipe = false): TracerRun {
  const child = spawn(tracerPath(), args, {
    stdio: specPipe ? ['inherit', 'inherit', 'inherit', 'pipe', 'pipe'] : ['inherit', 'inherit', 'inherit', 'pipe'],
    env: env ? { ...process.env, ...env } : process.env,
  });
  const stream = child.stdio[3] as NodeJS.ReadableStream | null;
  // Read from the first moment and hold what arrives until a reader is attached: a tracer that
  // fails at once closes its end before the caller is ready, and nothing may be lost.
  let reader: { push(chunk: string): void; end(): void } | undefined;
  const held: string[] = [];
  let ended = false;
  let finish: () => void = () => undefined;
  const streamDone = new Promise<void>((resolve) => {
    finish = resolve;
    if (!stream) return resolve();
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => (reader ? reader.push(chunk) : held.push(chunk)));
    const onEnd = () => {
      if (ended) return;
      ended = true;
      if (reader) {
        reader.end();
        resolve();
      }
    };
    stream.on('end', onEnd);
    stream.on('close', onEnd);
    stream.on('error', onEnd);
  });
  const attach = (r: { push(chunk: string): void; end(): void }) => {
    reader = r;
    for (const c of held.splice(0)) r.push(c);
    if (ended) {
      r.end();
      finish();
    }
  };
  const exited = new Promise<{ exitCode: number | undefined; signal: string | undefined }>((resolve) => {
    child.on('error', () => resolve({ exitCode: 125, signal: undefined }));
    child.on('exit', (code, signal) => resolve({ exitCode: code ?? undefined, signal: signal ?? undefined }));
  });
  const done = Promise.all([exited, streamDone]).then(([r]) => r);
  return { child, read: (r) => attach(r), done };
}

/**
 * A unix socket the tracer connects to with `--events unix:PATH` (used when the tracer runs in
 * a pseudo-terminal, where it cannot inherit an extra descriptor). One connection is accepted.
 */
export async function eventSocket(): Promise<{ path: string; stream: Promise<import('node:net').Socket>; close(): Promise<void> }> {
  const net = await import('node:net');
  const fs = await import('node:fs/promises');
  const os = await import('node:os');
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'whittle-ev-'));
  const sock = path.join(dir, 'events.sock');
  const server = net.createServer();
  const stream = new Promise<import('node:net').Socket>((resolve) => server.once('connection', resolve));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(sock, () => resolve());
  });
  return {
    path: sock,
    stream,
    async close() {
      server.close();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

/** The tracer (or another program: `file`) in a pseudo-terminal of the given size (the TUI's workload pane). */
export async function spawnInPty(args: string[], o: { cols: number; rows: number; env?: Record<string, string>; cwd?: string; file?: string }) {
  const pty = await import('node-pty');
  return pty.spawn(o.file ?? tracerPath(), args, {
    name: 'xterm-256color',
    cols: Math.max(o.cols, 10),
    rows: Math.max(o.rows, 3),
    cwd: o.cwd ?? process.cwd(),
    env: { ...process.env, ...o.env } as Record<string, string>,
  });
}
