/**
 * PostgreSQL restarting under the bot: while it is down the bot answers a clear "try again in a
 * minute" (never a stack trace, never a crash), it recovers by itself once the server is back,
 * no acknowledged report is lost, and a report in progress continues. Runs against a private,
 * throw-away PostgreSQL cluster (initdb in a temporary directory on a free loopback port), so the
 * shared server other suites use is never restarted.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/core/reply.ts';
import { newKey } from '../../src/core/crypto/crypto.ts';
import { consoleBot, pick, type ConsoleBot } from '../support/console-process.ts';
import { textOf } from '../support/intake-driver.ts';

const versions = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').sort() : [];
const bin = versions.length ? `/usr/lib/postgresql/${versions[versions.length - 1]}/bin` : undefined;
if (!bin && process.env.CI === 'true')
  throw new Error('CI=true but no PostgreSQL server binaries under /usr/lib/postgresql: the restart test must run in CI');
if (!bin) console.log('No PostgreSQL server binaries under /usr/lib/postgresql: the PostgreSQL restart test is left out.');

const asRoot = userInfo().uid === 0;
/** Runs a PostgreSQL server binary (as the postgres user when we are root: the server refuses root). */
const pg = (tool: string, args: string[]) =>
  execFileSync(asRoot ? 'runuser' : `${bin}/${tool}`, asRoot ? ['-u', 'postgres', '--', `${bin}/${tool}`, ...args] : args, {
    stdio: 'pipe',
    timeout: 60_000,
  });

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function untilAnswered(b: ConsoleBot, line: string, ms: number): Promise<Reply> {
  const until = Date.now() + ms;
  for (;;) {
    const r = await b.say(line);
    if (r.code !== 'STORAGE.UNAVAILABLE' || Date.now() > until) return r;
    await new Promise((res) => setTimeout(res, 250));
  }
}

async function oneReport(say: (l: string) => Promise<Reply>, i: number): Promise<string> {
  let r = await say('/report');
  r = await say(pick(r, 'cat:surveillance'));
  r = await say('2025-06');
  r = await say(pick(r, 'skip'));
  r = await say(`Restart report ${i}: the same car waited outside my flat every evening.`);
  r = await say(pick(r, 'skip'));
  r = await say(pick(r, 'skip'));
  for (const a of ['no', 'no', 'no']) r = await say(pick(r, a));
  r = await say(pick(r, 'submit'));
  return /([0-9A-Z]{4}(?:-[0-9A-Z]{4}){4})/.exec(JSON.stringify(r.blocks))![1]!;
}

describe.runIf(bin)('PostgreSQL restart under load', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lantern-pgrestart-'));
  const data = path.join(dir, 'cluster');
  let port = 0;
  let bot: ConsoleBot;

  beforeAll(async () => {
    if (asRoot)
      chownSync(
        dir,
        Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
        Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
      );
    pg('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
    port = await freePort();
    pg('pg_ctl', [
      '-D',
      data,
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
      '-l',
      path.join(dir, 'server.log'),
      '-w',
      'start',
    ]);
    // PostgreSQL mode takes its keys from outside the data directory (src/keys.ts refuses otherwise).
    const keys = { LANTERN_ENCRYPTION_KEYS: `k1:${newKey()}`, LANTERN_HASH_KEY: newKey() };
    bot = consoleBot({
      DATABASE_URL: `postgresql://postgres@127.0.0.1:${port}/postgres`,
      LANTERN_DATA_DIR: path.join(dir, 'lantern'),
      REPORT_RATE_LIMIT_PER_HOUR: '1000',
      ...keys,
    });
  });

  afterAll(async () => {
    await bot?.end();
    try {
      pg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      /* already stopped */
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers "try again" while it is down, recovers by itself, and loses nothing acknowledged', async () => {
    const receipts = [await oneReport(bot.say, 1), await oneReport(bot.say, 2), await oneReport(bot.say, 3)];
    // A report in progress when the server goes away…
    let r = await bot.say('/report');
    r = await bot.say(pick(r, 'cat:physical'));

    pg('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
    const down = await bot.say(`/myreports ${receipts[0]}`);
    expect(down.code).toBe('STORAGE.UNAVAILABLE');
    expect(textOf(down)).toContain('cannot reach its database right now');
    expect(textOf(down)).not.toMatch(/\n\s+at /);
    const typed = await bot.say('2025-07');
    expect(typed.code).toBe('STORAGE.UNAVAILABLE');

    pg('pg_ctl', [
      '-D',
      data,
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
      '-l',
      path.join(dir, 'server.log'),
      '-w',
      'start',
    ]);
    const back = await untilAnswered(bot, `/myreports ${receipts[0]}`, 15_000);
    expect(back.kind).toBe('answer');

    // …continues where it was: the answer typed during the outage was not taken, so "when" is asked again.
    r = await bot.say('2025-07');
    expect(r.prompt?.field).toBe('where');
    r = await bot.say(pick(r, 'skip'));
    r = await bot.say('Someone pushed me on the stairs after the community meeting.');
    r = await bot.say(pick(r, 'skip'));
    r = await bot.say(pick(r, 'skip'));
    for (const a of ['no', 'no', 'no']) r = await bot.say(pick(r, a));
    r = await bot.say(pick(r, 'submit'));
    receipts.push(/([0-9A-Z]{4}(?:-[0-9A-Z]{4}){4})/.exec(JSON.stringify(r.blocks))![1]!);
    receipts.push(await oneReport(bot.say, 4));
    for (const receipt of receipts) expect((await bot.say(`/myreports ${receipt}`)).kind, receipt).toBe('answer');
  });
});
