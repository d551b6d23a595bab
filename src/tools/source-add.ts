/** Parses `admin source-add <text-file> --publisher … --title … --date … [--url …] [--byline …] [--id …] [--approximate]`. */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import type { NewSource } from '../core/dataset/source-add.ts';

/** The new source from the command line and its text file, or a message saying what to fix. */
export async function parseSourceAdd(argv: string[]): Promise<{ ok: true; value: NewSource } | { ok: false; error: string }> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        publisher: { type: 'string' },
        title: { type: 'string' },
        date: { type: 'string' },
        url: { type: 'string' },
        byline: { type: 'string' },
        id: { type: 'string' },
        approximate: { type: 'boolean', default: false },
      },
    });
  } catch (e) {
    return { ok: false, error: `source-add: ${(e as Error).message}` };
  }
  const { values, positionals } = parsed;
  const file = positionals[0];
  const missing = (['publisher', 'title', 'date'] as const).filter((k) => !values[k]?.trim());
  if (!file || positionals.length > 1 || missing.length)
    return { ok: false, error: `source-add needs one text file and ${missing.map((m) => `--${m}`).join(', ') || 'nothing else'}` };
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    return { ok: false, error: `source-add: cannot read ${file}: ${(e as Error).message}` };
  }
  if (!text.trim()) return { ok: false, error: `source-add: ${file} is empty; the source's text is what its quotes are checked against.` };
  return {
    ok: true,
    value: {
      textFile: basename(file),
      text,
      publisher: values.publisher!.trim(),
      title: values.title!.trim(),
      date: values.date!.trim(),
      dateApproximate: values.approximate ?? false,
      url: values.url?.trim() || null,
      byline: values.byline?.trim() || null,
      id: values.id?.trim() || undefined,
    },
  };
}
