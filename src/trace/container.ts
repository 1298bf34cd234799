/**
 * The tracer's container sessions (`whittle-tracer container …`, tracer/src/container.c): the
 * learn profile a runtime is given, and the learn and enforce sessions around the runtime.
 */
import { execFileSync } from 'node:child_process';
import { spawnTracer, tracerPath, type TracerRun } from './tracer-process.js';

/** The OCI seccomp object (linux.seccomp) for learning: default SCMP_ACT_LOG, SCMP_ACT_NOTIFY with a listener for the argument-carrying syscalls. */
export function learnProfile(listener: string, flags: string[] = []): Record<string, unknown> {
  const out = execFileSync(tracerPath(), ['container', 'profile', '--listener', listener, ...flags.flatMap((f) => ['--flag', f])], { encoding: 'utf8' });
  return JSON.parse(out) as Record<string, unknown>;
}

export interface ContainerSessionOptions {
  /** The runtime's command (runc run …, podman run …); "@WHITTLE_CGROUP@" in it becomes the session's cgroup. */
  argv: string[];
  /** A bundle's config.json whose "@WHITTLE_CGROUP@" becomes the session's cgroup. */
  config?: string;
  /** The runtime's own exe and comm after it installed the filter (its calls are the runtime's layer). */
  runtimeExes?: string[];
  runtimeComms?: string[];
  env?: Record<string, string>;
}

/** Learn: the runtime sends the container's listener to `listener`. Events on descriptor 3. */
export function spawnContainerLearn(o: ContainerSessionOptions & { listener: string; rcvbuf?: string }): TracerRun {
  return spawnTracer(['container', 'learn', ...sessionArgs(o, '3'), '--listener', o.listener, ...(o.rcvbuf ? ['--rcvbuf', o.rcvbuf] : []), '--', ...o.argv], o.env);
}

/** The learn session's arguments for a tracer started elsewhere (the TUI's pane): --events is "unix:". */
export function containerLearnArgs(o: ContainerSessionOptions & { listener: string }): string[] {
  return ['container', 'learn', ...sessionArgs(o, 'unix:'), '--listener', o.listener, '--', ...o.argv];
}

/** Enforce: denials from the kernel's records and the in-kernel probe (syscallDenials: EPERM/EACCES returns too, for a runtime that cannot log them). */
export function spawnContainerRun(o: ContainerSessionOptions & { syscallDenials: boolean }): TracerRun {
  return spawnTracer(['container', 'run', ...sessionArgs(o, '3'), ...(o.syscallDenials ? ['--syscall-denials'] : []), '--', ...o.argv], o.env);
}

function sessionArgs(o: ContainerSessionOptions, events: string): string[] {
  const args: string[] = ['--events', events];
  if (o.config) args.push('--config', o.config);
  for (const x of o.runtimeExes ?? []) args.push('--runtime-exe', x);
  for (const c of o.runtimeComms ?? []) args.push('--runtime-comm', c);
  return args;
}
