/**
 * Starting and stopping: the event listeners, the login (with errors that say how to fix them),
 * the triage channel's check and notifier, the relay, readiness; stop() lets the interactions
 * in flight finish (within drainMs) before the connection closes.
 */
import { Events } from 'discord.js';
import type { RunningAdapter } from '../adapter.types.ts';
import { onDirectMessage } from './direct-messages.ts';
import { onInteraction } from './interactions.ts';
import { discordRelay } from './relay.ts';
import type { DiscordState } from './state.ts';
import { triageChannel, triageNotifier } from './triage-channel.ts';

/** Routes the client's events to the handlers, counting each as in flight; none once stopping. */
export function listen(s: DiscordState): void {
  s.client.on(Events.InteractionCreate, (i) => {
    if (!s.stopping) void s.inFlight.track(onInteraction(s, i));
  });
  s.client.on(Events.MessageCreate, (m) => {
    if (!s.stopping) void s.inFlight.track(onDirectMessage(s, m));
  });
}

/** Logs in, checks the triage channel, registers the notifier and the relay. */
export async function start(s: DiscordState): Promise<RunningAdapter> {
  const { client, config, app, log } = s;
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(config.token).catch(async (e: Error & { code?: unknown; status?: number }) => {
    await client.destroy();
    if (e.code === 'TokenInvalid' || e.status === 401)
      throw new Error(
        'Discord refused DISCORD_TOKEN (401 Unauthorized): copy the token again from the Developer Portal → your application → Bot → Reset Token',
      );
    if (e.code === 'DisallowedIntents')
      throw new Error(
        'Discord refused the gateway intents: Lantern needs no privileged intent; check the application in the Developer Portal → Bot',
      );
    throw new Error(`could not connect to Discord${config.apiRoot ? ` at DISCORD_API_ROOT ${config.apiRoot}` : ''}: ${e.message}`);
  });
  await ready;
  if (config.triageGuildId && !config.triageRoleIds.length)
    log.warn({}, 'DISCORD_TRIAGE_GUILD_ID is set but DISCORD_TRIAGE_ROLE_IDS is empty: nobody on Discord is on the triage team');
  const channelId = config.triageChannelId;
  if (channelId) {
    await triageChannel(s, channelId).catch(async (e: Error) => {
      await client.destroy();
      throw e;
    });
    app.registerNotifier(triageNotifier(s, channelId));
  }
  app.registerRelay('discord', discordRelay(s));
  s.env.http.readiness('discord', () => client.isReady());
  log.info(
    { guilds: client.guilds.cache.size, triage: Boolean(config.triageGuildId), notices: Boolean(channelId) },
    'discord adapter ready',
  );
  return { name: 'discord', stop: () => stop(s) };
}

/** Stops taking events, waits for those in flight (at most drainMs), then closes the connection. */
async function stop(s: DiscordState): Promise<void> {
  s.stopping = true;
  await s.inFlight.drain(s.drainMs);
  await s.client.destroy();
}
