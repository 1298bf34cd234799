/**
 * The landlock exporter: golden ruleset from the sample policy, tables for how access kinds
 * become LANDLOCK_ACCESS_FS_* rights (on the path or on its directory), and a check that every
 * right it names is a real kernel flag: against /usr/include/linux/landlock.h, and — for the
 * rights newer than Debian's header — against the running kernel. WHITTLE_UPDATE_GOLDEN=1 rewrites goldens.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { landlockExporter, landlockFsRights, renderLandlock, type LandlockRuleset } from '../../src/export/landlock.js';
import { enforceSpec, enforcementGaps, moveGroups, viewEntries } from '../../src/launch/plan.js';
import type { PathRule, Policy } from '../../src/model/policy.js';
import { samplePolicy } from '../helpers/sample-policy.js';
import { golden } from '../helpers/golden.js';


const rule = (pattern: string, access: PathRule['access'], action: PathRule['action'] = 'allow', extra: Partial<PathRule> = {}): PathRule => ({ pattern, access, action, ...extra });

function policy(paths: PathRule[], extra: Partial<Policy> = {}): Policy {
  return { ...samplePolicy(), paths, mounts: [], network: { allow: [], deny: [] }, capabilities: { allow: [], inferred: [] }, ...extra };
}
const rules = (p: Policy) => renderLandlock(p).ruleset.rules;
const rightsAt = (p: Policy, at: string) => rules(p).find((r) => r.path === at)?.access;

describe('landlock golden', () => {
  it('renders the sample policy as the golden ruleset', () => {
    const r = landlockExporter.render(samplePolicy(), { name: 'app' });
    expect(r.artifacts).toHaveLength(1);
    expect(r.artifacts[0]!.suffix).toBeNull();
    golden('landlock', 'app.landlock.json', r.artifacts[0]!.content as string);
    golden('landlock', 'app.unexpressed.json', JSON.stringify(r.unexpressed, null, 2) + '\n');
  });

  it('is JSON with exactly abi, handledAccessFs and rules (path, access, and beneath when set)', () => {
    const text = landlockExporter.render(samplePolicy(), { name: 'app' }).artifacts[0]!.content as string;
    const j = JSON.parse(text) as LandlockRuleset;
    expect(Object.keys(j)).toEqual(['abi', 'handledAccessFs', 'rules']);
    for (const r of j.rules) expect(Object.keys(r)).toEqual(r.beneath ? ['path', 'access', 'beneath'] : ['path', 'access']);
    expect(j.rules.some((r) => r.beneath === true)).toBe(true);
    expect(landlockExporter.defaultName({ name: 'app' })).toBe('app.landlock.json');
  });
});

describe('landlock rights are real LANDLOCK_ACCESS_FS_* flags', () => {
  const header = '/usr/include/linux/landlock.h';
  const all = landlockFsRights.map((r) => r.name);

  it('every right the ruleset names is in the table, in bit order, each rule within handledAccessFs', () => {
    const { ruleset } = renderLandlock(samplePolicy());
    expect(ruleset.handledAccessFs).toEqual(all);
    for (const r of ruleset.rules) {
      for (const a of r.access) expect(ruleset.handledAccessFs).toContain(a);
      const bits = r.access.map((a) => landlockFsRights.find((x) => x.name === a)!.bit);
      expect(bits).toEqual([...bits].sort((a, b) => a - b));
    }
  });

  it('matches the kernel header: same names and bits for every flag the header defines', () => {
    if (!existsSync(header)) throw new Error(`${header} is missing: install linux-libc-dev (the setup does)`);
    const defs = new Map<string, number>();
    for (const m of readFileSync(header, 'utf8').matchAll(/#define\s+LANDLOCK_ACCESS_FS_(\w+)\s+\(1ULL << (\d+)\)/g)) defs.set(m[1]!, Number(m[2]));
    expect(defs.size).toBeGreaterThanOrEqual(13);
    for (const [name, bit] of defs) expect(landlockFsRights.find((r) => r.name === name)?.bit, name).toBe(bit);
    // the only names the header lacks are the ones newer than Debian's header (checked on the kernel below)
    const newer = landlockFsRights.filter((r) => !defs.has(r.name));
    for (const r of newer) expect(r.abi, r.name).toBeGreaterThan(Math.max(...landlockFsRights.filter((x) => defs.has(x.name)).map((x) => x.abi)));
  });

  it('the running kernel accepts every right as a handled right, and refuses the next bit', () => {
    // landlock_create_ruleset(attr, size, 0) with one handled bit: a fd for a real right, EINVAL
    // for a bit the kernel does not know. Only a ruleset fd is made: nothing is restricted.
    const dir = mkdtempSync(path.join(tmpdir(), 'whittle-ll-'));
    try {
      const src = path.join(dir, 'probe.c');
      writeFileSync(
        src,
        `#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
int main(int argc, char **argv) {
  /* LANDLOCK_CREATE_RULESET_VERSION (1): the highest ABI the kernel has */
  printf("abi %ld\\n", syscall(444, NULL, 0, 1UL));
  for (int i = 1; i < argc; i++) {
    uint64_t attr[1] = { 1ULL << atoi(argv[i]) };
    long fd = syscall(444 /* landlock_create_ruleset */, attr, sizeof attr, 0);
    printf("%s %s\\n", argv[i], fd >= 0 ? "ok" : strerrorname_np(errno));
    if (fd >= 0) close((int)fd);
  }
  return 0;
}
`,
      );
      try {
        execFileSync('gcc', ['-O1', '-o', path.join(dir, 'probe'), src], { stdio: 'pipe' });
      } catch (e) {
        throw new Error(`gcc is needed to ask the kernel about Landlock rights (the tracer build needs it too): ${(e as Error).message}`);
      }
      const bits = [...landlockFsRights.map((r) => r.bit), Math.max(...landlockFsRights.map((r) => r.bit)) + 1];
      const out = execFileSync(path.join(dir, 'probe'), bits.map(String), { encoding: 'utf8' }).trim().split('\n');
      const abi = Number(out.shift()!.split(' ')[1]);
      if (!(abi >= 1)) throw new Error(`this kernel has no Landlock (ABI ${abi}): whittle's launcher needs it`);
      for (const r of landlockFsRights) {
        // a kernel older than a right's ABI refuses it; this machine's kernel has ABI 7
        if (abi && r.abi > abi) continue;
        expect(out, r.name).toContain(`${r.bit} ok`);
      }
      expect(out.at(-1)).toBe(`${bits.at(-1)} EINVAL`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('abi is the lowest ABI that knows every handled right', () => {
    const { ruleset } = renderLandlock(samplePolicy());
    expect(ruleset.abi).toBe(Math.max(...landlockFsRights.filter((r) => ruleset.handledAccessFs.includes(r.name)).map((r) => r.abi)));
    expect(ruleset.abi).toBe(5);
  });
});

describe('landlock access kinds', () => {
  const cases: Array<[string, PathRule, string, string[]]> = [
    ['read: READ_FILE on the file', rule('/etc/hostname', ['read']), '/etc/hostname', ['READ_FILE']],
    ['write: WRITE_FILE and TRUNCATE on the file', rule('/var/log/a.log', ['write']), '/var/log/a.log', ['WRITE_FILE', 'TRUNCATE']],
    ['exec: EXECUTE and READ_FILE (the kernel opens it for reading too)', rule('/usr/bin/tool', ['exec']), '/usr/bin/tool', ['EXECUTE', 'READ_FILE']],
    ['readdir: READ_DIR on the directory', rule('/etc/ld.so.conf.d', ['readdir']), '/etc/ld.so.conf.d', ['READ_DIR']],
    ['ioctl: IOCTL_DEV on the device', rule('/dev/kvm', ['ioctl']), '/dev/kvm', ['IOCTL_DEV']],
    ['remove: on the directory', rule('/srv/data/old', ['remove']), '/srv/data', ['REMOVE_DIR', 'REMOVE_FILE']],
    ['rename: on the directory, with REFER', rule('/srv/data/a', ['rename']), '/srv/data', ['REMOVE_DIR', 'REMOVE_FILE', 'MAKE_DIR', 'MAKE_REG', 'MAKE_SOCK', 'MAKE_FIFO', 'MAKE_SYM', 'REFER']],
    ['link: on the directory, with REFER', rule('/srv/data/hard', ['link']), '/srv/data', ['MAKE_REG', 'REFER']],
    ['create: every ordinary kind of entry on the directory', rule('/srv/data/new', ['create']), '/srv/data', ['MAKE_DIR', 'MAKE_REG', 'MAKE_SOCK', 'MAKE_FIFO', 'MAKE_SYM']],
    ['a glob DIR/** is the hierarchy at DIR, read includes listing', rule('/usr/lib/x86_64-linux-gnu/**', ['read']), '/usr/lib/x86_64-linux-gnu', ['READ_FILE', 'READ_DIR']],
    ['a glob widens to its fixed directory', rule('/etc/*.conf', ['read']), '/etc', ['READ_FILE', 'READ_DIR']],
    ['create under a glob goes on the glob directory itself', rule('/srv/out/**', ['create']), '/srv/out', ['MAKE_DIR', 'MAKE_REG', 'MAKE_SOCK', 'MAKE_FIFO', 'MAKE_SYM']],
  ];
  for (const [name, r, at, want] of cases) {
    it(name, () => expect(rightsAt(policy([r]), at)).toEqual(want));
  }

  describe('names moved between directories (rename, link)', () => {
    // mv /srv/in/f /srv/out/f, the file read later where it lands; a hard link made in /srv/keep
    const moved = () => policy([rule('/srv/in/f', ['create', 'write', 'rename']), rule('/srv/out/f', ['rename', 'read'])]);

    it('both directories are one group, joined at their common directory; a lone rename in one directory is not', () => {
      expect(moveGroups(moved())).toEqual([{ dirs: ['/srv/in', '/srv/out'], join: '/srv' }]);
      expect(moveGroups(policy([rule('/srv/in/f.tmp', ['create', 'rename']), rule('/srv/in/f', ['rename'])]))).toEqual([{ dirs: ['/srv/in'] }]);
    });

    it('the view binds the common directory read-write, once (not each directory: two mounts refuse a rename)', () => {
      const v = viewEntries(moved());
      expect(v.filter((e) => e.path.startsWith('/srv'))).toEqual([{ path: '/srv', mode: 'rw' }]);
    });

    it('each directory gets REFER and the file rights of the other (Landlock refuses a move by which a file gains a right)', () => {
      const p = moved();
      // the file lands in /srv/out, where it is read: /srv/in must grant READ_FILE too
      expect(rightsAt(p, '/srv/in')).toEqual(expect.arrayContaining(['REFER', 'READ_FILE', 'WRITE_FILE', 'TRUNCATE']));
      expect(rightsAt(p, '/srv/out')).toEqual(expect.arrayContaining(['REFER', 'READ_FILE', 'WRITE_FILE', 'TRUNCATE']));
      expect(enforcementGaps(p).join('\n')).toMatch(/names moved \(rename, link\) between \/srv\/in, \/srv\/out: .* binds their common directory \/srv read-write.*REFER and the file rights any of them has \(READ_FILE, TRUNCATE, WRITE_FILE\)/);
    });

    it("a hard link's source is recorded as looked at only: every directory written in under the same top directory joins the group", () => {
      const p = policy([rule('/srv/tmp/obj', ['create', 'write', 'remove']), rule('/srv/tmp/obj2', ['stat']), rule('/srv/keep/obj', ['link', 'read'])]);
      expect(moveGroups(p)).toEqual([{ dirs: ['/srv/keep', '/srv/tmp'], join: '/srv' }]);
      expect(rightsAt(p, '/srv/tmp')).toContain('REFER');
    });

    it('directories under different top directories are not joined (that would bind /): each keeps its own mount', () => {
      const p = policy([rule('/srv/a/f', ['rename']), rule('/home/u/f', ['rename'])]);
      expect(moveGroups(p)).toHaveLength(2);
      expect(moveGroups(p)).toEqual(expect.arrayContaining([{ dirs: ['/home/u'] }, { dirs: ['/srv/a'] }]));
      expect(viewEntries(p).map((e) => e.path)).not.toContain('/');
    });
  });

  it('what the workload does with a file it created is granted on the directory (a new inode at run time)', () => {
    const p = policy([rule('/tmp/app/out.txt', ['write', 'create'])]);
    expect(rules(p)).toEqual([{ path: '/tmp/app', access: ['WRITE_FILE', 'MAKE_DIR', 'MAKE_REG', 'MAKE_SOCK', 'MAKE_FIFO', 'MAKE_SYM', 'TRUNCATE'], beneath: true }]);
    expect(renderLandlock(p).unexpressed).toContainEqual(expect.objectContaining({ item: 'write /tmp/app/out.txt' }));
  });

  it('grants device nodes to make only with CAP_MKNOD', () => {
    const p = policy([rule('/srv/data/node', ['create'])], { capabilities: { allow: ['CAP_MKNOD'], inferred: [] } });
    expect(rightsAt(p, '/srv/data')).toContain('MAKE_CHAR');
    expect(rightsAt(p, '/srv/data')).toContain('MAKE_BLOCK');
    expect(rightsAt(policy([rule('/srv/data/node', ['create'])]), '/srv/data')).not.toContain('MAKE_CHAR');
  });

  it('an O_CREAT open of /dev/null grants nothing on /dev; a file made in /dev/shm does', () => {
    expect(rules(policy([rule('/dev/null', ['write', 'create'])]))).toEqual([{ path: '/dev/null', access: ['WRITE_FILE', 'TRUNCATE'] }]);
    expect(rightsAt(policy([rule('/dev/shm/seg', ['create'])]), '/dev/shm')).toContain('MAKE_REG');
  });

  it('merges rules on the same path and kind, keeps the directory itself apart from what is made beneath it, sorts by path', () => {
    const p = policy([rule('/srv/b', ['read']), rule('/srv/a/x', ['remove']), rule('/srv/a/y', ['create']), rule('/srv/a', ['readdir'])]);
    expect(rules(p)).toEqual([
      { path: '/srv/a', access: ['READ_DIR'] },
      { path: '/srv/a', access: ['REMOVE_DIR', 'REMOVE_FILE', 'MAKE_DIR', 'MAKE_REG', 'MAKE_SOCK', 'MAKE_FIFO', 'MAKE_SYM'], beneath: true },
      { path: '/srv/b', access: ['READ_FILE'] },
    ]);
  });

  it("a process's own /proc entries are granted on all of /proc, and said so", () => {
    const p = policy([rule('/proc/self/status', ['read'])]);
    expect(rules(p)).toEqual([{ path: '/proc', access: ['READ_FILE'], beneath: true }]);
    expect(renderLandlock(p).unexpressed).toContainEqual(expect.objectContaining({ item: 'read /proc/self/status' }));
  });

  it('is the ruleset whittle run applies: the same rules as the enforce spec', () => {
    const p = samplePolicy();
    const spec = enforceSpec(p).split('\n').filter((l) => l.startsWith('landlock'));
    const mine = rules(p).map((r) => `${r.beneath ? 'landlock-beneath' : 'landlock'} ${r.path} ${[...r.access].sort().join(',')}`);
    expect(mine).toEqual(spec);
  });

  it('stat, chmod, chown and mount-target grant nothing', () => {
    expect(rules(policy([rule('/etc/passwd', ['stat']), rule('/srv/f', ['chmod', 'chown']), rule('/mnt', ['mount-target'])]))).toEqual([]);
  });

  it('a symlink the workload went through needs no rule (the tracer records resolved paths)', () => {
    expect(rules(policy([rule('/lib64', ['stat'], 'allow', { symlinkTarget: 'usr/lib64' })]))).toEqual([]);
  });
});

describe('landlock unexpressed', () => {
  const un = (p: Policy) => renderLandlock(p).unexpressed;

  it('reports each glob that widens, and not DIR/**', () => {
    const u = un(policy([rule('/etc/*.conf', ['read']), rule('/usr/lib/**', ['read']), rule('/srv/*/x/**', ['read'])]));
    const globs = u.filter((x) => x.item.startsWith('glob ')).map((x) => x.item);
    expect(globs).toEqual(['glob /etc/*.conf', 'glob /srv/*/x/**']);
    expect(u.find((x) => x.item === 'glob /srv/*/x/**')!.reason).toContain('beneath /srv');
  });

  it('reports every deny rule: refused with EACCES when nothing grants it, reachable when a hierarchy does', () => {
    const u = un(policy([rule('/etc/hostname', ['read']), rule('/etc/shadow', ['read'], 'deny', { errno: 'EPERM' }), rule('/usr/**', ['read']), rule('/usr/bin/su', ['read'], 'deny', { errno: 'EACCES' })]));
    expect(u.find((x) => x.item === 'deny read /etc/shadow')!.reason).toMatch(/EACCES, not EPERM/);
    expect(u.find((x) => x.item === 'deny read /usr/bin/su')!.reason).toMatch(/\/usr covers it/);
  });

  it('a deny is still reported when a hierarchy grants other rights only', () => {
    const u = un(policy([rule('/srv/data/new', ['create']), rule('/srv/data/secret', ['read'], 'deny', { errno: 'EACCES' })]));
    expect(u.find((x) => x.item === 'deny read /srv/data/secret')!.reason).toMatch(/nothing grants it/);
  });

  it('notes stat once, and chmod/chown, ioctl, mounts, syscalls, families, capabilities', () => {
    const p = samplePolicy();
    const u = un({ ...p, paths: [...p.paths, rule('/srv/f', ['chmod']), rule('/dev/kvm', ['ioctl'])] });
    expect(u.filter((x) => x.item === 'stat')).toHaveLength(1);
    for (const item of ['chmod, chown', 'ioctl', 'syscalls', 'network allow AF_INET', 'network allow AF_UNIX', 'capability CAP_NET_BIND_SERVICE']) {
      expect(u.map((x) => x.item), item).toContain(item);
    }
    expect(u.find((x) => x.item.startsWith('mount mount tmpfs'))!.reason).toMatch(/may not mount/);
  });

  it('reports paths that are not absolute', () => {
    const r = renderLandlock(policy([rule('./rel', ['read'])]));
    expect(r.ruleset.rules).toEqual([]);
    expect(r.unexpressed).toContainEqual(expect.objectContaining({ item: 'allow read ./rel' }));
  });
});
