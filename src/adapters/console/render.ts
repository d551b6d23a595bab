/** Renders a platform-neutral reply as terminal text. */
import type { Reply } from '../../core/reply.ts';
import type { Locale } from '../../core/i18n/locales.ts';
import { t } from '../../core/i18n/catalog.ts';
import { sha256 } from '../../core/crypto/crypto.ts';

/** The reply as one JSON line: files and the picture appear as name, type, size and checksum, never as content. */
export function renderJson(reply: Reply, imagePath?: string): string {
  // A picture likewise (its bytes would be a huge array), with where it was written, if it was.
  const image = reply.image && { name: reply.image.name, mime: reply.image.mime, width: reply.image.width, height: reply.image.height, alt: reply.image.alt, bytes: reply.image.bytes.byteLength, sha256: sha256(reply.image.bytes), ...(imagePath ? { path: imagePath } : {}) };
  return JSON.stringify({ ...reply, files: reply.files?.map((f) => ({ name: f.name, mime: f.mime, bytes: f.bytes.byteLength, sha256: sha256(f.bytes) })), image });
}

const marks = (cites?: number[]) => (cites?.length ? ' ' + cites.map((n) => `[${n}]`).join('') : '');

/** The reply as plain text lines. */
export function renderText(reply: Reply, locale: Locale): string {
  const out: string[] = [];
  for (const b of reply.blocks) {
    switch (b.type) {
      case 'title':
        out.push(`== ${b.text} ==`);
        break;
      case 'text':
        out.push(b.text + marks(b.cites));
        break;
      case 'notice':
        out.push(`(${b.text})`);
        break;
      case 'item':
        out.push('', `# ${b.title}`, ...b.lines.map((l) => `  - ${l.text}${marks(l.cites)}`));
        break;
    }
  }
  if (reply.choices?.length) out.push('', ...reply.choices.map((c, i) => `  ${i + 1}) ${c.label}`));
  for (const f of reply.files ?? []) out.push(t(locale, 'console.file', { name: f.name, bytes: f.bytes.byteLength, sha256: sha256(f.bytes) }));
  if (reply.citations.length) {
    out.push('', `-- ${t(locale, 'citation.title')} --`);
    for (const c of reply.citations) {
      const date = c.date === 'unknown' ? t(locale, 'date.unknown') : c.dateApproximate ? t(locale, 'date.approximate', { date: c.date }) : c.date;
      out.push(t(locale, 'citation.line', { n: c.n, publisher: c.publisher, title: c.title, date, url: c.url ?? t(locale, 'citation.url_unknown') }));
      out.push(`    ${t(locale, 'citation.quote', { quote: c.quote })}`);
    }
  }
  return out.join('\n');
}
