/**
 * Everything the Discord adapter's parts share, built once when the adapter is created and passed
 * to each of them explicitly: the configuration (checked here, so no part needs to re-check it),
 * the client, the languages seen, the work in flight.
 */
import type { Client } from 'discord.js';
import type { AdapterEnv } from '../adapter.types.ts';
import { InFlight } from '../kit/in-flight.ts';
import { createClient } from './client.ts';
import { RecentLocales } from './recent-locales.ts';

/** The Discord part of the configuration (present when DISCORD_TOKEN is set). */
export type DiscordConfig = NonNullable<AdapterEnv['config']['discord']>;

/** Tuning for tests and the benchmark. */
export interface DiscordAdapterOptions {
  /** answer "thinking…" when the core has not replied after this long (Discord allows 3 s) */
  deferAfterMs?: number;
  /** how long stop() waits for in-flight interactions before closing the connection */
  drainMs?: number;
  /** how long autocomplete and modal-opening buttons wait for a stored language (they cannot be deferred) */
  memoryOnlyMs?: number;
}

/** The adapter's shared state. */
export interface DiscordState {
  env: AdapterEnv;
  app: AdapterEnv['app'];
  lantern: AdapterEnv['lantern'];
  log: AdapterEnv['log'];
  config: DiscordConfig;
  client: Client;
  /** the Discord client language last seen per pseudonym (a DM message carries none) */
  locales: RecentLocales;
  inFlight: InFlight;
  /** set when stop() begins: new events are ignored */
  stopping: boolean;
  deferAfterMs: number;
  memoryOnlyMs: number;
  drainMs: number;
  /** the evidence limit: an attachment over it is not downloaded */
  maxBytes: number;
}

/** Checks the configuration and builds the state (the client is created, nothing is connected). */
export function createState(env: AdapterEnv, opts: DiscordAdapterOptions): DiscordState {
  const config = env.config.discord;
  if (!config) throw new Error('the Discord adapter needs DISCORD_TOKEN and DISCORD_APPLICATION_ID');
  if (config.triageChannelId && !config.triageGuildId)
    throw new Error('DISCORD_TRIAGE_CHANNEL_ID needs DISCORD_TRIAGE_GUILD_ID (the server the triage channel belongs to)');
  return {
    env,
    app: env.app,
    lantern: env.lantern,
    log: env.log,
    config,
    client: createClient(config, env.log),
    locales: new RecentLocales(),
    inFlight: new InFlight(),
    stopping: false,
    deferAfterMs: opts.deferAfterMs ?? 2_000,
    memoryOnlyMs: opts.memoryOnlyMs ?? 300,
    drainMs: opts.drainMs ?? 10_000,
    maxBytes: env.app.config.reports.evidenceMaxBytes,
  };
}
