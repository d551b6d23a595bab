/**
 * sources [station]: the sources behind one place's entries (every claim with its quote), or
 * the whole dataset (each source with publisher, title, date, URL, and the figures it supports).
 * Like lookup, each answer is one message, with the rest one "More" choice away.
 */
import type { CoreContext } from '../context.ts';
import { coreError, type CoreError } from '../errors.ts';
import { t } from '../i18n/catalog.ts';
import type { Locale } from '../i18n/locales.ts';
import { ok, err, type Result } from '../result.ts';
import type { Reply } from '../reply.ts';
import { encodeCommandChoice } from '../choice-id.ts';
import { Citations } from './citations.ts';
import { formatDate } from '../dataset/format.ts';
import type { DatasetView } from '../dataset/dataset.view.ts';
import { findStations } from '../lookup/lookup.handler.ts';
import { countryAtoms, groupClaimAtoms, groupStations, statementAtoms } from '../lookup/atoms.ts';
import { layout, pageChoices, type Atom } from '../lookup/pages.ts';
import type { Found } from '../lookup/resolve.ts';

/** "#3" alone: a page of the whole dataset's sources (from a "More" button). */
const ALL_PAGE = /^#(\d{1,2})$/;

/** The sources use case. */
export async function sources(input: { station?: string | undefined }, ctx: CoreContext): Promise<Result<Reply, CoreError>> {
  const view = ctx.deps.dataset();
  const { locale } = ctx.actor;
  const all = input.station === undefined ? 1 : Number(ALL_PAGE.exec(input.station.trim())?.[1] ?? 0);
  if (all) return ok(allSources(view, locale, all));
  const found = await findStations(view, input.station!);
  if (!found.ok) return err(coreError('SOURCES.NOT_FOUND', found.error.params));
  const { resolved, page } = found.value;
  const key = resolved.key;
  const frame = { title: t(locale, 'sources.title_station', { query: key }), head: [], foot: [] };
  const atoms = placeAtoms(view, resolved, locale);
  // A place the gazetteer knows but no source speaks of has no sources to show.
  if (!atoms.length) return err(coreError('SOURCES.NOT_FOUND', { query: key, suggestions: '—' }));
  const laid = layout(frame, atoms, page, () => new Citations(view), locale);
  const choices = pageChoices(laid.hasMore, encodeCommandChoice('sources', `${key} #${page + 1}`), locale);
  return ok({ private: false, kind: 'answer', blocks: laid.blocks, citations: laid.citations, ...(choices ? { choices } : {}) });
}

/** Every claim behind a place's entries (statuses included), then its countries' context. */
function placeAtoms(view: DatasetView, r: Found, locale: Locale): Atom[] {
  const seen = new Set<string>();
  switch (r.kind) {
    case 'stations': {
      const atoms = groupStations(r.stations).flatMap((g) => groupClaimAtoms(view, g, locale, { withStatuses: true }));
      for (const s of r.stations) for (const c of view.claimsByStation.get(s.id) ?? []) seen.add(c.id);
      const extra = statementAtoms(view, r.claims, t(locale, 'lookup.also_named'), locale, seen);
      const countries = [...new Set(r.stations.map((s) => s.countryCode))];
      return [...atoms, ...extra, ...countries.flatMap((c) => countryAtoms(view, c, locale, seen))];
    }
    case 'claims':
      return statementAtoms(view, r.claims, t(locale, 'lookup.about_place', { place: r.place }), locale, seen);
    case 'country':
      return r.countries.flatMap((c) => countryAtoms(view, c.code, locale, seen));
    case 'city':
      return countryAtoms(view, r.city.countryCode, locale, seen);
    case 'world-country':
      return countryAtoms(view, r.code, locale, seen);
    default: {
      const never: never = r;
      return never;
    }
  }
}

/** The whole dataset: each source, then the key figures and China's responses, paged. */
function allSources(view: DatasetView, locale: Locale, page: number): Reply {
  const title = t(locale, 'sources.title_all', {
    sources: view.data.sources.length,
    claims: view.data.claims.length,
    stations: view.data.stations.length,
  });
  const atoms: Atom[] = view.data.sources.map((s) => {
    const count = view.data.claims.filter((c) => c.sourceId === s.id).length;
    const lines = [
      { text: t(locale, 'sources.publisher', { publisher: s.byline ? `${s.publisher} (${s.byline})` : s.publisher }) },
      { text: t(locale, 'sources.date', { date: formatDate(locale, s.date, s.dateApproximate) }) },
      { text: t(locale, 'sources.url', { url: s.url ?? t(locale, 'sources.url_unknown') }) },
      { text: t(locale, 'sources.claims', { count }) },
    ];
    return { item: s.title, lines: () => lines };
  });
  const seen = new Set<string>();
  atoms.push(
    ...statementAtoms(
      view,
      view.data.claims.filter((c) => c.kind === 'figure' && !c.stationId),
      t(locale, 'sources.figures'),
      locale,
      seen,
    ),
  );
  atoms.push(
    ...statementAtoms(
      view,
      view.globalClaims.filter((c) => c.kind === 'official_response'),
      t(locale, 'lookup.official_responses'),
      locale,
      seen,
    ),
  );
  const laid = layout({ title, head: [], foot: [t(locale, 'sources.per_place')] }, atoms, page, () => new Citations(view), locale);
  const choices = pageChoices(laid.hasMore, encodeCommandChoice('sources', `#${page + 1}`), locale);
  return { private: false, kind: 'answer', blocks: laid.blocks, citations: laid.citations, ...(choices ? { choices } : {}) };
}
