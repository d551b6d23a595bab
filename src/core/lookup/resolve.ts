/**
 * From a place as a person names it to what the dataset can say about it, in this order: stations
 * (names, cities, countries, aliases, pinyin), places named in claims, a country's cited context,
 * then the gazetteer (any city, suburb or country of the world: "none reported there; the nearest
 * is…"), then typos of the dataset's names. Only then "not found", with suggestions only when
 * they are really close.
 */
import type { ClaimRecord, StationRecord } from '../dataset/dataset.schema.ts';
import type { CountryRecord } from '../dataset/dataset.schema.ts';
import type { DatasetView } from '../dataset/dataset.view.ts';
import { fitsCommandChoice } from '../choice-id.ts';
import { simplified } from './chinese.ts';
import { countryCodeOf, loadGazetteer, type GazetteerCity } from './gazetteer.ts';
import { compact, hasHan } from './normalize.ts';
import { relationsOf } from './relations.ts';

/** What a place resolves to. `key` re-finds it in a button id (short enough for Telegram). */
export type Found =
  | { kind: 'stations'; stations: StationRecord[]; claims: ClaimRecord[]; key: string }
  | { kind: 'claims'; place: string; claims: ClaimRecord[]; key: string }
  | { kind: 'country'; countries: CountryRecord[]; key: string }
  | { kind: 'city'; city: GazetteerCity; key: string }
  | { kind: 'world-country'; code: string; key: string };

/** A place found, or the close names to suggest. */
export type Resolved = Found | { kind: 'none'; suggestions: string[] };

/** The search score of a match on one telling word of a longer query (search-index.ts). */
const TELLING_WORD = 55;

/** Resolves a place (already stripped of phrasing, see query.ts). */
export async function resolvePlace(view: DatasetView, place: string): Promise<Resolved> {
  const variants = [place];
  // Mixed or other-script Chinese ("紐约"): the Simplified form meets the dataset's zh-Hans names.
  if (hasHan(place)) variants.push(await simplified(place));
  // Exact names, words and prefixes first; typos (the costly pass at 10,000 stations) come last.
  const hits = variants.map((v) => view.index.search(v, 50, { typos: false }));
  for (const [i, v] of variants.entries()) {
    // Above the "telling word" score: "Markham, Canada" is Markham (the gazetteer), not Canada's stations.
    const strong = hits[i]!.filter((h) => h.via !== 'fuzzy' && h.score > TELLING_WORD);
    if (strong.length) {
      const stations = strong.map((h) => h.station);
      return { kind: 'stations', stations, claims: claimsNaming(view, v), key: keyOf(place, stations[0]!.city.en) };
    }
  }
  // A country with cited context answers as that country (Serbia: Belgrade's patrols too), before
  // the claims that merely name it among others.
  for (const v of variants) {
    const countries = withContext(view, view.index.countriesFor(v, { typos: false }));
    if (countries.length) return { kind: 'country', countries, key: keyOf(place, countries[0]!.name.en) };
  }
  for (const v of variants) {
    const claims = claimsNaming(view, v);
    if (claims.length) return withStations(view, claims, place, relationsOf(view).placeNames.get(compact(v)) ?? v);
  }
  // Hook for topics (#12 item 3): a topic named here answers before the gazetteer.
  const world = await inGazetteer(view, variants);
  if (world) return world;
  for (const hit of hits) {
    // A telling word of the query ("stations in italy please").
    if (hit.length)
      return { kind: 'stations', stations: hit.map((h) => h.station), claims: [], key: keyOf(place, hit[0]!.station.city.en) };
  }
  for (const v of variants) {
    // Last, typos: of a country with cited context ("Itlay"), then of any name ("Tornto").
    const countries = withContext(view, view.index.countriesFor(v));
    if (countries.length) return { kind: 'country', countries, key: keyOf(place, countries[0]!.name.en) };
    const typo = view.index.search(v, 50);
    if (typo.length)
      return { kind: 'stations', stations: typo.map((h) => h.station), claims: [], key: keyOf(place, typo[0]!.station.city.en) };
  }
  return { kind: 'none', suggestions: view.index.suggest(variants[variants.length - 1]!) };
}

/** The countries the dataset says something about (cited context). */
function withContext(view: DatasetView, countries: CountryRecord[]): CountryRecord[] {
  return countries.filter((c) => (view.claimsByCountry.get(c.code) ?? []).length);
}

/** Claims naming the place (claim.places). */
function claimsNaming(view: DatasetView, place: string): ClaimRecord[] {
  return relationsOf(view).byPlace.get(compact(place)) ?? [];
}

/** Claims about a place: the stations they are about lead the answer, the others follow. */
function withStations(view: DatasetView, claims: ClaimRecord[], typed: string, place: string): Resolved {
  const stations = [...new Set(claims.flatMap((c) => (c.stationId ? [view.stations.get(c.stationId)!] : [])))];
  if (stations.length) return { kind: 'stations', stations, claims, key: keyOf(typed, place) };
  return { kind: 'claims', place, claims, key: keyOf(typed, place) };
}

async function inGazetteer(view: DatasetView, variants: string[]): Promise<Resolved | undefined> {
  for (const v of variants) {
    const code = await countryCodeOf(v);
    if (code) return { kind: 'world-country', code, key: keyOf(v, code) };
  }
  const gazetteer = await loadGazetteer();
  for (const v of variants) {
    // "Markham, Canada" / "Markham Ontario": the city part, in the named country when it is one.
    const [cityPart, ...rest] = v.split(',').map((p) => p.trim());
    const hint = rest.length ? await countryCodeOf(rest.join(',')) : undefined;
    const city = gazetteer.city(cityPart ?? v, hint) ?? gazetteer.city(v);
    if (city) return { kind: 'city', city, key: keyOf(v, city.name) };
  }
  return undefined;
}

/**
 * Button ids must fit both platforms (choice-id.ts: 64 bytes): the typed text when short, else the
 * canonical name, else its first 40 characters (fewer if they are not ASCII).
 */
export function keyOf(typed: string, canonical: string): string {
  const fits = (s: string) => fitsCommandChoice('sources', `${s} #99`);
  if (fits(typed)) return typed;
  if (fits(canonical)) return canonical;
  let cut = canonical.slice(0, 40);
  while (!fits(cut)) cut = [...cut].slice(0, -1).join('');
  return cut;
}
