/** BlockStore on Prisma (ReporterBlock), each change audited in its transaction. */
import type { BlockStore } from '../core/intake/blocks.ports.ts';
import type { PrismaClient } from './client.ts';

const bytes = (u: Uint8Array) => new Uint8Array(u) as Uint8Array<ArrayBuffer>;

/** The Prisma BlockStore. */
export function prismaBlocks(prisma: PrismaClient): BlockStore {
  return {
    async blockedUntil(reporterHash, now) {
      const b = await prisma.reporterBlock.findUnique({ where: { reporterHash } });
      return b && b.until > now ? b.until : null;
    },
    async block(b) {
      const data = {
        publicId: b.publicId,
        until: b.until,
        keyId: b.reason?.keyId ?? null,
        reasonCiphertext: b.reason ? bytes(b.reason.data) : null,
      };
      await prisma.$transaction([
        prisma.reporterBlock.upsert({
          where: { reporterHash: b.reporterHash },
          create: { reporterHash: b.reporterHash, ...data },
          update: data,
        }),
        prisma.auditEvent.create({
          data: { actorHash: b.actorHash, action: 'reporter.blocked', reportRef: b.publicId, details: { until: b.until.toISOString() } },
        }),
      ]);
    },
    async unblock(publicId, actorHash) {
      const [gone] = await prisma.$transaction([
        prisma.reporterBlock.deleteMany({ where: { publicId } }),
        prisma.auditEvent.create({ data: { actorHash, action: 'reporter.unblocked', reportRef: publicId } }),
      ]);
      return gone.count > 0;
    },
    async list(now) {
      const rows = await prisma.reporterBlock.findMany({ where: { until: { gt: now } }, orderBy: { until: 'asc' } });
      return rows.map((r) => ({
        publicId: r.publicId,
        until: r.until,
        reason: r.keyId && r.reasonCiphertext ? { keyId: r.keyId, data: r.reasonCiphertext } : null,
      }));
    },
  };
}
