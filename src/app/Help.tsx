/** Every key, and what the symbols mean. */
import { Box, Text } from 'ink';
import { c } from './theme.js';

const keysHelp: Array<[string, string]> = [
  ['↑ ↓ PgUp PgDn Home End', 'move'],
  ['→ / Enter, ←', 'open / close a directory'],
  ['a', 'accept the item (a directory: every item in it; a section title: its undecided items)'],
  ['d', 'deny it (pick the errno it returns)'],
  ['g', 'widen a path to a pattern (* one component, ** any depth); never silently over a sensitive path'],
  ['A / D', 'accept / deny every undecided item (as whittle decide --auto)'],
  ['u', 'undo the last decision'],
  ['space', 'skip to the next undecided item'],
  ['/', 'filter by text (Esc clears)'],
  ['U', 'show only undecided items (again: all)'],
  ['tab', 'give the keyboard to the workload pane; Ctrl-] takes it back'],
  ['e', 'export the policy (pick formats; says what each cannot express)'],
  ['r', 'launch for real under the current decisions: denials come back into this queue, marked ⊘'],
  ['q, Ctrl-C', 'quit: the workload is stopped, decisions are saved (resume with whittle review)'],
];

export function Help({ width }: { width: number }) {
  return (
    <Box flexDirection="column" width={width} borderStyle="double" borderColor={c('yellow')} paddingX={1}>
      <Text bold>whittle — keys (any key closes this)</Text>
      {keysHelp.map(([k, v]) => (
        <Text key={k} wrap="truncate">
          <Text bold>{k.padEnd(24)}</Text>
          {v}
        </Text>
      ))}
      <Text wrap="truncate">{'✓ accepted  * widened  ✗ denied  · undecided  !! critical  ! high  ~ medium  ⊘ denied in a run'}</Text>
    </Box>
  );
}
