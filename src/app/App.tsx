/**
 * The screen: the workload's terminal beside the review queue, the selected item's details, and
 * a status line. A thin view over the controller (commands/tui-controller.ts) and the review
 * reducer (model/decisions.ts).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Box, Text, useApp } from 'ink';
import { parseKeys, type KeyPress } from './keys.js';
import type { TuiController, ExportOutcome } from '../commands/tui-controller.js';
import { queueRows, nextUndecided, type Row } from '../model/queue-view.js';
import { suggestedPatterns } from '../model/glob.js';
import { globAction, onePerAccess } from '../model/decisions.js';
import type { PathQueueItem, QueueItem } from '../model/items.js';
import { useController } from './use-controller.js';
import { useTerminalSize } from './use-terminal-size.js';
import { useRawInput } from './use-raw-input.js';
import { WorkloadPane } from './WorkloadPane.js';
import { QueuePane, dirLabel } from './QueuePane.js';
import { DetailPane } from './DetailPane.js';
import { StatusBar } from './StatusBar.js';
import { Menu } from './Menu.js';
import { Help } from './Help.js';
import { c } from './theme.js';

type Modal =
  | { kind: 'none' }
  | { kind: 'help' }
  | { kind: 'filter'; text: string }
  | { kind: 'deny'; keys: string[]; cursor: number; options: string[] }
  | { kind: 'glob'; items: PathQueueItem[]; title: string; cursor: number; options: string[]; confirmSensitive?: string }
  | { kind: 'glob-edit'; items: PathQueueItem[]; title: string; text: string; confirmSensitive?: string }
  | { kind: 'export'; cursor: number; checked: Set<string>; formats: string[] }
  | { kind: 'busy'; text: string }
  | { kind: 'export-result'; results: ExportOutcome[] };

const ERRNOS_SYSCALL = ['EPERM', 'ENOSYS', 'EACCES', 'EINVAL', 'EAFNOSUPPORT'];
const ERRNOS_PATH = ['EACCES', 'EPERM', 'ENOENT', 'EROFS'];
/** The glob menu's last entry: a pattern of the person's own. */
const OWN_PATTERN = 'type a pattern…';

export interface AppProps {
  controller: TuiController;
  formats: string[];
  onExit: (code: number) => void;
}

export function App({ controller: ctrl, formats, onExit }: AppProps) {
  const version = useController(ctrl);
  const { exit } = useApp();
  const { columns, rows: termRows } = useTerminalSize();
  const [focus, setFocusState] = useState<'queue' | 'workload'>('queue');
  // Keys come in chunks ("\tls\r" when typed fast, or pasted): the part of a chunk after tab
  // belongs to the workload, the part after Ctrl-] to the queue, so focus is read from here.
  const focusRef = useRef<'queue' | 'workload'>('queue');
  const setFocus = useCallback((f: 'queue' | 'workload') => {
    focusRef.current = f;
    setFocusState(f);
  }, []);
  const [cursor, setCursorState] = useState(0);
  const cursorRef = useRef(0);
  // like the modal: several keys in one read must each see where the one before moved
  const setCursor = useCallback((v: number | ((x: number) => number)) => {
    cursorRef.current = typeof v === 'function' ? v(cursorRef.current) : v;
    setCursorState(cursorRef.current);
  }, []);
  const [filter, setFilter] = useState('');
  const [undecidedOnly, setUndecidedOnly] = useState(false);
  const [expanded, setExpanded] = useState<Map<string, boolean>>(new Map());
  const [modal, setModalState] = useState<Modal>({ kind: 'none' });
  // Keys can arrive several at once and are handled in one go: the current modal must be read
  // from here, not from the render's closure, or the second key would see the first one's past.
  const modalRef = useRef<Modal>(modal);
  const setModal = useCallback((m: Modal) => {
    modalRef.current = m;
    setModalState(m);
  }, []);
  const [message, setMessage] = useState<string | undefined>();
  const [quitting, setQuitting] = useState(false);

  const statusH = 2;
  const detailH = 5;
  const panesH = Math.max(termRows - statusH - detailH, 6);
  const narrow = columns < 60;
  const workW = narrow ? columns : Math.max(Math.floor(columns * 0.45), 20);
  const queueW = narrow ? columns : columns - workW;
  const workH = narrow ? Math.max(Math.floor(panesH / 2), 4) : panesH;
  const queueH = narrow ? panesH - workH : panesH;

  useEffect(() => {
    ctrl.resize(workW - 2, workH - 2);
  }, [ctrl, workW, workH]);

  const rows: Row[] = useMemo(
    () => {
      const t0 = performance.now();
      const r = queueRows(ctrl.review, { filter, expanded, undecidedOnly });
      ctrl.renderCostMs = performance.now() - t0;
      return r;
    },
    // version: the controller's state changed
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [version, filter, expanded, undecidedOnly, ctrl.review],
  );
  const cur = Math.min(cursor, Math.max(rows.length - 1, 0));
  const row = rows[cur];
  const t = ctrl.tally();

  const doQuit = useCallback(async () => {
    if (quitting) return;
    setQuitting(true);
    setModal({ kind: 'busy', text: 'stopping the workload and saving decisions…' });
    const code = await ctrl.quit();
    onExit(code);
    exit();
  }, [ctrl, exit, onExit, quitting]);

  // keys for the workload pane: everything goes to it, but Ctrl-] comes back (and what follows
  // it in the same chunk is for the queue)
  const forward = useCallback(
    (data: string) => {
      const i = data.indexOf('\x1d');
      if (i >= 0) {
        if (i > 0) ctrl.sendInput(data.slice(0, i));
        setFocus('queue');
        if (i + 1 < data.length) onQueueDataRef.current(data.slice(i + 1));
        return;
      }
      ctrl.sendInput(data);
    },
    [ctrl, setFocus],
  );
  useRawInput(forward, focus === 'workload');

  /** The items a row stands for: itself, a directory's, or a section's still undecided ones. */
  const keysUnder = (r: Row | undefined): string[] => {
    if (!r) return [];
    if (r.type === 'dir') return r.keys;
    if (r.type === 'item') return [r.item.key];
    return rows.filter((x): x is Extract<Row, { type: 'item' }> => x.type === 'item' && x.item.kind === r.kind && !x.decision).map((x) => x.item.key)
      .concat(rows.filter((x): x is Extract<Row, { type: 'dir' }> => x.type === 'dir' && !x.expanded && r.kind === 'path').flatMap((x) => x.keys.filter((k) => !ctrl.review.decisions[k])));
  };
  const itemsUnder = (r: Row | undefined): QueueItem[] => {
    const ks = new Set(keysUnder(r));
    return ctrl.review.items.filter((i) => ks.has(i.key));
  };
  const advance = () => setCursor((x) => nextUndecided(rows, Math.min(x, rows.length - 1), ctrl.review.decisions));

  const onQueueKey = (ch: string, key: KeyPress) => {
    setMessage(undefined);
    const row = rows[Math.min(cursorRef.current, Math.max(rows.length - 1, 0))];
    if (key.ctrl && ch === 'c') return void doQuit();
    if (key.upArrow || ch === 'k') return setCursor((x) => Math.max(Math.min(x, rows.length - 1) - 1, 0));
    if (key.downArrow || ch === 'j') return setCursor((x) => Math.min(x + 1, rows.length - 1));
    if (key.pageUp) return setCursor((x) => Math.max(x - (panesH - 3), 0));
    if (key.pageDown) return setCursor((x) => Math.min(x + (panesH - 3), rows.length - 1));
    if (key.home) return setCursor(0);
    if (key.end) return setCursor(rows.length - 1);
    if (key.tab) {
      setFocus('workload');
      return;
    }
    if (key.rightArrow || key.return) {
      if (row?.type === 'dir') setExpanded((m) => new Map(m).set(row.path, true));
      return;
    }
    if (key.leftArrow) {
      if (row?.type === 'dir') setExpanded((m) => new Map(m).set(row.path, false));
      return;
    }
    switch (ch) {
      case 'q':
        return void doQuit();
      case '?':
        return setModal({ kind: 'help' });
      case '/':
        return setModal({ kind: 'filter', text: filter });
      case 'U':
        return setUndecidedOnly((v) => !v);
      case ' ':
        return advance();
      case '!': {
        // the next critical or high risk item still waiting (they may be far down the queue)
        const risky = (r: Row) =>
          r.type === 'item' ? (r.item.risk === 'critical' || r.item.risk === 'high') && !r.decision : r.type === 'dir' && !r.expanded && r.undecided > 0 && (r.risk === 'critical' || r.risk === 'high');
        const from = Math.min(cursorRef.current, rows.length - 1);
        for (let k = 1; k <= rows.length; k++) {
          const i = (from + k) % rows.length;
          if (risky(rows[i]!)) return setCursor(i);
        }
        return setMessage('no critical or high risk item is waiting for a decision');
      }
      case 'u':
        ctrl.dispatch({ type: 'undo' });
        if (ctrl.review.error) setMessage(ctrl.review.error);
        return;
      case 'a': {
        const ks = keysUnder(row);
        if (!ks.length) return;
        ctrl.dispatch(ks.length === 1 ? { type: 'accept', key: ks[0]! } : { type: 'batch', actions: ks.map((k) => ({ type: 'accept' as const, key: k })) });
        if (ctrl.review.error) setMessage(ctrl.review.error);
        return advance();
      }
      case 'd': {
        const its = itemsUnder(row);
        if (!its.length) return;
        const options = its.every((i) => i.kind === 'path') ? ERRNOS_PATH : ERRNOS_SYSCALL;
        return setModal({ kind: 'deny', keys: its.map((i) => i.key), cursor: 0, options });
      }
      case 'g': {
        const paths = itemsUnder(row).filter((i) => i.kind === 'path');
        if (!paths.length) return setMessage('only paths can be widened to a pattern');
        // one glob per access kind (a directory holds reads, execs, stats… each widened alike)
        const perAccess = onePerAccess(paths);
        // a directory's own files (not those of its subdirectories) may share a pattern: f*.txt
        const prefix = row?.type === 'dir' ? (row.path === '/' ? '/' : `${row.path}/`) : '';
        const names = paths.flatMap((i) => (i.kind === 'path' && i.path.startsWith(prefix) && !i.path.slice(prefix.length).includes('/') ? [i.path.slice(prefix.length)] : []));
        const options = [
          ...suggestedPatterns(row?.type === 'dir' ? { dir: row.path, names } : { path: (paths[0] as { path: string }).path }),
          OWN_PATTERN,
        ];
        const title = row?.type === 'dir' ? `widen the ${paths.length} path(s) in ${dirLabel(row.path)} (${perAccess.map((i) => i.access).join(', ')}) to` : `widen ${paths[0]!.label} to`;
        return setModal({ kind: 'glob', items: perAccess, title, cursor: 0, options });
      }
      case 'A':
      case 'D':
        // every undecided item at once (one undo takes it back), as whittle decide --auto does
        ctrl.dispatch({ type: 'auto', verdict: ch === 'A' ? 'accept' : 'deny' });
        return setMessage(`${ch === 'A' ? 'accepted' : 'denied'} every undecided item (u undoes it)`);
      case 'e':
        return setModal({ kind: 'export', cursor: 0, checked: new Set(['whittle', 'oci']), formats });
      case 'r':
        setMessage('launching for real under the current decisions (undecided items are denied)…');
        void ctrl.launch().then(setMessage);
        return;
      default:
        return;
    }
  };

  /** Widen the items to a pattern; a sensitive path covered asks for Enter once more. */
  const applyGlob = (modal: Extract<Modal, { kind: 'glob' | 'glob-edit' }>, pattern: string): void => {
    if (!pattern) return setMessage('type a pattern: * is one path component (or part of one), ** any depth');
    ctrl.dispatch(globAction(modal.items, pattern, modal.confirmSensitive === pattern));
    const err = ctrl.review.error;
    if (err && /confirm to widen/.test(err) && modal.confirmSensitive !== pattern) {
      setMessage(`${err} — press Enter again to confirm`);
      return setModal({ ...modal, confirmSensitive: pattern });
    }
    if (err && modal.kind === 'glob-edit') {
      // keep what was typed: the person fixes the pattern rather than starting again
      return setMessage(err);
    }
    setModal({ kind: 'none' });
    if (err) setMessage(err);
    return advance();
  };

  const handleKey = (input: string, key: KeyPress): void => {
      const modal = modalRef.current;
      if (modal.kind === 'busy') return;
      if (modal.kind === 'help') return setModal({ kind: 'none' });
      if (modal.kind === 'export-result') return setModal({ kind: 'none' });
      if (modal.kind === 'filter') {
        if (key.escape) {
          setFilter('');
          return setModal({ kind: 'none' });
        }
        if (key.return) {
          setFilter(modal.text);
          setCursor(0);
          return setModal({ kind: 'none' });
        }
        if (key.backspace || key.delete) return setModal({ ...modal, text: modal.text.slice(0, -1) });
        if (!key.ctrl && !key.meta && input) return setModal({ ...modal, text: modal.text + input });
        return;
      }
      if (modal.kind === 'glob-edit') {
        if (key.escape) return setModal({ kind: 'none' });
        if (key.return) return applyGlob(modal, modal.text.trim());
        const edit = (text: string) => {
          setMessage(undefined);
          setModal({ ...modal, text, confirmSensitive: undefined });
        };
        if (key.backspace || key.delete) return edit(modal.text.slice(0, -1));
        if (key.ctrl && input === 'u') return edit('');
        if (!key.ctrl && !key.meta && input) return edit(modal.text + input);
        return;
      }
      if (modal.kind === 'deny' || modal.kind === 'glob' || modal.kind === 'export') {
        const n = modal.kind === 'export' ? modal.formats.length : modal.options.length;
        if (key.escape || input === 'q') return setModal({ kind: 'none' });
        if (key.upArrow || input === 'k') return setModal({ ...modal, cursor: (modal.cursor + n - 1) % n });
        if (key.downArrow || input === 'j') return setModal({ ...modal, cursor: (modal.cursor + 1) % n });
        if (modal.kind === 'export' && input === ' ') {
          const f = modal.formats[modal.cursor]!;
          const checked = new Set(modal.checked);
          if (checked.has(f)) checked.delete(f);
          else checked.add(f);
          return setModal({ ...modal, checked });
        }
        if (!key.return) return;
        if (modal.kind === 'deny') {
          const errno = modal.options[modal.cursor]!;
          ctrl.dispatch(
            modal.keys.length === 1
              ? { type: 'deny', key: modal.keys[0]!, errno }
              : { type: 'batch', actions: modal.keys.map((k) => ({ type: 'deny' as const, key: k, errno })) },
          );
          setModal({ kind: 'none' });
          if (ctrl.review.error) setMessage(ctrl.review.error);
          return advance();
        }
        if (modal.kind === 'glob') {
          const pattern = modal.options[modal.cursor]!;
          if (pattern === OWN_PATTERN) {
            // start from the narrowest offer: most own patterns are a small edit of it
            const start = modal.options.length > 1 ? modal.options[0]! : '';
            return setModal({ kind: 'glob-edit', items: modal.items, title: modal.title, text: start });
          }
          return applyGlob(modal, pattern);
        }
        // export
        const chosen = modal.formats.filter((f) => modal.checked.has(f));
        if (!chosen.length) return setMessage('pick at least one format (space)');
        setModal({ kind: 'busy', text: `exporting ${chosen.join(', ')}…` });
        void ctrl.export(chosen).then((results) => setModal({ kind: 'export-result', results }));
        return;
      }
      onQueueKey(input, key);
  };

  // The queue reads raw input and cuts it into keys itself: a terminal may deliver several at
  // once ("\x1b[Bg" is Down then g), and each must see what the one before it did.
  const onQueueData = useCallback(
    (data: string) => {
      const ks = parseKeys(data);
      for (let i = 0; i < ks.length; i++) {
        if (focusRef.current === 'workload') return forward(ks.slice(i).map((k) => k.raw).join(''));
        handleKeyRef.current(ks[i]!.input, ks[i]!);
      }
    },
    [forward],
  );
  const handleKeyRef = useRef(handleKey);
  handleKeyRef.current = handleKey;
  const onQueueDataRef = useRef(onQueueData);
  onQueueDataRef.current = onQueueData;
  useRawInput(onQueueData, focus === 'queue');

  const title = `review queue — ${t.undecided} to decide of ${t.total}`;
  const workTitle = `${ctrl.mode === 'review' ? 'recorded' : 'workload'}: ${ctrl.argv.join(' ')}`;
  const err = ctrl.review.error;

  let right;
  // stacked (narrow) panes: a dialog takes the workload pane's rows too, or it would not fit
  const dialogH = narrow && modal.kind !== 'none' ? panesH : queueH;
  if (modal.kind === 'help') right = <Help width={queueW} height={dialogH} />;
  else if (modal.kind === 'deny')
    right = <Menu title={`deny ${modal.keys.length} item(s): what should the call return?`} options={modal.options.map((e) => ({ label: e }))} cursor={modal.cursor} width={queueW} height={dialogH} footer="Enter choose · Esc cancel" />;
  else if (modal.kind === 'glob')
    right = (
      <Menu
        title={modal.title}
        options={modal.options.map((p) => ({ label: p, hint: p === modal.confirmSensitive ? 'covers a sensitive path: Enter again to confirm' : undefined }))}
        cursor={modal.cursor}
        width={queueW}
        height={dialogH}
        footer="* one component, ** any depth · Enter choose · Esc cancel"
      />
    );
  else if (modal.kind === 'glob-edit')
    right = (
      <Box flexDirection="column" width={queueW} borderStyle="double" borderColor={c('yellow')} paddingX={1}>
        <Text bold>{modal.title}</Text>
        <Text wrap="wrap">{`${modal.text}▏`}</Text>
        {modal.confirmSensitive ? <Text color={c('red')}>covers a sensitive path: Enter again to confirm</Text> : null}
        {message ? <Text color={c('red')} wrap="wrap">{message}</Text> : null}
        <Text dimColor wrap="truncate">* one component, ** any depth</Text>
        <Text dimColor wrap="truncate">Enter widen · Ctrl-U clear · Esc cancel</Text>
      </Box>
    );
  else if (modal.kind === 'export')
    right = (
      <Menu
        title="export the policy to"
        options={modal.formats.map((f) => ({ label: f, checked: modal.checked.has(f) }))}
        cursor={modal.cursor}
        width={queueW}
        height={dialogH}
        footer="space pick · Enter export (to profiles/) · Esc cancel"
        multi
      />
    );
  else if (modal.kind === 'export-result')
    right = (
      <Box flexDirection="column" width={queueW} borderStyle="double" borderColor={c('green')} paddingX={1}>
        <Text bold>exported (any key to close)</Text>
        {modal.results.map((r) => (
          <Box key={r.format} flexDirection="column">
            <Text wrap="truncate" color={c(r.error ? 'red' : undefined)}>
              {r.error ? `${r.format}: failed — ${r.error}` : `${r.format} → ${r.files.join(', ')}`}
            </Text>
            {!r.error && r.unexpressed > 0 ? (
              <Text wrap="truncate" color={c('yellow')}>
                {`  cannot express ${r.unexpressed}: ${r.firstUnexpressed[0] ?? ''}`}
              </Text>
            ) : null}
          </Box>
        ))}
      </Box>
    );
  else if (modal.kind === 'filter')
    right = (
      <Box flexDirection="column" width={queueW} borderStyle="double" borderColor={c('yellow')} paddingX={1}>
        <Text bold>filter the queue</Text>
        <Text>{`/${modal.text}▏`}</Text>
        <Text dimColor>Enter apply · Esc clear</Text>
      </Box>
    );
  else if (modal.kind === 'busy')
    right = (
      <Box width={queueW} borderStyle="double" borderColor={c('yellow')} paddingX={1}>
        <Text>{modal.text}</Text>
      </Box>
    );
  else right = <QueuePane rows={rows} cursor={cur} width={queueW} height={queueH} focused={focus === 'queue'} title={title} />;

  return (
    <Box flexDirection="column" width={columns} height={termRows}>
      <Box flexDirection={narrow ? 'column' : 'row'} height={panesH}>
        {dialogH === queueH ? <WorkloadPane lines={ctrl.screen()} width={workW} height={workH} focused={focus === 'workload'} title={workTitle} /> : null}
        <Box width={queueW} height={dialogH} flexDirection="column">
          {right}
        </Box>
      </Box>
      <DetailPane row={row} width={columns} error={modal.kind === 'none' ? (message && /refus|cannot|not /.test(message) ? message : err) : undefined} />
      <StatusBar
        width={columns}
        phase={ctrl.phase === 'learning' ? 'learning' : ctrl.phase === 'enforcing' ? 'running for real' : ctrl.phase === 'starting' ? 'starting' : ctrl.mode === 'review' ? 'reviewing' : 'workload ended'}
        mechanism={ctrl.mechanism()}
        eventsPerSecond={ctrl.eventsPerSecond}
        accepted={t.accepted}
        denied={t.denied}
        undecided={t.undecided}
        critical={t.critical}
        high={t.high}
        lost={ctrl.lost}
        runSummary={ctrl.runSummary}
        filter={filter + (undecidedOnly ? ' (undecided only)' : '')}
        message={focus === 'workload' ? 'keys go to the workload · Ctrl-] back to the queue' : message}
      />
    </Box>
  );
}
