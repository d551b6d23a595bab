/**
 * The one place the anonymised version of a report is sealed and opened. The erasure work moves
 * report rows onto per-report data keys; only these two functions then change.
 */
import { open, seal, type Keyring } from '../crypto/crypto.ts';
import type { Sealed } from '../intake/intake.ports.ts';

// Bound to the report id: a row copied onto another report does not open.
const aadAnonymised = (reportId: string) => `anonymised:${reportId}`;

/** Seals a team member's anonymised text for a report. */
export function sealAnonymised(keyring: Keyring, reportId: string, text: string): Sealed {
  return seal(keyring, Buffer.from(text, 'utf8'), aadAnonymised(reportId));
}

/** Opens it (throws if it was altered or moved to another report). */
export function openAnonymised(keyring: Keyring, reportId: string, sealed: Sealed): string {
  return open(keyring, sealed.keyId, sealed.data, aadAnonymised(reportId)).toString('utf8');
}
