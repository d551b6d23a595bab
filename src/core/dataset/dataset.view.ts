/**
 * The loaded dataset with the look-ups handlers need (by id, by station, by country) and its
 * search index. Immutable: an import builds a new view.
 */
import type { ClaimRecord, CountryRecord, Dataset, SourceRecord, StationRecord } from './dataset.schema.ts';
import { SearchIndex } from '../lookup/search-index.ts';

/** Read-only, indexed access to the dataset. */
export class DatasetView {
  readonly sources = new Map<string, SourceRecord>();
  readonly claims = new Map<string, ClaimRecord>();
  readonly stations = new Map<string, StationRecord>();
  readonly countries = new Map<string, CountryRecord>();
  readonly claimsByStation = new Map<string, ClaimRecord[]>();
  readonly claimsByCountry = new Map<string, ClaimRecord[]>();
  /** claims about no one station or country: global figures, China's general denials */
  readonly globalClaims: ClaimRecord[] = [];
  readonly index: SearchIndex;

  constructor(readonly data: Dataset) {
    for (const s of data.sources) this.sources.set(s.id, s);
    for (const s of data.stations) this.stations.set(s.id, s);
    for (const c of data.countries) this.countries.set(c.code, c);
    for (const c of data.claims) {
      this.claims.set(c.id, c);
      if (c.stationId) push(this.claimsByStation, c.stationId, c);
      else if (c.countryCode) push(this.claimsByCountry, c.countryCode, c);
      else this.globalClaims.push(c);
    }
    this.index = new SearchIndex(data.stations, data.countries);
  }
}

function push<T>(m: Map<string, T[]>, k: string, v: T) {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}
