/**
 * Names that are not valid UTF-8 come from the tracer with each invalid byte as a lone surrogate
 * (U+DC80..U+DCFF); what whittle hands back to the tracer (an enforce spec) must be those bytes.
 */
import { describe, expect, it } from 'vitest';
import { tracerBytes } from '../../src/trace/tracer-process.js';

describe('tracerBytes', () => {
  it('gives back the invalid bytes a name was sent with (caf\\xe9.txt, Latin-1)', () => {
    // as the tracer's JSON carries it, parsed: "caf\udce9.txt"
    const name = JSON.parse('"/tmp/caf\\udce9.txt"') as string;
    expect([...tracerBytes(name)]).toEqual([...Buffer.from('/tmp/caf', 'latin1'), 0xe9, ...Buffer.from('.txt')]);
  });

  it('leaves valid UTF-8 as it is, a character outside the BMP whose low half is in that range included', () => {
    for (const s of ['/tmp/café.txt', '/tmp/\u{1F480}.txt', 'plain']) expect(tracerBytes(s).equals(Buffer.from(s, 'utf8')), s).toBe(true);
  });

  it('several invalid bytes in a row, between valid characters', () => {
    const s = JSON.parse('"a\\udcff\\udcfeé\\udc80"') as string;
    expect([...tracerBytes(s)]).toEqual([0x61, 0xff, 0xfe, 0xc3, 0xa9, 0x80]);
  });
});
