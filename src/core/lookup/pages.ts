/**
 * Concise answers: a long answer is laid out in pages that each fit one message on every
 * platform (Discord's 2,000 characters are the strictest), citations included. Content comes as
 * small atoms (a station's header, one claim with the denials that answer it); a page takes atoms
 * in order while they fit, and the rest is one "More" choice away.
 */
import type { Citations } from '../citations/citations.ts';
import { t } from '../i18n/catalog.ts';
import type { Locale } from '../i18n/locales.ts';
import type { Block, Choice, Citation, Reply } from '../reply.ts';
import { formatDate } from '../dataset/format.ts';

/** The strictest one-message limit of the three platforms (Discord's message content). */
export const MESSAGE_MAX = 2000;
/** What a page may fill as plain text, leaving room for each platform's own marks (escapes, quote bars, buttons). */
export const PAGE_BUDGET = 1700;

/** A line of an item. */
export type Line = { text: string; cites?: number[] };

/** The smallest piece of an answer that is never split: lines under an item title. */
export interface Atom {
  /** the title of the item the lines belong to (consecutive atoms with one title share an item) */
  item: string;
  /** builds the lines, citing through `c` (called again for each trial, on a copy) */
  lines(c: Citations): Line[];
}

/** The parts every page repeats. */
export interface Frame {
  title: string;
  /** notices under the title (the "allegations, not findings" reminder) */
  head: string[];
  /** notices at the end */
  foot: string[];
}

/** Plain-text length of blocks as every renderer prints them at least (text plus its [n] marks). */
export function blockLength(b: Block): number {
  const marks = (c?: number[]) => (c?.length ? 1 + c.reduce((n, x) => n + String(x).length + 2, 0) : 0);
  switch (b.type) {
    case 'title':
    case 'notice':
      return b.text.length + 6;
    case 'text':
      return b.text.length + marks(b.cites) + 2;
    case 'item':
      return b.title.length + 4 + b.lines.reduce((n, l) => n + l.text.length + marks(l.cites) + 5, 0);
  }
}

/** Plain-text length of a citation: its line and its quote. */
export function citationLength(c: Citation, locale: Locale): number {
  const date = formatDate(locale, c.date, c.dateApproximate);
  const line = t(locale, 'citation.line', {
    n: c.n,
    publisher: c.publisher,
    title: c.title,
    date,
    url: c.url ?? t(locale, 'citation.url_unknown'),
  });
  return line.length + t(locale, 'citation.quote', { quote: c.quote }).length + 8;
}

/** Plain-text length of a whole reply (blocks, choices and citations). */
export function replyLength(r: Pick<Reply, 'blocks' | 'citations' | 'choices'>, locale: Locale): number {
  const blocks = r.blocks.reduce((n, b) => n + blockLength(b), 0);
  const choices = (r.choices ?? []).reduce((n, c) => n + c.label.length + 6, 0);
  return blocks + choices + r.citations.reduce((n, c) => n + citationLength(c, locale), 0) + 20;
}

/** One laid-out page and whether more follow. */
export interface Page {
  blocks: Block[];
  citations: Citation[];
  hasMore: boolean;
}

/**
 * Page `page` (1-based) of the atoms under the frame. Each page starts its own citation numbering;
 * an atom too big for any page gets a page of its own. A page past the end is the last page.
 */
export function layout(
  frame: Frame,
  atoms: readonly Atom[],
  page: number,
  newCitations: () => Citations,
  locale: Locale,
  budget = PAGE_BUDGET,
): Page {
  let start = 0;
  for (let p = 1; ; p++) {
    const laid = fill(frame, atoms, start, newCitations(), locale, budget);
    if (p >= page || laid.next >= atoms.length)
      return { blocks: laid.blocks, citations: laid.citations, hasMore: laid.next < atoms.length };
    start = laid.next;
  }
}

function fill(frame: Frame, atoms: readonly Atom[], start: number, cites: Citations, locale: Locale, budget: number) {
  const head: Block[] = [{ type: 'title', text: frame.title }, ...frame.head.map((text): Block => ({ type: 'notice', text }))];
  const foot: Block[] = frame.foot.map((text) => ({ type: 'notice', text }));
  let used = [...head, ...foot].reduce((n, b) => n + blockLength(b), 0);
  const items: { title: string; lines: Line[] }[] = [];
  let next = start;
  while (next < atoms.length) {
    const atom = atoms[next]!;
    const trial = cites.copy();
    const lines = atom.lines(trial);
    const last = items[items.length - 1];
    const joins = last?.title === atom.item;
    const cost =
      (joins ? 0 : atom.item.length + 4) +
      lines.reduce((n, l) => n + blockLength({ type: 'text', ...l }) + 3, 0) +
      trial.added(cites).reduce((n, c) => n + citationLength(c, locale), 0);
    if (next > start && used + cost > budget) break;
    cites.adopt(trial);
    used += cost;
    if (joins) last.lines.push(...lines);
    else items.push({ title: atom.item, lines });
    next++;
  }
  const blocks: Block[] = [...head, ...items.map((i): Block => ({ type: 'item', title: i.title, lines: i.lines })), ...foot];
  return { blocks, citations: fitQuotes(cites.all(), used - budget), next };
}

/** The shortest a quote is cut to on a page that would not fit otherwise. */
const QUOTE_MIN = 60;

/**
 * A page holding one statement too big for a message (long quotes from several sources): the
 * longest quotes are cut, verbatim up to an ellipsis, until it fits; /sources prints them whole.
 */
function fitQuotes(citations: Citation[], excess: number): Citation[] {
  if (excess <= 0) return citations;
  const out = citations.map((c) => ({ ...c }));
  let left = excess;
  for (const c of [...out].sort((a, b) => b.quote.length - a.quote.length)) {
    if (left <= 0 || c.quote.length <= QUOTE_MIN) break;
    const keep = Math.max(QUOTE_MIN, c.quote.length - left);
    left -= c.quote.length - keep;
    c.quote = `${c.quote.slice(0, keep).replace(/\s+\S*$/, '')} …`;
  }
  return out;
}

/** The choices under a page: the next page, and any further ones given (e.g. "All sources"). */
export function pageChoices(hasMore: boolean, nextId: string, locale: Locale, extra: Choice[] = []): Choice[] | undefined {
  const choices = [...(hasMore ? [{ id: nextId, label: t(locale, 'lookup.more_button') }] : []), ...extra];
  return choices.length ? choices : undefined;
}
