import { describe, expect, it } from 'vitest';
import { allCommands } from '../../../commands/index.ts';
import { Lantern } from '../../../src/core/lantern.ts';
import { openForReport, openJsonForReport } from '../../../src/core/crypto/envelope.ts';
import { payloadBinding, routeBinding } from '../../../src/core/intake/sealing.ts';
import { LOCALES } from '../../../src/core/i18n/locales.ts';
import { contextFor, memoryDeps } from '../../support/memory.ts';
import { choice, fileReport, textOf } from '../../support/intake-driver.ts';

const lantern = new Lantern(allCommands);
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
const answers = {
  category: 'family_pressure',
  when: '2026-03',
  where: 'Prato',
  what: 'Police called my mother in Fuqing about my posts.',
  contact: 'signal:+39 000 000',
};

describe('report intake', () => {
  describe('where it runs', () => {
    it('refuses to start in a public chat and asks nothing there', async () => {
      const { deps, drafts } = memoryDeps();
      const r = await lantern.command('report', {}, contextFor(deps, { chat: 'public' }));
      expect(r.code).toBe('COMMAND.PRIVATE_ONLY');
      expect(r.private).toBe(true);
      expect(r.choices ?? []).toEqual([]);
      expect(drafts.rows.size).toBe(0);
    });

    it('refuses intake buttons pressed in a public chat', async () => {
      const { deps } = memoryDeps();
      const ctx = contextFor(deps);
      const start = await lantern.command('report', {}, ctx);
      const r = await lantern.choice(choice(start, 'cat:surveillance'), { ...ctx, chat: 'public' });
      expect(r.code).toBe('COMMAND.PRIVATE_ONLY');
    });
  });

  describe('a complete report', () => {
    for (const locale of LOCALES) {
      it(`is filed, checked and erased in ${locale}`, async () => {
        const { deps, reports, keyring } = memoryDeps();
        const ctx = contextFor(deps, { locale, route: 'chat-77' });
        const { receipt, publicId, replies } = await fileReport(lantern, ctx, { ...answers, images: [PNG] });
        expect(replies.every((r) => r.private)).toBe(true);
        const [stored] = [...reports.reports.values()];
        expect(stored!.publicId).toBe(publicId);
        expect(stored!.category).toBe('family_pressure');
        expect(stored!.period).toBe('2026-03');
        expect(stored!.stationId).toBe('it-prato');
        expect(stored!.consentContact).toBe(true);
        expect(Buffer.from(stored!.payload.data).toString('latin1')).not.toContain('mother');
        expect(stored!.receiptHash).not.toContain(receipt.replace(/-/g, ''));
        const dk = reports.dataKeys.get(stored!.id)!;
        const payload = openJsonForReport<{ what: string; route?: string; contact: string }>(
          keyring,
          dk,
          payloadBinding(stored!.id, stored!),
          stored!.payload,
        );
        expect(payload).toMatchObject({ what: answers.what, contact: answers.contact });
        // The route is sealed apart, under its own key: not in the payload.
        expect(payload.route).toBeUndefined();
        expect(openForReport(keyring, dk, routeBinding(stored!.id), stored!.route!).toString()).toBe('chat-77');
        expect(() => openForReport(keyring, dk, payloadBinding(stored!.id, stored!), stored!.route!)).toThrow();
        expect(reports.evidence).toHaveLength(1);

        const status = await lantern.command('myreports', { receipt: receipt.toLowerCase().replace(/-/g, ' ') }, ctx);
        expect(status.kind).toBe('answer');
        expect(textOf(status)).toContain(publicId);

        const gone = await lantern.command('forget', { receipt }, ctx);
        expect(gone.kind).toBe('answer');
        expect(reports.reports.size).toBe(0);
        expect(reports.erased).toEqual([publicId]);
        expect((await lantern.command('myreports', { receipt }, ctx)).code).toBe('REPORT.RECEIPT_UNKNOWN');
      });
    }

    it('keeps no relay route when contact was not consented', async () => {
      const { deps, reports, keyring } = memoryDeps();
      await fileReport(lantern, contextFor(deps, { route: 'chat-77' }), { ...answers, consents: [false, false, false] });
      const [r] = [...reports.reports.values()];
      expect(r!.route).toBeNull();
      expect(openJsonForReport<{ what: string }>(keyring, reports.dataKeys.get(r!.id)!, payloadBinding(r!.id, r!), r!.payload).what).toBe(
        answers.what,
      );
    });

    it('gives a receipt only after the report is committed, and a different one each time', async () => {
      const { deps } = memoryDeps();
      const a = await fileReport(lantern, contextFor(deps, { user: '1' }), answers);
      const b = await fileReport(lantern, contextFor(deps, { user: '2' }), answers);
      expect(a.receipt).not.toBe(b.receipt);
      expect(a.receipt.replace(/-/g, '')).toHaveLength(20);
    });
  });

  describe('receipts', () => {
    it('typed in a public chat: refused, and told to delete the message', async () => {
      const { deps } = memoryDeps();
      const r = await lantern.command('myreports', { receipt: 'AAAA-BBBB-CCCC-DDDD-EEEE' }, contextFor(deps, { chat: 'public' }));
      expect(r.code).toBe('COMMAND.PRIVATE_ONLY');
      expect(textOf(r)).toContain('delete your message');
      expect(textOf(await lantern.command('report', {}, contextFor(deps, { chat: 'public' })))).not.toContain('delete your message');
    });

    it('answers someone else’s receipt exactly like an unknown one', async () => {
      const { deps } = memoryDeps();
      const { receipt } = await fileReport(lantern, contextFor(deps, { user: 'alice' }), answers);
      const other = await lantern.command('myreports', { receipt }, contextFor(deps, { user: 'mallory' }));
      const unknown = await lantern.command('myreports', { receipt: 'AAAA-BBBB-CCCC-DDDD-EEEE' }, contextFor(deps, { user: 'mallory' }));
      expect(other.code).toBe('REPORT.RECEIPT_UNKNOWN');
      expect(textOf(other)).toBe(textOf(unknown));
      expect((await lantern.command('forget', { receipt }, contextFor(deps, { user: 'mallory' }))).code).toBe('REPORT.RECEIPT_UNKNOWN');
    });

    it('explains a malformed receipt', async () => {
      const { deps } = memoryDeps();
      const r = await lantern.command('myreports', { receipt: 'hello' }, contextFor(deps));
      expect(r.code).toBe('REPORT.RECEIPT_MALFORMED');
    });
  });

  describe('bad input changes nothing', () => {
    it('re-asks with a clear message on a bad date, too long or control-character text', async () => {
      const { deps, drafts } = memoryDeps();
      const ctx = contextFor(deps);
      let r = await lantern.command('report', {}, ctx);
      r = await lantern.choice(choice(r, 'cat:surveillance'), ctx);
      const before = drafts.rows.get(ctx.actor.id)!.version;
      for (const bad of ['yesterday', '2099-01-01', '2024-02-30', '1800']) {
        const e = await lantern.text(bad, ctx);
        expect(e.code).toBe('REPORT.BAD_DATE');
        expect(e.prompt?.field).toBe('when');
      }
      expect(drafts.rows.get(ctx.actor.id)!.version).toBe(before);
      r = await lantern.text('2025', ctx);
      r = await lantern.text('x'.repeat(301), ctx);
      expect(r.code).toBe('INPUT.TOO_LONG');
      r = await lantern.text('Prato\u202Eevil', ctx);
      expect(r.code).toBe('REPORT.CONTROL_CHARS');
      r = await lantern.choice(choice(r, 'skip'), ctx);
      r = await lantern.text('short', ctx);
      expect(r.code).toBe('REPORT.TEXT_TOO_SHORT');
    });

    it('refuses a non-image, a file at the wrong step, and too many images', async () => {
      const { deps } = memoryDeps();
      const ctx = contextFor(deps);
      let r = await lantern.command('report', {}, ctx);
      expect((await lantern.file({ bytes: PNG }, ctx)).code).toBe('REPORT.FILE_NOT_NOW');
      r = await lantern.choice(choice(r, 'cat:surveillance'), ctx);
      r = await lantern.choice(choice(r, 'skip'), ctx);
      await lantern.choice(choice(r, 'skip'), ctx);
      await lantern.text('Someone photographed me outside the community centre.', ctx);
      expect((await lantern.file({ bytes: new TextEncoder().encode('%PDF-1.7 not an image') }, ctx)).code).toBe('REPORT.FILE_TYPE');
      // Five different images (the same one twice is refused, see intake.commands.test.ts).
      for (let i = 0; i < 5; i++) expect((await lantern.file({ bytes: new Uint8Array([...PNG, i]) }, ctx)).kind).toBe('answer');
      expect((await lantern.file({ bytes: new Uint8Array([...PNG, 9]) }, ctx)).code).toBe('REPORT.TOO_MANY_FILES');
      expect((await lantern.file({ bytes: new Uint8Array(2_000_000) }, ctx)).code).toMatch(/REPORT.(FILE_TOO_LARGE|TOO_MANY_FILES)/);
    });

    it('ignores a stale or replayed button and shows the current step', async () => {
      const { deps, drafts } = memoryDeps();
      const ctx = contextFor(deps);
      const start = await lantern.command('report', {}, ctx);
      const pressed = choice(start, 'cat:surveillance');
      await lantern.choice(pressed, ctx);
      const state = structuredClone(drafts.rows.get(ctx.actor.id));
      const replay = await lantern.choice(pressed, ctx);
      expect(textOf(replay)).toContain('earlier step');
      expect(replay.prompt?.field).toBe('when');
      expect(drafts.rows.get(ctx.actor.id)).toEqual(state);
    });

    it('takes only one of two answers racing for the same step (two processes, a double tap)', async () => {
      const { deps, drafts } = memoryDeps();
      const ctx = contextFor(deps);
      const start = await lantern.command('report', {}, ctx);
      await lantern.choice(choice(start, 'cat:surveillance'), ctx);
      const [a, b] = await Promise.all([lantern.text('2025', ctx), lantern.text('2024', ctx)]);
      expect([a.code, b.code].filter((c) => c === 'REPORT.STALE_STEP')).toHaveLength(1);
      const stored = drafts.rows.get(ctx.actor.id)!;
      expect(stored.step).toBe('where');
      expect(stored.version).toBe(3);
    });

    it('answers a tampered button clearly', async () => {
      const { deps } = memoryDeps();
      const ctx = contextFor(deps);
      await lantern.command('report', {}, ctx);
      for (const id of ['rp:1:cat:not_a_category', 'rp:x:cat', 'rp:1:cat:../../etc', 'rp:99999:submit', 'lookup:' + 'x'.repeat(300)]) {
        const r = await lantern.choice(id, ctx);
        expect(r.private).toBe(true);
        expect(textOf(r).length).toBeGreaterThan(10);
      }
    });

    it('rate-limits submissions per person and keeps the draft', async () => {
      const base = memoryDeps();
      base.deps.intake!.settings.ratePerHour = 1;
      const ctx = contextFor(base.deps);
      await fileReport(lantern, ctx, answers);
      await expect(fileReport(lantern, ctx, answers)).rejects.toThrow(/REPORT.RATE_LIMITED/);
      expect(base.drafts.rows.get(ctx.actor.id)?.step).toBe('summary');
    });
  });

  describe('navigation', () => {
    it('goes back a step and keeps earlier answers', async () => {
      const { deps } = memoryDeps();
      const ctx = contextFor(deps);
      let r = await lantern.command('report', {}, ctx);
      r = await lantern.choice(choice(r, 'cat:surveillance'), ctx);
      r = await lantern.text('2025-01', ctx);
      r = await lantern.choice(choice(r, 'back'), ctx);
      expect(r.prompt?.field).toBe('when');
      r = await lantern.choice(choice(r, 'back'), ctx);
      expect(r.choices?.some((c) => c.id.includes(':cat:'))).toBe(true);
    });

    it('cancels: the draft is deleted and the tracked messages are to be deleted', async () => {
      const { deps, drafts } = memoryDeps();
      const ctx = contextFor(deps);
      const r = await lantern.command('report', {}, ctx);
      await lantern.recordSent(ctx, ['m1', 'm2']);
      const done = await lantern.choice(choice(r, 'cancel'), ctx);
      expect(done.deleteMessages).toEqual(['m1', 'm2']);
      expect(drafts.rows.size).toBe(0);
    });

    it('offers to continue a draft in progress, from any process', async () => {
      const { deps } = memoryDeps();
      const ctx = contextFor(deps);
      const r = await lantern.command('report', {}, ctx);
      await lantern.choice(choice(r, 'cat:surveillance'), ctx);
      const again = await new Lantern(allCommands).command('report', {}, ctx);
      const resumed = await lantern.choice(choice(again, 'resume'), ctx);
      expect(resumed.prompt?.field).toBe('when');
    });

    it('lets an abandoned draft expire', async () => {
      const m = memoryDeps();
      const ctx = contextFor(m.deps);
      await lantern.command('report', {}, ctx);
      m.setNow(new Date('2026-11-22T14:00:00Z'));
      expect((await lantern.text('2025', ctx)).code).toBe('COMMAND.NOT_A_COMMAND');
    });
  });
});
