/**
 * Discord command latency: interaction in (gateway dispatch from the local fake) -> callback out
 * (the interaction response reaching the fake's REST), through the real adapter for
 * /lookup New York on a fresh PGlite App, at several concurrency levels. The floor is a bare
 * discord.js client on the same fake answering with the very same response (Lantern's, captured
 * once): what the library and the loopback cost for that answer.
 * The two clients are measured one after the other (both would answer every dispatch).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Events, GatewayIntentBits } from 'discord.js';
import { allCommands } from '../commands/index.ts';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import type { Logger } from '../src/core/context.ts';
import { Lantern } from '../src/core/lantern.ts';
import { HttpServer } from '../src/http.ts';
import { createDiscordAdapter } from '../src/adapters/discord/discord.adapter.ts';
import { FAKE, newUser, slashInteraction, startFakeDiscord, type FakeDiscord, type FakeUser } from '../test/support/fake-discord.ts';
import { quantile, rssSampler } from './stats.ts';

/** One row of results (milliseconds; throughput in interactions per second). */
export interface DiscordBenchRow {
  level: number;
  p50: number;
  p99: number;
  throughput: number;
  floorP50: number;
  floorP99: number;
  /** peak RSS of this process (the bot, its embedded database and the fake) during the level */
  peakRssMB: number;
}

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** Runs `total` interactions with at most `level` in flight; returns each latency (ms) and the elapsed time. */
async function drive(
  fake: FakeDiscord,
  level: number,
  total: number,
  users: FakeUser[],
): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < total) {
      const i = next++;
      const payload = slashInteraction('lookup', { place: 'New York' }, { user: users[i % users.length]! });
      const t = performance.now();
      // The strict fake refuses a response after Discord's 3 s (10062): it is still a latency, past 3,000 ms.
      await fake.interact(payload, 60_000).catch((e: Error) => {
        if (!e.message.includes('10062')) throw e;
      });
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: Math.min(level, total) }, worker));
  return { latencies, seconds: (performance.now() - started) / 1000 };
}

/** Measures the floor and the adapter at each concurrency level. */
export async function benchDiscord(opts: { concurrency: number[]; requestsPerLevel: number }): Promise<DiscordBenchRow[]> {
  const fake = await startFakeDiscord({ record: false });
  const dataDir = await mkdtemp(path.join(tmpdir(), 'lantern-bench-discord-'));
  const maxLevel = Math.max(...opts.concurrency);
  const users = Array.from({ length: maxLevel }, () => newUser());
  const floors = new Map<number, { p50: number; p99: number }>();
  try {
    const config = loadConfig({
      LANTERN_DATA_DIR: dataDir,
      DISCORD_TOKEN: 'x'.repeat(30) + '.bench',
      DISCORD_APPLICATION_ID: FAKE.applicationId,
      DISCORD_API_ROOT: fake.apiRoot,
    });
    const app = await createApp(config, silent);
    const startLantern = () =>
      createDiscordAdapter({ app, lantern: new Lantern(allCommands), config, log: silent, http: new HttpServer() }).start();
    // Lantern's answer, captured once so that the floor sends exactly the same response.
    let running = await startLantern();
    const answer = await fake.interact(slashInteraction('lookup', { place: 'New York' }, { user: users[0]! }), 60_000);
    await running.stop();

    // The floor: the library alone, answering with that response.
    const bare = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiRoot } });
    bare.on(Events.Error, () => {});
    bare.on(Events.InteractionCreate, (i) => {
      if (i.isRepliable()) void i.reply({ ...(answer.data as object), allowedMentions: { parse: [] } }).catch(() => {});
    });
    const bareReady = new Promise<void>((r) => bare.once(Events.ClientReady, () => r()));
    await bare.login('x'.repeat(30) + '.bench');
    await bareReady;
    await drive(fake, 10, 50, users); // warm-up
    for (const level of opts.concurrency) {
      const { latencies } = await drive(fake, level, opts.requestsPerLevel, users);
      floors.set(level, { p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) });
    }
    await bare.destroy();

    // The adapter: the same interactions through Lantern.
    running = await startLantern();
    const results: DiscordBenchRow[] = [];
    try {
      await drive(fake, 10, 50, users); // warm-up (JIT, preference reads, dataset index)
      for (const level of opts.concurrency) {
        const rss = rssSampler();
        const { latencies, seconds } = await drive(fake, level, opts.requestsPerLevel, users);
        const floor = floors.get(level)!;
        results.push({
          level,
          p50: quantile(latencies, 0.5),
          p99: quantile(latencies, 0.99),
          throughput: opts.requestsPerLevel / seconds,
          floorP50: floor.p50,
          floorP99: floor.p99,
          peakRssMB: rss.stop(),
        });
      }
    } finally {
      await running.stop();
      await app.close();
    }
    return results;
  } finally {
    await fake.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
