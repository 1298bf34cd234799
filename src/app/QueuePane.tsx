/** The review queue: sections by kind, paths as a directory tree, a cursor, each row's verdict. */
import { Box, Text } from 'ink';
import type { Row } from '../model/queue-view.js';
import type { Decision } from '../model/decisions.js';
import { c, riskColor, riskMark } from './theme.js';

export interface QueuePaneProps {
  rows: Row[];
  cursor: number;
  width: number;
  height: number;
  focused: boolean;
  title: string;
}

function verdict(d: Decision | undefined): { mark: string; color?: string } {
  if (!d) return { mark: '·' };
  if (d.action === 'accept') return { mark: '✓', color: 'green' };
  if (d.action === 'glob') return { mark: '*', color: 'green' };
  return { mark: '✗', color: 'red' };
}

/** A directory as the queue shows it: with a trailing slash (the root is just "/"). */
export function dirLabel(p: string): string {
  return p === '/' ? '/' : `${p}/`;
}

function fit(s: string, w: number): string {
  if (w <= 0) return '';
  return s.length > w ? s.slice(0, Math.max(w - 1, 0)) + '…' : s.padEnd(w);
}

function RowLine({ row, selected, width }: { row: Row; selected: boolean; width: number }) {
  const inv = selected;
  if (row.type === 'section') {
    const text = `${row.label} (${row.total}${row.undecided ? `, ${row.undecided} to decide` : ''}${row.denied ? `, ${row.denied} denied in a run` : ''})`;
    return (
      <Text bold inverse={inv} color={c('cyan')}>
        {fit(text.toUpperCase(), width)}
      </Text>
    );
  }
  if (row.type === 'dir') {
    const text = `${row.expanded ? '▾' : '▸'} ${dirLabel(row.path)}  ${row.keys.length} item(s)${row.undecided ? `, ${row.undecided} to decide` : ', decided'}`;
    return (
      <Text inverse={inv}>
        <Text color={c(riskColor[row.risk])}>{riskMark[row.risk]}</Text>
        {row.denied ? <Text color={c('red')}>⊘</Text> : ' '}
        <Text>{fit(text, width - 3)}</Text>
      </Text>
    );
  }
  const it = row.item;
  const v = verdict(row.decision);
  const label = it.kind === 'path' && row.depth === 2 ? `${it.access.padEnd(7)} ${it.path.slice(it.path.lastIndexOf('/') + 1) || '/'}` : it.label;
  const count = `${it.count}×`;
  const indent = row.depth === 2 ? '  ' : '';
  const w = width - 4 - indent.length - count.length - 1;
  return (
    <Text inverse={inv}>
      <Text color={c(v.color ?? 'white')}>{v.mark}</Text>
      <Text color={c(riskColor[it.risk])}>{riskMark[it.risk]}</Text>
      {it.denied ? <Text color={c('red')}>⊘</Text> : ' '}
      {indent}
      <Text>{fit(label, w)}</Text> <Text dimColor>{count}</Text>
    </Text>
  );
}

export function QueuePane({ rows, cursor, width, height, focused, title }: QueuePaneProps) {
  const inner = Math.max(height - 2, 1);
  const top = Math.max(0, Math.min(cursor - Math.floor(inner / 2), rows.length - inner));
  const shown = rows.slice(top, top + inner);
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="round" borderColor={c(focused ? 'cyan' : 'gray')}>
      <Box marginTop={-1} marginLeft={1}>
        <Text bold={focused} color={c(focused ? 'cyan' : undefined)}>
          {` ${title} `.slice(0, Math.max(width - 4, 1))}
        </Text>
      </Box>
      {rows.length === 0 ? <Text dimColor>{fit('nothing recorded yet…', width - 2)}</Text> : null}
      {shown.map((r, i) => (
        <RowLine key={r.id} row={r} selected={focused && top + i === cursor} width={width - 2} />
      ))}
    </Box>
  );
}
