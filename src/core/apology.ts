/**
 * The answer to an unexpected error, as a Reply with a stable code: adapters that print the
 * reply's code (the console's --json) get it from here rather than mapping catalog keys back.
 */
import type { ErrorCode } from './errors.ts';
import { t } from './i18n/catalog.ts';
import type { Locale } from './i18n/locales.ts';
import type { Reply } from './reply.ts';

/** Each apology's catalog key and the error code it stands for. */
export const APOLOGY_CODES = {
  'common.temporary_error': 'STORAGE.UNAVAILABLE',
  'common.storage_full': 'STORAGE.FULL',
  'common.internal_error': 'INTERNAL',
} as const satisfies Record<string, ErrorCode>;

/** An apology's catalog key (what `app.apologyFor(error)` returns). */
export type ApologyKey = keyof typeof APOLOGY_CODES;

/**
 * The apology as a private error Reply in the person's language.
 * @example apologyReply(app.apologyFor(error), 'en') // { kind: 'error', code: 'STORAGE.UNAVAILABLE', … }
 */
export function apologyReply(key: ApologyKey, locale: Locale): Reply {
  return { private: true, kind: 'error', code: APOLOGY_CODES[key], blocks: [{ type: 'text', text: t(locale, key) }], citations: [] };
}
