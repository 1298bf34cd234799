/**
 * docker exporter: the moby seccomp JSON (golden), the docker run flags for capabilities and
 * network, and the list of what neither carries.
 */
import { describe, expect, it } from 'vitest';
import { dockerExporter, runFlags, shellWord } from '../../src/export/docker.js';
import { runtimeLayers } from '../../src/model/knowledge/runtime-layers.js';
import type { Policy } from '../../src/model/policy.js';
import { samplePolicy } from '../helpers/sample-policy.js';
import { golden } from '../helpers/golden.js';


const text = (c: string | Uint8Array) => (typeof c === 'string' ? c : Buffer.from(c).toString('utf8'));

// Goldens are rendered without a runtime layer, so a new measurement of a runtime's syscalls
// (runtime-layers.ts) does not churn them; the layer has its own test below.
const ctx = { name: 'app', output: 'profiles/app.docker-seccomp.json' };

describe('docker exporter', () => {
  const p = samplePolicy();
  const r = dockerExporter.render(p, ctx);
  const main = r.artifacts.find((a) => a.suffix === null)!;
  const flags = r.artifacts.find((a) => a.suffix === 'flags')!;

  it('renders the sample policy as the golden profile and flags', () => {
    golden('docker', 'app.docker-seccomp.json', text(main.content));
    golden('docker', 'app.docker-seccomp.json.flags', text(flags.content));
    expect(r.artifacts.map((a) => a.suffix)).toEqual([null, 'flags']);
  });

  it('is the JSON docker takes: errno default EPERM, errno rules, family conditions on socket', () => {
    const j = JSON.parse(text(main.content));
    expect(j.defaultAction).toBe('SCMP_ACT_ERRNO');
    expect(j.defaultErrnoRet).toBe(1);
    expect(j.architectures).toContain('SCMP_ARCH_X86_64');
    const allow = j.syscalls.find((s: { action: string; args?: unknown }) => s.action === 'SCMP_ACT_ALLOW' && !s.args);
    expect(allow.names).toContain('openat');
    expect(allow.names).not.toContain('ptrace');
    expect(allow.names).not.toContain('socket'); // only with a family condition
    expect(j.syscalls).toContainEqual({ names: ['ptrace'], action: 'SCMP_ACT_ERRNO', errnoRet: 1 });
    const enosys = j.syscalls.find((s: { errnoRet?: number }) => s.errnoRet === 38);
    expect(enosys.names).toEqual(expect.arrayContaining(['clone3', 'futex', 'openat2']));
    expect(j.syscalls).toContainEqual({ names: ['socket'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 2, op: 'SCMP_CMP_EQ' }] });
  });

  it('leaves paths and mounts unexpressed item by item, but not the capabilities the flags carry', () => {
    const items = r.unexpressed.map((u) => u.item);
    for (const rule of p.paths) expect(items).toContain(`${rule.action} ${rule.access.join(',')} ${rule.pattern}`);
    expect(items.filter((i) => i.startsWith('mount '))).toHaveLength(p.mounts.length);
    expect(items.some((i) => i.includes('CAP_NET_BIND_SERVICE'))).toBe(false);
    expect(r.unexpressed.every((u) => u.reason.length > 0)).toBe(true);
  });

  it('adds the runc layer as a separate rule, and says when a denial must yield to it', () => {
    const denyExecve: Policy = { ...p, syscalls: { ...p.syscalls, allow: p.syscalls.allow.filter((n) => n !== 'execve'), deny: [...p.syscalls.deny, { name: 'execve', errno: 'EPERM' }] } };
    const withLayer = dockerExporter.render(denyExecve, { ...ctx, runtime: 'runc' });
    const j = JSON.parse(text(withLayer.artifacts[0]!.content));
    const layer = j.syscalls.find((s: { comment?: string }) => s.comment);
    expect(layer.action).toBe('SCMP_ACT_ALLOW');
    expect(layer.names).toContain('execve');
    for (const n of layer.names) expect(runtimeLayers.runc.syscalls).toContain(n);
    expect(withLayer.unexpressed.map((u) => u.item)).toContain('deny execve');
  });
});

describe('docker run flags', () => {
  const base = samplePolicy();
  const withNet = (allow: string[], caps: string[] = []): Policy => ({ ...base, network: { allow, deny: [] }, capabilities: { allow: caps, inferred: [] } });
  const rows: Array<[string, Policy, string]> = [
    ['no sockets, no capabilities', withNet([]), '--security-opt seccomp=P.json --cap-drop=ALL --network none'],
    ['unix sockets only', withNet(['AF_UNIX', 'AF_NETLINK']), '--security-opt seccomp=P.json --cap-drop=ALL --network none'],
    ['AF_INET accepted', withNet(['AF_INET', 'AF_UNIX']), '--security-opt seccomp=P.json --cap-drop=ALL'],
    ['AF_INET6 accepted', withNet(['AF_INET6']), '--security-opt seccomp=P.json --cap-drop=ALL'],
    ['two capabilities', withNet([], ['CAP_CHOWN', 'CAP_NET_BIND_SERVICE']), '--security-opt seccomp=P.json --cap-drop=ALL --cap-add=CAP_CHOWN --cap-add=CAP_NET_BIND_SERVICE --network none'],
  ];
  it.each(rows)('%s', (_, p, expected) => {
    expect(runFlags(p, 'P.json').join(' ')).toBe(expected);
  });

  it('names the profile where the export writes it, default or -o', () => {
    const f = (c: object) => text(dockerExporter.render(base, { name: 'app', ...c }).artifacts[1]!.content);
    expect(f({})).toBe('--security-opt seccomp=profiles/app.docker-seccomp.json --cap-drop=ALL --cap-add=CAP_NET_BIND_SERVICE\n');
    expect(f({ output: '/srv/my profiles/x.json' })).toBe("--security-opt 'seccomp=/srv/my profiles/x.json' --cap-drop=ALL --cap-add=CAP_NET_BIND_SERVICE\n");
  });

  it('quotes words for the shell only when needed', () => {
    expect(shellWord('seccomp=/a/b-c_d.json')).toBe('seccomp=/a/b-c_d.json');
    expect(shellWord("it's")).toBe(`'it'\\''s'`);
    expect(shellWord('$(x)')).toBe("'$(x)'");
  });

  it('says when the capability set it keeps was inferred, not observed', () => {
    const p: Policy = { ...base, capabilities: { allow: ['CAP_NET_BIND_SERVICE'], inferred: ['CAP_NET_BIND_SERVICE'] } };
    const u = dockerExporter.render(p, ctx).unexpressed;
    expect(u).toContainEqual(expect.objectContaining({ item: 'capability CAP_NET_BIND_SERVICE (inferred)' }));
  });
});
