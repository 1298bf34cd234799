/**
 * podman exporter: Docker's JSON (podman reads the moby format), the podman run flags, the
 * podman runtime layer, and what crun cannot do with the errno policy's horizon.
 */
import { describe, expect, it } from 'vitest';
import { dockerExporter } from '../../src/export/docker.js';
import { namesAboveHorizon, podmanExporter } from '../../src/export/podman.js';
import { runtimeLayers } from '../../src/model/knowledge/runtime-layers.js';
import type { Policy } from '../../src/model/policy.js';
import { samplePolicy } from '../helpers/sample-policy.js';
import { golden } from '../helpers/golden.js';


const text = (c: string | Uint8Array) => (typeof c === 'string' ? c : Buffer.from(c).toString('utf8'));

// No runtime layer in the goldens: a new measurement of podman's syscalls must not churn them.
const ctx = { name: 'app' };

describe('podman exporter', () => {
  const p = samplePolicy();
  const r = podmanExporter.render(p, ctx);

  it('renders the sample policy as the golden profile and flags', () => {
    expect(r.artifacts.map((a) => a.suffix)).toEqual([null, 'flags']);
    golden('podman', 'app.podman-seccomp.json', text(r.artifacts[0]!.content));
    golden('podman', 'app.podman-seccomp.json.flags', text(r.artifacts[1]!.content));
  });

  it('writes the same JSON as the docker format (one profile format, two CLIs)', () => {
    expect(text(r.artifacts[0]!.content)).toBe(text(dockerExporter.render(p, ctx).artifacts[0]!.content));
  });

  it('flags name the podman profile, keep the capabilities, and no machine-specific flags', () => {
    const flags = text(r.artifacts[1]!.content);
    expect(flags).toBe('--security-opt seccomp=profiles/app.podman-seccomp.json --cap-drop=ALL --cap-add=CAP_NET_BIND_SERVICE\n');
    for (const machine of ['--storage-driver', '--cgroup-manager', '--ulimit']) expect(flags).not.toContain(machine);
    const offline: Policy = { ...p, network: { allow: ['AF_UNIX'], deny: ['AF_INET'] } };
    expect(text(podmanExporter.render(offline, ctx).artifacts[1]!.content)).toContain(' --network none\n');
  });

  it('adds the podman layer when the context names podman', () => {
    const j = JSON.parse(text(podmanExporter.render(p, { ...ctx, runtime: 'podman' }).artifacts[0]!.content));
    const layer = j.syscalls.find((s: { comment?: string }) => s.comment);
    expect(layer.names.length).toBeGreaterThan(0);
    const app = new Set(p.syscalls.allow);
    expect(layer.names).toEqual(runtimeLayers.podman.syscalls.filter((n) => !app.has(n)).sort());
  });

  it('says that crun answers EPERM, not ENOSYS, above the horizon, and names the syscalls affected', () => {
    const above = namesAboveHorizon(p);
    expect(above).toEqual(expect.arrayContaining(['listmount', 'mseal', 'statmount']));
    expect(above).not.toContain('clone3'); // 435: below the sample's horizon (456)
    expect(above).not.toContain('futex_requeue'); // 456: the horizon itself
    const item = r.unexpressed.find((u) => u.item.startsWith('ENOSYS above the horizon'));
    expect(item?.item).toBe('ENOSYS above the horizon (x86_64 syscall > 456)');
    expect(item?.reason).toContain('mseal');
  });

  it('leaves every path and mount unexpressed, each as its own item', () => {
    const items = r.unexpressed.map((u) => u.item);
    for (const rule of p.paths) expect(items).toContain(`${rule.action} ${rule.access.join(',')} ${rule.pattern}`);
    expect(items).toContain('mount mount /tmp/app/mnt');
    expect(items.some((i) => i.startsWith('capability '))).toBe(false);
  });
});
