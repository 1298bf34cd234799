/**
 * Capabilities when no in-kernel probe could watch the kernel's checks: derived from the
 * syscalls and their arguments, and labelled `inferred` (design.md). An inferred set is a guess
 * in both directions — it can miss a check the kernel made and name one it did not need — so
 * nothing may shrink a bounding set from it without saying so.
 */
import type { Observed, ObservedCapability } from './observations.js';
import { syscallByName } from './knowledge/syscalls.js';

function add(out: Map<string, ObservedCapability>, name: string, syscall: string | null, count: number): void {
  const key = `${name}\0${syscall ?? ''}`;
  const prev = out.get(key);
  if (prev) {
    prev.count += count;
    return;
  }
  out.set(key, { name, syscall, granted: true, class: 'required', inferred: true, count, first: { t: 0 } });
}

/** Capabilities the workload probably needed, from what it did. */
export function inferCapabilities(obs: Observed): ObservedCapability[] {
  const out = new Map<string, ObservedCapability>();
  for (const s of obs.syscalls) {
    const cap = syscallByName(s.name)?.capability;
    // socket and bind need a capability only for some arguments: judged below from those.
    if (cap && s.name !== 'socket' && s.name !== 'bind' && !s.name.startsWith('chown') && !s.name.endsWith('chown')) {
      add(out, cap, s.name, s.count);
    }
  }
  for (const m of obs.mounts) {
    if (m.result !== 'ok' && m.result !== 'unknown') continue;
    if (['mount', 'bind', 'move', 'remount', 'remount-bind', 'propagation', 'umount', 'pivot_root', 'move_mount', 'open_tree', 'fsopen'].includes(m.op)) {
      add(out, 'CAP_SYS_ADMIN', m.op === 'umount' ? 'umount2' : m.op === 'bind' || m.op === 'remount' ? 'mount' : m.op, m.count);
    } else if ((m.op === 'unshare' || m.op === 'clone' || m.op === 'clone3' || m.op === 'setns') && /CLONE_NEW(NS|UTS|IPC|PID|NET|CGROUP|TIME)/.test(m.flags) && !/CLONE_NEWUSER/.test(m.flags)) {
      add(out, 'CAP_SYS_ADMIN', m.op, m.count);
    }
  }
  for (const n of obs.network) {
    if (n.op === 'socket' && (n.family === 'AF_PACKET' || n.type === 'SOCK_RAW')) add(out, 'CAP_NET_RAW', 'socket', n.count);
    if (n.op === 'bind' && n.port !== null && n.port > 0 && n.port < 1024) add(out, 'CAP_NET_BIND_SERVICE', 'bind', n.count);
  }
  for (const p of obs.paths) {
    if (p.access === 'chown') add(out, 'CAP_CHOWN', p.first.syscall ?? 'chown', p.count);
  }
  return [...out.values()];
}
