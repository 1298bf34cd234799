/**
 * The LXC exporter: a seccomp policy v2 file. Golden files from the sample policy (compared
 * exactly; WHITTLE_UPDATE_GOLDEN=1 rewrites them), and tables of the rules that matter: the
 * allowlist header (default ENOSYS, every known syscall not allowed listed with EPERM), ENOSYS for
 * probes, the person's errno, the family restriction as rules libseccomp takes, LXC's own init
 * layer, and what is reported as not expressed.
 */
import { describe, expect, it } from 'vitest';
import { i386Multiplexed, lxcConditionalLine, lxcExporter, lxcInitLayer } from '../../src/export/lxc.js';
import type { Policy } from '../../src/model/policy.js';
import { syscallByName } from '../../src/model/knowledge/syscalls.js';
import { renderMain, samplePolicy, samplePolicyWith } from '../helpers/sample-policy.js';
import { golden } from '../helpers/golden.js';


const render = (p: Policy) => renderMain(lxcExporter, p);

const variant = samplePolicyWith;

/** LXC 5's v2 grammar, as its parser reads it (src/lxc/seccomp.c, parse_config_v2). */
function checkLxcGrammar(lines: string[]): string[] {
  const bad: string[] = [];
  if (lines[0] !== '2') bad.push(`line 1: ${lines[0]}`);
  if (!/^allowlist( (kill|trap|allow|errno \d+))?$/.test(lines[1] ?? '')) bad.push(`line 2: ${lines[1]}`);
  const cmp = String.raw`\[[0-5],\d+,SCMP_CMP_(NE|LT|LE|EQ|GE|GT)\]`;
  const rule = new RegExp(String.raw`^[a-z_][a-z0-9_]*( (allow|errno \d+)( ${cmp})*)?$`);
  for (const [i, l] of lines.slice(2).entries()) {
    if (l.startsWith('#')) continue;
    if (/^\[(x86_64|x86)\]$/.test(l)) continue;
    if (!rule.test(l)) bad.push(`line ${i + 3}: ${JSON.stringify(l)}`);
  }
  return bad;
}

describe('lxc exporter: golden files from the sample policy', () => {
  it('renders the policy file and the list of what it cannot express', () => {
    const r = render(samplePolicy());
    golden('lxc', 'sample.lxc-seccomp', r.text);
    golden('lxc', 'sample.unexpressed.txt', r.unexpressed.map((u) => `${u.item} — ${u.reason}`).join('\n') + '\n');
  });

  it('is valid v2 grammar: no empty lines, no trailing blanks, comments in the first column', () => {
    const { lines } = render(samplePolicy());
    expect(checkLxcGrammar(lines)).toEqual([]);
    expect(lines.filter((l) => l === '' || /\s$/.test(l))).toEqual([]);
  });
});

describe('lxc exporter: rules', () => {
  const p = samplePolicy();
  const { lines, items, unexpressed } = render(p);

  it('is an allowlist answering ENOSYS by default, with every known syscall not allowed listed as EPERM', () => {
    expect(lines.slice(0, 2)).toEqual(['2', 'allowlist errno 38']);
    expect(lines).toContain('[x86_64]');
    for (const n of ['unshare', 'bpf', 'kexec_load', 'init_module', 'setns', 'open_by_handle_at']) expect(lines).toContain(`${n} errno 1`);
    // newer than the horizon (456): no rule can name them, the default answers ENOSYS
    expect(lines).not.toContain('statmount errno 1');
    expect(lines.filter((l) => l.startsWith('read ') || l === 'read')).toEqual(['read']);
  });

  it('names every syscall at most once', () => {
    const names = lines.filter((l) => !l.startsWith('#') && !l.startsWith('[') && !l.includes(' [')).slice(2).map((l) => l.split(' ')[0]);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  /** The syscalls named in the comment that lists what the default (ENOSYS) answers. */
  const enosysListed = (ls: string[]) => {
    const at = ls.findIndex((l) => l.startsWith('# probe syscalls never seen'));
    const out: string[] = [];
    for (let i = at + 1; at >= 0 && ls[i]?.startsWith('#   '); i++) out.push(...ls[i]!.slice(4).split(' '));
    return out;
  };
  const ruleFor = (ls: string[], name: string) => ls.filter((l) => l === name || l.startsWith(`${name} `));

  it.each(['clone3', 'openat2', 'faccessat2', 'statx', 'epoll_pwait2'])('answers the probe syscall %s with ENOSYS: the default, no rule (libseccomp refuses one)', (n) => {
    expect(enosysListed(lines)).toContain(n);
    expect(ruleFor(lines, n)).toEqual([]);
  });

  it('leaves every probe syscall of the policy to the default ENOSYS (LXC init ones aside)', () => {
    for (const n of p.syscalls.enosys) {
      if (lxcInitLayer.syscalls.includes(n)) continue;
      expect(ruleFor(lines, n)).toEqual([]);
      if (syscallByName(n)!.x86_64 !== null) expect(enosysListed(lines)).toContain(n);
    }
  });

  it('never writes a rule equal to the default (LXC fails to start on one)', () => {
    expect(lines.slice(2).filter((l) => / errno 38( |$)/.test(l))).toEqual([]);
  });

  it.each([
    ['ptrace', 'EPERM', ['ptrace errno 1']],
    ['futex', 'ENOSYS', []],
  ])('keeps the errno a person chose: %s %s', (name, _e, expected) => {
    expect(ruleFor(lines, name)).toEqual(expected);
    if (!expected.length) expect(enosysListed(lines)).toContain(name);
  });

  it('allows what was accepted, socket only for the accepted families', () => {
    for (const n of ['read', 'openat', 'execve', 'mount', 'connect']) expect(lines).toContain(n);
    expect(lines).not.toContain('socket');
    expect(lines).toEqual(expect.arrayContaining([
      'socket allow [0,1,SCMP_CMP_EQ]',
      'socket allow [0,2,SCMP_CMP_EQ]',
      'socket errno 97 [0,0,SCMP_CMP_EQ]',
      'socket errno 97 [0,2,SCMP_CMP_GT]',
    ]));
  });

  it("allows lxc-execute's init syscalls in their own group", () => {
    const at = lines.findIndex((l) => l.startsWith("# allowed for lxc-execute's init"));
    expect(at).toBeGreaterThan(0);
    for (const n of ['wait4', 'kill', 'setsid', 'clone']) expect(lines.indexOf(n)).toBeGreaterThan(at);
  });

  it('reports paths, the mount, the capability and the limits of the format, item by item', () => {
    for (const r of p.paths) expect(items).toContain(`${r.action} ${r.access.join(',')} ${r.pattern}`);
    expect(items).toContain('mount mount /tmp/app/mnt');
    expect(unexpressed.find((u) => u.item === 'capability CAP_NET_BIND_SERVICE')?.reason).toContain('lxc.cap.keep = CAP_NET_BIND_SERVICE');
    expect(items).toContain('ABIs: x86_64 only');
  });

  it('reports an allowed syscall LXC cannot resolve (newer than libseccomp), and still writes it', () => {
    const r = render(variant((x) => (x.syscalls.allow = [...x.syscalls.allow, 'mseal'].sort())));
    expect(r.lines).toContain('mseal');
    expect(r.items).toContain('allow mseal');
    expect(items).not.toContain('allow read');
  });

  it('gives up a denial or probe the LXC init needs, and says so', () => {
    const q = variant((x) => {
      x.syscalls.allow = x.syscalls.allow.filter((n) => n !== 'kill');
      x.syscalls.deny.push({ name: 'kill', errno: 'EPERM' });
      x.syscalls.enosys = [...x.syscalls.enosys, 'close_range'].sort();
    });
    const r = render(q);
    expect(r.lines).not.toContain('kill errno 1');
    expect(r.lines).not.toContain('close_range errno 38');
    expect(r.lines).toContain('kill');
    expect(r.items).toContain('deny kill (EPERM)');
    expect(r.items).toContain('probe close_range (ENOSYS)');
  });

  it('puts calls that exist on i386 only in the [x86] section, and reports socketcall families', () => {
    const q = variant((x) => {
      x.arch.abis = ['x86_64', 'x86'];
      x.syscalls.allow = [...x.syscalls.allow, 'socketcall', '_llseek'].sort();
    });
    const r = render(q);
    const x86 = r.lines.indexOf('[x86]');
    expect(x86).toBeGreaterThan(r.lines.indexOf('[x86_64]'));
    expect(r.lines.indexOf('socketcall')).toBeGreaterThan(x86);
    expect(r.lines.indexOf('_llseek')).toBeGreaterThan(x86);
    expect(r.lines.indexOf('mmap2 errno 1')).toBeGreaterThan(x86);
    expect(ruleFor(r.lines, 'clock_gettime64')).toEqual([]); // an i386 probe: the default, ENOSYS
    expect(r.lines.indexOf('read')).toBeLessThan(x86);
    expect(r.items).toContain('network families via socketcall (i386)');
    // LXC adds no i386 socket rule, so the family rules stay whole on x86_64 (EAFNOSUPPORT for the rest)
    expect(r.lines).toContain('socket errno 97 [0,2,SCMP_CMP_GT]');
    expect(r.items).toContain('allow socket on i386');
    expect(r.items).toContain('allow connect on i386');
    expect(r.items).not.toContain('ABIs: x86_64 only');
    expect(checkLxcGrammar(r.lines)).toEqual([]);
  });

  it('lists the i386-only calls as EPERM even when the workload did not use i386 (LXC loads that ABI anyway)', () => {
    const x86 = lines.indexOf('[x86]');
    expect(x86).toBeGreaterThan(0);
    expect(lines.indexOf('mmap2 errno 1')).toBeGreaterThan(x86);
    expect(lines.indexOf('socketcall errno 1')).toBeGreaterThan(x86);
    // probes of i386 alone get the default, ENOSYS
    expect(ruleFor(lines, 'clock_gettime64')).toEqual([]);
  });

  it('knows which calls libseccomp multiplexes on i386', () => {
    for (const n of i386Multiplexed) expect(syscallByName(n)?.x86, n).not.toBeNull();
  });

  it('says when the capability set is empty', () => {
    const r = render(variant((x) => (x.capabilities.allow = [])));
    expect(r.unexpressed.find((u) => u.item === 'capabilities: none')?.reason).toContain('lxc.cap.keep = none');
  });
});

describe('lxc exporter: conditions libseccomp takes (one comparison per argument in a rule)', () => {
  it.each([
    [{ name: 'socket', action: 'allow' as const, args: [{ index: 0, op: 'SCMP_CMP_EQ' as const, value: 2 }] }, 'socket allow [0,2,SCMP_CMP_EQ]'],
    [{ name: 'socket', action: 'errno' as const, errno: 97, args: [{ index: 0, op: 'SCMP_CMP_GT' as const, value: 10 }] }, 'socket errno 97 [0,10,SCMP_CMP_GT]'],
    [{ name: 'socket', action: 'allow' as const, args: [{ index: 0, op: 'SCMP_CMP_EQ' as const, value: 2 }, { index: 1, op: 'SCMP_CMP_EQ' as const, value: 1 }] }, 'socket allow [0,2,SCMP_CMP_EQ] [1,1,SCMP_CMP_EQ]'],
  ])('%j', (rule, line) => {
    expect(lxcConditionalLine(rule)).toBe(line);
  });

  it('refuses two comparisons of one argument (libseccomp would: LXC fails to start)', () => {
    expect(() => lxcConditionalLine({ name: 'socket', action: 'errno', errno: 97, args: [{ index: 0, op: 'SCMP_CMP_NE', value: 1 }, { index: 0, op: 'SCMP_CMP_NE', value: 2 }] })).toThrow(/twice/);
  });
});
