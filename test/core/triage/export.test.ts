/** Exports by audience, in core: consent per audience, what a record may hold, encryption, refusals. */
import { describe, expect, it } from 'vitest';
import { Decrypter, generateIdentity, identityToRecipient } from 'age-encryption';
import { allCommands } from '../../../commands/index.ts';
import { Lantern } from '../../../src/core/lantern.ts';
import { LOCALES } from '../../../src/core/i18n/locales.ts';
import type { CoreDeps } from '../../../src/core/context.ts';
import type { Reply } from '../../../src/core/reply.ts';
import { isAgeRecipient } from '../../../src/core/triage/export.age.ts';
import { sealAnonymised, openAnonymised } from '../../../src/core/triage/anonymised.ts';
import { newDataKey } from '../../../src/core/crypto/envelope.ts';
import { contextFor, memoryDeps } from '../../support/memory.ts';
import { fileReport, textOf } from '../../support/intake-driver.ts';

const lantern = new Lantern(allCommands);
const identity = await generateIdentity();
const recipient = await identityToRecipient(identity);
const decrypter = new Decrypter();
decrypter.addIdentity(identity);

/** Two verified reports: one consenting to NGOs only, one to law enforcement only; plus one to neither. */
async function setup(recipients: string[] = [recipient]) {
  const m = memoryDeps();
  const deps: CoreDeps = { ...m.deps, triage: { ...m.deps.triage!, exports: { recipients, deleteDecryptedAfterSeconds: 0 } } };
  const file = (user: string, what: string, contact: string, consents: [boolean, boolean, boolean]) =>
    fileReport(lantern, contextFor(deps, { user }), {
      category: 'family_pressure',
      when: '2026-03-14',
      where: `Street of ${user}`,
      what,
      contact,
      consents,
    });
  const ngo = await file('a', 'NGO-WORDS my brother was questioned', 'ngo-contact@example.org', [true, true, false]);
  const law = await file('b', 'LAW-WORDS they followed me home', '+39 111 222', [true, false, true]);
  const none = await file('c', 'NONE-WORDS nobody may see this', 'none-contact', [false, false, false]);
  const member = contextFor(deps, { user: 'm', triage: true });
  const tri = (action: string, args = '', ctx = member) => lantern.command('triage', { action, args }, ctx);
  for (const id of [ngo.publicId, law.publicId, none.publicId]) {
    await tri('status', `${id} in_review`);
    await tri('status', `${id} verified`);
  }
  return { deps, tri, member, ids: { ngo: ngo.publicId, law: law.publicId, none: none.publicId } };
}

const plainOf = async (r: Reply) =>
  Object.fromEntries(
    await Promise.all(
      r.files!.map(async (f) => [f.name.replace(/^lantern-\w+-\d{4}-\d\d-\d\d-/, ''), await decrypter.decrypt(f.bytes, 'text')] as const),
    ),
  );

describe('triage export', () => {
  describe('by audience', () => {
    it('carries only the reports consented to that audience, and says the default statuses', async () => {
      const { tri, ids } = await setup();
      const ngo = await tri('export', 'ngo');
      const law = await tri('export', 'law');
      expect(ngo.kind).toBe('answer');
      const ngoRecs = JSON.parse((await plainOf(ngo))['reports.json.age']!) as { id: string }[];
      const lawRecs = JSON.parse((await plainOf(law))['reports.json.age']!) as { id: string }[];
      expect(ngoRecs.map((r) => r.id)).toEqual([ids.ngo]);
      expect(lawRecs.map((r) => r.id)).toEqual([ids.law]);
      expect(textOf(ngo)).toContain('verified, referred');
      expect(textOf(ngo)).toContain('/triage export ngo verified closed');
    });

    it('takes statuses after the audience (and the default notice goes)', async () => {
      const { tri, ids } = await setup();
      const r = await tri('export', 'ngo new');
      expect(JSON.parse((await plainOf(r))['reports.json.age']!)).toEqual([]);
      expect(textOf(r)).not.toContain('default');
      const v = await tri('export', 'NGO verified');
      expect(JSON.parse((await plainOf(v))['reports.json.age']!).map((x: { id: string }) => x.id)).toEqual([ids.ngo]);
    });

    it('refuses without an audience or with an unknown word, in every language, exporting nothing', async () => {
      const { tri, deps } = await setup();
      for (const locale of LOCALES) {
        const ctx = contextFor(deps, { user: 'm', triage: true, locale });
        for (const args of ['', 'verified', 'everyone']) {
          const r = await tri('export', args, ctx);
          expect(r.code).toBe('TRIAGE.EXPORT_AUDIENCE');
          expect(textOf(r)).toContain('/triage export ngo');
          expect(r.files).toBeUndefined();
        }
        expect((await tri('export', 'law bogus', ctx)).code).toBe('TRIAGE.BAD_FILTER');
      }
    });
  });

  describe('what a record holds', () => {
    it('never a contact, never the reporter’s words or place, dates to the day; the anonymised text when written', async () => {
      const { tri, ids } = await setup();
      const before = await plainOf(await tri('export', 'ngo'));
      const rec = JSON.parse(before['reports.json.age']!)[0];
      expect(rec).toMatchObject({ id: ids.ngo, category: 'family_pressure', status: 'verified', incident: '2026-03-14', text: null });
      expect(rec.submitted_day).toMatch(/^\d{4}-\d\d-\d\d$/);
      expect((await tri('anonymise', `${ids.ngo} A relative of the reporter was questioned. ANON-OK`)).kind).toBe('answer');
      const after = await plainOf(await tri('export', 'ngo'));
      expect(JSON.parse(after['reports.json.age']!)[0].text).toContain('ANON-OK');
      expect(after['reports.csv.age']).toContain('ANON-OK');
      for (const all of [Object.values(before).join('\n'), Object.values(after).join('\n')]) {
        for (const secret of [
          'NGO-WORDS',
          'LAW-WORDS',
          'NONE-WORDS',
          'ngo-contact@example.org',
          '+39 111 222',
          'none-contact',
          'Street of',
          '2026-11-22T',
        ])
          expect(all).not.toContain(secret);
      }
      const manifest = JSON.parse(after['manifest.json.age']!);
      expect(manifest.audience).toBe('ngo');
      expect(manifest.generated_day).toBe('2026-11-22');
    });

    it("the anonymised version is sealed with its report's data key and bound to its report", async () => {
      const { deps } = memoryDeps();
      const k = deps.intake!.keyring;
      const one = { id: 'report-1', dataKey: newDataKey(k, 'report-1') };
      const s = sealAnonymised(k, one, 'ANON');
      expect(Buffer.from(s.data).toString('latin1')).not.toContain('ANON');
      expect(openAnonymised(k, one, s)).toBe('ANON');
      expect(() => openAnonymised(k, { id: 'report-2', dataKey: newDataKey(k, 'report-2') }, s)).toThrow();
      // another report's key, even under this report's id, opens nothing
      expect(() => openAnonymised(k, { id: 'report-1', dataKey: newDataKey(k, 'report-1') }, s)).toThrow();
    });

    it('anonymise is audited, shown in view, and refuses empty or control-character text', async () => {
      const { tri, ids } = await setup();
      expect(textOf(await tri('view', ids.ngo))).toContain(`/triage anonymise ${ids.ngo}`);
      await tri('anonymise', `${ids.ngo} Summary for partners. SHOWN`);
      expect(textOf(await tri('view', ids.ngo))).toContain('SHOWN');
      expect(textOf(await tri('audit', ids.ngo))).toContain('report.anonymised');
      expect((await tri('anonymise', `${ids.ngo}`)).code).toBe('TRIAGE.BAD_TEXT');
      expect((await tri('anonymise', `${ids.ngo} bad\u202Etext`)).code).toBe('INPUT.CONTROL_CHARS');
      expect(textOf(await tri('view', ids.ngo))).toContain('SHOWN');
    });
  });

  describe('encryption', () => {
    it('with no recipient, refuses in chat naming the setting, in every language, and exports nothing', async () => {
      const { deps, tri } = await setup([]);
      for (const locale of LOCALES) {
        const r = await tri('export', 'ngo', contextFor(deps, { user: 'm', triage: true, locale }));
        expect(r.code).toBe('TRIAGE.EXPORT_NO_RECIPIENT');
        expect(textOf(r)).toContain('LANTERN_EXPORT_RECIPIENTS');
        expect(r.files).toBeUndefined();
      }
      expect(textOf(await tri('audit'))).not.toContain('reports.exported');
    });

    it('with no recipient, writes plain files only where the adapter keeps them local (console --save-files)', async () => {
      const { deps, ids, tri } = await setup([]);
      const r = await tri('export', 'ngo', { ...contextFor(deps, { user: 'm', triage: true }), localFiles: true });
      expect(r.kind).toBe('answer');
      const json = r.files!.find((f) => f.name.endsWith('reports.json'))!;
      expect(JSON.parse(Buffer.from(json.bytes).toString())[0].id).toBe(ids.ngo);
      expect(textOf(r)).toContain('Not encrypted');
    });

    it('with a recipient, every file is age-encrypted (no plaintext), even on the console', async () => {
      const { deps, tri } = await setup();
      const r = await tri('export', 'ngo', { ...contextFor(deps, { user: 'm', triage: true }), localFiles: true });
      expect(r.files).toHaveLength(3);
      for (const f of r.files!) {
        expect(f.name.endsWith('.age')).toBe(true);
        expect(Buffer.from(f.bytes).toString('latin1')).toContain('age-encryption.org/v1');
        expect(Buffer.from(f.bytes).toString('latin1')).not.toContain('family_pressure');
      }
      const other = new Decrypter();
      other.addIdentity(await generateIdentity());
      await expect(other.decrypt(r.files![0]!.bytes)).rejects.toThrow();
    });

    it('accepts only valid age recipients', () => {
      expect(isAgeRecipient(recipient)).toBe(true);
      expect(isAgeRecipient(recipient.slice(0, -1) + (recipient.endsWith('q') ? 'p' : 'q'))).toBe(false);
      expect(isAgeRecipient('ssh-ed25519 AAAA')).toBe(false);
    });
  });
});
