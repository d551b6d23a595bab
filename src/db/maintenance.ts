/**
 * Housekeeping: the retention purge (closed reports past the retention period, expired drafts and
 * their images, old rate-limit windows) and key rotation (re-encrypting every sealed column with
 * the active key). A lease makes a scheduled purge run once across bot processes.
 */
import { randomUUID } from 'node:crypto';
import type { Keyring } from '../core/crypto/crypto.ts';
import { rewrapDataKey } from '../core/crypto/envelope.ts';
import type { Database, PrismaClient } from './client.ts';
import { eraseReport } from './intake-store.ts';

/** What a purge removed. */
export interface PurgeResult {
  reports: number;
  drafts: number;
  draftEvidence: number;
}

/** Deletes closed reports older than the retention period, expired drafts and old counters. */
export async function purge(prisma: PrismaClient, opts: { now: Date; retentionDays: number; erased?: () => void }): Promise<PurgeResult> {
  const cutoff = new Date(opts.now.getTime() - opts.retentionDays * 86_400_000);
  const old = await prisma.report.findMany({ where: { status: 'closed', closedAt: { lt: cutoff } }, select: { id: true, publicId: true } });
  for (const r of old)
    await eraseReport(prisma, r.id, r.publicId, {
      actorHash: 'system',
      action: 'report.purged',
      details: { retentionDays: opts.retentionDays },
    });
  const expired = await prisma.conversation.findMany({ where: { expiresAt: { lt: opts.now } }, select: { key: true, reportId: true } });
  const keys = expired.map((c) => c.key);
  const dataKeys = expired.flatMap((c) => (c.reportId ? [c.reportId] : []));
  const [ev, , conv] = await prisma.$transaction([
    prisma.evidence.deleteMany({ where: { draftKey: { in: keys } } }),
    // An expired draft's data key goes with it (never a report's: a submitted draft is no longer here).
    prisma.$executeRaw`DELETE FROM "DataKey" k WHERE k."id" = ANY(${dataKeys}::text[]) AND NOT EXISTS (SELECT 1 FROM "Report" r WHERE r."id" = k."id")`,
    prisma.conversation.deleteMany({ where: { key: { in: keys }, expiresAt: { lt: opts.now } } }),
    prisma.rateLimit.deleteMany({ where: { windowStart: { lt: new Date(opts.now.getTime() - 2 * 3_600_000) } } }),
  ]);
  if (old.length || conv.count) opts.erased?.();
  return { reports: old.length, drafts: conv.count, draftEvidence: ev.count };
}

/**
 * Runs `job` if no other process holds the lease and it last ran more than `everyMs` ago.
 * Returns whether it ran.
 */
export async function runOnceAcrossProcesses(
  prisma: PrismaClient,
  name: string,
  everyMs: number,
  now: Date,
  job: () => Promise<unknown>,
): Promise<boolean> {
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

/**
 * Key rotation: re-wraps every report's data key that another master key wrapped (the sealed
 * values themselves stay: they are sealed with the data key). Returns how many were re-wrapped.
 * The old wrapped copies linger on disk until the compaction that follows (`erased`).
 */
export async function rotateKeys(prisma: PrismaClient, ring: Keyring, opts: { erased?: () => void } = {}): Promise<number> {
  const rows = await prisma.dataKey.findMany({ where: { keyId: { not: ring.activeId } } });
  for (const k of rows) {
    const w = rewrapDataKey(ring, k.id, { keyId: k.keyId, data: k.wrapped });
    await prisma.dataKey.update({ where: { id: k.id }, data: { keyId: w.keyId, wrapped: new Uint8Array(w.data) } });
  }
  if (rows.length) opts.erased?.();
  return rows.length;
}

/**
 * Every table that holds sealed values or their keys (or, for Outbox and AuditEvent, traces of a
 * report): what an erasure compacts. A new sealed table must be added here.
 */
export const ERASURE_TABLES = [
  'DataKey',
  'Report',
  'Evidence',
  'ReportNote',
  'ReportAnonymised',
  'ReportMessage',
  'MailboxSession',
  'Conversation',
  'Outbox',
  'AuditEvent',
] as const;

/**
 * Makes erased rows unrecoverable from the files. PostgreSQL keeps a deleted row's bytes in the
 * table (a dead tuple) and in the WAL. Measured on PGlite 0.4.6: after DELETE the bytes are still
 * in the WAL segment; VACUUM FULL writes each table afresh (a new file; the old one is emptied),
 * CHECKPOINT writes the new pages, and pg_switch_wal() + CHECKPOINT makes the segment holding the
 * old bytes obsolete; it is unlinked, not kept for reuse, because PGlite runs with
 * wal_recycle=off (src/db/embedded.ts). On PostgreSQL (no superuser needed) a plain VACUUM frees
 * the dead tuples for reuse; WAL, archives and backups are the operator's (README).
 */
export async function compactErased(db: Pick<Database, 'prisma' | 'kind'>): Promise<void> {
  const p = db.prisma;
  // A data key nothing refers to any more (a draft replaced or lost half-way) is destroyed too.
  await p.$executeRaw`DELETE FROM "DataKey" k WHERE NOT EXISTS (SELECT 1 FROM "Report" r WHERE r."id" = k."id") AND NOT EXISTS (SELECT 1 FROM "Conversation" c WHERE c."reportId" = k."id")`;
  // Table names come from the constant list above, never from input.
  for (const t of ERASURE_TABLES) await p.$executeRawUnsafe(db.kind === 'pglite' ? `VACUUM FULL "${t}"` : `VACUUM "${t}"`);
  if (db.kind !== 'pglite') return;
  await p.$executeRawUnsafe('CHECKPOINT');
  await p.$queryRawUnsafe('SELECT pg_switch_wal()::text');
  await p.$executeRawUnsafe('CHECKPOINT');
}

/**
 * Runs `compactErased` in the background after erasures: at most `delayMs` after the first
 * request (requests meanwhile join it), one run at a time, a run requested during another runs
 * after it. `settle()` waits until nothing is pending (tests, shutdown).
 */
export function erasureCompactor(run: () => Promise<void>, opts: { delayMs: number; onError: (e: unknown) => void }) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let pending = 0;
  const start = () => {
    timer = undefined;
    running = running
      .then(run)
      .catch(opts.onError)
      .finally(() => void pending--);
  };
  return {
    /** Asks for a compaction within `delayMs`. */
    request(): void {
      if (timer) return;
      pending++;
      timer = setTimeout(start, opts.delayMs);
      timer.unref();
    },
    /** Runs any requested compaction now and waits for every run to finish. */
    async settle(): Promise<void> {
      if (timer) {
        clearTimeout(timer);
        start();
      }
      while (pending > 0) await running;
    },
  };
}
