/**
 * The answer to an interaction: the core's Reply sent through the interaction's token, deferred
 * ("thinking…") when the core is slow, ephemeral when the answer or the chat is private, and sent
 * as an ordinary message once the token has expired.
 */
import { DiscordAPIError, MessageFlags, RESTJSONErrorCodes, type Interaction, type RepliableInteraction } from 'discord.js';
import type { CoreContext } from '../../core/context.ts';
import { t } from '../../core/i18n/catalog.ts';
import { textReply, type Reply } from '../../core/reply.ts';
import { placeOf, contextFor } from './people.ts';
import { DISCORD_LIMITS, renderReply, toMessage, toPayload, type UploadLimits } from './render.ts';
import { firstResponse, onceOnly } from './rest.ts';
import { deleteIn, render } from './send.ts';
import type { DiscordState } from './state.ts';

/** Upload limits of an interaction: its own per-file limit (boosts raise it), 25 MiB a request. */
const uploadsOf = (i: Interaction): UploadLimits => ({
  fileBytes: i.attachmentSizeLimit || DISCORD_LIMITS.fileBytes,
  requestBytes: DISCORD_LIMITS.requestBytes,
});

/**
 * Answers an interaction with the Reply the core produces. The clock starts before anything
 * reads the database (the actor included): if the answer is not ready after `deferAfterMs`,
 * the interaction is deferred, ephemeral when the chat or the command says the answer is
 * private (Discord drops an interaction not acknowledged within 3 s).
 */
export async function answer(
  s: DiscordState,
  i: RepliableInteraction,
  chat: CoreContext['chat'],
  privateAnswer: boolean,
  work: (ctx: CoreContext) => Promise<Reply>,
): Promise<void> {
  const dm = placeOf(i) === 'dm';
  const done = (async () => {
    const ctx = await contextFor(s, i, chat);
    return { ctx, reply: await work(ctx) };
  })();
  // If deferring fails first, the core's own failure must not become an unhandled rejection.
  done.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const slow = new Promise<'slow'>((resolve) => (timer = setTimeout(() => resolve('slow'), s.deferAfterMs)));
  const first = await Promise.race([done, slow]);
  clearTimeout(timer);
  let deferredEphemeral: boolean | undefined;
  if (first === 'slow') {
    deferredEphemeral = !dm && (chat === 'private' || privateAnswer);
    await firstResponse(
      () => i.deferReply(deferredEphemeral ? { flags: MessageFlags.Ephemeral } : {}),
      () => (i.deferred = true),
    );
  }
  const { ctx } = await done;
  let { reply } = await done;
  // Files cannot be attached to an ephemeral conversation: say where they can go.
  if (reply.acceptsFile && !dm)
    reply = { ...reply, blocks: [...reply.blocks, { type: 'notice', text: t(ctx.actor.locale, 'discord.evidence_in_dm') }] };
  const ephemeral = !dm && (reply.private || chat === 'private');
  const list = render(s, reply, ctx.actor.locale, ephemeral || dm, uploadsOf(i)).map((m) => toPayload(m, ephemeral));
  if (deferredEphemeral === undefined && list.some((m) => m.files.length)) {
    // An upload of megabytes can take longer than the 3 s left: acknowledge first, then upload.
    deferredEphemeral = ephemeral;
    await firstResponse(
      () => i.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
      () => (i.deferred = true),
    );
  }
  if (reply.deleteChoiceMessage && i.isMessageComponent() && deferredEphemeral === undefined) {
    // The pressed message (the receipt) becomes the answer: its text leaves the chat, DM or ephemeral.
    const { flags: _flags, ...edit } = list[0]!;
    return void (await firstResponse(
      () => i.update({ ...edit, components: [] }),
      () => (i.replied = true),
    ));
  }
  const keep = Boolean(reply.track) && dm; // only DM messages can be deleted later ("forget me")
  const ids: string[] = [];
  const late = lateSender(s, i, ephemeral || dm);
  if (deferredEphemeral === false && ephemeral) {
    // Deferred in public, the answer is private: the public "thinking…" becomes a neutral line
    // (an edit, never a delete), then the answer follows as new ephemeral messages (documented
    // for follow-ups once the original response exists).
    const notice = renderReply(textReply(t(ctx.actor.locale, 'discord.answered_privately')), ctx.actor.locale)[0]!;
    await late(() => i.editReply(toMessage(notice)), toMessage(notice));
    for (const p of list) ids.push(await late(() => i.followUp(p), p));
    return;
  }
  for (const [n, p] of list.entries()) {
    if (n > 0) {
      ids.push(await late(() => i.followUp(p), p));
    } else if (deferredEphemeral !== undefined) {
      // the deferred response keeps the flag it was deferred with; an edit cannot change it
      const { flags: _flags, ...edit } = p;
      ids.push(await late(() => i.editReply(edit), p));
    } else if (keep) {
      const r = await firstResponse(
        () => i.reply({ ...p, withResponse: true }),
        () => (i.replied = true),
      );
      const id = r ? r.resource?.message?.id : (await i.fetchReply()).id;
      if (id) ids.push(id);
    } else {
      await firstResponse(
        () => i.reply(p),
        () => (i.replied = true),
      );
    }
  }
  if (keep && ids.length) await s.lantern.recordSent(ctx, ids);
  if (reply.deleteMessages?.length && dm && i.channel) await deleteIn(s, i.channel, reply.deleteMessages);
}

/**
 * Sends through the interaction's token, or, once Discord says the token is gone ("Interaction
 * tokens are valid for 15 minutes": 10015 Unknown Webhook, after a very long rate limit or a
 * stalled database), as an ordinary message: a private answer by DM to the person, never into
 * the channel; a public one into the channel. Returns the message id.
 */
function lateSender(s: DiscordState, i: RepliableInteraction, privately: boolean) {
  return async (
    viaToken: () => Promise<{ id: string }>,
    p: ReturnType<typeof toPayload> | ReturnType<typeof toMessage>,
  ): Promise<string> => {
    try {
      return (await viaToken()).id;
    } catch (e) {
      if (!(e instanceof DiscordAPIError && e.code === RESTJSONErrorCodes.UnknownWebhook)) throw e;
      const { flags: _flags, ...plain } = p as ReturnType<typeof toPayload>;
      const target = privately ? await i.user.createDM() : i.channel;
      if (!target?.isSendable()) throw e;
      s.log.info({ interaction: i.id }, 'interaction token expired; the answer goes as a message');
      return (await target.send({ ...plain, ...onceOnly() })).id;
    }
  };
}
