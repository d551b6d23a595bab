/**
 * Expected failures, as values with stable codes. Each code has a message in the i18n catalog
 * (`error.<CODE>`); `errorMessage` maps them exhaustively, so a new code will not compile until
 * it has one.
 */
import type { Locale } from './i18n/locales.ts';
import { catalogs, t, type MessageKey } from './i18n/catalog.ts';

export const ERROR_CODES = [
  'INPUT.INVALID',
  'INPUT.TOO_LONG',
  'INPUT.EMPTY',
  'INPUT.CONTROL_CHARS',
  'COMMAND.UNKNOWN',
  'COMMAND.PRIVATE_ONLY',
  'COMMAND.NOT_A_COMMAND',
  'LOOKUP.NOT_FOUND',
  'SOURCES.NOT_FOUND',
  'TOPIC.NOT_FOUND',
  'TRIAGE.FORBIDDEN',
  'TRIAGE.BAD_REPORT_ID',
  'TRIAGE.REPORT_NOT_FOUND',
  'TRIAGE.BAD_FILTER',
  'TRIAGE.BAD_MEMBER',
  'TRIAGE.BAD_STATUS',
  'TRIAGE.BAD_TRANSITION',
  'TRIAGE.BAD_SEVERITY',
  'TRIAGE.BAD_TEXT',
  'TRIAGE.BAD_DUPLICATE',
  'TRIAGE.SUGGEST_USAGE',
  'TRIAGE.SUGGEST_UNKNOWN_STATION',
  'TRIAGE.SUGGEST_NEEDS_SOURCE',
  'TRIAGE.NO_CONTACT_CONSENT',
  'TRIAGE.RELAY_UNAVAILABLE',
  'TRIAGE.REPORTER_UNREACHABLE',
  'TRIAGE.BAD_ACTION',
  'TRIAGE.LEAD_ONLY',
  'TRIAGE.EXPORT_AUDIENCE',
  'TRIAGE.EXPORT_NO_RECIPIENT',
  'REPORT.RATE_LIMITED',
  'REPORT.NO_DRAFT',
  'REPORT.STALE_STEP',
  'REPORT.UNEXPECTED_INPUT',
  'REPORT.BAD_DATE',
  'REPORT.TEXT_TOO_SHORT',
  'REPORT.CONTROL_CHARS',
  'REPORT.EXPECTED_FILE',
  'REPORT.FILE_NOT_NOW',
  'REPORT.FILE_TYPE',
  'REPORT.FILE_TOO_LARGE',
  'REPORT.FILE_CORRUPT',
  'REPORT.TOO_MANY_FILES',
  'REPORT.DUPLICATE_FILE',
  'REPORT.RECEIPT_MALFORMED',
  'REPORT.RECEIPT_UNKNOWN',
  'REPORT.MAILBOX_CLOSED',
  'REPORT.NOT_NOW',
  'REPORT.NEWS_UNAVAILABLE',
  'TRIAGE.BAD_DURATION',
  'TRIAGE.NOT_BLOCKED',
  'TRIAGE.SNIPPET_USAGE',
  'TRIAGE.SNIPPET_UNKNOWN',
  'TRIAGE.ROLE_USAGE',
  'TRIAGE.ROLE_SELF',
  'TRIAGE.ROLE_ELSEWHERE',
  'REPORT.RECEIPT_LIMITED',
  'STORAGE.UNAVAILABLE',
  'STORAGE.FULL',
  'INTERNAL',
  // the console's /attach (src/adapters/console/console.attach.ts), rendered by that adapter
  'CONSOLE.ATTACH_USAGE',
  'CONSOLE.ATTACH_MISSING',
  'CONSOLE.ATTACH_FOLDER',
  'CONSOLE.ATTACH_UNREADABLE',
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
    case 'INPUT.CONTROL_CHARS':
      return 'error.control_chars';
    case 'COMMAND.UNKNOWN':
      return 'error.command_unknown';
    case 'COMMAND.PRIVATE_ONLY':
      return 'error.private_only';
    case 'COMMAND.NOT_A_COMMAND':
      return 'common.not_a_command';
    case 'LOOKUP.NOT_FOUND':
      return 'error.lookup_not_found';
    case 'SOURCES.NOT_FOUND':
      return 'error.sources_not_found';
    case 'TOPIC.NOT_FOUND':
      return 'error.topic_not_found';
    case 'TRIAGE.FORBIDDEN':
      return 'error.triage_forbidden';
    case 'REPORT.RATE_LIMITED':
      return 'error.rate_limited';
    case 'REPORT.NO_DRAFT':
      return 'error.no_draft';
    case 'REPORT.STALE_STEP':
      return 'error.stale_step';
    case 'REPORT.UNEXPECTED_INPUT':
      return 'error.unexpected_input';
    case 'REPORT.BAD_DATE':
      return 'error.bad_date';
    case 'REPORT.TEXT_TOO_SHORT':
      return 'error.text_too_short';
    case 'REPORT.CONTROL_CHARS':
      return 'error.control_chars';
    case 'REPORT.EXPECTED_FILE':
      return 'error.expected_file';
    case 'REPORT.FILE_NOT_NOW':
      return 'error.file_not_now';
    case 'REPORT.FILE_TYPE':
      return 'error.file_type';
    case 'REPORT.FILE_TOO_LARGE':
      return 'error.file_too_large';
    case 'REPORT.FILE_CORRUPT':
      return 'error.file_corrupt';
    case 'REPORT.TOO_MANY_FILES':
      return 'error.too_many_files';
    case 'REPORT.DUPLICATE_FILE':
      return 'error.duplicate_file';
    case 'REPORT.RECEIPT_MALFORMED':
      return 'error.receipt_malformed';
    case 'REPORT.NEWS_UNAVAILABLE':
      return 'error.news_unavailable';
    case 'REPORT.NOT_NOW':
      return 'intake.not_now';
    case 'TRIAGE.BAD_DURATION':
      return 'error.triage_bad_duration';
    case 'TRIAGE.SNIPPET_USAGE':
      return 'error.triage_snippet_usage';
    case 'TRIAGE.ROLE_USAGE':
      return 'error.triage_role_usage';
    case 'TRIAGE.ROLE_SELF':
      return 'error.triage_role_self';
    case 'TRIAGE.ROLE_ELSEWHERE':
      return 'error.triage_role_elsewhere';
    case 'TRIAGE.SNIPPET_UNKNOWN':
      return 'error.triage_snippet_unknown';
    case 'TRIAGE.NOT_BLOCKED':
      return 'error.triage_not_blocked';
    case 'REPORT.MAILBOX_CLOSED':
      return 'error.mailbox_closed';
    case 'REPORT.RECEIPT_UNKNOWN':
      return 'error.receipt_unknown';
    case 'REPORT.RECEIPT_LIMITED':
      return 'error.receipt_limited';
    case 'TRIAGE.BAD_REPORT_ID':
      return 'error.triage_bad_report_id';
    case 'TRIAGE.REPORT_NOT_FOUND':
      return 'error.triage_report_not_found';
    case 'TRIAGE.BAD_FILTER':
      return 'error.triage_bad_filter';
    case 'TRIAGE.BAD_MEMBER':
      return 'error.triage_bad_member';
    case 'TRIAGE.BAD_STATUS':
      return 'error.triage_bad_status';
    case 'TRIAGE.BAD_TRANSITION':
      return 'error.triage_bad_transition';
    case 'TRIAGE.BAD_SEVERITY':
      return 'error.triage_bad_severity';
    case 'TRIAGE.BAD_TEXT':
      return 'error.triage_bad_text';
    case 'TRIAGE.BAD_DUPLICATE':
      return 'error.triage_bad_duplicate';
    case 'TRIAGE.SUGGEST_USAGE':
      return 'error.triage_suggest_usage';
    case 'TRIAGE.SUGGEST_UNKNOWN_STATION':
      return 'error.triage_suggest_unknown_station';
    case 'TRIAGE.SUGGEST_NEEDS_SOURCE':
      return 'error.triage_suggest_needs_source';
    case 'TRIAGE.NO_CONTACT_CONSENT':
      return 'error.triage_no_contact_consent';
    case 'TRIAGE.RELAY_UNAVAILABLE':
      return 'error.triage_relay_unavailable';
    case 'TRIAGE.REPORTER_UNREACHABLE':
      return 'error.triage_reporter_unreachable';
    case 'TRIAGE.LEAD_ONLY':
      return 'error.triage_lead_only';
    case 'TRIAGE.BAD_ACTION':
      return 'error.triage_bad_action';
    case 'TRIAGE.EXPORT_AUDIENCE':
      return 'error.triage_export_audience';
    case 'TRIAGE.EXPORT_NO_RECIPIENT':
      return 'error.triage_export_no_recipient';
    case 'STORAGE.UNAVAILABLE':
      return 'error.storage_unavailable';
    case 'STORAGE.FULL':
      return 'common.storage_full';
    case 'INTERNAL':
      return 'common.internal_error';
    case 'CONSOLE.ATTACH_USAGE':
      return 'console.attach_usage';
    case 'CONSOLE.ATTACH_MISSING':
      return 'console.attach_missing';
    case 'CONSOLE.ATTACH_FOLDER':
      return 'console.attach_folder';
    case 'CONSOLE.ATTACH_UNREADABLE':
      return 'console.attach_unreadable';
    default: {
      const unreachable: never = code;
      return unreachable;
    }
  }
}

/** The name of an option or field in the person's language (an unknown name is shown as is). */
export function fieldName(option: string, locale: Locale): string {
  const key = `field.${option}`;
  return key in catalogs.en ? t(locale, key as MessageKey) : option;
}

/** The localized message for an expected failure. */
export function errorMessage(e: CoreError, locale: Locale): string {
  const option = e.params?.option;
  const params = typeof option === 'string' ? { ...e.params, option: fieldName(option, locale) } : e.params;
  // "Close names: —." reads as a glitch: with no close name, say so in words.
  const none = !e.params?.suggestions || e.params.suggestions === '—';
  if (e.code === 'LOOKUP.NOT_FOUND' && none) return t(locale, 'error.lookup_not_found_none', params);
  if (e.code === 'SOURCES.NOT_FOUND' && none) return t(locale, 'error.sources_not_found_none', params);
  return t(locale, keyFor(e.code), params);
}
