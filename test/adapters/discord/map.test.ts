/**
 * /map through the real discord.js against the fake Discord: the PNG uploaded with the answer and
 * shown as the embed's image, the legend (with its sources) as the embed text, public.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slashInteraction, FAKE, type RecordedCall } from '../../support/fake-discord.ts';
import { startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

/** The message that finally carried the answer: the callback itself, or the deferred answer's webhook call. */
async function answerOf(payload: ReturnType<typeof slashInteraction>): Promise<{ body: any; files: RecordedCall['files'] }> {
  const cb = await h.fake.interact(payload, 30_000);
  if (cb.type === 4) return { body: cb.data, files: cb.files };
  expect(cb.type).toBe(5);
  const call = await h.fake.waitFor(
    (c) => c.path.startsWith(`/webhooks/${FAKE.applicationId}/${payload.token}`) && c.method !== 'DELETE' && c.files.length > 0,
    30_000,
  );
  return { body: call.body, files: call.files };
}

describe('Discord /map', () => {
  it.each([
    [undefined, 'lantern-map-world.png', 'the world'],
    ['Italy', 'lantern-map-country-IT.png', 'Italy'],
  ])('/map %s uploads the PNG as the first embed image, with the cited legend', async (place, name, title) => {
    const { body, files } = await answerOf(slashInteraction('map', place ? { place } : {}));
    expect(files).toHaveLength(1);
    expect(files[0]!.name).toBe(name);
    expect(files[0]!.bytes).toBeGreaterThan(10_000);
    const embeds = body.embeds as any[];
    expect(embeds[0].image).toEqual({ url: `attachment://${name}` });
    expect(embeds[0].title).toContain(title);
    expect(body.attachments?.[0]).toMatchObject({ id: '0', description: expect.stringContaining(title) });
    const text = embeds.map((e) => `${e.title ?? ''}\n${e.description ?? ''}`).join('\n');
    expect(text).toMatch(/1 · [^\n]+ \[\d\]/);
    // The source list (Markdown-escaped, as Discord shows dataset text): "[1] publisher, “title” (date). link".
    expect(text).toMatch(/\\\[1\\\] [^\n]+, “[^\n]+” \([^)]+\)\. /);
    expect((body.flags ?? 0) & 64).toBe(0);
    expect(body.allowed_mentions).toEqual({ parse: [] });
  });

  it('/map 多伦多 answers in the person’s language with the grouped marker', async () => {
    const { body, files } = await answerOf(slashInteraction('map', { place: '多伦多' }, { locale: 'zh-CN' }));
    expect(files).toHaveLength(1);
    const text = (body.embeds as any[]).map((e) => `${e.title ?? ''}\n${e.description ?? ''}`).join('\n');
    expect(text).toContain('被报道的“海外警务服务站”：多伦多，加拿大（3）');
    expect(text).toContain('1 · 多伦多，加拿大（3 个站点）');
  });
});
