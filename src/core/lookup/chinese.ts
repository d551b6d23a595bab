/**
 * 简/繁 conversion for search with OpenCC (opencc-js). Its converters take ~0.4 s and ~16 MB each
 * to build, so they are built on first need (the first query with Chinese characters), once.
 */
import { hasHan } from './normalize.ts';

type Convert = (s: string) => string;

/** One lazily built converter: the promise is shared so concurrent first queries build it once. */
function lazy(load: () => Promise<Convert>): { get(): Promise<Convert>; ready(): Convert | undefined } {
  let promise: Promise<Convert> | undefined;
  let value: Convert | undefined;
  return {
    get() {
      promise ??= load().then((c) => (value = c));
      return promise;
    },
    ready: () => value,
  };
}

const toHans = lazy(async () => (await import('opencc-js/t2cn')).Converter({ from: 't', to: 'cn' }));
const toHant = lazy(async () => (await import('opencc-js/cn2t')).Converter({ from: 'cn', to: 't' }));

/** The text in Simplified characters (mixed scripts such as "紐约" become "纽约"); other text unchanged. */
export async function simplified(s: string): Promise<string> {
  return hasHan(s) ? (await toHans.get())(s) : s;
}

/** `simplified` when the converter is already built, else the text as it is (for autocomplete, which cannot wait). */
export function simplifiedIfReady(s: string): string {
  const c = toHans.ready();
  return c && hasHan(s) ? c(s) : s;
}

/** The text in Traditional characters (Taiwan standard). */
export async function traditional(s: string): Promise<string> {
  return hasHan(s) ? (await toHant.get())(s) : s;
}
