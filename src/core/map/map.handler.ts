/**
 * map [place]: a PNG map of the reported stations (the world, a country, or a city), with its
 * legend as the message text: number → place, status, date, each line citing its source, all
 * within one message. The picture is rendered once per dataset version, language and place.
 */
import type { CoreContext } from '../context.ts';
import type { CoreError } from '../errors.ts';
import { t } from '../i18n/catalog.ts';
import type { Locale } from '../i18n/locales.ts';
import { ok, type Result } from '../result.ts';
import type { Block, Reply } from '../reply.ts';
import { countryName, currentStatus, formatDate, statusLabel } from '../dataset/format.ts';
import type { StationRecord } from '../dataset/dataset.schema.ts';
import type { DatasetView } from '../dataset/dataset.view.ts';
import { buildScene, MAP_SIZE, resolveScope, type MapScene } from './map.scene.ts';
import { sceneSvg } from './map.svg.ts';
import { svgToPng } from './map.render.ts';

/** The one-message limit the legend keeps to (Discord's message content; Telegram allows more). */
export const LEGEND_MAX = 2000;

/** The map use case. */
export async function map(input: { place?: string | undefined }, ctx: CoreContext): Promise<Result<Reply, CoreError>> {
  const view = ctx.deps.dataset();
  const { locale } = ctx.actor;
  const resolved = await resolveScope(view, input.place);
  if (!resolved.ok) return resolved;
  const scene = buildScene(view, resolved.value.scope, resolved.value.stations);
  const place = placeName(view, scene, locale);
  const title = t(locale, 'map.title', { place, count: resolved.value.stations.length });
  const key = `${view.data.version}|${locale}|${scene.key}`;
  const make = () => svgToPng(sceneSvg(scene, locale, title));
  const bytes = await (ctx.deps.maps ? ctx.deps.maps.get(key, make) : make());
  const image = {
    name: `lantern-map-${scene.key.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.png`,
    mime: 'image/png' as const,
    bytes,
    ...MAP_SIZE,
    alt: t(locale, 'map.alt', { place }),
  };
  return ok({ private: false, kind: 'answer', blocks: legendBlocks(view, scene, locale, title), citations: [], image });
}

/** The place's name in the locale: the world, a country, or "city, country". */
export function placeName(view: DatasetView, scene: MapScene, locale: Locale): string {
  if (scene.scope.kind === 'world') return t(locale, 'map.world');
  const country = countryName(view, scene.scope.code, locale);
  if (scene.scope.kind === 'country') return country;
  const first = scene.markers[0]?.stations[0] ?? scene.unplaced[0];
  return first ? t(locale, 'lookup.city_country', { city: first.city[locale], country }) : country;
}

/**
 * The legend: title, the allegations note, one line per marker, the stations placed in no city,
 * the country's context line, and each source once. Long source titles are shortened, then the
 * context line dropped, until it fits one message.
 */
export function legendBlocks(view: DatasetView, scene: MapScene, locale: Locale, title: string): Block[] {
  const sources = new SourceNumbers();
  const line = (s: StationRecord) => {
    const now = currentStatus(s);
    return `${statusLabel(locale, now.status)} (${formatDate(locale, now.date, now.dateApproximate)})`;
  };
  const markers = scene.markers.map((m) => {
    const place = t(locale, 'lookup.city_country', {
      city: m.stations[0]!.city[locale],
      country: countryName(view, m.stations[0]!.countryCode, locale),
    });
    const status = [...new Set(m.stations.map(line))].join('; ');
    const text = t(locale, m.count > 1 ? 'map.line_count' : 'map.line', { n: m.n, place, count: m.count, status });
    return {
      text,
      cites: sources.of(
        view,
        m.stations.map((s) => currentStatus(s).claimId),
      ),
    };
  });
  const unplaced = scene.unplaced.map((s) => ({
    text: `${t(locale, 'lookup.city_country', { city: s.name[locale], country: countryName(view, s.countryCode, locale) })} — ${line(s)}`,
    cites: sources.of(view, [currentStatus(s).claimId]),
  }));
  const context = scene.scope.kind === 'world' ? undefined : (view.claimsByCountry.get(scene.scope.code) ?? [])[0];
  const contextLine = context ? { text: context.text[locale], cites: sources.of(view, [context.id]) } : undefined;
  const head: Block[] = [
    { type: 'title', text: title },
    { type: 'notice', text: t(locale, 'map.note') },
  ];
  const body: Block[] = markers.length
    ? [{ type: 'item', title: t(locale, 'map.legend'), lines: markers }]
    : [{ type: 'text', text: t(locale, 'map.none') }];
  if (unplaced.length) body.push({ type: 'item', title: t(locale, 'map.unplaced'), lines: unplaced });
  const tail = (titleMax: number): Block[] => [
    { type: 'item', title: t(locale, 'map.sources'), lines: sources.lines(view, locale, titleMax) },
    { type: 'notice', text: t(locale, 'map.quotes') },
  ];
  const withContext =
    contextLine && context
      ? [
          {
            type: 'item' as const,
            title: t(locale, 'lookup.in_country', { country: countryName(view, context.countryCode!, locale) }),
            lines: [contextLine],
          },
        ]
      : [];
  // Tried in order until one fits: all of it, then shorter titles, then without the context line.
  const tries: [Block[], number][] = [
    [withContext, 200],
    [withContext, 80],
    [[], 80],
    [[], 48],
  ];
  for (const [ctxBlocks, titleMax] of tries) {
    const blocks = [...head, ...body, ...ctxBlocks, ...tail(titleMax)];
    if (legendLength(blocks) <= LEGEND_MAX) return blocks;
  }
  return [...head, ...body, ...tail(32)];
}

/** The legend's length as plain text (what every platform counts at least). */
export function legendLength(blocks: readonly Block[]): number {
  const marks = (c?: number[]) => (c?.length ? 1 + c.map((n) => `[${n}]`).join('').length : 0);
  return blocks.reduce((sum, b) => {
    if (b.type === 'item') return sum + 2 + b.title.length + b.lines.reduce((s, l) => s + 3 + l.text.length + marks(l.cites), 0);
    return sum + 2 + b.text.length + (b.type === 'text' ? marks(b.cites) : 0);
  }, 0);
}

/** Numbers the sources the legend cites, each once, in order of first use. */
class SourceNumbers {
  private readonly order: string[] = [];

  /** The source numbers of these claims. */
  of(view: DatasetView, claimIds: readonly string[]): number[] {
    const ns = new Set<number>();
    for (const id of claimIds) {
      const source = view.claims.get(id)?.sourceId;
      if (!source) throw new Error(`dataset integrity: unknown claim ${id}`);
      if (!this.order.includes(source)) this.order.push(source);
      ns.add(this.order.indexOf(source) + 1);
    }
    return [...ns].sort((a, b) => a - b);
  }

  /** "[n] publisher, “title” (date). link", the title cut to `titleMax` characters. */
  lines(view: DatasetView, locale: Locale, titleMax: number): { text: string }[] {
    return this.order.map((id, i) => {
      const s = view.sources.get(id)!;
      const title = s.title.length <= titleMax ? s.title : `${s.title.slice(0, titleMax - 1)}…`;
      const date = formatDate(locale, s.date, s.dateApproximate);
      return {
        text: t(locale, 'citation.line', {
          n: i + 1,
          publisher: s.publisher,
          title,
          date,
          url: s.url ?? t(locale, 'citation.url_unknown'),
        }),
      };
    });
  }
}
