/** Nearest reported stations to a point (a shared location, a city of the gazetteer), by great-circle distance. */
import type { StationRecord } from '../dataset/dataset.schema.ts';
import type { DatasetView } from '../dataset/dataset.view.ts';

/** Distance in km between two points (haversine). */
export function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(a)));
}

// Stations with coordinates, per view (an import makes a new view, so this is never stale).
const located = new WeakMap<DatasetView, StationRecord[]>();

/** The `limit` stations with known coordinates closest to (lat, lon), with their distance. */
export function nearestStations(view: DatasetView, lat: number, lon: number, limit = 5): { station: StationRecord; km: number }[] {
  let list = located.get(view);
  if (!list) located.set(view, (list = view.data.stations.filter((s) => s.latitude !== null && s.longitude !== null)));
  // A bounded insertion instead of sorting every station: O(n·limit) with small limits, no n-sized array.
  const best: { station: StationRecord; km: number }[] = [];
  for (const s of list) {
    const km = distanceKm(lat, lon, s.latitude!, s.longitude!);
    if (best.length === limit && km >= best[best.length - 1]!.km) continue;
    let i = best.length;
    while (i > 0 && best[i - 1]!.km > km) i--;
    best.splice(i, 0, { station: s, km });
    if (best.length > limit) best.pop();
  }
  return best;
}
