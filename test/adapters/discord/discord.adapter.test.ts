/**
 * The Discord adapter end to end: the real discord.js client of the adapter, the real App on a
 * fresh PGlite, and the local fake Discord (REST + gateway on 127.0.0.1). No mocks of discord.js.
 */
import { LEAD_ACTIONS, TRIAGE_ACTIONS } from '../../../src/core/triage/triage.service.ts';
import sharp from 'sharp';
import { fileFingerprint } from '../../../src/core/crypto/crypto.ts';
import { openEvidence } from '../../support/sealed.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineCommand } from '../../../commands/define.ts';
import type { AnyCommand } from '../../../src/core/commands/command.types.ts';
import { textReply } from '../../../src/core/reply.ts';
import { ok } from '../../../src/core/result.ts';
import { t } from '../../../src/core/i18n/catalog.ts';
import {
  autocompleteInteraction,
  buttonInteraction,
  dmChannel,
  dmMessage,
  FAKE,
  modalSubmit,
  newUser,
  selectInteraction,
  slashInteraction,
  type FakeUser,
  type RecordedCall,
  type RecordedCallback,
} from '../../support/fake-discord.ts';
import { captureLogger, startHarness, type Harness } from './harness.ts';
import { allCommands } from '../../../commands/index.ts';
import { Lantern } from '../../../src/core/lantern.ts';
import { HttpServer } from '../../../src/http.ts';
import { createDiscordAdapter } from '../../../src/adapters/discord/discord.adapter.ts';
import { fileEcho } from '../../support/file-echo.ts';

const EPHEMERAL = 64;

/** Test-only commands: one that fails, one that is slow, one that takes a file option. */
const boom = defineCommand({
  name: 'boom',
  description: 'cmd.help.description',
  usage: 'cmd.help.usage',
  audience: 'everyone',
  where: 'anywhere',
  options: {},
  handler: async () => Promise.reject(new Error('handler exploded')),
}) as unknown as AnyCommand;
const slow = defineCommand({
  name: 'slow',
  description: 'cmd.help.description',
  usage: 'cmd.help.usage',
  audience: 'everyone',
  where: 'anywhere',
  options: {},
  handler: async () => {
    await new Promise((r) => setTimeout(r, 1_300));
    return ok(textReply('slow but private', { private: true }));
  },
}) as unknown as AnyCommand;

/** The message a callback or webhook call carries. */
const messageOf = (c: RecordedCall): any => ((c as RecordedCallback).interactionId ? (c as RecordedCallback).data : c.body);
/** Every embed title and description of a message, joined. */
const textOf = (c: RecordedCall): string =>
  (messageOf(c)?.embeds ?? []).map((e: any) => [e.title, e.description].filter(Boolean).join('\n')).join('\n');
/** Every component of a message, flattened (rows, and labels in modals). */
const componentsOf = (c: RecordedCall): any[] =>
  (messageOf(c)?.components ?? []).flatMap((row: any) => row.components ?? (row.component ? [row.component] : []));
const ids = (c: RecordedCall): string[] =>
  componentsOf(c).flatMap((x) => (x.type === 3 ? x.options.map((o: any) => o.value) : [x.custom_id]));
const flags = (c: RecordedCall): number => messageOf(c)?.flags ?? 0;
/** The intake id for an action, read from the rendered buttons and select options. */
const intakeId = (c: RecordedCall, action: string) => {
  const id = ids(c).find((x) => new RegExp(`^rp:\\d+:${action}$`).test(x));
  if (!id) throw new Error(`no ${action} in ${JSON.stringify(ids(c))}`);
  return id;
};

let h: Harness;
const usersSeen: FakeUser[] = [FAKE.user];
const user = () => {
  const u = newUser();
  usersSeen.push(u);
  return u;
};

beforeAll(async () => {
  h = await startHarness({ extraCommands: [boom, slow, fileEcho], adapter: { deferAfterMs: 1_000 } });
});
afterAll(async () => {
  await h?.close();
});

describe('Discord adapter', () => {
  describe('lookup and sources', () => {
    it('answers /lookup New York with embeds, numbered citations with quotes, and no mentions', async () => {
      const cb = await h.fake.interact(slashInteraction('lookup', { place: 'New York' }));
      expect(cb.type).toBe(4);
      expect(flags(cb) & EPHEMERAL).toBe(0);
      expect(cb.data.allowed_mentions).toEqual({ parse: [] });
      const embeds = cb.data.embeds as any[];
      expect(embeds[0].title).toContain('New York');
      expect(embeds[0].description).toMatch(/Status: prosecuted \(date unknown\) \[1\]/);
      const sources = embeds.find((e) => e.title === 'Sources');
      expect(sources.description).toMatch(
        /^\[1\] Voz \(VozMedia\), “Communist China opens 'police station' in New York City” \(date unknown\)\. Link unknown\.\n> “On April 17, the Department of Justice announced the arrest and indictment of two Chinese nationals\.”/,
      );
      expect(sources.description).toMatch(/\[2\] FISM News, .*\(c\. 2022-09\)/);
      for (const e of embeds) expect(e.description.length).toBeLessThanOrEqual(4096);
    });

    it('suggests Toronto when someone types "Tor"', async () => {
      const cb = await h.fake.interact(autocompleteInteraction('lookup', 'place', 'Tor'));
      expect(cb.type).toBe(8);
      expect(cb.data.choices).toContainEqual({ name: 'Toronto (Canada)', value: 'Toronto' });
      expect(cb.data.choices.length).toBeLessThanOrEqual(25);
    });

    it('answers a lookup in the bot’s DMs as an ordinary message', async () => {
      const cb = await h.fake.interact(slashInteraction('lookup', { place: 'Prato' }, { guild: null }));
      expect(cb.type).toBe(4);
      expect(flags(cb) & EPHEMERAL).toBe(0);
      expect(textOf(cb)).toContain('Prato');
      expect(textOf(cb)).toMatch(/\[1\]/);
    });

    it('applies the text rules to slash options too: a bidi override in a place is refused, in the person’s language', async () => {
      const cb = await h.fake.interact(slashInteraction('lookup', { place: '\u202EotarP' }));
      expect(textOf(cb)).toMatch(/invisible control characters/);
      expect(textOf(cb)).not.toMatch(/Status:/);
    });

    it('lists the dataset’s sources with /sources', async () => {
      const cb = await h.fake.interact(slashInteraction('sources'));
      expect(textOf(cb)).toMatch(/5 sources, \d+ cited statements/);
      expect(textOf(cb)).toContain('Publisher: AMAC Newsline');
      expect(textOf(cb)).toContain('Link: https://amac.us/newsline/national-security/what-are-chinese-police-doing-in-the-u-s/');
    });
  });

  describe('languages', () => {
    it('speaks Traditional Chinese after /language zh-Hant', async () => {
      const u = user();
      const set = await h.fake.interact(slashInteraction('language', { language: 'zh-Hant' }, { user: u }));
      expect(textOf(set)).toContain('語言已設為繁體中文');
      expect(flags(set) & EPHEMERAL).toBe(EPHEMERAL);
      const cb = await h.fake.interact(slashInteraction('lookup', { place: 'New York' }, { user: u, locale: 'en-US' }));
      expect(textOf(cb)).toContain('狀態');
      expect((messageOf(cb).embeds as any[]).some((e) => e.title === '來源')).toBe(true);
    });

    it('uses the Discord client’s language (zh-TW) by default', async () => {
      const cb = await h.fake.interact(slashInteraction('lookup', { place: 'New York' }, { user: user(), locale: 'zh-TW' }));
      expect(textOf(cb)).toContain('狀態');
    });

    it('offers the languages as buttons and switches with one', async () => {
      const u = user();
      const menu = await h.fake.interact(slashInteraction('language', {}, { user: u }));
      expect(componentsOf(menu).map((c) => [c.type, c.custom_id])).toEqual([
        [2, 'language:en'],
        [2, 'language:zh-Hans'],
        [2, 'language:zh-Hant'],
      ]);
      const cb = await h.fake.interact(buttonInteraction('language:zh-Hans', { ephemeral: true }, { user: u }));
      expect(textOf(cb)).toContain('语言已设为简体中文');
      expect(flags(cb) & EPHEMERAL).toBe(EPHEMERAL);
    });
  });

  describe('buttons and errors', () => {
    it('answers a tampered or unknown custom id with the core’s clear error, ephemeral', async () => {
      const invalid = t('en', 'error.input_invalid', { option: 'choice' });
      for (const payload of [
        buttonInteraction('zz:tampered'),
        buttonInteraction('dc:p:oops'),
        selectInteraction('dc:s:0', 'x'.repeat(101)),
        selectInteraction('other', 'language:en'),
      ]) {
        const cb = await h.fake.interact(payload);
        expect(cb.type).toBe(4);
        expect(flags(cb) & EPHEMERAL).toBe(EPHEMERAL);
        expect(textOf(cb)).toBe(invalid);
      }
    });

    it('lets discord.js wait out a 429 and retry a 5xx: the reply still arrives', async () => {
      h.fake.fail({ status: 429, times: 1, path: /\/callback$/, retryAfter: 0.3 });
      const started = performance.now();
      const payload = slashInteraction('lookup', { place: 'Toronto' });
      const cb = await h.fake.interact(payload);
      expect(performance.now() - started).toBeGreaterThanOrEqual(250);
      expect(textOf(cb)).toContain('Toronto');
      const attempts = h.fake.calls.filter((c) => c.path.startsWith(`/interactions/${payload.id}/`));
      expect(attempts.map((c) => c.status)).toEqual([429, 204]);

      h.fake.fail({ status: 502, times: 1, path: /\/callback$/ });
      const again = slashInteraction('lookup', { place: 'Prato' });
      expect(textOf(await h.fake.interact(again))).toContain('Prato');
      expect(h.fake.calls.filter((c) => c.path.startsWith(`/interactions/${again.id}/`)).map((c) => c.status)).toEqual([502, 204]);
    });

    it('answers a failing handler with the apology, logs only the interaction id, and keeps working', async () => {
      const u = user();
      const payload = slashInteraction('boom', {}, { user: u, locale: 'zh-TW' });
      const cb = await h.fake.interact(payload);
      expect(flags(cb) & EPHEMERAL).toBe(EPHEMERAL);
      expect(textOf(cb)).toBe(t('zh-Hant', 'common.internal_error'));
      expect(JSON.stringify(cb.body)).not.toContain('exploded');
      const line = h.log.entries.find((e) => e.msg === 'discord interaction failed');
      expect(line?.obj).toMatchObject({ interaction: payload.id });
      expect(JSON.stringify(line)).not.toContain(u.id);
      const next = await h.fake.interact(slashInteraction('lookup', { place: 'New York' }, { user: u }));
      expect(textOf(next)).toContain('New York');
    });

    it('defers a slow answer in public, and sends a private answer as a new ephemeral message, never deleting the original', async () => {
      const payload = slashInteraction('slow');
      const cb = await h.fake.interact(payload);
      expect(cb.type).toBe(5);
      expect(flags(cb) & EPHEMERAL).toBe(0);
      const followUp = await h.fake.waitFor((c) => c.method === 'POST' && c.path === `/webhooks/${FAKE.applicationId}/${payload.token}`);
      const calls = h.fake.webhookCalls(payload.token);
      // the deferred original is edited to a neutral line; a follow-up after it is documented as a new message
      expect(calls.map((c) => `${c.method} ${c.rawPath.split('/').slice(4).join('/')}`)).toEqual(['PATCH messages/%40original', 'POST ']);
      expect(textOf(calls[0]!)).toBe(t('en', 'discord.answered_privately'));
      expect(textOf(calls[0]!)).not.toContain('slow but private');
      expect(flags(followUp) & EPHEMERAL).toBe(EPHEMERAL);
      expect(textOf(followUp)).toBe('slow but private');
    });

    it('downloads an attachment option into an IncomingFile, and refuses an oversized one without downloading it', async () => {
      const bytes = new Uint8Array(1234).fill(7);
      const url = h.fake.serveFile('small.bin', bytes);
      const cb = await h.fake.interact(
        slashInteraction('file_echo', {
          file: { attachment: { url, filename: 'small.bin', size: bytes.byteLength, contentType: 'application/octet-stream' } },
        }),
      );
      expect(textOf(cb)).toBe('received 1234 bytes named small.bin');
      const big = h.fake.serveFile('big.bin', new Uint8Array(10));
      const refused = await h.fake.interact(
        slashInteraction('file_echo', {
          file: { attachment: { url: big, filename: 'big.bin', size: 50_000_000, contentType: 'image/png' } },
        }),
      );
      expect(textOf(refused)).toBe(t('en', 'error.file_too_large', { mb: 10 }));
      expect(flags(refused) & EPHEMERAL).toBe(EPHEMERAL);
      expect(h.fake.downloads('big.bin')).toBe(0);
      // a declared size that lies: the download stops at the limit
      const liar = h.fake.serveFile('liar.bin', new Uint8Array(10_000_001));
      const stopped = await h.fake.interact(
        slashInteraction('file_echo', { file: { attachment: { url: liar, filename: 'liar.bin', size: 1_000, contentType: 'image/png' } } }),
      );
      expect(textOf(stopped)).toBe(t('en', 'error.file_too_large', { mb: 10 }));
    });

    it('answers a failing DM message with the apology in the DM, logging only the message id', async () => {
      const u = user();
      const message = dmMessage(
        '',
        [{ url: `${h.fake.filesRoot}/missing.png`, filename: 'missing.png', size: 10, contentType: 'image/png' }],
        u,
      );
      h.fake.dm(message);
      const apology = await h.fake.waitFor((c) => c.path === `/channels/${dmChannel(u)}/messages`);
      expect(textOf(apology)).toBe(t('en', 'common.internal_error'));
      expect(messageOf(apology).allowed_mentions).toEqual({ parse: [] });
      expect(h.log.entries.find((e) => e.msg === 'discord direct message failed')?.obj).toMatchObject({ messageId: message.id });
    });
  });

  describe('triage', () => {
    it('refuses /triage to a member without the triage role, and outside the triage server', async () => {
      const forbidden = t('en', 'error.triage_forbidden');
      const noRole = await h.fake.interact(
        slashInteraction('triage', { action: 'queue' }, { guild: FAKE.triageGuild.id, roles: [FAKE.otherRole], user: user() }),
      );
      const elsewhere = await h.fake.interact(
        slashInteraction('triage', { action: 'queue' }, { guild: FAKE.communityGuild.id, roles: [FAKE.triageRole], user: user() }),
      );
      const inDm = await h.fake.interact(slashInteraction('triage', { action: 'queue' }, { guild: null, user: user() }));
      for (const cb of [noRole, elsewhere]) {
        expect(textOf(cb)).toBe(forbidden);
        expect(flags(cb) & EPHEMERAL).toBe(EPHEMERAL);
      }
      expect(textOf(inDm)).toBe(forbidden);
    });

    it('follows the authorization matrix: every action for a non-member, a reviewer and a lead', async () => {
      // The refusals do not depend on the report: an id that does not exist is answered past them.
      const publicId = 'R-ABC123';
      const as = (roles: string[]) => ({ guild: FAKE.triageGuild.id, roles, user: user() });
      for (const action of TRIAGE_ACTIONS) {
        const say = async (roles: string[]) =>
          textOf(await h.fake.interact(slashInteraction('triage', { action, args: `${publicId} x` }, as(roles))));
        expect(await say([FAKE.otherRole]), action).toMatch(/triage team only/);
        const reviewer = await say([FAKE.reviewerRole]);
        expect(reviewer, action).not.toMatch(/triage team only/);
        if (LEAD_ACTIONS.has(action)) expect(reviewer, action).toMatch(/Only a lead of the triage team/);
        else expect(reviewer, action).not.toMatch(/Only a lead of the triage team/);
        const lead = await say([FAKE.triageRole]);
        expect(lead, action).not.toMatch(/triage team only|Only a lead of the triage team/);
      }
    });

    it('gives a member with the reviewer role the queue, and refuses them an export (a lead’s)', async () => {
      const reviewer = { guild: FAKE.triageGuild.id, roles: [FAKE.reviewerRole], user: user() };
      const queue = await h.fake.interact(slashInteraction('triage', { action: 'queue' }, reviewer));
      expect(textOf(queue)).not.toMatch(/triage team only/);
      const exported = await h.fake.interact(slashInteraction('triage', { action: 'export', args: 'ngo' }, reviewer));
      expect(flags(exported) & EPHEMERAL).toBe(EPHEMERAL);
      expect(textOf(exported)).toContain('Only a lead of the triage team may use “export”');
    });

    it('answers /triage queue to a team member in the triage server, ephemeral', async () => {
      const cb = await h.fake.interact(
        slashInteraction('triage', { action: 'queue' }, { guild: FAKE.triageGuild.id, roles: [FAKE.triageRole], user: user() }),
      );
      expect(cb.data.embeds[0].title ?? textOf(cb)).toMatch(/Report queue|No report/);
      expect(flags(cb) & EPHEMERAL).toBe(EPHEMERAL);
    });
  });

  describe('report intake', () => {
    const what = 'A man from the association said my parents would suffer if I did not go back.';
    let publicId = '';

    it('runs /report in a server entirely in ephemeral messages, with modals for typed answers', async () => {
      const u = user();
      const where = { user: u, guild: FAKE.communityGuild.id };
      const eph = { ephemeral: true };
      const start = h.fake.calls.length;
      let cb = await h.fake.interact(slashInteraction('report', {}, where));
      expect(flags(cb) & EPHEMERAL).toBe(EPHEMERAL);
      const select = componentsOf(cb).find((c) => c.type === 3);
      expect(select.custom_id).toBe('dc:s:0');
      expect(select.options.length).toBeGreaterThan(5);

      cb = await h.fake.interact(selectInteraction('dc:s:0', intakeId(cb, 'cat:persuade_return'), eph, where));
      const promptButton = componentsOf(cb).find((c) => c.custom_id?.startsWith('dc:p:'));
      expect(promptButton).toMatchObject({ type: 2, custom_id: 'dc:p:10:s:When', label: 'Type your answer: When' });
      const modal = await h.fake.interact(buttonInteraction(promptButton.custom_id, eph, where));
      expect(modal.type).toBe(9);
      expect(modal.data).toMatchObject({ custom_id: 'dc:modal', title: 'Your answer' });
      expect(modal.data.components[0]).toMatchObject({
        type: 18,
        label: 'When',
        component: { type: 4, custom_id: 'dc:text', style: 1, max_length: 10, required: true },
      });

      cb = await h.fake.interact(modalSubmit('dc:modal', { 'dc:text': '2025-11' }, eph, where));
      cb = await h.fake.interact(modalSubmit('dc:modal', { 'dc:text': 'Prato' }, eph, where));
      cb = await h.fake.interact(buttonInteraction(intakeId(cb, 'st:0'), eph, where));
      const multiline = componentsOf(cb).find((c) => c.custom_id?.startsWith('dc:p:'));
      expect(multiline.custom_id).toMatch(/^dc:p:\d+:m:/);
      cb = await h.fake.interact(modalSubmit('dc:modal', { 'dc:text': what }, eph, where));
      expect(textOf(cb)).toContain(t('en', 'discord.evidence_in_dm'));
      cb = await h.fake.interact(buttonInteraction(intakeId(cb, 'skip'), eph, where)); // evidence
      cb = await h.fake.interact(buttonInteraction(intakeId(cb, 'skip'), eph, where)); // contact
      cb = await h.fake.interact(buttonInteraction(intakeId(cb, 'yes'), eph, where));
      cb = await h.fake.interact(buttonInteraction(intakeId(cb, 'no'), eph, where));
      cb = await h.fake.interact(buttonInteraction(intakeId(cb, 'no'), eph, where));
      expect(textOf(cb)).toContain('my parents would suffer');
      // The optional details (#14): the lists as selects, the identifiers typed in a modal.
      cb = await h.fake.interact(buttonInteraction(intakeId(cb, 'details'), eph, where));
      cb = await h.fake.interact(selectInteraction('dc:s:0', intakeId(cb, 'who:association'), eph, where));
      cb = await h.fake.interact(selectInteraction('dc:s:0', intakeId(cb, 'how:via_family'), eph, where));
      cb = await h.fake.interact(selectInteraction('dc:s:0', intakeId(cb, 'done'), eph, where));
      cb = await h.fake.interact(selectInteraction('dc:s:0', intakeId(cb, 'family:contacted'), eph, where));
      expect(componentsOf(cb).find((c) => c.custom_id?.startsWith('dc:p:'))).toMatchObject({
        custom_id: 'dc:p:300:s:Their numbers or accounts',
      });
      cb = await h.fake.interact(modalSubmit('dc:modal', { 'dc:text': '+44 7700 900123' }, eph, where));
      for (const line of [
        'Who contacted you: A community or hometown association',
        'How: Through family in China',
        'Family in China: Yes, contacted',
        'Their numbers or accounts: +44 7700 900123',
      ])
        expect(textOf(cb)).toContain(line);
      cb = await h.fake.interact(buttonInteraction(intakeId(cb, 'submit'), eph, where));
      expect(textOf(cb)).toMatch(/Your receipt code: [0-9A-Z]{4}(-[0-9A-Z]{4}){4}/);
      publicId = /(R-[0-9A-Z]{6})/.exec(textOf(cb))![1]!;

      // every answer of this conversation was ephemeral
      const answers = h.fake.calls.slice(start).filter((c): c is RecordedCallback => (c as RecordedCallback).type === 4);
      expect(answers).toHaveLength(18);
      for (const a of answers) expect(flags(a) & EPHEMERAL).toBe(EPHEMERAL);
    });

    it('posts the notice in the triage channel without the report’s content, and the team opens it', async () => {
      expect(publicId).not.toBe('');
      expect(await h.app.deliverNotices()).toBe(1);
      const notice = await h.fake.waitFor((c) => c.path === `/channels/${FAKE.triageChannel}/messages`);
      expect(textOf(notice)).toContain(`New report ${publicId}`);
      expect(textOf(notice)).not.toContain('parents');
      expect(messageOf(notice).allowed_mentions).toEqual({ parse: [] });
      const view = componentsOf(notice).find((c) => c.label === 'View');
      expect(view.custom_id).toBe(`tr:view:${publicId}`);

      const outsider = await h.fake.interact(
        buttonInteraction(
          view.custom_id,
          {},
          { guild: FAKE.triageGuild.id, channel: FAKE.triageChannel, roles: [FAKE.otherRole], user: user() },
        ),
      );
      expect(textOf(outsider)).toBe(t('en', 'error.triage_forbidden'));
      expect(flags(outsider) & EPHEMERAL).toBe(EPHEMERAL);
      const member = await h.fake.interact(
        buttonInteraction(
          view.custom_id,
          {},
          { guild: FAKE.triageGuild.id, channel: FAKE.triageChannel, roles: [FAKE.triageRole], user: user() },
        ),
      );
      expect(textOf(member)).toContain('my parents would suffer');
      expect(flags(member) & EPHEMERAL).toBe(EPHEMERAL);
    });

    it('refuses a report button pressed on a public message in a server', async () => {
      const cb = await h.fake.interact(buttonInteraction('rp:1:cat:other', { ephemeral: false }, { user: user() }));
      expect(textOf(cb)).toBe(t('en', 'error.private_only', { command: 'report' }));
      expect(flags(cb) & EPHEMERAL).toBe(EPHEMERAL);
    });

    it('never puts report text in a non-ephemeral message', () => {
      for (const c of h.fake.calls) {
        const m = messageOf(c);
        if (!m || !JSON.stringify(m).includes('parents would suffer')) continue;
        expect((m.flags ?? 0) & EPHEMERAL).toBe(EPHEMERAL);
      }
    });

    it('runs /report in the DMs: typed answers, an evidence image, the relay back, and “cancel” deletes the bot’s messages', async () => {
      const u = user();
      const dm = dmChannel(u);
      const where = { user: u, guild: null };
      const sent = (n: number) => h.fake.channelMessages(dm).slice(n);
      let cb = await h.fake.interact(slashInteraction('report', {}, where));
      expect(flags(cb) & EPHEMERAL).toBe(0);
      expect(cb.query.get('with_response')).toBe('true'); // tracked: the message id is needed for "forget me"
      cb = await h.fake.interact(selectInteraction('dc:s:0', intakeId(cb, 'cat:surveillance'), {}, where));
      const before = sent(0).length;
      h.fake.dm(dmMessage('2025-10', [], u));
      await h.fake.waitFor((c) => c.path === `/channels/${dm}/messages` && h.fake.channelMessages(dm).length > before);
      const whereStep = sent(before)[0]!;
      expect(textOf(whereStep)).toContain('Where did it happen?');
      expect(messageOf(whereStep).allowed_mentions).toEqual({ parse: [] });

      const step = async (text: string, attachments: Parameters<typeof dmMessage>[1] = []) => {
        const n = h.fake.channelMessages(dm).length;
        h.fake.dm(dmMessage(text, attachments, u));
        await h.fake.waitFor(() => h.fake.channelMessages(dm).length > n);
        return h.fake.channelMessages(dm)[n]!;
      };
      let m = await step('Toronto');
      cb = await h.fake.interact(buttonInteraction(intakeId(m, 'skip'), {}, where)); // none of these stations
      m = await step('Someone photographed me outside my home three times and sent the photos to my mother.');
      expect(textOf(m)).toContain('images as evidence');
      const jpeg = new Uint8Array(
        await sharp({ create: { width: 8, height: 8, channels: 3, background: '#c00' } })
          .jpeg()
          .withExif({
            IFD0: { Copyright: 'MARKER-EXIF' },
            IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '43/1 52/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '11/1 5/1 0/1' },
          })
          .toBuffer(),
      );
      expect((await sharp(jpeg).metadata()).exif).toBeDefined();
      const url = h.fake.serveFile('evidence.jpg', jpeg, 'image/jpeg');
      m = await step('', [{ url, filename: 'evidence.jpg', size: jpeg.byteLength, contentType: 'image/jpeg' }]);
      expect(textOf(m)).toContain('Image 1 received');
      expect(h.fake.downloads('evidence.jpg')).toBe(1);
      // The stored copy is encrypted, and once opened carries no EXIF or GPS.
      const stored = await h.app.db.prisma.evidence.findFirstOrThrow({ where: { sha256Original: fileFingerprint(h.app.keyring, jpeg) } });
      const clean = await openEvidence(h.app.db.prisma, h.app.keyring, stored);
      expect((await sharp(clean).metadata()).exif).toBeUndefined();
      expect(clean.toString('latin1')).not.toContain('MARKER-EXIF');
      expect(Buffer.from(stored.dataCiphertext).toString('latin1')).not.toContain('MARKER-EXIF');

      cb = await h.fake.interact(buttonInteraction(intakeId(m, 'cancel'), {}, where));
      expect(textOf(cb)).toContain('Your draft was deleted');
      // the seven step messages the bot sent in this DM (interaction replies and channel messages)
      const deleted = () => h.fake.calls.filter((c) => c.method === 'DELETE' && c.path.startsWith(`/channels/${dm}/messages/`));
      await h.fake.waitFor(() => deleted().length >= 7);
      expect(new Set(deleted().map((c) => c.path)).size).toBe(7);
    });

    it('relays a triage message to a reporter who consented, in their DMs only', async () => {
      const u = user();
      const dm = dmChannel(u);
      const where = { user: u, guild: null };
      const say = async (text: string) => {
        const n = h.fake.channelMessages(dm).length;
        h.fake.dm(dmMessage(text, [], u));
        await h.fake.waitFor(() => h.fake.channelMessages(dm).length > n);
        return h.fake.channelMessages(dm)[n]!;
      };
      const press = (c: RecordedCall, action: string) => h.fake.interact(buttonInteraction(intakeId(c, action), {}, where));
      let c: RecordedCall = await h.fake.interact(slashInteraction('report', {}, where));
      c = await h.fake.interact(selectInteraction('dc:s:0', intakeId(c, 'cat:online_harassment'), {}, where));
      c = await press(c, 'skip'); // when: rather not say
      c = await press(c, 'skip'); // where
      c = await say('Anonymous accounts post my address and threaten my family in group chats every week.');
      c = await press(c, 'skip'); // evidence
      c = await press(c, 'skip'); // contact
      c = await press(c, 'yes');
      c = await press(c, 'no');
      c = await press(c, 'no');
      c = await press(c, 'submit');
      const id = /(R-[0-9A-Z]{6})/.exec(textOf(c))![1]!;
      const n = h.fake.channelMessages(dm).length;
      const done = await h.fake.interact(
        slashInteraction(
          'triage',
          { action: 'contact', args: `${id} Could you tell us which city this was?` },
          { guild: FAKE.triageGuild.id, roles: [FAKE.triageRole], user: user() },
        ),
      );
      expect(textOf(done)).toContain(`relayed to the reporter of ${id}`);
      const relayed = h.fake.channelMessages(dm)[n]!;
      expect(textOf(relayed)).toContain('Could you tell us which city this was?');
      expect(messageOf(relayed).allowed_mentions).toEqual({ parse: [] });

      // The reporter then blocks the bot: the triager is told so, not given the generic apology.
      h.fake.closeDms(u);
      const refused = await h.fake.interact(
        slashInteraction(
          'triage',
          { action: 'contact', args: `${id} Are you safe?` },
          { guild: FAKE.triageGuild.id, roles: [FAKE.triageRole], user: user() },
        ),
      );
      expect(textOf(refused)).toContain(`The reporter of ${id} has blocked the bot`);
      expect(h.fake.refused().some((c) => c.refusal.code === 50007)).toBe(true);
    });

    it('opens the mailbox with /myreports: the team’s question, an answer in a modal, an image in the DMs; the team sees both', async () => {
      const u = user();
      const dm = dmChannel(u);
      const inDm = { user: u, guild: null };
      const inServer = { user: u, guild: FAKE.communityGuild.id };
      const eph = { ephemeral: true };
      const press = (c: RecordedCall, action: string) => h.fake.interact(buttonInteraction(intakeId(c, action), {}, inDm));
      let c: RecordedCall = await h.fake.interact(slashInteraction('report', {}, inDm));
      c = await h.fake.interact(selectInteraction('dc:s:0', intakeId(c, 'cat:surveillance'), {}, inDm));
      c = await press(c, 'skip');
      c = await press(c, 'skip');
      const n0 = h.fake.channelMessages(dm).length;
      h.fake.dm(dmMessage('A car waits outside my building every evening since I spoke at the rally.', [], u));
      await h.fake.waitFor(() => h.fake.channelMessages(dm).length > n0);
      c = h.fake.channelMessages(dm)[n0]!;
      for (const a of ['skip', 'skip', 'no', 'no', 'no', 'submit']) c = await press(c, a);
      const id = /(R-[0-9A-Z]{6})/.exec(textOf(c))![1]!;
      const receipt = /([0-9A-Z]{4}(?:-[0-9A-Z]{4}){4})/.exec(textOf(c))![1]!;
      // Once the code is saved, one button replaces the receipt message: the code leaves the DM.
      const gone = await h.fake.interact(buttonInteraction('msg:delete', {}, inDm));
      expect(gone.type).toBe(7);
      expect(textOf(gone)).toContain('Deleted');
      expect(textOf(gone)).not.toContain(receipt);
      const team = { guild: FAKE.triageGuild.id, roles: [FAKE.triageRole], user: user() };
      expect(
        textOf(await h.fake.interact(slashInteraction('triage', { action: 'ask', args: `${id} Which evening did it start?` }, team))),
      ).toContain(`mailbox of ${id}`);

      // In a server, everything stays ephemeral; the answer is typed in a modal.
      const box = await h.fake.interact(slashInteraction('myreports', { receipt }, inServer));
      expect(flags(box) & EPHEMERAL).toBe(EPHEMERAL);
      expect(textOf(box)).toContain('Which evening did it start?');
      const reply = await h.fake.interact(buttonInteraction('mb:reply', eph, inServer));
      const promptButton = componentsOf(reply).find((x) => x.custom_id?.startsWith('dc:p:'));
      expect((await h.fake.interact(buttonInteraction(promptButton.custom_id, eph, inServer))).type).toBe(9);
      const answered = await h.fake.interact(
        modalSubmit('dc:modal', { 'dc:text': 'The first Monday of November. DISCORD-ANSWER' }, eph, inServer),
      );
      expect(flags(answered) & EPHEMERAL).toBe(EPHEMERAL);
      expect(textOf(answered)).toContain(`Your answer was added to ${id}`);
      // An image is sent in the DMs (a server's ephemeral reply cannot take one).
      await h.fake.interact(buttonInteraction('mb:evidence', {}, inDm));
      const png = new Uint8Array(
        await sharp({ create: { width: 8, height: 8, channels: 3, background: '#0c0' } })
          .png()
          .toBuffer(),
      );
      const url = h.fake.serveFile('later.png', png, 'image/png');
      const n1 = h.fake.channelMessages(dm).length;
      h.fake.dm(dmMessage('', [{ url, filename: 'later.png', size: png.byteLength, contentType: 'image/png' }], u));
      await h.fake.waitFor(() => h.fake.channelMessages(dm).length > n1);
      expect(textOf(h.fake.channelMessages(dm)[n1]!)).toContain(`Image added to ${id}`);

      const view = await h.fake.interact(slashInteraction('triage', { action: 'view', args: id }, team));
      expect(textOf(view)).toContain('DISCORD-ANSWER');
      expect(textOf(view)).toContain(`1 image: /triage evidence ${id}`);
    });
  });

  describe('start-up', () => {
    const env = () => ({
      app: h.app,
      lantern: new Lantern(allCommands),
      config: h.app.config,
      log: captureLogger(),
      http: new HttpServer(),
    });

    it('fails with one clear line when Discord refuses the token', async () => {
      h.fake.fail({ status: 401, times: 1, path: /^\/gateway\/bot$/ });
      await expect(createDiscordAdapter(env()).start()).rejects.toThrow(
        'Discord refused DISCORD_TOKEN (401 Unauthorized): copy the token again from the Developer Portal → your application → Bot → Reset Token',
      );
    });

    it('refuses a triage channel outside the triage server', async () => {
      const config = { ...h.app.config, discord: { ...h.app.config.discord!, triageChannelId: FAKE.communityGuild.channels[0]! } };
      await expect(createDiscordAdapter({ ...env(), config }).start()).rejects.toThrow(
        `DISCORD_TRIAGE_CHANNEL_ID ${FAKE.communityGuild.channels[0]} is not a text channel of the triage server DISCORD_TRIAGE_GUILD_ID ${FAKE.triageGuild.id}`,
      );
    });
  });

  describe('hygiene', () => {
    it('sends allowedMentions { parse: [] } on every message it sent', () => {
      const messages = h.fake.calls.filter(
        (c) =>
          (c.method === 'POST' || c.method === 'PATCH') &&
          ((c as RecordedCallback).type === 4 || c.path.startsWith('/webhooks/') || c.path.startsWith('/channels/')),
      );
      expect(messages.length).toBeGreaterThan(30);
      for (const c of messages) expect(messageOf(c).allowed_mentions, c.path).toEqual({ parse: [] });
    });

    it('never logs a user id, a username, a token or report text', () => {
      const logged = JSON.stringify(h.log.entries);
      for (const u of usersSeen) expect(logged).not.toContain(u.id);
      expect(logged).not.toContain('person');
      expect(logged).not.toContain('tok-');
      expect(logged).not.toContain('parents');
    });
  });
});
