/**
 * Topics: subjects a person asks about that are not places (a tactic, the 230,000 figure, Fox
 * Hunt, a report's title). Each answer lists the topic's claims, cited, with the claims that
 * answer them and any disagreement between sources beside them, paged so that every page fits
 * one message (the rest one "More" choice away).
 */
import type { CoreContext } from '../context.ts';
import { coreError, type CoreError } from '../errors.ts';
import { t } from '../i18n/catalog.ts';
import type { Locale } from '../i18n/locales.ts';
import { ok, err, type Result } from '../result.ts';
import type { Block, Choice, Reply } from '../reply.ts';
import { encodeCommandChoice } from '../choice-id.ts';
import { Citations } from '../citations/citations.ts';
import type { ClaimRecord, TopicRecord } from '../dataset/dataset.schema.ts';
import type { DatasetView } from '../dataset/dataset.view.ts';

/** The topic /tactics shows when asked for nothing in particular. */
export const TACTICS_TOPIC = 'tactics';
/** Characters one page may take, citations included: under the 2,000 of a Discord message, with room for markup. */
export const PAGE_BUDGET = 1_700;
/** What a citation line costs besides its quote (number, publisher, title, date, link, labels). */
const CITATION_OVERHEAD = 40;

/** Lowercase, width-folded, punctuation and spaces removed: "Fox-Hunt" and "fox hunt" are one key. */
export function topicKey(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
}

// Built once per dataset view: lookup runs on every query and must stay well under its 2 ms.
const keysByView = new WeakMap<DatasetView, Map<string, TopicRecord>>();

function topicKeys(view: DatasetView): Map<string, TopicRecord> {
  let keys = keysByView.get(view);
  if (keys) return keys;
  keys = new Map();
  for (const topic of view.topics.values())
    for (const n of [topic.id, topic.name.en, topic.name['zh-Hans'], topic.name['zh-Hant'], ...topic.aliases])
      if (!keys.has(topicKey(n))) keys.set(topicKey(n), topic);
  keysByView.set(view, keys);
  return keys;
}

/** The topic a query names exactly (its id, a name in any language, or an alias), if any. */
export function findTopic(view: DatasetView, query: string): TopicRecord | undefined {
  const key = topicKey(query);
  return key ? topicKeys(view).get(key) : undefined;
}

/** The tactics people can ask /tactics about one by one: topics sharing a claim with "tactics". */
export function tacticTopics(view: DatasetView): TopicRecord[] {
  const tactic = new Set((view.claimsByTopic.get(TACTICS_TOPIC) ?? []).map((c) => c.id));
  return [...view.topics.values()].filter(
    (x) => x.id !== TACTICS_TOPIC && (view.claimsByTopic.get(x.id) ?? []).some((c) => tactic.has(c.id)),
  );
}

/** One claim with what answers it and where sources disagree: kept together on one page. */
interface Entry {
  claim: ClaimRecord;
  answers: ClaimRecord[];
  disagreements: { text: string; claimIds: string[] }[];
}

function said(claim: ClaimRecord, locale: Locale): string {
  const who = claim.speaker?.split(/[,(]/)[0]!.trim();
  // the speaker is printed unless our sentence already names them
  return claim.speaker && who && !claim.text[locale].includes(who)
    ? t(locale, 'topics.speaker', { speaker: claim.speaker, text: claim.text[locale] })
    : claim.text[locale];
}

/** Fills pages under a budget, counting each citation once per page. */
class PageBuilder {
  readonly pages: Entry[][] = [];
  private page: Entry[] = [];
  private used: number;
  private cited = new Set<string>();

  constructor(
    private readonly view: DatasetView,
    private readonly fixed: number,
  ) {
    this.used = fixed;
  }

  /** What citing these claims adds to the page (the ones already cited cost nothing). */
  private citeCost(ids: string[]): number {
    let cost = 0;
    for (const id of new Set(ids)) {
      if (this.cited.has(id)) continue;
      const c = this.view.claims.get(id)!;
      const src = this.view.sources.get(c.sourceId)!;
      cost += c.quote.length + src.title.length + src.publisher.length + (src.url?.length ?? 0) + CITATION_OVERHEAD;
    }
    return cost;
  }

  private take(text: string, ids: string[], force = false): boolean {
    const cost = text.length + 12 + ids.length * 4 + this.citeCost(ids);
    if (!force && this.used + cost > PAGE_BUDGET) return false;
    this.used += cost;
    for (const id of ids) this.cited.add(id);
    return true;
  }

  /** Adds a claim (on a new page if it does not fit), then the answers and disagreements that still fit beside it. */
  add(claim: ClaimRecord, answers: ClaimRecord[], disagreements: { text: string; claimIds: string[] }[], locale: Locale): void {
    // a claim and its disagreements (citing at least the claim) stay together: else a new page
    const least =
      said(claim, locale).length + disagreements.reduce((n, x) => n + t(locale, 'topics.disagree', { text: x.text }).length + 16, 0);
    if (this.page.length && this.used + least + 16 + this.citeCost([claim.id]) > PAGE_BUDGET) this.flush();
    this.take(said(claim, locale), [claim.id], true);
    const entry: Entry = { claim, answers: [], disagreements: [] };
    for (const a of answers) if (this.take(t(locale, 'topics.answer', { text: a.text[locale] }), [a.id])) entry.answers.push(a);
    for (const x of disagreements) {
      const line = t(locale, 'topics.disagree', { text: x.text });
      // cite the other side where room allows; the sentence itself names the sources
      const ids = [claim.id];
      for (const id of x.claimIds)
        if (!ids.includes(id) && this.used + line.length + 40 + this.citeCost([...ids, id]) <= PAGE_BUDGET) ids.push(id);
      if (this.take(line, ids, true)) entry.disagreements.push({ text: x.text, claimIds: ids });
    }
    this.page.push(entry);
  }

  flush(): void {
    if (this.page.length) this.pages.push(this.page);
    this.page = [];
    this.used = this.fixed;
    this.cited = new Set();
  }
}

/** The topic's claims, with their answers and disagreements, split into pages that each fit PAGE_BUDGET. */
export function pages(view: DatasetView, topic: TopicRecord, locale: Locale, fixed = 300): Entry[][] {
  const claims = view.claimsByTopic.get(topic.id) ?? [];
  const inTopic = new Set(claims.map((c) => c.id));
  const told = new Set<string>();
  const builder = new PageBuilder(view, fixed);
  for (const claim of claims) {
    // an answer that is itself in the topic is shown in its own place, not twice
    const answers = (view.answeredBy.get(claim.id) ?? []).filter((a) => !inTopic.has(a.id));
    const disagreements = (view.disagreementsByClaim.get(claim.id) ?? []).filter((x) => !told.has(x.id));
    for (const x of disagreements) told.add(x.id);
    builder.add(
      claim,
      answers,
      disagreements.map((x) => ({ text: x.text[locale], claimIds: x.claimIds })),
      locale,
    );
  }
  builder.flush();
  return builder.pages;
}

/** Parses "<topic> [p<N>]" (a choice's payload or typed text). */
export function parseTopicQuery(q: string): { query: string; page: number } {
  const m = /^(.*?)\s+p(\d{1,3})$/.exec(q.trim());
  return m ? { query: m[1]!, page: Math.max(1, Number(m[2])) } : { query: q.trim(), page: 1 };
}

/** One page of a topic's answer, cited, with a "More" choice while pages remain. */
export function topicReply(
  view: DatasetView,
  topic: TopicRecord,
  locale: Locale,
  page = 1,
  extraChoices: Choice[] = [],
  reserve: Choice[] = extraChoices,
): Reply {
  // every page reserves the same room, so page N is the same whichever page led to it
  const fixed = 300 + reserve.reduce((n, c) => n + c.label.length + 8, 0);
  const all = pages(view, topic, locale, fixed);
  const n = Math.min(Math.max(1, page), Math.max(1, all.length));
  const cites = new Citations(view);
  const lines: { text: string; cites?: number[] }[] = [];
  for (const e of all[n - 1] ?? []) {
    lines.push({ text: said(e.claim, locale), cites: [cites.cite(e.claim.id)] });
    for (const a of e.answers) lines.push({ text: t(locale, 'topics.answer', { text: a.text[locale] }), cites: [cites.cite(a.id)] });
    for (const x of e.disagreements)
      lines.push({ text: t(locale, 'topics.disagree', { text: x.text }), cites: x.claimIds.map((id) => cites.cite(id)) });
  }
  const blocks: Block[] = [
    { type: 'title', text: t(locale, 'topics.title', { topic: topic.name[locale] }) },
    { type: 'notice', text: t(locale, 'lookup.allegations') },
    { type: 'item', title: topic.name[locale], lines },
  ];
  if (all.length > 1) blocks.push({ type: 'notice', text: t(locale, 'topics.page', { page: n, pages: all.length }) });
  const choices: Choice[] =
    n < all.length
      ? [
          {
            id: encodeCommandChoice('tactics', `${topic.id} p${n + 1}`),
            label: t(locale, 'topics.more', { page: n + 1, pages: all.length }),
          },
        ]
      : [];
  choices.push(...extraChoices);
  return { private: false, kind: 'answer', blocks, citations: cites.all(), ...(choices.length ? { choices } : {}) };
}

/** A topic's page; the tactics overview's first page also offers each tactic on its own. */
export function answerTopic(view: DatasetView, topic: TopicRecord, locale: Locale, page: number): Reply {
  const each =
    topic.id === TACTICS_TOPIC ? tacticTopics(view).map((x) => ({ id: encodeCommandChoice('tactics', x.id), label: x.name[locale] })) : [];
  const reply = topicReply(view, topic, locale, page, page === 1 ? each : [], each);
  if (each.length && page === 1) reply.blocks.push({ type: 'notice', text: t(locale, 'topics.see_also') });
  return reply;
}

/** /lookup's hook: a reply when the query names a topic, else undefined (the place search goes on). */
export function lookupTopic(view: DatasetView, query: string, locale: Locale): Reply | undefined {
  const { query: q, page } = parseTopicQuery(query);
  const topic = findTopic(view, q);
  return topic ? answerTopic(view, topic, locale, page) : undefined;
}

/** The /tactics use case: every tactic (or one tactic or topic by name), a page at a time. */
export async function tactics(input: { topic?: string | undefined }, ctx: CoreContext): Promise<Result<Reply, CoreError>> {
  const view = ctx.deps.dataset();
  const { locale } = ctx.actor;
  const { query, page } = parseTopicQuery(input.topic ?? TACTICS_TOPIC);
  const topic = findTopic(view, query || TACTICS_TOPIC);
  if (!topic)
    return err(
      coreError('TOPIC.NOT_FOUND', {
        query,
        topics: tacticTopics(view)
          .map((x) => x.name[locale])
          .join(', '),
      }),
    );
  return ok(answerTopic(view, topic, locale, page));
}
