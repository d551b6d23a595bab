/** Incoming file (evidence). */
import { coreError, type CoreError } from './errors.ts';

/** A file a person sent, as the adapter received it. */
export interface IncomingFile {
  /** the content; empty when the adapter did not fetch a file over the limit (see declaredBytes) */
  bytes: Uint8Array;
  /** as the platform declares it; the core checks the real type itself */
  declaredMime?: string | undefined;
  name?: string | undefined;
  /**
   * The size the platform declares, or the bytes seen before a download was cut off: the core
   * refuses a file over the evidence limit by it, so an adapter need not download it to say so.
   */
  declaredBytes?: number | undefined;
}

/** Whether a value is an IncomingFile (a file option's raw value). */
export function isIncomingFile(v: unknown): v is IncomingFile {
  return typeof v === 'object' && v !== null && (v as { bytes?: unknown }).bytes instanceof Uint8Array;
}

/**
 * REPORT.FILE_TOO_LARGE when the file is over `maxBytes`, by its bytes or its declared size;
 * undefined when it fits.
 * @example fileTooLarge({ bytes: new Uint8Array(0), declaredBytes: 50_000_000 }, 10_000_000) // REPORT.FILE_TOO_LARGE { mb: 10 }
 */
export function fileTooLarge(file: IncomingFile, maxBytes: number): CoreError | undefined {
  const size = Math.max(file.bytes.byteLength, file.declaredBytes ?? 0);
  return size > maxBytes ? coreError('REPORT.FILE_TOO_LARGE', { mb: Math.floor(maxBytes / 1_000_000) }) : undefined;
}
