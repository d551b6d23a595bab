/**
 * Draws a map scene as SVG: sea, every country (the focus highlighted), numbered markers styled by
 * status, a title band and a key. Every label is a glyph path (map.text.ts), so no text reaches the SVG as markup.
 */
import { geoPath, type GeoStream } from 'd3-geo';
import { t } from '../i18n/catalog.ts';
import type { Locale } from '../i18n/locales.ts';
import { statusLabel } from '../dataset/format.ts';
import { shapesWithin, visiblePart } from './map.atlas.ts';
import { textPath, textWidth } from './map.text.ts';
import { MAP_SIZE, MARKER_R, placeScene, type MapScene, type PlacedMarker, type PlacedScene, type MarkerStyle } from './map.scene.ts';

/** Fill, outline and number colour of each marker style. */
const STYLE: Record<MarkerStyle, { fill: string; stroke: string; text: string; dash?: string; ring?: boolean }> = {
  reported: { fill: '#c0392b', stroke: '#ffffff', text: '#ffffff' },
  under_investigation: { fill: '#f39c12', stroke: '#7a4a00', text: '#1b1b1b', dash: '4 2' },
  closed: { fill: '#ffffff', stroke: '#555555', text: '#333333' },
  prosecuted: { fill: '#6b0f0f', stroke: '#ffffff', text: '#ffffff', ring: true },
  mixed: { fill: '#7f8c8d', stroke: '#ffffff', text: '#ffffff' },
};

/** The map as an SVG document. */
export function sceneSvg(grouped: MapScene, locale: Locale, title: string): string {
  const scene = placeScene(grouped);
  const { width: W, height: H } = MAP_SIZE;
  // No adaptive resampling: Natural Earth vertices are dense enough, and it dominated the cost.
  const projection = scene.projection.precision(0).clipExtent([
    [-2, -2],
    [W + 2, H + 2],
  ]);
  const path = geoPath({ stream: (out) => projection.stream(thinned(out)) }).digits(1);
  const view = visibleBounds(scene);
  const land = shapesWithin(scene.detail, view)
    .filter((f) => f.id !== scene.focus?.id)
    .map((f) => path(f) ?? '')
    .join('');
  const focus = scene.focus
    ? `<path d="${path(visiblePart(scene.focus, view)) ?? ''}" fill="#f1ddb0" stroke="#8a6d3b" stroke-width="1"/>`
    : '';
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">`,
    `<rect width="${W}" height="${H}" fill="#d7e6f2"/>`,
    `<path d="${land}" fill="#f7f4ec" stroke="#a3acb5" stroke-width="0.6" stroke-linejoin="round"/>`,
    focus,
    ...scene.markers.map(markerSvg),
    titleBand(locale, title),
    keyBand(scene, locale),
    '</svg>',
  ].join('');
}

function markerSvg(m: PlacedMarker): string {
  const s = STYLE[m.style];
  const [x, y] = m.at;
  const [ax, ay] = m.anchor;
  const moved = Math.hypot(x - ax, y - ay) > MARKER_R / 2;
  const leader = moved
    ? `<line x1="${r1(ax)}" y1="${r1(ay)}" x2="${r1(x)}" y2="${r1(y)}" stroke="#333" stroke-width="1"/><circle cx="${r1(ax)}" cy="${r1(ay)}" r="2.5" fill="#333"/>`
    : '';
  const ring = s.ring ? `<circle cx="${r1(x)}" cy="${r1(y)}" r="${MARKER_R + 3}" fill="none" stroke="${s.fill}" stroke-width="2"/>` : '';
  const dash = s.dash ? ` stroke-dasharray="${s.dash}"` : '';
  const count =
    m.count > 1 ? textPath(`×${m.count}`, x + MARKER_R + 2, y - MARKER_R + 4, { size: 14, fill: '#1b1b1b', halo: 3, bold: true }) : '';
  const number = textPath(String(m.n), x, y + 5, { size: 14, fill: s.text, anchor: 'middle', bold: true });
  return `${leader}${ring}<circle cx="${r1(x)}" cy="${r1(y)}" r="${MARKER_R}" fill="${s.fill}" stroke="${s.stroke}" stroke-width="2"${dash}/>${number}${count}`;
}

function titleBand(locale: Locale, title: string): string {
  return [
    `<rect width="${MAP_SIZE.width}" height="74" fill="#ffffff" fill-opacity="0.92"/>`,
    textPath(title, 20, 32, { size: 22, fill: '#111111' }),
    textPath(t(locale, 'map.note'), 20, 60, { size: 15, fill: '#7a1f1f' }),
  ].join('');
}

/** The key: one sample marker per style on the map, and the shapes' attribution. */
function keyBand(scene: MapScene, locale: Locale): string {
  const y = MAP_SIZE.height - 22;
  const styles = [...new Set(scene.markers.map((m) => m.style))];
  let x = 30;
  const parts = [`<rect y="${MAP_SIZE.height - 44}" width="${MAP_SIZE.width}" height="44" fill="#ffffff" fill-opacity="0.92"/>`];
  for (const style of styles) {
    const s = STYLE[style];
    const label = style === 'mixed' ? t(locale, 'map.mixed') : statusLabel(locale, style);
    parts.push(
      `<circle cx="${x}" cy="${y}" r="8" fill="${s.fill}" stroke="${s.stroke === '#ffffff' ? s.fill : s.stroke}" stroke-width="2"${s.dash ? ` stroke-dasharray="3 2"` : ''}/>`,
    );
    parts.push(textPath(label, x + 14, y + 5, { size: 14, fill: '#222222' }));
    x += 40 + textWidth(label, 14);
  }
  parts.push(textPath(t(locale, 'map.attribution'), MAP_SIZE.width - 16, y + 5, { size: 12, fill: '#555555', anchor: 'end' }));
  return parts.join('');
}

/** The longitude/latitude box the canvas shows (its corners and edge midpoints, unprojected). */
function visibleBounds(scene: PlacedScene): [[number, number], [number, number]] {
  const { width: W, height: H } = MAP_SIZE;
  const pts = [
    [0, 0],
    [W / 2, 0],
    [W, 0],
    [0, H / 2],
    [W, H / 2],
    [0, H],
    [W / 2, H],
    [W, H],
  ].map((p) => scene.projection.invert!(p as [number, number])!);
  const lons = pts.map((p) => p[0]);
  const lats = pts.map((p) => p[1]);
  return [
    [Math.min(...lons), Math.min(...lats)],
    [Math.max(...lons), Math.max(...lats)],
  ];
}

/** Drops projected points within half a pixel of the last one kept (1:10m outlines are far finer than the image). */
function thinned(out: GeoStream): GeoStream {
  let last: [number, number] | undefined;
  let first = true;
  return {
    point(x, y) {
      if (!first && last && Math.abs(x - last[0]) < 0.5 && Math.abs(y - last[1]) < 0.5) return;
      first = false;
      last = [x, y];
      out.point(x, y);
    },
    lineStart() {
      first = true;
      last = undefined;
      out.lineStart();
    },
    lineEnd: () => out.lineEnd(),
    polygonStart: () => out.polygonStart(),
    polygonEnd: () => out.polygonEnd(),
    sphere: () => out.sphere?.(),
  };
}

const r1 = (v: number) => Math.round(v * 10) / 10;
