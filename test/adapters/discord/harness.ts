/**
 * The Discord adapter under test: the real App on a fresh PGlite, the real discord.js client of
 * the adapter, and the local fake Discord. Logs are captured so tests can check what they hold.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { allCommands } from '../../../commands/index.ts';
import { createApp, type App } from '../../../src/app.ts';
import { fromTemplate } from '../../support/data-dir-template.ts';
import { loadConfig } from '../../../src/config.ts';
import type { Logger } from '../../../src/core/context.ts';
import { Lantern } from '../../../src/core/lantern.ts';
import type { AnyCommand } from '../../../src/core/commands/command.types.ts';
import { defineCommand } from '../../../commands/define.ts';
import type { Reply } from '../../../src/core/reply.ts';
import { ok } from '../../../src/core/result.ts';
import { HttpServer } from '../../../src/http.ts';
import type { RunningAdapter } from '../../../src/adapters/adapter.types.ts';
import { createDiscordAdapter, type DiscordAdapter, type DiscordAdapterOptions } from '../../../src/adapters/discord/discord.adapter.ts';
import { FAKE, startFakeDiscord, type FakeDiscord } from '../../support/fake-discord.ts';

/** One captured log line. */
export interface LogEntry {
  level: string;
  obj: object;
  msg?: string | undefined;
}

/** A logger that keeps every line in memory. */
export function captureLogger(): Logger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const at = (level: string) => (obj: object, msg?: string) => void entries.push({ level, obj, msg });
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** The environment a test's configuration is built from. */
export function discordEnv(fake: FakeDiscord, dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    LANTERN_DATA_DIR: dataDir,
    DISCORD_TOKEN: 'x'.repeat(30) + '.fake',
    DISCORD_APPLICATION_ID: FAKE.applicationId,
    DISCORD_API_ROOT: fake.apiRoot,
    DISCORD_TRIAGE_GUILD_ID: FAKE.triageGuild.id,
    DISCORD_TRIAGE_ROLE_IDS: FAKE.triageRole,
    DISCORD_TRIAGE_REVIEWER_ROLE_IDS: FAKE.reviewerRole,
    DISCORD_TRIAGE_CHANNEL_ID: FAKE.triageChannel,
    ...extra,
  };
}

/** A running adapter on a fake. */
export interface Harness {
  fake: FakeDiscord;
  app: App;
  adapter: DiscordAdapter;
  running: RunningAdapter;
  log: ReturnType<typeof captureLogger>;
  close(): Promise<void>;
}

/** Starts the fake, the App and the adapter; `extraCommands` are added to the real ones. */
export async function startHarness(
  opts: { extraCommands?: AnyCommand[]; adapter?: DiscordAdapterOptions; env?: Record<string, string> } = {},
): Promise<Harness> {
  const fake = await startFakeDiscord();
  // A copy of the run's template database: a new one costs ~4 s, and these tests are not about it.
  const dataDir = fromTemplate(await mkdtemp(path.join(tmpdir(), 'lantern-discord-')));
  const config = loadConfig(discordEnv(fake, dataDir, opts.env));
  const log = captureLogger();
  const app = await createApp(config, log);
  const lantern = new Lantern([...allCommands, ...(opts.extraCommands ?? [])]);
  const adapter = createDiscordAdapter({ app, lantern, config, log, http: new HttpServer() }, opts.adapter);
  const running = await adapter.start();
  return {
    fake,
    app,
    adapter,
    running,
    log,
    async close() {
      await running.stop();
      await fake.close();
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A test-only command answering `reply` after `delayMs` (past the adapter's defer time when long enough). */
export function testCommand(
  name: string,
  reply: () => Reply,
  opts: { delayMs?: number; audience?: 'everyone' | 'triage' } = {},
): AnyCommand {
  return defineCommand({
    name,
    description: 'cmd.help.description',
    usage: 'cmd.help.usage',
    audience: opts.audience ?? 'everyone',
    where: 'anywhere',
    options: {},
    handler: async () => {
      if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
      return ok(reply());
    },
  }) as unknown as AnyCommand;
}
