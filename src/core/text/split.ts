/**
 * Cutting text at a length limit without breaking a character: JavaScript strings are UTF-16, so
 * a cut at an index can fall between the two halves of a surrogate pair (an emoji, a rare Han
 * character), leaving a lone half that platforms show as "�" or refuse. Both adapters cut here.
 */

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/** The largest index ≤ `at` that does not fall inside a surrogate pair of `text`. */
export function safeCutIndex(text: string, at: number): number {
  if (at <= 0 || at >= text.length) return Math.max(0, Math.min(at, text.length));
  return isHighSurrogate(text.charCodeAt(at - 1)) ? at - 1 : at;
}

/** Splits text into pieces of at most `max` UTF-16 units, never inside a surrogate pair. Example: `splitUnits('a😀', 2)` → `['a', '😀']`. */
export function splitUnits(text: string, max: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const at = Math.max(1, safeCutIndex(rest, max));
    out.push(rest.slice(0, at));
    rest = rest.slice(at);
  }
  if (rest) out.push(rest);
  return out;
}
