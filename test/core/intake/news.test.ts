/**
 * The opt-in news notice: off by default; a reporter who asks for it (under the receipt, or in
 * the mailbox) gets one contentless line in their private chat when the team writes to them or
 * changes the status; the choice is sealed inside the payload; it can be turned off.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allCommands } from '../../../commands/index.ts';
import type { CoreContext } from '../../../src/core/context.ts';
import { t } from '../../../src/core/i18n/catalog.ts';
import { Lantern } from '../../../src/core/lantern.ts';
import type { Reply } from '../../../src/core/reply.ts';
import { fileReport, textOf } from '../../support/intake-driver.ts';
import { CAPABILITIES } from '../../support/memory.ts';
import { openPayload } from '../../support/sealed.ts';
import type { TestDatabase } from '../../support/storage.ts';
import { coreOnPglite } from '../../support/core-on-pglite.ts';
import type { Keyring } from '../../../src/core/crypto/crypto.ts';

const lantern = new Lantern(allCommands);
const relayed: { route: string; text: string }[] = [];
let h: TestDatabase;
let ring: Keyring;
let ctxOf: (user: string, triage?: boolean) => CoreContext;
const answers = {
  category: 'surveillance',
  when: '2026-05',
  where: 'Prato',
  what: 'A man photographs everyone who enters our association.',
  contact: 'none',
} as const;
const press = (r: Reply, id: string, ctx: CoreContext) => lantern.choice(r.choices!.find((c) => c.id === id)!.id, ctx);

beforeAll(async () => {
  ({ h, ring, ctxOf } = await coreOnPglite({
    relays: new Map([['telegram', async (route: string, text: string) => void relayed.push({ route, text })]]),
    route: true,
  }));
});
afterAll(() => h?.dispose());

describe('news notices', () => {
  it('are off by default, on from the receipt, contentless, and off again from the mailbox', async () => {
    const lead = ctxOf('lead', true);
    const quiet = await fileReport(lantern, ctxOf('quiet'), answers);
    const asked = await fileReport(lantern, ctxOf('asker'), answers);
    const receipt = asked.replies.at(-1)!;
    expect(receipt.choices!.map((c) => c.id)).toEqual(['mb:news-on', 'msg:delete']);
    expect(textOf(await press(receipt, 'mb:news-on', ctxOf('asker')))).toContain('this chat gets only');
    // The choice is inside the sealed payload, not in a clear column.
    const row = await h.db.prisma.report.findUniqueOrThrow({ where: { publicId: asked.publicId } });
    expect((await openPayload<{ news?: string }>(h.db.prisma, ring, row)).news).toBe('chat-of-asker');

    for (const id of [quiet.publicId, asked.publicId]) {
      await lantern.command('triage', { action: 'status', args: `${id} in_review` }, lead);
      await lantern.command('triage', { action: 'ask', args: `${id} Which days does he come?` }, lead);
    }
    expect(relayed).toEqual([
      { route: 'chat-of-asker', text: 'There is news on one of your reports: send /myreports with your receipt code.' },
      { route: 'chat-of-asker', text: 'There is news on one of your reports: send /myreports with your receipt code.' },
    ]);

    const box = await lantern.command('myreports', { receipt: asked.receipt }, ctxOf('asker'));
    expect(textOf(box)).toContain('News notices: on');
    await press(box, 'mb:news-off', ctxOf('asker'));
    await lantern.command('triage', { action: 'ask', args: `${asked.publicId} Still there?` }, lead);
    expect(relayed).toHaveLength(2);
  });

  it('are offered only where the platform can write to the person unasked', async () => {
    const quietPlatform = { ...ctxOf('no-push'), capabilities: { ...CAPABILITIES.telegram, pushesNotices: false } };
    const filed = await fileReport(lantern, quietPlatform, answers);
    expect(filed.replies.at(-1)!.choices!.map((c) => c.id)).toEqual(['msg:delete']);
    const box = await lantern.command('myreports', { receipt: filed.receipt }, quietPlatform);
    expect(box.choices!.map((c) => c.id)).not.toContain('mb:news-on');
    expect(textOf(box)).not.toContain(t('en', 'mailbox.news_is_off'));
  });
});
