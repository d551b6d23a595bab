/**
 * A database from before envelope encryption: reports, images, notes and drafts sealed with the
 * master key itself. After the upgrade they open as new ones do (the team reads the report, the
 * reporter continues a draft), erasing them destroys a key, and the master-key copies are gone
 * from every file of the data directory.
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { allCommands } from '../../commands/index.ts';
import { buildDeps } from '../../src/app.ts';
import { newKey, parseKeyring, pseudonym, seal, type Keyring } from '../../src/core/crypto/crypto.ts';
import { openForReport, type WrappedKey } from '../../src/core/crypto/envelope.ts';
import type { CoreContext } from '../../src/core/context.ts';
import { DatasetView } from '../../src/core/dataset/dataset.view.ts';
import { draftBinding, evidenceBinding, noteBinding } from '../../src/core/intake/sealing.ts';
import { Lantern } from '../../src/core/lantern.ts';
import type { Database } from '../../src/db/client.ts';
import { replaceDataset } from '../../src/db/dataset-store.ts';
import { legacyFingerprint, upgradeLegacySealing } from '../../src/db/legacy-sealing.ts';
import { compactErased } from '../../src/db/maintenance.ts';
import { createLogger } from '../../src/logging.ts';
import { carve } from '../support/carve.ts';
import { choice, fileReport, textOf } from '../support/intake-driver.ts';
import { fixtureDataset } from '../support/memory.ts';
import { openEvidence, openPayload, openRoute } from '../support/sealed.ts';
import { freshPglite, type TestDatabase } from '../support/storage.ts';

const lantern = new Lantern(allCommands);
const view = new DatasetView(fixtureDataset);
const settings = { reports: { ratePerHour: 50, retentionDays: 30, draftTtlMinutes: 60, evidenceMaxBytes: 5_000_000 } };
const bytes = (b: Uint8Array) => new Uint8Array(b) as Uint8Array<ArrayBuffer>;

const ctxOf = (db: Database, ring: Keyring, user: string, triage = false): CoreContext => ({
  actor: { platform: 'telegram', id: pseudonym(ring, 'telegram', user), locale: 'en', triage },
  chat: 'private',
  route: `chat-${user}-route`,
  deps: buildDeps(db, ring, settings, createLogger('silent'), () => view, new Map()),
});

async function photo(): Promise<Uint8Array> {
  const raw = Buffer.alloc(32 * 24 * 3, 0).map((_, i) => (i * 37) & 0xff);
  return new Uint8Array(
    await sharp(raw, { raw: { width: 32, height: 24, channels: 3 } })
      .jpeg()
      .toBuffer(),
  );
}

async function keyOf(db: Database, id: string): Promise<WrappedKey> {
  const k = await db.prisma.dataKey.findUniqueOrThrow({ where: { id } });
  return { keyId: k.keyId, data: k.wrapped };
}

/**
 * Rewrites a report filed today into what the old code stored: every value sealed with the master
 * key and the old associated data, the route inside the payload, the plain hash of the original,
 * moments to the millisecond, no data key. Returns the legacy ciphertexts.
 */
async function makeLegacyReport(db: Database, ring: Keyring, publicId: string, original: Uint8Array): Promise<Uint8Array[]> {
  const r = await db.prisma.report.findUniqueOrThrow({ where: { publicId }, include: { evidence: true, notes: true } });
  const dk = await keyOf(db, r.id);
  const payload = { ...(await openPayload(db.prisma, ring, r)), route: await openRoute(db.prisma, ring, r) };
  const sealed = seal(ring, Buffer.from(JSON.stringify(payload)), `report:${r.id}`).data;
  const moment = new Date('2026-11-20T13:47:12.345Z');
  await db.prisma.report.update({
    where: { id: r.id },
    data: { keyId: 'k1', payloadCiphertext: bytes(sealed), routeCiphertext: null, createdAt: moment, updatedAt: moment },
  });
  const out = [sealed];
  for (const e of r.evidence) {
    const image = seal(
      ring,
      openForReport(ring, dk, evidenceBinding(r.id, e.id), { keyId: e.keyId, data: e.dataCiphertext }),
      `evidence:${e.id}`,
    ).data;
    await db.prisma.evidence.update({
      where: { id: e.id },
      data: { keyId: 'k1', dataCiphertext: bytes(image), sha256Original: createHash('sha256').update(original).digest('hex') },
    });
    out.push(image);
  }
  for (const n of r.notes) {
    const text = seal(
      ring,
      openForReport(ring, dk, noteBinding(r.id, n.id), { keyId: n.keyId, data: n.textCiphertext }),
      `note:${n.id}`,
    ).data;
    await db.prisma.reportNote.update({ where: { id: n.id }, data: { keyId: 'k1', textCiphertext: bytes(text) } });
    out.push(text);
  }
  await db.prisma.dataKey.delete({ where: { id: r.id } });
  return out;
}

/** The same for a draft in progress: its state sealed with the master key, no reserved report id. */
async function makeLegacyDraft(db: Database, ring: Keyring): Promise<Uint8Array> {
  const c = await db.prisma.conversation.findFirstOrThrow();
  const dk = await keyOf(db, c.reportId!);
  const state = seal(
    ring,
    openForReport(ring, dk, draftBinding(c.reportId!, c.key), { keyId: c.keyId, data: c.stateCiphertext }),
    `draft:${c.key}`,
  ).data;
  await db.prisma.conversation.update({ where: { key: c.key }, data: { keyId: 'k1', stateCiphertext: bytes(state), reportId: null } });
  await db.prisma.dataKey.delete({ where: { id: c.reportId! } });
  return state;
}

describe('a database sealed before envelope encryption', () => {
  let h: TestDatabase | undefined;
  afterEach(async () => {
    await h?.dispose();
    h = undefined;
  });

  it('is upgraded: reports, images, notes and drafts open again, erasure erases, no master-key copy stays on disk', async () => {
    h = await freshPglite();
    await replaceDataset(h.db.prisma, fixtureDataset, 'bundled');
    const ring = parseKeyring(`k1:${newKey()}`, newKey());
    const original = await photo();
    const what = 'Two men came to my parents in Wenzhou and asked when I would come back from Prato.';
    const filed = await fileReport(lantern, ctxOf(h.db, ring, 'ana'), {
      category: 'family_pressure',
      when: '2026-02',
      where: 'Prato',
      what,
      contact: 'ana@example.org',
      images: [original],
      consents: [true, true, false],
    });
    const member = ctxOf(h.db, ring, 'lead', true);
    expect(
      (await lantern.command('triage', { action: 'note', args: `${filed.publicId} Spoke to the family association.` }, member)).kind,
    ).toBe('answer');
    const draftCtx = ctxOf(h.db, ring, 'ben');
    const started = await lantern.command('report', {}, draftCtx);
    await lantern.choice(choice(started, 'cat:surveillance'), draftCtx);
    const legacy = [...(await makeLegacyReport(h.db, ring, filed.publicId, original)), await makeLegacyDraft(h.db, ring)];
    // Before the upgrade the team cannot read the report: this is the bug being fixed.
    const unread = await lantern.command('triage', { action: 'view', args: filed.publicId }, member).then(textOf, (e: Error) => e.message);
    expect(unread).not.toContain('Wenzhou');

    const up = await upgradeLegacySealing(h.db.prisma, ring, { erased: () => compactErased(h!.db) });
    expect(up).toEqual({ reports: 1, drafts: 1, unreadable: [] });

    const seen = textOf(await lantern.command('triage', { action: 'view', args: filed.publicId }, member));
    expect(seen).toContain(what);
    expect(seen).toContain('Spoke to the family association.');
    const r = await h.db.prisma.report.findUniqueOrThrow({ where: { publicId: filed.publicId }, include: { evidence: true } });
    expect(r.createdAt.toISOString()).toBe('2026-11-20T00:00:00.000Z');
    expect(await openRoute(h.db.prisma, ring, r)).toBe('chat-ana-route');
    expect((await openPayload(h.db.prisma, ring, r)).route).toBeUndefined();
    expect((await openEvidence(h.db.prisma, ring, r.evidence[0]!)).length).toBeGreaterThan(100);
    // The plain hash of the original is gone; its keyed form still answers evidence-check.
    expect(r.evidence[0]!.sha256Original).toBe(legacyFingerprint(ring, createHash('sha256').update(original).digest('hex')));
    // The reporter's draft continues where it was: the next step is the date.
    expect(textOf(await lantern.command('draft', {}, draftCtx))).toMatch(/when/i);
    expect(await upgradeLegacySealing(h.db.prisma, ring)).toEqual({ reports: 0, drafts: 0, unreadable: [] });

    // The master-key copies left the disk: a stolen master key no longer opens the report.
    expect(Object.fromEntries(await carve(h.location, legacy))).toEqual({});
    expect((await lantern.command('forget', { receipt: filed.receipt }, ctxOf(h.db, ring, 'ana'))).kind).toBe('answer');
    expect(await h.db.prisma.dataKey.findUnique({ where: { id: r.id } })).toBeNull();
    expect(await h.db.prisma.report.count()).toBe(0);
  }, 120_000);

  it('names, and leaves as they are, reports that no configured key opens', async () => {
    h = await freshPglite();
    await replaceDataset(h.db.prisma, fixtureDataset, 'bundled');
    const ring = parseKeyring(`k1:${newKey()}`, newKey());
    const filed = await fileReport(lantern, ctxOf(h.db, ring, 'cai'), {
      category: 'other',
      when: '2026',
      where: 'Prato',
      what: 'Someone photographed us at the community centre.',
      contact: 'none',
    });
    await makeLegacyReport(h.db, ring, filed.publicId, new Uint8Array(0));
    const other = parseKeyring(`k9:${newKey()}`, newKey());
    expect(await upgradeLegacySealing(h.db.prisma, other)).toEqual({ reports: 0, drafts: 0, unreadable: [filed.publicId] });
    expect((await h.db.prisma.report.findUniqueOrThrow({ where: { publicId: filed.publicId } })).keyId).toBe('k1');
    // With the right key added, it converts.
    expect((await upgradeLegacySealing(h.db.prisma, ring)).reports).toBe(1);
  }, 60_000);
});
