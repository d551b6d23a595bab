/** The triage channel: where new-report notices are posted (id, category, severity, time; never content). */
import type { SendableChannels } from 'discord.js';
import type { TriageNotifier } from '../../core/triage/notifier.ts';
import { postOnce } from './rest.ts';
import { render } from './send.ts';
import type { DiscordState } from './state.ts';

/** The triage channel, checked to be a text channel of the triage guild (never anywhere else). */
export async function triageChannel(s: DiscordState, channelId: string): Promise<SendableChannels> {
  const { client, config } = s;
  const channel = await client.channels.fetch(channelId).catch((e: Error) => {
    throw new Error(
      `the bot cannot read DISCORD_TRIAGE_CHANNEL_ID ${channelId} (${e.message}): invite it to the triage server and let it view and send messages in that channel`,
    );
  });
  if (!channel || channel.isDMBased() || channel.guildId !== config.triageGuildId || !channel.isSendable())
    throw new Error(
      `DISCORD_TRIAGE_CHANNEL_ID ${channelId} is not a text channel of the triage server DISCORD_TRIAGE_GUILD_ID ${config.triageGuildId}`,
    );
  return channel;
}

/** The notifier posting into the triage channel (checked again at every notice: a channel can be moved or its rights changed). */
export function triageNotifier(s: DiscordState, channelId: string): TriageNotifier {
  return {
    platform: 'discord',
    // The core renders the notice (id, category, severity, time — never content); we only post it.
    deliver: async (_notice, rendered) => {
      const channel = await triageChannel(s, channelId);
      for (const m of render(s, rendered, s.app.config.defaultLocale, false)) await channel.send(postOnce(m));
    },
  };
}
