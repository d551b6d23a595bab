import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Dataset } from '../../src/core/dataset/dataset.schema.ts';
import { DatasetView } from '../../src/core/dataset/dataset.view.ts';
import { compact } from '../../src/core/lookup/normalize.ts';
import { toPinyin, withPinyinKeys } from '../../src/core/lookup/pinyin.ts';
import { bundledDatasetPath, ensureDataset, loadDataset, readDatasetFile, replaceDataset } from '../../src/db/dataset-store.ts';
import { admin } from '../../src/tools/admin.ts';
import { emptyBackends as backends } from '../support/storage.ts';

const bundled = Dataset.parse(JSON.parse(readFileSync(bundledDatasetPath, 'utf8')));
const sortDeep = (d: Dataset) => ({
  ...d,
  sources: [...d.sources].sort((a, b) => a.id.localeCompare(b.id)),
  countries: [...d.countries].sort((a, b) => a.code.localeCompare(b.code)),
  stations: [...d.stations].sort((a, b) => a.id.localeCompare(b.id)),
  claims: [...d.claims].sort((a, b) => a.id.localeCompare(b.id)),
  topics: [...d.topics].sort((a, b) => a.id.localeCompare(b.id)),
  disagreements: [...d.disagreements].sort((a, b) => a.id.localeCompare(b.id)),
});

for (const [name, fresh] of backends) {
  describe(`dataset storage on ${name}`, () => {
    let handle: Awaited<ReturnType<typeof fresh>>;
    afterAll(async () => handle?.dispose());

    it('seeds the bundled dataset once and reads it back unchanged', async () => {
      handle = await fresh();
      expect(await ensureDataset(handle.db.prisma, bundled)).toBe('seeded');
      expect(await ensureDataset(handle.db.prisma, bundled)).toBe('current');
      const corrected = {
        ...bundled,
        claims: bundled.claims.map((c, i) => (i === 0 ? { ...c, text: { ...c.text, en: `${c.text.en} (corrected)` } } : c)),
      };
      expect(await ensureDataset(handle.db.prisma, corrected), 'a changed bundled file reseeds even with the same version').toBe('seeded');
      expect(await ensureDataset(handle.db.prisma, bundled)).toBe('seeded');
      const loaded = await loadDataset(handle.db.prisma);
      // as given, with the derived pinyin keys (see below)
      expect(sortDeep(loaded)).toEqual(sortDeep(withPinyinKeys(bundled)));
      // what issue #12 adds is stored, not defaulted: places, topics, answers, source texts
      expect(loaded.topics.length).toBeGreaterThan(10);
      expect(loaded.disagreements.length).toBeGreaterThan(3);
      expect(loaded.claims.find((c) => c.id === 'sd-pp-135-hired-21-posts')!.answers).toEqual(['cn-volunteers']);
      expect(loaded.claims.find((c) => c.id === 'it-joint-patrols')!.places).toEqual(expect.arrayContaining(['Milan', 'Naples']));
      expect(loaded.sources.every((s) => s.text && s.text.length > 1000)).toBe(true);
    });

    it('derives the joined pinyin of every city and country when a dataset is stored, not at start', async () => {
      // A dataset written without them: "niuyue" finds nothing in it as given…
      const key = (zh: string) => compact(toPinyin(zh));
      const bare = {
        ...bundled,
        stations: bundled.stations.map((st) => ({
          ...st,
          aliases: st.aliases.filter((a) => compact(a.alias) !== key(st.city['zh-Hans'])),
        })),
        countries: bundled.countries.map((c) => ({ ...c, aliases: c.aliases.filter((a) => compact(a) !== key(c.name['zh-Hans'])) })),
      };
      const firstHit = (d: Dataset, q: string) => new DatasetView(d).index.search(q, 1)[0]?.station.city.en;
      expect(firstHit(bare, 'niuyue')).not.toBe('New York');
      // …and once stored, the city and the country are found by it.
      await replaceDataset(handle.db.prisma, bare, 'import');
      const stored = await loadDataset(handle.db.prisma);
      expect(firstHit(stored, 'niuyue')).toBe('New York');
      expect(stored.stations.find((st) => st.city.en === 'New York')!.aliases).toContainEqual({ alias: 'Niuyue', kind: 'pinyin' });
      expect(stored.countries.find((c) => c.code === 'US')!.aliases).toContain('Meiguo');
      await replaceDataset(handle.db.prisma, bundled, 'bundled');
    });

    it('keeps an operator’s import over a newer bundled version', async () => {
      const imported = {
        ...bundled,
        version: 'operator-1',
        claims: bundled.claims.map((c) => ({ ...c, text: { ...c.text, en: c.text.en + ' (reviewed)' } })),
      };
      await replaceDataset(handle.db.prisma, imported, 'import');
      expect(await ensureDataset(handle.db.prisma, { ...bundled, version: 'newer' })).toBe('kept-import');
      expect((await loadDataset(handle.db.prisma)).version).toBe('operator-1');
    });

    it('keeps reports linked to a station that survives a re-import', async () => {
      await handle.db.prisma.report.create({
        data: {
          publicId: 'R-TEST01',
          reporterHash: 'x',
          receiptHash: 'y',
          platform: 'console',
          category: 'other',
          keyId: 'k1',
          payloadCiphertext: new Uint8Array([1]),
          stationId: 'it-prato',
        },
      });
      await replaceDataset(handle.db.prisma, bundled, 'bundled');
      expect((await handle.db.prisma.report.findUniqueOrThrow({ where: { publicId: 'R-TEST01' } })).stationId).toBe('it-prato');
    });
  });
}

describe('admin dataset commands', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lantern-admin-'));
  const saved = { ...process.env };
  afterAll(() => {
    process.env = saved;
  });

  it('exports, refuses an invalid file with every problem listed, and imports a valid one', async () => {
    process.env.LANTERN_DATA_DIR = path.join(dir, 'data');
    delete process.env.DATABASE_URL;
    // seed through a first open
    const { openDatabase } = await import('../../src/db/client.ts');
    const db = await openDatabase({ dataDir: process.env.LANTERN_DATA_DIR });
    await ensureDataset(db.prisma, bundled);
    await db.close();

    const out: string[] = [];
    const file = path.join(dir, 'export.json');
    expect(await admin(['dataset-export', file], (s) => out.push(s))).toBe(0);
    expect(out.join('\n')).toMatch(/Exported 21 stations/);
    const exported = await readDatasetFile(file);
    expect(exported.stations).toHaveLength(bundled.stations.length);

    const broken = JSON.parse(readFileSync(file, 'utf8'));
    broken.claims[0].sourceId = 'nowhere';
    broken.stations[0].countryCode = 'usa';
    writeFileSync(path.join(dir, 'broken.json'), JSON.stringify(broken));
    await expect(admin(['dataset-import', path.join(dir, 'broken.json')], () => {})).rejects.toThrow(
      /not a valid Lantern dataset:\n- stations.0.countryCode/,
    );

    expect(await admin(['dataset-import', file], (s) => out.push(s))).toBe(0);
    expect(out.join('\n')).toMatch(/Imported 21 stations/);
    expect(await admin(['bogus'], (s) => out.push(s))).toBe(2);
  });
});
