/**
 * lookup and sources over the bundled dataset: multilingual and fuzzy queries, ranking, statuses,
 * numbered citations whose quotes come from the cited source, and clear answers to bad queries.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allCommands } from '../../../commands/index.ts';
import { Dataset } from '../../../src/core/dataset/dataset.schema.ts';
import { DatasetView } from '../../../src/core/dataset/dataset.view.ts';
import { Lantern } from '../../../src/core/lantern.ts';
import type { Reply } from '../../../src/core/reply.ts';
import { bundledDatasetPath } from '../../../src/db/dataset-store.ts';
import { contextFor, memoryDeps } from '../../support/memory.ts';
import { textOf } from '../../support/intake-driver.ts';

const dataset = Dataset.parse(JSON.parse(readFileSync(bundledDatasetPath, 'utf8')));
const view = new DatasetView(dataset);
const { deps } = memoryDeps(dataset);
const lantern = new Lantern(allCommands);
const ask = (place: string, locale: 'en' | 'zh-Hans' | 'zh-Hant' = 'en') =>
  lantern.command('lookup', { place }, contextFor(deps, { locale, chat: 'public' }));
/** Every page of an answer, following its "More" choice (the first answer is one message; the rest is one choice away). */
async function allPages(first: Reply, locale: 'en' | 'zh-Hans' | 'zh-Hant' = 'en'): Promise<Reply[]> {
  const pages = [first];
  for (let r = first; pages.length < 30;) {
    const more = r.choices?.find((c) => /#\d+$/.test(c.id));
    if (!more) break;
    r = await lantern.choice(more.id, contextFor(deps, { locale, chat: 'public' }));
    pages.push(r);
  }
  return pages;
}
/** The answer's items over all its pages. */
const askAll = async (place: string, locale: 'en' | 'zh-Hans' | 'zh-Hant' = 'en') =>
  (await allPages(await ask(place, locale), locale)).flatMap((r) => items(r));
const items = (r: Reply) => r.blocks.filter((b): b is Extract<Reply['blocks'][number], { type: 'item' }> => b.type === 'item');
const stationTitles = (r: Reply) => items(r).map((i) => i.title);
const stationsFor = (pred: (s: Dataset['stations'][number]) => boolean) => dataset.stations.filter(pred);

describe('lookup', () => {
  describe('finds a city in every way people write it', () => {
    const newYork = stationsFor((s) => s.city.en === 'New York')[0]!;
    for (const q of ['New York', 'new york', 'new yrok', '纽约', '紐約', 'Niuyue', 'niu yue', 'NYC']) {
      it(`"${q}" → New York`, async () => {
        const r = await ask(q);
        expect(r.kind).toBe('answer');
        expect(stationTitles(r)[0]).toBe(newYork.name.en);
      });
    }
  });

  it('answers "Prato" and "普拉托" with the Prato station', async () => {
    for (const q of ['Prato', '普拉托']) expect(stationTitles(await ask(q)).some((t) => t.includes('Prato'))).toBe(true);
  });

  it('groups the three identical Toronto entries as one: "3 reported stations in Toronto"', async () => {
    const r = await ask('Toronto');
    const toronto = stationsFor((s) => s.city.en === 'Toronto');
    expect(toronto).toHaveLength(3);
    expect(stationTitles(r).filter((t) => t === '3 reported stations in Toronto')).toHaveLength(1);
    for (const s of toronto) expect(stationTitles(r)).not.toContain(s.name.en);
    // Each station's report is still cited (one source and quote: one citation).
    const cited = new Set(r.citations.map((c) => view.claims.get(c.claimId)!.quote));
    for (const s of toronto) expect(cited.has(view.claims.get(s.statuses[0]!.claimId)!.quote)).toBe(true);
  });

  it('lists the country’s stations for "Italy" and "意大利"', async () => {
    const italian = stationsFor((s) => s.countryCode === 'IT');
    expect(italian.length).toBeGreaterThanOrEqual(3);
    for (const q of ['Italy', '意大利']) {
      const titles = (await askAll(q, q === 'Italy' ? 'en' : 'zh-Hans')).map((i) => i.title);
      for (const s of italian) expect(titles).toContain(q === 'Italy' ? s.name.en : s.name['zh-Hans']);
    }
  });

  it('shows Amsterdam and Rotterdam as under investigation for "Netherlands"', async () => {
    const pages = await allPages(await ask('Netherlands'));
    const text = pages.map(textOf).join('\n');
    const dutch = stationsFor((s) => s.countryCode === 'NL');
    expect(dutch.map((s) => s.city.en).sort()).toEqual(['Amsterdam', 'Rotterdam']);
    for (const s of dutch) {
      const item = pages.flatMap(items).find((i) => i.title === s.name.en)!;
      expect(item.lines.some((l) => l.text.includes('under investigation'))).toBe(true);
    }
    expect(text).toMatch(/Dutch|Netherlands/);
  });

  it('numbers every statement and cites a source with its verbatim quote', async () => {
    const r = await ask('New York');
    expect(r.citations.length).toBeGreaterThan(1);
    r.citations.forEach((c, i) => {
      expect(c.n).toBe(i + 1);
      const claim = view.claims.get(c.claimId)!;
      expect(c.quote).toBe(claim.quote);
      expect(c.sourceId).toBe(claim.sourceId);
      expect(c.publisher).toBe(view.sources.get(c.sourceId)!.publisher);
    });
    const used = new Set(items(r).flatMap((i) => i.lines.flatMap((l) => l.cites ?? [])));
    const inText = new Set([...textOf(r).matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])));
    for (const c of r.citations) expect(used.has(c.n) || inText.has(c.n)).toBe(true);
  });

  it('shows New York as prosecuted after the DOJ arrests, with its history', async () => {
    const r = await ask('New York');
    const item = items(r)[0]!;
    expect(item.lines.find((l) => l.text.startsWith('Status:'))!.text).toContain('prosecuted');
    expect(item.lines.some((l) => l.text.startsWith('History:') && l.text.includes('reported'))).toBe(true);
  });

  it('needs every word of a multi-word name: "United States" is not London', async () => {
    const titles = (await askAll('United States')).map((i) => i.title);
    expect(titles).toContain('New York');
    expect(titles).not.toContain('London');
  });

  it('finds the telling word of a sentence-like query ("Stations in Italy")', async () => {
    const titles = (await askAll('Stations in Italy')).map((i) => i.title);
    for (const s of stationsFor((x) => x.countryCode === 'IT')) expect(titles).toContain(s.name.en);
    expect(titles.some((t) => t.includes('Ireland'))).toBe(false);
  });

  it('lists the Paris-suburb station with Paris', async () => {
    const titles = (await askAll('Paris')).map((i) => i.title);
    expect(titles[0]).toBe('Paris');
    expect(titles.some((t) => /suburb/i.test(t))).toBe(true);
  });

  it('shows the cited context of a country with no reported station ("Serbia")', async () => {
    const r = await ask('Serbia');
    expect(r.kind).toBe('answer');
    expect(r.citations.length).toBeGreaterThan(0);
    expect(textOf(r)).toContain('no station');
  });

  it('puts official responses beside the allegations', async () => {
    const r = await ask('Prato');
    expect(items(r).some((i) => i.title === 'What Chinese officials said')).toBe(true);
  });

  it('answers in Traditional Chinese when asked to', async () => {
    const r = await ask('紐約', 'zh-Hant');
    expect(textOf(r)).toContain('狀態');
    expect((r.blocks[0] as { text: string }).text).toContain('海外警務服務站');
  });

  describe('bad queries', () => {
    it('says so and suggests close names when nothing matches', async () => {
      const r = await ask('Torontoooo Cityxx');
      expect(r.code).toBe('LOOKUP.NOT_FOUND');
      expect(textOf(r)).toMatch(/No reported station matches/);
    });

    it('suggests a close name for a misspelling too far off', async () => {
      const r = await ask('Stokholmm');
      if (r.kind === 'error') expect(textOf(r)).toContain('Stockholm');
      else expect(stationTitles(r).some((t) => t.includes('Stockholm'))).toBe(true);
    });

    it('asks for a place when the query is empty', async () => {
      const r = await ask('   ');
      expect(r.code).toBe('INPUT.EMPTY');
      expect(textOf(r)).toContain('/lookup Prato');
    });

    it('refuses a query hiding an invisible character, as it refuses one in a report', async () => {
      const r = await ask('Pra\u200Bto');
      expect(r.code).toBe('INPUT.CONTROL_CHARS');
      expect(textOf(r)).toMatch(/invisible control characters/);
      expect(stationTitles(await ask('Prato')).some((t) => t.includes('Prato'))).toBe(true);
    });

    it('refuses a 500-character query with the limit', async () => {
      const r = await ask('x'.repeat(500));
      expect(r.code).toBe('INPUT.TOO_LONG');
      expect(textOf(r)).toContain('100');
    });
  });
});

describe('sources', () => {
  it('lists every source with publisher, title, date and link or "unknown"', async () => {
    const r = await lantern.command('sources', {}, contextFor(deps));
    const text = textOf(r);
    for (const s of dataset.sources) {
      expect(text).toContain(s.title);
      expect(text).toContain(s.publisher);
    }
    expect(text).toContain('Link: unknown');
    expect(text).toContain('Link: https://amac.us/');
  });

  it('gives the quotes behind one place', async () => {
    const r = await lantern.command('sources', { station: 'Rotterdam' }, contextFor(deps));
    expect(r.kind).toBe('answer');
    expect(r.citations.length).toBeGreaterThan(0);
    expect(r.citations.every((c) => c.quote.length > 0)).toBe(true);
  });

  it('says when the place is unknown', async () => {
    // (Atlantis is a real town in the gazetteer now: this name is no place at all.)
    expect((await lantern.command('sources', { station: 'Xqzvwpt' }, contextFor(deps))).code).toBe('SOURCES.NOT_FOUND');
  });
});

describe('nearest', () => {
  it('lists the closest stations to a point in Florence first as Prato', () => {
    const r = lantern.nearest(43.77, 11.25, contextFor(deps));
    expect(items(r)[0]!.title).toContain('Prato');
    expect(r.private).toBe(true);
  });

  it('refuses impossible coordinates', () => {
    expect(lantern.nearest(123, 0, contextFor(deps)).code).toBe('INPUT.INVALID');
  });
});

describe('answers kept between people', () => {
  it('give each asker the same answer, which no asker can change for the next', async () => {
    const first = await ask('New York');
    first.blocks.push({ type: 'text', text: 'ADDED BY ONE CALLER' });
    first.choices?.push({ id: 'x', label: 'ADDED' });
    const second = await ask('New York');
    expect(textOf(second)).not.toContain('ADDED');
    expect(textOf(second)).toContain('New York');
    expect(textOf(await ask('New York', 'zh-Hans'))).toContain('纽约'); // kept per language
  });

  it('follow a new dataset at once (an import or a newer bundled version)', async () => {
    const renamed = {
      ...dataset,
      stations: dataset.stations.map((s) => (s.city.en === 'New York' ? { ...s, name: { ...s.name, en: 'RENAMED STATION' } } : s)),
    };
    const before = await ask('New York');
    const next = memoryDeps(renamed).deps;
    const after = await lantern.command('lookup', { place: 'New York' }, contextFor(next, { locale: 'en', chat: 'public' }));
    expect(textOf(before)).not.toContain('RENAMED STATION');
    expect(textOf(after)).toContain('RENAMED STATION');
  });
});
