/**
 * Reading a policy from FILE, wherever one is expected: a snapshot (its decisions make the
 * policy) or an exported *.whittle.json — told apart by the `kind` inside, never by the name.
 */
import os from 'node:os';
import { z } from 'zod';
import { buildPolicy, POLICY_KIND, POLICY_SCHEMA_VERSION, unknownSyscallNames, type Policy } from '../model/policy.js';
import { accessKinds } from '../model/items.js';
import { InputError } from './errors.js';
import { readKind, SnapshotFile, SNAPSHOT_KIND } from './snapshot.js';
import type { SnapshotDoc } from './schema.js';

/** One provenance record (the reference for provenanceProblem below). */
export const provenanceSchema = z.object({
  snapshot: z.string().optional(),
  count: z.number().int(),
  exe: z.string().optional(),
  firstSeen: z.number().optional(),
  decidedBy: z.enum(['auto', 'person', 'undecided']).optional(),
});

const decidedByValues = new Set(['auto', 'person', 'undecided']);
const optional = (v: unknown, type: 'string' | 'number') => v === undefined || typeof v === type;

/**
 * What is wrong with one provenance record, or null: the same verdicts as the zod `provenance`
 * schema above (a unit test holds them together), checked by hand because a policy whose globs
 * cover many items carries one record per item (200,000 for the file benchmark), and zod spent
 * longer on those than on everything else whittle run does before the workload starts.
 */
export function provenanceProblem(v: unknown): string | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'expected an object';
  const r = v as Record<string, unknown>;
  if (typeof r.count !== 'number' || !Number.isInteger(r.count)) return 'count: expected an integer';
  if (!optional(r.snapshot, 'string') || !optional(r.exe, 'string')) return 'snapshot/exe: expected a string';
  if (!optional(r.firstSeen, 'number')) return 'firstSeen: expected a number';
  if (r.decidedBy !== undefined && !decidedByValues.has(r.decidedBy as string)) return 'decidedBy: expected "auto", "person" or "undecided"';
  return null;
}

const provenanceRecord = z.unknown().superRefine((v, ctx) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    ctx.addIssue({ code: 'custom', message: 'expected an object of provenance records' });
    return;
  }
  for (const [key, rec] of Object.entries(v)) {
    const bad = provenanceProblem(rec);
    if (bad) {
      ctx.addIssue({ code: 'custom', path: [key], message: bad });
      return;
    }
  }
});

export const policySchema = z.object({
  kind: z.literal(POLICY_KIND),
  schemaVersion: z.literal(POLICY_SCHEMA_VERSION),
  createdAt: z.string(),
  generatedBy: z.string(),
  arch: z.object({ native: z.string(), abis: z.array(z.string()) }),
  horizon: z.object({ kernel: z.string(), libseccomp: z.number().int(), syscall: z.number().int() }),
  workload: z.object({ argv: z.array(z.string()) }),
  syscalls: z.object({
    allow: z.array(z.string()),
    deny: z.array(z.object({ name: z.string(), errno: z.string() })),
    enosys: z.array(z.string()),
    defaultErrno: z.string(),
    implied: z.array(z.object({ name: z.string(), because: z.string() })).optional(),
  }),
  paths: z.array(
    z.object({
      pattern: z.string(),
      access: z.array(z.enum(accessKinds)),
      action: z.enum(['allow', 'deny']),
      errno: z.string().optional(),
      symlinkTarget: z.string().optional(),
      absent: z.boolean().optional(),
      covers: z.number().int().optional(),
      from: z.array(provenanceSchema).optional(),
    }),
  ),
  mounts: z.array(
    z.object({ op: z.string(), source: z.string(), target: z.string(), fstype: z.string(), flags: z.string(), from: z.array(provenanceSchema).optional() }),
  ),
  network: z.object({ allow: z.array(z.string()), deny: z.array(z.string()) }),
  capabilities: z.object({ allow: z.array(z.string()), inferred: z.array(z.string()) }),
  runtimeLayer: z.object({ runtime: z.string(), syscalls: z.array(z.string()) }).optional(),
  undecided: z.object({ count: z.number().int(), treatedAs: z.enum(['deny', 'accept']) }),
  sources: z.array(z.object({ snapshot: z.string(), createdAt: z.string(), mechanism: z.string() })),
  provenance: provenanceRecord,
});

export interface LoadedPolicy {
  policy: Policy;
  from: 'snapshot' | 'policy';
  /** The snapshot, when the policy was built from one. */
  snapshot?: SnapshotDoc;
}

/** Build the policy of an opened snapshot. */
export function policyOfSnapshot(doc: SnapshotDoc, file: string, undecided: 'deny' | 'accept' = 'deny'): Policy {
  if (doc.status !== 'complete') {
    throw new InputError(`${file} is ${doc.status}: ${doc.statusReason ?? 'the session did not end normally'}`, 'record the workload again: a policy from part of a run misses what the rest needed');
  }
  return buildPolicy(
    {
      observed: doc.observed,
      decisions: doc.decisions as never,
      argv: doc.workload.argv,
      snapshot: file,
      createdAt: doc.createdAt,
      mechanism: doc.recorder?.mechanism ?? 'unknown',
      kernel: doc.host.kernel,
      libseccompHorizon: doc.recorder?.libseccompHorizon ?? 0,
      ...(doc.container ? { runtime: doc.container.runtime } : {}),
    },
    { undecided },
  );
}

/** Check a policy can be used on this machine: architecture, syscall names. */
export function checkPolicy(p: Policy, file: string): void {
  const machine = os.machine();
  if (p.arch.native !== machine) {
    throw new InputError(`${file} is a policy for ${p.arch.native}; this machine is ${machine}`, 'learn the workload again on this architecture');
  }
  const unknown = unknownSyscallNames(p);
  if (unknown.length) {
    throw new InputError(
      `${file} names syscall(s) that do not exist: ${unknown.slice(0, 8).join(', ')}${unknown.length > 8 ? ', …' : ''}`,
      'fix the names (whittle uses the kernel/libseccomp names, e.g. newfstatat, not fstatat)',
    );
  }
}

/** Load FILE as a policy (see the module comment). */
export async function loadPolicy(file: string, opts: { undecided?: 'deny' | 'accept' } = {}): Promise<LoadedPolicy> {
  const { kind, raw } = await readKind(file);
  if (kind === SNAPSHOT_KIND) {
    const snap = await SnapshotFile.fromParsed(file, raw);
    const policy = policyOfSnapshot(snap.doc, file, opts.undecided);
    checkPolicy(policy, file);
    return { policy, from: 'snapshot', snapshot: snap.doc };
  }
  if (kind !== POLICY_KIND) {
    throw new InputError(`${file} is a "${kind}", not a whittle snapshot or policy`, 'give a snapshot from whittle learn, or a *.whittle.json from whittle export');
  }
  const v = (raw as { schemaVersion?: unknown }).schemaVersion;
  if (typeof v === 'number' && v > POLICY_SCHEMA_VERSION) {
    throw new InputError(`${file} was written by a newer whittle (policy schema ${v}; this whittle reads ${POLICY_SCHEMA_VERSION})`, 'upgrade whittle to use it');
  }
  const parsed = policySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(`${file} is not a valid whittle policy: at ${issue?.path.join('.') || '(top)'}: ${issue?.message}`, 'export it again with whittle export --format whittle');
  }
  const policy = parsed.data as unknown as Policy;
  checkPolicy(policy, file);
  return { policy, from: 'policy' };
}
