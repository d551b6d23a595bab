/** Renders a platform-neutral reply as terminal text (wrapped and coloured on a terminal). */
import { styleText } from 'node:util';
import wrapAnsi from 'wrap-ansi';
import type { Reply } from '../../core/reply.ts';
import type { Locale } from '../../core/i18n/locales.ts';
import { t } from '../../core/i18n/catalog.ts';
import { sha256 } from '../../core/crypto/crypto.ts';
import { citationDate, citeMarks } from '../kit/citations.ts';

/** The reply as one JSON line: files and the picture appear as name, type, size and checksum, never as content. */
export function renderJson(reply: Reply, imagePath?: string): string {
  // A picture likewise (its bytes would be a huge array), with where it was written, if it was.
  const image = reply.image && {
    name: reply.image.name,
    mime: reply.image.mime,
    width: reply.image.width,
    height: reply.image.height,
    alt: reply.image.alt,
    bytes: reply.image.bytes.byteLength,
    sha256: sha256(reply.image.bytes),
    ...(imagePath ? { path: imagePath } : {}),
  };
  return JSON.stringify({
    ...reply,
    files: reply.files?.map((f) => ({ name: f.name, mime: f.mime, bytes: f.bytes.byteLength, sha256: sha256(f.bytes) })),
    image,
  });
}

/** How text is laid out: `width` wraps (a terminal's columns), `color` adds ANSI styles. */
export interface TextStyle {
  width?: number | undefined;
  color?: boolean;
  /** where --save-files writes files, if it was given */
  savedTo?: string | undefined;
}

type Format = Parameters<typeof styleText>[0];

const marks = citeMarks;

/** Wraps one logical line at the width; continuation lines are indented by `indent`. */
function wrap(line: string, width: number | undefined, indent = 0): string {
  if (!width || width < 20) return line;
  const lead = /^ */.exec(line)![0];
  const room = width - Math.max(lead.length, indent);
  // hard: a long URL is cut at the edge rather than overflowing; words are never split otherwise.
  const body = wrapAnsi(line.slice(lead.length), room, { hard: true, trim: true }).split('\n');
  return body.map((l, i) => (i === 0 ? lead : ' '.repeat(Math.max(lead.length, indent))) + l).join('\n');
}

/** The reply as text lines. */
export function renderText(reply: Reply, locale: Locale, style: TextStyle = {}): string {
  // The adapter decides (its output a terminal, NO_COLOR unset): styleText must not re-check process.stdout.
  const paint = (f: Format, s: string) => (style.color ? styleText(f, s, { validateStream: false }) : s);
  const out: string[] = [];
  const push = (s: string, indent = 0) => out.push(wrap(s, style.width, indent));
  for (const b of reply.blocks) {
    switch (b.type) {
      case 'title':
        push(paint('bold', `== ${b.text} ==`));
        break;
      case 'text':
        push(reply.kind === 'error' ? paint('red', b.text) + marks(b.cites) : b.text + paint('cyan', marks(b.cites)));
        break;
      case 'notice':
        push(paint('dim', `(${b.text})`), 1);
        break;
      case 'item':
        out.push('');
        push(paint('bold', `# ${b.title}`));
        for (const l of b.lines) push(`  - ${l.text}${paint('cyan', marks(l.cites))}`, 4);
        break;
    }
  }
  if (reply.choices?.length)
    out.push('', ...reply.choices.map((c, i) => wrap(`  ${paint('cyan', `${i + 1})`)} ${c.label}`, style.width, 5)));
  for (const f of reply.files ?? []) {
    const params = { name: f.name, bytes: f.bytes.byteLength, sha256: sha256(f.bytes) };
    push(style.savedTo ? t(locale, 'console.file_saved', { ...params, dir: style.savedTo }) : t(locale, 'console.file', params));
  }
  if (reply.citations.length) {
    out.push('', paint('bold', `-- ${t(locale, 'citation.title')} --`));
    for (const c of reply.citations) {
      const date = citationDate(c, locale);
      push(
        t(locale, 'citation.line', {
          n: c.n,
          publisher: c.publisher,
          title: c.title,
          date,
          url: c.url ?? t(locale, 'citation.url_unknown'),
        }),
        4,
      );
      push(`    ${paint('italic', t(locale, 'citation.quote', { quote: c.quote }))}`, 4);
    }
  }
  return out.join('\n');
}
