/**
 * Shared setup of the Telegram end-to-end tests: the real App on a fresh embedded database, the
 * real adapter (grammY, runner, plugins) against the fake Bot API, and small helpers to send an
 * update and read what the bot sent back.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { InlineKeyboardMarkup } from 'grammy/types';
import { allCommands } from '../../../commands/index.ts';
import { startTelegram, type RunningTelegram, type TelegramBotOptions } from '../../../src/adapters/telegram/telegram.adapter.ts';
import { createApp, type App } from '../../../src/app.ts';
import { fromTemplate } from '../../support/data-dir-template.ts';
import { loadConfig } from '../../../src/config.ts';
import { Lantern } from '../../../src/core/lantern.ts';
import { HttpServer } from '../../../src/http.ts';
import { memoryLogger } from '../../support/memory.ts';
import { startFakeTelegram, type FakeCall, type FakeTelegram, type StrictOptions, type UpdateInput } from '../../support/fake-telegram.ts';

/** What the bot did while handling one update. */
export interface Asked {
  /** index in the fake's call log before the update */
  after: number;
  calls: FakeCall[];
  /** the messages it sent to this chat (successfully), in order */
  to(chatId: number): FakeCall[];
  /** their texts joined */
  textTo(chatId: number): string;
}

export const TOKEN = '123456:TEST-telegram-adapter-token-0001';

/** A running bot against a fake, with its app and logs. */
export interface Harness {
  fake: FakeTelegram;
  app: App;
  http: HttpServer;
  adapter: RunningTelegram;
  log: ReturnType<typeof memoryLogger>;
  dataDir: string;
  /** sends an update and waits until the bot has handled it completely */
  ask(update: UpdateInput): Promise<Asked>;
  stop(): Promise<void>;
}

/** Starts app + adapter; `env` adds variables (webhook, triage…). */
export async function startHarness(
  env: Record<string, string> = {},
  extra: Pick<TelegramBotOptions, 'flood' | 'retry'> = {},
  shared?: { app: App; log: ReturnType<typeof memoryLogger> },
  strict?: StrictOptions,
): Promise<Harness> {
  const fake = await startFakeTelegram({ token: TOKEN, ...(strict ? { strict } : {}) });
  // A copy of the run's template database: a new one costs ~4 s, and these tests are not about it.
  const dataDir = shared
    ? await mkdtemp(path.join(tmpdir(), 'lantern-telegram-'))
    : fromTemplate(await mkdtemp(path.join(tmpdir(), 'lantern-telegram-')));
  const config = loadConfig({
    LANTERN_DATA_DIR: dataDir,
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: fake.url,
    LOG_LEVEL: 'silent',
    ...env,
  });
  const log = shared?.log ?? memoryLogger();
  const app = shared?.app ?? (await createApp(config, log));
  const http = new HttpServer();
  const adapter = await startTelegram(
    { app, lantern: new Lantern(allCommands), config, log, http },
    { flood: { timeFrameMs: 10_000, limit: 500 }, ...extra },
  );
  return {
    fake,
    app,
    http,
    adapter,
    log,
    dataDir,
    async ask(update) {
      const after = fake.calls.length;
      const id = fake.push(update);
      // The runner asks for the next batch only after it has started handling this one…
      await fake.waitFor('getUpdates', (c) => Number(c.params.offset) > id, { after });
      // …so once nothing is in flight, everything the update caused has been sent.
      await adapter.settled();
      const calls = fake.calls.slice(after);
      const to = (chatId: number) =>
        calls.filter((c) => c.method === 'sendMessage' && c.status === 200 && Number(c.params.chat_id) === chatId);
      return { after, calls, to, textTo: (chatId) => to(chatId).map(textOf).join('\n') };
    },
    async stop() {
      await adapter.stop();
      await http.close();
      await fake.close();
      if (!shared) {
        await app.close();
        await rm(dataDir, { recursive: true, force: true });
      } else await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Text of a sendMessage call. */
export const textOf = (c: FakeCall) => String(c.params.text);

/** The inline keyboard of a call, if any. */
export function keyboardOf(c: FakeCall): InlineKeyboardMarkup['inline_keyboard'] {
  const markup = c.params.reply_markup as InlineKeyboardMarkup | undefined;
  return markup && 'inline_keyboard' in markup ? markup.inline_keyboard : [];
}

/** The callback data of the intake button for an action ("cat:surveillance", "yes", "submit"…), in the latest keyboard. */
export function intakeButton(calls: FakeCall[], action: string): string {
  for (const c of [...calls].reverse()) {
    const found = keyboardOf(c)
      .flat()
      .find((b) => 'callback_data' in b && b.callback_data.replace(/^rp:\d+:/, '') === action);
    if (found && 'callback_data' in found) return found.callback_data;
  }
  throw new Error(`no button "${action}" in ${JSON.stringify(calls.map((c) => keyboardOf(c)))}`);
}

/** Telegram HTML with the tags the renderer may use removed: what is left must contain no "<". */
export const withoutAllowedTags = (html: string) => html.replace(/<\/?(b|i|blockquote)>|<a href="[^"<>]*">|<\/a>/g, '');
