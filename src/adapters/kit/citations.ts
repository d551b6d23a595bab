/**
 * Citation pieces every renderer writes the same way: the "[1][2]" marks after a cited line and
 * a citation's date in the reader's language.
 */
import { formatDate } from '../../core/dataset/format.ts';
import type { Locale } from '../../core/i18n/locales.ts';
import type { Citation } from '../../core/reply.ts';

/** " [1][3]" after a cited text (with its leading space), or "" when nothing is cited. */
export function citeMarks(cites?: readonly number[]): string {
  return cites?.length ? ' ' + cites.map((n) => `[${n}]`).join('') : '';
}

/** A citation's date as plain text: "2022-09", "c. 2022-12" or "date unknown" (escape it where markup needs it). */
export function citationDate(c: Pick<Citation, 'date' | 'dateApproximate'>, locale: Locale): string {
  return formatDate(locale, c.date, Boolean(c.dateApproximate));
}
