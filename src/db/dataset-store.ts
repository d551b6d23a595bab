/**
 * The dataset in the database: seeded from the bundled JSON on first start (and when a newer
 * bundled version ships), replaced by an operator import, read back whole into a DatasetView.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Dataset } from '../core/dataset/dataset.schema.ts';
import type { PrismaClient } from './client.ts';
import { ROOT } from '../root.ts';

/** The dataset that ships with Lantern. */
export const bundledDatasetPath = path.join(ROOT, 'prisma', 'dataset', 'lantern-dataset.json');

/** Reads and validates a dataset JSON file; throws with every problem listed. */
export async function readDatasetFile(file: string): Promise<Dataset> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file} is not readable JSON: ${(e as Error).message}`, { cause: e });
  }
  const parsed = Dataset.safeParse(json);
  if (!parsed.success)
    throw new Error(
      `${file} is not a valid Lantern dataset:\n${parsed.error.issues.map((i) => `- ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  return parsed.data;
}

/** Replaces the dataset tables with `d` in one transaction. Reports keep their station links when the station id survives. */
export async function replaceDataset(prisma: PrismaClient, given: Dataset, origin: 'bundled' | 'import'): Promise<void> {
  // Derived search keys are computed here, once per stored dataset, not at every start.
  const d = (await import('../core/lookup/pinyin.ts')).withPinyinKeys(given);
  await prisma.$transaction(
    async (tx) => {
      await tx.stationStatus.deleteMany();
      await tx.stationAlias.deleteMany();
      await tx.claim.deleteMany();
      await tx.source.deleteMany();
      await tx.topic.deleteMany();
      await tx.disagreement.deleteMany();
      await tx.country.deleteMany();
      await tx.station.deleteMany({ where: { id: { notIn: d.stations.map((s) => s.id) } } });
      await tx.country.createMany({
        data: d.countries.map((c) => ({
          code: c.code,
          nameEn: c.name.en,
          nameZhHans: c.name['zh-Hans'],
          nameZhHant: c.name['zh-Hant'],
          aliases: c.aliases,
        })),
      });
      await tx.source.createMany({ data: d.sources });
      for (const s of d.stations) {
        const row = {
          nameEn: s.name.en,
          nameZhHans: s.name['zh-Hans'],
          nameZhHant: s.name['zh-Hant'],
          cityEn: s.city.en,
          cityZhHans: s.city['zh-Hans'],
          cityZhHant: s.city['zh-Hant'],
          countryCode: s.countryCode,
          precision: s.precision,
          address: s.address,
          latitude: s.latitude,
          longitude: s.longitude,
          countInCity: s.countInCity,
        };
        await tx.station.upsert({ where: { id: s.id }, create: { id: s.id, ...row }, update: row });
      }
      await tx.claim.createMany({
        data: d.claims.map((c) => ({
          id: c.id,
          kind: c.kind,
          stationId: c.stationId,
          countryCode: c.countryCode,
          speaker: c.speaker,
          textEn: c.text.en,
          textZhHans: c.text['zh-Hans'],
          textZhHant: c.text['zh-Hant'],
          sourceId: c.sourceId,
          quote: c.quote,
          date: c.date,
          dateApproximate: c.dateApproximate,
          places: c.places,
          topics: c.topics,
          answers: c.answers,
        })),
      });
      await tx.topic.createMany({
        data: d.topics.map((x) => ({
          id: x.id,
          nameEn: x.name.en,
          nameZhHans: x.name['zh-Hans'],
          nameZhHant: x.name['zh-Hant'],
          aliases: x.aliases,
        })),
      });
      await tx.disagreement.createMany({
        data: d.disagreements.map((x) => ({
          id: x.id,
          claimIds: x.claimIds,
          textEn: x.text.en,
          textZhHans: x.text['zh-Hans'],
          textZhHant: x.text['zh-Hant'],
        })),
      });
      await tx.stationAlias.createMany({
        data: d.stations.flatMap((s) => s.aliases.map((a) => ({ stationId: s.id, alias: a.alias, kind: a.kind }))),
        skipDuplicates: true,
      });
      await tx.stationStatus.createMany({
        data: d.stations.flatMap((s) =>
          s.statuses.map((st) => ({
            stationId: s.id,
            status: st.status,
            date: st.date,
            dateApproximate: st.dateApproximate,
            claimId: st.claimId,
          })),
        ),
      });
      for (const [key, value] of [
        ['dataset.version', d.version],
        ['dataset.fingerprint', datasetFingerprint(given)],
        ['dataset.origin', origin],
      ] as const)
        await tx.setting.upsert({ where: { key }, create: { key, value }, update: { value } });
    },
    { timeout: 60_000 },
  );
}

/** A fingerprint of a dataset's content (a changed file reseeds even if its version was not bumped). */
export function datasetFingerprint(d: Dataset): string {
  return createHash('sha256').update(JSON.stringify(d)).digest('hex');
}

/** Seeds the bundled dataset unless an operator's import is in place or it is already current. */
export async function ensureDataset(prisma: PrismaClient, bundled: Dataset): Promise<'seeded' | 'current' | 'kept-import'> {
  const settings = await prisma.setting.findMany({ where: { key: { in: ['dataset.fingerprint', 'dataset.origin'] } } });
  const get = (k: string) => settings.find((s) => s.key === k)?.value;
  if (get('dataset.origin') === 'import') return 'kept-import';
  if (get('dataset.fingerprint') === datasetFingerprint(bundled)) return 'current';
  await replaceDataset(prisma, bundled, 'bundled');
  return 'seeded';
}

/** Reads the whole dataset back from the database. */
export async function loadDataset(prisma: PrismaClient): Promise<Dataset> {
  const [sources, countries, stations, claims, version, topics, disagreements] = await Promise.all([
    prisma.source.findMany({ orderBy: { id: 'asc' } }),
    prisma.country.findMany({ orderBy: { code: 'asc' } }),
    prisma.station.findMany({
      orderBy: { id: 'asc' },
      include: { aliases: { orderBy: { id: 'asc' } }, statuses: { orderBy: { id: 'asc' } } },
    }),
    prisma.claim.findMany({ orderBy: { id: 'asc' } }),
    prisma.setting.findUnique({ where: { key: 'dataset.version' } }),
    prisma.topic.findMany({ orderBy: { id: 'asc' } }),
    prisma.disagreement.findMany({ orderBy: { id: 'asc' } }),
  ]);
  const localized = (x: { textEn: string; textZhHans: string; textZhHant: string }) => ({
    en: x.textEn,
    'zh-Hans': x.textZhHans,
    'zh-Hant': x.textZhHant,
  });
  return {
    version: version?.value ?? 'empty',
    sources: sources.map((s) => ({
      id: s.id,
      publisher: s.publisher,
      byline: s.byline,
      title: s.title,
      date: s.date,
      dateApproximate: s.dateApproximate,
      url: s.url,
      textFile: s.textFile,
      text: s.text,
      notes: s.notes,
    })),
    countries: countries.map((c) => ({
      code: c.code,
      name: { en: c.nameEn, 'zh-Hans': c.nameZhHans, 'zh-Hant': c.nameZhHant },
      aliases: c.aliases,
    })),
    stations: stations.map((s) => ({
      id: s.id,
      name: { en: s.nameEn, 'zh-Hans': s.nameZhHans, 'zh-Hant': s.nameZhHant },
      city: { en: s.cityEn, 'zh-Hans': s.cityZhHans, 'zh-Hant': s.cityZhHant },
      countryCode: s.countryCode,
      precision: s.precision,
      address: s.address,
      latitude: s.latitude,
      longitude: s.longitude,
      countInCity: s.countInCity,
      aliases: s.aliases.map((a) => ({ alias: a.alias, kind: a.kind as 'en' })),
      statuses: s.statuses.map((st) => ({ status: st.status, date: st.date, dateApproximate: st.dateApproximate, claimId: st.claimId })),
    })),
    claims: claims.map((c) => ({
      id: c.id,
      kind: c.kind,
      stationId: c.stationId,
      countryCode: c.countryCode,
      speaker: c.speaker,
      text: { en: c.textEn, 'zh-Hans': c.textZhHans, 'zh-Hant': c.textZhHant },
      sourceId: c.sourceId,
      quote: c.quote,
      date: c.date,
      dateApproximate: c.dateApproximate,
      places: c.places,
      topics: c.topics,
      answers: c.answers,
    })),
    topics: topics.map((x) => ({ id: x.id, name: { en: x.nameEn, 'zh-Hans': x.nameZhHans, 'zh-Hant': x.nameZhHant }, aliases: x.aliases })),
    disagreements: disagreements.map((x) => ({ id: x.id, claimIds: x.claimIds, text: localized(x) })),
  };
}
