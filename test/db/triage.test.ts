/**
 * The triage workflow end to end on real storage (PGlite and PostgreSQL): who may do what, the
 * life of a report from new to closed, consent rules of the export, clusters, notices delivered
 * once, relayed contact, retention purge and key rotation.
 */
import sharp from 'sharp';
import { Decrypter, generateIdentity, identityToRecipient } from 'age-encryption';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allCommands } from '../../commands/index.ts';
import { buildDeps } from '../../src/app.ts';
import { newKey, parseKeyring, pseudonym } from '../../src/core/crypto/crypto.ts';
import { DatasetView } from '../../src/core/dataset/dataset.view.ts';
import { Lantern } from '../../src/core/lantern.ts';
import type { CoreContext } from '../../src/core/context.ts';
import { TRIAGE_ACTIONS } from '../../src/core/triage/triage.service.ts';
import { replaceDataset } from '../../src/db/dataset-store.ts';
import { claimNotices, markDelivered } from '../../src/db/outbox.ts';
import { purge, rotateKeys, runOnceAcrossProcesses } from '../../src/db/maintenance.ts';
import type { Relay } from '../../src/core/triage/triage.ports.ts';
import { fixtureDataset, memoryLogger } from '../support/memory.ts';
import { fileReport, textOf } from '../support/intake-driver.ts';
import { backends } from '../support/storage.ts';

const lantern = new Lantern(allCommands);
const settings = {
  reports: { ratePerHour: 50, retentionDays: 30, draftTtlMinutes: 60, evidenceMaxBytes: 5_000_000 },
  exports: { recipients: [] as string[], deleteDecryptedAfterSeconds: 0 },
};
const identity = await generateIdentity();
settings.exports.recipients = [await identityToRecipient(identity)];

for (const [name, fresh] of backends) {
  describe(`triage on ${name}`, () => {
    const k1 = newKey();
    const hashKey = newKey();
    let keyring = parseKeyring(`k1:${k1}`, hashKey);
    const view = new DatasetView(fixtureDataset);
    const relayed: { route: string; text: string }[] = [];
    const relays = new Map<string, Relay>([['telegram', async (route, text) => void relayed.push({ route, text })]]);
    let handle: Awaited<ReturnType<typeof fresh>>;
    const ctx = (
      user: string,
      o: { triage?: boolean; locale?: 'en' | 'zh-Hans' | 'zh-Hant'; chat?: 'private' | 'public' } = {},
    ): CoreContext => ({
      actor: { platform: 'telegram', id: pseudonym(keyring, 'telegram', user), locale: o.locale ?? 'en', triage: o.triage ?? false },
      chat: o.chat ?? 'private',
      route: `route-${user}`,
      deps: buildDeps(handle.db, keyring, settings, memoryLogger(), () => view, relays),
    });
    const member = () => ctx('member-1', { triage: true });
    const tri = (action: string, args = '', c = member()) => lantern.command('triage', { action, args }, c);
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      handle = await fresh();
      await replaceDataset(handle.db.prisma, fixtureDataset, 'bundled');
      const img = new Uint8Array(
        await sharp({ create: { width: 8, height: 8, channels: 3, background: 'blue' } })
          .png()
          .withExif({ IFD0: { Copyright: 'MARKER-EXIF' } })
          .toBuffer(),
      );
      ids.shared = (
        await fileReport(lantern, ctx('alice'), {
          category: 'station_contact',
          when: '2026-05',
          where: 'Prato',
          what: 'Summoned to the Prato office and asked about my sister. SHARED-TEXT',
          contact: 'alice@example.org',
          images: [img],
          consents: [true, true, false],
        })
      ).publicId;
      ids.secret = (
        await fileReport(lantern, ctx('bob'), {
          category: 'station_contact',
          when: '2026-05-20',
          where: 'Prato',
          what: 'They photographed me at the market near the office. SECRET-TEXT',
          contact: 'bob-contact',
          consents: [false, false, false],
        })
      ).publicId;
      ids.third = (
        await fileReport(lantern, ctx('carol'), {
          category: 'online_harassment',
          when: '2025',
          where: 'Toronto',
          what: 'Threatening messages on WeChat after my protest post.',
          contact: 'none',
          consents: [true, false, true],
        })
      ).publicId;
    });
    afterAll(async () => handle?.dispose());

    describe('authorization', () => {
      it('refuses every triage action, command or button, to a non-member', async () => {
        const outsider = ctx('outsider');
        for (const action of TRIAGE_ACTIONS) {
          const r = await tri(action, `${ids.shared} in_review`, outsider);
          expect(r.code, action).toBe('TRIAGE.FORBIDDEN');
          expect(r.private).toBe(true);
          expect(textOf(r)).not.toContain('SHARED-TEXT');
        }
        for (const button of [
          `tr:view:${ids.shared}`,
          `tr:claim:${ids.shared}`,
          `tr:status:${ids.shared}:in_review`,
          `tr:evidence:${ids.shared}`,
          `tr:link:${ids.shared}:it-prato`,
        ]) {
          const r = await lantern.choice(button, outsider);
          expect(r.code, button).toBe('TRIAGE.FORBIDDEN');
        }
        const audit = await handle.db.prisma.auditEvent.count({ where: { actorHash: outsider.actor.id } });
        expect(audit).toBe(0);
      });

      it('lets a member run every action (none is refused as forbidden)', async () => {
        for (const action of TRIAGE_ACTIONS) {
          const r = await tri(
            action,
            action === 'export' || action === 'queue' || action === 'clusters' || action === 'audit' ? '' : ids.third,
          );
          expect(r.code, action).not.toBe('TRIAGE.FORBIDDEN');
        }
      });
    });

    describe('the life of a report', () => {
      it('lists the queue without any report text', async () => {
        const r = await tri('queue', 'new');
        const text = textOf(r);
        expect(text).toContain(ids.shared);
        expect(text).not.toMatch(/SHARED-TEXT|SECRET-TEXT|alice@example/);
        expect((await tri('queue', 'bogus')).code).toBe('TRIAGE.BAD_FILTER');
      });

      it('shows a report to a member and records that it was read', async () => {
        const before = await handle.db.prisma.auditEvent.count({ where: { action: 'report.viewed', reportRef: ids.shared } });
        const r = await tri('view', ids.shared!.toLowerCase());
        expect(r.private).toBe(true);
        expect(textOf(r)).toContain('SHARED-TEXT');
        expect(textOf(r)).toContain('alice@example.org');
        expect(await handle.db.prisma.auditEvent.count({ where: { action: 'report.viewed', reportRef: ids.shared } })).toBe(before + 1);
        const hidden = await tri('view', ids.secret);
        expect(textOf(hidden)).not.toContain('bob-contact');
      });

      it('moves from new to closed through the allowed transitions only', async () => {
        const id = ids.shared!;
        expect((await tri('claim', id)).kind).toBe('answer');
        expect((await tri('status', `${id} verified`)).code).toBe('TRIAGE.BAD_TRANSITION');
        expect((await tri('status', `${id} nonsense`)).code).toBe('TRIAGE.BAD_STATUS');
        for (const s of ['in_review', 'verified', 'referred']) expect((await tri('status', `${id} ${s}`)).kind, s).toBe('answer');
        expect((await tri('severity', `${id} high`)).kind).toBe('answer');
        expect((await tri('severity', `${id} extreme`)).code).toBe('TRIAGE.BAD_SEVERITY');
        expect((await tri('note', `${id} Called the NGO partner. NOTE-MARKER`)).kind).toBe('answer');
        expect((await tri('note', `${id} bad\u202Etext`)).code).toBe('INPUT.CONTROL_CHARS');
        expect((await tri('link', `${id} Toronto`)).kind).toBe('answer');
        const pick = await tri('link', `${id} Prato`);
        expect(pick.kind).toBe('answer');
        expect((await tri('duplicate', `${ids.secret} ${id}`)).kind).toBe('answer');
        expect((await tri('duplicate', `${id} ${id}`)).code).toBe('TRIAGE.BAD_DUPLICATE');
        const r = await tri('view', id);
        const text = textOf(r);
        expect(text).toContain('NOTE-MARKER');
        expect(text).toContain(ids.secret);
        const note = await handle.db.prisma.reportNote.findFirstOrThrow();
        expect(Buffer.from(note.textCiphertext).toString('latin1')).not.toContain('NOTE-MARKER');
        const row = await handle.db.prisma.report.findUniqueOrThrow({ where: { publicId: id } });
        expect(row).toMatchObject({ status: 'referred', severity: 'high', assigneeHash: member().actor.id });
        expect((await lantern.choice(`tr:status:${id}:closed`, member())).kind).toBe('answer');
        expect((await handle.db.prisma.report.findUniqueOrThrow({ where: { publicId: id } })).closedAt).not.toBeNull();
        expect((await tri('status', `${id} in_review`)).code).toBe('TRIAGE.BAD_TRANSITION');
        const actions = (await handle.db.prisma.auditEvent.findMany({ where: { reportRef: id }, orderBy: { id: 'asc' } })).map(
          (a) => a.action,
        );
        expect(actions).toEqual(
          expect.arrayContaining([
            'report.submitted',
            'report.viewed',
            'report.claimed',
            'report.status',
            'report.severity',
            'report.noted',
            'report.linked',
          ]),
        );
      });

      it('hands out evidence cleaned of metadata, and records it', async () => {
        const r = await tri('evidence', ids.shared);
        expect(r.files).toHaveLength(1);
        const meta = await sharp(Buffer.from(r.files![0]!.bytes)).metadata();
        expect(meta.exif).toBeUndefined();
        expect(await handle.db.prisma.auditEvent.count({ where: { action: 'evidence.viewed', reportRef: ids.shared } })).toBe(1);
      });

      it('refuses a dataset suggestion without a known source and quote', async () => {
        expect((await tri('suggest', 'it-prato | closed in 2025')).code).toBe('TRIAGE.SUGGEST_USAGE');
        expect((await tri('suggest', 'it-prato | closed in 2025 | no-such-source | some quote here')).code).toBe(
          'TRIAGE.SUGGEST_NEEDS_SOURCE',
        );
        expect(
          (await tri('suggest', `it-prato | status should read closed | fixture-source | a station in Prato | ${ids.third}`)).kind,
        ).toBe('answer');
        expect(await handle.db.prisma.stationSuggestion.count()).toBe(1);
      });
    });

    describe('contact', () => {
      it('relays a message only to a reporter who consented, through their platform', async () => {
        expect((await tri('contact', `${ids.secret} hello`)).code).toBe('TRIAGE.NO_CONTACT_CONSENT');
        const r = await tri('contact', `${ids.third} Could you tell us the date of the first message?`);
        expect(r.kind).toBe('answer');
        expect(relayed).toHaveLength(1);
        expect(relayed[0]!.route).toBe('route-carol');
        expect(relayed[0]!.text).toContain(ids.third);
        expect(textOf(r)).not.toContain('route-carol');
      });
    });

    describe('clusters and export', () => {
      it('suggests reports about the same place and month as a cluster', async () => {
        await tri('status', `${ids.secret} in_review`);
        const fourth = (
          await fileReport(lantern, ctx('dave'), {
            category: 'surveillance',
            when: '2026-05-02',
            where: 'Prato',
            what: 'Someone followed me from the office to the station.',
            contact: 'none',
          })
        ).publicId;
        const r = await tri('clusters');
        expect(textOf(r)).toContain(ids.secret);
        expect(textOf(r)).toContain(fourth);
      });

      it('exports per audience, encrypted to the recipient: consented reports only, no contact, no reporter words, the anonymised text', async () => {
        const decrypter = new Decrypter();
        decrypter.addIdentity(identity);
        const read = async (r: Awaited<ReturnType<typeof tri>>, suffix: string) =>
          decrypter.decrypt(r.files!.find((f) => f.name.endsWith(suffix))!.bytes, 'text');
        const anon = await tri('anonymise', `${ids.shared} A person was summoned to an office and questioned about a relative. ANON-TEXT`);
        expect(anon.kind).toBe('answer');
        const exportsBefore = await handle.db.prisma.auditEvent.count({ where: { action: 'reports.exported' } });
        const every = 'new in_review needs_info verified referred dismissed closed';
        const ngo = await tri('export', `ngo ${every}`);
        const law = await tri('export', `law ${every}`);
        expect(ngo.files!.every((f) => f.name.endsWith('.age'))).toBe(true);
        const ngoJson = JSON.parse(await read(ngo, 'reports.json.age')) as { id: string; text: string | null }[];
        const lawJson = JSON.parse(await read(law, 'reports.json.age')) as { id: string; text: string | null }[];
        // shared: NGO consent only; third: law consent only; secret: neither
        expect(ngoJson.map((x) => x.id)).toContain(ids.shared);
        expect(ngoJson.find((x) => x.id === ids.shared)!.text).toContain('ANON-TEXT');
        expect(lawJson.map((x) => x.id)).toContain(ids.third);
        expect(lawJson.find((x) => x.id === ids.third)!.text).toBeNull();
        for (const r of [ngo, law]) {
          const all = (await Promise.all(r.files!.map((f) => decrypter.decrypt(f.bytes, 'text')))).join('\n');
          for (const secret of ['SHARED-TEXT', 'SECRET-TEXT', 'WeChat', 'alice@example.org', 'bob-contact', 'Toronto', ids.secret])
            expect(all).not.toContain(secret);
        }
        expect(lawJson.map((x) => x.id)).not.toContain(ids.shared);
        expect(await handle.db.prisma.auditEvent.count({ where: { action: 'reports.exported' } })).toBe(exportsBefore + 2);
        expect(await handle.db.prisma.auditEvent.count({ where: { action: 'report.anonymised', reportRef: ids.shared } })).toBe(1);
        // stored sealed: the table holds no plaintext, and view shows it to the team
        const row = await handle.db.prisma.reportAnonymised.findFirstOrThrow();
        expect(Buffer.from(row.textCiphertext).toString('latin1')).not.toContain('ANON-TEXT');
        expect(textOf(await tri('view', ids.shared))).toContain('ANON-TEXT');
      });
    });

    describe('notices', () => {
      it('are claimed once across competing processes and carry no content', async () => {
        const now = new Date();
        const [a, b] = await Promise.all([
          claimNotices(handle.db.prisma, 'process-a', now),
          claimNotices(handle.db.prisma, 'process-b', now),
        ]);
        const all = [...a, ...b];
        expect(new Set(all.map((n) => n.notice.publicId)).size).toBe(all.length);
        expect(all.length).toBeGreaterThanOrEqual(4);
        for (const n of all) {
          expect(Object.keys(n.notice).sort()).toEqual(['at', 'category', 'publicId', 'severity']);
          await markDelivered(handle.db.prisma, n.id, now);
        }
        expect(await claimNotices(handle.db.prisma, 'process-c', now)).toEqual([]);
      });
    });

    describe('retention and keys', () => {
      it('purges closed reports past the retention period, once across processes', async () => {
        const later = new Date(Date.now() + 31 * 86_400_000);
        const runs = await Promise.all(
          [1, 2].map(() =>
            runOnceAcrossProcesses(handle.db.prisma, 'retention-purge', 3_600_000, later, () =>
              purge(handle.db.prisma, { now: later, retentionDays: 30 }),
            ),
          ),
        );
        expect(runs.filter(Boolean)).toHaveLength(1);
        expect(await handle.db.prisma.report.count({ where: { publicId: ids.shared } })).toBe(0);
        expect(await handle.db.prisma.auditEvent.count({ where: { action: 'report.purged', reportRef: ids.shared } })).toBe(1);
        expect(await handle.db.prisma.reportAnonymised.count()).toBe(0); // its anonymised version went with it
        expect(await handle.db.prisma.report.count()).toBeGreaterThan(0);
      });

      it('re-encrypts everything under a new key and still reads it', async () => {
        const k2 = newKey();
        keyring = parseKeyring(`k2:${k2},k1:${k1}`, hashKey);
        const n = await rotateKeys(handle.db.prisma, keyring);
        expect(n).toBeGreaterThan(0);
        expect(await handle.db.prisma.report.count({ where: { keyId: 'k1' } })).toBe(0);
        keyring = parseKeyring(`k2:${k2}`, hashKey);
        expect(textOf(await tri('view', ids.third))).toContain('WeChat');
      });
    });

    describe('the storage boundary', () => {
      it('reads a category only from the taxonomy: a stored value outside it is an error, not a label', async () => {
        const store = member().deps.triage!.store;
        expect((await store.get(ids.third!))?.category).toBe('online_harassment');
        await handle.db.prisma.report.update({ where: { publicId: ids.third }, data: { category: 'harassment' } });
        try {
          await expect(store.get(ids.third!)).rejects.toThrow(`report ${ids.third} has an unknown category "harassment"`);
        } finally {
          await handle.db.prisma.report.update({ where: { publicId: ids.third }, data: { category: 'online_harassment' } });
        }
      });
    });
  });
}
