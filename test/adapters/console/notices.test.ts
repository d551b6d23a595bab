/**
 * Console notices on PostgreSQL: a console started --as triage shows a new-report notice as it
 * arrives from another process (a reporter's console), without the report's content.
 */
import { newKey } from '../../../src/core/crypto/crypto.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { consoleBot, pick } from '../../support/console-process.ts';
import { freshPostgres, postgresAvailable, type TestDatabase } from '../../support/storage.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'lantern-notices-'));
let pgdb: TestDatabase | undefined;
afterAll(async () => {
  await pgdb?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

// Left out only where the PostgreSQL suite is (no server, outside CI), like every PostgreSQL suite.
for (const _ of postgresAvailable ? [1] : [])
  describe('console notices (PostgreSQL)', () => {
    it('shows the triage console a notice of a report filed meanwhile by another process', async () => {
      pgdb = await freshPostgres();
      // Both processes share the database and the generated keys (keys.json in one directory).
      // PostgreSQL mode takes its keys from outside the data directory; both processes share them.
      const env = {
        DATABASE_URL: pgdb.location,
        LANTERN_DATA_DIR: dir,
        LANTERN_ENCRYPTION_KEYS: `k1:${newKey()}`,
        LANTERN_HASH_KEY: newKey(),
      };
      const triage = consoleBot(env, ['--as', 'triage']);
      expect((await triage.say('/triage queue')).kind).toBe('answer');
      const reporter = consoleBot(env);
      let r = await reporter.say('/report');
      r = await reporter.say(pick(r, 'cat:surveillance'));
      r = await reporter.say('2025-05');
      r = await reporter.say(pick(r, 'skip'));
      r = await reporter.say('Two men photographed us at the vigil, secret detail.');
      r = await reporter.say(pick(r, 'skip'));
      r = await reporter.say(pick(r, 'skip'));
      for (const a of ['no', 'no', 'no']) r = await reporter.say(pick(r, a));
      r = await reporter.say(pick(r, 'submit'));
      const id = /(R-[0-9A-Z]{6})/.exec(JSON.stringify(r.blocks))![1]!;
      expect(JSON.stringify(r.blocks)).toContain('--as triage');
      await reporter.end();
      const until = Date.now() + 60_000;
      while (!triage.notices.some((n) => n.includes(id)) && Date.now() < until) await sleep(200);
      expect(triage.notices.join('\n')).toContain(`New report ${id}`);
      expect(triage.notices.join('\n')).not.toContain('secret detail');
      await triage.end();
    }, 240_000);
  });
