/**
 * Raw terminal input → keys, one at a time. A terminal (or tmux) may deliver several keys in one
 * read — "\x1b[Bg" is Down then g — so the input is cut into escape sequences and characters.
 */
export interface KeyPress {
  /** The printable character, or '' for a special key. */
  input: string;
  upArrow: boolean;
  downArrow: boolean;
  leftArrow: boolean;
  rightArrow: boolean;
  pageUp: boolean;
  pageDown: boolean;
  home: boolean;
  end: boolean;
  return: boolean;
  escape: boolean;
  tab: boolean;
  backspace: boolean;
  delete: boolean;
  /** Ctrl with a letter: input is the letter. */
  ctrl: boolean;
  meta: boolean;
  /** The bytes this key came as (to pass on to the workload when the keyboard moves to it). */
  raw: string;
}

const none = (): KeyPress => ({
  input: '', upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageUp: false, pageDown: false, home: false, end: false,
  return: false, escape: false, tab: false, backspace: false, delete: false, ctrl: false, meta: false, raw: '',
});

const csi: Record<string, Partial<KeyPress>> = {
  '[A': { upArrow: true }, '[B': { downArrow: true }, '[C': { rightArrow: true }, '[D': { leftArrow: true },
  OA: { upArrow: true }, OB: { downArrow: true }, OC: { rightArrow: true }, OD: { leftArrow: true },
  '[H': { home: true }, '[F': { end: true }, OH: { home: true }, OF: { end: true },
  '[1~': { home: true }, '[4~': { end: true }, '[7~': { home: true }, '[8~': { end: true },
  '[5~': { pageUp: true }, '[6~': { pageDown: true }, '[3~': { delete: true }, '[Z': { tab: true },
};

/** Split raw input into keys. */
export function parseKeys(data: string): KeyPress[] {
  const out: KeyPress[] = [];
  let i = 0;
  let start = 0;
  // each key remembers the bytes it was cut from
  const mark = () => {
    const last = out[out.length - 1];
    if (last && !last.raw) last.raw = data.slice(start, i);
    start = i;
  };
  while (i < data.length) {
    mark();
    const ch = data[i]!;
    if (ch === '\x1b') {
      const next = data[i + 1];
      if (next === '[' || next === 'O') {
        let j = i + 2;
        // parameters and intermediates, then one final byte @..~
        while (j < data.length && !/[@-~]/.test(data[j]!)) j++;
        const seq = data.slice(i + 1, j + 1);
        out.push({ ...none(), ...(csi[seq.replace(/^\[1;\d/, '[')] ?? csi[seq] ?? {}) });
        i = j + 1;
        continue;
      }
      if (next === undefined || next === '\x1b') {
        out.push({ ...none(), escape: true });
        i += 1;
        continue;
      }
      out.push({ ...none(), input: next, meta: true });
      i += 2;
      continue;
    }
    const code = ch.charCodeAt(0);
    if (ch === '\r' || ch === '\n') out.push({ ...none(), return: true });
    else if (ch === '\t') out.push({ ...none(), tab: true });
    else if (ch === '\x7f' || ch === '\b') out.push({ ...none(), backspace: true });
    else if (code > 0 && code < 27) out.push({ ...none(), ctrl: true, input: String.fromCharCode(code + 96) });
    else if (code >= 28 && code < 32) out.push({ ...none(), ctrl: true, input: String.fromCharCode(code + 64) });
    else {
      // a whole code point (surrogate pairs stay together)
      const cp = data.codePointAt(i)!;
      const s = String.fromCodePoint(cp);
      out.push({ ...none(), input: s });
      i += s.length;
      continue;
    }
    i++;
  }
  mark();
  return out;
}
