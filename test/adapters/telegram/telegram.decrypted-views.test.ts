/**
 * Decrypted triage views on Telegram are deleted from the member's private chat after
 * DECRYPTED_VIEW_TTL_SECONDS, seen through the fake Bot API's deleteMessage calls; answers
 * without report content stay.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allCommands } from '../../../commands/index.ts';
import { Lantern } from '../../../src/core/lantern.ts';
import { groups, people, privateChat, telegramUpdate } from '../../support/fake-telegram.ts';
import { fileReport } from '../../support/intake-driver.ts';
import { startHarness, type Harness } from './support.ts';

let h: Harness;
const { alice, triager } = people;

beforeAll(async () => {
  h = await startHarness({ TELEGRAM_TRIAGE_CHAT_ID: String(groups.triage.id), TELEGRAM_TRIAGE_USER_IDS: String(triager.id), DECRYPTED_VIEW_TTL_SECONDS: '1' });
});
afterAll(async () => h?.stop());

const sentIds = (calls: { method: string; status: number; result?: unknown; params: Record<string, unknown> }[], chatId: number) =>
  calls.filter((c) => c.method === 'sendMessage' && c.status === 200 && Number(c.params.chat_id) === chatId).map((c) => (c.result as { message_id: number }).message_id);

describe('telegram: decrypted views', () => {
  it('deletes /triage view from the member’s chat after the configured time, and only that', async () => {
    const actor = await h.app.actor('telegram', String(alice.id));
    const { publicId } = await fileReport(new Lantern(allCommands), { actor, chat: 'private', deps: h.app.deps }, { category: 'other', when: '2026-01', where: 'Somewhere', what: 'They asked about my family abroad. VIEW-TEXT', contact: 'none' });
    const queue = await h.ask(telegramUpdate({ text: '/triage queue', from: triager, chat: privateChat(triager) }));
    const view = await h.ask(telegramUpdate({ text: `/triage view ${publicId}`, from: triager, chat: privateChat(triager) }));
    expect(view.textTo(triager.id)).toContain('VIEW-TEXT');
    const viewIds = sentIds(view.calls, triager.id);
    const queueIds = sentIds(queue.calls, triager.id);
    expect(viewIds.length).toBeGreaterThan(0);
    // nothing is deleted at once
    expect(h.fake.callsOf('deleteMessage', view.after).map((c) => Number(c.params.message_id))).not.toEqual(expect.arrayContaining(viewIds));
    await Promise.all(viewIds.map((id) => h.fake.waitFor('deleteMessage', (c) => Number(c.params.message_id) === id && Number(c.params.chat_id) === triager.id, { after: view.after, timeoutMs: 10_000 })));
    const deleted = h.fake.callsOf('deleteMessage', queue.after).map((c) => Number(c.params.message_id));
    expect(deleted).toEqual(expect.arrayContaining(viewIds));
    for (const id of queueIds) expect(deleted).not.toContain(id); // the queue holds no report text
  });
});
