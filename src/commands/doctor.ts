/**
 * `whittle doctor`: what whittle needs on this machine, checked for real, and how to fix what
 * is missing. Exit 0 when learning and enforcing work, 1 when something required is missing.
 */
import { execa } from 'execa';
import { runProbe, type ProbeCheck, type ProbeResult } from '../trace/probe.js';
import { TracerMissingError, tracerExists } from '../trace/tracer-process.js';
import { bold, red, yellow } from './output.js';

interface ToolCheck {
  tool: string;
  purpose: string;
  ok: boolean;
  version?: string;
  fix: string;
}

const tools: Array<{ tool: string; args: string[]; purpose: string; pkg: string }> = [
  { tool: 'runc', args: ['--version'], purpose: 'OCI runtime: checks oci exports, profiles containers', pkg: 'runc' },
  { tool: 'crun', args: ['--version'], purpose: 'OCI runtime: checks oci exports, profiles containers', pkg: 'crun' },
  { tool: 'podman', args: ['--version'], purpose: 'checks docker/podman exports, profiles images', pkg: 'podman' },
  { tool: 'apparmor_parser', args: ['--version'], purpose: 'compiles apparmor exports', pkg: 'apparmor' },
  { tool: 'lxc-execute', args: ['--version'], purpose: 'checks lxc exports', pkg: 'lxc' },
  { tool: 'bwrap', args: ['--version'], purpose: 'checks bwrap exports', pkg: 'bubblewrap' },
  { tool: 'systemd-analyze', args: ['--version'], purpose: 'checks systemd exports', pkg: 'systemd' },
  { tool: 'strace', args: ['-V'], purpose: 'ground truth in whittle\'s own tests', pkg: 'strace' },
  { tool: 'tmux', args: ['-V'], purpose: 'end-to-end tests of the TUI', pkg: 'tmux' },
];

async function checkTool(t: (typeof tools)[number]): Promise<ToolCheck> {
  const r = await execa(t.tool, t.args, { reject: false, timeout: 10_000 }).catch(() => null);
  if (!r || r.failed && (r as { code?: string }).code === 'ENOENT' || r.exitCode === undefined) {
    return { tool: t.tool, purpose: t.purpose, ok: false, fix: `apt-get install ${t.pkg}` };
  }
  const first = `${r.stdout}\n${r.stderr}`.split('\n').find((l) => /\d+\.\d+/.test(l)) ?? '';
  const version = /(\d+\.\d+(\.\d+)?)/.exec(first)?.[1];
  return { tool: t.tool, purpose: t.purpose, ok: r.exitCode === 0 || !!version, version, fix: `apt-get install ${t.pkg}` };
}

/** Which requirements a probe result fails, in words. */
export function missingRequirements(p: ProbeResult): string[] {
  const byId = new Map(p.checks.map((c) => [c.id, c]));
  const ok = (id: string) => byId.get(id)?.ok === true;
  const missing: string[] = [];
  if (!ok('root')) missing.push('root and its capabilities');
  if (!ok('cgroup2')) missing.push('a cgroup v2 hierarchy');
  const seccomp = ok('seccomp-log') && ok('seccomp-notify') && ok('audit-readlog') && ok('proc-connector');
  const ebpf = ok('ebpf') && ok('btf');
  if (!seccomp && !ebpf) missing.push('a learn mechanism (neither seccomp RET_LOG with user notification nor the eBPF recorder works)');
  return missing;
}

function line(ok: boolean | 'warn', name: string, detail: string): string {
  const tag = ok === true ? 'ok  ' : ok === 'warn' ? yellow('warn') : red('FAIL');
  return `  ${tag}  ${name.padEnd(16)} ${detail}`;
}

/**
 * Containers: crun 1.8.1 refuses a hybrid cgroup layout whose cgroup2 has controllers ("cgroups in
 * hybrid mode not supported"). Said with its fix; applied only with --fix-crun.
 */
async function crunCheck(fix: boolean): Promise<{ ok: boolean; detail: string; fix?: string; applied?: string[] }> {
  const { crunHybridControllers, fixCrunHybrid } = await import('../launch/container.js');
  let ctl = crunHybridControllers();
  const applied: string[] = [];
  if (ctl && fix) {
    const r = fixCrunHybrid();
    for (const m of r.mounted) applied.push(`mounted the ${m} (cgroup v1)`);
    for (const f of r.failed) applied.push(`could not mount ${f.controller}: ${f.error}`);
    ctl = r.remaining;
  }
  if (!ctl) return { ok: true, detail: fix && applied.length ? 'crun can run containers here now' : 'crun can create containers on this cgroup layout', applied };
  return {
    ok: false,
    detail:
      `cgroups are in hybrid mode (v1 controllers, cgroup2 at /sys/fs/cgroup/unified) and cgroup2 has controllers of its own (${ctl.join(', ')}): ` +
      'crun refuses to create containers ("cgroups in hybrid mode not supported"), and so does podman with crun',
    fix: `whittle doctor --fix-crun (it mounts ${ctl.map((c) => `-t cgroup -o ${c} at /sys/fs/cgroup/${c}`).join('; ')}; until reboot), or use --runtime runc`,
    applied,
  };
}

export async function doctorCommand(o: { json: boolean; fixCrun?: boolean }): Promise<number> {
  if (!tracerExists()) {
    const e = new TracerMissingError('tracer/whittle-tracer');
    if (o.json) process.stdout.write(JSON.stringify({ ok: false, missing: ['the tracer binary'], hint: e.hint }, null, 2) + '\n');
    else process.stdout.write(`${line(false, 'tracer', e.message)}\n        fix: ${e.hint}\n`);
    return 1;
  }
  const [probe, toolResults, crun] = await Promise.all([runProbe(), Promise.all(tools.map(checkTool)), crunCheck(!!o.fixCrun)]);
  const missing = missingRequirements(probe);
  // --fix-crun asks for one thing: its outcome is the exit status
  const fixFailed = !!o.fixCrun && !crun.ok;
  if (o.json) {
    process.stdout.write(JSON.stringify({ ok: missing.length === 0, missing, ...probe, tools: toolResults, crunCgroups: crun }, null, 2) + '\n');
    return missing.length || fixFailed ? 1 : 0;
  }
  const out: string[] = [];
  out.push(bold(`whittle doctor — kernel ${probe.kernel} (${probe.machine}), libseccomp ${probe.libseccomp}`));
  out.push('kernel features');
  for (const c of probe.checks) {
    const optional = c.neededFor === 'optional' || c.neededFor === 'enforce';
    out.push(line(c.ok ? true : optional ? 'warn' : false, c.id, `${c.title}: ${c.detail}`));
    if (!c.ok && c.fix) out.push(`        fix: ${c.fix}`);
  }
  const byId = new Map<string, ProbeCheck>(probe.checks.map((c) => [c.id, c]));
  out.push(`learn mechanism: ${bold(probe.bestMechanism)} (default)${byId.get('ebpf')?.ok ? '' : ' — the eBPF recorder is not usable, so learning costs more on syscall-heavy work'}`);
  out.push('tools (optional: each checks exports for one launcher)');
  for (const t of toolResults) {
    out.push(line(t.ok ? true : 'warn', t.tool, t.ok ? `${t.version ?? ''} — ${t.purpose}` : `missing — ${t.purpose}`));
    if (!t.ok) out.push(`        fix: ${t.fix}`);
  }
  out.push('containers (whittle learn/run --container)');
  for (const a of crun.applied ?? []) out.push(`  fix   ${a}`);
  out.push(line(crun.ok ? true : 'warn', 'crun cgroups', crun.detail));
  if (!crun.ok && crun.fix) out.push(`        fix: ${crun.fix}`);
  if (missing.length) out.push(red(`whittle cannot learn here: missing ${missing.join('; ')}`));
  else out.push('whittle can learn and enforce on this machine.');
  process.stdout.write(out.join('\n') + '\n');
  return missing.length || fixFailed ? 1 : 0;
}
