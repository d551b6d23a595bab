/**
 * Sends a rendered Reply where it belongs. The rules, all about where text may appear:
 * - a private chat gets everything (text, buttons, files), and conversation messages are tracked;
 * - a group gets public replies only. A private reply asked for in a group goes to the person's
 *   private chat, and the group sees only a short note; if the bot may not write to them (they
 *   never pressed Start), the group gets a note with a link to open the private chat, and
 *   nothing of the reply;
 * - "only in a private chat" answers are posted where asked, with a button opening that chat;
 * - a public answer in a group is one message (a group takes about 20 a minute): when the whole
 *   answer does not fit, the group gets it shortened, with a button opening the full answer in
 *   the person's private chat;
 * - in a forum topic, every message carries the topic's message_thread_id (without it, it would
 *   land in General).
 */
import { GrammyError, InputFile, type Api } from 'grammy';
import type { Chat, ForceReply, InlineKeyboardMarkup, ReplyParameters } from 'grammy/types';
import type { CoreContext, Logger } from '../../core/context.ts';
import { t } from '../../core/i18n/catalog.ts';
import type { Locale } from '../../core/i18n/locales.ts';
import type { Lantern } from '../../core/lantern.ts';
import type { Reply } from '../../core/reply.ts';
import type { CallbackTokens } from './callback-tokens.ts';
import type { DeletionStore } from '../../db/deletion-store.ts';
import { deleteLater } from './deletions.ts';
import { choiceKeyboard, escapeHtml, link, renderMessages, renderSingle, tHtml, urlKeyboard } from './render.ts';

/** What delivery needs from the running adapter. */
export interface Delivery {
  api: Api;
  lantern: Lantern;
  log: Logger;
  botUsername: string;
  /** short callback data for choice ids over 64 bytes */
  tokens: CallbackTokens;
  /** where decrypted views wait for deletion, and the run that deletes the due ones */
  deletions: DeletionStore;
  deleteDue: () => Promise<void>;
}

/** Where a request came from. */
export interface Origin {
  /** undefined for a button under an inline-mode message (no chat known) */
  chat: Chat | undefined;
  userId: number;
  /** the person's message, to reply to in a group */
  messageId?: number | undefined;
  /** the command a deep link should start if the answer must move to a private chat */
  command?: string | undefined;
  /** a button press: the short note goes into the callback answer, not into the group */
  callback: boolean;
  /** the forum topic the request came from (undefined: not a forum, or General) */
  threadId?: number | undefined;
  /** the /start payload that gives the full answer in a private chat (defaults to `command`) */
  startPayload?: string | undefined;
}

/** The outcome: a short text for answerCallbackQuery, if any. */
export interface Delivered {
  note?: string;
}

const DEEP_LINK_PAYLOAD = /^[A-Za-z0-9_-]{1,64}$/;

/** https://t.me/<bot>?start=<payload> (a bare link when the payload is not allowed). */
export function deepLink(botUsername: string, payload?: string): string {
  const base = `https://t.me/${botUsername}`;
  return payload && DEEP_LINK_PAYLOAD.test(payload) ? `${base}?start=${payload}` : base;
}

/** The bot may not write to this person: they never pressed Start, blocked it, or are not a real account (an anonymous admin). */
const cannotWrite = (e: unknown) =>
  e instanceof GrammyError && (e.error_code === 403 || (e.error_code === 400 && /chat not found/i.test(e.description)));

const BASE = { parse_mode: 'HTML', link_preview_options: { is_disabled: true } } as const;

/** The topic of a message, for a reply in the same forum topic ("message_thread_id … for forum supergroups only"). */
export const inThread = (threadId: number | undefined) => (threadId === undefined ? {} : { message_thread_id: threadId });

/** Options of sendReply. */
export interface SendOptions {
  locale: Locale;
  privateChat: boolean;
  replyTo?: number | undefined;
  extraMarkup?: InlineKeyboardMarkup;
  threadId?: number | undefined;
  /** send exactly one message (a group): shortened if needed, with this link to the full answer */
  single?: { fullAnswerUrl: string };
}

/** The reply's text as messages: all of it, or one (shortened, with its "full answer" button). */
function messagesOf(reply: Reply, opts: SendOptions): { chunks: string[]; more: InlineKeyboardMarkup | undefined } {
  if (!opts.single || !reply.blocks.length) return { chunks: renderMessages(reply, opts.locale), more: undefined };
  const { html, shortened } = renderSingle(reply, opts.locale);
  return { chunks: [html], more: shortened ? urlKeyboard(t(opts.locale, 'telegram.full_answer'), opts.single.fullAnswerUrl) : undefined };
}

/** Two keyboards as one (the choices, then the "full answer" link). */
function joinMarkup(a: InlineKeyboardMarkup | undefined, b: InlineKeyboardMarkup | undefined): InlineKeyboardMarkup | undefined {
  if (!a || !b) return a ?? b;
  return { inline_keyboard: [...a.inline_keyboard, ...b.inline_keyboard] };
}

/**
 * Sends a reply to one chat: its HTML messages, then its files (private chats only).
 * Choice buttons go under the last message; a prompt becomes force_reply with the label as
 * placeholder (when there are also buttons, they follow in a short "Or choose:" message, since
 * one message cannot carry both). Returns the ids of the messages sent.
 */
export async function sendReply(d: Delivery, reply: Reply, chatId: number | string, opts: SendOptions): Promise<number[]> {
  const { locale } = opts;
  const { chunks, more } = messagesOf(reply, opts);
  const { markup: keyboard, dropped } = choiceKeyboard(reply.choices ?? [], (id) => d.tokens.short(id));
  if (dropped) d.log.warn({ dropped }, 'telegram: choices past 100 buttons were left out');
  const prompt: ForceReply | undefined =
    reply.prompt && opts.privateChat
      ? { force_reply: true, input_field_placeholder: [...reply.prompt.label].slice(0, 64).join('') }
      : undefined;
  const buttons = joinMarkup(keyboard ?? opts.extraMarkup, more);
  const thread = inThread(opts.threadId);
  const ids: number[] = [];
  if (reply.image) {
    // A map: its legend rides as the caption when it fits there alone, else follows as messages.
    const asCaption = chunks.length === 1 && !buttons && !prompt && captionFits(chunks[0]!);
    const caption = asCaption ? { caption: chunks[0]!, parse_mode: 'HTML' as const } : {};
    const reply_parameters = opts.replyTo ? { reply_parameters: { message_id: opts.replyTo, allow_sending_without_reply: true } } : {};
    ids.push(
      (await d.api.sendPhoto(chatId, new InputFile(reply.image.bytes, reply.image.name), { ...caption, ...reply_parameters })).message_id,
    );
    if (asCaption) return ids;
  }
  if (!chunks.length && (buttons || prompt)) chunks.push(tHtml(locale, 'telegram.or_choose'));
  for (let i = 0; i < chunks.length; i++) {
    const last = i === chunks.length - 1;
    const reply_markup = last ? (prompt ?? buttons) : undefined;
    const reply_parameters: ReplyParameters | undefined =
      i === 0 && opts.replyTo ? { message_id: opts.replyTo, allow_sending_without_reply: true } : undefined;
    const sent = await d.api.sendMessage(chatId, chunks[i]!, {
      ...BASE,
      ...thread,
      ...(reply_markup ? { reply_markup } : {}),
      ...(reply_parameters ? { reply_parameters } : {}),
    });
    ids.push(sent.message_id);
  }
  if (prompt && buttons)
    ids.push(
      (await d.api.sendMessage(chatId, tHtml(locale, 'telegram.or_choose'), { ...BASE, ...thread, reply_markup: buttons })).message_id,
    );
  if (reply.files?.length) {
    // Files (evidence, exports) only ever go to a private chat.
    if (opts.privateChat)
      for (const f of reply.files) ids.push((await d.api.sendDocument(chatId, new InputFile(f.bytes, f.name))).message_id);
    else d.log.warn({ files: reply.files.length }, 'telegram: files of a reply were not sent outside a private chat');
  }
  return ids;
}

/** Telegram's limit for a photo caption, in characters after entity parsing (https://core.telegram.org/bots/api#sendphoto). */
export const CAPTION_LIMIT = 1024;

/** True when this HTML is at most CAPTION_LIMIT characters once its tags and entities are parsed. */
export function captionFits(html: string): boolean {
  const text = html.replace(/<[^>]*>/g, '').replace(/&(lt|gt|quot|amp);/g, 'x');
  // UTF-16 units, as Telegram counts entity offsets (never fewer than characters).
  return text.length <= CAPTION_LIMIT;
}

/** Delivers a reply for a request (see the rules at the top of this file). */
export async function deliverReply(d: Delivery, reply: Reply, origin: Origin, ctx: CoreContext): Promise<Delivered> {
  const { locale } = ctx.actor;
  const group = origin.chat !== undefined && origin.chat.type !== 'private';

  if (!group) {
    // A private chat, or a button under an inline message: the person's own chat.
    const chatId = origin.chat?.id ?? origin.userId;
    await toPrivate(d, reply, chatId, ctx, origin);
    return {};
  }
  const groupId = origin.chat!.id;
  const replyTo = origin.callback ? undefined : origin.messageId;
  const threadId = origin.threadId;
  const thread = inThread(threadId);

  if (reply.code === 'COMMAND.PRIVATE_ONLY') {
    // Says only "use a private chat" (nothing the person typed): shown where asked, with the way there.
    const url = deepLink(d.botUsername, origin.command);
    await sendReply(d, { ...reply, choices: [] }, groupId, {
      locale,
      privateChat: false,
      replyTo,
      threadId,
      extraMarkup: urlKeyboard(t(locale, 'telegram.open_private'), url),
    });
    return {};
  }

  if (!reply.private) {
    const fullAnswerUrl = deepLink(d.botUsername, origin.startPayload ?? origin.command);
    await sendReply(d, reply, groupId, { locale, privateChat: false, replyTo, threadId, single: { fullAnswerUrl } });
    return {};
  }

  try {
    await toPrivate(d, reply, origin.userId, ctx);
  } catch (e) {
    if (!cannotWrite(e)) throw e;
    const url = deepLink(d.botUsername, origin.command);
    await d.api.sendMessage(groupId, tHtml(locale, 'telegram.dm_blocked', { link: link(url) }), {
      ...BASE,
      ...thread,
      reply_markup: urlKeyboard(t(locale, 'telegram.open_private'), url),
      ...(replyTo ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } } : {}),
    });
    return {};
  }
  const note = t(locale, 'telegram.answered_privately');
  if (origin.callback) return { note };
  await d.api.sendMessage(groupId, escapeHtml(note), {
    ...BASE,
    ...thread,
    ...(replyTo ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } } : {}),
  });
  return {};
}

/** A reply in the person's private chat: deletions asked for, the messages, and tracking. */
async function toPrivate(d: Delivery, reply: Reply, chatId: number, ctx: CoreContext, origin?: Origin): Promise<void> {
  // The person's own message, once sealed (or a receipt code): bots may delete incoming messages
  // in private chats within 48 hours (Bot API, deleteMessage). The pressed receipt goes likewise.
  const own =
    origin?.chat?.type === 'private' &&
    origin.messageId !== undefined &&
    ((reply.inputTaken && !origin.callback) || (reply.deleteChoiceMessage && origin.callback));
  if (own)
    await d.api
      .deleteMessage(chatId, origin.messageId!)
      .catch((e: unknown) => d.log.warn({ err: { message: (e as Error).message } }, 'telegram: a captured message could not be deleted'));
  for (const id of reply.deleteMessages ?? []) {
    const n = Number(id);
    // Old or already deleted messages cannot be deleted; that is fine.
    if (Number.isSafeInteger(n)) await d.api.deleteMessage(chatId, n).catch(() => undefined);
  }
  const ids = await sendReply(d, reply, chatId, { locale: ctx.actor.locale, privateChat: true });
  if (reply.track) await d.lantern.recordSent(ctx, ids.map(String));
  if (reply.deleteAfterSeconds) await deleteLater(d.deletions, d.deleteDue, chatId, ids, reply.deleteAfterSeconds);
}
