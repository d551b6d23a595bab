/**
 * The Discord adapter (discord.js 14): slash commands, autocomplete, buttons, selects and modals
 * in servers and DMs, plus plain DM messages (answers to a report step, evidence images). Like
 * every adapter it only translates: an interaction becomes one Lantern call with a CoreContext,
 * and the Reply is rendered by ./render.ts. Rate limits and reconnects are discord.js's job.
 *
 * The parts, each in its file, share one state object built once (./state.ts):
 * interactions.ts and answer.ts (slash commands, components, modals, and how they are answered),
 * direct-messages.ts, triage-channel.ts (the notifier), relay.ts, files.ts (attachments),
 * people.ts (actor, role, language, place), rest.ts (Discord's REST quirks), lifecycle.ts.
 *
 * Safety: every message is sent with `allowedMentions: { parse: [] }`; a private reply or a
 * private conversation in a server is always ephemeral; logs carry interaction/message ids only,
 * never user ids, names or content; messages are not cached (report text typed in DMs does not
 * linger in memory).
 */
import type { Client } from 'discord.js';
import type { AdapterEnv, RunningAdapter } from '../adapter.types.ts';
import { listen, start } from './lifecycle.ts';
import { createState, type DiscordAdapterOptions } from './state.ts';

export type { DiscordAdapterOptions } from './state.ts';

/** A created, not yet started adapter: the client is exposed for tests and the benchmark. */
export interface DiscordAdapter {
  client: Client;
  start(): Promise<RunningAdapter>;
}

/** Creates the adapter (the client is built, nothing is connected yet). */
export function createDiscordAdapter(env: AdapterEnv, opts: DiscordAdapterOptions = {}): DiscordAdapter {
  const state = createState(env, opts);
  listen(state);
  return { client: state.client, start: () => start(state) };
}

/** Starts the Discord adapter (src/main.ts calls this when DISCORD_TOKEN is set). */
export async function startDiscord(env: AdapterEnv): Promise<RunningAdapter> {
  return createDiscordAdapter(env).start();
}
