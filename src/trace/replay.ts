/**
 * Replay a recorded event stream (the tracer's JSON lines, as `--events` wrote them) as if a
 * tracer were sending it: for the TUI benchmark, and to look at a recording again.
 */
import { createReadStream } from 'node:fs';

export interface ReplayOptions {
  /** Events per second to aim for (0: as fast as the reader takes them). */
  rate?: number;
  /** Called with each chunk of lines. */
  onChunk: (text: string) => void;
}

/** Read a JSONL file and hand it on in chunks, paced to a rate when asked. */
export async function replayFile(file: string, o: ReplayOptions): Promise<{ lines: number; seconds: number }> {
  const t0 = performance.now();
  let lines = 0;
  let carry = '';
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 16 });
  for await (const chunk of stream) {
    const text = carry + (chunk as string);
    const cut = text.lastIndexOf('\n') + 1;
    carry = text.slice(cut);
    const whole = text.slice(0, cut);
    let n = 0;
    for (let i = whole.indexOf('\n'); i >= 0; i = whole.indexOf('\n', i + 1)) n++;
    lines += n;
    o.onChunk(whole);
    if (o.rate) {
      // wait until the wall clock catches up with the lines sent so far
      const due = (lines / o.rate) * 1000 - (performance.now() - t0);
      if (due > 1) await new Promise((r) => setTimeout(r, due));
    } else {
      await new Promise((r) => setImmediate(r));
    }
  }
  if (carry) o.onChunk(carry + '\n');
  return { lines, seconds: (performance.now() - t0) / 1000 };
}
