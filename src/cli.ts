#!/usr/bin/env node
/**
 * whittle's command line: argument parsing and dispatch only. Command modules are imported
 * lazily, so a headless command never pays for loading the TUI.
 */
// React (the TUI) is many times slower in development mode; whittle never runs in it.
process.env.NODE_ENV ??= 'production';
import { Command, CommanderError, Option } from 'commander';
import { whittleVersion } from './version.js';

// A reader that stopped early (`whittle show … | head`) is not an error: the rest of the output is
// dropped, and the command still finishes what it was doing (saving decisions, a run's report).
// Any other error is thrown as before, unless a command handles its streams' errors itself (the
// TUI: a closed terminal fails writes with EIO, and it saves and quits).
for (const s of [process.stdout, process.stderr]) {
  s.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE' && s.listenerCount('error') === 1) throw e;
  });
}

// Node opens its debugger (an unauthenticated port on 127.0.0.1:9229) when it gets SIGUSR1: in a
// process running as root, a stray `pkill -USR1 -f NAME` would let any local user run code as
// root. A listener of whittle's own takes the signal instead, and ignores it.
process.on('SIGUSR1', () => undefined);

/** Bad usage: 125 for learn and run (their own codes pass the workload's through), 2 elsewhere. */
const USAGE = { learn: 125, run: 125, other: 2 } as const;

async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const program = new Command();
  program
    .name('whittle')
    .description('Learn the smallest sandbox policy a program really needs, review it item by item, enforce it, and export it.')
    .version(whittleVersion, '-V, --version')
    .enablePositionalOptions()
    .showHelpAfterError('(run whittle --help, or whittle COMMAND --help)')
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  const exitOverride = (code: number) => (err: CommanderError) => {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') throw new Exit(0);
    throw new Exit(code);
  };
  program.exitOverride(exitOverride(USAGE.other));

  program
    .command('learn')
    .description('run CMD in complain/log mode and record everything it does (syscalls, paths, mounts, sockets, capabilities, execs)')
    .argument('[cmd...]', 'the command to learn, after --')
    .option('--headless', 'no TUI: pass the workload\'s terminal through and write the snapshot', false)
    .option('--snapshot <path>', 'where to write the snapshot (default: snapshots/<cmd>-<time>.json)')
    .option('--force', 'replace an existing snapshot file', false)
    .addOption(new Option('--mechanism <m>', 'how to record (default: the best one `whittle doctor` finds)').choices(['seccomp', 'ebpf']))
    .option('--strict', 'exit 120 when the workload succeeded but events were lost', false)
    .option('--audit-buffer <size>', 'seccomp recorder: receive buffer for kernel log records (default 64M)')
    .option('--ring-buffer <size>', 'eBPF recorder: ring buffer size, a power of two (default 8M)')
    .option('--container <ref>', 'learn a container: an OCI bundle, OCI image layout or tarball, or a podman image')
    .addOption(new Option('--runtime <r>', 'container runtime').choices(['runc', 'crun', 'podman']))
    .passThroughOptions()
    .exitOverride(exitOverride(USAGE.learn))
    .addHelpText(
      'after',
      '\nExit status: the workload\'s (128+N when killed by signal N); 125 whittle failed, 126 CMD cannot be executed,\n127 CMD not found; with --strict, 120 when it exited 0 but events were lost.\n\nExamples:\n  whittle learn --headless --snapshot snapshots/ls.json -- ls -l /\n  whittle learn -- ./my-server --port 8080',
    )
    .action(async (cmd: string[], opts) => {
      const { learnCommand } = await import('./commands/learn.js');
      exitCode = await learnCommand({ ...opts, argv: cmd });
    });

  program
    .command('show')
    .description('show what a snapshot recorded, or what a run report (whittle run --report) saw: a readable summary, or the JSON with --json')
    .argument('<file>', 'a snapshot, or a run report from whittle run --report (told apart by its kind)')
    .option('--json', 'the stable JSON (see README, "show --json"); for a run report, the report', false)
    .action(async (file: string, opts) => {
      const { showCommand } = await import('./commands/show.js');
      exitCode = await showCommand(file, opts);
    });

  program
    .command('review')
    .description('open the review TUI on a recorded snapshot: step through what the workload did, decide, export, run for real')
    .argument('<snapshot>', 'a snapshot file (decisions are saved in it)')
    .action(async (file: string) => {
      const { runReviewTui } = await import('./commands/tui.js');
      exitCode = await runReviewTui(file);
    });

  program
    .command('decide')
    .description('decide a snapshot without a person (scripts, CI): widen the names a program makes up (--glob), then accept or deny every item still undecided (--auto)')
    .argument('<snapshot>', 'a snapshot file (decisions are saved in it)')
    .addOption(new Option('--auto <verdict>', 'accept or deny every undecided item').choices(['accept', 'deny']))
    .option(
      '--glob <pattern>',
      'widen the paths PATTERN matches (undecided, or accepted as they were) to it, before --auto (* one component, ** any depth; repeatable): names a program makes up each run, such as /tmp/cc*.s',
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .action(async (file: string, opts) => {
      const { decideCommand } = await import('./commands/decide.js');
      exitCode = await decideCommand(file, opts);
    });

  program
    .command('export')
    .description('write a policy for a launcher: ' + 'whittle, oci, docker, podman, spo, lxc, apparmor, systemd, bwrap, minijail, landlock')
    .argument('<file>', 'a snapshot (its decisions are used) or an exported *.whittle.json policy')
    .option('--format <f>', 'the target format')
    .option('-o, --output <path>', 'where to write the main artifact (default: profiles/<name>.<format…>); extra artifacts go beside it as PATH.<suffix>')
    .option('--strict', 'exit 1 when the format cannot express part of the policy', false)
    .addOption(new Option('--runtime <r>', 'for container formats: the runtime whose own syscalls to add').choices(['runc', 'crun', 'podman']))
    .addOption(new Option('--undecided <verdict>', 'how to treat undecided items of a snapshot (default deny)').choices(['deny', 'accept']))
    .addHelpText('after', '\nWhat the format cannot express is listed on stderr, item by item; --strict makes that exit 1.')
    .action(async (file: string, opts) => {
      const { exportCommand } = await import('./commands/export.js');
      exitCode = await exportCommand(file, opts);
    });

  program
    .command('lint')
    .description("check a policy for dangerous, broken or pointless rules, and compare its syscalls with Docker's default profile")
    .argument('<file>', 'a snapshot (its decisions are used; undecided items count as denied) or an exported *.whittle.json policy')
    .option('--json', 'the findings as JSON', false)
    .addHelpText(
      'after',
      '\nOne finding per line: SEVERITY RULE ITEM: MESSAGE (severity error, warning or info), then a summary.\n' +
        'Exit status: 0 clean (information only), 1 errors or warnings, 2 bad usage or bad input.',
    )
    .action(async (file: string, opts) => {
      const { lintCommand } = await import('./commands/lint.js');
      exitCode = await lintCommand(file, opts);
    });

  program
    .command('run')
    .description('run CMD for real under a policy, and report every denial as it happens')
    .argument('[cmd...]', 'the command, after -- (default: the one the policy was learned from)')
    .option('--profile <file>', 'a snapshot (its decisions are used) or an exported *.whittle.json policy')
    .option('--report <path>', 'write the run report (JSON) here')
    .option('--strict', 'exit 121 when the workload exited 0 but denials happened', false)
    .addOption(new Option('--undecided <verdict>', 'how to treat undecided items (default deny)').choices(['deny', 'accept']))
    .option('--learn-denials <snapshot>', 'add the denials to this snapshot as new items to decide')
    .option('--container <ref>', 'run a container (OCI bundle, image layout or tarball, podman image)')
    .addOption(new Option('--runtime <r>', 'container runtime').choices(['runc', 'crun', 'podman']))
    .passThroughOptions()
    .exitOverride(exitOverride(USAGE.run))
    .addHelpText('after', "\nExit status: the workload's (128+N when killed by signal N); 125 whittle failed (or the sandbox could not be\nbuilt), 126/127 CMD cannot be executed / is not in the sandbox; with --strict, 121 when it exited 0 but denials happened.")
    .action(async (cmd: string[], opts) => {
      const { runCommand } = await import('./commands/run.js');
      exitCode = await runCommand({ ...opts, argv: cmd });
    });

  program
    .command('verify')
    .description('launch the workload under the policy a snapshot makes and say whether the run was clean')
    .argument('<snapshot>', 'a snapshot with decisions')
    .argument('[cmd...]', 'the command, after -- (default: the learned one)')
    .addOption(new Option('--undecided <verdict>', 'how to treat undecided items (default deny)').choices(['deny', 'accept']))
    .option('--container <ref>', 'verify through a container (default: the container the snapshot was learned from, if any)')
    .addOption(new Option('--runtime <r>', 'container runtime (default: the one it was learned with)').choices(['runc', 'crun', 'podman']))
    .action(async (file: string, cmd: string[], opts) => {
      const { verifyCommand } = await import('./commands/verify.js');
      exitCode = await verifyCommand(file, { ...opts, argv: cmd });
    });

  program
    .command('doctor')
    .description('check what whittle needs on this machine (kernel features, root, tools) and say how to fix what is missing')
    .option('--json', 'machine-readable result', false)
    .option('--fix-crun', "make this machine's cgroups usable by crun (binds cgroup v2's controllers to cgroup v1 hierarchies; see the crun line)", false)
    .action(async (opts) => {
      const { doctorCommand } = await import('./commands/doctor.js');
      exitCode = await doctorCommand(opts);
    });

  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof Exit) return e.code;
    const { reportError } = await import('./commands/output.js');
    reportError(e);
    const sub = argv[2];
    return sub === 'learn' || sub === 'run' ? USAGE.learn : USAGE.other;
  }
  return exitCode;
}

class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`whittle: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 125;
  },
);
