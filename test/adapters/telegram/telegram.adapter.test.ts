/**
 * The Telegram adapter end to end: the real grammY (runner, auto-retry, rate limiter) talking to
 * a fake Bot API on 127.0.0.1, the real App on a fresh embedded database. Each test sends updates
 * built by factories and checks what the bot sent back.
 */
import { LEAD_ACTIONS, TRIAGE_ACTIONS } from '../../../src/core/triage/triage.service.ts';
import sharp from 'sharp';
import { fileFingerprint } from '../../../src/core/crypto/crypto.ts';
import { openEvidence } from '../../support/sealed.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InlineQueryResultArticle, User } from 'grammy/types';
import { allCommands } from '../../../commands/index.ts';
import { toTelegramCommands } from '../../../src/adapters/telegram/registration.ts';
import { MESSAGE_LIMIT } from '../../../src/adapters/telegram/render.ts';
import {
  callbackQuery,
  document,
  groups,
  inlineQuery,
  location,
  people,
  photo,
  privateChat,
  telegramUpdate,
  type FakeCall,
  type UpdateInput,
} from '../../support/fake-telegram.ts';
import { intakeButton, keyboardOf, startHarness, textOf, withoutAllowedTags, type Harness } from './support.ts';

let h: Harness;
const { alice, bo, triager } = people;
const community = groups.community.id;
const ANSWERED_PRIVATELY = 'I answered you in a private chat.';

beforeAll(async () => {
  h = await startHarness({
    TELEGRAM_TRIAGE_CHAT_ID: String(groups.triage.id),
    TELEGRAM_TRIAGE_USER_IDS: String(triager.id),
    TELEGRAM_TRIAGE_REVIEWER_IDS: String(people.bo.id),
    LANTERN_EXPORT_RECIPIENTS: 'age12vgfzw9g9cj6rtv0zv6vsg9pxm2g7csevc7xdptr2lvwhhupruqst9rkgc',
  });
});
afterAll(async () => {
  await h?.stop();
});

/** Counts of opening and closing tags are equal for every tag the renderer uses. */
function balanced(html: string): boolean {
  const count = (re: RegExp) => (html.match(re) ?? []).length;
  return (
    count(/<b>/g) === count(/<\/b>/g) &&
    count(/<i>/g) === count(/<\/i>/g) &&
    count(/<blockquote>/g) === count(/<\/blockquote>/g) &&
    count(/<a /g) === count(/<\/a>/g)
  );
}

describe('telegram adapter', () => {
  it('registers the command menus derived from the declarations at start, then long-polls', async () => {
    const sent = h.fake.callsOf('setMyCommands').map((c) => ({
      scope: c.params.scope,
      ...(c.params.language_code ? { language_code: c.params.language_code } : {}),
      commands: c.params.commands,
    }));
    expect(sent).toEqual(toTelegramCommands(allCommands, { triageChatId: String(groups.triage.id) }));
    expect(h.fake.callsOf('deleteWebhook')).toHaveLength(1);
    const poll = await h.fake.waitFor('getUpdates');
    expect(poll.params).toMatchObject({ timeout: 30, allowed_updates: ['message', 'edited_message', 'callback_query', 'inline_query'] });
  });

  describe('lookup', () => {
    it('answers /lookup New York with numbered citations, quotes and escaped HTML', async () => {
      const r = await h.ask(telegramUpdate({ text: '/lookup New York' }));
      const sent = r.to(alice.id);
      const all = r.textTo(alice.id);
      // The first answer is one message (#12); the rest is one "More" button away.
      expect(sent.length).toBe(1);
      for (const c of sent) {
        expect(c.params.parse_mode).toBe('HTML');
        expect(c.params.link_preview_options).toEqual({ is_disabled: true });
        expect(textOf(c).length).toBeLessThanOrEqual(MESSAGE_LIMIT);
        expect(balanced(textOf(c))).toBe(true);
      }
      expect(all).toContain('<b>New York</b>');
      expect(all).toMatch(/\n• Status: [^\n]+ \[1\]\n/);
      expect(all).toContain('<b>Sources</b>');
      // Every numbered citation: publisher, title, date and link (or "Link unknown."), then its verbatim quote.
      const citations = [
        ...all.matchAll(
          /^\[(\d+)\] [^\n]+, “[^\n]+” \([^)\n]+\)\. (?:<a href="https:\/\/[^"]+">[^<]+<\/a>|Link unknown\.)\n<blockquote>[^<]+<\/blockquote>$/gm,
        ),
      ].map((m) => Number(m[1]));
      expect(citations.length).toBeGreaterThanOrEqual(2);
      expect(citations).toEqual(citations.map((_, i) => i + 1));
      // Known links are links (New York's first page cites no source with a URL; Los Angeles's does).
      expect((await h.ask(telegramUpdate({ text: '/lookup Los Angeles' }))).textTo(alice.id)).toMatch(/<a href="https:\/\//);
      // Dataset text arrives escaped: outside the renderer's own tags there is no markup and no bare " or &.
      expect(withoutAllowedTags(all)).not.toMatch(/[<>"]|&(?!(amp|lt|gt|quot);)/);
      expect(withoutAllowedTags(all)).not.toContain('<');
    });

    it('escapes what a person typed when it is echoed back', async () => {
      const r = await h.ask(telegramUpdate({ text: '/lookup <b>Atlantis</b> & <a href="x">' }));
      expect(r.textTo(alice.id)).toContain('&lt;b&gt;Atlantis&lt;/b&gt; &amp; &lt;a href=&quot;x&quot;&gt;');
      expect(withoutAllowedTags(r.textTo(alice.id))).not.toContain('<');
    });

    it('answers a lookup in a group in the group, as a reply, and ignores commands for other bots', async () => {
      const other = await h.ask(telegramUpdate({ text: '/lookup@some_other_bot Prato', chat: groups.community }));
      expect(other.calls.filter((c) => c.method.startsWith('send'))).toEqual([]);
      const r = await h.ask(telegramUpdate({ text: '/lookup@lantern_test_bot Prato', chat: groups.community }));
      const sent = r.to(community);
      expect(sent[0]!.params.reply_parameters).toMatchObject({ allow_sending_without_reply: true });
      expect(r.textTo(community)).toContain('<b>Prato</b>');
      // One message in a group (about 20 a minute is all a group takes): one page, its buttons lead on.
      expect(sent).toHaveLength(1);
      expect(textOf(sent[0]!).length).toBeLessThanOrEqual(MESSAGE_LIMIT);
      expect(keyboardOf(sent[0]!)).toEqual([
        [
          { text: 'More', callback_data: 'lookup:Prato #2' },
          { text: 'All sources', callback_data: 'sources:Prato' },
        ],
      ]);
      expect(r.to(alice.id)).toEqual([]);
      const page2 = await h.ask(callbackQuery({ data: 'lookup:Prato #2', chat: groups.community }));
      expect(page2.to(community)).toHaveLength(1);
      expect(page2.to(alice.id)).toEqual([]);
      const privately = await h.ask(callbackQuery({ data: 'lookup:Prato #2' }));
      expect(page2.textTo(community)).toBe(privately.textTo(alice.id));
    });

    it('answers an inline query with one article per suggestion holding the rendered lookup', async () => {
      const r = await h.ask(inlineQuery({ query: 'New York' }));
      const call = r.calls.find((c) => c.method === 'answerInlineQuery')!;
      const results = call.params.results as InlineQueryResultArticle[];
      const ny = results.find((x) => x.title === 'New York (United States)')!;
      const content = ny.input_message_content as { message_text: string; parse_mode: string; link_preview_options: unknown };
      expect(content.parse_mode).toBe('HTML');
      expect(content.link_preview_options).toEqual({ is_disabled: true });
      expect(content.message_text.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
      expect(content.message_text).toContain('<b>New York</b>');
      expect(content.message_text).toContain('[1] Voz');
      // Shortened, every item keeps its first lines: official responses stay beside the reports.
      const full = (await h.ask(telegramUpdate({ text: '/lookup New York' }))).textTo(alice.id);
      const headings = (html: string) => [...html.matchAll(/\n\n<b>([^<]+)<\/b>\n•/g)].map((m) => m[1]);
      expect(headings(content.message_text)).toEqual(headings(full));
      // The answer fits one message now (#12), so the inline result is the whole first answer.
      expect(content.message_text).toBe(full);
      const button = ny.reply_markup!.inline_keyboard[0]![0]! as { text: string; url: string };
      expect(button.text).toBe('Full answer with sources');
      expect(button.url).toMatch(/^https:\/\/t\.me\/lantern_test_bot\?start=l-[A-Za-z0-9_-]+$/);
      expect(call.params.is_personal).toBe(true);
      expect(r.calls.some((c) => c.method === 'sendMessage')).toBe(false);

      // The button's deep link gives the full answer in the private chat.
      const deep = await h.ask(telegramUpdate({ text: `/start ${button.url.split('start=')[1]!}` }));
      expect(deep.textTo(alice.id)).toBe(full);
      // Inline mode offers the place's map too: its button opens /map New York in the private chat.
      const mapButton = ny.reply_markup!.inline_keyboard.flat().find((b) => b.text === 'Map of this place') as { url: string };
      const mapped = await h.ask(telegramUpdate({ text: `/start ${mapButton.url.split('start=')[1]!}` }));
      const photo = mapped.calls.find((c) => c.method === 'sendPhoto')!;
      expect(Number(photo.params.chat_id)).toBe(alice.id);
      expect(String(photo.params.caption ?? '') + mapped.textTo(alice.id)).toContain('New York');
    });

    it('answers an empty inline query with no results and a button to the private chat', async () => {
      const r = await h.ask(inlineQuery({ query: '  ' }));
      const call = r.calls.find((c) => c.method === 'answerInlineQuery')!;
      expect(call.params.results).toEqual([]);
      expect(call.params.button).toEqual({ text: 'Open a private chat', start_parameter: 'help' });
    });

    it('lists the nearest stations for a location shared in a private chat, and ignores one shared in a group', async () => {
      const inGroup = await h.ask(location({ latitude: 43.88, longitude: 11.1, chat: groups.community }));
      expect(inGroup.calls.filter((c) => c.method === 'sendMessage')).toEqual([]);
      const r = await h.ask(location({ latitude: 43.77, longitude: 11.25 })); // Florence
      const all = r.textTo(alice.id);
      expect(all).toContain('<b>Reported stations nearest to the location you shared</b>');
      expect(all).toMatch(/<b>[^<]*Prato[^<]*<\/b>\n• About \d+ km away/);
      expect(all).toContain('Lantern did not store the location you shared.');
    });

    it('shows /sources in one message within Telegram’s limit, the rest behind "More"', async () => {
      const r = await h.ask(telegramUpdate({ text: '/sources' }));
      const sent = r.to(alice.id);
      expect(sent.length).toBe(1);
      expect(
        keyboardOf(sent[0]!)
          .flat()
          .some((b) => b.text === 'More'),
      ).toBe(true);
      for (const c of sent) {
        expect(textOf(c).length).toBeLessThanOrEqual(MESSAGE_LIMIT);
        expect(balanced(textOf(c))).toBe(true);
      }
      expect(r.textTo(alice.id)).toContain('/sources Prato');
    });
  });

  describe('language and text', () => {
    it('switches to Traditional Chinese with /language zh-Hant and answers the next lookup in it', async () => {
      const set = await h.ask(telegramUpdate({ text: '/language zh-Hant', from: bo }));
      expect(set.textTo(bo.id)).toBe('語言已設為繁體中文。');
      const r = await h.ask(telegramUpdate({ text: '/lookup 紐約', from: bo }));
      expect(r.textTo(bo.id)).toContain('狀態：已起訴');
      expect(r.textTo(bo.id)).toContain('<b>來源</b>');
    });

    it('answers plain text in a private chat with a hint, and stays silent on group chatter', async () => {
      const chatter = await h.ask(telegramUpdate({ text: 'hello everyone', chat: groups.community }));
      expect(chatter.calls.filter((c) => c.method === 'sendMessage')).toEqual([]);
      const r = await h.ask(telegramUpdate({ text: 'hello' }));
      expect(r.textTo(alice.id)).toBe('Send a command, for example /lookup Prato, or /help for the list.');
    });

    it('shows help for /start and a clear answer for an unknown command in a private chat only', async () => {
      expect((await h.ask(telegramUpdate({ text: '/start' }))).textTo(alice.id)).toContain('How your data is handled');
      expect((await h.ask(telegramUpdate({ text: '/frobnicate' }))).textTo(alice.id)).toContain('I don’t know that command');
      const inGroup = await h.ask(telegramUpdate({ text: '/frobnicate', chat: groups.community }));
      expect(inGroup.calls.filter((c) => c.method === 'sendMessage')).toEqual([]);
    });
  });

  describe('buttons', () => {
    it('runs a language button and always answers the callback query', async () => {
      const r = await h.ask(callbackQuery({ data: 'language:en', from: bo }));
      expect(r.textTo(bo.id)).toBe('Language set to English.');
      expect(r.calls.filter((c) => c.method === 'answerCallbackQuery')).toHaveLength(1);
    });

    for (const [what, data] of [
      ['an unknown id', 'lookup\u0000<script>'],
      ['an id over 64 bytes', 'x'.repeat(65)],
    ] as const)
      it(`answers a tampered callback (${what}) with the core’s clear error`, async () => {
        const r = await h.ask(callbackQuery({ data, from: alice }));
        expect(r.textTo(alice.id)).toBe('That value for “choice” is not valid.');
        expect(r.calls.filter((c) => c.method === 'answerCallbackQuery')).toHaveLength(1);
      });

    it('refuses a triage button pressed in the triage group by someone not on the team, privately', async () => {
      const r = await h.ask(callbackQuery({ data: 'tr:view:R-ABC123', from: alice, chat: groups.triage }));
      expect(r.textTo(alice.id)).toContain('triage team only');
      expect(r.calls.find((c) => c.method === 'answerCallbackQuery')!.params.text).toBe(ANSWERED_PRIVATELY);
      expect(r.to(groups.triage.id)).toEqual([]);
    });
  });

  describe('private answers asked for in a group', () => {
    it('sends the answer to the person’s private chat and only a short note to the group', async () => {
      const r = await h.ask(telegramUpdate({ text: '/language', chat: groups.community }));
      const [dm] = r.to(alice.id);
      expect(textOf(dm!)).toContain('Your language is English');
      expect(
        keyboardOf(dm!)
          .flat()
          .map((b) => ('callback_data' in b ? b.callback_data : '')),
      ).toEqual(['language:en', 'language:zh-Hans', 'language:zh-Hant']);
      const group = r.to(community);
      expect(group.map(textOf)).toEqual([ANSWERED_PRIVATELY]);
      expect(group[0]!.params.reply_markup).toBeUndefined();
    });

    it('posts only a link to the private chat when the person never started the bot', async () => {
      const stranger = { id: 719999, is_bot: false, first_name: 'Stranger', language_code: 'en' };
      h.fake.blockPrivateChat(stranger.id);
      const r = await h.ask(telegramUpdate({ text: '/language', from: stranger, chat: groups.community }));
      expect(r.calls.filter((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === stranger.id).map((c) => c.status)).toEqual([
        403,
      ]);
      const [note, ...more] = r.to(community);
      expect(more).toEqual([]);
      expect(textOf(note!)).toBe(
        'I cannot write to you privately yet, so your answer is not shown here. Open a private chat with me (<a href="https://t.me/lantern_test_bot?start=language">https://t.me/lantern_test_bot?start=language</a>), press Start, then send the command again there.',
      );
      expect(keyboardOf(note!)).toEqual([[{ text: 'Open a private chat', url: 'https://t.me/lantern_test_bot?start=language' }]]);
    });

    it('answers /report in a group with the core’s private-only message and a button to the private chat', async () => {
      const r = await h.ask(telegramUpdate({ text: '/report', chat: groups.community }));
      const [reply] = r.to(community);
      expect(textOf(reply!)).toContain('only works in a private chat with me');
      expect(keyboardOf(reply!)).toEqual([[{ text: 'Open a private chat', url: 'https://t.me/lantern_test_bot?start=report' }]]);
      expect(r.to(alice.id)).toEqual([]);
    });
  });

  describe('a report through Telegram, and the triage team', () => {
    const reporter = { id: 718888, is_bot: false, first_name: 'Reporter', language_code: 'en' };
    const chat = privateChat(reporter);
    const secret = 'A man followed me from the community centre and wrote down my car plate twice.';
    let publicId = '';
    let receiptCode = '';

    it('files a report with an image, using buttons, force_reply prompts and a photo download', async () => {
      let sent: FakeCall[] = [];
      const say = async (update: UpdateInput) => {
        const r = await h.ask(update);
        sent = r.to(reporter.id);
        expect(sent.length).toBeGreaterThan(0);
        return r.textTo(reporter.id);
      };
      const press = (action: string) => say(callbackQuery({ data: intakeButton(sent, action), from: reporter, chat }));
      // Every message the reporter types or sends during the report, by id.
      const typed: number[] = [];
      const own = (u: UpdateInput) => (typed.push((u as { message: { message_id: number } }).message.message_id), u);
      const type = (text: string) => say(own(telegramUpdate({ text, from: reporter, chat })));
      const start = h.fake.calls.length;

      const intro = await say(telegramUpdate({ text: '/start report', from: reporter, chat }));
      expect(intro).toContain('Report: step 1');
      expect(intro).toContain('deleted from this chat as soon as it is saved'); // said up front
      await press('cat:surveillance');
      // A prompt: force_reply with the field as placeholder, the buttons in a follow-up message.
      expect(sent[0]!.params.reply_markup).toEqual({ force_reply: true, input_field_placeholder: 'When' });
      expect(textOf(sent.at(-1)!)).toBe('Or choose:');
      await type('2025-11');
      await type('Prato');
      if (
        sent.some((c) =>
          keyboardOf(c)
            .flat()
            .some((b) => 'callback_data' in b && /:st:0$/.test(b.callback_data)),
        )
      )
        await press('st:0');
      expect(await type(secret)).toContain('You may send up to');

      // Evidence: a file declared too large is refused without being downloaded…
      const huge = h.fake.addFile(new Uint8Array(10), { fileSize: 60_000_000 });
      const r = await h.ask(document({ file: huge, mime: 'image/jpeg', name: 'huge.jpg', from: reporter, chat }));
      expect(r.textTo(reporter.id)).toContain('That image is too large: at most 10 MB.');
      expect(r.calls.filter((c) => c.method === 'getFile')).toEqual([]);
      // …and a photo is downloaded (the largest size that fits) and accepted.
      const jpeg = await sharp({ create: { width: 16, height: 12, channels: 3, background: '#c33' } })
        .jpeg()
        .withExif({
          IFD0: { Copyright: 'MARKER-EXIF' },
          IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '43/1 52/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '11/1 5/1 0/1' },
        })
        .toBuffer();
      expect((await sharp(jpeg).metadata()).exif).toBeDefined();
      const small = h.fake.addFile(new Uint8Array(jpeg.subarray(0, 100)));
      const large = h.fake.addFile(new Uint8Array(jpeg));
      const p = await h.ask(own(photo({ sizes: [small, large], from: reporter, chat })));
      expect(p.calls.filter((c) => c.method === 'getFile').map((c) => c.params.file_id)).toEqual([large.file_id]);
      expect(p.textTo(reporter.id)).toContain('Image 1 received; its metadata was removed.');
      sent = p.to(reporter.id);

      await press('done');
      await press('skip');
      await press('yes');
      await press('no');
      expect(await press('no')).toContain(secret);
      // The optional details (#14); the identifiers typed leave the chat like every other answer.
      expect(await press('details')).toContain('Optional details: 1 of 4');
      await press('who:station');
      await press('how:in_person');
      expect(
        sent.flatMap((c) =>
          keyboardOf(c)
            .flat()
            .map((b) => b.text),
        ),
      ).toContain('✓ In person');
      await press('done');
      await press('skip');
      expect(await type('WeChat: example_id')).toContain('Their numbers or accounts: WeChat: example_id');
      const botIds = h.fake
        .callsOf('sendMessage', start)
        .filter((c) => Number(c.params.chat_id) === reporter.id && c.status === 200)
        .map((c) => (c.result as { message_id: number }).message_id);
      const receipt = await press('submit');
      expect(receipt).toContain('Your receipt code');
      // By the time the receipt shows, the chat holds nothing of the report but the receipt.
      const deleted = () =>
        h.fake
          .callsOf('deleteMessage', start)
          .filter((c) => Number(c.params.chat_id) === reporter.id)
          .map((c) => Number(c.params.message_id));
      expect(typed.length).toBeGreaterThanOrEqual(4);
      expect(deleted()).toEqual(expect.arrayContaining(typed));
      expect(deleted()).toEqual(expect.arrayContaining(botIds));
      const receiptMessage = sent.find((c) => textOf(c).includes('Your receipt code'))!;
      const receiptId = (receiptMessage.result as { message_id: number }).message_id;
      expect(deleted()).not.toContain(receiptId);
      // One button deletes the receipt too, once the code is saved.
      await h.ask(callbackQuery({ data: intakeButton(sent, 'msg:delete'), from: reporter, chat, messageId: receiptId }));
      expect(deleted()).toContain(receiptId);
      publicId = /(R-[0-9A-Z]{6})/.exec(receipt)![1]!;
      receiptCode = /([0-9A-Z]{4}(?:-[0-9A-Z]{4}){4})/.exec(receipt)![1]!;

      // The stored copy of the photo is encrypted, and once opened carries no EXIF or GPS.
      const stored = await h.app.db.prisma.evidence.findFirstOrThrow({ where: { report: { publicId } } });
      expect(stored.sha256Original).toBe(fileFingerprint(h.app.keyring, jpeg));
      const clean = await openEvidence(h.app.db.prisma, h.app.keyring, stored);
      expect((await sharp(clean).metadata()).exif).toBeUndefined();
      expect(clean.toString('latin1')).not.toContain('MARKER-EXIF');
    });

    it('notifies the triage group without content, and shows the report only in a member’s private chat', async () => {
      expect(publicId).not.toBe('');
      const before = h.fake.calls.length;
      expect(await h.app.deliverNotices()).toBe(1);
      const [notice, ...more] = h.fake.callsOf('sendMessage', before).filter((c) => Number(c.params.chat_id) === groups.triage.id);
      expect(more).toEqual([]);
      expect(textOf(notice!)).toMatch(
        new RegExp(
          `^New report ${publicId}: Surveillance, being followed or photographed · severity: not set · \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC$`,
        ),
      );
      const view = keyboardOf(notice!)
        .flat()
        .find((b) => 'callback_data' in b && b.callback_data.includes(':view:')) as { callback_data: string } | undefined;
      expect(view).toBeDefined();

      // A team member presses "View" in the group: the content goes to their private chat only.
      const r = await h.ask(callbackQuery({ data: view!.callback_data, from: triager, chat: groups.triage }));
      expect(r.textTo(triager.id)).toContain(secret);
      expect(r.textTo(triager.id)).toContain(publicId);
      expect(r.to(groups.triage.id)).toEqual([]);
      expect(r.calls.find((c) => c.method === 'answerCallbackQuery')!.params.text).toBe(ANSWERED_PRIVATELY);
    });

    it('gives a reviewer (TELEGRAM_TRIAGE_REVIEWER_IDS) the queue and the help for their role, not exports', async () => {
      const help = await h.ask(telegramUpdate({ text: '/triage', from: bo, chat: privateChat(bo) }));
      expect(help.textTo(bo.id)).toContain('/triage queue');
      expect(help.textTo(bo.id)).not.toContain('/triage export');
      const exported = await h.ask(telegramUpdate({ text: '/triage export ngo', from: bo, chat: privateChat(bo) }));
      expect(exported.textTo(bo.id)).toMatch(/Only a lead of the triage team may use “export”|只有审核团队的负责人可以使用“export”/);
      expect(exported.calls.filter((c) => c.method === 'sendDocument')).toEqual([]);
    });

    it('follows the authorization matrix: every action for a non-member, a reviewer and a lead', async () => {
      const forbidden = /triage team only|仅供审核团队使用/;
      const leadOnly = /Only a lead of the triage team|只有审核团队的负责人/;
      for (const a of TRIAGE_ACTIONS) {
        const say = async (u: User) =>
          (await h.ask(telegramUpdate({ text: `/triage ${a} ${publicId} x`, from: u, chat: privateChat(u) }))).textTo(u.id);
        expect(await say(alice), a).toMatch(forbidden);
        const reviewer = await say(bo);
        expect(reviewer, a).not.toMatch(forbidden);
        if (LEAD_ACTIONS.has(a)) expect(reviewer, a).toMatch(leadOnly);
        else expect(reviewer, a).not.toMatch(leadOnly);
        const lead = await say(triager);
        expect(lead, a).not.toMatch(forbidden);
        expect(lead, a).not.toMatch(leadOnly);
      }
    });

    it('sends /triage stats as a photo to the member’s private chat, small counts as <5', async () => {
      const r = await h.ask(telegramUpdate({ text: '/triage stats', from: triager, chat: privateChat(triager) }));
      const photo = r.calls.find((c) => c.method === 'sendPhoto' && c.status === 200)!;
      expect(Number(photo.params.chat_id)).toBe(triager.id);
      expect(String(photo.params.caption ?? '') + r.textTo(triager.id)).toContain('&lt;5'); // HTML-escaped
    });

    it('lets a lead change the team without a restart (/triage role), audited; not their own role', async () => {
      const lead = (text: string) => h.ask(telegramUpdate({ text, from: triager, chat: privateChat(triager) }));
      const asAlice = () => h.ask(telegramUpdate({ text: '/triage queue', from: alice, chat: privateChat(alice) }));
      expect((await asAlice()).textTo(alice.id)).toContain('triage team only');
      expect((await lead(`/triage role add ${alice.id} reviewer`)).textTo(triager.id)).toContain('is now: reviewer');
      expect((await asAlice()).textTo(alice.id)).not.toContain('triage team only');
      // The environment's reviewer can be taken off the team, too.
      expect((await lead(`/triage role remove ${bo.id}`)).textTo(triager.id)).toContain('is now: removed');
      expect((await h.ask(telegramUpdate({ text: '/triage queue', from: bo, chat: privateChat(bo) }))).textTo(bo.id)).toMatch(
        /triage team only|仅供审核团队使用/,
      );
      expect((await lead(`/triage role remove ${triager.id}`)).textTo(triager.id)).toContain('cannot change your own role');
      const list = (await lead('/triage role list')).textTo(triager.id);
      expect(list).toMatch(/#[0-9a-f]{6} · reviewer/);
      expect(list).toMatch(/#[0-9a-f]{6} · removed/);
      expect((await lead(`/triage role remove ${alice.id}`)).textTo(triager.id)).toContain('is now: removed');
      expect((await asAlice()).textTo(alice.id)).toContain('triage team only');
      expect(await h.app.db.prisma.auditEvent.count({ where: { action: 'team.role' } })).toBe(3);
    });

    it('lets a team member use /triage in the triage group (answered privately), but not in another group', async () => {
      const r = await h.ask(telegramUpdate({ text: '/triage queue', from: triager, chat: groups.triage }));
      expect(r.to(groups.triage.id).map(textOf)).toEqual([ANSWERED_PRIVATELY]);
      expect(r.textTo(triager.id)).toContain(publicId);
      const other = await h.ask(telegramUpdate({ text: '/triage queue', from: triager, chat: groups.community }));
      expect(other.textTo(triager.id)).toContain('triage team only');
      expect(other.textTo(triager.id)).not.toContain(publicId);
    });

    it('sends exports and evidence only to a member’s private chat, and relays a message to a consenting reporter', async () => {
      const exp = await h.ask(telegramUpdate({ text: '/triage export ngo new', from: triager, chat: groups.triage }));
      const docs = exp.calls.filter((c) => c.method === 'sendDocument');
      expect(docs.flatMap((c) => c.files.map((f) => f.name.replace(/^lantern-ngo-[\d-]{10}-/, ''))).sort()).toEqual([
        'manifest.json.age',
        'reports.csv.age',
        'reports.json.age',
      ]);
      expect(docs.every((c) => Number(c.params.chat_id) === triager.id && c.status === 200)).toBe(true);
      expect(exp.to(groups.triage.id).map(textOf)).toEqual([ANSWERED_PRIVATELY]);

      const ev = await h.ask(telegramUpdate({ text: `/triage evidence ${publicId}`, from: triager, chat: privateChat(triager) }));
      const images = ev.calls.filter((c) => c.method === 'sendDocument');
      expect(images.map((c) => [Number(c.params.chat_id), c.files[0]!.name])).toEqual([[triager.id, `${publicId}-1.jpeg`]]);

      const relayed = await h.ask(
        telegramUpdate({
          text: `/triage contact ${publicId} Could you tell us <which> day it was?`,
          from: triager,
          chat: privateChat(triager),
        }),
      );
      expect(relayed.textTo(reporter.id)).toContain(`Message from the Lantern triage team about your report ${publicId}`);
      expect(relayed.textTo(reporter.id)).toContain('Could you tell us &lt;which&gt; day it was?');
      expect(relayed.textTo(triager.id)).toContain(`Your message was relayed to the reporter of ${publicId}`);
      expect(relayed.textTo(triager.id)).not.toContain(String(reporter.id));
    });

    it('lets the reporter read the team’s message in the mailbox, answer it and add an image; the team sees both', async () => {
      const box = await h.ask(telegramUpdate({ text: `/myreports ${receiptCode}`, from: reporter, chat }));
      expect(box.textTo(reporter.id)).toContain('Could you tell us &lt;which&gt; day it was?');
      const reply = await h.ask(callbackQuery({ data: intakeButton(box.to(reporter.id), 'mb:reply'), from: reporter, chat }));
      expect(reply.to(reporter.id)[0]!.params.reply_markup).toMatchObject({ force_reply: true });
      const answered = await h.ask(telegramUpdate({ text: 'It was a Sunday, MAILBOX-ANSWER.', from: reporter, chat }));
      expect(answered.textTo(reporter.id)).toContain(`Your answer was added to ${publicId}`);
      const ask = await h.ask(callbackQuery({ data: intakeButton(answered.to(reporter.id), 'mb:evidence'), from: reporter, chat }));
      const png = await sharp({ create: { width: 20, height: 10, channels: 3, background: '#3c3' } })
        .png()
        .toBuffer();
      const added = await h.ask(photo({ sizes: [h.fake.addFile(new Uint8Array(png))], from: reporter, chat }));
      expect(added.textTo(reporter.id)).toContain(`Image added to ${publicId}`);
      expect(ask.textTo(reporter.id)).toContain('metadata');

      const before = h.fake.calls.length;
      expect(await h.app.deliverNotices()).toBe(2);
      const notices = h.fake
        .callsOf('sendMessage', before)
        .filter((c) => Number(c.params.chat_id) === groups.triage.id)
        .map(textOf);
      expect(
        notices.every((n) => n.startsWith(`Report ${publicId} has an answer from its reporter`) && !n.includes('MAILBOX-ANSWER')),
      ).toBe(true);
      const view = await h.ask(telegramUpdate({ text: `/triage view ${publicId}`, from: triager, chat: privateChat(triager) }));
      expect(view.textTo(triager.id)).toContain('Reporter, ');
      expect(view.textTo(triager.id)).toContain('MAILBOX-ANSWER');
      expect(view.textTo(triager.id)).toContain(`2 images: /triage evidence ${publicId}`);
    });

    it('deletes the bot’s own intake messages when a report is cancelled', async () => {
      const canceller = { id: 717777, is_bot: false, first_name: 'Canceller', language_code: 'en' };
      const first = await h.ask(telegramUpdate({ text: '/report', from: canceller }));
      const second = await h.ask(callbackQuery({ data: intakeButton(first.to(canceller.id), 'cat:online_harassment'), from: canceller }));
      const intakeIds = [...first.to(canceller.id), ...second.to(canceller.id)].map((c) => (c.result as { message_id: number }).message_id);
      const r = await h.ask(callbackQuery({ data: intakeButton(second.to(canceller.id), 'cancel'), from: canceller }));
      expect(r.textTo(canceller.id)).toBe('Your draft was deleted. Nothing was sent.');
      const deleted = r.calls
        .filter((c) => c.method === 'deleteMessage')
        .map((c) => [Number(c.params.chat_id), Number(c.params.message_id)]);
      expect(deleted).toEqual(intakeIds.map((id) => [canceller.id, id]));
    });
  });

  describe('reliability', () => {
    it('retries after a 429 with retry_after, then delivers', async () => {
      h.fake.failNext(1, { status: 429, retryAfter: 1 }, 'sendMessage');
      const r = await h.ask(telegramUpdate({ text: '/help' }));
      const attempts = r.calls.filter((c) => c.method === 'sendMessage');
      expect(attempts.map((c) => c.status)).toEqual([429, 200]);
      expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(950);
      expect(r.textTo(alice.id)).toContain('How your data is handled');
    });

    it('retries after a 500 once, then delivers', async () => {
      h.fake.failNext(1, { status: 500 }, 'sendMessage');
      const r = await h.ask(telegramUpdate({ text: '/resources' }));
      expect(r.calls.filter((c) => c.method === 'sendMessage').map((c) => c.status)).toEqual([500, 200]);
      expect(r.textTo(alice.id)).toContain('Digital safety basics');
    });

    it('answers a malformed update with the apology, logs only its id, and keeps running', async () => {
      const r = await h.ask(telegramUpdate({ text: '/lookup Prato', noSender: true, chat: privateChat(alice) }));
      expect(r.textTo(alice.id)).toBe('Sorry, something went wrong on our side. Nothing you sent was lost; please try again in a moment.');
      const logged = h.log.lines.filter((l) => l.includes('telegram update failed'));
      expect(logged).toHaveLength(1);
      expect(JSON.parse(logged[0]!)).toMatchObject({ level: 'error', kind: 'message', err: { name: 'MalformedUpdateError' } });
      expect(logged[0]).not.toContain('Prato');
      const next = await h.ask(telegramUpdate({ text: '/lookup Prato' }));
      expect(next.textTo(alice.id)).toContain('<b>Prato</b>');
    });

    it('never logs a person’s id, name, chat id, message text or the token', () => {
      const all = h.log.lines.join('\n');
      expect(all).toContain('telegram adapter started');
      for (const p of [alice, bo, triager]) {
        expect(all).not.toContain(String(p.id));
        expect(all).not.toContain(p.first_name);
      }
      for (const username of [alice.username, triager.username]) expect(all).not.toContain(username);
      expect(all).not.toContain(String(community));
      expect(all).not.toContain(String(groups.triage.id));
      expect(all).not.toContain('car plate');
      expect(all).not.toContain('New York');
      expect(all).not.toContain(h.fake.token);
    });
  });
});
