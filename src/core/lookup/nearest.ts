/** Nearest reported stations to a point (Telegram's shared location), by great-circle distance. */
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

/** The `limit` stations with known coordinates closest to (lat, lon), with their distance. */
export function nearestStations(view: DatasetView, lat: number, lon: number, limit = 5): { station: StationRecord; km: number }[] {
  return view.data.stations
    .filter((s) => s.latitude !== null && s.longitude !== null)
    .map((s) => ({ station: s, km: distanceKm(lat, lon, s.latitude!, s.longitude!) }))
    .sort((a, b) => a.km - b.km)
    .slice(0, limit);
}
