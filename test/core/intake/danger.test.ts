/**
 * The first step asks whether the person is in danger right now. "Yes" shows the emergency
 * guidance before anything else, and the report goes on marked urgent: the team's notice says so
 * and the queue lists it first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allCommands } from '../../../commands/index.ts';
import type { CoreContext } from '../../../src/core/context.ts';
import { Lantern } from '../../../src/core/lantern.ts';
import { renderNotice } from '../../../src/core/triage/triage.service.ts';
import { claimNotices } from '../../../src/db/outbox.ts';
import { choice, fileReport, textOf } from '../../support/intake-driver.ts';
import type { TestDatabase } from '../../support/storage.ts';
import { coreOnPglite } from '../../support/core-on-pglite.ts';

const lantern = new Lantern(allCommands);
let h: TestDatabase;
let ctxOf: (user: string, triage?: boolean) => CoreContext;

beforeAll(async () => {
  ({ h, ctxOf } = await coreOnPglite());
});
afterAll(() => h?.dispose());

describe('the danger question at the first step', () => {
  it('shows the emergency guidance before the category question, then goes on', async () => {
    const ctx = ctxOf('dana');
    const first = await lantern.command('report', {}, ctx);
    expect(first.choices![0]!.label).toBe('I am in danger right now');
    const after = await lantern.choice(choice(first, 'danger'), ctx);
    const text = textOf(after);
    expect(text.indexOf('local emergency number')).toBeGreaterThanOrEqual(0);
    expect(text.indexOf('local emergency number')).toBeLessThan(text.indexOf('What happened'));
    expect(text.indexOf('local emergency number')).toBeLessThan(text.indexOf('Report: step 1'));
    expect(after.choices!.some((c) => c.id.endsWith(':danger'))).toBe(false); // asked once
    expect(after.choices!.some((c) => c.id.endsWith(':cat:family_pressure'))).toBe(true);
    await lantern.command('cancel', {}, ctx);
  });

  it('marks the report urgent: the notice says so, the queue lists it first', async () => {
    const calm = await fileReport(lantern, ctxOf('early'), {
      category: 'other',
      when: '2026-01',
      where: 'Prato',
      what: 'Someone photographed our meeting from a car.',
      contact: 'none',
    });
    const urgent = await fileReport(lantern, ctxOf('erin'), {
      danger: true,
      category: 'family_pressure',
      when: '2026-11',
      where: 'Prato',
      what: 'They are outside my door now and say my father will suffer.',
      contact: 'none',
    });
    const notices = await claimNotices(h.db.prisma, 'test', new Date());
    const byId = Object.fromEntries(notices.map((n) => [n.notice.publicId, textOf(renderNotice(n.notice, 'en'))]));
    expect(byId[urgent.publicId]).toMatch(/^URGENT \(the reporter said they are in danger now\): New report/);
    expect(byId[calm.publicId]).toMatch(/^New report/);
    const queue = textOf(await lantern.command('triage', { action: 'queue', args: '' }, ctxOf('lead', true)));
    expect(queue.indexOf(urgent.publicId)).toBeLessThan(queue.indexOf(calm.publicId));
    expect(queue).toContain(`URGENT ${urgent.publicId}`);
    // The queue's word filters: urgent, mine, unassigned.
    const q = async (args: string) => textOf(await lantern.command('triage', { action: 'queue', args }, ctxOf('lead', true)));
    expect(await q('urgent')).not.toContain(calm.publicId);
    expect(await q('urgent')).toContain(urgent.publicId);
    await lantern.command('triage', { action: 'claim', args: calm.publicId }, ctxOf('lead', true));
    expect(await q('mine')).toContain(calm.publicId);
    expect(await q('mine')).not.toContain(urgent.publicId);
    expect(await q('unassigned')).toContain(urgent.publicId);
    expect(await q('unassigned')).not.toContain(calm.publicId);
  });
});
