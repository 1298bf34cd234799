/** Every key, and what the symbols mean; fitted to the space it has (80×24 included). */
import { Box, Text } from 'ink';
import { c } from './theme.js';

const keysHelp: Array<[string, string]> = [
  ['↑↓ PgUp/Dn', 'move (Home / End: first / last row)'],
  ['→ Enter / ←', 'open / close a directory'],
  ['a', 'accept the item (a directory: every item in it; a section title: its undecided items)'],
  ['d', 'deny it (pick the errno the call returns)'],
  ['g', 'widen a path to a pattern (* one component, ** any depth): its made-up names first (/tmp/cc*.s, wk.*), or type your own; asks before covering a sensitive path'],
  ['A / D', 'accept / deny every undecided item (as whittle decide --auto)'],
  ['u', 'undo the last decision'],
  ['space  !', 'skip to the next undecided item  ! the next critical or high risk one'],
  ['/ · U', 'filter by text (Esc clears) · show only undecided items (again: all)'],
  ['tab', 'give the keyboard to the workload pane; Ctrl-] takes it back'],
  ['e', 'export the policy (pick formats; says what each cannot express)'],
  ['r', 'launch for real under the current decisions: denials come back into this queue, marked ⊘'],
  ['q  Ctrl-C', 'quit: the workload is stopped, decisions are saved (resume with whittle review)'],
];

const legend = ['· undecided  ✓ accepted  * widened  ✗ denied  ⊘ denied in a run', '!! critical  ! high  ~ medium  (risk)'];

const KEY_W = 12;

export function Help({ width, height }: { width: number; height: number }) {
  // inside the double border and the padding
  const inner = Math.max(width - 4, 10);
  const rows = Math.max(height - 2, 1);
  const descW = Math.max(inner - KEY_W, 8);
  // wrap descriptions onto more lines only while everything still fits; else one line each
  // (words wrap, not characters: count a line as 80% full)
  const lines = (s: string) => Math.max(1, Math.ceil(s.length / Math.max(Math.floor(descW * 0.8), 1)));
  const fixed = 1 + keysHelp.length + legend.length;
  let spare = rows - fixed;
  const wrap = keysHelp.map(([, v]) => {
    const extra = lines(v) - 1;
    if (extra > 0 && extra <= spare) {
      spare -= extra;
      return true;
    }
    return false;
  });
  // too short for everything: the keys first, then as much of the legend as fits
  const keyRows = Math.min(keysHelp.length, rows - 1);
  const legendRows = Math.max(Math.min(legend.length, rows - 1 - keyRows), 0);
  return (
    <Box flexDirection="column" width={width} borderStyle="double" borderColor={c('yellow')} paddingX={1}>
      <Text bold wrap="truncate">
        whittle — keys (any key closes this)
      </Text>
      {keysHelp.slice(0, keyRows).map(([k, v], i) => (
        <Box key={k} flexDirection="row" width={inner}>
          <Box width={KEY_W} flexShrink={0}>
            <Text bold wrap="truncate">
              {k}
            </Text>
          </Box>
          <Box width={descW}>
            <Text wrap={wrap[i] ? 'wrap' : 'truncate'}>{v}</Text>
          </Box>
        </Box>
      ))}
      {legend.slice(0, legendRows).map((l) => (
        <Text key={l} wrap="truncate" dimColor>
          {l}
        </Text>
      ))}
    </Box>
  );
}
