/**
 * A small fake of the Telegram Bot API on 127.0.0.1 (node:http), faithful enough for the real
 * grammY client: it honours getUpdates' offset / limit / timeout (holding the request until an
 * update arrives), records every call, serves getFile and /file/bot<token>/<path> downloads, and
 * can be told to answer 429 (with retry_after), a 5xx, or 403 for a person's private chat, or to
 * drop the connection without answering (recorded with status 0).
 * No test framework inside: the benchmark uses it too.
 *
 * It is strict: what the real Bot API refuses, it refuses with the real error shape
 * (`{ ok: false, error_code, description, parameters }`), each rule citing the docs
 * (https://core.telegram.org/bots/api and https://core.telegram.org/bots/faq); see `strictRules`.
 *
 * Fixture factories build updates (`telegramUpdate({ text: '/lookup Prato' })`); `push` gives
 * them their update_id.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Chat, Message, Update, User, UserFromGetMe } from 'grammy/types';

/** One recorded Bot API call. */
export interface FakeCall {
  method: string;
  params: Record<string, unknown>;
  /** performance.now() when the request body was read */
  at: number;
  /** HTTP status the fake answered */
  status: number;
  /** files of a multipart request (sendDocument…) */
  files: { field: string; name: string; bytes: number }[];
  /** the result the fake answered with (successful calls) */
  result?: unknown;
  /** the error the fake answered with (refused calls) */
  error?: ApiError;
  /** for a message sent into a forum: the topic it landed in ('general' without message_thread_id) */
  topic?: number | 'general';
}

/** The Bot API's error shape (https://core.telegram.org/bots/api#making-requests). */
export interface ApiError {
  ok: false;
  error_code: number;
  description: string;
  parameters?: { migrate_to_chat_id?: number; retry_after?: number };
}

/** How strict the fake is; the defaults are the real service's. */
export interface StrictOptions {
  /** messages per minute one group accepts (FAQ: "no more than 20 messages per minute in the same group") */
  groupPerMinute?: number;
  /** the window of that limit, ms (tests may shorten it) */
  groupWindowMs?: number;
  /** how long a callback query may wait for its answer, ms (the client stops waiting; the API then refuses) */
  callbackDeadlineMs?: number;
}

/** An update before the fake numbers it. */
export type UpdateInput = Omit<Update, 'update_id'>;

/** A failure the fake answers instead of the real result. */
export type Failure =
  | { status: 429; retryAfter: number }
  | { status: 500 | 502 | 503 }
  | { status: 400 | 403; description: string }
  | { status: 'drop' }
  | { status: 'slow'; ms: number };

/** The running fake. */
export interface FakeTelegram {
  /** the apiRoot to give grammY (TELEGRAM_API_ROOT) */
  url: string;
  token: string;
  bot: UserFromGetMe;
  calls: FakeCall[];
  /** queues an update for getUpdates; returns its update_id */
  push(update: UpdateInput): number;
  /** makes a file downloadable through getFile; returns what a message carries */
  addFile(bytes: Uint8Array, opts?: { fileId?: string; fileSize?: number }): { file_id: string; file_unique_id: string; file_size: number };
  /** the next `count` calls (of `method`, or of any method except getUpdates) fail this way ('drop': the socket is destroyed, the call is not carried out; 'slow': answered normally after `ms`) */
  failNext(count: number, failure: Failure, method?: string): void;
  /** this person never started the bot: messages to their private chat get 403 */
  blockPrivateChat(userId: number): void;
  /** this person blocked the bot: messages to their private chat get 403 "bot was blocked by the user" */
  blockedByUser(userId: number): void;
  /** a basic group upgraded to a supergroup: sends to `oldId` get 400 with migrate_to_chat_id */
  migrateGroup(oldId: number, newId: number): void;
  /** this supergroup is a forum with these topic ids (General is always there) */
  makeForum(chatId: number, topics: number[]): void;
  /** file ids whose getFile answers 400 "file is too big" (over 20 MB) */
  addLargeFile(size: number): { file_id: string; file_unique_id: string; file_size: number };
  /** the first call of `method` after index `after` that matches `pred` (waits for it) */
  waitFor(method: string, pred?: (c: FakeCall) => boolean, opts?: { after?: number; timeoutMs?: number }): Promise<FakeCall>;
  /** calls of `method` recorded after index `after` */
  callsOf(method: string, after?: number): FakeCall[];
  /** called for every recorded call (benchmarks) */
  onCall: ((c: FakeCall) => void) | undefined;
  /** updates queued and not yet confirmed by an offset */
  pendingUpdates(): number;
  close(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
};

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Parses JSON, urlencoded or multipart/form-data bodies (what grammY sends). */
function parseParams(req: IncomingMessage, body: Buffer): { params: Record<string, unknown>; files: FakeCall['files'] } {
  const type = req.headers['content-type'] ?? '';
  const files: FakeCall['files'] = [];
  if (!body.length) return { params: {}, files };
  if (type.startsWith('application/json')) return { params: JSON.parse(body.toString('utf8')) as Record<string, unknown>, files };
  if (type.startsWith('application/x-www-form-urlencoded'))
    return { params: Object.fromEntries(new URLSearchParams(body.toString('utf8'))), files };
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(type);
  if (!boundary) return { params: {}, files };
  const params: Record<string, unknown> = {};
  const sep = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  let start = body.indexOf(sep);
  while (start >= 0) {
    const next = body.indexOf(sep, start + sep.length);
    if (next < 0) break;
    const part = body.subarray(start + sep.length + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, headerEnd).toString('utf8');
    const content = part.subarray(headerEnd + 4);
    const name = /name="([^"]*)"/.exec(headers)?.[1] ?? '';
    const filename = /filename=(?:"([^"]*)"|([^;\r\n]+))/
      .exec(headers)
      ?.slice(1)
      .find((x) => x !== undefined); // grammY leaves it unquoted
    if (filename !== undefined) files.push({ field: name, name: filename, bytes: content.length });
    else {
      const text = content.toString('utf8');
      try {
        params[name] = JSON.parse(text);
      } catch {
        params[name] = text;
      }
    }
    start = next;
  }
  return { params, files };
}

/** Starts the fake on an ephemeral port. */
export async function startFakeTelegram(
  opts: { token?: string; bot?: Partial<UserFromGetMe>; maxHoldMs?: number; record?: boolean; strict?: StrictOptions } = {},
): Promise<FakeTelegram> {
  const token = opts.token ?? '123456:TEST-fake-telegram-token-000';
  const bot: UserFromGetMe = {
    id: Number(token.split(':')[0]),
    is_bot: true,
    first_name: 'Lantern',
    username: 'lantern_test_bot',
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: true,
    can_connect_to_business: false,
    has_main_web_app: false,
    ...opts.bot,
  } as UserFromGetMe;
  const maxHoldMs = opts.maxHoldMs ?? 30_000;
  const record = opts.record ?? true;
  const calls: FakeCall[] = [];
  let updates: Update[] = [];
  let nextUpdateId = 1;
  let nextMessageId = 1000;
  const files = new Map<string, { path: string; bytes: Uint8Array; size: number; unique: string }>();
  const failures: { count: number; failure: Failure; method: string | undefined }[] = [];
  const blocked = new Set<number>();
  const blockedBy = new Set<number>();
  const migrated = new Map<number, number>();
  const forums = new Map<number, Set<number>>();
  const largeFiles = new Set<string>();
  const strict = { groupPerMinute: 20, groupWindowMs: 60_000, callbackDeadlineMs: 15_000, ...opts.strict };
  const groupSends = new Map<number, number[]>();
  /** when each callback query was handed out by getUpdates (for the answer deadline) */
  const callbackSeen = new Map<string, number>();
  const callbackAnswered = new Set<string>();
  const waiters = new Set<{ offset: number; limit: number; res: ServerResponse; timer: NodeJS.Timeout }>();
  const listeners = new Set<{ check: (c: FakeCall) => boolean }>();

  const available = (offset: number, limit: number) => updates.filter((u) => u.update_id >= offset).slice(0, limit);
  const wake = () => {
    for (const w of waiters) {
      const ready = available(w.offset, w.limit);
      if (!ready.length) continue;
      clearTimeout(w.timer);
      waiters.delete(w);
      for (const u of ready)
        if (u.callback_query && !callbackSeen.has(u.callback_query.id)) callbackSeen.set(u.callback_query.id, performance.now());
      json(w.res, 200, { ok: true, result: ready });
    }
  };

  const recordCall = (c: FakeCall) => {
    if (record) calls.push(c);
    fake.onCall?.(c);
    for (const l of listeners) l.check(c);
  };

  const failureFor = (method: string): Failure | undefined => {
    const i = failures.findIndex((f) => (f.method ? f.method === method : method !== 'getUpdates'));
    if (i < 0) return undefined;
    const f = failures[i]!;
    if (--f.count <= 0) failures.splice(i, 1);
    return f.failure;
  };

  const message = (chatId: number, extra: Partial<Message> = {}): Message =>
    ({
      message_id: nextMessageId++,
      date: Math.floor(Date.now() / 1000),
      chat:
        chatId < 0
          ? { id: chatId, type: 'supergroup', title: 'Group', ...(forums.has(chatId) ? { is_forum: true } : {}) }
          : { id: chatId, type: 'private', first_name: 'Person' },
      ...extra,
    }) as Message;

  const refuse = (error_code: number, description: string, parameters?: ApiError['parameters']) => ({
    status: error_code,
    body: { ok: false, error_code, description, ...(parameters ? { parameters } : {}) } as ApiError,
  });
  const SENDS = new Set(['sendMessage', 'sendDocument', 'sendPhoto', 'sendChatAction', 'editMessageText', 'copyMessage', 'forwardMessage']);

  /** Visible length of a text after entity parsing, in UTF-16 code units as the API counts entities. */
  const visibleLength = (text: string, parseMode: unknown) =>
    (parseMode === 'HTML' ? text.replace(/<[^>]*>/g, '').replace(/&(lt|gt|amp|quot|#\d+|#x[0-9a-f]+);/gi, '.') : text).length;

  /**
   * The Bot API's rules for one call, checked before it is carried out; undefined when it may go ahead.
   * Each cites the documentation it follows.
   */
  function strictRules(method: string, p: Record<string, unknown>): { status: number; body: ApiError } | undefined {
    const chatId = Number(p.chat_id);
    // "If a group chat was migrated to a supergroup, [parameters] migrate_to_chat_id: the group has been migrated to a supergroup with the specified identifier" (#responseparameters).
    if (SENDS.has(method) && migrated.has(chatId))
      return refuse(400, 'Bad Request: group chat was upgraded to a supergroup chat', { migrate_to_chat_id: migrated.get(chatId)! });
    if (method === 'sendMessage') {
      // sendMessage: "text: Text of the message to be sent, 1-4096 characters after entities parsing".
      const n = visibleLength(String(p.text ?? ''), p.parse_mode);
      if (n === 0) return refuse(400, 'Bad Request: message text is empty');
      if (n > 4096) return refuse(400, 'Bad Request: message is too long');
    }
    // sendDocument / sendPhoto: "caption: 0-1024 characters after entities parsing".
    if (
      (method === 'sendDocument' || method === 'sendPhoto') &&
      typeof p.caption === 'string' &&
      visibleLength(p.caption, p.parse_mode) > 1024
    )
      return refuse(400, 'Bad Request: message caption is too long');
    const markup = p.reply_markup as { inline_keyboard?: { callback_data?: string }[][] } | undefined;
    if (markup?.inline_keyboard) {
      const buttons = markup.inline_keyboard.flat();
      // InlineKeyboardButton: "callback_data: Data to be sent in a callback query to the bot when the button is pressed, 1-64 bytes".
      if (
        buttons.some(
          (b) => b.callback_data !== undefined && (b.callback_data.length === 0 || Buffer.byteLength(b.callback_data, 'utf8') > 64),
        )
      )
        return refuse(400, 'Bad Request: BUTTON_DATA_INVALID');
      // Not in the Bot API reference: the 100-button ceiling is what client developers report (issue #13); the description here is approximate.
      if (buttons.length > 100) return refuse(400, 'Bad Request: reply markup is too long');
    }
    if (
      SENDS.has(method) &&
      forums.has(chatId) &&
      p.message_thread_id !== undefined &&
      !forums.get(chatId)!.has(Number(p.message_thread_id))
    )
      return refuse(400, 'Bad Request: message thread not found');
    // getFile: "bots can download files of up to 20MB in size".
    if (method === 'getFile' && largeFiles.has(String(p.file_id))) return refuse(400, 'Bad Request: file is too big');
    if (method === 'answerCallbackQuery') {
      // The client gives up waiting for the answer; the API then answers this (answerCallbackQuery; observed description).
      const seen = callbackSeen.get(String(p.callback_query_id));
      if (seen !== undefined && performance.now() - seen > strict.callbackDeadlineMs)
        return refuse(400, 'Bad Request: query is too old and response timeout expired or query ID is invalid');
      // A query is answered once ("the answer will be displayed to the user…"); a second answer is refused the same way.
      if (callbackAnswered.has(String(p.callback_query_id)))
        return refuse(400, 'Bad Request: query is too old and response timeout expired or query ID is invalid');
      callbackAnswered.add(String(p.callback_query_id));
    }
    if (method === 'sendMessage' && chatId < 0) {
      // FAQ "My bot is hitting limits": "your bot will not be able to send more than 20 messages per minute to the same group"; the 429 says how long to wait.
      const now = performance.now();
      const recent = (groupSends.get(chatId) ?? []).filter((t) => now - t < strict.groupWindowMs);
      groupSends.set(chatId, recent);
      if (recent.length >= strict.groupPerMinute) {
        const retryAfter = Math.max(1, Math.ceil((strict.groupWindowMs - (now - recent[0]!)) / 1000));
        return refuse(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });
      }
      recent.push(now);
    }
    return undefined;
  }

  /** The topic a message lands in, when its chat is a forum ("message_thread_id: … for forum supergroups only"; without it, General). */
  const topicOf = (method: string, p: Record<string, unknown>): FakeCall['topic'] => {
    if (!SENDS.has(method) || !forums.has(Number(p.chat_id))) return undefined;
    return p.message_thread_id === undefined ? 'general' : Number(p.message_thread_id);
  };

  function answer(method: string, p: Record<string, unknown>): { status: number; body: unknown } {
    const ok = (result: unknown) => ({ status: 200, body: { ok: true, result } });
    const chatId = Number(p.chat_id);
    switch (method) {
      case 'getMe':
        return ok(bot);
      case 'sendMessage':
      case 'sendDocument':
      case 'sendPhoto':
        if (blocked.has(chatId))
          return {
            status: 403,
            body: { ok: false, error_code: 403, description: "Forbidden: bot can't initiate conversation with a user" },
          };
        if (blockedBy.has(chatId)) return refuse(403, 'Forbidden: bot was blocked by the user');
        return ok(
          message(chatId, {
            ...(method === 'sendMessage' ? { text: String(p.text ?? '') } : {}),
            ...(forums.has(chatId) && p.message_thread_id !== undefined
              ? { message_thread_id: Number(p.message_thread_id), is_topic_message: true }
              : {}),
          }),
        );
      case 'getFile': {
        const f = files.get(String(p.file_id));
        if (!f) return { status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: invalid file_id' } };
        return ok({ file_id: String(p.file_id), file_unique_id: f.unique, file_size: f.size, file_path: f.path });
      }
      case 'setMyCommands':
      case 'deleteMyCommands':
      case 'setWebhook':
      case 'deleteWebhook':
      case 'answerCallbackQuery':
      case 'answerInlineQuery':
      case 'deleteMessage':
      case 'sendChatAction':
        return ok(true);
      case 'getWebhookInfo':
        return ok({ url: '', has_custom_certificate: false, pending_update_count: updates.length });
      default:
        return { status: 404, body: { ok: false, error_code: 404, description: 'Not Found: method not found' } };
    }
  }

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
      if (file) {
        const f = [...files.values()].find((x) => x.path === file[2]);
        if (file[1] !== token || !f) return void res.writeHead(404).end();
        return void res
          .writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': f.bytes.byteLength })
          .end(Buffer.from(f.bytes));
      }
      const m = /^\/bot([^/]+)\/(\w+)$/.exec(url.pathname);
      if (!m) return void json(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      const body = await readBody(req);
      const { params, files: uploaded } = parseParams(req, body);
      const method = m[2]!;
      const at = performance.now();
      if (m[1] !== token) {
        recordCall({ method, params, at, status: 401, files: uploaded });
        return void json(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
      }
      const failure = failureFor(method);
      if (failure?.status === 'slow') await new Promise((resolve) => setTimeout(resolve, failure.ms));
      else if (failure?.status === 'drop') {
        recordCall({ method, params, at, status: 0, files: uploaded });
        return void req.socket.destroy();
      } else if (failure) {
        recordCall({ method, params, at, status: failure.status, files: uploaded });
        if (failure.status === 429)
          return void json(res, 429, {
            ok: false,
            error_code: 429,
            description: `Too Many Requests: retry after ${failure.retryAfter}`,
            parameters: { retry_after: failure.retryAfter },
          });
        return void json(res, failure.status, {
          ok: false,
          error_code: failure.status,
          description: 'description' in failure ? failure.description : 'Internal Server Error',
        });
      }
      if (method === 'getUpdates') {
        const offset = Number(params.offset ?? 0);
        const limit = Math.min(100, Math.max(1, Number(params.limit ?? 100)));
        if (offset > 0) updates = updates.filter((u) => u.update_id >= offset); // confirms the earlier ones
        recordCall({ method, params, at, status: 200, files: uploaded });
        const ready = available(offset, limit);
        for (const u of ready)
          if (u.callback_query && !callbackSeen.has(u.callback_query.id)) callbackSeen.set(u.callback_query.id, performance.now());
        const hold = Math.min(maxHoldMs, Number(params.timeout ?? 0) * 1000);
        if (ready.length || hold <= 0) return void json(res, 200, { ok: true, result: ready });
        const w = {
          offset,
          limit,
          res,
          timer: setTimeout(() => {
            waiters.delete(w);
            json(res, 200, { ok: true, result: [] });
          }, hold),
        };
        waiters.add(w);
        res.once('close', () => {
          clearTimeout(w.timer);
          waiters.delete(w);
        });
        return;
      }
      const refused = strictRules(method, params);
      const { status, body: out } = refused ?? answer(method, params);
      const topic = topicOf(method, params);
      recordCall({
        method,
        params,
        at,
        status,
        files: uploaded,
        result: (out as { result?: unknown }).result,
        ...((out as { ok: boolean }).ok ? {} : { error: out as ApiError }),
        ...(topic !== undefined && status === 200 ? { topic } : {}),
      });
      json(res, status, out);
    })().catch((e: unknown) => {
      if (!res.headersSent) json(res, 500, { ok: false, error_code: 500, description: `fake failed: ${(e as Error).message}` });
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const fake: FakeTelegram = {
    url: `http://127.0.0.1:${port}`,
    token,
    bot,
    calls,
    onCall: undefined,
    push(update) {
      const u = { ...update, update_id: nextUpdateId++ } as Update;
      updates.push(u);
      wake();
      return u.update_id;
    },
    addFile(bytes, o = {}) {
      const id = o.fileId ?? `file-${files.size + 1}-${Math.random().toString(36).slice(2, 8)}`;
      const entry = { path: `documents/${id}.bin`, bytes, size: o.fileSize ?? bytes.byteLength, unique: `u-${id}` };
      files.set(id, entry);
      return { file_id: id, file_unique_id: entry.unique, file_size: entry.size };
    },
    failNext(count, failure, method) {
      failures.push({ count, failure, method });
    },
    blockPrivateChat(userId) {
      blocked.add(userId);
    },
    blockedByUser(userId) {
      blockedBy.add(userId);
    },
    migrateGroup(oldId, newId) {
      migrated.set(oldId, newId);
    },
    makeForum(chatId, topics) {
      forums.set(chatId, new Set(topics));
    },
    addLargeFile(size) {
      const id = `large-${files.size + largeFiles.size + 1}`;
      largeFiles.add(id);
      return { file_id: id, file_unique_id: `u-${id}`, file_size: size };
    },
    callsOf(method, after = 0) {
      return calls.slice(after).filter((c) => c.method === method);
    },
    waitFor(method, pred = () => true, o = {}) {
      const after = o.after ?? 0;
      const found = calls.slice(after).find((c) => c.method === method && pred(c));
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const l = {
          check: (c: FakeCall) => {
            if (c.method !== method || !pred(c)) return false;
            clearTimeout(timer);
            listeners.delete(l);
            resolve(c);
            return true;
          },
        };
        const timer = setTimeout(() => {
          listeners.delete(l);
          const seen = calls
            .slice(after)
            .map((c) => `${c.method}(${c.status})`)
            .join(', ');
          reject(new Error(`fake Telegram: no matching ${method} within ${o.timeoutMs ?? 10_000} ms; calls since: ${seen || 'none'}`));
        }, o.timeoutMs ?? 10_000);
        listeners.add(l);
      });
    },
    pendingUpdates: () => updates.length,
    async close() {
      for (const w of waiters) {
        clearTimeout(w.timer);
        if (!w.res.headersSent) json(w.res, 200, { ok: true, result: [] });
      }
      waiters.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

// ── fixture factories ──

let nextFixtureMessageId = 1;
const now = () => Math.floor(Date.now() / 1000);

/** People in the fixtures (ids are fake). */
export const people = {
  alice: { id: 710001, is_bot: false, first_name: 'Alice', username: 'alice_fixture', language_code: 'en' },
  bo: { id: 710002, is_bot: false, first_name: '波', language_code: 'zh-hans' },
  triager: { id: 710003, is_bot: false, first_name: 'Tamsin', username: 'tamsin_fixture', language_code: 'en' },
} satisfies Record<string, User>;

/** A person's private chat with the bot. */
export const privateChat = (u: User): Chat.PrivateChat => ({ id: u.id, type: 'private', first_name: u.first_name });

/** A community group and the operator's triage group. */
export const groups = {
  community: { id: -1002000000001, type: 'supergroup', title: 'Community' } as Chat.SupergroupChat,
  triage: { id: -1009000000001, type: 'supergroup', title: 'Triage' } as Chat.SupergroupChat,
};

interface MessageOpts {
  from?: User | undefined;
  chat?: Chat;
  /** leave `from` out (a malformed update) */
  noSender?: boolean;
}

function baseMessage(o: MessageOpts): Message {
  const from = o.noSender ? undefined : (o.from ?? people.alice);
  return {
    message_id: nextFixtureMessageId++,
    date: now(),
    chat: o.chat ?? privateChat(o.from ?? people.alice),
    ...(from ? { from } : {}),
  } as Message;
}

/** A text message (commands get their bot_command entity, as Telegram sends them). */
export function telegramUpdate(o: MessageOpts & { text: string }): UpdateInput {
  const cmd = /^\/\S+/.exec(o.text);
  return {
    message: { ...baseMessage(o), text: o.text, ...(cmd ? { entities: [{ type: 'bot_command', offset: 0, length: cmd[0].length }] } : {}) },
  } as UpdateInput;
}

/** A press on an inline keyboard button. */
export function callbackQuery(o: { data: string; from?: User; chat?: Chat; messageId?: number }): UpdateInput {
  const from = o.from ?? people.alice;
  const chat = o.chat ?? privateChat(from);
  return {
    callback_query: {
      id: `cq-${nextFixtureMessageId++}`,
      from,
      chat_instance: `ci-${chat.id}`,
      data: o.data,
      message: { message_id: o.messageId ?? nextFixtureMessageId++, date: now(), chat, text: 'earlier message' } as Message,
    },
  } as UpdateInput;
}

/** An inline query (@bot New York typed in any chat). */
export function inlineQuery(o: { query: string; from?: User }): UpdateInput {
  return { inline_query: { id: `iq-${nextFixtureMessageId++}`, from: o.from ?? people.alice, query: o.query, offset: '' } };
}

/** A shared location. */
export function location(o: MessageOpts & { latitude: number; longitude: number }): UpdateInput {
  return { message: { ...baseMessage(o), location: { latitude: o.latitude, longitude: o.longitude } } } as UpdateInput;
}

/** A photo (Telegram sends several sizes; the file ids must have been added to the fake). */
export function photo(o: MessageOpts & { sizes: { file_id: string; file_unique_id: string; file_size: number }[] }): UpdateInput {
  return {
    message: { ...baseMessage(o), photo: o.sizes.map((s, i) => ({ ...s, width: 320 * (i + 1), height: 240 * (i + 1) })) },
  } as UpdateInput;
}

/** A file sent as a document. */
export function document(
  o: MessageOpts & { file: { file_id: string; file_unique_id: string; file_size: number }; mime: string; name: string },
): UpdateInput {
  return { message: { ...baseMessage(o), document: { ...o.file, mime_type: o.mime, file_name: o.name } } } as UpdateInput;
}

/** A message edited after it was sent (Telegram sends the new text as edited_message). */
export function editedMessage(o: MessageOpts & { text: string; messageId?: number }): UpdateInput {
  return {
    edited_message: { ...baseMessage(o), ...(o.messageId ? { message_id: o.messageId } : {}), text: o.text, edit_date: now() },
  } as UpdateInput;
}

/** A message written in a forum topic (is_topic_message, message_thread_id). */
export function inTopic(update: UpdateInput, threadId: number): UpdateInput {
  const m = update.message ?? update.callback_query?.message;
  if (m) Object.assign(m, { message_thread_id: threadId, is_topic_message: true, chat: { ...m.chat, is_forum: true } });
  return update;
}
