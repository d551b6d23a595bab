/** The relay: a triage message sent back to a reporter's DM (the route is the DM channel's id). */
import { ChannelType, DiscordAPIError, RESTJSONErrorCodes } from 'discord.js';
import { textReply } from '../../core/reply.ts';
import type { Relay } from '../../core/triage/triage.ports.ts';
import { renderReply } from './render.ts';
import { postOnce } from './rest.ts';
import type { DiscordState } from './state.ts';

/** Sends `text` to the DM channel `route`; 'REPORTER_UNREACHABLE' when the reporter closed their DMs. */
export function discordRelay(s: DiscordState): Relay {
  return async (route, text) => {
    const channel = await s.client.channels.fetch(route);
    // Routes are DM channel ids; anything else would put a triage message where others read it.
    if (!channel || channel.type !== ChannelType.DM) throw new Error('the relay route is not a Discord DM channel');
    const locale = s.app.config.defaultLocale;
    try {
      for (const m of renderReply(textReply(text, { private: true }), locale)) await channel.send(postOnce(m));
    } catch (e) {
      // 50007: the reporter blocked the bot or closed their DMs; the triager is told so, not given the apology
      if (e instanceof DiscordAPIError && e.code === RESTJSONErrorCodes.CannotSendMessagesToThisUser) return 'REPORTER_UNREACHABLE';
      throw e;
    }
    return undefined;
  };
}
