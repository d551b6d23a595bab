/**
 * /map through the real grammY against the fake Bot API: sendPhoto with the PNG, the legend as its
 * caption when it fits 1,024 characters, else as the following message; in groups too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groups, people, telegramUpdate } from '../../support/fake-telegram.ts';
import { captionFits, CAPTION_LIMIT } from '../../../src/adapters/telegram/deliver.ts';
import { startHarness, type Harness } from './support.ts';

let h: Harness;
const { alice } = people;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

describe('Telegram /map', () => {
  it('/map Italy sends one photo with the cited legend as its caption', async () => {
    const r = await h.ask(telegramUpdate({ text: '/map Italy' }));
    const photos = r.calls.filter((c) => c.method === 'sendPhoto' && c.status === 200);
    expect(photos).toHaveLength(1);
    // grammY uploads under a random field name and points `photo` at it (attach://…).
    expect(photos[0]!.files).toEqual([{ field: expect.any(String), name: 'lantern-map-country-IT.png', bytes: expect.any(Number) }]);
    expect(photos[0]!.params.photo).toBe(`attach://${photos[0]!.files[0]!.field}`);
    expect(photos[0]!.files[0]!.bytes).toBeGreaterThan(10_000);
    const caption = String(photos[0]!.params.caption);
    expect(photos[0]!.params.parse_mode).toBe('HTML');
    expect(caption).toContain('<b>Reported “overseas police service stations”: Italy (3)</b>');
    expect(caption).toMatch(/• 1 · Prato, Italy — reported \(c\. 2022-12\) \[1\]/);
    expect(caption).toMatch(/• \[1\] CNN [^\n]+\(c\. 2022-12\)\. Link unknown\./);
    expect(captionFits(caption)).toBe(true);
    // Nothing else: the caption carries the whole legend.
    expect(r.to(alice.id)).toHaveLength(0);
  });

  it('/map alone sends the world map, then the legend that does not fit a caption as a message', async () => {
    const r = await h.ask(telegramUpdate({ text: '/map' }));
    const photo = r.calls.find((c) => c.method === 'sendPhoto' && c.status === 200)!;
    expect(photo.files[0]!.name).toBe('lantern-map-world.png');
    expect(photo.params.caption).toBeUndefined();
    const legend = r.textTo(alice.id);
    expect(legend.replace(/<[^>]+>/g, '').length).toBeGreaterThan(CAPTION_LIMIT);
    expect(legend).toMatch(/• 2 · Toronto, Canada \(3 stations\) — reported \(c\. 2022-09\) \[2\]/); // FISM dates it "earlier this month": approximate
    expect(legend).toContain('[1] AMAC Newsline');
    // The photo comes first, the legend right after it.
    expect(r.calls.indexOf(photo)).toBeLessThan(r.calls.findIndex((c) => c.method === 'sendMessage'));
  });

  it('/map 多伦多 in a group answers there, in the person’s language', async () => {
    const r = await h.ask(telegramUpdate({ text: '/map 多伦多', chat: groups.community, from: { ...alice, language_code: 'zh-hans' } }));
    const photo = r.calls.find((c) => c.method === 'sendPhoto' && c.status === 200)!;
    expect(Number(photo.params.chat_id)).toBe(groups.community.id);
    expect(String(photo.params.caption)).toContain('1 · 多伦多，加拿大（3 个站点）');
  });

  it('the fake refuses a caption over 1,024 characters, as the Bot API does', async () => {
    const res = await fetch(`${h.fake.url}/bot${h.fake.token}/sendPhoto`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ chat_id: alice.id, photo: 'x', caption: 'a'.repeat(1025) }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { description: string }).description).toMatch(/caption is too long/);
  });
});
