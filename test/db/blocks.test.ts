/**
 * Blocks: a lead stops the person behind a report from submitting for a while. The person gets a
 * neutral answer (not "blocked"), even with a draft already typed; nobody else is affected; the
 * team lists, lifts and is audited; erasing one's reports does not lift the block.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allCommands } from '../../commands/index.ts';
import { buildDeps } from '../../src/app.ts';
import { newKey, parseKeyring, pseudonym } from '../../src/core/crypto/crypto.ts';
import type { CoreContext } from '../../src/core/context.ts';
import { DatasetView } from '../../src/core/dataset/dataset.view.ts';
import { Lantern } from '../../src/core/lantern.ts';
import { parseDuration } from '../../src/core/triage/triage.service.ts';
import { replaceDataset } from '../../src/db/dataset-store.ts';
import { createLogger } from '../../src/logging.ts';
import { choice, fileReport, textOf } from '../support/intake-driver.ts';
import { fixtureDataset } from '../support/memory.ts';
import { freshPglite, type TestDatabase } from '../support/storage.ts';

const lantern = new Lantern(allCommands);
const ring = parseKeyring(`k1:${newKey()}`, newKey());
let h: TestDatabase;
let ctxOf: (user: string, triage?: boolean) => CoreContext;
const answers = {
  category: 'other',
  when: '2026-01',
  where: 'Prato',
  what: 'The same message again and again, to flood the queue.',
  contact: 'none',
} as const;

beforeAll(async () => {
  h = await freshPglite();
  await replaceDataset(h.db.prisma, fixtureDataset, 'bundled');
  const settings = { reports: { ratePerHour: 50, retentionDays: 30, draftTtlMinutes: 60, evidenceMaxBytes: 5_000_000 } };
  const deps = buildDeps(h.db, ring, settings, createLogger('silent'), () => new DatasetView(fixtureDataset));
  ctxOf = (user, triage = false) => ({
    actor: {
      platform: 'telegram',
      id: pseudonym(ring, 'telegram', user),
      locale: 'en',
      triage,
      ...(triage ? { role: 'lead' as const } : {}),
    },
    chat: 'private',
    deps,
  });
});
afterAll(() => h?.dispose());

describe('blocks', () => {
  it('reads durations as minutes, hours or days, at most a year', () => {
    expect([parseDuration('30m'), parseDuration('12h'), parseDuration('7d')]).toEqual([1_800_000, 43_200_000, 604_800_000]);
    for (const bad of ['0m', '400d', '12', 'h', '-1d', undefined]) expect(parseDuration(bad)).toBeNull();
  });

  it('stops the person behind a report with a neutral answer, not anyone else, until lifted', async () => {
    const lead = ctxOf('lead', true);
    const flood = await fileReport(lantern, ctxOf('flooder'), answers);
    // A draft typed before the block: it cannot be submitted after it.
    const draft = ctxOf('flooder');
    let r = await lantern.command('report', {}, draft);
    expect(
      textOf(await lantern.command('triage', { action: 'block', args: `${flood.publicId} 7d posting the same text` }, lead)),
    ).toContain(`The person behind ${flood.publicId} cannot submit reports until`);
    for (const step of ['cat:other']) r = await lantern.choice(choice(r, step), draft);
    await expect(fileReport(lantern, ctxOf('flooder'), answers)).rejects.toThrow(/REPORT.NOT_NOW/);
    const refused = await lantern.command('report', {}, ctxOf('flooder'));
    expect(textOf(refused)).toContain('Lantern cannot take a new report from you at the moment');
    expect(textOf(refused)).not.toMatch(/block/i);
    const other = await fileReport(lantern, ctxOf('someone-else'), answers);
    expect(other.publicId).toMatch(/^R-/);

    const list = textOf(await lantern.command('triage', { action: 'blocks' }, lead));
    expect(list).toContain(`${flood.publicId} · until`);
    expect(list).toContain('posting the same text');
    const row = await h.db.prisma.reporterBlock.findFirstOrThrow();
    expect(Buffer.from(row.reasonCiphertext!).toString('latin1')).not.toContain('posting'); // sealed
    expect(await h.db.prisma.auditEvent.count({ where: { action: 'reporter.blocked', reportRef: flood.publicId } })).toBe(1);
    // Erasing their report does not lift the block.
    await lantern.command('forget', { receipt: flood.receipt }, ctxOf('flooder'));
    expect((await lantern.command('report', {}, ctxOf('flooder'))).code).toBe('REPORT.NOT_NOW');

    expect(textOf(await lantern.command('triage', { action: 'unblock', args: flood.publicId }, lead))).toContain('lifted');
    expect((await lantern.command('report', {}, ctxOf('flooder'))).kind).toBe('answer');
    expect(await h.db.prisma.auditEvent.count({ where: { action: 'reporter.unblocked', reportRef: flood.publicId } })).toBe(1);
    expect((await lantern.command('triage', { action: 'block', args: `${other.publicId} forever` }, lead)).code).toBe(
      'TRIAGE.BAD_DURATION',
    );
  });
});

describe('canned replies', () => {
  it('are saved in three languages and each reporter gets theirs, in the mailbox', async () => {
    const lead = ctxOf('lead', true);
    const add = (args: string) => lantern.command('triage', { action: 'snippet', args }, lead);
    expect((await add('add more-detail Could you tell us more?')).code).toBe('TRIAGE.SNIPPET_USAGE'); // one language only
    expect(
      textOf(
        await add('add more-detail Could you tell us more about what happened? | 能否再多告诉我们一些经过？ | 能否再多告訴我們一些經過？'),
      ),
    ).toContain('Saved #more-detail');
    expect(textOf(await lantern.command('triage', { action: 'snippet', args: 'list' }, lead))).toContain(
      '#more-detail — Could you tell us more',
    );
    const zhCtx = ctxOf('zh-reporter');
    await lantern.command('language', { language: 'zh-Hans' }, zhCtx);
    const zh = await fileReport(lantern, { ...zhCtx, actor: { ...zhCtx.actor, locale: 'zh-Hans' } }, { ...answers });
    const en = await fileReport(lantern, ctxOf('en-reporter'), answers);
    for (const r of [zh, en])
      expect((await lantern.command('triage', { action: 'ask', args: `${r.publicId} #more-detail` }, lead)).kind).toBe('answer');
    expect((await lantern.command('triage', { action: 'ask', args: `${en.publicId} #nope` }, lead)).code).toBe('TRIAGE.SNIPPET_UNKNOWN');
    const zhBox = textOf(
      await lantern.command('myreports', { receipt: zh.receipt }, { ...zhCtx, actor: { ...zhCtx.actor, locale: 'zh-Hans' } }),
    );
    expect(zhBox).toContain('能否再多告诉我们一些经过？');
    expect(textOf(await lantern.command('myreports', { receipt: en.receipt }, ctxOf('en-reporter')))).toContain(
      'Could you tell us more about what happened?',
    );
    expect(textOf(await lantern.command('triage', { action: 'snippet', args: 'remove more-detail' }, lead))).toContain('Removed');
    expect(await h.db.prisma.auditEvent.count({ where: { action: { in: ['snippet.saved', 'snippet.removed'] } } })).toBe(2);
  });
});
