/**
 * Telegram latency: update in (queued at the fake Bot API) -> the last sendMessage of the answer
 * out, for "/lookup New York" through the real adapter stack (runner, auto-retry, flood control,
 * per-chat ordering, App on a fresh embedded database), at several numbers of concurrent people.
 * The floor is a bare grammY bot (runner) on the same fake sending the very same messages (the
 * answer captured from Lantern once): what the library and the loopback cost for that answer.
 *
 * Each request comes from a new person (so flood control never throttles the benchmark, and
 * every request builds its pseudonymous actor and reads its stored language, as a first message
 * does). The English answer is several messages; latency counts until the last one is sent.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { run } from '@grammyjs/runner';
import { Bot } from 'grammy';
import { allCommands } from '../commands/index.ts';
import { startFakeTelegram, telegramUpdate, type FakeTelegram } from '../test/support/fake-telegram.ts';
import { startTelegram } from '../src/adapters/telegram/telegram.adapter.ts';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import type { Logger } from '../src/core/context.ts';
import { Lantern } from '../src/core/lantern.ts';
import { HttpServer } from '../src/http.ts';
import { quantile, rssSampler } from './stats.ts';

/** One row of results (milliseconds; throughput in requests per second). */
export interface TelegramBenchRow {
  level: number;
  p50: number;
  p99: number;
  throughput: number;
  floorP50: number;
  floorP99: number;
  /** peak RSS of this process (the bot, its embedded database and the fake) during the level */
  peakRssMB: number;
}

const TOKEN = '123456:BENCH-telegram-token-000000000';
const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const REQUEST_TIMEOUT_MS = 60_000;

/** Sends requests from fresh chats and resolves when each chat received `messages` answers. */
function driver(fake: FakeTelegram) {
  const waiting = new Map<number, { remaining: number; start: number; resolve: (ms: number) => void }>();
  fake.onCall = (c) => {
    if (c.method !== 'sendMessage' || c.status !== 200) return;
    const w = waiting.get(Number(c.params.chat_id));
    if (w && --w.remaining === 0) {
      waiting.delete(Number(c.params.chat_id));
      w.resolve(c.at - w.start);
    }
  };
  let nextUser = 900_000_000;
  /** One request; resolves with its latency in ms. */
  const request = (text: string, messages: number) =>
    new Promise<number>((resolve, reject) => {
      const id = nextUser++;
      const timer = setTimeout(() => reject(new Error(`benchTelegram: no answer within ${REQUEST_TIMEOUT_MS} ms`)), REQUEST_TIMEOUT_MS);
      waiting.set(id, {
        remaining: messages,
        start: performance.now(),
        resolve: (ms) => {
          clearTimeout(timer);
          resolve(ms);
        },
      });
      fake.push(telegramUpdate({ text, from: { id, is_bot: false, first_name: 'Bench', language_code: 'en' } }));
    });
  /** `total` requests with `concurrency` people asking at once (each waits for its answer). */
  async function level(text: string, messages: number, concurrency: number, total: number) {
    const latencies: number[] = [];
    let issued = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: Math.min(concurrency, total) }, async () => {
        while (issued < total) {
          issued++;
          latencies.push(await request(text, messages));
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    return { p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), throughput: total / seconds };
  }
  /** The messages one answer takes (asked once, collected until a quiet moment): their sendMessage parameters. */
  async function answerOf(text: string): Promise<Record<string, unknown>[]> {
    const id = nextUser++;
    const sent: Record<string, unknown>[] = [];
    let count = 0;
    const previous = fake.onCall;
    fake.onCall = (c) => {
      if (c.method === 'sendMessage' && c.status === 200 && Number(c.params.chat_id) === id) {
        count++;
        const { chat_id: _chat, ...params } = c.params;
        sent.push(params);
      }
      previous?.(c);
    };
    fake.push(telegramUpdate({ text, from: { id, is_bot: false, first_name: 'Bench', language_code: 'en' } }));
    for (let quiet = 0; quiet < 10;) {
      const before = count;
      await new Promise((r) => setTimeout(r, 50));
      quiet = count > 0 && count === before ? quiet + 1 : 0;
    }
    fake.onCall = previous;
    return sent;
  }
  return { level, answerOf };
}

/** Runs the benchmark; see the file comment for what is measured. */
export async function benchTelegram(opts: { concurrency: number[]; requestsPerLevel: number }): Promise<TelegramBenchRow[]> {
  const fake = await startFakeTelegram({ token: TOKEN, record: false });
  const dataDir = await mkdtemp(path.join(tmpdir(), 'lantern-bench-telegram-'));
  const warmup = Math.min(200, Math.max(20, Math.floor(opts.requestsPerLevel / 10)));
  const d = driver(fake);
  const floors = new Map<number, { p50: number; p99: number }>();
  const rows: TelegramBenchRow[] = [];
  try {
    const config = loadConfig({ LANTERN_DATA_DIR: dataDir, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: fake.url, LOG_LEVEL: 'silent' });
    const app = await createApp(config, silent);
    try {
      const startLantern = () => startTelegram({ app, lantern: new Lantern(allCommands), config, log: silent, http: new HttpServer() });
      // Lantern's answer, captured once so that the floor sends exactly the same messages.
      let adapter = await startLantern();
      const answer = await d.answerOf('/lookup New York');
      await adapter.stop();

      // The floor: bare grammY with the same runner, sending those messages in order.
      const bare = new Bot(TOKEN, { client: { apiRoot: fake.url }, botInfo: fake.bot });
      let lastBare = 0;
      bare.on('message:text', async (c) => {
        lastBare = Math.max(lastBare, c.update.update_id);
        for (const { text, ...other } of answer) await c.api.sendMessage(c.chat.id, String(text), other);
      });
      const bareRunner = run(bare, { runner: { fetch: { timeout: 30 }, silent: true } });
      await d.level('/lookup New York', answer.length, 10, warmup);
      for (const level of opts.concurrency)
        floors.set(level, await d.level('/lookup New York', answer.length, level, opts.requestsPerLevel));
      await bareRunner.stop();
      await bare.api.getUpdates({ offset: lastBare + 1, limit: 1, timeout: 0 }); // confirm, so Lantern does not see them

      // Lantern: the real adapter stack on the real App.
      adapter = await startLantern();
      try {
        await d.level('/lookup New York', answer.length, 10, warmup);
        for (const level of opts.concurrency) {
          const rss = rssSampler();
          const r = await d.level('/lookup New York', answer.length, level, opts.requestsPerLevel);
          const floor = floors.get(level)!;
          rows.push({
            level,
            p50: r.p50,
            p99: r.p99,
            throughput: r.throughput,
            floorP50: floor.p50,
            floorP99: floor.p99,
            peakRssMB: rss.stop(),
          });
        }
      } finally {
        await adapter.stop();
      }
    } finally {
      await app.close();
    }
  } finally {
    fake.onCall = undefined;
    await fake.close();
    await rm(dataDir, { recursive: true, force: true });
  }
  return rows;
}
