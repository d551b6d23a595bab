/**
 * What the dataset's links say about each claim, indexed once per dataset view: the claims that
 * answer it (a denial answers a report, a rebuttal answers a denial), the disagreements it is a
 * side of, and the claims that name a place.
 */
import type { ClaimRecord, DisagreementRecord } from '../dataset/dataset.schema.ts';
import type { DatasetView } from '../dataset/dataset.view.ts';
import { compact } from './normalize.ts';

/** The dataset's links, by claim and by place. */
export interface Relations {
  /** claims that answer the claim (by id) */
  answeredBy: Map<string, ClaimRecord[]>;
  disagreements: Map<string, DisagreementRecord[]>;
  /** claims naming a place, by its compact name */
  byPlace: Map<string, ClaimRecord[]>;
  /** the places named in claims, by compact name, as written */
  placeNames: Map<string, string>;
}

// Keyed by the view: an import builds a new view, so a stale index is never used, and it is freed with its view.
const cache = new WeakMap<DatasetView, Relations>();

/** The links of a dataset view (built on first use). */
export function relationsOf(view: DatasetView): Relations {
  const known = cache.get(view);
  if (known) return known;
  const r: Relations = { answeredBy: new Map(), disagreements: new Map(), byPlace: new Map(), placeNames: new Map() };
  for (const c of view.data.claims) {
    for (const target of c.answers) push(r.answeredBy, target, c);
    for (const p of c.places) {
      const key = compact(p);
      if (!key) continue;
      push(r.byPlace, key, c);
      if (!r.placeNames.has(key)) r.placeNames.set(key, p);
    }
  }
  for (const d of view.data.disagreements) for (const id of d.claimIds) push(r.disagreements, id, d);
  cache.set(view, r);
  return r;
}

function push<T>(m: Map<string, T[]>, k: string, v: T) {
  const l = m.get(k);
  if (l) {
    if (!l.includes(v)) l.push(v);
  } else m.set(k, [v]);
}
