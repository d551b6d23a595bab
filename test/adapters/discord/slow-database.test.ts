/**
 * Discord's 3 seconds with a slow database: PostgreSQL behind a loopback TCP proxy that delivers
 * every answer of the server 4 s late, the real Discord adapter against the strict fake (which
 * refuses a first response after 3 s with 10062). Slash commands are acknowledged and
 * autocompletes and modals answered within 2.5 s, and the slow lookups are still delivered.
 */
import pg from 'pg';
import { newKey } from '../../../src/core/crypto/crypto.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promptButtonId } from '../../../src/adapters/discord/render.ts';
import {
  autocompleteInteraction,
  buttonInteraction,
  newUser,
  slashInteraction,
  type RecordedCallback,
} from '../../support/fake-discord.ts';
import { startDelayingProxy, type DelayingProxy } from '../../support/delaying-proxy.ts';
import { postgresAvailable } from '../../support/storage.ts';
import { startHarness, type Harness } from './harness.ts';

const adminUrl = process.env.LANTERN_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const name = `lantern_slow_${process.pid}_${Date.now().toString(36)}`;
const DEADLINE_MS = 2_500;

async function admin(sql: string) {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(sql);
  await c.end();
}

describe.runIf(postgresAvailable)('Discord with a database answering 4 s late', () => {
  let proxy: DelayingProxy;
  let h: Harness;
  beforeAll(async () => {
    await admin(`CREATE DATABASE ${name}`);
    const target = new URL(adminUrl);
    proxy = await startDelayingProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const url = new URL(adminUrl);
    url.port = String(proxy.port);
    url.pathname = `/${name}`;
    // migrations and the dataset load at full speed; the delay starts with the test
    // PostgreSQL mode takes its keys from outside the data directory (src/keys.ts refuses otherwise)
    h = await startHarness({
      env: { DATABASE_URL: url.toString(), LANTERN_ENCRYPTION_KEYS: `k1:${newKey()}`, LANTERN_HASH_KEY: newKey() },
    });
  });
  afterAll(async () => {
    await h?.close();
    await proxy?.close();
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });

  it('acknowledges commands, answers autocompletes and opens modals within 2.5 s, then delivers the lookups', async () => {
    proxy.delayMs = 4_000;
    const timed = async (p: Parameters<Harness['fake']['interact']>[0]) => {
      const t0 = performance.now();
      const cb: RecordedCallback = await h.fake.interact(p, 15_000);
      return { cb, ms: cb.at - t0 };
    };
    // new people each time: no language preference in memory, every actor is a database read
    const lookups = ['New York', 'Prato', 'Toronto'].map((place) => slashInteraction('lookup', { place }, { user: newUser() }));
    const [a, b, c, ac1, ac2, modal] = await Promise.all([
      ...lookups.map(timed),
      timed(autocompleteInteraction('lookup', 'place', 'Tor', { user: newUser(), locale: 'zh-TW' })),
      timed(autocompleteInteraction('lookup', 'place', 'Pra', { user: newUser() })),
      timed(
        buttonInteraction(
          promptButtonId({ field: 'date', label: 'When did it happen?', maxLength: 200, multiline: false }),
          {},
          { guild: null, user: newUser() },
        ),
      ),
    ]);
    const all = [a!, b!, c!, ac1!, ac2!, modal!];
    console.log(
      `first responses with a 4 s database (ms): ${all
        .map((x) => Math.round(x.ms))
        .sort((x, y) => x - y)
        .join(', ')}`,
    );
    for (const x of all) expect(x.ms).toBeLessThan(DEADLINE_MS);
    expect([a, b, c].map((x) => x!.cb.type)).toEqual([5, 5, 5]);
    expect(ac1!.cb.type).toBe(8);
    // the language stored could not be read in time: the Discord client's (繁體) is used
    expect(ac1!.cb.data.choices).toContainEqual({ name: '多倫多 (加拿大)', value: 'Toronto' });
    expect(ac2!.cb.data.choices.length).toBeGreaterThan(0);
    expect(modal!.cb.type).toBe(9);
    expect(h.fake.refused()).toEqual([]);
    // the slow answers still arrive, as edits of the deferred responses
    for (const [n, p] of lookups.entries()) {
      const edit = await h.fake.waitFor((call) => call.method === 'PATCH' && call.path.includes(p.token) && call.status === 200, 30_000);
      const text = (edit.body.embeds ?? []).map((e: any) => `${e.title ?? ''}\n${e.description ?? ''}`).join('\n');
      expect(text).toContain(['New York', 'Prato', 'Toronto'][n]);
    }
  }, 90_000);
});
