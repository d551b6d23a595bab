/**
 * Every statement sourced, tested the way an operator would break it: a dataset with an invented
 * quote is refused by `admin dataset-import` (naming the claim, nothing changed) and by start-up
 * (one line, exit non-zero); `admin dataset-export` on a new data directory exports the bundled
 * dataset; `admin source-add` adds a source whose text then verifies the claims quoting it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { Dataset } from '../../src/core/dataset/dataset.schema.ts';
import { openDatabase } from '../../src/db/client.ts';
import { bundledDatasetPath, loadDataset, replaceDataset } from '../../src/db/dataset-store.ts';
import { admin } from '../../src/tools/admin.ts';
import { MAIN } from '../support/entry.ts';

const bundled = Dataset.parse(JSON.parse(readFileSync(bundledDatasetPath, 'utf8')));
const root = mkdtempSync(path.join(tmpdir(), 'lantern-verify-'));
const saved = { ...process.env };
let n = 0;
let dataDir = '';

/** The bundled dataset with one quote invented (it appears in no source). */
function withInventedQuote(): Dataset {
  const d = structuredClone(bundled);
  d.version = 'invented-1';
  d.claims.find((c) => c.id === 'it-prato-report')!.quote = 'The NGO found 12 Chinese police stations in Italy, including in Prato.';
  return d;
}

async function run(argv: string[]) {
  const out: string[] = [];
  const code = await admin(argv, (s) => out.push(s));
  return { code, out: out.join('\n') };
}

function start(dir: string, input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...MAIN, '--json'], { env: { ...process.env, LANTERN_DATA_DIR: dir, LOG_LEVEL: 'warn' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('dataset verification', () => {
  beforeEach(() => {
    dataDir = path.join(root, `data-${++n}`);
    process.env.LANTERN_DATA_DIR = dataDir;
    delete process.env.DATABASE_URL;
  });
  afterAll(() => {
    process.env = saved;
  });

  it('exports the bundled dataset, with its source texts, from a new data directory', { timeout: 120_000 }, async () => {
    const file = path.join(root, 'fresh-export.json');
    const r = await run(['dataset-export', file]);
    expect(r.code).toBe(0);
    const exported = Dataset.parse(JSON.parse(readFileSync(file, 'utf8')));
    expect(exported.claims).toHaveLength(bundled.claims.length);
    expect(exported.topics).toHaveLength(bundled.topics.length);
    expect(exported.disagreements).toHaveLength(bundled.disagreements.length);
    expect(exported.sources.map((s) => s.text)).toEqual(expect.arrayContaining(bundled.sources.map((s) => s.text)));
  });

  it('dataset-import refuses an invented quote, naming the claim, and changes nothing', { timeout: 120_000 }, async () => {
    const good = path.join(root, 'good.json');
    expect((await run(['dataset-export', good])).code).toBe(0);
    const bad = path.join(root, 'invented.json');
    writeFileSync(bad, JSON.stringify(withInventedQuote()));
    const r = await run(['dataset-import', bad]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^Refused .*nothing was changed/);
    expect(r.out).toContain('- claim "it-prato-report": quote is not verbatim in source "cnn-patrol-and-persuade"');
    const db = await openDatabase({ dataDir });
    try {
      expect((await loadDataset(db.prisma)).version).toBe(bundled.version);
    } finally {
      await db.close();
    }
    expect((await run(['dataset-import', good])).code, 'the verified export imports').toBe(0);
  });

  it('refuses to start on a dataset that does not verify: one line, exit 1, no answer', async () => {
    const db = await openDatabase({ dataDir });
    await replaceDataset(db.prisma, withInventedQuote(), 'import'); // as if written before verification existed
    await db.close();
    const r = await start(dataDir, '/lookup Prato\n');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('{'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^lantern: the dataset in the database does not verify \(1 problem; first: claim "it-prato-report": quote is not verbatim/,
    );
    // the same directory with a verified dataset serves again
    const ok = await openDatabase({ dataDir });
    await replaceDataset(ok.prisma, bundled, 'import');
    await ok.close();
    const served = await start(dataDir, '/lookup Prato\n');
    expect(served.code).toBe(0);
    expect(served.stdout).toContain('Prato');
  }, 120_000);

  it('source-add bundles a new document; claims quoting it verify, invented ones are refused', async () => {
    const text = path.join(root, 'new-article.txt');
    writeFileSync(text, 'Local paper\n\nThe council said it had found no “service station” in the town hall.\n');
    expect((await run(['source-add', text, '--publisher', 'Local Paper', '--title'])).code, 'a missing value is a usage error').toBe(2);
    const r = await run([
      'source-add',
      text,
      '--publisher',
      'Local Paper',
      '--title',
      'No station in the town hall',
      '--date',
      '2023-05',
      '--url',
      'https://example.org/a',
    ]);
    expect(r.code).toBe(0);
    const id = /Added source "([a-z0-9-]+)"/.exec(r.out)![1]!;
    expect((await run(['source-add', text, '--publisher', 'Other', '--title', 'Again', '--date', 'unknown'])).out).toMatch(
      `already in the dataset as source "${id}"`,
    );
    const file = path.join(root, 'with-source.json');
    expect((await run(['dataset-export', file])).code).toBe(0);
    const d = JSON.parse(readFileSync(file, 'utf8')) as Dataset;
    expect(d.sources.find((s) => s.id === id)).toMatchObject({
      publisher: 'Local Paper',
      date: '2023-05',
      textFile: 'new-article.txt',
      url: 'https://example.org/a',
    });
    const newClaim = (quote: string) => ({
      id: 'local-council-none',
      kind: 'host_response' as const,
      stationId: null,
      countryCode: 'IT',
      speaker: 'The council',
      text: {
        en: 'The council said it found no station in the town hall.',
        'zh-Hans': '市议会表示，在市政厅没有发现站点。',
        'zh-Hant': '市議會表示，在市政廳沒有發現站點。',
      },
      sourceId: id,
      quote,
      date: '2023-05',
      dateApproximate: false,
      places: [],
      topics: [],
      answers: [],
    });
    writeFileSync(file, JSON.stringify({ ...d, claims: [...d.claims, newClaim('it had found no “service station” in the town hall')] }));
    expect((await run(['dataset-import', file])).code).toBe(0);
    writeFileSync(file, JSON.stringify({ ...d, claims: [...d.claims, newClaim('it had found a “service station” in the town hall')] }));
    const refused = await run(['dataset-import', file]);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain(`claim "local-council-none": quote is not verbatim in source "${id}"`);
  }, 120_000);
});
