/** A small list to pick from (errno for a denial, a pattern for a glob, export formats). */
import { Box, Text } from 'ink';
import { c } from './theme.js';

export interface MenuProps {
  title: string;
  options: Array<{ label: string; hint?: string; checked?: boolean }>;
  cursor: number;
  width: number;
  /** The rows it may take; a longer list scrolls with the cursor. */
  height?: number;
  footer: string;
  multi?: boolean;
}

export function Menu({ title, options, cursor, width, height, footer, multi }: MenuProps) {
  const inner = Math.max(width - 4, 1);
  const linesOf = (s: string) => Math.max(1, Math.ceil(s.length / inner));
  const room = height === undefined ? options.length : Math.max(height - 2 - linesOf(title) - linesOf(footer), 1);
  const shown = Math.min(options.length, room);
  const top = Math.max(0, Math.min(cursor - Math.floor(shown / 2), options.length - shown));
  return (
    <Box flexDirection="column" width={width} borderStyle="double" borderColor={c('yellow')} paddingX={1}>
      <Text bold>{title}</Text>
      {options.slice(top, top + shown).map((o, j) => {
        const i = top + j;
        const more = (j === 0 && top > 0) || (j === shown - 1 && top + shown < options.length);
        return (
          <Text key={i} inverse={i === cursor} wrap="truncate">
            {i === cursor ? '› ' : '  '}
            {multi ? (o.checked ? '[x] ' : '[ ] ') : ''}
            {o.label}
            {o.hint ? <Text dimColor>{`  ${o.hint}`}</Text> : null}
            {more ? <Text dimColor>{j === 0 ? '  ↑ more' : '  ↓ more'}</Text> : null}
          </Text>
        );
      })}
      <Text dimColor>{footer}</Text>
    </Box>
  );
}
