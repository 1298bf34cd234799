/**
 * The loop closed, on the real kernel as root: for the real programs of the learn-mode tests,
 * learn → decide --auto accept → `whittle run` under that policy gives the same exit status and
 * the same output, with zero denials and nothing lost. Where a person would have to act (a
 * compiler's or mktemp's random temp names), the test decides a glob in the snapshot as a person
 * would in the review queue; nothing else is edited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fixture, scratchDir } from '../helpers/whittle.js';
import { requireRootAndBuild } from '../helpers/setup.js';
import { denialList, enforce, learnAccepted, type Edits, type Ran } from '../helpers/enforce.js';

let work: { dir: string; cleanup: () => void };
let cfile: string;

interface Case {
  name: string;
  argv: () => string[];
  /** output that differs on every run by nature (pids, ports, temp names): one stable form */
  stable?: (out: string) => string;
  /** what a person decides beyond accepting everything */
  edits?: Edits;
  /** before the enforced run (e.g. remove what the learning run left, so the run makes it anew) */
  before?: () => void;
  /** Landlock is left out of this run (and the run says why) */
  noLandlock?: boolean;
  /** the program's own expectations of the enforced run */
  check?: (r: Ran) => void;
}

const digits = (s: string) => s.replace(/\d+/g, 'N');

const cases: Case[] = [
  { name: '/bin/true', argv: () => ['/bin/true'] },
  { name: 'busybox sh script with pipes and subshells', argv: () => ['/bin/busybox', 'sh', fixture('pipes.sh')] },
  { name: 'python3 -c "import json, ssl"', argv: () => ['/usr/bin/python3', '-c', 'import json, ssl'] },
  {
    name: 'gcc -c of a small file',
    argv: () => ['/usr/bin/gcc', '-c', cfile, '-o', path.join(work.dir, 'small.o')],
    // gcc's temp files have random names: a person widens them to a pattern
    edits: { glob: [[/^\/tmp\/cc[A-Za-z0-9]{6}\.s$/, '/tmp/cc*.s']] },
    before: () => rmSync(path.join(work.dir, 'small.o'), { force: true }),
    check: (r) => {
      expect(existsSync(path.join(work.dir, 'small.o'))).toBe(true);
      // the glob is enforced as its fixed part (neither the view nor Landlock has patterns): said
      expect(r.report.notEnforced.join('\n')).toContain('/tmp/cc*.s');
    },
  },
  { name: 'a multi-threaded program', argv: () => [fixture('threads')] },
  {
    name: 'a program that forks a daemon and exits (the daemon writes after its parent is gone)',
    argv: () => [fixture('daemon'), path.join(work.dir, 'daemon.txt')],
    stable: digits,
    // the file is made anew by the enforced run: its rights come from its directory
    before: () => rmSync(path.join(work.dir, 'daemon.txt'), { force: true }),
    check: () => {
      // the run ends when the whole tree has exited, so the daemon's file is there now
      expect(readFileSync(path.join(work.dir, 'daemon.txt'), 'utf8')).toMatch(/^daemon \d+\n$/);
    },
  },
  { name: 'a statically linked program', argv: () => [fixture('static-hello')] },
  { name: 'a program making i386 syscalls through int 0x80', argv: () => [fixture('int80')], stable: digits },
  {
    name: 'a program that mounts a tmpfs inside unshare -m',
    argv: () => [fixture('mount-tmpfs.sh')],
    stable: (s) => s.replace(/whittle-mnt\.[A-Za-z0-9]{6}/g, 'whittle-mnt.XXXXXX'),
    noLandlock: true,
    // mktemp's random directory: a person widens it (and what is made in it) to a pattern
    edits: {
      glob: [
        [/^\/tmp\/whittle-mnt\.[A-Za-z0-9]{6}$/, '/tmp/whittle-mnt.*'],
        [/^\/tmp\/whittle-mnt\.[A-Za-z0-9]{6}\/x$/, '/tmp/whittle-mnt.*/x'],
      ],
    },
    check: (r) => {
      // Landlock forbids mounts to the processes it restricts: with the workload's mounts
      // accepted it is left out, and the run says so
      expect(r.report.warnings.join('\n')).toMatch(/Landlock is not applied: the policy lets the workload mount/);
      // the accepted mount's target was the learning run's temp dir, gone now: not remade on the host
      expect(r.report.warnings.join('\n')).toMatch(/accepted mount of tmpfs on \/tmp\/whittle-mnt\.\w+ was not made/);
    },
  },
  {
    // the view holds a listed directory's names as stand-ins: a walk through one to a name that
    // is not there must end in ENOENT as it did when learned (a no-permission stand-in made it
    // EACCES, a denial of an accepted item), and a link only looked at stays a link
    name: 'a shell that lists a directory, looks below one of its subdirectories and at a symlink in it',
    argv: () => {
      const t = path.join(work.dir, 'tree');
      return ['/bin/busybox', 'sh', '-c', `echo ${t}/*; cat ${t}/sub/missing; echo "cat: $?"; busybox ls -l ${t}/link | busybox awk '{print $1, $(NF-1), $NF}'`];
    },
    check: (r) => {
      expect(r.stdout).toMatch(/^cat: 1\nlrwxrwxrwx -> a\.txt\n$/m);
      expect(r.stderr).toMatch(/can't open '.*\/sub\/missing': No such file or directory/);
      expect(r.stderr).not.toMatch(/cannot make the stand-in/);
    },
  },
  {
    // the view binds each directory a name is made in: two binds are two mounts, and the kernel
    // refuses a rename or link between mounts (EXDEV; mv then falls back to copying, which was
    // never accepted), as does Landlock without REFER on both, or when the file would gain a right
    name: 'a shell moving and hard-linking a file between sibling directories, and reading it back',
    argv: () => ['/bin/sh', '-c', `cd ${path.join(work.dir, 'moves')}; echo x > a/f1; mv a/f1 b/f1; ln b/f1 a/hard; cat a/hard; ln -s ../b/f1 a/soft; cat a/soft; rm -f b/f1 a/hard a/soft; echo moved`],
    check: (r) => {
      expect(r.stdout).toBe('x\nx\nmoved\n');
      expect(r.stderr).not.toMatch(/cross-device|Permission denied/);
      // said: the view binds their common directory
      expect(r.report.notEnforced.join('\n')).toMatch(/names moved \(rename, link\) between \S+\/moves\/a, \S+\/moves\/b: .* binds their common directory \S+\/moves read-write/);
    },
  },
  {
    // the kernel reads "#!/bin/sh" (through the /bin → usr/bin symlink) when the script runs;
    // read from the file afterwards, it was often gone already, and the view lacked /bin
    name: 'a shell that writes a script, runs it and removes it at once',
    argv: () => {
      const d = path.join(work.dir, 'gen');
      return ['/usr/bin/dash', '-c', `mkdir -p ${d}; printf '#!/bin/sh\\necho generated $1\\n' > ${d}/run.sh; chmod +x ${d}/run.sh; ${d}/run.sh ok; rm -rf ${d}`];
    },
    check: (r) => expect(r.stdout).toBe('generated ok\n'),
  },
  {
    // the tracer sends the name's invalid byte as a lone surrogate; the spec must give the byte
    // back (as UTF-8 it was U+FFFD: the view held another name, and cat failed)
    name: 'a script reading a file whose name is not UTF-8 (Latin-1 caf\\xe9.txt)',
    argv: () => ['/bin/sh', path.join(work.dir, 'latin1.sh')],
    check: (r) => expect(r.stdout).toBe('latin-1 name\n'),
  },
  {
    name: 'a program that opens AF_INET and AF_UNIX sockets',
    argv: () => [fixture('sockets'), '0', path.join(work.dir, 'sock')],
    stable: digits,
  },
];

beforeAll(async () => {
  await requireRootAndBuild();
  work = scratchDir('whittle-roundtrip-');
  chmodSync(work.dir, 0o755);
  cfile = path.join(work.dir, 'small.c');
  mkdirSync(path.join(work.dir, 'tree', 'sub'), { recursive: true });
  writeFileSync(path.join(work.dir, 'tree', 'a.txt'), 'a\n');
  writeFileSync(path.join(work.dir, 'tree', 'sub', 'inner.txt'), 'inner\n');
  symlinkSync('a.txt', path.join(work.dir, 'tree', 'link'));
  for (const d of ['a', 'b']) mkdirSync(path.join(work.dir, 'moves', d), { recursive: true });
  // a name with byte 0xe9 (é in Latin-1): not UTF-8; node writes it through a Buffer path
  const latin1 = Buffer.concat([Buffer.from(path.join(work.dir, 'caf')), Buffer.from([0xe9]), Buffer.from('.txt')]);
  writeFileSync(latin1, 'latin-1 name\n');
  writeFileSync(path.join(work.dir, 'latin1.sh'), Buffer.concat([Buffer.from('cat '), latin1, Buffer.from('\n')]));
  writeFileSync(cfile, '#include <stdio.h>\nint add(int a, int b) { return a + b; }\nint main(void) { printf("%d\\n", add(1, 2)); return 0; }\n');
});
afterAll(() => work?.cleanup());

describe.each(cases)('round trip: $name', (c) => {
  it('runs under its accepted policy with the same exit status and output, and zero denials', async () => {
    const argv = c.argv();
    const learned = await learnAccepted(argv, { dir: work.dir, name: c.name.replace(/\W+/g, '_'), cwd: work.dir, edits: c.edits });
    c.before?.();
    const r = await enforce(learned.snapshot, argv, { dir: work.dir, cwd: work.dir });
    const stable = c.stable ?? ((s: string) => s);
    expect({ code: r.code, stdout: stable(r.stdout) }, r.stderr).toEqual({ code: learned.code, stdout: stable(learned.stdout) });
    expect(denialList(r.report), r.stderr).toEqual([]);
    expect(r.report.denialCount).toBe(0);
    expect(r.report.exitStatus).toBe(learned.code);
    expect(r.report.lost.total).toBe(0);
    expect(r.report.pathDenialsVisible).toBe(true);
    if (c.noLandlock) expect(r.report.landlockAbi).toBe(0);
    else expect(r.report.landlockAbi).toBeGreaterThan(0);
    expect(r.report.undecided).toBe(0);
    expect(r.stderr).toMatch(/0 denial\(s\)/);
    c.check?.(r);
  });
});
