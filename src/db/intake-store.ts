/** DraftStore and ReportStore on Prisma (PGlite or PostgreSQL). Only sealed blobs pass through here. */
import type { DraftStore, ReportStore, StoredDraft } from '../core/intake/intake.ports.ts';
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
  return {
    async get(key, now) {
      const r = await prisma.conversation.findUnique({ where: { key } });
      if (!r || r.flow !== 'report') return null;
      return r.expiresAt > now ? toDraft(r) : null;
    },
    async create(d) {
      const data = { flow: 'report', step: d.step, version: 1, keyId: d.state.keyId, stateCiphertext: bytes(d.state.data), botMessages: d.messages, expiresAt: d.expiresAt };
      return prisma.$transaction(async (tx) => {
        await tx.evidence.deleteMany({ where: { draftKey: d.key } });
        return toDraft(await tx.conversation.upsert({ where: { key: d.key }, create: { key: d.key, ...data }, update: data }));
      });
    },
    async update(d, expectedVersion) {
      const n = await prisma.conversation.updateMany({
        where: { key: d.key, version: expectedVersion },
        data: { step: d.step, version: d.version, keyId: d.state.keyId, stateCiphertext: bytes(d.state.data), expiresAt: d.expiresAt },
      });
      return n.count === 1;
    },
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
    countEvidence: (draftKey) => prisma.evidence.count({ where: { draftKey } }),
    async addEvidence(e) {
      await prisma.evidence.create({
        data: { id: e.id, draftKey: e.draftKey, keyId: e.sealed.keyId, dataCiphertext: bytes(e.sealed.data), sha256Original: e.sha256Original, sha256Stored: e.sha256Stored, mime: e.mime, bytes: e.bytes },
      });
    },
    async submit(r, limit) {
      const windowStart = new Date(Math.floor(limit.now.getTime() / 3_600_000) * 3_600_000);
      const rateKey = `report:${r.reporterHash}`;
      try {
        return await prisma.$transaction(async (tx) => {
          const counter = await tx.rateLimit.upsert({
            where: { key_windowStart: { key: rateKey, windowStart } },
            create: { key: rateKey, windowStart, count: 1 },
            update: { count: { increment: 1 } },
          });
          if (counter.count > limit.perHour) {
            throw new RateLimited(Math.max(1, Math.ceil((windowStart.getTime() + 3_600_000 - limit.now.getTime()) / 60_000)));
          }
          await tx.report.create({
            data: {
              id: r.id,
              publicId: r.publicId,
              reporterHash: r.reporterHash,
              receiptHash: r.receiptHash,
              platform: r.platform,
              category: r.category,
              keyId: r.payload.keyId,
              payloadCiphertext: bytes(r.payload.data),
              consentContact: r.consentContact,
              consentShareNgo: r.consentShareNgo,
              consentShareLaw: r.consentShareLaw,
              stationId: r.stationId,
              period: r.period,
              createdAt: r.createdAt,
            },
          });
          await tx.evidence.updateMany({ where: { draftKey: r.draftKey }, data: { reportId: r.id, draftKey: null } });
          await tx.conversation.deleteMany({ where: { key: r.draftKey } });
          await tx.outbox.create({ data: { topic: 'report.new', payload: { publicId: r.publicId, category: r.category, severity: null, at: r.createdAt.toISOString() } } });
          await tx.auditEvent.create({ data: { actorHash: 'reporter', action: 'report.submitted', reportRef: r.publicId } });
          return { ok: true as const };
        });
      } catch (e) {
        if (e instanceof RateLimited) return { ok: false, reason: 'rate-limited', retryAfterMinutes: e.minutes };
        if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002' && String(e.meta?.target ?? '').includes('publicId')) return { ok: false, reason: 'duplicate-id' };
        if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002') return { ok: false, reason: 'duplicate-id' };
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

class RateLimited extends Error {
  constructor(readonly minutes: number) {
    super('rate limited');
  }
}
