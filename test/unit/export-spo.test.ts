/**
 * spo exporter: a Security Profiles Operator SeccompProfile as YAML (golden), read back with a
 * small strict parser of the YAML subset it writes, so the rules, the name and every quoted
 * string come back exactly as the policy had them.
 */
import { describe, expect, it } from 'vitest';
import { renderOciLike } from '../../src/export/oci.js';
import { resourceName, spoExporter, SPO_API_VERSION, yamlString } from '../../src/export/spo.js';
import type { Policy } from '../../src/model/policy.js';
import { samplePolicy } from '../helpers/sample-policy.js';
import { golden } from '../helpers/golden.js';


type Yaml = string | number | Yaml[] | { [k: string]: Yaml };

/**
 * The YAML subset the exporter writes, and nothing more: block mappings and sequences indented
 * by two, full-line comments, plain scalars (integers, or strings no YAML reader takes for a
 * bool or null) and double-quoted strings with JSON's escapes. Anything else throws, so output
 * outside the subset fails the test instead of being read leniently.
 */
function parseYamlSubset(src: string): Yaml {
  const lines = src
    .split('\n')
    .map((raw, i) => ({ n: i + 1, indent: raw.length - raw.trimStart().length, text: raw.trim() }))
    .filter((l) => l.text !== '' && !l.text.startsWith('#'));
  for (const l of lines) if (/\t/.test(l.text) && !l.text.includes('"')) throw new Error(`line ${l.n}: tab`);
  let pos = 0;
  const scalar = (s: string, n: number): Yaml => {
    if (s.startsWith('"')) {
      if (!s.endsWith('"') || s.length < 2) throw new Error(`line ${n}: unterminated string ${s}`);
      return JSON.parse(s) as string;
    }
    if (/^-?\d+$/.test(s)) return Number(s);
    if (/^(y|yes|n|no|true|false|on|off|null|~)$/i.test(s) || /^[-?:,[\]{}#&*!|>'"%@`]/.test(s) || /: | #/.test(s) || /^[0-9.+-]/.test(s)) {
      throw new Error(`line ${n}: plain scalar a YAML reader could misread: ${s}`);
    }
    return s;
  };
  const block = (indent: number): Yaml => {
    const first = lines[pos];
    if (!first || first.indent !== indent) throw new Error(`line ${first?.n}: expected indent ${indent}`);
    if (first.text.startsWith('- ')) {
      const seq: Yaml[] = [];
      while (pos < lines.length && lines[pos]!.indent === indent && lines[pos]!.text.startsWith('- ')) {
        const l = lines[pos]!;
        const rest = l.text.slice(2);
        if (/^[A-Za-z_][A-Za-z0-9_]*:( |$)/.test(rest)) {
          // a mapping that starts on the dash line: read it as if the dash were indentation
          lines[pos] = { n: l.n, indent: indent + 2, text: rest };
          seq.push(block(indent + 2));
        } else {
          seq.push(scalar(rest, l.n));
          pos++;
        }
      }
      return seq;
    }
    const map: Record<string, Yaml> = {};
    while (pos < lines.length && lines[pos]!.indent === indent) {
      const l = lines[pos]!;
      const m = /^([A-Za-z_][A-Za-z0-9_]*):(?: (.*))?$/.exec(l.text);
      if (!m) throw new Error(`line ${l.n}: expected "key: value", got ${l.text}`);
      if (m[1]! in map) throw new Error(`line ${l.n}: duplicate key ${m[1]}`);
      pos++;
      if (m[2] !== undefined) map[m[1]!] = scalar(m[2], l.n);
      else map[m[1]!] = block(lines[pos]?.indent ?? -1);
    }
    return map;
  };
  const doc = block(0);
  if (pos !== lines.length) throw new Error(`line ${lines[pos]!.n}: unexpected indentation`);
  return doc;
}

const text = (c: string | Uint8Array) => (typeof c === 'string' ? c : Buffer.from(c).toString('utf8'));
const ctx = { name: 'app' };
const render = (p: Policy, c: Parameters<typeof spoExporter.render>[1] = ctx) => spoExporter.render(p, c);
const parse = (p: Policy, c?: Parameters<typeof spoExporter.render>[1]) => parseYamlSubset(text(render(p, c).artifacts[0]!.content)) as any;

describe('spo exporter', () => {
  const p = samplePolicy();

  it('renders the sample policy as the golden SeccompProfile', () => {
    const r = render(p);
    expect(r.artifacts.map((a) => a.suffix)).toEqual([null]);
    golden('spo', 'app.seccompprofile.yaml', text(r.artifacts[0]!.content));
  });

  it('reads back as the CRD shape, with the same rules as the OCI profile (no comment fields)', () => {
    const doc = parse(p, { ...ctx, runtime: 'runc' });
    expect(doc.apiVersion).toBe(SPO_API_VERSION);
    expect(doc.kind).toBe('SeccompProfile');
    expect(Object.keys(doc)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(Object.keys(doc.spec)).toEqual(['defaultAction', 'architectures', 'syscalls']);
    const oci = renderOciLike(p, { ...ctx, runtime: 'runc' }, 'x').object;
    expect(doc.spec.defaultAction).toBe(oci.defaultAction);
    expect(doc.spec.architectures).toEqual(oci.architectures);
    const expected = oci.syscalls.map(({ comment: _c, ...rule }) => rule);
    // same rules, field order aside
    expect(doc.spec.syscalls).toEqual(expected);
    for (const rule of doc.spec.syscalls) {
      for (const k of Object.keys(rule)) expect(['action', 'names', 'errnoRet', 'args']).toContain(k);
      expect(rule.args?.length ?? 0).toBeLessThanOrEqual(6);
    }
  });

  it('names the runtime layer in comments, and says the kubelet may run another runtime', () => {
    const withLayer = text(render(p, { ...ctx, runtime: 'runc' }).artifacts[0]!.content);
    expect(withLayer).toMatch(/^# It includes the runc layer/m);
    expect(withLayer).toMatch(/kubelet's runtime may differ/);
    expect(withLayer).toMatch(/^ {4}# the container runtime itself\n {4}- action: SCMP_ACT_ALLOW$/m);
    expect(text(render(p).artifacts[0]!.content)).toMatch(/^# It includes no runtime layer/m);
  });

  it('keeps a workload description with any characters exactly, quoted', () => {
    const argv = ['/opt/my app/run', '--name=a: b', 'say "hi"\n', 'true', '#not-a-comment', 'back\\slash', 'tab\there', 'sep\u2028x'];
    const doc = parse({ ...p, workload: { argv } });
    expect(doc.metadata.annotations.description).toBe(`learned by whittle from: ${argv.join(' ')}`);
  });

  it('says capabilities belong in the Pod securityContext, by their Kubernetes names', () => {
    const u = render(p).unexpressed.find((x) => x.item === 'capability CAP_NET_BIND_SERVICE');
    expect(u?.reason).toContain('securityContext.capabilities');
    expect(u?.reason).toContain('add: ["NET_BIND_SERVICE"]');
  });

  it('keeps every socket-family rule within the CRD (one condition each, at most 6 allowed)', () => {
    const families = ['AF_UNIX', 'AF_INET', 'AF_INET6', 'AF_NETLINK', 'AF_PACKET', 'AF_KEY', 'AF_ALG'];
    const many: Policy = { ...p, network: { allow: families, deny: [] } };
    const r = render(many);
    const doc = parseYamlSubset(text(r.artifacts[0]!.content)) as { spec: { syscalls: Array<{ names: string[]; action: string; args?: unknown[] }> } };
    const socketRules = doc.spec.syscalls.filter((s) => s.names.includes('socket'));
    // one allow rule per accepted family; the other families are refused rule by rule
    expect(socketRules.filter((s) => s.action === 'SCMP_ACT_ALLOW')).toHaveLength(7);
    expect(socketRules.filter((s) => s.action === 'SCMP_ACT_ERRNO').length).toBeGreaterThan(0);
    for (const rule of socketRules) expect(rule.args?.length ?? 0).toBeLessThanOrEqual(6);
    expect(r.unexpressed.map((u) => u.item).filter((i) => /argument conditions/.test(i))).toEqual([]);
  });

  it('says what crun on a node does with the horizon', () => {
    expect(render(p).unexpressed.map((u) => u.item)).toContain('ENOSYS above the horizon (x86_64 syscall > 456)');
  });
});

describe('metadata.name: a DNS-1123 label from the workload name', () => {
  const rows: Array<[string, string]> = [
    ['app', 'app'],
    ['App_Server.v2', 'app-server-v2'],
    ['python3.11', 'python3-11'],
    ['--weird--', 'weird'],
    ['', 'workload'],
    ['...', 'workload'],
    ['a'.repeat(70), 'a'.repeat(63)],
    [`${'a'.repeat(62)}-b`, 'a'.repeat(62)],
    ['9lives', '9lives'],
  ];
  it.each(rows)('%j → %j', (input, expected) => {
    const name = resourceName(input);
    expect(name).toBe(expected);
    expect(name).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
  });

  it('stays a string in the YAML even when it looks like a number', () => {
    expect(parse(samplePolicy(), { name: '9lives' }).metadata.name).toBe('9lives');
    expect(parse(samplePolicy(), { name: '1234' }).metadata.name).toBe('1234');
    expect(spoExporter.defaultName({ name: 'App_Server.v2' })).toBe('app-server-v2.seccompprofile.yaml');
  });
});

describe('yamlString', () => {
  const rows: Array<[string, string]> = [
    ['SCMP_ACT_ALLOW', 'SCMP_ACT_ALLOW'],
    ['read', 'read'],
    ['true', '"true"'],
    ['No', '"No"'],
    ['null', '"null"'],
    ['123', '"123"'],
    ['1e3', '"1e3"'],
    ['a: b', '"a: b"'],
    ['#x', '"#x"'],
    ['-x', '"-x"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['a\nb', '"a\\nb"'],
    ['x\u2028y', '"x\\u2028y"'],
    ['\u0007', '"\\u0007"'],
  ];
  it.each(rows)('%j → %s', (input, expected) => {
    expect(yamlString(input)).toBe(expected);
    expect(parseYamlSubset(`k: ${yamlString(input)}\n`)).toEqual({ k: input });
  });
});
