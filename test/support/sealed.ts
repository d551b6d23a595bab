/**
 * Opens stored sealed values the way the bot does (the report's data key, the row's binding):
 * for tests that check what was stored.
 */
import type { Keyring } from '../../src/core/crypto/crypto.ts';
import { openForReport, openJsonForReport } from '../../src/core/crypto/envelope.ts';
import { evidenceBinding, payloadBinding, routeBinding } from '../../src/core/intake/sealing.ts';
import type { PrismaClient } from '../../src/db/client.ts';

type ReportRow = {
  id: string;
  consentContact: boolean;
  consentShareNgo: boolean;
  consentShareLaw: boolean;
  keyId: string;
  payloadCiphertext: Uint8Array;
};

async function dataKey(prisma: PrismaClient, reportId: string) {
  const k = await prisma.dataKey.findUniqueOrThrow({ where: { id: reportId } });
  return { keyId: k.keyId, data: k.wrapped };
}

/** A stored report's payload, opened. */
export async function openPayload<T = Record<string, unknown>>(prisma: PrismaClient, ring: Keyring, r: ReportRow): Promise<T> {
  return openJsonForReport<T>(ring, await dataKey(prisma, r.id), payloadBinding(r.id, r), { keyId: r.keyId, data: r.payloadCiphertext });
}

/** A stored evidence image, opened (of a report, or of a draft: its report id is reserved on the draft). */
export async function openEvidence(
  prisma: PrismaClient,
  ring: Keyring,
  e: { id: string; reportId: string | null; draftKey: string | null; keyId: string; dataCiphertext: Uint8Array },
): Promise<Buffer> {
  const reportId = e.reportId ?? (await prisma.conversation.findUniqueOrThrow({ where: { key: e.draftKey! } })).reportId!;
  return openForReport(ring, await dataKey(prisma, reportId), evidenceBinding(reportId, e.id), { keyId: e.keyId, data: e.dataCiphertext });
}

/** A stored report's relay route, opened (null when none was stored). */
export async function openRoute(
  prisma: PrismaClient,
  ring: Keyring,
  r: { id: string; keyId: string; routeCiphertext: Uint8Array | null },
): Promise<string | null> {
  if (!r.routeCiphertext) return null;
  return openForReport(ring, await dataKey(prisma, r.id), routeBinding(r.id), { keyId: r.keyId, data: r.routeCiphertext }).toString('utf8');
}
