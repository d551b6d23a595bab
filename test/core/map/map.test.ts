/**
 * /map over the bundled dataset: the PNG and its size, markers inside the drawn country, legends
 * that cite and fit one message, every language's script drawn, the cache, and bad places.
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { geoContains } from 'd3-geo';
import { describe, expect, it } from 'vitest';
import { Dataset } from '../../../src/core/dataset/dataset.schema.ts';
import { DatasetView } from '../../../src/core/dataset/dataset.view.ts';
import { currentStatus } from '../../../src/core/dataset/format.ts';
import { catalogs } from '../../../src/core/i18n/catalog.ts';
import { LOCALES, type Locale } from '../../../src/core/i18n/locales.ts';
import type { Block, Reply } from '../../../src/core/reply.ts';
import { map, legendBlocks, legendLength, LEGEND_MAX } from '../../../src/core/map/map.handler.ts';
import { MapCache, svgToPng } from '../../../src/core/map/map.render.ts';
import { buildScene, MAP_SIZE, placeScene, resolveScope } from '../../../src/core/map/map.scene.ts';
import { mapFont, textPath } from '../../../src/core/map/map.text.ts';
import { bundledDatasetPath } from '../../../src/db/dataset-store.ts';
import { contextFor, memoryDeps } from '../../support/memory.ts';

const dataset = Dataset.parse(JSON.parse(readFileSync(bundledDatasetPath, 'utf8')));
const view = new DatasetView(dataset);

async function ask(place: string | undefined, locale: Locale = 'en', maps?: MapCache, data = dataset): Promise<Reply> {
  const { deps } = memoryDeps(data, maps ? { maps } : {});
  const r = await map({ place }, contextFor(deps, { locale, chat: 'public' }));
  if (!r.ok) throw new Error(`map failed: ${r.error.code}`);
  return r.value;
}

const items = (blocks: Block[]) => blocks.filter((b): b is Extract<Block, { type: 'item' }> => b.type === 'item');

/** Ray casting in pixel space over every ring of the projected shape. */
function insideProjected(rings: [number, number][][], [x, y]: [number, number]): boolean {
  let inside = false;
  for (const ring of rings)
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i]!,
        [xj, yj] = ring[j]!;
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  return inside;
}

describe('map', () => {
  describe('the image', () => {
    it('is a PNG of the declared size, public, named for the place', async () => {
      const r = await ask('Italy');
      expect(r.private).toBe(false);
      expect(r.image?.mime).toBe('image/png');
      const meta = await sharp(Buffer.from(r.image!.bytes)).metadata();
      expect(meta).toMatchObject({ format: 'png', width: MAP_SIZE.width, height: MAP_SIZE.height });
      expect(r.image).toMatchObject({ width: MAP_SIZE.width, height: MAP_SIZE.height, name: 'lantern-map-country-IT.png' });
      // Drawn, not blank: the sea, the land and the markers give many colours.
      const { data } = await sharp(Buffer.from(r.image!.bytes)).raw().toBuffer({ resolveWithObject: true });
      const colours = new Set<number>();
      for (let i = 0; i < data.length; i += 3 * 97) colours.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
      expect(colours.size).toBeGreaterThan(20);
    });

    it('draws the focus country in its highlight colour where its stations are', async () => {
      const r = await ask('Italy');
      const scene = placeScene(
        buildScene(
          view,
          { kind: 'country', code: 'IT' },
          dataset.stations.filter((s) => s.countryCode === 'IT'),
        ),
      );
      const { data, info } = await sharp(Buffer.from(r.image!.bytes)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      // A point 20 px below Rome's marker (clear of it) is Italy's fill #f1ddb0.
      const rome = scene.markers.find((m) => m.stations[0]!.id === 'it-rome')!;
      const [x, y] = [Math.round(rome.at[0]) + 20, Math.round(rome.at[1]) + 20];
      const i = (y * info.width + x) * 3;
      expect([data[i], data[i + 1], data[i + 2]]).toEqual([0xf1, 0xdd, 0xb0]);
    });
  });

  describe('markers', () => {
    const countries = [...new Set(dataset.stations.filter((s) => s.latitude !== null).map((s) => s.countryCode))];

    it.each(countries)('every station of %s is drawn inside that country, on the canvas', async (code) => {
      const scope = await resolveScope(view, view.countries.get(code)!.name.en);
      expect(scope.ok && scope.value.scope).toEqual({ kind: 'country', code });
      if (!scope.ok) return;
      const scene = placeScene(buildScene(view, scope.value.scope, scope.value.stations));
      expect(scene.markers.length).toBeGreaterThan(0);
      const geometry = scene.focus!.geometry;
      const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
      const rings = polygons.flat().map((ring) => ring.map((p) => scene.projection(p as [number, number])!));
      for (const m of scene.markers) {
        expect(geoContains(scene.focus!, [m.lon, m.lat]), `${m.stations[0]!.id} on the sphere`).toBe(true);
        expect(insideProjected(rings, m.anchor), `${m.stations[0]!.id} in pixels`).toBe(true);
        expect(m.anchor[0]).toBeGreaterThan(0);
        expect(m.anchor[0]).toBeLessThan(MAP_SIZE.width);
        expect(m.anchor[1]).toBeGreaterThan(0);
        expect(m.anchor[1]).toBeLessThan(MAP_SIZE.height);
      }
    });

    it('groups the stations of one city into one marker with their count', async () => {
      const toronto = await resolveScope(view, '多伦多');
      if (!toronto.ok) throw new Error('Toronto not found');
      expect(toronto.value.scope).toEqual({ kind: 'city', code: 'CA' });
      const scene = buildScene(view, toronto.value.scope, toronto.value.stations);
      expect(scene.markers).toHaveLength(1);
      expect(scene.markers[0]).toMatchObject({ n: 1, count: 3, style: 'reported' });
      expect(scene.markers[0]!.stations.map((s) => s.id).sort()).toEqual(['ca-toronto-1', 'ca-toronto-2', 'ca-toronto-3']);
    });

    it('the world map numbers one marker per city, styled by status, none overlapping', () => {
      const scene = placeScene(buildScene(view, { kind: 'world' }, dataset.stations));
      const cities = new Set(dataset.stations.filter((s) => s.latitude !== null).map((s) => `${s.latitude},${s.longitude}`));
      expect(scene.markers).toHaveLength(cities.size);
      expect(scene.markers.map((m) => m.n)).toEqual(scene.markers.map((_, i) => i + 1));
      expect(scene.markers.find((m) => m.stations[0]!.id === 'us-new-york')!.style).toBe('prosecuted');
      expect(scene.markers.find((m) => m.stations[0]!.id === 'nl-amsterdam')!.style).toBe('under_investigation');
      for (const a of scene.markers)
        for (const b of scene.markers) if (a !== b) expect(Math.hypot(a.at[0] - b.at[0], a.at[1] - b.at[1])).toBeGreaterThan(2 * 13);
      // Stations the sources place in no city are listed, not drawn.
      expect(scene.unplaced.map((s) => s.id).sort()).toEqual(
        dataset.stations
          .filter((s) => s.latitude === null)
          .map((s) => s.id)
          .sort(),
      );
    });
  });

  describe('the legend', () => {
    const places = [
      undefined,
      ...dataset.countries.map((c) => c.name.en),
      ...new Set(dataset.stations.filter((s) => s.latitude !== null).map((s) => s.city.en)),
    ];

    it('cites the source of every line, each source once, and fits one message in every language', async () => {
      for (const locale of LOCALES)
        for (const place of places) {
          // The legend as the handler builds it, without drawing ~100 maps.
          const resolved = await resolveScope(view, place);
          if (!resolved.ok) throw new Error(`${place}: ${resolved.error.code}`);
          const grouped = buildScene(view, resolved.value.scope, resolved.value.stations);
          const blocks = legendBlocks(view, grouped, locale, 'title');
          expect(legendLength(blocks), `${locale} ${place}`).toBeLessThanOrEqual(LEGEND_MAX);
          const [sourcesItem] = items(blocks).filter((b) => b.title === catalogs[locale]['map.sources']);
          const numbered = new Map(sourcesItem?.lines.map((l) => [Number(/^\[(\d+)\]/.exec(l.text)![1]), l.text]) ?? []);
          const scope = await resolveScope(view, place);
          if (!scope.ok) throw new Error('unresolved');
          const scene = buildScene(view, scope.value.scope, scope.value.stations);
          const legend = items(blocks).find((b) => b.title === catalogs[locale]['map.legend']);
          expect(legend?.lines.length ?? 0).toBe(scene.markers.length);
          scene.markers.forEach((m, i) => {
            const line = legend!.lines[i]!;
            expect(line.text.startsWith(`${m.n} · `)).toBe(true);
            expect(line.text).toContain(m.stations[0]!.city[locale]);
            // Each cited number is a listed source, and it is the source of the station's status.
            const wanted = new Set(m.stations.map((s) => view.sources.get(view.claims.get(currentStatus(s).claimId)!.sourceId)!.publisher));
            expect(line.cites?.length).toBeGreaterThan(0);
            const cited = line.cites!.map((n) => numbered.get(n));
            for (const publisher of wanted)
              expect(
                cited.some((text) => text?.includes(publisher)),
                `${locale} ${place} ${m.n}`,
              ).toBe(true);
          });
          expect(new Set(sourcesItem?.lines.map((l) => l.text)).size).toBe(sourcesItem?.lines.length ?? 0);
          expect(blocks.some((b) => b.type === 'notice' && b.text === catalogs[locale]['map.note'])).toBe(true);
        }
    });

    it('gives a country its context line beside the map', async () => {
      const r = await ask('Italy');
      const context = items(r.blocks).find((b) => b.title.startsWith('Responses and context in Italy'));
      expect(context?.lines[0]?.text).toBe(view.claimsByCountry.get('IT')![0]!.text.en);
      expect(context?.lines[0]?.cites).toHaveLength(1);
    });

    it('lists the stations placed in no city, with their source', async () => {
      const r = await ask('Ireland');
      const unplaced = items(r.blocks).find((b) => b.title === catalogs.en['map.unplaced']);
      expect(unplaced?.lines).toHaveLength(1);
      expect(unplaced?.lines[0]?.text).toMatch(/closed/);
      expect(unplaced?.lines[0]?.cites).toEqual([1]);
    });
  });

  describe('scripts', () => {
    /** Every text the map can draw, per locale: its own catalog lines, statuses, and the dataset's names. */
    function drawable(locale: Locale): string {
      const keys = Object.keys(catalogs.en).filter(
        (k) => k.startsWith('map.') || k.startsWith('status.') || k === 'lookup.city_country',
      ) as (keyof typeof catalogs.en)[];
      const names = [...dataset.countries.map((c) => c.name[locale]), ...dataset.stations.flatMap((s) => [s.city[locale], s.name[locale]])];
      return [...keys.map((k) => catalogs[locale][k]), ...names].join('') + '0123456789×';
    }

    it.each(LOCALES)('the bundled font has a glyph for every character %s draws', (locale) => {
      const font = mapFont();
      const missing = [...new Set(drawable(locale))].filter((c) => c.trim() && !font.hasGlyphForCodePoint(c.codePointAt(0)!));
      expect(missing).toEqual([]);
      // The check can fail: the font does lack rare characters (CJK Extension B).
      expect(font.hasGlyphForCodePoint(0x20000)).toBe(false);
    });

    it('draws a CJK title in its glyphs (the pixels differ from no title and from the English one)', async () => {
      const band = async (title: string) => {
        const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="40"><rect width="600" height="40" fill="#fff"/>${textPath(title, 10, 28, { size: 22, fill: '#000' })}</svg>`;
        const { data } = await sharp(Buffer.from(await svgToPng(svg)))
          .removeAlpha()
          .raw()
          .toBuffer({ resolveWithObject: true });
        return data;
      };
      const ink = (d: Buffer) => d.reduce((n, v, i) => n + (i % 3 === 0 && v < 128 ? 1 : 0), 0);
      const hant = await band(catalogs['zh-Hant']['map.title']);
      const hans = await band(catalogs['zh-Hans']['map.title']);
      const none = await band('');
      expect(ink(none)).toBe(0);
      expect(ink(hant)).toBeGreaterThan(400);
      expect(hant.equals(hans)).toBe(false);
      // A character the font lacks draws its empty .notdef box: far less ink than a real glyph.
      expect(ink(await band('\u{20000}'))).toBeLessThan(ink(await band('臺')));
    });
  });

  describe('cache', () => {
    it('renders a map once per dataset version, language and place', async () => {
      const cache = new MapCache();
      const first = await ask('Italy', 'en', cache);
      const again = await ask('Italy', 'en', cache);
      expect(cache.renders).toBe(1);
      expect(Buffer.from(again.image!.bytes).equals(Buffer.from(first.image!.bytes))).toBe(true);
      await ask('italy ', 'en', cache);
      expect(cache.renders).toBe(1);
      await ask('Italy', 'zh-Hant', cache);
      expect(cache.renders).toBe(2);
      await ask('Italy', 'en', cache, { ...dataset, version: `${dataset.version}-next` });
      expect(cache.renders).toBe(3);
      await Promise.all([ask('Rome', 'en', cache), ask('Rome', 'en', cache), ask('罗马', 'en', cache)]);
      expect(cache.renders).toBe(4);
    });

    it('keeps at most its bound, dropping the least recently used', async () => {
      const cache = new MapCache(2);
      const make = (n: number) => async () => new Uint8Array([n]);
      await cache.get('a', make(1));
      await cache.get('b', make(2));
      await cache.get('a', make(9));
      await cache.get('c', make(3));
      expect(cache.size).toBe(2);
      expect(await cache.get('a', make(7))).toEqual(new Uint8Array([1]));
      expect(await cache.get('b', make(8))).toEqual(new Uint8Array([8]));
    });

    it('forgets a failed render, so the next ask tries again', async () => {
      const cache = new MapCache();
      await expect(cache.get('x', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
      expect(await cache.get('x', async () => new Uint8Array([1]))).toEqual(new Uint8Array([1]));
    });
  });

  describe('bad places', () => {
    it('answers an unknown place with close names and no image', async () => {
      const { deps } = memoryDeps(dataset);
      // (not "Atlantis": the gazetteer knows towns of that name in Florida and South Africa)
      const r = await map({ place: 'Qwertyuiop' }, contextFor(deps, { chat: 'public' }));
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatchObject({ code: 'LOOKUP.NOT_FOUND', params: { query: 'Qwertyuiop' } });
    });

    it('draws a country the sources name without a station, with its context', async () => {
      const r = await ask('Serbia');
      expect(r.blocks).toContainEqual({ type: 'text', text: catalogs.en['map.none'] });
      expect(items(r.blocks).some((b) => b.title.includes('Serbia'))).toBe(true);
      expect((await sharp(Buffer.from(r.image!.bytes)).metadata()).width).toBe(MAP_SIZE.width);
    });
  });
});
