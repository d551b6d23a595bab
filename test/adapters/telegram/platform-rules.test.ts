/**
 * The Telegram adapter against the strict fake: each of Telegram's rules that the bot used to
 * break (issue #13), shown kept. Real grammY, runner and plugins; the real App on PGlite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allCommands } from '../../../commands/index.ts';
import type { CoreContext } from '../../../src/core/context.ts';
import { Lantern } from '../../../src/core/lantern.ts';
import { TELEGRAM_CAPABILITIES } from '../../../src/adapters/telegram/capabilities.ts';
import type { TriageNotifier } from '../../../src/core/triage/notifier.ts';
import { loadChatMigrations } from '../../../src/db/chat-migrations.ts';
import {
  callbackQuery,
  document,
  editedMessage,
  groups,
  inTopic,
  people,
  privateChat,
  telegramUpdate,
  type FakeCall,
} from '../../support/fake-telegram.ts';
import { fileReport } from '../../support/intake-driver.ts';
import { startHarness, textOf, type Harness } from './support.ts';

let h: Harness;
const { alice, triager } = people;
const community = groups.community.id;
const triage = groups.triage.id;
const TRIAGE_TOPIC = 5;
const lantern = new Lantern(allCommands);
const APOLOGY = 'Sorry, something went wrong on our side.';
/** What the triage group becomes when it is upgraded (a test below). */
const supergroup = { id: -1009000000002, type: 'supergroup', title: 'Triage' } as const;
/** Longer than the 10 s auto-retry used to honour, short enough for the suite. */
const LONG_WAIT_S = 11;

beforeAll(async () => {
  // A callback answer later than 1.5 s is refused, as Telegram refuses a query that has expired.
  h = await startHarness(
    {
      TELEGRAM_TRIAGE_CHAT_ID: String(triage),
      TELEGRAM_TRIAGE_USER_IDS: String(triager.id),
      TELEGRAM_TRIAGE_TOPIC_ID: String(TRIAGE_TOPIC),
    },
    {},
    undefined,
    { callbackDeadlineMs: 1_500 },
  );
});
afterAll(async () => {
  await h?.stop();
});

/** Files a consented report from a Telegram person through the core (as the private chat would). */
async function report(userId: number): Promise<string> {
  const ctx: CoreContext = {
    actor: await h.app.actor('telegram', String(userId)),
    chat: 'private',
    route: String(userId),
    deps: h.app.deps,
    capabilities: TELEGRAM_CAPABILITIES,
  };
  const { publicId } = await fileReport(lantern, ctx, {
    category: 'online_harassment',
    when: '2026-05',
    where: 'Prato',
    what: 'Threatening messages after a protest post.',
    contact: 'none',
    consents: [true, false, false],
  });
  return publicId;
}

const sendsTo = (calls: FakeCall[], chatId: number) =>
  calls.filter((c) => c.method.startsWith('send') && Number(c.params.chat_id) === chatId);

type Pressable = { params: { reply_markup?: unknown } };
/** The "More" button's data under a message, if any. */
const moreOf = (m: Pressable | undefined) =>
  ((m?.params.reply_markup as { inline_keyboard?: { text: string; callback_data?: string }[][] } | undefined)?.inline_keyboard ?? [])
    .flat()
    .find((b) => b.text.startsWith('More'))?.callback_data;

/** The first pages of an answer, following "More" in the same chat: one entry per press, the messages it sent. */
async function pages(text: string, chat: typeof groups.community | undefined): Promise<string[][]> {
  const where = chat?.id ?? alice.id;
  let r = await h.ask(telegramUpdate({ text, ...(chat ? { chat } : {}) }));
  const out = [r.to(where).map(textOf)];
  for (let data = moreOf(r.to(where).at(-1)); data; data = moreOf(r.to(where).at(-1))) {
    r = await h.ask(callbackQuery({ data, ...(chat ? { chat } : {}) }));
    out.push(r.to(where).map(textOf));
    if (out.length === 3) break; // three pages show it; all of them take long
  }
  return out;
}

describe('telegram platform rules', () => {
  it('keeps each page of a public answer in a group to one message, the same pages as in a private chat', async () => {
    const inGroup = await pages('/sources@lantern_test_bot', groups.community);
    const privately = await pages('/sources', undefined);
    expect(inGroup.length).toBeGreaterThan(1); // what one long message would have been
    expect(inGroup).toEqual(privately);
  });

  describe('forum topics', () => {
    beforeAll(() => {
      h.fake.makeForum(community, [77]);
      h.fake.makeForum(triage, [TRIAGE_TOPIC]);
    });

    it('answers in the topic asked from: commands, notes, the private-only pointer, button presses and apologies', async () => {
      const asked = [
        await h.ask(inTopic(telegramUpdate({ text: '/lookup@lantern_test_bot Prato', chat: groups.community }), 77)),
        await h.ask(inTopic(telegramUpdate({ text: '/language@lantern_test_bot', chat: groups.community }), 77)),
        await h.ask(inTopic(telegramUpdate({ text: '/report@lantern_test_bot', chat: groups.community }), 77)),
        await h.ask(inTopic(telegramUpdate({ text: '/lookup@lantern_test_bot Prato', noSender: true, chat: groups.community }), 77)),
      ];
      const inGroup = asked.flatMap((r) => sendsTo(r.calls, community));
      expect(inGroup.length).toBe(4);
      expect(inGroup.map((c) => [c.status, c.topic])).toEqual(inGroup.map(() => [200, 77]));
      expect(textOf(inGroup.at(-1)!)).toContain(APOLOGY);
    });

    it('answers a button pressed in a topic in that topic', async () => {
      h.fake.blockPrivateChat(719001);
      const stranger = { id: 719001, is_bot: false, first_name: 'S', language_code: 'en' };
      const r = await h.ask(inTopic(callbackQuery({ data: 'language:en', from: stranger, chat: groups.community }), 77));
      const inGroup = sendsTo(r.calls, community);
      expect(inGroup.map((c) => [c.status, c.topic])).toEqual([[200, 77]]);
      expect(textOf(inGroup[0]!)).toContain('I cannot write to you privately yet');
    });

    it('posts triage notices into the configured topic of the triage forum', async () => {
      const publicId = await report(718001);
      const before = h.fake.calls.length;
      expect(await h.app.deliverNotices()).toBe(1);
      const [notice, ...more] = sendsTo(h.fake.calls.slice(before), triage);
      expect(more).toEqual([]);
      expect(textOf(notice!)).toContain(publicId);
      expect(notice!.topic).toBe(TRIAGE_TOPIC);
    });
  });

  it('answers a button press before delivering (the answer would expire behind a slow send)', async () => {
    h.fake.failNext(1, { status: 'slow', ms: 2_000 }, 'sendMessage');
    const r = await h.ask(callbackQuery({ data: 'language:en', from: alice }));
    const [answer] = r.calls.filter((c) => c.method === 'answerCallbackQuery');
    expect(answer!.status).toBe(200);
    expect(answer!.at).toBeLessThan(r.calls.find((c) => c.method === 'sendMessage')!.at);
    expect(r.textTo(alice.id)).toBe('Language set to English.');
  });

  it('still apologises when the delivery fails after the press was answered (a query is answered once)', async () => {
    h.fake.failNext(1, { status: 400, description: 'Bad Request: message to be replied not found' }, 'sendMessage');
    const r = await h.ask(callbackQuery({ data: 'language:en', from: alice }));
    expect(r.calls.filter((c) => c.method === 'answerCallbackQuery').map((c) => c.status)).toEqual([200, 400]);
    expect(r.to(alice.id).map(textOf).at(-1)).toContain(APOLOGY);
  });

  it('leaves a bare /start or /help in a group to the other bots there, and answers one addressed to it', async () => {
    for (const text of ['/start', '/help', '/start@some_other_bot']) {
      const r = await h.ask(telegramUpdate({ text, chat: groups.community }));
      expect(r.calls.filter((c) => c.method.startsWith('send'))).toEqual([]);
    }
    const addressed = await h.ask(telegramUpdate({ text: '/help@lantern_test_bot', chat: groups.community }));
    expect(addressed.textTo(community)).toContain('How your data is handled');
  });

  it('tells a person who edited a message that edits are not read, in a private chat only', async () => {
    const r = await h.ask(editedMessage({ text: 'corrected text', from: alice }));
    expect(r.textTo(alice.id)).toContain('Edits are not read: I keep what you first sent.');
    const inGroup = await h.ask(editedMessage({ text: 'corrected', from: alice, chat: groups.community }));
    expect(inGroup.calls.filter((c) => c.method.startsWith('send'))).toEqual([]);
  });

  it('says clearly that a file over 20 MB cannot be received, instead of the apology', async () => {
    const big = h.fake.addLargeFile(25 * 1024 * 1024);
    // Telegram may leave file_size out; then only getFile tells.
    const r = await h.ask(
      document({
        file: { file_id: big.file_id, file_unique_id: big.file_unique_id } as never,
        mime: 'image/jpeg',
        name: 'big.jpg',
        from: alice,
      }),
    );
    expect(r.calls.find((c) => c.method === 'getFile')!.status).toBe(400);
    expect(r.textTo(alice.id)).toContain('Telegram lets bots download files of up to 20 MB');
    expect(r.textTo(alice.id)).not.toContain(APOLOGY);
  });

  it('tells the triager that a reporter who blocked the bot cannot be reached', async () => {
    const reporter = 718002;
    const publicId = await report(reporter);
    h.fake.blockedByUser(reporter);
    const r = await h.ask(telegramUpdate({ text: `/triage contact ${publicId} Are you safe?`, from: triager, chat: privateChat(triager) }));
    expect(r.calls.filter((c) => Number(c.params.chat_id) === reporter).map((c) => c.status)).toEqual([403]);
    expect(r.textTo(triager.id)).toContain(`The reporter of ${publicId} has blocked the bot`);
    expect(r.textTo(triager.id)).not.toContain(APOLOGY);
    expect(r.textTo(triager.id)).not.toContain(String(reporter));
  });

  describe('triage notices', () => {
    it('keeps delivery state per platform: a failing platform neither repeats nor blocks the other', async () => {
      let failing = true;
      const got: string[] = [];
      const other: TriageNotifier = {
        platform: 'discord',
        deliver: async (n) => {
          if (failing) throw new Error('discord down');
          got.push(n.publicId);
        },
      };
      await h.app.deliverNotices(); // earlier tests' notices out of the way
      h.app.registerNotifier(other);
      try {
        const publicId = await report(718003);
        const before = h.fake.calls.length;
        expect(await h.app.deliverNotices()).toBe(0); // not done: discord is missing
        expect(await h.app.deliverNotices()).toBe(0);
        const toTriage = () => sendsTo(h.fake.calls.slice(before), triage).filter((c) => textOf(c).includes(publicId));
        expect(toTriage()).toHaveLength(1); // Telegram got it once, not once per retry
        failing = false;
        expect(await h.app.deliverNotices()).toBe(1);
        expect(got).toEqual([publicId]);
        expect(toTriage()).toHaveLength(1);

        // Telegram failing does not keep it from Discord either.
        const second = await report(718004);
        h.fake.failNext(1, { status: 403, description: 'Forbidden: bot was kicked from the supergroup chat' }, 'sendMessage');
        await h.app.deliverNotices();
        expect(got).toEqual([publicId, second]);
      } finally {
        (h.app.notifiers as TriageNotifier[]).splice(h.app.notifiers.indexOf(other), 1);
      }
      await h.app.deliverNotices(); // the second notice reaches Telegram now
    });

    it('follows the triage group to its supergroup: the notice arrives, the id is stored, the team is still the team', async () => {
      h.fake.migrateGroup(triage, supergroup.id);
      h.fake.makeForum(supergroup.id, [TRIAGE_TOPIC]);
      const publicId = await report(718005);
      const before = h.fake.calls.length;
      expect(await h.app.deliverNotices()).toBe(1);
      const calls = h.fake.callsOf('sendMessage', before);
      expect(calls.filter((c) => Number(c.params.chat_id) === triage).map((c) => c.error?.parameters)).toEqual([
        { migrate_to_chat_id: supergroup.id },
      ]);
      expect(textOf(sendsTo(calls, supergroup.id)[0]!)).toContain(publicId);
      expect(await loadChatMigrations(h.app.db.prisma)).toEqual(new Map([[String(triage), String(supergroup.id)]]));

      const r = await h.ask(telegramUpdate({ text: '/triage queue', from: triager, chat: supergroup }));
      expect(r.textTo(triager.id)).toContain(publicId);
      expect(r.textTo(triager.id)).not.toContain('triage team only');
      // Known now: later sends go to the new id at once.
      const next = await report(718006);
      const after = h.fake.calls.length;
      await h.app.deliverNotices();
      expect(h.fake.callsOf('sendMessage', after).map((c) => [Number(c.params.chat_id), c.status, textOf(c).includes(next)])).toEqual([
        [supergroup.id, 200, true],
      ]);

      // The next start (here: a second adapter on the same database) registers the triage menu in the new group.
      const relay = h.app.deps.triage!.relays.get('telegram')!;
      const notifiers = h.app.notifiers.length;
      const again = await startHarness(
        { TELEGRAM_TRIAGE_CHAT_ID: String(triage), TELEGRAM_TRIAGE_USER_IDS: String(triager.id) },
        {},
        { app: h.app, log: h.log },
      );
      try {
        const chats = again.fake
          .callsOf('setMyCommands')
          .flatMap((c) =>
            (c.params.scope as { type: string }).type === 'chat' ? [Number((c.params.scope as { chat_id: number }).chat_id)] : [],
          );
        expect(chats.length).toBeGreaterThan(0);
        expect(new Set(chats)).toEqual(new Set([supergroup.id]));
      } finally {
        await again.stop();
        (h.app.notifiers as TriageNotifier[]).splice(notifiers);
        h.app.registerRelay('telegram', relay);
      }
    });
  });

  describe('a long 429', () => {
    it(`is waited out (${LONG_WAIT_S} s here, no ceiling), and the answer arrives whole and in order`, async () => {
      const expected = (await h.ask(telegramUpdate({ text: '/sources' }))).textTo(alice.id);
      h.fake.failNext(1, { status: 429, retryAfter: LONG_WAIT_S }, 'sendMessage');
      const r = await h.ask(telegramUpdate({ text: '/sources' }));
      const attempts = r.calls.filter((c) => c.method === 'sendMessage');
      expect(attempts[0]!.status).toBe(429);
      expect(attempts.slice(1).every((c) => c.status === 200)).toBe(true);
      expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(LONG_WAIT_S * 1000 - 50);
      expect(r.textTo(alice.id)).toBe(expected);
    }, 40_000);

    it('holds every other send to that chat behind it: a notice waiting, an answer queued after it', async () => {
      const publicId = await report(718007);
      h.fake.failNext(1, { status: 429, retryAfter: LONG_WAIT_S }, 'sendMessage');
      const before = h.fake.calls.length;
      const delivering = h.app.deliverNotices();
      const limited = await h.fake.waitFor('sendMessage', (c) => c.status === 429, { after: before });
      // Meanwhile someone asks in the same group: Telegram would refuse it too, so it waits its turn.
      const asked = await h.ask(telegramUpdate({ text: '/lookup@lantern_test_bot Prato', from: triager, chat: supergroup }));
      expect(await delivering).toBe(1);
      const sends = sendsTo(h.fake.calls.slice(before), supergroup.id);
      expect(sends.map((c) => c.status)).toEqual([429, 200, 200]);
      for (const c of sends.slice(1)) expect(c.at - limited.at).toBeGreaterThanOrEqual(LONG_WAIT_S * 1000 - 50);
      expect(sends.filter((c) => textOf(c).includes(publicId))).toHaveLength(2); // the refused attempt and its retry
      expect(asked.textTo(supergroup.id)).toContain('<b>Prato</b>');
    }, 40_000);
  });
});
