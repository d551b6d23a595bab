/**
 * Rules for text people type: NFC-normalised, invisible control and format characters refused,
 * lengths counted in visible characters (grapheme clusters), so "12 zero-width spaces" or a
 * bidi override can neither pass a minimum nor hide or reorder what a triager reads.
 */

// Cc and Cf, except ZWJ (emoji sequences such as 👩‍👧) and the newline/tab a description needs.
const INVISIBLE = /(?![\u200D\n\t])[\p{Cc}\p{Cf}]/u;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** True when the text holds a control or format character that is not allowed. @example hasInvisible('a\u200Bb') === true */
export function hasInvisible(s: string): boolean {
  return INVISIBLE.test(s);
}

/** The number of visible characters (grapheme clusters). @example visibleLength('👩‍👧') === 1 */
export function visibleLength(s: string): number {
  let n = 0;
  for (const _ of graphemes.segment(s)) n++;
  return n;
}

/** NFC, line breaks as "\n", trimmed; single-line fields turn breaks and tabs into spaces. */
export function normalizeText(s: string, multiline: boolean): string {
  const nfc = s.normalize('NFC').replace(/\r\n?/g, '\n');
  return (multiline ? nfc : nfc.replace(/[\n\t]+/g, ' ')).trim();
}

/** Why a text fails the rules, or null when it passes. */
export function textIssue(s: string, min: number, max: number): 'control' | 'short' | 'long' | null {
  if (hasInvisible(s)) return 'control';
  const n = visibleLength(s);
  // Also bound code units: a few huge graphemes must not slip past a storage or platform limit.
  if (n > max || s.length > max * 10) return 'long';
  return n < min ? 'short' : null;
}
