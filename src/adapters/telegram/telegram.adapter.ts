/**
 * The Telegram adapter (grammY). It only translates: an update becomes one Lantern call with a
 * CoreContext, and the Reply is rendered as HTML messages (see deliver.ts for where they go).
 *
 * - text "/name args" -> lantern.commandLine (with "@bot" stripped; "/start report" opens the
 *   report, plain "/start" shows help); other text in a private chat -> lantern.text
 * - button press -> lantern.choice; inline query -> suggestions, each with its rendered lookup
 * - shared location (private chat) -> lantern.nearest; photo or file (private chat) -> lantern.file
 *
 * Runs with long polling (@grammyjs/runner) or, when TELEGRAM_WEBHOOK_URL is set, as a webhook
 * mounted on the bot's HTTP server. Plugins: auto-retry (429 / 5xx), per-person flood control,
 * per-chat ordering. Logs carry update ids and API methods, never people, chats or text.
 *
 * Telegram's rules kept here: a 429 is waited out however long it asks, and every call to that
 * chat waits behind it (nothing is cut short or reordered); a group upgraded to a supergroup is
 * followed to its new id (stored); forum topics get message_thread_id on every message; button
 * presses are answered before the delivery starts.
 *
 * The parts, each in its file, share one state object built here (./state.ts): pipeline.ts (the
 * bot's plugins, the 429 hold), error-boundary.ts, handlers.ts (messages, buttons), inline.ts,
 * start-payloads.ts, people.ts, files.ts, migrations.ts, triage-group.ts, deliver.ts, lifecycle.ts.
 */
import { Bot } from 'grammy';
import type { AdapterEnv } from '../adapter.types.ts';
import { InFlight } from '../kit/in-flight.ts';
import { CallbackTokens } from './callback-tokens.ts';
import { dueDeletions } from './deletions.ts';
import { registerHandlers } from './handlers.ts';
import { registerInline } from './inline.ts';
import { startBot, type StartOptions } from './lifecycle.ts';
import { ChatMigrations } from './migrations.ts';
import { installApiCalls, installPipeline } from './pipeline.ts';
import type { RunningTelegram, TelegramBot, TelegramBotOptions, TelegramState } from './state.ts';
import { telegramRelay, triageNotifier } from './triage-group.ts';

export { ALLOWED_UPDATES } from './lifecycle.ts';
export type { FloodOptions, RunningTelegram, TelegramBot, TelegramBotOptions, TelegramConfig } from './state.ts';

/** Builds the bot: plugins, handlers and the one error handler. Call bot.init() (or pass botInfo) before use. */
export function createTelegramBot(opts: TelegramBotOptions): TelegramBot {
  const { app, lantern, log, telegram: tg } = opts;
  const bot = new Bot(tg.token, { client: tg.apiRoot ? { apiRoot: tg.apiRoot } : {}, ...(opts.botInfo ? { botInfo: opts.botInfo } : {}) });
  const s: TelegramState = {
    app,
    lantern,
    log,
    tg,
    bot,
    migrations: new ChatMigrations(app, log, tg.triageChatId),
    tokens: new CallbackTokens(),
    inFlight: new InFlight(),
    lastUpdateId: undefined,
    deleteDue: dueDeletions(bot.api, app.deletions, log),
  };
  installApiCalls(s, opts.retry);
  const guarded = installPipeline(s, opts.flood);
  registerHandlers(s, guarded);
  registerInline(s, guarded);
  return {
    bot,
    settled: () => s.inFlight.settled(),
    lastUpdateId: () => s.lastUpdateId,
    deleteDue: s.deleteDue,
    notifier: triageNotifier(s),
    relay: telegramRelay(s),
    triageChatId: () => s.migrations.triageChat(),
    loadMigrations: () => s.migrations.load(),
  };
}

/**
 * Starts the Telegram adapter: checks the token (getMe), registers the command menus, plugs in
 * the triage notifier and relay, then receives updates by long polling or webhook.
 * Webhook mode needs HTTP_PORT (the port the reverse proxy forwards TELEGRAM_WEBHOOK_URL to).
 */
export async function startTelegram(env: AdapterEnv, extra: StartOptions = {}): Promise<RunningTelegram> {
  const tg = env.config.telegram;
  if (!tg) throw new Error('startTelegram needs TELEGRAM_BOT_TOKEN');
  if (tg.webhookUrl && env.config.httpPort === undefined)
    throw new Error('TELEGRAM_WEBHOOK_URL needs HTTP_PORT: set it to the local port your reverse proxy forwards the webhook to');
  return startBot(env, createTelegramBot({ app: env.app, lantern: env.lantern, log: env.log, telegram: tg, ...extra }));
}
