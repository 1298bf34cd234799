/**
 * A policy that allows io_uring_setup cannot be held by any seccomp filter for what a ring
 * does: every format whose enforcement is a seccomp filter says so, item by item, and none
 * says it when io_uring is not allowed.
 */
import { describe, expect, it } from 'vitest';
import { exporterFor } from '../../src/export/registry.js';
import { samplePolicyWith } from '../helpers/sample-policy.js';

const seccompFormats = ['oci', 'docker', 'podman', 'spo', 'lxc', 'minijail', 'systemd', 'bwrap'];
const fakeBpf = new Uint8Array([0x06, 0, 0, 0, 0, 0, 0xff, 0x7f]);

async function unexpressed(format: string, ring: boolean): Promise<string[]> {
  const ex = (await exporterFor(format))!;
  const p = samplePolicyWith((q) => {
    q.syscalls.allow = q.syscalls.allow.filter((n) => !n.startsWith('io_uring'));
    if (ring) q.syscalls.allow.push('io_uring_setup', 'io_uring_enter');
  });
  return ex.render(p, { name: 'app', ...(format === 'bwrap' ? { bpf: fakeBpf } : {}) }).unexpressed.map((u) => `${u.item}: ${u.reason}`);
}

describe('io_uring in an exported seccomp profile', () => {
  it.each(seccompFormats)('%s: says the ring is not held when io_uring_setup is allowed, and only then', async (format) => {
    const withRing = await unexpressed(format, true);
    expect(withRing.filter((u) => u.startsWith('io_uring (io_uring_setup allowed): a seccomp filter never sees the operations a ring submits'))).toHaveLength(1);
    expect((await unexpressed(format, false)).some((u) => u.startsWith('io_uring'))).toBe(false);
  });
});
