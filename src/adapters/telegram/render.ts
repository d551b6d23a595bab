/**
 * Renders the platform-neutral Reply as Telegram HTML messages (parse_mode "HTML").
 *
 * Every piece of text that comes from the dataset, from a person or from the catalog is escaped;
 * the only markup is the handful of tags added here (<b>, <i>, <a>, <blockquote>). A reply longer
 * than one message is split on block boundaries (a station, a citation), never inside a tag.
 */
import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'grammy/types';
import { catalogs, type MessageKey } from '../../core/i18n/catalog.ts';
import type { Locale } from '../../core/i18n/locales.ts';
import type { Block, Choice, Citation, Reply } from '../../core/reply.ts';
import { safeCutIndex } from '../../core/text/split.ts';
import { citationDate, citeMarks } from '../kit/citations.ts';

/** Telegram's limit for one text message (characters after entity parsing; HTML is longer, so measuring it is safe). */
export const MESSAGE_LIMIT = 4096;
/** Telegram's limit for callback_data, in bytes. */
export const CALLBACK_DATA_MAX_BYTES = 64;

/** Escapes text for Telegram's HTML parse mode (the four entities it knows). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A fragment that is already HTML (built here, never from outside text). */
interface Html {
  html: string;
}

const isHtml = (v: unknown): v is Html => typeof v === 'object' && v !== null && 'html' in v;

/** A catalog message as HTML: the template and every plain parameter are escaped. */
export function tHtml(locale: Locale, key: MessageKey, params: Record<string, string | number | Html> = {}): string {
  const template = catalogs[locale][key] ?? catalogs.en[key];
  // Escaping first cannot touch "{name}", and a single pass means a parameter is never re-scanned.
  return escapeHtml(template).replace(/\{(\w+)\}/g, (m, name: string) => {
    const v = params[name];
    if (v === undefined) return m;
    return isHtml(v) ? v.html : escapeHtml(String(v));
  });
}

/** A link when the URL is http(s), else the escaped text alone (no javascript:, tg:// or mentions). */
export function link(url: string, text: string = url): Html {
  const safe = /^https?:\/\//i.test(url) && URL.canParse(url);
  return { html: safe ? `<a href="${escapeHtml(url)}">${escapeHtml(text)}</a>` : escapeHtml(text) };
}

const marks = citeMarks;

/** A citation's date as plain text (escaped where it is used). */
const dateText = citationDate;

/**
 * One piece of a message: self-contained HTML (balanced tags). `sep` goes before it when it
 * follows another unit in the same message; `keepWithNext` keeps a heading with its first line.
 */
interface Unit {
  html: string;
  sep: '\n' | '\n\n';
  keepWithNext?: boolean;
  /** the item this line belongs to, and its index there (for shortening) */
  item?: number;
  line?: number;
  cites?: number[];
}

/** How to lay a reply out. */
interface LayoutOptions {
  /** include the verbatim quotes under the citations */
  quotes: boolean;
  /** keep at most this many lines of each item (shortening for a single message) */
  linesPerItem?: number;
}

function blockUnits(blocks: Block[], opts: LayoutOptions): Unit[] {
  const out: Unit[] = [];
  blocks.forEach((b, i) => {
    switch (b.type) {
      case 'title':
        out.push({ html: `<b>${escapeHtml(b.text)}</b>`, sep: '\n\n', keepWithNext: true });
        break;
      case 'text':
        out.push({ html: escapeHtml(b.text) + marks(b.cites), sep: '\n\n', cites: b.cites ?? [] });
        break;
      case 'notice':
        out.push({ html: `<i>${escapeHtml(b.text)}</i>`, sep: '\n\n' });
        break;
      case 'item': {
        out.push({ html: `<b>${escapeHtml(b.title)}</b>`, sep: '\n\n', keepWithNext: b.lines.length > 0 });
        const lines = opts.linesPerItem === undefined ? b.lines : b.lines.slice(0, opts.linesPerItem);
        lines.forEach((l, n) =>
          out.push({ html: `• ${escapeHtml(l.text)}${marks(l.cites)}`, sep: '\n', item: i, line: n, cites: l.cites ?? [] }),
        );
        break;
      }
      default: {
        const never: never = b;
        throw new Error(`unknown block ${JSON.stringify(never)}`);
      }
    }
  });
  return out;
}

function citationUnits(citations: Citation[], locale: Locale, opts: LayoutOptions): Unit[] {
  if (!citations.length) return [];
  const out: Unit[] = [{ html: `<b>${tHtml(locale, 'citation.title')}</b>`, sep: '\n\n', keepWithNext: true }];
  citations.forEach((c, i) => {
    const line = tHtml(locale, 'citation.line', {
      n: c.n,
      publisher: c.publisher,
      title: c.title,
      date: dateText(c, locale),
      url: c.url ? link(c.url) : { html: tHtml(locale, 'citation.url_unknown') },
    });
    out.push({ html: opts.quotes ? `${line}\n<blockquote>${escapeHtml(c.quote)}</blockquote>` : line, sep: i === 0 ? '\n\n' : '\n' });
  });
  return out;
}

/** Splits HTML that is too long for one message. Only for a single oversized unit: tags are dropped, entities kept whole. */
function hardSplit(html: string, limit: number): string[] {
  const text = html.replace(/<[^>]*>/g, '');
  const out: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    let cut = rest.lastIndexOf(' ', limit);
    if (cut < limit / 2) cut = limit;
    const amp = rest.lastIndexOf('&', cut);
    if (amp > 0 && rest.indexOf(';', amp) >= cut) cut = amp; // never cut inside &amp; and friends
    cut = safeCutIndex(rest, cut); // nor inside a surrogate pair (an emoji would arrive as two "�")
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut).trimStart();
  }
  if (rest) out.push(rest);
  return out;
}

/** Packs units into messages of at most `limit` characters. */
function pack(units: Unit[], limit: number): string[] {
  const messages: string[] = [];
  let current = '';
  const flush = () => {
    if (current) messages.push(current);
    current = '';
  };
  units.forEach((u, i) => {
    if (u.html.length > limit) {
      flush();
      messages.push(...hardSplit(u.html, limit));
      return;
    }
    const next = units[i + 1];
    const needed =
      u.html.length +
      (u.keepWithNext && next && next.html.length <= limit - u.html.length - next.sep.length ? next.sep.length + next.html.length : 0);
    if (current && current.length + u.sep.length + needed > limit) flush();
    current = current ? current + u.sep + u.html : u.html;
  });
  flush();
  return messages;
}

/** The reply as one or more HTML messages, in order. */
export function renderMessages(reply: Reply, locale: Locale, limit = MESSAGE_LIMIT): string[] {
  const opts: LayoutOptions = { quotes: true };
  return pack([...blockUnits(reply.blocks, opts), ...citationUnits(reply.citations, locale, opts)], limit);
}

/**
 * The reply as exactly one message (an inline-mode result). When the whole reply does not fit,
 * the quotes are left out, then every item keeps fewer lines (each item keeps its first ones, so
 * official responses stay beside the reports), and only the citations still referred to remain.
 * `shortened` tells the caller to offer the full answer (the note is appended here).
 */
export function renderSingle(reply: Reply, locale: Locale, limit = MESSAGE_LIMIT): { html: string; shortened: boolean } {
  const full = renderMessages(reply, locale, limit);
  if (full.length === 1) return { html: full[0]!, shortened: false };
  const note = `\n\n<i>${tHtml(locale, 'telegram.shortened')}</i>`;
  const longest = Math.max(0, ...reply.blocks.map((b) => (b.type === 'item' ? b.lines.length : 0)));
  for (let lines = longest; lines >= 0; lines--) {
    const opts: LayoutOptions = { quotes: false, linesPerItem: lines };
    const body = blockUnits(reply.blocks, opts);
    const cited = new Set(body.flatMap((u) => u.cites ?? []));
    const units = [
      ...body,
      ...citationUnits(
        reply.citations.filter((c) => cited.has(c.n)),
        locale,
        opts,
      ),
    ];
    const html = units.map((u, i) => (i ? u.sep : '') + u.html).join('');
    if (html.length + note.length <= limit) return { html: html + note, shortened: true };
  }
  return { html: pack(blockUnits(reply.blocks, { quotes: false, linesPerItem: 0 }), limit - note.length)[0]! + note, shortened: true };
}

/** Byte length of callback data as Telegram counts it. */
export const callbackBytes = (data: string) => Buffer.byteLength(data, 'utf8');

/** Telegram refuses a keyboard of more than 100 buttons. */
export const MAX_BUTTONS = 100;

/**
 * Choices as an inline keyboard (callback_data = choice id). Short labels share a row (Yes / No,
 * the three languages); long ones get a row each. An id over Telegram's 64 bytes goes through
 * `shorten` (a token the adapter maps back); without it, or past 100 buttons, a choice is left
 * out (the caller logs how many).
 */
export function choiceKeyboard(
  choices: readonly Choice[],
  shorten?: (id: string) => string,
): { markup: InlineKeyboardMarkup | undefined; dropped: number } {
  const data = (c: Choice) => (shorten ? shorten(c.id) : c.id);
  const usable = choices
    .filter((c) => c.id.length > 0)
    .map((c) => ({ label: c.label, data: data(c) }))
    .filter((c) => callbackBytes(c.data) <= CALLBACK_DATA_MAX_BYTES)
    .slice(0, MAX_BUTTONS);
  if (!usable.length) return { markup: undefined, dropped: choices.length };
  const short = usable.every((c) => [...c.label].length <= 16);
  const perRow = short ? 3 : 1;
  const rows: InlineKeyboardButton[][] = [];
  usable.forEach((c, i) => {
    if (i % perRow === 0) rows.push([]);
    rows[rows.length - 1]!.push({ text: c.label, callback_data: c.data });
  });
  return { markup: { inline_keyboard: rows }, dropped: choices.length - usable.length };
}

/** A keyboard with one link button. */
export function urlKeyboard(text: string, url: string): InlineKeyboardMarkup {
  return { inline_keyboard: [[{ text, url }]] };
}
