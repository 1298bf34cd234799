/** One line of state and one of keys. Lost events are red (and said in words). */
import { Box, Text } from 'ink';
import { c } from './theme.js';

export interface StatusProps {
  width: number;
  phase: string;
  mechanism: string;
  eventsPerSecond: number;
  accepted: number;
  denied: number;
  undecided: number;
  lost: number;
  runSummary: string | null;
  filter: string;
  message?: string;
}

export function StatusBar(p: StatusProps) {
  return (
    <Box flexDirection="column" width={p.width}>
      <Text wrap="truncate">
        <Text bold>{p.phase}</Text>
        <Text dimColor>{` ${p.mechanism} │ `}</Text>
        <Text>{`${p.eventsPerSecond} ev/s │ `}</Text>
        <Text color={c('green')}>{`${p.accepted} accepted`}</Text>
        <Text>{' · '}</Text>
        <Text color={c('red')}>{`${p.denied} denied`}</Text>
        <Text>{' · '}</Text>
        <Text bold={p.undecided > 0}>{`${p.undecided} undecided`}</Text>
        <Text>{' │ '}</Text>
        {p.lost > 0 ? <Text color={c('red')} bold>{`LOST ${p.lost} events`}</Text> : <Text dimColor>lost 0</Text>}
        {p.filter ? <Text>{` │ filter "${p.filter}"`}</Text> : null}
        {p.runSummary ? <Text>{` │ ${p.runSummary}`}</Text> : null}
      </Text>
      <Text wrap="truncate" dimColor>
        {p.message ?? 'a accept  d deny  g glob  u undo  space skip  / filter  tab workload  e export  r run  ? help  q quit'}
      </Text>
    </Box>
  );
}
