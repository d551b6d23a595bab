/**
 * The intake's own commands and conveniences (issue #16): /cancel, /back, /draft, typed yes/no at
 * consent steps in three languages, the step asked again after another command, the same photo
 * refused twice; and the smaller wording fixes of the core (field names, no close names).
 */
import { describe, expect, it } from 'vitest';
import { allCommands } from '../../../commands/index.ts';
import { Lantern } from '../../../src/core/lantern.ts';
import { coreError, errorMessage } from '../../../src/core/errors.ts';
import { yesNo } from '../../../src/core/intake/intake.service.ts';
import type { Reply } from '../../../src/core/reply.ts';
import { contextFor, memoryDeps } from '../../support/memory.ts';
import { choice, textOf } from '../../support/intake-driver.ts';

const lantern = new Lantern(allCommands);
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
const titles = (r: Reply) => r.blocks.flatMap((b) => (b.type === 'title' ? [b.text] : []));

/** A draft taken to the evidence step. */
async function toEvidence(ctx: ReturnType<typeof contextFor>) {
  let r = await lantern.command('report', {}, ctx);
  r = await lantern.choice(choice(r, 'cat:surveillance'), ctx);
  r = await lantern.text('2025-04', ctx);
  await lantern.choice(choice(r, 'skip'), ctx);
  return lantern.text('A car waited outside my flat every night.', ctx);
}

/** A draft taken to the first consent step. */
async function toConsent(ctx: ReturnType<typeof contextFor>) {
  let r = await toEvidence(ctx);
  r = await lantern.choice(choice(r, 'skip'), ctx);
  return lantern.choice(choice(r, 'skip'), ctx);
}

describe('intake commands', () => {
  it('/cancel deletes the draft in progress, and says so when there is none', async () => {
    const { deps, drafts } = memoryDeps();
    const ctx = contextFor(deps);
    await toEvidence(ctx);
    expect(drafts.rows.size).toBe(1);
    const r = await lantern.command('cancel', {}, ctx);
    expect(r.kind).toBe('answer');
    expect(textOf(r)).toContain('Your draft was deleted');
    expect(drafts.rows.size).toBe(0);
    expect((await lantern.command('cancel', {}, ctx)).code).toBe('REPORT.NO_DRAFT');
  });

  it('/back returns to the previous step with the answers kept', async () => {
    const { deps } = memoryDeps();
    const ctx = contextFor(deps);
    const atEvidence = await toEvidence(ctx);
    expect(atEvidence.acceptsFile).toBe(true);
    const back = await lantern.command('back', {}, ctx);
    expect(back.prompt?.field).toBe('what');
    const draft = await lantern.command('draft', {}, ctx);
    expect(textOf(draft)).toContain('A car waited outside my flat every night.');
  });

  it('/draft shows the draft to its owner only, privately, and nothing to anyone else', async () => {
    const { deps } = memoryDeps();
    const ctx = contextFor(deps, { user: 'owner' });
    await toEvidence(ctx);
    const mine = await lantern.command('draft', {}, ctx);
    expect(mine.private).toBe(true);
    expect(textOf(mine)).toContain('A car waited outside my flat every night.');
    expect(textOf(mine)).toContain('Contact: —'); // not reached yet: no invented answer
    const other = await lantern.command('draft', {}, contextFor(deps, { user: 'someone-else' }));
    expect(other.code).toBe('REPORT.NO_DRAFT');
    expect(textOf(other)).not.toContain('A car waited');
    const publicChat = await lantern.command('draft', {}, contextFor(deps, { user: 'owner', chat: 'public' }));
    expect(publicChat.code).toBe('COMMAND.PRIVATE_ONLY');
    expect(textOf(publicChat)).not.toContain('A car waited');
  });

  for (const [locale, yes, no] of [
    ['en', 'Yes', 'no.'],
    ['zh-Hans', '是的', '不'],
    ['zh-Hant', '好', '不要'],
  ] as const) {
    it(`understands typed yes/no at consent steps in ${locale}`, async () => {
      const { deps } = memoryDeps();
      const ctx = contextFor(deps, { locale });
      await toConsent(ctx);
      await lantern.text(yes, ctx);
      await lantern.text(no, ctx);
      const summary = await lantern.text(no, ctx);
      expect(summary.choices?.some((c) => c.id.endsWith(':submit'))).toBe(true);
      const shown = textOf(summary);
      const [y, n] = locale === 'en' ? ['Yes', 'No'] : locale === 'zh-Hans' ? ['是', '否'] : ['是', '否'];
      expect(shown).toMatch(new RegExp(`: ${y}\\n[^\\n]*: ${n}\\n[^\\n]*: ${n}`));
    });
  }

  it('does not take "yes" as a consent answer outside a consent step', async () => {
    const { deps } = memoryDeps();
    const ctx = contextFor(deps);
    await toEvidence(ctx);
    await lantern.command('back', {}, ctx);
    // At the description step "yes" is text (too short), not a consent.
    expect((await lantern.text('yes', ctx)).code).toBe('REPORT.TEXT_TOO_SHORT');
    expect(yesNo('yesterday')).toBe(null);
    expect(yesNo('不是')).toBe('no');
  });

  it('asks the current step again after another command typed mid-report', async () => {
    const { deps } = memoryDeps();
    const ctx = contextFor(deps);
    const atEvidence = await toEvidence(ctx);
    const help = await lantern.command('help', {}, ctx);
    const shown = await lantern.withPendingStep('help', help, ctx);
    expect(textOf(shown)).toContain('Your report is still in progress');
    expect(titles(shown)).toEqual([...titles(help), ...titles(atEvidence)]);
    expect(shown.acceptsFile).toBe(true);
    expect(shown.choices?.some((c) => c.id.endsWith(':skip'))).toBe(true);
    // Without a draft, and for the report's own commands, the reply is unchanged.
    expect(await lantern.withPendingStep('draft', help, ctx)).toBe(help);
    await lantern.command('cancel', {}, ctx);
    expect(await lantern.withPendingStep('help', help, ctx)).toEqual(help);
  });

  it('refuses the same photo attached twice (counted once)', async () => {
    const { deps, reports } = memoryDeps();
    const ctx = contextFor(deps);
    await toEvidence(ctx);
    const first = await lantern.file({ bytes: PNG }, ctx);
    expect(first.kind).toBe('answer');
    const again = await lantern.file({ bytes: PNG }, ctx);
    expect(again.code).toBe('REPORT.DUPLICATE_FILE');
    expect(textOf(again)).toContain('already attached');
    expect(reports.evidence).toHaveLength(1);
    const other = await lantern.file({ bytes: new Uint8Array([...PNG, 9]) }, ctx);
    expect(other.kind).toBe('answer');
    expect(reports.evidence).toHaveLength(2);
    expect(textOf(other)).toContain('Received so far: 2');
  });
});

describe('core wording', () => {
  it('names fields in the person’s language', () => {
    expect(errorMessage(coreError('INPUT.EMPTY', { option: 'place' }), 'zh-Hans')).toBe('缺少“地点”。');
    expect(errorMessage(coreError('INPUT.EMPTY', { option: 'receipt' }), 'zh-Hant')).toBe('缺少「回執碼」。');
    expect(errorMessage(coreError('INPUT.EMPTY', { option: 'place' }), 'en')).toBe('“place” is missing.');
  });

  it('says there is no close name instead of "Close names: —."', () => {
    const none = errorMessage(coreError('LOOKUP.NOT_FOUND', { query: 'Zzxq', suggestions: '—' }), 'en');
    expect(none).not.toContain('—');
    expect(none).toContain('no name is close');
    const some = errorMessage(coreError('LOOKUP.NOT_FOUND', { query: 'Pratto', suggestions: 'Prato' }), 'en');
    expect(some).toContain('Close names: Prato.');
  });

  it('counts one report as "1 report" and says where the queue ends instead of "page 2 of 1"', async () => {
    const { deps } = memoryDeps();
    const reporter = contextFor(deps, { user: 'r1' });
    let r = await toConsent(reporter);
    for (const a of ['no', 'no', 'no']) r = await lantern.choice(choice(r, a), reporter);
    await lantern.choice(choice(r, 'submit'), reporter);
    const team = contextFor(deps, { user: 'triager', triage: true });
    const first = textOf(await lantern.command('triage', { action: 'queue' }, team));
    expect(first).toContain('Report queue: 1 report (page 1 of 1)');
    const past = textOf(await lantern.command('triage', { action: 'queue', args: 'p2' }, team));
    expect(past).not.toContain('page 2 of 1');
    expect(past).toContain('There is no page 2: the queue fits on one page.');
  });

  it('tells a console reporter how the triage team really hears of the report', async () => {
    const { deps } = memoryDeps();
    for (const platform of ['console', 'telegram'] as const) {
      const ctx = contextFor(deps, { platform, user: platform });
      let r = await toConsent(ctx);
      for (const a of ['no', 'no', 'no']) r = await lantern.choice(choice(r, a), ctx);
      r = await lantern.choice(choice(r, 'submit'), ctx);
      if (platform === 'console') expect(textOf(r)).toContain('npm start -- --as triage');
      else expect(textOf(r)).toContain('the triage team has been told');
    }
  });
});
