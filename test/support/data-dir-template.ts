/**
 * A new embedded data directory costs a first start (~15 s on this machine: the database created,
 * migrated and seeded). Tests that only need *a* working bot start from a copy of one made once per
 * run by global-setup.ts, through the real entry point; tests of the first start itself (its line,
 * its refusals, the disk faults) do not use it.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { MAIN } from './entry.ts';

/** No platform, no PostgreSQL, no HTTP: the console on the embedded database. */
const PLATFORM = /^(TELEGRAM_|DISCORD_|DATABASE_URL$|HTTP_PORT$)/;
const withoutPlatforms = (env: NodeJS.ProcessEnv) => Object.fromEntries(Object.entries(env).filter(([k]) => !PLATFORM.test(k)));

/** Creates the template at `dir` by running the bot once on it (/help, end of input). */
export function makeTemplate(dir: string): void {
  const r = spawnSync(process.execPath, [...MAIN, '--json'], {
    env: { ...withoutPlatforms(process.env), LANTERN_DATA_DIR: dir, LOG_LEVEL: 'error' },
    input: '/help\n',
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status !== 0 || !existsSync(path.join(dir, 'pglite', 'PG_VERSION')))
    throw new Error(`the template data directory could not be made: ${r.stderr}`);
}

/** Fills `dir` from the template when it holds no database yet (and a template exists); returns `dir`. */
export function fromTemplate(dir: string): string {
  const template = process.env.LANTERN_TEST_TEMPLATE;
  if (!template || existsSync(path.join(dir, 'pglite', 'PG_VERSION'))) return dir;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const name of readdirSync(template))
    if (name !== 'lantern.lock') cpSync(path.join(template, name), path.join(dir, name), { recursive: true });
  return dir;
}
