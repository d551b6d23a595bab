/** DraftStore and ReportStore on Prisma (PGlite or PostgreSQL). Only sealed blobs pass through here. */
import type { DraftStore, NewReport, ReportStore, SaveResult, StoredDraft } from '../core/intake/intake.ports.ts';
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
      const createdAt = r.createdAt.toISOString();
      const notice = JSON.stringify({ publicId: r.publicId, category: r.category, severity: null, at: createdAt });
      return Prisma.sql`(${r.id}::text, ${r.publicId}::text, ${r.reporterHash}::text, ${r.receiptHash}::text, ${r.platform}::text, ${r.category}::text,
        ${r.payload.keyId}::text, ${bytes(r.payload.data)}::bytea, ${r.consentContact}::boolean, ${r.consentShareNgo}::boolean, ${r.consentShareLaw}::boolean,
        ${r.stationId}::text, ${r.period}::text, ${createdAt}::timestamp(3), ${r.draftKey}::text, ${`report:${r.reporterHash}`}::text, ${windowStart}::timestamp(3), ${notice}::jsonb)`;
    });
    const out = await prisma.$queryRaw<{ id: string; accepted: boolean; evidence: bigint }[]>`
      WITH input ("id", "publicId", "reporterHash", "receiptHash", "platform", "category", "keyId", "payload", "cc", "cn", "cl",
                  "stationId", "period", "createdAt", "draftKey", "rateKey", "windowStart", "notice") AS (VALUES ${Prisma.join(rows)}),
      counter AS (
        INSERT INTO "RateLimit" ("key", "windowStart", "count") SELECT "rateKey", "windowStart", 1 FROM input
        ON CONFLICT ("key", "windowStart") DO UPDATE SET "count" = "RateLimit"."count" + 1 WHERE "RateLimit"."count" < ${perHour}
        RETURNING "key", "windowStart"
      ), report AS (
        INSERT INTO "Report" ("id", "publicId", "reporterHash", "receiptHash", "platform", "category", "keyId", "payloadCiphertext",
          "consentContact", "consentShareNgo", "consentShareLaw", "stationId", "period", "createdAt", "updatedAt")
        SELECT i."id", i."publicId", i."reporterHash", i."receiptHash", i."platform", i."category", i."keyId", i."payload",
          i."cc", i."cn", i."cl", i."stationId", i."period", i."createdAt", i."createdAt"
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
      return { ok: false as const, reason: 'rate-limited' as const, retryAfterMinutes: Math.max(1, Math.ceil((resetAt - limit.now.getTime()) / 60_000)) };
    });
  }

  // Submissions arriving together are committed together; one person's never share a batch (the
  // rate-limit counter). If a batch fails, each submission is tried alone, so one bad row (a
  // duplicate public id) cannot fail the others.
  const submitReports = groupCommit<Submission, Outcome>(
    async (items) => {
      const attempt = (batch: Submission[]) =>
        commit(batch).catch((e: unknown): Outcome[] => batch.map(() => (isUniqueViolation(e) ? { ok: false as const, reason: 'duplicate-id' as const } : { error: e })));
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
        data: { id: e.id, draftKey: e.draftKey, keyId: e.sealed.keyId, dataCiphertext: bytes(e.sealed.data), sha256Original: e.sha256Original, sha256Stored: e.sha256Stored, mime: e.mime, bytes: e.bytes },
      });
    },
    async submit(r, limit) {
      const outcome = await submitReports({ r, limit });
      if ('error' in outcome) throw outcome.error;
      return outcome;
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
