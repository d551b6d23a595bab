/**
 * The realistic lookup queries (test/support/lookup-queries.ts) through the real grammY adapter
 * against the fake Bot API: ≥ 95% answered right, each answer one Telegram message whose visible
 * text is ≤ 2,000 characters, and the "More" button (callback data ≤ 64 bytes) sending the next
 * page. Claims-only cases need places stored with the dataset (see the console suite).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warmLookup } from '../../../src/core/lookup/gazetteer.ts';
import { MESSAGE_MAX } from '../../../src/core/lookup/pages.ts';
import { callbackQuery, people, telegramUpdate } from '../../support/fake-telegram.ts';
import { ON_BUNDLED, score } from '../../support/lookup-queries.ts';
import { keyboardOf, startHarness, textOf, type Harness } from './support.ts';

let h: Harness;
const { alice } = people;
const visible = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

beforeAll(async () => {
  h = await startHarness();
  // As main.ts does once a bot is ready: the gazetteer is loaded before people ask.
  await warmLookup();
});
afterAll(async () => {
  await h?.stop();
});

describe('telegram: realistic lookup queries', () => {
  it(`answers ${ON_BUNDLED().length} realistic queries at ≥ 95%, each in one message of ≤ 2,000 visible characters`, async () => {
    const answers = new Map<string, string>();
    for (const c of ON_BUNDLED()) {
      const sent = (await h.ask(telegramUpdate({ text: `/lookup ${c.q}` }))).to(alice.id);
      expect(sent, c.q).toHaveLength(1);
      const text = visible(textOf(sent[0]!));
      expect(text.length, c.q).toBeLessThanOrEqual(MESSAGE_MAX);
      answers.set(c.q, text);
    }
    const { rate, failures } = score(answers, ON_BUNDLED());
    expect(rate, failures.join('\n')).toBeGreaterThanOrEqual(0.95);
  });

  it('sends the next page when "More" is pressed', async () => {
    const first = (await h.ask(telegramUpdate({ text: '/lookup New York' }))).to(alice.id);
    expect(first).toHaveLength(1);
    const buttons = keyboardOf(first[0]!).flat() as { text: string; callback_data?: string }[];
    const more = buttons.find((b) => b.text === 'More')!;
    expect(more.callback_data).toBe('lookup:New York #2');
    expect(buttons.some((b) => b.text === 'All sources')).toBe(true);
    const next = (await h.ask(callbackQuery({ data: more.callback_data! }))).to(alice.id);
    expect(next).toHaveLength(1);
    expect(textOf(next[0]!)).not.toBe(textOf(first[0]!));
    expect(visible(textOf(next[0]!))).toContain('New York');
  });
});
