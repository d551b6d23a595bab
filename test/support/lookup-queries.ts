/**
 * Realistic lookup queries, as people type them, with what the first answer must say (English
 * interface, over `lookupFixture()`): places named only in claims, suburbs, cities without a
 * station, Chinese phrasings, mixed scripts, abbreviations, typos. Shared by the core and the
 * three adapters' tests, each of which must answer ≥ 95% of them.
 */
export interface QueryCase {
  q: string;
  kind: 'claims-only' | 'suburb' | 'no-station' | 'chinese' | 'mixed' | 'abbreviation' | 'typo' | 'station' | 'country';
  /** every one must appear in the first answer's text */
  has: string[];
  /** none may appear */
  not?: string[];
}

const nearest = (place: string, city: string): string[] => [`No station is reported in ${place}`, `The nearest reported: ${city}`];

export const QUERIES: QueryCase[] = [
  { q: 'Milan', kind: 'claims-only', has: ['no station entry for “Milan”', 'joint patrols'] },
  { q: 'Naples', kind: 'claims-only', has: ['no station entry for “Naples”', 'joint patrols'] },
  { q: 'Belgrade', kind: 'claims-only', has: ['no station entry for “Belgrade”', 'Belgrade'] },
  { q: 'Zagreb', kind: 'claims-only', has: ['no station entry for “Zagreb”', 'Zagreb'] },
  { q: 'Cape Town', kind: 'claims-only', has: ['no station entry for “Cape Town”', 'consulate'] },
  { q: 'Florence', kind: 'claims-only', has: ['Prato', 'near Florence'] },
  { q: 'Romania', kind: 'claims-only', has: ['no station entry for “Romania”', 'Romania'] },
  { q: 'Markham', kind: 'suburb', has: nearest('Markham', 'Toronto, 26 km') },
  { q: 'Mississauga', kind: 'suburb', has: nearest('Mississauga', 'Toronto') },
  { q: 'Brooklyn', kind: 'suburb', has: nearest('Brooklyn', 'New York') },
  { q: 'Queens', kind: 'suburb', has: nearest('Queens', 'New York') },
  { q: 'Markham, Canada', kind: 'suburb', has: nearest('Markham', 'Toronto') },
  { q: 'Vancouver', kind: 'no-station', has: nearest('Vancouver', 'Los Angeles') },
  { q: 'Berlin', kind: 'no-station', has: nearest('Berlin', 'Prague'), not: ['Ireland', 'Serbia'] },
  { q: 'Munich', kind: 'no-station', has: nearest('Munich', 'Prague') },
  { q: 'Lyon', kind: 'no-station', has: ['The sources name no station in Lyon', 'The nearest reported: Paris', 'without saying where'] },
  { q: 'Milton Keynes', kind: 'no-station', has: nearest('Milton Keynes', 'London') },
  { q: 'San Francisco', kind: 'no-station', has: nearest('San Francisco', 'Los Angeles') },
  { q: 'Barcelona', kind: 'no-station', has: nearest('Barcelona', 'Madrid') },
  { q: 'Dublin', kind: 'no-station', has: ['The sources name no station in Dublin', 'without saying where'] },
  { q: 'Japan', kind: 'no-station', has: ['No station is reported in Japan'], not: ['Spain'] },
  { q: 'Australia', kind: 'no-station', has: ['No station is reported in Australia'] },
  { q: '纽约警察站', kind: 'chinese', has: ['New York', 'Status'] },
  { q: '紐約的警察站', kind: 'chinese', has: ['New York', 'Status'] },
  { q: '在多伦多的警务站', kind: 'chinese', has: ['3 reported stations in Toronto'] },
  { q: '伦敦的警察站', kind: 'chinese', has: ['London', 'Status'] },
  { q: '罗马有警察站吗', kind: 'chinese', has: ['Rome', 'Status'] },
  { q: '布拉格警務站', kind: 'chinese', has: ['Prague', 'Status'] },
  { q: '荷兰的海外警察服务站', kind: 'chinese', has: ['Amsterdam'] },
  { q: '紐约', kind: 'mixed', has: ['New York', 'Status'] },
  { q: '罗馬', kind: 'mixed', has: ['Rome', 'Status'] },
  { q: '洛杉磯', kind: 'mixed', has: ['Los Angeles'] },
  { q: '多倫多', kind: 'mixed', has: ['3 reported stations in Toronto'] },
  { q: '斯德哥爾摩', kind: 'mixed', has: ['Stockholm'] },
  { q: '紐约的警察站', kind: 'mixed', has: ['New York', 'Status'] },
  { q: 'LA', kind: 'abbreviation', has: ['Los Angeles'], not: ['Prague', 'Athens', 'Prato'] },
  { q: 'L.A.', kind: 'abbreviation', has: ['Los Angeles'], not: ['Prague'] },
  { q: 'NYC', kind: 'abbreviation', has: ['New York'] },
  { q: 'UK', kind: 'abbreviation', has: ['London'] },
  { q: 'USA', kind: 'abbreviation', has: ['New York'] },
  { q: 'new yrok', kind: 'typo', has: ['New York'] },
  { q: 'Tornto', kind: 'typo', has: ['Toronto'] },
  { q: 'Stokholm', kind: 'typo', has: ['Stockholm'] },
  { q: 'police stations in Toronto', kind: 'station', has: ['3 reported stations in Toronto'] },
  { q: 'Prato', kind: 'station', has: ['Prato', 'Status'] },
  { q: 'Frankfurt am Main', kind: 'station', has: ['Frankfurt'] },
  { q: 'Netherlands', kind: 'country', has: ['Amsterdam', 'under investigation'] },
  { q: 'Serbia', kind: 'country', has: ['no station', 'Belgrade'] },
];

/** The cases a dataset without stored claim places can answer (the adapters' stores keep `places` once the dataset work lands). */
export const ON_BUNDLED = (): QueryCase[] => QUERIES.filter((c) => c.kind !== 'claims-only');

/** The share of cases whose text passes, and the failures. */
export function score(answers: Map<string, string>, cases: readonly QueryCase[] = QUERIES): { rate: number; failures: string[] } {
  const failures: string[] = [];
  for (const c of cases) {
    const text = answers.get(c.q) ?? '';
    const missing = c.has.filter((h) => !text.includes(h));
    const present = (c.not ?? []).filter((n) => text.includes(n));
    if (missing.length || present.length) failures.push(`${c.q}: missing ${JSON.stringify(missing)} present ${JSON.stringify(present)}`);
  }
  return { rate: 1 - failures.length / cases.length, failures };
}
