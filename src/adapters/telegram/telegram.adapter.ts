/**
 * The Telegram adapter (grammY). It only translates: an update becomes one Lantern call with a
 * CoreContext, and the Reply is rendered as HTML messages (see deliver.ts for where they go).
 *
 * - text "/name args" -> lantern.commandLine (with "@bot" stripped; "/start report" opens the
 *   report, plain "/start" shows help); other text in a private chat -> lantern.text
 * - button press -> lantern.choice; inline query -> suggestions, each with its rendered lookup
 * - shared location (private chat) -> lantern.nearest; photo or file (private chat) -> lantern.file
 *
 * Runs with long polling (@grammyjs/runner) or, when TELEGRAM_WEBHOOK_URL is set, as a webhook
 * mounted on the bot's HTTP server. Plugins: auto-retry (429 / 5xx), per-person flood control,
 * per-chat ordering. Logs carry update ids and API methods, never people, chats or text.
 *
 * Telegram's rules kept here: a 429 is waited out however long it asks, and every call to that
 * chat waits behind it (nothing is cut short or reordered); a group upgraded to a supergroup is
 * followed to its new id (stored); forum topics get message_thread_id on every message; button
 * presses are answered before the delivery starts.
 */
import { autoRetry } from '@grammyjs/auto-retry';
import { limit } from '@grammyjs/ratelimiter';
import { run, sequentialize, type RunnerHandle } from '@grammyjs/runner';
import { Bot, BotError, GrammyError, HttpError, webhookCallback, type Api, type Context } from 'grammy';
import type { Chat, InlineQueryResultArticle, Message, User, UserFromGetMe } from 'grammy/types';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { App } from '../../app.ts';
import type { Config } from '../../config.ts';
import type { CoreContext, Logger, TriageRole } from '../../core/context.ts';
import { pseudonym } from '../../core/crypto/crypto.ts';
import { t } from '../../core/i18n/catalog.ts';
import { toLocale, type Locale } from '../../core/i18n/locales.ts';
import type { Lantern } from '../../core/lantern.ts';
import type { Reply } from '../../core/reply.ts';
import type { TriageNotifier } from '../../core/triage/notifier.ts';
import type { RelayFailure } from '../../core/triage/triage.ports.ts';
import { loadChatMigrations, saveChatMigration } from '../../db/chat-migrations.ts';
import { CallbackTokens } from './callback-tokens.ts';
import { TELEGRAM_CAPABILITIES } from './capabilities.ts';
import type { AdapterEnv, RunningAdapter } from '../adapter.types.ts';
import { deepLink, deliverReply, inThread, sendReply, type Delivery, type Origin } from './deliver.ts';
import { DELETION_SWEEP_MS, dueDeletions } from './deletions.ts';
import { downloadFile, FileTooBigError } from './files.ts';
import { toTelegramCommands } from './registration.ts';
import { escapeHtml, renderSingle, tHtml } from './render.ts';

/** The Telegram part of the configuration. */
export type TelegramConfig = NonNullable<Config['telegram']>;

/** The updates Lantern asks Telegram for (everything else is never delivered). */
export const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query', 'inline_query'] as const;

/** What a button press may carry: Telegram's own limit, checked again because webhooks can be forged. */
const CallbackData = z
  .string()
  .min(1)
  .refine((s) => Buffer.byteLength(s, 'utf8') <= 64, 'callback data over 64 bytes');

/** "/name", "/name@bot", "/name args". */
const COMMAND = /^\/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{1,64}))?(?:\s+([\s\S]*))?$/;
/** "/start l-<base64url place>": the "full answer" link of a shortened inline result. */
const LOOKUP_PAYLOAD = /^l-([A-Za-z0-9_-]{1,62})$/;
/** "/start c-<base64url "name args">": the "full answer" link of a group answer kept to one message. */
const COMMAND_PAYLOAD = /^c-([A-Za-z0-9_-]{1,62})$/;
/** Most inline results per query (each is a full lookup). */
const INLINE_RESULTS = 10;

/** Per-person flood control: at most `limit` updates per `timeFrameMs` (an album of photos is several). */
export interface FloodOptions {
  timeFrameMs: number;
  limit: number;
}

/** Options of createTelegramBot. */
export interface TelegramBotOptions {
  app: App;
  lantern: Lantern;
  log: Logger;
  telegram: TelegramConfig;
  /** known bot identity (skips getMe); tests and benchmarks */
  botInfo?: UserFromGetMe;
  flood?: FloodOptions;
  /** auto-retry: longest retry_after honoured and attempts (then the call fails) */
  retry?: { maxDelaySeconds: number; maxRetryAttempts: number };
}

/** A configured bot, not yet receiving updates. */
export interface TelegramBot {
  bot: Bot;
  /** resolves when every update being handled now is done */
  settled(): Promise<void>;
  /** the highest update id seen (to acknowledge it when stopping) */
  lastUpdateId(): number | undefined;
  /** posts triage notices to the triage group */
  notifier: TriageNotifier | undefined;
  /** sends a triage message back to a reporter's private chat (route = chat id) */
  relay(route: string, text: string): Promise<void | RelayFailure>;
  /** reads the group moves recorded earlier (call once before handling updates) */
  loadMigrations(): Promise<void>;
  /** the triage group's id now (followed through an upgrade to a supergroup) */
  triageChatId(): string | undefined;
  /** deletes the decrypted views that are due (left by this process or an earlier one) */
  deleteDue(): Promise<void>;
}

/** A message without a sender cannot be answered safely (whose actor, whose private chat?). */
class MalformedUpdateError extends Error {
  override name = 'MalformedUpdateError';
}

/** The started adapter; `settled` waits for the updates being handled (tests and benchmarks use it). */
export interface RunningTelegram extends RunningAdapter {
  settled(): Promise<void>;
}

const DEFAULT_FLOOD: FloodOptions = { timeFrameMs: 10_000, limit: 20 };
const INLINE_FLOOD: FloodOptions = { timeFrameMs: 10_000, limit: 30 };

/** What kind of update this is (for logs). */
function updateKind(c: Context): string {
  return Object.keys(c.update).find((k) => k !== 'update_id') ?? 'unknown';
}

/** An error as a log field: API method and code, or the code location; never a message that could quote input. */
function describeError(e: unknown): Record<string, unknown> {
  if (e instanceof GrammyError) return { name: 'GrammyError', method: e.method, code: e.error_code, description: e.description };
  if (e instanceof HttpError) return { name: 'HttpError', message: e.message };
  if (e instanceof Error) return { name: e.name, at: (e.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l)).slice(0, 5).map((l) => l.trim()) };
  return { name: typeof e };
}

/** Builds the bot: plugins, handlers and the one error handler. Call bot.init() (or pass botInfo) before use. */
export function createTelegramBot(opts: TelegramBotOptions): TelegramBot {
  const { app, lantern, log, telegram: tg } = opts;
  const bot = new Bot(tg.token, { client: tg.apiRoot ? { apiRoot: tg.apiRoot } : {}, ...(opts.botInfo ? { botInfo: opts.botInfo } : {}) });
  // ── a chat told to wait (429) holds every call to it until then: queued, in order, whole ──
  const heldUntil = new Map<string, number>();
  const holdChat = (chat: string, seconds: number) => void heldUntil.set(chat, Math.max(heldUntil.get(chat) ?? 0, Date.now() + seconds * 1000));
  async function waitTurn(chat: string, signal: { readonly aborted: boolean } | undefined): Promise<void> {
    for (let until = heldUntil.get(chat) ?? 0; until > Date.now(); until = heldUntil.get(chat) ?? 0) {
      await new Promise((resolve) => setTimeout(resolve, until - Date.now()));
      if (signal?.aborted) return;
    }
    heldUntil.delete(chat);
  }

  // ── groups upgraded to supergroups: old id → new id, stored so the next start knows too ──
  const migrations = new Map<string, string>();
  async function followMigration(from: string, to: string): Promise<void> {
    if (migrations.get(from) === to) return;
    migrations.set(from, to);
    log.info({ triage: from === tg.triageChatId }, 'telegram: a group was upgraded to a supergroup; following it to its new id');
    await saveChatMigration(app.db.prisma, from, to).catch((e: unknown) => log.warn({ err: describeError(e) }, 'telegram: the new group id could not be stored; it is used until restart'));
  }
  /** The triage group's id now (it changes when the group becomes a supergroup). */
  const triageChat = () => (tg.triageChatId === undefined ? undefined : (migrations.get(tg.triageChatId) ?? tg.triageChatId));
  const tokens = new CallbackTokens();

  // No ceiling on retry_after: Telegram asks for what it needs (minutes in a flood); giving up
  // cut answers in half and lost the apology too. Attempts are counted per call.
  const retry = opts.retry ?? { maxDelaySeconds: Infinity, maxRetryAttempts: 5 };
  // Installed first, so it runs inside auto-retry and sees every failed attempt.
  // Only the method and the code are logged: payloads hold chat ids and text.
  bot.api.config.use(async (prev, method, payload, signal) => {
    try {
      const res = await prev(method, payload, signal);
      if (!res.ok && !signal?.aborted) {
        const level = res.error_code === 429 || res.error_code >= 500 ? 'warn' : 'debug';
        log[level]({ method, code: res.error_code, retryAfter: res.parameters?.retry_after }, 'telegram API call failed');
      }
      return res;
    } catch (e) {
      if (!signal?.aborted) log.warn({ method, err: describeError(e) }, 'telegram API unreachable');
      throw e;
    }
  });
  // Inside auto-retry (installed before it), so every attempt passes the per-chat gate.
  bot.api.config.use(async (prev, method, payload, signal) => {
    const p = payload as Record<string, unknown>;
    const chat = p.chat_id === undefined ? undefined : String(p.chat_id);
    if (chat === undefined) return prev(method, payload, signal);
    const moved = migrations.get(chat);
    const call = (id: string) => ({ ...p, chat_id: /^-?\d+$/.test(id) ? Number(id) : id }) as typeof payload;
    await waitTurn(moved ?? chat, signal);
    let res = await prev(method, moved ? call(moved) : payload, signal);
    const to = res.ok ? undefined : res.parameters?.migrate_to_chat_id;
    if (to !== undefined) {
      await followMigration(moved ?? chat, String(to));
      res = await prev(method, call(String(to)), signal);
    }
    if (!res.ok && res.error_code === 429 && res.parameters?.retry_after) holdChat(String(to ?? moved ?? chat), res.parameters.retry_after);
    return res;
  });
  bot.api.config.use(autoRetry({ ...retry, rethrowHttpErrors: false }));

  const deleteDue = dueDeletions(bot.api, app.deletions, log);
  const delivery = (): Delivery => ({ api: bot.api, lantern, log, botUsername: bot.botInfo.username, tokens, deletions: app.deletions, deleteDue });

  /** A member's role: a change made with /triage role decides, else the environment's lists. */
  async function teamRole(from: User): Promise<TriageRole | undefined> {
    const runtime = await app.deps.triage?.team?.get('telegram', pseudonym(app.keyring, 'telegram', String(from.id)));
    if (runtime) return runtime === 'removed' ? undefined : runtime;
    if (tg.triageUserIds.includes(String(from.id))) return 'lead';
    return tg.triageReviewerIds.includes(String(from.id)) ? 'reviewer' : undefined;
  }

  /** The CoreContext of a request: pseudonymous actor, chat kind, private route. */
  async function coreContext(from: User, chat: Chat | undefined): Promise<CoreContext> {
    const isPrivate = chat?.type === 'private';
    const role = await teamRole(from);
    const inTriageGroup = chat !== undefined && triageChat() !== undefined && String(chat.id) === triageChat();
    const actor = await app.actor('telegram', String(from.id), { localeHint: from.language_code, triage: role !== undefined && (isPrivate || inTriageGroup), ...(role ? { role } : {}) });
    return isPrivate ? { actor, chat: 'private', deps: app.deps, capabilities: TELEGRAM_CAPABILITIES, route: String(chat.id) } : { actor, chat: 'public', deps: app.deps, capabilities: TELEGRAM_CAPABILITIES };
  }

  function sender(m: Message): User {
    if (!m.from) throw new MalformedUpdateError('message without sender');
    return m.from;
  }

  const origin = (m: Message, from: User, command?: string, startPayload?: string): Origin => ({ chat: m.chat, userId: from.id, messageId: m.message_id, command, callback: false, threadId: topicOf(m), startPayload });

  /** "/start" and its deep-link payloads. */
  async function start(payload: string, ctx: CoreContext): Promise<{ reply: Reply; command: string }> {
    if (/^[a-z0-9_]{1,32}$/.test(payload) && payload !== 'start' && lantern.find(payload)) return { reply: await lantern.commandLine(payload, '', ctx), command: payload };
    const place = LOOKUP_PAYLOAD.exec(payload);
    if (place) return { reply: await lantern.command('lookup', { place: Buffer.from(place[1]!, 'base64url').toString('utf8') }, ctx), command: 'lookup' };
    const line = COMMAND_PAYLOAD.exec(payload);
    const [name = '', args = ''] = line ? splitLine(Buffer.from(line[1]!, 'base64url').toString('utf8')) : [];
    if (name && name !== 'start' && lantern.find(name)) return { reply: await lantern.commandLine(name, args, ctx), command: name };
    return { reply: await lantern.commandLine('help', '', ctx), command: 'help' };
  }

  // ── the pipeline: in-flight tracking, the one error handler, flood control, per-chat order ──
  const inFlight = new Set<Promise<void>>();
  let lastUpdateId: number | undefined;
  bot.use(async (c, next) => {
    lastUpdateId = Math.max(lastUpdateId ?? 0, c.update.update_id);
    const p = next();
    inFlight.add(p);
    try {
      await p;
    } finally {
      inFlight.delete(p);
    }
  });

  /** The one place unexpected errors end: logged by update id, answered with an apology (a "try again" one for a storage outage). */
  async function onError(err: BotError): Promise<void> {
    const c = err.ctx;
    log.error({ update: c.update.update_id, kind: updateKind(c), err: describeError(err.error) }, 'telegram update failed');
    const locale = toLocale(c.from?.language_code, app.config.defaultLocale);
    const apology = t(locale, app.apologyFor(err.error));
    const thread = inThread(c.msg ? topicOf(c.msg) : undefined);
    try {
      // A press already answered (they are answered first) gets the apology as a message instead.
      const alerted = c.callbackQuery ? await c.answerCallbackQuery({ text: apology, show_alert: true }).then(() => true, () => false) : false;
      if (!alerted && c.chat) await bot.api.sendMessage(c.chat.id, escapeHtml(apology), { parse_mode: 'HTML', ...thread });
    } catch (e) {
      log.debug({ update: c.update.update_id, err: describeError(e) }, 'telegram apology not delivered');
    }
  }
  bot.catch(onError);
  // The boundary routes handler errors to the same function in both long polling and webhook mode.
  const guarded = bot.errorBoundary(onError);

  const flood = opts.flood ?? DEFAULT_FLOOD;
  guarded.use(
    limit<Context, never>({
      timeFrame: flood.timeFrameMs,
      limit: flood.limit,
      keyGenerator: (c) => (c.inlineQuery || !c.from ? undefined : String(c.from.id)),
      // Called once per window: the person hears it once, then further updates are dropped.
      onLimitExceeded: async (c) => {
        const from = c.from!;
        const actor = await app.actor('telegram', String(from.id), { localeHint: from.language_code });
        const note = t(actor.locale, 'telegram.slow_down');
        if (c.callbackQuery) await c.answerCallbackQuery({ text: note }).catch(() => undefined);
        else if (c.chat) await bot.api.sendMessage(c.chat.id, escapeHtml(note), { parse_mode: 'HTML', ...inThread(c.msg ? topicOf(c.msg) : undefined), ...(c.msg ? { reply_parameters: { message_id: c.msg.message_id, allow_sending_without_reply: true } } : {}) }).catch(() => undefined);
      },
    }),
  );
  guarded.use(limit<Context, never>({ timeFrame: INLINE_FLOOD.timeFrameMs, limit: INLINE_FLOOD.limit, keyPrefix: 'INLINE', keyGenerator: (c) => (c.inlineQuery ? String(c.inlineQuery.from.id) : undefined) }));
  // One chat's updates are handled in order (a conversation's steps must not overtake each other).
  guarded.use(sequentialize<Context>((c) => (c.inlineQuery ? undefined : String(c.chat?.id ?? c.from?.id ?? ''))));

  // ── messages ──
  guarded.on('message:text', async (c) => {
    const m = c.message;
    const from = sender(m);
    const isPrivate = m.chat.type === 'private';
    const cmd = COMMAND.exec(m.text);
    if (cmd) {
      const [, rawName, target, args = ''] = cmd;
      if (target && target.toLowerCase() !== c.me.username.toLowerCase()) return; // addressed to another bot
      const name = rawName!.toLowerCase();
      // In a group, a command we do not know without "@ourbot" is another bot's business; so are
      // a bare /start and /help, which every bot answers (a group with several bots would get ours).
      if (!isPrivate && !target && (name === 'start' || name === 'help' || !lantern.find(name))) return;
      const ctx = await coreContext(from, m.chat);
      const { reply, command } = name === 'start' ? await start(args.trim(), ctx) : { reply: await lantern.commandLine(name, args, ctx), command: name };
      await deliverReply(delivery(), reply, origin(m, from, command, isPrivate ? undefined : commandPayload(name, args)), ctx);
      return;
    }
    if (!isPrivate) return; // group conversation is not for the bot
    const ctx = await coreContext(from, m.chat);
    await deliverReply(delivery(), await lantern.text(m.text, ctx), origin(m, from), ctx);
  });

  // A group upgraded to a supergroup says so in both chats (service messages); followed at once.
  guarded.on('message:migrate_to_chat_id', (c) => followMigration(String(c.message.chat.id), String(c.message.migrate_to_chat_id)));
  guarded.on('message:migrate_from_chat_id', (c) => followMigration(String(c.message.migrate_from_chat_id), String(c.message.chat.id)));

  // An edit is never read (a report step already took the first text; re-reading could change a
  // report the person has reviewed): in a private chat they are told so, and how to correct it.
  guarded.on('edited_message', async (c) => {
    const m = c.editedMessage;
    if (m.chat.type !== 'private' || !m.from) return;
    const actor = await app.actor('telegram', String(m.from.id), { localeHint: m.from.language_code });
    await bot.api.sendMessage(m.chat.id, tHtml(actor.locale, 'telegram.edit_ignored'), { parse_mode: 'HTML', reply_parameters: { message_id: m.message_id, allow_sending_without_reply: true } });
  });

  guarded.on('message:location', async (c) => {
    const m = c.message;
    const from = sender(m);
    if (m.chat.type !== 'private') return; // a location shared in a group is not ours to read
    const ctx = await coreContext(from, m.chat);
    await deliverReply(delivery(), lantern.nearest(m.location.latitude, m.location.longitude, ctx), origin(m, from), ctx);
  });

  /** A photo or a file sent in a private chat: evidence for a report in progress. */
  async function onFile(m: Message, file: { file_id: string; file_size?: number | undefined }, declaredMime: string | undefined, name: string | undefined) {
    const from = sender(m);
    if (m.chat.type !== 'private') return;
    const ctx = await coreContext(from, m.chat);
    const bytes = await downloadFile(bot.api, { apiRoot: tg.apiRoot, token: tg.token, fileId: file.file_id, declaredSize: file.file_size, maxBytes: app.config.reports.evidenceMaxBytes }).catch((e: unknown) => {
      if (e instanceof FileTooBigError) return undefined;
      throw e;
    });
    // Over Telegram's 20 MB: it cannot be fetched at all; the report in progress is untouched.
    if (!bytes) return void (await bot.api.sendMessage(m.chat.id, tHtml(ctx.actor.locale, 'telegram.file_too_big'), { parse_mode: 'HTML', reply_parameters: { message_id: m.message_id, allow_sending_without_reply: true } }));
    await deliverReply(delivery(), await lantern.file({ bytes, declaredMime, name }, ctx), origin(m, from), ctx);
  }
  guarded.on('message:photo', async (c) => {
    const max = app.config.reports.evidenceMaxBytes;
    const sizes = c.message.photo;
    // The largest size that fits; if none fits, the largest (and the core says it is too large).
    const chosen = sizes.filter((s) => (s.file_size ?? 0) <= max).at(-1) ?? sizes.at(-1)!;
    await onFile(c.message, chosen, 'image/jpeg', undefined);
  });
  guarded.on('message:document', async (c) => {
    const d = c.message.document;
    await onFile(c.message, d, d.mime_type, d.file_name);
  });
  guarded.on('message', (c) => void sender(c.message)); // any other message: nothing to do, but it must have a sender

  // ── buttons ──
  guarded.on('callback_query', async (c) => {
    const q = c.callbackQuery;
    const chat = q.message?.chat;
    const data = CallbackData.safeParse(q.data);
    const ctx = await coreContext(q.from, chat);
    // An id that is not even well-formed (or an unknown token) goes to the core as an empty choice: it answers "not valid".
    const id = data.success ? tokens.resolve(data.data) : '';
    const reply = await lantern.choice(id, ctx);
    const command = /^([a-z0-9_]{1,32}):/.exec(id)?.[1];
    const from: Origin = { chat, userId: q.from.id, messageId: q.message?.message_id, command: command && lantern.find(command) ? command : undefined, callback: true, threadId: q.message ? topicOf(q.message as Message) : undefined };
    // Answered before the delivery (which may wait out a 429): the button stops spinning and the
    // answer cannot expire. In a group, a private answer's note is known already.
    const movesToPrivate = chat !== undefined && chat.type !== 'private' && reply.private && reply.code !== 'COMMAND.PRIVATE_ONLY';
    await c.answerCallbackQuery(movesToPrivate ? { text: t(ctx.actor.locale, 'telegram.answered_privately') } : {}).catch(() => undefined);
    await deliverReply(delivery(), reply, from, ctx);
  });

  // ── inline mode: "@bot New York" in any chat ──
  guarded.on('inline_query', async (c) => {
    const q = c.inlineQuery;
    const actor = await app.actor('telegram', String(q.from.id), { localeHint: q.from.language_code, triage: false });
    const ctx: CoreContext = { actor, chat: 'public', deps: app.deps, capabilities: TELEGRAM_CAPABILITIES };
    const query = q.query.trim();
    const suggestions = query ? lantern.autocomplete('places', query, actor.locale, app.deps.dataset()).slice(0, INLINE_RESULTS) : [];
    const results: InlineQueryResultArticle[] = [];
    for (const s of suggestions) {
      const reply = await lantern.command('lookup', { place: s.value }, ctx);
      const article = inlineArticle(reply, s, actor.locale, bot.botInfo.username);
      // Telegram refuses the whole answer if two results share an id.
      if (reply.kind === 'answer' && !results.some((r) => r.id === article.id)) results.push(article);
    }
    await c.answerInlineQuery(results, { cache_time: 300, is_personal: true, button: { text: t(actor.locale, 'telegram.open_private'), start_parameter: 'help' } });
  });

  const notifier: TriageNotifier | undefined = tg.triageChatId
    ? {
        platform: 'telegram',
        // The core renders the notice (id, category, severity, time; never content); this only posts it.
        // Into the configured topic of a forum (else General); to the group's current id (migrations).
        deliver: async (_notice, rendered) => void (await sendReply(delivery(), rendered, triageChat()!, { locale: app.config.defaultLocale, privateChat: false, threadId: tg.triageTopicId })),
      }
    : undefined;

  return {
    bot,
    settled: async () => {
      while (inFlight.size) await Promise.allSettled([...inFlight]);
    },
    lastUpdateId: () => lastUpdateId,
    deleteDue,
    notifier,
    relay: async (route, text) => {
      try {
        await bot.api.sendMessage(route, escapeHtml(text), { parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
      } catch (e) {
        // 403: blocked by the user, or the account was deleted; a typed failure, not an apology.
        if (e instanceof GrammyError && (e.error_code === 403 || /chat not found/i.test(e.description))) return 'REPORTER_UNREACHABLE';
        throw e;
      }
    },
    triageChatId: triageChat,
    async loadMigrations() {
      for (const [from, to] of await loadChatMigrations(app.db.prisma)) migrations.set(from, to);
    },
  };
}

/** The forum topic a message is in (undefined outside forums, and for General). */
function topicOf(m: Message): number | undefined {
  return m.is_topic_message ? m.message_thread_id : undefined;
}

/** "name args" → [name, args]. */
function splitLine(line: string): [string, string] {
  const at = line.search(/\s/);
  return at < 0 ? [line, ''] : [line.slice(0, at), line.slice(at + 1)];
}

/** The /start payload that repeats a command in a private chat, when it fits Telegram's 64 characters. */
function commandPayload(name: string, args: string): string | undefined {
  const payload = `c-${Buffer.from(args.trim() ? `${name} ${args.trim()}` : name, 'utf8').toString('base64url')}`;
  return payload.length <= 64 ? payload : undefined;
}

/** One inline result: the rendered lookup of a suggested place, shortened if it cannot fit one message. */
function inlineArticle(reply: Reply, s: { value: string; label: string }, locale: Locale, botUsername: string): InlineQueryResultArticle {
  const { html, shortened } = renderSingle(reply, locale);
  const title = reply.blocks.find((b) => b.type === 'title');
  const payload = `l-${Buffer.from(s.value, 'utf8').toString('base64url')}`;
  return {
    type: 'article',
    id: createHash('sha256').update(`${locale}\n${s.value}`).digest('hex').slice(0, 32),
    title: s.label,
    ...(title && title.type === 'title' ? { description: [...title.text].slice(0, 120).join('') } : {}),
    input_message_content: { message_text: html, parse_mode: 'HTML', link_preview_options: { is_disabled: true } },
    reply_markup: { inline_keyboard: inlineButtons(reply, shortened, s.value, locale, botUsername, payload) },
  };
}

/**
 * Under an inline result: the full answer when shortened or paged ("More" cannot follow an inline
 * message), and the place's map; both open the private chat (an inline result can carry a photo
 * only by URL or an earlier upload, and the bot serves no URLs).
 */
function inlineButtons(reply: Reply, shortened: boolean, place: string, locale: Locale, botUsername: string, payload: string): { text: string; url: string }[][] {
  const rows: { text: string; url: string }[][] = [];
  if (shortened || reply.choices?.length) rows.push([{ text: t(locale, 'telegram.full_answer'), url: deepLink(botUsername, payload.length <= 64 ? payload : 'lookup') }]);
  const map = commandPayload('map', place);
  rows.push([{ text: t(locale, 'telegram.inline_map'), url: deepLink(botUsername, map ?? 'map') }]);
  return rows;
}

/** How long stopping waits for in-flight updates (a call retrying through a network outage would wait for ever). */
const STOP_SETTLE_MS = 15_000;
const STOP_CONFIRM_MS = 3_000;

async function settleWithin(made: TelegramBot, log: Logger): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = await Promise.race([made.settled().then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), STOP_SETTLE_MS)))]);
  clearTimeout(timer);
  if (late) log.warn({ waitedMs: STOP_SETTLE_MS }, 'telegram: stopped with updates still in flight (Telegram unreachable?)');
}

/**
 * Starts the Telegram adapter: checks the token (getMe), registers the command menus, plugs in
 * the triage notifier and relay, then receives updates by long polling or webhook.
 * Webhook mode needs HTTP_PORT (the port the reverse proxy forwards TELEGRAM_WEBHOOK_URL to).
 */
export async function startTelegram(env: AdapterEnv, extra: Pick<TelegramBotOptions, 'flood' | 'retry' | 'botInfo'> = {}): Promise<RunningTelegram> {
  const tg = env.config.telegram;
  if (!tg) throw new Error('startTelegram needs TELEGRAM_BOT_TOKEN');
  if (tg.webhookUrl && env.config.httpPort === undefined) throw new Error('TELEGRAM_WEBHOOK_URL needs HTTP_PORT: set it to the local port your reverse proxy forwards the webhook to');
  const { log } = env;
  const made = createTelegramBot({ app: env.app, lantern: env.lantern, log, telegram: tg, ...extra });
  const { bot } = made;
  await made.loadMigrations();
  try {
    await bot.init();
  } catch (e) {
    if (e instanceof GrammyError && e.error_code === 401) throw new Error('Telegram refused TELEGRAM_BOT_TOKEN (401): check it with @BotFather', { cause: e });
    throw e;
  }

  // The triage menu goes to the group's id now (an upgraded group's menu is registered at the next start).
  for (const p of toTelegramCommands(env.lantern.commands, { triageChatId: made.triageChatId() })) {
    try {
      await bot.api.setMyCommands(p.commands, { scope: p.scope, ...(p.language_code ? { language_code: p.language_code } : {}) });
    } catch (e) {
      // Most often: the bot is not (yet) a member of the triage group. The other menus still work.
      log.warn({ scope: p.scope.type, language: p.language_code ?? 'default', err: describeError(e) }, 'telegram: command menu not registered');
    }
  }
  if (made.notifier) env.app.registerNotifier(made.notifier);
  env.app.registerRelay('telegram', made.relay);
  // Views that fell due while no process ran are deleted now; later ones by their timer or a sweep.
  void made.deleteDue();
  const sweep = setInterval(() => void made.deleteDue(), DELETION_SWEEP_MS);
  sweep.unref();

  let stopped = false;
  if (tg.webhookUrl) {
    const path = new URL(tg.webhookUrl).pathname;
    const handle = webhookCallback(bot, 'http', { secretToken: tg.webhookSecret, onTimeout: 'return', timeoutMilliseconds: 9_000 });
    env.http.route('POST', path, async (req, res) => {
      // While stopping, Telegram is told to come back later (it retries the update).
      if (stopped) return void res.writeHead(503).end();
      await handle(req, res);
    });
    await bot.api.setWebhook(tg.webhookUrl, { secret_token: tg.webhookSecret, allowed_updates: [...ALLOWED_UPDATES] });
    env.http.readiness('telegram', () => !stopped);
    log.info({ mode: 'webhook' }, 'telegram adapter started'); // not the path: some operators make it secret too
    return {
      name: 'telegram',
      settled: made.settled,
      async stop() {
        stopped = true;
        clearInterval(sweep);
        await settleWithin(made, log);
      },
    };
  }

  // A webhook left from an earlier deployment would make getUpdates fail with 409.
  await bot.api.deleteWebhook();
  // silent: the runner would print errors with console.error; the transformer above logs them instead.
  const runner: RunnerHandle = run(bot, { runner: { fetch: { timeout: 30, allowed_updates: [...ALLOWED_UPDATES] }, silent: true } });
  runner.task()?.catch((e: unknown) => log.error({ err: describeError(e) }, 'telegram long polling stopped; the adapter is not receiving updates'));
  env.http.readiness('telegram', () => !stopped && runner.isRunning());
  log.info({ mode: 'long-polling' }, 'telegram adapter started');
  return {
    name: 'telegram',
    settled: made.settled,
    async stop() {
      stopped = true;
      clearInterval(sweep);
      if (runner.isRunning()) await runner.stop();
      await settleWithin(made, log);
      // Confirm what was handled, so the next start does not receive those updates again.
      const last = made.lastUpdateId();
      if (last !== undefined) await bot.api.getUpdates({ offset: last + 1, limit: 1, timeout: 0 }, AbortSignal.timeout(STOP_CONFIRM_MS) as unknown as Parameters<Api['getUpdates']>[1]).catch(() => undefined);
    },
  };
}
