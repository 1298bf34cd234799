/**
 * The tracer's event stream (tracer/PROTOCOL.md): versioned JSON lines. The first line is a
 * `hello` with `v`; then `item` events (one per new thing the workload did), `counts` with
 * running totals, `lost`, `stats`, `warning`/`error`, `exit` and `end`.
 *
 * Parsing is strict about what whittle relies on and lenient about extra fields, so a newer
 * tracer can add fields without breaking an older whittle; an unknown protocol version is an
 * error that says what to do.
 */
import { z } from 'zod';

/** The protocol version this whittle speaks. */
export const PROTOCOL_VERSION = 1;

const origin = {
  t: z.number(),
  pid: z.number().int().optional(),
  exe: z.string().optional(),
  syscall: z.string().optional(),
};

/** A syscall number seen for the first time on an ABI. */
export const syscallItem = z.object({
  type: z.literal('item'),
  id: z.number().int(),
  kind: z.literal('syscall'),
  arch: z.enum(['x86_64', 'x86', 'x32']),
  nr: z.number().int(),
  name: z.string().nullable(),
  /** Set when another layer than the workload made it: "runtime", a container runtime's own call after it installed the container's filter. */
  layer: z.enum(['runtime']).optional(),
  ...origin,
});

/** A path with an access kind and a result. */
export const pathItem = z.object({
  type: z.literal('item'),
  id: z.number().int(),
  kind: z.literal('path'),
  path: z.string(),
  access: z.enum(['read', 'write', 'create', 'remove', 'rename', 'link', 'exec', 'stat', 'readdir', 'chmod', 'chown', 'ioctl', 'mount-target']),
  result: z.string(),
  symlinkTarget: z.string().optional(),
  ...origin,
});

/** A program the workload executed. */
export const execItem = z.object({
  type: z.literal('item'),
  id: z.number().int(),
  kind: z.literal('exec'),
  path: z.string(),
  argv0: z.string(),
  result: z.string(),
  ...origin,
});

/** A mount, umount, pivot_root, or namespace operation (unshare, setns, clone with CLONE_NEW*). */
export const mountItem = z.object({
  type: z.literal('item'),
  id: z.number().int(),
  kind: z.literal('mount'),
  op: z.string(),
  source: z.string(),
  target: z.string(),
  fstype: z.string(),
  flags: z.string(),
  data: z.string().optional(),
  result: z.string(),
  ...origin,
});

/** A socket opened, or an address bound, connected or sent to. */
export const netItem = z.object({
  type: z.literal('item'),
  id: z.number().int(),
  kind: z.literal('net'),
  family: z.string(),
  socktype: z.string().nullable(),
  op: z.string(),
  port: z.number().int().nullable(),
  addr: z.string().optional(),
  result: z.string(),
  ...origin,
});

/** A capability check made by the kernel on behalf of the workload. */
export const capItem = z.object({
  type: z.literal('item'),
  id: z.number().int(),
  kind: z.literal('cap'),
  name: z.string(),
  bySyscall: z.string().nullable(),
  granted: z.boolean(),
  class: z.enum(['required', 'advisory']),
  inferred: z.boolean(),
  ...origin,
});

/** Enforce mode: a syscall the filter answered with an errno. */
export const deniedItem = z.object({
  type: z.literal('item'),
  id: z.number().int(),
  kind: z.literal('denied'),
  /** syscall: a real denial; probe: ENOSYS for a call programs probe (not a denial); family: a socket family not accepted */
  class: z.enum(['syscall', 'probe', 'family']),
  arch: z.enum(['x86_64', 'x86', 'x32']),
  nr: z.number().int(),
  name: z.string().nullable(),
  errno: z.string(),
  ...origin,
});

export const itemEvent = z.discriminatedUnion('kind', [syscallItem, pathItem, execItem, mountItem, netItem, capItem, deniedItem]);

/** The first line of an enforce session (whittle run). */
export const enforceHelloEvent = z.object({
  type: z.literal('hello'),
  v: z.number().int(),
  tracer: z.string(),
  mode: z.literal('enforce'),
  landlockAbi: z.number().int(),
  pathDenials: z.boolean(),
  pathDenialsWhy: z.string().optional(),
  tracerPid: z.number().int(),
});

export const helloEvent = z.object({
  type: z.literal('hello'),
  v: z.number().int(),
  tracer: z.string(),
  version: z.string(),
  mechanism: z.enum(['seccomp', 'ebpf']),
  kernel: z.string(),
  machine: z.string(),
  libseccomp: z.string(),
  libseccompHorizon: z.number().int(),
  capabilities: z.enum(['cap_capable', 'inferred']),
  pathResults: z.boolean(),
  tracerPid: z.number().int(),
});

export const startedEvent = z.object({
  type: z.literal('started'),
  pid: z.number().int(),
  path: z.string(),
  argv: z.array(z.string()),
  cgroup: z.string().optional(),
  cgroupPath: z.string().optional(),
});

/** Container sessions: the runtime sent the container's state (its init pid) and the notify descriptor. */
export const containerEvent = z.object({
  type: z.literal('container'),
  pid: z.number().int(),
  id: z.string().nullable(),
  /** false: the runtime sent no seccomp notify descriptor, so arguments are not recorded */
  notify: z.boolean(),
});

export const countsEvent = z.object({
  type: z.literal('counts'),
  c: z.array(z.tuple([z.number().int(), z.number().int()])),
});

export const lostEvent = z.object({
  type: z.literal('lost'),
  total: z.number().int(),
  counters: z.record(z.string(), z.number().int()),
  explain: z.record(z.string(), z.string()).optional(),
});

export const statsEvent = z.object({ type: z.literal('stats') }).catchall(z.unknown());

export const messageEvent = z.object({
  type: z.enum(['warning', 'error']),
  message: z.string(),
  hint: z.string().optional(),
  /** For the person now, even from a quiet command: the session waits on them. */
  now: z.boolean().optional(),
});

/** A tracer's warning or error as one line: "warning: MESSAGE (HINT)". */
export function messageText(m: { type: string; message: string; hint?: string }): string {
  return `${m.type}: ${m.message}${m.hint ? ` (${m.hint})` : ''}`;
}

export const exitEvent = z.object({
  type: z.literal('exit'),
  pid: z.number().int(),
  code: z.number().int().nullable(),
  signal: z.string().nullable(),
  coreDumped: z.boolean().optional(),
  execError: z.string().optional(),
  setupError: z.string().optional(),
  status: z.number().int(),
  processes: z.number().int(),
});

export const endEvent = z.object({
  type: z.literal('end'),
  items: z.number().int(),
  processes: z.number().int(),
  elapsed: z.number(),
  status: z.number().int(),
});

export type SyscallItem = z.infer<typeof syscallItem>;
export type PathItem = z.infer<typeof pathItem>;
export type ExecItem = z.infer<typeof execItem>;
export type MountItem = z.infer<typeof mountItem>;
export type NetItem = z.infer<typeof netItem>;
export type CapItem = z.infer<typeof capItem>;
export type DeniedItem = z.infer<typeof deniedItem>;
export type EnforceHelloEvent = z.infer<typeof enforceHelloEvent>;
export type ItemEvent = z.infer<typeof itemEvent>;
export type HelloEvent = z.infer<typeof helloEvent>;
export type StartedEvent = z.infer<typeof startedEvent>;
export type ContainerEvent = z.infer<typeof containerEvent>;
export type CountsEvent = z.infer<typeof countsEvent>;
export type LostEvent = z.infer<typeof lostEvent>;
export type StatsEvent = z.infer<typeof statsEvent>;
export type MessageEvent = z.infer<typeof messageEvent>;
export type ExitEvent = z.infer<typeof exitEvent>;
export type EndEvent = z.infer<typeof endEvent>;

/** Every event whittle understands. */
export type TracerEvent =
  | HelloEvent
  | EnforceHelloEvent
  | StartedEvent
  | ContainerEvent
  | ItemEvent
  | CountsEvent
  | LostEvent
  | StatsEvent
  | MessageEvent
  | ExitEvent
  | EndEvent;

/** A line the parser could not accept: reported, never dropped silently. */
export class ProtocolError extends Error {
  constructor(
    message: string,
    readonly line: string,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}

const byType: Record<string, z.ZodType> = {
  hello: helloEvent,
  started: startedEvent,
  container: containerEvent,
  counts: countsEvent,
  lost: lostEvent,
  stats: statsEvent,
  warning: messageEvent,
  error: messageEvent,
  exit: exitEvent,
  end: endEvent,
};

const accessKinds = new Set(pathItem.shape.access.options as readonly string[]);
const str = (v: unknown): v is string => typeof v === 'string';
const int = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const optStr = (v: unknown) => v === undefined || typeof v === 'string';
const optInt = (v: unknown) => v === undefined || int(v);
const strOrNull = (v: unknown) => v === null || typeof v === 'string';
const intOrNull = (v: unknown) => v === null || int(v);

/**
 * The hot events (items and counts: a busy workload sends hundreds of thousands) are checked by
 * hand against the same shapes as the zod schemas above, which stay the reference (a unit test
 * holds the two to the same verdicts). Returns the reason it is bad, or null when it is good.
 */
function fastCheck(e: Record<string, unknown>): string | null {
  if (e.type === 'counts') {
    const c = e.c;
    if (!Array.isArray(c)) return 'c: expected an array';
    for (const pair of c) {
      if (!Array.isArray(pair) || pair.length !== 2 || !int(pair[0]) || !int(pair[1])) return 'c: expected [id, total] pairs of integers';
    }
    return null;
  }
  if (!int(e.id)) return 'id: expected an integer';
  if (typeof e.t !== 'number') return 't: expected a number';
  if (!optInt(e.pid) || !optStr(e.exe) || !optStr(e.syscall)) return 'pid/exe/syscall: wrong type';
  switch (e.kind) {
    case 'syscall':
      if (e.arch !== 'x86_64' && e.arch !== 'x86' && e.arch !== 'x32') return 'arch: expected x86_64, x86 or x32';
      if (!int(e.nr)) return 'nr: expected an integer';
      if (e.layer !== undefined && e.layer !== 'runtime') return 'layer: expected "runtime" or nothing';
      return strOrNull(e.name) ? null : 'name: expected a string or null';
    case 'path':
      if (!str(e.path)) return 'path: expected a string';
      if (!str(e.access) || !accessKinds.has(e.access)) return `access: unknown kind ${JSON.stringify(e.access)}`;
      if (!str(e.result)) return 'result: expected a string';
      return optStr(e.symlinkTarget) ? null : 'symlinkTarget: expected a string';
    case 'exec':
      return str(e.path) && str(e.argv0) && str(e.result) ? null : 'path/argv0/result: expected strings';
    case 'mount':
      return str(e.op) && str(e.source) && str(e.target) && str(e.fstype) && str(e.flags) && str(e.result) && optStr(e.data)
        ? null
        : 'op/source/target/fstype/flags/result: expected strings';
    case 'net':
      return str(e.family) && strOrNull(e.socktype) && str(e.op) && intOrNull(e.port) && optStr(e.addr) && str(e.result)
        ? null
        : 'family/socktype/op/port/addr/result: wrong type';
    case 'denied':
      return (e.class === 'syscall' || e.class === 'probe' || e.class === 'family') && (e.arch === 'x86_64' || e.arch === 'x86' || e.arch === 'x32') && int(e.nr) && strOrNull(e.name) && str(e.errno)
        ? null
        : 'class/arch/nr/name/errno: wrong type';
    case 'cap':
      return str(e.name) && strOrNull(e.bySyscall) && typeof e.granted === 'boolean' && (e.class === 'required' || e.class === 'advisory') && typeof e.inferred === 'boolean'
        ? null
        : 'name/bySyscall/granted/class/inferred: wrong type';
    default:
      return `kind: unknown item kind ${JSON.stringify(e.kind)}`;
  }
}

/** Parse one line of the stream. Throws ProtocolError with what was wrong. */
export function parseEvent(line: string): TracerEvent {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (e) {
    throw new ProtocolError(`not JSON: ${(e as Error).message}`, line);
  }
  if (typeof raw !== 'object' || raw === null || typeof (raw as { type?: unknown }).type !== 'string') {
    throw new ProtocolError('an event must be an object with a "type"', line);
  }
  const type = (raw as { type: string }).type;
  if (type === 'hello') {
    const v = (raw as { v?: unknown }).v;
    if (v !== PROTOCOL_VERSION) {
      throw new ProtocolError(
        `the tracer speaks protocol version ${String(v)}, this whittle speaks ${PROTOCOL_VERSION}: rebuild both from the same checkout (npm run build)`,
        line,
      );
    }
  }
  if (type === 'item' || type === 'counts') {
    const bad = fastCheck(raw as Record<string, unknown>);
    if (bad) throw new ProtocolError(`bad "${type}" event: ${bad}`, line);
    return raw as TracerEvent;
  }
  const schema = type === 'hello' && (raw as { mode?: unknown }).mode === 'enforce' ? enforceHelloEvent : byType[type];
  if (!schema) throw new ProtocolError(`unknown event type "${type}"`, line);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ProtocolError(`bad "${type}" event: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`, line);
  }
  return parsed.data as TracerEvent;
}

/**
 * Split a byte stream into lines and parse each. Keeps the partial last line between chunks.
 * Bad lines go to onError (with the line), so nothing is dropped silently.
 */
export class EventLineReader {
  private rest = '';
  constructor(
    private readonly onEvent: (e: TracerEvent) => void,
    private readonly onError: (e: ProtocolError) => void,
  ) {}

  push(chunk: string): void {
    const text = this.rest + chunk;
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      const line = text.slice(start, nl);
      start = nl + 1;
      if (line.length === 0) continue;
      this.handle(line);
    }
    this.rest = text.slice(start);
  }

  /** End of stream: a trailing line without a newline is still an event (or an error). */
  end(): void {
    if (this.rest.length > 0) this.handle(this.rest);
    this.rest = '';
  }

  private handle(line: string): void {
    try {
      this.onEvent(parseEvent(line));
    } catch (e) {
      if (e instanceof ProtocolError) this.onError(e);
      else throw e;
    }
  }
}
