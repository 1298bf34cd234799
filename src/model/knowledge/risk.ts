/**
 * Risk levels shared by every knowledge table (syscalls, capabilities, socket families, paths,
 * mounts). Plain data, no I/O.
 *
 * - `low`: everyday operation; allowing it costs little.
 * - `medium`: needs care; harmless for most programs, but some uses widen what the workload can reach.
 * - `high`: breaks isolation or grants broad privilege (new namespaces, keyrings, other processes' memory).
 * - `critical`: can take over the machine or the kernel (load code into the kernel, mount, raw hardware).
 */
export type Risk = 'low' | 'medium' | 'high' | 'critical';

/** All risk levels, lowest first (handy for menus and sorting). */
export const riskLevels: readonly Risk[] = ['low', 'medium', 'high', 'critical'];

/** Rank of a risk level (low = 0 … critical = 3), for sorting and "at least" comparisons. */
export function riskRank(risk: Risk): number {
  return riskLevels.indexOf(risk);
}

/** True when `risk` is at least as serious as `threshold`. */
export function riskAtLeast(risk: Risk, threshold: Risk): boolean {
  return riskRank(risk) >= riskRank(threshold);
}
