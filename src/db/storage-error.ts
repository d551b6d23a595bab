/**
 * The operator-facing storage errors shared by opening the database, the data-directory lock and
 * the embedded database.
 */

/** A problem opening storage, phrased for the operator (what happened, what to do). */
export class StorageError extends Error {}

/** The operator's message for a data directory that cannot take writes, by error code. */
export function unwritable(dataDir: string, code: string | undefined): StorageError | undefined {
  if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM')
    return new StorageError(
      `The data directory ${dataDir} is not writable (${code}). Lantern will not start without being able to save reports: fix its permissions or set LANTERN_DATA_DIR.`,
    );
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return new StorageError(
      `The disk holding ${dataDir} is full (${code}: no space left). Free space (or set LANTERN_DATA_DIR to a larger disk) before starting Lantern: reports could not be saved.`,
    );
  return undefined;
}

/** The first line of an error's message (or its name), for a one-line operator message. */
export function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : undefined;
  return message?.trim().split('\n')[0] || (err as { name?: string } | null)?.name || String(err);
}
