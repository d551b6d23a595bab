/**
 * Opens the database the configuration asks for: PGlite in the data directory (the embedded
 * default, one process at a time, enforced by a lock file) or PostgreSQL through `pg`
 * (DATABASE_URL; several bot processes may share it). Pending migrations are applied on open.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { PrismaClient } from './generated/client.ts';
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

/** Takes the data directory's lock; throws StorageError if another live process holds it. */
export function lockDataDir(dataDir: string): () => void {
  try {
    mkdirSync(dataDir, { recursive: true });
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
      writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
      closeSync(fd);
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
          `The embedded database in ${dataDir} is in use by another Lantern process (pid ${holder.pid}). PGlite belongs to one process: stop the bot first (or run admin commands against PostgreSQL with DATABASE_URL), then try again.`,
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
  if (code === 'ENOSPC' || code === 'EDQUOT') return new StorageError(`The disk holding ${dataDir} is full (${code}). Free space before starting Lantern: reports could not be saved.`);
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

/** Applies pending migrations, skipping the (slow to load) schema engine when none are pending. */
async function migrate(prisma: PrismaClient, factory: SqlMigrationAwareDriverAdapterFactory): Promise<string[]> {
  const local = (await loadMigrationsList()).migrationDirectories.map((d) => d.path);
  try {
    const rows = await prisma.$queryRawUnsafe<{ migration_name: string }[]>(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    const done = new Set(rows.map((r) => r.migration_name));
    if (local.every((n) => done.has(n))) return [];
  } catch {
    /* no _prisma_migrations yet: a new database */
  }
  return applyMigrations(factory);
}

/**
 * @prisma/adapter-pg runs a migration script by splitting it on ";", which breaks any statement
 * with a ";" inside (a PL/pgSQL function body) and is not atomic. We send the whole script as one
 * simple query instead: PostgreSQL parses it properly and runs it as one implicit transaction.
 */
function wholeScripts(factory: PrismaPg, pool: pg.Pool): SqlMigrationAwareDriverAdapterFactory {
  const patch = (adapter: SqlDriverAdapter): SqlDriverAdapter => {
    adapter.executeScript = async (script: string) => {
      await pool.query(script);
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

/** Opens PGlite (dataDir) or PostgreSQL (databaseUrl) and migrates it. */
export async function openDatabase(opts: { dataDir: string; databaseUrl?: string | undefined }): Promise<Database> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, connectionTimeoutMillis: 5000, max: 10 });
    pool.on('error', () => {}); // idle clients dropped by a server restart: the next query reconnects
    const factory = new PrismaPg(pool);
    const prisma = new PrismaClient({ adapter: factory });
    try {
      const applied = await migrate(prisma, wholeScripts(factory, pool));
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
  const unlock = lockDataDir(opts.dataDir);
  let lite: PGlite | undefined;
  try {
    lite = await PGlite.create({ dataDir: path.join(opts.dataDir, 'pglite') });
    const factory = new PrismaPGlite(lite);
    const prisma = new PrismaClient({ adapter: factory });
    const applied = await migrate(prisma, factory);
    const db = lite;
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
    await lite?.close().catch(() => {});
    unlock();
    if (err instanceof StorageError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new StorageError(`Cannot open the embedded database in ${opts.dataDir}${code ? ` (${code})` : ''}: ${(err as Error).message.split('\n')[0]}. If the disk is full or read-only, fix that first; nothing was written.`);
  }
}
