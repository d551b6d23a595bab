/** What every way of sending shares: the rule that files only go to private places, and deleting DM messages. */
import { ChannelType, type Interaction, type Message } from 'discord.js';
import type { Locale } from '../../core/i18n/locales.ts';
import type { Reply } from '../../core/reply.ts';
import { errorFields } from '../kit/error-fields.ts';
import { renderReply, type DiscordMessage, type UploadLimits } from './render.ts';
import { discordErrorFields } from './rest.ts';
import type { DiscordState } from './state.ts';

/** Files only ever go to a private place; a public reply with files is a core bug, not sent. */
export function render(s: DiscordState, reply: Reply, locale: Locale, privatePlace: boolean, uploads?: UploadLimits): DiscordMessage[] {
  if (reply.files?.length && !privatePlace) {
    s.log.warn({ files: reply.files.length }, 'files in a public Discord reply were not sent');
    reply = { ...reply, files: [] };
  }
  return renderReply(reply, locale, uploads);
}

/** Deletes messages in a DM (a bot can delete only its own there; anywhere else nothing is deleted). */
export async function deleteIn(
  s: DiscordState,
  channel: NonNullable<Interaction['channel']> | Message['channel'],
  ids: string[],
): Promise<void> {
  if (channel.type !== ChannelType.DM) return;
  for (const id of ids)
    await channel.messages
      .delete(id)
      .catch((e: unknown) => s.log.debug({ err: errorFields(e, discordErrorFields) }, 'a DM message could not be deleted'));
}
