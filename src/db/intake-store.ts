/** DraftStore and ReportStore on Prisma (PGlite or PostgreSQL). Only sealed blobs pass through here. */
import type { DraftStore, NewReport, ReportStore, SaveResult, StoredDraft } from '../core/intake/intake.ports.ts';
import { groupCommit } from './group-commit.ts';
import { Prisma, type PrismaClient } from './client.ts';

const bytes = (u: Uint8Array) => new Uint8Array(u) as Uint8Array<ArrayBuffer>;

/** Midnight UTC of the day: report times in clear columns say the day, not the moment (least plaintext). */
export const dayOf = (d: Date) => new Date(Math.floor(d.getTime() / 86_400_000) * 86_400_000);

/** A draft row joined with its wrapped data key. */
type DraftRow = {
  key: string;
  reportId: string | null;
  step: string;
  version: number;
  keyId: string;
  stateCiphertext: Uint8Array;
  botMessages: unknown;
  expiresAt: Date;
  dkKeyId: string | null;
  wrapped: Uint8Array | null;
};

/** A report's wrapped data key (an empty one when missing: opening then fails cleanly). */
export async function dataKeysOf(prisma: PrismaClient, ids: string[]): Promise<Map<string, { keyId: string; data: Uint8Array }>> {
  const rows = ids.length ? await prisma.dataKey.findMany({ where: { id: { in: ids } } }) : [];
  return new Map(rows.map((k) => [k.id, { keyId: k.keyId, data: k.wrapped }]));
}

/** Stands in for a data key that is gone: every open with it fails. */
export const NO_KEY = { keyId: '', data: new Uint8Array(0) };

/** A report row as its reporter's side reads it (found by receipt, or by the mailbox): sealed, with its data key. */
export async function ownReport(prisma: PrismaClient, r: Prisma.ReportGetPayload<object> | null) {
  if (!r) return null;
  const dataKey = (await dataKeysOf(prisma, [r.id])).get(r.id) ?? NO_KEY;
  const { consentContact, consentShareNgo, consentShareLaw } = r;
  return {
    id: r.id,
    publicId: r.publicId,
    reporterHash: r.reporterHash,
    category: r.category,
    status: r.status,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    consentContact,
    consentShareNgo,
    consentShareLaw,
    payload: { keyId: r.keyId, data: r.payloadCiphertext },
    dataKey,
  };
}

/** Drafts in the Conversation table. */
export function prismaDrafts(prisma: PrismaClient, opts: ErasureHook = {}): DraftStore {
  const toDraft = (r: DraftRow): StoredDraft => ({
    key: r.key,
    reportId: r.reportId ?? '',
    dataKey: r.dkKeyId && r.wrapped ? { keyId: r.dkKeyId, data: r.wrapped } : NO_KEY,
    step: r.step,
    version: r.version,
    state: { keyId: r.keyId, data: r.stateCiphertext },
    messages: Array.isArray(r.botMessages) ? (r.botMessages as unknown[]).map(String) : [],
    expiresAt: r.expiresAt,
  });
  // Every intake step writes its draft, so the writes below are single SQL statements: one round
  // trip (and one commit) each, instead of the two to four of Prisma's upsert/updateMany and an
  // interactive transaction; and the steps of everyone answering at the same moment are saved
  // (and read) together, in one statement (measured: `npm run bench -- --only intake`).
  const saveSteps = groupCommit<{ draft: StoredDraft; expectedVersion: number }, SaveResult>(
    async (items) => {
      const rows = items.map(
        ({ draft: d, expectedVersion }) =>
          Prisma.sql`(${d.key}, ${expectedVersion}::int, ${d.step}, ${d.version}::int, ${d.state.keyId}, ${bytes(d.state.data)}::bytea, ${d.expiresAt.toISOString()}::timestamp(3))`,
      );
      const saved = await prisma.$queryRaw<{ key: string }[]>`
        UPDATE "Conversation" AS c SET "step" = v.step, "version" = v.version, "keyId" = v.kid, "stateCiphertext" = v.data, "expiresAt" = v.exp,
          "updatedAt" = ${new Date().toISOString()}::timestamp(3)
        FROM (VALUES ${Prisma.join(rows)}) AS v("key", expected, step, version, kid, data, exp)
        WHERE c."key" = v."key" AND c."version" = v.expected
        RETURNING c."key"`;
      const keys = new Set(saved.map((r) => r.key));
      return items.map(({ draft }) => (keys.has(draft.key) ? 'saved' : 'taken'));
    },
    { maxBatch: 200, keyOf: ({ draft }) => draft.key },
  );
  const readDrafts = groupCommit<string, DraftRow | undefined>(
    async (keys) => {
      const rows = await prisma.$queryRaw<DraftRow[]>`
        SELECT c."key", c."reportId", c."step", c."version", c."keyId", c."stateCiphertext", c."botMessages", c."expiresAt", k."keyId" AS "dkKeyId", k."wrapped"
        FROM "Conversation" c LEFT JOIN "DataKey" k ON k."id" = c."reportId"
        WHERE c."key" = ANY(${keys}::text[]) AND c."flow" = 'report'`;
      const byKey = new Map(rows.map((r) => [r.key, r]));
      return keys.map((k) => byKey.get(k));
    },
    { maxBatch: 200, keyOf: (k) => k },
  );
  const createDrafts = groupCommit<Omit<StoredDraft, 'version'>, StoredDraft>(
    async (drafts) => {
      const at = new Date().toISOString();
      const rows = drafts.map(
        (d) =>
          Prisma.sql`(${d.key}, ${d.reportId}, 'report', ${d.step}, 1, ${d.state.keyId}, ${bytes(d.state.data)}::bytea, ${JSON.stringify(d.messages)}::jsonb, ${d.expiresAt.toISOString()}::timestamp(3), ${at}::timestamp(3))`,
      );
      const keys = drafts.map((d) => Prisma.sql`(${d.reportId}, ${d.dataKey.keyId}, ${bytes(d.dataKey.data)}::bytea)`);
      const convKeys = drafts.map((d) => d.key);
      // A new draft replaces an old one (restart, expired) with its draft evidence and its data
      // key (destroyed: the old draft's sealed values, wherever they linger, no longer open).
      const created = await prisma.$queryRaw<DraftRow[]>`
        WITH gone AS (DELETE FROM "Evidence" WHERE "draftKey" = ANY(${convKeys}::text[])),
        oldkey AS (
          DELETE FROM "DataKey" k USING "Conversation" c WHERE c."key" = ANY(${convKeys}::text[]) AND k."id" = c."reportId"
            AND NOT EXISTS (SELECT 1 FROM "Report" r WHERE r."id" = k."id")
        ), newkey AS (INSERT INTO "DataKey" ("id", "keyId", "wrapped") VALUES ${Prisma.join(keys)})
        INSERT INTO "Conversation" ("key", "reportId", "flow", "step", "version", "keyId", "stateCiphertext", "botMessages", "expiresAt", "updatedAt")
        VALUES ${Prisma.join(rows)}
        ON CONFLICT ("key") DO UPDATE SET "reportId" = EXCLUDED."reportId", "flow" = EXCLUDED."flow", "step" = EXCLUDED."step", "version" = 1, "keyId" = EXCLUDED."keyId",
          "stateCiphertext" = EXCLUDED."stateCiphertext", "botMessages" = EXCLUDED."botMessages", "expiresAt" = EXCLUDED."expiresAt", "updatedAt" = EXCLUDED."updatedAt"
        RETURNING "key", "reportId", "step", "version", "keyId", "stateCiphertext", "botMessages", "expiresAt", NULL::text AS "dkKeyId", NULL::bytea AS "wrapped"`;
      const byKey = new Map(created.map((r) => [r.key, toDraft(r)]));
      for (const d of drafts) byKey.get(d.key)!.dataKey = d.dataKey;
      return drafts.map((d) => byKey.get(d.key)!);
    },
    { maxBatch: 200, keyOf: (d) => d.key },
  );
  return {
    async get(key, now) {
      const r = await readDrafts(key);
      return r && r.expiresAt > now ? toDraft(r) : null;
    },
    create: (draft) => createDrafts(draft),
    update: (draft, expectedVersion) => saveSteps({ draft, expectedVersion }),
    async delete(key) {
      // The draft's data key goes too, unless it is already a report's (the submit moved it on).
      await prisma.$executeRaw`
        WITH ev AS (DELETE FROM "Evidence" WHERE "draftKey" = ${key}),
        dk AS (DELETE FROM "DataKey" k USING "Conversation" c WHERE c."key" = ${key} AND k."id" = c."reportId" AND NOT EXISTS (SELECT 1 FROM "Report" r WHERE r."id" = k."id"))
        DELETE FROM "Conversation" WHERE "key" = ${key}`;
      opts.erased?.();
    },
    async addMessages(key, ids) {
      // Appending in SQL keeps concurrent appends from losing each other.
      await prisma.$executeRaw`UPDATE "Conversation" SET "botMessages" = "botMessages" || ${JSON.stringify(ids)}::jsonb WHERE "key" = ${key}`;
    },
  };
}

/** Told after something sealed was destroyed, so a compaction clears its old bytes from the disk. */
export interface ErasureHook {
  erased?: () => void;
}

/** Reports and their evidence. */
export function prismaReports(prisma: PrismaClient, opts: ErasureHook = {}): ReportStore {
  type Submission = { r: NewReport; limit: { perHour: number; now: Date } };
  type Outcome = Awaited<ReturnType<ReportStore['submit']>> | { error: unknown };

  /**
   * Commits submissions in one statement, so one round trip and one atomic commit: count each
   * against its person's hourly limit (the counter only moves when the report is accepted), store
   * the reports, move each draft's evidence to its report, delete the drafts, queue the team's
   * notices, audit.
   */
  async function commit(items: Submission[]): Promise<Outcome[]> {
    const perHour = items[0]!.limit.perHour;
    const rows = items.map(({ r, limit }) => {
      const windowStart = new Date(Math.floor(limit.now.getTime() / 3_600_000) * 3_600_000).toISOString();
      const createdAt = dayOf(r.createdAt).toISOString();
      const notice = JSON.stringify({
        publicId: r.publicId,
        category: r.category,
        severity: null,
        at: createdAt,
        ...(r.urgent ? { urgent: true } : {}),
      });
      return Prisma.sql`(${r.id}::text, ${r.publicId}::text, ${r.reporterHash}::text, ${r.receiptHash}::text, ${r.platform}::text, ${r.category}::text,
        ${r.payload.keyId}::text, ${bytes(r.payload.data)}::bytea, ${r.route ? bytes(r.route.data) : null}::bytea, ${r.consentContact}::boolean, ${r.consentShareNgo}::boolean, ${r.consentShareLaw}::boolean,
        ${r.stationId}::text, ${r.period}::text, ${r.urgent}::boolean, ${createdAt}::timestamp(3), ${r.draftKey}::text, ${`report:${r.reporterHash}`}::text, ${windowStart}::timestamp(3), ${notice}::jsonb)`;
    });
    const out = await prisma.$queryRaw<{ id: string; accepted: boolean; evidence: bigint }[]>`
      WITH input ("id", "publicId", "reporterHash", "receiptHash", "platform", "category", "keyId", "payload", "route", "cc", "cn", "cl",
                  "stationId", "period", "urgent", "createdAt", "draftKey", "rateKey", "windowStart", "notice") AS (VALUES ${Prisma.join(rows)}),
      counter AS (
        INSERT INTO "RateLimit" ("key", "windowStart", "count") SELECT "rateKey", "windowStart", 1 FROM input
        ON CONFLICT ("key", "windowStart") DO UPDATE SET "count" = "RateLimit"."count" + 1 WHERE "RateLimit"."count" < ${perHour}
        RETURNING "key", "windowStart"
      ), report AS (
        INSERT INTO "Report" ("id", "publicId", "reporterHash", "receiptHash", "platform", "category", "keyId", "payloadCiphertext", "routeCiphertext",
          "consentContact", "consentShareNgo", "consentShareLaw", "stationId", "period", "urgent", "createdAt", "updatedAt")
        SELECT i."id", i."publicId", i."reporterHash", i."receiptHash", i."platform", i."category", i."keyId", i."payload", i."route",
          i."cc", i."cn", i."cl", i."stationId", i."period", i."urgent", i."createdAt", i."createdAt"
        FROM input i JOIN counter c ON c."key" = i."rateKey" AND c."windowStart" = i."windowStart"
        RETURNING "id", "publicId"
      ), evidence AS (
        UPDATE "Evidence" e SET "reportId" = i."id", "draftKey" = NULL FROM input i JOIN report r ON r."id" = i."id"
        WHERE e."draftKey" = i."draftKey" RETURNING e."reportId"
      ), draft AS (
        DELETE FROM "Conversation" d USING input i JOIN report r ON r."id" = i."id" WHERE d."key" = i."draftKey"
      ), notice AS (
        INSERT INTO "Outbox" ("topic", "payload") SELECT 'report.new', i."notice" FROM input i JOIN report r ON r."id" = i."id"
      ), audit AS (
        INSERT INTO "AuditEvent" ("actorHash", "action", "reportRef") SELECT 'reporter', 'report.submitted', r."publicId" FROM report r
      )
      SELECT i."id", (r."id" IS NOT NULL) AS accepted, (SELECT count(*) FROM evidence e WHERE e."reportId" = i."id") AS evidence
      FROM input i LEFT JOIN report r ON r."id" = i."id"`;
    const byId = new Map(out.map((o) => [o.id, o]));
    return items.map(({ r, limit }) => {
      const o = byId.get(r.id);
      if (o?.accepted) return { ok: true as const, evidence: Number(o.evidence) };
      const resetAt = Math.floor(limit.now.getTime() / 3_600_000) * 3_600_000 + 3_600_000;
      return {
        ok: false as const,
        reason: 'rate-limited' as const,
        retryAfterMinutes: Math.max(1, Math.ceil((resetAt - limit.now.getTime()) / 60_000)),
      };
    });
  }

  // Submissions arriving together are committed together; one person's never share a batch (the
  // rate-limit counter). If a batch fails, each submission is tried alone, so one bad row (a
  // duplicate public id) cannot fail the others.
  const submitReports = groupCommit<Submission, Outcome>(
    async (items) => {
      const attempt = (batch: Submission[]) =>
        commit(batch).catch((e: unknown): Outcome[] =>
          batch.map(() => (isUniqueViolation(e) ? { ok: false as const, reason: 'duplicate-id' as const } : { error: e })),
        );
      try {
        return await commit(items);
      } catch (e) {
        if (items.length === 1) return attempt(items);
        const alone: Outcome[] = [];
        for (const item of items) alone.push(...(await attempt([item])));
        return alone;
      }
    },
    { maxBatch: 100, keyOf: ({ r }) => r.reporterHash },
  );

  return {
    async addEvidence(e) {
      await prisma.evidence.create({
        data: {
          id: e.id,
          createdAt: dayOf(new Date()),
          draftKey: e.draftKey,
          keyId: e.sealed.keyId,
          dataCiphertext: bytes(e.sealed.data),
          sha256Original: e.sha256Original,
          sha256Stored: e.sha256Stored,
          mime: e.mime,
          bytes: e.bytes,
        },
      });
    },
    async submit(r, limit) {
      const outcome = await submitReports({ r, limit });
      if ('error' in outcome) throw outcome.error;
      return outcome;
    },
    async findByReceipt(receiptHash) {
      return ownReport(prisma, await prisma.report.findUnique({ where: { receiptHash } }));
    },
    async erase(id, publicId, o = {}) {
      await eraseReport(prisma, id, publicId, { actorHash: 'reporter', action: 'report.erased' });
      // "Forget me": the counters keyed by the person's pseudonym say when they were active.
      if (o.person) await prisma.rateLimit.deleteMany({ where: { key: { in: [`report:${o.person}`, `receipt:${o.person}`] } } });
      opts.erased?.();
    },
  };
}

/** A unique constraint refused the row (P2002 from a model query, SQLSTATE 23505 from raw SQL). */
function isUniqueViolation(e: unknown): boolean {
  if (!(e instanceof Prisma.PrismaClientKnownRequestError)) return false;
  return e.code === 'P2002' || (e.code === 'P2010' && /23505/.test(JSON.stringify(e.meta ?? {}) + e.message));
}

/**
 * Erases one report in one transaction: its data key (so every copy of its sealed values, on
 * this disk or in a backup, stops opening), the report with its evidence and notes (cascade),
 * its queued notices, and its audit timeline; one audit entry records that an erasure happened.
 */
export async function eraseReport(
  prisma: PrismaClient,
  id: string,
  publicId: string,
  entry: { actorHash: string; action: string; details?: Prisma.InputJsonValue },
): Promise<void> {
  await prisma.$transaction([
    // Names the report whose audit rows the append-only trigger lets this transaction delete.
    prisma.$queryRaw`SELECT set_config('lantern.erasing', ${publicId}, true)`,
    prisma.auditEvent.deleteMany({ where: { reportRef: publicId } }),
    prisma.$executeRaw`DELETE FROM "Outbox" WHERE "payload"->>'publicId' = ${publicId}`,
    prisma.report.updateMany({ where: { duplicateOfId: id }, data: { duplicateOfId: null } }),
    prisma.report.deleteMany({ where: { id } }),
    prisma.dataKey.deleteMany({ where: { id } }),
    prisma.auditEvent.create({ data: { ...entry, reportRef: publicId } }),
  ]);
}
