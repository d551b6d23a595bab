/**
 * Text as SVG paths, from the glyphs of the bundled Noto Sans Hans (fontkit shapes it). Drawing the
 * glyphs ourselves keeps resvg away from fonts: its per-text shaping of this large CJK font cost
 * 50–200 ms a label, fontkit parses it once (~0.4 s, on the first map) and then a label is ~1 ms.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as fontkit from 'fontkit';

const require = createRequire(import.meta.url);
let loaded: fontkit.Font | undefined;
// fontkit is required with the first label drawn (a map or a chart), not at start (~20 MB).
const openFont = (file: string) => (require('fontkit') as typeof fontkit).openSync(file) as fontkit.Font;

/** Noto Sans Hans (Regular) from @embedpdf/fonts-sc: its Han set covers the Traditional text too. */
export function mapFontFile(): string {
  return path.join(path.dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts', 'NotoSansHans-Regular.otf');
}

/** The font, opened on first use and kept (immutable data, like the atlas). */
export function mapFont(): fontkit.Font {
  loaded ??= openFont(mapFontFile());
  return loaded;
}

/** How a label is placed: baseline at y; x is its start, middle or end. */
export interface TextStyle {
  size: number;
  fill: string;
  anchor?: 'start' | 'middle' | 'end';
  /** a white outline under the glyphs, for labels over the map */
  halo?: number;
  /** a thin outline in the fill colour, standing in for a bold weight */
  bold?: boolean;
}

/** Latin punctuation at its proportional width (the font's default quotes are full-width). */
const FEATURES = ['pwid'];

/** The label as one SVG path (empty for empty text). */
export function textPath(text: string, x: number, y: number, style: TextStyle): string {
  if (!text) return '';
  const font = mapFont();
  const run = font.layout(text, /[\u3000-\u9fff\uff00-\uffef]/.test(text) ? [] : FEATURES);
  let d = '';
  let advance = 0;
  run.glyphs.forEach((g, i) => {
    d += g.path.translate(advance, 0).toSVG();
    advance += run.positions[i]!.xAdvance;
  });
  const k = style.size / font.unitsPerEm;
  const width = advance * k;
  const left = style.anchor === 'middle' ? x - width / 2 : style.anchor === 'end' ? x - width : x;
  // Font units have y up: flip them into SVG's y-down space at the baseline.
  const transform = `translate(${r2(left)} ${r2(y)}) scale(${r4(k)} ${r4(-k)})`;
  const bold = style.bold ? ` stroke="${style.fill}" stroke-width="${r2(30)}"` : '';
  const halo = style.halo
    ? `<path transform="${transform}" d="${d}" fill="#ffffff" stroke="#ffffff" stroke-width="${r2(style.halo / k)}" stroke-linejoin="round"/>`
    : '';
  return `${halo}<path transform="${transform}" d="${d}" fill="${style.fill}"${bold}/>`;
}

/** The advance width of a label in pixels at this size. */
export function textWidth(text: string, size: number): number {
  const font = mapFont();
  const run = font.layout(text, /[\u3000-\u9fff\uff00-\uffef]/.test(text) ? [] : FEATURES);
  return (run.positions.reduce((s, p) => s + p.xAdvance, 0) * size) / font.unitsPerEm;
}

const r2 = (v: number) => Math.round(v * 100) / 100;
const r4 = (v: number) => Math.round(v * 10000) / 10000;
