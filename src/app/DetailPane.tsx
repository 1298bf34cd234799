/** What the selected row is, why it may matter, and where it was first seen. */
import { Box, Text } from 'ink';
import type { Row } from '../model/queue-view.js';
import { c, riskColor } from './theme.js';
import { dirLabel } from './QueuePane.js';
import { generatedWidenings } from '../model/glob.js';

function describe(row: Row | undefined): { head: string; lines: string[]; risk?: string } {
  if (!row) return { head: '', lines: [] };
  if (row.type === 'section') return { head: row.label, lines: [`${row.total} item(s), ${row.undecided} waiting for a decision`] };
  if (row.type === 'dir')
    return {
      head: dirLabel(row.path),
      lines: [`${row.keys.length} path(s) in this directory, ${row.count} access(es); a/d decide them all, g widens to a pattern`],
      risk: row.risk,
    };
  const it = row.item;
  const first = [it.first.exe ? `first by ${it.first.exe}` : '', it.first.pid ? `pid ${it.first.pid}` : '', it.first.syscall ? `via ${it.first.syscall}` : '', `at ${it.first.t.toFixed(2)} s`]
    .filter(Boolean)
    .join(', ');
  const extra: string[] = [];
  if (it.kind === 'path') extra.push(`results: ${it.results.join(', ')}`);
  if (it.kind === 'syscall') extra.push(`ABIs: ${it.arches.join(', ')}${it.capability ? `; needs ${it.capability}` : ''}`);
  if (it.kind === 'net') extra.push(`${[...it.types, ...it.ops].join(', ')}${it.ports.length ? `; ports ${it.ports.join(', ')}` : ''}`);
  if (it.kind === 'cap') extra.push(`needed by ${it.syscalls.join(', ') || 'exec'}${it.inferred ? ' (inferred)' : ''}`);
  const d = row.decision;
  // a name made up each run (mktemp, gcc's temp files) accepted as recorded fails the next run
  const made = it.kind === 'path' && !d ? generatedWidenings(it.path, false, true)[0] : undefined;
  const verdict = !d ? 'undecided' : d.action === 'accept' ? 'accepted' : d.action === 'glob' ? `widened to ${d.pattern}` : `denied (${d.errno})`;
  return {
    head: `${it.label}  [${it.risk}] ${verdict}${it.denied ? ' — DENIED in the last run' : ''}`,
    lines: [made ? `${it.note} — the name looks made up each run: g widens it to ${made}` : it.note, `${it.count}×, ${first}${extra.length ? `; ${extra.join('; ')}` : ''}`],
    risk: it.risk,
  };
}

export function DetailPane({ row, width, error }: { row: Row | undefined; width: number; error?: string }) {
  const d = describe(row);
  return (
    <Box flexDirection="column" width={width} height={5} borderStyle="single" borderColor={c('gray')}>
      <Text wrap="truncate" bold color={c(d.risk ? riskColor[d.risk as keyof typeof riskColor] : undefined)}>
        {d.head || ' '}
      </Text>
      {error ? (
        <Text wrap="truncate" color={c('red')}>
          {`✗ ${error}`}
        </Text>
      ) : (
        <Text wrap="truncate">{d.lines[0] ?? ' '}</Text>
      )}
      <Text wrap="truncate" dimColor>
        {d.lines[1] ?? ' '}
      </Text>
    </Box>
  );
}
