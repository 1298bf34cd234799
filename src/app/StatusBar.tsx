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
  /** Of the undecided items, how many are critical and high risk. */
  critical?: number;
  high?: number;
  lost: number;
  runSummary: string | null;
  filter: string;
  message?: string;
}

/** The keys, in screen order, with the order they are dropped in when the line is too short. */
const keys: Array<{ text: string; keep: number }> = [
  { text: 'a accept', keep: 1 },
  { text: 'd deny', keep: 1 },
  { text: 'g glob', keep: 3 },
  { text: 'u undo', keep: 3 },
  { text: 'space skip', keep: 5 },
  { text: '! risky', keep: 3 },
  { text: '/ filter', keep: 4 },
  { text: 'tab workload', keep: 6 },
  { text: 'e export', keep: 2 },
  { text: 'r run', keep: 2 },
  { text: '? help', keep: 0 },
  { text: 'q quit', keep: 0 },
];

/** The keys line for a width: the least needed keys go first; ? help and q quit always stay. */
export function keysLine(width: number): string {
  const sep = '  ';
  for (let drop = 7; drop >= 0; drop--) {
    const line = keys
      .filter((k) => k.keep < drop || k.keep === 0)
      .map((k) => k.text)
      .join(sep);
    if (line.length <= width || drop === 0) return line;
  }
  return keys.map((k) => k.text).join(sep);
}

interface Segment {
  text: string;
  color?: string;
  bold?: boolean;
  dim?: boolean;
  /** Dropped first when the line is too short: the higher, the sooner (0: never). */
  drop: number;
}

/** The status line's parts that fit the width, most needed first kept. */
export function statusSegments(p: StatusProps): Segment[] {
  const full = [p.critical ? `${p.critical} critical` : '', p.high ? `${p.high} high` : ''].filter(Boolean).join(', ');
  const build = (risky: string): Segment[] => [
    { text: p.phase, bold: true, drop: 0 },
    { text: ` ${p.mechanism}`, dim: true, drop: 5 },
    // the event rate matters while events come; after that the risky count matters more
    { text: ` │ ${p.eventsPerSecond} ev/s`, drop: p.phase === 'learning' ? 2 : 4 },
    { text: ' │ ', drop: 0 },
    { text: `${p.accepted} accepted`, color: 'green', drop: 0 },
    { text: ' · ', drop: 0 },
    { text: `${p.denied} denied`, color: 'red', drop: 0 },
    { text: ' · ', drop: 0 },
    { text: `${p.undecided} undecided`, bold: p.undecided > 0, drop: 0 },
    ...(risky ? [{ text: ` (${risky})`, bold: true, color: p.critical ? 'magenta' : 'red', drop: 3 }] : []),
    { text: ' │ ', drop: 0 },
    p.lost > 0 ? { text: `LOST ${p.lost} events`, color: 'red', bold: true, drop: 0 } : { text: 'lost 0', dim: true, drop: 0 },
    ...(p.filter ? [{ text: ` │ filter "${p.filter}"`, drop: 1 }] : []),
    ...(p.runSummary ? [{ text: ` │ ${p.runSummary}`, drop: 6 }] : []),
  ];
  const len = (xs: Segment[]) => xs.reduce((n, x) => n + [...x.text].length, 0);
  const fit = (xs: Segment[], floor: number) => {
    for (let d = 6; d > floor && len(xs) > p.width; d--) xs = xs.filter((x) => x.drop < d);
    return xs;
  };
  // the risky count in full, else only the critical ones, before giving up the rest
  for (const risky of [full, p.critical ? `${p.critical} critical` : '']) {
    if (!risky) continue;
    const xs = fit(build(risky), 3);
    if (len(xs) <= p.width) return xs;
  }
  return fit(build(full), 0);
}

export function StatusBar(p: StatusProps) {
  return (
    <Box flexDirection="column" width={p.width}>
      <Text wrap="truncate">
        {statusSegments(p).map((x, i) => (
          <Text key={i} bold={x.bold} dimColor={x.dim} color={c(x.color)}>
            {x.text}
          </Text>
        ))}
      </Text>
      <Text wrap="truncate" dimColor>
        {p.message ?? keysLine(p.width)}
      </Text>
    </Box>
  );
}
