/**
 * A small tmux driver for end-to-end tests of the real TUI: start a command in a detached
 * session of a given size, type into it, read the screen as text, wait for what should appear
 * (polling capture-pane — never a fixed sleep as an assertion), resize the window, close the
 * terminal (kill the session: what runs in it gets SIGHUP), and read the command's exit status.
 *
 * Every session runs on a tmux server of its own (a private socket), so tests never touch a
 * person's tmux, and cleanup is `kill-server` plus waiting for the processes the session
 * started to end (SIGKILL, by pid, for any that would not).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot, whittleCli } from './whittle.js';

const run = promisify(execFile);

let counter = 0;

export interface StartOptions {
  /** The command and its arguments (run without a shell; quoted for sh here). */
  argv: string[];
  cols?: number;
  rows?: number;
  /** Extra environment for the command. NO_COLOR is set unless `color` is true. */
  env?: Record<string, string>;
  /** Leave NO_COLOR unset (and FORCE_COLOR too), to see the colours. */
  color?: boolean;
  /** Working directory; a fresh scratch directory (removed at cleanup) if not given. */
  cwd?: string;
  /** Send the command's stderr to a file (read with stderr()) instead of the screen. */
  stderrToFile?: boolean;
  /**
   * The wrapping shell ignores SIGHUP, so that when the session is killed it outlives the
   * command and records its exit status (the command itself still gets SIGHUP if it handles
   * it, as whittle does: a handler replaces an inherited "ignore").
   */
  exitStatusAfterHangup?: boolean;
}

export type ScreenTest = RegExp | ((screen: string) => boolean);

export interface WaitOptions {
  timeout?: number;
  /** Capture with escape sequences (capture-pane -e). */
  escapes?: boolean;
}

/** Single-quote for sh. */
export function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The pids of pid's descendants (children first found, grandchildren after), from /proc. */
export function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      // the command may hold spaces and parentheses: the fields after the last ')' are fixed
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(Number(d), ppid);
    } catch {
      /* gone meanwhile */
    }
  }
  const out: number[] = [];
  const todo = [pid];
  while (todo.length) {
    const p = todo.shift()!;
    for (const [c, pp] of parent) if (pp === p) (out.push(c), todo.push(c));
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // a zombie is not running
    return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class TmuxSession {
  readonly name: string;
  readonly socket: string;
  readonly cwd: string;
  readonly exitFile: string;
  readonly stderrFile: string;
  /** The pid of the shell the pane runs (the command is its child). */
  panePid = 0;
  private ownCwd: boolean;
  private scratch: string;
  private known = new Set<number>();
  private cleaned = false;

  private constructor(o: StartOptions) {
    counter++;
    this.name = `whittle-e2e-${process.pid}-${counter}`;
    this.socket = this.name;
    this.scratch = mkdtempSync(path.join(tmpdir(), 'whittle-e2e-'));
    this.ownCwd = !o.cwd;
    this.cwd = o.cwd ?? path.join(this.scratch, 'cwd');
    this.exitFile = path.join(this.scratch, 'exit-status');
    this.stderrFile = path.join(this.scratch, 'stderr');
  }

  /** Start `argv` in a new detached session of cols × rows. */
  static async start(o: StartOptions): Promise<TmuxSession> {
    const s = new TmuxSession(o);
    await s.launch(o);
    return s;
  }

  private async launch(o: StartOptions): Promise<void> {
    if (this.ownCwd) await run('mkdir', ['-p', this.cwd]);
    const conf = path.join(this.scratch, 'tmux.conf');
    // no status line (the window is exactly cols × rows); the pane stays after the command
    // ends, so its last screen can still be read; a known terminal type
    writeFileSync(conf, ['set -g status off', 'set -g remain-on-exit on', 'set -g default-terminal tmux-256color', 'set -g history-limit 2000', 'set -sg escape-time 0', ''].join('\n'));
    const env: Record<string, string> = { ...(o.color ? {} : { NO_COLOR: '1' }), ...o.env };
    const unset = o.color ? '-u NO_COLOR -u FORCE_COLOR ' : '-u FORCE_COLOR ';
    const assigns = Object.entries(env)
      .map(([k, v]) => shq(`${k}=${v}`))
      .join(' ');
    const redirect = o.stderrToFile ? ` 2> ${shq(this.stderrFile)}` : '';
    // like a person's shell, the wrapper outlives a Ctrl-C meant for the command (a handler, not
    // "ignore": an ignored SIGINT would be inherited by the command)
    const trap = `trap : INT; ${o.exitStatusAfterHangup ? `trap '' HUP; ` : ''}`;
    const script = `${trap}cd ${shq(this.cwd)} && env ${unset}${assigns} ${o.argv.map(shq).join(' ')}${redirect}; echo $? > ${shq(this.exitFile)}`;
    await this.tmux([
      '-f', conf, 'new-session', '-d', '-s', this.name, '-x', String(o.cols ?? 100), '-y', String(o.rows ?? 30), 'sh', '-c', script,
    ]);
    const { stdout } = await this.tmux(['display-message', '-p', '-t', this.name, '#{pane_pid}']);
    this.panePid = Number(stdout.trim());
  }

  private tmux(args: string[]) {
    return run('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  /** Keys by tmux name (Enter, Tab, Escape, C-c, C-], Down, BSpace…) or literal characters. */
  async sendKeys(...keys: string[]): Promise<void> {
    this.remember();
    await this.tmux(['send-keys', '-t', this.name, ...keys]);
  }

  /** Text typed literally, character by character as a terminal would send it. */
  async type(text: string): Promise<void> {
    this.remember();
    await this.tmux(['send-keys', '-t', this.name, '-l', text]);
  }

  /** The visible screen as text (with escape sequences when asked: colours, bold, inverse). */
  async capture(escapes = false): Promise<string> {
    const { stdout } = await this.tmux(['capture-pane', '-p', '-t', this.name, ...(escapes ? ['-e'] : [])]);
    return stdout;
  }

  /** Poll the screen until the test holds; the screen that matched, or an error with the last one. */
  async waitFor(test: ScreenTest, o: WaitOptions = {}): Promise<string> {
    const timeout = o.timeout ?? 10_000;
    const deadline = Date.now() + timeout;
    let screen = '';
    for (;;) {
      screen = await this.capture(o.escapes);
      if (!this.torn(screen) && (typeof test === 'function' ? test(screen) : test.test(screen))) return screen;
      if (Date.now() > deadline) break;
      this.remember();
      await sleep(50);
    }
    throw new Error(`timed out after ${timeout} ms waiting for ${typeof test === 'function' ? test.toString().slice(0, 200) : test}; the screen was:\n${screen}`);
  }

  /**
   * A capture taken between two pieces of one TUI frame: tmux reads the pty in pieces, and a
   * frame of whittle's screen is several kilobytes, so a capture can show its top drawn and its
   * bottom rows still blank (a person never sees it: the rest follows within microseconds);
   * likewise the old frame just after the window grew, before the TUI redraws. whittle's screen, once its frame is there, always ends with the line of keys on the last
   * row, so a running TUI whose last row is blank is mid-frame, and waits look again.
   */
  private torn(screen: string): boolean {
    const lines = screen.replace(/\n$/, '').split('\n');
    if (!/^╭─ /.test(lines[0] ?? '')) return false;
    return (lines[lines.length - 1] ?? '').trim() === '' && this.exitStatus() === undefined;
  }

  /** Resize the window (and so the pane): what runs in it gets SIGWINCH. */
  async resize(cols: number, rows: number): Promise<void> {
    await this.tmux(['resize-window', '-t', this.name, '-x', String(cols), '-y', String(rows)]);
  }

  /** The size tmux gives the pane now. */
  async size(): Promise<{ cols: number; rows: number }> {
    const { stdout } = await this.tmux(['display-message', '-p', '-t', this.name, '#{pane_width} #{pane_height}']);
    const [cols, rows] = stdout.trim().split(' ').map(Number);
    return { cols: cols!, rows: rows! };
  }

  /** What the command wrote to stderr (with stderrToFile). */
  stderr(): string {
    return existsSync(this.stderrFile) ? readFileSync(this.stderrFile, 'utf8') : '';
  }

  /** The command's exit status once it has ended, else undefined. */
  exitStatus(): number | undefined {
    if (!existsSync(this.exitFile)) return undefined;
    const t = readFileSync(this.exitFile, 'utf8').trim();
    return t === '' ? undefined : Number(t);
  }

  /** Wait for the command to end; its exit status. */
  async waitForExit(timeout = 15_000): Promise<number> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const s = this.exitStatus();
      if (s !== undefined) return s;
      if (Date.now() > deadline) throw new Error(`the command did not end within ${timeout} ms; the screen was:\n${await this.capture().catch(() => '(gone)')}`);
      this.remember();
      await sleep(50);
    }
  }

  /** Close the terminal: kill the session; the pane's processes get SIGHUP, as when a window closes. */
  async kill(): Promise<void> {
    this.remember();
    await this.tmux(['kill-session', '-t', this.name]).catch(() => undefined);
  }

  /** Every process the session started that is still running (the pane's shell and below). */
  processes(): number[] {
    this.remember();
    return [...this.known].filter(alive);
  }

  /** Wait until every process the session started has ended. */
  async waitForProcessesGone(timeout = 10_000): Promise<void> {
    const deadline = Date.now() + timeout;
    while (this.processes().length) {
      if (Date.now() > deadline) throw new Error(`processes still running after ${timeout} ms: ${this.describe(this.processes())}`);
      await sleep(50);
    }
  }

  describe(pids: number[]): string {
    return pids
      .map((p) => {
        try {
          return `${p} ${readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ').trim()}`;
        } catch {
          return `${p}`;
        }
      })
      .join('; ');
  }

  /** Note the pane's process tree as it is now, so cleanup can find what it started. */
  private remember(): void {
    if (!this.panePid) return;
    if (alive(this.panePid)) this.known.add(this.panePid);
    for (const p of descendants(this.panePid)) this.known.add(p);
  }

  /** Kill the server, wait for what the session started to end (SIGKILL after grace), remove scratch files. */
  async cleanup(grace = 8_000): Promise<void> {
    if (this.cleaned) return;
    this.cleaned = true;
    this.remember();
    await this.tmux(['kill-server']).catch(() => undefined);
    try {
      await this.waitForProcessesGone(grace);
    } catch {
      for (const p of this.processes()) {
        try {
          process.kill(p, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
    }
    rmSync(this.scratch, { recursive: true, force: true });
  }
}

/** Start whittle's CLI with args in a tmux session. */
export function startWhittle(args: string[], o: Omit<StartOptions, 'argv'> = {}): Promise<TmuxSession> {
  return TmuxSession.start({ ...o, argv: [process.execPath, whittleCli, ...args] });
}

export { repoRoot };

/* ---- reading whittle's screen ---- */

/** The lines of the detail box (the one drawn with ┌ ┐): its head first. */
export function detailLines(screen: string): string[] {
  const lines = screen.split('\n');
  const top = lines.findIndex((l) => l.startsWith('┌'));
  if (top < 0) return [];
  const out: string[] = [];
  for (let i = top + 1; i < lines.length && !lines[i]!.startsWith('└'); i++) out.push(lines[i]!.replace(/^│/, '').replace(/│\s*$/, '').trimEnd());
  return out;
}

/** The head of the detail box: the selected row ("mount  [critical] undecided", "/tmp/ …"). */
export function detailHead(screen: string): string {
  return detailLines(screen)[0] ?? '';
}

/** The status line (phase, counts, lost) and the line of keys or messages under it. */
export function statusLines(screen: string): [string, string] {
  const lines = screen.replace(/\n+$/, '').split('\n');
  const bottom = lines.findIndex((l) => l.startsWith('└'));
  return [lines[bottom + 1] ?? '', lines[bottom + 2] ?? ''];
}

/** The accepted · denied · undecided counts of the status line. */
export function tallyOf(screen: string): { accepted: number; denied: number; undecided: number } | undefined {
  const m = /(\d+) accepted · (\d+) denied · (\d+) undecided/.exec(statusLines(screen)[0]);
  return m ? { accepted: Number(m[1]), denied: Number(m[2]), undecided: Number(m[3]) } : undefined;
}

/** Drive the review queue of a whittle TUI in a session. */
export class Queue {
  constructor(private readonly s: TmuxSession) {}

  /** Show only rows matching text (/ text Enter), after clearing any filter (/ Esc). */
  async filter(text: string): Promise<string> {
    await this.s.sendKeys('/');
    await this.s.waitFor(/filter the queue/);
    await this.s.sendKeys('Escape');
    await this.s.waitFor((x) => !/filter the queue/.test(x));
    if (!text) return this.s.capture();
    await this.s.sendKeys('/');
    await this.s.waitFor(/filter the queue/);
    await this.s.type(text);
    await this.s.sendKeys('Enter');
    return this.s.waitFor((x) => !/filter the queue/.test(x) && statusLines(x)[0].includes(`filter "${text.slice(0, 8)}`));
  }

  /**
   * Move the cursor to the first row whose detail head matches: Home, then Down one row at a
   * time, each time waiting for the detail box to follow (rows have distinct heads).
   */
  async select(head: RegExp, maxSteps = 200): Promise<string> {
    await this.s.sendKeys('Home');
    let screen = await this.settle();
    for (let i = 0; i < maxSteps; i++) {
      if (head.test(detailHead(screen))) return screen;
      const before = detailHead(screen);
      await this.s.sendKeys('Down');
      try {
        screen = await this.s.waitFor((x) => detailHead(x) !== before, { timeout: 1500 });
      } catch {
        break; // the last row
      }
    }
    throw new Error(`no row matching ${head} in the queue; the screen was:\n${screen}`);
  }

  /** The screen once the detail head is the same in two captures 80 ms apart (a move is over). */
  async settle(): Promise<string> {
    let a = await this.s.capture();
    for (let i = 0; i < 40; i++) {
      await sleep(80);
      const b = await this.s.capture();
      if (detailHead(a) === detailHead(b)) return b;
      a = b;
    }
    return a;
  }
}

/** Poll a JSON file until the test holds for its content; the content. */
export async function waitForJson<T = any>(file: string, test: (doc: T) => boolean, timeout = 5000): Promise<T> {
  const deadline = Date.now() + timeout;
  let last: unknown;
  for (;;) {
    try {
      const doc = JSON.parse(readFileSync(file, 'utf8')) as T;
      last = doc;
      if (test(doc)) return doc;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      const shown = last instanceof Error ? last.message : JSON.stringify(last, (k, v) => (k === 'observed' ? '(…)' : v), 1)?.slice(0, 3000);
      throw new Error(`timed out after ${timeout} ms waiting for ${test.toString().slice(0, 200)} in ${file}; it held:\n${shown}`);
    }
    await sleep(50);
  }
}

/** The panes above the detail box (workload and queue), without the detail and status lines. */
/** The text in the workload's pane, its wrapped lines joined (spaces collapsed). */
export function workloadText(screen: string): string {
  return screen
    .split('\n')
    .map((l) => (l.includes('││') ? l.slice(1, l.indexOf('││')) : ''))
    .join('')
    .replace(/\s+/g, ' ');
}

export function panesOf(screen: string): string {
  const lines = screen.split('\n');
  const top = lines.findIndex((l) => l.startsWith('┌'));
  return (top < 0 ? lines : lines.slice(0, top)).join('\n');
}
