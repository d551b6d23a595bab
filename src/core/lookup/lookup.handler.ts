/**
 * lookup <place>: stations reported in a city or country or by name, ranked, each with its status
 * history and the claims about it, every statement numbered to a source and a verbatim quote;
 * denials beside the claims they answer, China's most relevant responses beside the allegations.
 * For a place with no reported station: the nearest reported one. Each answer is one message;
 * the rest is one "More" choice away (pages.ts).
 */
import type { CoreContext } from '../context.ts';
import { coreError, type CoreError } from '../errors.ts';
import { t } from '../i18n/catalog.ts';
import type { Locale } from '../i18n/locales.ts';
import { ok, err, type Result } from '../result.ts';
import type { Block, Reply } from '../reply.ts';
import { encodeCommandChoice } from '../choice-id.ts';
import { Citations } from '../citations/citations.ts';
import { countryName, currentStatus } from '../dataset/format.ts';
import type { ClaimRecord, StationRecord } from '../dataset/dataset.schema.ts';
import type { DatasetView } from '../dataset/dataset.view.ts';
import { lookupTopic } from '../topics/topics.ts';
import { countryAtoms, groupClaimAtoms, groupStations, headerAtom, relevantResponses, statementAtoms } from './atoms.ts';
import { traditional } from './chinese.ts';
import { countryNames } from './gazetteer.ts';
import { nearestStations } from './nearest.ts';
import { layout, pageChoices, type Atom, type Frame } from './pages.ts';
import { parseQuery } from './query.ts';
import { resolvePlace, type Found } from './resolve.ts';
import { relationsOf } from './relations.ts';

/** How many of China's general responses accompany the first page of an answer. */
export const MAX_GLOBAL_RESPONSES = 2;
/** How many stations `sources <place>` and the nearest-station answer consider. */
export const MAX_STATIONS_SHOWN = 50;

/** Finds stations for a free-text place; NOT_FOUND carries close names to suggest. */
export async function findStations(view: DatasetView, place: string): Promise<Result<{ resolved: Found; page: number }, CoreError>> {
  const q = parseQuery(place);
  const resolved = await resolvePlace(view, q.place);
  if (resolved.kind === 'none')
    return err(coreError('LOOKUP.NOT_FOUND', { query: q.place, suggestions: resolved.suggestions.join(', ') || '—' }));
  return ok({ resolved, page: q.page });
}

/** Renders one station as a reply item, citing every statement (the nearest-station answer). */
export function stationItem(view: DatasetView, s: StationRecord, locale: Locale, cites: Citations): Extract<Block, { type: 'item' }> {
  const g = { stations: [s] };
  const lines = [headerAtom(view, g, locale), ...groupClaimAtoms(view, g, locale)].flatMap((a) => a.lines(cites));
  return { type: 'item', title: s.name[locale], lines };
}

/** Answers kept per dataset (an import starts afresh), least recently asked dropped first. */
const ANSWERS_KEPT = 500;
const answers = new WeakMap<DatasetView, Map<string, Promise<Result<Reply, CoreError>>>>();

/**
 * The lookup use case. An answer depends only on the dataset, the language and the words asked,
 * never on who asks: it is composed once and kept (measured: composing was about a seventh of the
 * CPU time of a Telegram /lookup). Each caller gets its own copy of the reply's lists.
 */
export async function lookup(input: { place: string }, ctx: CoreContext): Promise<Result<Reply, CoreError>> {
  const view = ctx.deps.dataset();
  let kept = answers.get(view);
  if (!kept) answers.set(view, (kept = new Map()));
  const key = `${ctx.actor.locale}\n${input.place}`;
  let answer = kept.get(key);
  if (answer)
    kept.delete(key); // re-inserted below: the Map's order is the recency order
  else {
    answer = composeLookup(input, ctx);
    const made = answer;
    made.catch(() => kept.get(key) === made && kept.delete(key));
    if (kept.size >= ANSWERS_KEPT) kept.delete(kept.keys().next().value!);
  }
  kept.set(key, answer);
  const r = await answer;
  return r.ok
    ? ok({
        ...r.value,
        blocks: [...r.value.blocks],
        citations: [...r.value.citations],
        ...(r.value.choices ? { choices: [...r.value.choices] } : {}),
      })
    : r;
}

/** The answer composed afresh (what `lookup` keeps; the benchmark measures this). */
export async function composeLookup(input: { place: string }, ctx: CoreContext): Promise<Result<Reply, CoreError>> {
  const view = ctx.deps.dataset();
  const { locale } = ctx.actor;
  const topic = lookupTopic(view, input.place, locale); // topics (tactics, figures, reports): src/core/topics
  if (topic) return ok(topic);
  const found = await findStations(view, input.place);
  if (!found.ok) return found;
  const { resolved, page } = found.value;
  const answer = await compose(view, resolved, locale);
  const laid = layout(answer.frame, answer.atoms, page, () => new Citations(view), locale);
  const key = resolved.key;
  const choices = pageChoices(
    laid.hasMore,
    encodeCommandChoice('lookup', `${key} #${page + 1}`),
    locale,
    answer.sources ? [{ id: encodeCommandChoice('sources', key), label: t(locale, 'lookup.all_sources_button') }] : [],
  );
  return ok({ private: false, kind: 'answer', blocks: laid.blocks, citations: laid.citations, ...(choices ? { choices } : {}) });
}

/** An answer before layout: its frame, its atoms, and whether /sources has more for it. */
interface Composed {
  frame: Frame;
  atoms: Atom[];
  sources: boolean;
}

async function compose(view: DatasetView, r: Found, locale: Locale): Promise<Composed> {
  const foot = [t(locale, 'lookup.see_sources')];
  const head = [t(locale, 'lookup.allegations')];
  switch (r.kind) {
    case 'stations':
      return {
        frame: { title: t(locale, 'lookup.title', { query: r.key, count: r.stations.length }), head, foot },
        atoms: stationAtoms(view, r.stations, r.claims, locale),
        sources: true,
      };
    case 'claims': {
      const seen = new Set<string>();
      const atoms = statementAtoms(view, r.claims, t(locale, 'lookup.about_place', { place: r.place }), locale, seen);
      return { frame: { title: t(locale, 'lookup.claims_title', { place: r.place }), head, foot }, atoms, sources: false };
    }
    case 'country': {
      const seen = new Set<string>();
      const atoms = r.countries.flatMap((c) => countryAtoms(view, c.code, locale, seen));
      return { frame: { title: t(locale, 'lookup.no_station_in', { query: r.key }), head: [], foot }, atoms, sources: false };
    }
    case 'city':
      return nearestAnswer(
        view,
        r.city.name,
        await worldCountryName(view, r.city.countryCode, locale),
        { lat: r.city.latitude, lon: r.city.longitude },
        locale,
        r.city.countryCode,
      );
    case 'world-country': {
      const name = await worldCountryName(view, r.code, locale);
      return {
        frame: { title: t(locale, 'lookup.no_station_country', { country: name }), head: [], foot: [t(locale, 'lookup.no_station_hint')] },
        atoms: [],
        sources: false,
      };
    }
    default: {
      const never: never = r;
      return never;
    }
  }
}

// Stations without coordinates by country, per view (a scan of every station per query cost ~1 ms at 10,000).
const unlocatedByView = new WeakMap<DatasetView, Map<string, StationRecord[]>>();
function unlocatedIn(view: DatasetView, code: string): StationRecord[] {
  let byCountry = unlocatedByView.get(view);
  if (!byCountry) {
    byCountry = new Map();
    for (const s of view.data.stations)
      if (s.latitude === null || s.longitude === null) byCountry.set(s.countryCode, [...(byCountry.get(s.countryCode) ?? []), s]);
    unlocatedByView.set(view, byCountry);
  }
  return byCountry.get(code) ?? [];
}

/** A city with no reported station: say so, and give the nearest reported one with its citations. */
function nearestAnswer(
  view: DatasetView,
  city: string,
  country: string,
  at: { lat: number; lon: number },
  locale: Locale,
  code: string,
): Composed {
  const near = nearestStations(view, at.lat, at.lon, MAX_STATIONS_SHOWN);
  const place = t(locale, 'lookup.city_country', { city, country });
  const first = near[0];
  if (!first) return { frame: { title: t(locale, 'lookup.no_station_city', { place }), head: [], foot: [] }, atoms: [], sources: false };
  const km = Math.round(first.km);
  const nearestName = first.station.city[locale];
  // The nearest city's stations (all of them: "3 reported stations in Toronto"), then its context.
  const sameCity = near
    .filter((n) => n.station.city.en === first.station.city.en && n.station.countryCode === first.station.countryCode)
    .map((n) => n.station);
  const intro: Atom = {
    item: t(locale, 'lookup.nearest_item'),
    lines: (c) => [
      { text: t(locale, 'lookup.nearest', { city: nearestName, km }), cites: c.citeAll(sameCity.map((s) => currentStatus(s).claimId)) },
    ],
  };
  const atoms = [intro, ...stationAtoms(view, sameCity, [], locale)];
  // A station the sources place in this country without saying where (Ireland's) may be in this very city: shown, never hidden by "no station".
  const unlocated = unlocatedIn(view, code);
  if (unlocated.length)
    atoms.splice(
      1,
      0,
      {
        item: t(locale, 'lookup.nearest_item'),
        lines: () => [{ text: t(locale, 'lookup.unlocated_in_country', { country, count: unlocated.length }) }],
      },
      ...stationAtoms(view, unlocated, [], locale),
    );
  if (code !== first.station.countryCode) atoms.push(...countryAtoms(view, code, locale));
  const title = t(locale, unlocated.length ? 'lookup.no_named_station_city' : 'lookup.no_station_city', { place });
  return { frame: { title, head: [t(locale, 'lookup.allegations')], foot: [t(locale, 'lookup.see_sources')] }, atoms, sources: false };
}

/** The atoms of a station answer: each group's header, the most relevant responses (pinned to the first page), the groups' claims, claims naming the place, the countries' context. */
function stationAtoms(view: DatasetView, stations: readonly StationRecord[], placeClaims: readonly ClaimRecord[], locale: Locale): Atom[] {
  const groups = groupStations(stations);
  const seen = new Set<string>(stations.flatMap((s) => s.statuses.map((st) => st.claimId)));
  const headers = groups.map((g) => headerAtom(view, g, locale));
  const claimAtoms = groups.flatMap((g) => {
    // Status claims too: the cited "why" of a status (the arrests, the contract) belongs in the entry.
    const atoms = groupClaimAtoms(view, g, locale, { withStatuses: true });
    for (const s of g.stations) for (const c of view.claimsByStation.get(s.id) ?? []) seen.add(c.id);
    return atoms;
  });
  const extra = statementAtoms(
    view,
    placeClaims.filter((c) => !seen.has(c.id)),
    t(locale, 'lookup.also_named'),
    locale,
    seen,
  );
  const countries = [...new Set(stations.map((s) => s.countryCode))];
  const context = countries.flatMap((code) => countryAtoms(view, code, locale, seen));
  const places = new Set(
    stations.flatMap((s) => [s.city.en.toLowerCase(), (view.countries.get(s.countryCode)?.name.en ?? '').toLowerCase()]),
  );
  const topics = new Set([...seen].flatMap((id) => view.claims.get(id)?.topics ?? []));
  // Denials already beside the claims they answer are not repeated among the general responses.
  const besides = new Set([...seen].flatMap((id) => relationsOf(view).answeredBy.get(id) ?? []).map((c) => c.id));
  const responses = relevantResponses(view, new Set([...seen, ...besides]), places, topics, MAX_GLOBAL_RESPONSES);
  const responseAtoms = statementAtoms(view, responses, t(locale, 'lookup.official_responses'), locale, seen);
  // The first group, then China's responses, so the first page never shows allegations without them.
  const [firstHeader, ...otherHeaders] = headers;
  const firstClaims = claimAtoms.filter((a) => a.item === firstHeader?.item);
  const rest = claimAtoms.filter((a) => a.item !== firstHeader?.item);
  const ordered: Atom[] = [];
  if (firstHeader) ordered.push(firstHeader);
  ordered.push(...responseAtoms, ...firstClaims);
  groups.slice(1).forEach((g, i) => ordered.push(otherHeaders[i]!, ...rest.filter((a) => a.item === otherHeaders[i]!.item)));
  ordered.push(...extra, ...context);
  return ordered;
}

/** A country's name in the locale: the dataset's, else the gazetteer's (Traditional by OpenCC). */
async function worldCountryName(view: DatasetView, code: string, locale: Locale): Promise<string> {
  if (view.countries.has(code)) return countryName(view, code, locale);
  const names = countryNames(code);
  if (!names) return code;
  if (locale === 'en') return names.en;
  return locale === 'zh-Hans' ? names.zh : traditional(names.zh);
}

/** Autocomplete / inline suggestions: station names and places for a partial query. */
export function suggestPlaces(view: DatasetView, partial: string, locale: Locale, limit = 25): { value: string; label: string }[] {
  const q = parseQuery(partial).place.trim();
  const out = new Map<string, string>();
  if (!q) {
    for (const s of view.data.stations)
      if (out.size < limit) out.set(s.city.en, `${s.city[locale]} (${countryName(view, s.countryCode, locale)})`);
    return [...out].map(([value, label]) => ({ value, label }));
  }
  for (const h of view.index.search(q, limit * 3)) {
    const s = h.station;
    const value = h.via === 'country' ? (view.countries.get(s.countryCode)?.name.en ?? s.countryCode) : s.city.en;
    const label =
      h.via === 'country' ? countryName(view, s.countryCode, locale) : `${s.city[locale]} (${countryName(view, s.countryCode, locale)})`;
    if (!out.has(value)) out.set(value, label);
    if (out.size >= limit) break;
  }
  return [...out].map(([value, label]) => ({ value, label }));
}
