/** Lookup latency over the bundled dataset and over 10,000 synthetic stations, plus top-1 accuracy. */
import type { Dataset, StationRecord } from '../src/core/dataset/dataset.schema.ts';
import { DatasetView } from '../src/core/dataset/dataset.view.ts';
import { composeLookup } from '../src/core/lookup/lookup.handler.ts';
import type { CoreContext } from '../src/core/context.ts';
import { quantile, timeEach } from './stats.ts';
import { warmLookup } from '../src/core/lookup/gazetteer.ts';
// as replaceDataset stores a dataset: with its derived pinyin keys
import { withPinyinKeys } from '../src/core/lookup/pinyin.ts';

/** Queries only the gazetteer or the phrasing rules answer (suburbs, cities and countries without a station, Chinese phrasings). */
export const WORLD_QUERIES = [
  'Markham',
  'Brooklyn',
  'Berlin',
  'Vancouver',
  'Japan',
  'Markham, Canada',
  '纽约警察站',
  '紐約的警察站',
  '紐约',
  '在多伦多的警务站',
  'LA',
  'Qwertyuiop',
];

/** Heap and RSS (MB) after a garbage collection when node runs with --expose-gc. */
function memoryMB(): { heap: number; rss: number } {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return { heap: m.heapUsed / 1e6, rss: m.rss / 1e6 };
}

/** What loading the gazetteer and the 简/繁 converter costs: time and memory before/after. */
export async function benchGazetteer(): Promise<{
  loadMs: number;
  before: { heap: number; rss: number };
  after: { heap: number; rss: number };
}> {
  const before = memoryMB();
  const t = performance.now();
  await warmLookup();
  const loadMs = performance.now() - t;
  return { loadMs, before, after: memoryMB() };
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ra', 'ten', 'vos', 'dun', 'pel', 'shi', 'zar', 'qu', 'ber', 'nal', 'tro', 'gia', 'fen'];

function word(rand: () => number, parts: number): string {
  let w = '';
  for (let i = 0; i < parts; i++) w += SYLLABLES[Math.floor(rand() * SYLLABLES.length)];
  return w[0]!.toUpperCase() + w.slice(1);
}

/** A seeded pseudo-random generator (mulberry32), so runs are comparable. */
export function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The bundled dataset plus `n` synthetic stations (benchmark data only, never served). */
export function withSynthetic(base: Dataset, n: number): Dataset {
  const rand = seeded(42);
  const claims = [...base.claims];
  const stations: StationRecord[] = [...base.stations];
  const source = base.sources[0]!.id;
  for (let i = 0; i < n; i++) {
    const city = `${word(rand, 2 + Math.floor(rand() * 2))} ${i}`;
    const country = base.countries[Math.floor(rand() * base.countries.length)]!.code;
    const id = `synthetic-${i}`;
    claims.push({
      id: `${id}-claim`,
      kind: 'station_report',
      stationId: id,
      countryCode: country,
      speaker: null,
      text: { en: 'synthetic', 'zh-Hans': '合成', 'zh-Hant': '合成' },
      sourceId: source,
      quote: 'synthetic benchmark data',
      date: 'unknown',
      dateApproximate: false,
      places: [],
      topics: [],
      answers: [],
    });
    stations.push({
      id,
      name: { en: city, 'zh-Hans': city, 'zh-Hant': city },
      city: { en: city, 'zh-Hans': city, 'zh-Hant': city },
      countryCode: country,
      precision: 'city',
      address: null,
      latitude: rand() * 120 - 60,
      longitude: rand() * 300 - 150,
      countInCity: 1,
      aliases: [],
      statuses: [{ status: 'reported', date: 'unknown', dateApproximate: false, claimId: `${id}-claim` }],
    });
  }
  return { ...base, stations, claims };
}

/** The multilingual query set: [query, expected station id prefix of the top result]. */
export const QUERY_SET: [string, string][] = [
  ['New York', 'us-new-york'],
  ['new yrok', 'us-new-york'],
  ['纽约', 'us-new-york'],
  ['紐約', 'us-new-york'],
  ['Niuyue', 'us-new-york'],
  ['niu yue', 'us-new-york'],
  ['Manhattan', 'us-new-york'],
  ['Prato', 'it-prato'],
  ['普拉托', 'it-prato'],
  ['Toronto', 'ca-toronto'],
  ['多伦多', 'ca-toronto'],
  ['多倫多', 'ca-toronto'],
  ['Tornto', 'ca-toronto'],
  ['Amsterdam', 'nl-amsterdam'],
  ['阿姆斯特丹', 'nl-amsterdam'],
  ['Rotterdam', 'nl-rotterdam'],
  ['鹿特丹', 'nl-rotterdam'],
  ['London', 'gb-london'],
  ['伦敦', 'gb-london'],
  ['倫敦', 'gb-london'],
  ['Prague', 'cz-prague'],
  ['Praha', 'cz-prague'],
  ['Budapest', 'hu-budapest'],
  ['Athens', 'gr-athens'],
  ['Madrid', 'es-madrid'],
  ['Frankfurt', 'de-frankfurt'],
  ['Venice', 'it-venice'],
  ['Venezia', 'it-venice'],
  ['Stockholm', 'se-stockholm'],
  ['斯德哥尔摩', 'se-stockholm'],
  ['Los Angeles', 'us-los-angeles'],
  ['洛杉矶', 'us-los-angeles'],
  ['Rome', 'it-rome'],
  ['罗马', 'it-rome'],
  ['Ireland', 'ie-'],
  ['爱尔兰', 'ie-'],
  ['Netherlands', 'nl-'],
  ['荷兰', 'nl-'],
  ['Holland', 'nl-'],
  ['Italy', 'it-'],
  ['意大利', 'it-'],
  ['Yidali', 'it-'],
  ['Canada', 'ca-'],
  ['加拿大', 'ca-'],
];

/** Runs the lookup benchmark. */
export async function benchLookup(bundled: Dataset, opts: { iterations: number }) {
  // Loaded first, as a running bot has it: the latencies below are with the gazetteer in memory.
  const gazetteer = await benchGazetteer();
  const results: { dataset: string; stations: number; p50: number; p99: number; max: number; perSecond: number }[] = [];
  let accuracy = { correct: 0, total: 0, misses: [] as string[] };
  for (const [label, data] of [
    ['bundled', bundled],
    ['10k synthetic', withPinyinKeys(withSynthetic(bundled, 10_000))],
  ] as const) {
    const view = new DatasetView(data);
    const ctx = {
      actor: { platform: 'console', id: 'bench', locale: 'en', triage: false },
      chat: 'private',
      deps: { dataset: () => view },
    } as unknown as CoreContext;
    const names = data.stations.map((s) => s.city.en);
    const rand = seeded(7);
    const queries = Array.from({ length: 1000 }, (_, i) => {
      if (i % 10 === 3) return WORLD_QUERIES[i % WORLD_QUERIES.length]!;
      const base = i % 5 === 0 ? QUERY_SET[i % QUERY_SET.length]![0] : names[Math.floor(rand() * names.length)]!;
      if (i % 7 === 0 && base.length > 4) return base.slice(0, 2) + base[3] + base[2] + base.slice(4); // a typo
      return base;
    });
    // Composed every time: the answers lookup keeps between people would measure the cache.
    const durations = await timeEach(opts.iterations, (i) => composeLookup({ place: queries[i % queries.length]! }, ctx));
    const total = durations.reduce((a, b) => a + b, 0);
    results.push({
      dataset: label,
      stations: data.stations.length,
      p50: quantile(durations, 0.5),
      p99: quantile(durations, 0.99),
      max: Math.max(...durations),
      perSecond: (durations.length / total) * 1000,
    });
    if (label === 'bundled') {
      accuracy = { correct: 0, total: QUERY_SET.length, misses: [] };
      for (const [q, expected] of QUERY_SET) {
        const top = view.index.search(q, 1)[0];
        if (top && top.station.id.startsWith(expected)) accuracy.correct++;
        else accuracy.misses.push(`${q} -> ${top?.station.id ?? 'nothing'}`);
      }
    }
  }
  return { results, accuracy, gazetteer };
}
