/**
 * The embedded database (PGlite): its start parameters, the room a new one needs, and the wrapper
 * that retires an instance after a PANIC and reopens the files once the disk takes writes.
 */
import { rmSync, statfsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite, type QueryOptions, type Transaction } from '@electric-sql/pglite';
import { storageFaultOf } from './errors.ts';
import { firstLine, StorageError } from './storage-error.ts';

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
  const settings = {
    shared_buffers: '8MB',
    wal_buffers: '1MB',
    work_mem: '2MB',
    maintenance_work_mem: '16MB',
    temp_buffers: '2MB',
    max_connections: '5',
  };
  return Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
}

/** Room a new embedded database needs: PostgreSQL's files and the dataset (~40 MB), and the next 16 MB WAL segment. */
const NEW_DATABASE_BYTES = 64 * 2 ** 20;

/**
 * Refuses to create the embedded database on a disk without room for it: running out of space
 * half-way through would fail with a less helpful message, after writing part of it.
 */
export function refuseWithoutRoom(dataDir: string): void {
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
export class EmbeddedDatabase {
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
      query: async <T>(query: string, params?: unknown[], options?: QueryOptions) =>
        (await this.#instance()).query<T>(query, params, options),
      exec: async (query: string, options?: QueryOptions) => (await this.#instance()).exec(query, options),
      transaction: async <T>(callback: (tx: Transaction) => Promise<T>) => (await this.#instance()).transaction(callback),
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
