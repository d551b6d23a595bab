/**
 * The bundled dataset and `dataset:verify`: the dataset validates, every quote is verbatim in its
 * source's text, and the facts people look up most are there with the statuses the sources support.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Dataset } from '../../../src/core/dataset/dataset.schema.ts';
import { readSourceTexts, verifyDataset } from '../../../src/core/dataset/verify.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const bundledPath = join(repoRoot, 'prisma', 'dataset', 'lantern-dataset.json');
const sharedSources = join(repoRoot, '..', 'shared', 'sources');
const bundledJson: unknown = JSON.parse(readFileSync(bundledPath, 'utf8'));
const bundled = Dataset.parse(bundledJson);

const stationsWhere = (pred: (s: Dataset['stations'][number]) => boolean) => bundled.stations.filter(pred);
const statusesOf = (id: string) => bundled.stations.find((s) => s.id === id)!.statuses.map((s) => s.status);

/** A small, valid dataset whose one quote is in `article.txt` (test data only). */
function tinyDataset() {
  return {
    version: 'test-1',
    sources: [
      {
        id: 'test-source',
        publisher: 'Test Times',
        byline: null,
        title: 'A test article',
        date: '2022-09',
        dateApproximate: false,
        url: null,
        textFile: 'article.txt',
        notes: null,
      },
    ],
    countries: [{ code: 'IT', name: { en: 'Italy', 'zh-Hans': '意大利', 'zh-Hant': '義大利' }, aliases: [] }],
    stations: [
      {
        id: 'it-prato',
        name: { en: 'Prato', 'zh-Hans': '普拉托', 'zh-Hant': '普拉托' },
        city: { en: 'Prato', 'zh-Hans': '普拉托', 'zh-Hant': '普拉托' },
        countryCode: 'IT',
        precision: 'city',
        address: null,
        latitude: 43.88,
        longitude: 11.1,
        countInCity: 1,
        aliases: [],
        statuses: [{ status: 'reported', date: '2022-09', dateApproximate: false, claimId: 'prato-report' }],
      },
    ],
    claims: [
      {
        id: 'prato-report',
        kind: 'station_report',
        stationId: 'it-prato',
        countryCode: 'IT',
        speaker: null,
        text: {
          en: 'Test Times reported a station in Prato.',
          'zh-Hans': '测试报道称普拉托有站点。',
          'zh-Hant': '測試報導稱普拉托有站點。',
        },
        sourceId: 'test-source',
        quote: 'The group found a “police station” in Prato.',
        date: '2022-09',
        dateApproximate: false,
      },
    ],
  };
}
const tinyTexts = () => new Map([['article.txt', 'Intro.\nThe group found a “police station”\n   in Prato. More text.']]);

describe('dataset', () => {
  describe('the bundled dataset', () => {
    it('validates against the Dataset schema', () => {
      const parsed = Dataset.safeParse(bundledJson);
      expect(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([]);
    });

    it.skipIf(!existsSync(sharedSources))('verifies against the real source texts with zero problems', async () => {
      const texts = await readSourceTexts(sharedSources);
      expect(verifyDataset(bundledJson, texts)).toEqual([]);
    });

    it('cites one of its own sources, each with a text file, for every claim', () => {
      const sources = new Map(bundled.sources.map((s) => [s.id, s]));
      for (const c of bundled.claims) expect(sources.get(c.sourceId)?.textFile, c.id).toBeTruthy();
    });

    it('backs every station status with a claim about that station', () => {
      const claims = new Map(bundled.claims.map((c) => [c.id, c]));
      for (const s of bundled.stations)
        for (const st of s.statuses) expect(claims.get(st.claimId)?.stationId, `${s.id} ${st.status}`).toBe(s.id);
    });

    it('gives no street address (no source names one) and no coordinates where the city is unknown', () => {
      for (const s of bundled.stations) {
        expect(s.precision, s.id).toBe('city');
        expect(s.address, s.id).toBeNull();
      }
      for (const id of ['ie-unnamed-city', 'fr-paris-suburb']) {
        const s = bundled.stations.find((x) => x.id === id)!;
        expect([s.latitude, s.longitude]).toEqual([null, null]);
      }
    });
  });

  describe('facts people look up', () => {
    it('has three separate station records in Toronto', () => {
      const toronto = stationsWhere((s) => s.city.en === 'Toronto');
      expect(toronto).toHaveLength(3);
      expect(new Set(toronto.map((s) => s.id)).size).toBe(3);
      for (const s of toronto) expect(s.countInCity).toBe(3);
    });

    it('shows New York as reported, then prosecuted after the 17 April arrests (no source prints the year)', () => {
      const [ny] = stationsWhere((s) => s.city.en === 'New York');
      expect(ny!.statuses.map((s) => s.status)).toEqual(['reported', 'prosecuted']);
      expect(ny!.statuses[1]!.date).toBe('unknown');
      expect(bundled.claims.find((c) => c.id === ny!.statuses[1]!.claimId)!.text.en).toMatch(/17 April \(Voz prints no year\)/);
      expect(ny!.aliases.map((a) => a.alias)).toEqual(expect.arrayContaining(['Manhattan', 'NYC', 'Niuyue', 'Niu Yue', '纽约', '紐約']));
    });

    it('has the Netherlands stations in Amsterdam and Rotterdam under investigation', () => {
      const dutch = stationsWhere((s) => s.countryCode === 'NL');
      expect(dutch.map((s) => s.city.en).sort()).toEqual(['Amsterdam', 'Rotterdam']);
      for (const s of dutch) expect(s.statuses.at(-1)!.status, s.id).toBe('under_investigation');
    });

    it('shows Ireland’s station as closed, with its city not invented', () => {
      const irish = stationsWhere((s) => s.countryCode === 'IE');
      expect(irish).toHaveLength(1);
      expect(statusesOf(irish[0]!.id)).toEqual(['reported', 'closed']);
      expect(irish[0]!.statuses.at(-1)!.date).toBe('unknown');
    });

    it('has the reported figures: 54 in 30 countries, 48 more, 230,000 “persuaded to return”', () => {
      const quotes = bundled.claims.map((c) => c.quote).join('\n');
      expect(quotes).toContain('54 such stations altogether spread throughout 30 different nations');
      expect(quotes).toContain('a further 48 police stations');
      expect(quotes).toContain('from April 2021 to July 2022, Chinese authorities claimed that 230,000');
    });
  });

  describe('verifyDataset', () => {
    it('accepts quotes that differ from the text only in runs of whitespace', () => {
      expect(verifyDataset(tinyDataset(), tinyTexts())).toEqual([]);
    });

    it('reports a quote that is not verbatim in its source (curly quotes stay curly)', () => {
      const d = tinyDataset();
      d.claims[0]!.quote = 'The group found a "police station" in Prato.';
      const problems = verifyDataset(d, tinyTexts());
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/claim "prato-report".*not verbatim.*test-source/);
    });

    it('reports a claim citing an unknown source id', () => {
      const d = tinyDataset();
      d.claims[0]!.sourceId = 'no-such-source';
      expect(verifyDataset(d, tinyTexts()).join('\n')).toContain('claim "prato-report" cites unknown source "no-such-source"');
    });

    it('reports a station without a station_report claim', () => {
      const d = tinyDataset();
      d.claims[0]!.kind = 'context';
      expect(verifyDataset(d, tinyTexts()).join('\n')).toContain('station "it-prato" has no station_report claim citing a source');
    });

    it('reports a source whose text file is missing', () => {
      const files = new Map([['other.txt', 'unrelated']]);
      expect(verifyDataset(tinyDataset(), files)).toEqual([
        'source "test-source": text file "article.txt" is not among the source texts',
        'source "test-source" has no text (bundle it, or name its textFile among the source texts), so its quotes cannot be checked',
      ]);
    });

    it('reports a source with neither a bundled text nor a file', () => {
      expect(verifyDataset(tinyDataset())).toEqual([
        'source "test-source" has no text (bundle it, or name its textFile among the source texts), so its quotes cannot be checked',
      ]);
    });

    it('reports schema issues with their path', () => {
      const d = tinyDataset();
      d.stations[0]!.statuses[0]!.date = '22 Sept 2022';
      expect(verifyDataset(d, tinyTexts()).join('\n')).toMatch(/^dataset\.stations\.0\.statuses\.0\.date: /m);
    });
  });

  describe('readSourceTexts', () => {
    it('maps the name of every .txt file in a directory to its text, and nothing else', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'lantern-sources-'));
      try {
        await writeFile(join(dir, '000_a.txt'), 'first “text”');
        await writeFile(join(dir, 'README.md'), '# not a source');
        await mkdir(join(dir, 'sub.txt'));
        const texts = await readSourceTexts(dir);
        expect([...texts]).toEqual([['000_a.txt', 'first “text”']]);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
});
