/**
 * Telling a passing storage outage (PostgreSQL restarting, connection dropped, pool timed out) or
 * full / read-only storage from a bug, so adapters can say what is going on rather than give a
 * generic apology.
 */

const TEMPORARY_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  // PostgreSQL: admin/crash shutdown, cannot connect now, connection failures
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  // Prisma: can't reach, closed, pool timeout, transaction API
  'P1001',
  'P1002',
  'P1017',
  'P2024',
  'P2028',
  // the embedded database stopped (a PostgreSQL PANIC) and is reopened on demand: src/db/embedded.ts
  'LANTERN_DB_STOPPED',
]);
const TEMPORARY_TEXT =
  /Connection terminated|connection closed|Can't reach database|DatabaseNotReachable|ConnectionClosed|terminating connection|the database system is (starting up|shutting down)|timeout exceeded when trying to connect|Client has encountered a connection error/i;

/** Storage that cannot take writes: disk full (ENOSPC, SQLSTATE 53100), quota, or a read-only file system. */
const FULL_CODES = new Map([
  ['ENOSPC', 'ENOSPC'],
  ['EDQUOT', 'EDQUOT'],
  ['EROFS', 'EROFS'],
  ['53100', 'ENOSPC'],
]);
const FULL_TEXT = /No space left on device|could not extend file|disk full|Read-only file system/i;
/**
 * PGlite's file system layer (Emscripten) throws `ErrnoError { errno }` with no message and its
 * own numbering, not Linux's (its 2 is EACCES, not ENOENT).
 */
const EMSCRIPTEN_ERRNO = new Map([
  [2, 'EACCES'],
  [19, 'EDQUOT'],
  [29, 'EIO'],
  [44, 'ENOENT'],
  [51, 'ENOSPC'],
  [54, 'ENOTDIR'],
  [63, 'EPERM'],
  [69, 'EROFS'],
]);

/** True when the error (or anything in its cause chain) says the database is momentarily unreachable. */
export function isTemporaryStorageError(error: unknown): boolean {
  return chain(error).some((o) => {
    for (const c of [o.code, o.originalCode, o.kind])
      if (typeof c === 'string' && (TEMPORARY_CODES.has(c) || TEMPORARY_TEXT.test(c))) return true;
    return typeof o.message === 'string' && TEMPORARY_TEXT.test(o.message);
  });
}

/** True when the error (or anything in its cause chain) says storage is full or read-only. */
export function isStorageFullError(error: unknown): boolean {
  return storageFaultOf(error) !== undefined;
}

/**
 * Why storage refuses writes, as an errno name ('ENOSPC', 'EDQUOT', 'EROFS'), when the error or
 * anything in its cause chain says so (Node, PostgreSQL, Prisma or PGlite's own errors).
 */
export function storageFaultOf(error: unknown): string | undefined {
  for (const o of chain(error)) {
    const codes = [o.code, o.originalCode, o.kind, fsCodeOf(o)];
    for (const c of codes) if (typeof c === 'string' && FULL_CODES.has(c)) return FULL_CODES.get(c);
    for (const t of [...codes, o.message]) {
      const m = typeof t === 'string' ? FULL_TEXT.exec(t) : null;
      if (m) return /read-only/i.test(m[0]) ? 'EROFS' : 'ENOSPC';
    }
  }
  return undefined;
}

/** The errno name of a file-system error: Node's `code`, or the name of PGlite's Emscripten errno. */
export function fsErrorCode(error: unknown): string | undefined {
  for (const o of chain(error)) {
    const c = fsCodeOf(o) ?? (typeof o.code === 'string' && /^E[A-Z]+$/.test(o.code) ? o.code : undefined);
    if (c) return c;
  }
  return undefined;
}

type Link = { code?: unknown; kind?: unknown; message?: unknown; cause?: unknown; originalCode?: unknown; name?: unknown; errno?: unknown };

function fsCodeOf(o: Link): string | undefined {
  return o.name === 'ErrnoError' && typeof o.errno === 'number' ? EMSCRIPTEN_ERRNO.get(o.errno) : undefined;
}

/** The error and its causes, each once. */
function chain(error: unknown): Link[] {
  const out: Link[] = [];
  let e: unknown = error;
  while (e && typeof e === 'object' && !out.includes(e as Link)) {
    out.push(e as Link);
    e = (e as Link).cause;
  }
  return out;
}
