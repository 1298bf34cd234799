/**
 * What every exporter is: a pure function from the policy IR to artifacts, plus the list of what
 * the format cannot express — never dropped silently (design.md).
 */
import type { Policy } from '../model/policy.js';

/** One file an export writes. The main artifact has no suffix; others go beside it as PATH.<suffix>. */
export interface Artifact {
  suffix: string | null;
  content: string | Uint8Array;
  /** One line: what it is and how to use it. */
  description: string;
}

/** One policy item a format could not express, and why. */
export interface Unexpressed {
  item: string;
  reason: string;
}

export interface RenderResult {
  artifacts: Artifact[];
  unexpressed: Unexpressed[];
}

/** What the export command prepares before rendering (renderers stay pure). */
export interface RenderContext {
  /** A name for the profile (from the workload), safe for file and resource names. */
  name: string;
  /** The container runtime the profile is for, when the format targets one. */
  runtime?: 'runc' | 'crun' | 'podman';
  /** A compiled seccomp BPF program (from `whittle-tracer compile`), for formats that need one. */
  bpf?: Uint8Array;
  /** Where the main artifact will be written, when known (flags files name it). */
  output?: string;
}

export interface Exporter {
  format: string;
  /** One line for `whittle export --help`. */
  description: string;
  /** The default output file name. */
  defaultName(ctx: RenderContext): string;
  /** Needs a compiled BPF program in the context. */
  needsBpf?: boolean;
  /** Targets a container runtime: the runtime's own syscalls are added as a layer. */
  runtimeLayer?: boolean;
  render(policy: Policy, ctx: RenderContext): RenderResult;
}
