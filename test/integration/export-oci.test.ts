/**
 * The oci export, handed to real runtimes (runc 1.1.5, crun 1.8.1) as root on the real kernel:
 * a program learned on the host starts in a bundle under `whittle export --format oci` the first
 * time, a syscall a person denied fails there with exactly the errno they chose, a probe syscall
 * never seen answers ENOSYS so the program falls back, each runtime refuses a broken profile, and
 * the runtime layer is what makes the container start.
 *
 * Bundles are busybox-static plus static test programs (test/helpers/bundle.ts). The programs
 * run on the host at test/fixtures/bin/… and in the container at /bin/…: a seccomp profile does
 * not care where the binary is.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ociExporter } from '../../src/export/oci.js';
import { runtimeLayers } from '../../src/model/knowledge/runtime-layers.js';
import { loadPolicy } from '../../src/store/policy-file.js';
import { makeBundle, requireTools, runBundle, type Bundle, type OciRuntime } from '../helpers/bundle.js';
import { learnAndDecide, type Denial } from '../helpers/policy.js';
import { requireRootAndBuild } from '../helpers/setup.js';
import { fixture, runWhittle, scratchDir } from '../helpers/whittle.js';

let work: { dir: string; cleanup: () => void };
const bundles: Bundle[] = [];

beforeAll(async () => {
  await requireRootAndBuild();
  requireTools('runc', 'crun', 'busybox');
  work = scratchDir('whittle-oci-');
}, 300_000);

afterAll(() => {
  for (const b of bundles) b.cleanup();
  work?.cleanup();
});

/** A bundle with deny-probe and fallback-probe in /bin, running args. */
function bundle(args: string[], opts: { noNewPrivileges?: boolean } = {}): Bundle {
  const b = makeBundle({
    args,
    files: { '/bin/deny-probe': fixture('deny-probe-static'), '/bin/fallback-probe': fixture('fallback-probe-static') },
    noNewPrivileges: opts.noNewPrivileges,
  });
  bundles.push(b);
  return b;
}

type Profile = { defaultAction: string; defaultErrnoRet: number; architectures: string[]; syscalls: Array<{ names: string[]; action: string; errnoRet?: number; comment?: string }> };

/** Learn argv on the host, accept all, apply the denials, `whittle export --format oci --runtime R`. */
async function learnAndExport(name: string, argv: string[], runtime: OciRuntime, deny: Denial[] = []) {
  const snapshot = await learnAndDecide(argv, { dir: work.dir, name, deny });
  const out = path.join(work.dir, `${name}.${runtime}.oci.json`);
  const r = await runWhittle(['export', snapshot, '--format', 'oci', '--runtime', runtime, '-o', out]);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout.split('\t')[0]).toBe(out);
  expect(r.stderr).toContain(`added the ${runtime} layer`);
  return { snapshot, profile: out, json: JSON.parse(readFileSync(out, 'utf8')) as Profile, stderr: r.stderr };
}

const runtimes: OciRuntime[] = ['runc', 'crun'];
const classicOut = ['clone3', 'openat2', 'statx', 'faccessat2', 'close_range', 'listmount'].map((n) => `${n} classic\n`).join('');

describe.each(runtimes)('%s runs what whittle exported', (runtime) => {
  // Learned once per runtime: fallback-probe's classic mode makes only the old calls.
  let classic: Awaited<ReturnType<typeof learnAndExport>>;
  beforeAll(async () => {
    classic = await learnAndExport(`classic-${runtime}`, [fixture('fallback-probe-static'), 'classic'], runtime);
  }, 120_000);

  it.each([true, false])('starts the first time and exits 0 (noNewPrivileges %s)', async (nnp) => {
    // noNewPrivileges=true is `runc spec`'s default, false Docker's and podman's: the runtime
    // installs the filter at a different point, so each exercises a different part of the layer
    const b = bundle(['/bin/fallback-probe', 'classic'], { noNewPrivileges: nnp });
    b.setSeccomp(classic.profile);
    const r = await runBundle(runtime, b);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(classicOut);
    expect(r.code).toBe(0);
  });

  it('the profile has the measured runtime layer as its own rule, and ENOSYS as its default', () => {
    const layer = classic.json.syscalls.find((s) => s.comment === 'the container runtime itself');
    expect(layer?.action).toBe('SCMP_ACT_ALLOW');
    expect(layer!.names.length).toBeGreaterThan(0);
    for (const n of layer!.names) expect(runtimeLayers[runtime].syscalls).toContain(n);
    expect(classic.json.defaultErrnoRet).toBe(38);
    // the workload never used i386: the profile leaves that ABI out, and says so
    expect(classic.json.architectures).toEqual(['SCMP_ARCH_X86_64', 'SCMP_ARCH_X32']);
    expect(classic.stderr).toContain('i386 syscalls');
  });

  it('a probe syscall never seen answers ENOSYS inside, and the program falls back', async () => {
    const b = bundle(['/bin/fallback-probe', 'new']);
    b.setSeccomp(classic.profile);
    const r = await runBundle(runtime, b);
    expect(r.stderr).toBe('');
    // a probe the runtime itself makes (runc: faccessat2) is allowed for the runtime, and so works
    const expected = ['clone3', 'openat2', 'statx', 'faccessat2', 'close_range', 'listmount']
      .map((n) => `${n} ${runtimeLayers[runtime].syscalls.includes(n) ? 'ok' : 'fallback'}\n`)
      .join('');
    expect(r.stdout).toBe(expected);
    expect(r.code).toBe(0);
    // listmount (458) is newer than libseccomp 2.5.4 knows: no profile can name it, the default answers
    expect(classic.json.syscalls.some((s) => s.names.includes('listmount') && s.errnoRet !== 38)).toBe(false);
  });

  it('a known syscall the workload never made answers EPERM', async () => {
    const b = bundle(['/bin/deny-probe', 'personality']);
    b.setSeccomp(classic.profile);
    const r = await runBundle(runtime, b);
    expect(r.stdout).toBe('personality errno=EPERM\n');
    expect(r.code).toBe(0);
  });

  it("a person's denials fail with exactly their errno, and the program runs on", async () => {
    const dp = fixture('deny-probe-static');
    const e = await learnAndExport(
      `deny-${runtime}`,
      ['/bin/busybox', 'sh', '-c', `${dp} getppid; ${dp} uname; ${dp} personality; ${dp} mkdirat`],
      runtime,
      [
        { key: 'syscall:getppid', errno: 'EPERM' },
        { key: 'syscall:uname', errno: 'EACCES' },
        { key: 'syscall:personality', errno: 'EPERM' },
      ],
    );
    expect(e.json.syscalls).toContainEqual({ names: ['uname'], action: 'SCMP_ACT_ERRNO', errnoRet: 13 });
    // runc init itself calls getppid after the filter is in place: that denial cannot be kept,
    // and the export says so; crun does not, so there it holds
    const runtimeNeedsGetppid = runtimeLayers[runtime].syscalls.includes('getppid');
    expect(runtimeNeedsGetppid).toBe(runtime === 'runc');
    if (runtimeNeedsGetppid) expect(e.stderr).toContain('oci cannot express: deny getppid');
    else expect(e.stderr).not.toContain('deny getppid');
    const b = bundle(['/bin/sh', '-c', '/bin/deny-probe getppid; /bin/deny-probe uname; /bin/deny-probe personality; /bin/deny-probe mkdirat']);
    b.setSeccomp(e.profile);
    const r = await runBundle(runtime, b);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`getppid ${runtimeNeedsGetppid ? 'ok' : 'errno=EPERM'}\nuname errno=EACCES\npersonality errno=EPERM\nmkdirat ok\n`);
    expect(r.code).toBe(0);
  });

  it('socket() works for the families the program used and answers EAFNOSUPPORT for any other', async () => {
    // sockets-static uses AF_UNIX, AF_INET, AF_INET6 and AF_NETLINK: the profile allows those four
    // (one ALLOW rule each) and answers EAFNOSUPPORT for every other value, in the gaps and above
    const e = await learnAndExport(`sockets-${runtime}`, ['/bin/busybox', 'sh', '-c', `${fixture('sockets-static')} && ${fixture('deny-probe-static')} socket-inet`], runtime);
    const b = bundle(['/bin/sh', '-c', '/bin/deny-probe socket-inet; /bin/deny-probe socket-packet']);
    b.setSeccomp(e.profile);
    const r = await runBundle(runtime, b);
    expect(r.stderr, 'the runtime refused the family rules').toBe('');
    // AF_PACKET (17) is above the largest allowed family (AF_NETLINK, 16); without the filter the
    // container would answer EPERM (no CAP_NET_RAW), so EAFNOSUPPORT is the profile's answer
    expect(r.stdout).toBe('socket-inet ok\nsocket-packet errno=EAFNOSUPPORT\n');
    expect(r.code).toBe(0);
  });

  it('i386: a workload that used int 0x80 keeps it; one that did not is killed when it tries', async () => {
    const e = await learnAndExport(`int80-${runtime}`, [fixture('deny-probe-static'), 'int80-getppid'], runtime);
    expect(e.json.architectures).toContain('SCMP_ARCH_X86');
    const ok = bundle(['/bin/deny-probe', 'int80-getppid']);
    ok.setSeccomp(e.profile);
    const r = await runBundle(runtime, ok);
    expect(r.stdout).toBe('int80-getppid ok\n');
    expect(r.code).toBe(0);
    // the classic profile has no i386 ABI: the runtime's bad-architecture action is SIGSYS
    const killed = bundle(['/bin/deny-probe', 'int80-getppid']);
    killed.setSeccomp(classic.profile);
    const k = await runBundle(runtime, killed);
    expect(k.stdout).toBe('');
    expect(k.code).toBe(128 + 31);
  });

  it('refuses a profile with an unknown action, and the program never runs', async () => {
    const broken = structuredClone(classic.json);
    broken.syscalls[0]!.action = 'SCMP_ACT_BOGUS';
    const b = bundle(['/bin/fallback-probe', 'classic']);
    b.setSeccomp(broken);
    const r = await runBundle(runtime, b);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('SCMP_ACT_BOGUS');
  });

  it('what the runtimes do not check: unknown names are skipped silently (so whittle must name right)', async () => {
    const odd = structuredClone(classic.json);
    odd.syscalls[0]!.names.push('no_such_syscall');
    const b = bundle(['/bin/fallback-probe', 'classic']);
    b.setSeccomp(odd);
    const r = await runBundle(runtime, b);
    expect(r.stdout).toBe(classicOut);
    expect(r.code).toBe(0);
  });

  it('a wrongly typed errnoRet: runc refuses it, crun answers EPERM instead (measured)', async () => {
    const odd = structuredClone(classic.json) as unknown as { syscalls: Array<{ names: string[]; errnoRet?: unknown }> };
    const rule = odd.syscalls.find((s) => s.names.includes('clone3'))!;
    rule.errnoRet = 'ENOSYS';
    const b = bundle(['/bin/fallback-probe', 'new']);
    b.setSeccomp(odd);
    const r = await runBundle(runtime, b);
    if (runtime === 'runc') {
      expect(r.code).not.toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('errnoRet');
    } else {
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^clone3 errno=EPERM\n/);
    }
  });

  it('the runtime layer is what makes the container start', async () => {
    // the same policy rendered without any runtime layer (the app's syscalls only)
    const { policy } = await loadPolicy(classic.snapshot);
    const appOnly = JSON.parse(ociExporter.render(policy, { name: 'app' }).artifacts[0]!.content as string) as Profile;
    expect(appOnly.syscalls.some((s) => s.comment === 'the container runtime itself')).toBe(false);
    const results: Record<string, { code: number | null; stdout: string; stderr: string }> = {};
    for (const nnp of [true, false]) {
      const b = bundle(['/bin/fallback-probe', 'classic'], { noNewPrivileges: nnp });
      b.setSeccomp(appOnly);
      results[String(nnp)] = await runBundle(runtime, b);
    }
    // without no_new_privs both runtimes load the filter before they set ids and capabilities:
    // the first of those fails (runc: its Go runtime or capset, crun: prctl drop bounding)
    expect(results['false']!.code).not.toBe(0);
    expect(results['false']!.stdout).toBe('');
    if (runtime === 'runc') {
      // runc init still closes descriptors, checks /proc and writes to its parent after the filter
      expect(results['true']!.code).not.toBe(0);
      expect(results['true']!.stdout).toBe('');
    } else {
      // crun with no_new_privs installs the filter as its last step: only close and execve follow,
      // and the program makes both itself, so the app-only profile happens to start
      expect(policy.syscalls.allow).toEqual(expect.arrayContaining(['close', 'execve']));
      expect(results['true']!.stdout).toBe(classicOut);
      expect(results['true']!.code).toBe(0);
    }
  });
});
