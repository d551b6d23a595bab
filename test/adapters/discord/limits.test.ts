/**
 * The Discord adapter kept inside Discord's rules, against the strict fake: uploads packed within
 * the interaction's `attachment_size_limit`, 25 MiB a request and 10 files a message; a private
 * answer deferred privately when the command says so; DMs in the person's Discord language.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineCommand } from '../../../commands/define.ts';
import type { AnyCommand } from '../../../src/core/commands/command.types.ts';
import { t } from '../../../src/core/i18n/catalog.ts';
import { textReply } from '../../../src/core/reply.ts';
import { ok } from '../../../src/core/result.ts';
import {
  dmChannel,
  dmMessage,
  FAKE,
  newUser,
  slashInteraction,
  type RecordedCall,
  type RecordedCallback,
} from '../../support/fake-discord.ts';
import { startHarness, type Harness } from './harness.ts';

const MiB = 1024 * 1024;
const EPHEMERAL = 64;

/** Test-only: a private answer with files of the sizes given (MiB, comma-separated). */
const filesOut = defineCommand({
  name: 'files_out',
  description: 'cmd.help.description',
  usage: 'cmd.help.usage',
  audience: 'everyone',
  where: 'anywhere',
  options: {},
  handler: async () => {
    const sizes = [8, 8, 8, 8, 8, 9.5];
    const files = sizes.map((mb, k) => ({
      name: `e-${k + 1}.jpg`,
      mime: 'image/jpeg',
      bytes: new Uint8Array(Math.round(mb * MiB)).fill(k),
    }));
    return ok({ ...textReply('your files', { private: true }), files });
  },
}) as unknown as AnyCommand;
/** Test-only: a triage command whose private answer comes after the defer. */
const slowTriage = defineCommand({
  name: 'slow_triage',
  description: 'cmd.help.description',
  usage: 'cmd.help.usage',
  audience: 'triage',
  where: 'anywhere',
  options: {},
  handler: async () => {
    await new Promise((r) => setTimeout(r, 1_300));
    return ok(textReply('report R-1 details', { private: true }));
  },
}) as unknown as AnyCommand;

/** Test-only: a command that fails after the defer. */
const slowBoom = defineCommand({
  name: 'slow_boom',
  description: 'cmd.help.description',
  usage: 'cmd.help.usage',
  audience: 'everyone',
  where: 'anywhere',
  options: {},
  handler: async () => {
    await new Promise((r) => setTimeout(r, 1_300));
    throw new Error('failed late');
  },
}) as unknown as AnyCommand;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ extraCommands: [filesOut, slowTriage, slowBoom], adapter: { deferAfterMs: 1_000 } });
});
afterAll(async () => {
  await h?.close();
});

const messageOf = (c: RecordedCall): any => ((c as RecordedCallback).interactionId ? (c as RecordedCallback).data : c.body);
const textOf = (c: RecordedCall): string =>
  (messageOf(c)?.embeds ?? []).map((e: any) => [e.title, e.description].filter(Boolean).join('\n')).join('\n');

describe('Discord limits', () => {
  it('sends files in requests within 25 MiB and the per-file limit, and names a file too large instead of failing', async () => {
    const p = slashInteraction('files_out', {}, { guild: null, user: newUser(), attachmentSizeLimit: 9 * MiB });
    const cb = await h.fake.interact(p, 30_000);
    // acknowledged before the upload starts: megabytes can take longer than Discord's 3 s
    expect(cb.type).toBe(5);
    await h.fake.waitFor((c) => c.method === 'POST' && c.path === `/webhooks/${FAKE.applicationId}/${p.token}` && c.status === 200, 30_000);
    const sent = h.fake.webhookCalls(p.token);
    expect(sent.map((c) => c.method)).toEqual(['PATCH', 'POST']);
    expect(h.fake.refused().filter((c) => c.path.includes(p.token))).toEqual([]);
    const files = sent.flatMap((c) => c.files);
    // five 8 MiB files arrive (3 + 2: 40 MiB never in one request); the 9.5 MiB one is over the 9 MiB limit
    expect(files.map((f) => f.name)).toEqual(['e-1.jpg', 'e-2.jpg', 'e-3.jpg', 'e-4.jpg', 'e-5.jpg']);
    expect(sent.map((c) => c.files.length)).toEqual([3, 2]);
    for (const c of sent) expect(c.files.reduce((s, f) => s + f.bytes, 0)).toBeLessThanOrEqual(25 * MiB);
    expect(textOf(sent[0]!)).toContain(t('en', 'discord.file_too_large', { name: 'e-6.jpg', size: '9.5', limit: '9.0' }));
    expect(textOf(sent[0]!)).toContain('your files');
  }, 60_000);

  it('defers a slow triage answer as ephemeral, because the command says its answer is private', async () => {
    const p = slashInteraction('slow_triage', {}, { guild: FAKE.triageGuild.id, roles: [FAKE.triageRole], user: newUser() });
    const cb = await h.fake.interact(p);
    expect(cb.type).toBe(5);
    expect((cb.data?.flags ?? 0) & EPHEMERAL).toBe(EPHEMERAL);
    const edit = await h.fake.waitFor((c) => c.method === 'PATCH' && c.path.includes(p.token));
    expect(textOf(edit)).toBe('report R-1 details');
    expect(h.fake.webhookCalls(p.token).map((c) => c.method)).toEqual(['PATCH']);
  });

  it('puts the apology for a failure after a defer into the deferred response (an edit, not a follow-up)', async () => {
    const p = slashInteraction('slow_boom', {}, { user: newUser(), locale: 'zh-CN' });
    const cb = await h.fake.interact(p);
    expect(cb.type).toBe(5);
    const edit = await h.fake.waitFor((c) => c.path.includes(p.token) && c.status === 200);
    expect(`${edit.method} ${edit.rawPath.split('/').slice(4).join('/')}`).toBe('PATCH messages/%40original');
    expect(textOf(edit)).toBe(t('zh-Hans', 'common.internal_error'));
    expect(h.fake.webhookCalls(p.token)).toHaveLength(1);
  });

  it('answers in the DMs in the language of the person’s Discord client, seen on their last interaction', async () => {
    const u = newUser();
    await h.fake.interact(slashInteraction('lookup', { place: 'New York' }, { user: u, locale: 'zh-TW' }));
    h.fake.dm(dmMessage('hello', [], u));
    const answer = await h.fake.waitFor((c) => c.path === `/channels/${dmChannel(u)}/messages` && c.method === 'POST');
    expect(textOf(answer)).toBe(t('zh-Hant', 'common.not_a_command'));
    // someone never seen in an interaction gets the default language
    const stranger = newUser();
    h.fake.dm(dmMessage('hello', [], stranger));
    const other = await h.fake.waitFor((c) => c.path === `/channels/${dmChannel(stranger)}/messages` && c.method === 'POST');
    expect(textOf(other)).toBe(t('en', 'common.not_a_command'));
  });
});
