/**
 * Colours, or none: NO_COLOR (and a terminal that cannot show colour) gets plain text, and every
 * state is also said with a symbol or a word, so nothing depends on colour alone.
 */
import type { Risk } from '../model/knowledge/risk.js';

export const colorEnabled = !process.env.NO_COLOR && process.env.TERM !== 'dumb';

/** A colour name for ink's <Text color>, or undefined without colour. */
export function c(name: string | undefined): string | undefined {
  return colorEnabled ? name : undefined;
}

export const riskColor: Record<Risk, string> = { critical: 'magenta', high: 'red', medium: 'yellow', low: 'gray' };
export const riskMark: Record<Risk, string> = { critical: '!!', high: '! ', medium: '~ ', low: '  ' };

/** The 16 ANSI palette colours xterm reports as 0–15, as ink colour names. */
export const paletteNames = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white', 'gray', 'redBright', 'greenBright', 'yellowBright', 'blueBright', 'magentaBright', 'cyanBright', 'whiteBright'];
