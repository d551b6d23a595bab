/**
 * Messages and button presses: typed commands ("/name@bot args", "/start <payload>"), text in a
 * private chat, group moves, edits, locations, photos and files (evidence), callback queries.
 */
import type { Composer, Context } from 'grammy';
import type { Message } from 'grammy/types';
import { z } from 'zod';
import { t } from '../../core/i18n/catalog.ts';
import { parseCommandLine } from '../kit/command-line.ts';
import { incomingFile } from '../kit/capped-download.ts';
import { deliverReply, type Origin } from './deliver.ts';
import { downloadFile, FileTooBigError } from './files.ts';
import { coreContext, origin, sender, topicOf } from './people.ts';
import { tHtml } from './render.ts';
import { commandPayload, start } from './start-payloads.ts';
import { delivery, type TelegramState } from './state.ts';

/** What a button press may carry: Telegram's own limit, checked again because webhooks can be forged. */
const CallbackData = z
  .string()
  .min(1)
  .refine((s) => Buffer.byteLength(s, 'utf8') <= 64, 'callback data over 64 bytes');

/** A bot's username as Telegram allows it after "@" in "/name@bot". */
const BOT_NAME = /^[A-Za-z0-9_]{1,64}$/;

/** Registers the message and callback handlers, in the order they are tried. */
export function registerHandlers(s: TelegramState, guarded: Composer<Context>): void {
  const { app, lantern, bot, migrations } = s;

  guarded.on('message:text', async (c) => {
    const m = c.message;
    const from = sender(m);
    const isPrivate = m.chat.type === 'private';
    const line = parseCommandLine(m.text);
    // "/name@not-a-bot-name" is not a command line on Telegram: it is text
    const cmd = line && (line.target === undefined || BOT_NAME.test(line.target)) ? line : undefined;
    if (cmd) {
      const { target, args } = cmd;
      if (target && target.toLowerCase() !== c.me.username.toLowerCase()) return; // addressed to another bot
      const name = cmd.name.toLowerCase();
      // In a group, a command we do not know without "@ourbot" is another bot's business; so are
      // a bare /start and /help, which every bot answers (a group with several bots would get ours).
      if (!isPrivate && !target && (name === 'start' || name === 'help' || !lantern.find(name))) return;
      const ctx = await coreContext(s, from, m.chat);
      const { reply, command } =
        name === 'start' ? await start(lantern, args.trim(), ctx) : { reply: await lantern.commandLine(name, args, ctx), command: name };
      await deliverReply(delivery(s), reply, origin(m, from, command, isPrivate ? undefined : commandPayload(name, args)), ctx);
      return;
    }
    if (!isPrivate) return; // group conversation is not for the bot
    const ctx = await coreContext(s, from, m.chat);
    await deliverReply(delivery(s), await lantern.text(m.text, ctx), origin(m, from), ctx);
  });

  // A group upgraded to a supergroup says so in both chats (service messages); followed at once.
  guarded.on('message:migrate_to_chat_id', (c) => migrations.follow(String(c.message.chat.id), String(c.message.migrate_to_chat_id)));
  guarded.on('message:migrate_from_chat_id', (c) => migrations.follow(String(c.message.migrate_from_chat_id), String(c.message.chat.id)));

  // An edit is never read (a report step already took the first text; re-reading could change a
  // report the person has reviewed): in a private chat they are told so, and how to correct it.
  guarded.on('edited_message', async (c) => {
    const m = c.editedMessage;
    if (m.chat.type !== 'private' || !m.from) return;
    const actor = await app.actor('telegram', String(m.from.id), { localeHint: m.from.language_code });
    await bot.api.sendMessage(m.chat.id, tHtml(actor.locale, 'telegram.edit_ignored'), {
      parse_mode: 'HTML',
      reply_parameters: { message_id: m.message_id, allow_sending_without_reply: true },
    });
  });

  guarded.on('message:location', async (c) => {
    const m = c.message;
    const from = sender(m);
    if (m.chat.type !== 'private') return; // a location shared in a group is not ours to read
    const ctx = await coreContext(s, from, m.chat);
    await deliverReply(delivery(s), lantern.nearest(m.location.latitude, m.location.longitude, ctx), origin(m, from), ctx);
  });

  guarded.on('message:photo', async (c) => {
    const max = app.config.reports.evidenceMaxBytes;
    const sizes = c.message.photo;
    // The largest size that fits; if none fits, the largest (and the core says it is too large).
    const chosen = sizes.filter((x) => (x.file_size ?? 0) <= max).at(-1) ?? sizes.at(-1)!;
    await onFile(s, c.message, chosen, 'image/jpeg', undefined);
  });
  guarded.on('message:document', async (c) => {
    const d = c.message.document;
    await onFile(s, c.message, d, d.mime_type, d.file_name);
  });
  guarded.on('message', (c) => void sender(c.message)); // any other message: nothing to do, but it must have a sender

  guarded.on('callback_query', async (c) => {
    const q = c.callbackQuery;
    const chat = q.message?.chat;
    const data = CallbackData.safeParse(q.data);
    const ctx = await coreContext(s, q.from, chat);
    // An id that is not even well-formed (or an unknown token) goes to the core as an empty choice: it answers "not valid".
    const id = data.success ? s.tokens.resolve(data.data) : '';
    const reply = await lantern.choice(id, ctx);
    const command = /^([a-z0-9_]{1,32}):/.exec(id)?.[1];
    const from: Origin = {
      chat,
      userId: q.from.id,
      messageId: q.message?.message_id,
      command: command && lantern.find(command) ? command : undefined,
      callback: true,
      threadId: q.message ? topicOf(q.message as Message) : undefined,
    };
    // Answered before the delivery (which may wait out a 429): the button stops spinning and the
    // answer cannot expire. In a group, a private answer's note is known already.
    const movesToPrivate = chat !== undefined && chat.type !== 'private' && reply.private && reply.code !== 'COMMAND.PRIVATE_ONLY';
    await c.answerCallbackQuery(movesToPrivate ? { text: t(ctx.actor.locale, 'telegram.answered_privately') } : {}).catch(() => undefined);
    await deliverReply(delivery(s), reply, from, ctx);
  });
}

/** A photo or a file sent in a private chat: evidence for a report in progress. */
async function onFile(
  s: TelegramState,
  m: Message,
  file: { file_id: string; file_size?: number | undefined },
  declaredMime: string | undefined,
  name: string | undefined,
): Promise<void> {
  const from = sender(m);
  if (m.chat.type !== 'private') return;
  const ctx = await coreContext(s, from, m.chat);
  // Over the evidence limit it is not downloaded: the core refuses it by its size.
  const got = await downloadFile(s.bot.api, {
    apiRoot: s.tg.apiRoot,
    token: s.tg.token,
    fileId: file.file_id,
    declaredSize: file.file_size,
    maxBytes: s.app.config.reports.evidenceMaxBytes,
  }).catch((e: unknown) => {
    if (e instanceof FileTooBigError) return undefined;
    throw e;
  });
  // Over Telegram's 20 MB: it cannot be fetched at all; the report in progress is untouched.
  if (!got)
    return void (await s.bot.api.sendMessage(m.chat.id, tHtml(ctx.actor.locale, 'telegram.file_too_big'), {
      parse_mode: 'HTML',
      reply_parameters: { message_id: m.message_id, allow_sending_without_reply: true },
    }));
  await deliverReply(delivery(s), await s.lantern.file(incomingFile(got, { declaredMime, name }), ctx), origin(m, from), ctx);
}
