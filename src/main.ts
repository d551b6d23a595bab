/**
 * Starts Lantern as configured: the console adapter on the embedded database by default;
 * Telegram and/or Discord when their tokens are set. Fails fast with one clear line on bad
 * configuration (exit 2) or unusable storage (exit 1). SIGTERM/SIGINT stop adapters first,
 * let in-flight work finish, then close the database.
 */
import { warmLookup } from './core/lookup/gazetteer.ts';
import { parseArgs } from 'node:util';
import { allCommands } from '../commands/index.ts';
import { validateCommands } from '../commands/define.ts';
import { createApp, type App } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { StorageError } from './db/client.ts';
import { DatasetUnverifiedError } from './core/dataset/verify.ts';
import { isLocale, LOCALES } from './core/i18n/locales.ts';
import { Lantern } from './core/lantern.ts';
import type { AdapterEnv, RunningAdapter } from './adapters/adapter.types.ts';
import { createLogger } from './logging.ts';
import { HttpServer } from './http.ts';
import { localeFromEnv, runConsole } from './adapters/console/console.adapter.ts';
import { t } from './core/i18n/catalog.ts';
import { toLocale } from './core/i18n/locales.ts';
import { logFormatFor } from './logging.ts';
import { startupFailureMessage } from './startup-failure.ts';

const USAGE = `Usage: npm start [-- --json] [-- --locale ${LOCALES.join('|')}] [-- --as reviewer|lead] [-- --save-files <dir>]`;

function fail(message: string, code: number): never {
  process.stderr.write(`lantern: ${message}\n`);
  process.exit(code);
}

async function startPlatforms(env: AdapterEnv): Promise<RunningAdapter[]> {
  const running: RunningAdapter[] = [];
  // ── platform adapters (each block is owned by its adapter) ──
  // telegram: start here
  // Loaded only when configured, so the console never loads grammY or discord.js.
  if (env.config.telegram) running.push(await (await import('./adapters/telegram/telegram.adapter.ts')).startTelegram(env));
  // discord: start here
  if (env.config.discord) running.push(await (await import('./adapters/discord/discord.adapter.ts')).startDiscord(env));
  return running;
}

async function main() {
  let args;
  try {
    args = parseArgs({
      options: {
        json: { type: 'boolean', default: false },
        locale: { type: 'string' },
        as: { type: 'string' },
        'save-files': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    });
  } catch (e) {
    fail(`${(e as Error).message}\n${USAGE}`, 2);
  }
  if (args.values.help) {
    process.stdout.write(USAGE + '\n');
    return;
  }
  const locale = args.values.locale;
  if (locale !== undefined && !isLocale(locale)) fail(`unknown locale "${locale}": use one of ${LOCALES.join(', ')}`, 2);
  if (args.values.as !== undefined && !['triage', 'lead', 'reviewer'].includes(args.values.as))
    fail(`--as takes "reviewer", "lead" or "triage" (a lead) (got "${args.values.as}")`, 2);

  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) fail(e.message, 2);
    throw e;
  }
  validateCommands(allCommands);
  // On the console, stderr shares the terminal: only warnings unless LOG_LEVEL asks for more.
  const consoleOnly = !config.telegram && !config.discord;
  const log = createLogger(consoleOnly && !process.env.LOG_LEVEL ? 'warn' : config.logLevel, 2, logFormatFor(process.stderr));
  const started = performance.now();
  const localeHint = localeFromEnv(process.env);
  // A first start creates the embedded database (seconds): say so, on stderr (stdout may be JSON),
  // once the disk checks passed (a refusal stays one line).
  const onNewDatabase = () => process.stderr.write(t(locale ?? toLocale(localeHint, config.defaultLocale), 'console.preparing') + '\n');

  let app: App;
  try {
    app = await createApp(config, log, { onNewDatabase });
  } catch (e) {
    if (e instanceof StorageError) fail(e.message, 1);
    if (e instanceof DatasetUnverifiedError) fail(e.message, 1);
    if (e instanceof ConfigError) fail(e.message, 2); // keys refused (src/keys.ts)
    throw e;
  }
  const lantern = new Lantern(allCommands);
  const http = new HttpServer();
  http.readiness('database', async () => {
    await app.db.prisma.$queryRawUnsafe('SELECT 1');
    return true;
  });

  if (config.telegram || config.discord) {
    // Listen first: Telegram's setWebhook must find the webhook route already served.
    const port = config.httpPort !== undefined ? await http.listen(config.httpPort, config.httpHost) : undefined;
    let running: RunningAdapter[];
    try {
      running = await startPlatforms({ app, lantern, config, log, http });
    } catch (e) {
      await http.close().catch(() => {});
      await app.close().catch(() => {});
      fail(`could not start: ${(e as Error).message.split('\n')[0]}`, 1);
    }
    if (running.length === 0) {
      await app.close();
      fail('a platform token is set but its adapter is not available in this build', 2);
    }
    const stopJobs = app.startJobs();
    log.info({ adapters: running.map((r) => r.name), httpPort: port, startupMs: Math.round(performance.now() - started) }, 'lantern ready');
    // lookup: the gazetteer and 简/繁 converter load once in the background (~1 s), not on someone's first query.
    setImmediate(
      () => void warmLookup().catch((e: Error) => log.warn({ err: e.message }, 'lookup: gazetteer not preloaded (loaded on first need)')),
    );
    let stopping = false;
    const shutdown = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, 'shutting down');
      await Promise.allSettled(running.map((r) => r.stop()));
      await stopJobs();
      await http.close();
      await app.close();
      process.exit(0);
    };
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
    process.once('SIGINT', () => void shutdown('SIGINT'));
    return;
  }

  if (config.httpPort !== undefined) await http.listen(config.httpPort, config.httpHost);
  const stopJobs = app.startJobs();
  // SIGTERM: the command being answered is finished, then everything closes in order.
  const stop = new AbortController();
  process.once('SIGTERM', () => stop.abort());
  await runConsole(app, lantern, {
    signal: stop.signal,
    json: args.values.json,
    locale,
    localeHint,
    color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
    asTriage: args.values.as !== undefined,
    role: args.values.as === 'reviewer' ? 'reviewer' : 'lead',
    input: process.stdin,
    output: process.stdout,
    interactive: Boolean(process.stdin.isTTY),
    saveFilesTo: args.values['save-files'],
  });
  await stopJobs();
  await http.close();
  await app.close();
  if (stop.signal.aborted) process.exit(0); // stdin may still be open
}

main().catch((e: unknown) => {
  process.stderr.write(`lantern: ${startupFailureMessage(e)}\n`);
  process.exit(1);
});
