/**
 * Envelope encryption: every report (and the draft it grows from) has its own random data key,
 * stored only wrapped (sealed) by the operator's master key. Every sealed value of the report is
 * sealed with that data key, so destroying the one wrapped key erases them all, wherever their
 * ciphertexts still linger (a backup, a WAL archive): with every master key present, nothing opens.
 *
 * How a new sealed column joins: pick a `RowKind`, seal with
 * `sealForReport(ring, dataKey, { reportId, kind, rowId }, bytes)` and store the result's `data`
 * with `keyId` = `DATA_KEY_ID`; open with `openForReport` and the same binding. The erasure
 * compaction (src/db/maintenance.ts, `ERASURE_TABLES`) must list the table.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { open, seal, type Keyring } from './crypto.ts';
import type { Sealed } from '../intake/intake.ports.ts';

/** The `keyId` stored beside values sealed with a report's data key (not a master key id). */
export const DATA_KEY_ID = 'dk1';

/** What a sealed value is: part of the associated data, so a value cannot be moved to another role. */
export type RowKind = 'payload' | 'route' | 'note' | 'evidence' | 'draft' | 'anonymised' | 'message';

/** Where a value belongs: its report, its kind, its row, and any flags it must stay bound to. */
export interface Binding {
  reportId: string;
  kind: RowKind;
  /** the row's own id (note id, evidence id, conversation key); the report id for the payload */
  rowId: string;
  /** values whose change must make the value unreadable (the consent flags of a payload) */
  bind?: Record<string, string | boolean>;
}

/** A report's wrapped data key, as stored in the DataKey table (`keyId` is the master key's). */
export type WrappedKey = Sealed;

const aadWrap = (reportId: string) => `datakey:${reportId}`;

/** A fresh data key for a report, wrapped with the active master key. */
export function newDataKey(ring: Keyring, reportId: string): WrappedKey {
  return seal(ring, randomBytes(32), aadWrap(reportId));
}

/** Unwraps a report's data key; throws if the master key is missing or the key was moved. */
export function unwrapDataKey(ring: Keyring, reportId: string, wrapped: WrappedKey): Buffer {
  return open(ring, wrapped.keyId, wrapped.data, aadWrap(reportId));
}

/** Re-wraps a data key under the active master key (key rotation: the values stay as they are). */
export function rewrapDataKey(ring: Keyring, reportId: string, wrapped: WrappedKey): WrappedKey {
  return seal(ring, unwrapDataKey(ring, reportId, wrapped), aadWrap(reportId));
}

/** The associated data of a value: report, kind, row and bound flags, in a fixed order. */
export function associatedData(b: Binding): Buffer {
  const flags = Object.entries(b.bind ?? {})
    .sort(([x], [y]) => (x < y ? -1 : 1))
    .map(([k, v]) => `${k}=${String(v)}`);
  return Buffer.from(JSON.stringify(['lantern/v1', b.reportId, b.kind, b.rowId, flags]));
}

// The relay route gets its own key, derived from the data key: a bug that hands out the payload
// key cannot open the route, and the route still dies with the data key.
function keyFor(dataKey: Buffer, kind: RowKind): Buffer {
  return kind === 'route' ? Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'lantern relay route', 32)) : dataKey;
}

const VERSION = 2;

/** Seals a value of a report with its data key. @example sealForReport(ring, dk, { reportId, kind: 'note', rowId: noteId }, Buffer.from(text)) */
export function sealForReport(ring: Keyring, dataKey: WrappedKey, b: Binding, plaintext: Uint8Array): Sealed {
  const key = keyFor(unwrapDataKey(ring, b.reportId, dataKey), b.kind);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(associatedData(b));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { keyId: DATA_KEY_ID, data: Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]) };
}

/** Opens a value sealed by `sealForReport`; throws if anything in the binding or the data changed. */
export function openForReport(ring: Keyring, dataKey: WrappedKey, b: Binding, sealed: Sealed): Buffer {
  const buf = Buffer.from(sealed.data);
  if (sealed.keyId !== DATA_KEY_ID || buf[0] !== VERSION || buf.length < 29) throw new Error('not a value sealed with a report data key');
  const key = keyFor(unwrapDataKey(ring, b.reportId, dataKey), b.kind);
  const decipher = createDecipheriv('aes-256-gcm', key, buf.subarray(1, 13));
  decipher.setAAD(associatedData(b));
  decipher.setAuthTag(buf.subarray(13, 29));
  return Buffer.concat([decipher.update(buf.subarray(29)), decipher.final()]);
}

/** Seals a JSON value of a report. */
export function sealJsonForReport(ring: Keyring, dataKey: WrappedKey, b: Binding, value: unknown): Sealed {
  return sealForReport(ring, dataKey, b, Buffer.from(JSON.stringify(value)));
}

/** Opens a JSON value of a report. */
export function openJsonForReport<T = unknown>(ring: Keyring, dataKey: WrappedKey, b: Binding, sealed: Sealed): T {
  return JSON.parse(openForReport(ring, dataKey, b, sealed).toString('utf8')) as T;
}
