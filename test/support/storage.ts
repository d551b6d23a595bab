/**
 * The storage backends the same suites run against: PGlite in a temporary data directory and,
 * when reachable (always in CI), a PostgreSQL database created for the run and dropped after.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { fromTemplate } from './data-dir-template.ts';

const adminUrl = process.env.LANTERN_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** True when the PostgreSQL suite runs (decided in global-setup). */
export const postgresAvailable = process.env.LANTERN_TEST_PG === '1';

/** A database opened for a test, with how to throw it away. */
export interface TestDatabase {
  /** replace after reopening: dispose closes whatever is here */
  db: Database;
  /** for PGlite: the data directory; for PostgreSQL: the URL */
  location: string;
  dispose(): Promise<void>;
}

/**
 * Opens a new PGlite database in a temporary directory: a copy of the run's template (migrated,
 * bundled dataset seeded, no reports), since creating one costs seconds; `empty` makes it anew.
 */
export async function freshPglite(opts: { empty?: boolean } = {}): Promise<TestDatabase> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lantern-test-'));
  if (!opts.empty) fromTemplate(dir);
  const handle: TestDatabase = {
    db: await openDatabase({ dataDir: dir }),
    location: dir,
    dispose: async () => {
      await handle.db.close().catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
  return handle;
}

/** Creates a new PostgreSQL database for this run and opens it. */
export async function freshPostgres(): Promise<TestDatabase> {
  const name = `lantern_test_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle: TestDatabase = {
    db: await openDatabase({ dataDir: '', databaseUrl: url.toString() }),
    location: url.toString(),
    dispose: async () => {
      await handle.db.close().catch(() => {});
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
  return handle;
}

/** The same, each database new and empty (for tests of seeding itself). */
export const emptyBackends: [string, () => Promise<TestDatabase>][] = [
  ['PGlite', () => freshPglite({ empty: true })],
  ...(postgresAvailable ? ([['PostgreSQL', freshPostgres]] as [string, () => Promise<TestDatabase>][]) : []),
];

/** The backends to run a storage suite on: [name, open]. */
export const backends: [string, () => Promise<TestDatabase>][] = [
  ['PGlite', () => freshPglite()],
  ...(postgresAvailable ? ([['PostgreSQL', freshPostgres]] as [string, () => Promise<TestDatabase>][]) : []),
];
