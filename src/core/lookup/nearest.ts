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

/** Stations with coordinates as unit vectors (x, y, z), per view: ranking by dot product costs three multiplications a station. */
interface Located {
  stations: StationRecord[];
  xyz: Float64Array;
}
// Per view (an import makes a new view, so this is never stale).
const located = new WeakMap<DatasetView, Located>();

const unit = (lat: number, lon: number): [number, number, number] => {
  const rad = Math.PI / 180;
  return [Math.cos(lat * rad) * Math.cos(lon * rad), Math.cos(lat * rad) * Math.sin(lon * rad), Math.sin(lat * rad)];
};

function locatedOf(view: DatasetView): Located {
  let l = located.get(view);
  if (l) return l;
  const stations = view.data.stations.filter((s) => s.latitude !== null && s.longitude !== null);
  const xyz = new Float64Array(stations.length * 3);
  stations.forEach((s, i) => xyz.set(unit(s.latitude!, s.longitude!), i * 3));
  located.set(view, (l = { stations, xyz }));
  return l;
}

/** The `limit` stations with known coordinates closest to (lat, lon), with their distance. */
export function nearestStations(view: DatasetView, lat: number, lon: number, limit = 5): { station: StationRecord; km: number }[] {
  const { stations, xyz } = locatedOf(view);
  const [x, y, z] = unit(lat, lon);
  // A bounded insertion by closeness (larger dot product = nearer) instead of sorting every station.
  const best: { i: number; dot: number }[] = [];
  for (let i = 0; i < stations.length; i++) {
    const dot = x * xyz[i * 3]! + y * xyz[i * 3 + 1]! + z * xyz[i * 3 + 2]!;
    if (best.length === limit && dot <= best[best.length - 1]!.dot) continue;
    let j = best.length;
    while (j > 0 && best[j - 1]!.dot < dot) j--;
    best.splice(j, 0, { i, dot });
    if (best.length > limit) best.pop();
  }
  return best.map(({ i }) => ({ station: stations[i]!, km: distanceKm(lat, lon, stations[i]!.latitude!, stations[i]!.longitude!) }));
}
