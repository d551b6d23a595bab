/**
 * The choice-id codec: each kind round-trips, the ids emitted stay the formats old Telegram
 * keyboards carry, anything else is refused, every id fits Telegram's 64 bytes and Discord's 100
 * characters, and Lantern.choice routes each kind to its use case.
 */
import { describe, expect, it } from 'vitest';
import { allCommands } from '../../commands/index.ts';
import {
  BUTTON_SLUG_MAX,
  ChoiceIdError,
  decodeChoiceId,
  DISCORD_CUSTOM_ID_MAX_CHARS,
  encodeChoiceId,
  encodeCommandChoice,
  encodeDeleteMessageChoice,
  encodeIntakeChoice,
  encodeMailboxChoice,
  encodeTriageChoice,
  fitsChoiceId,
  MAILBOX_ACTIONS,
  TELEGRAM_CALLBACK_DATA_MAX_BYTES,
  TRIAGE_BUTTON_ACTIONS,
  type ChoiceId,
} from '../../src/core/choice-id.ts';
import { StationRecord, TopicRecord } from '../../src/core/dataset/dataset.schema.ts';
import { Lantern } from '../../src/core/lantern.ts';
import type { Reply } from '../../src/core/reply.ts';
import { fileReport } from '../support/intake-driver.ts';
import { contextFor, fixtureDataset, memoryDeps } from '../support/memory.ts';

const bytes = (s: string) => new TextEncoder().encode(s).length;
const claimed = (id: string) => {
  const d = decodeChoiceId(id);
  return d.ok ? undefined : d.error.claimed;
};

describe('choice ids', () => {
  describe('intake: rp:<version>:<action>[:<arg>]', () => {
    it('encodes the format old keyboards carry, and decodes it back', () => {
      expect(encodeIntakeChoice(3, 'cat', 'surveillance')).toBe('rp:3:cat:surveillance');
      expect(encodeIntakeChoice(0, 'submit')).toBe('rp:0:submit');
      expect(decodeChoiceId('rp:3:cat:surveillance')).toEqual({
        ok: true,
        value: { kind: 'intake', version: 3, action: 'cat', arg: 'surveillance' },
      });
      expect(decodeChoiceId('rp:12:skip')).toEqual({ ok: true, value: { kind: 'intake', version: 12, action: 'skip' } });
    });

    it('refuses what the intake would not build', () => {
      for (const id of [
        'rp:',
        'rp:x:cat',
        'rp:1',
        'rp:1:',
        'rp:1:Cat',
        'rp:1:cat:',
        'rp:1:cat:../../etc',
        'rp:1:cat:a:b',
        'rp:1234567890:cat',
        'rp:-1:cat',
        'rp:1:cat ',
      ])
        expect(claimed(id)).toBe('intake');
      expect(() => encodeIntakeChoice(1.5, 'cat')).toThrow(ChoiceIdError);
      expect(() => encodeIntakeChoice(-1, 'cat')).toThrow(/draft version/);
      expect(() => encodeIntakeChoice(1, 'no-hyphen')).toThrow(/intake action/);
      expect(() => encodeIntakeChoice(1, 'cat', 'a:b')).toThrow(/intake argument/);
      expect(() => encodeIntakeChoice(1, 'cat', '')).toThrow(ChoiceIdError);
    });
  });

  describe('mailbox: mb:<action>', () => {
    it('round-trips every action', () => {
      for (const action of MAILBOX_ACTIONS) {
        expect(encodeMailboxChoice(action)).toBe(`mb:${action}`);
        expect(decodeChoiceId(`mb:${action}`)).toEqual({ ok: true, value: { kind: 'mailbox', action } });
      }
    });

    it('refuses any other action', () => {
      for (const id of ['mb:', 'mb:Reply', 'mb:reply:R-ABC123', 'mb:open', 'mb:news']) expect(claimed(id)).toBe('mailbox');
      expect(() => encodeMailboxChoice('open' as 'reply')).toThrow(/mailbox action "open"/);
    });
  });

  describe('triage: tr:<action>:<R-ID>[:<arg>]', () => {
    it('encodes the format old keyboards carry, and decodes it back', () => {
      expect(encodeTriageChoice('status', 'R-ABC123', 'in_review')).toBe('tr:status:R-ABC123:in_review');
      expect(encodeTriageChoice('view', 'R-ABC123')).toBe('tr:view:R-ABC123');
      expect(encodeTriageChoice('view', 'R-ABC123', '')).toBe('tr:view:R-ABC123'); // an empty argument is left out, as before
      expect(decodeChoiceId('tr:link:R-ABC123:it-prato')).toEqual({
        ok: true,
        value: { kind: 'triage', action: 'link', publicId: 'R-ABC123', arg: 'it-prato' },
      });
      for (const action of TRIAGE_BUTTON_ACTIONS)
        expect(decodeChoiceId(encodeTriageChoice(action, 'R-000000'))).toEqual({
          ok: true,
          value: { kind: 'triage', action, publicId: 'R-000000' },
        });
    });

    it('refuses what triage would not build', () => {
      for (const id of [
        'tr:',
        'tr:view',
        'tr:view:R-abc123',
        'tr:view:R-ABC12',
        'tr:note:R-ABC123',
        'tr:view:R-ABC123:',
        'tr:link:R-ABC123:It-Prato',
        'tr:view:R-ABC123:a:b',
      ])
        expect(claimed(id)).toBe('triage');
      expect(() => encodeTriageChoice('note' as 'view', 'R-ABC123')).toThrow(/triage button action/);
      expect(() => encodeTriageChoice('view', 'ABC123')).toThrow(/report id "ABC123"/);
      expect(() => encodeTriageChoice('link', 'R-ABC123', 'Prato')).toThrow(/triage argument/);
    });
  });

  describe('delete message: msg:delete', () => {
    it('round-trips, and no other msg: id is one', () => {
      expect(encodeDeleteMessageChoice()).toBe('msg:delete');
      expect(decodeChoiceId('msg:delete')).toEqual({ ok: true, value: { kind: 'delete-message' } });
      for (const id of ['msg:', 'msg:Delete', 'msg:delete:1']) expect(claimed(id)).toBe('command');
    });
  });

  describe('command: <command>:<value>', () => {
    it('encodes the "More" pages and menus as before, and decodes them back', () => {
      expect(encodeCommandChoice('lookup', 'Prato #2')).toBe('lookup:Prato #2');
      expect(encodeCommandChoice('sources', '#2')).toBe('sources:#2');
      expect(encodeCommandChoice('language', 'zh-Hans')).toBe('language:zh-Hans');
      expect(decodeChoiceId('lookup:New York: Queens #3')).toEqual({
        ok: true,
        value: { kind: 'command', command: 'lookup', value: 'New York: Queens #3' },
      });
      expect(decodeChoiceId('tactics:')).toEqual({ ok: true, value: { kind: 'command', command: 'tactics', value: '' } });
      expect(decodeChoiceId('lookup:纽约')).toEqual({ ok: true, value: { kind: 'command', command: 'lookup', value: '纽约' } });
    });

    it('refuses ids without a command name, and the reserved prefixes as names', () => {
      for (const id of ['', 'lookup', ':Prato', 'Lookup:Prato', 'look up:Prato', `${'x'.repeat(33)}:y`, 'msg:x'])
        expect(claimed(id)).toBe('command');
      expect(() => encodeCommandChoice('Lookup', 'x')).toThrow(/command name "Lookup"/);
      for (const prefix of ['rp', 'mb', 'tr', 'msg']) expect(() => encodeCommandChoice(prefix, 'x')).toThrow(/reserved/);
    });
  });

  describe('round trip of any kind', () => {
    it('decode(encode(c)) is c', () => {
      const all: ChoiceId[] = [
        { kind: 'intake', version: 999_999_999, action: 'how', arg: 'social_media' },
        { kind: 'intake', version: 1, action: 'danger' },
        { kind: 'mailbox', action: 'news-off' },
        { kind: 'triage', action: 'link', publicId: 'R-ZZZZZZ', arg: 'fr-paris-suburb' },
        { kind: 'delete-message' },
        { kind: 'command', command: 'sources', value: 'Prato #99' },
      ];
      for (const c of all) expect(decodeChoiceId(encodeChoiceId(c))).toEqual({ ok: true, value: c });
    });
  });

  describe('length limits', () => {
    it('are Telegram 64 bytes of callback_data and Discord 100 characters of custom_id', () => {
      expect(TELEGRAM_CALLBACK_DATA_MAX_BYTES).toBe(64);
      expect(DISCORD_CUSTOM_ID_MAX_CHARS).toBe(100);
      expect(fitsChoiceId('x'.repeat(64))).toBe(true);
      expect(fitsChoiceId('x'.repeat(65))).toBe(false);
      expect(fitsChoiceId('纽'.repeat(21))).toBe(true); // 63 bytes, 21 characters
      expect(fitsChoiceId('纽'.repeat(22))).toBe(false); // 66 bytes: too long for Telegram though Discord would take it
    });

    it('an encoder builds an id of exactly 64 bytes and refuses one byte more, saying why', () => {
      const value = (n: number) => 'x'.repeat(n - 'lookup:'.length);
      expect(bytes(encodeCommandChoice('lookup', value(64)))).toBe(64);
      expect(() => encodeCommandChoice('lookup', value(65))).toThrow(ChoiceIdError);
      expect(() => encodeCommandChoice('lookup', value(65))).toThrow(
        /65 bytes: .*Telegram's callback_data \(64 bytes of UTF-8\) and Discord's custom_id \(100 characters\)/,
      );
      expect(() => encodeCommandChoice('lookup', '纽'.repeat(20))).toThrow(/67 bytes/); // 20 characters, 67 bytes
      const longest = 'a'.repeat(64 - 'tr:link:R-ABC123:'.length);
      expect(bytes(encodeTriageChoice('link', 'R-ABC123', longest))).toBe(64);
      expect(() => encodeTriageChoice('link', 'R-ABC123', longest + 'a')).toThrow(/65 bytes/);
    });

    it('the longest id of each fixed grammar fits', () => {
      expect(bytes(encodeIntakeChoice(999_999_999, 'a'.repeat(16), 'b'.repeat(32)))).toBeLessThanOrEqual(64);
      for (const action of MAILBOX_ACTIONS) expect(fitsChoiceId(encodeMailboxChoice(action))).toBe(true);
    });

    it('the decoder refuses ids longer than any encoder builds', () => {
      expect(claimed(`lookup:${'x'.repeat(58)}`)).toBe('command');
      expect(claimed(`tr:link:R-ABC123:${'a'.repeat(48)}`)).toBe('triage');
      expect(decodeChoiceId(`lookup:${'x'.repeat(57)}`).ok).toBe(true);
    });

    it('station and topic ids are short enough for every button that carries them', () => {
      expect(BUTTON_SLUG_MAX).toBe(47);
      const slug = 'a'.repeat(BUTTON_SLUG_MAX);
      expect(fitsChoiceId(encodeTriageChoice('link', 'R-ABC123', slug))).toBe(true);
      expect(fitsChoiceId(encodeCommandChoice('tactics', `${slug} p99`))).toBe(true);
      const station = fixtureDataset.stations[0]!;
      const topic = fixtureDataset.topics[0] ?? { id: 'persuasion', name: { en: 'x', 'zh-Hans': 'x', 'zh-Hant': 'x' }, aliases: [] };
      expect(StationRecord.safeParse({ ...station, id: slug }).success).toBe(true);
      expect(StationRecord.safeParse({ ...station, id: slug + 'a' }).error?.issues[0]?.message).toMatch(
        /at most 47 characters: they are carried in buttons/,
      );
      expect(TopicRecord.safeParse({ ...topic, id: slug + 'a' }).success).toBe(false);
    });
  });
});

describe('Lantern.choice', () => {
  const lantern = new Lantern(allCommands);
  const setup = () => {
    const { deps } = memoryDeps();
    return {
      deps,
      person: contextFor(deps),
      inPublic: contextFor(deps, { chat: 'public' }),
      member: contextFor(deps, { user: 'member', triage: true }),
    };
  };

  describe('routes each kind to its use case', () => {
    it('msg:delete deletes the message it sits under', async () => {
      const { person } = setup();
      expect(await lantern.choice('msg:delete', person)).toMatchObject({ kind: 'answer', deleteChoiceMessage: true });
    });

    it('rp: to the report in progress, private chats only', async () => {
      const { person, inPublic } = setup();
      expect((await lantern.choice('rp:1:submit', person)).code).toBe('REPORT.NO_DRAFT');
      const started = await lantern.command('report', {}, person);
      const first = started.choices![0]!;
      expect(first.id).toMatch(/^rp:\d+:/);
      const next = await lantern.choice(first.id, person);
      expect(next.kind).toBe('answer');
      expect((await lantern.choice('rp:1:cat:../../etc', person)).code).toBe('INPUT.INVALID');
      for (const id of [first.id, 'rp:x']) expect((await lantern.choice(id, inPublic)).code).toBe('COMMAND.PRIVATE_ONLY');
    });

    it('mb: to the mailbox, private chats only', async () => {
      const { person, inPublic } = setup();
      for (const id of ['mb:reply', 'mb:open']) expect((await lantern.choice(id, person)).code).toBe('REPORT.MAILBOX_CLOSED');
      expect((await lantern.choice('mb:reply', inPublic)).code).toBe('COMMAND.PRIVATE_ONLY');
    });

    it('tr: to triage, members only, re-checked like the command', async () => {
      const { person, member } = setup();
      const { publicId } = await fileReport(lantern, person, {
        category: 'surveillance',
        when: '2026-05',
        where: 'Prato',
        what: 'A man photographs everyone who enters our association.',
        contact: 'none',
      });
      for (const id of [encodeTriageChoice('view', publicId), 'tr:nonsense'])
        expect((await lantern.choice(id, person)).code).toBe('TRIAGE.FORBIDDEN');
      const viewed: Reply = await lantern.choice(encodeTriageChoice('view', publicId), member);
      expect(viewed.kind).toBe('answer');
      expect(viewed.blocks.some((b) => JSON.stringify(b).includes(publicId))).toBe(true);
      expect((await lantern.choice('tr:view:R-AAAAAA', member)).code).toBe('TRIAGE.REPORT_NOT_FOUND');
      expect((await lantern.choice('tr:nonsense', member)).code).toBe('INPUT.INVALID');
    });

    it('<command>: to the command with the value as its first option', async () => {
      const { person } = setup();
      const chosen = await lantern.choice(encodeCommandChoice('language', 'zh-Hans'), person);
      expect(chosen.kind).toBe('answer');
      expect(await person.deps.preferences.getLocale(person.actor.id)).toBe('zh-Hans');
      for (const id of ['nosuch:x', 'msg:other', '', `language:${'x'.repeat(100)}`])
        expect((await lantern.choice(id, person)).code).toBe('INPUT.INVALID');
    });
  });
});
