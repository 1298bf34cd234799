/** The workload's terminal: its screen as a headless terminal emulator keeps it. */
import { Box, Text } from 'ink';
import type { Segment } from '../commands/tui-controller.js';
import { c, colorEnabled, paletteNames } from './theme.js';

export interface WorkloadPaneProps {
  lines: Segment[][];
  width: number;
  height: number;
  focused: boolean;
  title: string;
}

function color(n: number | undefined): string | undefined {
  if (!colorEnabled || n === undefined) return undefined;
  return paletteNames[n] ?? undefined;
}

export function WorkloadPane({ lines, width, height, focused, title }: WorkloadPaneProps) {
  const inner = Math.max(height - 2, 1);
  const shown = lines.slice(0, inner);
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="round" borderColor={c(focused ? 'cyan' : 'gray')}>
      <Box marginTop={-1} marginLeft={1}>
        <Text bold={focused} color={c(focused ? 'cyan' : undefined)}>
          {` ${title}${focused ? ' — keys go to the workload (Ctrl-] to return)' : ''} `.slice(0, Math.max(width - 4, 1))}
        </Text>
      </Box>
      {shown.map((segs, y) => (
        <Text key={y} wrap="truncate">
          {segs.length === 0 ? ' ' : segs.map((s, i) => (
            <Text key={i} color={color(s.fg)} backgroundColor={color(s.bg)} bold={s.bold} inverse={s.inverse} dimColor={s.dim}>
              {s.text}
            </Text>
          ))}
        </Text>
      ))}
    </Box>
  );
}
