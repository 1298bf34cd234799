/** A small list to pick from (errno for a denial, a pattern for a glob, export formats). */
import { Box, Text } from 'ink';
import { c } from './theme.js';

export interface MenuProps {
  title: string;
  options: Array<{ label: string; hint?: string; checked?: boolean }>;
  cursor: number;
  width: number;
  footer: string;
  multi?: boolean;
}

export function Menu({ title, options, cursor, width, footer, multi }: MenuProps) {
  return (
    <Box flexDirection="column" width={width} borderStyle="double" borderColor={c('yellow')} paddingX={1}>
      <Text bold>{title}</Text>
      {options.map((o, i) => (
        <Text key={i} inverse={i === cursor} wrap="truncate">
          {multi ? (o.checked ? '[x] ' : '[ ] ') : i === cursor ? '› ' : '  '}
          {o.label}
          {o.hint ? <Text dimColor>{`  ${o.hint}`}</Text> : null}
        </Text>
      ))}
      <Text dimColor>{footer}</Text>
    </Box>
  );
}
