/**
 * Opens the database the configuration asks for: PGlite in the data directory (the embedded
 * default, one process at a time, enforced by a lock file) or PostgreSQL through `pg`
 * (DATABASE_URL; several bot processes may share it). Pending migrations are applied on open.
 * The lock is in lock.ts, the embedded database's wrapper in embedded.ts, applying migrations in
 * migrate.ts.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { privateUmask, tightenDataDir } from './data-dir.ts';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/client.ts';
import { fsErrorCode, storageFaultOf } from './errors.ts';
import { EmbeddedDatabase, refuseWithoutRoom } from './embedded.ts';
import { lockDataDir } from './lock.ts';
import { migrate, wholeScripts } from './migrate.ts';
import { firstLine, StorageError, unwritable } from './storage-error.ts';

export { PrismaClient };
export { Prisma } from './generated/client.ts';
export { lockDataDir, StorageError };

/** An open database with its Prisma client. */
export interface Database {
  prisma: PrismaClient;
  kind: 'pglite' | 'postgresql';
  /** names of migrations applied by this open */
  applied: string[];
  close(): Promise<void>;
}

/** Opens PGlite (dataDir) or PostgreSQL (databaseUrl) and migrates it. */
/** `onNewDatabase` is called once the checks pass and a new embedded database is about to be created (seconds). */
export async function openDatabase(opts: {
  dataDir: string;
  databaseUrl?: string | undefined;
  onNewDatabase?: () => void;
}): Promise<Database> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, connectionTimeoutMillis: 5000, max: 10 });
    pool.on('error', () => {}); // idle clients dropped by a server restart: the next query reconnects
    const factory = new PrismaPg(pool);
    const prisma = new PrismaClient({ adapter: factory });
    try {
      const applied = await migrate(
        prisma,
        wholeScripts(factory, (script) => pool.query(script)),
      );
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
      throw new StorageError(
        `Cannot use PostgreSQL at DATABASE_URL (${(err as Error).message.split('\n')[0]}). Check that the server is running and the database exists.`,
      );
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
    const applied = await migrate(
      prisma,
      wholeScripts(factory, (script) => client.exec(script)),
      true,
    );
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
      new StorageError(
        `Cannot open the embedded database in ${opts.dataDir}${code ? ` (${code})` : ''}: ${firstLine(err)}. If the disk is full or read-only, fix that first, then start Lantern again.`,
      )
    );
  }
}
