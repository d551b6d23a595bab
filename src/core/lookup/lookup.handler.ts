/**
 * lookup <place>: stations reported in a city or country or by name, ranked, each with its status
 * history and the claims about it, every statement numbered to a source and a verbatim quote;
 * host-country and official Chinese responses beside them.
 */
import type { CoreContext } from '../context.ts';
import { coreError, type CoreError } from '../errors.ts';
import { t } from '../i18n/catalog.ts';
import { ok, err, type Result } from '../result.ts';
import type { Block, Reply } from '../reply.ts';
import { Citations } from '../citations/citations.ts';
import { countryName, currentStatus, formatDate, statusLabel } from '../dataset/format.ts';
import type { StationRecord } from '../dataset/dataset.schema.ts';
import type { DatasetView } from '../dataset/dataset.view.ts';
import { lookupTopic } from '../topics/topics.ts';

/** How many stations one answer lists before saying "and N more". */
export const MAX_STATIONS_SHOWN = 8;
/** How many of China's general responses accompany an answer. */
export const MAX_GLOBAL_RESPONSES = 3;

/** Finds stations for a free-text place; NOT_FOUND carries close names to suggest. */
export function findStations(view: DatasetView, place: string): Result<StationRecord[], CoreError> {
  const hits = view.index.search(place);
  if (hits.length === 0) {
    const suggestions = view.index.suggest(place);
    return err(coreError('LOOKUP.NOT_FOUND', { query: place, suggestions: suggestions.join(', ') || '—' }));
  }
  return ok(hits.map((h) => h.station));
}

/** Renders one station as a reply item, citing every statement. */
export function stationItem(view: DatasetView, s: StationRecord, locale: CoreContext['actor']['locale'], cites: Citations): Extract<Block, { type: 'item' }> {
  const now = currentStatus(s);
  const place = t(locale, 'lookup.city_country', { city: s.city[locale], country: countryName(view, s.countryCode, locale) });
  const lines: { text: string; cites?: number[] }[] = [
    { text: t(locale, 'lookup.place', { place }) },
    {
      text: t(locale, 'lookup.status', { status: statusLabel(locale, now.status), date: formatDate(locale, now.date, now.dateApproximate) }),
      cites: [cites.cite(now.claimId)],
    },
  ];
  if (s.statuses.length > 1) {
    const history = s.statuses.map((st) => `${t(locale, 'lookup.status_at', { status: statusLabel(locale, st.status), date: formatDate(locale, st.date, st.dateApproximate) })} [${cites.cite(st.claimId)}]`);
    lines.push({ text: t(locale, 'lookup.history', { history: history.join(' → ') }) });
  }
  if (s.countInCity > 1) lines.push({ text: t(locale, 'lookup.count_in_city', { count: s.countInCity, city: s.city[locale] }) });
  lines.push({ text: t(locale, s.precision === 'address' ? 'lookup.precision_address' : 'lookup.precision_city', { address: s.address ?? '' }) });
  const statusClaims = new Set(s.statuses.map((st) => st.claimId));
  for (const c of view.claimsByStation.get(s.id) ?? []) {
    if (statusClaims.has(c.id)) continue;
    lines.push({ text: c.text[locale], cites: [cites.cite(c.id)] });
  }
  return { type: 'item', title: s.name[locale], lines };
}

/** The lookup use case. */
export async function lookup(input: { place: string }, ctx: CoreContext): Promise<Result<Reply, CoreError>> {
  const view = ctx.deps.dataset();
  const { locale } = ctx.actor;
  const topic = lookupTopic(view, input.place, locale); // topics (tactics, figures, reports): src/core/topics
  if (topic) return ok(topic);
  const found = findStations(view, input.place);
  if (!found.ok) return countryContext(view, input.place, locale) ?? found;
  const stations = found.value;
  const cites = new Citations(view);
  const blocks: Block[] = [
    { type: 'title', text: t(locale, 'lookup.title', { query: input.place, count: stations.length }) },
    { type: 'notice', text: t(locale, 'lookup.allegations') },
  ];
  const shown = stations.slice(0, MAX_STATIONS_SHOWN);
  for (const s of shown) blocks.push(stationItem(view, s, locale, cites));
  if (stations.length > shown.length) blocks.push({ type: 'notice', text: t(locale, 'lookup.more', { count: stations.length - shown.length }) });

  const countries = [...new Set(shown.map((s) => s.countryCode))];
  for (const code of countries) {
    const claims = view.claimsByCountry.get(code) ?? [];
    if (claims.length === 0) continue;
    blocks.push({ type: 'item', title: t(locale, 'lookup.in_country', { country: countryName(view, code, locale) }), lines: claims.map((c) => ({ text: c.text[locale], cites: [cites.cite(c.id)] })) });
  }
  const responses = view.globalClaims.filter((c) => c.kind === 'official_response').slice(0, MAX_GLOBAL_RESPONSES);
  if (responses.length)
    blocks.push({ type: 'item', title: t(locale, 'lookup.official_responses'), lines: responses.map((c) => ({ text: c.text[locale], cites: [cites.cite(c.id)] })) });
  blocks.push({ type: 'notice', text: t(locale, 'lookup.see_sources') });
  return ok({ private: false, kind: 'answer', blocks, citations: cites.all() });
}

/** For a country with no reported station but with cited context (e.g. joint patrols), that context. */
function countryContext(view: DatasetView, place: string, locale: CoreContext['actor']['locale']): Result<Reply, CoreError> | undefined {
  const countries = view.index.countriesFor(place).filter((c) => (view.claimsByCountry.get(c.code) ?? []).length);
  if (!countries.length) return undefined;
  const cites = new Citations(view);
  const blocks: Block[] = [{ type: 'title', text: t(locale, 'lookup.no_station_in', { query: place }) }];
  for (const c of countries)
    blocks.push({ type: 'item', title: t(locale, 'lookup.in_country', { country: c.name[locale] }), lines: (view.claimsByCountry.get(c.code) ?? []).map((cl) => ({ text: cl.text[locale], cites: [cites.cite(cl.id)] })) });
  blocks.push({ type: 'notice', text: t(locale, 'lookup.see_sources') });
  return ok({ private: false, kind: 'answer', blocks, citations: cites.all() });
}

/** Autocomplete / inline suggestions: station names and places for a partial query. */
export function suggestPlaces(view: DatasetView, partial: string, locale: CoreContext['actor']['locale'], limit = 25): { value: string; label: string }[] {
  const q = partial.trim();
  const out = new Map<string, string>();
  if (!q) {
    for (const s of view.data.stations) if (out.size < limit) out.set(s.city.en, `${s.city[locale]} (${countryName(view, s.countryCode, locale)})`);
    return [...out].map(([value, label]) => ({ value, label }));
  }
  for (const h of view.index.search(q, limit * 3)) {
    const s = h.station;
    const value = h.via === 'country' ? (view.countries.get(s.countryCode)?.name.en ?? s.countryCode) : s.city.en;
    const label = h.via === 'country' ? countryName(view, s.countryCode, locale) : `${s.city[locale]} (${countryName(view, s.countryCode, locale)})`;
    if (!out.has(value)) out.set(value, label);
    if (out.size >= limit) break;
  }
  return [...out].map(([value, label]) => ({ value, label }));
}
