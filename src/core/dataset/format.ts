/** Localized wording of dataset values: names, dates, statuses. */
import type { Locale } from '../i18n/locales.ts';
import { t } from '../i18n/catalog.ts';
import type { StationRecord } from './dataset.schema.ts';
import type { DatasetView } from './dataset.view.ts';

/** "2022-09", "c. 2022-12" or "date unknown", in the locale. */
export function formatDate(locale: Locale, date: string, approximate: boolean): string {
  if (date === 'unknown') return t(locale, 'date.unknown');
  return approximate ? t(locale, 'date.approximate', { date }) : date;
}

/** The localized label of a station status. */
export function statusLabel(locale: Locale, status: StationRecord['statuses'][number]['status']): string {
  switch (status) {
    case 'reported':
      return t(locale, 'status.reported');
    case 'under_investigation':
      return t(locale, 'status.under_investigation');
    case 'closed':
      return t(locale, 'status.closed');
    case 'prosecuted':
      return t(locale, 'status.prosecuted');
    default: {
      const unreachable: never = status;
      return unreachable;
    }
  }
}

/** The country's name in the locale (its code if the dataset has no record). */
export function countryName(view: DatasetView, code: string, locale: Locale): string {
  return view.countries.get(code)?.name[locale] ?? code;
}

/** The station's latest status (the last entry of its history). */
export function currentStatus(s: StationRecord) {
  return s.statuses[s.statuses.length - 1]!;
}
