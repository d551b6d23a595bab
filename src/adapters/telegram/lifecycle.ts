/**
 * Starting and stopping: the token check (getMe), the command menus, the notifier and relay, the
 * sweep of due deletions, then long polling or the webhook; stop() lets the updates in flight
 * finish (within STOP_SETTLE_MS) and confirms what was handled.
 */
import { run, type RunnerHandle } from '@grammyjs/runner';
import { GrammyError, webhookCallback, type Api } from 'grammy';
import type { Logger } from '../../core/context.ts';
import type { AdapterEnv } from '../adapter.types.ts';
import { errorFields } from '../kit/error-fields.ts';
import { DELETION_SWEEP_MS } from './deletions.ts';
import { grammyErrorFields } from './errors.ts';
import { toTelegramCommands } from './registration.ts';
import type { RunningTelegram, TelegramBot, TelegramBotOptions } from './state.ts';

/** The updates Lantern asks Telegram for (everything else is never delivered). */
export const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query', 'inline_query'] as const;

/** How long stopping waits for in-flight updates (a call retrying through a network outage would wait for ever). */
const STOP_SETTLE_MS = 15_000;
const STOP_CONFIRM_MS = 3_000;

async function settleWithin(made: TelegramBot, log: Logger): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = await Promise.race([
    made.settled().then(() => false),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), STOP_SETTLE_MS))),
  ]);
  clearTimeout(timer);
  if (late) log.warn({ waitedMs: STOP_SETTLE_MS }, 'telegram: stopped with updates still in flight (Telegram unreachable?)');
}

/**
 * Starts a created bot: checks the token (getMe), registers the command menus, plugs in the
 * triage notifier and relay, then receives updates by long polling or webhook.
 */
export async function startBot(env: AdapterEnv, made: TelegramBot): Promise<RunningTelegram> {
  const tg = env.config.telegram!;
  const { log } = env;
  const { bot } = made;
  await made.loadMigrations();
  try {
    await bot.init();
  } catch (e) {
    if (e instanceof GrammyError && e.error_code === 401)
      throw new Error('Telegram refused TELEGRAM_BOT_TOKEN (401): check it with @BotFather', { cause: e });
    throw e;
  }

  // The triage menu goes to the group's id now (an upgraded group's menu is registered at the next start).
  for (const p of toTelegramCommands(env.lantern.commands, { triageChatId: made.triageChatId() })) {
    try {
      await bot.api.setMyCommands(p.commands, { scope: p.scope, ...(p.language_code ? { language_code: p.language_code } : {}) });
    } catch (e) {
      // Most often: the bot is not (yet) a member of the triage group. The other menus still work.
      log.warn(
        { scope: p.scope.type, language: p.language_code ?? 'default', err: errorFields(e, grammyErrorFields) },
        'telegram: command menu not registered',
      );
    }
  }
  if (made.notifier) env.app.registerNotifier(made.notifier);
  env.app.registerRelay('telegram', made.relay);
  // Views that fell due while no process ran are deleted now; later ones by their timer or a sweep.
  void made.deleteDue();
  const sweep = setInterval(() => void made.deleteDue(), DELETION_SWEEP_MS);
  sweep.unref();

  let stopped = false;
  if (tg.webhookUrl) {
    const path = new URL(tg.webhookUrl).pathname;
    const handle = webhookCallback(bot, 'http', { secretToken: tg.webhookSecret, onTimeout: 'return', timeoutMilliseconds: 9_000 });
    env.http.route('POST', path, async (req, res) => {
      // While stopping, Telegram is told to come back later (it retries the update).
      if (stopped) return void res.writeHead(503).end();
      await handle(req, res);
    });
    await bot.api.setWebhook(tg.webhookUrl, { secret_token: tg.webhookSecret, allowed_updates: [...ALLOWED_UPDATES] });
    env.http.readiness('telegram', () => !stopped);
    log.info({ mode: 'webhook' }, 'telegram adapter started'); // not the path: some operators make it secret too
    return {
      name: 'telegram',
      settled: made.settled,
      async stop() {
        stopped = true;
        clearInterval(sweep);
        await settleWithin(made, log);
      },
    };
  }

  // A webhook left from an earlier deployment would make getUpdates fail with 409.
  await bot.api.deleteWebhook();
  // silent: the runner would print errors with console.error; the transformer above logs them instead.
  const runner: RunnerHandle = run(bot, { runner: { fetch: { timeout: 30, allowed_updates: [...ALLOWED_UPDATES] }, silent: true } });
  runner
    .task()
    ?.catch((e: unknown) =>
      log.error({ err: errorFields(e, grammyErrorFields) }, 'telegram long polling stopped; the adapter is not receiving updates'),
    );
  env.http.readiness('telegram', () => !stopped && runner.isRunning());
  log.info({ mode: 'long-polling' }, 'telegram adapter started');
  return {
    name: 'telegram',
    settled: made.settled,
    async stop() {
      stopped = true;
      clearInterval(sweep);
      if (runner.isRunning()) await runner.stop();
      await settleWithin(made, log);
      // Confirm what was handled, so the next start does not receive those updates again.
      const last = made.lastUpdateId();
      if (last !== undefined)
        await bot.api
          .getUpdates(
            { offset: last + 1, limit: 1, timeout: 0 },
            AbortSignal.timeout(STOP_CONFIRM_MS) as unknown as Parameters<Api['getUpdates']>[1],
          )
          .catch(() => undefined);
    },
  };
}

/** Options startTelegram passes on to createTelegramBot. */
export type StartOptions = Pick<TelegramBotOptions, 'flood' | 'retry' | 'botInfo'>;
