/**
 * The one place the anonymised version of a report is sealed and opened: with the report's own
 * data key, so erasing the report (its key destroyed) leaves this row unreadable too.
 */
import type { Keyring } from '../crypto/crypto.ts';
import { openForReport, sealForReport, type WrappedKey } from '../crypto/envelope.ts';
import type { Sealed } from '../intake/intake.ports.ts';
import { anonymisedBinding } from '../intake/sealing.ts';

/** The report a version belongs to: its id and wrapped data key. */
export interface KeyedReport {
  id: string;
  dataKey: WrappedKey;
}

/** Seals a team member's anonymised text for a report. */
export function sealAnonymised(keyring: Keyring, r: KeyedReport, text: string): Sealed {
  return sealForReport(keyring, r.dataKey, anonymisedBinding(r.id), Buffer.from(text, 'utf8'));
}

/** Opens it (throws if it was altered or moved to another report). */
export function openAnonymised(keyring: Keyring, r: KeyedReport, sealed: Sealed): string {
  return openForReport(keyring, r.dataKey, anonymisedBinding(r.id), sealed).toString('utf8');
}
