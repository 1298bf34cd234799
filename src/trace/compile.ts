/**
 * Compile a policy's syscall filter to a seccomp BPF program with the tracer
 * (`whittle-tracer compile`, libseccomp): for formats that take a compiled program (bwrap).
 */
import { spawn } from 'node:child_process';
import type { Policy } from '../model/policy.js';
import { syscallByNumber, syscallNumber, type SyscallArch } from '../model/knowledge/syscalls.js';
import { familyByName } from '../model/knowledge/families.js';
import { tracerPath } from './tracer-process.js';

/** Highest syscall number a filter distinguishes; everything above is ENOSYS. */
const MAX_NR = 1023;
/**
 * The highest number an ABI's block of the stub sees: on x86_64 the numbers from 0x40000000 up are
 * x32 calls (refused as a foreign ABI before the ranges); i386 has no such split.
 */
const TOP_NR: Record<SyscallArch, number> = { x86_64: 0x3fffffff, x86: 0xffffffff };

/**
 * Numbers with no syscall behind them on an ABI (holes, obsolete calls the kernel answers ENOSYS
 * itself), numbers above the horizon and every number above the table, except the allowed ones:
 * as [first, last] ranges.
 */
export function enosysRanges(arch: SyscallArch, horizon: number, allowedNumbers: Set<number>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = -1;
  for (let nr = 0; nr <= MAX_NR + 1; nr++) {
    const info = nr <= MAX_NR ? syscallByNumber(arch, nr) : undefined;
    const none = nr <= MAX_NR && !allowedNumbers.has(nr) && (!info || info.obsolete === true || nr > horizon);
    if (none && start < 0) start = nr;
    if (!none && start >= 0) {
      out.push([start, nr - 1]);
      start = -1;
    }
  }
  // No kernel has a syscall above the table: those numbers get ENOSYS too (as from the kernel),
  // not the default errno.
  const last = out.at(-1);
  if (last && last[1] === MAX_NR) last[1] = TOP_NR[arch];
  else out.push([MAX_NR + 1, TOP_NR[arch]]);
  return out;
}

/** The filter spec the tracer reads (tracer/PROTOCOL.md, "Filter specs"). */
export function filterSpec(p: Policy): string {
  const lines: string[] = ['whittle-filter 1'];
  for (const a of p.arch.abis) lines.push(`arch ${a}`);
  lines.push(`horizon ${p.horizon.syscall}`);
  lines.push(`default errno ${p.syscalls.defaultErrno}`);
  for (const n of p.syscalls.allow) lines.push(`allow ${n}`);
  for (const d of p.syscalls.deny) lines.push(`errno ${d.errno} ${d.name}`);
  for (const n of p.syscalls.enosys) lines.push(`probe ${n}`);
  // socket()/socketpair() only for the accepted families (EAFNOSUPPORT otherwise)
  if (p.syscalls.allow.includes('socket') || p.syscalls.allow.includes('socketpair')) {
    lines.push('restrict-families');
    for (const f of p.network.allow) {
      const nr = familyByName(f)?.number;
      if (nr !== undefined) lines.push(`family ${nr}`);
    }
  }
  for (const arch of p.arch.abis) {
    // allowed calls too new for libseccomp to name go in by number, ahead of the ENOSYS ranges
    const allowed = new Set<number>();
    for (const n of p.syscalls.allow) {
      const nr = syscallNumber(arch, n);
      if (nr !== null && nr > p.horizon.libseccomp) allowed.add(nr);
    }
    for (const nr of allowed) lines.push(`allownr ${arch} ${nr}`);
    for (const [a, b] of enosysRanges(arch, Math.max(p.horizon.syscall, ...allowed), allowed)) lines.push(`enosys ${arch} ${a} ${b}`);
  }
  return lines.join('\n') + '\n';
}

export function compileFilter(p: Policy): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const child = spawn(tracerPath(), ['compile'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(new Uint8Array(Buffer.concat(out)));
      else reject(new Error(`compiling the seccomp filter failed: ${Buffer.concat(err).toString().trim()}`));
    });
    child.stdin.end(filterSpec(p));
  });
}
