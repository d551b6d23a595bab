/** What exports and anonymised versions need from storage and configuration. Sealed blobs only. */
import type { Sealed } from '../intake/intake.ports.ts';
import type { AuditEntry } from './triage.ports.ts';

/** The audiences an export can be made for; each matches one consent the reporter gave. */
export const AUDIENCES = ['ngo', 'law'] as const;
export type Audience = (typeof AUDIENCES)[number];

/** A stored anonymised version (sealed). */
export interface AnonymisedRow {
  authorHash: string;
  updatedAt: Date;
  sealed: Sealed;
}

/** The anonymised versions team members wrote, one per report. */
export interface AnonymisedStore {
  get(reportId: string): Promise<AnonymisedRow | null>;
  /** writes (or replaces) the version and its audit entry in one transaction */
  put(row: { reportId: string; authorHash: string; sealed: Sealed }, audit: AuditEntry): Promise<void>;
}

/** Operator settings for exports and decrypted views. */
export interface ExportSettings {
  /** age public keys (age1…) exports are encrypted to; empty: exports refused in chat */
  recipients: readonly string[];
  /** seconds after which a decrypted view is deleted from the member's chat (0: never) */
  deleteDecryptedAfterSeconds: number;
}
