/**
 * `admin source-add`: a new source document joins the dataset with its full text, so the claims an
 * operator then adds are verified against it like every other quote.
 */
import { Dataset, SourceRecord } from './dataset.schema.ts';

/** What an operator gives for a new source. */
export interface NewSource {
  textFile: string;
  text: string;
  publisher: string;
  title: string;
  date: string;
  dateApproximate: boolean;
  url: string | null;
  byline: string | null;
  id?: string | undefined;
}

/** A slug from the publisher and title, e.g. "the-times-police-stations-in-x". */
export function sourceSlug(publisher: string, title: string): string {
  const words = `${publisher} ${title}`
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
  const slug = words.join('-').slice(0, 48).replace(/-+$/, '');
  return slug.length >= 2 ? slug : 'source';
}

function uniqueId(base: string, taken: Set<string>): string {
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

/** The dataset with the source added, or why it cannot be (a message naming the fix). */
export function addSource(
  d: Dataset,
  n: NewSource,
): { ok: true; value: { dataset: Dataset; source: SourceRecord } } | { ok: false; error: string } {
  const taken = new Set(d.sources.map((s) => s.id));
  if (n.id && taken.has(n.id)) return { ok: false, error: `A source with id "${n.id}" already exists: choose another --id.` };
  const same = d.sources.find((s) => s.text !== null && s.text.trim() === n.text.trim());
  if (same) return { ok: false, error: `This text is already in the dataset as source "${same.id}": cite that one.` };
  const candidate = {
    id: n.id ?? uniqueId(sourceSlug(n.publisher, n.title), taken),
    publisher: n.publisher,
    byline: n.byline,
    title: n.title,
    date: n.date,
    dateApproximate: n.dateApproximate,
    url: n.url,
    textFile: n.textFile,
    text: n.text,
    notes: null,
  };
  const parsed = SourceRecord.safeParse(candidate);
  if (!parsed.success)
    return {
      ok: false,
      error: `The source is not valid: ${parsed.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('; ')}`,
    };
  const next = Dataset.safeParse({ ...d, sources: [...d.sources, parsed.data] });
  if (!next.success) return { ok: false, error: `The dataset would not be valid: ${next.error.issues[0]?.message ?? ''}` };
  return { ok: true, value: { dataset: next.data, source: parsed.data } };
}
