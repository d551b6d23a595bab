/**
 * Housekeeping: the retention purge (closed reports past the retention period, expired drafts and
 * their images, old rate-limit windows) and key rotation (re-encrypting every sealed column with
 * the active key). A lease makes a scheduled purge run once across bot processes.
 */
import { randomUUID } from 'node:crypto';
import { open, seal, type Keyring } from '../core/crypto/crypto.ts';
import type { PrismaClient } from './client.ts';

/** What a purge removed. */
export interface PurgeResult {
  reports: number;
  drafts: number;
  draftEvidence: number;
}

/** Deletes closed reports older than the retention period, expired drafts and old counters. */
export async function purge(prisma: PrismaClient, opts: { now: Date; retentionDays: number }): Promise<PurgeResult> {
  const cutoff = new Date(opts.now.getTime() - opts.retentionDays * 86_400_000);
  const old = await prisma.report.findMany({ where: { status: 'closed', closedAt: { lt: cutoff } }, select: { id: true, publicId: true } });
  for (const r of old) {
    await prisma.$transaction([
      prisma.report.updateMany({ where: { duplicateOfId: r.id }, data: { duplicateOfId: null } }),
      prisma.report.delete({ where: { id: r.id } }),
      prisma.auditEvent.create({ data: { actorHash: 'system', action: 'report.purged', reportRef: r.publicId, details: { retentionDays: opts.retentionDays } } }),
    ]);
  }
  const expired = await prisma.conversation.findMany({ where: { expiresAt: { lt: opts.now } }, select: { key: true } });
  const keys = expired.map((c) => c.key);
  const [ev, conv] = await prisma.$transaction([
    prisma.evidence.deleteMany({ where: { draftKey: { in: keys } } }),
    prisma.conversation.deleteMany({ where: { key: { in: keys }, expiresAt: { lt: opts.now } } }),
    prisma.rateLimit.deleteMany({ where: { windowStart: { lt: new Date(opts.now.getTime() - 2 * 3_600_000) } } }),
  ]);
  return { reports: old.length, drafts: conv.count, draftEvidence: ev.count };
}

/**
 * Runs `job` if no other process holds the lease and it last ran more than `everyMs` ago.
 * Returns whether it ran.
 */
export async function runOnceAcrossProcesses(prisma: PrismaClient, name: string, everyMs: number, now: Date, job: () => Promise<unknown>): Promise<boolean> {
  const holder = randomUUID();
  const until = new Date(now.getTime() + Math.max(everyMs, 60_000));
  const due = new Date(now.getTime() - everyMs);
  const won = await prisma.$queryRaw<{ holder: string }[]>`
    INSERT INTO "JobLease" ("name", "holder", "expiresAt", "lastRunAt") VALUES (${name}, ${holder}, ${until}, ${now})
    ON CONFLICT ("name") DO UPDATE SET "holder" = EXCLUDED."holder", "expiresAt" = EXCLUDED."expiresAt", "lastRunAt" = EXCLUDED."lastRunAt"
    WHERE "JobLease"."expiresAt" < ${now} AND ("JobLease"."lastRunAt" IS NULL OR "JobLease"."lastRunAt" < ${due})
    RETURNING "holder"`;
  if (won[0]?.holder !== holder) return false;
  await job();
  return true;
}

/** Every sealed column: its table, row key, ciphertext column and the associated-data prefix. */
const SEALED = [
  { table: 'Report', key: 'id', column: 'payloadCiphertext', aad: 'report' },
  { table: 'Evidence', key: 'id', column: 'dataCiphertext', aad: 'evidence' },
  { table: 'ReportNote', key: 'id', column: 'textCiphertext', aad: 'note' },
  { table: 'Conversation', key: 'key', column: 'stateCiphertext', aad: 'draft' },
] as const;

/** Re-encrypts every sealed value not under the active key; returns how many were rewritten. */
export async function rotateKeys(prisma: PrismaClient, ring: Keyring): Promise<number> {
  let n = 0;
  for (const { table, key, column, aad } of SEALED) {
    // Identifiers come from the constant list above, never from input.
    const rows = await prisma.$queryRawUnsafe<{ k: string; keyId: string; data: Uint8Array }[]>(
      `SELECT "${key}" AS k, "keyId", "${column}" AS data FROM "${table}" WHERE "keyId" <> $1`,
      ring.activeId,
    );
    for (const row of rows) {
      const s = seal(ring, open(ring, row.keyId, row.data, `${aad}:${row.k}`), `${aad}:${row.k}`);
      await prisma.$executeRawUnsafe(`UPDATE "${table}" SET "keyId" = $1, "${column}" = $2 WHERE "${key}" = $3`, s.keyId, new Uint8Array(s.data), row.k);
      n++;
    }
  }
  return n;
}
