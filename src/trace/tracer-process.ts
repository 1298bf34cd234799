/**
 * Runs whittle-tracer: finds the binary, spawns it with the events descriptor, and turns its
 * stream into parsed events. Only trace/ spawns the tracer.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { EventLineReader, type ProtocolError, type TracerEvent } from './protocol.js';

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
  onEvent: (e: TracerEvent) => void;
  onProtocolError: (e: ProtocolError) => void;
}

export interface TracerRun {
  /** The tracer process (send it SIGTERM to end the session gracefully). */
  child: { kill(signal?: NodeJS.Signals): boolean; pid?: number };
  /** Resolves when the tracer has exited and its stream is fully read. */
  done: Promise<{ exitCode: number | undefined; signal: string | undefined }>;
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
 * events arrive on descriptor 3.
 */
export function spawnLearn(o: LearnSpawnOptions): TracerRun {
  const child = execa(tracerPath(), learnArgs(o, '3'), {
    stdio: ['inherit', 'inherit', 'inherit', 'pipe'],
    reject: false,
    buffer: false,
    stripFinalNewline: false,
    env: o.env,
    extendEnv: true,
    // the tracer ends the workload's tree itself; never leave it orphaned
    cleanup: true,
  });
  const reader = new EventLineReader(o.onEvent, o.onProtocolError);
  const stream = child.stdio[3] as NodeJS.ReadableStream | undefined;
  const streamDone = new Promise<void>((resolve) => {
    if (!stream) return resolve();
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => reader.push(chunk));
    stream.on('end', () => {
      reader.end();
      resolve();
    });
    stream.on('error', () => resolve());
  });
  const done = (async () => {
    const [result] = await Promise.all([child, streamDone]);
    return { exitCode: result.exitCode, signal: result.signal };
  })();
  return { child, done };
}
