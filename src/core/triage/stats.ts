/**
 * `/triage stats`: an overview picture for the team. Reports per week (the last 12, by category)
 * as a grid, and reports by status as bars, drawn to SVG (labels as paths, the map's font) and
 * rasterised offline. Every count from 1 to 4 is shown as "<5", and its bar drawn at one width,
 * so a small group cannot be singled out; no report content, no ids.
 */
import type { CoreContext } from '../context.ts';
import { t } from '../i18n/catalog.ts';
import type { Locale } from '../i18n/locales.ts';
import { CATEGORIES } from '../intake/intake.taxonomy.ts';
import { svgToPng } from '../map/map.render.ts';
import { textPath } from '../map/map.text.ts';
import type { Reply } from '../reply.ts';
import { REPORT_STATUSES } from './triage.rules.ts';

const WEEKS = 12;
const WEEK_MS = 7 * 86_400_000;
const W = 960;
const H = 560;

/** A count as shown: "–" for none, "<5" for one to four, else the number. */
export const shownCount = (n: number) => (n === 0 ? '–' : n < 5 ? '<5' : String(n));

/** Monday 00:00 UTC of the week holding `d`. */
function weekStart(d: Date): number {
  const day = Math.floor(d.getTime() / 86_400_000);
  return (day - ((day + 3) % 7)) * 86_400_000; // 1970-01-01 was a Thursday
}

/** The counts the picture shows. */
export interface StatsCounts {
  weeks: number[];
  byWeek: Map<string, number>;
  byStatus: Map<string, number>;
}

/** Counts reports per week and category (the last 12 weeks) and per status. */
export function countReports(rows: readonly { createdAt: Date; category: string; status: string }[], now: Date): StatsCounts {
  const last = weekStart(now);
  const weeks = Array.from({ length: WEEKS }, (_, i) => last - (WEEKS - 1 - i) * WEEK_MS);
  const byWeek = new Map<string, number>();
  const byStatus = new Map<string, number>();
  for (const r of rows) {
    byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
    const w = weekStart(r.createdAt);
    if (w >= weeks[0]!) byWeek.set(`${w}|${r.category}`, (byWeek.get(`${w}|${r.category}`) ?? 0) + 1);
  }
  return { weeks, byWeek, byStatus };
}

function label(text: string, x: number, y: number, size: number, anchor: 'start' | 'middle' | 'end' = 'start', fill = '#1f2937'): string {
  return textPath(text, x, y, { size, fill, anchor });
}

/** The picture, as SVG. */
export function statsSvg(c: StatsCounts, l: Locale): string {
  const parts: string[] = [
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    label(t(l, 'triage.stats_title'), 24, 36, 22, 'start', '#111827'),
  ];
  const left = 250;
  const cell = { w: 54, h: 26 };
  const top = 80;
  c.weeks.forEach((w, i) =>
    parts.push(label(new Date(w).toISOString().slice(5, 10), left + i * cell.w + cell.w / 2, top - 8, 11, 'middle', '#4b5563')),
  );
  CATEGORIES.forEach((cat, row) => {
    const y = top + row * cell.h;
    parts.push(label(t(l, `category.${cat}`).slice(0, 28), left - 8, y + 18, 12, 'end'));
    c.weeks.forEach((w, i) => {
      const n = c.byWeek.get(`${w}|${cat}`) ?? 0;
      // Shade by band, not by exact count: "<5" cells all look alike.
      const shade = n === 0 ? '#f3f4f6' : n < 5 ? '#dbeafe' : n < 10 ? '#93c5fd' : '#3b82f6';
      parts.push(`<rect x="${left + i * cell.w + 1}" y="${y + 1}" width="${cell.w - 2}" height="${cell.h - 2}" fill="${shade}"/>`);
      parts.push(label(shownCount(n), left + i * cell.w + cell.w / 2, y + 18, 12, 'middle'));
    });
  });
  const barsTop = top + CATEGORIES.length * cell.h + 40;
  parts.push(label(t(l, 'triage.stats_by_status'), 24, barsTop, 16, 'start', '#111827'));
  const max = Math.max(5, ...c.byStatus.values());
  REPORT_STATUSES.forEach((s, i) => {
    const n = c.byStatus.get(s) ?? 0;
    const y = barsTop + 14 + i * 22;
    const width = n === 0 ? 0 : n < 5 ? 24 : Math.max(24, (n / max) * 520);
    parts.push(label(t(l, `report_status.${s as 'new'}`).slice(0, 30), left - 8, y + 14, 12, 'end'));
    parts.push(`<rect x="${left}" y="${y}" width="${width.toFixed(1)}" height="18" fill="#3b82f6"/>`);
    parts.push(label(shownCount(n), left + width + 8, y + 14, 12));
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">${parts.join('')}</svg>`;
}

/** The stats reply: the picture and a text version with the same rule. */
export async function statsReply(ctx: CoreContext, rows: readonly { createdAt: Date; category: string; status: string }[]): Promise<Reply> {
  const l = ctx.actor.locale;
  const c = countReports(rows, ctx.deps.clock.now());
  const bytes = await svgToPng(statsSvg(c, l));
  const statusLines = REPORT_STATUSES.map((s) => ({
    text: `${t(l, `report_status.${s as 'new'}`)}: ${shownCount(c.byStatus.get(s) ?? 0)}`,
  }));
  return {
    private: true,
    kind: 'answer',
    citations: [],
    blocks: [
      { type: 'title', text: t(l, 'triage.stats_title') },
      { type: 'item', title: t(l, 'triage.stats_by_status'), lines: statusLines },
      { type: 'notice', text: t(l, 'triage.stats_small') },
    ],
    image: { name: 'lantern-stats.png', mime: 'image/png', bytes, width: W, height: H, alt: t(l, 'triage.stats_title') },
  };
}
