/**
 * The hot paths check input by hand (the tracer's item and counts events; a policy's provenance
 * records), because zod cost more than everything else there. The zod schemas stay the
 * reference: here both must give the same verdict on good input and on each way it can be bad.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { countsEvent, itemEvent, parseEvent, ProtocolError } from '../../src/trace/protocol.js';
import { loadPolicy, provenanceProblem, provenanceSchema } from '../../src/store/policy-file.js';
import { samplePolicy } from '../helpers/sample-policy.js';

const origin = { t: 0.5, pid: 42, exe: '/usr/bin/python3', syscall: 'openat' };
const goodItems: Record<string, Record<string, unknown>> = {
  syscall: { type: 'item', id: 1, kind: 'syscall', arch: 'x86_64', nr: 0, name: 'read', ...origin },
  syscallRuntime: { type: 'item', id: 1, kind: 'syscall', arch: 'x86', nr: 20, name: null, layer: 'runtime', t: 0 },
  path: { type: 'item', id: 2, kind: 'path', path: '/etc/passwd', access: 'read', result: 'ok', ...origin },
  symlink: { type: 'item', id: 2, kind: 'path', path: '/bin', access: 'stat', result: 'ok', symlinkTarget: 'usr/bin', t: 1 },
  exec: { type: 'item', id: 3, kind: 'exec', path: '/bin/sh', argv0: 'sh', result: 'ok', ...origin },
  mount: { type: 'item', id: 4, kind: 'mount', op: 'mount', source: 'tmpfs', target: '/mnt', fstype: 'tmpfs', flags: 'MS_NOSUID', data: 'size=1m', result: 'ok', ...origin },
  net: { type: 'item', id: 5, kind: 'net', family: 'AF_INET', socktype: 'SOCK_STREAM', op: 'connect', port: 80, addr: '127.0.0.1', result: 'ok', ...origin },
  netNoType: { type: 'item', id: 5, kind: 'net', family: 'AF_UNIX', socktype: null, op: 'bind', port: null, result: 'ok', t: 2 },
  cap: { type: 'item', id: 6, kind: 'cap', name: 'CAP_SYS_ADMIN', bySyscall: 'mount', granted: true, class: 'required', inferred: false, ...origin },
  denied: { type: 'item', id: 7, kind: 'denied', class: 'syscall', arch: 'x86_64', nr: 165, name: 'mount', errno: 'EPERM', ...origin },
};

/** One way to break each kind of item (a field of the wrong type, a missing one, a bad enum value). */
const breakages: Array<[string, string, (e: Record<string, unknown>) => void]> = [
  ['syscall', 'arch unknown', (e) => (e.arch = 'arm64')],
  ['syscall', 'nr not an integer', (e) => (e.nr = 1.5)],
  ['syscall', 'name a number', (e) => (e.name = 3)],
  ['syscallRuntime', 'layer unknown', (e) => (e.layer = 'app')],
  ['path', 'access unknown', (e) => (e.access = 'fly')],
  ['path', 'path missing', (e) => delete e.path],
  ['path', 'result a number', (e) => (e.result = 0)],
  ['symlink', 'symlinkTarget null', (e) => (e.symlinkTarget = null)],
  ['exec', 'argv0 missing', (e) => delete e.argv0],
  ['mount', 'data a number', (e) => (e.data = 1)],
  ['mount', 'fstype missing', (e) => delete e.fstype],
  ['net', 'port a string', (e) => (e.port = '80')],
  ['net', 'addr null', (e) => (e.addr = null)],
  ['cap', 'granted a string', (e) => (e.granted = 'yes')],
  ['cap', 'class unknown', (e) => (e.class = 'maybe')],
  ['denied', 'class unknown', (e) => (e.class = 'path')],
  ['denied', 'errno missing', (e) => delete e.errno],
  ['path', 'id a string', (e) => (e.id = '2')],
  ['path', 't missing', (e) => delete e.t],
  ['path', 'pid fractional', (e) => (e.pid = 1.5)],
  ['exec', 'exe a number', (e) => (e.exe = 1)],
  ['exec', 'kind unknown', (e) => (e.kind = 'file')],
];

function handVerdict(e: unknown): boolean {
  try {
    parseEvent(JSON.stringify(e));
    return true;
  } catch (err) {
    expect(err).toBeInstanceOf(ProtocolError);
    return false;
  }
}

describe('item and counts events: the hand check agrees with the zod schemas', () => {
  it.each(Object.entries(goodItems))('accepts a good %s item, as zod does', (_, e) => {
    expect(itemEvent.safeParse(e).success).toBe(true);
    expect(handVerdict(e)).toBe(true);
  });

  it.each(breakages)('rejects a %s item with %s, as zod does, saying what is wrong', (kind, _, breakIt) => {
    const e = structuredClone(goodItems[kind]!);
    breakIt(e);
    expect(itemEvent.safeParse(e).success).toBe(false);
    expect(() => parseEvent(JSON.stringify(e))).toThrow(/bad "item" event: \w+/);
  });

  it.each([
    ['good', { type: 'counts', c: [[1, 10], [2, 3]] }, true],
    ['empty', { type: 'counts', c: [] }, true],
    ['not an array', { type: 'counts', c: { 1: 10 } }, false],
    ['a triple', { type: 'counts', c: [[1, 10, 3]] }, false],
    ['a fractional total', { type: 'counts', c: [[1, 1.5]] }, false],
    ['a string id', { type: 'counts', c: [['1', 2]] }, false],
  ] as const)('counts: %s', (_, e, ok) => {
    expect(countsEvent.safeParse(e).success).toBe(ok);
    expect(handVerdict(e)).toBe(ok);
  });
});

describe('policy provenance records: the hand check agrees with the zod schema', () => {
  it.each([
    ['full', { snapshot: 's.json', count: 3, exe: '/bin/sh', firstSeen: 0.25, decidedBy: 'person' }],
    ['count only', { count: 1 }],
    ['undecided', { count: 1, decidedBy: 'undecided' }],
    ['count fractional', { count: 1.5 }],
    ['count missing', { exe: '/bin/sh' }],
    ['count a string', { count: '1' }],
    ['exe a number', { count: 1, exe: 7 }],
    ['snapshot null', { count: 1, snapshot: null }],
    ['firstSeen a string', { count: 1, firstSeen: '0.1' }],
    ['decidedBy unknown', { count: 1, decidedBy: 'robot' }],
    ['not an object', 'count: 1'],
    ['null', null],
    ['an array', [1]],
  ] as const)('%s', (_, v) => {
    const zodOk = provenanceSchema.safeParse(v).success;
    const bad = provenanceProblem(v);
    expect(bad === null).toBe(zodOk);
  });
});

describe('loading a policy file', () => {
  it('a good exported policy loads; a bad provenance record is a clear error naming the record', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'whittle-fast-'));
    try {
      const p = samplePolicy();
      const keys = Object.keys(p.provenance);
      expect(keys.length).toBeGreaterThan(3);
      const good = path.join(dir, 'good.whittle.json');
      writeFileSync(good, JSON.stringify(p));
      expect((await loadPolicy(good)).policy.provenance).toEqual(p.provenance);
      const bad = path.join(dir, 'bad.whittle.json');
      writeFileSync(bad, JSON.stringify({ ...p, provenance: { ...p.provenance, [keys[2]!]: { count: 'many' } } }));
      await expect(loadPolicy(bad)).rejects.toThrow(`is not a valid whittle policy: at provenance.${keys[2]}: count: expected an integer`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
