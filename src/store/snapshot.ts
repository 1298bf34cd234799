/**
 * Snapshots on disk (lowdb): create (refusing to overwrite unless forced), save atomically,
 * load with validation. Only this module touches lowdb.
 */
import { access, mkdir, readFile, unlink } from 'node:fs/promises';
import { constants } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import { InputError } from './errors.js';
import { SNAPSHOT_KIND, SNAPSHOT_SCHEMA_VERSION } from './kinds.js';
import type { SnapshotDoc } from './schema.js';

/** The zod schema, loaded only when a file is read (learn never pays for it). */
let schema: typeof import('./schema.js') | undefined;
async function loadSchema(): Promise<typeof import('./schema.js')> {
  schema ??= await import('./schema.js');
  return schema;
}

function adapter(file: string): DataFile<SnapshotDoc> {
  return new DataFile<SnapshotDoc>(file, {
    parse: (text) => validateSnapshot(parseJson(text, file), file),
    // Readable when small; compact when large (a 200k-path recording is 30% smaller and
    // written in half the time without indentation).
    stringify: (data) => JSON.stringify(data, null, rows(data) > 5000 ? undefined : 1) + '\n',
  });
}

function rows(d: SnapshotDoc): number {
  const o = d.observed;
  return o ? o.paths.length + o.syscalls.length + o.execs.length + o.mounts.length + o.network.length + o.capabilities.length : 0;
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(
      `${file} is not valid JSON (${(e as Error).message}): the file is corrupt or was cut short`,
      'record it again with `whittle learn --snapshot FILE --force -- CMD`, or restore it from a copy',
    );
  }
}

/** Check a parsed document is a snapshot this whittle can read (after loadSchema()). */
export function validateSnapshot(raw: unknown, file: string): SnapshotDoc {
  if (typeof raw !== 'object' || raw === null) throw new InputError(`${file} is not a whittle snapshot (not a JSON object)`);
  const doc = raw as { kind?: unknown; schemaVersion?: unknown };
  if (doc.kind !== SNAPSHOT_KIND) {
    throw new InputError(
      `${file} is not a whittle snapshot (kind is ${JSON.stringify(doc.kind)}, expected "${SNAPSHOT_KIND}")`,
      doc.kind === 'whittle-policy' ? 'this is an exported policy: use it with `whittle run --profile` or `whittle export`' : undefined,
    );
  }
  if (typeof doc.schemaVersion !== 'number') throw new InputError(`${file} has no schemaVersion: it is not a snapshot this whittle wrote`);
  if (doc.schemaVersion > SNAPSHOT_SCHEMA_VERSION) {
    throw new InputError(
      `${file} was written by a newer whittle (snapshot schema ${doc.schemaVersion}; this whittle reads up to ${SNAPSHOT_SCHEMA_VERSION})`,
      'upgrade whittle to read it',
    );
  }
  if (doc.schemaVersion < SNAPSHOT_SCHEMA_VERSION) {
    throw new InputError(
      `${file} uses snapshot schema ${doc.schemaVersion}, which this whittle cannot migrate (it reads ${SNAPSHOT_SCHEMA_VERSION})`,
      'record the workload again with this whittle',
    );
  }
  if (!schema) throw new Error('internal: snapshot schema not loaded before validation');
  const parsed = schema.snapshotSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(
      `${file} is not a valid snapshot: at ${issue?.path.join('.') || '(top)'}: ${issue?.message}`,
      'the file was edited or damaged; record the workload again',
    );
  }
  return parsed.data;
}

/** The rescue copy of a snapshot that cannot be written where it belongs (one per file and process). */
function rescuePath(file: string): string {
  return path.join(os.tmpdir(), `whittle-rescue-${process.pid}-${path.basename(file)}`);
}

/** An open snapshot file. */
export class SnapshotFile {
  private constructor(
    readonly file: string,
    private readonly db: Low<SnapshotDoc>,
  ) {}

  get doc(): SnapshotDoc {
    return this.db.data;
  }

  /** Put a whole new document in place (saved by the next save()); nothing of the old one stays. */
  replaceDoc(doc: SnapshotDoc): void {
    this.db.data = doc;
  }

  /**
   * Where the last save went when the snapshot's own file could not be written (its directory
   * removed, the disk full): a copy in the temporary directory, so what was recorded and decided
   * is not lost. Cleared by the next save that reaches the file itself.
   */
  rescuedTo?: string;

  /** Where the document is now on disk: the file, or its rescue copy. */
  get savedAt(): string {
    return this.rescuedTo ?? this.file;
  }

  /**
   * Write the whole document atomically (temp file + rename). When the file cannot be written,
   * the document goes to a rescue copy and the error says where (and how to put it back).
   */
  async save(): Promise<void> {
    return this.write(true);
  }

  private async write(rescue: boolean): Promise<void> {
    try {
      await this.db.write();
      this.rescuedTo = undefined;
      return;
    } catch (e) {
      const why = `cannot write snapshot ${this.file}: ${(e as Error).message}`;
      if (!rescue) throw new InputError(why, 'check the directory exists and is writable');
      const copy = this.rescuedTo ?? rescuePath(this.file);
      try {
        await adapter(copy).write(this.db.data);
      } catch (e2) {
        throw new InputError(`${why}; nor a copy at ${copy} (${(e2 as Error).message}): what was recorded is lost`, 'check the directories exist and are writable, and that the disk is not full');
      }
      this.rescuedTo = copy;
      throw new InputError(`${why} — nothing is lost: it was saved to ${copy} instead`, `put it back once the place is writable: mv ${copy} ${this.file}`);
    }
  }

  /**
   * Start a new snapshot file with doc. Refuses an existing file unless force; fails early
   * (before any workload runs) when the place is not writable.
   */
  static async create(file: string, doc: SnapshotDoc, opts: { force: boolean }): Promise<SnapshotFile> {
    const exists = await access(file, constants.F_OK).then(
      () => true,
      () => false,
    );
    if (exists && !opts.force) {
      throw new InputError(`snapshot ${file} already exists`, 'pick another --snapshot path, or add --force to replace it');
    }
    const dir = path.dirname(path.resolve(file));
    try {
      await mkdir(dir, { recursive: true });
    } catch (e) {
      throw new InputError(`cannot create the directory ${dir} for the snapshot: ${(e as Error).message}`, 'choose a writable --snapshot path');
    }
    const db = new Low<SnapshotDoc>(adapter(file), doc);
    db.data = doc;
    const s = new SnapshotFile(file, db);
    // nothing recorded yet: an unwritable place is an error, not a reason for a rescue copy
    await s.write(false);
    return s;
  }

  /** Open and validate an existing snapshot. */
  static async open(file: string): Promise<SnapshotFile> {
    await loadSchema();
    try {
      await access(file, constants.R_OK);
    } catch {
      throw new InputError(`cannot read snapshot ${file}: no such file, or not readable`, 'give the path `whittle learn --snapshot` wrote');
    }
    const db = new Low<SnapshotDoc>(adapter(file), {} as SnapshotDoc);
    try {
      await db.read();
    } catch (e) {
      if (e instanceof InputError) throw e;
      if ((e as NodeJS.ErrnoException).code === 'EISDIR') throw new InputError(`${file} is a directory, not a snapshot`, 'give the snapshot file inside it (whittle learn writes snapshots/<cmd>-<time>.json)');
      throw new InputError(`cannot read snapshot ${file}: ${(e as Error).message}`);
    }
    if (!db.data) throw new InputError(`snapshot ${file} is empty`);
    return new SnapshotFile(file, db);
  }

  /** A snapshot already read and parsed (by readKind): validated, not read a second time. */
  static async fromParsed(file: string, raw: unknown): Promise<SnapshotFile> {
    await loadSchema();
    const db = new Low<SnapshotDoc>(adapter(file), validateSnapshot(raw, file));
    return new SnapshotFile(file, db);
  }

  /** Remove the file (a session that never started leaves nothing behind). */
  async remove(): Promise<void> {
    await unlink(this.file).catch(() => undefined);
  }
}

/** Read any whittle JSON file and tell what it is by its `kind` (never by its name). */
export async function readKind(file: string): Promise<{ kind: string; raw: unknown }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  const raw = parseJson(text, file);
  const kind = typeof raw === 'object' && raw !== null ? (raw as { kind?: unknown }).kind : undefined;
  if (typeof kind !== 'string') throw new InputError(`${file} is not a whittle file (no "kind" field)`, 'give a snapshot or an exported *.whittle.json policy');
  return { kind, raw };
}

export { SNAPSHOT_KIND, SNAPSHOT_SCHEMA_VERSION, loadSchema };
export type { SnapshotDoc };
