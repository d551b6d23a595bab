import { describe, expect, it } from 'vitest';
import { allCommands } from '../../commands/index.ts';
import { capabilitiesOf, NO_CAPABILITIES, type Capabilities } from '../../src/core/capabilities.ts';
import { t } from '../../src/core/i18n/catalog.ts';
import { Lantern } from '../../src/core/lantern.ts';
import { encodeDeleteMessageChoice } from '../../src/core/choice-id.ts';
import { fileReport, textOf } from '../support/intake-driver.ts';
import { CAPABILITIES, contextFor, memoryDeps } from '../support/memory.ts';

const lantern = new Lantern(allCommands);
const answers = {
  category: 'family_pressure',
  when: '2026-03',
  where: 'Prato',
  what: 'Police called my mother about my posts.',
  contact: 'none',
};
const ctxWith = (capabilities: Capabilities | undefined) => {
  const { deps } = memoryDeps();
  const { capabilities: _c, ...ctx } = contextFor(deps, { route: 'chat-1' });
  return capabilities ? { ...ctx, capabilities } : ctx;
};

describe('capabilities', () => {
  it('are none when an adapter declares nothing: core promises nothing it cannot keep', () => {
    expect(capabilitiesOf({})).toEqual(NO_CAPABILITIES);
    expect(Object.values(NO_CAPABILITIES).every((v) => v === false)).toBe(true);
  });

  describe('the intake intro says what stays on the device by what the platform deletes', () => {
    it('a clean chat where the person’s messages are deleted', async () => {
      const r = await lantern.command('report', {}, ctxWith({ ...NO_CAPABILITIES, deletesUserMessages: true, deletesOwnMessages: true }));
      expect(textOf(r)).toContain(t('en', 'intake.clean_chat_telegram'));
      expect(textOf(r)).not.toContain(t('en', 'intake.clean_chat_discord'));
    });

    it('only the bot’s questions where only its own messages go', async () => {
      const r = await lantern.command('report', {}, ctxWith({ ...NO_CAPABILITIES, deletesOwnMessages: true }));
      expect(textOf(r)).toContain(t('en', 'intake.clean_chat_discord'));
    });

    it('nothing where nothing is deleted', async () => {
      const r = await lantern.command('report', {}, ctxWith(undefined));
      expect(textOf(r)).not.toContain(t('en', 'intake.clean_chat_telegram'));
      expect(textOf(r)).not.toContain(t('en', 'intake.clean_chat_discord'));
    });
  });

  describe('the receipt', () => {
    it('offers deleting itself only where the bot deletes its own messages (news notices: test/core/intake/news.test.ts)', async () => {
      const ids = async (can: Partial<Capabilities>) => {
        const { replies } = await fileReport(lantern, ctxWith({ ...NO_CAPABILITIES, triageChat: true, ...can }), answers);
        return replies.at(-1)!.choices?.map((c) => c.id);
      };
      expect(await ids({ deletesOwnMessages: true })).toEqual([encodeDeleteMessageChoice()]);
      expect(await ids({})).toBeUndefined();
    });

    it('says how the team hears of it where there is no triage chat', async () => {
      const withChat = await fileReport(lantern, ctxWith({ ...NO_CAPABILITIES, triageChat: true }), answers);
      expect(textOf(withChat.replies.at(-1)!)).toContain(t('en', 'intake.received', { id: withChat.publicId }));
      const without = await fileReport(lantern, ctxWith(undefined), answers);
      expect(textOf(without.replies.at(-1)!)).toContain(t('en', 'intake.received_console', { id: without.publicId }));
    });
  });

  it('each adapter declares what it does', () => {
    expect(CAPABILITIES.telegram).toMatchObject({
      deletesUserMessages: true,
      deletesOwnMessages: true,
      pushesNotices: true,
      privateRepliesInPublic: false,
      teamRolesByCommand: true,
    });
    expect(CAPABILITIES.discord).toMatchObject({
      deletesUserMessages: false,
      deletesOwnMessages: true,
      pushesNotices: true,
      privateRepliesInPublic: true,
      teamRolesByCommand: false,
    });
    expect(CAPABILITIES.console).toEqual(NO_CAPABILITIES);
  });
});
