/**
 * Learn mode against ground truth: for real programs, on the real kernel, as root, the syscall
 * set whittle records equals the one `strace -f` sees, with both mechanisms, and every path
 * strace shows the program opening or executing is in whittle's paths.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { straceRun, resolvePath } from '../helpers/strace.js';
import { fixture, learn, minus, scratchDir, syscallSet, type ShowJson } from '../helpers/whittle.js';
import { requireRootAndBuild } from '../helpers/setup.js';

/** A fixed PATH: the machine's PATH has per-user shims that make shells probe many dirs. */
const env = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C.UTF-8' };
const mechanisms = ['ebpf', 'seccomp'] as const;

/**
 * Calls whose presence depends on timing between threads or processes, not on what the program
 * does: a futex is only made when a lock is contended, and strace's slowness changes that.
 * Only programs that have several threads or processes racing get this allowance.
 */
const timing = new Set(['x86_64:futex', 'x86_64:sched_yield', 'x86_64:restart_syscall']);

interface Case {
  name: string;
  argv: () => string[];
  /** true when threads/processes race, so `timing` calls may appear in one run and not the other */
  racy?: boolean;
  /** names that differ on every run (mktemp): map them to one stable form on both sides */
  stable?: (p: string) => string;
  /** the program's own expectations, beyond strace agreement */
  check?: (show: ShowJson) => void;
}

let work: { dir: string; cleanup: () => void };
let cfile: string;

const cases: Case[] = [
  { name: '/bin/true', argv: () => ['/bin/true'] },
  {
    name: 'busybox sh script with pipes and subshells',
    argv: () => ['/bin/busybox', 'sh', fixture('pipes.sh')],
    racy: true,
    check: (s) => expect(s.execs.map((e) => e.argv0)).toContain('sh'),
  },
  {
    name: 'python3 -c "import json, ssl"',
    argv: () => ['/usr/bin/python3', '-c', 'import json, ssl'],
    racy: true,
    // python reads the cached bytecode of the module it imports
    check: (s) => expect(s.paths.some((p) => /\/json\/(__pycache__\/)?__init__\.(py|cpython-\d+\.pyc)$/.test(p.path) && p.access === 'read')).toBe(true),
  },
  {
    name: 'gcc -c of a small file',
    argv: () => ['/usr/bin/gcc', '-c', cfile, '-o', path.join(work.dir, 'small.o')],
    racy: true,
    stable: (p) => p.replace(/^\/tmp\/cc[A-Za-z0-9]{6}\./, '/tmp/ccXXXXXX.'),
    check: (s) => {
      expect(s.execs.some((e) => /cc1$/.test(e.path))).toBe(true);
      expect(s.paths.some((p) => p.path === path.join(work.dir, 'small.o') && p.access === 'write')).toBe(true);
    },
  },
  { name: 'a multi-threaded program', argv: () => [fixture('threads')], racy: true },
  {
    name: 'a program that forks a daemon and exits',
    argv: () => [fixture('daemon'), path.join(work.dir, `daemon-${Math.random().toString(36).slice(2)}.txt`)],
    racy: true,
    check: (s) => expect(s.paths.some((p) => p.path.startsWith(path.join(work.dir, 'daemon-')) && p.access === 'create')).toBe(true),
  },
  { name: 'a statically linked program', argv: () => [fixture('static-hello')] },
  {
    name: 'a program making i386 syscalls through int 0x80',
    argv: () => [fixture('int80')],
    check: (s) => {
      expect(s.syscalls).toContainEqual(expect.objectContaining({ name: 'getpid', arch: 'x86' }));
      expect(s.syscalls).toContainEqual(expect.objectContaining({ name: 'write', arch: 'x86' }));
    },
  },
  {
    name: 'a program that mounts a tmpfs inside unshare -m',
    argv: () => [fixture('mount-tmpfs.sh')],
    racy: true,
    stable: (p) => p.replace(/whittle-mnt\.[A-Za-z0-9]{6}/, 'whittle-mnt.XXXXXX'),
    check: (s) => {
      expect(s.mounts).toContainEqual(expect.objectContaining({ op: 'unshare', flags: expect.stringContaining('CLONE_NEWNS') }));
      expect(s.mounts).toContainEqual(expect.objectContaining({ op: 'mount', fstype: 'tmpfs', source: 'none' }));
      expect(s.mounts.some((m) => m.op === 'umount')).toBe(true);
    },
  },
  {
    // fexecve: execveat(fd, "", AT_EMPTY_PATH); the kernel calls the program /dev/fd/N
    name: 'a program that executes a file it opened (fexecve)',
    argv: () => ['/usr/bin/python3', '-c', 'import os; fd = os.open("/bin/true", os.O_RDONLY); os.execve(fd, ["true"], {})'],
    racy: true,
    check: (s) => {
      expect(s.execs).toContainEqual(expect.objectContaining({ path: '/usr/bin/true', argv0: 'true' }));
      expect(s.execs.filter((e) => /^\/(dev|proc\/self)\/fd\//.test(e.path))).toEqual([]);
    },
  },
  {
    name: 'a program that opens AF_INET and AF_UNIX sockets',
    argv: () => [fixture('sockets'), '0', path.join(work.dir, 'sock')],
    check: (s) => {
      const fam = new Set(s.network.map((n) => `${n.op}:${n.family}`));
      for (const f of ['socket:AF_INET', 'socket:AF_UNIX', 'socket:AF_INET6', 'socket:AF_NETLINK', 'bind:AF_INET', 'connect:AF_INET', 'bind:AF_UNIX', 'connect:AF_UNIX']) {
        expect(fam, f).toContain(f);
      }
      expect(s.network).toContainEqual(expect.objectContaining({ op: 'bind', family: 'AF_INET', addr: '127.0.0.1' }));
      expect(s.paths).toContainEqual(expect.objectContaining({ path: path.join(work.dir, 'sock'), access: 'create' }));
    },
  },
];

beforeAll(async () => {
  await requireRootAndBuild();
  work = scratchDir();
  cfile = path.join(work.dir, 'small.c');
  writeFileSync(cfile, '#include <stdio.h>\nint add(int a, int b) { return a + b; }\nint main(void) { printf("%d\\n", add(1, 2)); return 0; }\n');
});
afterAll(() => work?.cleanup());

/** Paths strace shows the program opening or executing, resolved like whittle resolves them. */
function openedOrExecuted(st: Awaited<ReturnType<typeof straceRun>>, cwd: string): string[] {
  const out = new Set<string>();
  for (const p of st.paths) {
    if (!/^(open|openat|openat2|creat|execve|execveat)$/.test(p.syscall)) continue;
    if (p.path === '' || p.dirfd) continue;
    out.add(resolvePath(p.path, cwd));
  }
  return [...out].sort();
}

describe.each(cases)('learn vs strace: $name', (c) => {
  it.each(mechanisms)('records the same syscall set as strace -f (%s)', async (mechanism) => {
    const argv = c.argv();
    const st = await straceRun(argv, { env, cwd: work.dir });
    const r = await learn(argv, { dir: work.dir, mechanism, env, cwd: work.dir, name: c.name.replace(/\W+/g, '_') });
    expect(r.code, r.stderr).toBe(st.exitCode);
    const show = await r.show();
    expect(show.status).toBe('complete');
    expect(show.mechanism).toBe(mechanism);
    expect(show.lost.total).toBe(0);

    const ours = syscallSet(show.syscalls);
    const theirs = syscallSet(st.syscalls);
    let onlyOurs = minus(ours, theirs);
    let onlyTheirs = minus(theirs, ours);
    if (c.racy) {
      onlyOurs = onlyOurs.filter((s) => !timing.has(s));
      onlyTheirs = onlyTheirs.filter((s) => !timing.has(s));
    }
    expect({ onlyWhittle: onlyOurs, onlyStrace: onlyTheirs }).toEqual({ onlyWhittle: [], onlyStrace: [] });

    const stable = c.stable ?? ((p: string) => p);
    const paths = new Set(show.paths.map((p) => stable(p.path)));
    const missing = openedOrExecuted(st, work.dir).map(stable).filter((p) => !paths.has(p));
    expect(missing).toEqual([]);
    c.check?.(show);
  });
});
