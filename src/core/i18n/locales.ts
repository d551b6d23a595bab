/** The languages every user-facing text exists in. */
export const LOCALES = ['en', 'zh-Hans', 'zh-Hant'] as const;
export type Locale = (typeof LOCALES)[number];

/** Maps a platform language tag (Telegram `language_code`, Discord locale, `--locale`) to ours. */
export function toLocale(tag: string | undefined | null, fallback: Locale = 'en'): Locale {
  if (!tag) return fallback;
  const t = tag.toLowerCase().replace('_', '-');
  if (t === 'zh-hant' || t === 'zh-tw' || t === 'zh-hk' || t === 'zh-mo' || t.startsWith('zh-hant')) return 'zh-Hant';
  if (t === 'zh' || t === 'zh-hans' || t === 'zh-cn' || t === 'zh-sg' || t.startsWith('zh-hans')) return 'zh-Hans';
  if (t === 'en' || t.startsWith('en-')) return 'en';
  return fallback;
}

/** True when the tag names one of our locales exactly (for `--locale` and the language command). */
export function isLocale(tag: string): tag is Locale {
  return (LOCALES as readonly string[]).includes(tag);
}
