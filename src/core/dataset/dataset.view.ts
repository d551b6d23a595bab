/**
 * The loaded dataset with the look-ups handlers need (by id, by station, by country) and its
 * search index. Immutable: an import builds a new view.
 */
import type {
  ClaimRecord,
  CountryRecord,
  Dataset,
  DisagreementRecord,
  SourceRecord,
  StationRecord,
  TopicRecord,
} from './dataset.schema.ts';
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
  readonly topics = new Map<string, TopicRecord>();
  readonly claimsByTopic = new Map<string, ClaimRecord[]>();
  /** the claims answering a claim: denials beside a report, rebuttals beside a denial */
  readonly answeredBy = new Map<string, ClaimRecord[]>();
  readonly disagreementsByClaim = new Map<string, DisagreementRecord[]>();

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
    for (const t of data.topics) this.topics.set(t.id, t);
    for (const c of data.claims) {
      for (const t of c.topics) push(this.claimsByTopic, t, c);
      for (const a of c.answers) push(this.answeredBy, a, c);
    }
    for (const x of data.disagreements) for (const id of x.claimIds) push(this.disagreementsByClaim, id, x);
    this.index = new SearchIndex(data.stations, data.countries);
  }
}

function push<T>(m: Map<string, T[]>, k: string, v: T) {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}
