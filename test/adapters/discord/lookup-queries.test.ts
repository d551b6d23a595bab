/**
 * The realistic lookup queries (test/support/lookup-queries.ts) through the real discord.js
 * adapter against the fake Discord: ≥ 95% answered right, each answer one message whose embeds
 * hold ≤ 2,000 characters, and the "More" button sending the next page. Claims-only cases need
 * places stored with the dataset (see the console suite).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warmLookup } from '../../../src/core/lookup/gazetteer.ts';
import { MESSAGE_MAX } from '../../../src/core/lookup/pages.ts';
import { buttonInteraction, slashInteraction } from '../../support/fake-discord.ts';
import { ON_BUNDLED, score } from '../../support/lookup-queries.ts';
import { startHarness, type Harness } from './harness.ts';

let h: Harness;
type Embed = { title?: string; description?: string };
type Row = { components: { custom_id?: string; label?: string }[] };
const embedsOf = (cb: { data: { embeds?: Embed[] } }) => cb.data.embeds ?? [];
const textOf = (embeds: Embed[]) => embeds.map((e) => [e.title, e.description].filter(Boolean).join('\n')).join('\n');
const sizeOf = (embeds: Embed[]) => embeds.reduce((n, e) => n + (e.title?.length ?? 0) + (e.description?.length ?? 0), 0);

beforeAll(async () => {
  h = await startHarness();
  // As main.ts does once a bot is ready: the gazetteer is loaded before people ask.
  await warmLookup();
});
afterAll(async () => {
  await h?.close();
});

describe('discord: realistic lookup queries', () => {
  it(`answers ${ON_BUNDLED().length} realistic queries at ≥ 95%, each in one message of ≤ 2,000 characters`, async () => {
    const answers = new Map<string, string>();
    for (const c of ON_BUNDLED()) {
      const cb = (await h.fake.interact(slashInteraction('lookup', { place: c.q }))) as unknown as {
        type: number;
        data: { embeds?: Embed[] };
      };
      expect(cb.type, c.q).toBe(4);
      const embeds = embedsOf(cb);
      expect(sizeOf(embeds), c.q).toBeLessThanOrEqual(MESSAGE_MAX);
      answers.set(c.q, textOf(embeds));
    }
    const { rate, failures } = score(answers, ON_BUNDLED());
    expect(rate, failures.join('\n')).toBeGreaterThanOrEqual(0.95);
  });

  it('sends the next page when "More" is pressed', async () => {
    const first = (await h.fake.interact(slashInteraction('lookup', { place: 'New York' }))) as unknown as {
      data: { embeds?: Embed[]; components?: Row[] };
    };
    const buttons = (first.data.components ?? []).flatMap((r) => r.components);
    const more = buttons.find((b) => b.label === 'More')!;
    expect(more.custom_id).toBe('lookup:New York #2');
    expect(buttons.some((b) => b.label === 'All sources')).toBe(true);
    const next = (await h.fake.interact(buttonInteraction(more.custom_id!, { label: 'More' }))) as unknown as {
      data: { embeds?: Embed[] };
    };
    const text = textOf(embedsOf(next));
    expect(text).toContain('New York');
    expect(text).not.toBe(textOf(embedsOf(first)));
  });
});
