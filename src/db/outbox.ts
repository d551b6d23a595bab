/**
 * The notification outbox: written in the report's transaction, delivered by whichever bot
 * process claims a row first (FOR UPDATE SKIP LOCKED), retried if a delivery fails or a process
 * dies mid-way (a claim older than a minute is up for grabs again). Delivery is recorded per
 * platform (`deliveredTo`): a notice Telegram has is never sent there again because Discord
 * failed, and a Telegram failure never keeps it from Discord.
 */
import { isCategory } from '../core/intake/intake.taxonomy.ts';
import type { TriageNotice } from '../core/triage/notifier.ts';
import { isSeverity } from '../core/triage/triage.rules.ts';
import type { PrismaClient } from './client.ts';

/** A claimed notice. */
export interface ClaimedNotice {
  id: bigint;
  notice: TriageNotice;
  /** platforms that already have it */
  deliveredTo: string[];
}

/** Claims up to `limit` undelivered notices for `holder`. */
export async function claimNotices(prisma: PrismaClient, holder: string, now: Date, limit = 20): Promise<ClaimedNotice[]> {
  const stale = new Date(now.getTime() - 60_000);
  const rows = await prisma.$queryRaw<
    {
      id: bigint;
      deliveredTo: string[] | null;
      payload: { publicId: string; category: string; severity: string | null; at: string; kind?: 'answered'; urgent?: boolean };
    }[]
  >`
    UPDATE "Outbox" SET "claimedBy" = ${holder}, "claimedAt" = ${now}, "attempts" = "attempts" + 1
    WHERE "id" IN (
      SELECT "id" FROM "Outbox"
      WHERE "deliveredAt" IS NULL AND ("claimedAt" IS NULL OR "claimedAt" < ${stale}) AND "attempts" < 20
      ORDER BY "id" LIMIT ${limit} FOR UPDATE SKIP LOCKED
    )
    RETURNING "id", "payload", "deliveredTo"`;
  return rows.map((r) => ({
    id: r.id,
    deliveredTo: r.deliveredTo ?? [],
    notice: {
      publicId: r.payload.publicId,
      ...taxonomyOf(r.payload),
      at: new Date(r.payload.at),
      ...(r.payload.kind === 'answered' ? { kind: 'answered' as const } : {}),
      ...(r.payload.urgent ? { urgent: true } : {}),
    },
  }));
}

/** The payload is JSON written from a typed notice: a value outside the taxonomy is corruption, not a label. */
function taxonomyOf(p: { publicId: string; category: string; severity: string | null }): Pick<TriageNotice, 'category' | 'severity'> {
  if (!isCategory(p.category) || (p.severity !== null && !isSeverity(p.severity)))
    throw new Error(`notice for ${p.publicId}: unknown category or severity in the outbox`);
  return { category: p.category, severity: p.severity };
}

/** Records that one platform has the notice (at once, so a later failure elsewhere cannot resend it here). */
export async function markDeliveredTo(prisma: PrismaClient, id: bigint, platform: string): Promise<void> {
  await prisma.$executeRaw`UPDATE "Outbox" SET "deliveredTo" = array_append(COALESCE("deliveredTo", ARRAY[]::TEXT[]), ${platform}) WHERE "id" = ${id} AND NOT (${platform} = ANY(COALESCE("deliveredTo", ARRAY[]::TEXT[])))`;
}

/** Marks a notice delivered everywhere. */
export async function markDelivered(prisma: PrismaClient, id: bigint, now: Date): Promise<void> {
  await prisma.outbox.update({ where: { id }, data: { deliveredAt: now } });
}

/** Releases a claim so another attempt can be made later. */
export async function releaseNotice(prisma: PrismaClient, id: bigint): Promise<void> {
  await prisma.outbox.update({ where: { id }, data: { claimedAt: null, claimedBy: null } });
}
