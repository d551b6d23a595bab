/** DraftStore and ReportStore on Prisma (PGlite or PostgreSQL). Only sealed blobs pass through here. */
import type { DraftStore, ReportStore, SaveResult, StoredDraft } from '../core/intake/intake.ports.ts';
import { groupCommit } from './group-commit.ts';
import { Prisma, type PrismaClient } from './client.ts';

const bytes = (u: Uint8Array) => new Uint8Array(u) as Uint8Array<ArrayBuffer>;

/** Drafts in the Conversation table. */
export function prismaDrafts(prisma: PrismaClient): DraftStore {
  const toDraft = (r: { key: string; step: string; version: number; keyId: string; stateCiphertext: Uint8Array; botMessages: unknown; expiresAt: Date }): StoredDraft => ({
    key: r.key,
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
  const readDrafts = groupCommit<string, Parameters<typeof toDraft>[0] | undefined>(
    async (keys) => {
      const rows = await prisma.conversation.findMany({ where: { key: { in: keys }, flow: 'report' } });
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
          Prisma.sql`(${d.key}, 'report', ${d.step}, 1, ${d.state.keyId}, ${bytes(d.state.data)}::bytea, ${JSON.stringify(d.messages)}::jsonb, ${d.expiresAt.toISOString()}::timestamp(3), ${at}::timestamp(3))`,
      );
      // A new draft replaces an old one (restart, expired) with its draft evidence.
      const created = await prisma.$queryRaw<Parameters<typeof toDraft>[0][]>`
        WITH gone AS (DELETE FROM "Evidence" WHERE "draftKey" = ANY(${drafts.map((d) => d.key)}::text[]))
        INSERT INTO "Conversation" ("key", "flow", "step", "version", "keyId", "stateCiphertext", "botMessages", "expiresAt", "updatedAt")
        VALUES ${Prisma.join(rows)}
        ON CONFLICT ("key") DO UPDATE SET "flow" = EXCLUDED."flow", "step" = EXCLUDED."step", "version" = 1, "keyId" = EXCLUDED."keyId",
          "stateCiphertext" = EXCLUDED."stateCiphertext", "botMessages" = EXCLUDED."botMessages", "expiresAt" = EXCLUDED."expiresAt", "updatedAt" = EXCLUDED."updatedAt"
        RETURNING "key", "step", "version", "keyId", "stateCiphertext", "botMessages", "expiresAt"`;
      const byKey = new Map(created.map((r) => [r.key, toDraft(r)]));
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
      await prisma.$transaction([prisma.evidence.deleteMany({ where: { draftKey: key } }), prisma.conversation.deleteMany({ where: { key } })]);
    },
    async addMessages(key, ids) {
      // Appending in SQL keeps concurrent appends from losing each other.
      await prisma.$executeRaw`UPDATE "Conversation" SET "botMessages" = "botMessages" || ${JSON.stringify(ids)}::jsonb WHERE "key" = ${key}`;
    },
  };
}

/** Reports and their evidence. */
export function prismaReports(prisma: PrismaClient): ReportStore {
  return {
    async addEvidence(e) {
      await prisma.evidence.create({
        data: { id: e.id, draftKey: e.draftKey, keyId: e.sealed.keyId, dataCiphertext: bytes(e.sealed.data), sha256Original: e.sha256Original, sha256Stored: e.sha256Stored, mime: e.mime, bytes: e.bytes },
      });
    },
    async submit(r, limit) {
      const windowStart = new Date(Math.floor(limit.now.getTime() / 3_600_000) * 3_600_000).toISOString();
      const rateKey = `report:${r.reporterHash}`;
      const createdAt = r.createdAt.toISOString();
      const notice = JSON.stringify({ publicId: r.publicId, category: r.category, severity: null, at: createdAt });
      // One statement, so one round trip and one atomic commit: count the submission against the
      // person's hourly limit (the counter only moves when the report is accepted), store the report,
      // move the draft's evidence to it, delete the draft, queue the team's notice, audit.
      try {
        const [row] = await prisma.$queryRaw<{ accepted: bigint; evidence: bigint }[]>`
          WITH counter AS (
            INSERT INTO "RateLimit" ("key", "windowStart", "count") VALUES (${rateKey}, ${windowStart}::timestamp(3), 1)
            ON CONFLICT ("key", "windowStart") DO UPDATE SET "count" = "RateLimit"."count" + 1 WHERE "RateLimit"."count" < ${limit.perHour}
            RETURNING "count"
          ), report AS (
            INSERT INTO "Report" ("id", "publicId", "reporterHash", "receiptHash", "platform", "category", "keyId", "payloadCiphertext",
              "consentContact", "consentShareNgo", "consentShareLaw", "stationId", "period", "createdAt", "updatedAt")
            SELECT ${r.id}, ${r.publicId}, ${r.reporterHash}, ${r.receiptHash}, ${r.platform}, ${r.category}, ${r.payload.keyId}, ${bytes(r.payload.data)},
              ${r.consentContact}, ${r.consentShareNgo}, ${r.consentShareLaw}, ${r.stationId}, ${r.period}, ${createdAt}::timestamp(3), ${createdAt}::timestamp(3)
            FROM counter
            RETURNING "id"
          ), evidence AS (
            UPDATE "Evidence" SET "reportId" = (SELECT "id" FROM report), "draftKey" = NULL
            WHERE "draftKey" = ${r.draftKey} AND EXISTS (SELECT 1 FROM report) RETURNING 1
          ), draft AS (
            DELETE FROM "Conversation" WHERE "key" = ${r.draftKey} AND EXISTS (SELECT 1 FROM report) RETURNING 1
          ), notice AS (
            INSERT INTO "Outbox" ("topic", "payload") SELECT 'report.new', ${notice}::jsonb FROM report RETURNING 1
          ), audit AS (
            INSERT INTO "AuditEvent" ("actorHash", "action", "reportRef") SELECT 'reporter', 'report.submitted', ${r.publicId} FROM report RETURNING 1
          )
          SELECT (SELECT count(*) FROM report) AS accepted, (SELECT count(*) FROM evidence) AS evidence,
            (SELECT count(*) FROM draft) + (SELECT count(*) FROM notice) + (SELECT count(*) FROM audit) AS rest`;
        if (row && Number(row.accepted) === 1) return { ok: true as const, evidence: Number(row.evidence) };
        const resetAt = new Date(windowStart).getTime() + 3_600_000;
        return { ok: false, reason: 'rate-limited', retryAfterMinutes: Math.max(1, Math.ceil((resetAt - limit.now.getTime()) / 60_000)) };
      } catch (e) {
        if (isUniqueViolation(e)) return { ok: false, reason: 'duplicate-id' };
        throw e;
      }
    },
    async findByReceipt(receiptHash) {
      const r = await prisma.report.findUnique({ where: { receiptHash } });
      return r
        ? { id: r.id, publicId: r.publicId, reporterHash: r.reporterHash, category: r.category, status: r.status, createdAt: r.createdAt, updatedAt: r.updatedAt, payload: { keyId: r.keyId, data: r.payloadCiphertext } }
        : null;
    },
    async erase(id, publicId) {
      await prisma.$transaction([
        prisma.report.updateMany({ where: { duplicateOfId: id }, data: { duplicateOfId: null } }),
        prisma.report.delete({ where: { id } }),
        prisma.auditEvent.create({ data: { actorHash: 'reporter', action: 'report.erased', reportRef: publicId } }),
      ]);
    },
  };
}

/** A unique constraint refused the row (P2002 from a model query, SQLSTATE 23505 from raw SQL). */
function isUniqueViolation(e: unknown): boolean {
  if (!(e instanceof Prisma.PrismaClientKnownRequestError)) return false;
  return e.code === 'P2002' || (e.code === 'P2010' && /23505/.test(JSON.stringify(e.meta ?? {}) + e.message));
}
