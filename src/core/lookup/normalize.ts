/**
 * Text normalisation for search: case, accents, width and punctuation folded, so "Zürich",
 * "ZURICH" and "zurich" meet; Chinese characters are kept as they are (both scripts are indexed).
 */
const HAN = /\p{Script=Han}/u;

/** Lowercase, NFKC, no diacritics or punctuation, single spaces. @example normalize(' Zürich! ') === 'zurich' */
export function normalize(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** `normalize` without spaces: "Niu Yue" and "niuyue" become one key. */
export function compact(s: string): string {
  return normalize(s).replace(/ /g, '');
}

/** True when the text contains Chinese characters. */
export function hasHan(s: string): boolean {
  return HAN.test(s);
}

/** Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), capped at max+1. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n]!;
}
