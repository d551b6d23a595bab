/** The optional details of a report (who, how, family, identifiers) as stored and as shown. */
import { t } from '../i18n/catalog.ts';
import type { Locale } from '../i18n/locales.ts';
import type { Affiliation, Channel, FamilyAnswer } from './intake.taxonomy.ts';

/** The optional details as a report keeps them (sealed in the payload). */
export interface ReportDetails {
  who: Affiliation | null;
  how: Channel[];
  family: FamilyAnswer | null;
  identifiers: string | null;
}

/**
 * The lines of the optional details, for the reporter's summary ("Who contacted you") or, with
 * `forTeam`, the team's view, which speaks of the reporter ("Who contacted the reporter").
 */
export function detailLines(l: Locale, d: Partial<ReportDetails> | undefined, forTeam = false): { text: string }[] {
  const how = d?.how?.length ? d.how.map((c) => t(l, `channel.${c}`)).join(', ') : '—';
  const label = forTeam
    ? ({ who: 'triage.f.who', identifiers: 'triage.f.identifiers' } as const)
    : ({ who: 'intake.f.who', identifiers: 'intake.f.identifiers' } as const);
  return [
    { text: `${t(l, label.who)}: ${d?.who ? t(l, `affiliation.${d.who}`) : '—'}` },
    { text: `${t(l, 'intake.f.how')}: ${how}` },
    { text: `${t(l, 'intake.f.family')}: ${d?.family ? t(l, `family.${d.family}`) : '—'}` },
    { text: `${t(l, label.identifiers)}: ${d?.identifiers ?? '—'}` },
  ];
}
