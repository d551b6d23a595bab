/** The discord.js client Lantern runs: the intents, the caches it may keep, and its own log lines. */
import { Client, Events, GatewayIntentBits, Options, Partials } from 'discord.js';
import type { Logger } from '../../core/context.ts';
import { errorFields } from '../kit/error-fields.ts';
import { discordErrorFields, retryingDroppedConnections } from './rest.ts';

/**
 * A client that caches no messages, users or members (report text typed in DMs does not linger in
 * memory) and mentions nobody, whatever a message says.
 */
export function createClient(config: { apiRoot?: string | undefined }, log: Logger): Client {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.DirectMessages],
    // DM channels are not cached before the first message: without this, DM messages are dropped.
    partials: [Partials.Channel],
    // as many shards as Discord recommends (one below 2,500 servers), all in this process
    shards: 'auto',
    rest: { ...(config.apiRoot ? { api: config.apiRoot } : {}), makeRequest: retryingDroppedConnections },
    allowedMentions: { parse: [] },
    makeCache: Options.cacheWithLimits({
      ...Options.DefaultMakeCacheSettings,
      MessageManager: 0,
      UserManager: { maxSize: 0, keepOverLimit: (u) => u.id === u.client.user?.id },
      GuildMemberManager: { maxSize: 0, keepOverLimit: (m) => m.id === m.client.user?.id },
    }),
  });
  client.on(Events.Error, (e) => log.error({ err: errorFields(e, discordErrorFields) }, 'discord client error'));
  client.on(Events.Warn, (warning) => log.warn({ warning }, 'discord client warning'));
  client.on(Events.ShardDisconnect, (event, shard) =>
    log.warn({ shard, closeCode: event.code }, 'discord gateway disconnected; discord.js reconnects'),
  );
  return client;
}
