/**
 * Upgrade of values sealed before envelope encryption (migration 20261202100000_envelope_keys).
 * Until then every report, evidence image, note and draft was sealed directly with the master key
 * (associated data "report:<id>", "evidence:<id>", "note:<id>", "draft:<key>") and the relay route
 * sat inside the payload. Such a report would no longer open, and erasing it would destroy no key.
 * At start (and before `rotate-key`) each one gets a data key and is sealed again under it, as new
 * reports are; the compaction that follows takes the master-key copies off the disk.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { open, type Keyring } from '../core/crypto/crypto.ts';
import { DATA_KEY_ID, newDataKey, sealForReport, sealJsonForReport, type WrappedKey } from '../core/crypto/envelope.ts';
import type { ReportPayload } from '../core/intake/report-payload.ts';
import { draftBinding, evidenceBinding, noteBinding, payloadBinding, routeBinding } from '../core/intake/sealing.ts';
import type { PrismaClient } from './client.ts';
import { dayOf } from './intake-store.ts';

const bytes = (u: Uint8Array) => new Uint8Array(u) as Uint8Array<ArrayBuffer>;

/** What an upgrade converted, and the public ids of reports no configured key could open. */
export interface LegacyUpgrade {
  reports: number;
  drafts: number;
  unreadable: string[];
}

/**
 * The keyed fingerprint kept for an image recorded before keyed fingerprints: the plain SHA-256
 * of the original was stored, and the original is gone, so the hash itself is keyed.
 * `admin evidence-check` compares a file against both forms.
 */
export function legacyFingerprint(ring: Keyring, sha256Hex: string): string {
  return createHmac('sha256', ring.hashKey).update('evidence-original-sha256\u0000').update(sha256Hex.toLowerCase()).digest('hex');
}

/** Whether anything still needs the upgrade (one cheap query at every start). */
async function pending(prisma: PrismaClient): Promise<boolean> {
  const [r, c] = await Promise.all([
    prisma.report.count({ where: { keyId: { not: DATA_KEY_ID } } }),
    prisma.conversation.count({ where: { keyId: { not: DATA_KEY_ID } } }),
  ]);
  return r + c > 0;
}

/** Seals every legacy value of one report under a new data key, in one transaction. */
async function upgradeReport(
  prisma: PrismaClient,
  ring: Keyring,
  r: {
    id: string;
    keyId: string;
    payloadCiphertext: Uint8Array;
    consentContact: boolean;
    consentShareNgo: boolean;
    consentShareLaw: boolean;
    createdAt: Date;
    updatedAt: Date;
    closedAt: Date | null;
  },
): Promise<void> {
  const { route, ...payload } = JSON.parse(open(ring, r.keyId, r.payloadCiphertext, `report:${r.id}`).toString('utf8')) as ReportPayload & {
    route?: string | null;
  };
  const dk = newDataKey(ring, r.id);
  const sealedRoute = r.consentContact && route ? sealForReport(ring, dk, routeBinding(r.id), Buffer.from(route)) : null;
  const evidence = await prisma.evidence.findMany({ where: { reportId: r.id, keyId: { not: DATA_KEY_ID } } });
  const notes = await prisma.reportNote.findMany({ where: { reportId: r.id, keyId: { not: DATA_KEY_ID } } });
  await prisma.$transaction([
    prisma.dataKey.create({ data: { id: r.id, keyId: dk.keyId, wrapped: bytes(dk.data) } }),
    prisma.report.update({
      where: { id: r.id },
      data: {
        keyId: DATA_KEY_ID,
        payloadCiphertext: bytes(sealJsonForReport(ring, dk, payloadBinding(r.id, r), payload).data),
        routeCiphertext: sealedRoute ? bytes(sealedRoute.data) : null,
        // Times in clear say the day only, as for new reports.
        createdAt: dayOf(r.createdAt),
        updatedAt: dayOf(r.updatedAt),
        closedAt: r.closedAt ? dayOf(r.closedAt) : null,
      },
    }),
    ...evidence.map((e) => prisma.evidence.update({ where: { id: e.id }, data: evidenceUpgrade(ring, dk, r.id, e) })),
    ...notes.map((n) =>
      prisma.reportNote.update({
        where: { id: n.id },
        data: {
          keyId: DATA_KEY_ID,
          textCiphertext: bytes(
            sealForReport(ring, dk, noteBinding(r.id, n.id), open(ring, n.keyId, n.textCiphertext, `note:${n.id}`)).data,
          ),
        },
      }),
    ),
  ]);
}

/** The new columns of a legacy evidence row of the report (or draft) `reportId`. */
function evidenceUpgrade(
  ring: Keyring,
  dk: WrappedKey,
  reportId: string,
  e: { id: string; keyId: string; dataCiphertext: Uint8Array; sha256Original: string; createdAt: Date },
) {
  const image = open(ring, e.keyId, e.dataCiphertext, `evidence:${e.id}`);
  return {
    keyId: DATA_KEY_ID,
    dataCiphertext: bytes(sealForReport(ring, dk, evidenceBinding(reportId, e.id), image).data),
    sha256Original: legacyFingerprint(ring, e.sha256Original),
    createdAt: dayOf(e.createdAt),
  };
}

/** Gives a legacy draft (a report in progress) its data key; its images follow it. */
async function upgradeDraft(
  prisma: PrismaClient,
  ring: Keyring,
  c: { key: string; keyId: string; stateCiphertext: Uint8Array },
): Promise<void> {
  const state = open(ring, c.keyId, c.stateCiphertext, `draft:${c.key}`);
  const reportId = randomUUID();
  const dk = newDataKey(ring, reportId);
  const evidence = await prisma.evidence.findMany({ where: { draftKey: c.key, reportId: null, keyId: { not: DATA_KEY_ID } } });
  await prisma.$transaction([
    prisma.dataKey.create({ data: { id: reportId, keyId: dk.keyId, wrapped: bytes(dk.data) } }),
    prisma.conversation.update({
      where: { key: c.key },
      data: { reportId, keyId: DATA_KEY_ID, stateCiphertext: bytes(sealForReport(ring, dk, draftBinding(reportId, c.key), state).data) },
    }),
    ...evidence.map((e) => prisma.evidence.update({ where: { id: e.id }, data: evidenceUpgrade(ring, dk, reportId, e) })),
  ]);
}

/**
 * Converts every legacy report and draft. A value no configured key opens is left as it is and
 * named (by public id) in `unreadable`: it was already unreadable, and deleting it is the
 * operator's call. `erased` is called when old copies must leave the disk (the compaction).
 */
export async function upgradeLegacySealing(
  prisma: PrismaClient,
  ring: Keyring,
  opts: { erased?: () => Promise<void> } = {},
): Promise<LegacyUpgrade> {
  const out: LegacyUpgrade = { reports: 0, drafts: 0, unreadable: [] };
  if (!(await pending(prisma))) return out;
  for (const r of await prisma.report.findMany({ where: { keyId: { not: DATA_KEY_ID } } })) {
    try {
      await upgradeReport(prisma, ring, r);
      out.reports++;
    } catch {
      out.unreadable.push(r.publicId);
    }
  }
  for (const c of await prisma.conversation.findMany({ where: { keyId: { not: DATA_KEY_ID } } })) {
    try {
      await upgradeDraft(prisma, ring, c);
      out.drafts++;
    } catch {
      // A draft no key opens cannot be continued; it expires with its images like any other.
    }
  }
  if (out.reports + out.drafts) await opts.erased?.();
  return out;
}
