import { describe, expect, it } from 'vitest';
import { generatedWidenings, globMatches, suggestedPatterns } from '../../src/model/glob.js';

describe('what a path can be widened to', () => {
  const offered = (path: string) => suggestedPatterns({ path });

  it("offers gcc's and mktemp's generated names as patterns before whole directories", () => {
    const o = offered('/tmp/ccAbCdEf.s');
    expect(o[0]).toBe('/tmp/cc*.s');
    expect(o.indexOf('/tmp/cc*.s')).toBeLessThan(o.indexOf('/tmp/*'));
    expect(offered('/tmp/tmp.Xy12abCD')[0]).toBe('/tmp/tmp.*');
    // mktemp's X's can all come out lowercase
    expect(offered('/tmp/whittle-demo.abcdef/info.txt').slice(0, 2)).toEqual(['/tmp/whittle-demo.*/info.txt', '/tmp/whittle-demo.*/**']);
  });

  it('widens a generated directory in the middle of a path, keeping what is below it or the whole tree', () => {
    const o = offered('/tmp/j1/wk.kGSR/.git/HEAD');
    expect(o.slice(0, 2)).toEqual(['/tmp/j1/wk.*/.git/HEAD', '/tmp/j1/wk.*/**']);
    // the plain widenings follow, narrowest first, and never all of /
    expect(o).toContain('/tmp/j1/wk.kGSR/.git/*');
    expect(o).toContain('/tmp/**');
    expect(o).not.toContain('/**');
    for (const p of o) expect(globMatches(p, '/tmp/j1/wk.kGSR/.git/HEAD')).toBe(true);
  });

  it('turns counters and hashes into a pattern, and leaves fixed names alone', () => {
    expect(offered('/tmp/files/f123.txt')[0]).toBe('/tmp/files/f*.txt');
    expect(offered('/root/.cache/x/0123abcd4567ef89.json')[0]).toBe('/root/.cache/x/*.json');
    expect(offered('/etc/passwd')).toEqual(['/etc/*', '/etc/**']);
    expect(offered('/usr/lib/x86_64-linux-gnu/libc.so.6')[0]).toBe('/usr/lib/x86_64-linux-gnu/libc.so.*');
  });

  it("offers the pattern a directory's files share, then trees", () => {
    const names = Array.from({ length: 40_000 }, (_, i) => `f${i}.txt`);
    const o = suggestedPatterns({ dir: '/tmp/files', names });
    expect(o[0]).toBe('/tmp/files/f*.txt');
    for (const n of names) expect(globMatches(o[0]!, `/tmp/files/${n}`)).toBe(true);
    expect(o).toContain('/tmp/files/*');
    // a start and an end that overlap in the shortest name are cut so the pattern still matches it
    const ab = suggestedPatterns({ dir: '/tmp', names: ['ab', 'abab'] })[0]!;
    expect(globMatches(ab, '/tmp/ab') && globMatches(ab, '/tmp/abab')).toBe(true);
    // one made-up name, used in several ways (read, write, remove…): its own pattern
    expect(suggestedPatterns({ dir: '/tmp', names: ['ccAbCdEf.s', 'ccAbCdEf.s'] })[0]).toBe('/tmp/cc*.s');
    // nothing shared, or one name: no sibling pattern
    expect(suggestedPatterns({ dir: '/srv', names: ['a', 'b'] })[0]).toBe('/srv/*');
    expect(suggestedPatterns({ dir: '/tmp/j1/wk.kGSR', names: ['a.txt'] }).slice(0, 3)).toEqual(['/tmp/j1/wk.*/a.txt', '/tmp/j1/wk.*/**', '/tmp/j1/wk.kGSR/*']);
  });

  it('tells a made-up name (mkstemp, a hash) from a version number when asked for strong signs only', () => {
    expect(generatedWidenings('/tmp/ccAbCdEf.s', false, true)).toEqual(['/tmp/cc*.s']);
    expect(generatedWidenings('/root/.cache/x/0123abcd4567ef89.json', false, true)).toEqual(['/root/.cache/x/*.json']);
    expect(generatedWidenings('/usr/lib/x86_64-linux-gnu/libc.so.6', false, true)).toEqual([]);
    expect(generatedWidenings('/usr/lib/python3.11/os.py', false, true)).toEqual([]);
    expect(generatedWidenings('/etc/passwd', false, true)).toEqual([]);
    expect(generatedWidenings('/usr/bin/python3-config', false, true)).toEqual([]);
    // a venv's bin/python3 is a word and a version, not mkstemp's six characters
    expect(generatedWidenings('/tmp/venv/bin/python3', false, true)).toEqual([]);
    expect(generatedWidenings('/tmp/wk.kGSR', false, true)).toEqual(['/tmp/wk.*']);
  });

  it("knows Java's and Python's temp names (digits only, lowercase only), and not words or versions like them", () => {
    // Files.createTempFile(dir, "h", ".tmp"); tempfile.mkstemp(); a time in seconds
    expect(generatedWidenings('/tmp/out/h7603712771219581485.tmp', false, true)).toEqual(['/tmp/out/h*.tmp']);
    expect(generatedWidenings('/tmp/tmpk3j9_2xa', false, true)).toEqual(['/tmp/tmp*']);
    expect(generatedWidenings('/tmp/tmpfosxholo', true, true)).toEqual(['/tmp/tmp*/**']); // letters only, 1 in 16
    expect(generatedWidenings('/var/log/app-1764150000.log', false, true)).toEqual(['/var/log/app-*.log']);
    // not: a word after tmp, a short number, a date-like version
    expect(generatedWidenings('/tmp/tmpfiles', false, true)).toEqual([]);
    expect(generatedWidenings('/usr/lib/libfoo.so.123', false, true)).toEqual([]);
    expect(generatedWidenings('/etc/app/20261126.conf', false, true)).toEqual([]);
  });
});
