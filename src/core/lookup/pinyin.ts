/**
 * Pinyin search keys, derived when a dataset is stored (replaceDataset), never at start: the
 * dictionary costs tens of megabytes a lookup never needs once the keys are in the dataset.
 */
import { pinyin } from 'pinyin-pro';
import type { Dataset } from '../dataset/dataset.schema.ts';
import { compact } from './normalize.ts';

/** Tone-less pinyin of the Chinese characters in s, joined: "纽约" -> "niuyue". */
export function toPinyin(s: string): string {
  return pinyin(s, { toneType: 'none', type: 'array', nonZh: 'removed' }).join('');
}

/** As an alias is written: "Niuyue". */
const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The dataset with each station's city and each country's name findable by its joined pinyin. */
export function withPinyinKeys(d: Dataset): Dataset {
  const missing = (key: string, have: string[]) => key !== '' && !have.some((a) => compact(a) === compact(key));
  return {
    ...d,
    stations: d.stations.map((s) => {
      const key = capitalised(toPinyin(s.city['zh-Hans']));
      return missing(
        key,
        s.aliases.map((a) => a.alias),
      )
        ? { ...s, aliases: [...s.aliases, { alias: key, kind: 'pinyin' as const }] }
        : s;
    }),
    countries: d.countries.map((c) => {
      const key = capitalised(toPinyin(c.name['zh-Hans']));
      return missing(key, c.aliases) ? { ...c, aliases: [...c.aliases, key] } : c;
    }),
  };
}
