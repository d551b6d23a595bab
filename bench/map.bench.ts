/**
 * /map: uncached renders (every place the dataset names, in every language: a new dataset version
 * each round so nothing is cached), cached answers, and memory across rounds (lasting growth).
 */
import { DatasetView } from '../src/core/dataset/dataset.view.ts';
import type { Dataset } from '../src/core/dataset/dataset.schema.ts';
import type { CoreContext, CoreDeps } from '../src/core/context.ts';
import { LOCALES } from '../src/core/i18n/locales.ts';
import { map } from '../src/core/map/map.handler.ts';
import { MapCache } from '../src/core/map/map.render.ts';
import { quantile, timeEach } from './stats.ts';

/** Figures of one run. */
export interface MapBench {
  places: number;
  uncached: { renders: number; p50: number; p99: number; max: number };
  cached: { calls: number; p50: number; p99: number; max: number };
  memory: { rssMBAfterRounds: number[]; heapMBAfterRounds: number[] };
}

const noLog = { debug() {}, info() {}, warn() {}, error() {} };

/** Runs the map benchmark over `rounds` uncached rounds and `calls` cached answers. */
export async function benchMap(dataset: Dataset, opts: { rounds: number; calls: number }): Promise<MapBench> {
  const places = [
    undefined,
    ...dataset.countries.map((c) => c.name.en),
    ...new Set(dataset.stations.filter((s) => s.latitude !== null).map((s) => s.city.en)),
  ];
  const cache = new MapCache(4096);
  const ask = async (view: DatasetView, place: string | undefined, locale: (typeof LOCALES)[number]) => {
    const deps = { dataset: () => view, log: noLog, maps: cache } as unknown as CoreDeps;
    const r = await map({ place }, {
      actor: { platform: 'console', id: 'bench', locale, triage: false },
      chat: 'public',
      deps,
    } as CoreContext);
    if (!r.ok) throw new Error(`map ${place}: ${r.error.code}`);
  };
  // The first render parses the atlas and the font: measured apart (it is the start-up cost).
  await ask(new DatasetView({ ...dataset, version: 'warm' }), undefined, 'en');
  const uncached: number[] = [];
  const rss: number[] = [];
  const heap: number[] = [];
  for (let round = 0; round < opts.rounds; round++) {
    const view = new DatasetView({ ...dataset, version: `${dataset.version}-bench-${round}` });
    for (const locale of LOCALES)
      for (const place of places) {
        const t = performance.now();
        await ask(view, place, locale);
        uncached.push(performance.now() - t);
      }
    // Each round's maps dropped, as a dataset import leaves them: what remains is lasting growth.
    for (let i = 0; i < places.length * LOCALES.length; i++) void cache.get(`evict-${round}-${i}`, async () => new Uint8Array(0));
    (globalThis as { gc?: () => void }).gc?.();
    rss.push(Math.round(process.memoryUsage().rss / 1e6));
    heap.push(Math.round(process.memoryUsage().heapUsed / 1e6));
  }
  const view = new DatasetView({ ...dataset, version: `${dataset.version}-cached` });
  for (const locale of LOCALES) for (const place of places) await ask(view, place, locale);
  const cached = await timeEach(opts.calls, (i) => ask(view, places[i % places.length], LOCALES[i % LOCALES.length]!), 50);
  const stats = (xs: number[]) => ({ p50: quantile(xs, 0.5), p99: quantile(xs, 0.99), max: Math.max(...xs) });
  return {
    places: places.length,
    uncached: { renders: uncached.length, ...stats(uncached) },
    cached: { calls: cached.length, ...stats(cached) },
    memory: { rssMBAfterRounds: rss, heapMBAfterRounds: heap },
  };
}
