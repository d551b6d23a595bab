/** Plain messages in the bot's DMs: the answer to a report step, an evidence file, or "/command args". */
import { ChannelType, type Message } from 'discord.js';
import type { CoreContext } from '../../core/context.ts';
import { pseudonym } from '../../core/crypto/crypto.ts';
import { t } from '../../core/i18n/catalog.ts';
import { toLocale } from '../../core/i18n/locales.ts';
import { textReply, type Reply } from '../../core/reply.ts';
import { parseCommandLine } from '../kit/command-line.ts';
import { errorFields } from '../kit/error-fields.ts';
import { DISCORD_CAPABILITIES } from './capabilities.ts';
import { downloadAttachment } from './files.ts';
import { renderReply } from './render.ts';
import { discordErrorFields, postOnce } from './rest.ts';
import { deleteIn, render } from './send.ts';
import type { DiscordState } from './state.ts';

/** Answers one DM message; its own error boundary answers a failure with an apology in the DM. */
export async function onDirectMessage(s: DiscordState, m: Message): Promise<void> {
  if (m.author.bot || m.guildId || m.channel.type !== ChannelType.DM) return;
  const { app, lantern } = s;
  const channel = m.channel;
  // A message carries no locale: the language of the person's last interaction, if any.
  const hint = s.locales.get(pseudonym(app.keyring, 'discord', m.author.id));
  try {
    const actor = await app.actor('discord', m.author.id, { localeHint: hint });
    const ctx: CoreContext = { actor, chat: 'private', deps: app.deps, capabilities: DISCORD_CAPABILITIES, route: m.channelId };
    const replies: Reply[] = [];
    const text = m.content.trim();
    const command = parseCommandLine(text);
    if (command) replies.push(await lantern.commandLine(command.name, command.args, ctx));
    else if (text) replies.push(await lantern.text(text, ctx));
    // over the evidence limit a file is not downloaded, and the core refuses it by its size
    for (const a of m.attachments.values()) replies.push(await lantern.file(await downloadAttachment(a, s.maxBytes), ctx));
    for (const reply of replies) {
      const ids: string[] = [];
      for (const msg of render(s, reply, actor.locale, true)) ids.push((await channel.send(postOnce(msg))).id);
      if (reply.track && ids.length) await lantern.recordSent(ctx, ids);
      if (reply.deleteMessages?.length) await deleteIn(s, channel, reply.deleteMessages);
    }
  } catch (error) {
    s.log.error({ messageId: m.id, err: errorFields(error, discordErrorFields) }, 'discord direct message failed');
    const locale = toLocale(hint, app.config.defaultLocale);
    const apology = renderReply(textReply(t(locale, app.apologyFor(error))), locale)[0]!;
    await channel
      .send(postOnce(apology))
      .catch((e2: unknown) => s.log.warn({ messageId: m.id, err: errorFields(e2, discordErrorFields) }, 'discord apology not delivered'));
  }
}
