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
