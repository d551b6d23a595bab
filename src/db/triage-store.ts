/** TriageStore on Prisma. Updates and their audit entries commit together. */
import type { AuditEntry, TriageReport, TriageStore } from '../core/triage/triage.ports.ts';
import { isCategory, type Category } from '../core/intake/intake.taxonomy.ts';
import type { Prisma, PrismaClient } from './client.ts';
import { dataKeysOf, dayOf, NO_KEY } from './intake-store.ts';

type Row = Prisma.ReportGetPayload<{ include: { duplicateOf: { select: { publicId: true } } } }>;

/** The column is TEXT (status and severity are enums): only intake's categories are ever written. */
function categoryOf(r: Row): Category {
  if (!isCategory(r.category)) throw new Error(`report ${r.publicId} has an unknown category "${r.category}"`);
  return r.category;
}

const toReport = (r: Row, dataKey: TriageReport['dataKey'] = NO_KEY): TriageReport => ({
  id: r.id,
  publicId: r.publicId,
  platform: r.platform,
  reporterHash: r.reporterHash,
  category: categoryOf(r),
  status: r.status,
  severity: r.severity,
  stationId: r.stationId,
  period: r.period,
  assigneeHash: r.assigneeHash,
  duplicateOf: r.duplicateOf?.publicId ?? null,
  consentContact: r.consentContact,
  consentShareNgo: r.consentShareNgo,
  consentShareLaw: r.consentShareLaw,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
  closedAt: r.closedAt,
  urgent: r.urgent,
  payload: { keyId: r.keyId, data: r.payloadCiphertext },
  route: r.routeCiphertext ? { keyId: r.keyId, data: r.routeCiphertext } : null,
  dataKey,
});

/** The rows with their wrapped data keys. */
async function withKeys(prisma: PrismaClient, rows: Row[]): Promise<TriageReport[]> {
  const keys = await dataKeysOf(
    prisma,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toReport(r, keys.get(r.id)));
}

const include = { duplicateOf: { select: { publicId: true } } } as const;

const auditData = (a: AuditEntry) => ({
  actorHash: a.actorHash,
  action: a.action,
  reportRef: a.reportRef ?? null,
  ...(a.details ? { details: a.details } : {}),
});

/** The Prisma TriageStore. */
export function prismaTriage(prisma: PrismaClient): TriageStore {
  return {
    async queue(f) {
      const where = {
        status: { in: f.statuses as Row['status'][] },
        ...(f.category ? { category: f.category } : {}),
        ...(f.severity ? { severity: f.severity as NonNullable<Row['severity']> } : {}),
        ...(f.assignee !== undefined ? { assigneeHash: f.assignee } : {}),
        ...(f.urgent ? { urgent: true } : {}),
      };
      const [rows, total] = await Promise.all([
        prisma.report.findMany({ where, include, orderBy: [{ urgent: 'desc' }, { createdAt: 'asc' }], skip: f.skip, take: f.take }),
        prisma.report.count({ where }),
      ]);
      return { rows: await withKeys(prisma, rows), total };
    },
    async get(publicId) {
      const r = await prisma.report.findUnique({ where: { publicId }, include });
      return r ? (await withKeys(prisma, [r]))[0]! : null;
    },
    async duplicatesOf(id) {
      return (
        await prisma.report.findMany({ where: { duplicateOfId: id }, select: { publicId: true }, orderBy: { createdAt: 'asc' } })
      ).map((r) => r.publicId);
    },
    async evidence(reportId, withData) {
      const rows = await prisma.evidence.findMany({ where: { reportId }, orderBy: { createdAt: 'asc' } });
      return rows.map((e) => ({
        id: e.id,
        mime: e.mime,
        bytes: e.bytes,
        sha256Original: e.sha256Original,
        sha256Stored: e.sha256Stored,
        ...(withData ? { sealed: { keyId: e.keyId, data: e.dataCiphertext } } : {}),
      }));
    },
    async notes(reportId) {
      const rows = await prisma.reportNote.findMany({ where: { reportId }, orderBy: { createdAt: 'asc' } });
      return rows.map((n) => ({
        id: n.id,
        authorHash: n.authorHash,
        createdAt: n.createdAt,
        sealed: { keyId: n.keyId, data: n.textCiphertext },
      }));
    },
    async update(id, patch, audit) {
      const { duplicateOfPublicId, ...fields } = patch;
      await prisma.$transaction(async (tx) => {
        let duplicateOfId: string | null | undefined;
        if (duplicateOfPublicId !== undefined)
          duplicateOfId = duplicateOfPublicId ? (await tx.report.findUniqueOrThrow({ where: { publicId: duplicateOfPublicId } })).id : null;
        // Times in clear say the day only (least plaintext); the audit entry has the moment.
        const closedAt = fields.closedAt ? { closedAt: dayOf(fields.closedAt) } : {};
        await tx.report.update({
          where: { id },
          data: {
            ...(fields as Prisma.ReportUncheckedUpdateInput),
            ...closedAt,
            updatedAt: dayOf(new Date()),
            ...(duplicateOfId !== undefined ? { duplicateOfId } : {}),
          },
        });
        await tx.auditEvent.create({ data: auditData(audit) });
      });
    },
    async addNote(note, audit) {
      await prisma.$transaction([
        prisma.reportNote.create({
          data: {
            id: note.id,
            reportId: note.reportId,
            authorHash: note.authorHash,
            keyId: note.sealed.keyId,
            textCiphertext: new Uint8Array(note.sealed.data),
          },
        }),
        prisma.report.update({ where: { id: note.reportId }, data: { updatedAt: dayOf(new Date()) } }),
        prisma.auditEvent.create({ data: auditData(audit) }),
      ]);
    },
    async audit(entry) {
      await prisma.auditEvent.create({ data: auditData(entry) });
    },
    async auditLog(f) {
      const rows = await prisma.auditEvent.findMany({
        where: f.reportRef ? { reportRef: f.reportRef } : {},
        orderBy: { id: 'desc' },
        take: f.take,
      });
      return rows.map((a) => ({
        id: String(a.id),
        at: a.at,
        actorHash: a.actorHash,
        action: a.action,
        reportRef: a.reportRef,
        details: (a.details ?? undefined) as AuditEntry['details'],
      }));
    },
    async select(f) {
      return withKeys(
        prisma,
        await prisma.report.findMany({ where: { status: { in: f.statuses as Row['status'][] } }, include, orderBy: { createdAt: 'asc' } }),
      );
    },
    async addSuggestion(s, audit) {
      const [row] = await prisma.$transaction([
        prisma.stationSuggestion.create({
          data: {
            stationId: s.stationId,
            proposal: s.proposal as Prisma.InputJsonValue,
            sourceId: s.sourceId,
            quote: s.quote,
            authorHash: s.authorHash,
            reportId: s.reportId,
          },
        }),
        prisma.auditEvent.create({ data: auditData(audit) }),
      ]);
      return row.id;
    },
  };
}
