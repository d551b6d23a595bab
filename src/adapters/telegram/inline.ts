/** Inline mode: "@bot New York" in any chat suggests places, each result the rendered lookup. */
import type { Composer, Context } from 'grammy';
import type { InlineQueryResultArticle } from 'grammy/types';
import { createHash } from 'node:crypto';
import type { CoreContext } from '../../core/context.ts';
import { t } from '../../core/i18n/catalog.ts';
import type { Locale } from '../../core/i18n/locales.ts';
import type { Reply } from '../../core/reply.ts';
import { TELEGRAM_CAPABILITIES } from './capabilities.ts';
import { deepLink } from './deliver.ts';
import { renderSingle } from './render.ts';
import { commandPayload, lookupPayload } from './start-payloads.ts';
import type { TelegramState } from './state.ts';

/** Most inline results per query (each is a full lookup). */
const INLINE_RESULTS = 10;

/** Answers inline queries. */
export function registerInline(s: TelegramState, guarded: Composer<Context>): void {
  const { app, lantern } = s;
  guarded.on('inline_query', async (c) => {
    const q = c.inlineQuery;
    const actor = await app.actor('telegram', String(q.from.id), { localeHint: q.from.language_code, triage: false });
    const ctx: CoreContext = { actor, chat: 'public', deps: app.deps, capabilities: TELEGRAM_CAPABILITIES };
    const query = q.query.trim();
    const suggestions = query ? lantern.autocomplete('places', query, actor.locale, app.deps.dataset()).slice(0, INLINE_RESULTS) : [];
    const results: InlineQueryResultArticle[] = [];
    for (const x of suggestions) {
      const reply = await lantern.command('lookup', { place: x.value }, ctx);
      const article = inlineArticle(reply, x, actor.locale, s.bot.botInfo.username);
      // Telegram refuses the whole answer if two results share an id.
      if (reply.kind === 'answer' && !results.some((r) => r.id === article.id)) results.push(article);
    }
    await c.answerInlineQuery(results, {
      cache_time: 300,
      is_personal: true,
      button: { text: t(actor.locale, 'telegram.open_private'), start_parameter: 'help' },
    });
  });
}

/** One inline result: the rendered lookup of a suggested place, shortened if it cannot fit one message. */
function inlineArticle(reply: Reply, x: { value: string; label: string }, locale: Locale, botUsername: string): InlineQueryResultArticle {
  const { html, shortened } = renderSingle(reply, locale);
  const title = reply.blocks.find((b) => b.type === 'title');
  return {
    type: 'article',
    id: createHash('sha256').update(`${locale}\n${x.value}`).digest('hex').slice(0, 32),
    title: x.label,
    ...(title && title.type === 'title' ? { description: [...title.text].slice(0, 120).join('') } : {}),
    input_message_content: { message_text: html, parse_mode: 'HTML', link_preview_options: { is_disabled: true } },
    reply_markup: { inline_keyboard: inlineButtons(reply, shortened, x.value, locale, botUsername, lookupPayload(x.value)) },
  };
}

/**
 * Under an inline result: the full answer when shortened or paged ("More" cannot follow an inline
 * message), and the place's map; both open the private chat (an inline result can carry a photo
 * only by URL or an earlier upload, and the bot serves no URLs).
 */
function inlineButtons(
  reply: Reply,
  shortened: boolean,
  place: string,
  locale: Locale,
  botUsername: string,
  payload: string,
): { text: string; url: string }[][] {
  const rows: { text: string; url: string }[][] = [];
  if (shortened || reply.choices?.length)
    rows.push([{ text: t(locale, 'telegram.full_answer'), url: deepLink(botUsername, payload.length <= 64 ? payload : 'lookup') }]);
  const map = commandPayload('map', place);
  rows.push([{ text: t(locale, 'telegram.inline_map'), url: deepLink(botUsername, map ?? 'map') }]);
  return rows;
}
