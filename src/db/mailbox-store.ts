/** MailboxStore on Prisma: ReportMessage, MailboxSession, and the answer's one transaction. */
import type { MailboxStore } from '../core/intake/mailbox.ports.ts';
import type { PrismaClient } from './client.ts';
import { dayOf, ownReport } from './intake-store.ts';

const bytes = (u: Uint8Array) => new Uint8Array(u) as Uint8Array<ArrayBuffer>;

/** The Prisma MailboxStore. */
export function prismaMailbox(prisma: PrismaClient): MailboxStore {
  return {
    async report(reportId) {
      return ownReport(prisma, await prisma.report.findUnique({ where: { id: reportId } }));
    },
    async messages(reportId) {
      const rows = await prisma.reportMessage.findMany({ where: { reportId }, orderBy: { createdAt: 'asc' } });
      return rows.map((m) => ({
        id: m.id,
        fromTeam: m.fromTeam,
        sealed: { keyId: m.keyId, data: m.textCiphertext },
        createdAt: m.createdAt,
      }));
    },
    async statusHistory(publicId) {
      const rows = await prisma.auditEvent.findMany({
        where: { reportRef: publicId, action: { in: ['report.status', 'report.answered'] } },
        orderBy: { id: 'asc' },
      });
      return rows.flatMap((a) => {
        const to = (a.details as { to?: unknown } | null)?.to;
        return typeof to === 'string' ? [{ at: a.at, to }] : [];
      });
    },
    async addFromTeam(m) {
      await prisma.$transaction([
        prisma.reportMessage.create({
          data: { id: m.id, reportId: m.reportId, fromTeam: true, keyId: m.sealed.keyId, textCiphertext: bytes(m.sealed.data) },
        }),
        prisma.auditEvent.create({ data: { actorHash: m.actorHash, action: 'report.asked', reportRef: m.publicId } }),
      ]);
    },
    async addFromReporter(reportId, publicId, answer) {
      return prisma.$transaction(async (tx) => {
        const r = await tx.report.findUniqueOrThrow({ where: { id: reportId }, select: { status: true, category: true, severity: true } });
        if (answer.kind === 'message') {
          await tx.reportMessage.create({
            data: { id: answer.id, reportId, fromTeam: false, keyId: answer.sealed.keyId, textCiphertext: bytes(answer.sealed.data) },
          });
        } else {
          const e = answer.evidence;
          await tx.evidence.create({
            data: {
              id: e.id,
              reportId,
              createdAt: dayOf(new Date()),
              keyId: e.sealed.keyId,
              dataCiphertext: bytes(e.sealed.data),
              sha256Original: e.sha256Original,
              sha256Stored: e.sha256Stored,
              mime: e.mime,
              bytes: e.bytes,
            },
          });
        }
        // The answer the team asked for: the report is back in review.
        const reopened =
          (
            await tx.report.updateMany({
              where: { id: reportId, status: 'needs_info' },
              data: { status: 'in_review', updatedAt: dayOf(new Date()) },
            })
          ).count > 0;
        const notice = { publicId, category: r.category, severity: r.severity, at: dayOf(new Date()).toISOString(), kind: 'answered' };
        await tx.outbox.create({ data: { topic: 'report.answered', payload: notice } });
        const details = reopened ? { kind: answer.kind, from: 'needs_info', to: 'in_review' } : { kind: answer.kind };
        await tx.auditEvent.create({ data: { actorHash: 'reporter', action: 'report.answered', reportRef: publicId, details } });
        return { reopened };
      });
    },
    async setPayload(reportId, sealed) {
      await prisma.report.update({ where: { id: reportId }, data: { keyId: sealed.keyId, payloadCiphertext: bytes(sealed.data) } });
    },
    async session(key, now) {
      const s = await prisma.mailboxSession.findUnique({ where: { key } });
      return s && s.expiresAt > now ? { reportId: s.reportId, mode: s.mode as 'menu' } : null;
    },
    async openSession(key, s, expiresAt) {
      await prisma.mailboxSession.upsert({
        where: { key },
        create: { key, reportId: s.reportId, mode: s.mode, expiresAt },
        update: { reportId: s.reportId, mode: s.mode, expiresAt },
      });
    },
    async closeSession(key) {
      await prisma.mailboxSession.deleteMany({ where: { key } });
    },
  };
}
