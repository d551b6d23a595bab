/**
 * What a map shows, before any drawing: the place asked for, the stations grouped into numbered
 * city markers, the projection that frames them, and where each marker is drawn. Pure.
 */
import { geoArea, geoBounds, geoContains, geoMercator, type GeoProjection } from 'd3-geo';
import type { Polygon } from 'geojson';
import { coreError, type CoreError } from '../errors.ts';
import { err, ok, type Result } from '../result.ts';
import { currentStatus } from '../dataset/format.ts';
import type { StationRecord } from '../dataset/dataset.schema.ts';
import type { DatasetView } from '../dataset/dataset.view.ts';
import { findStations } from '../lookup/lookup.handler.ts';
import { shapeOf, type CountryShape, type Detail } from './map.atlas.ts';

/** The image's size in pixels (Telegram and Discord show it without scaling up). */
export const MAP_SIZE = { width: 1024, height: 640 } as const;
/** Room kept for the title band above and the key below the map. */
const FRAME = { left: 36, right: 36, top: 104, bottom: 64 } as const;
/** Marker radius in pixels. */
export const MARKER_R = 13;

/** What the map is of: the world, one country, or the stations of one city. */
export type MapScope = { kind: 'world' } | { kind: 'country'; code: string } | { kind: 'city'; code: string };

/** A marker style: a station status, or "mixed" when a city's stations differ. */
export type MarkerStyle = StationRecord['statuses'][number]['status'] | 'mixed';

/** One numbered marker: every station reported in one city (the dataset places them only to the city). */
export interface Marker {
  n: number;
  lat: number;
  lon: number;
  stations: StationRecord[];
  /** how many stations the sources report there (at least the records grouped here) */
  count: number;
  style: MarkerStyle;
}

/** A marker on the canvas: the projected city position, and where it is drawn (moved off its neighbours). */
export interface PlacedMarker extends Marker {
  anchor: [number, number];
  at: [number, number];
}

/** A resolved place, its stations grouped. */
export interface MapScene {
  /** stable cache key of the place, e.g. "world", "country:IT", "city:ca-toronto-1+ca-toronto-2" */
  key: string;
  scope: MapScope;
  markers: Marker[];
  /** stations in scope that the sources place in no city: listed, not drawn */
  unplaced: StationRecord[];
  /** the detail of the countries drawn around the focus */
  detail: Detail;
}

/** A scene framed and laid out, ready to draw. */
export interface PlacedScene extends MapScene {
  markers: PlacedMarker[];
  /** the country drawn highlighted (country and city maps), at full detail */
  focus?: CountryShape;
  projection: GeoProjection;
}

/** Resolves `/map [place]`: nothing is the world; a country or city name goes through the lookup's resolver. */
export async function resolveScope(
  view: DatasetView,
  place: string | undefined,
): Promise<Result<{ scope: MapScope; stations: StationRecord[] }, CoreError>> {
  const q = place?.trim();
  if (!q) return ok({ scope: { kind: 'world' }, stations: view.data.stations });
  const country = view.index.countriesFor(q)[0];
  if (country) return inCountry(view, country.code);
  const found = await findStations(view, q);
  if (!found.ok) return found;
  const r = found.value.resolved;
  // A city or country with no reported station (from the gazetteer): its country's map.
  if (r.kind === 'city') return inCountry(view, r.city.countryCode);
  if (r.kind === 'world-country') return inCountry(view, r.code);
  if (r.kind === 'country') return inCountry(view, r.countries[0]!.code);
  if (r.kind === 'claims') return err(coreError('LOOKUP.NOT_FOUND', { query: q, suggestions: '—' }));
  const hits = view.index.search(q);
  if (hits.length === 0 || hits.every((h) => h.via === 'country')) return inCountry(view, r.stations[0]!.countryCode);
  // The best-scoring names only: "Paris" is Paris, not also "Paris suburb".
  const best = hits[0]!.score;
  const stations = hits.filter((h) => h.score === best).map((h) => h.station);
  return ok({ scope: { kind: 'city', code: stations[0]!.countryCode }, stations });
}

/** A country's map: its reported stations (maybe none). */
function inCountry(view: DatasetView, code: string): Result<{ scope: MapScope; stations: StationRecord[] }, CoreError> {
  return ok({ scope: { kind: 'country', code }, stations: view.data.stations.filter((s) => s.countryCode === code) });
}

/** Groups a resolved scope's stations into numbered markers (cheap: no geometry yet). */
export function buildScene(view: DatasetView, scope: MapScope, stations: readonly StationRecord[]): MapScene {
  const placed = stations.filter((s) => s.latitude !== null && s.longitude !== null);
  const unplaced = stations.filter((s) => s.latitude === null || s.longitude === null);
  const detail: Detail = scope.kind === 'world' ? '110m' : '50m';
  return { key: sceneKey(scope, stations), scope, markers: groupMarkers(placed), unplaced, detail };
}

/** Frames the scene and places its markers (the costly part, done only when a map is drawn). */
export function placeScene(scene: MapScene): PlacedScene {
  // The focus country in full detail, so the city points the dataset gives fall on its land.
  const focus = scene.scope.kind === 'world' ? undefined : shapeOf(scene.scope.code, '10m');
  const points = scene.markers.map((m): [number, number] => [m.lon, m.lat]);
  // Framed on the 1:50m outline: the same bounds, at a fraction of the cost.
  const frame = scene.scope.kind === 'world' ? undefined : shapeOf(scene.scope.code, '50m');
  const projection = frameProjection(scene.scope, points, frame);
  const markers = scene.markers.map((m) => {
    const anchor = projection([m.lon, m.lat]) ?? [0, 0];
    return { ...m, anchor, at: [anchor[0], anchor[1]] as [number, number] };
  });
  declutter(markers);
  return { ...scene, markers, ...(focus ? { focus } : {}), projection };
}

function sceneKey(scope: MapScope, stations: readonly StationRecord[]): string {
  if (scope.kind === 'world') return 'world';
  if (scope.kind === 'country') return `country:${scope.code}`;
  return `city:${stations
    .map((s) => s.id)
    .sort()
    .join('+')}`;
}

/** Stations at the same city position become one marker, numbered west to east. */
function groupMarkers(placed: readonly StationRecord[]): Marker[] {
  const byCity = new Map<string, StationRecord[]>();
  for (const s of placed) {
    const k = `${s.latitude!.toFixed(2)},${s.longitude!.toFixed(2)}`;
    byCity.set(k, [...(byCity.get(k) ?? []), s]);
  }
  const groups = [...byCity.values()].sort((a, b) => a[0]!.longitude! - b[0]!.longitude! || b[0]!.latitude! - a[0]!.latitude!);
  return groups.map((list, i) => {
    const styles = new Set(list.map((s) => currentStatus(s).status));
    const style: MarkerStyle = styles.size === 1 ? [...styles][0]! : 'mixed';
    const count = Math.max(list.length, ...list.map((s) => s.countInCity));
    return { n: i + 1, lat: list[0]!.latitude!, lon: list[0]!.longitude!, stations: list, count, style };
  });
}

/** A Mercator projection fitted to what the scope shows, inside the frame. */
function frameProjection(scope: MapScope, points: readonly [number, number][], focus: CountryShape | undefined): GeoProjection {
  let corners: [number, number][];
  if (scope.kind === 'country' && focus) corners = [...boxCorners(mainBounds(focus, points), 1.5), ...points];
  else if (scope.kind === 'city' && points.length) corners = boxCorners(pointBounds(points), 5);
  else if (points.length) corners = boxCorners(pointBounds(points), 6);
  else
    corners = boxCorners(
      [
        [-170, -55],
        [180, 75],
      ],
      0,
    );
  const extent: [[number, number], [number, number]] = [
    [FRAME.left, FRAME.top],
    [MAP_SIZE.width - FRAME.right, MAP_SIZE.height - FRAME.bottom],
  ];
  return geoMercator().fitExtent(extent, { type: 'MultiPoint', coordinates: corners });
}

type Bounds = [[number, number], [number, number]];

function pointBounds(points: readonly [number, number][]): Bounds {
  const lons = points.map((p) => p[0]);
  const lats = points.map((p) => p[1]);
  return [
    [Math.min(...lons), Math.min(...lats)],
    [Math.max(...lons), Math.max(...lats)],
  ];
}

/** The corners of a box grown by `margin` degrees (clamped to where Mercator is usable). */
function boxCorners([[w, s], [e, n]]: Bounds, margin: number): [number, number][] {
  const clampLat = (v: number) => Math.max(-80, Math.min(80, v));
  const W = w - margin,
    E = e + margin,
    S = clampLat(s - margin),
    N = clampLat(n + margin);
  return [
    [W, S],
    [E, S],
    [E, N],
    [W, N],
  ];
}

/**
 * The bounds of a country's main land: its largest polygon and every polygon holding a station
 * (France without French Guiana, the United States without Alaska unless a station is there).
 */
function mainBounds(shape: CountryShape, points: readonly [number, number][]): Bounds {
  const polys: Polygon[] =
    shape.geometry.type === 'Polygon' ? [shape.geometry] : shape.geometry.coordinates.map((c) => ({ type: 'Polygon', coordinates: c }));
  const largest = polys.reduce((a, b) => (geoArea(b) > geoArea(a) ? b : a));
  const kept = polys.filter((p) => p === largest || points.some((pt) => geoContains(p, pt)));
  const bounds = kept.map((p) => geoBounds(p));
  return [
    [Math.min(...bounds.map((b) => b[0][0])), Math.min(...bounds.map((b) => b[0][1]))],
    [Math.max(...bounds.map((b) => b[1][0])), Math.max(...bounds.map((b) => b[1][1]))],
  ];
}

/** Moves overlapping markers apart (a few rounds of pairwise pushes); leader lines show where they belong. */
function declutter(markers: PlacedMarker[]): void {
  const min = 2 * MARKER_R + 3;
  for (let round = 0; round < 60; round++) {
    let moved = false;
    for (let i = 0; i < markers.length; i++)
      for (let j = i + 1; j < markers.length; j++) {
        const a = markers[i]!.at,
          b = markers[j]!.at;
        let dx = b[0] - a[0],
          dy = b[1] - a[1];
        const d = Math.hypot(dx, dy);
        if (d >= min) continue;
        // Coincident markers separate sideways, in numbering order.
        if (d < 0.01) [dx, dy] = [1, 0];
        const push = (min - d) / 2 / (Math.hypot(dx, dy) || 1);
        a[0] -= dx * push;
        a[1] -= dy * push;
        b[0] += dx * push;
        b[1] += dy * push;
        moved = true;
      }
    for (const m of markers)
      m.at = [clamp(m.at[0], MARKER_R, MAP_SIZE.width - MARKER_R), clamp(m.at[1], FRAME.top - 20, MAP_SIZE.height - FRAME.bottom + 10)];
    if (!moved) break;
  }
}

const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));
