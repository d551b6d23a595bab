/**
 * Decrypted triage views on Telegram are deleted from the member's private chat after
 * DECRYPTED_VIEW_TTL_SECONDS, seen through the fake Bot API's deleteMessage calls; answers
 * without report content stay.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allCommands } from '../../../commands/index.ts';
import { Lantern } from '../../../src/core/lantern.ts';
import { TELEGRAM_CAPABILITIES } from '../../../src/adapters/telegram/capabilities.ts';
import { groups, people, privateChat, telegramUpdate } from '../../support/fake-telegram.ts';
import { fileReport } from '../../support/intake-driver.ts';
import { startHarness, type Harness } from './support.ts';

let h: Harness;
const { alice, triager } = people;

beforeAll(async () => {
  h = await startHarness({
    TELEGRAM_TRIAGE_CHAT_ID: String(groups.triage.id),
    TELEGRAM_TRIAGE_USER_IDS: String(triager.id),
    DECRYPTED_VIEW_TTL_SECONDS: '1',
  });
});
afterAll(async () => h?.stop());

const sentIds = (calls: { method: string; status: number; result?: unknown; params: Record<string, unknown> }[], chatId: number) =>
  calls
    .filter((c) => c.method === 'sendMessage' && c.status === 200 && Number(c.params.chat_id) === chatId)
    .map((c) => (c.result as { message_id: number }).message_id);

describe('telegram: decrypted views', () => {
  it('deletes /triage view from the member’s chat after the configured time, and only that', async () => {
    const actor = await h.app.actor('telegram', String(alice.id));
    const { publicId } = await fileReport(
      new Lantern(allCommands),
      { actor, chat: 'private', deps: h.app.deps, capabilities: TELEGRAM_CAPABILITIES },
      { category: 'other', when: '2026-01', where: 'Somewhere', what: 'They asked about my family abroad. VIEW-TEXT', contact: 'none' },
    );
    const queue = await h.ask(telegramUpdate({ text: '/triage queue', from: triager, chat: privateChat(triager) }));
    const view = await h.ask(telegramUpdate({ text: `/triage view ${publicId}`, from: triager, chat: privateChat(triager) }));
    expect(view.textTo(triager.id)).toContain('VIEW-TEXT');
    const viewIds = sentIds(view.calls, triager.id);
    const queueIds = sentIds(queue.calls, triager.id);
    expect(viewIds.length).toBeGreaterThan(0);
    // nothing is deleted at once
    expect(h.fake.callsOf('deleteMessage', view.after).map((c) => Number(c.params.message_id))).not.toEqual(
      expect.arrayContaining(viewIds),
    );
    await Promise.all(
      viewIds.map((id) =>
        h.fake.waitFor('deleteMessage', (c) => Number(c.params.message_id) === id && Number(c.params.chat_id) === triager.id, {
          after: view.after,
          timeoutMs: 10_000,
        }),
      ),
    );
    const deleted = h.fake.callsOf('deleteMessage', queue.after).map((c) => Number(c.params.message_id));
    expect(deleted).toEqual(expect.arrayContaining(viewIds));
    for (const id of queueIds) expect(deleted).not.toContain(id); // the queue holds no report text
  });
});

describe('telegram: decrypted views across a restart', () => {
  it('a view due while no process ran is deleted at the next start; the stored ids are sealed', async () => {
    const env = {
      TELEGRAM_TRIAGE_CHAT_ID: String(groups.triage.id),
      TELEGRAM_TRIAGE_USER_IDS: String(triager.id),
      DECRYPTED_VIEW_TTL_SECONDS: '3600',
    };
    const first = await startHarness(env);
    let second: Harness | undefined;
    try {
      const actor = await first.app.actor('telegram', String(alice.id));
      const { publicId } = await fileReport(
        new Lantern(allCommands),
        { actor, chat: 'private', deps: first.app.deps, capabilities: TELEGRAM_CAPABILITIES },
        { category: 'other', when: '2026-01', where: 'Somewhere', what: 'They waited outside my work. RESTART-TEXT', contact: 'none' },
      );
      const view = await first.ask(telegramUpdate({ text: `/triage view ${publicId}`, from: triager, chat: privateChat(triager) }));
      const viewIds = sentIds(view.calls, triager.id);
      expect(view.textTo(triager.id)).toContain('RESTART-TEXT');
      const rows = await first.app.db.prisma.pendingDeletion.findMany();
      expect(rows).toHaveLength(1);
      expect(Buffer.from(rows[0]!.whereCiphertext).includes(String(triager.id))).toBe(false);
      // The process stops (as in a restart) an hour before the time; the time then passes.
      await first.adapter.stop();
      expect(first.fake.callsOf('deleteMessage', view.after)).toEqual([]);
      await first.app.db.prisma.pendingDeletion.updateMany({ data: { deleteAt: new Date(Date.now() - 1000) } });
      second = await startHarness(env, {}, { app: first.app, log: first.log });
      await Promise.all(
        viewIds.map((id) =>
          second!.fake.waitFor('deleteMessage', (c) => Number(c.params.message_id) === id && Number(c.params.chat_id) === triager.id, {
            timeoutMs: 10_000,
          }),
        ),
      );
      expect(await first.app.db.prisma.pendingDeletion.count()).toBe(0);
    } finally {
      await second?.stop();
      await first.http.close();
      await first.fake.close();
      await first.app.close();
      await rm(first.dataDir, { recursive: true, force: true });
    }
  });
});
