/**
 * The snapshot document: one lowdb JSON file holding what a learning session recorded and the
 * decisions made on it (design.md, "The contract"). Every file read is validated against this
 * schema; an old or newer version fails with a message that says what to do.
 */
import { z } from 'zod';

import { SNAPSHOT_KIND, SNAPSHOT_SCHEMA_VERSION } from './kinds.js';
export { SNAPSHOT_KIND, SNAPSHOT_SCHEMA_VERSION };

const first = z.object({
  pid: z.number().int().optional(),
  exe: z.string().optional(),
  syscall: z.string().optional(),
  t: z.number(),
});
const counted = { count: z.number().int().nonnegative(), first, denied: z.boolean().optional() };

export const accessKinds = ['read', 'write', 'create', 'remove', 'rename', 'link', 'exec', 'stat', 'readdir', 'chmod', 'chown', 'ioctl', 'mount-target'] as const;

export const observedSchema = z.object({
  syscalls: z.array(
    z.object({ name: z.string(), arch: z.enum(['x86_64', 'x86', 'x32']), nr: z.number().int(), layer: z.enum(['runtime']).optional(), ...counted }),
  ),
  paths: z.array(
    z.object({ path: z.string(), access: z.enum(accessKinds), result: z.string(), symlinkTarget: z.string().optional(), ...counted }),
  ),
  execs: z.array(z.object({ path: z.string(), argv0: z.string(), result: z.string(), ...counted })),
  mounts: z.array(
    z.object({
      op: z.string(),
      source: z.string(),
      target: z.string(),
      fstype: z.string(),
      flags: z.string(),
      data: z.string().optional(),
      result: z.string(),
      ...counted,
    }),
  ),
  network: z.array(
    z.object({
      family: z.string(),
      type: z.string().nullable(),
      op: z.string(),
      port: z.number().int().nullable(),
      addr: z.string().optional(),
      result: z.string(),
      ...counted,
    }),
  ),
  capabilities: z.array(
    z.object({
      name: z.string(),
      syscall: z.string().nullable(),
      granted: z.boolean(),
      class: z.enum(['required', 'advisory']),
      inferred: z.boolean(),
      ...counted,
    }),
  ),
});

/** What a container snapshot knows of the container and the runtime that ran it. */
export const containerSchema = z.object({
  ref: z.string(),
  refKind: z.enum(['bundle', 'oci-layout', 'oci-archive', 'docker-archive', 'podman-image']),
  runtime: z.enum(['runc', 'crun', 'podman']),
  runtimeVersion: z.string(),
  /** podman: the OCI runtime it ran the container with */
  ociRuntime: z.string().optional(),
  id: z.string().optional(),
  pid: z.number().int().optional(),
  /** false: the runtime sent no seccomp listener, so arguments (paths, sockets, mounts) were not recorded */
  argumentsRecorded: z.boolean(),
  /** The container's capabilities before whittle: the bundle's bounding set, or the runtime's default. */
  capabilities: z.object({ set: z.array(z.string()), source: z.string() }),
  /** The container's mounts as its configuration gives them (the runtime makes them before the filter). */
  mounts: z.array(z.object({ destination: z.string(), type: z.string(), source: z.string(), options: z.array(z.string()) })),
  namespaces: z.array(z.string()),
  user: z.object({ uid: z.number().int(), gid: z.number().int() }).optional(),
});

export const snapshotSchema = z.object({
  kind: z.literal(SNAPSHOT_KIND),
  schemaVersion: z.literal(SNAPSHOT_SCHEMA_VERSION),
  /** recording: being written (or whittle died); complete: the session ended normally. */
  status: z.enum(['recording', 'complete', 'incomplete']),
  statusReason: z.string().optional(),
  createdAt: z.string(),
  endedAt: z.string().optional(),
  whittleVersion: z.string(),
  host: z.object({ kernel: z.string(), machine: z.string(), hostname: z.string() }),
  recorder: z
    .object({
      mechanism: z.enum(['seccomp', 'ebpf']),
      tracerVersion: z.string(),
      libseccomp: z.string(),
      libseccompHorizon: z.number().int(),
      capabilities: z.enum(['cap_capable', 'inferred']),
      pathResults: z.boolean(),
    })
    .nullable(),
  workload: z.object({
    argv: z.array(z.string()),
    path: z.string().optional(),
    cwd: z.string(),
    exitStatus: z.number().int().nullable(),
    exit: z
      .object({
        code: z.number().int().nullable(),
        signal: z.string().nullable(),
        coreDumped: z.boolean().optional(),
        execError: z.string().optional(),
      })
      .optional(),
    processes: z.number().int().optional(),
    elapsed: z.number().optional(),
  }),
  /** Learned through a container runtime (whittle learn --container). */
  container: containerSchema.optional(),
  observed: observedSchema,
  lost: z.object({
    total: z.number().int(),
    counters: z.record(z.string(), z.number().int()),
    explain: z.record(z.string(), z.string()),
  }),
  messages: z.array(z.object({ type: z.enum(['warning', 'error']), message: z.string(), hint: z.string().optional() })),
  /** Decisions on items, keyed by item key (model/decisions.ts); empty until someone decides. */
  decisions: z.record(z.string(), z.unknown()).default({}),
});

export type SnapshotDoc = z.infer<typeof snapshotSchema>;

/** A run report (whittle run --report): what an enforced run saw (model/report.ts, RunReport). */
const denialSchema = z.object({
  kind: z.enum(['syscall', 'family', 'path', 'capability']),
  name: z.string(),
  arch: z.string().optional(),
  errno: z.string(),
  path: z.string().optional(),
  access: z.string().optional(),
  family: z.string().optional(),
  hidden: z.boolean().optional(),
  why: z.enum(['unseen', 'undecided', 'decided']).optional(),
  count: z.number().int().nonnegative(),
  first,
});
export const runReportSchema = z.object({
  kind: z.literal('whittle-run-report'),
  schemaVersion: z.literal(1),
  policy: z.string(),
  argv: z.array(z.string()),
  startedAt: z.string(),
  exitStatus: z.number().int().nullable(),
  exit: z.object({ code: z.number().int().nullable(), signal: z.string().nullable(), execError: z.string().optional(), setupError: z.string().optional() }).optional(),
  denials: z.array(denialSchema),
  probes: z.array(z.object({ name: z.string(), arch: z.string(), count: z.number().int().nonnegative() })),
  denialCount: z.number().int().nonnegative(),
  landlockAbi: z.number().int(),
  pathDenialsVisible: z.boolean(),
  pathDenialsWhy: z.string().optional(),
  lost: z.object({ total: z.number().int(), counters: z.record(z.string(), z.number().int()), explain: z.record(z.string(), z.string()).optional() }),
  warnings: z.array(z.string()),
  notEnforced: z.array(z.string()),
  escapes: z.array(z.string()).optional(),
  undecided: z.number().int().nonnegative(),
  started: z.boolean(),
});
