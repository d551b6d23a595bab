/**
 * The report intake on real storage, the same suite on PGlite and PostgreSQL: a full report with
 * an image, what lands in the database (nothing readable), what lands in the logs (nothing
 * identifying), resuming after a restart, and the append-only audit log.
 */
import { execFileSync } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { allCommands } from '../../commands/index.ts';
import { buildDeps } from '../../src/app.ts';
import { fileFingerprint, newKey, parseKeyring, pseudonym, sha256 } from '../../src/core/crypto/crypto.ts';
import { openEvidence, openPayload } from '../support/sealed.ts';
import { DatasetView } from '../../src/core/dataset/dataset.view.ts';
import { Lantern } from '../../src/core/lantern.ts';
import { encodeIntakeChoice } from '../../src/core/choice-id.ts';
import type { CoreContext } from '../../src/core/context.ts';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { replaceDataset } from '../../src/db/dataset-store.ts';
import { prismaDrafts, prismaReports } from '../../src/db/intake-store.ts';
import type { NewReport } from '../../src/core/intake/intake.ports.ts';
import { randomUUID } from 'node:crypto';
import { createLogger } from '../../src/logging.ts';
import { fixtureDataset } from '../support/memory.ts';
import { choice, fileReport, textOf } from '../support/intake-driver.ts';
import { backends } from '../support/storage.ts';

const lantern = new Lantern(allCommands);
const RAW_USER = '777123456';
const WHAT = 'Two men from the hometown association told me my father would lose his pension unless I came back. MARKER-WHAT-9f3a';
const CONTACT = 'MARKER-CONTACT signal +44 7000 000000';
const WHERE = 'Prato, via MARKER-WHERE';
const settings = { reports: { ratePerHour: 5, retentionDays: 30, draftTtlMinutes: 60, evidenceMaxBytes: 5_000_000 } };

/** A JPEG carrying EXIF and GPS metadata with a marker. */
async function jpegWithGps(): Promise<Uint8Array> {
  const buf = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 30, b: 30 } } })
    .jpeg()
    .withExif({
      IFD0: { ImageDescription: 'MARKER-EXIF-desc', Copyright: 'MARKER-EXIF' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '43/1 52/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '11/1 5/1 0/1' },
    })
    .toBuffer();
  return new Uint8Array(buf);
}

function memoryStream() {
  const chunks: string[] = [];
  const stream = new Writable({ write: (c, _e, cb) => void (chunks.push(String(c)), cb()) });
  return { stream, text: () => chunks.join('') };
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else out.push(p);
  }
  return out;
}

for (const [name, fresh] of backends) {
  describe(`report storage on ${name}`, () => {
    const keyring = parseKeyring(`k1:${newKey()}`, newKey());
    const logs = memoryStream();
    const log = createLogger('debug', logs.stream);
    let handle: Awaited<ReturnType<typeof fresh>>;
    let db: Database;
    const view = new DatasetView(fixtureDataset);
    const ctxFor = (d: Database, user = RAW_USER): CoreContext => ({
      actor: { platform: 'telegram', id: pseudonym(keyring, 'telegram', user), locale: 'en', triage: false },
      chat: 'private',
      route: `chat-${user}`,
      deps: buildDeps(d, keyring, settings, log, () => view),
    });

    afterAll(async () => {
      await handle?.dispose();
    });

    it('files a report with an image: stored encrypted, image cleaned, notice queued without content', async () => {
      handle = await fresh();
      db = handle.db;
      await replaceDataset(db.prisma, fixtureDataset, 'bundled');
      const original = await jpegWithGps();
      expect((await sharp(original).metadata()).exif).toBeDefined();
      const ctx = ctxFor(db);
      const { publicId, receipt } = await fileReport(lantern, ctx, {
        category: 'family_pressure',
        when: '2026-02',
        where: WHERE,
        what: WHAT,
        contact: CONTACT,
        images: [original],
      });

      const report = await db.prisma.report.findUniqueOrThrow({ where: { publicId }, include: { evidence: true } });
      expect(report.reporterHash).toBe(ctx.actor.id);
      expect(report.reporterHash).not.toContain(RAW_USER);
      expect(Buffer.from(report.payloadCiphertext).toString('latin1')).not.toContain('MARKER');
      expect(report.evidence).toHaveLength(1);
      const ev = report.evidence[0]!;
      // The original's fingerprint is keyed: holding the photo is not enough to confirm it was reported.
      expect(ev.sha256Original).not.toBe(sha256(original));
      expect(ev.sha256Original).toBe(fileFingerprint(keyring, original));
      const stored = await openEvidence(db.prisma, keyring, ev);
      expect(sha256(stored)).toBe(ev.sha256Stored);
      const meta = await sharp(stored).metadata();
      expect(meta.format).toBe('jpeg');
      expect(meta.exif).toBeUndefined();
      expect(stored.toString('latin1')).not.toContain('MARKER-EXIF');
      expect(stored.toString('latin1')).not.toContain('GPS');

      const notices = await db.prisma.outbox.findMany();
      expect(notices).toHaveLength(1);
      expect(Object.keys(notices[0]!.payload as object).sort()).toEqual(['at', 'category', 'publicId', 'severity']);
      expect(await db.prisma.conversation.count()).toBe(0);

      expect((await lantern.command('myreports', { receipt }, ctx)).kind).toBe('answer');
    });

    it('logs nothing that identifies the person or repeats the report', () => {
      const text = logs.text();
      expect(text).toContain('report submitted');
      for (const secret of [RAW_USER, 'MARKER', 'pension', 'signal', `chat-${RAW_USER}`]) expect(text).not.toContain(secret);
    });

    it('resumes a report in progress after a restart', async () => {
      let ctx = ctxFor(db, 'restart-user');
      let r = await lantern.command('report', {}, ctx);
      r = await lantern.choice(choice(r, 'cat:surveillance'), ctx);
      r = await lantern.text('2025', ctx);
      expect(r.prompt?.field).toBe('where');
      await db.close();
      db = handle.location.startsWith('postgres')
        ? await openDatabase({ dataDir: '', databaseUrl: handle.location })
        : await openDatabase({ dataDir: handle.location });
      handle.db = db;
      ctx = ctxFor(db, 'restart-user');
      r = await lantern.text('Prato', ctx);
      expect(r.kind).toBe('answer');
      expect(textOf(r)).toMatch(/reported stations/);
      r = await lantern.choice(choice(r, 'skip'), ctx);
      expect(r.prompt?.field).toBe('what');
    });

    // PGlite belongs to one process (see the lock tests), so this case exists for PostgreSQL alone.
    if (name === 'PostgreSQL')
      it('continues one conversation across two bot processes sharing PostgreSQL', async () => {
        const other = await openDatabase({ dataDir: '', databaseUrl: handle.location });
        try {
          const a = ctxFor(db, 'two-process-user');
          const b = ctxFor(other, 'two-process-user');
          let r = await lantern.command('report', {}, a);
          r = await lantern.choice(choice(r, 'cat:surveillance'), b);
          expect(r.prompt?.field).toBe('when');
          r = await lantern.text('2024', a);
          expect(r.prompt?.field).toBe('where');
          expect(choice(r, 'skip')).not.toBe(encodeIntakeChoice(2, 'skip'));
          const stale = await lantern.choice(encodeIntakeChoice(2, 'skip'), b); // an earlier version's button
          expect(textOf(stale)).toContain('earlier step');
        } finally {
          await other.close();
        }
      });

    it('keeps no report text in the database files or a dump', async () => {
      if (handle.location.startsWith('postgres')) {
        const dump = execFileSync('pg_dump', ['--data-only', handle.location], { encoding: 'latin1', maxBuffer: 64 * 1024 * 1024 });
        expect(dump).toContain('report.submitted');
        for (const m of ['MARKER', 'pension', RAW_USER]) expect(dump).not.toContain(m);
      } else {
        await db.close();
        let scanned = 0;
        for (const f of await filesUnder(handle.location)) {
          if ((await stat(f)).size > 200 * 1024 * 1024) continue;
          const bytes = (await readFile(f)).toString('latin1');
          scanned += bytes.length;
          for (const m of ['MARKER-WHAT', 'MARKER-CONTACT', 'MARKER-WHERE', 'pension'])
            expect(bytes, `${m} found in ${f}`).not.toContain(m);
        }
        expect(scanned).toBeGreaterThan(100_000);
        db = await openDatabase({ dataDir: handle.location });
        handle.db = db;
      }
    });

    it('refuses to edit or delete audit events', async () => {
      expect(await db.prisma.auditEvent.count()).toBeGreaterThan(0);
      await expect(db.prisma.auditEvent.deleteMany()).rejects.toThrow();
      await expect(db.prisma.auditEvent.updateMany({ data: { action: 'x' } })).rejects.toThrow();
      await expect(db.prisma.$executeRawUnsafe('TRUNCATE "AuditEvent"')).rejects.toThrow(/append-only/);
      // Naming a report for erasure lets only that report's rows go, nothing else.
      const n = await db.prisma.auditEvent.count();
      await expect(
        db.prisma.$transaction([
          db.prisma.$queryRaw`SELECT set_config('lantern.erasing', 'R-NOSUCH', true)`,
          db.prisma.auditEvent.deleteMany(),
        ]),
      ).rejects.toThrow();
      expect(await db.prisma.auditEvent.count()).toBe(n);
    });

    it('erases a report and its evidence, recording only that an erasure happened', async () => {
      const ctx = ctxFor(db, 'eraser');
      const { receipt, publicId } = await fileReport(lantern, ctx, {
        category: 'other',
        when: '2024',
        where: 'Somewhere',
        what: 'Something happened that I want erased later.',
        contact: 'none',
        images: [await jpegWithGps()],
      });
      const before = await db.prisma.evidence.count();
      const erasedId = (await db.prisma.report.findUniqueOrThrow({ where: { publicId } })).id;
      expect(await db.prisma.dataKey.count({ where: { id: erasedId } })).toBe(1);
      expect(await db.prisma.outbox.count({ where: { payload: { path: ['publicId'], equals: publicId } } })).toBe(1);
      expect((await lantern.command('forget', { receipt }, ctx)).kind).toBe('answer');
      expect(await db.prisma.report.count({ where: { publicId } })).toBe(0);
      expect(await db.prisma.evidence.count()).toBe(before - 1);
      const audit = await db.prisma.auditEvent.findMany({ where: { reportRef: publicId }, orderBy: { id: 'asc' } });
      // The timeline is gone; only the erasure itself is recorded. Its data key and notice went too.
      expect(audit.map((a) => a.action)).toEqual(['report.erased']);
      expect(await db.prisma.auditEvent.count({ where: { action: 'report.submitted' } })).toBeGreaterThan(0);
      expect(await db.prisma.dataKey.count({ where: { id: erasedId } })).toBe(0);
      expect(await db.prisma.outbox.count({ where: { payload: { path: ['publicId'], equals: publicId } } })).toBe(0);
      expect(await db.prisma.outbox.count()).toBeGreaterThan(0);
      expect(audit.every((a) => a.actorHash === 'reporter')).toBe(true);
    });

    it('rate-limits per person across processes sharing the database', async () => {
      const limited = { reports: { ...settings.reports, ratePerHour: 1 } };
      const ctx = { ...ctxFor(db, 'busy'), deps: buildDeps(db, keyring, limited, log, () => view) };
      await fileReport(lantern, ctx, {
        category: 'other',
        when: '2024',
        where: 'X',
        what: 'First report of the hour is fine.',
        contact: 'none',
      });
      const second = await fileReport(lantern, ctx, {
        category: 'other',
        when: '2024',
        where: 'X',
        what: 'Second report is rate limited.',
        contact: 'none',
      }).catch((e: Error) => e);
      expect(second).toBeInstanceOf(Error);
      expect(await db.prisma.conversation.count({ where: { key: ctx.actor.id } })).toBe(1);
      // The refused submission did not count against the person: the counter holds the one accepted.
      expect((await db.prisma.rateLimit.findMany({ where: { key: `report:${ctx.actor.id}` } })).map((r) => r.count)).toEqual([1]);
    });

    it('saves the steps of many people answering at the same moment, each report exactly once', async () => {
      const deps = buildDeps(db, keyring, settings, log, () => view); // one process: its steps are saved together
      const people = Array.from({ length: 40 }, (_, i) => `crowd-${i}`);
      const filed = await Promise.all(
        people.map((p) =>
          fileReport(
            lantern,
            { ...ctxFor(db, p), deps },
            { category: 'online_harassment', when: '2025-02', where: 'Prato', what: `Report of ${p}: calls at night.`, contact: 'none' },
          ),
        ),
      );
      const ids = filed.map((f) => f.publicId);
      expect(new Set(ids).size).toBe(40);
      const rows = await db.prisma.report.findMany({ where: { publicId: { in: ids } } });
      expect(rows).toHaveLength(40);
      for (const r of rows)
        expect((await openPayload<{ what: string }>(db.prisma, keyring, r)).what).toMatch(/^Report of crowd-\d+: calls at night\.$/);
      const keys = people.map((p) => pseudonym(keyring, 'telegram', p));
      expect(await db.prisma.conversation.count({ where: { key: { in: keys } } })).toBe(0);
    });

    describe('submissions committed together', () => {
      const report = (publicId: string, reporter: string): NewReport => ({
        id: randomUUID(),
        publicId,
        reporterHash: reporter,
        receiptHash: `receipt-${randomUUID()}`,
        platform: 'telegram',
        category: 'surveillance',
        payload: { keyId: 'k1', data: new Uint8Array([1, 2, 3]) },
        route: null,
        consentContact: false,
        consentShareNgo: false,
        consentShareLaw: false,
        stationId: null,
        period: '2025-06',
        urgent: false,
        draftKey: `draft-${reporter}`,
        createdAt: new Date(),
      });
      const limit = (perHour: number) => ({ perHour, now: new Date() });

      it('refuses only the person over their hourly limit', async () => {
        const reports = prismaReports(db.prisma);
        expect(await reports.submit(report('R-LIM001', 'limited-person'), limit(1))).toMatchObject({ ok: true });
        // The first goes alone; the three after it, arriving meanwhile, are committed together.
        const results = await Promise.all([
          reports.submit(report('R-LIM010', 'free-person-a'), limit(1)),
          reports.submit(report('R-LIM002', 'limited-person'), limit(1)),
          ...['b', 'c'].map((p, i) => reports.submit(report(`R-LIM02${i}`, `free-person-${p}`), limit(1))),
        ]);
        expect(results.map((r) => r.ok)).toEqual([true, false, true, true]);
        expect(results[1]).toMatchObject({ reason: 'rate-limited' });
        expect(await db.prisma.report.count({ where: { publicId: { startsWith: 'R-LIM' } } })).toBe(4);
      });

      it('answers a duplicate public id for that submission alone, and keeps the others', async () => {
        const reports = prismaReports(db.prisma);
        // The first goes alone; the two with the same public id are committed together.
        const results = await Promise.all([
          reports.submit(report('R-DUP002', 'dup-c'), limit(5)),
          reports.submit(report('R-DUP001', 'dup-a'), limit(5)),
          reports.submit(report('R-DUP001', 'dup-b'), limit(5)),
        ]);
        expect(results.filter((r) => r.ok)).toHaveLength(2);
        expect(results.filter((r) => !r.ok && r.reason === 'duplicate-id')).toHaveLength(1);
        expect((await db.prisma.report.findMany({ where: { publicId: { startsWith: 'R-DUP' } } })).map((r) => r.publicId).sort()).toEqual([
          'R-DUP001',
          'R-DUP002',
        ]);
        // The refused one moved nothing: its person's counter holds no submission.
        const refused = ['dup-c', 'dup-a', 'dup-b'][results.findIndex((r) => !r.ok)]!;
        expect(await db.prisma.rateLimit.count({ where: { key: `report:${refused}` } })).toBe(0);
      });
    });

    it('keeps one of two saves of the same step racing to the database', async () => {
      const drafts = prismaDrafts(db.prisma);
      const expiresAt = new Date(Date.now() + 60_000);
      const created = await drafts.create({
        key: 'race-key',
        reportId: randomUUID(),
        dataKey: { keyId: 'k1', data: new Uint8Array([9]) },
        step: 'category',
        state: { keyId: 'k1', data: new Uint8Array([1]) },
        messages: [],
        expiresAt,
      });
      const save = (byte: number) =>
        drafts.update({ ...created, step: 'when', version: 2, state: { keyId: 'k1', data: new Uint8Array([byte]) } }, 1);
      const results = await Promise.all([save(2), save(3), save(4)]);
      expect(results.filter((r) => r === 'saved')).toHaveLength(1);
      expect(results.filter((r) => r === 'taken')).toHaveLength(2);
      const row = await db.prisma.conversation.findUniqueOrThrow({ where: { key: 'race-key' } });
      expect(row.version).toBe(2);
      expect([2, 3, 4][results.indexOf('saved')]).toBe(row.stateCiphertext[0]);
    });
  });
}
