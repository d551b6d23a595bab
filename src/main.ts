/**
 * Starts Lantern as configured: the console adapter on the embedded database by default;
 * Telegram and/or Discord when their tokens are set. Fails fast with one clear line on bad
 * configuration (exit 2) or unusable storage (exit 1).
 */
import { parseArgs } from 'node:util';
import { allCommands } from '../commands/index.ts';
import { validateCommands } from '../commands/define.ts';
import { createApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { StorageError } from './db/client.ts';
import { isLocale, LOCALES } from './core/i18n/locales.ts';
import { createLogger } from './logging.ts';
import { runConsole } from './adapters/console/console.adapter.ts';
import { Lantern } from './core/lantern.ts';

const USAGE = `Usage: npm start [-- --json] [-- --locale ${LOCALES.join('|')}] [-- --as triage]`;

function fail(message: string, code: number): never {
  process.stderr.write(`lantern: ${message}\n`);
  process.exit(code);
}

async function main() {
  let args;
  try {
    args = parseArgs({ options: { json: { type: 'boolean', default: false }, locale: { type: 'string' }, as: { type: 'string' }, help: { type: 'boolean', default: false } }, strict: true });
  } catch (e) {
    fail(`${(e as Error).message}\n${USAGE}`, 2);
  }
  if (args.values.help) {
    process.stdout.write(USAGE + '\n');
    return;
  }
  const locale = args.values.locale;
  if (locale !== undefined && !isLocale(locale)) fail(`unknown locale "${locale}": use one of ${LOCALES.join(', ')}`, 2);
  if (args.values.as !== undefined && args.values.as !== 'triage') fail(`--as takes only "triage" (got "${args.values.as}")`, 2);

  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) fail(e.message, 2);
    throw e;
  }
  validateCommands(allCommands);
  const log = createLogger(config.logLevel);

  let app;
  try {
    app = await createApp(config, log);
  } catch (e) {
    if (e instanceof StorageError) fail(e.message, 1);
    throw e;
  }
  const stop = async () => {
    await app.close().catch(() => {});
  };
  process.once('SIGTERM', () => void stop().then(() => process.exit(0)));

  if (config.telegram || config.discord) {
    await stop();
    fail('the Telegram and Discord adapters are not part of this build yet; unset TELEGRAM_BOT_TOKEN / DISCORD_TOKEN to use the console', 2);
  }
  await runConsole(app, new Lantern(allCommands), {
    json: args.values.json,
    locale,
    asTriage: args.values.as === 'triage',
    input: process.stdin,
    output: process.stdout,
    interactive: Boolean(process.stdin.isTTY),
  });
  await stop();
}

main().catch((e: unknown) => {
  process.stderr.write(`lantern: unexpected failure at start: ${(e as Error).message}\n`);
  process.exit(1);
});
