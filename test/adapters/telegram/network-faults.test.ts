/**
 * The Telegram adapter when the Bot API misbehaves: connections dropped without an answer, 5xx and
 * 429 on sends and on long polling, all mixed under a burst of people. Nothing crashes, no reply
 * is lost, none is sent twice, and no update is handled twice. The real grammY stack against the
 * fake Bot API on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { people, telegramUpdate } from '../../support/fake-telegram.ts';
import { startHarness, type Harness } from './support.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({}, { retry: { maxDelaySeconds: 5, maxRetryAttempts: 5 } });
});
afterAll(async () => {
  await h?.stop();
});

const person = (id: number) => ({ id, is_bot: false, first_name: 'P', language_code: 'en' });

describe('telegram under network faults', () => {
  it('sends a reply again when the connection was dropped before Telegram answered', async () => {
    h.fake.failNext(1, { status: 'drop' }, 'sendMessage');
    const r = await h.ask(telegramUpdate({ text: '/resources' }));
    expect(r.calls.filter((c) => c.method === 'sendMessage').map((c) => c.status)).toEqual([0, 200]);
    expect(r.textTo(people.alice.id)).toContain('Digital safety basics');
  });

  it('keeps long polling through a dropped connection and a 429, and answers the next update once', async () => {
    const before = h.fake.calls.length;
    h.fake.failNext(1, { status: 'drop' }, 'getUpdates');
    h.fake.failNext(1, { status: 429, retryAfter: 1 }, 'getUpdates');
    // The poll waiting now takes this update; the next polls meet the faults.
    h.fake.push(telegramUpdate({ text: '/help', from: person(5000) }));
    await h.fake.waitFor('getUpdates', (c) => c.status === 429, { after: before, timeoutMs: 20_000 });
    const id = h.fake.push(telegramUpdate({ text: '/lookup Prato', from: person(5001) }));
    const answer = await h.fake.waitFor('sendMessage', (c) => Number(c.params.chat_id) === 5001, { after: before, timeoutMs: 20_000 });
    expect(String(answer.params.text)).toContain('<b>Prato</b>');
    expect(
      h.fake
        .callsOf('getUpdates', before)
        .map((c) => c.status)
        .slice(0, 3),
    ).toEqual([0, 429, 200]);
    await h.fake.waitFor('getUpdates', (c) => Number(c.params.offset) > id, { after: before, timeoutMs: 20_000 });
    await h.adapter.settled();
    // Answered once: the first message of the answer went out exactly one time.
    expect(
      h.fake
        .callsOf('sendMessage', before)
        .filter((c) => c.status === 200 && Number(c.params.chat_id) === 5001 && String(c.params.text).includes('<b>Prato</b>')),
    ).toHaveLength(1);
  }, 40_000);

  it('answers every one of 30 people asking at once while sends are dropped, refused with 5xx and rate-limited', async () => {
    // How many messages one answer takes, on a quiet line.
    const quiet = await h.ask(telegramUpdate({ text: '/lookup New York', from: person(6000) }));
    const perAnswer = quiet.to(6000).length;
    expect(perAnswer).toBeGreaterThan(0);

    const before = h.fake.calls.length;
    h.fake.failNext(2, { status: 'drop' }, 'sendMessage');
    h.fake.failNext(2, { status: 500 }, 'sendMessage');
    h.fake.failNext(2, { status: 429, retryAfter: 1 }, 'sendMessage');
    const ids = Array.from({ length: 30 }, (_, i) => 6001 + i);
    const last = Math.max(...ids.map((id) => h.fake.push(telegramUpdate({ text: '/lookup New York', from: person(id) }))));
    await h.fake.waitFor('getUpdates', (c) => Number(c.params.offset) > last, { after: before, timeoutMs: 30_000 });
    const deadline = Date.now() + 45_000;
    const delivered = (id: number) =>
      h.fake.callsOf('sendMessage', before).filter((c) => c.status === 200 && Number(c.params.chat_id) === id);
    while (ids.some((id) => delivered(id).length < perAnswer) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await h.adapter.settled();
    for (const id of ids)
      expect(
        delivered(id).map((c) => String(c.params.text)),
        `person ${id}`,
      ).toEqual(quiet.to(6000).map((c) => String(c.params.text)));
    const statuses = h.fake.callsOf('sendMessage', before).map((c) => c.status);
    expect(statuses.filter((s) => s === 0)).toHaveLength(2);
    expect(statuses.filter((s) => s === 500)).toHaveLength(2);
    expect(statuses.filter((s) => s === 429)).toHaveLength(2);
    // Still running: the next person is answered.
    expect((await h.ask(telegramUpdate({ text: '/help', from: person(7000) }))).to(7000).length).toBeGreaterThan(0);
  }, 60_000);
});
