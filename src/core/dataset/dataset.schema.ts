/**
 * The bundled dataset's shape (prisma/dataset/lantern-dataset.json), validated with zod on
 * import, export and `dataset:verify`. Every statement the bot makes is a claim with a source and
 * a verbatim quote; stations are allegations reported by sources, never findings of fact.
 */
import { z } from 'zod';
import { BUTTON_SLUG_MAX } from '../choice-id.ts';

/** "YYYY-MM-DD", "YYYY-MM", "YYYY" or "unknown". Never guessed. */
export const PartialDate = z.string().regex(/^(unknown|\d{4}(-\d{2}(-\d{2})?)?)$/, 'a date is YYYY-MM-DD, YYYY-MM, YYYY or "unknown"');

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'ids are lowercase slugs like "us-new-york"');
/** The id of a station or a topic rides in buttons (a triage "link" button, a topic's "More" page): it must fit one. */
const buttonSlug = slug.max(
  BUTTON_SLUG_MAX,
  `station and topic ids are at most ${BUTTON_SLUG_MAX} characters: they are carried in buttons (Telegram allows 64 bytes)`,
);
const text = z.string().trim().min(1).max(2000);

/** A text in the three catalog languages. */
export const Localized = z.object({ en: text, 'zh-Hans': text, 'zh-Hant': text });

export const SourceRecord = z.object({
  id: slug,
  publisher: text,
  byline: text.nullable(),
  title: text,
  date: PartialDate,
  dateApproximate: z.boolean(),
  url: z.string().url().nullable(),
  /** file name of the article text the quotes are checked against */
  textFile: z.string().nullable(),
  /** the source's full text, bundled with the dataset: every quote is checked against it */
  text: z.string().min(1).max(1_000_000).nullable().default(null),
  notes: text.nullable(),
});

export const ClaimKind = z.enum(['station_report', 'figure', 'official_response', 'host_response', 'tactic', 'context']);

export const ClaimRecord = z.object({
  id: slug,
  kind: ClaimKind,
  stationId: slug.nullable(),
  countryCode: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .nullable(),
  speaker: text.nullable(),
  text: Localized,
  sourceId: slug,
  /** verbatim from the source text (checked by dataset:verify) */
  quote: z.string().min(8).max(1200),
  date: PartialDate,
  dateApproximate: z.boolean(),
  /** English names of the places the claim names (cities, regions, countries), for search */
  places: z.array(z.string().trim().min(1).max(100)).default([]),
  /** ids of the topics (see `TopicRecord`) the claim belongs to */
  topics: z.array(slug).default([]),
  /** ids of the claims this one answers: a denial answers a report, a rebuttal answers a denial */
  answers: z.array(slug).default([]),
});

/** A subject a person may ask about that is not a place ("persuasion to return", "Fox Hunt"). */
export const TopicRecord = z.object({
  id: buttonSlug,
  name: Localized,
  /** other names people type, in any of the three languages */
  aliases: z.array(z.string().trim().min(1).max(100)).default([]),
});

/** Two or more claims whose sources do not agree, with a neutral sentence saying how. */
export const DisagreementRecord = z.object({
  id: slug,
  claimIds: z.array(slug).min(2),
  text: Localized,
});

export const StationStatusKind = z.enum(['reported', 'under_investigation', 'closed', 'prosecuted']);

export const StationRecord = z.object({
  id: buttonSlug,
  name: Localized,
  city: Localized,
  countryCode: z.string().regex(/^[A-Z]{2}$/),
  precision: z.enum(['city', 'address']),
  address: text.nullable(),
  /** city-centre coordinates when precision is "city" */
  latitude: z.number().min(-90).max(90).nullable(),
  longitude: z.number().min(-180).max(180).nullable(),
  countInCity: z.number().int().min(1).max(1000),
  aliases: z.array(z.object({ alias: z.string().trim().min(1).max(100), kind: z.enum(['en', 'zh-Hans', 'zh-Hant', 'pinyin', 'other']) })),
  statuses: z
    .array(z.object({ status: StationStatusKind, date: PartialDate, dateApproximate: z.boolean(), claimId: slug }))
    .min(1, 'every station has at least its "reported" status'),
});

export const CountryRecord = z.object({
  code: z.string().regex(/^[A-Z]{2}$/),
  name: Localized,
  aliases: z.array(z.string().trim().min(1).max(100)),
});

export const Dataset = z
  .object({
    version: z.string().min(1),
    sources: z.array(SourceRecord).min(1),
    countries: z.array(CountryRecord),
    stations: z.array(StationRecord),
    claims: z.array(ClaimRecord),
    topics: z.array(TopicRecord).default([]),
    disagreements: z.array(DisagreementRecord).default([]),
  })
  .superRefine((d, ctx) => {
    const sources = new Set(d.sources.map((s) => s.id));
    const stations = new Set(d.stations.map((s) => s.id));
    const claims = new Map(d.claims.map((c) => [c.id, c]));
    const countries = new Set(d.countries.map((c) => c.code));
    const dup = (ids: string[], what: string) => {
      const seen = new Set<string>();
      for (const id of ids) {
        if (seen.has(id)) ctx.addIssue({ code: 'custom', message: `duplicate ${what} id "${id}"` });
        seen.add(id);
      }
    };
    dup(
      d.sources.map((s) => s.id),
      'source',
    );
    dup(
      d.stations.map((s) => s.id),
      'station',
    );
    dup(
      d.claims.map((c) => c.id),
      'claim',
    );
    for (const c of d.claims) {
      if (!sources.has(c.sourceId)) ctx.addIssue({ code: 'custom', message: `claim "${c.id}" cites unknown source "${c.sourceId}"` });
      if (c.stationId && !stations.has(c.stationId))
        ctx.addIssue({ code: 'custom', message: `claim "${c.id}" names unknown station "${c.stationId}"` });
    }
    const topics = new Set(d.topics.map((t) => t.id));
    dup(
      d.topics.map((t) => t.id),
      'topic',
    );
    dup(
      d.disagreements.map((x) => x.id),
      'disagreement',
    );
    for (const c of d.claims) {
      for (const t of c.topics) if (!topics.has(t)) ctx.addIssue({ code: 'custom', message: `claim "${c.id}" names unknown topic "${t}"` });
      for (const a of c.answers)
        if (!claims.has(a)) ctx.addIssue({ code: 'custom', message: `claim "${c.id}" answers unknown claim "${a}"` });
    }
    for (const x of d.disagreements)
      for (const id of x.claimIds)
        if (!claims.has(id)) ctx.addIssue({ code: 'custom', message: `disagreement "${x.id}" names unknown claim "${id}"` });
    for (const s of d.stations) {
      if (!countries.has(s.countryCode))
        ctx.addIssue({ code: 'custom', message: `station "${s.id}" is in country "${s.countryCode}", which has no country record` });
      if (!d.claims.some((c) => c.stationId === s.id && c.kind === 'station_report'))
        ctx.addIssue({ code: 'custom', message: `station "${s.id}" has no station_report claim citing a source` });
      if (s.precision === 'address' && !s.address)
        ctx.addIssue({ code: 'custom', message: `station "${s.id}" has precision "address" but no address` });
      for (const st of s.statuses) {
        const c = claims.get(st.claimId);
        if (!c) ctx.addIssue({ code: 'custom', message: `station "${s.id}" status "${st.status}" cites unknown claim "${st.claimId}"` });
      }
    }
  });

export type Dataset = z.infer<typeof Dataset>;
export type SourceRecord = z.infer<typeof SourceRecord>;
export type ClaimRecord = z.infer<typeof ClaimRecord>;
export type StationRecord = z.infer<typeof StationRecord>;
export type CountryRecord = z.infer<typeof CountryRecord>;
export type Localized = z.infer<typeof Localized>;
export type TopicRecord = z.infer<typeof TopicRecord>;
export type DisagreementRecord = z.infer<typeof DisagreementRecord>;
