/**
 * The pieces of an answer (see pages.ts): identical stations of one city grouped, each station's
 * header, each claim with its speaker, the denials that answer it and the rebuttals that answer
 * those, and "Sources disagree: …" wherever either side of a disagreement is shown.
 */
import { Citations } from '../citations/citations.ts';
import type { ClaimRecord, StationRecord } from '../dataset/dataset.schema.ts';
import type { DatasetView } from '../dataset/dataset.view.ts';
import { countryName, currentStatus, formatDate, statusLabel } from '../dataset/format.ts';
import { t } from '../i18n/catalog.ts';
import type { Locale } from '../i18n/locales.ts';
import type { Atom, Line } from './pages.ts';
import { relationsOf } from './relations.ts';

/** Stations of one city with the same status history: one entry ("3 reported stations in Toronto"). */
export interface StationGroup {
  stations: StationRecord[];
}

const signature = (s: StationRecord) =>
  JSON.stringify([s.city.en, s.countryCode, s.precision, s.address, s.statuses.map((x) => [x.status, x.date, x.dateApproximate])]);

/** Groups identical stations, keeping the order of their first appearance. */
export function groupStations(stations: readonly StationRecord[]): StationGroup[] {
  const groups = new Map<string, StationGroup>();
  for (const s of stations) {
    const key = signature(s);
    const g = groups.get(key);
    if (g) g.stations.push(s);
    else groups.set(key, { stations: [s] });
  }
  return [...groups.values()];
}

/** The title of a group: the station's name, or "N reported stations in City". */
export function groupTitle(g: StationGroup, locale: Locale): string {
  const first = g.stations[0]!;
  return g.stations.length > 1
    ? t(locale, 'lookup.group_title', { count: g.stations.length, city: first.city[locale] })
    : first.name[locale];
}

/** The header of a group: where, status, history, how many in the city, precision. */
export function headerAtom(view: DatasetView, g: StationGroup, locale: Locale): Atom {
  const s = g.stations[0]!;
  return {
    item: groupTitle(g, locale),
    lines(c) {
      const now = currentStatus(s);
      const place = t(locale, 'lookup.city_country', { city: s.city[locale], country: countryName(view, s.countryCode, locale) });
      const claimAt = (i: number) => c.citeAll(g.stations.map((x) => x.statuses[i]!.claimId));
      const out: Line[] = [{ text: t(locale, 'lookup.place', { place }) }];
      out.push({
        text: t(locale, 'lookup.status', {
          status: statusLabel(locale, now.status),
          date: formatDate(locale, now.date, now.dateApproximate),
        }),
        cites: claimAt(s.statuses.length - 1),
      });
      if (s.statuses.length > 1) {
        const history = s.statuses.map(
          (st, i) =>
            `${t(locale, 'lookup.status_at', { status: statusLabel(locale, st.status), date: formatDate(locale, st.date, st.dateApproximate) })} ${claimAt(
              i,
            )
              .map((n) => `[${n}]`)
              .join('')}`,
        );
        out.push({ text: t(locale, 'lookup.history', { history: history.join(' → ') }) });
      }
      // A group's title already gives the count when the group is the whole city.
      if (s.countInCity > 1 && s.countInCity !== g.stations.length)
        out.push({ text: t(locale, 'lookup.count_in_city', { count: s.countInCity, city: s.city[locale] }) });
      out.push({
        text: t(locale, s.precision === 'address' ? 'lookup.precision_address' : 'lookup.precision_city', { address: s.address ?? '' }),
      });
      return out;
    },
  };
}

/** The claims about a group beyond its statuses, one atom per statement. */
export function groupClaimAtoms(view: DatasetView, g: StationGroup, locale: Locale, opts: { withStatuses?: boolean } = {}): Atom[] {
  const statusClaims = new Set(g.stations.flatMap((s) => s.statuses.map((st) => st.claimId)));
  const claims = g.stations
    .flatMap((s) => view.claimsByStation.get(s.id) ?? [])
    .filter((c) => opts.withStatuses || !statusClaims.has(c.id));
  // Statuses first, latest first: the current status's reason leads.
  if (opts.withStatuses) for (const id of statusClaims) if (!claims.some((c) => c.id === id)) claims.unshift(view.claims.get(id)!);
  if (opts.withStatuses) claims.sort((a, b) => Number(statusClaims.has(b.id)) - Number(statusClaims.has(a.id)));
  return statementAtoms(view, claims, groupTitle(g, locale), locale);
}

/**
 * One atom per statement: claims with the same text (identical stations), or the same speaker,
 * kind and date reported by different sources (one testimony, two reports), are one statement
 * citing all of them.
 */
export function statementAtoms(
  view: DatasetView,
  claims: readonly ClaimRecord[],
  item: string,
  locale: Locale,
  seen = new Set<string>(),
): Atom[] {
  const statements: ClaimRecord[][] = [];
  // Keyed look-ups, not pairwise comparison: a country of the 10,000-station bench has hundreds.
  const byText = new Map<string, ClaimRecord[]>();
  const bySpeaker = new Map<string, ClaimRecord[]>();
  // A response shown beside a statement of this list is not repeated as a statement of its own.
  const beside = new Set(
    claims
      .filter((c) => !seen.has(c.id))
      .flatMap((c) =>
        answersTo(view, new Set([c.id]))
          .slice(0, MAX_ANSWERS_BESIDE)
          .map((d) => d.id),
      ),
  );
  for (const c of claims) {
    if (seen.has(c.id)) continue;
    if (beside.has(c.id) && !c.answers.every((a) => !claims.some((x) => x.id === a))) continue;
    seen.add(c.id);
    const speakerKey = c.speaker === null ? undefined : JSON.stringify([c.speaker, c.kind, c.date]);
    const sameSpeaker = speakerKey === undefined ? undefined : bySpeaker.get(speakerKey);
    const same =
      byText.get(c.text[locale]) ?? (sameSpeaker && sameSpeaker.every((x) => x.sourceId !== c.sourceId) ? sameSpeaker : undefined);
    if (same) {
      same.push(c);
      continue;
    }
    const st = [c];
    statements.push(st);
    byText.set(c.text[locale], st);
    if (speakerKey !== undefined && !bySpeaker.has(speakerKey)) bySpeaker.set(speakerKey, st);
  }
  // A statement, each response beside it (with its rebuttals) and each disagreement are atoms of
  // one item: together on a page when they fit, continued on the next page when they do not.
  return statements.flatMap((st) => {
    const parts = (cites: Citations) => statementLines(view, st, locale, cites);
    const count = parts(new Citations(view)).length;
    return Array.from({ length: count }, (_, i): Atom => ({ item, lines: (cites) => parts(cites)[i]! }));
  });
}

/** How many responses (each with its rebuttals) stand beside one statement. */
export const MAX_ANSWERS_BESIDE = 2;

/** The statement's lines: itself (with its speaker), what answers it, and any disagreement. */
function statementLines(view: DatasetView, claims: ClaimRecord[], locale: Locale, cites: Citations): Line[][] {
  const rel = relationsOf(view);
  const first = claims[0]!;
  const ids = new Set(claims.map((c) => c.id));
  const out: Line[][] = [[{ text: withSpeaker(first, locale), cites: cites.citeAll(ids) }]];
  const denials = answersTo(view, ids);
  // The most relevant responses only: a general figure is answered by a dozen denials, which
  // would not fit one message; the rest are in /sources.
  for (const denial of denials.slice(0, MAX_ANSWERS_BESIDE)) {
    const part: Line[] = [{ text: t(locale, 'lookup.answered_by', { text: withSpeaker(denial, locale) }), cites: [cites.cite(denial.id)] }];
    for (const rebuttal of answersTo(view, new Set([denial.id])).filter((r) => !ids.has(r.id)))
      part.push({ text: t(locale, 'lookup.rebutted_by', { text: withSpeaker(rebuttal, locale) }), cites: [cites.cite(rebuttal.id)] });
    out.push(part);
  }
  if (denials.length > MAX_ANSWERS_BESIDE)
    out.at(-1)!.push({ text: t(locale, 'lookup.more_responses', { count: denials.length - MAX_ANSWERS_BESIDE }) });
  const shownDisagreements = new Set<string>();
  for (const id of ids)
    for (const d of rel.disagreements.get(id) ?? []) {
      if (shownDisagreements.has(d.id)) continue;
      shownDisagreements.add(d.id);
      out.push([
        {
          text: t(locale, 'lookup.disagree', { text: d.text[locale] }),
          cites: cites.citeAll(d.claimIds.filter((c) => view.claims.has(c))),
        },
      ]);
    }
  return out;
}

/** Claims that answer any of `ids`, most relevant first (a direct answer from the same source last: the others are the fuller picture). */
function answersTo(view: DatasetView, ids: ReadonlySet<string>): ClaimRecord[] {
  const rel = relationsOf(view);
  const out = new Map<string, ClaimRecord>();
  for (const id of ids) for (const c of rel.answeredBy.get(id) ?? []) if (!ids.has(c.id)) out.set(c.id, c);
  return [...out.values()];
}

/** The claim's text, with its speaker when the text does not already name them. */
export function withSpeaker(c: ClaimRecord, locale: Locale): string {
  const text = c.text[locale];
  if (!c.speaker || text.toLowerCase().includes(c.speaker.toLowerCase())) return text;
  return t(locale, 'lookup.speaker', { text, speaker: c.speaker });
}

/** The cited context of a country (host-country responses, joint patrols…). */
export function countryAtoms(view: DatasetView, code: string, locale: Locale, seen?: Set<string>): Atom[] {
  const countryNames = new Set([...view.countries.values()].map((c) => c.name.en));
  // Claims naming a city of the country (Belgrade's patrols) first: the most concrete context.
  const local = (c: ClaimRecord) => (c.places.some((p) => !countryNames.has(p) && p !== 'Europe') ? 0 : 1);
  const claims = [...(view.claimsByCountry.get(code) ?? [])].sort((a, b) => local(a) - local(b));
  return statementAtoms(view, claims, t(locale, 'lookup.in_country', { country: countryName(view, code, locale) }), locale, seen);
}

/**
 * China's general responses most relevant to an answer: those answering a claim shown, then
 * those naming one of its places, then those sharing a topic; never just the first by id.
 */
export function relevantResponses(
  view: DatasetView,
  shown: ReadonlySet<string>,
  places: ReadonlySet<string>,
  topics: ReadonlySet<string>,
  limit: number,
): ClaimRecord[] {
  const score = (c: ClaimRecord) =>
    10 * c.answers.filter((a) => shown.has(a)).length +
    5 * c.places.filter((p) => places.has(p.toLowerCase())).length +
    2 * c.topics.filter((x) => topics.has(x)).length;
  return view.globalClaims
    .filter((c) => c.kind === 'official_response' && !shown.has(c.id))
    .map((c, i) => ({ c, s: score(c), i }))
    .sort((a, b) => b.s - a.s || a.c.text.en.length - b.c.text.en.length || a.i - b.i)
    .slice(0, limit)
    .map((x) => x.c);
}
