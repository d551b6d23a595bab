/**
 * `dataset:verify`: the dataset's shape (zod) plus the promise behind every citation — each
 * claim's quote occurs verbatim in the text of the source it cites. Only runs of whitespace are
 * collapsed before comparing; quotes, apostrophes, dashes and case must match exactly.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Dataset } from './dataset.schema.ts';

/** Runs of whitespace (line breaks, double spaces) become one space; nothing else changes. */
function collapse(s: string): string {
  return s.replace(/\s+/g, ' ');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function records(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? v.filter(isRecord) : [];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function excerpt(s: string, max = 80): string {
  const c = collapse(s).trim();
  return c.length > max ? `${c.slice(0, max - 1)}…` : c;
}

/** Every problem with a dataset (schema issues, quotes not verbatim in their source's text, missing text files); empty when it verifies. */
export function verifyDataset(dataset: unknown, sourceTexts: Map<string, string>): string[] {
  const problems: string[] = [];
  const parsed = Dataset.safeParse(dataset);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String).join('.');
      problems.push(`dataset${path ? `.${path}` : ''}: ${issue.message}`);
    }
  }

  // Quotes are checked even when the shape is wrong, so one run lists every problem.
  const root = isRecord(dataset) ? dataset : {};
  const texts = new Map<string, string>();
  const unverifiable = new Map<string, string>();
  for (const source of records(root.sources)) {
    const id = str(source.id);
    if (id === undefined) continue;
    const file = source.textFile;
    if (typeof file !== 'string') {
      unverifiable.set(id, `source "${id}" has no textFile, so its quotes cannot be checked`);
      continue;
    }
    const text = sourceTexts.get(file);
    if (text === undefined) {
      problems.push(`source "${id}": text file "${file}" is not among the source texts`);
      unverifiable.set(id, '');
      continue;
    }
    texts.set(id, collapse(text));
  }

  const reportedUnverifiable = new Set<string>();
  for (const claim of records(root.claims)) {
    const id = str(claim.id) ?? '(no id)';
    const sourceId = str(claim.sourceId);
    const quote = str(claim.quote);
    if (sourceId === undefined || quote === undefined) continue; // the schema issues already say so
    const text = texts.get(sourceId);
    if (text === undefined) {
      const why = unverifiable.get(sourceId);
      if (why && !reportedUnverifiable.has(sourceId)) problems.push(why);
      reportedUnverifiable.add(sourceId);
      continue; // an unknown source is a schema issue; a missing text file is reported once above
    }
    if (!text.includes(collapse(quote))) {
      problems.push(`claim "${id}": quote is not verbatim in source "${sourceId}": "${excerpt(quote)}"`);
    }
  }
  return problems;
}

/** Reads every .txt file in `dir` into a map from file name to text. */
export async function readSourceTexts(dir: string): Promise<Map<string, string>> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries.filter((e) => e.isFile() && e.name.endsWith('.txt')).map((e) => e.name).sort();
  const texts = new Map<string, string>();
  for (const name of names) texts.set(name, await readFile(join(dir, name), 'utf8'));
  return texts;
}
