/**
 * The one catalog of user-facing text, in English, Simplified and Traditional Chinese.
 * English defines the keys; the Chinese catalogs are typed `Record<MessageKey, string>`, so a
 * missing key does not compile, and test/core/i18n checks that placeholders match.
 *
 * Messages are in ./messages.*.ts; `{name}` is replaced by `params.name`.
 */
import type { Locale } from './locales.ts';
import { en } from './messages.en.ts';
import { zhHans } from './messages.zh-hans.ts';
import { zhHant } from './messages.zh-hant.ts';

/** Every message key. */
export type MessageKey = keyof typeof en;

/** The catalogs, by locale. */
export const catalogs: Record<Locale, Record<MessageKey, string>> = { en, 'zh-Hans': zhHans, 'zh-Hant': zhHant };

/** Translates a key, filling `{placeholders}` from params. @example t('en', 'lookup.more', { count: 3 }) */
export function t(locale: Locale, key: MessageKey, params?: Record<string, string | number>): string {
  const template = catalogs[locale][key] ?? en[key];
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

/** The same text in every locale, e.g. for command descriptions. */
export function allLocales(key: MessageKey): Record<Locale, string> {
  return { en: t('en', key), 'zh-Hans': t('zh-Hans', key), 'zh-Hant': t('zh-Hant', key) };
}
