/**
 * Telling a passing storage outage (PostgreSQL restarting, connection dropped, pool timed out) or
 * full / read-only storage from a bug, so adapters can say what is going on rather than give a
 * generic apology.
 */

const TEMPORARY_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN',
  // PostgreSQL: admin/crash shutdown, cannot connect now, connection failures
  '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006',
  // Prisma: can't reach, closed, pool timeout, transaction API
  'P1001', 'P1002', 'P1017', 'P2024', 'P2028',
]);
const TEMPORARY_TEXT = /Connection terminated|connection closed|Can't reach database|DatabaseNotReachable|ConnectionClosed|terminating connection|the database system is (starting up|shutting down)|timeout exceeded when trying to connect|Client has encountered a connection error/i;

/** Storage that cannot take writes: disk full (ENOSPC, SQLSTATE 53100) or a read-only file system. */
const FULL_CODES = new Set(['ENOSPC', 'EROFS', 'EDQUOT', '53100']);
const FULL_TEXT = /No space left on device|could not extend file|disk full|Read-only file system/i;

/** True when the error (or anything in its cause chain) says the database is momentarily unreachable. */
export function isTemporaryStorageError(error: unknown): boolean {
  return someInChain(error, TEMPORARY_CODES, TEMPORARY_TEXT);
}

/** True when the error (or anything in its cause chain) says storage is full or read-only. */
export function isStorageFullError(error: unknown): boolean {
  return someInChain(error, FULL_CODES, FULL_TEXT);
}

function someInChain(error: unknown, codes: Set<string>, text: RegExp): boolean {
  const seen = new Set<unknown>();
  let e: unknown = error;
  while (e && typeof e === 'object' && !seen.has(e)) {
    seen.add(e);
    const o = e as { code?: unknown; kind?: unknown; message?: unknown; cause?: unknown; originalCode?: unknown };
    for (const c of [o.code, o.originalCode, o.kind]) if (typeof c === 'string' && (codes.has(c) || text.test(c))) return true;
    if (typeof o.message === 'string' && text.test(o.message)) return true;
    e = o.cause;
  }
  return false;
}
