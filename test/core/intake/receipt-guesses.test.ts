/** The per-person limit on receipt guesses, in core and on real storage. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allCommands } from '../../../commands/index.ts';
import { Lantern } from '../../../src/core/lantern.ts';
import { LOCALES } from '../../../src/core/i18n/locales.ts';
import { RECEIPT_GUESSES_PER_HOUR } from '../../../src/core/intake/receipt-guesses.ts';
import { prismaGuesses } from '../../../src/db/guess-store.ts';
import { contextFor, memoryDeps } from '../../support/memory.ts';
import { fileReport, textOf } from '../../support/intake-driver.ts';
import { backends } from '../../support/storage.ts';

const lantern = new Lantern(allCommands);
const wrong = (i: number) => `AAAA-BBBB-CCCC-DDDD-${String(i).padStart(4, '2').replace(/[01]/g, '2')}`;

describe('receipt guesses', () => {
  for (const platform of ['telegram', 'discord', 'console'] as const) {
    it(`on ${platform}: past the limit even the right code gets the same neutral answer; it works again after the window`, async () => {
      const m = memoryDeps();
      const ctx = contextFor(m.deps, { platform, user: 'reporter' });
      const { receipt, publicId } = await fileReport(lantern, ctx, {
        category: 'other',
        when: '2026-01',
        where: 'Somewhere',
        what: 'They asked about my family abroad.',
        contact: 'none',
      });
      const t0 = new Date('2026-11-22T12:10:00Z');
      m.setNow(t0);
      for (let i = 0; i < RECEIPT_GUESSES_PER_HOUR; i++)
        expect((await lantern.command('myreports', { receipt: wrong(i) }, ctx)).code).toBe('REPORT.RECEIPT_UNKNOWN');
      const right = await lantern.command('myreports', { receipt }, ctx);
      const wrongAgain = await lantern.command('myreports', { receipt: wrong(99) }, ctx);
      expect(right.code).toBe('REPORT.RECEIPT_LIMITED');
      expect(textOf(right)).toBe(textOf(wrongAgain)); // no oracle
      expect(textOf(right)).not.toContain(publicId);
      expect(textOf(right)).toContain('50 minutes');
      const forget = await lantern.command('forget', { receipt }, ctx);
      expect(forget.code).toBe('REPORT.RECEIPT_LIMITED');
      expect(m.reports.reports.size).toBe(1); // nothing erased
      // someone else is not affected
      const other = contextFor(m.deps, { platform, user: 'someone-else' });
      expect((await lantern.command('myreports', { receipt: wrong(1) }, other)).code).toBe('REPORT.RECEIPT_UNKNOWN');
      m.setNow(new Date('2026-11-22T13:00:00Z'));
      const later = await lantern.command('myreports', { receipt }, ctx);
      expect(later.kind).toBe('answer');
      expect(textOf(later)).toContain(publicId);
    });
  }

  it('a right code does not count against the limit, and the answer is localized', async () => {
    const m = memoryDeps();
    const ctx = contextFor(m.deps, { user: 'r2' });
    const { receipt } = await fileReport(lantern, ctx, {
      category: 'other',
      when: '2026-01',
      where: 'Somewhere',
      what: 'They asked about my family abroad.',
      contact: 'none',
    });
    for (let i = 0; i < 3 * RECEIPT_GUESSES_PER_HOUR; i++)
      expect((await lantern.command('myreports', { receipt }, ctx)).kind).toBe('answer');
    for (let i = 0; i < RECEIPT_GUESSES_PER_HOUR; i++) await lantern.command('myreports', { receipt: wrong(i) }, ctx);
    const texts = new Set<string>();
    for (const locale of LOCALES) {
      const r = await lantern.command('myreports', { receipt }, contextFor(m.deps, { user: 'r2', locale }));
      expect(r.code).toBe('REPORT.RECEIPT_LIMITED');
      texts.add(textOf(r));
    }
    expect(texts.size).toBe(3);
  });

  for (const [name, fresh] of backends) {
    describe(`on ${name}`, () => {
      let handle: Awaited<ReturnType<typeof fresh>>;
      beforeAll(async () => void (handle = await fresh()));
      afterAll(async () => handle?.dispose());
      it('counts concurrent wrong guesses per key and window', async () => {
        const g = prismaGuesses(handle.db.prisma);
        const w = new Date('2026-11-22T12:00:00Z');
        await Promise.all(Array.from({ length: 12 }, () => g.add('receipt:abc', w)));
        expect(await g.count('receipt:abc', w)).toBe(12);
        expect(await g.count('receipt:abc', new Date('2026-11-22T13:00:00Z'))).toBe(0);
        expect(await g.count('receipt:other', w)).toBe(0);
      });
    });
  }
});
