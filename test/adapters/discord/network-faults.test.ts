/**
 * The Discord adapter when Discord misbehaves: the HTTP connection dropped without an answer, the
 * gateway connection cut, 5xx and 429 mixed under a burst of people. Nothing crashes, every
 * interaction gets exactly one answer. The real discord.js against the fake on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newUser, slashInteraction } from '../../support/fake-discord.ts';
import { startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const embedsText = (data: { embeds?: { title?: string; description?: string }[]; content?: string }) =>
  [data.content ?? '', ...(data.embeds ?? []).map((e) => `${e.title ?? ''}\n${e.description ?? ''}`)].join('\n');

describe('discord under network faults', () => {
  it('sends the answer again when the connection was dropped before Discord answered', async () => {
    h.fake.fail({ status: 0, times: 1, path: /\/callback$/ });
    const payload = slashInteraction('lookup', { place: 'Prato' }, { user: newUser() });
    const cb = await h.fake.interact(payload, 20_000);
    expect(embedsText(cb.data)).toContain('Prato');
    expect(h.fake.calls.filter((c) => c.path.startsWith(`/interactions/${payload.id}/`)).map((c) => c.status)).toEqual([0, 204]);
  }, 30_000);

  it('reconnects by itself when the gateway connection is cut, and answers the next interaction', async () => {
    const resumesBefore = h.fake.resumes();
    h.fake.dropGateway();
    const deadline = Date.now() + 20_000;
    while ((h.fake.resumes() === resumesBefore || h.fake.openSessions() === 0) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(h.fake.resumes()).toBeGreaterThan(resumesBefore); // resumed its session
    const cb = await h.fake.interact(slashInteraction('lookup', { place: 'Toronto' }, { user: newUser() }), 20_000);
    expect(embedsText(cb.data)).toContain('Toronto');
  }, 30_000);

  it('answers each of 30 people at once exactly once while callbacks are dropped, refused with 5xx and rate-limited', async () => {
    h.fake.fail({ status: 0, times: 2, path: /\/callback$/ });
    h.fake.fail({ status: 500, times: 2, path: /\/callback$/ });
    h.fake.fail({ status: 429, times: 2, path: /\/callback$/, retryAfter: 0.3 });
    const payloads = Array.from({ length: 30 }, () => slashInteraction('lookup', { place: 'New York' }, { user: newUser() }));
    const answers = await Promise.all(payloads.map((p) => h.fake.interact(p, 45_000)));
    for (const a of answers) expect(embedsText(a.data)).toContain('New York');
    const statuses = payloads.flatMap((p) => h.fake.calls.filter((c) => c.path.startsWith(`/interactions/${p.id}/`)).map((c) => c.status));
    expect(statuses.filter((s) => s === 0)).toHaveLength(2);
    expect(statuses.filter((s) => s === 500)).toHaveLength(2);
    expect(statuses.filter((s) => s === 429)).toHaveLength(2);
    for (const p of payloads)
      expect(
        h.fake.calls.filter((c) => c.path.startsWith(`/interactions/${p.id}/`) && c.status === 204),
        p.id,
      ).toHaveLength(1);
    // Still running.
    expect(embedsText((await h.fake.interact(slashInteraction('lookup', { place: 'Prato' }, { user: newUser() }))).data)).toContain(
      'Prato',
    );
  }, 60_000);
});
