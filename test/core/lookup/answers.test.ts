/**
 * Concise, complete answers (#12 items 4–5) over the bundled dataset plus the fixture's places,
 * answers and disagreement: every first answer (and every later page) fits one message on all
 * three platforms as their real renderers print it; each source+quote once; identical stations
 * grouped; one testimony once; denials beside what they answer, rebuttals beside the denials;
 * disagreements wherever either side is shown; every speaker shown; the realistic query suite.
 */
import { describe, expect, it } from 'vitest';
import { allCommands } from '../../../commands/index.ts';
import { renderText } from '../../../src/adapters/console/render.ts';
import { renderReply } from '../../../src/adapters/discord/render.ts';
import { CALLBACK_DATA_MAX_BYTES, renderMessages } from '../../../src/adapters/telegram/render.ts';
import { DatasetView } from '../../../src/core/dataset/dataset.view.ts';
import type { Locale } from '../../../src/core/i18n/locales.ts';
import { Lantern } from '../../../src/core/lantern.ts';
import { MESSAGE_MAX } from '../../../src/core/lookup/pages.ts';
import type { Reply } from '../../../src/core/reply.ts';
import { textOf } from '../../support/intake-driver.ts';
import { lookupFixture } from '../../support/lookup-fixture.ts';
import { QUERIES, score } from '../../support/lookup-queries.ts';
import { contextFor, memoryDeps } from '../../support/memory.ts';

const dataset = lookupFixture();
const view = new DatasetView(dataset);
const { deps } = memoryDeps(dataset);
const lantern = new Lantern(allCommands);
const ctx = (locale: Locale = 'en') => contextFor(deps, { locale, chat: 'public' });
const ask = (place: string, locale: Locale = 'en') => lantern.command('lookup', { place }, ctx(locale));
const items = (r: Reply) => r.blocks.flatMap((b) => (b.type === 'item' ? [b] : []));
const lines = (r: Reply) => items(r).flatMap((i) => i.lines);

/** The answer and every page after it, following "More". */
async function pages(first: Reply, locale: Locale = 'en'): Promise<Reply[]> {
  const out = [first];
  for (let r = first; out.length < 40;) {
    const more = r.choices?.find((c) => /#\d+$/.test(c.id));
    if (!more) break;
    r = await lantern.choice(more.id, ctx(locale));
    out.push(r);
  }
  return out;
}

/** What each platform's renderer shows, measured as the person sees it. */
function rendered(r: Reply, locale: Locale) {
  const telegram = renderMessages(r, locale);
  const visible = (html: string) =>
    html
      .replace(/<[^>]+>/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
  const discord = renderReply(r, locale);
  const embedChars = discord.flatMap((m) => m.embeds).reduce((n, e) => n + (e.title?.length ?? 0) + (e.description?.length ?? 0), 0);
  return {
    console: renderText(r, locale).length,
    telegramMessages: telegram.length,
    telegram: visible(telegram.join('')).length,
    discordMessages: discord.length,
    discord: embedChars,
  };
}

/** Every place a person could name from the dataset: stations, cities, aliases, countries, places in claims, topics. */
function everyPlace(): string[] {
  const names = new Set<string>();
  for (const s of dataset.stations)
    for (const n of [
      s.name.en,
      s.name['zh-Hans'],
      s.name['zh-Hant'],
      s.city.en,
      s.city['zh-Hans'],
      s.city['zh-Hant'],
      ...s.aliases.map((a) => a.alias),
    ])
      names.add(n);
  for (const c of dataset.countries) for (const n of [c.name.en, c.name['zh-Hans'], c.name['zh-Hant'], ...c.aliases]) names.add(n);
  for (const c of dataset.claims) for (const p of c.places) names.add(p);
  for (const t of dataset.topics) for (const n of [t.name.en, t.name['zh-Hans'], t.name['zh-Hant'], ...t.aliases]) names.add(n);
  return [...names];
}

describe('concise answers', () => {
  const places = everyPlace();
  const locales: Locale[] = ['en', 'zh-Hans', 'zh-Hant'];

  it('fits every first answer and every page of /lookup and /sources in one message of ≤ 2,000 characters on every platform', async () => {
    expect(places.length).toBeGreaterThan(100);
    expect(places).toContain('Milan');
    let checked = 0;
    let longest = 0;
    for (const locale of locales)
      for (const [command, option] of [
        ['lookup', 'place'],
        ['sources', 'station'],
      ] as const)
        for (const place of [...places, ...(command === 'sources' ? [undefined] : [])]) {
          const first = await lantern.command(command, place === undefined ? {} : { [option]: place }, ctx(locale));
          // Every page in English; the first answers in Chinese (the pages' layout is the same code).
          for (const r of locale === 'en' || place === undefined ? await pages(first, locale) : [first]) {
            const m = rendered(r, locale);
            const where = `${locale} /${command} ${place ?? ''}`;
            expect(m.telegramMessages, where).toBe(1);
            expect(m.discordMessages, where).toBe(1);
            for (const n of [m.console, m.telegram, m.discord]) expect(n, where).toBeLessThanOrEqual(MESSAGE_MAX);
            longest = Math.max(longest, m.console, m.telegram, m.discord);
            checked++;
          }
        }
    expect(checked).toBeGreaterThan(places.length * 6);
    // Pages are full, not needlessly cut short.
    expect(longest).toBeGreaterThan(1500);
  }, 180_000);

  it('prints each source and quote once per answer, however many statements cite it', async () => {
    for (const q of [...places.slice(0, 60), 'Italy', 'United States']) {
      for (const r of await pages(await ask(q))) {
        const keys = r.citations.map((c) => `${c.sourceId}|${c.quote}`);
        expect(new Set(keys).size, q).toBe(keys.length);
      }
    }
    // The one FISM sentence behind the Toronto and New York reports is one citation in /sources.
    const all = await pages(await lantern.command('sources', {}, ctx()));
    const majority = dataset.claims.filter((c) => c.quote.startsWith('The majority of police stations'));
    expect(majority.length).toBeGreaterThan(1);
    for (const r of all) expect(r.citations.filter((c) => c.quote === majority[0]!.quote).length).toBeLessThanOrEqual(1);
  });

  it('offers the rest one choice away: "More" and "All sources", within Telegram’s 64 bytes, leading to new content', async () => {
    for (const q of ['New York', '紐約的警察站', 'Italy']) {
      const first = await ask(q);
      const ids = first.choices!.map((c) => c.id);
      expect(ids.some((id) => id.startsWith('lookup:') && id.endsWith('#2'))).toBe(true);
      expect(ids.some((id) => id.startsWith('sources:'))).toBe(true);
      for (const id of ids) expect(Buffer.byteLength(id, 'utf8')).toBeLessThanOrEqual(CALLBACK_DATA_MAX_BYTES);
      const second = await lantern.choice(ids[0]!, ctx());
      expect(second.kind).toBe('answer');
      const seen = new Set(lines(first).map((l) => l.text));
      expect(lines(second).some((l) => !seen.has(l.text))).toBe(true);
    }
  });

  it('shows every claim about a place across the pages of its answer', async () => {
    for (const s of dataset.stations) {
      const all = (await pages(await ask(s.city.en)))
        .flatMap(lines)
        .map((l) => l.text)
        .join('\n');
      for (const c of view.claimsByStation.get(s.id) ?? []) expect(all, c.id).toContain(c.text.en);
    }
  });

  it('shows Wray’s one testimony once, citing both sources that report it', async () => {
    const all = (await pages(await ask('United States'))).flatMap(lines);
    const wray = all.filter((l) => l.text.includes('Christopher Wray'));
    expect(wray).toHaveLength(1);
    expect(wray[0]!.cites).toHaveLength(2);
  });
});

describe('denials, rebuttals, disagreements and speakers', () => {
  it('puts a denial beside the claim it answers and the rebuttal beside the denial', async () => {
    const all = await pages(await ask('Prato'));
    const r = all.find((p) => lines(p).some((l) => l.text === view.claims.get('it-prato-report')!.text.en))!;
    const ls = lines(r).map((l) => l.text);
    const report = ls.findIndex((l) => l === view.claims.get('it-prato-report')!.text.en);
    const denial = ls.findIndex((l) => l.includes(view.claims.get('cn-volunteers')!.text.en));
    const rebuttal = ls.findIndex((l) => l.includes(view.claims.get('sd-pp-135-hired-21-posts')!.text.en));
    expect(report).toBeGreaterThanOrEqual(0);
    expect(denial).toBe(report + 1);
    expect(ls[denial]).toMatch(/^↳ In response: /);
    expect(rebuttal).toBe(denial + 1);
    expect(ls[rebuttal]).toMatch(/^↳ Against this/);
    // Beside the claim, so not again among the general responses.
    expect(all.flatMap(lines).filter((l) => l.text.includes(view.claims.get('cn-volunteers')!.text.en))).toHaveLength(1);
  });

  it('says "Sources disagree: …" wherever either side is shown', async () => {
    for (const q of ['Amsterdam', 'Netherlands']) {
      const all = (await pages(await ask(q))).flatMap(lines).map((l) => l.text);
      expect(all.filter((l) => l.startsWith('Sources disagree: the Dutch government describes')).length, q).toBeGreaterThanOrEqual(1);
    }
    // Not where neither side is shown.
    expect((await pages(await ask('Prato'))).flatMap(lines).some((l) => l.text.startsWith('Sources disagree'))).toBe(false);
  });

  it('shows the speaker of every quoted statement', async () => {
    const withSpeaker = dataset.claims.filter((c) => c.speaker);
    expect(withSpeaker.length).toBeGreaterThan(5);
    let shown = 0;
    for (const q of ['United States', 'Netherlands', 'Italy', 'Croatia', 'South Africa', 'Prato']) {
      for (const r of await pages(await ask(q)))
        for (const l of lines(r)) {
          const c = withSpeaker.find((x) => l.text.includes(x.text.en));
          if (!c) continue;
          shown++;
          expect(l.text.toLowerCase(), c.id).toContain(c.speaker!.toLowerCase().slice(0, 12));
        }
    }
    for (const r of await pages(await lantern.command('sources', {}, ctx())))
      for (const l of lines(r)) {
        const c = withSpeaker.find((x) => l.text.includes(x.text.en));
        if (c) expect(l.text.toLowerCase(), c.id).toContain(c.speaker!.toLowerCase().slice(0, 12));
      }
    expect(shown).toBeGreaterThan(5);
  });
});

describe('any place a person names', () => {
  it(`answers the realistic query suite (${QUERIES.length} queries) at ≥ 95%`, async () => {
    const answers = new Map<string, string>();
    for (const c of QUERIES) answers.set(c.q, renderText(await ask(c.q), 'en'));
    const { rate, failures } = score(answers);
    expect(failures, failures.join('\n')).toEqual([]);
    expect(rate).toBeGreaterThanOrEqual(0.95);
  });

  it('cites the nearest station for a suburb: "No station is reported in Markham; the nearest reported: Toronto, 26 km"', async () => {
    const r = await ask('Markham');
    expect(textOf(r)).toContain('No station is reported in Markham, Canada.');
    const line = lines(r).find((l) => l.text.startsWith('The nearest reported: Toronto, 26 km'))!;
    expect(line.cites!.length).toBeGreaterThan(0);
    const toronto = dataset.stations.filter((s) => s.city.en === 'Toronto');
    expect(r.citations.find((c) => c.n === line.cites![0])!.quote).toBe(view.claims.get(toronto[0]!.statuses[0]!.claimId)!.quote);
  });

  it('finds only Los Angeles for "LA" (not Prague, Athens or Prato by a pinyin syllable)', async () => {
    for (const q of ['LA', 'la', 'L.A.']) {
      const all = await pages(await ask(q));
      expect((all[0]!.blocks[0] as { text: string }).text, q).toContain('(1)');
      const titles = all.flatMap(items).map((i) => i.title);
      expect(titles, q).toContain('Los Angeles');
      for (const other of ['Prague', 'Athens', 'Prato']) expect(titles, q).not.toContain(other);
    }
  });

  it('suggests only names within a typo or two: never Berlin → Ireland, Serbia or Japan → Spain', () => {
    for (const q of ['Berlin', 'Japan', 'Qwertyuiop']) expect(view.index.suggest(q), q).toEqual([]);
    expect(view.index.suggest('Stokholmm')).toContain('Stockholm');
  });

  it('suggests only really close names, or none', async () => {
    for (const q of ['Qwertyuiop', 'Xqzvwpt', 'Berlinnn Citty']) {
      const r = await ask(q);
      expect(r.code, q).toBe('LOOKUP.NOT_FOUND');
      expect(textOf(r), q).toContain('and no name is close');
      expect(textOf(r), q).not.toContain('Close names');
    }
    // a near miss still gets its close name
    expect(textOf(await ask('Stokholmm'))).toMatch(/Stockholm/);
  });

  it('has no sources to show for a place no source speaks of ("Japan"), and says so', async () => {
    const r = await lantern.command('sources', { station: 'Japan' }, ctx());
    expect(r.code).toBe('SOURCES.NOT_FOUND');
    expect((await lantern.command('sources', { station: 'Markham' }, ctx())).kind).toBe('answer');
  });

  it('understands phrasings in Traditional and Simplified Chinese in a Chinese interface too', async () => {
    const r = await ask('紐約的警察站', 'zh-Hant');
    expect(items(r)[0]!.title).toBe(dataset.stations.find((s) => s.id === 'us-new-york')!.name['zh-Hant']);
  });
});
