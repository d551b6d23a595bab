/**
 * The bot and the path every call and update takes. API calls: logged by method and code (never
 * payloads), held per chat while Telegram asks that chat to wait (429), followed to a group's new
 * id, retried by auto-retry. Updates: counted in flight, one error boundary, per-person flood
 * control, one chat's updates in order.
 */
import { autoRetry } from '@grammyjs/auto-retry';
import { limit } from '@grammyjs/ratelimiter';
import { sequentialize } from '@grammyjs/runner';
import type { Composer, Context } from 'grammy';
import { t } from '../../core/i18n/catalog.ts';
import { errorFields } from '../kit/error-fields.ts';
import { inThread } from './deliver.ts';
import { onError } from './error-boundary.ts';
import { grammyErrorFields } from './errors.ts';
import { topicOf } from './people.ts';
import { escapeHtml } from './render.ts';
import type { FloodOptions, TelegramBotOptions, TelegramState } from './state.ts';

const DEFAULT_FLOOD: FloodOptions = { timeFrameMs: 10_000, limit: 20 };
const INLINE_FLOOD: FloodOptions = { timeFrameMs: 10_000, limit: 30 };

/** A chat told to wait (429) holds every call to it until then: queued, in order, whole. */
class ChatHolds {
  private readonly heldUntil = new Map<string, number>();

  hold(chat: string, seconds: number): void {
    this.heldUntil.set(chat, Math.max(this.heldUntil.get(chat) ?? 0, Date.now() + seconds * 1000));
  }

  /** Resolves when the chat may be called again (or the call was aborted). */
  async waitTurn(chat: string, signal: { readonly aborted: boolean } | undefined): Promise<void> {
    for (let until = this.heldUntil.get(chat) ?? 0; until > Date.now(); until = this.heldUntil.get(chat) ?? 0) {
      await new Promise((resolve) => setTimeout(resolve, until - Date.now()));
      if (signal?.aborted) return;
    }
    this.heldUntil.delete(chat);
  }
}

/** Installs the API transformers: the failure log, the per-chat gate (holds and moves), auto-retry. */
export function installApiCalls(s: TelegramState, retryOpts: TelegramBotOptions['retry']): void {
  const { bot, log, migrations } = s;
  const holds = new ChatHolds();
  // No ceiling on retry_after: Telegram asks for what it needs (minutes in a flood); giving up
  // cut answers in half and lost the apology too. Attempts are counted per call.
  const retry = retryOpts ?? { maxDelaySeconds: Infinity, maxRetryAttempts: 5 };
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
      if (!signal?.aborted) log.warn({ method, err: errorFields(e, grammyErrorFields) }, 'telegram API unreachable');
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
    await holds.waitTurn(moved ?? chat, signal);
    let res = await prev(method, moved ? call(moved) : payload, signal);
    const to = res.ok ? undefined : res.parameters?.migrate_to_chat_id;
    if (to !== undefined) {
      await migrations.follow(moved ?? chat, String(to));
      res = await prev(method, call(String(to)), signal);
    }
    if (!res.ok && res.error_code === 429 && res.parameters?.retry_after)
      holds.hold(String(to ?? moved ?? chat), res.parameters.retry_after);
    return res;
  });
  bot.api.config.use(autoRetry({ ...retry, rethrowHttpErrors: false }));
}

/**
 * Installs the update pipeline and returns the guarded composer the handlers go on: in-flight
 * tracking, the one error handler, flood control, per-chat order.
 */
export function installPipeline(s: TelegramState, floodOpts: FloodOptions | undefined): Composer<Context> {
  const { bot, app } = s;
  bot.use(async (c, next) => {
    s.lastUpdateId = Math.max(s.lastUpdateId ?? 0, c.update.update_id);
    await s.inFlight.track(next());
  });
  bot.catch((err) => onError(s, err));
  // The boundary routes handler errors to the same function in both long polling and webhook mode.
  const guarded = bot.errorBoundary((err) => onError(s, err));

  const flood = floodOpts ?? DEFAULT_FLOOD;
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
        else if (c.chat)
          await bot.api
            .sendMessage(c.chat.id, escapeHtml(note), {
              parse_mode: 'HTML',
              ...inThread(c.msg ? topicOf(c.msg) : undefined),
              ...(c.msg ? { reply_parameters: { message_id: c.msg.message_id, allow_sending_without_reply: true } } : {}),
            })
            .catch(() => undefined);
      },
    }),
  );
  guarded.use(
    limit<Context, never>({
      timeFrame: INLINE_FLOOD.timeFrameMs,
      limit: INLINE_FLOOD.limit,
      keyPrefix: 'INLINE',
      keyGenerator: (c) => (c.inlineQuery ? String(c.inlineQuery.from.id) : undefined),
    }),
  );
  // One chat's updates are handled in order (a conversation's steps must not overtake each other).
  guarded.use(sequentialize<Context>((c) => (c.inlineQuery ? undefined : String(c.chat?.id ?? c.from?.id ?? ''))));
  return guarded;
}
