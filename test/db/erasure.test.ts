/**
 * Erasure as a forensic examiner would test it, on the embedded default: record every sealed value
 * of a report (payload, relay route, draft states, evidence, notes, the anonymised version, its
 * wrapped data key), erase it
 * (/forget, the retention purge, a completed rotate-key for the old wrapped copies), then search
 * every file of the data directory for any 16-byte piece of those values, and try every key.
 * The PostgreSQL variant tests what a server allows: rows and key gone, a pg_dump free of them.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { allCommands } from '../../commands/index.ts';
import { buildDeps, ERASURE_COMPACT_MS } from '../../src/app.ts';
import { newKey, open, parseKeyring, pseudonym, type Keyring } from '../../src/core/crypto/crypto.ts';
import { openJsonForReport, unwrapDataKey } from '../../src/core/crypto/envelope.ts';
import type { CoreContext, CoreDeps } from '../../src/core/context.ts';
import { DatasetView } from '../../src/core/dataset/dataset.view.ts';
import { payloadBinding } from '../../src/core/intake/sealing.ts';
import { Lantern } from '../../src/core/lantern.ts';
import type { Database } from '../../src/db/client.ts';
import { replaceDataset } from '../../src/db/dataset-store.ts';
import { compactErased, erasureCompactor, purge, rotateKeys } from '../../src/db/maintenance.ts';
import { createLogger } from '../../src/logging.ts';
import { fileReport } from '../support/intake-driver.ts';
import { fixtureDataset } from '../support/memory.ts';
import { admin } from '../../src/tools/admin.ts';
import { writeFile } from 'node:fs/promises';
import { freshPglite, freshPostgres, postgresAvailable, type TestDatabase } from '../support/storage.ts';
import { carve } from '../support/carve.ts';

const lantern = new Lantern(allCommands);
const view = new DatasetView(fixtureDataset);
const settings = { reports: { ratePerHour: 50, retentionDays: 30, draftTtlMinutes: 60, evidenceMaxBytes: 5_000_000 } };
const log = createLogger('silent');
async function photo(seed: number): Promise<Uint8Array> {
  const raw = Buffer.alloc(64 * 48 * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 31 + seed * 97) & 0xff; // noise: the JPEG does not compress to nothing
  return new Uint8Array(
    await sharp(raw, { raw: { width: 64, height: 48, channels: 3 } })
      .jpeg({ quality: 95 })
      .toBuffer(),
  );
}

/** Deps whose draft store records every sealed draft state it is asked to write. */
function recordingDeps(db: Database, ring: Keyring, erased?: () => void): { deps: CoreDeps; states: Uint8Array[] } {
  const deps = buildDeps(db, ring, settings, log, () => view, new Map(), erased);
  const states: Uint8Array[] = [];
  const drafts = deps.intake!.drafts;
  deps.intake!.drafts = {
    ...drafts,
    get: (...a) => drafts.get(...a),
    create: (d) => (states.push(d.state.data), drafts.create(d)),
    update: (d, v) => (states.push(d.state.data), drafts.update(d, v)),
  };
  return { deps, states };
}

const ctxOf = (deps: CoreDeps, ring: Keyring, user: string, triage = false): CoreContext => ({
  actor: { platform: 'telegram', id: pseudonym(ring, 'telegram', user), locale: 'en', triage },
  chat: 'private',
  route: `chat-${user}-relay-route-0042`,
  deps,
});

/** Files a report with an image, contact consent and a triage note; returns every sealed value of it. */
async function fileAndRecord(db: Database, ring: Keyring, user: string, seed: number, erased?: () => void) {
  const { deps, states } = recordingDeps(db, ring, erased);
  const ctx = ctxOf(deps, ring, user);
  const what = `Report ${user}: they came to my flat about my brother, twice in one week, and photographed the door.`;
  const filed = await fileReport(lantern, ctx, {
    category: 'family_pressure',
    when: '2026-03',
    where: 'Prato',
    what,
    contact: `${user}@example.org`,
    images: [await photo(seed)],
    consents: [true, true, false],
  });
  const note = await lantern.command(
    'triage',
    { action: 'note', args: `${filed.publicId} Called back; the neighbour confirms the visit of ${user}.` },
    ctxOf(deps, ring, 'member', true),
  );
  expect(note.kind).toBe('answer');
  const anon = await lantern.command(
    'triage',
    { action: 'anonymise', args: `${filed.publicId} A relative of someone in Prato was visited twice (version of ${user}).` },
    ctxOf(deps, ring, 'member', true),
  );
  expect(anon.kind).toBe('answer');
  // The mailbox: the team asks, the reporter answers with their receipt.
  expect(
    (
      await lantern.command(
        'triage',
        { action: 'ask', args: `${filed.publicId} Which floor is the flat of ${user}?` },
        ctxOf(deps, ring, 'member', true),
      )
    ).kind,
  ).toBe('answer');
  const box = await lantern.command('myreports', { receipt: filed.receipt }, ctx);
  await lantern.choice(box.choices!.find((c) => c.id === 'mb:reply')!.id, ctx);
  expect((await lantern.text(`The third floor, says ${user}.`, ctx)).kind).toBe('answer');
  const r = await db.prisma.report.findUniqueOrThrow({
    where: { publicId: filed.publicId },
    include: { evidence: true, notes: true, anonymised: true, messages: true },
  });
  const key = await db.prisma.dataKey.findUniqueOrThrow({ where: { id: r.id } });
  const values = {
    payload: r.payloadCiphertext,
    route: r.routeCiphertext!,
    evidence: r.evidence.map((e) => e.dataCiphertext),
    notes: r.notes.map((n) => n.textCiphertext),
    anonymised: r.anonymised!.textCiphertext,
    messages: r.messages.map((m) => m.textCiphertext),
    drafts: states,
    wrappedKey: key.wrapped,
  };
  expect(values.route).toBeTruthy();
  expect(values.evidence).toHaveLength(1);
  expect(values.notes).toHaveLength(1);
  expect(values.messages).toHaveLength(2);
  expect(values.drafts.length).toBeGreaterThan(5);
  return {
    ...filed,
    row: r,
    values,
    all: [
      values.payload,
      values.route,
      ...values.evidence,
      ...values.notes,
      values.anonymised,
      ...values.messages,
      ...values.drafts,
      values.wrappedKey,
    ],
    deps,
    wrapped: { keyId: key.keyId, data: key.wrapped },
  };
}

/** Opens nothing: not with the master keys directly, not with any data key still stored. */
async function nothingOpens(db: Database, ring: Keyring, values: Uint8Array[]): Promise<void> {
  const keys = await db.prisma.dataKey.findMany();
  for (const v of values) {
    for (const id of ring.keys.keys()) expect(() => open(ring, id, v)).toThrow();
    for (const k of keys) expect(() => unwrapDataKey(ring, k.id, { keyId: k.keyId, data: v })).toThrow();
  }
}

describe('erasure on the embedded default (PGlite): a forensic carve', () => {
  let handle: TestDatabase | undefined;
  afterEach(async () => {
    await handle?.dispose();
    handle = undefined;
  });

  async function start() {
    handle = await freshPglite();
    await replaceDataset(handle.db.prisma, fixtureDataset, 'bundled');
    return handle;
  }

  it('/forget leaves no 16-byte piece of any sealed value in any file, within a minute, and nothing opens', async () => {
    const h = await start();
    const ring = parseKeyring(`k1:${newKey()}`, newKey());
    let compactions = 0;
    const compactor = erasureCompactor(async () => void (await compactErased(h.db), compactions++), {
      delayMs: ERASURE_COMPACT_MS,
      onError: (e) => {
        throw e;
      },
    });
    const gone = await fileAndRecord(h.db, ring, 'alice', 1, () => compactor.request());
    const kept = await fileAndRecord(h.db, ring, 'bob', 2);
    await h.db.prisma.$executeRawUnsafe('CHECKPOINT'); // the values are in the table files too, not only in the WAL
    const before = await carve(h.location, gone.all);
    expect([...before.keys()].some((f) => f.includes('pg_wal'))).toBe(true);
    expect([...before.keys()].some((f) => f.includes('base'))).toBe(true);

    const alice = ctxOf(gone.deps, ring, 'alice');
    const bob = ctxOf(kept.deps, ring, 'bob');
    for (const c of [alice, bob]) await lantern.command('language', { language: 'zh-Hant' }, c);
    const traces = async (c: CoreContext) => ({
      pref: await h.db.prisma.preference.count({ where: { actorHash: c.actor.id } }),
      limits: await h.db.prisma.rateLimit.count({ where: { key: { endsWith: c.actor.id } } }),
    });
    expect(await traces(alice)).toEqual({ pref: 1, limits: 1 });
    const t0 = Date.now();
    expect((await lantern.command('forget', { receipt: gone.receipt }, alice)).kind).toBe('answer');
    // "Forget me": the person's language and counters go; another person's stay.
    expect(await traces(alice)).toEqual({ pref: 0, limits: 0 });
    expect(await traces(bob)).toEqual({ pref: 1, limits: 1 });
    while (compactions === 0 && Date.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 200));
    expect(compactions, 'the compaction ran within a minute of the erasure').toBe(1);

    expect(Object.fromEntries(await carve(h.location, gone.all))).toEqual({});
    await nothingOpens(h.db, ring, gone.all);
    // The other report is intact and still opens: the carve looks where the data really is.
    expect((await carve(h.location, kept.all)).size).toBeGreaterThan(0);
    const r = kept.row;
    expect(
      openJsonForReport<{ what: string }>(ring, kept.wrapped, payloadBinding(r.id, r), { keyId: r.keyId, data: r.payloadCiphertext }).what,
    ).toContain('Report bob');
  }, 180_000);

  it('the retention purge leaves nothing of a purged report', async () => {
    const h = await start();
    const ring = parseKeyring(`k1:${newKey()}`, newKey());
    const old = await fileAndRecord(h.db, ring, 'carol', 3);
    await h.db.prisma.report.update({
      where: { id: old.row.id },
      data: { status: 'closed', closedAt: new Date(Date.now() - 40 * 86_400_000) },
    });
    await h.db.prisma.$executeRawUnsafe('CHECKPOINT');
    expect((await carve(h.location, old.all)).size).toBeGreaterThan(0);
    let asked = 0;
    expect((await purge(h.db.prisma, { now: new Date(), retentionDays: 30, erased: () => asked++ })).reports).toBe(1);
    expect(asked).toBe(1);
    await compactErased(h.db);
    expect(Object.fromEntries(await carve(h.location, old.all))).toEqual({});
    await nothingOpens(h.db, ring, old.all);
    expect((await h.db.prisma.auditEvent.findMany({ where: { reportRef: old.publicId } })).map((a) => a.action)).toEqual(['report.purged']);
  }, 120_000);

  it('a completed rotate-key leaves no copy of the data key wrapped by the old master key', async () => {
    const h = await start();
    const k1 = `k1:${newKey()}`;
    const ring1 = parseKeyring(k1, newKey());
    const r = await fileAndRecord(h.db, ring1, 'dave', 4);
    await h.db.prisma.$executeRawUnsafe('CHECKPOINT');
    expect((await carve(h.location, [r.values.wrappedKey])).size).toBeGreaterThan(0);
    const ring2 = parseKeyring(`k2:${newKey()},${k1}`, Buffer.from(ring1.hashKey).toString('base64'));
    expect(await rotateKeys(h.db.prisma, ring2)).toBe(1);
    await compactErased(h.db);
    expect(Object.fromEntries(await carve(h.location, [r.values.wrappedKey]))).toEqual({});
    // The report still opens with the new master key alone.
    const only2 = parseKeyring(`k2:${Buffer.from(ring2.keys.get('k2')!).toString('base64')}`, newKey());
    const key = await h.db.prisma.dataKey.findUniqueOrThrow({ where: { id: r.row.id } });
    expect(key.keyId).toBe('k2');
    const p = openJsonForReport<{ what: string }>(only2, { keyId: key.keyId, data: key.wrapped }, payloadBinding(r.row.id, r.row), {
      keyId: r.row.keyId,
      data: r.row.payloadCiphertext,
    });
    expect(p.what).toContain('Report dave');
  }, 120_000);

  it('a cancelled draft takes its data key with it', async () => {
    const h = await start();
    const ring = parseKeyring(`k1:${newKey()}`, newKey());
    const { deps } = recordingDeps(h.db, ring);
    const ctx = ctxOf(deps, ring, 'erin');
    const first = await lantern.command('report', {}, ctx);
    expect(await h.db.prisma.dataKey.count()).toBe(1);
    const cancel = first.choices!.find((c) => c.id.endsWith(':cancel'))!;
    await lantern.choice(cancel.id, ctx);
    expect(await h.db.prisma.conversation.count()).toBe(0);
    expect(await h.db.prisma.dataKey.count()).toBe(0);
  }, 60_000);
});

describe('the keyed fingerprint of an original upload', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = saved;
  });

  it('is no plain hash, and `admin evidence-check` tells the operator whether a file is the original', async () => {
    const h = await freshPglite();
    try {
      await replaceDataset(h.db.prisma, fixtureDataset, 'bundled');
      const ring = parseKeyring(`k1:${newKey()}`, newKey());
      const original = await photo(9);
      const { deps } = recordingDeps(h.db, ring);
      const filed = await fileReport(lantern, ctxOf(deps, ring, 'hana'), {
        category: 'other',
        when: '2026',
        where: 'Prato',
        what: 'A photo of the car that followed me home.',
        contact: 'none',
        images: [original],
      });
      const ev = await h.db.prisma.evidence.findFirstOrThrow();
      const { createHash } = await import('node:crypto');
      expect(ev.sha256Original).not.toBe(createHash('sha256').update(original).digest('hex'));
      await h.db.close();
      process.env = {
        ...saved,
        LANTERN_DATA_DIR: h.location,
        LANTERN_ENCRYPTION_KEYS: `k1:${Buffer.from(ring.keys.get('k1')!).toString('base64')}`,
        LANTERN_HASH_KEY: Buffer.from(ring.hashKey).toString('base64'),
      };
      delete process.env.DATABASE_URL;
      const same = path.join(h.location, '..', `${path.basename(h.location)}-same.jpg`);
      const other = path.join(h.location, '..', `${path.basename(h.location)}-other.jpg`);
      await writeFile(same, original);
      await writeFile(other, await photo(10));
      const out: string[] = [];
      expect(await admin(['evidence-check', filed.publicId, same], (x) => out.push(x))).toBe(0);
      expect(out.pop()).toMatch(/is the original of image 1/);
      expect(await admin(['evidence-check', filed.publicId, other], (x) => out.push(x))).toBe(1);
      expect(out.pop()).toMatch(/is not the original/);
      h.db = await (await import('../../src/db/client.ts')).openDatabase({ dataDir: h.location });
    } finally {
      await h.dispose();
    }
  }, 120_000);
});

describe.runIf(postgresAvailable)('erasure on PostgreSQL: what a server lets us check', () => {
  let handle: TestDatabase | undefined;
  afterEach(async () => {
    await handle?.dispose();
    handle = undefined;
  });

  it('/forget removes the rows and the data key; a pg_dump holds none of it; nothing opens', async () => {
    handle = await freshPostgres();
    const h = handle;
    await replaceDataset(h.db.prisma, fixtureDataset, 'bundled');
    const ring = parseKeyring(`k1:${newKey()}`, newKey());
    const gone = await fileAndRecord(h.db, ring, 'frank', 5);
    const kept = await fileAndRecord(h.db, ring, 'gina', 6);
    const dump = () => execFileSync('pg_dump', ['--data-only', '--format=plain', h.location], { maxBuffer: 256 * 2 ** 20 });
    const hex = (v: Uint8Array) => Buffer.from(v).toString('hex');
    expect(dump().toString('latin1')).toContain(hex(gone.values.wrappedKey));
    expect((await lantern.command('forget', { receipt: gone.receipt }, ctxOf(gone.deps, ring, 'frank'))).kind).toBe('answer');
    await compactErased(h.db);
    const text = dump().toString('latin1');
    for (const v of gone.all) expect(text).not.toContain(hex(v).slice(0, 64));
    expect(text).toContain(hex(kept.values.wrappedKey));
    const dead = await h.db.prisma.$queryRaw<
      { n: bigint }[]
    >`SELECT coalesce(sum(n_dead_tup), 0)::bigint AS n FROM pg_stat_user_tables WHERE relname IN ('DataKey', 'Report')`;
    expect(Number(dead[0]!.n)).toBe(0);
    await nothingOpens(h.db, ring, gone.all);
  }, 120_000);
});
