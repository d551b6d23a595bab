/**
 * Triage roles and a command surface people can find: a reviewer works the queue; only a lead
 * exports, writes to reporters, assigns, anonymises or reads the audit log. `/triage` alone and
 * `/triage help` list what the role allows; an unknown action answers with that list.
 */
import { describe, expect, it } from 'vitest';
import { allCommands } from '../../../commands/index.ts';
import type { CoreContext, TriageRole } from '../../../src/core/context.ts';
import { Lantern } from '../../../src/core/lantern.ts';
import { LEAD_ACTIONS, TRIAGE_ACTIONS } from '../../../src/core/triage/triage.service.ts';
import { countReports, shownCount } from '../../../src/core/triage/stats.ts';
import sharp from 'sharp';
import { fileReport, textOf } from '../../support/intake-driver.ts';
import { contextFor, memoryDeps } from '../../support/memory.ts';

const lantern = new Lantern(allCommands);
const { deps } = memoryDeps();
const as = (role: TriageRole) => ({
  ...contextFor(deps, { user: role, triage: true }),
  actor: { ...contextFor(deps, { user: role, triage: true }).actor, role },
});
const { publicId } = await fileReport(lantern, contextFor(deps, { user: 'r1' }), {
  category: 'surveillance',
  when: '2026-02',
  where: 'Prato',
  what: 'A car with two men waited outside the shop all week.',
  contact: 'none',
});

describe('triage roles, checked in core', () => {
  it('lets a reviewer work the queue, but not export, write to the reporter, assign, anonymise or read the audit log', async () => {
    const reviewer = as('reviewer');
    for (const line of [
      'queue',
      `view ${publicId}`,
      `claim ${publicId}`,
      `status ${publicId} in_review`,
      `note ${publicId} Checked the plate.`,
    ]) {
      expect((await lantern.commandLine('triage', line, reviewer)).kind, line).toBe('answer');
    }
    for (const line of [
      'export ngo',
      `ask ${publicId} When?`,
      `contact ${publicId} Hello`,
      `assign ${publicId} 123`,
      `anonymise ${publicId} A car waited.`,
      'audit',
    ]) {
      const r = await lantern.commandLine('triage', line, reviewer);
      expect(r.code, line).toBe('TRIAGE.LEAD_ONLY');
      expect(textOf(r)).toMatch(/Only a lead/);
    }
    expect([...LEAD_ACTIONS].sort()).toEqual([
      'anonymise',
      'ask',
      'assign',
      'audit',
      'block',
      'blocks',
      'contact',
      'export',
      'role',
      'snippet',
      'unblock',
    ]);
  });

  it('lets a lead (and a member configured before roles existed) do those', async () => {
    for (const ctx of [as('lead'), contextFor(deps, { user: 'old', triage: true })]) {
      expect((await lantern.commandLine('triage', `audit ${publicId}`, ctx)).kind).toBe('answer');
      expect((await lantern.commandLine('triage', `ask ${publicId} Which street was it?`, ctx)).code).not.toBe('TRIAGE.LEAD_ONLY');
    }
  });
});

describe('the authorization matrix: every action × non-member, reviewer, lead', () => {
  const refusals = (code?: string) => code === 'TRIAGE.FORBIDDEN' || code === 'TRIAGE.LEAD_ONLY';
  for (const action of TRIAGE_ACTIONS) {
    it(`/triage ${action}`, async () => {
      const run = (ctx: CoreContext) => lantern.command('triage', { action, args: `${publicId} x` }, ctx);
      expect((await run(contextFor(deps, { user: 'stranger' }))).code).toBe('TRIAGE.FORBIDDEN');
      const reviewer = await run(as('reviewer'));
      if (LEAD_ACTIONS.has(action)) expect(reviewer.code).toBe('TRIAGE.LEAD_ONLY');
      else expect(refusals(reviewer.code)).toBe(false);
      expect(refusals((await run(as('lead'))).code)).toBe(false);
    });
  }
});

describe('/triage help: findable', () => {
  it('says what a wrong or missing argument should have been', async () => {
    const r = await lantern.commandLine('triage', 'view', as('lead'));
    expect(r.kind).toBe('error');
    expect(textOf(r)).toContain('/triage view <R-ID>');
  });

  it('lists, with /triage alone or /triage help, every action the role allows with its usage, and the filters', async () => {
    const lead = textOf(await lantern.commandLine('triage', '', as('lead')));
    expect(lead).toBe(textOf(await lantern.commandLine('triage', 'help', as('lead'))));
    expect(lead).toContain('/triage view <R-ID> — open a report');
    expect(lead).toContain('/triage export ngo|law [status…]');
    expect(lead).toMatch(/Categories: family_pressure \(.+\), persuade_return/);
    expect(lead).toMatch(/Statuses: new \(.+\), in_review/);
    const reviewer = textOf(await lantern.commandLine('triage', 'help', as('reviewer')));
    expect(reviewer).toContain('/triage queue');
    expect(reviewer).not.toContain('/triage export');
  });

  it('answers an unknown action with the actions there are, in the member’s language', async () => {
    const r = await lantern.commandLine('triage', 'foo R-ABC123', as('lead'));
    expect(r.code).toBe('TRIAGE.BAD_ACTION');
    expect(textOf(r)).toContain('There is no triage action “foo”');
    expect(textOf(r)).toContain('/triage queue');
    const zh = await lantern.commandLine('triage', 'foo', { ...as('lead'), actor: { ...as('lead').actor, locale: 'zh-Hans' } });
    expect(textOf(zh)).toContain('没有名为“foo”的审核操作');
  });
});

describe('what the team reads', () => {
  it('heads a view “The report” (not the reporter’s “Your report”) and audits old and new values', async () => {
    const lead = as('lead');
    expect(textOf(await lantern.commandLine('triage', `view ${publicId}`, lead))).toContain('The report');
    await lantern.commandLine('triage', `severity ${publicId} high`, lead);
    await lantern.commandLine('triage', `severity ${publicId} low`, lead);
    const log = textOf(await lantern.commandLine('triage', `audit ${publicId}`, lead));
    expect(log).toMatch(new RegExp(`report\\.severity ${publicId} high → low`));
    expect(log).toMatch(new RegExp(`report\\.severity ${publicId} — → high`));
  });
});

describe('/triage stats: an overview picture', () => {
  it('counts per week and status, shows 1 to 4 as <5, and sends a PNG of the expected size', async () => {
    const now = new Date('2026-11-22T12:00:00Z');
    const rows = [
      ...Array.from({ length: 6 }, () => ({ createdAt: new Date('2026-11-18T00:00:00Z'), category: 'surveillance', status: 'new' })),
      { createdAt: new Date('2026-11-10T00:00:00Z'), category: 'physical', status: 'verified' },
    ];
    const c = countReports(rows, now);
    expect(c.weeks).toHaveLength(12);
    expect(new Date(c.weeks.at(-1)!).toISOString()).toBe('2026-11-16T00:00:00.000Z'); // a Monday
    expect([shownCount(0), shownCount(1), shownCount(4), shownCount(5)]).toEqual(['–', '<5', '<5', '5']);
    const r = await lantern.commandLine('triage', 'stats', as('reviewer'));
    expect(r.kind).toBe('answer');
    expect(textOf(r)).toMatch(/: <5/); // the one report filed in this file
    expect(textOf(r)).not.toMatch(/: 1$/m);
    const meta = await sharp(Buffer.from(r.image!.bytes)).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 960, 560]);
  });
});
