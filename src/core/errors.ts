/**
 * Expected failures, as values with stable codes. Each code has a message in the i18n catalog
 * (`error.<CODE>`); `errorMessage` maps them exhaustively, so a new code will not compile until
 * it has one.
 */
import type { Locale } from './i18n/locales.ts';
import { t, type MessageKey } from './i18n/catalog.ts';

export const ERROR_CODES = [
  'INPUT.INVALID',
  'INPUT.TOO_LONG',
  'INPUT.EMPTY',
  'COMMAND.UNKNOWN',
  'COMMAND.PRIVATE_ONLY',
  'LOOKUP.NOT_FOUND',
  'SOURCES.NOT_FOUND',
  'TRIAGE.FORBIDDEN',
  'REPORT.RATE_LIMITED',
  'STORAGE.UNAVAILABLE',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** An expected failure: a code plus the values its message needs. */
export interface CoreError {
  code: ErrorCode;
  params?: Record<string, string | number>;
}

/** Builds a CoreError. */
export const coreError = (code: ErrorCode, params?: Record<string, string | number>): CoreError => (params ? { code, params } : { code });

function keyFor(code: ErrorCode): MessageKey {
  switch (code) {
    case 'INPUT.INVALID':
      return 'error.input_invalid';
    case 'INPUT.TOO_LONG':
      return 'error.input_too_long';
    case 'INPUT.EMPTY':
      return 'error.input_empty';
    case 'COMMAND.UNKNOWN':
      return 'error.command_unknown';
    case 'COMMAND.PRIVATE_ONLY':
      return 'error.private_only';
    case 'LOOKUP.NOT_FOUND':
      return 'error.lookup_not_found';
    case 'SOURCES.NOT_FOUND':
      return 'error.sources_not_found';
    case 'TRIAGE.FORBIDDEN':
      return 'error.triage_forbidden';
    case 'REPORT.RATE_LIMITED':
      return 'error.rate_limited';
    case 'STORAGE.UNAVAILABLE':
      return 'error.storage_unavailable';
    default: {
      const unreachable: never = code;
      return unreachable;
    }
  }
}

/** The localized message for an expected failure. */
export function errorMessage(e: CoreError, locale: Locale): string {
  return t(locale, keyFor(e.code), e.params);
}
