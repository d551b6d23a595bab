/**
 * Decides once whether the PostgreSQL suite can run. In CI (CI=true) it must: a missing server
 * fails the run. On a developer machine without PostgreSQL the suite is left out, said in one line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { makeTemplate } from './data-dir-template.ts';
import { build, isStale } from '../../scripts/build.mjs';

export const TEST_PG_URL = process.env.LANTERN_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export default async function setup() {
  // The tests run the compiled bot, as npm start does: built here when missing or stale.
  if (isStale() && build() !== 0) throw new Error('npm run build failed: the compiled bot the tests start could not be built');
  // One first start for the whole run; tests copy it (data-dir-template.ts).
  const template = path.join(mkdtempSync(path.join(tmpdir(), 'lantern-template-')), 'data');
  makeTemplate(template);
  process.env.LANTERN_TEST_TEMPLATE = template;
  const cleanup = () => rmSync(path.dirname(template), { recursive: true, force: true });

  const client = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    process.env.LANTERN_TEST_PG = '1';
  } catch (e) {
    if (process.env.CI === 'true')
      throw new Error(
        `CI=true but PostgreSQL is not reachable at ${TEST_PG_URL}: ${(e as Error).message}. The PostgreSQL suite must run in CI.`,
        { cause: e },
      );
    process.env.LANTERN_TEST_PG = '0';
    console.log(`PostgreSQL not reachable at ${TEST_PG_URL}: the PostgreSQL storage suite is left out (PGlite suite still runs).`);
  } finally {
    await client.end().catch(() => {});
  }
  return cleanup;
}
