/**
 * sources [station]: the sources behind one place's entries (every claim with its quote), or
 * the whole dataset (each source with publisher, title, date, URL, and the figures it supports).
 */
import type { CoreContext } from '../context.ts';
import { coreError, type CoreError } from '../errors.ts';
import { t } from '../i18n/catalog.ts';
import { ok, err, type Result } from '../result.ts';
import type { Block, Reply } from '../reply.ts';
import { Citations } from './citations.ts';
import { formatDate } from '../dataset/format.ts';
import { findStations, MAX_STATIONS_SHOWN } from '../lookup/lookup.handler.ts';

/** The sources use case. */
export async function sources(input: { station?: string | undefined }, ctx: CoreContext): Promise<Result<Reply, CoreError>> {
  const view = ctx.deps.dataset();
  const { locale } = ctx.actor;
  const cites = new Citations(view);
  const blocks: Block[] = [];

  if (input.station) {
    const found = findStations(view, input.station);
    if (!found.ok) return err(coreError('SOURCES.NOT_FOUND', found.error.params));
    blocks.push({ type: 'title', text: t(locale, 'sources.title_station', { query: input.station }) });
    const stations = found.value.slice(0, MAX_STATIONS_SHOWN);
    const countries = new Set<string>();
    for (const s of stations) {
      const claims = [...new Set([...s.statuses.map((st) => st.claimId), ...(view.claimsByStation.get(s.id) ?? []).map((c) => c.id)])];
      blocks.push({ type: 'item', title: s.name[locale], lines: claims.map((id) => ({ text: view.claims.get(id)!.text[locale], cites: [cites.cite(id)] })) });
      countries.add(s.countryCode);
    }
    for (const code of countries) {
      const claims = view.claimsByCountry.get(code) ?? [];
      if (claims.length)
        blocks.push({ type: 'item', title: t(locale, 'lookup.in_country', { country: view.countries.get(code)?.name[locale] ?? code }), lines: claims.map((c) => ({ text: c.text[locale], cites: [cites.cite(c.id)] })) });
    }
    return ok({ private: false, kind: 'answer', blocks, citations: cites.all() });
  }

  blocks.push({ type: 'title', text: t(locale, 'sources.title_all', { sources: view.data.sources.length, claims: view.data.claims.length, stations: view.data.stations.length }) });
  for (const s of view.data.sources) {
    const count = view.data.claims.filter((c) => c.sourceId === s.id).length;
    blocks.push({
      type: 'item',
      title: s.title,
      lines: [
        { text: t(locale, 'sources.publisher', { publisher: s.byline ? `${s.publisher} (${s.byline})` : s.publisher }) },
        { text: t(locale, 'sources.date', { date: formatDate(locale, s.date, s.dateApproximate) }) },
        { text: t(locale, 'sources.url', { url: s.url ?? t(locale, 'sources.url_unknown') }) },
        { text: t(locale, 'sources.claims', { count }) },
      ],
    });
  }
  const figures = view.data.claims.filter((c) => c.kind === 'figure' && !c.stationId);
  if (figures.length) blocks.push({ type: 'item', title: t(locale, 'sources.figures'), lines: figures.map((c) => ({ text: c.text[locale], cites: [cites.cite(c.id)] })) });
  const responses = view.globalClaims.filter((c) => c.kind === 'official_response');
  if (responses.length) blocks.push({ type: 'item', title: t(locale, 'lookup.official_responses'), lines: responses.map((c) => ({ text: c.text[locale], cites: [cites.cite(c.id)] })) });
  blocks.push({ type: 'notice', text: t(locale, 'sources.per_place') });
  return ok({ private: false, kind: 'answer', blocks, citations: cites.all() });
}
