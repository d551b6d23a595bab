/**
 * Opens the database the configuration asks for: PGlite in the data directory (the embedded
 * default, one process at a time, enforced by a lock file) or PostgreSQL through `pg`
 * (DATABASE_URL; several bot processes may share it). Pending migrations are applied on open.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statfsSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { PGlite, type QueryOptions, type Transaction } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { privateUmask, tightenDataDir } from './data-dir.ts';
import { PrismaPg } from '@prisma/adapter-pg';
import { DriverAdapterError, type SqlDriverAdapter, type SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { PrismaClient } from './generated/client.ts';
import { fsErrorCode, storageFaultOf } from './errors.ts';
import { applyMigrations, loadMigrationsList } from './migrations.ts';

export { PrismaClient };
export { Prisma } from './generated/client.ts';

/** An open database with its Prisma client. */
export interface Database {
  prisma: PrismaClient;
  kind: 'pglite' | 'postgresql';
  /** names of migrations applied by this open */
  applied: string[];
  close(): Promise<void>;
}

/** A problem opening storage, phrased for the operator (what happened, what to do). */
export class StorageError extends Error {}

/**
 * mkdir -p, one level at a time: Node 20's recursive mkdirSync never returns for a path under
 * /proc (it retries the ENOENT for ever), so LANTERN_DATA_DIR=/proc/x would hang silently.
 */
function makeDirs(dir: string): void {
  const missing: string[] = [];
  for (let d = path.resolve(dir); !existsSync(d); d = path.dirname(d)) {
    missing.unshift(d);
    if (path.dirname(d) === d) break;
  }
  for (const d of missing) mkdirSync(d);
}

/** Takes the data directory's lock; throws StorageError if another live process holds it. */
export function lockDataDir(dataDir: string): () => void {
  try {
    makeDirs(dataDir);
  } catch (err) {
    // A recursive mkdir reports ENOENT on a read-only file system: ask once more, for the real reason.
    let code = (err as NodeJS.ErrnoException).code;
    try {
      mkdirSync(dataDir);
    } catch (again) {
      code = (again as NodeJS.ErrnoException).code ?? code;
    }
    throw unwritable(dataDir, code) ?? new StorageError(`Cannot create the data directory ${dataDir}: ${code ?? (err as Error).message}. Set LANTERN_DATA_DIR to a writable directory.`);
  }
  const lockPath = path.join(dataDir, 'lantern.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx', 0o600);
      try {
        writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
      } catch (err) {
        // A full disk has room for the name but not the content: leave no empty lock behind.
        rmSync(lockPath, { force: true });
        throw err;
      } finally {
        closeSync(fd);
      }
      return () => rmSync(lockPath, { force: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const problem = unwritable(dataDir, code);
      if (problem) throw problem;
      if (code !== 'EEXIST') throw err;
      let holder: { pid?: number; host?: string } = {};
      try {
        holder = JSON.parse(readFileSync(lockPath, 'utf8')) as typeof holder;
      } catch {
        /* unreadable or half-written lock: treat as stale */
      }
      if (holder.pid && holder.host === hostname() && isAlive(holder.pid))
        throw new StorageError(
          `The embedded database in ${dataDir} is in use by another Lantern process (pid ${holder.pid}): a bot or an admin command. The embedded database belongs to one process at a time: stop that process first, or give this one its own LANTERN_DATA_DIR; to run several bots or admin commands at once, use PostgreSQL (DATABASE_URL).`,
        );
      rmSync(lockPath, { force: true }); // stale lock from a crashed process
    }
  }
  throw new StorageError(`Could not take the lock on ${dataDir}.`);
}

/** The operator's message for a data directory that cannot take writes, by error code. */
function unwritable(dataDir: string, code: string | undefined): StorageError | undefined {
  if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM')
    return new StorageError(`The data directory ${dataDir} is not writable (${code}). Lantern will not start without being able to save reports: fix its permissions or set LANTERN_DATA_DIR.`);
  if (code === 'ENOSPC' || code === 'EDQUOT') return new StorageError(`The disk holding ${dataDir} is full (${code}: no space left). Free space (or set LANTERN_DATA_DIR to a larger disk) before starting Lantern: reports could not be saved.`);
  return undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Applies pending migrations, skipping the (slow to load) schema engine when none are pending.
 * `retryUnfinished` (the embedded database only, where this process is the only one): a migration
 * recorded as started but never finished left nothing behind (each script runs as one
 * transaction, see wholeScripts), typically because the disk filled up; it is marked rolled back,
 * as `prisma migrate resolve --rolled-back` would, so that it is applied again instead of every
 * later start being refused. Migrations that failed for another reason are left for the operator.
 */
async function migrate(prisma: PrismaClient, factory: SqlMigrationAwareDriverAdapterFactory, retryUnfinished = false): Promise<string[]> {
  const local = (await loadMigrationsList()).migrationDirectories.map((d) => d.path);
  try {
    const rows = await prisma.$queryRawUnsafe<{ migration_name: string }[]>(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    const done = new Set(rows.map((r) => r.migration_name));
    if (local.every((n) => done.has(n))) return [];
    if (retryUnfinished)
      await prisma.$executeRawUnsafe(
        `UPDATE _prisma_migrations SET rolled_back_at = now() WHERE finished_at IS NULL AND rolled_back_at IS NULL AND (logs IS NULL OR logs ~* $1)`,
        STORAGE_FAILURE_TEXT,
      );
  } catch {
    /* no _prisma_migrations yet: a new database */
  }
  return applyMigrations(factory);
}

/** How a migration failure caused by storage reads in `_prisma_migrations.logs`. */
const STORAGE_FAILURE_TEXT = '53100|No space left on device|could not extend file|Read-only file system|disk full';

/**
 * @prisma/adapter-pg runs a migration script by splitting it on ";", which breaks any statement
 * with a ";" inside (a PL/pgSQL function body) and is not atomic; pglite-prisma-adapter (0.7.2)
 * does not wait for the script, so a failed one (a full disk) is recorded as applied and its
 * tables never appear. We send the whole script as one simple query instead and wait for it:
 * PostgreSQL parses it properly and runs it as one implicit transaction.
 */
function wholeScripts(factory: SqlMigrationAwareDriverAdapterFactory, run: (script: string) => Promise<unknown>): SqlMigrationAwareDriverAdapterFactory {
  const patch = (adapter: SqlDriverAdapter): SqlDriverAdapter => {
    adapter.executeScript = async (script: string) => {
      try {
        await run(script);
      } catch (err) {
        throw asDriverError(err);
      }
    };
    return adapter;
  };
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => patch(await factory.connect()),
    connectToShadowDb: async () => factory.connectToShadowDb(),
  };
}

/**
 * The schema engine shows (and records in `_prisma_migrations.logs`) only "external connector
 * error" for anything but a DriverAdapterError: give it PostgreSQL's code and message.
 */
function asDriverError(err: unknown): unknown {
  const e = err as { code?: unknown; severity?: unknown; message?: unknown; detail?: unknown; column?: unknown; hint?: unknown } | null;
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  if (typeof e?.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && typeof e.message === 'string')
    return new DriverAdapterError({ kind: 'postgres', code: e.code, severity: text(e.severity) ?? 'ERROR', message: e.message, detail: text(e.detail), column: text(e.column), hint: text(e.hint) });
  if (storageFaultOf(err)) return new DriverAdapterError({ kind: 'postgres', code: '53100', severity: 'ERROR', message: firstLine(err), detail: undefined, column: undefined, hint: undefined });
  return err;
}

/**
 * PGlite's own start parameters plus wal_recycle=off: a WAL segment that is no longer needed is
 * deleted instead of renamed for reuse with its old contents (erased reports' bytes) inside.
 * Measured on PGlite 0.4.6: with recycling on, an erased value survived in a recycled segment.
 */
const PGLITE_START = [...PGlite.defaultStartParams, '-c', 'wal_recycle=off', ...pgliteMemory()];

/**
 * Memory sized for a small bot's one connection. PGlite 0.4.6 opens with Postgres' defaults
 * (shared_buffers 128MB, wal_buffers 4MB, max_connections 100); measured on this machine, a bare
 * open and one query peaked at 298 MB RSS with them and 164 MB with these. The database of a
 * community bot is a few megabytes; the operating system's cache holds the rest. Its WebAssembly
 * memory cannot start below PGlite's 128 MiB (`initialMemory` smaller fails to link). A large
 * community belongs on PostgreSQL (see README), not on bigger buffers here.
 */
function pgliteMemory(): string[] {
  const settings = { shared_buffers: '8MB', wal_buffers: '1MB', work_mem: '2MB', maintenance_work_mem: '16MB', temp_buffers: '2MB', max_connections: '5' };
  return Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
}

/** Opens PGlite (dataDir) or PostgreSQL (databaseUrl) and migrates it. */
/** `onNewDatabase` is called once the checks pass and a new embedded database is about to be created (seconds). */
export async function openDatabase(opts: { dataDir: string; databaseUrl?: string | undefined; onNewDatabase?: () => void }): Promise<Database> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, connectionTimeoutMillis: 5000, max: 10 });
    pool.on('error', () => {}); // idle clients dropped by a server restart: the next query reconnects
    const factory = new PrismaPg(pool);
    const prisma = new PrismaClient({ adapter: factory });
    try {
      const applied = await migrate(prisma, wholeScripts(factory, (script) => pool.query(script)));
      return {
        prisma,
        kind: 'postgresql',
        applied,
        close: async () => {
          await prisma.$disconnect();
          await pool.end().catch(() => {});
        },
      };
    } catch (err) {
      await prisma.$disconnect().catch(() => {});
      await pool.end().catch(() => {});
      throw new StorageError(`Cannot use PostgreSQL at DATABASE_URL (${(err as Error).message.split('\n')[0]}). Check that the server is running and the database exists.`);
    }
  }
  privateUmask(); // before the data directory and PGlite's files are created
  const unlock = lockDataDir(opts.dataDir);
  let embedded: EmbeddedDatabase | undefined;
  try {
    tightenDataDir(opts.dataDir);
    const dir = path.join(opts.dataDir, 'pglite');
    if (!existsSync(path.join(dir, 'PG_VERSION'))) {
      refuseWithoutRoom(opts.dataDir);
      opts.onNewDatabase?.();
    }
    embedded = await EmbeddedDatabase.open(dir);
    const client = embedded.client();
    const factory = new PrismaPGlite(client);
    const prisma = new PrismaClient({ adapter: factory });
    const applied = await migrate(prisma, wholeScripts(factory, (script) => client.exec(script)), true);
    const db = embedded;
    return {
      prisma,
      kind: 'pglite',
      applied,
      close: async () => {
        await prisma.$disconnect();
        await db.close();
        unlock();
      },
    };
  } catch (err) {
    await embedded?.close().catch(() => {});
    unlock();
    if (err instanceof StorageError) throw err;
    const code = storageFaultOf(err) ?? fsErrorCode(err);
    throw (
      unwritable(opts.dataDir, code) ??
      new StorageError(`Cannot open the embedded database in ${opts.dataDir}${code ? ` (${code})` : ''}: ${firstLine(err)}. If the disk is full or read-only, fix that first, then start Lantern again.`)
    );
  }
}

/** Room a new embedded database needs: PostgreSQL's files and the dataset (~40 MB), and the next 16 MB WAL segment. */
const NEW_DATABASE_BYTES = 64 * 2 ** 20;

/**
 * Refuses to create the embedded database on a disk without room for it: running out of space
 * half-way through would fail with a less helpful message, after writing part of it.
 */
function refuseWithoutRoom(dataDir: string): void {
  let free: number;
  try {
    const fs = statfsSync(dataDir);
    free = fs.bavail * fs.bsize;
  } catch {
    return; // no statfs here: let creating it tell
  }
  if (free < NEW_DATABASE_BYTES)
    throw new StorageError(
      `The disk holding ${dataDir} is nearly full (${Math.floor(free / 2 ** 20)} MB free; a new embedded database needs about ${NEW_DATABASE_BYTES / 2 ** 20} MB). Free space (or set LANTERN_DATA_DIR to a larger disk) before starting Lantern: reports could not be saved.`,
    );
}

function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : undefined;
  return message?.trim().split('\n')[0] || (err as { name?: string } | null)?.name || String(err);
}

/** After a stop, how soon the embedded database is reopened at the earliest, and the longest wait between tries. */
const REOPEN_AFTER_MS = 3_000;
const REOPEN_AT_MOST_EVERY_MS = 300_000;
/** Free space wanted before reopening: a new 16 MB WAL segment and some margin. */
const REOPEN_BYTES = 32 * 2 ** 20;

/**
 * The embedded PostgreSQL (PGlite) of one data directory, kept usable after a PANIC.
 *
 * When a WAL write fails (a full disk: a new 16 MB WAL segment cannot be created), PostgreSQL
 * PANICs. PGlite 0.4.6 returns that error to the query that hit it, but the next call into the
 * same instance spins forever at 100% CPU inside the WebAssembly, freezing the whole process
 * (no timer, no signal handler runs again). So an instance that reports PANIC or FATAL is retired:
 * it is never called again (calls already queued on it fail at once), and a later query opens a
 * fresh instance on the same files; PostgreSQL's crash recovery keeps everything committed.
 *
 * A reopen is tried only once the disk has room and takes a write: a PGlite.create that fails on
 * a full disk leaves behind an instance whose 10-second timer re-arms forever (keeping its memory
 * and the process alive). Until then callers get, at once, a StorageError whose cause says why
 * (disk full → "storage is full" for the person; otherwise "try again").
 */
class EmbeddedDatabase {
  #live: PGlite | undefined;
  /** the PANIC/FATAL that retired the last instance (the cause of every error until reopened) */
  #stoppedBy: unknown;
  #reopening: Promise<PGlite> | undefined;
  #nextAttempt = 0;
  #wait = REOPEN_AFTER_MS;
  #closed = false;

  private constructor(private readonly dir: string) {}

  static async open(dir: string): Promise<EmbeddedDatabase> {
    const db = new EmbeddedDatabase(dir);
    db.#live = db.#guard(await PGlite.create({ dataDir: dir, startParams: PGLITE_START }));
    return db;
  }

  /** Stands in for PGlite with what the Prisma adapter uses (query, exec, transaction), each on the live instance. */
  client(): PGlite {
    const client: Pick<PGlite, 'query' | 'exec' | 'transaction'> = {
      query: async <T,>(query: string, params?: unknown[], options?: QueryOptions) => (await this.#instance()).query<T>(query, params, options),
      exec: async (query: string, options?: QueryOptions) => (await this.#instance()).exec(query, options),
      transaction: async <T,>(callback: (tx: Transaction) => Promise<T>) => (await this.#instance()).transaction(callback),
    };
    return client as PGlite;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#reopening?.catch(() => {});
    const live = this.#live;
    this.#live = undefined;
    await live?.close(); // a retired instance is not closed: that would spin too
  }

  async #instance(): Promise<PGlite> {
    if (this.#live) return this.#live;
    if (this.#closed) throw new StorageError(`The embedded database in ${this.dir} is closed.`);
    if (!this.#reopening) {
      if (Date.now() < this.#nextAttempt) throw this.#stoppedError();
      this.#nextAttempt = Date.now() + REOPEN_AFTER_MS;
      if (!takesWrites(path.dirname(this.dir), REOPEN_BYTES)) throw this.#stoppedError();
      this.#reopening = this.#reopen().finally(() => (this.#reopening = undefined));
    }
    return this.#reopening;
  }

  async #reopen(): Promise<PGlite> {
    const exitCode = process.exitCode; // a failing PGlite.create sets it (Emscripten's exit)
    try {
      const lite = this.#guard(await PGlite.create({ dataDir: this.dir, startParams: PGLITE_START }));
      this.#live = lite;
      this.#stoppedBy = undefined;
      this.#wait = REOPEN_AFTER_MS;
      return lite;
    } catch {
      process.exitCode = exitCode;
      this.#wait = Math.min(this.#wait * 2, REOPEN_AT_MOST_EVERY_MS);
      this.#nextAttempt = Date.now() + this.#wait;
      throw this.#stoppedError();
    }
  }

  #stoppedError(): StorageError {
    const full = storageFaultOf(this.#stoppedBy);
    const error = new StorageError(
      `The embedded database in ${this.dir} stopped after a write failed${full ? ` (${full})` : ''}: ${firstLine(this.#stoppedBy)}. It is reopened once the disk takes writes again; nothing acknowledged was lost.`,
      { cause: this.#stoppedBy },
    );
    if (!full) (error as StorageError & { code: string }).code = 'LANTERN_DB_STOPPED';
    return error;
  }

  /** Watches an instance for PANIC/FATAL and, once seen, keeps every call out of it. */
  #guard(lite: PGlite): PGlite {
    let stopped = false;
    const stop = (err: unknown) => {
      if (stopped || !stopsInstance(err)) return;
      stopped = true;
      this.#stoppedBy = err;
      this.#nextAttempt = Date.now() + REOPEN_AFTER_MS;
      if (this.#live === lite) this.#live = undefined;
    };
    const rawSync = lite.execProtocolRawSync.bind(lite);
    lite.execProtocolRawSync = (message) => {
      if (stopped) throw this.#stoppedError();
      return rawSync(message);
    };
    const exec = lite.execProtocol.bind(lite);
    lite.execProtocol = async (message, options) => {
      try {
        const result = await exec(message, options);
        result.messages.forEach(stop); // with throwOnError: false the PANIC arrives as a message
        return result;
      } catch (err) {
        stop(err);
        throw err;
      }
    };
    const stream = lite.execProtocolStream.bind(lite);
    lite.execProtocolStream = async (message, options) => {
      try {
        const messages = await stream(message, options);
        messages.forEach(stop);
        return messages;
      } catch (err) {
        stop(err);
        throw err;
      }
    };
    return lite;
  }
}

/** A PostgreSQL PANIC or FATAL, or the WebAssembly runtime exiting or aborting: that PGlite instance is finished. */
function stopsInstance(err: unknown): boolean {
  const e = err as { severity?: unknown; name?: unknown } | null;
  return e?.severity === 'PANIC' || e?.severity === 'FATAL' || e?.name === 'ExitStatus' || e?.name === 'RuntimeError';
}

/** Whether `dir` (the data directory, beside PostgreSQL's own) has `bytes` free and accepts a small write (a read-only mount still reports free space). */
function takesWrites(dir: string, bytes: number): boolean {
  const probe = path.join(dir, `.lantern-write-probe-${process.pid}`);
  try {
    const fs = statfsSync(dir);
    if (fs.bavail * fs.bsize < bytes) return false;
    writeFileSync(probe, Buffer.alloc(8192));
    rmSync(probe);
    return true;
  } catch {
    try {
      rmSync(probe, { force: true });
    } catch {
      /* read-only: nothing was created */
    }
    return false;
  }
}
