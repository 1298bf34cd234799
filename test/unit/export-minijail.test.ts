/**
 * The minijail exporter: a seccomp .policy file. minijail is not packaged on this machine, so
 * there is no real consumer to ask: the output is checked against minijail's documented policy
 * grammar (minijail0(5) and the grammar of its Python policy parser, restated below as a small
 * recursive-descent check), and against golden files from the sample policy (compared exactly;
 * WHITTLE_UPDATE_GOLDEN=1 rewrites them). Tables cover ENOSYS for probes, the person's errno, the
 * family restriction as an argument expression, the i386 ABI and what is reported.
 */
import { describe, expect, it } from 'vitest';
import { minijailConditionalLine, minijailExporter } from '../../src/export/minijail.js';
import type { Policy } from '../../src/model/policy.js';
import { syscallNumber } from '../../src/model/knowledge/syscalls.js';
import { renderMain, samplePolicy, samplePolicyWith } from '../helpers/sample-policy.js';
import { golden } from '../helpers/golden.js';


/**
 * minijail's policy grammar (minijail0(5); tools/parser.py):
 *   line        = [ statement | include | default ] [ '#' comment ]
 *   statement   = syscall-name ':' filter
 *   filter      = action | arg-expr [ ';' action ]
 *   action      = '1' | 'allow' | 'kill' | 'kill-process' | 'kill-thread' | 'trap' | 'trace' | 'log'
 *               | 'user-notify' | 'return' constant
 *   arg-expr    = clause { '||' clause } ;  clause = atom { '&&' atom }
 *   atom        = 'arg' DIGIT op value ;   op = '==' | '!=' | '<' | '<=' | '>' | '>=' | '&' | 'in'
 *   value       = constant { '|' constant } ;  constant = number | NAME
 * A syscall name must exist on the policy's architecture (x86_64 here): an unknown one makes
 * minijail refuse the whole file. Returns the problems found, one per line.
 */
function checkMinijailGrammar(text: string): string[] {
  const bad: string[] = [];
  const TOKEN = /\s*(\|\||&&|==|!=|<=|>=|<|>|&|\||;|:|@default\b|@include\b|return\b|arg[0-9]+\b|-?0[xX][0-9a-fA-F]+|-?[0-9]+|[A-Za-z_][A-Za-z0-9_-]*|\S)/y;
  const ACTIONS = new Set(['allow', 'kill', 'kill-process', 'kill-thread', 'trap', 'trace', 'log', 'user-notify']);
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.replace(/#.*$/, '');
    if (!line.trim()) continue;
    const toks: string[] = [];
    TOKEN.lastIndex = 0;
    let m: RegExpExecArray | null;
    while (TOKEN.lastIndex < line.length && (m = TOKEN.exec(line))) toks.push(m[1]!);
    let k = 0;
    const peek = () => toks[k];
    const next = () => toks[k++];
    const fail = (why: string) => bad.push(`line ${i + 1}: ${why}: ${JSON.stringify(raw)}`);
    const isNum = (t?: string) => t !== undefined && /^-?(0[xX][0-9a-fA-F]+|[0-9]+)$/.test(t);
    const isName = (t?: string) => t !== undefined && /^[A-Za-z_][A-Za-z0-9_]*$/.test(t);
    const constant = () => (isNum(peek()) || isName(peek()) ? (next(), true) : false);
    const value = () => {
      if (!constant()) return false;
      while (peek() === '|') {
        next();
        if (!constant()) return false;
      }
      return true;
    };
    const action = () => {
      const t = next();
      if (t === '1' || (t && ACTIONS.has(t))) return true;
      if (t === 'return') return isNum(peek()) || isName(peek()) ? (next(), true) : false;
      return false;
    };
    const atom = () => /^arg[0-5]$/.test(peek() ?? '') && (next(), ['==', '!=', '<', '<=', '>', '>=', '&', 'in'].includes(next() ?? '')) && value();
    const argExpr = () => {
      do {
        do if (!atom()) return false;
        while (peek() === '&&' && next());
      } while (peek() === '||' && next());
      return true;
    };
    if (toks[0] === '@include' || toks[0] === '@default') continue;
    const name = next();
    if (!isName(name)) {
      fail('no syscall name');
      continue;
    }
    if (syscallNumber('x86_64', name!) === null) fail(`${name} is not an x86_64 syscall`);
    if (next() !== ':') {
      fail('no colon');
      continue;
    }
    const ok = /^arg[0-9]/.test(peek() ?? '') ? argExpr() && (peek() !== ';' || (next(), action())) : action();
    if (!ok) fail('bad filter');
    else if (k !== toks.length) fail(`extra tokens from ${toks[k]}`);
  }
  return bad;
}

const render = (p: Policy) => renderMain(minijailExporter, p);

const variant = samplePolicyWith;

describe('the grammar check itself', () => {
  it.each([
    ['read: 1'],
    ['read: allow'],
    ['ptrace: return 1'],
    ['ptrace: return EPERM'],
    ['socket: arg0 == 1 || arg0 == 2; return 97'],
    ['open: arg1 == 32768 || arg1 == 0 && arg2 != 0x10'],
    ['mmap: arg2 in PROT_READ|PROT_WRITE'],
    ['# a comment'],
    ['@include /usr/share/policies/base.policy'],
  ])('accepts %j', (line) => {
    expect(checkMinijailGrammar(line)).toEqual([]);
  });

  it.each([
    ['read 1'],
    ['read:'],
    ['read: 2'],
    ['socket: arg0 = 1'],
    ['socket: arg0 == 1 ||'],
    ['socket: arg0 == 1; return'],
    ['nosuchcall: 1'],
    ['socketcall: 1'],
    ['ptrace: return 1 2'],
  ])('refuses %j', (line) => {
    expect(checkMinijailGrammar(line)).not.toEqual([]);
  });
});

describe('minijail exporter: golden files from the sample policy', () => {
  it('renders the policy file and the list of what it cannot express', () => {
    const r = render(samplePolicy());
    golden('minijail', 'sample.policy', r.text);
    golden('minijail', 'sample.unexpressed.txt', r.unexpressed.map((u) => `${u.item} — ${u.reason}`).join('\n') + '\n');
  });

  it("follows minijail's policy grammar, and says it is not checked by a real consumer", () => {
    const { text } = render(samplePolicy());
    expect(checkMinijailGrammar(text)).toEqual([]);
  });
});

describe('minijail exporter: rules', () => {
  const p = samplePolicy();
  const { lines, items, unexpressed } = render(p);

  it.each(['read', 'openat', 'execve', 'mount', 'connect'])('allows %s', (n) => {
    expect(lines).toContain(`${n}: 1`);
  });

  it.each([
    ['clone3', 'clone3: return 38'],
    ['openat2', 'openat2: return 38'],
    ['statx', 'statx: return 38'],
    ['close_range', 'close_range: return 38'],
  ])('answers the probe syscall %s with ENOSYS', (_n, line) => {
    expect(lines).toContain(line);
  });

  it('writes an ENOSYS line for every x86_64 probe up to the horizon, and reports the newer ones', () => {
    for (const n of p.syscalls.enosys) {
      const nr = syscallNumber('x86_64', n);
      if (nr === null) continue;
      if (nr <= p.horizon.syscall) expect(lines).toContain(`${n}: return 38`);
      else {
        expect(lines.filter((l) => l.startsWith(`${n}:`))).toEqual([]);
        expect(items).toContain(`probe ${n} (ENOSYS)`);
      }
    }
  });

  it.each([
    ['ptrace', 'ptrace: return 1'],
    ['futex', 'futex: return 38'],
  ])('keeps the errno a person chose for %s', (_n, line) => {
    expect(lines).toContain(line);
  });

  it('restricts socket() to the accepted families with one argument expression', () => {
    expect(lines).toContain('socket: arg0 == 1 || arg0 == 2; return 97');
    expect(lines.filter((l) => l.startsWith('socket:'))).toHaveLength(1);
  });

  it('reports the default, the horizon, paths, the mount and the capability, item by item', () => {
    expect(unexpressed.find((u) => u.item === 'default EPERM')?.reason).toMatch(/kills the process/);
    expect(items).toContain('ENOSYS for syscalls newer than the horizon (x86_64 number > 456)');
    for (const r of p.paths) expect(items).toContain(`${r.action} ${r.access.join(',')} ${r.pattern}`);
    expect(items).toContain('mount mount /tmp/app/mnt');
    expect(unexpressed.find((u) => u.item === 'capability CAP_NET_BIND_SERVICE')?.reason).toContain('minijail0 -c 0x400');
    expect(new Set(items).size).toBe(items.length);
  });

  it('leaves the i386 ABI out: i386-only names are not written, and reported', () => {
    const r = render(
      variant((x) => {
        x.arch.abis = ['x86_64', 'x86'];
        x.syscalls.allow = [...x.syscalls.allow, 'socketcall', '_llseek'].sort();
      }),
    );
    expect(r.lines.filter((l) => l.startsWith('socketcall') || l.startsWith('_llseek'))).toEqual([]);
    expect(r.items).toContain('syscall socketcall (i386)');
    expect(r.items).toContain('syscall _llseek (i386)');
    expect(r.items).toContain('the i386 ABI');
    // the x86_64 family restriction stays whole
    expect(r.lines).toContain('socket: arg0 == 1 || arg0 == 2; return 97');
    expect(checkMinijailGrammar(r.text)).toEqual([]);
  });

  it('writes an allowed syscall newer than the horizon (the workload needs it), and reports it', () => {
    const r = render(variant((x) => (x.syscalls.allow = [...x.syscalls.allow, 'mseal'].sort())));
    expect(r.lines).toContain('mseal: 1');
    expect(r.items).toContain('allow mseal');
  });

  it('answers socket() with EAFNOSUPPORT when every family was denied', () => {
    const r = render(variant((x) => ((x.network.allow = []), (x.network.deny = ['AF_INET']))));
    expect(r.lines).toContain('socket: return 97');
  });
});

describe('minijail exporter: argument expressions', () => {
  const eq = (v: number) => ({ name: 'socket', action: 'allow' as const, args: [{ index: 0, op: 'SCMP_CMP_EQ' as const, value: v }] });
  const no = (v: number, op: 'SCMP_CMP_EQ' | 'SCMP_CMP_GT' = 'SCMP_CMP_EQ') => ({ name: 'socket', action: 'errno' as const, errno: 97, args: [{ index: 0, op, value: v }] });
  it.each([
    [[eq(1), no(0), no(1, 'SCMP_CMP_GT')], 'socket: arg0 == 1; return 97'],
    [[eq(1), eq(10), no(0), ...[2, 3, 4, 5, 6, 7, 8, 9].map((v) => no(v)), no(10, 'SCMP_CMP_GT')], 'socket: arg0 == 1 || arg0 == 10; return 97'],
    [[eq(1), eq(2)], 'socket: arg0 == 1 || arg0 == 2; return 1'],
  ])('%#: %s', (rules, line) => {
    expect(minijailConditionalLine('socket', rules, 1)).toBe(line);
  });

  it('refuses errno rules that are not the complement of the allowed values', () => {
    expect(() => minijailConditionalLine('socket', [eq(1), eq(2), no(0), no(5, 'SCMP_CMP_GT')], 1)).toThrow(/complement/);
    expect(() => minijailConditionalLine('socket', [eq(1), no(0), no(1), no(1, 'SCMP_CMP_GT')], 1)).toThrow(/complement/);
  });
});
