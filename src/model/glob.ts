/**
 * Path patterns, as in AppArmor: `*` is one path component (or part of one), `**` any depth.
 * `/dir/**` matches everything below /dir (and `/dir/`), not the directory `/dir` itself.
 */

function escapeRe(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

const cache = new Map<string, RegExp>();

/** The regular expression a pattern stands for. */
export function globToRegExp(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (re) return re;
  let out = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      // any depth, slashes included; as in AppArmor, /dir/** is what is below /dir, not /dir
      out += '.*';
      i++;
    } else if (c === '*') {
      out += '[^/]*';
    } else {
      out += escapeRe(c);
    }
  }
  re = new RegExp(out + '$');
  cache.set(pattern, re);
  return re;
}

/** Does the pattern match the path? A pattern without wildcards matches only itself. */
export function globMatches(pattern: string, path: string): boolean {
  if (!pattern.includes('*')) return pattern === path;
  return globToRegExp(pattern).test(path);
}

export function isGlob(pattern: string): boolean {
  return pattern.includes('*');
}

/**
 * The natural widenings of a path, narrowest first: its directory's files, then the directory's
 * whole tree, then each parent's tree. /usr/lib/x/libc.so.6 → /usr/lib/x/*, /usr/lib/x/**,
 * /usr/lib/**, /usr/**.
 */
export function widenings(path: string): string[] {
  const parts = path.split('/').filter(Boolean);
  const out: string[] = [];
  if (parts.length >= 2) out.push('/' + parts.slice(0, -1).join('/') + '/*');
  for (let n = parts.length - 1; n >= 1; n--) out.push('/' + parts.slice(0, n).join('/') + '/**');
  return out;
}

/**
 * Where a name's generated part is: mkstemp's XXXXXX, a hash, Java's and Python's temp names, a
 * counter or pid. A directory's name (`dir`) only counts a run of digits as generated when it is 3
 * or more long (python3.11, j1 are not made up each run; 48213 is).
 */
function generatedParts(name: string, dir: boolean, strong = false): Array<[number, number]> {
  // a file's short lowercase extension stays (ccAbCdEf.s → cc*.s); "wk.kGSR" has none, and a
  // directory's name none at all (whittle-demo.abcdef is mktemp's)
  const ext = dir ? null : /\.[a-z][a-z0-9]{0,4}$/.exec(name);
  const stem = ext && ext.index > 0 ? name.slice(0, ext.index) : name;
  const classes = (s: string) => Number(/[a-z]/.test(s)) + Number(/[A-Z]/.test(s)) + Number(/[0-9]/.test(s));
  // a hash: 8+ hex digits, letters and digits both
  const hex = [...stem.matchAll(/[0-9a-f]{8,}/g)].find((m) => classes(m[0]) === 2);
  if (hex) return [[hex.index, hex.index + hex[0].length]];
  const spans: Array<[number, number]> = [];
  // a mkstemp-like tail: after a separator (tmp.Xy12ab, wk.kGSR; mktemp's 6 or 10 X's may all
  // come out lowercase) or the last six characters
  const sep = /[._-]([A-Za-z0-9]{4,})$/.exec(stem);
  // (as a suggestion only: config, backup and other words have six letters too; and to say a
  // name IS made up, an uppercase letter among others: python3 and v2a1 are words)
  const made = (t: string) => (strong ? classes(t) >= 2 && /[A-Z]/.test(t) : classes(t) >= 2 || t.length === 6 || t.length === 10);
  if (sep && made(sep[1]!)) spans.push([sep.index + 1, stem.length]);
  else if (!sep && stem.length > 6 && /^[A-Za-z0-9]{6}$/.test(stem.slice(-6)) && classes(stem.slice(-6)) >= 2 && (!strong || /[A-Z]/.test(stem.slice(-6))))
    spans.push([stem.length - 6, stem.length]);
  // Java's createTempFile (h7603712771219581485.tmp) and times in seconds: ten digits or more;
  // Python's tempfile: tmp and eight of [a-z0-9_] (tmpk3j9_2xa)
  const long = [...stem.matchAll(/[0-9]{10,}/g)].pop();
  if (!spans.length && long) spans.push([long.index, long.index + long[0].length]);
  else if (!spans.length && /^tmp[a-z0-9_]{8}$/.test(stem)) spans.push([3, stem.length]);
  if (spans.length || strong) return spans;
  // else the last run of digits (libc.so.6 has one too: only a suggestion)
  const digits = [...stem.matchAll(/[0-9]+/g)].pop();
  if (digits && (!dir || digits[0].length >= 3)) spans.push([digits.index, digits.index + digits[0].length]);
  return spans;
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}

/**
 * Patterns for names a program makes up each run (mktemp dirs, gcc's /tmp/ccXXXXXX.s, f123.txt,
 * hashed names), narrowest first: the generated part of a name becomes `*`, the rest stays — the
 * path with that name widened, then (for a directory) the tree below every directory so named:
 * wk.kGSR/.git/HEAD gives wk.* with .git/HEAD below it, then all below wk.*. With `dir`, the path
 * is a directory and only trees below it are offered; with `strong`, only mkstemp-like names and
 * hashes count (not a number, which libc.so.6 has too).
 */
export function generatedWidenings(path: string, dir = false, strong = false): string[] {
  const parts = path.split('/').filter(Boolean);
  const exact: string[] = [];
  const trees: string[] = [];
  for (let i = parts.length - 1; i >= 0; i--) {
    for (const [a, b] of generatedParts(parts[i]!, dir || i < parts.length - 1, strong)) {
      const name = parts[i]!.slice(0, a) + '*' + parts[i]!.slice(b);
      const last = i === parts.length - 1;
      // a whole name made up (a pid: /proc/48213/status → /proc/*/status) is a pattern only
      // above the last name; the last one as * is DIR/*, offered anyway
      if (name === '*' && last && !dir) continue;
      const head = '/' + [...parts.slice(0, i), name].join('/');
      if (!dir) exact.push('/' + [...parts.slice(0, i), name, ...parts.slice(i + 1)].join('/'));
      if (!last || dir) trees.push(head + '/**');
    }
  }
  return unique([...exact, ...trees]);
}

/**
 * One pattern for the files of a directory whose names share a start and an end (f0.txt …
 * f39999.txt → DIR/f*.txt), or none when they share nothing or are a single name.
 */
export function siblingPattern(dir: string, names: string[]): string | undefined {
  const distinct = unique(names);
  if (distinct.length < 2) return undefined;
  let pre = distinct[0]!;
  let suf = distinct[0]!;
  for (const n of distinct) {
    let i = 0;
    while (i < pre.length && i < n.length && pre[i] === n[i]) i++;
    pre = pre.slice(0, i);
    let j = 0;
    while (j < suf.length && j < n.length && suf[suf.length - 1 - j] === n[n.length - 1 - j]) j++;
    suf = suf.slice(suf.length - j);
  }
  const shortest = Math.min(...distinct.map((n) => n.length));
  suf = suf.slice(Math.max(0, pre.length + suf.length - shortest));
  if (!pre && !suf) return undefined;
  return `${dir === '/' ? '' : dir}/${pre}*${suf}`;
}

/**
 * What the TUI offers to widen a path (or a directory's paths) to, narrowest first: the
 * patterns for its generated names, the pattern its directory's files share, then the plain
 * widenings; never all of / at once.
 */
export function suggestedPatterns(target: { path: string } | { dir: string; names: string[] }): string[] {
  const out =
    'path' in target
      ? [...generatedWidenings(target.path), ...widenings(target.path)]
      : [
          ...[siblingPattern(target.dir, target.names)].filter((p): p is string => !!p),
          // one name (in as many access kinds as it was used): its own made-up part
          ...(new Set(target.names).size === 1 ? generatedWidenings(`${target.dir === '/' ? '' : target.dir}/${target.names[0]}`) : []),
          ...generatedWidenings(target.dir, true),
          ...widenings(`${target.dir === '/' ? '' : target.dir}/x`),
        ];
  return unique(out).filter((p) => p !== '/**' && p !== '/*');
}
