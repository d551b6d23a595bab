/**
 * Natural Earth country shapes (world-atlas) as GeoJSON, loaded on first use and kept: the
 * 1:110m set for the world view, the 1:50m set for a country or city.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { geoBounds } from 'd3-geo';
import { feature } from 'topojson-client';
import type { Topology, GeometryCollection } from 'topojson-specification';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import countries from 'i18n-iso-countries';

/** A country's shape; `id` is the ISO 3166-1 numeric code as a 3-digit string. */
export type CountryShape = Feature<Polygon | MultiPolygon, { name: string }>;

/** The two detail levels drawn. */
export type Detail = '110m' | '50m' | '10m';

const require = createRequire(import.meta.url);
const loaded = new Map<Detail, CountryShape[]>();
const boundsOf = new WeakMap<CountryShape, [[number, number], [number, number]]>();

/** Every country at this detail (parsed once per process: the atlas is immutable data). */
export function countryShapes(detail: Detail): CountryShape[] {
  const known = loaded.get(detail);
  if (known) return known;
  const file = require.resolve(`world-atlas/countries-${detail}.json`);
  const topo = JSON.parse(readFileSync(file, 'utf8')) as Topology<{ countries: GeometryCollection<{ name: string }> }>;
  const fc = feature(topo, topo.objects.countries) as FeatureCollection<Polygon | MultiPolygon, { name: string }>;
  const shapes = fc.features.filter((f) => f.geometry) as CountryShape[];
  loaded.set(detail, shapes);
  return shapes;
}

/** The shape of a country by its ISO alpha-2 code (the dataset's), if the atlas has it. */
export function shapeOf(alpha2: string, detail: Detail): CountryShape | undefined {
  const numeric = countries.alpha2ToNumeric(alpha2);
  if (!numeric) return undefined;
  return countryShapes(detail).find((f) => String(f.id) === numeric);
}

/** The countries whose bounding box meets this lon/lat box (the rest are off the canvas). */
export function shapesWithin(detail: Detail, [[w, s], [e, n]]: [[number, number], [number, number]]): CountryShape[] {
  return countryShapes(detail).filter((f) => {
    let b = boundsOf.get(f);
    if (!b) boundsOf.set(f, (b = geoBounds(f)));
    return meets(b, [
      [w, s],
      [e, n],
    ]);
  });
}

const polygonBounds = new WeakMap<object, [[number, number], [number, number]]>();

/** The shape without its polygons wholly outside this lon/lat box (Canada's Arctic, at 1:10m, for Toronto). */
export function visiblePart(shape: CountryShape, [[w, s], [e, n]]: [[number, number], [number, number]]): CountryShape {
  if (shape.geometry.type === 'Polygon') return shape;
  const kept = shape.geometry.coordinates.filter((poly) => {
    let b = polygonBounds.get(poly);
    if (!b) polygonBounds.set(poly, (b = geoBounds({ type: 'Polygon', coordinates: poly })));
    return meets(b, [
      [w, s],
      [e, n],
    ]);
  });
  return { ...shape, geometry: { type: 'MultiPolygon', coordinates: kept } };
}

/** True when bounds b (which may cross the antimeridian: west > east) meet the box. */
function meets(
  [[bw, bs], [be, bn]]: [[number, number], [number, number]],
  [[w, s], [e, n]]: [[number, number], [number, number]],
): boolean {
  if (bs > n || bn < s) return false;
  const overlaps = (lo: number, hi: number) => lo <= e && hi >= w;
  // Crossing bounds (Alaska's Aleutians, Fiji, Russia) are two lon ranges.
  return bw <= be ? overlaps(bw, be) : overlaps(bw, 180) || overlaps(-180, be);
}
