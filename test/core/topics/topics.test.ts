/**
 * Topics and /tactics over the bundled dataset: every topic answers /lookup and /tactics, cited;
 * every page fits one message on every platform (≤ 2,000 characters), the rest one "More" away
 * with nothing skipped; answers and disagreements beside the claims; and every claim of the
 * dataset is reachable by some command's output.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allCommands } from '../../../commands/index.ts';
import { Dataset } from '../../../src/core/dataset/dataset.schema.ts';
import { Lantern } from '../../../src/core/lantern.ts';
import { LOCALES, type Locale } from '../../../src/core/i18n/locales.ts';
import type { Reply } from '../../../src/core/reply.ts';
import { bundledDatasetPath } from '../../../src/db/dataset-store.ts';
import { renderText } from '../../../src/adapters/console/render.ts';
import { renderMessages } from '../../../src/adapters/telegram/render.ts';
import { renderReply } from '../../../src/adapters/discord/render.ts';
import { contextFor, memoryDeps } from '../../support/memory.ts';
import { findTopic } from '../../../src/core/topics/topics.ts';

const dataset = Dataset.parse(JSON.parse(readFileSync(bundledDatasetPath, 'utf8')));
const { deps } = memoryDeps(dataset);
const lantern = new Lantern(allCommands);
const ctx = (locale: Locale = 'en') => contextFor(deps, { locale, chat: 'public' });
const run = (name: string, raw: Record<string, string>, locale: Locale = 'en') => lantern.command(name, raw, ctx(locale));
// One source and quote is printed once per answer, however many claims rest on it: a claim is
// cited when its source's quote is (src/core/citations/citations.ts).
const cited = (r: Reply) =>
  new Set(r.citations.flatMap((c) => dataset.claims.filter((x) => x.sourceId === c.sourceId && x.quote === c.quote).map((x) => x.id)));
// "More" of a topic (`tactics:<id> p2`), of a lookup (`lookup:<key> #2`) or of /sources (`sources:#2`).
const more = (r: Reply) => r.choices?.find((c) => /^tactics:\S+ p\d+$/.test(c.id) || /^(lookup|sources):.*#\d+$/.test(c.id));

/** The reply and every page after it, following "More" as a person would. */
async function allPages(first: Reply, locale: Locale = 'en'): Promise<Reply[]> {
  const out = [first];
  for (let next = more(first); next; next = more(out.at(-1)!)) {
    out.push(await lantern.choice(next.id, ctx(locale)));
    expect(out.length, 'pages end').toBeLessThan(100);
  }
  return out;
}

function expectOneMessage(r: Reply, locale: Locale, what: string) {
  expect(renderText(r, locale).length, `${what}: console`).toBeLessThanOrEqual(2000);
  expect(renderMessages(r, locale, 2000), `${what}: Telegram`).toHaveLength(1);
  expect(renderReply(r, locale), `${what}: Discord`).toHaveLength(1);
}

describe('topics', () => {
  it('/tactics answers every tactic, cited, the first page offering each tactic on its own', async () => {
    const r = await run('tactics', {});
    expect(r.kind).toBe('answer');
    expect(r.citations.length).toBeGreaterThan(0);
    expect(r.choices?.map((c) => c.id)).toEqual(
      expect.arrayContaining([
        'tactics:frozen-bank-accounts',
        'tactics:children-barred-from-school',
        'tactics:luring-and-entrapment',
        'tactics:threats-to-relatives',
      ]),
    );
    const seen = new Set((await allPages(r)).flatMap((p) => [...cited(p)]));
    for (const c of dataset.claims.filter((c) => c.kind === 'tactic')) expect(seen.has(c.id), c.id).toBe(true);
  });

  it('is listed in /help', async () => {
    const help = await run('help', {});
    expect(JSON.stringify(help.blocks)).toContain('/tactics');
  });

  for (const [query, topic, claim] of [
    ['Fox Hunt', 'fox-hunt', 'us-fox-hunt'],
    ['猎狐', 'fox-hunt', 'us-fox-hunt'],
    ['230,000', 'figure-230000', 'persuaded-230000-voa'],
    ['Patrol and Persuade', 'report-patrol-and-persuade', 'sd-pp-report-title'],
    ['110 Overseas', 'report-110-overseas', 'sd-110-report-title'],
    ['frozen bank accounts', 'frozen-bank-accounts', 'tactic-frozen-bank-accounts'],
    ['勸返', 'persuasion-to-return', 'persuaded-230000-mps'],
    ['United Front', 'united-front', 'united-front-home-associations'],
    ['joint patrols', 'joint-policing', 'european-joint-policing'],
  ] as const)
    it(`/lookup ${query} answers the topic "${topic}" with its claims cited`, async () => {
      const pages = await allPages(await run('lookup', { place: query }));
      expect(pages[0]!.blocks[0]).toMatchObject({
        type: 'title',
        text: expect.stringContaining(dataset.topics.find((x) => x.id === topic)!.name.en),
      });
      expect(pages.some((p) => cited(p).has(claim))).toBe(true);
    });

  it('never takes a place’s name for a topic', () => {
    const view = deps.dataset();
    const names = [
      ...dataset.stations.flatMap((s) => [s.city.en, s.name.en, ...s.aliases.map((a) => a.alias)]),
      ...dataset.countries.flatMap((c) => [c.name.en, c.name['zh-Hans'], c.name['zh-Hant'], ...c.aliases]),
    ];
    expect(names.filter((n) => findTopic(view, n)).map((n) => `${n} → ${findTopic(view, n)!.id}`)).toEqual([]);
    expect(findTopic(view, 'Fox-Hunt')?.id).toBe('fox-hunt');
  });

  it('still answers places as places', async () => {
    const r = await run('lookup', { place: 'Prato' });
    expect(r.blocks.some((b) => b.type === 'item' && b.title === 'Prato')).toBe(true);
  });

  it('puts the rebuttal beside the denial and the disagreement beside the claim', async () => {
    const pages = await allPages(await run('lookup', { place: 'denials' }));
    const lines = pages.flatMap((p) => p.blocks.flatMap((b) => (b.type === 'item' ? b.lines.map((l) => ({ l, p })) : [])));
    const volunteers = lines.findIndex(({ l, p }) => l.cites?.some((n) => p.citations[n - 1]?.claimId === 'cn-volunteers'));
    expect(volunteers).toBeGreaterThanOrEqual(0);
    const after = lines.slice(volunteers + 1, volunteers + 4).map(({ l }) => l.text);
    expect(after.some((t) => t.startsWith('In answer:') && t.includes('135 people'))).toBe(true);
    const lookup230 = await run('lookup', { place: '230000' });
    expect(JSON.stringify(lookup230.blocks)).toContain('Sources disagree:');
  });

  it('refuses an unknown tactic with a localized message listing the tactics', async () => {
    for (const locale of LOCALES) {
      const r = await run('tactics', { topic: 'kittens' }, locale);
      expect(r.kind).toBe('error');
      expect(r.code).toBe('TOPIC.NOT_FOUND');
    }
    expect((await run('tactics', { topic: 'kittens' })).blocks[0]).toMatchObject({ text: expect.stringContaining('Frozen bank accounts') });
  });

  it('fits every page of every topic in one message on every platform, in every language, with nothing skipped', async () => {
    for (const locale of LOCALES)
      for (const topic of dataset.topics) {
        const pages = await allPages(await run('tactics', { topic: topic.id }, locale), locale);
        pages.forEach((p, i) => expectOneMessage(p, locale, `${topic.id} p${i + 1} ${locale}`));
        const seen = new Set(pages.flatMap((p) => [...cited(p)]));
        for (const c of dataset.claims.filter((c) => c.topics.includes(topic.id)))
          expect(seen.has(c.id), `${topic.id}: ${c.id} (${locale})`).toBe(true);
      }
  });
});

describe('every claim is reachable by some command', () => {
  it('cites each of the dataset’s claims in the output of /lookup (station, country, topic), /tactics or /sources', async () => {
    const seen = new Set<string>();
    const collect = async (r: Reply) => {
      for (const p of await allPages(r)) for (const id of cited(p)) seen.add(id);
    };
    for (const s of dataset.stations)
      await collect(
        await run('lookup', {
          place: s.city.en === 'Location not named' ? dataset.countries.find((c) => c.code === s.countryCode)!.name.en : s.city.en,
        }),
      );
    for (const c of dataset.countries) await collect(await run('lookup', { place: c.name.en }));
    for (const t of dataset.topics) await collect(await run('lookup', { place: t.name.en }));
    await collect(await run('tactics', {}));
    await collect(await run('sources', {}));
    expect(dataset.claims.length).toBeGreaterThanOrEqual(98);
    expect(dataset.claims.filter((c) => !seen.has(c.id)).map((c) => c.id)).toEqual([]);
  });
});
