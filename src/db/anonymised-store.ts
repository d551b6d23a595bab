/** AnonymisedStore on Prisma: one sealed version per report, written with its audit entry. */
import type { AuditEntry } from '../core/triage/triage.ports.ts';
import type { AnonymisedStore } from '../core/triage/export.ports.ts';
import type { PrismaClient } from './client.ts';

const auditData = (a: AuditEntry) => ({
  actorHash: a.actorHash,
  action: a.action,
  reportRef: a.reportRef ?? null,
  ...(a.details ? { details: a.details } : {}),
});

/** The Prisma AnonymisedStore. */
export function prismaAnonymised(prisma: PrismaClient): AnonymisedStore {
  return {
    async get(reportId) {
      const row = await prisma.reportAnonymised.findUnique({ where: { reportId } });
      return row ? { authorHash: row.authorHash, updatedAt: row.updatedAt, sealed: { keyId: row.keyId, data: row.textCiphertext } } : null;
    },
    async put(row, audit) {
      const data = { authorHash: row.authorHash, keyId: row.sealed.keyId, textCiphertext: new Uint8Array(row.sealed.data) };
      await prisma.$transaction([
        prisma.reportAnonymised.upsert({ where: { reportId: row.reportId }, create: { reportId: row.reportId, ...data }, update: data }),
        prisma.auditEvent.create({ data: auditData(audit) }),
      ]);
    },
  };
}
