/**
 * In-memory multilingual search over stations and countries: exact names, words, pinyin and
 * typos ("new yrok"). Built once from the dataset (and rebuilt after an import); a query costs
 * a few map look-ups plus an edit distance over the few candidates that share letter pairs.
 */
import type { CountryRecord, StationRecord } from '../dataset/dataset.schema.ts';
import { compact, editDistance, hasHan, normalize } from './normalize.ts';

/** What a search key points at. */
type Target = { kind: 'station'; station: number } | { kind: 'country'; country: number };

interface Key {
  compact: string;
  display: string;
  target: Target;
}

/** A ranked search hit. */
export interface Hit {
  station: StationRecord;
  score: number;
  /** "name", "city", "country", "fuzzy" */
  via: 'station' | 'country' | 'fuzzy';
}

/** The searchable index of the dataset's stations and countries. */
export class SearchIndex {
  private readonly keys: Key[] = [];
  private readonly exact = new Map<string, number[]>();
  private readonly words = new Map<string, number[]>();
  /** letter pair → ids of the distinct compact texts holding it (texts, not keys: a name in three scripts is one text) */
  private readonly bigrams = new Map<string, number[]>();
  private readonly texts: string[] = [];
  private readonly textKeys: number[][] = [];
  private readonly textId = new Map<string, number>();
  private readonly stationsByCountry = new Map<string, number[]>();
  /** each station's place in the order of equal scores (country, then name), computed once: a sort then compares numbers */
  private readonly rank = new Map<StationRecord, number>();
  /** key ids sorted by compact text, for prefix search */
  private sorted: number[] = [];

  constructor(
    readonly stations: readonly StationRecord[],
    readonly countries: readonly CountryRecord[],
  ) {
    stations.forEach((s, i) => {
      const target: Target = { kind: 'station', station: i };
      const names = [
        s.name.en,
        s.name['zh-Hans'],
        s.name['zh-Hant'],
        s.city.en,
        s.city['zh-Hans'],
        s.city['zh-Hant'],
        ...s.aliases.filter((a) => a.kind !== 'pinyin').map((a) => a.alias),
      ];
      for (const n of names) this.addKey(n, n, target);
      // Spaced pinyin ("Bu La Ge") is one name, not words: its syllable "la" must not find Prague for
      // "LA". The joined pinyin of the city is among them (derived when the dataset is stored).
      for (const a of s.aliases) if (a.kind === 'pinyin') this.addKey(a.alias, s.city.en, target, false);
      const list = this.stationsByCountry.get(s.countryCode) ?? [];
      list.push(i);
      this.stationsByCountry.set(s.countryCode, list);
    });
    countries.forEach((c, i) => {
      const target: Target = { kind: 'country', country: i };
      // Spaced pinyin aliases ("Xi La") are names, not words (see above); the joined one is derived.
      for (const n of [c.name.en, c.name['zh-Hans'], c.name['zh-Hant'], c.code]) this.addKey(n, c.name.en, target);
      for (const n of c.aliases) this.addKey(n, c.name.en, target, !isSpacedPinyin(n));
    });
    const order = [...stations].sort((a, b) => a.countryCode.localeCompare(b.countryCode) || a.name.en.localeCompare(b.name.en));
    order.forEach((st, i) => this.rank.set(st, i));
    this.sorted = this.keys
      .map((_, i) => i)
      .sort((a, b) => (this.keys[a]!.compact < this.keys[b]!.compact ? -1 : this.keys[a]!.compact > this.keys[b]!.compact ? 1 : 0));
  }

  /** Ids of keys starting with q (at most `max`). */
  private prefixed(q: string, max = 200): number[] {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[this.sorted[mid]!]!.compact < q) lo = mid + 1;
      else hi = mid;
    }
    const out: number[] = [];
    for (let i = lo; i < this.sorted.length && out.length < max; i++) {
      const id = this.sorted[i]!;
      if (!this.keys[id]!.compact.startsWith(q)) break;
      out.push(id);
    }
    return out;
  }

  private addKey(text: string, display: string, target: Target, words = true) {
    const c = compact(text);
    if (!c) return;
    const id = this.keys.length;
    this.keys.push({ compact: c, display, target });
    push(this.exact, c, id);
    const wordList = normalize(text).split(' ');
    if (wordList.length > 1 && words) for (const w of wordList) if (w.length > 1) push(this.words, w, id);
    let t = this.textId.get(c);
    if (t === undefined) {
      t = this.texts.push(c) - 1;
      this.textId.set(c, t);
      this.textKeys.push([]);
      for (const g of bigramsOf(c)) push(this.bigrams, g, t);
    }
    this.textKeys[t]!.push(id);
  }

  /**
   * Stations matching the query, best first. `typos: false` leaves out the edit-distance pass (the
   * costly part at 10,000 stations): the resolver asks for typos only once nothing else answered.
   */
  search(query: string, limit = 50, opts: { typos?: boolean } = {}): Hit[] {
    const q = compact(query);
    if (!q) return [];
    const scores = new Map<number, { score: number; via: Hit['via'] }>();
    // A country has several keys (three scripts, code, aliases): its stations are awarded once per score.
    const awarded = new Set<string>();
    const award = (keyIds: readonly number[] | undefined, score: number, via: Hit['via']) => {
      for (const k of keyIds ?? []) {
        const target = this.keys[k]!.target;
        const once = `${target.kind === 'country' ? `c${target.country}` : `s${target.station}`}:${score}`;
        if (awarded.has(once)) continue;
        awarded.add(once);
        for (const s of this.stationsOf(target)) {
          const cur = scores.get(s);
          const v: Hit['via'] = this.keys[k]!.target.kind === 'country' && via !== 'fuzzy' ? 'country' : via;
          if (!cur || cur.score < score) scores.set(s, { score, via: v });
        }
      }
    };
    award(this.exact.get(q), 100, 'station');
    // Names holding every word of the query ("paris" in "Paris suburb", "new york" in "New York City")…
    const qWords = [
      ...new Set(
        normalize(query)
          .split(' ')
          .filter((w) => w.length > 1),
      ),
    ];
    if (qWords.length)
      award(
        [...qWords.map((w) => new Set(this.words.get(w) ?? [])).reduce((a, b) => new Set([...a].filter((k) => b.has(k))))],
        80,
        'station',
      );
    // …else any telling word of it ("stations in italy").
    if (scores.size === 0 && qWords.length > 1)
      for (const w of qWords) if (!STOPWORDS.has(w)) for (const m of [this.exact.get(w), this.words.get(w)]) award(m, 55, 'station');
    if (scores.size === 0 && q.length >= 2) award(this.prefixed(q), 70, 'station');
    if (scores.size === 0 && opts.typos !== false) {
      for (const { key, distance } of this.fuzzy(q, maxTypos(q))) award([key], 60 - 10 * distance, 'fuzzy');
    }
    return [...scores.entries()]
      .map(([i, v]) => ({ station: this.stations[i]!, score: v.score, via: v.via }))
      .sort((a, b) => b.score - a.score || this.rank.get(a.station)! - this.rank.get(b.station)!)
      .slice(0, limit);
  }

  /** Countries whose name (in any language or alias) is exactly the query, or (unless `typos: false`) within a typo. */
  countriesFor(query: string, opts: { typos?: boolean } = {}): CountryRecord[] {
    const q = compact(query);
    const found = new Set<number>();
    const keys = this.exact.get(q) ?? (opts.typos === false ? [] : this.fuzzy(q, maxTypos(q)).map((f) => f.key));
    for (const k of keys) {
      const target = this.keys[k]!.target;
      if (target.kind === 'country') found.add(target.country);
    }
    return [...found].map((i) => this.countries[i]!);
  }

  /** Close names to offer when nothing matched: only really close ones (Japan is not Spain, Berlin not Ireland). */
  suggest(query: string, limit = 3): string[] {
    const q = compact(query);
    const out = new Set<string>();
    // At most one edit in four letters, and never more than the search itself would forgive plus one.
    const max = Math.min(maxTypos(q) + 1, Math.floor(q.length / 4));
    for (const { key } of this.fuzzy(q, max, 200)) {
      out.add(this.keys[key]!.display);
      if (out.size >= limit) break;
    }
    return [...out];
  }

  private stationsOf(t: Target): readonly number[] {
    return t.kind === 'station' ? [t.station] : (this.stationsByCountry.get(this.countries[t.country]!.code) ?? []);
  }

  /** Keys within `max` edits of q, nearest first; candidates are texts sharing letter pairs with q. */
  private fuzzy(q: string, max: number, candidates = 64): { key: number; distance: number }[] {
    if (!q || max < 1) return [];
    const grams = [...bigramsOf(q)];
    // One edit changes at most three letter pairs, so a text within `max` edits shares at least this many…
    const least = Math.max(1, grams.length - 3 * max);
    // …and so holds one of the query's (n - least + 1) rarest pairs: only those lists are walked.
    const lists = grams.map((g) => this.bigrams.get(g) ?? []).sort((a, b) => a.length - b.length);
    const seen = new Set<number>();
    const ranked: [number, number][] = [];
    for (const list of lists.slice(0, grams.length - least + 1))
      for (const t of list) {
        const text = this.texts[t]!;
        // An edit changes the length by at most one.
        if (seen.has(t) || Math.abs(text.length - q.length) > max) continue;
        seen.add(t);
        const n = grams.reduce((c, g) => (text.includes(g) ? c + 1 : c), 0);
        if (n >= least) ranked.push([t, n]);
      }
    const top = ranked.sort((a, b) => b[1] - a[1]).slice(0, candidates);
    const out: { key: number; distance: number }[] = [];
    for (const [t] of top) {
      const d = editDistance(q, this.texts[t]!, max);
      if (d <= max) for (const key of this.textKeys[t]!) out.push({ key, distance: d });
    }
    return out.sort((a, b) => a.distance - b.distance);
  }
}

/** Words too common in names to find a place by on their own. */
const STOPWORDS = new Set([
  'the',
  'of',
  'in',
  'at',
  'near',
  'city',
  'station',
  'stations',
  'police',
  'de',
  'la',
  'le',
  'san',
  'new',
  'not',
  'named',
  'location',
  'reported',
]);

/** "Xi La", "Bu Da Pei Si": capitalised syllables of one or two letters plus a vowel. */
function isSpacedPinyin(s: string): boolean {
  return (
    /^([A-Z][a-z]{0,5})( [A-Z][a-z]{0,5})+$/.test(s) && s.split(' ').every((w) => /^[A-Z]?[a-z]*[aeiouv][a-z]*$/i.test(w) && w.length <= 6)
  );
}

function maxTypos(q: string): number {
  if (hasHan(q)) return q.length >= 3 ? 1 : 0;
  return q.length < 4 ? 0 : q.length < 8 ? 1 : 2;
}

function bigramsOf(s: string): Set<string> {
  const out = new Set<string>();
  if (s.length === 1) out.add(s);
  for (let i = 0; i < s.length - 1; i++) out.add(s.slice(i, i + 2));
  return out;
}

function push(map: Map<string, number[]>, key: string, id: number) {
  const list = map.get(key);
  if (list) list.push(id);
  else map.set(key, [id]);
}
