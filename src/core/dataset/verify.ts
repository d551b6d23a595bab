/**
 * The promise behind every citation, checked at `dataset-import`, at start and by `dataset:verify`:
 * the dataset's shape (zod), and each claim's quote occurs verbatim in the text of the source it
 * cites (the text bundled in the dataset, and the source file when one is given). Only runs of whitespace are
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

/** A dataset that does not verify; `problems` lists each offending record, the message is one line. */
export class DatasetUnverifiedError extends Error {
  constructor(
    readonly problems: string[],
    what = 'the dataset',
  ) {
    super(
      `${what} does not verify (${problems.length} problem${problems.length === 1 ? '' : 's'}; first: ${problems[0] ?? '?'}). Fix it and load it with: npm run admin -- dataset-import <file.json>`,
    );
  }
}

/** Quotation marks and apostrophes in their straight form: only for matching quoted words in our own texts. */
function plainQuotes(s: string): string {
  return collapse(s)
    .replace(/[“”„‟"]/g, '"')
    .replace(/[‘’‚‛']/g, "'")
    .toLowerCase();
}

/** Words our English text prints inside quotation marks (three words or more: a statement, not a name). */
function quotedInEnglish(text: string): string[] {
  return [...text.matchAll(/“([^”]+)”/g)].map((m) => m[1]!).filter((q) => q.trim().split(/\s+/).length >= 3);
}

/** A Chinese text longer than a term inside quotation marks reads as a verbatim quote, but it is our translation. */
const ZH_QUOTED_MAX = 12;
function quotedInChinese(text: string): string[] {
  return [...text.matchAll(/[“「]([^”」]+)[”」]/g)].map((m) => m[1]!).filter((q) => [...q].length > ZH_QUOTED_MAX);
}

interface SourceTexts {
  texts: Map<string, string[]>;
  problems: string[];
}

/** The texts each source's quotes must be found in: its bundled text and, when given, its file. */
function sourceTexts(root: Record<string, unknown>, files: Map<string, string>): SourceTexts {
  const texts = new Map<string, string[]>();
  const problems: string[] = [];
  for (const source of records(root.sources)) {
    const id = str(source.id);
    if (id === undefined) continue;
    const bundled = str(source.text);
    const file = str(source.textFile);
    const fromFile = file === undefined ? undefined : files.get(file);
    if (files.size && file !== undefined && fromFile === undefined)
      problems.push(`source "${id}": text file "${file}" is not among the source texts`);
    if (bundled !== undefined && fromFile !== undefined && collapse(bundled).trim() !== collapse(fromFile).trim())
      problems.push(`source "${id}": its bundled text differs from the source file "${file}"`);
    const list = [bundled, fromFile].filter((x): x is string => x !== undefined).map(collapse);
    if (!list.length)
      problems.push(`source "${id}" has no text (bundle it, or name its textFile among the source texts), so its quotes cannot be checked`);
    texts.set(id, list);
  }
  return { texts, problems };
}

/** Problems of one claim: its quote not verbatim, our wording quoting what the source does not say. */
function claimProblems(claim: Record<string, unknown>, texts: string[]): string[] {
  const id = str(claim.id) ?? '(no id)';
  const quote = str(claim.quote);
  const problems: string[] = [];
  if (quote !== undefined && texts.some((text) => !text.includes(collapse(quote))))
    problems.push(`claim "${id}": quote is not verbatim in source "${str(claim.sourceId)}": "${excerpt(quote)}"`);
  const wording = isRecord(claim.text) ? claim.text : {};
  for (const q of quotedInEnglish(str(wording.en) ?? ''))
    if (texts.some((text) => !plainQuotes(text).includes(plainQuotes(q))))
      problems.push(`claim "${id}": its English text quotes words its source does not print: "${excerpt(q)}"`);
  for (const locale of ['zh-Hans', 'zh-Hant'])
    for (const q of quotedInChinese(str(wording[locale]) ?? ''))
      problems.push(`claim "${id}": its ${locale} text prints a translation inside quotation marks, as if quoted: "${excerpt(q, 30)}"`);
  return problems;
}

/**
 * Every problem with a dataset (schema issues, quotes not verbatim in their source's text, a bundled
 * text that differs from its file, sources without text); empty when it verifies. `files` (file name
 * → text, e.g. ../shared/sources) is optional: the texts bundled in the dataset are always checked.
 */
export function verifyDataset(dataset: unknown, files: Map<string, string> = new Map()): string[] {
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
  const { texts, problems: sourceProblems } = sourceTexts(root, files);
  problems.push(...sourceProblems);
  for (const claim of records(root.claims)) {
    const list = texts.get(str(claim.sourceId) ?? '');
    // an unknown source is a schema issue; a source without text is reported once above
    if (list?.length) problems.push(...claimProblems(claim, list));
  }
  return problems;
}

/** Reads every .txt file in `dir` into a map from file name to text. */
export async function readSourceTexts(dir: string): Promise<Map<string, string>> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isFile() && e.name.endsWith('.txt'))
    .map((e) => e.name)
    .sort();
  const texts = new Map<string, string>();
  for (const name of names) texts.set(name, await readFile(join(dir, name), 'utf8'));
  return texts;
}
